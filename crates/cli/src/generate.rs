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

/// The completion script for one shell: the registration of kubefedctl's dynamic completion, which calls
/// `kubefedctl` back for candidates (see `crate::completion`).
pub fn completions(shell: Shell) -> String {
    crate::completion::registration(shell)
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
///
/// Each page reads like a man page rather than `--help` reflowed: a synopsis with value placeholders,
/// DESCRIPTION from the long help, OPTIONS (the command's, then the global ones), EXAMPLES, EXIT STATUS,
/// ENVIRONMENT and SEE ALSO.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    fn walk(cmd: &clap::Command, siblings: &[String], out: &mut Vec<(String, Vec<u8>)>) {
        out.push(man_page(cmd, siblings));
        let children: Vec<String> = subcommands(cmd).map(page_name).collect();
        for sub in subcommands(cmd) {
            walk(sub, &children, out);
        }
    }
    let mut out = Vec::new();
    walk(&command(), &[], &mut out);
    out
}

fn subcommands(cmd: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cmd.get_subcommands().filter(|s| s.get_name() != "help")
}

/// `kubefedctl-sandbox-up`: the page's name, from the command's path.
fn page_name(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string()
}

/// Escapes text for roff: backslashes, hyphens (so they stay hyphens) and control characters at line start.
fn roff_text(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

fn bold(text: &str) -> String {
    format!("\\fB{}\\fR", roff_text(text))
}

fn italic(text: &str) -> String {
    format!("\\fI{}\\fR", roff_text(text))
}

/// `[-n|--namespace NS]`, `NAME`, `[--dry-run]`, `[--override CLUSTER:PATH=VALUE]...`.
fn synopsis_item(arg: &clap::Arg) -> String {
    let placeholder = || {
        arg.get_value_names()
            .and_then(|v| v.first())
            .map(|v| v.to_string())
            .unwrap_or_else(|| arg.get_id().as_str().to_uppercase())
    };
    // Repeatable, unless the placeholder already says how to give several (`CLUSTER,...`).
    let repeated = match arg.get_action() {
        clap::ArgAction::Count => true,
        clap::ArgAction::Append => arg.get_value_delimiter().is_none(),
        _ => false,
    };
    let dots = if repeated { "..." } else { "" };
    if arg.is_positional() {
        let name = italic(&placeholder());
        return if arg.is_required_set() {
            format!("{name}{dots}")
        } else {
            format!("[{name}]{dots}")
        };
    }
    let mut names = Vec::new();
    if let Some(s) = arg.get_short() {
        names.push(bold(&format!("-{s}")));
    }
    if let Some(l) = arg.get_long() {
        names.push(bold(&format!("--{l}")));
    }
    let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values())
        && !matches!(
            arg.get_action(),
            clap::ArgAction::SetTrue | clap::ArgAction::SetFalse | clap::ArgAction::Count
        );
    let value = if takes_value {
        format!(" {}", italic(&placeholder()))
    } else {
        String::new()
    };
    let item = format!("{}{value}", names.join("|"));
    if arg.is_required_set() {
        format!("{item}{dots}")
    } else {
        format!("[{item}]{dots}")
    }
}

fn synopsis(cmd: &clap::Command, root: bool) -> String {
    // The display name joins the path with "-"; the command is typed with spaces.
    // Left-aligned, and broken only between items: an item such as `[-n|--namespace NS]` stays whole.
    let mut out = format!(
        ".SH SYNOPSIS\n.nh\n.ad l\n.B {}\n",
        roff_text(&command_words(cmd))
    );
    let own = |a: &&clap::Arg| {
        !a.is_hide_set() && !a.is_global_set() && !matches!(a.get_id().as_str(), "help" | "version")
    };
    let (positionals, options): (Vec<&clap::Arg>, Vec<&clap::Arg>) = cmd
        .get_arguments()
        .filter(own)
        .partition(|a| a.is_positional());
    let mut items: Vec<String> = options.iter().map(|a| synopsis_item(a)).collect();
    if root {
        items.extend(
            cmd.get_arguments()
                .filter(|a| a.is_global_set() && !a.is_hide_set())
                .map(synopsis_item),
        );
    } else {
        items.push(format!("[{}]", italic("GLOBAL OPTIONS")));
    }
    if subcommands(cmd).next().is_some() {
        items.push(italic("COMMAND"));
    }
    items.extend(positionals.iter().map(|a| synopsis_item(a)));
    let items: Vec<String> = items.iter().map(|i| i.replace(' ', "\\ ")).collect();
    out.push_str(&items.join(" "));
    out.push_str("\n.ad\n");
    out
}

/// `kubefedctl sandbox up`: how the command is typed.
fn command_words(cmd: &clap::Command) -> String {
    cmd.get_bin_name()
        .map(str::to_string)
        .unwrap_or_else(|| page_name(cmd))
}

/// Paragraphs of help text as roff: indented lines (examples, lists) kept as they are, the rest filled.
fn roff_paragraphs(text: &str) -> String {
    let mut out = String::new();
    for para in text
        .split("\n\n")
        .map(str::trim_end)
        .filter(|p| !p.trim().is_empty())
    {
        out.push_str(".PP\n");
        let mut verbatim = false;
        for line in para.lines() {
            let indented = line.starts_with("  ");
            if indented && !verbatim {
                out.push_str(".nf\n.RS 4\n");
                verbatim = true;
            } else if !indented && verbatim {
                out.push_str(".RE\n.fi\n");
                verbatim = false;
            }
            out.push_str(&roff_text(if indented { line.trim_start() } else { line }));
            out.push('\n');
        }
        if verbatim {
            out.push_str(".RE\n.fi\n");
        }
    }
    out
}

/// The command's long help and after-help, split into description and examples (paragraphs headed
/// `Example:` or `Examples:`).
fn description_and_examples(cmd: &clap::Command) -> (String, Vec<String>) {
    let mut text = cmd
        .get_long_about()
        .or(cmd.get_about())
        .map(|s| s.to_string())
        .unwrap_or_default();
    if let Some(after) = cmd.get_after_long_help().or(cmd.get_after_help()) {
        text.push_str("\n\n");
        text.push_str(&after.to_string());
    }
    let mut description = Vec::new();
    let mut examples = Vec::new();
    for para in text.split("\n\n") {
        let trimmed = para.trim_start();
        match trimmed
            .strip_prefix("Examples:")
            .or_else(|| trimmed.strip_prefix("Example:"))
        {
            Some(rest) => examples.extend(
                rest.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string),
            ),
            None => description.push(para.to_string()),
        }
    }
    if examples.is_empty() {
        examples = default_examples(&command_words(cmd));
    }
    (description.join("\n\n"), examples)
}

/// Examples for the commands whose help has none.
fn default_examples(command: &str) -> Vec<String> {
    let lines: &[&str] = match command {
        "kubefedctl" => &[
            "kubefedctl demo                                      # the quick start on local clusters",
            "kubefedctl init --host-cluster-context host",
            "kubefedctl join member1 --cluster-context member1 --host-cluster-context host",
            "kubefedctl federate deploy web -n shop --override member1:/spec/replicas=4",
            "kubefedctl reconcile --once",
        ],
        "kubefedctl version" => &["kubefedctl version", "kubefedctl version -o json"],
        "kubefedctl init" => &[
            "kubefedctl init",
            "kubefedctl init --scope Namespaced --kubefed-namespace fed",
            "kubefedctl init -o yaml > control-plane.yaml   # for GitOps; contacts no cluster",
        ],
        "kubefedctl teardown" => &[
            "kubefedctl teardown --dry-run",
            "kubefedctl teardown --yes --orphan --host-cluster-context host",
        ],
        "kubefedctl join" => &[
            "kubefedctl join member1 --cluster-context member1 --host-cluster-context host",
            "kubefedctl join host --host-cluster-context host          # the host joins itself",
            "kubefedctl join eu-1 --cluster-context gke-eu --label region=eu --dry-run",
        ],
        "kubefedctl unjoin" => &[
            "kubefedctl unjoin member1 --cluster-context member1 --host-cluster-context host",
            "kubefedctl unjoin member1 --force     # also when the member is gone for good",
        ],
        "kubefedctl sandbox" => &[
            "kubefedctl sandbox up --clusters host,member1 --kubeconfig ./sandbox.kubeconfig",
        ],
        "kubefedctl sandbox up" => &[
            "kubefedctl sandbox up --clusters host,member1,member2 --kubeconfig ./sandbox.kubeconfig",
        ],
        "kubefedctl orphaning-deletion" => &[
            "kubefedctl orphaning-deletion enable FederatedDeployment web -n shop",
            "kubefedctl orphaning-deletion status fdeploy web -n shop",
        ],
        _ => &[],
    };
    lines.iter().map(|l| l.to_string()).collect()
}

/// The exit codes of the contract (`diff` has kubectl diff's).
fn exit_status(command: &str) -> String {
    let codes: &[(&str, &str)] = if command == "kubefedctl diff" {
        &[
            ("0", "No differences: the next reconcile would change nothing."),
            ("1", "Differences found (they are printed)."),
            ("2", "Usage error, invalid input, or failure; nothing was compared."),
            ("3", "Some clusters or objects could not be compared; the others' differences are printed."),
        ]
    } else if command == "kubefedctl reconcile" {
        &[
            ("0", "Success; with --once, everything converged."),
            ("1", "Failure: a cluster or API error, a precondition not met, or nothing could be reconciled."),
            ("2", "Usage error or invalid input; nothing was written."),
            ("3", "Partial failure: some clusters or objects failed, the rest succeeded."),
        ]
    } else {
        &[
            ("0", "Success (--help too)."),
            ("1", "Failure: a cluster or API error, or a precondition not met."),
            ("2", "Usage error or invalid input (bad flag or value, malformed YAML, invalid override or selector); nothing was written."),
            ("3", "Partial failure: some clusters or objects failed, the rest succeeded."),
        ]
    };
    let mut out = String::from(".SH \"EXIT STATUS\"\n");
    for (code, meaning) in codes {
        out.push_str(&format!(".TP\n.B {code}\n{}\n", roff_text(meaning)));
    }
    out
}

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "KUBECONFIG",
        "Colon-separated list of kubeconfig files, merged as kubectl merges them (the first to define a name wins); used when --kubeconfig is not given. Without either, ~/.kube/config.",
    ),
    (
        "NO_COLOR",
        "When set, output is never coloured (colour and progress bars appear only on a terminal anyway).",
    ),
    (
        "COMPLETE",
        "Set by the shell completion script (COMPLETE=bash, zsh, fish, powershell or elvish): kubefedctl then prints completion candidates for the words after -- instead of running a command. COMPLETE=bash kubefedctl prints the registration script; see kubefedctl-completions(1).",
    ),
];

fn man_page(cmd: &clap::Command, siblings: &[String]) -> (String, Vec<u8>) {
    let root = cmd.get_bin_name().is_none_or(|b| b == "kubefedctl");
    let man = clap_mangen::Man::new(cmd.clone())
        .source(concat!("kubefedctl ", env!("CARGO_PKG_VERSION")))
        .manual("kubefedctl manual");
    let mut buf = Vec::new();
    man.render_title(&mut buf)
        .and_then(|_| man.render_name_section(&mut buf))
        .expect("rendering to memory cannot fail");
    let mut page = String::from_utf8(buf).expect("roff is UTF-8");
    // Flag and page names read badly hyphenated across lines (`--kube-` / `config`).
    page = page.replacen(".SH NAME", ".nh\n.SH NAME", 1);
    page.push_str(&synopsis(cmd, root));
    let (description, examples) = description_and_examples(cmd);
    page.push_str(".SH DESCRIPTION\n");
    page.push_str(&roff_paragraphs(&description));
    let mut options = Vec::new();
    man.render_options_section(&mut options)
        .expect("rendering to memory cannot fail");
    page.push_str(&String::from_utf8(options).expect("roff is UTF-8"));
    let children: Vec<&clap::Command> = subcommands(cmd).collect();
    if !children.is_empty() {
        page.push_str(".SH COMMANDS\n");
        for sub in &children {
            page.push_str(&format!(
                ".TP\n.BR {} (1)\n{}\n",
                roff_text(&page_name(sub)),
                roff_text(&sub.get_about().map(|a| a.to_string()).unwrap_or_default())
            ));
        }
    }
    if !examples.is_empty() {
        page.push_str(".SH EXAMPLES\n.nf\n.RS 4\n");
        for e in &examples {
            page.push_str(&roff_text(e));
            page.push('\n');
        }
        page.push_str(".RE\n.fi\n");
    }
    page.push_str(&exit_status(&command_words(cmd)));
    page.push_str(".SH ENVIRONMENT\n");
    for (name, meaning) in ENVIRONMENT {
        page.push_str(&format!(".TP\n.B {name}\n{}\n", roff_text(meaning)));
    }
    // SEE ALSO: the parent and sibling pages (every top-level page from the root), then kubectl(1).
    let name = page_name(cmd);
    let mut see: Vec<String> = Vec::new();
    if !root {
        see.push("kubefedctl".to_string());
        if let Some((parent, _)) = name.rsplit_once('-').filter(|(p, _)| *p != "kubefedctl") {
            see.push(parent.to_string());
        }
    }
    see.extend(siblings.iter().filter(|s| **s != name).cloned());
    see.extend(children.iter().map(|c| page_name(c)));
    see.dedup();
    page.push_str(".SH \"SEE ALSO\"\n");
    let mut refs: Vec<String> = see
        .iter()
        .map(|s| format!(".BR {} (1),", roff_text(s)))
        .collect();
    refs.push(".BR kubectl (1)".to_string());
    page.push_str(&refs.join("\n"));
    page.push('\n');
    (format!("{name}.1"), page.into_bytes())
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
            let commit = env!("KUBEFEDCTL_GIT_COMMIT");
            assert!(commit == "unknown" || !text.contains(commit), "{name}");
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
