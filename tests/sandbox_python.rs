//! The Python `kubernetes` client (37.x, strict pydantic models) on every backend: the sandbox and real
//! kube-apiservers v1.37.2 and v1.34.2, through the kubeconfig the test bed writes, so that what the client
//! relies on and only one backend does shows as one failing test. Needs python3 with the `kubernetes` package
//! (installed by `.ci/run`); skipped with the reason when it or a reference server is absent, except under
//! CI=true where that fails.

mod support;

use std::process::Command;

use support::{python, Backend, Bed};

async fn python_client_crud_watch_and_dynamic_discovery(backend: Backend) {
    let Some(py) = python() else { return };
    let bed = Bed::start(&backend, &["c1"]).await;
    let label = bed.label();
    let kc = bed.kubeconfig.clone();
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
        "python client on {label} failed:\n{}\n{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
}
on_every_backend!(python_client_crud_watch_and_dynamic_discovery);
