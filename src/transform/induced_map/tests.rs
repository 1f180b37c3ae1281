//! Tests of the induced map, and the planted ring bank other modules' tests share.

use ndarray::Array2;

use super::*;

/// A ring of `n` pixels with `kernels` random local kernels (odd ones the negatives of even ones) copied to every position,
/// stored in a scrambled order. Returns fields, labels and the neuron permutation of the unit shift.
pub(crate) fn ring_bank(
    n: usize,
    kernels: usize,
    size: usize,
) -> (Array2<f32>, Vec<NeuronLabel>, Permutation) {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    // Odd kernels are the negatives of the even ones, so relu codes lose nothing.
    let mut bases: Vec<Vec<f32>> = Vec::new();
    for k in 0..kernels {
        let base = if k % 2 == 1 {
            bases[k - 1].iter().map(|w: &f32| -w).collect()
        } else {
            (0..size).map(|_| rng.random::<f32>() - 0.5).collect()
        };
        bases.push(base);
    }
    let m = n * kernels;
    // hidden order: neuron (pos, k) stored at scramble[pos * kernels + k]
    let mut scramble: Vec<usize> = (0..m).collect();
    for i in (1..m).rev() {
        let j = rng.random_range(0..=i);
        scramble.swap(i, j);
    }
    let mut fields = Array2::<f32>::zeros((m, n));
    let mut labels = vec![
        NeuronLabel {
            centre: (0.0, 0.0),
            position: 0,
            kernel: None,
            rotation: 0
        };
        m
    ];
    for pos in 0..n {
        for (k, base) in bases.iter().enumerate() {
            let row = scramble[pos * kernels + k];
            for (d, &w) in base.iter().enumerate() {
                fields[[row, (pos + d) % n]] = w;
            }
            labels[row] = NeuronLabel {
                centre: ((pos as f32 + (size as f32 - 1.0) / 2.0) % n as f32, 0.0),
                position: pos,
                kernel: Some(k),
                rotation: 0,
            };
        }
    }
    let images = (0..m)
        .map(|s| {
            let (pos, k) = (s / kernels, s % kernels);
            (s, scramble[((pos + 1) % n) * kernels + k])
        })
        .fold(vec![0; m], |mut acc, (s, t)| {
            acc[scramble[s]] = t;
            acc
        });
    (fields, labels, Permutation::from_images(images).unwrap())
}

#[test]
fn planted_ring_shift_induces_the_pixel_shift() {
    let (fields, labels, shift) = ring_bank(20, 3, 4);
    let map = InducedMap::new(Space::Ring { n: 20 }, &fields, &labels, &shift).unwrap();
    assert_eq!(
        map.target,
        (0..20).map(|p| (p + 1) % 20).collect::<Vec<_>>()
    );
    assert_eq!(
        map.source,
        (0..20).map(|q| (q + 19) % 20).collect::<Vec<_>>()
    );
    assert!((map.confidence - 1.0).abs() < 1e-12);
    assert_eq!(map.kernel_confidence, Some(1.0));
    assert!(map.kernels.iter().all(|k| k.kernel == k.target));
    assert!((map.mean_pixel_score() - 1.0).abs() < 1e-5);
    let pattern: Vec<f32> = (0..20).map(|x| x as f32).collect();
    let moved = map.apply(&pattern).unwrap();
    assert_eq!(moved[5], 4.0);
    assert_eq!(moved[0], 19.0);
    let double = InducedMap::new(Space::Ring { n: 20 }, &fields, &labels, &shift.pow(2)).unwrap();
    assert_eq!(double.target[3], 5);
}

/// A bank holding each kernel and its negative (ON and OFF): swapping the two is
/// the contrast inversion, a symmetry no pixel map explains.
#[test]
fn swapping_a_field_with_its_negative_inverts_contrast() {
    let n = 20;
    let space = Space::Ring { n };
    let (fields, labels, shift) = ring_bank(n, 2, 4);
    let m = fields.nrows();
    let negative_of = |i: usize| {
        (0..m)
            .find(|&j| {
                fields
                    .row(j)
                    .iter()
                    .zip(fields.row(i))
                    .all(|(a, b)| *a == -*b)
            })
            .unwrap()
    };
    let invert = Permutation::from_images((0..m).map(negative_of).collect()).unwrap();
    let map = InducedMap::new(space, &fields, &labels, &invert).unwrap();
    assert!(map.inverted);
    assert_eq!(map.matched, Some((Transformation::Identity, 1.0)));
    assert_eq!(map.description(space).as_deref(), Some("invert contrast"));
    assert!((map.mean_pixel_score() - 1.0).abs() < 1e-5);
    assert!(
        map.pixel_permutation().is_none(),
        "no pixel map explains it"
    );
    let pattern: Vec<f32> = (0..n).map(|x| x as f32 - 3.0).collect();
    let flipped: Vec<f32> = pattern.iter().map(|v| -v).collect();
    assert_eq!(map.apply(&pattern).unwrap(), flipped);
    let both = InducedMap::new(space, &fields, &labels, &invert.then(&shift)).unwrap();
    assert!(both.inverted);
    assert_eq!(
        both.description(space),
        Some(format!(
            "invert contrast, then {}",
            space.describe(Transformation::Shift { k: 1 })
        ))
    );
    assert_eq!(both.apply(&pattern).unwrap()[5], -pattern[4]);
    // The shift alone moves pixels and keeps the contrast.
    let plain = InducedMap::new(space, &fields, &labels, &shift).unwrap();
    assert!(!plain.inverted);
    assert_eq!(
        plain.description(space),
        Some(space.describe(Transformation::Shift { k: 1 }))
    );
}

#[test]
fn a_random_permutation_has_low_confidence() {
    let (fields, labels, _) = ring_bank(20, 3, 4);
    let scrambled = Permutation::from_images((0..60).map(|i| (i * 7 + 3) % 60).collect()).unwrap();
    let map = InducedMap::new(Space::Ring { n: 20 }, &fields, &labels, &scrambled).unwrap();
    assert!(map.confidence < 0.5, "confidence {}", map.confidence);
    assert!(
        !map.inverted,
        "a poor fit is not called a contrast inversion"
    );
    assert!(
        map.mean_pixel_score() < 0.9,
        "score {}",
        map.mean_pixel_score()
    );
}

#[test]
fn wrong_sizes_are_errors() {
    let (fields, labels, _) = ring_bank(10, 2, 3);
    let small = Permutation::identity(5);
    assert!(matches!(
        InducedMap::new(Space::Ring { n: 10 }, &fields, &labels, &small),
        Err(TransformError::SizeMismatch {
            what: "permutation",
            ..
        })
    ));
    assert!(
        InducedMap::new(
            Space::Ring { n: 11 },
            &fields,
            &labels,
            &Permutation::identity(20)
        )
        .is_err()
    );
}
