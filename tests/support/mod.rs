//! The test support every integration test (and the benches, through `#[path]`) shares, one module per
//! idea: in-process sandbox clusters ([`sandbox`]), clusters on every backend ([`backends`]), the engine's
//! control-plane fixture ([`engine`]), running the binary ([`process`]), talking to a cluster ([`api`]),
//! polling ([`poll`]) and the outside clients the suite drives ([`clients`]). Everything is re-exported
//! here, so a test says `use support::*` or names what it uses.
//!
//! Each test crate compiles this module whole and uses only part of it, hence the `dead_code` allowance
//! (and `unused_imports` for the re-exports alone).
#![allow(dead_code)]

pub mod api;
pub mod backends;
pub mod clients;
pub mod engine;
pub mod poll;
pub mod process;
pub mod sandbox;

// Re-exports a test crate does not use are not a mistake: see above.
#[allow(unused_imports)]
pub use api::*;
#[allow(unused_imports)]
pub use backends::*;
#[allow(unused_imports)]
pub use clients::*;
#[allow(unused_imports)]
pub use engine::*;
#[allow(unused_imports)]
pub use poll::*;
#[allow(unused_imports)]
pub use process::*;
#[allow(unused_imports)]
pub use sandbox::*;
