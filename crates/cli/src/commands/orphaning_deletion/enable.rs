//! `kubefedctl orphaning-deletion enable`.

use super::{set, ObjectArgs};
use crate::cli::DryRunArgs;
use crate::commands::{Context, Outcome};

/// Mark a federated object so that deleting it leaves its member-cluster objects in place.
///
/// Adds the annotation kubefed.io/orphan: "true". When the federated object is then deleted, the objects
/// it propagated stay in the member clusters, without the kubefed.io/managed label.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  kubefedctl orphaning-deletion enable FederatedDeployment web -n shop"
)]
pub struct Args {
    #[command(flatten)]
    pub object: ObjectArgs,

    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    set(ctx, &args.object, true, args.dry_run.dry_run).await
}
