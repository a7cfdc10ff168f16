//! kubefedctl's pure core, which does no I/O: KubeFed's API types and type configs (`kubefed`), objects to
//! federated objects (`conversion`), placement, overrides, the replica scheduling planner and propagated
//! versions. The engine (`kubefedctl::engine`) reads clusters and applies what these decide.

pub mod conversion;
pub mod kubefed;
pub mod overrides;
pub mod placement;
pub mod planner;
pub mod versions;
