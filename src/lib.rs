//! kubefedctl: federate Kubernetes clusters with KubeFed's API objects and no control-plane deployment.

pub mod cli;
pub mod commands;
pub mod completion;
pub mod controlplane;
pub mod conversion;
pub mod customization;
pub mod engine;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod generate;
pub mod kubeconfig;
pub mod kubefed;
pub mod logging;
pub mod managed_diff;
pub mod output;
pub mod planner;
pub mod quantity;
pub mod sandbox;
pub mod selector;
pub mod testbed;
pub mod typelookup;
pub mod validation;
pub mod wait;
pub mod yaml;
