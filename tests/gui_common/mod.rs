//! Driving the real app through egui_kittest as a user would, shared by the GUI tests.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use invariance_lab::app::InvarianceApp;

/// How long [`wait_for`] waits: the worker thread runs real training and searches, and
/// the machine may be loaded; only a failing test ever waits this long.
pub const PATIENCE: Duration = Duration::from_secs(120);

/// Steps the UI (with short sleeps so the worker can run) until `done` holds; panics
/// after `limit`, naming what it waited for and the app's status and tour step.
pub fn wait_within(
    h: &mut Harness<'static, InvarianceApp>,
    what: &str,
    limit: Duration,
    done: impl Fn(&InvarianceApp) -> bool,
) {
    let start = Instant::now();
    while start.elapsed() < limit {
        h.step();
        if done(h.state()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!(
        "timed out after {limit:?} waiting for {what}; status: {:?}; tour: {:?}",
        h.state().status(),
        h.state().tour()
    );
}

/// [`wait_within`] [`PATIENCE`].
pub fn wait_for(
    h: &mut Harness<'static, InvarianceApp>,
    what: &str,
    done: impl Fn(&InvarianceApp) -> bool,
) {
    wait_within(h, what, PATIENCE, done);
}
