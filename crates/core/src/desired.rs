//! The desired member object for one cluster — a server-side-apply configuration holding only the fields
//! kubefedctl manages — and the check that a live member object already matches it.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::overrides::{apply_overrides, Op, OverrideError, OverrideOp};
use super::status::ClusterPropagationStatus;

/// Label every propagated object carries; `"false"` on a live object opts it out of updates.
pub const MANAGED_LABEL: &str = "kubefed.io/managed";
/// Field manager of every server-side apply kubefedctl sends.
pub const FIELD_MANAGER: &str = "kubefedctl";

/// The target type of a FederatedTypeConfig (`spec.targetType`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TargetInfo {
    /// Empty for the core group.
    pub group: String,
    pub version: String,
    pub kind: String,
    pub namespaced: bool,
}

impl TargetInfo {
    /// Reads `spec.targetType` of a FederatedTypeConfig; `None` when version or kind is missing.
    pub fn from_ftc(ftc: &Value) -> Option<TargetInfo> {
        let t = ftc.pointer("/spec/targetType")?;
        let s = |k: &str| {
            t.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let (version, kind) = (s("version"), s("kind"));
        if version.is_empty() || kind.is_empty() {
            return None;
        }
        Some(TargetInfo {
            group: s("group"),
            version,
            kind,
            namespaced: s("scope") != "Cluster",
        })
    }

    /// `group/version`, or just `version` for the core group (KubeFed wrote `/v1` there, which no server accepts).
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// Whether the target is the core Namespace type (whose objects get no `metadata.namespace`).
    pub fn is_namespace(&self) -> bool {
        self.group.is_empty() && self.kind == "Namespace"
    }
}

/// Something in the template that was dropped, reported as a Warning event on the federated object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesiredWarning {
    AnnotationsNotSupported,
    FinalizersNotSupported,
}

impl DesiredWarning {
    /// The event reason KubeFed uses.
    pub fn reason(self) -> &'static str {
        match self {
            DesiredWarning::AnnotationsNotSupported => "AnnotationsNotSupported",
            DesiredWarning::FinalizersNotSupported => "FinalizersNotSupported",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            DesiredWarning::AnnotationsNotSupported => {
                "metadata.annotations in spec.template are not propagated; add them per cluster with an \
                 override (op: add, path: /metadata/annotations)"
            }
            DesiredWarning::FinalizersNotSupported => {
                "metadata.finalizers in spec.template are not propagated; member clusters own their finalizers"
            }
        }
    }
}

/// The apply configuration for one cluster, plus what was dropped from the template.
#[derive(Debug, Clone, PartialEq)]
pub struct Desired {
    pub object: Value,
    pub warnings: Vec<DesiredWarning>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DesiredError {
    /// What is wrong, after the field path below `spec.template` (`": …"` for the template itself).
    #[error("spec.template{0}")]
    Template(String),
    #[error(transparent)]
    Overrides(#[from] OverrideError),
}

impl DesiredError {
    /// The per-cluster status KubeFed reports for this failure.
    pub fn status(&self) -> ClusterPropagationStatus {
        match self {
            DesiredError::Template(_) => ClusterPropagationStatus::ComputeResourceFailed,
            DesiredError::Overrides(_) => ClusterPropagationStatus::ApplyOverridesFailed,
        }
    }
}

/// Server-populated metadata that has no place in an apply configuration (apply rejects managedFields and
/// a stale resourceVersion or uid would make every apply conflict). Owner references point at host objects
/// whose UIDs do not exist in members, where the garbage collector would delete the object.
const SERVER_METADATA: [&str; 9] = [
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "ownerReferences",
];

/// Builds the desired object for `cluster` (§3.3): the template (empty if absent) without status,
/// server-populated metadata, annotations and finalizers (the last two reported as warnings); name, namespace
/// (not for Namespace targets or cluster-scoped types), kind and apiVersion (the template's wins) set; with
/// `spec.retainReplicas: true` `spec.replicas` is left to the member unless an override sets it; then the
/// cluster's overrides; finally the managed label, which overrides cannot remove.
pub fn desired_object(
    fed: &Value,
    target: &TargetInfo,
    cluster: &str,
    overrides: &BTreeMap<String, Vec<OverrideOp>>,
) -> Result<Desired, DesiredError> {
    let mut obj = match fed.pointer("/spec/template") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(other) => {
            return Err(DesiredError::Template(format!(
                ": must be an object (the body of the {} to propagate), not {other}",
                target.kind
            )))
        }
    };
    let mut warnings = Vec::new();
    obj.remove("status");

    let mut metadata = match obj.remove("metadata") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(DesiredError::Template(format!(
                ".metadata: must be an object, not {other}"
            )))
        }
    };
    for key in SERVER_METADATA {
        metadata.remove(key);
    }
    if metadata
        .remove("annotations")
        .is_some_and(|a| !is_empty(&a))
    {
        warnings.push(DesiredWarning::AnnotationsNotSupported);
    }
    if metadata.remove("finalizers").is_some_and(|f| !is_empty(&f)) {
        warnings.push(DesiredWarning::FinalizersNotSupported);
    }
    metadata.remove("generateName");
    let fed_meta = |k: &str| {
        fed.pointer(&format!("/metadata/{k}"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    metadata.insert("name".into(), Value::String(fed_meta("name")));
    metadata.remove("namespace");
    if target.namespaced && !target.is_namespace() {
        metadata.insert("namespace".into(), Value::String(fed_meta("namespace")));
    }

    // The member API is addressed by the type config's target: a template naming another version or kind
    // would be refused by every member on every pass, so it is refused here, once, naming the field.
    let api_version = target.api_version();
    match obj.get("apiVersion") {
        None | Some(Value::Null) => {}
        Some(Value::String(v)) if v.is_empty() || *v == api_version => {}
        Some(other) => {
            return Err(DesiredError::Template(format!(
                ".apiVersion: {other} does not match the federated type's target {api_version} \
                 (remove it from the template, or enable the type for that version)"
            )))
        }
    }
    match obj.get("kind") {
        None | Some(Value::Null) => {}
        Some(Value::String(k)) if k.is_empty() || *k == target.kind => {}
        Some(other) => {
            return Err(DesiredError::Template(format!(
            ".kind: {other} does not match the federated type's target kind {:?} (remove it from \
                 the template)",
            target.kind
        )))
        }
    }
    // apiVersion and kind lead, as in every manifest.
    let mut ordered = Map::new();
    ordered.insert("apiVersion".into(), Value::String(api_version));
    ordered.insert("kind".into(), Value::String(target.kind.clone()));
    ordered.insert("metadata".into(), Value::Object(metadata));
    for (k, v) in obj {
        if k != "apiVersion" && k != "kind" {
            ordered.insert(k, v);
        }
    }
    let mut object = Value::Object(ordered);

    let retain_replicas = fed.pointer("/spec/retainReplicas") == Some(&Value::Bool(true));
    let mut ops: Vec<OverrideOp> = overrides.get(cluster).cloned().unwrap_or_default();
    if retain_replicas {
        if let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("replicas");
        }
        // The field is already gone; removing it again must not fail the whole object.
        ops.retain(|o| !(o.op == Op::Remove && o.path == "/spec/replicas"));
    }
    apply_overrides(&mut object, &ops)?;

    let meta = object
        .as_object_mut()
        .expect("object")
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        *meta = Value::Object(Map::new());
    }
    let labels = meta
        .as_object_mut()
        .expect("object")
        .entry("labels")
        .or_insert_with(|| Value::Object(Map::new()));
    if !labels.is_object() {
        *labels = Value::Object(Map::new());
    }
    labels
        .as_object_mut()
        .expect("object")
        .insert(MANAGED_LABEL.into(), Value::String("true".into()));

    Ok(Desired { object, warnings })
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overrides::parse_overrides;
    use serde_json::json;

    fn deployments() -> TargetInfo {
        TargetInfo {
            group: "apps".into(),
            version: "v1".into(),
            kind: "Deployment".into(),
            namespaced: true,
        }
    }

    fn core(kind: &str, namespaced: bool) -> TargetInfo {
        TargetInfo {
            group: String::new(),
            version: "v1".into(),
            kind: kind.into(),
            namespaced,
        }
    }

    fn build(fed: &Value, target: &TargetInfo, cluster: &str) -> Result<Desired, DesiredError> {
        let overrides = parse_overrides(fed).unwrap();
        desired_object(fed, target, cluster, &overrides)
    }

    #[test]
    fn namespace_from_an_absent_template_gets_name_kind_and_label_only() {
        let fed = json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedNamespace",
            "metadata": {"name": "prod", "namespace": "prod"}, "spec": {"placement": {"clusterSelector": {}}}});
        let d = build(&fed, &core("Namespace", false), "c1").unwrap();
        assert_eq!(
            d.object,
            json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": "prod", "labels": {"kubefed.io/managed": "true"}}})
        );
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn configmap_takes_the_federated_name_and_namespace() {
        let fed = json!({"metadata": {"name": "cfg", "namespace": "prod"},
            "spec": {"template": {"metadata": {"name": "other", "namespace": "elsewhere", "labels": {"app": "x"}},
                "data": {"k": "v"}}}});
        let d = build(&fed, &core("ConfigMap", true), "c1").unwrap();
        assert_eq!(
            d.object,
            json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"labels": {"app": "x", "kubefed.io/managed": "true"}, "name": "cfg", "namespace": "prod"},
            "data": {"k": "v"}})
        );
    }

    #[test]
    fn cluster_scoped_targets_get_no_namespace() {
        let fed = json!({"metadata": {"name": "reader"}, "spec": {"template": {"rules": []}}});
        let target = TargetInfo {
            group: "rbac.authorization.k8s.io".into(),
            version: "v1".into(),
            kind: "ClusterRole".into(),
            namespaced: false,
        };
        let d = build(&fed, &target, "c1").unwrap();
        assert_eq!(d.object["apiVersion"], "rbac.authorization.k8s.io/v1");
        assert!(d.object["metadata"].get("namespace").is_none());
    }

    #[test]
    fn template_api_version_and_kind_must_be_the_targets() {
        let fed = |template: Value| json!({"metadata": {"name": "w", "namespace": "p"}, "spec": {"template": template}});
        let d = build(
            &fed(json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {}})),
            &deployments(),
            "c1",
        )
        .unwrap();
        assert_eq!(
            (&d.object["apiVersion"], &d.object["kind"]),
            (&json!("apps/v1"), &json!("Deployment"))
        );
        let d = build(&fed(json!({"spec": {}})), &deployments(), "c1").unwrap();
        assert_eq!(d.object["apiVersion"], "apps/v1");

        let e = build(
            &fed(json!({"apiVersion": "v1", "spec": {}})),
            &deployments(),
            "c1",
        )
        .unwrap_err();
        assert_eq!(e.status(), ClusterPropagationStatus::ComputeResourceFailed);
        assert!(
            e.to_string()
                .starts_with("spec.template.apiVersion: \"v1\" does not match the federated type's target apps/v1"),
            "{e}"
        );
        let e = build(
            &fed(json!({"kind": "ConfigMap", "spec": {}})),
            &deployments(),
            "c1",
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("spec.template.kind: \"ConfigMap\" does not match the federated type's target kind \"Deployment\""),
            "{e}"
        );
        let e = build(&fed(json!({"apiVersion": 1})), &deployments(), "c1").unwrap_err();
        assert!(
            e.to_string().contains("apiVersion: 1 does not match"),
            "{e}"
        );
    }

    #[test]
    fn template_annotations_and_finalizers_are_dropped_with_warnings() {
        let fed = json!({"metadata": {"name": "w", "namespace": "p"},
            "spec": {"template": {"metadata": {"annotations": {"a": "b"}, "finalizers": ["x/y"],
                "resourceVersion": "5", "uid": "u", "managedFields": [], "ownerReferences": [{"uid": "h"}]}}}});
        let d = build(&fed, &core("ConfigMap", true), "c1").unwrap();
        assert_eq!(
            d.warnings,
            [
                DesiredWarning::AnnotationsNotSupported,
                DesiredWarning::FinalizersNotSupported
            ]
        );
        assert_eq!(
            d.object["metadata"],
            json!({"name": "w", "namespace": "p", "labels": {"kubefed.io/managed": "true"}})
        );
        assert_eq!(d.warnings[0].reason(), "AnnotationsNotSupported");
    }

    #[test]
    fn overrides_may_add_annotations() {
        let fed = json!({"metadata": {"name": "w", "namespace": "p"}, "spec": {"template": {"data": {}},
            "overrides": [{"clusterName": "c1", "clusterOverrides": [
                {"op": "add", "path": "/metadata/annotations", "value": {"team": "a"}}]}]}});
        let d = build(&fed, &core("ConfigMap", true), "c1").unwrap();
        assert_eq!(d.object["metadata"]["annotations"], json!({"team": "a"}));
        let other = build(&fed, &core("ConfigMap", true), "c2").unwrap();
        assert!(other.object["metadata"].get("annotations").is_none());
    }

    fn deployment_fed(retain: bool, overrides: Value) -> Value {
        json!({"metadata": {"name": "web", "namespace": "prod"}, "spec": {
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"replicas": 3,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1"}]}}}},
            "retainReplicas": retain, "overrides": overrides}})
    }

    #[test]
    fn deployment_keeps_template_replicas_without_retention() {
        let d = build(&deployment_fed(false, json!([])), &deployments(), "c1").unwrap();
        assert_eq!(d.object["spec"]["replicas"], 3);
        assert_eq!(d.object["apiVersion"], "apps/v1");
    }

    #[test]
    fn retain_replicas_leaves_replicas_to_the_member() {
        let d = build(&deployment_fed(true, json!([])), &deployments(), "c1").unwrap();
        assert!(d.object["spec"].get("replicas").is_none());
        assert_eq!(
            d.object["spec"]["selector"],
            json!({"matchLabels": {"app": "web"}})
        );
    }

    #[test]
    fn retain_replicas_yields_to_a_replicas_override() {
        let fed = deployment_fed(
            true,
            json!([{"clusterName": "c1", "clusterOverrides": [{"path": "/spec/replicas", "value": 7}]},
            {"clusterName": "c2", "clusterOverrides": [{"op": "remove", "path": "/spec/replicas"}]}]),
        );
        assert_eq!(
            build(&fed, &deployments(), "c1").unwrap().object["spec"]["replicas"],
            7
        );
        assert!(build(&fed, &deployments(), "c2").unwrap().object["spec"]
            .get("replicas")
            .is_none());
    }

    #[test]
    fn managed_label_cannot_be_overridden_away() {
        let fed = deployment_fed(
            false,
            json!([{"clusterName": "c1", "clusterOverrides": [
            {"path": "/metadata/labels", "value": {"kubefed.io/managed": "false", "x": "y"}}]}]),
        );
        let d = build(&fed, &deployments(), "c1").unwrap();
        assert_eq!(
            d.object["metadata"]["labels"],
            json!({"kubefed.io/managed": "true", "x": "y"})
        );
    }

    #[test]
    fn override_failure_maps_to_apply_overrides_failed() {
        let fed = deployment_fed(
            false,
            json!([{"clusterName": "c1", "clusterOverrides": [
            {"op": "add", "path": "/spec/strategy/rollingUpdate", "value": {}}]}]),
        );
        let err = build(&fed, &deployments(), "c1").unwrap_err();
        assert_eq!(err.status(), ClusterPropagationStatus::ApplyOverridesFailed);
        assert!(err.to_string().contains("spec.overrides[0].clusterOverrides[0]: cannot add \"/spec/strategy/rollingUpdate\""), "{err}");
    }

    #[test]
    fn non_object_template_maps_to_compute_resource_failed() {
        let fed =
            json!({"metadata": {"name": "w", "namespace": "p"}, "spec": {"template": "oops"}});
        let err = build(&fed, &core("ConfigMap", true), "c1").unwrap_err();
        assert_eq!(
            err.status(),
            ClusterPropagationStatus::ComputeResourceFailed
        );
    }

    #[test]
    fn target_info_reads_the_type_config() {
        let ftc = json!({"spec": {"targetType": {"group": "apps", "version": "v1", "kind": "Deployment",
            "pluralName": "deployments", "scope": "Namespaced"}}});
        assert_eq!(TargetInfo::from_ftc(&ftc), Some(deployments()));
        let ns = json!({"spec": {"targetType": {"version": "v1", "kind": "Namespace", "scope": "Cluster"}}});
        let t = TargetInfo::from_ftc(&ns).unwrap();
        assert!(t.is_namespace() && !t.namespaced);
        assert_eq!(t.api_version(), "v1");
    }
}
