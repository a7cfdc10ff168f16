//! The propagation engine's fixtures: an in-process sandbox host with a control plane and members
//! registered the way `join` registers them (KubeFedCluster + Secret holding the member's token), driven
//! through the library or the binary.

use base64::Engine as _;
use serde_json::{json, Value};

use kubefedctl::engine::runner::{self, Report, RunOptions};
use kubefedctl::kubefed::crds::control_plane_crds;
use kubefedctl::kubefed::typeconfig::{
    default_types, federated_crd, federated_type_config, TargetType,
};
use kubefedctl::kubefed::types::{KubeFedCluster, KubeFedConfig};
use kubefedctl::sandbox::Sandbox;

use super::api::{configmaps, core, crd_ar, create, federated, get, until_established};
use super::process::{kubefedctl, output, stderr, stdout};
use super::sandbox::{client, start};

pub const NS: &str = "kube-federation-system";

pub struct Plane {
    pub sb: Sandbox,
    pub host: kube::Client,
    pub members: Vec<String>,
    pub dir: tempfile::TempDir,
}

async fn create_crd(client: &kube::Client, crd: Value) {
    let name = crd["metadata"]["name"].as_str().unwrap().to_string();
    create(client, &crd_ar(), None, crd).await;
    until_established(client, &name, 10).await;
}

pub fn target(name: &str) -> TargetType {
    default_types()
        .into_iter()
        .find(|t| t.group_qualified_name() == name)
        .unwrap_or_else(|| panic!("no default type {name}"))
}

/// Enables a type: its Federated<Kind> CRD and FTC in the host.
pub async fn enable(host: &kube::Client, t: &TargetType, schema: Option<&Value>) {
    create_crd(
        host,
        federated_crd(t, schema, "types.kubefed.io", "v1beta1"),
    )
    .await;
    let ftc = federated_type_config(t, "types.kubefed.io", "v1beta1", NS);
    create(
        host,
        &kubefedctl::kubefed::types::FederatedTypeConfig::api_resource(),
        Some(NS),
        ftc,
    )
    .await;
}

/// Host + members, control plane installed (Cluster scope unless said), types `namespaces` and `configmaps`
/// enabled, members registered with their admin token. `labels` gives KubeFedCluster labels per member.
pub async fn plane(members: &[&str], labels: &[(&str, &[(&str, &str)])]) -> Plane {
    plane_with(members, labels, "Cluster", |_| {}).await
}

pub async fn plane_with(
    members: &[&str],
    labels: &[(&str, &[(&str, &str)])],
    scope: &str,
    tweak: impl FnOnce(&mut KubeFedConfig),
) -> Plane {
    let mut names = vec!["host".to_string()];
    names.extend(members.iter().map(|m| m.to_string()));
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let sb = start(&names).await;
    let host = client(&sb, "host").await;
    create(
        &host,
        &core("Namespace", "namespaces"),
        None,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}}),
    )
    .await;
    for crd in control_plane_crds() {
        create_crd(&host, crd).await;
    }
    let mut config = KubeFedConfig::with_defaults(scope, NS);
    tweak(&mut config);
    create(
        &host,
        &KubeFedConfig::api_resource(),
        Some(NS),
        serde_json::to_value(&config).unwrap(),
    )
    .await;
    enable(&host, &target("namespaces"), None).await;
    enable(&host, &target("configmaps"), None).await;
    for m in members {
        let c = sb.cluster(m).unwrap();
        let label_map: serde_json::Map<String, Value> = labels
            .iter()
            .find(|(n, _)| n == m)
            .map(|(_, ls)| ls.iter().map(|(k, v)| (k.to_string(), json!(v))).collect())
            .unwrap_or_default();
        register(
            &host,
            m,
            &c.server_url(),
            &c.ca_pem,
            &c.admin_token,
            label_map,
        )
        .await;
    }
    Plane {
        sb,
        host,
        members: members.iter().map(|s| s.to_string()).collect(),
        dir: tempfile::tempdir().unwrap(),
    }
}

/// Registers a member the way `join` does: a Secret with `data.token` and a KubeFedCluster naming it.
pub async fn register(
    host: &kube::Client,
    name: &str,
    endpoint: &str,
    ca_pem: &str,
    token: &str,
    labels: serde_json::Map<String, Value>,
) {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    create(
        host,
        &core("Secret", "secrets"),
        Some(NS),
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": format!("{name}-secret")}, "data": {"token": b64(token)}}),
    )
    .await;
    create(
        host,
        &KubeFedCluster::api_resource(),
        Some(NS),
        json!({
            "apiVersion": "core.kubefed.io/v1beta1",
            "kind": "KubeFedCluster",
            "metadata": {"name": name, "labels": labels},
            "spec": {"apiEndpoint": endpoint, "caBundle": b64(ca_pem), "secretRef": {"name": format!("{name}-secret")}}
        }),
    )
    .await;
}

impl Plane {
    pub async fn member(&self, name: &str) -> kube::Client {
        client(&self.sb, name).await
    }

    /// Creates a namespace in the host and its FederatedNamespace with the given placement.
    pub async fn federate_namespace(&self, ns: &str, placement: Value) {
        create(
            &self.host,
            &core("Namespace", "namespaces"),
            None,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        )
        .await;
        create(
            &self.host,
            &federated("Namespace"),
            Some(ns),
            json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedNamespace", "metadata": {"name": ns, "namespace": ns}, "spec": {"placement": placement}}),
        )
        .await;
    }

    /// Creates a namespace in the host without federating it.
    pub async fn host_namespace(&self, ns: &str) {
        create(
            &self.host,
            &core("Namespace", "namespaces"),
            None,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        )
        .await;
    }

    pub async fn federated_configmap(&self, ns: &str, name: &str, spec: Value) -> Value {
        create(
            &self.host,
            &federated("ConfigMap"),
            Some(ns),
            json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedConfigMap", "metadata": {"name": name, "namespace": ns}, "spec": spec}),
        )
        .await
    }

    pub async fn once(&self) -> Report {
        self.once_with(RunOptions::default()).await
    }

    pub async fn once_with(&self, opts: RunOptions) -> Report {
        runner::reconcile_once(&self.host, &opts)
            .await
            .expect("pass runs")
    }

    /// Write requests served so far, per cluster (host included).
    pub fn writes(&self) -> Vec<(String, u64)> {
        self.sb
            .names()
            .into_iter()
            .map(|n| {
                let w = self.sb.cluster(&n).unwrap().metrics.writes();
                (n, w)
            })
            .collect()
    }

    pub async fn configmap(&self, cluster: &str, ns: &str, name: &str) -> Option<Value> {
        get(&self.member(cluster).await, &configmaps(), Some(ns), name).await
    }

    pub fn kubeconfig_path(&self) -> std::path::PathBuf {
        let p = self.dir.path().join("kubeconfig");
        if !p.exists() {
            self.sb.write_kubeconfig(&p).unwrap();
        }
        p
    }

    /// Runs the kubefedctl binary against the host context (off the async runtime, which keeps serving the
    /// sandbox); returns (exit code, stdout, stderr).
    pub async fn cli(&self, args: &[&str]) -> (i32, String, String) {
        let mut cmd = kubefedctl(&self.kubeconfig_path());
        cmd.args(["--host-cluster-context", "host"]).args(args);
        let out = output(cmd, None).await;
        (out.status.code().unwrap_or(-1), stdout(&out), stderr(&out))
    }
}

pub fn record<'a>(
    report: &'a Report,
    cluster: &str,
    name: &str,
) -> Option<&'a kubefedctl::engine::reconcile::Record> {
    report
        .records
        .iter()
        .find(|r| r.cluster == cluster && r.name == name)
}

pub fn labels(obj: &Value) -> Value {
    obj.pointer("/metadata/labels")
        .cloned()
        .unwrap_or(Value::Null)
}
