//! CustomResourceDefinition (apiextensions.k8s.io/v1) defaulting and validation, structural-schema rules included.

use super::structural::StructuralSchema;
use crate::builtin::names;
use crate::builtin::{validate_object_meta, NameRule};
use kubefedctl_apimachinery::validation::{ErrorType, FieldError};
use serde_json::{json, Map, Value};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    path.iter()
        .try_fold(v, |v, k| v.get(*k))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Defaults a CRD in place: `names.singular` = lowercase kind, `names.listKind` = kind+"List",
/// `conversion.strategy` "None", webhook `conversionReviewVersions`/service port.
pub fn default_crd(crd: &mut Value) {
    let Some(spec) = crd.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(names) = spec.get_mut("names").and_then(Value::as_object_mut) {
        let kind = names
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let empty = |m: &Map<String, Value>, k: &str| {
            m.get(k).and_then(Value::as_str).is_none_or(str::is_empty)
        };
        if empty(names, "singular") && !kind.is_empty() {
            names.insert("singular".into(), s(&kind.to_lowercase()));
        }
        if empty(names, "listKind") && !kind.is_empty() {
            names.insert("listKind".into(), s(&format!("{kind}List")));
        }
    }
    if !spec.get("conversion").is_some_and(Value::is_object) {
        spec.insert("conversion".into(), json!({"strategy": "None"}));
    }
    let conversion = spec
        .get_mut("conversion")
        .and_then(Value::as_object_mut)
        .expect("set above");
    if conversion
        .get("strategy")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        conversion.insert("strategy".into(), s("None"));
    }
    if conversion.get("strategy").and_then(Value::as_str) == Some("Webhook") {
        if let Some(webhook) = conversion.get_mut("webhook").and_then(Value::as_object_mut) {
            if webhook
                .get("conversionReviewVersions")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
            {
                webhook.insert("conversionReviewVersions".into(), json!(["v1beta1"]));
            }
            if let Some(svc) = webhook
                .get_mut("clientConfig")
                .and_then(|c| c.get_mut("service"))
                .and_then(Value::as_object_mut)
            {
                svc.entry("port").or_insert(json!(443));
            }
        }
    }
}

/// Go `%#v`-like rendering of `spec.versions` (approximation: names only).
fn render_versions(versions: &[Value]) -> String {
    format!(
        "[]apiextensions.CustomResourceDefinitionVersion{{{}}}",
        versions
            .iter()
            .map(|v| format!(
                "apiextensions.CustomResourceDefinitionVersion{{Name:{:?}, ...}}",
                str_at(v, &["name"])
            ))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn invalid_raw(
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

#[derive(Clone, Copy, PartialEq)]
enum Level {
    Root,
    Item,
    Field,
}

/// `structuralschema.ValidateStructural` (invariants; completeness of value validations is not checked).
fn validate_structural_invariants(n: &Value, lvl: Level, path: &str, errs: &mut Vec<FieldError>) {
    let ty = n.get("type").and_then(Value::as_str).unwrap_or("");
    let flag = |k: &str| n.get(k).and_then(Value::as_bool).unwrap_or(false);
    let embedded = flag("x-kubernetes-embedded-resource");
    let int_or_string = flag("x-kubernetes-int-or-string");
    let preserve = flag("x-kubernetes-preserve-unknown-fields");
    if ty == "array" && n.get("items").is_none() {
        errs.push(FieldError::required(
            format!("{path}.items"),
            "must be specified",
        ));
    }
    if let Some(items) = n.get("items").filter(|i| i.is_object()) {
        validate_structural_invariants(items, Level::Item, &format!("{path}.items"), errs);
    }
    let props = n.get("properties").and_then(Value::as_object);
    for (k, v) in props.into_iter().flatten() {
        validate_structural_invariants(v, Level::Field, &format!("{path}.properties[{k}]"), errs);
    }
    if let Some(add) = n.get("additionalProperties").filter(|a| a.is_object()) {
        validate_structural_invariants(
            add,
            Level::Field,
            &format!("{path}.additionalProperties"),
            errs,
        );
    }
    if int_or_string && preserve {
        errs.push(FieldError::invalid(
            format!("{path}.x-kubernetes-preserve-unknown-fields"),
            &json!(true),
            "must be false if x-kubernetes-int-or-string is true",
        ));
    }
    if int_or_string && embedded {
        errs.push(FieldError::invalid(
            format!("{path}.x-kubernetes-embedded-resource"),
            &json!(true),
            "must be false if x-kubernetes-int-or-string is true",
        ));
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (i, sub) in n
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            validate_value_validation(sub, &format!("{path}.{key}[{i}]"), int_or_string, errs);
        }
    }
    if let Some(not) = n.get("not") {
        validate_value_validation(not, &format!("{path}.not"), false, errs);
    }
    if embedded && ty != "object" {
        if ty.is_empty() {
            errs.push(FieldError::required(
                format!("{path}.type"),
                "must be object if x-kubernetes-embedded-resource is true",
            ));
        } else {
            errs.push(FieldError::invalid(
                format!("{path}.type"),
                &s(ty),
                "must be object if x-kubernetes-embedded-resource is true",
            ));
        }
    } else if ty.is_empty() && !int_or_string && !preserve {
        let detail = match lvl {
            Level::Root => "must not be empty at the root",
            Level::Item => "must not be empty for specified array items",
            Level::Field => "must not be empty for specified object fields",
        };
        errs.push(FieldError::required(format!("{path}.type"), detail));
    }
    if embedded && n.get("additionalProperties").is_some() {
        errs.push(FieldError::required(
            format!("{path}.additionalProperties"),
            "must not be used if x-kubernetes-embedded-resource is set",
        ));
    }
    if lvl == Level::Root && !ty.is_empty() && ty != "object" {
        errs.push(FieldError::invalid(
            format!("{path}.type"),
            &s(ty),
            "must be object at the root",
        ));
    }
    let check_metadata = lvl == Level::Root || embedded;
    if check_metadata {
        for (field, want) in [
            ("kind", "string"),
            ("apiVersion", "string"),
            ("metadata", "object"),
        ] {
            if let Some(p) = props.and_then(|p| p.get(field)) {
                let t = p.get("type").and_then(Value::as_str).unwrap_or("");
                if t != want {
                    errs.push(FieldError::invalid(
                        format!("{path}.properties[{field}].type"),
                        &s(t),
                        format!("must be {want}"),
                    ));
                }
            }
        }
    }
    if lvl == Level::Root {
        if let Some(meta) = props
            .and_then(|p| p.get("metadata"))
            .and_then(Value::as_object)
        {
            let only_names = |p: &Value| {
                p.as_object()
                    .is_some_and(|m| m.keys().all(|k| k == "name" || k == "generateName"))
            };
            let ok = meta.iter().all(|(k, v)| match k.as_str() {
                "type" | "default" => true,
                "properties" => only_names(v),
                _ => false,
            });
            if !ok {
                errs.push(FieldError::forbidden(
                    format!("{path}.properties[metadata]"),
                    "must not specify anything other than name and generateName, but metadata is implicitly specified",
                ));
            }
        }
    }
    if embedded && !preserve && props.is_none_or(Map::is_empty) {
        errs.push(FieldError::required(
            format!("{path}.properties"),
            "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields",
        ));
    }
}

/// Value validations (inside allOf/anyOf/oneOf/not) may not declare structure.
fn validate_value_validation(
    n: &Value,
    path: &str,
    int_or_string: bool,
    errs: &mut Vec<FieldError>,
) {
    let ty = n.get("type").and_then(Value::as_str).unwrap_or("");
    // The int-or-string idiom `anyOf: [{type: integer}, {type: string}]` is the one allowed exception.
    let allowed_type = int_or_string && (ty == "integer" || ty == "string");
    if !ty.is_empty() && !allowed_type {
        errs.push(FieldError::forbidden(
            format!("{path}.type"),
            "must be empty to be structural",
        ));
    }
    for key in [
        "additionalProperties",
        "default",
        "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-embedded-resource",
        "x-kubernetes-int-or-string",
    ] {
        if n.get(key).is_some() {
            let detail = if key.starts_with("x-kubernetes-") {
                "must be false to be structural"
            } else {
                "must be undefined to be structural"
            };
            errs.push(FieldError::forbidden(format!("{path}.{key}"), detail));
        }
    }
    if n.get("nullable").and_then(Value::as_bool) == Some(true) {
        errs.push(FieldError::forbidden(
            format!("{path}.nullable"),
            "must be false to be structural",
        ));
    }
}

/// Schema rules checked before structure (`validateCustomResourceDefinitionOpenAPISchema`).
fn validate_schema_props(n: &Value, path: &str, errs: &mut Vec<FieldError>) {
    if n.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
        errs.push(FieldError::forbidden(
            format!("{path}.uniqueItems"),
            "uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
        ));
    }
    if n.get("x-kubernetes-preserve-unknown-fields")
        .and_then(Value::as_bool)
        == Some(false)
    {
        errs.push(FieldError::invalid(
            format!("{path}.x-kubernetes-preserve-unknown-fields"),
            &json!(false),
            "must be true or undefined",
        ));
    }
    match n.get("additionalProperties") {
        Some(Value::Bool(false)) => errs.push(FieldError::forbidden(
            format!("{path}.additionalProperties"),
            "additionalProperties cannot be set to false",
        )),
        Some(_) if n.get("properties").is_some() => errs.push(FieldError::forbidden(
            format!("{path}.additionalProperties"),
            "additionalProperties and properties are mutual exclusive",
        )),
        _ => {}
    }
    if let Some(p) = n.get("pattern").and_then(Value::as_str) {
        if let Err(e) = regex::Regex::new(p) {
            // The reason after "isn't: " is the Rust regex error, not Go's regexp error.
            errs.push(FieldError::invalid(
                format!("{path}.pattern"),
                &s(p),
                format!("must be a valid regular expression, but isn't: {e}"),
            ));
        }
    }
    if let Some(lt) = n.get("x-kubernetes-list-type").and_then(Value::as_str) {
        if !matches!(lt, "atomic" | "set" | "map") {
            errs.push(FieldError::not_supported(
                format!("{path}.x-kubernetes-list-type"),
                &s(lt),
                &["atomic", "set", "map"],
            ));
        } else if lt == "map"
            && n.get("x-kubernetes-list-map-keys")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
        {
            errs.push(FieldError::required(
                format!("{path}.x-kubernetes-list-map-keys"),
                "must not be empty if x-kubernetes-list-type is map",
            ));
        }
    }
    if let Some(props) = n.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            validate_schema_props(v, &format!("{path}.properties[{k}]"), errs);
        }
    }
    if let Some(items) = n.get("items").filter(|i| i.is_object()) {
        validate_schema_props(items, &format!("{path}.items"), errs);
    }
    if let Some(add) = n.get("additionalProperties").filter(|a| a.is_object()) {
        validate_schema_props(add, &format!("{path}.additionalProperties"), errs);
    }
}

/// Checks every `default` against its own subschema (the server rejects defaults that would not validate).
fn validate_defaults(n: &Value, schema_path: &str, errs: &mut Vec<FieldError>) {
    if let Some(d) = n.get("default") {
        let sub = StructuralSchema::new(n);
        for mut e in sub.validate_value(d, "") {
            e.field = if e.field.is_empty() {
                format!("{schema_path}.default")
            } else {
                format!("{schema_path}.default.{}", e.field)
            };
            errs.push(e);
        }
    }
    if let Some(props) = n.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            validate_defaults(v, &format!("{schema_path}.properties[{k}]"), errs);
        }
    }
    if let Some(items) = n.get("items").filter(|i| i.is_object()) {
        validate_defaults(items, &format!("{schema_path}.items"), errs);
    }
}

fn validate_version_schema(version: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let schema_path = format!("{path}.schema.openAPIV3Schema");
    let Some(schema) = version
        .get("schema")
        .and_then(|s| s.get("openAPIV3Schema"))
        .filter(|s| s.is_object())
    else {
        errs.push(FieldError::required(schema_path, "schemas are required"));
        return;
    };
    let before = errs.len();
    validate_schema_props(schema, &schema_path, errs);
    let mut structural = Vec::new();
    validate_structural_invariants(schema, Level::Root, &schema_path, &mut structural);
    // Go sorts structural errors by their text so repeated calls agree.
    structural.sort_by_key(|e| e.to_string());
    errs.extend(structural);
    if errs.len() == before {
        validate_defaults(schema, &schema_path, errs);
    }
}

fn validate_subresources(version: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let Some(scale) = version.get("subresources").and_then(|s| s.get("scale")) else {
        return;
    };
    let sp = format!("{path}.subresources.scale");
    for (field, prefix, required) in [
        ("specReplicasPath", ".spec.", true),
        ("statusReplicasPath", ".status.", true),
        ("labelSelectorPath", "", false),
    ] {
        let v = str_at(scale, &[field]);
        if v.is_empty() {
            if required {
                errs.push(FieldError::required(format!("{sp}.{field}"), ""));
            }
            continue;
        }
        let ok = if prefix.is_empty() {
            v.starts_with(".spec.") || v.starts_with(".status.")
        } else {
            v.starts_with(prefix)
        };
        if !ok {
            let detail = match field {
                "specReplicasPath" => "should be a json path under .spec",
                "statusReplicasPath" => "should be a json path under .status",
                _ => "should be a json path under either .spec or .status",
            };
            errs.push(FieldError::invalid(format!("{sp}.{field}"), &s(v), detail));
        }
    }
}

fn validate_names(names_v: &Value, errs: &mut Vec<FieldError>) {
    let p = "spec.names";
    let dns = |v: &str| names::is_dns1035_label(v).join(",");
    for field in ["plural", "singular"] {
        let v = str_at(names_v, &[field]);
        if !v.is_empty() && !dns(v).is_empty() {
            errs.push(FieldError::invalid(format!("{p}.{field}"), &s(v), dns(v)));
        }
    }
    for field in ["kind", "listKind"] {
        let v = str_at(names_v, &[field]);
        let e = dns(&v.to_lowercase());
        if !v.is_empty() && !e.is_empty() {
            errs.push(FieldError::invalid(
                format!("{p}.{field}"),
                &s(v),
                format!("may have mixed case, but should otherwise match: {e}"),
            ));
        }
    }
    for (i, sn) in names_v
        .get("shortNames")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let sn = sn.as_str().unwrap_or("");
        if !dns(sn).is_empty() {
            errs.push(FieldError::invalid(
                format!("{p}.shortNames[{i}]"),
                &s(sn),
                dns(sn),
            ));
        }
    }
    let kind = str_at(names_v, &["kind"]);
    if !kind.is_empty() && kind == str_at(names_v, &["listKind"]) {
        errs.push(FieldError::invalid(
            format!("{p}.listKind"),
            &s(kind),
            "kind and listKind may not be the same",
        ));
    }
    for (i, c) in names_v
        .get("categories")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let c = c.as_str().unwrap_or("");
        if !dns(c).is_empty() {
            errs.push(FieldError::invalid(
                format!("{p}.categories[{i}]"),
                &s(c),
                dns(c),
            ));
        }
    }
    for field in ["plural", "singular", "kind", "listKind"] {
        if str_at(names_v, &[field]).is_empty() {
            errs.push(FieldError::required(format!("{p}.{field}"), ""));
        }
    }
}

fn is_established(crd: &Value) -> bool {
    crd.get("status")
        .and_then(|s| s.get("conditions"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| str_at(c, &["type"]) == "Established" && str_at(c, &["status"]) == "True")
}

/// Validates a CRD (apiextensions.k8s.io/v1) per §10; `old` for updates (group and plural immutable, scope and
/// kind immutable once established, stored versions must stay in `spec.versions`).
pub fn validate_crd(crd: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let empty = Value::Object(Map::new());
    let meta = crd.get("metadata").unwrap_or(&empty);
    let spec = crd.get("spec").unwrap_or(&empty);
    let group = str_at(spec, &["group"]);
    let plural = str_at(spec, &["names", "plural"]);

    let mut errs = validate_object_meta(meta, NameRule::Dns1123Subdomain, false);
    let name = str_at(meta, &["name"]);
    if !name.is_empty() && name != format!("{plural}.{group}") {
        let at = errs
            .iter()
            .rposition(|e| e.field == "metadata.name" || e.field == "metadata.generateName")
            .map_or(0, |i| i + 1);
        errs.insert(
            at,
            FieldError::invalid(
                "metadata.name",
                &s(name),
                "must be spec.names.plural+\".\"+spec.group",
            ),
        );
    }

    if group.is_empty() {
        errs.push(FieldError::required("spec.group", ""));
    } else if !names::is_dns1123_subdomain(group).is_empty() {
        errs.push(FieldError::invalid(
            "spec.group",
            &s(group),
            names::is_dns1123_subdomain(group).join(","),
        ));
    } else if !group.contains('.') {
        errs.push(FieldError::invalid(
            "spec.group",
            &s(group),
            "should be a domain with at least one dot",
        ));
    }

    match str_at(spec, &["scope"]) {
        "" => errs.push(FieldError::required("spec.scope", "")),
        "Cluster" | "Namespaced" => {}
        other => errs.push(FieldError::not_supported(
            "spec.scope",
            &s(other),
            &["Cluster", "Namespaced"],
        )),
    }

    let versions: Vec<Value> = spec
        .get("versions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut storage = 0;
    let mut seen: Vec<&str> = Vec::new();
    let mut unique = true;
    for (i, v) in versions.iter().enumerate() {
        let vp = format!("spec.versions[{i}]");
        let vname = str_at(v, &["name"]);
        if v.get("storage").and_then(Value::as_bool) == Some(true) {
            storage += 1;
        }
        if seen.contains(&vname) {
            unique = false;
        } else {
            seen.push(vname);
        }
        let e = names::is_dns1035_label(vname);
        if !e.is_empty() {
            errs.push(FieldError::invalid(
                format!("{vp}.name"),
                &s(vname),
                e.join(","),
            ));
        }
        validate_version_schema(v, &vp, &mut errs);
        validate_subresources(v, &vp, &mut errs);
    }
    if !unique {
        errs.push(invalid_raw(
            "spec.versions",
            render_versions(&versions),
            "must contain unique version names",
        ));
    }
    if storage != 1 {
        errs.push(invalid_raw(
            "spec.versions",
            render_versions(&versions),
            "must have exactly one version marked as storage version",
        ));
    }

    validate_names(spec.get("names").unwrap_or(&empty), &mut errs);

    if spec.get("preserveUnknownFields").and_then(Value::as_bool) == Some(true) {
        errs.push(FieldError::invalid(
            "spec.preserveUnknownFields",
            &json!(true),
            "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead",
        ));
    }

    match str_at(spec, &["conversion", "strategy"]) {
        "" | "None" => {}
        "Webhook" => {
            if spec
                .get("conversion")
                .and_then(|c| c.get("webhook"))
                .is_none()
            {
                errs.push(FieldError::required(
                    "spec.conversion.webhook",
                    "required when strategy is set to Webhook",
                ));
            }
        }
        other => errs.push(FieldError::not_supported(
            "spec.conversion.strategy",
            &s(other),
            &["None", "Webhook"],
        )),
    }

    for (i, sv) in crd
        .get("status")
        .and_then(|s| s.get("storedVersions"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let sv = sv.as_str().unwrap_or("");
        if !seen.contains(&sv) {
            errs.push(FieldError::invalid(
                format!("status.storedVersions[{i}]"),
                &s(sv),
                "must appear in spec.versions",
            ));
        }
    }

    if let Some(old) = old {
        let old_spec = old.get("spec").unwrap_or(&empty);
        let immutable = |errs: &mut Vec<FieldError>, path: &[&str], field: &str| {
            let (new_v, old_v) = (str_at(spec, path), str_at(old_spec, path));
            if new_v != old_v {
                errs.push(FieldError::invalid(field, &s(new_v), "field is immutable"));
            }
        };
        if is_established(old) {
            immutable(&mut errs, &["scope"], "spec.scope");
            immutable(&mut errs, &["names", "kind"], "spec.names.kind");
        }
        immutable(&mut errs, &["group"], "spec.group");
        immutable(&mut errs, &["names", "plural"], "spec.names.plural");
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubefedctl_apimachinery::validation::join_errors;

    fn crd() -> Value {
        let mut c = json!({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "foos.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"plural": "foos", "kind": "Foo", "shortNames": ["fo"]},
                "versions": [{"name": "v1", "served": true, "storage": true,
                    "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                        "spec": {"type": "object", "properties": {"replicas": {"type": "integer", "default": 1}}},
                        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}}]}
        });
        default_crd(&mut c);
        c
    }

    fn text(errs: &[FieldError]) -> String {
        join_errors(errs)
    }

    #[test]
    fn defaults_singular_list_kind_and_conversion() {
        let c = crd();
        assert_eq!(c["spec"]["names"]["singular"], "foo");
        assert_eq!(c["spec"]["names"]["listKind"], "FooList");
        assert_eq!(c["spec"]["conversion"], json!({"strategy": "None"}));
    }

    #[test]
    fn default_crd_keeps_explicit_names() {
        let mut c = crd();
        c["spec"]["names"]["singular"] = json!("thefoo");
        default_crd(&mut c);
        assert_eq!(c["spec"]["names"]["singular"], "thefoo");
    }

    #[test]
    fn valid_crd_has_no_errors() {
        assert_eq!(validate_crd(&crd(), None), vec![]);
    }

    #[test]
    fn name_must_be_plural_dot_group() {
        let mut c = crd();
        c["metadata"]["name"] = json!("x");
        assert_eq!(
            text(&validate_crd(&c, None)),
            "metadata.name: Invalid value: \"x\": must be spec.names.plural+\".\"+spec.group"
        );
    }

    #[test]
    fn group_needs_a_dot() {
        let mut c = crd();
        c["spec"]["group"] = json!("example");
        c["metadata"]["name"] = json!("foos.example");
        assert_eq!(
            text(&validate_crd(&c, None)),
            "spec.group: Invalid value: \"example\": should be a domain with at least one dot"
        );
    }

    #[test]
    fn scope_must_be_supported() {
        let mut c = crd();
        c["spec"]["scope"] = json!("Global");
        assert_eq!(
            text(&validate_crd(&c, None)),
            "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\""
        );
    }

    #[test]
    fn exactly_one_storage_version() {
        let mut c = crd();
        let mut v2 = c["spec"]["versions"][0].clone();
        v2["name"] = json!("v2");
        c["spec"]["versions"].as_array_mut().unwrap().push(v2);
        let errs = validate_crd(&c, None);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "spec.versions");
        assert_eq!(
            errs[0].detail,
            "must have exactly one version marked as storage version"
        );
    }

    #[test]
    fn schema_required() {
        let mut c = crd();
        c["spec"]["versions"][0]
            .as_object_mut()
            .unwrap()
            .remove("schema");
        assert_eq!(
            text(&validate_crd(&c, None)),
            "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"
        );
    }

    #[test]
    fn field_without_type_is_not_structural() {
        let mut c = crd();
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"] =
            json!({"properties": {"x": {"type": "string"}}});
        assert_eq!(
            text(&validate_crd(&c, None)),
            "spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields"
        );
    }

    #[test]
    fn field_preserving_unknown_fields_needs_no_type() {
        let mut c = crd();
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"] = json!({
            "type": "object",
            "properties": {"value": {"x-kubernetes-preserve-unknown-fields": true}}
        });
        assert_eq!(text(&validate_crd(&c, None)), "[]");
    }

    #[test]
    fn root_must_be_object_and_arrays_need_items() {
        let mut c = crd();
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"] = json!({"type": "string"});
        assert_eq!(
            text(&validate_crd(&c, None)),
            "spec.versions[0].schema.openAPIV3Schema.type: Invalid value: \"string\": must be object at the root"
        );
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"] =
            json!({"type": "object", "properties": {"l": {"type": "array"}}});
        assert_eq!(
            text(&validate_crd(&c, None)),
            "spec.versions[0].schema.openAPIV3Schema.properties[l].items: Required value: must be specified"
        );
    }

    #[test]
    fn root_type_missing() {
        let mut c = crd();
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"] =
            json!({"properties": {"spec": {"type": "object"}}});
        assert_eq!(
            text(&validate_crd(&c, None)),
            "spec.versions[0].schema.openAPIV3Schema.type: Required value: must not be empty at the root"
        );
    }

    #[test]
    fn int_or_string_and_preserve_unknown_need_no_type() {
        let mut c = crd();
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"] = json!({
            "port": {"x-kubernetes-int-or-string": true},
            "any": {"x-kubernetes-preserve-unknown-fields": true, "type": "object"},
            "tpl": {"x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true, "type": "object"}
        });
        assert_eq!(validate_crd(&c, None), vec![]);
    }

    #[test]
    fn metadata_schema_limited_to_name() {
        let mut c = crd();
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["metadata"] =
            json!({"type": "object", "properties": {"labels": {"type": "object"}}});
        assert_eq!(
            text(&validate_crd(&c, None)),
            "spec.versions[0].schema.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified"
        );
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["metadata"] =
            json!({"type": "object", "properties": {"name": {"type": "string", "maxLength": 20}}});
        assert_eq!(validate_crd(&c, None), vec![]);
    }

    #[test]
    fn names_must_be_lowercase_dns_labels_and_kind_required() {
        let mut c = crd();
        c["spec"]["names"]["plural"] = json!("Foos");
        c["metadata"]["name"] = json!("Foos.example.com");
        c["spec"]["names"]["kind"] = json!("");
        let errs = validate_crd(&c, None);
        let t = text(&errs);
        assert!(
            t.contains(
                "spec.names.plural: Invalid value: \"Foos\": a DNS-1035 label must consist of"
            ),
            "{t}"
        );
        assert!(t.contains("spec.names.kind: Required value"), "{t}");
    }

    #[test]
    fn unique_items_and_false_preserve_rejected() {
        let mut c = crd();
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
            ["l"] = json!({"type": "array", "uniqueItems": true, "items": {"type": "string"}});
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
            ["x-kubernetes-preserve-unknown-fields"] = json!(false);
        assert_eq!(
            text(&validate_crd(&c, None)),
            "[spec.versions[0].schema.openAPIV3Schema.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined, spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic]"
        );
    }

    #[test]
    fn bad_default_rejected() {
        let mut c = crd();
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
            ["replicas"]["default"] = json!("one");
        assert_eq!(
            text(&validate_crd(&c, None)),
            "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[replicas].default: Invalid value: \"string\":  in body must be of type integer: \"string\""
        );
    }

    #[test]
    fn scope_immutable_once_established_and_group_always() {
        let mut old = crd();
        old["status"] = json!({"conditions": [{"type": "Established", "status": "True"}], "storedVersions": ["v1"]});
        let mut new = old.clone();
        new["spec"]["scope"] = json!("Cluster");
        assert_eq!(
            text(&validate_crd(&new, Some(&old))),
            "spec.scope: Invalid value: \"Cluster\": field is immutable"
        );
    }

    #[test]
    fn stored_version_must_remain() {
        let mut c = crd();
        c["status"] = json!({"storedVersions": ["v1beta1", "v1"]});
        assert_eq!(
            text(&validate_crd(&c, None)),
            "status.storedVersions[0]: Invalid value: \"v1beta1\": must appear in spec.versions"
        );
    }

    #[test]
    fn scale_paths_must_be_under_spec_and_status() {
        let mut c = crd();
        c["spec"]["versions"][0]["subresources"] = json!({"scale": {"specReplicasPath": ".replicas", "statusReplicasPath": ".status.replicas"}});
        assert_eq!(
            text(&validate_crd(&c, None)),
            "spec.versions[0].subresources.scale.specReplicasPath: Invalid value: \".replicas\": should be a json path under .spec"
        );
    }
}
