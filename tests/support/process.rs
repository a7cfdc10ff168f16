//! Running the kubefedctl binary the way a user does: against one kubeconfig, with plain output, in the
//! foreground (off the async runtime, which keeps serving in-process clusters) or in the background.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use super::poll::poll;

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

/// The binary running in the background (for `reconcile --watch`, or a pass a test interrupts), its
/// stderr collected as it comes so a test can wait for what it prints (a pass summary, a problem it
/// found) rather than for time to pass.
pub struct Background {
    child: Child,
    stderr: Arc<Mutex<Vec<u8>>>,
    reader: std::thread::JoinHandle<()>,
}

impl Background {
    /// Starts `cmd` (stdout and stderr piped).
    pub fn start(mut cmd: Command) -> Background {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kubefedctl");
        let mut pipe = child.stderr.take().unwrap();
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = stderr.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buf) {
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Background {
            child,
            stderr,
            reader,
        }
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// What it has printed on stderr so far.
    pub fn stderr_so_far(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Waits (at most `secs` seconds) until its stderr contains `text`.
    pub async fn until_stderr_says(&self, secs: u64, text: &str) {
        self.until_stderr(secs, &format!("{text:?}"), |e| e.contains(text))
            .await
    }

    /// Waits (at most `secs` seconds) until its stderr so far satisfies `done`; `what` says what for.
    pub async fn until_stderr(&self, secs: u64, what: &str, done: impl Fn(&str) -> bool) {
        let said = poll(secs, || async { done(&self.stderr_so_far()).then_some(()) }).await;
        assert!(
            said.is_some(),
            "kubefedctl did not print {what} within {secs} s; stderr so far:\n{}",
            self.stderr_so_far()
        );
    }
}

/// Waits for a background run (off the async runtime) and returns its output.
pub async fn finish(run: Background) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut out = run.child.wait_with_output().expect("wait for kubefedctl");
        run.reader.join().unwrap();
        out.stderr = std::mem::take(&mut *run.stderr.lock().unwrap());
        out
    })
    .await
    .unwrap()
}

/// Sends SIGTERM to the process `pid` (a child of this one, not yet reaped), as an operator's Ctrl-C or a
/// pod's termination does.
pub fn terminate(pid: u32) {
    // SAFETY: kill(2) with the pid of a child this process spawned and has not reaped.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGTERM);
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
