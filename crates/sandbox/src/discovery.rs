//! Discovery documents (legacy `/api`, `/apis`, `/apis/{g}/{v}` and aggregated `apidiscovery.k8s.io/v2`),
//! and `/version`, all rendered from the registry on each request.

use serde_json::{json, Value};

use super::registry::{Registry, ResourceType};

pub const GIT_VERSION: &str = "v1.33.0";

pub fn version() -> Value {
    json!({
        "major": "1",
        "minor": "33",
        // Since compatibility versions (v1.31+): the version it emulates is its own, and it stays
        // compatible with one minor back.
        "emulationMajor": "1",
        "emulationMinor": "33",
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "32",
        "gitVersion": GIT_VERSION,
        "gitCommit": "60a317eadfcb839692a68eab88b2096f4d708f4f",
        "gitTreeState": "clean",
        "buildDate": "2025-04-23T00:00:00Z",
        "goVersion": "go1.24.2",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

pub fn core_versions(port: u16) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": format!("127.0.0.1:{port}")}]
    })
}

fn group_doc(group: &str, versions: &[String]) -> Value {
    let vs: Vec<Value> = versions
        .iter()
        .map(|v| json!({"groupVersion": format!("{group}/{v}"), "version": v}))
        .collect();
    json!({
        "name": group,
        "versions": vs,
        "preferredVersion": {"groupVersion": format!("{group}/{}", versions[0]), "version": versions[0]}
    })
}

pub fn group_list(reg: &Registry) -> Value {
    let groups: Vec<Value> = reg
        .groups()
        .iter()
        .map(|(g, vs)| group_doc(g, vs))
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

pub fn group(reg: &Registry, name: &str) -> Option<Value> {
    reg.groups().iter().find(|(g, _)| g == name).map(|(g, vs)| {
        let mut d = group_doc(g, vs);
        d["kind"] = json!("APIGroup");
        d["apiVersion"] = json!("v1");
        d
    })
}

/// `storageVersionHash`: the first 8 bytes of SHA-256 over the storage `group/version/kind`, base64, as the
/// real server computes it. Clients only compare it for changes; CustomResourceDefinitions are still stored
/// as v1beta1.
fn storage_version_hash(t: &ResourceType) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let version = if t.group == "apiextensions.k8s.io" && t.kind == "CustomResourceDefinition" {
        "v1beta1"
    } else {
        t.storage_version()
    };
    let digest = sha2::Sha256::digest(format!("{}/{version}/{}", t.group, t.kind).as_bytes());
    base64::engine::general_purpose::STANDARD.encode(&digest[..8])
}

fn resource_entries(t: &ResourceType) -> Vec<Value> {
    let mut main = json!({
        "name": t.plural,
        "singularName": t.singular,
        "namespaced": t.namespaced,
        "kind": t.kind,
        "verbs": t.verbs,
    });
    if !t.virtual_only {
        main["storageVersionHash"] = json!(storage_version_hash(t));
    }
    if !t.short_names.is_empty() {
        main["shortNames"] = json!(t.short_names);
    }
    if !t.categories.is_empty() {
        main["categories"] = json!(t.categories);
    }
    let mut out = vec![main];
    for (sub, verbs, resp) in t.subresources() {
        let mut e = json!({
            "name": format!("{}/{sub}", t.plural),
            "singularName": "",
            "namespaced": t.namespaced,
            "kind": t.kind,
            "verbs": verbs,
        });
        if let Some((g, v, k)) = resp {
            e["group"] = json!(g);
            e["version"] = json!(v);
            e["kind"] = json!(k);
        }
        out.push(e);
    }
    out
}

/// `GET /api/v1` or `/apis/{g}/{v}`; None when the group/version is not served.
pub fn resource_list(reg: &Registry, group: &str, version: &str) -> Option<Value> {
    let types = reg.in_group_version(group, version);
    if types.is_empty() {
        return None;
    }
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    // Sorted by name as the real server lists them (a subresource right after its resource).
    let mut resources: Vec<Value> = types.iter().flat_map(|t| resource_entries(t)).collect();
    resources.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    // The core list carries no apiVersion; group lists do.
    Some(if group.is_empty() {
        json!({"kind": "APIResourceList", "groupVersion": gv, "resources": resources})
    } else {
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources})
    })
}

pub const AGGREGATED_CONTENT_TYPE: &str =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/// Whether the Accept header asks for aggregated discovery v2 before anything we would answer otherwise.
pub fn wants_aggregated(accept: &str) -> bool {
    for entry in accept.split(',') {
        let params: Vec<&str> = entry.split(';').map(|s| s.trim()).collect();
        let media = params[0];
        if media != "application/json" {
            if media == "*/*" {
                return false;
            }
            continue;
        }
        let has = |k: &str, v: &str| params.iter().any(|p| p.split_once('=') == Some((k, v)));
        if has("g", "apidiscovery.k8s.io") && has("as", "APIGroupDiscoveryList") {
            if has("v", "v2") {
                return true;
            }
            continue; // v2beta1 only: decline, fall back to the next entry
        }
        return false; // plain application/json comes first
    }
    false
}

fn aggregated_resource(t: &ResourceType, version: &str) -> Value {
    // Real servers leave a built-in's own group and version out of responseKind (CRDs fill them in).
    let (own_group, own_version) = if t.is_crd() {
        (t.group.clone(), version.to_string())
    } else {
        (String::new(), String::new())
    };
    let mut r = json!({
        "resource": t.plural,
        "responseKind": {"group": own_group, "version": own_version, "kind": t.kind},
        "scope": if t.namespaced { "Namespaced" } else { "Cluster" },
        "singularResource": t.singular,
        "verbs": t.verbs,
    });
    if !t.short_names.is_empty() {
        r["shortNames"] = json!(t.short_names);
    }
    if !t.categories.is_empty() {
        r["categories"] = json!(t.categories);
    }
    let mut subresources = t.subresources();
    if !t.is_crd() {
        // Built-in subresources are listed by name (`scale` before `status`).
        subresources.sort_by(|a, b| a.0.cmp(&b.0));
    }
    let subs: Vec<Value> = subresources
        .into_iter()
        .map(|(sub, verbs, resp)| {
            let (g, v, k) = resp.unwrap_or((own_group.clone(), own_version.clone(), t.kind.clone()));
            json!({"subresource": sub, "responseKind": {"group": g, "version": v, "kind": k}, "verbs": verbs})
        })
        .collect();
    if !subs.is_empty() {
        r["subresources"] = json!(subs);
    }
    r
}

fn aggregated_group(reg: &Registry, group: &str, versions: &[String]) -> Value {
    let vs: Vec<Value> = versions
        .iter()
        .map(|v| {
            let resources: Vec<Value> = reg
                .in_group_version(group, v)
                .iter()
                .map(|t| aggregated_resource(t, v))
                .collect();
            json!({"version": v, "resources": resources, "freshness": "Current"})
        })
        .collect();
    json!({"metadata": {"name": group}, "versions": vs})
}

/// Aggregated discovery for `/api` (core only) or `/apis` (every group).
pub fn aggregated(reg: &Registry, core: bool) -> Value {
    let items: Vec<Value> = if core {
        vec![aggregated_group(reg, "", &["v1".to_string()])]
    } else {
        reg.groups()
            .iter()
            .map(|(g, vs)| aggregated_group(reg, g, vs))
            .collect()
    };
    json!({"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}, "items": items})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregated_negotiation_follows_accept_order() {
        assert!(wants_aggregated(
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
        ));
        assert!(!wants_aggregated("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"));
        assert!(!wants_aggregated("application/json, */*"));
        assert!(wants_aggregated(
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;profile=nopeer"
        ));
    }

    #[test]
    fn every_resource_entry_has_a_singular_name() {
        let reg = Registry::new(vec![]);
        let doc = resource_list(&reg, "apps", "v1").unwrap();
        for r in doc["resources"].as_array().unwrap() {
            assert!(r["singularName"].is_string(), "{r}");
        }
        let scale = doc["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "deployments/scale")
            .unwrap();
        assert_eq!(scale["group"], "autoscaling");
        assert!(resource_list(&reg, "apps", "v9").is_none());
    }
}
