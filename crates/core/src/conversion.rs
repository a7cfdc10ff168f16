//! Conversion of ordinary Kubernetes objects into KubeFed federated objects (`federate`).
//!
//! The result is what `kubefedctl federate` creates: a `Federated<Kind>` whose template is the
//! source object minus everything the API server or the member cluster owns, placed in every
//! cluster (`clusterSelector: {matchLabels: {}}`).

use std::collections::HashMap;

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
    /// The type of the source object.
    pub target: TargetType,
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
    #[error("invalid metadata.name: {0}")]
    InvalidName(String),
    #[error("invalid metadata.namespace {0:?}: {1}")]
    InvalidNamespace(String, String),
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
        .map(|a| {
            a.keys()
                .filter(|k| !is_system_annotation(k))
                .cloned()
                .collect()
        })
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
        target: target.clone(),
    }
}

/// Removes what the API server or the member cluster generates, which would conflict or be rejected if
/// propagated: a Namespace's finalizers, a ServiceAccount's token secrets, a Service's allocated cluster IPs
/// (a headless Service keeps `clusterIP: None`) and node ports, a Job's generated selector and the labels
/// that match it, a PersistentVolumeClaim's bound volume.
fn scrub_member_owned_fields(body: &mut Map<String, Value>, target: &TargetType) {
    match (target.group.as_str(), target.kind.as_str()) {
        ("", "Namespace") => {
            if let Some(spec) = body.get_mut("spec").and_then(Value::as_object_mut) {
                spec.remove("finalizers");
            }
        }
        ("", "ServiceAccount") => {
            body.remove("secrets");
        }
        ("", "Service") => {
            if let Some(spec) = body.get_mut("spec").and_then(Value::as_object_mut) {
                if spec.get("clusterIP").and_then(Value::as_str) != Some("None") {
                    spec.remove("clusterIP");
                    spec.remove("clusterIPs");
                }
                spec.remove("healthCheckNodePort");
                if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
                    for port in ports.iter_mut().filter_map(Value::as_object_mut) {
                        port.remove("nodePort");
                    }
                }
            }
        }
        ("", "PersistentVolumeClaim") => {
            if let Some(spec) = body.get_mut("spec").and_then(Value::as_object_mut) {
                spec.remove("volumeName");
            }
        }
        ("batch", "Job") => {
            let Some(spec) = body.get_mut("spec").and_then(Value::as_object_mut) else {
                return;
            };
            if spec.get("manualSelector") != Some(&Value::Bool(true)) {
                // The server generates the selector from the Job's uid; a member refuses another Job's.
                spec.remove("selector");
                if let Some(labels) = spec
                    .get_mut("template")
                    .and_then(|t| t.get_mut("metadata"))
                    .and_then(|m| m.get_mut("labels"))
                    .and_then(Value::as_object_mut)
                {
                    for key in JOB_GENERATED_LABELS {
                        labels.remove(key);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Labels the Job controller's server side puts on a Job's pod template to match its generated selector.
const JOB_GENERATED_LABELS: [&str; 4] = [
    "controller-uid",
    "job-name",
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-name",
];

/// Annotations the API server or a cluster's controllers write, which are nobody's configuration: not
/// warned about when a template drops them.
fn is_system_annotation(key: &str) -> bool {
    const PREFIXES: [&str; 6] = [
        "deployment.kubernetes.io/",
        "pv.kubernetes.io/",
        "volume.kubernetes.io/",
        "volume.beta.kubernetes.io/",
        "endpoints.kubernetes.io/",
        "batch.kubernetes.io/",
    ];
    key == "kubectl.kubernetes.io/last-applied-configuration"
        || key == "kubernetes.io/service-account.uid"
        || key == "kubernetes.io/service-account.name"
        || PREFIXES.iter().any(|p| key.starts_with(p))
}

/// An object that is listed like the user's own but made by the cluster itself, so federating it would
/// fight the member's copy: `why` says who makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub kind: String,
    /// `namespace/name`, or `name` when cluster-scoped.
    pub name: String,
    pub why: &'static str,
}

/// Why `obj` is not federated although it exists, if the cluster made it: objects with a controller owner
/// (a Deployment's ReplicaSets and Pods, a Service's EndpointSlices, a StatefulSet's ControllerRevisions:
/// the owner is federated and each member's controllers make them), and the objects every cluster makes in
/// each namespace with content of its own (its root CA ConfigMap, the `default` ServiceAccount, token
/// Secrets), which would overwrite the members' own. KubeFed had no such rule; it predates
/// `kube-root-ca.crt`.
pub fn made_by_the_cluster(t: &TargetType, obj: &Value) -> Option<&'static str> {
    let controlled = obj["metadata"]["ownerReferences"]
        .as_array()
        .is_some_and(|refs| refs.iter().any(|r| r["controller"] == Value::Bool(true)));
    if controlled {
        return Some(
            "made by its controller (an ownerReference with controller: true); federate the owner, and each \
             member's controllers make these",
        );
    }
    let name = obj["metadata"]["name"].as_str().unwrap_or_default();
    match (t.group.as_str(), t.kind.as_str()) {
        ("", "ConfigMap") if name == "kube-root-ca.crt" => {
            Some("every cluster publishes its own root CA in this ConfigMap")
        }
        ("", "ServiceAccount") if name == "default" => {
            Some("every cluster creates this ServiceAccount in each namespace")
        }
        ("", "Secret") if obj["type"] == "kubernetes.io/service-account-token" => {
            Some("a ServiceAccount token is valid only in the cluster that issued it")
        }
        ("coordination.k8s.io", "Lease") => Some(
            "a Lease is held by a process running in that cluster (leader election, heartbeats)",
        ),
        _ => None,
    }
}

/// One warning per kind and reason, naming the skipped objects (the first few, then a count).
pub fn skipped_warnings(skipped: &[Skipped]) -> Vec<String> {
    // Groups in order of first appearance, found through an index rather than a scan per object.
    let mut groups: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    for s in skipped {
        let i = *index.entry((&s.kind, s.why)).or_insert_with(|| {
            groups.push((&s.kind, s.why, Vec::new()));
            groups.len() - 1
        });
        groups[i].2.push(&s.name);
    }
    groups
        .into_iter()
        .map(|(kind, why, names)| {
            const SHOWN: usize = 5;
            let mut list: Vec<String> =
                names.iter().take(SHOWN).map(|n| format!("{n:?}")).collect();
            if names.len() > SHOWN {
                list.push(format!("and {} more", names.len() - SHOWN));
            }
            format!("skipped {kind} {}: {why}", list.join(", "))
        })
        .collect()
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
    Ok(federate_all(objs)?
        .federated
        .into_iter()
        .map(|f| f.object)
        .collect())
}

/// What a stream of manifests converts to: the federated objects (with their dropped annotations, for
/// warnings) and the objects skipped because the cluster makes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conversion {
    pub federated: Vec<Federated>,
    pub skipped: Vec<Skipped>,
}

/// Like [`federate_offline`], keeping dropped annotations and skipped objects for warnings.
pub fn federate_all(objs: &[Value]) -> Result<Conversion, FederateError> {
    let mut out = Conversion::default();
    for (i, doc) in objs.iter().enumerate() {
        let at = format!("document {}", i + 1);
        if doc.is_null() {
            continue;
        }
        let is_list =
            doc["kind"].as_str().is_some_and(|k| k.ends_with("List")) && doc["items"].is_array();
        if is_list {
            for (j, item) in doc["items"].as_array().into_iter().flatten().enumerate() {
                federate_one(item, &format!("{at}, item {}", j + 1), &mut out)?;
            }
        } else {
            federate_one(doc, &at, &mut out)?;
        }
    }
    Ok(out)
}

fn federate_one(obj: &Value, at: &str, out: &mut Conversion) -> Result<(), FederateError> {
    let target = target_at(obj, at)?;
    let name = obj["metadata"]["name"].as_str().unwrap_or_default();
    let err = |problem| FederateError {
        at: format!("{at} ({} {name:?})", target.kind),
        problem,
    };
    if name.is_empty() {
        return Err(FederateError {
            at: format!("{at} ({})", target.kind),
            problem: FederateProblem::MissingField("metadata.name"),
        });
    }
    let errs = kubefedctl_apimachinery::validation::is_dns1123_subdomain(name);
    if !errs.is_empty() {
        return Err(err(FederateProblem::InvalidName(errs.join("; "))));
    }
    if let Some(ns) = obj["metadata"]["namespace"].as_str() {
        let errs = kubefedctl_apimachinery::validation::is_dns1123_label(ns);
        if !errs.is_empty() {
            return Err(err(FederateProblem::InvalidNamespace(
                ns.to_string(),
                errs.join("; "),
            )));
        }
    }
    if let Some(why) = made_by_the_cluster(&target, obj) {
        out.skipped.push(Skipped {
            kind: target.kind.clone(),
            name: qualified(obj),
            why,
        });
        return Ok(());
    }
    out.federated
        .push(federate_object(obj, &target, TYPES_GROUP, TYPES_VERSION));
    Ok(())
}

/// `namespace/name`, or `name` for an object without a namespace.
pub fn qualified(obj: &Value) -> String {
    let name = obj["metadata"]["name"].as_str().unwrap_or_default();
    match obj["metadata"]["namespace"]
        .as_str()
        .filter(|n| !n.is_empty())
    {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_string(),
    }
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
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/federate");
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

    #[test]
    fn what_the_cluster_makes_itself_is_skipped_with_the_reason() {
        let obj = |name: &str| json!({"metadata": {"name": name}});
        assert!(made_by_the_cluster(&target("configmaps"), &obj("kube-root-ca.crt")).is_some());
        assert!(made_by_the_cluster(&target("configmaps"), &obj("app")).is_none());
        assert!(made_by_the_cluster(&target("serviceaccounts"), &obj("default")).is_some());
        assert!(made_by_the_cluster(&target("serviceaccounts"), &obj("robot")).is_none());
        let token =
            json!({"metadata": {"name": "t"}, "type": "kubernetes.io/service-account-token"});
        assert!(made_by_the_cluster(&target("secrets"), &token).is_some());
        assert!(made_by_the_cluster(&target("secrets"), &obj("creds")).is_none());
        let rs = json!({"metadata": {"name": "web-5fc9", "ownerReferences": [
            {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "u", "controller": true}]}});
        let why = made_by_the_cluster(&target("replicasets.apps"), &rs).unwrap();
        assert!(why.contains("controller"), "{why}");
        // An owner that is not a controller (plain garbage-collection link) does not make the object.
        let owned = json!({"metadata": {"name": "cfg", "ownerReferences": [
            {"apiVersion": "v1", "kind": "ConfigMap", "name": "x", "uid": "u"}]}});
        assert!(made_by_the_cluster(&target("configmaps"), &owned).is_none());
    }

    #[test]
    fn skipped_objects_are_reported_once_per_kind_and_reason() {
        let pod = |n: usize| Skipped {
            kind: "Pod".into(),
            name: format!("shop/web-{n}"),
            why: "made by its controller",
        };
        let mut skipped: Vec<Skipped> = (0..7).map(pod).collect();
        skipped.push(Skipped {
            kind: "ConfigMap".into(),
            name: "shop/kube-root-ca.crt".into(),
            why: "root CA",
        });
        let w = skipped_warnings(&skipped);
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(
            w[0],
            "skipped Pod \"shop/web-0\", \"shop/web-1\", \"shop/web-2\", \"shop/web-3\", \"shop/web-4\", and 2 more: made by its controller"
        );
        assert_eq!(w[1], "skipped ConfigMap \"shop/kube-root-ca.crt\": root CA");
    }

    #[test]
    fn skipped_objects_of_many_kinds_are_grouped_in_linear_time() {
        // A stream of controller-owned objects of distinct kinds used to cost a scan of every group
        // per object.
        let skipped: Vec<Skipped> = (0..100_000)
            .map(|n| Skipped {
                kind: format!("Kind{n}"),
                name: format!("o{n}"),
                why: "made by its controller",
            })
            .collect();
        let started = std::time::Instant::now();
        let w = skipped_warnings(&skipped);
        assert!(
            started.elapsed().as_secs() < 30,
            "took {:?}",
            started.elapsed()
        );
        assert_eq!(w.len(), 100_000);
        assert_eq!(w[1], "skipped Kind1 \"o1\": made by its controller");
    }

    #[test]
    fn offline_conversion_skips_cluster_made_objects_and_refuses_invalid_names() {
        let docs = vec![
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kube-root-ca.crt", "namespace": "n"}}),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app", "namespace": "n"}}),
        ];
        let c = federate_all(&docs).unwrap();
        assert_eq!(c.federated.len(), 1);
        assert_eq!(c.skipped[0].name, "n/kube-root-ca.crt");
        let bad = federate_all(&[
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Bad_Name!"}}),
        ])
        .unwrap_err();
        assert!(
            matches!(bad.problem, FederateProblem::InvalidName(_)),
            "{bad}"
        );
        assert!(bad.to_string().contains("Bad_Name!"), "{bad}");
        let bad = federate_all(&[json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "ok", "namespace": "No_Such"}})])
        .unwrap_err();
        assert!(
            matches!(bad.problem, FederateProblem::InvalidNamespace(..)),
            "{bad}"
        );
    }

    #[test]
    fn a_job_loses_its_generated_selector_and_labels_unless_manual() {
        let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi", "namespace": "n",
                "labels": {"app": "pi"}},
            "spec": {"selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u"}},
                "template": {"metadata": {"labels": {"app": "pi", "batch.kubernetes.io/controller-uid": "u",
                    "batch.kubernetes.io/job-name": "pi", "controller-uid": "u", "job-name": "pi"}},
                    "spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl"}]}}}});
        let fed = federate_object(&job, &target("jobs.batch"), TYPES_GROUP, TYPES_VERSION);
        let spec = &fed.object["spec"]["template"]["spec"];
        assert!(spec.get("selector").is_none(), "{spec}");
        assert_eq!(spec["template"]["metadata"]["labels"], json!({"app": "pi"}));
        let mut manual = job.clone();
        manual["spec"]["manualSelector"] = json!(true);
        let fed = federate_object(&manual, &target("jobs.batch"), TYPES_GROUP, TYPES_VERSION);
        assert!(fed.object["spec"]["template"]["spec"]
            .get("selector")
            .is_some());
    }

    #[test]
    fn a_headless_service_stays_headless() {
        let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db", "namespace": "n"},
            "spec": {"clusterIP": "None", "clusterIPs": ["None"], "selector": {"app": "db"}}});
        let fed = federate_object(&svc, &target("services"), TYPES_GROUP, TYPES_VERSION);
        assert_eq!(
            fed.object["spec"]["template"]["spec"],
            json!({"clusterIP": "None", "clusterIPs": ["None"], "selector": {"app": "db"}})
        );
    }

    #[test]
    fn annotations_the_system_writes_are_not_reported_as_dropped() {
        let obj = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w", "namespace": "n",
            "annotations": {"deployment.kubernetes.io/revision": "1", "team": "web",
                "kubectl.kubernetes.io/last-applied-configuration": "{}"}}});
        let fed = federate_object(
            &obj,
            &target("deployments.apps"),
            TYPES_GROUP,
            TYPES_VERSION,
        );
        assert_eq!(fed.dropped_annotations, vec!["team"]);
    }
}
