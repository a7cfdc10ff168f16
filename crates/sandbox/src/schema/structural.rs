//! The structural-schema engine: a compiled `openAPIV3Schema` that prunes, defaults and validates custom resources
//! the way apiextensions-apiserver does (kube-openapi error texts).

use crate::builtin::prune::prune_object_meta;
use kubefedctl_apimachinery::validation::{render_value, ErrorType, FieldError};
use regex::Regex;
use serde_json::{Map, Value};

/// One node of a structural schema.
#[derive(Debug, Clone, Default)]
struct Node {
    ty: String,
    nullable: bool,
    format: String,
    properties: Vec<(String, Node)>,
    additional: Option<Box<Node>>,
    items: Option<Box<Node>>,
    preserve_unknown: bool,
    embedded: bool,
    int_or_string: bool,
    required: Vec<String>,
    enum_values: Option<Vec<Value>>,
    pattern: Option<(String, Option<Regex>)>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    exclusive_minimum: bool,
    exclusive_maximum: bool,
    min_length: Option<u64>,
    max_length: Option<u64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    min_properties: Option<u64>,
    max_properties: Option<u64>,
    multiple_of: Option<f64>,
    unique_items: bool,
    default: Option<Value>,
    all_of: Vec<Node>,
    any_of: Vec<Node>,
    one_of: Vec<Node>,
    not: Option<Box<Node>>,
}

impl Node {
    fn compile(s: &Value) -> Node {
        let str_of = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let bool_of = |k: &str| s.get(k).and_then(Value::as_bool).unwrap_or(false);
        let num_of = |k: &str| s.get(k).and_then(Value::as_f64);
        let uint_of = |k: &str| s.get(k).and_then(Value::as_u64);
        let list_of = |k: &str| -> Vec<Node> {
            s.get(k)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(Node::compile)
                .collect()
        };
        let additional = match s.get("additionalProperties") {
            Some(Value::Object(_)) => Some(Box::new(Node::compile(&s["additionalProperties"]))),
            // `true` allows any value, with nothing declared below it.
            Some(Value::Bool(true)) => Some(Box::default()),
            _ => None,
        };
        Node {
            ty: str_of("type"),
            nullable: bool_of("nullable"),
            format: str_of("format"),
            properties: s
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), Node::compile(v)))
                .collect(),
            additional,
            items: s
                .get("items")
                .filter(|v| v.is_object())
                .map(|v| Box::new(Node::compile(v))),
            preserve_unknown: bool_of("x-kubernetes-preserve-unknown-fields"),
            embedded: bool_of("x-kubernetes-embedded-resource"),
            int_or_string: bool_of("x-kubernetes-int-or-string"),
            required: s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            enum_values: s.get("enum").and_then(Value::as_array).cloned(),
            pattern: s
                .get("pattern")
                .and_then(Value::as_str)
                .map(|p| (p.to_string(), Regex::new(p).ok())),
            minimum: num_of("minimum"),
            maximum: num_of("maximum"),
            exclusive_minimum: bool_of("exclusiveMinimum"),
            exclusive_maximum: bool_of("exclusiveMaximum"),
            min_length: uint_of("minLength"),
            max_length: uint_of("maxLength"),
            min_items: uint_of("minItems"),
            max_items: uint_of("maxItems"),
            min_properties: uint_of("minProperties"),
            max_properties: uint_of("maxProperties"),
            multiple_of: num_of("multipleOf"),
            unique_items: bool_of("uniqueItems"),
            default: s.get("default").cloned(),
            all_of: list_of("allOf"),
            any_of: list_of("anyOf"),
            one_of: list_of("oneOf"),
            not: s
                .get("not")
                .filter(|v| v.is_object())
                .map(|v| Box::new(Node::compile(v))),
        }
    }

    fn property(&self, k: &str) -> Option<&Node> {
        self.properties.iter().find(|(n, _)| n == k).map(|(_, n)| n)
    }
}

/// A compiled openAPIV3Schema of one CRD version.
#[derive(Debug, Clone)]
pub struct StructuralSchema {
    root: Node,
    /// The root as pruning sees it: an embedded resource (keeps apiVersion, kind and metadata).
    prune_root: Node,
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The JSON type name kube-openapi infers for a value (whole floats count as integers).
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Go's `%v` of a float64 limit: whole numbers print without a fraction.
fn go_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn type_invalid(path: &str, actual: &str, expected: &str) -> FieldError {
    FieldError {
        kind: ErrorType::TypeInvalid,
        field: path.to_string(),
        value: Some(format!("{actual:?}")),
        detail: format!("{path} in body must be of type {expected}: {actual:?}"),
    }
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// kube-openapi's string formats (unknown formats are not checked, as upstream).
fn format_ok(format: &str, s: &str) -> bool {
    use std::sync::LazyLock;
    static DATE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}$").expect("static"));
    static UUID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$")
            .expect("static")
    });
    static MAC: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$").expect("static"));
    static EMAIL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[^@\s]+@[^@\s]+$").expect("static"));
    static DURATION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[-+]?(\d+(\.\d+)?\s*(ns|us|µs|ms|s|m|h|d|w)\s*)+$").expect("static")
    });
    match format {
        "date-time" | "datetime" => s.parse::<jiff::Timestamp>().is_ok(),
        "date" => DATE.is_match(s) && s.parse::<jiff::civil::Date>().is_ok(),
        "uuid" | "uuid3" | "uuid4" | "uuid5" => UUID.is_match(s),
        "ipv4" => s.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => s.parse::<std::net::Ipv6Addr>().is_ok(),
        "cidr" => s.split_once('/').is_some_and(|(ip, bits)| {
            let bits: Option<u8> = bits.parse().ok();
            match ip.parse::<std::net::IpAddr>() {
                Ok(std::net::IpAddr::V4(_)) => bits.is_some_and(|b| b <= 32),
                Ok(std::net::IpAddr::V6(_)) => bits.is_some_and(|b| b <= 128),
                Err(_) => false,
            }
        }),
        "mac" => MAC.is_match(s),
        "email" => EMAIL.is_match(s),
        "hostname" => {
            !s.is_empty()
                && s.len() <= 255
                && s.split('.').all(|l| {
                    !l.is_empty()
                        && l.len() <= 63
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        }
        "byte" => {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.decode(s).is_ok()
        }
        "duration" => DURATION.is_match(s),
        "uri" => s.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }),
        _ => true,
    }
}

impl StructuralSchema {
    pub fn new(open_api_v3_schema: &Value) -> Self {
        let root = Node::compile(open_api_v3_schema);
        let mut prune_root = root.clone();
        prune_root.embedded = true;
        StructuralSchema { root, prune_root }
    }

    /// Drops unknown fields (§10) and returns their dotted paths (`spec.foo`, `spec.items[0].bar`,
    /// `metadata.junk`). The root keeps `apiVersion`/`kind`/`metadata` (metadata pruned to ObjectMeta fields);
    /// `x-kubernetes-preserve-unknown-fields` keeps unknown subtrees (declared properties below are still pruned);
    /// `x-kubernetes-embedded-resource` nodes keep their own apiVersion/kind/metadata.
    pub fn prune(&self, obj: &mut Value) -> Vec<String> {
        let mut dropped = Vec::new();
        prune(obj, Some(&self.prune_root), "", &mut dropped);
        dropped
    }

    /// Applies `default` values for absent (or non-nullable null) properties, recursively into what it inserted,
    /// after dropping non-nullable nulls that have no default, as apiextensions does.
    pub fn apply_defaults(&self, obj: &mut Value) {
        prune_nulls(obj, &self.root);
        apply_defaults(obj, &self.root);
    }

    /// Validates per the schema; error texts as the real server
    /// (`spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`).
    pub fn validate(&self, obj: &Value) -> Vec<FieldError> {
        let mut errs = Vec::new();
        validate(&self.root, obj, "", &mut errs);
        errs
    }

    /// Validates a value against the node at a dotted property path of this schema (for checking `default`s).
    pub(crate) fn validate_value(&self, value: &Value, path: &str) -> Vec<FieldError> {
        let mut errs = Vec::new();
        validate(&self.root, value, path, &mut errs);
        errs
    }
}

fn is_meta_field(k: &str) -> bool {
    matches!(k, "apiVersion" | "kind" | "metadata")
}

fn prune_embedded_meta(m: &mut Map<String, Value>, path: &str, dropped: &mut Vec<String>) {
    if let Some(meta @ Value::Object(_)) = m.get_mut("metadata") {
        dropped.extend(prune_object_meta(meta, &child(path, "metadata")));
    }
}

fn prune(v: &mut Value, node: Option<&Node>, path: &str, dropped: &mut Vec<String>) {
    if let Some(n) = node.filter(|n| n.preserve_unknown) {
        skip_prune(v, n, path, dropped);
        return;
    }
    match v {
        Value::Object(m) => {
            let Some(n) = node else {
                dropped.extend(m.keys().map(|k| child(path, k)));
                m.clear();
                return;
            };
            if n.embedded {
                prune_embedded_meta(m, path, dropped);
            }
            let mut keep = Map::new();
            for (k, mut val) in std::mem::take(m) {
                let p = child(path, &k);
                if n.embedded
                    && ((matches!(k.as_str(), "apiVersion" | "kind") && val.is_string())
                        || (k == "metadata" && val.is_object()))
                {
                    keep.insert(k, val);
                    continue;
                }
                if let Some(prop) = n.property(&k) {
                    prune(&mut val, Some(prop), &p, dropped);
                    keep.insert(k, val);
                } else if let Some(add) = &n.additional {
                    prune(&mut val, Some(add), &p, dropped);
                    keep.insert(k, val);
                } else {
                    dropped.push(p);
                }
            }
            *m = keep;
        }
        Value::Array(items) => {
            let item_node = node.and_then(|n| n.items.as_deref());
            for (i, item) in items.iter_mut().enumerate() {
                prune(item, item_node, &format!("{path}[{i}]"), dropped);
            }
        }
        _ => {}
    }
}

fn skip_prune(v: &mut Value, n: &Node, path: &str, dropped: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if n.embedded {
                prune_embedded_meta(m, path, dropped);
            }
            for (k, val) in m.iter_mut() {
                if n.embedded && is_meta_field(k) {
                    continue;
                }
                let p = child(path, k);
                if let Some(prop) = n.property(k) {
                    prune(val, Some(prop), &p, dropped);
                } else if let Some(add) = &n.additional {
                    prune(val, Some(add), &p, dropped);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_node) = n.items.as_deref() {
                for (i, item) in items.iter_mut().enumerate() {
                    skip_prune(item, item_node, &format!("{path}[{i}]"), dropped);
                }
            }
        }
        _ => {}
    }
}

fn prune_nulls(v: &mut Value, n: &Node) {
    match v {
        Value::Object(m) => {
            m.retain(|k, val| {
                !(val.is_null()
                    && n.property(k)
                        .is_some_and(|p| !p.nullable && p.default.is_none()))
            });
            for (k, val) in m.iter_mut() {
                if let Some(p) = n.property(k).or(n.additional.as_deref()) {
                    prune_nulls(val, p);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_node) = n.items.as_deref() {
                items.iter_mut().for_each(|i| prune_nulls(i, item_node));
            }
        }
        _ => {}
    }
}

fn non_nullable_null(v: &Value, n: &Node) -> bool {
    v.is_null() && !n.nullable
}

fn apply_defaults(v: &mut Value, n: &Node) {
    match v {
        Value::Object(m) => {
            for (k, prop) in &n.properties {
                let Some(d) = &prop.default else { continue };
                if m.get(k).is_none_or(|cur| non_nullable_null(cur, prop)) {
                    m.insert(k.clone(), d.clone());
                }
            }
            for (k, val) in m.iter_mut() {
                if let Some(prop) = n.property(k) {
                    apply_defaults(val, prop);
                } else if let Some(add) = n.additional.as_deref() {
                    if let (true, Some(d)) = (non_nullable_null(val, add), &add.default) {
                        *val = d.clone();
                    }
                    apply_defaults(val, add);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_node) = n.items.as_deref() {
                for item in items.iter_mut() {
                    if let (true, Some(d)) =
                        (non_nullable_null(item, item_node), &item_node.default)
                    {
                        *item = d.clone();
                    }
                    apply_defaults(item, item_node);
                }
            }
        }
        _ => {}
    }
}

fn type_matches(expected: &str, actual: &str) -> bool {
    expected == actual || (expected == "number" && actual == "integer")
}

fn validate(n: &Node, v: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let actual = type_name(v);
    if v.is_null() {
        if !n.nullable && (!n.ty.is_empty() || n.int_or_string) {
            let expected = if n.int_or_string {
                "integer,string"
            } else {
                n.ty.as_str()
            };
            errs.push(type_invalid(path, "null", expected));
        }
        return;
    }
    if !n.ty.is_empty() && !type_matches(&n.ty, actual) {
        errs.push(type_invalid(path, actual, &n.ty));
        return;
    }
    if n.int_or_string && n.ty.is_empty() && actual != "integer" && actual != "string" {
        // Approximation: the server checks int-or-string through an integer/string alternative.
        errs.push(type_invalid(path, actual, "integer,string"));
        return;
    }
    validate_composition(n, v, path, errs);
    let invalid = |detail: String| FieldError {
        kind: ErrorType::Invalid,
        field: path.to_string(),
        value: Some(render_value(v)),
        detail,
    };
    match v {
        Value::String(s) => {
            let len = s.chars().count() as u64;
            if let Some(max) = n.max_length.filter(|m| len > *m) {
                errs.push(FieldError::too_long(path, max as usize));
            }
            if let Some(min) = n.min_length.filter(|m| len < *m) {
                errs.push(invalid(format!(
                    "{path} in body should be at least {min} chars long"
                )));
            }
            if let Some((p, Some(re))) = &n.pattern {
                if !re.is_match(s) {
                    errs.push(invalid(format!("{path} in body should match '{p}'")));
                }
            }
            if !n.format.is_empty() && !format_ok(&n.format, s) {
                errs.push(FieldError {
                    kind: ErrorType::TypeInvalid,
                    field: path.to_string(),
                    value: Some(render_value(v)),
                    detail: format!("{path} in body must be of type {}: {s:?}", n.format),
                });
            }
        }
        Value::Number(num) => {
            let f = num.as_f64().unwrap_or(0.0);
            if let Some(m) = n.multiple_of.filter(|m| *m != 0.0) {
                let q = f / m;
                if (q - q.round()).abs() > 1e-9 {
                    errs.push(invalid(format!(
                        "{path} in body should be a multiple of {}",
                        go_number(m)
                    )));
                }
            }
            if let Some(max) = n.maximum {
                if n.exclusive_maximum && f >= max {
                    errs.push(invalid(format!(
                        "{path} in body should be less than {}",
                        go_number(max)
                    )));
                } else if f > max {
                    errs.push(invalid(format!(
                        "{path} in body should be less than or equal to {}",
                        go_number(max)
                    )));
                }
            }
            if let Some(min) = n.minimum {
                if n.exclusive_minimum && f <= min {
                    errs.push(invalid(format!(
                        "{path} in body should be greater than {}",
                        go_number(min)
                    )));
                } else if f < min {
                    errs.push(invalid(format!(
                        "{path} in body should be greater than or equal to {}",
                        go_number(min)
                    )));
                }
            }
            let range = match n.format.as_str() {
                "int32" => Some((i32::MIN as f64, i32::MAX as f64)),
                "int64" => Some((i64::MIN as f64, i64::MAX as f64)),
                _ => None,
            };
            if let Some((lo, hi)) = range.filter(|(lo, hi)| f < *lo || f > *hi) {
                let _ = (lo, hi);
                // Approximate wording: kube-openapi reports the overflow as a type mismatch.
                errs.push(FieldError {
                    kind: ErrorType::TypeInvalid,
                    field: path.to_string(),
                    value: Some(render_value(v)),
                    detail: format!(
                        "{path} in body must be of type {}: {:?}",
                        n.format,
                        num.to_string()
                    ),
                });
            }
        }
        Value::Array(items) => {
            let len = items.len() as u64;
            if let Some(min) = n.min_items.filter(|m| len < *m) {
                errs.push(FieldError {
                    kind: ErrorType::Invalid,
                    field: path.to_string(),
                    value: Some(len.to_string()),
                    detail: format!("{path} in body should have at least {min} items"),
                });
            }
            if let Some(max) = n.max_items.filter(|m| len > *m) {
                // Go reports `Too many: N: must have at most M items` (FieldValueTooMany), a kind the shared
                // field-error type lacks; same detail under Invalid until it gains one.
                errs.push(FieldError {
                    kind: ErrorType::Invalid,
                    field: path.to_string(),
                    value: Some(len.to_string()),
                    detail: format!("must have at most {max} items"),
                });
            }
            if n.unique_items {
                let dup = items
                    .iter()
                    .enumerate()
                    .any(|(i, a)| items[..i].iter().any(|b| json_eq(a, b)));
                if dup {
                    errs.push(FieldError {
                        kind: ErrorType::Invalid,
                        field: path.to_string(),
                        value: Some("\"\"".into()),
                        detail: format!("{path} in body shouldn't contain duplicates"),
                    });
                }
            }
            if let Some(item_node) = n.items.as_deref() {
                for (i, item) in items.iter().enumerate() {
                    validate(item_node, item, &format!("{path}[{i}]"), errs);
                }
            }
        }
        _ => {}
    }
    if let Some(allowed) = &n.enum_values {
        if !allowed.iter().any(|a| json_eq(a, v)) {
            let supported: Vec<String> = allowed
                .iter()
                .map(|a| a.as_str().map_or_else(|| a.to_string(), str::to_string))
                .collect();
            let refs: Vec<&str> = supported.iter().map(String::as_str).collect();
            errs.push(FieldError::not_supported(path, v, &refs));
        }
    }
    if let Value::Object(m) = v {
        if n.embedded && !path.is_empty() {
            for field in ["apiVersion", "kind"] {
                if m.get(field)
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    errs.push(FieldError::required(
                        child(path, field),
                        "must not be empty",
                    ));
                }
            }
        }
        let count = m.len() as u64;
        if let Some(max) = n.max_properties.filter(|x| count > *x) {
            errs.push(FieldError {
                kind: ErrorType::Invalid,
                field: path.to_string(),
                value: Some(count.to_string()),
                detail: format!("must have at most {max} items"),
            });
        }
        if let Some(min) = n.min_properties.filter(|x| count < *x) {
            errs.push(FieldError {
                kind: ErrorType::Invalid,
                field: path.to_string(),
                value: Some(count.to_string()),
                detail: format!("{path} in body should have at least {min} properties"),
            });
        }
        for r in &n.required {
            if !m.contains_key(r) {
                errs.push(FieldError::required(child(path, r), ""));
            }
        }
        for (k, val) in m {
            if let Some(prop) = n.property(k) {
                validate(prop, val, &child(path, k), errs);
            } else if let Some(add) = n.additional.as_deref() {
                validate(add, val, &child(path, k), errs);
            }
        }
    }
}

/// allOf/anyOf/oneOf/not. Approximate: the composite message is emitted as an Invalid error on the node's
/// path, followed by the first alternative's errors, close to but not byte-identical with kube-openapi.
fn validate_composition(n: &Node, v: &Value, path: &str, errs: &mut Vec<FieldError>) {
    for sub in &n.all_of {
        validate(sub, v, path, errs);
    }
    let composite = |what: &str| FieldError {
        kind: ErrorType::Invalid,
        field: path.to_string(),
        value: Some("\"\"".into()),
        detail: format!("{path} in body {what}"),
    };
    let results = |alts: &[Node]| -> Vec<Vec<FieldError>> {
        alts.iter()
            .map(|a| {
                let mut e = Vec::new();
                validate(a, v, path, &mut e);
                e
            })
            .collect()
    };
    if !n.any_of.is_empty() {
        let r = results(&n.any_of);
        if r.iter().all(|e| !e.is_empty()) {
            errs.push(composite("must validate at least one schema (anyOf)"));
            errs.extend(r.into_iter().next().unwrap_or_default());
        }
    }
    if !n.one_of.is_empty() {
        let r = results(&n.one_of);
        let ok = r.iter().filter(|e| e.is_empty()).count();
        if ok != 1 {
            errs.push(composite("must validate one and only one schema (oneOf)"));
            if ok == 0 {
                errs.extend(r.into_iter().next().unwrap_or_default());
            }
        }
    }
    if let Some(not) = &n.not {
        let mut e = Vec::new();
        validate(not, v, path, &mut e);
        if e.is_empty() {
            errs.push(composite("must not validate the schema (not)"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubefedctl_apimachinery::validation::join_errors;
    use serde_json::json;

    fn schema() -> StructuralSchema {
        StructuralSchema::new(&json!({
            "type": "object",
            "properties": {
                "spec": {"type": "object", "required": ["image"], "properties": {
                    "replicas": {"type": "integer", "minimum": 0, "maximum": 10, "default": 1},
                    "image": {"type": "string", "pattern": "^[a-z]+$", "minLength": 2, "maxLength": 8},
                    "mode": {"type": "string", "enum": ["fast", "slow"]},
                    "port": {"x-kubernetes-int-or-string": true},
                    "ratio": {"type": "number", "exclusiveMaximum": true, "maximum": 1.5},
                    "when": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string"}},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "nested": {"type": "object", "default": {}, "properties": {"a": {"type": "string", "default": "x"}}},
                    "opt": {"type": "string", "nullable": true},
                    "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true,
                        "properties": {"known": {"type": "object", "properties": {"k": {"type": "string"}}}}},
                    "template": {"type": "object", "x-kubernetes-embedded-resource": true,
                        "properties": {"spec": {"type": "object", "properties": {"x": {"type": "string"}}}}},
                    "items": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}
                }},
                "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}}
            }
        }))
    }

    fn text(errs: &[FieldError]) -> String {
        join_errors(errs)
    }

    #[test]
    fn prune_drops_unknown_and_keeps_root_meta_fields() {
        let mut o = json!({"apiVersion": "example.com/v1", "kind": "Foo",
            "metadata": {"name": "f", "junk": 1}, "spec": {"image": "ab", "bogus": 1}, "extra": true});
        let dropped = schema().prune(&mut o);
        assert_eq!(dropped, vec!["metadata.junk", "spec.bogus", "extra"]);
        assert_eq!(
            o,
            json!({"apiVersion": "example.com/v1", "kind": "Foo", "metadata": {"name": "f"}, "spec": {"image": "ab"}})
        );
    }

    #[test]
    fn preserve_unknown_keeps_subtree_but_prunes_declared_children() {
        let mut o =
            json!({"spec": {"free": {"anything": {"deep": 1}, "known": {"k": "v", "drop": 2}}}});
        let dropped = schema().prune(&mut o);
        assert_eq!(dropped, vec!["spec.free.known.drop"]);
        assert_eq!(
            o["spec"]["free"],
            json!({"anything": {"deep": 1}, "known": {"k": "v"}})
        );
    }

    #[test]
    fn embedded_resource_keeps_type_meta_and_prunes_its_metadata() {
        let mut o = json!({"spec": {"template": {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "bad": 1}, "spec": {"x": "1", "y": 2}, "other": 3}}});
        let dropped = schema().prune(&mut o);
        assert_eq!(
            dropped,
            vec![
                "spec.template.metadata.bad",
                "spec.template.spec.y",
                "spec.template.other"
            ]
        );
        assert_eq!(
            o["spec"]["template"],
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"x": "1"}})
        );
    }

    #[test]
    fn additional_properties_is_a_map_and_arrays_prune_items() {
        let mut o =
            json!({"spec": {"labels": {"a": "b", "c": "d"}, "items": [{"name": "x", "zap": 1}]}});
        let dropped = schema().prune(&mut o);
        assert_eq!(dropped, vec!["spec.items[0].zap"]);
        assert_eq!(o["spec"]["labels"], json!({"a": "b", "c": "d"}));
    }

    #[test]
    fn nested_preserve_unknown_inside_array_items() {
        let s = StructuralSchema::new(
            &json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {
            "list": {"type": "array", "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}}}),
        );
        let mut o = json!({"spec": {"list": [{"a": 1}, {"b": {"c": 2}}]}});
        assert!(s.prune(&mut o).is_empty());
        assert_eq!(o["spec"]["list"][1]["b"]["c"], 2);
    }

    #[test]
    fn root_preserve_unknown_keeps_everything() {
        let s = StructuralSchema::new(
            &json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}),
        );
        let mut o = json!({"spec": {"a": 1}, "x": 2, "metadata": {"name": "n"}});
        assert!(s.prune(&mut o).is_empty());
        assert_eq!(o["x"], 2);
    }

    #[test]
    fn defaults_fill_absent_and_recurse_into_inserted_defaults() {
        let mut o = json!({"spec": {"image": "ab"}});
        schema().apply_defaults(&mut o);
        assert_eq!(o["spec"]["replicas"], 1);
        assert_eq!(o["spec"]["nested"], json!({"a": "x"}));
    }

    #[test]
    fn defaults_replace_non_nullable_null_and_drop_null_without_default() {
        let mut o = json!({"spec": {"replicas": null, "mode": null, "opt": null, "image": "ab"}});
        schema().apply_defaults(&mut o);
        assert_eq!(o["spec"]["replicas"], 1);
        assert!(o["spec"].get("mode").is_none());
        assert_eq!(o["spec"]["opt"], Value::Null);
    }

    #[test]
    fn defaults_do_not_override_values() {
        let mut o = json!({"spec": {"replicas": 5, "image": "ab", "nested": {"a": "y"}}});
        schema().apply_defaults(&mut o);
        assert_eq!(o["spec"]["replicas"], 5);
        assert_eq!(o["spec"]["nested"]["a"], "y");
    }

    #[test]
    fn type_error_text_matches_server() {
        let errs = schema().validate(&json!({"spec": {"image": "ab", "replicas": "string"}}));
        assert_eq!(
            text(&errs),
            "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""
        );
        assert_eq!(errs[0].kind.reason(), "FieldValueTypeInvalid");
    }

    #[test]
    fn required_enum_and_bounds() {
        let errs =
            schema().validate(&json!({"spec": {"mode": "medium", "replicas": 11, "ratio": 1.5}}));
        assert_eq!(
            text(&errs),
            "[spec.image: Required value, spec.mode: Unsupported value: \"medium\": supported values: \"fast\", \"slow\", spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10, spec.ratio: Invalid value: 1.5: spec.ratio in body should be less than 1.5]"
        );
    }

    #[test]
    fn string_rules() {
        let errs = schema().validate(&json!({"spec": {"image": "A"}}));
        assert_eq!(
            text(&errs),
            "[spec.image: Invalid value: \"A\": spec.image in body should be at least 2 chars long, spec.image: Invalid value: \"A\": spec.image in body should match '^[a-z]+$']"
        );
        let errs = schema().validate(&json!({"spec": {"image": "abcdefghij"}}));
        assert_eq!(
            text(&errs),
            "spec.image: Too long: may not be more than 8 bytes"
        );
    }

    #[test]
    fn minimum_and_format() {
        let errs = schema()
            .validate(&json!({"spec": {"image": "ab", "replicas": -1, "when": "yesterday"}}));
        assert_eq!(
            text(&errs),
            "[spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0, spec.when: Invalid value: \"yesterday\": spec.when in body must be of type date-time: \"yesterday\"]"
        );
        assert!(schema()
            .validate(&json!({"spec": {"image": "ab", "when": "2026-11-01T10:00:00Z"}}))
            .is_empty());
    }

    #[test]
    fn int_or_string_accepts_both_rejects_bool() {
        assert!(schema()
            .validate(&json!({"spec": {"image": "ab", "port": 80}}))
            .is_empty());
        assert!(schema()
            .validate(&json!({"spec": {"image": "ab", "port": "http"}}))
            .is_empty());
        assert_eq!(
            schema()
                .validate(&json!({"spec": {"image": "ab", "port": true}}))
                .len(),
            1
        );
    }

    #[test]
    fn array_item_errors_use_brackets() {
        let errs =
            schema().validate(&json!({"spec": {"image": "ab", "tags": [1], "items": ["x"]}}));
        assert_eq!(
            text(&errs),
            "[spec.tags[0]: Invalid value: \"integer\": spec.tags[0] in body must be of type string: \"integer\", spec.items[0]: Invalid value: \"string\": spec.items[0] in body must be of type object: \"string\"]"
        );
    }

    #[test]
    fn min_items_and_max_items() {
        let errs = schema().validate(&json!({"spec": {"image": "ab", "tags": []}}));
        assert_eq!(
            text(&errs),
            "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items"
        );
        let errs = schema().validate(&json!({"spec": {"image": "ab", "tags": ["a", "b", "c"]}}));
        assert_eq!(errs[0].detail, "must have at most 2 items");
    }

    #[test]
    fn null_allowed_only_when_nullable() {
        assert!(schema()
            .validate(&json!({"spec": {"image": "ab", "opt": null}}))
            .is_empty());
        assert_eq!(
            text(&schema().validate(&json!({"spec": {"image": null}}))),
            "spec.image: Invalid value: \"null\": spec.image in body must be of type string: \"null\""
        );
    }

    #[test]
    fn whole_floats_count_as_integers() {
        assert!(schema()
            .validate(&json!({"spec": {"image": "ab", "replicas": 2.0}}))
            .is_empty());
        assert_eq!(
            schema()
                .validate(&json!({"spec": {"image": "ab", "replicas": 2.5}}))
                .len(),
            1
        );
    }

    #[test]
    fn additional_properties_values_validated() {
        assert_eq!(
            text(&schema().validate(&json!({"spec": {"image": "ab", "labels": {"a": 1}}}))),
            "spec.labels.a: Invalid value: \"integer\": spec.labels.a in body must be of type string: \"integer\""
        );
    }

    #[test]
    fn embedded_resource_needs_api_version_and_kind() {
        assert_eq!(
            text(&schema().validate(&json!({"spec": {"image": "ab", "template": {"spec": {}}}}))),
            "[spec.template.apiVersion: Required value: must not be empty, spec.template.kind: Required value: must not be empty]"
        );
        assert!(schema()
            .validate(
                &json!({"spec": {"image": "ab", "template": {"apiVersion": "v1", "kind": "Pod"}}})
            )
            .is_empty());
    }

    #[test]
    fn any_of_reports_when_no_alternative_matches() {
        let s = StructuralSchema::new(
            &json!({"type": "object", "properties": {"v": {"type": "string",
            "anyOf": [{"pattern": "^a"}, {"pattern": "^b"}]}}}),
        );
        assert!(s.validate(&json!({"v": "bx"})).is_empty());
        let errs = s.validate(&json!({"v": "c"}));
        assert_eq!(
            errs[0].detail,
            "v in body must validate at least one schema (anyOf)"
        );
    }
}
