//! In-process sandbox clusters and kube clients for them, for tests that drive the library directly.

use kube::config::{KubeConfigOptions, Kubeconfig};
use kubefedctl::sandbox::{Sandbox, SandboxOptions};

/// A sandbox with one cluster (and kubeconfig context) per name.
pub async fn start(names: &[&str]) -> Sandbox {
    Sandbox::start(SandboxOptions {
        clusters: names.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    })
    .await
    .expect("sandbox starts")
}

/// An admin client for one cluster of the sandbox.
pub async fn client(sb: &Sandbox, context: &str) -> kube::Client {
    client_from(
        Kubeconfig::from_yaml(&sb.kubeconfig_yaml()).expect("kubeconfig parses"),
        context,
    )
    .await
}

/// A client for the same cluster authenticated with `token` instead of the admin token.
pub async fn client_with_token(sb: &Sandbox, context: &str, token: &str) -> kube::Client {
    let mut kc = Kubeconfig::from_yaml(&sb.kubeconfig_yaml()).expect("kubeconfig parses");
    for u in kc.auth_infos.iter_mut() {
        if let Some(ai) = u.auth_info.as_mut() {
            ai.token = Some(token.to_string().into());
        }
    }
    client_from(kc, context).await
}

async fn client_from(kc: Kubeconfig, context: &str) -> kube::Client {
    let opts = KubeConfigOptions {
        context: Some(context.to_string()),
        ..Default::default()
    };
    let cfg = kube::Config::from_custom_kubeconfig(kc, &opts)
        .await
        .expect("config");
    kube::Client::try_from(cfg).expect("client")
}

/// An admin client for one context of a kubeconfig file (the one `sandbox up` writes).
pub async fn client_from_file(kubeconfig: &std::path::Path, context: &str) -> kube::Client {
    client_from(
        Kubeconfig::read_from(kubeconfig).expect("kubeconfig reads"),
        context,
    )
    .await
}
