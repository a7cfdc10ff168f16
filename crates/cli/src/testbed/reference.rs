//! Reference clusters: real `kube-apiserver`s (one etcd, one apiserver and one controller manager per
//! cluster) started on loopback from the binaries `scripts/reference-cluster/build.sh` builds, so that tests,
//! the demo and the benchmarks can run on the real API server as well as on the sandbox.
//!
//! Each cluster gets its own etcd prefix and port, its own CA and serving certificate, a static admin token,
//! RBAC authorization, ServiceAccount signing keys, an audit log (to count the requests clients send), and a
//! `kube-controller-manager` running the controllers that need no nodes. Every process is stopped when the
//! value is dropped, and by a watchdog if the owning process dies without dropping it.

use std::io::{BufRead, Seek};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use serde_json::Value;

use crate::kubeconfig::AdminEntry;
use crate::sandbox::tls;

/// Versions the suite runs on, newest first, unless `KUBEFEDCTL_REFERENCE_VERSIONS` (comma-separated) says
/// otherwise. Kept in step with `supported` in `scripts/reference-cluster/build.sh`.
pub const SUPPORTED_VERSIONS: [&str; 2] = ["v1.37.2", "v1.34.2"];
/// The etcd the clusters store their objects in.
pub const ETCD_VERSION: &str = "v3.6.4";

/// The identity of the controller manager in the token file: excluded when counting clients' requests.
const CONTROLLER_MANAGER_USER: &str = "kube-controller-manager";

/// The versions to run on: `KUBEFEDCTL_REFERENCE_VERSIONS`, else [`SUPPORTED_VERSIONS`].
pub fn versions() -> Vec<String> {
    match std::env::var("KUBEFEDCTL_REFERENCE_VERSIONS") {
        Ok(v) if !v.trim().is_empty() => v
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => SUPPORTED_VERSIONS.iter().map(|s| s.to_string()).collect(),
    }
}

/// Where the build script caches binaries: `KUBEFEDCTL_REFERENCE_CACHE`, else
/// `$XDG_CACHE_HOME/kubefedctl/reference`, else `~/.cache/kubefedctl/reference`.
pub fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("KUBEFEDCTL_REFERENCE_CACHE").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("kubefedctl")
        .join("reference")
}

/// The three binaries of one version.
#[derive(Debug, Clone)]
pub struct Binaries {
    pub version: String,
    pub apiserver: PathBuf,
    pub controller_manager: PathBuf,
    pub etcd: PathBuf,
}

impl Binaries {
    /// The cached binaries of `version`; an error names what is missing and how to build it.
    pub fn find(version: &str) -> Result<Binaries> {
        let cache = cache_dir();
        let bin = cache.join(format!("k8s-{version}")).join("bin");
        let b = Binaries {
            version: version.to_string(),
            apiserver: bin.join("kube-apiserver"),
            controller_manager: bin.join("kube-controller-manager"),
            etcd: cache
                .join(format!("etcd-{ETCD_VERSION}"))
                .join("bin")
                .join("etcd"),
        };
        let missing: Vec<String> = [&b.apiserver, &b.controller_manager, &b.etcd]
            .into_iter()
            .filter(|p| !p.is_file())
            .map(|p| p.display().to_string())
            .collect();
        if !missing.is_empty() {
            bail!(
                "the reference servers for Kubernetes {version} are not built ({} missing); build them with \
                 `scripts/reference-cluster/build.sh {version}` (needs Go; minutes when cold)",
                missing.join(", ")
            );
        }
        Ok(b)
    }
}

/// One running cluster.
struct Member {
    name: String,
    port: u16,
    ca_pem: String,
    token: String,
    dir: PathBuf,
    apiserver_args: Vec<String>,
    apiserver: Mutex<Option<Child>>,
    controller_manager: Mutex<Option<Child>>,
    audit: Mutex<AuditCursor>,
}

/// What has been read of an audit log so far.
#[derive(Default)]
struct AuditCursor {
    offset: u64,
    events: Vec<AuditEvent>,
    sentinels: u64,
}

/// A request as the API server's audit log records it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    pub verb: String,
    #[serde(rename = "requestURI")]
    pub request_uri: String,
    pub user: AuditUser,
    #[serde(default)]
    pub object_ref: Option<AuditObjectRef>,
    #[serde(default)]
    pub response_status: Option<AuditStatus>,
    #[serde(default)]
    pub user_agent: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuditUser {
    #[serde(default)]
    pub username: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditObjectRef {
    #[serde(default)]
    pub resource: String,
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub subresource: String,
    #[serde(default)]
    pub api_group: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuditStatus {
    #[serde(default)]
    pub code: u16,
}

impl AuditEvent {
    /// Sent by a client, not by the API server itself or the controller manager.
    pub fn from_client(&self) -> bool {
        let u = self.user.username.as_str();
        u != CONTROLLER_MANAGER_USER && u != "system:apiserver" && !u.starts_with("system:kube-")
    }

    /// A request that changes state (a dry run changes nothing, and neither does a review such as a
    /// SelfSubjectRulesReview, which is a question asked with a POST).
    pub fn is_write(&self) -> bool {
        let review = self
            .object_ref
            .as_ref()
            .is_some_and(|r| crate::sandbox::cluster::is_review(&r.resource));
        matches!(
            self.verb.as_str(),
            "create" | "update" | "patch" | "delete" | "deletecollection"
        ) && !self.request_uri.contains("dryRun=")
            && !review
    }
}

/// Running reference clusters. Dropping the value stops every process it started and removes its files.
pub struct ReferenceClusters {
    version: String,
    dir: PathBuf,
    binaries: Binaries,
    etcd: Mutex<Option<Child>>,
    etcd_url: String,
    clusters: Vec<Member>,
    watchdog: Option<Child>,
}

fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free loopback port")?;
    Ok(l.local_addr()?.port())
}

fn spawn_logged(program: &Path, args: &[String], log: &Path) -> Result<Child> {
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .with_context(|| format!("creating {}", log.display()))?;
    let err = out.try_clone()?;
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .with_context(|| format!("starting {}", program.display()))
}

fn signal(child: &Child, sig: libc::c_int) {
    // SAFETY: kill(2) with a pid this process spawned and has not reaped yet.
    unsafe {
        libc::kill(child.id() as libc::pid_t, sig);
    }
}

/// SIGTERM, then SIGKILL if the process is still there after `grace`.
fn terminate(slot: &Mutex<Option<Child>>, grace: Duration) {
    let Some(mut child) = slot.lock().unwrap().take() else {
        return;
    };
    signal(&child, libc::SIGCONT);
    signal(&child, libc::SIGTERM);
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn log_tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

const AUDIT_POLICY: &str = "apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [\"RequestReceived\"]
rules:
- level: Metadata
";

impl ReferenceClusters {
    /// Starts one etcd and, per name, a kube-apiserver and a kube-controller-manager of `version`, and
    /// returns once every cluster answers `/readyz` and its controllers have made the `default`
    /// ServiceAccount.
    pub async fn start(version: &str, names: &[String]) -> Result<ReferenceClusters> {
        let binaries = Binaries::find(version)?;
        if names.is_empty() {
            bail!("no cluster names given");
        }
        tls::install_crypto_provider();
        let dir = std::env::temp_dir().join(format!(
            "kubefedctl-reference-{}-{}",
            std::process::id(),
            crate::sandbox::cluster::random_token(8).to_lowercase()
        ));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut me = ReferenceClusters {
            version: version.to_string(),
            dir: dir.clone(),
            binaries,
            etcd: Mutex::new(None),
            etcd_url: String::new(),
            clusters: Vec::new(),
            watchdog: None,
        };
        me.start_etcd().await?;
        for name in names {
            let member = me.prepare(name)?;
            me.clusters.push(member);
        }
        for m in &me.clusters {
            me.spawn_member(m)?;
        }
        me.start_watchdog()?;
        for m in &me.clusters {
            me.wait_ready(m).await?;
        }
        Ok(me)
    }

    async fn start_etcd(&mut self) -> Result<()> {
        let client_port = free_port()?;
        let peer_port = free_port()?;
        let url = format!("http://127.0.0.1:{client_port}");
        let peer = format!("http://127.0.0.1:{peer_port}");
        let data = self.dir.join("etcd");
        let args: Vec<String> = [
            "--name",
            "reference",
            "--data-dir",
            &data.display().to_string(),
            "--listen-client-urls",
            &url,
            "--advertise-client-urls",
            &url,
            "--listen-peer-urls",
            &peer,
            "--initial-advertise-peer-urls",
            &peer,
            "--initial-cluster",
            &format!("reference={peer}"),
            "--unsafe-no-fsync",
            "--log-level",
            "warn",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let log = self.dir.join("etcd.log");
        let child = spawn_logged(&self.binaries.etcd, &args, &log)?;
        *self.etcd.lock().unwrap() = Some(child);
        self.etcd_url = url;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", client_port))
                .await
                .is_ok()
            {
                return Ok(());
            }
            if let Some(status) = self
                .etcd
                .lock()
                .unwrap()
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                bail!("etcd exited ({status}):\n{}", log_tail(&log, 20));
            }
            if Instant::now() > deadline {
                bail!("etcd did not listen within 30 s:\n{}", log_tail(&log, 20));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Writes one cluster's certificates, keys, token file, audit policy and kubeconfig, and its arguments.
    fn prepare(&self, name: &str) -> Result<Member> {
        crate::validation::is_dns1123_label(name)
            .first()
            .map_or(Ok(()), |e| {
                Err(anyhow::anyhow!("invalid cluster name {name:?}: {e}"))
            })?;
        let dir = self.dir.join(name);
        std::fs::create_dir_all(dir.join("certs"))?;
        let t = tls::generate(name)?;
        let sa = rcgen::KeyPair::generate().context("generating the ServiceAccount signing key")?;
        let token = crate::sandbox::cluster::random_token(32);
        let cm_token = crate::sandbox::cluster::random_token(32);
        let write = |file: &str, text: &str| -> Result<PathBuf> {
            let p = dir.join(file);
            crate::sandbox::write_private_file(&p, text.as_bytes())?;
            Ok(p)
        };
        let ca = write("ca.crt", &t.ca_pem)?;
        let cert = write("serving.crt", &format!("{}{}", t.leaf_pem, t.ca_pem))?;
        let key = write("serving.key", &t.leaf_key_pem)?;
        let sa_key = write("sa.key", &sa.serialize_pem())?;
        let sa_pub = write("sa.pub", &sa.public_key_pem())?;
        let tokens = write(
            "tokens.csv",
            &format!(
                "{token},admin,admin,system:masters\n{cm_token},{CONTROLLER_MANAGER_USER},{CONTROLLER_MANAGER_USER},system:masters\n"
            ),
        )?;
        let policy = write("audit-policy.yaml", AUDIT_POLICY)?;
        let port = free_port()?;
        let server = format!("https://127.0.0.1:{port}");
        let cm_kubeconfig = crate::kubeconfig::admin_kubeconfig(&[AdminEntry {
            name,
            server: server.clone(),
            ca_pem: &t.ca_pem,
            token: &cm_token,
        }]);
        write(
            "controller-manager.kubeconfig",
            &serde_json::to_string(&cm_kubeconfig)?,
        )?;
        let p = |p: &Path| p.display().to_string();
        let apiserver_args: Vec<String> = vec![
            format!("--etcd-servers={}", self.etcd_url),
            format!("--etcd-prefix=/registry-{name}"),
            "--bind-address=127.0.0.1".into(),
            "--advertise-address=127.0.0.1".into(),
            format!("--secure-port={port}"),
            format!("--tls-cert-file={}", p(&cert)),
            format!("--tls-private-key-file={}", p(&key)),
            format!("--client-ca-file={}", p(&ca)),
            format!("--token-auth-file={}", p(&tokens)),
            "--authorization-mode=RBAC".into(),
            format!("--service-account-issuer=https://{name}.kubernetes.default.svc"),
            format!("--service-account-key-file={}", p(&sa_pub)),
            format!("--service-account-signing-key-file={}", p(&sa_key)),
            // Virtual: nothing ever routes to these addresses.
            "--service-cluster-ip-range=10.0.0.0/24".into(),
            "--allow-privileged=true".into(),
            "--enable-priority-and-fairness=false".into(),
            // v1.37 refuses a loopback advertise address unless the endpoint reconciler is off.
            "--endpoint-reconciler-type=none".into(),
            format!("--cert-dir={}", p(&dir.join("certs"))),
            format!("--audit-policy-file={}", p(&policy)),
            format!("--audit-log-path={}", p(&dir.join("audit.log"))),
            "--audit-log-maxsize=0".into(),
        ];
        Ok(Member {
            name: name.to_string(),
            port,
            ca_pem: t.ca_pem,
            token,
            dir,
            apiserver_args,
            apiserver: Mutex::new(None),
            controller_manager: Mutex::new(None),
            audit: Mutex::new(AuditCursor::default()),
        })
    }

    fn spawn_member(&self, m: &Member) -> Result<()> {
        self.spawn_apiserver(m)?;
        self.spawn_controller_manager(m)
    }

    fn spawn_controller_manager(&self, m: &Member) -> Result<()> {
        let p = |f: &str| m.dir.join(f).display().to_string();
        let args: Vec<String> = vec![
            format!("--kubeconfig={}", p("controller-manager.kubeconfig")),
            "--leader-elect=false".into(),
            "--secure-port=0".into(),
            format!("--service-account-private-key-file={}", p("sa.key")),
            format!("--root-ca-file={}", p("ca.crt")),
            // The controllers that need no nodes; the others would only wait for kubelets. The aggregation
            // controller fills the admin, edit and view ClusterRoles, as on any real cluster.
            "--controllers=serviceaccount-token-controller,serviceaccount-controller,namespace-controller,\
             garbage-collector-controller,root-ca-certificate-publisher-controller,deployment-controller,\
             replicaset-controller,job-controller,clusterrole-aggregation-controller"
                .into(),
        ];
        let child = spawn_logged(
            &self.binaries.controller_manager,
            &args,
            &m.dir.join("controller-manager.log"),
        )?;
        *m.controller_manager.lock().unwrap() = Some(child);
        self.write_pids()
    }

    fn spawn_apiserver(&self, m: &Member) -> Result<()> {
        let log = m.dir.join("apiserver.log");
        // Appended, so a restarted server's log follows the first one's.
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)?;
        let child = Command::new(&self.binaries.apiserver)
            .args(&m.apiserver_args)
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .with_context(|| format!("starting {}", self.binaries.apiserver.display()))?;
        *m.apiserver.lock().unwrap() = Some(child);
        self.write_pids()
    }

    /// The pids the watchdog kills if this process dies without dropping the value.
    fn write_pids(&self) -> Result<()> {
        let mut pids = Vec::new();
        let mut add = |slot: &Mutex<Option<Child>>| {
            if let Some(c) = slot.lock().unwrap().as_ref() {
                pids.push(c.id().to_string());
            }
        };
        add(&self.etcd);
        for m in &self.clusters {
            add(&m.apiserver);
            add(&m.controller_manager);
        }
        std::fs::write(self.dir.join("pids"), pids.join(" "))?;
        Ok(())
    }

    fn start_watchdog(&mut self) -> Result<()> {
        let script = format!(
            "while kill -0 {parent} 2>/dev/null; do sleep 1; done; kill -9 $(cat '{dir}/pids') 2>/dev/null; rm -rf '{dir}'",
            parent = std::process::id(),
            dir = self.dir.display()
        );
        let child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting the reference clusters' watchdog")?;
        self.watchdog = Some(child);
        Ok(())
    }

    async fn wait_ready(&self, m: &Member) -> Result<()> {
        let client = self.client(&m.name).await?;
        let deadline = Instant::now() + Duration::from_secs(90);
        let log = m.dir.join("apiserver.log");
        let mut last;
        loop {
            if let Some(status) = m
                .apiserver
                .lock()
                .unwrap()
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                bail!(
                    "kube-apiserver {} of cluster {} exited ({status}):\n{}",
                    self.version,
                    m.name,
                    log_tail(&log, 30)
                );
            }
            let ready = client
                .request_text(http::Request::get("/readyz").body(Vec::new())?)
                .await;
            match ready {
                Ok(body) if body.trim() == "ok" => break,
                Ok(body) => last = body,
                Err(e) => last = e.to_string(),
            }
            if Instant::now() > deadline {
                bail!(
                    "kube-apiserver {} of cluster {} was not ready within 90 s (last answer: {last}):\n{}",
                    self.version,
                    m.name,
                    log_tail(&log, 30)
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // The controller manager is up once it has given the default namespace its ServiceAccount.
        let sas: kube::Api<k8s_openapi::api::core::v1::ServiceAccount> =
            kube::Api::namespaced(client, "default");
        loop {
            if let Ok(Some(_)) = sas.get_opt("default").await {
                return Ok(());
            }
            // Under load the controller manager can give up waiting for the apiserver's /healthz (10 s)
            // before the apiserver is ready; it is ready now, so start it again.
            let exited = m
                .controller_manager
                .lock()
                .unwrap()
                .as_mut()
                .is_some_and(|c| c.try_wait().ok().flatten().is_some());
            if exited {
                self.spawn_controller_manager(m)?;
            }
            if Instant::now() > deadline {
                bail!(
                    "the controller manager of cluster {} made no default ServiceAccount within 90 s:\n{}",
                    m.name,
                    log_tail(&m.dir.join("controller-manager.log"), 30)
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    fn member(&self, name: &str) -> Result<&Member> {
        self.clusters
            .iter()
            .find(|m| m.name == name)
            .with_context(|| format!("no reference cluster named {name:?}"))
    }

    /// The Kubernetes version these clusters run (`v1.37.2`).
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn names(&self) -> Vec<String> {
        self.clusters.iter().map(|m| m.name.clone()).collect()
    }

    /// The cluster's HTTPS URL.
    pub fn server_url(&self, name: &str) -> Result<String> {
        Ok(format!("https://127.0.0.1:{}", self.member(name)?.port))
    }

    /// A kubeconfig shaped exactly like the one `sandbox up` writes.
    pub fn kubeconfig(&self) -> Value {
        let entries: Vec<AdminEntry<'_>> = self
            .clusters
            .iter()
            .map(|m| AdminEntry {
                name: &m.name,
                server: format!("https://127.0.0.1:{}", m.port),
                ca_pem: &m.ca_pem,
                token: &m.token,
            })
            .collect();
        crate::kubeconfig::admin_kubeconfig(&entries)
    }

    /// An admin client of one cluster.
    pub async fn client(&self, name: &str) -> Result<kube::Client> {
        self.member(name)?;
        client_from_kubeconfig(&self.kubeconfig(), name).await
    }

    /// Kills a cluster's API server at once (SIGKILL), as a crashed or unplugged member.
    pub fn kill(&self, name: &str) -> Result<()> {
        let m = self.member(name)?;
        if let Some(mut c) = m.apiserver.lock().unwrap().take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        Ok(())
    }

    /// Freezes a cluster's API server (SIGSTOP): connections are accepted by the kernel, nothing answers.
    pub fn freeze(&self, name: &str) -> Result<()> {
        if let Some(c) = self.member(name)?.apiserver.lock().unwrap().as_ref() {
            signal(c, libc::SIGSTOP);
        }
        Ok(())
    }

    /// Lets a frozen API server run again (SIGCONT).
    pub fn thaw(&self, name: &str) -> Result<()> {
        if let Some(c) = self.member(name)?.apiserver.lock().unwrap().as_ref() {
            signal(c, libc::SIGCONT);
        }
        Ok(())
    }

    /// Stops a cluster's API server (SIGTERM, state kept in etcd) so it cannot be reached.
    pub async fn stop(&self, name: &str) -> Result<()> {
        let m = self.member(name)?;
        terminate(&m.apiserver, Duration::from_secs(10));
        Ok(())
    }

    /// Starts a stopped or killed API server again, on its port and with its state, and waits until ready.
    pub async fn resume(&self, name: &str) -> Result<()> {
        let m = self.member(name)?;
        if m.apiserver.lock().unwrap().is_none() {
            self.spawn_apiserver(m)?;
        }
        self.wait_ready(m).await
    }

    /// The requests clients (everyone but the API server itself and the controller manager) have sent to
    /// `name` so far, read from its audit log once a request made now has been logged, so nothing sent
    /// before this call is missed.
    pub async fn client_requests(&self, name: &str) -> Result<Vec<AuditEvent>> {
        let m = self.member(name)?;
        let sentinel = {
            let mut a = m.audit.lock().unwrap();
            a.sentinels += 1;
            format!("kubefedctl-audit-sentinel-{}", a.sentinels)
        };
        let client = self.client(name).await?;
        let uri = format!("/api/v1/namespaces/default/configmaps/{sentinel}");
        let _ = client
            .request_text(http::Request::get(&uri).body(Vec::new())?)
            .await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            {
                let mut a = m.audit.lock().unwrap();
                read_audit(&m.dir.join("audit.log"), &mut a)?;
                if a.events.iter().rev().any(|e| e.request_uri == uri) {
                    return Ok(a
                        .events
                        .iter()
                        .filter(|e| e.from_client() && !e.request_uri.contains(AUDIT_SENTINEL))
                        .cloned()
                        .collect());
                }
            }
            if Instant::now() > deadline {
                bail!("the audit log of cluster {name} did not record a request within 10 s");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Writes clients have sent to `name` so far (see [`ReferenceClusters::client_requests`]).
    pub async fn writes(&self, name: &str) -> Result<u64> {
        Ok(self
            .client_requests(name)
            .await?
            .iter()
            .filter(|e| e.is_write())
            .count() as u64)
    }

    /// Where a cluster's logs are (`apiserver.log`, `controller-manager.log`, `audit.log`).
    pub fn log_dir(&self, name: &str) -> Result<PathBuf> {
        Ok(self.member(name)?.dir.clone())
    }
}

const AUDIT_SENTINEL: &str = "kubefedctl-audit-sentinel-";

/// Reads the complete lines appended to the audit log since the last read.
fn read_audit(path: &Path, cursor: &mut AuditCursor) -> Result<()> {
    let Ok(mut f) = std::fs::File::open(path) else {
        return Ok(());
    };
    f.seek(std::io::SeekFrom::Start(cursor.offset))?;
    let mut reader = std::io::BufReader::new(f);
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line)?;
        if n == 0 || !line.ends_with('\n') {
            // A line still being written is read next time.
            return Ok(());
        }
        cursor.offset += n as u64;
        if let Ok(e) = serde_json::from_str::<AuditEvent>(&line) {
            cursor.events.push(e);
        }
    }
}

/// An admin client for `context` of an in-memory kubeconfig.
pub async fn client_from_kubeconfig(kubeconfig: &Value, context: &str) -> Result<kube::Client> {
    let kc: kube::config::Kubeconfig = serde_json::from_value(kubeconfig.clone())?;
    let opts = kube::config::KubeConfigOptions {
        context: Some(context.to_string()),
        ..Default::default()
    };
    let cfg = kube::Config::from_custom_kubeconfig(kc, &opts).await?;
    Ok(kube::Client::try_from(cfg)?)
}

impl Drop for ReferenceClusters {
    fn drop(&mut self) {
        for m in &self.clusters {
            terminate(&m.controller_manager, Duration::from_secs(5));
        }
        for m in &self.clusters {
            terminate(&m.apiserver, Duration::from_secs(10));
        }
        terminate(&self.etcd, Duration::from_secs(5));
        if let Some(mut w) = self.watchdog.take() {
            let _ = w.kill();
            let _ = w.wait();
        }
        if std::env::var_os("KUBEFEDCTL_REFERENCE_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        } else {
            eprintln!("reference clusters' files kept in {}", self.dir.display());
        }
    }
}
