//! `metav1.Status` errors exactly as the API server answers them, and the error type request handlers return.

use serde_json::{json, Map, Value};

use kubefedctl_apimachinery::validation::{join_errors, FieldError};

/// An error answer of the API server: HTTP code, reason and a `Status` body.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

/// How an object is named in messages: `deployments.apps` for groups, `configmaps` for core.
pub fn qualified_resource(group: &str, resource: &str) -> String {
    if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    }
}

fn details(name: &str, group: &str, kind: &str) -> Value {
    let mut m = Map::new();
    if !name.is_empty() {
        m.insert("name".into(), json!(name));
    }
    if !group.is_empty() {
        m.insert("group".into(), json!(group));
    }
    if !kind.is_empty() {
        m.insert("kind".into(), json!(kind));
    }
    Value::Object(m)
}

impl ApiError {
    pub fn new(code: u16, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason,
            message: message.into(),
            details: None,
        }
    }
    pub fn with_details(mut self, d: Value) -> Self {
        self.details = Some(d);
        self
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }
    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized", "Unauthorized")
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, "Forbidden", message)
    }
    pub fn forbidden_object(group: &str, resource: &str, name: &str, why: &str) -> Self {
        let q = qualified_resource(group, resource);
        let msg = if name.is_empty() {
            format!("{q} is forbidden: {why}")
        } else {
            format!("{q} {name:?} is forbidden: {why}")
        };
        Self::new(403, "Forbidden", msg).with_details(details(name, group, resource))
    }
    pub fn not_found(group: &str, resource: &str, name: &str) -> Self {
        let q = qualified_resource(group, resource);
        Self::new(404, "NotFound", format!("{q} {name:?} not found"))
            .with_details(details(name, group, resource))
    }
    /// Unknown path or resource: what a real server answers for anything it does not serve.
    pub fn no_route() -> Self {
        Self::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        )
        .with_details(json!({}))
    }
    pub fn method_not_allowed(verb: &str, resource: &str) -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            format!("{verb} is not supported on resources of kind {resource:?}"),
        )
    }
    pub fn method_unrouted() -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        )
        .with_details(json!({}))
    }
    pub fn already_exists(group: &str, resource: &str, name: &str) -> Self {
        let q = qualified_resource(group, resource);
        Self::new(409, "AlreadyExists", format!("{q} {name:?} already exists"))
            .with_details(details(name, group, resource))
    }
    pub fn conflict(group: &str, resource: &str, name: &str, why: &str) -> Self {
        let q = qualified_resource(group, resource);
        Self::new(
            409,
            "Conflict",
            format!("Operation cannot be fulfilled on {q} {name:?}: {why}"),
        )
        .with_details(details(name, group, resource))
    }
    pub fn stale(group: &str, resource: &str, name: &str) -> Self {
        Self::conflict(
            group,
            resource,
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
        )
    }
    pub fn gone(message: impl Into<String>) -> Self {
        Self::new(410, "Expired", message)
    }
    pub fn unsupported_media_type(accepted: &[&str]) -> Self {
        Self::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: {}",
                accepted.join(", ")
            ),
        )
    }
    /// 422 Invalid: `<Kind>[.<group>] "<name>" is invalid: <errors>` with causes.
    pub fn invalid(group: &str, kind: &str, name: &str, errs: &[FieldError]) -> Self {
        let q = qualified_resource(group, kind);
        let causes: Vec<Value> = errs
            .iter()
            .map(
                |e| json!({"reason": e.kind.reason(), "message": e.error_body(), "field": e.field}),
            )
            .collect();
        let mut d = details(name, group, kind);
        d["causes"] = Value::Array(causes);
        Self::new(
            422,
            "Invalid",
            format!("{q} {name:?} is invalid: {}", join_errors(errs)),
        )
        .with_details(d)
    }
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Self::new(
            500,
            "InternalError",
            format!("Internal error occurred: {message}"),
        )
    }
    pub fn timeout(message: impl std::fmt::Display) -> Self {
        Self::new(504, "Timeout", format!("Timeout: {message}"))
    }

    /// The `metav1.Status` body.
    pub fn to_status(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), json!("Status"));
        m.insert("apiVersion".into(), json!("v1"));
        m.insert("metadata".into(), json!({}));
        m.insert("status".into(), json!("Failure"));
        m.insert("message".into(), json!(self.message));
        if !self.reason.is_empty() {
            m.insert("reason".into(), json!(self.reason));
        }
        // Routing errors carry an empty `details: {}`, as the real server's do.
        if let Some(d) = &self.details {
            m.insert("details".into(), d.clone());
        }
        m.insert("code".into(), json!(self.code));
        Value::Object(m)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for ApiError {}

/// The success Status a delete answers with when the object is gone at once.
pub fn delete_success(group: &str, resource: &str, name: &str, uid: &str) -> Value {
    let mut d = details(name, group, resource);
    d["uid"] = json!(uid);
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": d})
}
