//! The Gilmore–Lawler lower bound on `J` over every completion of a partial
//! assignment (the quadratic-assignment view of the objective).
//!
//! Write `J(π) = 2 − s·S(π) + f·fix(π)` with `s = 2/‖W‖²`, `f = c/n`. With the
//! assigned nodes `A` (images `φ`), the unassigned `U` and the free images `F`,
//! `S` splits into the exact part among `A`, a part linear in the images of `U`
//! (the diagonal `W[i][i]·W[k][k]` and the interaction with `A`), and the
//! quadratic part among `U`. Every ordered pair `(i, j)` of `U` appears once in
//! row `i` and once in column `j`, so half the row sums plus half the column
//! sums is `S_UU`; by the rearrangement inequality each row (column) term is
//! at most the dot product of the sorted vectors `W[i][U∖i]` and `W[k][F∖k]`.
//! That makes every entry an upper bound on node `i`'s share of `S` when
//! `π(i) = k`, and one linear assignment over those entries bounds the whole.
//! Everything runs in `f64` on the `f32` weights (exactly representable), so
//! rounding only enters at the level of `1e-15` relative.

use super::super::assignment;
use super::super::objective::Objective;

/// Marks an unassigned node (in `img`) or a free image (in `pre`).
pub(super) const NONE: usize = usize::MAX;

/// The objective in `f64`, with every row and column of `W` pre-sorted.
pub(super) struct Problem {
    /// Number of nodes.
    pub n: usize,
    /// `W`, row-major.
    w: Vec<f64>,
    /// `2/‖W‖²`: converts a score into (minus) `J`.
    score_scale: f64,
    /// `c/n`: the cost of one fixed point.
    fixed_cost: f64,
    /// Row `i`: the column indices sorted by increasing `W[i][j]`.
    row_order: Vec<u32>,
    /// Row `i`: the row indices sorted by increasing `W[j][i]`.
    col_order: Vec<u32>,
}

impl Problem {
    /// Copies `W` and sorts its rows and columns once (`O(n² log n)`).
    pub fn new(obj: &Objective) -> Self {
        let n = obj.n;
        let w: Vec<f64> = obj.w.iter().map(|&x| f64::from(x)).collect();
        let norm2: f64 = w.iter().map(|x| x * x).sum::<f64>().max(1e-300);
        let mut row_order = Vec::with_capacity(n * n);
        let mut col_order = Vec::with_capacity(n * n);
        for i in 0..n {
            let mut idx: Vec<u32> = (0..n as u32).collect();
            idx.sort_by(|&a, &b| w[i * n + a as usize].total_cmp(&w[i * n + b as usize]));
            row_order.extend_from_slice(&idx);
            idx.sort_by(|&a, &b| w[a as usize * n + i].total_cmp(&w[b as usize * n + i]));
            col_order.extend_from_slice(&idx);
        }
        Self {
            n,
            w,
            score_scale: 2.0 / norm2,
            fixed_cost: obj.penalty / n.max(1) as f64,
            row_order,
            col_order,
        }
    }

    /// `W[i][j]`.
    #[inline]
    pub fn w(&self, i: usize, j: usize) -> f64 {
        self.w[i * self.n + j]
    }

    /// `J(π) = r² + c·fix/n` in `f64`, with `r²` clamped at 0 as
    /// [`Objective::rel_sq_from_score`] does.
    pub fn cost(&self, p: &[usize]) -> f64 {
        let n = self.n;
        let mut s = 0.0;
        let mut fixed = 0usize;
        for (i, &pi) in p.iter().enumerate() {
            fixed += usize::from(i == pi);
            let (row, prow) = (&self.w[i * n..(i + 1) * n], &self.w[pi * n..(pi + 1) * n]);
            s += row.iter().zip(p).map(|(&x, &pj)| x * prow[pj]).sum::<f64>();
        }
        (2.0 - self.score_scale * s).max(0.0) + self.fixed_cost * fixed as f64
    }
}

/// A partial permutation built one node at a time, with its exact partial
/// score kept up to date (`O(|A|)` per step).
pub(super) struct Partial {
    /// `img[i] = π(i)`, or [`NONE`].
    pub img: Vec<usize>,
    /// `pre[k] = π⁻¹(k)`, or [`NONE`].
    pub pre: Vec<usize>,
    /// Assigned nodes in assignment order.
    assigned: Vec<usize>,
    /// `Σ_{a,b ∈ A} W[a][b]·W[φa][φb]`, one entry per depth (the last is current).
    scores: Vec<f64>,
    /// Fixed points among the assigned nodes.
    pub fixed: usize,
    /// Assigned nodes that are not fixed: while 0, the identity is still a completion.
    pub moved: usize,
}

impl Partial {
    /// The empty assignment on `n` nodes.
    pub fn new(n: usize) -> Self {
        Self {
            img: vec![NONE; n],
            pre: vec![NONE; n],
            assigned: Vec::with_capacity(n),
            scores: vec![0.0],
            fixed: 0,
            moved: 0,
        }
    }

    /// Number of assigned nodes.
    pub fn depth(&self) -> usize {
        self.assigned.len()
    }

    /// Exact score among the assigned nodes.
    fn score(&self) -> f64 {
        self.scores.last().copied().unwrap_or(0.0)
    }

    /// Sets `π(v) = k` (`v` unassigned, `k` free).
    pub fn assign(&mut self, p: &Problem, v: usize, k: usize) {
        let mut delta = p.w(v, v) * p.w(k, k);
        for &a in &self.assigned {
            let fa = self.img[a];
            delta += p.w(v, a) * p.w(k, fa) + p.w(a, v) * p.w(fa, k);
        }
        self.scores.push(self.score() + delta);
        self.img[v] = k;
        self.pre[k] = v;
        self.assigned.push(v);
        if v == k {
            self.fixed += 1;
        } else {
            self.moved += 1;
        }
    }

    /// Undoes the last [`Partial::assign`].
    pub fn unassign(&mut self) {
        if let Some(v) = self.assigned.pop() {
            let k = self.img[v];
            self.img[v] = NONE;
            self.pre[k] = NONE;
            self.scores.pop();
            if v == k {
                self.fixed -= 1;
            } else {
                self.moved -= 1;
            }
        }
    }
}

/// What a bound evaluation found.
pub(super) enum Bound {
    /// The stop flag was raised mid-way.
    Stopped,
    /// No admissible completion (only the identity was left).
    Infeasible,
    /// A lower bound on `J` over the admissible completions, and the
    /// completion the assignment proposed (a feasible permutation, possibly
    /// the identity).
    Value {
        /// The bound.
        lower: f64,
        /// `π` completed by the assignment.
        completion: Vec<usize>,
    },
}

/// Buffers reused across bound evaluations.
#[derive(Default)]
pub(super) struct Workspace {
    unassigned: Vec<usize>,
    free: Vec<usize>,
    rows_u: Vec<f64>,
    cols_u: Vec<f64>,
    rows_f: Vec<f64>,
    cols_f: Vec<f64>,
    cross_u: Vec<f64>,
    cross_f: Vec<f64>,
    cost: Vec<f64>,
}

/// The bound over the completions of `part`. While no assigned node has moved
/// (`part.moved == 0`) the identity is a completion but not admissible: then
/// the bound is the least over `u ∈ U` of the assignment with `π(u) = u`
/// forbidden, since every other completion moves some `u`.
pub(super) fn bound(
    p: &Problem,
    part: &Partial,
    ws: &mut Workspace,
    stop: &mut dyn FnMut() -> bool,
) -> Bound {
    let n = p.n;
    ws.unassigned.clear();
    ws.unassigned
        .extend((0..n).filter(|&i| part.img[i] == NONE));
    ws.free.clear();
    ws.free.extend((0..n).filter(|&k| part.pre[k] == NONE));
    let m = ws.unassigned.len();
    let exclude_identity = part.moved == 0;
    if exclude_identity && m < 2 {
        return Bound::Infeasible;
    }
    let base = 2.0 - p.score_scale * part.score() + p.fixed_cost * part.fixed as f64;
    // J ≥ c·fix/n whatever the completion (r² ≥ 0 by Cauchy–Schwarz).
    let floor = p.fixed_cost * part.fixed as f64;
    if m == 0 {
        return Bound::Value {
            lower: base.max(floor),
            completion: part.img.clone(),
        };
    }
    if fill_costs(p, part, ws, stop).is_none() {
        return Bound::Stopped;
    }
    let Workspace {
        unassigned,
        free,
        cost,
        ..
    } = ws;
    let best = if exclude_identity {
        // Here `U = F` as sets (the prefix is fixed) and both are sorted, so the
        // diagonal entry `(u, u)` sits at `(t, t)`. A forbidden entry costs more
        // than any assignment avoiding it; the others keep their exact values.
        let max_abs = cost.iter().fold(0.0f64, |a, &x| a.max(x.abs()));
        let forbidden = 4.0 * m as f64 * (max_abs + 1.0);
        let mut best: Option<(f64, Vec<usize>)> = None;
        for t in 0..m {
            let keep = cost[t * m + t];
            cost[t * m + t] = forbidden;
            let solved = assignment::solve(m, cost, &mut *stop);
            cost[t * m + t] = keep;
            let Some(a) = solved else {
                return Bound::Stopped;
            };
            if a[t] == t {
                continue;
            }
            let total = assignment_total(cost, m, &a);
            if best.as_ref().is_none_or(|b| total < b.0) {
                best = Some((total, a));
            }
        }
        best
    } else {
        match assignment::solve(m, cost, &mut *stop) {
            Some(a) => Some((assignment_total(cost, m, &a), a)),
            None => return Bound::Stopped,
        }
    };
    let Some((total, a)) = best else {
        return Bound::Infeasible;
    };
    let mut completion = part.img.clone();
    for (t, &u) in unassigned.iter().enumerate() {
        completion[u] = free[a[t]];
    }
    Bound::Value {
        lower: (base + total).max(floor),
        completion,
    }
}

/// `Σ_t cost[t][a[t]]`.
fn assignment_total(cost: &[f64], m: usize, a: &[usize]) -> f64 {
    a.iter().enumerate().map(|(t, &k)| cost[t * m + k]).sum()
}

/// Fills `ws.cost` (`m × m`, unassigned × free) with the Gilmore–Lawler
/// entries; `None` if stopped.
fn fill_costs(
    p: &Problem,
    part: &Partial,
    ws: &mut Workspace,
    stop: &mut dyn FnMut() -> bool,
) -> Option<()> {
    let m = ws.unassigned.len();
    let d = part.assigned.len();
    let len = m - 1;
    // Sorted weights of each unassigned node to the other unassigned nodes, and
    // of each free image to the other free images (rows and columns).
    sorted_restricted(p, &ws.unassigned, &part.img, false, &mut ws.rows_u);
    sorted_restricted(p, &ws.unassigned, &part.img, true, &mut ws.cols_u);
    sorted_restricted(p, &ws.free, &part.pre, false, &mut ws.rows_f);
    sorted_restricted(p, &ws.free, &part.pre, true, &mut ws.cols_f);
    // Weights to the assigned nodes (rows then columns), and of the free images
    // to the assigned nodes' images, aligned so a dot product is the interaction.
    ws.cross_u.clear();
    for &i in &ws.unassigned {
        ws.cross_u.extend(part.assigned.iter().map(|&a| p.w(i, a)));
        ws.cross_u.extend(part.assigned.iter().map(|&a| p.w(a, i)));
    }
    ws.cross_f.clear();
    for &k in &ws.free {
        ws.cross_f
            .extend(part.assigned.iter().map(|&a| p.w(k, part.img[a])));
        ws.cross_f
            .extend(part.assigned.iter().map(|&a| p.w(part.img[a], k)));
    }
    ws.cost.clear();
    ws.cost.resize(m * m, 0.0);
    for (t, &i) in ws.unassigned.iter().enumerate() {
        if stop() {
            return None;
        }
        let (ru, cu) = (
            &ws.rows_u[t * len..(t + 1) * len],
            &ws.cols_u[t * len..(t + 1) * len],
        );
        let xu = &ws.cross_u[t * 2 * d..(t + 1) * 2 * d];
        for (q, &k) in ws.free.iter().enumerate() {
            let (rf, cf) = (
                &ws.rows_f[q * len..(q + 1) * len],
                &ws.cols_f[q * len..(q + 1) * len],
            );
            let xf = &ws.cross_f[q * 2 * d..(q + 1) * 2 * d];
            let quad = 0.5 * (dot(ru, rf) + dot(cu, cf));
            let share = p.w(i, i) * p.w(k, k) + dot(xu, xf) + quad;
            let fixed = if i == k { p.fixed_cost } else { 0.0 };
            ws.cost[t * m + q] = fixed - p.score_scale * share;
        }
    }
    Some(())
}

/// For each node `x` of `set` (whose members have `mark == NONE`), the weights
/// `W[x][y]` (`W[y][x]` for `columns`) over the other members `y`, in
/// increasing order, concatenated: a filtered walk of the pre-sorted order, so
/// no sorting per node.
fn sorted_restricted(
    p: &Problem,
    set: &[usize],
    mark: &[usize],
    columns: bool,
    out: &mut Vec<f64>,
) {
    let n = p.n;
    let order = if columns { &p.col_order } else { &p.row_order };
    out.clear();
    for &x in set {
        for &y in &order[x * n..(x + 1) * n] {
            let y = y as usize;
            if y != x && mark[y] == NONE {
                out.push(if columns { p.w(y, x) } else { p.w(x, y) });
            }
        }
    }
}

#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
