//! Dynamic shell completion: clap's completion engine (`COMPLETE=bash kubefedctl -- WORDS...`, called back by the
//! registration script `kubefedctl completions SHELL` prints) with candidates read from the kubeconfig (contexts)
//! and from the host cluster (registered clusters, types, namespaces, object names).
//!
//! Completing must never hang the shell nor write on the terminal: everything that asks a cluster runs on a
//! worker thread the completion waits for at most [`CLUSTER_DEADLINE`] (a stalled exec credential plugin
//! included), with the same bound on connecting and reading; any failure (no kubeconfig, unreachable or
//! frozen host, no control plane) completes nothing. stderr is closed for the duration of a completion, so no
//! message, ours or a credential plugin's, reaches the prompt.

use std::ffi::{OsStr, OsString};
use std::future::Future;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use clap::CommandFactory;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use clap_complete::{CompleteEnv, Shell};
use kube::api::{Api, DynamicObject, ListParams};

use crate::cli::{Cli, DEFAULT_KUBEFED_NAMESPACE};
use crate::conversion::made_by_the_cluster;
use crate::kubeconfig::{install_crypto_provider, Kubeconfig};
use crate::kubefed::typeconfig::{default_types, is_federated_type, lookup_target, TargetType};
use crate::kubefed::types::{FederatedTypeConfig, KubeFedCluster};
use crate::typelookup::ApiDiscovery;

/// How long one completion may wait for the host cluster, all requests together.
pub const CLUSTER_DEADLINE: Duration = Duration::from_secs(2);

/// The environment variable that turns a run into a completion request (clap's convention).
pub const COMPLETE_VAR: &str = "COMPLETE";

/// At most this many objects are listed for name completion.
const LIST_LIMIT: u32 = 500;

/// Answers a completion request and exits when `COMPLETE` is set (the shell's callback, or `COMPLETE=bash
/// kubefedctl` printing the registration script); returns at once otherwise.
pub fn complete_if_asked() {
    let Some(shell) = std::env::var_os(COMPLETE_VAR) else {
        return;
    };
    if shell.is_empty() || shell == "0" {
        return;
    }
    let completing = std::env::args_os().skip(1).any(|a| a == "--");
    if completing {
        silence_stderr();
    }
    CompleteEnv::with_factory(completion_command)
        .var(COMPLETE_VAR)
        .complete();
}

/// The command tree completion walks: the real one, named `kubefedctl` whatever file it runs from.
fn completion_command() -> clap::Command {
    Cli::command().bin_name("kubefedctl")
}

#[cfg(unix)]
fn silence_stderr() {
    use std::os::fd::AsRawFd;
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        // SAFETY: dup2 on two open descriptors; stderr now points at /dev/null for the rest of this process.
        unsafe {
            libc::dup2(null.as_raw_fd(), libc::STDERR_FILENO);
        }
    }
}

#[cfg(not(unix))]
fn silence_stderr() {}

/// The registration script for `shell`: shell code that calls `kubefedctl` back (found on `PATH`) with
/// `COMPLETE=<shell>` for every completion. It is what `kubefedctl completions SHELL` prints and what is
/// committed under `completions/`.
pub fn registration(shell: Shell) -> String {
    let adapter: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::PowerShell => &Powershell,
        Shell::Elvish => &Elvish,
        _ => &Bash,
    };
    let mut buf = Vec::new();
    adapter
        .write_registration(
            COMPLETE_VAR,
            "kubefedctl",
            "kubefedctl",
            "kubefedctl",
            &mut buf,
        )
        .expect("writing to memory cannot fail");
    let mut script = String::from_utf8(buf).expect("registration scripts are UTF-8");
    if shell == Shell::Zsh {
        // Installed as `_kubefedctl` in $fpath, the file is autoloaded as the completion function itself: its
        // first call only defines the real function, so it calls it too, or the first Tab completes nothing.
        script.push_str(
            "if [[ \"${funcstack[1]}\" == _kubefedctl ]]; then\n    _clap_dynamic_completer_kubefedctl \"$@\"\nfi\n",
        );
    }
    script
}

// ------------------------------------------------------------------------------------------------
// What the command line being completed says

/// The flags of the command line being completed that say where to look: the words the shell passed after
/// `--`, minus the word under the cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub kubeconfig: Option<PathBuf>,
    pub host_context: Option<String>,
    pub kubefed_namespace: String,
    /// `-n`/`--namespace` of the subcommand.
    pub namespace: Option<String>,
    pub all_namespaces: bool,
    /// The subcommand's TYPE argument.
    pub type_name: Option<String>,
}

impl Line {
    /// Reads the flags from `words` (the command line, program first), skipping the word at `cursor`.
    /// Anything clap cannot make sense of is ignored: a half-typed line is the normal case here.
    pub fn parse(words: &[OsString], cursor: Option<usize>) -> Line {
        let words: Vec<OsString> = words
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != cursor)
            .map(|(_, w)| w.clone())
            .collect();
        let mut line = Line {
            kubefed_namespace: DEFAULT_KUBEFED_NAMESPACE.to_string(),
            ..Line::default()
        };
        let Ok(matches) = Cli::command()
            .ignore_errors(true)
            .try_get_matches_from(words)
        else {
            return line;
        };
        // Deepest subcommand first: its own flags, then the globals, which clap propagates to every level.
        let mut levels = vec![&matches];
        while let Some((_, sub)) = levels.last().and_then(|m| m.subcommand()) {
            levels.push(sub);
        }
        levels.reverse();
        let string = |id: &str| {
            levels.iter().find_map(|m| {
                m.try_get_one::<String>(id)
                    .ok()
                    .flatten()
                    .filter(|_| m.value_source(id) != Some(clap::parser::ValueSource::DefaultValue))
                    .cloned()
            })
        };
        line.kubeconfig = levels.iter().find_map(|m| {
            m.try_get_one::<PathBuf>("kubeconfig")
                .ok()
                .flatten()
                .cloned()
        });
        line.host_context = string("host_cluster_context");
        if let Some(ns) = string("kubefed_namespace") {
            line.kubefed_namespace = ns;
        }
        line.namespace = string("namespace");
        line.type_name = string("type_name");
        line.all_namespaces = levels
            .iter()
            .any(|m| m.try_get_one::<bool>("all_namespaces").ok().flatten() == Some(&true));
        line
    }

    /// The line of this process's completion request: the words after `--`, the cursor at
    /// `_CLAP_COMPLETE_INDEX` (bash, zsh, elvish) or on the last word (fish, PowerShell).
    fn of_this_request() -> &'static Line {
        static LINE: OnceLock<Line> = OnceLock::new();
        LINE.get_or_init(|| {
            let args: Vec<OsString> = std::env::args_os().collect();
            let words: Vec<OsString> = match args.iter().position(|a| a == "--") {
                Some(i) => args[i + 1..].to_vec(),
                None => Vec::new(),
            };
            let cursor = std::env::var("_CLAP_COMPLETE_INDEX")
                .ok()
                .and_then(|i| i.parse().ok())
                .or(words.len().checked_sub(1));
            Line::parse(&words, cursor)
        })
    }
}

// ------------------------------------------------------------------------------------------------
// Candidates

fn candidate(value: impl Into<String>, help: impl Into<String>) -> CompletionCandidate {
    let help: String = help.into();
    let c = CompletionCandidate::new(value.into());
    if help.is_empty() {
        c
    } else {
        c.help(Some(help.into()))
    }
}

fn typed(current: &OsStr) -> String {
    current.to_string_lossy().into_owned()
}

/// Kubeconfig contexts (`--host-cluster-context`, `--cluster-context`, `join NAME`), from the kubeconfig the
/// line names (`--kubeconfig`, else `$KUBECONFIG`, else `~/.kube/config`); no cluster is asked.
pub fn contexts() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let line = Line::of_this_request();
        let Ok(kc) = Kubeconfig::load(line.kubeconfig.as_deref()) else {
            return Vec::new();
        };
        context_candidates(&kc, &typed(current))
    })
}

/// The contexts of `kc` starting with `prefix`, each with its cluster (and `current` for the current one).
pub fn context_candidates(kc: &Kubeconfig, prefix: &str) -> Vec<CompletionCandidate> {
    kc.raw()
        .contexts
        .iter()
        .filter(|c| c.name.starts_with(prefix))
        .map(|c| {
            let mut help = c
                .context
                .as_ref()
                .map(|x| format!("cluster {}", x.cluster))
                .unwrap_or_default();
            if kc.current_context() == Some(c.name.as_str()) {
                help.push_str(" (current)");
            }
            candidate(c.name.clone(), help)
        })
        .collect()
}

/// Runs `work` against the host cluster of the line on a worker thread, for at most [`CLUSTER_DEADLINE`];
/// nothing on any failure or when the time is up.
fn ask_host<W, F>(work: W) -> Vec<CompletionCandidate>
where
    W: FnOnce(kube::Client, Line) -> F + Send + 'static,
    F: Future<Output = anyhow::Result<Vec<CompletionCandidate>>>,
{
    let line = Line::of_this_request().clone();
    ask_host_with(line, CLUSTER_DEADLINE, work)
}

/// [`ask_host`] with the line and the deadline given.
pub fn ask_host_with<W, F>(line: Line, deadline: Duration, work: W) -> Vec<CompletionCandidate>
where
    W: FnOnce(kube::Client, Line) -> F + Send + 'static,
    F: Future<Output = anyhow::Result<Vec<CompletionCandidate>>>,
{
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("completion".into())
        .spawn(move || {
            let result = (|| {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                rt.block_on(async move {
                    let client = host_client(&line, deadline).await?;
                    work(client, line).await
                })
            })();
            let _ = tx.send(result);
        });
    if spawned.is_err() {
        return Vec::new();
    }
    match rx.recv_timeout(deadline) {
        Ok(Ok(candidates)) => candidates,
        _ => Vec::new(),
    }
}

async fn host_client(line: &Line, deadline: Duration) -> anyhow::Result<kube::Client> {
    install_crypto_provider();
    let kc = Kubeconfig::load(line.kubeconfig.as_deref())?;
    let mut config = kc.kube_config_for(line.host_context.as_deref()).await?;
    config.connect_timeout = Some(deadline);
    config.read_timeout = Some(deadline);
    config.write_timeout = Some(deadline);
    Ok(kube::Client::try_from(config)?)
}

/// The namespace objects are listed in: `-n`, else the host context's namespace.
fn namespace_of(line: &Line) -> String {
    line.namespace.clone().unwrap_or_else(|| {
        Kubeconfig::load(line.kubeconfig.as_deref())
            .and_then(|kc| kc.namespace_of(line.host_context.as_deref()))
            .unwrap_or_else(|_| "default".to_string())
    })
}

/// Member clusters registered with the control plane (KubeFedClusters in the kubefed namespace).
async fn registered_clusters(
    client: &kube::Client,
    line: &Line,
) -> anyhow::Result<Vec<KubeFedCluster>> {
    let api: Api<KubeFedCluster> = Api::namespaced(client.clone(), &line.kubefed_namespace);
    Ok(api
        .list(&ListParams::default().limit(LIST_LIMIT))
        .await?
        .items)
}

fn labels_of(c: &KubeFedCluster) -> Vec<(String, String)> {
    c.metadata
        .labels
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Registered cluster names (`unjoin NAME`, `federate --clusters`), with their endpoint and labels.
pub fn clusters() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let prefix = typed(current);
        ask_host(move |client, line| async move {
            Ok(registered_clusters(&client, &line)
                .await?
                .iter()
                .filter_map(|c| {
                    let name = c.metadata.name.clone()?;
                    let labels: Vec<String> = labels_of(c)
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    let help = if labels.is_empty() {
                        c.spec.api_endpoint.clone()
                    } else {
                        format!("{} {}", c.spec.api_endpoint, labels.join(","))
                    };
                    name.starts_with(&prefix).then(|| candidate(name, help))
                })
                .collect())
        })
    })
}

/// `CLUSTER:` for `federate --override`: the registered clusters, ready for a path.
pub fn override_clusters() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let prefix = typed(current);
        if prefix.contains(':') {
            return Vec::new();
        }
        ask_host(move |client, line| async move {
            Ok(registered_clusters(&client, &line)
                .await?
                .iter()
                .filter_map(|c| c.metadata.name.clone())
                .filter(|n| n.starts_with(&prefix))
                .map(|n| candidate(format!("{n}:"), "then PATH=VALUE, PATH- or OP:PATH=VALUE"))
                .collect())
        })
    })
}

/// `KEY=VALUE` pairs the registered clusters carry (`federate --cluster-selector`).
pub fn cluster_labels() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let prefix = typed(current);
        ask_host(move |client, line| async move {
            let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
            for c in registered_clusters(&client, &line).await? {
                for (k, v) in labels_of(&c) {
                    let pair = format!("{k}={v}");
                    let name = c.metadata.name.clone().unwrap_or_default();
                    match pairs.iter_mut().find(|(p, _)| *p == pair) {
                        Some((_, names)) => names.push(name),
                        None => pairs.push((pair, vec![name])),
                    }
                }
            }
            pairs.sort();
            Ok(pairs
                .into_iter()
                .filter(|(p, _)| p.starts_with(&prefix))
                .map(|(p, names)| candidate(p, names.join(", ")))
                .collect())
        })
    })
}

/// Namespaces of the host (`-n`, `--kubefed-namespace`).
pub fn namespaces() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let prefix = typed(current);
        ask_host(move |client, _| async move {
            let api: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client);
            Ok(api
                .list(&ListParams::default().limit(LIST_LIMIT))
                .await?
                .items
                .into_iter()
                .filter_map(|n| n.metadata.name)
                .filter(|n| n.starts_with(&prefix))
                .map(|n| candidate(n, ""))
                .collect())
        })
    })
}

/// Whether a type is offered for `prefix`: its `plural[.group]`, or a short name, kind or singular typed so far.
fn type_matches(t: &TargetType, prefix: &str) -> bool {
    let p = prefix.to_lowercase();
    t.group_qualified_name().starts_with(&p)
        || (!p.is_empty()
            && (t.kind.to_lowercase().starts_with(&p)
                || t.singular.starts_with(&p)
                || t.short_names
                    .iter()
                    .any(|s| s.to_lowercase().starts_with(&p))))
}

/// Types the host serves, by the name that always resolves (`plural[.group]`), with their kind
/// (`enable TARGET`, `federate TYPE`); federated types themselves are left out.
pub fn served_types() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let prefix = typed(current);
        ask_host(move |client, _| async move {
            let discovery = ApiDiscovery::of(&client).await?;
            Ok(served_type_candidates(&discovery, &prefix))
        })
    })
}

/// The candidates [`served_types`] offers for a discovery.
pub fn served_type_candidates(discovery: &ApiDiscovery, prefix: &str) -> Vec<CompletionCandidate> {
    discovery
        .types
        .iter()
        .filter(|s| {
            s.preferred && s.has_verb("list") && !is_federated_type(&s.target.kind, &s.target.group)
        })
        .map(|s| &s.target)
        .filter(|t| type_matches(t, prefix))
        .map(|t| candidate(t.group_qualified_name(), t.kind.clone()))
        .collect()
}

/// Enabled types: FederatedTypeConfig names (`disable`, `status`/`diff` TYPE, `reconcile --type`).
pub fn enabled_types() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let prefix = typed(current);
        ask_host(move |client, line| async move {
            Ok(type_configs(&client, &line)
                .await?
                .into_iter()
                .filter_map(|ftc| {
                    let name = ftc.metadata.name.clone()?;
                    name.starts_with(&prefix)
                        .then(|| candidate(name, ftc.spec.federated_type.kind.clone()))
                })
                .collect())
        })
    })
}

async fn type_configs(
    client: &kube::Client,
    line: &Line,
) -> anyhow::Result<Vec<FederatedTypeConfig>> {
    let api: Api<FederatedTypeConfig> = Api::namespaced(client.clone(), &line.kubefed_namespace);
    Ok(api.list(&ListParams::default()).await?.items)
}

/// Names of objects of the line's TYPE in its namespace (`federate TYPE NAME`). A default type is resolved
/// without discovery; another one costs a discovery of the host.
pub fn object_names() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let prefix = typed(current);
        ask_host(move |client, line| async move {
            let Some(type_name) = line.type_name.clone() else {
                return Ok(Vec::new());
            };
            let target = match lookup_target(&default_types(), &type_name, None) {
                Ok(t) => t,
                Err(_) => ApiDiscovery::of(&client).await?.lookup(&type_name, None)?,
            };
            let resource = target.api_resource().to_kube();
            let api: Api<DynamicObject> = if target.namespaced {
                Api::namespaced_with(client, &namespace_of(&line), &resource)
            } else {
                Api::all_with(client, &resource)
            };
            // What federate would refuse (a cluster's own root CA ConfigMap, token Secrets, ...) is not offered.
            names_of(api, &prefix, |o| {
                serde_json::to_value(o)
                    .map(|v| made_by_the_cluster(&target, &v).is_none())
                    .unwrap_or(true)
            })
            .await
        })
    })
}

/// Names of federated objects of the line's TYPE, an enabled type (`status`/`diff` TYPE NAME).
pub fn federated_names() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let prefix = typed(current);
        ask_host(move |client, line| async move {
            let Some(type_name) = line.type_name.clone() else {
                return Ok(Vec::new());
            };
            let ftcs = type_configs(&client, &line).await?;
            let Some(ftc) = ftcs.iter().find(|f| {
                f.metadata.name.as_deref() == Some(type_name.as_str())
                    || TargetType::from(&f.spec.target_type).matches_name(&type_name)
                    || TargetType::from(&f.spec.federated_type).matches_name(&type_name)
            }) else {
                return Ok(Vec::new());
            };
            let resource = ftc.spec.federated_type.to_kube();
            let api: Api<DynamicObject> =
                match (ftc.spec.federated_type.is_namespaced(), line.all_namespaces) {
                    (true, false) => Api::namespaced_with(client, &namespace_of(&line), &resource),
                    _ => Api::all_with(client, &resource),
                };
            names_of(api, &prefix, |_| true).await
        })
    })
}

async fn names_of(
    api: Api<DynamicObject>,
    prefix: &str,
    offered: impl Fn(&DynamicObject) -> bool,
) -> anyhow::Result<Vec<CompletionCandidate>> {
    let mut names: Vec<String> = api
        .list(&ListParams::default().limit(LIST_LIMIT))
        .await?
        .items
        .into_iter()
        .filter(|o| offered(o))
        .filter_map(|o| o.metadata.name)
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    names.dedup();
    Ok(names.into_iter().map(|n| candidate(n, "")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn the_line_gives_global_and_subcommand_flags_wherever_they_are() {
        let l = Line::parse(
            &words(
                "kubefedctl --kubeconfig /k federate deploy we -n shop --host-cluster-context h",
            ),
            Some(5),
        );
        assert_eq!(l.kubeconfig.as_deref(), Some(std::path::Path::new("/k")));
        assert_eq!(l.host_context.as_deref(), Some("h"));
        assert_eq!(l.namespace.as_deref(), Some("shop"));
        assert_eq!(l.type_name.as_deref(), Some("deploy"));
        assert_eq!(l.kubefed_namespace, DEFAULT_KUBEFED_NAMESPACE);
        let l = Line::parse(
            &words("kubefedctl status fcm x --kubefed-namespace fed -A"),
            Some(3),
        );
        assert_eq!(l.kubefed_namespace, "fed");
        assert!(l.all_namespaces);
        assert_eq!(l.type_name.as_deref(), Some("fcm"));
    }

    #[test]
    fn the_word_under_the_cursor_and_half_typed_lines_are_no_trouble() {
        // Completing the value of -n: the partial "sh" is not taken for the namespace.
        let l = Line::parse(&words("kubefedctl federate cm x -n sh"), Some(5));
        assert_eq!(l.namespace, None);
        assert_eq!(l.type_name.as_deref(), Some("cm"));
        for line in [
            "kubefedctl",
            "kubefedctl --frobnicate",
            "kubefedctl join",
            "kubefedctl -n",
        ] {
            let l = Line::parse(&words(line), None);
            assert_eq!(l.kubefed_namespace, DEFAULT_KUBEFED_NAMESPACE, "{line}");
        }
        assert_eq!(Line::parse(&[], None), Line::parse(&[], Some(0)));
    }

    #[test]
    fn contexts_are_offered_with_their_cluster_and_the_current_one_marked() {
        let raw = kube::config::Kubeconfig::from_yaml(
            "clusters:\n- name: c\n  cluster: {server: 'https://h'}\ncontexts:\n- name: host\n  context: {cluster: c}\n- name: member1\n  context: {cluster: c}\n- name: member2\n  context: {cluster: c}\ncurrent-context: host\n",
        )
        .unwrap();
        let kc = Kubeconfig::from_raw(raw, crate::kubeconfig::Source::Memory);
        let all = context_candidates(&kc, "");
        let values: Vec<String> = all
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert_eq!(values, ["host", "member1", "member2"]);
        assert_eq!(
            all[0].get_help().unwrap().to_string(),
            "cluster c (current)"
        );
        assert_eq!(context_candidates(&kc, "mem").len(), 2);
    }

    #[test]
    fn an_unreachable_host_completes_nothing_within_the_deadline() {
        let dir =
            std::env::temp_dir().join(format!("kubefedctl-completion-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let kc = dir.join("kubeconfig");
        // A port nothing listens on; also a line whose kubeconfig does not exist.
        std::fs::write(
            &kc,
            "clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:9'}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: h\n  context: {cluster: c, user: u}\ncurrent-context: h\n",
        )
        .unwrap();
        for kubeconfig in [kc.clone(), dir.join("missing")] {
            let line = Line {
                kubeconfig: Some(kubeconfig),
                kubefed_namespace: DEFAULT_KUBEFED_NAMESPACE.into(),
                ..Line::default()
            };
            let started = std::time::Instant::now();
            let got = ask_host_with(
                line,
                Duration::from_millis(500),
                |client, line| async move {
                    Ok(registered_clusters(&client, &line)
                        .await?
                        .into_iter()
                        .map(|c| candidate(c.metadata.name.unwrap_or_default(), ""))
                        .collect())
                },
            );
            assert!(got.is_empty());
            assert!(started.elapsed() < Duration::from_secs(5));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn every_shell_gets_a_registration_that_calls_kubefedctl_back() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ] {
            let script = registration(shell);
            assert!(script.contains("COMPLETE"), "{shell}");
            assert!(script.contains("kubefedctl"), "{shell}");
        }
        assert!(registration(Shell::Zsh).starts_with("#compdef kubefedctl"));
        assert!(registration(Shell::Zsh).contains("funcstack[1]"));
    }
}
