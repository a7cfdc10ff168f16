//! Strategic merge patch for built-in types: merge-key lists, primitive sets, and the `$patch`, `$retainKeys`,
//! `$setElementOrder/` and `$deleteFromPrimitiveList/` directives, none of which survive into the result.

use serde_json::{Map, Value};

use super::listtypes::{ListType, TypeSchema};
use super::PatchError;

const PATCH_DIRECTIVE: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const SET_ELEMENT_ORDER: &str = "$setElementOrder/";
const DELETE_FROM_PRIMITIVE_LIST: &str = "$deleteFromPrimitiveList/";

fn bad(msg: &str) -> PatchError {
    PatchError::BadRequest(msg.to_string())
}

/// Go's `%v` of a `map[string]interface{}`, used in apimachinery's error texts.
fn go_map(m: &Map<String, Value>) -> String {
    let mut parts: Vec<String> = m
        .iter()
        .map(|(k, v)| match v {
            Value::String(s) => format!("{k}:{s}"),
            Value::Object(inner) => format!("{k}:{}", go_map(inner)),
            other => format!("{k}:{other}"),
        })
        .collect();
    parts.sort();
    format!("map[{}]", parts.join(" "))
}

/// Applies a strategic merge patch to `original` with the list semantics of `schema`.
pub fn strategic_merge_patch(
    original: &Value,
    patch: &Value,
    schema: &dyn TypeSchema,
) -> Result<Value, PatchError> {
    let Value::Object(patch) = patch else {
        return Err(PatchError::BadRequest(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            match patch {
                Value::Array(_) => "array",
                Value::String(_) => "string",
                Value::Number(_) => "number",
                Value::Bool(_) => "bool",
                _ => "null",
            }
        )));
    };
    let original = original.as_object().cloned().unwrap_or_default();
    let merged = merge_map(original, patch, &mut Vec::new(), schema)?;
    Ok(Value::Object(merged.unwrap_or_default()))
}

/// Removes every `$`-prefixed key, at any depth, from a value taken from the patch.
fn strip_directives(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip_directives(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|item| !is_directive_only(item))
                .map(strip_directives)
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A list element such as `{"$patch":"replace"}` that carries nothing but directives.
fn is_directive_only(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|m| !m.is_empty() && m.keys().all(|k| k.starts_with('$')))
}

fn spath_refs(spath: &[String]) -> Vec<&str> {
    spath.iter().map(String::as_str).collect()
}

/// Merges `patch` into `original`; `None` means the map itself is deleted (`$patch: delete`).
fn merge_map(
    mut original: Map<String, Value>,
    patch: &Map<String, Value>,
    spath: &mut Vec<String>,
    schema: &dyn TypeSchema,
) -> Result<Option<Map<String, Value>>, PatchError> {
    let mut patch = patch.clone();
    if let Some(directive) = patch.shift_remove(PATCH_DIRECTIVE) {
        match directive.as_str() {
            Some("replace") => {
                return Ok(Some(
                    strip_directives(&Value::Object(patch))
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                ))
            }
            Some("delete") => return Ok(None),
            Some("merge") => {}
            _ => {
                return Err(PatchError::BadRequest(format!(
                    "unknown patch type: {} in map: {}",
                    directive
                        .as_str()
                        .map_or(directive.to_string(), str::to_string),
                    go_map(&patch)
                )))
            }
        }
    }

    if let Some(retain) = patch.shift_remove(RETAIN_KEYS) {
        let keys: Vec<&str> = retain
            .as_array()
            .and_then(|l| l.iter().map(Value::as_str).collect())
            .ok_or_else(|| bad("invalid patch format of retainKeys"))?;
        let patch_ok = patch.iter().all(|(k, v)| {
            v.is_null()
                || k.starts_with(DELETE_FROM_PRIMITIVE_LIST)
                || k.starts_with(SET_ELEMENT_ORDER)
                || keys.contains(&k.as_str())
        });
        if !patch_ok {
            return Err(PatchError::Invalid(
                "patch content doesn't match retainKeys list".to_string(),
            ));
        }
        original.retain(|k, _| keys.contains(&k.as_str()));
    }

    let mut orders: Vec<(String, Vec<Value>)> = Vec::new();
    let directive_keys: Vec<String> = patch
        .keys()
        .filter(|k| k.starts_with('$'))
        .cloned()
        .collect();
    for key in directive_keys {
        let value = patch.shift_remove(&key).unwrap_or(Value::Null);
        if let Some(field) = key.strip_prefix(DELETE_FROM_PRIMITIVE_LIST) {
            let doomed = value
                .as_array()
                .ok_or_else(|| bad("invalid patch format of primitive list"))?;
            if let Some(Value::Array(list)) = original.get_mut(field) {
                list.retain(|item| !doomed.contains(item));
            }
        } else if let Some(field) = key.strip_prefix(SET_ELEMENT_ORDER) {
            let order = value
                .as_array()
                .ok_or_else(|| bad("invalid patch format of setElementOrder list"))?;
            orders.push((field.to_string(), order.clone()));
        }
        // Unknown `$` keys are dropped, as the API server's decoder never stores them.
    }

    let before_lists: Vec<(String, Vec<Value>)> = orders
        .iter()
        .filter_map(|(field, _)| match original.get(field) {
            Some(Value::Array(l)) => Some((field.clone(), l.clone())),
            _ => None,
        })
        .collect();

    for (key, pv) in &patch {
        if pv.is_null() {
            original.shift_remove(key);
            continue;
        }
        spath.push(key.clone());
        let merged = match (original.get(key), pv) {
            (Some(Value::Object(o)), Value::Object(pm)) => {
                merge_map(o.clone(), pm, spath, schema)?.map(Value::Object)
            }
            (_, Value::Object(pm)) => merge_map(Map::new(), pm, spath, schema)?.map(Value::Object),
            (Some(Value::Array(o)), Value::Array(pl)) => {
                Some(Value::Array(merge_list(o.clone(), pl, spath, schema)?))
            }
            (_, Value::Array(pl)) => Some(Value::Array(merge_list(Vec::new(), pl, spath, schema)?)),
            (_, scalar) => Some(scalar.clone()),
        };
        spath.pop();
        match merged {
            Some(v) => {
                original.insert(key.clone(), v);
            }
            None => {
                original.shift_remove(key);
            }
        }
    }

    for (field, order) in orders {
        spath.push(field.clone());
        let lt = schema.list_type(&spath_refs(spath));
        spath.pop();
        let key = match &lt {
            ListType::Map(keys) => Some(keys[0].as_str()),
            _ => None,
        };
        let before = before_lists
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, l)| l.as_slice())
            .unwrap_or(&[]);
        if let Some(Value::Array(list)) = original.get_mut(&field) {
            *list = normalize_order(std::mem::take(list), &order, before, key);
        }
    }
    Ok(Some(original))
}

fn patch_directive(item: &Value) -> Option<&str> {
    item.get(PATCH_DIRECTIVE).and_then(Value::as_str)
}

fn merge_list(
    mut original: Vec<Value>,
    patch: &[Value],
    spath: &mut Vec<String>,
    schema: &dyn TypeSchema,
) -> Result<Vec<Value>, PatchError> {
    if patch
        .iter()
        .any(|item| patch_directive(item) == Some("replace"))
    {
        return Ok(patch
            .iter()
            .filter(|item| patch_directive(item) != Some("replace"))
            .map(strip_directives)
            .collect());
    }
    if patch.iter().any(Value::is_array) {
        return Err(PatchError::Invalid(
            "lists of lists are not supported".to_string(),
        ));
    }
    match schema.list_type(&spath_refs(spath)) {
        ListType::Atomic => Ok(patch
            .iter()
            .filter(|item| !is_directive_only(item))
            .map(strip_directives)
            .collect()),
        ListType::Set => {
            let before = original.clone();
            for item in patch {
                if !original.contains(item) {
                    original.push(strip_directives(item));
                }
            }
            Ok(normalize_order(original, patch, &before, None))
        }
        ListType::Map(keys) => {
            let key = &keys[0];
            // Deletions apply first, so the order reference is the list without them.
            for item in patch {
                if patch_directive(item) == Some("delete") {
                    if let Some(kv) = item.get(key).filter(|v| !v.is_null()) {
                        original.retain(|o| o.get(key) != Some(kv));
                    }
                }
            }
            let before = original.clone();
            for item in patch {
                let Value::Object(pm) = item else {
                    // A scalar where maps are expected: treat it as a primitive merge.
                    if !original.contains(item) {
                        original.push(item.clone());
                    }
                    continue;
                };
                let Some(kv) = pm.get(key).filter(|v| !v.is_null()) else {
                    return Err(PatchError::BadRequest(format!(
                        "map: {} does not contain declared merge key: {key}",
                        go_map(pm)
                    )));
                };
                let pos = original.iter().position(|o| o.get(key) == Some(kv));
                match patch_directive(item) {
                    Some("delete") => original.retain(|o| o.get(key) != Some(kv)),
                    None | Some("merge") => {
                        let base = pos
                            .and_then(|p| original[p].as_object().cloned())
                            .unwrap_or_default();
                        match (merge_map(base, pm, spath, schema)?, pos) {
                            (Some(m), Some(p)) => original[p] = Value::Object(m),
                            (Some(m), None) => original.push(Value::Object(m)),
                            (None, Some(p)) => {
                                original.remove(p);
                            }
                            (None, None) => {}
                        }
                    }
                    Some(other) => {
                        return Err(PatchError::BadRequest(format!(
                            "unknown patch type: {other} in map: {}",
                            go_map(pm)
                        )))
                    }
                }
            }
            let ordered: Vec<Value> = patch
                .iter()
                .filter(|item| patch_directive(item) != Some("delete"))
                .cloned()
                .collect();
            Ok(normalize_order(original, &ordered, &before, Some(key)))
        }
    }
}

/// The identity of a list item for ordering: its merge key value, or the item itself for primitives.
fn item_id<'v>(item: &'v Value, key: Option<&str>) -> Option<&'v Value> {
    match key {
        Some(k) => item.get(k),
        None => Some(item),
    }
}

fn position_in(list: &[Value], item: &Value, key: Option<&str>) -> Option<usize> {
    let id = item_id(item, key)?;
    list.iter().position(|o| item_id(o, key) == Some(id))
}

/// apimachinery's `normalizeElementOrder`: items named by `patch_order` follow that order, the others
/// keep their live (`server_order`) order, and the two are interleaved by live position. An item the
/// live list lacks goes before any server-only item, which is why SMP places new items first.
fn normalize_order(
    merged: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    key: Option<&str>,
) -> Vec<Value> {
    let (mut patched, mut server_only): (Vec<Value>, Vec<Value>) = merged
        .into_iter()
        .partition(|item| position_in(patch_order, item, key).is_some());
    patched.sort_by_key(|item| position_in(patch_order, item, key));
    server_only.sort_by_key(|item| position_in(server_order, item, key).unwrap_or(usize::MAX));
    let mut out = Vec::with_capacity(patched.len() + server_only.len());
    let mut left = server_only.into_iter().peekable();
    let mut right = patched.into_iter().peekable();
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(l), Some(r)) => matches!(
                (position_in(server_order, l, key), position_in(server_order, r, key)),
                (Some(li), Some(ri)) if li < ri
            ),
        };
        let next = if take_left { left.next() } else { right.next() };
        out.extend(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::listtypes::builtin_schema;
    use super::*;
    use serde_json::json;

    fn deploy() -> Box<dyn TypeSchema> {
        builtin_schema("apps", "Deployment")
    }

    fn with_containers(containers: Value) -> Value {
        json!({"spec": {"template": {"spec": {"containers": containers}}}})
    }

    fn smp(original: Value, patch: Value) -> Value {
        strategic_merge_patch(&original, &patch, deploy().as_ref()).unwrap()
    }

    #[test]
    fn maps_merge_recursively_and_null_deletes() {
        let out = smp(
            json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"replicas": 1}}),
            json!({"metadata": {"labels": {"a": null, "c": "3"}}}),
        );
        assert_eq!(
            out,
            json!({"metadata": {"labels": {"b": "2", "c": "3"}}, "spec": {"replicas": 1}})
        );
    }

    #[test]
    fn keyed_list_items_merge_by_name_and_new_items_append() {
        let out = smp(
            with_containers(json!([{"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1"}])),
            with_containers(json!([{"name": "b", "image": "b:2"}, {"name": "c", "image": "c:1"}])),
        );
        assert_eq!(
            out,
            with_containers(json!([
                {"name": "a", "image": "a:1"},
                {"name": "b", "image": "b:2"},
                {"name": "c", "image": "c:1"}
            ]))
        );
    }

    #[test]
    fn new_items_go_before_server_only_items_like_apimachinery() {
        let out = smp(
            with_containers(json!([{"name": "a"}, {"name": "b"}])),
            with_containers(json!([{"name": "new"}])),
        );
        assert_eq!(
            out,
            with_containers(json!([{"name": "new"}, {"name": "a"}, {"name": "b"}]))
        );
    }

    #[test]
    fn patch_order_wins_over_live_order_for_patched_items() {
        let out = smp(
            with_containers(json!([{"name": "a"}, {"name": "b"}, {"name": "c"}])),
            with_containers(json!([{"name": "c"}, {"name": "a"}])),
        );
        assert_eq!(
            out,
            with_containers(json!([{"name": "b"}, {"name": "c"}, {"name": "a"}]))
        );
    }

    #[test]
    fn patch_delete_removes_a_keyed_item() {
        let out = smp(
            with_containers(json!([{"name": "a"}, {"name": "b"}])),
            with_containers(json!([{"$patch": "delete", "name": "a"}])),
        );
        assert_eq!(out, with_containers(json!([{"name": "b"}])));
    }

    #[test]
    fn patch_replace_element_replaces_the_whole_list() {
        let out = smp(
            with_containers(json!([{"name": "a", "image": "x"}, {"name": "b"}])),
            with_containers(json!([{"name": "c"}, {"$patch": "replace"}])),
        );
        assert_eq!(out, with_containers(json!([{"name": "c"}])));
    }

    #[test]
    fn patch_replace_on_a_map_replaces_it() {
        let out = smp(
            json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}}),
            json!({"spec": {"strategy": {"$patch": "replace", "type": "Recreate"}}}),
        );
        assert_eq!(out, json!({"spec": {"strategy": {"type": "Recreate"}}}));
    }

    #[test]
    fn patch_delete_on_a_map_removes_it() {
        let out = smp(
            json!({"spec": {"strategy": {"type": "Recreate"}, "replicas": 1}}),
            json!({"spec": {"strategy": {"$patch": "delete"}}}),
        );
        assert_eq!(out, json!({"spec": {"replicas": 1}}));
    }

    #[test]
    fn unknown_patch_type_is_a_bad_request() {
        let err = strategic_merge_patch(
            &json!({}),
            &json!({"spec": {"$patch": "explode"}}),
            deploy().as_ref(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            PatchError::BadRequest("unknown patch type: explode in map: map[]".into())
        );
    }

    #[test]
    fn retain_keys_drops_unlisted_keys_after_merge() {
        let out = smp(
            json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}}),
            json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}),
        );
        assert_eq!(out, json!({"spec": {"strategy": {"type": "Recreate"}}}));
    }

    #[test]
    fn retain_keys_must_list_every_patched_key() {
        let err = strategic_merge_patch(
            &json!({}),
            &json!({"spec": {"$retainKeys": ["type"], "other": 1}}),
            deploy().as_ref(),
        )
        .unwrap_err();
        assert!(matches!(err, PatchError::Invalid(_)));
    }

    #[test]
    fn set_element_order_is_honoured_and_stripped() {
        let out = smp(
            with_containers(json!([{"name": "a"}, {"name": "b"}])),
            json!({"spec": {"template": {"spec": {
                "$setElementOrder/containers": [{"name": "b"}, {"name": "a"}],
                "containers": [{"name": "a", "image": "x"}]}}}}),
        );
        assert_eq!(
            out,
            with_containers(json!([{"name": "b"}, {"name": "a", "image": "x"}]))
        );
    }

    #[test]
    fn set_element_order_alone_reorders_without_other_changes() {
        let out = smp(
            with_containers(json!([{"name": "a"}, {"name": "b"}, {"name": "c"}])),
            json!({"spec": {"template": {"spec": {
                "$setElementOrder/containers": [{"name": "c"}, {"name": "a"}]}}}}),
        );
        assert_eq!(
            out,
            with_containers(json!([{"name": "b"}, {"name": "c"}, {"name": "a"}]))
        );
    }

    #[test]
    fn primitive_merge_lists_union_and_delete_from_primitive_list_removes() {
        let out = smp(
            json!({"metadata": {"finalizers": ["a", "b"]}}),
            json!({"metadata": {"finalizers": ["b", "c"], "$deleteFromPrimitiveList/finalizers": ["a"]}}),
        );
        assert_eq!(out, json!({"metadata": {"finalizers": ["b", "c"]}}));
    }

    #[test]
    fn non_merge_lists_are_replaced() {
        let s = deploy();
        let out = strategic_merge_patch(
            &with_containers(json!([{"name": "a", "args": ["x", "y"]}])),
            &with_containers(json!([{"name": "a", "args": ["z"]}])),
            s.as_ref(),
        )
        .unwrap();
        assert_eq!(out, with_containers(json!([{"name": "a", "args": ["z"]}])));
    }

    #[test]
    fn nested_keyed_lists_merge_by_their_own_keys() {
        let out = smp(
            with_containers(json!([{"name": "a", "env": [{"name": "X", "value": "1"}],
                                    "ports": [{"containerPort": 80, "protocol": "TCP"}]}])),
            with_containers(json!([{"name": "a", "env": [{"name": "Y", "value": "2"}],
                                    "ports": [{"containerPort": 80, "name": "http"}]}])),
        );
        assert_eq!(
            out,
            with_containers(json!([{"name": "a",
                "env": [{"name": "Y", "value": "2"}, {"name": "X", "value": "1"}],
                "ports": [{"containerPort": 80, "protocol": "TCP", "name": "http"}]}]))
        );
    }

    #[test]
    fn missing_merge_key_is_a_bad_request() {
        let err = strategic_merge_patch(
            &with_containers(json!([])),
            &with_containers(json!([{"image": "x"}])),
            deploy().as_ref(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            PatchError::BadRequest(
                "map: map[image:x] does not contain declared merge key: name".into()
            )
        );
    }

    #[test]
    fn directives_never_reach_the_result_even_in_new_subtrees() {
        let out = smp(
            json!({}),
            json!({"spec": {"template": {"spec": {
                "$setElementOrder/containers": [{"name": "a"}],
                "containers": [{"name": "a", "$patch": "merge"}, {"name": "gone", "$patch": "delete"}],
                "volumes": [{"name": "v", "$retainKeys": ["name", "emptyDir"], "emptyDir": {}}]}}}}),
        );
        assert_eq!(
            out,
            json!({"spec": {"template": {"spec": {
                "containers": [{"name": "a"}],
                "volumes": [{"name": "v", "emptyDir": {}}]}}}})
        );
    }

    #[test]
    fn non_object_patch_is_a_bad_request() {
        assert!(matches!(
            strategic_merge_patch(&json!({}), &json!([1]), deploy().as_ref()),
            Err(PatchError::BadRequest(_))
        ));
    }

    #[test]
    fn scalar_replaces_and_key_order_is_kept() {
        let out = smp(
            json!({"spec": {"replicas": 1, "paused": false}}),
            json!({"spec": {"replicas": 3}}),
        );
        assert_eq!(out.to_string(), r#"{"spec":{"replicas":3,"paused":false}}"#);
    }
}
