//! Dynamic shell completion as a shell drives it: the binary called back with `COMPLETE=bash` and the words of
//! the command line (as the committed registration script passes them), against sandbox clusters; and the
//! committed bash script itself, sourced into a real bash.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use kube::api::{Api, DynamicObject, PostParams};
use serde_json::json;

use kubefedctl::kubefed::typeconfig::TargetType;
use kubefedctl::sandbox::Sandbox;

/// A completion must come back well within this, even from a host that never answers (its own bound is 2 s).
const PATIENCE: Duration = Duration::from_secs(15);

/// What one completion request printed.
#[derive(Debug)]
struct Completed {
    code: Option<i32>,
    candidates: Vec<String>,
    stderr: String,
    took: Duration,
}

impl Completed {
    /// The candidates that are values, not flags.
    fn values(&self) -> Vec<&str> {
        self.candidates
            .iter()
            .map(String::as_str)
            .filter(|c| !c.starts_with('-'))
            .collect()
    }
}

/// Runs `kubefedctl` as bash's registration calls it back: `COMPLETE=bash`, the cursor's word index in
/// `_CLAP_COMPLETE_INDEX`, and the whole line after `--`. The word under the cursor is the last of `line`.
fn complete(kubeconfig: Option<&Path>, line: &[&str]) -> Completed {
    complete_at(kubeconfig, line, line.len())
}

fn complete_at(kubeconfig: Option<&Path>, line: &[&str], cursor: usize) -> Completed {
    let mut cmd = support::binary();
    cmd.env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", cursor.to_string())
        .env("HOME", "/nonexistent")
        .arg("--")
        .arg("kubefedctl")
        .args(line);
    if let Some(kc) = kubeconfig {
        cmd.env("KUBECONFIG", kc);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().expect("kubefedctl runs");
    // Waits with a bound, so a completion that hangs fails the test instead of stalling it; checks often,
    // as `took` measures how long completion takes.
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > PATIENCE {
            child.kill().unwrap();
            panic!("completing {line:?} took more than {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Completed {
        code: out.status.code(),
        candidates: String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: started.elapsed(),
    }
}

/// Sandbox clusters host, m1 and m2 with the control plane installed, m1 (region=eu) and m2 (region=us)
/// joined, the configmaps type enabled and a namespace `shop` holding two ConfigMaps, one federated.
struct Plane {
    sb: Sandbox,
    _dir: tempfile::TempDir,
    kubeconfig: PathBuf,
}

impl Plane {
    async fn start() -> Plane {
        let sb = support::start(&["host", "m1", "m2"]).await;
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = dir.path().join("kubeconfig");
        sb.write_kubeconfig(&kubeconfig).unwrap();
        let p = Plane {
            sb,
            _dir: dir,
            kubeconfig,
        };
        p.run(&["init", "--no-default-types"]).await;
        p.run(&["join", "m1", "--label", "region=eu"]).await;
        p.run(&["join", "m2", "--label", "region=us"]).await;
        p.run(&["enable", "configmaps"]).await;
        let client = support::client(&p.sb, "host").await;
        let ns = TargetType::new("", "v1", "Namespace", "namespaces", false)
            .api_resource()
            .to_kube();
        Api::<DynamicObject>::all_with(client.clone(), &ns)
            .create(
                &PostParams::default(),
                &serde_json::from_value(json!({"metadata": {"name": "shop"}})).unwrap(),
            )
            .await
            .unwrap();
        let cm = TargetType::new("", "v1", "ConfigMap", "configmaps", true)
            .api_resource()
            .to_kube();
        for name in ["app-settings", "app-flags"] {
            Api::<DynamicObject>::namespaced_with(client.clone(), "shop", &cm)
                .create(
                    &PostParams::default(),
                    &serde_json::from_value(json!({"metadata": {"name": name}, "data": {}}))
                        .unwrap(),
                )
                .await
                .unwrap();
        }
        p.run(&["federate", "configmaps", "app-flags", "-n", "shop"])
            .await;
        p
    }

    async fn run(&self, args: &[&str]) {
        let mut cmd = support::kubefedctl(&self.kubeconfig);
        cmd.args(args).env("HOME", "/nonexistent");
        let out = support::output(cmd, None).await;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Completes in a blocking task, so the in-process sandbox keeps serving meanwhile.
    async fn complete(&self, line: &[&str]) -> Completed {
        self.complete_at(line, line.len()).await
    }

    async fn complete_at(&self, line: &[&str], cursor: usize) -> Completed {
        let kubeconfig = self.kubeconfig.clone();
        let line: Vec<String> = line.iter().map(|s| s.to_string()).collect();
        tokio::task::spawn_blocking(move || {
            let line: Vec<&str> = line.iter().map(String::as_str).collect();
            complete_at(Some(&kubeconfig), &line, cursor)
        })
        .await
        .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn contexts_come_from_the_kubeconfig_the_line_names() {
    let p = Plane::start().await;
    for line in [
        &["--host-cluster-context", ""][..],
        &["status", "--host-cluster-context", ""],
        &["join", "m1", "--cluster-context", ""],
        &["unjoin", "m1", "--cluster-context", ""],
    ] {
        let c = p.complete(line).await;
        assert_eq!(c.values(), ["host", "m1", "m2"], "{line:?}: {c:?}");
    }
    assert_eq!(p.complete(&["join", "m"]).await.values(), ["m1", "m2"]);
    // --kubeconfig on the line wins over $KUBECONFIG, which here names nothing usable.
    let kc = p.kubeconfig.to_str().unwrap().to_string();
    let c = tokio::task::spawn_blocking(move || {
        complete(
            Some(Path::new("/nonexistent/kubeconfig")),
            &["--kubeconfig", &kc, "--host-cluster-context", "h"],
        )
    })
    .await
    .unwrap();
    assert_eq!(c.values(), ["host"], "{c:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clusters_types_namespaces_and_names_come_from_the_host() {
    let p = Plane::start().await;
    let cases: &[(&[&str], &[&str])] = &[
        (&["unjoin", ""], &["m1", "m2"]),
        (&["unjoin", "m2"], &["m2"]),
        (
            &["federate", "cm", "x", "--clusters", "m1,"],
            &["m1,m1", "m1,m2"],
        ),
        (&["federate", "cm", "x", "--override", ""], &["m1:", "m2:"]),
        (
            &["federate", "cm", "x", "--cluster-selector", "reg"],
            &["region=eu", "region=us"],
        ),
        (&["enable", "deploym"], &["deployments.apps"]),
        (&["federate", "cronj"], &["cronjobs.batch"]),
        (&["disable", ""], &["configmaps"]),
        (&["status", "conf"], &["configmaps"]),
        (&["reconcile", "--once", "--type", ""], &["configmaps"]),
        (
            &["federate", "configmaps", "-n", "shop", ""],
            &["app-flags", "app-settings"],
        ),
        (
            &["federate", "cm", "app-s", "-n", "shop"],
            &["app-settings"],
        ),
        (&["status", "configmaps", "", "-n", "shop"], &["app-flags"]),
        (&["federate", "cm", "x", "-n", "sh"], &["shop"]),
        (
            &["--kubefed-namespace", "kube-fed"],
            &["kube-federation-system"],
        ),
    ];
    for (line, expected) in cases {
        // The cursor is on the word being completed: the last one, or the empty one before `-n shop`.
        let cursor = line
            .iter()
            .position(|w| w.is_empty() || *w == "app-s")
            .map(|i| i + 1);
        let c = match cursor {
            Some(i) if i < line.len() => p.complete_at(line, i).await,
            _ => p.complete(line).await,
        };
        assert_eq!(c.code, Some(0), "{line:?}: {c:?}");
        assert_eq!(c.values(), *expected, "{line:?}: {c:?}");
        assert_eq!(c.stderr, "", "{line:?}");
    }
    // Subcommands and flags still complete as before.
    let c = p.complete(&["fed"]).await;
    assert_eq!(c.values(), ["federate"]);
    let c = p.complete(&["federate", "--cl"]).await;
    assert_eq!(c.candidates, ["--clusters", "--cluster-selector"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_frozen_or_stopped_host_completes_nothing_quickly_and_says_nothing() {
    let mut p = Plane::start().await;
    p.sb.set_frozen("host", true).unwrap();
    for line in [
        &["unjoin", ""][..],
        &["federate", ""],
        &["federate", "cm", "", "-n", "shop"],
    ] {
        let c = p.complete(line).await;
        assert_eq!(c.code, Some(0), "{line:?}: {c:?}");
        assert!(c.values().is_empty(), "{line:?}: {c:?}");
        assert_eq!(c.stderr, "", "{line:?}");
        assert!(c.took < Duration::from_secs(8), "{line:?}: {c:?}");
    }
    // Flags still complete while the host is frozen, and contexts need no cluster at all.
    assert!(p
        .complete(&["unjoin", ""])
        .await
        .candidates
        .contains(&"--force".to_string()));
    assert_eq!(
        p.complete(&["--host-cluster-context", ""]).await.values(),
        ["host", "m1", "m2"]
    );
    p.sb.set_frozen("host", false).unwrap();
    p.sb.stop("host").await.unwrap();
    let c = p.complete(&["unjoin", ""]).await;
    assert!(c.values().is_empty(), "{c:?}");
    assert_eq!(c.stderr, "");
    // No kubeconfig at all: nothing, silently.
    let c = tokio::task::spawn_blocking(|| complete(None, &["unjoin", ""]))
        .await
        .unwrap();
    assert!(c.values().is_empty(), "{c:?}");
    assert_eq!(c.stderr, "");
}

/// The committed bash script, sourced into bash, completes through the binary found on PATH, as it does in a
/// user's shell.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_committed_bash_script_completes_in_bash() {
    if Command::new("bash").arg("--version").output().is_err() {
        if support::required() {
            panic!("bash is required under CI=true");
        }
        eprintln!("skipping: bash not found");
        return;
    }
    let p = Plane::start().await;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions/kubefedctl.bash");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_kubefedctl"))
        .parent()
        .unwrap()
        .to_path_buf();
    let kubeconfig = p.kubeconfig.clone();
    // COMP_* are what bash sets before calling a completion function; COMP_TYPE 9 is a plain Tab.
    let session = r#"
source "$SCRIPT"
complete -p kubefedctl
COMP_WORDS=(kubefedctl unjoin "")
COMP_CWORD=2
COMP_TYPE=9
_clap_complete_kubefedctl kubefedctl "" unjoin
printf 'reply:%s\n' "${COMPREPLY[@]}"
COMP_WORDS=(kubefedctl --host-cluster-context m)
COMP_CWORD=2
_clap_complete_kubefedctl kubefedctl m --host-cluster-context
printf 'reply:%s\n' "${COMPREPLY[@]}"
"#;
    let out = tokio::task::spawn_blocking(move || {
        Command::new("bash")
            .args(["--norc", "--noprofile", "-c", session])
            .env("SCRIPT", script)
            .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
            .env("KUBECONFIG", kubeconfig)
            .env("HOME", "/nonexistent")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_kubefedctl kubefedctl"
        ) || stdout.contains("-F _clap_complete_kubefedctl kubefedctl"),
        "{stdout}"
    );
    let replies: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("reply:"))
        .filter(|r| !r.starts_with('-'))
        .collect();
    assert_eq!(replies, ["m1", "m2", "m1", "m2"], "{stdout}");
}
