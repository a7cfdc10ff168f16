//! Conversion between the served versions of a built-in kind stored in another version: HorizontalPodAutoscaler
//! is stored as autoscaling/v2 and served as v1 too, with what v1 cannot say kept in the real server's
//! round-trip annotations (`autoscaling.alpha.kubernetes.io/…`).

use serde_json::{json, Map, Value};

const METRICS: &str = "autoscaling.alpha.kubernetes.io/metrics";
const CURRENT_METRICS: &str = "autoscaling.alpha.kubernetes.io/current-metrics";
const CONDITIONS: &str = "autoscaling.alpha.kubernetes.io/conditions";
const BEHAVIOR: &str = "autoscaling.alpha.kubernetes.io/behavior";
const ROUND_TRIP: [&str; 4] = [METRICS, CURRENT_METRICS, CONDITIONS, BEHAVIOR];

/// The version a built-in kind is stored in, when it is served in more than one.
pub fn storage_version(group: &str, kind: &str) -> Option<&'static str> {
    match (group, kind) {
        ("autoscaling", "HorizontalPodAutoscaler") => Some("v2"),
        _ => None,
    }
}

/// Whether `obj` already says it is `group/version` (conversion is then a copy: presenting twice is harmless).
fn already(obj: &Value, group: &str, version: &str) -> bool {
    obj["apiVersion"].as_str() == Some(&format!("{group}/{version}"))
}

/// Converts a stored object to `version` (unchanged when it is the storage version or the kind has none).
pub fn from_storage(group: &str, kind: &str, version: &str, obj: &Value) -> Value {
    if already(obj, group, version) {
        return obj.clone();
    }
    match (storage_version(group, kind), kind, version) {
        (Some("v2"), "HorizontalPodAutoscaler", "v1") => hpa_v2_to_v1(obj),
        _ => obj.clone(),
    }
}

/// Converts an object written at `version` to the storage version.
pub fn to_storage(group: &str, kind: &str, version: &str, obj: &Value) -> Value {
    if storage_version(group, kind).is_some_and(|sv| already(obj, group, sv)) {
        return obj.clone();
    }
    match (storage_version(group, kind), kind, version) {
        (Some("v2"), "HorizontalPodAutoscaler", "v1") => hpa_v1_to_v2(obj),
        _ => obj.clone(),
    }
}

fn put(m: &mut Map<String, Value>, key: &str, v: &Value) {
    if !v.is_null() {
        m.insert(key.into(), v.clone());
    }
}

/// A Go `resource.Quantity` that is not a pointer: always printed, `"0"` when unset.
fn quantity(v: &Value) -> Value {
    if v.is_null() {
        json!("0")
    } else {
        v.clone()
    }
}

fn is_cpu_utilization(m: &Value) -> bool {
    m["type"] == "Resource"
        && m["resource"]["name"] == "cpu"
        && !m["resource"]["target"]["averageUtilization"].is_null()
}

/// The object's annotations without the round-trip ones (None when none remain).
fn annotations_without_round_trip(obj: &Value) -> Map<String, Value> {
    let mut a = obj["metadata"]["annotations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    a.retain(|k, _| !ROUND_TRIP.contains(&k.as_str()));
    a
}

fn set_annotations(out: &mut Value, annotations: Map<String, Value>) {
    let meta = out["metadata"].as_object_mut();
    if let Some(meta) = meta {
        if annotations.is_empty() {
            meta.remove("annotations");
        } else {
            meta.insert("annotations".into(), Value::Object(annotations));
        }
    }
}

/// `resource` or `containerResource`: where a Resource / ContainerResource metric keeps its source.
fn resource_key(ty: &str) -> &'static str {
    if ty == "Resource" {
        "resource"
    } else {
        "containerResource"
    }
}

/// autoscaling/v2's MetricIdentifier.
fn metric_id(name: &Value, selector: &Value) -> Value {
    let mut id = Map::new();
    id.insert("name".into(), name.clone());
    put(&mut id, "selector", selector);
    Value::Object(id)
}

/// autoscaling/v2's MetricTarget (with `type`) or MetricValueStatus (without): the fields that are set.
fn metric_value(ty: Option<&str>, value: &Value, avg: &Value, util: &Value) -> Value {
    let mut t = Map::new();
    if let Some(ty) = ty {
        t.insert("type".into(), json!(ty));
    }
    put(&mut t, "value", value);
    put(&mut t, "averageValue", avg);
    put(&mut t, "averageUtilization", util);
    Value::Object(t)
}

fn metric_spec_to_v1(m: &Value) -> Value {
    let ty = m["type"].as_str().unwrap_or("");
    let mut out = Map::new();
    out.insert("type".into(), json!(ty));
    match ty {
        "Resource" | "ContainerResource" => {
            let key = resource_key(ty);
            let src = &m[key];
            let mut r = Map::new();
            put(&mut r, "name", &src["name"]);
            put(
                &mut r,
                "targetAverageUtilization",
                &src["target"]["averageUtilization"],
            );
            put(&mut r, "targetAverageValue", &src["target"]["averageValue"]);
            put(&mut r, "container", &src["container"]);
            out.insert(key.into(), Value::Object(r));
        }
        "Pods" => {
            let src = &m["pods"];
            let mut r = Map::new();
            r.insert("metricName".into(), src["metric"]["name"].clone());
            r.insert(
                "targetAverageValue".into(),
                quantity(&src["target"]["averageValue"]),
            );
            put(&mut r, "selector", &src["metric"]["selector"]);
            out.insert("pods".into(), Value::Object(r));
        }
        "Object" => {
            let src = &m["object"];
            let mut r = Map::new();
            r.insert("target".into(), src["describedObject"].clone());
            r.insert("metricName".into(), src["metric"]["name"].clone());
            r.insert("targetValue".into(), quantity(&src["target"]["value"]));
            put(&mut r, "selector", &src["metric"]["selector"]);
            put(&mut r, "averageValue", &src["target"]["averageValue"]);
            out.insert("object".into(), Value::Object(r));
        }
        "External" => {
            let src = &m["external"];
            let mut r = Map::new();
            r.insert("metricName".into(), src["metric"]["name"].clone());
            put(&mut r, "metricSelector", &src["metric"]["selector"]);
            put(&mut r, "targetValue", &src["target"]["value"]);
            put(&mut r, "targetAverageValue", &src["target"]["averageValue"]);
            out.insert("external".into(), Value::Object(r));
        }
        _ => {}
    }
    Value::Object(out)
}

fn metric_spec_from_v1(m: &Value) -> Value {
    let ty = m["type"].as_str().unwrap_or("");
    let mut out = Map::new();
    out.insert("type".into(), json!(ty));
    let target = |ty: &str, value: &Value, avg: &Value, util: &Value| {
        metric_value(Some(ty), value, avg, util)
    };
    match ty {
        "Resource" | "ContainerResource" => {
            let key = resource_key(ty);
            let src = &m[key];
            let util = &src["targetAverageUtilization"];
            let t = if util.is_null() {
                "AverageValue"
            } else {
                "Utilization"
            };
            let mut r = Map::new();
            put(&mut r, "name", &src["name"]);
            r.insert(
                "target".into(),
                target(t, &Value::Null, &src["targetAverageValue"], util),
            );
            put(&mut r, "container", &src["container"]);
            out.insert(key.into(), Value::Object(r));
        }
        "Pods" => {
            let src = &m["pods"];
            out.insert(
                "pods".into(),
                json!({"metric": metric_id(&src["metricName"], &src["selector"]),
                    "target": target("AverageValue", &Value::Null, &quantity(&src["targetAverageValue"]), &Value::Null)}),
            );
        }
        "Object" => {
            let src = &m["object"];
            let avg = &src["averageValue"];
            let value = quantity(&src["targetValue"]);
            let (t, value) = if avg.is_null() {
                ("Value", value)
            } else if value == "0" {
                ("AverageValue", Value::Null)
            } else {
                ("AverageValue", value)
            };
            out.insert(
                "object".into(),
                json!({"describedObject": src["target"], "target": target(t, &value, avg, &Value::Null),
                    "metric": metric_id(&src["metricName"], &src["selector"])}),
            );
        }
        "External" => {
            let src = &m["external"];
            let value = &src["targetValue"];
            let t = if value.is_null() {
                "AverageValue"
            } else {
                "Value"
            };
            out.insert(
                "external".into(),
                json!({"metric": metric_id(&src["metricName"], &src["metricSelector"]),
                    "target": target(t, value, &src["targetAverageValue"], &Value::Null)}),
            );
        }
        _ => {}
    }
    Value::Object(out)
}

fn metric_status_to_v1(m: &Value) -> Value {
    let ty = m["type"].as_str().unwrap_or("");
    let mut out = Map::new();
    out.insert("type".into(), json!(ty));
    match ty {
        "Resource" | "ContainerResource" => {
            let key = resource_key(ty);
            let src = &m[key];
            let mut r = Map::new();
            put(&mut r, "name", &src["name"]);
            put(
                &mut r,
                "currentAverageUtilization",
                &src["current"]["averageUtilization"],
            );
            r.insert(
                "currentAverageValue".into(),
                quantity(&src["current"]["averageValue"]),
            );
            put(&mut r, "container", &src["container"]);
            out.insert(key.into(), Value::Object(r));
        }
        "Pods" => {
            let src = &m["pods"];
            let mut r = Map::new();
            r.insert("metricName".into(), src["metric"]["name"].clone());
            r.insert(
                "currentAverageValue".into(),
                quantity(&src["current"]["averageValue"]),
            );
            put(&mut r, "selector", &src["metric"]["selector"]);
            out.insert("pods".into(), Value::Object(r));
        }
        "Object" => {
            let src = &m["object"];
            let mut r = Map::new();
            r.insert("target".into(), src["describedObject"].clone());
            r.insert("metricName".into(), src["metric"]["name"].clone());
            r.insert("currentValue".into(), quantity(&src["current"]["value"]));
            put(&mut r, "selector", &src["metric"]["selector"]);
            put(&mut r, "averageValue", &src["current"]["averageValue"]);
            out.insert("object".into(), Value::Object(r));
        }
        "External" => {
            let src = &m["external"];
            let mut r = Map::new();
            r.insert("metricName".into(), src["metric"]["name"].clone());
            put(&mut r, "metricSelector", &src["metric"]["selector"]);
            r.insert("currentValue".into(), quantity(&src["current"]["value"]));
            put(
                &mut r,
                "currentAverageValue",
                &src["current"]["averageValue"],
            );
            out.insert("external".into(), Value::Object(r));
        }
        _ => {}
    }
    Value::Object(out)
}

fn metric_status_from_v1(m: &Value) -> Value {
    let ty = m["type"].as_str().unwrap_or("");
    let mut out = Map::new();
    out.insert("type".into(), json!(ty));
    let current = |value: &Value, avg: &Value, util: &Value| metric_value(None, value, avg, util);
    match ty {
        "Resource" | "ContainerResource" => {
            let key = resource_key(ty);
            let src = &m[key];
            let mut r = Map::new();
            put(&mut r, "name", &src["name"]);
            r.insert(
                "current".into(),
                current(
                    &Value::Null,
                    &src["currentAverageValue"],
                    &src["currentAverageUtilization"],
                ),
            );
            put(&mut r, "container", &src["container"]);
            out.insert(key.into(), Value::Object(r));
        }
        "Pods" => {
            let src = &m["pods"];
            out.insert(
                "pods".into(),
                json!({"metric": metric_id(&src["metricName"], &src["selector"]),
                    "current": current(&Value::Null, &src["currentAverageValue"], &Value::Null)}),
            );
        }
        "Object" => {
            let src = &m["object"];
            out.insert(
                "object".into(),
                json!({"metric": metric_id(&src["metricName"], &src["selector"]),
                    "current": current(&src["currentValue"], &src["averageValue"], &Value::Null),
                    "describedObject": src["target"]}),
            );
        }
        "External" => {
            let src = &m["external"];
            out.insert(
                "external".into(),
                json!({"metric": metric_id(&src["metricName"], &src["metricSelector"]),
                    "current": current(&src["currentValue"], &src["currentAverageValue"], &Value::Null)}),
            );
        }
        _ => {}
    }
    Value::Object(out)
}

/// The internal (tagless Go) form the server writes into the behavior annotation.
fn behavior_to_internal(b: &Value) -> Value {
    let rules = |r: &Value| -> Value {
        if !r.is_object() {
            return Value::Null;
        }
        let policies: Vec<Value> = r["policies"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| json!({"Type": p["type"], "Value": p["value"], "PeriodSeconds": p["periodSeconds"]}))
            .collect();
        json!({"StabilizationWindowSeconds": r["stabilizationWindowSeconds"], "SelectPolicy": r["selectPolicy"],
            "Policies": if policies.is_empty() { Value::Null } else { Value::Array(policies) },
            "Tolerance": r["tolerance"]})
    };
    json!({"ScaleUp": rules(&b["scaleUp"]), "ScaleDown": rules(&b["scaleDown"])})
}

fn behavior_from_internal(b: &Value) -> Value {
    let rules = |r: &Value| -> Value {
        if !r.is_object() {
            return Value::Null;
        }
        let mut out = Map::new();
        put(
            &mut out,
            "stabilizationWindowSeconds",
            &r["StabilizationWindowSeconds"],
        );
        put(&mut out, "selectPolicy", &r["SelectPolicy"]);
        if let Some(ps) = r["Policies"].as_array() {
            let ps: Vec<Value> = ps
                .iter()
                .map(|p| json!({"type": p["Type"], "value": p["Value"], "periodSeconds": p["PeriodSeconds"]}))
                .collect();
            out.insert("policies".into(), Value::Array(ps));
        }
        put(&mut out, "tolerance", &r["Tolerance"]);
        Value::Object(out)
    };
    let mut out = Map::new();
    put(&mut out, "scaleUp", &rules(&b["ScaleUp"]));
    put(&mut out, "scaleDown", &rules(&b["ScaleDown"]));
    Value::Object(out)
}

fn json_text(v: &Value) -> Value {
    Value::String(serde_json::to_string(v).unwrap_or_default())
}

fn hpa_v2_to_v1(obj: &Value) -> Value {
    let mut out = obj.clone();
    let mut annotations = annotations_without_round_trip(obj);
    let spec = &obj["spec"];
    let status = &obj["status"];
    let metrics = spec["metrics"].as_array().cloned().unwrap_or_default();
    let mut v1_spec = Map::new();
    put(&mut v1_spec, "scaleTargetRef", &spec["scaleTargetRef"]);
    put(&mut v1_spec, "minReplicas", &spec["minReplicas"]);
    v1_spec.insert(
        "maxReplicas".into(),
        json!(spec["maxReplicas"].as_i64().unwrap_or(0)),
    );
    if let Some(cpu) = metrics.iter().find(|m| is_cpu_utilization(m)) {
        v1_spec.insert(
            "targetCPUUtilizationPercentage".into(),
            cpu["resource"]["target"]["averageUtilization"].clone(),
        );
    }
    let others: Vec<Value> = metrics
        .iter()
        .filter(|m| !is_cpu_utilization(m))
        .map(metric_spec_to_v1)
        .collect();
    if !others.is_empty() {
        annotations.insert(METRICS.into(), json_text(&Value::Array(others)));
    }
    let current = status["currentMetrics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !current.is_empty() {
        let v1: Vec<Value> = current.iter().map(metric_status_to_v1).collect();
        annotations.insert(CURRENT_METRICS.into(), json_text(&Value::Array(v1)));
    }
    if spec["behavior"].is_object() {
        annotations.insert(
            BEHAVIOR.into(),
            json_text(&behavior_to_internal(&spec["behavior"])),
        );
    }
    if let Some(conds) = status["conditions"].as_array().filter(|c| !c.is_empty()) {
        let v1: Vec<Value> = conds
            .iter()
            .map(|c| {
                let mut m = Map::new();
                for k in ["type", "status", "lastTransitionTime", "reason", "message"] {
                    put(&mut m, k, &c[k]);
                }
                if !m.contains_key("lastTransitionTime") {
                    m.insert("lastTransitionTime".into(), Value::Null);
                }
                Value::Object(m)
            })
            .collect();
        annotations.insert(CONDITIONS.into(), json_text(&Value::Array(v1)));
    }
    set_annotations(&mut out, annotations);
    out["spec"] = Value::Object(v1_spec);
    if status.is_object() {
        let mut v1_status = Map::new();
        put(
            &mut v1_status,
            "observedGeneration",
            &status["observedGeneration"],
        );
        put(&mut v1_status, "lastScaleTime", &status["lastScaleTime"]);
        v1_status.insert(
            "currentReplicas".into(),
            json!(status["currentReplicas"].as_i64().unwrap_or(0)),
        );
        v1_status.insert(
            "desiredReplicas".into(),
            json!(status["desiredReplicas"].as_i64().unwrap_or(0)),
        );
        if let Some(u) = current
            .iter()
            .filter(|m| m["type"] == "Resource" && m["resource"]["name"] == "cpu")
            .filter_map(|m| m["resource"]["current"]["averageUtilization"].as_i64())
            .next_back()
        {
            v1_status.insert("currentCPUUtilizationPercentage".into(), json!(u));
        }
        out["status"] = Value::Object(v1_status);
    }
    out
}

fn parse_annotation(obj: &Value, key: &str) -> Option<Value> {
    obj["metadata"]["annotations"][key]
        .as_str()
        .and_then(|s| serde_json::from_str(s).ok())
}

fn hpa_v1_to_v2(obj: &Value) -> Value {
    let mut out = obj.clone();
    let spec = &obj["spec"];
    let status = &obj["status"];
    let mut v2_spec = Map::new();
    put(&mut v2_spec, "scaleTargetRef", &spec["scaleTargetRef"]);
    put(&mut v2_spec, "minReplicas", &spec["minReplicas"]);
    put(&mut v2_spec, "maxReplicas", &spec["maxReplicas"]);
    let mut metrics: Vec<Value> = parse_annotation(obj, METRICS)
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(metric_spec_from_v1)
        .collect();
    let cpu = spec["targetCPUUtilizationPercentage"]
        .as_i64()
        .unwrap_or(80);
    if !spec["targetCPUUtilizationPercentage"].is_null() || metrics.is_empty() {
        metrics.push(json!({"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": cpu}}}));
    }
    v2_spec.insert("metrics".into(), Value::Array(metrics));
    if let Some(b) = parse_annotation(obj, BEHAVIOR) {
        let b = behavior_from_internal(&b);
        if b.as_object().is_some_and(|m| !m.is_empty()) {
            v2_spec.insert("behavior".into(), b);
        }
    }
    out["spec"] = Value::Object(v2_spec);
    if status.is_object() {
        let mut v2_status = Map::new();
        put(
            &mut v2_status,
            "observedGeneration",
            &status["observedGeneration"],
        );
        put(&mut v2_status, "lastScaleTime", &status["lastScaleTime"]);
        put(
            &mut v2_status,
            "currentReplicas",
            &status["currentReplicas"],
        );
        put(
            &mut v2_status,
            "desiredReplicas",
            &status["desiredReplicas"],
        );
        let current =
            match parse_annotation(obj, CURRENT_METRICS).and_then(|v| v.as_array().cloned()) {
                Some(ms) => ms.iter().map(metric_status_from_v1).collect(),
                None => match status["currentCPUUtilizationPercentage"].as_i64() {
                    Some(u) => vec![json!({"type": "Resource", "resource": {"name": "cpu",
                    "current": {"averageUtilization": u}}})],
                    None => vec![],
                },
            };
        if !current.is_empty() {
            v2_status.insert("currentMetrics".into(), Value::Array(current));
        }
        if let Some(conds) = parse_annotation(obj, CONDITIONS).filter(|c| c.is_array()) {
            v2_status.insert("conditions".into(), conds);
        }
        out["status"] = Value::Object(v2_status);
    }
    let annotations = annotations_without_round_trip(obj);
    set_annotations(&mut out, annotations);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_target_maps_to_the_v1_field_and_other_metrics_to_the_annotation() {
        let v2 = json!({"metadata": {"name": "web"}, "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"},
            "maxReplicas": 5, "metrics": [
                {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}},
                {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}}]}});
        let v1 = from_storage("autoscaling", "HorizontalPodAutoscaler", "v1", &v2);
        assert_eq!(v1["spec"]["targetCPUUtilizationPercentage"], 60);
        assert_eq!(
            v1["metadata"]["annotations"][METRICS],
            r#"[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]"#
        );
        let back = to_storage("autoscaling", "HorizontalPodAutoscaler", "v1", &v1);
        assert_eq!(back["metadata"].get("annotations"), None);
        assert_eq!(
            back["spec"]["metrics"],
            json!([
                {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}},
                {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}}])
        );
    }

    #[test]
    fn v1_without_target_gets_the_default_cpu_metric() {
        let v1 = json!({"metadata": {"name": "web"}, "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 3}});
        let v2 = to_storage("autoscaling", "HorizontalPodAutoscaler", "v1", &v1);
        assert_eq!(
            v2["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
            80
        );
    }
}
