//! The owner graph the garbage collector works from, kept up to date by every store write so that the
//! collector's cost follows what changed, not how many objects are stored: each object's uid, the dependents
//! that name each owner, and the objects to look at again (a new or changed dependent, the dependents of an
//! owner that went or started terminating, an owner whose dependents went).

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::objects;

/// (group, resource, namespace, name)
pub type ObjectKey = (String, String, String, String);

#[derive(Default)]
pub struct OwnerGraph {
    by_uid: HashMap<String, ObjectKey>,
    /// owner uid → the objects whose ownerReferences name it (the owner need not exist).
    dependents: HashMap<String, BTreeSet<ObjectKey>>,
    dirty: BTreeSet<ObjectKey>,
}

pub fn owner_uids(obj: &Value) -> Vec<&str> {
    obj["metadata"]["ownerReferences"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["uid"].as_str()).collect())
        .unwrap_or_default()
}

/// A terminating owner that waits for its dependents (`orphan` or `foregroundDeletion`).
pub fn waits_for_dependents(obj: &Value) -> bool {
    objects::is_terminating(obj)
        && obj["metadata"]["finalizers"]
            .as_array()
            .is_some_and(|a| a.iter().any(|f| f == "orphan" || f == "foregroundDeletion"))
}

impl OwnerGraph {
    /// Records a write: `new` is None for a deletion, `old` None for a creation.
    pub fn record(&mut self, key: &ObjectKey, old: Option<&Value>, new: Option<&Value>) {
        let old_owners: Vec<&str> = old.map(owner_uids).unwrap_or_default();
        let new_owners: Vec<&str> = new.map(owner_uids).unwrap_or_default();
        let uid = new.or(old).map(objects::uid).unwrap_or("");
        match new {
            Some(_) if !uid.is_empty() => {
                self.by_uid.insert(uid.to_string(), key.clone());
            }
            None if self.by_uid.get(uid) == Some(key) => {
                self.by_uid.remove(uid);
            }
            _ => {}
        }
        for gone in old_owners.iter().filter(|u| !new_owners.contains(u)) {
            if let Some(set) = self.dependents.get_mut(*gone) {
                set.remove(key);
                if set.is_empty() {
                    self.dependents.remove(*gone);
                }
            }
            // An owner waiting for its dependents may be done now.
            if let Some(owner) = self.by_uid.get(*gone) {
                self.dirty.insert(owner.clone());
            }
        }
        for owner in &new_owners {
            self.dependents
                .entry(owner.to_string())
                .or_default()
                .insert(key.clone());
        }
        match new {
            Some(obj) => {
                if !new_owners.is_empty() {
                    self.dirty.insert(key.clone());
                }
                if objects::is_terminating(obj) {
                    self.mark_dependents(uid);
                    if waits_for_dependents(obj) {
                        self.dirty.insert(key.clone());
                    }
                }
            }
            None => {
                self.dirty.remove(key);
                self.mark_dependents(uid);
            }
        }
    }

    fn mark_dependents(&mut self, uid: &str) {
        if let Some(set) = self.dependents.get(uid) {
            self.dirty.extend(set.iter().cloned());
        }
    }

    /// The objects to look at again since the last call.
    pub fn take_dirty(&mut self) -> BTreeSet<ObjectKey> {
        std::mem::take(&mut self.dirty)
    }

    /// Looks at `key` again in the next pass (a write of the collector's failed).
    pub fn mark(&mut self, key: ObjectKey) {
        self.dirty.insert(key);
    }

    pub fn has_work(&self) -> bool {
        !self.dirty.is_empty()
    }

    pub fn key_of(&self, uid: &str) -> Option<&ObjectKey> {
        self.by_uid.get(uid)
    }

    /// The objects whose ownerReferences name `uid`.
    pub fn dependents_of(&self, uid: &str) -> impl Iterator<Item = &ObjectKey> {
        self.dependents.get(uid).into_iter().flatten()
    }

    /// Whether any stored object names `uid` as an owner.
    pub fn has_dependents(&self, uid: &str) -> bool {
        self.dependents.get(uid).is_some_and(|s| !s.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(name: &str) -> ObjectKey {
        ("".into(), "configmaps".into(), "ns".into(), name.into())
    }

    fn obj(name: &str, owners: &[&str]) -> Value {
        let refs: Vec<Value> = owners
            .iter()
            .map(|u| json!({"apiVersion": "v1", "kind": "ConfigMap", "name": "o", "uid": u}))
            .collect();
        json!({"metadata": {"name": name, "namespace": "ns", "uid": format!("uid-{name}"),
            "ownerReferences": refs}})
    }

    #[test]
    fn only_what_changed_is_looked_at_again() {
        let mut g = OwnerGraph::default();
        let owner = obj("owner", &[]);
        g.record(&key("owner"), None, Some(&owner));
        assert!(!g.has_work(), "an object without owners is no work");
        let dep = obj("dep", &["uid-owner"]);
        g.record(&key("dep"), None, Some(&dep));
        assert_eq!(g.take_dirty(), BTreeSet::from([key("dep")]));
        assert!(g.has_dependents("uid-owner"));
        assert_eq!(g.key_of("uid-owner"), Some(&key("owner")));

        // The owner goes: its dependent is looked at again.
        g.record(&key("owner"), Some(&owner), None);
        assert_eq!(g.take_dirty(), BTreeSet::from([key("dep")]));
        assert_eq!(g.key_of("uid-owner"), None);
    }

    #[test]
    fn a_waiting_owner_is_looked_at_again_when_its_last_dependent_goes() {
        let mut g = OwnerGraph::default();
        let mut owner = obj("owner", &[]);
        g.record(&key("owner"), None, Some(&owner));
        let dep = obj("dep", &["uid-owner"]);
        g.record(&key("dep"), None, Some(&dep));
        g.take_dirty();
        let before = owner.clone();
        owner["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        owner["metadata"]["finalizers"] = json!(["foregroundDeletion"]);
        g.record(&key("owner"), Some(&before), Some(&owner));
        assert_eq!(
            g.take_dirty(),
            BTreeSet::from([key("dep"), key("owner")]),
            "the dependents of a terminating owner, and the owner itself"
        );
        g.record(&key("dep"), Some(&dep), None);
        assert_eq!(g.take_dirty(), BTreeSet::from([key("owner")]));
        assert!(!g.has_dependents("uid-owner"));
    }

    #[test]
    fn dropping_an_owner_reference_updates_the_reverse_index() {
        let mut g = OwnerGraph::default();
        let dep = obj("dep", &["a", "b"]);
        g.record(&key("dep"), None, Some(&dep));
        let fewer = obj("dep", &["b"]);
        g.record(&key("dep"), Some(&dep), Some(&fewer));
        assert!(!g.has_dependents("a"));
        assert!(g.has_dependents("b"));
    }
}
