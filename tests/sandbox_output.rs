//! Objects come back as a real API server returns them, on every backend: the empty fields Go's JSON
//! encoder leaves out (`omitempty`) are neither stored nor returned, a write that only spells the same
//! object with such empty fields changes nothing, and so a client-side re-apply reports `unchanged`.

mod support;

use std::process::Command;

use serde_json::{json, Value};
use support::*;

async fn send(
    client: &kube::Client,
    method: &str,
    path: &str,
    ct: &str,
    body: Option<Value>,
) -> (u16, Value) {
    send_json(client, method, path, ct, body).await
}

async fn create(client: &kube::Client, path: &str, obj: Value) -> Value {
    let (code, created) = send(client, "POST", path, "application/json", Some(obj)).await;
    assert_eq!(code, 201, "POST {path}: {created}");
    let name = created["metadata"]["name"].as_str().unwrap();
    // What is read back (a controller may have written it since: a Deployment's status).
    let (code, got) = send(client, "GET", &format!("{path}/{name}"), "", None).await;
    assert_eq!(code, 200, "GET {path}/{name}: {got}");
    got
}

/// Asserts that none of the JSON pointers is present in `obj`.
#[track_caller]
fn absent(obj: &Value, pointers: &[&str], what: &str) {
    for p in pointers {
        assert!(
            obj.pointer(p).is_none(),
            "{what}: {p} is returned ({}), a real server leaves it out",
            obj.pointer(p).unwrap()
        );
    }
}

const ROLE_BINDING: &str = r#"apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app, namespace: default}
subjects:
- kind: ServiceAccount
  name: app
  namespace: default
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: app-view}
subjects:
- kind: ServiceAccount
  name: app
  namespace: default
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
"#;

async fn empty_fields_are_left_out(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let label = bed.label();
    let client = bed.client("c1").await;

    // kubectl apply (client-side) twice: the second finds nothing to change.
    if let Some(kubectl) = kubectl(CURRENT_KUBECTL) {
        let file = bed.dir().join("bindings.yaml");
        std::fs::write(&file, ROLE_BINDING).unwrap();
        let apply = || {
            let out = Command::new(&kubectl)
                .arg(format!("--kubeconfig={}", bed.kubeconfig.display()))
                .arg(format!("--cache-dir={}", bed.dir().join("cache").display()))
                .args(["apply", "-f"])
                .arg(&file)
                .output()
                .expect("kubectl runs");
            assert!(
                out.status.success(),
                "kubectl apply on {label}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        apply();
        assert_eq!(
            apply(),
            "rolebinding.rbac.authorization.k8s.io/app unchanged\n\
             clusterrolebinding.rbac.authorization.k8s.io/app-view unchanged\n",
            "a second kubectl apply on {label}"
        );
    }

    let rb = create(
        &client,
        "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": "raw", "labels": {}, "annotations": {}, "finalizers": []},
            "subjects": [{"kind": "ServiceAccount", "name": "app", "namespace": "default", "apiGroup": ""}],
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}}),
    )
    .await;
    absent(
        &rb,
        &[
            "/subjects/0/apiGroup",
            "/metadata/labels",
            "/metadata/annotations",
            "/metadata/finalizers",
        ],
        &format!("RoleBinding on {label}"),
    );

    let role = create(
        &client,
        "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles",
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "raw"},
            "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"], "resourceNames": []}]}),
    )
    .await;
    absent(
        &role,
        &["/rules/0/resourceNames"],
        &format!("Role on {label}"),
    );
    assert_eq!(role["rules"][0]["apiGroups"], json!([""]), "on {label}");

    let cm = create(
        &client,
        "/api/v1/namespaces/default/configmaps",
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "raw", "labels": {}},
            "data": {}, "binaryData": {}}),
    )
    .await;
    absent(
        &cm,
        &["/metadata/labels", "/data", "/binaryData"],
        &format!("ConfigMap on {label}"),
    );

    let secret = create(
        &client,
        "/api/v1/namespaces/default/secrets",
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "raw"}, "type": "", "data": {}}),
    )
    .await;
    absent(&secret, &["/data"], &format!("Secret on {label}"));
    assert_eq!(
        secret["type"], "Opaque",
        "an empty type is defaulted on {label}"
    );

    let sa = create(
        &client,
        "/api/v1/namespaces/default/serviceaccounts",
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "raw"},
            "secrets": [], "imagePullSecrets": [], "automountServiceAccountToken": false}),
    )
    .await;
    absent(
        &sa,
        &["/secrets", "/imagePullSecrets"],
        &format!("ServiceAccount on {label}"),
    );
    assert_eq!(
        sa["automountServiceAccountToken"], false,
        "a pointer is kept on {label}"
    );

    let svc = create(
        &client,
        "/api/v1/namespaces/default/services",
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "raw"},
            "spec": {"selector": {}, "externalIPs": [], "loadBalancerIP": "", "sessionAffinity": "",
                "ports": [{"name": "http", "port": 80, "appProtocol": "http"}]}}),
    )
    .await;
    absent(
        &svc,
        &[
            "/spec/selector",
            "/spec/externalIPs",
            "/spec/loadBalancerIP",
        ],
        &format!("Service on {label}"),
    );
    assert_eq!(svc["spec"]["sessionAffinity"], "None", "on {label}");

    // A Namespace's spec.finalizers: `kubernetes` on create even when given empty, kept by an update
    // without them (only /finalize changes them).
    let ns = create(
        &client,
        "/api/v1/namespaces",
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "raw", "annotations": {}},
            "spec": {"finalizers": []}}),
    )
    .await;
    absent(
        &ns,
        &["/metadata/annotations"],
        &format!("Namespace on {label}"),
    );
    assert_eq!(
        ns["spec"]["finalizers"],
        json!(["kubernetes"]),
        "on {label}"
    );
    let (code, replaced) = send(
        &client,
        "PUT",
        "/api/v1/namespaces/raw",
        "application/json",
        Some(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "raw"}})),
    )
    .await;
    assert_eq!(code, 200, "{replaced}");
    assert_eq!(
        replaced["spec"]["finalizers"],
        json!(["kubernetes"]),
        "on {label}"
    );

    let deployments = "/apis/apps/v1/namespaces/default/deployments";
    let deploy = create(
        &client,
        deployments,
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "raw"},
            "spec": {"paused": false, "selector": {"matchLabels": {"app": "raw"}},
                "template": {"metadata": {"labels": {"app": "raw"}},
                    "spec": {"nodeSelector": {}, "serviceAccountName": "",
                        "containers": [{"name": "web", "image": "nginx:1.27", "args": [], "workingDir": "",
                            "env": [{"name": "A", "value": ""}]}]}}}}),
    )
    .await;
    absent(
        &deploy,
        &[
            "/spec/paused",
            "/spec/template/spec/nodeSelector",
            "/spec/template/spec/serviceAccountName",
            "/spec/template/spec/containers/0/args",
            "/spec/template/spec/containers/0/workingDir",
            "/spec/template/spec/containers/0/env/0/value",
        ],
        &format!("Deployment on {label}"),
    );

    // A patch that only adds empty fields (as kubectl's client-side apply sends them) changes nothing: the
    // Deployment keeps its generation (its controller may still write its status), the Service is not
    // written at all.
    let (code, patched) = send(
        &client,
        "PATCH",
        &format!("{deployments}/raw"),
        "application/strategic-merge-patch+json",
        Some(json!({"spec": {"paused": false, "template": {"spec": {
            "containers": [{"name": "web", "args": [], "workingDir": "", "env": [{"name": "A", "value": ""}]}]}}}})),
    )
    .await;
    assert_eq!(code, 200, "{patched}");
    assert_eq!(
        patched["metadata"]["generation"], deploy["metadata"]["generation"],
        "a patch of empty fields changed the Deployment's spec on {label}"
    );
    let (code, patched) = send(
        &client,
        "PATCH",
        "/api/v1/namespaces/default/services/raw",
        "application/strategic-merge-patch+json",
        Some(json!({"spec": {"externalIPs": [], "loadBalancerIP": "", "selector": {}}})),
    )
    .await;
    assert_eq!(code, 200, "{patched}");
    assert_eq!(
        patched["metadata"]["resourceVersion"], svc["metadata"]["resourceVersion"],
        "a patch of empty fields wrote the Service on {label}"
    );
}
on_every_backend!(empty_fields_are_left_out);
