//! `kubefedctl orphaning-deletion disable`.

use super::{set, ObjectArgs};
use crate::cli::DryRunArgs;
use crate::commands::{Context, Outcome};

/// Delete member-cluster objects together with the federated object again (the default).
///
/// Removes the annotation kubefed.io/orphan.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  kubefedctl orphaning-deletion disable fdeploy web -n shop")]
pub struct Args {
    #[command(flatten)]
    pub object: ObjectArgs,

    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    set(ctx, &args.object, false, args.dry_run.dry_run).await
}
