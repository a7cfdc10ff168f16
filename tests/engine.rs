//! The propagation engine (`reconcile --once`) against sandbox clusters: a host with the control plane and
//! members registered with their own tokens, checked the way a user would check them.

mod support;

use kubefedctl::engine::runner::{PassOutcome, RunOptions};
use serde_json::json;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn create_and_update_propagate_the_template_with_per_cluster_overrides() {
    let p = plane(&["m1", "m2"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({
            "template": {"metadata": {"labels": {"tier": "front"}}, "data": {"k": "v1"}},
            "placement": {"clusters": [{"name": "m1"}, {"name": "m2"}]},
            "overrides": [{"clusterName": "m2", "clusterOverrides": [
                {"path": "/data/k", "value": "v2"},
                {"op": "add", "path": "/metadata/annotations", "value": {"note": "m2 only"}}
            ]}]
        }),
    )
    .await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");

    let m1 = p.configmap("m1", "app", "web").await.expect("in m1");
    assert_eq!(m1["data"]["k"], "v1");
    assert_eq!(
        labels(&m1),
        json!({"tier": "front", "kubefed.io/managed": "true"})
    );
    let m2 = p.configmap("m2", "app", "web").await.expect("in m2");
    assert_eq!(m2["data"]["k"], "v2");
    assert_eq!(m2["metadata"]["annotations"]["note"], "m2 only");
    assert_eq!(
        record(&report, "m1", "web").unwrap().action.as_str(),
        "create"
    );

    let fed_obj = get(&p.host, &federated("ConfigMap"), Some("app"), "web")
        .await
        .unwrap();
    assert_eq!(
        fed_obj["metadata"]["finalizers"],
        json!(["kubefed.io/sync-controller"])
    );
    assert_eq!(
        fed_obj["status"]["clusters"],
        json!([{"name": "m1"}, {"name": "m2"}])
    );
    let cond = &fed_obj["status"]["conditions"][0];
    assert_eq!(cond["type"], "Propagation");
    assert_eq!(cond["status"], "True");
    assert!(cond.get("reason").is_none());
    assert_eq!(
        fed_obj["status"]["observedGeneration"],
        fed_obj["metadata"]["generation"]
    );

    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"template": {"data": {"k": "v3"}}}}),
    )
    .await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged);
    assert_eq!(
        record(&report, "m1", "web").unwrap().action.as_str(),
        "update"
    );
    assert_eq!(
        p.configmap("m1", "app", "web").await.unwrap()["data"]["k"],
        "v3"
    );
    // The override still wins in m2.
    assert_eq!(
        p.configmap("m2", "app", "web").await.unwrap()["data"]["k"],
        "v2"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pass_over_converged_state_sends_no_write_to_any_cluster() {
    let p = plane(&["m1", "m2"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    for i in 0..5 {
        p.federated_configmap("app", &format!("cm{i}"), json!({"template": {"data": {"i": i.to_string()}}, "placement": {"clusterSelector": {}}})).await;
    }
    assert_eq!(p.once().await.outcome(), PassOutcome::Converged);
    let before = p.writes();
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged);
    assert_eq!(p.writes(), before, "second pass wrote something");
    assert!(
        report.records.iter().all(|r| r.action.as_str() == "none"),
        "{report:#?}"
    );
    // Namespace + 5 ConfigMaps in 2 members.
    assert_eq!(report.records.len(), 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cluster_selector_places_by_kubefedcluster_labels_and_a_placement_change_removes() {
    let p = plane(
        &["m1", "m2"],
        &[("m1", &[("env", "prod")]), ("m2", &[("env", "dev")])],
    )
    .await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap("app", "web", json!({"template": {"data": {"a": "b"}}, "placement": {"clusterSelector": {"matchLabels": {"env": "prod"}}}})).await;
    p.once().await;
    assert!(p.configmap("m1", "app", "web").await.is_some());
    assert!(p.configmap("m2", "app", "web").await.is_none());

    // `clusters` wins over the selector, even when it names another cluster.
    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"placement": {"clusters": [{"name": "m2"}]}}}),
    )
    .await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    assert!(
        p.configmap("m1", "app", "web").await.is_none(),
        "removed from m1"
    );
    assert!(p.configmap("m2", "app", "web").await.is_some());
    assert_eq!(
        record(&report, "m1", "web").unwrap().action.as_str(),
        "delete"
    );

    // An empty list places nowhere.
    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"placement": {"clusters": []}}}),
    )
    .await;
    p.once().await;
    assert!(p.configmap("m2", "app", "web").await.is_none());
    let f = get(&p.host, &federated("ConfigMap"), Some("app"), "web")
        .await
        .unwrap();
    assert!(f["status"].get("clusters").is_none(), "{f:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn objects_in_a_namespace_without_federated_namespace_are_not_propagated() {
    let p = plane(&["m1", "m2"], &[]).await;
    p.host_namespace("plain").await;
    p.federated_configmap(
        "plain",
        "web",
        json!({"template": {"data": {"a": "b"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    let report = p.once().await;
    assert_ne!(report.outcome(), PassOutcome::Converged);
    let r = report.records.iter().find(|r| r.name == "web").unwrap();
    assert_eq!(r.status, "NamespaceNotFederated");
    assert!(p.configmap("m1", "plain", "web").await.is_none());
    let f = get(&p.host, &federated("ConfigMap"), Some("plain"), "web")
        .await
        .unwrap();
    assert_eq!(
        f["status"]["conditions"][0]["reason"],
        "NamespaceNotFederated"
    );
    assert_eq!(f["status"]["conditions"][0]["status"], "False");

    // A FederatedNamespace placing only m1 gates the object to m1.
    create(&p.host, &federated("Namespace"), Some("plain"), json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedNamespace", "metadata": {"name": "plain", "namespace": "plain"}, "spec": {"placement": {"clusters": [{"name": "m1"}]}}})).await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    assert!(p.configmap("m1", "plain", "web").await.is_some());
    assert!(p.configmap("m2", "plain", "web").await.is_none());
    assert!(get(
        &p.member("m2").await,
        &core("Namespace", "namespaces"),
        None,
        "plain"
    )
    .await
    .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deleting_a_federated_object_deletes_member_copies_then_releases_the_finalizer() {
    let p = plane(&["m1", "m2"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "b"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    p.once().await;
    delete(&p.host, &federated("ConfigMap"), Some("app"), "web").await;
    // The finalizer holds the object until the members confirm.
    assert!(get(&p.host, &federated("ConfigMap"), Some("app"), "web")
        .await
        .is_some());
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    assert!(p.configmap("m1", "app", "web").await.is_none());
    assert!(p.configmap("m2", "app", "web").await.is_none());
    assert!(
        get(&p.host, &federated("ConfigMap"), Some("app"), "web")
            .await
            .is_none(),
        "finalizer released"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orphaning_deletion_leaves_member_objects_without_the_managed_label() {
    let p = plane(&["m1", "m2"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap("app", "web", json!({"template": {"metadata": {"labels": {"x": "y"}}, "data": {"a": "b"}}, "placement": {"clusterSelector": {}}})).await;
    p.once().await;
    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"metadata": {"annotations": {"kubefed.io/orphan": "true"}}}),
    )
    .await;
    delete(&p.host, &federated("ConfigMap"), Some("app"), "web").await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    for m in ["m1", "m2"] {
        let cm = p.configmap(m, "app", "web").await.expect("orphan kept");
        assert_eq!(labels(&cm), json!({"x": "y"}), "{m}");
    }
    assert!(get(&p.host, &federated("ConfigMap"), Some("app"), "web")
        .await
        .is_none());
    // Unmanaged now: a later pass leaves them alone.
    let before = p.writes();
    p.once().await;
    assert_eq!(p.writes(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deleteoption_orphan_policy_keeps_dependents_of_member_objects() {
    let p = plane(&["m1"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "b"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    p.once().await;
    let m1 = p.member("m1").await;
    let owner = p.configmap("m1", "app", "web").await.unwrap();
    create(&m1, &configmaps(), Some("app"), json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "dependent", "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "web", "uid": owner["metadata"]["uid"]}]}})).await;
    merge(&p.host, &federated("ConfigMap"), Some("app"), "web", json!({"metadata": {"annotations": {"kubefed.io/deleteoption": "{\"propagationPolicy\":\"Orphan\"}"}}})).await;
    delete(&p.host, &federated("ConfigMap"), Some("app"), "web").await;
    p.once().await;
    assert!(p.configmap("m1", "app", "web").await.is_none());
    // Orphaned, not left for collection: an orphaning deletion strips the dependent's owner reference
    // before the owner goes (a background deletion would leave it pointing at the gone owner until the
    // garbage collector deleted it).
    let dependent = p
        .configmap("m1", "app", "dependent")
        .await
        .expect("dependent orphaned, not collected");
    assert!(
        dependent["metadata"]["ownerReferences"]
            .as_array()
            .is_none_or(|refs| refs.is_empty()),
        "{dependent}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unlabelled_member_object_is_adopted_when_adoption_is_enabled() {
    let p = plane(&["m1"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.once().await;
    let m1 = p.member("m1").await;
    create(&m1, &configmaps(), Some("app"), json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web"}, "data": {"a": "old"}})).await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "new"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    assert_eq!(
        record(&report, "m1", "web").unwrap().action.as_str(),
        "adopt"
    );
    let cm = p.configmap("m1", "app", "web").await.unwrap();
    assert_eq!(cm["data"]["a"], "new");
    assert_eq!(cm["metadata"]["labels"]["kubefed.io/managed"], "true");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unlabelled_member_object_is_left_alone_and_reported_when_adoption_is_disabled() {
    let p = plane_with(&["m1"], &[], "Cluster", |c| {
        c.spec.sync_controller.as_mut().unwrap().adopt_resources = Some("Disabled".into());
    })
    .await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.once().await;
    let m1 = p.member("m1").await;
    create(&m1, &configmaps(), Some("app"), json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web"}, "data": {"a": "old"}})).await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "new"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Partial);
    assert_eq!(
        record(&report, "m1", "web").unwrap().status,
        "AlreadyExists"
    );
    let cm = p.configmap("m1", "app", "web").await.unwrap();
    assert_eq!(cm["data"]["a"], "old");
    assert_eq!(labels(&cm), serde_json::Value::Null);
    let f = get(&p.host, &federated("ConfigMap"), Some("app"), "web")
        .await
        .unwrap();
    assert_eq!(
        f["status"]["clusters"],
        json!([{"name": "m1", "status": "AlreadyExists"}])
    );
    assert_eq!(f["status"]["conditions"][0]["reason"], "CheckClusters");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn managed_false_label_opts_a_member_object_out_of_updates() {
    let p = plane(&["m1"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "v1"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    p.once().await;
    let m1 = p.member("m1").await;
    merge(
        &m1,
        &configmaps(),
        Some("app"),
        "web",
        json!({"metadata": {"labels": {"kubefed.io/managed": "false"}}, "data": {"a": "mine"}}),
    )
    .await;
    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"template": {"data": {"a": "v2"}}}}),
    )
    .await;
    let report = p.once().await;
    assert_eq!(
        record(&report, "m1", "web").unwrap().status,
        "ManagedLabelFalse"
    );
    assert_eq!(
        p.configmap("m1", "app", "web").await.unwrap()["data"]["a"],
        "mine"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unlabelled_objects_outside_the_placement_are_never_touched() {
    let p = plane(&["m1", "m2"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.once().await;
    let m2 = p.member("m2").await;
    create(&m2, &configmaps(), Some("app"), json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web"}, "data": {"a": "users"}})).await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "fed"}}, "placement": {"clusters": [{"name": "m1"}]}}),
    )
    .await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    let cm = p.configmap("m2", "app", "web").await.expect("kept");
    assert_eq!(cm["data"]["a"], "users");
    assert!(record(&report, "m2", "web").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn managed_objects_without_a_federated_owner_lose_the_label_but_stay() {
    let p = plane(&["m1"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.once().await;
    let m1 = p.member("m1").await;
    create(&m1, &configmaps(), Some("app"), json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "stray", "labels": {"kubefed.io/managed": "true"}}})).await;
    let report = p.once().await;
    assert_eq!(
        record(&report, "m1", "stray").unwrap().action.as_str(),
        "unlabel"
    );
    let cm = p
        .configmap("m1", "app", "stray")
        .await
        .expect("never deleted");
    assert!(
        cm.pointer("/metadata/labels/kubefed.io~1managed").is_none(),
        "{cm:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dry_run_computes_every_action_and_writes_nothing() {
    let p = plane(&["m1", "m2"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "b"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    let before = p.writes();
    let report = p
        .once_with(RunOptions {
            dry_run: true,
            ..RunOptions::default()
        })
        .await;
    assert_eq!(p.writes(), before, "dry run wrote");
    assert_eq!(
        record(&report, "m1", "web").unwrap().action.as_str(),
        "create"
    );
    assert!(p.configmap("m1", "app", "web").await.is_none());
    let f = get(&p.host, &federated("ConfigMap"), Some("app"), "web")
        .await
        .unwrap();
    assert!(f["metadata"].get("finalizers").is_none());
    assert!(f
        .get("status")
        .is_none_or(|s| s.get("conditions").is_none()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn namespace_and_type_flags_narrow_the_pass() {
    let p = plane(&["m1"], &[]).await;
    p.federate_namespace("a", json!({"clusterSelector": {}}))
        .await;
    p.federate_namespace("b", json!({"clusterSelector": {}}))
        .await;
    p.once().await;
    p.federated_configmap(
        "a",
        "x",
        json!({"template": {}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    p.federated_configmap(
        "b",
        "y",
        json!({"template": {}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    let report = p
        .once_with(RunOptions {
            namespace: Some("a".into()),
            types: vec!["configmaps".into()],
            ..RunOptions::default()
        })
        .await;
    assert!(
        report
            .records
            .iter()
            .all(|r| r.namespace == "a" && r.type_name == "configmaps"),
        "{report:#?}"
    );
    assert!(p.configmap("m1", "a", "x").await.is_some());
    assert!(p.configmap("m1", "b", "y").await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rerun_after_an_interrupted_pass_converges_without_duplicates() {
    let p = plane(&["m1", "m2"], &[]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    for i in 0..40 {
        p.federated_configmap("app", &format!("cm{i}"), json!({"template": {"data": {"i": i.to_string()}}, "placement": {"clusterSelector": {}}})).await;
    }
    // Cut a pass short in the middle of its writes.
    let opts = RunOptions {
        concurrency: 2,
        ..RunOptions::default()
    };
    let _ = tokio::time::timeout(
        std::time::Duration::from_millis(300),
        kubefedctl::engine::runner::reconcile_once(&p.host, &opts),
    )
    .await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    for m in ["m1", "m2"] {
        let list: kube::api::ObjectList<kube::api::DynamicObject> =
            kube::api::Api::namespaced_with(p.member(m).await, "app", &configmaps())
                .list(&kube::api::ListParams::default().labels("kubefed.io/managed=true"))
                .await
                .unwrap();
        assert_eq!(list.items.len(), 40, "{m}");
    }
    let before = p.writes();
    p.once().await;
    assert_eq!(p.writes(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn namespaced_plane_propagates_only_the_control_plane_namespace_without_federated_namespace()
{
    let p = plane_with(&["m1"], &[], "Namespaced", |_| {}).await;
    // The member needs the control-plane namespace, as join creates it.
    create(
        &p.member("m1").await,
        &core("Namespace", "namespaces"),
        None,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}}),
    )
    .await;
    p.host_namespace("other").await;
    p.federated_configmap(
        NS,
        "inside",
        json!({"template": {"data": {"a": "b"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    p.federated_configmap(
        "other",
        "outside",
        json!({"template": {"data": {"a": "b"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    assert!(p.configmap("m1", NS, "inside").await.is_some());
    assert!(
        report.records.iter().all(|r| r.namespace == NS),
        "{report:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn host_joined_as_member_keeps_its_own_namespace_when_deselected() {
    let p = plane(&["m1"], &[]).await;
    // The host joins itself.
    let h = p.sb.cluster("host").unwrap();
    register(
        &p.host,
        "host",
        &h.server_url(),
        &h.ca_pem,
        &h.admin_token,
        Default::default(),
    )
    .await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "b"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    let ns = get(&p.host, &core("Namespace", "namespaces"), None, "app")
        .await
        .unwrap();
    assert_eq!(
        ns["metadata"]["labels"]["kubefed.io/managed"], "true",
        "host namespace adopted"
    );

    merge(
        &p.host,
        &federated("Namespace"),
        Some("app"),
        "app",
        json!({"spec": {"placement": {"clusters": [{"name": "m1"}]}}}),
    )
    .await;
    let report = p.once().await;
    assert_eq!(report.outcome(), PassOutcome::Converged, "{report:#?}");
    let ns = get(&p.host, &core("Namespace", "namespaces"), None, "app")
        .await
        .expect("never deleted");
    assert!(ns["metadata"]["deletionTimestamp"].is_null());
    assert!(
        ns.pointer("/metadata/labels/kubefed.io~1managed").is_none(),
        "{ns:#}"
    );
    assert!(get(&p.host, &federated("ConfigMap"), Some("app"), "web")
        .await
        .is_some());
    assert!(
        get(&p.host, &configmaps(), Some("app"), "web")
            .await
            .is_none(),
        "gated out of the host"
    );
}
