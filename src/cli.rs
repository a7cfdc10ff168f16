//! The command line's shape: the root clap struct, the global flags and the subcommand enum.

use clap::{Args, Parser, Subcommand};

use crate::commands;
use crate::output::OutputFormat;

/// Default namespace of the control plane, as in KubeFed.
pub const DEFAULT_KUBEFED_NAMESPACE: &str = "kube-federation-system";

/// Version with the git commit, shown by `--version`; generated files use the bare version so they
/// stay identical across commits.
pub const VERSION: &str = concat!(
    "v",
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("KUBEFEDCTL_GIT_COMMIT"),
    ")"
);

/// Federate Kubernetes clusters with KubeFed's API objects and no control plane to deploy.
///
/// kubefedctl reads and writes the same objects as Kubernetes Cluster Federation (KubeFedCluster,
/// FederatedTypeConfig, Federated<Kind>, ReplicaSchedulingPreference, ...) and propagates them to member
/// clusters with an embedded engine instead of a controller deployment.
#[derive(Debug, Parser)]
#[command(
    name = "kubefedctl",
    version = VERSION,
    arg_required_else_help = true,
    after_help = "Try it on local clusters first: kubefedctl demo",
    propagate_version = false,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<std::path::PathBuf>,

    /// Kubeconfig context of the cluster hosting the control plane (default: the current context)
    #[arg(long, global = true, value_name = "CTX")]
    pub host_cluster_context: Option<String>,

    /// Namespace of the control plane
    #[arg(long, global = true, value_name = "NS", default_value = DEFAULT_KUBEFED_NAMESPACE)]
    pub kubefed_namespace: String,

    /// Say more about what is happening (repeat for more detail)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Print only data and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

impl Default for GlobalArgs {
    fn default() -> Self {
        GlobalArgs {
            kubeconfig: None,
            host_cluster_context: None,
            kubefed_namespace: DEFAULT_KUBEFED_NAMESPACE.to_string(),
            verbose: 0,
            quiet: false,
        }
    }
}

/// The subcommands. Adding one: a variant here, a dispatch line and a `mod` line in `commands/mod.rs`.
#[derive(Debug, Subcommand)]
pub enum Command {
    // In the order of a federation's life: set up, register clusters, choose types, federate, propagate,
    // inspect; then the local tools.
    /// Install the control plane into the host cluster (or print its manifests)
    Init(commands::init::Args),
    /// Remove the control plane from the host cluster
    Teardown(commands::teardown::Args),
    /// Register a member cluster with the control plane
    Join(commands::join::Args),
    /// Remove a member cluster from the control plane
    Unjoin(commands::unjoin::Args),
    /// List member clusters, checking their health now
    Clusters(commands::clusters::Args),
    // The one-line help of these commands is the first line of their `Args` doc comment, so that `--help`
    // shows the whole comment with its examples.
    Enable(commands::enable::Args),
    Disable(commands::disable::Args),
    Federate(commands::federate::Args),
    /// Keep or delete member-cluster objects when a federated object is deleted
    OrphaningDeletion(commands::orphaning_deletion::Args),
    /// Propagate federated objects to member clusters (--once, or --watch until stopped)
    Reconcile(commands::reconcile::Args),
    /// Show where federated objects are propagated, one row per object × cluster
    Status(commands::status::Args),
    /// Show what the next reconcile would change in each member, as unified diffs
    Diff(commands::diff::Args),
    /// Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests
    Sandbox(commands::sandbox::Args),
    /// Run the KubeFed quick start end to end on in-process sandbox clusters
    Demo(commands::demo::Args),
    /// Print a shell completion script to stdout
    Completions(commands::completions::Args),
    /// Print the version and git commit of kubefedctl
    Version(commands::version::Args),
}

/// `-o/--output` for listing commands.
#[derive(Debug, Clone, Copy, Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table, value_name = "FORMAT")]
    pub output: OutputFormat,
}

/// `--dry-run` for mutating commands.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct DryRunArgs {
    /// Send no write request; say what would be done
    #[arg(long)]
    pub dry_run: bool,
}

/// `--yes` for destructive commands.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct YesArgs {
    /// Do not ask for confirmation (required when stdin is not a terminal)
    #[arg(short, long)]
    pub yes: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_are_accepted_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "kubefedctl",
            "version",
            "--kubeconfig",
            "/tmp/kc",
            "--host-cluster-context",
            "host",
            "--kubefed-namespace",
            "fed",
            "-vv",
        ])
        .unwrap();
        assert_eq!(
            cli.global.kubeconfig.as_deref(),
            Some(std::path::Path::new("/tmp/kc"))
        );
        assert_eq!(cli.global.host_cluster_context.as_deref(), Some("host"));
        assert_eq!(cli.global.kubefed_namespace, "fed");
        assert_eq!(cli.global.verbose, 2);
    }

    #[test]
    fn kubefed_namespace_defaults_to_kube_federation_system() {
        let cli = Cli::try_parse_from(["kubefedctl", "version"]).unwrap();
        assert_eq!(cli.global.kubefed_namespace, "kube-federation-system");
        assert!(!cli.global.quiet);
    }

    #[test]
    fn quiet_and_verbose_conflict() {
        let err = Cli::try_parse_from(["kubefedctl", "-q", "-v", "version"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn unknown_output_format_is_rejected() {
        #[derive(Debug, Parser)]
        struct Probe {
            #[command(flatten)]
            output: OutputArgs,
        }
        let err = Probe::try_parse_from(["probe", "-o", "xml"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
        let ok = Probe::try_parse_from(["probe", "-o", "wide"]).unwrap();
        assert_eq!(ok.output.output, OutputFormat::Wide);
    }
}
