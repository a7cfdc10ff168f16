//! JSON schemas of the built-in kinds, from k8s-openapi's `schemars` implementations (the definitions of the
//! Kubernetes OpenAPI spec the types are generated from), completed with what the real server adds: each
//! kind's `x-kubernetes-group-version-kind`, the list kinds, and the list/map merge markers
//! (`x-kubernetes-list-type`, `-list-map-keys`, `-patch-strategy`, `-patch-merge-key`, `-map-type`) taken
//! from the same table the sandbox merges patches and tracks managed fields with. Built once per process.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use k8s_openapi::api;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1 as apiext;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use schemars::SchemaGenerator;
use serde_json::{json, Map, Value};

use crate::patch::listtypes::{builtin_schema, ListType, TypeSchema};
use crate::registry::builtin_types;

pub const DEFS: &str = "#/definitions/";
pub const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
pub const LIST_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
pub const STATUS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
pub const DELETE_OPTIONS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
pub const PATCH: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
pub const WATCH_EVENT: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent";

/// The built-in definitions (refs as `#/definitions/NAME`) and the definition of each served kind.
pub struct Builtin {
    pub definitions: Map<String, Value>,
    /// (group, version, kind) -> definition name, for kinds and their lists.
    pub kinds: BTreeMap<(String, String, String), String>,
}

type SchemaFn = fn(&mut SchemaGenerator) -> schemars::Schema;

macro_rules! kinds {
    ($( $g:literal $v:literal $k:literal => $t:ty ;)*) => {
        /// The k8s-openapi type of each built-in kind the sandbox serves (and of the kinds its subresources
        /// answer with).
        fn kind_schema(group: &str, version: &str, kind: &str) -> Option<SchemaFn> {
            match (group, version, kind) {
                $( ($g, $v, $k) => Some(|g: &mut SchemaGenerator| g.subschema_for::<$t>()), )*
                _ => None,
            }
        }
        #[cfg(test)]
        const KIND_TABLE: &[(&str, &str, &str)] = &[$( ($g, $v, $k), )*];
    };
}

kinds! {
    "" "v1" "Namespace" => api::core::v1::Namespace;
    "" "v1" "ConfigMap" => api::core::v1::ConfigMap;
    "" "v1" "Secret" => api::core::v1::Secret;
    "" "v1" "ServiceAccount" => api::core::v1::ServiceAccount;
    "" "v1" "Service" => api::core::v1::Service;
    "" "v1" "Endpoints" => api::core::v1::Endpoints;
    "" "v1" "Event" => api::core::v1::Event;
    "" "v1" "Pod" => api::core::v1::Pod;
    "" "v1" "Node" => api::core::v1::Node;
    "" "v1" "PersistentVolume" => api::core::v1::PersistentVolume;
    "" "v1" "PersistentVolumeClaim" => api::core::v1::PersistentVolumeClaim;
    "" "v1" "ResourceQuota" => api::core::v1::ResourceQuota;
    "" "v1" "LimitRange" => api::core::v1::LimitRange;
    "" "v1" "ReplicationController" => api::core::v1::ReplicationController;
    "apps" "v1" "Deployment" => api::apps::v1::Deployment;
    "apps" "v1" "ReplicaSet" => api::apps::v1::ReplicaSet;
    "apps" "v1" "StatefulSet" => api::apps::v1::StatefulSet;
    "apps" "v1" "DaemonSet" => api::apps::v1::DaemonSet;
    "apps" "v1" "ControllerRevision" => api::apps::v1::ControllerRevision;
    "authentication.k8s.io" "v1" "TokenReview" => api::authentication::v1::TokenReview;
    "authentication.k8s.io" "v1" "SelfSubjectReview" => api::authentication::v1::SelfSubjectReview;
    "authentication.k8s.io" "v1" "TokenRequest" => api::authentication::v1::TokenRequest;
    "authorization.k8s.io" "v1" "LocalSubjectAccessReview" => api::authorization::v1::LocalSubjectAccessReview;
    "authorization.k8s.io" "v1" "SelfSubjectAccessReview" => api::authorization::v1::SelfSubjectAccessReview;
    "authorization.k8s.io" "v1" "SelfSubjectRulesReview" => api::authorization::v1::SelfSubjectRulesReview;
    "authorization.k8s.io" "v1" "SubjectAccessReview" => api::authorization::v1::SubjectAccessReview;
    "autoscaling" "v2" "HorizontalPodAutoscaler" => api::autoscaling::v2::HorizontalPodAutoscaler;
    "autoscaling" "v1" "HorizontalPodAutoscaler" => api::autoscaling::v1::HorizontalPodAutoscaler;
    "autoscaling" "v1" "Scale" => api::autoscaling::v1::Scale;
    "batch" "v1" "Job" => api::batch::v1::Job;
    "batch" "v1" "CronJob" => api::batch::v1::CronJob;
    "networking.k8s.io" "v1" "Ingress" => api::networking::v1::Ingress;
    "networking.k8s.io" "v1" "NetworkPolicy" => api::networking::v1::NetworkPolicy;
    "networking.k8s.io" "v1" "IngressClass" => api::networking::v1::IngressClass;
    "policy" "v1" "PodDisruptionBudget" => api::policy::v1::PodDisruptionBudget;
    "rbac.authorization.k8s.io" "v1" "ClusterRole" => api::rbac::v1::ClusterRole;
    "rbac.authorization.k8s.io" "v1" "ClusterRoleBinding" => api::rbac::v1::ClusterRoleBinding;
    "rbac.authorization.k8s.io" "v1" "Role" => api::rbac::v1::Role;
    "rbac.authorization.k8s.io" "v1" "RoleBinding" => api::rbac::v1::RoleBinding;
    "apiextensions.k8s.io" "v1" "CustomResourceDefinition" => apiext::CustomResourceDefinition;
    "coordination.k8s.io" "v1" "Lease" => api::coordination::v1::Lease;
    "events.k8s.io" "v1" "Event" => api::events::v1::Event;
    "storage.k8s.io" "v1" "StorageClass" => api::storage::v1::StorageClass;
    "scheduling.k8s.io" "v1" "PriorityClass" => api::scheduling::v1::PriorityClass;
    "discovery.k8s.io" "v1" "EndpointSlice" => api::discovery::v1::EndpointSlice;
    "admissionregistration.k8s.io" "v1" "ValidatingWebhookConfiguration" => api::admissionregistration::v1::ValidatingWebhookConfiguration;
    "admissionregistration.k8s.io" "v1" "MutatingWebhookConfiguration" => api::admissionregistration::v1::MutatingWebhookConfiguration;
    "" "v1" "Status" => meta::Status;
}

pub fn builtin() -> &'static Builtin {
    static B: OnceLock<Builtin> = OnceLock::new();
    B.get_or_init(build)
}

fn ref_name(schema: &schemars::Schema) -> String {
    schema
        .get("$ref")
        .and_then(|r| r.as_str())
        .and_then(|r| r.strip_prefix(DEFS))
        .unwrap_or_default()
        .to_string()
}

/// `[{group, kind, version}]`, the extension value a kind's definition carries.
pub fn gvk_list(gvks: &[(String, String, String)]) -> Value {
    Value::Array(
        gvks.iter()
            .map(|(g, v, k)| json!({"group": g, "kind": k, "version": v}))
            .collect(),
    )
}

/// A list kind's definition, as the real server generates it for `XList` (worded as it words a custom
/// resource's list when `crd`).
/// `plural` is the resource's plural name, which a custom resource's list describes its items by.
pub fn list_definition(
    item_ref: &str,
    kind: &str,
    plural: &str,
    gvk: (&str, &str),
    crd: bool,
) -> Value {
    let (description, items) = if crd {
        (
            format!("{kind}List is a list of {kind}"),
            format!("List of {plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"),
        )
    } else {
        (
            format!("{kind}List is a list of {kind}s."),
            format!("Items is the list of {kind}s."),
        )
    };
    json!({
        "description": description,
        "type": "object",
        "required": ["items"],
        "properties": {
            "apiVersion": {"description": API_VERSION_DESCRIPTION, "type": "string"},
            "items": {"description": items, "type": "array", "items": {"$ref": format!("{DEFS}{item_ref}")}},
            "kind": {"description": KIND_DESCRIPTION, "type": "string"},
            "metadata": {"$ref": format!("{DEFS}{LIST_META}"), "description": "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"},
        },
        "x-kubernetes-group-version-kind": [{"group": gvk.0, "kind": format!("{kind}List"), "version": gvk.1}],
    })
}

/// References whose `name` k8s-openapi requires and the API does not.
const OPTIONAL_NAME: &[&str] = &[
    "io.k8s.api.core.v1.ConfigMapEnvSource",
    "io.k8s.api.core.v1.ConfigMapKeySelector",
    "io.k8s.api.core.v1.ConfigMapProjection",
    "io.k8s.api.core.v1.ConfigMapVolumeSource",
    "io.k8s.api.core.v1.LocalObjectReference",
    "io.k8s.api.core.v1.SecretEnvSource",
    "io.k8s.api.core.v1.SecretKeySelector",
    "io.k8s.api.core.v1.SecretProjection",
];

pub const API_VERSION_DESCRIPTION: &str = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
pub const KIND_DESCRIPTION: &str = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

fn build() -> Builtin {
    let settings = schemars::generate::SchemaSettings::draft07().with(|s| {
        s.definitions_path = "/definitions".into();
        s.meta_schema = None;
        s.transforms = vec![];
    });
    let mut gen = settings.into_generator();
    let mut kinds: BTreeMap<(String, String, String), String> = BTreeMap::new();
    // Served kinds (every version), then the kinds subresources answer with, then the shared meta kinds.
    let mut wanted: Vec<(String, String, String)> = Vec::new();
    for t in builtin_types() {
        for v in &t.versions {
            wanted.push((t.group.clone(), v.clone(), t.kind.clone()));
        }
    }
    for extra in [
        ("autoscaling", "v1", "Scale"),
        ("authentication.k8s.io", "v1", "TokenRequest"),
        ("", "v1", "Status"),
    ] {
        wanted.push((extra.0.into(), extra.1.into(), extra.2.into()));
    }
    for (g, v, k) in &wanted {
        if let Some(f) = kind_schema(g, v, k) {
            let name = ref_name(&f(&mut gen));
            kinds.insert((g.clone(), v.clone(), k.clone()), name);
        }
    }
    for name in [
        gen.subschema_for::<meta::DeleteOptions>(),
        gen.subschema_for::<meta::Patch>(),
        gen.subschema_for::<meta::WatchEvent<()>>(),
    ] {
        debug_assert!(!ref_name(&name).is_empty());
    }
    let mut defs: Map<String, Value> = gen.take_definitions(false);
    for def in defs.values_mut() {
        to_v2(def);
    }
    // The special types, as the real server describes them.
    for (name, ty, format) in [
        (
            "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
            Some("string"),
            Some("int-or-string"),
        ),
        (
            "io.k8s.apimachinery.pkg.api.resource.Quantity",
            Some("string"),
            None,
        ),
        (
            "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
            None,
            None,
        ),
    ] {
        if let Some(Value::Object(d)) = defs.get_mut(name) {
            d.remove("x-kubernetes-int-or-string");
            d.remove("type");
            if let Some(t) = ty {
                d.insert("type".into(), json!(t));
            }
            if let Some(f) = format {
                d.insert("format".into(), json!(f));
            }
        }
    }
    if let Some(Value::Object(d)) = defs.get_mut(WATCH_EVENT) {
        // The generic WatchEvent<T> describes its object as the raw extension it is on the wire.
        if let Some(obj) = d.get_mut("properties").and_then(|p| p.get_mut("object")) {
            *obj = json!({"$ref": format!("{DEFS}io.k8s.apimachinery.pkg.runtime.RawExtension"), "description": "Object is:\n * If Type is Added or Modified: the new state of the object.\n * If Type is Deleted: the state of the object immediately before deletion.\n * If Type is Error: *Status is recommended; other types may make sense\n   depending on context."});
        }
    }
    // k8s-openapi requires what its Rust structs cannot leave out (every kind's metadata, the name of an
    // object reference); the API requires neither. It leaves eventTime optional, which events.k8s.io requires.
    for (name, def) in defs.iter_mut() {
        let Some(req) = def.get_mut("required").and_then(|r| r.as_array_mut()) else {
            continue;
        };
        req.retain(|f| f != "metadata");
        if OPTIONAL_NAME.contains(&name.as_str()) {
            req.retain(|f| f != "name");
        }
        if name == "io.k8s.api.events.v1.Event" && !req.iter().any(|f| f == "eventTime") {
            req.push(json!("eventTime"));
        }
        if req.is_empty() {
            def.as_object_mut().map(|d| d.remove("required"));
        }
    }
    // Kinds: their group-version-kinds (a definition served under several groups lists each) and lists.
    let mut gvks_of: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for ((g, v, k), name) in &kinds {
        gvks_of
            .entry(name.clone())
            .or_default()
            .push((g.clone(), v.clone(), k.clone()));
    }
    for (name, gvks) in &gvks_of {
        if let Some(Value::Object(d)) = defs.get_mut(name) {
            d.insert("x-kubernetes-group-version-kind".into(), gvk_list(gvks));
        }
    }
    // The option and event kinds every group-version has.
    for (def, kind) in [
        (DELETE_OPTIONS, "DeleteOptions"),
        (WATCH_EVENT, "WatchEvent"),
    ] {
        if let Some(Value::Object(d)) = defs.get_mut(def) {
            let mut gvks: Vec<(String, String, String)> = Vec::new();
            let mut seen = BTreeSet::new();
            for (g, v, _) in kinds.keys() {
                if seen.insert((g.clone(), v.clone())) {
                    gvks.push((g.clone(), v.clone(), kind.into()));
                }
            }
            d.insert("x-kubernetes-group-version-kind".into(), gvk_list(&gvks));
        }
    }
    for t in builtin_types() {
        for v in &t.versions {
            let Some(item) = kinds
                .get(&(t.group.clone(), v.clone(), t.kind.clone()))
                .cloned()
            else {
                continue;
            };
            let list_name = format!("{item}List");
            defs.insert(
                list_name.clone(),
                list_definition(&item, &t.kind, &t.plural, (&t.group, v), false),
            );
            kinds.insert((t.group.clone(), v.clone(), t.list_kind.clone()), list_name);
            // Merge markers, walked from the kind's root with the same paths the patch code uses.
            let ts = builtin_schema(&t.group, &t.kind);
            annotate(
                &mut defs,
                &item,
                &mut Vec::new(),
                ts.as_ref(),
                &mut Vec::new(),
            );
        }
    }
    Builtin {
        definitions: defs,
        kinds,
    }
}

/// Swagger 2.0 has no `oneOf`/`anyOf`: a definition that is one of several shapes (JSONSchemaPropsOrBool, …)
/// is described by its text alone, as the real server does.
fn to_v2(schema: &mut Value) {
    let Value::Object(m) = schema else {
        return;
    };
    if m.remove("oneOf").is_some() | m.remove("anyOf").is_some() {
        m.remove("type");
    }
    // Only the schemas nested in this one: a property may itself be named `type` or `oneOf`.
    if let Some(Value::Object(props)) = m.get_mut("properties") {
        props.values_mut().for_each(to_v2);
    }
    for k in ["items", "additionalProperties"] {
        if let Some(s) = m.get_mut(k) {
            to_v2(s);
        }
    }
    if let Some(Value::Array(all)) = m.get_mut("allOf") {
        all.iter_mut().for_each(to_v2);
    }
}

fn def_of(schema: &Value) -> Option<String> {
    schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix(DEFS))
        .map(String::from)
}

fn annotate(
    defs: &mut Map<String, Value>,
    def: &str,
    path: &mut Vec<String>,
    ts: &dyn TypeSchema,
    stack: &mut Vec<String>,
) {
    // Recursive definitions (JSONSchemaProps) are walked once; the table's paths are shallower than 11.
    if path.len() > 10 || stack.iter().any(|d| d == def) {
        return;
    }
    stack.push(def.to_string());
    let props: Vec<(String, Value)> = match defs.get(def).and_then(|d| d["properties"].as_object())
    {
        Some(p) => p.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        None => return,
    };
    for (name, prop) in props {
        path.push(name.clone());
        let p: Vec<&str> = path.iter().map(|s| s.as_str()).collect();
        let mut marks: Vec<(&str, Value)> = Vec::new();
        if prop["type"] == "array" {
            match ts.list_type(&p) {
                ListType::Map(keys) => {
                    // Volumes and resource claims also drop the keys of a source that was replaced.
                    let strategy = if matches!(name.as_str(), "volumes" | "resourceClaims")
                        && def == "io.k8s.api.core.v1.PodSpec"
                    {
                        "merge,retainKeys"
                    } else {
                        "merge"
                    };
                    marks.push(("x-kubernetes-list-map-keys", json!(keys)));
                    marks.push(("x-kubernetes-list-type", json!("map")));
                    marks.push(("x-kubernetes-patch-merge-key", json!(keys[0])));
                    marks.push(("x-kubernetes-patch-strategy", json!(strategy)));
                }
                ListType::Set => {
                    marks.push(("x-kubernetes-list-type", json!("set")));
                    if p == ["metadata", "finalizers"] {
                        marks.push(("x-kubernetes-patch-strategy", json!("merge")));
                    }
                }
                ListType::Atomic => {}
            }
        } else if name == "strategy" && def == "io.k8s.api.apps.v1.DeploymentSpec" {
            // Switching a Deployment to Recreate drops the rollingUpdate it had.
            marks.push(("x-kubernetes-patch-strategy", json!("retainKeys")));
        } else if ts.map_is_atomic(&p) {
            marks.push(("x-kubernetes-map-type", json!("atomic")));
        }
        if !marks.is_empty() {
            if let Some(Value::Object(target)) = defs
                .get_mut(def)
                .and_then(|d| d.get_mut("properties"))
                .and_then(|ps| ps.get_mut(&name))
            {
                for (k, v) in marks {
                    target.entry(k.to_string()).or_insert(v);
                }
            }
        }
        let child = def_of(&prop).or_else(|| def_of(&prop["items"]));
        if let Some(child) = child {
            annotate(defs, &child, path, ts, stack);
        }
        path.pop();
    }
    stack.pop();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_served_builtin_kind_has_a_definition() {
        for t in builtin_types() {
            for v in &t.versions {
                assert!(
                    KIND_TABLE.contains(&(t.group.as_str(), v.as_str(), t.kind.as_str())),
                    "{}/{v} {} has no schema",
                    t.group,
                    t.kind
                );
            }
        }
        let b = builtin();
        let d = &b.definitions["io.k8s.api.apps.v1.Deployment"];
        assert_eq!(
            d["x-kubernetes-group-version-kind"],
            json!([{"group": "apps", "kind": "Deployment", "version": "v1"}])
        );
        let containers = &b.definitions["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
        assert_eq!(containers["x-kubernetes-patch-merge-key"], "name");
        assert_eq!(containers["x-kubernetes-patch-strategy"], "merge");
        let ports = &b.definitions["io.k8s.api.core.v1.Container"]["properties"]["ports"];
        assert_eq!(
            ports["x-kubernetes-list-map-keys"],
            json!(["containerPort", "protocol"])
        );
        // Properties named like schema keywords survive.
        let props = &b.definitions
            ["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"]
            ["properties"];
        for p in ["type", "oneOf", "anyOf", "items", "properties"] {
            assert!(props.get(p).is_some(), "JSONSchemaProps.{p}");
        }
        let fin = &b.definitions[OBJECT_META]["properties"]["finalizers"];
        assert_eq!(fin["x-kubernetes-list-type"], "set");
        // Every reference resolves.
        let text = serde_json::to_string(&b.definitions).unwrap();
        for r in text.split("\"#/definitions/").skip(1) {
            let name = &r[..r.find('"').unwrap()];
            assert!(b.definitions.contains_key(name), "dangling {name}");
        }
    }
}
