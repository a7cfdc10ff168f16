//! The sandbox: Kubernetes-API-compatible clusters served over HTTPS on loopback, for tests, the demo and trying
//! kubefedctl. `Sandbox::start` runs N independent clusters in-process and hands back a kubeconfig.

pub mod api;
pub mod builtin;
pub mod cluster;
pub mod controllers;
pub mod datadir;
pub mod discovery;
pub mod hooks;
pub mod objects;
pub mod openapi;
pub mod owners;
pub mod patch;
pub mod protobuf;
pub mod rbac;
pub mod registry;
pub mod request;
pub mod schema;
pub mod server;
pub mod status;
pub mod store;
pub mod table;
pub mod tls;
pub mod watch;
pub mod workloads;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch as signal;

pub use cluster::Cluster;

/// Parses a YAML (or JSON) document into JSON.
pub fn yaml_value(bytes: &[u8]) -> Result<Value, String> {
    serde_yaml::from_slice::<Value>(bytes).map_err(|e| format!("error decoding YAML: {e}"))
}

/// What to start.
#[derive(Debug, Clone, Default)]
pub struct SandboxOptions {
    pub clusters: Vec<String>,
    /// Persist state (and credentials) under `<dir>/<cluster>`.
    pub data_dir: Option<PathBuf>,
    /// First port; clusters get consecutive ports. None = free ports.
    pub port: Option<u16>,
    /// Simulate a node and the workload controllers in each cluster (pods become Running and Ready);
    /// off, a cluster is the bare API server.
    pub workloads: bool,
}

struct Running {
    cluster: Arc<Cluster>,
    tls: Arc<rustls::ServerConfig>,
    stop: Option<signal::Sender<bool>>,
}

/// Running sandbox clusters. Dropping it stops them.
pub struct Sandbox {
    clusters: Vec<Running>,
    moved: Vec<(String, u16, u16)>,
}

fn validate_cluster_name(name: &str) -> Result<()> {
    let errs = kubefedctl_apimachinery::validation::is_dns1123_label(name);
    if !errs.is_empty() {
        bail!("invalid cluster name {name:?}: {}", errs.join("; "));
    }
    Ok(())
}

/// Refuses (as invalid input, before anything is read or written) a data dir that group or others can write to.
fn refuse_shared_data_dir(dir: &Path, clusters: &[String]) -> Result<()> {
    let found = datadir::writable_by_others(dir, clusters)
        .with_context(|| format!("checking the permissions of {}", dir.display()))?;
    let Some(w) = found else {
        return Ok(());
    };
    let (what, private) = if w.path.is_dir() {
        ("directory", "700")
    } else {
        ("file", "600")
    };
    Err(kubefedctl_apimachinery::error::invalid_input(format!(
        "the data {what} {} can be written by other users (mode {:04o}); it would hold every Secret of the \
         clusters, member credentials included, and their CA keys and admin tokens",
        w.path.display(),
        w.mode
    ))
    .with_hint(format!(
        "make it private with `chmod {private} {}`, or pass a --data-dir only you can write to",
        w.path.display()
    ))
    .into())
}

/// Credentials kept on disk so a persistent cluster keeps its CA, serving certificate, admin token and port.
fn load_or_create_identity(
    name: &str,
    dir: Option<&Path>,
) -> Result<(tls::ClusterTls, Option<String>, Option<u16>)> {
    let Some(dir) = dir else {
        return Ok((tls::generate(name)?, None, None));
    };
    let path = dir.join("identity.json");
    if path.exists() {
        let v: Value = serde_json::from_slice(&std::fs::read(&path)?)
            .with_context(|| format!("reading {}", path.display()))?;
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        let t = tls::from_pem(&s("ca"), &s("cert"), &s("key"))?;
        let port = v["port"].as_u64().and_then(|p| u16::try_from(p).ok());
        return Ok((t, Some(s("token")), port));
    }
    Ok((tls::generate(name)?, None, None))
}

fn save_identity(dir: &Path, t: &tls::ClusterTls, token: &str, port: u16) -> Result<()> {
    let v = json!({"ca": t.ca_pem, "cert": t.leaf_pem, "key": t.leaf_key_pem, "token": token, "port": port});
    write_private_file(
        &dir.join("identity.json"),
        serde_json::to_string(&v)?.as_bytes(),
    )
}

/// Writes a file atomically with mode 0600 (credentials).
pub fn write_private_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts
            .open(&tmp)
            .with_context(|| format!("writing {}", tmp.display()))?;
        // A temporary file left by a crash keeps its old mode when reopened.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))
                .with_context(|| format!("writing {}", tmp.display()))?;
        }
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

impl Sandbox {
    /// Starts every cluster and returns once all of them accept connections.
    pub async fn start(opts: SandboxOptions) -> Result<Sandbox> {
        if opts.clusters.is_empty() {
            bail!("no cluster names given");
        }
        let mut seen = std::collections::BTreeSet::new();
        for n in &opts.clusters {
            validate_cluster_name(n)?;
            if !seen.insert(n) {
                bail!("cluster name {n:?} is given twice");
            }
        }
        if let Some(dir) = &opts.data_dir {
            refuse_shared_data_dir(dir, &opts.clusters)?;
        }
        tls::install_crypto_provider();
        let mut clusters = Vec::new();
        let mut moved = Vec::new();
        for (i, name) in opts.clusters.iter().enumerate() {
            let dir = opts.data_dir.as_ref().map(|d| d.join(name));
            let store = match &dir {
                Some(d) => store::Store::open(d).with_context(|| {
                    format!("opening the data of cluster {name} in {}", d.display())
                })?,
                None => store::Store::in_memory(),
            };
            let (identity, token, kept_port) = load_or_create_identity(name, dir.as_deref())?;
            let listener = match (opts.port, kept_port) {
                (Some(p), _) => {
                    let addr = format!("127.0.0.1:{}", p + i as u16);
                    TcpListener::bind(&addr)
                        .await
                        .with_context(|| format!("listening on {addr} for cluster {name}"))?
                }
                // A persistent cluster comes back on its port, so registrations made before still reach it.
                (None, Some(p)) => match TcpListener::bind(("127.0.0.1", p)).await {
                    Ok(l) => l,
                    Err(_) => {
                        let l = TcpListener::bind("127.0.0.1:0")
                            .await
                            .context("listening on 127.0.0.1")?;
                        moved.push((name.clone(), p, l.local_addr()?.port()));
                        l
                    }
                },
                (None, None) => TcpListener::bind("127.0.0.1:0")
                    .await
                    .context("listening on 127.0.0.1")?,
            };
            let port = listener.local_addr()?.port();
            let mut cluster = Cluster::new(name, store, identity.ca_pem.clone(), port);
            if let Some(t) = token {
                cluster.admin_token = t;
            }
            if opts.workloads {
                cluster.workloads = Some(workloads::Workloads::new());
            }
            if let Some(d) = &dir {
                save_identity(d, &identity, &cluster.admin_token, port)?;
            }
            let cluster = Arc::new(cluster);
            bootstrap(&cluster);
            tokio::spawn(controllers::run(Arc::downgrade(&cluster)));
            let mut running = Running {
                cluster,
                tls: identity.server_config,
                stop: None,
            };
            running.serve(listener);
            clusters.push(running);
        }
        Ok(Sandbox { clusters, moved })
    }

    /// Persistent clusters that could not get their former port back: (name, old port, new port).
    pub fn moved(&self) -> &[(String, u16, u16)] {
        &self.moved
    }

    pub fn names(&self) -> Vec<String> {
        self.clusters
            .iter()
            .map(|r| r.cluster.name.clone())
            .collect()
    }

    /// Freezes (`true`) or thaws a cluster: while frozen it accepts connections and answers nothing,
    /// as an API server stopped with SIGSTOP does.
    pub fn set_frozen(&self, name: &str, frozen: bool) -> Result<()> {
        self.cluster(name)
            .context("no such cluster")?
            .frozen
            .store(frozen, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    pub fn cluster(&self, name: &str) -> Option<&Arc<Cluster>> {
        self.clusters
            .iter()
            .find(|r| r.cluster.name == name)
            .map(|r| &r.cluster)
    }

    /// A kubeconfig with one cluster, user and context per cluster; current-context = the first.
    pub fn kubeconfig(&self) -> Value {
        let entries: Vec<_> = self
            .clusters
            .iter()
            .map(|r| kubefedctl_apimachinery::kubeconfig::AdminEntry {
                name: &r.cluster.name,
                server: r.cluster.server_url(),
                ca_pem: &r.cluster.ca_pem,
                token: &r.cluster.admin_token,
            })
            .collect();
        kubefedctl_apimachinery::kubeconfig::admin_kubeconfig(&entries)
    }

    pub fn kubeconfig_yaml(&self) -> String {
        serde_yaml::to_string(&self.kubeconfig()).unwrap_or_default()
    }

    /// Writes the kubeconfig atomically with mode 0600.
    pub fn write_kubeconfig(&self, path: &Path) -> Result<()> {
        write_private_file(path, self.kubeconfig_yaml().as_bytes())
    }

    /// Stops serving one cluster (connections are refused and open ones dropped); its state is kept.
    pub async fn stop(&mut self, name: &str) -> Result<()> {
        let r = self
            .clusters
            .iter_mut()
            .find(|r| r.cluster.name == name)
            .context("no such cluster")?;
        if let Some(stop) = r.stop.take() {
            let _ = stop.send(true);
        }
        // Give the accept loop a moment to close its listener.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        Ok(())
    }

    /// Serves a stopped cluster again on its port.
    pub async fn resume(&mut self, name: &str) -> Result<()> {
        let r = self
            .clusters
            .iter_mut()
            .find(|r| r.cluster.name == name)
            .context("no such cluster")?;
        if r.stop.is_some() {
            return Ok(());
        }
        let addr = format!("127.0.0.1:{}", r.cluster.port);
        let mut last = None;
        for _ in 0..50 {
            match TcpListener::bind(&addr).await {
                Ok(l) => {
                    r.serve(l);
                    return Ok(());
                }
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        Err(last
            .map(anyhow::Error::from)
            .unwrap_or_else(|| anyhow::anyhow!("bind failed")))
        .context(addr)
    }

    /// Request counts per cluster (from `/metrics`).
    pub fn metrics(&self) -> BTreeMap<String, String> {
        self.clusters
            .iter()
            .map(|r| (r.cluster.name.clone(), r.cluster.metrics.render()))
            .collect()
    }
}

impl Running {
    fn serve(&mut self, listener: TcpListener) {
        let (tx, rx) = signal::channel(false);
        self.stop = Some(tx);
        tokio::spawn(server::serve(
            self.cluster.clone(),
            listener,
            self.tls.clone(),
            rx,
        ));
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for r in &mut self.clusters {
            if let Some(stop) = r.stop.take() {
                let _ = stop.send(true);
            }
        }
    }
}

/// What a fresh cluster holds: the system namespaces, the bootstrap RBAC policy and the `kubernetes` Service.
fn bootstrap(c: &Arc<Cluster>) {
    let sys = hooks::SystemRequest::new("kube-apiserver");
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
        if c.store.get("", "namespaces", "", ns).is_none() {
            if let Some(ctx) = sys.ctx(c, "", "namespaces", "", ns) {
                let _ = api::create_object(
                    &ctx,
                    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
                    None,
                );
            }
        }
    }
    for obj in rbac::bootstrap_policy() {
        let plural = match obj["kind"].as_str() {
            Some("ClusterRole") => "clusterroles",
            Some("ClusterRoleBinding") => "clusterrolebindings",
            _ => continue,
        };
        let name = objects::name(&obj).to_string();
        if c.store
            .get(cluster::RBAC_GROUP, plural, "", &name)
            .is_none()
        {
            if let Some(ctx) = sys.ctx(c, cluster::RBAC_GROUP, plural, "", &name) {
                let _ = api::create_object(&ctx, obj, None);
            }
        }
    }
    if c.store
        .get("", "services", "default", "kubernetes")
        .is_none()
    {
        if let Some(ctx) = sys.ctx(c, "", "services", "default", "kubernetes") {
            let _ = api::create_object(
                &ctx,
                json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubernetes", "namespace": "default",
                    "labels": {"component": "apiserver", "provider": "kubernetes"}},
                    "spec": {"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}}),
                None,
            );
        }
    }
    c.invalidate_authz();
}
