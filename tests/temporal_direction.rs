//! `ring-temporal` (SPEC §8): the search must recover the shift *and its direction*.
//! Shift +1 and shift −1 are equally good automorphisms of the learned circulant graph;
//! the direction is in the flow `W[π(i)][i]`, which the temporal rule makes large only
//! along the direction the sequences moved.

use invariance_lab::cancel::CancelToken;
use invariance_lab::graph::WeightedGraph;
use invariance_lab::model::config::Transformation;
use invariance_lab::model::config::presets;
use invariance_lab::model::learning::simulation::Simulation;
use invariance_lab::perm::Permutation;
use invariance_lab::search::{SearchOptions, scoring, search};

#[test]
fn ring_temporal_recovers_the_shift_and_its_direction() {
    let preset = presets::by_name("ring-temporal").unwrap();
    assert_eq!(
        preset.config.stimulus.sequence,
        Some(Transformation::Shift { k: 1 }),
        "the preset's sequences move by +1"
    );
    let mut sim = Simulation::new(preset.config).unwrap();
    sim.run_steps(preset.default_steps);
    let truths: Vec<(Transformation, Permutation)> = sim
        .ground_truth_transformations()
        .into_iter()
        .filter(|(t, _)| matches!(t, Transformation::Shift { k } if k.abs() == 1))
        .collect();
    assert_eq!(truths.len(), 2);

    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights())).unwrap();
    let options = SearchOptions {
        max_results: 16,
        time_limit_secs: 40.0,
        ..SearchOptions::default()
    };
    let report = search(&graph, &options, &CancelToken::new(), &mut |_| {}).unwrap();

    let flow_of = |k: i64| {
        report
            .results
            .iter()
            .filter_map(|r| {
                let m = scoring::best_match(&r.permutation, &truths)?;
                (m.recovered() && m.transformation == Transformation::Shift { k }.to_string())
                    .then_some(r.net_flow)
            })
            .next()
    };
    let forward = flow_of(1).expect("shift +1 recovered");
    let backward = flow_of(-1).expect("shift -1 recovered");
    // Same automorphism error, opposite net flow: the weights run along +1.
    assert!(forward > 0.05, "net flow of shift +1 = {forward}");
    assert!(backward < -0.05, "net flow of shift -1 = {backward}");

    // On the symmetric graph of the plain Hebbian preset, there is no direction.
    let preset = presets::by_name("ring-shift").unwrap();
    let mut sim = Simulation::new(preset.config).unwrap();
    sim.run_steps(20);
    let w = sim.weights();
    let plus_one = sim
        .ground_truth_transformations()
        .into_iter()
        .find(|(t, _)| *t == Transformation::Shift { k: 1 })
        .unwrap()
        .1;
    assert!(invariance_lab::search::net_flow(w.view(), &plus_one).abs() < 1e-6);
}
