//! Patch semantics of the sandbox API server: JSON merge, JSON patch, strategic merge patch, server-side apply and managedFields.
// INTERIM interface (replaced by the real module on merge).
use serde_json::Value;
pub enum ListType {
    Atomic,
    Set,
    Map(Vec<String>),
}
pub trait TypeSchema: Send + Sync {
    fn list_type(&self, path: &[&str]) -> ListType;
    fn map_is_atomic(&self, _path: &[&str]) -> bool {
        false
    }
}
struct Plain;
impl TypeSchema for Plain {
    fn list_type(&self, _p: &[&str]) -> ListType {
        ListType::Atomic
    }
}
pub fn builtin_schema(_group: &str, _kind: &str) -> Box<dyn TypeSchema> {
    Box::new(Plain)
}
pub fn crd_schema(_s: &Value) -> Box<dyn TypeSchema> {
    Box::new(Plain)
}
#[derive(Debug)]
pub enum PatchError {
    BadRequest(String),
    Invalid(String),
}
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    let mut t = target.clone();
    json_patch::merge(&mut t, patch);
    t
}
pub fn json_patch(target: &Value, patch: &Value) -> Result<Value, PatchError> {
    let p: json_patch::Patch =
        serde_json::from_value(patch.clone()).map_err(|e| PatchError::BadRequest(e.to_string()))?;
    let mut t = target.clone();
    json_patch::patch(&mut t, &p).map_err(|e| PatchError::Invalid(e.to_string()))?;
    Ok(t)
}
pub fn strategic_merge_patch(
    original: &Value,
    patch: &Value,
    _schema: &dyn TypeSchema,
) -> Result<Value, PatchError> {
    Ok(merge_patch(original, patch))
}
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scope {
    Whole,
    MainResource,
    StatusSubresource,
}
pub struct ManagerInfo<'a> {
    pub manager: &'a str,
    pub api_version: &'a str,
    pub subresource: Option<&'a str>,
    pub now: &'a str,
}
#[derive(Debug)]
pub struct ApplyConflict {
    pub message: String,
    pub causes: Vec<ConflictCause>,
}
#[derive(Debug)]
pub struct ConflictCause {
    pub field: String,
    pub message: String,
}
pub fn apply(
    live: Option<&Value>,
    config: &Value,
    _who: &ManagerInfo,
    _force: bool,
    _scope: Scope,
    _schema: &dyn TypeSchema,
) -> Result<Value, ApplyConflict> {
    Ok(match live {
        Some(l) => merge_patch(l, config),
        None => config.clone(),
    })
}
pub fn record_update(
    _old: Option<&Value>,
    _new: &mut Value,
    _who: &ManagerInfo,
    _scope: Scope,
    _schema: &dyn TypeSchema,
) {
}
