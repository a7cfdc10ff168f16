//! Whether a live member object already holds the desired apply configuration, comparing values as the
//! API server stores them: built-in types are Go structs, so the server drops zero values of `omitempty`
//! fields (`value: ""`, `labels: {}`), writes quantities in canonical form (`0.25` → `250m`) and folds a
//! Secret's `stringData` into `data`; custom resources are stored as sent (after pruning and defaulting).

use base64::Engine as _;
use serde_json::{Map, Value};

use super::desired::{TargetInfo, FIELD_MANAGER};

/// How the target type's server stores what it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// A type compiled into the API server (core, `apps`, `batch`, `*.k8s.io`, …).
    BuiltIn { secret: bool },
    /// A custom resource: JSON kept as sent.
    Verbatim,
}

impl Storage {
    pub fn of(target: &TargetInfo) -> Storage {
        let g = target.group.as_str();
        if g.is_empty() || !g.contains('.') || g.ends_with(".k8s.io") {
            Storage::BuiltIn {
                secret: g.is_empty() && target.kind == "Secret",
            }
        } else {
            Storage::Verbatim
        }
    }
}

/// Maps whose keys are the user's: an absent key is never the same as an empty value there.
const USER_MAPS: [&str; 7] = [
    "data",
    "stringData",
    "binaryData",
    "labels",
    "annotations",
    "matchLabels",
    "nodeSelector",
];

/// Keys whose value is a core `ResourceList` (quantities rounded to milli-units by the server).
const RESOURCE_LISTS: [&str; 11] = [
    "limits",
    "requests",
    "hard",
    "capacity",
    "allocatable",
    "overhead",
    "max",
    "min",
    "default",
    "defaultRequest",
    "maxLimitRequestRatio",
];

/// Keys holding a single quantity.
const QUANTITIES: [&str; 1] = ["sizeLimit"];

/// Whether `live` already holds everything in `desired`: every field of desired present and equal in live
/// (objects recursively, lists element by element with equal length, numbers by value; null or empty in
/// desired also matches an absent field; for built-in types also a zero value the server omits, and a
/// quantity the server rewrote), and — when live records kubefedctl's apply in `managedFields` — no map
/// field kubefedctl owns has disappeared from desired (otherwise an apply is needed to remove it). Fields
/// inside lists are not checked for removal.
pub fn live_matches(desired: &Value, live: &Value, storage: Storage) -> bool {
    let folded;
    let desired = match storage {
        Storage::BuiltIn { secret: true } if desired.get("stringData").is_some() => {
            folded = fold_string_data(desired);
            &folded
        }
        _ => desired,
    };
    let built_in = matches!(storage, Storage::BuiltIn { .. });
    if !contains(desired, live, built_in, None) {
        return false;
    }
    let entries = live
        .pointer("/metadata/managedFields")
        .and_then(Value::as_array);
    for entry in entries.into_iter().flatten() {
        if entry.get("manager").and_then(Value::as_str) == Some(FIELD_MANAGER)
            && entry.get("operation").and_then(Value::as_str) == Some("Apply")
        {
            if let Some(fields) = entry.get("fieldsV1").and_then(Value::as_object) {
                if owns_field_missing_from(fields, desired) {
                    return false;
                }
            }
        }
    }
    true
}

/// Whether the live object's metadata holds the desired name, namespace, labels and annotations: what a
/// change can touch without bumping `metadata.generation`.
pub fn metadata_matches(desired: &Value, live: &Value, storage: Storage) -> bool {
    let built_in = matches!(storage, Storage::BuiltIn { .. });
    match (desired.get("metadata"), live.get("metadata")) {
        (None, _) => true,
        (Some(d), Some(l)) => contains(d, l, built_in, Some("metadata")),
        (Some(d), None) => is_empty(d),
    }
}

/// A Secret as the server stores it: `stringData` entries base64-encoded into `data` (winning over a
/// `data` entry of the same key), `stringData` gone.
fn fold_string_data(desired: &Value) -> Value {
    let mut out = desired.clone();
    let Some(obj) = out.as_object_mut() else {
        return out;
    };
    let Some(Value::Object(strings)) = obj.remove("stringData") else {
        return out;
    };
    let data = obj
        .entry("data")
        .or_insert_with(|| Value::Object(Map::new()));
    if !data.is_object() {
        *data = Value::Object(Map::new());
    }
    let data = data.as_object_mut().expect("object");
    for (k, v) in strings {
        let text = match &v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        data.insert(
            k,
            Value::String(base64::engine::general_purpose::STANDARD.encode(text)),
        );
    }
    out
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// The zero value of a Go field, which `omitempty` drops.
fn is_zero(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        other => is_empty(other),
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `key` is the key `desired` and `live` are under, `parent` the key of the map holding them.
fn contains(desired: &Value, live: &Value, built_in: bool, key: Option<&str>) -> bool {
    match (desired, live) {
        (Value::Object(d), Value::Object(l)) => {
            let user_map = key.is_some_and(|k| USER_MAPS.contains(&k));
            let resource_list = key.is_some_and(|k| RESOURCE_LISTS.contains(&k));
            d.iter().all(|(k, dv)| match l.get(k) {
                Some(lv) if built_in && resource_list => {
                    same_quantity(dv, lv, true) || contains(dv, lv, built_in, Some(k))
                }
                Some(lv) => contains(dv, lv, built_in, Some(k)),
                None if built_in && !user_map => is_zero(dv),
                None => is_empty(dv) && !dv.is_string(),
            })
        }
        (Value::Array(d), Value::Array(l)) => {
            d.len() == l.len() && d.iter().zip(l).all(|(a, b)| contains(a, b, built_in, None))
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Null, _) => live.is_null(),
        (Value::Object(d), Value::Null) => d.is_empty(),
        (Value::Array(d), Value::Null) => d.is_empty(),
        (a, b) if a == b => true,
        (a, b) if built_in && key.is_some_and(|k| QUANTITIES.contains(&k)) => {
            same_quantity(a, b, false)
        }
        _ => false,
    }
}

fn same_quantity(desired: &Value, live: &Value, resource_list: bool) -> bool {
    match (scalar_text(desired), scalar_text(live)) {
        (Some(a), Some(b)) if resource_list => {
            kubefedctl_apimachinery::quantity::same_resource_amount(&a, &b)
        }
        (Some(a), Some(b)) => kubefedctl_apimachinery::quantity::same_amount(&a, &b),
        _ => false,
    }
}

fn owns_field_missing_from(fields: &Map<String, Value>, desired: &Value) -> bool {
    for (key, sub) in fields {
        let Some(name) = key.strip_prefix("f:") else {
            // "." marks the field itself; "k:", "v:" and "i:" address list elements, which we don't track.
            continue;
        };
        let Some(dv) = desired.get(name) else {
            return true;
        };
        if let (Some(sub), Value::Object(_)) = (sub.as_object(), dv) {
            if owns_field_missing_from(sub, dv) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desired::MANAGED_LABEL;
    use serde_json::json;

    const BUILT_IN: Storage = Storage::BuiltIn { secret: false };

    fn deployment() -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "prod", "labels": {"app": "web", MANAGED_LABEL: "true"}},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1"}]}}}})
    }

    #[test]
    fn live_object_with_server_defaults_matches() {
        let d = deployment();
        let mut live = d.clone();
        live["metadata"]["uid"] = json!("abc");
        live["metadata"]["resourceVersion"] = json!("12");
        live["metadata"]["annotations"] = json!({"deployment.kubernetes.io/revision": "1"});
        live["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] =
            json!("IfNotPresent");
        live["spec"]["replicas"] = json!(3.0);
        live["status"] = json!({"readyReplicas": 3});
        assert!(live_matches(&d, &live, BUILT_IN));
    }

    #[test]
    fn changed_or_missing_fields_do_not_match() {
        let d = deployment();
        let mut live = d.clone();
        live["spec"]["replicas"] = json!(2);
        assert!(!live_matches(&d, &live, BUILT_IN));
        let mut unlabelled = d.clone();
        unlabelled["metadata"]["labels"]
            .as_object_mut()
            .unwrap()
            .remove(MANAGED_LABEL);
        assert!(!live_matches(&d, &unlabelled, BUILT_IN));
        let mut extra_container = d.clone();
        extra_container["spec"]["template"]["spec"]["containers"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "side"}));
        assert!(!live_matches(&d, &extra_container, BUILT_IN));
    }

    #[test]
    fn a_field_we_applied_before_but_no_longer_want_forces_an_apply() {
        let desired = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "p", "labels": {"kubefed.io/managed": "true"}}, "data": {"a": "1"}});
        let mut live = desired.clone();
        live["data"]["b"] = json!("2");
        live["metadata"]["managedFields"] = json!([
            {"manager": "kubectl", "operation": "Update", "fieldsV1": {"f:data": {"f:c": {}}}},
            {"manager": "kubefedctl", "operation": "Apply", "fieldsV1": {
                "f:metadata": {"f:labels": {"f:kubefed.io/managed": {}}}, "f:data": {".": {}, "f:a": {}, "f:b": {}}}}]);
        assert!(!live_matches(&desired, &live, BUILT_IN));
        live["metadata"]["managedFields"][1]["fieldsV1"]["f:data"] = json!({"f:a": {}});
        assert!(live_matches(&desired, &live, BUILT_IN));
    }

    #[test]
    fn quantities_match_in_the_form_the_server_stores() {
        let mut d = deployment();
        d["spec"]["template"]["spec"]["containers"][0]["resources"] = json!({
            "requests": {"cpu": "0.25", "memory": "1000000000", "ephemeral-storage": "0.0001"},
            "limits": {"memory": "1024Mi", "cpu": 1}});
        d["spec"]["template"]["spec"]["volumes"] =
            json!([{"name": "tmp", "emptyDir": {"sizeLimit": "1024Mi"}}]);
        let mut live = d.clone();
        live["spec"]["template"]["spec"]["containers"][0]["resources"] = json!({
            "requests": {"cpu": "250m", "memory": "1G", "ephemeral-storage": "1m"},
            "limits": {"memory": "1Gi", "cpu": "1"}});
        live["spec"]["template"]["spec"]["volumes"] =
            json!([{"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}}]);
        assert!(live_matches(&d, &live, BUILT_IN));
        live["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"] =
            json!("251m");
        assert!(!live_matches(&d, &live, BUILT_IN));
    }

    #[test]
    fn quantity_lookalikes_elsewhere_compare_literally() {
        let d = json!({"kind": "ConfigMap", "data": {"size": "1000"}});
        let live = json!({"kind": "ConfigMap", "data": {"size": "1k"}});
        assert!(!live_matches(&d, &live, BUILT_IN));
        let cr = json!({"spec": {"resources": {"requests": {"cpu": "0.25"}}}});
        let cr_live = json!({"spec": {"resources": {"requests": {"cpu": "250m"}}}});
        assert!(!live_matches(&cr, &cr_live, Storage::Verbatim));
    }

    #[test]
    fn zero_values_the_server_omits_match_their_absence() {
        let mut d = deployment();
        d["spec"]["template"]["spec"]["containers"][0]["env"] = json!([{"name": "E", "value": ""}]);
        d["spec"]["template"]["spec"]["hostNetwork"] = json!(false);
        d["metadata"]["annotations"] = json!({});
        let mut live = deployment();
        live["spec"]["template"]["spec"]["containers"][0]["env"] = json!([{"name": "E"}]);
        assert!(live_matches(&d, &live, BUILT_IN));
        // A custom resource keeps what it is sent: an empty string there is a value.
        assert!(!live_matches(&d, &live, Storage::Verbatim));
    }

    #[test]
    fn empty_values_in_user_maps_are_values() {
        let d =
            json!({"kind": "ConfigMap", "data": {"flag": ""}, "metadata": {"labels": {"x": ""}}});
        let live = json!({"kind": "ConfigMap", "data": {}, "metadata": {"labels": {"x": ""}}});
        assert!(!live_matches(&d, &live, BUILT_IN));
        let live = json!({"kind": "ConfigMap", "data": {"flag": ""}, "metadata": {"labels": {}}});
        assert!(!live_matches(&d, &live, BUILT_IN));
    }

    #[test]
    fn secret_string_data_matches_its_encoded_data() {
        let secret = Storage::BuiltIn { secret: true };
        let d = json!({"kind": "Secret", "type": "Opaque", "stringData": {"password": "hunter2"},
            "data": {"user": "YWRtaW4="}});
        let live = json!({"kind": "Secret", "type": "Opaque",
            "data": {"user": "YWRtaW4=", "password": "aHVudGVyMg=="}});
        assert!(live_matches(&d, &live, secret));
        let changed = json!({"kind": "Secret", "type": "Opaque",
            "data": {"user": "YWRtaW4=", "password": "b2xk"}});
        assert!(!live_matches(&d, &changed, secret));
    }

    #[test]
    fn storage_follows_the_group() {
        let t = |group: &str, kind: &str| TargetInfo {
            group: group.into(),
            version: "v1".into(),
            kind: kind.into(),
            namespaced: true,
        };
        assert_eq!(
            Storage::of(&t("", "Secret")),
            Storage::BuiltIn { secret: true }
        );
        assert_eq!(Storage::of(&t("apps", "Deployment")), BUILT_IN);
        assert_eq!(Storage::of(&t("networking.k8s.io", "Ingress")), BUILT_IN);
        assert_eq!(Storage::of(&t("example.com", "Widget")), Storage::Verbatim);
    }
}
