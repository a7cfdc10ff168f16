//! `kubefedctl demo` through the binary, as a new user runs it first: no kubeconfig, no network, a few seconds.

mod support;

use std::time::{Duration, Instant};

#[test]
fn demo_runs_the_quick_start_end_to_end_and_exits_0() {
    check_demo(&[]);
}

/// `demo --backend real`: the same quick start on real kube-apiservers (needs the reference servers built;
/// skips without them, except under CI=true).
#[test]
fn demo_runs_on_real_kube_apiservers() {
    let newest = kubefedctl::testbed::reference::SUPPORTED_VERSIONS[0];
    if support::reference(newest).is_none() {
        return;
    }
    check_demo(&["--backend", &format!("real:{newest}")]);
}

/// An unknown backend or version is refused before anything starts: exit 2, naming the choices.
#[test]
fn demo_refuses_an_unknown_backend_with_exit_2() {
    for bad in ["kind", "real:v1.20.0"] {
        let home = tempfile::tempdir().unwrap();
        let out = support::binary()
            .args(["demo", "--backend", bad, "--keep"])
            .env_remove("KUBECONFIG")
            .env("HOME", home.path())
            .current_dir(home.path())
            .output()
            .expect("binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains("sandbox") || stderr.contains("v1.37.2"),
            "{bad}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{bad}: nothing ran");
        assert!(
            std::fs::read_dir(home.path()).unwrap().next().is_none(),
            "{bad}: nothing written"
        );
    }
}

fn check_demo(extra: &[&str]) {
    let home = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = support::binary()
        .arg("demo")
        .args(extra)
        // HOME is a fresh directory; the reference servers stay where they were built.
        .env(
            "KUBEFEDCTL_REFERENCE_CACHE",
            kubefedctl::testbed::reference::cache_dir(),
        )
        .env_remove("KUBECONFIG")
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .current_dir(home.path())
        .output()
        .expect("binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(if extra.is_empty() { 30 } else { 120 }),
        "took {:?}",
        started.elapsed()
    );
    let steps = [
        "$ kubefedctl init --host-cluster-context host",
        "$ kubefedctl join host --host-cluster-context host",
        "$ kubefedctl join member1 --cluster-context member1 --host-cluster-context host",
        "$ kubefedctl join member2 --cluster-context member2 --host-cluster-context host",
        "$ kubectl --context host create namespace demo",
        "$ kubefedctl federate namespace demo --host-cluster-context host",
        "$ kubefedctl federate configmap demo-config -n demo --host-cluster-context host",
        "$ kubefedctl federate deployment web -n demo --host-cluster-context host",
        "$ kubectl --context host -n demo patch federateddeployment web --type=merge",
        "$ kubectl --context host -n kube-federation-system patch kubefedconfig kubefed --type=merge",
        "$ kubectl --context host -n kube-federation-system patch federatedtypeconfig deployments.apps --type=merge",
        "$ kubefedctl reconcile --once --host-cluster-context host",
        "$ for c in host member1 member2; do kubectl --context $c -n demo rollout status deployment/web; done",
        "$ kubefedctl reconcile --once --host-cluster-context host",
        "$ kubefedctl status -A -o wide --host-cluster-context host",
    ];
    let mut at = 0;
    for step in steps {
        let found = stdout[at..]
            .find(step)
            .unwrap_or_else(|| panic!("step {step:?} missing or out of order in:\n{stdout}"));
        at += found + step.len();
    }
    // Each step's own output follows it.
    assert!(
        stdout.contains("kubefedcluster.core.kubefed.io/member2 created"),
        "{stdout}"
    );
    assert!(
        stdout.contains("federateddeployment.types.kubefed.io/web patched"),
        "{stdout}"
    );
    let status = &stdout[stdout.find("$ kubefedctl status").unwrap()..];
    assert!(status.contains("CLUSTER"), "{status}");
    for cluster in ["host", "member1", "member2"] {
        assert!(
            status
                .lines()
                .any(|l| l.starts_with(cluster) && l.contains("web") && l.contains("OK")),
            "{status}"
        );
    }
    assert!(stdout.contains("ok  member1:"), "{stdout}");
    assert!(
        !home.path().join(".kube").exists(),
        "the demo needs and writes no kubeconfig"
    );
    let ok_line = |cluster: &str, replicas: i32| {
        format!("ok  {cluster}: ConfigMap demo/demo-config with greeting, Deployment demo/web with {replicas} replica(s), ")
    };
    if !extra.is_empty() {
        // Real control planes have no node: the pods stay Pending, so the rollout wait is skipped and no
        // replica is ready.
        assert!(stdout.contains("# skipped: no node runs pods"), "{stdout}");
        assert!(
            stdout.contains(&format!("{}0 ready", ok_line("member2", 3))),
            "{stdout}"
        );
        return;
    }
    // Each member's Deployment is rolled out, and its status, collected by the second reconcile, shows its
    // ready replicas.
    assert_eq!(
        stdout
            .matches("deployment \"web\" successfully rolled out")
            .count(),
        3,
        "{stdout}"
    );
    for (cluster, replicas) in [("host", 1), ("member1", 1), ("member2", 3)] {
        assert!(
            status.lines().any(|l| l.starts_with(cluster)
                && l.contains("web")
                && l.contains("OK")
                && l.contains(&format!(
                    "replicas={replicas},updatedReplicas={replicas},readyReplicas={replicas}"
                ))),
            "{status}"
        );
    }
    assert!(
        stdout.contains(&format!("{}3 ready", ok_line("member2", 3))),
        "{stdout}"
    );
}
