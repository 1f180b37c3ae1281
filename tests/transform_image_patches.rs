//! The ImagePatches world is exactly D4-invariant: its mean patch and second moments are
//! invariant under the quarter turn and the mirror, within sampling error.

use invariance_lab::model::world::image_patches;
use invariance_lab::model::{Space, Transformation};
use rand::SeedableRng;

#[test]
fn image_patch_statistics_are_invariant_under_d4_within_sampling_error() {
    let side = 8;
    let space = Space::Square { side };
    let pixels = side * side;
    let samples = 20_000;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let mut mean = vec![0.0f64; pixels];
    let mut second = vec![0.0f64; pixels * pixels];
    for _ in 0..samples {
        let s = image_patches::sample(space, &mut rng).unwrap();
        for p in 0..pixels {
            mean[p] += s[p] as f64;
            for q in 0..pixels {
                second[p * pixels + q] += (s[p] * s[q]) as f64;
            }
        }
    }
    mean.iter_mut().for_each(|m| *m /= samples as f64);
    second.iter_mut().for_each(|m| *m /= samples as f64);
    // Sampling error of a mean of unit-variance values: 1/√20000 ≈ 0.007; allow 5σ.
    let tol = 5.0 / (samples as f64).sqrt();
    for t in [
        Transformation::Rotate { quarter_turns: 1 },
        Transformation::Reflect { quarter_turns: 0 },
    ] {
        let g = space.pixel_permutation(t).unwrap();
        let worst_mean = (0..pixels)
            .map(|p| (mean[g.image(p)] - mean[p]).abs())
            .fold(0.0, f64::max);
        assert!(worst_mean < tol, "{t:?}: mean differs by {worst_mean}");
        let mut worst = 0.0f64;
        for p in 0..pixels {
            for q in 0..pixels {
                let moved = second[g.image(p) * pixels + g.image(q)];
                worst = worst.max((moved - second[p * pixels + q]).abs());
            }
        }
        // Products of unit-variance values have variance ≲ 3: allow 5σ of that.
        assert!(
            worst < 5.0 * 3f64.sqrt() / (samples as f64).sqrt(),
            "{t:?}: second moment differs by {worst}"
        );
    }
    // The invariance is not vacuous: neighbouring pixels are strongly correlated.
    assert!(second[1] > 0.3, "neighbour correlation {}", second[1]);
}
