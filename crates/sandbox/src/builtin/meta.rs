//! ObjectMeta validation shared by every kind (apimachinery `ValidateObjectMeta`) and the rendering of field
//! error values as the API server prints them (JSON, as Go's encoder writes it).

use super::names;
use super::NameRule;
use kubefedctl_apimachinery::validation::{ErrorType, FieldError};
use serde_json::Value;

/// Total bytes of annotation keys plus values a server accepts.
const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

/// An Invalid error whose value is already rendered (lists, maps and structs print as JSON).
pub(crate) fn invalid_raw(
    field: impl Into<String>,
    rendered: String,
    detail: impl Into<String>,
) -> FieldError {
    FieldError {
        kind: ErrorType::Invalid,
        field: field.into(),
        value: Some(rendered),
        detail: detail.into(),
    }
}

/// A `map[string]string` field error value as the API server prints it: JSON with sorted keys (Go's
/// encoder sorts map keys), `null` when absent.
pub(crate) fn go_string_map(v: Option<&Value>) -> String {
    match v.and_then(Value::as_object) {
        None => "null".to_string(),
        Some(m) => {
            let sorted: std::collections::BTreeMap<&String, &Value> = m.iter().collect();
            serde_json::to_string(&sorted).unwrap_or_default()
        }
    }
}

/// A `[]string` field error value as the API server prints it: compact JSON, `null` when absent.
pub(crate) fn go_string_slice(v: Option<&Value>) -> String {
    match v.and_then(Value::as_array) {
        None => "null".to_string(),
        Some(items) => serde_json::to_string(items).unwrap_or_default(),
    }
}

pub(crate) fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Generic ObjectMeta validation used for every kind including custom resources: name/generateName per
/// `name_rule`, namespace presence, generation, labels, annotations (keys and total size), ownerReferences, finalizers.
pub fn validate_object_meta(
    meta: &Value,
    name_rule: NameRule,
    namespaced: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let generate_name = str_at(meta, "generateName");
    if !generate_name.is_empty() {
        for msg in name_rule.check(generate_name, true) {
            errs.push(FieldError::invalid(
                "metadata.generateName",
                &Value::String(generate_name.into()),
                msg,
            ));
        }
    }
    let name = str_at(meta, "name");
    if name.is_empty() {
        errs.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        ));
    } else {
        for msg in name_rule.check(name, false) {
            errs.push(FieldError::invalid(
                "metadata.name",
                &Value::String(name.into()),
                msg,
            ));
        }
    }
    let namespace = str_at(meta, "namespace");
    if namespaced {
        if namespace.is_empty() {
            errs.push(FieldError::required("metadata.namespace", ""));
        } else {
            for msg in names::is_dns1123_label(namespace) {
                errs.push(FieldError::invalid(
                    "metadata.namespace",
                    &Value::String(namespace.into()),
                    msg,
                ));
            }
        }
    } else if !namespace.is_empty() {
        errs.push(FieldError::forbidden(
            "metadata.namespace",
            "not allowed on this type",
        ));
    }
    if let Some(g) = meta.get("generation").and_then(Value::as_i64) {
        if g < 0 {
            errs.push(FieldError::invalid(
                "metadata.generation",
                &Value::from(g),
                "must be greater than or equal to 0",
            ));
        }
    }
    errs.extend(validate_labels(meta.get("labels"), "metadata.labels"));
    errs.extend(validate_annotations(
        meta.get("annotations"),
        "metadata.annotations",
    ));
    errs.extend(validate_owner_references(meta.get("ownerReferences")));
    errs.extend(validate_finalizers(meta.get("finalizers")));
    errs
}

/// Core's extra finalizer rule for built-in kinds: an unqualified finalizer must be a standard one.
pub(crate) fn validate_kube_finalizers(meta: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, f) in meta
        .get("finalizers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let f = f.as_str().unwrap_or_default();
        if !f.contains('/') && !matches!(f, "kubernetes" | "orphan" | "foregroundDeletion") {
            errs.push(FieldError::invalid(
                format!("metadata.finalizers[{i}]"),
                &Value::String(f.into()),
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
    errs
}

/// `ValidateLabels`: errors carry the map's path, not the key's.
pub(crate) fn validate_labels(labels: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in labels.and_then(Value::as_object).into_iter().flatten() {
        for msg in names::is_qualified_name(k) {
            errs.push(FieldError::invalid(path, &Value::String(k.clone()), msg));
        }
        let v = v.as_str().unwrap_or_default();
        for msg in names::is_valid_label_value(v) {
            errs.push(FieldError::invalid(path, &Value::String(v.into()), msg));
        }
    }
    errs
}

/// `ValidateAnnotations`: keys are qualified names judged case-insensitively; total size ≤256 KiB.
pub(crate) fn validate_annotations(annotations: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut total = 0usize;
    for (k, v) in annotations.and_then(Value::as_object).into_iter().flatten() {
        for msg in names::is_qualified_name(&k.to_lowercase()) {
            errs.push(FieldError::invalid(path, &Value::String(k.clone()), msg));
        }
        total += k.len() + v.as_str().map_or(0, str::len);
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError::too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
    errs
}

fn validate_owner_references(refs: Option<&Value>) -> Vec<FieldError> {
    let path = "metadata.ownerReferences";
    let mut errs = Vec::new();
    let mut first_controller: Option<String> = None;
    for r in refs.and_then(Value::as_array).into_iter().flatten() {
        let api_version = str_at(r, "apiVersion");
        let version = api_version.rsplit('/').next().unwrap_or("");
        if version.is_empty() {
            errs.push(FieldError::invalid(
                format!("{path}.apiVersion"),
                &Value::String(api_version.into()),
                "version must not be empty",
            ));
        }
        for (field, detail) in [
            ("kind", "must not be empty"),
            ("name", "must not be empty"),
            ("uid", "must not be empty"),
        ] {
            if str_at(r, field).is_empty() {
                errs.push(FieldError::invalid(
                    format!("{path}.{field}"),
                    &Value::String(String::new()),
                    detail,
                ));
            }
        }
        if r.get("controller").and_then(Value::as_bool) == Some(true) {
            let current = format!("{}/{}", str_at(r, "kind"), str_at(r, "name"));
            match &first_controller {
                Some(first) => errs.push(invalid_raw(
                    path,
                    // Approximation of Go's `%#v` of the []OwnerReference slice.
                    "[]v1.OwnerReference{...}".to_string(),
                    format!("Only one reference can have Controller set to true. Found \"true\" in references for {first} and {current}"),
                )),
                None => first_controller = Some(current),
            }
        }
    }
    errs
}

fn validate_finalizers(finalizers: Option<&Value>) -> Vec<FieldError> {
    let path = "metadata.finalizers";
    let mut errs = Vec::new();
    let list = finalizers.and_then(Value::as_array);
    let mut orphan = false;
    let mut foreground = false;
    for f in list.into_iter().flatten() {
        let f = f.as_str().unwrap_or_default();
        for msg in names::is_qualified_name(f) {
            errs.push(FieldError::invalid(path, &Value::String(f.into()), msg));
        }
        orphan |= f == "orphan";
        foreground |= f == "foregroundDeletion";
    }
    if orphan && foreground {
        errs.push(invalid_raw(
            path,
            go_string_slice(finalizers),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubefedctl_apimachinery::validation::join_errors;
    use serde_json::json;

    fn text(errs: &[FieldError]) -> String {
        join_errors(errs)
    }

    #[test]
    fn missing_name_and_generate_name_is_required() {
        let errs = validate_object_meta(
            &json!({"namespace": "default"}),
            NameRule::Dns1123Subdomain,
            true,
        );
        assert_eq!(
            text(&errs),
            "metadata.name: Required value: name or generateName is required"
        );
    }

    #[test]
    fn bad_subdomain_name_gets_go_message() {
        let errs = validate_object_meta(
            &json!({"name": "Bad_x", "namespace": "d"}),
            NameRule::Dns1123Subdomain,
            true,
        );
        assert_eq!(text(&errs), "metadata.name: Invalid value: \"Bad_x\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }

    #[test]
    fn namespace_forbidden_on_cluster_scoped_and_required_on_namespaced() {
        let errs = validate_object_meta(
            &json!({"name": "a", "namespace": "x"}),
            NameRule::Dns1123Label,
            false,
        );
        assert_eq!(
            text(&errs),
            "metadata.namespace: Forbidden: not allowed on this type"
        );
        let errs = validate_object_meta(&json!({"name": "a"}), NameRule::Dns1123Subdomain, true);
        assert_eq!(text(&errs), "metadata.namespace: Required value");
    }

    #[test]
    fn bad_label_key_and_value_reported_on_labels_path() {
        let errs = validate_object_meta(
            &json!({"name": "a", "namespace": "d", "labels": {"-bad": "ok", "good": "bad-"}}),
            NameRule::Dns1123Subdomain,
            true,
        );
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].field, "metadata.labels");
        assert_eq!(errs[0].value.as_deref(), Some("\"-bad\""));
        assert!(errs[0]
            .detail
            .starts_with("name part must consist of alphanumeric characters"));
        assert_eq!(errs[1].value.as_deref(), Some("\"bad-\""));
        assert!(errs[1]
            .detail
            .starts_with("a valid label must be an empty string"));
    }

    #[test]
    fn annotation_keys_are_case_insensitive_and_size_limited() {
        let ok = validate_object_meta(
            &json!({"name": "a", "namespace": "d", "annotations": {"Example.COM/Key": "v"}}),
            NameRule::Dns1123Subdomain,
            true,
        );
        assert!(ok.is_empty());
        let big = "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT);
        let errs = validate_object_meta(
            &json!({"name": "a", "namespace": "d", "annotations": {"k": big}}),
            NameRule::Dns1123Subdomain,
            true,
        );
        assert_eq!(
            text(&errs),
            "metadata.annotations: Too long: may not be more than 262144 bytes"
        );
    }

    #[test]
    fn owner_reference_fields_must_not_be_empty() {
        let errs = validate_object_meta(
            &json!({"name": "a", "namespace": "d", "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "x"}]}),
            NameRule::Dns1123Subdomain,
            true,
        );
        assert_eq!(
            text(&errs),
            "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty"
        );
    }

    #[test]
    fn orphan_and_foreground_finalizers_conflict() {
        let errs = validate_object_meta(
            &json!({"name": "a", "finalizers": ["orphan", "foregroundDeletion"]}),
            NameRule::Dns1123Subdomain,
            false,
        );
        assert_eq!(text(&errs), "metadata.finalizers: Invalid value: [\"orphan\",\"foregroundDeletion\"]: finalizer orphan and foregroundDeletion cannot be both set");
    }

    #[test]
    fn unqualified_custom_finalizer_rejected_for_builtins() {
        let errs = validate_kube_finalizers(
            &json!({"finalizers": ["kubernetes", "mine", "kubefed.io/sync-controller"]}),
        );
        assert_eq!(text(&errs), "metadata.finalizers[1]: Invalid value: \"mine\": name is neither a standard finalizer name nor is it fully qualified");
    }

    #[test]
    fn map_values_render_as_json_with_sorted_keys() {
        assert_eq!(
            go_string_map(Some(&json!({"b": "2", "a": "1"}))),
            "{\"a\":\"1\",\"b\":\"2\"}"
        );
        assert_eq!(go_string_map(None), "null");
    }
}
