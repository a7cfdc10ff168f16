//! `kubefedctl completions SHELL`: the shell completion script, on stdout.

use super::{Context, Outcome};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  kubefedctl completions bash > ~/.local/share/bash-completion/completions/kubefedctl\n  kubefedctl completions zsh > ~/.zfunc/_kubefedctl\n  kubefedctl completions fish > ~/.config/fish/completions/kubefedctl.fish"
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
