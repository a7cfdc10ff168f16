//! The kubeconfig of local clusters: `sandbox up` writes it for its clusters, and tests write it for the
//! reference clusters they start. Loading kubeconfigs is the product's (`kubefedctl::kubeconfig`).

use base64::Engine as _;

/// One cluster of a kubeconfig made for local clusters (`sandbox up`, reference clusters in tests): its
/// HTTPS URL, the CA that signed its serving certificate, and an admin bearer token.
pub struct AdminEntry<'a> {
    pub name: &'a str,
    pub server: String,
    pub ca_pem: &'a str,
    pub token: &'a str,
}

/// A kubeconfig with one cluster, user (`<name>-admin`) and context per entry; current-context = the first.
pub fn admin_kubeconfig(entries: &[AdminEntry<'_>]) -> serde_json::Value {
    use serde_json::json;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let clusters: Vec<_> = entries
        .iter()
        .map(|e| json!({"name": e.name, "cluster": {"server": e.server, "certificate-authority-data": b64(e.ca_pem)}}))
        .collect();
    let users: Vec<_> = entries
        .iter()
        .map(|e| json!({"name": format!("{}-admin", e.name), "user": {"token": e.token}}))
        .collect();
    let contexts: Vec<_> = entries
        .iter()
        .map(|e| json!({"name": e.name, "context": {"cluster": e.name, "user": format!("{}-admin", e.name)}}))
        .collect();
    json!({
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "clusters": clusters,
        "users": users,
        "contexts": contexts,
        "current-context": entries.first().map(|e| e.name).unwrap_or_default(),
    })
}
