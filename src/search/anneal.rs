//! Simulated annealing over transpositions with `O(n)` deltas, the
//! fixed-point penalty, and centrality-guided proposals: half of the moves
//! send `a` to a node whose strength rank is close to `a`'s own (node
//! signatures as in Hartman et al. 2025), the rest are uniform.

use rand::{Rng, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;

use super::objective::Objective;
use super::progress::Ctx;

/// Anneals from `start` (or a random derangement) for `iterations` moves (the
/// temperature schedule is a function of the move count alone, so the result never
/// depends on the machine's speed); records the best permutation seen.
pub(crate) fn run(
    obj: &Objective,
    start: Option<Vec<usize>>,
    seed: u64,
    iterations: usize,
    ctx: &mut Ctx,
) {
    let n = obj.n;
    if n < 2 {
        return;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut p = start.unwrap_or_else(|| random_derangement(n, &mut rng));
    // Strength ranks for guided proposals.
    let strength: Vec<f32> = (0..n)
        .map(|u| {
            obj.row(u)
                .iter()
                .zip(obj.col(u))
                .map(|(a, b)| a.abs() + b.abs())
                .sum()
        })
        .collect();
    let mut by_strength: Vec<usize> = (0..n).collect();
    by_strength.sort_by(|&a, &b| strength[a].total_cmp(&strength[b]).then(a.cmp(&b)));
    let mut rank = vec![0usize; n];
    for (r, &u) in by_strength.iter().enumerate() {
        rank[u] = r;
    }
    let window = (n / 20).max(2);
    let mut inv = vec![0usize; n];
    for (i, &x) in p.iter().enumerate() {
        inv[x] = i;
    }
    // Initial temperature: mean uphill move size.
    let mut up = 0.0;
    let mut count = 0usize;
    for _ in 0..64 {
        let a = rng.random_range(0..n);
        let b = rng.random_range(0..n);
        if a != b {
            let d = obj.swap_delta_cost(&p, a, b);
            if d > 0.0 {
                up += d;
                count += 1;
            }
        }
    }
    let t0 = if count > 0 { up / count as f64 } else { 1e-3 };
    let t_end = t0 * 1e-4;
    let mut cost = obj.cost(&p);
    let mut best_cost = cost;
    let mut best = p.clone();
    let mut temp = t0;
    for it in 0..iterations {
        ctx.work.anneal_moves += 1;
        if it % 256 == 0 {
            if ctx.should_stop() {
                break;
            }
            let frac = it as f64 / iterations as f64;
            temp = t0 * (t_end / t0).powf(frac);
            if it % 65536 == 0 {
                ctx.report(frac);
            }
        }
        let a = rng.random_range(0..n);
        let b = if rng.random::<bool>() {
            rng.random_range(0..n)
        } else {
            let r = rank[a] as i64 + rng.random_range(-(window as i64)..=window as i64);
            inv[by_strength[r.clamp(0, n as i64 - 1) as usize]]
        };
        if a == b {
            continue;
        }
        let d = obj.swap_delta_cost(&p, a, b);
        if d <= 0.0 || rng.random::<f64>() < (-d / temp).exp() {
            p.swap(a, b);
            inv[p[a]] = a;
            inv[p[b]] = b;
            cost += d;
            if cost < best_cost - 1e-12 {
                best_cost = cost;
                best.copy_from_slice(&p);
            }
        }
    }
    ctx.offer(obj, &best);
    ctx.report(1.0);
}

/// A uniformly random permutation with no fixed point (`n ≥ 2`).
pub(crate) fn random_derangement(n: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    loop {
        p.shuffle(rng);
        if p.iter().enumerate().all(|(i, &x)| i != x) {
            return p;
        }
    }
}
