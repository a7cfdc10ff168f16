//! CustomResourceDefinition validation and the structural-schema engine (pruning, defaulting, validation of custom resources).

/// Temporary, replaced below.
pub fn default_crd(_crd: &mut serde_json::Value) {}
/// Temporary, replaced below.
pub fn validate_crd(
    _crd: &serde_json::Value,
    _old: Option<&serde_json::Value>,
) -> Vec<crate::validation::FieldError> {
    Vec::new()
}
