//! The resource types a sandbox cluster serves: the built-in table and the types registered by CRDs.
//! Discovery documents, URL routing and RBAC attributes are all derived from here.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::schema::StructuralSchema;

/// The standard verbs of a stored resource.
pub const ALL_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
const NO_COLLECTION_DELETE: &[&str] = &[
    "create", "delete", "get", "list", "patch", "update", "watch",
];
const CREATE_ONLY: &[&str] = &["create"];
const SUB_VERBS: &[&str] = &["get", "patch", "update"];

/// Where the scale subresource reads and writes replicas (CRs configure it; built-ins use spec/status.replicas).
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleSpec {
    pub spec_replicas_path: String,
    pub status_replicas_path: String,
    pub label_selector_path: Option<String>,
}

/// A subresource: (name, verbs, the (group, version, kind) it answers with when not the parent's).
pub type Subresource = (String, Vec<String>, Option<(String, String, String)>);

/// One served resource (possibly in several versions).
#[derive(Debug, Clone)]
pub struct ResourceType {
    pub group: String,
    /// Served versions, preferred first.
    pub versions: Vec<String>,
    pub plural: String,
    pub singular: String,
    pub kind: String,
    pub list_kind: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    pub verbs: Vec<String>,
    pub status: bool,
    pub scale: Option<ScaleSpec>,
    /// Other subresources: (name, verbs), e.g. ("token", ["create"]), ("finalize", ["update"]).
    pub extra_subresources: Vec<(String, Vec<String>)>,
    pub tracks_generation: bool,
    /// Stores whose delete answers with the final object (Pod, ServiceAccount, …).
    pub return_deleted: bool,
    /// Create-only virtual APIs (reviews): never stored.
    pub virtual_only: bool,
    /// For CRD-backed types: the CRD's name and each version's openAPIV3Schema.
    pub crd: Option<CrdInfo>,
}

#[derive(Debug, Clone)]
pub struct CrdInfo {
    pub name: String,
    pub schemas: BTreeMap<String, Arc<Value>>,
    /// The same schemas compiled once, for the writes that prune, default and validate with them.
    pub structural: BTreeMap<String, Arc<StructuralSchema>>,
    /// Each version's `additionalPrinterColumns` (absent: the default Age column).
    pub printer_columns: BTreeMap<String, Vec<Value>>,
    pub preserve_unknown_root: bool,
    /// The version marked `storage: true`.
    pub storage_version: String,
}

impl ResourceType {
    /// The version objects are stored in: a CRD's storage version, else the preferred one.
    pub fn storage_version(&self) -> &str {
        match &self.crd {
            Some(c) if !c.storage_version.is_empty() => &c.storage_version,
            _ => &self.versions[0],
        }
    }
    pub fn api_version(&self, version: &str) -> String {
        if self.group.is_empty() {
            version.to_string()
        } else {
            format!("{}/{version}", self.group)
        }
    }
    pub fn preferred_version(&self) -> &str {
        &self.versions[0]
    }
    pub fn serves(&self, version: &str) -> bool {
        self.versions.iter().any(|v| v == version)
    }
    pub fn has_verb(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == verb)
    }
    pub fn is_crd(&self) -> bool {
        self.crd.is_some()
    }
    /// Subresources as (name, verbs, response (group, version, kind) override).
    pub fn subresources(&self) -> Vec<Subresource> {
        let mut out = Vec::new();
        if self.status {
            out.push((
                "status".to_string(),
                SUB_VERBS.iter().map(|s| s.to_string()).collect(),
                None,
            ));
        }
        if self.scale.is_some() {
            out.push((
                "scale".to_string(),
                SUB_VERBS.iter().map(|s| s.to_string()).collect(),
                Some(("autoscaling".into(), "v1".into(), "Scale".into())),
            ));
        }
        for (name, verbs) in &self.extra_subresources {
            let resp = if name == "token" {
                Some((
                    "authentication.k8s.io".into(),
                    "v1".into(),
                    "TokenRequest".into(),
                ))
            } else {
                None
            };
            out.push((name.clone(), verbs.clone(), resp));
        }
        out
    }
}

struct B(ResourceType);

impl B {
    fn new(group: &str, version: &str, plural: &str, kind: &str, namespaced: bool) -> B {
        B(ResourceType {
            group: group.into(),
            versions: vec![version.into()],
            plural: plural.into(),
            singular: kind.to_lowercase(),
            kind: kind.into(),
            list_kind: format!("{kind}List"),
            namespaced,
            short_names: vec![],
            categories: vec![],
            verbs: ALL_VERBS.iter().map(|s| s.to_string()).collect(),
            status: false,
            scale: None,
            extra_subresources: vec![],
            tracks_generation: false,
            return_deleted: false,
            virtual_only: false,
            crd: None,
        })
    }
    fn short(mut self, s: &[&str]) -> B {
        self.0.short_names = s.iter().map(|s| s.to_string()).collect();
        self
    }
    fn all(self) -> B {
        self.category("all")
    }
    /// A further served version, after the preferred one (objects are converted to and from the first).
    fn also_version(mut self, v: &str) -> B {
        self.0.versions.push(v.into());
        self
    }
    fn category(mut self, c: &str) -> B {
        self.0.categories = vec![c.into()];
        self
    }
    fn status(mut self) -> B {
        self.0.status = true;
        self
    }
    fn scale(mut self) -> B {
        self.0.scale = Some(ScaleSpec {
            spec_replicas_path: ".spec.replicas".into(),
            status_replicas_path: ".status.replicas".into(),
            label_selector_path: Some(".status.selector".into()),
        });
        self
    }
    fn gen(mut self) -> B {
        self.0.tracks_generation = true;
        self
    }
    fn verbs(mut self, v: &[&str]) -> B {
        self.0.verbs = v.iter().map(|s| s.to_string()).collect();
        self
    }
    fn create_only(self) -> B {
        let mut b = self.verbs(CREATE_ONLY);
        b.0.virtual_only = true;
        b
    }
    fn sub(mut self, name: &str, verbs: &[&str]) -> B {
        self.0
            .extra_subresources
            .push((name.into(), verbs.iter().map(|s| s.to_string()).collect()));
        self
    }
    fn returns_deleted(mut self) -> B {
        self.0.return_deleted = true;
        self
    }
}

/// The order in which built-in groups are listed by `/apis` (a fixed priority, as real servers do).
pub const BUILTIN_GROUP_ORDER: &[&str] = &[
    "apps",
    "events.k8s.io",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "networking.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
];

/// The built-in resource table (apiserver.md §2.1).
pub fn builtin_types() -> Vec<ResourceType> {
    let rbac = "rbac.authorization.k8s.io";
    let authz = "authorization.k8s.io";
    let authn = "authentication.k8s.io";
    vec![
        // core/v1
        B::new("", "v1", "namespaces", "Namespace", false)
            .short(&["ns"])
            .verbs(NO_COLLECTION_DELETE)
            .status()
            .sub("finalize", &["update"]),
        B::new("", "v1", "configmaps", "ConfigMap", true).short(&["cm"]),
        B::new("", "v1", "secrets", "Secret", true),
        B::new("", "v1", "serviceaccounts", "ServiceAccount", true)
            .short(&["sa"])
            .sub("token", &["create"])
            .returns_deleted(),
        B::new("", "v1", "services", "Service", true)
            .short(&["svc"])
            .all()
            .status(),
        B::new("", "v1", "endpoints", "Endpoints", true).short(&["ep"]),
        B::new("", "v1", "events", "Event", true).short(&["ev"]),
        B::new("", "v1", "pods", "Pod", true)
            .short(&["po"])
            .all()
            .status()
            .gen()
            .sub("log", &["get"])
            .returns_deleted(),
        B::new("", "v1", "nodes", "Node", false)
            .short(&["no"])
            .status(),
        B::new("", "v1", "persistentvolumes", "PersistentVolume", false)
            .short(&["pv"])
            .status(),
        B::new(
            "",
            "v1",
            "persistentvolumeclaims",
            "PersistentVolumeClaim",
            true,
        )
        .short(&["pvc"])
        .status(),
        B::new("", "v1", "resourcequotas", "ResourceQuota", true)
            .short(&["quota"])
            .status(),
        B::new("", "v1", "limitranges", "LimitRange", true).short(&["limits"]),
        B::new(
            "",
            "v1",
            "replicationcontrollers",
            "ReplicationController",
            true,
        )
        .short(&["rc"])
        .all()
        .status()
        .scale()
        .gen(),
        // apps/v1
        B::new("apps", "v1", "deployments", "Deployment", true)
            .short(&["deploy"])
            .all()
            .status()
            .scale()
            .gen(),
        B::new("apps", "v1", "replicasets", "ReplicaSet", true)
            .short(&["rs"])
            .all()
            .status()
            .scale()
            .gen(),
        B::new("apps", "v1", "statefulsets", "StatefulSet", true)
            .short(&["sts"])
            .all()
            .status()
            .scale()
            .gen(),
        B::new("apps", "v1", "daemonsets", "DaemonSet", true)
            .short(&["ds"])
            .all()
            .status()
            .gen(),
        B::new(
            "apps",
            "v1",
            "controllerrevisions",
            "ControllerRevision",
            true,
        ),
        // authentication / authorization reviews
        B::new(authn, "v1", "tokenreviews", "TokenReview", false).create_only(),
        B::new(
            authn,
            "v1",
            "selfsubjectreviews",
            "SelfSubjectReview",
            false,
        )
        .create_only(),
        B::new(
            authz,
            "v1",
            "localsubjectaccessreviews",
            "LocalSubjectAccessReview",
            true,
        )
        .create_only(),
        B::new(
            authz,
            "v1",
            "selfsubjectaccessreviews",
            "SelfSubjectAccessReview",
            false,
        )
        .create_only(),
        B::new(
            authz,
            "v1",
            "selfsubjectrulesreviews",
            "SelfSubjectRulesReview",
            false,
        )
        .create_only(),
        B::new(
            authz,
            "v1",
            "subjectaccessreviews",
            "SubjectAccessReview",
            false,
        )
        .create_only(),
        // autoscaling
        B::new(
            "autoscaling",
            "v2",
            "horizontalpodautoscalers",
            "HorizontalPodAutoscaler",
            true,
        )
        .also_version("v1")
        .short(&["hpa"])
        .all()
        .status()
        .gen(),
        // batch
        B::new("batch", "v1", "jobs", "Job", true)
            .all()
            .status()
            .gen(),
        B::new("batch", "v1", "cronjobs", "CronJob", true)
            .short(&["cj"])
            .all()
            .status()
            .gen(),
        // networking
        B::new("networking.k8s.io", "v1", "ingresses", "Ingress", true)
            .short(&["ing"])
            .status()
            .gen(),
        B::new(
            "networking.k8s.io",
            "v1",
            "networkpolicies",
            "NetworkPolicy",
            true,
        )
        .short(&["netpol"])
        .gen(),
        B::new(
            "networking.k8s.io",
            "v1",
            "ingressclasses",
            "IngressClass",
            false,
        ),
        // policy
        B::new(
            "policy",
            "v1",
            "poddisruptionbudgets",
            "PodDisruptionBudget",
            true,
        )
        .short(&["pdb"])
        .status()
        .gen(),
        // rbac
        B::new(rbac, "v1", "clusterroles", "ClusterRole", false),
        B::new(
            rbac,
            "v1",
            "clusterrolebindings",
            "ClusterRoleBinding",
            false,
        ),
        B::new(rbac, "v1", "roles", "Role", true),
        B::new(rbac, "v1", "rolebindings", "RoleBinding", true),
        // apiextensions
        B::new(
            "apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            "CustomResourceDefinition",
            false,
        )
        .short(&["crd", "crds"])
        .status()
        .gen()
        .category("api-extensions"),
        // coordination
        B::new("coordination.k8s.io", "v1", "leases", "Lease", true),
        // events.k8s.io: stored apart from core/v1 events (a real server shares one store between them)
        B::new("events.k8s.io", "v1", "events", "Event", true).short(&["ev"]),
        // storage, scheduling, discovery
        B::new(
            "storage.k8s.io",
            "v1",
            "storageclasses",
            "StorageClass",
            false,
        )
        .short(&["sc"]),
        B::new(
            "scheduling.k8s.io",
            "v1",
            "priorityclasses",
            "PriorityClass",
            false,
        )
        .short(&["pc"]),
        B::new(
            "discovery.k8s.io",
            "v1",
            "endpointslices",
            "EndpointSlice",
            true,
        ),
        // admission webhooks: stored, never called
        B::new(
            "admissionregistration.k8s.io",
            "v1",
            "validatingwebhookconfigurations",
            "ValidatingWebhookConfiguration",
            false,
        )
        .category("api-extensions"),
        B::new(
            "admissionregistration.k8s.io",
            "v1",
            "mutatingwebhookconfigurations",
            "MutatingWebhookConfiguration",
            false,
        )
        .category("api-extensions"),
    ]
    .into_iter()
    .map(|b| b.0)
    .collect()
}

/// The types of one cluster: built-ins plus established CRDs, looked up by (group, plural).
#[derive(Debug, Clone)]
pub struct Registry {
    types: Vec<Arc<ResourceType>>,
    by_key: BTreeMap<(String, String), usize>,
}

impl Registry {
    pub fn new(crd_types: Vec<ResourceType>) -> Registry {
        let mut types: Vec<Arc<ResourceType>> = builtin_types().into_iter().map(Arc::new).collect();
        types.extend(crd_types.into_iter().map(Arc::new));
        let by_key = types
            .iter()
            .enumerate()
            .map(|(i, t)| ((t.group.clone(), t.plural.clone()), i))
            .collect();
        Registry { types, by_key }
    }

    pub fn get(&self, group: &str, plural: &str) -> Option<&Arc<ResourceType>> {
        self.by_key
            .get(&(group.to_string(), plural.to_string()))
            .map(|&i| &self.types[i])
    }

    /// The type served at `group/version` under `plural`.
    pub fn lookup(&self, group: &str, version: &str, plural: &str) -> Option<&Arc<ResourceType>> {
        self.get(group, plural).filter(|t| t.serves(version))
    }

    pub fn types(&self) -> &[Arc<ResourceType>] {
        &self.types
    }

    /// Whether some served type in the group/version exists.
    pub fn serves_group_version(&self, group: &str, version: &str) -> bool {
        self.types
            .iter()
            .any(|t| t.group == group && t.serves(version))
    }

    /// Groups (non-core) in discovery order with their versions, preferred first.
    pub fn groups(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        let mut push = |group: &str, version: &str| {
            if let Some(entry) = out.iter_mut().find(|(g, _)| g == group) {
                if !entry.1.iter().any(|v| v == version) {
                    entry.1.push(version.to_string());
                }
            } else {
                out.push((group.to_string(), vec![version.to_string()]));
            }
        };
        for g in BUILTIN_GROUP_ORDER {
            for t in self.types.iter().filter(|t| t.group == *g) {
                for v in &t.versions {
                    push(g, v);
                }
            }
        }
        let mut crd_groups: Vec<&Arc<ResourceType>> =
            self.types.iter().filter(|t| t.is_crd()).collect();
        crd_groups.sort_by(|a, b| a.group.cmp(&b.group));
        for t in crd_groups {
            for v in &t.versions {
                push(&t.group, v);
            }
        }
        for (_, versions) in out.iter_mut() {
            sort_versions(versions);
        }
        out
    }

    /// Types served in group/version, in table order.
    pub fn in_group_version(&self, group: &str, version: &str) -> Vec<&Arc<ResourceType>> {
        self.types
            .iter()
            .filter(|t| t.group == group && t.serves(version))
            .collect()
    }
}

/// Kubernetes version priority: GA > beta > alpha, higher numbers first (`v2` > `v1` > `v1beta2` > `v1beta1` > `v1alpha1`).
pub fn version_priority(v: &str) -> (u8, u64, u64) {
    let re = regex::Regex::new(r"^v(\d+)(?:(alpha|beta)(\d+))?$").expect("valid regex");
    match re.captures(v) {
        Some(c) => {
            let major: u64 = c[1].parse().unwrap_or(0);
            let (stage, minor) = match c.get(2).map(|m| m.as_str()) {
                None => (3, 0),
                Some("beta") => (2, c[3].parse().unwrap_or(0)),
                _ => (1, c[3].parse().unwrap_or(0)),
            };
            (stage, major, minor)
        }
        None => (0, 0, 0),
    }
}

/// Sorts versions by Kubernetes priority, most preferred first (stable for non-kube-like names: alphabetical).
pub fn sort_versions(versions: &mut [String]) {
    versions.sort_by(|a, b| {
        version_priority(b)
            .cmp(&version_priority(a))
            .then_with(|| a.cmp(b))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_priority_orders_ga_beta_alpha() {
        let mut v: Vec<String> = ["v1alpha1", "v1", "v2beta1", "v1beta2", "v2", "foo"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        sort_versions(&mut v);
        assert_eq!(v, ["v2", "v1", "v2beta1", "v1beta2", "v1alpha1", "foo"]);
    }

    #[test]
    fn builtin_groups_never_empty_and_in_fixed_order() {
        let r = Registry::new(vec![]);
        let groups = r.groups();
        let names: Vec<&str> = groups.iter().map(|(g, _)| g.as_str()).collect();
        assert_eq!(names, BUILTIN_GROUP_ORDER);
        assert!(groups.iter().all(|(_, v)| !v.is_empty()));
    }

    #[test]
    fn namespaces_are_cluster_scoped_and_configmaps_namespaced() {
        let r = Registry::new(vec![]);
        assert!(!r.get("", "namespaces").unwrap().namespaced);
        assert!(r.get("", "configmaps").unwrap().namespaced);
        assert!(
            !r.get("rbac.authorization.k8s.io", "clusterroles")
                .unwrap()
                .namespaced
        );
    }
}
