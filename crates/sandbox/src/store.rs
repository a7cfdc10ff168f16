//! The object store of one sandbox cluster: objects by (group, resource, namespace, name), one global
//! resourceVersion counter, a bounded event log for watches, and an optional write-ahead log on disk.

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Value};
use tokio::sync::broadcast;

use super::owners::{ObjectKey, OwnerGraph};

/// How many past events a watch can resume from before it gets `410 Expired`.
pub const EVENT_LOG_CAPACITY: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// One change, as recorded in the event log and sent to watchers.
#[derive(Debug, Clone)]
pub struct Event {
    pub rv: u64,
    pub kind: EventType,
    pub group: String,
    pub resource: String,
    pub namespace: String,
    pub name: String,
    pub object: Arc<Value>,
    /// The object before this change (for selector transitions); None on ADDED.
    pub previous: Option<Arc<Value>>,
}

/// etcd's default `--max-request-bytes` (1.5 MiB): it refuses to store a larger object ("etcdserver: request
/// is too large").
pub const MAX_REQUEST_BYTES: usize = 1536 * 1024;
/// The API server's etcd client sends no gRPC message over 2 MiB.
pub const MAX_CLIENT_SEND_BYTES: usize = 2 * 1024 * 1024;

/// Why a commit was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    AlreadyExists,
    NotFound,
    /// The object changed since the caller read it.
    Conflict,
    /// The object is larger than etcd stores: `size` is the bytes its write would send (key and value).
    TooLarge {
        size: usize,
    },
    Io(String),
}

/// Refuses an object whose write (key and value) would be more than etcd accepts.
fn check_size(key: &[&str], obj: &Value) -> Result<(), StoreError> {
    let value = serde_json::to_vec(obj).map_err(|e| StoreError::Io(e.to_string()))?;
    let size = value.len() + key.iter().map(|k| k.len() + 1).sum::<usize>();
    if size > MAX_REQUEST_BYTES {
        return Err(StoreError::TooLarge { size });
    }
    Ok(())
}

type Bucket = BTreeMap<(String, String), Arc<Value>>;

struct Inner {
    rv: u64,
    objects: BTreeMap<(String, String), Bucket>,
    log: VecDeque<Arc<Event>>,
    /// Highest RV that fell out of the log (watches from below it are expired).
    compacted_rv: u64,
    wal: Option<Wal>,
    owners: OwnerGraph,
}

/// The write-ahead log of a persistent store and what it takes to compact it.
struct Wal {
    file: File,
    dir: PathBuf,
    /// Bytes appended since the last snapshot.
    bytes: u64,
    /// Size of the last snapshot written.
    snapshot_bytes: u64,
    /// The log is compacted once it holds more than this.
    compact_at: u64,
}

/// The log is compacted into a new snapshot once it is larger than the last snapshot and at least this: disk
/// use stays under twice the data plus this, and compaction costs at most one snapshot per this many bytes
/// written.
pub const WAL_COMPACTION_FLOOR: u64 = 1024 * 1024;

impl Wal {
    fn threshold(snapshot_bytes: u64) -> u64 {
        snapshot_bytes.max(WAL_COMPACTION_FLOOR)
    }
}

/// Writes every object as `snapshot.json` (atomically: a temporary file, fsync, rename, fsync of the
/// directory) and returns its size. Readers skip log records at or below `rv`.
fn write_snapshot(
    dir: &Path,
    rv: u64,
    objects: &BTreeMap<(String, String), Bucket>,
) -> std::io::Result<u64> {
    let tmp = dir.join("snapshot.json.tmp");
    let mut recs = Vec::new();
    for ((g, r), bucket) in objects {
        for ((ns, n), obj) in bucket {
            recs.push(json!({"op": "put", "g": g, "r": r, "ns": ns, "n": n, "obj": obj.as_ref()}));
        }
    }
    let bytes = serde_json::to_vec(&json!({"rv": rv, "objects": recs}))?;
    {
        let mut f = super::datadir::open_private(&tmp, true)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, dir.join("snapshot.json"))?;
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(bytes.len() as u64)
}

/// The store. Cheap to share behind an `Arc`.
pub struct Store {
    inner: Mutex<Inner>,
    events: broadcast::Sender<Arc<Event>>,
    data_dir: Option<PathBuf>,
}

pub fn object_rv(obj: &Value) -> u64 {
    obj.pointer("/metadata/resourceVersion")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn set_rv(obj: &mut Value, rv: u64) {
    if let Some(meta) = obj.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        meta.insert("resourceVersion".into(), json!(rv.to_string()));
    }
}

fn wall_clock_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(1)
}

impl Store {
    /// An in-memory store whose counter starts at wall-clock milliseconds, so RVs never go backwards across restarts.
    pub fn in_memory() -> Store {
        Store::build(wall_clock_ms(), BTreeMap::new(), None, None)
    }

    fn build(
        rv: u64,
        objects: BTreeMap<(String, String), Bucket>,
        wal: Option<Wal>,
        dir: Option<PathBuf>,
    ) -> Store {
        let (events, _) = broadcast::channel(16_384);
        let mut owners = OwnerGraph::default();
        for ((g, r), bucket) in &objects {
            for ((ns, name), obj) in bucket {
                owners.record(
                    &(g.clone(), r.clone(), ns.clone(), name.clone()),
                    None,
                    Some(obj),
                );
            }
        }
        Store {
            inner: Mutex::new(Inner {
                rv,
                objects,
                log: VecDeque::new(),
                compacted_rv: rv,
                wal,
                owners,
            }),
            events,
            data_dir: dir,
        }
    }

    /// Opens (or creates) a persistent store in `dir`: replays `snapshot.json` and `wal.jsonl`, then compacts them
    /// into a fresh snapshot. Every acknowledged write is appended to the WAL before the caller is answered, and
    /// the WAL is compacted again whenever it outgrows the snapshot (see [`WAL_COMPACTION_FLOOR`]).
    pub fn open(dir: &Path) -> std::io::Result<Store> {
        super::datadir::create_private_dir(dir)?;
        let snap_path = dir.join("snapshot.json");
        let wal_path = dir.join("wal.jsonl");
        let mut objects: BTreeMap<(String, String), Bucket> = BTreeMap::new();
        let mut rv = 0u64;
        if snap_path.exists() {
            let snap: Value = serde_json::from_reader(BufReader::new(File::open(&snap_path)?))
                .map_err(|e| std::io::Error::other(format!("{}: {e}", snap_path.display())))?;
            rv = snap["rv"].as_u64().unwrap_or(0);
            for rec in snap["objects"].as_array().into_iter().flatten() {
                apply_record(&mut objects, rec);
            }
        }
        let snapshot_rv = rv;
        if wal_path.exists() {
            for line in BufReader::new(File::open(&wal_path)?).lines() {
                let line = line?;
                // A torn last line (crash mid-write) was never acknowledged: stop there.
                let Ok(rec) = serde_json::from_str::<Value>(&line) else {
                    break;
                };
                let rec_rv = rec["rv"].as_u64().unwrap_or(0);
                // Records the snapshot already holds (a crash between a compaction's snapshot and its
                // truncation of the log) are not replayed.
                if rec_rv <= snapshot_rv {
                    continue;
                }
                rv = rv.max(rec_rv);
                apply_record(&mut objects, &rec);
            }
        }
        rv = rv.max(wall_clock_ms());
        // Compact: write the snapshot atomically, then start an empty WAL.
        let snapshot_bytes = write_snapshot(dir, rv, &objects)?;
        let file = super::datadir::open_private(&wal_path, true)?;
        file.sync_all()?;
        let wal = Wal {
            file,
            dir: dir.to_path_buf(),
            bytes: 0,
            snapshot_bytes,
            compact_at: Wal::threshold(snapshot_bytes),
        };
        Ok(Store::build(
            rv,
            objects,
            Some(wal),
            Some(dir.to_path_buf()),
        ))
    }

    /// Compacts the WAL into a new snapshot once it has outgrown the last one. Called after a write is in
    /// both the log and the map, under the lock. A failure leaves the log as it is (every write is still in
    /// it) and is retried after as many bytes again.
    fn maybe_compact(inner: &mut Inner) {
        let Some(wal) = inner.wal.as_mut() else {
            return;
        };
        if wal.bytes <= wal.compact_at {
            return;
        }
        let result = write_snapshot(&wal.dir, inner.rv, &inner.objects).and_then(|n| {
            wal.file.set_len(0)?;
            wal.file.seek(SeekFrom::Start(0))?;
            Ok(n)
        });
        match result {
            Ok(n) => {
                wal.bytes = 0;
                wal.snapshot_bytes = n;
                wal.compact_at = Wal::threshold(n);
            }
            Err(_) => wal.compact_at = wal.bytes.saturating_mul(2),
        }
    }

    /// Bytes on disk: the last snapshot and the WAL (0 for an in-memory store).
    pub fn disk_bytes(&self) -> u64 {
        let inner = self.lock();
        inner
            .wal
            .as_ref()
            .map(|w| w.snapshot_bytes + w.bytes)
            .unwrap_or(0)
    }

    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn current_rv(&self) -> u64 {
        self.lock().rv
    }

    pub fn get(
        &self,
        group: &str,
        resource: &str,
        namespace: &str,
        name: &str,
    ) -> Option<Arc<Value>> {
        let inner = self.lock();
        inner
            .objects
            .get(&(group.to_string(), resource.to_string()))
            .and_then(|b| b.get(&(namespace.to_string(), name.to_string())))
            .cloned()
    }

    /// All objects of a resource (in `namespace` when given), sorted by namespace then name, with the list RV.
    pub fn list(
        &self,
        group: &str,
        resource: &str,
        namespace: Option<&str>,
    ) -> (u64, Vec<Arc<Value>>) {
        let page = self.list_page(group, resource, namespace, None, 0, &|_| true);
        (page.rv, page.items)
    }

    /// One page of a list: objects from `start` (namespace, name) on, in list order, that pass `keep`, at most
    /// `limit` of them (0 = all). Also returns the list RV, the first object past the page (for the continue
    /// token) and how many objects follow it unfiltered (`remainingItemCount`).
    pub fn list_page(
        &self,
        group: &str,
        resource: &str,
        namespace: Option<&str>,
        start: Option<(String, String)>,
        limit: usize,
        keep: &dyn Fn(&Value) -> bool,
    ) -> Page {
        self.list_page_at(group, resource, namespace, start, limit, keep, None)
            .unwrap_or_else(|_| unreachable!("the current list is always there"))
    }

    /// Like [`Store::list_page`], as the list was at resourceVersion `at` (None: now), rebuilt from the
    /// event log as etcd serves a read at a past revision; Err(oldest servable RV) when `at` is older than
    /// the log reaches (etcd's "required revision has been compacted").
    #[allow(clippy::too_many_arguments)]
    pub fn list_page_at(
        &self,
        group: &str,
        resource: &str,
        namespace: Option<&str>,
        start: Option<(String, String)>,
        limit: usize,
        keep: &dyn Fn(&Value) -> bool,
        at: Option<u64>,
    ) -> Result<Page, u64> {
        let inner = self.lock();
        let at = at.filter(|rv| *rv < inner.rv);
        if let Some(rv) = at {
            if rv < inner.compacted_rv {
                return Err(inner.compacted_rv);
            }
        }
        let mut page = Page {
            rv: at.unwrap_or(inner.rv),
            items: vec![],
            next: None,
            remaining: 0,
        };
        let current = inner
            .objects
            .get(&(group.to_string(), resource.to_string()));
        let past: Bucket;
        let b = match at {
            None => match current {
                Some(b) => b,
                None => return Ok(page),
            },
            Some(rv) => {
                let mut b = current.cloned().unwrap_or_default();
                for e in inner.log.iter().rev().take_while(|e| e.rv > rv) {
                    if e.group != group || e.resource != resource {
                        continue;
                    }
                    let key = (e.namespace.clone(), e.name.clone());
                    match (e.kind, &e.previous) {
                        (EventType::Added, _) => {
                            b.remove(&key);
                        }
                        (_, Some(prev)) => {
                            b.insert(key, prev.clone());
                        }
                        (_, None) => {
                            b.insert(key, e.object.clone());
                        }
                    }
                }
                past = b;
                &past
            }
        };
        let lower = match (&start, namespace) {
            (Some(s), Some(ns)) if s.0.as_str() < ns => (ns.to_string(), String::new()),
            (Some(s), _) => s.clone(),
            (None, Some(ns)) => (ns.to_string(), String::new()),
            (None, None) => (String::new(), String::new()),
        };
        let mut iter = b
            .range(lower..)
            .take_while(|((n, _), _)| namespace.is_none_or(|ns| n == ns));
        for (_, obj) in iter.by_ref() {
            if !keep(obj) {
                continue;
            }
            if limit > 0 && page.items.len() == limit {
                page.next = Some(obj.clone());
                break;
            }
            page.items.push(obj.clone());
        }
        if page.next.is_some() {
            page.remaining = iter.count() + 1;
        }
        Ok(page)
    }

    /// How many objects a resource has.
    pub fn count(&self, group: &str, resource: &str) -> usize {
        self.lock()
            .objects
            .get(&(group.to_string(), resource.to_string()))
            .map(|b| b.len())
            .unwrap_or(0)
    }

    /// All stored objects of every resource in a namespace: (group, resource, object).
    pub fn objects_in_namespace(&self, namespace: &str) -> Vec<(String, String, Arc<Value>)> {
        let inner = self.lock();
        let mut out = Vec::new();
        for ((g, r), b) in &inner.objects {
            for ((ns, _), obj) in b {
                if ns == namespace {
                    out.push((g.clone(), r.clone(), obj.clone()));
                }
            }
        }
        out
    }

    /// Creates an object; assigns the next RV. Fails when the name is taken.
    pub fn create(
        &self,
        group: &str,
        resource: &str,
        mut obj: Value,
    ) -> Result<Arc<Value>, StoreError> {
        let (ns, name) = ns_name(&obj);
        check_size(&[group, resource, &ns, &name], &obj)?;
        let mut inner = self.lock();
        let bucket_key = (group.to_string(), resource.to_string());
        if inner
            .objects
            .get(&bucket_key)
            .is_some_and(|b| b.contains_key(&(ns.clone(), name.clone())))
        {
            return Err(StoreError::AlreadyExists);
        }
        let rv = inner.rv + 1;
        set_rv(&mut obj, rv);
        let obj = Arc::new(obj);
        self.commit(
            &mut inner,
            rv,
            EventType::Added,
            group,
            resource,
            &ns,
            &name,
            obj.clone(),
            None,
        )?;
        inner
            .objects
            .entry(bucket_key)
            .or_default()
            .insert((ns, name), obj.clone());
        Store::maybe_compact(&mut inner);
        Ok(obj)
    }

    /// Replaces an object if its stored RV still equals `expected_rv`.
    pub fn update(
        &self,
        group: &str,
        resource: &str,
        mut obj: Value,
        expected_rv: u64,
    ) -> Result<Arc<Value>, StoreError> {
        let (ns, name) = ns_name(&obj);
        check_size(&[group, resource, &ns, &name], &obj)?;
        let mut inner = self.lock();
        let key = (ns.clone(), name.clone());
        let current = inner
            .objects
            .get(&(group.to_string(), resource.to_string()))
            .and_then(|b| b.get(&key))
            .cloned()
            .ok_or(StoreError::NotFound)?;
        if object_rv(&current) != expected_rv {
            return Err(StoreError::Conflict);
        }
        let rv = inner.rv + 1;
        set_rv(&mut obj, rv);
        let obj = Arc::new(obj);
        self.commit(
            &mut inner,
            rv,
            EventType::Modified,
            group,
            resource,
            &ns,
            &name,
            obj.clone(),
            Some(current),
        )?;
        inner
            .objects
            .entry((group.to_string(), resource.to_string()))
            .or_default()
            .insert(key, obj.clone());
        Store::maybe_compact(&mut inner);
        Ok(obj)
    }

    /// Removes an object if its stored RV still equals `expected_rv` (0 = any). Returns the final object, which
    /// carries the deletion RV (as the DELETED event does).
    pub fn delete(
        &self,
        group: &str,
        resource: &str,
        namespace: &str,
        name: &str,
        expected_rv: u64,
    ) -> Result<Arc<Value>, StoreError> {
        let mut inner = self.lock();
        let key = (namespace.to_string(), name.to_string());
        let current = inner
            .objects
            .get(&(group.to_string(), resource.to_string()))
            .and_then(|b| b.get(&key))
            .cloned()
            .ok_or(StoreError::NotFound)?;
        if expected_rv != 0 && object_rv(&current) != expected_rv {
            return Err(StoreError::Conflict);
        }
        let rv = inner.rv + 1;
        let mut last = current.as_ref().clone();
        set_rv(&mut last, rv);
        let last = Arc::new(last);
        self.commit(
            &mut inner,
            rv,
            EventType::Deleted,
            group,
            resource,
            namespace,
            name,
            last.clone(),
            Some(current),
        )?;
        if let Some(b) = inner
            .objects
            .get_mut(&(group.to_string(), resource.to_string()))
        {
            b.remove(&key);
        }
        Store::maybe_compact(&mut inner);
        Ok(last)
    }

    #[allow(clippy::too_many_arguments)]
    fn commit(
        &self,
        inner: &mut Inner,
        rv: u64,
        kind: EventType,
        group: &str,
        resource: &str,
        ns: &str,
        name: &str,
        obj: Arc<Value>,
        previous: Option<Arc<Value>>,
    ) -> Result<(), StoreError> {
        if let Some(wal) = inner.wal.as_mut() {
            let wal_bytes = &mut wal.bytes;
            let wal = &mut wal.file;
            let rec = if kind == EventType::Deleted {
                json!({"rv": rv, "op": "del", "g": group, "r": resource, "ns": ns, "n": name})
            } else {
                json!({"rv": rv, "op": "put", "g": group, "r": resource, "ns": ns, "n": name, "obj": obj.as_ref()})
            };
            let mut line = serde_json::to_vec(&rec).map_err(|e| StoreError::Io(e.to_string()))?;
            line.push(b'\n');
            // One write per record: after it returns the record is in the kernel and survives kill -9.
            wal.write_all(&line)
                .map_err(|e| StoreError::Io(e.to_string()))?;
            *wal_bytes += line.len() as u64;
        }
        inner.rv = rv;
        let key = (
            group.to_string(),
            resource.to_string(),
            ns.to_string(),
            name.to_string(),
        );
        let new = (kind != EventType::Deleted).then_some(obj.as_ref());
        inner.owners.record(&key, previous.as_deref(), new);
        let ev = Arc::new(Event {
            rv,
            kind,
            group: group.to_string(),
            resource: resource.to_string(),
            namespace: ns.to_string(),
            name: name.to_string(),
            object: obj,
            previous,
        });
        inner.log.push_back(ev.clone());
        while inner.log.len() > EVENT_LOG_CAPACITY {
            if let Some(old) = inner.log.pop_front() {
                inner.compacted_rv = old.rv;
            }
        }
        let _ = self.events.send(ev);
        Ok(())
    }

    /// Starts a watch. With `since` = Some(rv): the logged events after rv (Err(oldest) when rv is too old),
    /// then live events. With None: (current RV, no backlog) — the caller synthesises ADDED events from a list
    /// taken under the same lock via `snapshot`.
    pub fn watch(&self, since: Option<u64>) -> Result<WatchStart, u64> {
        let inner = self.lock();
        let receiver = self.events.subscribe();
        match since {
            Some(rv) => {
                if rv < inner.compacted_rv {
                    return Err(inner.compacted_rv);
                }
                let backlog = inner.log.iter().filter(|e| e.rv > rv).cloned().collect();
                Ok(WatchStart {
                    rv: inner.rv,
                    backlog,
                    receiver,
                })
            }
            None => Ok(WatchStart {
                rv: inner.rv,
                backlog: vec![],
                receiver,
            }),
        }
    }

    /// A watch that starts with the current objects of one resource (synthetic ADDED), atomically.
    pub fn watch_with_snapshot(
        &self,
        group: &str,
        resource: &str,
    ) -> (WatchStart, Vec<Arc<Value>>) {
        let inner = self.lock();
        let receiver = self.events.subscribe();
        let items = inner
            .objects
            .get(&(group.to_string(), resource.to_string()))
            .map(|b| b.values().cloned().collect())
            .unwrap_or_default();
        (
            WatchStart {
                rv: inner.rv,
                backlog: vec![],
                receiver,
            },
            items,
        )
    }

    /// The objects the garbage collector is to look at again (see [`OwnerGraph`]), as stored now; the
    /// ones gone since are left out.
    pub fn take_owner_work(&self) -> Vec<(String, String, Arc<Value>)> {
        let mut inner = self.lock();
        let keys = inner.owners.take_dirty();
        keys.into_iter()
            .filter_map(|(g, r, ns, name)| {
                let obj = inner
                    .objects
                    .get(&(g.clone(), r.clone()))?
                    .get(&(ns, name))?;
                Some((g, r, obj.clone()))
            })
            .collect()
    }

    /// Has the garbage collector look at an object again in its next pass.
    pub fn retry_owner_work(&self, key: ObjectKey) {
        self.lock().owners.mark(key);
    }

    pub fn has_owner_work(&self) -> bool {
        self.lock().owners.has_work()
    }

    /// The stored object with this uid.
    pub fn by_uid(&self, uid: &str) -> Option<(String, String, Arc<Value>)> {
        let inner = self.lock();
        let (g, r, ns, name) = inner.owners.key_of(uid)?;
        let obj = inner
            .objects
            .get(&(g.clone(), r.clone()))?
            .get(&(ns.clone(), name.clone()))?;
        Some((g.clone(), r.clone(), obj.clone()))
    }

    /// The stored objects of one resource that name `uid` among their owners, in name order: a
    /// controller's pods without scanning the others.
    pub fn dependents(&self, group: &str, resource: &str, uid: &str) -> Vec<Arc<Value>> {
        let inner = self.lock();
        inner
            .owners
            .dependents_of(uid)
            .filter(|(g, r, _, _)| g == group && r == resource)
            .filter_map(|(g, r, ns, name)| {
                inner
                    .objects
                    .get(&(g.clone(), r.clone()))?
                    .get(&(ns.clone(), name.clone()))
                    .cloned()
            })
            .collect()
    }

    /// Whether a stored object names `uid` among its owners.
    pub fn has_dependents(&self, uid: &str) -> bool {
        self.lock().owners.has_dependents(uid)
    }

    /// Live events for in-process controllers.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.events.subscribe()
    }
}

/// One page of a list (see `Store::list_page`).
pub struct Page {
    pub rv: u64,
    pub items: Vec<Arc<Value>>,
    /// The first matching object after the page, when there is one.
    pub next: Option<Arc<Value>>,
    /// Objects after the page, not filtered.
    pub remaining: usize,
}

/// The beginning of a watch: events to replay, then the live receiver.
pub struct WatchStart {
    pub rv: u64,
    pub backlog: Vec<Arc<Event>>,
    pub receiver: broadcast::Receiver<Arc<Event>>,
}

fn ns_name(obj: &Value) -> (String, String) {
    let meta = &obj["metadata"];
    (
        meta["namespace"].as_str().unwrap_or("").to_string(),
        meta["name"].as_str().unwrap_or("").to_string(),
    )
}

fn apply_record(objects: &mut BTreeMap<(String, String), Bucket>, rec: &Value) {
    let g = rec["g"].as_str().unwrap_or("").to_string();
    let r = rec["r"].as_str().unwrap_or("").to_string();
    let ns = rec["ns"].as_str().unwrap_or("").to_string();
    let n = rec["n"].as_str().unwrap_or("").to_string();
    match rec["op"].as_str() {
        Some("put") => {
            objects
                .entry((g, r))
                .or_default()
                .insert((ns, n), Arc::new(rec["obj"].clone()));
        }
        Some("del") => {
            if let Some(b) = objects.get_mut(&(g, r)) {
                b.remove(&(ns, n));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cm(ns: &str, name: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns}})
    }

    #[test]
    fn create_assigns_increasing_resource_versions() {
        let s = Store::in_memory();
        let a = s.create("", "configmaps", cm("a", "x")).unwrap();
        let b = s.create("", "configmaps", cm("a", "y")).unwrap();
        assert!(object_rv(&b) > object_rv(&a));
        assert_eq!(
            s.create("", "configmaps", cm("a", "x")).unwrap_err(),
            StoreError::AlreadyExists
        );
    }

    #[test]
    fn objects_larger_than_etcd_stores_are_refused_and_not_kept() {
        let s = Store::in_memory();
        let mut big = cm("a", "x");
        big["data"] = json!({"k": "v".repeat(MAX_REQUEST_BYTES)});
        assert!(matches!(
            s.create("", "configmaps", big.clone()),
            Err(StoreError::TooLarge { size }) if size > MAX_REQUEST_BYTES
        ));
        assert!(s.get("", "configmaps", "a", "x").is_none());
        let small = s.create("", "configmaps", cm("a", "x")).unwrap();
        assert!(matches!(
            s.update("", "configmaps", big, object_rv(&small)),
            Err(StoreError::TooLarge { .. })
        ));
        assert_eq!(s.get("", "configmaps", "a", "x").unwrap(), small);
    }

    #[test]
    fn update_with_stale_rv_conflicts() {
        let s = Store::in_memory();
        let a = s.create("", "configmaps", cm("a", "x")).unwrap();
        let rv = object_rv(&a);
        s.update("", "configmaps", cm("a", "x"), rv).unwrap();
        assert_eq!(
            s.update("", "configmaps", cm("a", "x"), rv).unwrap_err(),
            StoreError::Conflict
        );
    }

    #[test]
    fn list_filters_by_namespace_in_name_order() {
        let s = Store::in_memory();
        for (ns, n) in [("b", "2"), ("a", "9"), ("b", "1"), ("c", "0")] {
            s.create("", "configmaps", cm(ns, n)).unwrap();
        }
        let (_, items) = s.list("", "configmaps", Some("b"));
        let names: Vec<&str> = items
            .iter()
            .map(|o| o["metadata"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["1", "2"]);
        assert_eq!(s.list("", "configmaps", None).1.len(), 4);
    }

    #[test]
    fn watch_replays_events_after_a_resource_version() {
        let s = Store::in_memory();
        let a = s.create("", "configmaps", cm("a", "x")).unwrap();
        s.create("", "configmaps", cm("a", "y")).unwrap();
        let w = s.watch(Some(object_rv(&a))).unwrap();
        assert_eq!(w.backlog.len(), 1);
        assert_eq!(w.backlog[0].name, "y");
        assert!(
            s.watch(Some(object_rv(&a) - 5)).is_err(),
            "RVs before the log start are expired"
        );
    }

    #[test]
    fn the_log_is_compacted_while_running_and_a_reopen_recovers_the_last_write() {
        let dir = tempfile::tempdir().unwrap();
        let wal = dir.path().join("wal.jsonl");
        let s = Store::open(dir.path()).unwrap();
        let mut obj = s.create("", "configmaps", cm("a", "hot")).unwrap();
        let mut written = 0u64;
        for i in 0..400 {
            let mut next = cm("a", "hot");
            next["data"] = json!({"i": i.to_string(), "pad": "p".repeat(8 * 1024)});
            obj = s.update("", "configmaps", next, object_rv(&obj)).unwrap();
            written += 8 * 1024;
            let on_disk = std::fs::metadata(&wal).unwrap().len();
            assert!(
                on_disk <= WAL_COMPACTION_FLOOR + 16 * 1024,
                "after {written} bytes written the log holds {on_disk}"
            );
        }
        assert!(written > 3 * WAL_COMPACTION_FLOOR);
        assert!(s.disk_bytes() < 2 * WAL_COMPACTION_FLOOR);
        let last_rv = object_rv(&obj);
        drop(s);
        let s = Store::open(dir.path()).unwrap();
        let hot = s.get("", "configmaps", "a", "hot").unwrap();
        assert_eq!(hot["data"]["i"], "399");
        assert_eq!(object_rv(&hot), last_rv);
    }

    #[test]
    fn log_records_a_snapshot_already_holds_are_not_replayed() {
        // A crash after a compaction's snapshot, before it truncated the log: the log's records are older.
        let dir = tempfile::tempdir().unwrap();
        let mut x = cm("a", "x");
        x["data"] = json!({"v": "2"});
        let snap = json!({"rv": 100, "objects": [{"op": "put", "g": "", "r": "configmaps", "ns": "a", "n": "x", "obj": x}]});
        std::fs::write(dir.path().join("snapshot.json"), snap.to_string()).unwrap();
        let mut old = cm("a", "x");
        old["data"] = json!({"v": "1"});
        let log = [
            json!({"rv": 50, "op": "put", "g": "", "r": "configmaps", "ns": "a", "n": "x", "obj": old}),
            json!({"rv": 60, "op": "del", "g": "", "r": "configmaps", "ns": "a", "n": "x"}),
            json!({"rv": 101, "op": "put", "g": "", "r": "configmaps", "ns": "a", "n": "y", "obj": cm("a", "y")}),
        ]
        .iter()
        .map(|r| format!("{r}\n"))
        .collect::<String>();
        std::fs::write(dir.path().join("wal.jsonl"), log).unwrap();
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.get("", "configmaps", "a", "x").unwrap()["data"]["v"], "2");
        assert!(s.get("", "configmaps", "a", "y").is_some());
    }

    #[test]
    fn persistent_store_survives_reopen_and_never_goes_backwards() {
        let dir = tempfile::tempdir().unwrap();
        let rv;
        {
            let s = Store::open(dir.path()).unwrap();
            s.create("", "configmaps", cm("a", "x")).unwrap();
            let y = s.create("", "configmaps", cm("a", "y")).unwrap();
            s.delete("", "configmaps", "a", "x", 0).unwrap();
            rv = object_rv(&y) + 1;
        }
        let s = Store::open(dir.path()).unwrap();
        assert!(s.get("", "configmaps", "a", "x").is_none());
        assert!(s.get("", "configmaps", "a", "y").is_some());
        assert!(s.current_rv() >= rv);
    }
}
