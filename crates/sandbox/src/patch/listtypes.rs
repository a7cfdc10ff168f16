//! How lists and maps of a type merge: the built-in patchMergeKey/listType table and the CRD `x-kubernetes-*` schema markers.

use std::sync::Arc;

use serde_json::Value;

/// How a list merges. `Map` keys come in schema order; strategic merge patch matches on the first one
/// (the `patchMergeKey`), server-side apply identifies items by all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListType {
    Atomic,
    Set,
    Map(Vec<String>),
}

/// Merge semantics of one resource type. Paths are field names from the object root with list items
/// elided, e.g. `["spec","template","spec","containers","ports"]`; entries of string-keyed maps appear as
/// their key.
pub trait TypeSchema: Send + Sync {
    fn list_type(&self, path: &[&str]) -> ListType;
    fn map_is_atomic(&self, _path: &[&str]) -> bool {
        false
    }
    /// The value a list-map key field takes when an item omits it, so that `{containerPort: 80}` and the
    /// defaulted `{containerPort: 80, protocol: TCP}` name the same item (as the real server does).
    fn key_default(&self, _path: &[&str], _key: &str) -> Option<Value> {
        None
    }
}

/// List semantics every object shares through its ObjectMeta.
fn metadata_list_type(path: &[&str]) -> Option<ListType> {
    match path {
        ["metadata", "finalizers"] => Some(ListType::Set),
        ["metadata", "ownerReferences"] => Some(ListType::Map(vec!["uid".into()])),
        _ => None,
    }
}

fn keyed(keys: &[&str]) -> ListType {
    ListType::Map(keys.iter().map(|k| k.to_string()).collect())
}

/// Relative to a PodSpec.
const POD_SPEC_LISTS: &[(&[&str], &[&str])] = &[
    (&["volumes"], &["name"]),
    (&["imagePullSecrets"], &["name"]),
    (&["hostAliases"], &["ip"]),
    (
        &["topologySpreadConstraints"],
        &["topologyKey", "whenUnsatisfiable"],
    ),
    (&["resourceClaims"], &["name"]),
    (&["schedulingGates"], &["name"]),
];

/// Relative to a container (of any of the three container lists).
const CONTAINER_LISTS: &[(&[&str], &[&str])] = &[
    (&["ports"], &["containerPort", "protocol"]),
    (&["env"], &["name"]),
    (&["volumeMounts"], &["mountPath"]),
    (&["volumeDevices"], &["devicePath"]),
    (&["resizePolicy"], &["resourceName"]),
];

/// Object references that the API marks `x-kubernetes-map-type: atomic`, relative to a container.
const CONTAINER_ATOMIC_MAPS: &[&[&str]] = &[
    &["env", "valueFrom", "configMapKeyRef"],
    &["env", "valueFrom", "secretKeyRef"],
    &["env", "valueFrom", "fieldRef"],
    &["env", "valueFrom", "resourceFieldRef"],
    &["envFrom", "configMapRef"],
    &["envFrom", "secretRef"],
];

const CONTAINER_LIST_NAMES: &[&str] = &["containers", "initContainers", "ephemeralContainers"];

/// The built-in table, flattened into full paths for one kind.
struct BuiltinSchema {
    lists: Vec<(Vec<String>, ListType)>,
    atomic_maps: Vec<Vec<String>>,
}

fn path_of(prefix: &[&str], rest: &[&str]) -> Vec<String> {
    prefix.iter().chain(rest).map(|s| s.to_string()).collect()
}

fn pod_template_spec_prefix(group: &str, kind: &str) -> Option<&'static [&'static str]> {
    match (group, kind) {
        ("", "Pod") => Some(&["spec"]),
        ("", "PodTemplate") => Some(&["template", "spec"]),
        ("", "ReplicationController")
        | ("apps", "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet")
        | ("batch", "Job") => Some(&["spec", "template", "spec"]),
        ("batch", "CronJob") => Some(&["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => None,
    }
}

impl BuiltinSchema {
    fn for_kind(group: &str, kind: &str) -> Self {
        let mut s = BuiltinSchema {
            lists: vec![(path_of(&["status", "conditions"], &[]), keyed(&["type"]))],
            atomic_maps: Vec::new(),
        };
        if let Some(pod) = pod_template_spec_prefix(group, kind) {
            s.add_pod_spec(pod);
            // The template's own ObjectMeta, one level above its spec.
            let meta: Vec<&str> = pod[..pod.len() - 1]
                .iter()
                .copied()
                .chain(["metadata"])
                .collect();
            s.lists
                .push((path_of(&meta, &["finalizers"]), ListType::Set));
            s.lists
                .push((path_of(&meta, &["ownerReferences"]), keyed(&["uid"])));
        }
        match (group, kind) {
            ("apps", "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet")
            | ("batch", "Job")
            | ("policy", "PodDisruptionBudget") => {
                s.atomic_maps.push(path_of(&["spec", "selector"], &[]));
            }
            ("batch", "CronJob") => {
                s.atomic_maps
                    .push(path_of(&["spec", "jobTemplate", "spec", "selector"], &[]));
            }
            ("", "Service") => {
                s.lists.push((
                    path_of(&["spec", "ports"], &[]),
                    keyed(&["port", "protocol"]),
                ));
                s.atomic_maps.push(path_of(&["spec", "selector"], &[]));
            }
            ("", "ServiceAccount") => {
                s.lists.push((path_of(&["secrets"], &[]), keyed(&["name"])));
                s.lists
                    .push((path_of(&["imagePullSecrets"], &[]), keyed(&["name"])));
            }
            ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => {
                s.atomic_maps.push(path_of(&["roleRef"], &[]));
            }
            _ => {}
        }
        s
    }

    fn add_pod_spec(&mut self, pod: &[&str]) {
        for (rest, keys) in POD_SPEC_LISTS {
            self.lists.push((path_of(pod, rest), keyed(keys)));
        }
        self.atomic_maps.push(path_of(pod, &["nodeSelector"]));
        for containers in CONTAINER_LIST_NAMES {
            let c: Vec<&str> = pod.iter().copied().chain([*containers]).collect();
            self.lists.push((path_of(&c, &[]), keyed(&["name"])));
            for (rest, keys) in CONTAINER_LISTS {
                self.lists.push((path_of(&c, rest), keyed(keys)));
            }
            for rest in CONTAINER_ATOMIC_MAPS {
                self.atomic_maps.push(path_of(&c, rest));
            }
        }
    }
}

fn same_path(a: &[String], b: &[&str]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

impl TypeSchema for BuiltinSchema {
    fn list_type(&self, path: &[&str]) -> ListType {
        if let Some(t) = metadata_list_type(path) {
            return t;
        }
        self.lists
            .iter()
            .find(|(p, _)| same_path(p, path))
            .map(|(_, t)| t.clone())
            .unwrap_or(ListType::Atomic)
    }

    fn map_is_atomic(&self, path: &[&str]) -> bool {
        self.atomic_maps.iter().any(|p| same_path(p, path))
    }

    fn key_default(&self, path: &[&str], key: &str) -> Option<Value> {
        // Container and Service ports default `protocol` to TCP, and it is part of their list-map key.
        (key == "protocol" && path.last() == Some(&"ports")).then(|| Value::from("TCP"))
    }
}

/// Merge keys / list types of built-in kinds (apiserver.md §6.4). PodSpec paths apply under every pod
/// template path of the kind; unknown lists are atomic.
pub fn builtin_schema(group: &str, kind: &str) -> Box<dyn TypeSchema> {
    Box::new(BuiltinSchema::for_kind(group, kind))
}

/// List/map semantics read from a CRD version's `openAPIV3Schema`.
struct CrdSchema {
    root: Arc<Value>,
}

impl CrdSchema {
    /// The schema node at `path`, stepping through `items` of arrays implicitly (paths elide list items)
    /// and through `additionalProperties` for map entries.
    fn node(&self, path: &[&str]) -> Option<&Value> {
        let mut node: &Value = &self.root;
        for name in path {
            node = through_items(node);
            node = match node.get("properties").and_then(|p| p.get(*name)) {
                Some(n) => n,
                None => match node.get("additionalProperties") {
                    Some(n) if n.is_object() => n,
                    _ => return None,
                },
            };
        }
        Some(node)
    }
}

fn through_items(mut node: &Value) -> &Value {
    while node.get("type").and_then(Value::as_str) == Some("array") {
        match node.get("items") {
            Some(items) => node = items,
            None => break,
        }
    }
    node
}

impl TypeSchema for CrdSchema {
    fn list_type(&self, path: &[&str]) -> ListType {
        if let Some(t) = metadata_list_type(path) {
            return t;
        }
        let Some(node) = self.node(path) else {
            return ListType::Atomic;
        };
        match node.get("x-kubernetes-list-type").and_then(Value::as_str) {
            Some("set") => ListType::Set,
            Some("map") => {
                let keys: Vec<String> = node
                    .get("x-kubernetes-list-map-keys")
                    .and_then(Value::as_array)
                    .map(|ks| {
                        ks.iter()
                            .filter_map(|k| k.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                if keys.is_empty() {
                    ListType::Atomic
                } else {
                    ListType::Map(keys)
                }
            }
            _ => ListType::Atomic,
        }
    }

    fn map_is_atomic(&self, path: &[&str]) -> bool {
        self.node(path)
            .and_then(|n| n.get("x-kubernetes-map-type"))
            .and_then(Value::as_str)
            == Some("atomic")
    }

    fn key_default(&self, path: &[&str], key: &str) -> Option<Value> {
        let item = through_items(self.node(path)?);
        item.get("properties")?.get(key)?.get("default").cloned()
    }
}

/// List/map types of a CRD version's openAPIV3Schema; lists without `x-kubernetes-list-type` are atomic.
/// `metadata` paths behave as for built-ins.
pub fn crd_schema(open_api_v3_schema: Arc<Value>) -> Box<dyn TypeSchema> {
    Box::new(CrdSchema {
        root: open_api_v3_schema,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(keys: &[&str]) -> ListType {
        keyed(keys)
    }

    #[test]
    fn deployment_containers_merge_by_name_under_the_pod_template() {
        let s = builtin_schema("apps", "Deployment");
        assert_eq!(
            s.list_type(&["spec", "template", "spec", "containers"]),
            map(&["name"])
        );
        assert_eq!(
            s.list_type(&["spec", "template", "spec", "initContainers", "env"]),
            map(&["name"])
        );
        assert_eq!(
            s.list_type(&["spec", "template", "spec", "containers", "ports"]),
            map(&["containerPort", "protocol"])
        );
    }

    #[test]
    fn pod_spec_paths_follow_each_kinds_template_location() {
        assert_eq!(
            builtin_schema("", "Pod").list_type(&["spec", "volumes"]),
            map(&["name"])
        );
        assert_eq!(
            builtin_schema("batch", "CronJob").list_type(&[
                "spec",
                "jobTemplate",
                "spec",
                "template",
                "spec",
                "containers"
            ]),
            map(&["name"])
        );
        assert_eq!(
            builtin_schema("", "ConfigMap").list_type(&["spec", "template", "spec", "containers"]),
            ListType::Atomic
        );
    }

    #[test]
    fn container_args_tolerations_and_rbac_rules_are_atomic() {
        let d = builtin_schema("apps", "Deployment");
        assert_eq!(
            d.list_type(&["spec", "template", "spec", "containers", "args"]),
            ListType::Atomic
        );
        assert_eq!(
            d.list_type(&["spec", "template", "spec", "tolerations"]),
            ListType::Atomic
        );
        let r = builtin_schema("rbac.authorization.k8s.io", "ClusterRole");
        assert_eq!(r.list_type(&["rules"]), ListType::Atomic);
    }

    #[test]
    fn metadata_finalizers_are_a_set_and_owner_references_merge_by_uid() {
        for s in [
            builtin_schema("", "ConfigMap"),
            crd_schema(Arc::new(json!({"type": "object"}))),
        ] {
            assert_eq!(s.list_type(&["metadata", "finalizers"]), ListType::Set);
            assert_eq!(s.list_type(&["metadata", "ownerReferences"]), map(&["uid"]));
        }
    }

    #[test]
    fn service_ports_key_on_port_and_protocol_with_tcp_default() {
        let s = builtin_schema("", "Service");
        assert_eq!(s.list_type(&["spec", "ports"]), map(&["port", "protocol"]));
        assert_eq!(
            s.key_default(&["spec", "ports"], "protocol"),
            Some(json!("TCP"))
        );
        assert!(s.map_is_atomic(&["spec", "selector"]));
    }

    #[test]
    fn workload_selectors_are_atomic_maps_and_labels_are_not() {
        let s = builtin_schema("apps", "Deployment");
        assert!(s.map_is_atomic(&["spec", "selector"]));
        assert!(!s.map_is_atomic(&["metadata", "labels"]));
        assert!(!s.map_is_atomic(&["spec", "template", "metadata", "labels"]));
    }

    #[test]
    fn status_conditions_merge_by_type_for_builtins() {
        assert_eq!(
            builtin_schema("apps", "Deployment").list_type(&["status", "conditions"]),
            map(&["type"])
        );
    }

    fn crd() -> Value {
        json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {
            "plain": {"type": "array", "items": {"type": "string"}},
            "tags": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}},
            "ports": {"type": "array", "x-kubernetes-list-type": "map",
                      "x-kubernetes-list-map-keys": ["port", "protocol"],
                      "items": {"type": "object", "properties": {
                          "port": {"type": "integer"},
                          "protocol": {"type": "string", "default": "TCP"},
                          "hosts": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}}}}},
            "ref": {"type": "object", "x-kubernetes-map-type": "atomic"},
            "byName": {"type": "object", "additionalProperties": {"type": "object", "properties": {
                "items": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}}}}}
        }}}})
    }

    #[test]
    fn crd_lists_default_to_atomic() {
        let s = crd_schema(Arc::new(crd()));
        assert_eq!(s.list_type(&["spec", "plain"]), ListType::Atomic);
        assert_eq!(s.list_type(&["spec", "unknown"]), ListType::Atomic);
    }

    #[test]
    fn crd_list_type_markers_are_honoured() {
        let s = crd_schema(Arc::new(crd()));
        assert_eq!(s.list_type(&["spec", "tags"]), ListType::Set);
        assert_eq!(s.list_type(&["spec", "ports"]), map(&["port", "protocol"]));
        assert!(s.map_is_atomic(&["spec", "ref"]));
        assert!(!s.map_is_atomic(&["spec"]));
    }

    #[test]
    fn crd_paths_step_through_list_items_and_additional_properties() {
        let s = crd_schema(Arc::new(crd()));
        assert_eq!(s.list_type(&["spec", "ports", "hosts"]), ListType::Set);
        assert_eq!(
            s.list_type(&["spec", "byName", "anything", "items"]),
            ListType::Set
        );
    }

    #[test]
    fn crd_key_default_comes_from_the_item_schema() {
        let s = crd_schema(Arc::new(crd()));
        assert_eq!(
            s.key_default(&["spec", "ports"], "protocol"),
            Some(json!("TCP"))
        );
        assert_eq!(s.key_default(&["spec", "ports"], "port"), None);
    }
}
