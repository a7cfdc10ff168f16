//! `kubefedctl sandbox up` as a process: kubeconfig written (0600) before `ready`, clean stop on SIGTERM, and
//! with `--data-dir` every acknowledged write survives `kill -9` with resourceVersions never going backwards.

mod support;

use std::path::Path;
use std::process::{Child, Command};

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, PostParams};
use kube::config::Kubeconfig;
use serde_json::json;
use support::{client_from_file, eventually, sandbox_up};

fn start(kubeconfig: &Path, data_dir: Option<&Path>) -> Child {
    start_with(kubeconfig, data_dir, &[])
}

fn start_with(kubeconfig: &Path, data_dir: Option<&Path>, extra: &[&str]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubefedctl"));
    cmd.args([
        "sandbox",
        "up",
        "--clusters",
        "host,member1",
        "--kubeconfig",
    ])
    .arg(kubeconfig);
    if let Some(d) = data_dir {
        cmd.arg("--data-dir").arg(d);
    }
    cmd.args(extra);
    sandbox_up(cmd)
}

fn servers(kubeconfig: &Path) -> Vec<String> {
    let kc = Kubeconfig::read_from(kubeconfig).unwrap();
    kc.clusters
        .iter()
        .filter_map(|c| c.cluster.as_ref().and_then(|c| c.server.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persistent_cluster_whose_port_is_taken_moves_and_says_so() {
    use kubefedctl::sandbox::{Sandbox, SandboxOptions};
    let dir = tempfile::tempdir().unwrap();
    let opts = SandboxOptions {
        clusters: vec!["c1".into()],
        data_dir: Some(dir.path().into()),
        port: None,
        workloads: false,
    };
    let sb = Sandbox::start(opts.clone()).await.unwrap();
    let port = sb.cluster("c1").unwrap().port;
    drop(sb);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    // Someone else takes the port meanwhile.
    let squatter = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let sb = Sandbox::start(opts).await.unwrap();
    let moved = sb.moved().to_vec();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!((moved[0].0.as_str(), moved[0].1), ("c1", port));
    assert_ne!(sb.cluster("c1").unwrap().port, port);
    drop(squatter);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_after_a_private_kubeconfig_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kc");
    let child = start(&kc, None);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&kc).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let text = std::fs::read_to_string(&kc).unwrap();
    assert!(text.contains("current-context: host"), "{text}");
    let c = client_from_file(&kc, "member1").await;
    let v = c.apiserver_version().await.unwrap();
    assert_eq!(v.git_version, "v1.33.0");
    let status = tokio::task::spawn_blocking(move || {
        let mut child = child;
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        child.wait().unwrap()
    })
    .await
    .unwrap();
    assert!(status.success(), "{status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kc");
    let data = dir.path().join("data");
    let mut child = start(&kc, Some(&data));
    let c = client_from_file(&kc, "member1").await;
    let cms: Api<ConfigMap> = Api::namespaced(c, "default");
    let mut last_rv = 0u64;
    for i in 0..50 {
        let cm: ConfigMap = serde_json::from_value(
            json!({"metadata": {"name": format!("cm{i}")}, "data": {"i": i.to_string()}}),
        )
        .unwrap();
        let created = cms.create(&PostParams::default(), &cm).await.unwrap();
        last_rv = created.metadata.resource_version.unwrap().parse().unwrap();
    }
    let servers_before = servers(&kc);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let mut child = start(&kc, Some(&data));
    assert_eq!(
        servers(&kc),
        servers_before,
        "a persistent cluster comes back on its port"
    );
    let c = client_from_file(&kc, "member1").await;
    let cms: Api<ConfigMap> = Api::namespaced(c, "default");
    for i in 0..50 {
        let cm = cms.get(&format!("cm{i}")).await.unwrap();
        assert_eq!(cm.data.unwrap()["i"], i.to_string());
    }
    let cm: ConfigMap = serde_json::from_value(json!({"metadata": {"name": "after"}})).unwrap();
    let rv: u64 = cms
        .create(&PostParams::default(), &cm)
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        rv > last_rv,
        "resourceVersion went backwards: {rv} <= {last_rv}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn invalid_cluster_names_are_usage_errors_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kc");
    let out = Command::new(env!("CARGO_BIN_EXE_kubefedctl"))
        .args(["sandbox", "up", "--clusters", "Host_1", "--kubeconfig"])
        .arg(&kc)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Host_1"));
    assert!(!kc.exists());
}

/// Bytes of every file under `dir`.
fn disk_usage(dir: &Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let meta = e.metadata().unwrap();
        total += if meta.is_dir() {
            disk_usage(&e.path())
        } else {
            meta.len()
        };
    }
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_stays_small_under_many_updates_and_a_restart_recovers_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kc");
    let data = dir.path().join("data");
    let mut child = start(&kc, Some(&data));
    let c = client_from_file(&kc, "member1").await;
    let cms: Api<ConfigMap> = Api::namespaced(c, "default");
    let pad = "p".repeat(16 * 1024);
    let cm = |name: &str, i: usize| -> ConfigMap {
        serde_json::from_value(
            json!({"metadata": {"name": name}, "data": {"i": i.to_string(), "pad": pad}}),
        )
        .unwrap()
    };
    let baseline = disk_usage(&data);
    let mut hot = cms
        .create(&PostParams::default(), &cm("hot", 0))
        .await
        .unwrap();
    let mut written = 0u64;
    let mut largest = 0u64;
    for i in 1..=400 {
        // Now and then another object, so recovery is checked beyond the one being rewritten.
        if i % 50 == 0 {
            cms.create(&PostParams::default(), &cm(&format!("cm{i}"), i))
                .await
                .unwrap();
        }
        let mut next = cm("hot", i);
        next.metadata.resource_version = hot.metadata.resource_version.clone();
        hot = cms
            .replace("hot", &PostParams::default(), &next)
            .await
            .unwrap();
        written += pad.len() as u64;
        largest = largest.max(disk_usage(&data));
    }
    // Without compaction the log alone would hold every update (6.5 MB); with it, disk use stays
    // within a few MiB of what the clusters hold.
    assert!(written > 6_000_000);
    assert!(
        largest < baseline + 3 * 1024 * 1024,
        "the data dir grew to {largest} bytes (from {baseline}) while {written} bytes were written"
    );
    let last_rv: u64 = hot.metadata.resource_version.unwrap().parse().unwrap();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let mut child = start(&kc, Some(&data));
    let c = client_from_file(&kc, "member1").await;
    let cms: Api<ConfigMap> = Api::namespaced(c, "default");
    let got = cms.get("hot").await.unwrap();
    assert_eq!(got.data.unwrap()["i"], "400");
    assert_eq!(
        got.metadata
            .resource_version
            .unwrap()
            .parse::<u64>()
            .unwrap(),
        last_rv
    );
    for i in (50..=400).step_by(50) {
        let other = cms.get(&format!("cm{i}")).await.unwrap();
        assert_eq!(other.data.unwrap()["i"], i.to_string());
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// `sandbox up --workloads`: every cluster gets its simulated node (and the workload controllers, which
/// tests/sandbox_kubectl.rs drives); without the flag there is none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workloads_give_each_cluster_a_ready_node_and_a_bare_sandbox_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let bare_kc = dir.path().join("kc-bare");
    let workloads_kc = dir.path().join("kc-workloads");
    // The bare sandbox starts first, so once the other has its nodes, it has had as long to make any.
    let mut bare = start_with(&bare_kc, None, &[]);
    let mut workloads = start_with(&workloads_kc, None, &["--workloads"]);
    for cluster in ["host", "member1"] {
        let names = eventually(10, &format!("a ready node in {cluster}"), || async {
            Some(ready_nodes(&workloads_kc, cluster).await).filter(|n| !n.is_empty())
        })
        .await;
        assert_eq!(
            names,
            [format!("{cluster}-node")],
            "cluster {cluster}, --workloads"
        );
    }
    for cluster in ["host", "member1"] {
        assert_eq!(
            ready_nodes(&bare_kc, cluster).await,
            Vec::<String>::new(),
            "cluster {cluster}, no --workloads"
        );
    }
    for child in [&mut bare, &mut workloads] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

/// The names of the nodes that report Ready in one cluster.
async fn ready_nodes(kubeconfig: &Path, cluster: &str) -> Vec<String> {
    use k8s_openapi::api::core::v1::Node;
    let nodes: Api<Node> = Api::all(client_from_file(kubeconfig, cluster).await);
    nodes
        .list(&Default::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|n| {
            n.status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
        })
        .filter_map(|n| n.metadata.name)
        .collect()
}
