//! ReplicaSchedulingPreferences and remote status through the propagation engine, against sandbox clusters:
//! the replicas each member ends up with, the plan written into the federated object, and the member status
//! collected back into it.

mod support;

use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::core::ApiResource;
use kubefedctl::engine::runner::{PassOutcome, RunOptions};
use kubefedctl::engine::scheduling::rsp_object;
use kubefedctl::kubefed::types::{FeatureGate, FederatedTypeConfig, ReplicaSchedulingPreference};
use serde_json::{json, Value};
use support::*;

fn deployments() -> ApiResource {
    ApiResource {
        group: "apps".into(),
        version: "v1".into(),
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        plural: "deployments".into(),
    }
}

fn deployment_template(replicas: i64) -> Value {
    json!({
        "metadata": {"labels": {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}
            }
        }
    })
}

/// A plane with deployments enabled and namespace `app` federated to every member.
async fn deployment_plane(members: &[&str], labels: &[(&str, &[(&str, &str)])]) -> Plane {
    let p = plane(members, labels).await;
    enable(&p.host, &target("deployments.apps"), None).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p
}

async fn federated_deployment(p: &Plane, name: &str, placement: Value) {
    create(
        &p.host,
        &federated("Deployment"),
        Some("app"),
        json!({
            "apiVersion": "types.kubefed.io/v1beta1",
            "kind": "FederatedDeployment",
            "metadata": {"name": name, "namespace": "app"},
            "spec": {"template": deployment_template(1), "placement": placement}
        }),
    )
    .await;
}

async fn create_rsp(p: &Plane, name: &str, spec: Value) {
    create(
        &p.host,
        &ReplicaSchedulingPreference::api_resource(),
        Some("app"),
        rsp_object("app", name, spec),
    )
    .await;
}

/// `spec.replicas` of the Deployment in a member, `None` when absent.
async fn member_replicas(p: &Plane, cluster: &str, name: &str) -> Option<i64> {
    get(&p.member(cluster).await, &deployments(), Some("app"), name)
        .await
        .map(|d| d["spec"]["replicas"].as_i64().expect("replicas"))
}

/// Sets what a Deployment controller would report, through the status subresource.
async fn set_member_status(p: &Plane, cluster: &str, name: &str, status: Value) {
    let api: Api<DynamicObject> =
        Api::namespaced_with(p.member(cluster).await, "app", &deployments());
    api.patch_status(
        name,
        &PatchParams::default(),
        &Patch::Merge(json!({ "status": status })),
    )
    .await
    .unwrap_or_else(|e| panic!("status of {name} in {cluster}: {e}"));
}

/// The FederatedDeployment `name` as the host has it.
async fn federated_deployment_object(p: &Plane, name: &str) -> Value {
    get(&p.host, &federated("Deployment"), Some("app"), name)
        .await
        .expect("federated deployment")
}

/// Deployments and the namespaces they live in (the ConfigMap type is left out of these passes).
fn deployments_only() -> RunOptions {
    RunOptions {
        types: vec!["namespaces".into(), "deployments.apps".into()],
        ..RunOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn weights_two_to_one_put_four_and_two_replicas_in_the_members_and_a_second_pass_writes_nothing(
) {
    let p = deployment_plane(&["m1", "m2"], &[]).await;
    federated_deployment(&p, "web", json!({"clusterSelector": {}})).await;
    create_rsp(
        &p,
        "web",
        json!({"targetKind": "FederatedDeployment", "totalReplicas": 6,
               "clusters": {"m1": {"weight": 2}, "m2": {"weight": 1}}}),
    )
    .await;

    // diff already shows the planned replicas, and writes the plan nowhere.
    let (code, out, err) = p
        .cli(&["diff", "deployments.apps", "web", "-n", "app"])
        .await;
    assert_eq!(code, 1, "{err}");
    let m1 = &out[out.find("+++ merged/m1/app/web").expect(&out)..];
    assert!(m1.contains("+  replicas: 4"), "{out}");
    assert!(federated_deployment_object(&p, "web").await["spec"]
        .get("overrides")
        .is_none());

    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    assert_eq!(member_replicas(&p, "m1", "web").await, Some(4));
    assert_eq!(member_replicas(&p, "m2", "web").await, Some(2));

    let f = federated_deployment_object(&p, "web").await;
    assert_eq!(
        f["spec"]["placement"]["clusters"],
        json!([{"name": "m1"}, {"name": "m2"}])
    );
    assert_eq!(
        f["spec"]["overrides"],
        json!([
            {"clusterName": "m1", "clusterOverrides": [{"path": "/spec/replicas", "value": 4}]},
            {"clusterName": "m2", "clusterOverrides": [{"path": "/spec/replicas", "value": 2}]}
        ])
    );

    // The members report the planned replicas as ready: the plan holds and nothing is written anywhere.
    set_member_status(&p, "m1", "web", json!({"replicas": 4, "readyReplicas": 4})).await;
    set_member_status(&p, "m2", "web", json!({"replicas": 2, "readyReplicas": 2})).await;
    let before = p.writes();
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    assert_eq!(p.writes(), before, "a converged pass sends no write");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn min_and_max_replicas_bound_each_member_and_a_new_total_replans() {
    let p = deployment_plane(&["m1", "m2"], &[]).await;
    federated_deployment(&p, "api", json!({"clusterSelector": {}})).await;
    create_rsp(
        &p,
        "api",
        json!({"targetKind": "FederatedDeployment", "totalReplicas": 10,
               "clusters": {"m1": {"weight": 1, "maxReplicas": 3}, "m2": {"weight": 1, "minReplicas": 2}}}),
    )
    .await;
    let report = p.once_with(deployments_only()).await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    assert_eq!(member_replicas(&p, "m1", "api").await, Some(3));
    assert_eq!(member_replicas(&p, "m2", "api").await, Some(7));

    merge(
        &p.host,
        &ReplicaSchedulingPreference::api_resource(),
        Some("app"),
        "api",
        json!({"spec": {"totalReplicas": 4}}),
    )
    .await;
    let report = p.once_with(deployments_only()).await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    // m2 keeps its minimum of 2; the other 2 are shared by weight, 1 each.
    assert_eq!(member_replicas(&p, "m1", "api").await, Some(1));
    assert_eq!(member_replicas(&p, "m2", "api").await, Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn intersect_with_cluster_selector_schedules_only_on_selected_members() {
    let p = deployment_plane(
        &["m1", "m2", "m3"],
        &[
            ("m1", &[("tier", "gold")]),
            ("m2", &[("tier", "bronze")]),
            ("m3", &[("tier", "gold")]),
        ],
    )
    .await;
    federated_deployment(
        &p,
        "web",
        json!({"clusterSelector": {"matchLabels": {"tier": "gold"}}}),
    )
    .await;
    create_rsp(
        &p,
        "web",
        json!({"targetKind": "FederatedDeployment", "totalReplicas": 6, "intersectWithClusterSelector": true}),
    )
    .await;
    let report = p.once_with(deployments_only()).await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    assert_eq!(member_replicas(&p, "m1", "web").await, Some(3));
    assert_eq!(member_replicas(&p, "m2", "web").await, None);
    assert_eq!(member_replicas(&p, "m3", "web").await, Some(3));
    assert_eq!(
        federated_deployment_object(&p, "web").await["spec"]["placement"]["clusters"],
        json!([{"name": "m1"}, {"name": "m3"}])
    );

    // Without the intersection every ready member is a candidate.
    merge(
        &p.host,
        &ReplicaSchedulingPreference::api_resource(),
        Some("app"),
        "web",
        json!({"spec": {"intersectWithClusterSelector": false, "rebalance": true}}),
    )
    .await;
    p.once_with(deployments_only()).await;
    assert_eq!(member_replicas(&p, "m1", "web").await, Some(2));
    assert_eq!(member_replicas(&p, "m2", "web").await, Some(2));
    assert_eq!(member_replicas(&p, "m3", "web").await, Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn invalid_rsp_is_reported_on_its_object_which_still_propagates() {
    let p = deployment_plane(&["m1"], &[]).await;
    federated_deployment(&p, "web", json!({"clusterSelector": {}})).await;
    create_rsp(
        &p,
        "web",
        json!({"targetKind": "FederatedDeployment", "totalReplicas": 3,
               "clusters": {"m1": {"minReplicas": 5, "maxReplicas": 2, "weight": 1}}}),
    )
    .await;
    let report = p.once_with(deployments_only()).await;
    assert_eq!(report.outcome(), PassOutcome::Partial, "{report:#?}");
    let failure = report
        .records
        .iter()
        .find(|r| r.status == "ReplicaSchedulingFailed")
        .expect("an RSP record");
    assert_eq!(failure.name, "web");
    let text = failure.error.as_deref().unwrap();
    assert!(
        text.contains("spec.clusters[\"m1\"].maxReplicas") && text.contains("app/web"),
        "{text}"
    );
    // The template's replicas went out unchanged.
    assert_eq!(member_replicas(&p, "m1", "web").await, Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scheduler_preferences_gate_off_leaves_the_object_alone() {
    let p = plane_with(&["m1", "m2"], &[], "Cluster", |c| {
        c.spec.feature_gates = Some(vec![FeatureGate {
            name: "SchedulerPreferences".into(),
            configuration: "Disabled".into(),
        }]);
    })
    .await;
    enable(&p.host, &target("deployments.apps"), None).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    federated_deployment(&p, "web", json!({"clusterSelector": {}})).await;
    create_rsp(
        &p,
        "web",
        json!({"targetKind": "FederatedDeployment", "totalReplicas": 6}),
    )
    .await;
    p.once_with(deployments_only()).await;
    assert_eq!(member_replicas(&p, "m1", "web").await, Some(1));
    assert!(federated_deployment_object(&p, "web").await["spec"]
        .get("overrides")
        .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_mode_applies_the_rsp_through_the_same_pass() {
    let p = deployment_plane(&["m1", "m2"], &[]).await;
    federated_deployment(&p, "web", json!({"clusterSelector": {}})).await;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let host = p.host.clone();
    let watcher = tokio::spawn(async move {
        let wopts = kubefedctl::engine::watch::WatchOptions {
            resync_period: std::time::Duration::from_secs(60),
            ..Default::default()
        };
        kubefedctl::engine::watch::run(
            &host,
            &deployments_only(),
            &wopts,
            async {
                let _ = stop_rx.await;
            },
            &|_| {},
        )
        .await
    });
    let m1 = p.member("m1").await;
    eventually(20, "the template's replica in m1", || {
        let m1 = m1.clone();
        async move {
            get(&m1, &deployments(), Some("app"), "web")
                .await
                .filter(|d| d["spec"]["replicas"] == 1)
        }
    })
    .await;
    create_rsp(
        &p,
        "web",
        json!({"targetKind": "FederatedDeployment", "totalReplicas": 9,
               "clusters": {"m1": {"weight": 2}, "m2": {"weight": 1}}}),
    )
    .await;
    eventually(20, "the RSP's replicas in m1", || {
        let m1 = m1.clone();
        async move {
            get(&m1, &deployments(), Some("app"), "web")
                .await
                .filter(|d| d["spec"]["replicas"] == 6)
        }
    })
    .await;
    assert_eq!(member_replicas(&p, "m2", "web").await, Some(3));
    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), watcher).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn remote_status_of_each_member_is_collected_into_the_federated_object_and_shown_by_status() {
    let p = plane_with(&["m1", "m2"], &[], "Cluster", |c| {
        c.spec.feature_gates = Some(vec![FeatureGate {
            name: "RawResourceStatusCollection".into(),
            configuration: "Enabled".into(),
        }]);
    })
    .await;
    enable(&p.host, &target("deployments.apps"), None).await;
    merge(
        &p.host,
        &FederatedTypeConfig::api_resource(),
        Some(NS),
        "deployments.apps",
        json!({"spec": {"statusCollection": "Enabled"}}),
    )
    .await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    federated_deployment(&p, "web", json!({"clusterSelector": {}})).await;
    p.once_with(deployments_only()).await;

    set_member_status(
        &p,
        "m1",
        "web",
        json!({"replicas": 1, "readyReplicas": 1, "availableReplicas": 1}),
    )
    .await;
    set_member_status(&p, "m2", "web", json!({"replicas": 1, "readyReplicas": 0})).await;
    let report = p.once_with(deployments_only()).await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    let f = federated_deployment_object(&p, "web").await;
    let clusters = f["status"]["clusters"].as_array().expect("clusters");
    let remote = |name: &str| {
        clusters
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["remoteStatus"].clone())
            .unwrap()
    };
    assert_eq!(remote("m1")["readyReplicas"], 1);
    assert_eq!(remote("m1")["availableReplicas"], 1);
    // A real API server leaves a zero readyReplicas out (omitempty), and so does the sandbox.
    assert!(
        matches!(remote("m2")["readyReplicas"].as_i64(), None | Some(0)),
        "{}",
        remote("m2")
    );
    assert_eq!(remote("m2")["replicas"], 1);

    // Unchanged member status: no write to the host or the members.
    let before = p.writes();
    p.once_with(deployments_only()).await;
    assert_eq!(p.writes(), before);

    let (code, out, err) = p
        .cli(&["status", "deployments.apps", "-n", "app", "-o", "wide"])
        .await;
    assert_eq!(code, 0, "{err}");
    let m1_line = out.lines().find(|l| l.starts_with("m1")).expect(&out);
    assert!(m1_line.contains("readyReplicas=1"), "{out}");
    assert!(
        out.lines().next().unwrap().contains("REMOTE-STATUS"),
        "{out}"
    );

    let (code, out, err) = p
        .cli(&[
            "status",
            "deployments.apps",
            "web",
            "-n",
            "app",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(code, 0, "{err}");
    let rows: Value = serde_json::from_str(&out).unwrap();
    let m1_row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["cluster"] == "m1")
        .unwrap();
    assert_eq!(
        m1_row["remoteStatus"],
        json!({"replicas": 1, "readyReplicas": 1, "availableReplicas": 1})
    );
}
