//! What to do in one member cluster for one federated object (§3.2 step 4, §3.5, §3.6), decided from plain
//! facts; plus the deletion options, orphaning annotation and event texts that go with those actions.

use serde_json::{json, Map, Value};

use super::desired::MANAGED_LABEL;
use super::matching::{live_matches, Storage};
use super::status::ClusterPropagationStatus;

pub const ORPHAN_ANNOTATION: &str = "kubefed.io/orphan";
pub const DELETE_OPTION_ANNOTATION: &str = "kubefed.io/deleteoption";
pub const SYNC_FINALIZER: &str = "kubefed.io/sync-controller";
/// Set on a member object when the engine adopts it (it existed before it was federated, e.g. the host's
/// own original when the host is joined as a member): such an object is released (unlabelled), never
/// deleted, when its federated object goes or stops placing it there.
pub const ADOPTED_ANNOTATION: &str = "kubefed.io/adopted";

/// What is known about one cluster when reconciling one federated object.
#[derive(Debug, Clone, Copy)]
pub struct ClusterFacts<'a> {
    /// In the (namespace-gated) placement.
    pub selected: bool,
    pub ready: bool,
    /// The member object with the target's name, labelled or not; `None` when absent.
    pub live: Option<&'a Value>,
    /// The desired apply configuration (needed when selected).
    pub desired: Option<&'a Value>,
    /// `KubeFedConfig.spec.syncController.adoptResources` is `Enabled`.
    pub adopt_resources: bool,
    /// The target is the host cluster's own copy of the namespace that holds the control plane objects:
    /// it is never deleted, only unlabelled, and always adopted.
    pub is_host_namespace: bool,
    /// How the target type's server stores objects, for comparing live with desired.
    pub storage: Storage,
    /// Adopted objects (`kubefed.io/adopted`) are deleted like created ones instead of released
    /// (`teardown --delete-adopted`).
    pub delete_adopted: bool,
    /// The live object is the very version last propagated for the current template and overrides (its
    /// PropagatedVersion), so it needs no write whatever the comparison says.
    pub version_matches: bool,
}

/// The single step to take in a cluster, and the status to report if nothing is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterAction {
    /// Nothing to do and nothing to report (e.g. unselected and absent, or unready and unselected).
    Nothing,
    /// Nothing to write; report this status (Ok when converged).
    Report(ClusterPropagationStatus),
    /// Apply the desired object to a cluster that does not have it (failure ⇒ CreationFailed).
    Create,
    /// Apply the desired object over an existing managed object (failure ⇒ UpdateFailed).
    Update,
    /// Apply over an unlabelled object that already exists, taking it over (failure ⇒ UpdateFailed).
    Adopt,
    /// Delete the member object (then report WaitingForRemoval; failure ⇒ DeletionFailed).
    Delete,
    /// Strip the managed label and leave the object (failure ⇒ LabelRemovalFailed).
    RemoveManagedLabel,
}

impl ClusterAction {
    /// The status to report when this action's write fails.
    pub fn failure_status(&self) -> Option<ClusterPropagationStatus> {
        match self {
            ClusterAction::Create => Some(ClusterPropagationStatus::CreationFailed),
            ClusterAction::Update | ClusterAction::Adopt => {
                Some(ClusterPropagationStatus::UpdateFailed)
            }
            ClusterAction::Delete => Some(ClusterPropagationStatus::DeletionFailed),
            ClusterAction::RemoveManagedLabel => Some(ClusterPropagationStatus::LabelRemovalFailed),
            _ => None,
        }
    }

    /// The status to report when this action's write got no answer in time (KubeFed's `*TimedOut`).
    pub fn timeout_status(&self) -> Option<ClusterPropagationStatus> {
        match self {
            ClusterAction::Create => Some(ClusterPropagationStatus::CreationTimedOut),
            ClusterAction::Update | ClusterAction::Adopt => {
                Some(ClusterPropagationStatus::UpdateTimedOut)
            }
            ClusterAction::Delete => Some(ClusterPropagationStatus::DeletionTimedOut),
            ClusterAction::RemoveManagedLabel => {
                Some(ClusterPropagationStatus::LabelRemovalTimedOut)
            }
            _ => None,
        }
    }

    /// The status to report when this action's write succeeds (`None`: no entry in `status.clusters`).
    pub fn success_status(&self) -> Option<ClusterPropagationStatus> {
        match self {
            ClusterAction::Nothing | ClusterAction::RemoveManagedLabel => None,
            ClusterAction::Report(s) => Some(*s),
            ClusterAction::Create | ClusterAction::Update | ClusterAction::Adopt => {
                Some(ClusterPropagationStatus::Ok)
            }
            ClusterAction::Delete => Some(ClusterPropagationStatus::WaitingForRemoval),
        }
    }

    /// Whether this action sends a write request.
    pub fn writes(&self) -> bool {
        !matches!(self, ClusterAction::Nothing | ClusterAction::Report(_))
    }
}

/// The managed label's value on a live object, if any.
pub fn managed_label(live: &Value) -> Option<&str> {
    live.pointer("/metadata/labels")
        .and_then(|l| l.get(MANAGED_LABEL))
        .and_then(Value::as_str)
}

/// Whether the engine adopted this member object rather than created it.
pub fn is_adopted(live: &Value) -> bool {
    live.pointer("/metadata/annotations")
        .and_then(|a| a.get(ADOPTED_ANNOTATION))
        .and_then(Value::as_str)
        == Some("true")
}

/// Marks a desired object as adopted, so the apply that takes the object over (and every later one) keeps
/// the record.
pub fn mark_adopted(desired: &mut Value) {
    let Some(meta) = desired.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    let annotations = meta
        .entry("annotations")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(a) = annotations.as_object_mut() {
        a.insert(ADOPTED_ANNOTATION.into(), Value::String("true".into()));
    }
}

fn is_managed(live: &Value) -> bool {
    managed_label(live) == Some("true")
}

fn is_terminating(live: &Value) -> bool {
    live.pointer("/metadata/deletionTimestamp")
        .is_some_and(|v| !v.is_null())
}

/// Decides the step for one cluster. Unlabelled objects outside the placement are never touched; an unlabelled
/// object in a selected cluster is adopted only when adoption is enabled (or it is the host namespace);
/// `kubefed.io/managed: "false"` opts an object out of updates; converged objects get no write.
pub fn decide(f: &ClusterFacts<'_>) -> ClusterAction {
    use ClusterAction::*;
    use ClusterPropagationStatus as S;
    if !f.ready {
        return if f.selected {
            Report(S::ClusterNotReady)
        } else {
            Nothing
        };
    }
    let Some(live) = f.live else {
        return if f.selected { Create } else { Nothing };
    };
    if !f.selected {
        if !is_managed(live) {
            return Nothing;
        }
        if is_terminating(live) {
            return Report(S::WaitingForRemoval);
        }
        return if f.is_host_namespace || (is_adopted(live) && !f.delete_adopted) {
            RemoveManagedLabel
        } else {
            Delete
        };
    }
    match managed_label(live) {
        Some("false") => Report(S::ManagedLabelFalse),
        Some("true") => {
            if is_terminating(live) {
                Report(S::WaitingForRemoval)
            } else if f.version_matches
                || f.desired.is_some_and(|d| live_matches(d, live, f.storage))
            {
                Report(S::Ok)
            } else {
                Update
            }
        }
        _ if f.adopt_resources || f.is_host_namespace => Adopt,
        _ => Report(S::AlreadyExists),
    }
}

/// Whether the federated object asks for orphaning on deletion (`kubefed.io/orphan: "true"`).
pub fn is_orphaning(fed: &Value) -> bool {
    fed.pointer("/metadata/annotations")
        .and_then(|a| a.get(ORPHAN_ANNOTATION))
        .and_then(Value::as_str)
        == Some("true")
}

/// DeleteOptions for member deletions from the `kubefed.io/deleteoption` annotation: only
/// `gracePeriodSeconds`, `propagationPolicy` and `preconditions` are honoured, as in KubeFed.
/// No annotation ⇒ `{}`; unparsable JSON ⇒ an error naming the annotation.
pub fn delete_options(fed: &Value) -> Result<Value, String> {
    let Some(raw) = fed
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(DELETE_OPTION_ANNOTATION))
        .and_then(Value::as_str)
    else {
        return Ok(json!({}));
    };
    let parsed: Value = serde_json::from_str(raw).map_err(|e| {
        format!(
            "annotation {DELETE_OPTION_ANNOTATION} is not valid DeleteOptions JSON ({e}); \
             expected e.g. {{\"propagationPolicy\":\"Orphan\"}}"
        )
    })?;
    let Some(obj) = parsed.as_object() else {
        return Err(format!(
            "annotation {DELETE_OPTION_ANNOTATION} must hold a JSON object such as {{\"propagationPolicy\":\"Orphan\"}}"
        ));
    };
    let mut out = Map::new();
    for key in ["gracePeriodSeconds", "propagationPolicy", "preconditions"] {
        if let Some(v) = obj.get(key).filter(|v| !v.is_null()) {
            out.insert(key.into(), v.clone());
        }
    }
    Ok(Value::Object(out))
}

/// Normal event (reason, message) for a write KubeFed records, e.g.
/// `("UpdateInCluster", "Updating Deployment \"prod/web\" in cluster \"c1\"")`.
pub fn event_for(
    action: &ClusterAction,
    kind: &str,
    key: &str,
    cluster: &str,
) -> Option<(String, String)> {
    let (reason, verb) = match action {
        ClusterAction::Create => ("CreateInCluster", "Creating"),
        ClusterAction::Update | ClusterAction::Adopt => ("UpdateInCluster", "Updating"),
        ClusterAction::Delete => ("DeleteInCluster", "Deleting"),
        ClusterAction::RemoveManagedLabel => (
            "RemoveManagedLabelFromInCluster",
            "Removing managed label from",
        ),
        _ => return None,
    };
    Some((
        reason.to_string(),
        format!("{verb} {kind} {key:?} in cluster {cluster:?}"),
    ))
}

/// Warning event (reason, message) for a failed write, e.g.
/// `("UpdateInClusterFailed", "Failed to update Deployment \"prod/web\" in cluster \"c1\": <err>")`.
pub fn failure_event_for(
    action: &ClusterAction,
    kind: &str,
    key: &str,
    cluster: &str,
    err: &str,
) -> Option<(String, String)> {
    let (reason, verb) = match action {
        ClusterAction::Create => ("CreateInClusterFailed", "create"),
        ClusterAction::Update | ClusterAction::Adopt => ("UpdateInClusterFailed", "update"),
        ClusterAction::Delete => ("DeleteInClusterFailed", "delete"),
        ClusterAction::RemoveManagedLabel => (
            "RemoveManagedLabelFromInClusterFailed",
            "remove managed label from",
        ),
        _ => return None,
    };
    Some((
        reason.to_string(),
        format!("Failed to {verb} {kind} {key:?} in cluster {cluster:?}: {err}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClusterPropagationStatus as S;

    fn obj(labels: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "p", "labels": labels}, "data": {"a": "1"}})
    }

    fn facts<'a>(
        selected: bool,
        live: Option<&'a Value>,
        desired: Option<&'a Value>,
    ) -> ClusterFacts<'a> {
        ClusterFacts {
            selected,
            ready: true,
            live,
            desired,
            adopt_resources: true,
            is_host_namespace: false,
            storage: Storage::BuiltIn { secret: false },
            version_matches: false,
            delete_adopted: false,
        }
    }

    #[test]
    fn the_recorded_version_needs_no_write_whatever_the_comparison_says() {
        let d = obj(json!({"kubefed.io/managed": "true", "app": "new"}));
        let live = obj(json!({"kubefed.io/managed": "true", "app": "old"}));
        let mut f = facts(true, Some(&live), Some(&d));
        assert_eq!(decide(&f), ClusterAction::Update);
        f.version_matches = true;
        assert_eq!(decide(&f), ClusterAction::Report(S::Ok));
    }

    #[test]
    fn unready_cluster_reports_not_ready_only_when_selected() {
        let mut f = facts(true, None, None);
        f.ready = false;
        assert_eq!(decide(&f), ClusterAction::Report(S::ClusterNotReady));
        f.selected = false;
        assert_eq!(decide(&f), ClusterAction::Nothing);
    }

    #[test]
    fn selected_and_absent_is_created() {
        let d = obj(json!({"kubefed.io/managed": "true"}));
        assert_eq!(decide(&facts(true, None, Some(&d))), ClusterAction::Create);
    }

    #[test]
    fn converged_object_gets_no_write() {
        let d = obj(json!({"kubefed.io/managed": "true"}));
        let live = d.clone();
        let a = decide(&facts(true, Some(&live), Some(&d)));
        assert_eq!(a, ClusterAction::Report(S::Ok));
        assert!(!a.writes());
    }

    #[test]
    fn drifted_managed_object_is_updated() {
        let d = obj(json!({"kubefed.io/managed": "true"}));
        let mut live = d.clone();
        live["data"]["a"] = json!("2");
        assert_eq!(
            decide(&facts(true, Some(&live), Some(&d))),
            ClusterAction::Update
        );
    }

    #[test]
    fn managed_false_opts_out() {
        let d = obj(json!({"kubefed.io/managed": "true"}));
        let live = obj(json!({"kubefed.io/managed": "false"}));
        assert_eq!(
            decide(&facts(true, Some(&live), Some(&d))),
            ClusterAction::Report(S::ManagedLabelFalse)
        );
    }

    #[test]
    fn unlabelled_object_is_adopted_only_when_enabled() {
        let d = obj(json!({"kubefed.io/managed": "true"}));
        let live = obj(json!({}));
        assert_eq!(
            decide(&facts(true, Some(&live), Some(&d))),
            ClusterAction::Adopt
        );
        let mut f = facts(true, Some(&live), Some(&d));
        f.adopt_resources = false;
        assert_eq!(decide(&f), ClusterAction::Report(S::AlreadyExists));
        f.is_host_namespace = true;
        assert_eq!(decide(&f), ClusterAction::Adopt);
    }

    #[test]
    fn unselected_unlabelled_object_is_left_alone() {
        let live = obj(json!({"app": "x"}));
        assert_eq!(
            decide(&facts(false, Some(&live), None)),
            ClusterAction::Nothing
        );
    }

    #[test]
    fn unselected_managed_object_is_deleted_or_waited_for() {
        let live = obj(json!({"kubefed.io/managed": "true"}));
        assert_eq!(
            decide(&facts(false, Some(&live), None)),
            ClusterAction::Delete
        );
        let mut terminating = live.clone();
        terminating["metadata"]["deletionTimestamp"] = json!("2024-01-01T00:00:00Z");
        assert_eq!(
            decide(&facts(false, Some(&terminating), None)),
            ClusterAction::Report(S::WaitingForRemoval)
        );
    }

    #[test]
    fn an_adopted_object_is_released_not_deleted_when_unselected() {
        let live = json!({"metadata": {"labels": {MANAGED_LABEL: "true"},
            "annotations": {ADOPTED_ANNOTATION: "true"}}});
        let mut f = facts(false, Some(&live), None);
        assert_eq!(decide(&f), ClusterAction::RemoveManagedLabel);
        let created = json!({"metadata": {"labels": {MANAGED_LABEL: "true"}}});
        f.live = Some(&created);
        assert_eq!(decide(&f), ClusterAction::Delete);
    }

    #[test]
    fn adoption_is_recorded_on_the_desired_object() {
        let mut d = json!({"metadata": {"name": "a", "annotations": {"x": "y"}}});
        mark_adopted(&mut d);
        assert!(is_adopted(&d));
        assert_eq!(d["metadata"]["annotations"]["x"], "y");
        let mut bare = json!({"metadata": {"name": "a"}});
        mark_adopted(&mut bare);
        assert!(is_adopted(&bare));
    }

    #[test]
    fn host_namespace_is_unlabelled_not_deleted() {
        let live = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-federation-system",
            "labels": {"kubefed.io/managed": "true"}}});
        let mut f = facts(false, Some(&live), None);
        f.is_host_namespace = true;
        assert_eq!(decide(&f), ClusterAction::RemoveManagedLabel);
    }

    #[test]
    fn action_statuses_follow_kubefed() {
        assert_eq!(
            ClusterAction::Create.failure_status(),
            Some(S::CreationFailed)
        );
        assert_eq!(ClusterAction::Adopt.failure_status(), Some(S::UpdateFailed));
        assert_eq!(
            ClusterAction::Delete.success_status(),
            Some(S::WaitingForRemoval)
        );
        assert_eq!(
            ClusterAction::RemoveManagedLabel.failure_status(),
            Some(S::LabelRemovalFailed)
        );
        assert_eq!(ClusterAction::RemoveManagedLabel.success_status(), None);
        assert_eq!(ClusterAction::Nothing.success_status(), None);
    }

    #[test]
    fn orphan_annotation_must_be_exactly_true() {
        assert!(is_orphaning(
            &json!({"metadata": {"annotations": {"kubefed.io/orphan": "true"}}})
        ));
        assert!(!is_orphaning(
            &json!({"metadata": {"annotations": {"kubefed.io/orphan": "yes"}}})
        ));
        assert!(!is_orphaning(&json!({"metadata": {}})));
    }

    #[test]
    fn delete_options_keep_only_supported_fields() {
        let fed = json!({"metadata": {"annotations": {"kubefed.io/deleteoption":
            "{\"propagationPolicy\":\"Orphan\",\"gracePeriodSeconds\":5,\"dryRun\":[\"All\"],\"preconditions\":{\"uid\":\"u\"}}"}}});
        assert_eq!(
            delete_options(&fed).unwrap(),
            json!({"gracePeriodSeconds": 5, "propagationPolicy": "Orphan", "preconditions": {"uid": "u"}})
        );
        assert_eq!(delete_options(&json!({"metadata": {}})).unwrap(), json!({}));
        let bad = json!({"metadata": {"annotations": {"kubefed.io/deleteoption": "{oops"}}});
        assert!(delete_options(&bad)
            .unwrap_err()
            .contains("kubefed.io/deleteoption"));
    }

    #[test]
    fn event_texts_match_kubefed() {
        assert_eq!(
            event_for(&ClusterAction::Update, "Deployment", "prod/web", "c1"),
            Some((
                "UpdateInCluster".into(),
                "Updating Deployment \"prod/web\" in cluster \"c1\"".into()
            ))
        );
        assert_eq!(
            event_for(
                &ClusterAction::RemoveManagedLabel,
                "Namespace",
                "prod",
                "c1"
            )
            .unwrap()
            .1,
            "Removing managed label from Namespace \"prod\" in cluster \"c1\""
        );
        assert_eq!(
            failure_event_for(&ClusterAction::Create, "ConfigMap", "p/c", "c2", "boom").unwrap(),
            (
                "CreateInClusterFailed".into(),
                "Failed to create ConfigMap \"p/c\" in cluster \"c2\": boom".into()
            )
        );
        assert_eq!(
            event_for(&ClusterAction::Report(S::Ok), "ConfigMap", "p/c", "c2"),
            None
        );
    }
}
