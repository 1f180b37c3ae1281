//! Weight sharing for a learned bank (`BankConfig::Learned { kernel_size: Some(p), .. }`):
//! the filters are kernels of `p` taps (`p × p` pixels on 2-D spaces), learned by the
//! same rule as a whole-retina bank (`super::learned_bank`) from windows of that size cut
//! at random positions out of the world's stimuli, then copied to every position — the
//! convolutional form of the rule.
//!
//! **Why.** A bank is closed under the translations of a torus only if every field shape
//! it holds is present at every position. A rule learning `K` free fields over the
//! whole retina gives at most `K` (field, position) pairs; on natural images it gives
//! `K` *different* localised, oriented fields at different positions — the classic ICA
//! result — so each shape sits at one position and the bank is far from closed (its
//! closure defect is measured in the README). Sharing the kernels across positions is
//! the constraint that makes every shape appear everywhere, as in a convolutional layer
//! (or in cortex, where each orientation is represented at every retinal position).
//!
//! **Windows.** On the torus the windows are cut from stimuli drawn for the open square
//! of the same side, never across the torus's seam: a photo patch laid on the torus
//! wraps around with a discontinuity at a random row and column (that is what makes the
//! torus world exactly translation-invariant, `crate::model::world::image_patches`), and 2 of 3 windows
//! of 8 × 8 would cross it. On the square a window lies inside the retina; on the ring
//! it wraps around (the ring's stimuli are periodic).
//!
//! **Positions.** Every pixel on the ring and the torus (the kernel's top-left corner;
//! the kernel wraps around); on the square, every corner at which the kernel fits,
//! `(side − p + 1)²` of them, a set that the square's rotations and mirrors map onto
//! itself. Detector `d` (before the hidden order) is `(position, filter, polarity)`,
//! `d = (position · K + filter) · per + polarity` with `per = 2` for ON and OFF.

use ndarray::{Array1, Array2};
use rand::Rng;
use rayon::prelude::*;

use super::field_geometry::Grid;
use super::learned_bank::{self, LearnedParams};
use crate::model::config::{ConfigError, NeuronLabel, SimConfig, Space};
use crate::model::detectors::Bank;
use crate::model::rng::{Purpose, derived_rng};

/// Windows cut from each stimulus (training and whitening).
pub const WINDOWS_PER_STIMULUS: usize = 4;

/// Taps of a `p`-kernel on `space`: `p` on the ring, `p²` on 2-D spaces.
pub fn taps(space: Space, p: usize) -> usize {
    if space.is_2d() { p * p } else { p }
}

/// The kernel positions (top-left pixel of each copy), in pixel order.
pub fn anchors(space: Space, p: usize) -> Vec<usize> {
    let side = space.side();
    match space {
        Space::Ring { n } => (0..n).collect(),
        Space::Torus { .. } => (0..space.pixels()).collect(),
        Space::Square { .. } => {
            let last = side.saturating_sub(p);
            (0..=last)
                .flat_map(|y| (0..=last).map(move |x| y * side + x))
                .collect()
        }
        Space::Polar { .. } | Space::Line { .. } => Vec::new(),
    }
}

/// Number of detectors of a shared bank: positions × filters (× 2 with ON and OFF).
pub fn detector_count(space: Space, params: &LearnedParams, p: usize) -> usize {
    let per = if params.on_off { 2 } else { 1 };
    anchors(space, p)
        .len()
        .saturating_mul(params.filters)
        .saturating_mul(per)
}

/// The space the training stimuli are drawn on: the torus's open square (no seam).
fn source_space(space: Space) -> Space {
    match space {
        Space::Torus { side } => Space::Square { side },
        other => other,
    }
}

/// `count` windows of `p` taps, `WINDOWS_PER_STIMULUS` from each stimulus; stimulus `j`
/// is drawn from `derived_rng(seed, purpose, index_of(j), row_of(j))` together with
/// the positions of its windows, so the windows of any step can be drawn again.
fn windows(
    config: &SimConfig,
    p: usize,
    count: usize,
    draw: impl Fn(usize) -> rand_chacha::ChaCha8Rng + Sync,
) -> Result<Array2<f32>, ConfigError> {
    let space = config.space;
    let source = source_space(space);
    let side = space.side();
    let n_taps = taps(space, p);
    let stimuli = count.div_ceil(WINDOWS_PER_STIMULUS);
    let rows: Vec<Vec<Vec<f32>>> = (0..stimuli)
        .into_par_iter()
        .map(|j| {
            let mut rng = draw(j);
            let s =
                crate::model::world::stimulus::sample_config(&config.stimulus, source, &mut rng)?;
            let mut out = Vec::with_capacity(WINDOWS_PER_STIMULUS);
            for _ in 0..WINDOWS_PER_STIMULUS {
                let mut w = vec![0.0f32; n_taps];
                if s.len() == space.pixels() {
                    if space.is_2d() {
                        let (x0, y0) = (
                            rng.random_range(0..=side - p),
                            rng.random_range(0..=side - p),
                        );
                        for y in 0..p {
                            for x in 0..p {
                                w[y * p + x] = s[(y0 + y) * side + x0 + x];
                            }
                        }
                    } else {
                        let x0 = rng.random_range(0..side);
                        for (x, v) in w.iter_mut().enumerate() {
                            *v = s[(x0 + x) % side];
                        }
                    }
                }
                out.push(w);
            }
            Ok(out)
        })
        .collect::<Result<_, ConfigError>>()?;
    let mut samples = Array2::<f32>::zeros((count, n_taps));
    for (mut row, w) in samples.outer_iter_mut().zip(rows.into_iter().flatten()) {
        row.assign(&Array1::from(w));
    }
    Ok(samples)
}

/// The windows whose covariance whitens the kernels' input: `WHITENING_SAMPLES` of them.
pub fn whitening_windows(config: &SimConfig, p: usize) -> Result<Array2<f32>, ConfigError> {
    windows(config, p, learned_bank::WHITENING_SAMPLES, |j| {
        derived_rng(config.seed, Purpose::Whitening, j as u64, 0)
    })
}

/// The training windows of field step `step`: `WINDOWS_PER_STIMULUS` from each of the
/// step's `batch` stimuli (drawn for the source space, `Purpose::FieldWindows`).
pub fn step_windows(config: &SimConfig, p: usize, step: u64) -> Result<Array2<f32>, ConfigError> {
    windows(config, p, config.batch * WINDOWS_PER_STIMULUS, |j| {
        derived_rng(config.seed, Purpose::FieldWindows, step, j as u64)
    })
}

/// Checks the shared-kernel parameters against a space.
pub fn validate(
    params: &LearnedParams,
    space: Space,
    p: usize,
    max_neurons: usize,
) -> Result<(), ConfigError> {
    let invalid = |field: &'static str, reason: String| ConfigError::Invalid { field, reason };
    if !matches!(
        space,
        Space::Ring { .. } | Space::Torus { .. } | Space::Square { .. }
    ) {
        return Err(invalid(
            "bank.kernel_size",
            "shared learned kernels need a ring, torus or square space".into(),
        ));
    }
    let side = space.side();
    if p < 2 || p > side {
        return Err(invalid(
            "bank.kernel_size",
            format!("must be in 2..={side} for this space, got {p}"),
        ));
    }
    let n_taps = taps(space, p);
    if params.filters == 0 || params.filters > n_taps {
        return Err(invalid(
            "bank.filters",
            format!(
                "must be in 1..={n_taps} (at most one filter per kernel tap), got {}",
                params.filters
            ),
        ));
    }
    let m = detector_count(space, params, p);
    if m > max_neurons {
        return Err(invalid(
            "bank.filters",
            format!(
                "{} positions × {} filters{} = {m} detectors; at most {max_neurons} are supported",
                anchors(space, p).len(),
                params.filters,
                if params.on_off { " × ON/OFF" } else { "" },
            ),
        ));
    }
    Ok(())
}

/// The shared bank: each kernel (`K × taps`) copied to every position, read out by an
/// ON and an OFF detector (or by one, with the sign [`learned_bank::orientation`] gives
/// the kernel), in the hidden `order` (`positions · K · per` entries).
pub fn assemble(space: Space, p: usize, kernels: &Array2<f32>, order: &[usize]) -> Bank {
    let k = kernels.nrows();
    let window = if space.is_2d() {
        Space::Square { side: p }
    } else {
        Space::Line { n: p }
    };
    let grid = Grid::of(space);
    let per = if order.len() == 2 * k * anchors(space, p).len() {
        2
    } else {
        1
    };
    // Each kernel's sign (one detector per filter) and centre inside its window, computed
    // once: every copy then has exactly the same shape and the same sub-pixel offset.
    let shapes: Vec<(f32, (f64, f64))> = kernels
        .outer_iter()
        .map(|row| {
            let values = row.to_vec();
            let sign = if per == 2 {
                1.0
            } else {
                learned_bank::orientation(window, &values)
            };
            let energy: Vec<f64> = values.iter().map(|&v| f64::from(v).powi(2)).collect();
            (sign, Grid::of(window).centroid(&energy))
        })
        .collect();
    let positions = anchors(space, p);
    let mut fields = Array2::<f32>::zeros((order.len(), space.pixels()));
    let mut labels = Vec::with_capacity(order.len());
    for (s, &d) in order.iter().enumerate() {
        let (position, filter, polarity) = (d / (k * per), (d / per) % k, d % per);
        let (ax, ay) = grid.coords(positions[position]);
        let (sign, (cx, cy)) = shapes[filter];
        let sign = if polarity == 1 { -sign } else { sign };
        let mut row = fields.row_mut(s);
        for (t, &v) in kernels.row(filter).iter().enumerate() {
            let (x, y) = if space.is_2d() {
                (ax + t % p, ay + t / p)
            } else {
                (ax + t, 0)
            };
            row[(y % grid.height) * grid.width + x % grid.width] = sign * v;
        }
        let wrap = |v: f64, n: usize, periodic: bool| {
            if periodic { v.rem_euclid(n as f64) } else { v }
        };
        let centre = (
            wrap(ax as f64 + cx, grid.width, grid.periodic_x),
            wrap(ay as f64 + cy, grid.height, grid.periodic_y),
        );
        labels.push(NeuronLabel {
            centre: (centre.0 as f32, centre.1 as f32),
            position: grid.nearest_pixel(centre),
            kernel: Some(filter * per + polarity),
            rotation: 0,
        });
    }
    let canonical_index = learned_bank::canonical_order(&labels);
    Bank {
        fields,
        labels,
        canonical_index,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_bank_holds_every_kernel_at_every_position() {
        let space = Space::Torus { side: 6 };
        let p = 3;
        let kernels = learned_bank::initial_filters(9, 2, 5);
        let order = learned_bank::shuffled(6 * 6 * 2 * 2, 5);
        let bank = assemble(space, p, &kernels, &order);
        assert_eq!(bank.len(), 144);
        // Closed under both unit translations, exactly.
        for t in [
            crate::model::Transformation::Translate { dx: 1, dy: 0 },
            crate::model::Transformation::Translate { dy: 1, dx: 0 },
        ] {
            let pp = space.pixel_permutation(t).unwrap();
            assert!(bank.neuron_permutation(&pp).is_some(), "{t:?}");
        }
        // ON and OFF copies are negatives of each other, and labels tile the torus.
        let mut per_pixel = [0usize; 36];
        for l in &bank.labels {
            per_pixel[l.position] += 1;
        }
        assert!(per_pixel.iter().all(|&c| c == 4), "{per_pixel:?}");
        // On the square only the corners where the kernel fits: 4 × 4 of them.
        let square = assemble(
            Space::Square { side: 6 },
            p,
            &kernels,
            &learned_bank::shuffled(16 * 2, 5),
        );
        assert_eq!(square.len(), 32);
        assert!(square.labels.iter().all(|l| l.kernel.unwrap() < 2));
    }
}
