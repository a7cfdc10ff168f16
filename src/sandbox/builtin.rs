//! Built-in type semantics of the sandbox: defaults, validation, unknown-field pruning, immutable fields.
// INTERIM interface (replaced by the real module on merge).
use crate::validation::FieldError;
use serde_json::Value;
pub fn prune_unknown_fields(
    _group: &str,
    _version: &str,
    _kind: &str,
    _obj: &mut Value,
) -> Vec<String> {
    vec![]
}
pub fn apply_defaults(_group: &str, _kind: &str, _obj: &mut Value) {}
pub fn normalize(_group: &str, _kind: &str, _obj: &mut Value) {}
pub fn validate(_group: &str, _kind: &str, _obj: &Value, _old: Option<&Value>) -> Vec<FieldError> {
    vec![]
}
pub fn tracks_generation(_group: &str, _kind: &str) -> bool {
    false
}
pub enum NameRule {
    Dns1123Subdomain,
    Dns1123Label,
    Dns1035Label,
    PathSegment,
    None,
}
pub fn validate_object_meta(_meta: &Value, _rule: NameRule, _namespaced: bool) -> Vec<FieldError> {
    vec![]
}
pub fn name_rule(_group: &str, _kind: &str) -> NameRule {
    NameRule::Dns1123Subdomain
}
