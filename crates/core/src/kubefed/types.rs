//! Serde types for KubeFed's own API objects, shaped exactly like their wire JSON, with KubeFed's
//! defaulting and admission validation.
//!
//! Each top-level type implements `k8s_openapi::Resource` + `Metadata`, so `kube::Api::<T>` works,
//! and has `api_resource()` for `kube::Api::<DynamicObject>`. Times are kept as RFC 3339 strings and
//! durations as Go duration text: the engine reads them, it never needs to re-render them differently.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::duration::{format_go_duration, parse_go_duration};
use super::*;
use kubefedctl_apimachinery::validation::FieldError;

macro_rules! kubefed_resource {
    ($ty:ident, $spec:ty, $group:literal, $version:literal, $kind:literal, $plural:literal) => {
        impl k8s_openapi::Resource for $ty {
            const API_VERSION: &'static str = concat!($group, "/", $version);
            const GROUP: &'static str = $group;
            const KIND: &'static str = $kind;
            const VERSION: &'static str = $version;
            const URL_PATH_SEGMENT: &'static str = $plural;
            type Scope = k8s_openapi::NamespaceResourceScope;
        }

        impl k8s_openapi::ListableResource for $ty {
            const LIST_KIND: &'static str = concat!($kind, "List");
        }

        impl k8s_openapi::Metadata for $ty {
            type Ty = ObjectMeta;
            fn metadata(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn metadata_mut(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
        }

        impl Default for $ty {
            fn default() -> Self {
                $ty {
                    api_version: concat!($group, "/", $version).to_string(),
                    kind: $kind.to_string(),
                    metadata: ObjectMeta::default(),
                    spec: Default::default(),
                    status: Default::default(),
                }
            }
        }

        impl $ty {
            pub const API_VERSION: &'static str = concat!($group, "/", $version);
            pub const KIND: &'static str = $kind;
            pub const PLURAL: &'static str = $plural;

            /// For `kube::Api::<DynamicObject>`.
            pub fn api_resource() -> kube::core::ApiResource {
                kube::core::ApiResource::erase::<Self>(&())
            }

            /// An object with apiVersion/kind set, named `name` in namespace `namespace`.
            pub fn new(name: &str, namespace: &str, spec: $spec) -> Self {
                let mut obj = Self::default();
                obj.metadata.name = Some(name.to_string());
                obj.metadata.namespace = Some(namespace.to_string());
                obj.spec = spec;
                obj
            }
        }
    };
}

// ------------------------------------------------------------------------------------------------
// KubeFedCluster

/// A member cluster registration (`kubefedclusters.core.kubefed.io`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KubeFedCluster {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: KubeFedClusterSpec,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<KubeFedClusterStatus>,
}
kubefed_resource!(
    KubeFedCluster,
    KubeFedClusterSpec,
    "core.kubefed.io",
    "v1beta1",
    "KubeFedCluster",
    "kubefedclusters"
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KubeFedClusterSpec {
    /// URL (or host[:port], https assumed) of the member's API server, used verbatim.
    #[serde(rename = "apiEndpoint", default)]
    pub api_endpoint: String,
    /// Base64 of the PEM CA bundle (Go `[]byte`).
    #[serde(rename = "caBundle", default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle: Option<String>,
    #[serde(default)]
    pub secret_ref: LocalSecretReference,
    #[serde(
        rename = "disabledTLSValidations",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub disabled_tls_validations: Vec<String>,
    /// KubeFed's join writes `"proxyURL": ""` when unset; we omit it instead, and read `""` as none.
    #[serde(rename = "proxyURL", default, skip_serializing_if = "Option::is_none")]
    pub proxy_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LocalSecretReference {
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KubeFedClusterStatus {
    /// Always serialised (no omitempty in KubeFed).
    #[serde(default)]
    pub conditions: Vec<ClusterCondition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_version: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterCondition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    #[serde(default)]
    pub last_probe_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Cluster condition types and the reasons/messages the health check writes.
pub const CONDITION_READY: &str = "Ready";
pub const CONDITION_OFFLINE: &str = "Offline";
pub const CONDITION_CONFIG_MALFORMED: &str = "ConfigMalformed";
pub const TLS_VALIDATION_ALL: &str = "*";
pub const TLS_VALIDATION_SUBJECT_NAME: &str = "SubjectName";
pub const TLS_VALIDATION_VALIDITY_PERIOD: &str = "ValidityPeriod";

impl KubeFedClusterSpec {
    /// The proxy to use, treating KubeFed's serialised empty string as "no proxy".
    pub fn proxy(&self) -> Option<&str> {
        self.proxy_url.as_deref().filter(|p| !p.is_empty())
    }

    /// Whether TLS verification is to be skipped entirely (`disabledTLSValidations: ["*"]`).
    pub fn skips_all_tls_validation(&self) -> bool {
        self.disabled_tls_validations
            .iter()
            .any(|v| v == TLS_VALIDATION_ALL)
    }
}

impl KubeFedCluster {
    /// True iff the cluster carries a `Ready` condition with status `True`.
    pub fn is_ready(&self) -> bool {
        self.status.as_ref().is_some_and(|s| {
            s.conditions
                .iter()
                .any(|c| c.type_ == CONDITION_READY && c.status == "True")
        })
    }

    /// KubeFed's admission checks on the spec (apiEndpoint, secretRef, disabledTLSValidations).
    pub fn validate(&self) -> Vec<FieldError> {
        let spec = &self.spec;
        let mut errs = validate_api_endpoint(&spec.api_endpoint, "spec.apiEndpoint");
        if spec.secret_ref.name.is_empty() {
            errs.push(FieldError::required("spec.secretRef.name", ""));
        } else if let Some(msg) = dns1123_subdomain_error(&spec.secret_ref.name) {
            errs.push(FieldError::invalid(
                "spec.secretRef.name",
                &json!(spec.secret_ref.name),
                msg,
            ));
        }
        let tls = &spec.disabled_tls_validations;
        for v in tls {
            errs.extend(enum_errors(
                "spec.disabledTLSValidations",
                v,
                &[
                    TLS_VALIDATION_ALL,
                    TLS_VALIDATION_SUBJECT_NAME,
                    TLS_VALIDATION_VALIDITY_PERIOD,
                ],
            ));
        }
        if tls.len() > 1 && tls.iter().any(|v| v == TLS_VALIDATION_ALL) {
            errs.push(FieldError::invalid(
                "spec.disabledTLSValidations",
                &json!(tls),
                "when * is specified, it is expected to be the only option in list",
            ));
        }
        if let Some(proxy) = spec.proxy() {
            let scheme = proxy.split_once("://").map(|(s, _)| s).unwrap_or("");
            errs.extend(enum_errors(
                "spec.proxyURL",
                scheme,
                &["http", "https", "socks5"],
            ));
        }
        errs
    }
}

/// client-go's reading of an endpoint: no scheme means https; scheme must be http(s); port 1–65535.
fn validate_api_endpoint(endpoint: &str, field: &str) -> Vec<FieldError> {
    if endpoint.is_empty() {
        return vec![FieldError::required(field, "")];
    }
    let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", endpoint));
    let mut errs = enum_errors(field, scheme, &["http", "https"]);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    if authority.is_empty() {
        errs.push(FieldError::invalid(
            field,
            &json!(endpoint),
            "host must be a URL or a host:port pair",
        ));
        return errs;
    }
    let port = if let Some(after_bracket) = authority.strip_prefix('[') {
        after_bracket
            .split_once(']')
            .and_then(|(_, p)| p.strip_prefix(':'))
    } else {
        authority.rsplit_once(':').map(|(_, p)| p)
    };
    if let Some(port) = port.filter(|p| !p.is_empty()) {
        match port.parse::<i64>() {
            Err(_) => errs.push(FieldError::invalid(
                field,
                &json!(port),
                "error converting port to integer",
            )),
            Ok(n) if !(1..=65535).contains(&n) => errs.push(FieldError::invalid(
                field,
                &json!(n),
                "must be between 1 and 65535, inclusive",
            )),
            Ok(_) => {}
        }
    }
    errs
}

// ------------------------------------------------------------------------------------------------
// KubeFedConfig

/// Control-plane configuration, always named `kubefed` in the kubefed namespace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KubeFedConfig {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: KubeFedConfigSpec,
    /// KubeFedConfig has no status; this stays empty and is never serialised.
    #[serde(skip)]
    pub status: (),
}
kubefed_resource!(
    KubeFedConfig,
    KubeFedConfigSpec,
    "core.kubefed.io",
    "v1beta1",
    "KubeFedConfig",
    "kubefedconfigs"
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KubeFedConfigSpec {
    #[serde(default)]
    pub scope: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller_duration: Option<DurationConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_elect: Option<LeaderElectConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_gates: Option<Vec<FeatureGate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_health_check: Option<ClusterHealthCheckConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_controller: Option<SyncControllerConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_controller: Option<StatusControllerConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DurationConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_delay: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable_delay: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_sync_timeout: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeaderElectConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew_deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_lock: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeatureGate {
    pub name: String,
    pub configuration: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterHealthCheckConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_threshold: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_threshold: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncControllerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent_reconciles: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopt_resources: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusControllerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent_reconciles: Option<i64>,
}

/// The gates KubeFed knows, with their default configuration.
pub const DEFAULT_FEATURE_GATES: [(&str, &str); 3] = [
    (FEATURE_PUSH_RECONCILER, ENABLED),
    (FEATURE_RAW_RESOURCE_STATUS_COLLECTION, DISABLED),
    (FEATURE_SCHEDULER_PREFERENCES, ENABLED),
];

const SECOND_NS: i64 = 1_000_000_000;
/// client-go's leader-election jitter factor, used by the renewDeadline check.
const LEADER_ELECTION_JITTER: f64 = 1.2;

fn default_duration(slot: &mut Option<String>, seconds: i64) {
    if slot.is_none() {
        *slot = Some(format_go_duration(seconds * SECOND_NS));
    }
}

fn default_int(slot: &mut Option<i64>, value: i64) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

impl KubeFedConfig {
    /// The `kubefed` config `init` installs: the given scope, every other field defaulted.
    pub fn with_defaults(scope: &str, namespace: &str) -> Self {
        let mut config = KubeFedConfig::new(
            KUBEFED_CONFIG_NAME,
            namespace,
            KubeFedConfigSpec {
                scope: scope.to_string(),
                ..Default::default()
            },
        );
        config.fill_defaults();
        config
    }

    /// KubeFed's mutating-webhook defaults: only absent fields are set (durations as Go prints
    /// them, e.g. `1m0s`); missing feature gates are appended and the whole list sorted by name.
    pub fn fill_defaults(&mut self) {
        let spec = &mut self.spec;
        let d = spec
            .controller_duration
            .get_or_insert_with(Default::default);
        default_duration(&mut d.available_delay, 20);
        default_duration(&mut d.unavailable_delay, 60);
        default_duration(&mut d.cache_sync_timeout, 300);

        let le = spec.leader_elect.get_or_insert_with(Default::default);
        if le.resource_lock.is_none() {
            le.resource_lock = Some("configmaps".to_string());
        }
        default_duration(&mut le.retry_period, 5);
        default_duration(&mut le.renew_deadline, 10);
        default_duration(&mut le.lease_duration, 15);

        let gates = spec.feature_gates.get_or_insert_with(Vec::new);
        for (name, configuration) in DEFAULT_FEATURE_GATES {
            if !gates.iter().any(|g| g.name == name) {
                gates.push(FeatureGate {
                    name: name.to_string(),
                    configuration: configuration.to_string(),
                });
            }
        }
        gates.sort_by(|a, b| a.name.cmp(&b.name));

        let hc = spec
            .cluster_health_check
            .get_or_insert_with(Default::default);
        default_duration(&mut hc.period, 10);
        default_duration(&mut hc.timeout, 3);
        default_int(&mut hc.failure_threshold, 3);
        default_int(&mut hc.success_threshold, 1);

        let sc = spec.sync_controller.get_or_insert_with(Default::default);
        default_int(&mut sc.max_concurrent_reconciles, 1);
        if sc.adopt_resources.is_none() {
            sc.adopt_resources = Some(ENABLED.to_string());
        }

        let st = spec.status_controller.get_or_insert_with(Default::default);
        default_int(&mut st.max_concurrent_reconciles, 1);
    }

    /// KubeFed's admission validation of a (defaulted) config on create.
    pub fn validate(&self) -> Vec<FieldError> {
        let spec = &self.spec;
        let mut errs = enum_errors(
            "spec.scope",
            &spec.scope,
            &[SCOPE_CLUSTER, SCOPE_NAMESPACED],
        );

        match &spec.controller_duration {
            None => errs.push(FieldError::required("spec.controllerDuration", "")),
            Some(d) => {
                let p = "spec.controllerDuration";
                positive_duration(
                    &mut errs,
                    &format!("{p}.availableDelay"),
                    &d.available_delay,
                );
                positive_duration(
                    &mut errs,
                    &format!("{p}.unavailableDelay"),
                    &d.unavailable_delay,
                );
                positive_duration(
                    &mut errs,
                    &format!("{p}.cacheSyncTimeout"),
                    &d.cache_sync_timeout,
                );
            }
        }

        match &spec.leader_elect {
            None => errs.push(FieldError::required("spec.leaderElect", "")),
            Some(le) => {
                let p = "spec.leaderElect";
                let lease =
                    positive_duration(&mut errs, &format!("{p}.leaseDuration"), &le.lease_duration);
                let renew =
                    positive_duration(&mut errs, &format!("{p}.renewDeadline"), &le.renew_deadline);
                let retry =
                    positive_duration(&mut errs, &format!("{p}.retryPeriod"), &le.retry_period);
                if let (Some(lease), Some(renew)) = (lease, renew) {
                    if lease <= renew {
                        errs.push(FieldError::invalid(
                            format!("{p}.leaseDuration"),
                            &json!(le.lease_duration),
                            "leaseDuration must be greater than renewDeadline",
                        ));
                    }
                }
                if let (Some(renew), Some(retry)) = (renew, retry) {
                    if (renew as f64) <= retry as f64 * LEADER_ELECTION_JITTER {
                        errs.push(FieldError::invalid(
                            format!("{p}.renewDeadline"),
                            &json!(le.renew_deadline),
                            format!(
                                "renewDeadline must be greater than retryPeriod*JitterFactor({LEADER_ELECTION_JITTER:.1})"
                            ),
                        ));
                    }
                }
                match &le.resource_lock {
                    None => errs.push(FieldError::required(format!("{p}.resourceLock"), "")),
                    Some(lock) => errs.extend(enum_errors(
                        &format!("{p}.resourceLock"),
                        lock,
                        &["configmaps", "endpoints"],
                    )),
                }
            }
        }

        match &spec.feature_gates {
            None => errs.push(FieldError::required("spec.featureGates", "")),
            Some(gates) => {
                let mut seen = std::collections::HashSet::new();
                for gate in gates {
                    if !seen.insert(gate.name.as_str()) {
                        errs.push(FieldError::duplicate(
                            "spec.featureGates.name",
                            &json!(gate.name),
                        ));
                        continue;
                    }
                    let names: Vec<&str> = DEFAULT_FEATURE_GATES.iter().map(|(n, _)| *n).collect();
                    errs.extend(enum_errors("spec.featureGates.name", &gate.name, &names));
                    errs.extend(enum_errors(
                        "spec.featureGates.configuration",
                        &gate.configuration,
                        &[ENABLED, DISABLED],
                    ));
                }
            }
        }

        match &spec.cluster_health_check {
            None => errs.push(FieldError::required("spec.clusterHealthCheck", "")),
            Some(hc) => {
                let p = "spec.clusterHealthCheck";
                positive_duration(&mut errs, &format!("{p}.period"), &hc.period);
                positive_int(
                    &mut errs,
                    &format!("{p}.failureThreshold"),
                    hc.failure_threshold,
                );
                positive_int(
                    &mut errs,
                    &format!("{p}.successThreshold"),
                    hc.success_threshold,
                );
                positive_duration(&mut errs, &format!("{p}.timeout"), &hc.timeout);
            }
        }

        match &spec.sync_controller {
            None => errs.push(FieldError::required("spec.syncController", "")),
            Some(sc) => {
                let p = "spec.syncController";
                positive_int(
                    &mut errs,
                    &format!("{p}.maxConcurrentReconciles"),
                    sc.max_concurrent_reconciles,
                );
                match &sc.adopt_resources {
                    None => errs.push(FieldError::required(format!("{p}.adoptResources"), "")),
                    Some(a) => errs.extend(enum_errors(
                        &format!("{p}.adoptResources"),
                        a,
                        &[ENABLED, DISABLED],
                    )),
                }
            }
        }

        match &spec.status_controller {
            None => errs.push(FieldError::required("spec.statusController", "")),
            Some(st) => positive_int(
                &mut errs,
                "spec.statusController.maxConcurrentReconciles",
                st.max_concurrent_reconciles,
            ),
        }
        errs
    }

    /// Validation of an update: everything `validate` checks, plus `spec.scope` is immutable.
    pub fn validate_update(&self, old: &KubeFedConfig) -> Vec<FieldError> {
        let mut errs = self.validate();
        if self.spec.scope != old.spec.scope {
            errs.push(FieldError::invalid(
                "spec.scope",
                &json!(self.spec.scope),
                "field is immutable",
            ));
        }
        errs
    }

    /// Whether a named feature gate is on (its configured value, else KubeFed's default).
    pub fn feature_enabled(&self, name: &str) -> bool {
        let configured = self
            .spec
            .feature_gates
            .iter()
            .flatten()
            .find(|g| g.name == name)
            .map(|g| g.configuration.as_str());
        let default = DEFAULT_FEATURE_GATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c);
        configured.or(default) == Some(ENABLED)
    }

    /// `syncController.adoptResources` (default Enabled).
    pub fn adopt_resources(&self) -> bool {
        self.spec
            .sync_controller
            .as_ref()
            .and_then(|s| s.adopt_resources.as_deref())
            .is_none_or(|a| a == ENABLED)
    }

    /// True for a Namespaced control plane (every controller confined to the kubefed namespace).
    pub fn is_namespaced(&self) -> bool {
        self.spec.scope == SCOPE_NAMESPACED
    }
}

/// Checks an optional duration is present and > 0; returns its nanoseconds when it parses.
fn positive_duration(
    errs: &mut Vec<FieldError>,
    field: &str,
    value: &Option<String>,
) -> Option<i64> {
    let Some(text) = value else {
        errs.push(FieldError::required(field, ""));
        return None;
    };
    match parse_go_duration(text) {
        Err(e) => {
            errs.push(FieldError::invalid(field, &json!(text), e));
            None
        }
        Ok(n) if n <= 0 => {
            errs.push(FieldError::invalid(
                field,
                &json!(text),
                "should be greater than 0",
            ));
            Some(n)
        }
        Ok(n) => Some(n),
    }
}

fn positive_int(errs: &mut Vec<FieldError>, field: &str, value: Option<i64>) {
    match value {
        None => errs.push(FieldError::required(field, "")),
        Some(n) if n <= 0 => errs.push(FieldError::invalid(
            field,
            &json!(n),
            "should be greater than 0",
        )),
        Some(_) => {}
    }
}

/// KubeFed's enum check: empty → Required, unknown → NotSupported.
fn enum_errors(field: &str, value: &str, accepted: &[&str]) -> Vec<FieldError> {
    if value.is_empty() {
        vec![FieldError::required(field, "")]
    } else if accepted.contains(&value) {
        vec![]
    } else {
        vec![FieldError::not_supported(field, &json!(value), accepted)]
    }
}

// ------------------------------------------------------------------------------------------------
// FederatedTypeConfig

/// Programs federation of one target type (`federatedtypeconfigs.core.kubefed.io`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FederatedTypeConfig {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: FederatedTypeConfigSpec,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<FederatedTypeConfigStatus>,
}
kubefed_resource!(
    FederatedTypeConfig,
    FederatedTypeConfigSpec,
    "core.kubefed.io",
    "v1beta1",
    "FederatedTypeConfig",
    "federatedtypeconfigs"
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FederatedTypeConfigSpec {
    #[serde(default)]
    pub target_type: ApiResource,
    #[serde(default)]
    pub propagation: String,
    #[serde(default)]
    pub federated_type: ApiResource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_type: Option<ApiResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_collection: Option<String>,
}

/// KubeFed's `APIResource`: a type named by group, version, kind, plural and scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiResource {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub plural_name: String,
    #[serde(default)]
    pub scope: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FederatedTypeConfigStatus {
    #[serde(default)]
    pub observed_generation: i64,
    #[serde(default)]
    pub propagation_controller: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_controller: Option<String>,
}

pub const CONTROLLER_RUNNING: &str = "Running";
pub const CONTROLLER_NOT_RUNNING: &str = "NotRunning";

impl ApiResource {
    /// `plural` for the core group, else `plural.group` — KubeFed's "group-qualified name".
    pub fn group_qualified_name(&self) -> String {
        group_qualified_name(&self.plural_name, &self.group)
    }

    /// `v1` for the core group, else `group/version`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    pub fn is_namespaced(&self) -> bool {
        self.scope == SCOPE_NAMESPACED
    }

    /// For `kube::Api::<DynamicObject>` against this type.
    pub fn to_kube(&self) -> kube::core::ApiResource {
        kube::core::ApiResource {
            group: self.group.clone(),
            version: self.version.clone(),
            api_version: self.api_version(),
            kind: self.kind.clone(),
            plural: self.plural_name.clone(),
        }
    }
}

/// `plural` when `group` is empty, else `plural.group`.
pub fn group_qualified_name(plural: &str, group: &str) -> String {
    if group.is_empty() {
        plural.to_string()
    } else {
        format!("{plural}.{group}")
    }
}

/// KubeFed's FTC-defaulting pluralisation: lowercase kind + English plural
/// (`s`; `es` after s/x/z/ch/sh/o; consonant+`y` → `ies`).
pub fn pluralize_kind(kind: &str) -> String {
    let lower = kind.to_lowercase();
    let ends = |s: &str| lower.ends_with(s);
    if ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh") || ends("o") {
        format!("{lower}es")
    } else if let Some(stem) = lower.strip_suffix('y') {
        match stem.chars().last() {
            Some('a' | 'e' | 'i' | 'o' | 'u') => format!("{lower}s"),
            _ => format!("{stem}ies"),
        }
    } else {
        format!("{lower}s")
    }
}

impl FederatedTypeConfig {
    /// The name an FTC for `target` must have.
    pub fn name_for(target: &ApiResource) -> String {
        target.group_qualified_name()
    }

    pub fn is_propagation_enabled(&self) -> bool {
        self.spec.propagation == ENABLED
    }

    pub fn is_namespaced(&self) -> bool {
        self.spec.target_type.is_namespaced()
    }

    /// Whether the target is `namespaces` (its FederatedNamespace gates every namespaced type).
    pub fn is_namespace_type(&self) -> bool {
        self.spec.target_type.group_qualified_name() == NAMESPACE_FTC_NAME
    }

    /// Whether raw status collection is requested (`statusCollection: Enabled`).
    pub fn collects_status(&self) -> bool {
        self.spec.status_collection.as_deref() == Some(ENABLED)
    }

    /// KubeFed's FTC defaulting: target plural/group from `metadata.name` (split at the first dot)
    /// and federated/status plural names from their kinds; status group/version from the federated type.
    pub fn fill_defaults(&mut self) {
        let name = self.metadata.name.clone().unwrap_or_default();
        let (plural, group) = name.split_once('.').unwrap_or((name.as_str(), ""));
        let target = &mut self.spec.target_type;
        if target.plural_name.is_empty() {
            target.plural_name = plural.to_string();
        }
        if target.group.is_empty() {
            target.group = group.to_string();
        }
        if self.spec.federated_type.plural_name.is_empty() {
            self.spec.federated_type.plural_name = pluralize_kind(&self.spec.federated_type.kind);
        }
        let (fed_group, fed_version) = (
            self.spec.federated_type.group.clone(),
            self.spec.federated_type.version.clone(),
        );
        if let Some(st) = &mut self.spec.status_type {
            if st.plural_name.is_empty() {
                st.plural_name = pluralize_kind(&st.kind);
            }
            if st.group.is_empty() {
                st.group = fed_group;
            }
            if st.version.is_empty() {
                st.version = fed_version;
            }
        }
    }

    /// KubeFed's admission validation of the object (name rule + spec).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let name = self.metadata.name.clone().unwrap_or_default();
        if Self::name_for(&self.spec.target_type) != name {
            errs.push(FieldError::invalid(
                "name",
                &json!(name),
                "name must be 'TARGET_PLURAL_NAME(.TARGET_GROUP_NAME)'",
            ));
        }
        let spec = &self.spec;
        errs.extend(validate_api_resource(&spec.target_type, "spec.targetType"));
        errs.extend(enum_errors(
            "spec.propagation",
            &spec.propagation,
            &[ENABLED, DISABLED],
        ));
        errs.extend(validate_federated_api_resource(
            &spec.federated_type,
            "spec.federatedType",
        ));
        if let Some(st) = &spec.status_type {
            errs.extend(validate_federated_api_resource(st, "spec.statusType"));
        }
        if let Some(sc) = &spec.status_collection {
            errs.extend(enum_errors(
                "spec.statusCollection",
                sc,
                &[ENABLED, DISABLED],
            ));
        }
        errs
    }
}

fn validate_federated_api_resource(r: &ApiResource, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if r.group.is_empty() {
        errs.push(FieldError::required(format!("{path}.group"), ""));
    } else if !r.group.contains('.') {
        errs.push(FieldError::invalid(
            format!("{path}.group"),
            &json!(r.group),
            "should be a domain with at least one dot",
        ));
    }
    errs.extend(validate_api_resource(r, path));
    errs
}

fn validate_api_resource(r: &ApiResource, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if !r.group.is_empty() {
        if let Some(msg) = dns1123_subdomain_error(&r.group) {
            errs.push(FieldError::invalid(
                format!("{path}.group"),
                &json!(r.group),
                msg,
            ));
        }
    }
    for (field, value, check) in [
        ("version", &r.version, r.version.clone()),
        ("kind", &r.kind, r.kind.to_lowercase()),
        ("pluralName", &r.plural_name, r.plural_name.clone()),
    ] {
        if value.is_empty() {
            errs.push(FieldError::required(format!("{path}.{field}"), ""));
        } else if let Some(msg) = dns1035_label_error(&check) {
            errs.push(FieldError::invalid(
                format!("{path}.{field}"),
                &json!(value),
                msg,
            ));
        }
    }
    errs.extend(enum_errors(
        &format!("{path}.scope"),
        &r.scope,
        &[SCOPE_CLUSTER, SCOPE_NAMESPACED],
    ));
    errs
}

/// apimachinery's `IsDNS1123Subdomain` message, or None when valid.
pub fn dns1123_subdomain_error(value: &str) -> Option<String> {
    let re = Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        .expect("static regex");
    let mut msgs = Vec::new();
    if value.len() > 253 {
        msgs.push("must be no more than 253 characters".to_string());
    }
    if !re.is_match(value) {
        msgs.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string());
    }
    (!msgs.is_empty()).then(|| msgs.join(","))
}

/// apimachinery's `IsDNS1035Label` message, or None when valid.
pub fn dns1035_label_error(value: &str) -> Option<String> {
    let re = Regex::new(r"^[a-z]([-a-z0-9]*[a-z0-9])?$").expect("static regex");
    let mut msgs = Vec::new();
    if value.len() > 63 {
        msgs.push("must be no more than 63 characters".to_string());
    }
    if !re.is_match(value) {
        msgs.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".to_string());
    }
    (!msgs.is_empty()).then(|| msgs.join(","))
}

// ------------------------------------------------------------------------------------------------
// ReplicaSchedulingPreference

/// Replica distribution for the FederatedDeployment/FederatedReplicaSet of the same ns/name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReplicaSchedulingPreference {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: ReplicaSchedulingPreferenceSpec,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
}
kubefed_resource!(
    ReplicaSchedulingPreference,
    ReplicaSchedulingPreferenceSpec,
    "scheduling.kubefed.io",
    "v1alpha1",
    "ReplicaSchedulingPreference",
    "replicaschedulingpreferences"
);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSchedulingPreferenceSpec {
    #[serde(default)]
    pub target_kind: String,
    #[serde(default)]
    pub total_replicas: i32,
    #[serde(default, skip_serializing_if = "is_false")]
    pub rebalance: bool,
    /// Serialised even when false: KubeFed's JSON tag has no omitempty.
    #[serde(default)]
    pub intersect_with_cluster_selector: bool,
    /// Cluster name (or `*`) → preferences; an empty map means `{"*": {weight: 1}}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub clusters: BTreeMap<String, ClusterPreferences>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterPreferences {
    #[serde(default)]
    pub min_replicas: i64,
    /// None = unbounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_replicas: Option<i64>,
    #[serde(default)]
    pub weight: i64,
}

fn is_false(b: &bool) -> bool {
    !*b
}

// ------------------------------------------------------------------------------------------------
// EnableTypeDirective

/// `enable -f FILE` input: which type to federate and as what group/version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EnableTypeDirective {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: EnableTypeDirectiveSpec,
}

impl Default for EnableTypeDirective {
    fn default() -> Self {
        EnableTypeDirective {
            api_version: CORE_API_VERSION.to_string(),
            kind: "EnableTypeDirective".to_string(),
            metadata: ObjectMeta::default(),
            spec: EnableTypeDirectiveSpec::default(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnableTypeDirectiveSpec {
    /// Restricts target lookup to this API version; empty = the server's preferred one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub federated_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub federated_version: Option<String>,
}

impl EnableTypeDirective {
    /// A directive for `target` (e.g. `deployments.apps`) with every spec field defaulted.
    pub fn for_target(target: &str) -> Self {
        let mut d = EnableTypeDirective::default();
        d.metadata.name = Some(target.to_string());
        d.fill_defaults();
        d
    }

    /// KubeFed's defaults: group `types.kubefed.io`, version `v1beta1`; targetVersion stays open.
    pub fn fill_defaults(&mut self) {
        if self
            .spec
            .federated_group
            .as_deref()
            .unwrap_or("")
            .is_empty()
        {
            self.spec.federated_group = Some(TYPES_GROUP.to_string());
        }
        if self
            .spec
            .federated_version
            .as_deref()
            .unwrap_or("")
            .is_empty()
        {
            self.spec.federated_version = Some(TYPES_VERSION.to_string());
        }
    }

    pub fn target_name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or("")
    }

    pub fn target_version(&self) -> Option<&str> {
        self.spec
            .target_version
            .as_deref()
            .filter(|v| !v.is_empty())
    }

    pub fn federated_group(&self) -> &str {
        self.spec
            .federated_group
            .as_deref()
            .filter(|g| !g.is_empty())
            .unwrap_or(TYPES_GROUP)
    }

    pub fn federated_version(&self) -> &str {
        self.spec
            .federated_version
            .as_deref()
            .filter(|v| !v.is_empty())
            .unwrap_or(TYPES_VERSION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubefedctl_apimachinery::validation::{join_errors, ErrorType};

    fn defaulted() -> KubeFedConfig {
        KubeFedConfig::with_defaults(SCOPE_CLUSTER, DEFAULT_KUBEFED_NAMESPACE)
    }

    #[test]
    fn kubefedconfig_defaults_match_kubefed_webhook() {
        let value = serde_json::to_value(defaulted()).unwrap();
        assert_eq!(
            value,
            json!({
                "apiVersion": "core.kubefed.io/v1beta1",
                "kind": "KubeFedConfig",
                "metadata": {"name": "kubefed", "namespace": "kube-federation-system"},
                "spec": {
                    "scope": "Cluster",
                    "controllerDuration": {"availableDelay": "20s", "unavailableDelay": "1m0s", "cacheSyncTimeout": "5m0s"},
                    "leaderElect": {"leaseDuration": "15s", "renewDeadline": "10s", "retryPeriod": "5s", "resourceLock": "configmaps"},
                    "featureGates": [
                        {"name": "PushReconciler", "configuration": "Enabled"},
                        {"name": "RawResourceStatusCollection", "configuration": "Disabled"},
                        {"name": "SchedulerPreferences", "configuration": "Enabled"}
                    ],
                    "clusterHealthCheck": {"period": "10s", "failureThreshold": 3, "successThreshold": 1, "timeout": "3s"},
                    "syncController": {"maxConcurrentReconciles": 1, "adoptResources": "Enabled"},
                    "statusController": {"maxConcurrentReconciles": 1}
                }
            })
        );
    }

    #[test]
    fn kubefedconfig_defaults_keep_user_values_and_sort_appended_gates() {
        let mut config: KubeFedConfig = serde_json::from_value(json!({
            "apiVersion": "core.kubefed.io/v1beta1",
            "kind": "KubeFedConfig",
            "metadata": {"name": "kubefed"},
            "spec": {
                "scope": "Namespaced",
                "leaderElect": {"leaseDuration": "1500ms", "renewDeadline": "1000ms", "retryPeriod": "500ms"},
                "featureGates": [{"name": "SchedulerPreferences", "configuration": "Disabled"}],
                "syncController": {"adoptResources": "Disabled"}
            }
        }))
        .unwrap();
        config.fill_defaults();
        let le = config.spec.leader_elect.as_ref().unwrap();
        assert_eq!(le.lease_duration.as_deref(), Some("1500ms"));
        assert_eq!(le.resource_lock.as_deref(), Some("configmaps"));
        let gates: Vec<(&str, &str)> = config
            .spec
            .feature_gates
            .as_ref()
            .unwrap()
            .iter()
            .map(|g| (g.name.as_str(), g.configuration.as_str()))
            .collect();
        assert_eq!(
            gates,
            vec![
                ("PushReconciler", "Enabled"),
                ("RawResourceStatusCollection", "Disabled"),
                ("SchedulerPreferences", "Disabled"),
            ]
        );
        assert!(!config.adopt_resources());
        assert!(!config.feature_enabled(FEATURE_SCHEDULER_PREFERENCES));
        assert!(config.feature_enabled(FEATURE_PUSH_RECONCILER));
        assert_eq!(
            config
                .spec
                .sync_controller
                .as_ref()
                .unwrap()
                .max_concurrent_reconciles,
            Some(1)
        );
        assert!(config.validate().is_empty(), "{:?}", config.validate());
    }

    #[test]
    fn defaulted_kubefedconfig_is_valid() {
        assert_eq!(defaulted().validate(), vec![]);
    }

    #[test]
    fn kubefedconfig_without_scope_is_required() {
        let mut c = defaulted();
        c.spec.scope = String::new();
        assert_eq!(join_errors(&c.validate()), "spec.scope: Required value");
    }

    #[test]
    fn kubefedconfig_rejects_unknown_scope() {
        let mut c = defaulted();
        c.spec.scope = "Global".into();
        assert_eq!(
            join_errors(&c.validate()),
            "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\""
        );
    }

    #[test]
    fn kubefedconfig_missing_blocks_are_required_before_defaulting() {
        let c = KubeFedConfig::new(
            "kubefed",
            "ns",
            KubeFedConfigSpec {
                scope: "Cluster".into(),
                ..Default::default()
            },
        );
        let fields: Vec<String> = c.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "spec.controllerDuration",
                "spec.leaderElect",
                "spec.featureGates",
                "spec.clusterHealthCheck",
                "spec.syncController",
                "spec.statusController"
            ]
        );
    }

    #[test]
    fn kubefedconfig_requires_positive_durations_and_counts() {
        let mut c = defaulted();
        c.spec.cluster_health_check.as_mut().unwrap().period = Some("0s".into());
        c.spec
            .sync_controller
            .as_mut()
            .unwrap()
            .max_concurrent_reconciles = Some(0);
        assert_eq!(
            join_errors(&c.validate()),
            "[spec.clusterHealthCheck.period: Invalid value: \"0s\": should be greater than 0, \
             spec.syncController.maxConcurrentReconciles: Invalid value: 0: should be greater than 0]"
        );
    }

    #[test]
    fn kubefedconfig_rejects_unparseable_duration() {
        let mut c = defaulted();
        c.spec.controller_duration.as_mut().unwrap().available_delay = Some("soon".into());
        let errs = c.validate();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "spec.controllerDuration.availableDelay");
        assert_eq!(errs[0].kind, ErrorType::Invalid);
    }

    #[test]
    fn lease_duration_must_exceed_renew_deadline() {
        let mut c = defaulted();
        c.spec.leader_elect.as_mut().unwrap().lease_duration = Some("10s".into());
        assert_eq!(
            join_errors(&c.validate()),
            "spec.leaderElect.leaseDuration: Invalid value: \"10s\": leaseDuration must be greater than renewDeadline"
        );
    }

    #[test]
    fn renew_deadline_must_exceed_jittered_retry_period() {
        let mut c = defaulted();
        let le = c.spec.leader_elect.as_mut().unwrap();
        le.retry_period = Some("9s".into());
        assert_eq!(
            join_errors(&c.validate()),
            "spec.leaderElect.renewDeadline: Invalid value: \"10s\": renewDeadline must be greater than retryPeriod*JitterFactor(1.2)"
        );
    }

    #[test]
    fn duplicate_and_unknown_feature_gates_are_rejected() {
        let mut c = defaulted();
        let gates = c.spec.feature_gates.as_mut().unwrap();
        gates.push(FeatureGate {
            name: "PushReconciler".into(),
            configuration: "Enabled".into(),
        });
        gates.push(FeatureGate {
            name: "FederatedIngress".into(),
            configuration: "On".into(),
        });
        let errs = c.validate();
        assert_eq!(errs[0].kind, ErrorType::Duplicate);
        assert_eq!(errs[0].field, "spec.featureGates.name");
        assert_eq!(errs[1].kind, ErrorType::NotSupported);
        assert_eq!(errs[2].field, "spec.featureGates.configuration");
        assert_eq!(errs.len(), 3);
    }

    #[test]
    fn scope_change_is_rejected_on_update() {
        let old = defaulted();
        let mut new = defaulted();
        new.spec.scope = SCOPE_NAMESPACED.into();
        assert_eq!(
            join_errors(&new.validate_update(&old)),
            "spec.scope: Invalid value: \"Namespaced\": field is immutable"
        );
    }

    #[test]
    fn kubefedcluster_round_trips_wire_json() {
        let wire = json!({
            "apiVersion": "core.kubefed.io/v1beta1",
            "kind": "KubeFedCluster",
            "metadata": {"name": "cluster1", "namespace": "kube-federation-system", "labels": {"region": "eu"}},
            "spec": {
                "apiEndpoint": "https://10.0.0.1:6443",
                "caBundle": "LS0tLS1CRUdJTg==",
                "secretRef": {"name": "cluster1-x7k2p"},
                "disabledTLSValidations": ["SubjectName"]
            },
            "status": {
                "conditions": [{
                    "type": "Ready", "status": "True",
                    "lastProbeTime": "2024-01-01T00:00:00Z", "lastTransitionTime": "2024-01-01T00:00:00Z",
                    "reason": "ClusterReady", "message": "/healthz responded with ok"
                }],
                "kubernetesVersion": "v1.33.0"
            }
        });
        let cluster: KubeFedCluster = serde_json::from_value(wire.clone()).unwrap();
        assert!(cluster.is_ready());
        assert_eq!(serde_json::to_value(&cluster).unwrap(), wire);
    }

    #[test]
    fn kubefedcluster_reads_empty_proxy_url_as_no_proxy() {
        let cluster: KubeFedCluster = serde_json::from_value(json!({
            "spec": {"apiEndpoint": "https://h", "secretRef": {"name": "s"}, "proxyURL": ""}
        }))
        .unwrap();
        assert_eq!(cluster.spec.proxy(), None);
        assert!(!cluster.is_ready());
        assert_eq!(cluster.api_version, "core.kubefed.io/v1beta1");
        assert_eq!(cluster.kind, "KubeFedCluster");
    }

    #[test]
    fn kubefedcluster_status_always_serialises_conditions() {
        let mut c = KubeFedCluster::new("c1", "ns", KubeFedClusterSpec::default());
        c.status = Some(KubeFedClusterStatus::default());
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["status"], json!({"conditions": []}));
    }

    #[test]
    fn kubefedcluster_validation_checks_endpoint_secret_and_tls() {
        let mut c = KubeFedCluster::new("c1", "ns", KubeFedClusterSpec::default());
        c.spec.api_endpoint = "ftp://host:99999".into();
        c.spec.secret_ref.name = "Bad_Name".into();
        c.spec.disabled_tls_validations = vec!["*".into(), "Everything".into()];
        let fields: Vec<(String, ErrorType)> = c
            .validate()
            .into_iter()
            .map(|e| (e.field, e.kind))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("spec.apiEndpoint".to_string(), ErrorType::NotSupported),
                ("spec.apiEndpoint".to_string(), ErrorType::Invalid),
                ("spec.secretRef.name".to_string(), ErrorType::Invalid),
                (
                    "spec.disabledTLSValidations".to_string(),
                    ErrorType::NotSupported
                ),
                (
                    "spec.disabledTLSValidations".to_string(),
                    ErrorType::Invalid
                ),
            ]
        );
    }

    #[test]
    fn kubefedcluster_accepts_host_port_and_ipv6_endpoints() {
        for ep in [
            "10.0.0.1:6443",
            "https://[::1]:6443",
            "http://example.com",
            "example.com",
        ] {
            let mut c = KubeFedCluster::new("c1", "ns", KubeFedClusterSpec::default());
            c.spec.api_endpoint = ep.into();
            c.spec.secret_ref.name = "s".into();
            assert_eq!(c.validate(), vec![], "{ep}");
        }
    }

    fn ftc(name: &str) -> FederatedTypeConfig {
        FederatedTypeConfig::new(
            name,
            "ns",
            FederatedTypeConfigSpec {
                target_type: ApiResource {
                    group: "apps".into(),
                    version: "v1".into(),
                    kind: "Deployment".into(),
                    plural_name: "deployments".into(),
                    scope: "Namespaced".into(),
                },
                propagation: "Enabled".into(),
                federated_type: ApiResource {
                    group: "types.kubefed.io".into(),
                    version: "v1beta1".into(),
                    kind: "FederatedDeployment".into(),
                    plural_name: "federateddeployments".into(),
                    scope: "Namespaced".into(),
                },
                status_type: None,
                status_collection: None,
            },
        )
    }

    #[test]
    fn ftc_name_must_be_group_qualified_target_plural() {
        assert_eq!(ftc("deployments.apps").validate(), vec![]);
        assert_eq!(
            join_errors(&ftc("deployments").validate()),
            "name: Invalid value: \"deployments\": name must be 'TARGET_PLURAL_NAME(.TARGET_GROUP_NAME)'"
        );
    }

    #[test]
    fn ftc_federated_group_needs_a_dot() {
        let mut f = ftc("deployments.apps");
        f.spec.federated_type.group = "types".into();
        assert_eq!(
            join_errors(&f.validate()),
            "spec.federatedType.group: Invalid value: \"types\": should be a domain with at least one dot"
        );
    }

    #[test]
    fn ftc_rejects_bad_propagation_and_kind() {
        let mut f = ftc("deployments.apps");
        f.spec.propagation = "Maybe".into();
        f.spec.target_type.kind = "Deploy_ment".into();
        let fields: Vec<String> = f.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["spec.targetType.kind", "spec.propagation"]);
    }

    #[test]
    fn ftc_serialises_core_group_without_group_key() {
        let r = ApiResource {
            group: String::new(),
            version: "v1".into(),
            kind: "ConfigMap".into(),
            plural_name: "configmaps".into(),
            scope: "Namespaced".into(),
        };
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"version": "v1", "kind": "ConfigMap", "pluralName": "configmaps", "scope": "Namespaced"})
        );
        assert_eq!(r.api_version(), "v1");
        assert_eq!(FederatedTypeConfig::name_for(&r), "configmaps");
    }

    #[test]
    fn ftc_defaults_target_from_name_and_plurals_from_kinds() {
        let mut f: FederatedTypeConfig = serde_json::from_value(json!({
            "metadata": {"name": "ingresses.networking.k8s.io"},
            "spec": {
                "targetType": {"version": "v1", "kind": "Ingress", "scope": "Namespaced"},
                "propagation": "Enabled",
                "federatedType": {"group": "types.kubefed.io", "version": "v1beta1", "kind": "FederatedIngress", "scope": "Namespaced"},
                "statusType": {"kind": "FederatedIngressStatus", "scope": "Namespaced"}
            }
        }))
        .unwrap();
        f.fill_defaults();
        assert_eq!(f.spec.target_type.plural_name, "ingresses");
        assert_eq!(f.spec.target_type.group, "networking.k8s.io");
        assert_eq!(f.spec.federated_type.plural_name, "federatedingresses");
        let st = f.spec.status_type.as_ref().unwrap();
        assert_eq!(st.plural_name, "federatedingressstatuses");
        assert_eq!(st.group, "types.kubefed.io");
        assert_eq!(st.version, "v1beta1");
        assert_eq!(f.validate(), vec![]);
    }

    #[test]
    fn ftc_pluralisation_follows_english_rules() {
        assert_eq!(pluralize_kind("Policy"), "policies");
        assert_eq!(pluralize_kind("Gateway"), "gateways");
        assert_eq!(pluralize_kind("Box"), "boxes");
        assert_eq!(pluralize_kind("Match"), "matches");
        assert_eq!(pluralize_kind("Service"), "services");
    }

    #[test]
    fn rsp_serialises_intersect_flag_even_when_false() {
        let mut spec = ReplicaSchedulingPreferenceSpec {
            target_kind: "FederatedDeployment".into(),
            total_replicas: 9,
            ..Default::default()
        };
        spec.clusters.insert(
            "*".into(),
            ClusterPreferences {
                weight: 1,
                ..Default::default()
            },
        );
        let rsp = ReplicaSchedulingPreference::new("web", "prod", spec);
        let v = serde_json::to_value(&rsp).unwrap();
        assert_eq!(v["apiVersion"], "scheduling.kubefed.io/v1alpha1");
        assert_eq!(
            v["spec"],
            json!({"targetKind": "FederatedDeployment", "totalReplicas": 9,
                   "intersectWithClusterSelector": false,
                   "clusters": {"*": {"minReplicas": 0, "weight": 1}}})
        );
    }

    #[test]
    fn rsp_reads_unbounded_max_as_none() {
        let rsp: ReplicaSchedulingPreference = serde_json::from_value(json!({
            "spec": {"targetKind": "FederatedReplicaSet", "totalReplicas": 50, "rebalance": true,
                     "clusters": {"C": {"maxReplicas": 20}, "A": {"weight": 2}}}
        }))
        .unwrap();
        assert!(rsp.spec.rebalance);
        assert_eq!(rsp.spec.clusters["C"].max_replicas, Some(20));
        assert_eq!(rsp.spec.clusters["A"].max_replicas, None);
        assert_eq!(rsp.spec.clusters["A"].weight, 2);
    }

    #[test]
    fn enable_type_directive_defaults_group_and_version() {
        let d: EnableTypeDirective = serde_yaml::from_str(
            "apiVersion: core.kubefed.io/v1beta1\nkind: EnableTypeDirective\nmetadata:\n  name: deployments.apps\nspec:\n  targetVersion: v1\n",
        )
        .unwrap();
        assert_eq!(d.target_name(), "deployments.apps");
        assert_eq!(d.target_version(), Some("v1"));
        assert_eq!(d.federated_group(), "types.kubefed.io");
        assert_eq!(d.federated_version(), "v1beta1");
        let filled = EnableTypeDirective::for_target("secrets");
        assert_eq!(
            filled.spec.federated_group.as_deref(),
            Some("types.kubefed.io")
        );
        assert_eq!(filled.spec.target_version, None);
    }

    #[test]
    fn kube_resource_metadata_points_at_kubefed_groups() {
        use kube::Resource;
        assert_eq!(KubeFedCluster::plural(&()), "kubefedclusters");
        assert_eq!(
            FederatedTypeConfig::api_version(&()),
            "core.kubefed.io/v1beta1"
        );
        let ar = ReplicaSchedulingPreference::api_resource();
        assert_eq!(ar.group, "scheduling.kubefed.io");
        assert_eq!(ar.plural, "replicaschedulingpreferences");
        assert_eq!(KubeFedConfig::PLURAL, "kubefedconfigs");
    }
}
