//! Orientation tuning of 2-D receptive fields (SPEC §4: "measure orientation too —
//! dominant orientation per field and its tuning width"), the way a physiologist
//! measures a simple cell: its response to sinusoidal gratings.
//!
//! For a field `f` and a grating of orientation `φ` and frequency `ν` (cycles per pixel),
//! the best response over the grating's phase is the amplitude `|Σ_x f(x) e^{−2πiν n·x}|`
//! (`n` the unit vector across the stripes). The **tuning curve** `R(φ)` is the largest
//! amplitude over `ν`, sampled every [`STEP_DEG`]° with `ν` from 0.05 to 0.70 cycles per
//! pixel, each grating kept inside the pixel grid's Nyquist square (`|ν n_x|, |ν n_y| ≤
//! ½`) so that no grating aliases onto another orientation. From it:
//! - the **preferred orientation** — the peak of `R`, refined by a parabola through the
//!   peak sample and its two neighbours — in degrees in `[0, 180)`: the direction of the
//!   stripes (or edge) the field responds to best, `0°` horizontal, `90°` vertical,
//!   counter-clockwise as drawn (row 0 at the top, like the quarter turns of
//!   `crate::model::world::space`);
//! - the **selectivity** `|Σ R(φ) e^{2iφ}| / Σ R(φ)`, one minus the circular variance of
//!   the tuning curve (Ringach, Shapley & Hawken 2002): 0 for a field that responds
//!   equally at every orientation, 1 for one that responds at one orientation only;
//! - the **tuning width**: the half-width at half-maximum of `R` about its peak (linear
//!   interpolation between samples; 90° when `R` never falls to half its peak).
//!
//! Fields on a torus are first rolled so that their energy centroid sits in the middle
//! of the grid, so a field straddling the wrap-around is measured in one piece.

use ndarray::Array2;
use serde::Serialize;

use super::field_geometry::Grid;
use crate::model::config::Space;

/// Spacing of the sampled orientations, in degrees.
pub const STEP_DEG: f64 = 5.0;

/// Number of sampled orientations over 180°.
pub const ORIENTATIONS: usize = 36;

/// Grating frequencies tried at each orientation, cycles per pixel (those beyond the
/// orientation's Nyquist limit are skipped).
const FREQUENCIES: [f64; 14] = [
    0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70,
];

/// Orientation tuning of one field.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Orientation {
    /// Preferred orientation of the stripes or edge, degrees in `[0, 180)`: 0 horizontal,
    /// 90 vertical, counter-clockwise as drawn.
    pub orientation_deg: f64,
    /// `1 −` circular variance of the tuning curve on doubled angles, in `[0, 1]`.
    pub selectivity: f64,
    /// Half-width at half-maximum of the tuning curve, degrees (90 = never falls to half).
    pub hwhm_deg: f64,
    /// Frequency of the best grating, cycles per pixel.
    pub frequency: f64,
}

/// The gratings: `(orientation index, frequency)` for every pair inside the Nyquist square.
fn gratings() -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    for a in 0..ORIENTATIONS {
        let phi = (a as f64 * STEP_DEG).to_radians();
        let limit = 0.5 / phi.sin().abs().max(phi.cos().abs()) + 1e-9;
        for &nu in FREQUENCIES.iter().filter(|&&nu| nu <= limit) {
            out.push((a, nu));
        }
    }
    out
}

/// The field's pixels moved so its energy centroid sits mid-grid (torus), or as given.
fn centred(grid: &Grid, field: &[f32]) -> Vec<f32> {
    if !(grid.periodic_x && grid.periodic_y) {
        return field.to_vec();
    }
    let energy: Vec<f64> = field.iter().map(|&v| f64::from(v).powi(2)).collect();
    let (cx, cy) = grid.centroid(&energy);
    let (w, h) = (grid.width, grid.height);
    let sx = (w as f64 / 2.0 - cx).round().rem_euclid(w as f64) as usize;
    let sy = (h as f64 / 2.0 - cy).round().rem_euclid(h as f64) as usize;
    let mut out = vec![0.0f32; field.len()];
    for (p, &v) in field.iter().enumerate() {
        let (x, y) = grid.coords(p);
        out[((y + sy) % h) * w + (x + sx) % w] = v;
    }
    out
}

/// Tuning curves (one row per field, [`ORIENTATIONS`] columns) and, per field, the best
/// frequency at each orientation. `None` off the torus and the square.
fn tuning(space: Space, fields: &Array2<f32>) -> Option<(Array2<f64>, Array2<f64>)> {
    if !matches!(space, Space::Torus { .. } | Space::Square { .. }) {
        return None;
    }
    let grid = Grid::of(space);
    let pixels = grid.pixels();
    if fields.ncols() != pixels {
        return None;
    }
    let list = gratings();
    // Cosine and sine of every grating at every pixel, about the grid's centre, with
    // y pointing up as drawn.
    let mut table = Array2::<f32>::zeros((pixels, 2 * list.len()));
    for p in 0..pixels {
        let (x, y) = grid.coords(p);
        let (x, y_up) = (
            x as f64 - grid.width as f64 / 2.0,
            grid.height as f64 / 2.0 - y as f64,
        );
        for (g, &(a, nu)) in list.iter().enumerate() {
            let phi = (a as f64 * STEP_DEG).to_radians();
            // Across the stripes: n = (−sin φ, cos φ).
            let phase = std::f64::consts::TAU * nu * (-phi.sin() * x + phi.cos() * y_up);
            table[[p, 2 * g]] = phase.cos() as f32;
            table[[p, 2 * g + 1]] = phase.sin() as f32;
        }
    }
    let mut moved = Array2::<f32>::zeros(fields.dim());
    for (mut out, row) in moved.outer_iter_mut().zip(fields.outer_iter()) {
        let values = row.to_vec();
        out.assign(&ndarray::Array1::from(centred(&grid, &values)));
    }
    let responses = moved.dot(&table);
    let m = fields.nrows();
    let mut curves = Array2::<f64>::zeros((m, ORIENTATIONS));
    let mut best = Array2::<f64>::zeros((m, ORIENTATIONS));
    for i in 0..m {
        for (g, &(a, nu)) in list.iter().enumerate() {
            let (c, s) = (
                f64::from(responses[[i, 2 * g]]),
                f64::from(responses[[i, 2 * g + 1]]),
            );
            let amplitude = (c * c + s * s).sqrt();
            if amplitude > curves[[i, a]] {
                curves[[i, a]] = amplitude;
                best[[i, a]] = nu;
            }
        }
    }
    Some((curves, best))
}

/// The tuning curve `R(φ)` of each field (rows; `φ = k · STEP_DEG`). `None` off the
/// torus and the square.
pub fn tuning_curves(space: Space, fields: &Array2<f32>) -> Option<Array2<f64>> {
    tuning(space, fields).map(|(curves, _)| curves)
}

/// Orientation tuning of every field (stored order). `None` off the torus and the square.
pub fn orientations(space: Space, fields: &Array2<f32>) -> Option<Vec<Orientation>> {
    let (curves, best) = tuning(space, fields)?;
    Some(
        curves
            .outer_iter()
            .zip(best.outer_iter())
            .map(|(r, nu)| summarise(r.as_slice().unwrap_or(&[]), nu.as_slice().unwrap_or(&[])))
            .collect(),
    )
}

/// Preferred orientation, selectivity and width of one tuning curve.
fn summarise(r: &[f64], best_frequency: &[f64]) -> Orientation {
    let n = r.len();
    let untuned = Orientation {
        orientation_deg: 0.0,
        selectivity: 0.0,
        hwhm_deg: 90.0,
        frequency: 0.0,
    };
    let total: f64 = r.iter().sum();
    if n < 3 || total <= 0.0 {
        return untuned;
    }
    let (peak, &top) = r
        .iter()
        .enumerate()
        .fold((0, &r[0]), |a, b| if b.1 > a.1 { b } else { a });
    let (left, right) = (r[(peak + n - 1) % n], r[(peak + 1) % n]);
    let curvature = left - 2.0 * top + right;
    let offset = if curvature < 0.0 {
        (0.5 * (left - right) / curvature).clamp(-0.5, 0.5)
    } else {
        0.0
    };
    let orientation_deg = ((peak as f64 + offset) * STEP_DEG).rem_euclid(180.0);
    let (s, c) = r.iter().enumerate().fold((0.0, 0.0), |(s, c), (a, &v)| {
        let doubled = (2.0 * a as f64 * STEP_DEG).to_radians();
        (s + v * doubled.sin(), c + v * doubled.cos())
    });
    let selectivity = (s * s + c * c).sqrt() / total;
    // Half-width at half-maximum: walk each way from the peak to the first sample below
    // half, interpolating linearly; the two sides are averaged.
    let half = top / 2.0;
    let side = |dir: isize| -> f64 {
        let mut prev = top;
        for k in 1..=n / 2 {
            let idx = (peak as isize + dir * k as isize).rem_euclid(n as isize) as usize;
            let v = r[idx];
            if v < half {
                let frac = (prev - half) / (prev - v);
                return ((k - 1) as f64 + frac) * STEP_DEG;
            }
            prev = v;
        }
        90.0
    };
    let hwhm_deg = (0.5 * (side(-1) + side(1))).min(90.0);
    Orientation {
        orientation_deg,
        selectivity,
        hwhm_deg,
        frequency: best_frequency.get(peak).copied().unwrap_or(0.0),
    }
}

/// Smallest angle between two orientations, in degrees (`[0, 90]`).
pub fn orientation_difference(a_deg: f64, b_deg: f64) -> f64 {
    let d = (a_deg - b_deg).rem_euclid(180.0);
    d.min(180.0 - d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Gabor patch whose stripes run at `phi_deg` (counter-clockwise as drawn).
    fn gabor(side: usize, phi_deg: f64, sigma: f64, nu: f64) -> Vec<f32> {
        let phi = phi_deg.to_radians();
        let c = (side as f64 - 1.0) / 2.0;
        (0..side * side)
            .map(|p| {
                let (x, y_up) = ((p % side) as f64 - c, c - (p / side) as f64);
                // Distance across the stripes.
                let across = -phi.sin() * x + phi.cos() * y_up;
                let envelope = (-(x * x + y_up * y_up) / (2.0 * sigma * sigma)).exp();
                (envelope * (std::f64::consts::TAU * nu * across).cos()) as f32
            })
            .collect()
    }

    #[test]
    fn gabors_are_measured_at_their_orientation() {
        let side = 16;
        let angles = [0.0, 30.0, 45.0, 90.0, 112.0, 160.0];
        let mut fields = Array2::<f32>::zeros((angles.len() + 1, side * side));
        for (i, &a) in angles.iter().enumerate() {
            let g = gabor(side, a, 2.5, 0.2);
            fields.row_mut(i).assign(&ndarray::Array1::from(g));
        }
        // A centre-surround (isotropic) field: no orientation.
        let dog: Vec<f32> = gabor(side, 0.0, 1.0, 0.0)
            .iter()
            .zip(gabor(side, 0.0, 2.0, 0.0))
            .map(|(a, b)| a - 0.25 * b)
            .collect();
        fields
            .row_mut(angles.len())
            .assign(&ndarray::Array1::from(dog));
        for space in [Space::Torus { side }, Space::Square { side }] {
            let o = orientations(space, &fields).unwrap();
            for (k, &a) in angles.iter().enumerate() {
                assert!(
                    orientation_difference(o[k].orientation_deg, a) < 3.0,
                    "{a}: {:?}",
                    o[k]
                );
                assert!(o[k].selectivity > 0.3, "{a}: {:?}", o[k]);
                assert!(o[k].hwhm_deg < 45.0, "{a}: {:?}", o[k]);
                assert!((o[k].frequency - 0.2).abs() < 0.051, "{a}: {:?}", o[k]);
            }
            let iso = o[angles.len()];
            assert!(iso.selectivity < 0.05 && iso.hwhm_deg >= 89.0, "{iso:?}");
        }
        assert!(orientations(Space::Ring { n: 256 }, &fields).is_none());
    }

    #[test]
    fn a_field_across_the_wrap_around_is_measured_in_one_piece() {
        let side = 16;
        let g = gabor(side, 60.0, 2.0, 0.25);
        // Roll by half the side: the Gabor now sits on the torus's corners.
        let mut rolled = vec![0.0f32; side * side];
        for (p, &v) in g.iter().enumerate() {
            let (x, y) = (p % side, p / side);
            rolled[((y + side / 2) % side) * side + (x + side / 2) % side] = v;
        }
        let fields = Array2::from_shape_vec((2, side * side), [g, rolled].concat()).unwrap();
        let o = orientations(Space::Torus { side }, &fields).unwrap();
        assert!((o[0].orientation_deg - o[1].orientation_deg).abs() < 1e-6);
        assert!((o[0].hwhm_deg - o[1].hwhm_deg).abs() < 1e-6);
    }
}
