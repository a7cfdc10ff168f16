//! `init`: the control plane's manifests in install order, the comparison that keeps a second run
//! write-free, and the apply loop that waits for CRDs to be Established before using them.

use std::time::Duration;

use serde_json::{json, Value};

use crate::error::{self, UserError};
use crate::kubefed::types::{KubeFedConfig, KubeFedConfigSpec};
use crate::kubefed::{
    crds, typeconfig, SCOPE_CLUSTER, SCOPE_NAMESPACED, TYPES_GROUP, TYPES_VERSION,
};

use super::resources::{self, Resource};
use super::{change_line, Change};

/// How long `init` waits for a CRD to be Established.
pub const ESTABLISH_TIMEOUT: Duration = Duration::from_secs(30);

/// The control plane's scope, as `KubeFedConfig.spec.scope` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scope {
    /// Federate every namespace of the member clusters
    #[value(name = "Cluster")]
    Cluster,
    /// Federate only the kubefed namespace
    #[value(name = "Namespaced")]
    Namespaced,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Cluster => SCOPE_CLUSTER,
            Scope::Namespaced => SCOPE_NAMESPACED,
        }
    }
}

/// The namespace of the control plane.
pub fn namespace_manifest(ns: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
}

/// The `kubefed` KubeFedConfig to install: `scope` with every default filled; an existing config keeps
/// its own settings and only gains the defaults it lacks, so a tuned control plane stays tuned.
pub fn kubefed_config_manifest(scope: &str, ns: &str, existing: Option<&Value>) -> Value {
    let spec = existing
        .and_then(|live| serde_json::from_value::<KubeFedConfigSpec>(live["spec"].clone()).ok());
    let config = match spec {
        Some(mut spec) => {
            spec.scope = scope.to_string();
            let mut config = KubeFedConfig::new(crate::kubefed::KUBEFED_CONFIG_NAME, ns, spec);
            config.fill_defaults();
            config
        }
        None => KubeFedConfig::with_defaults(scope, ns),
    };
    serde_json::to_value(config).expect("KubeFedConfig serialises")
}

/// Every manifest of the control plane in install order: the namespace, the CRDs (control plane,
/// with `dns` the multi-cluster DNS ones, then the federated types'), the KubeFedConfig, then the
/// FederatedTypeConfigs.
pub fn manifests(
    scope: &str,
    ns: &str,
    default_types: bool,
    dns: bool,
    existing_config: Option<&Value>,
) -> Vec<Value> {
    let mut out = vec![namespace_manifest(ns)];
    out.extend(crds::control_plane_crds());
    if dns {
        out.extend(crds::dns_crds());
    }
    let types = if default_types {
        typeconfig::default_types()
    } else {
        Vec::new()
    };
    out.extend(
        types
            .iter()
            .map(|t| typeconfig::federated_crd(t, None, TYPES_GROUP, TYPES_VERSION)),
    );
    out.push(kubefed_config_manifest(scope, ns, existing_config));
    out.extend(
        types
            .iter()
            .map(|t| typeconfig::federated_type_config(t, TYPES_GROUP, TYPES_VERSION, ns)),
    );
    out
}

/// The scope to install: the requested one, else the existing control plane's, else `Cluster`.
/// Asking for a different scope than the existing control plane's is refused: it is immutable.
pub fn resolve_scope(
    requested: Option<Scope>,
    existing_config: Option<&Value>,
    ns: &str,
) -> Result<String, UserError> {
    let existing = existing_config
        .and_then(|c| c["spec"]["scope"].as_str())
        .filter(|s| !s.is_empty());
    match (requested, existing) {
        (Some(r), Some(e)) if r.as_str() != e => Err(error::precondition(
            format!(
                "the control plane in namespace \"{ns}\" has scope {e}; --scope {} cannot change it: \
                 KubeFedConfig \"kubefed\" field spec.scope is immutable",
                r.as_str()
            ),
            format!(
                "run `kubefedctl init --scope {e}` (or without --scope), or `kubefedctl teardown` first to reinstall with scope {}",
                r.as_str()
            ),
        )),
        (Some(r), _) => Ok(r.as_str().to_string()),
        (None, Some(e)) => Ok(e.to_string()),
        (None, None) => Ok(SCOPE_CLUSTER.to_string()),
    }
}

/// Whether everything `desired` says is already true of `live`. Fields the server adds (defaults,
/// status, metadata) don't count; lists must match element by element, as apply replaces them.
pub fn is_subset(desired: &Value, live: &Value) -> bool {
    match (desired, live) {
        (Value::Object(d), Value::Object(l)) => d
            .iter()
            .all(|(k, dv)| l.get(k).is_some_and(|lv| is_subset(dv, lv))),
        (Value::Array(d), Value::Array(l)) => {
            d.len() == l.len() && d.iter().zip(l).all(|(dv, lv)| is_subset(dv, lv))
        }
        (Value::Number(d), Value::Number(l)) => d.as_f64() == l.as_f64(),
        _ => desired == live,
    }
}

/// What applying `desired` over `live` amounts to.
pub fn plan_change(desired: &Value, live: Option<&Value>) -> Change {
    match live {
        None => Change::Created,
        Some(live) if is_subset(desired, live) => Change::Unchanged,
        Some(_) => Change::Configured,
    }
}

/// Where a CRD stands on its way to being served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrdState {
    Established,
    Pending,
    /// The API server refused its names (`NamesAccepted=False`): waiting will not help.
    NamesRejected(String),
}

pub fn crd_state(crd: &Value) -> CrdState {
    let conditions = crd["status"]["conditions"].as_array();
    let find = |t: &str| conditions.and_then(|cs| cs.iter().find(|c| c["type"] == t));
    if find("Established").is_some_and(|c| c["status"] == "True") {
        return CrdState::Established;
    }
    match find("NamesAccepted") {
        Some(c) if c["status"] == "False" => {
            CrdState::NamesRejected(c["message"].as_str().unwrap_or("").to_string())
        }
        _ => CrdState::Pending,
    }
}

fn name_of(obj: &Value) -> &str {
    obj["metadata"]["name"].as_str().unwrap_or("")
}

fn reference_of(obj: &Value) -> String {
    match Resource::of(obj) {
        Some(r) => r.reference(name_of(obj)),
        None => name_of(obj).to_string(),
    }
}

/// Applies `manifests` in order on the host, each only when it differs from what is there, and
/// reports one kubectl-style line per object through `report`. CRDs are waited for (Established)
/// before the first object that is neither a namespace nor a CRD, and at the end. With `dry_run`
/// nothing is written and nothing waited for.
pub async fn install(
    client: &kube::Client,
    manifests: &[Value],
    dry_run: bool,
    establish_timeout: Duration,
    report: &mut dyn FnMut(String),
) -> anyhow::Result<Vec<(String, Change)>> {
    let mut done = Vec::new();
    let mut pending_crds: Vec<String> = Vec::new();
    for desired in manifests {
        let res = Resource::of(desired)
            .ok_or_else(|| anyhow::anyhow!("unexpected manifest kind {}", desired["kind"]))?;
        let is_crd = res == Resource::crd();
        if !dry_run && !is_crd && res != Resource::namespace() && !pending_crds.is_empty() {
            wait_established(client, &pending_crds, establish_timeout).await?;
            pending_crds.clear();
        }
        let ns = desired["metadata"]["namespace"].as_str();
        let name = name_of(desired);
        let live = resources::get(client, &res, ns, name).await?;
        if let Some(live) = &live {
            if !live["metadata"]["deletionTimestamp"].is_null() {
                return Err(error::precondition(
                    format!("{} is being deleted", res.reference(name)),
                    "wait until it is gone (e.g. after `kubefedctl teardown`), then run `kubefedctl init` again",
                )
                .into());
            }
        }
        let change = plan_change(desired, live.as_ref());
        let stored = match change {
            Change::Created | Change::Configured if !dry_run => {
                Some(resources::apply(client, desired).await?)
            }
            _ => live,
        };
        if is_crd && !dry_run {
            if let Some(crd) = &stored {
                match crd_state(crd) {
                    CrdState::Established => {}
                    CrdState::Pending => pending_crds.push(name.to_string()),
                    CrdState::NamesRejected(msg) => return Err(names_rejected(name, &msg).into()),
                }
            }
        }
        let reference = reference_of(desired);
        report(change_line(&reference, change, dry_run));
        done.push((reference, change));
    }
    if !dry_run && !pending_crds.is_empty() {
        wait_established(client, &pending_crds, establish_timeout).await?;
    }
    Ok(done)
}

fn names_rejected(name: &str, message: &str) -> UserError {
    error::failure(format!(
        "CustomResourceDefinition {name} was not accepted by the API server: {message}"
    ))
    .with_hint("another CRD already serves these names; remove it or rename the conflicting type")
}

/// Polls the named CRDs until every one is Established, for at most `timeout`.
pub async fn wait_established(
    client: &kube::Client,
    names: &[String],
    timeout: Duration,
) -> anyhow::Result<()> {
    // Each round looks again only at the CRDs still waiting.
    let waiting = std::sync::Mutex::new(names.to_vec());
    let established = crate::wait::poll(timeout, Duration::from_millis(500), || async {
        let names = waiting.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let mut still = Vec::new();
        for name in names {
            let crd = resources::get(client, &Resource::crd(), None, &name).await?;
            match crd.as_ref().map(crd_state) {
                Some(CrdState::Established) => {}
                Some(CrdState::NamesRejected(msg)) => {
                    return Err(names_rejected(&name, &msg).into())
                }
                Some(CrdState::Pending) | None => still.push(name),
            }
        }
        *waiting.lock().unwrap_or_else(|p| p.into_inner()) = still.clone();
        Ok(if still.is_empty() { Ok(()) } else { Err(still) })
    })
    .await?;
    established.map_err(|still| {
        error::failure(format!(
            "CustomResourceDefinition {} not Established after {}s",
            still.join(", "),
            timeout.as_secs()
        ))
        .with_hint(
            "check the CRD's status conditions (`kubectl get crd NAME -o yaml`), then run the command again once the API server serves it",
        )
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = "kube-federation-system";

    fn kinds(manifests: &[Value]) -> Vec<String> {
        manifests
            .iter()
            .map(|m| m["kind"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn manifests_start_with_the_namespace_then_crds_then_config_then_type_configs() {
        let m = manifests(SCOPE_CLUSTER, NS, true, false, None);
        let k = kinds(&m);
        assert_eq!(k[0], "Namespace");
        let first_non_crd = 1 + k[1..]
            .iter()
            .position(|k| k != "CustomResourceDefinition")
            .unwrap();
        assert_eq!(k[first_non_crd], "KubeFedConfig");
        assert!(k[first_non_crd + 1..]
            .iter()
            .all(|k| k == "FederatedTypeConfig"));
        assert_eq!(k.iter().filter(|k| *k == "FederatedTypeConfig").count(), 10);
        // Six control-plane CRDs and ten federated ones.
        assert_eq!(
            k.iter()
                .filter(|k| *k == "CustomResourceDefinition")
                .count(),
            16
        );
    }

    #[test]
    fn enable_dns_adds_the_four_dns_crds_after_the_control_plane_ones() {
        let plain = manifests(SCOPE_CLUSTER, NS, false, false, None);
        let m = manifests(SCOPE_CLUSTER, NS, false, true, None);
        assert_eq!(m.len(), plain.len() + 4);
        let at = 1 + crds::control_plane_crds().len();
        let names: Vec<&str> = m[at..at + 4]
            .iter()
            .map(|c| c["metadata"]["name"].as_str().unwrap())
            .collect();
        assert!(names
            .iter()
            .all(|n| n.ends_with(".multiclusterdns.kubefed.io")));
    }

    #[test]
    fn without_default_types_only_the_control_plane_is_installed() {
        let m = manifests(SCOPE_NAMESPACED, NS, false, false, None);
        assert!(!kinds(&m).contains(&"FederatedTypeConfig".to_string()));
        assert_eq!(m.len(), 1 + crds::control_plane_crds().len() + 1);
        let config = m.last().unwrap();
        assert_eq!(config["spec"]["scope"], "Namespaced");
        assert_eq!(config["metadata"]["name"], "kubefed");
        assert_eq!(config["metadata"]["namespace"], NS);
    }

    #[test]
    fn every_manifest_is_a_type_the_installer_knows() {
        for m in manifests(SCOPE_CLUSTER, NS, true, false, None) {
            assert!(Resource::of(&m).is_some(), "{}", m["kind"]);
        }
    }

    #[test]
    fn type_configs_live_in_the_kubefed_namespace() {
        let m = manifests(SCOPE_CLUSTER, "fed", true, false, None);
        for ftc in m.iter().filter(|m| m["kind"] == "FederatedTypeConfig") {
            assert_eq!(ftc["metadata"]["namespace"], "fed");
        }
    }

    #[test]
    fn fresh_config_has_every_default_filled() {
        let c = kubefed_config_manifest(SCOPE_CLUSTER, NS, None);
        assert_eq!(c["spec"]["controllerDuration"]["availableDelay"], "20s");
        assert_eq!(c["spec"]["syncController"]["adoptResources"], "Enabled");
        assert_eq!(c["spec"]["featureGates"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn existing_config_keeps_its_settings_and_gains_missing_defaults() {
        let live =
            json!({"spec": {"scope": "Cluster", "syncController": {"adoptResources": "Disabled"}}});
        let c = kubefed_config_manifest(SCOPE_CLUSTER, NS, Some(&live));
        assert_eq!(c["spec"]["syncController"]["adoptResources"], "Disabled");
        assert_eq!(c["spec"]["syncController"]["maxConcurrentReconciles"], 1);
        assert_eq!(c["spec"]["clusterHealthCheck"]["period"], "10s");
    }

    #[test]
    fn scope_defaults_to_cluster_on_a_fresh_host() {
        assert_eq!(resolve_scope(None, None, NS).unwrap(), "Cluster");
        assert_eq!(
            resolve_scope(Some(Scope::Namespaced), None, NS).unwrap(),
            "Namespaced"
        );
    }

    #[test]
    fn scope_is_kept_from_the_existing_control_plane_when_not_asked_for() {
        let live = json!({"spec": {"scope": "Namespaced"}});
        assert_eq!(resolve_scope(None, Some(&live), NS).unwrap(), "Namespaced");
        assert_eq!(
            resolve_scope(Some(Scope::Namespaced), Some(&live), NS).unwrap(),
            "Namespaced"
        );
    }

    #[test]
    fn changing_the_scope_of_an_existing_control_plane_is_refused_with_a_hint() {
        let live = json!({"spec": {"scope": "Cluster"}});
        let err = resolve_scope(Some(Scope::Namespaced), Some(&live), NS).unwrap_err();
        assert_eq!(err.kind, crate::error::ErrorKind::Precondition);
        assert!(err.message.contains("immutable"), "{}", err.message);
        assert!(err.message.contains("scope Cluster"), "{}", err.message);
        assert!(err.hint.unwrap().contains("--scope Cluster"));
    }

    #[test]
    fn fields_added_by_the_server_do_not_count_as_a_difference() {
        let desired = json!({"metadata": {"name": "a"}, "spec": {"x": [{"a": 1}]}});
        let live = json!({
            "metadata": {"name": "a", "uid": "u", "resourceVersion": "3"},
            "spec": {"x": [{"a": 1, "defaulted": true}], "other": 1},
            "status": {}
        });
        assert!(is_subset(&desired, &live));
        assert_eq!(plan_change(&desired, Some(&live)), Change::Unchanged);
    }

    #[test]
    fn a_changed_or_missing_value_is_a_difference() {
        let desired = json!({"spec": {"scope": "Cluster", "list": [1, 2]}});
        assert!(!is_subset(
            &desired,
            &json!({"spec": {"scope": "Namespaced", "list": [1, 2]}})
        ));
        assert!(!is_subset(&desired, &json!({"spec": {"scope": "Cluster"}})));
        assert!(!is_subset(
            &desired,
            &json!({"spec": {"scope": "Cluster", "list": [1, 2, 3]}})
        ));
        assert_eq!(
            plan_change(&desired, Some(&json!({"spec": {}}))),
            Change::Configured
        );
        assert_eq!(plan_change(&desired, None), Change::Created);
    }

    #[test]
    fn integers_compare_by_value_whatever_their_json_form() {
        assert!(is_subset(&json!({"n": 1}), &json!({"n": 1.0})));
    }

    #[test]
    fn crd_is_established_only_with_the_established_condition_true() {
        let est = json!({"status": {"conditions": [
            {"type": "NamesAccepted", "status": "True"},
            {"type": "Established", "status": "True"}
        ]}});
        assert_eq!(crd_state(&est), CrdState::Established);
        assert_eq!(crd_state(&json!({})), CrdState::Pending);
        let rejected = json!({"status": {"conditions": [
            {"type": "NamesAccepted", "status": "False", "message": "\"fcm\" is already in use"}
        ]}});
        assert_eq!(
            crd_state(&rejected),
            CrdState::NamesRejected("\"fcm\" is already in use".into())
        );
    }
}
