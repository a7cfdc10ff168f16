//! `kubefedctl completions SHELL`: the shell's completion registration, on stdout (see `crate::completion`).

use super::{Context, Outcome};

/// Print the shell code that registers kubefedctl's completion.
///
/// Completion is dynamic: for each Tab the shell runs `kubefedctl` again with COMPLETE=SHELL and the words
/// typed so far, and kubefedctl answers with subcommands and flags, and with values read from the kubeconfig
/// (contexts) and from the host cluster (registered clusters, types, namespaces, object names). A host that does
/// not answer within 2 seconds completes no values; nothing is ever printed on the terminal. The script calls
/// `kubefedctl` from PATH, so it keeps working when kubefedctl is upgraded in place; `COMPLETE=SHELL
/// kubefedctl` prints the same script calling the binary by the path it was run as.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  source <(kubefedctl completions bash)                 # in ~/.bashrc\n  kubefedctl completions bash > ~/.local/share/bash-completion/completions/kubefedctl\n  kubefedctl completions zsh > ~/.zfunc/_kubefedctl    # a directory in $fpath\n  kubefedctl completions fish > ~/.config/fish/completions/kubefedctl.fish"
)]
pub struct Args {
    /// Shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    ctx.printer
        .write_stdout(&crate::generate::completions(args.shell))?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::GlobalArgs;
    use crate::output::Printer;

    #[test]
    fn writes_the_generated_script_to_stdout() {
        let (printer, out) = Printer::capture(true, 0);
        let ctx = Context::new(GlobalArgs::default(), printer);
        run(
            &ctx,
            &Args {
                shell: clap_complete::Shell::Bash,
            },
        )
        .unwrap();
        let c = out.lock().unwrap();
        assert_eq!(
            c.stdout,
            crate::generate::completions(clap_complete::Shell::Bash)
        );
        assert!(c.stdout.contains("kubefedctl"));
        assert_eq!(c.stderr, "");
    }
}
