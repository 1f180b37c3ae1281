//! The learning rules against a direct dense reference, lazy decay, the 1/√stimuli law,
//! determinism and exact resume.

use invariance_lab::io::experiment;
use invariance_lab::model::learning::{HebbianState, PathChoice, PathTaken, UpdateParams};
use invariance_lab::model::{LearningRule, Simulation, presets};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Random activities with about `density` of the entries non-zero.
fn random_activity(rng: &mut ChaCha8Rng, b: usize, m: usize, density: f64) -> Array2<f32> {
    Array2::from_shape_fn((b, m), |_| {
        if rng.random_bool(density) {
            rng.random_range(0.1f32..2.0)
        } else {
            0.0
        }
    })
}

/// The straightforward dense implementation of SPEC §5 in f64, explicit decay.
struct Reference {
    w: Array2<f64>,
    d: Array1<f64>,
    sum: Array1<f64>,
    count: f64,
}

impl Reference {
    fn new(m: usize) -> Self {
        Self {
            w: Array2::zeros((m, m)),
            d: Array1::zeros(m),
            sum: Array1::zeros(m),
            count: 0.0,
        }
    }

    fn update(&mut self, p: &UpdateParams, cur: &Array2<f32>, prev: &Array2<f32>) {
        let a = cur.mapv(f64::from);
        let b = a.nrows() as f64;
        let m = a.ncols();
        let eta = f64::from(p.learning_rate);
        let keep = 1.0 - f64::from(p.decay);
        // Full matrix including the diagonal: W + diag(d).
        let mut full = self.w.clone();
        for i in 0..m {
            full[[i, i]] = self.d[i];
        }
        let new_full = match p.rule {
            LearningRule::Hebb => full * keep + a.t().dot(&a) * (eta / b),
            LearningRule::Temporal => {
                let pr = prev.mapv(f64::from);
                full * keep + a.t().dot(&pr) * (eta / b)
            }
            LearningRule::Covariance => {
                for row in a.rows() {
                    self.sum += &row;
                }
                self.count += b;
                let mu = &self.sum / self.count;
                let x = &a - &mu;
                full * keep + x.t().dot(&x) * (eta / b)
            }
            LearningRule::Oja => {
                let g = a.t().dot(&a);
                let q: Array1<f64> = a.mapv(|x| x * x).sum_axis(ndarray::Axis(0));
                let mut next = &full * keep + &g * (eta / b);
                for i in 0..m {
                    for j in 0..m {
                        next[[i, j]] -= eta / b * q[i] * full[[i, j]];
                    }
                }
                next
            }
        };
        self.w = new_full;
        for i in 0..m {
            self.d[i] = self.w[[i, i]];
            self.w[[i, i]] = 0.0;
        }
    }
}

fn max_relative_difference(a: &Array2<f32>, b: &Array2<f64>) -> f64 {
    let scale = b.iter().fold(0.0f64, |s, x| s.max(x.abs())).max(1e-30);
    a.iter()
        .zip(b.iter())
        .map(|(&x, &y)| (f64::from(x) - y).abs())
        .fold(0.0, f64::max)
        / scale
}

fn check_rule(rule: LearningRule, decay: f32, density: f64, batch: usize, path: PathChoice) {
    let m = 40;
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let params = UpdateParams {
        rule,
        learning_rate: 0.05,
        decay,
    };
    let mut state = HebbianState::new(m);
    let mut reference = Reference::new(m);
    let mut prev = random_activity(&mut rng, batch, m, density);
    let mut taken = Vec::new();
    for _ in 0..30 {
        let cur = random_activity(&mut rng, batch, m, density);
        taken.push(state.update(&params, cur.view(), Some(prev.view()), path));
        reference.update(&params, &cur, &prev);
        prev = cur;
    }
    let w = state.weights();
    assert!((0..m).all(|i| w[[i, i]] == 0.0), "diagonal must stay zero");
    let err_w = max_relative_difference(&w, &reference.w);
    let d = state.node_weights().insert_axis(ndarray::Axis(0));
    let err_d = max_relative_difference(&d, &reference.d.clone().insert_axis(ndarray::Axis(0)));
    assert!(
        err_w < 1e-5 && err_d < 1e-5,
        "{rule:?} decay {decay} density {density} B {batch} {path:?}: W err {err_w:e}, d err {err_d:e}"
    );
    match path {
        PathChoice::Sparse => assert!(taken.iter().all(|t| *t != PathTaken::Dense)),
        PathChoice::Dense => assert!(taken.iter().all(|t| *t != PathTaken::Sparse)),
        PathChoice::Auto => {}
    }
}

#[test]
fn every_rule_matches_the_dense_reference_on_both_paths() {
    for rule in [
        LearningRule::Hebb,
        LearningRule::Covariance,
        LearningRule::Oja,
        LearningRule::Temporal,
    ] {
        for path in [PathChoice::Sparse, PathChoice::Dense, PathChoice::Auto] {
            for (density, batch) in [(0.1, 1), (0.15, 8), (0.9, 16)] {
                check_rule(rule, 0.0, density, batch, path);
                check_rule(rule, 0.1, density, batch, path);
            }
        }
    }
}

#[test]
fn auto_path_picks_sparse_for_single_sparse_stimuli_and_dense_for_full_batches() {
    let m = 200;
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let params = UpdateParams {
        rule: LearningRule::Hebb,
        learning_rate: 0.01,
        decay: 0.0,
    };
    let mut s = HebbianState::new(m);
    let one = random_activity(&mut rng, 1, m, 0.05);
    assert_eq!(
        s.update(&params, one.view(), None, PathChoice::Auto),
        PathTaken::Sparse
    );
    let many = random_activity(&mut rng, 128, m, 0.8);
    assert_eq!(
        s.update(&params, many.view(), None, PathChoice::Auto),
        PathTaken::Dense
    );
    let none = Array2::<f32>::zeros((4, m));
    assert_eq!(
        s.update(&params, none.view(), None, PathChoice::Auto),
        PathTaken::Idle
    );
}

#[test]
fn lazy_decay_equals_explicit_decay_across_renormalisation() {
    // λ = 0.3 for 80 steps: the lazy scale 0.7^80 ≈ 4e-13 is folded back several times.
    let m = 30;
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let params = UpdateParams {
        rule: LearningRule::Hebb,
        learning_rate: 0.2,
        decay: 0.3,
    };
    let mut state = HebbianState::new(m);
    let mut reference = Reference::new(m);
    let mut min_scale = 1.0f64;
    for _ in 0..80 {
        let a = random_activity(&mut rng, 2, m, 0.3);
        state.update(&params, a.view(), None, PathChoice::Sparse);
        reference.update(&params, &a, &a);
        min_scale = min_scale.min(state.scale());
    }
    assert!(
        min_scale < 1e-5,
        "the scale never became small ({min_scale})"
    );
    assert!(state.scale() >= 1e-6);
    let err = max_relative_difference(&state.weights(), &reference.w);
    assert!(err < 1e-5, "lazy vs explicit decay: {err:e}");
}

fn ring_shift(decay: f32) -> invariance_lab::model::SimConfig {
    let mut c = presets::by_name("ring-shift").unwrap().config;
    c.decay = decay;
    c
}

fn symmetry_error_after(config: invariance_lab::model::SimConfig, steps: u64) -> f64 {
    let mut sim = Simulation::new(config).unwrap();
    sim.run_steps(steps);
    sim.metrics().symmetry_error_true
}

#[test]
fn symmetry_error_falls_like_one_over_root_stimuli_without_decay() {
    let c = ring_shift(0.0);
    let batch = c.batch as u64;
    let steps = 1250 / batch;
    let e1 = symmetry_error_after(c.clone(), steps);
    let e4 = symmetry_error_after(c, 4 * steps);
    assert!(
        e1 / e4 >= 1.6,
        "4× the stimuli should give ≥ 1.6× lower e_g: {e1:.4} → {e4:.4}"
    );
}

#[test]
fn symmetry_error_plateaus_with_decay() {
    // λ = 0.05 per step of 50 stimuli: memory ≈ 20 steps = 1,000 stimuli.
    let c = ring_shift(0.05);
    let e1 = symmetry_error_after(c.clone(), 200);
    let e4 = symmetry_error_after(c, 800);
    assert!(
        e1 / e4 < 1.3,
        "with decay e_g must plateau, got {e1:.4} → {e4:.4}"
    );
    // and the plateau sits near the no-decay error after ~1/λ steps, far above 20,000 stimuli's
    let no_decay = symmetry_error_after(ring_shift(0.0), 400);
    assert!(
        e4 > 1.5 * no_decay,
        "plateau {e4:.4} vs no decay {no_decay:.4}"
    );
}

#[test]
fn same_seed_gives_bit_identical_weights_and_other_seeds_differ() {
    let mut a = Simulation::new(ring_shift(0.0)).unwrap();
    let mut b = Simulation::new(ring_shift(0.0)).unwrap();
    a.run_steps(15);
    b.run_steps(15);
    assert_eq!(a.weights(), b.weights());
    assert_eq!(a.node_weights(), b.node_weights());
    let mut other = ring_shift(0.0);
    other.seed = 99;
    let mut c = Simulation::new(other).unwrap();
    c.run_steps(15);
    assert_ne!(a.weights(), c.weights());
}

fn assert_resume_exact(config: invariance_lab::model::SimConfig, n: u64) {
    let mut unbroken = Simulation::new(config.clone()).unwrap();
    unbroken.run_steps(2 * n);
    let mut first = Simulation::new(config).unwrap();
    first.run_steps(n);
    let text = experiment::to_json_string(&first).unwrap();
    let mut resumed = experiment::from_json_str(&text).unwrap();
    assert_eq!(resumed.step_count(), n);
    resumed.run_steps(n);
    let (u, r) = (unbroken.learning_state(), resumed.learning_state());
    assert_eq!(u.scale().to_bits(), r.scale().to_bits());
    let bits = |a: ndarray::ArrayView2<f32>| a.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert!(
        bits(u.raw_weights().view()) == bits(r.raw_weights().view()),
        "weights differ after resume"
    );
    assert_eq!(u.raw_node_weights(), r.raw_node_weights());
    assert_eq!(u.mean_sum(), r.mean_sum());
    assert_eq!(unbroken.weights(), resumed.weights());
}

#[test]
fn resume_is_bit_exact_for_every_rule_with_and_without_decay() {
    assert_resume_exact(ring_shift(0.0), 7);
    assert_resume_exact(ring_shift(0.2), 40); // crosses a renormalisation of the lazy scale
    let mut cov = ring_shift(0.01);
    cov.rule = LearningRule::Covariance;
    assert_resume_exact(cov, 5);
    let mut oja = ring_shift(0.0);
    oja.rule = LearningRule::Oja;
    assert_resume_exact(oja, 5);
    assert_resume_exact(presets::by_name("ring-temporal").unwrap().config, 5);
}

#[test]
fn simulation_api_is_consistent() {
    let mut sim = Simulation::new(ring_shift(0.0)).unwrap();
    let m = sim.neurons();
    assert_eq!(sim.fields().dim(), (m, 64));
    assert_eq!(sim.labels().len(), m);
    sim.run_steps(3);
    let snap = sim.snapshot();
    assert_eq!(snap.step, 3);
    let w = sim.weights();
    assert_eq!(**snap.weights.full().unwrap(), w);
    assert!(
        w.indexed_iter()
            .all(|((i, j), v)| snap.weights.value(i, j) == *v)
    );
    assert_eq!(snap.activity.len(), m);
    assert_eq!(snap.stimulus.len(), 64);
    assert_eq!(snap.history.last().unwrap().step, 3);
    // encode reproduces the snapshot's activities of the last stimulus
    assert_eq!(sim.encode(&snap.stimulus), *snap.activity);
    assert_eq!(sim.encode(&[1.0, 2.0]), vec![0.0; m]);
    // test stimuli are seeded and differ from each other
    let t1 = sim.test_stimuli(3);
    assert_eq!(t1, sim.test_stimuli(3));
    assert_ne!(t1[0], t1[1]);
    // 64 shifts minus the identity, each an exact automorphism of the bank's labels
    let truth = sim.ground_truth_transformations();
    assert!(
        truth.len() >= 63,
        "{} ground-truth transformations",
        truth.len()
    );
    assert!(truth.iter().any(|(_, p)| p == sim.true_permutation()));
    sim.reset();
    assert_eq!(sim.step_count(), 0);
    assert!(sim.weights().iter().all(|&w| w == 0.0));
}

#[test]
fn switching_from_a_symmetric_to_a_directed_rule_keeps_both_triangles() {
    // Hebb writes only the upper triangle on the sparse path; Oja must see the full W.
    let m = 25;
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut state = HebbianState::new(m);
    let mut reference = Reference::new(m);
    for (rule, steps) in [
        (LearningRule::Hebb, 6),
        (LearningRule::Oja, 6),
        (LearningRule::Hebb, 3),
    ] {
        let params = UpdateParams {
            rule,
            learning_rate: 0.1,
            decay: 0.05,
        };
        for _ in 0..steps {
            let a = random_activity(&mut rng, 2, m, 0.3);
            state.update(&params, a.view(), None, PathChoice::Sparse);
            reference.update(&params, &a, &a);
        }
    }
    let err = max_relative_difference(&state.weights(), &reference.w);
    assert!(err < 1e-5, "{err:e}");
    assert_eq!(
        state.weights(),
        state
            .raw_weights()
            .mapv(|w| (f64::from(w) * state.scale()) as f32)
    );
}
