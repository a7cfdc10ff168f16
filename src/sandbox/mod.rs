//! The sandbox: Kubernetes-API-compatible clusters served over HTTPS on loopback, for tests, the demo and trying kubefedctl.

pub mod builtin;
pub mod patch;
pub mod rbac;
pub mod schema;
pub mod registry;
pub mod status;
pub mod store;
pub mod tls;
