//! `resource.Quantity` fields of built-in kinds, rewritten as the API server stores them: decoded into a
//! Quantity (a JSON number is as good as a string), `ResourceList` values rounded up to milli-units by the
//! core defaulter, and encoded in canonical form (`0.25` → `250m`, `1024Mi` → `1Gi`).

use serde_json::Value;

use kubefedctl_apimachinery::quantity::Quantity;

/// Whether the value is rounded up to milli-units (`ResourceList`, `SetDefaults_ResourceList`) or kept exact
/// (a lone `Quantity` field such as `emptyDir.sizeLimit` or an HPA target).
#[derive(Clone, Copy)]
enum Rounding {
    Milli,
    Exact,
}

fn canonical(v: &mut Value, rounding: Rounding) {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return,
    };
    // Anything else is left for validation to refuse as written.
    let Some(q) = Quantity::parse(&text) else {
        return;
    };
    let out = match rounding {
        Rounding::Milli => {
            let r = q.rounded_to_milli();
            if r == q {
                kubefedctl_apimachinery::quantity::canonical(&text).unwrap_or_else(|| q.canonical())
            } else {
                r.canonical()
            }
        }
        Rounding::Exact => {
            kubefedctl_apimachinery::quantity::canonical(&text).unwrap_or_else(|| q.canonical())
        }
    };
    *v = Value::String(out);
}

fn child<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    v.as_object_mut()?.get_mut(key)
}

fn at<'a>(v: &'a mut Value, path: &[&str]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, k| child(v, k))
}

fn items(v: Option<&mut Value>) -> impl Iterator<Item = &mut Value> {
    v.and_then(Value::as_array_mut).into_iter().flatten()
}

fn resource_list(v: Option<&mut Value>) {
    if let Some(m) = v.and_then(Value::as_object_mut) {
        m.values_mut().for_each(|q| canonical(q, Rounding::Milli));
    }
}

fn requirements(v: Option<&mut Value>) {
    if let Some(r) = v {
        resource_list(child(r, "requests"));
        resource_list(child(r, "limits"));
    }
}

fn pod_spec(spec: Option<&mut Value>) {
    let Some(spec) = spec else { return };
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        for c in items(child(spec, list)) {
            requirements(child(c, "resources"));
        }
    }
    requirements(child(spec, "resources"));
    resource_list(child(spec, "overhead"));
    for vol in items(child(spec, "volumes")) {
        if let Some(q) = at(vol, &["emptyDir", "sizeLimit"]) {
            canonical(q, Rounding::Exact);
        }
        requirements(at(
            vol,
            &["ephemeral", "volumeClaimTemplate", "spec", "resources"],
        ));
    }
}

fn metric_values(metric: &mut Value, holder: &str) {
    let Some(m) = metric.as_object_mut() else {
        return;
    };
    for source in [
        "resource",
        "containerResource",
        "pods",
        "object",
        "external",
    ] {
        if let Some(t) = m.get_mut(source).and_then(|s| child(s, holder)) {
            for k in ["value", "averageValue"] {
                if let Some(q) = child(t, k) {
                    canonical(q, Rounding::Exact);
                }
            }
        }
    }
}

/// Rewrites every quantity of a built-in kind in place; kinds without quantities are left alone.
pub fn canonicalize_quantities(group: &str, kind: &str, obj: &mut Value) {
    match (group, kind) {
        ("", "Pod") => pod_spec(child(obj, "spec")),
        ("", "ReplicationController" | "PodTemplate")
        | ("apps", "Deployment" | "ReplicaSet" | "DaemonSet")
        | ("batch", "Job") => pod_spec(at(obj, &["spec", "template", "spec"])),
        ("apps", "StatefulSet") => {
            pod_spec(at(obj, &["spec", "template", "spec"]));
            for t in items(at(obj, &["spec", "volumeClaimTemplates"])) {
                requirements(at(t, &["spec", "resources"]));
            }
        }
        ("batch", "CronJob") => pod_spec(at(
            obj,
            &["spec", "jobTemplate", "spec", "template", "spec"],
        )),
        ("", "PersistentVolumeClaim") => {
            requirements(at(obj, &["spec", "resources"]));
            resource_list(at(obj, &["status", "capacity"]));
            resource_list(at(obj, &["status", "allocatedResources"]));
        }
        ("", "PersistentVolume") => resource_list(at(obj, &["spec", "capacity"])),
        ("", "ResourceQuota") => {
            resource_list(at(obj, &["spec", "hard"]));
            resource_list(at(obj, &["status", "hard"]));
            resource_list(at(obj, &["status", "used"]));
        }
        ("", "LimitRange") => {
            for item in items(at(obj, &["spec", "limits"])) {
                for k in [
                    "max",
                    "min",
                    "default",
                    "defaultRequest",
                    "maxLimitRequestRatio",
                ] {
                    resource_list(child(item, k));
                }
            }
        }
        ("", "Node") => {
            resource_list(at(obj, &["status", "capacity"]));
            resource_list(at(obj, &["status", "allocatable"]));
        }
        ("autoscaling", "HorizontalPodAutoscaler") => {
            for m in items(at(obj, &["spec", "metrics"])) {
                metric_values(m, "target");
            }
            for m in items(at(obj, &["status", "currentMetrics"])) {
                metric_values(m, "current");
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    /// A `ResourceList` as the server stores it.
    fn stored_list(list: Value) -> Map<String, Value> {
        let mut v = json!({"spec": {"hard": list}});
        canonicalize_quantities("", "ResourceQuota", &mut v);
        v["spec"]["hard"].as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn resource_lists_are_canonical_and_rounded_to_milli_units() {
        let got = stored_list(json!({"cpu": "0.25", "memory": "1000000000", "pods": 10,
            "a": "1024Mi", "b": "1.5Gi", "c": "0.0001", "d": 0.5, "e": "1073741824", "f": "+1", "bad": "1x"}));
        assert_eq!(
            Value::Object(got),
            json!({"cpu": "250m", "memory": "1G", "pods": "10", "a": "1Gi", "b": "1536Mi",
                "c": "1m", "d": "500m", "e": "1073741824", "f": "+1", "bad": "1x"})
        );
    }

    #[test]
    fn every_container_of_a_template_and_volume_sizes_are_rewritten() {
        let mut d = json!({"spec": {"template": {"spec": {
            "initContainers": [{"name": "i", "resources": {"limits": {"cpu": 1}}}],
            "containers": [{"name": "c", "resources": {"requests": {"memory": "2048Ki"}}}],
            "volumes": [{"name": "v", "emptyDir": {"sizeLimit": "0.5Gi"}}]}}}});
        canonicalize_quantities("apps", "Deployment", &mut d);
        let spec = &d["spec"]["template"]["spec"];
        assert_eq!(spec["initContainers"][0]["resources"]["limits"]["cpu"], "1");
        assert_eq!(
            spec["containers"][0]["resources"]["requests"]["memory"],
            "2Mi"
        );
        assert_eq!(spec["volumes"][0]["emptyDir"]["sizeLimit"], "512Mi");
    }

    #[test]
    fn hpa_targets_keep_sub_milli_precision() {
        let mut h = json!({"spec": {"metrics": [{"type": "Pods", "pods": {"metric": {"name": "m"},
            "target": {"type": "AverageValue", "averageValue": "0.0001"}}}]}});
        canonicalize_quantities("autoscaling", "HorizontalPodAutoscaler", &mut h);
        assert_eq!(
            h["spec"]["metrics"][0]["pods"]["target"]["averageValue"],
            "100u"
        );
    }

    #[test]
    fn other_kinds_are_untouched() {
        let mut cm = json!({"data": {"cpu": "0.25"}});
        canonicalize_quantities("", "ConfigMap", &mut cm);
        assert_eq!(cm, json!({"data": {"cpu": "0.25"}}));
    }
}
