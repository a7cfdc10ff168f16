//! Member clusters as the engine reaches them: one API client per KubeFedCluster, built only from the
//! credentials stored in the host (apiEndpoint, caBundle, disabledTLSValidations, proxyURL and the Secret's
//! `token`), the `/healthz` + `/version` probe, and the KubeFedCluster status write that records it.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context as _;
use base64::Engine as _;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, DynamicObject, ListParams, Patch, PatchParams};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::health::{self, ProbeResult};
use crate::kubefed::types::{KubeFedCluster, TLS_VALIDATION_ALL};

pub use super::error::MalformedConfig;

/// A registered member cluster and the client built from its stored credentials.
#[derive(Clone)]
pub struct Member {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// `spec.apiEndpoint` as stored.
    pub endpoint: String,
    /// The KubeFedCluster object as read from the host.
    pub object: Value,
    /// The client, or why none could be built (the cluster's configuration is malformed).
    pub client: Result<kube::Client, MalformedConfig>,
}

impl std::fmt::Debug for Member {
    // The client holds the member's token; only names are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Member")
            .field("name", &self.name)
            .field("endpoint", &self.endpoint)
            .field("client", &self.client.as_ref().map(|_| "<client>"))
            .finish()
    }
}

/// `apiEndpoint` as a URL: client-go accepts `host`, `host:port` and IPs without a scheme, meaning https.
pub fn endpoint_url(endpoint: &str) -> String {
    let trimmed = endpoint.trim();
    if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("https://{trimmed}")
    }
}

/// The kubeconfig (as JSON) that reaches a member with its stored credentials: the same rules client-go
/// applies to a KubeFedCluster (`*` in disabledTLSValidations skips verification; the CA bundle is trusted
/// otherwise). Kept in memory only; it holds the token.
pub fn member_kubeconfig(spec: &Value, token: &str) -> Result<Value, MalformedConfig> {
    let endpoint = spec
        .get("apiEndpoint")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or(MalformedConfig::NoEndpoint)?;
    let url = endpoint_url(endpoint);
    url.parse::<http::Uri>()
        .map_err(|e| MalformedConfig::BadEndpoint {
            endpoint: endpoint.to_string(),
            error: e.to_string(),
        })?;
    let mut cluster = Map::new();
    cluster.insert("server".into(), json!(url));
    let skip_tls = spec
        .get("disabledTLSValidations")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(TLS_VALIDATION_ALL)));
    if skip_tls {
        cluster.insert("insecure-skip-tls-verify".into(), json!(true));
    } else if let Some(ca) = spec
        .get("caBundle")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        let pem = base64::engine::general_purpose::STANDARD
            .decode(ca.trim())
            .map_err(|e| MalformedConfig::CaNotBase64(e.to_string()))?;
        check_ca_bundle(&pem)?;
        cluster.insert("certificate-authority-data".into(), json!(ca.trim()));
    }
    if let Some(proxy) = spec
        .get("proxyURL")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        cluster.insert("proxy-url".into(), json!(proxy));
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "member", "cluster": cluster}],
        "users": [{"name": "member", "user": {"token": token}}],
        "contexts": [{"name": "member", "context": {"cluster": "member", "user": "member"}}],
        "current-context": "member",
    }))
}

/// A CA bundle the client could not trust anything with is a malformed configuration (as KubeFed reports
/// it), not an unreachable cluster: it must hold PEM certificates, each one usable as a trust anchor.
pub fn check_ca_bundle(pem: &[u8]) -> Result<(), MalformedConfig> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let mut roots = rustls::RootCertStore::empty();
    let mut found = 0;
    for (i, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let cert = cert.map_err(|e| MalformedConfig::CaUnreadable {
            block: i + 1,
            error: e.to_string(),
        })?;
        roots.add(cert).map_err(|e| MalformedConfig::CaInvalid {
            certificate: i + 1,
            error: e.to_string(),
        })?;
        found += 1;
    }
    if found == 0 {
        return Err(MalformedConfig::CaEmpty);
    }
    Ok(())
}

async fn build_client(
    spec: &Value,
    token: &str,
    request_timeout: Duration,
    deadline: Option<tokio::time::Instant>,
) -> Result<kube::Client, MalformedConfig> {
    let raw = member_kubeconfig(spec, token)?;
    let kc = kube::config::Kubeconfig::from_yaml(&raw.to_string())
        .map_err(|e| MalformedConfig::KubeconfigUnreadable(e.to_string()))?;
    crate::kubeconfig::install_crypto_provider();
    let mut config =
        kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
            .await
            .map_err(|e| MalformedConfig::KubeconfigUnusable(e.to_string()))?;
    // An unreachable member must fail fast so the others are not held up.
    config.connect_timeout = Some(Duration::from_secs(5));
    // A member that accepts connections but never answers must not hold the pass either.
    let builder = kube::client::ClientBuilder::try_from(config)
        .map_err(|e| MalformedConfig::ClientUnbuildable(e.to_string()))?;
    Ok(builder
        .with_layer(
            &super::timeout::RequestTimeoutLayer::new(request_timeout).with_deadline(deadline),
        )
        .build())
}

/// Clients kept across passes (`reconcile --watch`) and rebuilt only when what they are built from changes.
pub struct ClientCache {
    clients: Mutex<HashMap<String, ([u8; 32], kube::Client)>>,
    /// How long a member request may wait for its response (watches excepted).
    pub request_timeout: Duration,
    /// `reconcile --once --timeout`: when every member request must be over.
    pub deadline: Option<tokio::time::Instant>,
}

impl Default for ClientCache {
    fn default() -> Self {
        ClientCache {
            clients: Mutex::default(),
            request_timeout: super::timeout::DEFAULT_REQUEST_TIMEOUT,
            deadline: None,
        }
    }
}

impl ClientCache {
    pub fn new() -> Self {
        Self::default()
    }

    async fn get(
        &self,
        name: &str,
        spec: &Value,
        token: &str,
    ) -> Result<kube::Client, MalformedConfig> {
        let mut h = Sha256::new();
        h.update(spec.to_string().as_bytes());
        h.update([0]);
        h.update(token.as_bytes());
        let fingerprint: [u8; 32] = h.finalize().into();
        if let Some((fp, client)) = self.clients.lock().unwrap().get(name) {
            if *fp == fingerprint {
                return Ok(client.clone());
            }
        }
        let client = build_client(spec, token, self.request_timeout, self.deadline).await?;
        self.clients
            .lock()
            .unwrap()
            .insert(name.to_string(), (fingerprint, client.clone()));
        Ok(client)
    }
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// The KubeFedClusters of the control plane, sorted by name.
pub async fn list_kubefed_clusters(host: &kube::Client, ns: &str) -> anyhow::Result<Vec<Value>> {
    let api: Api<DynamicObject> =
        Api::namespaced_with(host.clone(), ns, &KubeFedCluster::api_resource());
    let list = api
        .list(&ListParams::default())
        .await
        .with_context(|| format!("cannot list KubeFedClusters in namespace {ns:?} of the host"))?;
    let mut items: Vec<Value> = list
        .items
        .into_iter()
        .map(|o| serde_json::to_value(o).expect("objects serialise"))
        .collect();
    items.sort_by(|a, b| name_of(a).cmp(name_of(b)));
    Ok(items)
}

fn name_of(v: &Value) -> &str {
    v.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Reads the token of a KubeFedCluster's `spec.secretRef` from the host. Errors say what is missing and never
/// contain the token.
async fn stored_token(
    host: &kube::Client,
    ns: &str,
    kfc: &Value,
) -> Result<String, MalformedConfig> {
    let secret_name = kfc
        .pointer("/spec/secretRef/name")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or(MalformedConfig::NoSecretRef)?;
    let (namespace, name) = (ns.to_string(), secret_name.to_string());
    let secrets: Api<Secret> = Api::namespaced(host.clone(), ns);
    let secret = match secrets.get_opt(secret_name).await {
        Ok(Some(s)) => s,
        Ok(None) => return Err(MalformedConfig::SecretNotFound { namespace, name }),
        Err(e) => {
            return Err(MalformedConfig::SecretUnreadable {
                namespace,
                name,
                error: e.to_string(),
            })
        }
    };
    let token = secret
        .data
        .as_ref()
        .and_then(|d| d.get("token"))
        .map(|b| String::from_utf8_lossy(&b.0).trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or(MalformedConfig::NoToken { namespace, name })?;
    Ok(token)
}

/// Every KubeFedCluster of the control plane with a client built from its stored credentials.
pub async fn load_members(
    host: &kube::Client,
    ns: &str,
    cache: &ClientCache,
) -> anyhow::Result<Vec<Member>> {
    let objects = list_kubefed_clusters(host, ns).await?;
    Ok(members_of(host, ns, objects, cache).await)
}

/// A member, with a client built from its stored credentials, for each KubeFedCluster object (listed, or
/// from a watch cache).
pub async fn members_of(
    host: &kube::Client,
    ns: &str,
    objects: Vec<Value>,
    cache: &ClientCache,
) -> Vec<Member> {
    let mut members = Vec::with_capacity(objects.len());
    for object in objects {
        let name = name_of(&object).to_string();
        let spec = object.get("spec").cloned().unwrap_or(json!({}));
        let client = match stored_token(host, ns, &object).await {
            Ok(token) => cache.get(&name, &spec, &token).await,
            Err(e) => Err(e),
        };
        members.push(Member {
            labels: string_map(object.pointer("/metadata/labels")),
            endpoint: spec
                .get("apiEndpoint")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            name,
            object,
            client,
        });
    }
    members
}

/// Probes a member with its own credentials: `/healthz` (then `/version` when healthy), within `timeout`.
pub async fn probe(member: &Member, timeout: Duration) -> ProbeResult {
    let client = match &member.client {
        Ok(c) => c,
        Err(e) => return ProbeResult::ConfigMalformed(e.clone()),
    };
    let healthz = async {
        let req = http::Request::get("/healthz")
            .body(Vec::new())
            .expect("static request");
        client.request_text(req).await
    };
    match tokio::time::timeout(timeout, healthz).await {
        Err(_) => ProbeResult::Unreachable(format!(
            "no answer from {} within {}s",
            member.endpoint,
            timeout.as_secs_f64()
        )),
        // The server refused the stored credentials: as KubeFed, the cluster is offline (its client
        // failed), and the message says why and what to do.
        Ok(Err(kube::Error::Api(s))) if s.code == 401 || s.code == 403 => {
            ProbeResult::Unreachable(credentials_rejected(&s))
        }
        // The server answered, just not with success.
        Ok(Err(kube::Error::Api(_))) => ProbeResult::NotOk,
        Ok(Err(e)) => ProbeResult::Unreachable(transport_error_text(&e)),
        Ok(Ok(body)) if body.trim().eq_ignore_ascii_case("ok") => {
            let git_version = tokio::time::timeout(timeout, client.apiserver_version())
                .await
                .ok()
                .and_then(Result::ok)
                .map(|i| i.git_version);
            ProbeResult::Ok { git_version }
        }
        Ok(Ok(_)) => ProbeResult::NotOk,
    }
}

/// A failed request's text with its causes, the TLS ones said plainly: `client error (Connect)` alone
/// does not tell a wrong CA from a closed port.
pub fn transport_error_text(e: &kube::Error) -> String {
    let chain = crate::error::source_chain_text(e);
    let tls = [
        (
            "UnknownIssuer",
            "TLS: the member's serving certificate is not signed by the CA in spec.caBundle (replace \
             the CA bundle, or join the cluster again)",
        ),
        (
            "NotValidForName",
            "TLS: the member's serving certificate is not valid for the host in spec.apiEndpoint",
        ),
        (
            "Expired",
            "TLS: the member's serving certificate has expired (or is not valid yet)",
        ),
        (
            "BadSignature",
            "TLS: the member's serving certificate has a bad signature",
        ),
    ];
    match tls.iter().find(|(marker, _)| chain.contains(marker)) {
        Some((_, plain)) => format!("{plain}: {chain}"),
        None => chain,
    }
}

/// Why a member refused the probe with 401/403.
fn credentials_rejected(status: &kube::core::Status) -> String {
    let what = if status.code == 401 {
        "credentials rejected (401 Unauthorized): the token stored for this cluster is no longer valid"
    } else {
        "credentials rejected (403 Forbidden): the stored ServiceAccount may not GET /healthz"
    };
    format!("{what}; join the cluster again to renew them")
}

/// A status without `lastProbeTime`, so that a probe that only confirms the published state is not a change.
fn without_probe_times(status: &Value) -> Value {
    let mut s = status.clone();
    if let Some(conds) = s.get_mut("conditions").and_then(Value::as_array_mut) {
        for c in conds {
            if let Some(o) = c.as_object_mut() {
                o.remove("lastProbeTime");
            }
        }
    }
    s
}

/// Whether `new` says something `old` does not. A refreshed `lastProbeTime` alone is not worth a write:
/// a converged pass sends no write request.
pub fn cluster_status_changed(old: Option<&Value>, new: &Value) -> bool {
    match old {
        None => true,
        Some(old) => without_probe_times(old) != without_probe_times(new),
    }
}

/// A merge patch turning `old` status into `new`: changed keys set, keys gone from `new` nulled.
pub fn status_merge_patch(old: Option<&Value>, new: &Value) -> Value {
    let mut status = new.as_object().cloned().unwrap_or_default();
    if let Some(old) = old.and_then(Value::as_object) {
        for k in old.keys() {
            if !status.contains_key(k) {
                status.insert(k.clone(), Value::Null);
            }
        }
    }
    json!({ "status": status })
}

/// Writes a KubeFedCluster's status through its status subresource when it changed; returns whether it wrote.
pub async fn write_cluster_status(
    host: &kube::Client,
    ns: &str,
    member: &Member,
    new: &Value,
    dry_run: bool,
) -> anyhow::Result<bool> {
    let old = member.object.get("status").filter(|s| !s.is_null());
    if !cluster_status_changed(old, new) || dry_run {
        return Ok(false);
    }
    let api: Api<DynamicObject> =
        Api::namespaced_with(host.clone(), ns, &KubeFedCluster::api_resource());
    api.patch_status(
        &member.name,
        &PatchParams::default(),
        &Patch::Merge(status_merge_patch(old, new)),
    )
    .await
    .with_context(|| {
        format!(
            "cannot record the health of cluster {:?} on KubeFedCluster {ns}/{}",
            member.name, member.name
        )
    })?;
    Ok(true)
}

/// What a health check found for one member.
#[derive(Debug, Clone)]
pub struct Health {
    pub name: String,
    pub result: ProbeResult,
    /// The status published on the KubeFedCluster (after debouncing, when debounced).
    pub status: Value,
    pub ready: bool,
}

/// `clusterHealthCheck` settings of the KubeFedConfig.
#[derive(Debug, Clone, Copy)]
pub struct HealthSettings {
    pub timeout: Duration,
    pub period: Duration,
    pub thresholds: health::Thresholds,
}

impl Default for HealthSettings {
    fn default() -> Self {
        HealthSettings {
            timeout: Duration::from_secs(3),
            period: Duration::from_secs(10),
            thresholds: health::Thresholds::default(),
        }
    }
}

/// Probes every member in parallel and records the result on its KubeFedCluster (only when it changed).
/// With `debounce` (kept across passes by `--watch`), KubeFed's thresholds hold back a flapping readiness;
/// without it, the probe is published as is. A failed status write is returned with the health, not fatal.
pub async fn check_health(
    host: &kube::Client,
    ns: &str,
    members: &[Member],
    settings: HealthSettings,
    debounce: Option<&Mutex<HashMap<String, health::Debounce>>>,
    dry_run: bool,
) -> Vec<(Health, Option<anyhow::Error>)> {
    let now = super::now_rfc3339();
    let probes = futures::future::join_all(
        members
            .iter()
            .map(|m| async move { (m, probe(m, settings.timeout).await) }),
    )
    .await;
    let mut out = Vec::with_capacity(probes.len());
    for (member, result) in probes {
        let previous = member.object.get("status").filter(|s| !s.is_null());
        let status = match debounce {
            Some(states) => {
                let fresh = health::probe_status(&result, &now);
                let mut states = states.lock().unwrap();
                let state = states.entry(member.name.clone()).or_insert_with(|| {
                    // Resume from what is published so a restart does not flip readiness on one probe.
                    match previous {
                        Some(p) if p.get("conditions").is_some() => {
                            health::Debounce::resume(p.clone(), 1)
                        }
                        _ => health::Debounce::new(),
                    }
                });
                let mut published = state.observe(fresh, settings.thresholds);
                keep_transition_times(previous, &mut published);
                published
            }
            None => health::conditions_for(&result, &now, previous),
        };
        let mut status = status;
        keep_topology(previous, &mut status);
        let ready = health::is_ready(&status);
        let err = write_cluster_status(host, ns, member, &status, dry_run)
            .await
            .err();
        out.push((
            Health {
                name: member.name.clone(),
                result,
                status,
                ready,
            },
            err,
        ));
    }
    out
}

/// Probes say nothing of `zones` and `region`: what the user set there is kept, as KubeFed kept it
/// (multi-cluster DNS names records after them).
fn keep_topology(previous: Option<&Value>, status: &mut Value) {
    let (Some(prev), Some(out)) = (previous, status.as_object_mut()) else {
        return;
    };
    for key in ["zones", "region"] {
        if let Some(v) = prev.get(key).filter(|v| !v.is_null()) {
            out.entry(key).or_insert_with(|| v.clone());
        }
    }
}

/// Debounced statuses carry the transition time of the state they resumed from; keep the published one
/// when readiness did not change so a restart is not a transition.
fn keep_transition_times(previous: Option<&Value>, status: &mut Value) {
    let Some(prev) = previous else { return };
    if health::is_ready(prev) != health::is_ready(status) {
        return;
    }
    let Some(t) = prev.pointer("/conditions/0/lastTransitionTime").cloned() else {
        return;
    };
    if let Some(conds) = status.get_mut("conditions").and_then(Value::as_array_mut) {
        for c in conds {
            if let Some(o) = c.as_object_mut() {
                o.insert("lastTransitionTime".into(), t.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_bundle_must_hold_usable_certificates() {
        let e = check_ca_bundle(b"not a cert").unwrap_err();
        assert_eq!(e, MalformedConfig::CaEmpty);
        assert!(e.to_string().contains("holds no PEM certificate"), "{e}");
        let e = check_ca_bundle(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
            .unwrap_err();
        assert!(
            matches!(e, MalformedConfig::CaInvalid { certificate: 1, .. }),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .contains("certificate 1 is not a valid CA certificate"),
            "{e}"
        );
        let ca = rcgen::CertificateParams::new(Vec::<String>::new())
            .unwrap()
            .self_signed(&rcgen::KeyPair::generate().unwrap())
            .unwrap();
        check_ca_bundle(ca.pem().as_bytes()).unwrap();
    }

    #[test]
    fn endpoint_without_scheme_means_https() {
        assert_eq!(endpoint_url("10.0.0.1:6443"), "https://10.0.0.1:6443");
        assert_eq!(endpoint_url("http://h:80"), "http://h:80");
    }

    #[test]
    fn kubeconfig_trusts_the_ca_bundle_and_carries_the_token() {
        use base64::Engine as _;
        let ca = rcgen::CertificateParams::new(Vec::<String>::new())
            .unwrap()
            .self_signed(&rcgen::KeyPair::generate().unwrap())
            .unwrap();
        let bundle = base64::engine::general_purpose::STANDARD.encode(ca.pem());
        let spec = json!({"apiEndpoint": "https://h:6443", "caBundle": bundle, "secretRef": {"name": "s"}});
        let kc = member_kubeconfig(&spec, "tok").unwrap();
        assert_eq!(kc["clusters"][0]["cluster"]["server"], "https://h:6443");
        assert_eq!(
            kc["clusters"][0]["cluster"]["certificate-authority-data"],
            bundle.as_str()
        );
        assert!(kc["clusters"][0]["cluster"]
            .get("insecure-skip-tls-verify")
            .is_none());
        assert_eq!(kc["users"][0]["user"]["token"], "tok");
    }

    #[test]
    fn star_in_disabled_tls_validations_skips_verification() {
        let spec = json!({"apiEndpoint": "h", "caBundle": "Zm9v", "disabledTLSValidations": ["*"]});
        let kc = member_kubeconfig(&spec, "t").unwrap();
        assert_eq!(
            kc["clusters"][0]["cluster"]["insecure-skip-tls-verify"],
            true
        );
        assert!(kc["clusters"][0]["cluster"]
            .get("certificate-authority-data")
            .is_none());
    }

    #[test]
    fn proxy_url_is_passed_on_and_empty_proxy_is_none() {
        let spec = json!({"apiEndpoint": "h", "proxyURL": "http://p:3128"});
        let kc = member_kubeconfig(&spec, "t").unwrap();
        assert_eq!(kc["clusters"][0]["cluster"]["proxy-url"], "http://p:3128");
        let spec = json!({"apiEndpoint": "h", "proxyURL": ""});
        let kc = member_kubeconfig(&spec, "t").unwrap();
        assert!(kc["clusters"][0]["cluster"].get("proxy-url").is_none());
    }

    #[test]
    fn empty_endpoint_or_bad_ca_is_malformed() {
        let err = member_kubeconfig(&json!({"apiEndpoint": ""}), "t").unwrap_err();
        assert_eq!(err, MalformedConfig::NoEndpoint);
        assert_eq!(err.to_string(), "spec.apiEndpoint is empty");
        let err =
            member_kubeconfig(&json!({"apiEndpoint": "h", "caBundle": "%%%"}), "t").unwrap_err();
        assert!(matches!(err, MalformedConfig::CaNotBase64(_)), "{err:?}");
        assert!(
            err.to_string()
                .starts_with("spec.caBundle is not valid base64: "),
            "{err}"
        );
    }

    #[test]
    fn refreshed_probe_time_alone_is_not_a_change() {
        let old = json!({"conditions": [{"type": "Ready", "status": "True", "lastProbeTime": "a", "lastTransitionTime": "t"}], "kubernetesVersion": "v1"});
        let mut new = old.clone();
        new["conditions"][0]["lastProbeTime"] = json!("b");
        assert!(!cluster_status_changed(Some(&old), &new));
        new["kubernetesVersion"] = json!("v2");
        assert!(cluster_status_changed(Some(&old), &new));
        assert!(cluster_status_changed(None, &new));
    }

    #[test]
    fn status_patch_nulls_keys_that_disappeared() {
        let old = json!({"conditions": [], "kubernetesVersion": "v1"});
        let new = json!({"conditions": [{"type": "Offline"}]});
        assert_eq!(
            status_merge_patch(Some(&old), &new),
            json!({"status": {"conditions": [{"type": "Offline"}], "kubernetesVersion": null}})
        );
    }

    #[test]
    fn resumed_debounce_keeps_the_published_transition_time() {
        let prev = json!({"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "old"}]});
        let mut st = json!({"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "new"}]});
        keep_transition_times(Some(&prev), &mut st);
        assert_eq!(st["conditions"][0]["lastTransitionTime"], "old");
        let mut offline = json!({"conditions": [{"type": "Offline", "status": "True", "lastTransitionTime": "new"}]});
        keep_transition_times(Some(&prev), &mut offline);
        assert_eq!(offline["conditions"][0]["lastTransitionTime"], "new");
    }
}
