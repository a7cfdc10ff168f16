//! Running the kubefedctl binary the way a user does: against one kubeconfig, with plain output, in the
//! foreground (off the async runtime, which keeps serving in-process clusters) or in the background.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// The binary, uncoloured, reading no kubeconfig from the environment's `KUBECONFIG`, stdin closed, stdout
/// and stderr captured; add the arguments.
pub fn binary() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubefedctl"));
    cmd.env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// [`binary`] pointed at `kubeconfig`.
pub fn kubefedctl(kubeconfig: &Path) -> Command {
    let mut cmd = binary();
    cmd.arg("--kubeconfig").arg(kubeconfig);
    cmd
}

/// Runs the binary against `kubeconfig` with `args` to the end, off the async runtime.
pub async fn run_kubefedctl(kubeconfig: &Path, args: &[&str]) -> Output {
    let mut cmd = kubefedctl(kubeconfig);
    cmd.args(args);
    output(cmd, None).await
}

/// Runs `cmd` to the end off the async runtime, feeding it `stdin` when given.
pub async fn output(mut cmd: Command, stdin: Option<String>) -> Output {
    tokio::task::spawn_blocking(move || match stdin {
        None => cmd.output().expect("run kubefedctl"),
        Some(text) => {
            use std::io::Write;
            cmd.stdin(Stdio::piped());
            let mut child = cmd.spawn().expect("run kubefedctl");
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
            child.wait_with_output().expect("run kubefedctl")
        }
    })
    .await
    .unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Waits for a background process (off the async runtime) and returns its output.
pub async fn finish(child: Child) -> Output {
    tokio::task::spawn_blocking(move || child.wait_with_output().expect("wait for kubefedctl"))
        .await
        .unwrap()
}

/// Sends SIGTERM to a background process, as an operator's Ctrl-C or a pod's termination does.
pub fn terminate(child: &Child) {
    // SAFETY: kill(2) with the pid of a child this process spawned and has not reaped.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
}

/// Starts `sandbox up` (given as `cmd`, whatever wraps it) in the background and returns once it prints
/// `ready`, the line it writes after the kubeconfig.
pub fn sandbox_up(mut cmd: Command) -> Child {
    use std::io::{BufRead, BufReader};
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sandbox starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready", "sandbox up did not get ready");
    child
}
