//! RBAC authorization as the Kubernetes API server evaluates it, and the bootstrap policy.
//!
//! The rule matching, binding resolution, aggregation and the 403 wording follow the upstream RBAC
//! authorizer and `responsewriters.Forbidden`, so that `kubectl auth can-i`, SelfSubjectRulesReviews
//! and denied requests look the same against the sandbox as against a real cluster.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use kubefedctl_apimachinery::selector::{aggregate, go_quote, LabelSelector};

/// Members of this group bypass RBAC, as the API server's privileged-group authorizer does.
pub const SYSTEM_MASTERS: &str = "system:masters";
const RBAC_API_GROUP: &str = "rbac.authorization.k8s.io";
const RBAC_API_VERSION: &str = "rbac.authorization.k8s.io/v1";

/// The authenticated identity of a request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserInfo {
    pub name: String,
    pub uid: String,
    pub groups: Vec<String>,
}

impl UserInfo {
    /// The user name a ServiceAccount authenticates as.
    pub fn service_account_name(namespace: &str, name: &str) -> String {
        format!("system:serviceaccount:{namespace}:{name}")
    }
}

/// What a request asks to do, in the authorizer's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attributes {
    Resource {
        verb: String,
        group: String,
        resource: String,
        subresource: String,
        name: String,
        namespace: String,
    },
    NonResource {
        verb: String,
        path: String,
    },
}

impl Attributes {
    pub fn verb(&self) -> &str {
        match self {
            Attributes::Resource { verb, .. } | Attributes::NonResource { verb, .. } => verb,
        }
    }

    /// The request namespace; empty for cluster-scoped and non-resource requests.
    pub fn namespace(&self) -> &str {
        match self {
            Attributes::Resource { namespace, .. } => namespace,
            Attributes::NonResource { .. } => "",
        }
    }
}

/// The outcome of an authorization check. `reason` is what `SubjectAccessReview.status.reason`
/// carries: the allowing binding, or on denial any evaluation errors (usually empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub reason: String,
}

/// One `PolicyRule`, normalised so absent and empty lists are the same (as Go's semantic equality).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyRule {
    pub verbs: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
}

fn string_list(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

impl PolicyRule {
    pub fn from_value(v: &Value) -> Self {
        PolicyRule {
            verbs: string_list(v, "verbs"),
            api_groups: string_list(v, "apiGroups"),
            resources: string_list(v, "resources"),
            resource_names: string_list(v, "resourceNames"),
            non_resource_urls: string_list(v, "nonResourceURLs"),
        }
    }

    /// The stored JSON form: `verbs` always, the other lists only when non-empty.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("verbs".into(), json!(self.verbs));
        for (key, list) in [
            ("apiGroups", &self.api_groups),
            ("resources", &self.resources),
            ("resourceNames", &self.resource_names),
            ("nonResourceURLs", &self.non_resource_urls),
        ] {
            if !list.is_empty() {
                m.insert(key.into(), json!(list));
            }
        }
        Value::Object(m)
    }

    /// `rbac.RuleAllows`. A rule with `resourceNames` never matches a request without a name, which
    /// is why it cannot grant create or an unfiltered list/watch.
    pub fn allows(&self, attrs: &Attributes) -> bool {
        let verb_ok = self.verbs.iter().any(|v| v == "*" || v == attrs.verb());
        if !verb_ok {
            return false;
        }
        match attrs {
            Attributes::Resource {
                group,
                resource,
                subresource,
                name,
                ..
            } => {
                let combined = if subresource.is_empty() {
                    resource.clone()
                } else {
                    format!("{resource}/{subresource}")
                };
                let group_ok = self.api_groups.iter().any(|g| g == "*" || g == group);
                let resource_ok = self.resources.iter().any(|r| {
                    r == "*"
                        || *r == combined
                        || (!subresource.is_empty()
                            && r.strip_prefix("*/") == Some(subresource.as_str()))
                });
                let name_ok =
                    self.resource_names.is_empty() || self.resource_names.iter().any(|n| n == name);
                group_ok && resource_ok && name_ok
            }
            Attributes::NonResource { path, .. } => self.non_resource_urls.iter().any(|u| {
                u == "*"
                    || u == path
                    || (u.ends_with('*') && path.starts_with(u.trim_end_matches('*')))
            }),
        }
    }
}

#[derive(Debug, Clone)]
struct Subject {
    kind: String,
    name: String,
    namespace: String,
}

impl Subject {
    /// `appliesToUser`: ServiceAccount subjects default their namespace to the binding's.
    fn applies_to(&self, user: &UserInfo, binding_namespace: &str) -> bool {
        match self.kind.as_str() {
            "User" => user.name == self.name,
            "Group" => user.groups.contains(&self.name),
            "ServiceAccount" => {
                let ns = if self.namespace.is_empty() {
                    binding_namespace
                } else {
                    &self.namespace
                };
                !ns.is_empty() && user.name == UserInfo::service_account_name(ns, &self.name)
            }
            _ => false,
        }
    }

    fn describe(&self, binding_namespace: &str) -> String {
        match self.kind.as_str() {
            "ServiceAccount" => {
                let ns = if self.namespace.is_empty() {
                    binding_namespace
                } else {
                    &self.namespace
                };
                format!("{} {}", self.kind, go_quote(&format!("{}/{ns}", self.name)))
            }
            _ => format!("{} {}", self.kind, go_quote(&self.name)),
        }
    }
}

#[derive(Debug, Clone)]
struct Binding {
    name: String,
    /// Empty for ClusterRoleBindings.
    namespace: String,
    role_kind: String,
    role_name: String,
    subjects: Vec<Subject>,
}

impl Binding {
    fn from_value(v: &Value) -> Self {
        let meta = v.get("metadata").cloned().unwrap_or(Value::Null);
        let role_ref = v.get("roleRef").cloned().unwrap_or(Value::Null);
        Binding {
            name: str_field(&meta, "name").to_string(),
            namespace: str_field(&meta, "namespace").to_string(),
            role_kind: str_field(&role_ref, "kind").to_string(),
            role_name: str_field(&role_ref, "name").to_string(),
            subjects: v
                .get("subjects")
                .and_then(Value::as_array)
                .map(|subjects| {
                    subjects
                        .iter()
                        .map(|s| Subject {
                            kind: str_field(s, "kind").to_string(),
                            name: str_field(s, "name").to_string(),
                            namespace: str_field(s, "namespace").to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The source description used in "RBAC: allowed by …" reasons.
    fn describe(&self, subject: &Subject) -> String {
        if self.namespace.is_empty() {
            format!(
                "ClusterRoleBinding {} of {} {} to {}",
                go_quote(&self.name),
                self.role_kind,
                go_quote(&self.role_name),
                subject.describe("")
            )
        } else {
            format!(
                "RoleBinding {} of {} {} to {}",
                go_quote(&format!("{}/{}", self.name, self.namespace)),
                self.role_kind,
                go_quote(&self.role_name),
                subject.describe(&self.namespace)
            )
        }
    }
}

/// What a SelfSubjectRulesReview reports for one user and namespace.
#[derive(Debug, Clone, PartialEq)]
pub struct RulesReview {
    pub resource_rules: Vec<Value>,
    pub non_resource_rules: Vec<Value>,
    /// Non-empty when some binding refers to a role that does not exist.
    pub evaluation_error: String,
}

/// Built from the stored RBAC objects (as JSON values) of one cluster. Cheap to rebuild; the server rebuilds it
/// whenever an RBAC object changes.
#[derive(Debug, Clone, Default)]
pub struct Authorizer {
    cluster_roles: BTreeMap<String, Vec<PolicyRule>>,
    roles: BTreeMap<(String, String), Vec<PolicyRule>>,
    cluster_role_bindings: Vec<Binding>,
    role_bindings: BTreeMap<String, Vec<Binding>>,
}

fn object_name(v: &Value) -> &str {
    v.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn object_namespace(v: &Value) -> &str {
    v.pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn rules_of(v: &Value) -> Vec<PolicyRule> {
    v.get("rules")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(PolicyRule::from_value).collect())
        .unwrap_or_default()
}

/// The label selectors of a ClusterRole's `aggregationRule`; `None` when it has none, or when one
/// is invalid (the aggregation controller then leaves the role's stored rules alone).
fn aggregation_selectors(role: &Value) -> Option<Vec<LabelSelector>> {
    let selectors = role
        .pointer("/aggregationRule/clusterRoleSelectors")
        .and_then(Value::as_array)?;
    selectors
        .iter()
        .map(|s| LabelSelector::from_structured(s).ok())
        .collect()
}

/// The effective rules of every ClusterRole, with aggregated roles resolved to the union of the
/// rules of the roles their selectors match (transitively, so `admin` picks up `edit` which picks up
/// `view`). Order follows the aggregation controller: selectors in order, matching roles by name,
/// duplicates dropped.
fn resolve_cluster_roles(cluster_roles: &[Value]) -> BTreeMap<String, Vec<PolicyRule>> {
    let mut sorted: Vec<&Value> = cluster_roles.iter().collect();
    sorted.sort_by(|a, b| object_name(a).cmp(object_name(b)));
    let aggregated: BTreeMap<&str, Vec<LabelSelector>> = sorted
        .iter()
        .filter_map(|r| aggregation_selectors(r).map(|s| (object_name(r), s)))
        .collect();
    let mut rules: BTreeMap<String, Vec<PolicyRule>> = sorted
        .iter()
        .map(|r| {
            let name = object_name(r);
            let initial = if aggregated.contains_key(name) {
                Vec::new()
            } else {
                rules_of(r)
            };
            (name.to_string(), initial)
        })
        .collect();
    // Rules only ever grow, so this reaches the least fixpoint within one pass per role.
    for _ in 0..=aggregated.len() {
        let mut changed = false;
        for (name, selectors) in &aggregated {
            let mut union: Vec<PolicyRule> = Vec::new();
            for selector in selectors {
                for other in &sorted {
                    let other_name = object_name(other);
                    if other_name == *name || !selector.matches_object(other) {
                        continue;
                    }
                    for rule in &rules[other_name] {
                        if !union.contains(rule) {
                            union.push(rule.clone());
                        }
                    }
                }
            }
            if rules[*name] != union {
                rules.insert(name.to_string(), union);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    rules
}

/// The ClusterRoles as the aggregation controller leaves them: aggregated roles get their computed
/// `rules`, every other role is returned unchanged. Same order as the input.
pub fn aggregate_cluster_roles(cluster_roles: &[Value]) -> Vec<Value> {
    let resolved = resolve_cluster_roles(cluster_roles);
    cluster_roles
        .iter()
        .map(|role| {
            let mut role = role.clone();
            if aggregation_selectors(&role).is_some() {
                let rules = resolved
                    .get(object_name(&role))
                    .map(|rs| rs.iter().map(PolicyRule::to_value).collect::<Vec<_>>())
                    .unwrap_or_default();
                if let Some(obj) = role.as_object_mut() {
                    obj.insert("rules".into(), Value::Array(rules));
                }
            }
            role
        })
        .collect()
}

impl Authorizer {
    pub fn new(
        cluster_roles: &[Value],
        cluster_role_bindings: &[Value],
        roles: &[Value],
        role_bindings: &[Value],
    ) -> Self {
        let mut crbs: Vec<Binding> = cluster_role_bindings
            .iter()
            .map(Binding::from_value)
            .collect();
        crbs.sort_by(|a, b| a.name.cmp(&b.name));
        let mut rbs: BTreeMap<String, Vec<Binding>> = BTreeMap::new();
        for rb in role_bindings.iter().map(Binding::from_value) {
            rbs.entry(rb.namespace.clone()).or_default().push(rb);
        }
        for list in rbs.values_mut() {
            list.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Authorizer {
            cluster_roles: resolve_cluster_roles(cluster_roles),
            roles: roles
                .iter()
                .map(|r| {
                    (
                        (object_namespace(r).to_string(), object_name(r).to_string()),
                        rules_of(r),
                    )
                })
                .collect(),
            cluster_role_bindings: crbs,
            role_bindings: rbs,
        }
    }

    /// `GetRoleReferenceRules`: the referenced role's rules, or the lister's not-found error text.
    fn role_rules(&self, binding: &Binding) -> Result<&[PolicyRule], String> {
        match binding.role_kind.as_str() {
            "ClusterRole" => self
                .cluster_roles
                .get(&binding.role_name)
                .map(Vec::as_slice)
                .ok_or_else(|| {
                    format!(
                        "clusterrole.rbac.authorization.k8s.io {} not found",
                        go_quote(&binding.role_name)
                    )
                }),
            "Role" => self
                .roles
                .get(&(binding.namespace.clone(), binding.role_name.clone()))
                .map(Vec::as_slice)
                .ok_or_else(|| {
                    format!(
                        "role.rbac.authorization.k8s.io {} not found",
                        go_quote(&binding.role_name)
                    )
                }),
            other => Err(format!(
                "unsupported role reference kind: {}",
                go_quote(other)
            )),
        }
    }

    /// `VisitRulesFor`: every rule granted to `user` by ClusterRoleBindings, then by RoleBindings in
    /// `namespace`, with a description of where it came from. The visitor returns false to stop.
    fn visit_rules(
        &self,
        user: &UserInfo,
        namespace: &str,
        mut visit: impl FnMut(Result<(&PolicyRule, String), String>) -> bool,
    ) {
        let namespaced: &[Binding] = if namespace.is_empty() {
            &[]
        } else {
            self.role_bindings
                .get(namespace)
                .map(Vec::as_slice)
                .unwrap_or(&[])
        };
        for binding in self.cluster_role_bindings.iter().chain(namespaced) {
            let Some(subject) = binding
                .subjects
                .iter()
                .find(|s| s.applies_to(user, &binding.namespace))
            else {
                continue;
            };
            match self.role_rules(binding) {
                Err(e) => {
                    if !visit(Err(e)) {
                        return;
                    }
                }
                Ok(rules) => {
                    for rule in rules {
                        if !visit(Ok((rule, binding.describe(subject)))) {
                            return;
                        }
                    }
                }
            }
        }
    }

    /// system:masters always allowed; aggregated ClusterRoles.
    pub fn authorize(&self, user: &UserInfo, attrs: &Attributes) -> Decision {
        if user.groups.iter().any(|g| g == SYSTEM_MASTERS) {
            return Decision {
                allowed: true,
                reason: String::new(),
            };
        }
        let mut allowed_by = None;
        let mut errors = Vec::new();
        self.visit_rules(user, attrs.namespace(), |item| match item {
            Ok((rule, source)) if rule.allows(attrs) => {
                allowed_by = Some(source);
                false
            }
            Ok(_) => true,
            Err(e) => {
                errors.push(e);
                true
            }
        });
        match allowed_by {
            Some(source) => Decision {
                allowed: true,
                reason: format!("RBAC: allowed by {source}"),
            },
            None => Decision {
                allowed: false,
                reason: if errors.is_empty() {
                    String::new()
                } else {
                    format!("RBAC: {}", aggregate(errors))
                },
            },
        }
    }

    /// For selfsubjectrulesreviews: the rules that apply to `user` in `namespace`.
    pub fn rules_for(&self, user: &UserInfo, namespace: &str) -> (Vec<Value>, Vec<Value>) {
        let review = self.rules_review(user, namespace);
        (review.resource_rules, review.non_resource_rules)
    }

    /// The full SelfSubjectRulesReview status: rules in the API's `ResourceRule`/`NonResourceRule`
    /// shapes (a rule with both resources and URLs contributes to both lists) and the evaluation error.
    pub fn rules_review(&self, user: &UserInfo, namespace: &str) -> RulesReview {
        let mut rules: Vec<PolicyRule> = Vec::new();
        if user.groups.iter().any(|g| g == SYSTEM_MASTERS) {
            rules.push(PolicyRule {
                verbs: vec!["*".into()],
                api_groups: vec!["*".into()],
                resources: vec!["*".into()],
                ..Default::default()
            });
            rules.push(PolicyRule {
                verbs: vec!["*".into()],
                non_resource_urls: vec!["*".into()],
                ..Default::default()
            });
        }
        let mut errors = Vec::new();
        self.visit_rules(user, namespace, |item| {
            match item {
                Ok((rule, _)) => rules.push(rule.clone()),
                Err(e) => errors.push(e),
            }
            true
        });
        let resource_rules = rules
            .iter()
            .filter(|r| !r.resources.is_empty())
            .map(|r| {
                PolicyRule {
                    non_resource_urls: Vec::new(),
                    ..r.clone()
                }
                .to_value()
            })
            .collect();
        let non_resource_rules = rules
            .iter()
            .filter(|r| !r.non_resource_urls.is_empty())
            .map(|r| {
                PolicyRule {
                    verbs: r.verbs.clone(),
                    non_resource_urls: r.non_resource_urls.clone(),
                    ..Default::default()
                }
                .to_value()
            })
            .collect();
        RulesReview {
            resource_rules,
            non_resource_rules,
            evaluation_error: if errors.is_empty() {
                String::new()
            } else {
                aggregate(errors)
            },
        }
    }
}

/// The 403 message of §5 for these attributes, e.g. `configmaps "x" is forbidden: User "system:serviceaccount:ns:sa" cannot get resource "configmaps" in API group "" in the namespace "ns"`.
///
/// `resource_for_message` is the `<res>` prefix; empty means the group-qualified resource
/// (`deployments.apps`, bare `configmaps` for the core group).
pub fn forbidden_message(
    user: &UserInfo,
    attrs: &Attributes,
    resource_for_message: &str,
) -> String {
    forbidden_message_with_reason(user, attrs, resource_for_message, "")
}

/// [`forbidden_message`] with the authorizer's reason appended as the API server does
/// (`…: RBAC: clusterrole.rbac.authorization.k8s.io "x" not found`); an empty reason adds nothing.
pub fn forbidden_message_with_reason(
    user: &UserInfo,
    attrs: &Attributes,
    resource_for_message: &str,
    reason: &str,
) -> String {
    let user_q = go_quote(&user.name);
    let (prefix, detail) = match attrs {
        Attributes::NonResource { verb, path } => (
            "forbidden".to_string(),
            format!("User {user_q} cannot {verb} path {}", go_quote(path)),
        ),
        Attributes::Resource {
            verb,
            group,
            resource,
            subresource,
            name,
            namespace,
        } => {
            let shown = if subresource.is_empty() {
                resource.clone()
            } else {
                format!("{resource}/{subresource}")
            };
            let scope = if namespace.is_empty() {
                "at the cluster scope".to_string()
            } else {
                format!("in the namespace {}", go_quote(namespace))
            };
            let detail = format!(
                "User {user_q} cannot {verb} resource {} in API group {} {scope}",
                go_quote(&shown),
                go_quote(group)
            );
            let qualified = if !resource_for_message.is_empty() {
                resource_for_message.to_string()
            } else if group.is_empty() {
                resource.clone()
            } else {
                format!("{resource}.{group}")
            };
            let prefix = if name.is_empty() {
                format!("{qualified} is")
            } else {
                format!("{qualified} {} is", go_quote(name))
            };
            (format!("{prefix} forbidden"), detail)
        }
    };
    if reason.is_empty() {
        format!("{prefix}: {detail}")
    } else {
        format!("{prefix}: {detail}: {reason}")
    }
}

// ---------------------------------------------------------------------------------------------
// Bootstrap policy.

const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "update", "patch", "delete", "deletecollection"];
const READ_WRITE: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];

fn rule(verbs: &[&str], groups: &[&str], resources: &[&str]) -> Value {
    json!({"verbs": verbs, "apiGroups": groups, "resources": resources})
}

fn url_rule(verbs: &[&str], urls: &[&str]) -> Value {
    json!({"verbs": verbs, "nonResourceURLs": urls})
}

fn bootstrap_metadata(name: &str, extra_labels: &[(&str, &str)]) -> Value {
    let mut labels = Map::new();
    labels.insert("kubernetes.io/bootstrapping".into(), json!("rbac-defaults"));
    for (k, v) in extra_labels {
        labels.insert((*k).into(), json!(v));
    }
    json!({
        "name": name,
        "labels": labels,
        "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"},
    })
}

fn cluster_role(name: &str, labels: &[(&str, &str)], rules: Vec<Value>) -> Value {
    json!({
        "apiVersion": RBAC_API_VERSION,
        "kind": "ClusterRole",
        "metadata": bootstrap_metadata(name, labels),
        "rules": rules,
    })
}

fn aggregated_cluster_role(name: &str, labels: &[(&str, &str)], aggregate_label: &str) -> Value {
    json!({
        "apiVersion": RBAC_API_VERSION,
        "kind": "ClusterRole",
        "metadata": bootstrap_metadata(name, labels),
        "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {aggregate_label: "true"}}]},
        "rules": [],
    })
}

fn cluster_role_binding(name: &str, role: &str, groups: &[&str]) -> Value {
    let subjects: Vec<Value> = groups
        .iter()
        .map(|g| json!({"kind": "Group", "apiGroup": RBAC_API_GROUP, "name": g}))
        .collect();
    json!({
        "apiVersion": RBAC_API_VERSION,
        "kind": "ClusterRoleBinding",
        "metadata": bootstrap_metadata(name, &[]),
        "roleRef": {"apiGroup": RBAC_API_GROUP, "kind": "ClusterRole", "name": role},
        "subjects": subjects,
    })
}

const TO_ADMIN: &str = "rbac.authorization.k8s.io/aggregate-to-admin";
const TO_EDIT: &str = "rbac.authorization.k8s.io/aggregate-to-edit";
const TO_VIEW: &str = "rbac.authorization.k8s.io/aggregate-to-view";

/// Bootstrap ClusterRoles and ClusterRoleBindings (cluster-admin, system:discovery, system:public-info-viewer,
/// system:basic-user, admin, edit, view — the latter three aggregated like the real ones, at least roughly) as JSON objects
/// ready to be stored (apiVersion/kind/metadata.name/labels `kubernetes.io/bootstrapping: rbac-defaults`, annotation
/// `rbac.authorization.kubernetes.io/autoupdate: "true"`).
///
/// `admin`/`edit`/`view` carry their aggregation rules and already-aggregated `rules` (from the
/// `system:aggregate-to-*` roles), as a real cluster shows them once its controller has run.
pub fn bootstrap_policy() -> Vec<Value> {
    // In the sorted order the real server stores them.
    let discovery_urls = [
        "/api",
        "/api/*",
        "/apis",
        "/apis/*",
        "/healthz",
        "/livez",
        "/openapi",
        "/openapi/*",
        "/readyz",
        "/version",
        "/version/",
    ];
    let roles = vec![
        cluster_role(
            "cluster-admin",
            &[],
            vec![rule(&["*"], &["*"], &["*"]), url_rule(&["*"], &["*"])],
        ),
        cluster_role(
            "system:discovery",
            &[],
            vec![url_rule(&["get"], &discovery_urls)],
        ),
        cluster_role(
            "system:public-info-viewer",
            &[],
            vec![url_rule(
                &["get"],
                &["/healthz", "/livez", "/readyz", "/version", "/version/"],
            )],
        ),
        cluster_role(
            "system:service-account-issuer-discovery",
            &[],
            vec![url_rule(
                &["get"],
                &[
                    "/.well-known/openid-configuration",
                    "/.well-known/openid-configuration/",
                    "/openid/v1/jwks",
                    "/openid/v1/jwks/",
                ],
            )],
        ),
        cluster_role(
            "system:basic-user",
            &[],
            vec![
                rule(
                    &["create"],
                    &["authorization.k8s.io"],
                    &["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                ),
                rule(
                    &["create"],
                    &["authentication.k8s.io"],
                    &["selfsubjectreviews"],
                ),
            ],
        ),
        aggregated_cluster_role("admin", &[], TO_ADMIN),
        aggregated_cluster_role("edit", &[(TO_ADMIN, "true")], TO_EDIT),
        aggregated_cluster_role("view", &[(TO_EDIT, "true")], TO_VIEW),
        cluster_role(
            "system:aggregate-to-admin",
            &[(TO_ADMIN, "true")],
            vec![
                rule(
                    &["create"],
                    &["authorization.k8s.io"],
                    &["localsubjectaccessreviews"],
                ),
                rule(READ_WRITE, &[RBAC_API_GROUP], &["roles", "rolebindings"]),
            ],
        ),
        cluster_role(
            "system:aggregate-to-edit",
            &[(TO_EDIT, "true")],
            vec![
                rule(
                    READ,
                    &[""],
                    &[
                        "pods/attach",
                        "pods/proxy",
                        "pods/exec",
                        "pods/portforward",
                        "secrets",
                        "services/proxy",
                    ],
                ),
                rule(&["impersonate"], &[""], &["serviceaccounts"]),
                rule(
                    WRITE,
                    &[""],
                    &[
                        "pods",
                        "pods/attach",
                        "pods/proxy",
                        "pods/exec",
                        "pods/portforward",
                    ],
                ),
                rule(&["create"], &[""], &["pods/eviction"]),
                rule(
                    WRITE,
                    &[""],
                    &[
                        "replicationcontrollers",
                        "replicationcontrollers/scale",
                        "serviceaccounts",
                        "services",
                        "services/proxy",
                        "persistentvolumeclaims",
                        "configmaps",
                        "secrets",
                        "events",
                    ],
                ),
                rule(&["create"], &[""], &["serviceaccounts/token"]),
                rule(
                    WRITE,
                    &["apps"],
                    &[
                        "statefulsets",
                        "statefulsets/scale",
                        "daemonsets",
                        "deployments",
                        "deployments/scale",
                        "deployments/rollback",
                        "replicasets",
                        "replicasets/scale",
                    ],
                ),
                rule(WRITE, &["autoscaling"], &["horizontalpodautoscalers"]),
                rule(WRITE, &["batch"], &["jobs", "cronjobs"]),
                rule(WRITE, &["policy"], &["poddisruptionbudgets"]),
                rule(
                    WRITE,
                    &["networking.k8s.io"],
                    &["networkpolicies", "ingresses"],
                ),
                rule(READ_WRITE, &["coordination.k8s.io"], &["leases"]),
            ],
        ),
        cluster_role(
            "system:aggregate-to-view",
            &[(TO_VIEW, "true")],
            vec![
                rule(
                    READ,
                    &[""],
                    &[
                        "pods",
                        "replicationcontrollers",
                        "replicationcontrollers/scale",
                        "serviceaccounts",
                        "services",
                        "services/status",
                        "endpoints",
                        "persistentvolumeclaims",
                        "persistentvolumeclaims/status",
                        "configmaps",
                    ],
                ),
                rule(
                    READ,
                    &[""],
                    &[
                        "limitranges",
                        "resourcequotas",
                        "bindings",
                        "events",
                        "pods/status",
                        "resourcequotas/status",
                        "namespaces/status",
                        "replicationcontrollers/status",
                        "pods/log",
                    ],
                ),
                rule(READ, &[""], &["namespaces"]),
                rule(READ, &["discovery.k8s.io"], &["endpointslices"]),
                rule(
                    READ,
                    &["apps"],
                    &[
                        "controllerrevisions",
                        "statefulsets",
                        "statefulsets/status",
                        "statefulsets/scale",
                        "daemonsets",
                        "daemonsets/status",
                        "deployments",
                        "deployments/status",
                        "deployments/scale",
                        "replicasets",
                        "replicasets/status",
                        "replicasets/scale",
                    ],
                ),
                rule(
                    READ,
                    &["autoscaling"],
                    &[
                        "horizontalpodautoscalers",
                        "horizontalpodautoscalers/status",
                    ],
                ),
                rule(
                    READ,
                    &["batch"],
                    &["jobs", "cronjobs", "cronjobs/status", "jobs/status"],
                ),
                rule(
                    READ,
                    &["policy"],
                    &["poddisruptionbudgets", "poddisruptionbudgets/status"],
                ),
                rule(
                    READ,
                    &["networking.k8s.io"],
                    &["networkpolicies", "ingresses", "ingresses/status"],
                ),
            ],
        ),
    ];
    let mut out = aggregate_cluster_roles(&roles);
    out.extend([
        cluster_role_binding("cluster-admin", "cluster-admin", &[SYSTEM_MASTERS]),
        cluster_role_binding(
            "system:discovery",
            "system:discovery",
            &["system:authenticated"],
        ),
        cluster_role_binding(
            "system:basic-user",
            "system:basic-user",
            &["system:authenticated"],
        ),
        cluster_role_binding(
            "system:public-info-viewer",
            "system:public-info-viewer",
            &["system:authenticated", "system:unauthenticated"],
        ),
        cluster_role_binding(
            "system:service-account-issuer-discovery",
            "system:service-account-issuer-discovery",
            &["system:serviceaccounts"],
        ),
    ]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str, groups: &[&str]) -> UserInfo {
        let mut groups: Vec<String> = groups.iter().map(|g| g.to_string()).collect();
        groups.push("system:authenticated".into());
        UserInfo {
            name: name.into(),
            uid: String::new(),
            groups,
        }
    }

    fn sa(ns: &str, name: &str) -> UserInfo {
        user(
            &UserInfo::service_account_name(ns, name),
            &[
                "system:serviceaccounts",
                &format!("system:serviceaccounts:{ns}"),
            ],
        )
    }

    fn res(verb: &str, group: &str, resource: &str, name: &str, ns: &str) -> Attributes {
        Attributes::Resource {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            subresource: String::new(),
            name: name.into(),
            namespace: ns.into(),
        }
    }

    fn sub(verb: &str, group: &str, resource: &str, subresource: &str, ns: &str) -> Attributes {
        Attributes::Resource {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            subresource: subresource.into(),
            name: "x".into(),
            namespace: ns.into(),
        }
    }

    fn url(verb: &str, path: &str) -> Attributes {
        Attributes::NonResource {
            verb: verb.into(),
            path: path.into(),
        }
    }

    fn cluster_role(name: &str, rules: Value) -> Value {
        json!({"kind": "ClusterRole", "metadata": {"name": name}, "rules": rules})
    }

    fn role(ns: &str, name: &str, rules: Value) -> Value {
        json!({"kind": "Role", "metadata": {"name": name, "namespace": ns}, "rules": rules})
    }

    fn crb(name: &str, role: &str, subjects: Value) -> Value {
        json!({"kind": "ClusterRoleBinding", "metadata": {"name": name},
               "roleRef": {"apiGroup": RBAC_API_GROUP, "kind": "ClusterRole", "name": role},
               "subjects": subjects})
    }

    fn rb(ns: &str, name: &str, kind: &str, role: &str, subjects: Value) -> Value {
        json!({"kind": "RoleBinding", "metadata": {"name": name, "namespace": ns},
               "roleRef": {"apiGroup": RBAC_API_GROUP, "kind": kind, "name": role},
               "subjects": subjects})
    }

    fn allowed(a: &Authorizer, u: &UserInfo, attrs: &Attributes) -> bool {
        a.authorize(u, attrs).allowed
    }

    fn bootstrap_authorizer(extra_crbs: &[Value], roles: &[Value], rbs: &[Value]) -> Authorizer {
        let policy = bootstrap_policy();
        let crs: Vec<Value> = policy
            .iter()
            .filter(|o| o["kind"] == "ClusterRole")
            .cloned()
            .collect();
        let mut crbs: Vec<Value> = policy
            .iter()
            .filter(|o| o["kind"] == "ClusterRoleBinding")
            .cloned()
            .collect();
        crbs.extend_from_slice(extra_crbs);
        Authorizer::new(&crs, &crbs, roles, rbs)
    }

    #[test]
    fn system_masters_is_allowed_without_any_binding() {
        let a = Authorizer::new(&[], &[], &[], &[]);
        let admin = user("admin", &[SYSTEM_MASTERS]);
        let d = a.authorize(&admin, &res("delete", "apps", "deployments", "x", "ns"));
        assert_eq!(
            d,
            Decision {
                allowed: true,
                reason: String::new()
            }
        );
        assert!(allowed(&a, &admin, &url("get", "/anything")));
    }

    #[test]
    fn cluster_admin_binding_to_masters_allows_everything_for_masters_only() {
        let a = bootstrap_authorizer(&[], &[], &[]);
        let bob = user("bob", &[]);
        assert!(!allowed(&a, &bob, &res("get", "", "configmaps", "x", "ns")));
        let ops = user("ops", &["ops"]);
        let a = bootstrap_authorizer(
            &[crb(
                "ops-admin",
                "cluster-admin",
                json!([{"kind": "Group", "name": "ops"}]),
            )],
            &[],
            &[],
        );
        let d = a.authorize(&ops, &res("create", "", "namespaces", "", ""));
        assert!(d.allowed);
        assert_eq!(
            d.reason,
            "RBAC: allowed by ClusterRoleBinding \"ops-admin\" of ClusterRole \"cluster-admin\" to Group \"ops\""
        );
        assert!(allowed(&a, &ops, &url("post", "/logs/x")));
    }

    #[test]
    fn role_binding_grants_only_in_its_namespace() {
        let a = Authorizer::new(
            &[],
            &[],
            &[role(
                "team",
                "cm",
                json!([{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["configmaps"]}]),
            )],
            &[rb(
                "team",
                "cm",
                "Role",
                "cm",
                json!([{"kind": "User", "name": "alice"}]),
            )],
        );
        let alice = user("alice", &[]);
        assert!(allowed(
            &a,
            &alice,
            &res("get", "", "configmaps", "x", "team")
        ));
        assert!(allowed(
            &a,
            &alice,
            &res("list", "", "configmaps", "", "team")
        ));
        assert!(!allowed(
            &a,
            &alice,
            &res("get", "", "configmaps", "x", "other")
        ));
        assert!(!allowed(&a, &alice, &res("list", "", "configmaps", "", "")));
        assert!(!allowed(
            &a,
            &alice,
            &res("delete", "", "configmaps", "x", "team")
        ));
        assert!(!allowed(
            &a,
            &alice,
            &res("get", "", "secrets", "x", "team")
        ));
        assert!(!allowed(
            &a,
            &alice,
            &res("get", "apps", "configmaps", "x", "team")
        ));
    }

    #[test]
    fn role_binding_to_a_cluster_role_is_namespace_limited() {
        let a = bootstrap_authorizer(
            &[],
            &[],
            &[rb(
                "team",
                "view",
                "ClusterRole",
                "view",
                json!([{"kind": "User", "name": "alice"}]),
            )],
        );
        let alice = user("alice", &[]);
        assert!(allowed(
            &a,
            &alice,
            &res("list", "apps", "deployments", "", "team")
        ));
        assert!(!allowed(
            &a,
            &alice,
            &res("list", "apps", "deployments", "", "prod")
        ));
        let d = a.authorize(&alice, &res("get", "", "pods", "p", "team"));
        assert_eq!(
            d.reason,
            "RBAC: allowed by RoleBinding \"view/team\" of ClusterRole \"view\" to User \"alice\""
        );
    }

    #[test]
    fn service_account_subject_defaults_to_the_binding_namespace() {
        let rules = json!([{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}]);
        let a = Authorizer::new(
            &[],
            &[],
            &[role("ns1", "all", rules.clone()), role("ns2", "all", rules)],
            &[
                rb(
                    "ns1",
                    "b",
                    "Role",
                    "all",
                    json!([{"kind": "ServiceAccount", "name": "sa"}]),
                ),
                rb(
                    "ns2",
                    "b",
                    "Role",
                    "all",
                    json!([{"kind": "ServiceAccount", "name": "sa", "namespace": "ns1"}]),
                ),
            ],
        );
        let sa1 = sa("ns1", "sa");
        assert!(allowed(&a, &sa1, &res("get", "", "secrets", "s", "ns1")));
        assert!(allowed(&a, &sa1, &res("get", "", "secrets", "s", "ns2")));
        let sa2 = sa("ns2", "sa");
        assert!(!allowed(&a, &sa2, &res("get", "", "secrets", "s", "ns2")));
        assert_eq!(
            a.authorize(&sa1, &res("get", "", "secrets", "s", "ns1"))
                .reason,
            "RBAC: allowed by RoleBinding \"b/ns1\" of Role \"all\" to ServiceAccount \"sa/ns1\""
        );
    }

    #[test]
    fn service_account_subject_without_namespace_never_matches_in_a_cluster_role_binding() {
        let a = Authorizer::new(
            &[cluster_role(
                "all",
                json!([{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}]),
            )],
            &[crb(
                "b",
                "all",
                json!([{"kind": "ServiceAccount", "name": "sa"}]),
            )],
            &[],
            &[],
        );
        assert!(!allowed(
            &a,
            &sa("default", "sa"),
            &res("get", "", "pods", "p", "default")
        ));
    }

    #[test]
    fn resource_names_restrict_to_named_requests() {
        let a = Authorizer::new(
            &[cluster_role(
                "one-cm",
                json!([{"verbs": ["get", "list", "watch", "create", "update"], "apiGroups": [""],
                         "resources": ["configmaps"], "resourceNames": ["cfg"]}]),
            )],
            &[crb("b", "one-cm", json!([{"kind": "User", "name": "u"}]))],
            &[],
            &[],
        );
        let u = user("u", &[]);
        assert!(allowed(&a, &u, &res("get", "", "configmaps", "cfg", "ns")));
        assert!(allowed(
            &a,
            &u,
            &res("update", "", "configmaps", "cfg", "ns")
        ));
        assert!(!allowed(
            &a,
            &u,
            &res("get", "", "configmaps", "other", "ns")
        ));
        // create carries no name; unfiltered list/watch neither.
        assert!(!allowed(&a, &u, &res("create", "", "configmaps", "", "ns")));
        assert!(!allowed(&a, &u, &res("list", "", "configmaps", "", "ns")));
        assert!(!allowed(&a, &u, &res("watch", "", "configmaps", "", "ns")));
        // list/watch with fieldSelector=metadata.name=cfg carries that name.
        assert!(allowed(&a, &u, &res("list", "", "configmaps", "cfg", "ns")));
        assert!(allowed(
            &a,
            &u,
            &res("watch", "", "configmaps", "cfg", "ns")
        ));
    }

    #[test]
    fn subresources_need_their_own_grant_or_a_star_form() {
        let a = Authorizer::new(
            &[cluster_role(
                "r",
                json!([
                    {"verbs": ["get"], "apiGroups": [""], "resources": ["pods", "pods/log"]},
                    {"verbs": ["update"], "apiGroups": ["*"], "resources": ["*/scale"]},
                ]),
            )],
            &[crb("b", "r", json!([{"kind": "User", "name": "u"}]))],
            &[],
            &[],
        );
        let u = user("u", &[]);
        assert!(allowed(&a, &u, &sub("get", "", "pods", "log", "ns")));
        assert!(!allowed(&a, &u, &sub("get", "", "pods", "exec", "ns")));
        assert!(!allowed(&a, &u, &sub("get", "", "pods", "status", "ns")));
        assert!(allowed(
            &a,
            &u,
            &sub("update", "apps", "deployments", "scale", "ns")
        ));
        assert!(allowed(
            &a,
            &u,
            &sub("update", "example.com", "widgets", "scale", "ns")
        ));
        assert!(!allowed(
            &a,
            &u,
            &res("update", "apps", "deployments", "x", "ns")
        ));
        assert!(!allowed(
            &a,
            &u,
            &sub("update", "apps", "deployments", "status", "ns")
        ));
    }

    #[test]
    fn star_resource_covers_subresources() {
        let r = PolicyRule::from_value(
            &json!({"verbs": ["get"], "apiGroups": [""], "resources": ["*"]}),
        );
        assert!(r.allows(&sub("get", "", "pods", "log", "ns")));
    }

    #[test]
    fn non_resource_urls_match_exactly_or_by_star_prefix() {
        let a = Authorizer::new(
            &[cluster_role(
                "urls",
                json!([{"verbs": ["get"], "nonResourceURLs": ["/healthz", "/apis/*", "/logs*"]}]),
            )],
            &[crb("b", "urls", json!([{"kind": "User", "name": "u"}]))],
            &[],
            &[rb(
                "ns",
                "b",
                "ClusterRole",
                "urls",
                json!([{"kind": "User", "name": "v"}]),
            )],
        );
        let u = user("u", &[]);
        assert!(allowed(&a, &u, &url("get", "/healthz")));
        assert!(!allowed(&a, &u, &url("get", "/healthz/ping")));
        assert!(allowed(&a, &u, &url("get", "/apis/apps/v1")));
        assert!(!allowed(&a, &u, &url("get", "/apis")));
        assert!(allowed(&a, &u, &url("get", "/logs")));
        assert!(allowed(&a, &u, &url("get", "/logsfoo/bar")));
        assert!(!allowed(&a, &u, &url("post", "/healthz")));
        // A RoleBinding never grants non-resource URLs.
        assert!(!allowed(&a, &user("v", &[]), &url("get", "/healthz")));
    }

    #[test]
    fn group_subjects_include_system_authenticated() {
        let a = bootstrap_authorizer(&[], &[], &[]);
        let bob = user("bob", &[]);
        assert!(allowed(&a, &bob, &url("get", "/version")));
        assert!(allowed(&a, &bob, &url("get", "/apis/apps/v1")));
        assert!(allowed(
            &a,
            &bob,
            &res(
                "create",
                "authorization.k8s.io",
                "selfsubjectaccessreviews",
                "",
                ""
            )
        ));
        assert!(allowed(
            &a,
            &bob,
            &res(
                "create",
                "authentication.k8s.io",
                "selfsubjectreviews",
                "",
                ""
            )
        ));
        let anonymous = UserInfo {
            name: "system:anonymous".into(),
            uid: String::new(),
            groups: vec!["system:unauthenticated".into()],
        };
        assert!(allowed(&a, &anonymous, &url("get", "/healthz")));
        assert!(!allowed(&a, &anonymous, &url("get", "/apis")));
    }

    #[test]
    fn verbs_are_case_sensitive() {
        let r = PolicyRule::from_value(
            &json!({"verbs": ["GET"], "apiGroups": [""], "resources": ["pods"]}),
        );
        assert!(!r.allows(&res("get", "", "pods", "p", "ns")));
    }

    #[test]
    fn aggregated_roles_pick_up_labelled_roles_transitively() {
        let a = bootstrap_authorizer(
            &[],
            &[],
            &[rb(
                "team",
                "adm",
                "ClusterRole",
                "admin",
                json!([{"kind": "User", "name": "alice"}]),
            )],
        );
        let alice = user("alice", &[]);
        // from system:aggregate-to-view (via edit → view)
        assert!(allowed(&a, &alice, &sub("get", "", "pods", "log", "team")));
        // from system:aggregate-to-edit
        assert!(allowed(
            &a,
            &alice,
            &res("create", "apps", "deployments", "", "team")
        ));
        // from system:aggregate-to-admin
        assert!(allowed(
            &a,
            &alice,
            &res("create", RBAC_API_GROUP, "rolebindings", "", "team")
        ));
        assert!(!allowed(
            &a,
            &alice,
            &res("create", "", "namespaces", "", "")
        ));
    }

    #[test]
    fn custom_roles_aggregate_into_view() {
        let mut crs: Vec<Value> = bootstrap_policy()
            .into_iter()
            .filter(|o| o["kind"] == "ClusterRole")
            .collect();
        crs.push(json!({"kind": "ClusterRole",
            "metadata": {"name": "widgets-view", "labels": {TO_VIEW: "true"}},
            "rules": [{"verbs": ["get"], "apiGroups": ["example.com"], "resources": ["widgets"]}]}));
        let a = Authorizer::new(
            &crs,
            &[crb("b", "view", json!([{"kind": "User", "name": "u"}]))],
            &[],
            &[],
        );
        let u = user("u", &[]);
        assert!(allowed(
            &a,
            &u,
            &res("get", "example.com", "widgets", "w", "ns")
        ));
        assert!(!allowed(
            &a,
            &u,
            &res("delete", "example.com", "widgets", "w", "ns")
        ));
    }

    #[test]
    fn aggregate_cluster_roles_fills_rules_without_duplicates() {
        let same = json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]});
        let crs = vec![
            json!({"kind": "ClusterRole", "metadata": {"name": "agg"},
                   "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"x": "1"}}]}}),
            json!({"kind": "ClusterRole", "metadata": {"name": "b", "labels": {"x": "1"}}, "rules": [same.clone()]}),
            json!({"kind": "ClusterRole", "metadata": {"name": "a", "labels": {"x": "1"}},
                   "rules": [same.clone(), {"verbs": ["list"], "apiGroups": [""], "resources": ["pods"]}]}),
            json!({"kind": "ClusterRole", "metadata": {"name": "c"}, "rules": [{"verbs": ["delete"], "apiGroups": [""], "resources": ["pods"]}]}),
        ];
        let out = aggregate_cluster_roles(&crs);
        assert_eq!(
            out[0]["rules"],
            json!([same, {"verbs": ["list"], "apiGroups": [""], "resources": ["pods"]}])
        );
        assert_eq!(out[1..], crs[1..]);
    }

    #[test]
    fn bootstrap_view_role_is_stored_aggregated() {
        let policy = bootstrap_policy();
        let view = policy
            .iter()
            .find(|o| o["metadata"]["name"] == "view")
            .unwrap();
        assert!(!view["rules"].as_array().unwrap().is_empty());
        assert_eq!(
            view["metadata"]["labels"]["kubernetes.io/bootstrapping"],
            "rbac-defaults"
        );
        assert_eq!(
            view["metadata"]["annotations"]["rbac.authorization.kubernetes.io/autoupdate"],
            "true"
        );
        assert_eq!(view["apiVersion"], "rbac.authorization.k8s.io/v1");
        let names: Vec<&str> = policy
            .iter()
            .map(|o| o["metadata"]["name"].as_str().unwrap())
            .collect();
        for n in [
            "cluster-admin",
            "system:discovery",
            "system:public-info-viewer",
            "system:basic-user",
            "admin",
            "edit",
            "view",
        ] {
            assert!(names.contains(&n), "{n}");
        }
    }

    #[test]
    fn missing_role_makes_the_denial_reason_name_it() {
        let a = Authorizer::new(
            &[],
            &[crb("b", "ghost", json!([{"kind": "User", "name": "u"}]))],
            &[],
            &[rb(
                "ns",
                "rb",
                "Role",
                "phantom",
                json!([{"kind": "User", "name": "u"}]),
            )],
        );
        let d = a.authorize(&user("u", &[]), &res("get", "", "pods", "p", "ns"));
        assert!(!d.allowed);
        assert_eq!(
            d.reason,
            "RBAC: [clusterrole.rbac.authorization.k8s.io \"ghost\" not found, role.rbac.authorization.k8s.io \"phantom\" not found]"
        );
        assert_eq!(
            a.rules_review(&user("u", &[]), "ns").evaluation_error,
            "[clusterrole.rbac.authorization.k8s.io \"ghost\" not found, role.rbac.authorization.k8s.io \"phantom\" not found]"
        );
    }

    #[test]
    fn plain_denial_has_an_empty_reason() {
        let a = Authorizer::new(&[], &[], &[], &[]);
        let d = a.authorize(&user("u", &[]), &res("get", "", "pods", "p", "ns"));
        assert_eq!(
            d,
            Decision {
                allowed: false,
                reason: String::new()
            }
        );
    }

    #[test]
    fn rules_for_lists_resource_and_non_resource_rules_for_the_namespace() {
        let a = bootstrap_authorizer(
            &[],
            &[role(
                "team",
                "r",
                json!([{"verbs": ["get"], "apiGroups": [""], "resources": ["secrets"], "resourceNames": ["s"]}]),
            )],
            &[rb(
                "team",
                "rb",
                "Role",
                "r",
                json!([{"kind": "User", "name": "alice"}]),
            )],
        );
        let alice = user("alice", &[]);
        let (resource_rules, non_resource_rules) = a.rules_for(&alice, "team");
        assert!(resource_rules.contains(&json!({"verbs": ["get"], "apiGroups": [""], "resources": ["secrets"], "resourceNames": ["s"]})));
        assert!(resource_rules.contains(&json!({"verbs": ["create"], "apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]})));
        assert!(non_resource_rules.iter().any(|r| r["nonResourceURLs"]
            .as_array()
            .unwrap()
            .contains(&json!("/version"))));
        assert!(non_resource_rules
            .iter()
            .all(|r| r.get("resources").is_none()));
        let (elsewhere, _) = a.rules_for(&alice, "other");
        assert!(!elsewhere
            .iter()
            .any(|r| r["resources"] == json!(["secrets"])));
    }

    #[test]
    fn rules_for_masters_starts_with_everything() {
        let a = Authorizer::new(&[], &[], &[], &[]);
        let (r, n) = a.rules_for(&user("admin", &[SYSTEM_MASTERS]), "ns");
        assert_eq!(
            r,
            vec![json!({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]})]
        );
        assert_eq!(n, vec![json!({"verbs": ["*"], "nonResourceURLs": ["*"]})]);
    }

    #[test]
    fn forbidden_message_for_a_named_namespaced_resource() {
        let u = sa("ns", "sa");
        assert_eq!(
            forbidden_message(&u, &res("get", "", "configmaps", "x", "ns"), ""),
            "configmaps \"x\" is forbidden: User \"system:serviceaccount:ns:sa\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"ns\""
        );
    }

    #[test]
    fn forbidden_message_qualifies_the_group_and_drops_a_missing_name() {
        let u = user("bob", &[]);
        assert_eq!(
            forbidden_message(&u, &res("list", "apps", "deployments", "", "ns"), ""),
            "deployments.apps is forbidden: User \"bob\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"ns\""
        );
        assert_eq!(
            forbidden_message(&u, &res("create", "", "namespaces", "", ""), ""),
            "namespaces is forbidden: User \"bob\" cannot create resource \"namespaces\" in API group \"\" at the cluster scope"
        );
    }

    #[test]
    fn forbidden_message_shows_the_subresource_and_honours_the_given_prefix() {
        let u = user("bob", &[]);
        assert_eq!(
            forbidden_message(&u, &sub("get", "", "pods", "log", "ns"), "pods"),
            "pods \"x\" is forbidden: User \"bob\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"ns\""
        );
    }

    #[test]
    fn forbidden_message_for_paths_and_with_a_reason() {
        let u = UserInfo {
            name: "system:anonymous".into(),
            uid: String::new(),
            groups: vec!["system:unauthenticated".into()],
        };
        assert_eq!(
            forbidden_message(&u, &url("get", "/apis"), ""),
            "forbidden: User \"system:anonymous\" cannot get path \"/apis\""
        );
        assert_eq!(
            forbidden_message_with_reason(
                &user("u", &[]),
                &res("get", "", "pods", "p", "ns"),
                "",
                "RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found"
            ),
            "pods \"p\" is forbidden: User \"u\" cannot get resource \"pods\" in API group \"\" in the namespace \"ns\": RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found"
        );
    }
}
