//! Request handling of a sandbox cluster: routing, authentication, authorization, and the verbs of the
//! Kubernetes API (get, list, watch, create, update, patch, apply, delete, deletecollection, subresources).

use std::sync::Arc;

use bytes::Bytes;
use serde_json::{json, Value};

use super::cluster::{anonymous, Cluster, RequestLabels, CRD_GROUP};
use super::discovery;
use super::objects::{self, now_rfc3339};
use super::openapi;
use super::patch::{self, ManagerInfo, Scope, TypeSchema};
use super::rbac::{forbidden_message, Attributes, UserInfo};
use super::registry::ResourceType;
use super::request::{parse_path, Query, ResourcePath, Route};
use super::status::{delete_success, ApiError};
use super::store::{object_rv, StoreError};
use super::{builtin, hooks, schema, table, watch};
use kubefedctl_apimachinery::selector::{FieldSelector, LabelSelector};

/// What a handler answers.
pub enum Reply {
    Json {
        code: u16,
        body: Value,
        warnings: Vec<String>,
        content_type: Option<&'static str>,
    },
    Raw {
        code: u16,
        content_type: &'static str,
        body: Bytes,
    },
    /// A JSON body already serialised (a list written straight from the stored objects).
    JsonBytes {
        code: u16,
        body: Bytes,
        warnings: Vec<String>,
    },
    Stream(tokio::sync::mpsc::Receiver<Bytes>),
    /// 301 to another path of the same server (an OpenAPI v3 document asked for with a stale hash).
    Redirect(String),
}

impl Reply {
    pub fn ok(body: Value) -> Reply {
        Reply::Json {
            code: 200,
            body,
            warnings: vec![],
            content_type: None,
        }
    }
    pub fn code(code: u16, body: Value) -> Reply {
        Reply::Json {
            code,
            body,
            warnings: vec![],
            content_type: None,
        }
    }
    fn with_warnings(self, w: Vec<String>) -> Reply {
        match self {
            Reply::Json {
                code,
                body,
                content_type,
                ..
            } => Reply::Json {
                code,
                body,
                warnings: w,
                content_type,
            },
            Reply::JsonBytes { code, body, .. } => Reply::JsonBytes {
                code,
                body,
                warnings: w,
            },
            other => other,
        }
    }
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Reply {
        Reply::code(e.code, e.to_status())
    }
}

/// A decoded incoming request.
pub struct Incoming {
    pub method: String,
    pub path: String,
    pub query: Query,
    pub token: Option<String>,
    pub content_type: String,
    pub accept: String,
    pub user_agent: String,
    /// `Impersonate-User` and every `Impersonate-Group` header, when any is present.
    pub impersonate: Option<(String, Vec<String>)>,
    pub body: Bytes,
    /// The body was longer than [`MAX_REQUEST_BODY_BYTES`] (and `body` is empty).
    pub body_too_large: bool,
}

/// The real API server's limit on a request body (`MaxRequestBodyBytes`): a longer body is answered
/// 413 RequestEntityTooLarge by the write handlers, after authentication and authorization.
pub const MAX_REQUEST_BODY_BYTES: usize = 3 * 1024 * 1024;

fn body_too_large() -> ApiError {
    ApiError::new(
        413,
        "RequestEntityTooLarge",
        format!("Request entity too large: limit is {MAX_REQUEST_BODY_BYTES}"),
    )
}

/// The `apiserver_request_total` labels of a resource request, as the real server cleans them.
fn request_labels(rp: &ResourcePath, verb: String, query: &Query) -> RequestLabels {
    let scope = if rp.name.is_some() || verb == "POST" {
        "resource"
    } else if rp.namespace.is_some() {
        "namespace"
    } else {
        "cluster"
    };
    let mut dry_run: Vec<&str> = query.all("dryRun").iter().map(String::as_str).collect();
    dry_run.sort_unstable();
    dry_run.dedup();
    let dry_run = if dry_run.iter().all(|d| *d == "All") {
        dry_run.join(",")
    } else {
        "invalid".to_string()
    };
    RequestLabels {
        dry_run,
        group: rp.group.clone(),
        resource: rp.resource.clone(),
        scope: scope.to_string(),
        subresource: rp.subresource.clone().unwrap_or_default(),
        verb,
        version: rp.version.clone(),
    }
}

/// Handles one request; returns the reply and its metrics labels.
pub async fn handle(c: &Arc<Cluster>, req: Incoming) -> (Reply, RequestLabels) {
    let user = match &req.token {
        Some(t) => match c.authenticate(t) {
            Some(u) => u,
            None => {
                return (
                    ApiError::unauthorized().into(),
                    RequestLabels::non_resource(&req.method),
                )
            }
        },
        None => anonymous(),
    };
    let user = match &req.impersonate {
        Some((name, groups)) => match impersonate(c, &user, name, groups) {
            Ok(u) => u,
            Err(e) => return (e.into(), RequestLabels::non_resource(&req.method)),
        },
        None => user,
    };
    let route = parse_path(&req.path);
    match route {
        Route::Resource(rp) => {
            let path = rp.clone();
            let (reply, verb) = match resource_request(c, &req, &user, rp).await {
                Ok(r) => r,
                Err((e, verb)) => (e.into(), verb),
            };
            (reply, request_labels(&path, verb, &req.query))
        }
        other => {
            c.metrics.record_path(&req.path);
            let reply = match non_resource(c, &req, &user, other) {
                Ok(r) => r,
                Err(e) => e.into(),
            };
            (reply, RequestLabels::non_resource(&req.method))
        }
    }
}

/// The impersonation filter: the requester needs `impersonate` on each user, service account and group it
/// asks to act as; the impersonated user is authenticated (plus the service-account groups for one).
fn impersonate(
    c: &Cluster,
    requester: &UserInfo,
    name: &str,
    groups: &[String],
) -> Result<UserInfo, ApiError> {
    if name.is_empty() {
        return Err(ApiError::new(
            500,
            "InternalError",
            format!(
                "Internal error occurred: requested groups {groups:?} without impersonating a user"
            ),
        ));
    }
    let sa = name
        .strip_prefix("system:serviceaccount:")
        .and_then(|r| r.split_once(':'));
    let mut checks: Vec<(&str, String, String)> = vec![match sa {
        Some((ns, n)) => ("serviceaccounts", ns.to_string(), n.to_string()),
        None => ("users", String::new(), name.to_string()),
    }];
    for g in groups {
        checks.push(("groups", String::new(), g.clone()));
    }
    for (resource, namespace, target) in checks {
        let attrs = Attributes::Resource {
            verb: "impersonate".into(),
            group: String::new(),
            resource: resource.into(),
            subresource: String::new(),
            name: target.clone(),
            namespace,
        };
        if !c.authorizer().authorize(requester, &attrs).allowed {
            let msg = forbidden_message(requester, &attrs, resource);
            return Err(ApiError::new(403, "Forbidden", msg)
                .with_details(json!({"name": target, "kind": resource})));
        }
    }
    let mut all_groups: Vec<String> = groups.to_vec();
    if let Some((ns, _)) = sa {
        for g in [
            "system:serviceaccounts".to_string(),
            format!("system:serviceaccounts:{ns}"),
        ] {
            if !all_groups.contains(&g) {
                all_groups.push(g);
            }
        }
    }
    if name != "system:anonymous" && !all_groups.iter().any(|g| g == "system:authenticated") {
        all_groups.push("system:authenticated".into());
    }
    Ok(UserInfo {
        name: name.to_string(),
        uid: String::new(),
        groups: all_groups,
    })
}

fn authorize_path(c: &Cluster, user: &UserInfo, path: &str) -> Result<(), ApiError> {
    let attrs = Attributes::NonResource {
        verb: "get".into(),
        path: path.to_string(),
    };
    if c.authorizer().authorize(user, &attrs).allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "forbidden: User {:?} cannot get path {:?}",
            user.name, path
        ))
        .with_details(json!({})))
    }
}

fn non_resource(
    c: &Cluster,
    req: &Incoming,
    user: &UserInfo,
    route: Route,
) -> Result<Reply, ApiError> {
    if req.method != "GET" && req.method != "HEAD" {
        return Err(if route == Route::Unknown {
            ApiError::no_route()
        } else {
            ApiError::method_unrouted()
        });
    }
    let path = if req.path.len() > 1 {
        req.path.trim_end_matches('/')
    } else {
        "/"
    };
    if route != Route::Unknown {
        authorize_path(c, user, path)?;
    }
    let reg = c.registry();
    Ok(match route {
        Route::Healthz(_) => Reply::Raw {
            code: 200,
            content_type: "text/plain; charset=utf-8",
            body: Bytes::from_static(b"ok"),
        },
        Route::Version => Reply::ok(discovery::version()),
        Route::Metrics => Reply::Raw {
            code: 200,
            content_type: "text/plain; version=0.0.4; charset=utf-8",
            body: Bytes::from(c.metrics.render()),
        },
        Route::OpenApiV2 => {
            let docs = c.openapi.docs(&reg);
            if openapi::wants_protobuf(&req.accept) || path == "/swagger-2.0.0.pb-v1" {
                Reply::Raw {
                    code: 200,
                    content_type: openapi::V2_PROTOBUF,
                    body: docs.v2_protobuf(),
                }
            } else {
                Reply::Raw {
                    code: 200,
                    content_type: "application/json",
                    body: docs.v2_json(),
                }
            }
        }
        // The real server answers its index as text/plain.
        Route::OpenApiV3Index => Reply::Raw {
            code: 200,
            content_type: "text/plain; charset=utf-8",
            body: c.openapi.docs(&reg).v3_index.clone(),
        },
        Route::OpenApiV3(gv) => {
            let docs = c.openapi.docs(&reg);
            let body = docs.v3(&gv).ok_or_else(ApiError::no_route)?;
            match (req.query.get("hash"), docs.v3_hash(&gv)) {
                // A client holding an old index is sent to the document's current address.
                (Some(asked), Some(current)) if asked != current => {
                    Reply::Redirect(format!("/openapi/v3/{gv}?hash={current}"))
                }
                _ => Reply::Raw {
                    code: 200,
                    content_type: "application/json",
                    body,
                },
            }
        }
        Route::CoreVersions => {
            if discovery::wants_aggregated(&req.accept) {
                aggregated_reply(discovery::aggregated(&reg, true))
            } else {
                Reply::ok(discovery::core_versions(c.port))
            }
        }
        Route::Groups => {
            if discovery::wants_aggregated(&req.accept) {
                aggregated_reply(discovery::aggregated(&reg, false))
            } else {
                Reply::ok(discovery::group_list(&reg))
            }
        }
        Route::Group(g) => Reply::ok(discovery::group(&reg, &g).ok_or_else(ApiError::no_route)?),
        Route::ResourceList { group, version } => Reply::ok(
            discovery::resource_list(&reg, &group, &version).ok_or_else(ApiError::no_route)?,
        ),
        Route::Resource(_) | Route::Unknown => return Err(ApiError::no_route()),
    })
}

fn aggregated_reply(body: Value) -> Reply {
    Reply::Json {
        code: 200,
        body,
        warnings: vec![],
        content_type: Some(discovery::AGGREGATED_CONTENT_TYPE),
    }
}

/// Everything a resource handler needs to know about the request.
pub struct Ctx<'a> {
    pub c: &'a Arc<Cluster>,
    pub rt: Arc<ResourceType>,
    pub version: String,
    pub namespace: String,
    pub name: String,
    pub subresource: String,
    pub user: &'a UserInfo,
    pub query: &'a Query,
    pub req: &'a Incoming,
    pub dry_run: bool,
}

impl Ctx<'_> {
    pub fn group(&self) -> &str {
        &self.rt.group
    }
    pub fn plural(&self) -> &str {
        &self.rt.plural
    }
    pub fn api_version(&self) -> String {
        self.rt.api_version(&self.version)
    }
    fn not_found(&self) -> ApiError {
        ApiError::not_found(&self.rt.group, &self.rt.plural, &self.name)
    }
    pub(crate) fn manager(&self) -> String {
        if let Some(m) = self.query.get("fieldManager") {
            return m.to_string();
        }
        let ua = self.req.user_agent.split('/').next().unwrap_or("").trim();
        if ua.is_empty() {
            "unknown".to_string()
        } else {
            ua.to_string()
        }
    }
    fn schema(&self) -> Box<dyn TypeSchema> {
        match &self.rt.crd {
            Some(crd) => match crd.schemas.get(&self.version) {
                Some(s) => patch::crd_schema(s.clone()),
                None => patch::crd_schema(Arc::new(json!({}))),
            },
            None => patch::builtin_schema(&self.rt.group, &self.rt.kind),
        }
    }
}

/// The verb a request maps to (for RBAC and 405 checks).
fn verb_of(method: &str, has_name: bool, watch: bool) -> &'static str {
    match (method, has_name) {
        ("GET" | "HEAD", true) => "get",
        ("GET" | "HEAD", false) => {
            if watch {
                "watch"
            } else {
                "list"
            }
        }
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", true) => "delete",
        ("DELETE", false) => "deletecollection",
        _ => "",
    }
}

fn metrics_verb(verb: &str, content_type: &str) -> String {
    match verb {
        "get" => "GET",
        "list" => "LIST",
        "watch" => "WATCH",
        "create" => "POST",
        "update" => "PUT",
        "patch" if content_type.starts_with("application/apply-patch") => "APPLY",
        "patch" => "PATCH",
        "delete" | "deletecollection" => "DELETE",
        _ => "UNKNOWN",
    }
    .to_string()
}

async fn resource_request(
    c: &Arc<Cluster>,
    req: &Incoming,
    user: &UserInfo,
    rp: ResourcePath,
) -> Result<(Reply, String), (ApiError, String)> {
    let watch = rp.watch_prefix || req.query.flag("watch");
    // The deprecated /watch/ prefix also watches one named object (a GET on the object is a get).
    let verb = if rp.watch_prefix && rp.name.is_some() && req.method == "GET" {
        "watch"
    } else {
        verb_of(&req.method, rp.name.is_some(), watch)
    };
    let mverb = metrics_verb(verb, &req.content_type);
    let fail = |e: ApiError| (e, mverb.clone());
    if verb.is_empty() {
        return Err(fail(ApiError::method_unrouted()));
    }
    let reg = c.registry();
    let rt = reg
        .lookup(&rp.group, &rp.version, &rp.resource)
        .cloned()
        .ok_or_else(|| fail(ApiError::no_route()))?;
    // Scope: a namespaced resource by name needs a namespace; cluster-scoped ones never live in one.
    if rt.namespaced && rp.name.is_some() && rp.namespace.is_none() {
        return Err(fail(ApiError::no_route()));
    }
    if !rt.namespaced && rp.namespace.is_some() {
        return Err(fail(ApiError::no_route()));
    }
    let sub = rp.subresource.clone().unwrap_or_default();
    if !sub.is_empty() && !rt.subresources().iter().any(|(s, _, _)| *s == sub) {
        return Err(fail(ApiError::no_route()));
    }
    let name = rp.name.clone().unwrap_or_default();
    // RBAC: namespace of the request; for namespaces themselves, the namespace is the object.
    let attr_ns = if rt.group.is_empty() && rt.plural == "namespaces" {
        name.clone()
    } else {
        rp.namespace.clone().unwrap_or_default()
    };
    let field_sel_name = req
        .query
        .get("fieldSelector")
        .and_then(|f| FieldSelector::parse(f).ok())
        .and_then(|f| f.pinned_name().map(String::from));
    let attr_name = if name.is_empty() && (verb == "list" || verb == "watch") {
        field_sel_name.unwrap_or_default()
    } else {
        name.clone()
    };
    let attrs = Attributes::Resource {
        verb: verb.to_string(),
        group: rt.group.clone(),
        resource: rt.plural.clone(),
        subresource: sub.clone(),
        name: attr_name,
        namespace: attr_ns.clone(),
    };
    if !c.authorizer().authorize(user, &attrs).allowed {
        // Named by the group-qualified resource, without the subresource (Go's GroupResource).
        let msg = forbidden_message(user, &attrs, "");
        // Go leaves an empty name or group out of the details.
        let mut details = json!({"kind": rt.plural});
        if !name.is_empty() {
            details["name"] = json!(name);
        }
        if !rt.group.is_empty() {
            details["group"] = json!(rt.group);
        }
        return Err(fail(
            ApiError::new(403, "Forbidden", msg).with_details(details),
        ));
    }
    // Collections take no PUT/PATCH; named objects take no POST (except subresources such as token).
    if (rp.name.is_none() && matches!(verb, "update" | "patch"))
        || (rp.name.is_some() && verb == "create" && sub.is_empty())
    {
        return Err(fail(ApiError::method_unrouted()));
    }
    // Verb support.
    let allowed = if sub.is_empty() {
        rt.has_verb(verb)
    } else {
        rt.subresources()
            .iter()
            .any(|(s, verbs, _)| *s == sub && verbs.iter().any(|v| v == verb))
    };
    if !allowed {
        // An unsupported verb has no route on a real server: the generic 405.
        return Err(fail(ApiError::method_unrouted()));
    }
    // The write handlers read the body first, before they look at options or the namespace.
    if req.body_too_large && !matches!(verb, "get" | "list" | "watch") {
        return Err(fail(body_too_large()));
    }
    // Writes take dryRun from their options: the query, or for deletes the DeleteOptions body when there is
    // one (then the query is not looked at). Reads ignore it.
    let dry_run = match verb {
        "delete" | "deletecollection" => dry_run_of(&read_delete_options(req).map_err(fail)?),
        "create" => query_dry_run(&req.query, "CreateOptions").map_err(fail)?,
        "update" => query_dry_run(&req.query, "UpdateOptions").map_err(fail)?,
        "patch" => query_dry_run(&req.query, "PatchOptions").map_err(fail)?,
        _ => false,
    };
    let ctx = Ctx {
        c,
        rt: rt.clone(),
        version: rp.version.clone(),
        namespace: rp.namespace.clone().unwrap_or_default(),
        name,
        subresource: sub.clone(),
        user,
        query: &req.query,
        req,
        dry_run,
    };
    let result = match (verb, sub.as_str()) {
        ("watch", _) => watch::start(&ctx).await,
        ("list", _) => list(&ctx),
        ("get", "") => get(&ctx),
        ("get", "status") => get(&ctx),
        ("get", "scale") => get_scale(&ctx),
        ("get", "log") => pod_log(&ctx),
        ("create", "") if rt.virtual_only => hooks::review(&ctx),
        ("create", "") => create(&ctx),
        ("create", "token") => hooks::token_request(&ctx),
        ("update", "finalize") => update(&ctx),
        ("update", "scale") | ("patch", "scale") => write_scale(&ctx, verb),
        ("update", _) => update(&ctx),
        ("patch", _) => patch(&ctx),
        ("delete", "") => delete(&ctx),
        ("deletecollection", "") => delete_collection(&ctx),
        _ => Err(ApiError::method_not_allowed(verb, &rt.plural)),
    };
    match result {
        Ok(r) => Ok((r, mverb)),
        Err(e) => Err((e, mverb)),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Reading

/// The object as served at the requested version (CR versions share storage; only apiVersion differs).
pub fn present(ctx: &Ctx, obj: &Value) -> Value {
    let mut o = if ctx.rt.is_crd() {
        obj.clone()
    } else {
        builtin::convert::from_storage(&ctx.rt.group, &ctx.rt.kind, &ctx.version, obj)
    };
    o["apiVersion"] = json!(ctx.api_version());
    o["kind"] = json!(ctx.rt.kind);
    o
}

fn get(ctx: &Ctx) -> Result<Reply, ApiError> {
    let obj = ctx
        .c
        .store
        .get(ctx.group(), ctx.plural(), &ctx.namespace, &ctx.name)
        .ok_or_else(|| ctx.not_found())?;
    let obj = present(ctx, &obj);
    if let Some(tv) = table_version(ctx) {
        let meta = json!({"resourceVersion": obj["metadata"]["resourceVersion"]});
        return Ok(Reply::ok(table::render(
            tv,
            &printer(ctx),
            &[obj],
            meta,
            ctx.query.get("includeObject").unwrap_or(""),
        )));
    }
    Ok(Reply::ok(obj))
}

/// The Table version to answer with, when the client asks for one on a main resource or its status (kubectl's
/// human output; the status subresource prints like its object).
pub fn table_version(ctx: &Ctx) -> Option<&'static str> {
    if !ctx.subresource.is_empty() && ctx.subresource != "status" {
        return None;
    }
    table::negotiate(&ctx.req.accept)
}

/// The columns of the requested type at the requested version.
pub fn printer(ctx: &Ctx) -> table::Printer {
    match &ctx.rt.crd {
        Some(info) => table::Printer::Custom(
            info.printer_columns
                .get(&ctx.version)
                .cloned()
                .unwrap_or_default(),
        ),
        None => table::Printer::Builtin {
            group: ctx.rt.group.clone(),
            plural: ctx.rt.plural.clone(),
        },
    }
}

/// `pods/log`: the container must be known (or implied by a single container); no pod is ever scheduled here, and
/// a real server streams nothing for a pod without a node.
fn pod_log(ctx: &Ctx) -> Result<Reply, ApiError> {
    let pod = ctx
        .c
        .store
        .get(ctx.group(), ctx.plural(), &ctx.namespace, &ctx.name)
        .ok_or_else(|| ctx.not_found())?;
    let names = |key: &str| -> Vec<String> {
        pod["spec"][key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["name"].as_str().map(String::from))
            .collect()
    };
    let (main, init, ephemeral) = (
        names("containers"),
        names("initContainers"),
        names("ephemeralContainers"),
    );
    let name = &ctx.name;
    match ctx.query.get("container").filter(|c| !c.is_empty()) {
        Some(c)
            if ![&main, &init, &ephemeral]
                .iter()
                .any(|l| l.iter().any(|n| n == c)) =>
        {
            return Err(ApiError::bad_request(format!(
                "container {c} is not valid for pod {name}"
            )));
        }
        Some(_) => {}
        None if main.len() != 1 => {
            let mut msg = format!("a container name must be specified for pod {name}");
            if !main.is_empty() {
                msg.push_str(&format!(", choose one of: [{}]", main.join(" ")));
                if !init.is_empty() {
                    msg.push_str(&format!(
                        " or one of the init containers: [{}]",
                        init.join(" ")
                    ));
                }
                if !ephemeral.is_empty() {
                    msg.push_str(&format!(
                        " or one of the ephemeral containers: [{}]",
                        ephemeral.join(" ")
                    ));
                }
            }
            return Err(ApiError::bad_request(msg));
        }
        None => {}
    }
    Ok(Reply::Raw {
        code: 200,
        content_type: "text/plain",
        body: Bytes::new(),
    })
}

pub fn parse_selectors(ctx: &Ctx) -> Result<(LabelSelector, FieldSelector), ApiError> {
    let ls = match ctx.query.get("labelSelector") {
        Some(s) => LabelSelector::parse(s).map_err(|e| ApiError::bad_request(e.0))?,
        None => LabelSelector::everything(),
    };
    let fs = match ctx.query.get("fieldSelector") {
        Some(s) => FieldSelector::parse(s).map_err(|e| ApiError::bad_request(e.0))?,
        None => FieldSelector::parse("").map_err(|e| ApiError::bad_request(e.0))?,
    };
    fs.check_supported(ctx.group(), ctx.plural())
        .map_err(|e| ApiError::bad_request(e.0))?;
    Ok((ls, fs))
}

fn continue_token(rv: u64, ns: &str, name: &str) -> String {
    use base64::Engine;
    let raw = json!({"v": "meta.k8s.io/v1", "rv": rv, "start": format!("{ns}/{name}")});
    // Unpadded URL-safe base64, as the real server encodes its tokens.
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw.to_string())
}

/// The list RV and the (namespace, name) of the first object of the next page; errors worded as the real
/// server's storage.DecodeContinue.
fn decode_continue(token: &str) -> Result<(u64, (String, String)), ApiError> {
    use base64::Engine;
    let invalid = |why: &str| {
        ApiError::bad_request(format!(
            "invalid continue token: continue key is not valid{why}"
        ))
    };
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim_end_matches('='))
        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(token))
        .map_err(|e| invalid(&format!(": {e}")))?;
    let v: Value = serde_json::from_slice(&raw).map_err(|e| invalid(&format!(": {e}")))?;
    match v["v"].as_str().unwrap_or("") {
        "meta.k8s.io/v1" => {}
        other => {
            return Err(invalid(&format!(
                ": server does not recognize this encoded version {other}"
            )))
        }
    }
    let rv = v["rv"].as_u64().unwrap_or(0);
    if rv == 0 {
        return Err(invalid(
            ": incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
        ));
    }
    let start = v["start"].as_str().unwrap_or("");
    if start.is_empty() {
        return Err(invalid(
            ": encoded start key empty (version meta.k8s.io/v1)",
        ));
    }
    // Names and namespaces never contain '/', so the first one separates them.
    let (ns, name) = start.split_once('/').ok_or_else(|| invalid(""))?;
    Ok((rv, (ns.to_string(), name.to_string())))
}

/// `ValidateListOptions` of the real server, for a list (`watch` false) or a watch: 422s on
/// resourceVersionMatch and sendInitialEvents.
pub fn validate_list_options(ctx: &Ctx, watch: bool) -> Result<(), ApiError> {
    use kubefedctl_apimachinery::validation::FieldError;
    let q = ctx.query;
    let rv = q.get("resourceVersion").unwrap_or("");
    let continued = q.get("continue").is_some_and(|c| !c.is_empty());
    let initial_events = q.get("sendInitialEvents").is_some();
    let mut errs = Vec::new();
    match (
        watch,
        q.get("resourceVersionMatch").filter(|m| !m.is_empty()),
    ) {
        (false, m) => {
            if let Some(m) = m {
                if rv.is_empty() {
                    errs.push(FieldError::forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden unless resourceVersion is provided",
                    ));
                }
                if continued {
                    errs.push(FieldError::forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden when continue is provided",
                    ));
                }
                if m != "Exact" && m != "NotOlderThan" {
                    errs.push(FieldError::not_supported(
                        "resourceVersionMatch",
                        &json!(m),
                        &["Exact", "NotOlderThan", ""],
                    ));
                }
                if m == "Exact" && rv == "0" {
                    errs.push(FieldError::forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
                    ));
                }
            }
            if initial_events {
                errs.push(FieldError::forbidden(
                    "sendInitialEvents",
                    "sendInitialEvents is forbidden for list",
                ));
            }
        }
        (true, m) => {
            if initial_events && m != Some("NotOlderThan") {
                errs.push(FieldError::forbidden(
                    "resourceVersionMatch",
                    "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
                ));
            }
            if let Some(m) = m {
                if !initial_events {
                    errs.push(FieldError::forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
                    ));
                }
                if m != "NotOlderThan" {
                    errs.push(FieldError::not_supported(
                        "resourceVersionMatch",
                        &json!(m),
                        &["NotOlderThan"],
                    ));
                }
                if continued {
                    errs.push(FieldError::forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden when continue is provided",
                    ));
                }
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid("meta.k8s.io", "ListOptions", "", &errs))
    }
}

/// The 504 a real server answers after waiting in vain for a resourceVersion it has not reached.
pub fn too_large_rv(rv: u64, current: u64) -> ApiError {
    ApiError::new(
        504,
        "Timeout",
        format!("Timeout: Too large resource version: {rv}, current: {current}"),
    )
    .with_details(json!({
        "causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
        "retryAfterSeconds": 1,
    }))
}

fn list(ctx: &Ctx) -> Result<Reply, ApiError> {
    let (ls, fs) = parse_selectors(ctx)?;
    validate_list_options(ctx, false)?;
    let rv_param = match ctx.query.get("resourceVersion").filter(|r| !r.is_empty()) {
        Some(r) => Some(
            r.parse::<u64>()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version: {r}")))?,
        ),
        None => None,
    };
    let exact = ctx.query.get("resourceVersionMatch") == Some("Exact");
    let ns = if ctx.rt.namespaced && !ctx.namespace.is_empty() {
        Some(ctx.namespace.as_str())
    } else {
        None
    };
    // resourceVersion=0 is served from the watch cache, which pays no attention to limit.
    let limit: usize = if rv_param == Some(0) {
        0
    } else {
        ctx.query
            .get("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0)
    };
    let (token_rv, start) = match ctx.query.get("continue").filter(|c| !c.is_empty()) {
        Some(tok) => {
            let (trv, start) = decode_continue(tok)?;
            if rv_param.is_some() {
                return Err(ApiError::bad_request(
                    "specifying resource version is not allowed when using continue",
                ));
            }
            (Some(trv), Some(start))
        }
        None => (None, None),
    };
    let current = ctx.c.store.current_rv();
    if let Some(rv) = rv_param.filter(|rv| *rv > current) {
        return Err(too_large_rv(rv, current));
    }
    // A continued list and an Exact one are served as the list was at their resourceVersion.
    let at = token_rv.or(if exact { rv_param } else { None });
    let unfiltered = ls.is_everything() && fs.is_everything();
    let keep = |o: &Value| unfiltered || ls.matches_object(o) && fs.matches(o);
    let page = ctx
        .c
        .store
        .list_page_at(ctx.group(), ctx.plural(), ns, start, limit, &keep, at)
        .map_err(|_| {
            ApiError::gone(if token_rv.is_some() {
                "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."
            } else {
                "The resourceVersion for the provided list is too old."
            })
        })?;
    // Later pages repeat the first page's resourceVersion, as the real server does for continued lists.
    let list_rv = token_rv.unwrap_or(page.rv);
    let next = page
        .next
        .as_ref()
        .map(|obj| continue_token(list_rv, objects::namespace(obj), objects::name(obj)));
    // Like etcd-backed lists: a count only when no selector filters what remains.
    let remaining = if unfiltered {
        Some(page.remaining)
    } else {
        None
    };
    let mut meta = json!({"resourceVersion": list_rv.to_string()});
    if ctx.rt.is_crd() {
        // Custom resources are listed as unstructured lists, which always carry the (maybe empty) token.
        meta["continue"] = json!("");
    }
    if let Some(n) = next {
        // The token starts at the first item not returned.
        meta["continue"] = json!(n);
        if let Some(r) = remaining {
            meta["remainingItemCount"] = json!(r);
        }
    }
    if let Some(tv) = table_version(ctx) {
        // Rows are printed from the stored objects, each presented once in the version asked for.
        let out: Vec<Value> = page.items.iter().map(|o| present(ctx, o)).collect();
        return Ok(Reply::ok(table::render_list(
            tv,
            &printer(ctx),
            &out,
            meta,
            ctx.query.get("includeObject").unwrap_or(""),
        )));
    }
    // Written straight from the stored objects (converted first only for a type served in several
    // versions), without copying each object's tree: a list of thousands costs its serialisation.
    let converted: Vec<Value> = if converts(ctx) {
        page.items.iter().map(|obj| present(ctx, obj)).collect()
    } else {
        vec![]
    };
    let objects: Vec<&Value> = if converts(ctx) {
        converted.iter().collect()
    } else {
        page.items.iter().map(|obj| obj.as_ref()).collect()
    };
    let api_version = ctx.api_version();
    let body = ListBody {
        kind: &ctx.rt.list_kind,
        api_version: &api_version,
        metadata: &meta,
        items: objects
            .into_iter()
            .map(|obj| ListItem::new(ctx, obj, &api_version))
            .collect(),
    };
    Ok(Reply::JsonBytes {
        code: 200,
        body: Bytes::from(serde_json::to_vec(&body).unwrap_or_default()),
        warnings: vec![],
    })
}

#[derive(serde::Serialize)]
struct ListBody<'a> {
    kind: &'a str,
    #[serde(rename = "apiVersion")]
    api_version: &'a str,
    metadata: &'a Value,
    items: Vec<ListItem<'a>>,
}

/// An object as a list carries it: built-in types without `kind`/`apiVersion` (the typed list's items are
/// decoded without TypeMeta), custom resources with both, `apiVersion` the version asked for
/// (unstructured items keep them). Serialised from the object as it is, without copying it.
struct ListItem<'a> {
    obj: &'a Value,
    /// Custom resources: the apiVersion to write in place of the stored one.
    api_version: Option<&'a str>,
}

impl<'a> ListItem<'a> {
    fn new(ctx: &Ctx, obj: &'a Value, api_version: &'a str) -> Self {
        ListItem {
            obj,
            api_version: ctx.rt.is_crd().then_some(api_version),
        }
    }
}

/// A built-in type served in several versions: its objects are converted to the version asked for.
fn converts(ctx: &Ctx) -> bool {
    ctx.rt.versions.len() > 1 && !ctx.rt.is_crd()
}

impl serde::Serialize for ListItem<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let Value::Object(m) = self.obj else {
            return self.obj.serialize(s);
        };
        let mut map = s.serialize_map(None)?;
        match self.api_version {
            Some(v) => {
                for (k, val) in m {
                    if k == "apiVersion" {
                        map.serialize_entry(k, v)?;
                    } else {
                        map.serialize_entry(k, val)?;
                    }
                }
                if !m.contains_key("apiVersion") {
                    map.serialize_entry("apiVersion", v)?;
                }
            }
            None => {
                for (k, val) in m {
                    if k != "kind" && k != "apiVersion" {
                        map.serialize_entry(k, val)?;
                    }
                }
            }
        }
        map.end()
    }
}

/// An object as a list carries it (see [`ListItem`]), as a value of its own.
fn list_item(ctx: &Ctx, obj: &Value) -> Value {
    let converted;
    let obj = if converts(ctx) {
        converted = present(ctx, obj);
        &converted
    } else {
        obj
    };
    let api_version = ctx.api_version();
    serde_json::to_value(ListItem::new(ctx, obj, &api_version)).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/// Decodes a request body by its Content-Type: JSON (also when missing), YAML, or Kubernetes protobuf.
pub fn decode_body(ctx: &Ctx) -> Result<Value, ApiError> {
    decode_request_body(ctx.req)
}

fn decode_request_body(req: &Incoming) -> Result<Value, ApiError> {
    let ct = req.content_type.split(';').next().unwrap_or("").trim();
    let unsupported = || {
        ApiError::unsupported_media_type(&[
            "application/json",
            "application/yaml",
            "application/vnd.kubernetes.protobuf",
        ])
    };
    if req.body.is_empty() {
        return Err(ApiError::bad_request("the request body is empty"));
    }
    match ct {
        "" | "application/json" | "*/*" => serde_json::from_slice(&req.body).map_err(|e| {
            ApiError::bad_request(format!("couldn't get version/kind; json parse error: {e}"))
        }),
        "application/yaml" => crate::yaml_value(&req.body).map_err(ApiError::bad_request),
        _ if super::protobuf::is_protobuf_content_type(ct) => {
            super::protobuf::decode(&req.body).map_err(|_| unsupported())
        }
        _ => Err(unsupported()),
    }
}

/// Checks kind/apiVersion of a body against the endpoint (filling them when absent, as the Python client omits them)
/// and the namespace/name against the URL.
fn normalize_body(ctx: &Ctx, obj: &mut Value, require_url_name: bool) -> Result<(), ApiError> {
    if !obj.is_object() {
        return Err(ApiError::bad_request(
            "the body of the request must be a JSON object",
        ));
    }
    let api_version = ctx.api_version();
    if let Some(av) = obj
        .get("apiVersion")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
    {
        let ok = av == api_version
            || (ctx.rt.is_crd() && ctx.rt.versions.iter().any(|v| ctx.rt.api_version(v) == av));
        if !ok {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({av}) does not match the expected API version ({api_version})"
            )));
        }
    }
    if let Some(k) = obj
        .get("kind")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
    {
        if k != ctx.rt.kind {
            return Err(ApiError::bad_request(format!(
                "the kind in the data ({k}) does not match the expected kind ({})",
                ctx.rt.kind
            )));
        }
    }
    obj["apiVersion"] = json!(api_version);
    obj["kind"] = json!(ctx.rt.kind);
    let meta = objects::meta_mut(obj);
    if ctx.rt.namespaced {
        match meta.get("namespace").and_then(|v| v.as_str()) {
            Some(ns) if !ns.is_empty() && ns != ctx.namespace => {
                return Err(ApiError::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request",
                ))
            }
            _ => {
                meta.insert("namespace".into(), json!(ctx.namespace));
            }
        }
    } else {
        meta.remove("namespace");
    }
    if require_url_name {
        let body_name = meta.get("name").and_then(|v| v.as_str()).unwrap_or("");
        if body_name.is_empty() {
            meta.insert("name".into(), json!(ctx.name));
        } else if body_name != ctx.name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({})",
                ctx.name
            )));
        }
    }
    Ok(())
}

fn field_validation<'a>(ctx: &Ctx<'a>) -> &'a str {
    ctx.query.get("fieldValidation").unwrap_or("Warn")
}

/// Defaulting, pruning and validation of a body about to be stored. Returns warnings.
pub fn admit(ctx: &Ctx, obj: &mut Value, old: Option<&Value>) -> Result<Vec<String>, ApiError> {
    let mut warnings = Vec::new();
    let (group, kind) = (ctx.rt.group.clone(), ctx.rt.kind.clone());
    let pruned = match &ctx.rt.crd {
        Some(crd) => match crd.structural.get(&ctx.version) {
            Some(st) => {
                let pruned = st.prune(obj);
                st.apply_defaults(obj);
                pruned
            }
            None => vec![],
        },
        None => {
            if let Some(msg) = builtin::metadata_type_error(&group, &ctx.version, &kind, obj) {
                return Err(ApiError::bad_request(msg));
            }
            // Base64 payloads the Go decoder refuses (Secret data, ConfigMap binaryData).
            if group.is_empty() && (kind == "Secret" || kind == "ConfigMap") {
                if let Some(msg) = builtin::decode_error(&group, &ctx.version, &kind, obj) {
                    return Err(ApiError::bad_request(msg));
                }
            }
            // Before pruning: a quantity written as a JSON number decodes (as Go's Quantity does).
            builtin::canonicalize_quantities(&group, &kind, obj);
            builtin::normalize(&group, &kind, obj);
            builtin::prune_unknown_fields(&group, &ctx.version, &kind, obj)
        }
    };
    if !pruned.is_empty() {
        match field_validation(ctx) {
            "Strict" => {
                let list = pruned
                    .iter()
                    .map(|p| format!("unknown field {p:?}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                // Built-in kinds fail in the typed decoder, which names the kind and version.
                let prefix = if ctx.rt.is_crd() {
                    String::new()
                } else {
                    format!(
                        "{kind} in version {:?} cannot be handled as a {kind}: ",
                        ctx.version
                    )
                };
                return Err(ApiError::bad_request(format!(
                    "{prefix}strict decoding error: {list}"
                )));
            }
            "Ignore" => {}
            _ => warnings.extend(pruned.iter().map(|p| format!("unknown field {p:?}"))),
        }
    }
    if !ctx.rt.is_crd() {
        // Defaulting, validation and storage see the storage version, as the real server's internal type.
        if let Some(sv) = builtin::convert::storage_version(&group, &kind) {
            if sv != ctx.version {
                *obj = builtin::convert::to_storage(&group, &kind, &ctx.version, obj);
                obj["apiVersion"] = json!(ctx.rt.api_version(sv));
            }
        }
        // The API server decodes into Go structs: an empty `omitempty` field is as good as absent, for
        // defaulting too, and is never stored or returned.
        let api_version = obj["apiVersion"].as_str().unwrap_or_default().to_string();
        super::protobuf::omit_empty_fields(&api_version, &kind, obj);
        if let Some(old) = old {
            builtin::prepare_update(&group, &kind, obj, old);
        }
        if group == "batch" && kind == "Job" {
            builtin::default_job_labels_and_selector(obj, old.is_none());
        }
        builtin::apply_defaults(&group, &kind, obj);
        super::protobuf::omit_empty_fields(&api_version, &kind, obj);
    }
    if group == CRD_GROUP && ctx.rt.plural == "customresourcedefinitions" {
        schema::default_crd(obj);
    }
    let mut errs = builtin::validate_object_meta(
        &obj["metadata"],
        builtin::name_rule(&group, &kind),
        ctx.rt.namespaced,
    );
    if let Some(crd) = &ctx.rt.crd {
        if let Some(st) = crd.structural.get(&ctx.version) {
            errs.extend(st.validate(obj));
        }
    } else if group == CRD_GROUP && ctx.rt.plural == "customresourcedefinitions" {
        errs.extend(schema::validate_crd(obj, old));
    } else {
        errs.extend(builtin::validate(&group, &kind, obj, old));
    }
    // ObjectMeta is validated here and again by the kind's own validation; report each error once, as the
    // real server (which validates ObjectMeta once) does.
    let mut seen = Vec::new();
    errs.retain(|e| {
        let dup = seen.contains(e);
        if !dup {
            seen.push(e.clone());
        }
        !dup
    });
    if !errs.is_empty() {
        let name = objects::name(obj).to_string();
        // events.k8s.io Events are validated as the core Event they are stored as: the error names no group.
        let error_group = if group == "events.k8s.io" { "" } else { &group };
        return Err(ApiError::invalid(error_group, &kind, &name, &errs));
    }
    Ok(warnings)
}

/// Server-owned metadata of a new object.
fn init_metadata(ctx: &Ctx, obj: &mut Value) -> Result<(), ApiError> {
    let tracks = ctx.rt.tracks_generation;
    let has_status_sub = ctx.rt.status;
    let group = ctx.rt.group.clone();
    let kind = ctx.rt.kind.clone();
    let meta = objects::meta_mut(obj);
    let name = meta
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    if name.is_empty() {
        match meta
            .get("generateName")
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
        {
            Some(prefix) => {
                let n = format!("{prefix}{}", objects::random_suffix());
                meta.insert("name".into(), json!(n));
            }
            None => {
                return Err(ApiError::invalid(
                    &group,
                    &kind,
                    "",
                    &[kubefedctl_apimachinery::validation::FieldError::required(
                        "metadata.name",
                        "name or generateName is required",
                    )],
                ))
            }
        }
    }
    meta.insert("uid".into(), json!(objects::new_uid()));
    meta.insert("creationTimestamp".into(), json!(now_rfc3339()));
    for k in [
        "resourceVersion",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "selfLink",
    ] {
        meta.remove(k);
    }
    if tracks {
        meta.insert("generation".into(), json!(1));
    } else {
        meta.remove("generation");
    }
    if has_status_sub {
        if let Some(o) = obj.as_object_mut() {
            o.remove("status");
        }
    }
    Ok(())
}

/// Carries server-owned metadata over from the stored object.
fn carry_metadata(new: &mut Value, old: &Value) {
    let old_meta = &old["metadata"];
    {
        let meta = objects::meta_mut(new);
        for k in [
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
        ] {
            match old_meta.get(k) {
                Some(v) => {
                    meta.insert(k.into(), v.clone());
                }
                None => {
                    meta.remove(k);
                }
            }
        }
        meta.remove("selfLink");
    }
}

/// Bumps generation when the spec changed. Judged on the admitted object (defaulted, empty fields left out),
/// so a write that only spells the same spec differently changes nothing.
fn bump_generation(ctx: &Ctx, new: &mut Value, old: &Value) {
    // Binding a pod to a node (the simulated scheduler's write) is not a spec change of the pod's own.
    if ctx.rt.tracks_generation && ctx.subresource != "binding" {
        let drop_status = ctx.rt.status;
        if objects::spec_part(new, drop_status) != objects::spec_part(old, drop_status) {
            let g = old["metadata"]["generation"].as_i64().unwrap_or(0) + 1;
            objects::meta_mut(new).insert("generation".into(), json!(g));
        }
    }
}

fn store_err(ctx: &Ctx, e: StoreError, name: &str) -> ApiError {
    match e {
        StoreError::AlreadyExists => ApiError::already_exists(ctx.group(), ctx.plural(), name),
        StoreError::NotFound => ApiError::not_found(ctx.group(), ctx.plural(), name),
        StoreError::Conflict => ApiError::stale(ctx.group(), ctx.plural(), name),
        StoreError::Io(m) => ApiError::internal(m),
        // What the API server relays from etcd: code 500 and no reason.
        StoreError::TooLarge { size } => ApiError::new(
            500,
            "",
            if size > super::store::MAX_CLIENT_SEND_BYTES {
                format!(
                    "rpc error: code = ResourceExhausted desc = trying to send message larger than max ({size} vs. {})",
                    super::store::MAX_CLIENT_SEND_BYTES
                )
            } else {
                "etcdserver: request is too large".to_string()
            },
        ),
    }
}

fn check_namespace_exists(ctx: &Ctx, name: &str) -> Result<(), ApiError> {
    if !ctx.rt.namespaced {
        return Ok(());
    }
    match ctx.c.store.get("", "namespaces", "", &ctx.namespace) {
        None => Err(ApiError::not_found("", "namespaces", &ctx.namespace)),
        Some(ns) if objects::is_terminating(&ns) => Err(ApiError::forbidden_object(
            ctx.group(),
            ctx.plural(),
            name,
            &format!("unable to create new content in namespace {} because it is being terminated", ctx.namespace),
        )
        .with_details({
            let mut d = json!({"name": name, "kind": ctx.plural(),
                "causes": [{"reason": "NamespaceTerminating", "message": format!("namespace {} is being terminated", ctx.namespace), "field": "metadata.namespace"}]});
            // Go leaves the core group's empty name out.
            if !ctx.group().is_empty() {
                d["group"] = json!(ctx.group());
            }
            d
        })),
        Some(_) => Ok(()),
    }
}

fn scope_for(ctx: &Ctx) -> Scope {
    if !ctx.rt.status {
        Scope::Whole
    } else if ctx.subresource == "status" {
        Scope::StatusSubresource
    } else {
        Scope::MainResource
    }
}

/// Creates `obj` (already normalised to the endpoint): the create pipeline shared by POST and apply-create.
pub fn create_object(
    ctx: &Ctx,
    mut obj: Value,
    managed: Option<&str>,
) -> Result<(Value, Vec<String>), ApiError> {
    let generated = objects::name(&obj).is_empty();
    init_metadata(ctx, &mut obj)?;
    let name = objects::name(&obj).to_string();
    check_namespace_exists(ctx, &name)?;
    let mut warnings = admit(ctx, &mut obj, None)?;
    hooks::before_create(ctx, &mut obj)?;
    let now = now_rfc3339();
    let manager = ctx.manager();
    let api_version = ctx.api_version();
    if managed.is_none() {
        let who = ManagerInfo {
            manager: &manager,
            api_version: &api_version,
            subresource: None,
            now: &now,
        };
        patch::record_update(None, &mut obj, &who, scope_for(ctx), ctx.schema().as_ref());
    }
    // Mutating admission runs after the field manager: what it adds belongs to no manager.
    hooks::admit_pod(ctx, &mut obj)?;
    if ctx.dry_run {
        // A dry run is refused as the write would be, without storing anything.
        if ctx
            .c
            .store
            .get(ctx.group(), ctx.plural(), &ctx.namespace, &name)
            .is_some()
        {
            return Err(ApiError::already_exists(ctx.group(), ctx.plural(), &name));
        }
        return Ok((present(ctx, &obj), warnings));
    }
    let stored = ctx
        .c
        .store
        .create(ctx.group(), ctx.plural(), obj)
        .map_err(|e| {
            let mut err = store_err(ctx, e, &name);
            if err.reason == "AlreadyExists" && generated {
                // Only generateName collisions invite a retry.
                err.details.get_or_insert(json!({}))["retryAfterSeconds"] = json!(1);
            }
            err
        })?;
    warnings.extend(hooks::after_write(ctx, None, Some(&stored)));
    Ok((present(ctx, &stored), warnings))
}

fn create(ctx: &Ctx) -> Result<Reply, ApiError> {
    let mut obj = decode_body(ctx)?;
    normalize_body(ctx, &mut obj, false)?;
    let (out, warnings) = create_object(ctx, obj, None)?;
    Ok(Reply::code(201, out).with_warnings(warnings))
}

/// Update pipeline shared by PUT, PATCH and apply on an existing object. `new` is the full proposed object.
/// Returns (object, changed, warnings).
pub fn update_object(
    ctx: &Ctx,
    old: &Value,
    mut new: Value,
    apply_done: bool,
) -> Result<(Value, bool, Vec<String>), ApiError> {
    let name = ctx.name.clone();
    let scope = scope_for(ctx);
    // The parts kept from the stored object are taken in the request's version, the one `new` is in.
    let stored = old;
    let old_view;
    let old = if ctx.rt.versions.len() > 1 && !ctx.rt.is_crd() {
        old_view = present(ctx, stored);
        &old_view
    } else {
        stored
    };
    // Status rules: the main endpoint keeps the stored status; /status keeps everything but status.
    match scope {
        Scope::MainResource => match old.get("status") {
            Some(s) => new["status"] = s.clone(),
            None => {
                if let Some(o) = new.as_object_mut() {
                    o.remove("status");
                }
            }
        },
        Scope::StatusSubresource => {
            let mut merged = old.clone();
            match new.get("status") {
                Some(s) => merged["status"] = s.clone(),
                None => {
                    if let Some(o) = merged.as_object_mut() {
                        o.remove("status");
                    }
                }
            }
            if let Some(mf) = new.pointer("/metadata/managedFields") {
                objects::meta_mut(&mut merged).insert("managedFields".into(), mf.clone());
            }
            new = merged;
        }
        Scope::Whole => {}
    }
    if ctx.subresource == "finalize" {
        // Only spec.finalizers changes through /finalize.
        let mut merged = old.clone();
        merged["spec"]["finalizers"] = new["spec"]["finalizers"].clone();
        new = merged;
    }
    carry_metadata(&mut new, old);
    // Finalizers cannot be added to an object that is being deleted.
    if objects::is_terminating(old) {
        let old_f = objects::finalizers(old);
        let added: Vec<String> = objects::finalizers(&new)
            .into_iter()
            .filter(|f| !old_f.contains(f))
            .collect();
        if !added.is_empty() {
            return Err(ApiError::invalid(
                ctx.group(),
                &ctx.rt.kind,
                &name,
                &[kubefedctl_apimachinery::validation::FieldError::forbidden(
                    "metadata.finalizers",
                    format!("no new finalizers can be added if the object is being deleted, found new finalizers {added:?}"),
                )],
            ));
        }
    }
    let old = stored;
    let mut warnings = admit(ctx, &mut new, Some(old))?;
    hooks::before_update(ctx, &mut new, old)?;
    bump_generation(ctx, &mut new, old);
    if !apply_done {
        let now = now_rfc3339();
        let manager = ctx.manager();
        let api_version = ctx.api_version();
        let sub = if ctx.subresource.is_empty() {
            None
        } else {
            Some(ctx.subresource.as_str())
        };
        let who = ManagerInfo {
            manager: &manager,
            api_version: &api_version,
            subresource: sub,
            now: &now,
        };
        patch::record_update(Some(old), &mut new, &who, scope, ctx.schema().as_ref());
    }
    if objects::same_object(&new, old) {
        return Ok((present(ctx, old), false, warnings));
    }
    if ctx.dry_run {
        return Ok((present(ctx, &new), true, warnings));
    }
    let expected = object_rv(old);
    if objects::is_terminating(&new)
        && objects::finalizers(&new).is_empty()
        && !hooks::has_spec_finalizers(&new)
    {
        let last = ctx
            .c
            .store
            .delete(ctx.group(), ctx.plural(), &ctx.namespace, &name, expected)
            .map_err(|e| store_err(ctx, e, &name))?;
        warnings.extend(hooks::after_write(ctx, Some(old), None));
        let _ = last;
        return Ok((present(ctx, &new), true, warnings));
    }
    let stored = ctx
        .c
        .store
        .update(ctx.group(), ctx.plural(), new, expected)
        .map_err(|e| store_err(ctx, e, &name))?;
    warnings.extend(hooks::after_write(ctx, Some(old), Some(&stored)));
    Ok((present(ctx, &stored), true, warnings))
}

/// A resourceVersion that is not a number fails where etcd3's versioner parses it: a 500 with Go's
/// strconv error, as the real server answers.
fn check_rv_syntax(rv: &str) -> Result<(), ApiError> {
    match rv.parse::<u64>() {
        Ok(_) => Ok(()),
        Err(_) => Err(ApiError::new(
            500,
            "",
            format!("strconv.ParseUint: parsing {rv:?}: invalid syntax"),
        )),
    }
}

fn body_rv(obj: &Value) -> Option<String> {
    obj.pointer("/metadata/resourceVersion")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .map(String::from)
}

fn update(ctx: &Ctx) -> Result<Reply, ApiError> {
    let mut obj = decode_body(ctx)?;
    normalize_body(ctx, &mut obj, true)?;
    let old = ctx
        .c
        .store
        .get(ctx.group(), ctx.plural(), &ctx.namespace, &ctx.name)
        .ok_or_else(|| ctx.not_found())?;
    if let Some(rv) = body_rv(&obj) {
        check_rv_syntax(&rv)?;
    }
    match body_rv(&obj) {
        Some(rv) if rv != object_rv(&old).to_string() => {
            return Err(ApiError::stale(ctx.group(), ctx.plural(), &ctx.name))
        }
        Some(_) => {}
        None if ctx.rt.is_crd() => {
            return Err(ApiError::invalid(
                ctx.group(),
                &ctx.rt.kind,
                &ctx.name,
                &[kubefedctl_apimachinery::validation::FieldError {
                    kind: kubefedctl_apimachinery::validation::ErrorType::Invalid,
                    field: "metadata.resourceVersion".into(),
                    value: Some("0x0".into()),
                    detail: "must be specified for an update".into(),
                }],
            ))
        }
        None => {}
    }
    let (out, _, warnings) = update_object(ctx, &old, obj, false)?;
    Ok(Reply::ok(out).with_warnings(warnings))
}

const PATCH_TYPES: &[&str] = &[
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
];

fn patch(ctx: &Ctx) -> Result<Reply, ApiError> {
    let ct = ctx
        .req
        .content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    if !PATCH_TYPES.contains(&ct.as_str()) {
        return Err(ApiError::unsupported_media_type(PATCH_TYPES));
    }
    if ct == "application/apply-patch+yaml" {
        return apply(ctx);
    }
    if ctx.query.get("force").is_some() {
        return Err(ApiError::invalid(
            "meta.k8s.io",
            "PatchOptions",
            "",
            &[kubefedctl_apimachinery::validation::FieldError::forbidden(
                "force",
                "may not be specified for non-apply patch",
            )],
        ));
    }
    if ct == "application/strategic-merge-patch+json" && ctx.rt.is_crd() {
        return Err(ApiError::unsupported_media_type(&[
            "application/json-patch+json",
            "application/merge-patch+json",
            "application/apply-patch+yaml",
        ]));
    }
    let body: Value =
        serde_json::from_slice(&ctx.req.body).map_err(|e| ApiError::bad_request(e.to_string()))?;
    // Optimistic retry: recompute the patch on the latest object if someone else wrote in between.
    for _ in 0..8 {
        let old = ctx
            .c
            .store
            .get(ctx.group(), ctx.plural(), &ctx.namespace, &ctx.name)
            .ok_or_else(|| ctx.not_found())?;
        let current = present(ctx, &old);
        let patched = match ct.as_str() {
            "application/json-patch+json" => patch::json_patch(&current, &body),
            "application/merge-patch+json" => Ok(patch::merge_patch(&current, &body)),
            _ => patch::strategic_merge_patch(&current, &body, ctx.schema().as_ref()),
        }
        .map_err(|e| match e {
            patch::PatchError::BadRequest(m) => ApiError::bad_request(m),
            // A failed JSON-patch operation is reported without saying which one, with empty details.
            patch::PatchError::Invalid(m) if m == patch::JSON_PATCH_REJECTED => {
                ApiError::new(422, "Invalid", m).with_details(json!({}))
            }
            patch::PatchError::Invalid(m) => ApiError::new(
                422,
                "Invalid",
                format!("{}: {m}", patch::JSON_PATCH_REJECTED),
            ),
        })?;
        let mut new = patched;
        if let Some(rv) = body_rv(&new) {
            check_rv_syntax(&rv)?;
            if rv != object_rv(&old).to_string() {
                return Err(ApiError::stale(ctx.group(), ctx.plural(), &ctx.name));
            }
        }
        normalize_body(ctx, &mut new, true)?;
        match update_object(ctx, &old, new, false) {
            Err(e) if e.code == 409 && e.reason == "Conflict" && body_rv(&body).is_none() => {
                continue
            }
            Err(e) => return Err(e),
            Ok((out, _, warnings)) => return Ok(Reply::ok(out).with_warnings(warnings)),
        }
    }
    Err(ApiError::stale(ctx.group(), ctx.plural(), &ctx.name))
}

fn apply(ctx: &Ctx) -> Result<Reply, ApiError> {
    let manager = match ctx.query.get("fieldManager").filter(|m| !m.is_empty()) {
        Some(m) => m.to_string(),
        None => {
            return Err(ApiError::new(
                422,
                "Invalid",
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
            )
            .with_details(json!({"group": "meta.k8s.io", "kind": "PatchOptions", "causes": [
                {"reason": "FieldValueRequired", "message": "Required value: is required for apply patch", "field": "fieldManager"}
            ]})))
        }
    };
    let force = ctx.query.flag("force");
    let mut config: Value = match serde_json::from_slice(&ctx.req.body) {
        Ok(v) => v,
        Err(_) => crate::yaml_value(&ctx.req.body).map_err(ApiError::bad_request)?,
    };
    if !config.is_object() {
        return Err(ApiError::bad_request(
            "apply configuration must be an object",
        ));
    }
    let av = config["apiVersion"].as_str().unwrap_or("").to_string();
    let kind = config["kind"].as_str().unwrap_or("").to_string();
    if av.is_empty() || kind.is_empty() {
        return Err(ApiError::bad_request(format!(
            "invalid object type: {}",
            if av.is_empty() && kind.is_empty() {
                "/, Kind=".to_string()
            } else {
                format!("{av}, Kind={kind}")
            }
        )));
    }
    if ctx.rt.crd.is_none() {
        undeclared_fields(ctx, &config)?;
    }
    normalize_body(ctx, &mut config, true)?;
    let scope = scope_for(ctx);
    let sub = if ctx.subresource.is_empty() {
        None
    } else {
        Some(ctx.subresource.as_str())
    };
    for _ in 0..8 {
        let now = now_rfc3339();
        let api_version = ctx.api_version();
        let who = ManagerInfo {
            manager: &manager,
            api_version: &api_version,
            subresource: sub,
            now: &now,
        };
        let live = ctx
            .c
            .store
            .get(ctx.group(), ctx.plural(), &ctx.namespace, &ctx.name);
        let live_presented = live.as_ref().map(|l| present(ctx, l));
        if let (Some(rv), Some(l)) = (body_rv(&config), live.as_ref()) {
            if rv != object_rv(l).to_string() {
                return Err(ApiError::stale(ctx.group(), ctx.plural(), &ctx.name));
            }
        }
        let merged = patch::apply(live_presented.as_ref(), &config, &who, force, scope, ctx.schema().as_ref()).map_err(|c| {
            let causes: Vec<Value> = c
                .causes
                .iter()
                .map(|x| json!({"reason": "FieldManagerConflict", "message": x.message, "field": x.field}))
                .collect();
            // An apply conflict names only its causes (apimachinery's NewApplyConflict).
            ApiError::new(409, "Conflict", c.message.clone())
                .with_details(json!({"causes": causes}))
        })?;
        match live {
            None => {
                if ctx.subresource == "status" {
                    return Err(ctx.not_found());
                }
                let (out, warnings) = match create_object(ctx, merged, Some(&manager)) {
                    Err(e) if e.reason == "AlreadyExists" => continue,
                    other => other?,
                };
                return Ok(Reply::code(201, out).with_warnings(warnings));
            }
            Some(old) => match update_object(ctx, &old, merged, true) {
                Err(e)
                    if e.code == 409
                        && e.reason == "Conflict"
                        && e.details.as_ref().and_then(|d| d.get("causes")).is_none() =>
                {
                    continue
                }
                Err(e) => return Err(e),
                Ok((out, _, warnings)) => return Ok(Reply::ok(out).with_warnings(warnings)),
            },
        }
    }
    Err(ApiError::stale(ctx.group(), ctx.plural(), &ctx.name))
}

/// Server-side apply turns the configuration into a typed object of the built-in kind first, whatever
/// `fieldValidation` says; a field the type does not declare fails that conversion, and the real server
/// answers the plain error it gets as a 500 without a reason (`failed to create typed patch object
/// (ns/name; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema`).
fn undeclared_fields(ctx: &Ctx, config: &Value) -> Result<(), ApiError> {
    let mut copy = config.clone();
    builtin::canonicalize_quantities(&ctx.rt.group, &ctx.rt.kind, &mut copy);
    let dropped =
        builtin::prune_unknown_fields(&ctx.rt.group, &ctx.version, &ctx.rt.kind, &mut copy);
    if dropped.is_empty() {
        return Ok(());
    }
    let schema = ctx.schema();
    let errors: Vec<String> = dropped
        .iter()
        .map(|p| {
            format!(
                "{}: field not declared in schema",
                typed_path(config, p, schema.as_ref())
            )
        })
        .collect();
    let detail = if errors.len() == 1 {
        errors[0].clone()
    } else {
        format!("errors:\n  {}", errors.join("\n  "))
    };
    let meta = &config["metadata"];
    let text = |k: &str| meta[k].as_str().unwrap_or("").to_string();
    Err(ApiError::new(
        500,
        "",
        format!(
            "failed to create typed patch object ({}/{}; {}, Kind={}): {detail}",
            text("namespace"),
            text("name"),
            if ctx.rt.group.is_empty() {
                format!("/{}", ctx.version)
            } else {
                ctx.api_version()
            },
            ctx.rt.kind
        ),
    ))
}

/// A dotted path of `value` (`spec.template.spec.containers[0].foo`) as structured-merge-diff prints it:
/// `.spec.template.spec.containers[name="app"].foo`, list items named by their keys (or `[=value]` in a set).
fn typed_path(value: &Value, dotted: &str, schema: &dyn TypeSchema) -> String {
    let mut out = String::new();
    let mut node = Some(value);
    let mut fields: Vec<String> = Vec::new();
    let mut rest = dotted;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let (idx, tail) = after.split_once(']').unwrap_or((after, ""));
            rest = tail.strip_prefix('.').unwrap_or(tail);
            let i: usize = idx.parse().unwrap_or(0);
            let item = node.and_then(|n| n.get(i));
            let path: Vec<&str> = fields.iter().map(String::as_str).collect();
            match (schema.list_type(&path), item) {
                (patch::ListType::Map(keys), Some(item)) => {
                    let mut keys = keys.clone();
                    keys.sort();
                    let parts: Vec<String> = keys
                        .iter()
                        .filter_map(|k| {
                            let v = item
                                .get(k)
                                .cloned()
                                .or_else(|| schema.key_default(&path, k))?;
                            Some(format!("{k}={v}"))
                        })
                        .collect();
                    out.push_str(&format!("[{}]", parts.join(",")));
                }
                (patch::ListType::Set, Some(item)) => out.push_str(&format!("[={item}]")),
                _ => out.push_str(&format!("[{i}]")),
            }
            node = item;
            continue;
        }
        // The longest key of this object the path continues with (keys may hold dots).
        let key = node
            .and_then(Value::as_object)
            .and_then(|m| {
                m.keys()
                    .filter(|k| {
                        rest.strip_prefix(k.as_str())
                            .is_some_and(|t| t.is_empty() || t.starts_with(['.', '[']))
                    })
                    .max_by_key(|k| k.len())
                    .cloned()
            })
            .unwrap_or_else(|| rest.split(['.', '[']).next().unwrap_or(rest).to_string());
        rest = &rest[key.len().min(rest.len())..];
        rest = rest.strip_prefix('.').unwrap_or(rest);
        out.push('.');
        out.push_str(&key);
        node = node.and_then(|n| n.get(&key));
        fields.push(key);
    }
    out
}

// ---------------------------------------------------------------------------------------------------------
// Deleting

/// `dryRun` of a write from the query: every value must be `All` (422 on the write's options kind otherwise).
fn query_dry_run(query: &Query, options_kind: &str) -> Result<bool, ApiError> {
    check_dry_run(query.all("dryRun"), options_kind)
}

fn check_dry_run(values: &[String], options_kind: &str) -> Result<bool, ApiError> {
    if values.iter().any(|v| v != "All") {
        return Err(ApiError::invalid(
            "meta.k8s.io",
            options_kind,
            "",
            &[
                kubefedctl_apimachinery::validation::FieldError::not_supported(
                    "dryRun",
                    &json!(values),
                    &["All"],
                ),
            ],
        ));
    }
    Ok(!values.is_empty())
}

/// Whether (validated) DeleteOptions ask for a dry run.
fn dry_run_of(opts: &Value) -> bool {
    opts["dryRun"].as_array().is_some_and(|a| !a.is_empty())
}

/// The DeleteOptions of a delete or deletecollection, as the API server reads them: from the body when there
/// is one, and then only from it; else from the query (`dryRun`, `propagationPolicy`, `orphanDependents`,
/// `gracePeriodSeconds`). Validated: field types (400, as Go's decoder words it), `dryRun` values,
/// `propagationPolicy` values, and not both `propagationPolicy` and `orphanDependents` (422).
pub fn read_delete_options(req: &Incoming) -> Result<Value, ApiError> {
    let opts = if req.body.is_empty() {
        let q = &req.query;
        let mut o = json!({});
        let dry: Vec<String> = q.all("dryRun").to_vec();
        if !dry.is_empty() {
            o["dryRun"] = json!(dry);
        }
        if let Some(p) = q.get("propagationPolicy") {
            o["propagationPolicy"] = json!(p);
        }
        if let Some(p) = q.get("orphanDependents") {
            o["orphanDependents"] = json!(p == "true");
        }
        if let Some(g) = q.get("gracePeriodSeconds") {
            let g: i64 = g.parse().map_err(|_| {
                ApiError::bad_request(format!("strconv.ParseInt: parsing {g:?}: invalid syntax"))
            })?;
            o["gracePeriodSeconds"] = json!(g);
        }
        o
    } else {
        let v = decode_request_body(req)?;
        if !v.is_object() {
            return Err(ApiError::bad_request(
                "json: cannot unmarshal into Go value of type v1.DeleteOptions",
            ));
        }
        check_delete_option_types(&v)?;
        v
    };
    let dry: Vec<String> = opts["dryRun"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    check_dry_run(&dry, "DeleteOptions")?;
    let policy = opts.get("propagationPolicy").and_then(Value::as_str);
    let orphan = opts.get("orphanDependents").and_then(Value::as_bool);
    let invalid = |e: kubefedctl_apimachinery::validation::FieldError| {
        ApiError::invalid("meta.k8s.io", "DeleteOptions", "", &[e])
    };
    match (policy, orphan) {
        (Some(p), Some(_)) => {
            return Err(invalid(
                kubefedctl_apimachinery::validation::FieldError::invalid(
                    "propagationPolicy",
                    &json!(p),
                    "orphanDependents and deletionPropagation cannot be both set",
                ),
            ))
        }
        (Some("Orphan" | "Background" | "Foreground") | None, _) => {}
        (Some(p), None) => {
            return Err(invalid(
                kubefedctl_apimachinery::validation::FieldError::not_supported(
                    "propagationPolicy",
                    &json!(p),
                    &["Foreground", "Background", "Orphan", "nil"],
                ),
            ))
        }
    }
    Ok(opts)
}

/// A DeleteOptions field, how to recognise its JSON type, and its Go type.
type OptionType = (&'static str, fn(&Value) -> bool, &'static str);

/// Go's decoder refuses a DeleteOptions field of the wrong JSON type with this 400.
fn check_delete_option_types(v: &Value) -> Result<(), ApiError> {
    let wrong = |field: &str, got: &Value, want: &str| {
        let got = match got {
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Null => "null",
        };
        Err(ApiError::bad_request(format!(
            "json: cannot unmarshal {got} into Go struct field DeleteOptions.{field} of type {want}"
        )))
    };
    let checks: [OptionType; 4] = [
        (
            "dryRun",
            |v| v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
            "[]string",
        ),
        (
            "propagationPolicy",
            Value::is_string,
            "v1.DeletionPropagation",
        ),
        ("orphanDependents", Value::is_boolean, "bool"),
        ("gracePeriodSeconds", |v| v.is_i64(), "int64"),
    ];
    for (field, ok, want) in checks {
        match v.get(field) {
            Some(Value::Null) | None => {}
            Some(x) if ok(x) => {}
            Some(x) => return wrong(field, x, want),
        }
    }
    match v.get("preconditions") {
        Some(Value::Null) | None | Some(Value::Object(_)) => Ok(()),
        Some(x) => wrong("preconditions", x, "v1.Preconditions"),
    }
}

/// Deletes one object honouring finalizers and the propagation policy. Returns the reply body.
pub fn delete_object(ctx: &Ctx, name: &str, opts: &Value) -> Result<Value, ApiError> {
    let obj = ctx
        .c
        .store
        .get(ctx.group(), ctx.plural(), &ctx.namespace, name)
        .ok_or_else(|| ApiError::not_found(ctx.group(), ctx.plural(), name))?;
    if let Some(pre) = opts.get("preconditions") {
        // The API server names the object by its Kind here, and says what may have happened.
        let mismatch = |why: String| ApiError::conflict(ctx.group(), &ctx.rt.kind, name, &why);
        if let Some(u) = pre.get("uid").and_then(|v| v.as_str()) {
            if u != objects::uid(&obj) {
                return Err(mismatch(format!(
                    "the UID in the precondition ({u}) does not match the UID in record ({}). \
                     The object might have been deleted and then recreated",
                    objects::uid(&obj)
                )));
            }
        }
        if let Some(rv) = pre.get("resourceVersion").and_then(|v| v.as_str()) {
            if rv != object_rv(&obj).to_string() {
                return Err(mismatch(format!(
                    "the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in \
                     record ({}). The object might have been modified",
                    object_rv(&obj)
                )));
            }
        }
    }
    let policy = match (
        opts.get("propagationPolicy").and_then(|v| v.as_str()),
        opts.get("orphanDependents").and_then(|v| v.as_bool()),
    ) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                "meta.k8s.io",
                "DeleteOptions",
                "",
                &[kubefedctl_apimachinery::validation::FieldError::invalid(
                    "propagationPolicy",
                    &opts["propagationPolicy"],
                    "orphanDependents and deletionPropagation cannot be both set",
                )],
            ))
        }
        (Some(p @ ("Orphan" | "Background" | "Foreground")), None) => p.to_string(),
        (Some(p), None) => {
            return Err(ApiError::invalid(
                "meta.k8s.io",
                "DeleteOptions",
                "",
                &[
                    kubefedctl_apimachinery::validation::FieldError::not_supported(
                        "propagationPolicy",
                        &json!(p),
                        &["Foreground", "Background", "Orphan", "nil"],
                    ),
                ],
            ))
        }
        (None, Some(true)) => "Orphan".to_string(),
        _ => "Background".to_string(),
    };
    hooks::before_delete(ctx, &obj)?;
    let mut fins = objects::finalizers(&obj);
    if policy == "Foreground" && !fins.iter().any(|f| f == "foregroundDeletion") {
        fins.push("foregroundDeletion".into());
    }
    if policy == "Orphan" && !fins.iter().any(|f| f == "orphan") {
        fins.push("orphan".into());
    }
    let spec_fins = hooks::deletion_spec_finalizers(ctx, &obj);
    if fins.is_empty() && !spec_fins {
        if ctx.dry_run {
            return Ok(if ctx.rt.return_deleted {
                present(ctx, &graceful_deletion(ctx, &obj, opts))
            } else {
                delete_success(ctx.group(), ctx.plural(), name, objects::uid(&obj))
            });
        }
        let last = ctx
            .c
            .store
            .delete(
                ctx.group(),
                ctx.plural(),
                &ctx.namespace,
                name,
                object_rv(&obj),
            )
            .map_err(|e| store_err(ctx, e, name))?;
        hooks::after_write(ctx, Some(&obj), None);
        return Ok(if ctx.rt.return_deleted {
            present(ctx, &graceful_deletion(ctx, &last, opts))
        } else {
            delete_success(ctx.group(), ctx.plural(), name, objects::uid(&obj))
        });
    }
    if objects::is_terminating(&obj) {
        return Ok(present(ctx, &obj));
    }
    let mut new = obj.as_ref().clone();
    objects::set_finalizers(&mut new, &fins);
    {
        let m = objects::meta_mut(&mut new);
        m.insert("deletionTimestamp".into(), json!(now_rfc3339()));
        m.insert("deletionGracePeriodSeconds".into(), json!(0));
        if ctx.rt.tracks_generation {
            let g = m.get("generation").and_then(|v| v.as_i64()).unwrap_or(0) + 1;
            m.insert("generation".into(), json!(g));
        }
    }
    hooks::on_terminate(ctx, &mut new);
    if ctx.dry_run {
        return Ok(present(ctx, &new));
    }
    let stored = ctx
        .c
        .store
        .update(ctx.group(), ctx.plural(), new, object_rv(&obj))
        .map_err(|e| store_err(ctx, e, name))?;
    hooks::after_write(ctx, Some(&obj), Some(&stored));
    Ok(present(ctx, &stored))
}

/// A Pod is deleted through the graceful strategy: the object a DELETE answers carries the deletionTimestamp,
/// the grace period (0 for a pod no node runs) and the generation bump it got on its way out, even when the
/// deletion was immediate.
fn graceful_deletion(ctx: &Ctx, obj: &Value, opts: &Value) -> Value {
    let mut out = obj.clone();
    if !(ctx.group().is_empty() && ctx.plural() == "pods") {
        return out;
    }
    let grace = if obj["spec"]["nodeName"].as_str().unwrap_or("").is_empty() {
        0
    } else {
        opts["gracePeriodSeconds"]
            .as_i64()
            .or(obj["spec"]["terminationGracePeriodSeconds"].as_i64())
            .unwrap_or(30)
    };
    let m = objects::meta_mut(&mut out);
    m.insert("deletionTimestamp".into(), json!(now_rfc3339()));
    m.insert("deletionGracePeriodSeconds".into(), json!(grace));
    let g = m.get("generation").and_then(Value::as_i64).unwrap_or(0) + 1;
    m.insert("generation".into(), json!(g));
    out
}

fn delete(ctx: &Ctx) -> Result<Reply, ApiError> {
    let opts = read_delete_options(ctx.req)?;
    let body = delete_object(ctx, &ctx.name, &opts)?;
    let code = if body["kind"] != "Status"
        && opts.get("orphanDependents") == Some(&json!(false))
        && objects::is_terminating(&body)
    {
        202
    } else {
        200
    };
    Ok(Reply::code(code, body))
}

fn delete_collection(ctx: &Ctx) -> Result<Reply, ApiError> {
    let (ls, fs) = parse_selectors(ctx)?;
    let opts = read_delete_options(ctx.req)?;
    let ns = if ctx.rt.namespaced && !ctx.namespace.is_empty() {
        Some(ctx.namespace.as_str())
    } else {
        None
    };
    let (rv, items) = ctx.c.store.list(ctx.group(), ctx.plural(), ns);
    let mut deleted = Vec::new();
    for obj in items
        .iter()
        .filter(|o| ls.matches_object(o) && fs.matches(o))
    {
        let sub = Ctx {
            namespace: objects::namespace(obj).to_string(),
            name: objects::name(obj).to_string(),
            ..ctx.clone_ctx()
        };
        match delete_object(&sub, objects::name(obj), &opts) {
            Ok(_) => deleted.push(list_item(ctx, &present(ctx, obj))),
            Err(e) if e.code == 404 => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Reply::ok(json!({
        "kind": ctx.rt.list_kind,
        "apiVersion": ctx.api_version(),
        "metadata": {"resourceVersion": rv.to_string()},
        "items": deleted,
    })))
}

impl<'a> Ctx<'a> {
    pub fn clone_ctx(&self) -> Ctx<'a> {
        Ctx {
            c: self.c,
            rt: self.rt.clone(),
            version: self.version.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            subresource: self.subresource.clone(),
            user: self.user,
            query: self.query,
            req: self.req,
            dry_run: self.dry_run,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Scale subresource

fn scale_of(ctx: &Ctx, obj: &Value) -> Value {
    let spec = ctx.rt.scale.clone().expect("scale subresource");
    let selector = spec
        .label_selector_path
        .as_deref()
        .and_then(|p| objects::get_path(obj, p))
        .and_then(|v| v.as_str().map(String::from))
        .or_else(|| {
            obj.pointer("/spec/selector/matchLabels")
                .and_then(|m| m.as_object())
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                        .collect::<Vec<_>>()
                        .join(",")
                })
        });
    let mut status = json!({"replicas": objects::get_path(obj, &spec.status_replicas_path).cloned().unwrap_or(json!(0))});
    if let Some(s) = selector {
        status["selector"] = json!(s);
    }
    // Scale's spec.replicas is omitempty: 0 replicas leave an empty spec.
    let spec_of_scale = match objects::get_path(obj, &spec.spec_replicas_path) {
        Some(r) if r.as_i64() != Some(0) => json!({"replicas": r}),
        _ => json!({}),
    };
    let m = &obj["metadata"];
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {"name": m["name"], "namespace": m["namespace"], "uid": m["uid"], "resourceVersion": m["resourceVersion"], "creationTimestamp": m["creationTimestamp"]},
        "spec": spec_of_scale,
        "status": status,
    })
}

fn get_scale(ctx: &Ctx) -> Result<Reply, ApiError> {
    let obj = ctx
        .c
        .store
        .get(ctx.group(), ctx.plural(), &ctx.namespace, &ctx.name)
        .ok_or_else(|| ctx.not_found())?;
    Ok(Reply::ok(scale_of(ctx, &obj)))
}

fn write_scale(ctx: &Ctx, verb: &str) -> Result<Reply, ApiError> {
    let spec = ctx.rt.scale.clone().expect("scale subresource");
    let old = ctx
        .c
        .store
        .get(ctx.group(), ctx.plural(), &ctx.namespace, &ctx.name)
        .ok_or_else(|| ctx.not_found())?;
    let current = scale_of(ctx, &old);
    let body: Value =
        serde_json::from_slice(&ctx.req.body).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let new_scale = if verb == "update" {
        body
    } else {
        let ct = ctx.req.content_type.split(';').next().unwrap_or("").trim();
        match ct {
            "application/json-patch+json" => patch::json_patch(&current, &body)
                .map_err(|e| ApiError::bad_request(format!("{e:?}")))?,
            _ => patch::merge_patch(&current, &body),
        }
    };
    if let Some(rv) = body_rv(&new_scale) {
        if rv != object_rv(&old).to_string() {
            return Err(ApiError::stale(ctx.group(), ctx.plural(), &ctx.name));
        }
    }
    let replicas = new_scale
        .pointer("/spec/replicas")
        .cloned()
        .unwrap_or(json!(0));
    if replicas.as_i64().is_none_or(|r| r < 0) {
        return Err(ApiError::invalid(
            "autoscaling",
            "Scale",
            &ctx.name,
            &[kubefedctl_apimachinery::validation::FieldError::invalid(
                "spec.replicas",
                &replicas,
                "must be greater than or equal to 0",
            )],
        ));
    }
    let mut new = old.as_ref().clone();
    objects::set_path(&mut new, &spec.spec_replicas_path, replicas);
    // The scale write goes through the main resource's pipeline (spec changes, generation bumps); the field
    // manager records it under subresource "scale", as the real server does.
    let (out, _, _) = update_object(ctx, &old, new, false)?;
    Ok(Reply::ok(scale_of(ctx, &out)))
}
