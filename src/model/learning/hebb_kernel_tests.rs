//! Tests of the dense Hebbian kernel (`hebb_kernel.rs`): tiles, fused and split adds,
//! cancellation.

use super::*;
use crate::model::learning::hebb_tiles::{
    ROW_PIECE_COLUMNS, ROW_SPLIT_DIAGONAL_FROM, STRIP_ALIGN, STRIP_ROWS, row_pieces, strips, tiles,
};
use ndarray::Array2;

/// Deterministic activities with some all-zero columns.
fn activities(b: usize, m: usize) -> Array2<f32> {
    Array2::from_shape_fn((b, m), |(r, i)| {
        if i % 7 == 3 || (r * 31 + i * 17) % 5 == 0 {
            0.0
        } else {
            ((r * 13 + i * 29) % 23) as f32 / 11.0 - 0.5
        }
    })
}

fn active(a: &Array2<f32>) -> Vec<usize> {
    (0..a.ncols())
        .filter(|&i| a.column(i).iter().any(|&x| x != 0.0))
        .collect()
}

/// `(W, d)` after one kernel call from zero, as f64.
fn run(
    l: &Array2<f32>,
    r: &Array2<f32>,
    upper: bool,
    cancel: Option<&CancelToken>,
    threads: usize,
) -> (Vec<f32>, Vec<f32>) {
    let m = l.ncols();
    let (cl, cr) = (active(l), active(r));
    let mut w = vec![0.0f32; m * m];
    let mut d = vec![0.0f32; m];
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    pool.install(|| {
        let (pl, pr) = (Packed::new(l.view(), &cl), Packed::new(r.view(), &cr));
        match cancel {
            None => accumulate_dense(&mut w, &mut d, 0.5, &pl, &pr, &cl, &cr, upper),
            Some(token) => Products::compute(&pl, &pr, &cl, &cr, upper, Some(token))
                .expect("not cancelled")
                .add_into(&mut w, &mut d, 0.5),
        }
    });
    (w, d)
}

#[test]
fn tiles_cover_the_product_once_at_every_edge() {
    for (nl, nr, t) in [
        (1, 1, 4),
        (4, 4, 4),
        (5, 9, 4),
        (9, 9, 4),
        (12, 3, 5),
        (600, 600, 256),
        (1100, 1100, 512),
    ] {
        for upper in [false, true] {
            if upper && nl != nr {
                continue;
            }
            let mut seen = vec![0u8; nl * nr];
            for tile in tiles(nl, nr, t, upper) {
                assert!(tile.h >= 1 && tile.w >= 1 && tile.h <= t && tile.w <= t);
                for p in tile.i0..tile.i0 + tile.h {
                    for q in tile.j0..tile.j0 + tile.w {
                        seen[p * nr + q] += 1;
                    }
                }
            }
            for p in 0..nl {
                for q in 0..nr {
                    let want = u8::from(!upper || q >= p);
                    assert!(seen[p * nr + q] >= want && seen[p * nr + q] <= 1);
                }
            }
        }
    }
}

#[test]
fn the_kernel_matches_a_direct_product_on_odd_sizes_and_tile_edges() {
    // Sizes around the tile side 128: one tile, an exact multiple, one over, ragged.
    for (b, m) in [(1, 5), (3, 127), (7, 128), (5, 129), (9, 300)] {
        let l = activities(b, m);
        let r = activities(b, m).mapv(|x| x * 0.5 + 0.25 * f32::from(x != 0.0));
        for (upper, right) in [(true, &l), (false, &l), (false, &r)] {
            let (w, d) = run(&l, right, upper, None, 2);
            for i in 0..m {
                for j in 0..m {
                    let g: f64 = (0..b)
                        .map(|k| f64::from(l[[k, i]]) * f64::from(right[[k, j]]))
                        .sum();
                    let want = 0.5 * g;
                    let got = if i == j {
                        assert_eq!(w[i * m + j], 0.0, "diagonal of W stays zero");
                        f64::from(d[i])
                    } else if upper && j < i {
                        continue; // stale lower triangle
                    } else {
                        f64::from(w[i * m + j])
                    };
                    assert!(
                        (got - want).abs() <= 1e-5 * (1.0 + want.abs()),
                        "b {b} m {m} upper {upper}: ({i}, {j}) {got} vs {want}"
                    );
                }
            }
        }
    }
}

#[test]
fn one_and_two_threads_and_the_cancellable_order_agree_bit_for_bit() {
    let (b, m) = (33, 300);
    let l = activities(b, m);
    for upper in [true, false] {
        let one = run(&l, &l, upper, None, 1);
        let two = run(&l, &l, upper, None, 2);
        let token = CancelToken::new();
        let buffered = run(&l, &l, upper, Some(&token), 2);
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&one.0), bits(&two.0));
        assert_eq!(bits(&one.1), bits(&two.1));
        assert_eq!(bits(&one.0), bits(&buffered.0));
        assert_eq!(bits(&one.1), bits(&buffered.1));
    }
}

#[test]
fn fused_and_split_tiles_agree_with_the_tiles_computed_aside_bit_for_bit() {
    // Every column active, so whole tiles are added by gemm itself; u ≥ 2048 gives
    // block rows 512 high with split diagonal blocks; the batch of 600 is too deep to
    // fuse, so both orders are compared there too.
    for (b, m) in [(5, 300), (3, 2100), (64, 2048), (600, 260)] {
        let l = Array2::from_shape_fn((b, m), |(r, i)| {
            ((r * 13 + i * 29) % 23) as f32 / 11.0 - 0.5 + f32::from((r + i) % 5 == 0)
        });
        assert_eq!(active(&l).len(), m);
        for upper in [true, false] {
            let one = run(&l, &l, upper, None, 1);
            let two = run(&l, &l, upper, None, 2);
            let token = CancelToken::new();
            let aside = run(&l, &l, upper, Some(&token), 2);
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            let upper_bits = |v: &[f32]| {
                (0..m * m)
                    .filter(|&x| !upper || x % m >= x / m)
                    .map(|x| v[x].to_bits())
                    .collect::<Vec<_>>()
            };
            assert_eq!(upper_bits(&one.0), upper_bits(&two.0), "b {b} m {m}");
            assert_eq!(upper_bits(&one.0), upper_bits(&aside.0), "b {b} m {m}");
            assert_eq!(bits(&one.1), bits(&two.1));
            assert_eq!(bits(&one.1), bits(&aside.1));
            // Spot checks against a direct product.
            for (i, j) in [(0, 1), (7, m - 1), (m / 2, m / 2 + 1), (m - 2, m - 1)] {
                let g: f64 = (0..b)
                    .map(|k| f64::from(l[[k, i]]) * f64::from(l[[k, j]]))
                    .sum();
                let got = f64::from(one.0[i * m + j]);
                assert!(
                    (got - 0.5 * g).abs() <= 1e-4 * (1.0 + g.abs()),
                    "({i}, {j})"
                );
                if !upper {
                    assert_eq!(one.0[j * m + i].to_bits(), one.0[i * m + j].to_bits());
                }
            }
            for i in 0..m {
                assert_eq!(one.0[i * m + i], 0.0, "diagonal of W stays zero");
            }
        }
    }
}

#[test]
fn a_cancelled_computation_returns_nothing() {
    let (b, m) = (4, 50);
    let l = activities(b, m);
    let cols = active(&l);
    let packed = Packed::new(l.view(), &cols);
    let token = CancelToken::new();
    token.cancel();
    let out = Products::compute(&packed, &packed, &cols, &cols, true, Some(&token));
    assert!(matches!(out, Err(Cancelled)));
}

#[test]
fn strips_cover_the_upper_triangle_once_without_single_rows_or_columns() {
    for n in [1, 2, 3, 15, 16, 17, 33, 129, 250, 256, 257, 300, 385, 2047] {
        let list = strips(n);
        let mut seen = vec![0u8; n * n];
        for tile in &list {
            for p in tile.i0..tile.i0 + tile.h {
                for q in tile.j0.max(p)..tile.j0 + tile.w {
                    seen[p * n + q] += 1;
                }
            }
            // Everything left of the diagonal lies in the stale lower triangle.
            assert!(
                tile.j0 <= tile.i0,
                "n {n}: {tile:?} starts right of its diagonal"
            );
            assert_eq!(tile.j0 + tile.w, n, "n {n}: {tile:?} stops short");
            let lone = n % 128 == 1 && tile.i0 == n - 1;
            if lone {
                assert_eq!((tile.h, tile.w), (1, 1), "n {n}: {tile:?}");
            } else {
                assert!(tile.w == n || tile.w % STRIP_ALIGN == 0, "n {n}: {tile:?}");
                assert!(n == 1 || (tile.h >= 2 && tile.w >= 2), "n {n}: {tile:?}");
            }
        }
        for p in 0..n {
            for q in p..n {
                assert_eq!(seen[p * n + q], 1, "n {n}: cell ({p}, {q})");
            }
        }
        // Longest first, so the last pieces taken are the short ones.
        assert!(list.windows(2).all(|t| t[0].w >= t[1].w));
    }
}

#[test]
fn strips_give_the_bits_of_the_square_tiles_of_128() {
    // Square tiles of 128 were the layout of every product under 2,048 detectors; pinned
    // results were computed with them. Sizes: one row over 128 (the lone diagonal cell),
    // not a multiple of 16, small; batches of 3 (the shortest that gets strips), 33, 300.
    for (b, m) in [(3, 20), (33, 129), (300, 250), (33, 257), (5, 385)] {
        let gaps = activities(b, m);
        let full = Array2::from_shape_fn((b, m), |(r, i)| {
            ((r * 13 + i * 29) % 23) as f32 / 11.0 - 0.5 + f32::from((r + i) % 5 == 0)
        });
        // With gaps the tiles are computed aside; without, gemm adds them into W itself.
        for a in [&gaps, &full] {
            let cols = active(a);
            let u = cols.len();
            assert!(layout(u, u, b, true).iter().all(|t| t.h <= STRIP_ROWS + 1));
            let packed = Packed::new(a.view(), &cols);
            let go = |list: &[Tile]| {
                let mut w = vec![0.0f32; m * m];
                let mut d = vec![0.0f32; m];
                accumulate_tiles(
                    &mut w, &mut d, 0.37, &packed, &packed, &cols, &cols, true, list,
                );
                let upper: Vec<u32> = (0..m * m)
                    .filter(|&x| x % m >= x / m)
                    .map(|x| w[x].to_bits())
                    .collect();
                (upper, d.iter().map(|x| x.to_bits()).collect::<Vec<_>>())
            };
            let (w_strips, d_strips) = go(&strips(u));
            let (w_tiles, d_tiles) = go(&tiles(u, u, 128, true));
            assert!(w_strips == w_tiles, "b {b} m {m} u {u}: W differs");
            assert!(d_strips == d_tiles, "b {b} m {m} u {u}: d differs");
        }
    }
}

#[test]
fn row_pieces_cover_the_upper_triangle_once_largest_first() {
    // Exact blocks, one column over (a lone last row), ragged, wider than one piece.
    for n in [2048, 2049, 2100, 2560, 4103] {
        let list = row_pieces(n, 512);
        assert_eq!(
            layout(n, n, 64, true),
            list,
            "n {n}: large triangles take row pieces"
        );
        let mut seen = vec![0u8; n * n];
        let mut below = 0usize;
        for tile in &list {
            assert!(
                tile.h <= 512 && tile.w <= ROW_PIECE_COLUMNS + 1,
                "n {n}: {tile:?}"
            );
            if tile.i0 == tile.j0 {
                assert!(
                    tile.w < ROW_SPLIT_DIAGONAL_FROM,
                    "n {n}: {tile:?} not split"
                );
            } else {
                assert!(
                    tile.j0 >= tile.i0 + tile.h,
                    "n {n}: {tile:?} crosses the diagonal"
                );
            }
            if n % 512 != 1 {
                assert!(
                    tile.h >= 2 && tile.w >= 2,
                    "n {n}: {tile:?} is a single row/column"
                );
            }
            for p in tile.i0..tile.i0 + tile.h {
                for q in tile.j0..tile.j0 + tile.w {
                    seen[p * n + q] += 1;
                    below += usize::from(q < p);
                }
            }
        }
        assert!(seen.iter().all(|&c| c <= 1), "n {n}: a cell computed twice");
        for p in 0..n {
            assert!(
                seen[p * n + p..(p + 1) * n].iter().all(|&c| c == 1),
                "n {n}: row {p} of the triangle not covered"
            );
        }
        assert!(below < 64 * n, "n {n}: {below} cells below the diagonal");
        // Largest first, so the last pieces taken are the small diagonal ones.
        assert!(list.windows(2).all(|t| t[0].h * t[0].w >= t[1].h * t[1].w));
    }
}
