//! `kubefedctl version`: the version and git commit of this build.

use serde::Serialize;

use super::{Context, Outcome};
use crate::output::ObjectFormat;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the version as a JSON or YAML object instead of a line
    #[arg(short, long, value_enum, value_name = "FORMAT")]
    pub output: Option<ObjectFormat>,
}

/// The fields `kubectl version -o json` uses for a client, where they apply.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    pub git_version: String,
    /// 12 hex digits, or `unknown` for a build outside a git checkout (see `build.rs`).
    pub git_commit: String,
    /// `clean`, `dirty` (the sources differed from the commit), or empty when unknown.
    pub git_tree_state: String,
    pub platform: String,
}

impl VersionInfo {
    pub fn current() -> Self {
        VersionInfo {
            git_version: format!("v{}", env!("CARGO_PKG_VERSION")),
            git_commit: env!("KUBEFEDCTL_GIT_COMMIT").to_string(),
            git_tree_state: env!("KUBEFEDCTL_GIT_TREE_STATE").to_string(),
            platform: format!(
                "{}/{}",
                std::env::consts::OS,
                go_arch(std::env::consts::ARCH)
            ),
        }
    }

    /// `kubefedctl version: v0.1.0 (commit 0123456789ab)`; the parenthesis says so when the commit is
    /// unknown or the sources had uncommitted changes.
    pub fn line(&self) -> String {
        format!(
            "kubefedctl version: {} ({})\n",
            self.git_version,
            env!("KUBEFEDCTL_COMMIT_TEXT")
        )
    }
}

/// Architecture names as Kubernetes spells them (`linux/amd64`).
fn go_arch(arch: &str) -> &str {
    match arch {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    }
}

pub fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let info = VersionInfo::current();
    match args.output {
        Some(format) => ctx.printer.print_object(&info, format)?,
        None => ctx.printer.write_stdout(&info.line())?,
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::GlobalArgs;
    use crate::output::Printer;

    #[test]
    fn prints_version_and_commit_line() {
        let (printer, out) = Printer::capture(false, 0);
        let ctx = Context::new(GlobalArgs::default(), printer);
        run(&ctx, &Args { output: None }).unwrap();
        let expected = format!(
            "kubefedctl version: v{} (commit {}",
            env!("CARGO_PKG_VERSION"),
            env!("KUBEFEDCTL_GIT_COMMIT")
        );
        let line = out.lock().unwrap().stdout.clone();
        assert!(line.starts_with(&expected), "{line}");
        assert!(line.ends_with(")\n"), "{line}");
    }

    #[test]
    fn json_output_has_git_version_and_commit() {
        let (printer, out) = Printer::capture(false, 0);
        let ctx = Context::new(GlobalArgs::default(), printer);
        run(
            &ctx,
            &Args {
                output: Some(ObjectFormat::Json),
            },
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out.lock().unwrap().stdout).unwrap();
        assert_eq!(v["gitVersion"], format!("v{}", env!("CARGO_PKG_VERSION")));
        assert_eq!(v["gitCommit"], env!("KUBEFEDCTL_GIT_COMMIT"));
        assert_eq!(v["gitTreeState"], env!("KUBEFEDCTL_GIT_TREE_STATE"));
        assert!(v["platform"].as_str().unwrap().contains('/'));
    }

    #[test]
    fn architectures_use_kubernetes_names() {
        assert_eq!(go_arch("x86_64"), "amd64");
        assert_eq!(go_arch("aarch64"), "arm64");
        assert_eq!(go_arch("riscv64"), "riscv64");
    }
}
