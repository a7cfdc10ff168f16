//! Clusters to run kubefedctl against, behind one interface: in-process sandbox clusters, or reference
//! clusters (real kube-apiservers, see [`reference`]). The demo, the benchmarks and the tests pick one with
//! [`Backend`], so the same scenario runs on both.

pub mod reference;

use std::path::Path;

use anyhow::{bail, Result};
use serde_json::Value;

use crate::sandbox::{Sandbox, SandboxOptions};
pub use reference::ReferenceClusters;

/// Which clusters to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// In-process sandbox clusters.
    Sandbox,
    /// Real kube-apiservers of this version (`v1.37.2`), from the reference-cluster build cache.
    Reference(String),
}

impl Backend {
    /// `sandbox`, or `real` / `real:v1.34.2` (the newest supported version when none is given).
    pub fn parse(text: &str) -> Result<Backend> {
        match text {
            "sandbox" => Ok(Backend::Sandbox),
            "real" => Ok(Backend::Reference(
                reference::SUPPORTED_VERSIONS[0].to_string(),
            )),
            t if t.starts_with("real:") => {
                let v = &t["real:".len()..];
                let v = if v.starts_with('v') {
                    v.to_string()
                } else {
                    format!("v{v}")
                };
                if !reference::SUPPORTED_VERSIONS.contains(&v.as_str()) {
                    bail!(
                        "kube-apiserver {v} is not a reference version: expected one of {}",
                        reference::SUPPORTED_VERSIONS.join(", ")
                    );
                }
                Ok(Backend::Reference(v))
            }
            other => bail!(
                "unknown backend {other:?}: expected sandbox, real (kube-apiserver {}) or real:VERSION",
                reference::SUPPORTED_VERSIONS[0]
            ),
        }
    }

    /// `KUBEFEDCTL_BACKEND`, else the sandbox.
    pub fn from_env() -> Result<Backend> {
        match std::env::var("KUBEFEDCTL_BACKEND") {
            Ok(b) if !b.is_empty() => Backend::parse(&b),
            _ => Ok(Backend::Sandbox),
        }
    }

    /// `sandbox` or `kube-apiserver v1.37.2`, for messages and reports.
    pub fn label(&self) -> String {
        match self {
            Backend::Sandbox => "sandbox".into(),
            Backend::Reference(v) => format!("kube-apiserver {v}"),
        }
    }
}

/// Running clusters of either kind.
pub enum Testbed {
    Sandbox(Sandbox),
    Reference(Box<ReferenceClusters>),
}

impl Testbed {
    /// Starts one cluster per name on `backend`.
    pub async fn start(backend: &Backend, names: &[&str]) -> Result<Testbed> {
        Testbed::start_with(backend, names, false).await
    }

    /// Like [`Testbed::start`]; with `workloads`, sandbox clusters simulate a node and the workload
    /// controllers (`sandbox up --workloads`). Real clusters run what their controller manager runs.
    pub async fn start_with(backend: &Backend, names: &[&str], workloads: bool) -> Result<Testbed> {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        Ok(match backend {
            Backend::Sandbox => Testbed::Sandbox(
                Sandbox::start(SandboxOptions {
                    clusters: names,
                    workloads,
                    ..Default::default()
                })
                .await?,
            ),
            Backend::Reference(v) => {
                Testbed::Reference(Box::new(ReferenceClusters::start(v, &names).await?))
            }
        })
    }

    pub fn backend(&self) -> Backend {
        match self {
            Testbed::Sandbox(_) => Backend::Sandbox,
            Testbed::Reference(r) => Backend::Reference(r.version().to_string()),
        }
    }

    pub fn is_sandbox(&self) -> bool {
        matches!(self, Testbed::Sandbox(_))
    }

    pub fn kubeconfig(&self) -> Value {
        match self {
            Testbed::Sandbox(s) => s.kubeconfig(),
            Testbed::Reference(r) => r.kubeconfig(),
        }
    }

    pub fn kubeconfig_yaml(&self) -> String {
        crate::yaml::to_yaml(&self.kubeconfig()).unwrap_or_default()
    }

    /// Writes the kubeconfig atomically with mode 0600.
    pub fn write_kubeconfig(&self, path: &Path) -> Result<()> {
        crate::sandbox::write_private_file(path, self.kubeconfig_yaml().as_bytes())
    }

    /// An admin client of one cluster.
    pub async fn client(&self, name: &str) -> Result<kube::Client> {
        reference::client_from_kubeconfig(&self.kubeconfig(), name).await
    }

    /// Write requests (create, update, patch, apply, delete) clients have sent to `name` so far: the
    /// sandbox's request counters, or a real server's audit log without its own and the controller
    /// manager's requests.
    pub async fn writes(&self, name: &str) -> Result<u64> {
        match self {
            Testbed::Sandbox(s) => match s.cluster(name) {
                Some(c) => Ok(c.metrics.writes()),
                None => bail!("no sandbox cluster named {name:?}"),
            },
            Testbed::Reference(r) => r.writes(name).await,
        }
    }

    /// The last `n` write requests clients sent to `name`, as `verb URI` lines, to say which writes a
    /// failed convergence check saw (real servers' audit logs; the sandbox only counts them).
    pub async fn recent_writes(&self, name: &str, n: usize) -> Vec<String> {
        match self {
            Testbed::Sandbox(_) => vec!["(the sandbox counts writes, it does not log them)".into()],
            Testbed::Reference(r) => match r.client_requests(name).await {
                Ok(events) => {
                    let writes: Vec<String> = events
                        .iter()
                        .filter(|e| e.is_write())
                        .map(|e| format!("{} {}", e.verb, e.request_uri))
                        .collect();
                    writes[writes.len().saturating_sub(n)..].to_vec()
                }
                Err(e) => vec![format!("audit log unreadable: {e}")],
            },
        }
    }

    /// Requests clients have sent to `name` for the non-resource `path` (`/healthz`, `/version`) so far: the
    /// sandbox's counter by path, or a real server's audit log (see [`Testbed::writes`]).
    pub async fn path_requests(&self, name: &str, path: &str) -> Result<u64> {
        match self {
            Testbed::Sandbox(s) => match s.cluster(name) {
                Some(c) => Ok(c.metrics.path_requests(path)),
                None => bail!("no sandbox cluster named {name:?}"),
            },
            Testbed::Reference(r) => Ok(r
                .client_requests(name)
                .await?
                .iter()
                .filter(|e| e.object_ref.is_none() && e.request_uri == path)
                .count() as u64),
        }
    }

    /// LIST requests clients have sent to `name` so far.
    pub async fn lists(&self, name: &str) -> Result<u64> {
        match self {
            Testbed::Sandbox(s) => match s.cluster(name) {
                Some(c) => Ok(c.metrics.total(&["LIST"])),
                None => bail!("no sandbox cluster named {name:?}"),
            },
            Testbed::Reference(r) => Ok(r
                .client_requests(name)
                .await?
                .iter()
                .filter(|e| e.verb == "list")
                .count() as u64),
        }
    }

    /// Makes a cluster fail at once, as a crashed member does: open connections are dropped and new ones
    /// refused (the sandbox stops serving; a real API server is killed with SIGKILL). Its state is kept, and
    /// [`Testbed::resume`] brings it back.
    pub async fn kill(&mut self, name: &str) -> Result<()> {
        match self {
            Testbed::Sandbox(s) => s.stop(name).await,
            Testbed::Reference(r) => r.kill(name),
        }
    }

    /// Freezes a cluster: connections are accepted, nothing is answered (SIGSTOP of a real API server).
    pub fn freeze(&self, name: &str) -> Result<()> {
        match self {
            Testbed::Sandbox(s) => s.set_frozen(name, true),
            Testbed::Reference(r) => r.freeze(name),
        }
    }

    /// Lets a frozen cluster answer again.
    pub fn thaw(&self, name: &str) -> Result<()> {
        match self {
            Testbed::Sandbox(s) => s.set_frozen(name, false),
            Testbed::Reference(r) => r.thaw(name),
        }
    }

    /// Makes a cluster unreachable (connections refused); its state is kept.
    pub async fn stop(&mut self, name: &str) -> Result<()> {
        match self {
            Testbed::Sandbox(s) => s.stop(name).await,
            Testbed::Reference(r) => r.stop(name).await,
        }
    }

    /// Serves a stopped cluster again, on its port, with its state.
    pub async fn resume(&mut self, name: &str) -> Result<()> {
        match self {
            Testbed::Sandbox(s) => s.resume(name).await,
            Testbed::Reference(r) => r.resume(name).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_parse_with_or_without_the_v() {
        assert_eq!(Backend::parse("sandbox").unwrap(), Backend::Sandbox);
        let newest = reference::SUPPORTED_VERSIONS[0];
        assert_eq!(
            Backend::parse("real").unwrap(),
            Backend::Reference(newest.into())
        );
        assert_eq!(
            Backend::parse(&format!("real:{}", &newest[1..])).unwrap(),
            Backend::Reference(newest.into())
        );
    }

    #[test]
    fn unknown_backends_and_versions_are_refused_with_the_choices() {
        let e = Backend::parse("real:v1.20.0").unwrap_err().to_string();
        assert!(e.contains(reference::SUPPORTED_VERSIONS[1]), "{e}");
        assert!(Backend::parse("kind").is_err());
    }
}
