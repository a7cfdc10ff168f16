//! kubefedctl: federate Kubernetes clusters with KubeFed's API objects and no control-plane deployment.

pub mod engine;
pub mod federate;
pub mod kubefed;
pub mod sandbox;
pub mod scheduling;
pub mod selector;
pub mod validation;
