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
