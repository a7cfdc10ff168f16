//! `kubefedctl diff` through the binary against sandbox clusters: what the next reconcile would do, exit codes
//! like `kubectl diff`, and not one write anywhere.

mod support;

use serde_json::{json, Value};
use support::*;

/// Resource versions of everything a diff could touch: the federated object and its copies in the members.
async fn snapshot(p: &Plane) -> Vec<Option<String>> {
    let mut out = Vec::new();
    let f = get(&p.host, &federated("ConfigMap"), Some("app"), "web").await;
    out.push(f.map(|f| f["metadata"]["resourceVersion"].to_string()));
    for m in ["m1", "m2"] {
        out.push(
            p.configmap(m, "app", "web")
                .await
                .map(|c| c["metadata"]["resourceVersion"].to_string()),
        );
    }
    out
}

/// Mutating requests, not counting APPLY (the sandbox counts dry-run applies as APPLY; the resource versions
/// show they changed nothing) nor the permission reviews a pass asks with a POST.
fn non_apply_writes(p: &Plane) -> Vec<(String, u64)> {
    p.sb.names()
        .into_iter()
        .map(|n| {
            let w =
                p.sb.cluster(&n)
                    .unwrap()
                    .metrics
                    .stored(&["POST", "PUT", "PATCH", "DELETE"]);
            (n, w)
        })
        .collect()
}

async fn configmap_plane() -> Plane {
    let p = plane(&["m1", "m2"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({
            "template": {"data": {"color": "blue", "size": "L"}},
            "placement": {"clusters": [{"name": "m1"}, {"name": "m2"}]},
            "overrides": [{"clusterName": "m2", "clusterOverrides": [{"path": "/data/size", "value": "XL"}]}]
        }),
    )
    .await;
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn before_reconcile_diff_shows_the_creates_exits_1_and_writes_nothing() {
    let p = configmap_plane().await;
    let before_writes = non_apply_writes(&p);
    let before = snapshot(&p).await;

    let (code, out, err) = p.cli(&["diff", "configmaps", "-n", "app"]).await;
    assert_eq!(code, 1, "stdout:\n{out}\nstderr:\n{err}");
    assert!(
        out.contains("# create ConfigMap app/web in cluster \"m1\"\n--- live/m1/app/web\n+++ merged/m1/app/web\n"),
        "{out}"
    );
    assert!(out.contains("+++ merged/m2/app/web"), "{out}");
    assert!(out.contains("+  size: XL"), "{out}");
    assert!(out.contains("+  size: L\n"), "{out}");
    assert!(
        out.contains("+    kubefed.io/managed: 'true'")
            || out.contains("+    kubefed.io/managed: \"true\""),
        "{out}"
    );

    assert_eq!(non_apply_writes(&p), before_writes, "diff sent a write");
    assert_eq!(snapshot(&p).await, before);
    assert!(p.configmap("m1", "app", "web").await.is_none());
    // Not even the finalizer or the status of the federated object were written.
    let f = get(&p.host, &federated("ConfigMap"), Some("app"), "web")
        .await
        .unwrap();
    assert!(f["metadata"].get("finalizers").is_none());
    assert!(f.get("status").is_none_or(Value::is_null));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_reconcile_diff_is_empty_and_exits_0_then_a_template_change_shows_its_field() {
    let p = configmap_plane().await;
    p.once().await;

    let (code, out, err) = p.cli(&["diff", "-A"]).await;
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    assert_eq!(out, "");

    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"template": {"data": {"color": "green"}}}}),
    )
    .await;
    let before_writes = non_apply_writes(&p);
    let before = snapshot(&p).await;
    let (code, out, err) = p.cli(&["diff", "configmaps", "web", "-n", "app"]).await;
    assert_eq!(code, 1, "stdout:\n{out}\nstderr:\n{err}");
    assert!(
        out.contains("# update ConfigMap app/web in cluster \"m1\"\n--- live/m1/app/web\n+++ merged/m1/app/web\n@@ "),
        "{out}"
    );
    assert!(out.contains("-  color: blue\n+  color: green\n"), "{out}");
    // Unchanged fields are context at most, never changes.
    assert!(!out.contains("-  size"), "{out}");
    assert!(!out.contains("resourceVersion"), "{out}");
    assert!(!out.contains("managedFields"), "{out}");
    assert_eq!(non_apply_writes(&p), before_writes, "diff sent a write");
    assert_eq!(snapshot(&p).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_deselected_cluster_shows_the_deletion() {
    let p = configmap_plane().await;
    p.once().await;
    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"placement": {"clusters": [{"name": "m1"}]}}}),
    )
    .await;
    let (code, out, err) = p.cli(&["diff", "configmaps", "-n", "app"]).await;
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("# delete ConfigMap app/web in cluster \"m2\"\n--- live/m2/app/web\n+++ merged/m2/app/web\n@@ -1,"),
        "{out}"
    );
    assert!(out.contains(" +0,0 @@"), "{out}");
    assert!(!out.contains("cluster \"m1\""), "{out}");
    assert!(p.configmap("m2", "app", "web").await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unreachable_member_makes_diff_exit_3_with_the_other_members_diffs() {
    let mut p = configmap_plane().await;
    p.once().await;
    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"template": {"data": {"color": "red"}}}}),
    )
    .await;
    p.sb.stop("m2").await.unwrap();
    let (code, out, err) = p.cli(&["diff", "-A"]).await;
    assert_eq!(code, 3, "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.contains("+++ merged/m1/app/web"), "{out}");
    assert!(!out.contains("merged/m2/"), "{out}");
    assert!(
        err.contains("m2") && err.contains("ClusterNotReady"),
        "{err}"
    );
    p.sb.resume("m2").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unknown_type_is_a_usage_error_and_a_missing_control_plane_exits_2_not_1() {
    let p = configmap_plane().await;
    let (code, _, err) = p.cli(&["diff", "widgets"]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("widgets"), "{err}");
    let (code, _, err) = p.cli(&["diff", "--kubefed-namespace", "nowhere"]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("KubeFedConfig"), "{err}");
    let (code, _, err) = p.cli(&["diff", "configmaps", "nope", "-n", "app"]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("\"nope\""), "{err}");
}

/// An override that cannot be applied in one member is the object's fault, not the cluster's: `diff` and
/// `reconcile --once` both exit 3 and point at the override (object, cluster, where in spec.overrides), not at
/// `kubefedctl clusters`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_override_that_cannot_be_applied_gets_a_hint_naming_it() {
    let p = plane(&["m1", "m2"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({
            "template": {"data": {"color": "blue"}},
            "placement": {"clusters": [{"name": "m1"}, {"name": "m2"}]},
            "overrides": [{"clusterName": "m2", "clusterOverrides": [
                {"path": "/data/color", "value": "red"},
                {"op": "add", "path": "/metadata/annotations/team", "value": "a"}]}]
        }),
    )
    .await;
    let expected = "hint: fix or remove the override at spec.overrides[0].clusterOverrides[1] for cluster \"m2\" \
                    of federated configmaps app/web (kubectl edit it), or set the overrides anew with \
                    `kubefedctl federate configmaps web -n app --overwrite --override CLUSTER:PATH=VALUE ...`";
    let (code, out, err) = p.cli(&["diff", "-A"]).await;
    assert_eq!(code, 3, "stdout:\n{out}\nstderr:\n{err}");
    assert!(
        out.contains("+++ merged/m1/app/web"),
        "m1 is still compared: {out}"
    );
    assert!(
        err.contains(&format!("{expected}; then run diff again")),
        "{err}"
    );
    assert!(!err.contains("kubefedctl clusters"), "{err}");

    let (code, _, err) = p.cli(&["reconcile", "--once"]).await;
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("ApplyOverridesFailed") || err.contains("cannot add"),
        "{err}"
    );
    assert!(err.contains(expected), "{err}");
    assert!(p.configmap("m1", "app", "web").await.is_some());
    assert!(p.configmap("m2", "app", "web").await.is_none());
}
