//! The object store of one sandbox cluster: objects by (group, resource, namespace, name), one global
//! resourceVersion counter, a bounded event log for watches, and an optional write-ahead log on disk.

use std::collections::{BTreeMap, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Value};
use tokio::sync::broadcast;

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

/// Why a commit was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    AlreadyExists,
    NotFound,
    /// The object changed since the caller read it.
    Conflict,
    Io(String),
}

type Bucket = BTreeMap<(String, String), Arc<Value>>;

struct Inner {
    rv: u64,
    objects: BTreeMap<(String, String), Bucket>,
    log: VecDeque<Arc<Event>>,
    /// Highest RV that fell out of the log (watches from below it are expired).
    compacted_rv: u64,
    wal: Option<File>,
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
        wal: Option<File>,
        dir: Option<PathBuf>,
    ) -> Store {
        let (events, _) = broadcast::channel(16_384);
        Store {
            inner: Mutex::new(Inner {
                rv,
                objects,
                log: VecDeque::new(),
                compacted_rv: rv,
                wal,
            }),
            events,
            data_dir: dir,
        }
    }

    /// Opens (or creates) a persistent store in `dir`: replays `snapshot.json` and `wal.jsonl`, then compacts them
    /// into a fresh snapshot. Every acknowledged write is appended to the WAL before the caller is answered.
    pub fn open(dir: &Path) -> std::io::Result<Store> {
        std::fs::create_dir_all(dir)?;
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
        if wal_path.exists() {
            for line in BufReader::new(File::open(&wal_path)?).lines() {
                let line = line?;
                // A torn last line (crash mid-write) was never acknowledged: stop there.
                let Ok(rec) = serde_json::from_str::<Value>(&line) else {
                    break;
                };
                rv = rv.max(rec["rv"].as_u64().unwrap_or(0));
                apply_record(&mut objects, &rec);
            }
        }
        rv = rv.max(wall_clock_ms());
        // Compact: write the snapshot atomically, then start an empty WAL.
        let tmp = dir.join("snapshot.json.tmp");
        {
            let mut f = File::create(&tmp)?;
            let mut recs = Vec::new();
            for ((g, r), bucket) in &objects {
                for ((ns, n), obj) in bucket {
                    recs.push(
                        json!({"op": "put", "g": g, "r": r, "ns": ns, "n": n, "obj": obj.as_ref()}),
                    );
                }
            }
            serde_json::to_writer(&mut f, &json!({"rv": rv, "objects": recs}))?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &snap_path)?;
        let wal = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(&wal_path)?;
        wal.sync_all()?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(Store::build(
            rv,
            objects,
            Some(wal),
            Some(dir.to_path_buf()),
        ))
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
        let inner = self.lock();
        let mut page = Page {
            rv: inner.rv,
            items: vec![],
            next: None,
            remaining: 0,
        };
        let Some(b) = inner
            .objects
            .get(&(group.to_string(), resource.to_string()))
        else {
            return page;
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
        page
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

    /// Every stored object: (group, resource, object). For controllers that scan (GC).
    pub fn all_objects(&self) -> Vec<(String, String, Arc<Value>)> {
        let inner = self.lock();
        let mut out = Vec::new();
        for ((g, r), b) in &inner.objects {
            for obj in b.values() {
                out.push((g.clone(), r.clone(), obj.clone()));
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
        }
        inner.rv = rv;
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
