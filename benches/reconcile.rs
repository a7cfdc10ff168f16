//! Benchmark of `reconcile --once`: 1,000 FederatedConfigMaps × 5 member clusters on in-process sandbox
//! clusters — a creation pass, then a no-op pass — printing wall time, requests per cluster and peak memory.
//! Sizes: `BENCH_OBJECTS` (default 1000), `BENCH_MEMBERS` (default 5), `BENCH_CONCURRENCY` (default 8).

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use futures::StreamExt;
use kubefedctl::engine::runner::{self, PassOutcome, RunOptions};
use serde_json::json;
use support::*;

const ALL_VERBS: [&str; 8] = [
    "GET", "LIST", "WATCH", "POST", "PUT", "PATCH", "APPLY", "DELETE",
];

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak resident set size of this process (sandbox clusters included), from /proc/self/status.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn counts(p: &Plane) -> Vec<(String, u64, u64)> {
    p.sb.names()
        .into_iter()
        .map(|n| {
            let m = &p.sb.cluster(&n).unwrap().metrics;
            (n, m.total(&ALL_VERBS), m.writes())
        })
        .collect()
}

async fn pass(p: &Plane, label: &str, concurrency: usize) {
    let before = counts(p);
    let start = Instant::now();
    let report = runner::reconcile_once(
        &p.host,
        &RunOptions {
            concurrency,
            ..RunOptions::default()
        },
    )
    .await
    .expect("pass");
    let elapsed = start.elapsed();
    assert_eq!(
        report.outcome(),
        PassOutcome::Converged,
        "{:?}",
        report.errors
    );
    println!(
        "{label}: {:.2}s, {} objects, {} created, {} failed",
        elapsed.as_secs_f64(),
        report.totals.objects,
        report.totals.created,
        report.totals.failed
    );
    for ((name, total, writes), (_, total0, writes0)) in counts(p).into_iter().zip(before) {
        println!(
            "  {name:>5}: {:>6} requests, {:>6} writes",
            total - total0,
            writes - writes0
        );
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let objects = env_or("BENCH_OBJECTS", 1000);
    let members = env_or("BENCH_MEMBERS", 5);
    let concurrency = env_or("BENCH_CONCURRENCY", 8);
    let names: Vec<String> = (1..=members).map(|i| format!("m{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let p = plane(&refs, &[]).await;
    p.federate_namespace("bench", json!({"clusterSelector": {}}))
        .await;
    futures::stream::iter(0..objects)
        .map(|i| {
            let p = &p;
            async move {
                p.federated_configmap(
                    "bench",
                    &format!("cm-{i:05}"),
                    json!({"template": {"data": {"index": i.to_string(), "payload": "x".repeat(256)}},
                           "placement": {"clusterSelector": {}}}),
                )
                .await
            }
        })
        .buffer_unordered(32)
        .collect::<Vec<_>>()
        .await;
    println!("reconcile --once: {objects} FederatedConfigMaps x {members} members, concurrency {concurrency}");
    pass(&p, "creation pass", concurrency).await;
    pass(&p, "no-op pass", concurrency).await;
    println!(
        "peak memory (VmHWM, sandbox clusters included): {}",
        peak_memory()
    );
}
