//! Parsing of API request URLs into what they address (group, version, resource, namespace, name, subresource)
//! and the query parameters the sandbox honours.

use std::collections::BTreeMap;

/// What an API path addresses (before looking the resource up in the registry).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourcePath {
    pub group: String,
    pub version: String,
    pub namespace: Option<String>,
    pub resource: String,
    pub name: Option<String>,
    pub subresource: Option<String>,
    /// The deprecated `/watch/` path prefix was used.
    pub watch_prefix: bool,
}

/// The kinds of paths an API server answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Healthz(String),
    Version,
    Metrics,
    OpenApiV2,
    /// `/openapi/v3`: the index of group-version documents.
    OpenApiV3Index,
    /// `/openapi/v3/{api/v1 | apis/g/v}`
    OpenApiV3(String),
    /// `/api`
    CoreVersions,
    /// `/apis`
    Groups,
    /// `/apis/{group}`
    Group(String),
    /// `/api/v1` or `/apis/{g}/{v}`
    ResourceList {
        group: String,
        version: String,
    },
    Resource(ResourcePath),
    Unknown,
}

/// Namespace subresources: `/api/v1/namespaces/{name}/status|finalize` address the namespace itself.
const NAMESPACE_SUBRESOURCES: &[&str] = &["status", "finalize"];

pub fn parse_path(path: &str) -> Route {
    let trimmed = path.trim_end_matches('/');
    let parts: Vec<&str> = trimmed.split('/').filter(|s| !s.is_empty()).collect();
    match parts.as_slice() {
        [] => Route::Unknown,
        ["healthz", ..] | ["livez", ..] | ["readyz", ..] => Route::Healthz(parts[0].to_string()),
        ["version"] => Route::Version,
        ["metrics"] => Route::Metrics,
        ["openapi", "v2"] | ["swagger-2.0.0.pb-v1"] => Route::OpenApiV2,
        ["openapi", "v3"] => Route::OpenApiV3Index,
        ["openapi", "v3", rest @ ..] => Route::OpenApiV3(rest.join("/")),
        ["api"] => Route::CoreVersions,
        ["api", v] => Route::ResourceList {
            group: String::new(),
            version: v.to_string(),
        },
        ["api", v, rest @ ..] => resource_route("", v, rest),
        ["apis"] => Route::Groups,
        ["apis", g] => Route::Group(g.to_string()),
        ["apis", g, v] => Route::ResourceList {
            group: g.to_string(),
            version: v.to_string(),
        },
        ["apis", g, v, rest @ ..] => resource_route(g, v, rest),
        _ => Route::Unknown,
    }
}

fn resource_route(group: &str, version: &str, rest: &[&str]) -> Route {
    let mut parts: Vec<&str> = rest.to_vec();
    let mut rp = ResourcePath {
        group: group.to_string(),
        version: version.to_string(),
        ..Default::default()
    };
    if parts.first() == Some(&"watch") {
        rp.watch_prefix = true;
        parts.remove(0);
    }
    if parts.first() == Some(&"namespaces") && parts.len() > 1 {
        rp.namespace = Some(parts[1].to_string());
        if parts.len() > 2 && !NAMESPACE_SUBRESOURCES.contains(&parts[2]) {
            parts = parts[2..].to_vec();
        }
    }
    if parts.is_empty() || parts.len() > 3 {
        return Route::Unknown;
    }
    rp.resource = parts[0].to_string();
    rp.name = parts.get(1).map(|s| s.to_string());
    rp.subresource = parts.get(2).map(|s| s.to_string());
    if rp.resource == "namespaces" && rp.group.is_empty() {
        // `/api/v1/namespaces/x` names namespace x; it is not "inside" a namespace.
        if let Some(ns) = rp.namespace.take() {
            rp.name = Some(ns);
        }
    }
    Route::Resource(rp)
}

/// Decoded query parameters; repeated keys keep every value.
#[derive(Debug, Clone, Default)]
pub struct Query {
    params: BTreeMap<String, Vec<String>>,
}

impl Query {
    pub fn parse(q: Option<&str>) -> Query {
        let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for pair in q.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            params
                .entry(percent_decode(k))
                .or_default()
                .push(percent_decode(v));
        }
        Query { params }
    }
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .get(key)
            .and_then(|v| v.first())
            .map(|s| s.as_str())
    }
    pub fn all(&self, key: &str) -> &[String] {
        self.params.get(key).map(|v| v.as_slice()).unwrap_or(&[])
    }
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some("true") | Some("1"))
    }
}

/// Decodes `%XX` escapes and `+` (form encoding, as Python's client sends spaces).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(path: &str) -> ResourcePath {
        match parse_path(path) {
            Route::Resource(r) => r,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn namespaced_collection_and_item_paths() {
        let r = res("/api/v1/namespaces/ns1/configmaps/cm1");
        assert_eq!(
            (
                r.namespace.as_deref(),
                r.resource.as_str(),
                r.name.as_deref()
            ),
            (Some("ns1"), "configmaps", Some("cm1"))
        );
        let r = res("/apis/apps/v1/namespaces/ns1/deployments/d/scale");
        assert_eq!(r.subresource.as_deref(), Some("scale"));
        let r = res("/apis/apps/v1/deployments");
        assert_eq!((r.namespace, r.name), (None, None));
    }

    #[test]
    fn namespace_paths_address_the_namespace_itself() {
        let r = res("/api/v1/namespaces/x");
        assert_eq!(
            (r.resource.as_str(), r.name.as_deref(), r.namespace),
            ("namespaces", Some("x"), None)
        );
        let r = res("/api/v1/namespaces/x/finalize");
        assert_eq!(
            (r.name.as_deref(), r.subresource.as_deref()),
            (Some("x"), Some("finalize"))
        );
        let r = res("/api/v1/namespaces/");
        assert_eq!((r.resource.as_str(), r.name), ("namespaces", None));
    }

    #[test]
    fn watch_prefix_and_trailing_slashes() {
        let r = res("/api/v1/watch/namespaces/a/pods/");
        assert!(r.watch_prefix);
        assert_eq!(r.resource, "pods");
        assert_eq!(parse_path("/apis/"), Route::Groups);
        assert_eq!(
            parse_path("/api/v1/"),
            Route::ResourceList {
                group: "".into(),
                version: "v1".into()
            }
        );
    }

    #[test]
    fn query_decodes_escapes_and_leading_ampersand() {
        let q = Query::parse(Some(
            "&labelSelector=a%3Db%2Cc+in+(x)&dryRun=All&dryRun=All",
        ));
        assert_eq!(q.get("labelSelector"), Some("a=b,c in (x)"));
        assert_eq!(q.all("dryRun").len(), 2);
        assert_eq!(percent_decode("100%"), "100%");
    }
}
