//! Field errors in the shape the Kubernetes API server reports them, and the name/label validators
//! shared by the sandbox (which must answer like a real server) and the CLI (which validates input early).

use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// The kind of a field error; each maps to a `causes[].reason` string of a `metav1.Status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    Invalid,
    Required,
    NotSupported,
    Forbidden,
    Duplicate,
    TooLong,
    NotFound,
    TypeInvalid,
}

impl ErrorType {
    /// The `causes[].reason` string the API server uses.
    pub fn reason(self) -> &'static str {
        match self {
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::TypeInvalid => "FieldValueTypeInvalid",
        }
    }
}

/// One field error: `<field>: <Kind text>: <value>: <detail>`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub kind: ErrorType,
    /// Dotted path, e.g. `metadata.name` or `spec.ports[0].port`.
    pub field: String,
    /// The offending value, already rendered the way Go's field errors print it (strings quoted).
    pub value: Option<String>,
    pub detail: String,
}

/// Renders a JSON value the way apimachinery's field errors print values: strings quoted, numbers bare.
pub fn render_value(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

impl FieldError {
    pub fn invalid(field: impl Into<String>, value: &Value, detail: impl Into<String>) -> Self {
        FieldError {
            kind: ErrorType::Invalid,
            field: field.into(),
            value: Some(render_value(value)),
            detail: detail.into(),
        }
    }
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            kind: ErrorType::Required,
            field: field.into(),
            value: None,
            detail: detail.into(),
        }
    }
    pub fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            kind: ErrorType::Forbidden,
            field: field.into(),
            value: None,
            detail: detail.into(),
        }
    }
    pub fn not_supported(field: impl Into<String>, value: &Value, supported: &[&str]) -> Self {
        let list = supported
            .iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        FieldError {
            kind: ErrorType::NotSupported,
            field: field.into(),
            value: Some(render_value(value)),
            detail: if supported.is_empty() {
                String::new()
            } else {
                format!("supported values: {list}")
            },
        }
    }
    pub fn duplicate(field: impl Into<String>, value: &Value) -> Self {
        FieldError {
            kind: ErrorType::Duplicate,
            field: field.into(),
            value: Some(render_value(value)),
            detail: String::new(),
        }
    }
    pub fn too_long(field: impl Into<String>, max: usize) -> Self {
        FieldError {
            kind: ErrorType::TooLong,
            field: field.into(),
            value: None,
            detail: format!("may not be more than {max} bytes"),
        }
    }

    /// The message without the field prefix (`causes[].message`).
    pub fn error_body(&self) -> String {
        let head = match self.kind {
            ErrorType::Invalid => "Invalid value",
            ErrorType::Required => "Required value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::TooLong => "Too long",
            ErrorType::NotFound => "Not found",
            ErrorType::TypeInvalid => "Invalid value",
        };
        let mut s = head.to_string();
        if let Some(v) = &self.value {
            s.push_str(": ");
            s.push_str(v);
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.error_body())
        } else {
            write!(f, "{}: {}", self.field, self.error_body())
        }
    }
}

/// Joins several errors as the API server does: one error bare, several as `[e1, e2]`.
pub fn join_errors(errs: &[FieldError]) -> String {
    match errs {
        [one] => one.to_string(),
        many => format!(
            "[{}]",
            many.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Name, label and annotation validators: apimachinery's `util/validation` with its exact messages,
// because kubectl users and scripts match on them.

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_LABEL_MAX: usize = 63;
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MAX: usize = 253;
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_ERR: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const DNS1035_LABEL_MAX: usize = 63;
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX: usize = 63;
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX: usize = 63;
/// The API server's limit on the summed length of all annotation keys and values.
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

fn anchored(fmt: &str) -> Regex {
    Regex::new(&format!("^(?:{fmt})$")).expect("validation regex compiles")
}

static DNS1123_LABEL_RE: LazyLock<Regex> = LazyLock::new(|| anchored(DNS1123_LABEL_FMT));
static DNS1123_SUBDOMAIN_RE: LazyLock<Regex> = LazyLock::new(|| anchored(DNS1123_SUBDOMAIN_FMT));
static DNS1035_LABEL_RE: LazyLock<Regex> = LazyLock::new(|| anchored(DNS1035_LABEL_FMT));
static QUALIFIED_NAME_RE: LazyLock<Regex> = LazyLock::new(|| anchored(QUALIFIED_NAME_FMT));
static LABEL_VALUE_RE: LazyLock<Regex> = LazyLock::new(|| anchored(LABEL_VALUE_FMT));

/// Go's `validation.RegexError`, including its odd `',  or '` separator between examples.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut s = format!("{msg} (e.g. ");
    for (i, ex) in examples.iter().enumerate() {
        if i > 0 {
            s.push_str(" or ");
        }
        s.push_str(&format!("'{ex}', "));
    }
    s.push_str(&format!("regex used for validation is '{fmt}')"));
    s
}

fn max_len_error(max: usize) -> String {
    format!("must be no more than {max} characters")
}

/// DNS-1123 subdomain: most object names (ConfigMap, Secret, Deployment, custom resources…).
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX {
        errs.push(max_len_error(DNS1123_SUBDOMAIN_MAX));
    }
    if !DNS1123_SUBDOMAIN_RE.is_match(value) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_ERR,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// DNS-1123 label: Namespace names.
pub fn is_dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX {
        errs.push(max_len_error(DNS1123_LABEL_MAX));
    }
    if !DNS1123_LABEL_RE.is_match(value) {
        // Every label is a subdomain, so a valid subdomain failing here can only have dots in it.
        if DNS1123_SUBDOMAIN_RE.is_match(value) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_ERR,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// DNS-1035 label: Service names (must start with a letter).
pub fn is_dns1035_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1035_LABEL_MAX {
        errs.push(max_len_error(DNS1035_LABEL_MAX));
    }
    if !DNS1035_LABEL_RE.is_match(value) {
        errs.push(regex_error(
            DNS1035_LABEL_ERR,
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// Qualified name: label and annotation keys, `[dns-subdomain/]name`.
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    is_dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(
                    QUALIFIED_NAME_ERR,
                    QUALIFIED_NAME_FMT,
                    &["MyName", "my.name", "123-abc"]
                )
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > QUALIFIED_NAME_MAX {
        errs.push(format!("name part {}", max_len_error(QUALIFIED_NAME_MAX)));
    }
    if !QUALIFIED_NAME_RE.is_match(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_ERR,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// Label values: empty, or ≤63 characters of the qualified-name alphabet.
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_VALUE_MAX {
        errs.push(max_len_error(LABEL_VALUE_MAX));
    }
    if !LABEL_VALUE_RE.is_match(value) {
        errs.push(regex_error(
            LABEL_VALUE_ERR,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// Path-segment names: what RBAC objects (and a few others) accept, so `kubefed-controller-manager:x` is fine.
pub fn is_path_segment_name(value: &str) -> Vec<String> {
    for illegal in [".", ".."] {
        if value == illegal {
            return vec![format!("may not be '{illegal}'")];
        }
    }
    ["/", "%"]
        .iter()
        .filter(|illegal| value.contains(*illegal))
        .map(|illegal| format!("may not contain '{illegal}'"))
        .collect()
}

/// `metadata.labels` validation. Errors carry the map's path itself (not a per-key path), as the API
/// server reports them; keys are visited in sorted order so the output is stable. Non-string values
/// are the decoder's business and are not reported here.
pub fn validate_labels(labels: &Value, field: &str) -> Vec<FieldError> {
    let Some(map) = labels.as_object() else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let mut errs = Vec::new();
    for k in keys {
        for msg in is_qualified_name(k) {
            errs.push(FieldError::invalid(field, &Value::String(k.clone()), msg));
        }
        if let Some(v) = map[k].as_str() {
            for msg in is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    field,
                    &Value::String(v.to_string()),
                    msg,
                ));
            }
        }
    }
    errs
}

/// `metadata.annotations` validation: keys are qualified names compared case-insensitively, and the
/// total size of keys and values is capped at 256 KiB.
pub fn validate_annotations(annotations: &Value, field: &str) -> Vec<FieldError> {
    let Some(map) = annotations.as_object() else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let mut errs = Vec::new();
    for k in &keys {
        for msg in is_qualified_name(&k.to_lowercase()) {
            errs.push(FieldError::invalid(
                field,
                &Value::String((*k).clone()),
                msg,
            ));
        }
    }
    let total: usize = map
        .iter()
        .map(|(k, v)| k.len() + v.as_str().map_or(0, str::len))
        .sum();
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError::too_long(field, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
    errs
}

/// `metav1.LabelSelector` validation as objects carrying one are validated (Deployment
/// `spec.selector`, a placement's `clusterSelector`): `matchLabels` like labels, each
/// `matchExpressions[i]` checked for operator, value count, key and values. `field` is the
/// selector's own path, e.g. `spec.selector`.
pub fn validate_label_selector(selector: &Value, field: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(obj) = selector.as_object() else {
        return errs;
    };
    if let Some(labels) = obj.get("matchLabels") {
        errs.extend(validate_labels(labels, &format!("{field}.matchLabels")));
    }
    let exprs = obj
        .get("matchExpressions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    for (i, expr) in exprs.iter().enumerate() {
        let path = format!("{field}.matchExpressions[{i}]");
        let values: Vec<&str> = expr
            .get("values")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let operator = expr.get("operator").and_then(Value::as_str).unwrap_or("");
        match operator {
            "In" | "NotIn" => {
                if values.is_empty() {
                    errs.push(FieldError::required(
                        format!("{path}.values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    errs.push(FieldError::forbidden(
                        format!("{path}.values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            other => errs.push(FieldError::invalid(
                format!("{path}.operator"),
                &Value::String(other.to_string()),
                "not a valid selector operator",
            )),
        }
        let key = expr.get("key").and_then(Value::as_str).unwrap_or("");
        for msg in is_qualified_name(key) {
            errs.push(FieldError::invalid(
                format!("{path}.key"),
                &Value::String(key.to_string()),
                msg,
            ));
        }
        for (j, v) in values.iter().enumerate() {
            for msg in is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    format!("{path}.values[{j}]"),
                    &Value::String(v.to_string()),
                    msg,
                ));
            }
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn subdomain_error_quotes_the_go_regex_message() {
        assert_eq!(
            is_dns1123_subdomain("Bad_x"),
            vec!["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string()]
        );
    }

    #[test]
    fn subdomain_accepts_dotted_names_and_rejects_overlong_ones() {
        assert!(is_dns1123_subdomain("a.b-c.d1").is_empty());
        let long = "a".repeat(254);
        assert_eq!(
            is_dns1123_subdomain(&long),
            vec!["must be no more than 253 characters".to_string()]
        );
        assert!(!is_dns1123_subdomain("").is_empty());
        assert!(!is_dns1123_subdomain("a.").is_empty());
    }

    #[test]
    fn label_error_keeps_the_double_space_between_examples() {
        assert_eq!(
            is_dns1123_label("Foo"),
            vec!["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_string()]
        );
    }

    #[test]
    fn label_with_dots_only_says_must_not_contain_dots() {
        assert_eq!(
            is_dns1123_label("a.b"),
            vec!["must not contain dots".to_string()]
        );
    }

    #[test]
    fn overlong_label_reports_length_alone_when_charset_is_fine() {
        assert_eq!(
            is_dns1123_label(&"a".repeat(64)),
            vec!["must be no more than 63 characters".to_string()]
        );
        assert!(is_dns1123_label(&"a".repeat(63)).is_empty());
    }

    #[test]
    fn dns1035_label_requires_a_leading_letter() {
        assert!(is_dns1035_label("web-1").is_empty());
        assert_eq!(
            is_dns1035_label("1web"),
            vec!["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".to_string()]
        );
    }

    #[test]
    fn qualified_name_accepts_prefixed_and_mixed_case_keys() {
        assert!(is_qualified_name("kubefed.io/managed").is_empty());
        assert!(is_qualified_name("My_Key.v1").is_empty());
    }

    #[test]
    fn qualified_name_reports_empty_prefix_and_empty_name() {
        assert_eq!(
            is_qualified_name("/"),
            vec![
                "prefix part must be non-empty".to_string(),
                "name part must be non-empty".to_string(),
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".to_string(),
            ]
        );
    }

    #[test]
    fn qualified_name_prefixes_subdomain_errors() {
        let errs = is_qualified_name("Bad.IO/x");
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("prefix part a lowercase RFC 1123 subdomain"));
    }

    #[test]
    fn qualified_name_with_two_slashes_gets_the_whole_name_message() {
        assert_eq!(
            is_qualified_name("a/b/c"),
            vec!["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".to_string()]
        );
    }

    #[test]
    fn label_value_may_be_empty_but_not_end_in_punctuation() {
        assert!(is_valid_label_value("").is_empty());
        assert!(is_valid_label_value("v1.2_x").is_empty());
        assert_eq!(
            is_valid_label_value("x-"),
            vec!["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string()]
        );
        assert_eq!(is_valid_label_value(&"v".repeat(64)).len(), 1);
    }

    #[test]
    fn path_segment_names_forbid_only_dots_slash_and_percent() {
        assert!(is_path_segment_name("kubefed-controller-manager:c1").is_empty());
        assert_eq!(is_path_segment_name(".."), vec!["may not be '..'"]);
        assert_eq!(
            is_path_segment_name("a/b%c"),
            vec!["may not contain '/'", "may not contain '%'"]
        );
    }

    #[test]
    fn labels_errors_render_like_the_api_server() {
        let errs = validate_labels(
            &json!({"good": "ok", "bad key": "v", "k": "bad value"}),
            "metadata.labels",
        );
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(text.len(), 2);
        assert!(text[0]
            .starts_with("metadata.labels: Invalid value: \"bad key\": name part must consist of"));
        assert!(text[1].starts_with(
            "metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string"
        ));
        assert!(validate_labels(&json!({"a.io/b": ""}), "metadata.labels").is_empty());
    }

    #[test]
    fn annotation_keys_are_checked_case_insensitively() {
        assert!(
            validate_annotations(&json!({"Example.COM/Key": "x"}), "metadata.annotations")
                .is_empty()
        );
        let errs = validate_annotations(&json!({"a b": "x"}), "metadata.annotations");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].value.as_deref(), Some("\"a b\""));
    }

    #[test]
    fn oversized_annotations_are_too_long() {
        let big = "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT);
        let errs = validate_annotations(&json!({ "k": big }), "metadata.annotations");
        assert_eq!(
            errs.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            vec!["metadata.annotations: Too long: may not be more than 262144 bytes"]
        );
    }
    #[test]
    fn label_selector_expressions_are_checked_per_operator() {
        let errs = validate_label_selector(
            &json!({"matchExpressions": [
                {"key": "a", "operator": "In"},
                {"key": "b", "operator": "Exists", "values": ["x"]},
                {"key": "c", "operator": "Equals", "values": ["x"]},
                {"key": "d e", "operator": "NotIn", "values": ["ok", "not ok"]}
            ]}),
            "spec.selector",
        );
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(text[0], "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
        assert_eq!(text[1], "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
        assert_eq!(text[2], "spec.selector.matchExpressions[2].operator: Invalid value: \"Equals\": not a valid selector operator");
        assert!(text[3].starts_with(
            "spec.selector.matchExpressions[3].key: Invalid value: \"d e\": name part must consist"
        ));
        assert!(text[4].starts_with(
            "spec.selector.matchExpressions[3].values[1]: Invalid value: \"not ok\": a valid label"
        ));
        assert_eq!(text.len(), 5);
    }

    #[test]
    fn label_selector_match_labels_use_the_labels_rules() {
        assert!(
            validate_label_selector(&json!({"matchLabels": {"app": "web"}}), "spec.selector")
                .is_empty()
        );
        let errs =
            validate_label_selector(&json!({"matchLabels": {"app": "-web"}}), "spec.selector");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "spec.selector.matchLabels");
    }
}
