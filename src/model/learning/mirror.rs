//! Mirroring the upper triangle of a square matrix onto the lower one: how a symmetric
//! rule's weights, of which the update writes only the upper triangle, are made whole
//! when they are read (and how a figure's symmetric block means are completed).

use ndarray::Array2;

/// Copies the upper triangle onto the lower one (a square matrix in standard layout;
/// anything else is left alone).
pub(super) fn mirror_upper(w: &mut Array2<f32>) {
    let m = w.nrows();
    if let Some(ws) = w.as_slice_mut() {
        mirror_upper_triangle(ws, m);
    }
}

/// Copies the upper triangle of the row-major `m × m` matrix `ws` onto the lower one.
/// Off-diagonal 8 × 8 blocks are read as eight row pieces and written transposed as
/// eight row pieces (twice as fast as a tiled element-by-element copy at M = 2048, and
/// clear of the cache-set conflicts a power-of-two row length gives bigger tiles); the
/// diagonal blocks and a ragged edge go element by element. Does nothing unless
/// `ws.len() == m * m`.
pub fn mirror_upper_triangle(ws: &mut [f32], m: usize) {
    const B: usize = 8;
    if ws.len() != m * m {
        return;
    }
    let whole = m / B * B;
    for ib in (0..whole).step_by(B) {
        for jb in (0..ib).step_by(B) {
            let mut block = [[0.0f32; B]; B];
            for (a, row) in block.iter_mut().enumerate() {
                let start = (jb + a) * m + ib;
                row.copy_from_slice(&ws[start..start + B]);
            }
            let mut transposed = [[0.0f32; B]; B];
            for (a, row) in block.iter().enumerate() {
                for (b, &v) in row.iter().enumerate() {
                    transposed[b][a] = v;
                }
            }
            for (b, row) in transposed.iter().enumerate() {
                let start = (ib + b) * m + jb;
                ws[start..start + B].copy_from_slice(row);
            }
        }
        for i in ib..ib + B {
            for j in ib..i {
                ws[i * m + j] = ws[j * m + i];
            }
        }
    }
    for i in whole..m {
        for j in 0..i {
            ws[i * m + j] = ws[j * m + i];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirroring_copies_the_upper_triangle_exactly() {
        for m in [0, 1, 7, 8, 9, 150] {
            let original = Array2::from_shape_fn((m, m), |(i, j)| (i * 1000 + j) as f32);
            let mut w = original.clone();
            mirror_upper(&mut w);
            for i in 0..m {
                for j in 0..m {
                    let want = original[[i.min(j), i.max(j)]];
                    assert_eq!(w[[i, j]], want, "m {m}, ({i}, {j})");
                }
            }
        }
    }
}
