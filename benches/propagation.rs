//! Propagation benchmark through the binary, on the sandbox or on real kube-apiservers
//! (`KUBEFEDCTL_BACKEND=sandbox|real|real:v1.34.2`): a host with `BENCH_MEMBERS` joined members (default 3)
//! and `BENCH_OBJECTS` FederatedConfigMaps (default 1000); `BENCH_CONCURRENCY` is passed to `reconcile --once`
//! as `--concurrency` (default: the command's own).
//!
//! - `reconcile --once`: a creating pass, timed beside `kubectl apply --server-side` of the same ConfigMaps to
//!   each member in turn (when kubectl is found), then a no-op pass: its time and its writes (should be 0).
//! - `reconcile --watch`: `BENCH_CHANGES` (default 20) template changes, one at a time; for each, the time
//!   until member1 serves the new value, and the LIST and write requests the members received.
//!   Also the watcher's peak RSS.
//!
//! `cargo bench --bench propagation`; prints the figures the README quotes.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::json;
use support::*;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn sum(counts: &std::collections::BTreeMap<String, u64>, members: &[String]) -> u64 {
    members.iter().map(|m| counts[m]).sum()
}

fn configmap(ns: &str, i: usize) -> serde_json::Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("cm-{i:05}"), "namespace": ns},
        "data": {"index": i.to_string(), "payload": "x".repeat(256)}})
}

/// Peak resident set size of a process, in MiB.
fn peak_rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// `kubectl apply --server-side` of the same ConfigMaps to each member in turn: what a user would do by hand.
async fn kubectl_loop(bed: &Bed, members: &[String], objects: usize) -> Option<Duration> {
    let kubectl = kubectl(CURRENT_KUBECTL)?;
    let manifest = bed.dir().join("baseline.yaml");
    let docs: Vec<String> = (0..objects)
        .map(|i| serde_json::to_string(&configmap("baseline", i)).unwrap())
        .collect();
    std::fs::write(&manifest, docs.join("\n---\n")).unwrap();
    let run = |args: Vec<String>| {
        let status = std::process::Command::new(&kubectl)
            .arg("--kubeconfig")
            .arg(&bed.kubeconfig)
            .args(&args)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("kubectl runs");
        assert!(status.success(), "kubectl {args:?}");
    };
    for m in members {
        run(vec![
            "--context".into(),
            m.clone(),
            "create".into(),
            "namespace".into(),
            "baseline".into(),
        ]);
    }
    let start = Instant::now();
    for m in members {
        run(vec![
            "--context".into(),
            m.clone(),
            "apply".into(),
            "--server-side".into(),
            "-f".into(),
            manifest.display().to_string(),
        ]);
    }
    Some(start.elapsed())
}

/// CPU time (user + system) of the finished child processes so far: what a pass's `kubefedctl` spent,
/// whatever else the machine was doing meanwhile.
fn children_cpu() -> Duration {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

async fn timed_pass(bed: &Bed, members: &[String], label: &str) -> Duration {
    let (w0, l0) = (bed.writes().await, bed.lists().await);
    let cpu0 = children_cpu();
    let start = Instant::now();
    let mut args = vec!["reconcile".to_string(), "--once".to_string()];
    if let Ok(c) = std::env::var("BENCH_CONCURRENCY") {
        args.extend(["--concurrency".to_string(), c]);
    }
    let verbose = std::env::var("BENCH_VERBOSE").is_ok_and(|v| v == "1");
    if verbose {
        args.push("-v".to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = bed.run(&args).await;
    let took = start.elapsed();
    if verbose {
        eprintln!("{}", stderr(&out));
    }
    bed.expect(out, 0, label);
    let (w1, l1) = (bed.writes().await, bed.lists().await);
    println!(
        "  {label}: {:.2} s (kubefedctl CPU {:.2} s), member writes {}, host writes {}, member LISTs {}",
        took.as_secs_f64(),
        (children_cpu() - cpu0).as_secs_f64(),
        sum(&w1, members) - sum(&w0, members),
        w1["host"] - w0["host"],
        sum(&l1, members) - sum(&l0, members)
    );
    took
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let backend = Backend::from_env().expect("KUBEFEDCTL_BACKEND");
    let objects = env_or("BENCH_OBJECTS", 1000);
    let member_count = env_or("BENCH_MEMBERS", 3);
    let changes = env_or("BENCH_CHANGES", 20);
    let members: Vec<String> = (1..=member_count).map(|i| format!("member{i}")).collect();
    let mut names = vec!["host"];
    names.extend(members.iter().map(String::as_str));
    let bed = Bed::start(&backend, &names).await;
    println!(
        "propagation on {}: {objects} FederatedConfigMaps x {member_count} members",
        bed.label()
    );

    bed.expect(bed.run(&["init"]).await, 0, "init");
    for m in &members {
        bed.expect(
            bed.run(&["join", m, "--cluster-context", m]).await,
            0,
            "join",
        );
    }
    let host = bed.client("host").await;
    bed.apply(
        "host",
        &core("Namespace", "namespaces"),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "bench"}}),
    )
    .await;
    bed.apply("host", &federated("Namespace"),
        json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedNamespace",
            "metadata": {"name": "bench", "namespace": "bench"}, "spec": {"placement": {"clusterSelector": {}}}})).await;
    let fed_api = api(&host, &federated("ConfigMap"), Some("bench"));
    futures::stream::iter(0..objects)
        .map(|i| {
            let fed_api = fed_api.clone();
            async move {
                let cm = configmap("bench", i);
                let name = cm["metadata"]["name"].as_str().unwrap().to_string();
                let obj = json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedConfigMap",
                    "metadata": {"name": name, "namespace": "bench"},
                    "spec": {"template": {"data": cm["data"]}, "placement": {"clusterSelector": {}}}});
                fed_api
                    .patch(&name, &kube::api::PatchParams::apply("bench").force(), &kube::api::Patch::Apply(&obj))
                    .await
                    .unwrap_or_else(|e| panic!("federated configmap {name}: {e}"));
            }
        })
        .buffer_unordered(32)
        .collect::<Vec<_>>()
        .await;

    println!("reconcile --once:");
    let creating = timed_pass(&bed, &members, "creating pass").await;
    // More than one no-op pass (`BENCH_NOOP_PASSES`) gives the median, for comparing changes.
    let mut noops: Vec<Duration> = Vec::new();
    for _ in 0..env_or("BENCH_NOOP_PASSES", 1).max(1) {
        noops.push(timed_pass(&bed, &members, "no-op pass").await);
    }
    noops.sort();
    let noop = noops[noops.len() / 2];
    println!(
        "  no-op / creating: {:.3}",
        noop.as_secs_f64() / creating.as_secs_f64()
    );
    // `BENCH_KUBECTL=0` leaves the kubectl loop out (minutes at 10,000 objects).
    let kubectl_loop = if env_or("BENCH_KUBECTL", 1) == 0 {
        None
    } else {
        kubectl_loop(&bed, &members, objects).await
    };
    match kubectl_loop {
        Some(t) => println!(
            "  kubectl apply --server-side, member by member: {:.2} s (creating pass / kubectl: {:.2})",
            t.as_secs_f64(),
            creating.as_secs_f64() / t.as_secs_f64()
        ),
        None => println!("  no kubectl baseline (kubectl not found, or BENCH_KUBECTL=0)"),
    }

    println!("reconcile --watch, {changes} template changes one at a time:");
    let watch = bed.spawn(&["reconcile", "--watch"]);
    let started = Instant::now();
    // Ready when a change made now reaches member1.
    let cm = core("ConfigMap", "configmaps");
    let value_in_member1 = |name: String| {
        let bed = &bed;
        let cm = cm.clone();
        async move {
            bed.get("member1", &cm, Some("bench"), &name)
                .await
                .and_then(|o| o["data"]["index"].as_str().map(str::to_string))
        }
    };
    let set = |i: usize, value: String| {
        let fed_api = fed_api.clone();
        async move {
            fed_api
                .patch(
                    &format!("cm-{i:05}"),
                    &kube::api::PatchParams::default(),
                    &kube::api::Patch::Merge(
                        json!({"spec": {"template": {"data": {"index": value}}}}),
                    ),
                )
                .await
                .expect("template change");
        }
    };
    set(0, "warm-up".into()).await;
    eventually(120, "the watcher to start", || async {
        (value_in_member1("cm-00000".into()).await.as_deref() == Some("warm-up")).then_some(())
    })
    .await;
    println!("  ready after {:.2} s", started.elapsed().as_secs_f64());
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (w0, l0) = (bed.writes().await, bed.lists().await);
    let mut latencies = Vec::new();
    for c in 0..changes {
        let i = (c * objects / changes.max(1)).min(objects - 1);
        let value = format!("change-{c}");
        let start = Instant::now();
        set(i, value.clone()).await;
        loop {
            if value_in_member1(format!("cm-{i:05}")).await.as_deref() == Some(value.as_str()) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "change {c} never arrived"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        latencies.push(start.elapsed());
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (w1, l1) = (bed.writes().await, bed.lists().await);
    let rss = peak_rss_mib(watch.id());
    terminate(watch.id());
    let out = finish(watch).await;
    assert_eq!(out.status.code(), Some(0), "watch: {}", stderr(&out));
    latencies.sort();
    println!(
        "  template -> member1 latency: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3
    );
    println!(
        "  per change: {:.2} member writes, {:.2} member LISTs",
        (sum(&w1, &members) - sum(&w0, &members)) as f64 / changes as f64,
        (sum(&l1, &members) - sum(&l0, &members)) as f64 / changes as f64
    );
    match rss {
        Some(mib) => println!("  watcher peak RSS: {mib:.0} MiB"),
        None => println!("  watcher peak RSS: unknown"),
    }
}
