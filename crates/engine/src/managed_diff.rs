//! Diffing what a member holds against what the next reconcile would leave there: the fields kubefedctl
//! manages (from `metadata.managedFields`), projected out of both objects, rendered as YAML, and compared as a
//! unified diff with `kubectl diff`'s `live/` and `merged/` sides.

use serde_json::{Map, Value};

use crate::engine::desired::{FIELD_MANAGER, MANAGED_LABEL};

/// Metadata the API server maintains, never worth a diff line.
const SERVER_METADATA: [&str; 7] = [
    "managedFields",
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "selfLink",
    "deletionGracePeriodSeconds",
];

/// The `fieldsV1` set of kubefedctl's server-side apply recorded in an object, if any.
pub fn applied_fields(obj: &Value) -> Option<&Value> {
    obj.pointer("/metadata/managedFields")?
        .as_array()?
        .iter()
        .find(|e| {
            e.get("manager").and_then(Value::as_str) == Some(FIELD_MANAGER)
                && e.get("operation").and_then(Value::as_str) == Some("Apply")
        })?
        .get("fieldsV1")
}

/// The union of two `fieldsV1` sets.
pub fn union_fields(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut out = x.clone();
            for (k, v) in y {
                let merged = match out.get(k) {
                    Some(existing) => union_fields(existing, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Object(_), _) => a.clone(),
        _ => b.clone(),
    }
}

/// Whether a `fieldsV1` node names no child, i.e. the field is owned as a whole.
fn is_leaf(fields: &Map<String, Value>) -> bool {
    fields.keys().all(|k| k == ".")
}

/// The part of `value` a `fieldsV1` set covers: `f:` keys select map fields; `k:`, `v:` and `i:` keys select list
/// elements by key fields, value or index; a node without children takes the value whole.
pub fn project(value: &Value, fields: &Value) -> Option<Value> {
    let Some(fields) = fields.as_object() else {
        return Some(value.clone());
    };
    if is_leaf(fields) {
        return Some(value.clone());
    }
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                if let Some(sub) = fields.get(&format!("f:{k}")) {
                    if let Some(p) = project(v, sub) {
                        out.insert(k.clone(), p);
                    }
                }
            }
            Some(Value::Object(out))
        }
        Value::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let sub = fields
                    .iter()
                    .find_map(|(k, sub)| list_key_matches(k, i, item).then_some(sub));
                if let Some(sub) = sub {
                    if let Some(p) = project(item, sub) {
                        out.push(p);
                    }
                }
            }
            Some(Value::Array(out))
        }
        other => Some(other.clone()),
    }
}

fn list_key_matches(key: &str, index: usize, item: &Value) -> bool {
    if let Some(json) = key.strip_prefix("k:") {
        let Ok(Value::Object(wanted)) = serde_json::from_str::<Value>(json) else {
            return false;
        };
        wanted.iter().all(|(k, v)| item.get(k) == Some(v))
    } else if let Some(json) = key.strip_prefix("v:") {
        serde_json::from_str::<Value>(json).is_ok_and(|v| v == *item)
    } else if let Some(i) = key.strip_prefix("i:") {
        i.parse::<usize>() == Ok(index)
    } else {
        false
    }
}

/// An object without what the server maintains (`managedFields`, `resourceVersion`, `uid`, timestamps,
/// `generation`) and without `status`, which no apply writes.
pub fn without_server_fields(obj: &Value) -> Value {
    let mut out = obj.clone();
    if let Some(map) = out.as_object_mut() {
        map.remove("status");
        if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            for k in SERVER_METADATA {
                meta.remove(k);
            }
        }
    }
    out
}

/// What of an object a diff shows: its identity (apiVersion, kind, name, namespace) plus the fields in
/// `fields` (what kubefedctl's apply owns before or after); without a field set, the whole object minus
/// server-maintained fields.
pub fn comparable(obj: &Value, fields: Option<&Value>) -> Value {
    let Some(fields) = fields else {
        return without_server_fields(obj);
    };
    let mut out = Map::new();
    for k in ["apiVersion", "kind"] {
        if let Some(v) = obj.get(k) {
            out.insert(k.to_string(), v.clone());
        }
    }
    let mut meta = Map::new();
    for k in ["name", "namespace"] {
        if let Some(v) = obj.pointer(&format!("/metadata/{k}")) {
            meta.insert(k.to_string(), v.clone());
        }
    }
    out.insert("metadata".into(), Value::Object(meta));
    if let Some(Value::Object(projected)) = project(obj, fields) {
        for (k, v) in projected {
            match (k.as_str(), v) {
                ("metadata", Value::Object(m)) => {
                    let meta = out["metadata"].as_object_mut().expect("built above");
                    for (mk, mv) in m {
                        meta.insert(mk, mv);
                    }
                }
                ("apiVersion" | "kind", _) => {}
                (_, v) => {
                    out.insert(k, v);
                }
            }
        }
    }
    Value::Object(out)
}

/// The live and merged sides of a diff, restricted to what kubefedctl manages on either side.
pub fn comparable_pair(
    live: Option<&Value>,
    merged: Option<&Value>,
) -> (Option<Value>, Option<Value>) {
    let fields = match (
        live.and_then(applied_fields),
        merged.and_then(applied_fields),
    ) {
        (Some(a), Some(b)) => Some(union_fields(a, b)),
        (a, b) => a.or(b).cloned(),
    };
    (
        live.map(|l| comparable(l, fields.as_ref())),
        merged.map(|m| comparable(m, fields.as_ref())),
    )
}

/// The object with the managed label removed (what orphaning or releasing a host namespace leaves).
pub fn without_managed_label(obj: &Value) -> Value {
    let mut out = obj.clone();
    if let Some(labels) = out
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.remove(MANAGED_LABEL);
    }
    out
}

/// `<cluster>/<namespace>/<name>`, or `<cluster>/<name>` for cluster-scoped objects.
pub fn object_path(cluster: &str, namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        format!("{cluster}/{name}")
    } else {
        format!("{cluster}/{namespace}/{name}")
    }
}

fn to_yaml(v: Option<&Value>) -> String {
    match v {
        None => String::new(),
        Some(v) => {
            let v = with_sorted_keys(v);
            crate::yaml::to_yaml(&v).unwrap_or_else(|_| v.to_string())
        }
    }
}

/// The value with every map's keys in alphabetical order, as `kubectl diff` prints them: the same
/// object reads the same whichever server, client or template it came from.
fn with_sorted_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), with_sorted_keys(&m[k])))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(with_sorted_keys).collect()),
        other => other.clone(),
    }
}

/// The unified diff (3 lines of context) between two sides, headed `--- live/<path>` / `+++ merged/<path>`;
/// `None` when both render the same. An absent side is an empty file, as `diff -N` treats it.
pub fn unified_diff(live: Option<&Value>, merged: Option<&Value>, path: &str) -> Option<String> {
    let old = to_yaml(live);
    let new = to_yaml(merged);
    if old == new {
        return None;
    }
    let diff = similar::TextDiff::from_lines(&old, &new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("live/{path}"), &format!("merged/{path}"))
        .to_string();
    Some(text)
}

/// Colours a unified diff for a terminal: removals red, additions green, hunk headers cyan.
pub fn colorize(diff: &str) -> String {
    diff.lines()
        .map(|l| {
            let code = if l.starts_with("---") || l.starts_with("+++") {
                "1"
            } else if l.starts_with('-') {
                "31"
            } else if l.starts_with('+') {
                "32"
            } else if l.starts_with("@@") {
                "36"
            } else {
                return format!("{l}\n");
            };
            format!("\x1b[{code}m{l}\x1b[0m\n")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn with_applied(mut obj: Value, fields: Value) -> Value {
        obj["metadata"]["managedFields"] = json!([
            {"manager": "kube-controller-manager", "operation": "Update", "fieldsV1": {"f:spec": {"f:replicas": {}}}},
            {"manager": "kubefedctl", "operation": "Apply", "fieldsV1": fields}
        ]);
        obj
    }

    #[test]
    fn projection_keeps_only_the_applied_fields() {
        let obj = json!({
            "metadata": {"name": "web", "labels": {"a": "1", "b": "2"}},
            "spec": {"replicas": 3, "paused": false,
                     "containers": [{"name": "web", "image": "nginx", "ports": [80]}, {"name": "side", "image": "x"}]}
        });
        let fields = json!({
            "f:metadata": {"f:labels": {"f:a": {}}},
            "f:spec": {"f:containers": {"k:{\"name\":\"web\"}": {".": {}, "f:name": {}, "f:image": {}}}}
        });
        assert_eq!(
            project(&obj, &fields).unwrap(),
            json!({"metadata": {"labels": {"a": "1"}},
                   "spec": {"containers": [{"name": "web", "image": "nginx"}]}})
        );
    }

    #[test]
    fn list_elements_are_selected_by_value_and_index_too() {
        let fields = json!({"f:finalizers": {"v:\"a\"": {}}, "f:args": {"i:1": {}}});
        let obj = json!({"finalizers": ["a", "b"], "args": ["x", "y"]});
        assert_eq!(
            project(&obj, &fields).unwrap(),
            json!({"finalizers": ["a"], "args": ["y"]})
        );
    }

    #[test]
    fn a_field_owned_whole_is_taken_whole() {
        let obj = json!({"data": {"k": "v", "other": "w"}});
        assert_eq!(project(&obj, &json!({"f:data": {".": {}}})).unwrap(), obj);
    }

    #[test]
    fn fields_of_other_managers_and_server_metadata_are_left_out_of_the_comparison() {
        let live = with_applied(
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                   "metadata": {"name": "web", "namespace": "p", "resourceVersion": "9", "uid": "u"},
                   "spec": {"replicas": 5, "template": {"x": 1}}, "status": {"readyReplicas": 5}}),
            json!({"f:spec": {"f:template": {}}}),
        );
        let (l, _) = comparable_pair(Some(&live), None);
        assert_eq!(
            l.unwrap(),
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                   "metadata": {"name": "web", "namespace": "p"}, "spec": {"template": {"x": 1}}})
        );
    }

    #[test]
    fn fields_kubefedctl_stops_applying_still_show_as_removed() {
        let live = with_applied(
            json!({"metadata": {"name": "c"}, "data": {"old": "1", "keep": "2"}}),
            json!({"f:data": {"f:old": {}, "f:keep": {}}}),
        );
        let merged = with_applied(
            json!({"metadata": {"name": "c"}, "data": {"keep": "2"}}),
            json!({"f:data": {"f:keep": {}}}),
        );
        let (l, m) = comparable_pair(Some(&live), Some(&merged));
        let text = unified_diff(l.as_ref(), m.as_ref(), "m1/ns/c").unwrap();
        assert!(
            text.contains("-  old: '1'") || text.contains("-  old: \"1\""),
            "{text}"
        );
        assert!(!text.contains("+  keep"), "{text}");
    }

    #[test]
    fn without_managed_fields_the_whole_object_minus_server_fields_is_compared() {
        let obj = json!({"metadata": {"name": "c", "resourceVersion": "3", "labels": {"x": "y"}},
                         "data": {"k": "v"}, "status": {"s": 1}});
        assert_eq!(
            comparable(&obj, None),
            json!({"metadata": {"name": "c", "labels": {"x": "y"}}, "data": {"k": "v"}})
        );
    }

    #[test]
    fn unified_diff_has_kubectl_style_headers_and_is_none_when_equal() {
        let a = json!({"data": {"k": "v1"}});
        let b = json!({"data": {"k": "v2"}});
        let text = unified_diff(Some(&a), Some(&b), "m1/app/web").unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "--- live/m1/app/web");
        assert_eq!(lines[1], "+++ merged/m1/app/web");
        assert!(lines[2].starts_with("@@ "), "{text}");
        assert!(text.contains("-  k: v1\n+  k: v2\n"), "{text}");
        assert_eq!(unified_diff(Some(&a), Some(&a), "x"), None);
    }

    #[test]
    fn keys_are_in_the_same_order_whatever_order_each_side_came_in() {
        let a = json!({"kind": "ConfigMap", "apiVersion": "v1", "data": {"b": "1", "a": "2"}});
        let b = json!({"apiVersion": "v1", "data": {"a": "2", "b": "1"}, "kind": "ConfigMap"});
        assert_eq!(unified_diff(Some(&a), Some(&b), "c/n/x"), None);
        let created = unified_diff(None, Some(&a), "c/n/x").unwrap();
        let lines: Vec<&str> = created
            .lines()
            .filter(|l| l.starts_with('+'))
            .skip(1)
            .collect();
        assert_eq!(
            lines,
            [
                "+apiVersion: v1",
                "+data:",
                "+  a: \"2\"",
                "+  b: \"1\"",
                "+kind: ConfigMap"
            ]
        );
    }

    #[test]
    fn creation_and_deletion_diff_against_an_empty_side() {
        let obj = json!({"data": {"k": "v"}});
        let created = unified_diff(None, Some(&obj), "m1/app/web").unwrap();
        assert!(created.contains("@@ -0,0 +1,2 @@"), "{created}");
        let deleted = unified_diff(Some(&obj), None, "m1/app/web").unwrap();
        assert!(deleted.contains("@@ -1,2 +0,0 @@"), "{deleted}");
    }

    #[test]
    fn cluster_scoped_paths_have_no_namespace() {
        assert_eq!(object_path("m1", "", "prod"), "m1/prod");
        assert_eq!(object_path("m1", "app", "web"), "m1/app/web");
    }

    #[test]
    fn unlabelling_removes_only_the_managed_label() {
        let obj = json!({"metadata": {"labels": {"kubefed.io/managed": "true", "a": "b"}}});
        assert_eq!(
            without_managed_label(&obj),
            json!({"metadata": {"labels": {"a": "b"}}})
        );
    }

    #[test]
    fn field_sets_union_deeply() {
        let a = json!({"f:data": {"f:a": {}}});
        let b = json!({"f:data": {"f:b": {}}, "f:metadata": {}});
        assert_eq!(
            union_fields(&a, &b),
            json!({"f:data": {"f:a": {}, "f:b": {}}, "f:metadata": {}})
        );
    }

    #[test]
    fn colour_marks_removals_and_additions() {
        let c = colorize("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n z\n");
        assert!(c.contains("\x1b[31m-x\x1b[0m"));
        assert!(c.contains("\x1b[32m+y\x1b[0m"));
        assert!(c.ends_with(" z\n"));
    }
}
