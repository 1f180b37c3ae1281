//! Display orders of the weight matrix, shared by the app's heatmap and the exported
//! figures: the stored (scrambled) order the search sees, the ground-truth order from the
//! labels, and the order of a found permutation's cycles.

use ndarray::ArrayView2;

use crate::model::NeuronLabel;
use crate::perm::Permutation;

/// How rows and columns of `W` are laid out on screen (`--order` spells them
/// `stored|truth|recovered`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum MatrixOrder {
    /// The hidden, scrambled storage order — what the search sees.
    #[default]
    Stored,
    /// Ground truth: by kernel, rotation, then position (uses the labels; display only).
    Truth,
    /// By the selected permutation: its cycles laid out one after another.
    Recovered,
}

impl MatrixOrder {
    /// Label in the order selector.
    pub fn name(self) -> &'static str {
        match self {
            MatrixOrder::Stored => "stored (scrambled)",
            MatrixOrder::Truth => "ground truth",
            MatrixOrder::Recovered => "recovered",
        }
    }

    /// The order's word in axis labels ("neuron (ground-truth order)").
    pub fn axis_name(self) -> &'static str {
        match self {
            MatrixOrder::Stored => "stored",
            MatrixOrder::Truth => "ground-truth",
            MatrixOrder::Recovered => "recovered",
        }
    }
}

/// Ground-truth order: kernel, then rotation, then position (labels are display-only).
pub fn truth_order(labels: &[NeuronLabel]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by_key(|&i| {
        let l = &labels[i];
        (l.kernel.unwrap_or(0), l.rotation, l.position, i)
    });
    order
}

/// Recovered order: the cycles of `π` one after another (longest first, each from its
/// smallest element, following `i → π(i)`). For a shift this makes `W` block-circulant.
pub fn recovered_order(pi: &Permutation) -> Vec<usize> {
    let mut cycles = pi.cycles();
    cycles.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    cycles.into_iter().flatten().collect()
}

/// `values[r·n + c] = W[order[r]][order[c]]`.
pub fn ordered_values(w: ArrayView2<f32>, order: &[usize]) -> Vec<f32> {
    let n = order.len();
    let mut out = Vec::with_capacity(n * n);
    let identity = order.iter().enumerate().all(|(k, &i)| k == i);
    for &i in order {
        let row = w.row(i);
        match row.as_slice() {
            // Stored order: whole rows at memcpy speed.
            Some(slice) if identity => out.extend_from_slice(slice),
            Some(slice) => out.extend(order.iter().map(|&j| slice[j])),
            None => out.extend(order.iter().map(|&j| row[j])),
        }
    }
    out
}

/// `[min, max]` of the finite off-diagonal entries of `W` (the diagonal holds what the
/// rule put on the nodes, on another scale), `None` when there are none.
pub fn off_diagonal_range(w: ArrayView2<f32>) -> Option<(f32, f32)> {
    let mut lo = f32::INFINITY;
    let mut hi = f32::NEG_INFINITY;
    for (i, row) in w.rows().into_iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            if i != j && v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

/// The colour range used for `[lo, hi]` of the data: `[−m, m]` with `m = max(|lo|, |hi|)`
/// for a diverging map, otherwise `[lo, hi]` widened to a non-empty interval.
pub fn colour_range(data: Option<(f32, f32)>, diverging: bool) -> (f32, f32) {
    let Some((lo, hi)) = data else {
        return (0.0, 1.0);
    };
    if diverging {
        let m = lo.abs().max(hi.abs()).max(f32::MIN_POSITIVE);
        return (-m, m);
    }
    if hi - lo <= f32::EPSILON * hi.abs().max(1.0) {
        return (lo, lo + 1.0);
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn recovered_order_of_a_shift_is_its_cycle() {
        let shift = Permutation::from_images(vec![1, 2, 3, 0]).unwrap();
        assert_eq!(recovered_order(&shift), vec![0, 1, 2, 3]);
        let two = Permutation::from_images(vec![2, 3, 0, 1]).unwrap();
        assert_eq!(recovered_order(&two), vec![0, 2, 1, 3]);
    }

    #[test]
    fn ordered_values_and_ranges() {
        let w = array![[9.0f32, 1.0, 2.0], [1.0, 9.0, -3.0], [2.0, -3.0, 9.0]];
        assert_eq!(
            ordered_values(w.view(), &[2, 0, 1]),
            vec![9.0, 2.0, -3.0, 2.0, 9.0, 1.0, -3.0, 1.0, 9.0]
        );
        let data = off_diagonal_range(w.view());
        assert_eq!(data, Some((-3.0, 2.0)));
        assert_eq!(colour_range(data, true), (-3.0, 3.0));
        assert_eq!(colour_range(data, false), (-3.0, 2.0));
        assert_eq!(colour_range(None, false), (0.0, 1.0));
    }
}
