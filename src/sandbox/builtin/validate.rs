//! Validation of built-in kinds.
use crate::validation::FieldError;
use serde_json::Value;
pub fn validate(_group: &str, _kind: &str, _obj: &Value, _old: Option<&Value>) -> Vec<FieldError> {
    Vec::new()
}
