//! The subcommands, one file each, and the dispatch from a parsed command line to them.
//!
//! Adding a command is three lines:
//! 1. `pub mod <verb>;` below, with `commands/<verb>.rs` holding `pub struct Args` (clap derive;
//!    doc comments are the help text) and `pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome>`;
//! 2. a variant `<Verb>(commands::<verb>::Args)` in `cli::Command` (its doc comment is the one-line help);
//! 3. `Command::<Verb>(args) => <verb>::run(ctx, args).await,` in [`run_cluster_command`].
//!
//! Then refresh the generated files: `KUBEFEDCTL_BLESS=1 cargo test --test cli`.
//! Commands talk to clusters through [`Context::kubeconfig`]/[`Context::host_client`], print only
//! through [`Context::printer`], and report failures as `anyhow::Error` (see `crate::error` for the
//! kinds that choose the exit code) or a non-success [`Outcome`].

use std::sync::OnceLock;

use crate::cli::{Command, GlobalArgs};
use crate::error;
use crate::kubeconfig::Kubeconfig;
use crate::output::Printer;

pub mod clusters;
pub mod completions;
pub mod demo;
pub mod diff;
pub mod disable;
pub mod dns;
pub mod enable;
pub mod federate;
pub mod init;
pub mod join;
pub mod orphaning_deletion;
pub mod reconcile;
pub mod sandbox;
pub mod status;
pub mod teardown;
pub mod unjoin;
pub mod version;

/// How a command that ran to the end went; chooses the exit code when no error was returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything done (or, for `reconcile --once`, converged; for `diff`, no differences). Exit 0.
    Success,
    /// `diff` found differences. Exit 1, as `kubectl diff`.
    DiffFound,
    /// The command finished but did not achieve its goal (e.g. `demo` did not propagate). Exit 1.
    Failed,
    /// Some clusters or objects failed, the rest succeeded. Exit 3.
    Partial,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => error::EXIT_SUCCESS,
            Outcome::DiffFound | Outcome::Failed => error::EXIT_FAILURE,
            Outcome::Partial => error::EXIT_PARTIAL,
        }
    }
}

/// What every command gets: the global flags, the printer, and the kubeconfig, read on first use.
#[derive(Debug)]
pub struct Context {
    pub global: GlobalArgs,
    pub printer: Printer,
    kubeconfig: OnceLock<Kubeconfig>,
}

impl Context {
    /// After the enabled types changed: brings the role of every member joined with `--least-privilege`
    /// in step (through the operator's kubeconfig), printing a line per role. A member that cannot be
    /// reached that way is warned about, and the outcome is partial (exit 3).
    pub async fn refresh_member_roles(
        &self,
        host: &kube::Client,
        dry_run: bool,
    ) -> anyhow::Result<Outcome> {
        let ns = self.kubefed_namespace();
        let members = self.member_clients(host, ns).await?;
        let printer = &self.printer;
        let mut report = |line: String| {
            if !printer.is_quiet() {
                let _ = printer.write_stdout(&format!("{line}\n"));
            }
        };
        let failures = crate::controlplane::join::refresh_least_privilege_roles(
            host,
            ns,
            &members,
            dry_run,
            &mut report,
        )
        .await?;
        for (cluster, why) in &failures {
            self.printer.problem(&format!(
                "cluster {cluster}: its least-privilege role was not updated ({why}); objects of the \
                 types it lacks are not propagated there until it is — run `kubefedctl join {cluster} \
                 --least-privilege --error-on-existing=false` with a context that reaches it"
            ));
        }
        Ok(if failures.is_empty() {
            Outcome::Success
        } else {
            Outcome::Partial
        })
    }
    /// For each registered member, a client from the operator's kubeconfig context that reaches its
    /// `apiEndpoint` (the context named like the cluster first), or why there is none. For what the
    /// stored credentials cannot do: cleaning a member up, changing its role.
    pub async fn member_clients(
        &self,
        host: &kube::Client,
        ns: &str,
    ) -> anyhow::Result<
        std::collections::BTreeMap<String, crate::controlplane::teardown::MemberAccess>,
    > {
        use crate::controlplane::resources::{self, Resource};
        let kubeconfig = self.kubeconfig()?;
        let contexts: Vec<(String, String)> = kubeconfig
            .context_names()
            .into_iter()
            .filter_map(|name| {
                let server = kubeconfig.config_for(Some(name)).ok()?.server;
                Some((name.to_string(), server))
            })
            .collect();
        let mut out = std::collections::BTreeMap::new();
        for kfc in resources::list(host, &Resource::kubefed_cluster(), Some(ns)).await? {
            let name = kfc["metadata"]["name"].as_str().unwrap_or("").to_string();
            let endpoint = kfc["spec"]["apiEndpoint"].as_str().unwrap_or("");
            let access =
                match crate::controlplane::teardown::pick_context(&contexts, &name, endpoint) {
                    Some(context) => kubeconfig
                        .client_for(Some(&context))
                        .await
                        .map_err(|e| crate::error::chain_text(&e)),
                    None => Err(format!(
                        "no kubeconfig context reaches its apiEndpoint {endpoint}"
                    )),
                };
            out.insert(name, access);
        }
        Ok(out)
    }
    pub fn new(global: GlobalArgs, printer: Printer) -> Self {
        Context {
            global,
            printer,
            kubeconfig: OnceLock::new(),
        }
    }

    /// A context over an already loaded kubeconfig (tests, the demo's in-process sandbox).
    pub fn with_kubeconfig(global: GlobalArgs, printer: Printer, kubeconfig: Kubeconfig) -> Self {
        let ctx = Context::new(global, printer);
        ctx.kubeconfig
            .set(kubeconfig)
            .expect("a fresh context has no kubeconfig");
        ctx
    }

    /// The kubeconfig chosen by `--kubeconfig`/`$KUBECONFIG`/`~/.kube/config`, read once.
    pub fn kubeconfig(&self) -> anyhow::Result<&Kubeconfig> {
        if let Some(kc) = self.kubeconfig.get() {
            return Ok(kc);
        }
        let loaded = Kubeconfig::load(self.global.kubeconfig.as_deref())?;
        self.printer
            .debug(1, &format!("kubeconfig: {:?}", loaded.source()));
        Ok(self.kubeconfig.get_or_init(|| loaded))
    }

    /// The host cluster's context name: `--host-cluster-context`, else the current context.
    pub fn host_context(&self) -> anyhow::Result<String> {
        Ok(self
            .kubeconfig()?
            .resolve_context(self.global.host_cluster_context.as_deref())?
            .to_string())
    }

    /// The API client of the host cluster.
    pub async fn host_client(&self) -> anyhow::Result<kube::Client> {
        self.kubeconfig()?
            .client_for(self.global.host_cluster_context.as_deref())
            .await
    }

    /// The control plane's namespace (`--kubefed-namespace`).
    pub fn kubefed_namespace(&self) -> &str {
        &self.global.kubefed_namespace
    }
}

/// Runs a parsed command. Local commands answer without an async runtime or a kubeconfig.
pub fn run(ctx: &Context, command: &Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Version(args) => version::run(ctx, args),
        Command::Completions(args) => completions::run(ctx, args),
        cluster_command => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(run_cluster_command(ctx, cluster_command)),
    }
}

/// The commands that need the async runtime: one line each.
async fn run_cluster_command(ctx: &Context, command: &Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Version(_) | Command::Completions(_) => {
            unreachable!("local commands are answered by `run`")
        }
        Command::Init(args) => init::run(ctx, args).await,
        Command::Teardown(args) => teardown::run(ctx, args).await,
        Command::Join(args) => join::run(ctx, args).await,
        Command::Unjoin(args) => unjoin::run(ctx, args).await,
        Command::Sandbox(args) => sandbox::run(ctx, args).await,
        Command::Enable(args) => enable::run(ctx, args).await,
        Command::Disable(args) => disable::run(ctx, args).await,
        Command::Federate(args) => federate::run(ctx, args).await,
        Command::OrphaningDeletion(args) => orphaning_deletion::run(ctx, args).await,
        Command::Reconcile(args) => reconcile::run(ctx, args).await,
        Command::Status(args) => status::run(ctx, args).await,
        Command::Clusters(args) => clusters::run(ctx, args).await,
        Command::Diff(args) => diff::run(ctx, args).await,
        Command::Dns(args) => dns::run(ctx, args).await,
        Command::Demo(args) => demo::run(ctx, args).await,
    }
}

/// Discovers the host and resolves `name` (see [`crate::typelookup::ApiDiscovery::lookup`]); discovery failures that did not
/// prevent a match are reported as warnings.
pub(crate) async fn resolve_type(
    client: &kube::Client,
    printer: &crate::output::Printer,
    name: &str,
    version: Option<&str>,
) -> anyhow::Result<(
    crate::kubefed::typeconfig::TargetType,
    crate::typelookup::ApiDiscovery,
)> {
    let discovery = crate::typelookup::ApiDiscovery::of(client).await?;
    let target = discovery.lookup(name, version)?;
    for failure in &discovery.failures {
        printer.warn(&format!("discovery failed for {failure}"));
    }
    Ok((target, discovery))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_map_to_contract_exit_codes() {
        assert_eq!(Outcome::Success.exit_code(), 0);
        assert_eq!(Outcome::DiffFound.exit_code(), 1);
        assert_eq!(Outcome::Failed.exit_code(), 1);
        assert_eq!(Outcome::Partial.exit_code(), 3);
    }

    #[test]
    fn kubeconfig_is_read_only_when_asked_for() {
        let global = GlobalArgs {
            kubeconfig: Some("/nonexistent/kubeconfig".into()),
            ..GlobalArgs::default()
        };
        let ctx = Context::new(global, Printer::capture(true, 0).0);
        // Building the context touched nothing; asking for the kubeconfig reports the bad path.
        let err = ctx.kubeconfig().unwrap_err();
        assert_eq!(error::exit_code(&err), 1);
    }

    #[test]
    fn host_context_defaults_to_current_context_and_honours_the_flag() {
        let raw = kube::config::Kubeconfig::from_yaml(
            "clusters:\n- name: c\n  cluster: {server: 'https://h'}\ncontexts:\n- name: host\n  context: {cluster: c}\n- name: other\n  context: {cluster: c}\ncurrent-context: host\n",
        )
        .unwrap();
        let kc = || Kubeconfig::from_raw(raw.clone(), crate::kubeconfig::Source::Memory);
        let printer = Printer::capture(true, 0).0;
        let ctx = Context::with_kubeconfig(GlobalArgs::default(), printer.clone(), kc());
        assert_eq!(ctx.host_context().unwrap(), "host");
        let global = GlobalArgs {
            host_cluster_context: Some("other".into()),
            ..GlobalArgs::default()
        };
        let ctx = Context::with_kubeconfig(global, printer, kc());
        assert_eq!(ctx.host_context().unwrap(), "other");
        assert_eq!(ctx.kubefed_namespace(), "kube-federation-system");
    }
}
