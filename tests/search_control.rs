//! Cancellation, progress and input validation of the search.

mod search_common;

use std::time::{Duration, Instant};

use invariance_lab::search::{Method, SearchError, SearchOptions, search};

use invariance_lab::cancel::CancelToken;

use invariance_lab::graph::{GraphError, WeightedGraph};
use ndarray::Array2;
use search_common::*;

#[test]
fn cancel_returns_within_half_a_second() {
    let w = random_symmetric(1024, 1);
    let g = WeightedGraph::new(w, None).unwrap();
    for method in [Method::Auto, Method::Faq, Method::Spectral] {
        let token = CancelToken::new();
        let remote = token.clone();
        let opts = SearchOptions {
            method,
            time_limit_secs: 60.0,
            ..SearchOptions::default()
        };
        let handle = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(600));
            remote.cancel();
            Instant::now()
        });
        let report = search(&g, &opts, &token, &mut |_| {}).unwrap();
        let returned = Instant::now();
        let cancelled_at = handle.join().unwrap();
        let lag = returned.saturating_duration_since(cancelled_at);
        assert!(report.cancelled, "{method}");
        assert!(
            lag < Duration::from_millis(500),
            "{method}: returned {lag:?} after cancel"
        );
    }
}

#[test]
fn progress_is_reported_and_ends_at_one() {
    let (w, _) = scramble(&noisy_circulant(64, 3.0, 0.01, 2), 3);
    let g = WeightedGraph::new(w, None).unwrap();
    let mut seen = Vec::new();
    let report = search(
        &g,
        &SearchOptions::default(),
        &CancelToken::new(),
        &mut |p| seen.push(p),
    )
    .unwrap();
    assert!(seen.len() >= 2, "only {} progress reports", seen.len());
    assert!(seen.iter().all(|p| (0.0..=1.0).contains(&p.fraction)));
    let last = seen.last().unwrap();
    assert_eq!(last.fraction, 1.0);
    let best = last.best_error.unwrap();
    assert!((best - report.results[0].relative_error).abs() < 1e-3);
}

#[test]
fn bad_input_is_a_typed_error() {
    assert_eq!(
        WeightedGraph::new(Array2::zeros((0, 0)), None).unwrap_err(),
        GraphError::Empty
    );
    assert_eq!(
        WeightedGraph::new(Array2::zeros((2, 3)), None).unwrap_err(),
        GraphError::NotSquare { rows: 2, cols: 3 }
    );
    let mut w = Array2::<f32>::zeros((3, 3));
    w[[1, 2]] = f32::NAN;
    assert!(matches!(
        WeightedGraph::new(w, None).unwrap_err(),
        GraphError::NonFinite { row: 1, col: 2, .. }
    ));
    let g = WeightedGraph::new(Array2::eye(3), None).unwrap();
    let bad = SearchOptions {
        time_limit_secs: -1.0,
        ..SearchOptions::default()
    };
    assert!(matches!(
        search(&g, &bad, &CancelToken::new(), &mut |_| {}),
        Err(SearchError::InvalidOption(_))
    ));
    assert!("nonsense".parse::<Method>().is_err());
    assert_eq!("faq".parse::<Method>().unwrap(), Method::Faq);
}
