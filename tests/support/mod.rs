//! Test support for scenarios that run on every backend: sandbox clusters and real kube-apiservers (the
//! reference clusters `scripts/reference-cluster/build.sh` builds), driven through the binary, with request
//! counts taken from the servers themselves.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::core::ApiResource;
use serde_json::{json, Value};

pub use kubefedctl::testbed::{Backend, Testbed};

/// Whether outside dependencies (clients, reference servers) must be present: under `CI=true` a missing one
/// fails the test instead of skipping it.
pub fn required() -> bool {
    std::env::var("CI").map(|v| v == "true").unwrap_or(false)
}

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

/// A Python interpreter with the `kubernetes` client (and PyYAML, which it brings), or `None` with the reason
/// on stderr; required under `CI=true` (`.ci/run` installs it).
pub fn python() -> Option<String> {
    let candidate = std::env::var("KUBEFEDCTL_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&candidate)
        .args(["-c", "import kubernetes, yaml"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        Some(candidate)
    } else if required() {
        panic!("the Python kubernetes client is required under CI=true ({candidate} -c 'import kubernetes' failed; .ci/run installs it)");
    } else {
        eprintln!("skipping: the Python kubernetes client is not installed (pip install kubernetes==37.0.2)");
        None
    }
}

/// The current kubectl from the machine's kubectl package, or `None` with the reason; required under
/// `CI=true`.
pub fn kubectl() -> Option<PathBuf> {
    let p = PathBuf::from(
        std::env::var("KUBEFEDCTL_TEST_KUBECTL_1_33")
            .unwrap_or_else(|_| "/usr/lib/google-cloud-sdk/bin/kubectl.1.33".into()),
    );
    if p.exists() {
        Some(p)
    } else if required() {
        panic!(
            "kubectl 1.33 is required under CI=true but {} does not exist",
            p.display()
        );
    } else {
        eprintln!("skipping: kubectl 1.33 not found at {}", p.display());
        None
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
        self.run_with_stdin(args, None).await
    }

    pub async fn run_with_stdin(&self, args: &[&str], stdin: Option<String>) -> Output {
        let kubeconfig = self.kubeconfig.clone();
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        tokio::task::spawn_blocking(move || {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubefedctl"));
            cmd.arg("--kubeconfig")
                .arg(&kubeconfig)
                .args(&args)
                .env("NO_COLOR", "1")
                .env_remove("KUBECONFIG")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            match stdin {
                None => {
                    cmd.stdin(Stdio::null());
                    cmd.output().expect("run kubefedctl")
                }
                Some(text) => {
                    use std::io::Write;
                    cmd.stdin(Stdio::piped());
                    let mut child = cmd.spawn().expect("run kubefedctl");
                    child
                        .stdin
                        .take()
                        .unwrap()
                        .write_all(text.as_bytes())
                        .unwrap();
                    child.wait_with_output().expect("run kubefedctl")
                }
            }
        })
        .await
        .unwrap()
    }

    /// Starts the binary in the background (stdout and stderr piped), for `reconcile --watch` or a pass that
    /// a test interrupts.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        Command::new(env!("CARGO_BIN_EXE_kubefedctl"))
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("KUBECONFIG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kubefedctl")
    }

    /// Runs the binary and asserts its exit code, returning stdout.
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
        let client = self.client(cluster).await;
        let name = obj["metadata"]["name"].as_str().unwrap().to_string();
        let api = api(&client, ar, obj["metadata"]["namespace"].as_str());
        let o = api
            .patch(
                &name,
                &PatchParams::apply("test").force(),
                &Patch::Apply(&obj),
            )
            .await
            .unwrap_or_else(|e| panic!("applying {} {name} to {cluster}: {e}", ar.kind));
        serde_json::to_value(o).unwrap()
    }

    pub async fn get(
        &self,
        cluster: &str,
        ar: &ApiResource,
        ns: Option<&str>,
        name: &str,
    ) -> Option<Value> {
        let client = self.client(cluster).await;
        api(&client, ar, ns)
            .get_opt(name)
            .await
            .unwrap_or_else(|e| panic!("reading {} {name} in {cluster}: {e}", ar.kind))
            .map(|o| serde_json::to_value(o).unwrap())
    }

    pub async fn merge(
        &self,
        cluster: &str,
        ar: &ApiResource,
        ns: Option<&str>,
        name: &str,
        patch: Value,
    ) -> Value {
        let client = self.client(cluster).await;
        let o = api(&client, ar, ns)
            .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .unwrap_or_else(|e| panic!("patching {} {name} in {cluster}: {e}", ar.kind));
        serde_json::to_value(o).unwrap()
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

pub fn api(client: &kube::Client, ar: &ApiResource, ns: Option<&str>) -> Api<DynamicObject> {
    match ns {
        Some(ns) => Api::namespaced_with(client.clone(), ns, ar),
        None => Api::all_with(client.clone(), ar),
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Waits for a background process (off the async runtime) and returns its output.
pub async fn finish(child: std::process::Child) -> Output {
    tokio::task::spawn_blocking(move || child.wait_with_output().expect("wait for kubefedctl"))
        .await
        .unwrap()
}

/// Sends SIGTERM to a background process, as an operator's Ctrl-C or a pod's termination does.
pub fn terminate(child: &std::process::Child) {
    // SAFETY: kill(2) with the pid of a child this process spawned and has not reaped.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
}

/// Polls `f` until it returns `Some`, for at most `secs` seconds.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut delay = Duration::from_millis(20);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        if Instant::now() > deadline {
            panic!("timed out after {secs} s waiting for {what}");
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_millis(500));
    }
}

pub fn ar(group: &str, version: &str, kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: group.into(),
        version: version.into(),
        api_version: if group.is_empty() {
            version.into()
        } else {
            format!("{group}/{version}")
        },
        kind: kind.into(),
        plural: plural.into(),
    }
}

pub fn core(kind: &str, plural: &str) -> ApiResource {
    ar("", "v1", kind, plural)
}

/// `types.kubefed.io/v1beta1` `Federated<Kind>`.
pub fn federated(kind: &str) -> ApiResource {
    ar(
        "types.kubefed.io",
        "v1beta1",
        &format!("Federated{kind}"),
        &format!("federated{}s", kind.to_lowercase()),
    )
}

/// One raw request through `client`, with `headers`: the status code, the body as JSON (`Null` when it is
/// not JSON) and the body as text. Every test that talks HTTP to a server goes through this.
pub async fn request(
    client: &kube::Client,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (u16, Value, String) {
    let mut b = http::Request::builder().method(method).uri(path);
    for (name, value) in headers {
        b = b.header(*name, *value);
    }
    let res = client
        .send(b.body(kube::client::Body::from(body)).unwrap())
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let code = res.status().as_u16();
    let bytes = res.into_body().collect_bytes().await.unwrap();
    let text = String::from_utf8_lossy(&bytes).to_string();
    (
        code,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        text,
    )
}

/// A request with a JSON body (its Content-Type `content_type`) or none: the status code and the answer
/// as JSON.
pub async fn send_json(
    client: &kube::Client,
    method: &str,
    path: &str,
    content_type: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let (headers, bytes) = match body {
        Some(v) => (
            vec![("content-type", content_type)],
            serde_json::to_vec(&v).unwrap(),
        ),
        None => (vec![], vec![]),
    };
    let (code, value, _) = request(client, method, path, &headers, bytes).await;
    (code, value)
}
