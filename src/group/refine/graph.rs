//! The input to refinement: one opaque colour per ordered vertex pair and one per
//! vertex, with the transpose kept for directed colourings.

/// A square matrix of edge colours plus vertex colours: the input to refinement.
#[derive(Clone, Debug)]
pub struct ColouredGraph {
    n: usize,
    /// `out[i·n + j]` = colour of the pair `i → j`.
    out: Vec<u32>,
    /// `inc[i·n + j]` = colour of `j → i` (the transpose), kept only for directed
    /// colourings so that both directions are read along rows.
    inc: Option<Vec<u32>>,
    /// Colour of each vertex.
    vertex: Vec<u64>,
}

/// Tile side of the blocked transpose and symmetry check (keeps both tiles in cache).
const TILE: usize = 64;

impl ColouredGraph {
    /// Wraps an `n × n` row-major colour matrix and the vertex colours. Returns
    /// `None` if the lengths do not fit.
    pub fn new(n: usize, out: Vec<u32>, vertex: Vec<u64>) -> Option<Self> {
        let symmetric = out.len() == n.checked_mul(n)? && is_symmetric(n, &out);
        Self::with_symmetry(n, out, vertex, symmetric)
    }

    /// As [`ColouredGraph::new`], for a caller that already knows whether `out` is
    /// symmetric (the check costs a pass over `n²` entries). `symmetric` must be
    /// exact: [`ColouredGraph::is_automorphism`] reads only one direction of a
    /// symmetric colouring.
    pub(crate) fn with_symmetry(
        n: usize,
        out: Vec<u32>,
        vertex: Vec<u64>,
        symmetric: bool,
    ) -> Option<Self> {
        if out.len() != n.checked_mul(n)? || vertex.len() != n {
            return None;
        }
        debug_assert_eq!(symmetric, is_symmetric(n, &out));
        let inc = (!symmetric).then(|| transpose(n, &out));
        Some(Self {
            n,
            out,
            inc,
            vertex,
        })
    }

    /// Number of vertices.
    pub fn n(&self) -> usize {
        self.n
    }

    /// True if `colour(i→j) = colour(j→i)` for all pairs (an undirected colouring).
    pub fn is_symmetric(&self) -> bool {
        self.inc.is_none()
    }

    /// Colour of vertex `v`.
    pub fn vertex_colour(&self, v: usize) -> u64 {
        self.vertex[v]
    }

    /// True if `image` (a permutation as image list) preserves every vertex and
    /// pair colour: `colour(γ(i)→γ(j)) = colour(i→j)`.
    ///
    /// Only the rows of moved points are read (pairs of fixed points are trivially
    /// preserved; a pair with one fixed end is read in the moved end's row of the
    /// transpose, or of the matrix itself when it is symmetric), so an automorphism
    /// moving `m` points costs `O(m·n)`: twin swaps are checked in linear time.
    pub fn is_automorphism(&self, image: &[u32]) -> bool {
        let n = self.n;
        if image.len() != n {
            return false;
        }
        let moved: Vec<usize> = (0..n).filter(|&i| image[i] as usize != i).collect();
        let rows_agree = |m: &[u32]| {
            moved.iter().all(|&i| {
                let gi = image[i] as usize;
                let row = &m[i * n..(i + 1) * n];
                let grow = &m[gi * n..(gi + 1) * n];
                row.iter()
                    .zip(image)
                    .all(|(&c, &gj)| grow[gj as usize] == c)
            })
        };
        moved
            .iter()
            .all(|&i| self.vertex[image[i] as usize] == self.vertex[i])
            && rows_agree(&self.out)
            && self.inc.as_deref().is_none_or(rows_agree)
    }

    /// Row `x` of the colour matrix: the colours of `x → v` for all `v`.
    pub(crate) fn row(&self, x: usize) -> &[u32] {
        &self.out[x * self.n..(x + 1) * self.n]
    }

    /// Row `x` of the transpose (colours of `v → x`), `None` when symmetric.
    pub(crate) fn inc_row(&self, x: usize) -> Option<&[u32]> {
        self.inc.as_ref().map(|t| &t[x * self.n..(x + 1) * self.n])
    }
}

/// True if the row-major `n × n` matrix `m` equals its transpose (tiled, so both
/// tiles stay in cache).
pub(crate) fn is_symmetric(n: usize, m: &[u32]) -> bool {
    for bi in (0..n).step_by(TILE) {
        for bj in (bi..n).step_by(TILE) {
            for i in bi..(bi + TILE).min(n) {
                for j in bj.max(i + 1)..(bj + TILE).min(n) {
                    if m[i * n + j] != m[j * n + i] {
                        return false;
                    }
                }
            }
        }
    }
    true
}

/// The transpose of a row-major `n × n` matrix, tile by tile.
fn transpose(n: usize, m: &[u32]) -> Vec<u32> {
    let mut t = vec![0u32; m.len()];
    for bi in (0..n).step_by(TILE) {
        for bj in (0..n).step_by(TILE) {
            for i in bi..(bi + TILE).min(n) {
                for j in bj..(bj + TILE).min(n) {
                    t[j * n + i] = m[i * n + j];
                }
            }
        }
    }
    t
}
