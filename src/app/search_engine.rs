//! Adapter between the app's search settings and the library's search engine.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::search_task::{SearchInput, SearchSettings};
use crate::perm::Permutation;

/// Runs the engine; returns `(π, relative error, node-weight error)` triples.
/// `report(fraction, best_error)` is called as it progresses.
pub fn run(
    input: &SearchInput,
    settings: &SearchSettings,
    cancel: &Arc<AtomicBool>,
    report: &mut dyn FnMut(f64, Option<f64>),
) -> Result<Vec<(Permutation, f64, f64)>, String> {
    let _ = (input, settings, cancel, report);
    Err("the search engine is not built into this version yet".to_owned())
}
