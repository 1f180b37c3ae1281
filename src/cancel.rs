//! Cancellation shared by every long computation (the simulation, exact groups, the
//! approximate search, sweeps): the shared vocabulary below `model/`, `group/` and
//! `search/`, so none of them imports another for it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A shared stop flag: clone it, hand one copy to the search, call
/// [`CancelToken::cancel`] on the other. Every loop that holds one checks it often;
/// a search then returns its best results so far within about 0.5 s.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A fresh, un-cancelled token.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the work holding this token to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// True once [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
