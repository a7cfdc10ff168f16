//! PropagatedVersion bookkeeping (§2.5): the template/overrides hashes and member object versions KubeFed
//! records, byte-compatible so versions written by either side are recognised by the other.

use md5::{Digest, Md5};
use serde_json::{Map, Value};

/// Serialises like Go's `json.Encoder.Encode`: map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped,
/// trailing newline. Integers match exactly; floats print in Rust's shortest form, which differs from Go only
/// for exponents (`1e21` vs `1e+21`).
pub fn go_json(v: &Value) -> String {
    let mut out = String::new();
    write_go(v, &mut out);
    out.push('\n');
    out
}

fn write_go(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_string(k, out);
                out.push(':');
                write_go(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go(item, out);
            }
            out.push(']');
        }
        Value::String(s) => write_go_string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn write_go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn md5_hex(s: &str) -> String {
    let digest = Md5::digest(s.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `status.templateVersion`: md5 of `spec.template` as Go encodes it; `""` when there is no template.
pub fn template_version(fed: &Value) -> String {
    match fed.pointer("/spec/template") {
        Some(t @ Value::Object(_)) => md5_hex(&go_json(t)),
        _ => String::new(),
    }
}

/// `status.overridesVersion`: md5 of `{"overrides": spec.overrides}` with each entry in KubeFed's struct shape
/// (`clusterName`, `clusterOverrides` of `op`/`path`/`value`, empty ones omitted); `""` when there are none.
pub fn overrides_version(fed: &Value) -> String {
    let Some(list) = fed.pointer("/spec/overrides").and_then(Value::as_array) else {
        return String::new();
    };
    // Struct fields keep declaration order in Go, so this part is written by hand rather than key-sorted.
    let mut out = String::from("{\"overrides\":[");
    for (i, item) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"clusterName\":");
        write_go_string(
            item.get("clusterName")
                .and_then(Value::as_str)
                .unwrap_or_default(),
            &mut out,
        );
        let ops = item
            .get("clusterOverrides")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty());
        if let Some(ops) = ops {
            out.push_str(",\"clusterOverrides\":[");
            for (j, op) in ops.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push('{');
                let op_name = op.get("op").and_then(Value::as_str).unwrap_or_default();
                if !op_name.is_empty() {
                    out.push_str("\"op\":");
                    write_go_string(op_name, &mut out);
                    out.push(',');
                }
                out.push_str("\"path\":");
                write_go_string(
                    op.get("path").and_then(Value::as_str).unwrap_or_default(),
                    &mut out,
                );
                if let Some(v) = op.get("value").filter(|v| !v.is_null()) {
                    out.push_str(",\"value\":");
                    write_go(v, &mut out);
                }
                out.push('}');
            }
            out.push(']');
        }
        out.push('}');
    }
    out.push_str("]}\n");
    md5_hex(&out)
}

/// The version recorded for a member object: `gen:<generation>` when it has a non-zero generation,
/// else `rv:<resourceVersion>`.
pub fn object_version(live: &Value) -> String {
    match live.pointer("/metadata/generation").and_then(Value::as_i64) {
        Some(g) if g != 0 => format!("gen:{g}"),
        _ => format!(
            "rv:{}",
            live.pointer("/metadata/resourceVersion")
                .and_then(Value::as_str)
                .unwrap_or_default()
        ),
    }
}

/// Name of the (Cluster)PropagatedVersion for a federated object: `<lowercase target kind>-<name>`.
pub fn propagated_version_name(target_kind: &str, fed_name: &str) -> String {
    format!("{}-{fed_name}", target_kind.to_lowercase())
}

/// The `status` of a PropagatedVersion: hashes plus `clusterVersions` sorted by cluster name.
pub fn propagated_version_status(
    fed: &Value,
    cluster_versions: &std::collections::BTreeMap<String, String>,
) -> Value {
    let mut st = Map::new();
    st.insert(
        "templateVersion".into(),
        Value::String(template_version(fed)),
    );
    st.insert(
        "overridesVersion".into(),
        Value::String(overrides_version(fed)),
    );
    st.insert(
        "clusterVersions".into(),
        Value::Array(
            cluster_versions
                .iter()
                .map(|(c, v)| serde_json::json!({"clusterName": c, "version": v}))
                .collect(),
        ),
    );
    Value::Object(st)
}

/// The API resource of PropagatedVersions (namespaced) or ClusterPropagatedVersions.
pub fn propagated_version_resource(namespaced: bool) -> kube::core::ApiResource {
    let (kind, plural) = if namespaced {
        ("PropagatedVersion", "propagatedversions")
    } else {
        ("ClusterPropagatedVersion", "clusterpropagatedversions")
    };
    kube::core::ApiResource {
        group: crate::kubefed::CORE_GROUP.into(),
        version: crate::kubefed::CORE_ALPHA_VERSION.into(),
        api_version: crate::kubefed::CORE_ALPHA_API_VERSION.into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// The member versions a stored PropagatedVersion `status` records, by cluster — only when it was written
/// for the federated object's current template and overrides (otherwise none can be trusted).
pub fn trusted_versions(
    stored: Option<&Value>,
    fed: &Value,
) -> Option<std::collections::BTreeMap<String, String>> {
    let st = stored?;
    let s = |k: &str| st.get(k).and_then(Value::as_str).unwrap_or_default();
    if s("templateVersion") != template_version(fed)
        || s("overridesVersion") != overrides_version(fed)
    {
        return None;
    }
    Some(
        st.get("clusterVersions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|cv| {
                Some((
                    cv.get("clusterName")?.as_str()?.to_string(),
                    cv.get("version")?.as_str()?.to_string(),
                ))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[test]
    fn go_json_sorts_keys_escapes_html_and_ends_with_newline() {
        let v = json!({"b": 1, "a": {"z": [true, null], "y": "<a&b>"}});
        assert_eq!(
            go_json(&v),
            "{\"a\":{\"y\":\"\\u003ca\\u0026b\\u003e\",\"z\":[true,null]},\"b\":1}\n"
        );
        assert_eq!(go_json(&json!("tab\there\u{1}")), "\"tab\\there\\u0001\"\n");
    }

    #[test]
    fn template_version_is_md5_of_go_json() {
        let fed = json!({"spec": {"template": {"data": {"k": "v"}}}});
        // md5 of the Go encoding {"data":{"k":"v"}} plus newline, computed independently.
        assert_eq!(template_version(&fed), "86d7340b476552a96d857c5b58aace45");
        assert_eq!(template_version(&json!({"spec": {}})), "");
    }

    #[test]
    fn template_version_ignores_key_order() {
        let a = json!({"spec": {"template": {"a": 1, "b": 2}}});
        let b = json!({"spec": {"template": {"b": 2, "a": 1}}});
        assert_eq!(template_version(&a), template_version(&b));
    }

    #[test]
    fn overrides_version_uses_struct_field_order() {
        let fed = json!({"spec": {"overrides": [{"clusterOverrides": [{"value": 5, "path": "/spec/replicas"}], "clusterName": "c1"},
            {"clusterName": "c2"}]}});
        let expected = "{\"overrides\":[{\"clusterName\":\"c1\",\"clusterOverrides\":[{\"path\":\"/spec/replicas\",\"value\":5}]},{\"clusterName\":\"c2\"}]}\n";
        assert_eq!(md5_hex(expected), "a5f08120baf85c4908cb76f2064e0e35");
        assert_eq!(overrides_version(&fed), "a5f08120baf85c4908cb76f2064e0e35");
        assert_eq!(overrides_version(&json!({"spec": {}})), "");
    }

    #[test]
    fn object_version_prefers_generation() {
        assert_eq!(
            object_version(&json!({"metadata": {"generation": 3, "resourceVersion": "9"}})),
            "gen:3"
        );
        assert_eq!(
            object_version(&json!({"metadata": {"resourceVersion": "9"}})),
            "rv:9"
        );
        assert_eq!(
            object_version(&json!({"metadata": {"generation": 0, "resourceVersion": "9"}})),
            "rv:9"
        );
    }

    #[test]
    fn recorded_versions_are_trusted_only_for_the_current_template_and_overrides() {
        let fed = json!({"spec": {"template": {"data": {"k": "v"}}}});
        let stored = propagated_version_status(
            &fed,
            &BTreeMap::from([("c1".to_string(), "rv:4".to_string())]),
        );
        assert_eq!(
            trusted_versions(Some(&stored), &fed),
            Some(BTreeMap::from([("c1".to_string(), "rv:4".to_string())]))
        );
        let changed = json!({"spec": {"template": {"data": {"k": "w"}}}});
        assert_eq!(trusted_versions(Some(&stored), &changed), None);
        let overridden = json!({"spec": {"template": {"data": {"k": "v"}},
            "overrides": [{"clusterName": "c1", "clusterOverrides": [{"path": "/data/k", "value": "x"}]}]}});
        assert_eq!(trusted_versions(Some(&stored), &overridden), None);
        assert_eq!(trusted_versions(None, &fed), None);
    }

    #[test]
    fn propagated_version_names_and_status() {
        assert_eq!(
            propagated_version_name("Deployment", "web"),
            "deployment-web"
        );
        let fed = json!({"spec": {"template": {}}});
        let st = propagated_version_status(
            &fed,
            &BTreeMap::from([
                ("c2".to_string(), "gen:1".to_string()),
                ("c1".to_string(), "rv:4".to_string()),
            ]),
        );
        assert_eq!(
            st["clusterVersions"],
            json!([{"clusterName": "c1", "version": "rv:4"}, {"clusterName": "c2", "version": "gen:1"}])
        );
        assert_eq!(st["overridesVersion"], "");
    }
}
