//! One full propagation pass (`reconcile --once`, and each pass of `--watch`): read the control plane, probe
//! the members, list each type once per cluster, reconcile every federated object with bounded concurrency,
//! unlabel orphans, and report one record per object × cluster.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context as _;
use futures::StreamExt;
use kube::api::{Api, DynamicObject, ListParams};
use serde::Serialize;
use serde_json::Value;

use super::cache::{list_objects, list_values};
use super::clusters::{self, ClientCache, HealthSettings, Member};
use super::deletions::{ClusterDeletions, DeletionGate, MaxDeletions};
use super::desired::{TargetInfo, MANAGED_LABEL};
use super::error::EngineError;
use super::health::{Debounce, Thresholds};
use super::placement::{self, ClusterInfo, ControlPlaneScope};
use super::reconcile::{
    self, fed_key, is_reserved_namespace, Action, ClusterView, Env, Listing, Listings, ObjectKey,
    Record, TypeInfo,
};
use super::scheduling;
use crate::error;
use crate::kubefed::duration::parse_go_duration;
use crate::kubefed::types::{FederatedTypeConfig, KubeFedConfig};
use crate::kubefed::{
    DEFAULT_KUBEFED_NAMESPACE, FEATURE_RAW_RESOURCE_STATUS_COLLECTION,
    FEATURE_SCHEDULER_PREFERENCES, KUBEFED_CONFIG_NAME,
};

/// What one pass covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    pub kubefed_namespace: String,
    /// `-n`: only federated objects in this namespace (cluster-scoped federated types are skipped).
    pub namespace: Option<String>,
    /// `--type`: only these types (FTC name, target plural or kind, federated kind or plural); empty = all.
    pub types: Vec<String>,
    /// Requests in flight at once to each cluster.
    pub concurrency: usize,
    /// Compute everything, write nothing (host included).
    pub dry_run: bool,
    /// How long one member request may wait for its response (watches excepted).
    pub request_timeout: std::time::Duration,
    /// How many member objects one pass may delete in a cluster before it stops and asks for consent.
    pub max_deletions: MaxDeletions,
    /// Delete adopted member objects (those that existed before they were federated) instead of
    /// releasing them.
    pub delete_adopted: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            kubefed_namespace: DEFAULT_KUBEFED_NAMESPACE.to_string(),
            namespace: None,
            types: Vec::new(),
            concurrency: 8,
            dry_run: false,
            request_timeout: super::timeout::DEFAULT_REQUEST_TIMEOUT,
            max_deletions: MaxDeletions::Default,
            delete_adopted: false,
        }
    }
}

/// Health of one member as the pass saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterSummary {
    pub name: String,
    pub ready: bool,
    /// Why not ready (the probe's condition message), when not ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Counts over a pass.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub objects: usize,
    pub created: usize,
    pub updated: usize,
    pub adopted: usize,
    pub deleted: usize,
    pub unlabelled: usize,
    pub failed: usize,
}

/// The result of a pass: one record per object × cluster (plus object-level records), errors that stopped
/// a whole type or a host write, and totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub records: Vec<Record>,
    pub errors: Vec<String>,
    pub clusters: Vec<ClusterSummary>,
    pub totals: Totals,
    /// Per cluster where the pass deleted (or would delete, or held back) member objects: how many,
    /// against the deletion budget.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deletions: Vec<ClusterDeletions>,
    /// Writes to DNS record statuses and DNSEndpoints (or, in a dry run, that would be sent).
    #[serde(skip_serializing_if = "is_zero")]
    pub dns_writes: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// How a pass went, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassOutcome {
    /// Every object propagated everywhere it is placed.
    Converged,
    /// Some objects or clusters failed, others succeeded.
    Partial,
    /// Nothing succeeded.
    Failed,
}

impl Report {
    pub fn outcome(&self) -> PassOutcome {
        let failed = self.records.iter().filter(|r| r.failed()).count();
        let over_budget = self.deletions.iter().any(|d| d.over_budget);
        if failed == 0 && self.errors.is_empty() && !over_budget {
            PassOutcome::Converged
        } else if self.records.iter().any(|r| !r.failed()) {
            PassOutcome::Partial
        } else {
            PassOutcome::Failed
        }
    }

    /// One line saying what the pass did (what `reconcile` prints on stderr after each pass).
    pub fn summary_line(&self, dry_run: bool) -> String {
        let t = &self.totals;
        let ready = self.clusters.iter().filter(|c| c.ready).count();
        let verb = if dry_run { "would be " } else { "" };
        format!(
            "{} federated objects, {}/{} clusters ready: {} {verb}created, {} {verb}updated, {} {verb}adopted, \
             {} {verb}deleted, {} {verb}unlabelled, {} failed",
            t.objects,
            ready,
            self.clusters.len(),
            t.created,
            t.updated,
            t.adopted,
            t.deleted,
            t.unlabelled,
            t.failed + self.errors.len()
        )
    }

    /// Folds in the records of a pass's second round (the held deletions let through): a record there
    /// replaces the first round's for the same object and cluster when it did something or the first
    /// one was a held deletion; what the first round did stays reported.
    fn merge_second_round(&mut self, second: Report) {
        type Key = (String, String, String, String);
        let key = |r: &Record| -> Key {
            (
                r.type_name.clone(),
                r.namespace.clone(),
                r.name.clone(),
                r.cluster.clone(),
            )
        };
        let mut later: HashMap<Key, Record> =
            second.records.into_iter().map(|r| (key(&r), r)).collect();
        for r in &mut self.records {
            if let Some(s) = later.remove(&key(r)) {
                if r.status == super::deletions::HELD_STATUS || s.action.writes() || s.failed() {
                    *r = s;
                }
            }
        }
        self.records.extend(later.into_values());
        self.errors.extend(second.errors);
    }

    pub(crate) fn finish(&mut self) {
        self.records.sort_by(|a, b| {
            (&a.type_name, &a.namespace, &a.name, &a.cluster).cmp(&(
                &b.type_name,
                &b.namespace,
                &b.name,
                &b.cluster,
            ))
        });
        let count = |a: Action| {
            self.records
                .iter()
                .filter(|r| r.action == a && !r.failed())
                .count()
        };
        self.totals.created = count(Action::Create);
        self.totals.updated = count(Action::Update);
        self.totals.adopted = count(Action::Adopt);
        self.totals.deleted = count(Action::Delete);
        self.totals.unlabelled = count(Action::Unlabel);
        self.totals.failed = self.records.iter().filter(|r| r.failed()).count();
    }
}

/// What `--watch` keeps between passes: member clients and the health debounce.
pub struct PassState {
    pub clients: ClientCache,
    /// Readiness by cluster from `--watch`'s health loop.
    pub known_health: Mutex<Option<BTreeMap<String, bool>>>,
    /// KubeFed's health thresholds need memory across probes; `--once` publishes each probe as is.
    pub debounce: Option<Mutex<HashMap<String, Debounce>>>,
}

impl PassState {
    pub fn once() -> Self {
        PassState {
            clients: ClientCache::new(),
            known_health: Mutex::new(None),
            debounce: None,
        }
    }

    /// Member requests wait at most `timeout` for their response.
    pub fn with_request_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.clients.request_timeout = timeout;
        self
    }

    /// No member request outlives `deadline` (`reconcile --once --timeout`).
    pub fn with_deadline(mut self, deadline: Option<tokio::time::Instant>) -> Self {
        self.clients.deadline = deadline;
        self
    }

    pub fn watching() -> Self {
        PassState {
            clients: ClientCache::new(),
            known_health: Mutex::new(None),
            debounce: Some(Mutex::new(HashMap::new())),
        }
    }
}

/// One full pass over every enabled type, reconciling each federated object in every member.
pub async fn reconcile_once(host: &kube::Client, opts: &RunOptions) -> anyhow::Result<Report> {
    reconcile_pass(
        host,
        opts,
        &PassState::once().with_request_timeout(opts.request_timeout),
        None,
    )
    .await
}

/// The control plane's `KubeFedConfig` named `kubefed`, defaulted as KubeFed's webhook does.
pub async fn read_kubefed_config(host: &kube::Client, ns: &str) -> anyhow::Result<KubeFedConfig> {
    let api: Api<DynamicObject> =
        Api::namespaced_with(host.clone(), ns, &KubeFedConfig::api_resource());
    let obj = crate::controlplane::resources::get_opt(&api, KUBEFED_CONFIG_NAME)
        .await
        .with_context(|| {
            format!("cannot read KubeFedConfig {ns}/{KUBEFED_CONFIG_NAME} from the host")
        })?;
    kubefed_config_of(
        ns,
        obj.map(|o| serde_json::to_value(o).expect("objects serialise")),
    )
}

/// The control plane's KubeFedConfig (defaults filled) from the object read or cached, if there is one.
pub fn kubefed_config_of(ns: &str, obj: Option<Value>) -> anyhow::Result<KubeFedConfig> {
    let obj = obj.ok_or_else(|| {
        error::precondition(
            format!(
                "A KubeFedConfig named \"{KUBEFED_CONFIG_NAME}\" was not found in namespace \"{ns}\". \
                 Is a KubeFed control plane running in this namespace?"
            ),
            "run `kubefedctl init` (or pass --kubefed-namespace)",
        )
    })?;
    let mut config: KubeFedConfig = serde_json::from_value(obj)
        .with_context(|| format!("KubeFedConfig {ns}/{KUBEFED_CONFIG_NAME} is malformed"))?;
    config.fill_defaults();
    Ok(config)
}

fn duration_of(text: Option<&String>, default: Duration) -> Duration {
    text.and_then(|t| parse_go_duration(t).ok())
        .filter(|n| *n > 0)
        .map(|n| Duration::from_nanos(n as u64))
        .unwrap_or(default)
}

/// `clusterHealthCheck` of the config.
pub fn health_settings(config: &KubeFedConfig) -> HealthSettings {
    let d = HealthSettings::default();
    let Some(hc) = config.spec.cluster_health_check.as_ref() else {
        return d;
    };
    HealthSettings {
        timeout: duration_of(hc.timeout.as_ref(), d.timeout),
        period: duration_of(hc.period.as_ref(), d.period),
        thresholds: Thresholds {
            failure: hc.failure_threshold.unwrap_or(d.thresholds.failure),
            success: hc.success_threshold.unwrap_or(d.thresholds.success),
        },
    }
}

/// The enabled FederatedTypeConfigs of the control plane, defaulted.
pub async fn list_type_configs(
    host: &kube::Client,
    ns: &str,
) -> anyhow::Result<Vec<FederatedTypeConfig>> {
    let api: Api<DynamicObject> =
        Api::namespaced_with(host.clone(), ns, &FederatedTypeConfig::api_resource());
    let list = api
        .list(&ListParams::default())
        .await
        .with_context(|| format!("cannot list FederatedTypeConfigs in namespace {ns:?}"))?;
    let mut out = Vec::new();
    for o in list.items {
        let mut ftc: FederatedTypeConfig =
            serde_json::from_value(serde_json::to_value(o)?).context("FederatedTypeConfig")?;
        ftc.fill_defaults();
        out.push(ftc);
    }
    out.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    Ok(out)
}

/// Whether `--type` value `t` names this FTC's type: FTC name, target plural, kind or singular, or the
/// federated kind or plural (case-insensitive).
pub fn type_matches(ftc: &FederatedTypeConfig, t: &str) -> bool {
    let t = t.to_lowercase();
    let target = &ftc.spec.target_type;
    let fed = &ftc.spec.federated_type;
    [
        ftc.metadata.name.clone().unwrap_or_default(),
        target.plural_name.clone(),
        target.kind.clone(),
        fed.kind.clone(),
        fed.plural_name.clone(),
        target.group_qualified_name(),
        fed.group_qualified_name(),
    ]
    .iter()
    .any(|n| !n.is_empty() && n.to_lowercase() == t)
}

/// `--type` values that name no FTC directly (a short name such as `deploy`, or `fdeploy`) rewritten to the
/// `plural.group` that `lookup` (the host's discovery) finds for them, as `enable` and `federate` resolve
/// names; the others are kept as given, so that [`select_types`] reports what matches nothing.
pub fn canonical_type_names(
    ftcs: &[FederatedTypeConfig],
    types: &[String],
    lookup: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    types
        .iter()
        .map(|t| {
            if ftcs.iter().any(|f| type_matches(f, t)) {
                t.clone()
            } else {
                lookup(t).unwrap_or_else(|| t.clone())
            }
        })
        .collect()
}

/// [`canonical_type_names`] with the host's discovery, read only when some value names no FTC.
pub async fn resolve_type_names(
    host: &kube::Client,
    ftcs: &[FederatedTypeConfig],
    types: &[String],
) -> Vec<String> {
    if types
        .iter()
        .all(|t| ftcs.iter().any(|f| type_matches(f, t)))
    {
        return types.to_vec();
    }
    match crate::typelookup::ApiDiscovery::of(host).await {
        Ok(discovery) => canonical_type_names(ftcs, types, |t| {
            discovery
                .lookup(t, None)
                .ok()
                .map(|target| target.group_qualified_name())
        }),
        Err(_) => types.to_vec(),
    }
}

/// The FTCs a pass covers: enabled ones, narrowed by `--type`. An unknown `--type` is invalid input.
pub fn select_types<'a>(
    ftcs: &'a [FederatedTypeConfig],
    types: &[String],
) -> anyhow::Result<Vec<&'a FederatedTypeConfig>> {
    let enabled: Vec<&FederatedTypeConfig> =
        ftcs.iter().filter(|f| f.is_propagation_enabled()).collect();
    if types.is_empty() {
        return Ok(enabled);
    }
    let mut out = Vec::new();
    for t in types {
        let matched: Vec<&&FederatedTypeConfig> =
            enabled.iter().filter(|f| type_matches(f, t)).collect();
        if matched.is_empty() {
            let names: Vec<String> = enabled
                .iter()
                .filter_map(|f| f.metadata.name.clone())
                .collect();
            return Err(error::invalid_input(format!(
                "type {t:?} matches no enabled FederatedTypeConfig (enabled: {})",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ))
            .with_hint("enable the type with `kubefedctl enable <type>`, or check its spelling")
            .into());
        }
        for f in matched {
            if !out
                .iter()
                .any(|o: &&FederatedTypeConfig| o.metadata.name == f.metadata.name)
            {
                out.push(*f);
            }
        }
    }
    Ok(out)
}

/// The engine's view of an FTC.
pub fn type_info(ftc: &FederatedTypeConfig, raw_status_gate: bool) -> Option<TypeInfo> {
    let value = serde_json::to_value(ftc).ok()?;
    let target = TargetInfo::from_ftc(&value)?;
    Some(TypeInfo {
        name: ftc.metadata.name.clone().unwrap_or_default(),
        target,
        target_api: ftc.spec.target_type.to_kube(),
        federated_api: ftc.spec.federated_type.to_kube(),
        federated_namespaced: ftc.spec.federated_type.is_namespaced(),
        raw_status: raw_status_gate && ftc.collects_status(),
    })
}

/// Where federated objects are read: the kubefed namespace on a Namespaced plane, `-n` if given, else all.
pub(crate) fn host_namespace_filter(
    opts: &RunOptions,
    scope: ControlPlaneScope,
) -> Option<Option<String>> {
    match (scope, &opts.namespace) {
        (ControlPlaneScope::Namespaced, Some(ns)) if *ns != opts.kubefed_namespace => None,
        (ControlPlaneScope::Namespaced, _) => Some(Some(opts.kubefed_namespace.clone())),
        (ControlPlaneScope::Cluster, ns) => Some(ns.clone()),
    }
}

async fn list_federated(
    host: &kube::Client,
    ty: &TypeInfo,
    ns: Option<&str>,
) -> anyhow::Result<Vec<Value>> {
    let api: Api<DynamicObject> = match ns {
        Some(ns) if ty.federated_namespaced => {
            Api::namespaced_with(host.clone(), ns, &ty.federated_api)
        }
        _ => Api::all_with(host.clone(), &ty.federated_api),
    };
    list_values(&api, host, &ty.federated_api, &ListParams::default())
        .await
        .with_context(|| {
            format!(
                "cannot list {} in the host (is its CRD installed?)",
                ty.federated_api.kind
            )
        })
}

/// Runs `work` as a task of its own, so that parsing one large listing does not wait for another: a
/// pass's future runs on one thread, and its listings (tens of thousands of objects each) are parsed
/// where they are received.
async fn on_a_worker<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    match tokio::spawn(work).await {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// The managed objects of a type in one member: one list request with `kubefed.io/managed=true`.
async fn list_managed(
    client: &kube::Client,
    ty: &TypeInfo,
    ns: Option<&str>,
) -> Result<Listing, EngineError> {
    list_objects(
        client,
        &ty.target_api,
        ty.gated(),
        ns,
        Some(&format!("{MANAGED_LABEL}=true")),
    )
    .await
    .map(Listing::Listed)
}

/// Every PropagatedVersion object the pass may use (in `ns_filter`, or everywhere), and on
/// a Cluster-scoped plane every ClusterPropagatedVersion: two lists per pass. `None` when they cannot be
/// read (a control plane installed without them): then every object is compared and no version written.
async fn list_propagated_versions(
    host: &kube::Client,
    ns_filter: Option<&str>,
    scope: ControlPlaneScope,
) -> Option<HashMap<ObjectKey, Value>> {
    let mut out = HashMap::new();
    let mut kinds = vec![true];
    if scope == ControlPlaneScope::Cluster {
        kinds.push(false);
    }
    for namespaced in kinds {
        let resource = super::versions::propagated_version_resource(namespaced);
        // Unknown versions only cost a comparison per object: the pass goes on without them, and writes
        // none it could not have read.
        out.extend(
            list_objects(host, &resource, namespaced, ns_filter, None)
                .await
                .ok()?,
        );
    }
    Some(out)
}

/// Placement of every FederatedNamespace (named like its namespace), by namespace.
async fn federated_namespace_placements(
    host: &kube::Client,
    ns_type: Option<&TypeInfo>,
    ns_filter: Option<&str>,
    infos: &[ClusterInfo],
) -> anyhow::Result<BTreeMap<String, BTreeSet<String>>> {
    let Some(ty) = ns_type else {
        return Ok(BTreeMap::new());
    };
    let objects = list_federated(host, ty, ns_filter).await?;
    Ok(namespace_placements(&objects, infos))
}

/// Placement of each FederatedNamespace among `objects` (those named like their namespace), by namespace.
pub(crate) fn namespace_placements(
    objects: &[Value],
    infos: &[ClusterInfo],
) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for fns in objects {
        let s = |p: &str| fns.pointer(p).and_then(Value::as_str).unwrap_or_default();
        let (ns, name) = (s("/metadata/namespace"), s("/metadata/name"));
        // A FederatedNamespace being deleted no longer federates its namespace: its contents leave the
        // members in the same pass (released where adopted) instead of one pass later.
        if ns != name || fns.pointer("/metadata/deletionTimestamp").is_some() {
            continue;
        }
        // A FederatedNamespace whose placement cannot be computed places nothing.
        let placed =
            placement::selected_clusters(fns.pointer("/spec/placement"), infos).unwrap_or_default();
        out.insert(ns.to_string(), placed);
    }
    out
}

/// One pass. Members whose readiness `--watch`'s health loop already knows (`state.known_health`) are not
/// probed again; the others are probed now and their KubeFedCluster status recorded.
pub async fn reconcile_pass(
    host: &kube::Client,
    opts: &RunOptions,
    state: &PassState,
    progress: Option<&indicatif::ProgressBar>,
) -> anyhow::Result<Report> {
    Ok(pass(host, opts, state, progress, false).await?.0)
}

/// A dry-run pass (`opts.dry_run` is forced) that also returns every write it would send, for `diff`.
pub async fn preview_pass(
    host: &kube::Client,
    opts: &RunOptions,
) -> anyhow::Result<(Report, Vec<reconcile::Preview>)> {
    let opts = RunOptions {
        dry_run: true,
        ..opts.clone()
    };
    pass(
        host,
        &opts,
        &PassState::once().with_request_timeout(opts.request_timeout),
        None,
        true,
    )
    .await
}

#[tracing::instrument(level = "info", name = "pass", skip_all)]
async fn pass(
    host: &kube::Client,
    opts: &RunOptions,
    state: &PassState,
    progress: Option<&indicatif::ProgressBar>,
    collect_previews: bool,
) -> anyhow::Result<(Report, Vec<reconcile::Preview>)> {
    let ns = opts.kubefed_namespace.as_str();
    let config = read_kubefed_config(host, ns).await?;
    let scope = if config.is_namespaced() {
        ControlPlaneScope::Namespaced
    } else {
        ControlPlaneScope::Cluster
    };
    let mut report = Report::default();
    // Bad input is reported before anything is written, health statuses included.
    let ftcs = list_type_configs(host, ns).await?;
    let types = resolve_type_names(host, &ftcs, &opts.types).await;
    let selected = select_types(&ftcs, &types)?;

    let members = clusters::load_members(host, ns, &state.clients).await?;
    let known = state
        .known_health
        .lock()
        .unwrap()
        .clone()
        .unwrap_or_default();
    let (known_members, unknown): (Vec<&Member>, Vec<&Member>) =
        members.iter().partition(|m| known.contains_key(&m.name));
    let unknown: Vec<Member> = unknown.into_iter().cloned().collect();
    let health = clusters::check_health(
        host,
        ns,
        &unknown,
        health_settings(&config),
        state.debounce.as_ref(),
        opts.dry_run,
    )
    .await;
    let mut views = Vec::new();
    for member in known_members {
        let ready = known[&member.name];
        let status = member.object.get("status").cloned().unwrap_or(Value::Null);
        report.clusters.push(ClusterSummary {
            name: member.name.clone(),
            ready,
            reason: (!ready).then(|| not_ready_reason(member, &status)),
        });
        views.push(view_of(member, ready));
    }
    for (member, (h, write_err)) in unknown.iter().zip(health) {
        if let Some(e) = write_err {
            report.errors.push(crate::error::chain_text(&e));
        }
        report.clusters.push(ClusterSummary {
            name: member.name.clone(),
            ready: h.ready,
            reason: (!h.ready).then(|| not_ready_reason(member, &h.status)),
        });
        views.push(view_of(member, h.ready));
    }
    views.sort_by(|a, b| a.name.cmp(&b.name));
    report.clusters.sort_by(|a, b| a.name.cmp(&b.name));

    let raw_gate = config.feature_enabled(FEATURE_RAW_RESOURCE_STATUS_COLLECTION);
    let scheduler = config.feature_enabled(FEATURE_SCHEDULER_PREFERENCES);
    let infos: Vec<ClusterInfo> = views.iter().map(ClusterView::info).collect();
    let Some(host_filter) = host_namespace_filter(opts, scope) else {
        report.finish();
        return Ok((report, Vec::new()));
    };
    let ns_type = ftcs
        .iter()
        .filter(|f| f.is_namespace_type())
        .find_map(|f| type_info(f, raw_gate));
    let federated_namespaces = match federated_namespace_placements(
        host,
        ns_type.as_ref(),
        host_filter.as_deref(),
        &infos,
    )
    .await
    {
        Ok(m) => m,
        Err(e) => {
            // Gating cannot be decided: leave every namespaced type alone rather than remove objects.
            report.errors.push(crate::error::chain_text(&e));
            report.finish();
            return Ok((report, Vec::new()));
        }
    };

    let mut env = Env::new(
        host.clone(),
        ns.to_string(),
        scope,
        config.adopt_resources(),
        views,
        federated_namespaces,
        opts.dry_run,
        opts.concurrency,
    );
    if collect_previews {
        env.previews = Some(std::sync::Mutex::new(Vec::new()));
    }
    env.deletions = std::sync::Arc::new(DeletionGate::counting(opts.max_deletions, opts.dry_run));
    env.delete_adopted = opts.delete_adopted;

    // Namespaces first: the objects of every other type need them in the members.
    let mut types: Vec<TypeInfo> = selected
        .iter()
        .filter_map(|f| type_info(f, raw_gate))
        .collect();
    types.sort_by_key(|t| (!t.target.is_namespace(), t.name.clone()));
    types.retain(|ty| {
        let skip_ungated = scope == ControlPlaneScope::Namespaced && !ty.gated();
        let skip_cluster_scoped = opts.namespace.is_some() && !ty.federated_namespaced;
        !skip_ungated && !skip_cluster_scoped
    });
    env.denied = preflight(&env, &types).await;
    // Every listing the pass needs is made at once, so the pass waits for the slowest, not for their sum.
    // A listing made before the namespaces are propagated is still right: creating a namespace changes no
    // other type's managed objects.
    let propagated = {
        let (host, filter) = (host.clone(), host_filter.clone());
        on_a_worker(async move { list_propagated_versions(&host, filter.as_deref(), scope).await })
    };
    let (propagated, listed) = futures::join!(
        propagated,
        futures::future::join_all(types.iter().map(|ty| list_type(
            &env,
            ty,
            host_filter.as_deref()
        )))
    );
    env.propagated = propagated.map(reconcile::Versions::Listed);
    for (ty, listed) in types.iter().zip(listed) {
        reconcile_type(
            &env,
            ty,
            host_filter.as_deref(),
            opts,
            scheduler,
            &mut report,
            progress,
            Some(listed),
        )
        .await;
    }
    if env.deletions.held() == 0 {
        report.deletions = env.deletions.planned();
    } else {
        // Every deletion was held while everything else was reconciled: the clusters within their budget
        // now delete what they must, in a second round over the types concerned.
        let held_types = env.deletions.held_types();
        report.deletions = env.deletions.settle();
        if report.deletions.iter().any(|d| !d.over_budget) {
            env.propagated = list_propagated_versions(host, host_filter.as_deref(), scope)
                .await
                .map(reconcile::Versions::Listed);
            let mut second = Report::default();
            for ty in types.iter().filter(|t| held_types.contains(&t.name)) {
                reconcile_type(
                    &env,
                    ty,
                    host_filter.as_deref(),
                    opts,
                    scheduler,
                    &mut second,
                    None,
                    None,
                )
                .await;
            }
            report.merge_second_round(second);
        }
    }
    // Multi-cluster DNS after propagation, so that the Services created this pass are seen; `--type`
    // narrows a pass to federated types, and `diff` previews only propagation.
    if opts.types.is_empty() && !collect_previews {
        let dns_members = dns_members(&members, &env.clusters);
        let (host_dns, errors) = super::dns::list_host_dns(host, ns, host_filter.as_deref()).await;
        report.errors.extend(errors);
        let outcome = super::dns::reconcile_dns(
            host,
            ns,
            &host_dns,
            &dns_members,
            &super::dns::get_from_member,
            &mut super::dns::DnsMemo::default(),
            opts.dry_run,
        )
        .await;
        report.errors.extend(outcome.errors);
        report.dns_writes = outcome.writes;
    }
    report.finish();
    let previews = env
        .previews
        .take()
        .map(|p| p.into_inner().unwrap())
        .unwrap_or_default();
    super::drop_in_background(env.propagated.take());
    Ok((report, previews))
}

/// The members as DNS records see them: readiness and client from this pass, zones and region from
/// their KubeFedCluster status.
pub(crate) fn dns_members(members: &[Member], views: &[ClusterView]) -> Vec<super::dns::DnsMember> {
    views
        .iter()
        .map(|v| {
            let status = members
                .iter()
                .find(|m| m.name == v.name)
                .and_then(|m| m.object.get("status"))
                .cloned()
                .unwrap_or(Value::Null);
            super::dns::DnsMember {
                name: v.name.clone(),
                ready: v.ready,
                zones: status["zones"]
                    .as_array()
                    .map(|z| {
                        z.iter()
                            .filter_map(Value::as_str)
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default(),
                region: status["region"].as_str().unwrap_or_default().to_string(),
                client: v.client.clone(),
            }
        })
        .collect()
}

pub(crate) fn view_of(member: &Member, ready: bool) -> ClusterView {
    ClusterView {
        name: member.name.clone(),
        labels: member.labels.clone(),
        ready,
        client: member.client.as_ref().ok().cloned(),
    }
}

/// Before any write, what the stored credentials of each ready member may do (one SelfSubjectRulesReview
/// per member): the `(cluster, type)` pairs they may not handle, with the message saying what is
/// missing. A member whose review fails or is inconclusive is not held back: its requests will say.
pub(crate) async fn preflight(env: &Env, types: &[TypeInfo]) -> HashMap<(String, String), String> {
    use super::permissions::{self, Target};
    let reviews =
        futures::future::join_all(env.clusters.iter().filter(|c| c.ready).filter_map(|c| {
            let client = c.client.clone()?;
            let ns = env.kubefed_namespace.clone();
            Some(async move { (c.name.clone(), permissions::review(&client, &ns).await) })
        }))
        .await;
    let mut denied = HashMap::new();
    for (cluster, review) in reviews {
        let Ok(status) = review else { continue };
        if !permissions::is_conclusive(&status) {
            continue;
        }
        for ty in types {
            let target = Target::new(&ty.target_api.group, &ty.target_api.plural);
            let missing = permissions::missing_verbs(&status, &target, &permissions::CHECKED_VERBS);
            if !missing.is_empty() {
                denied.insert(
                    (cluster.clone(), ty.name.clone()),
                    permissions::denied_message(&cluster, &target, &missing),
                );
            }
        }
    }
    denied
}

/// Why a member is not ready: its first condition's reason and message, and for a malformed
/// configuration what is malformed (KubeFed's condition message does not say).
fn not_ready_reason(member: &Member, status: &Value) -> String {
    let said = status
        .get("conditions")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .map(|c| {
            let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or_default();
            format!("{}: {}", s("reason"), s("message"))
        })
        .unwrap_or_else(|| "not probed".into());
    match &member.client {
        Err(why) => format!("{said}: {why}"),
        Ok(_) => said,
    }
}

/// What one type's reconcile starts from: its federated objects and each member's managed objects.
struct TypeListing {
    objects: anyhow::Result<Vec<Value>>,
    listings: Listings,
}

/// Lists a type's federated objects and the members' managed objects at once: neither depends on the other.
#[tracing::instrument(level = "info", name = "list", skip_all, fields(type = %ty.name))]
async fn list_type(env: &Env, ty: &TypeInfo, ns_filter: Option<&str>) -> TypeListing {
    let member_listings = futures::future::join_all(env.clusters.iter().map(|c| async move {
        let listing = match (&c.client, c.ready) {
            (Some(_), true) if env.denied.contains_key(&(c.name.clone(), ty.name.clone())) => Err(
                EngineError::denied(env.denied[&(c.name.clone(), ty.name.clone())].clone()),
            ),
            (Some(client), true) => {
                let limiter = env.member_limiter(&c.name);
                let _permit = limiter.acquire().await;
                let started = std::time::Instant::now();
                let (client, ty) = (client.clone(), ty.clone());
                let ns = ns_filter.map(str::to_string);
                let listing =
                    on_a_worker(async move { list_managed(&client, &ty, ns.as_deref()).await })
                        .await;
                match &listing {
                    Ok(l) => tracing::info!(cluster = %c.name, objects = l.len(),
                        ms = started.elapsed().as_millis() as u64, "listed managed objects"),
                    Err(e) => tracing::info!(cluster = %c.name, error = %e, "listing failed"),
                }
                listing
            }
            _ => Err(EngineError::not_ready(format!(
                "cluster {:?} is not ready",
                c.name
            ))),
        };
        (c.name.clone(), listing)
    }));
    let federated = {
        let (host, ty, ns) = (env.host.clone(), ty.clone(), ns_filter.map(str::to_string));
        on_a_worker(async move { list_federated(&host, &ty, ns.as_deref()).await })
    };
    let (objects, member_listings) = futures::join!(federated, member_listings);
    TypeListing {
        objects,
        listings: member_listings.into_iter().collect(),
    }
}

/// Reconciles every federated object of a type, from `listed` when the pass listed it ahead, else from
/// listings made now.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "info", name = "type", skip_all, fields(type = %ty.name))]
async fn reconcile_type(
    env: &Env,
    ty: &TypeInfo,
    ns_filter: Option<&str>,
    opts: &RunOptions,
    scheduler: bool,
    report: &mut Report,
    progress: Option<&indicatif::ProgressBar>,
    listed: Option<TypeListing>,
) {
    let TypeListing { objects, listings } = match listed {
        Some(l) => l,
        None => list_type(env, ty, ns_filter).await,
    };
    let objects = match objects {
        Ok(o) => o,
        Err(e) => {
            report.errors.push(format!(
                "type {}: {}",
                ty.name,
                crate::error::chain_text(&e)
            ));
            return;
        }
    };
    // ReplicaSchedulingPreferences (feature gate SchedulerPreferences) for Deployments and ReplicaSets.
    let rsps = if scheduler && scheduling::is_schedulable(ty) && !objects.is_empty() {
        match scheduling::list_rsps(&env.host, ns_filter).await {
            Ok(r) => r,
            Err(e) => {
                report.errors.push(format!(
                    "type {}: {}",
                    ty.name,
                    crate::error::chain_text(&e)
                ));
                BTreeMap::new()
            }
        }
    } else {
        BTreeMap::new()
    };
    if let Some(p) = progress {
        p.inc_length(objects.len() as u64);
    }
    report.totals.objects += objects.len();

    for (cluster, listing) in &listings {
        if let Ok(l) = listing {
            env.deletions.count_managed(cluster, l.len());
        }
    }
    let owned: HashSet<ObjectKey> = objects.iter().map(|f| ty.target_key(f)).collect();
    let concurrency = opts.concurrency.max(1);
    let listings_ref = &listings;
    let rsps_ref = &rsps;
    // Owned items keep the stream's closure free of borrowed arguments, so the pass future stays `Send`.
    let mut results = futures::stream::iter(objects)
        .map(|fed| async move {
            let key = fed_key(&fed);
            let (fed, scheduling_error) =
                match scheduling::rsp_for(rsps_ref, &key, &ty.federated_api.kind) {
                    Some(rsp) => scheduling::schedule_object(env, ty, rsp, listings_ref, fed).await,
                    None => (fed, None),
                };
            let mut records: Vec<Record> = scheduling_error.into_iter().collect();
            records.extend(reconcile::reconcile_object(env, ty, listings_ref, &fed).await);
            records
        })
        .buffer_unordered(concurrency);
    while let Some(records) = results.next().await {
        report.records.extend(records);
        if let Some(p) = progress {
            p.inc(1);
        }
    }
    drop(results);

    unlabel_orphans(env, ty, &listings, &owned, opts, report).await;
    super::drop_in_background((listings, owned));
}

/// Managed member objects whose federated object is gone (KubeFed's "possible orphan"): the label is
/// removed, the object is never deleted.
async fn unlabel_orphans(
    env: &Env,
    ty: &TypeInfo,
    listings: &Listings,
    owned: &HashSet<ObjectKey>,
    opts: &RunOptions,
    report: &mut Report,
) {
    // A BTreeSet: each key once, across clusters, in order.
    let keys: BTreeSet<ObjectKey> = listings
        .values()
        .filter_map(|l| l.as_ref().ok())
        .flat_map(|l| l.keys())
        .filter(|k| !owned.contains(k))
        .filter(|k| match (&opts.namespace, ty.target.is_namespace()) {
            (Some(ns), true) => k.1 == *ns,
            _ => true,
        })
        .filter(|k| {
            !(ty.target.is_namespace() && is_reserved_namespace(&k.1, &env.kubefed_namespace))
        })
        .collect();
    for key in keys {
        report
            .records
            .extend(release_orphan(env, ty, listings, &key).await);
    }
}

/// Unlabels the managed member objects at `key` (of a federated object that no longer exists) in every
/// cluster whose listing holds one; one record per cluster.
pub(crate) async fn release_orphan(
    env: &Env,
    ty: &TypeInfo,
    listings: &Listings,
    key: &ObjectKey,
) -> Vec<Record> {
    let mut records = Vec::new();
    for cluster in &env.clusters {
        let (Some(client), Some(Ok(listing))) = (&cluster.client, listings.get(&cluster.name))
        else {
            continue;
        };
        let Some(live) = listing.get(key) else {
            continue;
        };
        let error = if env.dry_run {
            env.preview(|| reconcile::Preview {
                cluster: cluster.name.clone(),
                type_name: ty.name.clone(),
                target_api: ty.target_api.clone(),
                key: key.clone(),
                action: Action::Unlabel,
                live: Some(live.clone()),
                desired: None,
                client: Some(client.clone()),
            });
            None
        } else {
            let api: Api<DynamicObject> = if ty.gated() {
                Api::namespaced_with(client.clone(), &key.0, &ty.target_api)
            } else {
                Api::all_with(client.clone(), &ty.target_api)
            };
            let limiter = env.member_limiter(&cluster.name);
            let _permit = limiter.acquire().await;
            match reconcile::unlabel(&api, &key.1).await {
                Ok(after) => {
                    if let Some(w) = &env.written {
                        let source = super::cache::member_source(&cluster.name, &ty.name);
                        w.record(&source, key, Some(&live), Some(after));
                    }
                    None
                }
                Err(e) => Some(e.to_string()),
            }
        };
        let failed = error.is_some();
        records.push(Record {
            cluster: cluster.name.clone(),
            type_name: ty.name.clone(),
            namespace: key.0.clone(),
            name: key.1.clone(),
            action: Action::Unlabel,
            status: if failed {
                super::status::ClusterPropagationStatus::LabelRemovalFailed
                    .as_str()
                    .to_string()
            } else {
                String::new()
            },
            error,
        });
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubefed::typeconfig::{default_types, federated_type_config};

    fn ftcs() -> Vec<FederatedTypeConfig> {
        default_types()
            .iter()
            .map(|t| {
                let mut f: FederatedTypeConfig = serde_json::from_value(federated_type_config(
                    t,
                    "types.kubefed.io",
                    "v1beta1",
                    "kube-federation-system",
                ))
                .unwrap();
                f.fill_defaults();
                f
            })
            .collect()
    }

    fn record(status: &str, error: Option<&str>) -> Record {
        Record {
            cluster: "c1".into(),
            type_name: "configmaps".into(),
            namespace: "ns".into(),
            name: "n".into(),
            action: Action::None,
            status: status.into(),
            error: error.map(str::to_string),
        }
    }

    #[test]
    fn short_names_select_the_type_discovery_resolves_them_to() {
        let all = ftcs();
        let lookup = |t: &str| match t {
            "deploy" => Some("deployments.apps".to_string()),
            "fdeploy" => Some("federateddeployments.types.kubefed.io".to_string()),
            _ => None,
        };
        let types = canonical_type_names(
            &all,
            &[
                "deploy".into(),
                "fdeploy".into(),
                "cm".into(),
                "secrets".into(),
            ],
            lookup,
        );
        assert_eq!(
            types,
            [
                "deployments.apps",
                "federateddeployments.types.kubefed.io",
                "cm",
                "secrets"
            ]
        );
        let sel = select_types(&all, &types[..2]).unwrap();
        assert_eq!(sel.len(), 1);
        assert_eq!(sel[0].metadata.name.as_deref(), Some("deployments.apps"));
        assert!(select_types(&all, &types).is_err(), "cm stays unknown");
    }

    #[test]
    fn type_names_match_like_kubectl_users_write_them() {
        let all = ftcs();
        let deploy = all
            .iter()
            .find(|f| f.metadata.name.as_deref() == Some("deployments.apps"))
            .unwrap();
        for t in [
            "deployments.apps",
            "deployments",
            "Deployment",
            "FederatedDeployment",
            "federateddeployments",
            "federateddeployments.types.kubefed.io",
        ] {
            assert!(type_matches(deploy, t), "{t}");
        }
        assert!(!type_matches(deploy, "configmaps"));
    }

    #[test]
    fn unknown_type_is_invalid_input_listing_the_enabled_ones() {
        let all = ftcs();
        let err = select_types(&all, &["widgets".into()]).unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        assert!(err.to_string().contains("configmaps"), "{err}");
    }

    #[test]
    fn disabled_types_are_not_selected() {
        let mut all = ftcs();
        all[1].spec.propagation = "Disabled".into();
        let names: Vec<_> = select_types(&all, &[])
            .unwrap()
            .iter()
            .map(|f| f.metadata.name.clone().unwrap())
            .collect();
        assert_eq!(names.len(), 9);
        assert!(!names.contains(&"configmaps".to_string()));
    }

    #[test]
    fn each_type_is_selected_once_even_when_named_twice() {
        let all = ftcs();
        let sel = select_types(
            &all,
            &["cm".into(), "configmaps".into(), "ConfigMap".into()],
        );
        // "cm" is not a name an FTC carries.
        assert!(sel.is_err());
        let sel = select_types(&all, &["configmaps".into(), "ConfigMap".into()]).unwrap();
        assert_eq!(sel.len(), 1);
    }

    #[test]
    fn outcome_is_converged_partial_or_failed() {
        let mut r = Report::default();
        assert_eq!(r.outcome(), PassOutcome::Converged);
        r.records = vec![record("", None), record("WaitingForRemoval", None)];
        assert_eq!(r.outcome(), PassOutcome::Converged);
        r.records.push(record("ClusterNotReady", None));
        assert_eq!(r.outcome(), PassOutcome::Partial);
        r.records = vec![record("UpdateFailed", Some("boom"))];
        assert_eq!(r.outcome(), PassOutcome::Failed);
        r.records = vec![record("", None)];
        r.errors.push("type x: cannot list".into());
        assert_eq!(r.outcome(), PassOutcome::Partial);
    }

    #[test]
    fn totals_count_successful_actions_and_failures() {
        let mut r = Report::default();
        let mut a = record("", None);
        a.action = Action::Create;
        let mut b = record("CreationFailed", Some("x"));
        b.action = Action::Create;
        let mut c = record("", None);
        c.action = Action::Delete;
        r.records = vec![a, b, c];
        r.finish();
        assert_eq!(r.totals.created, 1);
        assert_eq!(r.totals.deleted, 1);
        assert_eq!(r.totals.failed, 1);
    }

    #[test]
    fn namespaced_plane_reads_only_the_control_plane_namespace() {
        let mut o = RunOptions::default();
        assert_eq!(
            host_namespace_filter(&o, ControlPlaneScope::Namespaced),
            Some(Some("kube-federation-system".into()))
        );
        o.namespace = Some("other".into());
        assert_eq!(
            host_namespace_filter(&o, ControlPlaneScope::Namespaced),
            None
        );
        assert_eq!(
            host_namespace_filter(&o, ControlPlaneScope::Cluster),
            Some(Some("other".into()))
        );
        o.namespace = None;
        assert_eq!(
            host_namespace_filter(&o, ControlPlaneScope::Cluster),
            Some(None)
        );
    }

    #[test]
    fn health_settings_come_from_the_config() {
        let mut c = KubeFedConfig::with_defaults("Cluster", "kube-federation-system");
        let hc = c.spec.cluster_health_check.as_mut().unwrap();
        hc.timeout = Some("1500ms".into());
        hc.failure_threshold = Some(5);
        let s = health_settings(&c);
        assert_eq!(s.timeout, Duration::from_millis(1500));
        assert_eq!(s.period, Duration::from_secs(10));
        assert_eq!(s.thresholds.failure, 5);
    }
}
