//! `kubefedctl join`: register a member cluster with the control plane.

use anyhow::Context as _;

use crate::cli::DryRunArgs;
use crate::commands::{Context, Outcome};
use crate::controlplane::join::{self, JoinNames, JoinRequest};
use crate::error;
use crate::validation;

/// Register a member cluster with the control plane
///
/// Creates in the member (context --cluster-context, default NAME) the kubefed namespace, the
/// ServiceAccount NAME-HOST with its token Secret, and RBAC for the control plane's scope; then in
/// the host a Secret holding only that token and the KubeFedCluster NAME pointing at the member's
/// API server (endpoint, CA, proxy and TLS settings from the member's kubeconfig entry). The host
/// can join itself. Nothing is written when a check fails.
///
/// Examples:
///   kubefedctl join member1 --cluster-context member1 --host-cluster-context host
///   kubefedctl join host --host-cluster-context host          # the host joins itself
///   kubefedctl join eu-1 --cluster-context gke-eu --label region=eu --dry-run
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Name of the member cluster (becomes the KubeFedCluster's name; a DNS-1123 subdomain)
    #[arg(value_name = "NAME", add = crate::completion::contexts())]
    pub name: String,

    /// Kubeconfig context of the member cluster [default: NAME]
    #[arg(long, value_name = "CTX", add = crate::completion::contexts())]
    pub cluster_context: Option<String>,

    /// Name of the host in the names created in the member, instead of the host context's name
    /// (required when that contains ':' or '/')
    #[arg(long, value_name = "N")]
    pub host_cluster_name: Option<String>,

    /// Name of the credentials Secret in the host [default: generated from NAME-]
    #[arg(long, value_name = "S")]
    pub secret_name: Option<String>,

    /// Fail when any object of the registration already exists; with false, reuse and update them
    #[arg(
        long,
        value_name = "BOOL",
        default_value_t = true,
        num_args = 0..=1,
        default_missing_value = "true",
        action = clap::ArgAction::Set
    )]
    pub error_on_existing: bool,

    /// Label of the KubeFedCluster, for clusterSelector placement (repeatable)
    #[arg(long = "label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,

    /// Grant the control plane in the member only what the enabled federated types need (their target
    /// types, namespaces, /healthz) instead of KubeFed's role that allows everything; enable and disable
    /// then keep the member's role in step (recommended)
    #[arg(long)]
    pub least_privilege: bool,

    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    join::validate_cluster_name(&args.name)?;
    let labels = join::parse_labels(&args.labels)?;
    if let Some(secret) = &args.secret_name {
        let errs = validation::is_dns1123_subdomain(secret);
        if !errs.is_empty() {
            return Err(error::invalid_input(format!(
                "invalid --secret-name \"{secret}\": {}",
                errs.join("; ")
            ))
            .into());
        }
    }
    let host_context = ctx.host_context()?;
    let host_name = join::host_name(args.host_cluster_name.as_deref(), &host_context)?;
    let names = JoinNames::new(&args.name, &host_name, ctx.kubefed_namespace());
    names.validate()?;
    let member_context = args.cluster_context.as_deref().unwrap_or(&args.name);
    let kubeconfig = ctx.kubeconfig()?;
    let member_config = kubeconfig.config_for(Some(member_context))?;
    let host = ctx.host_client().await?;
    let member = kubeconfig.client_for(Some(member_context)).await?;
    let request = JoinRequest {
        names,
        member: member_config,
        secret_name: args.secret_name.clone(),
        error_on_existing: args.error_on_existing,
        labels,
        dry_run: args.dry_run.dry_run,
        token_timeout: join::TOKEN_TIMEOUT,
        least_privilege: args.least_privilege,
    };
    let printer = &ctx.printer;
    // One line per object, as kubectl apply prints; -q keeps a successful run silent.
    let mut report = |line: String| {
        if printer.is_quiet() {
            return;
        }
        let _ = printer.write_stdout(&format!("{line}\n"));
    };
    join::join(&host, &member, &request, &mut report)
        .await
        .with_context(|| format!("joining cluster {} to host {host_context}", args.name))?;
    if request.dry_run {
        ctx.printer.status(&format!(
            "dry run: cluster {} was not joined; nothing was written",
            args.name
        ));
    } else {
        ctx.printer.status(&format!("cluster {} joined", args.name));
    }
    Ok(Outcome::Success)
}
