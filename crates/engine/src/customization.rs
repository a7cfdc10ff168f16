//! What `federate --clusters`, `--cluster-selector` and `--override` put into the federated objects it makes:
//! their placement and per-cluster overrides, validated exactly as the engine validates and applies them, so
//! that a flag that would fail at reconcile time is refused before anything is written.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use serde_json::{json, Map, Value};

use crate::engine::desired::{desired_object, DesiredError, TargetInfo};
use crate::engine::overrides::{parse_overrides, Op, OverrideError};
use crate::engine::reconcile::Record;
use crate::engine::status::ClusterPropagationStatus;
use crate::error::{self, UserError};
use crate::kubefed::typeconfig::TargetType;
use crate::validation::{self, FieldError};

/// The syntax of one `--override`, for messages.
pub const OVERRIDE_SYNTAX: &str = "CLUSTER:PATH=VALUE, CLUSTER:PATH- or CLUSTER:OP:PATH[=VALUE]";

/// The hint given with every refused `--override`.
const OVERRIDE_HINT: &str = "--override takes CLUSTER:PATH=VALUE (replace; VALUE is YAML: 4 is a number, '\"4\"' a \
                             string, '{a: b}' an object), CLUSTER:PATH- (remove) or CLUSTER:add:PATH=VALUE; PATH is a \
                             JSON pointer such as /spec/replicas (see `kubefedctl federate --help`)";

/// One `--override` flag, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct OverrideFlag {
    /// The flag's value as given, for messages.
    pub raw: String,
    pub cluster: String,
    pub op: Op,
    pub path: String,
    /// `None` for `remove`.
    pub value: Option<Value>,
}

impl OverrideFlag {
    /// The `clusterOverrides` entry this flag stands for.
    fn entry(&self) -> Value {
        let mut e = json!({"op": self.op.as_str(), "path": self.path});
        if let Some(v) = &self.value {
            e["value"] = v.clone();
        }
        e
    }
}

fn invalid_override(raw: &str, why: impl std::fmt::Display) -> UserError {
    error::invalid_input(format!("invalid --override {raw:?}: {why}")).with_hint(OVERRIDE_HINT)
}

/// Parses `CLUSTER:PATH=VALUE` (replace), `CLUSTER:PATH-` (remove, as `kubectl label key-`) or
/// `CLUSTER:OP:PATH[=VALUE]` with OP `add`, `replace` or `remove`. VALUE is one YAML (or JSON) value:
/// `4` is a number, `'"4"'` a string, `'{a: b}'` an object; nothing after `=` is the empty string.
pub fn parse_override_flag(raw: &str) -> Result<OverrideFlag, UserError> {
    let Some((cluster, rest)) = raw.split_once(':') else {
        return Err(invalid_override(raw, format!("expected {OVERRIDE_SYNTAX}")));
    };
    let errs = validation::is_dns1123_subdomain(cluster);
    if !errs.is_empty() {
        return Err(invalid_override(
            raw,
            format!("{cluster:?} is not a cluster name: {}", errs.join("; ")),
        ));
    }
    // A path starts with "/"; anything else before the next ":" is an operation.
    let (explicit_op, rest) = match rest.split_once(':') {
        Some((op, after)) if !rest.starts_with('/') => {
            let op = match op {
                "add" => Op::Add,
                "replace" => Op::Replace,
                "remove" => Op::Remove,
                other => {
                    return Err(invalid_override(
                        raw,
                        format!("unknown operation {other:?}: use add, replace or remove"),
                    ))
                }
            };
            (Some(op), after)
        }
        _ => (None, rest),
    };
    let (path, value) = match rest.split_once('=') {
        Some((path, text)) => (path, Some(parse_value(raw, text)?)),
        None => (rest, None),
    };
    let (op, path) = match (explicit_op, value.is_some()) {
        (Some(Op::Remove), true) => {
            return Err(invalid_override(raw, "remove takes no value"));
        }
        (Some(op), _) => (op, path),
        (None, true) => (Op::Replace, path),
        (None, false) => match path.strip_suffix('-') {
            Some(path) => (Op::Remove, path),
            None => {
                return Err(invalid_override(
                    raw,
                    "give a value (PATH=VALUE), or end the path with - to remove the field",
                ))
            }
        },
    };
    let flag = OverrideFlag {
        raw: raw.to_string(),
        cluster: cluster.to_string(),
        op,
        path: path.to_string(),
        value,
    };
    // The engine's own checks (JSON pointer, forbidden paths, a value for add/replace), on this flag alone.
    let alone = json!({"spec": {"overrides": [
        {"clusterName": flag.cluster, "clusterOverrides": [flag.entry()]}
    ]}});
    match parse_overrides(&alone) {
        Ok(_) => Ok(flag),
        Err(OverrideError::Invalid(errs)) => Err(invalid_override(raw, bodies(&errs))),
        Err(e) => Err(invalid_override(raw, e)),
    }
}

fn parse_value(raw: &str, text: &str) -> Result<Value, UserError> {
    if text.is_empty() {
        return Ok(Value::String(String::new()));
    }
    if text.lines().any(|l| l.trim_end() == "---") {
        return Err(invalid_override(raw, "the value must be one YAML value"));
    }
    crate::yaml::from_str(text)
        .map_err(|e| invalid_override(raw, format!("the value is not YAML: {e}")))
}

fn bodies(errs: &[FieldError]) -> String {
    errs.iter()
        .map(FieldError::error_body)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Placement and overrides to put into every federated object `federate` makes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Customization {
    /// `spec.placement`; `None` keeps the default (an empty selector: every cluster).
    pub placement: Option<Value>,
    /// In flag order; grouped per cluster into `spec.overrides`.
    pub overrides: Vec<OverrideFlag>,
}

impl Customization {
    /// Checks the flags (each as `--clusters`, `--cluster-selector` and `--override` document) and the
    /// overrides together as the engine would (a path overridden twice for one cluster is refused).
    pub fn from_flags(
        clusters: Option<&[String]>,
        selector: Option<&[String]>,
        overrides: &[String],
    ) -> Result<Customization, UserError> {
        let placement = match (clusters, selector) {
            (Some(names), _) => Some(placement_clusters(names)?),
            (None, Some(pairs)) => Some(placement_selector(pairs)?),
            (None, None) => None,
        };
        let overrides = overrides
            .iter()
            .map(|raw| parse_override_flag(raw))
            .collect::<Result<Vec<_>, _>>()?;
        let c = Customization {
            placement,
            overrides,
        };
        if let Some(list) = c.overrides_value() {
            if let Err(e) = parse_overrides(&json!({"spec": {"overrides": list}})) {
                return Err(c.explain(&e, None));
            }
        }
        Ok(c)
    }

    /// `spec.overrides` for the flags: one entry per cluster (in order of first mention), its ops in flag order.
    pub fn overrides_value(&self) -> Option<Value> {
        if self.overrides.is_empty() {
            return None;
        }
        let mut clusters: Vec<(&str, Vec<Value>)> = Vec::new();
        for o in &self.overrides {
            match clusters.iter_mut().find(|(c, _)| *c == o.cluster) {
                Some((_, ops)) => ops.push(o.entry()),
                None => clusters.push((&o.cluster, vec![o.entry()])),
            }
        }
        Some(Value::Array(
            clusters
                .into_iter()
                .map(|(c, ops)| json!({"clusterName": c, "clusterOverrides": ops}))
                .collect(),
        ))
    }

    /// Whether `--override` was given: then overrides are compared and replaced like template and placement.
    pub fn sets_overrides(&self) -> bool {
        !self.overrides.is_empty()
    }

    /// Sets placement and overrides on a federated object of type `target`, then computes, as reconcile
    /// will, the object each overridden cluster would get: an override that does not fit this object (a
    /// parent that does not exist, a list index out of range) is refused, naming the flag and the object.
    pub fn apply(&self, federated: &mut Value, target: &TargetType) -> Result<(), UserError> {
        if let Some(p) = &self.placement {
            federated["spec"]["placement"] = p.clone();
        }
        let Some(list) = self.overrides_value() else {
            return Ok(());
        };
        federated["spec"]["overrides"] = list;
        let parsed = parse_overrides(federated).map_err(|e| self.explain(&e, None))?;
        let info = TargetInfo {
            group: target.group.clone(),
            version: target.version.clone(),
            kind: target.kind.clone(),
            namespaced: target.namespaced,
        };
        for cluster in parsed.keys() {
            match desired_object(federated, &info, cluster, &parsed) {
                Ok(_) | Err(DesiredError::Template(_)) => {}
                Err(DesiredError::Overrides(e)) => {
                    return Err(self.explain(&e, Some((target, &*federated))))
                }
            }
        }
        Ok(())
    }

    /// An engine error about `spec.overrides[i].clusterOverrides[j]` told in terms of the flag that made it
    /// (and of the object it did not fit, when applying).
    fn explain(&self, e: &OverrideError, object: Option<(&TargetType, &Value)>) -> UserError {
        let on = object
            .map(|(t, o)| {
                // A FederatedNamespace lives in the namespace it federates; the Namespace has no namespace.
                let name = match t.is_namespace() {
                    true => o["metadata"]["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    false => crate::conversion::qualified(o),
                };
                format!(" for {} {name:?}", t.kind)
            })
            .unwrap_or_default();
        let (field, why) = match e {
            OverrideError::Invalid(errs) => (errs[0].field.as_str(), errs[0].error_body()),
            OverrideError::Apply {
                field,
                op,
                path,
                reason,
            } => (field.as_str(), format!("cannot {op} {path:?}: {reason}")),
        };
        let raw = self.flag_of(field).unwrap_or_default();
        let refused = invalid_override(raw, why);
        let refused = UserError {
            message: refused
                .message
                .replacen(&format!("{raw:?}: "), &format!("{raw:?}{on}: "), 1),
            ..refused
        };
        match e {
            OverrideError::Apply { .. } => refused.with_hint(format!(
                "an override must fit every object federated with it; {OVERRIDE_HINT}"
            )),
            OverrideError::Invalid(_) => refused,
        }
    }

    /// The flag behind a field path such as `spec.overrides[1].clusterOverrides[0].path`.
    fn flag_of(&self, field: &str) -> Option<&str> {
        let mut clusters: Vec<&str> = Vec::new();
        let mut position: BTreeMap<(usize, usize), &str> = BTreeMap::new();
        let mut counts: Vec<usize> = Vec::new();
        for o in &self.overrides {
            let i = match clusters.iter().position(|c| *c == o.cluster) {
                Some(i) => i,
                None => {
                    clusters.push(&o.cluster);
                    counts.push(0);
                    clusters.len() - 1
                }
            };
            position.insert((i, counts[i]), &o.raw);
            counts[i] += 1;
        }
        let rest = field.strip_prefix("spec.overrides[")?;
        let (i, rest) = rest.split_once(']')?;
        let i: usize = i.parse().ok()?;
        let j = rest
            .strip_prefix(".clusterOverrides[")
            .and_then(|r| r.split_once(']'))
            .and_then(|(j, _)| j.parse().ok())
            .unwrap_or(0);
        position.get(&(i, j)).copied()
    }
}

/// The next step for objects whose overrides reconcile could not apply (status `ApplyOverridesFailed`): it
/// names each object, the cluster and where in `spec.overrides` the bad override is, and how to replace them;
/// `None` when no record is such a failure. A cluster is not the problem, so `kubefedctl clusters` is no help.
pub fn invalid_override_hint(records: &[Record]) -> Option<String> {
    let failed: Vec<&Record> = records
        .iter()
        .filter(|r| r.status == ClusterPropagationStatus::ApplyOverridesFailed.as_str())
        .collect();
    let first = failed.first()?;
    let at = |r: &Record| {
        let field = r
            .error
            .as_deref()
            .and_then(|e| OVERRIDE_FIELD.find(e))
            .map(|m| format!("{} ", m.as_str()))
            .unwrap_or_else(|| "spec.overrides ".to_string());
        let what = if r.namespace.is_empty() {
            r.name.clone()
        } else {
            format!("{}/{}", r.namespace, r.name)
        };
        format!(
            "{field}for cluster {:?} of federated {} {what}",
            r.cluster, r.type_name
        )
    };
    const SHOWN: usize = 3;
    let mut places: Vec<String> = failed.iter().take(SHOWN).map(|r| at(r)).collect();
    if failed.len() > SHOWN {
        places.push(format!("and {} more", failed.len() - SHOWN));
    }
    let namespace = if first.namespace.is_empty() {
        String::new()
    } else {
        format!(" -n {}", first.namespace)
    };
    Some(format!(
        "fix or remove the override at {} (kubectl edit it), or set the overrides anew with \
         `kubefedctl federate {} {}{namespace} --overwrite --override CLUSTER:PATH=VALUE ...`",
        places.join("; "),
        first.type_name,
        first.name
    ))
}

/// Where an engine error about an override points: `spec.overrides[1].clusterOverrides[0]`.
static OVERRIDE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"spec\.overrides\[\d+\](\.clusterOverrides\[\d+\])?(\.(path|op|value|clusterName))?",
    )
    .expect("a valid pattern")
});

/// `--clusters a,b`: exactly these clusters, in order, each once; no names (`--clusters ''`) is no cluster.
fn placement_clusters(names: &[String]) -> Result<Value, UserError> {
    let mut list: Vec<&str> = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let errs = validation::is_dns1123_subdomain(name);
        if !errs.is_empty() {
            return Err(error::invalid_input(format!(
                "invalid --clusters {:?}: {name:?} is not a cluster name: {}",
                names.join(","),
                errs.join("; ")
            ))
            .with_hint("`kubefedctl clusters` lists the registered clusters"));
        }
        if !list.contains(&name) {
            list.push(name);
        }
    }
    let clusters: Vec<Value> = list.iter().map(|n| json!({"name": n})).collect();
    Ok(json!({"clusters": clusters}))
}

/// `--cluster-selector k=v,...`: the clusters whose KubeFedCluster carries every one of these labels.
fn placement_selector(pairs: &[String]) -> Result<Value, UserError> {
    let given = pairs.join(",");
    let refuse = |why: String| {
        error::invalid_input(format!("invalid --cluster-selector {given:?}: {why}")).with_hint(
            "--cluster-selector takes KEY=VALUE pairs separated by commas, e.g. region=eu,tier=web",
        )
    };
    let mut labels = Map::new();
    for pair in pairs.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(refuse(format!("{pair:?} is not KEY=VALUE")));
        };
        if let Some(other) = labels.get(k).filter(|o| *o != v) {
            return Err(refuse(format!(
                "label {k:?} is given twice ({other} and {v:?}); a cluster has one value per label"
            )));
        }
        labels.insert(k.to_string(), Value::String(v.to_string()));
    }
    let selector = json!({"matchLabels": labels});
    let errs = validation::validate_label_selector(&selector, "clusterSelector");
    if let Some(first) = errs.first() {
        return Err(refuse(first.to_string()));
    }
    Ok(json!({"clusterSelector": selector}))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(raw: &str) -> OverrideFlag {
        parse_override_flag(raw).unwrap_or_else(|e| panic!("{raw}: {e}"))
    }

    fn refused(raw: &str) -> UserError {
        let e = parse_override_flag(raw).unwrap_err();
        assert_eq!(e.kind, error::ErrorKind::InvalidInput, "{raw}");
        assert!(
            e.message
                .starts_with(&format!("invalid --override {raw:?}: ")),
            "{}",
            e.message
        );
        e
    }

    fn cm() -> TargetType {
        TargetType::new("", "v1", "ConfigMap", "configmaps", true)
    }

    fn deploy() -> TargetType {
        TargetType::new("apps", "v1", "Deployment", "deployments", true)
    }

    #[test]
    fn values_are_yaml_so_numbers_strings_and_objects_are_told_apart() {
        assert_eq!(flag("m1:/spec/replicas=4").value, Some(json!(4)));
        assert_eq!(flag("m1:/spec/replicas=\"4\"").value, Some(json!("4")));
        assert_eq!(flag("m1:/data/color=green").value, Some(json!("green")));
        assert_eq!(flag("m1:/data/on=true").value, Some(json!(true)));
        assert_eq!(flag("m1:/data/x=").value, Some(json!("")));
        assert_eq!(flag("m1:/data/x=null").value, Some(Value::Null));
        assert_eq!(
            flag("m1:/metadata/labels={tier: web, \"n\": 1}").value,
            Some(json!({"tier": "web", "n": 1}))
        );
        assert_eq!(
            flag("m1:/spec/args=[\"-v\", 2]").value,
            Some(json!(["-v", 2]))
        );
        // The first "=" ends the path: a value may contain more.
        assert_eq!(flag("m1:/data/q=a=b").value, Some(json!("a=b")));
    }

    #[test]
    fn ops_are_replace_by_default_remove_with_a_trailing_dash_or_named() {
        let f = flag("member1:/spec/replicas=4");
        assert_eq!(
            (f.cluster.as_str(), f.op, f.path.as_str()),
            ("member1", Op::Replace, "/spec/replicas")
        );
        let f = flag("member1:/metadata/labels/x-");
        assert_eq!(
            (f.op, f.path.as_str(), f.value),
            (Op::Remove, "/metadata/labels/x", None)
        );
        let f = flag("m2:add:/spec/template/spec/tolerations/-={key: k, operator: Exists}");
        assert_eq!(
            (f.op, f.path.as_str()),
            (Op::Add, "/spec/template/spec/tolerations/-")
        );
        assert_eq!(flag("m2:remove:/spec/paused").op, Op::Remove);
        assert_eq!(flag("m2:replace:/spec/paused=true").op, Op::Replace);
    }

    #[test]
    fn malformed_flags_are_refused_naming_the_value() {
        assert!(refused("/spec/replicas=4")
            .message
            .contains("expected CLUSTER:PATH=VALUE"));
        assert!(refused("Member_1:/spec/replicas=4")
            .message
            .contains("is not a cluster name"));
        assert!(refused("m1:/spec/replicas")
            .message
            .contains("give a value"));
        assert!(refused("m1:move:/a=1")
            .message
            .contains("unknown operation \"move\""));
        assert!(refused("m1:remove:/a=1")
            .message
            .contains("remove takes no value"));
        assert!(refused("m1:add:/a")
            .message
            .contains("Required value: op add needs a value"));
        assert!(refused("m1:/a=[1, 2")
            .message
            .contains("the value is not YAML"));
        assert!(refused("m1:/a=x\n---\ny")
            .message
            .contains("one YAML value"));
    }

    #[test]
    fn the_engines_path_rules_apply_to_each_flag() {
        let e = refused("m1:/metadata/name=other");
        assert!(
            e.message
                .contains("Forbidden: metadata.name may not be overridden"),
            "{}",
            e.message
        );
        assert!(e
            .hint
            .unwrap()
            .contains("--override takes CLUSTER:PATH=VALUE"));
        assert!(refused("m1:spec/replicas=1")
            .message
            .contains("must be a JSON pointer"));
        assert!(refused("m1:/kind=Secret")
            .message
            .contains("kind may not be overridden"));
    }

    #[test]
    fn a_path_given_twice_for_a_cluster_names_the_second_flag() {
        let flags = [
            "m1:/spec/replicas=2".to_string(),
            "m2:/spec/replicas=3".into(),
            "m1:/spec/replicas=5".into(),
        ];
        let e = Customization::from_flags(None, None, &flags).unwrap_err();
        assert!(
            e.message.starts_with(
                "invalid --override \"m1:/spec/replicas=5\": Duplicate value: \"/spec/replicas\""
            ),
            "{}",
            e.message
        );
    }

    #[test]
    fn overrides_are_grouped_per_cluster_in_flag_order() {
        let flags = [
            "m1:/spec/replicas=2".to_string(),
            "m2:/spec/replicas=3".into(),
            "m1:/metadata/labels/x-".into(),
        ];
        let c = Customization::from_flags(None, None, &flags).unwrap();
        assert_eq!(
            c.overrides_value().unwrap(),
            json!([
                {"clusterName": "m1", "clusterOverrides": [
                    {"op": "replace", "path": "/spec/replicas", "value": 2},
                    {"op": "remove", "path": "/metadata/labels/x"}]},
                {"clusterName": "m2", "clusterOverrides": [
                    {"op": "replace", "path": "/spec/replicas", "value": 3}]}
            ])
        );
        assert!(c.sets_overrides());
        assert!(!Customization::default().sets_overrides());
    }

    #[test]
    fn clusters_and_selector_become_the_placement() {
        let names = ["a".to_string(), "b".into(), "a".into()];
        let c = Customization::from_flags(Some(&names), None, &[]).unwrap();
        assert_eq!(
            c.placement,
            Some(json!({"clusters": [{"name": "a"}, {"name": "b"}]}))
        );
        let none = Customization::from_flags(Some(&["".to_string()]), None, &[]).unwrap();
        assert_eq!(none.placement, Some(json!({"clusters": []})));
        let pairs = ["region=eu".to_string(), "tier=web".into()];
        let c = Customization::from_flags(None, Some(&pairs), &[]).unwrap();
        assert_eq!(
            c.placement,
            Some(json!({"clusterSelector": {"matchLabels": {"region": "eu", "tier": "web"}}}))
        );
        assert_eq!(
            Customization::from_flags(None, None, &[])
                .unwrap()
                .placement,
            None
        );
    }

    #[test]
    fn bad_placement_flags_are_refused_naming_the_value() {
        let e = Customization::from_flags(Some(&["a".to_string(), "B_2".into()]), None, &[])
            .unwrap_err();
        assert!(
            e.message
                .starts_with("invalid --clusters \"a,B_2\": \"B_2\" is not a cluster name"),
            "{}",
            e.message
        );
        let e = Customization::from_flags(None, Some(&["region".to_string()]), &[]).unwrap_err();
        assert_eq!(
            e.message,
            "invalid --cluster-selector \"region\": \"region\" is not KEY=VALUE"
        );
        let e =
            Customization::from_flags(None, Some(&["region=e u".to_string()]), &[]).unwrap_err();
        assert!(
            e.message.starts_with("invalid --cluster-selector \"region=e u\": clusterSelector.matchLabels: Invalid value: \"e u\""),
            "{}",
            e.message
        );
        let e = Customization::from_flags(None, Some(&["r=a".to_string(), "r=b".into()]), &[])
            .unwrap_err();
        assert!(e.message.contains("given twice"), "{}", e.message);
    }

    fn record(cluster: &str, status: &str, error: &str) -> Record {
        Record {
            cluster: cluster.into(),
            type_name: "deployments.apps".into(),
            namespace: "shop".into(),
            name: "web".into(),
            action: crate::engine::reconcile::Action::None,
            status: status.into(),
            error: Some(error.into()),
        }
    }

    #[test]
    fn the_hint_for_a_failed_override_names_object_cluster_and_field() {
        let records = [
            record("m1", "ClusterNotReady", "down"),
            record(
                "m2",
                "ApplyOverridesFailed",
                "spec.overrides[1].clusterOverrides[0]: cannot add \"/metadata/annotations/a\": \"/metadata/annotations\" does not exist",
            ),
        ];
        assert_eq!(
            invalid_override_hint(&records).unwrap(),
            "fix or remove the override at spec.overrides[1].clusterOverrides[0] for cluster \"m2\" of federated \
             deployments.apps shop/web (kubectl edit it), or set the overrides anew with `kubefedctl federate \
             deployments.apps web -n shop --overwrite --override CLUSTER:PATH=VALUE ...`"
        );
        assert_eq!(invalid_override_hint(&records[..1]), None);
        let parse = [record(
            "m2",
            "ApplyOverridesFailed",
            "spec.overrides[0].clusterOverrides[2].path: Forbidden: metadata.name may not be overridden",
        )];
        assert!(invalid_override_hint(&parse)
            .unwrap()
            .contains("at spec.overrides[0].clusterOverrides[2].path for cluster"));
    }

    fn federated(template: Value) -> Value {
        json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedDeployment",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"template": template, "placement": {"clusterSelector": {"matchLabels": {}}}}})
    }

    #[test]
    fn apply_sets_placement_and_overrides() {
        let c = Customization::from_flags(
            Some(&["m1".to_string()]),
            None,
            &["m1:/spec/replicas=4".to_string()],
        )
        .unwrap();
        let mut fed = federated(json!({"spec": {"replicas": 1}}));
        c.apply(&mut fed, &deploy()).unwrap();
        assert_eq!(
            fed["spec"]["placement"],
            json!({"clusters": [{"name": "m1"}]})
        );
        assert_eq!(
            fed["spec"]["overrides"],
            json!([{"clusterName": "m1", "clusterOverrides": [{"op": "replace", "path": "/spec/replicas", "value": 4}]}])
        );
        let mut plain = federated(json!({"data": {}}));
        let before = plain.clone();
        Customization::default().apply(&mut plain, &cm()).unwrap();
        assert_eq!(plain, before);
    }

    #[test]
    fn an_override_that_does_not_fit_the_object_is_refused_as_reconcile_would_fail() {
        // A ConfigMap has no spec: the engine could not apply this override in m1 (ApplyOverridesFailed).
        let c = Customization::from_flags(
            None,
            None,
            &[
                "m0:/data/a=1".to_string(),
                "m1:/spec/replicas=4".to_string(),
            ],
        )
        .unwrap();
        let mut fed = federated(json!({"data": {"k": "v"}}));
        let e = c.apply(&mut fed, &cm()).unwrap_err();
        assert_eq!(e.kind, error::ErrorKind::InvalidInput);
        assert_eq!(
            e.message,
            "invalid --override \"m1:/spec/replicas=4\" for ConfigMap \"shop/web\": cannot replace \"/spec/replicas\": \"/spec\" does not exist in the object; add it first (op: add, path: \"/spec\") or override a field that exists"
        );
        assert!(e
            .hint
            .unwrap()
            .starts_with("an override must fit every object"));
    }
}
