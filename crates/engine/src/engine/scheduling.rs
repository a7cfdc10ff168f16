//! ReplicaSchedulingPreferences inside the propagation pass: which RSP governs a FederatedDeployment or
//! FederatedReplicaSet, its candidate clusters and the replicas running there, and the plan written back
//! to the federated object (placement + `/spec/replicas` overrides) before it is propagated.

use std::collections::{BTreeMap, BTreeSet};

use kube::api::{Api, DynamicObject, ListParams, PostParams};
use serde_json::{json, Value};

use super::placement::{self, ClusterInfo, ControlPlaneScope};
use super::reconcile::{Env, Listings, ObjectKey, Record, TypeInfo};
use crate::kubefed::types::ReplicaSchedulingPreference;
use crate::planner::{self, RspSpec, SchedulingInput, SCHEDULABLE_KINDS};

/// Object-level record status when an RSP cannot be applied to its federated object.
pub const SCHEDULING_FAILED: &str = "ReplicaSchedulingFailed";

/// Whether the scheduler handles this type: KubeFed has plugins for `deployments.apps` and `replicasets.apps`.
pub fn is_schedulable(ty: &TypeInfo) -> bool {
    ty.target.group == "apps" && matches!(ty.target.kind.as_str(), "Deployment" | "ReplicaSet")
}

/// The RSPs of the host (in `namespace`, else every namespace), by `(namespace, name)`.
pub async fn list_rsps(
    host: &kube::Client,
    namespace: Option<&str>,
) -> anyhow::Result<BTreeMap<ObjectKey, Value>> {
    let ar = ReplicaSchedulingPreference::api_resource();
    let api: Api<DynamicObject> = match namespace {
        Some(ns) => Api::namespaced_with(host.clone(), ns, &ar),
        None => Api::all_with(host.clone(), &ar),
    };
    let list = api.list(&ListParams::default()).await.map_err(|e| {
        anyhow::anyhow!(
            "cannot list ReplicaSchedulingPreferences in the host: {}",
            crate::error::redact(&e.to_string())
        )
    })?;
    Ok(list
        .items
        .into_iter()
        .map(|o| {
            let key = (
                o.metadata.namespace.clone().unwrap_or_default(),
                o.metadata.name.clone().unwrap_or_default(),
            );
            (key, serde_json::to_value(o).expect("objects serialise"))
        })
        .collect())
}

/// The RSP governing a federated object of kind `federated_kind`: same namespace and name, and a `targetKind`
/// naming that kind. An RSP whose `targetKind` is no schedulable kind is returned too, so that its error is
/// reported on the object it was meant for.
pub fn rsp_for<'a>(
    rsps: &'a BTreeMap<ObjectKey, Value>,
    key: &ObjectKey,
    federated_kind: &str,
) -> Option<&'a Value> {
    let rsp = rsps.get(key)?;
    match rsp.pointer("/spec/targetKind").and_then(Value::as_str) {
        Some(k) if k == federated_kind => Some(rsp),
        Some(k) if SCHEDULABLE_KINDS.contains(&k) => None,
        _ => Some(rsp),
    }
}

/// Replicas a member runs: `status.readyReplicas` (0 when the member reports none). KubeFed counts running,
/// ready pods when `readyReplicas` differs from `spec.replicas`; members here report through their status.
pub fn current_replicas(live: &Value) -> i64 {
    live.pointer("/status/readyReplicas")
        .and_then(Value::as_i64)
        .unwrap_or(0)
        .max(0)
}

/// Where an RSP may put replicas: the ready clusters, narrowed with `intersectWithClusterSelector` to the
/// clusters the object's `clusterSelector` alone selects (its `clusters` list is what the scheduler writes),
/// and always to the object's FederatedNamespace placement. Sorted by name.
pub fn candidate_clusters(
    spec: &RspSpec,
    fed: &Value,
    clusters: &[ClusterInfo],
    federated_namespace: Option<&BTreeSet<String>>,
    scope: ControlPlaneScope,
) -> Result<Vec<String>, placement::PlacementError> {
    let ready: BTreeSet<String> = clusters
        .iter()
        .filter(|c| c.ready)
        .map(|c| c.name.clone())
        .collect();
    let candidates = if spec.intersect_with_cluster_selector {
        let by_selector = placement::selector_clusters(fed.pointer("/spec/placement"), clusters)?;
        ready.intersection(&by_selector).cloned().collect()
    } else {
        ready
    };
    Ok(
        placement::gate_by_namespace(&candidates, federated_namespace, scope)
            .clusters
            .into_iter()
            .collect(),
    )
}

/// Why an RSP could not be applied.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum SchedulingError {
    #[error(transparent)]
    Invalid(#[from] planner::RspError),
    #[error("ReplicaSchedulingPreference {rsp:?} targets {target:?}, but the object is a {kind}")]
    WrongKind {
        rsp: String,
        target: String,
        kind: String,
    },
    #[error("cannot compute the clusters of ReplicaSchedulingPreference {rsp:?}: {error}")]
    Placement { rsp: String, error: String },
    #[error(
        "cannot read the replicas running in cluster {cluster:?} for ReplicaSchedulingPreference {rsp:?}: {error}"
    )]
    Member {
        rsp: String,
        cluster: String,
        error: Box<super::error::EngineError>,
    },
}

/// The federated object rewritten for its RSP, or `None` when there is nothing to change (no candidate
/// cluster, or the object already carries the plan): the pure heart of the scheduler.
#[allow(clippy::too_many_arguments)]
pub fn scheduled_object(
    fed: &Value,
    rsp: &Value,
    federated_kind: &str,
    target_key: &ObjectKey,
    clusters: &[ClusterInfo],
    listings: &Listings,
    federated_namespace: Option<&BTreeSet<String>>,
    scope: ControlPlaneScope,
) -> Result<Option<Value>, SchedulingError> {
    let spec = planner::parse_rsp(rsp)?;
    let rsp_name = qualified(rsp);
    if spec.target_kind != federated_kind {
        return Err(SchedulingError::WrongKind {
            rsp: rsp_name,
            target: spec.target_kind,
            kind: federated_kind.to_string(),
        });
    }
    let candidates =
        candidate_clusters(&spec, fed, clusters, federated_namespace, scope).map_err(|e| {
            SchedulingError::Placement {
                rsp: rsp_name.clone(),
                error: e.to_string(),
            }
        })?;
    if candidates.is_empty() {
        return Ok(None);
    }
    let mut current = BTreeMap::new();
    for cluster in &candidates {
        match listings.get(cluster) {
            Some(Ok(listing)) => {
                if let Some(live) = listing.get(target_key) {
                    current.insert(cluster.clone(), current_replicas(&live));
                }
            }
            Some(Err(e)) => {
                return Err(SchedulingError::Member {
                    rsp: rsp_name,
                    cluster: cluster.clone(),
                    error: Box::new(e.clone()),
                })
            }
            None => {
                return Err(SchedulingError::Member {
                    rsp: rsp_name,
                    cluster: cluster.clone(),
                    error: Box::new(super::error::EngineError::not_ready("no listing was made")),
                })
            }
        }
    }
    let input = SchedulingInput {
        key: format!("{}/{}", target_key.0, target_key.1),
        total_replicas: spec.total_replicas,
        rebalance: spec.rebalance,
        preferences: spec.preferences,
        clusters: candidates,
        current_replicas: current,
        capacity: BTreeMap::new(),
    };
    let result = planner::schedule(&input);
    let planned = planner::apply_plan(fed, &result);
    Ok((planned != *fed).then_some(planned))
}

fn qualified(obj: &Value) -> String {
    let s = |p: &str| obj.pointer(p).and_then(Value::as_str).unwrap_or_default();
    match s("/metadata/namespace") {
        "" => s("/metadata/name").to_string(),
        ns => format!("{ns}/{}", s("/metadata/name")),
    }
}

fn failure(ty: &TypeInfo, fed: &Value, error: String) -> Record {
    let s = |p: &str| {
        fed.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Record {
        cluster: String::new(),
        type_name: ty.name.clone(),
        namespace: s("/metadata/namespace"),
        name: s("/metadata/name"),
        action: super::reconcile::Action::None,
        status: SCHEDULING_FAILED.to_string(),
        error: Some(error),
    }
}

/// Applies an RSP to its federated object before the object is reconciled: writes the plan into the host
/// (only when it changed; not with `--dry-run`) and returns the object to propagate, plus a record when the
/// RSP could not be applied — then the object is propagated as it stands.
pub async fn schedule_object(
    env: &Env,
    ty: &TypeInfo,
    rsp: &Value,
    listings: &Listings,
    fed: Value,
) -> (Value, Option<Record>) {
    if fed
        .pointer("/metadata/deletionTimestamp")
        .is_some_and(|v| !v.is_null())
    {
        return (fed, None);
    }
    let key = ty.target_key(&fed);
    let infos: Vec<ClusterInfo> = env
        .clusters
        .iter()
        .map(crate::engine::reconcile::ClusterView::info)
        .collect();
    let fed_ns = fed
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let planned = match scheduled_object(
        &fed,
        rsp,
        &ty.federated_api.kind,
        &key,
        &infos,
        listings,
        env.federated_namespaces.get(&fed_ns),
        env.scope,
    ) {
        Ok(Some(p)) => p,
        Ok(None) => return (fed, None),
        Err(e) => {
            let error = format!(
                "{}; {} {} is propagated as it stands. Fix the ReplicaSchedulingPreference (kubectl edit rsp {} -n {})",
                e,
                ty.federated_api.kind,
                qualified(&fed),
                key.1,
                fed_ns
            );
            return (fed.clone(), Some(failure(ty, &fed, error)));
        }
    };
    if env.dry_run {
        return (planned, None);
    }
    let api: Api<DynamicObject> = if ty.federated_namespaced {
        Api::namespaced_with(env.host.clone(), &fed_ns, &ty.federated_api)
    } else {
        Api::all_with(env.host.clone(), &ty.federated_api)
    };
    let mut body = planned;
    // The status belongs to the status subresource; a replace carries the spec, guarded by resourceVersion.
    if let Some(obj) = body.as_object_mut() {
        obj.remove("status");
    }
    let object: DynamicObject = match serde_json::from_value(body) {
        Ok(o) => o,
        Err(e) => return (fed.clone(), Some(failure(ty, &fed, e.to_string()))),
    };
    let written = {
        let _permit = env.limiter.acquire().await;
        api.replace(&key.1, &PostParams::default(), &object).await
    };
    match written {
        Ok(o) => {
            let mut value = super::cache::to_value(&o, &ty.federated_api);
            if let Some(w) = &env.written {
                w.record(
                    &super::cache::host_source(&ty.name),
                    &(fed_ns.clone(), key.1.clone()),
                    Some(&fed),
                    Some(value.clone()),
                );
            }
            // Keep the status reconcile compares against, in case the server's answer omitted it.
            if value.get("status").is_none() {
                if let Some(status) = fed.get("status") {
                    value["status"] = status.clone();
                }
            }
            (value, None)
        }
        Err(e) => {
            let text = match e {
                kube::Error::Api(s) => s.message,
                other => other.to_string(),
            };
            let error = format!(
                "cannot write the replica plan of ReplicaSchedulingPreference {} into {} {}: {}; \
                 a later pass retries",
                qualified(rsp),
                ty.federated_api.kind,
                qualified(&fed),
                crate::error::redact(&text)
            );
            (fed.clone(), Some(failure(ty, &fed, error)))
        }
    }
}

/// An RSP object (for tests and the demo).
pub fn rsp_object(namespace: &str, name: &str, spec: Value) -> Value {
    json!({
        "apiVersion": "scheduling.kubefed.io/v1alpha1",
        "kind": "ReplicaSchedulingPreference",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::reconcile::Listing;

    fn info(name: &str, ready: bool, labels: &[(&str, &str)]) -> ClusterInfo {
        ClusterInfo {
            name: name.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ready,
        }
    }

    fn key() -> ObjectKey {
        ("prod".into(), "web".into())
    }

    fn fed(spec: Value) -> Value {
        json!({
            "apiVersion": "types.kubefed.io/v1beta1",
            "kind": "FederatedDeployment",
            "metadata": {"name": "web", "namespace": "prod", "resourceVersion": "7"},
            "spec": spec,
        })
    }

    fn listings(entries: &[(&str, Option<i64>)]) -> Listings {
        entries
            .iter()
            .map(|(cluster, ready)| {
                let mut listing = Listing::new();
                if let Some(r) = ready {
                    listing.insert(
                        key(),
                        json!({"metadata": {"name": "web"}, "spec": {"replicas": r}, "status": {"readyReplicas": r}}),
                    );
                }
                (cluster.to_string(), Ok(listing))
            })
            .collect()
    }

    fn all_namespaces() -> BTreeSet<String> {
        ["a", "b", "c"].iter().map(|s| s.to_string()).collect()
    }

    fn plan(
        fed_obj: &Value,
        rsp_spec: Value,
        clusters: &[ClusterInfo],
        listings: &Listings,
    ) -> Result<Option<Value>, SchedulingError> {
        let ns = all_namespaces();
        scheduled_object(
            fed_obj,
            &rsp_object("prod", "web", rsp_spec),
            "FederatedDeployment",
            &key(),
            clusters,
            listings,
            Some(&ns),
            ControlPlaneScope::Cluster,
        )
    }

    fn replicas_of(fed_obj: &Value) -> BTreeMap<String, i64> {
        fed_obj["spec"]["overrides"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["clusterName"].as_str().unwrap().to_string(),
                    o["clusterOverrides"][0]["value"].as_i64().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn weights_two_to_one_over_six_replicas_give_four_and_two() {
        let clusters = [info("a", true, &[]), info("b", true, &[])];
        let out = plan(
            &fed(json!({"template": {"spec": {"replicas": 1}}})),
            json!({"targetKind": "FederatedDeployment", "totalReplicas": 6, "clusters": {"a": {"weight": 2}, "b": {"weight": 1}}}),
            &clusters,
            &listings(&[("a", None), ("b", None)]),
        )
        .unwrap()
        .expect("a change");
        assert_eq!(
            out["spec"]["placement"]["clusters"],
            json!([{"name": "a"}, {"name": "b"}])
        );
        assert_eq!(
            replicas_of(&out),
            BTreeMap::from([("a".into(), 4), ("b".into(), 2)])
        );
    }

    #[test]
    fn an_object_already_carrying_the_plan_needs_no_write() {
        let clusters = [info("a", true, &[]), info("b", true, &[])];
        let rsp = json!({"targetKind": "FederatedDeployment", "totalReplicas": 6, "clusters": {"a": {"weight": 2}, "b": {"weight": 1}}});
        let first = plan(
            &fed(json!({})),
            rsp.clone(),
            &clusters,
            &listings(&[("a", None), ("b", None)]),
        )
        .unwrap()
        .unwrap();
        // The members now run what was planned.
        let again = plan(
            &first,
            rsp,
            &clusters,
            &listings(&[("a", Some(4)), ("b", Some(2))]),
        )
        .unwrap();
        assert_eq!(again, None);
    }

    #[test]
    fn unready_clusters_are_no_candidates() {
        let clusters = [info("a", true, &[]), info("b", false, &[])];
        let out = plan(
            &fed(json!({})),
            json!({"targetKind": "FederatedDeployment", "totalReplicas": 4}),
            &clusters,
            &listings(&[("a", None)]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(replicas_of(&out), BTreeMap::from([("a".into(), 4)]));
    }

    #[test]
    fn intersect_with_cluster_selector_keeps_only_selected_clusters() {
        let clusters = [
            info("a", true, &[("env", "prod")]),
            info("b", true, &[("env", "dev")]),
            info("c", true, &[("env", "prod")]),
        ];
        let out = plan(
            &fed(json!({"placement": {"clusters": [{"name": "b"}], "clusterSelector": {"matchLabels": {"env": "prod"}}}})),
            json!({"targetKind": "FederatedDeployment", "totalReplicas": 4, "intersectWithClusterSelector": true}),
            &clusters,
            &listings(&[("a", None), ("b", None), ("c", None)]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            replicas_of(&out),
            BTreeMap::from([("a".into(), 2), ("c".into(), 2)])
        );
        assert_eq!(
            out["spec"]["placement"]["clusters"],
            json!([{"name": "a"}, {"name": "c"}])
        );
    }

    #[test]
    fn intersect_without_a_selector_schedules_nothing() {
        let clusters = [info("a", true, &[])];
        let out = plan(
            &fed(json!({"placement": {"clusters": [{"name": "a"}]}})),
            json!({"targetKind": "FederatedDeployment", "totalReplicas": 4, "intersectWithClusterSelector": true}),
            &clusters,
            &listings(&[("a", None)]),
        )
        .unwrap();
        assert_eq!(out, None);
    }

    #[test]
    fn federated_namespace_placement_gates_the_candidates() {
        let clusters = [info("a", true, &[]), info("b", true, &[])];
        let only_a: BTreeSet<String> = ["a".to_string()].into();
        let out = scheduled_object(
            &fed(json!({})),
            &rsp_object(
                "prod",
                "web",
                json!({"targetKind": "FederatedDeployment", "totalReplicas": 3}),
            ),
            "FederatedDeployment",
            &key(),
            &clusters,
            &listings(&[("a", None), ("b", None)]),
            Some(&only_a),
            ControlPlaneScope::Cluster,
        )
        .unwrap()
        .unwrap();
        assert_eq!(replicas_of(&out), BTreeMap::from([("a".into(), 3)]));
        // Without a FederatedNamespace on a cluster-scoped plane nothing is placed.
        let none = scheduled_object(
            &fed(json!({})),
            &rsp_object(
                "prod",
                "web",
                json!({"targetKind": "FederatedDeployment", "totalReplicas": 3}),
            ),
            "FederatedDeployment",
            &key(),
            &clusters,
            &listings(&[("a", None), ("b", None)]),
            None,
            ControlPlaneScope::Cluster,
        )
        .unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn running_replicas_stay_where_they_are_without_rebalance() {
        let clusters = [info("a", true, &[]), info("b", true, &[])];
        let out = plan(
            &fed(json!({})),
            json!({"targetKind": "FederatedDeployment", "totalReplicas": 6}),
            &clusters,
            &listings(&[("a", Some(5)), ("b", Some(1))]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            replicas_of(&out),
            BTreeMap::from([("a".into(), 5), ("b".into(), 1)])
        );
    }

    #[test]
    fn a_member_that_could_not_be_listed_stops_scheduling_with_its_name() {
        let clusters = [info("a", true, &[]), info("b", true, &[])];
        let mut l = listings(&[("a", None)]);
        l.insert(
            "b".into(),
            Err(super::super::error::EngineError::not_ready(
                "connection refused",
            )),
        );
        let err = plan(
            &fed(json!({})),
            json!({"targetKind": "FederatedDeployment", "totalReplicas": 6}),
            &clusters,
            &l,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("\"b\"") && text.contains("connection refused"),
            "{text}"
        );
    }

    #[test]
    fn invalid_rsp_is_reported_with_its_field() {
        let clusters = [info("a", true, &[])];
        let err = plan(
            &fed(json!({})),
            json!({"targetKind": "FederatedDeployment", "totalReplicas": 3, "clusters": {"a": {"minReplicas": 5, "maxReplicas": 2}}}),
            &clusters,
            &listings(&[("a", None)]),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("spec.clusters[\"a\"].maxReplicas"),
            "{err}"
        );
    }

    #[test]
    fn rsp_is_matched_by_key_and_target_kind() {
        let mut rsps = BTreeMap::new();
        rsps.insert(
            key(),
            rsp_object(
                "prod",
                "web",
                json!({"targetKind": "FederatedReplicaSet", "totalReplicas": 1}),
            ),
        );
        assert!(rsp_for(&rsps, &key(), "FederatedDeployment").is_none());
        assert!(rsp_for(&rsps, &key(), "FederatedReplicaSet").is_some());
        assert!(rsp_for(
            &rsps,
            &("prod".into(), "other".into()),
            "FederatedReplicaSet"
        )
        .is_none());
        // A bad targetKind is handed to every schedulable kind, whose reconcile reports it.
        rsps.insert(
            key(),
            rsp_object(
                "prod",
                "web",
                json!({"targetKind": "FederatedJob", "totalReplicas": 1}),
            ),
        );
        assert!(rsp_for(&rsps, &key(), "FederatedDeployment").is_some());
        let err = plan(
            &fed(json!({})),
            json!({"targetKind": "FederatedJob", "totalReplicas": 1}),
            &[info("a", true, &[])],
            &listings(&[("a", None)]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("spec.targetKind"), "{err}");
    }

    #[test]
    fn current_replicas_are_the_ready_ones_the_member_reports() {
        assert_eq!(
            current_replicas(&json!({"spec": {"replicas": 3}, "status": {"readyReplicas": 3}})),
            3
        );
        assert_eq!(
            current_replicas(&json!({"spec": {"replicas": 3}, "status": {"readyReplicas": 1}})),
            1
        );
        assert_eq!(current_replicas(&json!({"spec": {"replicas": 3}})), 0);
    }
}
