//! The propagation engine: placement, overrides, desired objects, status, cluster health.

pub mod overrides;
pub mod placement;
