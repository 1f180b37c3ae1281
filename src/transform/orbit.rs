//! The orbit `s, π·s, π²·s, …` of a pattern under a permutation of neurons, rendered
//! two ways side by side:
//!
//! - **crisp**: frame `k` is the induced pixel map applied `k` times to `s`
//!   ([`InducedMap::apply`]); it shows what `π` *means* on the input;
//! - **honest**: frame `k` is `decode(π^k · encode(s))` — the activities of `s` are
//!   permuted `k` times and decoded by least squares with the bank, through the
//!   detectors' non-linearity ([`Decoder::reconstruct`]), with only generic priors
//!   (smoothness, and the pixel range every stimulus of the generator keeps to).
//!   Nothing is assumed about `π`, so an imperfect automorphism looks imperfect.
//!   Frame 0 is the bank's own reconstruction of `s`, not `s` itself.
//!
//! [`Orbit::agreement`] is the correlation of the two renderings per frame.

use ndarray::Array2;

use super::decode::{Decoder, encode};
use super::induced_map::InducedMap;
use super::{TransformError, check_len, correlation};
use crate::model::SimConfig;
use crate::perm::Permutation;

/// Iterations of [`Decoder::reconstruct`] per honest frame.
pub const RECONSTRUCTION_ITERATIONS: usize = 12;

/// Crisp and honest renderings of an orbit, frame by frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Orbit {
    /// Frame `k`: the induced pixel map applied `k` times.
    pub crisp: Vec<Vec<f32>>,
    /// Frame `k`: `decode(π^k · encode(s))`.
    pub honest: Vec<Vec<f32>>,
    /// Pearson correlation of honest and crisp frame `k`.
    pub agreement: Vec<f64>,
}

impl Orbit {
    /// Number of frames.
    pub fn len(&self) -> usize {
        self.crisp.len()
    }

    /// True when there are no frames.
    pub fn is_empty(&self) -> bool {
        self.crisp.is_empty()
    }
}

/// Computes `frames` frames of the orbit of `pattern` (frame 0 included).
///
/// `map` must be [`InducedMap::new`] of `pi` and `decoder` [`Decoder::new`] of `fields`.
pub fn orbit(
    config: &SimConfig,
    fields: &Array2<f32>,
    pi: &Permutation,
    map: &InducedMap,
    decoder: &Decoder,
    pattern: &[f32],
    frames: usize,
) -> Result<Orbit, TransformError> {
    check_len("pattern", fields.ncols(), pattern.len())?;
    check_len("permutation", fields.nrows(), pi.len())?;
    check_len("induced map", fields.ncols(), map.pixels())?;
    check_len("decoder", fields.ncols(), decoder.pixels())?;
    let mut crisp = Vec::with_capacity(frames);
    let mut honest: Vec<Vec<f32>> = Vec::with_capacity(frames);
    let mut agreement = Vec::with_capacity(frames);
    let mut image = pattern.to_vec();
    let mut code = encode(config, fields, pattern)?;
    for k in 0..frames {
        if k > 0 {
            image = map.apply(&image)?;
            code = pi.apply_to_vector(&code);
        }
        // Warm start: the previous honest frame moved by the pixel map (speed only).
        let start = match honest.last() {
            Some(previous) => Some(map.apply(previous)?),
            None => None,
        };
        let decoded = decoder.reconstruct_from(
            config,
            fields,
            &code,
            RECONSTRUCTION_ITERATIONS,
            start.as_deref(),
        )?;
        agreement.push(correlation(&image, &decoded));
        crisp.push(image.clone());
        honest.push(decoded);
    }
    Ok(Orbit {
        crisp,
        honest,
        agreement,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{
        Activation, BankConfig, KernelFamily, LearningRule, Space, StimulusConfig, StimulusKind,
        Transformation,
    };

    pub(crate) fn ring_config(n: usize) -> SimConfig {
        SimConfig {
            space: Space::Ring { n },
            stimulus: StimulusConfig {
                kind: StimulusKind::Bumps {
                    max_bumps: 1,
                    width: (1.0, 2.0),
                    amplitude: (1.0, 1.0),
                },
                sequence: None,
                data_dir: None,
            },
            bank: BankConfig::Tiled {
                kernels: 3,
                size: 4,
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
        }
    }

    #[test]
    fn planted_shift_orbit_rolls_the_pattern_and_the_honest_view_follows() {
        let n = 20;
        let (fields, labels, shift) = crate::transform::induced_map::tests::ring_bank(n, 4, 4);
        let config = ring_config(n);
        let map = InducedMap::new(config.space, &fields, &labels, &shift).unwrap();
        let decoder = Decoder::new(&fields, 1e-3).unwrap();
        let bump: Vec<f32> = (0..n)
            .map(|x| (-((x as f32 - 6.0).powi(2)) / 4.0).exp())
            .collect();
        let orbit = orbit(&config, &fields, &shift, &map, &decoder, &bump, 5).unwrap();
        assert_eq!(orbit.len(), 5);
        for k in 0..5 {
            let rolled: Vec<f32> = (0..n).map(|q| bump[(q + n - k) % n]).collect();
            assert_eq!(orbit.crisp[k], rolled, "frame {k}");
            // The honest frames are the frame-0 reconstruction rolled by k (exact automorphism).
            let rolled_honest: Vec<f32> =
                (0..n).map(|q| orbit.honest[0][(q + n - k) % n]).collect();
            for (a, b) in orbit.honest[k].iter().zip(&rolled_honest) {
                assert!((a - b).abs() < 1e-3, "frame {k}: {a} vs {b}");
            }
        }
        assert!(
            orbit.agreement.iter().all(|&c| c > 0.9),
            "agreement {:?} crisp {:?} honest {:?}",
            orbit.agreement,
            orbit.crisp[0],
            orbit.honest[0]
        );
    }
}
