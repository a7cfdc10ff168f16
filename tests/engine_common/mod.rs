//! Test fixtures for the propagation engine: a sandbox host with a control plane and members registered the
//! way `join` registers them (KubeFedCluster + Secret holding the member's token), plus small object helpers.
#![allow(dead_code)]

use base64::Engine as _;
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams};
use kube::core::ApiResource;
use serde_json::{json, Value};

use kubefedctl::engine::runner::{self, Report, RunOptions};
use kubefedctl::kubefed::crds::control_plane_crds;
use kubefedctl::kubefed::typeconfig::{
    default_types, federated_crd, federated_type_config, TargetType,
};
use kubefedctl::kubefed::types::{KubeFedCluster, KubeFedConfig};
use kubefedctl::sandbox::{Sandbox, SandboxOptions};

pub const NS: &str = "kube-federation-system";

#[path = "../support/mod.rs"]
mod support;
/// One polling helper for every test: the backends' support module's.
pub use support::eventually;

pub struct Plane {
    pub sb: Sandbox,
    pub host: kube::Client,
    pub members: Vec<String>,
    pub dir: tempfile::TempDir,
}

pub async fn client(sb: &Sandbox, context: &str) -> kube::Client {
    let kc = kube::config::Kubeconfig::from_yaml(&sb.kubeconfig_yaml()).expect("kubeconfig");
    let opts = kube::config::KubeConfigOptions {
        context: Some(context.to_string()),
        ..Default::default()
    };
    let cfg = kube::Config::from_custom_kubeconfig(kc, &opts)
        .await
        .expect("config");
    kube::Client::try_from(cfg).expect("client")
}

pub fn crd_ar() -> ApiResource {
    ApiResource {
        group: "apiextensions.k8s.io".into(),
        version: "v1".into(),
        api_version: "apiextensions.k8s.io/v1".into(),
        kind: "CustomResourceDefinition".into(),
        plural: "customresourcedefinitions".into(),
    }
}

pub fn core(kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: String::new(),
        version: "v1".into(),
        api_version: "v1".into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

pub fn configmaps() -> ApiResource {
    core("ConfigMap", "configmaps")
}

pub fn fed(kind: &str) -> ApiResource {
    ApiResource {
        group: "types.kubefed.io".into(),
        version: "v1beta1".into(),
        api_version: "types.kubefed.io/v1beta1".into(),
        kind: format!("Federated{kind}"),
        plural: format!("federated{}s", kind.to_lowercase()),
    }
}

fn api(client: &kube::Client, ar: &ApiResource, ns: Option<&str>) -> Api<DynamicObject> {
    match ns {
        Some(ns) => Api::namespaced_with(client.clone(), ns, ar),
        None => Api::all_with(client.clone(), ar),
    }
}

pub async fn create(
    client: &kube::Client,
    ar: &ApiResource,
    ns: Option<&str>,
    obj: Value,
) -> Value {
    let o: DynamicObject = serde_json::from_value(obj).expect("object");
    let created = api(client, ar, ns)
        .create(&PostParams::default(), &o)
        .await
        .unwrap_or_else(|e| panic!("create {}: {e}", ar.kind));
    serde_json::to_value(created).unwrap()
}

pub async fn get(
    client: &kube::Client,
    ar: &ApiResource,
    ns: Option<&str>,
    name: &str,
) -> Option<Value> {
    api(client, ar, ns)
        .get_opt(name)
        .await
        .unwrap_or_else(|e| panic!("get {} {name}: {e}", ar.kind))
        .map(|o| serde_json::to_value(o).unwrap())
}

pub async fn merge(
    client: &kube::Client,
    ar: &ApiResource,
    ns: Option<&str>,
    name: &str,
    patch: Value,
) -> Value {
    let o = api(client, ar, ns)
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .unwrap_or_else(|e| panic!("patch {} {name}: {e}", ar.kind));
    serde_json::to_value(o).unwrap()
}

pub async fn delete(client: &kube::Client, ar: &ApiResource, ns: Option<&str>, name: &str) {
    api(client, ar, ns)
        .delete(name, &DeleteParams::default())
        .await
        .unwrap_or_else(|e| panic!("delete {} {name}: {e}", ar.kind));
}

async fn create_crd(client: &kube::Client, crd: Value) {
    let name = crd["metadata"]["name"].as_str().unwrap().to_string();
    create(client, &crd_ar(), None, crd).await;
    eventually(10, &format!("CRD {name} established"), || {
        let client = client.clone();
        let name = name.clone();
        async move {
            let crd = get(&client, &crd_ar(), None, &name).await?;
            let established = crd["status"]["conditions"]
                .as_array()?
                .iter()
                .any(|c| c["type"] == "Established" && c["status"] == "True");
            established.then_some(())
        }
    })
    .await;
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
    let sb = Sandbox::start(SandboxOptions {
        clusters: names,
        ..Default::default()
    })
    .await
    .expect("sandbox");
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
            &fed("Namespace"),
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
            &fed("ConfigMap"),
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
        let kubeconfig = self.kubeconfig_path();
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        tokio::task::spawn_blocking(move || {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubefedctl"))
                .arg("--kubeconfig")
                .arg(&kubeconfig)
                .arg("--host-cluster-context")
                .arg("host")
                .args(&args)
                .env_remove("KUBECONFIG")
                .env("NO_COLOR", "1")
                .output()
                .expect("binary runs");
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
        .await
        .unwrap()
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
