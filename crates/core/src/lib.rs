//! kubefedctl's pure core, which does no I/O: KubeFed's API types and type configs (`kubefed`), objects to
//! federated objects (`conversion`), placement, overrides, the replica scheduling planner, propagated
//! versions, and what a reconcile decides for one object in one cluster: the desired object (`desired`),
//! whether a member object matches it (`matching`), the action (`actions`) and the propagation statuses
//! (`status`). The engine (`kubefedctl::engine`) reads clusters and applies what these decide.

pub mod actions;
pub mod conversion;
pub mod desired;
pub mod kubefed;
pub mod matching;
pub mod overrides;
pub mod placement;
pub mod planner;
pub mod status;
pub mod versions;
