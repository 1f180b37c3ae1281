//! The detector code of a pattern and its least-squares inverse.
//!
//! [`encode`] computes `a = φ(F s − θ)` (then k-winners-take-all), exactly as SPEC §4
//! defines a detector's response, from a config and a bank — so the GUI, which holds
//! only a snapshot of the bank, and the CLI give the same activities as the simulation.
//!
//! [`Decoder`] inverts the bank linearly: `ŝ = argmin ‖F s − a‖² + ε‖s‖²
//! = (FᵀF + εI)⁻¹ Fᵀ a`. The `pixels × pixels` matrix `FᵀF + εI` is factorised once
//! per bank by a Cholesky decomposition (in `f64`); each decode is then one product
//! `Fᵀa` and two triangular solves, `O(M·pixels + pixels²)`. The ridge `ε` is relative:
//! `ε = ridge · trace(FᵀF) / pixels`, so it does not depend on the fields' scale.
//! Because the fields are zero-mean, the decoded pattern has no reliable mean level;
//! compare patterns by correlation.
//!
//! Rectified codes are inverted through the non-linearity by the active-set method of
//! [`active_set`], which uses the decoder's factorisation as its preconditioner.

mod active_set;
mod encode;
mod factor;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use ndarray::{Array1, Array2, ArrayView1};

pub use encode::{PixelRange, encode, encode_rows};

use super::{TransformError, check_len};
use crate::model::{Activation, SimConfig, Space};
use active_set::ActiveSet;
use factor::{Factor, Smoothness};

/// Default relative ridge of the decoder. Chosen on `image-rotate` (unbounded pixels),
/// where [`Decoder::reconstruct`] of 32 held-out rotated stimuli correlates 0.90 on
/// average with them (0.86 with a ridge of 1e-3); bounded reconstructions use ten times
/// this ridge (see [`PixelRange`]).
pub const DEFAULT_RIDGE: f64 = 1e-4;

/// Default relative weight of the smoothness prior ([`Decoder::for_space`]); chosen on
/// `square-rotate`, where it raised the mean correlation of linear-ridge reconstructions
/// with the stimuli from 0.77 (ridge only) to 0.90. Bounded reconstructions (see
/// [`PixelRange`]) use a tenth of it: the range then fills in what the bank does not see.
pub const DEFAULT_SMOOTHNESS: f64 = 0.01;

/// Relative ridge and smoothness on a log-polar retina. Its banks overlap densely
/// (`polar-rotate`: 1,344 detectors on 768 samples, `polar-zoom`: 864 on 576), so the
/// code pins the pattern down and the priors chosen for sparser banks only blur it:
/// reconstructions of the astronaut photo from its relu code correlate 0.81 with it
/// under the defaults and 0.95 with these (six held-out rotated photo patches: 0.70–0.92
/// and 0.90–0.99 on `polar-rotate`; 0.62–0.94 and 0.85–0.98 on `polar-zoom`).
pub const POLAR_RIDGE: f64 = 1e-5;
/// See [`POLAR_RIDGE`].
pub const POLAR_SMOOTHNESS: f64 = 3e-4;

/// Relative weight (like the ridge, in units of `trace(FᵀF) / pixels`) of the penalty
/// `Σ (s_p − bound)²` on pixels outside the generator's range.
const BOUND_WEIGHT: f64 = 1.0;

/// Ridge of bounded reconstructions relative to unbounded ones.
const BOUNDED_RIDGE: f64 = 10.0;

/// Smoothness weight of bounded reconstructions relative to unbounded ones.
const BOUNDED_SMOOTHNESS: f64 = 0.1;

/// Least-squares decoder of one bank, factorised once.
#[derive(Clone, Debug)]
pub struct Decoder {
    /// `Fᵀ` (pixels × M), contiguous, for the product `Fᵀa`.
    fields_t: Array2<f32>,
    /// Factor of `FᵀF + εI` plus the smoothness prior.
    cholesky: Factor,
    /// `FᵀF + εI` (row-major, without the smoothness prior).
    normal: Vec<f64>,
    /// Factor of the bounded reconstruction's preconditioner, see [`Decoder::preconditioner`].
    bounded_cholesky: OnceLock<Option<Factor>>,
    /// The absolute ridge `ε`.
    epsilon: f64,
    /// The smoothness prior, if any.
    smoothness: Option<Smoothness>,
    /// True when every field sums to (nearly) zero, so a constant added to a pattern
    /// changes no drive.
    blind_to_mean: bool,
    /// Absolute weight of the penalty on pixels outside the stimuli's range.
    bound_weight: f64,
    pixels: usize,
}

impl Decoder {
    /// Factorises `FᵀF + εI` for `fields` (M × pixels) with relative ridge `ridge` (see module docs).
    pub fn new(fields: &Array2<f32>, ridge: f64) -> Result<Self, TransformError> {
        Self::build(fields, ridge, None)
    }

    /// Like [`Decoder::new`], with an additional smoothness prior `σ · ε_s ‖∇s‖²` on the
    /// grid of `space` (neighbouring pixels, periodic on a ring or torus), where `ε_s` is
    /// scaled like the ridge. It fills in what the bank does not see (between sparse
    /// detectors, below threshold) with the smoothest pattern rather than with zeros.
    pub fn with_smoothness(
        space: Space,
        fields: &Array2<f32>,
        ridge: f64,
        smoothness: f64,
    ) -> Result<Self, TransformError> {
        Self::build(fields, ridge, Some((space, smoothness)))
    }

    /// The decoder the app and the CLI use: [`DEFAULT_RIDGE`] and [`DEFAULT_SMOOTHNESS`],
    /// or on a log-polar retina [`POLAR_RIDGE`] and [`POLAR_SMOOTHNESS`].
    pub fn for_space(space: Space, fields: &Array2<f32>) -> Result<Self, TransformError> {
        let (ridge, smoothness) = match space {
            Space::Polar { .. } => (POLAR_RIDGE, POLAR_SMOOTHNESS),
            _ => (DEFAULT_RIDGE, DEFAULT_SMOOTHNESS),
        };
        Self::with_smoothness(space, fields, ridge, smoothness)
    }

    fn build(
        fields: &Array2<f32>,
        ridge: f64,
        smooth: Option<(Space, f64)>,
    ) -> Result<Self, TransformError> {
        let (neurons, pixels) = fields.dim();
        if neurons == 0 || pixels == 0 {
            return Err(TransformError::EmptyBank(format!(
                "{neurons} detectors over {pixels} pixels"
            )));
        }
        let fields_t = fields.t().as_standard_layout().to_owned();
        let gram = fields_t.dot(fields); // pixels × pixels, f32 product; accumulate below in f64
        let trace: f64 = (0..pixels).map(|p| gram[[p, p]] as f64).sum();
        let epsilon = ridge.max(1e-12) * (trace / pixels as f64).max(f64::MIN_POSITIVE);
        let mut a: Vec<f64> = gram.iter().map(|&x| x as f64).collect();
        for p in 0..pixels {
            a[p * pixels + p] += epsilon;
        }
        let mut prior = None;
        if let Some((space, smoothness)) = smooth {
            super::check_len(
                "receptive fields (pixels)",
                super::pixel_count(space),
                pixels,
            )?;
            let weight = smoothness.max(0.0) * (trace / pixels as f64);
            prior = Some(Smoothness::on(space, weight));
        }
        let mut system = a.clone();
        if let Some(prior) = &prior {
            prior.add_to(&mut system, pixels, 1.0);
        }
        let cholesky = Factor::new(system, pixels)?;
        Ok(Self {
            fields_t,
            cholesky,
            normal: a,
            bounded_cholesky: OnceLock::new(),
            epsilon,
            smoothness: prior,
            blind_to_mean: fields.rows().into_iter().all(|f| {
                let sum: f32 = f.sum();
                let norm1: f32 = f.iter().map(|v| v.abs()).sum();
                sum.abs() <= 1e-4 * norm1.max(f32::MIN_POSITIVE)
            }),
            bound_weight: BOUND_WEIGHT * (trace / pixels as f64),
            pixels,
        })
    }

    /// The factor preconditioning [`Decoder::reconstruct`]'s conjugate gradients: the
    /// decoder's own, or for a `bounded` problem the system with the ridge scaled by
    /// [`BOUNDED_RIDGE`] and the smoothness prior by [`BOUNDED_SMOOTHNESS`] (built once).
    fn preconditioner(&self, bounded: bool) -> &Factor {
        if !bounded {
            return &self.cholesky;
        }
        self.bounded_cholesky
            .get_or_init(|| {
                let mut a = self.normal.clone();
                if let Some(prior) = &self.smoothness {
                    prior.add_to(&mut a, self.pixels, BOUNDED_SMOOTHNESS);
                }
                for p in 0..self.pixels {
                    a[p * self.pixels + p] += (BOUNDED_RIDGE - 1.0) * self.epsilon;
                }
                Factor::new(a, self.pixels).ok()
            })
            .as_ref()
            .unwrap_or(&self.cholesky)
    }

    /// Number of pixels of the decoded pattern.
    pub fn pixels(&self) -> usize {
        self.pixels
    }

    /// Number of detectors expected in a code.
    pub fn neurons(&self) -> usize {
        self.fields_t.ncols()
    }

    /// `(FᵀF + εI)⁻¹ Fᵀ a`: the pattern whose code is closest to `activities`.
    pub fn decode(&self, activities: &[f32]) -> Result<Vec<f32>, TransformError> {
        check_len("activities", self.neurons(), activities.len())?;
        let rhs: Array1<f32> = self.fields_t.dot(&ArrayView1::from(activities));
        let rhs: Vec<f64> = rhs.iter().map(|&v| v as f64).collect();
        let x = self.cholesky.solve(&rhs);
        Ok(x.into_iter().map(|v| v as f32).collect())
    }

    /// Reconstructs a pattern from a (possibly permuted) code of a bank with the
    /// non-linearity of `config`, honestly: only the bank, `θ` and `φ` are used.
    ///
    /// A linear decode of rectified activities is poor (half of each detector's
    /// response is cut off), so the code is inverted through the non-linearity:
    /// - sigmoid: `u = logit(a) + θ` exactly, then the linear decode;
    /// - relu: the convex least-squares problem
    ///   `min Σ_{a_i>0} (f_i·s − a_i − θ)² + Σ_{a_i=0} max(0, f_i·s − θ)² + ε‖s‖²`
    ///   (active detectors reveal their drive, silent ones only that it was below
    ///   threshold), solved by an active-set Newton method whose linear systems are
    ///   solved by conjugate gradients preconditioned with the bank's factorisation;
    /// - binary: the same with the active detectors asking for a drive of at least
    ///   `θ + 1` (their size is not revealed by the code).
    ///
    /// When the stimulus generator of `config` keeps every pixel in a [`PixelRange`]
    /// (segments, bars, bumps, blobs), pixels outside it are penalised too (another
    /// set of rows of the same active-set scheme), with ten times the ridge and a tenth
    /// of the smoothness. If the result does not explain the code (relative misfit
    /// `‖φ(F ŝ − θ) − a‖ / ‖a‖` above 0.05: e.g. a photo opened on a preset trained on
    /// segments, or a code permuted by a poor automorphism), the code is decoded again
    /// without the range, and whichever explains it better is returned.
    ///
    /// `iterations` bounds the Newton steps. k-winners-take-all is not modelled (a
    /// loser above threshold counts as silent).
    pub fn reconstruct(
        &self,
        config: &SimConfig,
        fields: &Array2<f32>,
        activities: &[f32],
        iterations: usize,
    ) -> Result<Vec<f32>, TransformError> {
        self.reconstruct_from(config, fields, activities, iterations, None)
    }

    /// [`Decoder::reconstruct`] starting the iteration at `start` instead of zero. Each
    /// problem is strictly convex, so the start changes only how fast it converges, not
    /// the answer (up to the iteration limit); a good guess (the previous frame moved by
    /// the pixel map) saves most of the work along an orbit.
    pub fn reconstruct_from(
        &self,
        config: &SimConfig,
        fields: &Array2<f32>,
        activities: &[f32],
        iterations: usize,
        start: Option<&[f32]>,
    ) -> Result<Vec<f32>, TransformError> {
        check_len("activities", self.neurons(), activities.len())?;
        if let Some(start) = start {
            check_len("starting pattern", self.pixels, start.len())?;
        }
        check_len("receptive fields", self.neurons(), fields.nrows())?;
        check_len("receptive fields (pixels)", self.pixels, fields.ncols())?;
        if config.activation == Activation::Sigmoid {
            let theta = config.threshold;
            let drive: Vec<f32> = activities
                .iter()
                .map(|&a| {
                    let a = a.clamp(1e-6, 1.0 - 1e-6);
                    (a / (1.0 - a)).ln() + theta
                })
                .collect();
            return self.decode(&drive);
        }
        ActiveSet::new(self, config, fields, activities).reconstruct(iterations, start)
    }
}
