//! Tests of the batch accumulation plans (`hebb_accumulate.rs`).

use super::*;
use ndarray::Array2;
use rand::{Rng, SeedableRng};

/// The sparse sum one stimulus at a time over the whole matrix (the order every
/// weight's terms must keep).
fn reference(l: &Array2<f32>, r: &Array2<f32>, upper: bool, c: f32) -> (Vec<f32>, Vec<f32>) {
    let m = l.ncols();
    let (mut w, mut d) = (vec![0.0f32; m * m], vec![0.0f32; m]);
    for b in 0..l.nrows() {
        for i in (0..m).filter(|&i| l[[b, i]] != 0.0) {
            let ca = c * l[[b, i]];
            if upper {
                for j in (i + 1..m).filter(|&j| l[[b, j]] != 0.0) {
                    w[i * m + j] += ca * l[[b, j]];
                }
                d[i] += ca * l[[b, i]];
            } else {
                for j in (0..m).filter(|&j| r[[b, j]] != 0.0) {
                    w[i * m + j] += ca * r[[b, j]];
                }
                d[i] += w[i * m + i];
                w[i * m + i] = 0.0;
            }
        }
    }
    (w, d)
}

#[test]
fn the_dense_path_closes_small_gaps_with_the_bits_of_the_active_columns_alone() {
    // Detectors 5 and 40 of 64 never fire (2 of 64, within 1/16): the dense plan
    // computes every detector, the inactive ones adding exact zeros.
    let (b, m) = (9, 64);
    let l = Array2::from_shape_fn((b, m), |(r, i)| {
        if i == 5 || i == 40 || (r * 7 + i * 3) % 4 == 0 {
            0.0
        } else {
            ((r * 13 + i * 29) % 23) as f32 / 11.0 - 0.5
        }
    });
    let active: Vec<usize> = (0..m)
        .filter(|&i| l.column(i).iter().any(|&x| x != 0.0))
        .collect();
    assert_eq!(active.len(), m - 2);
    for upper in [true, false] {
        let plan = Plan::new(l.view(), l.view(), PathChoice::Dense, upper).unwrap();
        assert_eq!(plan.cols_l, (0..m).collect::<Vec<_>>());
        // A non-zero start, so the zeros are really added.
        let start: Vec<f32> = (0..m * m)
            .map(|x| {
                if x % m == x / m {
                    0.0
                } else {
                    (x % 11) as f32 * 0.1
                }
            })
            .collect();
        let (mut w, mut d) = (start.clone(), vec![0.25f32; m]);
        assert_eq!(plan.apply(&mut w, &mut d, 0.3, None), PathTaken::Dense);
        let (mut w_want, mut d_want) = (start, vec![0.25f32; m]);
        let packed = Packed::new(l.view(), &active);
        hebb_kernel::accumulate_dense(
            &mut w_want,
            &mut d_want,
            0.3,
            &packed,
            &packed,
            &active,
            &active,
            upper,
        );
        let current = |w: &[f32]| {
            (0..m * m)
                .filter(|&x| !upper || x % m >= x / m)
                .map(|x| w[x].to_bits())
                .collect::<Vec<_>>()
        };
        assert_eq!(current(&w), current(&w_want), "upper {upper}");
        assert_eq!(d, d_want);
    }
    // Wider gaps are left to the active columns alone.
    let sparse = &l * &Array2::from_shape_fn((b, m), |(_, i)| f32::from(i % 3 == 0));
    let plan = Plan::new(sparse.view(), sparse.view(), PathChoice::Dense, true).unwrap();
    assert!(plan.cols_l.iter().all(|&i| i % 3 == 0));
}

#[test]
fn blocked_sparse_sum_has_the_bits_of_one_stimulus_at_a_time_on_any_thread_count() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let (b, m) = (23, 37);
    let sparse = |rng: &mut rand_chacha::ChaCha8Rng| {
        Array2::from_shape_fn((b, m), |_| {
            if rng.random_bool(0.2) {
                rng.random_range(0.0f32..2.0)
            } else {
                0.0
            }
        })
    };
    let (l, r) = (sparse(&mut rng), sparse(&mut rng));
    for upper in [true, false] {
        let right = if upper { &l } else { &r };
        let mut plan = Plan::new(l.view(), right.view(), PathChoice::Sparse, upper).unwrap();
        let want = reference(&l, right, upper, 0.3);
        // Both forms of the sparse sum: pair by pair and row by row.
        for (threads, rows, by_rows) in [
            (1, 1, false),
            (2, 1, false),
            (1, 5, false),
            (2, 5, false),
            (2, 100, false),
            (1, 1, true),
            (2, 3, true),
            (1, 100, true),
        ] {
            plan.by_rows = by_rows;
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let (mut w, mut d) = (vec![0.0f32; m * m], vec![0.0f32; m]);
            pool.install(|| plan.sparse_blocks(&mut w, &mut d, 0.3, None, rows))
                .unwrap();
            assert_eq!(
                (&w, &d),
                (&want.0, &want.1),
                "upper {upper}, {threads} threads, {rows} rows, by rows {by_rows}"
            );
        }
        let token = CancelToken::new();
        token.cancel();
        let (mut w, mut d) = (vec![0.0f32; m * m], vec![0.0f32; m]);
        assert!(
            plan.sparse_blocks(&mut w, &mut d, 0.3, Some(&token), 4)
                .is_err()
        );
    }
}
