//! `kubefedctl sandbox up`: serve several independent clusters over HTTPS on loopback until SIGINT/SIGTERM.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::commands::{Context, Outcome};
use crate::error;
use crate::sandbox::{Sandbox, SandboxOptions};

/// Serve Kubernetes-API-compatible clusters on 127.0.0.1.
///
/// Each cluster has its own CA and admin token. The kubeconfig named by --kubeconfig is written
/// atomically (mode 0600) before `ready` is printed on stdout: one cluster, user and context per name,
/// current-context = the first name. Runs in the foreground until SIGINT or SIGTERM.
///
/// Example:
///   kubefedctl sandbox up --clusters host,member1,member2 --kubeconfig ./sandbox.kubeconfig
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The global --kubeconfig PATH is required here: it is where the kubeconfig is written.

A cluster is a bare API server, as a real one without nodes is: no pods run and no controller
creates ReplicaSets. With --workloads each one also simulates a node and the workload
controllers, so rollouts complete and Jobs finish, though no container runs.

Examples:
  kubefedctl sandbox up --clusters host,member1,member2 --kubeconfig ./sandbox.kubeconfig
  kubefedctl sandbox up --clusters host,member1 --workloads --kubeconfig ./sandbox.kubeconfig")]
pub struct Args {
    /// Cluster names, comma-separated (each a DNS-1123 label)
    #[arg(long, value_delimiter = ',', required = true, value_name = "NAMES")]
    pub clusters: Vec<String>,

    /// Keep state under DIR/<cluster> so it survives restarts (default: in memory)
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Port of the first cluster; the others take the following ports (default: free ports)
    #[arg(long, value_name = "P")]
    pub port: Option<u16>,

    /// Simulate a node and the workload controllers in each cluster: Deployments, ReplicaSets, StatefulSets,
    /// DaemonSets and Jobs get pods that become Running and Ready; no containers run
    #[arg(long)]
    pub workloads: bool,
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let Some(path) = ctx.global.kubeconfig.clone() else {
        return Err(error::usage(
            "sandbox up needs --kubeconfig PATH: the file to write the sandbox's kubeconfig to",
        )
        .with_hint(
            "kubefedctl sandbox up --clusters host,member1 --kubeconfig ./sandbox.kubeconfig",
        )
        .into());
    };
    for name in &args.clusters {
        let errs = crate::validation::is_dns1123_label(name);
        if !errs.is_empty() {
            return Err(error::invalid_input(format!(
                "invalid cluster name {name:?}: {}",
                errs.join("; ")
            ))
            .into());
        }
    }
    let sandbox = Sandbox::start(SandboxOptions {
        clusters: args.clusters.clone(),
        data_dir: args.data_dir.clone(),
        port: args.port,
        workloads: args.workloads,
    })
    .await
    .context("starting the sandbox")?;
    sandbox
        .write_kubeconfig(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    for name in sandbox.names() {
        if let Some(c) = sandbox.cluster(&name) {
            ctx.printer
                .info(&format!("cluster {name}: {}", c.server_url()));
        }
    }
    ctx.printer.info(&format!(
        "kubeconfig: {} (try: kubectl --kubeconfig {} get namespaces)",
        path.display(),
        path.display()
    ));
    for (name, old, new) in sandbox.moved() {
        ctx.printer.warn(&format!(
            "cluster {name} kept its state but port {old} is taken, so it now listens on {new}: \
             registrations made before (KubeFedCluster spec.apiEndpoint) point to the old port; \
             free it or pass --port P"
        ));
    }
    ctx.printer.write_stdout("ready\n")?;
    wait_for_signal().await?;
    ctx.printer.info("stopping");
    drop(sandbox);
    Ok(Outcome::Success)
}

async fn wait_for_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await?;
    Ok(())
}
