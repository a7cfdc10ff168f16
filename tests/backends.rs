//! The whole lifecycle of a federation, driven through the binary as an operator drives it, on every
//! backend: sandbox clusters and real kube-apiservers (v1.37 and v1.34). The same scenario code runs on
//! each, and convergence is measured by the servers themselves: after a pass, another pass sends no write
//! to any cluster and `diff` shows nothing.

mod support;

use std::collections::BTreeMap;

use serde_json::{json, Value};
use support::*;

const NS: &str = "kube-federation-system";

fn crds() -> kube::core::ApiResource {
    ar(
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
    )
}

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

async fn wait_established(bed: &Bed, cluster: &str, name: &str) {
    eventually(
        30,
        &format!("CRD {name} established in {cluster}"),
        || async {
            let crd = bed.get(cluster, &crds(), None, name).await?;
            crd["status"]["conditions"]
                .as_array()?
                .iter()
                .any(|c| c["type"] == "Established" && c["status"] == "True")
                .then_some(())
        },
    )
    .await;
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
    assert_eq!(
        after,
        before,
        "{what}: a second pass on {} sent writes (cluster → writes so far)",
        bed.label()
    );
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
        bed.apply(c, &crds(), widget_crd()).await;
        wait_established(&bed, c, "widgets.example.com").await;
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

    // unjoin member2: its registration and credentials go, and its kubefed namespace with them.
    bed.expect(
        bed.run(&[
            "unjoin",
            "member2",
            "--cluster-context",
            "member2",
            "--host-cluster-context",
            "host",
        ])
        .await,
        0,
        "unjoin",
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
        bed.get("host", &crds(), None, "kubefedclusters.core.kubefed.io")
            .await
            .is_none()
            || bed
                .get("host", &crds(), None, "kubefedclusters.core.kubefed.io")
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

async fn federated_namespace(bed: &Bed, ns: &str) {
    bed.apply(
        "host",
        &core("Namespace", "namespaces"),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
    )
    .await;
    bed.apply("host", &federated("Namespace"),
        json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedNamespace",
            "metadata": {"name": ns, "namespace": ns}, "spec": {"placement": {"clusterSelector": {}}}})).await;
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
}

/// member2 fails once it has taken some of a pass's updates. The pass still ends (bounded: a hung pass is
/// a failure) with exit 3, member2's objects reported failed (a killed member) or timed out (a frozen one),
/// and member1 given every update; nothing is deleted in member2; once it is back, one pass converges it
/// and the next writes nothing.
async fn member_fails_mid_pass(backend: Backend, failure: MidPassFailure) {
    let mut bed = Bed::start(&backend, &["host", "member1", "member2"]).await;
    bed.expect(bed.run(&["init"]).await, 0, "init");
    for m in ["member1", "member2"] {
        bed.expect(
            bed.run(&["join", m, "--cluster-context", m]).await,
            0,
            "join",
        );
    }
    federated_namespace(&bed, "bulk").await;
    const N: usize = 300;
    federated_configmaps(&bed, "bulk", N, "v1").await;
    bed.expect(bed.run(&["reconcile", "--once"]).await, 0, "first pass");
    assert_eq!(configmap_names(&bed, "member2", "bulk").await.len(), N);

    // Every template changes; member2 fails once it has taken some of the updates.
    federated_configmaps(&bed, "bulk", N, "v2").await;
    let start = bed.tb.writes("member2").await.unwrap();
    let mut args = vec!["reconcile", "--once", "-o", "json", "--concurrency", "4"];
    if failure == MidPassFailure::Frozen {
        args.extend(["--request-timeout", "3s"]);
    }
    let pass = bed.spawn(&args);
    let pid = pass.id();
    eventually(60, "member2 to take a few updates", || async {
        (bed.tb.writes("member2").await.unwrap() >= start + 10).then_some(())
    })
    .await;
    match failure {
        MidPassFailure::Killed => bed.kill("member2").await,
        MidPassFailure::Frozen => bed.tb.freeze("member2").unwrap(),
    }
    let label = bed.label();
    let out = match tokio::time::timeout(std::time::Duration::from_secs(120), finish(pass)).await {
        Ok(out) => out,
        Err(_) => {
            // SAFETY: kill(2) of the child this test spawned, still unreaped (finish is waiting on it).
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            if failure == MidPassFailure::Frozen {
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
    }
    let cm = core("ConfigMap", "configmaps");
    for i in [0, N / 2, N - 1] {
        let o = bed
            .get("member1", &cm, Some("bulk"), &format!("cm-{i:04}"))
            .await
            .unwrap();
        assert_eq!(o["data"]["value"], "v2", "member1 converged on {label}");
    }

    match failure {
        MidPassFailure::Killed => bed.resume("member2").await,
        MidPassFailure::Frozen => bed.tb.thaw("member2").unwrap(),
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

/// The clusters' write counts once they have not changed for two seconds (at most 60 s).
async fn quiet_writes(bed: &Bed) -> BTreeMap<String, u64> {
    let mut last = bed.writes().await;
    for _ in 0..30 {
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let now = bed.writes().await;
        if now == last {
            return now;
        }
        last = now;
    }
    last
}

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
    eventually(60, "the watcher's first propagation", || async {
        (cm_value(&bed, "live", "cm-0019").await.as_deref() == Some("v1")).then_some(())
    })
    .await;
    // Let the first passes' writes land (a loaded machine takes longer) before measuring one change.
    let (writes_before, lists_before) = (quiet_writes(&bed).await, bed.lists().await);

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
    // (every clusterHealthCheck.period, 10 s by default), which reads the members from the cache too.
    tokio::time::sleep(std::time::Duration::from_secs(11)).await;
    let (writes_after, lists_after) = (quiet_writes(&bed).await, bed.lists().await);
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

    terminate(&watch);
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
    let (Some(kubectl), Some(python)) = (kubectl(), python()) else {
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
