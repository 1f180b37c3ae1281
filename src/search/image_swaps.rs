//! Swaps that send a badly matched node to the image its neighbours point at.
//!
//! On a large learned graph a near-symmetry found by growth is right almost everywhere,
//! but a few per cent of its nodes take a near-equivalent image: on `torus-large`
//! (16 detectors per position) 589 of 16,384 detectors went to the half-turned copy of
//! their true image two pixels away, or slipped one pixel along their own orientation.
//! Most of these mistakes come in pairs or short chains: `a` holds the image `b`
//! should have and `b` holds `a`'s. The focused 2-opt ([`super::polish::two_opt`])
//! only tries pairs among the 64 worst nodes, which rarely holds both ends of a pair
//! when hundreds are wrong; the worst-node re-assignment holds 96. Here every badly
//! matched node `a` looks up the image its own strongest neighbours point at — the
//! free or taken node `v` whose weights to their images match `a`'s weights to them —
//! and the node `b = π⁻¹(v)` holding it, and the pair is swapped when the exact change
//! of the cost says so. A chain is undone one link per swap.

use super::growth::image_cost;
use super::neighbours::{NEIGHBOURS, Neighbours};
use super::objective::Objective;
use super::progress::Ctx;

/// The worst nodes each round looks at: a sixteenth of the graph (1,024 of 16,384,
/// about twice the mistakes of a growth that ends as a near-symmetry there).
fn focus(n: usize) -> usize {
    (n / 16).max(64).min(n)
}

/// Images tried per node, best first (each costs one exact `O(n)` swap delta).
const TRIED: usize = 2;
/// Strongest neighbours of a node whose images' neighbour lists give the candidates.
const SOURCES: usize = 4;
/// Rounds at most; a round that improves nothing ends the pass.
const ROUNDS: usize = 8;
const EPS: f64 = 1e-12;
/// A swap is made only if it leaves its two nodes at most this share of their error.
/// Undoing a real mistake leaves them near the noise level; a swap that merely fits the
/// noise lowers the cost a little. Without this test the swaps bent a noisy circulant's
/// reflection (n = 16,384) until it no longer passed as a generator: D_16384 became
/// C_16384.
const KEPT_ERROR: f64 = 0.5;

/// Runs rounds of best-image swaps over the worst nodes while they lower the cost;
/// returns true if any swap was made. Counts each round in `polish_rounds`.
pub(crate) fn best_image_swaps(
    obj: &Objective,
    nb: &Neighbours,
    p: &mut [usize],
    ctx: &mut Ctx,
) -> bool {
    let n = obj.n;
    let mut inv = vec![0usize; n];
    for (a, &v) in p.iter().enumerate() {
        inv[v] = a;
    }
    let mut stamp = vec![usize::MAX; n];
    let mut stamp_id = 0usize;
    let mut any = false;
    for _ in 0..ROUNDS {
        if ctx.should_stop() {
            break;
        }
        ctx.work.polish_rounds += 1;
        let worst = ctx.worst_nodes(obj, p, focus(n));
        let mut improved = false;
        let mut best: Vec<(f32, usize)> = Vec::with_capacity(TRIED + 1);
        for &a in &worst {
            stamp_id += 1;
            best.clear();
            let listed = nb.of(a);
            let compared: Vec<usize> = listed
                .iter()
                .map(|&m| m as usize)
                .filter(|&m| m != a)
                .take(NEIGHBOURS)
                .collect();
            for &m in compared.iter().take(SOURCES) {
                for &v in nb.of(p[m]) {
                    let v = v as usize;
                    if v == p[a] || stamp[v] == stamp_id {
                        continue;
                    }
                    stamp[v] = stamp_id;
                    let c = image_cost(obj, a, v, &compared, |m| p[m]);
                    if c.is_nan() {
                        continue;
                    }
                    keep_best(&mut best, (c, v));
                }
            }
            for &(_, v) in &best {
                let b = inv[v];
                if b == a {
                    continue;
                }
                if obj.swap_delta_cost(p, a, b) >= -EPS {
                    continue;
                }
                let before = obj.node_error(p, a) + obj.node_error(p, b);
                p.swap(a, b);
                let after = obj.node_error(p, a) + obj.node_error(p, b);
                if after <= KEPT_ERROR * before {
                    inv[p[a]] = a;
                    inv[p[b]] = b;
                    improved = true;
                    break;
                }
                p.swap(a, b);
            }
        }
        any |= improved;
        if !improved {
            break;
        }
    }
    any
}

/// Keeps the [`TRIED`] lowest costs (ties by index), best first.
fn keep_best(best: &mut Vec<(f32, usize)>, x: (f32, usize)) {
    let cmp = |a: &(f32, usize), b: &(f32, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    if best.len() == TRIED && cmp(&x, &best[TRIED - 1]).is_ge() {
        return;
    }
    let at = best.partition_point(|y| cmp(y, &x).is_lt());
    best.insert(at, x);
    best.truncate(TRIED);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cancel::CancelToken;
    use crate::search::growth::tests::{planted_shift, scrambled_circulant};

    #[test]
    fn swapped_pairs_and_a_chain_are_put_back_onto_the_planted_shift() {
        let n = 600;
        let (obj, labels) = scrambled_circulant(n, 5);
        // Short lists, as on a graph above 4,096 nodes.
        let nb = Neighbours::keeping(&obj, 32);
        let truth = planted_shift(&labels, 3);
        let mut p = truth.clone();
        // 80 neighbouring pairs exchange their images (more than the focused 2-opt's
        // 64 worst nodes can hold both ends of), and one 5-node chain is rotated by one.
        for t in 0..80 {
            let (a, b) = (labels[7 * t], labels[7 * t + 1]);
            p.swap(a, b);
        }
        let chain: Vec<usize> = (570..575).map(|i| labels[i]).collect();
        let first = p[chain[0]];
        for w in chain.windows(2) {
            p[w[0]] = p[w[1]];
        }
        p[chain[4]] = first;
        let wrong = (0..n).filter(|&i| p[i] != truth[i]).count();
        assert_eq!(wrong, 165);
        let cancel = CancelToken::new();
        let mut on_progress = |_| {};
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
        let mut ctx = Ctx::new(&cancel, deadline, &mut on_progress);
        assert!(best_image_swaps(&obj, &nb, &mut p, &mut ctx));
        assert_eq!(p, truth);
        // On the planted shift itself nothing changes.
        assert!(!best_image_swaps(&obj, &nb, &mut p, &mut ctx));
    }

    #[test]
    fn the_planted_symmetries_are_not_bent_to_fit_the_noise() {
        let n = 600;
        let (obj, labels) = scrambled_circulant(n, 9);
        let nb = Neighbours::keeping(&obj, 32);
        let cancel = CancelToken::new();
        let mut on_progress = |_| {};
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
        let mut ctx = Ctx::new(&cancel, deadline, &mut on_progress);
        let mut reflection = vec![0; n];
        for i in 0..n {
            reflection[labels[i]] = labels[(n - i) % n];
        }
        for truth in [
            planted_shift(&labels, 1),
            planted_shift(&labels, 250),
            reflection,
        ] {
            let mut p = truth.clone();
            best_image_swaps(&obj, &nb, &mut p, &mut ctx);
            assert_eq!(p, truth);
        }
    }
}
