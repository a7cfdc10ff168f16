//! Server-side apply and `metadata.managedFields`: field ownership per manager, apply conflicts, removal of
//! fields an applier stopped applying, and ownership transfer on ordinary (non-apply) writes.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use super::fieldset::{
    compare, field_set_of, get_at, list_item_element, remove_at, render_path, Comparison, FieldSet,
    PathElement,
};
use super::listtypes::{ListType, TypeSchema};

/// Which part of the object a write may touch and own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Types without a status subresource: everything is tracked.
    Whole,
    /// The main endpoint of a status-subresource type: `status` is ignored.
    MainResource,
    /// The `/status` endpoint: only `status` is written and tracked.
    StatusSubresource,
}

/// The manager a write is attributed to.
#[derive(Debug, Clone, Copy)]
pub struct ManagerInfo<'a> {
    pub manager: &'a str,
    pub api_version: &'a str,
    pub subresource: Option<&'a str>,
    /// RFC 3339, second precision: the `time` of entries this write touches.
    pub now: &'a str,
}

impl ManagerInfo<'_> {
    fn subresource(&self) -> Option<&str> {
        self.subresource.filter(|s| !s.is_empty())
    }
}

/// One `details.causes[]` element of an apply conflict (reason `FieldManagerConflict`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictCause {
    /// e.g. `.spec.replicas`
    pub field: String,
    /// e.g. `conflict with "kubectl-edit" using apps/v1`
    pub message: String,
}

/// The parts of a 409 Conflict answer to an apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyConflict {
    pub message: String,
    pub causes: Vec<ConflictCause>,
}

impl fmt::Display for ApplyConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApplyConflict {}

/// Metadata the server owns or that names the object; managedFields never track them, and apply never
/// takes them from the config.
const UNTRACKED_METADATA: &[&str] = &[
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "selfLink",
];

const APPLY: &str = "Apply";
const UPDATE: &str = "Update";

fn field(name: &str) -> PathElement {
    PathElement::Field(name.to_string())
}

/// A decoded managedFields entry. `raw` keeps the stored JSON so that an entry nobody touched is written
/// back byte for byte (no-op writes must leave the object identical).
#[derive(Debug, Clone)]
struct Entry {
    manager: String,
    operation: String,
    api_version: String,
    subresource: Option<String>,
    time: Option<Value>,
    set: FieldSet,
    raw: Option<Value>,
}

impl Entry {
    fn new(who: &ManagerInfo, operation: &str, set: FieldSet) -> Entry {
        Entry {
            manager: who.manager.to_string(),
            operation: operation.to_string(),
            api_version: who.api_version.to_string(),
            subresource: who.subresource().map(str::to_string),
            // The real scale handler rebuilds the parent's entries from the Scale's and leaves the time
            // out of the scale entry (so it sorts first).
            time: if who.subresource() == Some("scale") {
                None
            } else {
                Some(Value::String(who.now.to_string()))
            },
            set,
            raw: None,
        }
    }

    fn decode(v: &Value) -> Result<Entry, String> {
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let set = match v.get("fieldsV1") {
            None | Some(Value::Null) => FieldSet::new(),
            Some(fields) => FieldSet::from_fields_v1(fields)?,
        };
        Ok(Entry {
            manager: text("manager").unwrap_or_default(),
            operation: text("operation").unwrap_or_default(),
            api_version: text("apiVersion").unwrap_or_default(),
            subresource: text("subresource").filter(|s| !s.is_empty()),
            time: v.get("time").cloned(),
            set,
            raw: Some(v.clone()),
        })
    }

    fn encode(&self) -> Value {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let mut m = Map::new();
        m.insert("manager".into(), Value::String(self.manager.clone()));
        m.insert("operation".into(), Value::String(self.operation.clone()));
        m.insert("apiVersion".into(), Value::String(self.api_version.clone()));
        if let Some(t) = &self.time {
            m.insert("time".into(), t.clone());
        }
        m.insert("fieldsType".into(), Value::String("FieldsV1".into()));
        m.insert("fieldsV1".into(), self.set.to_fields_v1());
        if let Some(s) = &self.subresource {
            m.insert("subresource".into(), Value::String(s.clone()));
        }
        Value::Object(m)
    }

    /// Manager identity: (manager, operation, subresource), plus apiVersion for Update.
    fn is(&self, who: &ManagerInfo, operation: &str) -> bool {
        self.manager == who.manager
            && self.operation == operation
            && self.subresource.as_deref() == who.subresource()
            && (operation == APPLY || self.api_version == who.api_version)
    }

    fn replace_set(&mut self, set: FieldSet) {
        if set != self.set {
            self.set = set;
            self.raw = None;
        }
    }

    /// The API server's manager identifier (JSON of the entry without time and fields; appliers also
    /// without apiVersion): conflicts are grouped and sorted by it.
    fn identifier(&self) -> String {
        let mut m = Map::new();
        if !self.manager.is_empty() {
            m.insert("manager".into(), Value::String(self.manager.clone()));
        }
        if !self.operation.is_empty() {
            m.insert("operation".into(), Value::String(self.operation.clone()));
        }
        if self.operation != APPLY && !self.api_version.is_empty() {
            m.insert("apiVersion".into(), Value::String(self.api_version.clone()));
        }
        if let Some(s) = &self.subresource {
            m.insert("subresource".into(), Value::String(s.clone()));
        }
        Value::Object(m).to_string()
    }

    /// How a conflict message names the manager: `"n"`, `"n" with subresource "s"`, `… using v1`.
    fn describe(&self) -> String {
        let mut out = format!("{:?}", self.manager);
        if let Some(s) = &self.subresource {
            out.push_str(&format!(" with subresource {s:?}"));
        }
        if self.operation == UPDATE {
            out.push_str(&format!(" using {}", self.api_version));
        }
        out
    }
}

fn decode_entries(list: &[Value]) -> Result<Vec<Entry>, String> {
    list.iter().map(Entry::decode).collect()
}

fn stored_entries(obj: Option<&Value>) -> Vec<Entry> {
    obj.and_then(|o| o.pointer("/metadata/managedFields"))
        .and_then(Value::as_array)
        .and_then(|l| decode_entries(l).ok())
        .unwrap_or_default()
}

fn write_entries(obj: &mut Value, entries: &[Entry]) {
    let Some(root) = obj.as_object_mut() else {
        return;
    };
    let meta = root
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(meta) = meta.as_object_mut() else {
        return;
    };
    if entries.is_empty() {
        meta.shift_remove("managedFields");
    } else {
        // The real field manager stores entries sorted by operation (Apply before Update), then time (to the
        // second; none sorts first), manager, apiVersion and subresource.
        let mut sorted: Vec<&Entry> = entries.iter().collect();
        sorted.sort_by(|a, b| {
            let time = |e: &Entry| {
                e.time
                    .as_ref()
                    .and_then(Value::as_str)
                    .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                    .map(|t| t.as_second())
                    .unwrap_or(0)
            };
            (
                a.operation.as_str(),
                time(a),
                a.manager.as_str(),
                a.api_version.as_str(),
                a.subresource.as_deref().unwrap_or(""),
            )
                .cmp(&(
                    b.operation.as_str(),
                    time(b),
                    b.manager.as_str(),
                    b.api_version.as_str(),
                    b.subresource.as_deref().unwrap_or(""),
                ))
        });
        meta.insert(
            "managedFields".into(),
            Value::Array(sorted.into_iter().map(Entry::encode).collect()),
        );
    }
}

/// Drops what no manager may own: apiVersion, kind, server-owned metadata, and `status` or everything
/// but `status` depending on the endpoint.
fn untrack(set: &mut FieldSet, scope: Scope) {
    set.set_member(false);
    set.remove_subtree(&[field("apiVersion")]);
    set.remove_subtree(&[field("kind")]);
    let meta = field("metadata");
    if let Some(m) = set.child_mut(&meta) {
        m.set_member(false);
        for name in UNTRACKED_METADATA {
            m.remove_subtree(&[field(name)]);
        }
    }
    set.remove_child_if_empty(&meta);
    match scope {
        Scope::Whole => {}
        Scope::MainResource => set.remove_subtree(&[field("status")]),
        Scope::StatusSubresource => set.retain_only(&field("status")),
    }
}

fn untrack_comparison(c: &mut Comparison, scope: Scope) {
    for s in [&mut c.added, &mut c.modified, &mut c.removed] {
        untrack(s, scope);
    }
}

fn without_managed_fields(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.shift_remove("managedFields");
    }
    v
}

/// The part of an apply config the endpoint accepts.
fn scoped_config(config: &Value, scope: Scope) -> Value {
    let mut c = without_managed_fields(config);
    match scope {
        Scope::Whole => {}
        Scope::MainResource => {
            if let Some(m) = c.as_object_mut() {
                m.shift_remove("status");
            }
        }
        Scope::StatusSubresource => {
            let status = c.get("status").cloned();
            let mut only = Map::new();
            if let Some(s) = status {
                only.insert("status".into(), s);
            }
            c = Value::Object(only);
        }
    }
    c
}

fn refs(spath: &[String]) -> Vec<&str> {
    spath.iter().map(String::as_str).collect()
}

/// Merges an apply config into the live object: maps recursively (null removes), atomic values
/// replaced, list-maps merged by key and sets unioned.
fn merge_value(
    live: Option<&Value>,
    config: &Value,
    spath: &mut Vec<String>,
    schema: &dyn TypeSchema,
) -> Value {
    match config {
        Value::Object(cm) => {
            if !spath.is_empty() && schema.map_is_atomic(&refs(spath)) {
                return config.clone();
            }
            let mut out = match live {
                Some(Value::Object(lm)) => lm.clone(),
                _ => Map::new(),
            };
            for (k, cv) in cm {
                if cv.is_null() {
                    out.shift_remove(k);
                    continue;
                }
                let live_child = out.get(k).cloned();
                spath.push(k.clone());
                let merged = merge_value(live_child.as_ref(), cv, spath, schema);
                spath.pop();
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        Value::Array(citems) => {
            let lt = schema.list_type(&refs(spath));
            if lt == ListType::Atomic {
                return config.clone();
            }
            let litems = live
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            Value::Array(merge_list(litems, citems, &lt, spath, schema))
        }
        other => other.clone(),
    }
}

/// structured-merge-diff's associative-list merge: items only in the live list keep their place, shared
/// and new items follow the config's order.
fn merge_list(
    live: &[Value],
    config: &[Value],
    lt: &ListType,
    spath: &mut Vec<String>,
    schema: &dyn TypeSchema,
) -> Vec<Value> {
    let sp = spath.clone();
    let sp = refs(&sp);
    let lpes: Vec<PathElement> = live
        .iter()
        .enumerate()
        .map(|(i, v)| list_item_element(lt, v, i, &sp, schema))
        .collect();
    let mut rpes: Vec<PathElement> = Vec::new();
    let mut ritems: BTreeMap<PathElement, &Value> = BTreeMap::new();
    for (i, v) in config.iter().enumerate() {
        let pe = list_item_element(lt, v, i, &sp, schema);
        if !ritems.contains_key(&pe) {
            ritems.insert(pe.clone(), v);
            rpes.push(pe);
        }
    }
    let mut litems: BTreeMap<&PathElement, &Value> = BTreeMap::new();
    for (pe, v) in lpes.iter().zip(live) {
        litems.entry(pe).or_insert(v);
    }
    let shared: Vec<&PathElement> = rpes.iter().filter(|pe| litems.contains_key(pe)).collect();
    let mut next_shared = 0usize;

    let merge_item = |pe: &PathElement, spath: &mut Vec<String>| -> Value {
        let l = litems.get(pe).copied();
        let r = ritems[pe];
        if *lt == ListType::Set {
            r.clone()
        } else {
            merge_value(l, r, spath, schema)
        }
    };

    let mut out = Vec::with_capacity(live.len().max(config.len()));
    let mut merged_rhs: Vec<&PathElement> = Vec::new();
    let (mut li, mut ri) = (0, 0);
    while li < lpes.len() || ri < rpes.len() {
        if li < lpes.len() && ri < rpes.len() {
            let pe = &lpes[li];
            if *pe == rpes[ri] {
                merged_rhs.push(pe);
                out.push(merge_item(pe, spath));
                li += 1;
                ri += 1;
                if shared.get(next_shared) == Some(&pe) {
                    next_shared += 1;
                }
                continue;
            }
            if ritems.contains_key(pe) && shared.get(next_shared).is_some_and(|next| *next != pe) {
                li += 1;
                continue;
            }
        }
        if li < lpes.len() {
            let pe = &lpes[li];
            if !ritems.contains_key(pe) {
                out.push(live[li].clone());
                li += 1;
                continue;
            } else if merged_rhs.contains(&pe) {
                li += 1;
                continue;
            }
        }
        if ri < rpes.len() {
            let pe = &rpes[ri];
            merged_rhs.push(pe);
            out.push(merge_item(pe, spath));
            ri += 1;
            if shared.get(next_shared) == Some(&pe) {
                next_shared += 1;
            }
        }
    }
    out
}

/// Apply never changes server-owned metadata: whatever the config says, the live values stay.
fn restore_server_owned(merged: &mut Value, live: &Value) {
    let live_meta = live.get("metadata").and_then(Value::as_object);
    let Some(meta) = merged.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    for name in UNTRACKED_METADATA {
        match live_meta.and_then(|m| m.get(*name)) {
            Some(v) => {
                meta.insert(name.to_string(), v.clone());
            }
            None => {
                meta.shift_remove(*name);
            }
        }
    }
}

fn is_key_field_of_item(path: &[PathElement]) -> bool {
    match path {
        [.., PathElement::Key(fields), PathElement::Field(name)] => {
            fields.iter().any(|(k, _)| k == name)
        }
        _ => false,
    }
}

fn is_empty_container(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Step 5: fields the applier owned before and no longer applies disappear unless someone (including
/// the applier's new config) still owns them; maps and lists left empty by that go too. Key fields of a
/// kept list item are never removed.
fn prune(merged: &mut Value, last: &FieldSet, owned: &FieldSet, schema: &dyn TypeSchema) {
    let nodes = last.nodes_deepest_first();
    for (path, member) in &nodes {
        if *member && !owned.covers(path) && !is_key_field_of_item(path) {
            remove_at(merged, path, schema);
        }
    }
    for (path, member) in &nodes {
        if !*member
            && !owned.covers(path)
            && get_at(merged, path, schema).is_some_and(is_empty_container)
        {
            remove_at(merged, path, schema);
        }
    }
}

fn conflict_error(conflicts: &[(&Entry, FieldSet)]) -> ApplyConflict {
    let mut groups: Vec<(String, String, Vec<String>)> = conflicts
        .iter()
        .map(|(e, set)| {
            (
                e.identifier(),
                e.describe(),
                set.members().iter().map(|p| render_path(p)).collect(),
            )
        })
        .collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let causes: Vec<ConflictCause> = groups
        .iter()
        .flat_map(|(_, who, paths)| {
            paths.iter().map(move |p| ConflictCause {
                field: p.clone(),
                message: format!("conflict with {who}"),
            })
        })
        .collect();
    let message = if causes.len() == 1 {
        format!(
            "Apply failed with 1 conflict: {}: {}",
            causes[0].message, causes[0].field
        )
    } else {
        let lines: Vec<String> = groups
            .iter()
            .flat_map(|(_, who, paths)| {
                std::iter::once(format!("conflicts with {who}:"))
                    .chain(paths.iter().map(|p| format!("- {p}")))
            })
            .collect();
        format!(
            "Apply failed with {} conflicts: {}",
            causes.len(),
            lines.join("\n")
        )
    };
    ApplyConflict { message, causes }
}

/// Server-side apply (apiserver.md §6.5 steps 2–6): the new object with its new `metadata.managedFields`.
/// `live` None creates the object from the config.
pub fn apply(
    live: Option<&Value>,
    config: &Value,
    who: &ManagerInfo,
    force: bool,
    scope: Scope,
    schema: &dyn TypeSchema,
) -> Result<Value, ApplyConflict> {
    let cfg = scoped_config(config, scope);
    let mut applied = field_set_of(&cfg, schema);
    untrack(&mut applied, scope);

    let Some(live) = live else {
        let mut obj = cfg;
        let entries: Vec<Entry> = if applied.is_empty() {
            Vec::new()
        } else {
            vec![Entry::new(who, APPLY, applied)]
        };
        write_entries(&mut obj, &entries);
        return Ok(obj);
    };

    let mut entries = stored_entries(Some(live));
    let me = entries.iter().position(|e| e.is(who, APPLY));
    let last = me.map(|i| entries[i].set.clone()).unwrap_or_default();

    let mut merged = merge_value(Some(live), &cfg, &mut Vec::new(), schema);
    restore_server_owned(&mut merged, live);

    let owned = entries
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != me)
        .fold(applied.clone(), |acc, (_, e)| acc.union(&e.set));
    prune(&mut merged, &last, &owned, schema);

    let mut cmp = compare(live, &merged, schema);
    untrack_comparison(&mut cmp, scope);
    let changed = cmp.added.union(&cmp.modified);

    let conflicts: Vec<(usize, FieldSet)> = entries
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != me)
        .map(|(i, e)| (i, e.set.intersection(&changed)))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if !force && !conflicts.is_empty() {
        let with_entries: Vec<(&Entry, FieldSet)> = conflicts
            .iter()
            .map(|(i, c)| (&entries[*i], c.clone()))
            .collect();
        return Err(conflict_error(&with_entries));
    }
    for (i, e) in entries.iter_mut().enumerate() {
        if Some(i) == me {
            continue;
        }
        let lost = conflicts
            .iter()
            .find(|(ci, _)| *ci == i)
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        let kept = e.set.difference(&lost).difference(&cmp.removed);
        e.replace_set(kept);
    }

    let object_changed = without_managed_fields(&merged) != without_managed_fields(live);
    match me {
        Some(i) => {
            let e = &mut entries[i];
            if object_changed || e.set != applied || e.api_version != who.api_version {
                *e = Entry::new(who, APPLY, applied);
            }
        }
        None => entries.push(Entry::new(who, APPLY, applied)),
    }
    entries.retain(|e| !e.set.is_empty());
    write_entries(&mut merged, &entries);
    Ok(merged)
}

/// A non-apply write (create/update/patch) by `who` (§6.5 steps 7–8): fields whose value the write added
/// or changed become `who`'s (Update entry, `.` on maps and items it created) and leave every other
/// manager; deleted fields leave everyone. Client-sent managedFields replace the stored ones only when
/// the request carries a non-empty list on the main resource.
pub fn record_update(
    old: Option<&Value>,
    new: &mut Value,
    who: &ManagerInfo,
    scope: Scope,
    schema: &dyn TypeSchema,
) {
    let sent = new
        .pointer("/metadata/managedFields")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .and_then(|l| decode_entries(l).ok())
        .filter(|_| who.subresource().is_none());
    let mut entries = sent.unwrap_or_else(|| stored_entries(old));
    if old.is_some() && entries.is_empty() {
        // The real field manager stops tracking an object whose managedFields are empty: an update of
        // such an object records nothing (its skipNonAppliedManager); only create and apply start a list.
        write_entries(new, &entries);
        return;
    }

    let nothing = Value::Object(Map::new());
    let mut cmp = compare(old.unwrap_or(&nothing), new, schema);
    untrack_comparison(&mut cmp, scope);
    let taken = cmp.added.union(&cmp.modified);

    let me = entries.iter().position(|e| e.is(who, UPDATE));
    for (i, e) in entries.iter_mut().enumerate() {
        if Some(i) != me {
            let kept = e.set.difference(&taken).difference(&cmp.removed);
            e.replace_set(kept);
        }
    }
    match me {
        Some(i) => {
            let e = &mut entries[i];
            let set = e.set.difference(&cmp.removed).union(&taken);
            if taken.is_empty() {
                e.replace_set(set);
            } else {
                *e = Entry::new(who, UPDATE, set);
            }
        }
        None if !taken.is_empty() => entries.push(Entry::new(who, UPDATE, taken)),
        None => {}
    }
    entries.retain(|e| !e.set.is_empty());
    write_entries(new, &entries);
}

#[cfg(test)]
mod tests {
    use super::super::listtypes::{builtin_schema, crd_schema};
    use super::*;
    use serde_json::json;

    const T0: &str = "2026-11-01T10:00:00Z";
    const T1: &str = "2026-11-01T11:00:00Z";
    const T2: &str = "2026-11-01T12:00:00Z";

    fn who<'a>(manager: &'a str, api_version: &'a str, now: &'a str) -> ManagerInfo<'a> {
        ManagerInfo {
            manager,
            api_version,
            subresource: None,
            now,
        }
    }

    fn cm_schema() -> Box<dyn TypeSchema> {
        builtin_schema("", "ConfigMap")
    }

    fn deploy_schema() -> Box<dyn TypeSchema> {
        builtin_schema("apps", "Deployment")
    }

    fn cm(data: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "c", "namespace": "ns"}, "data": data})
    }

    /// What the store adds on create, so later writes see a realistic live object.
    fn stored(mut obj: Value) -> Value {
        let meta = obj["metadata"].as_object_mut().unwrap();
        meta.insert("uid".into(), json!("u-1"));
        meta.insert("resourceVersion".into(), json!("5"));
        meta.insert("creationTimestamp".into(), json!(T0));
        obj
    }

    /// A live object whose creator is tracked (an object without managedFields stays untracked on update).
    fn created_by_someone(mut obj: Value) -> Value {
        obj["metadata"]["managedFields"] = json!([{"manager": "creator", "operation": "Update",
            "apiVersion": "apps/v1", "time": T0, "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {"f:replicas": {}}}}]);
        obj
    }

    #[test]
    fn update_of_an_untracked_object_records_nothing() {
        let s = cm_schema();
        let live = stored(cm(json!({"a": "1"})));
        let mut new = live.clone();
        new["data"]["b"] = json!("2");
        record_update(
            Some(&live),
            &mut new,
            &who("kubectl-edit", "v1", T1),
            Scope::Whole,
            s.as_ref(),
        );
        assert!(new["metadata"].get("managedFields").is_none());
    }

    fn managed(obj: &Value) -> Vec<Value> {
        obj["metadata"]["managedFields"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn entry<'v>(obj: &'v Value, manager: &str) -> &'v Value {
        obj["metadata"]["managedFields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["manager"] == manager)
            .unwrap_or_else(|| panic!("no entry for {manager} in {obj}"))
    }

    fn apply_cm(live: Option<&Value>, config: Value, m: &str, now: &str) -> Value {
        apply(
            live,
            &config,
            &who(m, "v1", now),
            false,
            Scope::Whole,
            cm_schema().as_ref(),
        )
        .unwrap()
    }

    #[test]
    fn apply_creates_the_object_with_one_apply_entry() {
        let obj = apply_cm(
            None,
            json!({"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": "c", "namespace": "ns", "labels": {"a": "1"}},
                   "data": {"k": "v"}}),
            "kubefedctl",
            T0,
        );
        assert_eq!(
            managed(&obj),
            vec![
                json!({"manager": "kubefedctl", "operation": "Apply", "apiVersion": "v1",
                        "time": T0, "fieldsType": "FieldsV1",
                        "fieldsV1": {"f:data": {"f:k": {}}, "f:metadata": {"f:labels": {"f:a": {}}}}})
            ]
        );
        assert_eq!(obj["data"], json!({"k": "v"}));
    }

    #[test]
    fn identity_and_server_owned_metadata_are_never_tracked() {
        let config = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "ns", "uid": "x", "resourceVersion": "1",
                         "generation": 3, "creationTimestamp": null, "selfLink": "/x",
                         "deletionTimestamp": T0, "deletionGracePeriodSeconds": 0,
                         "managedFields": [{"manager": "evil"}]},
            "data": {"k": "v"}});
        let obj = apply_cm(None, config, "m", T0);
        let fields = &entry(&obj, "m")["fieldsV1"];
        assert_eq!(fields, &json!({"f:data": {"f:k": {}}}));
    }

    #[test]
    fn reapplying_the_same_config_returns_the_live_object_unchanged() {
        let config = cm(json!({"a": "1"}));
        let live = stored(apply_cm(None, config.clone(), "m", T0));
        let again = apply_cm(Some(&live), config, "m", T1);
        assert_eq!(again, live);
        assert_eq!(again.to_string(), live.to_string());
    }

    #[test]
    fn reapplying_a_deployment_with_defaulted_ports_is_a_no_op() {
        let s = deploy_schema();
        let config = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "d"}},
                     "template": {"metadata": {"labels": {"app": "d"}},
                                  "spec": {"containers": [{"name": "c", "image": "i:1",
                                                           "ports": [{"containerPort": 80}]}]}}}});
        let w = who("m", "apps/v1", T0);
        let mut live = apply(None, &config, &w, false, Scope::MainResource, s.as_ref()).unwrap();
        // The server's defaulting fills the port protocol and other fields after the apply.
        live["spec"]["template"]["spec"]["containers"][0]["ports"][0]["protocol"] = json!("TCP");
        live["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] =
            json!("IfNotPresent");
        live["spec"]["strategy"] = json!({"type": "RollingUpdate"});
        live["status"] = json!({"replicas": 2});
        let again = apply(
            Some(&live),
            &config,
            &who("m", "apps/v1", T1),
            false,
            Scope::MainResource,
            s.as_ref(),
        )
        .unwrap();
        assert_eq!(again, live);
        let fields = &entry(&live, "m")["fieldsV1"];
        assert_eq!(
            fields["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"c\"}"]
                ["f:ports"],
            json!({"k:{\"containerPort\":80,\"protocol\":\"TCP\"}": {".": {}, "f:containerPort": {}}})
        );
    }

    #[test]
    fn entry_time_changes_only_when_the_apply_changes_something() {
        let live = stored(apply_cm(None, cm(json!({"a": "1"})), "m", T0));
        let changed = apply_cm(Some(&live), cm(json!({"a": "2"})), "m", T1);
        assert_eq!(entry(&changed, "m")["time"], json!(T1));
        let unchanged = apply_cm(Some(&changed), cm(json!({"a": "2"})), "m", T2);
        assert_eq!(entry(&unchanged, "m")["time"], json!(T1));
    }

    #[test]
    fn dropped_label_disappears_on_the_next_apply() {
        let with = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "labels": {"a": "1", "b": "2"}}});
        let live = stored(apply_cm(None, with, "m", T0));
        let without = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "labels": {"a": "1"}}});
        let out = apply_cm(Some(&live), without, "m", T1);
        assert_eq!(out["metadata"]["labels"], json!({"a": "1"}));
        assert_eq!(
            entry(&out, "m")["fieldsV1"],
            json!({"f:metadata": {"f:labels": {"f:a": {}}}})
        );
    }

    #[test]
    fn dropping_every_label_removes_the_emptied_map() {
        let live = stored(apply_cm(
            None,
            json!({"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": "c", "labels": {"a": "1"}}, "data": {"k": "v"}}),
            "m",
            T0,
        ));
        let out = apply_cm(Some(&live), cm(json!({"k": "v"})), "m", T1);
        assert!(out["metadata"].get("labels").is_none(), "{out}");
        assert_eq!(out["metadata"]["uid"], json!("u-1"));
    }

    #[test]
    fn dropped_field_also_owned_by_another_manager_stays() {
        let live = stored(apply_cm(None, cm(json!({"a": "1", "b": "2"})), "m", T0));
        let shared = apply_cm(Some(&live), cm(json!({"b": "2"})), "other", T1);
        let out = apply_cm(Some(&shared), cm(json!({"a": "1"})), "m", T2);
        assert_eq!(out["data"], json!({"a": "1", "b": "2"}));
    }

    #[test]
    fn two_appliers_of_the_same_value_share_ownership() {
        let live = stored(apply_cm(None, cm(json!({"a": "1"})), "one", T0));
        let out = apply_cm(Some(&live), cm(json!({"a": "1"})), "two", T1);
        for m in ["one", "two"] {
            assert_eq!(entry(&out, m)["fieldsV1"], json!({"f:data": {"f:a": {}}}));
        }
    }

    fn edited_by_kubectl(live: &Value, data: Value) -> Value {
        let mut new = live.clone();
        new["data"] = data;
        record_update(
            Some(live),
            &mut new,
            &who("kubectl-edit", "v1", T1),
            Scope::Whole,
            cm_schema().as_ref(),
        );
        new
    }

    #[test]
    fn applying_a_value_another_manager_changed_is_a_conflict() {
        let live = stored(apply_cm(None, cm(json!({"a": "1"})), "m", T0));
        let edited = edited_by_kubectl(&live, json!({"a": "2"}));
        let err = apply(
            Some(&edited),
            &cm(json!({"a": "3"})),
            &who("m", "v1", T2),
            false,
            Scope::Whole,
            cm_schema().as_ref(),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            r#"Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.a"#
        );
        assert_eq!(
            err.causes,
            vec![ConflictCause {
                field: ".data.a".into(),
                message: r#"conflict with "kubectl-edit" using v1"#.into()
            }]
        );
    }

    #[test]
    fn forced_apply_takes_ownership_and_sets_the_value() {
        let live = stored(apply_cm(None, cm(json!({"a": "1"})), "m", T0));
        let edited = edited_by_kubectl(&live, json!({"a": "2", "b": "x"}));
        let out = apply(
            Some(&edited),
            &cm(json!({"a": "3"})),
            &who("m", "v1", T2),
            true,
            Scope::Whole,
            cm_schema().as_ref(),
        )
        .unwrap();
        assert_eq!(out["data"], json!({"a": "3", "b": "x"}));
        assert_eq!(
            entry(&out, "kubectl-edit")["fieldsV1"],
            json!({"f:data": {"f:b": {}}})
        );
        assert_eq!(entry(&out, "m")["fieldsV1"], json!({"f:data": {"f:a": {}}}));
    }

    #[test]
    fn several_conflicts_are_grouped_by_sorted_manager() {
        let live = stored(apply_cm(
            None,
            cm(json!({"a": "1", "b": "1", "c": "1"})),
            "zeta",
            T0,
        ));
        let edited = edited_by_kubectl(&live, json!({"a": "2", "b": "2", "c": "1"}));
        let err = apply(
            Some(&edited),
            &cm(json!({"a": "3", "b": "3", "c": "3"})),
            &who("m", "v1", T2),
            false,
            Scope::Whole,
            cm_schema().as_ref(),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "Apply failed with 3 conflicts: conflicts with \"kubectl-edit\" using v1:\n- .data.a\n- .data.b\nconflicts with \"zeta\":\n- .data.c"
        );
        assert_eq!(err.causes.len(), 3);
        assert_eq!(err.causes[2].message, r#"conflict with "zeta""#);
    }

    #[test]
    fn subresource_managers_are_named_with_their_subresource() {
        let e = Entry::new(
            &ManagerInfo {
                manager: "hpa",
                api_version: "autoscaling/v1",
                subresource: Some("scale"),
                now: T0,
            },
            UPDATE,
            FieldSet::new(),
        );
        assert_eq!(
            e.describe(),
            r#""hpa" with subresource "scale" using autoscaling/v1"#
        );
    }

    fn deployment(containers: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
               "spec": {"template": {"spec": {"containers": containers}}}})
    }

    #[test]
    fn applying_one_container_keeps_another_managers_container() {
        let s = deploy_schema();
        let live = stored(
            apply(
                None,
                &deployment(json!([{"name": "a", "image": "a:1"}])),
                &who("one", "apps/v1", T0),
                false,
                Scope::Whole,
                s.as_ref(),
            )
            .unwrap(),
        );
        let both = apply(
            Some(&live),
            &deployment(json!([{"name": "b", "image": "b:1"}])),
            &who("two", "apps/v1", T1),
            false,
            Scope::Whole,
            s.as_ref(),
        )
        .unwrap();
        assert_eq!(
            both["spec"]["template"]["spec"]["containers"],
            json!([{"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1"}])
        );
        let updated = apply(
            Some(&both),
            &deployment(json!([{"name": "a", "image": "a:2"}])),
            &who("one", "apps/v1", T2),
            false,
            Scope::Whole,
            s.as_ref(),
        )
        .unwrap();
        assert_eq!(
            updated["spec"]["template"]["spec"]["containers"],
            json!([{"name": "a", "image": "a:2"}, {"name": "b", "image": "b:1"}])
        );
    }

    #[test]
    fn conflict_paths_name_list_items_by_key() {
        let s = deploy_schema();
        let live = stored(
            apply(
                None,
                &deployment(json!([{"name": "nginx", "image": "a:1"}])),
                &who("one", "apps/v1", T0),
                false,
                Scope::Whole,
                s.as_ref(),
            )
            .unwrap(),
        );
        let err = apply(
            Some(&live),
            &deployment(json!([{"name": "nginx", "image": "a:2"}])),
            &who("two", "apps/v1", T1),
            false,
            Scope::Whole,
            s.as_ref(),
        )
        .unwrap_err();
        assert_eq!(
            err.causes[0].field,
            r#".spec.template.spec.containers[name="nginx"].image"#
        );
    }

    #[test]
    fn dropped_container_is_removed_when_nobody_else_owns_it() {
        let s = deploy_schema();
        let live = stored(
            apply(
                None,
                &deployment(json!([{"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1"}])),
                &who("one", "apps/v1", T0),
                false,
                Scope::Whole,
                s.as_ref(),
            )
            .unwrap(),
        );
        let out = apply(
            Some(&live),
            &deployment(json!([{"name": "a", "image": "a:1"}])),
            &who("one", "apps/v1", T1),
            false,
            Scope::Whole,
            s.as_ref(),
        )
        .unwrap();
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"],
            json!([{"name": "a", "image": "a:1"}])
        );
    }

    #[test]
    fn sets_union_across_appliers_and_atomic_lists_replace() {
        let s = deploy_schema();
        let obj = |finalizers: Value, args: Value| {
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                   "metadata": {"name": "d", "finalizers": finalizers},
                   "spec": {"template": {"spec": {"containers": [{"name": "c", "args": args}]}}}})
        };
        let live = stored(
            apply(
                None,
                &obj(json!(["x"]), json!(["1", "2"])),
                &who("one", "apps/v1", T0),
                false,
                Scope::Whole,
                s.as_ref(),
            )
            .unwrap(),
        );
        let out = apply(
            Some(&live),
            &obj(json!(["y"]), json!(["1", "2"])),
            &who("two", "apps/v1", T1),
            false,
            Scope::Whole,
            s.as_ref(),
        )
        .unwrap();
        assert_eq!(out["metadata"]["finalizers"], json!(["x", "y"]));
        let replaced = apply(
            Some(&out),
            &obj(json!(["x"]), json!(["3"])),
            &who("one", "apps/v1", T2),
            true,
            Scope::Whole,
            s.as_ref(),
        )
        .unwrap();
        assert_eq!(
            replaced["spec"]["template"]["spec"]["containers"][0]["args"],
            json!(["3"])
        );
    }

    #[test]
    fn main_resource_apply_ignores_status_and_keeps_live_status() {
        let s = deploy_schema();
        let mut live = stored(
            apply(
                None,
                &json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                        "spec": {"replicas": 1}, "status": {"replicas": 9}}),
                &who("m", "apps/v1", T0),
                false,
                Scope::MainResource,
                s.as_ref(),
            )
            .unwrap(),
        );
        assert!(live.get("status").is_none());
        live["status"] = json!({"replicas": 1});
        let out = apply(
            Some(&live),
            &json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                    "spec": {"replicas": 1}, "status": {"replicas": 5}}),
            &who("m", "apps/v1", T1),
            false,
            Scope::MainResource,
            s.as_ref(),
        )
        .unwrap();
        assert_eq!(out, live);
    }

    #[test]
    fn status_apply_touches_and_owns_only_status() {
        let s = deploy_schema();
        let live = stored(json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "d", "labels": {"a": "1"}}, "spec": {"replicas": 1}}));
        let out = apply(
            Some(&live),
            &json!({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": "d", "labels": {"a": "2"}},
                    "spec": {"replicas": 7}, "status": {"replicas": 1}}),
            &ManagerInfo {
                manager: "ctrl",
                api_version: "apps/v1",
                subresource: Some("status"),
                now: T0,
            },
            false,
            Scope::StatusSubresource,
            s.as_ref(),
        )
        .unwrap();
        assert_eq!(out["spec"], json!({"replicas": 1}));
        assert_eq!(out["metadata"]["labels"], json!({"a": "1"}));
        assert_eq!(out["status"], json!({"replicas": 1}));
        let e = entry(&out, "ctrl");
        assert_eq!(e["subresource"], json!("status"));
        assert_eq!(e["fieldsV1"], json!({"f:status": {"f:replicas": {}}}));
    }

    #[test]
    fn crd_objects_apply_with_the_crd_list_types() {
        let s = crd_schema(std::sync::Arc::new(
            json!({"type": "object", "properties": {"spec": {"type": "object",
            "properties": {"tags": {"type": "array", "x-kubernetes-list-type": "set",
                                    "items": {"type": "string"}},
                           "plain": {"type": "array", "items": {"type": "string"}}}}}}),
        ));
        let obj = |tags: Value, plain: Value| {
            json!({"apiVersion": "ex.io/v1", "kind": "Foo", "metadata": {"name": "f"},
                   "spec": {"tags": tags, "plain": plain}})
        };
        let live = stored(
            apply(
                None,
                &obj(json!(["a"]), json!(["x"])),
                &who("one", "ex.io/v1", T0),
                false,
                Scope::Whole,
                s.as_ref(),
            )
            .unwrap(),
        );
        let out = apply(
            Some(&live),
            &obj(json!(["b"]), json!(["x"])),
            &who("two", "ex.io/v1", T1),
            false,
            Scope::Whole,
            s.as_ref(),
        )
        .unwrap();
        assert_eq!(out["spec"]["tags"], json!(["a", "b"]));
        assert_eq!(
            entry(&out, "two")["fieldsV1"],
            json!({"f:spec": {"f:plain": {}, "f:tags": {"v:\"b\"": {}}}})
        );
    }

    #[test]
    fn managed_fields_are_sorted_by_operation_then_time_then_manager() {
        let live = stored(apply_cm(None, cm(json!({"a": "1"})), "first", T0));
        let second = apply_cm(Some(&live), cm(json!({"b": "1"})), "second", T1);
        let names =
            |o: &Value| -> Vec<Value> { managed(o).iter().map(|e| e["manager"].clone()).collect() };
        assert_eq!(names(&second), vec![json!("first"), json!("second")]);
        // first's new change is the latest: it now sorts after second, as the real field manager sorts.
        let third = apply_cm(Some(&second), cm(json!({"a": "1", "c": "1"})), "first", T2);
        assert_eq!(names(&third), vec![json!("second"), json!("first")]);
    }

    #[test]
    fn update_on_create_owns_everything_with_dot_markers() {
        let mut new = stored(json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "labels": {"a": "1"}}, "data": {"k": "v"}}));
        record_update(
            None,
            &mut new,
            &who("kubectl-create", "v1", T0),
            Scope::Whole,
            cm_schema().as_ref(),
        );
        assert_eq!(
            managed(&new),
            vec![
                json!({"manager": "kubectl-create", "operation": "Update", "apiVersion": "v1",
                "time": T0, "fieldsType": "FieldsV1",
                "fieldsV1": {"f:data": {".": {}, "f:k": {}},
                             "f:metadata": {"f:labels": {".": {}, "f:a": {}}}}})
            ]
        );
    }

    #[test]
    fn update_takes_changed_fields_from_the_applier() {
        let live = stored(apply_cm(None, cm(json!({"a": "1", "b": "1"})), "m", T0));
        let edited = edited_by_kubectl(&live, json!({"a": "2", "b": "1"}));
        assert_eq!(
            entry(&edited, "m")["fieldsV1"],
            json!({"f:data": {"f:b": {}}})
        );
        assert_eq!(
            entry(&edited, "kubectl-edit")["fieldsV1"],
            json!({"f:data": {"f:a": {}}})
        );
        // The applier's entry lost a field, but it wrote nothing: its time stays.
        assert_eq!(entry(&edited, "m")["time"], json!(T0));
    }

    #[test]
    fn update_deleting_a_field_removes_it_from_every_manager() {
        let live = stored(apply_cm(None, cm(json!({"a": "1", "b": "1"})), "m", T0));
        let edited = edited_by_kubectl(&live, json!({"b": "1"}));
        assert_eq!(
            entry(&edited, "m")["fieldsV1"],
            json!({"f:data": {"f:b": {}}})
        );
        assert!(managed(&edited)
            .iter()
            .all(|e| e["manager"] != "kubectl-edit"));
    }

    #[test]
    fn unchanged_update_leaves_managed_fields_alone() {
        let live = stored(apply_cm(None, cm(json!({"a": "1"})), "m", T0));
        let edited = edited_by_kubectl(&live, json!({"a": "2"}));
        let mut again = edited.clone();
        record_update(
            Some(&edited),
            &mut again,
            &who("kubectl-edit", "v1", T2),
            Scope::Whole,
            cm_schema().as_ref(),
        );
        assert_eq!(again, edited);
        assert_eq!(entry(&again, "kubectl-edit")["time"], json!(T1));
    }

    #[test]
    fn update_without_managed_fields_in_the_body_keeps_the_stored_ones() {
        let live = stored(apply_cm(None, cm(json!({"a": "1"})), "m", T0));
        let mut new = live.clone();
        new["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("managedFields");
        record_update(
            Some(&live),
            &mut new,
            &who("kubectl-replace", "v1", T1),
            Scope::Whole,
            cm_schema().as_ref(),
        );
        assert_eq!(managed(&new), managed(&live));
    }

    #[test]
    fn update_that_sends_managed_fields_replaces_them() {
        let live = stored(apply_cm(
            None,
            cm(json!({"a": "1"})),
            "kubectl-client-side-apply",
            T0,
        ));
        let mut new = live.clone();
        let rewritten = json!([{"manager": "kubectl", "operation": "Apply", "apiVersion": "v1",
            "time": T0, "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {"f:a": {}}}}]);
        new["metadata"]["managedFields"] = rewritten.clone();
        record_update(
            Some(&live),
            &mut new,
            &who("kubectl", "v1", T1),
            Scope::Whole,
            cm_schema().as_ref(),
        );
        assert_eq!(new["metadata"]["managedFields"], rewritten);
    }

    #[test]
    fn update_sending_an_empty_entry_clears_managed_fields() {
        let live = stored(apply_cm(None, cm(json!({"a": "1"})), "m", T0));
        let mut new = live.clone();
        new["metadata"]["managedFields"] = json!([{}]);
        record_update(
            Some(&live),
            &mut new,
            &who("kubectl-patch", "v1", T1),
            Scope::Whole,
            cm_schema().as_ref(),
        );
        assert!(new["metadata"].get("managedFields").is_none(), "{new}");
    }

    #[test]
    fn status_update_records_only_status_under_the_subresource() {
        let s = deploy_schema();
        let live = created_by_someone(stored(
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "d"}, "spec": {"replicas": 1}}),
        ));
        let mut new = live.clone();
        new["status"] = json!({"replicas": 1});
        new["spec"]["replicas"] = json!(2);
        record_update(
            Some(&live),
            &mut new,
            &ManagerInfo {
                manager: "kube-controller-manager",
                api_version: "apps/v1",
                subresource: Some("status"),
                now: T0,
            },
            Scope::StatusSubresource,
            s.as_ref(),
        );
        let e = entry(&new, "kube-controller-manager");
        assert_eq!(e["subresource"], json!("status"));
        assert_eq!(
            e["fieldsV1"],
            json!({"f:status": {".": {}, "f:replicas": {}}})
        );
    }

    #[test]
    fn update_entries_are_per_api_version() {
        let live = stored(apply_cm(None, cm(json!({"a": "1"})), "m", T0));
        let mut v1 = live.clone();
        v1["data"]["b"] = json!("1");
        record_update(
            Some(&live),
            &mut v1,
            &who("ctl", "v1", T1),
            Scope::Whole,
            cm_schema().as_ref(),
        );
        let mut v2 = v1.clone();
        v2["data"]["c"] = json!("1");
        record_update(
            Some(&v1),
            &mut v2,
            &who("ctl", "v2", T2),
            Scope::Whole,
            cm_schema().as_ref(),
        );
        let ctl: Vec<&Value> = v2["metadata"]["managedFields"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["manager"] == "ctl")
            .collect();
        assert_eq!(ctl.len(), 2);
    }

    #[test]
    fn apply_after_kubectl_create_conflicts_with_the_creator() {
        let mut created = stored(cm(json!({"a": "1"})));
        record_update(
            None,
            &mut created,
            &who("kubectl-create", "v1", T0),
            Scope::Whole,
            cm_schema().as_ref(),
        );
        let err = apply(
            Some(&created),
            &cm(json!({"a": "2"})),
            &who("kubefedctl", "v1", T1),
            false,
            Scope::Whole,
            cm_schema().as_ref(),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            r#"Apply failed with 1 conflict: conflict with "kubectl-create" using v1: .data.a"#
        );
        // The same value is shared, not a conflict.
        let ok = apply(
            Some(&created),
            &cm(json!({"a": "1"})),
            &who("kubefedctl", "v1", T1),
            false,
            Scope::Whole,
            cm_schema().as_ref(),
        )
        .unwrap();
        assert_eq!(ok["data"], json!({"a": "1"}));
        assert_eq!(managed(&ok).len(), 2);
    }

    #[test]
    fn apply_keeps_live_server_owned_metadata() {
        let live = stored(apply_cm(None, cm(json!({"a": "1"})), "m", T0));
        let mut config = cm(json!({"a": "1"}));
        config["metadata"]["uid"] = json!("other");
        config["metadata"]["resourceVersion"] = json!("5");
        let out = apply_cm(Some(&live), config, "m", T1);
        assert_eq!(out, live);
    }

    fn labelled(labels: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "c", "labels": labels, "annotations": {"note": "x"}}})
    }

    #[test]
    fn labels_are_owned_per_key_by_each_applier() {
        let live = stored(apply_cm(None, labelled(json!({"a": "1"})), "one", T0));
        let both = apply_cm(Some(&live), labelled(json!({"b": "1"})), "two", T1);
        assert_eq!(both["metadata"]["labels"], json!({"a": "1", "b": "1"}));
        assert_eq!(
            entry(&both, "two")["fieldsV1"],
            json!({"f:metadata": {"f:annotations": {"f:note": {}}, "f:labels": {"f:b": {}}}})
        );
        // "one" drops its label; "two"'s label and the shared annotation stay.
        let out = apply_cm(
            Some(&both),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}),
            "one",
            T2,
        );
        assert_eq!(out["metadata"]["labels"], json!({"b": "1"}));
        assert_eq!(out["metadata"]["annotations"], json!({"note": "x"}));
        assert!(managed(&out).iter().all(|e| e["manager"] != "one"));
    }

    #[test]
    fn null_in_an_apply_config_removes_the_field() {
        let live = stored(apply_cm(None, cm(json!({"a": "1", "b": "1"})), "m", T0));
        let out = apply_cm(Some(&live), cm(json!({"a": "1", "b": null})), "m", T1);
        assert_eq!(out["data"], json!({"a": "1"}));
    }

    #[test]
    fn update_marks_created_list_items_and_maps_but_not_their_existing_parents() {
        let s = deploy_schema();
        let live = created_by_someone(stored(deployment(json!([{"name": "a", "image": "a:1"}]))));
        let mut new = live.clone();
        new["spec"]["template"]["spec"]["containers"] = json!([
            {"name": "a", "image": "a:1"},
            {"name": "b", "image": "b:1", "resources": {"limits": {"cpu": "1"}}}
        ]);
        record_update(
            Some(&live),
            &mut new,
            &who("kubectl-edit", "apps/v1", T1),
            Scope::MainResource,
            s.as_ref(),
        );
        assert_eq!(
            entry(&new, "kubectl-edit")["fieldsV1"],
            json!({"f:spec": {"f:template": {"f:spec": {"f:containers": {
                "k:{\"name\":\"b\"}": {".": {}, "f:image": {}, "f:name": {},
                    "f:resources": {".": {}, "f:limits": {".": {}, "f:cpu": {}}}}}}}}})
        );
    }

    #[test]
    fn list_merge_keeps_live_only_items_in_place_and_follows_config_order() {
        let s = deploy_schema();
        let mut spath: Vec<String> = ["spec", "template", "spec", "containers"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let lt = ListType::Map(vec!["name".into()]);
        let live = [
            json!({"name": "a"}),
            json!({"name": "x"}),
            json!({"name": "b"}),
        ];
        let config = [
            json!({"name": "b"}),
            json!({"name": "a"}),
            json!({"name": "n"}),
        ];
        let out = merge_list(&live, &config, &lt, &mut spath, s.as_ref());
        let names: Vec<&str> = out.iter().map(|v| v["name"].as_str().unwrap()).collect();
        assert_eq!(names, vec!["x", "b", "a", "n"]);
    }
}
