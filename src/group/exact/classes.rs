//! Weights to colours: exact equality of `f32` values, or deterministic grouping
//! within a tolerance (see the parent module's docs for the rule).

use ndarray::{ArrayView1, ArrayView2};
use rayon::iter::{
    IndexedParallelIterator, IntoParallelIterator, IntoParallelRefMutIterator, ParallelIterator,
};

use super::ExactGroupError;
use crate::cancel::CancelToken;
use crate::group::refine::{ColouredGraph, is_symmetric};
use crate::group::sparse::for_each_run;

/// An order-preserving `u32` key of a finite `f32`: `key(a) < key(b) ⇔ a < b`, and
/// `key(a) = key(b) ⇔ a == b` (so −0 and +0 share a key).
#[inline]
fn key(x: f32) -> u32 {
    let bits = x.to_bits();
    // −0 becomes +0; selects and shifts only, so loops over whole matrices vectorise.
    let b = if bits << 1 == 0 { 0 } else { bits };
    // Negative values get every bit flipped, the others the sign bit set.
    b ^ ((((b as i32) >> 31) as u32) | 0x8000_0000)
}

/// True for the key of an infinity or NaN (all exponent bits set, either sign).
#[inline]
fn is_non_finite_key(k: u32) -> bool {
    // The exponent bits of the value: kept for keys with the top bit set (values ≥ 0),
    // flipped back for the others.
    let flip = ((!k as i32) >> 31) as u32;
    (k ^ flip) & 0x7F80_0000 == 0x7F80_0000
}

/// The value behind a key (inverse of [`key`] on canonical values).
#[inline]
fn value(k: u32) -> f64 {
    let b = if k & 0x8000_0000 != 0 {
        k & 0x7FFF_FFFF
    } else {
        !k
    };
    f32::from_bits(b) as f64
}

/// Smallest key of each class of the sorted distinct `keys`, grouped within
/// `threshold` (absolute): a class starts at its smallest value and takes every
/// following value at most `threshold` above it.
fn class_starts(keys: &[u32], threshold: f64) -> Vec<u32> {
    let mut starts = Vec::new();
    let mut lo = f64::NEG_INFINITY;
    for &k in keys {
        let v = value(k);
        if starts.is_empty() || v - lo > threshold {
            starts.push(k);
            lo = v;
        }
    }
    starts
}

/// The class id (rank) of `k` among classes starting at `starts`.
#[inline]
fn class_of(starts: &[u32], k: u32) -> u32 {
    (starts.partition_point(|&s| s <= k) - 1) as u32
}

/// Classes of a short list of values (node weights): ranks `0..k` in ascending
/// value order, grouped within `tolerance · max|x|`.
fn vector_classes(x: &[f32], tolerance: f64) -> Vec<u32> {
    let keys: Vec<u32> = x.iter().map(|&v| key(v)).collect();
    let mut distinct = keys.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let scale = x.iter().fold(0.0f64, |m, &v| m.max((v as f64).abs()));
    let starts = class_starts(&distinct, tolerance * scale);
    keys.iter().map(|&k| class_of(&starts, k)).collect()
}

/// At most this many distinct values are collected in a small sorted set.
const FEW: usize = 256;
/// Up to this many values are sorted directly (no buckets, no threads).
const SMALL_COUNT: u64 = 1 << 16;

/// The distinct values of `rows`, ascending, if there are at most [`FEW`] (graphs:
/// 0 and 1, or a handful of weights): one pass with a small sorted set, runs of equal
/// values skipped.
fn few_distinct(keys: impl Iterator<Item = u32>) -> Option<Vec<u32>> {
    let mut few: Vec<u32> = Vec::new();
    let mut last: Option<u32> = None;
    for k in keys {
        if last == Some(k) {
            continue;
        }
        last = Some(k);
        if let Err(i) = few.binary_search(&k) {
            if few.len() == FEW {
                return None;
            }
            few.insert(i, k);
        }
    }
    Some(few)
}

/// [`few_distinct`] over rows of keys, a run of one value at a time (blocks that
/// continue a run cost one vectorised comparison): the usual case, a graph's 0 and 1.
fn few_distinct_rows<'a>(rows: impl Iterator<Item = &'a [u32]>) -> Option<Vec<u32>> {
    let mut few: Vec<u32> = Vec::new();
    for row in rows {
        let fits = for_each_run(row, |k, _| match few.binary_search(&k) {
            Ok(_) => true,
            Err(_) if few.len() == FEW => false,
            Err(i) => {
                few.insert(i, k);
                true
            }
        });
        if !fits {
            return None;
        }
    }
    Some(few)
}

/// Number of buckets of [`sorted_distinct`]'s distribution pass.
const BUCKET_BITS: u32 = 15;

/// Largest key range (in bits, 32 MiB) always handled by a bitmap.
const MAX_BITMAP_BITS: u64 = 1 << 28;

/// The distinct keys (all in `lo..lo + span`) of `keys()`, ascending, by marking
/// them in a bitmap over the range: linear time, no sorting.
fn distinct_by_bitmap<I: Iterator<Item = u32>>(
    keys: impl Fn() -> I,
    lo: u32,
    span: u64,
) -> Vec<u32> {
    let mut bits = vec![0u64; span.div_ceil(64) as usize];
    for k in keys() {
        let i = (k - lo) as usize;
        bits[i / 64] |= 1 << (i % 64);
    }
    let total: u32 = bits.iter().map(|w| w.count_ones()).sum();
    let mut out = Vec::with_capacity(total as usize);
    for (wi, &word) in bits.iter().enumerate() {
        let mut w = word;
        while w != 0 {
            let b = w.trailing_zeros();
            out.push(lo + (wi as u32) * 64 + b);
            w &= w - 1;
        }
    }
    out
}

/// The distinct keys produced by `keys()` (called for each pass), ascending. One pass
/// distributes them into buckets by value range, then each bucket (a few thousand
/// keys, in cache) is sorted and deduplicated on its own: much faster than one
/// comparison sort of the `n²` weights of a large noisy matrix.
fn sorted_distinct<I: Iterator<Item = u32>>(keys: impl Fn() -> I) -> Vec<u32> {
    if let Some(few) = few_distinct(keys()) {
        return few;
    }
    let count = keys().count() as u64;
    if count <= SMALL_COUNT {
        let mut all: Vec<u32> = keys().collect();
        all.sort_unstable();
        all.dedup();
        return all;
    }
    let mut range: Option<(u32, u32)> = None;
    for k in keys() {
        range = Some(range.map_or((k, k), |(a, b)| (a.min(k), b.max(k))));
    }
    let Some((lo, hi)) = range else {
        return Vec::new();
    };
    let span = (hi - lo) as u64 + 1;
    // Up to 32 bits per key the bitmap takes no more memory than the buckets' copy.
    if span <= MAX_BITMAP_BITS.max(32 * count) {
        return distinct_by_bitmap(keys, lo, span);
    }
    let shift = (64 - span.leading_zeros()).saturating_sub(BUCKET_BITS);
    let bucket = |k: u32| ((k - lo) >> shift) as usize;
    let mut starts = vec![0usize; (1 << BUCKET_BITS) + 1];
    for k in keys() {
        starts[bucket(k) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut sorted = vec![0u32; starts[starts.len() - 1]];
    let mut next = starts.clone();
    for k in keys() {
        let b = bucket(k);
        sorted[next[b]] = k;
        next[b] += 1;
    }
    let mut rest = sorted.as_mut_slice();
    let mut chunks = Vec::with_capacity(1 << BUCKET_BITS);
    for b in 0..1 << BUCKET_BITS {
        let (chunk, tail) = rest.split_at_mut(starts[b + 1] - starts[b]);
        chunks.push(chunk);
        rest = tail;
    }
    let kept: Vec<usize> = chunks
        .par_iter_mut()
        .map(|c| {
            c.sort_unstable();
            let mut m = 0;
            for i in 0..c.len() {
                if i == 0 || c[i] != c[m - 1] {
                    c[m] = c[i];
                    m += 1;
                }
            }
            m
        })
        .collect();
    // Buckets hold disjoint ranges: compacting their distinct prefixes is enough.
    let mut len = 0;
    for (b, m) in kept.into_iter().enumerate() {
        sorted.copy_within(starts[b]..starts[b] + m, len);
        len += m;
    }
    sorted.truncate(len);
    sorted
}

/// With exact colours (tolerance 0): one round of colour refinement computed from `W`
/// itself — each vertex's colour (its node-weight class and diagonal weight) and the
/// multiset of its pairs' weights, hashed — without building the colour matrix (at
/// 16,384 nodes that would be another GiB). If this separates every vertex, the group
/// is trivial, which settles every noisy matrix: returns the number of distinct
/// weights then, `None` otherwise. `node` are the node-weight classes.
pub(super) fn trivial_at_first_round(
    w: ArrayView2<f32>,
    node: &[u32],
    cancel: &CancelToken,
) -> Result<Option<usize>, ExactGroupError> {
    let n = w.nrows();
    let standard = w.as_standard_layout();
    let flat = standard.as_slice().expect("standard layout");
    // A matrix whose first row repeats values (a graph: 0 and 1) is almost never
    // separated in one round, and the general path settles it anyway: only matrices
    // that look noisy take this one (skipping it is always sound, never needed).
    if n > 2 {
        let mut first: Vec<u32> = flat[1..n].iter().map(|&x| key(x)).collect();
        first.sort_unstable();
        first.dedup();
        if first.len() * 2 < n {
            return Ok(None);
        }
    }
    if let Some(i) = flat.iter().position(|x| !x.is_finite()) {
        return Err(ExactGroupError::BadInput(format!(
            "weight W[{}][{}] is not finite ({})",
            i / n,
            i % n,
            flat[i]
        )));
    }
    let symmetric = symmetric_keys(n, flat);
    if cancel.is_cancelled() {
        return Err(ExactGroupError::Cancelled);
    }
    let hashes: Vec<(u64, u64)> = (0..n)
        .into_par_iter()
        .with_min_len(16)
        .map(|v| {
            let row = &flat[v * n..(v + 1) * n];
            let mut h = 0u64;
            for x in 0..n {
                if x == v {
                    continue;
                }
                let c = key(row[x]) as u64;
                let pair = if symmetric {
                    c
                } else {
                    c << 32 | key(flat[x * n + v]) as u64
                };
                h = h.wrapping_add(crate::group::refine::mix64(pair));
            }
            ((node[v] as u64) << 32 | key(row[v]) as u64, h)
        })
        .collect();
    if cancel.is_cancelled() {
        return Err(ExactGroupError::Cancelled);
    }
    let mut sorted = hashes;
    sorted.sort_unstable();
    if sorted.windows(2).any(|p| p[0] == p[1]) {
        return Ok(None);
    }
    let distinct = if symmetric {
        sorted_distinct(|| {
            (0..n).flat_map(|i| flat[i * n + i..(i + 1) * n].iter().map(|&x| key(x)))
        })
    } else {
        sorted_distinct(|| flat.iter().map(|&x| key(x)))
    };
    Ok(Some(distinct.len()))
}

/// True if the row-major `n × n` matrix equals its transpose as colour keys (−0 = +0),
/// tile by tile so that both tiles stay in cache.
fn symmetric_keys(n: usize, m: &[f32]) -> bool {
    const TILE: usize = 64;
    for bi in (0..n).step_by(TILE) {
        for bj in (bi..n).step_by(TILE) {
            for i in bi..(bi + TILE).min(n) {
                for j in bj.max(i + 1)..(bj + TILE).min(n) {
                    if key(m[i * n + j]) != key(m[j * n + i]) {
                        return false;
                    }
                }
            }
        }
    }
    true
}

/// Checks shapes, the tolerance and the node weights; returns the node-weight classes.
pub(super) fn node_classes(
    w: ArrayView2<f32>,
    d: Option<ArrayView1<f32>>,
    tolerance: f64,
) -> Result<Vec<u32>, ExactGroupError> {
    let (rows, cols) = w.dim();
    if rows != cols {
        return Err(ExactGroupError::BadInput(format!(
            "the weight matrix is not square: {rows} × {cols}"
        )));
    }
    if !(tolerance.is_finite() && tolerance >= 0.0) {
        return Err(ExactGroupError::BadInput(format!(
            "the tolerance must be finite and non-negative, not {tolerance}"
        )));
    }
    let n = rows;
    if n > u32::MAX as usize {
        return Err(ExactGroupError::BadInput(format!("too many vertices: {n}")));
    }
    Ok(match d {
        None => vec![0; n],
        Some(d) => {
            if d.len() != n {
                return Err(ExactGroupError::BadInput(format!(
                    "{} node weights for {n} vertices",
                    d.len()
                )));
            }
            if let Some((i, x)) = d.indexed_iter().find(|(_, x)| !x.is_finite()) {
                return Err(ExactGroupError::BadInput(format!(
                    "node weight d[{i}] is not finite ({x})"
                )));
            }
            vector_classes(&d.to_vec(), tolerance)
        }
    })
}

/// The coloured graph of `(W, d)` and its number of edge colours.
///
/// Edge colours are opaque `u32`s: with `tolerance = 0` the order-preserving key of
/// the weight itself (no lookup needed), otherwise the class rank. Vertex colours
/// pack the class rank of `d[i]` with the colour of `W[i][i]`. `cancel` is checked
/// between the linear passes (each well under a second at n = 8192).
pub(super) fn colour_graph(
    w: ArrayView2<f32>,
    node: Vec<u32>,
    tolerance: f64,
    cancel: &CancelToken,
) -> Result<(ColouredGraph, usize), ExactGroupError> {
    let check = || {
        if cancel.is_cancelled() {
            Err(ExactGroupError::Cancelled)
        } else {
            Ok(())
        }
    };
    let n = w.nrows();
    let mut out: Vec<u32> = Vec::with_capacity(n * n);
    match w.as_slice() {
        Some(all) => out.extend(all.iter().map(|&x| key(x))),
        None => {
            for row in w.rows() {
                out.extend(row.iter().map(|&x| key(x)));
            }
        }
    }
    // Keys of non-finite values (and only those) have all exponent bits set.
    // A fold without early exit: one vectorised pass.
    let finite = !out.iter().fold(false, |bad, &k| bad | is_non_finite_key(k));
    if !finite && let Some(((row, col), x)) = w.indexed_iter().find(|(_, x)| !x.is_finite()) {
        return Err(ExactGroupError::BadInput(format!(
            "weight W[{row}][{col}] is not finite ({x})"
        )));
    }
    check()?;
    // Distinct values: an undirected matrix needs only its upper triangle.
    let mut symmetric = is_symmetric(n, &out);
    check()?;
    let upper = |i: usize| &out[i * n + i..(i + 1) * n];
    let few = if symmetric {
        few_distinct_rows((0..n).map(upper))
    } else {
        few_distinct_rows(out.chunks(n.max(1)))
    };
    let distinct = match few {
        Some(few) => few,
        None if symmetric => sorted_distinct(|| (0..n).flat_map(|i| upper(i).iter().copied())),
        None => sorted_distinct(|| out.iter().copied()),
    };
    check()?;
    let edge_colours = if tolerance > 0.0 {
        let scale = w.iter().fold(0.0f64, |m, &x| m.max((x as f64).abs()));
        let starts = class_starts(&distinct, tolerance * scale);
        drop(distinct);
        for c in out.iter_mut() {
            *c = class_of(&starts, *c);
        }
        // Grouping can make a slightly asymmetric (noisy) matrix symmetric.
        symmetric = symmetric || is_symmetric(n, &out);
        starts.len()
    } else {
        distinct.len()
    };
    let vertex = (0..n)
        .map(|i| (node[i] as u64) << 32 | out[i * n + i] as u64)
        .collect();
    let graph = ColouredGraph::with_symmetry(n, out, vertex, symmetric)
        .ok_or_else(|| ExactGroupError::BadInput("inconsistent sizes".into()))?;
    Ok((graph, edge_colours))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_preserve_order_and_equality() {
        for x in [f32::NAN, -f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            assert!(is_non_finite_key(key(x)));
        }
        let xs = [
            -3.5f32,
            -1.0,
            -0.0,
            0.0,
            1e-30,
            0.5,
            2.0,
            f32::MAX,
            -f32::MAX,
        ];
        for a in xs {
            for b in xs {
                assert_eq!(key(a) < key(b), a < b, "{a} {b}");
                assert_eq!(key(a) == key(b), a == b, "{a} {b}");
            }
            assert_eq!(value(key(a)), a as f64);
            assert!(!is_non_finite_key(key(a)));
        }
    }

    #[test]
    fn tolerance_groups_from_the_smallest_value_of_each_class() {
        // Threshold 0.25 · 4 = 1: {0, 0.5, 1} {1.5, 2.5} {4}; 1.5 is within 1 of 1.0
        // but not of its class's smallest value, so chains do not merge.
        let x = [4.0f32, 0.0, 1.5, 0.5, 2.5, 1.0];
        assert_eq!(vector_classes(&x, 0.25), vec![2, 0, 1, 0, 1, 0]);
        assert_eq!(vector_classes(&x, 0.0), vec![5, 0, 3, 1, 4, 2]);
    }

    #[test]
    fn bucketed_sort_matches_a_plain_sort() {
        let mut state = 7u64;
        let keys: Vec<u32> = (0..200_000)
            .map(|i| {
                state = crate::group::refine::mix64(state);
                // Skewed: mostly a narrow range, a few far-off values, many repeats.
                match i % 10 {
                    0 => state as u32,
                    1..=3 => 1000 + (state % 50) as u32,
                    _ => 0x8000_0000 + (state % 100_000) as u32,
                }
            })
            .collect();
        let mut expected = keys.clone();
        expected.sort_unstable();
        expected.dedup();
        // Keys spread over the whole u32 range take the bucket path…
        assert_eq!(sorted_distinct(|| keys.iter().copied()), expected);
        // …a narrow range the bitmap path.
        let narrow: Vec<u32> = keys.iter().map(|&k| k % 100_000 + 12).collect();
        let mut expected: Vec<u32> = narrow.clone();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(sorted_distinct(|| narrow.iter().copied()), expected);
        assert_eq!(sorted_distinct(|| [5u32, 5, 5].into_iter()), vec![5]);
        assert!(sorted_distinct(std::iter::empty::<u32>).is_empty());
    }
}
