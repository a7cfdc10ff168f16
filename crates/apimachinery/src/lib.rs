//! What the sandbox and kubefedctl share, and nothing else: Kubernetes' label and field selectors, name
//! and field validation, resource quantities, ages as kubectl prints them, errors meant for the user with
//! their exit codes, and the kubeconfig of local clusters. Small and dependency-light, so the sandbox needs nothing of the product.

pub mod duration;
pub mod error;
pub mod kubeconfig;
pub mod quantity;
pub mod selector;
pub mod validation;
