//! The stored weights of a learning layer: `W = scale · W_raw` and `d = scale · d_raw`
//! with a lazy decay (multiplying `W` by `1 − λ` only multiplies the scalar `scale`, so a
//! step that changes few weights costs little), and, for the symmetric rules, only the
//! upper triangle of `W_raw` kept current (the lower one is mirrored when read, which
//! halves the memory traffic of a memory-bound single-stimulus update).
//!
//! This type owns how the weights are *stored and read*; the rules that change them are
//! [`super::HebbianState`]'s.

use std::borrow::Cow;

use ndarray::{Array1, Array2, ArrayView1, s};

use super::mirror::mirror_upper;
use super::raw_copy::{RawWeightsCopy, scaled};

/// When the lazy decay scale falls below this, it is folded into the raw buffers; so a
/// healthy state's scale always lies in `[RENORMALISE_BELOW, 1]`.
pub const RENORMALISE_BELOW: f64 = 1e-6;

/// The largest `|w|` or `|d|` a healthy state holds. Beyond it training has diverged (a
/// real run stays many orders of magnitude below; squares of such weights still fit
/// comfortably in the `f64` sums of the metrics and the search).
pub const MAX_WEIGHT_MAGNITUDE: f64 = 1e18;

/// A raw state that does not fit together (wrong shapes, non-positive scale).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid learning state: {0}")]
pub struct StateError(pub String);

/// `W` and `d` of `M` detectors behind one lazy decay scale.
#[derive(Clone, Debug)]
pub(super) struct LazyWeights {
    w_raw: Array2<f32>,
    /// True when only the upper triangle of `w_raw` is current (symmetric rules); the
    /// lower triangle is then stale and is mirrored on every read.
    lower_stale: bool,
    /// True while `W` is exactly symmetric (only symmetric rules so far), which is
    /// what allows the upper-triangle shortcut.
    symmetric: bool,
    d_raw: Array1<f32>,
    scale: f64,
}

impl PartialEq for LazyWeights {
    /// Equal when every observable part is equal (a stale lower triangle is not observable).
    fn eq(&self, other: &Self) -> bool {
        *self.raw_weights() == *other.raw_weights()
            && self.d_raw == other.d_raw
            && self.scale.to_bits() == other.scale.to_bits()
    }
}

impl LazyWeights {
    /// Zero weights for `m` detectors.
    pub(super) fn new(m: usize) -> Self {
        let mut w_raw = Array2::zeros((m, m));
        advise_huge_pages(&mut w_raw);
        Self {
            w_raw,
            lower_stale: false,
            symmetric: true,
            d_raw: Array1::zeros(m),
            scale: 1.0,
        }
    }

    /// Weights from their persisted parts, of matching shapes (the caller checked): the
    /// diagonal of `W` must be zero. The health of the values is checked separately
    /// ([`LazyWeights::check_health`]).
    pub(super) fn from_parts(
        w_raw: Array2<f32>,
        d_raw: Array1<f32>,
        scale: f64,
    ) -> Result<Self, StateError> {
        let m = d_raw.len();
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
        Ok(Self {
            w_raw,
            lower_stale: false,
            symmetric,
            d_raw,
            scale,
        })
    }

    /// The decay scale in `[RENORMALISE_BELOW, 1]`, then the node weights, then every
    /// current weight finite and within [`MAX_WEIGHT_MAGNITUDE`]. `O(M²)`.
    pub(super) fn check_health(&self) -> Result<(), StateError> {
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
        Ok(())
    }

    /// The `M` node weights finite and within [`MAX_WEIGHT_MAGNITUDE`].
    pub(super) fn check_node_weights(&self) -> Result<(), StateError> {
        let s = self.scale;
        match self.d_raw.iter().position(|&v| !within_limit(v, s)) {
            Some(i) => Err(StateError(format!(
                "node weight {i} = {:e} is not finite or beyond ±{MAX_WEIGHT_MAGNITUDE:e}",
                f64::from(self.d_raw[i]) * s
            ))),
            None => Ok(()),
        }
    }

    /// Whether `W` is exactly symmetric.
    pub(super) fn is_symmetric(&self) -> bool {
        self.symmetric
    }

    /// Whether only the upper triangle of the raw buffer is current.
    #[cfg(test)]
    pub(super) fn upper_only(&self) -> bool {
        self.lower_stale
    }

    /// Number of detectors `M`.
    pub(super) fn neurons(&self) -> usize {
        self.d_raw.len()
    }

    /// The raw weight buffer, both triangles current (borrowed when no mirroring is
    /// pending).
    pub(super) fn raw_weights(&self) -> Cow<'_, Array2<f32>> {
        if self.lower_stale {
            let mut w = self.w_raw.clone();
            mirror_upper(&mut w);
            Cow::Owned(w)
        } else {
            Cow::Borrowed(&self.w_raw)
        }
    }

    /// Makes both triangles of the raw buffer current, in place.
    pub(super) fn mirror_now(&mut self) {
        if self.lower_stale {
            mirror_upper(&mut self.w_raw);
            self.lower_stale = false;
        }
    }

    /// Calls `f(first_row, rows)` with the raw weights, both triangles, a block of whole
    /// rows at a time ([`super::upper_rows::for_each_row_block`]).
    pub(super) fn for_each_raw_row_block<E>(
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
    pub(super) fn raw_node_weights(&self) -> ArrayView1<'_, f32> {
        self.d_raw.view()
    }

    /// The lazy decay scale.
    pub(super) fn scale(&self) -> f64 {
        self.scale
    }

    /// One weight `w_ij` as every materialised copy rounds it; `None` outside the matrix.
    pub(super) fn weight(&self, i: usize, j: usize) -> Option<f32> {
        let (i, j) = if self.lower_stale && i > j {
            (j, i)
        } else {
            (i, j)
        };
        self.w_raw.get([i, j]).map(|&w| scaled(w, self.scale))
    }

    /// The weights `w_ij` for `i` in `rows` and `j` in `cols`, row-major (`NaN` for an
    /// index outside the matrix), as [`LazyWeights::weight`] rounds them. Read in storage
    /// order: the cells of each stored row in increasing columns, and while the lower
    /// triangle is stale, each cell below the diagonal from its mirror's row — never a
    /// column walk, one cache line per 64 KB row apart, through a 1 GiB matrix.
    pub(super) fn gather(&self, rows: &[usize], cols: &[usize]) -> Vec<f32> {
        let (m, width) = (self.neurons(), cols.len());
        let mut out = vec![f32::NAN; rows.len() * width];
        let Some(raw) = self.w_raw.as_slice() else {
            for (a, &i) in rows.iter().enumerate() {
                for (c, &j) in cols.iter().enumerate() {
                    out[a * width + c] = self.weight(i, j).unwrap_or(f32::NAN);
                }
            }
            return out;
        };
        // (stored index, place in the window), in stored order.
        let sorted = |indices: &[usize]| {
            let mut v: Vec<(usize, usize)> = indices
                .iter()
                .enumerate()
                .filter(|&(_, &i)| i < m)
                .map(|(place, &i)| (i, place))
                .collect();
            v.sort_unstable();
            v
        };
        let (by_row, by_col) = (sorted(rows), sorted(cols));
        let scale = self.scale;
        // Cells read from their own row: all of them while both triangles are current,
        // else those on and above the diagonal.
        for &(i, a) in &by_row {
            let line = &raw[i * m..(i + 1) * m];
            let from = if self.lower_stale {
                by_col.partition_point(|&(j, _)| j < i)
            } else {
                0
            };
            for &(j, c) in &by_col[from..] {
                out[a * width + c] = scaled(line[j], scale);
            }
        }
        if self.lower_stale {
            // Cells below the diagonal, `w_ij = w_raw[j, i]` for `i > j`: row `j`.
            for &(j, c) in &by_col {
                let line = &raw[j * m..(j + 1) * m];
                let from = by_row.partition_point(|&(i, _)| i <= j);
                for &(i, a) in &by_row[from..] {
                    out[a * width + c] = scaled(line[i], scale);
                }
            }
        }
        out
    }

    /// A plain copy of the raw weight buffer, finished later ([`RawWeightsCopy`]).
    pub(super) fn raw_copy_into(&self, buffer: Option<Array2<f32>>) -> RawWeightsCopy {
        RawWeightsCopy::take(
            &self.w_raw,
            self.scale,
            self.lower_stale,
            self.symmetric,
            buffer,
        )
    }

    /// Materialised node weights `d = scale · d_raw`.
    pub(super) fn node_weights(&self) -> Array1<f32> {
        if self.scale == 1.0 {
            self.d_raw.clone()
        } else {
            self.d_raw.mapv(|w| scaled(w, self.scale))
        }
    }

    /// Starts writing a step: the decay (into the scale), then which triangles the step
    /// will write — the upper one only (`upper`), or both, in which case a pending
    /// mirror is done first and `W` stays symmetric only under a `symmetric_rule`.
    pub(super) fn begin_step(&mut self, new_scale: f64, upper: bool, symmetric_rule: bool) {
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
    }

    /// Multiplies row `i` of `W_raw` and the node weight `d_raw[i]` by `factor`.
    pub(super) fn scale_row(&mut self, i: usize, factor: f32) {
        self.w_raw.row_mut(i).mapv_inplace(|w| w * factor);
        self.d_raw[i] *= factor;
    }

    /// `W_raw` and `d_raw` as row-major slices, for the accumulation to add into.
    pub(super) fn raw_slices_mut(&mut self) -> Option<(&mut [f32], &mut [f32])> {
        match (self.w_raw.as_slice_mut(), self.d_raw.as_slice_mut()) {
            (Some(w), Some(d)) => Some((w, d)),
            _ => None,
        }
    }

    /// Folds the scale into the raw buffers once it falls below [`RENORMALISE_BELOW`],
    /// before the raw values could grow out of `f32` range.
    pub(super) fn renormalise_if_small(&mut self) {
        if self.scale < RENORMALISE_BELOW {
            let s = self.scale;
            self.w_raw.mapv_inplace(|w| (f64::from(w) * s) as f32);
            self.d_raw.mapv_inplace(|w| (f64::from(w) * s) as f32);
            self.scale = 1.0;
        }
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
