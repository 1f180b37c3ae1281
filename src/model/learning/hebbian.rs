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

use std::borrow::Cow;

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, s};

use super::hebb_accumulate::Plan;
pub use super::hebb_kernel::Cancelled;
use crate::cancel::CancelToken;

use crate::model::config::LearningRule;

/// When the lazy decay scale falls below this, it is folded into the raw buffers; so a
/// healthy state's scale always lies in `[RENORMALISE_BELOW, 1]`.
pub const RENORMALISE_BELOW: f64 = 1e-6;

/// The largest `|w|` or `|d|` a healthy state holds. Beyond it training has diverged (a
/// real run stays many orders of magnitude below; squares of such weights still fit
/// comfortably in the `f64` sums of the metrics and the search).
pub const MAX_WEIGHT_MAGNITUDE: f64 = 1e18;

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

/// A raw state that does not fit together (wrong shapes, non-positive scale).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid learning state: {0}")]
pub struct StateError(pub String);

/// Weights, node weights and running statistics of a learning layer of `M` detectors.
#[derive(Clone, Debug)]
pub struct HebbianState {
    w_raw: Array2<f32>,
    /// True when only the upper triangle of `w_raw` is current (symmetric rules); the
    /// lower triangle is then stale and is mirrored on every read.
    lower_stale: bool,
    /// True while `W` is exactly symmetric (only symmetric rules so far), which is
    /// what allows the upper-triangle shortcut.
    symmetric: bool,
    d_raw: Array1<f32>,
    scale: f64,
    mean_sum: Array1<f64>,
    mean_count: u64,
}

impl PartialEq for HebbianState {
    /// Equal when every observable part is equal (a stale lower triangle is not observable).
    fn eq(&self, other: &Self) -> bool {
        *self.raw_weights() == *other.raw_weights()
            && self.d_raw == other.d_raw
            && self.scale.to_bits() == other.scale.to_bits()
            && self.mean_sum == other.mean_sum
            && self.mean_count == other.mean_count
    }
}

/// The raw weights of a [`HebbianState`] copied at one moment, not yet scaled or
/// mirrored (see [`HebbianState::raw_copy_into`]).
#[derive(Clone, Debug)]
pub struct RawWeightsCopy {
    raw: Array2<f32>,
    scale: f64,
    lower_stale: bool,
    symmetric: bool,
}

impl RawWeightsCopy {
    /// Finishes the copy in place into `W = scale · W_raw` with both triangles current —
    /// bit-identical to [`HebbianState::weights`] at the moment of the copy.
    pub fn materialise(mut self) -> Array2<f32> {
        let s = self.scale;
        let scale = |w: &mut f32| *w = scaled(*w, s);
        if self.lower_stale {
            // Only the upper triangle (diagonal included) was copied; scale it, then
            // mirror it over whatever the buffer held below.
            if s != 1.0 {
                for (i, mut row) in self.raw.rows_mut().into_iter().enumerate() {
                    row.slice_mut(s![i..]).iter_mut().for_each(scale);
                }
            }
            mirror_upper(&mut self.raw);
        } else if s != 1.0 {
            self.raw.iter_mut().for_each(scale);
        }
        self.raw
    }

    /// Whether the copy already is `W` (no scaling or mirroring pending).
    pub fn is_materialised(&self) -> bool {
        self.scale == 1.0 && !self.lower_stale
    }

    /// The copied buffer: `W = scale · raw`, where only the upper triangle (diagonal
    /// included) is meaningful when [`RawWeightsCopy::upper_only`].
    pub fn raw(&self) -> ArrayView2<'_, f32> {
        self.raw.view()
    }

    /// The lazy decay scale of the copy.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Only the upper triangle was copied (`W` is symmetric; the lower one is stale).
    pub fn upper_only(&self) -> bool {
        self.lower_stale
    }

    /// `W` is exactly symmetric (see [`HebbianState::is_symmetric`]).
    pub fn is_symmetric(&self) -> bool {
        self.symmetric
    }

    /// `w_ij`, bit-identical to the materialised matrix's entry.
    pub fn value(&self, i: usize, j: usize) -> f32 {
        let (i, j) = if self.lower_stale && i > j {
            (j, i)
        } else {
            (i, j)
        };
        scaled(self.raw[[i, j]], self.scale)
    }

    /// The buffer, for reuse by the next copy.
    pub fn into_buffer(self) -> Array2<f32> {
        self.raw
    }
}

/// Copies `src` into `dst` (equal lengths) with non-temporal stores where the CPU has
/// them: a snapshot's copy is read next by another thread, not by the simulation, so
/// writing it around the caches keeps the simulation's own working set (its 16 MB
/// weight matrix at M = 2048) cached and skips reading every destination line first.
/// Call [`streaming_done`] after the last one.
fn copy_streaming(dst: &mut [f32], src: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_loadu_ps, _mm_stream_ps};
        let n = dst.len().min(src.len());
        // Plain stores up to the first 16-byte boundary of the destination.
        let head = dst.as_ptr().align_offset(16).min(n);
        dst[..head].copy_from_slice(&src[..head]);
        let body = (n - head) / 4 * 4;
        for k in (head..head + body).step_by(4) {
            // SAFETY: SSE is part of x86_64. `k + 4 <= n` for both slices; the load is
            // unaligned-safe and the destination address is 16-byte aligned, since it
            // starts at the boundary `head` and advances by 16 bytes.
            unsafe {
                let v = _mm_loadu_ps(src.as_ptr().add(k));
                _mm_stream_ps(dst.as_mut_ptr().add(k), v);
            }
        }
        dst[head + body..n].copy_from_slice(&src[head + body..n]);
    }
    #[cfg(not(target_arch = "x86_64"))]
    dst.copy_from_slice(src);
}

/// Orders the non-temporal stores of [`copy_streaming`] before anything that follows
/// (the copy is then handed to another thread).
fn streaming_done() {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE is part of x86_64; a store fence has no other effect.
    unsafe {
        std::arch::x86_64::_mm_sfence();
    }
}

/// Copies the upper triangle onto the lower one (a square matrix in standard layout;
/// anything else is left alone).
fn mirror_upper(w: &mut Array2<f32>) {
    let m = w.nrows();
    if let Some(ws) = w.as_slice_mut() {
        mirror_upper_triangle(ws, m);
    }
}

/// Copies the upper triangle of the row-major `m × m` matrix `ws` onto the lower one.
/// Off-diagonal 8 × 8 blocks are read as eight row pieces and written transposed as
/// eight row pieces (twice as fast as a tiled element-by-element copy at M = 2048, and
/// clear of the cache-set conflicts a power-of-two row length gives bigger tiles); the
/// diagonal blocks and a ragged edge go element by element. Does nothing unless
/// `ws.len() == m * m`.
pub fn mirror_upper_triangle(ws: &mut [f32], m: usize) {
    const B: usize = 8;
    if ws.len() != m * m {
        return;
    }
    let whole = m / B * B;
    for ib in (0..whole).step_by(B) {
        for jb in (0..ib).step_by(B) {
            let mut block = [[0.0f32; B]; B];
            for (a, row) in block.iter_mut().enumerate() {
                let start = (jb + a) * m + ib;
                row.copy_from_slice(&ws[start..start + B]);
            }
            let mut transposed = [[0.0f32; B]; B];
            for (a, row) in block.iter().enumerate() {
                for (b, &v) in row.iter().enumerate() {
                    transposed[b][a] = v;
                }
            }
            for (b, row) in transposed.iter().enumerate() {
                let start = (ib + b) * m + jb;
                ws[start..start + B].copy_from_slice(row);
            }
        }
        for i in ib..ib + B {
            for j in ib..i {
                ws[i * m + j] = ws[j * m + i];
            }
        }
    }
    for i in whole..m {
        for j in 0..i {
            ws[i * m + j] = ws[j * m + i];
        }
    }
}

impl HebbianState {
    /// Zero weights for `m` detectors.
    pub fn new(m: usize) -> Self {
        let mut w_raw = Array2::zeros((m, m));
        advise_huge_pages(&mut w_raw);
        Self {
            w_raw,
            lower_stale: false,
            symmetric: true,
            d_raw: Array1::zeros(m),
            scale: 1.0,
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
        if (0..m).any(|i| w_raw[[i, i]] != 0.0) {
            return Err(StateError("the diagonal of W must be zero".into()));
        }
        // No copy when the matrix already is in standard layout (a loaded 1 GiB W).
        let w_raw = if w_raw.is_standard_layout() {
            w_raw
        } else {
            w_raw.as_standard_layout().into_owned()
        };
        let symmetric = w_raw
            .as_slice()
            .is_some_and(|w| super::upper_rows::is_symmetric(w, m));
        let state = Self {
            w_raw,
            lower_stale: false,
            symmetric,
            d_raw,
            scale,
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
        let s = self.scale;
        if !(RENORMALISE_BELOW..=1.0).contains(&s) {
            return Err(StateError(format!(
                "decay scale {s:e} outside [{RENORMALISE_BELOW:e}, 1]"
            )));
        }
        self.check_node_weights()?;
        // Only the current cells: the upper triangle while the lower one is stale.
        let m = self.neurons();
        let bad = self
            .w_raw
            .rows()
            .into_iter()
            .enumerate()
            .find_map(|(i, row)| {
                let from = if self.lower_stale { i } else { 0 };
                let row = row.slice_move(s![from..]);
                row.iter()
                    .position(|&v| !within_limit(v, s))
                    .map(|j| (i, from + j, row[j]))
            });
        if let Some((i, j, v)) = bad.filter(|_| m > 0) {
            return Err(StateError(format!(
                "weight ({i}, {j}) = {:e} is not finite or beyond ±{MAX_WEIGHT_MAGNITUDE:e}",
                f64::from(v) * s
            )));
        }
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
        let s = self.scale;
        match self.d_raw.iter().position(|&v| !within_limit(v, s)) {
            Some(i) => Err(StateError(format!(
                "node weight {i} = {:e} is not finite or beyond ±{MAX_WEIGHT_MAGNITUDE:e}",
                f64::from(self.d_raw[i]) * s
            ))),
            None => Ok(()),
        }
    }

    /// Whether `W` is exactly symmetric (so far only the symmetric rules, Hebb and
    /// covariance, have been applied, or a loaded `W` equalled its transpose).
    pub fn is_symmetric(&self) -> bool {
        self.symmetric
    }

    /// Number of detectors `M`.
    pub fn neurons(&self) -> usize {
        self.d_raw.len()
    }

    /// The raw weight buffer (`W = scale · W_raw`), both triangles current (borrowed
    /// when no mirroring is pending).
    pub fn raw_weights(&self) -> Cow<'_, Array2<f32>> {
        if self.lower_stale {
            let mut w = self.w_raw.clone();
            mirror_upper(&mut w);
            Cow::Owned(w)
        } else {
            Cow::Borrowed(&self.w_raw)
        }
    }

    /// Makes both triangles of the raw buffer current, in place (a symmetric rule's
    /// updates write the upper one only). Nothing observable changes; afterwards
    /// [`HebbianState::raw_weights`] borrows instead of copying — at M = 16,384 a
    /// copy would be another GiB.
    pub fn mirror_now(&mut self) {
        if self.lower_stale {
            mirror_upper(&mut self.w_raw);
            self.lower_stale = false;
        }
    }

    /// Calls `f(first_row, rows)` with the raw weights (`W = scale · W_raw`, both
    /// triangles) a block of whole rows at a time, without copying the matrix: what a
    /// file writer streams ([`super::upper_rows::for_each_row_block`]).
    pub fn for_each_raw_row_block<E>(
        &self,
        f: impl FnMut(usize, &[f32]) -> Result<(), E>,
    ) -> Result<(), E> {
        match self.w_raw.as_slice() {
            Some(w) => {
                super::upper_rows::for_each_row_block(w, self.neurons(), self.lower_stale, f)
            }
            None => Ok(()),
        }
    }

    /// The raw node weights (`d = scale · d_raw`).
    pub fn raw_node_weights(&self) -> ArrayView1<'_, f32> {
        self.d_raw.view()
    }

    /// The lazy decay scale.
    pub fn scale(&self) -> f64 {
        self.scale
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
        let (i, j) = if self.lower_stale && i > j {
            (j, i)
        } else {
            (i, j)
        };
        self.w_raw.get([i, j]).map(|&w| scaled(w, self.scale))
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
        let m = self.neurons();
        let raw = match buffer {
            Some(mut b) if b.dim() == (m, m) && b.is_standard_layout() => {
                match (self.lower_stale, b.as_slice_mut(), self.w_raw.as_slice()) {
                    // The lower triangle is stale anyway: copy the upper one (diagonal
                    // included) only, half the traffic; materialising mirrors it.
                    (true, Some(dst), Some(src)) => {
                        for (i, (d, s)) in
                            dst.chunks_exact_mut(m).zip(src.chunks_exact(m)).enumerate()
                        {
                            copy_streaming(&mut d[i..], &s[i..]);
                        }
                        streaming_done();
                    }
                    _ => b.assign(&self.w_raw),
                }
                b
            }
            _ => self.w_raw.clone(),
        };
        RawWeightsCopy {
            raw,
            scale: self.scale,
            lower_stale: self.lower_stale,
            symmetric: self.symmetric,
        }
    }

    /// Materialised node weights `d = scale · d_raw`.
    pub fn node_weights(&self) -> Array1<f32> {
        materialise(&self.d_raw, self.scale)
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
        let new_scale = self.scale * keep;
        let c = (f64::from(params.learning_rate) / batch as f64 / new_scale) as f32;
        let symmetric_rule = matches!(params.rule, LearningRule::Hebb | LearningRule::Covariance);
        let upper = symmetric_rule && self.symmetric;
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
        self.scale = new_scale;
        if upper {
            self.lower_stale = true;
        } else {
            if self.lower_stale {
                mirror_upper(&mut self.w_raw);
                self.lower_stale = false;
            }
            self.symmetric &= symmetric_rule;
        }
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
                    let factor = (1.0 - cq_scale * qi) as f32;
                    self.w_raw.row_mut(i).mapv_inplace(|w| w * factor);
                    self.d_raw[i] *= factor;
                }
            }
        }
        let taken = match (&plan, self.w_raw.as_slice_mut(), self.d_raw.as_slice_mut()) {
            (Some(plan), Some(w), Some(d)) => plan.apply(w, d, c, prepared),
            _ => PathTaken::Idle,
        };
        if self.scale < RENORMALISE_BELOW {
            let s = self.scale;
            self.w_raw.mapv_inplace(|w| (f64::from(w) * s) as f32);
            self.d_raw.mapv_inplace(|w| (f64::from(w) * s) as f32);
            self.scale = 1.0;
        }
        Ok(taken)
    }
}

/// Asks the kernel to back a large weight buffer with huge pages (Linux, where
/// transparent huge pages are on "madvise"): the sparse path's scattered updates of a
/// 1 GiB `W` then miss the TLB far less. Advice only; nothing changes if it is refused.
fn advise_huge_pages(w: &mut Array2<f32>) {
    #[cfg(target_os = "linux")]
    if let Some(slice) = w.as_slice_mut()
        && slice.len() * 4 >= 64 << 20
    {
        const HUGE: usize = 2 << 20;
        let start = slice.as_mut_ptr() as usize;
        let end = start + slice.len() * 4;
        let aligned = start.next_multiple_of(HUGE);
        if aligned < end {
            // SAFETY: the range lies inside the live allocation of `slice`; MADV_HUGEPAGE
            // only changes how the kernel backs it, never its contents.
            unsafe {
                libc::madvise(
                    aligned as *mut libc::c_void,
                    (end - aligned) / HUGE * HUGE,
                    libc::MADV_HUGEPAGE,
                );
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = w;
}

/// Whether the raw value `v` times `scale` is finite and within the magnitude limit.
fn within_limit(v: f32, scale: f64) -> bool {
    (f64::from(v) * scale).abs() <= MAX_WEIGHT_MAGNITUDE
}

fn materialise<D: ndarray::Dimension>(
    raw: &ndarray::Array<f32, D>,
    scale: f64,
) -> ndarray::Array<f32, D> {
    if scale == 1.0 {
        raw.clone()
    } else {
        raw.mapv(|w| scaled(w, scale))
    }
}

/// One raw weight times the lazy decay scale, rounded as every materialised copy
/// rounds it (a scale of exactly 1 leaves the bits alone).
fn scaled(w: f32, scale: f64) -> f32 {
    if scale == 1.0 {
        w
    } else {
        (f64::from(w) * scale) as f32
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
                assert_eq!(s.lower_stale, rule == LearningRule::Hebb);
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

    #[test]
    fn mirroring_copies_the_upper_triangle_exactly() {
        for m in [0, 1, 7, 8, 9, 150] {
            let original = Array2::from_shape_fn((m, m), |(i, j)| (i * 1000 + j) as f32);
            let mut w = original.clone();
            mirror_upper(&mut w);
            for i in 0..m {
                for j in 0..m {
                    let want = original[[i.min(j), i.max(j)]];
                    assert_eq!(w[[i, j]], want, "m {m}, ({i}, {j})");
                }
            }
        }
    }
}
