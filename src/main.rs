//! The `invariance-lab` binary: parse the command line, run it, report errors.
//!
//! Exit codes: 0 success, 2 an error (printed on stderr), 130 stopped by Ctrl+C.

use std::process::ExitCode;

use clap::Parser;
use invariance_lab::cli::interrupt;

fn main() -> ExitCode {
    let cli = invariance_lab::cli::Cli::parse();
    let result = invariance_lab::cli::run(cli);
    if let Some(code) = interrupt::exit_code_if_interrupted(&result) {
        if let Err(err) = &result {
            eprintln!("{err:#}");
        }
        return ExitCode::from(code);
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
