//! Bad input, the node budget of our own search, and cancellation.

use ndarray::{Array1, Array2};

use super::graphs::petersen;
use super::*;

#[test]
fn bad_input_budget_and_cancel_are_reported() {
    let c = CancelToken::new();
    let o = ExactOptions::default();
    let w = Array2::<f32>::zeros((2, 3));
    assert!(matches!(
        exact_group(w.view(), None, &o, &c),
        Err(ExactGroupError::BadInput(_))
    ));
    let mut w = petersen();
    let d = Array1::<f32>::zeros(9);
    assert!(matches!(
        exact_group(w.view(), Some(d.view()), &o, &c),
        Err(ExactGroupError::BadInput(_))
    ));
    let bad_tol = ExactOptions {
        tolerance: -1.0,
        ..o
    };
    assert!(matches!(
        exact_group(w.view(), None, &bad_tol, &c),
        Err(ExactGroupError::BadInput(_))
    ));
    // Our own search stops at its node budget with the group found so far.
    let tiny = ExactOptions { max_nodes: 3, ..o };
    match exact_group_by_own_search(w.view(), None, &tiny, &c) {
        Err(ExactGroupError::Incomplete(g)) => {
            assert!(!g.complete);
            assert!(g.order.to_u64().unwrap() < 120);
            assert_eq!(g.engine, Engine::IndividualisationRefinement);
        }
        other => panic!("expected an incomplete group, got {other:?}"),
    }
    w[[1, 2]] = f32::NAN;
    assert!(matches!(
        exact_group(w.view(), None, &o, &c),
        Err(ExactGroupError::BadInput(_))
    ));
    let cancelled = CancelToken::new();
    cancelled.cancel();
    assert_eq!(
        exact_group(petersen().view(), None, &o, &cancelled),
        Err(ExactGroupError::Cancelled)
    );
    // The empty graph has the trivial group.
    let g = exact_group(Array2::<f32>::zeros((0, 0)).view(), None, &o, &c).unwrap();
    assert_eq!(g.order, GroupOrder::one());
}
