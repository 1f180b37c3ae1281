//! Linear assignment: a shortest-augmenting-path solver with dual potentials
//! (the Jonker–Volgenant / Hungarian family, `O(n³)` worst case), cancellable.
//!
//! No maintained crate fits: `pathfinding::kuhn_munkres` needs integer
//! weights and is `O(n³)` without early exits; this one works on `f64` costs
//! directly and checks a cancel flag between rows.

/// Minimises `Σ_i cost[i][assign[i]]` over permutations for a square row-major
/// `n × n` cost matrix. Returns `None` if `stop()` said so (checked once per row).
/// Costs must be finite.
pub(crate) fn solve(n: usize, cost: &[f64], mut stop: impl FnMut() -> bool) -> Option<Vec<usize>> {
    assert_eq!(cost.len(), n * n, "cost matrix must be n × n");
    if n == 0 {
        return Some(Vec::new());
    }
    // 1-based arrays as in the classic formulation; index 0 is the virtual column.
    let mut u = vec![0.0f64; n + 1];
    let mut v = vec![0.0f64; n + 1];
    // Column reduction keeps the potentials feasible and speeds up the search.
    for j in 0..n {
        let mut m = f64::INFINITY;
        for i in 0..n {
            m = m.min(cost[i * n + j]);
        }
        v[j + 1] = m;
    }
    let mut p = vec![0usize; n + 1]; // p[j] = row assigned to column j
    let mut way = vec![0usize; n + 1];
    let mut minv = vec![0.0f64; n + 1];
    let mut used = vec![false; n + 1];
    for i in 1..=n {
        if stop() {
            return None;
        }
        p[0] = i;
        let mut j0 = 0usize;
        minv.iter_mut().for_each(|x| *x = f64::INFINITY);
        used.iter_mut().for_each(|x| *x = false);
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let row = &cost[(i0 - 1) * n..i0 * n];
            let ui0 = u[i0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0usize;
            for j in 1..=n {
                if !used[j] {
                    let cur = row[j - 1] - ui0 - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            if j1 == 0 {
                // Only possible with non-finite costs.
                return None;
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut assign = vec![0usize; n];
    for j in 1..=n {
        assign[p[j] - 1] = j - 1;
    }
    Some(assign)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn brute_force(n: usize, cost: &[f64]) -> f64 {
        fn rec(k: usize, n: usize, cost: &[f64], used: &mut Vec<bool>, acc: f64, best: &mut f64) {
            if k == n {
                *best = best.min(acc);
                return;
            }
            for j in 0..n {
                if !used[j] {
                    used[j] = true;
                    rec(k + 1, n, cost, used, acc + cost[k * n + j], best);
                    used[j] = false;
                }
            }
        }
        let mut best = f64::INFINITY;
        rec(0, n, cost, &mut vec![false; n], 0.0, &mut best);
        best
    }

    #[test]
    fn matches_brute_force_on_small_random_matrices() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for trial in 0..300 {
            let n = 1 + trial % 7;
            let integer = trial % 3 == 0; // many ties
            let cost: Vec<f64> = (0..n * n)
                .map(|_| {
                    if integer {
                        rng.random_range(0..4) as f64
                    } else {
                        rng.random_range(-5.0..5.0)
                    }
                })
                .collect();
            let a = solve(n, &cost, || false).unwrap();
            let mut seen = vec![false; n];
            for &j in &a {
                assert!(!seen[j]);
                seen[j] = true;
            }
            let total: f64 = a.iter().enumerate().map(|(i, &j)| cost[i * n + j]).sum();
            let best = brute_force(n, &cost);
            assert!((total - best).abs() < 1e-9, "n={n}: {total} vs {best}");
        }
    }

    #[test]
    fn stops_when_asked() {
        let cost = vec![0.0; 16];
        assert!(solve(4, &cost, || true).is_none());
    }
}
