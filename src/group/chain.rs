//! The stabiliser chain behind [`super::Bsgs`]: a pool of group elements (with
//! their inverses) and, per level, a Schreier vector for the basic orbit.
//!
//! Permutations are image lists of `u32` here (half the memory of `usize`, and
//! the hot loops are memory-bound). Coset representatives are never stored: the
//! representative `u_x` (with `u_x(b) = x`) is the product of the tree labels on
//! the path from the root `b` to `x`, so memory is `O(orbit + n · generators)` per
//! level. Trees are kept shallow by adding the deepest representative as an extra
//! tree generator (Seress 2003, §4.4), so walking a path costs `O(log orbit)`
//! compositions.

/// A permutation of `0..n` as its image list.
pub(super) type Perm = Vec<u32>;

/// The label of the root of a Schreier tree (it is reached by no generator).
pub(super) const ROOT: u32 = u32::MAX;

/// Orbits this small are searched linearly instead of through a dense index
/// (a chain may have thousands of levels with tiny orbits; `n` words each would
/// dominate memory).
const DENSE_FROM: usize = 16;

/// A group element kept with its inverse (sifting applies inverses).
#[derive(Clone, Debug)]
pub(super) struct Elem {
    /// Images.
    pub fwd: Perm,
    /// Images of the inverse.
    pub inv: Perm,
    /// True for strong generators; false for shortcuts added to shallow a tree.
    pub strong: bool,
}

impl Elem {
    /// Wraps `fwd`, computing its inverse.
    pub fn new(fwd: Perm, strong: bool) -> Self {
        let inv = invert(&fwd);
        Self { fwd, inv, strong }
    }
}

/// `p⁻¹`.
pub(super) fn invert(p: &[u32]) -> Perm {
    let mut inv = vec![0u32; p.len()];
    for (i, &x) in p.iter().enumerate() {
        inv[x as usize] = i as u32;
    }
    inv
}

/// True if `p` fixes every point.
pub(super) fn is_identity(p: &[u32]) -> bool {
    p.iter().enumerate().all(|(i, &x)| i as u32 == x)
}

/// `a` then `b`.
pub(super) fn then(a: &[u32], b: &[u32]) -> Perm {
    a.iter().map(|&x| b[x as usize]).collect()
}

/// `h ← h.then(g)` in place.
#[inline]
pub(super) fn then_in_place(h: &mut [u32], g: &[u32]) {
    for x in h.iter_mut() {
        *x = g[*x as usize];
    }
}

/// The depth a tree over an orbit of `len` points may reach before it is made
/// shallower: twice `log2(len)`, plus slack for tiny orbits.
pub(super) fn depth_limit(len: usize) -> u32 {
    2 * (usize::BITS - len.max(1).leading_zeros()) + 2
}

/// A basic orbit with its Schreier tree.
#[derive(Clone, Debug)]
pub(super) struct Orbit {
    /// Tree generators (pool indices): the level's strong generators and shortcuts.
    pub tree_gens: Vec<u32>,
    /// Orbit points; `points[0]` is the root (the base point).
    pub points: Vec<u32>,
    /// Per point, the tree generator (index into `tree_gens`) that reaches it from
    /// its parent, or [`ROOT`].
    pub labels: Vec<u32>,
    /// Per point, its depth in the tree.
    pub depth: Vec<u32>,
    /// Dense point → position index, once the orbit is large.
    pos: Option<Vec<u32>>,
    n: usize,
}

impl Orbit {
    /// The orbit `{root}` with no generators.
    pub fn new(root: u32, n: usize) -> Self {
        Self {
            tree_gens: Vec::new(),
            points: vec![root],
            labels: vec![ROOT],
            depth: vec![0],
            pos: None,
            n,
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Position of `x` in the orbit, if it is in it.
    #[inline]
    pub fn index_of(&self, x: u32) -> Option<usize> {
        match &self.pos {
            Some(pos) => {
                let p = pos[x as usize];
                (p != u32::MAX).then_some(p as usize)
            }
            None => self.points.iter().position(|&y| y == x),
        }
    }

    fn push(&mut self, x: u32, label: u32, depth: u32) {
        let at = self.points.len() as u32;
        self.points.push(x);
        self.labels.push(label);
        self.depth.push(depth);
        if let Some(pos) = &mut self.pos {
            pos[x as usize] = at;
        } else if self.points.len() > DENSE_FROM {
            let mut pos = vec![u32::MAX; self.n];
            for (i, &y) in self.points.iter().enumerate() {
                pos[y as usize] = i as u32;
            }
            self.pos = Some(pos);
        }
    }

    fn try_add(&mut self, pool: &[Elem], from: usize, k: usize) {
        let g = &pool[self.tree_gens[k] as usize].fwd;
        let y = g[self.points[from] as usize];
        if self.index_of(y).is_none() {
            let d = self.depth[from] + 1;
            self.push(y, k as u32, d);
        }
    }

    /// Adds tree generator `id` and extends the orbit. Existing points keep their
    /// labels (so their coset representatives do not change); returns the position
    /// of the first new point.
    pub fn add_generator(&mut self, pool: &[Elem], id: u32) -> usize {
        self.tree_gens.push(id);
        let k_new = self.tree_gens.len() - 1;
        let old = self.points.len();
        for i in 0..old {
            self.try_add(pool, i, k_new);
        }
        let mut i = old;
        while i < self.points.len() {
            for k in 0..self.tree_gens.len() {
                self.try_add(pool, i, k);
            }
            i += 1;
        }
        old
    }

    /// Breadth-first rebuild from the root with all tree generators, so that every
    /// point gets its least depth (this changes the coset representatives).
    pub fn rebuild(&mut self, pool: &[Elem]) {
        let root = self.points[0];
        let gens = std::mem::take(&mut self.tree_gens);
        *self = Self::new(root, self.n);
        self.tree_gens = gens;
        let mut i = 0;
        while i < self.points.len() {
            for k in 0..self.tree_gens.len() {
                self.try_add(pool, i, k);
            }
            i += 1;
        }
    }

    /// Largest depth and a point attaining it.
    pub fn deepest(&self) -> (u32, usize) {
        let mut best = (0, 0);
        for (i, &d) in self.depth.iter().enumerate() {
            if d > best.0 {
                best = (d, i);
            }
        }
        best
    }

    /// `h ← h.then(u⁻¹)` for the representative `u` of the point at `idx`.
    pub fn apply_inv_rep(&self, pool: &[Elem], idx: usize, h: &mut [u32]) {
        let mut at = idx;
        while self.labels[at] != ROOT {
            let g = &pool[self.tree_gens[self.labels[at] as usize] as usize];
            then_in_place(h, &g.inv);
            let parent = g.inv[self.points[at] as usize];
            at = self.index_of(parent).unwrap_or(0);
        }
    }

    /// `u(p)` for the representative `u` of the point at `idx`: the labels on the path
    /// from the root, applied in order (`O(depth)`).
    pub fn rep_image(&self, pool: &[Elem], idx: usize, p: u32) -> u32 {
        let mut path = Vec::new();
        let mut at = idx;
        while self.labels[at] != ROOT {
            let g = &pool[self.tree_gens[self.labels[at] as usize] as usize];
            path.push(g);
            at = self.index_of(g.inv[self.points[at] as usize]).unwrap_or(0);
        }
        path.iter().rev().fold(p, |q, g| g.fwd[q as usize])
    }

    /// `u(p)` for the representative `u` of every point, in orbit order: each from its
    /// parent's (`u_x = u_parent · g` for the tree edge `parent → x` labelled `g`), so
    /// `O(orbit)` for all instead of a tree walk each.
    pub fn rep_images(&self, pool: &[Elem], p: u32) -> Vec<u32> {
        let mut out = vec![p; self.len()];
        for j in 1..self.len() {
            out[j] = match self.parent(pool, j) {
                Some((parent, id)) => match self.index_of(parent) {
                    // Points are appended after their parents, except after a rebuild.
                    Some(pi) if pi < j => pool[id as usize].fwd[out[pi] as usize],
                    _ => self.rep_image(pool, j, p),
                },
                None => p,
            };
        }
        out
    }

    /// The representative `u` (with `u(root) = points[idx]`).
    pub fn rep(&self, pool: &[Elem], idx: usize) -> Perm {
        let mut h: Perm = (0..self.n as u32).collect();
        self.apply_inv_rep(pool, idx, &mut h);
        invert(&h)
    }

    /// The parent of the point at `idx` and the pool index of the label, unless it
    /// is the root.
    pub fn parent(&self, pool: &[Elem], idx: usize) -> Option<(u32, u32)> {
        let l = self.labels[idx];
        (l != ROOT).then(|| {
            let id = self.tree_gens[l as usize];
            (pool[id as usize].inv[self.points[idx] as usize], id)
        })
    }

    /// Makes the tree shallow (depth within [`depth_limit`]) by adding the deepest
    /// representative as a shortcut generator and rebuilding, repeatedly; each
    /// round roughly halves the depth of a long path. Returns true if the tree (and
    /// so the representatives) changed.
    pub fn make_shallow(&mut self, pool: &mut Vec<Elem>) -> bool {
        let limit = depth_limit(self.len());
        let mut changed = false;
        // Each round at least halves the deepest path in the cases that matter; the
        // cap only guards against pathological generator sets.
        for _ in 0..64 {
            let (d, z) = self.deepest();
            if d <= limit {
                break;
            }
            let shortcut = Elem::new(self.rep(pool, z), false);
            pool.push(shortcut);
            self.tree_gens.push((pool.len() - 1) as u32);
            self.rebuild(pool);
            changed = true;
        }
        changed
    }
}

/// One level of the chain: `G_i`, the stabiliser of the base points before it.
#[derive(Clone, Debug)]
pub(super) struct Level {
    /// The base point `b_i`.
    pub point: u32,
    /// Strong generators of `G_i` (pool indices).
    pub gens: Vec<u32>,
    /// The basic orbit `b_i^{G_i}`.
    pub orbit: Orbit,
}

impl Level {
    /// A level with no generators yet.
    pub fn new(point: u32, n: usize) -> Self {
        Self {
            point,
            gens: Vec::new(),
            orbit: Orbit::new(point, n),
        }
    }
}
