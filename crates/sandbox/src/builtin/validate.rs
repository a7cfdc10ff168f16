//! Validation of built-in kinds on create and update: per-kind rules and immutable fields, with the server's texts.

use super::meta::{
    go_string_map, go_string_slice, invalid_raw, str_at, validate_kube_finalizers, validate_labels,
};
use super::{is_namespaced, name_rule, names, validate_object_meta};
use kubefedctl_apimachinery::validation::{ErrorType, FieldError};
use serde_json::{Map, Value};

const IMMUTABLE: &str = "field is immutable";
const IMMUTABLE_WHEN_SET: &str = "field is immutable when `immutable` is set";
const MAX_SECRET_SIZE: usize = 1024 * 1024;

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn empty_map() -> &'static Value {
    static EMPTY: std::sync::LazyLock<Value> =
        std::sync::LazyLock::new(|| Value::Object(Map::new()));
    &EMPTY
}

fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter()
        .try_fold(v, |v, k| v.get(*k))
        .filter(|v| !v.is_null())
}

/// Go's semantic equality treats absent, null and empty maps/lists alike.
fn semantic_eq(a: Option<&Value>, b: Option<&Value>) -> bool {
    fn norm(v: Option<&Value>) -> Option<&Value> {
        match v {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) if m.is_empty() => None,
            Some(Value::Array(a)) if a.is_empty() => None,
            other => other,
        }
    }
    match (norm(a), norm(b)) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            x.len() == y.len() && x.iter().all(|(k, v)| semantic_eq(Some(v), y.get(k)))
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| semantic_eq(Some(p), Some(q)))
        }
        (x, y) => x == y,
    }
}

/// A `*metav1.LabelSelector` field error value as the API server prints it: its JSON (empty fields left out),
/// `null` when absent.
fn go_label_selector(sel: Option<&Value>) -> String {
    let Some(sel) = sel.filter(|v| v.is_object()) else {
        return "null".to_string();
    };
    let mut out = serde_json::Map::new();
    if let Some(m) = sel
        .get("matchLabels")
        .filter(|m| m.as_object().is_some_and(|m| !m.is_empty()))
    {
        out.insert(
            "matchLabels".into(),
            serde_json::from_str(&go_string_map(Some(m))).unwrap_or_default(),
        );
    }
    if let Some(items) = sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
    {
        let exprs: Vec<Value> = items
            .iter()
            .map(|r| {
                let mut e = serde_json::Map::new();
                e.insert("key".into(), s(str_at(r, "key")));
                e.insert("operator".into(), s(str_at(r, "operator")));
                if let Some(v) = r
                    .get("values")
                    .filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
                {
                    e.insert("values".into(), v.clone());
                }
                Value::Object(e)
            })
            .collect();
        out.insert("matchExpressions".into(), Value::Array(exprs));
    }
    Value::Object(out).to_string()
}

fn not_supported(field: impl Into<String>, value: &str, supported: &[&str]) -> FieldError {
    FieldError::not_supported(field, &s(value), supported)
}

/// Structured label selector validity (`ValidateLabelSelector`).
fn validate_label_selector(sel: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = validate_labels(sel.get("matchLabels"), &format!("{path}.matchLabels"));
    for (i, r) in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let p = format!("{path}.matchExpressions[{i}]");
        let op = str_at(r, "operator");
        let values = r
            .get("values")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        match op {
            "In" | "NotIn" if values == 0 => errs.push(FieldError::required(
                format!("{p}.values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if values > 0 => errs.push(FieldError::forbidden(
                format!("{p}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errs.push(FieldError::invalid(
                format!("{p}.operator"),
                &s(other),
                "not a valid selector operator",
            )),
        }
        let key = str_at(r, "key");
        for msg in names::is_qualified_name(key) {
            errs.push(FieldError::invalid(format!("{p}.key"), &s(key), msg));
        }
    }
    errs
}

/// Whether a structured selector (matchLabels + matchExpressions) selects `labels`.
fn selector_matches(sel: &Value, labels: &Value) -> bool {
    let get = |k: &str| labels.get(k).and_then(Value::as_str);
    let labels_ok = sel
        .get("matchLabels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .all(|(k, v)| get(k) == v.as_str());
    let exprs_ok = sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .all(|r| {
            let actual = get(str_at(r, "key"));
            let values: Vec<&str> = r
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            match str_at(r, "operator") {
                "In" => actual.is_some_and(|a| values.contains(&a)),
                "NotIn" => actual.is_none_or(|a| !values.contains(&a)),
                "Exists" => actual.is_some(),
                "DoesNotExist" => actual.is_none(),
                _ => false,
            }
        });
    labels_ok && exprs_ok
}

fn selector_is_empty(sel: &Value) -> bool {
    let n = |k: &str| {
        sel.get(k)
            .map(|v| v.as_object().map_or(0, Map::len) + v.as_array().map_or(0, Vec::len))
            .unwrap_or(0)
    };
    n("matchLabels") + n("matchExpressions") == 0
}

fn validate_container_ports(c: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let mut seen = Vec::new();
    for (i, p) in c
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let pp = format!("{path}.ports[{i}]");
        let name = str_at(p, "name");
        if !name.is_empty() {
            let msgs = names::is_valid_port_name(name);
            if !msgs.is_empty() {
                for msg in msgs {
                    errs.push(FieldError::invalid(format!("{pp}.name"), &s(name), msg));
                }
            } else if seen.contains(&name) {
                errs.push(FieldError::duplicate(format!("{pp}.name"), &s(name)));
            } else {
                seen.push(name);
            }
        }
        match p.get("containerPort").and_then(Value::as_i64).unwrap_or(0) {
            0 => errs.push(FieldError::required(format!("{pp}.containerPort"), "")),
            n => {
                for msg in names::is_valid_port_num(n) {
                    errs.push(FieldError::invalid(
                        format!("{pp}.containerPort"),
                        &Value::from(n),
                        msg,
                    ));
                }
            }
        }
        if let Some(h) = p
            .get("hostPort")
            .and_then(Value::as_i64)
            .filter(|h| *h != 0)
        {
            for msg in names::is_valid_port_num(h) {
                errs.push(FieldError::invalid(
                    format!("{pp}.hostPort"),
                    &Value::from(h),
                    msg,
                ));
            }
        }
        check_protocol(errs, &pp, p);
    }
}

fn validate_containers(
    list: Option<&Value>,
    path: &str,
    required: bool,
    seen: &mut Vec<String>,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let items = list
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if required && items.is_empty() {
        errs.push(FieldError::required(path, ""));
    }
    for (i, c) in items.iter().enumerate() {
        let cp = format!("{path}[{i}]");
        let name = str_at(c, "name");
        if name.is_empty() {
            errs.push(FieldError::required(format!("{cp}.name"), ""));
        } else {
            for msg in names::is_dns1123_label(name) {
                errs.push(FieldError::invalid(format!("{cp}.name"), &s(name), msg));
            }
        }
        if str_at(c, "image").is_empty() {
            errs.push(FieldError::required(format!("{cp}.image"), ""));
        }
        validate_container_ports(c, &cp, &mut errs);
        match str_at(c, "imagePullPolicy") {
            "" => errs.push(FieldError::required(format!("{cp}.imagePullPolicy"), "")),
            "Always" | "IfNotPresent" | "Never" => {}
            other => errs.push(not_supported(
                format!("{cp}.imagePullPolicy"),
                other,
                &["Always", "IfNotPresent", "Never"],
            )),
        }
        match str_at(c, "terminationMessagePolicy") {
            "File" | "FallbackToLogsOnError" => {}
            "" => errs.push(FieldError::required(
                format!("{cp}.terminationMessagePolicy"),
                "must be 'File' or 'FallbackToLogsOnError'",
            )),
            other => errs.push(not_supported(
                format!("{cp}.terminationMessagePolicy"),
                other,
                &["File", "FallbackToLogsOnError"],
            )),
        }
        if !name.is_empty() {
            if seen.iter().any(|n| n == name) {
                errs.push(FieldError::duplicate(format!("{cp}.name"), &s(name)));
            } else {
                seen.push(name.to_string());
            }
        }
    }
    errs
}

/// `ValidatePodSpec` (the parts a federation tool's objects exercise).
fn validate_pod_spec(spec: &Value, path: &str) -> Vec<FieldError> {
    let mut seen = Vec::new();
    let mut errs = validate_containers(
        spec.get("containers"),
        &format!("{path}.containers"),
        true,
        &mut seen,
    );
    errs.extend(validate_containers(
        spec.get("initContainers"),
        &format!("{path}.initContainers"),
        false,
        &mut seen,
    ));
    match str_at(spec, "restartPolicy") {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.push(FieldError::required(format!("{path}.restartPolicy"), "")),
        other => errs.push(not_supported(
            format!("{path}.restartPolicy"),
            other,
            &["Always", "OnFailure", "Never"],
        )),
    }
    match str_at(spec, "dnsPolicy") {
        "ClusterFirst" | "ClusterFirstWithHostNet" | "Default" | "None" => {}
        "" => errs.push(FieldError::required(format!("{path}.dnsPolicy"), "")),
        other => errs.push(not_supported(
            format!("{path}.dnsPolicy"),
            other,
            &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
        )),
    }
    errs
}

/// `ValidatePodTemplateSpec`: template metadata labels/annotations, then the pod spec.
fn validate_pod_template(template: &Value, path: &str) -> Vec<FieldError> {
    let meta = template.get("metadata").unwrap_or(empty_map());
    // Go's ValidatePodTemplateSpec names them {path}.labels and {path}.annotations (no ".metadata").
    let mut errs = validate_labels(meta.get("labels"), &format!("{path}.labels"));
    errs.extend(super::meta::validate_annotations(
        meta.get("annotations"),
        &format!("{path}.annotations"),
    ));
    errs.extend(validate_pod_spec(
        template.get("spec").unwrap_or(empty_map()),
        &format!("{path}.spec"),
    ));
    errs
}

fn validate_nonnegative(v: Option<&Value>, path: &str, errs: &mut Vec<FieldError>) {
    if let Some(n) = v.and_then(Value::as_i64).filter(|n| *n < 0) {
        errs.push(FieldError::invalid(
            path,
            &Value::from(n),
            "must be greater than or equal to 0",
        ));
    }
}

/// Selector + template rules shared by Deployment, ReplicaSet, StatefulSet and DaemonSet.
fn validate_workload_spec(kind: &str, spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    validate_nonnegative(spec.get("replicas"), "spec.replicas", &mut errs);
    validate_nonnegative(
        spec.get("minReadySeconds"),
        "spec.minReadySeconds",
        &mut errs,
    );
    let selector = spec.get("selector").filter(|v| v.is_object());
    match selector {
        None => errs.push(FieldError::required("spec.selector", "")),
        Some(sel) => {
            errs.extend(validate_label_selector(sel, "spec.selector"));
            if selector_is_empty(sel) {
                // ReplicaSet really says "deployment" (a copied message in the Go source).
                let what = match kind {
                    "StatefulSet" => "statefulset",
                    "DaemonSet" => "daemonset",
                    _ => "deployment",
                };
                errs.push(invalid_raw(
                    "spec.selector",
                    go_label_selector(Some(sel)),
                    format!("empty selector is invalid for {what}"),
                ));
            }
        }
    }
    let template = spec.get("template").filter(|v| v.is_object());
    match template {
        None => errs.push(FieldError::required("spec.template", "")),
        Some(t) => {
            let labels = at(t, &["metadata", "labels"]);
            let sel_errs = selector.map_or(0, |s| validate_label_selector(s, "").len());
            if sel_errs > 0 {
                errs.push(invalid_raw(
                    "spec.selector",
                    go_label_selector(selector),
                    "invalid label selector",
                ));
            } else if let Some(sel) = selector.filter(|s| !selector_is_empty(s)) {
                if !selector_matches(sel, labels.unwrap_or(empty_map())) {
                    errs.push(invalid_raw(
                        "spec.template.metadata.labels",
                        go_string_map(labels),
                        "`selector` does not match template `labels`",
                    ));
                }
            }
            errs.extend(validate_pod_template(t, "spec.template"));
            let restart = str_at(t.get("spec").unwrap_or(empty_map()), "restartPolicy");
            if !restart.is_empty() && restart != "Always" {
                errs.push(not_supported(
                    "spec.template.spec.restartPolicy",
                    restart,
                    &["Always"],
                ));
            }
            if let Some(ads) = at(t, &["spec", "activeDeadlineSeconds"]) {
                let detail = match kind {
                    "ReplicaSet" | "Deployment" => {
                        "activeDeadlineSeconds in ReplicaSet is not Supported"
                    }
                    _ => "activeDeadlineSeconds in ReplicationController is not Supported",
                };
                errs.push(invalid_raw(
                    "spec.template.spec.activeDeadlineSeconds",
                    format!("{ads}"),
                    detail,
                ));
            }
        }
    }
    if kind == "Deployment" {
        validate_nonnegative(
            spec.get("revisionHistoryLimit"),
            "spec.revisionHistoryLimit",
            &mut errs,
        );
        if let Some(p) = spec.get("progressDeadlineSeconds").and_then(Value::as_i64) {
            validate_nonnegative(
                spec.get("progressDeadlineSeconds"),
                "spec.progressDeadlineSeconds",
                &mut errs,
            );
            let min_ready = spec
                .get("minReadySeconds")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            if p <= min_ready {
                errs.push(invalid_raw(
                    "spec.progressDeadlineSeconds",
                    p.to_string(),
                    "must be greater than minReadySeconds",
                ));
            }
        }
        match at(spec, &["strategy", "type"])
            .and_then(Value::as_str)
            .unwrap_or("")
        {
            "RollingUpdate" | "Recreate" => {}
            "" => errs.push(FieldError::required("spec.strategy.type", "")),
            other => errs.push(not_supported(
                "spec.strategy.type",
                other,
                &["Recreate", "RollingUpdate"],
            )),
        }
        if let Some(ru) = at(spec, &["strategy", "rollingUpdate"]) {
            // ValidateRollingUpdateDeployment: both may not be zero (an int 0 or "0%").
            let zero = |v: Option<&Value>| match v {
                Some(Value::Number(n)) => n.as_i64() == Some(0),
                Some(Value::String(s)) => s == "0%" || s == "0",
                _ => false,
            };
            if zero(ru.get("maxUnavailable")) && zero(ru.get("maxSurge")) {
                errs.push(FieldError::invalid(
                    "spec.strategy.rollingUpdate.maxUnavailable",
                    &ru["maxUnavailable"],
                    "may not be 0 when `maxSurge` is 0",
                ));
            }
        }
        if at(spec, &["strategy", "type"]).and_then(Value::as_str) == Some("Recreate")
            && at(spec, &["strategy", "rollingUpdate"]).is_some()
        {
            errs.push(FieldError::forbidden(
                "spec.strategy.rollingUpdate",
                "may not be specified when strategy `type` is 'Recreate'",
            ));
        }
    }
    errs
}

/// ReplicationController: a map selector that must match the template labels.
fn validate_replication_controller(spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    validate_nonnegative(spec.get("replicas"), "spec.replicas", &mut errs);
    let selector = spec
        .get("selector")
        .and_then(Value::as_object)
        .filter(|m| !m.is_empty());
    if selector.is_none() {
        errs.push(FieldError::required("spec.selector", ""));
    } else {
        errs.extend(validate_labels(spec.get("selector"), "spec.selector"));
    }
    match spec.get("template").filter(|v| v.is_object()) {
        None => errs.push(FieldError::required("spec.template", "")),
        Some(t) => {
            let labels = at(t, &["metadata", "labels"]);
            if let Some(sel) = selector {
                let ok = sel
                    .iter()
                    .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v));
                if !ok {
                    errs.push(invalid_raw(
                        "spec.template.metadata.labels",
                        go_string_map(labels),
                        "`selector` does not match template `labels`",
                    ));
                }
            }
            errs.extend(validate_pod_template(t, "spec.template"));
            let restart = str_at(t.get("spec").unwrap_or(empty_map()), "restartPolicy");
            if !restart.is_empty() && restart != "Always" {
                errs.push(not_supported(
                    "spec.template.spec.restartPolicy",
                    restart,
                    &["Always"],
                ));
            }
        }
    }
    errs
}

/// On create, unless `manualSelector` is true, the selector (which the server has extended with
/// `batch.kubernetes.io/controller-uid`) must select the labels the server generates for the Job's pods:
/// a selector of the user's own is refused, as Kubernetes' `validateGeneratedSelector` does.
fn validate_generated_job_selector(meta: &Value, spec: &Value) -> Vec<FieldError> {
    if spec.get("manualSelector").and_then(Value::as_bool) == Some(true) {
        return Vec::new();
    }
    let Some(sel) = spec.get("selector").filter(|v| v.is_object()) else {
        return Vec::new();
    };
    let (uid, name) = (str_at(meta, "uid"), str_at(meta, "name"));
    let expected: std::collections::BTreeMap<String, String> = [
        ("batch.kubernetes.io/controller-uid", uid),
        ("batch.kubernetes.io/job-name", name),
        ("controller-uid", uid),
        ("job-name", name),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    match kubefedctl_apimachinery::selector::LabelSelector::from_structured(sel) {
        Ok(s) if !s.matches(&expected) => vec![invalid_raw(
            "spec.selector",
            go_label_selector(Some(sel)),
            "`selector` not auto-generated",
        )],
        _ => Vec::new(),
    }
}

fn validate_job_spec(spec: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for f in [
        "parallelism",
        "completions",
        "backoffLimit",
        "activeDeadlineSeconds",
    ] {
        validate_nonnegative(spec.get(f), &format!("{path}.{f}"), &mut errs);
    }
    let template = spec.get("template").unwrap_or(empty_map());
    if let Some(sel) = spec.get("selector").filter(|v| v.is_object()) {
        errs.extend(validate_label_selector(sel, &format!("{path}.selector")));
        let labels = at(template, &["metadata", "labels"]);
        if !selector_matches(sel, labels.unwrap_or(empty_map())) {
            errs.push(invalid_raw(
                format!("{path}.template.metadata.labels"),
                go_string_map(labels),
                "`selector` does not match template `labels`",
            ));
        }
    }
    errs.extend(validate_pod_template(template, &format!("{path}.template")));
    let restart = str_at(template.get("spec").unwrap_or(empty_map()), "restartPolicy");
    if restart != "OnFailure" && restart != "Never" {
        errs.push(not_supported(
            format!("{path}.template.spec.restartPolicy"),
            restart,
            &["OnFailure", "Never"],
        ));
    }
    errs
}

fn validate_cron_job(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = at(obj, &["metadata", "name"])
        .and_then(Value::as_str)
        .unwrap_or("");
    if name.len() > 52 {
        errs.push(FieldError::invalid(
            "metadata.name",
            &s(name),
            "must be no more than 52 characters",
        ));
    }
    let spec = obj.get("spec").unwrap_or(empty_map());
    if str_at(spec, "schedule").is_empty() {
        errs.push(FieldError::required("spec.schedule", ""));
    }
    match str_at(spec, "concurrencyPolicy") {
        "Allow" | "Forbid" | "Replace" => {}
        "" => errs.push(FieldError::required("spec.concurrencyPolicy", "")),
        other => errs.push(not_supported(
            "spec.concurrencyPolicy",
            other,
            &["Allow", "Forbid", "Replace"],
        )),
    }
    let js = at(spec, &["jobTemplate", "spec"]).unwrap_or(empty_map());
    errs.extend(validate_job_spec(js, "spec.jobTemplate.spec"));
    errs
}

/// Sum of the decoded sizes of base64 values.
fn decoded_size(data: Option<&Value>) -> usize {
    data.and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(_, v)| v.as_str())
        .map(|b| {
            let t = b.trim_end_matches('=');
            t.len() * 3 / 4
        })
        .sum()
}

fn validate_config_keys(
    data: Option<&Value>,
    path: &str,
    other: Option<(&Value, &str)>,
    errs: &mut Vec<FieldError>,
) {
    for k in data
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.keys())
    {
        for msg in names::is_config_map_key(k) {
            errs.push(FieldError::invalid(format!("{path}[{k}]"), &s(k), msg));
        }
        if let Some((other, other_name)) = other {
            if other.get(k).is_some() {
                errs.push(FieldError::invalid(
                    format!("{path}[{k}]"),
                    &s(k),
                    format!("duplicate of key present in {other_name}"),
                ));
            }
        }
    }
}

fn validate_secret(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let data = obj.get("data");
    validate_config_keys(data, "data", None, &mut errs);
    if decoded_size(data) > MAX_SECRET_SIZE {
        errs.push(FieldError::too_long("data", MAX_SECRET_SIZE));
    }
    let has = |k: &str| data.and_then(|d| d.get(k)).is_some();
    let req = |k: &str| FieldError::required(format!("data[{k}]"), "");
    match str_at(obj, "type") {
        "kubernetes.io/service-account-token" => {
            let sa = at(
                obj,
                &[
                    "metadata",
                    "annotations",
                    "kubernetes.io/service-account.name",
                ],
            )
            .and_then(Value::as_str)
            .unwrap_or("");
            if sa.is_empty() {
                errs.push(FieldError::required(
                    "metadata.annotations[kubernetes.io/service-account.name]",
                    "",
                ));
            }
        }
        "kubernetes.io/dockercfg" if !has(".dockercfg") => errs.push(req(".dockercfg")),
        "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => {
            errs.push(req(".dockerconfigjson"))
        }
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            errs.push(req("username"));
            errs.push(req("password"));
        }
        "kubernetes.io/ssh-auth" if !has("ssh-privatekey") => errs.push(req("ssh-privatekey")),
        "kubernetes.io/tls" => {
            if !has("tls.crt") {
                errs.push(req("tls.crt"));
            }
            if !has("tls.key") {
                errs.push(req("tls.key"));
            }
        }
        _ => {}
    }
    errs
}

fn validate_config_map(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let data = obj.get("data");
    let binary = obj.get("binaryData");
    validate_config_keys(data, "data", binary.map(|b| (b, "binaryData")), &mut errs);
    // A key in both bags is reported once, on data (ValidateConfigMap checks only that direction).
    validate_config_keys(binary, "binaryData", None, &mut errs);
    let plain: usize = data
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(_, v)| v.as_str())
        .map(str::len)
        .sum();
    if plain + decoded_size(binary) > MAX_SECRET_SIZE {
        errs.push(FieldError {
            kind: ErrorType::TooLong,
            field: String::new(),
            value: None,
            detail: format!("may not be more than {MAX_SECRET_SIZE} bytes"),
        });
    }
    errs
}

/// `immutable: true` freezes the payload and itself.
fn validate_immutable_payload(obj: &Value, old: &Value, fields: &[&str]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if old.get("immutable").and_then(Value::as_bool) != Some(true) {
        return errs;
    }
    if obj.get("immutable").and_then(Value::as_bool) != Some(true) {
        errs.push(FieldError::forbidden("immutable", IMMUTABLE_WHEN_SET));
    }
    for f in fields {
        if !semantic_eq(obj.get(*f), old.get(*f)) {
            errs.push(FieldError::forbidden(*f, IMMUTABLE_WHEN_SET));
        }
    }
    errs
}

fn is_valid_ip(ip: &str) -> bool {
    ip.parse::<std::net::IpAddr>().is_ok()
}

/// The duplicate-port key (an internal `core.ServicePort` holding only protocol and port) as the API server
/// prints it: JSON with Go's field names, the internal type having no JSON tags.
fn go_service_port_key(protocol: &str, port: i64) -> String {
    format!("{{\"Name\":\"\",\"Protocol\":{protocol:?},\"AppProtocol\":null,\"Port\":{port},\"TargetPort\":0,\"NodePort\":0}}")
}

fn validate_service(spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let ty = str_at(spec, "type");
    let cluster_ip = str_at(spec, "clusterIP");
    let headless = cluster_ip == "None";
    let ports = spec
        .get("ports")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if ports.is_empty() && !headless && ty != "ExternalName" {
        errs.push(FieldError::required("spec.ports", ""));
    }
    if ty == "ExternalName" {
        let en = str_at(spec, "externalName");
        if en.is_empty() {
            errs.push(FieldError::required("spec.externalName", ""));
        } else {
            for msg in names::is_dns1123_subdomain(en.trim_end_matches('.')) {
                errs.push(FieldError::invalid("spec.externalName", &s(en), msg));
            }
        }
        if !cluster_ip.is_empty() {
            errs.push(FieldError::forbidden(
                "spec.clusterIPs",
                "may not be set for ExternalName services",
            ));
        }
    }
    let require_name = ports.len() > 1;
    let mut names_seen: Vec<&str> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let pp = format!("spec.ports[{i}]");
        let name = str_at(p, "name");
        if require_name && name.is_empty() {
            errs.push(FieldError::required(format!("{pp}.name"), ""));
        } else if !name.is_empty() {
            for msg in names::is_dns1123_label(name) {
                errs.push(FieldError::invalid(format!("{pp}.name"), &s(name), msg));
            }
            if names_seen.contains(&name) {
                errs.push(FieldError::duplicate(format!("{pp}.name"), &s(name)));
            } else {
                names_seen.push(name);
            }
        }
        let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
        for msg in names::is_valid_port_num(port) {
            errs.push(FieldError::invalid(
                format!("{pp}.port"),
                &Value::from(port),
                msg,
            ));
        }
        check_protocol(&mut errs, &pp, p);
        match p.get("targetPort") {
            Some(Value::Number(n)) => {
                let n = n.as_i64().unwrap_or(0);
                for msg in names::is_valid_port_num(n) {
                    errs.push(FieldError::invalid(
                        format!("{pp}.targetPort"),
                        &Value::from(n),
                        msg,
                    ));
                }
            }
            Some(Value::String(t)) => {
                for msg in names::is_valid_port_name(t) {
                    errs.push(FieldError::invalid(format!("{pp}.targetPort"), &s(t), msg));
                }
            }
            _ => {}
        }
        if ty == "ClusterIP"
            && p.get("nodePort")
                .and_then(Value::as_i64)
                .is_some_and(|n| n != 0)
        {
            errs.push(FieldError::forbidden(
                format!("{pp}.nodePort"),
                "may not be used when `type` is 'ClusterIP'",
            ));
        }
    }
    errs.extend(validate_labels(spec.get("selector"), "spec.selector"));
    match str_at(spec, "sessionAffinity") {
        "ClientIP" | "None" => {}
        "" => errs.push(FieldError::required("spec.sessionAffinity", "")),
        other => errs.push(not_supported(
            "spec.sessionAffinity",
            other,
            &["ClientIP", "None"],
        )),
    }
    match ty {
        "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName" => {}
        "" => errs.push(FieldError::required("spec.type", "")),
        other => errs.push(not_supported(
            "spec.type",
            other,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        )),
    }
    let mut keys: Vec<(String, i64)> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let key = (
            str_at(p, "protocol").to_string(),
            p.get("port").and_then(Value::as_i64).unwrap_or(0),
        );
        if keys.contains(&key) {
            errs.push(FieldError {
                kind: ErrorType::Duplicate,
                field: format!("spec.ports[{i}]"),
                value: Some(go_service_port_key(&key.0, key.1)),
                detail: String::new(),
            });
        } else {
            keys.push(key);
        }
    }
    let ips = spec
        .get("clusterIPs")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if ty != "ExternalName" {
        for (i, ip) in ips.iter().enumerate() {
            let ip = ip.as_str().unwrap_or("");
            if ip == "None" && i == 0 {
                continue;
            }
            if !is_valid_ip(ip) {
                errs.push(FieldError::invalid(
                    format!("spec.clusterIPs[{i}]"),
                    &s(ip),
                    "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                ));
            }
        }
        if !cluster_ip.is_empty()
            && ips
                .first()
                .and_then(Value::as_str)
                .is_some_and(|f| f != cluster_ip)
        {
            errs.push(invalid_raw(
                "spec.clusterIPs",
                go_string_slice(spec.get("clusterIPs")),
                "first value must match `clusterIP`",
            ));
        }
    }
    errs
}

fn validate_service_update(spec: &Value, old_spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if str_at(spec, "type") == "ExternalName" || str_at(old_spec, "type") == "ExternalName" {
        return errs;
    }
    let new_ips = spec.get("clusterIPs").and_then(Value::as_array);
    for (i, old_ip) in old_spec
        .get("clusterIPs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let new_ip = new_ips.and_then(|a| a.get(i));
        // Dropping a secondary family is a legal downgrade; the primary must stay.
        if (i == 0 || new_ip.is_some()) && new_ip != Some(old_ip) {
            errs.push(invalid_raw(
                format!("spec.clusterIPs[{i}]"),
                go_string_slice(spec.get("clusterIPs")),
                "may not change once set",
            ));
        }
    }
    errs
}

fn validate_policy_rules(obj: &Value, namespaced: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, r) in obj
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let p = format!("rules[{i}]");
        let len = |k: &str| r.get(k).and_then(Value::as_array).map_or(0, Vec::len);
        if len("verbs") == 0 {
            errs.push(FieldError::required(
                format!("{p}.verbs"),
                "verbs must contain at least one value",
            ));
        }
        if len("nonResourceURLs") > 0 {
            if namespaced {
                errs.push(invalid_raw(
                    format!("{p}.nonResourceURLs"),
                    go_string_slice(r.get("nonResourceURLs")),
                    "namespaced rules cannot apply to non-resource URLs",
                ));
            }
            if len("apiGroups") > 0 || len("resources") > 0 || len("resourceNames") > 0 {
                errs.push(invalid_raw(
                    format!("{p}.nonResourceURLs"),
                    go_string_slice(r.get("nonResourceURLs")),
                    "rules cannot apply to both regular resources and non-resource URLs",
                ));
            }
            continue;
        }
        if len("apiGroups") == 0 {
            errs.push(FieldError::required(
                format!("{p}.apiGroups"),
                "resource rules must supply at least one api group",
            ));
        }
        if len("resources") == 0 {
            errs.push(FieldError::required(
                format!("{p}.resources"),
                "resource rules must supply at least one resource",
            ));
        }
    }
    errs
}

fn validate_binding(obj: &Value, cluster: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let role_ref = obj.get("roleRef").unwrap_or(empty_map());
    let api_group = str_at(role_ref, "apiGroup");
    if api_group != "rbac.authorization.k8s.io" {
        errs.push(not_supported(
            "roleRef.apiGroup",
            api_group,
            &["rbac.authorization.k8s.io"],
        ));
    }
    let kind = str_at(role_ref, "kind");
    let kinds: &[&str] = if cluster {
        &["ClusterRole"]
    } else {
        &["Role", "ClusterRole"]
    };
    if !kinds.contains(&kind) {
        errs.push(not_supported("roleRef.kind", kind, kinds));
    }
    let name = str_at(role_ref, "name");
    if name.is_empty() {
        errs.push(FieldError::required("roleRef.name", ""));
    } else {
        for msg in names::is_valid_path_segment_name(name) {
            errs.push(FieldError::invalid("roleRef.name", &s(name), msg));
        }
    }
    for (i, subj) in obj
        .get("subjects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let p = format!("subjects[{i}]");
        let name = str_at(subj, "name");
        if name.is_empty() {
            errs.push(FieldError::required(format!("{p}.name"), ""));
        }
        let group = str_at(subj, "apiGroup");
        match str_at(subj, "kind") {
            "ServiceAccount" => {
                if !name.is_empty() {
                    for msg in names::is_dns1123_subdomain(name) {
                        errs.push(FieldError::invalid(format!("{p}.name"), &s(name), msg));
                    }
                }
                if !group.is_empty() {
                    errs.push(not_supported(format!("{p}.apiGroup"), group, &[""]));
                }
                if cluster && str_at(subj, "namespace").is_empty() {
                    errs.push(FieldError::required(format!("{p}.namespace"), ""));
                }
            }
            "User" | "Group" => {
                if group != "rbac.authorization.k8s.io" {
                    errs.push(not_supported(
                        format!("{p}.apiGroup"),
                        group,
                        &["rbac.authorization.k8s.io"],
                    ));
                }
            }
            other => errs.push(not_supported(
                format!("{p}.kind"),
                other,
                &["ServiceAccount", "User", "Group"],
            )),
        }
    }
    errs
}

/// An internal `rbac.RoleRef` as the API server prints it: JSON with Go's field names.
fn go_role_ref(r: &Value) -> String {
    format!(
        "{{\"APIGroup\":{:?},\"Kind\":{:?},\"Name\":{:?}}}",
        str_at(r, "apiGroup"),
        str_at(r, "kind"),
        str_at(r, "name")
    )
}

/// Validation on create (`old` None) and update of a built-in kind: the name rule and ObjectMeta for every kind,
/// then the kind's own rules and immutable fields. CustomResourceDefinitions are delegated to the schema module.
pub fn validate(group: &str, kind: &str, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    if group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition" {
        return crate::schema::validate_crd(obj, old);
    }
    let meta = obj.get("metadata").unwrap_or(empty_map());
    let namespaced = is_namespaced(group, kind).unwrap_or(true);
    let mut errs = validate_object_meta(meta, name_rule(group, kind), namespaced);
    errs.extend(validate_kube_finalizers(meta));
    let spec = obj.get("spec").unwrap_or(empty_map());
    let old_spec = old.map(|o| o.get("spec").unwrap_or(empty_map()));
    match (group, kind) {
        ("", "Secret") => {
            if let Some(old) = old {
                let (t, ot) = (str_at(obj, "type"), str_at(old, "type"));
                if t != ot {
                    errs.push(FieldError::invalid("type", &s(t), IMMUTABLE));
                }
                errs.extend(validate_immutable_payload(obj, old, &["data"]));
            }
            errs.extend(validate_secret(obj));
        }
        ("", "ConfigMap") => {
            if let Some(old) = old {
                errs.extend(validate_immutable_payload(
                    obj,
                    old,
                    &["data", "binaryData"],
                ));
            }
            errs.extend(validate_config_map(obj));
        }
        ("", "Service") => {
            errs.extend(validate_service(spec));
            if let Some(old_spec) = old_spec {
                errs.extend(validate_service_update(spec, old_spec));
            }
        }
        ("", "Pod") => errs.extend(validate_pod_spec(spec, "spec")),
        ("", "ReplicationController") => errs.extend(validate_replication_controller(spec)),
        ("apps", "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet") => {
            errs.extend(validate_workload_spec(kind, spec));
            if let Some(old_spec) = old_spec {
                if kind == "StatefulSet" {
                    errs.extend(validate_statefulset_update(spec, old_spec));
                } else if !semantic_eq(spec.get("selector"), old_spec.get("selector")) {
                    errs.push(invalid_raw(
                        "spec.selector",
                        go_label_selector(spec.get("selector")),
                        IMMUTABLE,
                    ));
                }
            }
        }
        ("batch", "Job") => {
            if str_at(spec, "selector").is_empty() && spec.get("selector").is_none() {
                errs.push(FieldError::required("spec.selector", ""));
            }
            if old.is_none() {
                errs.extend(validate_generated_job_selector(meta, spec));
            }
            errs.extend(validate_job_spec(spec, "spec"));
            if let Some(old_spec) = old_spec {
                if !semantic_eq(spec.get("selector"), old_spec.get("selector")) {
                    errs.push(invalid_raw(
                        "spec.selector",
                        go_label_selector(spec.get("selector")),
                        IMMUTABLE,
                    ));
                }
            }
        }
        ("batch", "CronJob") => errs.extend(validate_cron_job(obj)),
        ("rbac.authorization.k8s.io", "Role") => errs.extend(validate_policy_rules(obj, true)),
        ("rbac.authorization.k8s.io", "ClusterRole") => {
            errs.extend(validate_policy_rules(obj, false))
        }
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => {
            errs.extend(validate_binding(obj, kind == "ClusterRoleBinding"));
            if let Some(old) = old {
                let (r, or) = (
                    obj.get("roleRef").unwrap_or(empty_map()),
                    old.get("roleRef").unwrap_or(empty_map()),
                );
                if !semantic_eq(Some(r), Some(or)) {
                    errs.push(invalid_raw(
                        "roleRef",
                        go_role_ref(r),
                        "cannot change roleRef",
                    ));
                }
            }
        }
        _ => {
            errs.extend(super::validate_groups::validate(group, kind, obj, old).unwrap_or_default())
        }
    }
    errs
}

/// StatefulSet updates may only touch a few spec fields.
fn validate_statefulset_update(spec: &Value, old_spec: &Value) -> Vec<FieldError> {
    const MUTABLE: [&str; 6] = [
        "replicas",
        "ordinals",
        "template",
        "updateStrategy",
        "persistentVolumeClaimRetentionPolicy",
        "minReadySeconds",
    ];
    let strip = |v: &Value| -> Value {
        let mut m = v.as_object().cloned().unwrap_or_default();
        m.retain(|k, _| !MUTABLE.contains(&k.as_str()));
        Value::Object(m)
    };
    if semantic_eq(Some(&strip(spec)), Some(&strip(old_spec))) {
        Vec::new()
    } else {
        vec![FieldError::forbidden(
            "spec",
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        )]
    }
}

/// A port's `protocol`: required, one of TCP, UDP, SCTP (container and Service ports alike).
fn check_protocol(errs: &mut Vec<FieldError>, pp: &str, port: &Value) {
    match str_at(port, "protocol") {
        "" => errs.push(FieldError::required(format!("{pp}.protocol"), "")),
        "TCP" | "UDP" | "SCTP" => {}
        other => errs.push(not_supported(
            format!("{pp}.protocol"),
            other,
            &["SCTP", "TCP", "UDP"],
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::apply_defaults;
    use kubefedctl_apimachinery::validation::join_errors;
    use serde_json::json;

    fn text(errs: &[FieldError]) -> String {
        join_errors(errs)
    }

    fn deployment() -> Value {
        let mut d = json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}
        });
        apply_defaults("apps", "Deployment", &mut d);
        d
    }

    #[test]
    fn defaulted_deployment_is_valid() {
        assert_eq!(validate("apps", "Deployment", &deployment(), None), vec![]);
    }

    #[test]
    fn deployment_selector_required() {
        let mut d = deployment();
        d["spec"].as_object_mut().unwrap().remove("selector");
        assert_eq!(
            text(&validate("apps", "Deployment", &d, None)),
            "spec.selector: Required value"
        );
    }

    #[test]
    fn deployment_selector_must_match_template_labels() {
        let mut d = deployment();
        d["spec"]["template"]["metadata"]["labels"] = json!({"app": "other", "tier": "x"});
        assert_eq!(
            text(&validate("apps", "Deployment", &d, None)),
            "spec.template.metadata.labels: Invalid value: {\"app\":\"other\",\"tier\":\"x\"}: `selector` does not match template `labels`"
        );
    }

    #[test]
    fn empty_selector_is_invalid_for_deployment() {
        let mut d = deployment();
        d["spec"]["selector"] = json!({});
        assert_eq!(
            text(&validate("apps", "Deployment", &d, None)),
            "spec.selector: Invalid value: {}: empty selector is invalid for deployment"
        );
    }

    #[test]
    fn container_name_and_image_required() {
        let mut d = deployment();
        d["spec"]["template"]["spec"]["containers"] =
            json!([{"imagePullPolicy": "Always", "terminationMessagePolicy": "File"}]);
        assert_eq!(
            text(&validate("apps", "Deployment", &d, None)),
            "[spec.template.spec.containers[0].name: Required value, spec.template.spec.containers[0].image: Required value]"
        );
    }

    #[test]
    fn containers_required() {
        let mut d = deployment();
        d["spec"]["template"]["spec"]["containers"] = json!([]);
        assert_eq!(
            text(&validate("apps", "Deployment", &d, None)),
            "spec.template.spec.containers: Required value"
        );
    }

    #[test]
    fn duplicate_container_names() {
        let mut d = deployment();
        d["spec"]["template"]["spec"]["containers"] =
            json!([{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]);
        apply_defaults("apps", "Deployment", &mut d);
        assert_eq!(
            text(&validate("apps", "Deployment", &d, None)),
            "spec.template.spec.containers[1].name: Duplicate value: \"a\""
        );
    }

    #[test]
    fn deployment_template_restart_policy_must_be_always() {
        let mut d = deployment();
        d["spec"]["template"]["spec"]["restartPolicy"] = json!("Never");
        assert_eq!(
            text(&validate("apps", "Deployment", &d, None)),
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
        );
    }

    #[test]
    fn deployment_selector_immutable() {
        let old = deployment();
        let mut d = deployment();
        d["spec"]["selector"] = json!({"matchLabels": {"app": "web", "v": "2"}});
        d["spec"]["template"]["metadata"]["labels"]["v"] = json!("2");
        assert_eq!(
            text(&validate("apps", "Deployment", &d, Some(&old))),
            "spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web\",\"v\":\"2\"}}: field is immutable"
        );
        assert!(validate("apps", "Deployment", &deployment(), Some(&old)).is_empty());
    }

    #[test]
    fn match_expressions_select_template() {
        let mut d = deployment();
        d["spec"]["selector"] = json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]});
        assert!(validate("apps", "Deployment", &d, None).is_empty());
        d["spec"]["selector"] =
            json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]});
        assert_eq!(validate("apps", "Deployment", &d, None).len(), 1);
        d["spec"]["selector"] = json!({"matchExpressions": [{"key": "app", "operator": "In"}]});
        assert_eq!(
            text(&validate("apps", "Deployment", &d, None)),
            "[spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn', spec.selector: Invalid value: {\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\"}]}: invalid label selector]"
        );
    }

    #[test]
    fn statefulset_spec_fields_mostly_immutable() {
        let mut s = json!({"metadata": {"name": "db", "namespace": "d"}, "spec": {"serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "c", "image": "pg"}]}}}});
        apply_defaults("apps", "StatefulSet", &mut s);
        assert!(validate("apps", "StatefulSet", &s, None).is_empty());
        let old = s.clone();
        s["spec"]["replicas"] = json!(3);
        assert!(validate("apps", "StatefulSet", &s, Some(&old)).is_empty());
        s["spec"]["serviceName"] = json!("other");
        assert!(
            text(&validate("apps", "StatefulSet", &s, Some(&old))).starts_with(
                "spec: Forbidden: updates to statefulset spec for fields other than 'replicas'"
            )
        );
    }

    #[test]
    fn job_restart_policy_always_rejected() {
        let mut j = json!({"metadata": {"name": "pi", "namespace": "d", "uid": "u"},
            "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "perl"}]}}}});
        apply_defaults("batch", "Job", &mut j);
        assert_eq!(
            text(&validate("batch", "Job", &j, None)),
            "spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""
        );
        j["spec"]["template"]["spec"]["restartPolicy"] = json!("Never");
        assert!(validate("batch", "Job", &j, None).is_empty());
    }

    #[test]
    fn service_name_must_be_dns1035() {
        let mut svc = json!({"metadata": {"name": "1web", "namespace": "d"}, "spec": {"ports": [{"port": 80}]}});
        apply_defaults("", "Service", &mut svc);
        assert_eq!(
            text(&validate("", "Service", &svc, None)),
            "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        );
    }

    #[test]
    fn service_port_rules() {
        let mut svc = json!({"metadata": {"name": "web", "namespace": "d"}, "spec": {"ports": [{"port": 0}, {"port": 80, "protocol": "HTTP"}]}});
        apply_defaults("", "Service", &mut svc);
        assert_eq!(
            text(&validate("", "Service", &svc, None)),
            "[spec.ports[0].name: Required value, spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[1].name: Required value, spec.ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"]"
        );
    }

    #[test]
    fn service_without_ports_requires_them_unless_headless() {
        let mut svc = json!({"metadata": {"name": "web", "namespace": "d"}, "spec": {}});
        apply_defaults("", "Service", &mut svc);
        assert_eq!(
            text(&validate("", "Service", &svc, None)),
            "spec.ports: Required value"
        );
        let mut headless =
            json!({"metadata": {"name": "web", "namespace": "d"}, "spec": {"clusterIP": "None"}});
        apply_defaults("", "Service", &mut headless);
        assert!(validate("", "Service", &headless, None).is_empty());
    }

    #[test]
    fn service_duplicate_port_renders_as_json() {
        let mut svc = json!({"metadata": {"name": "web", "namespace": "d"}, "spec": {"ports": [{"name": "a", "port": 80}, {"name": "b", "port": 80}]}});
        apply_defaults("", "Service", &mut svc);
        assert_eq!(
            text(&validate("", "Service", &svc, None)),
            "spec.ports[1]: Duplicate value: {\"Name\":\"\",\"Protocol\":\"TCP\",\"AppProtocol\":null,\"Port\":80,\"TargetPort\":0,\"NodePort\":0}"
        );
    }

    #[test]
    fn service_cluster_ip_may_not_change() {
        let old = json!({"metadata": {"name": "web", "namespace": "d"}, "spec": {"clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5"], "ports": [{"port": 80}]}});
        let mut new = old.clone();
        new["spec"]["clusterIP"] = json!("10.96.0.9");
        new["spec"]["clusterIPs"] = json!(["10.96.0.9"]);
        apply_defaults("", "Service", &mut new);
        assert_eq!(
            text(&validate("", "Service", &new, Some(&old))),
            "spec.clusterIPs[0]: Invalid value: [\"10.96.0.9\"]: may not change once set"
        );
    }

    #[test]
    fn secret_keys_and_sa_annotation() {
        let s = json!({"metadata": {"name": "t", "namespace": "d"}, "type": "kubernetes.io/service-account-token", "data": {"bad key": "eA=="}});
        assert_eq!(
            text(&validate("", "Secret", &s, None)),
            "[data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+'), metadata.annotations[kubernetes.io/service-account.name]: Required value]"
        );
    }

    #[test]
    fn secret_type_immutable() {
        let old = json!({"metadata": {"name": "t", "namespace": "d"}, "type": "Opaque"});
        let new = json!({"metadata": {"name": "t", "namespace": "d"}, "type": "kubernetes.io/tls", "data": {"tls.crt": "", "tls.key": ""}});
        assert_eq!(
            text(&validate("", "Secret", &new, Some(&old))),
            "type: Invalid value: \"kubernetes.io/tls\": field is immutable"
        );
    }

    #[test]
    fn immutable_configmap_rejects_data_change() {
        let old = json!({"metadata": {"name": "c", "namespace": "d"}, "immutable": true, "data": {"a": "1"}});
        let mut new = old.clone();
        new["data"]["a"] = json!("2");
        assert_eq!(
            text(&validate("", "ConfigMap", &new, Some(&old))),
            "data: Forbidden: field is immutable when `immutable` is set"
        );
        new["data"]["a"] = json!("1");
        new["immutable"] = json!(false);
        assert_eq!(
            text(&validate("", "ConfigMap", &new, Some(&old))),
            "immutable: Forbidden: field is immutable when `immutable` is set"
        );
    }

    #[test]
    fn configmap_key_in_both_bags() {
        let c = json!({"metadata": {"name": "c", "namespace": "d"}, "data": {"a": "1"}, "binaryData": {"a": "eA=="}});
        assert_eq!(
            text(&validate("", "ConfigMap", &c, None)),
            "data[a]: Invalid value: \"a\": duplicate of key present in binaryData"
        );
    }

    #[test]
    fn namespace_name_must_be_label() {
        let n = json!({"metadata": {"name": "a.b"}});
        assert_eq!(
            text(&validate("", "Namespace", &n, None)),
            "metadata.name: Invalid value: \"a.b\": must not contain dots"
        );
    }

    #[test]
    fn rbac_names_allow_colons() {
        let r = json!({"metadata": {"name": "kubefed-controller-manager:m1"}, "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]});
        assert!(validate("rbac.authorization.k8s.io", "ClusterRole", &r, None).is_empty());
        let bad = json!({"metadata": {"name": "a/b"}, "rules": [{"apiGroups": [""]}]});
        assert_eq!(
            text(&validate("rbac.authorization.k8s.io", "ClusterRole", &bad, None)),
            "[metadata.name: Invalid value: \"a/b\": may not contain '/', rules[0].verbs: Required value: verbs must contain at least one value, rules[0].resources: Required value: resource rules must supply at least one resource]"
        );
    }

    #[test]
    fn role_binding_role_ref_immutable() {
        let mut old = json!({"metadata": {"name": "b", "namespace": "d"}, "roleRef": {"kind": "Role", "name": "r"},
            "subjects": [{"kind": "ServiceAccount", "name": "sa"}]});
        apply_defaults("rbac.authorization.k8s.io", "RoleBinding", &mut old);
        assert!(validate("rbac.authorization.k8s.io", "RoleBinding", &old, None).is_empty());
        let mut new = old.clone();
        new["roleRef"]["name"] = json!("r2");
        assert_eq!(
            text(&validate("rbac.authorization.k8s.io", "RoleBinding", &new, Some(&old))),
            "roleRef: Invalid value: {\"APIGroup\":\"rbac.authorization.k8s.io\",\"Kind\":\"Role\",\"Name\":\"r2\"}: cannot change roleRef"
        );
    }

    #[test]
    fn cluster_role_binding_sa_subject_needs_namespace() {
        let mut b = json!({"metadata": {"name": "b"}, "roleRef": {"kind": "Role", "name": "r"},
            "subjects": [{"kind": "ServiceAccount", "name": "sa"}]});
        apply_defaults("rbac.authorization.k8s.io", "ClusterRoleBinding", &mut b);
        assert_eq!(
            text(&validate("rbac.authorization.k8s.io", "ClusterRoleBinding", &b, None)),
            "[roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\", subjects[0].namespace: Required value]"
        );
    }

    #[test]
    fn namespaced_kind_without_namespace_is_required() {
        let c = json!({"metadata": {"name": "c"}});
        assert_eq!(
            text(&validate("", "ConfigMap", &c, None)),
            "metadata.namespace: Required value"
        );
    }
}
