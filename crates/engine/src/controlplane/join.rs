//! `join`: KubeFed's names for what a member registration creates, the member and host objects
//! themselves, and the sequence that checks everything before writing anything.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::error::{self, UserError};
use crate::kubeconfig::ClusterConfig;
use crate::kubefed::types::{KubeFedClusterSpec, LocalSecretReference, TLS_VALIDATION_ALL};
use crate::kubefed::{CORE_API_VERSION, KUBEFED_CONFIG_NAME};
use crate::validation;

use super::install::plan_change;
use super::resources::{self, Resource, RBAC_GROUP};
use super::{change_line, Change};

/// Type of the Secret the member's token controller fills with the ServiceAccount's token.
pub const SA_TOKEN_SECRET_TYPE: &str = "kubernetes.io/service-account-token";
/// How long join waits for the member to put a token in the Secret (KubeFed: 30 s).
pub const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

/// The names a registration uses, derived as KubeFed derives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinNames {
    /// The KubeFedCluster's name.
    pub cluster: String,
    /// `--host-cluster-name`, else the host context's name.
    pub host: String,
    /// The kubefed namespace, the same in host and member.
    pub namespace: String,
}

impl JoinNames {
    pub fn new(cluster: &str, host: &str, namespace: &str) -> Self {
        JoinNames {
            cluster: cluster.to_string(),
            host: host.to_string(),
            namespace: namespace.to_string(),
        }
    }

    /// The member's ServiceAccount (and token Secret): `<cluster>-<host>`.
    pub fn service_account(&self) -> String {
        format!("{}-{}", self.cluster, self.host)
    }

    /// Checks the derived member names are valid object names before anything is written: a host
    /// context like `kind-Host` would otherwise fail half-way through the join.
    pub fn validate(&self) -> Result<(), UserError> {
        let sa = self.service_account();
        let errs = validation::is_dns1123_subdomain(&sa);
        if errs.is_empty() {
            return Ok(());
        }
        Err(error::invalid_input(format!(
            "the ServiceAccount name \"{sa}\" (NAME-HOST) is not a valid name: {}",
            errs.join("; ")
        ))
        .with_hint("pass --host-cluster-name with lower-case letters, digits and '-'"))
    }

    /// ClusterRole/Role and their bindings: `kubefed-controller-manager:<sa>`.
    pub fn role(&self) -> String {
        format!("kubefed-controller-manager:{}", self.service_account())
    }

    /// Namespaced scope's health-check ClusterRole and binding.
    pub fn healthcheck_role(&self) -> String {
        format!(
            "kubefed-controller-manager:{}:healthcheck-{}",
            self.namespace,
            self.service_account()
        )
    }
}

/// Checks the names join is given before anything is read or written. Returns the host name used
/// in member object names.
pub fn validate_names(
    cluster: &str,
    host_cluster_name: Option<&str>,
    host_context: &str,
) -> Result<String, UserError> {
    validate_cluster_name(cluster)?;
    host_name(host_cluster_name, host_context)
}

/// The cluster name becomes the KubeFedCluster's name: a DNS-1123 subdomain.
pub fn validate_cluster_name(cluster: &str) -> Result<(), UserError> {
    if cluster.is_empty() {
        return Err(error::invalid_input("NAME is required"));
    }
    let errs = validation::is_dns1123_subdomain(cluster);
    if !errs.is_empty() {
        return Err(error::invalid_input(format!(
            "invalid cluster name \"{cluster}\": {}",
            errs.join("; ")
        ))
        .with_hint("the name becomes the KubeFedCluster's name: use lower-case letters, digits, '-' and '.'"));
    }
    Ok(())
}

/// The host's name inside member object names: `--host-cluster-name`, else the host context, which
/// then must not contain ':' or '/' (EKS-style context names do).
pub fn host_name(host_cluster_name: Option<&str>, host_context: &str) -> Result<String, UserError> {
    match host_cluster_name {
        Some(name) if name.contains(':') || name.contains('/') || name.is_empty() => {
            Err(error::invalid_input(format!(
                "invalid --host-cluster-name \"{name}\": it must be non-empty and contain no ':' or '/'"
            )))
        }
        Some(name) => Ok(name.to_string()),
        None if host_context.contains(':') || host_context.contains('/') => {
            Err(error::invalid_input(format!(
                "host-cluster-name must be set: the host context name \"{host_context}\" contains ':' or '/', \
                 which cannot appear in the names join creates"
            ))
            .with_hint("pass --host-cluster-name NAME"))
        }
        None => Ok(host_context.to_string()),
    }
}

/// Parses repeated `--label key=value` flags, checking keys and values as the API server does.
pub fn parse_labels(flags: &[String]) -> Result<BTreeMap<String, String>, UserError> {
    let mut labels = BTreeMap::new();
    for flag in flags {
        let Some((key, value)) = flag.split_once('=') else {
            return Err(error::invalid_input(format!(
                "invalid --label \"{flag}\": expected key=value"
            )));
        };
        let mut errs = validation::is_qualified_name(key);
        errs.extend(validation::is_valid_label_value(value));
        if !errs.is_empty() {
            return Err(error::invalid_input(format!(
                "invalid --label \"{flag}\": {}",
                errs.join("; ")
            )));
        }
        labels.insert(key.to_string(), value.to_string());
    }
    Ok(labels)
}

fn policy_rule_all() -> Value {
    json!({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]})
}

fn binding(kind: &str, role_kind: &str, name: &str, names: &JoinNames) -> Value {
    let mut metadata = json!({"name": name});
    if kind == "RoleBinding" {
        metadata["namespace"] = json!(names.namespace);
    }
    json!({
        "apiVersion": format!("{RBAC_GROUP}/v1"),
        "kind": kind,
        "metadata": metadata,
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": role_kind, "name": name},
        "subjects": [{
            "kind": "ServiceAccount",
            "name": names.service_account(),
            "namespace": names.namespace
        }]
    })
}

/// The annotation on a KubeFedCluster joined with `--least-privilege`: the name of its member role, which
/// `enable` and `disable` keep in step with the enabled types.
pub const LEAST_PRIVILEGE_ANNOTATION: &str = "kubefedctl.io/least-privilege-role";

/// What the member role grants the control plane's ServiceAccount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberRbac {
    /// KubeFed's role: everything, everywhere.
    Everything,
    /// Exactly what the engine needs for these target types (plus namespaces and the health check).
    LeastPrivilege(Vec<crate::engine::permissions::Target>),
}

impl MemberRbac {
    /// The rules of the member's ClusterRole (`cluster_role`) or, for a Namespaced plane, its Role.
    pub fn rules(&self, cluster_role: bool) -> Vec<Value> {
        match self {
            MemberRbac::Everything if cluster_role => vec![
                policy_rule_all(),
                json!({"nonResourceURLs": ["*"], "verbs": ["get"]}),
            ],
            MemberRbac::Everything => vec![policy_rule_all()],
            MemberRbac::LeastPrivilege(targets) => {
                crate::engine::permissions::least_privilege_rules(targets, cluster_role)
            }
        }
    }
}

/// The target types of the enabled FederatedTypeConfigs, for a least-privilege member role.
pub async fn enabled_targets(
    host: &kube::Client,
    ns: &str,
) -> anyhow::Result<Vec<crate::engine::permissions::Target>> {
    let mut out: Vec<crate::engine::permissions::Target> =
        resources::list(host, &Resource::federated_type_config(), Some(ns))
            .await?
            .iter()
            .filter_map(|f| {
                serde_json::from_value::<crate::kubefed::types::FederatedTypeConfigSpec>(
                    f["spec"].clone(),
                )
                .ok()
            })
            .map(|spec| {
                crate::engine::permissions::Target::new(
                    &spec.target_type.group,
                    &spec.target_type.plural_name,
                )
            })
            .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// Brings the role of every member joined with `--least-privilege` in step with the enabled types (after
/// `enable` or `disable`), through `members` (the operator's access to each). Lines go to `report`; the
/// members that could not be updated are returned with why.
pub async fn refresh_least_privilege_roles(
    host: &kube::Client,
    ns: &str,
    members: &BTreeMap<String, super::MemberAccess>,
    dry_run: bool,
    report: &mut dyn FnMut(String),
) -> anyhow::Result<Vec<(String, String)>> {
    let registered = resources::list(host, &Resource::kubefed_cluster(), Some(ns)).await?;
    let joined: Vec<(String, String)> = registered
        .iter()
        .filter_map(|k| {
            let role = k["metadata"]["annotations"][LEAST_PRIVILEGE_ANNOTATION].as_str()?;
            Some((name_of(k).to_string(), role.to_string()))
        })
        .collect();
    if joined.is_empty() {
        return Ok(Vec::new());
    }
    let rbac = MemberRbac::LeastPrivilege(enabled_targets(host, ns).await?);
    let namespaced = read_scope(host, ns).await? == crate::kubefed::SCOPE_NAMESPACED;
    let mut failures = Vec::new();
    for (cluster, role) in joined {
        let desired = if namespaced {
            json!({"apiVersion": format!("{RBAC_GROUP}/v1"), "kind": "Role",
                "metadata": {"name": role, "namespace": ns}, "rules": rbac.rules(false)})
        } else {
            json!({"apiVersion": format!("{RBAC_GROUP}/v1"), "kind": "ClusterRole",
                "metadata": {"name": role}, "rules": rbac.rules(true)})
        };
        let member = match members.get(&cluster) {
            Some(Ok(m)) => m,
            Some(Err(why)) => {
                failures.push((cluster, why.clone()));
                continue;
            }
            None => {
                failures.push((cluster, "no kubeconfig context reaches it".into()));
                continue;
            }
        };
        let written = async {
            let live = resources::get(member, &res_of(&desired), ns_of(&desired), &role).await?;
            write_member_object(member, &desired, live.as_ref(), dry_run).await
        }
        .await;
        match written {
            Ok(change) => report(format!(
                "cluster {cluster}: {}",
                change_line(&res_of(&desired).reference(&role), change, dry_run)
            )),
            Err(e) => failures.push((cluster, crate::error::chain_text(&e))),
        }
    }
    Ok(failures)
}

/// What join creates in the member, in creation order: the namespace, the ServiceAccount, its token
/// Secret, then the RBAC for `scope` (roles before their bindings).
///
/// The Namespaced health-check role grants `get` on `/healthz`; KubeFed writes the verb `Get`, which
/// RBAC never matches, so its health checks only worked through the default public-info role.
pub fn member_manifests(names: &JoinNames, scope: &str, rbac: &MemberRbac) -> Vec<Value> {
    let sa = names.service_account();
    let ns = &names.namespace;
    let mut out = vec![
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        json!({
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {
                "name": sa,
                "namespace": ns,
                "annotations": {"kubernetes.io/enforce-mountable-secrets": "true"}
            },
            "automountServiceAccountToken": false
        }),
        json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": sa,
                "namespace": ns,
                "annotations": {"kubernetes.io/service-account.name": sa}
            },
            "type": SA_TOKEN_SECRET_TYPE
        }),
    ];
    let role = names.role();
    if scope == crate::kubefed::SCOPE_NAMESPACED {
        let health = names.healthcheck_role();
        out.push(json!({
            "apiVersion": format!("{RBAC_GROUP}/v1"),
            "kind": "Role",
            "metadata": {"name": role, "namespace": ns},
            "rules": rbac.rules(false)
        }));
        out.push(json!({
            "apiVersion": format!("{RBAC_GROUP}/v1"),
            "kind": "ClusterRole",
            "metadata": {"name": health},
            "rules": [
                {"nonResourceURLs": ["/healthz"], "verbs": ["get"]},
                {"apiGroups": [""], "resources": ["nodes"], "verbs": ["list"]}
            ]
        }));
        out.push(binding("RoleBinding", "Role", &role, names));
        out.push(binding("ClusterRoleBinding", "ClusterRole", &health, names));
    } else {
        out.push(json!({
            "apiVersion": format!("{RBAC_GROUP}/v1"),
            "kind": "ClusterRole",
            "metadata": {"name": role},
            "rules": rbac.rules(true)
        }));
        out.push(binding("ClusterRoleBinding", "ClusterRole", &role, names));
    }
    out
}

/// The host's credentials Secret: only `data.token` (base64, copied as is), named `name` or
/// generated from `<cluster>-`.
pub fn host_secret(names: &JoinNames, name: Option<&str>, token_b64: &str) -> Value {
    let mut metadata = json!({"namespace": names.namespace});
    match name {
        Some(n) => metadata["name"] = json!(n),
        None => metadata["generateName"] = json!(format!("{}-", names.cluster)),
    }
    json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": metadata,
        "data": {"token": token_b64}
    })
}

/// The CA bundle to record, base64: the kubeconfig's (inline or file) wins over the token Secret's
/// `ca.crt`, as in KubeFed.
pub fn ca_bundle(
    cfg: &ClusterConfig,
    secret_ca_b64: Option<&str>,
) -> anyhow::Result<Option<String>> {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    if let Some(data) = &cfg.certificate_authority_data {
        return Ok(Some(b64(data)));
    }
    if let Some(path) = &cfg.certificate_authority {
        let data = std::fs::read(path).map_err(|e| {
            error::precondition(
                format!(
                    "cannot read certificate-authority {} of context \"{}\": {e}",
                    path.display(),
                    cfg.context
                ),
                "fix the cluster's certificate-authority path in the kubeconfig",
            )
        })?;
        return Ok(Some(b64(&data)));
    }
    Ok(secret_ca_b64.filter(|s| !s.is_empty()).map(str::to_string))
}

/// The KubeFedCluster registering the member, from its kubeconfig entry.
pub fn kubefed_cluster(
    names: &JoinNames,
    cfg: &ClusterConfig,
    ca_bundle: Option<String>,
    secret_name: &str,
    labels: &BTreeMap<String, String>,
) -> Value {
    let spec = KubeFedClusterSpec {
        api_endpoint: cfg.server.clone(),
        ca_bundle,
        secret_ref: LocalSecretReference {
            name: secret_name.to_string(),
        },
        disabled_tls_validations: if cfg.insecure_skip_tls_verify {
            vec![TLS_VALIDATION_ALL.to_string()]
        } else {
            Vec::new()
        },
        proxy_url: cfg.proxy_url.clone(),
    };
    let mut metadata = json!({"name": names.cluster, "namespace": names.namespace});
    if !labels.is_empty() {
        metadata["labels"] = json!(labels);
    }
    json!({
        "apiVersion": CORE_API_VERSION,
        "kind": "KubeFedCluster",
        "metadata": metadata,
        "spec": serde_json::to_value(spec).expect("spec serialises")
    })
}

/// KubeFed's message when no control plane is installed in `ns`.
pub fn missing_config_error(ns: &str) -> UserError {
    error::precondition(
        format!(
            "A KubeFedConfig named \"{KUBEFED_CONFIG_NAME}\" was not found in namespace \"{ns}\". \
             Is a KubeFed control plane running in this namespace?"
        ),
        "run `kubefedctl init` first (with --kubefed-namespace if the control plane lives elsewhere)",
    )
}

/// The control plane's scope, read from its KubeFedConfig.
pub async fn read_scope(host: &kube::Client, ns: &str) -> anyhow::Result<String> {
    let config = resources::get(
        host,
        &Resource::kubefed_config(),
        Some(ns),
        KUBEFED_CONFIG_NAME,
    )
    .await?
    .ok_or_else(|| missing_config_error(ns))?;
    Ok(config["spec"]["scope"]
        .as_str()
        .unwrap_or(crate::kubefed::SCOPE_CLUSTER)
        .to_string())
}

/// What a join needs besides the two clients.
#[derive(Debug, Clone)]
pub struct JoinRequest {
    pub names: JoinNames,
    /// The member's kubeconfig entry (endpoint, CA, proxy, TLS relaxation).
    pub member: ClusterConfig,
    pub secret_name: Option<String>,
    pub error_on_existing: bool,
    pub labels: BTreeMap<String, String>,
    pub dry_run: bool,
    pub token_timeout: Duration,
    /// Grant the member role only what the enabled types need, instead of KubeFed's everything-role.
    pub least_privilege: bool,
}

fn name_of(obj: &Value) -> &str {
    obj["metadata"]["name"].as_str().unwrap_or("")
}

fn ns_of(obj: &Value) -> Option<&str> {
    obj["metadata"]["namespace"].as_str()
}

fn res_of(obj: &Value) -> Resource {
    Resource::of(obj).expect("join writes only known kinds")
}

fn already_exists(req: &JoinRequest, obj: &Value) -> UserError {
    let names = &req.names;
    let message = if obj["kind"] == "ServiceAccount" {
        format!(
            "service account: {} already exists in joining cluster: {}",
            name_of(obj),
            names.cluster
        )
    } else {
        format!(
            "{} already exists in joining cluster: {}",
            res_of(obj).reference(name_of(obj)),
            names.cluster
        )
    };
    error::precondition(message, existing_hint(&names.cluster))
}

fn existing_hint(cluster: &str) -> String {
    format!(
        "pass --error-on-existing=false to reuse and update what exists, or run `kubefedctl unjoin {cluster}` first"
    )
}

/// Registers the member: checks the control plane and (with `error_on_existing`) that nothing of the
/// registration exists yet, then writes the member's namespace, ServiceAccount, token Secret and
/// RBAC, waits for the token, and writes the host's credentials Secret and KubeFedCluster. Each
/// object is reported through `report` as `cluster <name>: <kind>/<name> <change>`. With `dry_run`
/// only reads are sent.
pub async fn join(
    host: &kube::Client,
    member: &kube::Client,
    req: &JoinRequest,
    report: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    let names = &req.names;
    let ns = names.namespace.as_str();
    let scope = read_scope(host, ns).await?;

    // Read everything first, so a refusal leaves both clusters untouched.
    let rbac = if req.least_privilege {
        MemberRbac::LeastPrivilege(enabled_targets(host, ns).await?)
    } else {
        MemberRbac::Everything
    };
    let member_objs = member_manifests(names, &scope, &rbac);
    let mut member_live = Vec::new();
    for obj in &member_objs {
        let live = resources::get(member, &res_of(obj), ns_of(obj), name_of(obj)).await?;
        if req.error_on_existing && live.is_some() && obj["kind"] != "Namespace" {
            return Err(already_exists(req, obj).into());
        }
        member_live.push(live);
    }
    let kfc_live =
        resources::get(host, &Resource::kubefed_cluster(), Some(ns), &names.cluster).await?;
    if req.error_on_existing && kfc_live.is_some() {
        return Err(error::precondition(
            format!(
                "federated cluster {} already exists in host cluster",
                names.cluster
            ),
            existing_hint(&names.cluster),
        )
        .into());
    }
    // The secret to reuse: the one named by the flag, else (when updating) the registration's own.
    let secret_name = req.secret_name.clone().or_else(|| {
        kfc_live
            .as_ref()
            .and_then(|k| k["spec"]["secretRef"]["name"].as_str())
            .filter(|n| !n.is_empty())
            .map(str::to_string)
    });
    let secret_live = match &secret_name {
        Some(n) => resources::get(host, &Resource::secret(), Some(ns), n).await?,
        None => None,
    };
    if req.error_on_existing && secret_live.is_some() {
        return Err(error::precondition(
            format!(
                "host cluster secret {} already exists",
                secret_name.as_deref().unwrap_or("")
            ),
            existing_hint(&names.cluster),
        )
        .into());
    }

    let member_label = format!("cluster {}", names.cluster);
    let host_label = format!("cluster {}", names.host);
    for (obj, live) in member_objs.iter().zip(&member_live) {
        let change = write_member_object(member, obj, live.as_ref(), req.dry_run).await?;
        let line = change_line(&res_of(obj).reference(name_of(obj)), change, req.dry_run);
        report(format!("{member_label}: {line}"));
    }

    let sa = names.service_account();
    let (token, secret_ca) = if req.dry_run {
        (String::new(), None)
    } else {
        wait_for_token(member, ns, &sa, &names.cluster, req.token_timeout).await?
    };

    // Host credentials Secret.
    let secret_name = match (&secret_live, &secret_name) {
        (Some(live), Some(name)) => {
            // A dry run cannot know the token yet: it says the secret would be refreshed.
            let change = if req.dry_run {
                Change::Configured
            } else if live["data"]["token"].as_str() == Some(token.as_str()) {
                Change::Unchanged
            } else {
                resources::merge_patch(
                    host,
                    &Resource::secret(),
                    Some(ns),
                    name,
                    &json!({"data": {"token": token}}),
                )
                .await?;
                Change::Configured
            };
            let line = change_line(&Resource::secret().reference(name), change, req.dry_run);
            report(format!("{host_label}: {line}"));
            name.clone()
        }
        _ => {
            let desired = host_secret(names, secret_name.as_deref(), &token);
            let name = if req.dry_run {
                secret_name
                    .clone()
                    .unwrap_or_else(|| format!("{}-<generated>", names.cluster))
            } else {
                let created = resources::create(host, &desired).await?;
                name_of(&created).to_string()
            };
            let line = change_line(
                &Resource::secret().reference(&name),
                Change::Created,
                req.dry_run,
            );
            report(format!("{host_label}: {line}"));
            name
        }
    };

    let ca = ca_bundle(&req.member, secret_ca.as_deref())?;
    let mut desired = kubefed_cluster(names, &req.member, ca, &secret_name, &req.labels);
    if req.least_privilege {
        desired["metadata"]["annotations"] = json!({LEAST_PRIVILEGE_ANNOTATION: names.role()});
    }
    let change = plan_change(&desired, kfc_live.as_ref());
    if !req.dry_run {
        match change {
            Change::Created => {
                resources::create(host, &desired).await?;
            }
            Change::Configured => {
                resources::apply(host, &desired).await?;
            }
            _ => {}
        }
    }
    let line = change_line(
        &Resource::kubefed_cluster().reference(&names.cluster),
        change,
        req.dry_run,
    );
    report(format!("{host_label}: {line}"));
    Ok(())
}

/// Creates a member object, or brings an existing one in line (a binding whose `roleRef` differs
/// is recreated: `roleRef` is immutable).
async fn write_member_object(
    member: &kube::Client,
    obj: &Value,
    live: Option<&Value>,
    dry_run: bool,
) -> anyhow::Result<Change> {
    let change = plan_change(obj, live);
    if dry_run {
        return Ok(change);
    }
    match (change, live) {
        (Change::Created, _) => {
            resources::create(member, obj).await?;
        }
        (Change::Configured, Some(live))
            if obj.get("roleRef").is_some() && live["roleRef"] != obj["roleRef"] =>
        {
            let res = res_of(obj);
            resources::delete(member, &res, ns_of(obj), name_of(obj)).await?;
            resources::create(member, obj).await?;
        }
        (Change::Configured, _) => {
            resources::apply(member, obj).await?;
        }
        _ => {}
    }
    Ok(change)
}

/// Waits for the member's token controller to fill the Secret; returns its `data.token` and
/// `data.ca.crt` (both base64, never decoded).
async fn wait_for_token(
    member: &kube::Client,
    ns: &str,
    name: &str,
    cluster: &str,
    timeout: Duration,
) -> anyhow::Result<(String, Option<String>)> {
    let filled = crate::wait::poll(timeout, Duration::from_secs(1), || async {
        let secret = resources::get(member, &Resource::secret(), Some(ns), name).await?;
        let field = |k: &str| {
            secret
                .as_ref()
                .and_then(|s| s["data"][k].as_str())
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        Ok(match field("token") {
            Some(token) => Ok((token, field("ca.crt"))),
            None => Err(()),
        })
    })
    .await?;
    filled.map_err(|()| {
        error::failure(format!(
            "timed out after {}s waiting for the token of secret {ns}/{name} in cluster {cluster}",
            timeout.as_secs()
        ))
        .with_hint(
            "the member's token controller (kube-controller-manager) fills ServiceAccount token secrets; check it is running, then join again with --error-on-existing=false",
        )
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubefed::{SCOPE_CLUSTER, SCOPE_NAMESPACED};

    fn names() -> JoinNames {
        JoinNames::new("member1", "host", "kube-federation-system")
    }

    fn cfg() -> ClusterConfig {
        ClusterConfig {
            context: "member1".into(),
            cluster_name: "member1".into(),
            server: "https://127.0.0.1:6443".into(),
            certificate_authority_data: None,
            certificate_authority: None,
            insecure_skip_tls_verify: false,
            proxy_url: None,
            tls_server_name: None,
            namespace: "default".into(),
        }
    }

    #[test]
    fn names_follow_kubefed() {
        let n = names();
        assert_eq!(n.service_account(), "member1-host");
        assert_eq!(n.role(), "kubefed-controller-manager:member1-host");
        assert_eq!(
            n.healthcheck_role(),
            "kubefed-controller-manager:kube-federation-system:healthcheck-member1-host"
        );
    }

    #[test]
    fn derived_service_account_name_must_be_valid() {
        assert!(names().validate().is_ok());
        let err = JoinNames::new("member1", "kind-Host", "fed")
            .validate()
            .unwrap_err();
        assert_eq!(err.kind, crate::error::ErrorKind::InvalidInput);
        assert!(err.message.contains("member1-kind-Host"), "{}", err.message);
        assert!(err.hint.unwrap().contains("--host-cluster-name"));
    }

    #[test]
    fn cluster_name_must_be_a_dns_subdomain() {
        let err = validate_names("Member_1", None, "host").unwrap_err();
        assert_eq!(err.kind, crate::error::ErrorKind::InvalidInput);
        assert!(err.message.contains("Member_1"), "{}", err.message);
        assert!(validate_names("member-1.example", None, "host").is_ok());
    }

    #[test]
    fn host_name_comes_from_the_flag_else_the_host_context() {
        assert_eq!(validate_names("m", Some("h1"), "ctx").unwrap(), "h1");
        assert_eq!(validate_names("m", None, "ctx").unwrap(), "ctx");
    }

    #[test]
    fn host_cluster_name_with_colon_or_slash_is_invalid_input() {
        for bad in ["a:b", "a/b"] {
            let err = validate_names("m", Some(bad), "ctx").unwrap_err();
            assert_eq!(err.kind, crate::error::ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn host_context_with_colon_requires_host_cluster_name() {
        let err = validate_names("m", None, "arn:aws:eks:cluster/x").unwrap_err();
        assert!(err.message.starts_with("host-cluster-name must be set"));
        assert_eq!(err.hint.as_deref(), Some("pass --host-cluster-name NAME"));
        assert_eq!(
            validate_names("m", Some("eks"), "arn:aws:eks:cluster/x").unwrap(),
            "eks"
        );
    }

    #[test]
    fn labels_parse_as_key_value_pairs() {
        let l = parse_labels(&["region=eu".into(), "example.com/tier=gold".into()]).unwrap();
        assert_eq!(l["region"], "eu");
        assert_eq!(l["example.com/tier"], "gold");
    }

    #[test]
    fn label_without_equals_or_with_a_bad_key_or_value_is_invalid_input() {
        for bad in ["region", "bad key=x", "k=bad value", "=v"] {
            let err = parse_labels(&[bad.into()]).unwrap_err();
            assert_eq!(err.kind, crate::error::ErrorKind::InvalidInput, "{bad}");
            assert!(err.message.contains(bad), "{}", err.message);
        }
    }

    #[test]
    fn empty_label_value_is_allowed() {
        assert_eq!(parse_labels(&["k=".into()]).unwrap()["k"], "");
    }

    #[test]
    fn service_account_refuses_automount_and_enforces_mountable_secrets() {
        let m = member_manifests(&names(), SCOPE_CLUSTER, &MemberRbac::Everything);
        let sa = m.iter().find(|o| o["kind"] == "ServiceAccount").unwrap();
        assert_eq!(sa["metadata"]["name"], "member1-host");
        assert_eq!(sa["automountServiceAccountToken"], false);
        assert_eq!(
            sa["metadata"]["annotations"]["kubernetes.io/enforce-mountable-secrets"],
            "true"
        );
    }

    #[test]
    fn token_secret_is_named_after_the_service_account() {
        let m = member_manifests(&names(), SCOPE_CLUSTER, &MemberRbac::Everything);
        let s = m.iter().find(|o| o["kind"] == "Secret").unwrap();
        assert_eq!(s["type"], "kubernetes.io/service-account-token");
        assert_eq!(s["metadata"]["name"], "member1-host");
        assert_eq!(
            s["metadata"]["annotations"]["kubernetes.io/service-account.name"],
            "member1-host"
        );
    }

    #[test]
    fn cluster_scope_grants_everything_through_one_cluster_role() {
        let m = member_manifests(&names(), SCOPE_CLUSTER, &MemberRbac::Everything);
        let kinds: Vec<&str> = m.iter().map(|o| o["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                "Namespace",
                "ServiceAccount",
                "Secret",
                "ClusterRole",
                "ClusterRoleBinding"
            ]
        );
        let role = &m[3];
        assert_eq!(
            role["metadata"]["name"],
            "kubefed-controller-manager:member1-host"
        );
        assert_eq!(role["rules"][0], policy_rule_all());
        assert_eq!(role["rules"][1]["nonResourceURLs"], json!(["*"]));
        let crb = &m[4];
        assert_eq!(crb["roleRef"]["name"], role["metadata"]["name"]);
        assert_eq!(crb["subjects"][0]["name"], "member1-host");
        assert_eq!(crb["subjects"][0]["namespace"], "kube-federation-system");
    }

    #[test]
    fn namespaced_scope_confines_to_the_kubefed_namespace_plus_health_check() {
        let m = member_manifests(&names(), SCOPE_NAMESPACED, &MemberRbac::Everything);
        let kinds: Vec<&str> = m.iter().map(|o| o["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                "Namespace",
                "ServiceAccount",
                "Secret",
                "Role",
                "ClusterRole",
                "RoleBinding",
                "ClusterRoleBinding"
            ]
        );
        assert_eq!(m[3]["metadata"]["namespace"], "kube-federation-system");
        let health = &m[4];
        assert_eq!(
            health["metadata"]["name"],
            "kubefed-controller-manager:kube-federation-system:healthcheck-member1-host"
        );
        assert_eq!(health["rules"][0]["nonResourceURLs"], json!(["/healthz"]));
        assert_eq!(health["rules"][0]["verbs"], json!(["get"]));
        assert_eq!(health["rules"][1]["resources"], json!(["nodes"]));
        assert_eq!(m[5]["roleRef"]["kind"], "Role");
        assert_eq!(m[5]["metadata"]["namespace"], "kube-federation-system");
        assert_eq!(m[6]["roleRef"]["name"], health["metadata"]["name"]);
    }

    #[test]
    fn host_secret_holds_only_the_token_and_is_generated_from_the_cluster_name() {
        let s = host_secret(&names(), None, "dG9r");
        assert_eq!(s["metadata"]["generateName"], "member1-");
        assert!(s["metadata"].get("name").is_none());
        assert_eq!(s["data"], json!({"token": "dG9r"}));
        let named = host_secret(&names(), Some("creds"), "dG9r");
        assert_eq!(named["metadata"]["name"], "creds");
    }

    #[test]
    fn kubefed_cluster_records_endpoint_secret_and_labels() {
        let labels = parse_labels(&["region=eu".into()]).unwrap();
        let k = kubefed_cluster(
            &names(),
            &cfg(),
            Some("Q0E=".into()),
            "member1-abcde",
            &labels,
        );
        assert_eq!(k["apiVersion"], "core.kubefed.io/v1beta1");
        assert_eq!(k["metadata"]["name"], "member1");
        assert_eq!(k["metadata"]["labels"]["region"], "eu");
        assert_eq!(k["spec"]["apiEndpoint"], "https://127.0.0.1:6443");
        assert_eq!(k["spec"]["caBundle"], "Q0E=");
        assert_eq!(k["spec"]["secretRef"]["name"], "member1-abcde");
        assert!(k["spec"].get("disabledTLSValidations").is_none());
        assert!(k["spec"].get("proxyURL").is_none());
    }

    #[test]
    fn insecure_kubeconfig_disables_all_tls_validation_and_proxy_is_kept() {
        let mut c = cfg();
        c.insecure_skip_tls_verify = true;
        c.proxy_url = Some("http://proxy:3128".into());
        let k = kubefed_cluster(&names(), &c, None, "s", &BTreeMap::new());
        assert_eq!(k["spec"]["disabledTLSValidations"], json!(["*"]));
        assert_eq!(k["spec"]["proxyURL"], "http://proxy:3128");
        assert!(k["metadata"].get("labels").is_none());
    }

    #[test]
    fn kubeconfig_ca_wins_over_the_token_secret_ca() {
        let mut c = cfg();
        assert_eq!(
            ca_bundle(&c, Some("c2VjcmV0")).unwrap().as_deref(),
            Some("c2VjcmV0")
        );
        c.certificate_authority_data = Some(b"PEM".to_vec());
        assert_eq!(
            ca_bundle(&c, Some("c2VjcmV0")).unwrap().as_deref(),
            Some("UEVN")
        );
    }

    #[test]
    fn ca_file_from_the_kubeconfig_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.crt");
        std::fs::write(&path, b"PEM").unwrap();
        let mut c = cfg();
        c.certificate_authority = Some(path);
        assert_eq!(ca_bundle(&c, None).unwrap().as_deref(), Some("UEVN"));
        c.certificate_authority = Some(dir.path().join("missing"));
        assert!(ca_bundle(&c, None).is_err());
    }

    #[test]
    fn missing_config_message_is_kubefeds_with_an_init_hint() {
        let err = missing_config_error("fed");
        assert_eq!(
            err.message,
            "A KubeFedConfig named \"kubefed\" was not found in namespace \"fed\". Is a KubeFed control plane running in this namespace?"
        );
        assert!(err.hint.unwrap().contains("kubefedctl init"));
    }
}
