//! The search on graphs learned by the presets: the true transformations must
//! be recovered (consistency ≥ 0.95).

use invariance_lab::cancel::CancelToken;
use invariance_lab::graph::WeightedGraph;
use invariance_lab::model::config::Transformation;
use invariance_lab::model::config::presets;
use invariance_lab::model::learning::simulation::Simulation;
use invariance_lab::perm::Permutation;
use invariance_lab::search::{SearchOptions, SearchReport, scoring, search};

fn trained(name: &str) -> Simulation {
    let preset = presets::by_name(name).unwrap();
    let mut sim = Simulation::new(preset.config).unwrap();
    sim.run_steps(preset.default_steps);
    sim
}

fn search_sim(sim: &Simulation, max_results: usize) -> SearchReport {
    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights())).unwrap();
    let options = SearchOptions {
        max_results,
        time_limit_secs: 40.0,
        ..SearchOptions::default()
    };
    search(&graph, &options, &CancelToken::new(), &mut |_| {}).unwrap()
}

#[test]
fn ring_shift_recovers_all_63_shifts() {
    let sim = trained("ring-shift");
    let truths = sim.ground_truth_transformations();
    let shifts: Vec<(Transformation, Permutation)> = truths
        .into_iter()
        .filter(|(t, _)| matches!(t, Transformation::Shift { k } if *k != 0))
        .collect();
    assert_eq!(shifts.len(), 63);
    let report = search_sim(&sim, 128);
    let found: Vec<Permutation> = report
        .results
        .iter()
        .map(|r| r.permutation.clone())
        .collect();
    let recovered = scoring::recovered(&found, &shifts);
    assert_eq!(recovered.len(), 63, "recovered only {recovered:?}");
    // The best results are shifts, and the group closes to the 64 shifts.
    let best = scoring::best_match(&report.results[0].permutation, &shifts).unwrap();
    assert!(best.recovered(), "best result matches {best:?}");
    assert_eq!(
        report.group.order.as_ref().and_then(|o| o.to_u64()),
        Some(64)
    );
}

#[test]
fn square_rotate_recovers_the_quarter_turn() {
    let sim = trained("square-rotate");
    let truths = sim.ground_truth_transformations();
    let quarter: Vec<(Transformation, Permutation)> = truths
        .into_iter()
        .filter(|(t, _)| matches!(t, Transformation::Rotate { quarter_turns: 1 }))
        .collect();
    assert_eq!(quarter.len(), 1);
    let report = search_sim(&sim, 16);
    let found: Vec<Permutation> = report
        .results
        .iter()
        .map(|r| r.permutation.clone())
        .collect();
    assert_eq!(
        scoring::recovered(&found, &quarter).len(),
        1,
        "best errors: {:?}",
        report
            .results
            .iter()
            .take(5)
            .map(|r| r.relative_error)
            .collect::<Vec<_>>()
    );
}

#[test]
fn torus_translate_gives_its_whole_group_of_2048() {
    // The bank is closed under 256 translations × the 8 symmetries of the square.
    let sim = trained("torus-translate");
    let truths = sim.ground_truth_transformations();
    assert_eq!(truths.len(), 2047);
    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights())).unwrap();
    // No deadline in reach: the outcome must not depend on the machine's load.
    let options = SearchOptions {
        time_limit_secs: 3600.0,
        ..SearchOptions::default()
    };
    let report = search(&graph, &options, &CancelToken::new(), &mut |_| {}).unwrap();
    assert!(!report.timed_out);
    let group = &report.group;
    assert_eq!(group.order.as_ref().and_then(|o| o.to_u64()), Some(2048));
    // Every true transformation is an element of the group found, and every
    // generator is one of them.
    let chain = group.chain(report.n);
    assert!(truths.iter().all(|(_, g)| chain.contains(g)));
    for g in &group.generators {
        assert!(
            truths.iter().any(|(_, t)| t == g),
            "a generator is not a true symmetry"
        );
    }
    assert_eq!(group.name.as_deref(), Some("(C_16 × C_16) ⋊ D_4"));
    // The enumeration's own generators make up the whole group, so the search reports
    // when it held it: before the end, since the search goes on to try to extend it.
    let full = report
        .full_group_s
        .expect("the enumeration found the whole group");
    assert!(
        full > 0.0 && full < report.elapsed_s,
        "{full} of {}",
        report.elapsed_s
    );
}
