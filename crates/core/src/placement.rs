//! Placement: which registered clusters a federated object selects (`spec.placement`), and how a
//! FederatedNamespace's placement gates the namespaced objects inside it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use kubefedctl_apimachinery::selector::LabelSelector;

use kubefedctl_apimachinery::validation::{join_errors, FieldError};

/// What placement needs to know about a KubeFedCluster.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClusterInfo {
    pub name: String,
    /// The KubeFedCluster's `metadata.labels`.
    pub labels: BTreeMap<String, String>,
    /// Ready condition True; placement ignores it (not-ready selected clusters get `ClusterNotReady`).
    pub ready: bool,
}

impl ClusterInfo {
    /// Reads name, labels and readiness (a `Ready` condition with status `True`) from a KubeFedCluster object.
    pub fn from_kubefed_cluster(obj: &Value) -> ClusterInfo {
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let labels = obj
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let ready = obj
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|conds| {
                conds.iter().any(|c| {
                    c.get("type").and_then(Value::as_str) == Some("Ready")
                        && c.get("status").and_then(Value::as_str) == Some("True")
                })
            });
        ClusterInfo {
            name,
            labels,
            ready,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", join_errors(.0))]
pub struct PlacementError(pub Vec<FieldError>);

/// Parses a metav1.LabelSelector as `LabelSelectorAsSelector` does, reporting errors with field paths.
fn parse_selector(v: &Value, field: &str) -> Result<LabelSelector, Vec<FieldError>> {
    if !v.is_object() {
        return Err(vec![FieldError::invalid(
            field,
            v,
            "must be a label selector {matchLabels, matchExpressions}",
        )]);
    }
    let errors = kubefedctl_apimachinery::validation::validate_label_selector(v, field);
    if !errors.is_empty() {
        return Err(errors);
    }
    LabelSelector::from_structured(v).map_err(|e| vec![FieldError::invalid(field, v, e.0)])
}

fn registered(clusters: &[ClusterInfo]) -> BTreeSet<String> {
    clusters.iter().map(|c| c.name.clone()).collect()
}

fn placement_object(
    placement: Option<&Value>,
) -> Result<Option<&serde_json::Map<String, Value>>, PlacementError> {
    match placement {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(other) => Err(PlacementError(vec![FieldError::invalid(
            "spec.placement",
            other,
            "must be an object with clusters and/or clusterSelector",
        )])),
    }
}

/// Clusters chosen by `clusterSelector` alone (absent/null selector ⇒ none, `{}` ⇒ all), among `clusters`.
pub fn selector_clusters(
    placement: Option<&Value>,
    clusters: &[ClusterInfo],
) -> Result<BTreeSet<String>, PlacementError> {
    let Some(p) = placement_object(placement)? else {
        return Ok(BTreeSet::new());
    };
    match p.get("clusterSelector") {
        None | Some(Value::Null) => Ok(BTreeSet::new()),
        Some(sel) => {
            let selector =
                parse_selector(sel, "spec.placement.clusterSelector").map_err(PlacementError)?;
            Ok(clusters
                .iter()
                .filter(|c| selector.matches(&c.labels))
                .map(|c| c.name.clone())
                .collect())
        }
    }
}

/// The clusters a federated object selects, from its `spec.placement` (pass `fed.pointer("/spec/placement")`):
/// no placement or `{}` ⇒ none; `clusters` present, even `[]`, wins ⇒ those names that are registered;
/// otherwise `clusterSelector: {}` ⇒ all, a selector ⇒ clusters whose KubeFedCluster labels match.
/// A `null` list or selector counts as absent. Readiness is ignored.
pub fn selected_clusters(
    placement: Option<&Value>,
    clusters: &[ClusterInfo],
) -> Result<BTreeSet<String>, PlacementError> {
    let Some(p) = placement_object(placement)? else {
        return Ok(BTreeSet::new());
    };
    match p.get("clusters") {
        None | Some(Value::Null) => selector_clusters(placement, clusters),
        Some(Value::Array(items)) => {
            let mut errors = Vec::new();
            let mut names = BTreeSet::new();
            for (i, item) in items.iter().enumerate() {
                match item.get("name") {
                    Some(Value::String(n)) if !n.is_empty() => {
                        names.insert(n.clone());
                    }
                    _ => errors.push(FieldError::required(
                        format!("spec.placement.clusters[{i}].name"),
                        "each entry names a KubeFedCluster: {name: <cluster>}",
                    )),
                }
            }
            if !errors.is_empty() {
                return Err(PlacementError(errors));
            }
            Ok(names.intersection(&registered(clusters)).cloned().collect())
        }
        Some(other) => Err(PlacementError(vec![FieldError::invalid(
            "spec.placement.clusters",
            other,
            "must be a list of {name: <cluster>}",
        )])),
    }
}

/// Scope of the control plane (`KubeFedConfig.spec.scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlPlaneScope {
    Cluster,
    Namespaced,
}

/// Effective placement of a namespaced federated object after namespace gating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatedPlacement {
    pub clusters: BTreeSet<String>,
    /// True when the object's namespace has no FederatedNamespace on a cluster-scoped plane: nothing is
    /// placed and the Propagation reason is `NamespaceNotFederated`.
    pub namespace_not_federated: bool,
}

/// Namespace gating (§2.8): with a FederatedNamespace, effective = resource ∩ namespace placement; without one,
/// a cluster-scoped plane places nothing (`NamespaceNotFederated`) while a namespaced plane uses the resource
/// placement as is. Only for namespaced target types; cluster-scoped ones are not gated.
pub fn gate_by_namespace(
    resource: &BTreeSet<String>,
    federated_namespace: Option<&BTreeSet<String>>,
    scope: ControlPlaneScope,
) -> GatedPlacement {
    match (federated_namespace, scope) {
        (Some(ns), _) => GatedPlacement {
            clusters: resource.intersection(ns).cloned().collect(),
            namespace_not_federated: false,
        },
        (None, ControlPlaneScope::Namespaced) => GatedPlacement {
            clusters: resource.clone(),
            namespace_not_federated: false,
        },
        (None, ControlPlaneScope::Cluster) => GatedPlacement {
            clusters: BTreeSet::new(),
            namespace_not_federated: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cluster(name: &str, labels: &[(&str, &str)], ready: bool) -> ClusterInfo {
        ClusterInfo {
            name: name.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ready,
        }
    }

    fn fleet() -> Vec<ClusterInfo> {
        vec![
            cluster("c1", &[("env", "prod"), ("region", "eu")], true),
            cluster("c2", &[("env", "dev")], true),
            cluster("c3", &[("env", "prod"), ("region", "us")], false),
        ]
    }

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn select(p: Value) -> BTreeSet<String> {
        selected_clusters(Some(&p), &fleet()).unwrap()
    }

    #[test]
    fn no_placement_selects_nothing() {
        assert!(selected_clusters(None, &fleet()).unwrap().is_empty());
        assert!(select(Value::Null).is_empty());
    }

    #[test]
    fn empty_placement_selects_nothing() {
        assert!(select(json!({})).is_empty());
    }

    #[test]
    fn cluster_list_selects_registered_names_only() {
        assert_eq!(
            select(json!({"clusters": [{"name": "c1"}, {"name": "ghost"}]})),
            names(&["c1"])
        );
    }

    #[test]
    fn empty_cluster_list_wins_over_a_selector() {
        assert!(select(json!({"clusters": [], "clusterSelector": {}})).is_empty());
    }

    #[test]
    fn cluster_list_ignores_the_selector() {
        assert_eq!(
            select(
                json!({"clusters": [{"name": "c2"}], "clusterSelector": {"matchLabels": {"env": "prod"}}})
            ),
            names(&["c2"])
        );
    }

    #[test]
    fn null_cluster_list_falls_back_to_the_selector() {
        assert_eq!(
            select(json!({"clusters": null, "clusterSelector": {}})),
            names(&["c1", "c2", "c3"])
        );
    }

    #[test]
    fn empty_selector_selects_every_cluster_ready_or_not() {
        assert_eq!(
            select(json!({"clusterSelector": {}})),
            names(&["c1", "c2", "c3"])
        );
    }

    #[test]
    fn null_selector_selects_nothing() {
        assert!(select(json!({"clusterSelector": null})).is_empty());
    }

    #[test]
    fn match_labels_select_by_kubefedcluster_labels() {
        assert_eq!(
            select(json!({"clusterSelector": {"matchLabels": {"env": "prod"}}})),
            names(&["c1", "c3"])
        );
        assert_eq!(
            select(json!({"clusterSelector": {"matchLabels": {"env": "prod", "region": "eu"}}})),
            names(&["c1"])
        );
    }

    #[test]
    fn match_expressions_support_all_four_operators() {
        let sel = |op: &str, values: Value| {
            select(json!({"clusterSelector": {"matchExpressions": [
            {"key": "region", "operator": op, "values": values}]}}))
        };
        assert_eq!(sel("In", json!(["eu", "ap"])), names(&["c1"]));
        assert_eq!(sel("NotIn", json!(["eu"])), names(&["c2", "c3"]));
        assert_eq!(sel("Exists", json!([])), names(&["c1", "c3"]));
        assert_eq!(sel("DoesNotExist", Value::Null), names(&["c2"]));
    }

    #[test]
    fn labels_and_expressions_must_all_match() {
        assert_eq!(
            select(json!({"clusterSelector": {"matchLabels": {"env": "prod"},
                "matchExpressions": [{"key": "region", "operator": "NotIn", "values": ["eu"]}]}})),
            names(&["c3"])
        );
    }

    #[test]
    fn invalid_selector_reports_the_field() {
        let err = selected_clusters(
            Some(&json!({"clusterSelector": {"matchExpressions": [
                {"key": "a", "operator": "Gt", "values": ["1"]},
                {"key": "b", "operator": "In"},
                {"key": "c", "operator": "Exists", "values": ["x"]}]}})),
            &fleet(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("spec.placement.clusterSelector.matchExpressions[0].operator: Invalid value: \"Gt\": not a valid selector operator"), "{err}");
        assert!(
            err.contains(
                "spec.placement.clusterSelector.matchExpressions[1].values: Required value"
            ),
            "{err}"
        );
        assert!(
            err.contains("spec.placement.clusterSelector.matchExpressions[2].values: Forbidden"),
            "{err}"
        );
    }

    #[test]
    fn cluster_entry_without_name_is_an_error() {
        let err = selected_clusters(Some(&json!({"clusters": [{"name": "c1"}, {}]})), &fleet())
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("spec.placement.clusters[1].name: Required value"),
            "{err}"
        );
    }

    #[test]
    fn selector_clusters_ignore_the_cluster_list() {
        let p = json!({"clusters": [{"name": "c2"}], "clusterSelector": {"matchLabels": {"env": "prod"}}});
        assert_eq!(
            selector_clusters(Some(&p), &fleet()).unwrap(),
            names(&["c1", "c3"])
        );
        assert!(selector_clusters(Some(&json!({"clusters": []})), &fleet())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn gating_intersects_with_the_federated_namespace_in_both_scopes() {
        for scope in [ControlPlaneScope::Cluster, ControlPlaneScope::Namespaced] {
            let g = gate_by_namespace(&names(&["c1", "c2"]), Some(&names(&["c2", "c3"])), scope);
            assert_eq!(g.clusters, names(&["c2"]));
            assert!(!g.namespace_not_federated);
        }
    }

    #[test]
    fn cluster_scope_without_federated_namespace_places_nothing() {
        let g = gate_by_namespace(&names(&["c1"]), None, ControlPlaneScope::Cluster);
        assert!(g.clusters.is_empty());
        assert!(g.namespace_not_federated);
    }

    #[test]
    fn namespaced_scope_without_federated_namespace_uses_resource_placement() {
        let g = gate_by_namespace(&names(&["c1"]), None, ControlPlaneScope::Namespaced);
        assert_eq!(g.clusters, names(&["c1"]));
        assert!(!g.namespace_not_federated);
    }

    #[test]
    fn federated_namespace_selecting_nothing_removes_everything() {
        let g = gate_by_namespace(
            &names(&["c1", "c2"]),
            Some(&BTreeSet::new()),
            ControlPlaneScope::Namespaced,
        );
        assert!(g.clusters.is_empty());
    }

    #[test]
    fn cluster_info_reads_labels_and_ready_condition() {
        let info = ClusterInfo::from_kubefed_cluster(&json!({
            "metadata": {"name": "c1", "labels": {"env": "prod"}},
            "status": {"conditions": [{"type": "Offline", "status": "False"}, {"type": "Ready", "status": "True"}]}
        }));
        assert_eq!(info, cluster("c1", &[("env", "prod")], true));
        let offline = ClusterInfo::from_kubefed_cluster(&json!({
            "metadata": {"name": "c2"}, "status": {"conditions": [{"type": "Offline", "status": "True"}]}}));
        assert!(!offline.ready);
    }
}
