//! The seeded solver: fix `π(i₀) = j₀ ≠ i₀`, grow `π` greedily, polish.
//!
//! Growth repeatedly takes the unmapped node `u` with the most weight to the
//! mapped set and maps it onto the free node `v` whose weights to the images
//! of `u`'s strongest mapped neighbours match best:
//! `Σ_m (W[u][m] − W[v][π m])² + (W[m][u] − W[π m][v])²` over at most
//! [`NEIGHBOURS`] neighbours `m`, so one growth costs `O(n²·K)`.
//! [`super::generators`] decides which seeds to grow from.

use super::objective::Objective;
use super::polish;
use super::progress::Ctx;
use super::signature::Signatures;

/// How many mapped neighbours each growth step compares.
pub(crate) const NEIGHBOURS: usize = 24;
const NONE: usize = usize::MAX;
/// How many strongest neighbours per node are kept sorted.
const SORTED_NEIGHBOURS: usize = 128;

/// Each node's other nodes by decreasing connection strength `|W[u][m]| + |W[m][u]|`.
pub(crate) struct Neighbours {
    n: usize,
    order: Vec<u32>,
}

impl Neighbours {
    /// Sorts every row once (`O(n² log n)`), shared by all growth runs.
    pub fn compute(obj: &Objective) -> Self {
        let n = obj.n;
        let mut order = Vec::with_capacity(n * n);
        let mut idx: Vec<u32> = Vec::with_capacity(n);
        for u in 0..n {
            let (row, col) = (obj.row(u), obj.col(u));
            idx.clear();
            idx.extend((0..n as u32).filter(|&m| m as usize != u));
            let cmp = |a: &u32, b: &u32| {
                let sa = row[*a as usize].abs() + col[*a as usize].abs();
                let sb = row[*b as usize].abs() + col[*b as usize].abs();
                sb.total_cmp(&sa).then(a.cmp(b))
            };
            // Only the strongest SORTED_NEIGHBOURS need to be in order; growth
            // rarely looks further, and any order is valid beyond them.
            if idx.len() > SORTED_NEIGHBOURS {
                idx.select_nth_unstable_by(SORTED_NEIGHBOURS, cmp);
                idx[..SORTED_NEIGHBOURS].sort_by(cmp);
            } else {
                idx.sort_by(cmp);
            }
            order.extend_from_slice(&idx);
            order.push(u as u32); // pad to n entries: u itself last
        }
        Self { n, order }
    }

    /// Neighbours of `u`, strongest first (`u` itself last).
    #[inline]
    pub fn of(&self, u: usize) -> &[u32] {
        &self.order[u * self.n..(u + 1) * self.n]
    }
}

/// Grows a full permutation from the given seed pairs. `None` if stopped.
pub(crate) fn grow(
    obj: &Objective,
    nb: &Neighbours,
    seeds: &[(usize, usize)],
    symmetric: bool,
    ctx: &mut Ctx,
) -> Option<Vec<usize>> {
    let n = obj.n;
    let mut img = vec![NONE; n];
    let mut used = vec![false; n];
    let mut attach = vec![0.0f32; n];
    let mut cost = vec![0.0f32; n];
    let mut mapped = 0usize;
    let map = |u: usize, v: usize, img: &mut [usize], used: &mut [bool], attach: &mut [f32]| {
        img[u] = v;
        used[v] = true;
        let (row, col) = (obj.row(u), obj.col(u));
        for x in 0..n {
            attach[x] += row[x].abs() + col[x].abs();
        }
    };
    for &(s, t) in seeds {
        if img[s] == NONE && !used[t] {
            map(s, t, &mut img, &mut used, &mut attach);
            mapped += 1;
        }
    }
    let mut neigh: Vec<usize> = Vec::with_capacity(NEIGHBOURS);
    while mapped < n {
        if mapped % 32 == 0 && ctx.should_stop() {
            return None;
        }
        // The unmapped node most attached to the mapped set.
        let mut u = NONE;
        let mut best = f32::NEG_INFINITY;
        for x in 0..n {
            if img[x] == NONE && attach[x] > best {
                best = attach[x];
                u = x;
            }
        }
        neigh.clear();
        for &m in nb.of(u) {
            let m = m as usize;
            if m != u && img[m] != NONE {
                neigh.push(m);
                if neigh.len() == NEIGHBOURS {
                    break;
                }
            }
        }
        let wuu = obj.w[u * n + u];
        for (v, c) in cost.iter_mut().enumerate() {
            let d = wuu - obj.w[v * n + v];
            *c = d * d;
        }
        for &m in &neigh {
            let pm = img[m];
            let a = obj.w[u * n + m];
            let into = obj.col(pm); // W[v][π m] over v
            if symmetric {
                for (c, &x) in cost.iter_mut().zip(into) {
                    let d = a - x;
                    *c += 2.0 * d * d;
                }
            } else {
                let b = obj.w[m * n + u];
                let out = obj.row(pm); // W[π m][v] over v
                for ((c, &x), &y) in cost.iter_mut().zip(into).zip(out) {
                    let d1 = a - x;
                    let d2 = b - y;
                    *c += d1 * d1 + d2 * d2;
                }
            }
        }
        let mut v = NONE;
        let mut best = f32::INFINITY;
        for (x, &c) in cost.iter().enumerate() {
            if !used[x] && c < best {
                best = c;
                v = x;
            }
        }
        if v == NONE {
            // Only with non-finite intermediate values; fall back to the first free node.
            v = used.iter().position(|&b| !b)?;
        }
        map(u, v, &mut img, &mut used, &mut attach);
        mapped += 1;
    }
    Some(img)
}

/// Shared, precomputed data for seeded runs on one graph.
pub(crate) struct SeededSetup {
    pub nb: Neighbours,
    pub sig: Signatures,
    pub symmetric: bool,
    /// Half the random-permutation error: above it a candidate is junk (no
    /// full polish) and a closure element is rejected.
    pub accept: f64,
    /// Relative error above which a growth is not taken as a generator
    /// (`SearchOptions::group_tolerance`).
    pub group_tolerance: f64,
    /// Relative error below which a result counts towards `max_results`
    /// (a tenth of the random-permutation error).
    pub good: f64,
}

/// The pivot: the most strongly connected node (ties: lowest index).
pub(crate) fn pivot(obj: &Objective) -> usize {
    let mut best = (f64::NEG_INFINITY, 0usize);
    for u in 0..obj.n {
        let s: f64 = obj
            .row(u)
            .iter()
            .zip(obj.col(u))
            .map(|(&a, &b)| (a.abs() + b.abs()) as f64)
            .sum();
        if s > best.0 + 1e-9 * s.abs() {
            best = (s, u);
        }
    }
    best.1
}

/// Above this size the whole-permutation re-assignment (`O(n³)`) is skipped: the
/// worst-node re-assignment ([`polish::refine_worst`]) fixes what growth and pairwise
/// swaps miss at `O(k²·n)`, and a cubic step would dominate the search.
const REFINE_MAX_N: usize = 256;

/// One seeded candidate: grow from `seeds`, polish, record in `ctx`; returns the
/// polished permutation (`None` if stopped).
pub(crate) fn run_one_permutation(
    obj: &Objective,
    setup: &SeededSetup,
    seeds: &[(usize, usize)],
    ctx: &mut Ctx,
) -> Option<Vec<usize>> {
    let mut p = grow(obj, &setup.nb, seeds, setup.symmetric, ctx)?;
    let best = ctx.found.best_error().unwrap_or(f64::INFINITY);
    let grown = obj.rel_sq_from_score(obj.score(&p)).sqrt();
    if grown > setup.accept {
        // Looks like a wrong j₀: a short polish only, to see whether it is rescuable.
        polish::two_opt_rounds(obj, &mut p, 2, ctx);
        let r = ctx.offer(obj, &p);
        if r > setup.accept {
            return Some(p);
        }
    }
    polish::two_opt(obj, &mut p, ctx);
    polish::refine_worst(obj, &mut p, polish::REFINE_WORST, 4, ctx);
    polish::two_opt(obj, &mut p, ctx);
    let r = ctx.offer(obj, &p);
    // An imperfect but competitive growth is re-mapped as a whole, which fixes
    // scattered mistakes; junk from a wrong j₀ is not worth the O(n³) step.
    let competitive =
        obj.n <= 256 || (obj.n <= REFINE_MAX_N && r <= 1.5 * best + 0.02 && has_outliers(obj, &p));
    if r > 1e-9 && competitive && !ctx.should_stop() {
        polish::refine(obj, &mut p, setup.symmetric, 3, ctx);
        polish::two_opt(obj, &mut p, ctx);
    }
    ctx.offer(obj, &p);
    Some(p)
}

/// True if a few nodes are matched much worse than the typical one (the
/// signature of growth mistakes, as opposed to uniform noise).
fn has_outliers(obj: &Objective, p: &[usize]) -> bool {
    let mut e = obj.node_errors(p);
    e.sort_by(f64::total_cmp);
    let median = e[e.len() / 2];
    let max = e.last().copied().unwrap_or(0.0);
    max > 4.0 * median + 1e-12
}
