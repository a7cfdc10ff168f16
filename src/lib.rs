//! kubefedctl: federate Kubernetes clusters with KubeFed's API objects and no control-plane deployment.

pub mod cli;
pub mod commands;
pub mod completion;
pub mod controlplane;
pub mod customization;
pub mod diff;
pub mod engine;
pub mod error;
pub mod federate;
#[doc(hidden)]
pub mod fuzzing;
pub mod generate;
pub mod kubeconfig;
pub mod kubefed;
pub mod output;
pub mod quantity;
pub mod sandbox;
pub mod scheduling;
pub mod selector;
pub mod testbed;
pub mod typelookup;
pub mod validation;
pub mod wait;
pub mod yaml;
