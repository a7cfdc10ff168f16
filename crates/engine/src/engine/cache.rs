//! Where the engine reads objects from: a listing made for one pass (`--once`), or a watch-fed cache
//! (`--watch`) together with what this process wrote that the cache may not show yet, so a reconcile right
//! after a write does not take the object's old state for drift and write it again.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use kube::api::{Api, DynamicObject, ListParams};
use kube::core::ApiResource;
use serde_json::Value;

use super::error::EngineError;

/// `(namespace, name)`; namespace is `""` for cluster-scoped objects.
pub type ObjectKey = (String, String);

/// Objects of one type in one cluster, by key (namespace `""` for cluster-scoped ones and Namespaces).
pub enum Listing {
    /// Listed for this pass.
    Listed(HashMap<ObjectKey, Value>),
    /// Held by a watch-fed cache.
    Cached(CachedListing),
}

impl Default for Listing {
    fn default() -> Self {
        Listing::Listed(HashMap::new())
    }
}

impl Listing {
    pub fn new() -> Listing {
        Listing::default()
    }

    /// Adds an object to a listing made for a pass (tests and the `--once` lister build them this way).
    pub fn insert(&mut self, key: ObjectKey, object: Value) {
        if let Listing::Listed(m) = self {
            m.insert(key, object);
        }
    }

    /// The object at `key`, as this process last knows it.
    pub fn get(&self, key: &ObjectKey) -> Option<Value> {
        self.get_entry(key).map(|(v, _)| v.into_owned())
    }

    /// The object at `key`, and whether it is whole: a metadata-only cache holds just what tells whether
    /// an object changed, so comparing its content with a template takes a GET. A listing lends its
    /// object (a no-op pass reads every member object once and copies none); a cache parses its own.
    pub fn get_entry(&self, key: &ObjectKey) -> Option<(Cow<'_, Value>, bool)> {
        match self {
            Listing::Listed(m) => m.get(key).map(|v| (Cow::Borrowed(v), true)),
            Listing::Cached(c) => c.get_entry(key).map(|(v, whole)| (Cow::Owned(v), whole)),
        }
    }

    pub fn keys(&self) -> Vec<ObjectKey> {
        match self {
            Listing::Listed(m) => m.keys().cloned().collect(),
            Listing::Cached(c) => c.keys(),
        }
    }

    /// How many objects it holds.
    pub fn len(&self) -> usize {
        match self {
            Listing::Listed(m) => m.len(),
            Listing::Cached(c) => c.store.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The objects a watch-fed cache holds, by key (namespace `""` for cluster-scoped ones), each kept as
/// the JSON text of what the cache keeps of it: a fraction of the memory of parsed objects (a metadata
/// record is a few hundred bytes), parsed again only when one is read. Filled from a watch: a complete
/// (re)listing replaces everything at once, then each event changes one object.
#[derive(Clone, Default)]
pub struct ObjectStore {
    inner: Arc<RwLock<StoreState>>,
}

#[derive(Default)]
struct StoreState {
    objects: HashMap<ObjectKey, Box<str>>,
    listed: bool,
}

impl ObjectStore {
    /// The key of an object: its namespace (`""` when it has none) and name.
    pub fn key_of(o: &DynamicObject) -> ObjectKey {
        (
            o.metadata.namespace.clone().unwrap_or_default(),
            o.metadata.name.clone().unwrap_or_default(),
        )
    }

    fn encode(o: &DynamicObject) -> Box<str> {
        serde_json::to_string(o)
            .expect("objects serialise")
            .into_boxed_str()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, StoreState> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, StoreState> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// The object at `key`, with its `apiVersion` and `kind`.
    pub fn get(&self, key: &ObjectKey, resource: &ApiResource) -> Option<Value> {
        let text = self.read().objects.get(key).cloned()?;
        let mut v: Value = serde_json::from_str(&text).expect("the store holds JSON");
        fill_type_meta(&mut v, resource);
        Some(v)
    }

    pub fn keys(&self) -> Vec<ObjectKey> {
        self.read().objects.keys().cloned().collect()
    }

    /// Every object, with its `apiVersion` and `kind`.
    pub fn values(&self, resource: &ApiResource) -> Vec<Value> {
        let texts: Vec<Box<str>> = self.read().objects.values().cloned().collect();
        texts
            .iter()
            .map(|t| {
                let mut v: Value = serde_json::from_str(t).expect("the store holds JSON");
                fill_type_meta(&mut v, resource);
                v
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.read().objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a complete listing has been stored once.
    pub fn is_listed(&self) -> bool {
        self.read().listed
    }

    /// Stores or replaces one object.
    pub fn apply(&self, o: &DynamicObject) {
        let text = Self::encode(o);
        self.write().objects.insert(Self::key_of(o), text);
    }

    pub fn delete(&self, o: &DynamicObject) {
        self.write().objects.remove(&Self::key_of(o));
    }

    /// Replaces everything with a complete listing.
    pub fn replace(&self, listing: Listed) {
        let mut state = self.write();
        state.objects = listing.0;
        state.listed = true;
    }
}

/// A (re)listing being received, stored as a whole once complete.
#[derive(Default)]
pub struct Listed(HashMap<ObjectKey, Box<str>>);

impl Listed {
    pub fn add(&mut self, o: &DynamicObject) {
        self.0
            .insert(ObjectStore::key_of(o), ObjectStore::encode(o));
    }
}

/// A watch-fed store of one type in one cluster.
#[derive(Clone)]
pub struct CachedListing {
    pub store: ObjectStore,
    /// The resource the store was made with (its objects' refs carry it).
    pub resource: ApiResource,
    /// Whether keys name a namespace (namespaced types other than Namespace itself).
    pub namespaced: bool,
    /// Where this process's own writes to these objects are remembered, under `source`.
    pub written: Arc<Written>,
    pub source: String,
    /// The store holds only metadata (see [`Listing::get_entry`]).
    pub metadata_only: bool,
}

impl CachedListing {
    pub fn get(&self, key: &ObjectKey) -> Option<Value> {
        self.get_entry(key).map(|(v, _)| v)
    }

    /// The object, and whether it is whole (this process's own write is; a metadata-only store's is not).
    pub fn get_entry(&self, key: &ObjectKey) -> Option<(Value, bool)> {
        let cached = self.store.get(key, &self.resource);
        let (value, written) = self.written.resolve_entry(&self.source, key, cached);
        value.map(|v| (v, written || !self.metadata_only))
    }

    pub fn keys(&self) -> Vec<ObjectKey> {
        self.store.keys()
    }
}

/// The [`Written`] source of a target type's objects in a member.
pub fn member_source(cluster: &str, type_name: &str) -> String {
    format!("member/{cluster}/{type_name}")
}

/// The [`Written`] source of a type's federated objects in the host.
pub fn host_source(type_name: &str) -> String {
    format!("host/{type_name}")
}

/// The [`Written`] source of PropagatedVersions (`namespaced`) or ClusterPropagatedVersions.
pub fn versions_source(namespaced: bool) -> &'static str {
    if namespaced {
        "host/propagatedversions"
    } else {
        "host/clusterpropagatedversions"
    }
}

/// An object as JSON with its `apiVersion` and `kind` (lists and some watch events leave them out).
pub fn to_value(o: &DynamicObject, resource: &ApiResource) -> Value {
    let mut v = serde_json::to_value(o).expect("objects serialise");
    fill_type_meta(&mut v, resource);
    v
}

/// Gives an object without a `kind` the `apiVersion` and `kind` of `resource`.
pub fn fill_type_meta(v: &mut Value, resource: &ApiResource) {
    if v.get("kind")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        v["apiVersion"] = Value::String(resource.api_version.clone());
        v["kind"] = Value::String(resource.kind.clone());
    }
}

/// What this process wrote, per source (`<cluster>/<type>`, `host/<type>`, …) and key: the versions the
/// object had before this process's latest writes, and the object the server last returned (`None`:
/// deleted). A cache that still shows one of those older versions is behind, and the written object is the
/// truth; once it shows anything else (the write's echo or a later change), the cache is.
#[derive(Default)]
pub struct Written {
    entries: Mutex<HashMap<(String, ObjectKey), Entry>>,
}

struct Entry {
    /// resourceVersions older than `after` (`None`: the object did not exist).
    stale: Vec<Option<String>>,
    after: Option<Value>,
}

fn resource_version(v: &Value) -> Option<String> {
    v.pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .map(str::to_string)
}

impl Written {
    pub fn record(
        &self,
        source: &str,
        key: &ObjectKey,
        before: Option<&Value>,
        after: Option<Value>,
    ) {
        let before_rv = before.and_then(resource_version);
        let mut entries = self.entries.lock().unwrap();
        let k = (source.to_string(), key.clone());
        let mut stale = match entries.remove(&k) {
            // Another write before the cache caught up (made from the previous write's result, or from an
            // older view when the write needs no precondition): every version before it is behind.
            Some(mut e) => {
                let prev = e.after.as_ref().and_then(resource_version);
                if prev == before_rv || e.stale.contains(&before_rv) {
                    e.stale.push(prev);
                    e.stale
                } else {
                    Vec::new()
                }
            }
            None => Vec::new(),
        };
        stale.push(before_rv);
        entries.insert(k, Entry { stale, after });
    }

    /// The freshest known state of the object: what was written, while `cached` is still an older version.
    pub fn resolve(&self, source: &str, key: &ObjectKey, cached: Option<Value>) -> Option<Value> {
        self.resolve_entry(source, key, cached).0
    }

    /// [`Written::resolve`], and whether the answer is what was written (rather than `cached`).
    pub fn resolve_entry(
        &self,
        source: &str,
        key: &ObjectKey,
        cached: Option<Value>,
    ) -> (Option<Value>, bool) {
        let mut entries = self.entries.lock().unwrap();
        let k = (source.to_string(), key.clone());
        let Some(entry) = entries.get(&k) else {
            return (cached, false);
        };
        if entry
            .stale
            .contains(&cached.as_ref().and_then(resource_version))
        {
            return (entry.after.clone(), true);
        }
        entries.remove(&k);
        (cached, false)
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One LIST request, its items parsed straight into JSON (not through `DynamicObject`, which would
/// parse each object twice), each with its `apiVersion` and `kind`: a real API server leaves them out of
/// the items of a built-in type's list, and a missing `kind` must not read as a difference (or show in
/// `diff`).
pub(crate) async fn list_values(
    api: &Api<DynamicObject>,
    client: &kube::Client,
    resource: &kube::core::ApiResource,
    params: &ListParams,
) -> kube::Result<Vec<Value>> {
    #[derive(serde::Deserialize)]
    struct Items {
        #[serde(default)]
        items: Vec<Value>,
    }
    let mut req = kube::core::Request::new(api.resource_url())
        .list(params)
        .map_err(kube::Error::BuildRequest)?;
    req.extensions_mut().insert("list");
    let list: Items = client.request(req).await?;
    Ok(list
        .items
        .into_iter()
        .map(|mut o| {
            fill_type_meta(&mut o, resource);
            o
        })
        .collect())
}

/// The objects of a type in one cluster (in `ns` when the type is namespaced and `ns` is given),
/// optionally by label selector, by key: one LIST request.
pub(crate) async fn list_objects(
    client: &kube::Client,
    resource: &ApiResource,
    namespaced: bool,
    ns: Option<&str>,
    labels: Option<&str>,
) -> Result<HashMap<ObjectKey, Value>, EngineError> {
    let api: Api<DynamicObject> = match ns {
        Some(ns) if namespaced => Api::namespaced_with(client.clone(), ns, resource),
        _ => Api::all_with(client.clone(), resource),
    };
    let params = match labels {
        Some(l) => ListParams::default().labels(l),
        None => ListParams::default(),
    };
    let items = list_values(&api, client, resource, &params)
        .await
        .map_err(|e| {
            EngineError::from(e).context(format!(
                "cannot list {}{}",
                resource.plural,
                labels.map(|l| format!(" labelled {l}")).unwrap_or_default(),
            ))
        })?;
    Ok(items
        .into_iter()
        .map(|o| {
            let s = |p: &str| {
                o.pointer(p)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let key: ObjectKey = if namespaced {
                (s("/metadata/namespace"), s("/metadata/name"))
            } else {
                (String::new(), s("/metadata/name"))
            };
            (key, o)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(rv: &str, v: &str) -> Value {
        json!({"metadata": {"name": "a", "resourceVersion": rv}, "data": {"v": v}})
    }

    #[test]
    fn a_write_is_seen_until_the_cache_moves_past_the_old_version() {
        let w = Written::default();
        let key = ("ns".to_string(), "a".to_string());
        w.record(
            "m1/configmaps",
            &key,
            Some(&obj("1", "old")),
            Some(obj("2", "new")),
        );
        // The cache still shows version 1: the write is the truth.
        assert_eq!(
            w.resolve("m1/configmaps", &key, Some(obj("1", "old"))),
            Some(obj("2", "new"))
        );
        // Another source or key is not affected.
        assert_eq!(
            w.resolve("m2/configmaps", &key, Some(obj("1", "old"))),
            Some(obj("1", "old"))
        );
        // The echo arrived: the cache is the truth again, and the entry is gone.
        assert_eq!(
            w.resolve("m1/configmaps", &key, Some(obj("2", "new"))),
            Some(obj("2", "new"))
        );
        assert!(w.is_empty());
    }

    #[test]
    fn a_later_change_by_someone_else_wins_over_the_write() {
        let w = Written::default();
        let key = ("ns".to_string(), "a".to_string());
        w.record("s", &key, Some(&obj("1", "old")), Some(obj("2", "ours")));
        assert_eq!(
            w.resolve("s", &key, Some(obj("3", "theirs"))),
            Some(obj("3", "theirs"))
        );
    }

    #[test]
    fn creations_and_deletions_are_remembered_too() {
        let w = Written::default();
        let key = ("ns".to_string(), "a".to_string());
        w.record("s", &key, None, Some(obj("5", "created")));
        assert_eq!(w.resolve("s", &key, None), Some(obj("5", "created")));
        w.record("s", &key, Some(&obj("5", "created")), None);
        assert_eq!(w.resolve("s", &key, Some(obj("5", "created"))), None);
        assert_eq!(w.resolve("s", &key, None), None);
    }

    #[test]
    fn two_writes_before_the_echo_keep_the_first_base() {
        let w = Written::default();
        let key = ("ns".to_string(), "a".to_string());
        w.record("s", &key, Some(&obj("1", "a")), Some(obj("2", "b")));
        let seen = w.resolve("s", &key, Some(obj("1", "a"))).unwrap();
        w.record("s", &key, Some(&seen), Some(obj("3", "c")));
        assert_eq!(
            w.resolve("s", &key, Some(obj("1", "a"))),
            Some(obj("3", "c"))
        );
        assert_eq!(
            w.resolve("s", &key, Some(obj("3", "c"))),
            Some(obj("3", "c"))
        );
    }
}
