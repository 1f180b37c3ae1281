//! Growth on a planted noisy circulant, with whole neighbour lists and with the short
//! lists of large graphs (candidate images among the images' strongest neighbours).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::cancel::CancelToken;
use crate::graph::WeightedGraph;
use ndarray::Array2;

/// A symmetric circulant with a Gaussian profile (width 3) plus small symmetric noise,
/// its nodes relabelled by `labels`; the planted shifts are `labels[i] ↦ labels[i+k]`.
pub(crate) fn scrambled_circulant(n: usize, seed: u64) -> (Objective, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut labels: Vec<usize> = (0..n).collect();
    rand::seq::SliceRandom::shuffle(labels.as_mut_slice(), &mut rng);
    let mut w = Array2::<f32>::zeros((n, n));
    for i in 0..n {
        for j in i..n {
            let d = (j - i).min(n - (j - i)) as f32;
            let x = (-d * d / 18.0).exp() + rng.random_range(-0.01f32..0.01);
            w[[labels[i], labels[j]]] = x;
            w[[labels[j], labels[i]]] = x;
        }
    }
    let graph = WeightedGraph::new(w, None).unwrap();
    (Objective::new(&graph, 0.5), labels)
}

/// The planted shift by `k` in the scrambled labels.
pub(crate) fn planted_shift(labels: &[usize], k: usize) -> Vec<usize> {
    let n = labels.len();
    let mut p = vec![0; n];
    for i in 0..n {
        p[labels[i]] = labels[(i + k) % n];
    }
    p
}

fn grown(obj: &Objective, nb: &Neighbours, seeds: &[(usize, usize)]) -> Vec<usize> {
    let cancel = CancelToken::new();
    let mut on_progress = |_| {};
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
    let ctx = Ctx::new(&cancel, deadline, &mut on_progress);
    match grow(obj, nb, seeds, Attach::Total, f64::INFINITY, ctx.stop()) {
        Growth::Grown(p) => p,
        _ => panic!("the growth did not complete"),
    }
}

#[test]
fn short_lists_grow_the_planted_shift_as_whole_lists_do() {
    let n = 600;
    let (obj, labels) = scrambled_circulant(n, 7);
    let whole = Neighbours::compute(&obj);
    let short = Neighbours::keeping(&obj, 24);
    assert!(whole.complete() && !short.complete());
    for k in [1, 5, 299] {
        let truth = planted_shift(&labels, k);
        // Two seed pairs fix the shift (one alone leaves the reflection open).
        let seeds = [(labels[0], labels[k]), (labels[1], labels[(1 + k) % n])];
        assert_eq!(grown(&obj, &whole, &seeds), truth, "whole lists, shift {k}");
        assert_eq!(grown(&obj, &short, &seeds), truth, "short lists, shift {k}");
    }
}

#[test]
fn a_step_with_no_free_listed_candidate_falls_back_to_every_free_node() {
    // Lists of one entry: the images' strongest neighbours are soon all used, so most
    // steps fall back to the full comparison; the growth still completes a permutation.
    let n = 80;
    let (obj, labels) = scrambled_circulant(n, 11);
    let tiny = Neighbours::keeping(&obj, 1);
    let seeds = [(labels[0], labels[3]), (labels[1], labels[4])];
    let mut p = grown(&obj, &tiny, &seeds);
    p.sort_unstable();
    assert_eq!(p, (0..n).collect::<Vec<_>>());
}
