//! `kubefedctl orphaning-deletion status`.

use super::{is_orphaning_enabled, load, ObjectArgs};
use crate::commands::{Context, Outcome};

/// Print whether deleting a federated object leaves its member-cluster objects in place.
///
/// Prints exactly `Enabled` (the annotation kubefed.io/orphan is "true") or `Disabled`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  kubefedctl orphaning-deletion status FederatedDeployment web -n shop"
)]
pub struct Args {
    #[command(flatten)]
    pub object: ObjectArgs,
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let fed = load(ctx, &args.object).await?;
    let state = if is_orphaning_enabled(&fed.object) {
        "Enabled"
    } else {
        "Disabled"
    };
    ctx.printer.write_stdout(&format!("{state}\n"))?;
    Ok(Outcome::Success)
}
