//! Patch semantics of the sandbox API server: JSON merge, JSON patch, strategic merge patch, server-side apply and managedFields.

pub mod fieldset;
pub mod listtypes;
pub mod managed_fields;
pub mod strategic;

pub use listtypes::{builtin_schema, crd_schema, ListType, TypeSchema};
pub use managed_fields::{apply, record_update, ApplyConflict, ConflictCause, ManagerInfo, Scope};
pub use strategic::strategic_merge_patch;

use serde_json::Value;

/// Why a patch could not be applied: `BadRequest` answers 400, `Invalid` answers 422 (reason Invalid).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Invalid(String),
}

/// The message the API server gives every JSON-patch operation failure.
pub const JSON_PATCH_REJECTED: &str =
    "the server rejected our request due to an error in our request";

/// RFC 7386 JSON merge patch: maps merge recursively, `null` deletes, anything else replaces.
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    let mut out = target.clone();
    json_patch::merge(&mut out, patch);
    out
}

/// Go's name for a JSON value's kind, as `encoding/json` prints it in unmarshal errors.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// RFC 6902 JSON patch. A body that is not a list of operations is a 400; an operation that fails
/// (missing path, failed `test`) is a 422, all or nothing.
pub fn json_patch(target: &Value, patch: &Value) -> Result<Value, PatchError> {
    let ops: json_patch::Patch = match patch {
        Value::Array(_) => serde_json::from_value(patch.clone())
            .map_err(|e| PatchError::BadRequest(format!("invalid JSON patch: {e}")))?,
        other => {
            return Err(PatchError::BadRequest(format!(
                "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                json_kind(other)
            )))
        }
    };
    let mut out = target.clone();
    json_patch::patch(&mut out, &ops.0)
        .map_err(|_| PatchError::Invalid(JSON_PATCH_REJECTED.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_merges_maps_deletes_nulls_and_replaces_arrays() {
        let out = merge_patch(
            &json!({"a": {"b": 1, "c": 2}, "l": [1, 2], "k": "v"}),
            &json!({"a": {"b": null, "d": 3}, "l": [3]}),
        );
        assert_eq!(out, json!({"a": {"c": 2, "d": 3}, "l": [3], "k": "v"}));
    }

    #[test]
    fn merge_patch_keeps_existing_key_order() {
        let out = merge_patch(&json!({"x": 1, "y": 2}), &json!({"x": 3}));
        assert_eq!(out.to_string(), r#"{"x":3,"y":2}"#);
    }

    #[test]
    fn json_patch_applies_operations_in_order() {
        let out = json_patch(
            &json!({"data": {"a": "1"}}),
            &json!([{"op": "add", "path": "/data/b", "value": "2"},
                    {"op": "remove", "path": "/data/a"},
                    {"op": "test", "path": "/data/b", "value": "2"}]),
        )
        .unwrap();
        assert_eq!(out, json!({"data": {"b": "2"}}));
    }

    #[test]
    fn json_patch_failed_test_is_invalid_with_the_generic_message() {
        let err = json_patch(
            &json!({"a": 1}),
            &json!([{"op": "test", "path": "/a", "value": 2}]),
        )
        .unwrap_err();
        assert_eq!(err, PatchError::Invalid(JSON_PATCH_REJECTED.to_string()));
    }

    #[test]
    fn json_patch_on_a_missing_path_is_invalid() {
        let err = json_patch(&json!({}), &json!([{"op": "remove", "path": "/nope"}])).unwrap_err();
        assert!(matches!(err, PatchError::Invalid(_)));
    }

    #[test]
    fn json_patch_body_that_is_not_a_list_is_a_bad_request() {
        let err = json_patch(&json!({}), &json!({"op": "add"})).unwrap_err();
        assert_eq!(
            err,
            PatchError::BadRequest(
                "json: cannot unmarshal object into Go value of type jsonpatch.Patch".into()
            )
        );
        assert!(matches!(
            json_patch(&json!({}), &json!([{"op": "frobnicate", "path": "/a"}])),
            Err(PatchError::BadRequest(_))
        ));
    }
}
