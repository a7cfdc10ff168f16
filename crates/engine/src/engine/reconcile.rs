//! The one per-object reconcile both drivers (`--once`, `--watch`) call: for one federated object, decide and
//! take the step in every member cluster (server-side apply, delete, unlabel), handle its deletion and
//! finalizer, and write its status — from listings made once per type and cluster by the caller.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use kube::api::{
    Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams, Preconditions,
    PropagationPolicy,
};
use serde::Serialize;
use serde_json::{json, Value};
use tokio::sync::Semaphore;

use super::actions::{self, ClusterAction, ClusterFacts, SYNC_FINALIZER};
use super::cache::{CachedListing, Written as WrittenObjects};
use super::deletions::{DeletionGate, HELD_STATUS};
use super::desired::{self, TargetInfo, FIELD_MANAGER, MANAGED_LABEL};
use super::error::EngineError;
use super::matching::{self, Storage};
use super::overrides::parse_overrides;
use super::placement::{self, ClusterInfo, ControlPlaneScope};
use super::status::{
    compute_status, AggregateReason, ClusterOutcome, ClusterPropagationStatus, StatusInput,
};
use super::versions;

/// A federated type the pass propagates (from one enabled FederatedTypeConfig).
#[derive(Debug, Clone)]
pub struct TypeInfo {
    /// The FTC's name (`configmaps`, `deployments.apps`), used as the type's name in reports.
    pub name: String,
    pub target: TargetInfo,
    pub target_api: kube::core::ApiResource,
    pub federated_api: kube::core::ApiResource,
    pub federated_namespaced: bool,
    /// Raw status collection (feature gate + FTC `statusCollection: Enabled`).
    pub raw_status: bool,
}

impl TypeInfo {
    /// Whether the target is namespaced and so gated by FederatedNamespaces (Namespace itself is not).
    pub fn gated(&self) -> bool {
        self.target.namespaced && !self.target.is_namespace()
    }

    /// The member object's key for a federated object (namespace `""` for cluster-scoped targets).
    pub fn target_key(&self, fed: &Value) -> ObjectKey {
        let (ns, name) = fed_key(fed);
        if self.gated() {
            (ns, name)
        } else {
            (String::new(), name)
        }
    }
}

pub use super::cache::Listing;
pub use super::cache::ObjectKey;
/// Per cluster: the listing, or why it could not be made (then nothing is deleted there).
pub type Listings = BTreeMap<String, Result<Listing, EngineError>>;

/// A member cluster as one pass sees it.
#[derive(Clone)]
pub struct ClusterView {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub ready: bool,
    pub client: Option<kube::Client>,
}

impl ClusterView {
    /// What placement and scheduling need to know of the cluster.
    pub fn info(&self) -> ClusterInfo {
        ClusterInfo {
            name: self.name.clone(),
            labels: self.labels.clone(),
            ready: self.ready,
        }
    }
}

/// A listing made once by whichever reconcile needs it first: (type, cluster, namespace) → objects.
type SharedListing = Arc<tokio::sync::OnceCell<Result<Listing, EngineError>>>;

/// What every reconcile in a pass shares.
pub struct Env {
    pub host: kube::Client,
    pub kubefed_namespace: String,
    pub scope: ControlPlaneScope,
    pub adopt_resources: bool,
    pub clusters: Vec<ClusterView>,
    /// Placement of each FederatedNamespace, by namespace.
    pub federated_namespaces: BTreeMap<String, BTreeSet<String>>,
    pub dry_run: bool,
    /// Bounds the requests in flight across objects and clusters.
    /// Bounds the requests in flight to the host.
    pub limiter: Arc<Semaphore>,
    /// Bounds the requests in flight to each member, apart, so a member that answers slowly (or not at
    /// all) only ever holds its own requests.
    member_limiters: std::sync::Mutex<HashMap<String, Arc<Semaphore>>>,
    concurrency: usize,
    host_namespace_uids: Mutex<HashMap<String, Option<String>>>,
    /// Every object of a type in a member namespace (labelled or not), listed once per pass on the first
    /// create: unlabelled objects are invisible to the managed listing, and one list beats a GET per object.
    all_objects: Mutex<HashMap<(String, String, String), SharedListing>>,
    /// With `--dry-run`, set by `diff`: every write the pass would send, with what it would send it over.
    pub previews: Option<Mutex<Vec<Preview>>>,
    /// Every (Cluster)PropagatedVersion, by `(namespace, name)` (namespace `""` for cluster-scoped ones);
    /// `None` when the host serves no PropagatedVersion type (then none is written).
    pub propagated: Option<Versions>,
    /// How an object not in the managed listing is looked for before a create.
    pub adoption: AdoptionLookup,
    /// With watch-fed caches: every write, so the next reconcile sees it before the cache does.
    pub written: Option<Arc<WrittenObjects>>,
    /// The mass-deletion budget every member deletion asks first.
    pub deletions: Arc<DeletionGate>,
    /// Delete adopted member objects too, instead of releasing them (`teardown --delete-adopted`).
    pub delete_adopted: bool,
    /// `(cluster, type name)` pairs the stored credentials may not handle, with what to tell the
    /// operator: the preflight found them, so nothing of that type is attempted in that cluster.
    pub denied: HashMap<(String, String), String>,
}

/// Where the PropagatedVersions of a pass come from.
#[expect(
    clippy::large_enum_variant,
    reason = "one value per pass, never in a collection"
)]
pub enum Versions {
    Listed(HashMap<ObjectKey, Value>),
    /// Watch-fed caches of PropagatedVersions and (on a Cluster-scoped plane) ClusterPropagatedVersions.
    Cached {
        namespaced: CachedListing,
        cluster: Option<CachedListing>,
    },
}

impl Versions {
    /// The (Cluster)PropagatedVersion object at `key`.
    pub fn get(&self, key: &ObjectKey) -> Option<Value> {
        match self {
            Versions::Listed(m) => m.get(key).cloned(),
            Versions::Cached { namespaced, .. } if !key.0.is_empty() => namespaced.get(key),
            Versions::Cached { cluster, .. } => cluster.as_ref()?.get(key),
        }
    }
}

/// How a reconcile finds a member object that the managed listing does not hold (unlabelled, so maybe one
/// to adopt), before creating it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdoptionLookup {
    /// One list of the type per member namespace, made on the first create of a pass (a pass that creates
    /// many objects sends one request instead of one per object).
    ListOnce,
    /// A GET of the object (one change at a time: a list per change would grow with the namespace).
    Get,
}

/// A write a dry-run pass would send to a member (`kubefedctl diff` turns these into diffs).
#[derive(Clone)]
pub struct Preview {
    pub cluster: String,
    /// The FTC name, as in [`Record::type_name`].
    pub type_name: String,
    pub target_api: kube::core::ApiResource,
    /// `(namespace, name)` of the member object; namespace `""` when cluster-scoped.
    pub key: ObjectKey,
    pub action: Action,
    /// The member object as listed (`None` for a create).
    pub live: Option<Value>,
    /// The apply configuration (create, update, adopt).
    pub desired: Option<Value>,
    pub client: Option<kube::Client>,
}

impl Env {
    /// Records a write the pass would send, when previews are collected.
    pub fn preview(&self, preview: impl FnOnce() -> Preview) {
        if let Some(p) = &self.previews {
            p.lock().unwrap().push(preview());
        }
    }
}

impl Env {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        host: kube::Client,
        kubefed_namespace: String,
        scope: ControlPlaneScope,
        adopt_resources: bool,
        clusters: Vec<ClusterView>,
        federated_namespaces: BTreeMap<String, BTreeSet<String>>,
        dry_run: bool,
        concurrency: usize,
    ) -> Self {
        Env {
            host,
            kubefed_namespace,
            scope,
            adopt_resources,
            clusters,
            federated_namespaces,
            dry_run,
            limiter: Arc::new(Semaphore::new(concurrency.max(1))),
            member_limiters: Default::default(),
            concurrency: concurrency.max(1),
            host_namespace_uids: Mutex::new(HashMap::new()),
            all_objects: Mutex::new(HashMap::new()),
            previews: None,
            propagated: None,
            adoption: AdoptionLookup::ListOnce,
            written: None,
            deletions: Arc::new(DeletionGate::unlimited()),
            delete_adopted: false,
            denied: HashMap::new(),
        }
    }

    /// The member's object at `key`, looked up in one listing of every object of the type in that
    /// namespace, made on first use in this pass.
    async fn unlisted_object(
        &self,
        ty: &TypeInfo,
        cluster: &str,
        client: &kube::Client,
        key: &ObjectKey,
    ) -> Result<Option<Value>, EngineError> {
        if self.adoption == AdoptionLookup::Get {
            let api = target_api(client.clone(), ty, key);
            let limiter = self.member_limiter(cluster);
            let _permit = limiter.acquire().await;
            return api
                .get_opt(&key.1)
                .await
                .map(|o| o.map(|o| super::cache::to_value(&o, &ty.target_api)))
                .map_err(|e| {
                    EngineError::from(e).context(format!(
                        "cannot read {} {}",
                        ty.target_api.kind,
                        qualified_key(key)
                    ))
                });
        }
        let cell = self
            .all_objects
            .lock()
            .unwrap()
            .entry((ty.name.clone(), cluster.to_string(), key.0.clone()))
            .or_default()
            .clone();
        let listing = cell
            .get_or_init(|| async {
                let limiter = self.member_limiter(cluster);
                let _permit = limiter.acquire().await;
                let ns = (!key.0.is_empty()).then_some(key.0.as_str());
                super::cache::list_objects(client, &ty.target_api, ty.gated(), ns, None)
                    .await
                    .map(Listing::Listed)
            })
            .await;
        match listing {
            Ok(l) => Ok(l.get(key)),
            Err(e) => Err(e.clone()),
        }
    }

    /// The in-flight limit of requests to member `cluster`.
    pub fn member_limiter(&self, cluster: &str) -> Arc<Semaphore> {
        self.member_limiters
            .lock()
            .unwrap()
            .entry(cluster.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(self.concurrency)))
            .clone()
    }

    fn cluster_infos(&self) -> Vec<ClusterInfo> {
        self.clusters.iter().map(ClusterView::info).collect()
    }

    /// UID of the host's namespace `name` (cached for the pass); `None` when it does not exist.
    async fn host_namespace_uid(&self, name: &str) -> Option<String> {
        if let Some(uid) = self.host_namespace_uids.lock().unwrap().get(name) {
            return uid.clone();
        }
        let api: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(self.host.clone());
        let uid = api
            .get_opt(name)
            .await
            .ok()
            .flatten()
            .and_then(|n| n.metadata.uid);
        self.host_namespace_uids
            .lock()
            .unwrap()
            .insert(name.to_string(), uid.clone());
        uid
    }
}

/// The step taken (or, with `--dry-run`, that would be taken) in one cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    None,
    Create,
    Update,
    Adopt,
    Delete,
    Unlabel,
}

impl Action {
    fn from_cluster_action(a: &ClusterAction) -> Action {
        match a {
            ClusterAction::Nothing | ClusterAction::Report(_) => Action::None,
            ClusterAction::Create => Action::Create,
            ClusterAction::Update => Action::Update,
            ClusterAction::Adopt => Action::Adopt,
            ClusterAction::Delete => Action::Delete,
            ClusterAction::RemoveManagedLabel => Action::Unlabel,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::None => "none",
            Action::Create => "create",
            Action::Update => "update",
            Action::Adopt => "adopt",
            Action::Delete => "delete",
            Action::Unlabel => "unlabel",
        }
    }

    pub fn writes(self) -> bool {
        self != Action::None
    }
}

/// One object × cluster outcome of a pass. `cluster` is empty for what concerns the object as a whole
/// (placement errors, `NamespaceNotFederated`, finalizer or status writes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    pub cluster: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub namespace: String,
    pub name: String,
    pub action: Action,
    /// KubeFed's per-cluster status string (`""` = propagated), or the object's aggregate reason.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Record {
    /// `<type> <ns>/<name>[ in cluster "<c>"]`, how messages name the object a record is about.
    /// `namespace/name`; a namespace (whose FederatedNamespace lives in itself) is just its name.
    pub fn object_name(&self) -> String {
        if self.namespace.is_empty()
            || (self.type_name == "namespaces" && self.namespace == self.name)
        {
            self.name.clone()
        } else {
            format!("{}/{}", self.namespace, self.name)
        }
    }

    pub fn subject(&self) -> String {
        let what = self.object_name();
        let place = if self.cluster.is_empty() {
            String::new()
        } else {
            format!(" in cluster {:?}", self.cluster)
        };
        format!("{} {what}{place}", self.type_name)
    }

    /// Whether this record means the object did not converge in that cluster. Waiting for a member to finish
    /// deleting is progress, not failure.
    pub fn failed(&self) -> bool {
        self.error.is_some()
            || !(self.status.is_empty()
                || self.status == ClusterPropagationStatus::WaitingForRemoval.as_str())
    }
}

/// `namespace/name`, or `name` when the namespace is empty.
pub fn qualified_key(key: &ObjectKey) -> String {
    if key.0.is_empty() {
        key.1.clone()
    } else {
        format!("{}/{}", key.0, key.1)
    }
}

/// `(namespace, name)` of a federated object (the key its RSP and its PropagatedVersion carry too).
pub(crate) fn fed_key(fed: &Value) -> ObjectKey {
    let s = |p: &str| {
        fed.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    (s("/metadata/namespace"), s("/metadata/name"))
}

fn has_finalizer(fed: &Value, finalizer: &str) -> bool {
    fed.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|f| f.iter().any(|v| v.as_str() == Some(finalizer)))
}

fn is_deleting(obj: &Value) -> bool {
    obj.pointer("/metadata/deletionTimestamp")
        .is_some_and(|v| !v.is_null())
}

/// Namespaces whose FederatedNamespace only gates: KubeFed never propagates them as Namespaces.
pub fn is_reserved_namespace(name: &str, kubefed_namespace: &str) -> bool {
    matches!(name, "kube-system" | "kube-public" | "default") || name == kubefed_namespace
}

fn target_api(client: kube::Client, ty: &TypeInfo, key: &ObjectKey) -> Api<DynamicObject> {
    if ty.gated() {
        Api::namespaced_with(client, &key.0, &ty.target_api)
    } else {
        Api::all_with(client, &ty.target_api)
    }
}

fn federated_api(env: &Env, ty: &TypeInfo, fed: &Value) -> Api<DynamicObject> {
    let (ns, _) = fed_key(fed);
    if ty.federated_namespaced {
        Api::namespaced_with(env.host.clone(), &ns, &ty.federated_api)
    } else {
        Api::all_with(env.host.clone(), &ty.federated_api)
    }
}

/// DeleteOptions (as returned by [`actions::delete_options`]) as request parameters.
pub fn delete_params(opts: &Value) -> DeleteParams {
    let s = |p: &serde_json::Map<String, Value>, k: &str| {
        p.get(k).and_then(Value::as_str).map(str::to_string)
    };
    DeleteParams {
        grace_period_seconds: opts
            .get("gracePeriodSeconds")
            .and_then(Value::as_u64)
            .map(|g| g.min(u32::MAX as u64) as u32),
        propagation_policy: match opts.get("propagationPolicy").and_then(Value::as_str) {
            Some("Orphan") => Some(PropagationPolicy::Orphan),
            Some("Background") => Some(PropagationPolicy::Background),
            Some("Foreground") => Some(PropagationPolicy::Foreground),
            _ => None,
        },
        preconditions: opts
            .get("preconditions")
            .and_then(Value::as_object)
            .map(|p| Preconditions {
                resource_version: s(p, "resourceVersion"),
                uid: s(p, "uid"),
            }),
        ..DeleteParams::default()
    }
}

fn to_value(o: DynamicObject) -> Value {
    serde_json::to_value(o).expect("objects serialise")
}

/// What happened in one cluster.
struct ClusterResult {
    record: Option<Record>,
    /// Entry for `status.clusters`, when the cluster has one.
    outcome: Option<ClusterOutcome>,
    wrote: bool,
    /// Deletion path: the member still holds the object (or cannot be checked), so the finalizer stays.
    blocks_release: bool,
    /// The member object's version to record in the PropagatedVersion (`gen:N` / `rv:N`).
    version: Option<String>,
    /// A deletion the budget held back: the object's status and versions are left as they are.
    held: bool,
}

impl ClusterResult {
    fn nothing() -> Self {
        ClusterResult {
            record: None,
            outcome: None,
            wrote: false,
            blocks_release: false,
            version: None,
            held: false,
        }
    }

    /// A deletion in `cluster` the budget held back.
    fn held(ctx: &ObjectCtx<'_>, cluster: &str) -> Self {
        ClusterResult {
            record: Some(Record {
                status: HELD_STATUS.to_string(),
                ..ctx.record(cluster, Action::Delete, ClusterPropagationStatus::Ok, None)
            }),
            blocks_release: true,
            held: true,
            ..ClusterResult::nothing()
        }
    }
}

struct ObjectCtx<'a> {
    env: &'a Env,
    ty: &'a TypeInfo,
    fed: &'a Value,
    key: ObjectKey,
    fed_ns: String,
    fed_name: String,
}

impl ObjectCtx<'_> {
    fn record(
        &self,
        cluster: &str,
        action: Action,
        status: ClusterPropagationStatus,
        error: Option<String>,
    ) -> Record {
        Record {
            cluster: cluster.to_string(),
            type_name: self.ty.name.clone(),
            namespace: self.fed_ns.clone(),
            name: self.fed_name.clone(),
            action,
            status: status.as_str().to_string(),
            error,
        }
    }

    fn object_record(&self, status: &str, error: Option<String>) -> Record {
        Record {
            cluster: String::new(),
            type_name: self.ty.name.clone(),
            namespace: self.fed_ns.clone(),
            name: self.fed_name.clone(),
            action: Action::None,
            status: status.to_string(),
            error,
        }
    }

    fn qualified(&self) -> String {
        if self.key.0.is_empty() {
            self.key.1.clone()
        } else {
            format!("{}/{}", self.key.0, self.key.1)
        }
    }

    /// Remembers a write to the federated object itself (finalizer, status), for watch-fed caches.
    fn wrote_host_object(&self, before: Option<&Value>, after: &DynamicObject) {
        if let Some(w) = &self.env.written {
            w.record(
                &super::cache::host_source(&self.ty.name),
                &fed_key(self.fed),
                before,
                Some(super::cache::to_value(after, &self.ty.federated_api)),
            );
        }
    }

    /// Asks the deletion budget whether this object may be deleted in `cluster` now.
    fn admit_deletion(&self, cluster: &str) -> bool {
        self.env.deletions.admit(cluster, &self.ty.name)
    }

    /// Where this object's (Cluster)PropagatedVersion lives: `(namespace, name)`.
    fn versions_key(&self) -> ObjectKey {
        let ns = if self.ty.federated_namespaced {
            self.fed_ns.clone()
        } else {
            String::new()
        };
        (
            ns,
            versions::propagated_version_name(&self.ty.target.kind, &self.fed_name),
        )
    }

    /// The object's (Cluster)PropagatedVersion, as stored.
    fn stored_versions(&self) -> Option<Value> {
        self.env.propagated.as_ref()?.get(&self.versions_key())
    }

    async fn is_host_namespace(&self, live: Option<&Value>) -> bool {
        if !self.ty.target.is_namespace() {
            return false;
        }
        let Some(uid) = live
            .and_then(|l| l.pointer("/metadata/uid"))
            .and_then(Value::as_str)
        else {
            return false;
        };
        self.env.host_namespace_uid(&self.key.1).await.as_deref() == Some(uid)
    }
}

/// Reconciles one federated object against every member cluster, given the managed objects of its type
/// listed once per cluster. Returns one record per cluster where something was decided, plus object-level
/// records for placement errors and host writes that failed.
#[tracing::instrument(level = "debug", name = "object", skip_all,
    fields(key = %qualified_key(&fed_key(fed))))]
pub async fn reconcile_object(
    env: &Env,
    ty: &TypeInfo,
    listings: &Listings,
    fed: &Value,
) -> Vec<Record> {
    let (fed_ns, fed_name) = fed_key(fed);
    let ctx = ObjectCtx {
        env,
        ty,
        fed,
        key: ty.target_key(fed),
        fed_ns,
        fed_name,
    };
    if ty.target.is_namespace() {
        // A FederatedNamespace must live in the namespace it federates; reserved namespaces only gate.
        if ctx.fed_ns != ctx.fed_name {
            return vec![ctx.object_record(
                "InvalidName",
                Some(format!(
                    "FederatedNamespace {}/{} is ignored: it must be named like its namespace ({}/{})",
                    ctx.fed_ns, ctx.fed_name, ctx.fed_ns, ctx.fed_ns
                )),
            )];
        }
        if is_reserved_namespace(&ctx.fed_name, &env.kubefed_namespace) {
            return Vec::new();
        }
    }
    if is_deleting(fed) {
        return reconcile_deletion(&ctx, listings).await;
    }

    let mut records = Vec::new();
    if !has_finalizer(fed, SYNC_FINALIZER) && !env.dry_run {
        if let Err(e) = set_finalizer(&ctx, true).await {
            records.push(ctx.object_record(
                "EnsureFinalizerError",
                Some(format!(
                    "cannot add finalizer {SYNC_FINALIZER} to {} {}: {}; nothing was propagated",
                    ty.federated_api.kind,
                    ctx.qualified(),
                    EngineError::from(e)
                )),
            ));
            return records;
        }
    }

    let infos = env.cluster_infos();
    let (placed, reason, placement_error) =
        match placement::selected_clusters(fed.pointer("/spec/placement"), &infos) {
            Err(e) => (
                BTreeSet::new(),
                AggregateReason::ComputePlacementFailed,
                Some(e.to_string()),
            ),
            Ok(selected) if ty.gated() => {
                let gated = placement::gate_by_namespace(
                    &selected,
                    env.federated_namespaces.get(&ctx.fed_ns),
                    env.scope,
                );
                let reason = if gated.namespace_not_federated {
                    AggregateReason::NamespaceNotFederated
                } else {
                    AggregateReason::Ok
                };
                (gated.clusters, reason, None)
            }
            Ok(selected) => (selected, AggregateReason::Ok, None),
        };
    match reason {
        AggregateReason::ComputePlacementFailed => {
            records.push(ctx.object_record(reason.as_str(), placement_error.clone()));
            // Without a placement nothing can be decided, least of all removals.
            write_status(&ctx, reason, BTreeMap::new(), false, &mut records).await;
            return records;
        }
        AggregateReason::NamespaceNotFederated => {
            records.push(ctx.object_record(
                reason.as_str(),
                Some(format!(
                "namespace {:?} has no FederatedNamespace {}/{}, so {} is placed in no cluster; \
                 federate the namespace first",
                ctx.fed_ns, ctx.fed_ns, ctx.fed_ns, ctx.qualified()
            )),
            ))
        }
        _ => {}
    }
    let overrides = parse_overrides(fed);
    let stored_versions = ctx.stored_versions();
    let trusted =
        versions::trusted_versions(stored_versions.as_ref().and_then(|v| v.get("status")), fed);

    let results =
        futures::future::join_all(env.clusters.iter().map(|cluster| {
            let selected = placed.contains(&cluster.name);
            let overrides = &overrides;
            let ctx = &ctx;
            let recorded = trusted
                .as_ref()
                .and_then(|t| t.get(&cluster.name))
                .map(String::as_str);
            async move {
                reconcile_in_cluster(ctx, cluster, selected, overrides, listings, recorded).await
            }
        }))
        .await;

    let mut clusters = BTreeMap::new();
    let mut cluster_versions = BTreeMap::new();
    let mut updated = false;
    let mut held = false;
    for (cluster, r) in env.clusters.iter().zip(results) {
        updated |= r.wrote;
        held |= r.held;
        if let Some(o) = r.outcome {
            clusters.insert(cluster.name.clone(), o);
        }
        if let Some(v) = r.version {
            cluster_versions.insert(cluster.name.clone(), v);
        }
        records.extend(r.record);
    }
    if held {
        // A deletion waits for consent (or for the second round of this pass): the object's status and
        // versions are written once its fate in every cluster is known.
        return records;
    }
    // Versions are rewritten when something was propagated or the record no longer fits the object; a
    // member object changed by someone else but still matching is only compared again next time.
    if updated || trusted.is_none() {
        write_versions(
            &ctx,
            stored_versions.as_ref(),
            &cluster_versions,
            &mut records,
        )
        .await;
    }
    write_status(&ctx, reason, clusters, updated, &mut records).await;
    records
}

#[tracing::instrument(level = "debug", name = "cluster", skip_all, fields(cluster = %cluster.name))]
async fn reconcile_in_cluster(
    ctx: &ObjectCtx<'_>,
    cluster: &ClusterView,
    selected: bool,
    overrides: &Result<
        BTreeMap<String, Vec<super::overrides::OverrideOp>>,
        super::overrides::OverrideError,
    >,
    listings: &Listings,
    recorded: Option<&str>,
) -> ClusterResult {
    use ClusterPropagationStatus as S;
    let name = cluster.name.as_str();
    let report = |status: S, error: Option<String>| ClusterResult {
        record: Some(ctx.record(name, Action::None, status, error)),
        outcome: Some(ClusterOutcome {
            status,
            remote_status: None,
        }),
        wrote: false,
        blocks_release: false,
        version: recorded.map(str::to_string),
        held: false,
    };
    let client = match (&cluster.client, cluster.ready) {
        (Some(c), true) => c.clone(),
        _ if selected => return report(S::ClusterNotReady, None),
        _ => return ClusterResult::nothing(),
    };
    let listing = match listings.get(name) {
        Some(Ok(l)) => l,
        Some(Err(e)) if selected => return report(S::CachedRetrievalFailed, Some(e.to_string())),
        None if selected => {
            return report(
                S::CachedRetrievalFailed,
                Some(format!("no listing of {} was made", ctx.ty.name)),
            )
        }
        // An incomplete view of the cluster is no ground for removals.
        _ => return ClusterResult::nothing(),
    };
    let (mut live, whole) = match listing.get_entry(&ctx.key) {
        Some((v, whole)) => (Some(v), whole),
        None => (None, true),
    };

    let ops = match overrides {
        Ok(o) => o,
        Err(e) if selected => return report(S::ApplyOverridesFailed, Some(e.to_string())),
        Err(_) => &BTreeMap::new(),
    };
    let make_desired =
        || desired::desired_object(ctx.fed, &ctx.ty.target, name, ops).map(|d| d.object);
    // Whether a member object still has the version KubeFed recorded after its last write.
    let at_recorded = |live: Option<&Value>| {
        recorded.is_some() && live.map(versions::object_version).as_deref() == recorded
    };
    let live_at_recorded = at_recorded(live.as_deref());
    // A member object that still has the `rv:` version propagated last is what was propagated, whatever
    // the template says: the desired object is made only when something is compared or written (in a
    // no-op pass, for no object).
    let propagated_unchanged =
        selected && live_at_recorded && recorded.is_some_and(|r| r.starts_with("rv:"));
    let mut desired = if selected && !propagated_unchanged {
        match make_desired() {
            Ok(d) => Some(d),
            Err(e) => return report(e.status(), Some(e.to_string())),
        }
    } else {
        None
    };

    let mut host_ns = ctx.is_host_namespace(live.as_deref()).await;
    let storage = Storage::of(&ctx.ty.target);
    let facts = |live: Option<&Value>,
                 at_recorded: bool,
                 desired: Option<&Value>,
                 is_host_namespace: bool| {
        // A `gen:` version says nothing of metadata, which changes without bumping the generation.
        let version_matches = match (recorded, live) {
            (Some(r), Some(l)) if at_recorded => {
                r.starts_with("rv:")
                    || desired.is_some_and(|d| matching::metadata_matches(d, l, storage))
            }
            _ => false,
        };
        actions::decide(&ClusterFacts {
            selected,
            ready: true,
            live,
            desired,
            adopt_resources: ctx.env.adopt_resources,
            is_host_namespace,
            storage,
            version_matches,
            delete_adopted: ctx.env.delete_adopted,
        })
    };
    let mut action = facts(live.as_deref(), live_at_recorded, desired.as_ref(), host_ns);
    if !whole && action == ClusterAction::Update {
        // The cache holds only the member object's metadata, and its version is not the one propagated:
        // the content decides whether it needs a write.
        let api = target_api(client.clone(), ctx.ty, &ctx.key);
        let limiter = ctx.env.member_limiter(name);
        let fetched = {
            let _permit = limiter.acquire().await;
            api.get_opt(&ctx.key.1).await
        };
        match fetched {
            Ok(o) => {
                live = o.map(|o| Cow::Owned(super::cache::to_value(&o, &ctx.ty.target_api)));
                action = facts(
                    live.as_deref(),
                    at_recorded(live.as_deref()),
                    desired.as_ref(),
                    host_ns,
                );
            }
            Err(e) => return report(S::RetrievalFailed, Some(EngineError::from(e).to_string())),
        }
    }
    if action == ClusterAction::Create {
        // Unlabelled (or opted-out) objects are not in the managed listing: look before creating.
        let found = ctx
            .env
            .unlisted_object(ctx.ty, name, &client, &ctx.key)
            .await;
        match found {
            Err(e) => return report(S::RetrievalFailed, Some(e.to_string())),
            Ok(Some(obj)) => {
                live = Some(Cow::Owned(obj));
                host_ns = ctx.is_host_namespace(live.as_deref()).await;
                action = facts(
                    live.as_deref(),
                    at_recorded(live.as_deref()),
                    desired.as_ref(),
                    host_ns,
                );
            }
            Ok(None) => {}
        }
    }

    if selected
        && desired.is_none()
        && !matches!(action, ClusterAction::Report(_) | ClusterAction::Nothing)
    {
        desired = match make_desired() {
            Ok(d) => Some(d),
            Err(e) => return report(e.status(), Some(e.to_string())),
        };
        action = facts(
            live.as_deref(),
            at_recorded(live.as_deref()),
            desired.as_ref(),
            host_ns,
        );
    }

    let remote = |obj: Option<&Value>| -> Option<Value> {
        if ctx.ty.raw_status {
            obj.and_then(|o| o.get("status")).cloned()
        } else {
            None
        }
    };
    let act = Action::from_cluster_action(&action);
    if action == ClusterAction::Delete && !ctx.admit_deletion(name) {
        return ClusterResult::held(ctx, name);
    }
    let mut desired = desired;
    if let Some(d) = desired.as_mut() {
        if action == ClusterAction::Adopt || live.as_deref().is_some_and(actions::is_adopted) {
            actions::mark_adopted(d);
        }
    }
    let mut result = match &action {
        ClusterAction::Nothing => return ClusterResult::nothing(),
        ClusterAction::Report(status) => {
            let error = match status {
                S::AlreadyExists => Some(format!(
                    "{} {} already exists in cluster {name:?} without label {MANAGED_LABEL}=true and \
                     adoption is disabled (KubeFedConfig spec.syncController.adoptResources)",
                    ctx.ty.target.kind,
                    ctx.qualified()
                )),
                _ => None,
            };
            // Converged: the live object is what was propagated; anything else keeps the old record.
            let version = match (status, live.as_deref()) {
                (S::Ok, Some(l)) => Some(versions::object_version(l)),
                _ => recorded.map(str::to_string),
            };
            ClusterResult {
                record: Some(ctx.record(name, Action::None, *status, error)),
                outcome: Some(ClusterOutcome {
                    status: *status,
                    remote_status: remote(live.as_deref()),
                }),
                wrote: false,
                blocks_release: false,
                version,
                held: false,
            }
        }
        _ if ctx.env.dry_run => {
            let status = action.success_status();
            ctx.env.preview(|| Preview {
                cluster: name.to_string(),
                type_name: ctx.ty.name.clone(),
                target_api: ctx.ty.target_api.clone(),
                key: ctx.key.clone(),
                action: act,
                live: live.as_deref().cloned(),
                desired: desired.clone(),
                client: Some(client.clone()),
            });
            ClusterResult {
                record: Some(ctx.record(name, act, status.unwrap_or_default(), None)),
                outcome: status.map(|status| ClusterOutcome {
                    status,
                    remote_status: remote(live.as_deref()),
                }),
                wrote: false,
                blocks_release: false,
                version: None,
                held: false,
            }
        }
        _ => {
            let written = execute(
                ctx,
                &client,
                name,
                &action,
                live.as_deref(),
                desired.as_ref(),
            )
            .await;
            match written {
                Ok(after) => {
                    let status = match (&action, &after) {
                        // Gone at once: nothing left to report for this cluster.
                        (ClusterAction::Delete, Written::Gone) => None,
                        _ => action.success_status(),
                    };
                    let obj = match &after {
                        Written::Object(o) => Some(o),
                        Written::Gone => None,
                    };
                    ClusterResult {
                        record: Some(ctx.record(name, act, status.unwrap_or_default(), None)),
                        outcome: status.map(|status| ClusterOutcome {
                            status,
                            remote_status: remote(obj),
                        }),
                        wrote: true,
                        blocks_release: false,
                        // Recorded only for what stays propagated (not for deletions or unlabelling).
                        version: obj
                            .filter(|_| selected && status == Some(S::Ok))
                            .map(versions::object_version),
                        held: false,
                    }
                }
                Err(e) => {
                    let status = if e.timed_out() {
                        action.timeout_status()
                    } else {
                        action.failure_status()
                    }
                    .unwrap_or(S::UpdateFailed);
                    ClusterResult {
                        record: Some(ctx.record(name, act, status, Some(e.to_string()))),
                        outcome: Some(ClusterOutcome {
                            status,
                            remote_status: None,
                        }),
                        wrote: false,
                        blocks_release: false,
                        version: recorded.map(str::to_string),
                        held: false,
                    }
                }
            }
        }
    };
    if !selected {
        result.version = None;
        if result.outcome.as_ref().is_some_and(|o| o.status == S::Ok) {
            result.outcome = None;
        }
    }
    result
}

enum Written {
    Object(Value),
    Gone,
}

/// Sends the write for an action; errors are texts naming the object and cluster.
async fn execute(
    ctx: &ObjectCtx<'_>,
    client: &kube::Client,
    cluster: &str,
    action: &ClusterAction,
    live: Option<&Value>,
    desired: Option<&Value>,
) -> Result<Written, EngineError> {
    let written = send(ctx, client, cluster, action, desired)
        .await
        .inspect_err(|e| tracing::debug!(?action, error = %e, "write failed"))?;
    tracing::debug!(?action, "written");
    if let Some(w) = &ctx.env.written {
        let after = match &written {
            Written::Object(o) => Some(o.clone()),
            Written::Gone => None,
        };
        w.record(
            &super::cache::member_source(cluster, &ctx.ty.name),
            &ctx.key,
            live,
            after,
        );
    }
    Ok(written)
}

async fn send(
    ctx: &ObjectCtx<'_>,
    client: &kube::Client,
    cluster: &str,
    action: &ClusterAction,
    desired: Option<&Value>,
) -> Result<Written, EngineError> {
    let api = target_api(client.clone(), ctx.ty, &ctx.key);
    let name = ctx.key.1.as_str();
    let limiter = ctx.env.member_limiter(cluster);
    let _permit = limiter.acquire().await;
    match action {
        ClusterAction::Create | ClusterAction::Update | ClusterAction::Adopt => {
            let desired = desired.ok_or_else(|| EngineError::invalid("no desired object"))?;
            let params = PatchParams::apply(FIELD_MANAGER).force();
            api.patch(name, &params, &Patch::Apply(desired))
                .await
                .map(|o| Written::Object(to_value(o)))
                .map_err(EngineError::from)
        }
        ClusterAction::Delete => {
            let opts = actions::delete_options(ctx.fed).map_err(EngineError::invalid)?;
            match api.delete(name, &delete_params(&opts)).await {
                Ok(outcome) => Ok(match outcome.left() {
                    Some(o) => Written::Object(to_value(o)),
                    None => Written::Gone,
                }),
                Err(kube::Error::Api(s)) if s.code == 404 => Ok(Written::Gone),
                Err(e) => Err(e.into()),
            }
        }
        ClusterAction::RemoveManagedLabel => unlabel(&api, name).await.map(Written::Object),
        ClusterAction::Nothing | ClusterAction::Report(_) => {
            Err(EngineError::invalid("nothing to write"))
        }
    }
}

/// Strips the managed label, leaving the object in place.
pub async fn unlabel(api: &Api<DynamicObject>, name: &str) -> Result<Value, EngineError> {
    let params = PatchParams {
        field_manager: Some(FIELD_MANAGER.to_string()),
        ..Default::default()
    };
    let patch = json!({"metadata": {
        "labels": {MANAGED_LABEL: null},
        "annotations": {actions::ADOPTED_ANNOTATION: null},
    }});
    api.patch(name, &params, &Patch::Merge(&patch))
        .await
        .map(to_value)
        .map_err(EngineError::from)
}

/// Adds or removes the sync finalizer, guarded by the object's resourceVersion.
async fn set_finalizer(ctx: &ObjectCtx<'_>, present: bool) -> Result<(), kube::Error> {
    let mut finalizers: Vec<Value> = ctx
        .fed
        .pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    finalizers.retain(|f| f.as_str() != Some(SYNC_FINALIZER));
    if present {
        finalizers.push(json!(SYNC_FINALIZER));
    }
    let mut meta = json!({"finalizers": finalizers});
    if let Some(rv) = ctx.fed.pointer("/metadata/resourceVersion") {
        meta["resourceVersion"] = rv.clone();
    }
    let api = federated_api(ctx.env, ctx.ty, ctx.fed);
    let _permit = ctx.env.limiter.acquire().await;
    let o = api
        .patch(
            &ctx.fed_name,
            &PatchParams::default(),
            &Patch::Merge(json!({ "metadata": meta })),
        )
        .await?;
    ctx.wrote_host_object(Some(ctx.fed), &o);
    Ok(())
}

/// Records the member versions just propagated in the object's (Cluster)PropagatedVersion, as KubeFed does,
/// creating it (owned by the federated object, so it goes with it) when there is none. Nothing is written
/// when the record is already current, in a dry run, or when the host serves no PropagatedVersion type.
async fn write_versions(
    ctx: &ObjectCtx<'_>,
    stored: Option<&Value>,
    cluster_versions: &BTreeMap<String, String>,
    records: &mut Vec<Record>,
) {
    if ctx.env.dry_run || ctx.env.propagated.is_none() {
        return;
    }
    let status = versions::propagated_version_status(ctx.fed, cluster_versions);
    if stored.and_then(|s| s.get("status")) == Some(&status) {
        return;
    }
    let (ns, name) = ctx.versions_key();
    let resource = versions::propagated_version_resource(ctx.ty.federated_namespaced);
    let api: Api<DynamicObject> = if ns.is_empty() {
        Api::all_with(ctx.env.host.clone(), &resource)
    } else {
        Api::namespaced_with(ctx.env.host.clone(), &ns, &resource)
    };
    let failed = |e: kube::Error| {
        let e = EngineError::from(e).context(format!(
            "cannot record the propagated versions of {} {} in {} {name}",
            ctx.ty.federated_api.kind,
            ctx.qualified(),
            resource.kind,
        ));
        ctx.object_record("", Some(e.to_string()))
    };
    let source = super::cache::versions_source(!ns.is_empty());
    let key = (ns.clone(), name.clone());
    let mut created = None;
    let _permit = ctx.env.limiter.acquire().await;
    if stored.is_none() {
        let mut meta = json!({"name": name, "ownerReferences": [{
            "apiVersion": ctx.fed.get("apiVersion").cloned().unwrap_or_else(|| json!(ctx.ty.federated_api.api_version)),
            "kind": ctx.ty.federated_api.kind,
            "name": ctx.fed_name,
            "uid": ctx.fed.pointer("/metadata/uid").cloned().unwrap_or(Value::Null),
        }]});
        if !ns.is_empty() {
            meta["namespace"] = json!(ns);
        }
        let body: DynamicObject = serde_json::from_value(json!({
            "apiVersion": resource.api_version, "kind": resource.kind, "metadata": meta,
        }))
        .expect("a PropagatedVersion object");
        match api.create(&PostParams::default(), &body).await {
            Ok(o) => {
                created = Some(super::cache::to_value(&o, &resource));
                if let Some(w) = &ctx.env.written {
                    w.record(source, &key, None, created.clone());
                }
            }
            // Made by another writer since the pass listed them: its status is overwritten below.
            Err(kube::Error::Api(s)) if s.code == 409 => {}
            Err(e) => {
                records.push(failed(e));
                return;
            }
        }
    }
    match api
        .patch_status(
            &name,
            &PatchParams::default(),
            &Patch::Merge(json!({ "status": status })),
        )
        .await
    {
        Ok(o) => {
            if let Some(w) = &ctx.env.written {
                w.record(
                    source,
                    &key,
                    created.as_ref().or(stored),
                    Some(super::cache::to_value(&o, &resource)),
                );
            }
        }
        Err(e) => records.push(failed(e)),
    }
}

/// Writes the federated object's status through its status subresource when it changed.
async fn write_status(
    ctx: &ObjectCtx<'_>,
    reason: AggregateReason,
    clusters: BTreeMap<String, ClusterOutcome>,
    resources_updated: bool,
    records: &mut Vec<Record>,
) {
    let input = StatusInput {
        generation: ctx
            .fed
            .pointer("/metadata/generation")
            .and_then(Value::as_i64)
            .unwrap_or(0),
        reason,
        clusters,
        resources_updated,
        raw_status_collection: ctx.ty.raw_status,
    };
    let old = ctx.fed.get("status").filter(|s| !s.is_null());
    let Some(new) = compute_status(old, &input, &super::now_rfc3339()) else {
        return;
    };
    if ctx.env.dry_run {
        return;
    }
    let api = federated_api(ctx.env, ctx.ty, ctx.fed);
    let patch = super::clusters::status_merge_patch(old, &new);
    let _permit = ctx.env.limiter.acquire().await;
    match api
        .patch_status(
            &ctx.fed_name,
            &PatchParams::default(),
            &Patch::Merge(&patch),
        )
        .await
    {
        Ok(o) => ctx.wrote_host_object(Some(ctx.fed), &o),
        Err(e) => records.push(ctx.object_record(
            "StatusUpdateFailed",
            Some(format!(
                "cannot write the status of {} {}: {}",
                ctx.ty.federated_api.kind,
                ctx.qualified(),
                EngineError::from(e)
            )),
        )),
    }
}

/// Deletion of a federated object (§3.6): orphan (unlabel) or delete in every cluster holding a managed copy,
/// then release the finalizer once no ready cluster holds one and no placed cluster is unready.
async fn reconcile_deletion(ctx: &ObjectCtx<'_>, listings: &Listings) -> Vec<Record> {
    use ClusterPropagationStatus as S;
    if !has_finalizer(ctx.fed, SYNC_FINALIZER) {
        return Vec::new();
    }
    let env = ctx.env;
    let orphan = actions::is_orphaning(ctx.fed);
    let infos = env.cluster_infos();
    let placed: BTreeSet<String> =
        placement::selected_clusters(ctx.fed.pointer("/spec/placement"), &infos)
            .map(|s| {
                if ctx.ty.gated() {
                    placement::gate_by_namespace(
                        &s,
                        env.federated_namespaces.get(&ctx.fed_ns),
                        env.scope,
                    )
                    .clusters
                } else {
                    s
                }
            })
            // Unknown placement: every cluster counts as placed, so none is skipped unchecked.
            .unwrap_or_else(|_| infos.iter().map(|c| c.name.clone()).collect());

    let results = futures::future::join_all(env.clusters.iter().map(|cluster| {
        let placed = placed.contains(&cluster.name);
        async move { delete_in_cluster(ctx, cluster, placed, orphan, listings).await }
    }))
    .await;

    let mut records = Vec::new();
    let mut clusters = BTreeMap::new();
    let mut blocked = false;
    let mut wrote = false;
    let mut held = false;
    for (cluster, r) in env.clusters.iter().zip(results) {
        blocked |= r.blocks_release;
        wrote |= r.wrote;
        held |= r.held;
        if let Some(o) = r.outcome {
            clusters.insert(cluster.name.clone(), o);
        }
        records.extend(r.record);
    }
    if blocked || env.dry_run {
        if blocked && !held {
            write_status(ctx, AggregateReason::Ok, clusters, wrote, &mut records).await;
        }
        return records;
    }
    if let Err(e) = set_finalizer(ctx, false).await {
        records.push(ctx.object_record(
            S::DeletionFailed.as_str(),
            Some(format!(
                "cannot remove finalizer {SYNC_FINALIZER} from {} {}: {}",
                ctx.ty.federated_api.kind,
                ctx.qualified(),
                EngineError::from(e)
            )),
        ));
    }
    records
}

async fn delete_in_cluster(
    ctx: &ObjectCtx<'_>,
    cluster: &ClusterView,
    placed: bool,
    orphan: bool,
    listings: &Listings,
) -> ClusterResult {
    use ClusterPropagationStatus as S;
    let name = cluster.name.as_str();
    let blocked = |status: S, action: Action, error: Option<String>| ClusterResult {
        record: Some(ctx.record(name, action, status, error)),
        outcome: Some(ClusterOutcome {
            status,
            remote_status: None,
        }),
        wrote: false,
        blocks_release: true,
        version: None,
        held: false,
    };
    let client = match (&cluster.client, cluster.ready) {
        (Some(c), true) => c.clone(),
        // Orphaning leaves member objects in place anyway; KubeFed does not wait for unready clusters there.
        _ if placed && !orphan => {
            return blocked(
                S::ClusterNotReady,
                Action::None,
                Some(format!(
                    "cluster {name:?} is not ready, so the deletion cannot be confirmed there; the \
                     finalizer {SYNC_FINALIZER} stays until it is (or remove it by hand to give up)"
                )),
            )
        }
        _ => return ClusterResult::nothing(),
    };
    let listing = match listings.get(name) {
        Some(Ok(l)) => l,
        Some(Err(e)) => {
            return blocked(S::CachedRetrievalFailed, Action::None, Some(e.to_string()))
        }
        None => return ClusterResult::nothing(),
    };
    let Some(live) = listing.get(&ctx.key) else {
        return ClusterResult::nothing();
    };
    let live = &live;
    if actions::managed_label(live) != Some("true") {
        return ClusterResult::nothing();
    }
    let host_ns = ctx.is_host_namespace(Some(live)).await;
    let action = if orphan || host_ns || (actions::is_adopted(live) && !ctx.env.delete_adopted) {
        // What existed before it was federated is released, never deleted.
        ClusterAction::RemoveManagedLabel
    } else if is_deleting(live) {
        return blocked(S::WaitingForRemoval, Action::None, None);
    } else {
        ClusterAction::Delete
    };
    let act = Action::from_cluster_action(&action);
    if action == ClusterAction::Delete && !ctx.admit_deletion(name) {
        return ClusterResult::held(ctx, name);
    }
    if ctx.env.dry_run {
        ctx.env.preview(|| Preview {
            cluster: name.to_string(),
            type_name: ctx.ty.name.clone(),
            target_api: ctx.ty.target_api.clone(),
            key: ctx.key.clone(),
            action: act,
            live: Some(live.clone()),
            desired: None,
            client: Some(client.clone()),
        });
        return ClusterResult {
            record: Some(ctx.record(name, act, S::Ok, None)),
            ..ClusterResult::nothing()
        };
    }
    match execute(ctx, &client, name, &action, Some(live), None).await {
        Ok(Written::Object(_))
            if action == ClusterAction::Delete && !gone_soon(ctx, &client).await =>
        {
            // Accepted but not gone yet (finalizers in the member): a later pass confirms it.
            ClusterResult {
                record: Some(ctx.record(name, act, S::WaitingForRemoval, None)),
                outcome: Some(ClusterOutcome {
                    status: S::WaitingForRemoval,
                    remote_status: None,
                }),
                wrote: true,
                blocks_release: true,
                version: None,
                held: false,
            }
        }
        Ok(_) => ClusterResult {
            record: Some(ctx.record(name, act, S::Ok, None)),
            wrote: true,
            ..ClusterResult::nothing()
        },
        Err(e) => {
            let status = action.failure_status().unwrap_or(S::DeletionFailed);
            blocked(status, act, Some(e.to_string()))
        }
    }
}

/// How long a pass waits for a member to finish a deletion it accepted (finalizers, orphaning by the
/// garbage collector) before leaving the confirmation to a later pass.
const DELETION_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Whether the member object disappears within [`DELETION_WAIT`].
async fn gone_soon(ctx: &ObjectCtx<'_>, client: &kube::Client) -> bool {
    let api = target_api(client.clone(), ctx.ty, &ctx.key);
    let max_delay = std::time::Duration::from_millis(500);
    let gone = crate::wait::poll(DELETION_WAIT, max_delay, || async {
        // A failed read is not a deletion: keep looking until the deadline.
        Ok(match api.get_opt(&ctx.key.1).await {
            Ok(None) => Ok(()),
            Ok(Some(_)) | Err(_) => Err(()),
        })
    })
    .await;
    matches!(gone, Ok(Ok(())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delete_params_carry_only_what_kubefed_honours() {
        let dp = delete_params(&json!({
            "gracePeriodSeconds": 5,
            "propagationPolicy": "Orphan",
            "preconditions": {"uid": "u1"}
        }));
        assert_eq!(dp.grace_period_seconds, Some(5));
        assert_eq!(dp.propagation_policy, Some(PropagationPolicy::Orphan));
        assert_eq!(
            dp.preconditions,
            Some(Preconditions {
                uid: Some("u1".into()),
                resource_version: None
            })
        );
        assert_eq!(delete_params(&json!({})), DeleteParams::default());
    }

    #[test]
    fn waiting_for_removal_is_not_a_failure_but_other_statuses_are() {
        let mut r = Record {
            cluster: "c1".into(),
            type_name: "configmaps".into(),
            namespace: "ns".into(),
            name: "n".into(),
            action: Action::Delete,
            status: "WaitingForRemoval".into(),
            error: None,
        };
        assert!(!r.failed());
        r.status = String::new();
        assert!(!r.failed());
        r.status = "ClusterNotReady".into();
        assert!(r.failed());
        r.status = String::new();
        r.error = Some("boom".into());
        assert!(r.failed());
    }

    #[test]
    fn reserved_namespaces_are_the_system_ones_and_the_control_plane() {
        for ns in [
            "kube-system",
            "kube-public",
            "default",
            "kube-federation-system",
        ] {
            assert!(is_reserved_namespace(ns, "kube-federation-system"), "{ns}");
        }
        assert!(!is_reserved_namespace("prod", "kube-federation-system"));
    }

    #[test]
    fn namespace_targets_are_keyed_without_namespace() {
        let ty = |kind: &str, namespaced: bool| TypeInfo {
            name: "x".into(),
            target: TargetInfo {
                group: String::new(),
                version: "v1".into(),
                kind: kind.into(),
                namespaced,
            },
            target_api: kube::core::ApiResource {
                group: String::new(),
                version: "v1".into(),
                api_version: "v1".into(),
                kind: kind.into(),
                plural: "xs".into(),
            },
            federated_api: kube::core::ApiResource {
                group: "types.kubefed.io".into(),
                version: "v1beta1".into(),
                api_version: "types.kubefed.io/v1beta1".into(),
                kind: format!("Federated{kind}"),
                plural: "federatedxs".into(),
            },
            federated_namespaced: true,
            raw_status: false,
        };
        let fed = json!({"metadata": {"namespace": "p", "name": "p"}});
        assert_eq!(
            ty("Namespace", false).target_key(&fed),
            (String::new(), "p".to_string())
        );
        assert_eq!(
            ty("ConfigMap", true).target_key(&fed),
            ("p".to_string(), "p".to_string())
        );
    }
}
