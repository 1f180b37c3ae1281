//! Adapter between the app's search settings and the library's search engine
//! ([`crate::search::search`]), which checks the cancel flag and reports progress.

use super::search_task::{SearchInput, SearchMethod, SearchSettings};
use crate::cancel::CancelToken;
use crate::graph::WeightedGraph;
use crate::search::{Method, SearchOptions, SearchReport};

fn method(m: SearchMethod) -> Method {
    match m {
        SearchMethod::Auto => Method::Auto,
        SearchMethod::Seeded => Method::Seeded,
        SearchMethod::Spectral => Method::Spectral,
        SearchMethod::Faq => Method::Faq,
        SearchMethod::Anneal => Method::Anneal,
        SearchMethod::Exact => Method::Exact,
    }
}

/// Runs the engine and returns its whole report: results, the approximate group, the
/// exact group and (for `exact`) the optimality certificate.
/// `report(fraction, best_error)` is called as it progresses; setting `cancel` makes
/// the engine return its best results so far within about half a second.
pub fn run(
    input: &SearchInput,
    settings: &SearchSettings,
    cancel: &CancelToken,
    report: &mut dyn FnMut(f64, Option<f64>),
) -> Result<SearchReport, String> {
    // An imported matrix has no node weights (empty), as `invariance-lab search FILE.npy`.
    let node_weights = (!input.node_weights.is_empty()).then(|| (*input.node_weights).clone());
    let w = input
        .weights
        .full()
        .ok_or("the weights are not copied yet (a matrix this large is copied on request)")?;
    let graph = WeightedGraph::new((**w).clone(), node_weights).map_err(|e| e.to_string())?;
    let options = SearchOptions {
        method: method(settings.method),
        max_results: settings.max_results,
        time_limit_secs: settings.time_limit_secs,
        seed: settings.seed,
        penalty: settings.fixed_point_penalty,
        ..SearchOptions::default()
    };
    let mut progress = |p: crate::search::Progress| report(p.fraction, p.best_error);
    crate::search::search(&graph, &options, cancel, &mut progress).map_err(|e| e.to_string())
}
