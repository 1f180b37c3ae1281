//! The log-polar retina against ground truth: sampling an analytic image,
//! rotation by one sector = the sector shift, closure of the bank, the presets' symmetry
//! error, and the induced map and renderings of the true rotation.

use invariance_lab::model::config::presets;
use invariance_lab::model::world::polar::{Placement, PolarGrid, Sampler};
use invariance_lab::model::{Simulation, Space, Transformation, detectors::Bank};
use invariance_lab::transform::{self, Decoder, InducedMap, orbit};

fn polar_rotate() -> invariance_lab::model::SimConfig {
    presets::by_name("polar-rotate").unwrap().config
}

fn grid_of(space: Space) -> PolarGrid {
    PolarGrid::of(space).unwrap()
}

/// A smooth analytic image on a 201 × 201 grid: `f(x, y)` in image coordinates.
fn analytic(f: impl Fn(f64, f64) -> f64) -> (usize, usize, Vec<f32>) {
    let (w, h) = (201, 201);
    let img = (0..w * h)
        .map(|i| f((i % w) as f64, (i / w) as f64) as f32)
        .collect();
    (w, h, img)
}

#[test]
fn sampling_an_analytic_image_gives_its_values_at_the_sample_points() {
    let grid = grid_of(polar_rotate().space);
    let placement = Placement {
        centre: (100.0, 100.0),
        scale: 2.5,
        angle: 0.3,
        mirror: false,
    };
    // Bilinear interpolation is exact for an affine image.
    let affine = |x: f64, y: f64| 0.5 * x - 0.25 * y + 3.0;
    let (w, h, img) = analytic(affine);
    let samples = Sampler::new(&grid, w, h, &placement).apply(&img).unwrap();
    for (p, &v) in samples.iter().enumerate() {
        let (x, y) = placement.image_point(grid.point(p));
        assert!((f64::from(v) - affine(x, y)).abs() < 1e-3, "pixel {p}");
    }
    // A smooth angular pattern about the centre, cos(3θ)·r/10 with θ counter-clockwise
    // as drawn: sample (k, j) of the image turned by 0.3 rad holds cos(3(θ_j − 0.3))·r_k/10,
    // up to the interpolation error (a few hundredths on this 2.5-pixel-per-unit scale).
    let angular = |x: f64, y: f64| {
        let (dx, dy) = (x - 100.0, 100.0 - y);
        (3.0 * dy.atan2(dx)).cos() * dx.hypot(dy) / 10.0
    };
    let (w, h, img) = analytic(angular);
    let samples = Sampler::new(&grid, w, h, &placement).apply(&img).unwrap();
    let mut worst = 0.0f64;
    for (p, &v) in samples.iter().enumerate() {
        let (k, j) = (p / grid.sectors, p % grid.sectors);
        let expected = (3.0 * (grid.angle(j) - 0.3)).cos() * 2.5 * grid.radius(k) / 10.0;
        worst = worst.max((f64::from(v) - expected).abs());
    }
    assert!(worst < 0.05, "largest interpolation error {worst}");
}

#[test]
fn turning_by_one_sector_is_exactly_the_sector_shift_of_the_samples() {
    let space = polar_rotate().space;
    let grid = grid_of(space);
    let photo = invariance_lab::model::world::image_patches::photo("astronaut").unwrap();
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    let step = std::f64::consts::TAU / grid.sectors as f64;
    let shift = space
        .pixel_permutation(Transformation::Shift { k: 1 })
        .unwrap();
    for (angle, mirror) in [(0.0, false), (0.123, false), (2.0, true)] {
        let at = |a: f64| {
            let placement = Placement {
                centre: (w as f64 / 2.0, h as f64 / 2.0),
                scale: 2.5,
                angle: a,
                mirror,
            };
            Sampler::new(&grid, w, h, &placement)
                .apply_grey(photo)
                .unwrap()
        };
        let turned = at(angle + step);
        let shifted = shift.apply_to_vector(&at(angle));
        let worst = turned
            .iter()
            .zip(&shifted)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        // Not mirrored: exactly (up to float rounding of the sample points).
        // Mirrored, the turn acts on the mirrored photo, so it is a shift the other way.
        if mirror {
            let back = shift.inverse().apply_to_vector(&at(angle));
            let worst_back = turned
                .iter()
                .zip(&back)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0f32, f32::max);
            assert!(worst_back < 1e-4, "mirrored: {worst_back}");
        } else {
            assert!(worst < 1e-4, "angle {angle}: largest difference {worst}");
        }
    }
}

#[test]
fn the_bank_is_closed_under_sector_shifts_and_the_reflection() {
    let config = polar_rotate();
    let bank = Bank::build(&config.bank, config.space, config.seed).unwrap();
    assert_eq!(bank.len(), 1344);
    let truths = bank.ground_truth(config.space);
    // D_48 minus the identity: 47 rotations and 48 reflections.
    assert_eq!(truths.len(), 95);
    let shift = config
        .space
        .pixel_permutation(Transformation::Shift { k: 1 })
        .unwrap();
    let neurons = bank.neuron_permutation(&shift).unwrap();
    // Every neuron moves, one sector along, keeping its ring, kernel and mirror flag.
    for (i, l) in bank.labels.iter().enumerate() {
        let m = bank.labels[neurons.image(i)];
        assert_eq!((m.kernel, m.rotation), (l.kernel, l.rotation));
        assert_eq!(m.centre.1, l.centre.1);
        let moved = (l.centre.0 + 1.0).rem_euclid(48.0);
        assert!((m.centre.0 - moved).abs() < 1e-4, "{l:?} → {m:?}");
    }
    assert_eq!(neurons.order(), 48);
    // The zoom is not an exact symmetry of the bank.
    let zoom = invariance_lab::model::world::polar_space::approximate_map(
        config.space,
        Transformation::Translate { dx: 0, dy: 1 },
    )
    .unwrap();
    assert!(zoom.iter().any(Option::is_none));
}

#[test]
fn short_training_already_makes_the_rotation_a_near_automorphism() {
    for name in ["polar-rotate", "polar-zoom"] {
        let mut sim = Simulation::new(presets::by_name(name).unwrap().config).unwrap();
        for _ in 0..20 {
            sim.step();
        }
        let m = sim.metrics();
        // 2,000 stimuli: e_g is about 0.16; the random baseline stays near 0.7–0.9.
        assert!(
            m.symmetry_error_true < 0.25,
            "{name}: e_g {}",
            m.symmetry_error_true
        );
        assert!(
            m.symmetry_error_true < m.symmetry_error_random / 3.0,
            "{name}: e_g {} vs baseline {}",
            m.symmetry_error_true,
            m.symmetry_error_random
        );
    }
}

/// The target after each preset's default training (16 s in the test profile).
#[test]
fn the_presets_reach_their_symmetry_error_targets() {
    for name in ["polar-rotate", "polar-zoom"] {
        let preset = presets::by_name(name).unwrap();
        let mut sim = Simulation::new(preset.config).unwrap();
        for _ in 0..preset.default_steps {
            sim.step();
        }
        let m = sim.metrics();
        assert!(
            m.symmetry_error_true < 0.1,
            "{name}: e_g {}",
            m.symmetry_error_true
        );
        assert!(
            m.symmetry_error_true < m.symmetry_error_random / 10.0,
            "{name}: e_g {} vs baseline {}",
            m.symmetry_error_true,
            m.symmetry_error_random
        );
    }
}

#[test]
fn the_true_rotation_induces_the_sector_shift_and_the_honest_view_follows_it() {
    let config = polar_rotate();
    let sim = Simulation::new(config.clone()).unwrap();
    let pi = sim.true_permutation();
    let map = InducedMap::new(config.space, sim.fields(), sim.labels(), pi).unwrap();
    let shift = config
        .space
        .pixel_permutation(Transformation::Shift { k: 1 })
        .unwrap();
    let agree = (0..map.pixels())
        .filter(|&p| map.target[p] == shift.image(p))
        .count() as f64
        / map.pixels() as f64;
    assert!(agree >= 0.95, "the induced map agrees on {agree}");
    assert_eq!(
        transform::polar_render::identified_rotation(config.space, &map).map(|(t, _)| t),
        Some(Transformation::Shift { k: 1 })
    );
    assert_eq!(
        config.space.describe(Transformation::Shift { k: 1 }),
        "rotate 7.5°"
    );
    // The honest rendering of the turned photo correlates with the photo truly turned.
    let photo = invariance_lab::model::world::image_patches::photo("astronaut").unwrap();
    let pattern = transform::image_input::pattern_from_image(photo, config.space);
    let decoder = Decoder::for_space(config.space, sim.fields()).unwrap();
    let orbit = orbit::orbit(&config, sim.fields(), pi, &map, &decoder, &pattern, 4).unwrap();
    for k in 1..4 {
        let truly = shift.pow(k as i64).apply_to_vector(&pattern);
        assert_eq!(orbit.crisp[k], truly, "crisp frame {k}");
        // An exact automorphism turns the honest picture exactly as it turns the pattern.
        let turned_honest = shift.pow(k as i64).apply_to_vector(&orbit.honest[0]);
        for (a, b) in orbit.honest[k].iter().zip(&turned_honest) {
            assert!((a - b).abs() < 1e-3, "honest frame {k}: {a} vs {b}");
        }
        // The target; measured 0.95 (the decoder's priors for polar banks).
        let c = transform::correlation(&orbit.honest[k], &truly);
        assert!(c >= 0.9, "honest frame {k} correlates {c}");
    }
}

/// One sparse product per batch gives exactly the stimuli drawn one by one.
#[test]
fn a_batch_of_photo_stimuli_is_sampled_exactly_as_one_by_one() {
    use invariance_lab::model::world::polar_stimulus::{
        PhotoSet, draw_view, rotated_photo, sample_views,
    };
    use rand::SeedableRng;
    let space = presets::by_name("polar-zoom").unwrap().config.space;
    let (scale, mirror) = ((1.0, 1.8), true);
    let rng = |k: u64| rand_chacha::ChaCha8Rng::seed_from_u64(100 + k);
    let set = PhotoSet::new(space, scale, None).unwrap();
    let photos = set.photos().unwrap();
    let views: Vec<_> = (0..12)
        .map(|k| draw_view(space, scale, mirror, &photos, &mut rng(k)).unwrap())
        .collect();
    assert!(views.iter().any(|v| v.placement.mirror) && views.iter().any(|v| !v.placement.mirror));
    let batch = sample_views(space, &photos, &views).unwrap();
    assert_eq!(batch.dim(), (12, space.pixels()));
    for k in 0..12 {
        let one = rotated_photo(space, scale, mirror, None, &mut rng(k)).unwrap();
        assert_eq!(batch.row(k as usize).to_vec(), one, "stimulus {k}");
    }
}
