//! Sandbox throughput and memory, so we know it is never the bottleneck when measuring kubefedctl.
//! Run on demand: `cargo bench --bench sandbox` (env `OBJECTS`, default 100000; `CONCURRENCY`, default 32).
//! Prints requests/s for create, get, list (limit 500 pages) and server-side apply, and the process's peak RSS.

use std::time::Instant;

use futures::{stream, StreamExt};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kubefedctl::sandbox::{Sandbox, SandboxOptions};
use serde_json::json;

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l.to_string())
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn timed<F, Fut>(label: &str, n: usize, conc: usize, f: F)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let start = Instant::now();
    stream::iter(0..n).for_each_concurrent(conc, &f).await;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{label:<8} {n:>8} requests  {secs:>8.2} s  {:>10.0} req/s",
        n as f64 / secs
    );
}

#[tokio::main]
async fn main() {
    let n = env_usize("OBJECTS", 100_000);
    let conc = env_usize("CONCURRENCY", 32);
    let sb = Sandbox::start(SandboxOptions {
        clusters: vec!["bench".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let kc = Kubeconfig::from_yaml(&sb.kubeconfig_yaml()).unwrap();
    let cfg = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .unwrap();
    let client = kube::Client::try_from(cfg).unwrap();
    let cms: Api<ConfigMap> = Api::namespaced(client, "default");
    let base_rss = rss_kib("VmRSS:");
    println!("sandbox benchmark: {n} ConfigMaps, concurrency {conc}");
    timed("create", n, conc, |i| {
        let cms = cms.clone();
        async move {
            let cm: ConfigMap = serde_json::from_value(
                json!({"metadata": {"name": format!("cm-{i}"), "labels": {"bench": "1"}},
                "data": {"key": format!("value-{i}")}}),
            )
            .unwrap();
            cms.create(&PostParams::default(), &cm).await.unwrap();
        }
    })
    .await;
    let after_create = rss_kib("VmRSS:");
    timed("get", n.min(20_000), conc, |i| {
        let cms = cms.clone();
        async move {
            cms.get(&format!("cm-{i}")).await.unwrap();
        }
    })
    .await;
    let start = Instant::now();
    let mut pages = 0;
    let mut items = 0;
    let mut token: Option<String> = None;
    loop {
        let mut lp = ListParams::default().limit(500);
        if let Some(t) = &token {
            lp = lp.continue_token(t);
        }
        let page = cms.list(&lp).await.unwrap();
        pages += 1;
        items += page.items.len();
        token = page.metadata.continue_.filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "list     {pages:>8} pages     {secs:>8.2} s  {:>10.0} items/s ({items} items)",
        items as f64 / secs
    );
    timed("apply", n.min(20_000), conc, |i| {
        let cms = cms.clone();
        async move {
            let cfg = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("cm-{i}")},
                "data": {"key": format!("value-{i}"), "applied": "yes"}});
            cms.patch(&format!("cm-{i}"), &PatchParams::apply("bench"), &Patch::Apply(&cfg)).await.unwrap();
        }
    })
    .await;
    println!(
        "memory   RSS before {:.0} MiB, after {n} objects {:.0} MiB, peak {:.0} MiB (client and server in one process)",
        base_rss as f64 / 1024.0,
        after_create as f64 / 1024.0,
        rss_kib("VmHWM:") as f64 / 1024.0
    );
}
