//! Matching moved receptive fields to the bank's own: the neuron permutation a pixel
//! permutation induces (SPEC §4) — exactly, by hashing quantised fields, or, for a bank
//! that is not closed under the move, greedily by largest overlap.

use std::collections::HashMap;

use ndarray::{Array2, ArrayView2, Axis};

use super::detector::quantise;
use crate::perm::Permutation;

/// Sparse, quantised field: sorted `(pixel, round(value / grid))`, zeros dropped.
type FieldKey = Vec<(u32, i32)>;

/// Hash index of a bank's fields, so that matching a whole permutation costs
/// `O(M · support)` rather than `O(M² · pixels)`.
pub(super) struct FieldIndex {
    by_key: HashMap<FieldKey, Vec<usize>>,
    sparse: Vec<Vec<(u32, i32)>>,
    pixels: usize,
}

impl FieldIndex {
    /// Indexes the rows of `fields` (`M × pixels`).
    pub(super) fn new(fields: ArrayView2<f32>) -> Self {
        let sparse: Vec<Vec<(u32, i32)>> = fields
            .axis_iter(Axis(0))
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter_map(|(p, &v)| {
                        let q = quantise(v);
                        (q != 0).then_some((p as u32, q))
                    })
                    .collect()
            })
            .collect();
        let mut by_key: HashMap<FieldKey, Vec<usize>> = HashMap::with_capacity(sparse.len());
        for (i, key) in sparse.iter().enumerate() {
            by_key.entry(key.clone()).or_default().push(i);
        }
        Self {
            by_key,
            sparse,
            pixels: fields.ncols(),
        }
    }

    /// The neuron permutation `π` with `f_π(i) = P f_i` for every `i`, or `None` if
    /// some moved field is not in the bank (or `P` has the wrong length).
    pub(super) fn match_permutation(&self, pixel_perm: &Permutation) -> Option<Permutation> {
        if pixel_perm.len() != self.pixels {
            return None;
        }
        let m = self.sparse.len();
        let mut used = vec![false; m];
        let mut image = Vec::with_capacity(m);
        let mut key: FieldKey = Vec::new();
        for entries in &self.sparse {
            key.clear();
            key.extend(
                entries
                    .iter()
                    .map(|&(p, q)| (pixel_perm.image(p as usize) as u32, q)),
            );
            key.sort_unstable();
            let candidates = self.by_key.get(&key)?;
            let j = candidates.iter().copied().find(|&j| !used[j])?;
            used[j] = true;
            image.push(j);
        }
        Permutation::from_images(image).ok()
    }
}

/// The neuron permutation pairing each field of `fields` moved by the partial pixel map
/// `map` (`map[p] = None`: pixel `p` leaves the retina) greedily with the field it
/// overlaps most (largest `⟨f_j, P f_i⟩` first); leftovers are paired in index order.
/// `None` if the map does not fit the fields.
pub(super) fn best_overlap_permutation(
    fields: ArrayView2<f32>,
    map: &[Option<usize>],
) -> Option<Permutation> {
    let pixels = fields.ncols();
    if map.len() != pixels || map.iter().flatten().any(|&q| q >= pixels) {
        return None;
    }
    let m = fields.nrows();
    let mut moved = Array2::<f32>::zeros(fields.dim());
    for (i, row) in fields.axis_iter(Axis(0)).enumerate() {
        for (p, &v) in row.iter().enumerate() {
            if let Some(q) = map[p] {
                moved[[i, q]] = v;
            }
        }
    }
    let overlap = moved.dot(&fields.t());
    // Only each row's best few partners can win a greedy pairing in practice; keeping
    // them (not all M²) bounds the sort.
    const CANDIDATES: usize = 16;
    let mut pairs: Vec<(f32, usize, usize)> = Vec::with_capacity(m * CANDIDATES.min(m));
    let mut js: Vec<usize> = (0..m).collect();
    for i in 0..m {
        let row = overlap.row(i);
        let top = CANDIDATES.min(m);
        js.sort_unstable_by(|a, b| {
            row[*b]
                .partial_cmp(&row[*a])
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        pairs.extend(js[..top].iter().map(|&j| (row[j], i, j)));
        js.sort_unstable();
    }
    pairs.sort_unstable_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    let mut image = vec![usize::MAX; m];
    let mut taken = vec![false; m];
    for (_, i, j) in pairs {
        if image[i] == usize::MAX && !taken[j] {
            image[i] = j;
            taken[j] = true;
        }
    }
    let mut free = (0..m).filter(|&j| !taken[j]);
    for slot in image.iter_mut().filter(|s| **s == usize::MAX) {
        *slot = free.next()?;
    }
    Permutation::from_images(image).ok()
}
