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

/// kubectl binaries to test with: (label, path). A current one (1.33 from the machine's kubectl package) and an
/// old one (1.20 from Debian, set up by `.ci/run` and named by `KUBEFEDCTL_TEST_KUBECTL_1_20`).
pub fn kubectls() -> Vec<(String, std::path::PathBuf)> {
    let mut out = Vec::new();
    let candidates = [
        (
            "1.33",
            std::env::var("KUBEFEDCTL_TEST_KUBECTL_1_33")
                .ok()
                .unwrap_or_else(|| "/usr/lib/google-cloud-sdk/bin/kubectl.1.33".into()),
        ),
        (
            "1.27",
            std::env::var("KUBEFEDCTL_TEST_KUBECTL_1_27")
                .ok()
                .unwrap_or_else(|| "/usr/lib/google-cloud-sdk/bin/kubectl.1.27".into()),
        ),
        (
            "1.20",
            std::env::var("KUBEFEDCTL_TEST_KUBECTL_1_20")
                .ok()
                .unwrap_or_else(|| ".ci/cache/kubectl-1.20/usr/bin/kubectl".into()),
        ),
    ];
    for (label, path) in candidates {
        let p = std::path::PathBuf::from(&path);
        let p = if p.is_relative() {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
        } else {
            p
        };
        if p.exists() {
            out.push((label.to_string(), p));
        } else if require_clients() {
            panic!("kubectl {label} is required under CI=true but {} does not exist (.ci/run installs it)", p.display());
        } else {
            eprintln!(
                "skipping kubectl {label}: {} not found (run .ci/run to install it)",
                p.display()
            );
        }
    }
    out
}
