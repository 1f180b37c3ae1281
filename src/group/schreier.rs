//! Deterministic Schreier–Sims (Holt–Eick–O'Brien 2005, §4.4.2, `SCHREIERSIMS`):
//! levels are completed from the bottom up; at level `i` every Schreier generator
//! `u_x · s · u_{s(x)}⁻¹` is sifted through the levels below, and a non-trivial
//! residue becomes a new strong generator.
//!
//! Cost. A Schreier generator whose edge `x → s(x)` is a tree edge labelled `s` is
//! the identity and is skipped, so a level with orbit `Δ` and generators `S` sifts
//! about `|Δ|(|S| − 1) + 1` of them. Each costs a few `O(n)` passes when the
//! level's inverse coset representatives are stored explicitly (`u16` rows when
//! `n ≤ 65536`, within [`REP_BUDGET_BYTES`] for the whole chain; 128 MiB for an
//! orbit of 8192 points at `n = 8192`), and `O(n · depth)` with a shallow Schreier
//! tree otherwise. The explicit rows exist only while building; the finished chain
//! keeps shallow Schreier trees (a few words per point and generator).
//!
//! Bookkeeping. Each orbit point remembers how many of its level's generators have
//! been checked. Representatives of existing points never change while a level is
//! extended (new points are appended to the tree), so earlier checks stay valid: the
//! levels below only grow. Only rebuilding a tree to make it shallow changes the
//! representatives, and then that level's checks start again.

use super::chain::{Elem, Level, Perm, depth_limit, is_identity, then};
use super::coset_rows::CosetRows;

/// Memory for explicit inverse coset representatives while building, for the
/// whole chain (128 MiB holds a transitive level of 8192 points in `u16`).
pub(super) const REP_BUDGET_BYTES: usize = 192 << 20;

/// A stabiliser chain: the element pool and the levels.
#[derive(Clone, Debug)]
pub(super) struct Chain {
    /// Degree.
    pub n: usize,
    /// Strong generators and tree shortcuts, with inverses.
    pub pool: Vec<Elem>,
    /// Levels, base point first.
    pub levels: Vec<Level>,
}

impl Chain {
    /// `h ← h · u⁻¹` level by level from `from`; returns the first level whose basic
    /// orbit does not contain the image of its base point (`levels.len()` if `h`
    /// sifted through; then `h` is the identity iff it was a member).
    pub fn sift(&self, h: &mut [u32], from: usize) -> usize {
        for (l, level) in self.levels.iter().enumerate().skip(from) {
            let Some(idx) = level.orbit.index_of(h[level.point as usize]) else {
                return l;
            };
            level.orbit.apply_inv_rep(&self.pool, idx, h);
        }
        self.levels.len()
    }

    /// Adds a level for `point`.
    fn push_level(&mut self, point: u32) {
        self.levels.push(Level::new(point, self.n));
    }

    /// The first level whose base point `g` moves, or `levels.len()`.
    pub(super) fn first_moved_level(&self, g: &[u32]) -> usize {
        self.levels
            .iter()
            .position(|l| g[l.point as usize] != l.point)
            .unwrap_or(self.levels.len())
    }

    /// Makes every level's tree shallow (the finished chain is queried by walking
    /// trees).
    pub fn make_shallow(&mut self) {
        let Chain { pool, levels, .. } = self;
        for level in levels.iter_mut() {
            level.orbit.make_shallow(pool);
        }
    }

    /// Trusts `base` and `gens` to be a base and strong generating set: files each
    /// generator under the levels whose base points it fixes and builds the trees,
    /// without sifting anything. Base points are added for generators that fix the
    /// whole base (a valid input has none).
    pub fn from_strong(n: usize, base: &[u32], gens: &[Perm]) -> Self {
        let mut chain = Self {
            n,
            pool: Vec::new(),
            levels: Vec::new(),
        };
        for &b in base {
            chain.push_level(b);
        }
        for g in gens.iter().filter(|g| !is_identity(g)) {
            let mut j = chain.first_moved_level(g);
            if j == chain.levels.len() {
                chain.push_level(first_moved_point(g));
                j = chain.levels.len() - 1;
            }
            chain.pool.push(Elem::new(g.clone(), true));
            let id = (chain.pool.len() - 1) as u32;
            let Chain { pool, levels, .. } = &mut chain;
            for level in &mut levels[..=j] {
                level.gens.push(id);
                level.orbit.add_generator(pool, id);
            }
        }
        chain.make_shallow();
        chain
    }
}

/// The smallest point `g` moves (0 for the identity, which is never asked).
pub(super) fn first_moved_point(g: &[u32]) -> u32 {
    g.iter()
        .enumerate()
        .find(|&(i, &x)| i as u32 != x)
        .map_or(0, |(i, _)| i as u32)
}

/// The chain under construction with its explicit representatives and checks.
pub(super) struct Builder {
    chain: Chain,
    /// Per level, explicit inverse representatives (while within budget).
    rows: Vec<Option<CosetRows>>,
    /// Per level and orbit point, how many of the level's generators are checked.
    checked: Vec<Vec<u32>>,
    /// Bytes held in `rows`.
    rep_bytes: usize,
    /// Rows are made only for levels that sifting walks often (see [`Builder::lazy`]).
    lazy: bool,
    /// Per level, the `O(n)` passes tree walks have cost so far (lazy mode).
    walked: Vec<usize>,
    /// Bytes `rows` may hold ([`REP_BUDGET_BYTES`] unless the caller gives more).
    rep_budget: usize,
}

impl Builder {
    /// An empty chain of degree `n`.
    pub(super) fn new(n: usize) -> Self {
        Self {
            chain: Chain {
                n,
                pool: Vec::new(),
                levels: Vec::new(),
            },
            rows: Vec::new(),
            checked: Vec::new(),
            rep_bytes: 0,
            lazy: false,
            walked: Vec::new(),
            rep_budget: REP_BUDGET_BYTES,
        }
    }

    /// An empty chain of degree `n` whose levels start with Schreier trees only, and
    /// get explicit rows once tree walks while sifting ([`Builder::sift_adaptive`])
    /// have cost as much as the rows would (a level's orbit length in `O(n)` passes):
    /// randomised Schreier–Sims sifts few elements, often far fewer than a large
    /// basic orbit has points, so building every row up front (`|Δ| · n` per level)
    /// would cost more than the whole search; a level sifted through often still
    /// gets its rows, at most doubling the work against the better choice.
    pub(super) fn lazy(n: usize) -> Self {
        Self {
            lazy: true,
            ..Self::new(n)
        }
    }

    /// The chain so far (its order is a lower bound of the group's).
    pub(super) fn chain(&self) -> &Chain {
        &self.chain
    }

    /// The finished chain, with shallow trees.
    pub(super) fn finish(self) -> Chain {
        let mut chain = self.chain;
        chain.make_shallow();
        chain
    }

    fn n(&self) -> usize {
        self.chain.n
    }

    pub(super) fn push_level(&mut self, point: u32) {
        self.chain.push_level(point);
        let row = CosetRows::row_bytes(self.n());
        self.walked.push(0);
        let rows = (!self.lazy && self.rep_bytes + row <= self.rep_budget).then(|| {
            let mut r = CosetRows::new(self.n());
            r.push(self.n(), None);
            r
        });
        if rows.is_some() {
            self.rep_bytes += row;
        }
        self.rows.push(rows);
        self.checked.push(vec![0]);
    }

    /// Adds strong generator `g` to levels `from..=to`, extending their orbits (and
    /// explicit representatives, or shallow trees beyond the budget).
    pub(super) fn add_strong(&mut self, g: Perm, from: usize, to: usize) {
        self.chain.pool.push(Elem::new(g, true));
        let id = (self.chain.pool.len() - 1) as u32;
        let n = self.n();
        for l in from..=to {
            let Chain { pool, levels, .. } = &mut self.chain;
            let level = &mut levels[l];
            level.gens.push(id);
            let start = level.orbit.add_generator(pool, id);
            let len = level.orbit.len();
            self.checked[l].resize(len, 0);
            let row = CosetRows::row_bytes(n);
            let fits = self.rep_bytes + (len - start) * row <= self.rep_budget;
            match (&mut self.rows[l], fits) {
                (Some(rows), true) => {
                    for j in start..len {
                        let (parent, gid) = level.orbit.parent(pool, j).unwrap_or((0, id));
                        let pi = level.orbit.index_of(parent).unwrap_or(0);
                        rows.push(n, Some((pi, &pool[gid as usize].inv)));
                    }
                    self.rep_bytes += (len - start) * row;
                }
                (slot, _) => {
                    // Beyond the budget: walk the tree instead. Dropping the rows
                    // keeps the representatives (the tree is the same), so checks stay.
                    if slot.take().is_some() {
                        self.rep_bytes -= start * row;
                    }
                    let limit = depth_limit(len);
                    if level.orbit.deepest().0 > limit && level.orbit.make_shallow(pool) {
                        self.checked[l].iter_mut().for_each(|c| *c = 0);
                    }
                }
            }
        }
    }

    /// `h ← h · u⁻¹` for the point at `idx` of level `l`.
    fn apply_inv(&self, l: usize, idx: usize, h: &mut [u32]) {
        match &self.rows[l] {
            Some(rows) => rows.apply(self.n(), idx, h),
            None => self.chain.levels[l]
                .orbit
                .apply_inv_rep(&self.chain.pool, idx, h),
        }
    }

    /// [`Builder::sift`] that, in lazy mode, counts the tree walks per level and
    /// gives a level explicit rows once its walks have cost as much as building them.
    pub(super) fn sift_adaptive(&mut self, h: &mut [u32], from: usize) -> usize {
        for l in from..self.chain.levels.len() {
            let level = &self.chain.levels[l];
            let Some(idx) = level.orbit.index_of(h[level.point as usize]) else {
                return l;
            };
            if self.rows[l].is_none() && self.lazy {
                self.walked[l] += level.orbit.depth[idx] as usize;
                if self.walked[l] >= level.orbit.len() {
                    self.materialise(l);
                }
            }
            self.apply_inv(l, idx, h);
        }
        self.chain.levels.len()
    }

    /// Explicit rows for level `l` from its tree (within the budget).
    fn materialise(&mut self, l: usize) {
        let n = self.n();
        let row = CosetRows::row_bytes(n);
        let Chain { pool, levels, .. } = &self.chain;
        let orbit = &levels[l].orbit;
        let len = orbit.len();
        if self.rep_bytes + len * row > self.rep_budget {
            return;
        }
        let mut rows = CosetRows::new(n);
        rows.push(n, None);
        // Points are listed after their parents (trees grow by appending).
        for j in 1..len {
            let (parent, gid) = orbit.parent(pool, j).unwrap_or((0, 0));
            let pi = orbit.index_of(parent).unwrap_or(0);
            rows.push(n, Some((pi, &pool[gid as usize].inv)));
        }
        self.rep_bytes += len * row;
        self.rows[l] = Some(rows);
    }

    /// Sifts `h` from level `from` (see [`Chain::sift`]).
    pub(super) fn sift(&self, h: &mut [u32], from: usize) -> usize {
        for l in from..self.chain.levels.len() {
            let level = &self.chain.levels[l];
            let Some(idx) = level.orbit.index_of(h[level.point as usize]) else {
                return l;
            };
            self.apply_inv(l, idx, h);
        }
        self.chain.levels.len()
    }

    /// True if the Schreier generator `h = u_x · s · u_y⁻¹` of level `i` (`x`, `y = s(x)`
    /// at orbit positions `idx`, `yidx`) is proved to sift to the identity through the
    /// levels below, in about one pass over level `i`'s explicit rows and without
    /// forming `h`; false if not, or if level `i` has no rows (the caller then forms
    /// and sifts `h`, which gives the same verdict, and the residue when there is one).
    ///
    /// With `R_x = u_x⁻¹` stored, `h(R_x[q]) = R_y[s[q]]` for every `q`. The levels
    /// below see `h` only through the images of their base points, `h(b) =
    /// R_y[s[u_x(b)]]` (`u_x(b)` from `base_images`: per level below, its base point's
    /// image under every representative of level `i`), which select the coset representatives `g` sifting divides out;
    /// then `h·g⁻¹` is the identity iff `g⁻¹[R_y[s[q]]] = R_x[q]` for every `q`.
    fn proved_trivial(
        &self,
        i: usize,
        idx: usize,
        s: u32,
        yidx: usize,
        base_images: &[Vec<u32>],
    ) -> bool {
        let n = self.n();
        let Some(rows) = &self.rows[i] else {
            return false;
        };
        let Chain { pool, levels, .. } = &self.chain;
        let sf = &pool[s as usize].fwd;
        // The base images of h, sifted level by level; g⁻¹ formed only when some level
        // below divides out a representative other than the identity.
        let mut hb: Vec<u32> = base_images
            .iter()
            .map(|ub| rows.at(n, yidx, sf[ub[idx] as usize]))
            .collect();
        let mut ginv: Option<Perm> = None;
        for (t, l) in (i + 1..levels.len()).enumerate() {
            let Some(j) = levels[l].orbit.index_of(hb[t]) else {
                return false;
            };
            if j == 0 {
                continue;
            }
            for v in hb[t + 1..].iter_mut() {
                let mut one = [*v];
                self.apply_inv(l, j, &mut one);
                *v = one[0];
            }
            let g = ginv.get_or_insert_with(|| (0..n as u32).collect());
            self.apply_inv(l, j, g);
        }
        rows.sifts_to_identity(n, idx, yidx, sf, ginv.as_deref())
    }

    /// Checks level `i`'s unchecked Schreier generators; the first that does not
    /// sift to the identity is returned with the level where it stopped.
    fn check_level(&mut self, i: usize) -> Option<(Perm, usize)> {
        let n = self.n();
        let depth = self.chain.levels.len();
        let ngens = self.chain.levels[i].gens.len();
        // Per level below, its base point's image under each representative of level
        // `i` (for [`Builder::proved_trivial`]; the levels do not change during a call).
        let mut base_images: Option<Vec<Vec<u32>>> = None;
        for idx in 0..self.chain.levels[i].orbit.len() {
            let first = self.checked[i][idx] as usize;
            if first >= ngens {
                continue;
            }
            let x = self.chain.levels[i].orbit.points[idx];
            let mut ux: Option<Perm> = None;
            for k in first..ngens {
                let level = &self.chain.levels[i];
                let s = level.gens[k];
                let y = self.chain.pool[s as usize].fwd[x as usize];
                let Some(yidx) = level.orbit.index_of(y) else {
                    // Cannot happen: the orbit is closed under the level's generators.
                    continue;
                };
                if level.orbit.parent(&self.chain.pool, yidx) == Some((x, s)) {
                    self.checked[i][idx] = k as u32 + 1;
                    continue;
                }
                if self.rows[i].is_some() {
                    let base_images = base_images.get_or_insert_with(|| {
                        let Chain { pool, levels, .. } = &self.chain;
                        levels[i + 1..]
                            .iter()
                            .map(|l| levels[i].orbit.rep_images(pool, l.point))
                            .collect()
                    });
                    if self.proved_trivial(i, idx, s, yidx, base_images) {
                        self.checked[i][idx] = k as u32 + 1;
                        continue;
                    }
                }
                let level = &self.chain.levels[i];
                let u = ux.get_or_insert_with(|| match &self.rows[i] {
                    Some(rows) => rows.rep(n, idx),
                    None => level.orbit.rep(&self.chain.pool, idx),
                });
                let mut h = then(u, &self.chain.pool[s as usize].fwd);
                self.apply_inv(i, yidx, &mut h);
                let stop = self.sift(&mut h, i + 1);
                if stop < depth || !is_identity(&h) {
                    self.checked[i][idx] = k as u32;
                    return Some((h, stop));
                }
                self.checked[i][idx] = k as u32 + 1;
            }
        }
        None
    }
}

/// Schreier–Sims on `gens` (image lists of degree `n`, checked by the caller),
/// with `prefix` (distinct points `< n`) first in the base.
pub(super) fn schreier_sims(n: usize, gens: &[Perm], prefix: &[u32]) -> Chain {
    schreier_sims_bounded(n, gens, prefix, f64::INFINITY, REP_BUDGET_BYTES)
        .expect("no bound, no abort")
}

/// `log2` of the product of the current basic orbit lengths: a lower bound on the
/// final order, since orbits only grow while the chain is built.
pub(super) fn order_log2_lower_bound(chain: &Chain) -> f64 {
    chain
        .levels
        .iter()
        .map(|l| (l.orbit.len() as f64).log2())
        .sum()
}

/// [`schreier_sims`], giving up (`None`) as soon as the group is known to have more
/// than `2^max_order_log2` elements — before the cost of building a huge group —, with
/// up to `rep_budget` bytes (at least [`REP_BUDGET_BYTES`]) of explicit rows.
pub(super) fn schreier_sims_bounded(
    n: usize,
    gens: &[Perm],
    prefix: &[u32],
    max_order_log2: f64,
    rep_budget: usize,
) -> Option<Chain> {
    let mut b = Builder::new(n);
    b.rep_budget = rep_budget.max(REP_BUDGET_BYTES);
    for &p in prefix {
        b.push_level(p);
    }
    let mut seen: Vec<&Perm> = Vec::new();
    for g in gens {
        if is_identity(g) || seen.contains(&g) {
            continue;
        }
        seen.push(g);
        let mut j = b.chain.first_moved_level(g);
        if j == b.chain.levels.len() {
            b.push_level(first_moved_point(g));
            j = b.chain.levels.len() - 1;
        }
        b.add_strong(g.clone(), 0, j);
        if order_log2_lower_bound(&b.chain) > max_order_log2 {
            return None;
        }
    }
    let mut i = b.chain.levels.len();
    while i > 0 {
        match b.check_level(i - 1) {
            None => i -= 1,
            Some((h, stop)) => {
                if stop == b.chain.levels.len() {
                    b.push_level(first_moved_point(&h));
                }
                b.add_strong(h, i, stop);
                if order_log2_lower_bound(&b.chain) > max_order_log2 {
                    return None;
                }
                i = stop + 1;
            }
        }
    }
    let mut chain = b.chain;
    drop(b.rows);
    chain.make_shallow();
    Some(chain)
}
