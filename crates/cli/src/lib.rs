//! kubefedctl's commands: the command line (`cli`), one module per command (`commands`), what they print
//! (`output`), shell completions and generated man pages, logging, and the local test bed that `demo` and
//! the tests start. The binary (`src/main.rs` at the top of the workspace) only parses and dispatches.

pub mod cli;
pub mod commands;
pub mod completion;
#[doc(hidden)]
pub mod fuzzing;
pub mod generate;
pub mod logging;
pub mod output;
pub mod testbed;

// The layers below, under the paths the commands use for them.
pub use kubefedctl_apimachinery::{quantity, selector, validation};
pub use kubefedctl_core::{conversion, kubefed, planner};
pub use kubefedctl_engine::{
    controlplane, customization, engine, error, kubeconfig, managed_diff, typelookup, wait, yaml,
};
pub use kubefedctl_sandbox as sandbox;
