//! Cancelling Traces from another thread.
//!
//! nauty and Traces stop early when the process-wide flag `nauty_kill_request` is
//! non-zero (nautil.c: "no TLS_ATTR on purpose"): the flag is shared by every call on
//! every thread. So one cancelled call cannot stop alone; this module coordinates:
//!
//! - every call registers its [`CancelToken`] while it runs;
//! - a watcher thread (started on first use, idle while nothing runs) raises the flag
//!   as soon as one registered token is cancelled;
//! - every call running at that moment returns early; the flag is lowered when the
//!   last of them has returned, and new calls wait until then;
//! - a call that was stopped although its own token is not cancelled runs again from
//!   the start (Traces is deterministic: the result is the one it would have given).

use std::os::raw::c_int;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::cancel::CancelToken;

unsafe extern "C" {
    /// nauty's kill flag (nautil.c: `volatile int nauty_kill_request`), linked from
    /// the bundled nauty library of `nauty-Traces-sys`.
    static mut nauty_kill_request: c_int;
}

/// How often the watcher looks at the running calls' tokens.
const WATCH_INTERVAL: Duration = Duration::from_millis(10);

#[derive(Default)]
struct Coordinator {
    /// Tokens of the calls running now, with their ids.
    running: Vec<(u64, CancelToken)>,
    next_id: u64,
    /// The kill flag is raised: running calls are stopping, new ones wait.
    killing: bool,
    watcher_started: bool,
}

static STATE: Mutex<Coordinator> = Mutex::new(Coordinator {
    running: Vec::new(),
    next_id: 0,
    killing: false,
    watcher_started: false,
});
/// Signals "the flag was lowered" (to waiting calls) and "a call started" (to the
/// watcher).
static CHANGED: Condvar = Condvar::new();

fn lock() -> MutexGuard<'static, Coordinator> {
    // A panic while holding the lock cannot leave the state inconsistent (every
    // critical section is a few assignments), so a poisoned lock is still usable.
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

fn set_flag(value: c_int) {
    // SAFETY: a plain aligned `int` in the C library; nauty only reads it, and only
    // this module writes it, always under `STATE`'s lock.
    unsafe { std::ptr::write_volatile(&raw mut nauty_kill_request, value) };
}

/// The watcher: raises the flag when a running call's token is cancelled.
fn watch() {
    let mut state = lock();
    loop {
        if state.running.is_empty() {
            state = CHANGED.wait(state).unwrap_or_else(|e| e.into_inner());
            continue;
        }
        if !state.killing && state.running.iter().any(|(_, t)| t.is_cancelled()) {
            state.killing = true;
            set_flag(1);
        }
        state = CHANGED
            .wait_timeout(state, WATCH_INTERVAL)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

/// How a cancellable call ended.
pub(crate) enum Outcome<T> {
    /// It ran to the end.
    Finished(T),
    /// `cancel` was cancelled: before the call started (`None`), or while it ran (what
    /// it returned when stopped).
    Cancelled(Option<T>),
}

/// Runs `call` (one nauty or Traces call) so that cancelling `cancel` stops it.
/// `stopped` tells from the call's result whether it was stopped by the flag.
pub(crate) fn run_cancellable<T>(
    cancel: &CancelToken,
    mut call: impl FnMut() -> T,
    stopped: impl Fn(&T) -> bool,
) -> Outcome<T> {
    loop {
        let id = {
            let mut state = lock();
            while state.killing {
                state = CHANGED.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            if cancel.is_cancelled() {
                return Outcome::Cancelled(None);
            }
            if !state.watcher_started {
                // Without a watcher the call simply cannot be cancelled early.
                state.watcher_started = std::thread::Builder::new()
                    .name("nauty-cancel".into())
                    .spawn(watch)
                    .is_ok();
            }
            let id = state.next_id;
            state.next_id += 1;
            state.running.push((id, cancel.clone()));
            CHANGED.notify_all();
            id
        };
        let out = call();
        {
            let mut state = lock();
            state.running.retain(|(i, _)| *i != id);
            if state.killing && state.running.is_empty() {
                set_flag(0);
                state.killing = false;
                CHANGED.notify_all();
            }
        }
        if !stopped(&out) {
            return Outcome::Finished(out);
        }
        if cancel.is_cancelled() {
            return Outcome::Cancelled(Some(out));
        }
        // Stopped for another call's sake: run again.
    }
}
