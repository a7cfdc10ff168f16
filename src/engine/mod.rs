//! The propagation engine: placement, overrides, desired objects, status, cluster health.

pub mod desired;
pub mod health;
pub mod overrides;
pub mod placement;
pub mod status;
