//! `kubefedctl sandbox …`: local, Docker-free Kubernetes-API clusters.

use clap::Subcommand;

use super::{Context, Outcome};

pub mod up;

/// Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: SandboxCommand,
}

#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them
    Up(up::Args),
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    match &args.command {
        SandboxCommand::Up(a) => up::run(ctx, a).await,
    }
}
