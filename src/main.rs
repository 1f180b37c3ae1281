//! The `invariance-lab` binary: parse the command line, run it, report errors.
//!
//! Exit codes: 0 success, 2 an error (printed on stderr), 130 stopped by Ctrl+C.

use std::process::ExitCode;

use clap::Parser;
use invariance_lab::cli::{Command, interrupt};

fn main() -> ExitCode {
    let cli = invariance_lab::cli::Cli::parse();
    if matches!(
        cli.command,
        Some(Command::Presets | Command::Config(_) | Command::Info(_) | Command::Search(_))
    ) {
        quiet_on_closed_pipe();
    }
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

/// Lets a read-only command's output be piped into a reader that stops early
/// (`invariance-lab info F.json | head`): Rust ignores SIGPIPE, so `println!` would panic
/// on the closed pipe; with the default action the process ends quietly, as other Unix
/// tools do. Commands that write files or feed a child process (`train`, `sweep`,
/// `animate --mp4`, the app) keep ignoring it, so a closed pipe is an error they report
/// after saving, never a silent kill that loses work.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any other thread exists; SIG_DFL is a
    // valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
