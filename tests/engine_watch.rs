//! `reconcile --watch` against sandbox clusters: reacting to template changes and member drift, leader
//! election between replicas, lease release on shutdown; and propagation of a custom resource type.

mod support;

use std::sync::Arc;
use std::time::Duration;

use kubefedctl::engine::runner::{PassOutcome, RunOptions};
use kubefedctl::engine::watch::{self, WatchEvent, WatchOptions, LEASE_NAME};
use kubefedctl::kubefed::typeconfig::TargetType;
use kubefedctl::kubefed::types::KubeFedCluster;
use serde_json::{json, Value};
use support::*;
use tokio::sync::oneshot;

fn fast_leader_election(c: &mut kubefedctl::kubefed::types::KubeFedConfig) {
    let le = c.spec.leader_elect.as_mut().unwrap();
    le.lease_duration = Some("1500ms".into());
    le.renew_deadline = Some("1s".into());
    le.retry_period = Some("200ms".into());
}

fn lease_ar() -> kube::core::ApiResource {
    kube::core::ApiResource {
        group: "coordination.k8s.io".into(),
        version: "v1".into(),
        api_version: "coordination.k8s.io/v1".into(),
        kind: "Lease".into(),
        plural: "leases".into(),
    }
}

/// What a replica told its observer, in order.
type Events = Arc<std::sync::Mutex<Vec<WatchEvent>>>;

/// Starts a watching replica; returns its shutdown trigger and task.
fn start_replica(
    host: &kube::Client,
    identity: &str,
) -> (
    oneshot::Sender<()>,
    tokio::task::JoinHandle<anyhow::Result<()>>,
) {
    let (tx, task, _) = start_observed_replica(host, identity);
    (tx, task)
}

/// Starts a watching replica that keeps what it is told; returns its shutdown trigger, task and events.
fn start_observed_replica(
    host: &kube::Client,
    identity: &str,
) -> (
    oneshot::Sender<()>,
    tokio::task::JoinHandle<anyhow::Result<()>>,
    Events,
) {
    let (tx, rx) = oneshot::channel::<()>();
    let host = host.clone();
    let wopts = WatchOptions {
        identity: identity.to_string(),
        resync_period: Duration::from_secs(300),
        settle: Duration::from_millis(50),
    };
    let events = Events::default();
    let kept = events.clone();
    let task = tokio::spawn(async move {
        let opts = RunOptions::default();
        watch::run(
            &host,
            &opts,
            &wopts,
            async move {
                let _ = rx.await;
            },
            &move |e: &WatchEvent| kept.lock().unwrap().push(e.clone()),
        )
        .await
    });
    (tx, task, events)
}

/// Stops a replica and waits (at most 10 s) for it to finish cleanly.
async fn stop_replica(
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
) {
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

async fn holder(host: &kube::Client) -> Option<String> {
    get(host, &lease_ar(), Some(NS), LEASE_NAME)
        .await
        .and_then(|l| {
            l.pointer("/spec/holderIdentity")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_propagates_template_changes_and_reverts_hand_edits_in_members() {
    let p = plane_with(&["m1", "m2"], &[], "Cluster", fast_leader_election).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "v1"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    let (stop, task) = start_replica(&p.host, "replica-a");

    let m1 = p.member("m1").await;
    eventually(20, "initial propagation", || {
        let m1 = m1.clone();
        async move {
            get(&m1, &configmaps(), Some("app"), "web")
                .await
                .filter(|c| c["data"]["a"] == "v1")
        }
    })
    .await;

    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"template": {"data": {"a": "v2"}}}}),
    )
    .await;
    eventually(20, "template change in m2", || {
        let p = &p;
        async move {
            p.configmap("m2", "app", "web")
                .await
                .filter(|c| c["data"]["a"] == "v2")
        }
    })
    .await;

    // Someone edits the member copy by hand: the watcher on managed objects brings it back.
    merge(
        &m1,
        &configmaps(),
        Some("app"),
        "web",
        json!({"data": {"a": "hand-edited"}}),
    )
    .await;
    eventually(20, "drift corrected in m1", || {
        let m1 = m1.clone();
        async move {
            get(&m1, &configmaps(), Some("app"), "web")
                .await
                .filter(|c| c["data"]["a"] == "v2")
        }
    })
    .await;

    assert_eq!(holder(&p.host).await.as_deref(), Some("replica-a"));
    stop_replica(stop, task).await;
    assert_eq!(
        holder(&p.host).await.as_deref(),
        Some(""),
        "lease released on shutdown"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn second_replica_waits_while_the_first_leads_and_takes_over_when_it_stops() {
    let p = plane_with(&["m1"], &[], "Cluster", fast_leader_election).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    let (stop_a, task_a, events_a) = start_observed_replica(&p.host, "replica-a");
    eventually(10, "replica-a leads", || {
        let h = p.host.clone();
        async move { (holder(&h).await.as_deref() == Some("replica-a")).then_some(()) }
    })
    .await;
    let (stop_b, task_b, events_b) = start_observed_replica(&p.host, "replica-b");
    // b tries at once and every retry period (200 ms); a renews on the same period. Two renewals by a
    // after b started span b's first tries: had b not waited, it would hold the lease by then.
    let renew_time = |h: kube::Client| async move {
        get(&h, &lease_ar(), Some(NS), LEASE_NAME)
            .await
            .and_then(|l| l.pointer("/spec/renewTime").cloned())
    };
    let mut last = renew_time(p.host.clone()).await;
    for _ in 0..2 {
        last = eventually(10, "replica-a renews its lease", || {
            let (h, last) = (p.host.clone(), last.clone());
            async move {
                let now = renew_time(h).await;
                (now != last).then_some(now)
            }
        })
        .await;
        assert_eq!(
            holder(&p.host).await.as_deref(),
            Some("replica-a"),
            "b must wait"
        );
    }
    // Each is told where it stands: a that it leads, b (once, however often it tried) who holds the lease.
    let leading = |identity: &str| WatchEvent::Leading {
        namespace: NS.into(),
        identity: identity.into(),
    };
    assert_eq!(
        events_a.lock().unwrap().first(),
        Some(&leading("replica-a"))
    );
    let waiting = WatchEvent::WaitingToLead {
        namespace: NS.into(),
        holder: "replica-a".into(),
    };
    assert_eq!(*events_b.lock().unwrap(), vec![waiting.clone()]);

    stop_replica(stop_a, task_a).await;
    eventually(10, "replica-b takes over", || {
        let h = p.host.clone();
        async move { (holder(&h).await.as_deref() == Some("replica-b")).then_some(()) }
    })
    .await;
    eventually(10, "replica-b to be told it leads", || {
        let events_b = events_b.clone();
        async move { (events_b.lock().unwrap().len() >= 2).then_some(()) }
    })
    .await;
    assert_eq!(
        events_b.lock().unwrap()[..2],
        [waiting, leading("replica-b")],
        "what replica-b was told"
    );
    // The new leader reconciles.
    p.federated_configmap(
        "app",
        "after",
        json!({"template": {"data": {"k": "v"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    eventually(20, "propagation by replica-b", || {
        let p = &p;
        async move { p.configmap("m1", "app", "after").await }
    })
    .await;
    stop_replica(stop_b, task_b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn custom_resource_types_propagate_like_built_in_ones() {
    let p = plane(&["m1", "m2"], &[]).await;
    let schema = json!({"openAPIV3Schema": {"type": "object", "properties": {
        "spec": {"type": "object", "properties": {"size": {"type": "integer"}, "color": {"type": "string"}}}}}});
    let crd = json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced",
                 "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
                 "versions": [{"name": "v1", "served": true, "storage": true, "schema": schema}]}
    });
    // The target type must exist in every member (and the host, for enable).
    for c in ["host", "m1", "m2"] {
        let client = client(&p.sb, c).await;
        create(&client, &crd_ar(), None, crd.clone()).await;
    }
    let target = TargetType::new("example.com", "v1", "Widget", "widgets", true);
    enable(&p.host, &target, Some(&schema)).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    create(
        &p.host,
        &federated("Widget"),
        Some("app"),
        json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedWidget", "metadata": {"name": "w", "namespace": "app"},
               "spec": {"template": {"spec": {"size": 3, "color": "red"}}, "placement": {"clusterSelector": {}},
                        "overrides": [{"clusterName": "m2", "clusterOverrides": [{"path": "/spec/color", "value": "blue"}]}]}}),
    )
    .await;
    let widgets = kube::core::ApiResource {
        group: "example.com".into(),
        version: "v1".into(),
        api_version: "example.com/v1".into(),
        kind: "Widget".into(),
        plural: "widgets".into(),
    };
    // Eventually: CRD discovery in members may lag the first pass.
    let p = Arc::new(p);
    eventually(20, "widgets in both members", || {
        let p = p.clone();
        let widgets = widgets.clone();
        async move {
            let report = p.once().await;
            if report.outcome() != PassOutcome::Converged {
                return None;
            }
            let w1 = get(&p.member("m1").await, &widgets, Some("app"), "w").await?;
            let w2 = get(&p.member("m2").await, &widgets, Some("app"), "w").await?;
            Some((w1, w2))
        }
    })
    .await;
    let w1 = get(&p.member("m1").await, &widgets, Some("app"), "w")
        .await
        .unwrap();
    let w2 = get(&p.member("m2").await, &widgets, Some("app"), "w")
        .await
        .unwrap();
    assert_eq!(w1["spec"], json!({"size": 3, "color": "red"}));
    assert_eq!(w2["spec"]["color"], "blue");
    assert_eq!(w1["metadata"]["labels"]["kubefed.io/managed"], "true");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn server_side_apply_removes_dropped_fields_and_keeps_other_managers_fields() {
    let p = plane(&["m1"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "1", "b": "2"}}, "placement": {"clusterSelector": {}},
               "overrides": [{"clusterName": "m1", "clusterOverrides": [{"op": "add", "path": "/metadata/annotations", "value": {"x": "y"}}]}]}),
    )
    .await;
    p.once().await;
    // Another manager owns a key of its own in the member.
    let m1 = p.member("m1").await;
    kube::api::Api::<kube::api::DynamicObject>::namespaced_with(m1.clone(), "app", &configmaps())
        .patch(
            "web",
            &kube::api::PatchParams::apply("someone-else"),
            &kube::api::Patch::Apply(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web"}, "data": {"theirs": "t"}})),
        )
        .await
        .unwrap();
    // Drop `b` from the template and the annotation override.
    let f = get(&p.host, &federated("ConfigMap"), Some("app"), "web")
        .await
        .unwrap();
    let mut spec = f["spec"].clone();
    spec["template"]["data"] = json!({"a": "1"});
    spec.as_object_mut().unwrap().remove("overrides");
    kube::api::Api::<kube::api::DynamicObject>::namespaced_with(
        p.host.clone(),
        "app",
        &federated("ConfigMap"),
    )
    .patch(
        "web",
        &kube::api::PatchParams::default(),
        &kube::api::Patch::Json::<()>(
            serde_json::from_value(json!([{"op": "replace", "path": "/spec", "value": spec}]))
                .unwrap(),
        ),
    )
    .await
    .unwrap();
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    let cm = p.configmap("m1", "app", "web").await.unwrap();
    assert_eq!(cm["data"], json!({"a": "1", "theirs": "t"}), "{cm:#}");
    assert!(
        cm["metadata"]
            .get("annotations")
            .is_none_or(|a| a.get("x").is_none()),
        "{cm:#}"
    );
    // And converged again means no writes.
    let before = p.writes();
    p.once().await;
    assert_eq!(p.writes(), before);
}

fn fast_health_checks(c: &mut kubefedctl::kubefed::types::KubeFedConfig) {
    fast_leader_election(c);
    let hc = c.spec.cluster_health_check.as_mut().unwrap();
    hc.period = Some("1s".into());
    hc.timeout = Some("1s".into());
    hc.failure_threshold = Some(1);
}

async fn value_in(p: &Plane, cluster: &str, name: &str) -> Option<String> {
    p.configmap(cluster, "app", name)
        .await
        .and_then(|c| c["data"]["a"].as_str().map(str::to_string))
}

async fn wait_value(p: &Plane, cluster: &str, name: &str, want: Option<&str>, what: &str) {
    eventually(30, what, || async {
        (value_in(p, cluster, name).await.as_deref() == want).then_some(())
    })
    .await;
}

/// Placement changes, a member's labels changing, and a member registered while the watcher runs are each
/// picked up without a restart: objects appear where they are now placed and leave where they are not.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_follows_placement_label_and_membership_changes() {
    let p = plane_with(&["m1", "m2", "m3"], &[], "Cluster", fast_health_checks).await;
    // m3 joins later: take its registration away before the watcher starts.
    delete(&p.host, &KubeFedCluster::api_resource(), Some(NS), "m3").await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "v1"}}, "placement": {"clusters": [{"name": "m1"}]}}),
    )
    .await;
    let (stop, task) = start_replica(&p.host, "replica-a");
    wait_value(&p, "m1", "web", Some("v1"), "web in m1").await;
    assert_eq!(value_in(&p, "m2", "web").await, None, "not placed in m2");

    // A placement change: now in m1 and m2.
    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"placement": {"clusters": [{"name": "m1"}, {"name": "m2"}]}}}),
    )
    .await;
    wait_value(&p, "m2", "web", Some("v1"), "web added to m2").await;

    // Placement by label, then a cluster's labels change: the object follows the label.
    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"placement": {"clusters": null, "clusterSelector": {"matchLabels": {"tier": "gold"}}}}}),
    )
    .await;
    wait_value(
        &p,
        "m1",
        "web",
        None,
        "web removed from m1 (no cluster has tier=gold)",
    )
    .await;
    wait_value(&p, "m2", "web", None, "web removed from m2").await;
    merge(
        &p.host,
        &KubeFedCluster::api_resource(),
        Some(NS),
        "m2",
        json!({"metadata": {"labels": {"tier": "gold"}}}),
    )
    .await;
    wait_value(
        &p,
        "m2",
        "web",
        Some("v1"),
        "web back in m2 once it is labelled",
    )
    .await;
    assert_eq!(value_in(&p, "m1", "web").await, None);

    // A member registered while watching receives what is placed there.
    let m3 = p.sb.cluster("m3").unwrap();
    let mut labels = serde_json::Map::new();
    labels.insert("tier".into(), json!("gold"));
    delete(&p.host, &core("Secret", "secrets"), Some(NS), "m3-secret").await;
    register(
        &p.host,
        "m3",
        &m3.server_url(),
        &m3.ca_pem,
        &m3.admin_token,
        labels,
    )
    .await;
    wait_value(
        &p,
        "m3",
        "web",
        Some("v1"),
        "web in the newly registered m3",
    )
    .await;

    stop_replica(stop, task).await;
}

/// A member that goes down while watching does not hold the others back, and catches up once it is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_keeps_the_others_going_while_a_member_is_down_and_catches_it_up() {
    let mut p = plane_with(&["m1", "m2"], &[], "Cluster", fast_health_checks).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "v1"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    let (stop, task) = start_replica(&p.host, "replica-a");
    wait_value(&p, "m1", "web", Some("v1"), "web in m1").await;
    wait_value(&p, "m2", "web", Some("v1"), "web in m2").await;

    p.sb.stop("m1").await.unwrap();
    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"template": {"data": {"a": "v2"}}}}),
    )
    .await;
    wait_value(
        &p,
        "m2",
        "web",
        Some("v2"),
        "the change in m2 while m1 is down",
    )
    .await;

    p.sb.resume("m1").await.unwrap();
    wait_value(&p, "m1", "web", Some("v2"), "m1 caught up once back").await;

    stop_replica(stop, task).await;
}

/// Under --watch the deletion budget counts per cluster over the resync period: the first deletion over
/// it stops deletions in that cluster (the rest still reconciles), the operator is told, and the held
/// objects wait for consent — a later pass with --allow-mass-deletion deletes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_holds_deletions_over_the_budget_until_consent() {
    use kubefedctl::engine::deletions::MaxDeletions;
    let p = plane_with(&["m1", "m2"], &[], "Cluster", fast_leader_election).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    for i in 0..8 {
        p.federated_configmap(
            "app",
            &format!("cm-{i}"),
            json!({"template": {"data": {"i": i.to_string()}}, "placement": {"clusterSelector": {}}}),
        )
        .await;
    }
    assert_eq!(p.once().await.outcome(), PassOutcome::Converged);

    let said: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let (tx, rx) = oneshot::channel::<()>();
    let task = {
        let host = p.host.clone();
        let said = said.clone();
        tokio::spawn(async move {
            let opts = RunOptions {
                max_deletions: MaxDeletions::Count(3),
                ..RunOptions::default()
            };
            let wopts = WatchOptions {
                identity: "budgeted".into(),
                resync_period: Duration::from_secs(300),
                settle: Duration::from_millis(50),
            };
            let observer = move |e: &WatchEvent| {
                if let WatchEvent::Pass { report, .. } = e {
                    said.lock().unwrap().extend(report.errors.iter().cloned());
                }
            };
            watch::run(
                &host,
                &opts,
                &wopts,
                async move {
                    let _ = rx.await;
                },
                &observer,
            )
            .await
        })
    };
    eventually(10, "the watcher to lead", || {
        let host = p.host.clone();
        async move { (holder(&host).await.as_deref() == Some("budgeted")).then_some(()) }
    })
    .await;

    for i in 0..6 {
        delete(
            &p.host,
            &federated("ConfigMap"),
            Some("app"),
            &format!("cm-{i}"),
        )
        .await;
    }
    eventually(30, "the operator to be told", || {
        let said = said.clone();
        async move {
            said.lock()
                .unwrap()
                .iter()
                .any(|m| m.contains("deletions in that cluster are held from now on"))
                .then_some(())
        }
    })
    .await;
    for m in ["m1", "m2"] {
        eventually(20, &format!("{m} to keep what the budget holds"), || {
            let p = &p;
            async move {
                let mut left = 0;
                for i in 0..8 {
                    left += usize::from(p.configmap(m, "app", &format!("cm-{i}")).await.is_some());
                }
                (left == 8 - 3).then_some(())
            }
        })
        .await;
    }
    // The held federated objects wait, finalizer in place.
    assert!(get(&p.host, &federated("ConfigMap"), Some("app"), "cm-5")
        .await
        .is_some());
    stop_replica(tx, task).await;

    let report = p
        .once_with(RunOptions {
            max_deletions: MaxDeletions::Unlimited,
            ..RunOptions::default()
        })
        .await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    for m in ["m1", "m2"] {
        for i in 0..6 {
            assert!(
                p.configmap(m, "app", &format!("cm-{i}")).await.is_none(),
                "{m} cm-{i}"
            );
        }
        assert!(p.configmap(m, "app", "cm-7").await.is_some());
    }
}
