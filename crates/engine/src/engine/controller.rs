//! `reconcile --watch`'s driver: watch-fed caches of the host's control plane and federated objects and of
//! each ready member's managed objects, a work queue of the federated objects a change affects (with
//! de-duplication, bounded concurrency and per-object exponential backoff), and workers that reconcile them
//! with the same per-object reconcile `--once` uses — from the caches, so a change costs no LIST.
//!
//! What wakes what: a federated object's spec, labels, annotations, finalizers or deletion → that object; a
//! managed member object changed by someone else (not our own write's echo, not a status-only update) or
//! deleted → its federated object; a FederatedNamespace → every object in its namespace; a
//! ReplicaSchedulingPreference → its object; an FTC, KubeFedCluster (spec or labels), the KubeFedConfig or a
//! member's readiness → everything; a periodic resync → everything. Multi-cluster DNS (where its CRDs are
//! installed) is brought up to date from caches too, after a DNS record, Domain or DNSEndpoint changed, a
//! member Service's (Ingress's) load balancer changed, or the members did.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::stream::FuturesUnordered;
use futures::{Future, StreamExt};
use kube::api::{Api, DynamicObject};
use kube::core::ApiResource;
use kube::runtime::watcher::{self, Event};
use kube::runtime::WatchStreamExt;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::cache::{self, CachedListing, Listing, ObjectStore, Written};
use super::clusters;
use super::deletions::DeletionGate;
use super::desired::{FIELD_MANAGER, MANAGED_LABEL};
use super::dns::{self, RecordKind};
use super::error::EngineError;
use super::events::{tell, Observer, WatchEvent};
use super::placement::{ClusterInfo, ControlPlaneScope};
use super::reconcile::{
    self, AdoptionLookup, Env, Listings, ObjectKey, Record, TypeInfo, Versions,
};
use super::runner::{self, PassState, Report, RunOptions};
use super::scheduling;
use super::status::ClusterPropagationStatus;
use super::versions;
use crate::kubefed::types::{
    FederatedTypeConfig, KubeFedCluster, KubeFedConfig, ReplicaSchedulingPreference,
};
use crate::kubefed::{FEATURE_RAW_RESOURCE_STATUS_COLLECTION, FEATURE_SCHEDULER_PREFERENCES};

/// A federated object: `(type name, namespace, name)`.
pub type WorkKey = (String, String, String);

/// What a cache saw that may need work.
pub(crate) enum Change {
    /// A federated object's spec or metadata changed, or it went away.
    Federated { type_name: String, key: ObjectKey },
    /// A managed member object changed (`version`: its `gen:`/`rv:` version) or went away (`None`).
    Member {
        cluster: String,
        type_name: String,
        key: ObjectKey,
        version: Option<String>,
    },
    /// A cache finished a complete (re)listing: everything it holds is looked at.
    Listed(Watched),
    /// An FTC, KubeFedCluster (spec, labels) or the KubeFedConfig changed.
    ControlPlane,
    /// A ReplicaSchedulingPreference changed.
    Schedule(ObjectKey),
    /// A DNS record, Domain or DNSEndpoint changed, or a member Service's (Ingress's) load balancer.
    Dns,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Watched {
    Federated(String),
    Member(String, String),
    Other,
}

/// A running reflector, stopped when dropped.
struct Cache {
    store: ObjectStore,
    resource: ApiResource,
    started: Instant,
    task: JoinHandle<()>,
    metadata_only: bool,
}

impl Cache {
    /// Every object it holds, with `apiVersion` and `kind`.
    fn values(&self) -> Vec<Value> {
        self.store.values(&self.resource)
    }
}

impl Drop for Cache {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What a change to an object can mean to the engine: its generation (or, for types without one, its
/// resourceVersion), labels, annotations, finalizers and deletion. Status-only updates keep it.
fn signature(o: &DynamicObject) -> u64 {
    let m = &o.metadata;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match m.generation {
        Some(g) if g != 0 => g.hash(&mut h),
        _ => m.resource_version.hash(&mut h),
    }
    format!("{:?}{:?}{:?}", m.labels, m.annotations, m.finalizers).hash(&mut h);
    m.deletion_timestamp.is_some().hash(&mut h);
    h.finish()
}

/// [`versions::object_version`] of an object's metadata.
fn meta_version(m: &kube::core::ObjectMeta) -> String {
    match m.generation {
        Some(g) if g != 0 => format!("gen:{g}"),
        _ => format!("rv:{}", m.resource_version.as_deref().unwrap_or_default()),
    }
}

/// What a cache keeps of its objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Content and status (raw status collection, scheduling reads them).
    Status,
    /// Content without status.
    Content,
    /// Metadata only: enough to decide, with the PropagatedVersions, that a member object is as
    /// propagated, to detect any change to it (its resourceVersion or generation), and to delete or
    /// release it; comparing its content with the template takes a GET. Member caches of most types
    /// hold this, so memory follows the number of objects, not their size.
    Metadata,
}

/// Drops what reconcile never reads: other managers' managedFields, kubectl's last-applied annotation, and
/// what `keep` does not keep.
fn prune(o: &mut DynamicObject, keep: Keep) {
    if let Some(fields) = o.metadata.managed_fields.as_mut() {
        fields.retain(|f| keep != Keep::Metadata && f.manager.as_deref() == Some(FIELD_MANAGER));
    }
    if let Some(a) = o.metadata.annotations.as_mut() {
        a.remove("kubectl.kubernetes.io/last-applied-configuration");
    }
    match keep {
        Keep::Status => {}
        Keep::Content => {
            if let Some(obj) = o.data.as_object_mut() {
                obj.remove("status");
            }
        }
        Keep::Metadata => o.data = Value::Object(Default::default()),
    }
}

/// How a cache turns its objects into keys and changes.
#[derive(Clone)]
enum Feed {
    Federated {
        type_name: String,
    },
    Member {
        cluster: String,
        type_name: String,
        namespaced: bool,
        /// Its objects' load balancers feed DNS records: a change to one is a [`Change::Dns`].
        dns: bool,
    },
    ControlPlane,
    Schedule,
    Dns,
    Silent,
}

/// What of a member object a DNS record publishes.
fn load_balancer_signature(o: &DynamicObject) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    o.data
        .pointer("/status/loadBalancer")
        .map(Value::to_string)
        .hash(&mut h);
    h.finish()
}

fn start_cache(
    api: Api<DynamicObject>,
    resource: ApiResource,
    config: watcher::Config,
    feed: Feed,
    keep: Keep,
    tx: mpsc::UnboundedSender<Change>,
) -> Cache {
    let store = ObjectStore::default();
    let writer = store.clone();
    let task = tokio::spawn(async move {
        let mut relisting = cache::Listed::default();
        let mut seen: HashMap<ObjectKey, u64> = HashMap::new();
        let mut load_balancers: HashMap<ObjectKey, u64> = HashMap::new();
        let feeds_dns = matches!(feed, Feed::Member { dns: true, .. });
        let stream = watcher::watcher(api, config)
            .default_backoff()
            .modify(move |o| prune(o, keep));
        futures::pin_mut!(stream);
        let key_of = |o: &DynamicObject, namespaced: bool| -> ObjectKey {
            let name = o.metadata.name.clone().unwrap_or_default();
            if namespaced {
                (o.metadata.namespace.clone().unwrap_or_default(), name)
            } else {
                (String::new(), name)
            }
        };
        while let Some(event) = stream.next().await {
            // The store is current before the change is told, so whoever handles it reads the new state.
            match &event {
                Ok(Event::Init) => relisting = cache::Listed::default(),
                Ok(Event::InitApply(o)) => relisting.add(o),
                Ok(Event::InitDone) => writer.replace(std::mem::take(&mut relisting)),
                Ok(Event::Apply(o)) => writer.apply(o),
                Ok(Event::Delete(o)) => writer.delete(o),
                Err(_) => {}
            }
            let namespaced = match &feed {
                Feed::Member { namespaced, .. } => *namespaced,
                _ => true,
            };
            let (object, gone) = match event {
                // A (re)listing: remembered quietly, then looked at as a whole once complete.
                Ok(Event::InitApply(o)) => {
                    if feeds_dns {
                        load_balancers.insert(key_of(&o, namespaced), load_balancer_signature(&o));
                    }
                    seen.insert(key_of(&o, namespaced), signature(&o));
                    continue;
                }
                Ok(Event::Apply(o)) => (o, false),
                Ok(Event::Delete(o)) => (o, true),
                Ok(Event::InitDone) => {
                    let watched = match &feed {
                        Feed::Federated { type_name } => Watched::Federated(type_name.clone()),
                        Feed::Member {
                            cluster, type_name, ..
                        } => Watched::Member(cluster.clone(), type_name.clone()),
                        _ => Watched::Other,
                    };
                    let _ = match feed {
                        Feed::ControlPlane => tx.send(Change::ControlPlane),
                        Feed::Dns => tx.send(Change::Dns),
                        Feed::Silent => Ok(()),
                        _ => tx.send(Change::Listed(watched)),
                    };
                    continue;
                }
                Ok(Event::Init) | Err(_) => continue,
            };
            let key = key_of(&object, namespaced);
            if feeds_dns {
                let lb = load_balancer_signature(&object);
                let moved = if gone {
                    load_balancers.remove(&key).is_some()
                } else {
                    load_balancers.insert(key.clone(), lb) != Some(lb)
                };
                if moved && tx.send(Change::Dns).is_err() {
                    return;
                }
            }
            let sig = signature(&object);
            let unchanged = if gone {
                seen.remove(&key).is_none()
            } else {
                seen.insert(key.clone(), sig) == Some(sig)
            };
            if unchanged {
                continue;
            }
            let change = match &feed {
                Feed::Federated { type_name } => Change::Federated {
                    type_name: type_name.clone(),
                    key,
                },
                Feed::Member {
                    cluster, type_name, ..
                } => Change::Member {
                    cluster: cluster.clone(),
                    type_name: type_name.clone(),
                    version: (!gone).then(|| meta_version(&object.metadata)),
                    key,
                },
                Feed::ControlPlane => Change::ControlPlane,
                Feed::Schedule => Change::Schedule(key),
                Feed::Dns => Change::Dns,
                Feed::Silent => continue,
            };
            if tx.send(change).is_err() {
                return;
            }
        }
    });
    Cache {
        store,
        resource,
        started: Instant::now(),
        task,
        metadata_only: keep == Keep::Metadata,
    }
}

/// The work queue: each key at most once in it, never reconciled twice at the same time, retried with
/// exponential backoff while it fails. A key a change woke goes before the keys a listing, a resync or a
/// control-plane change queued in bulk, so an edit made while the watcher works through thousands of
/// objects is not held behind them.
#[derive(Default)]
struct Queue {
    /// Keys a change woke, in order. May hold stale entries (a key taken from the other list): `queued`
    /// says which are live.
    changed: VecDeque<WorkKey>,
    /// Keys queued in bulk, in order; stale entries as above.
    pending: VecDeque<WorkKey>,
    /// The keys waiting, each once, and whether a change woke it.
    queued: HashMap<WorkKey, bool>,
    running: HashSet<WorkKey>,
    /// Changed while running: queued again when it finishes.
    again: HashSet<WorkKey>,
    /// Failing keys: attempts so far and when to retry.
    backoff: HashMap<WorkKey, (u32, Instant)>,
    /// The same retries in time order, so finding the due ones costs what is due, not every failing key
    /// (a member down fails every object placed there).
    schedule: BTreeSet<(Instant, WorkKey)>,
}

const BACKOFF_BASE: Duration = Duration::from_secs(1);
const BACKOFF_MAX: Duration = Duration::from_secs(300);

impl Queue {
    /// Queues a key in bulk (a listing, a resync, a control-plane change, a retry).
    fn push(&mut self, key: WorkKey) {
        if self.running.contains(&key) {
            self.again.insert(key);
        } else if !self.queued.contains_key(&key) {
            self.queued.insert(key.clone(), false);
            self.pending.push_back(key);
        }
    }

    /// Queues a key a change woke, ahead of the bulk.
    fn push_changed(&mut self, key: WorkKey) {
        if self.running.contains(&key) {
            self.again.insert(key);
        } else if self.queued.get(&key) != Some(&true) {
            self.queued.insert(key.clone(), true);
            self.changed.push_back(key);
        }
    }

    fn pop(&mut self) -> Option<WorkKey> {
        let key = loop {
            let (key, changed) = match self.changed.pop_front() {
                Some(k) => (k, true),
                None => (self.pending.pop_front()?, false),
            };
            // Live where it was last queued; a stale copy is skipped.
            if self.queued.get(&key) == Some(&changed) {
                break key;
            }
        };
        self.queued.remove(&key);
        self.running.insert(key.clone());
        Some(key)
    }

    fn done(&mut self, key: &WorkKey, failed: bool, now: Instant) {
        self.running.remove(key);
        if failed {
            let attempts = self.backoff.get(key).map(|b| b.0).unwrap_or(0) + 1;
            let delay = BACKOFF_BASE
                .saturating_mul(1u32 << attempts.min(16).saturating_sub(1))
                .min(BACKOFF_MAX);
            if let Some((_, at)) = self.backoff.insert(key.clone(), (attempts, now + delay)) {
                self.schedule.remove(&(at, key.clone()));
            }
            self.schedule.insert((now + delay, key.clone()));
        } else if let Some((_, at)) = self.backoff.remove(key) {
            self.schedule.remove(&(at, key.clone()));
        }
        if self.again.remove(key) {
            self.push_changed(key.clone());
        }
    }

    /// Queues the failing keys whose retry time has come; returns when the next one is due. A due key
    /// already queued or running is left to that run, whose end schedules it again if it fails.
    fn due(&mut self, now: Instant) -> Option<Instant> {
        while let Some((at, _)) = self.schedule.first() {
            if *at > now {
                break;
            }
            let (_, k) = self.schedule.pop_first().expect("an entry was there");
            // Keep the attempt count, but not the due time, so it is not queued twice.
            if let Some(b) = self.backoff.get_mut(&k) {
                b.1 = now + BACKOFF_MAX;
            }
            if !self.queued.contains_key(&k) && !self.running.contains(&k) {
                self.push(k);
            }
        }
        self.schedule.first().map(|(at, _)| *at)
    }

    fn idle(&self) -> bool {
        self.queued.is_empty() && self.running.is_empty()
    }
}

/// Statuses KubeFed retries (with backoff) rather than waiting for the next change.
fn needs_retry(records: &[Record]) -> bool {
    use ClusterPropagationStatus as S;
    let retried = [
        S::CreationFailed,
        S::UpdateFailed,
        S::DeletionFailed,
        S::LabelRemovalFailed,
        S::RetrievalFailed,
        S::CachedRetrievalFailed,
        S::ClientRetrievalFailed,
    ];
    records.iter().any(|r| {
        (r.error.is_some() && r.status != S::ClusterNotReady.as_str())
            || retried.iter().any(|s| s.as_str() == r.status)
    })
}

/// One enabled type: its info and the cache of its federated objects.
struct TypeState {
    info: TypeInfo,
    federated: Cache,
}

/// The leader's state.
pub(crate) struct Controller {
    host: kube::Client,
    opts: RunOptions,
    state: PassState,
    tx: mpsc::UnboundedSender<Change>,
    written: Arc<Written>,
    scope: ControlPlaneScope,
    host_filter: Option<Option<String>>,
    /// The KubeFedClusters: members and their health are read from here, not listed again.
    kubefed_clusters: Cache,
    /// The KubeFedConfig.
    config: Cache,
    ftcs: Cache,
    rsps: Cache,
    versions: (Cache, Option<Cache>),
    types: BTreeMap<String, TypeState>,
    members: HashMap<(String, String), Cache>,
    health: BTreeMap<String, bool>,
    env: Arc<Env>,
    scheduler: bool,
    raw_status: bool,
    queue: Queue,
    /// The mass-deletion budget, kept across control-plane changes.
    deletions: Arc<DeletionGate>,
    /// Multi-cluster DNS: caches of the host's DNS objects where their CRDs are installed.
    dns: Option<DnsCaches>,
    /// The members as DNS records see them (readiness, zones, region), from the last rebuild.
    dns_members: Vec<dns::DnsMember>,
    /// Something a DNS record depends on changed since the last DNS pass.
    dns_dirty: bool,
    dns_memo: dns::DnsMemo,
}

/// The host's DNS objects, watched.
struct DnsCaches {
    records: Vec<(RecordKind, Cache)>,
    domains: Cache,
    endpoints: Cache,
}

impl DnsCaches {
    fn host_dns(&self) -> dns::HostDns {
        let values = Cache::values;
        let mut records = Vec::new();
        for (kind, c) in &self.records {
            let mut objects = values(c);
            objects.sort_by(|a, b| {
                let key = |v: &Value| {
                    (
                        v["metadata"]["namespace"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                        v["metadata"]["name"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                    )
                };
                key(a).cmp(&key(b))
            });
            records.extend(objects.into_iter().map(|o| (*kind, o)));
        }
        let endpoints = values(&self.endpoints)
            .into_iter()
            .map(|e| {
                let m = &e["metadata"];
                let key = (
                    m["namespace"].as_str().unwrap_or_default().to_string(),
                    m["name"].as_str().unwrap_or_default().to_string(),
                );
                (key, e)
            })
            .collect();
        dns::HostDns {
            records,
            domains: values(&self.domains),
            endpoints,
        }
    }
}

/// The kind of DNS record whose load balancers a member type holds.
fn dns_kind_of(ty: &TypeInfo) -> Option<RecordKind> {
    [RecordKind::Service, RecordKind::Ingress]
        .into_iter()
        .find(|k| {
            let source = k.source();
            ty.target_api.group == source.group && ty.target_api.kind == source.kind
        })
}

/// A reconcile in flight.
type Work = std::pin::Pin<Box<dyn Future<Output = (WorkKey, Vec<Record>)> + Send>>;

/// What the queue's next key needs.
enum Prepared {
    Run(Work),
    /// Its type is gone: nothing to do.
    Skip,
    /// A ready member's cache is still listing: retried shortly (and queued when the listing completes),
    /// so a restart does not report members' objects as unretrievable.
    Wait,
}

/// How long a member's cache may take to list before the objects placed there are reconciled anyway (and
/// that member reported as CachedRetrievalFailed), so one slow member does not hold up the others.
const LISTING_GRACE: Duration = Duration::from_secs(15);

impl Controller {
    /// Starts the caches and waits until the control plane's are listed.
    pub(crate) async fn start(
        host: &kube::Client,
        opts: &RunOptions,
        deletion_window: Duration,
        observer: Observer<'_>,
    ) -> anyhow::Result<(Controller, mpsc::UnboundedReceiver<Change>)> {
        let ns = opts.kubefed_namespace.clone();
        let config = runner::read_kubefed_config(host, &ns).await?;
        let scope = if config.is_namespaced() {
            ControlPlaneScope::Namespaced
        } else {
            ControlPlaneScope::Cluster
        };
        let host_filter = runner::host_namespace_filter(opts, scope);
        let (tx, rx) = mpsc::unbounded_channel();
        let in_ns = |ar: ApiResource| Api::namespaced_with(host.clone(), &ns, &ar);
        let cp = |ar: ApiResource, feed: Feed| {
            start_cache(
                in_ns(ar.clone()),
                ar,
                watcher::Config::default(),
                feed,
                Keep::Status,
                tx.clone(),
            )
        };
        let ftcs = cp(FederatedTypeConfig::api_resource(), Feed::ControlPlane);
        let kubefed_clusters = cp(KubeFedCluster::api_resource(), Feed::ControlPlane);
        let config_cache = cp(KubeFedConfig::api_resource(), Feed::ControlPlane);
        // Namespaced host objects are watched in the control plane's namespace only when it is Namespaced.
        let host_api = |ar: &ApiResource| match host_filter.as_ref().and_then(|f| f.as_deref()) {
            Some(n) => Api::namespaced_with(host.clone(), n, ar),
            None => Api::all_with(host.clone(), ar),
        };
        let rsp_ar = ReplicaSchedulingPreference::api_resource();
        let rsps = start_cache(
            host_api(&rsp_ar),
            rsp_ar,
            watcher::Config::default(),
            Feed::Schedule,
            Keep::Content,
            tx.clone(),
        );
        let pv_ar = versions::propagated_version_resource(true);
        let pvs = start_cache(
            host_api(&pv_ar),
            pv_ar,
            watcher::Config::default(),
            Feed::Silent,
            Keep::Status,
            tx.clone(),
        );
        let cpvs = (scope == ControlPlaneScope::Cluster).then(|| {
            let ar = versions::propagated_version_resource(false);
            start_cache(
                Api::all_with(host.clone(), &ar),
                ar,
                watcher::Config::default(),
                Feed::Silent,
                Keep::Status,
                tx.clone(),
            )
        });
        for c in [&kubefed_clusters, &config_cache, &ftcs] {
            wait_listed(&c.store, &c.resource.kind).await?;
        }
        let written = Arc::new(Written::default());
        let state = PassState::watching().with_request_timeout(opts.request_timeout);
        let env = Arc::new(Env::new(
            host.clone(),
            ns.clone(),
            scope,
            false,
            Vec::new(),
            BTreeMap::new(),
            opts.dry_run,
            opts.concurrency,
        ));
        let mut ctl = Controller {
            deletions: Arc::new(DeletionGate::windowed(opts.max_deletions, deletion_window)),
            host: host.clone(),
            opts: opts.clone(),
            state,
            tx,
            written,
            scope,
            host_filter,
            kubefed_clusters,
            config: config_cache,
            ftcs,
            rsps,
            versions: (pvs, cpvs),
            types: BTreeMap::new(),
            members: HashMap::new(),
            health: BTreeMap::new(),
            env,
            scheduler: config.feature_enabled(FEATURE_SCHEDULER_PREFERENCES),
            raw_status: config.feature_enabled(FEATURE_RAW_RESOURCE_STATUS_COLLECTION),
            queue: Queue::default(),
            dns: None,
            dns_members: Vec::new(),
            dns_dirty: false,
            dns_memo: dns::DnsMemo::default(),
        };
        ctl.health = ctl.probe(observer).await;
        ctl.control_plane_changed(observer).await;
        Ok((ctl, rx))
    }

    fn ns(&self) -> &str {
        &self.opts.kubefed_namespace
    }

    /// The KubeFedConfig as the cache holds it.
    fn cached_config(&self) -> anyhow::Result<crate::kubefed::types::KubeFedConfig> {
        let obj = self.config.store.get(
            &(
                self.ns().to_string(),
                crate::kubefed::KUBEFED_CONFIG_NAME.to_string(),
            ),
            &self.config.resource,
        );
        runner::kubefed_config_of(self.ns(), obj)
    }

    /// The members as the KubeFedCluster cache holds them (sorted by name), with their clients.
    async fn cached_members(&self) -> Vec<clusters::Member> {
        let mut objects: Vec<Value> = self.kubefed_clusters.values();
        objects.sort_by(|a, b| {
            a["metadata"]["name"]
                .as_str()
                .cmp(&b["metadata"]["name"].as_str())
        });
        clusters::members_of(&self.host, self.ns(), objects, &self.state.clients).await
    }

    /// Probes every member (with KubeFed's thresholds) and records their health.
    async fn probe(&self, observer: Observer<'_>) -> BTreeMap<String, bool> {
        let health = async {
            let config = self.cached_config()?;
            let members = self.cached_members().await;
            let results = clusters::check_health(
                &self.host,
                self.ns(),
                &members,
                runner::health_settings(&config),
                self.state.debounce.as_ref(),
                self.opts.dry_run,
            )
            .await;
            let mut out = BTreeMap::new();
            for (h, err) in results {
                if let Some(e) = err {
                    tell(
                        observer,
                        WatchEvent::HealthNotRecorded {
                            cluster: h.name.clone(),
                            error: crate::error::chain_text(&e),
                        },
                    );
                }
                out.insert(h.name, h.ready);
            }
            anyhow::Ok(out)
        };
        match health.await {
            Ok(h) => h,
            Err(e) => {
                tell(
                    observer,
                    WatchEvent::HealthCheckFailed {
                        error: crate::error::chain_text(&e),
                    },
                );
                self.health.clone()
            }
        }
    }

    /// Re-reads the types and the clusters after a change to the control plane or to a member's health:
    /// starts and stops caches to match, rebuilds what reconciles share, and queues everything.
    async fn control_plane_changed(&mut self, observer: Observer<'_>) {
        let ftcs: Vec<FederatedTypeConfig> = self
            .ftcs
            .values()
            .into_iter()
            .filter_map(|v| serde_json::from_value::<FederatedTypeConfig>(v).ok())
            .map(|mut f| {
                f.fill_defaults();
                f
            })
            .collect();
        let types = runner::resolve_type_names(&self.host, &ftcs, &self.opts.types).await;
        let selected: Vec<TypeInfo> = match runner::select_types(&ftcs, &types) {
            Ok(s) => s
                .into_iter()
                .filter_map(|f| runner::type_info(f, self.raw_status))
                .filter(|t| self.scope != ControlPlaneScope::Namespaced || t.gated())
                .filter(|t| self.opts.namespace.is_none() || t.federated_namespaced)
                .collect(),
            Err(e) => {
                tell(
                    observer,
                    WatchEvent::TypesNotSelected {
                        error: crate::error::chain_text(&e),
                    },
                );
                Vec::new()
            }
        };
        let wanted: BTreeSet<String> = selected.iter().map(|t| t.name.clone()).collect();
        self.types.retain(|name, _| wanted.contains(name));
        for info in selected {
            let restart = self.types.get(&info.name).is_none_or(|t| {
                t.info.federated_api != info.federated_api || t.info.target_api != info.target_api
            });
            if restart {
                let api = match self.host_filter.as_ref().and_then(|f| f.as_deref()) {
                    Some(n) if info.federated_namespaced => {
                        Api::namespaced_with(self.host.clone(), n, &info.federated_api)
                    }
                    _ => Api::all_with(self.host.clone(), &info.federated_api),
                };
                let federated = start_cache(
                    api,
                    info.federated_api.clone(),
                    watcher::Config::default(),
                    Feed::Federated {
                        type_name: info.name.clone(),
                    },
                    Keep::Status,
                    self.tx.clone(),
                );
                self.members.retain(|(_, t), _| *t != info.name);
                self.types
                    .insert(info.name.clone(), TypeState { info, federated });
            } else if let Some(t) = self.types.get_mut(&info.name) {
                t.info = info;
            }
        }
        self.rebuild_env(observer, true).await;
        self.ensure_dns_caches().await;
        self.ensure_member_caches();
        self.queue_everything();
        self.dns_dirty = true;
    }

    /// Starts watching the host's DNS objects once their CRDs are installed (`init --enable-dns`), and
    /// stops when they are gone. Member caches of Services and Ingresses then keep status, for their
    /// load balancers.
    async fn ensure_dns_caches(&mut self) {
        let served = match self
            .host
            .list_api_group_resources(crate::kubefed::DNS_API_VERSION)
            .await
        {
            Ok(list) => list
                .resources
                .iter()
                .any(|r| r.name == RecordKind::Service.resource().plural),
            Err(_) => false,
        };
        if served == self.dns.is_some() {
            return;
        }
        // Member caches of the DNS source types are restarted with (or without) their load balancers.
        let dns_types: BTreeSet<String> = self
            .types
            .values()
            .filter(|t| dns_kind_of(&t.info).is_some())
            .map(|t| t.info.name.clone())
            .collect();
        self.members.retain(|(_, t), _| !dns_types.contains(t));
        if !served {
            self.dns = None;
            return;
        }
        let host_api = |ar: &ApiResource| match self.host_filter.as_ref().and_then(|f| f.as_deref())
        {
            Some(n) => Api::namespaced_with(self.host.clone(), n, ar),
            None => Api::all_with(self.host.clone(), ar),
        };
        let watch = |api: Api<DynamicObject>, ar: ApiResource, keep: Keep| {
            start_cache(
                api,
                ar,
                watcher::Config::default(),
                Feed::Dns,
                keep,
                self.tx.clone(),
            )
        };
        let records = [RecordKind::Service, RecordKind::Ingress]
            .into_iter()
            .map(|k| {
                let ar = k.resource().api_resource();
                (k, watch(host_api(&ar), ar, Keep::Status))
            })
            .collect();
        let domain_ar = dns::domain_resource().api_resource();
        let domains = watch(
            Api::namespaced_with(self.host.clone(), self.ns(), &domain_ar),
            domain_ar,
            Keep::Status,
        );
        let endpoint_ar = dns::dns_endpoint_resource().api_resource();
        let endpoints = watch(host_api(&endpoint_ar), endpoint_ar, Keep::Content);
        self.dns = Some(DnsCaches {
            records,
            domains,
            endpoints,
        });
    }

    /// Brings the DNS records up to date from the caches: no LIST, no GET.
    async fn dns_pass(&mut self, observer: Observer<'_>) {
        self.dns_dirty = false;
        let Some(caches) = &self.dns else { return };
        let all_listed = caches
            .records
            .iter()
            .map(|(_, c)| c)
            .chain([&caches.domains, &caches.endpoints])
            .all(|c| is_listed(&c.store));
        if !all_listed {
            // Each cache's first listing marks DNS dirty again.
            return;
        }
        let host_dns = caches.host_dns();
        if host_dns.records.is_empty() {
            return;
        }
        let sources: HashMap<(String, RecordKind), (ObjectStore, ApiResource)> = self
            .members
            .iter()
            .filter_map(|((cluster, type_name), c)| {
                let kind = dns_kind_of(&self.types.get(type_name)?.info)?;
                is_listed(&c.store).then(|| {
                    (
                        (cluster.clone(), kind),
                        (c.store.clone(), c.resource.clone()),
                    )
                })
            })
            .collect();
        let lookup = move |m: &dns::DnsMember, kind: RecordKind, ns: &str, name: &str| {
            match sources.get(&(m.name.clone(), kind)) {
                Some((store, resource)) => {
                    let found = store.get(&(ns.to_string(), name.to_string()), resource);
                    Box::pin(async move { Ok(found) }) as futures::future::BoxFuture<'_, _>
                }
                // No cache of that type there (not federated, or still listing): ask the member.
                None => dns::get_from_member(m, kind, ns, name),
            }
        };
        let outcome = dns::reconcile_dns(
            &self.host,
            &self.opts.kubefed_namespace,
            &host_dns,
            &self.dns_members,
            &lookup,
            &mut self.dns_memo,
            self.opts.dry_run,
        )
        .await;
        if outcome.writes > 0 {
            tell(
                observer,
                WatchEvent::DnsWritten {
                    writes: outcome.writes,
                    dry_run: self.opts.dry_run,
                },
            );
        }
        for error in outcome.errors {
            tell(observer, WatchEvent::DnsFailed { error });
        }
    }

    /// What every reconcile shares: the clusters as they are now, FederatedNamespace placements, versions.
    /// With `review`, asks each ready member what its stored credentials may do (as a `--once` pass
    /// does before writing), and logs what is missing.
    async fn rebuild_env(&mut self, observer: Observer<'_>, review: bool) {
        let ns = self.ns().to_string();
        let config = match self.cached_config() {
            Ok(c) => c,
            Err(e) => {
                tell(
                    observer,
                    WatchEvent::ControlPlaneUnreadable {
                        error: crate::error::chain_text(&e),
                    },
                );
                return;
            }
        };
        let members = self.cached_members().await;
        self.scheduler = config.feature_enabled(FEATURE_SCHEDULER_PREFERENCES);
        let views: Vec<_> = members
            .iter()
            .map(|m| runner::view_of(m, self.health.get(&m.name).copied().unwrap_or(false)))
            .collect();
        self.dns_members = runner::dns_members(&members, &views);
        let infos: Vec<ClusterInfo> = views
            .iter()
            .map(crate::engine::reconcile::ClusterView::info)
            .collect();
        let namespaces = self
            .types
            .values()
            .find(|t| t.info.target.is_namespace())
            .map(|t| {
                let objects: Vec<Value> = t.federated.values();
                runner::namespace_placements(&objects, &infos)
            })
            .unwrap_or_default();
        let mut env = Env::new(
            self.host.clone(),
            ns,
            self.scope,
            config.adopt_resources(),
            views,
            namespaces,
            self.opts.dry_run,
            self.opts.concurrency,
        );
        let listing = |c: &Cache, namespaced: bool| CachedListing {
            store: c.store.clone(),
            resource: c.resource.clone(),
            namespaced,
            written: self.written.clone(),
            source: cache::versions_source(namespaced).to_string(),
            metadata_only: c.metadata_only,
        };
        env.propagated = Some(Versions::Cached {
            namespaced: listing(&self.versions.0, true),
            cluster: self.versions.1.as_ref().map(|c| listing(c, false)),
        });
        env.adoption = AdoptionLookup::Get;
        env.written = Some(self.written.clone());
        env.deletions = self.deletions.clone();
        if review {
            let types: Vec<TypeInfo> = self.types.values().map(|t| t.info.clone()).collect();
            let denied = runner::preflight(&env, &types).await;
            let mut found: Vec<(&(String, String), &String)> = denied
                .iter()
                .filter(|(k, m)| self.env.denied.get(*k) != Some(*m))
                .collect();
            found.sort_by(|a, b| a.1.cmp(b.1).then_with(|| a.0.cmp(b.0)));
            for ((cluster, type_name), message) in found {
                tell(
                    observer,
                    WatchEvent::PermissionDenied {
                        cluster: cluster.clone(),
                        type_name: type_name.clone(),
                        message: message.clone(),
                    },
                );
            }
            env.denied = denied;
        } else {
            env.denied = self.env.denied.clone();
        }
        self.env = Arc::new(env);
    }

    /// A cache of each type's managed objects in each ready member; none for members that are not ready.
    fn ensure_member_caches(&mut self) {
        let ready: BTreeSet<String> = self
            .env
            .clusters
            .iter()
            .filter(|c| c.ready && c.client.is_some())
            .map(|c| c.name.clone())
            .collect();
        self.members.retain(|(c, t), _| {
            ready.contains(c)
                && self.types.contains_key(t)
                && !self.env.denied.contains_key(&(c.clone(), t.clone()))
        });
        for cluster in self.env.clusters.iter().filter(|c| ready.contains(&c.name)) {
            let client = cluster.client.clone().expect("ready clusters have clients");
            for t in self.types.values() {
                let key = (cluster.name.clone(), t.info.name.clone());
                // A type the member's credentials may not handle gets no cache (its watch would be
                // refused over and over); its objects are reported with the missing permission.
                if self.members.contains_key(&key) || self.env.denied.contains_key(&key) {
                    continue;
                }
                let ty = &t.info;
                let api = match self.host_filter.as_ref().and_then(|f| f.as_deref()) {
                    Some(n) if ty.gated() => {
                        Api::namespaced_with(client.clone(), n, &ty.target_api)
                    }
                    _ => Api::all_with(client.clone(), &ty.target_api),
                };
                let config = watcher::Config::default().labels(&format!("{MANAGED_LABEL}=true"));
                let dns = self.dns.is_some() && dns_kind_of(ty).is_some();
                let c = start_cache(
                    api,
                    ty.target_api.clone(),
                    config,
                    Feed::Member {
                        cluster: cluster.name.clone(),
                        type_name: ty.name.clone(),
                        namespaced: ty.gated(),
                        dns,
                    },
                    if ty.raw_status || super::scheduling::is_schedulable(ty) || dns {
                        // Remote status reads status; replica scheduling reads spec.replicas; DNS
                        // records read the load balancers.
                        Keep::Status
                    } else {
                        Keep::Metadata
                    },
                    self.tx.clone(),
                );
                self.members.insert(key, c);
            }
        }
    }

    /// The federated object's key for a member object's key.
    fn work_key(ty: &TypeInfo, target: &ObjectKey) -> WorkKey {
        if ty.target.is_namespace() {
            (ty.name.clone(), target.1.clone(), target.1.clone())
        } else {
            (ty.name.clone(), target.0.clone(), target.1.clone())
        }
    }

    /// The member object's key for a federated object's key.
    fn target_key(ty: &TypeInfo, key: &WorkKey) -> ObjectKey {
        if ty.gated() {
            (key.1.clone(), key.2.clone())
        } else {
            (String::new(), key.2.clone())
        }
    }

    fn federated_listing(&self, t: &TypeState) -> CachedListing {
        CachedListing {
            store: t.federated.store.clone(),
            resource: t.federated.resource.clone(),
            namespaced: t.info.federated_namespaced,
            written: self.written.clone(),
            source: cache::host_source(&t.info.name),
            metadata_only: false,
        }
    }

    fn member_listing(&self, cluster: &str, ty: &TypeInfo) -> Option<CachedListing> {
        let c = self.members.get(&(cluster.to_string(), ty.name.clone()))?;
        Some(CachedListing {
            store: c.store.clone(),
            resource: c.resource.clone(),
            namespaced: ty.gated(),
            written: self.written.clone(),
            source: cache::member_source(cluster, &ty.name),
            metadata_only: c.metadata_only,
        })
    }

    fn queue_type(&mut self, type_name: &str) {
        let Some(t) = self.types.get(type_name) else {
            return;
        };
        let mut keys: BTreeSet<WorkKey> = self
            .federated_listing(t)
            .keys()
            .into_iter()
            .map(|(ns, name)| (type_name.to_string(), ns, name))
            .collect();
        // Managed member objects without a federated object are orphans to release.
        for ((_, tn), c) in &self.members {
            if tn == type_name {
                for (ns, name) in c.store.keys() {
                    let target = if t.info.gated() {
                        (ns, name)
                    } else {
                        (String::new(), name)
                    };
                    keys.insert(Self::work_key(&t.info, &target));
                }
            }
        }
        for k in keys {
            self.queue.push(k);
        }
    }

    fn queue_everything(&mut self) {
        let names: Vec<String> = self.types.keys().cloned().collect();
        for n in names {
            self.queue_type(&n);
        }
    }

    /// Applies one change to the queue (and, for the control plane, to the caches).
    async fn handle(&mut self, change: Change, observer: Observer<'_>) {
        match change {
            Change::Federated { type_name, key } => {
                let is_namespaces = self
                    .types
                    .get(&type_name)
                    .is_some_and(|t| t.info.target.is_namespace());
                if is_namespaces {
                    // A FederatedNamespace gates everything in its namespace.
                    self.rebuild_env(observer, false).await;
                    let gated: Vec<String> = self
                        .types
                        .values()
                        .filter(|t| t.info.gated())
                        .map(|t| t.info.name.clone())
                        .collect();
                    for tn in gated {
                        let t = &self.types[&tn];
                        let keys: Vec<ObjectKey> = self
                            .federated_listing(t)
                            .keys()
                            .into_iter()
                            .filter(|k| k.0 == key.1)
                            .collect();
                        for (ns, name) in keys {
                            self.queue.push((tn.clone(), ns, name));
                        }
                    }
                }
                self.queue.push_changed((type_name, key.0, key.1));
            }
            Change::Member {
                cluster,
                type_name,
                key,
                version,
            } => {
                let Some(t) = self.types.get(&type_name) else {
                    return;
                };
                let wk = Self::work_key(&t.info, &key);
                if let Some(v) = version.filter(|v| v.starts_with("rv:")) {
                    // Our own write's echo (or an object unchanged since we wrote it) needs nothing.
                    if self.recorded_version(t, &wk, &cluster).as_deref() == Some(v.as_str()) {
                        return;
                    }
                }
                self.queue.push_changed(wk);
            }
            Change::Listed(Watched::Federated(t)) => {
                if self
                    .types
                    .get(&t)
                    .is_some_and(|t| t.info.target.is_namespace())
                {
                    // The namespaces' placements gate every namespaced type: rebuild them from the
                    // listing, then look at everything again.
                    self.rebuild_env(observer, false).await;
                    self.queue_everything();
                } else {
                    self.queue_type(&t);
                }
            }
            Change::Listed(Watched::Member(_, t)) => {
                if self.dns.is_some()
                    && self
                        .types
                        .get(&t)
                        .is_some_and(|t| dns_kind_of(&t.info).is_some())
                {
                    self.dns_dirty = true;
                }
                self.queue_type(&t);
            }
            Change::Dns => self.dns_dirty = true,
            Change::Listed(Watched::Other) => {}
            Change::ControlPlane => {
                self.health = self.probe(observer).await;
                self.control_plane_changed(observer).await;
            }
            Change::Schedule((ns, name)) => {
                let names: Vec<String> = self
                    .types
                    .values()
                    .filter(|t| scheduling::is_schedulable(&t.info))
                    .map(|t| t.info.name.clone())
                    .collect();
                for tn in names {
                    self.queue.push_changed((tn, ns.clone(), name.clone()));
                }
            }
        }
    }

    /// The version last propagated to `cluster` for this object, if the record is current.
    fn recorded_version(&self, t: &TypeState, wk: &WorkKey, cluster: &str) -> Option<String> {
        let fed = self
            .federated_listing(t)
            .get(&(wk.1.clone(), wk.2.clone()))?;
        let pv_ns = if t.info.federated_namespaced {
            wk.1.clone()
        } else {
            String::new()
        };
        let pv_key = (
            pv_ns,
            versions::propagated_version_name(&t.info.target.kind, &wk.2),
        );
        let pv = self.env.propagated.as_ref()?.get(&pv_key)?;
        versions::trusted_versions(pv.get("status"), &fed)?.remove(cluster)
    }

    /// The reconcile of one federated object, from the caches as they are now.
    fn work(&self, key: WorkKey) -> Prepared {
        let Some(t) = self.types.get(&key.0) else {
            return Prepared::Skip;
        };
        // Until its federated objects are listed (and, for a type FederatedNamespaces gate, those too), a
        // member object would look orphaned or unplaced and be released: wait for the listings, which
        // queue their types when done.
        let namespaces_listed = || {
            self.types
                .values()
                .filter(|n| n.info.target.is_namespace())
                .all(|n| is_listed(&n.federated.store))
        };
        if !is_listed(&t.federated.store) || (t.info.gated() && !namespaces_listed()) {
            return Prepared::Wait;
        }
        let still_listing = self.env.clusters.iter().filter(|c| c.ready).any(|c| {
            self.members
                .get(&(c.name.clone(), t.info.name.clone()))
                .is_some_and(|m| !is_listed(&m.store) && m.started.elapsed() < LISTING_GRACE)
        });
        if still_listing {
            return Prepared::Wait;
        }
        let ty = t.info.clone();
        let env = self.env.clone();
        // A percentage budget is a share of what each member holds now.
        for c in env.clusters.iter().filter(|c| c.ready) {
            let managed = self
                .members
                .iter()
                .filter(|((cluster, _), _)| *cluster == c.name)
                .map(|(_, m)| m.store.len())
                .sum();
            self.deletions.set_managed(&c.name, managed);
        }
        let fed = self
            .federated_listing(t)
            .get(&(key.1.clone(), key.2.clone()));
        let target = Self::target_key(&ty, &key);
        let listings: Listings = env
            .clusters
            .iter()
            .map(|c| {
                let denied = env.denied.get(&(c.name.clone(), ty.name.clone()));
                let l = match (c.ready, self.member_listing(&c.name, &ty)) {
                    (true, _) if denied.is_some() => {
                        Err(EngineError::denied(denied.cloned().unwrap_or_default()))
                    }
                    (true, Some(l)) if is_listed(&l.store) => Ok(Listing::Cached(l)),
                    (true, _) => Err(EngineError::not_ready(format!(
                        "the cache of {} in cluster {:?} is not listed yet",
                        ty.target_api.plural, c.name
                    ))),
                    (false, _) => Err(EngineError::not_ready(format!(
                        "cluster {:?} is not ready",
                        c.name
                    ))),
                };
                (c.name.clone(), l)
            })
            .collect();
        let rsp = (self.scheduler && scheduling::is_schedulable(&ty))
            .then(|| {
                let rsp = self
                    .rsps
                    .store
                    .get(&(key.1.clone(), key.2.clone()), &self.rsps.resource)?;
                let rsps = BTreeMap::from([((key.1.clone(), key.2.clone()), rsp)]);
                scheduling::rsp_for(
                    &rsps,
                    &(key.1.clone(), key.2.clone()),
                    &ty.federated_api.kind,
                )
                .cloned()
            })
            .flatten();
        Prepared::Run(Box::pin(async move {
            let records = match fed {
                None => runner::release_orphan(&env, &ty, &listings, &target).await,
                Some(fed) => {
                    let (fed, scheduling_error) = match rsp {
                        Some(rsp) => {
                            scheduling::schedule_object(&env, &ty, &rsp, &listings, fed).await
                        }
                        None => (fed, None),
                    };
                    let mut records: Vec<Record> = scheduling_error.into_iter().collect();
                    records.extend(reconcile::reconcile_object(&env, &ty, &listings, &fed).await);
                    records
                }
            };
            (key, records)
        }))
    }

    /// Runs until `stop` resolves: feeds changes to the queue and keeps up to `--concurrency` reconciles
    /// running; reports what was done whenever the queue drains (and at least every few seconds under load).
    pub(crate) async fn run<F: Future<Output = ()>>(
        mut self,
        mut rx: mpsc::UnboundedReceiver<Change>,
        resync_period: Duration,
        health_period: Duration,
        stop: std::pin::Pin<&mut F>,
        observer: Observer<'_>,
    ) {
        let mut stop = stop;
        let mut running: FuturesUnordered<Work> = FuturesUnordered::new();
        let mut resync = tokio::time::interval(resync_period);
        resync.tick().await;
        let mut health_tick = tokio::time::interval(health_period);
        health_tick.tick().await;
        let mut done: Vec<Record> = Vec::new();
        let mut last_report = Instant::now();
        let concurrency = self.opts.concurrency.max(1);
        loop {
            while running.len() < concurrency {
                let Some(key) = self.queue.pop() else { break };
                match self.work(key.clone()) {
                    Prepared::Run(w) => running.push(w),
                    Prepared::Skip => self.queue.done(&key, false, Instant::now()),
                    Prepared::Wait => self.queue.done(&key, true, Instant::now()),
                }
            }
            let next_retry = self.queue.due(Instant::now());
            let retry_sleep = async {
                match next_retry {
                    Some(at) => tokio::time::sleep_until(at.into()).await,
                    None => futures::future::pending().await,
                }
            };
            tokio::select! {
                _ = stop.as_mut() => return,
                Some(change) = rx.recv() => self.handle(change, observer).await,
                Some((key, records)) = running.next(), if !running.is_empty() => {
                    self.queue.done(&key, needs_retry(&records), Instant::now());
                    done.extend(records);
                }
                _ = resync.tick() => {
                    // Permissions granted or taken away since are found here at the latest.
                    self.rebuild_env(observer, true).await;
                    self.ensure_dns_caches().await;
                    self.ensure_member_caches();
                    self.queue_everything();
                    self.dns_memo.clear();
                    self.dns_dirty = true;
                }
                _ = health_tick.tick() => {
                    let fresh = self.probe(observer).await;
                    if fresh != self.health {
                        self.health = fresh;
                        self.control_plane_changed(observer).await;
                    }
                }
                _ = retry_sleep => {}
            }
            let busy_too_long = last_report.elapsed() > Duration::from_secs(5);
            // DNS follows propagation (the Services a change creates are then in the caches), and
            // never waits longer than a busy report does.
            if self.dns_dirty && ((running.is_empty() && self.queue.idle()) || busy_too_long) {
                self.dns_pass(observer).await;
            }
            if (self.queue.idle() || busy_too_long) && !done.is_empty() {
                let worth = done.iter().any(|r| r.action.writes() || r.failed());
                if worth {
                    let mut report = Report {
                        records: std::mem::take(&mut done),
                        errors: self.deletions.take_stop_messages(),
                        ..Default::default()
                    };
                    report.clusters = self
                        .env
                        .clusters
                        .iter()
                        .map(|c| runner::ClusterSummary {
                            name: c.name.clone(),
                            ready: c.ready,
                            reason: (!c.ready).then(|| "not ready".to_string()),
                        })
                        .collect();
                    report.totals.objects = report
                        .records
                        .iter()
                        .map(|r| (&r.type_name, &r.namespace, &r.name))
                        .collect::<HashSet<_>>()
                        .len();
                    report.finish();
                    tell(
                        observer,
                        WatchEvent::Pass {
                            report: Box::new(report),
                            dry_run: self.opts.dry_run,
                        },
                    );
                } else {
                    done.clear();
                }
                last_report = Instant::now();
            }
        }
    }
}

/// Whether a cache has listed its objects once.
fn is_listed(store: &ObjectStore) -> bool {
    store.is_listed()
}

/// Waits until a cache has listed its objects once.
async fn wait_listed(store: &ObjectStore, what: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !store.is_listed() {
        if Instant::now() > deadline {
            anyhow::bail!("cannot list {what} in the host within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metadata_cache_keeps_what_tells_a_change_and_drops_the_content() {
        let obj: DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "a", "namespace": "n", "resourceVersion": "7",
                "labels": {"kubefed.io/managed": "true"},
                "managedFields": [{"manager": "kubefedctl", "operation": "Apply"}]},
            "data": {"big": "x".repeat(10_000)}}))
        .unwrap();
        let mut meta = obj.clone();
        prune(&mut meta, Keep::Metadata);
        assert_eq!(meta.data, serde_json::json!({}));
        assert_eq!(meta.metadata.managed_fields, Some(vec![]));
        assert_eq!(meta.metadata.resource_version.as_deref(), Some("7"));
        assert_eq!(meta.metadata.labels, obj.metadata.labels);
        assert_eq!(
            signature(&meta),
            signature(&obj),
            "a change is seen as well as before"
        );
        let mut content = obj.clone();
        prune(&mut content, Keep::Content);
        assert_eq!(content.data["data"]["big"].as_str().unwrap().len(), 10_000);
        assert_eq!(content.metadata.managed_fields.as_ref().unwrap().len(), 1);
    }

    fn key(n: &str) -> WorkKey {
        ("configmaps".into(), "ns".into(), n.into())
    }

    #[test]
    fn a_changed_key_goes_before_the_bulk_and_is_run_once() {
        let mut q = Queue::default();
        for i in 0..1000 {
            q.push(key(&format!("bulk-{i}")));
        }
        q.push_changed(key("edited"));
        // Already queued in bulk, then woken by a change: it moves ahead, and runs once.
        q.push_changed(key("bulk-500"));
        assert_eq!(q.pop(), Some(key("edited")));
        assert_eq!(q.pop(), Some(key("bulk-500")));
        q.done(&key("edited"), false, Instant::now());
        q.done(&key("bulk-500"), false, Instant::now());
        let mut rest = Vec::new();
        while let Some(k) = q.pop() {
            rest.push(k.clone());
            q.done(&k, false, Instant::now());
        }
        assert_eq!(rest.len(), 999);
        assert_eq!(rest[0], key("bulk-0"));
        assert!(!rest.contains(&key("bulk-500")));
        assert!(q.idle());
    }

    #[test]
    fn a_key_is_queued_once_and_never_runs_twice_at_a_time() {
        let mut q = Queue::default();
        q.push(key("a"));
        q.push(key("a"));
        q.push(key("b"));
        assert_eq!(q.pop(), Some(key("a")));
        q.push(key("a"));
        assert_eq!(q.pop(), Some(key("b")));
        assert_eq!(q.pop(), None, "a is running; its change waits");
        let now = Instant::now();
        q.done(&key("a"), false, now);
        assert_eq!(
            q.pop(),
            Some(key("a")),
            "changed while running: queued again"
        );
    }

    #[test]
    fn failures_back_off_exponentially_and_success_resets() {
        let mut q = Queue::default();
        let now = Instant::now();
        q.push(key("a"));
        q.pop();
        q.done(&key("a"), true, now);
        assert_eq!(q.due(now), Some(now + BACKOFF_BASE));
        assert!(q.pop().is_none());
        q.due(now + BACKOFF_BASE);
        assert_eq!(q.pop(), Some(key("a")));
        q.done(&key("a"), true, now);
        assert_eq!(q.backoff[&key("a")], (2, now + BACKOFF_BASE * 2));
        q.push(key("a"));
        q.pop();
        q.done(&key("a"), false, now);
        assert!(q.backoff.is_empty());
        for attempt in 0..30 {
            q.push(key("b"));
            q.pop();
            q.done(&key("b"), true, now);
            let (_, at) = q.backoff[&key("b")];
            assert!(at - now <= BACKOFF_MAX, "attempt {attempt}");
        }
    }

    #[test]
    fn a_due_retry_of_a_key_already_running_is_left_to_that_run() {
        let mut q = Queue::default();
        let now = Instant::now();
        for n in ["a", "b"] {
            q.push(key(n));
            q.pop();
            q.done(&key(n), true, now);
        }
        // "a" runs again because of a change before its retry is due.
        q.push_changed(key("a"));
        assert_eq!(q.pop(), Some(key("a")));
        let later = now + BACKOFF_BASE;
        // Only "b" is queued; the next retry is not in the past (no busy loop while "a" runs).
        assert_eq!(q.due(later), None);
        assert_eq!(q.pop(), Some(key("b")));
        assert!(q.pop().is_none());
        // "a" fails again: its retry is scheduled from its own end.
        q.done(&key("a"), true, later);
        assert_eq!(q.due(later), Some(later + BACKOFF_BASE * 2));
    }

    #[test]
    fn status_only_updates_keep_the_signature() {
        let mut o: DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "w", "generation": 2, "resourceVersion": "10", "labels": {"a": "b"}},
            "spec": {"replicas": 1}, "status": {"readyReplicas": 0}})).unwrap();
        let before = signature(&o);
        o.metadata.resource_version = Some("11".into());
        o.data["status"]["readyReplicas"] = serde_json::json!(1);
        assert_eq!(signature(&o), before);
        o.metadata
            .labels
            .as_mut()
            .unwrap()
            .insert("a".into(), "c".into());
        assert_ne!(signature(&o), before, "a label edit matters");
        let mut cm: DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "resourceVersion": "1"}})).unwrap();
        let before = signature(&cm);
        cm.metadata.resource_version = Some("2".into());
        assert_ne!(
            signature(&cm),
            before,
            "without a generation every write matters"
        );
    }

    #[test]
    fn retried_failures_are_kubefeds_recoverable_ones() {
        let r = |status: &str, error: Option<&str>| Record {
            cluster: "c".into(),
            type_name: "configmaps".into(),
            namespace: "n".into(),
            name: "x".into(),
            action: reconcile::Action::None,
            status: status.into(),
            error: error.map(str::to_string),
        };
        assert!(needs_retry(&[r("UpdateFailed", Some("boom"))]));
        assert!(needs_retry(&[r("", Some("cannot write status"))]));
        assert!(!needs_retry(&[r("", None), r("ClusterNotReady", None)]));
        assert!(!needs_retry(&[r("AlreadyExists", None)]));
    }
}
