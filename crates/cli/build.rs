//! Embeds the git commit in the binary for `kubefedctl version`.
//!
//! The commit comes from, in order: `KUBEFEDCTL_GIT_COMMIT` in the build's environment (for packagers who
//! build from an exported source tree and know its commit), the git checkout that tracks this crate, or the
//! `.cargo_vcs_info.json` that `cargo package` writes into a packaged crate. A build with none of these (a
//! source tarball, a copy of the tree) still succeeds: its commit is `unknown` and the version line says why.
//!
//! Sets `KUBEFEDCTL_GIT_COMMIT` (12 hex digits, or `unknown`), `KUBEFEDCTL_GIT_TREE_STATE` (`clean`,
//! `dirty` or empty when unknown, as `kubectl version` names it) and `KUBEFEDCTL_COMMIT_TEXT`, the words
//! the version line prints after the version.
use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary's sources, relative to the workspace root (two levels above this crate): a change to any of
/// them makes a build "dirty" with respect to its commit.
const SOURCES: &[&str] = &["src", "crates", "Cargo.toml", "Cargo.lock"];

struct Commit {
    hash: String,
    /// `Some(true)` when the sources differ from the commit; `None` when that cannot be told.
    dirty: Option<bool>,
}

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-env-changed=KUBEFEDCTL_GIT_COMMIT");

    let found = from_env()
        .map(Ok)
        .unwrap_or_else(|| from_checkout(&manifest_dir))
        .or_else(|why| from_cargo_vcs_info(&manifest_dir).ok_or(why));

    let (hash, state, text) = match found {
        Ok(Commit { hash, dirty }) => {
            let state = match dirty {
                Some(true) => "dirty",
                Some(false) => "clean",
                None => "",
            };
            let text = if dirty == Some(true) {
                format!("commit {hash}, with uncommitted changes")
            } else {
                format!("commit {hash}")
            };
            (hash, state, text)
        }
        Err(why) => ("unknown".to_string(), "", format!("commit unknown: {why}")),
    };
    println!("cargo:rustc-env=KUBEFEDCTL_GIT_COMMIT={hash}");
    println!("cargo:rustc-env=KUBEFEDCTL_GIT_TREE_STATE={state}");
    println!("cargo:rustc-env=KUBEFEDCTL_COMMIT_TEXT={text}");
}

fn from_env() -> Option<Commit> {
    let hash = std::env::var("KUBEFEDCTL_GIT_COMMIT").ok()?;
    let hash = hash.trim();
    (!hash.is_empty()).then(|| Commit {
        hash: short(hash),
        dirty: None,
    })
}

/// The commit of the git checkout that tracks this crate. A crate unpacked inside some other repository
/// is not tracked by it, and gets no commit rather than that repository's.
fn from_checkout(manifest_dir: &Path) -> Result<Commit, String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(manifest_dir)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    if git(&["--version"]).is_none() {
        // Cargo reruns the script when git appears on PATH only if told to look at PATH.
        println!("cargo:rerun-if-env-changed=PATH");
        return Err("git was not found when this binary was built".to_string());
    }
    if git(&["ls-files", "--error-unmatch", "build.rs"]).is_none() {
        println!("cargo:rerun-if-changed=build.rs");
        return Err("not built from a git checkout".to_string());
    }
    let hash = git(&["rev-parse", "HEAD"]).ok_or("the git checkout has no commit yet")?;

    // Rerun when HEAD moves (HEAD itself, per worktree; the branch it names, a loose ref or packed) and when
    // a source changes, for the tree state. Cargo reruns on every build for a path that does not exist, so
    // only existing ones are named; a branch only in packed-refs is watched through its ref directory, where
    // the next commit writes it.
    let git_path =
        |name: &str| git(&["rev-parse", "--git-path", name]).map(|p| manifest_dir.join(p));
    let mut watched: Vec<PathBuf> = ["HEAD", "packed-refs"]
        .iter()
        .filter_map(|n| git_path(n))
        .collect();
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]).and_then(|b| git_path(&b)) {
        if branch.exists() {
            watched.push(branch);
        } else {
            watched.extend(branch.parent().map(Path::to_path_buf));
        }
    }
    for path in watched.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let sources: Vec<String> = SOURCES
        .iter()
        .map(|s| manifest_dir.join("../..").join(s).display().to_string())
        .collect();
    for source in &sources {
        println!("cargo:rerun-if-changed={source}");
    }
    // Without optional locks `git status` does not rewrite the index, which would make the next build rerun this.
    let mut status = vec![
        "--no-optional-locks",
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
    ];
    status.extend(sources.iter().map(String::as_str));
    let dirty = git(&status).map(|changes| !changes.is_empty());
    Ok(Commit {
        hash: short(&hash),
        dirty,
    })
}

/// The commit `cargo package` recorded when it packaged this crate.
fn from_cargo_vcs_info(manifest_dir: &Path) -> Option<Commit> {
    let path = manifest_dir.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    println!("cargo:rerun-if-changed={}", path.display());
    // {"git": {"sha1": "<40 hex digits>", "dirty": true}, "path_in_vcs": ""}; no JSON parser in a build script.
    let after = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let start = after.find('"')? + 1;
    let len = after[start..].find('"')?;
    let hash = &after[start..start + len];
    let dirty = text.contains("\"dirty\": true") || text.contains("\"dirty\":true");
    (hash.len() >= 12 && hash.chars().all(|c| c.is_ascii_hexdigit())).then(|| Commit {
        hash: short(hash),
        dirty: Some(dirty),
    })
}

fn short(hash: &str) -> String {
    hash.chars().take(12).collect()
}
