//! The weights of a [`super::Snapshot`]: a raw copy taken by the simulation thread and
//! turned into `W` only when someone needs the exact matrix.
//!
//! Taking a snapshot while the simulation runs must cost it as little as possible. The
//! copy is one pass over the raw buffer — for a symmetric rule over its upper triangle
//! only — and scaling and mirroring it into `W` (another 16 MB written at M = 2048) is
//! left to the first reader that needs the whole matrix (a search, an export). Views
//! that only look at values — the heatmap's block means, a hover tooltip — read the raw
//! copy directly and never pay for it.

use std::sync::{Arc, OnceLock};

use ndarray::{Array2, ArrayView2};

use crate::model::learning::RawWeightsCopy;
use crate::model::learning::overview::WeightSummary;

/// `W` of a snapshot, materialised on first use of [`SnapshotWeights::full`].
#[derive(Debug)]
pub enum SnapshotWeights {
    /// A raw copy still to be scaled or mirrored, and `W` once someone asked for it.
    Raw {
        /// The copy.
        copy: RawWeightsCopy,
        /// `W`, computed from `copy` on first use.
        full: OnceLock<Arc<Array2<f32>>>,
    },
    /// `W` itself (the copy needed no finishing, or the matrix came from elsewhere).
    Full {
        /// The matrix.
        w: Arc<Array2<f32>>,
        /// It equals its transpose exactly.
        symmetric: bool,
    },
    /// No copy of `W` (too large to copy for every picture while training): block means
    /// in a display order, a window of exact cells and a row ([`super::overview`]).
    Summary(Arc<WeightSummary>),
}

/// Where a view can read the weights from without materialising them.
#[derive(Clone, Copy, Debug)]
pub struct WeightsSource<'a> {
    /// The values: `W = scale · values`.
    pub values: ArrayView2<'a, f32>,
    /// Factor to apply.
    pub scale: f64,
    /// Only the upper triangle of `values` (diagonal included) is valid; `W` is
    /// symmetric.
    pub upper_only: bool,
    /// `W` is exactly symmetric: a view may read one triangle only.
    pub symmetric: bool,
}

impl SnapshotWeights {
    /// Wraps a raw copy (materialised lazily unless it already is `W`).
    pub fn from_raw(copy: RawWeightsCopy) -> Self {
        if copy.is_materialised() {
            let symmetric = copy.is_symmetric();
            Self::Full {
                w: Arc::new(copy.into_buffer()),
                symmetric,
            }
        } else {
            Self::Raw {
                copy,
                full: OnceLock::new(),
            }
        }
    }

    /// Wraps a finished matrix (one comparison with its transpose finds out whether it
    /// is exactly symmetric).
    pub fn from_full(w: Array2<f32>) -> Self {
        let symmetric = match w.as_slice() {
            // In tiles: a strided comparison of a 16,384-wide matrix takes seconds.
            Some(values) => super::upper_rows::is_symmetric(values, w.nrows()),
            None => w == w.t(),
        };
        Self::Full {
            w: Arc::new(w),
            symmetric,
        }
    }

    /// Number of detectors `M`.
    pub fn neurons(&self) -> usize {
        match self {
            Self::Summary(s) => s.neurons,
            _ => self.source().map_or(0, |s| s.values.nrows()),
        }
    }

    /// The exact `W` (M × M, stored order), computed on the first call — bit-identical
    /// to [`super::Simulation::weights`] at the moment of the snapshot. `None` for a
    /// [`SnapshotWeights::Summary`], which holds no copy of `W`.
    pub fn full(&self) -> Option<&Arc<Array2<f32>>> {
        match self {
            Self::Raw { copy, full } => {
                Some(full.get_or_init(|| Arc::new(copy.clone().materialise())))
            }
            Self::Full { w, .. } => Some(w),
            Self::Summary(_) => None,
        }
    }

    /// The summary of a snapshot that holds no copy of `W`.
    pub fn summary(&self) -> Option<&Arc<WeightSummary>> {
        match self {
            Self::Summary(s) => Some(s),
            _ => None,
        }
    }

    /// Whether [`SnapshotWeights::full`] is available without computing anything.
    pub fn is_materialised(&self) -> bool {
        match self {
            Self::Raw { full, .. } => full.get().is_some(),
            Self::Full { .. } => true,
            Self::Summary(_) => false,
        }
    }

    /// `w_ij`, exact, without materialising the matrix; for a summary only on its row
    /// (`NaN` elsewhere: a view then shows the block mean, labelled as such).
    pub fn value(&self, i: usize, j: usize) -> f32 {
        match self {
            Self::Raw { copy, .. } => copy.value(i, j),
            Self::Full { w, .. } => w[[i, j]],
            Self::Summary(s) => match &s.row {
                Some((r, row)) if *r == i => row.get(j).copied().unwrap_or(f32::NAN),
                Some((r, row)) if *r == j && s.symmetric => row.get(i).copied().unwrap_or(f32::NAN),
                _ => f32::NAN,
            },
        }
    }

    /// The cheapest place to read values from: `W` if it exists, the raw copy otherwise
    /// (`None` for a summary).
    pub fn source<'a>(&'a self) -> Option<WeightsSource<'a>> {
        let whole = |w: &'a Arc<Array2<f32>>, symmetric| WeightsSource {
            values: w.view(),
            scale: 1.0,
            upper_only: false,
            symmetric,
        };
        Some(match self {
            Self::Raw { copy, full } => match full.get() {
                Some(w) => whole(w, copy.is_symmetric()),
                None => WeightsSource {
                    values: copy.raw(),
                    scale: copy.scale(),
                    upper_only: copy.upper_only(),
                    symmetric: copy.is_symmetric(),
                },
            },
            Self::Full { w, symmetric } => whole(w, *symmetric),
            Self::Summary(_) => return None,
        })
    }

    /// The matrix buffer, for the next snapshot to copy into (the raw copy's, or `W`'s
    /// if nobody else holds it).
    pub fn into_buffer(self) -> Option<Array2<f32>> {
        match self {
            Self::Raw { copy, .. } => Some(copy.into_buffer()),
            Self::Full { w, .. } => Arc::try_unwrap(w).ok(),
            Self::Summary(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LearningRule;
    use crate::model::learning::{HebbianState, PathChoice, UpdateParams};

    /// A state after a few updates of `rule` with `decay` (so the scale is not 1).
    fn trained(rule: LearningRule, decay: f32, m: usize) -> HebbianState {
        let a = Array2::from_shape_fn((5, m), |(b, i)| ((i * 7 + b * 5) % 11) as f32 / 10.0);
        let previous = a.slice(ndarray::s![..;-1, ..]);
        let mut s = HebbianState::new(m);
        let p = UpdateParams {
            rule,
            learning_rate: 0.2,
            decay,
        };
        for _ in 0..4 {
            s.update(&p, a.view(), Some(previous), PathChoice::Sparse);
        }
        s
    }

    #[test]
    fn lazy_weights_read_exactly_like_the_materialised_matrix() {
        let m = 37;
        for (rule, decay) in [
            (LearningRule::Hebb, 0.0),
            (LearningRule::Hebb, 0.05),
            (LearningRule::Temporal, 0.05),
        ] {
            let state = trained(rule, decay, m);
            let want = state.weights();
            // A reused buffer full of NaN: nothing stale may leak into any reading.
            let copy = state.raw_copy_into(Some(Array2::from_elem((m, m), f32::NAN)));
            let lazy = SnapshotWeights::from_raw(copy);
            let upper_only = rule == LearningRule::Hebb;
            assert_eq!(lazy.source().unwrap().upper_only, upper_only, "{rule:?}");
            assert_eq!(
                lazy.source().unwrap().symmetric,
                state.is_symmetric(),
                "{rule:?}"
            );
            assert_eq!(lazy.is_materialised(), !upper_only && decay == 0.0);
            assert_eq!(lazy.neurons(), m);
            let bits = |v: f32| v.to_bits();
            for ((i, j), &v) in want.indexed_iter() {
                assert_eq!(bits(lazy.value(i, j)), bits(v), "{rule:?} ({i}, {j})");
                let source = lazy.source().unwrap();
                if !source.upper_only || i <= j {
                    let raw = source.values[[i, j]];
                    let scaled = (f64::from(raw) * source.scale) as f32;
                    assert_eq!(bits(scaled), bits(v), "{rule:?} source ({i}, {j})");
                }
            }
            assert!(
                want.iter()
                    .zip(lazy.full().unwrap().iter())
                    .all(|(a, b)| bits(*a) == bits(*b))
            );
            assert!(lazy.is_materialised());
            // Once materialised, views read `W` itself.
            assert!(!lazy.source().unwrap().upper_only);
            assert_eq!(lazy.source().unwrap().scale, 1.0);
            let buffer = lazy
                .into_buffer()
                .expect("the raw copy's buffer comes back");
            assert_eq!(buffer.dim(), (m, m));
        }
    }

    #[test]
    fn a_finished_matrix_is_used_as_is() {
        let w = Array2::from_shape_fn((4, 4), |(i, j)| (i * 4 + j) as f32);
        let full = SnapshotWeights::from_full(w.clone());
        assert!(full.is_materialised());
        assert_eq!(**full.full().unwrap(), w);
        assert_eq!(full.value(2, 1), 9.0);
        assert_eq!(full.into_buffer(), Some(w));
    }
}
