//! Scenarios that run on every backend: sandbox clusters and real kube-apiservers (the reference clusters
//! `scripts/reference-cluster/build.sh` builds), driven through the binary, with request counts taken from
//! the servers themselves.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use kube::core::ApiResource;
use serde_json::{json, Value};

pub use kubefedctl::testbed::{Backend, Testbed};

use super::api::{self, core, federated};
use super::clients::required;
use super::process::{kubefedctl, output, run_kubefedctl, stderr, stdout, Background};

/// The backend for reference clusters of `version`, or `None` (with the reason on stderr) when they are not
/// built on this machine. Under `CI=true` they must be: `.ci/run` builds them.
pub fn reference(version: &str) -> Option<Backend> {
    match kubefedctl::testbed::reference::Binaries::find(version) {
        Ok(_) => Some(Backend::Reference(version.to_string())),
        Err(e) if required() => panic!("CI=true requires the reference servers: {e:#}"),
        Err(e) => {
            eprintln!("skipping: {e:#}");
            None
        }
    }
}

/// Defines, for a scenario `async fn NAME(backend: Backend)`, one test per backend: `NAME::sandbox`,
/// `NAME::kube_apiserver_v1_37` and `NAME::kube_apiserver_v1_34`.
#[macro_export]
macro_rules! on_every_backend {
    ($scenario:ident) => {
        mod $scenario {
            use super::support::{reference, Backend};

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sandbox() {
                super::$scenario(Backend::Sandbox).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn kube_apiserver_v1_37() {
                if let Some(b) = reference("v1.37.2") {
                    super::$scenario(b).await
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn kube_apiserver_v1_34() {
                if let Some(b) = reference("v1.34.2") {
                    super::$scenario(b).await
                }
            }
        }
    };
}

/// Running clusters, their kubeconfig on disk, and the binary pointed at it.
pub struct Bed {
    pub tb: Testbed,
    pub names: Vec<String>,
    dir: tempfile::TempDir,
    pub kubeconfig: PathBuf,
}

impl Bed {
    pub async fn start(backend: &Backend, names: &[&str]) -> Bed {
        Bed::start_with(backend, names, false).await
    }

    /// With `workloads`, sandbox clusters simulate a node and the workload controllers (`sandbox up
    /// --workloads`); real clusters are what they are (their controller manager creates ReplicaSets and
    /// pods, which stay Pending without a node).
    pub async fn start_with(backend: &Backend, names: &[&str], workloads: bool) -> Bed {
        let tb = Testbed::start_with(backend, names, workloads)
            .await
            .unwrap_or_else(|e| panic!("starting {} clusters: {e:#}", backend.label()));
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = dir.path().join("kubeconfig");
        tb.write_kubeconfig(&kubeconfig).unwrap();
        Bed {
            tb,
            names: names.iter().map(|s| s.to_string()).collect(),
            dir,
            kubeconfig,
        }
    }

    pub fn label(&self) -> String {
        self.tb.backend().label()
    }

    pub async fn kill(&mut self, name: &str) {
        self.tb.kill(name).await.expect("kill cluster");
    }

    pub async fn resume(&mut self, name: &str) {
        self.tb.resume(name).await.expect("resume cluster");
    }

    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub async fn client(&self, name: &str) -> kube::Client {
        self.tb.client(name).await.expect("client")
    }

    /// Runs the binary with this bed's kubeconfig (off the async runtime).
    pub async fn run(&self, args: &[&str]) -> Output {
        run_kubefedctl(&self.kubeconfig, args).await
    }

    pub async fn run_with_stdin(&self, args: &[&str], stdin: Option<String>) -> Output {
        let mut cmd = kubefedctl(&self.kubeconfig);
        cmd.args(args);
        output(cmd, stdin).await
    }

    /// Starts the binary in the background, for `reconcile --watch` or a pass that a test interrupts.
    pub fn spawn(&self, args: &[&str]) -> Background {
        let mut cmd = kubefedctl(&self.kubeconfig);
        cmd.args(args);
        Background::start(cmd)
    }

    /// Asserts a run's exit code, returning its stdout.
    #[track_caller]
    pub fn expect(&self, o: Output, code: i32, what: &str) -> String {
        assert_eq!(
            o.status.code(),
            Some(code),
            "{what} on {}:\nstdout:\n{}\nstderr:\n{}",
            self.label(),
            stdout(&o),
            stderr(&o)
        );
        stdout(&o)
    }

    /// Write requests each cluster has received from clients so far.
    pub async fn writes(&self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for n in &self.names {
            out.insert(n.clone(), self.tb.writes(n).await.expect("write count"));
        }
        out
    }

    /// Requests `cluster` has received from clients for the non-resource `path` (`/healthz`) so far.
    pub async fn path_requests(&self, cluster: &str, path: &str) -> u64 {
        self.tb
            .path_requests(cluster, path)
            .await
            .expect("request count")
    }

    /// LIST requests each cluster has received from clients so far.
    pub async fn lists(&self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for n in &self.names {
            out.insert(n.clone(), self.tb.lists(n).await.expect("list count"));
        }
        out
    }

    /// Joins each of `members` through its own kubeconfig context.
    pub async fn join(&self, members: &[&str]) {
        for m in members {
            self.expect(
                self.run(&["join", m, "--cluster-context", m]).await,
                0,
                &format!("join {m}"),
            );
        }
    }

    /// Write and LIST counts once they have stopped moving for 2 s (at most a minute): a loaded machine
    /// may still be finishing earlier work when a test starts measuring.
    pub async fn quiet_counts(&self) -> (BTreeMap<String, u64>, BTreeMap<String, u64>) {
        let mut last = (self.writes().await, self.lists().await);
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_secs(2)).await;
            let now = (self.writes().await, self.lists().await);
            if now == last {
                return now;
            }
            last = now;
        }
        last
    }

    /// Applies a manifest (server-side, field manager `test`) to one cluster.
    pub async fn apply(&self, cluster: &str, ar: &ApiResource, obj: Value) -> Value {
        api::apply(&self.client(cluster).await, ar, obj).await
    }

    pub async fn get(
        &self,
        cluster: &str,
        ar: &ApiResource,
        ns: Option<&str>,
        name: &str,
    ) -> Option<Value> {
        api::get(&self.client(cluster).await, ar, ns, name).await
    }

    /// A JSON merge patch to an object in one cluster.
    pub async fn merge(
        &self,
        cluster: &str,
        ar: &ApiResource,
        ns: Option<&str>,
        name: &str,
        patch: Value,
    ) -> Value {
        api::merge(&self.client(cluster).await, ar, ns, name, patch).await
    }
}

/// The namespace `ns` in the host, federated to every member.
pub async fn federated_namespace(bed: &Bed, ns: &str) {
    bed.apply(
        "host",
        &core("Namespace", "namespaces"),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
    )
    .await;
    bed.apply("host", &federated("Namespace"),
        json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedNamespace",
            "metadata": {"name": ns, "namespace": ns}, "spec": {"placement": {"clusterSelector": {}}}})).await;
}
