//! The propagation engine: placement, overrides, desired objects, status, cluster health.
