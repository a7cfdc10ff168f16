//! Validation of the cluster-configuration kinds a sandbox stores but never acts on: StorageClass,
//! PriorityClass, IngressClass, EndpointSlice, admission webhook configurations and events.k8s.io Events,
//! with the real server's field paths and texts.

use super::meta::str_at;
use super::names;
use kubefedctl_apimachinery::validation::FieldError;
use serde_json::Value;

const IMMUTABLE: &str = "field is immutable";

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// A pointer field compared as Go's `ValidateImmutableField` does (absent and null alike).
fn changed(obj: &Value, old: &Value, key: &str) -> bool {
    let norm = |v: Option<&Value>| v.filter(|v| !v.is_null()).cloned();
    norm(obj.get(key)) != norm(old.get(key))
}

fn immutable(obj: &Value, old: &Value, key: &str, errs: &mut Vec<FieldError>) {
    if changed(obj, old, key) {
        let v = obj.get(key).cloned().unwrap_or(Value::Null);
        errs.push(FieldError::invalid(key, &v, IMMUTABLE));
    }
}

/// The group's own rules for `kind`; None when the kind is not one of this module's.
pub(super) fn validate(
    group: &str,
    kind: &str,
    obj: &Value,
    old: Option<&Value>,
) -> Option<Vec<FieldError>> {
    let mut errs = Vec::new();
    match (group, kind) {
        ("storage.k8s.io", "StorageClass") => {
            storage_class(obj, &mut errs);
            if let Some(old) = old {
                for key in [
                    "parameters",
                    "provisioner",
                    "reclaimPolicy",
                    "volumeBindingMode",
                ] {
                    immutable(obj, old, key, &mut errs);
                }
            }
        }
        ("scheduling.k8s.io", "PriorityClass") => {
            priority_class(obj, &mut errs);
            if let Some(old) = old {
                if obj.get("value") != old.get("value") {
                    errs.push(FieldError::forbidden(
                        "value",
                        "may not be changed in an update.",
                    ));
                }
                immutable(obj, old, "preemptionPolicy", &mut errs);
            }
        }
        ("networking.k8s.io", "IngressClass") => {
            ingress_class(obj, &mut errs);
            if let Some(old) = old {
                let (c, oc) = (
                    str_at(&obj["spec"], "controller"),
                    str_at(&old["spec"], "controller"),
                );
                if c != oc {
                    errs.push(FieldError::invalid("spec.controller", &s(c), IMMUTABLE));
                }
            }
        }
        ("discovery.k8s.io", "EndpointSlice") => {
            endpoint_slice(obj, old, &mut errs);
            if let Some(old) = old {
                immutable(obj, old, "addressType", &mut errs);
            }
        }
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration") => {
            webhooks(obj, old.is_none(), &mut errs)
        }
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration") => {
            webhooks(obj, old.is_none(), &mut errs)
        }
        ("events.k8s.io", "Event") => event(obj, old.is_none(), &mut errs),
        _ => return None,
    }
    Some(errs)
}

fn storage_class(obj: &Value, errs: &mut Vec<FieldError>) {
    let provisioner = str_at(obj, "provisioner");
    if provisioner.is_empty() {
        errs.push(FieldError::required("provisioner", ""));
    } else {
        for msg in names::is_qualified_name(&provisioner.to_lowercase()) {
            errs.push(FieldError::invalid(
                "provisioner",
                &s(&provisioner.to_lowercase()),
                msg,
            ));
        }
    }
    let policy = str_at(obj, "reclaimPolicy");
    if !policy.is_empty() && !["Delete", "Retain"].contains(&policy) {
        errs.push(FieldError::not_supported(
            "reclaimPolicy",
            &s(policy),
            &["Delete", "Retain"],
        ));
    }
    match str_at(obj, "volumeBindingMode") {
        "" => errs.push(FieldError::required("volumeBindingMode", "")),
        "Immediate" | "WaitForFirstConsumer" => {}
        other => errs.push(FieldError::not_supported(
            "volumeBindingMode",
            &s(other),
            &["Immediate", "WaitForFirstConsumer"],
        )),
    }
}

/// The highest value a user-defined PriorityClass may have (`HighestUserDefinablePriority`).
const HIGHEST_USER_PRIORITY: i64 = 1_000_000_000;

fn priority_class(obj: &Value, errs: &mut Vec<FieldError>) {
    let name = str_at(&obj["metadata"], "name");
    let value = obj.get("value").and_then(Value::as_i64).unwrap_or(0);
    if !name.starts_with("system-") && value > HIGHEST_USER_PRIORITY {
        errs.push(FieldError::forbidden(
            "value",
            format!("maximum allowed value of a user defined priority is {HIGHEST_USER_PRIORITY}"),
        ));
    }
    match obj.get("preemptionPolicy").and_then(Value::as_str) {
        None | Some("PreemptLowerPriority" | "Never") => {}
        Some(other) => errs.push(FieldError::not_supported(
            "preemptionPolicy",
            &s(other),
            &["Never", "PreemptLowerPriority"],
        )),
    }
}

fn ingress_class(obj: &Value, errs: &mut Vec<FieldError>) {
    let controller = str_at(&obj["spec"], "controller");
    if controller.is_empty() {
        errs.push(FieldError::required("spec.controller", ""));
    } else if controller.len() > 250 {
        errs.push(FieldError::too_long("spec.controller", 250));
    }
    let Some(p) = obj["spec"].get("parameters").filter(|p| p.is_object()) else {
        return;
    };
    if str_at(p, "kind").is_empty() {
        errs.push(FieldError::required("spec.parameters.kind", ""));
    }
    if str_at(p, "name").is_empty() {
        errs.push(FieldError::required("spec.parameters.name", ""));
    }
    let scope = str_at(p, "scope");
    let namespace = str_at(p, "namespace");
    match scope {
        "Cluster" if !namespace.is_empty() => errs.push(FieldError::forbidden(
            "spec.parameters.namespace",
            "`parameters.scope` is set to 'Cluster'",
        )),
        "Namespace" if namespace.is_empty() => errs.push(FieldError::required(
            "spec.parameters.namespace",
            "`parameters.scope` is set to 'Namespace'",
        )),
        "Cluster" | "Namespace" => {}
        "" => errs.push(FieldError::required("spec.parameters.scope", "")),
        other => errs.push(FieldError::not_supported(
            "spec.parameters.scope",
            &s(other),
            &["Cluster", "Namespace"],
        )),
    }
}

fn endpoint_slice(obj: &Value, old: Option<&Value>, errs: &mut Vec<FieldError>) {
    let address_type = str_at(obj, "addressType");
    match address_type {
        "" => errs.push(FieldError::required("addressType", "")),
        "IPv4" | "IPv6" | "FQDN" => {}
        other => errs.push(FieldError::not_supported(
            "addressType",
            &s(other),
            &["FQDN", "IPv4", "IPv6"],
        )),
    }
    for (i, p) in obj
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let pp = format!("ports[{i}]");
        let name = str_at(p, "name");
        if !name.is_empty() {
            for msg in names::is_valid_port_name(name) {
                errs.push(FieldError::invalid(format!("{pp}.name"), &s(name), msg));
            }
        }
        match str_at(p, "protocol") {
            "" => errs.push(FieldError::required(format!("{pp}.protocol"), "")),
            "TCP" | "UDP" | "SCTP" => {}
            other => errs.push(FieldError::not_supported(
                format!("{pp}.protocol"),
                &s(other),
                &["SCTP", "TCP", "UDP"],
            )),
        }
    }
    // Endpoints the server once accepted stay acceptable on update, as the real server allows.
    if old.is_some_and(|o| o.get("endpoints") == obj.get("endpoints")) {
        return;
    }
    for (i, e) in obj
        .get("endpoints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let ap = format!("endpoints[{i}].addresses");
        let addresses: Vec<&str> = e
            .get("addresses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|a| a.as_str().unwrap_or(""))
            .collect();
        if addresses.is_empty() {
            errs.push(FieldError::required(&ap, "must contain at least 1 address"));
        }
        for (j, a) in addresses.iter().enumerate() {
            let ip = a.parse::<std::net::IpAddr>();
            let bad = match address_type {
                "IPv4" => !matches!(ip, Ok(std::net::IpAddr::V4(_))),
                "IPv6" => !matches!(ip, Ok(std::net::IpAddr::V6(_))),
                _ => false,
            };
            if bad && ip.is_err() {
                errs.push(FieldError::invalid(
                    format!("{ap}[{j}]"),
                    &s(a),
                    "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                ));
            } else if bad {
                errs.push(FieldError::invalid(
                    &ap,
                    &s(a),
                    format!("must be an {address_type} address"),
                ));
            }
        }
        if let Some(h) = e.get("hostname").and_then(Value::as_str) {
            for msg in names::is_dns1123_label(h) {
                errs.push(FieldError::invalid(
                    format!("endpoints[{i}].hostname"),
                    &s(h),
                    msg,
                ));
            }
        }
    }
}

/// Validating and mutating webhook configurations (`validateValidatingWebhookConfiguration`): each
/// webhook's name, side effects, client config and admission review versions; on create only `None` and
/// `NoneOnDryRun` side effects are allowed.
fn webhooks(obj: &Value, create: bool, errs: &mut Vec<FieldError>) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, w) in obj
        .get("webhooks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let p = format!("webhooks[{i}]");
        let name = str_at(w, "name");
        if name.is_empty() {
            errs.push(FieldError::required(format!("{p}.name"), ""));
        } else if let Some(msgs) = Some(names::is_dns1123_subdomain(name)).filter(|m| !m.is_empty())
        {
            errs.push(FieldError::invalid(
                format!("{p}.name"),
                &s(name),
                msgs.join(","),
            ));
        } else if name.split('.').count() < 3 {
            errs.push(FieldError::invalid(
                format!("{p}.name"),
                &s(name),
                "should be a domain with at least three segments separated by dots",
            ));
        }
        let allowed: &[&str] = if create {
            &["None", "NoneOnDryRun"]
        } else {
            &["None", "NoneOnDryRun", "Some", "Unknown"]
        };
        match w.get("sideEffects").and_then(Value::as_str) {
            None => errs.push(FieldError::required(
                format!("{p}.sideEffects"),
                format!("must specify one of {}", allowed.join(", ")),
            )),
            Some(se) if !allowed.contains(&se) => errs.push(FieldError::not_supported(
                format!("{p}.sideEffects"),
                &s(se),
                allowed,
            )),
            Some(_) => {}
        }
        if let Some(t) = w.get("timeoutSeconds").and_then(Value::as_i64) {
            if !(1..=30).contains(&t) {
                errs.push(FieldError::invalid(
                    format!("{p}.timeoutSeconds"),
                    &Value::from(t),
                    "the timeout value must be between 1 and 30 seconds",
                ));
            }
        }
        let cc = w.get("clientConfig").cloned().unwrap_or(Value::Null);
        let has = |k: &str| cc.get(k).is_some_and(|v| !v.is_null());
        if has("url") == has("service") {
            errs.push(FieldError::required(
                format!("{p}.clientConfig"),
                "exactly one of url or service is required",
            ));
        }
        let versions = w
            .get("admissionReviewVersions")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if versions == 0 {
            errs.push(FieldError::required(
                format!("{p}.admissionReviewVersions"),
                "must specify one of v1, v1beta1",
            ));
        }
        if !name.is_empty() {
            if seen.contains(&name) {
                errs.push(FieldError::duplicate(format!("{p}.name"), &s(name)));
            } else {
                seen.push(name);
            }
        }
    }
}

/// events.k8s.io/v1 Events: the strict rules for new-style events (`ValidateEventCreate` for a v1 request),
/// field paths named as the internal type names them.
fn event(obj: &Value, create: bool, errs: &mut Vec<FieldError>) {
    let has_time = obj.get("eventTime").is_some_and(|t| !t.is_null());
    let ns = str_at(&obj["metadata"], "namespace");
    let regarding_ns = str_at(&obj["regarding"], "namespace");
    if !has_time {
        let ok = if regarding_ns.is_empty() {
            ns.is_empty() || ns == "default"
        } else {
            ns == regarding_ns
        };
        if !ok {
            errs.push(FieldError::invalid(
                "involvedObject.namespace",
                &s(regarding_ns),
                "does not match event.namespace",
            ));
        }
    } else {
        if regarding_ns.is_empty() && ns != "default" && ns != "kube-system" {
            errs.push(FieldError::invalid(
                "involvedObject.namespace",
                &s(regarding_ns),
                "does not match event.namespace",
            ));
        }
        let controller = str_at(obj, "reportingController");
        if controller.is_empty() {
            errs.push(FieldError::required("reportingController", ""));
        }
        for msg in names::is_qualified_name(controller) {
            errs.push(FieldError::invalid(
                "reportingController",
                &s(controller),
                msg,
            ));
        }
        let limited = |key: &str, field: &str, max: usize, required: bool, errs: &mut Vec<_>| {
            let v = str_at(obj, key);
            if required && v.is_empty() {
                errs.push(FieldError::required(field, ""));
            }
            if v.len() > max {
                errs.push(FieldError::invalid(
                    field,
                    &s(""),
                    format!("can have at most {max} characters"),
                ));
            }
        };
        limited("reportingInstance", "reportingInstance", 128, true, errs);
        limited("action", "action", 128, true, errs);
        limited("reason", "reason", 128, true, errs);
        limited("note", "message", 1024, false, errs);
    }
    if !create {
        return;
    }
    if let Some(series) = obj.get("series").filter(|v| v.is_object()) {
        if series.get("count").and_then(Value::as_i64).unwrap_or(0) < 2 {
            errs.push(FieldError::invalid(
                "series.count",
                &s(""),
                "should be at least 2",
            ));
        }
        if series.get("lastObservedTime").is_none_or(Value::is_null) {
            errs.push(FieldError::required("series.lastObservedTime", ""));
        }
    }
    if !has_time {
        errs.push(FieldError::required("eventTime", ""));
    }
    let ty = str_at(obj, "type");
    if ty != "Normal" && ty != "Warning" {
        errs.push(FieldError::invalid(
            "type",
            &s(""),
            format!("has invalid value: {ty}"),
        ));
    }
    let set = |k: &str| obj.get(k).is_some_and(|v| !v.is_null());
    if set("deprecatedFirstTimestamp") {
        errs.push(FieldError::invalid(
            "firstTimestamp",
            &s(""),
            "needs to be unset",
        ));
    }
    if set("deprecatedLastTimestamp") {
        errs.push(FieldError::invalid(
            "lastTimestamp",
            &s(""),
            "needs to be unset",
        ));
    }
    if obj
        .get("deprecatedCount")
        .and_then(Value::as_i64)
        .unwrap_or(0)
        != 0
    {
        errs.push(FieldError::invalid("count", &s(""), "needs to be unset"));
    }
    let src = &obj["deprecatedSource"];
    if !str_at(src, "component").is_empty() || !str_at(src, "host").is_empty() {
        errs.push(FieldError::invalid("source", &s(""), "needs to be unset"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubefedctl_apimachinery::validation::join_errors;
    use serde_json::json;

    fn text(group: &str, kind: &str, obj: &Value, old: Option<&Value>) -> String {
        join_errors(&validate(group, kind, obj, old).unwrap())
    }

    #[test]
    fn storage_class_provisioner_required_and_immutable() {
        let sc = json!({"metadata": {"name": "fast"}, "volumeBindingMode": "Immediate"});
        assert_eq!(
            text("storage.k8s.io", "StorageClass", &sc, None),
            "provisioner: Required value"
        );
        let old = json!({"metadata": {"name": "fast"}, "provisioner": "a.example.com", "volumeBindingMode": "Immediate"});
        let new = json!({"metadata": {"name": "fast"}, "provisioner": "b.example.com", "volumeBindingMode": "Immediate"});
        assert_eq!(
            text("storage.k8s.io", "StorageClass", &new, Some(&old)),
            "provisioner: Invalid value: \"b.example.com\": field is immutable"
        );
    }

    #[test]
    fn endpoint_slice_address_type_required_and_checked() {
        let es = json!({"metadata": {"name": "e"}, "endpoints": []});
        assert_eq!(
            text("discovery.k8s.io", "EndpointSlice", &es, None),
            "addressType: Required value"
        );
        let es = json!({"metadata": {"name": "e"}, "addressType": "IPv4", "endpoints": [{"addresses": ["fd00::1"]}]});
        assert_eq!(
            text("discovery.k8s.io", "EndpointSlice", &es, None),
            "endpoints[0].addresses: Invalid value: \"fd00::1\": must be an IPv4 address"
        );
    }

    #[test]
    fn priority_class_value_immutable_and_bounded() {
        let old = json!({"metadata": {"name": "high"}, "value": 10});
        let new = json!({"metadata": {"name": "high"}, "value": 11});
        assert_eq!(
            text("scheduling.k8s.io", "PriorityClass", &new, Some(&old)),
            "value: Forbidden: may not be changed in an update."
        );
        let huge = json!({"metadata": {"name": "high"}, "value": 2_000_000_000});
        assert_eq!(
            text("scheduling.k8s.io", "PriorityClass", &huge, None),
            "value: Forbidden: maximum allowed value of a user defined priority is 1000000000"
        );
    }

    #[test]
    fn webhook_needs_side_effects_versions_and_one_client_config() {
        let w = json!({"metadata": {"name": "w"}, "webhooks": [{"name": "a.example.com", "clientConfig": {}}]});
        assert_eq!(
            text(
                "admissionregistration.k8s.io",
                "ValidatingWebhookConfiguration",
                &w,
                None
            ),
            "[webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun, webhooks[0].clientConfig: Required value: exactly one of url or service is required, webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1]"
        );
    }
}
