//! kubefedctl's engine: what talks to clusters. Reading and writing federated objects and their member
//! copies (`engine`: one reconcile under the `--once` and `--watch` drivers), installing and removing the
//! control plane and joining members (`controlplane`), kubeconfig and API discovery, and the errors every
//! command reports. No command line here: `kubefedctl-cli` turns these into commands.

pub mod controlplane;
pub mod customization;
pub mod engine;
pub mod error;
pub mod kubeconfig;
pub mod managed_diff;
pub mod typelookup;
pub mod wait;
pub mod yaml;

// The lower layers under the paths the engine has always used for them.
pub use kubefedctl_apimachinery::{quantity, selector, validation};
pub use kubefedctl_core::{conversion, kubefed, planner};
