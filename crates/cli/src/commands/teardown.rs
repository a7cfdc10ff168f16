//! `kubefedctl teardown`: remove the control plane from the host cluster.

use std::time::Duration;

use anyhow::Context as _;

use crate::cli::{DryRunArgs, YesArgs};
use crate::commands::{Context, Outcome};
use crate::controlplane::teardown::{self, TeardownOptions};
use crate::error;

/// Remove the control plane from the host cluster
///
/// Deletes, in order: every federated object (the propagation engine deletes what it propagated,
/// or with --orphan leaves it in the members, unmanaged), the FederatedTypeConfigs and their CRDs,
/// each member registration (cleaning the member as unjoin does, through the kubeconfig context
/// that reaches it, then the credentials Secret and KubeFedCluster), the KubeFedConfig, the
/// control-plane CRDs and the kubefed namespace. Exits 3 if some member could not be cleaned up.
///
/// First it counts, per member cluster, the objects it would delete and those it would release
/// (unlabel and leave in place): orphaned ones, managed objects no federated object owns, and adopted
/// ones — objects that existed before they were federated, such as the host's own originals when the
/// host is joined as a member, which are never deleted unless --delete-adopted is given. That summary
/// is shown before the confirmation (asked on a terminal; --yes otherwise, and the summary then goes
/// to stderr). --dry-run shows it and every object that would be removed, and changes nothing.
///
/// Examples:
///   kubefedctl teardown --dry-run
///   kubefedctl teardown
///   kubefedctl teardown --yes --orphan --host-cluster-context host
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub yes: YesArgs,

    #[command(flatten)]
    pub dry_run: DryRunArgs,

    /// Leave the objects the control plane propagated in the member clusters (annotate every
    /// federated object kubefed.io/orphan: "true" before deleting it)
    #[arg(long)]
    pub orphan: bool,

    /// Also delete adopted member objects (those that existed before they were federated, such as the
    /// host's own originals), which are otherwise released
    #[arg(long, conflicts_with = "orphan")]
    pub delete_adopted: bool,
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let ns = ctx.kubefed_namespace().to_string();
    let host_context = ctx.host_context()?;
    let what = if args.orphan {
        "leaving what it propagated in the members"
    } else {
        "deleting what it propagated to the members"
    };
    let host = ctx.host_client().await?;
    if !teardown::control_plane_present(&host, &ns).await? {
        ctx.printer.status(&format!(
            "no control plane in namespace {ns} of cluster {host_context}: nothing to remove"
        ));
        ctx.printer.info(
            "hint: if this cluster is a member, `kubefedctl unjoin` removes what join created in it",
        );
        return Ok(Outcome::Success);
    }
    let opts = TeardownOptions {
        namespace: ns.clone(),
        orphan: args.orphan,
        host_label: host_context.clone(),
        release_timeout: Duration::from_secs(60),
        gone_timeout: Duration::from_secs(60),
        delete_adopted: args.delete_adopted,
    };
    let plan = teardown::plan(&host, &opts, args.delete_adopted)
        .await
        .with_context(|| {
            format!("counting what teardown would remove from cluster {host_context}")
        })?;
    for line in plan.summary_lines(args.delete_adopted) {
        ctx.printer.info(&line);
    }
    if args.dry_run.dry_run {
        let printer = &ctx.printer;
        for line in teardown::dry_run_lines(&host, &opts).await? {
            if printer.write_stdout(&format!("{line}\n")).is_err() {
                break;
            }
        }
        ctx.printer.info("dry run: nothing was changed");
        return Ok(Outcome::Success);
    }
    let prompt = format!(
        "tear down the control plane in namespace {ns} of cluster {host_context} ({what})?"
    );
    if !ctx.printer.confirm(&prompt, args.yes.yes)? {
        // Saying no is an answer, not an error: no `Error:` line, and exit 1 since nothing was done.
        ctx.printer.info("teardown cancelled: nothing was changed");
        return Ok(Outcome::Failed);
    }
    let members = ctx.member_clients(&host, &ns).await?;
    let printer = &ctx.printer;
    let mut report = |line: String| {
        let _ = printer.write_stdout(&format!("{line}\n"));
    };
    let outcome = teardown::teardown(&host, &opts, &members, &mut report)
        .await
        .with_context(|| format!("tearing down the control plane in cluster {host_context}"))?;
    for object in &outcome.released_without_engine {
        ctx.printer.warn(&format!(
            "{object} was not released by the propagation engine in time: its finalizer was removed and \
             the objects it propagated were left in the member clusters"
        ));
    }
    if !outcome.member_failures.is_empty() {
        for (cluster, why) in &outcome.member_failures {
            ctx.printer
                .warn(&format!("cluster {cluster}: member cleanup failed: {why}"));
        }
        let clusters: Vec<&str> = outcome
            .member_failures
            .iter()
            .map(|(c, _)| c.as_str())
            .collect();
        return Err(error::partial(format!(
            "control plane removed from cluster {host_context}, but {} member cluster(s) could not be cleaned up: {}",
            clusters.len(),
            clusters.join(", ")
        ))
        .with_hint(format!(
            "in each of them delete the ServiceAccount and namespace {ns} and the kubefed-controller-manager:* roles and bindings"
        ))
        .into());
    }
    ctx.printer.status(&format!(
        "control plane removed from namespace {ns} of cluster {host_context}"
    ));
    Ok(Outcome::Success)
}
