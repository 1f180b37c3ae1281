//! Local improvement of a candidate permutation: pairwise swaps (2-opt) with
//! `O(n)` deltas, and assignment refinement (one Frank–Wolfe step to a vertex:
//! re-map every node at once given all the others).

use ndarray::{Array2, ArrayView2, Axis, s};

use super::assignment;
use super::objective::Objective;
use super::progress::Ctx;

/// Below this size every pair is tried; above it only pairs among the worst nodes.
const FULL_PAIRS_MAX_N: usize = 160;
/// How many worst nodes the focused 2-opt looks at.
const FOCUS: usize = 64;

/// Pairwise-swap local search on the penalised cost until no swap improves
/// it: passes over the pairs among the worst nodes, then (small graphs) one
/// pass over all pairs; finally 3-cycles among the worst few nodes.
pub(crate) fn two_opt(obj: &Objective, p: &mut [usize], ctx: &mut Ctx) {
    two_opt_rounds(obj, p, 100, ctx);
}

/// [`two_opt`] with at most `rounds` rounds.
pub(crate) fn two_opt_rounds(obj: &Objective, p: &mut [usize], rounds: usize, ctx: &mut Ctx) {
    let n = obj.n;
    for _round in 0..rounds {
        ctx.work.polish_rounds += 1;
        let worst = ctx.worst_nodes(obj, p, FOCUS.min(n));
        let mut improved = focused_pass(obj, p, &worst, ctx);
        if ctx.should_stop() {
            return;
        }
        if !improved && n <= FULL_PAIRS_MAX_N {
            improved = full_pass(obj, p, ctx);
        }
        if !improved {
            // The worst nodes of this round's start: no swap moved them (or it would
            // have counted as an improvement), so their ranking still holds.
            improved = three_cycles(obj, p, &worst[..THREE_FOCUS.min(worst.len())]);
        }
        if !improved || ctx.should_stop() {
            return;
        }
    }
}

const EPS: f64 = 1e-12;
/// How many worst nodes the 3-cycle search looks at.
const THREE_FOCUS: usize = 12;

fn focused_pass(obj: &Objective, p: &mut [usize], idx: &[usize], ctx: &mut Ctx) -> bool {
    let mut improved = false;
    for (i, &a) in idx.iter().enumerate() {
        for &b in &idx[i + 1..] {
            if obj.swap_delta_cost(p, a, b) < -EPS {
                p.swap(a, b);
                improved = true;
            }
        }
        if i % 8 == 0 && ctx.should_stop() {
            break;
        }
    }
    improved
}

fn full_pass(obj: &Objective, p: &mut [usize], ctx: &mut Ctx) -> bool {
    let n = obj.n;
    let mut improved = false;
    for a in 0..n {
        for b in a + 1..n {
            if obj.swap_delta_cost(p, a, b) < -EPS {
                p.swap(a, b);
                improved = true;
            }
        }
        if a % 16 == 0 && ctx.should_stop() {
            break;
        }
    }
    improved
}

/// Tries every 3-cycle among the nodes `idx` (two swaps applied together).
fn three_cycles(obj: &Objective, p: &mut [usize], idx: &[usize]) -> bool {
    let mut improved = false;
    for x in 0..idx.len() {
        for y in x + 1..idx.len() {
            for z in y + 1..idx.len() {
                let (a, b, c) = (idx[x], idx[y], idx[z]);
                let d1 = obj.swap_delta_cost(p, a, b);
                p.swap(a, b);
                let d2 = obj.swap_delta_cost(p, a, c);
                if d1 + d2 < -EPS {
                    p.swap(a, c);
                    improved = true;
                    continue;
                }
                let d3 = obj.swap_delta_cost(p, b, c);
                if d1 + d3 < -EPS {
                    p.swap(b, c);
                    improved = true;
                    continue;
                }
                p.swap(a, b);
            }
        }
    }
    improved
}

/// `a · bᵀ` in row blocks, checking for a stop between blocks.
pub(crate) fn gemm_nt(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    ctx: &mut Ctx,
) -> Option<Array2<f32>> {
    let (n, m) = (a.nrows(), b.nrows());
    let mut out = Array2::<f32>::zeros((n, m));
    let bt = b.t();
    let block = 256;
    let mut start = 0;
    while start < n {
        if ctx.should_stop() {
            return None;
        }
        let end = (start + block).min(n);
        let prod = a.slice(s![start..end, ..]).dot(&bt);
        out.slice_mut(s![start..end, ..]).assign(&prod);
        start = end;
    }
    Some(out)
}

/// The linearisation of `S` at `π`: `G[u][v] = Σ_j W[u][j]·W[v][π j] + W[j][u]·W[π j][v]`.
pub(crate) fn linearisation(
    obj: &Objective,
    p: &[usize],
    symmetric: bool,
    ctx: &mut Ctx,
) -> Option<Array2<f32>> {
    let n = obj.n;
    let w = ArrayView2::from_shape((n, n), &obj.w).ok()?;
    let c = w.select(Axis(1), p);
    let mut g = gemm_nt(w, c.view(), ctx)?;
    if symmetric {
        g.mapv_inplace(|x| 2.0 * x);
    } else {
        let wt = ArrayView2::from_shape((n, n), &obj.wt).ok()?;
        let d = wt.select(Axis(1), p);
        g += &gemm_nt(wt, d.view(), ctx)?;
    }
    Some(g)
}

/// Solves `max_π' Σ_u G[u][π' u] − (c‖W‖²/n)·fix(π')` (one linear assignment).
pub(crate) fn assign_from_gain(
    obj: &Objective,
    gain: &Array2<f32>,
    ctx: &mut Ctx,
) -> Option<Vec<usize>> {
    let n = obj.n;
    let pen = obj.penalty * obj.norm2 / n as f64;
    let mut cost = vec![0.0f64; n * n];
    for u in 0..n {
        for v in 0..n {
            cost[u * n + v] = -(gain[[u, v]] as f64) + if u == v { pen } else { 0.0 };
        }
    }
    ctx.work.assignments += 1;
    assignment::solve(n, &cost, || ctx.should_stop())
}

/// Repeats "re-map every node given the rest" while the cost drops (at most `rounds` times).
pub(crate) fn refine(
    obj: &Objective,
    p: &mut Vec<usize>,
    symmetric: bool,
    rounds: usize,
    ctx: &mut Ctx,
) {
    let mut cost = ctx.cost(obj, p);
    for _ in 0..rounds {
        ctx.work.polish_rounds += 1;
        let Some(g) = linearisation(obj, p, symmetric, ctx) else {
            return;
        };
        let Some(q) = assign_from_gain(obj, &g, ctx) else {
            return;
        };
        let c = ctx.cost(obj, &q);
        if c < cost - 1e-12 {
            *p = q;
            cost = c;
        } else {
            break;
        }
    }
}

/// How many worst nodes [`refine_worst`] re-assigns at once.
pub(crate) const REFINE_WORST: usize = 96;

/// Re-assigns the `k` worst-matched nodes among their own images at once, given all
/// the other nodes (one `k × k` linear assignment on the exact mismatch of their rows
/// and columns against the fixed rest; `O(k²·n)`), while `J` drops. It fixes the
/// scattered mistakes and longer cycles of wrong images that pairwise swaps cannot,
/// at a fraction of the cost of re-assigning all `n` nodes.
pub(crate) fn refine_worst(
    obj: &Objective,
    p: &mut [usize],
    k: usize,
    rounds: usize,
    ctx: &mut Ctx,
) {
    let n = obj.n;
    let k = k.min(n);
    if k < 2 {
        return;
    }
    let pen = obj.penalty * obj.norm2 / n as f64;
    let mut current = ctx.cost(obj, p);
    let mut inside = vec![false; n];
    for _ in 0..rounds {
        if ctx.should_stop() {
            return;
        }
        ctx.work.polish_rounds += 1;
        ctx.work.assignments += 1;
        let set = ctx.worst_nodes(obj, p, k);
        let images: Vec<usize> = set.iter().map(|&a| p[a]).collect();
        set.iter().for_each(|&a| inside[a] = true);
        let outside: Vec<usize> = (0..n).filter(|&m| !inside[m]).collect();
        let cost = worst_cost_matrix(obj, p, &set, &images, &outside, pen);
        set.iter().for_each(|&a| inside[a] = false);
        let Some(assign) = assignment::solve(k, &cost, || ctx.should_stop()) else {
            return;
        };
        let mut q = p.to_vec();
        for (x, &a) in set.iter().enumerate() {
            q[a] = images[assign[x]];
        }
        let c = ctx.cost(obj, &q);
        if c < current - 1e-12 {
            p.copy_from_slice(&q);
            current = c;
        } else {
            return;
        }
    }
}

/// The `k × k` cost of sending worst node `set[x]` to image `images[y]`, given the
/// rest: `Σ_{m outside} (W[a][m] − W[b][π m])² + (W[m][a] − W[π m][b])²` plus the
/// diagonal term and the fixed-point penalty. The sum is expanded into squared norms
/// and one cross product, so the `O(k²·n)` part is a dense matrix product (vectorised)
/// instead of `k²·n` scattered reads.
fn worst_cost_matrix(
    obj: &Objective,
    p: &[usize],
    set: &[usize],
    images: &[usize],
    outside: &[usize],
    pen: f64,
) -> Vec<f64> {
    let k = set.len();
    let o = outside.len();
    // A holds the worst nodes' rows and columns on the outside nodes; B the candidate
    // images' rows and columns on the outside nodes' images.
    let mut a = Array2::<f32>::zeros((k, 2 * o));
    let mut b = Array2::<f32>::zeros((k, 2 * o));
    for (x, &u) in set.iter().enumerate() {
        let (r, c) = (obj.row(u), obj.col(u));
        let mut row = a.row_mut(x);
        for (t, &m) in outside.iter().enumerate() {
            row[t] = r[m];
            row[o + t] = c[m];
        }
    }
    for (y, &v) in images.iter().enumerate() {
        let (r, c) = (obj.row(v), obj.col(v));
        let mut row = b.row_mut(y);
        for (t, &m) in outside.iter().enumerate() {
            let pm = p[m];
            row[t] = r[pm];
            row[o + t] = c[pm];
        }
    }
    let norm = |m: &Array2<f32>| -> Vec<f64> {
        m.rows()
            .into_iter()
            .map(|r| r.iter().map(|&x| (x as f64) * (x as f64)).sum())
            .collect()
    };
    let (na, nb) = (norm(&a), norm(&b));
    let cross = a.dot(&b.t());
    let mut cost = vec![0.0f64; k * k];
    for (x, &u) in set.iter().enumerate() {
        for (y, &v) in images.iter().enumerate() {
            let dd = (obj.w[u * obj.n + u] - obj.w[v * obj.n + v]) as f64;
            let sq = (na[x] + nb[y] - 2.0 * cross[[x, y]] as f64).max(0.0);
            cost[x * k + y] = sq + dd * dd + if u == v { pen } else { 0.0 };
        }
    }
    cost
}

/// Full polish: assignment refinement (when asked) then 2-opt.
pub(crate) fn polish(
    obj: &Objective,
    p: &mut Vec<usize>,
    symmetric: bool,
    refine_rounds: usize,
    ctx: &mut Ctx,
) {
    if refine_rounds > 0 {
        refine(obj, p, symmetric, refine_rounds, ctx);
    }
    two_opt(obj, p, ctx);
}
