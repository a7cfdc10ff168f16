//! The propagation engine: placement, overrides, desired objects, per-cluster actions, status, versions,
//! cluster health.

pub mod actions;
pub mod desired;
pub mod health;
pub mod overrides;
pub mod placement;
pub mod status;
pub mod versions;
