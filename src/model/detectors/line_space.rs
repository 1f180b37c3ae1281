//! The open line (`Space::Line`, e.g. a log-frequency axis): its approximate shifts, the
//! interior on which they are scored, and the symmetry error restricted to it.
//!
//! A shift by `k` moves the samples of a line, but the `|k|` at one end fall off and the
//! other end receives samples the line never saw. As a pixel permutation it is written as
//! the cyclic shift (`Space::Line`), and as a neuron permutation it pairs each detector
//! with the one whose field overlaps most with its shifted field
//! (`Bank::best_overlap_permutation`), which for a tiled bank is the detector of the same
//! kernel `k` positions on. What is true of the translation is only true of the
//! **interior**: the detectors whose fields stay on the line when shifted by `k` either
//! way (`first_pixel ≥ |k|` and `last_pixel + |k| ≤ n − 1`). Consistency and `e_g` are
//! measured over the interior only:
//! `e_g = ‖(W − P W Pᵀ)_{I×I}‖_F / ‖W_{I×I}‖_F`, i.e. the weights among interior
//! detectors against the weights among their images.

use ndarray::ArrayView2;

use crate::model::config::{Space, Transformation};
use crate::model::detectors::Bank;
use crate::perm::Permutation;

/// A field entry counts as part of the support above this magnitude.
const SUPPORT_EPS: f32 = 1e-6;

/// The `|k|` of a shift (0 for anything else).
pub fn shift_size(t: Transformation) -> usize {
    match t {
        Transformation::Shift { k } => k.unsigned_abs() as usize,
        _ => 0,
    }
}

/// For each neuron (stored order), whether it is in the interior for shifts by up to
/// `margin` (module docs). `None` on spaces other than the line, where every neuron counts.
pub fn interior(bank: &Bank, space: Space, margin: usize) -> Option<Vec<bool>> {
    let Space::Line { n } = space else {
        return None;
    };
    Some(
        bank.fields
            .rows()
            .into_iter()
            .map(|row| {
                let lo = row.iter().position(|v| v.abs() > SUPPORT_EPS);
                let hi = row.iter().rposition(|v| v.abs() > SUPPORT_EPS);
                match (lo, hi) {
                    (Some(lo), Some(hi)) => lo >= margin && hi + margin < n,
                    _ => false,
                }
            })
            .collect(),
    )
}

/// The partial pixel map of a shift by `k` on a line of `n` samples: `x ↦ x + k`, or
/// nowhere past the ends.
pub fn shift_map(n: usize, k: i64) -> Vec<Option<usize>> {
    (0..n as i64)
        .map(|x| {
            let y = x + k;
            (0..n as i64).contains(&y).then_some(y as usize)
        })
        .collect()
}

/// The neuron permutation of a shift by `k` on the line (module docs).
pub fn shift_permutation(bank: &Bank, space: Space, k: i64) -> Option<Permutation> {
    let Space::Line { n } = space else {
        return None;
    };
    bank.best_overlap_permutation(&shift_map(n, k))
}

/// The approximate ground truth on a line: the shift by the true transformation's `k` and
/// its inverse. Empty on other spaces or for a true transformation that is not a shift.
pub fn ground_truth(
    bank: &Bank,
    space: Space,
    truth: Transformation,
) -> Vec<(Transformation, Permutation)> {
    let k = shift_size(truth) as i64;
    if k == 0 || !space.is_line() {
        return Vec::new();
    }
    [k, -k]
        .into_iter()
        .filter_map(|k| shift_permutation(bank, space, k).map(|p| (Transformation::Shift { k }, p)))
        .collect()
}

/// `‖(W − P W Pᵀ)_{I×I}‖_F / ‖W_{I×I}‖_F` over the neurons with `mask[i]` (module docs);
/// 0 when `W_{I×I} = 0`, NaN when the sizes do not match.
pub fn masked_relative_error(w: ArrayView2<f32>, p: &Permutation, mask: &[bool]) -> f64 {
    let m = w.nrows();
    if p.len() != m || mask.len() != m || w.ncols() != m {
        return f64::NAN;
    }
    let inside: Vec<usize> = (0..m).filter(|&i| mask[i]).collect();
    let (mut diff, mut norm) = (0.0f64, 0.0f64);
    for &i in &inside {
        let pi = p.image(i);
        for &j in &inside {
            let a = f64::from(w[[i, j]]);
            let b = f64::from(w[[pi, p.image(j)]]);
            diff += (b - a) * (b - a);
            norm += a * a;
        }
    }
    if norm == 0.0 {
        0.0
    } else {
        (diff / norm).sqrt()
    }
}

/// Fraction of the neurons with `mask[i]` on which `a` and `b` agree (all neurons
/// without a mask); 0 for mismatched sizes or an empty set.
pub fn masked_consistency(a: &Permutation, b: &Permutation, mask: Option<&[bool]>) -> f64 {
    let n = a.len();
    if b.len() != n || mask.is_some_and(|m| m.len() != n) {
        return 0.0;
    }
    let counted = |i: &usize| mask.is_none_or(|m| m[*i]);
    let total = (0..n).filter(counted).count();
    if total == 0 {
        return 0.0;
    }
    let same = (0..n)
        .filter(counted)
        .filter(|&i| a.image(i) == b.image(i))
        .count();
    same as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::{BankConfig, KernelFamily};

    fn bank(n: usize) -> Bank {
        let cfg = BankConfig::Tiled {
            kernels: 2,
            size: 3,
            stride: 1,
            family: KernelFamily::Random,
        };
        Bank::build(&cfg, Space::Line { n }, 3).unwrap()
    }

    #[test]
    fn the_interior_leaves_out_one_position_at_each_end() {
        let b = bank(10);
        // Anchors 0..=7, two kernels: 16 neurons, 2 × 2 at the ends.
        assert_eq!(b.len(), 16);
        let mask = interior(&b, Space::Line { n: 10 }, 1).unwrap();
        assert_eq!(mask.iter().filter(|&&x| x).count(), 12);
        for (i, &inside) in mask.iter().enumerate() {
            let anchor = b.labels[i].position;
            assert_eq!(inside, (1..=6).contains(&anchor), "anchor {anchor}");
        }
    }

    #[test]
    fn the_shift_moves_interior_detectors_one_position_on() {
        let b = bank(12);
        let space = Space::Line { n: 12 };
        let p = shift_permutation(&b, space, 1).unwrap();
        let mask = interior(&b, space, 1).unwrap();
        for i in (0..b.len()).filter(|&i| mask[i]) {
            let (a, j) = (&b.labels[i], &b.labels[p.image(i)]);
            assert_eq!(j.position, a.position + 1);
            assert_eq!(j.kernel, a.kernel);
        }
        let truths = ground_truth(&b, space, Transformation::Shift { k: 1 });
        assert_eq!(truths.len(), 2);
        // The two shifts are inverse to each other on the interior.
        let back = truths[0].1.then(&truths[1].1);
        let both = |i: usize| mask[i] && mask[truths[0].1.image(i)];
        assert!(
            (0..b.len())
                .filter(|&i| both(i))
                .all(|i| back.image(i) == i)
        );
    }

    #[test]
    fn the_masked_error_sees_only_the_interior() {
        // W[i][j] = f(j − i) on 0..5 except the last row and column: a shift by one is an
        // automorphism of the block on 0..4 only.
        let n = 6;
        let mut w = ndarray::Array2::<f32>::zeros((n, n));
        for i in 0..n {
            for j in 0..n {
                w[[i, j]] = 1.0 / (1.0 + (i as f32 - j as f32).abs());
            }
        }
        w[[5, 0]] = 9.0;
        w[[0, 5]] = 9.0;
        let shift = Permutation::from_images((0..n).map(|i| (i + 1) % n).collect()).unwrap();
        let mask = [false, true, true, true, false, false];
        assert_eq!(masked_relative_error(w.view(), &shift, &mask), 0.0);
        assert!(crate::perm::relative_error(w.view(), &shift) > 0.1);
        let id = Permutation::identity(n);
        assert_eq!(masked_consistency(&shift, &id, Some(&mask)), 0.0);
        assert_eq!(masked_consistency(&shift, &shift, Some(&mask)), 1.0);
    }
}
