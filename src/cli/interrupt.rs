//! Ctrl+C (SIGINT) in the command-line front.
//!
//! The first Ctrl+C stops the work the way the GUI's cancel button does: it sets a flag
//! the loops poll ([`interrupted`], [`check`]) and cancels every search token handed out
//! by [`cancel_token`], so a search returns its best results so far. The command then
//! finishes its output, restores the terminal line and exits with code 130 (`main` maps
//! [`Interrupted`] and [`interrupted`] to [`EXIT_CODE`]). A second Ctrl+C exits at once
//! with code 130, after clearing the progress-bar line.
//!
//! The handler is the `ctrlc` crate's: it runs on a thread of its own (woken through a
//! self-pipe by the signal), not inside the signal handler, so it may lock, cancel tokens
//! and write to the terminal safely.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::cancel::CancelToken;

/// The exit code of a command stopped by Ctrl+C (128 + SIGINT, as shells report it).
pub const EXIT_CODE: u8 = 130;

/// The work was stopped by Ctrl+C; `main` exits with [`EXIT_CODE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted by Ctrl+C")]
pub struct Interrupted;

/// State shared with the handler thread.
struct Shared {
    /// Ctrl+C presses so far.
    presses: AtomicU32,
    /// Tokens to cancel on the first press.
    tokens: Mutex<Vec<CancelToken>>,
}

static SHARED: Shared = Shared {
    presses: AtomicU32::new(0),
    tokens: Mutex::new(Vec::new()),
};

/// Whether the handler is installed (`Err` holds why it could not be).
static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

/// Installs the Ctrl+C handler (once per process; later calls return the first result).
/// Without it Ctrl+C kills the process as usual, so a failure is reported but need not
/// stop the command.
pub fn install() -> Result<(), String> {
    INSTALLED
        .get_or_init(|| ctrlc::set_handler(on_interrupt).map_err(|e| e.to_string()))
        .clone()
}

fn on_interrupt() {
    let presses = SHARED.presses.fetch_add(1, Ordering::SeqCst) + 1;
    if presses == 1 {
        let tokens = SHARED
            .tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for token in tokens.iter() {
            token.cancel();
        }
        return;
    }
    let mut err = std::io::stderr().lock();
    if err.is_terminal() {
        // Clear a progress bar left mid-line and show the cursor again.
        let _ = err.write_all(b"\r\x1b[2K\x1b[?25h");
    }
    let _ = writeln!(err, "interrupted twice: exiting at once");
    let _ = err.flush();
    std::process::exit(i32::from(EXIT_CODE));
}

/// True once Ctrl+C was pressed.
pub fn interrupted() -> bool {
    SHARED.presses.load(Ordering::SeqCst) > 0
}

/// `Err(Interrupted)` once Ctrl+C was pressed: `interrupt::check()?` between steps.
pub fn check() -> Result<(), Interrupted> {
    if interrupted() {
        Err(Interrupted)
    } else {
        Ok(())
    }
}

/// A search token that the first Ctrl+C cancels (already cancelled if it came).
pub fn cancel_token() -> CancelToken {
    let token = CancelToken::new();
    let mut tokens = SHARED
        .tokens
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    tokens.push(token.clone());
    drop(tokens);
    if interrupted() {
        token.cancel();
    }
    token
}

/// The exit code for a command that ended with `result`: [`EXIT_CODE`] if it was
/// interrupted (an [`Interrupted`] error anywhere in the chain, or `Ok` after a Ctrl+C
/// that stopped the work early), `None` otherwise.
pub fn exit_code_if_interrupted(result: &anyhow::Result<()>) -> Option<u8> {
    match result {
        Err(e) if e.chain().any(|c| c.downcast_ref::<Interrupted>().is_some()) => Some(EXIT_CODE),
        Ok(()) if interrupted() => Some(EXIT_CODE),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interrupted_error_maps_to_130_anywhere_in_the_chain() {
        let err: anyhow::Result<()> = Err(anyhow::Error::new(Interrupted).context("training"));
        assert_eq!(exit_code_if_interrupted(&err), Some(EXIT_CODE));
        let other: anyhow::Result<()> = Err(anyhow::anyhow!("bad file"));
        assert_eq!(exit_code_if_interrupted(&other), None);
    }
}
