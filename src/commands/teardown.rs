//! `kubefedctl teardown`: remove the control plane from the host cluster.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context as _;

use crate::cli::YesArgs;
use crate::commands::{Context, Outcome};
use crate::controlplane::resources::{self, Resource};
use crate::controlplane::teardown::{self, MemberAccess, TeardownOptions};
use crate::error;

/// Remove the control plane from the host cluster.
///
/// Deletes, in order: every federated object (the propagation engine deletes what it propagated,
/// or with --orphan leaves it in the members, unmanaged), the FederatedTypeConfigs and their CRDs,
/// each member registration (cleaning the member as unjoin does, through the kubeconfig context
/// that reaches it, then the credentials Secret and KubeFedCluster), the KubeFedConfig, the
/// control-plane CRDs and the kubefed namespace. Asks for confirmation on a terminal; requires
/// --yes otherwise. Exits 3 if some member could not be cleaned up.
///
/// Examples:
///   kubefedctl teardown
///   kubefedctl teardown --yes --orphan --host-cluster-context host
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub yes: YesArgs,

    /// Leave the objects the control plane propagated in the member clusters (annotate every
    /// federated object kubefed.io/orphan: "true" before deleting it)
    #[arg(long)]
    pub orphan: bool,
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
    let prompt = format!(
        "tear down the control plane in namespace {ns} of cluster {host_context} ({what})?"
    );
    if !ctx.printer.confirm(&prompt, args.yes.yes)? {
        return Err(error::failure("teardown cancelled: nothing was changed").into());
    }
    let members = member_clients(ctx, &host, &ns).await?;
    let opts = TeardownOptions {
        namespace: ns.clone(),
        orphan: args.orphan,
        host_label: host_context.clone(),
        release_timeout: Duration::from_secs(60),
        gone_timeout: Duration::from_secs(60),
    };
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

/// For each registered member, a client from the kubeconfig context that reaches its endpoint.
async fn member_clients(
    ctx: &Context,
    host: &kube::Client,
    ns: &str,
) -> anyhow::Result<BTreeMap<String, MemberAccess>> {
    let kubeconfig = ctx.kubeconfig()?;
    let contexts: Vec<(String, String)> = kubeconfig
        .context_names()
        .into_iter()
        .filter_map(|name| {
            let server = kubeconfig.config_for(Some(name)).ok()?.server;
            Some((name.to_string(), server))
        })
        .collect();
    let mut out = BTreeMap::new();
    for kfc in resources::list(host, &Resource::kubefed_cluster(), Some(ns)).await? {
        let name = kfc["metadata"]["name"].as_str().unwrap_or("").to_string();
        let endpoint = kfc["spec"]["apiEndpoint"].as_str().unwrap_or("");
        let access = match teardown::pick_context(&contexts, &name, endpoint) {
            Some(context) => kubeconfig
                .client_for(Some(&context))
                .await
                .map_err(|e| format!("{e:#}")),
            None => Err(format!(
                "no kubeconfig context reaches its apiEndpoint {endpoint}"
            )),
        };
        out.insert(name, access);
    }
    Ok(out)
}
