//! Greedy growth of a permutation from seed pairs, with early abandonment of wrong
//! seeds and branching on the first free choice.
//!
//! Growth repeatedly takes the unmapped node `u` with the most weight to the mapped
//! set and maps it onto the free node `v` whose weights to the images of `u`'s
//! strongest mapped neighbours match best. The first step after a single seed pair
//! compares one weight only, so on dense graphs whose weights take many nearly equal
//! values (a circulant with a random profile) it picks among dozens of near-ties and
//! a wrong pick dooms the whole growth. [`grow_branching`] therefore tries the best
//! few first choices, each grown only until its running mismatch shows whether it
//! is on track.

use super::neighbours::{NEIGHBOURS, Neighbours};
use super::objective::Objective;
use super::progress::{Ctx, Stop};

const NONE: usize = usize::MAX;

/// Graphs above this size abandon growths whose running mismatch is high; below it
/// every growth is completed and polished (cheap there, and polish rescues some).
pub(crate) const ABANDON_MIN_N: usize = 512;

/// First choices [`grow_branching`] tries after a single seed pair (one weight to
/// match: many near-ties) …
const BRANCHES_ONE_SEED: usize = 8;
/// … and after several (two or more weights: few near-ties).
const BRANCHES: usize = 3;
/// Nodes a growth maps before its running mismatch is first judged. Measured on
/// `torus-translate` (n = 2,048): after 64 steps growths that end as symmetries run at
/// 0.04–0.06, wrong seeds at 0.19–0.25 (final errors 0.06–0.10 against about 0.6).
pub(crate) const PROBE_STEPS: usize = 64;

/// On graphs whose neighbour lists are partial (above 4,096 nodes, see
/// [`Neighbours::complete`]), a growth step compares `u` only against the free nodes
/// listed among the strongest neighbours of the images of `u`'s strongest few mapped
/// neighbours — under a near-symmetry `π(u)` is as strongly tied to `π(m)` as `u` is to
/// `m` — instead of against all `n` nodes: `O(K·L)` per step instead of `O(K·n)`
/// ([`NEIGHBOURS`] = K compared weights, L listed neighbours). At 16,384 nodes the full
/// comparison was a third of a search's time. With no free node among them the step
/// falls back to the full comparison.
const CANDIDATE_SOURCES: usize = 4;

/// Which unmapped node a growth maps next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Attach {
    /// The node with the most weight to the mapped set in total: many moderate
    /// weights count, which makes growth robust on dense graphs whose every weight
    /// carries structure (the default).
    Total,
    /// The node with the strongest single weight to a mapped node: growth walks along
    /// the strongest links. On a graph whose structure is a few strong local links on
    /// a broad plateau of noisy weights (`ring-learned`: neighbours at 0.7 of the
    /// largest weight, distant pairs at 0.22 ± 0.05), total attachment soon favours
    /// the plateau node whose weights noise inflated most, and its image is then
    /// matched on noise; the strongest link is matched unambiguously.
    Strongest,
}

/// How a growth ended.
pub(crate) enum Growth {
    /// Cancelled or past the deadline.
    Stopped,
    /// Given up part-way: its running mismatch showed a wrong seed. `steps` nodes
    /// were mapped before (over all branches): the work spent.
    Abandoned { steps: usize },
    /// A full permutation.
    Grown(Vec<usize>),
}

/// The state of one growth.
struct Grower<'a> {
    obj: &'a Objective,
    nb: &'a Neighbours,
    mode: Attach,
    img: Vec<usize>,
    used: Vec<bool>,
    attach: Vec<f32>,
    cost: Vec<f32>,
    neigh: Vec<usize>,
    /// Candidate images of the current step ([`CANDIDATE_SOURCES`]), and per node the
    /// step at which it was last listed (to list each once).
    candidates: Vec<usize>,
    listed_at: Vec<usize>,
    mapped: usize,
    /// Sum of the chosen images' mismatches …
    mismatch: f64,
    /// … and of the squared weights they were compared on: a wrong seed shows as a
    /// ratio near the random level long before the end.
    compared: f64,
}

impl<'a> Grower<'a> {
    fn new(obj: &'a Objective, nb: &'a Neighbours, mode: Attach, seeds: &[(usize, usize)]) -> Self {
        let n = obj.n;
        let mut g = Self {
            obj,
            nb,
            mode,
            img: vec![NONE; n],
            used: vec![false; n],
            attach: vec![0.0; n],
            cost: vec![0.0; n],
            neigh: Vec::with_capacity(NEIGHBOURS),
            candidates: Vec::new(),
            listed_at: if nb.complete() {
                Vec::new()
            } else {
                vec![NONE; n]
            },
            mapped: 0,
            mismatch: 0.0,
            compared: 0.0,
        };
        for &(s, t) in seeds {
            if g.img[s] == NONE && !g.used[t] {
                g.map(s, t);
            }
        }
        g
    }

    fn map(&mut self, u: usize, v: usize) {
        self.img[u] = v;
        self.used[v] = true;
        self.mapped += 1;
        let (row, col) = (self.obj.row(u), self.obj.col(u));
        let links = self.attach.iter_mut().zip(row).zip(col);
        match self.mode {
            Attach::Total => links.for_each(|((a, &r), &c)| *a += r.abs() + c.abs()),
            Attach::Strongest => links.for_each(|((a, &r), &c)| *a = a.max(r.abs() + c.abs())),
        }
    }

    /// The unmapped node most attached to the mapped set (as [`Attach`] measures it).
    fn next_node(&self) -> usize {
        let mut u = NONE;
        let mut best = f32::NEG_INFINITY;
        for (x, &a) in self.attach.iter().enumerate() {
            if self.img[x] == NONE && a > best {
                best = a;
                u = x;
            }
        }
        u
    }

    /// Fills `cost[v]`: the mismatch of mapping `u` onto `v` against `u`'s strongest
    /// mapped neighbours; adds the compared weights to `compared`.
    fn costs(&mut self, u: usize) {
        let neigh = self.compared_neighbours(u);
        self.fill_costs(u, neigh);
    }

    /// `u`'s strongest mapped neighbours (at most [`NEIGHBOURS`]), strongest first; on
    /// large graphs completed by other mapped nodes in index order.
    fn compared_neighbours(&mut self, u: usize) -> Vec<usize> {
        let mut neigh = std::mem::take(&mut self.neigh);
        neigh.clear();
        let listed = self.nb.of(u);
        for &m in listed {
            let m = m as usize;
            if m != u && self.img[m] != NONE {
                neigh.push(m);
                if neigh.len() == NEIGHBOURS {
                    break;
                }
            }
        }
        // Only the strongest are listed on large graphs: the rest of the mapped nodes
        // in index order.
        if neigh.len() < NEIGHBOURS && !self.nb.complete() {
            for m in 0..self.obj.n {
                if neigh.len() == NEIGHBOURS {
                    break;
                }
                if m != u && self.img[m] != NONE && !listed.contains(&(m as u32)) {
                    neigh.push(m);
                }
            }
        }
        neigh
    }

    /// The best free image of `u` (lowest cost, ties by index; `None` if every cost is
    /// NaN): among the listed candidates on graphs with partial neighbour lists
    /// ([`CANDIDATE_SOURCES`]), otherwise (or when no candidate is free) among all
    /// free nodes.
    fn best_image(&mut self, u: usize) -> Option<(f32, usize)> {
        if self.nb.complete() {
            self.costs(u);
            return self.best_one();
        }
        let neigh = self.compared_neighbours(u);
        // Only neighbours from u's own strongest list are sources: the index-order
        // filler nodes say nothing about where u goes.
        let listed = self.nb.of(u);
        let step = self.mapped;
        self.candidates.clear();
        for &m in neigh
            .iter()
            .filter(|&&m| listed.contains(&(m as u32)))
            .take(CANDIDATE_SOURCES)
        {
            for &v in self.nb.of(self.img[m]) {
                let v = v as usize;
                if !self.used[v] && self.listed_at[v] != step {
                    self.listed_at[v] = step;
                    self.candidates.push(v);
                }
            }
        }
        if self.candidates.is_empty() {
            self.fill_costs(u, neigh);
            return self.best_one();
        }
        self.neigh = neigh;
        self.add_compared(u);
        let mut best: Option<(f32, usize)> = None;
        for &v in &self.candidates {
            let c = image_cost(self.obj, u, v, &self.neigh, |m| self.img[m]);
            let better = best.is_none_or(|(b, bv)| c.total_cmp(&b).then(v.cmp(&bv)).is_lt());
            if !c.is_nan() && better {
                best = Some((c, v));
            }
        }
        best
    }

    /// Adds the weights a step compares (`u`'s own and those to `neigh`) to `compared`.
    fn add_compared(&mut self, u: usize) {
        let (obj, n) = (self.obj, self.obj.n);
        self.compared += (obj.w[u * n + u] as f64).powi(2)
            + self
                .neigh
                .iter()
                .map(|&m| (obj.w[u * n + m] as f64).powi(2) + (obj.w[m * n + u] as f64).powi(2))
                .sum::<f64>();
    }

    /// Fills `cost[v]` for mapping `u` onto `v` against the mapped nodes `neigh`.
    fn fill_costs(&mut self, u: usize, neigh: Vec<usize>) {
        let (obj, n) = (self.obj, self.obj.n);
        self.neigh = neigh;
        let wuu = obj.w[u * n + u];
        self.add_compared(u);
        if let Some(sp) = &obj.sparse {
            // Σ_m (a_m − x)² over all v is Σ_m a_m² plus, where x ≠ 0, the change
            // (a_m − x)² − a_m²: only the non-zero entries of the images' columns.
            let mut base = 0.0f32;
            for &m in &self.neigh {
                let (a, b) = (obj.w[u * n + m], obj.w[m * n + u]);
                base += if obj.symmetric {
                    2.0 * a * a
                } else {
                    a * a + b * b
                };
            }
            for (v, c) in self.cost.iter_mut().enumerate() {
                let d = wuu - obj.w[v * n + v];
                *c = d * d + base;
            }
            for &m in &self.neigh {
                let pm = self.img[m];
                let a = obj.w[u * n + m];
                let (idx, val) = sp.col(pm); // W[v][π m] ≠ 0
                let k = if obj.symmetric { 2.0 } else { 1.0 };
                for (&v, &x) in idx.iter().zip(val) {
                    let d = a - x;
                    self.cost[v as usize] += k * (d * d - a * a);
                }
                if !obj.symmetric {
                    let b = obj.w[m * n + u];
                    let (idx, val) = sp.row(pm); // W[π m][v] ≠ 0
                    for (&v, &y) in idx.iter().zip(val) {
                        let d = b - y;
                        self.cost[v as usize] += d * d - b * b;
                    }
                }
            }
            return;
        }
        for (v, c) in self.cost.iter_mut().enumerate() {
            let d = wuu - obj.w[v * n + v];
            *c = d * d;
        }
        for &m in &self.neigh {
            let pm = self.img[m];
            let a = obj.w[u * n + m];
            let into = obj.col(pm); // W[v][π m] over v
            if obj.symmetric {
                for (c, &x) in self.cost.iter_mut().zip(into) {
                    let d = a - x;
                    *c += 2.0 * d * d;
                }
            } else {
                let b = obj.w[m * n + u];
                let out = obj.row(pm); // W[π m][v] over v
                for ((c, &x), &y) in self.cost.iter_mut().zip(into).zip(out) {
                    let d1 = a - x;
                    let d2 = b - y;
                    *c += d1 * d1 + d2 * d2;
                }
            }
        }
    }

    /// [`Grower::costs`] against the given mapped nodes instead of `u`'s strongest
    /// mapped neighbours.
    fn costs_against(&mut self, u: usize, mapped: &[usize]) {
        self.fill_costs(
            u,
            mapped
                .iter()
                .copied()
                .filter(|&m| m != u)
                .take(NEIGHBOURS)
                .collect(),
        );
    }

    /// The free node of lowest cost (ties by index; NaN costs skipped): one scan.
    fn best_one(&self) -> Option<(f32, usize)> {
        let mut best: Option<(f32, usize)> = None;
        for (v, &c) in self.cost.iter().enumerate() {
            if !self.used[v] && !c.is_nan() && best.is_none_or(|(b, _)| c.total_cmp(&b).is_lt()) {
                best = Some((c, v));
            }
        }
        best
    }

    /// The `k` free nodes of lowest cost, best first (ties by index).
    fn best_free(&self, k: usize) -> Vec<(f32, usize)> {
        let mut free: Vec<(f32, usize)> = self
            .cost
            .iter()
            .enumerate()
            .filter(|&(v, c)| !self.used[v] && !c.is_nan())
            .map(|(v, &c)| (c, v))
            .collect();
        let cmp = |a: &(f32, usize), b: &(f32, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        if free.len() > k {
            free.select_nth_unstable_by(k, cmp);
            free.truncate(k);
        }
        free.sort_by(cmp);
        free
    }
}

/// The mismatch of sending `u` to `v` against the images (`image(m)`) of the mapped
/// nodes `compared` (none of them `u`): `(W[u][u] − W[v][v])² + Σ_m (W[u][m] −
/// W[v][π m])² + (W[m][u] − W[π m][v])²`.
pub(crate) fn image_cost(
    obj: &Objective,
    u: usize,
    v: usize,
    compared: &[usize],
    image: impl Fn(usize) -> usize,
) -> f32 {
    let n = obj.n;
    let d = obj.w[u * n + u] - obj.w[v * n + v];
    let mut c = d * d;
    for &m in compared {
        let pm = image(m);
        let d1 = obj.w[u * n + m] - obj.w[v * n + pm];
        if obj.symmetric {
            c += 2.0 * d1 * d1;
        } else {
            let d2 = obj.w[m * n + u] - obj.w[pm * n + v];
            c += d1 * d1 + d2 * d2;
        }
    }
    c
}

/// Grows a full permutation from the given seed pairs. On a graph above
/// [`ABANDON_MIN_N`] nodes, a growth is abandoned when, after [`PROBE_STEPS`] or after
/// `n/8` nodes beyond the seeds, the relative mismatch of its choices so far exceeds
/// `abandon_above`.
pub(crate) fn grow(
    obj: &Objective,
    nb: &Neighbours,
    seeds: &[(usize, usize)],
    mode: Attach,
    abandon_above: f64,
    stop: Stop,
) -> Growth {
    let n = obj.n;
    let mut g = Grower::new(obj, nb, mode, seeds);
    let start = g.mapped;
    // Two looks at the running mismatch: an early one that stops most wrong seeds
    // cheaply, and a later one for those that started well by chance.
    let checks = [start + PROBE_STEPS, start + (n / 8).max(PROBE_STEPS)];
    while g.mapped < n {
        if n > ABANDON_MIN_N
            && checks.contains(&g.mapped)
            && g.mismatch > abandon_above * abandon_above * g.compared
        {
            return Growth::Abandoned {
                steps: g.mapped - start,
            };
        }
        if g.mapped % 32 == 0 && stop.now() {
            return Growth::Stopped;
        }
        let u = g.next_node();
        // The best free image; a free node always exists while `mapped < n`, and
        // non-finite costs (never from finite weights) fall back to any free node.
        let (c, v) = match g.best_image(u) {
            Some(b) => b,
            None => match g.used.iter().position(|&b| !b) {
                Some(v) => (0.0, v),
                None => return Growth::Stopped,
            },
        };
        g.mismatch += c as f64;
        g.map(u, v);
    }
    Growth::Grown(g.img)
}

/// [`grow`], and on a graph large enough to abandon growths, the same from each of the
/// best few images of `first` (a free node; the caller picks it once for many seeds
/// with the same sources, see [`distinctive_node`]) in turn until one is not abandoned.
pub(crate) fn grow_branching(
    obj: &Objective,
    nb: &Neighbours,
    seeds: &[(usize, usize)],
    first: Option<usize>,
    mode: Attach,
    abandon_above: f64,
    ctx: &mut Ctx,
) -> Growth {
    let mapped_seed = |u: usize| seeds.iter().any(|&(s, _)| s == u);
    let stop = ctx.stop();
    let Some(u) = first.filter(|&u| obj.n > ABANDON_MIN_N && !mapped_seed(u)) else {
        let outcome = grow(obj, nb, seeds, mode, abandon_above, stop);
        count(&outcome, obj.n, seeds.len(), ctx);
        return stopped(outcome, ctx);
    };
    let mut g = Grower::new(obj, nb, mode, seeds);
    let sources: Vec<usize> = seeds.iter().map(|s| s.0).collect();
    g.costs_against(u, &sources);
    let branches = if seeds.len() == 1 {
        BRANCHES_ONE_SEED
    } else {
        BRANCHES
    };
    let run = |v: usize| {
        let with_first: Vec<(usize, usize)> = seeds.iter().copied().chain([(u, v)]).collect();
        grow(obj, nb, &with_first, mode, abandon_above, stop)
    };
    // Branches are grown two at a time, one per core, and taken in order: the first
    // one not abandoned wins, exactly as if they ran one after the other (most seeds
    // are wrong, so usually every branch is abandoned and the pair halves the wait).
    let mut spent = 0;
    for pair in g.best_free(branches).chunks(2) {
        let (first, second) = match *pair {
            [(_, a), (_, b)] => {
                let (x, y) = rayon::join(|| run(a), || run(b));
                (x, Some(y))
            }
            _ => (run(pair[0].1), None),
        };
        // Both branches of a pair always run: both count.
        count(&first, obj.n, seeds.len() + 1, ctx);
        if let Some(s) = &second {
            count(s, obj.n, seeds.len() + 1, ctx);
        }
        for outcome in std::iter::once(first).chain(second) {
            match outcome {
                Growth::Abandoned { steps } => spent += steps,
                other => return stopped(other, ctx),
            }
        }
    }
    Growth::Abandoned { steps: spent }
}

/// Counts a growth and the nodes it mapped beyond its `seeds` seed pairs.
fn count(outcome: &Growth, n: usize, seeds: usize, ctx: &mut Ctx) {
    ctx.work.growths += 1;
    ctx.work.growth_steps += match outcome {
        Growth::Abandoned { steps } => *steps as u64,
        Growth::Grown(_) => n.saturating_sub(seeds) as u64,
        Growth::Stopped => 0,
    };
}

/// `outcome`, after recording in `ctx` why a growth stopped.
fn stopped(outcome: Growth, ctx: &mut Ctx) -> Growth {
    if matches!(outcome, Growth::Stopped) {
        ctx.should_stop();
    }
    outcome
}

/// The node (outside `exclude`) whose weights to and from the `fixed` nodes are the
/// most distinctive: the farthest from its second-nearest other node in that space
/// (one exact twin is allowed: a symmetry may swap the two). Its images are the least
/// ambiguous, so growing or branching from it needs the fewest tries. Ties go to
/// the node most strongly attached to `fixed`, then to the lowest index.
/// `O(n²·|fixed|)` (`O(n log n)` for one fixed node of a symmetric graph).
pub(crate) fn distinctive_node(
    obj: &Objective,
    fixed: &[usize],
    exclude: &[bool],
) -> Option<usize> {
    let n = obj.n;
    let dims = if obj.symmetric { 1 } else { 2 };
    let feature = |x: usize, t: usize| -> f32 {
        let s = fixed[t / dims];
        if t % dims == 0 {
            obj.w[s * n + x]
        } else {
            obj.w[x * n + s]
        }
    };
    let free: Vec<usize> = (0..n).filter(|&x| !exclude[x]).collect();
    let d = fixed.len() * dims;
    if free.is_empty() {
        return None;
    }
    let strength = |x: usize| -> f64 { (0..d).map(|t| feature(x, t).abs() as f64).sum() };
    // Second-smallest distance from each free node to the other free nodes.
    let mut gap2 = vec![f64::INFINITY; free.len()];
    if d == 1 {
        let mut sorted: Vec<(f32, usize)> = free
            .iter()
            .enumerate()
            .map(|(k, &x)| (feature(x, 0), k))
            .collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for i in 0..sorted.len() {
            let mut near: Vec<f64> = [i.wrapping_sub(2), i.wrapping_sub(1), i + 1, i + 2]
                .into_iter()
                .filter(|&j| j < sorted.len())
                .map(|j| (sorted[j].0 - sorted[i].0).abs() as f64)
                .collect();
            near.sort_by(f64::total_cmp);
            gap2[sorted[i].1] = near.get(1).copied().unwrap_or(f64::INFINITY);
        }
    } else {
        let feats: Vec<f32> = free
            .iter()
            .flat_map(|&x| (0..d).map(move |t| (x, t)))
            .map(|(x, t)| feature(x, t))
            .collect();
        for a in 0..free.len() {
            let fa = &feats[a * d..(a + 1) * d];
            let (mut m1, mut m2) = (f64::INFINITY, f64::INFINITY);
            for b in 0..free.len() {
                if a == b {
                    continue;
                }
                let fb = &feats[b * d..(b + 1) * d];
                let dist: f32 = fa.iter().zip(fb).map(|(p, q)| (p - q) * (p - q)).sum();
                let dist = dist as f64;
                if dist < m1 {
                    m2 = m1;
                    m1 = dist;
                } else if dist < m2 {
                    m2 = dist;
                }
            }
            gap2[a] = m2.sqrt();
        }
    }
    let mut best: Option<(f64, f64, usize)> = None;
    for (k, &x) in free.iter().enumerate() {
        let key = (gap2[k], strength(x));
        if best.is_none_or(|(g, s, _)| key.0 > g || (key.0 == g && key.1 > s)) {
            best = Some((key.0, key.1, x));
        }
    }
    best.map(|b| b.2)
}

#[cfg(test)]
#[path = "growth_tests.rs"]
pub(crate) mod tests;
