//! Field sets as server-side apply tracks ownership: paths into an object, their `fieldsV1` encoding, and the
//! schema-aware walks that extract a set from a value, compare two values, and find or remove a path.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::listtypes::{ListType, TypeSchema};

/// One step of a path: a field, a list-map item (key fields sorted by name), a set member, or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathElement {
    Field(String),
    Key(Vec<(String, Value)>),
    Value(Value),
    Index(usize),
}

impl PathElement {
    fn rank(&self) -> u8 {
        match self {
            PathElement::Field(_) => 0,
            PathElement::Key(_) => 1,
            PathElement::Value(_) => 2,
            PathElement::Index(_) => 3,
        }
    }

    /// The `fieldsV1` key: `f:name`, `k:{"name":"x"}`, `v:"x"`, `i:3`.
    pub fn fields_v1_key(&self) -> String {
        match self {
            PathElement::Field(name) => format!("f:{name}"),
            PathElement::Key(fields) => {
                let obj: Map<String, Value> = fields.iter().cloned().collect();
                format!("k:{}", Value::Object(obj))
            }
            PathElement::Value(v) => format!("v:{v}"),
            PathElement::Index(i) => format!("i:{i}"),
        }
    }

    /// Parses a `fieldsV1` key (not `.`).
    pub fn parse_fields_v1_key(key: &str) -> Option<PathElement> {
        let (tag, rest) = key.split_once(':')?;
        match tag {
            "f" => Some(PathElement::Field(rest.to_string())),
            "k" => match serde_json::from_str::<Value>(rest).ok()? {
                Value::Object(m) => {
                    let mut fields: Vec<(String, Value)> = m.into_iter().collect();
                    fields.sort_by(|a, b| a.0.cmp(&b.0));
                    Some(PathElement::Key(fields))
                }
                _ => None,
            },
            "v" => serde_json::from_str(rest).ok().map(PathElement::Value),
            "i" => rest.parse().ok().map(PathElement::Index),
            _ => None,
        }
    }

    /// The conflict-message form: `.name`, `[name="x"]`, `[="x"]`, `[3]`.
    pub fn render(&self) -> String {
        match self {
            PathElement::Field(name) => format!(".{name}"),
            PathElement::Key(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}={}", render_scalar(v)))
                    .collect();
                format!("[{}]", parts.join(","))
            }
            PathElement::Value(v) => format!("[={}]", render_scalar(v)),
            PathElement::Index(i) => format!("[{i}]"),
        }
    }
}

/// Go's `value.ToString`: strings quoted, everything else as JSON.
fn render_scalar(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// structured-merge-diff's total order over values: numbers < strings < bools < lists < maps < null.
fn compare_values(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Number(_) => 0,
            Value::String(_) => 1,
            Value::Bool(_) => 2,
            Value::Array(_) => 3,
            Value::Object(_) => 4,
            Value::Null => 5,
        }
    }
    let by_content = match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => Ordering::Equal,
    };
    rank(a)
        .cmp(&rank(b))
        .then(by_content)
        // Keeps the order consistent with equality (1 vs 1.0, composite values).
        .then_with(|| a.to_string().cmp(&b.to_string()))
}

impl Ord for PathElement {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (PathElement::Field(a), PathElement::Field(b)) => a.cmp(b),
            (PathElement::Key(a), PathElement::Key(b)) => {
                for ((an, av), (bn, bv)) in a.iter().zip(b) {
                    let c = an.cmp(bn).then_with(|| compare_values(av, bv));
                    if c != Ordering::Equal {
                        return c;
                    }
                }
                a.len().cmp(&b.len())
            }
            (PathElement::Value(a), PathElement::Value(b)) => compare_values(a, b),
            (PathElement::Index(a), PathElement::Index(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for PathElement {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Renders a whole path as the API server prints it in conflicts: `.spec.containers[name="nginx"].image`.
pub fn render_path(path: &[PathElement]) -> String {
    path.iter().map(PathElement::render).collect()
}

/// A set of paths, stored as a tree. A node is `member` when its own path is in the set; nodes with
/// neither membership nor children are never kept, so a node's presence means "something at or below".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet {
    member: bool,
    children: BTreeMap<PathElement, FieldSet>,
}

impl FieldSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        !self.member && self.children.is_empty()
    }

    pub fn insert(&mut self, path: &[PathElement]) {
        match path.split_first() {
            None => self.member = true,
            Some((head, rest)) => self.children.entry(head.clone()).or_default().insert(rest),
        }
    }

    /// Whether `path` itself is in the set.
    pub fn contains(&self, path: &[PathElement]) -> bool {
        self.node(path).is_some_and(|n| n.member)
    }

    /// Whether the set holds `path` or anything below it.
    pub fn covers(&self, path: &[PathElement]) -> bool {
        self.node(path).is_some()
    }

    fn node(&self, path: &[PathElement]) -> Option<&FieldSet> {
        match path.split_first() {
            None => Some(self),
            Some((head, rest)) => self.children.get(head)?.node(rest),
        }
    }

    pub fn child(&self, pe: &PathElement) -> Option<&FieldSet> {
        self.children.get(pe)
    }

    /// Removes `path` and everything below it.
    pub fn remove_subtree(&mut self, path: &[PathElement]) {
        match path.split_first() {
            None => *self = FieldSet::new(),
            Some((head, rest)) => {
                if let Some(child) = self.children.get_mut(head) {
                    child.remove_subtree(rest);
                    if child.is_empty() {
                        self.children.remove(head);
                    }
                }
            }
        }
    }

    /// Keeps only the subtree under the top-level element `pe`.
    pub fn retain_only(&mut self, pe: &PathElement) {
        self.member = false;
        self.children.retain(|k, _| k == pe);
    }

    pub fn set_member(&mut self, member: bool) {
        self.member = member;
    }

    pub fn child_mut(&mut self, pe: &PathElement) -> Option<&mut FieldSet> {
        self.children.get_mut(pe)
    }

    pub fn remove_child_if_empty(&mut self, pe: &PathElement) {
        if self.children.get(pe).is_some_and(FieldSet::is_empty) {
            self.children.remove(pe);
        }
    }

    pub fn union(&self, other: &FieldSet) -> FieldSet {
        let mut out = self.clone();
        out.member |= other.member;
        for (pe, child) in &other.children {
            let merged = match out.children.get(pe) {
                Some(mine) => mine.union(child),
                None => child.clone(),
            };
            out.children.insert(pe.clone(), merged);
        }
        out
    }

    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet {
            member: self.member && !other.member,
            children: BTreeMap::new(),
        };
        for (pe, child) in &self.children {
            let rest = match other.children.get(pe) {
                Some(theirs) => child.difference(theirs),
                None => child.clone(),
            };
            if !rest.is_empty() {
                out.children.insert(pe.clone(), rest);
            }
        }
        out
    }

    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet {
            member: self.member && other.member,
            children: BTreeMap::new(),
        };
        for (pe, child) in &self.children {
            if let Some(theirs) = other.children.get(pe) {
                let both = child.intersection(theirs);
                if !both.is_empty() {
                    out.children.insert(pe.clone(), both);
                }
            }
        }
        out
    }

    /// Member paths in structured-merge-diff's iteration order: a level's members first, then each child's.
    pub fn members(&self) -> Vec<Vec<PathElement>> {
        let mut out = Vec::new();
        self.collect_members(&mut Vec::new(), &mut out);
        out
    }

    fn collect_members(&self, prefix: &mut Vec<PathElement>, out: &mut Vec<Vec<PathElement>>) {
        for (pe, child) in &self.children {
            if child.member {
                let mut p = prefix.clone();
                p.push(pe.clone());
                out.push(p);
            }
        }
        for (pe, child) in &self.children {
            if !child.children.is_empty() {
                prefix.push(pe.clone());
                child.collect_members(prefix, out);
                prefix.pop();
            }
        }
    }

    /// Every node of the tree (members and intermediate nodes), deepest first.
    pub fn nodes_deepest_first(&self) -> Vec<(Vec<PathElement>, bool)> {
        let mut out = Vec::new();
        self.collect_nodes(&mut Vec::new(), &mut out);
        out
    }

    fn collect_nodes(
        &self,
        prefix: &mut Vec<PathElement>,
        out: &mut Vec<(Vec<PathElement>, bool)>,
    ) {
        for (pe, child) in &self.children {
            prefix.push(pe.clone());
            child.collect_nodes(prefix, out);
            out.push((prefix.clone(), child.member));
            prefix.pop();
        }
    }

    /// The `fieldsV1` encoding: keys in path-element order, `".":{}` first on members that have children.
    pub fn to_fields_v1(&self) -> Value {
        let mut obj = Map::new();
        for (pe, child) in &self.children {
            let mut inner = Map::new();
            if child.member && !child.children.is_empty() {
                inner.insert(".".to_string(), Value::Object(Map::new()));
            }
            if let Value::Object(grand) = child.to_fields_v1() {
                inner.extend(grand);
            }
            obj.insert(pe.fields_v1_key(), Value::Object(inner));
        }
        Value::Object(obj)
    }

    pub fn from_fields_v1(v: &Value) -> Result<FieldSet, String> {
        let Value::Object(obj) = v else {
            return Err(format!("expected an object, got {v}"));
        };
        let mut set = FieldSet::new();
        for (key, inner) in obj {
            if key == "." {
                set.member = true;
                continue;
            }
            let pe = PathElement::parse_fields_v1_key(key)
                .ok_or_else(|| format!("unrecognized path element: {key}"))?;
            let mut child = FieldSet::from_fields_v1(inner)?;
            if inner.as_object().is_some_and(Map::is_empty) {
                child.member = true;
            }
            if !child.is_empty() {
                set.children.insert(pe, child);
            }
        }
        Ok(set)
    }
}

/// Tracks the schema path (field names only, list items elided) alongside the element path.
struct Cursor<'s> {
    schema: &'s dyn TypeSchema,
    path: Vec<PathElement>,
    spath: Vec<String>,
}

impl<'s> Cursor<'s> {
    fn new(schema: &'s dyn TypeSchema) -> Self {
        Cursor {
            schema,
            path: Vec::new(),
            spath: Vec::new(),
        }
    }

    fn spath(&self) -> Vec<&str> {
        self.spath.iter().map(String::as_str).collect()
    }

    fn list_type(&self) -> ListType {
        self.schema.list_type(&self.spath())
    }

    fn map_is_atomic(&self) -> bool {
        !self.spath.is_empty() && self.schema.map_is_atomic(&self.spath())
    }

    fn push_field(&mut self, name: &str) {
        self.path.push(PathElement::Field(name.to_string()));
        self.spath.push(name.to_string());
    }

    fn pop_field(&mut self) {
        self.path.pop();
        self.spath.pop();
    }
}

/// The element naming list item `item` (at `index`) of a list of type `lt` at schema path `spath`.
pub fn list_item_element(
    lt: &ListType,
    item: &Value,
    index: usize,
    spath: &[&str],
    schema: &dyn TypeSchema,
) -> PathElement {
    match lt {
        ListType::Set => PathElement::Value(item.clone()),
        ListType::Atomic => PathElement::Index(index),
        ListType::Map(keys) => {
            let mut fields = Vec::new();
            if let Value::Object(m) = item {
                for k in keys {
                    match m.get(k).filter(|v| !v.is_null()) {
                        Some(v) => fields.push((k.clone(), v.clone())),
                        None => {
                            if let Some(d) = schema.key_default(spath, k) {
                                fields.push((k.clone(), d));
                            }
                        }
                    }
                }
            }
            if fields.is_empty() {
                PathElement::Index(index)
            } else {
                fields.sort_by(|a, b| a.0.cmp(&b.0));
                PathElement::Key(fields)
            }
        }
    }
}

/// The set of fields a value sets (structured-merge-diff's `ToFieldSet`): leaves, list items, set
/// members, atomic lists/maps as single leaves, and empty or null maps as members.
pub fn field_set_of(value: &Value, schema: &dyn TypeSchema) -> FieldSet {
    let mut out = FieldSet::new();
    walk_set(value, &mut Cursor::new(schema), &mut out);
    out.member = false;
    out
}

fn walk_set(value: &Value, cur: &mut Cursor, out: &mut FieldSet) {
    match value {
        Value::Object(m) => {
            if cur.map_is_atomic() {
                out.insert(&cur.path);
                return;
            }
            for (k, child) in m {
                cur.push_field(k);
                walk_set(child, cur, out);
                if child.is_null() || child.as_object().is_some_and(Map::is_empty) {
                    out.insert(&cur.path);
                }
                cur.pop_field();
            }
        }
        Value::Array(items) => {
            let lt = cur.list_type();
            if lt == ListType::Atomic {
                out.insert(&cur.path);
                return;
            }
            let spath = cur.spath.clone();
            let spath_refs: Vec<&str> = spath.iter().map(String::as_str).collect();
            for (i, item) in items.iter().enumerate() {
                let pe = list_item_element(&lt, item, i, &spath_refs, cur.schema);
                cur.path.push(pe);
                if lt != ListType::Set {
                    walk_set(item, cur, out);
                }
                out.insert(&cur.path);
                cur.path.pop();
            }
        }
        _ => out.insert(&cur.path),
    }
}

/// What changed between two versions of an object, as structured-merge-diff's `Compare` reports it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparison {
    pub added: FieldSet,
    pub modified: FieldSet,
    pub removed: FieldSet,
}

pub fn compare(lhs: &Value, rhs: &Value, schema: &dyn TypeSchema) -> Comparison {
    let mut out = Comparison::default();
    walk_compare(Some(lhs), Some(rhs), &mut Cursor::new(schema), &mut out);
    for s in [&mut out.added, &mut out.modified, &mut out.removed] {
        s.member = false;
    }
    out
}

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

fn empty_container(v: Option<&Value>) -> bool {
    match v {
        None => true,
        Some(Value::Object(m)) => m.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

fn compare_leaf(l: Option<&Value>, r: Option<&Value>, cur: &Cursor, out: &mut Comparison) {
    match (l, r) {
        (None, None) => {}
        (None, Some(_)) => out.added.insert(&cur.path),
        (Some(_), None) => out.removed.insert(&cur.path),
        (Some(a), Some(b)) => {
            if a != b {
                out.modified.insert(&cur.path)
            }
        }
    }
}

fn walk_compare(l: Option<&Value>, r: Option<&Value>, cur: &mut Cursor, out: &mut Comparison) {
    let (l, r) = (present(l), present(r));
    if l.is_none() && r.is_none() {
        return;
    }
    let is_map = |v: Option<&Value>| v.is_none_or(Value::is_object);
    let is_list = |v: Option<&Value>| v.is_none_or(Value::is_array);
    if is_map(l) && is_map(r) && !cur.map_is_atomic() {
        if empty_container(l) && empty_container(r) {
            return compare_leaf(l, r, cur, out);
        }
        if l.is_none() {
            out.added.insert(&cur.path);
        }
        if r.is_none() {
            out.removed.insert(&cur.path);
        }
        let empty = Map::new();
        let lm = l.and_then(Value::as_object).unwrap_or(&empty);
        let rm = r.and_then(Value::as_object).unwrap_or(&empty);
        let keys: Vec<&String> = lm
            .keys()
            .chain(rm.keys().filter(|k| !lm.contains_key(*k)))
            .collect();
        for k in keys {
            cur.push_field(k);
            walk_compare(lm.get(k), rm.get(k), cur, out);
            cur.pop_field();
        }
        return;
    }
    if is_list(l) && is_list(r) && !(l.is_none() && r.is_none()) {
        let lt = cur.list_type();
        if lt == ListType::Atomic || (empty_container(l) && empty_container(r)) {
            return compare_leaf(l, r, cur, out);
        }
        let spath = cur.spath.clone();
        let spath_refs: Vec<&str> = spath.iter().map(String::as_str).collect();
        let index = |v: Option<&Value>| -> Vec<(PathElement, Value)> {
            v.and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            (
                                list_item_element(&lt, item, i, &spath_refs, cur.schema),
                                item.clone(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let li = index(l);
        let ri = index(r);
        let lmap: BTreeMap<&PathElement, &Value> = li.iter().rev().map(|(p, v)| (p, v)).collect();
        let rmap: BTreeMap<&PathElement, &Value> = ri.iter().rev().map(|(p, v)| (p, v)).collect();
        let mut seen: Vec<&PathElement> = Vec::new();
        for pe in li.iter().chain(ri.iter()).map(|(p, _)| p) {
            if seen.contains(&pe) {
                continue;
            }
            seen.push(pe);
            cur.path.push(pe.clone());
            let (lv, rv) = (lmap.get(pe).copied(), rmap.get(pe).copied());
            if lt == ListType::Set {
                compare_leaf(lv, rv, cur, out);
            } else {
                walk_compare(lv, rv, cur, out);
            }
            cur.path.pop();
        }
        return;
    }
    compare_leaf(l, r, cur, out)
}

/// Index of the item of `list` named by `pe`.
fn find_item(
    list: &[Value],
    pe: &PathElement,
    spath: &[String],
    schema: &dyn TypeSchema,
) -> Option<usize> {
    if let PathElement::Index(i) = pe {
        return (*i < list.len()).then_some(*i);
    }
    let spath_refs: Vec<&str> = spath.iter().map(String::as_str).collect();
    let lt = schema.list_type(&spath_refs);
    list.iter()
        .enumerate()
        .position(|(i, item)| &list_item_element(&lt, item, i, &spath_refs, schema) == pe)
}

/// The value at `path`, if present.
pub fn get_at<'v>(
    root: &'v Value,
    path: &[PathElement],
    schema: &dyn TypeSchema,
) -> Option<&'v Value> {
    let mut node = root;
    let mut spath: Vec<String> = Vec::new();
    for pe in path {
        node = match pe {
            PathElement::Field(name) => {
                spath.push(name.clone());
                node.as_object()?.get(name)?
            }
            other => {
                let list = node.as_array()?;
                &list[find_item(list, other, &spath, schema)?]
            }
        };
    }
    Some(node)
}

/// Removes the value at `path` (a map entry or a list item); returns whether something was removed.
pub fn remove_at(root: &mut Value, path: &[PathElement], schema: &dyn TypeSchema) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = root;
    let mut spath: Vec<String> = Vec::new();
    for pe in parents {
        node = match pe {
            PathElement::Field(name) => {
                spath.push(name.clone());
                match node.as_object_mut().and_then(|m| m.get_mut(name)) {
                    Some(n) => n,
                    None => return false,
                }
            }
            other => {
                let Some(list) = node.as_array_mut() else {
                    return false;
                };
                let Some(i) = find_item(list, other, &spath, schema) else {
                    return false;
                };
                &mut list[i]
            }
        };
    }
    match last {
        PathElement::Field(name) => node
            .as_object_mut()
            .and_then(|m| m.shift_remove(name))
            .is_some(),
        other => {
            let Some(list) = node.as_array_mut() else {
                return false;
            };
            match find_item(list, other, &spath, schema) {
                Some(i) => {
                    list.remove(i);
                    true
                }
                None => false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::listtypes::builtin_schema;
    use super::*;
    use serde_json::json;

    fn f(name: &str) -> PathElement {
        PathElement::Field(name.to_string())
    }

    fn key(name: &str, v: Value) -> PathElement {
        PathElement::Key(vec![(name.to_string(), v)])
    }

    #[test]
    fn fields_v1_marks_list_items_with_dot_and_sorts_keys() {
        let s = builtin_schema("apps", "Deployment");
        let obj = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "nginx", "image": "nginx:1"}
        ]}}, "replicas": 2}});
        let set = field_set_of(&obj, s.as_ref());
        assert_eq!(
            set.to_fields_v1().to_string(),
            r#"{"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{}}}}}}}"#
        );
    }

    #[test]
    fn fields_v1_round_trips() {
        let v = json!({"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                       "f:spec": {"f:ports": {"k:{\"port\":80,\"protocol\":\"TCP\"}": {".": {}, "f:port": {}}}},
                       "f:finalizers": {"v:\"a\"": {}}, "f:list": {"i:3": {}}});
        let set = FieldSet::from_fields_v1(&v).unwrap();
        assert!(set.contains(&[f("metadata"), f("labels")]));
        assert!(set.contains(&[f("finalizers"), PathElement::Value(json!("a"))]));
        assert!(set.contains(&[f("list"), PathElement::Index(3)]));
        assert_eq!(FieldSet::from_fields_v1(&set.to_fields_v1()).unwrap(), set);
    }

    #[test]
    fn unparseable_fields_v1_keys_are_rejected() {
        assert!(FieldSet::from_fields_v1(&json!({"x:y": {}})).is_err());
        assert!(FieldSet::from_fields_v1(&json!([])).is_err());
    }

    #[test]
    fn list_map_keys_are_sorted_and_defaulted() {
        let s = builtin_schema("", "Service");
        let obj = json!({"spec": {"ports": [{"port": 80}]}});
        let set = field_set_of(&obj, s.as_ref());
        assert!(set.contains(&[
            f("spec"),
            f("ports"),
            PathElement::Key(vec![
                ("port".into(), json!(80)),
                ("protocol".into(), json!("TCP"))
            ])
        ]));
    }

    #[test]
    fn empty_and_null_maps_are_members_but_non_empty_maps_are_not() {
        let s = builtin_schema("", "ConfigMap");
        let set = field_set_of(&json!({"a": {}, "b": null, "c": {"d": 1}}), s.as_ref());
        assert!(set.contains(&[f("a")]));
        assert!(set.contains(&[f("b")]));
        assert!(!set.contains(&[f("c")]));
        assert!(set.contains(&[f("c"), f("d")]));
    }

    #[test]
    fn atomic_lists_and_maps_are_single_leaves() {
        let s = builtin_schema("apps", "Deployment");
        let set = field_set_of(
            &json!({"spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"spec": {"tolerations": [{"key": "k"}]}}}}),
            s.as_ref(),
        );
        assert_eq!(
            set.to_fields_v1(),
            json!({"f:spec": {"f:selector": {}, "f:template": {"f:spec": {"f:tolerations": {}}}}})
        );
    }

    #[test]
    fn set_members_are_value_elements() {
        let s = builtin_schema("", "ConfigMap");
        let set = field_set_of(&json!({"metadata": {"finalizers": ["a", "b"]}}), s.as_ref());
        assert_eq!(
            set.to_fields_v1(),
            json!({"f:metadata": {"f:finalizers": {"v:\"a\"": {}, "v:\"b\"": {}}}})
        );
    }

    #[test]
    fn numeric_keys_order_numerically() {
        // As strings "443" < "80"; structured-merge-diff compares numbers numerically.
        let a = key("containerPort", json!(80));
        let b = key("containerPort", json!(443));
        assert!(a < b);
        assert!(f("z") < key("a", json!(1)));
    }

    #[test]
    fn conflict_paths_render_like_the_api_server() {
        let p = vec![
            f("spec"),
            f("containers"),
            key("name", json!("nginx")),
            f("image"),
        ];
        assert_eq!(render_path(&p), r#".spec.containers[name="nginx"].image"#);
        assert_eq!(
            render_path(&[
                f("metadata"),
                f("finalizers"),
                PathElement::Value(json!("x"))
            ]),
            r#".metadata.finalizers[="x"]"#
        );
        assert_eq!(render_path(&[f("a"), PathElement::Index(3)]), ".a[3]");
        assert_eq!(
            render_path(&[PathElement::Key(vec![
                ("containerPort".into(), json!(80)),
                ("protocol".into(), json!("TCP"))
            ])]),
            r#"[containerPort=80,protocol="TCP"]"#
        );
    }

    #[test]
    fn members_iterate_level_members_before_children() {
        let mut s = FieldSet::new();
        s.insert(&[f("spec"), f("template"), f("x")]);
        s.insert(&[f("spec"), f("replicas")]);
        s.insert(&[f("data"), f("b")]);
        s.insert(&[f("data"), f("a")]);
        let rendered: Vec<String> = s.members().iter().map(|p| render_path(p)).collect();
        assert_eq!(
            rendered,
            vec![".data.a", ".data.b", ".spec.replicas", ".spec.template.x"]
        );
    }

    #[test]
    fn set_algebra_prunes_empty_nodes() {
        let mut a = FieldSet::new();
        a.insert(&[f("data"), f("a")]);
        a.insert(&[f("data"), f("b")]);
        let mut b = FieldSet::new();
        b.insert(&[f("data"), f("a")]);
        let d = a.difference(&b);
        assert!(!d.covers(&[f("data"), f("a")]));
        assert!(d.contains(&[f("data"), f("b")]));
        assert_eq!(a.intersection(&b), b);
        assert_eq!(b.union(&d), a);
        assert!(b.difference(&a).is_empty());
    }

    #[test]
    fn compare_reports_added_modified_and_removed_leaves() {
        let s = builtin_schema("", "ConfigMap");
        let c = compare(
            &json!({"data": {"a": "1", "b": "2"}}),
            &json!({"data": {"a": "9", "c": "3"}}),
            s.as_ref(),
        );
        assert!(c.modified.contains(&[f("data"), f("a")]));
        assert!(c.removed.contains(&[f("data"), f("b")]));
        assert!(c.added.contains(&[f("data"), f("c")]));
        assert!(!c.added.contains(&[f("data")]));
    }

    #[test]
    fn compare_marks_new_maps_and_list_items_as_added_nodes() {
        let s = builtin_schema("", "Pod");
        let c = compare(
            &json!({"spec": {"containers": []}}),
            &json!({"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "x", "image": "i"}]}}),
            s.as_ref(),
        );
        assert!(c.added.contains(&[f("metadata")]));
        assert!(c.added.contains(&[f("metadata"), f("labels")]));
        assert!(c
            .added
            .contains(&[f("spec"), f("containers"), key("name", json!("x"))]));
        assert!(c.added.contains(&[
            f("spec"),
            f("containers"),
            key("name", json!("x")),
            f("image")
        ]));
    }

    #[test]
    fn compare_treats_atomic_lists_as_one_leaf() {
        let s = builtin_schema("", "Pod");
        let c = compare(
            &json!({"spec": {"tolerations": [{"key": "a"}]}}),
            &json!({"spec": {"tolerations": [{"key": "b"}]}}),
            s.as_ref(),
        );
        assert!(c.modified.contains(&[f("spec"), f("tolerations")]));
        assert!(c.added.is_empty() && c.removed.is_empty());
    }

    #[test]
    fn get_and_remove_find_list_items_by_key() {
        let s = builtin_schema("", "Pod");
        let mut obj = json!({"spec": {"containers": [{"name": "a"}, {"name": "b", "image": "x"}]}});
        let path = [
            f("spec"),
            f("containers"),
            key("name", json!("b")),
            f("image"),
        ];
        assert_eq!(get_at(&obj, &path, s.as_ref()), Some(&json!("x")));
        assert!(remove_at(&mut obj, &path, s.as_ref()));
        assert!(remove_at(&mut obj, &path[..3], s.as_ref()));
        assert!(!remove_at(&mut obj, &path[..3], s.as_ref()));
        assert_eq!(obj, json!({"spec": {"containers": [{"name": "a"}]}}));
    }

    #[test]
    fn remove_keeps_the_order_of_remaining_keys() {
        let s = builtin_schema("", "ConfigMap");
        let mut obj = json!({"data": {"a": "1", "b": "2", "c": "3"}});
        remove_at(&mut obj, &[f("data"), f("a")], s.as_ref());
        assert_eq!(obj.to_string(), r#"{"data":{"b":"2","c":"3"}}"#);
    }
}
