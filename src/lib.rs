//! kubefedctl: federate Kubernetes clusters with KubeFed's API objects and no control-plane deployment.

pub mod validation;
