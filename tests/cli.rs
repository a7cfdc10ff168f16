//! The kubefedctl binary as users meet it: help text, usage errors and exit codes, version,
//! completions and man pages kept fresh, kubeconfig loading on fixture files, closed pipes.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use kubefedctl::kubeconfig::{Kubeconfig, Source};

const BLESS_HINT: &str = "KUBEFEDCTL_BLESS=1 cargo test --test cli";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn blessing() -> bool {
    std::env::var_os("KUBEFEDCTL_BLESS").is_some_and(|v| v == "1")
}

/// The binary with a fixed terminal width and no colour, so help text is reproducible.
fn kubefedctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubefedctl"))
        .args(args)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .stdin(Stdio::null())
        .output()
        .expect("run kubefedctl")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Compares (or, when blessing, rewrites) every file of `dir` against `expected`, files of `dir`
/// not in `expected` included. Returns what is stale.
fn check_dir(dir: &Path, expected: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut stale = Vec::new();
    if blessing() {
        fs::create_dir_all(dir).unwrap();
    }
    let wanted: BTreeSet<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if !wanted.contains(name.as_str()) {
                if blessing() {
                    fs::remove_file(dir.join(&name)).unwrap();
                } else {
                    stale.push(format!("{}/{name} (no longer generated)", dir.display()));
                }
            }
        }
    }
    for (name, content) in expected {
        let path = dir.join(name);
        if fs::read(&path).ok().as_deref() == Some(content.as_slice()) {
            continue;
        }
        if blessing() {
            fs::write(&path, content).unwrap();
        } else {
            stale.push(path.display().to_string());
        }
    }
    stale
}

fn assert_fresh(stale: Vec<String>) {
    assert!(
        stale.is_empty(),
        "generated files are stale:\n  {}\nrefresh them with: {BLESS_HINT}",
        stale.join("\n  ")
    );
}

#[test]
fn generated_files_are_fresh() {
    let completions: Vec<(String, Vec<u8>)> = kubefedctl::generate::SHELLS
        .iter()
        .map(|(shell, file)| {
            (
                file.to_string(),
                kubefedctl::generate::completions(*shell).into_bytes(),
            )
        })
        .collect();
    let mut stale = check_dir(&root().join("completions"), &completions);
    stale.extend(check_dir(
        &root().join("man"),
        &kubefedctl::generate::man_pages(),
    ));
    assert_fresh(stale);
}

/// The man pages carry what a man page reader looks for, and `man` renders them (checked when man is installed,
/// required under CI=true).
#[test]
fn man_pages_have_the_sections_of_a_man_page() {
    let pages = kubefedctl::generate::man_pages();
    for (name, roff) in &pages {
        let roff = text(roff);
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH EXAMPLES",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH \"SEE ALSO\"",
        ] {
            assert!(roff.contains(section), "{name}: no {section}");
        }
        assert!(
            roff.contains(".B KUBECONFIG")
                && roff.contains(".B NO_COLOR")
                && roff.contains(".B COMPLETE"),
            "{name}"
        );
        assert!(roff.contains(".BR kubectl (1)"), "{name}");
        assert!(
            !roff.contains(".SH EXTRA"),
            "{name}: examples belong in EXAMPLES"
        );
        assert!(
            !roff.contains("kubefedctl\\-help"),
            "{name}: there is no help page"
        );
    }
    let page = |n: &str| {
        text(
            &pages
                .iter()
                .find(|(name, _)| name == n)
                .unwrap_or_else(|| panic!("{n}"))
                .1,
        )
    };
    let federate = page("kubefedctl-federate.1");
    assert!(
        federate.contains("[\\fB\\-\\-override\\fR\\ \\fICLUSTER:PATH=VALUE\\fR]..."),
        "the synopsis names each flag's value"
    );
    assert!(federate.contains("[\\fB\\-n\\fR|\\fB\\-\\-namespace\\fR\\ \\fINS\\fR]"));
    assert!(
        federate.contains(".BR kubefedctl\\-join (1),"),
        "siblings are seen also"
    );
    assert!(
        page("kubefedctl-diff.1").contains("Differences found"),
        "diff exits as kubectl diff"
    );
    assert!(page("kubefedctl.1").contains(".SH COMMANDS"));
    assert!(page("kubefedctl-sandbox-up.1").contains(".BR kubefedctl\\-sandbox (1),"));

    let man_ok = Command::new("man")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !man_ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "man is required under CI=true"
        );
        eprintln!("skipping the rendering check: man is not installed");
        return;
    }
    let out = Command::new("man")
        .args([
            "-l",
            &root().join("man/kubefedctl-federate.1").to_string_lossy(),
        ])
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
        .unwrap();
    let shown = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for heading in [
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "GLOBAL OPTIONS",
        "EXAMPLES",
        "EXIT STATUS",
        "ENVIRONMENT",
        "SEE ALSO",
    ] {
        assert!(
            shown.contains(&format!("\n{heading}\n")),
            "{heading}:\n{shown}"
        );
    }
    assert!(
        shown.contains("kubefedctl federate [-n|--namespace NS]"),
        "{shown}"
    );
    assert!(shown.contains("kubefedctl federate deploy web -n shop --clusters m1,m2 --override m2:/spec/replicas=4"), "{shown}");
}

#[test]
fn help_of_every_command_matches_its_snapshot() {
    let mut snapshots = Vec::new();
    for path in kubefedctl::generate::command_paths() {
        let mut args: Vec<&str> = path[1..].iter().map(String::as_str).collect();
        args.push("--help");
        let out = kubefedctl(&args);
        assert_eq!(out.status.code(), Some(0), "{path:?} --help");
        assert!(out.stderr.is_empty(), "{path:?}: {}", text(&out.stderr));
        snapshots.push((format!("{}.txt", path.join("-")), out.stdout));
    }
    assert_fresh(check_dir(&root().join("tests/snapshots/help"), &snapshots));
}

#[test]
fn root_help_lists_every_subcommand() {
    let help = text(&kubefedctl(&["--help"]).stdout);
    for path in kubefedctl::generate::command_paths()
        .iter()
        .filter(|p| p.len() == 2)
    {
        assert!(
            help.contains(&format!("  {}", path[1])),
            "{} missing",
            path[1]
        );
    }
    for flag in [
        "--kubeconfig <PATH>",
        "--host-cluster-context <CTX>",
        "--kubefed-namespace <NS>",
        "--verbose",
        "--quiet",
    ] {
        assert!(help.contains(flag), "{flag} missing");
    }
}

fn assert_usage_error(args: &[&str], expected: &str) {
    let out = kubefedctl(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    let err = text(&out.stderr);
    assert!(err.contains(expected), "{args:?}: {err}");
}

#[test]
fn unknown_flag_is_a_usage_error() {
    assert_usage_error(
        &["version", "--frobnicate"],
        "unexpected argument '--frobnicate'",
    );
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    assert_usage_error(&["frobnicate"], "unrecognized subcommand 'frobnicate'");
}

#[test]
fn bad_output_format_is_a_usage_error() {
    assert_usage_error(&["version", "-o", "xml"], "invalid value 'xml'");
}

#[test]
fn bad_shell_is_a_usage_error() {
    assert_usage_error(&["completions", "tcsh"], "invalid value 'tcsh'");
}

#[test]
fn no_subcommand_prints_help_and_exits_2() {
    assert_usage_error(&[], "Usage: kubefedctl [OPTIONS] <COMMAND>");
}

#[test]
fn help_and_version_flags_exit_0() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["--version"],
        &["version", "--help"],
    ] {
        let out = kubefedctl(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn version_prints_version_and_commit() {
    let out = kubefedctl(&["version"]);
    assert_eq!(out.status.code(), Some(0));
    let line = text(&out.stdout);
    let re = regex::Regex::new(
        r"^kubefedctl version: v\d+\.\d+\.\d+\S* \(commit ([0-9a-f]{12}(, with uncommitted changes)?|unknown: [^()]+)\)\n$",
    )
    .unwrap();
    assert!(re.is_match(&line), "{line:?}");
    assert!(line.starts_with(&format!(
        "kubefedctl version: v{} (commit ",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(out.stderr.is_empty());
}

#[test]
fn version_json_has_git_version_and_commit() {
    let out = kubefedctl(&["version", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["gitVersion"], format!("v{}", env!("CARGO_PKG_VERSION")));
    assert!(v["gitCommit"].as_str().is_some_and(|c| !c.is_empty()));
}

#[test]
fn run_as_kubectl_kubefed_usage_and_errors_say_kubectl_kubefed() {
    // kubectl runs a plugin with its path as argv[0]; a link under the plugin's name is what users install.
    let dir = tempfile::tempdir().unwrap();
    let plugin = dir.path().join("kubectl-kubefed");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_kubefedctl"), &plugin).unwrap();
    let run = |args: &[&str]| {
        Command::new(&plugin)
            .args(args)
            .env("COLUMNS", "100")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };

    let help = run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(
        text(&help.stdout).contains("Usage: kubectl kubefed [OPTIONS] <COMMAND>"),
        "{}",
        text(&help.stdout)
    );
    let join = text(&run(&["join", "--help"]).stdout);
    assert!(
        join.contains("Usage: kubectl kubefed join [OPTIONS] <NAME>"),
        "{join}"
    );

    let bad = run(&["join", "--frobnicate"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = text(&bad.stderr);
    assert!(err.contains("Usage: kubectl kubefed join"), "{err}");

    let version = run(&["version"]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(version.stdout, kubefedctl(&["version"]).stdout);
}

#[test]
fn version_needs_no_kubeconfig() {
    let out = Command::new(env!("CARGO_BIN_EXE_kubefedctl"))
        .args(["version", "--kubeconfig", "/nonexistent/kubeconfig"])
        .env("HOME", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn completions_match_the_committed_scripts() {
    for (shell, file) in kubefedctl::generate::SHELLS {
        let out = kubefedctl(&["completions", &shell.to_string()]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        if blessing() {
            continue;
        }
        let committed =
            fs::read_to_string(root().join("completions").join(file)).unwrap_or_default();
        assert!(
            text(&out.stdout) == committed,
            "{shell}: stale {file}, refresh with {BLESS_HINT}"
        );
    }
}

#[test]
fn closed_stdout_is_not_an_error() {
    let (reader, writer) = std::io::pipe().unwrap();
    // The reader is gone before kubefedctl writes a byte, so its first write fails with EPIPE.
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_kubefedctl"))
        .args(["completions", "bash"])
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn closed_stdout_during_help_is_not_an_error() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_kubefedctl"))
        .arg("--help")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "");
}

fn fixture(name: &str) -> PathBuf {
    root().join("fixtures/kubeconfig").join(name)
}

fn env_list(names: &[&str]) -> std::ffi::OsString {
    std::env::join_paths(names.iter().map(|n| fixture(n))).unwrap()
}

#[test]
fn kubeconfig_list_merges_fixtures_first_file_wins() {
    let kc =
        Kubeconfig::load_from(None, Some(&env_list(&["host.yaml", "members.yaml"])), None).unwrap();
    assert_eq!(kc.context_names(), ["host", "shared", "member1", "member2"]);
    assert_eq!(kc.current_context(), Some("host"));
    let shared = kc.config_for(Some("shared")).unwrap();
    assert_eq!(shared.server, "https://shared-from-host.example:6443");
    let member1 = kc.config_for(Some("member1")).unwrap();
    assert!(member1.insecure_skip_tls_verify);
    assert_eq!(member1.namespace, "team-a");
    let member2 = kc.config_for(Some("member2")).unwrap();
    assert_eq!(
        member2.proxy_url.as_deref(),
        Some("http://proxy.example:3128")
    );
    let host = kc.config_for(None).unwrap();
    assert_eq!(
        host.certificate_authority_data.as_deref(),
        Some(&b"-----BEGIN CERTIFICATE-----\n"[..])
    );
}

#[test]
fn kubeconfig_list_order_decides_the_winner() {
    let kc =
        Kubeconfig::load_from(None, Some(&env_list(&["members.yaml", "host.yaml"])), None).unwrap();
    assert_eq!(kc.current_context(), Some("member1"));
    assert_eq!(
        kc.config_for(Some("host")).unwrap().server,
        "https://127.0.0.1:16443"
    );
}

#[test]
fn kubeconfig_list_skips_missing_files() {
    let kc = Kubeconfig::load_from(
        None,
        Some(&env_list(&["does-not-exist.yaml", "members.yaml"])),
        None,
    )
    .unwrap();
    assert_eq!(kc.context_names(), ["member1", "member2"]);
    assert_eq!(kc.source(), &Source::Env(vec![fixture("members.yaml")]));
}

#[test]
fn kubeconfig_flag_overrides_env_list() {
    let flag = fixture("members.yaml");
    let kc = Kubeconfig::load_from(Some(&flag), Some(&env_list(&["host.yaml"])), None).unwrap();
    assert_eq!(kc.context_names(), ["member1", "member2"]);
    assert_eq!(kc.source(), &Source::Flag(flag));
}

#[test]
fn unknown_host_context_lists_available_contexts() {
    let kc = Kubeconfig::load_from(Some(&fixture("members.yaml")), None, None).unwrap();
    let err = kc.resolve_context(Some("member3")).unwrap_err();
    assert_eq!(kubefedctl::error::exit_code(&err), 1);
    assert!(
        err.to_string()
            .contains("(available contexts: member1, member2)"),
        "{err}"
    );
}

#[test]
fn kubeconfig_without_current_context_needs_an_explicit_one() {
    let kc = Kubeconfig::load_from(Some(&fixture("no-current-context.yaml")), None, None).unwrap();
    assert!(kc.resolve_context(None).is_err());
    assert_eq!(kc.resolve_context(Some("lonely")).unwrap(), "lonely");
}
