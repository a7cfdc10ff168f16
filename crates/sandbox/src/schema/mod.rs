//! CustomResourceDefinition validation and the structural-schema engine (pruning, defaulting, validation of custom resources).

mod crd;
mod structural;

pub use crd::{default_crd, validate_crd};
pub use structural::StructuralSchema;
