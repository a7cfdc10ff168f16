//! Updating a Service with a manifest that leaves out what the server allocated (`kubectl replace`, a PUT
//! without `clusterIP`/`clusterIPs`/`nodePort`) keeps the allocated values, on every backend; changing
//! an allocated cluster IP is still refused.

mod support;

use std::process::Command;

use serde_json::{json, Value};
use support::*;

const SVCS: &str = "/api/v1/namespaces/default/services";

async fn send(
    client: &kube::Client,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    send_json(client, method, path, "application/json", body).await
}

fn manifest(target_port: u16) -> Value {
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
        "spec": {"type": "NodePort", "selector": {"app": "web"},
            "ports": [{"name": "http", "port": 80, "targetPort": target_port}]}})
}

fn node_port(svc: &Value, name: &str) -> Option<i64> {
    svc["spec"]["ports"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)?["nodePort"]
        .as_i64()
}

async fn updates_keep_allocated_service_addresses(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let label = bed.label();
    let client = bed.client("c1").await;
    let (code, created) = send(&client, "POST", SVCS, Some(manifest(8080))).await;
    assert_eq!(code, 201, "{created}");
    let ip = created["spec"]["clusterIP"].as_str().unwrap().to_string();
    let http_port = node_port(&created, "http").expect("a node port is allocated");

    // kubectl replace of the manifest the Service was created from, with another targetPort.
    if let Some(kubectl) = kubectl(CURRENT_KUBECTL) {
        let file = bed.dir().join("web.yaml");
        std::fs::write(&file, serde_json::to_string(&manifest(8081)).unwrap()).unwrap();
        let out = Command::new(&kubectl)
            .arg(format!("--kubeconfig={}", bed.kubeconfig.display()))
            .arg(format!("--cache-dir={}", bed.dir().join("cache").display()))
            .args(["replace", "-f"])
            .arg(&file)
            .output()
            .expect("kubectl runs");
        assert!(
            out.status.success(),
            "kubectl replace on {label}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (_, got) = send(&client, "GET", &format!("{SVCS}/web"), None).await;
        assert_eq!(got["spec"]["clusterIP"], ip.as_str(), "on {label}: {got}");
        assert_eq!(got["spec"]["clusterIPs"], json!([ip]), "on {label}");
        assert_eq!(node_port(&got, "http"), Some(http_port), "on {label}");
        assert_eq!(got["spec"]["ports"][0]["targetPort"], 8081, "on {label}");
    }

    // A PUT without them: the port keeps its node port by name; a new port gets a new one.
    let mut put = manifest(8082);
    put["spec"]["ports"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "metrics", "port": 9090}));
    let (code, got) = send(&client, "PUT", &format!("{SVCS}/web"), Some(put)).await;
    assert_eq!(code, 200, "PUT without allocated values on {label}: {got}");
    assert_eq!(got["spec"]["clusterIP"], ip.as_str(), "on {label}");
    assert_eq!(got["spec"]["clusterIPs"], json!([ip]), "on {label}");
    assert_eq!(node_port(&got, "http"), Some(http_port), "on {label}");
    let metrics_port = node_port(&got, "metrics").expect("the new port gets a node port");
    assert_ne!(metrics_port, http_port, "on {label}");

    // Another cluster IP is refused.
    let other_ip = {
        let mut octets: Vec<u8> = ip.split('.').map(|o| o.parse().unwrap()).collect();
        octets[3] = if octets[3] == 200 { 201 } else { 200 };
        octets
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(".")
    };
    let mut put = manifest(8082);
    put["spec"]["clusterIP"] = json!(other_ip);
    let (code, got) = send(&client, "PUT", &format!("{SVCS}/web"), Some(put)).await;
    assert_eq!(code, 422, "on {label}: {got}");
    assert_eq!(
        got["message"],
        format!(
            "Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value: [\"{other_ip}\"]: may not change once set"
        ),
        "on {label}"
    );

    // Made a ClusterIP Service by a PUT without addresses: same IP, no node ports.
    let mut put = manifest(8082);
    put["spec"]["type"] = json!("ClusterIP");
    let (code, got) = send(&client, "PUT", &format!("{SVCS}/web"), Some(put)).await;
    assert_eq!(code, 200, "on {label}: {got}");
    assert_eq!(got["spec"]["clusterIP"], ip.as_str(), "on {label}");
    assert_eq!(node_port(&got, "http"), None, "on {label}: {got}");
}
on_every_backend!(updates_keep_allocated_service_addresses);
