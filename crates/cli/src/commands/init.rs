//! `kubefedctl init`: install the control plane into the host cluster, or print its manifests.

use anyhow::Context as _;

use crate::cli::DryRunArgs;
use crate::commands::{Context, Outcome};
use crate::controlplane::install::{self, Scope};
use crate::controlplane::resources::{self, Resource};
use crate::controlplane::Change;
use crate::kubefed::KUBEFED_CONFIG_NAME;
use crate::output::ObjectFormat;

/// Install the control plane into the host cluster (or print its manifests)
///
/// Installs the kubefed namespace, the KubeFed CRDs (KubeFedCluster, KubeFedConfig,
/// FederatedTypeConfig, PropagatedVersion, ClusterPropagatedVersion, ReplicaSchedulingPreference),
/// the KubeFedConfig "kubefed" with every default filled, and the ten default federated types
/// (their FederatedTypeConfigs and Federated<Kind> CRDs). Objects are written with server-side
/// apply (field manager "kubefedctl") only when they differ from what is installed, so running init
/// again changes nothing and says "unchanged". Prints one line per object, as kubectl apply does.
/// With --enable-dns it also installs KubeFed's multi-cluster DNS CRDs (see `kubefedctl dns --help`).
///
/// Examples:
///   kubefedctl init
///   kubefedctl init --scope Namespaced --kubefed-namespace fed
///   kubefedctl init --enable-dns
///   kubefedctl init -o yaml > control-plane.yaml   # for GitOps; contacts no cluster
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Scope of the control plane: Cluster federates every namespace, Namespaced only the kubefed
    /// namespace [default: the installed control plane's, else Cluster]. Immutable once installed.
    #[arg(long, value_enum, ignore_case = true, value_name = "SCOPE")]
    pub scope: Option<Scope>,

    /// Install no federated type (enable types later with `kubefedctl enable`)
    #[arg(long)]
    pub no_default_types: bool,

    /// Also install KubeFed's multi-cluster DNS CRDs (Domain, ServiceDNSRecord, IngressDNSRecord,
    /// DNSEndpoint in multiclusterdns.kubefed.io); reconcile then writes DNSEndpoints for external-dns
    #[arg(long)]
    pub enable_dns: bool,

    /// Print every manifest in install order instead of installing (contacts no cluster)
    #[arg(short, long, value_enum, value_name = "FORMAT")]
    pub output: Option<ObjectFormat>,

    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let ns = ctx.kubefed_namespace();
    if let Some(format) = args.output {
        let scope = args.scope.unwrap_or(Scope::Cluster);
        let manifests = install::manifests(
            scope.as_str(),
            ns,
            !args.no_default_types,
            args.enable_dns,
            None,
        );
        ctx.printer.print_objects(&manifests, format)?;
        return Ok(Outcome::Success);
    }
    let host_context = ctx.host_context()?;
    let host = ctx.host_client().await?;
    let existing = resources::get(
        &host,
        &Resource::kubefed_config(),
        Some(ns),
        KUBEFED_CONFIG_NAME,
    )
    .await
    .with_context(|| format!("reading the control plane in cluster {host_context}"))?;
    let scope = install::resolve_scope(args.scope, existing.as_ref(), ns)?;
    let manifests = install::manifests(
        &scope,
        ns,
        !args.no_default_types,
        args.enable_dns,
        existing.as_ref(),
    );
    let dry_run = args.dry_run.dry_run;
    let printer = &ctx.printer;
    // One line per object, as kubectl apply prints; -q keeps a successful run silent.
    let mut report = |line: String| {
        if printer.is_quiet() {
            return;
        }
        // A closed stdout must not stop the installation half-way.
        let _ = printer.write_stdout(&format!("{line}\n"));
    };
    let done = install::install(
        &host,
        &manifests,
        dry_run,
        install::ESTABLISH_TIMEOUT,
        &mut report,
    )
    .await
    .with_context(|| format!("installing the control plane in cluster {host_context}"))?;
    let changed = done.iter().filter(|(_, c)| *c != Change::Unchanged).count();
    let summary = match (dry_run, changed) {
        (true, _) => format!("dry run: {changed} object(s) would change; nothing was written"),
        (false, 0) => format!(
            "control plane in namespace {ns} of cluster {host_context} is up to date (scope {scope})"
        ),
        (false, _) => format!(
            "control plane installed in namespace {ns} of cluster {host_context} (scope {scope})"
        ),
    };
    ctx.printer.status(&summary);
    Ok(Outcome::Success)
}
