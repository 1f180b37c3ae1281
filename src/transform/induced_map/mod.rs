//! The map on input positions, pixels and kernels that a permutation of neurons induces.
//!
//! Two votes, both over neurons:
//!
//! - **Positions** (SPEC §7): each neuron `i` votes "the receptive-field centre of `i`
//!   goes to the centre of `π(i)`". Neurons sharing a centre form a *position*; the
//!   majority of their votes is that position's image, and the fraction of all
//!   neurons whose vote agrees with their position's majority is the map's
//!   [`InducedMap::confidence`]. Centres are compared exactly (to 10⁻³ pixel, modulo
//!   the period on a ring or torus), so half-pixel centres of even-sized kernels cause
//!   no rounding ambiguity. Kernels are voted on the same way, by
//!   `(kernel, rotation)` label.
//! - **Pixels** (what the crisp rendering applies): every neuron votes for pixel
//!   pairs `(p, q)` with the weight `f_i[p] · f_{π(i)}[q]`, i.e. the pair score is
//!   `S = Fᵀ F_π`; normalised by the pixels' coverage,
//!   `Ŝ[p][q] = S[p][q] / √(G[p][p] G[q][q])` with `G = FᵀF`, it is 1 exactly when
//!   `π` is induced by a pixel permutation `g` and `q = g(p)`, and smaller the worse
//!   `π` fits any pixel map. Pixel `p` goes to `argmax_q Ŝ[p][q]`; the crisp
//!   rendering pulls each output pixel `q` from `argmax_p Ŝ[p][q]`. This needs no
//!   labels and no rounding of centres.
//!
//! - **Contrast**: a bank with both signs of each field (ON and OFF detectors of a
//!   learned filter) has a symmetry that swaps the two: `f_{π(i)} = −f_i`, so
//!   `Ŝ ≈ −1` on the diagonal and no pixel map fits. When the vote on `−S` fits
//!   better than the vote on `S` (mean best score over covered pixels) and reaches
//!   at least half of an exact fit, the map is taken with inverted contrast
//!   ([`InducedMap::inverted`]): the pixel map of `−S`, applied as
//!   `out[q] = −pattern[source[q]]`, e.g. "invert contrast" for the
//!   world's `s ↦ −s`, or "invert contrast, then shift +1".
//!
//! Where the bank has no information the vote is completed by the space's geometry:
//! among the exact symmetries of the space (SPEC §2) the one that agrees with the most
//! unambiguous pixel votes is found ([`InducedMap::matched`]); it breaks ties between
//! pixels the bank cannot tell apart (identical coverage, e.g. corners of a square
//! covered by one position only) and maps pixels that no receptive field covers
//! (score 0, flagged in [`InducedMap::covered`]). If no symmetry agrees with at least
//! half of the unambiguous votes, ties go to the lowest index and uncovered pixels stay
//! where they are.

mod label_vote;
mod pixel_vote;
#[cfg(test)]
pub(crate) mod tests;

use ndarray::Array2;

pub use label_vote::{KernelVote, PositionVote};

use super::{TransformError, check_len};
use crate::model::{NeuronLabel, Space, Transformation};
use crate::perm::Permutation;
use label_vote::{kernel_vote, position_vote};
use pixel_vote::PixelVote;

/// Everything a permutation of neurons does to the input, with confidences.
#[derive(Clone, Debug, PartialEq)]
pub struct InducedMap {
    /// Forward pixel map: pixel `p` goes to `target[p]`.
    pub target: Vec<usize>,
    /// Pull-back used for rendering: output pixel `q` takes the value of input pixel `source[q]`.
    pub source: Vec<usize>,
    /// `Ŝ[source[q]][q]` per output pixel `q`: 1 = exact, lower = worse fit, 0 = uncovered.
    pub pixel_score: Vec<f32>,
    /// Whether any receptive field covers each pixel.
    pub covered: Vec<bool>,
    /// The position map: one majority vote per distinct receptive-field centre.
    pub positions: Vec<PositionVote>,
    /// Fraction of neurons whose position vote agrees with the majority at their centre.
    pub confidence: f64,
    /// The kernel map (empty when the bank has no kernel labels, e.g. a random bank).
    pub kernels: Vec<KernelVote>,
    /// Fraction of neurons whose kernel vote agrees with the majority (None without kernels).
    pub kernel_confidence: Option<f64>,
    /// The exact symmetry of the space closest to the pixel map, with the fraction of
    /// covered pixels on which they agree (`None` if no symmetry agrees with half of them).
    pub matched: Option<(Transformation, f64)>,
    /// The permuted fields match the moved fields with the opposite sign: the map
    /// inverts contrast as well as moving pixels (module docs).
    pub inverted: bool,
}

impl InducedMap {
    /// Computes the induced maps of `pi` for a bank with `fields` (M × pixels, stored
    /// order) and `labels` (stored order) on `space`.
    pub fn new(
        space: Space,
        fields: &Array2<f32>,
        labels: &[NeuronLabel],
        pi: &Permutation,
    ) -> Result<Self, TransformError> {
        let neurons = fields.nrows();
        let pixels = fields.ncols();
        check_len(
            "receptive fields (pixels)",
            super::pixel_count(space),
            pixels,
        )?;
        check_len("permutation", neurons, pi.len())?;
        check_len("labels", neurons, labels.len())?;
        if neurons == 0 || pixels == 0 {
            return Err(TransformError::EmptyBank(format!(
                "{neurons} detectors over {pixels} pixels"
            )));
        }
        let vote = PixelVote::new(space, fields, pi);
        let (positions, confidence) = position_vote(space, labels, pi);
        let (kernels, kernel_confidence) = kernel_vote(labels, pi);
        Ok(Self {
            target: vote.target,
            source: vote.source,
            pixel_score: vote.pixel_score,
            covered: vote.covered,
            positions,
            confidence,
            kernels,
            kernel_confidence,
            matched: vote.matched,
            inverted: vote.inverted,
        })
    }

    /// The name of the matched symmetry, with the contrast inversion if there is one:
    /// "shift +1", "invert contrast", "invert contrast, then reflect"; `None` without a
    /// match.
    pub fn description(&self, space: Space) -> Option<String> {
        self.matched.map(|(t, _)| match (self.inverted, t) {
            (false, t) => space.describe(t),
            (true, Transformation::Identity) => "invert contrast".to_string(),
            (true, t) => format!("invert contrast, then {}", space.describe(t)),
        })
    }

    /// Number of pixels.
    pub fn pixels(&self) -> usize {
        self.source.len()
    }

    /// Mean of [`InducedMap::pixel_score`] over covered pixels (1 for an exact pixel map).
    pub fn mean_pixel_score(&self) -> f64 {
        let scores: Vec<f64> = self
            .pixel_score
            .iter()
            .zip(&self.covered)
            .filter(|&(_, &c)| c)
            .map(|(&s, _)| s as f64)
            .collect();
        if scores.is_empty() {
            0.0
        } else {
            scores.iter().sum::<f64>() / scores.len() as f64
        }
    }

    /// The forward pixel map as a permutation, if it is one (exact or nearly exact `π`,
    /// and no contrast inversion).
    pub fn pixel_permutation(&self) -> Option<Permutation> {
        if self.inverted {
            return None;
        }
        let forward = Permutation::from_images(self.target.clone()).ok()?;
        // The rendering pulls back through `source`; only call it a permutation when both agree.
        let consistent = (0..self.pixels()).all(|q| self.target[self.source[q]] == q);
        consistent.then_some(forward)
    }

    /// The crisp rendering: applies the pixel map once, `out[q] = pattern[source[q]]`
    /// (`−pattern[source[q]]` for an [`InducedMap::inverted`] map).
    pub fn apply(&self, pattern: &[f32]) -> Result<Vec<f32>, TransformError> {
        check_len("pattern", self.pixels(), pattern.len())?;
        let sign = if self.inverted { -1.0 } else { 1.0 };
        Ok(self.source.iter().map(|&p| sign * pattern[p]).collect())
    }
}
