//! DeleteOptions, on every backend: `kubectl delete --dry-run=server` (which sends `dryRun` in the body)
//! deletes nothing, and a delete or deletecollection takes `dryRun`, `propagationPolicy`,
//! `gracePeriodSeconds` and `preconditions` from its body when it has one (the query is then not read),
//! else from the query.

mod support;

use std::process::Command;

use serde_json::{json, Value};
use support::*;

const CMS: &str = "/api/v1/namespaces/default/configmaps";

async fn send(
    client: &kube::Client,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    send_json(client, method, path, "application/json", body).await
}

async fn exists(client: &kube::Client, name: &str) -> Option<Value> {
    match send(client, "GET", &format!("{CMS}/{name}"), None).await {
        (200, v) => Some(v),
        (404, _) => None,
        other => panic!("GET {name}: {other:?}"),
    }
}

async fn create(client: &kube::Client, name: &str, finalizers: &[&str]) -> Value {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "labels": {"set": "dr"}, "finalizers": finalizers},
        "data": {"k": "v"}});
    let (code, v) = send(client, "POST", CMS, Some(cm)).await;
    assert_eq!(code, 201, "create {name}: {v}");
    v
}

fn invalid_delete_options(field_error: &str) -> String {
    format!("DeleteOptions.meta.k8s.io \"\" is invalid: {field_error}")
}

async fn delete_options_come_from_the_body(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let label = bed.label();
    let client = bed.client("c1").await;
    let a = create(&client, "a", &[]).await;
    create(&client, "b", &[]).await;
    create(&client, "held", &["example.com/hold"]).await;

    // kubectl delete --dry-run=server sends {"propagationPolicy":"Background","dryRun":["All"]}.
    if let Some(kubectl) = kubectl(CURRENT_KUBECTL) {
        let cache = bed.dir().join("kubectl-cache");
        let run = |args: &[&str]| {
            let out = Command::new(&kubectl)
                .arg(format!("--kubeconfig={}", bed.kubeconfig.display()))
                .arg(format!("--cache-dir={}", cache.display()))
                .args(args)
                .output()
                .expect("kubectl runs");
            assert!(
                out.status.success(),
                "kubectl {args:?} on {label}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let out = run(&["delete", "configmap", "a", "--dry-run=server"]);
        assert_eq!(out.trim(), "configmap \"a\" deleted (server dry run)");
        let out = run(&["delete", "configmaps", "-l", "set=dr", "--dry-run=server"]);
        assert_eq!(out.lines().count(), 3, "{out}");
        for n in ["a", "b", "held"] {
            let cm = exists(&client, n).await;
            assert!(
                cm.as_ref()
                    .is_some_and(|c| c["metadata"].get("deletionTimestamp").is_none()),
                "kubectl delete --dry-run=server deleted {n} on {label}: {cm:?}"
            );
        }
    }

    // A raw dry-run delete: the Status a real delete answers, and the object is still there.
    let (code, body) = send(
        &client,
        "DELETE",
        &format!("{CMS}/a"),
        Some(json!({"dryRun": ["All"]})),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["status"], "Success", "{body}");
    assert_eq!(body["details"]["uid"], a["metadata"]["uid"], "{body}");
    assert!(
        exists(&client, "a").await.is_some(),
        "dry-run delete removed a on {label}"
    );

    // deletecollection: the dry run lists what it would delete and deletes nothing.
    let (code, body) = send(
        &client,
        "DELETE",
        &format!("{CMS}?labelSelector=set%3Ddr"),
        Some(json!({"dryRun": ["All"]})),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let mut names: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["a", "b", "held"], "on {label}");
    for n in ["a", "b"] {
        assert!(
            exists(&client, n).await.is_some(),
            "dry-run deletecollection removed {n} on {label}"
        );
    }

    // A dry-run Foreground delete of a held object answers the terminating object and changes nothing.
    let (code, body) = send(
        &client,
        "DELETE",
        &format!("{CMS}/held"),
        Some(json!({"propagationPolicy": "Foreground", "dryRun": ["All"]})),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert!(body["metadata"]["deletionTimestamp"].is_string(), "{body}");
    assert_eq!(
        body["metadata"]["finalizers"],
        json!(["example.com/hold", "foregroundDeletion"]),
        "on {label}"
    );
    let held = exists(&client, "held").await.unwrap();
    assert!(
        held["metadata"].get("deletionTimestamp").is_none(),
        "on {label}: {held}"
    );

    // Bad options in the body are refused as the API server refuses them.
    for (opts, code, message) in [
        (
            json!({"dryRun": ["Some"]}),
            422,
            invalid_delete_options(
                "dryRun: Unsupported value: [\"Some\"]: supported values: \"All\"",
            ),
        ),
        (
            json!({"propagationPolicy": "Sometimes", "dryRun": ["All"]}),
            422,
            invalid_delete_options(
                "propagationPolicy: Unsupported value: \"Sometimes\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
            ),
        ),
        (
            json!({"propagationPolicy": "Orphan", "orphanDependents": true, "dryRun": ["All"]}),
            422,
            invalid_delete_options(
                "propagationPolicy: Invalid value: \"Orphan\": orphanDependents and deletionPropagation cannot be both set",
            ),
        ),
        (
            json!({"dryRun": "All"}),
            400,
            "json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string".into(),
        ),
        (
            json!({"gracePeriodSeconds": "soon"}),
            400,
            "json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64".into(),
        ),
        (
            json!({"preconditions": {"uid": "not-the-uid"}, "dryRun": ["All"]}),
            409,
            format!(
                "Operation cannot be fulfilled on ConfigMap \"a\": the UID in the precondition (not-the-uid) does not \
                 match the UID in record ({}). The object might have been deleted and then recreated",
                a["metadata"]["uid"].as_str().unwrap()
            ),
        ),
        (
            json!({"preconditions": {"resourceVersion": "1"}}),
            409,
            format!(
                "Operation cannot be fulfilled on ConfigMap \"a\": the ResourceVersion in the precondition (1) does not \
                 match the ResourceVersion in record ({}). The object might have been modified",
                a["metadata"]["resourceVersion"].as_str().unwrap()
            ),
        ),
    ] {
        let (got, body) = send(&client, "DELETE", &format!("{CMS}/a"), Some(opts.clone())).await;
        // kube-apiserver 1.34 answers an undecodable body 500 (no reason); 1.37 answers it 400.
        let got = if code == 400 && got == 500 && body.get("reason").is_none() {
            400
        } else {
            got
        };
        assert_eq!(
            (got, body["message"].as_str().unwrap_or("")),
            (code, message.as_str()),
            "DELETE with {opts} on {label}: {body}"
        );
    }
    assert!(
        exists(&client, "a").await.is_some(),
        "a refused delete removed a on {label}"
    );

    // Matching preconditions, a grace period and Orphan from the body: the held object is marked.
    let held_meta = &held["metadata"];
    let (code, body) = send(
        &client,
        "DELETE",
        &format!("{CMS}/held"),
        Some(json!({"propagationPolicy": "Orphan", "gracePeriodSeconds": 0,
            "preconditions": {"uid": held_meta["uid"], "resourceVersion": held_meta["resourceVersion"]}})),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert!(body["metadata"]["deletionTimestamp"].is_string(), "{body}");
    assert_eq!(
        body["metadata"]["finalizers"],
        json!(["example.com/hold", "orphan"]),
        "on {label}"
    );

    // With a body the query is not read: dryRun=All in the query does not make it a dry run...
    let (code, body) = send(
        &client,
        "DELETE",
        &format!("{CMS}/b?dryRun=All"),
        Some(json!({})),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert!(
        exists(&client, "b").await.is_none(),
        "b is deleted on {label}"
    );
    // ... and without one the query is: a dry run, then a real delete.
    let (code, body) = send(&client, "DELETE", &format!("{CMS}/a?dryRun=All"), None).await;
    assert_eq!(code, 200, "{body}");
    assert!(
        exists(&client, "a").await.is_some(),
        "a query dry run removed a on {label}"
    );
    let (code, body) = send(&client, "DELETE", &format!("{CMS}/a?dryRun=Some"), None).await;
    assert_eq!(
        (code, body["message"].as_str().unwrap_or("")),
        (
            422,
            invalid_delete_options(
                "dryRun: Unsupported value: [\"Some\"]: supported values: \"All\""
            )
            .as_str()
        ),
        "on {label}"
    );
    let (code, body) = send(&client, "DELETE", &format!("{CMS}/a"), None).await;
    assert_eq!(code, 200, "{body}");
    assert!(
        exists(&client, "a").await.is_none(),
        "a is deleted on {label}"
    );
}
on_every_backend!(delete_options_come_from_the_body);
