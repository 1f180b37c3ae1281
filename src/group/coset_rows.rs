//! Explicit inverse coset representatives of one level of a stabiliser chain, stored
//! as rows of point images (`u16` when the degree allows): what Schreier–Sims
//! (`schreier.rs`) sifts through in `O(n)` passes while it builds the chain.

use super::chain::Perm;

/// Explicit inverse coset representatives of one level, one row per orbit point.
pub(super) enum CosetRows {
    /// Points fit in 16 bits (`n ≤ 65536`).
    U16(Vec<u16>),
    /// Larger degrees.
    U32(Vec<u32>),
}

impl CosetRows {
    /// No rows yet, for degree `n`.
    pub(super) fn new(n: usize) -> Self {
        if n <= 1 << 16 {
            CosetRows::U16(Vec::new())
        } else {
            CosetRows::U32(Vec::new())
        }
    }

    /// Bytes one row of degree `n` takes.
    pub(super) fn row_bytes(n: usize) -> usize {
        if n <= 1 << 16 { 2 * n } else { 4 * n }
    }

    /// Appends the row `r[p] = parent_row[ginv[p]]`, or the identity row.
    pub(super) fn push(&mut self, n: usize, parent: Option<(usize, &[u32])>) {
        match self {
            CosetRows::U16(v) => {
                let start = v.len();
                match parent {
                    None => v.extend((0..n).map(|p| p as u16)),
                    Some((pi, ginv)) => {
                        v.reserve(n);
                        for &q in ginv {
                            let x = v[pi * n + q as usize];
                            v.push(x);
                        }
                    }
                }
                debug_assert_eq!(v.len(), start + n);
            }
            CosetRows::U32(v) => match parent {
                None => v.extend(0..n as u32),
                Some((pi, ginv)) => {
                    v.reserve(n);
                    for &q in ginv {
                        let x = v[pi * n + q as usize];
                        v.push(x);
                    }
                }
            },
        }
    }

    /// `h ← h · u⁻¹` with row `idx`.
    #[inline]
    pub(super) fn apply(&self, n: usize, idx: usize, h: &mut [u32]) {
        match self {
            CosetRows::U16(v) => {
                let row = &v[idx * n..(idx + 1) * n];
                for x in h.iter_mut() {
                    *x = row[*x as usize] as u32;
                }
            }
            CosetRows::U32(v) => {
                let row = &v[idx * n..(idx + 1) * n];
                for x in h.iter_mut() {
                    *x = row[*x as usize];
                }
            }
        }
    }

    /// Entry `q` of row `idx` (`u⁻¹(q)`).
    #[inline]
    pub(super) fn at(&self, n: usize, idx: usize, q: u32) -> u32 {
        match self {
            CosetRows::U16(v) => v[idx * n + q as usize] as u32,
            CosetRows::U32(v) => v[idx * n + q as usize],
        }
    }

    /// True if `ginv[R_y[s[q]]] = R_x[q]` for every `q` (`ginv` the identity when
    /// `None`), with `R_x`, `R_y` rows `x`, `y`: how the builder in `schreier.rs`
    /// proves a Schreier generator trivial without forming it.
    pub(super) fn sifts_to_identity(
        &self,
        n: usize,
        x: usize,
        y: usize,
        s: &[u32],
        ginv: Option<&[u32]>,
    ) -> bool {
        fn check<T: Copy + Into<u32>>(rx: &[T], ry: &[T], s: &[u32], g: Option<&[u32]>) -> bool {
            match g {
                None => rx
                    .iter()
                    .zip(s)
                    .all(|(&a, &q)| ry[q as usize].into() == a.into()),
                Some(g) => rx
                    .iter()
                    .zip(s)
                    .all(|(&a, &q)| g[ry[q as usize].into() as usize] == a.into()),
            }
        }
        match self {
            CosetRows::U16(v) => check(&v[x * n..(x + 1) * n], &v[y * n..(y + 1) * n], s, ginv),
            CosetRows::U32(v) => check(&v[x * n..(x + 1) * n], &v[y * n..(y + 1) * n], s, ginv),
        }
    }

    /// The representative itself (the inverse of row `idx`).
    pub(super) fn rep(&self, n: usize, idx: usize) -> Perm {
        let mut u = vec![0u32; n];
        match self {
            CosetRows::U16(v) => {
                for (i, &x) in v[idx * n..(idx + 1) * n].iter().enumerate() {
                    u[x as usize] = i as u32;
                }
            }
            CosetRows::U32(v) => {
                for (i, &x) in v[idx * n..(idx + 1) * n].iter().enumerate() {
                    u[x as usize] = i as u32;
                }
            }
        }
        u
    }
}
