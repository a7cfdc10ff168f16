//! The whole lifecycle of a federation, driven through the binary as an operator drives it, on every
//! backend: sandbox clusters and real kube-apiservers (v1.37 and v1.34). The same scenario code runs on
//! each, and convergence is measured by the servers themselves: after a pass, another pass sends no write
//! to any cluster and `diff` shows nothing.

mod support;

use std::collections::BTreeMap;

use serde_json::{json, Value};
use support::*;

const NS: &str = "kube-federation-system";

fn widgets() -> kube::core::ApiResource {
    ar("example.com", "v1", "Widget", "widgets")
}

fn widget_crd() -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
            "versions": [{"name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "properties": {
                        "size": {"type": "integer"}, "color": {"type": "string"}}}}}}}]}
    })
}

/// Asserts that a pass over converged state sends no write to any cluster, reports nothing to do, and that
/// `diff` then finds no difference.
async fn assert_converged(bed: &Bed, what: &str) {
    let before = bed.writes().await;
    let out = bed.expect(
        bed.run(&["reconcile", "--once", "-o", "json"]).await,
        0,
        &format!("{what}: a second pass"),
    );
    let report: Value = serde_json::from_str(&out).expect("json report");
    let acted: Vec<&Value> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] != "none")
        .collect();
    assert!(
        acted.is_empty(),
        "{what}: a second pass on {} still acts: {acted:#?}",
        bed.label()
    );
    let after = bed.writes().await;
    if after != before {
        let mut log = Vec::new();
        for (cluster, n) in &after {
            let new = n - before.get(cluster).copied().unwrap_or(0);
            if new > 0 {
                log.push(format!(
                    "{cluster}: {:?}",
                    bed.tb.recent_writes(cluster, new as usize).await
                ));
            }
        }
        panic!(
            "{what}: a second pass on {} sent writes: {before:?} -> {after:?}\n{}",
            bed.label(),
            log.join("\n")
        );
    }
    let diff = bed.run(&["diff", "-A"]).await;
    let text = bed.expect(diff, 0, &format!("{what}: diff after a pass"));
    assert_eq!(text, "", "{what}: diff after a pass on {}", bed.label());
}

fn records<'a>(report: &'a Value, cluster: &str, name: &str) -> Vec<&'a Value> {
    report["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["cluster"] == cluster && r["name"] == name)
        .collect()
}

/// The source objects of the `shop` namespace in the host, as `kubectl create` would make them.
async fn shop(bed: &Bed) {
    bed.apply(
        "host",
        &core("Namespace", "namespaces"),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {"team": "web"}}}),
    )
    .await;
    bed.apply(
        "host",
        &core("ConfigMap", "configmaps"),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "settings", "namespace": "shop", "labels": {"app": "web"}},
            "data": {"color": "blue", "size": "10"}}),
    )
    .await;
    bed.apply(
        "host",
        &core("Secret", "secrets"),
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds", "namespace": "shop"},
            "type": "Opaque", "stringData": {"password": "hunter2"}}),
    )
    .await;
    bed.apply(
        "host",
        &core("Service", "services"),
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}),
    )
    .await;
    bed.apply(
        "host",
        &ar("apps", "v1", "Deployment", "deployments"),
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop",
                "labels": {"app": "web"}},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1.27",
                        "ports": [{"containerPort": 8080}],
                        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]}}}}),
    )
    .await;
    bed.apply(
        "host",
        &widgets(),
        json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "gadget", "namespace": "shop"},
            "spec": {"size": 3, "color": "red"}}),
    )
    .await;
}

/// init (idempotent), join of two members and of the host itself, enable of a CRD type, federate of a
/// namespace with its contents, a ConfigMap placed by clusterSelector, overrides, reconcile (report, exit
/// codes), a second pass that writes nothing, diff, status, a ReplicaSchedulingPreference, orphaning,
/// deletion, unjoin and teardown.
async fn lifecycle(backend: Backend) {
    let bed = Bed::start(&backend, &["host", "member1", "member2"]).await;
    let label = bed.label();

    // init, twice: the second writes nothing.
    bed.expect(bed.run(&["init"]).await, 0, "init");
    let before = bed.writes().await;
    let out = bed.expect(bed.run(&["init"]).await, 0, "second init");
    assert!(out.lines().all(|l| l.ends_with(" unchanged")), "{out}");
    assert_eq!(
        bed.writes().await,
        before,
        "a second init writes nothing on {label}"
    );

    // A CRD type every cluster serves.
    for c in ["host", "member1", "member2"] {
        bed.apply(c, &crd_ar(), widget_crd()).await;
        until_established(&bed.client(c).await, "widgets.example.com", 30).await;
    }

    for (name, region) in [("member1", "eu"), ("member2", "us")] {
        let out = bed.expect(
            bed.run(&[
                "join",
                name,
                "--cluster-context",
                name,
                "--host-cluster-context",
                "host",
                "--label",
                &format!("region={region}"),
            ])
            .await,
            0,
            "join",
        );
        assert!(
            out.contains(&format!("kubefedcluster.core.kubefed.io/{name} created")),
            "{out}"
        );
    }
    bed.expect(
        bed.run(&["join", "host", "--host-cluster-context", "host"])
            .await,
        0,
        "self-join",
    );
    let out = bed.expect(bed.run(&["clusters", "-o", "json"]).await, 0, "clusters");
    let clusters: Value = serde_json::from_str(&out).unwrap();
    let ready: BTreeMap<String, Value> = clusters
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["ready"].clone()))
        .collect();
    assert_eq!(ready.len(), 3, "{out}");
    assert!(
        ready.values().all(|r| r == true),
        "every member ready on {label}: {out}"
    );

    bed.expect(
        bed.run(&["enable", "widgets.example.com"]).await,
        0,
        "enable a CRD type",
    );

    // federate the namespace with everything in it.
    shop(&bed).await;
    let out = bed
        .run(&["federate", "namespaces", "shop", "--contents"])
        .await;
    let text = bed.expect(out, 0, "federate namespaces shop --contents");
    for created in [
        "federatednamespace.types.kubefed.io/shop created",
        "federatedconfigmap.types.kubefed.io/settings created",
        "federatedsecret.types.kubefed.io/creds created",
        "federatedservice.types.kubefed.io/web created",
        "federateddeployment.types.kubefed.io/web created",
        "federatedwidget.types.kubefed.io/gadget created",
    ] {
        assert!(text.contains(created), "{created} in:\n{text}");
    }
    assert_eq!(
        text.lines().count(),
        6,
        "only the user's objects are federated on {label}:\n{text}"
    );
    // Running it again changes nothing: what the server stored compares equal to what would be made.
    let before = bed.writes().await;
    let again = bed
        .run(&["federate", "namespaces", "shop", "--contents"])
        .await;
    let warnings = stderr(&again);
    let text = bed.expect(again, 0, "federate --contents again");
    assert_eq!(
        text.lines().filter(|l| l.ends_with(" unchanged")).count(),
        6,
        "every object unchanged on {label}:\n{text}\n{warnings}"
    );
    assert!(!warnings.contains("already exists"), "{warnings}");
    assert_eq!(
        bed.writes().await,
        before,
        "a second federate writes nothing on {label}"
    );

    // A ConfigMap only for the eu region, and an override of the Deployment's replicas for member2.
    bed.apply(
        "host",
        &federated("ConfigMap"),
        json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedConfigMap",
            "metadata": {"name": "eu-only", "namespace": "shop"},
            "spec": {"template": {"data": {"region": "eu"}},
                "placement": {"clusterSelector": {"matchLabels": {"region": "eu"}}}}}),
    )
    .await;
    bed.merge(
        "host",
        &federated("Deployment"),
        Some("shop"),
        "web",
        json!({"spec": {"overrides": [{"clusterName": "member2",
            "clusterOverrides": [{"path": "/spec/replicas", "value": 5}]}]}}),
    )
    .await;

    let out = bed.expect(
        bed.run(&["reconcile", "--once", "-o", "json"]).await,
        0,
        "first pass",
    );
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["totals"]["failed"], 0, "{out}");
    for m in ["member1", "member2"] {
        let r = records(&report, m, "settings");
        assert_eq!(r.len(), 1, "{out}");
        assert_eq!(r[0]["action"], "create");
    }
    // The host's own objects are adopted, not created.
    assert_eq!(
        records(&report, "host", "settings")[0]["action"],
        "adopt",
        "{out}"
    );

    let deploy = ar("apps", "v1", "Deployment", "deployments");
    let m1 = bed
        .get("member1", &deploy, Some("shop"), "web")
        .await
        .expect("deployment in member1");
    let m2 = bed
        .get("member2", &deploy, Some("shop"), "web")
        .await
        .expect("deployment in member2");
    assert_eq!(m1["spec"]["replicas"], 2);
    assert_eq!(m2["spec"]["replicas"], 5, "override applied on {label}");
    assert_eq!(m1["metadata"]["labels"]["kubefed.io/managed"], "true");
    let cm = core("ConfigMap", "configmaps");
    assert!(bed
        .get("member1", &cm, Some("shop"), "eu-only")
        .await
        .is_some());
    assert!(
        bed.get("member2", &cm, Some("shop"), "eu-only")
            .await
            .is_none(),
        "placement by region"
    );
    let secret = bed
        .get("member2", &core("Secret", "secrets"), Some("shop"), "creds")
        .await
        .unwrap();
    assert_eq!(
        secret["data"]["password"], "aHVudGVyMg==",
        "the Secret's data reached member2"
    );
    let w = bed
        .get("member1", &widgets(), Some("shop"), "gadget")
        .await
        .expect("widget in member1");
    assert_eq!(w["spec"], json!({"size": 3, "color": "red"}));

    assert_converged(&bed, "after federating a namespace").await;

    // status: one row per object × cluster, all OK.
    let out = bed.expect(
        bed.run(&["status", "-n", "shop", "-o", "json"]).await,
        0,
        "status",
    );
    let rows: Value = serde_json::from_str(&out).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(rows.len() >= 6 * 3, "{out}");
    assert!(rows.iter().all(|r| r["status"] == ""), "{out}");

    // A template change reaches every member, and is shown by diff first.
    bed.merge(
        "host",
        &federated("ConfigMap"),
        Some("shop"),
        "settings",
        json!({"spec": {"template": {"data": {"color": "green"}}}}),
    )
    .await;
    let diff = bed
        .run(&["diff", "configmaps", "settings", "-n", "shop"])
        .await;
    let text = bed.expect(diff, 1, "diff of a changed template");
    assert!(
        text.contains("-  color: blue") && text.contains("+  color: green"),
        "{text}"
    );
    bed.expect(
        bed.run(&["reconcile", "--once"]).await,
        0,
        "pass after a template change",
    );
    for m in ["host", "member1", "member2"] {
        let o = bed.get(m, &cm, Some("shop"), "settings").await.unwrap();
        assert_eq!(o["data"]["color"], "green", "{m} on {label}");
    }
    assert_converged(&bed, "after a template change").await;

    // Replica scheduling: 9 replicas split over the two members by weight.
    bed.apply(
        "host",
        &ar("scheduling.kubefed.io", "v1alpha1", "ReplicaSchedulingPreference", "replicaschedulingpreferences"),
        json!({"apiVersion": "scheduling.kubefed.io/v1alpha1", "kind": "ReplicaSchedulingPreference",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"targetKind": "FederatedDeployment", "totalReplicas": 9,
                "clusters": {"member1": {"weight": 2}, "member2": {"weight": 1}}}}),
    )
    .await;
    bed.expect(
        bed.run(&["reconcile", "--once"]).await,
        0,
        "pass with an RSP",
    );
    let r1 = bed
        .get("member1", &deploy, Some("shop"), "web")
        .await
        .unwrap()["spec"]["replicas"]
        .clone();
    let r2 = bed
        .get("member2", &deploy, Some("shop"), "web")
        .await
        .unwrap()["spec"]["replicas"]
        .clone();
    assert_eq!((r1, r2), (json!(6), json!(3)), "RSP split on {label}");
    assert_converged(&bed, "after scheduling").await;

    // Orphaning: deleting an orphaned federated object leaves its copies, unmanaged.
    bed.expect(
        bed.run(&[
            "orphaning-deletion",
            "enable",
            "FederatedConfigMap",
            "eu-only",
            "-n",
            "shop",
        ])
        .await,
        0,
        "orphaning-deletion enable",
    );
    let client = bed.client("host").await;
    api(&client, &federated("ConfigMap"), Some("shop"))
        .delete("eu-only", &Default::default())
        .await
        .unwrap();
    bed.expect(
        bed.run(&["reconcile", "--once"]).await,
        0,
        "pass deleting an orphaned object",
    );
    let kept = bed
        .get("member1", &cm, Some("shop"), "eu-only")
        .await
        .expect("orphaned copy stays");
    assert!(
        kept["metadata"]["labels"]
            .get("kubefed.io/managed")
            .is_none(),
        "{kept}"
    );
    eventually(30, "the orphaned federated object to go", || async {
        bed.get("host", &federated("ConfigMap"), Some("shop"), "eu-only")
            .await
            .is_none()
            .then_some(())
    })
    .await;

    // Deleting a federated object deletes its members' copies.
    api(&client, &federated("Widget"), Some("shop"))
        .delete("gadget", &Default::default())
        .await
        .unwrap();
    bed.expect(
        bed.run(&["reconcile", "--once"]).await,
        0,
        "pass deleting a federated object",
    );
    for m in ["member1", "member2"] {
        eventually(30, &format!("widget gone from {m}"), || async {
            bed.get(m, &widgets(), Some("shop"), "gadget")
                .await
                .is_none()
                .then_some(())
        })
        .await;
    }
    assert_converged(&bed, "after deletions").await;

    // unjoin member2: its registration and credentials go, and its kubefed namespace with them; what
    // was propagated there stays, released (nothing in it still looks managed), and unjoin says so.
    let unjoined = bed
        .run(&[
            "unjoin",
            "member2",
            "--cluster-context",
            "member2",
            "--host-cluster-context",
            "host",
        ])
        .await;
    let said = stderr(&unjoined);
    bed.expect(unjoined, 0, "unjoin");
    let released: usize = said
        .lines()
        .find_map(|l| l.strip_prefix("cluster member2: "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unjoin says what it released on {label}: {said}"));
    assert!(
        said.contains("managed object(s) released (unlabelled, left in place)"),
        "{said}"
    );
    assert!(
        released >= 3,
        "the namespace, ConfigMap, Deployment... on {label}: {said}"
    );
    let left = bed
        .get("member2", &cm, Some("shop"), "settings")
        .await
        .expect("a released object stays");
    assert!(
        left["metadata"]["labels"]
            .get("kubefed.io/managed")
            .is_none(),
        "{left}"
    );
    let kfc = ar(
        "core.kubefed.io",
        "v1beta1",
        "KubeFedCluster",
        "kubefedclusters",
    );
    assert!(bed.get("host", &kfc, Some(NS), "member2").await.is_none());
    eventually(60, "member2's kubefed namespace to go", || async {
        bed.get("member2", &core("Namespace", "namespaces"), None, NS)
            .await
            .is_none()
            .then_some(())
    })
    .await;

    // teardown removes the control plane; the members keep nothing managed from it.
    bed.expect(bed.run(&["teardown", "--yes"]).await, 0, "teardown");
    assert!(
        bed.get("host", &crd_ar(), None, "kubefedclusters.core.kubefed.io")
            .await
            .is_none()
            || bed
                .get("host", &crd_ar(), None, "kubefedclusters.core.kubefed.io")
                .await
                .unwrap()["metadata"]
                .get("deletionTimestamp")
                .is_some()
    );
    assert!(
        bed.get("member1", &cm, Some("shop"), "settings")
            .await
            .is_none(),
        "teardown deleted what it propagated"
    );
}
on_every_backend!(lifecycle);

/// Creates `n` FederatedConfigMaps `cm-0000`… in namespace `ns` of the host (placed everywhere).
async fn federated_configmaps(bed: &Bed, ns: &str, n: usize, value: &str) {
    let client = bed.client("host").await;
    let api = api(&client, &federated("ConfigMap"), Some(ns));
    futures::future::join_all((0..n).map(|i| {
        let api = api.clone();
        let value = value.to_string();
        async move {
            let name = format!("cm-{i:04}");
            let obj = json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedConfigMap",
                "metadata": {"name": name, "namespace": ns},
                "spec": {"template": {"data": {"value": value}}, "placement": {"clusterSelector": {}}}});
            api.patch(&name, &kube::api::PatchParams::apply("test").force(), &kube::api::Patch::Apply(&obj))
                .await
                .unwrap_or_else(|e| panic!("federated configmap {name}: {e}"));
        }
    }))
    .await;
}

async fn configmap_names(bed: &Bed, cluster: &str, ns: &str) -> Vec<String> {
    let client = bed.client(cluster).await;
    let list = api(&client, &core("ConfigMap", "configmaps"), Some(ns))
        .list(&Default::default())
        .await
        .unwrap();
    let mut names: Vec<String> = list
        .items
        .iter()
        .filter_map(|o| o.metadata.name.clone())
        .filter(|n| n.starts_with("cm-"))
        .collect();
    names.sort();
    names
}

/// How a member fails in the middle of a pass.
#[derive(Clone, Copy, PartialEq)]
enum MidPassFailure {
    /// The server dies: connections dropped, new ones refused.
    Killed,
    /// The server freezes: connections accepted, nothing answered.
    Frozen,
    /// The server freezes, and the pass runs with a request timeout longer than the test would wait: only
    /// the pass deadline (`--timeout`) ends it.
    FrozenPastDeadline,
}

/// member2 fails once it has taken some of a pass's updates. The pass still ends (bounded: a hung pass is
/// a failure) with exit 3, member2's objects reported failed (a killed member) or timed out (a frozen one),
/// and member1 given every update; nothing is deleted in member2; once it is back, one pass converges it
/// and the next writes nothing.
async fn member_fails_mid_pass(backend: Backend, failure: MidPassFailure) {
    let mut bed = Bed::start(&backend, &["host", "member1", "member2"]).await;
    bed.expect(bed.run(&["init"]).await, 0, "init");
    bed.join(&["member1", "member2"]).await;
    federated_namespace(&bed, "bulk").await;
    const N: usize = 300;
    federated_configmaps(&bed, "bulk", N, "v1").await;
    bed.expect(bed.run(&["reconcile", "--once"]).await, 0, "first pass");
    assert_eq!(configmap_names(&bed, "member2", "bulk").await.len(), N);

    // Every template changes; member2 fails once it has taken some of the updates.
    federated_configmaps(&bed, "bulk", N, "v2").await;
    let start = bed.tb.writes("member2").await.unwrap();
    let mut args = vec!["reconcile", "--once", "-o", "json", "--concurrency", "4"];
    match failure {
        MidPassFailure::Killed => {}
        MidPassFailure::Frozen => args.extend(["--request-timeout", "3s"]),
        MidPassFailure::FrozenPastDeadline => {
            args.extend(["--request-timeout", "10m", "--timeout", "20s"])
        }
    }
    let frozen = failure != MidPassFailure::Killed;
    let pass = bed.spawn(&args);
    let pid = pass.id();
    eventually(60, "member2 to take a few updates", || async {
        (bed.tb.writes("member2").await.unwrap() >= start + 10).then_some(())
    })
    .await;
    if frozen {
        bed.tb.freeze("member2").unwrap();
    } else {
        bed.kill("member2").await;
    }
    let label = bed.label();
    let out = match tokio::time::timeout(std::time::Duration::from_secs(120), finish(pass)).await {
        Ok(out) => out,
        Err(_) => {
            // SAFETY: kill(2) of the child this test spawned, still unreaped (finish is waiting on it).
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            if frozen {
                bed.tb.thaw("member2").unwrap();
            }
            panic!("the pass hung on a failed member on {label}");
        }
    };
    assert_eq!(
        out.status.code(),
        Some(3),
        "a pass with a failed member on {label}:\n{}",
        stderr(&out)
    );
    let report: Value = serde_json::from_str(&stdout(&out)).expect("json report");
    let failed: Vec<&str> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["cluster"] == "member2" && r["status"] != "")
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    match failure {
        MidPassFailure::Killed => {
            assert!(
                !failed.is_empty(),
                "member2's failures are reported on {label}"
            );
            for status in &failed {
                assert!(
                    ["UpdateFailed", "ClusterNotReady", "CachedRetrievalFailed"].contains(status),
                    "{status}"
                );
            }
        }
        MidPassFailure::Frozen => assert!(
            failed.contains(&"UpdateTimedOut"),
            "member2's updates are reported timed out on {label}: {failed:?}"
        ),
        MidPassFailure::FrozenPastDeadline => {
            let cut: Vec<&Value> = report["records"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["cluster"] == "member2" && r["status"] == "UpdateTimedOut")
                .collect();
            assert!(
                !cut.is_empty(),
                "member2's updates are reported timed out on {label}: {failed:?}"
            );
            assert!(
                cut.iter().all(|r| r["error"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("pass deadline (--timeout)")),
                "the pass deadline is named on {label}: {cut:#?}"
            );
        }
    }
    let cm = core("ConfigMap", "configmaps");
    // Past the deadline, member1's remaining updates were cut short too: only the bounded end is checked.
    let member1_checked = if failure == MidPassFailure::FrozenPastDeadline {
        Vec::new()
    } else {
        vec![0, N / 2, N - 1]
    };
    for i in member1_checked {
        let o = bed
            .get("member1", &cm, Some("bulk"), &format!("cm-{i:04}"))
            .await
            .unwrap();
        assert_eq!(o["data"]["value"], "v2", "member1 converged on {label}");
    }

    if failure == MidPassFailure::Killed {
        // A pass while member2 is still down records it as KubeFed does: ClusterNotReady for that
        // cluster, Propagation False with CheckClusters; the report, status and exit code agree.
        let o = bed.run(&["reconcile", "--once", "-o", "json"]).await;
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
        let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(
            records(&report, "member2", "cm-0000")[0]["status"],
            "ClusterNotReady"
        );
        let f = bed
            .get("host", &federated("ConfigMap"), Some("bulk"), "cm-0000")
            .await
            .unwrap();
        assert_eq!(
            f["status"]["clusters"],
            json!([{"name": "member1"}, {"name": "member2", "status": "ClusterNotReady"}]),
            "on {label}"
        );
        let cond = &f["status"]["conditions"][0];
        assert_eq!(
            (&cond["type"], &cond["status"], &cond["reason"]),
            (
                &json!("Propagation"),
                &json!("False"),
                &json!("CheckClusters")
            ),
            "on {label}: {cond}"
        );
        let st = bed
            .run(&["status", "configmaps", "cm-0000", "-n", "bulk"])
            .await;
        let text = stdout(&st);
        assert!(
            text.lines()
                .any(|l| l.starts_with("member2") && l.contains("ClusterNotReady")),
            "status shows it on {label}:\n{text}"
        );
    }
    if frozen {
        bed.tb.thaw("member2").unwrap();
    } else {
        bed.resume("member2").await;
    }
    assert_eq!(
        configmap_names(&bed, "member2", "bulk").await.len(),
        N,
        "nothing deleted in member2 on {label}"
    );
    bed.expect(
        bed.run(&["reconcile", "--once"]).await,
        0,
        "the pass after member2 is back",
    );
    for i in [0, N - 1] {
        let o = bed
            .get("member2", &cm, Some("bulk"), &format!("cm-{i:04}"))
            .await
            .unwrap();
        assert_eq!(o["data"]["value"], "v2");
    }
    assert_converged(&bed, "after a member came back").await;
}

async fn member_killed_mid_pass(backend: Backend) {
    member_fails_mid_pass(backend, MidPassFailure::Killed).await;
}
on_every_backend!(member_killed_mid_pass);

async fn member_frozen_mid_pass(backend: Backend) {
    member_fails_mid_pass(backend, MidPassFailure::Frozen).await;
}
on_every_backend!(member_frozen_mid_pass);

async fn pass_deadline_ends_a_pass_held_by_a_frozen_member(backend: Backend) {
    member_fails_mid_pass(backend, MidPassFailure::FrozenPastDeadline).await;
}
on_every_backend!(pass_deadline_ends_a_pass_held_by_a_frozen_member);

/// Sets the placement of FederatedConfigMaps `cm-<i>` in `ns` (their templates unchanged).
async fn place_configmaps(bed: &Bed, ns: &str, indexes: std::ops::Range<usize>, placement: Value) {
    let client = bed.client("host").await;
    let api = api(&client, &federated("ConfigMap"), Some(ns));
    for i in indexes {
        let name = format!("cm-{i:04}");
        api.patch(
            &name,
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(json!({"spec": {"placement": placement}})),
        )
        .await
        .unwrap_or_else(|e| panic!("placement of {name}: {e}"));
    }
}

async fn delete_federated_configmaps(bed: &Bed, ns: &str, indexes: std::ops::Range<usize>) {
    let client = bed.client("host").await;
    let api = api(&client, &federated("ConfigMap"), Some(ns));
    for i in indexes {
        let name = format!("cm-{i:04}");
        api.delete(&name, &Default::default())
            .await
            .unwrap_or_else(|e| panic!("delete {name}: {e}"));
    }
}

/// What a JSON report says of one cluster's deletions: `(deletions, overBudget)`.
fn deletions_of(report: &Value, cluster: &str) -> Option<(u64, bool)> {
    report["deletions"].as_array()?.iter().find_map(|d| {
        (d["cluster"] == cluster).then(|| {
            (
                d["deletions"].as_u64().unwrap(),
                d["overBudget"].as_bool().unwrap(),
            )
        })
    })
}

/// A change that would delete more member objects than the budget (by default 10 % of a cluster's
/// managed objects, at least 10) deletes nothing in that cluster until consent is given; --dry-run shows
/// the count first; a cluster within its budget still deletes what it must.
async fn mass_deletion_needs_consent(backend: Backend) {
    let bed = Bed::start(&backend, &["host", "member1", "member2"]).await;
    let label = bed.label();
    bed.expect(bed.run(&["init"]).await, 0, "init");
    bed.join(&["member1", "member2"]).await;
    federated_namespace(&bed, "bulk").await;
    const N: usize = 30;
    federated_configmaps(&bed, "bulk", N, "v1").await;
    bed.expect(bed.run(&["reconcile", "--once"]).await, 0, "first pass");

    // One bad commit: 20 of the 30 federated ConfigMaps deleted (budget: 10 per cluster).
    delete_federated_configmaps(&bed, "bulk", 0..20).await;
    let before = bed.writes().await;
    let preview = bed
        .run(&["reconcile", "--once", "--dry-run", "-o", "json"])
        .await;
    assert_eq!(
        preview.status.code(),
        Some(3),
        "a dry run over budget on {label}: {}",
        stderr(&preview)
    );
    let report: Value = serde_json::from_str(&stdout(&preview)).unwrap();
    for m in ["member1", "member2"] {
        assert_eq!(deletions_of(&report, m), Some((20, true)), "{m} on {label}");
    }
    assert!(
        stderr(&preview).contains("reconcile would stop and delete nothing there"),
        "{}",
        stderr(&preview)
    );
    let d = bed.run(&["diff", "-A"]).await;
    assert_eq!(
        d.status.code(),
        Some(1),
        "diff shows the deletions on {label}"
    );
    assert!(
        stderr(&d).contains("this pass would delete 20 of its 31 managed objects"),
        "diff says a reconcile would stop on {label}: {}",
        stderr(&d)
    );
    let o = bed.run(&["reconcile", "--once", "-o", "json"]).await;
    assert_eq!(o.status.code(), Some(3), "over budget on {label}");
    let err = stderr(&o);
    assert!(
        err.contains(
            "this pass has to delete 20 of its 31 managed objects, over the deletion budget of 10"
        ) && err.contains("--max-deletions 20 or --allow-mass-deletion"),
        "{err}"
    );
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let held = records(&report, "member1", "cm-0000");
    assert_eq!(held[0]["status"], "DeletionBudgetExceeded", "{held:?}");
    assert_eq!(
        bed.writes().await,
        before,
        "nothing written anywhere on {label}"
    );
    for m in ["member1", "member2"] {
        assert_eq!(
            configmap_names(&bed, m, "bulk").await.len(),
            N,
            "{m} on {label}"
        );
    }
    assert!(
        bed.get("host", &federated("ConfigMap"), Some("bulk"), "cm-0000")
            .await
            .is_some(),
        "the federated object waits (finalizer) on {label}"
    );

    // Consent by a budget: the deletions go through in both members.
    bed.expect(
        bed.run(&["reconcile", "--once", "--max-deletions", "20"])
            .await,
        0,
        "a pass within the raised budget",
    );
    for m in ["member1", "member2"] {
        assert_eq!(
            configmap_names(&bed, m, "bulk").await.len(),
            N - 20,
            "{m} on {label}"
        );
    }
    assert!(bed
        .get("host", &federated("ConfigMap"), Some("bulk"), "cm-0000")
        .await
        .is_none());
    assert_converged(&bed, "after consented deletions").await;

    // Budget 5: member1 within it (2 deletions), member2 over it (every remaining object leaves it).
    delete_federated_configmaps(&bed, "bulk", 20..22).await;
    place_configmaps(
        &bed,
        "bulk",
        22..N,
        json!({"clusters": [{"name": "member1"}]}),
    )
    .await;
    let o = bed
        .run(&["reconcile", "--once", "-o", "json", "--max-deletions", "5"])
        .await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(deletions_of(&report, "member1"), Some((2, false)));
    assert_eq!(deletions_of(&report, "member2"), Some((10, true)));
    assert_eq!(configmap_names(&bed, "member1", "bulk").await.len(), 8);
    assert_eq!(configmap_names(&bed, "member2", "bulk").await.len(), 10);
    // --max-deletions 0 deletes nothing anywhere; --allow-mass-deletion lets member2 go.
    let o = bed
        .run(&["reconcile", "--once", "--max-deletions", "0"])
        .await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(configmap_names(&bed, "member2", "bulk").await.len(), 10);
    bed.expect(
        bed.run(&["reconcile", "--once", "--allow-mass-deletion"])
            .await,
        0,
        "with consent",
    );
    assert!(configmap_names(&bed, "member2", "bulk").await.is_empty());
    assert_eq!(configmap_names(&bed, "member1", "bulk").await.len(), 8);
    assert_converged(&bed, "after member2 was emptied with consent").await;
}
on_every_backend!(mass_deletion_needs_consent);

/// The host joined as a member: its own objects, adopted when first propagated there, are released (left
/// in place, unlabelled) when their federated objects stop placing them, here by deleting the
/// FederatedNamespace; the copies the engine created in the other members are deleted.
async fn host_originals_are_released_never_deleted(backend: Backend) {
    let bed = Bed::start(&backend, &["host", "member1"]).await;
    let label = bed.label();
    bed.expect(bed.run(&["init"]).await, 0, "init");
    bed.join(&["host", "member1"]).await;
    bed.apply(
        "host",
        &core("Namespace", "namespaces"),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "store"}}),
    )
    .await;
    let cm = core("ConfigMap", "configmaps");
    let deploy = ar("apps", "v1", "Deployment", "deployments");
    bed.apply(
        "host",
        &cm,
        json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "settings", "namespace": "store"}, "data": {"color": "blue"}}),
    )
    .await;
    bed.apply(
        "host",
        &deploy,
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "store"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}}),
    )
    .await;
    bed.expect(
        bed.run(&["federate", "namespace", "store", "--contents"])
            .await,
        0,
        "federate --contents",
    );
    bed.expect(bed.run(&["reconcile", "--once"]).await, 0, "first pass");
    let original = bed
        .get("host", &cm, Some("store"), "settings")
        .await
        .unwrap();
    assert_eq!(
        original["metadata"]["annotations"]["kubefed.io/adopted"], "true",
        "adoption recorded on {label}"
    );
    assert!(bed
        .get("member1", &cm, Some("store"), "settings")
        .await
        .is_some());
    assert_converged(&bed, "after adopting the host's originals").await;

    let host = bed.client("host").await;
    api(&host, &federated("Namespace"), Some("store"))
        .delete("store", &Default::default())
        .await
        .unwrap();
    // The namespace's federated objects are left in an unfederated namespace: reported
    // NamespaceNotFederated (exit 3) and placed nowhere, so released in the host, deleted in member1.
    let o = bed.run(&["reconcile", "--once", "-o", "json"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let host_settings = records(&report, "host", "settings");
    assert_eq!(host_settings[0]["action"], "unlabel", "{host_settings:?}");
    assert!(
        stderr(&o).contains("has no FederatedNamespace store/store"),
        "{}",
        stderr(&o)
    );
    // The FederatedNamespace itself goes once member1 confirms its namespace is gone (a real namespace
    // terminates for a while): passes until then may still release its finalizer.
    eventually(60, "the FederatedNamespace to be released", || async {
        let _ = bed.run(&["reconcile", "--once"]).await;
        bed.get("host", &federated("Namespace"), Some("store"), "store")
            .await
            .is_none()
            .then_some(())
    })
    .await;
    let before = bed.writes().await;
    let o = bed.run(&["reconcile", "--once"]).await;
    // Every object of this pass is NamespaceNotFederated now, and nothing else happened: exit 1.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let after = bed.writes().await;
    if after != before {
        let host_new = after["host"] - before["host"];
        panic!(
            "a further pass writes nothing on {label}: {before:?} -> {after:?}: {:?}",
            bed.tb.recent_writes("host", host_new as usize).await
        );
    }
    for (r, name) in [(&cm, "settings"), (&deploy, "web")] {
        let kept = bed
            .get("host", r, Some("store"), name)
            .await
            .unwrap_or_else(|| panic!("the host's own {name} was deleted on {label}"));
        assert_eq!(
            kept["metadata"]["labels"]["kubefed.io/managed"],
            Value::Null,
            "{kept}"
        );
        assert_eq!(
            kept["metadata"]["annotations"]["kubefed.io/adopted"],
            Value::Null,
            "{kept}"
        );
    }
    assert!(
        bed.get("host", &core("Namespace", "namespaces"), None, "store")
            .await
            .is_some(),
        "the host's namespace stays on {label}"
    );
    eventually(60, "member1's copy of the namespace to go", || async {
        let ns = bed
            .get("member1", &core("Namespace", "namespaces"), None, "store")
            .await;
        ns.is_none().then_some(())
    })
    .await;
}
on_every_backend!(host_originals_are_released_never_deleted);

/// A Namespaced control plane federates what is in its own namespace, with credentials confined to it.
async fn namespaced_control_plane(backend: Backend) {
    let bed = Bed::start(&backend, &["host", "member1"]).await;
    bed.expect(
        bed.run(&["init", "--scope", "Namespaced"]).await,
        0,
        "init --scope Namespaced",
    );
    bed.expect(
        bed.run(&["join", "member1", "--cluster-context", "member1"])
            .await,
        0,
        "join",
    );
    bed.apply("host", &core("ConfigMap", "configmaps"),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": NS},
            "data": {"color": "blue"}})).await;
    bed.expect(
        bed.run(&["federate", "configmaps", "settings", "-n", NS])
            .await,
        0,
        "federate",
    );
    bed.expect(bed.run(&["reconcile", "--once"]).await, 0, "pass");
    let cm = bed
        .get(
            "member1",
            &core("ConfigMap", "configmaps"),
            Some(NS),
            "settings",
        )
        .await;
    assert_eq!(cm.expect("propagated")["data"]["color"], "blue");
    assert_converged(&bed, "Namespaced plane").await;
}
on_every_backend!(namespaced_control_plane);

async fn cm_value(bed: &Bed, ns: &str, name: &str) -> Option<String> {
    bed.get("member1", &core("ConfigMap", "configmaps"), Some(ns), name)
        .await
        .and_then(|o| o["data"]["value"].as_str().map(str::to_string))
}

/// A watcher started on a converged federation writes nothing: until a type's federated objects (and the
/// FederatedNamespaces that gate it) are listed, no member object of it is taken for an orphan and
/// released, to be adopted again a moment later.
async fn watch_start_on_a_converged_plane_writes_nothing(backend: Backend) {
    let bed = Bed::start(&backend, &["host", "member1", "member2"]).await;
    let label = bed.label();
    bed.expect(bed.run(&["init"]).await, 0, "init");
    bed.join(&["member1", "member2"]).await;
    for ns in ["quiet-a", "quiet-b"] {
        federated_namespace(&bed, ns).await;
        federated_configmaps(&bed, ns, 20, "v1").await;
    }
    bed.expect(bed.run(&["reconcile", "--once"]).await, 0, "first pass");
    let (before, _) = bed.quiet_counts().await;
    let watch = bed.spawn(&["reconcile", "--watch"]);
    // Started and settled: a change made now comes through, and the counts have stopped moving.
    bed.merge(
        "host",
        &federated("ConfigMap"),
        Some("quiet-a"),
        "cm-0000",
        json!({"spec": {"template": {"data": {"value": "v2"}}}}),
    )
    .await;
    eventually(60, "the watcher to propagate a change", || async {
        (cm_value(&bed, "quiet-a", "cm-0000").await.as_deref() == Some("v2")).then_some(())
    })
    .await;
    let (after, _) = bed.quiet_counts().await;
    terminate(watch.id());
    let out = finish(watch).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for m in ["member1", "member2"] {
        let sent = after[m] - before[m];
        assert_eq!(
            sent,
            1,
            "{m} on {label}: one write for the one change, nothing else: {:?}",
            bed.tb.recent_writes(m, sent as usize).await
        );
    }
}
on_every_backend!(watch_start_on_a_converged_plane_writes_nothing);

/// The `value` of every `cm-*` ConfigMap in `ns` of `cluster`, by name.
async fn configmap_values(bed: &Bed, cluster: &str, ns: &str) -> BTreeMap<String, String> {
    let client = bed.client(cluster).await;
    api(&client, &core("ConfigMap", "configmaps"), Some(ns))
        .list(&Default::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|o| {
            let name = o.metadata.name.clone()?;
            let value = o.data["data"]["value"].as_str()?.to_string();
            name.starts_with("cm-").then_some((name, value))
        })
        .collect()
}

/// Under `--watch`, a member that freezes (accepts connections, answers nothing) holds up only its own
/// objects: template changes keep reaching the other member while it hangs, and once it answers again
/// it catches up, without a restart of the watcher.
async fn watch_goes_on_past_a_frozen_member(backend: Backend) {
    let bed = Bed::start(&backend, &["host", "member1", "member2"]).await;
    let label = bed.label();
    bed.expect(bed.run(&["init"]).await, 0, "init");
    bed.join(&["member1", "member2"]).await;
    federated_namespace(&bed, "live").await;
    const N: usize = 20;
    federated_configmaps(&bed, "live", N, "v1").await;
    let watch = bed.spawn(&["reconcile", "--watch", "--request-timeout", "2s"]);
    let all = |value: &str| -> BTreeMap<String, String> {
        (0..N)
            .map(|i| (format!("cm-{i:04}"), value.to_string()))
            .collect()
    };
    for m in ["member1", "member2"] {
        eventually(60, &format!("the first propagation to {m}"), || async {
            (configmap_values(&bed, m, "live").await == all("v1")).then_some(())
        })
        .await;
    }

    bed.tb.freeze("member2").unwrap();
    federated_configmaps(&bed, "live", N, "v2").await;
    let reached = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        eventually(
            30,
            "every change to reach member1 while member2 hangs",
            || async {
                (configmap_values(&bed, "member1", "live").await == all("v2")).then_some(())
            },
        ),
    )
    .await;
    bed.tb.thaw("member2").unwrap();
    assert!(
        reached.is_ok(),
        "member1 was held up by frozen member2 on {label}"
    );
    eventually(120, "member2 to catch up once it answers again", || async {
        (configmap_values(&bed, "member2", "live").await == all("v2")).then_some(())
    })
    .await;

    terminate(watch.id());
    let out = finish(watch).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "watch stops cleanly on {label}:\n{}",
        stderr(&out)
    );
}
on_every_backend!(watch_goes_on_past_a_frozen_member);

/// `reconcile --watch` propagates a template change and reverts a hand edit in a member, then stops on
/// SIGTERM with exit 0.
async fn watch_reacts_to_changes(backend: Backend) {
    let bed = Bed::start(&backend, &["host", "member1"]).await;
    bed.expect(bed.run(&["init"]).await, 0, "init");
    bed.expect(
        bed.run(&["join", "member1", "--cluster-context", "member1"])
            .await,
        0,
        "join",
    );
    federated_namespace(&bed, "live").await;
    federated_configmaps(&bed, "live", 20, "v1").await;
    let watch = bed.spawn(&["reconcile", "--watch"]);
    let cm = core("ConfigMap", "configmaps");
    // Every object, not just one: an object whose first write failed (its namespace was not there yet)
    // is retried with backoff, and that retry must not land in the window measured below.
    eventually(60, "the watcher's first propagation", || async {
        (configmap_names(&bed, "member1", "live").await.len() == 20).then_some(())
    })
    .await;
    // Let the first passes' writes land (a loaded machine takes longer) before measuring one change.
    let (writes_before, lists_before) = bed.quiet_counts().await;
    let probes_before = bed.path_requests("member1", "/healthz").await;

    bed.merge(
        "host",
        &federated("ConfigMap"),
        Some("live"),
        "cm-0001",
        json!({"spec": {"template": {"data": {"value": "v2"}}}}),
    )
    .await;
    eventually(30, "a template change to reach member1", || async {
        (cm_value(&bed, "live", "cm-0001").await.as_deref() == Some("v2")).then_some(())
    })
    .await;
    // One changed template costs the member one write and no LIST, however many objects there are:
    // the watcher works from its informer caches, not by re-listing. The window spans a health probe
    // (every clusterHealthCheck.period, 10 s by default), which reads the members from the cache too:
    // it ends once member1 has been probed again and the counts have settled after that.
    eventually(60, "a health probe of member1", || async {
        (bed.path_requests("member1", "/healthz").await > probes_before).then_some(())
    })
    .await;
    let (writes_after, lists_after) = bed.quiet_counts().await;
    assert_eq!(
        writes_after["member1"] - writes_before["member1"],
        1,
        "member writes for one template change on {}",
        bed.label()
    );
    for cluster in ["host", "member1"] {
        assert_eq!(
            lists_after[cluster] - lists_before[cluster],
            0,
            "LIST requests to {cluster} for one template change on {}",
            bed.label()
        );
    }

    bed.merge(
        "member1",
        &cm,
        Some("live"),
        "cm-0001",
        json!({"data": {"value": "edited by hand"}}),
    )
    .await;
    eventually(30, "the hand edit to be reverted", || async {
        (cm_value(&bed, "live", "cm-0001").await.as_deref() == Some("v2")).then_some(())
    })
    .await;

    terminate(watch.id());
    let out = finish(watch).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "watch stops cleanly on {}:\n{}",
        bed.label(),
        stderr(&out)
    );
}
on_every_backend!(watch_reacts_to_changes);

/// `-o yaml` output reads back as the same strings in YAML 1.1 readers: kubectl (applied to the cluster
/// and read back) and PyYAML, not only in our own parser.
async fn yaml_output_reads_back_the_same_everywhere(backend: Backend) {
    let (Some(kubectl), Some(python)) = (kubectl(CURRENT_KUBECTL), python()) else {
        return;
    };
    let bed = Bed::start(&backend, &["host"]).await;
    bed.expect(bed.run(&["init"]).await, 0, "init");
    let tricky = json!({"x": "y", "n": "no", "on": "yes", "off": "off", "octal": "010", "time": "1:20",
        "hex": "0x1F", "date": "2001-12-14", "tilde": "~", "empty": "", "exp": "1e3", "plain": "blue"});
    let source = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "tricky", "namespace": "default", "labels": {"y": "n", "enabled": "true"}},
        "data": tricky});
    let out = bed
        .run_with_stdin(
            &["federate", "-f", "-", "-o", "yaml"],
            Some(source.to_string()),
        )
        .await;
    let yaml = bed.expect(out, 0, "federate -f - -o yaml");

    let py = std::process::Command::new(&python)
        .args([
            "-c",
            "import sys, yaml, json; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    py.stdin
        .as_ref()
        .unwrap()
        .write_all(yaml.as_bytes())
        .unwrap();
    let py = py.wait_with_output().unwrap();
    let docs: Value = serde_json::from_slice(&py.stdout).expect("PyYAML reads it");
    assert_eq!(
        docs[0]["spec"]["template"]["data"], tricky,
        "PyYAML reads the same strings:\n{yaml}"
    );
    assert_eq!(
        docs[0]["spec"]["template"]["metadata"]["labels"],
        json!({"y": "n", "enabled": "true"})
    );

    let file = bed.dir().join("tricky.yaml");
    std::fs::write(&file, &yaml).unwrap();
    let applied = std::process::Command::new(&kubectl)
        .arg("--kubeconfig")
        .arg(&bed.kubeconfig)
        .args(["--context", "host", "apply", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        applied.status.success(),
        "kubectl apply on {}: {}",
        bed.label(),
        String::from_utf8_lossy(&applied.stderr)
    );
    let back = bed
        .get("host", &federated("ConfigMap"), Some("default"), "tricky")
        .await
        .unwrap();
    assert_eq!(
        back["spec"]["template"]["data"],
        tricky,
        "kubectl applied the same strings on {}",
        bed.label()
    );
}
on_every_backend!(yaml_output_reads_back_the_same_everywhere);

/// A host joined as a member, with its own objects federated (and so adopted): `teardown --dry-run` counts
/// per cluster what would be deleted and what released, naming the adopted originals, and writes
/// nothing; `teardown --yes` says the same on stderr, releases the originals and deletes the copies.
async fn teardown_counts_first_and_releases_adopted_originals(backend: Backend) {
    let bed = Bed::start(&backend, &["host", "member1"]).await;
    let label = bed.label();
    bed.expect(bed.run(&["init"]).await, 0, "init");
    bed.join(&["host", "member1"]).await;
    let cm = core("ConfigMap", "configmaps");
    bed.apply(
        "host",
        &core("Namespace", "namespaces"),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "store"}}),
    )
    .await;
    bed.apply(
        "host",
        &cm,
        json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "settings", "namespace": "store"}, "data": {"color": "blue"}}),
    )
    .await;
    bed.expect(
        bed.run(&["federate", "namespace", "store", "--contents"])
            .await,
        0,
        "federate --contents",
    );
    bed.expect(bed.run(&["reconcile", "--once"]).await, 0, "first pass");

    let before = bed.writes().await;
    let o = bed.run(&["teardown", "--dry-run"]).await;
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(
        bed.writes().await,
        before,
        "a dry run writes nothing on {label}"
    );
    for line in [
        "2 federated objects and 10 federated types will be removed from the host",
        "cluster \"host\": 0 objects will be deleted, 2 released (adopted, released: configmaps \
         store/settings, namespaces store)",
        "cluster \"member1\": 2 objects will be deleted, 0 released",
    ] {
        assert!(err.contains(line), "{line:?} on {label}:\n{err}");
    }
    for line in [
        "federatedconfigmap.types.kubefed.io/settings deleted (dry run)",
        "kubefedcluster.core.kubefed.io/member1 deleted (dry run)",
        "namespace/kube-federation-system deleted (dry run)",
    ] {
        assert!(out.contains(line), "{line:?} on {label}:\n{out}");
    }

    let o = bed.run(&["teardown", "--yes"]).await;
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("cluster \"member1\": 2 objects will be deleted, 0 released"),
        "--yes shows the same summary on {label}: {err}"
    );
    let kept = bed
        .get("host", &cm, Some("store"), "settings")
        .await
        .unwrap_or_else(|| panic!("the host's own ConfigMap was deleted on {label}"));
    assert_eq!(
        kept["metadata"]["labels"]["kubefed.io/managed"],
        Value::Null
    );
    assert_eq!(kept["data"]["color"], "blue");
    eventually(60, "member1's copy of the namespace to go", || async {
        bed.get("member1", &core("Namespace", "namespaces"), None, "store")
            .await
            .is_none()
            .then_some(())
    })
    .await;
}
on_every_backend!(teardown_counts_first_and_releases_adopted_originals);

/// What KubeFed hashes: `unstructured.Unstructured.MarshalJSON`, i.e. Go's `json.Encoder` over a
/// `map[string]interface{}` — keys sorted, no spaces, a trailing newline (checked against
/// k8s.io/apimachinery v0.34.2: `{"data":{"color":"blue","size":"10"},"metadata":{"labels":{"app":"web"}}}`
/// hashes to b4b774bd0cfe87164237fdca699df7cd). The test data holds no `<`, `>` or `&`, which Go escapes.
fn go_json(v: &Value) -> String {
    go_json_value(v) + "\n"
}

fn go_json_value(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), go_json_value(&m[k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(go_json_value).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

fn md5_hex(text: &str) -> String {
    use md5::Digest as _;
    md5::Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn propagated_versions(namespaced: bool) -> kube::core::ApiResource {
    let (kind, plural) = if namespaced {
        ("PropagatedVersion", "propagatedversions")
    } else {
        ("ClusterPropagatedVersion", "clusterpropagatedversions")
    };
    ar("core.kubefed.io", "v1alpha1", kind, plural)
}

/// The `clusterVersions` KubeFed would record for a member object: `gen:N` when it has a generation,
/// else `rv:N`.
async fn member_version(
    bed: &Bed,
    cluster: &str,
    r: &kube::core::ApiResource,
    ns: Option<&str>,
    name: &str,
) -> String {
    let o = bed
        .get(cluster, r, ns, name)
        .await
        .unwrap_or_else(|| panic!("{name} in {cluster}"));
    match o["metadata"]["generation"].as_i64() {
        Some(g) if g > 0 => format!("gen:{g}"),
        _ => format!("rv:{}", o["metadata"]["resourceVersion"].as_str().unwrap()),
    }
}

/// KubeFed's PropagatedVersions (namespaced federated types) and ClusterPropagatedVersions
/// (cluster-scoped ones) are written as KubeFed writes them — name `<kind>-<name>`, owner the federated
/// object, md5 of the template and of the overrides, each member's `gen:`/`rv:` — kept current when the
/// overrides change, and deleted with their federated object.
async fn propagated_versions_are_recorded_as_kubefed_records_them(backend: Backend) {
    let bed = Bed::start(&backend, &["host", "member1", "member2"]).await;
    let label = bed.label();
    bed.expect(bed.run(&["init"]).await, 0, "init");
    bed.join(&["member1", "member2"]).await;
    federated_namespace(&bed, "pv").await;
    let template =
        json!({"data": {"color": "blue", "size": "10"}, "metadata": {"labels": {"app": "web"}}});
    bed.apply(
        "host",
        &federated("ConfigMap"),
        json!({"apiVersion": "types.kubefed.io/v1beta1",
        "kind": "FederatedConfigMap", "metadata": {"name": "settings", "namespace": "pv"},
        "spec": {"template": template, "placement": {"clusterSelector": {}}}}),
    )
    .await;
    let deploy_template = json!({"spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}});
    bed.apply(
        "host",
        &federated("Deployment"),
        json!({"apiVersion": "types.kubefed.io/v1beta1",
        "kind": "FederatedDeployment", "metadata": {"name": "web", "namespace": "pv"},
        "spec": {"template": deploy_template, "placement": {"clusters": [{"name": "member1"}]}}}),
    )
    .await;
    let role_template =
        json!({"rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]});
    bed.apply(
        "host",
        &federated("ClusterRole"),
        json!({"apiVersion": "types.kubefed.io/v1beta1",
        "kind": "FederatedClusterRole", "metadata": {"name": "pv-reader"},
        "spec": {"template": role_template, "placement": {"clusterSelector": {}}}}),
    )
    .await;
    bed.expect(bed.run(&["reconcile", "--once"]).await, 0, "first pass");

    let cm = core("ConfigMap", "configmaps");
    let pv = bed
        .get(
            "host",
            &propagated_versions(true),
            Some("pv"),
            "configmap-settings",
        )
        .await
        .unwrap_or_else(|| panic!("PropagatedVersion pv/configmap-settings on {label}"));
    let owner = &pv["metadata"]["ownerReferences"][0];
    assert_eq!(
        (&owner["kind"], &owner["name"]),
        (&json!("FederatedConfigMap"), &json!("settings")),
        "{pv}"
    );
    let fed_cm = bed
        .get("host", &federated("ConfigMap"), Some("pv"), "settings")
        .await
        .unwrap();
    assert_eq!(owner["uid"], fed_cm["metadata"]["uid"]);
    assert_eq!(
        pv["status"]["templateVersion"],
        md5_hex(&go_json(&template)),
        "{pv}"
    );
    assert_eq!(pv["status"]["overridesVersion"], "", "no overrides: {pv}");
    let mut expected = Vec::new();
    for m in ["member1", "member2"] {
        expected.push(json!({"clusterName": m, "version": member_version(&bed, m, &cm, Some("pv"), "settings").await}));
    }
    assert_eq!(
        pv["status"]["clusterVersions"],
        Value::Array(expected),
        "on {label}"
    );

    let dpv = bed
        .get(
            "host",
            &propagated_versions(true),
            Some("pv"),
            "deployment-web",
        )
        .await
        .unwrap();
    let deploy = ar("apps", "v1", "Deployment", "deployments");
    assert_eq!(
        dpv["status"]["clusterVersions"],
        json!([{"clusterName": "member1", "version": member_version(&bed, "member1", &deploy, Some("pv"), "web").await}]),
        "only where it is placed, by generation, on {label}"
    );
    assert!(dpv["status"]["clusterVersions"][0]["version"]
        .as_str()
        .unwrap()
        .starts_with("gen:"));

    let cpv = bed
        .get(
            "host",
            &propagated_versions(false),
            None,
            "clusterrole-pv-reader",
        )
        .await
        .unwrap_or_else(|| panic!("ClusterPropagatedVersion clusterrole-pv-reader on {label}"));
    assert_eq!(
        cpv["status"]["templateVersion"],
        md5_hex(&go_json(&role_template))
    );
    assert_eq!(
        cpv["status"]["clusterVersions"].as_array().unwrap().len(),
        2,
        "{cpv}"
    );
    assert_converged(&bed, "after recording versions").await;

    // New overrides: a new overridesVersion, and member1's new version.
    let overrides = json!([{"clusterName": "member1", "clusterOverrides": [{"path": "/data/color", "value": "red"}]}]);
    bed.merge(
        "host",
        &federated("ConfigMap"),
        Some("pv"),
        "settings",
        json!({"spec": {"overrides": overrides}}),
    )
    .await;
    bed.expect(
        bed.run(&["reconcile", "--once"]).await,
        0,
        "pass after the override",
    );
    let pv = bed
        .get(
            "host",
            &propagated_versions(true),
            Some("pv"),
            "configmap-settings",
        )
        .await
        .unwrap();
    assert_eq!(
        pv["status"]["overridesVersion"],
        md5_hex(&go_json(&json!({"overrides": overrides}))),
        "{pv}"
    );
    assert_eq!(
        pv["status"]["clusterVersions"][0]["version"],
        member_version(&bed, "member1", &cm, Some("pv"), "settings").await
    );
    assert_converged(&bed, "after the override").await;

    // Deleted with its federated object.
    let host = bed.client("host").await;
    api(&host, &federated("ConfigMap"), Some("pv"))
        .delete("settings", &Default::default())
        .await
        .unwrap();
    bed.expect(
        bed.run(&["reconcile", "--once"]).await,
        0,
        "pass after the delete",
    );
    eventually(
        60,
        "the PropagatedVersion to go with its federated object",
        || async {
            bed.get(
                "host",
                &propagated_versions(true),
                Some("pv"),
                "configmap-settings",
            )
            .await
            .is_none()
            .then_some(())
        },
    )
    .await;
    assert!(bed
        .get(
            "host",
            &propagated_versions(true),
            Some("pv"),
            "deployment-web"
        )
        .await
        .is_some());
}
on_every_backend!(propagated_versions_are_recorded_as_kubefed_records_them);

/// The member role's rules for one API group, as `(resources, verbs)`.
fn rule_for<'a>(role: &'a Value, group: &str) -> Option<&'a Value> {
    role["rules"]
        .as_array()?
        .iter()
        .find(|r| r["apiGroups"] == json!([group]))
}

/// Takes ConfigMaps out of member1's role by hand, as an administrator tightening it would.
async fn take_configmaps_away(bed: &Bed, role_name: &str) {
    let cluster_roles = ar(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRole",
        "clusterroles",
    );
    let mut role = bed
        .get("member1", &cluster_roles, None, role_name)
        .await
        .unwrap();
    for r in role["rules"].as_array_mut().unwrap() {
        if r["apiGroups"] == json!([""]) {
            r["resources"] = json!(["namespaces", "secrets", "serviceaccounts", "services"]);
        }
    }
    let member = bed.client("member1").await;
    api(&member, &cluster_roles, None)
        .replace(
            role_name,
            &Default::default(),
            &serde_json::from_value(role).unwrap(),
        )
        .await
        .unwrap();
}

fn without_resource_version(obj: &Value) -> Value {
    let mut obj = obj.clone();
    obj["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("resourceVersion");
    obj
}

/// `join --least-privilege` grants the member role exactly what the enabled types need, which is enough
/// to propagate on a real server's RBAC; `enable` and `disable` keep it in step; a permission taken away
/// is found before any write (`reconcile` and `clusters` name it, exit 3), a permission given back is
/// found by `--watch` at its next resync (no watch reports it), and a re-join restores it.
async fn least_privilege_members_get_what_the_enabled_types_need(backend: Backend) {
    let bed = Bed::start(&backend, &["host", "member1"]).await;
    let label = bed.label();
    bed.expect(bed.run(&["init"]).await, 0, "init");
    bed.expect(
        bed.run(&[
            "join",
            "member1",
            "--cluster-context",
            "member1",
            "--least-privilege",
        ])
        .await,
        0,
        "join --least-privilege",
    );
    let cluster_roles = ar(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRole",
        "clusterroles",
    );
    let role_name = "kubefed-controller-manager:member1-host";
    let role = bed
        .get("member1", &cluster_roles, None, role_name)
        .await
        .unwrap();
    let core_rule = rule_for(&role, "").unwrap_or_else(|| panic!("{role}"));
    for r in ["configmaps", "namespaces", "secrets", "services"] {
        assert!(
            core_rule["resources"]
                .as_array()
                .unwrap()
                .contains(&json!(r)),
            "{role}"
        );
    }
    assert!(
        !role["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["resources"] == json!(["*"])),
        "nothing granted wholesale on {label}: {role}"
    );

    federated_namespace(&bed, "lp").await;
    bed.apply(
        "host",
        &federated("ConfigMap"),
        json!({"apiVersion": "types.kubefed.io/v1beta1",
        "kind": "FederatedConfigMap", "metadata": {"name": "settings", "namespace": "lp"},
        "spec": {"template": {"data": {"a": "b"}}, "placement": {"clusterSelector": {}}}}),
    )
    .await;
    bed.expect(
        bed.run(&["reconcile", "--once"]).await,
        0,
        "a pass with the narrow role",
    );
    assert!(bed
        .get(
            "member1",
            &core("ConfigMap", "configmaps"),
            Some("lp"),
            "settings"
        )
        .await
        .is_some());
    assert_converged(&bed, "with a least-privilege member").await;

    // A new type: enable widens the member role.
    for c in ["host", "member1"] {
        bed.apply(c, &crd_ar(), widget_crd()).await;
        until_established(&bed.client(c).await, "widgets.example.com", 30).await;
    }
    let enabled = bed.run(&["enable", "widgets.example.com"]).await;
    let text = bed.expect(enabled, 0, "enable widgets");
    assert!(
        text.contains(&format!(
            "cluster member1: clusterrole.rbac.authorization.k8s.io/{role_name} configured"
        )),
        "{text}"
    );
    let role = bed
        .get("member1", &cluster_roles, None, role_name)
        .await
        .unwrap();
    assert_eq!(
        rule_for(&role, "example.com").unwrap()["resources"],
        json!(["widgets"]),
        "{role}"
    );

    // A permission taken away by hand is found before anything is written.
    let member = bed.client("member1").await;
    take_configmaps_away(&bed, role_name).await;
    bed.merge(
        "host",
        &federated("ConfigMap"),
        Some("lp"),
        "settings",
        json!({"spec": {"template": {"data": {"a": "c"}}}}),
    )
    .await;
    let before = bed.writes().await;
    let o = bed.run(&["reconcile", "--once"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("may not get, list, create, patch, delete configmaps there"),
        "on {label}: {}",
        stderr(&o)
    );
    assert_eq!(
        bed.writes().await["member1"],
        before["member1"],
        "nothing attempted in member1 on {label}"
    );
    // --watch finds it as well before writing, and watches nothing it may not list: it says so when it
    // reads the member's permissions, and once two passes after that (the first and a resync) have
    // reported, nothing has been attempted.
    let watch = bed.spawn(&["reconcile", "--watch", "--resync-period", "2s"]);
    let denied = "may not get, list, create, patch, delete configmaps there";
    watch
        .until_stderr(60, "the denial and two pass summaries after it", |err| {
            err.find(denied)
                .is_some_and(|at| err[at..].matches(" federated objects, ").count() >= 2)
        })
        .await;
    let writes = bed.writes().await;
    assert_eq!(
        writes["member1"],
        before["member1"],
        "--watch attempted nothing in member1 on {label}: {:?}",
        bed.tb
            .recent_writes("member1", (writes["member1"] - before["member1"]) as usize)
            .await
    );
    // No watch reports a permission granted in a member: the periodic resync finds it, and the pending
    // template change goes out without anything else changing.
    api(&member, &cluster_roles, None)
        .replace(
            role_name,
            &Default::default(),
            &serde_json::from_value(without_resource_version(&role)).unwrap(),
        )
        .await
        .unwrap();
    eventually(
        30,
        "the resync to propagate once the role is back",
        || async {
            let cm = bed
                .get(
                    "member1",
                    &core("ConfigMap", "configmaps"),
                    Some("lp"),
                    "settings",
                )
                .await?;
            (cm["data"]["a"] == "c").then_some(())
        },
    )
    .await;
    terminate(watch.id());
    let out = finish(watch).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("may not get, list, create, patch, delete configmaps there"),
        "--watch on {label}: {}",
        stderr(&out)
    );
    // Taken away again, for what follows.
    take_configmaps_away(&bed, role_name).await;
    let o = bed.run(&["clusters"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("may not get, list, create, patch, delete configmaps"),
        "{}",
        stderr(&o)
    );

    // Joining again restores the role; the pass then converges.
    bed.expect(
        bed.run(&[
            "join",
            "member1",
            "--cluster-context",
            "member1",
            "--least-privilege",
            "--error-on-existing=false",
        ])
        .await,
        0,
        "join again",
    );
    bed.expect(
        bed.run(&["reconcile", "--once"]).await,
        0,
        "a pass after the re-join",
    );
    let cm = bed
        .get(
            "member1",
            &core("ConfigMap", "configmaps"),
            Some("lp"),
            "settings",
        )
        .await
        .unwrap();
    assert_eq!(cm["data"]["a"], "c");

    // disable narrows it again.
    bed.expect(
        bed.run(&["disable", "widgets.example.com"]).await,
        0,
        "disable widgets",
    );
    let role = bed
        .get("member1", &cluster_roles, None, role_name)
        .await
        .unwrap();
    assert!(
        rule_for(&role, "example.com").is_none(),
        "on {label}: {role}"
    );
    assert_converged(&bed, "after disable").await;
}
on_every_backend!(least_privilege_members_get_what_the_enabled_types_need);
