//! The learned detector bank against ground truth: the rule unmixes a known
//! mixture, `ring-learned` learns localised, tiling, nearly shift-closed fields, its
//! graph has the shift as an approximate automorphism, and runs resume bit for bit.

use invariance_lab::cancel::CancelToken;
use invariance_lab::graph::WeightedGraph;
use invariance_lab::group::Bsgs;
use invariance_lab::io::experiment::{from_json_str, to_json_string};
use invariance_lab::model::detectors::field_measures::{self, DEFAULT_WINDOW, FieldMeasures};
use invariance_lab::model::detectors::learned_bank::{
    FieldLearner, LearnedParams, initial_filters,
};
use invariance_lab::model::{BankConfig, Phase, Simulation, Transformation, presets};
use invariance_lab::search::{SearchOptions, search};
use invariance_lab::transform::InducedMap;
use ndarray::{Array2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn measures(sim: &Simulation) -> FieldMeasures {
    let c = sim.config();
    let shift = c.space.pixel_permutation(c.true_transformation);
    field_measures::measure(
        c.space,
        sim.fields(),
        sim.labels(),
        shift.as_ref(),
        DEFAULT_WINDOW,
    )
}

fn trained(name: &str, steps: Option<u64>) -> Simulation {
    let preset = presets::by_name(name).unwrap();
    let mut sim = Simulation::new(preset.config).unwrap();
    sim.run_steps(steps.unwrap_or(preset.default_steps));
    sim
}

/// `K = 8` independent Laplace sources, each seen through a localised, zero-mean
/// "Mexican hat" at its own position on 32 pixels; neighbouring hats overlap. The rule's
/// filters must unmix them: `F A` (filters × sources) is a signed permutation up to
/// scale, i.e. every filter responds to one source with |cos| ≥ 0.9, each source to one.
#[test]
fn the_rule_unmixes_localised_independent_sources() {
    let (pixels, k) = (32usize, 8usize);
    let mut mixing = Array2::<f32>::zeros((pixels, k));
    for j in 0..k {
        let centre = 2.0 + 4.0 * j as f32;
        let mut col: Vec<f32> = (0..pixels)
            .map(|p| {
                let d = (p as f32 - centre) / 1.5;
                (1.0 - d * d) * (-d * d / 2.0).exp()
            })
            .collect();
        let mean = col.iter().sum::<f32>() / pixels as f32;
        col.iter_mut().for_each(|v| *v -= mean);
        mixing.column_mut(j).assign(&ndarray::Array1::from(col));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let mut draw = |n: usize| {
        let sources = Array2::from_shape_fn((n, k), |_| {
            let u: f32 = rng.random_range(1e-7..1.0);
            let sign = if rng.random::<bool>() { 1.0 } else { -1.0 };
            -sign * u.ln()
        });
        sources.dot(&mixing.t())
    };
    let whitening = draw(4000);
    let mut learner =
        FieldLearner::from_samples(whitening.view(), &initial_filters(pixels, k, 7)).unwrap();
    assert_eq!(learner.whitened_dimension(), k, "the mixture has rank {k}");
    let params = LearnedParams {
        filters: k,
        on_off: true,
        field_steps: 1000,
        rate: 0.2,
        kernel_size: None,
    };
    for t in 0..params.field_steps {
        learner.learn(draw(100).view(), params.rate_at(t));
    }
    let f = learner.pixel_filters();
    let g = f.dot(&mixing); // filters × sources
    let mut claimed = vec![false; k];
    for row in g.axis_iter(Axis(0)) {
        let norm = row.dot(&row).sqrt();
        let (best, value) = row
            .iter()
            .enumerate()
            .map(|(j, &v)| (j, v.abs() / norm))
            .fold((0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
        assert!(
            value >= 0.9,
            "filter matches its source only with |cos| {value}: {row}"
        );
        assert!(!claimed[best], "two filters unmix source {best}");
        claimed[best] = true;
    }
}

/// Localised fields tile the ring and are nearly closed under the shift; the random
/// fields of `ring-random` are compared by the same measures. The target of 3×
/// the random fields' localisation is met by the spatial spread (the second moment of
/// `f²`: about 1.05 against 5.54 px², 5×) and by the energy outside the best 5-pixel
/// window (about 30× less); not by the RMS width (its square root, 2.2×) nor by the IPR
/// (1.45×), which for a zero-mean field cannot exceed ½ (two pixels, `±1/√2`) and so
/// caps the ratio to the random 9-pixel fields' 0.27 at 1.9×.
#[test]
fn ring_learned_fields_are_localised_tiling_and_nearly_closed() {
    let learned = measures(&trained_fields("ring-learned", None));
    let random = measures(&trained("ring-random", Some(0)));
    assert!(learned.window_share_mean >= 0.98, "{learned:?}");
    assert!(learned.window_share_min >= 0.97, "{learned:?}");
    assert!(learned.ipr_mean >= 0.35, "{learned:?}");
    assert!(
        learned.ipr_mean >= 1.35 * random.ipr_mean,
        "{learned:?} vs {random:?}"
    );
    assert!(
        learned.rms_width_mean <= random.rms_width_mean / 2.0,
        "{learned:?} vs {random:?}"
    );
    assert!(
        learned.spread_mean <= random.spread_mean / 3.0,
        "{learned:?} vs {random:?}"
    );
    // Energy outside the best 5-pixel window: tens of times less than the random fields'.
    assert!(
        1.0 - learned.window_share_mean <= (1.0 - random.window_share_mean) / 20.0,
        "{learned:?} vs {random:?}"
    );
    assert_tiles_and_closes(&learned, "seed of the preset");
    assert!(random.closure_mean.unwrap() > 0.5, "{random:?}");
}

/// One filter per pixel, evenly spread (every pixel holds the same number of centres),
/// and every field close to a shifted copy of another.
fn assert_tiles_and_closes(m: &FieldMeasures, what: &str) {
    assert!(
        m.tiling_cv < 0.1 && m.tiling_occupied == 1.0,
        "{what}: tiling {m:?}"
    );
    let (mean, max) = (m.closure_mean.unwrap(), m.closure_max.unwrap());
    assert!(
        mean < 0.08 && max < 0.15,
        "{what}: closure defect {mean} / {max}"
    );
}

/// `ring-learned`'s field phase, with the preset's seed or another one.
fn trained_fields(name: &str, seed: Option<u64>) -> Simulation {
    let preset = presets::by_name(name).unwrap();
    let mut config = preset.config;
    if let Some(seed) = seed {
        config.seed = seed;
    }
    let field_steps = match config.bank {
        BankConfig::Learned { field_steps, .. } => field_steps,
        _ => panic!("{name} must have a learned bank"),
    };
    let mut sim = Simulation::new(config).unwrap();
    sim.run_steps(field_steps);
    sim
}

/// Other seeds learn the same clean tiling: before the filters' norms were equalised,
/// some seeds left a position untiled (a filter starved to zero) or two positions
/// sharing one mixed filter.
#[test]
fn ring_learned_fields_tile_on_other_seeds() {
    for seed in [1, 5, 7] {
        let m = measures(&trained_fields("ring-learned", Some(seed)));
        assert_tiles_and_closes(&m, &format!("seed {seed}"));
        assert!(m.window_share_min >= 0.95, "seed {seed}: {m:?}");
    }
}

#[test]
fn fields_learn_first_then_the_graph() {
    let preset = presets::by_name("ring-learned").unwrap();
    let mut sim = Simulation::new(preset.config).unwrap();
    let total = sim.field_steps();
    sim.run_steps(10);
    assert_eq!(sim.phase(), Phase::Fields { done: 10, total });
    assert!(
        sim.weights().iter().all(|&w| w == 0.0),
        "the graph waits for the fields"
    );
    assert!(sim.history().is_empty());
    let before = sim.fields().clone();
    sim.run_steps(total - 10 + 5);
    assert_eq!(sim.phase(), Phase::Graph);
    assert_ne!(&before, sim.fields());
    let frozen = sim.fields().clone();
    sim.run_steps(5);
    assert_eq!(&frozen, sim.fields(), "fields are fixed in the graph phase");
    assert!(sim.weights().iter().any(|&w| w > 0.0));
    // The metric history counts the graph's own stimuli.
    let last = sim.history().last().unwrap();
    assert_eq!(last.stimuli, 10 * sim.config().batch as u64);
}

/// `e_g` of the best-overlap unit shift below half its random baseline, and the search
/// finds the world's symmetry group on the learned graph: the 64 translations, the
/// reflections (a mirrored edge detector is one of the other polarity) and the ON ↔ OFF
/// contrast inversion, order 256, with the best-overlap unit shift among its elements.
/// (The best single result is not the unit shift: every element has about the same
/// error, and the inversion, exact by construction, the lowest; its induced map names
/// it.)
#[test]
fn ring_learned_reaches_its_targets() {
    let sim = trained("ring-learned", None);
    let m = sim.metrics();
    assert!(
        m.symmetry_error_true < 0.5 * m.symmetry_error_random,
        "e_g {} vs baseline {}",
        m.symmetry_error_true,
        m.symmetry_error_random
    );
    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights())).unwrap();
    let options = SearchOptions {
        time_limit_secs: 60.0,
        ..SearchOptions::default()
    };
    let report = search(&graph, &options, &CancelToken::new(), &mut |_| {}).unwrap();
    let n = sim.weights().nrows();
    assert_eq!(
        report.group.order.as_ref().and_then(|o| o.to_u64()),
        Some(256),
        "group {:?}",
        report.group.name
    );
    assert_eq!(report.group.name.as_deref(), Some("D_64 × C_2"));
    let chain = Bsgs::from_generators(n, &report.group.generators, &[]);
    assert!(
        chain.contains(sim.true_permutation()),
        "the best-overlap unit shift is not in the group found"
    );
    // The best results are symmetries of the world, each well below the random level
    // and each inducing a symmetry of the ring on at least 90 % of the pixels, with or
    // without the contrast inversion; the very best, exact by construction, is the
    // inversion alone.
    let space = sim.config().space;
    for (k, r) in report.results.iter().take(8).enumerate() {
        assert!(
            r.relative_error < 0.5 * m.symmetry_error_random,
            "result {k}: {} vs {}",
            r.relative_error,
            m.symmetry_error_random
        );
        let map = InducedMap::new(space, sim.fields(), sim.labels(), &r.permutation).unwrap();
        let (t, agreement) = map.matched.expect("a symmetry of the ring");
        assert!(
            agreement >= 0.9 && (map.inverted || t != Transformation::Identity),
            "result {k}: {:?} on {agreement}",
            map.description(space)
        );
    }
    let best = InducedMap::new(
        space,
        sim.fields(),
        sim.labels(),
        &report.results[0].permutation,
    )
    .unwrap();
    assert_eq!(best.description(space).as_deref(), Some("invert contrast"));
    // The app offers the unit shift first: the generating set it shows is led by the
    // simplest true transformations the group contains (here the search's own
    // generators include no power of the unit shift).
    #[cfg(feature = "gui")]
    {
        use invariance_lab::report::outcome::SearchOutcome;
        use std::sync::Arc;
        let truths = Arc::new(sim.ground_truth_transformations());
        let weights = Arc::new(sim.weights());
        let outcome = SearchOutcome::from_report(report, weights, &sim.node_weights(), truths, 0.0);
        let first = outcome.group.generators[0].found.truth.as_ref().unwrap();
        assert_eq!(first.transformation, Transformation::Shift { k: 1 });
        assert!(first.consistency >= 0.999, "{}", first.consistency);
        assert_eq!(
            outcome.group.summary.order.and_then(|o| o.to_u64()),
            Some(256)
        );
    }
}

fn short_config() -> invariance_lab::model::SimConfig {
    let mut c = presets::by_name("ring-learned").unwrap().config;
    c.bank = BankConfig::Learned {
        filters: 64,
        on_off: true,
        field_steps: 40,
        rate: 0.2,
        kernel_size: None,
    };
    c.batch = 20;
    c
}

/// Train `a` steps, save, load, train `b` more == `a + b` steps at once, bit for bit —
/// stopping inside the field phase and inside the graph phase.
#[test]
fn save_load_resume_is_bit_exact_in_both_phases() {
    let mut straight = Simulation::new(short_config()).unwrap();
    straight.run_steps(70);
    for a in [17u64, 55] {
        let mut first = Simulation::new(short_config()).unwrap();
        first.run_steps(a);
        let text = to_json_string(&first).unwrap();
        let mut resumed = from_json_str(&text).unwrap();
        assert_eq!(
            resumed.fields(),
            first.fields(),
            "fields after loading at step {a}"
        );
        assert_eq!(resumed.labels(), first.labels());
        assert_eq!(resumed.bank().canonical_index, first.bank().canonical_index);
        resumed.run_steps(70 - a);
        let bits = |s: &Simulation| s.weights().iter().map(|w| w.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&resumed), bits(&straight), "weights, stopped at {a}");
        assert_eq!(
            resumed.fields(),
            straight.fields(),
            "fields, stopped at {a}"
        );
        assert_eq!(resumed.true_permutation(), straight.true_permutation());
        assert_eq!(resumed.history(), straight.history());
    }
}

#[test]
fn a_file_without_its_learned_fields_is_refused() {
    let mut sim = Simulation::new(short_config()).unwrap();
    sim.run_steps(3);
    let text = to_json_string(&sim).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value.as_object_mut().unwrap().remove("learned_fields");
    let e = from_json_str(&value.to_string()).unwrap_err().to_string();
    assert!(e.contains("learned_fields"), "{e}");
}

#[test]
fn reset_relearns_the_same_fields() {
    let mut sim = Simulation::new(short_config()).unwrap();
    let start = sim.fields().clone();
    sim.run_steps(45);
    let learned = sim.fields().clone();
    sim.reset();
    assert_eq!(sim.fields(), &start);
    sim.run_steps(45);
    assert_eq!(sim.fields(), &learned);
}
