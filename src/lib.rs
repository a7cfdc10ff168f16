//! kubefedctl: federate Kubernetes clusters with KubeFed's API objects and no control-plane deployment.
//!
//! This package is the binary (`src/main.rs`) with the tests and benchmarks; the code lives in the
//! workspace's crates, bottom up: `kubefedctl-apimachinery`, `kubefedctl-core` and `kubefedctl-sandbox`,
//! `kubefedctl-engine`, `kubefedctl-cli`. Every module is re-exported here under one path, so a test or a
//! fuzz target names `kubefedctl::engine` or `kubefedctl::sandbox` whichever crate holds it.

pub use kubefedctl_cli::*;
