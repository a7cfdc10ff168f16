//! One sandbox cluster's state: its store, the types it serves, its credentials, and request metrics.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};

use base64::Engine;
use serde_json::{json, Value};
use tokio::sync::Notify;

use super::rbac::{Authorizer, UserInfo};
use super::registry::{sort_versions, CrdInfo, Registry, ResourceType, ScaleSpec};
use super::schema::StructuralSchema;
use super::store::Store;

pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";
pub const CRD_GROUP: &str = "apiextensions.k8s.io";
pub const ADMIN_USER: &str = "kubernetes-admin";

/// A bearer token minted by TokenRequest: valid until `expires` for the ServiceAccount with `sa_uid`.
#[derive(Debug, Clone)]
struct IssuedToken {
    namespace: String,
    sa_name: String,
    sa_uid: String,
    expires: jiff::Timestamp,
}

/// The labels of one `apiserver_request_total` series besides `code` and `component` (always `apiserver`),
/// in the order Prometheus prints them.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct RequestLabels {
    pub dry_run: String,
    pub group: String,
    pub resource: String,
    /// `resource` (named or create), `namespace`, `cluster`, or empty for non-resource requests.
    pub scope: String,
    pub subresource: String,
    /// `GET`, `LIST`, `WATCH`, `POST`, `PUT`, `PATCH`, `APPLY`, `DELETE` (the server's reported verbs).
    pub verb: String,
    pub version: String,
}

impl RequestLabels {
    /// A request with no resource (discovery, health, metrics) or one refused before routing.
    pub fn non_resource(verb: &str) -> RequestLabels {
        RequestLabels {
            verb: verb.to_string(),
            ..RequestLabels::default()
        }
    }
}

/// Counters behind `/metrics`: `apiserver_request_total` with the real server's label set. Beside them,
/// for tests, the authenticated non-resource requests (`/healthz`, `/version`, discovery) by path, which
/// the real server's labels do not tell apart (its audit log does).
#[derive(Default)]
pub struct Metrics {
    counts: Mutex<BTreeMap<(u16, RequestLabels), u64>>,
    paths: Mutex<BTreeMap<String, u64>>,
}

impl Metrics {
    pub fn record(&self, labels: RequestLabels, code: u16) {
        let mut m = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        *m.entry((code, labels)).or_default() += 1;
    }
    /// Prometheus text exposition, as v1.37 prints the counter.
    pub fn render(&self) -> String {
        let m = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::from(
            "# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.\n# TYPE apiserver_request_total counter\n",
        );
        for ((code, l), n) in m.iter() {
            out.push_str(&format!(
                "apiserver_request_total{{code=\"{code}\",component=\"apiserver\",dry_run=\"{}\",group=\"{}\",resource=\"{}\",scope=\"{}\",subresource=\"{}\",verb=\"{}\",version=\"{}\"}} {n}\n",
                l.dry_run, l.group, l.resource, l.scope, l.subresource, l.verb, l.version
            ));
        }
        out
    }
    /// Requests that change stored state: POST, PUT, PATCH, APPLY and DELETE, except the reviews
    /// (TokenReview, SubjectAccessReview, SelfSubjectRulesReview, ...), which are questions asked with a
    /// POST and store nothing.
    pub fn writes(&self) -> u64 {
        self.stored(&["POST", "PUT", "PATCH", "APPLY", "DELETE"])
    }

    /// Requests with one of `verbs` that may change stored state: the reviews are left out.
    pub fn stored(&self, verbs: &[&str]) -> u64 {
        let m = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        m.iter()
            .filter(|((_, l), _)| verbs.contains(&l.verb.as_str()) && !is_review(&l.resource))
            .map(|(_, n)| *n)
            .sum()
    }

    /// Counts an authenticated request for a non-resource path.
    pub fn record_path(&self, path: &str) {
        let mut m = self.paths.lock().unwrap_or_else(|p| p.into_inner());
        *m.entry(path.to_string()).or_default() += 1;
    }

    /// Authenticated requests for the non-resource `path` (for tests: "has the member been probed?").
    pub fn path_requests(&self, path: &str) -> u64 {
        let m = self.paths.lock().unwrap_or_else(|p| p.into_inner());
        m.get(path).copied().unwrap_or(0)
    }

    /// Total requests with one of `verbs` (for tests: "how many writes did that pass send?").
    pub fn total(&self, verbs: &[&str]) -> u64 {
        let m = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        m.iter()
            .filter(|((_, l), _)| verbs.contains(&l.verb.as_str()))
            .map(|(_, n)| *n)
            .sum()
    }
}

/// Whether a resource is one of the review types: asked with a POST, stored nowhere.
pub fn is_review(resource: &str) -> bool {
    resource.ends_with("reviews")
}

pub struct Cluster {
    pub name: String,
    pub store: Store,
    registry: RwLock<Arc<Registry>>,
    pub admin_token: String,
    pub ca_pem: String,
    pub port: u16,
    issued: Mutex<HashMap<String, IssuedToken>>,
    authz: Mutex<Option<Arc<Authorizer>>>,
    pub metrics: Metrics,
    /// Wakes the in-process controllers (namespace deletion, GC, CRD cleanup).
    pub controllers: Notify,
    /// Serialises writes that must see a consistent view across objects (ClusterIP allocation).
    pub alloc_lock: Mutex<()>,
    /// While set, connections are accepted but nothing is answered, as a SIGSTOPped API server behaves.
    pub frozen: std::sync::atomic::AtomicBool,
    /// The OpenAPI documents of the last registry they were asked for.
    pub openapi: super::openapi::Cache,
    /// The simulated node and workload controllers, when the sandbox was started with them.
    pub workloads: Option<super::workloads::Workloads>,
}

pub fn random_token(len: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect()
}

/// A token shaped like a JWT (header.claims.signature). Its identity is looked up server-side; the
/// signature is random, as the sandbox keeps no signing key.
pub fn mint_jwt(claims: &Value) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(br#"{"alg":"RS256","kid":"sandbox"}"#);
    let body = b64.encode(serde_json::to_vec(claims).unwrap_or_default());
    format!("{header}.{body}.{}", random_token(86))
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

impl Cluster {
    pub fn new(name: &str, store: Store, ca_pem: String, port: u16) -> Cluster {
        let c = Cluster {
            name: name.to_string(),
            store,
            registry: RwLock::new(Arc::new(Registry::new(vec![]))),
            admin_token: random_token(48),
            ca_pem,
            port,
            issued: Mutex::new(HashMap::new()),
            authz: Mutex::new(None),
            metrics: Metrics::default(),
            controllers: Notify::new(),
            alloc_lock: Mutex::new(()),
            frozen: std::sync::atomic::AtomicBool::new(false),
            openapi: Default::default(),
            workloads: None,
        };
        c.rebuild_registry();
        c
    }

    /// Returns once the cluster is not frozen.
    pub async fn wait_unfrozen(&self) {
        while self.frozen.load(std::sync::atomic::Ordering::Relaxed) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub fn registry(&self) -> Arc<Registry> {
        self.registry
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Re-derives the served types from the established CRDs in the store.
    pub fn rebuild_registry(&self) {
        let (_, crds) = self
            .store
            .list(CRD_GROUP, "customresourcedefinitions", None);
        let types = crds.iter().filter_map(|c| crd_resource_type(c)).collect();
        *self.registry.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(Registry::new(types));
    }

    /// Drops the cached authorizer; the next request rebuilds it from the stored RBAC objects.
    pub fn invalidate_authz(&self) {
        *self.authz.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    pub fn authorizer(&self) -> Arc<Authorizer> {
        let mut guard = self.authz.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(a) = guard.as_ref() {
            return a.clone();
        }
        let list = |r: &str| -> Vec<Value> {
            self.store
                .list(RBAC_GROUP, r, None)
                .1
                .iter()
                .map(|v| v.as_ref().clone())
                .collect()
        };
        let a = Arc::new(Authorizer::new(
            &list("clusterroles"),
            &list("clusterrolebindings"),
            &list("roles"),
            &list("rolebindings"),
        ));
        *guard = Some(a.clone());
        a
    }

    /// Resolves a bearer token to a user. None = unknown token (401).
    pub fn authenticate(&self, token: &str) -> Option<UserInfo> {
        if token == self.admin_token {
            return Some(UserInfo {
                name: ADMIN_USER.into(),
                uid: String::new(),
                groups: vec!["system:masters".into(), "system:authenticated".into()],
            });
        }
        let issued = self
            .issued
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(token)
            .cloned();
        if let Some(t) = issued {
            if t.expires > jiff::Timestamp::now()
                && self.sa_uid(&t.namespace, &t.sa_name).as_deref() == Some(&t.sa_uid)
            {
                return Some(sa_user(&t.namespace, &t.sa_name, &t.sa_uid));
            }
            return None;
        }
        self.secret_token_identity(token)
    }

    fn sa_uid(&self, ns: &str, name: &str) -> Option<String> {
        self.store
            .get("", "serviceaccounts", ns, name)
            .and_then(|sa| sa["metadata"]["uid"].as_str().map(String::from))
    }

    /// Legacy ServiceAccount token Secrets: the token names its Secret in its claims; it is valid while that Secret
    /// still holds this token and its ServiceAccount still exists with the same uid.
    fn secret_token_identity(&self, token: &str) -> Option<UserInfo> {
        let claims_part = token.split('.').nth(1)?;
        let claims: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(claims_part)
                .ok()?,
        )
        .ok()?;
        let ns = claims["kubernetes.io/serviceaccount/namespace"].as_str()?;
        let secret_name = claims["kubernetes.io/serviceaccount/secret.name"].as_str()?;
        let secret = self.store.get("", "secrets", ns, secret_name)?;
        if secret["data"]["token"].as_str() != Some(b64(token).as_str()) {
            return None;
        }
        let sa_name =
            secret["metadata"]["annotations"]["kubernetes.io/service-account.name"].as_str()?;
        let sa_uid = self.sa_uid(ns, sa_name)?;
        if secret["metadata"]["annotations"]["kubernetes.io/service-account.uid"].as_str()
            != Some(sa_uid.as_str())
        {
            return None;
        }
        Some(sa_user(ns, sa_name, &sa_uid))
    }

    /// The token a token controller writes into a ServiceAccount token Secret.
    pub fn mint_secret_token(
        &self,
        ns: &str,
        secret_name: &str,
        sa_name: &str,
        sa_uid: &str,
    ) -> String {
        mint_jwt(&json!({
            "iss": "kubernetes/serviceaccount",
            "kubernetes.io/serviceaccount/namespace": ns,
            "kubernetes.io/serviceaccount/secret.name": secret_name,
            "kubernetes.io/serviceaccount/service-account.name": sa_name,
            "kubernetes.io/serviceaccount/service-account.uid": sa_uid,
            "sub": format!("system:serviceaccount:{ns}:{sa_name}"),
        }))
    }

    /// TokenRequest: a bound token for a ServiceAccount.
    pub fn issue_token(
        &self,
        ns: &str,
        sa_name: &str,
        sa_uid: &str,
        seconds: i64,
        audiences: &[String],
    ) -> (String, jiff::Timestamp) {
        let now = jiff::Timestamp::now();
        let expires = now + jiff::SignedDuration::from_secs(seconds);
        let token = mint_jwt(&json!({
            "aud": audiences,
            "exp": expires.as_second(),
            "iat": now.as_second(),
            "nbf": now.as_second(),
            "iss": "https://kubernetes.default.svc.cluster.local",
            "sub": format!("system:serviceaccount:{ns}:{sa_name}"),
            "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": sa_name, "uid": sa_uid}},
        }));
        self.issued
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                token.clone(),
                IssuedToken {
                    namespace: ns.into(),
                    sa_name: sa_name.into(),
                    sa_uid: sa_uid.into(),
                    expires,
                },
            );
        (token, expires)
    }

    pub fn server_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }
}

pub fn sa_user(ns: &str, name: &str, uid: &str) -> UserInfo {
    UserInfo {
        name: format!("system:serviceaccount:{ns}:{name}"),
        uid: uid.to_string(),
        groups: vec![
            "system:serviceaccounts".into(),
            format!("system:serviceaccounts:{ns}"),
            "system:authenticated".into(),
        ],
    }
}

pub fn anonymous() -> UserInfo {
    UserInfo {
        name: "system:anonymous".into(),
        uid: String::new(),
        groups: vec!["system:unauthenticated".into()],
    }
}

/// The served type of an established CRD, or None while it is not (yet) serving.
pub fn crd_resource_type(crd: &Value) -> Option<ResourceType> {
    let established = crd["status"]["conditions"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["type"] == "Established" && c["status"] == "True")
    });
    if !established || crd["metadata"]["deletionTimestamp"].is_string() {
        return None;
    }
    let spec = &crd["spec"];
    let names = &crd["status"]["acceptedNames"];
    let names = if names.is_object() {
        names
    } else {
        &spec["names"]
    };
    let served: Vec<&Value> = spec["versions"]
        .as_array()?
        .iter()
        .filter(|v| v["served"].as_bool().unwrap_or(false))
        .collect();
    if served.is_empty() {
        return None;
    }
    let mut versions: Vec<String> = served
        .iter()
        .filter_map(|v| v["name"].as_str().map(String::from))
        .collect();
    sort_versions(&mut versions);
    let storage = spec["versions"]
        .as_array()?
        .iter()
        .find(|v| v["storage"] == true)
        .unwrap_or(served[0]);
    let subs = &storage["subresources"];
    let kind = names["kind"].as_str()?.to_string();
    let strs = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut schemas = BTreeMap::new();
    let mut printer_columns = BTreeMap::new();
    for v in &served {
        if let (Some(n), Some(cols)) =
            (v["name"].as_str(), v["additionalPrinterColumns"].as_array())
        {
            printer_columns.insert(n.to_string(), cols.clone());
        }
        if let (Some(n), Some(s)) = (v["name"].as_str(), v.pointer("/schema/openAPIV3Schema")) {
            schemas.insert(n.to_string(), Arc::new(s.clone()));
        }
    }
    Some(ResourceType {
        group: spec["group"].as_str()?.to_string(),
        versions,
        plural: names["plural"].as_str()?.to_string(),
        singular: names["singular"]
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| kind.to_lowercase()),
        list_kind: names["listKind"]
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| format!("{kind}List")),
        kind,
        namespaced: spec["scope"] == "Namespaced",
        short_names: strs(&names["shortNames"]),
        categories: strs(&names["categories"]),
        // The order the real server lists a custom resource's verbs in.
        verbs: [
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "create",
            "update",
            "watch",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        status: subs["status"].is_object(),
        scale: subs["scale"].as_object().map(|s| ScaleSpec {
            spec_replicas_path: s
                .get("specReplicasPath")
                .and_then(|v| v.as_str())
                .unwrap_or(".spec.replicas")
                .into(),
            status_replicas_path: s
                .get("statusReplicasPath")
                .and_then(|v| v.as_str())
                .unwrap_or(".status.replicas")
                .into(),
            label_selector_path: s
                .get("labelSelectorPath")
                .and_then(|v| v.as_str())
                .map(String::from),
        }),
        extra_subresources: vec![],
        tracks_generation: true,
        return_deleted: false,
        virtual_only: false,
        crd: Some(CrdInfo {
            name: crd["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            structural: schemas
                .iter()
                .map(|(v, s)| (v.clone(), Arc::new(StructuralSchema::new(s))))
                .collect(),
            schemas,
            printer_columns,
            preserve_unknown_root: false,
            storage_version: storage["name"].as_str().unwrap_or_default().to_string(),
        }),
    })
}
