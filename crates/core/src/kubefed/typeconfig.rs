//! The federated-type generator shared by `init` and `enable`: for a target API type, the
//! FederatedTypeConfig and the `Federated<Kind>` CRD exactly as KubeFed generates them.

use serde_json::{json, Map, Value};

use super::types::{
    group_qualified_name, ApiResource, FederatedTypeConfig, FederatedTypeConfigSpec,
};
use super::*;

/// An API type to federate, as discovery describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetType {
    /// Empty for the core group.
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub singular: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
}

impl TargetType {
    /// A target with singular = lowercase kind and no short names.
    pub fn new(group: &str, version: &str, kind: &str, plural: &str, namespaced: bool) -> Self {
        TargetType {
            group: group.to_string(),
            version: version.to_string(),
            kind: kind.to_string(),
            plural: plural.to_string(),
            singular: kind.to_lowercase(),
            namespaced,
            short_names: Vec::new(),
        }
    }

    fn with_short_names(mut self, names: &[&str]) -> Self {
        self.short_names = names.iter().map(|s| s.to_string()).collect();
        self
    }

    /// `plural` or `plural.group`: the FTC's name and the CLI's unambiguous type name.
    pub fn group_qualified_name(&self) -> String {
        group_qualified_name(&self.plural, &self.group)
    }

    /// `v1` for the core group, else `group/version`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    pub fn scope(&self) -> &'static str {
        if self.namespaced {
            SCOPE_NAMESPACED
        } else {
            SCOPE_CLUSTER
        }
    }

    /// Whether this is the core `namespaces` type (federated as a namespaced FederatedNamespace).
    pub fn is_namespace(&self) -> bool {
        self.group_qualified_name() == NAMESPACE_FTC_NAME
    }

    /// Scope of the federated type: the target's, except FederatedNamespace, which lives inside
    /// the namespace it federates.
    pub fn federated_scope(&self) -> &'static str {
        if self.is_namespace() {
            SCOPE_NAMESPACED
        } else {
            self.scope()
        }
    }

    /// The FTC's `spec.targetType`.
    pub fn api_resource(&self) -> ApiResource {
        ApiResource {
            group: self.group.clone(),
            version: self.version.clone(),
            kind: self.kind.clone(),
            plural_name: self.plural.clone(),
            scope: self.scope().to_string(),
        }
    }

    /// The FTC's `spec.federatedType`.
    pub fn federated_api_resource(&self, fed_group: &str, fed_version: &str) -> ApiResource {
        ApiResource {
            group: fed_group.to_string(),
            version: fed_version.to_string(),
            kind: federated_kind(&self.kind),
            plural_name: federated_plural(&self.plural),
            scope: self.federated_scope().to_string(),
        }
    }

    /// KubeFed's target lookup rule: `name` (any case) equals the plural, singular, lowercase kind,
    /// `plural.group`, or a short name.
    pub fn matches_name(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        name == self.plural
            || name == self.singular
            || name == self.kind.to_lowercase()
            || (!self.group.is_empty() && name == format!("{}.{}", self.plural, self.group))
            || self.short_names.iter().any(|s| s.to_lowercase() == name)
    }
}

impl From<&ApiResource> for TargetType {
    /// A target from an FTC's `targetType` (which carries no short names).
    fn from(r: &ApiResource) -> Self {
        TargetType::new(
            &r.group,
            &r.version,
            &r.kind,
            &r.plural_name,
            r.scope == SCOPE_NAMESPACED,
        )
    }
}

/// Why a type name could not be resolved; messages are KubeFed's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("Multiple resources are matched by {name:?}: {}. A group-qualified plural name must be provided.", .matches.join(", "))]
    Ambiguous { name: String, matches: Vec<String> },
    #[error("Unable to find api resource named {0:?}.")]
    NotFound(String),
}

/// KubeFed's target lookup over discovery's preferred resources (in discovery order): resources
/// in other versions are skipped when `version` is given; a core-group match wins at once;
/// otherwise more than one match is ambiguous.
pub fn lookup_target(
    candidates: &[TargetType],
    name: &str,
    version: Option<&str>,
) -> Result<TargetType, LookupError> {
    let mut matches: Vec<&TargetType> = Vec::new();
    for candidate in candidates {
        if version.is_some_and(|v| v != candidate.version) || !candidate.matches_name(name) {
            continue;
        }
        if candidate.group.is_empty() {
            return Ok(candidate.clone());
        }
        matches.push(candidate);
    }
    match matches.as_slice() {
        [] => Err(LookupError::NotFound(name.to_string())),
        [one] => Ok((*one).clone()),
        many => Err(LookupError::Ambiguous {
            name: name.to_string(),
            matches: many.iter().map(|t| t.group_qualified_name()).collect(),
        }),
    }
}

/// Whether a kind/group pair is itself a generated federated type (never federated again).
pub fn is_federated_type(kind: &str, group: &str) -> bool {
    kind.starts_with(FEDERATED_KIND_PREFIX) && group == TYPES_GROUP
}

/// `Federated` + kind.
pub fn federated_kind(kind: &str) -> String {
    format!("{FEDERATED_KIND_PREFIX}{kind}")
}

/// `federated` + target plural.
pub fn federated_plural(plural: &str) -> String {
    format!("federated{plural}")
}

/// Each target short name prefixed with `f` (`deploy` → `fdeploy`).
pub fn federated_short_names(short_names: &[String]) -> Vec<String> {
    short_names.iter().map(|s| format!("f{s}")).collect()
}

/// Name of the generated CRD: `<federated plural>.<federated group>`.
pub fn federated_crd_name(target: &TargetType, fed_group: &str) -> String {
    format!("{}.{fed_group}", federated_plural(&target.plural))
}

/// Kubernetes' "unsafe guess" of a resource plural from a kind: lowercase, then `endpoints`
/// stays as is, `s` → `ses`, `y` → `ies`, else `+s`.
pub fn guess_plural(kind: &str) -> String {
    let singular = kind.to_lowercase();
    if singular.is_empty() || singular.ends_with("endpoints") {
        return singular;
    }
    if singular.ends_with('s') {
        format!("{singular}es")
    } else if let Some(stem) = singular.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{singular}s")
    }
}

/// The ten types KubeFed federates out of the box, in FTC-name order.
pub fn default_types() -> Vec<TargetType> {
    vec![
        TargetType::new(
            "rbac.authorization.k8s.io",
            "v1",
            "ClusterRole",
            "clusterroles",
            false,
        ),
        TargetType::new("", "v1", "ConfigMap", "configmaps", true).with_short_names(&["cm"]),
        TargetType::new("apps", "v1", "Deployment", "deployments", true)
            .with_short_names(&["deploy"]),
        TargetType::new("networking.k8s.io", "v1", "Ingress", "ingresses", true)
            .with_short_names(&["ing"]),
        TargetType::new("batch", "v1", "Job", "jobs", true),
        TargetType::new("", "v1", "Namespace", "namespaces", false).with_short_names(&["ns"]),
        TargetType::new("apps", "v1", "ReplicaSet", "replicasets", true).with_short_names(&["rs"]),
        TargetType::new("", "v1", "Secret", "secrets", true),
        TargetType::new("", "v1", "ServiceAccount", "serviceaccounts", true)
            .with_short_names(&["sa"]),
        TargetType::new("", "v1", "Service", "services", true).with_short_names(&["svc"]),
    ]
}

/// Families of group/versions serving the same resource; only one member may be federated.
const EQUIVALENT_APIS: &[(&str, &[(&str, &str)])] = &[
    (
        "deployments",
        &[
            ("apps", "v1"),
            ("apps", "v1beta1"),
            ("apps", "v1beta2"),
            ("extensions", "v1beta1"),
        ],
    ),
    (
        "daemonsets",
        &[
            ("apps", "v1"),
            ("apps", "v1beta1"),
            ("apps", "v1beta2"),
            ("extensions", "v1beta1"),
        ],
    ),
    (
        "replicasets",
        &[
            ("apps", "v1"),
            ("apps", "v1beta1"),
            ("apps", "v1beta2"),
            ("extensions", "v1beta1"),
        ],
    ),
    (
        "statefulsets",
        &[("apps", "v1"), ("apps", "v1beta1"), ("apps", "v1beta2")],
    ),
    (
        "networkpolicies",
        &[("networking.k8s.io", "v1"), ("extensions", "v1beta1")],
    ),
    (
        "podsecuritypolicies",
        &[("policy", "v1beta1"), ("extensions", "v1beta1")],
    ),
    (
        "ingresses",
        &[("networking.k8s.io", "v1beta1"), ("extensions", "v1beta1")],
    ),
];

/// The other (group, version) pairs equivalent to `plural` in `group`/`version`; empty when the
/// type has no deprecated twins.
pub fn equivalent_targets(plural: &str, group: &str, version: &str) -> Vec<(String, String)> {
    let Some((_, family)) = EQUIVALENT_APIS.iter().find(|(p, _)| *p == plural) else {
        return Vec::new();
    };
    if !family.iter().any(|(g, v)| *g == group && *v == version) {
        return Vec::new();
    }
    family
        .iter()
        .filter(|(g, v)| !(*g == group && *v == version))
        .map(|(g, v)| (g.to_string(), v.to_string()))
        .collect()
}

/// Whether two FTC targets name the same resource through different deprecated APIs — `enable`
/// refuses the second one.
pub fn are_equivalent(a: &ApiResource, b: &ApiResource) -> bool {
    a.plural_name == b.plural_name
        && equivalent_targets(&a.plural_name, &a.group, &a.version)
            .iter()
            .any(|(g, v)| *g == b.group && *v == b.version)
}

/// The FederatedTypeConfig for `target`, named by KubeFed's rule, in `kubefed_ns`.
pub fn federated_type_config(
    target: &TargetType,
    fed_group: &str,
    fed_version: &str,
    kubefed_ns: &str,
) -> Value {
    let ftc = FederatedTypeConfig::new(
        &target.group_qualified_name(),
        kubefed_ns,
        FederatedTypeConfigSpec {
            target_type: target.api_resource(),
            propagation: ENABLED.to_string(),
            federated_type: target.federated_api_resource(fed_group, fed_version),
            status_type: None,
            status_collection: None,
        },
    );
    serde_json::to_value(ftc).expect("FTC serialises")
}

/// Whether a target's schema (an openAPIV3Schema, or a CRD version's `schema` wrapping one)
/// has `spec.replicas` of type integer, format int32 — KubeFed's test for a scalable workload.
pub fn schema_has_int32_replicas(schema: &Value) -> bool {
    let root = schema.get("openAPIV3Schema").unwrap_or(schema);
    let replicas = &root["properties"]["spec"]["properties"]["replicas"];
    replicas["type"] == "integer" && replicas["format"] == "int32"
}

/// The built-in workload kinds whose `spec.replicas` is an int32 (what KubeFed's OpenAPI walk finds).
pub fn builtin_has_int32_replicas(group: &str, kind: &str) -> bool {
    matches!(
        (group, kind),
        (
            "apps" | "extensions",
            "Deployment" | "ReplicaSet" | "StatefulSet"
        ) | ("", "ReplicationController")
    )
}

/// The `Federated<Kind>` CRD for `target`. `spec.retainReplicas` is offered iff `target_schema`
/// (when given, e.g. a CRD target's schema) or else the built-in table says `spec.replicas` is an
/// int32. The template is always `object` with unknown fields preserved: embedding the target's
/// schema would make the API server prune what a newer member understands.
pub fn federated_crd(
    target: &TargetType,
    target_schema: Option<&Value>,
    fed_group: &str,
    fed_version: &str,
) -> Value {
    let retain_replicas = match target_schema {
        Some(schema) => schema_has_int32_replicas(schema),
        None => builtin_has_int32_replicas(&target.group, &target.kind),
    };
    let kind = federated_kind(&target.kind);
    let plural = federated_plural(&target.plural);
    let mut names = Map::new();
    names.insert("plural".into(), json!(plural));
    names.insert("singular".into(), json!(kind.to_lowercase()));
    names.insert("kind".into(), json!(kind));
    names.insert("listKind".into(), json!(format!("{kind}List")));
    if !target.short_names.is_empty() {
        names.insert(
            "shortNames".into(),
            json!(federated_short_names(&target.short_names)),
        );
    }
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": federated_crd_name(target, fed_group)},
        "spec": {
            "group": fed_group,
            "names": names,
            "scope": target.federated_scope(),
            "versions": [{
                "name": fed_version,
                "served": true,
                "storage": true,
                "schema": {"openAPIV3Schema": federated_schema(retain_replicas)},
                "subresources": {"status": {}}
            }]
        }
    })
}

/// The structural schema every federated type shares (template, placement, overrides, status).
fn federated_schema(retain_replicas: bool) -> Value {
    let string = json!({"type": "string"});
    let date_time = json!({"type": "string", "format": "date-time"});
    let mut spec_props = Map::new();
    spec_props.insert(
        "template".into(),
        json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}),
    );
    spec_props.insert(
        "placement".into(),
        json!({
            "type": "object",
            "properties": {
                "clusters": {
                    "type": "array",
                    "items": {"type": "object", "required": ["name"], "properties": {"name": string}}
                },
                "clusterSelector": {
                    "type": "object",
                    "properties": {
                        "matchExpressions": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["key", "operator"],
                                "properties": {
                                    "key": string,
                                    "operator": string,
                                    "values": {"type": "array", "items": string}
                                }
                            }
                        },
                        "matchLabels": {"type": "object", "additionalProperties": string}
                    }
                }
            }
        }),
    );
    spec_props.insert(
        "overrides".into(),
        json!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "clusterName": string,
                    "clusterOverrides": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["path"],
                            "properties": {
                                "op": {"type": "string", "pattern": "^(add|remove|replace)?$"},
                                "path": string,
                                "value": {"x-kubernetes-preserve-unknown-fields": true}
                            }
                        }
                    }
                }
            }
        }),
    );
    if retain_replicas {
        spec_props.insert(RETAIN_REPLICAS_FIELD.into(), json!({"type": "boolean"}));
    }
    json!({
        "type": "object",
        "required": ["spec"],
        "properties": {
            "apiVersion": string,
            "kind": string,
            "metadata": {"type": "object"},
            "spec": {"type": "object", "properties": spec_props},
            "status": {
                "type": "object",
                "properties": {
                    "conditions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["type", "status"],
                            "properties": {
                                "type": string,
                                "status": string,
                                "reason": string,
                                "lastUpdateTime": date_time,
                                "lastTransitionTime": date_time
                            }
                        }
                    },
                    "clusters": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": string,
                                "status": string,
                                "remoteStatus": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
                            }
                        }
                    },
                    "observedGeneration": {"type": "integer", "format": "int64"}
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubefed::crds::structural_violations;
    use std::path::PathBuf;

    fn default_type(name: &str) -> TargetType {
        default_types()
            .into_iter()
            .find(|t| t.group_qualified_name() == name)
            .unwrap()
    }

    fn fixture_docs(path: &PathBuf) -> Vec<Value> {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        serde_yaml::Deserializer::from_str(&text)
            .map(|doc| serde_json::to_value(serde_yaml::Value::deserialize(doc).unwrap()).unwrap())
            .collect()
    }

    use serde::Deserialize;

    #[test]
    fn ftc_names_are_group_qualified_plurals() {
        let names: Vec<String> = default_types()
            .iter()
            .map(|t| t.group_qualified_name())
            .collect();
        assert_eq!(
            names,
            vec![
                "clusterroles.rbac.authorization.k8s.io",
                "configmaps",
                "deployments.apps",
                "ingresses.networking.k8s.io",
                "jobs.batch",
                "namespaces",
                "replicasets.apps",
                "secrets",
                "serviceaccounts",
                "services"
            ]
        );
    }

    #[test]
    fn federated_names_prefix_kind_plural_and_short_names() {
        let t = default_type("deployments.apps");
        assert_eq!(federated_kind(&t.kind), "FederatedDeployment");
        assert_eq!(federated_plural(&t.plural), "federateddeployments");
        assert_eq!(federated_short_names(&t.short_names), vec!["fdeploy"]);
        assert_eq!(
            federated_crd_name(&t, "types.kubefed.io"),
            "federateddeployments.types.kubefed.io"
        );
    }

    #[test]
    fn crd_short_names_match_kubefed_defaults() {
        let shorts: Vec<(String, Value)> = default_types()
            .iter()
            .map(|t| {
                let crd = federated_crd(t, None, TYPES_GROUP, TYPES_VERSION);
                (
                    t.group_qualified_name(),
                    crd["spec"]["names"]["shortNames"].clone(),
                )
            })
            .collect();
        let expect = |n: &str| shorts.iter().find(|(k, _)| k == n).unwrap().1.clone();
        assert_eq!(expect("configmaps"), json!(["fcm"]));
        assert_eq!(expect("ingresses.networking.k8s.io"), json!(["fing"]));
        assert_eq!(expect("namespaces"), json!(["fns"]));
        assert_eq!(expect("replicasets.apps"), json!(["frs"]));
        assert_eq!(expect("serviceaccounts"), json!(["fsa"]));
        assert_eq!(expect("services"), json!(["fsvc"]));
        assert_eq!(expect("jobs.batch"), Value::Null);
        assert_eq!(expect("secrets"), Value::Null);
        assert_eq!(
            expect("clusterroles.rbac.authorization.k8s.io"),
            Value::Null
        );
    }

    #[test]
    fn federated_namespace_is_namespaced_although_namespaces_are_not() {
        let ns = default_type("namespaces");
        assert!(!ns.namespaced);
        let crd = federated_crd(&ns, None, TYPES_GROUP, TYPES_VERSION);
        assert_eq!(crd["spec"]["scope"], "Namespaced");
        let ftc = federated_type_config(&ns, TYPES_GROUP, TYPES_VERSION, "kf");
        assert_eq!(ftc["spec"]["targetType"]["scope"], "Cluster");
        assert_eq!(ftc["spec"]["federatedType"]["scope"], "Namespaced");
    }

    #[test]
    fn other_cluster_scoped_targets_stay_cluster_scoped() {
        let cr = default_type("clusterroles.rbac.authorization.k8s.io");
        let crd = federated_crd(&cr, None, TYPES_GROUP, TYPES_VERSION);
        assert_eq!(crd["spec"]["scope"], "Cluster");
    }

    #[test]
    fn retain_replicas_only_for_int32_replicas() {
        let has = |t: &TargetType, s: Option<&Value>| {
            let crd = federated_crd(t, s, TYPES_GROUP, TYPES_VERSION);
            crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
                ["properties"]
                .get("retainReplicas")
                .is_some()
        };
        assert!(has(&default_type("deployments.apps"), None));
        assert!(has(&default_type("replicasets.apps"), None));
        assert!(!has(&default_type("jobs.batch"), None));
        assert!(!has(&default_type("configmaps"), None));
        let statefulset = TargetType::new("apps", "v1", "StatefulSet", "statefulsets", true);
        assert!(has(&statefulset, None));

        let crd_target = TargetType::new("example.com", "v1", "Widget", "widgets", true);
        let int32 = json!({"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object",
            "properties": {"replicas": {"type": "integer", "format": "int32"}}}}}});
        let int64 = json!({"type": "object", "properties": {"spec": {"type": "object",
            "properties": {"replicas": {"type": "integer", "format": "int64"}}}}});
        let string = json!({"type": "object", "properties": {"spec": {"type": "object",
            "properties": {"replicas": {"type": "string"}}}}});
        assert!(has(&crd_target, Some(&int32)));
        assert!(!has(&crd_target, Some(&int64)));
        assert!(!has(&crd_target, Some(&string)));
        assert!(!has(&crd_target, None));
    }

    #[test]
    fn an_explicit_schema_overrides_the_builtin_table() {
        let dep = default_type("deployments.apps");
        let no_replicas = json!({"type": "object", "properties": {"spec": {"type": "object"}}});
        let crd = federated_crd(&dep, Some(&no_replicas), TYPES_GROUP, TYPES_VERSION);
        assert!(
            crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
                ["properties"]
                .get("retainReplicas")
                .is_none()
        );
    }

    #[test]
    fn custom_group_and_version_flow_into_ftc_and_crd() {
        let t = TargetType::new("example.com", "v2", "Widget", "widgets", true);
        let crd = federated_crd(&t, None, "fed.example.org", "v1");
        assert_eq!(crd["metadata"]["name"], "federatedwidgets.fed.example.org");
        assert_eq!(crd["spec"]["group"], "fed.example.org");
        assert_eq!(crd["spec"]["versions"][0]["name"], "v1");
        let ftc = federated_type_config(&t, "fed.example.org", "v1", "kf");
        assert_eq!(ftc["metadata"]["name"], "widgets.example.com");
        assert_eq!(
            ftc["spec"]["federatedType"],
            json!({"group": "fed.example.org", "version": "v1", "kind": "FederatedWidget",
                   "pluralName": "federatedwidgets", "scope": "Namespaced"})
        );
    }

    #[test]
    fn generated_crds_are_structural() {
        for t in default_types() {
            let crd = federated_crd(&t, None, TYPES_GROUP, TYPES_VERSION);
            let schema = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
            assert_eq!(
                structural_violations(schema),
                Vec::<String>::new(),
                "{}",
                t.plural
            );
        }
    }

    #[test]
    fn generated_ftcs_pass_kubefed_validation() {
        for t in default_types() {
            let ftc: FederatedTypeConfig =
                serde_json::from_value(federated_type_config(&t, TYPES_GROUP, TYPES_VERSION, "kf"))
                    .unwrap();
            assert_eq!(ftc.validate(), vec![], "{}", t.plural);
        }
    }

    #[test]
    fn default_types_match_enable_fixtures() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/enable");
        for t in default_types() {
            let path = dir.join(format!("{}.expected.yaml", t.group_qualified_name()));
            let docs = fixture_docs(&path);
            assert_eq!(docs.len(), 2, "{path:?}: FTC then CRD");
            assert_eq!(
                federated_type_config(&t, TYPES_GROUP, TYPES_VERSION, DEFAULT_KUBEFED_NAMESPACE),
                docs[0],
                "{path:?} FTC"
            );
            assert_eq!(
                federated_crd(&t, None, TYPES_GROUP, TYPES_VERSION),
                docs[1],
                "{path:?} CRD"
            );
        }
    }

    #[test]
    fn lookup_resolves_aliases_and_prefers_core_group() {
        let mut candidates = default_types();
        candidates.push(TargetType::new(
            "example.com",
            "v1",
            "Service",
            "services",
            true,
        ));
        assert_eq!(lookup_target(&candidates, "svc", None).unwrap().group, "");
        assert_eq!(
            lookup_target(&candidates, "Service", None).unwrap().group,
            ""
        );
        assert_eq!(
            lookup_target(&candidates, "services.example.com", None)
                .unwrap()
                .group,
            "example.com"
        );
        assert_eq!(
            lookup_target(&candidates, "deploy", None)
                .unwrap()
                .group_qualified_name(),
            "deployments.apps"
        );
    }

    #[test]
    fn lookup_reports_ambiguity_and_absence_like_kubefed() {
        let candidates = vec![
            TargetType::new("a.example.com", "v1", "Widget", "widgets", true),
            TargetType::new("b.example.com", "v1", "Widget", "widgets", true),
        ];
        assert_eq!(
            lookup_target(&candidates, "widgets", None).unwrap_err().to_string(),
            "Multiple resources are matched by \"widgets\": widgets.a.example.com, widgets.b.example.com. A group-qualified plural name must be provided."
        );
        assert_eq!(
            lookup_target(&candidates, "gadgets", None)
                .unwrap_err()
                .to_string(),
            "Unable to find api resource named \"gadgets\"."
        );
    }

    #[test]
    fn lookup_with_version_skips_other_versions() {
        let candidates = vec![
            TargetType::new("example.com", "v1", "Widget", "widgets", true),
            TargetType::new("example.com", "v2", "Widget", "widgets", true),
        ];
        assert_eq!(
            lookup_target(&candidates, "widget", Some("v2"))
                .unwrap()
                .version,
            "v2"
        );
        assert!(matches!(
            lookup_target(&candidates, "widget", Some("v3")),
            Err(LookupError::NotFound(_))
        ));
    }

    #[test]
    fn federated_types_are_recognised_by_kind_prefix_and_group() {
        assert!(is_federated_type("FederatedDeployment", "types.kubefed.io"));
        assert!(!is_federated_type("FederatedDeployment", "example.com"));
        assert!(!is_federated_type("Deployment", "types.kubefed.io"));
    }

    #[test]
    fn guess_plural_follows_kubernetes_unsafe_guess() {
        assert_eq!(guess_plural("Deployment"), "deployments");
        assert_eq!(guess_plural("Ingress"), "ingresses");
        assert_eq!(guess_plural("NetworkPolicy"), "networkpolicies");
        assert_eq!(guess_plural("Gateway"), "gatewaies");
        assert_eq!(guess_plural("Endpoints"), "endpoints");
        assert_eq!(guess_plural("ConfigMap"), "configmaps");
        assert_eq!(guess_plural(""), "");
    }

    #[test]
    fn equivalent_targets_cover_deprecated_twins() {
        assert_eq!(
            equivalent_targets("ingresses", "networking.k8s.io", "v1beta1"),
            vec![("extensions".to_string(), "v1beta1".to_string())]
        );
        assert_eq!(equivalent_targets("deployments", "apps", "v1").len(), 3);
        assert!(equivalent_targets("configmaps", "", "v1").is_empty());
        assert!(equivalent_targets("ingresses", "networking.k8s.io", "v1").is_empty());
        let a = default_type("deployments.apps").api_resource();
        let mut b = a.clone();
        b.group = "extensions".into();
        b.version = "v1beta1".into();
        assert!(are_equivalent(&a, &b));
        assert!(!are_equivalent(&a, &a));
    }

    #[test]
    fn name_matching_accepts_every_kubefed_alias() {
        let t = default_type("deployments.apps");
        for name in [
            "deployments",
            "deployment",
            "Deployment",
            "deployments.apps",
            "deploy",
            "DEPLOY",
        ] {
            assert!(t.matches_name(name), "{name}");
        }
        assert!(!t.matches_name("deployments.extensions"));
        assert!(!default_type("configmaps").matches_name("configmaps."));
    }

    #[test]
    fn target_from_ftc_api_resource_keeps_scope() {
        let r = default_type("namespaces").api_resource();
        let t = TargetType::from(&r);
        assert!(!t.namespaced);
        assert!(t.is_namespace());
        assert_eq!(t.singular, "namespace");
    }
}
