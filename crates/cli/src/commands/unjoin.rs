//! `kubefedctl unjoin`: remove a member cluster's registration and what join created in it.

use anyhow::Context as _;

use crate::cli::DryRunArgs;
use crate::commands::{Context, Outcome};
use crate::controlplane::join::{self, JoinNames};
use crate::controlplane::resources::{self, Resource};
use crate::controlplane::unjoin;

/// Remove a member cluster from the control plane
///
/// Deletes in the member (context --cluster-context, default NAME) the RBAC, ServiceAccount and
/// token Secret join created, and the kubefed namespace unless the member is the host itself; then
/// in the host the credentials Secret and the KubeFedCluster NAME. The stored token stops working.
///
/// The objects propagated to the member stay, released: the kubefed.io/managed label (and the
/// adoption record) is removed, so nothing there still looks managed; with --delete-managed they are
/// deleted instead, except adopted ones (objects that existed before they were federated). It says
/// how many of each.
///
/// Examples:
///   kubefedctl unjoin member1 --cluster-context member1 --host-cluster-context host
///   kubefedctl unjoin member1 --force     # also when the member is gone for good
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Name of the member cluster (its KubeFedCluster's name)
    #[arg(value_name = "NAME", add = crate::completion::clusters())]
    pub name: String,

    /// Kubeconfig context of the member cluster [default: NAME]
    #[arg(long, value_name = "CTX", add = crate::completion::contexts())]
    pub cluster_context: Option<String>,

    /// The --host-cluster-name the cluster was joined with
    #[arg(long, value_name = "N")]
    pub host_cluster_name: Option<String>,

    /// Remove the registration from the host even if the member cannot be reached or cleaned up
    #[arg(long)]
    pub force: bool,

    /// Delete the objects the control plane propagated to the member (adopted ones excepted) instead of
    /// releasing them
    #[arg(long)]
    pub delete_managed: bool,

    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    join::validate_cluster_name(&args.name)?;
    let host_context = ctx.host_context()?;
    let host_name = join::host_name(args.host_cluster_name.as_deref(), &host_context)?;
    let ns = ctx.kubefed_namespace();
    let dry_run = args.dry_run.dry_run;
    let host = ctx.host_client().await?;
    let kfc = resources::get(&host, &Resource::kubefed_cluster(), Some(ns), &args.name)
        .await
        .with_context(|| format!("reading the registration in cluster {host_context}"))?;
    if kfc.is_none() && !args.force {
        return Err(unjoin::missing_cluster_error(ns, &args.name).into());
    }
    let printer = &ctx.printer;
    let mut report = |line: String| {
        let _ = printer.write_stdout(&format!("{line}\n"));
    };
    let names = JoinNames::new(&args.name, &host_name, ns);
    let member_context = args.cluster_context.as_deref().unwrap_or(&args.name);
    let member = ctx.kubeconfig()?.client_for(Some(member_context)).await;
    let mut failures = Vec::new();
    match member {
        Ok(member) => {
            let ftcs = resources::list(&host, &Resource::federated_type_config(), Some(ns))
                .await
                .with_context(|| {
                    format!("reading the federated types in cluster {host_context}")
                })?;
            match unjoin::release_managed(&member, &ftcs, args.delete_managed, dry_run).await {
                Ok(managed) => ctx.printer.info(&managed.summary(&args.name, dry_run)),
                Err(e) if args.force => failures.push(crate::error::chain_text(&e)),
                Err(e) => {
                    return Err(e.context(format!(
                        "releasing the managed objects in cluster {}",
                        args.name
                    )))
                }
            }
            failures.extend(
                unjoin::clean_member(&member, &host, &names, dry_run, args.force, &mut report)
                    .await
                    .with_context(|| format!("cleaning up cluster {}", args.name))?,
            );
        }
        Err(e) if args.force => {
            failures.push(crate::error::chain_text(&e));
        }
        Err(e) => return Err(e),
    }
    for failure in &failures {
        ctx.printer.warn(&format!(
            "cluster {}: member cleanup incomplete: {failure}",
            args.name
        ));
    }
    match &kfc {
        Some(kfc) => {
            unjoin::remove_registration(&host, kfc, &host_name, dry_run, &mut report).await?
        }
        None => ctx.printer.warn(&format!(
            "no KubeFedCluster \"{ns}/{}\" in the host: only the member was cleaned up",
            args.name
        )),
    }
    if dry_run {
        ctx.printer.status(&format!(
            "dry run: cluster {} was not unjoined; nothing was written",
            args.name
        ));
    } else {
        ctx.printer
            .status(&format!("cluster {} unjoined", args.name));
    }
    Ok(if failures.is_empty() {
        Outcome::Success
    } else {
        Outcome::Partial
    })
}
