//! Hebbian learning of the recurrent graph (SPEC §5), batched.
//!
//! The state holds `W = scale · W_raw` (lazy decay: multiplying `W` by `1 − λ` only
//! multiplies the scalar `scale`, so a step that changes few weights costs little), the
//! node weights `d = scale · d_raw`, and for the covariance rule the running sums that
//! define the mean activity `μ`. The diagonal of `W` is always zero; what a rule would
//! put on the diagonal goes to `d` instead, so `W + diag(d)` is the full Hebbian matrix.
//!
//! With `c = η / B` and activity rows `A` (`B × M`) one step is
//!
//! | rule | update |
//! |---|---|
//! | `Hebb` | `W ← (1−λ)W + c·AᵀA` |
//! | `Covariance` | `W ← (1−λ)W + c·(A−μ)ᵀ(A−μ)`, `μ` = mean of all activities so far, this batch included |
//! | `Oja` | `W ← (1−λ)W + c·(AᵀA − diag(q)·W)`, `q_i = Σ_b a_bi²` |
//! | `Temporal` | `W ← (1−λ)W + c·A(t)ᵀA(t−1)` (row = later frame, column = earlier frame) |
//!
//! The outer-product sum `LᵀR` is accumulated either **sparsely** (per stimulus, only the
//! rows and columns of detectors that fired: `Σ_b n_b²` work) or **densely** (a tiled
//! matrix product on the columns active anywhere in the batch: `B·u²` multiply-adds near
//! the machine's peak); [`PathChoice::Auto`] picks the cheaper by an operation-count
//! estimate ([`super::hebb_accumulate`], [`super::hebb_kernel`]).
//!
//! For the symmetric rules (Hebb, covariance) the sparse path writes only the upper
//! triangle `j > i` and the lower triangle is mirrored when the weights are read; this
//! halves the memory traffic of a single-stimulus update, which is memory-bound.
//!
//! How the weights are stored and read (the lazy scale, the stale triangle, health
//! checks) is `lazy_weights.rs`; a snapshot's copy of them is [`RawWeightsCopy`]. This
//! file holds the rules and the state they update.

use std::borrow::Cow;

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use super::hebb_accumulate::Plan;
pub use super::hebb_kernel::Cancelled;
use super::lazy_weights::LazyWeights;
pub use super::lazy_weights::{MAX_WEIGHT_MAGNITUDE, RENORMALISE_BELOW, StateError};
pub use super::raw_copy::RawWeightsCopy;
use crate::cancel::CancelToken;

use crate::model::config::{LearningRule, SimConfig};

/// Which accumulation path to use for one update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathChoice {
    /// Pick by cost estimate (the default).
    Auto,
    /// Per-stimulus outer products over active detectors only.
    Sparse,
    /// One matrix product over the detectors active anywhere in the batch.
    Dense,
}

/// The path an update actually took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathTaken {
    /// Nothing fired: no weight changed (decay still applied).
    Idle,
    /// Per-stimulus sparse outer products.
    Sparse,
    /// Dense matrix product.
    Dense,
}

/// Learning parameters of one update.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UpdateParams {
    /// The rule.
    pub rule: LearningRule,
    /// Learning rate `η`.
    pub learning_rate: f32,
    /// Decay `λ ∈ [0, 1)` per step.
    pub decay: f32,
}

impl UpdateParams {
    /// The rule, learning rate and decay of `config`.
    pub fn of(config: &SimConfig) -> Self {
        Self {
            rule: config.rule,
            learning_rate: config.learning_rate,
            decay: config.decay,
        }
    }

    /// `(keep, factor)` of the step `W ← keep·W + factor·LᵀR` that a batch of `batch`
    /// stimuli makes under the Hebb and temporal rules, in `f64` (what the block sums of
    /// a view follow): `keep = 1 − λ`, `factor = η / B`.
    pub fn outer_step(&self, batch: usize) -> (f64, f64) {
        (
            1.0 - f64::from(self.decay),
            f64::from(self.learning_rate) / batch.max(1) as f64,
        )
    }
}

/// Weights, node weights and running statistics of a learning layer of `M` detectors.
#[derive(Clone, Debug, PartialEq)]
pub struct HebbianState {
    /// `W` and `d`, stored behind the lazy decay.
    lazy: LazyWeights,
    /// Sum of every activity vector seen so far (the covariance rule's mean `μ`).
    mean_sum: Array1<f64>,
    /// Number of activity vectors in `mean_sum`.
    mean_count: u64,
}

impl HebbianState {
    /// Zero weights for `m` detectors.
    pub fn new(m: usize) -> Self {
        Self {
            lazy: LazyWeights::new(m),
            mean_sum: Array1::zeros(m),
            mean_count: 0,
        }
    }

    /// Rebuilds a state from its persisted parts (see the accessors), checking shapes,
    /// finiteness, a positive scale and a zero diagonal.
    pub fn from_parts(
        w_raw: Array2<f32>,
        d_raw: Array1<f32>,
        scale: f64,
        mean_sum: Array1<f64>,
        mean_count: u64,
    ) -> Result<Self, StateError> {
        let m = d_raw.len();
        if w_raw.dim() != (m, m) || mean_sum.len() != m {
            return Err(StateError(format!(
                "shapes do not fit: W {:?}, d {}, mean {}",
                w_raw.dim(),
                m,
                mean_sum.len()
            )));
        }
        let state = Self {
            lazy: LazyWeights::from_parts(w_raw, d_raw, scale)?,
            mean_sum,
            mean_count,
        };
        state.check_health()?;
        Ok(state)
    }

    /// Checks the whole state: the decay scale in `[RENORMALISE_BELOW, 1]` (the only
    /// values training produces), every weight and node weight finite with magnitude at
    /// most [`MAX_WEIGHT_MAGNITUDE`], the running sums finite. Loading and saving both
    /// call it, so a file is written only if it will be read back. `O(M²)`.
    pub fn check_health(&self) -> Result<(), StateError> {
        self.lazy.check_health()?;
        if let Some(i) = self.mean_sum.iter().position(|v| !v.is_finite()) {
            return Err(StateError(format!(
                "running activity sum {i} is not finite"
            )));
        }
        Ok(())
    }

    /// The cheap part of [`HebbianState::check_health`]: the `M` node weights. For the
    /// symmetric rules `|W_ij| ≤ √(d_i d_j)`, so this notices most divergence at once.
    pub fn check_node_weights(&self) -> Result<(), StateError> {
        self.lazy.check_node_weights()
    }

    /// Whether `W` is exactly symmetric (so far only the symmetric rules, Hebb and
    /// covariance, have been applied, or a loaded `W` equalled its transpose).
    pub fn is_symmetric(&self) -> bool {
        self.lazy.is_symmetric()
    }

    /// Number of detectors `M`.
    pub fn neurons(&self) -> usize {
        self.lazy.neurons()
    }

    /// The raw weight buffer (`W = scale · W_raw`), both triangles current (borrowed
    /// when no mirroring is pending).
    pub fn raw_weights(&self) -> Cow<'_, Array2<f32>> {
        self.lazy.raw_weights()
    }

    /// Makes both triangles of the raw buffer current, in place (a symmetric rule's
    /// updates write the upper one only). Nothing observable changes; afterwards
    /// [`HebbianState::raw_weights`] borrows instead of copying — at M = 16,384 a
    /// copy would be another GiB.
    pub fn mirror_now(&mut self) {
        self.lazy.mirror_now();
    }

    /// Calls `f(first_row, rows)` with the raw weights (`W = scale · W_raw`, both
    /// triangles) a block of whole rows at a time, without copying the matrix: what a
    /// file writer streams ([`super::upper_rows::for_each_row_block`]).
    pub fn for_each_raw_row_block<E>(
        &self,
        f: impl FnMut(usize, &[f32]) -> Result<(), E>,
    ) -> Result<(), E> {
        self.lazy.for_each_raw_row_block(f)
    }

    /// The raw node weights (`d = scale · d_raw`).
    pub fn raw_node_weights(&self) -> ArrayView1<'_, f32> {
        self.lazy.raw_node_weights()
    }

    /// The lazy decay scale.
    pub fn scale(&self) -> f64 {
        self.lazy.scale()
    }

    /// Sum of all activities seen so far (covariance rule; zero otherwise).
    pub fn mean_sum(&self) -> ArrayView1<'_, f64> {
        self.mean_sum.view()
    }

    /// Number of stimuli summed in [`HebbianState::mean_sum`].
    pub fn mean_count(&self) -> u64 {
        self.mean_count
    }

    /// One weight `w_ij`, bit-identical to the entry of [`HebbianState::weights`], without
    /// materialising `W` (pinned cells read a few weights at every recorded step); `None`
    /// outside the matrix.
    pub fn weight(&self, i: usize, j: usize) -> Option<f32> {
        self.lazy.weight(i, j)
    }

    /// The weights `w_ij` for `i` in `rows` and `j` in `cols`, row-major
    /// (`rows.len() × cols.len()`; `NaN` for an index outside the matrix), bit-identical
    /// to [`HebbianState::weight`] cell by cell but read in storage order: what a window
    /// of a large `W` in a display order, or one row of it, costs to copy.
    pub fn weights_at(&self, rows: &[usize], cols: &[usize]) -> Vec<f32> {
        self.lazy.gather(rows, cols)
    }

    /// Materialised weights `W = scale · W_raw`.
    pub fn weights(&self) -> Array2<f32> {
        self.raw_copy_into(None).materialise()
    }

    /// A plain copy of the raw weight buffer into `buffer` (reused when it already has
    /// the shape `M × M` in standard layout), to be turned into `W` later, on any
    /// thread, by [`RawWeightsCopy::materialise`] — or read as it is through
    /// [`RawWeightsCopy::value`]. The copy is one sequential pass, over the upper
    /// triangle only while the lower one is stale; the scaling and mirroring that
    /// [`HebbianState::weights`] does are left for later, so a simulation thread taking
    /// snapshots is held up as little as possible.
    pub fn raw_copy_into(&self, buffer: Option<Array2<f32>>) -> RawWeightsCopy {
        self.lazy.raw_copy_into(buffer)
    }

    /// Materialised node weights `d = scale · d_raw`.
    pub fn node_weights(&self) -> Array1<f32> {
        self.lazy.node_weights()
    }

    /// Back to zero weights.
    pub fn reset(&mut self) {
        *self = Self::new(self.neurons());
    }

    /// One learning step on activity rows `current` (`B × M`); `previous` holds the
    /// preceding frames for the temporal rule (it is ignored by the other rules; when it is
    /// missing the temporal rule uses `current`, i.e. behaves like Hebb). Rows with the wrong
    /// number of columns are ignored (the simulation never produces them).
    pub fn update(
        &mut self,
        params: &UpdateParams,
        current: ArrayView2<f32>,
        previous: Option<ArrayView2<f32>>,
        path: PathChoice,
    ) -> PathTaken {
        // Without a token nothing can cancel the step.
        self.try_update(params, current, previous, path, None)
            .unwrap_or(PathTaken::Idle)
    }

    /// [`HebbianState::update`] that checks `cancel` while it computes: an expensive step
    /// computes its increments aside first (the dense kernel's tiles, or a sparse
    /// scratch matrix), and a cancellation seen until then returns [`Cancelled`] with the
    /// state exactly as before the step. The result does not depend on the token.
    pub fn try_update(
        &mut self,
        params: &UpdateParams,
        current: ArrayView2<f32>,
        previous: Option<ArrayView2<f32>>,
        path: PathChoice,
        cancel: Option<&CancelToken>,
    ) -> Result<PathTaken, Cancelled> {
        let m = self.neurons();
        let batch = current.nrows();
        if batch == 0 || current.ncols() != m {
            return Ok(PathTaken::Idle);
        }
        if cancel.is_some_and(CancelToken::is_cancelled) {
            return Err(Cancelled);
        }
        let keep = 1.0 - f64::from(params.decay);
        let new_scale = self.lazy.scale() * keep;
        let c = (f64::from(params.learning_rate) / batch as f64 / new_scale) as f32;
        let symmetric_rule = matches!(params.rule, LearningRule::Hebb | LearningRule::Covariance);
        let upper = symmetric_rule && self.lazy.is_symmetric();
        // Covariance: the running sums with this batch, kept aside until the step can no
        // longer be cancelled.
        let mut mean_sum = None;
        let centred = if params.rule == LearningRule::Covariance {
            let mut sums = self.mean_sum.clone();
            for row in current.rows() {
                for (s, &a) in sums.iter_mut().zip(row) {
                    *s += f64::from(a);
                }
            }
            let n = (self.mean_count + batch as u64) as f64;
            let mu: Array1<f32> = sums.mapv(|s| (s / n) as f32);
            mean_sum = Some(sums);
            Some(&current - &mu)
        } else {
            None
        };
        let (left, right, upper_only) = match (params.rule, &centred) {
            (LearningRule::Temporal, _) => {
                let prev = previous
                    .filter(|p| p.dim() == current.dim())
                    .unwrap_or(current);
                (current, prev, false)
            }
            (LearningRule::Covariance, Some(x)) => (x.view(), x.view(), upper),
            (LearningRule::Oja, _) => (current, current, false),
            _ => (current, current, upper),
        };
        let plan = Plan::new(left, right, path, upper_only);
        let prepared = match (&plan, cancel) {
            (Some(plan), Some(token)) => plan.prepare(m, token)?,
            _ => None,
        };
        // From here on the step runs to its end.
        self.lazy.begin_step(new_scale, upper, symmetric_rule);
        if let Some(sums) = mean_sum {
            self.mean_sum = sums;
            self.mean_count += batch as u64;
        }
        if params.rule == LearningRule::Oja {
            // Row i of W shrinks by c·q_i (relative to the decayed W), q_i = Σ_b a_bi².
            let cq_scale = f64::from(params.learning_rate) / batch as f64 / keep;
            let mut q = vec![0.0f64; m];
            for row in current.rows() {
                for (qi, &a) in q.iter_mut().zip(row) {
                    *qi += f64::from(a) * f64::from(a);
                }
            }
            for (i, &qi) in q.iter().enumerate() {
                if qi != 0.0 {
                    self.lazy.scale_row(i, (1.0 - cq_scale * qi) as f32);
                }
            }
        }
        let taken = match (&plan, self.lazy.raw_slices_mut()) {
            (Some(plan), Some((w, d))) => plan.apply(w, d, c, prepared),
            _ => PathTaken::Idle,
        };
        self.lazy.renormalise_if_small();
        Ok(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn hebb_step_matches_hand_computation() {
        let mut s = HebbianState::new(3);
        let p = UpdateParams {
            rule: LearningRule::Hebb,
            learning_rate: 0.5,
            decay: 0.0,
        };
        let a = array![[1.0f32, 2.0, 0.0], [0.0, 1.0, 3.0]];
        for path in [PathChoice::Sparse, PathChoice::Dense] {
            s.reset();
            s.update(&p, a.view(), None, path);
            // c = 0.25; AᵀA = [[1,2,0],[2,5,3],[0,3,9]]
            assert_eq!(
                s.weights(),
                array![[0.0, 0.5, 0.0], [0.5, 0.0, 0.75], [0.0, 0.75, 0.0]]
            );
            assert_eq!(s.node_weights(), array![0.25, 1.25, 2.25]);
        }
    }

    /// A window gathered in storage order holds, bit for bit, the weights read one by
    /// one — below and above the diagonal, with the lower triangle stale (Hebb) or
    /// current (temporal), decayed or not — and `NaN` outside the matrix.
    #[test]
    fn weights_at_reads_what_weight_reads() {
        let m = 37;
        let a = Array2::from_shape_fn((5, m), |(b, i)| ((i * 7 + b * 3) % 4) as f32 / 3.0);
        for (rule, decay) in [(LearningRule::Hebb, 0.1), (LearningRule::Temporal, 0.0)] {
            let mut s = HebbianState::new(m);
            let p = UpdateParams {
                rule,
                learning_rate: 0.3,
                decay,
            };
            let previous = a.slice(ndarray::s![..;-1, ..]);
            for _ in 0..2 {
                s.update(&p, a.view(), Some(previous), PathChoice::Sparse);
            }
            let rows = [30, 2, 17, 36, 40, 5];
            let cols = [0, 17, 36, 3, 29, 2, 100, 31];
            let got = s.weights_at(&rows, &cols);
            for (a, &i) in rows.iter().enumerate() {
                for (c, &j) in cols.iter().enumerate() {
                    let want = s.weight(i, j).unwrap_or(f32::NAN);
                    let cell = got[a * cols.len() + c];
                    assert_eq!(cell.to_bits(), want.to_bits(), "{rule:?} ({i}, {j})");
                }
            }
        }
    }

    #[test]
    fn a_materialised_raw_copy_is_bit_identical_to_weights_for_any_buffer() {
        let m = 150; // not a multiple of the tile size
        let a = Array2::from_shape_fn((6, m), |(b, i)| {
            if (i * 7 + b * 3) % 5 == 0 {
                ((i * 13 + b * 29) % 17) as f32 / 7.0
            } else {
                0.0
            }
        });
        for rule in [LearningRule::Hebb, LearningRule::Temporal] {
            for decay in [0.0, 0.1] {
                let mut s = HebbianState::new(m);
                let p = UpdateParams {
                    rule,
                    learning_rate: 0.3,
                    decay,
                };
                let previous = a.slice(ndarray::s![..;-1, ..]);
                for _ in 0..3 {
                    s.update(&p, a.view(), Some(previous), PathChoice::Sparse);
                }
                assert_eq!(s.lazy.upper_only(), rule == LearningRule::Hebb);
                assert_eq!(s.is_symmetric(), rule == LearningRule::Hebb);
                let want = s.weights();
                let buffers = [
                    None,
                    Some(Array2::from_elem((m, m), f32::NAN)),
                    Some(Array2::zeros((3, 4))),
                    Some(Array2::zeros((m, m)).reversed_axes()),
                ];
                for buffer in buffers {
                    let out = s.raw_copy_into(buffer).materialise();
                    assert_eq!(out.dim(), (m, m));
                    let same = out
                        .iter()
                        .zip(&want)
                        .all(|(x, y)| x.to_bits() == y.to_bits());
                    assert!(
                        same,
                        "{rule:?}, decay {decay}: the materialised copy differs"
                    );
                }
            }
        }
    }
}
