//! kubefedctl's entry point: parse the command line, run the command, turn the result into an exit code.
//! The same binary is the kubectl plugin `kubectl-kubefed` (a link to it under that name).

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use kubefedctl::cli::Cli;
use kubefedctl::commands::{self, Context};
use kubefedctl::error;
use kubefedctl::output::Printer;

fn main() -> ExitCode {
    // A shell asking for completions (`COMPLETE=bash kubefedctl -- ...`) is answered here, and the process exits.
    kubefedctl::completion::complete_if_asked();
    let cli = match Cli::parse_invocation(std::env::args_os()) {
        Ok(cli) => cli,
        Err(err) => {
            // `--help`/`--version` are not errors (exit 0); every other clap error is a usage error (2).
            // A reader that went away while help was printed is not worth a message.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                error::EXIT_USAGE
            } else {
                error::EXIT_SUCCESS
            });
        }
    };
    kubefedctl::logging::init(cli.global.verbose, cli.global.quiet);
    let printer = Printer::new(cli.global.quiet, cli.global.verbose);
    let ctx = Context::new(cli.global.clone(), printer);
    match commands::run(&ctx, &cli.command) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) if error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            ctx.printer.error(&error::render(&err));
            ExitCode::from(error::exit_code(&err))
        }
    }
}
