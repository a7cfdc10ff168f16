//! What a real kube-apiserver does with what it is sent, on every backend: quantities stored in canonical
//! form, the empty fields Go leaves out, non-string labels refused as the typed decoder refuses them,
//! server-side apply of a field the type does not declare, a Job's generated selector, and asynchronous
//! namespace deletion.

mod support;

use serde_json::{json, Value};
use support::*;

async fn send_as(
    client: &kube::Client,
    method: &str,
    path: &str,
    content_type: &str,
    body: Option<Vec<u8>>,
) -> (u16, Value) {
    let headers: &[(&str, &str)] = if body.is_some() {
        &[("content-type", content_type)]
    } else {
        &[]
    };
    let (code, value, _) = request(client, method, path, headers, body.unwrap_or_default()).await;
    (code, value)
}

async fn send(
    client: &kube::Client,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let ct = if method == "PATCH" {
        "application/merge-patch+json"
    } else {
        "application/json"
    };
    send_as(
        client,
        method,
        path,
        ct,
        body.map(|v| serde_json::to_vec(&v).unwrap()),
    )
    .await
}

const DEPLOYS: &str = "/apis/apps/v1/namespaces/default/deployments";
const CMS: &str = "/api/v1/namespaces/default/configmaps";

fn deployment(name: &str, container: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [container]}}}})
}

async fn quantities_are_stored_in_canonical_form(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let container = json!({"name": "app", "image": "nginx", "resources": {
        "requests": {"cpu": "0.25", "memory": "1000000000", "ephemeral-storage": "1024Mi"},
        "limits": {"cpu": 2, "memory": "1.5Gi"}}});
    let (code, d) = send(&client, "POST", DEPLOYS, Some(deployment("q", container))).await;
    assert_eq!(code, 201, "{d}");
    let want = json!({"requests": {"cpu": "250m", "memory": "1G", "ephemeral-storage": "1Gi"},
        "limits": {"cpu": "2", "memory": "1536Mi"}});
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["resources"],
        want,
        "{}",
        bed.label()
    );
    let (_, list) = send(&client, "GET", DEPLOYS, None).await;
    assert_eq!(
        list["items"][0]["spec"]["template"]["spec"]["containers"][0]["resources"],
        want
    );

    let pvc = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "2048Mi"}}}});
    let (code, p) = send(
        &client,
        "POST",
        "/api/v1/namespaces/default/persistentvolumeclaims",
        Some(pvc),
    )
    .await;
    assert_eq!(code, 201, "{p}");
    assert_eq!(p["spec"]["resources"]["requests"]["storage"], "2Gi");

    let quota = json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"},
        "spec": {"hard": {"pods": 10, "requests.cpu": "0.5", "requests.memory": "1073741824"}}});
    let (code, q) = send(
        &client,
        "POST",
        "/api/v1/namespaces/default/resourcequotas",
        Some(quota),
    )
    .await;
    assert_eq!(code, 201, "{q}");
    assert_eq!(
        q["spec"]["hard"],
        // A plain integer is decimal: 1073741824 has no exact decimal suffix and stays as it is.
        json!({"pods": "10", "requests.cpu": "500m", "requests.memory": "1073741824"})
    );

    let lr = json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr"},
        "spec": {"limits": [{"type": "Container", "default": {"cpu": "0.5", "memory": "512Mi"},
            "defaultRequest": {"cpu": "0.1", "memory": "1000Ki"}}]}});
    let (code, l) = send(
        &client,
        "POST",
        "/api/v1/namespaces/default/limitranges",
        Some(lr),
    )
    .await;
    assert_eq!(code, 201, "{l}");
    assert_eq!(
        l["spec"]["limits"][0]["default"],
        json!({"cpu": "500m", "memory": "512Mi"})
    );
    assert_eq!(
        l["spec"]["limits"][0]["defaultRequest"],
        json!({"cpu": "100m", "memory": "1000Ki"})
    );

    let job = json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "cj"},
        "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "Never",
            "containers": [{"name": "c", "image": "busybox", "resources": {"requests": {"cpu": "1.5"}}}]}}}}}});
    let (code, cj) = send(
        &client,
        "POST",
        "/apis/batch/v1/namespaces/default/cronjobs",
        Some(job),
    )
    .await;
    assert_eq!(code, 201, "{cj}");
    assert_eq!(
        cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["resources"]
            ["requests"]["cpu"],
        "1500m"
    );
}
on_every_backend!(quantities_are_stored_in_canonical_form);

async fn empty_labels_and_values_are_omitted(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "e", "labels": {}, "annotations": {}}, "data": {"k": "v"}});
    let (code, c) = send(&client, "POST", CMS, Some(cm)).await;
    assert_eq!(code, 201, "{c}");
    assert!(c["metadata"].get("labels").is_none(), "{c}");
    assert!(c["metadata"].get("annotations").is_none(), "{c}");

    let container = json!({"name": "app", "image": "nginx",
        "env": [{"name": "E", "value": ""}, {"name": "F", "value": "f"}]});
    let (code, d) = send(&client, "POST", DEPLOYS, Some(deployment("env", container))).await;
    assert_eq!(code, 201, "{d}");
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["env"],
        json!([{"name": "E"}, {"name": "F", "value": "f"}]),
        "{}",
        bed.label()
    );
}
on_every_backend!(empty_labels_and_values_are_omitted);

async fn a_label_that_is_not_a_string_is_refused(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "b", "labels": {"x": true}}, "data": {"k": "v"}});
    let (code, s) = send(&client, "POST", CMS, Some(cm)).await;
    assert_eq!(code, 400, "{s}");
    assert_eq!(s["reason"], "BadRequest");
    assert_eq!(
        s["message"],
        "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string",
        "{}",
        bed.label()
    );
    let d = deployment("ann", json!({"name": "app", "image": "nginx"}));
    let mut d = d;
    d["metadata"]["annotations"] = json!({"n": 3});
    let (code, s) = send(&client, "POST", DEPLOYS, Some(d)).await;
    assert_eq!(code, 400, "{s}");
    assert_eq!(
        s["message"],
        "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string"
    );
    // Nothing was stored, and listing still works.
    let (code, list) = send(&client, "GET", CMS, None).await;
    assert_eq!(code, 200, "{list}");
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["metadata"]["name"] != "b"));
}
on_every_backend!(a_label_that_is_not_a_string_is_refused);

async fn apply_of_a_field_the_type_does_not_declare_fails(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let mut d = deployment("ssa", json!({"name": "app", "image": "nginx"}));
    d["spec"]["foo"] = json!(1);
    let body = serde_json::to_vec(&d).unwrap();
    for query in ["", "&fieldValidation=Strict", "&fieldValidation=Ignore"] {
        let (code, s) = send_as(
            &client,
            "PATCH",
            &format!("{DEPLOYS}/ssa?fieldManager=test{query}"),
            "application/apply-patch+yaml",
            Some(body.clone()),
        )
        .await;
        // The structured-merge-diff typed conversion fails before fieldValidation is looked at, and the
        // server answers it as an internal error without a reason.
        assert_eq!(code, 500, "{query}: {s}");
        assert_eq!(
            s["message"],
            "failed to create typed patch object (/ssa; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema",
            "{}",
            bed.label()
        );
    }
    let (code, _) = send(&client, "GET", &format!("{DEPLOYS}/ssa"), None).await;
    assert_eq!(code, 404);
    // A list item is named by its keys.
    let mut d = deployment(
        "ssa",
        json!({"name": "app", "image": "nginx", "bogus": true}),
    );
    d["metadata"]["namespace"] = json!("default");
    let (code, s) = send_as(
        &client,
        "PATCH",
        &format!("{DEPLOYS}/ssa?fieldManager=test"),
        "application/apply-patch+yaml",
        Some(serde_json::to_vec(&d).unwrap()),
    )
    .await;
    assert_eq!(code, 500, "{s}");
    assert_eq!(
        s["message"],
        "failed to create typed patch object (default/ssa; apps/v1, Kind=Deployment): .spec.template.spec.containers[name=\"app\"].bogus: field not declared in schema"
    );
}
on_every_backend!(apply_of_a_field_the_type_does_not_declare_fails);

async fn a_job_selector_must_be_generated_unless_manual(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    const JOBS: &str = "/apis/batch/v1/namespaces/default/jobs";
    let job = |name: &str| {
        json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
            "spec": {"template": {"metadata": {"labels": {"a": "b"}}, "spec": {"restartPolicy": "Never",
                "containers": [{"name": "c", "image": "busybox"}]}}}})
    };
    let mut given = job("given");
    given["spec"]["selector"] = json!({"matchLabels": {"a": "b"}});
    let (code, s) = send(&client, "POST", JOBS, Some(given.clone())).await;
    assert_eq!(code, 422, "{s}");
    let msg = s["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Job.batch \"given\" is invalid: spec.selector: Invalid value: {\"matchLabels\":{\"a\":\"b\",\"batch.kubernetes.io/controller-uid\":\""),
        "{msg}"
    );
    assert!(
        msg.ends_with("\"}}: `selector` not auto-generated"),
        "{msg}"
    );

    given["spec"]["manualSelector"] = json!(true);
    let (code, s) = send(&client, "POST", JOBS, Some(given)).await;
    assert_eq!(code, 201, "{s}");
    assert_eq!(s["spec"]["selector"], json!({"matchLabels": {"a": "b"}}));

    let (code, j) = send(&client, "POST", JOBS, Some(job("auto"))).await;
    assert_eq!(code, 201, "{j}");
    let uid = j["metadata"]["uid"].as_str().unwrap();
    assert_eq!(
        j["spec"]["selector"],
        json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}})
    );
    assert_eq!(j["spec"]["manualSelector"], false);
    assert_eq!(
        j["spec"]["template"]["metadata"]["labels"],
        json!({"a": "b", "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "auto",
            "controller-uid": uid, "job-name": "auto"})
    );
    // A Job without labels shares its template's labels map, generated labels included.
    assert_eq!(
        j["metadata"]["labels"],
        j["spec"]["template"]["metadata"]["labels"]
    );
}
on_every_backend!(a_job_selector_must_be_generated_unless_manual);

async fn deleting_a_namespace_empties_it_first(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "gone"}});
    let (code, n) = send(&client, "POST", "/api/v1/namespaces", Some(ns)).await;
    assert_eq!(code, 201, "{n}");
    let cms = "/api/v1/namespaces/gone/configmaps";
    let cm =
        |name: &str| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}});
    let (code, _) = send(&client, "POST", cms, Some(cm("held"))).await;
    assert_eq!(code, 201);
    // A finalizer keeps the namespace terminating until it is removed.
    let (code, _) = send(
        &client,
        "PATCH",
        &format!("{cms}/held"),
        Some(json!({"metadata": {"finalizers": ["example.com/hold"]}})),
    )
    .await;
    assert_eq!(code, 200);
    let (code, d) = send(&client, "DELETE", "/api/v1/namespaces/gone", None).await;
    assert_eq!(code, 200, "{d}");
    assert_eq!(d["status"]["phase"], "Terminating", "{d}");
    assert_eq!(d["spec"]["finalizers"], json!(["kubernetes"]));
    assert!(d["metadata"]["deletionTimestamp"].is_string());

    let (code, s) = send(&client, "POST", cms, Some(cm("late"))).await;
    assert_eq!(code, 403, "{s}");
    assert_eq!(s["reason"], "Forbidden");
    assert_eq!(
        s["message"],
        "configmaps \"late\" is forbidden: unable to create new content in namespace gone because it is being terminated"
    );
    assert_eq!(s["details"]["causes"][0]["reason"], "NamespaceTerminating");

    // Its content goes (held by the finalizer meanwhile), then the namespace.
    eventually(30, "the configmap is marked for deletion", || async {
        let (_, h) = send(&client, "GET", &format!("{cms}/held"), None).await;
        h["metadata"]["deletionTimestamp"].is_string().then_some(())
    })
    .await;
    let (code, n) = send(&client, "GET", "/api/v1/namespaces/gone", None).await;
    assert_eq!(code, 200, "still there while content remains: {n}");
    let (code, _) = send(
        &client,
        "PATCH",
        &format!("{cms}/held"),
        Some(json!({"metadata": {"finalizers": null}})),
    )
    .await;
    assert_eq!(code, 200);
    eventually(60, "the namespace is gone", || async {
        let (code, _) = send(&client, "GET", "/api/v1/namespaces/gone", None).await;
        (code == 404).then_some(())
    })
    .await;
}
on_every_backend!(deleting_a_namespace_empties_it_first);

/// `/version` as a kube-apiserver writes it since compatibility versions: the emulation version is the
/// binary's own and the minimum compatibility version one minor back, and the fields come in Go's
/// order (kubectl 1.33+ reads them).
async fn version_names_the_emulation_and_compatibility_versions(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let (code, v) = send(&client, "GET", "/version", None).await;
    assert_eq!(code, 200, "{v}");
    let minor: u32 = v["minor"].as_str().unwrap().parse().unwrap();
    assert_eq!(v["emulationMajor"], v["major"], "{v}");
    assert_eq!(v["emulationMinor"], v["minor"], "{v}");
    assert_eq!(v["minCompatibilityMajor"], v["major"], "{v}");
    assert_eq!(
        v["minCompatibilityMinor"],
        json!((minor - 1).to_string()),
        "{v}"
    );
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys[..7],
        [
            "major",
            "minor",
            "emulationMajor",
            "emulationMinor",
            "minCompatibilityMajor",
            "minCompatibilityMinor",
            "gitVersion"
        ],
        "{v}"
    );
}
on_every_backend!(version_names_the_emulation_and_compatibility_versions);
