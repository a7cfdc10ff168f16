//! Conversion of ordinary Kubernetes objects into KubeFed federated objects (`federate`).
//!
//! The result is what `kubefedctl federate` creates: a `Federated<Kind>` whose template is the
//! source object minus everything the API server or the member cluster owns, placed in every
//! cluster (`clusterSelector: {matchLabels: {}}`).

use serde_json::{json, Map, Value};

use crate::kubefed::typeconfig::{
    default_types, federated_kind, guess_plural, is_federated_type, TargetType,
};
use crate::kubefed::{TYPES_GROUP, TYPES_VERSION};

/// A federated object, and the source annotations it could not carry (KubeFed drops template
/// annotations; users should move them to an override).
#[derive(Debug, Clone, PartialEq)]
pub struct Federated {
    pub object: Value,
    pub dropped_annotations: Vec<String>,
}

/// Why an input object cannot be federated; `at` names where it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {problem}")]
pub struct FederateError {
    /// E.g. `document 2` or `document 1, item 3 (ConfigMap "settings")`.
    pub at: String,
    pub problem: FederateProblem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FederateProblem {
    #[error("not a Kubernetes object: expected a mapping with apiVersion, kind and metadata.name")]
    NotAnObject,
    #[error("missing required field {0:?}")]
    MissingField(&'static str),
    #[error("invalid apiVersion {0:?}: expected VERSION or GROUP/VERSION")]
    InvalidApiVersion(String),
    #[error("{0} is already a federated type; federate the object it templates instead")]
    AlreadyFederated(String),
}

/// Converts `obj` (an object of type `target`) into its `Federated<Kind>`.
pub fn federate_object(
    obj: &Value,
    target: &TargetType,
    fed_group: &str,
    fed_version: &str,
) -> Federated {
    let meta = &obj["metadata"];
    let name = meta["name"].as_str().unwrap_or_default().to_string();
    let namespace = meta["namespace"]
        .as_str()
        .filter(|ns| !ns.is_empty())
        .map(str::to_string);

    let mut body = obj.as_object().cloned().unwrap_or_default();
    scrub_member_owned_fields(&mut body, target);
    for key in ["apiVersion", "kind", "status", "metadata"] {
        body.remove(key);
    }
    let dropped_annotations = meta["annotations"]
        .as_object()
        .map(|a| a.keys().cloned().collect())
        .unwrap_or_default();

    // Only labels survive from metadata; everything else is set by the system or by KubeFed.
    let mut template = Map::new();
    if let Some(labels) = meta["labels"].as_object().filter(|l| !l.is_empty()) {
        template.insert("metadata".into(), json!({"labels": labels}));
    }
    template.extend(body);

    let mut fed_meta = Map::new();
    fed_meta.insert("name".into(), json!(name));
    if target.is_namespace() {
        // A FederatedNamespace lives in the namespace it federates.
        fed_meta.insert("namespace".into(), json!(name));
    } else if let (true, Some(ns)) = (target.namespaced, namespace) {
        fed_meta.insert("namespace".into(), json!(ns));
    }

    let api_version = format!("{fed_group}/{fed_version}");
    Federated {
        object: json!({
            "apiVersion": api_version,
            "kind": federated_kind(&target.kind),
            "metadata": fed_meta,
            "spec": {
                "template": template,
                "placement": {"clusterSelector": {"matchLabels": {}}}
            }
        }),
        dropped_annotations,
    }
}

/// Removes fields a member cluster fills in itself, which would conflict or be rejected if
/// propagated: a Namespace's finalizers, a ServiceAccount's token secrets, a Service's
/// allocated cluster IPs and node ports.
fn scrub_member_owned_fields(body: &mut Map<String, Value>, target: &TargetType) {
    if !target.group.is_empty() {
        return;
    }
    match target.kind.as_str() {
        "Namespace" => {
            if let Some(spec) = body.get_mut("spec").and_then(Value::as_object_mut) {
                spec.remove("finalizers");
            }
        }
        "ServiceAccount" => {
            body.remove("secrets");
        }
        "Service" => {
            if let Some(spec) = body.get_mut("spec").and_then(Value::as_object_mut) {
                spec.remove("clusterIP");
                spec.remove("clusterIPs");
                if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
                    for port in ports.iter_mut().filter_map(Value::as_object_mut) {
                        port.remove("nodePort");
                    }
                }
            }
        }
        _ => {}
    }
}

/// The target type of a manifest without asking a cluster: one of the default types when the
/// group and kind match (correct plural, scope and short names), else plural guessed from the
/// kind and namespaced iff the object names a namespace.
pub fn target_from_object(obj: &Value) -> Result<TargetType, FederateError> {
    target_at(obj, "object")
}

fn target_at(obj: &Value, at: &str) -> Result<TargetType, FederateError> {
    let err = |problem| FederateError {
        at: at.to_string(),
        problem,
    };
    let map = obj.as_object().ok_or(err(FederateProblem::NotAnObject))?;
    let api_version = map
        .get("apiVersion")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or(err(FederateProblem::MissingField("apiVersion")))?;
    let kind = map
        .get("kind")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or(err(FederateProblem::MissingField("kind")))?;
    let (group, version) = match api_version.split('/').collect::<Vec<_>>()[..] {
        [v] => ("", v),
        [g, v] if !g.is_empty() && !v.is_empty() => (g, v),
        _ => {
            return Err(err(FederateProblem::InvalidApiVersion(
                api_version.to_string(),
            )))
        }
    };
    if is_federated_type(kind, group) {
        return Err(err(FederateProblem::AlreadyFederated(kind.to_string())));
    }
    if let Some(mut known) = default_types()
        .into_iter()
        .find(|t| t.group == group && t.kind == kind)
    {
        known.version = version.to_string();
        return Ok(known);
    }
    let namespaced = obj["metadata"]["namespace"]
        .as_str()
        .is_some_and(|ns| !ns.is_empty());
    Ok(TargetType::new(
        group,
        version,
        kind,
        &guess_plural(kind),
        namespaced,
    ))
}

/// Converts every manifest (YAML documents already parsed; empty documents skipped, `List`s
/// expanded) with the default federated group and version.
pub fn federate_offline(objs: &[Value]) -> Result<Vec<Value>, FederateError> {
    Ok(federate_all(objs)?.into_iter().map(|f| f.object).collect())
}

/// Like [`federate_offline`], keeping each object's dropped annotations for warnings.
pub fn federate_all(objs: &[Value]) -> Result<Vec<Federated>, FederateError> {
    let mut out = Vec::new();
    for (i, doc) in objs.iter().enumerate() {
        let at = format!("document {}", i + 1);
        if doc.is_null() {
            continue;
        }
        let is_list =
            doc["kind"].as_str().is_some_and(|k| k.ends_with("List")) && doc["items"].is_array();
        if is_list {
            for (j, item) in doc["items"].as_array().into_iter().flatten().enumerate() {
                out.push(federate_one(item, &format!("{at}, item {}", j + 1))?);
            }
        } else {
            out.push(federate_one(doc, &at)?);
        }
    }
    Ok(out)
}

fn federate_one(obj: &Value, at: &str) -> Result<Federated, FederateError> {
    let target = target_at(obj, at)?;
    if obj["metadata"]["name"].as_str().is_none_or(str::is_empty) {
        return Err(FederateError {
            at: format!("{at} ({})", target.kind),
            problem: FederateProblem::MissingField("metadata.name"),
        });
    }
    Ok(federate_object(obj, &target, TYPES_GROUP, TYPES_VERSION))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::path::{Path, PathBuf};

    fn yaml_docs(path: &Path) -> Vec<Value> {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        serde_yaml::Deserializer::from_str(&text)
            .map(|d| serde_json::to_value(serde_yaml::Value::deserialize(d).unwrap()).unwrap())
            .collect()
    }

    fn target(name: &str) -> TargetType {
        default_types()
            .into_iter()
            .find(|t| t.group_qualified_name() == name)
            .unwrap()
    }

    #[test]
    fn offline_conversion_matches_fixtures() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/federate");
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".input.yaml"))
            .collect();
        inputs.sort();
        assert!(inputs.len() >= 10, "expected a fixture per default type");
        for input in inputs {
            let expected_path = PathBuf::from(
                input
                    .to_string_lossy()
                    .replace(".input.yaml", ".expected.yaml"),
            );
            let got = federate_offline(&yaml_docs(&input)).unwrap();
            let want: Vec<Value> = yaml_docs(&expected_path)
                .into_iter()
                .filter(|d| !d.is_null())
                .collect();
            assert_eq!(got, want, "{input:?}");
        }
    }

    #[test]
    fn only_labels_survive_from_metadata() {
        let obj = json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "cfg", "namespace": "app", "uid": "u", "resourceVersion": "7",
                         "labels": {"a": "b"}, "annotations": {"x": "y", "z": "w"},
                         "finalizers": ["f"], "ownerReferences": []},
            "data": {"k": "v"}
        });
        let fed = federate_object(&obj, &target("configmaps"), TYPES_GROUP, TYPES_VERSION);
        assert_eq!(
            fed.object["spec"]["template"],
            json!({"metadata": {"labels": {"a": "b"}}, "data": {"k": "v"}})
        );
        assert_eq!(fed.dropped_annotations, vec!["x", "z"]);
    }

    #[test]
    fn template_has_no_metadata_without_labels() {
        let obj = json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "s", "namespace": "n", "labels": {}}, "type": "Opaque"});
        let fed = federate_object(&obj, &target("secrets"), TYPES_GROUP, TYPES_VERSION);
        assert_eq!(fed.object["spec"]["template"], json!({"type": "Opaque"}));
        assert!(fed.dropped_annotations.is_empty());
    }

    #[test]
    fn placement_selects_all_clusters() {
        let obj = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "n"}});
        let fed = federate_object(&obj, &target("secrets"), TYPES_GROUP, TYPES_VERSION);
        assert_eq!(
            fed.object["spec"]["placement"],
            json!({"clusterSelector": {"matchLabels": {}}})
        );
        assert_eq!(
            fed.object["metadata"],
            json!({"name": "s", "namespace": "n"})
        );
        assert_eq!(fed.object["apiVersion"], "types.kubefed.io/v1beta1");
        assert_eq!(fed.object["kind"], "FederatedSecret");
    }

    #[test]
    fn federated_namespace_is_named_like_and_placed_in_its_namespace() {
        let obj = json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": "prod"}, "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}});
        let fed = federate_object(&obj, &target("namespaces"), TYPES_GROUP, TYPES_VERSION);
        assert_eq!(
            fed.object["metadata"],
            json!({"name": "prod", "namespace": "prod"})
        );
        assert_eq!(fed.object["spec"]["template"], json!({"spec": {}}));
    }

    #[test]
    fn service_loses_allocated_ips_and_node_ports_only() {
        let obj = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "n"},
            "spec": {"type": "NodePort", "clusterIP": "10.0.0.1", "clusterIPs": ["10.0.0.1"],
                     "ports": [{"port": 80, "nodePort": 30080, "targetPort": 8080}], "selector": {"app": "web"}}});
        let fed = federate_object(&obj, &target("services"), TYPES_GROUP, TYPES_VERSION);
        assert_eq!(
            fed.object["spec"]["template"]["spec"],
            json!({"type": "NodePort", "ports": [{"port": 80, "targetPort": 8080}], "selector": {"app": "web"}})
        );
    }

    #[test]
    fn service_account_loses_token_secrets() {
        let obj = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa", "namespace": "n"},
            "secrets": [{"name": "sa-token-abcde"}], "imagePullSecrets": [{"name": "reg"}]});
        let fed = federate_object(&obj, &target("serviceaccounts"), TYPES_GROUP, TYPES_VERSION);
        assert_eq!(
            fed.object["spec"]["template"],
            json!({"imagePullSecrets": [{"name": "reg"}]})
        );
    }

    #[test]
    fn kind_scrubbing_applies_only_to_core_kinds() {
        let t = TargetType::new("example.com", "v1", "Service", "services", true);
        let obj = json!({"apiVersion": "example.com/v1", "kind": "Service", "metadata": {"name": "x", "namespace": "n"},
            "spec": {"clusterIP": "keep"}});
        let fed = federate_object(&obj, &t, TYPES_GROUP, TYPES_VERSION);
        assert_eq!(fed.object["spec"]["template"]["spec"]["clusterIP"], "keep");
    }

    #[test]
    fn cluster_scoped_objects_get_no_namespace() {
        let obj = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "reader", "namespace": "ignored"}, "rules": []});
        let t = target_from_object(&obj).unwrap();
        assert!(!t.namespaced);
        let fed = federate_object(&obj, &t, TYPES_GROUP, TYPES_VERSION);
        assert_eq!(fed.object["metadata"], json!({"name": "reader"}));
    }

    #[test]
    fn custom_group_and_version_are_used() {
        let obj = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "n"}});
        let fed = federate_object(&obj, &target("configmaps"), "fed.example.org", "v1");
        assert_eq!(fed.object["apiVersion"], "fed.example.org/v1");
    }

    #[test]
    fn known_kinds_use_default_type_data() {
        let obj = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}});
        let t = target_from_object(&obj).unwrap();
        assert_eq!(t, target("deployments.apps"));
        let ing = json!({"apiVersion": "networking.k8s.io/v1beta1", "kind": "Ingress", "metadata": {"name": "i"}});
        let t = target_from_object(&ing).unwrap();
        assert_eq!(t.version, "v1beta1");
        assert_eq!(t.short_names, vec!["ing"]);
        assert!(t.namespaced);
    }

    #[test]
    fn unknown_kinds_guess_plural_and_scope_from_namespace() {
        let obj = json!({"apiVersion": "example.com/v1", "kind": "Policy", "metadata": {"name": "p", "namespace": "n"}});
        let t = target_from_object(&obj).unwrap();
        assert_eq!(
            (
                t.group.as_str(),
                t.version.as_str(),
                t.plural.as_str(),
                t.namespaced
            ),
            ("example.com", "v1", "policies", true)
        );
        let obj =
            json!({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"}});
        assert!(!target_from_object(&obj).unwrap().namespaced);
    }

    #[test]
    fn offline_errors_name_the_document() {
        let docs = vec![
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ok", "namespace": "n"}}),
            json!({"apiVersion": "v1", "metadata": {"name": "x"}}),
        ];
        assert_eq!(
            federate_offline(&docs).unwrap_err().to_string(),
            "document 2: missing required field \"kind\""
        );
        let docs = vec![json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})];
        assert_eq!(
            federate_offline(&docs).unwrap_err().to_string(),
            "document 1 (ConfigMap): missing required field \"metadata.name\""
        );
        let docs = vec![json!(["not", "an", "object"])];
        assert_eq!(
            federate_offline(&docs).unwrap_err().problem,
            FederateProblem::NotAnObject
        );
        let docs = vec![json!({"apiVersion": "a/b/c", "kind": "X", "metadata": {"name": "x"}})];
        assert_eq!(
            federate_offline(&docs).unwrap_err().to_string(),
            "document 1: invalid apiVersion \"a/b/c\": expected VERSION or GROUP/VERSION"
        );
    }

    #[test]
    fn federated_objects_are_refused() {
        let docs = vec![
            json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedSecret", "metadata": {"name": "x"}}),
        ];
        assert_eq!(
            federate_offline(&docs).unwrap_err().problem,
            FederateProblem::AlreadyFederated("FederatedSecret".into())
        );
    }

    #[test]
    fn empty_documents_are_skipped_and_lists_expanded() {
        let docs = vec![
            Value::Null,
            json!({"apiVersion": "v1", "kind": "List", "items": [
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "a", "namespace": "n"}},
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"namespace": "n"}}
            ]}),
        ];
        let err = federate_offline(&docs).unwrap_err();
        assert_eq!(err.at, "document 2, item 2 (Secret)");
        let ok = federate_offline(&docs[..1]).unwrap();
        assert!(ok.is_empty());
    }
}
