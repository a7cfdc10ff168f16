//! Release archives as users get them: `scripts/dist.sh` makes one (once per test run); the tests unpack it,
//! verify its checksums and krew manifest, run the binary under both its names (through kubectl too), and
//! install and uninstall it with `install.sh`, from the archive and from source.
//!
//! The binary packaged is, in order: `KUBEFEDCTL_DIST_BINARY` when set; the release build, made by dist.sh's
//! own `cargo build --release`, when `target/release/kubefedctl` is already up to date (cargo then has
//! nothing to do) or `KUBEFEDCTL_TEST_RELEASE_BUILD=1` asks for it (a cold release build takes many minutes
//! on 2 cores); else the debug binary this test run built, so that a plain `cargo test` never starts a
//! release build. Installing from source needs the release build, and says why it skips without one.
//!
//! The whole release check: `KUBEFEDCTL_TEST_RELEASE_BUILD=1 cargo test --test release`.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::SystemTime;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The download location given to dist.sh, which the krew manifest's uris must start with.
const URI_BASE: &str = "https://downloads.example.com/kubefedctl/v1";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The target directory this test was built in (`target/`, or wherever CARGO_TARGET_DIR put it).
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is TARGET/tmp")
        .to_path_buf()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .stdin(Stdio::null())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    eprintln!(
        "$ {cmd:?}\n-> {}\n{}{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

fn run_ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| text(&out.stdout).trim().to_string())
}

/// The commit the sources are at, when they are a git checkout.
fn head() -> Option<String> {
    git(&["ls-files", "--error-unmatch", "crates/cli/build.rs"])?;
    git(&["rev-parse", "--short=12", "HEAD"])
}

fn sha256_hex(path: &Path) -> String {
    Sha256::digest(fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Removes from a command's environment what cargo set for this test about this crate (CARGO_MANIFEST_DIR,
/// CARGO_PKG_*, OUT_DIR, ...). A cargo started by the test would pass them on to build scripts that watch
/// them (ring's watches CARGO_MANIFEST_DIR and CARGO_PKG_*), whose values then differ from a cargo started
/// from a shell, and half the dependency tree would be rebuilt for release, each time.
fn without_cargo_test_env(cmd: &mut Command) -> &mut Command {
    const SET_FOR_THE_CRATE: &[&str] = &[
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_MANIFEST_LINKS",
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
        "OUT_DIR",
    ];
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if SET_FOR_THE_CRATE.contains(&name.as_ref())
            || ["CARGO_PKG_", "CARGO_BIN_EXE_", "CARGO_CFG_"]
                .iter()
                .any(|p| name.starts_with(p))
        {
            cmd.env_remove(name.as_ref());
        }
    }
    cmd
}

#[derive(Debug, Clone, PartialEq)]
enum Packaged {
    /// `KUBEFEDCTL_DIST_BINARY`.
    Given(PathBuf),
    /// dist.sh built it with `cargo build --release`.
    ReleaseBuild,
    /// The debug binary of this test run (a copy without debug info).
    Debug(PathBuf),
}

/// Whether `target/release/kubefedctl` is what `cargo build --release` would make now: newer than every
/// source, and naming the commit the sources are at (a new commit reruns build.rs and rebuilds).
fn release_is_up_to_date() -> bool {
    fn newest(path: &Path) -> Option<SystemTime> {
        let meta = fs::symlink_metadata(path).ok()?;
        if !meta.is_dir() {
            return meta.modified().ok();
        }
        fs::read_dir(path)
            .ok()?
            .filter_map(|e| newest(&e.ok()?.path()))
            .max()
    }
    let binary = target_dir().join("release/kubefedctl");
    let Some(built) = fs::metadata(&binary).and_then(|m| m.modified()).ok() else {
        return false;
    };
    let sources = ["src", "crates", "Cargo.toml", "Cargo.lock"]
        .iter()
        .filter_map(|s| newest(&root().join(s)))
        .max();
    if sources.is_some_and(|s| s > built) {
        return false;
    }
    let Some(head) = head() else { return true };
    Command::new(&binary)
        .args(["version", "-o", "json"])
        .output()
        .ok()
        .and_then(|o| serde_json::from_slice::<Value>(&o.stdout).ok())
        .is_some_and(|v| v["gitCommit"] == head.as_str())
}

fn choose_binary() -> Packaged {
    if let Some(given) = std::env::var_os("KUBEFEDCTL_DIST_BINARY") {
        return Packaged::Given(PathBuf::from(given));
    }
    if std::env::var("KUBEFEDCTL_TEST_RELEASE_BUILD").is_ok_and(|v| v == "1") {
        return Packaged::ReleaseBuild;
    }
    if release_is_up_to_date() {
        return Packaged::ReleaseBuild;
    }
    eprintln!(
        "note: packaging the debug binary, as target/release/kubefedctl is missing or older than the \
         sources; KUBEFEDCTL_TEST_RELEASE_BUILD=1 builds the release binary (minutes) and also checks \
         installing from source"
    );
    Packaged::Debug(PathBuf::from(env!("CARGO_BIN_EXE_kubefedctl")))
}

/// dist.sh with the environment the tests give it: the test's own target directory (so that a release build
/// is shared with `install.sh`), the binary to package when not building, and the download location.
fn dist_command(out: &Path, packaged: &Packaged) -> Command {
    let mut cmd = Command::new(root().join("scripts/dist.sh"));
    without_cargo_test_env(&mut cmd)
        .arg("--out")
        .arg(out)
        .args(["--uri-base", URI_BASE])
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("KUBEFEDCTL_DIST_BINARY")
        .env_remove("KUBEFEDCTL_DIST_URI_BASE");
    match packaged {
        Packaged::Given(binary) | Packaged::Debug(binary) => {
            cmd.arg("--binary").arg(binary);
        }
        Packaged::ReleaseBuild => {}
    }
    cmd
}

/// What dist.sh made, and the archive unpacked.
#[derive(Debug)]
struct Dist {
    packaged: Packaged,
    out: PathBuf,
    archive: PathBuf,
    /// `kubefedctl-VERSION-TARGET`, the archive's one directory.
    name: String,
    /// Where the archive was unpacked: holds `name/`.
    unpacked: PathBuf,
}

impl Dist {
    fn dir(&self) -> PathBuf {
        self.unpacked.join(&self.name)
    }
}

/// Runs dist.sh once for every test of this file; a failure fails each test with its message.
fn dist() -> &'static Dist {
    static DIST: OnceLock<Result<Dist, String>> = OnceLock::new();
    DIST.get_or_init(make_dist)
        .as_ref()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn make_dist() -> Result<Dist, String> {
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("release-test");
    let _ = fs::remove_dir_all(&work);
    let out = work.join("dist");
    let unpacked = work.join("unpacked");
    fs::create_dir_all(&unpacked).map_err(|e| e.to_string())?;

    let mut packaged = choose_binary();
    if let Packaged::Debug(binary) = &packaged {
        // Without its debug info the binary is a quarter of the size, and gzip -9 takes seconds, not a minute.
        let copy = work.join("kubefedctl");
        fs::copy(binary, &copy).map_err(|e| e.to_string())?;
        let _ = Command::new("strip")
            .arg("--strip-debug")
            .arg(&copy)
            .status();
        packaged = Packaged::Debug(copy);
    }
    let result = run(&mut dist_command(&out, &packaged));
    if !result.status.success() {
        return Err(format!(
            "scripts/dist.sh failed ({}):\n{}",
            result.status,
            text(&result.stderr)
        ));
    }
    let written: Vec<PathBuf> = text(&result.stdout).lines().map(PathBuf::from).collect();
    let version = env!("CARGO_PKG_VERSION");
    let archive = written
        .iter()
        .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
        .ok_or("dist.sh printed no archive")?
        .clone();
    let file = archive.file_name().unwrap().to_string_lossy().into_owned();
    let name = file.trim_end_matches(".tar.gz").to_string();
    if !name.starts_with(&format!("kubefedctl-{version}-")) {
        return Err(format!(
            "archive {file} is not named kubefedctl-{version}-TARGET.tar.gz"
        ));
    }
    for expected in [
        archive.clone(),
        out.join("SHA256SUMS"),
        out.join("kubefed.yaml"),
    ] {
        if !written.contains(&expected) {
            return Err(format!("dist.sh did not report {}", expected.display()));
        }
    }
    let untar = run(Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&unpacked));
    if !untar.status.success() {
        return Err(format!("cannot unpack {file}: {}", text(&untar.stderr)));
    }
    Ok(Dist {
        packaged,
        out,
        archive,
        name,
        unpacked,
    })
}

#[test]
fn archive_holds_the_binary_its_plugin_link_completions_man_pages_and_docs() {
    let d = dist();
    let listing = run_ok(Command::new("tar").arg("-tzf").arg(&d.archive));
    let listed: Vec<&str> = listing.lines().collect();

    // GNU tar's --sort=name: each directory's entries in byte order, a directory's contents right after it.
    let files_of = |dir: &str, suffix: &str| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(suffix))
            .collect();
        names.sort();
        names
    };
    let top = &d.name;
    let mut expected = vec![
        format!("{top}/"),
        format!("{top}/LICENSE"),
        format!("{top}/README.md"),
        format!("{top}/completions/"),
    ];
    expected.extend(
        files_of("completions", "")
            .iter()
            .map(|f| format!("{top}/completions/{f}")),
    );
    expected.extend([
        format!("{top}/install.sh"),
        format!("{top}/kubectl-kubefed"),
        format!("{top}/kubefedctl"),
        format!("{top}/man/"),
    ]);
    expected.extend(
        files_of("man", ".1")
            .iter()
            .map(|f| format!("{top}/man/{f}")),
    );
    assert_eq!(listed, expected);
    assert!(files_of("man", ".1").contains(&"kubefedctl-join.1".to_string()));

    // Owner, dates and the plugin link as the listing shows them.
    let verbose = run_ok(
        Command::new("tar")
            .args(["--numeric-owner", "-tvzf"])
            .arg(&d.archive),
    );
    for line in verbose.lines() {
        assert!(line.contains(" 0/0 "), "not owned by 0/0: {line}");
    }
    assert!(
        verbose.lines().any(|l| l.starts_with("lrwxrwxrwx")
            && l.ends_with(&format!("{top}/kubectl-kubefed -> kubefedctl"))),
        "{verbose}"
    );
    assert!(
        verbose
            .lines()
            .any(|l| l.starts_with("-rwxr-xr-x") && l.ends_with(&format!("{top}/kubefedctl"))),
        "{verbose}"
    );

    // gzip -n: no file name (FLG.FNAME) and no time (MTIME) in the header.
    let gz = fs::read(&d.archive).unwrap();
    assert_eq!(&gz[..3], &[0x1f, 0x8b, 8]);
    assert_eq!(gz[3] & 0x08, 0, "gzip header names a file");
    assert_eq!(&gz[4..8], &[0, 0, 0, 0], "gzip header has a time");

    let license = fs::read_to_string(d.dir().join("LICENSE")).unwrap();
    assert!(license.contains("Apache License") && license.contains("Version 2.0"));
    assert_eq!(
        fs::read(d.dir().join("README.md")).unwrap(),
        fs::read(root().join("README.md")).unwrap()
    );
}

#[test]
fn sha256sums_verifies_with_sha256sum() {
    let d = dist();
    let file = d
        .archive
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let sums = fs::read_to_string(d.out.join("SHA256SUMS")).unwrap();
    assert_eq!(
        sums,
        format!("{}  {file}\n", sha256_hex(&d.archive)),
        "one line per archive"
    );
    let check = run_ok(
        Command::new("sha256sum")
            .args(["-c", "SHA256SUMS"])
            .current_dir(&d.out),
    );
    assert_eq!(check, format!("{file}: OK\n"));
}

#[test]
fn unpacked_binary_prints_its_version_with_the_commit_and_its_help() {
    let d = dist();
    let binary = d.dir().join("kubefedctl");
    let version = run_ok(Command::new(&binary).arg("version"));
    let expected = format!(
        "kubefedctl version: v{} (commit ",
        env!("CARGO_PKG_VERSION")
    );
    assert!(version.starts_with(&expected), "{version}");
    match (&d.packaged, head()) {
        (Packaged::Given(_), _) => {}
        (_, Some(head)) => assert!(
            version.starts_with(&format!("{expected}{head}")),
            "{version} does not name HEAD {head}"
        ),
        (_, None) => assert!(version.contains("commit unknown: "), "{version}"),
    }

    let help = run_ok(Command::new(&binary).arg("--help"));
    assert!(
        help.contains("Usage: kubefedctl [OPTIONS] <COMMAND>"),
        "{help}"
    );
    assert!(help.contains("  join "), "{help}");
}

#[test]
fn run_as_kubectl_kubefed_its_usage_says_kubectl_kubefed() {
    let d = dist();
    let plugin = d.dir().join("kubectl-kubefed");
    assert_eq!(fs::read_link(&plugin).unwrap(), Path::new("kubefedctl"));
    let help = run_ok(Command::new(&plugin).arg("--help"));
    assert!(
        help.contains("Usage: kubectl kubefed [OPTIONS] <COMMAND>"),
        "{help}"
    );
    let join = run_ok(Command::new(&plugin).args(["join", "--help"]));
    assert!(
        join.contains("Usage: kubectl kubefed join [OPTIONS] <NAME>"),
        "{join}"
    );
}

#[test]
fn kubectl_runs_the_archive_as_its_kubefed_plugin() {
    let d = dist();
    let kubectls = support::kubectls();
    if kubectls.is_empty() {
        eprintln!("skipping: no kubectl found to run the plugin with");
        return;
    }
    let path = std::env::join_paths(
        std::iter::once(d.dir()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let expected = run_ok(Command::new(d.dir().join("kubefedctl")).arg("version"));
    for (label, kubectl) in kubectls {
        let kubectl_cmd = |args: &[&str]| {
            let mut cmd = Command::new(&kubectl);
            cmd.args(args)
                .env("PATH", &path)
                .env("HOME", home.path())
                .env_remove("KUBECONFIG");
            cmd
        };
        let version = run_ok(&mut kubectl_cmd(&["kubefed", "version"]));
        assert_eq!(version, expected, "kubectl {label}");

        let list = run(&mut kubectl_cmd(&["plugin", "list"]));
        let listed = text(&list.stdout);
        assert!(
            listed.contains(&d.dir().join("kubectl-kubefed").display().to_string()),
            "kubectl {label} plugin list: {listed}{}",
            text(&list.stderr)
        );

        let help = run_ok(&mut kubectl_cmd(&["kubefed", "join", "--help"]));
        assert!(
            help.contains("Usage: kubectl kubefed join"),
            "kubectl {label}: {help}"
        );
        let bad = run(&mut kubectl_cmd(&["kubefed", "join", "--frobnicate"]));
        assert_eq!(bad.status.code(), Some(2), "kubectl {label}");
        assert!(
            text(&bad.stderr).contains("Usage: kubectl kubefed join"),
            "kubectl {label}"
        );
    }
}

#[test]
fn krew_manifest_names_the_archive_its_sha256_and_the_plugin_files() {
    let d = dist();
    let manifest: Value =
        kubefedctl::yaml::from_str(&fs::read_to_string(d.out.join("kubefed.yaml")).unwrap())
            .unwrap();
    assert_eq!(
        manifest["apiVersion"],
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(manifest["kind"], "Plugin");
    assert_eq!(manifest["metadata"]["name"], "kubefed");
    let spec = &manifest["spec"];
    assert_eq!(spec["version"], format!("v{}", env!("CARGO_PKG_VERSION")));
    assert!(spec["shortDescription"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    let platforms = spec["platforms"].as_array().unwrap();
    assert_eq!(platforms.len(), 1, "{platforms:?}");
    let p = &platforms[0];
    let file = d
        .archive
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert_eq!(p["uri"], format!("{URI_BASE}/{file}"));
    assert_eq!(p["sha256"], sha256_hex(&d.archive));
    assert_eq!(p["bin"], "kubefedctl");
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    assert_eq!(
        p["selector"]["matchLabels"],
        serde_json::json!({"os": std::env::consts::OS, "arch": arch})
    );
    let files = p["files"].as_array().unwrap();
    let froms: Vec<&str> = files.iter().map(|f| f["from"].as_str().unwrap()).collect();
    assert_eq!(
        froms,
        [
            format!("{}/kubefedctl", d.name),
            format!("{}/LICENSE", d.name)
        ]
    );
    for from in froms {
        assert!(
            d.unpacked.join(from).is_file(),
            "{from} is not in the archive"
        );
    }
}

#[test]
fn the_same_binary_gives_a_byte_identical_archive() {
    let d = dist();
    let again = tempfile::tempdir().unwrap();
    let binary = Packaged::Given(d.dir().join("kubefedctl"));
    run_ok(&mut dist_command(again.path(), &binary));
    for file in [d.archive.file_name().unwrap(), "SHA256SUMS".as_ref()] {
        assert!(
            fs::read(d.out.join(file)).unwrap() == fs::read(again.path().join(file)).unwrap(),
            "{file:?} differs between two runs"
        );
    }
}

/// Every file and directory under `dir`, relative to it, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(base).unwrap().display().to_string());
            if path.is_dir() && !path.is_symlink() {
                walk(base, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

const INSTALLED: &[&str] = &[
    "bin/kubefedctl",
    "share/bash-completion/completions/kubefedctl",
    "share/zsh/site-functions/_kubefedctl",
    "share/fish/vendor_completions.d/kubefedctl.fish",
    "share/man/man1/kubefedctl.1",
    "share/man/man1/kubefedctl-join.1",
    "share/kubefedctl/installed-files",
];

fn install_sh(script: &Path, prefix: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(script);
    without_cargo_test_env(&mut cmd)
        .arg("--prefix")
        .arg(prefix)
        .args(args);
    cmd
}

#[test]
fn install_from_the_archive_verifies_it_links_the_plugin_and_uninstall_leaves_nothing() {
    let d = dist();
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("prefix"); // does not exist yet: the install creates it
    let script = root().join("install.sh");
    let archive = d.archive.to_str().unwrap();

    let out = run_ok(&mut install_sh(
        &script,
        &prefix,
        &["--from-archive", archive, "--kubectl-plugin"],
    ));
    let file = d
        .archive
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(out.contains(&format!("verified {file} against ")), "{out}");
    for installed in INSTALLED {
        assert!(prefix.join(installed).exists(), "{installed} missing");
    }
    let plugin = prefix.join("bin/kubectl-kubefed");
    assert_eq!(fs::read_link(&plugin).unwrap(), Path::new("kubefedctl"));
    let help = run_ok(Command::new(&plugin).arg("--help"));
    assert!(help.contains("Usage: kubectl kubefed"), "{help}");
    assert_eq!(
        fs::read(prefix.join("bin/kubefedctl")).unwrap(),
        fs::read(d.dir().join("kubefedctl")).unwrap()
    );

    // Again without --kubectl-plugin: the link goes, the rest stays.
    run_ok(&mut install_sh(
        &script,
        &prefix,
        &["--from-archive", archive],
    ));
    assert!(!plugin.exists() && !plugin.is_symlink());
    assert!(prefix.join("bin/kubefedctl").exists());

    let out = run_ok(&mut install_sh(&script, &prefix, &["--uninstall"]));
    assert!(out.contains("kubefedctl uninstalled"), "{out}");
    assert!(
        !prefix.exists(),
        "uninstall left {:?} in the prefix it created",
        tree(&prefix)
    );
}

#[test]
fn install_refuses_an_archive_that_its_sha256sums_does_not_vouch_for() {
    let d = dist();
    let tmp = tempfile::tempdir().unwrap();
    let file = d
        .archive
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let archive = tmp.path().join(&file);
    fs::copy(&d.archive, &archive).unwrap();
    let prefix = tmp.path().join("prefix");
    let script = root().join("install.sh");
    let from = ["--from-archive", archive.to_str().unwrap()];

    fs::write(
        tmp.path().join("SHA256SUMS"),
        format!("{}  {file}\n", "0".repeat(64)),
    )
    .unwrap();
    let out = run(&mut install_sh(&script, &prefix, &from));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("does not match its checksum"),
        "{}",
        text(&out.stderr)
    );
    assert!(!prefix.exists(), "a refused archive installed something");

    fs::write(
        tmp.path().join("SHA256SUMS"),
        format!("{}  other.tar.gz\n", sha256_hex(&archive)),
    )
    .unwrap();
    let out = run(&mut install_sh(&script, &prefix, &from));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("does not list"),
        "{}",
        text(&out.stderr)
    );
    assert!(!prefix.exists());

    let mut args = from.to_vec();
    args.push("--skip-checksum");
    run_ok(&mut install_sh(&script, &prefix, &args));
    assert!(prefix.join("bin/kubefedctl").exists());
    run_ok(&mut install_sh(&script, &prefix, &["--uninstall"]));
    assert!(!prefix.exists());
}

#[test]
fn installer_inside_the_unpacked_archive_installs_it_without_cargo() {
    let d = dist();
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("prefix");
    // A prefix already in use: what was there before stays, with the directories that held it.
    fs::create_dir_all(prefix.join("bin")).unwrap();
    fs::write(prefix.join("bin/other-tool"), "#!/bin/sh\n").unwrap();

    let mut cmd = install_sh(&d.dir().join("install.sh"), &prefix, &[]);
    // No cargo on PATH: an attempt to build would fail.
    cmd.env("PATH", "/usr/bin:/bin");
    let out = run_ok(&mut cmd);
    assert!(!out.contains("built "), "{out}");
    for installed in INSTALLED {
        assert!(prefix.join(installed).exists(), "{installed} missing");
    }
    assert!(!prefix.join("bin/kubectl-kubefed").exists());

    run_ok(
        install_sh(&d.dir().join("install.sh"), &prefix, &["--uninstall"])
            .env("PATH", "/usr/bin:/bin"),
    );
    assert_eq!(tree(&prefix), ["bin", "bin/other-tool"]);
}

#[test]
#[ignore = "installs from source, which needs a release build of this crate (about 10 minutes on 2 \
            cores): KUBEFEDCTL_TEST_RELEASE_BUILD=1 cargo test --test release -- --ignored"]
fn install_from_source_finds_the_binary_in_cargo_target_dir() {
    let d = dist();
    assert_eq!(
        d.packaged,
        Packaged::ReleaseBuild,
        "installing from source needs a current release build: set KUBEFEDCTL_TEST_RELEASE_BUILD=1"
    );
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("prefix");
    // The release build dist.sh just made, under another name than the source tree's target/: install.sh
    // must install what cargo built there, not look for target/release.
    let target = tmp.path().join("elsewhere");
    std::os::unix::fs::symlink(target_dir(), &target).unwrap();
    let mut cmd = install_sh(&root().join("install.sh"), &prefix, &[]);
    cmd.env("CARGO_TARGET_DIR", &target);
    let out = run_ok(&mut cmd);
    let built = target.join("release/kubefedctl");
    assert!(
        out.contains(&format!("built {}\n", built.display())),
        "{out}"
    );
    assert_eq!(
        fs::read(prefix.join("bin/kubefedctl")).unwrap(),
        fs::read(&built).unwrap()
    );
    let version = run_ok(Command::new(prefix.join("bin/kubefedctl")).arg("version"));
    assert_eq!(
        version,
        run_ok(Command::new(d.dir().join("kubefedctl")).arg("version"))
    );

    run_ok(&mut install_sh(
        &root().join("install.sh"),
        &prefix,
        &["--uninstall"],
    ));
    assert!(!prefix.exists(), "left {:?}", tree(&prefix));
}
