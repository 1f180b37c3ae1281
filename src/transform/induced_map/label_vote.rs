//! The votes of an induced map over neuron labels (module docs of [`super`]): where each
//! receptive-field centre goes, and which kernel each kernel becomes, by majority.

use std::collections::HashMap;

use crate::model::{NeuronLabel, Space};
use crate::perm::Permutation;

/// The majority vote of the neurons at one receptive-field centre.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PositionVote {
    /// The centre `(x, y)` shared by the voting neurons.
    pub centre: (f32, f32),
    /// The centre most of them are mapped to.
    pub target: (f32, f32),
    /// How many neurons voted for `target`.
    pub agreeing: usize,
    /// How many neurons sit at `centre`.
    pub votes: usize,
}

/// The majority vote of the neurons carrying one kernel label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelVote {
    /// `(kernel, quarter turns)` of the voting neurons.
    pub kernel: (usize, u8),
    /// The `(kernel, quarter turns)` most of them are mapped to.
    pub target: (usize, u8),
    /// How many neurons voted for `target`.
    pub agreeing: usize,
    /// How many neurons carry `kernel`.
    pub votes: usize,
}

/// A centre quantised to 10⁻³ pixel, wrapped into the period of a ring or torus.
fn centre_key(space: Space, centre: (f32, f32)) -> (i64, i64) {
    let wrap = |v: f32, period: usize| -> f32 {
        let period = period as f32;
        let w = v.rem_euclid(period);
        // 99.9999 and 0 are the same point on a circle of 100 pixels.
        if (period - w) < 5e-4 { 0.0 } else { w }
    };
    let (x, y) = match space {
        Space::Ring { n } => (wrap(centre.0, n), centre.1),
        Space::Torus { side } => (wrap(centre.0, side), wrap(centre.1, side)),
        Space::Square { .. } | Space::Line { .. } => centre,
        Space::Polar { sectors, .. } => (wrap(centre.0, sectors), centre.1),
    };
    ((x * 1000.0).round() as i64, (y * 1000.0).round() as i64)
}

/// Majority vote per class: `class_of[i]` is neuron i's class; neuron i votes for `class_of[π(i)]`.
/// Returns per class (in first-seen order) `(class, target, agreeing, votes)` and the agreeing fraction.
/// Ties go to the target class seen first in `class_of`, deterministically.
fn majority<K: Copy + Eq + std::hash::Hash>(
    class_of: &[K],
    pi: &Permutation,
) -> (Vec<(K, K, usize, usize)>, f64) {
    // Dense class indices in first-seen order, so ties compare indices and the ballots
    // are counted by sorting instead of hashing every vote.
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut order: Vec<K> = Vec::new();
    let dense: Vec<usize> = class_of
        .iter()
        .map(|&k| {
            *index.entry(k).or_insert_with(|| {
                order.push(k);
                order.len() - 1
            })
        })
        .collect();
    let mut ballots: Vec<(usize, usize)> = (0..class_of.len())
        .map(|i| (dense[i], dense[pi.image(i)]))
        .collect();
    ballots.sort_unstable();
    let mut votes = Vec::with_capacity(order.len());
    let mut agreeing_total = 0;
    let mut start = 0;
    while start < ballots.len() {
        let class = ballots[start].0;
        let mut end = start;
        // (target, count) with the largest count; the sort visits targets in
        // first-seen order, and a later target must beat the count strictly.
        let mut best = (ballots[start].1, 0usize);
        while end < ballots.len() && ballots[end].0 == class {
            let target = ballots[end].1;
            let mut run = end;
            while run < ballots.len() && ballots[run] == (class, target) {
                run += 1;
            }
            if run - end > best.1 {
                best = (target, run - end);
            }
            end = run;
        }
        agreeing_total += best.1;
        votes.push((order[class], order[best.0], best.1, end - start));
        start = end;
    }
    let fraction = if class_of.is_empty() {
        0.0
    } else {
        agreeing_total as f64 / class_of.len() as f64
    };
    (votes, fraction)
}

/// The position vote: one majority per distinct receptive-field centre, and the
/// fraction of neurons agreeing with their centre's majority.
pub(super) fn position_vote(
    space: Space,
    labels: &[NeuronLabel],
    pi: &Permutation,
) -> (Vec<PositionVote>, f64) {
    let keys: Vec<(i64, i64)> = labels.iter().map(|l| centre_key(space, l.centre)).collect();
    let mut centre_of_key: HashMap<(i64, i64), (f32, f32)> = HashMap::new();
    for (k, l) in keys.iter().zip(labels) {
        centre_of_key.entry(*k).or_insert(l.centre);
    }
    let (votes, confidence) = majority(&keys, pi);
    let votes = votes
        .into_iter()
        .map(|(c, t, agreeing, votes)| PositionVote {
            centre: centre_of_key[&c],
            target: centre_of_key[&t],
            agreeing,
            votes,
        })
        .collect();
    (votes, confidence)
}

/// The kernel vote: one majority per `(kernel, rotation)` label, and the agreeing
/// fraction (`None` without kernel labels).
pub(super) fn kernel_vote(
    labels: &[NeuronLabel],
    pi: &Permutation,
) -> (Vec<KernelVote>, Option<f64>) {
    let keys: Option<Vec<(usize, u8)>> = labels
        .iter()
        .map(|l| l.kernel.map(|k| (k, l.rotation)))
        .collect();
    match keys {
        Some(keys) if !keys.is_empty() => {
            let (votes, confidence) = majority(&keys, pi);
            let votes = votes
                .into_iter()
                .map(|(kernel, target, agreeing, votes)| KernelVote {
                    kernel,
                    target,
                    agreeing,
                    votes,
                })
                .collect();
            (votes, Some(confidence))
        }
        _ => (Vec::new(), None),
    }
}
