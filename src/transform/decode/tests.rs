//! The decoder's tests: exact recovery of a linear code, the Cholesky factor, batch
//! encoding, and the generator's pixel range in non-linear reconstructions.

use ndarray::{Array2, ArrayView1};
use rand::{Rng, SeedableRng};

use super::active_set::MISFIT_TOLERANCE;
use super::encode::code_misfit;
use super::factor::Factor;
use super::*;
use crate::model::StimulusKind;

#[test]
fn decoding_the_linear_code_recovers_the_pattern() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let fields = Array2::from_shape_fn((60, 20), |_| rng.random::<f32>() - 0.5);
    let decoder = Decoder::new(&fields, 1e-9).unwrap();
    let s: Vec<f32> = (0..20).map(|i| (i as f32 * 0.7).sin()).collect();
    let code = fields.dot(&ArrayView1::from(&s[..])).to_vec();
    let back = decoder.decode(&code).unwrap();
    for (a, b) in s.iter().zip(&back) {
        assert!((a - b).abs() < 1e-3, "{a} vs {b}");
    }
}

#[test]
fn cholesky_matches_a_known_factor() {
    // A = L Lᵀ with L = [[2,0,0],[1,3,0],[-1,2,1]]
    let a = vec![4.0, 2.0, -2.0, 2.0, 10.0, 5.0, -2.0, 5.0, 6.0];
    let l = Factor::new(a, 3).unwrap();
    let expected = [2.0, 0.0, 0.0, 1.0, 3.0, 0.0, -1.0, 2.0, 1.0];
    for (x, y) in l.lower().iter().zip(expected) {
        assert!((x - y).abs() < 1e-12);
    }
    assert!(Factor::new(vec![1.0, 2.0, 2.0, 1.0], 2).is_err());
}

/// A ring of `n` pixels with `per` random zero-mean fields of width 5 at every position.
fn ring_setup(n: usize, per: usize, kind: StimulusKind) -> (SimConfig, Array2<f32>) {
    use crate::model::{BankConfig, KernelFamily, LearningRule, StimulusConfig, Transformation};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let mut fields = Array2::<f32>::zeros((n * per, n));
    for pos in 0..n {
        for k in 0..per {
            let w: Vec<f32> = (0..5).map(|_| rng.random::<f32>() - 0.5).collect();
            let mean = w.iter().sum::<f32>() / 5.0;
            for (d, &v) in w.iter().enumerate() {
                fields[[pos * per + k, (pos + d) % n]] = v - mean;
            }
        }
    }
    let config = SimConfig {
        space: Space::Ring { n },
        stimulus: StimulusConfig {
            kind,
            sequence: None,
            data_dir: None,
        },
        bank: BankConfig::Tiled {
            kernels: per,
            size: 5,
            stride: 1,
            family: KernelFamily::Random,
        },
        activation: Activation::Relu,
        threshold: 0.0,
        k_winners: None,
        rule: LearningRule::Hebb,
        learning_rate: 0.01,
        decay: 0.0,
        batch: 1,
        seed: 1,
        true_transformation: Transformation::Shift { k: 1 },
    };
    (config, fields)
}

#[test]
fn batch_encoding_agrees_with_encoding_one_by_one() {
    let (mut config, fields) = ring_setup(
        24,
        2,
        StimulusKind::Bumps {
            max_bumps: 1,
            width: (1.0, 2.0),
            amplitude: (1.0, 1.0),
        },
    );
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let stimuli = Array2::from_shape_fn((7, 24), |_| rng.random::<f32>() - 0.5);
    for k_winners in [None, Some(5)] {
        config.k_winners = k_winners;
        let batch = encode_rows(&config, &fields, stimuli.view()).unwrap();
        let mut active = 0;
        for (s, row) in stimuli.rows().into_iter().zip(batch.rows()) {
            let one = encode(&config, &fields, s.as_slice().unwrap()).unwrap();
            for (a, b) in one.iter().zip(row) {
                assert!((a - b).abs() < 1e-5, "{a} vs {b}");
            }
            active += row.iter().filter(|&&a| a > 0.0).count();
        }
        // Relu leaves some detectors on; k-winners leaves at most k per pattern.
        assert!(active > 0);
        if let Some(k) = k_winners {
            assert!(active <= k * stimuli.nrows());
        }
    }
    assert!(encode_rows(&config, &fields, Array2::zeros((2, 23)).view()).is_err());
}

fn corr(a: &[f32], b: &[f32]) -> f64 {
    crate::transform::correlation(a, b)
}

#[test]
fn the_generators_range_sharpens_a_sparse_non_negative_pattern() {
    let n = 32;
    let bumps = StimulusKind::Bumps {
        max_bumps: 1,
        width: (1.0, 2.0),
        amplitude: (1.0, 1.0),
    };
    let (bounded_config, fields) = ring_setup(n, 2, bumps);
    let mut free_config = bounded_config.clone();
    free_config.stimulus.kind = StimulusKind::SmoothNoise { length: 3.0 };
    let decoder = Decoder::with_smoothness(bounded_config.space, &fields, 1e-4, 0.01).unwrap();
    let bump: Vec<f32> = (0..n)
        .map(|x| (-((x as f32 - 9.0).powi(2)) / 3.0).exp())
        .collect();
    let code = encode(&bounded_config, &fields, &bump).unwrap();
    let bounded = decoder
        .reconstruct(&bounded_config, &fields, &code, 20)
        .unwrap();
    let free = decoder
        .reconstruct(&free_config, &fields, &code, 20)
        .unwrap();
    let (cb, cf) = (corr(&bounded, &bump), corr(&free, &bump));
    assert!(
        cb > 0.95 && cb >= cf - 1e-3,
        "bounded {cb:.4}, unbounded {cf:.4}"
    );
    let min = bounded.iter().copied().fold(f32::INFINITY, f32::min);
    assert!(min > -0.05, "bounded reconstruction dips to {min}");
}

#[test]
fn a_code_outside_the_generators_range_is_decoded_without_it() {
    let n = 32;
    let bars = StimulusKind::Bars {
        max_bars: 1,
        length: (2, 6),
    };
    let (config, fields) = ring_setup(n, 2, bars);
    let decoder = Decoder::with_smoothness(config.space, &fields, 1e-4, 0.01).unwrap();
    // Spans 6 units: no pattern of bars (all pixels in [0, 1]) has this code.
    let wave: Vec<f32> = (0..n)
        .map(|x| 3.0 * (x as f32 * std::f32::consts::TAU * 3.0 / n as f32).sin())
        .collect();
    let code = encode(&config, &fields, &wave).unwrap();
    let back = decoder.reconstruct(&config, &fields, &code, 20).unwrap();
    assert!(code_misfit(&config, &fields, &back, &code) < MISFIT_TOLERANCE);
    let c = corr(&back, &wave);
    assert!(c > 0.95, "correlation {c:.4}");
}

#[test]
fn wrong_lengths_are_errors() {
    let fields = Array2::<f32>::eye(4);
    let decoder = Decoder::new(&fields, 1e-3).unwrap();
    assert!(decoder.decode(&[1.0; 3]).is_err());
    assert!(Decoder::new(&Array2::<f32>::zeros((0, 4)), 1e-3).is_err());
}
