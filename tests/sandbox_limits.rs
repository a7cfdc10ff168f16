//! Size limits, on every backend: a request body over 3 MiB is answered 413 RequestEntityTooLarge before
//! anything else is looked at, and an object larger than etcd stores (1.5 MiB; 2 MiB for the API server's
//! gRPC client) is refused with the error the API server relays from etcd, on create and on an update
//! that grows it, while a dry run (which never reaches storage) passes.

mod support;

use serde_json::{json, Value};
use support::*;

const LIMIT: usize = 3 * 1024 * 1024;
const BLOBS: &str = "/apis/example.com/v1/namespaces/default/blobs";

fn blob_crd() -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "blobs.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced",
            "names": {"plural": "blobs", "singular": "blob", "kind": "Blob", "listKind": "BlobList"},
            "versions": [{"name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]}
    })
}

/// A Blob whose JSON is exactly `len` bytes long.
fn blob(name: &str, len: usize) -> Vec<u8> {
    let empty = json!({"apiVersion": "example.com/v1", "kind": "Blob", "metadata": {"name": name}, "data": ""});
    let base = serde_json::to_vec(&empty).unwrap().len();
    let mut obj = empty;
    obj["data"] = json!("x".repeat(len - base));
    let bytes = serde_json::to_vec(&obj).unwrap();
    assert_eq!(bytes.len(), len);
    bytes
}

/// Sends a request and returns the status code and the body as JSON.
async fn send(
    client: &kube::Client,
    method: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let headers = [("content-type", content_type)];
    let (code, value, _) = request(client, method, path, &headers, body).await;
    (code, value)
}

fn status(code: u16, reason: Option<&str>, message: &str) -> Value {
    let mut s = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "code": code});
    if let Some(r) = reason {
        s["reason"] = json!(r);
    }
    s
}

async fn size_limits(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let label = bed.label();
    let client = bed.client("c1").await;
    let crds = ar(
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
    );
    bed.apply("c1", &crds, blob_crd()).await;
    eventually(30, "blobs.example.com established", || async {
        let (code, _) = send(&client, "GET", BLOBS, "application/json", vec![]).await;
        (code == 200).then_some(())
    })
    .await;

    // One byte over the body limit: 413, even where the namespace does not exist or an option is bad.
    let too_long = status(
        413,
        Some("RequestEntityTooLarge"),
        &format!("Request entity too large: limit is {LIMIT}"),
    );
    for path in [
        BLOBS.to_string(),
        "/apis/example.com/v1/namespaces/nowhere/blobs".into(),
        format!("{BLOBS}?dryRun=Sometimes"),
    ] {
        let (code, body) = send(
            &client,
            "POST",
            &path,
            "application/json",
            blob("huge", LIMIT + 1),
        )
        .await;
        assert_eq!(
            (code, &body),
            (413, &too_long),
            "POST {path} of {} bytes on {label}",
            LIMIT + 1
        );
    }
    let (code, body) = send(
        &client,
        "PATCH",
        &format!("{BLOBS}/huge"),
        "application/merge-patch+json",
        blob("huge", LIMIT + 1),
    )
    .await;
    assert_eq!((code, &body), (413, &too_long), "PATCH on {label}");

    // A body of exactly 3 MiB is read, and its object is more than the API server's etcd client sends.
    let (code, body) = send(
        &client,
        "POST",
        BLOBS,
        "application/json",
        blob("b3", LIMIT),
    )
    .await;
    let message = body["message"].as_str().unwrap_or("");
    assert!(
        code == 500
            && body.get("reason").is_none()
            && message.starts_with(
                "rpc error: code = ResourceExhausted desc = trying to send message larger than max ("
            )
            && message.ends_with(" vs. 2097152)"),
        "a 3 MiB object on {label}: {code} {body}"
    );

    // Over etcd's 1.5 MiB: refused as etcd refuses it, and nothing is stored.
    let etcd = status(500, None, "etcdserver: request is too large");
    let (code, body) = send(
        &client,
        "POST",
        BLOBS,
        "application/json",
        blob("b16", 1_600_000),
    )
    .await;
    assert_eq!((code, &body), (500, &etcd), "a 1.6 MB object on {label}");
    let (code, _) = send(&client, "GET", &format!("{BLOBS}/b16"), "", vec![]).await;
    assert_eq!(code, 404, "the refused object is not stored on {label}");

    // A dry run never reaches storage.
    let (code, _) = send(
        &client,
        "POST",
        &format!("{BLOBS}?dryRun=All"),
        "application/json",
        blob("b16", 1_600_000),
    )
    .await;
    assert_eq!(code, 201, "a dry-run create of 1.6 MB on {label}");

    // Under the limit it is stored; an update that grows it past the limit is refused and changes nothing.
    let (code, created) = send(
        &client,
        "POST",
        BLOBS,
        "application/json",
        blob("b14", 1_400_000),
    )
    .await;
    assert_eq!(
        code, 201,
        "a 1.4 MB object on {label}: {}",
        created["message"]
    );
    let patch = serde_json::to_vec(&json!({"more": "y".repeat(300_000)})).unwrap();
    let (code, body) = send(
        &client,
        "PATCH",
        &format!("{BLOBS}/b14"),
        "application/merge-patch+json",
        patch,
    )
    .await;
    assert_eq!(
        (code, &body),
        (500, &etcd),
        "growing an object past 1.5 MB on {label}"
    );
    let (code, got) = send(&client, "GET", &format!("{BLOBS}/b14"), "", vec![]).await;
    assert_eq!(code, 200);
    assert!(
        got.get("more").is_none(),
        "the refused update left no trace on {label}"
    );
    assert_eq!(
        got["metadata"]["resourceVersion"], created["metadata"]["resourceVersion"],
        "on {label}"
    );
}
on_every_backend!(size_limits);
