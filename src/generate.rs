//! Files generated from the clap definitions: shell completion scripts and man pages.
//!
//! They are committed under `completions/` and `man/`; `tests/cli.rs` regenerates them in memory and
//! fails when they are stale. Output depends only on the command definitions (no dates, no commit).

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// Every shell `completions` supports, with the file name its script is committed under.
pub const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "kubefedctl.bash"),
    (Shell::Zsh, "kubefedctl.zsh"),
    (Shell::Fish, "kubefedctl.fish"),
    (Shell::PowerShell, "kubefedctl.ps1"),
    (Shell::Elvish, "kubefedctl.elv"),
];

/// The root command as generated files describe it: the bare version, so files do not change per commit.
pub fn command() -> clap::Command {
    let mut cmd = Cli::command().version(env!("CARGO_PKG_VERSION"));
    cmd.build();
    cmd
}

/// The completion script for one shell.
pub fn completions(shell: Shell) -> String {
    let mut cmd = command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "kubefedctl", &mut buf);
    String::from_utf8(buf).expect("completion scripts are UTF-8")
}

/// The command paths of every command and subcommand, root first (`["kubefedctl"]`,
/// `["kubefedctl", "sandbox", "up"]`, ...), without clap's `help` subcommand.
pub fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            walk(sub, p, out);
        }
    }
    let cmd = command();
    let mut out = Vec::new();
    walk(&cmd, vec![cmd.get_name().to_string()], &mut out);
    out
}

/// Man pages as `(file name, roff)`: `kubefedctl.1`, then `kubefedctl-<sub>[-<subsub>].1` for each
/// command, nested commands named by their whole path (clap's display name once the tree is built).
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    fn walk(cmd: &clap::Command, out: &mut Vec<(String, Vec<u8>)>) {
        let man = clap_mangen::Man::new(cmd.clone())
            .source(concat!("kubefedctl ", env!("CARGO_PKG_VERSION")));
        let mut buf = Vec::new();
        man.render(&mut buf)
            .expect("rendering to memory cannot fail");
        out.push((man.get_filename(), buf));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&command(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_binary() {
        for (shell, _) in SHELLS {
            let script = completions(shell);
            assert!(script.contains("kubefedctl"), "{shell}");
        }
    }

    #[test]
    fn command_paths_include_root_and_subcommands_but_not_help() {
        let paths = command_paths();
        assert_eq!(paths[0], ["kubefedctl"]);
        assert!(paths.contains(&vec!["kubefedctl".to_string(), "version".to_string()]));
        assert!(!paths.iter().any(|p| p.last().unwrap() == "help"));
    }

    #[test]
    fn man_pages_are_named_by_command_path_and_carry_no_commit() {
        let pages = man_pages();
        let names: Vec<_> = pages.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names[0], "kubefedctl.1");
        assert!(names.contains(&"kubefedctl-completions.1"));
        for (name, roff) in &pages {
            let text = String::from_utf8_lossy(roff);
            assert!(!text.contains(env!("KUBEFEDCTL_GIT_COMMIT")), "{name}");
            assert!(
                text.starts_with(".ie \\n(.g .ds Aq") || text.contains(".TH "),
                "{name}"
            );
        }
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(man_pages(), man_pages());
        assert_eq!(completions(Shell::Zsh), completions(Shell::Zsh));
    }
}
