//! The sandbox as the Python `kubernetes` client (37.x, strict pydantic models) sees it. Needs python3 with the
//! `kubernetes` package (installed by `.ci/run`); skipped when absent, except under CI=true where it fails.

mod common;

use std::process::Command;

fn python() -> Option<String> {
    let candidate = std::env::var("KUBEFEDCTL_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&candidate)
        .args(["-c", "import kubernetes"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        Some(candidate)
    } else if common::require_clients() {
        panic!("the Python kubernetes client is required under CI=true ({candidate} -c 'import kubernetes' failed; .ci/run installs it)");
    } else {
        eprintln!("skipping: the Python kubernetes client is not installed (pip install kubernetes==37.0.2)");
        None
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn python_client_crud_watch_and_dynamic_discovery() {
    let Some(py) = python() else { return };
    let sb = common::start(&["c1"]).await;
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    sb.write_kubeconfig(&kc).unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/client_conformance.py"
    );
    let out = tokio::task::spawn_blocking(move || {
        Command::new(py)
            .arg(script)
            .arg(&kc)
            .arg("c1")
            .output()
            .expect("python runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("OK"),
        "python client failed:\n{}\n{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
}
