//! Unknown-field pruning of built-in kinds by a round trip through the k8s-openapi struct of the kind.

use k8s_openapi::api::{
    admissionregistration, apps, autoscaling, batch, coordination, core, discovery, events,
    networking, policy, rbac, scheduling, storage,
};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1 as apiextensions;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{Map, Value};

type RoundTrip = fn(Value) -> Result<Value, serde_json::Error>;

fn round_trip<T: DeserializeOwned + Serialize>(v: Value) -> Result<Value, serde_json::Error> {
    let typed: T = serde_json::from_value(v)?;
    serde_json::to_value(&typed)
}

/// The k8s-openapi type of a served built-in (group, version, kind).
fn round_trip_for(group: &str, version: &str, kind: &str) -> Option<RoundTrip> {
    Some(match (group, version, kind) {
        ("", "v1", "Namespace") => round_trip::<core::v1::Namespace>,
        ("", "v1", "ConfigMap") => round_trip::<core::v1::ConfigMap>,
        ("", "v1", "Secret") => round_trip::<core::v1::Secret>,
        ("", "v1", "ServiceAccount") => round_trip::<core::v1::ServiceAccount>,
        ("", "v1", "Service") => round_trip::<core::v1::Service>,
        ("", "v1", "Endpoints") => round_trip::<core::v1::Endpoints>,
        ("", "v1", "Event") => round_trip::<core::v1::Event>,
        ("", "v1", "Pod") => round_trip::<core::v1::Pod>,
        ("", "v1", "Node") => round_trip::<core::v1::Node>,
        ("", "v1", "PersistentVolume") => round_trip::<core::v1::PersistentVolume>,
        ("", "v1", "PersistentVolumeClaim") => round_trip::<core::v1::PersistentVolumeClaim>,
        ("", "v1", "ResourceQuota") => round_trip::<core::v1::ResourceQuota>,
        ("", "v1", "LimitRange") => round_trip::<core::v1::LimitRange>,
        ("", "v1", "ReplicationController") => round_trip::<core::v1::ReplicationController>,
        ("apps", "v1", "Deployment") => round_trip::<apps::v1::Deployment>,
        ("apps", "v1", "ReplicaSet") => round_trip::<apps::v1::ReplicaSet>,
        ("apps", "v1", "StatefulSet") => round_trip::<apps::v1::StatefulSet>,
        ("apps", "v1", "DaemonSet") => round_trip::<apps::v1::DaemonSet>,
        ("apps", "v1", "ControllerRevision") => round_trip::<apps::v1::ControllerRevision>,
        ("batch", "v1", "Job") => round_trip::<batch::v1::Job>,
        ("batch", "v1", "CronJob") => round_trip::<batch::v1::CronJob>,
        ("rbac.authorization.k8s.io", "v1", "ClusterRole") => round_trip::<rbac::v1::ClusterRole>,
        ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding") => {
            round_trip::<rbac::v1::ClusterRoleBinding>
        }
        ("rbac.authorization.k8s.io", "v1", "Role") => round_trip::<rbac::v1::Role>,
        ("rbac.authorization.k8s.io", "v1", "RoleBinding") => round_trip::<rbac::v1::RoleBinding>,
        ("apiextensions.k8s.io", "v1", "CustomResourceDefinition") => {
            round_trip::<apiextensions::CustomResourceDefinition>
        }
        ("coordination.k8s.io", "v1", "Lease") => round_trip::<coordination::v1::Lease>,
        ("networking.k8s.io", "v1", "Ingress") => round_trip::<networking::v1::Ingress>,
        ("networking.k8s.io", "v1", "NetworkPolicy") => round_trip::<networking::v1::NetworkPolicy>,
        ("policy", "v1", "PodDisruptionBudget") => round_trip::<policy::v1::PodDisruptionBudget>,
        ("autoscaling", "v2", "HorizontalPodAutoscaler") => {
            round_trip::<autoscaling::v2::HorizontalPodAutoscaler>
        }
        ("autoscaling", "v1", "HorizontalPodAutoscaler") => {
            round_trip::<autoscaling::v1::HorizontalPodAutoscaler>
        }
        ("networking.k8s.io", "v1", "IngressClass") => round_trip::<networking::v1::IngressClass>,
        ("storage.k8s.io", "v1", "StorageClass") => round_trip::<storage::v1::StorageClass>,
        ("scheduling.k8s.io", "v1", "PriorityClass") => round_trip::<scheduling::v1::PriorityClass>,
        ("discovery.k8s.io", "v1", "EndpointSlice") => round_trip::<discovery::v1::EndpointSlice>,
        ("events.k8s.io", "v1", "Event") => round_trip::<events::v1::Event>,
        ("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration") => {
            round_trip::<admissionregistration::v1::ValidatingWebhookConfiguration>
        }
        ("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration") => {
            round_trip::<admissionregistration::v1::MutatingWebhookConfiguration>
        }
        _ => return None,
    })
}

fn api_version(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    }
}

/// A copy fit for typed decoding: map entries holding `null` removed (Go decodes them as zero values, serde
/// refuses them for required fields) and `apiVersion`/`kind` set to the endpoint's.
fn decodable_copy(group: &str, version: &str, kind: &str, obj: &Value) -> Value {
    fn strip_nulls(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.retain(|_, v| !v.is_null());
                m.values_mut().for_each(strip_nulls);
            }
            Value::Array(items) => items.iter_mut().for_each(strip_nulls),
            _ => {}
        }
    }
    let mut copy = obj.clone();
    strip_nulls(&mut copy);
    if let Value::Object(m) = &mut copy {
        m.insert(
            "apiVersion".into(),
            Value::String(api_version(group, version)),
        );
        m.insert("kind".into(), Value::String(kind.into()));
    }
    copy
}

/// Removes from `orig` every key absent from `typed` (the round-tripped copy) and returns their dotted paths.
/// `null` entries are removed silently: the round trip cannot tell a known null field from an unknown one, and
/// the real server stores neither.
fn remove_missing(orig: &mut Value, typed: &Value, path: &str, dropped: &mut Vec<String>) {
    match (orig, typed) {
        (Value::Object(o), Value::Object(t)) => {
            let mut keep = Map::new();
            for (k, v) in std::mem::take(o) {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match t.get(&k) {
                    Some(tv) => {
                        let mut v = v;
                        remove_missing(&mut v, tv, &child, dropped);
                        keep.insert(k, v);
                    }
                    None if v.is_null() => {}
                    None => dropped.push(child),
                }
            }
            *o = keep;
        }
        (Value::Array(o), Value::Array(t)) if o.len() == t.len() => {
            for (i, (ov, tv)) in o.iter_mut().zip(t).enumerate() {
                remove_missing(ov, tv, &format!("{path}[{i}]"), dropped);
            }
        }
        _ => {}
    }
}

/// Removes fields unknown to the built-in kind's schema, keeping the original's key order and values, and
/// returns the dropped paths (`spec.foo`, `spec.template.spec.containers[0].bar`) for Strict/Warn handling.
/// Unknown kind, or a body that does not decode (see [`decode_error`]) ⇒ nothing pruned.
pub fn prune_unknown_fields(
    group: &str,
    version: &str,
    kind: &str,
    obj: &mut Value,
) -> Vec<String> {
    let Some(rt) = round_trip_for(group, version, kind) else {
        return Vec::new();
    };
    let Ok(typed) = rt(decodable_copy(group, version, kind, obj)) else {
        return Vec::new();
    };
    let mut dropped = Vec::new();
    remove_missing(obj, &typed, "", &mut dropped);
    dropped
}

/// Prunes an ObjectMeta (of a custom resource or an embedded resource) to its known fields.
pub(crate) fn prune_object_meta(meta: &mut Value, path: &str) -> Vec<String> {
    let mut copy = meta.clone();
    if let Value::Object(m) = &mut copy {
        m.retain(|_, v| !v.is_null());
    }
    let Ok(typed) = round_trip::<ObjectMeta>(copy) else {
        return Vec::new();
    };
    let mut dropped = Vec::new();
    remove_missing(meta, &typed, path, &mut dropped);
    dropped
}

/// Go's `illegal base64 data at input byte N` for standard padded base64 (CR/LF ignored like Go).
fn base64_error(s: &str) -> Option<String> {
    let bytes: Vec<(usize, u8)> = s
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b != b'\r' && *b != b'\n')
        .collect();
    let is_alpha = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    let mut pad_from = None;
    for (n, (_, b)) in bytes.iter().enumerate() {
        match (*b, pad_from) {
            (b'=', None) => pad_from = Some(n),
            (b'=', Some(_)) => {}
            (b, None) if is_alpha(b) => {}
            _ => return Some(format!("illegal base64 data at input byte {n}")),
        }
    }
    let data_len = pad_from.unwrap_or(bytes.len());
    let pads = bytes.len() - data_len;
    let valid = bytes.len() % 4 == 0 && pads <= 2 && !(pads > 0 && data_len % 4 == 1);
    if valid && !(pads == 0 && data_len % 4 != 0) {
        None
    } else {
        // Go reports the offset of the first quantum it could not complete.
        Some(format!(
            "illegal base64 data at input byte {}",
            data_len - data_len % 4
        ))
    }
}

/// The JSON type of a value as Go's decoder names it in an `UnmarshalTypeError`.
fn go_json_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

/// Where a built-in kind embeds an ObjectMeta besides its own `metadata`.
fn embedded_metas(group: &str, kind: &str) -> &'static [&'static str] {
    match (group, kind) {
        ("", "ReplicationController" | "PodTemplate")
        | ("apps", "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet")
        | ("batch", "Job") => &["metadata", "spec.template.metadata"],
        ("batch", "CronJob") => &[
            "metadata",
            "spec.jobTemplate.metadata",
            "spec.jobTemplate.spec.template.metadata",
        ],
        _ => &["metadata"],
    }
}

/// The 400 a real server gives for a label or annotation that is not a string (or a `labels` that is not a
/// map): its typed decoder stops at the first such value, in Go's words
/// (`ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct
/// field ObjectMeta.metadata.labels of type string`). None when every one is a string.
pub fn metadata_type_error(group: &str, version: &str, kind: &str, obj: &Value) -> Option<String> {
    let prefix = format!("{kind} in version \"{version}\" cannot be handled as a {kind}");
    for path in embedded_metas(group, kind) {
        let Some(meta) = path.split('.').try_fold(obj, |v, k| v.get(k)) else {
            continue;
        };
        let Some(meta) = meta.as_object() else {
            continue;
        };
        // Document order, as the decoder meets them.
        for (key, value) in meta {
            if key != "labels" && key != "annotations" {
                continue;
            }
            let field = format!("{path}.{key}");
            let wrong = |got: &Value, want: &str| {
                Some(format!(
                    "{prefix}: json: cannot unmarshal {} into Go struct field ObjectMeta.{field} of type {want}",
                    go_json_type(got)
                ))
            };
            match value {
                Value::Null => {}
                Value::Object(m) => {
                    if let Some(v) = m.values().find(|v| !(v.is_string() || v.is_null())) {
                        return wrong(v, "string");
                    }
                }
                other => return wrong(other, "map[string]string"),
            }
        }
    }
    None
}

/// The 400 message a real server gives for a body it cannot decode into the kind (bad base64 in Secret `data` /
/// ConfigMap `binaryData`, wrong JSON types): `Secret in version "v1" cannot be handled as a Secret: …`.
/// None when the body decodes (or the kind is unknown here). Type-error wording after the colon is serde's, not Go's.
pub fn decode_error(group: &str, version: &str, kind: &str, obj: &Value) -> Option<String> {
    let prefix = format!("{kind} in version \"{version}\" cannot be handled as a {kind}");
    let binary_field = match (group, kind) {
        ("", "Secret") => Some("data"),
        ("", "ConfigMap") => Some("binaryData"),
        _ => None,
    };
    if let Some(field) = binary_field {
        for v in obj
            .get(field)
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.values())
        {
            if let Some(e) = v.as_str().and_then(base64_error) {
                return Some(format!("{prefix}: {e}"));
            }
        }
    }
    let rt = round_trip_for(group, version, kind)?;
    rt(decodable_copy(group, version, kind, obj))
        .err()
        .map(|e| format!("{prefix}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_spec_field_dropped_and_reported() {
        let mut d = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": 2, "foo": 1, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "c", "image": "nginx", "bogus": true}]}}}
        });
        let dropped = prune_unknown_fields("apps", "v1", "Deployment", &mut d);
        assert_eq!(
            dropped,
            vec!["spec.foo", "spec.template.spec.containers[0].bogus"]
        );
        assert!(d["spec"].get("foo").is_none());
        assert!(d["spec"]["template"]["spec"]["containers"][0]
            .get("bogus")
            .is_none());
        assert_eq!(d["spec"]["replicas"], 2);
    }

    #[test]
    fn pruning_keeps_original_key_order_and_values() {
        let mut cm = json!({
            "metadata": {"name": "x", "namespace": "d", "labels": {"z": "1", "a": "2"}},
            "kind": "ConfigMap", "zzz": 1, "data": {"b": "1", "a": "2"}, "apiVersion": "v1"
        });
        let dropped = prune_unknown_fields("", "v1", "ConfigMap", &mut cm);
        assert_eq!(dropped, vec!["zzz"]);
        assert_eq!(
            serde_json::to_string(&cm).unwrap(),
            r#"{"metadata":{"name":"x","namespace":"d","labels":{"z":"1","a":"2"}},"kind":"ConfigMap","data":{"b":"1","a":"2"},"apiVersion":"v1"}"#
        );
    }

    #[test]
    fn body_without_kind_is_still_pruned() {
        let mut cm = json!({"metadata": {"name": "x", "foo": 1}, "data": {}});
        assert_eq!(
            prune_unknown_fields("", "v1", "ConfigMap", &mut cm),
            vec!["metadata.foo"]
        );
    }

    #[test]
    fn null_fields_removed_without_report() {
        let mut cm = json!({"metadata": {"name": "x"}, "data": null});
        assert!(prune_unknown_fields("", "v1", "ConfigMap", &mut cm).is_empty());
        assert_eq!(cm, json!({"metadata": {"name": "x"}}));
    }

    #[test]
    fn unknown_kind_is_left_alone() {
        let mut o = json!({"spec": {"anything": 1}});
        assert!(prune_unknown_fields("example.com", "v1", "Foo", &mut o).is_empty());
        assert_eq!(o, json!({"spec": {"anything": 1}}));
    }

    #[test]
    fn crd_schema_free_form_fields_survive() {
        let mut crd = json!({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "foos.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"plural": "foos", "kind": "Foo"},
                "versions": [{"name": "v1", "served": true, "storage": true,
                    "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true,
                        "properties": {"spec": {"type": "object", "default": {"a": 1}, "bogus": 1}}}}}]}
        });
        let dropped = prune_unknown_fields(
            "apiextensions.k8s.io",
            "v1",
            "CustomResourceDefinition",
            &mut crd,
        );
        assert_eq!(
            dropped,
            vec!["spec.versions[0].schema.openAPIV3Schema.properties.spec.bogus"]
        );
        assert_eq!(
            crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
                ["default"],
            json!({"a": 1})
        );
    }

    #[test]
    fn hpa_v2_and_v1_known() {
        let mut h = json!({"spec": {"maxReplicas": 3, "scaleTargetRef": {"kind": "Deployment", "name": "x"}, "nope": 1}});
        assert_eq!(
            prune_unknown_fields("autoscaling", "v2", "HorizontalPodAutoscaler", &mut h),
            vec!["spec.nope"]
        );
        let mut h1 = json!({"spec": {"maxReplicas": 3, "scaleTargetRef": {"kind": "Deployment", "name": "x"}, "nope": 1}});
        assert_eq!(
            prune_unknown_fields("autoscaling", "v1", "HorizontalPodAutoscaler", &mut h1),
            vec!["spec.nope"]
        );
    }

    #[test]
    fn object_meta_pruned_to_known_fields() {
        let mut m = json!({"name": "a", "labels": {"x": "y"}, "clusterName": "c", "junk": {}});
        assert_eq!(
            prune_object_meta(&mut m, "metadata"),
            vec!["metadata.clusterName", "metadata.junk"]
        );
        assert_eq!(m, json!({"name": "a", "labels": {"x": "y"}}));
    }

    #[test]
    fn bad_base64_in_secret_is_a_decode_error() {
        let s = json!({"metadata": {"name": "s"}, "data": {"k": "not base64!"}});
        assert_eq!(
            decode_error("", "v1", "Secret", &s).unwrap(),
            "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 3"
        );
        let ok = json!({"metadata": {"name": "s"}, "data": {"k": "aGVsbG8="}});
        assert_eq!(decode_error("", "v1", "Secret", &ok), None);
    }

    #[test]
    fn base64_length_errors() {
        assert_eq!(
            base64_error("aGVsbG8"),
            Some("illegal base64 data at input byte 4".into())
        );
        assert_eq!(base64_error("aGVs\nbG8="), None);
        assert_eq!(base64_error(""), None);
    }

    #[test]
    fn non_string_labels_are_refused_in_go_words() {
        let cm = json!({"metadata": {"name": "b", "annotations": {"a": "x"}, "labels": {"ok": "1", "x": true}}});
        assert_eq!(
            metadata_type_error("", "v1", "ConfigMap", &cm).unwrap(),
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string"
        );
        let d = json!({"metadata": {"name": "d"}, "spec": {"template": {"metadata": {"annotations": "x"}}}});
        assert_eq!(
            metadata_type_error("apps", "v1", "Deployment", &d).unwrap(),
            "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field ObjectMeta.spec.template.metadata.annotations of type map[string]string"
        );
        let fine = json!({"metadata": {"name": "b", "labels": {"x": "true"}, "annotations": null}});
        assert_eq!(metadata_type_error("", "v1", "ConfigMap", &fine), None);
    }

    #[test]
    fn wrong_type_is_a_decode_error() {
        let d = json!({"metadata": {"name": "d"}, "spec": {"replicas": "two"}});
        let msg = decode_error("apps", "v1", "Deployment", &d).unwrap();
        assert!(
            msg.starts_with("Deployment in version \"v1\" cannot be handled as a Deployment: "),
            "{msg}"
        );
    }
}
