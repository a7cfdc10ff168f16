//! Built-in type semantics of the sandbox: defaults, validation, unknown-field pruning, immutable fields.

pub mod convert;
mod defaults;
mod meta;
pub(crate) mod names;
pub(crate) mod prune;
mod quantities;
mod validate;
mod validate_groups;

pub use defaults::{apply_defaults, default_job_labels_and_selector, normalize, prepare_update};
pub use meta::validate_object_meta;
pub use prune::{decode_error, metadata_type_error, prune_unknown_fields};
pub use quantities::canonicalize_quantities;
pub use validate::validate;

/// Which rule `metadata.name` (and `generateName`) must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// ≤253, lowercase alphanumerics, `-` and `.` (most kinds, every custom resource).
    Dns1123Subdomain,
    /// ≤63, no dots (Namespace).
    Dns1123Label,
    /// ≤63, starts with a letter (Service).
    Dns1035Label,
    /// Anything but `.`, `..`, `/` and `%` (RBAC objects).
    PathSegment,
    /// No name rule.
    None,
}

impl NameRule {
    /// The server's detail messages for `name`; `prefix` is true for `generateName`, whose trailing `-` is allowed.
    pub fn check(self, name: &str, prefix: bool) -> Vec<String> {
        // Go masks a trailing dash of a generateName so the prefix itself is judged as a name.
        let masked;
        let name = if prefix && name.len() > 1 && name.ends_with('-') {
            masked = format!("{}a", &name[..name.len() - 1]);
            masked.as_str()
        } else {
            name
        };
        match self {
            NameRule::Dns1123Subdomain => names::is_dns1123_subdomain(name),
            NameRule::Dns1123Label => names::is_dns1123_label(name),
            NameRule::Dns1035Label => names::is_dns1035_label(name),
            NameRule::PathSegment if prefix => names::is_valid_path_segment_prefix(name),
            NameRule::PathSegment => names::is_valid_path_segment_name(name),
            NameRule::None => Vec::new(),
        }
    }
}

/// The name rule of a kind; custom resources and unknown kinds use DNS-1123 subdomain.
pub fn name_rule(group: &str, kind: &str) -> NameRule {
    match (group, kind) {
        ("", "Namespace") => NameRule::Dns1123Label,
        ("", "Service") => NameRule::Dns1035Label,
        ("rbac.authorization.k8s.io", _) => NameRule::PathSegment,
        _ => NameRule::Dns1123Subdomain,
    }
}

/// Whether the kind sets `metadata.generation` on create and bumps it on spec changes (§4).
pub fn tracks_generation(group: &str, kind: &str) -> bool {
    matches!(
        (group, kind),
        (
            "apps",
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet"
        ) | ("", "ReplicationController")
            | ("batch", "Job" | "CronJob")
            | ("policy", "PodDisruptionBudget")
            | ("autoscaling", "HorizontalPodAutoscaler")
            | ("networking.k8s.io", "Ingress" | "NetworkPolicy")
            | ("apiextensions.k8s.io", "CustomResourceDefinition")
    )
}

/// Whether a built-in kind is namespaced (None for kinds this module does not know).
pub fn is_namespaced(group: &str, kind: &str) -> Option<bool> {
    Some(match (group, kind) {
        ("", "Namespace" | "Node" | "PersistentVolume") => false,
        (
            "",
            "ConfigMap"
            | "Secret"
            | "ServiceAccount"
            | "Service"
            | "Endpoints"
            | "Event"
            | "Pod"
            | "PersistentVolumeClaim"
            | "ResourceQuota"
            | "LimitRange"
            | "ReplicationController",
        ) => true,
        (
            "apps",
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "ControllerRevision",
        ) => true,
        ("batch", "Job" | "CronJob") => true,
        ("rbac.authorization.k8s.io", "ClusterRole" | "ClusterRoleBinding") => false,
        ("rbac.authorization.k8s.io", "Role" | "RoleBinding") => true,
        ("apiextensions.k8s.io", "CustomResourceDefinition") => false,
        ("coordination.k8s.io", "Lease") => true,
        ("networking.k8s.io", "Ingress" | "NetworkPolicy") => true,
        ("policy", "PodDisruptionBudget") => true,
        ("autoscaling", "HorizontalPodAutoscaler") => true,
        ("networking.k8s.io", "IngressClass") => false,
        ("events.k8s.io", "Event") => true,
        ("discovery.k8s.io", "EndpointSlice") => true,
        ("storage.k8s.io", "StorageClass") => false,
        ("scheduling.k8s.io", "PriorityClass") => false,
        ("admissionregistration.k8s.io", _) => false,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_uses_label_rule_service_dns1035_rbac_path_segment() {
        assert_eq!(name_rule("", "Namespace"), NameRule::Dns1123Label);
        assert_eq!(name_rule("", "Service"), NameRule::Dns1035Label);
        assert_eq!(
            name_rule("rbac.authorization.k8s.io", "ClusterRole"),
            NameRule::PathSegment
        );
        assert_eq!(name_rule("", "ConfigMap"), NameRule::Dns1123Subdomain);
        assert_eq!(name_rule("example.com", "Foo"), NameRule::Dns1123Subdomain);
    }

    #[test]
    fn generate_name_may_end_with_dash() {
        assert!(NameRule::Dns1123Subdomain.check("web-", true).is_empty());
        assert_eq!(NameRule::Dns1123Subdomain.check("web-", false).len(), 1);
    }

    #[test]
    fn generation_tracked_for_workloads_not_configmaps() {
        assert!(tracks_generation("apps", "Deployment"));
        assert!(tracks_generation("batch", "CronJob"));
        assert!(!tracks_generation("", "ConfigMap"));
        assert!(!tracks_generation("", "Namespace"));
        assert!(!tracks_generation("", "Service"));
    }

    #[test]
    fn scope_of_builtins() {
        assert_eq!(is_namespaced("", "Namespace"), Some(false));
        assert_eq!(is_namespaced("apps", "Deployment"), Some(true));
        assert_eq!(is_namespaced("example.com", "Foo"), None);
    }
}
