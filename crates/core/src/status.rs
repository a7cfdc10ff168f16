//! Propagation status of a federated object: KubeFed's exact per-cluster status strings, aggregate reasons,
//! and the `status` block (Propagation condition, clusters, observedGeneration) with its change detection.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{json, Map, Value};

/// Per-cluster propagation outcome (`status.clusters[].status`); `Ok` is the empty string and is omitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum ClusterPropagationStatus {
    #[default]
    Ok,
    WaitingForRemoval,
    ClusterNotReady,
    CachedRetrievalFailed,
    ComputeResourceFailed,
    ApplyOverridesFailed,
    CreationFailed,
    UpdateFailed,
    DeletionFailed,
    LabelRemovalFailed,
    RetrievalFailed,
    AlreadyExists,
    FieldRetentionFailed,
    VersionRetrievalFailed,
    ClientRetrievalFailed,
    ManagedLabelFalse,
    CreationTimedOut,
    UpdateTimedOut,
    DeletionTimedOut,
    LabelRemovalTimedOut,
}

impl ClusterPropagationStatus {
    pub const ALL: [ClusterPropagationStatus; 20] = [
        Self::Ok,
        Self::WaitingForRemoval,
        Self::ClusterNotReady,
        Self::CachedRetrievalFailed,
        Self::ComputeResourceFailed,
        Self::ApplyOverridesFailed,
        Self::CreationFailed,
        Self::UpdateFailed,
        Self::DeletionFailed,
        Self::LabelRemovalFailed,
        Self::RetrievalFailed,
        Self::AlreadyExists,
        Self::FieldRetentionFailed,
        Self::VersionRetrievalFailed,
        Self::ClientRetrievalFailed,
        Self::ManagedLabelFalse,
        Self::CreationTimedOut,
        Self::UpdateTimedOut,
        Self::DeletionTimedOut,
        Self::LabelRemovalTimedOut,
    ];

    pub fn as_str(self) -> &'static str {
        use ClusterPropagationStatus::*;
        match self {
            Ok => "",
            WaitingForRemoval => "WaitingForRemoval",
            ClusterNotReady => "ClusterNotReady",
            CachedRetrievalFailed => "CachedRetrievalFailed",
            ComputeResourceFailed => "ComputeResourceFailed",
            ApplyOverridesFailed => "ApplyOverridesFailed",
            CreationFailed => "CreationFailed",
            UpdateFailed => "UpdateFailed",
            DeletionFailed => "DeletionFailed",
            LabelRemovalFailed => "LabelRemovalFailed",
            RetrievalFailed => "RetrievalFailed",
            AlreadyExists => "AlreadyExists",
            FieldRetentionFailed => "FieldRetentionFailed",
            VersionRetrievalFailed => "VersionRetrievalFailed",
            ClientRetrievalFailed => "ClientRetrievalFailed",
            ManagedLabelFalse => "ManagedLabelFalse",
            CreationTimedOut => "CreationTimedOut",
            UpdateTimedOut => "UpdateTimedOut",
            DeletionTimedOut => "DeletionTimedOut",
            LabelRemovalTimedOut => "LabelRemovalTimedOut",
        }
    }

    /// The status for a `status.clusters[].status` string (absent or `""` ⇒ `Ok`); `None` if unknown.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }

    /// Whether KubeFed retries the object with backoff after this outcome.
    pub fn is_recoverable(self) -> bool {
        use ClusterPropagationStatus::*;
        matches!(
            self,
            CreationFailed
                | UpdateFailed
                | DeletionFailed
                | LabelRemovalFailed
                | RetrievalFailed
                | ClientRetrievalFailed
                | CreationTimedOut
                | UpdateTimedOut
                | DeletionTimedOut
                | LabelRemovalTimedOut
        )
    }
}

impl fmt::Display for ClusterPropagationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reason of the Propagation condition; `Ok` (empty) means the condition is True.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AggregateReason {
    #[default]
    Ok,
    CheckClusters,
    ClusterRetrievalFailed,
    ComputePlacementFailed,
    NamespaceNotFederated,
}

impl AggregateReason {
    pub fn as_str(self) -> &'static str {
        match self {
            AggregateReason::Ok => "",
            AggregateReason::CheckClusters => "CheckClusters",
            AggregateReason::ClusterRetrievalFailed => "ClusterRetrievalFailed",
            AggregateReason::ComputePlacementFailed => "ComputePlacementFailed",
            AggregateReason::NamespaceNotFederated => "NamespaceNotFederated",
        }
    }
}

impl fmt::Display for AggregateReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub const PROPAGATION_CONDITION: &str = "Propagation";

/// The outcome of one reconcile for one cluster.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClusterOutcome {
    pub status: ClusterPropagationStatus,
    /// The member object's `.status`, when raw status collection is on.
    pub remote_status: Option<Value>,
}

/// What a reconcile learned, to be folded into the federated object's status.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatusInput {
    /// `metadata.generation` of the federated object.
    pub generation: i64,
    /// The aggregate outcome before looking at clusters: `Ok`, `ClusterRetrievalFailed`,
    /// `ComputePlacementFailed` or `NamespaceNotFederated`.
    pub reason: AggregateReason,
    /// Outcome per cluster that was acted on (selected clusters, and unselected ones still holding the object).
    pub clusters: BTreeMap<String, ClusterOutcome>,
    /// Whether any member object was created, updated or deleted.
    pub resources_updated: bool,
    /// Raw status collection on (gate + FTC `statusCollection: Enabled`): a missing remote status means CheckClusters.
    pub raw_status_collection: bool,
}

/// The effective aggregate reason: `CheckClusters` replaces success (and `NamespaceNotFederated`, which is only
/// reported when everything else succeeded) as soon as a cluster has a non-empty status or lacks its remote status.
pub fn aggregate_reason(input: &StatusInput) -> AggregateReason {
    match input.reason {
        AggregateReason::Ok | AggregateReason::NamespaceNotFederated => {
            let troubled = input.clusters.values().any(|c| {
                c.status != ClusterPropagationStatus::Ok
                    || (input.raw_status_collection && c.remote_status.is_none())
            });
            if troubled {
                AggregateReason::CheckClusters
            } else {
                input.reason
            }
        }
        other => other,
    }
}

fn cluster_entries(old: &Map<String, Value>) -> Vec<&Value> {
    old.get("clusters")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn clusters_differ(old: &Map<String, Value>, new: &BTreeMap<String, ClusterOutcome>) -> bool {
    let entries = cluster_entries(old);
    if entries.len() != new.len() {
        return true;
    }
    entries.iter().any(|e| {
        let name = e.get("name").and_then(Value::as_str).unwrap_or_default();
        let Some(outcome) = new.get(name) else {
            return true;
        };
        let old_status = e.get("status").and_then(Value::as_str).unwrap_or_default();
        let old_remote = e.get("remoteStatus").filter(|v| !v.is_null());
        old_status != outcome.status.as_str() || old_remote != outcome.remote_status.as_ref()
    })
}

/// The new `status` of a federated object, or `None` when nothing changed (so no write is needed).
///
/// As KubeFed: `observedGeneration` follows the object; the Propagation condition's `lastTransitionTime` moves
/// when its status or reason changes, `lastUpdateTime` also when `status.clusters` changed or a member object
/// was written; `status.clusters` is rewritten (sorted by name, `status` omitted when OK) only when it differs.
/// Other conditions are kept. `now` is an RFC 3339 timestamp in UTC with seconds precision.
pub fn compute_status(old_status: Option<&Value>, input: &StatusInput, now: &str) -> Option<Value> {
    let empty = Map::new();
    let old = old_status.and_then(Value::as_object).unwrap_or(&empty);
    let generation_updated = old
        .get("observedGeneration")
        .and_then(Value::as_i64)
        .unwrap_or(0)
        != input.generation;

    let reason = aggregate_reason(input);
    let cond_status = if reason == AggregateReason::Ok {
        "True"
    } else {
        "False"
    };

    let clusters_changed = clusters_differ(old, &input.clusters);
    let changes_propagated = clusters_changed || input.resources_updated;

    let old_conditions: Vec<Value> = old
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let old_prop = old_conditions
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(PROPAGATION_CONDITION));
    let transition = match old_prop {
        None => true,
        Some(c) => {
            c.get("status").and_then(Value::as_str) != Some(cond_status)
                || c.get("reason").and_then(Value::as_str).unwrap_or_default() != reason.as_str()
        }
    };
    let update_required = changes_propagated || transition;
    if !generation_updated && !update_required {
        return None;
    }

    let old_str = |k: &str| {
        old_prop
            .and_then(|c| c.get(k))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let last_update = if update_required {
        now.to_string()
    } else {
        old_str("lastUpdateTime")
    };
    let last_transition = if transition {
        now.to_string()
    } else {
        old_str("lastTransitionTime")
    };
    let mut prop = Map::new();
    prop.insert("type".into(), json!(PROPAGATION_CONDITION));
    prop.insert("status".into(), json!(cond_status));
    if !last_update.is_empty() {
        prop.insert("lastUpdateTime".into(), json!(last_update));
    }
    if !last_transition.is_empty() {
        prop.insert("lastTransitionTime".into(), json!(last_transition));
    }
    if reason != AggregateReason::Ok {
        prop.insert("reason".into(), json!(reason.as_str()));
    }
    let mut conditions = Vec::with_capacity(old_conditions.len().max(1));
    let mut placed = false;
    for c in old_conditions {
        if c.get("type").and_then(Value::as_str) == Some(PROPAGATION_CONDITION) {
            if !placed {
                conditions.push(Value::Object(prop.clone()));
                placed = true;
            }
        } else {
            conditions.push(c);
        }
    }
    if !placed {
        conditions.push(Value::Object(prop));
    }

    let clusters: Vec<Value> = if clusters_changed {
        input
            .clusters
            .iter()
            .map(|(name, outcome)| {
                let mut e = Map::new();
                e.insert("name".into(), json!(name));
                if outcome.status != ClusterPropagationStatus::Ok {
                    e.insert("status".into(), json!(outcome.status.as_str()));
                }
                if let Some(remote) = &outcome.remote_status {
                    e.insert("remoteStatus".into(), remote.clone());
                }
                Value::Object(e)
            })
            .collect()
    } else {
        cluster_entries(old).into_iter().cloned().collect()
    };

    let mut out = Map::new();
    if input.generation != 0 {
        out.insert("observedGeneration".into(), json!(input.generation));
    }
    out.insert("conditions".into(), Value::Array(conditions));
    if !clusters.is_empty() {
        out.insert("clusters".into(), Value::Array(clusters));
    }
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: &str = "2024-01-01T00:00:00Z";
    const T1: &str = "2024-01-01T00:01:00Z";
    const T2: &str = "2024-01-01T00:02:00Z";

    fn outcome(s: ClusterPropagationStatus) -> ClusterOutcome {
        ClusterOutcome {
            status: s,
            remote_status: None,
        }
    }

    fn input(gen: i64, clusters: &[(&str, ClusterPropagationStatus)]) -> StatusInput {
        StatusInput {
            generation: gen,
            clusters: clusters
                .iter()
                .map(|(n, s)| (n.to_string(), outcome(*s)))
                .collect(),
            ..Default::default()
        }
    }

    use ClusterPropagationStatus as S;

    #[test]
    fn status_strings_are_kubefeds() {
        assert_eq!(S::Ok.as_str(), "");
        assert_eq!(S::ManagedLabelFalse.as_str(), "ManagedLabelFalse");
        assert_eq!(S::LabelRemovalTimedOut.to_string(), "LabelRemovalTimedOut");
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        assert_eq!(S::parse("Bogus"), None);
        assert_eq!(
            AggregateReason::NamespaceNotFederated.as_str(),
            "NamespaceNotFederated"
        );
    }

    #[test]
    fn recoverable_statuses_are_exactly_kubefeds_list() {
        let recoverable: Vec<_> = S::ALL.into_iter().filter(|s| s.is_recoverable()).collect();
        assert_eq!(
            recoverable,
            [
                S::CreationFailed,
                S::UpdateFailed,
                S::DeletionFailed,
                S::LabelRemovalFailed,
                S::RetrievalFailed,
                S::ClientRetrievalFailed,
                S::CreationTimedOut,
                S::UpdateTimedOut,
                S::DeletionTimedOut,
                S::LabelRemovalTimedOut
            ]
        );
    }

    #[test]
    fn first_status_sets_both_times_and_sorted_clusters() {
        let st = compute_status(
            None,
            &input(3, &[("c2", S::UpdateFailed), ("c1", S::Ok)]),
            T0,
        )
        .unwrap();
        assert_eq!(
            st,
            json!({
                "observedGeneration": 3,
                "conditions": [{"type": "Propagation", "status": "False", "lastUpdateTime": T0,
                    "lastTransitionTime": T0, "reason": "CheckClusters"}],
                "clusters": [{"name": "c1"}, {"name": "c2", "status": "UpdateFailed"}],
            })
        );
    }

    #[test]
    fn unchanged_state_needs_no_write() {
        let i = input(3, &[("c1", S::Ok), ("c2", S::Ok)]);
        let st = compute_status(None, &i, T0).unwrap();
        assert_eq!(compute_status(Some(&st), &i, T1), None);
    }

    #[test]
    fn cluster_order_in_old_status_does_not_matter() {
        let old = json!({"observedGeneration": 1, "conditions": [{"type": "Propagation", "status": "True",
            "lastUpdateTime": T0, "lastTransitionTime": T0}], "clusters": [{"name": "b"}, {"name": "a"}]});
        assert_eq!(
            compute_status(Some(&old), &input(1, &[("a", S::Ok), ("b", S::Ok)]), T1),
            None
        );
    }

    #[test]
    fn member_write_bumps_only_last_update_time() {
        let mut i = input(1, &[("c1", S::Ok)]);
        let st = compute_status(None, &i, T0).unwrap();
        i.resources_updated = true;
        let st2 = compute_status(Some(&st), &i, T1).unwrap();
        assert_eq!(st2["conditions"][0]["lastUpdateTime"], T1);
        assert_eq!(st2["conditions"][0]["lastTransitionTime"], T0);
        assert_eq!(st2["conditions"][0]["status"], "True");
        assert!(st2["conditions"][0].get("reason").is_none());
    }

    #[test]
    fn cluster_change_without_reason_change_keeps_transition_time() {
        let st = compute_status(None, &input(1, &[("c1", S::UpdateFailed)]), T0).unwrap();
        let st2 = compute_status(Some(&st), &input(1, &[("c1", S::CreationFailed)]), T1).unwrap();
        assert_eq!(st2["conditions"][0]["lastTransitionTime"], T0);
        assert_eq!(st2["conditions"][0]["lastUpdateTime"], T1);
        assert_eq!(
            st2["clusters"],
            json!([{"name": "c1", "status": "CreationFailed"}])
        );
    }

    #[test]
    fn recovery_moves_transition_time_and_drops_reason() {
        let st = compute_status(None, &input(1, &[("c1", S::UpdateFailed)]), T0).unwrap();
        let st2 = compute_status(Some(&st), &input(1, &[("c1", S::Ok)]), T2).unwrap();
        assert_eq!(
            st2["conditions"][0],
            json!({"type": "Propagation", "status": "True",
            "lastUpdateTime": T2, "lastTransitionTime": T2})
        );
        assert_eq!(st2["clusters"], json!([{"name": "c1"}]));
    }

    #[test]
    fn generation_change_alone_updates_only_observed_generation() {
        let st = compute_status(None, &input(1, &[("c1", S::Ok)]), T0).unwrap();
        let st2 = compute_status(Some(&st), &input(2, &[("c1", S::Ok)]), T1).unwrap();
        assert_eq!(st2["observedGeneration"], 2);
        assert_eq!(st2["conditions"], st["conditions"]);
    }

    #[test]
    fn aggregate_failures_are_reported_as_is() {
        let mut i = input(1, &[]);
        i.reason = AggregateReason::ComputePlacementFailed;
        let st = compute_status(None, &i, T0).unwrap();
        assert_eq!(st["conditions"][0]["reason"], "ComputePlacementFailed");
        assert_eq!(st["conditions"][0]["status"], "False");
        assert!(st.get("clusters").is_none());
    }

    #[test]
    fn namespace_not_federated_only_when_nothing_else_failed() {
        let mut i = input(1, &[("c1", S::WaitingForRemoval)]);
        i.reason = AggregateReason::NamespaceNotFederated;
        assert_eq!(aggregate_reason(&i), AggregateReason::CheckClusters);
        let mut clean = input(1, &[]);
        clean.reason = AggregateReason::NamespaceNotFederated;
        let st = compute_status(None, &clean, T0).unwrap();
        assert_eq!(st["conditions"][0]["reason"], "NamespaceNotFederated");
    }

    #[test]
    fn missing_remote_status_means_check_clusters_when_collecting() {
        let mut i = input(1, &[("c1", S::Ok)]);
        i.raw_status_collection = true;
        assert_eq!(aggregate_reason(&i), AggregateReason::CheckClusters);
        i.clusters.get_mut("c1").unwrap().remote_status = Some(json!({"readyReplicas": 1}));
        assert_eq!(aggregate_reason(&i), AggregateReason::Ok);
        let st = compute_status(None, &i, T0).unwrap();
        assert_eq!(
            st["clusters"],
            json!([{"name": "c1", "remoteStatus": {"readyReplicas": 1}}])
        );
        i.clusters.get_mut("c1").unwrap().remote_status = Some(json!({"readyReplicas": 2}));
        let st2 = compute_status(Some(&st), &i, T1).unwrap();
        assert_eq!(st2["conditions"][0]["lastUpdateTime"], T1);
    }

    #[test]
    fn other_conditions_are_kept() {
        let old = json!({"conditions": [{"type": "Custom", "status": "True", "message": "m"}]});
        let st = compute_status(Some(&old), &input(1, &[]), T0).unwrap();
        assert_eq!(
            st["conditions"][0],
            json!({"type": "Custom", "status": "True", "message": "m"})
        );
        assert_eq!(st["conditions"][1]["type"], "Propagation");
    }
}
