//! Talking to any cluster through a kube client: API resources by name, object reads and writes as JSON,
//! and raw HTTP requests.

use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams};
use kube::core::ApiResource;
use serde_json::Value;

use super::poll::eventually;

pub fn ar(group: &str, version: &str, kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: group.into(),
        version: version.into(),
        api_version: if group.is_empty() {
            version.into()
        } else {
            format!("{group}/{version}")
        },
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// A core (`v1`) resource.
pub fn core(kind: &str, plural: &str) -> ApiResource {
    ar("", "v1", kind, plural)
}

pub fn configmaps() -> ApiResource {
    core("ConfigMap", "configmaps")
}

pub fn crd_ar() -> ApiResource {
    ar(
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
    )
}

/// `types.kubefed.io/v1beta1` `Federated<Kind>`.
pub fn federated(kind: &str) -> ApiResource {
    ar(
        "types.kubefed.io",
        "v1beta1",
        &format!("Federated{kind}"),
        &format!("federated{}s", kind.to_lowercase()),
    )
}

pub fn api(client: &kube::Client, ar: &ApiResource, ns: Option<&str>) -> Api<DynamicObject> {
    match ns {
        Some(ns) => Api::namespaced_with(client.clone(), ns, ar),
        None => Api::all_with(client.clone(), ar),
    }
}

pub async fn create(
    client: &kube::Client,
    ar: &ApiResource,
    ns: Option<&str>,
    obj: Value,
) -> Value {
    let o: DynamicObject = serde_json::from_value(obj).expect("object");
    let created = api(client, ar, ns)
        .create(&PostParams::default(), &o)
        .await
        .unwrap_or_else(|e| panic!("create {}: {e}", ar.kind));
    serde_json::to_value(created).unwrap()
}

pub async fn get(
    client: &kube::Client,
    ar: &ApiResource,
    ns: Option<&str>,
    name: &str,
) -> Option<Value> {
    api(client, ar, ns)
        .get_opt(name)
        .await
        .unwrap_or_else(|e| panic!("get {} {name}: {e}", ar.kind))
        .map(|o| serde_json::to_value(o).unwrap())
}

/// A JSON merge patch.
pub async fn merge(
    client: &kube::Client,
    ar: &ApiResource,
    ns: Option<&str>,
    name: &str,
    patch: Value,
) -> Value {
    let o = api(client, ar, ns)
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .unwrap_or_else(|e| panic!("patch {} {name}: {e}", ar.kind));
    serde_json::to_value(o).unwrap()
}

/// A server-side apply of a whole manifest (field manager `test`, forced), in the manifest's namespace.
pub async fn apply(client: &kube::Client, ar: &ApiResource, obj: Value) -> Value {
    let name = obj["metadata"]["name"].as_str().unwrap().to_string();
    let o = api(client, ar, obj["metadata"]["namespace"].as_str())
        .patch(
            &name,
            &PatchParams::apply("test").force(),
            &Patch::Apply(&obj),
        )
        .await
        .unwrap_or_else(|e| panic!("apply {} {name}: {e}", ar.kind));
    serde_json::to_value(o).unwrap()
}

/// Waits (at most `secs` seconds) until the CustomResourceDefinition `name` is Established, so its
/// resources are served.
pub async fn until_established(client: &kube::Client, name: &str, secs: u64) {
    eventually(secs, &format!("CRD {name} established"), || async {
        let crd = get(client, &crd_ar(), None, name).await?;
        crd["status"]["conditions"]
            .as_array()?
            .iter()
            .any(|c| c["type"] == "Established" && c["status"] == "True")
            .then_some(())
    })
    .await;
}

pub async fn delete(client: &kube::Client, ar: &ApiResource, ns: Option<&str>, name: &str) {
    api(client, ar, ns)
        .delete(name, &DeleteParams::default())
        .await
        .unwrap_or_else(|e| panic!("delete {} {name}: {e}", ar.kind));
}

/// One raw request through `client`, with `headers`: the status code, the body as JSON (`Null` when it is
/// not JSON) and the body as text. Every test that talks HTTP to a server goes through this.
pub async fn request(
    client: &kube::Client,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (u16, Value, String) {
    let mut b = http::Request::builder().method(method).uri(path);
    for (name, value) in headers {
        b = b.header(*name, *value);
    }
    let res = client
        .send(b.body(kube::client::Body::from(body)).unwrap())
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let code = res.status().as_u16();
    let bytes = res.into_body().collect_bytes().await.unwrap();
    let text = String::from_utf8_lossy(&bytes).to_string();
    (
        code,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        text,
    )
}

/// A request with a JSON body (its Content-Type `content_type`) or none: the status code and the answer
/// as JSON.
pub async fn send_json(
    client: &kube::Client,
    method: &str,
    path: &str,
    content_type: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let (headers, bytes) = match body {
        Some(v) => (
            vec![("content-type", content_type)],
            serde_json::to_vec(&v).unwrap(),
        ),
        None => (vec![], vec![]),
    };
    let (code, value, _) = request(client, method, path, &headers, bytes).await;
    (code, value)
}
