//! The search is scale-free: `cW` gives the same results as `W` for any `c > 0`
//! within floating-point range (the relative error is a ratio of norms).

mod search_common;

use invariance_lab::search::SearchOptions;
use search_common::*;

#[test]
fn results_do_not_depend_on_the_matrix_scale() {
    let (w, _) = scramble(&noisy_circulant(16, 2.0, 0.05, 11), 12);
    let options = SearchOptions {
        max_results: 64,
        ..SearchOptions::default()
    };
    let reference = run(&w, &options);
    assert!(!reference.results.is_empty());
    for c in [1e-30f64, 1e-20, 1e-3, 7.0, 1e20, 1e30] {
        let scaled = w.mapv(|x| (x as f64 * c) as f32);
        let report = run(&scaled, &options);
        // The symmetries (results within twice the best error) are the same permutations
        // with the same errors; junk candidates far above may differ by rounding.
        let best = reference.results[0].relative_error;
        let good = |r: &invariance_lab::search::SearchReport| {
            let mut v: Vec<(Vec<usize>, f64)> = r
                .results
                .iter()
                .filter(|x| x.relative_error <= 2.0 * best)
                .map(|x| (x.permutation.images().to_vec(), x.relative_error))
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        let (got, want) = (good(&report), good(&reference));
        assert!(want.len() >= 2, "the planted symmetries are found");
        assert_eq!(got.len(), want.len(), "c = {c:e}");
        for (a, b) in got.iter().zip(&want) {
            assert_eq!(a.0, b.0, "c = {c:e}");
            assert!(
                (a.1 - b.1).abs() <= 1e-5 * b.1.max(1e-9),
                "c = {c:e}: {} vs {}",
                a.1,
                b.1
            );
        }
        assert_eq!(report.group.order, reference.group.order, "c = {c:e}");
    }
}
