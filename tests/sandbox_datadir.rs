//! `sandbox up --data-dir`: what is on disk holds every Secret (member credentials included) and each
//! cluster's CA key and admin token, so it is private whatever the umask, and a data dir other users can
//! write to is refused before anything is written.
#![cfg(unix)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, PostParams};
use serde_json::json;
use support::{client_from_file, sandbox_up, terminate};

/// `kubefedctl sandbox up --clusters host,member1 --data-dir DATA` run under umask 000.
fn up_command(kubeconfig: &Path, data: &Path) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(r#"umask 000 && exec "$@""#)
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_kubefedctl"))
        .args([
            "sandbox",
            "up",
            "--clusters",
            "host,member1",
            "--kubeconfig",
        ])
        .arg(kubeconfig)
        .arg("--data-dir")
        .arg(data)
        .env_remove("KUBECONFIG")
        .env("NO_COLOR", "1");
    cmd
}

fn start(kubeconfig: &Path, data: &Path) -> Child {
    sandbox_up(up_command(kubeconfig, data))
}

fn stop(mut child: Child) {
    terminate(child.id());
    assert!(child.wait().unwrap().success());
}

/// Every path under `dir` (itself included) with its permission bits.
fn modes(dir: &Path) -> Vec<(PathBuf, bool, u32)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        let meta = std::fs::symlink_metadata(&p).unwrap();
        out.push((p.clone(), meta.is_dir(), meta.permissions().mode() & 0o7777));
        if meta.is_dir() {
            for e in std::fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
        }
    }
    out
}

fn assert_private(data: &Path, when: &str) {
    let all = modes(data);
    let files = all.iter().filter(|(_, is_dir, _)| !is_dir).count();
    assert!(
        files >= 6,
        "{when}: expected each cluster's snapshot, WAL and identity, found {all:?}"
    );
    for (path, is_dir, mode) in &all {
        let want = if *is_dir { 0o700 } else { 0o600 };
        assert_eq!(
            *mode,
            want,
            "{when}: {} has mode {mode:04o}, want {want:04o}",
            path.display()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_files_are_private_under_umask_000_and_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    let data = dir.path().join("data");
    let child = start(&kc, &data);
    // A Secret goes to the write-ahead log.
    let secrets: Api<Secret> = Api::namespaced(client_from_file(&kc, "member1").await, "default");
    let s: Secret = serde_json::from_value(json!({"metadata": {"name": "creds"},
        "stringData": {"token": "s3cr3t"}}))
    .unwrap();
    secrets.create(&PostParams::default(), &s).await.unwrap();
    assert_private(&data, "while running");
    stop(child);
    // A restart compacts the log into a new snapshot.
    let child = start(&kc, &data);
    let secrets: Api<Secret> = Api::namespaced(client_from_file(&kc, "member1").await, "default");
    assert!(secrets.get("creds").await.is_ok(), "the Secret survived");
    assert_private(&data, "after a restart");
    stop(child);
}

fn run_up(kubeconfig: &Path, data: &Path) -> Output {
    up_command(kubeconfig, data)
        .stdin(Stdio::null())
        .output()
        .expect("run sandbox up")
}

#[test]
fn a_data_dir_others_can_write_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = run_up(&kc, &data);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&data.display().to_string()), "{stderr}");
    assert!(stderr.contains("0777"), "{stderr}");
    assert!(
        stderr.contains("hint: ") && stderr.contains("chmod"),
        "{stderr}"
    );
    assert!(!kc.exists(), "no kubeconfig is written");
    assert_eq!(
        std::fs::read_dir(&data).unwrap().count(),
        0,
        "nothing is written in the data dir"
    );

    // A cluster's own directory, group-writable, is refused the same way, naming it.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    let member = data.join("member1");
    std::fs::create_dir(&member).unwrap();
    std::fs::set_permissions(&member, std::fs::Permissions::from_mode(0o770)).unwrap();
    let out = run_up(&kc, &data);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&member.display().to_string()), "{stderr}");
    assert!(!kc.exists(), "no kubeconfig is written");
    assert!(!data.join("host").exists(), "no cluster was started");
}
