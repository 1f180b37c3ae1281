//! On trained presets: the recovered transformation shown on the input.
//! Every search result is picked by its neuron-level agreement with the ground truth
//! (labels), and then the pixel-level rendering is checked against the exact pixel map.

use invariance_lab::cancel::CancelToken;
use invariance_lab::graph::WeightedGraph;
use invariance_lab::model::{Simulation, Space, Transformation, presets};
use invariance_lab::perm::Permutation;
use invariance_lab::search::{SearchOptions, search};
use invariance_lab::transform::{self, Decoder, InducedMap, correlation, orbit::orbit};

fn trained(name: &str) -> Simulation {
    let preset = presets::by_name(name).unwrap();
    let mut sim = Simulation::new(preset.config).unwrap();
    sim.run_steps(preset.default_steps);
    sim
}

fn found_permutations(sim: &Simulation, max_results: usize) -> Vec<Permutation> {
    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights())).unwrap();
    let options = SearchOptions {
        max_results,
        time_limit_secs: 40.0,
        ..SearchOptions::default()
    };
    let report = search(&graph, &options, &CancelToken::new(), &mut |_| {}).unwrap();
    report.results.into_iter().map(|r| r.permutation).collect()
}

/// Fraction of neurons `i` with `π(i) = g(i)`.
fn consistency(a: &Permutation, b: &Permutation) -> f64 {
    (0..a.len()).filter(|&i| a.image(i) == b.image(i)).count() as f64 / a.len() as f64
}

/// The found permutation that best agrees with the ground-truth neuron permutation of `t`.
fn recovered(sim: &Simulation, t: Transformation, max_results: usize) -> (Permutation, f64) {
    let truth = sim
        .ground_truth_transformations()
        .into_iter()
        .find(|(name, _)| sim.config().space.canonical(*name) == sim.config().space.canonical(t))
        .map(|(_, p)| p)
        .expect("the bank is closed under the transformation");
    found_permutations(sim, max_results)
        .into_iter()
        .map(|p| {
            let c = consistency(&p, &truth);
            (p, c)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("the search returned results")
}

#[test]
fn ring_shift_crisp_orbit_of_a_bump_rolls_one_pixel_per_frame_and_the_honest_one_follows() {
    let sim = trained("ring-shift");
    let space = sim.config().space;
    let n = space.pixels();
    let (pi, c) = recovered(&sim, Transformation::Shift { k: 1 }, 128);
    assert!(c >= 0.95, "unit shift not recovered (consistency {c})");
    let map = InducedMap::new(space, sim.fields(), sim.labels(), &pi).unwrap();
    assert!(map.confidence >= 0.95, "confidence {}", map.confidence);
    let decoder = Decoder::for_space(space, sim.fields()).unwrap();
    let bump: Vec<f32> = (0..n)
        .map(|x| (-((x as f32 - 20.0).powi(2)) / (2.0 * 2.5f32.powi(2))).exp())
        .collect();
    let frames = 8;
    let o = orbit(
        sim.config(),
        sim.fields(),
        &pi,
        &map,
        &decoder,
        &bump,
        frames,
    )
    .unwrap();
    for k in 0..frames {
        let rolled = space
            .transform_pattern(Transformation::Shift { k: k as i64 }, &bump)
            .unwrap();
        assert_eq!(
            o.crisp[k], rolled,
            "crisp frame {k} is not the bump rolled by {k}"
        );
        let r = correlation(&o.honest[k], &rolled);
        assert!(
            r >= 0.9,
            "honest frame {k} correlates only {r:.3} with the rolled bump"
        );
    }
}

/// The induced map of `pi` is the quarter turn on ≥ 95% of pixels, the crisp frame is the
/// turned stimulus, and the honest frame correlates with it.
fn check_quarter_turn(sim: &Simulation, pi: &Permutation) {
    let space = sim.config().space;
    let quarter = Transformation::Rotate { quarter_turns: 1 };
    let map = InducedMap::new(space, sim.fields(), sim.labels(), pi).unwrap();
    let g = space.pixel_permutation(quarter).unwrap();
    let agree = (0..space.pixels())
        .filter(|&p| map.target[p] == g.image(p))
        .count();
    let fraction = agree as f64 / space.pixels() as f64;
    assert!(
        fraction >= 0.95,
        "induced map equals the rotation on only {fraction:.3} of pixels"
    );
    assert_eq!(
        map.matched.map(|(t, _)| space.canonical(t)),
        Some(space.canonical(quarter))
    );

    let decoder = Decoder::for_space(space, sim.fields()).unwrap();
    let stimuli = sim.test_stimuli(8);
    let mut correlations = Vec::new();
    for s in &stimuli {
        let o = orbit(sim.config(), sim.fields(), pi, &map, &decoder, s, 2).unwrap();
        let turned = space.transform_pattern(quarter, s).unwrap();
        assert_eq!(o.crisp[1], turned);
        correlations.push(correlation(&o.honest[1], &turned));
    }
    let mean = correlations.iter().sum::<f64>() / correlations.len() as f64;
    eprintln!("square-rotate honest vs truly turned: mean correlation {mean:.3} {correlations:?}");
    assert!(
        mean >= 0.9,
        "honest rendering correlates only {mean:.3} with the turned stimuli"
    );
    let e = transform::equivariance_error(sim, pi, 16);
    assert!(e < 0.05, "equivariance error {e}");
}

#[test]
fn square_rotate_true_quarter_turn_induces_the_pixel_rotation() {
    let sim = trained("square-rotate");
    let quarter = Transformation::Rotate { quarter_turns: 1 };
    let truth = sim
        .ground_truth_transformations()
        .into_iter()
        .find(|(t, _)| *t == quarter)
        .map(|(_, p)| p)
        .unwrap();
    check_quarter_turn(&sim, &truth);
    let e = transform::equivariance_error_of_true_transformation(&sim, 16).unwrap();
    assert!(e < 1e-4, "true transformation's equivariance error {e}");
}

#[test]
fn square_rotate_recovered_quarter_turn_induces_the_pixel_rotation() {
    let sim = trained("square-rotate");
    let (pi, c) = recovered(&sim, Transformation::Rotate { quarter_turns: 1 }, 16);
    assert!(
        c >= 0.95,
        "the search did not recover the quarter turn (best consistency {c:.3})"
    );
    check_quarter_turn(&sim, &pi);
}

#[test]
fn a_random_permutation_is_not_equivariant() {
    let sim = trained("ring-shift");
    let m = sim.neurons();
    let scrambled = Permutation::from_images((0..m).map(|i| (i * 37 + 11) % m).collect()).unwrap();
    let e = transform::equivariance_error(&sim, &scrambled, 16);
    assert!(
        e > 0.5,
        "a scrambled permutation has equivariance error {e}"
    );
    let map = InducedMap::new(sim.config().space, sim.fields(), sim.labels(), &scrambled).unwrap();
    assert!(map.confidence < 0.5, "confidence {}", map.confidence);
}

#[test]
fn the_space_layout_used_by_the_transform_module_matches_the_model() {
    let space = Space::Square { side: 5 };
    assert_eq!(transform::pixel_count(space), space.pixels());
    assert_eq!(transform::image_shape(space), space.shape());
}
