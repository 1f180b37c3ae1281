//! Reading a square matrix held as its upper triangle (the symmetric rules' `W_raw`)
//! without materialising the other triangle: whole rows, a few at a time, and an exact
//! symmetry test — both in cache-friendly blocks, since a column of a 16,384-wide matrix
//! is 16,384 cache lines apart.

/// Rows read per block by [`for_each_row_block`] (a block of 16,384-wide rows is 4 MB).
pub const ROWS_PER_BLOCK: usize = 64;

/// Calls `f(first_row, rows)` for consecutive blocks of at most [`ROWS_PER_BLOCK`] whole
/// rows of the row-major `m × m` matrix `w` (`rows` holds `k × m` values). With
/// `upper_only` the matrix is taken to be symmetric with only its upper triangle
/// (diagonal included) current: each row's entries left of the diagonal are read from
/// the column above it. Stops at the first error of `f`.
pub fn for_each_row_block<E>(
    w: &[f32],
    m: usize,
    upper_only: bool,
    mut f: impl FnMut(usize, &[f32]) -> Result<(), E>,
) -> Result<(), E> {
    if w.len() != m * m || m == 0 {
        return Ok(());
    }
    if !upper_only {
        for (b, rows) in w.chunks(ROWS_PER_BLOCK * m).enumerate() {
            f(b * ROWS_PER_BLOCK, rows)?;
        }
        return Ok(());
    }
    let mut block = vec![0.0f32; ROWS_PER_BLOCK.min(m) * m];
    for r0 in (0..m).step_by(ROWS_PER_BLOCK) {
        let k = ROWS_PER_BLOCK.min(m - r0);
        let rows = &mut block[..k * m];
        // Columns left of the block: row c of the upper triangle holds the block's
        // entries (c, r0..r0 + k) side by side — one short contiguous read per c.
        for c in 0..r0 {
            let above = &w[c * m + r0..c * m + r0 + k];
            for (a, &v) in above.iter().enumerate() {
                rows[a * m + c] = v;
            }
        }
        for a in 0..k {
            let r = r0 + a;
            // The diagonal block below its diagonal, then the row's own upper part.
            for c in r0..r {
                rows[a * m + c] = w[c * m + r];
            }
            rows[a * m + r..(a + 1) * m].copy_from_slice(&w[r * m + r..(r + 1) * m]);
        }
        f(r0, rows)?;
    }
    Ok(())
}

/// Whether the row-major `m × m` matrix `w` equals its transpose exactly (bit patterns
/// compared as `==`, so `-0.0 == 0.0` and any NaN differs), comparing in square tiles.
pub fn is_symmetric(w: &[f32], m: usize) -> bool {
    const T: usize = 64;
    if w.len() != m * m {
        return false;
    }
    for i0 in (0..m).step_by(T) {
        for j0 in (i0..m).step_by(T) {
            for i in i0..(i0 + T).min(m) {
                let from = if i0 == j0 { i + 1 } else { j0 };
                for j in from..(j0 + T).min(m) {
                    if w[i * m + j] != w[j * m + i] {
                        return false;
                    }
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_blocks_of_the_upper_triangle_are_the_mirrored_matrix() {
        for m in [0, 1, 5, 63, 64, 65, 130] {
            // Upper triangle from a symmetric rule, lower triangle garbage.
            let w: Vec<f32> = (0..m * m)
                .map(|k| {
                    let (i, j) = (k / m, k % m);
                    if i <= j {
                        (i * 1000 + j) as f32
                    } else {
                        f32::NAN
                    }
                })
                .collect();
            for upper_only in [true, false] {
                let mut seen = Vec::new();
                let mut starts = Vec::new();
                for_each_row_block::<()>(&w, m, upper_only, |r0, rows| {
                    starts.push(r0);
                    seen.extend_from_slice(rows);
                    Ok(())
                })
                .unwrap();
                assert_eq!(seen.len(), m * m, "m {m}");
                for i in 0..m {
                    for j in 0..m {
                        let got = seen[i * m + j];
                        if upper_only {
                            assert_eq!(got, (i.min(j) * 1000 + i.max(j)) as f32, "m {m}");
                        } else {
                            assert_eq!(got.to_bits(), w[i * m + j].to_bits());
                        }
                    }
                }
                let want: Vec<usize> = (0..m).step_by(ROWS_PER_BLOCK).collect();
                assert_eq!(starts, want);
            }
        }
    }

    #[test]
    fn symmetry_is_tested_exactly_at_tile_edges() {
        for m in [1, 2, 64, 65, 130] {
            let mut w: Vec<f32> = (0..m * m)
                .map(|k| ((k / m) * (k % m) + (k / m) + (k % m)) as f32)
                .collect();
            assert!(is_symmetric(&w, m), "m {m}");
            if m > 1 {
                let (i, j) = (m - 1, 0);
                w[i * m + j] += 1.0;
                assert!(!is_symmetric(&w, m), "m {m}");
            }
        }
        assert!(!is_symmetric(&[0.0; 3], 2));
    }
}
