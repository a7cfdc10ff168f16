//! The command line's shape: the root clap struct, the global flags and the subcommand enum.

use std::ffi::{OsStr, OsString};
use std::path::Path;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::commands;
use crate::completion;
use crate::output::OutputFormat;

/// Default namespace of the control plane, as in KubeFed.
pub const DEFAULT_KUBEFED_NAMESPACE: &str = "kube-federation-system";

/// Version with the git commit (or why it is unknown: see `build.rs`), shown by `--version`; generated
/// files use the bare version so they stay identical across commits.
pub const VERSION: &str = concat!(
    "v",
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("KUBEFEDCTL_COMMIT_TEXT"),
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

impl Cli {
    /// Parses a command line whose first item is the program as it was invoked. Run as the kubectl plugin
    /// `kubectl-kubefed` (kubectl passes the plugin's path as that item), usage and errors name the command
    /// the user typed, `kubectl kubefed`; otherwise clap names the program after its file, as usual.
    pub fn parse_invocation<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let mut command = Cli::command();
        if let Some(name) = args
            .first()
            .and_then(|program| kubectl_plugin_name(program))
        {
            command = command.bin_name(name);
        }
        let mut matches = command.try_get_matches_from_mut(args)?;
        Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command))
    }
}

/// `kubectl kubefed` for a program file named `kubectl-kubefed` (any directory, `.exe` or not): kubectl runs
/// `kubectl-a-b_c` for `kubectl a b-c`. `None` for any other name.
pub fn kubectl_plugin_name(program: &OsStr) -> Option<String> {
    let file = Path::new(program).file_name()?.to_str()?;
    let file = file.strip_suffix(".exe").unwrap_or(file);
    let words = file.strip_prefix("kubectl-").filter(|w| !w.is_empty())?;
    Some(format!(
        "kubectl {}",
        words.replace('-', " ").replace('_', "-")
    ))
}

/// Flags every subcommand accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)
    #[arg(long, global = true, help_heading = "Global options", value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub kubeconfig: Option<std::path::PathBuf>,

    /// Kubeconfig context of the cluster hosting the control plane (default: the current context)
    #[arg(long, global = true, help_heading = "Global options", value_name = "CTX", add = completion::contexts())]
    pub host_cluster_context: Option<String>,

    /// Namespace of the control plane
    #[arg(long, global = true, help_heading = "Global options", value_name = "NS", default_value = DEFAULT_KUBEFED_NAMESPACE,
          add = completion::namespaces())]
    pub kubefed_namespace: String,

    /// Say more about what is happening: -v the passes, listings and their timings, -vv each object,
    /// cluster and write, -vvv also the HTTP requests (KUBEFEDCTL_LOG=<filter> replaces the levels)
    #[arg(short, long, global = true, help_heading = "Global options", action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Print only data and errors
    #[arg(short, long, global = true, help_heading = "Global options")]
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
    // Its help, summary and long description with examples, is the doc comment of its Args.
    Init(commands::init::Args),
    // Its help, summary and long description with examples, is the doc comment of its Args.
    Teardown(commands::teardown::Args),
    // Its help, summary and long description with examples, is the doc comment of its Args.
    Join(commands::join::Args),
    // Its help, summary and long description with examples, is the doc comment of its Args.
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
    // The one-line help is the first line of the `Args` doc comment.
    Dns(commands::dns::Args),
    /// Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests
    Sandbox(commands::sandbox::Args),
    /// Run the KubeFed quick start end to end on in-process sandbox clusters
    Demo(commands::demo::Args),
    // The one-line help is the first line of the `Args` doc comment.
    Completions(commands::completions::Args),
    /// Print the version and git commit of kubefedctl
    Version(commands::version::Args),
}

impl Command {
    /// Whether the command runs until it is stopped (`reconcile --watch`, `sandbox up`), holding what it
    /// caches or serves for days, rather than doing one job and exiting.
    pub fn runs_until_stopped(&self) -> bool {
        match self {
            Command::Reconcile(a) => a.watch,
            Command::Sandbox(_) => true,
            _ => false,
        }
    }
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
    fn kubectl_plugin_file_names_become_the_kubectl_command() {
        let name = |p: &str| kubectl_plugin_name(OsStr::new(p));
        assert_eq!(name("kubectl-kubefed").as_deref(), Some("kubectl kubefed"));
        assert_eq!(
            name("/home/u/.krew/bin/kubectl-kubefed").as_deref(),
            Some("kubectl kubefed")
        );
        assert_eq!(
            name("kubectl-kubefed.exe").as_deref(),
            Some("kubectl kubefed")
        );
        assert_eq!(
            name("kubectl-fed-ctl_x").as_deref(),
            Some("kubectl fed ctl-x")
        );
        assert_eq!(name("kubefedctl"), None);
        assert_eq!(name("/usr/bin/kubectl"), None);
        assert_eq!(name("kubectl-"), None);
    }

    #[test]
    fn usage_names_kubectl_kubefed_when_run_as_the_plugin() {
        let err = Cli::parse_invocation(["/opt/bin/kubectl-kubefed", "join", "--frobnicate"])
            .unwrap_err();
        let text = err.render().to_string();
        assert!(
            text.contains("Usage: kubectl kubefed join [OPTIONS] <NAME>"),
            "{text}"
        );
        let err = Cli::parse_invocation(["kubefedctl", "join", "--frobnicate"]).unwrap_err();
        assert!(err.render().to_string().contains("Usage: kubefedctl join"));
        let cli = Cli::parse_invocation(["kubectl-kubefed", "version", "-q"]).unwrap();
        assert!(cli.global.quiet);
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

    #[test]
    fn only_watching_and_serving_run_until_stopped() {
        let runs = |args: &[&str]| {
            let mut argv = vec!["kubefedctl"];
            argv.extend(args);
            Cli::try_parse_from(argv)
                .unwrap()
                .command
                .runs_until_stopped()
        };
        assert!(runs(&["reconcile", "--watch"]));
        assert!(runs(&["sandbox", "up", "--clusters", "host,member1"]));
        assert!(!runs(&["reconcile", "--once"]));
        assert!(!runs(&["diff"]));
        assert!(!runs(&["demo"]));
    }
}
