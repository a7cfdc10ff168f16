//! kubefedctl: federate Kubernetes clusters with KubeFed's API objects and no control-plane deployment.

pub mod cli;
pub mod commands;
pub mod completion;
pub mod controlplane;
pub mod customization;
pub mod engine;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod generate;
pub mod kubeconfig;
pub mod logging;
pub mod managed_diff;
pub mod output;
pub mod testbed;
pub mod typelookup;
pub mod wait;
pub mod yaml;

// The lower layers under the paths they had when they lived in this crate.
pub use kubefedctl_apimachinery::{quantity, selector, validation};
pub use kubefedctl_core::{conversion, kubefed, planner};
pub use kubefedctl_sandbox as sandbox;
