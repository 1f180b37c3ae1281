//! What a detector bank's receptive fields look like, in numbers: how
//! localised each field is, how evenly the fields tile the positions, and how far the
//! bank is from being closed under a transformation of the input.
//!
//! Defined for every bank, so a learned bank can be compared with the random and tiled
//! ones by the same measures. Fields are taken as stored (unit-norm rows). On 2-D spaces
//! windows are `w × w` boxes, widths are Euclidean distances from the field's energy
//! centroid (minimum image along periodic axes), and each field's orientation tuning is
//! measured as well (`super::field_orientation`).

use ndarray::{Array2, ArrayView1, Axis};
use serde::Serialize;

use super::field_geometry::Grid;
use super::field_orientation::{self, Orientation};
use crate::model::config::{NeuronLabel, Space, Transformation};
use crate::perm::Permutation;

/// Default window (pixels) of the window-share localisation.
pub const DEFAULT_WINDOW: usize = 5;

/// Localisation of one field.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Localisation {
    /// Share of the field's energy `Σ f²` inside its best window of `w` consecutive
    /// pixels (periodic on a ring); 1 = entirely inside, `w / pixels` for a flat field.
    pub window_share: f64,
    /// Inverse participation ratio `Σ f⁴ / (Σ f²)²`: 1 for a single pixel, `1/n` for a
    /// field spread evenly over `n` pixels.
    pub ipr: f64,
    /// RMS distance of the energy from its centroid, in pixels (circular on a ring).
    pub rms_width: f64,
}

/// Summary of a bank's fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldMeasures {
    /// Number of fields measured.
    pub fields: usize,
    /// The window `w` of [`Localisation::window_share`].
    pub window: usize,
    /// Mean window share over fields.
    pub window_share_mean: f64,
    /// Smallest window share.
    pub window_share_min: f64,
    /// Mean inverse participation ratio.
    pub ipr_mean: f64,
    /// `1 / ipr_mean`: the number of pixels an average field effectively spans.
    pub participation: f64,
    /// Mean RMS width in pixels.
    pub rms_width_mean: f64,
    /// Spatial spread: the mean over fields of the second moment of `f²` about the
    /// field's centre, `Σ_x f(x)² d(x, c)² / Σ f²`, in pixels² (the square of
    /// [`Localisation::rms_width`], averaged as a variance): `σ²` for a field of width
    /// `σ`, about `n²/12` for one spread over a whole ring of `n` pixels, ¼ for the most
    /// compact zero-mean field (`±1/√2` on two neighbours). Unlike the IPR, which cannot
    /// exceed ½ for a zero-mean field, it keeps resolving fields narrower than a few
    /// pixels, so it is the measure by which two banks' widths are compared.
    pub spread_mean: f64,
    /// Tiling: coefficient of variation (std / mean) of the number of field centres per
    /// pixel; 0 = every pixel holds equally many centres.
    pub tiling_cv: f64,
    /// Tiling: entropy of the centre histogram over `log(pixels)`; 1 = perfectly even.
    pub tiling_entropy_ratio: f64,
    /// Fraction of pixels holding at least one field centre.
    pub tiling_occupied: f64,
    /// Closure defect under the given transformation: mean over fields `i` of
    /// `min_j ‖P f_i − f_j‖ / ‖f_i‖` (0 = the bank is closed; `√2` = orthogonal to all).
    pub closure_mean: Option<f64>,
    /// The largest per-field closure defect.
    pub closure_max: Option<f64>,
    /// The closure defect under each of the space's generating transformations that
    /// [`measure_under`] was given (on the torus: both unit translations).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub closure_by: Vec<ClosureDefect>,
    /// Orientation tuning (torus and square only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orientation: Option<OrientationSummary>,
}

/// The closure defect of a bank under one transformation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClosureDefect {
    /// The transformation, in words ("translate by (+1, 0)").
    pub transformation: String,
    /// Mean over fields of `min_j ‖P f_i − f_j‖ / ‖f_i‖`.
    pub mean: f64,
    /// The largest per-field defect.
    pub max: f64,
}

/// Orientation tuning of a bank's fields (`super::field_orientation`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrientationSummary {
    /// Mean selectivity (`1 −` circular variance of the tuning curve; 0 untuned, 1 sharp).
    pub selectivity_mean: f64,
    /// Median half-width at half-maximum of the tuning curves, degrees.
    pub hwhm_median_deg: f64,
    /// Fraction of fields whose tuning curve falls to half its peak within 45° each way.
    pub tuned_fraction: f64,
    /// Preferred orientations counted in four bins of 45° centred on 0° (horizontal),
    /// 45°, 90° (vertical) and 135°.
    pub histogram: [usize; 4],
    /// Every field's tuning, in stored order.
    pub fields: Vec<Orientation>,
}

impl OrientationSummary {
    /// The summary of per-field tunings.
    pub fn of(fields: Vec<Orientation>) -> Self {
        let n = fields.len().max(1) as f64;
        let mut widths: Vec<f64> = fields.iter().map(|o| o.hwhm_deg).collect();
        widths.sort_by(f64::total_cmp);
        let mut histogram = [0usize; 4];
        for o in &fields {
            histogram[((o.orientation_deg + 22.5).rem_euclid(180.0) / 45.0) as usize % 4] += 1;
        }
        Self {
            selectivity_mean: fields.iter().map(|o| o.selectivity).sum::<f64>() / n,
            hwhm_median_deg: widths.get(widths.len() / 2).copied().unwrap_or(90.0),
            tuned_fraction: fields.iter().filter(|o| o.hwhm_deg < 45.0).count() as f64 / n,
            histogram,
            fields,
        }
    }
}

/// The transformations whose closure defect [`measure_under`] reports for a bank tracked
/// under `true_transformation`: that one first, then, on the torus, whichever unit
/// translation it is not.
pub fn tracked_transformations(
    space: Space,
    true_transformation: Transformation,
) -> Vec<Transformation> {
    let mut out = vec![true_transformation];
    if let Space::Torus { .. } = space {
        for t in [
            Transformation::Translate { dx: 1, dy: 0 },
            Transformation::Translate { dx: 0, dy: 1 },
        ] {
            if space.canonical(t) != space.canonical(true_transformation) {
                out.push(t);
            }
        }
    }
    out
}

/// [`measure`] with the closure defect under each of `transformations` (the first one
/// also fills `closure_mean`/`closure_max`; transformations that are not exact on the
/// space are skipped) and, on the torus and the square, the orientation tuning.
pub fn measure_under(
    space: Space,
    fields: &Array2<f32>,
    labels: &[NeuronLabel],
    transformations: &[Transformation],
    window: usize,
) -> FieldMeasures {
    let perms: Vec<(Transformation, crate::perm::Permutation)> = transformations
        .iter()
        .filter_map(|&t| space.pixel_permutation(t).map(|p| (t, p)))
        .collect();
    let mut m = measure(space, fields, labels, None, window);
    m.closure_by = perms
        .iter()
        .filter_map(|(t, p)| {
            let d = closure_defects(fields, p);
            (!d.is_empty()).then(|| ClosureDefect {
                transformation: space.describe(*t),
                mean: d.iter().sum::<f64>() / d.len() as f64,
                max: d.iter().cloned().fold(0.0, f64::max),
            })
        })
        .collect();
    if let (Some(first), Some((t, _))) = (m.closure_by.first(), perms.first())
        && first.transformation == space.describe(*t)
    {
        m.closure_mean = Some(first.mean);
        m.closure_max = Some(first.max);
    }
    m.orientation = field_orientation::orientations(space, fields).map(OrientationSummary::of);
    m
}

/// Localisation of `field` on `space` with window `w` (`w × w` pixels on 2-D spaces;
/// distances and windows wrap along periodic axes).
pub fn localisation(space: Space, field: ArrayView1<f32>, window: usize) -> Localisation {
    if space.is_2d() {
        return localisation_2d(space, field, window);
    }
    let e: Vec<f64> = field.iter().map(|&v| f64::from(v) * f64::from(v)).collect();
    let n = e.len();
    let total: f64 = e.iter().sum();
    if n == 0 || total <= 0.0 {
        return Localisation {
            window_share: 0.0,
            ipr: 0.0,
            rms_width: 0.0,
        };
    }
    let periodic = space.is_periodic();
    let w = window.clamp(1, n);
    let starts = if periodic { n } else { n - w + 1 };
    let window_share = (0..starts)
        .map(|s| (0..w).map(|k| e[(s + k) % n]).sum::<f64>())
        .fold(0.0, f64::max)
        / total;
    let ipr = e.iter().map(|v| v * v).sum::<f64>() / (total * total);
    let centre = if periodic {
        let tau = std::f64::consts::TAU;
        let (s, c) = e.iter().enumerate().fold((0.0, 0.0), |(s, c), (x, &v)| {
            let a = tau * x as f64 / n as f64;
            (s + v * a.sin(), c + v * a.cos())
        });
        (s.atan2(c) / tau * n as f64).rem_euclid(n as f64)
    } else {
        e.iter()
            .enumerate()
            .map(|(x, &v)| x as f64 * v)
            .sum::<f64>()
            / total
    };
    let distance = |x: usize| {
        let d = x as f64 - centre;
        if periodic {
            let m = d.rem_euclid(n as f64);
            m.min(n as f64 - m)
        } else {
            d.abs()
        }
    };
    let rms_width = (e
        .iter()
        .enumerate()
        .map(|(x, &v)| v * distance(x).powi(2))
        .sum::<f64>()
        / total)
        .sqrt();
    Localisation {
        window_share,
        ipr,
        rms_width,
    }
}

/// [`localisation`] on a 2-D grid: the best `w × w` box, the IPR, and the RMS distance
/// of the energy from its centroid ([`Grid::centroid`], minimum-image offsets).
fn localisation_2d(space: Space, field: ArrayView1<f32>, window: usize) -> Localisation {
    let grid = Grid::of(space);
    let e: Vec<f64> = field.iter().map(|&v| f64::from(v) * f64::from(v)).collect();
    let total: f64 = e.iter().sum();
    if e.len() != grid.pixels() || total <= 0.0 {
        return Localisation {
            window_share: 0.0,
            ipr: 0.0,
            rms_width: 0.0,
        };
    }
    let (w, h) = (grid.width, grid.height);
    let (bw, bh) = (window.clamp(1, w), window.clamp(1, h));
    let starts = |n: usize, b: usize, periodic: bool| if periodic { n } else { n - b + 1 };
    let mut best = 0.0f64;
    for y0 in 0..starts(h, bh, grid.periodic_y) {
        for x0 in 0..starts(w, bw, grid.periodic_x) {
            let mut sum = 0.0;
            for dy in 0..bh {
                let row = ((y0 + dy) % h) * w;
                for dx in 0..bw {
                    sum += e[row + (x0 + dx) % w];
                }
            }
            best = best.max(sum);
        }
    }
    let ipr = e.iter().map(|v| v * v).sum::<f64>() / (total * total);
    let (cx, cy) = grid.centroid(&e);
    let second: f64 = e
        .iter()
        .enumerate()
        .map(|(p, &v)| {
            let (x, y) = grid.coords(p);
            v * (grid.dx(cx, x as f64).powi(2) + grid.dy(cy, y as f64).powi(2))
        })
        .sum();
    Localisation {
        window_share: best / total,
        ipr,
        rms_width: (second / total).sqrt(),
    }
}

/// Per-field closure defect `min_j ‖P f_i − f_j‖ / ‖f_i‖` under the pixel permutation
/// `pixel_perm` (`P f` moves the value at pixel `p` to `pixel_perm.image(p)`). Empty if
/// the sizes disagree.
pub fn closure_defects(fields: &Array2<f32>, pixel_perm: &Permutation) -> Vec<f64> {
    let (m, pixels) = fields.dim();
    if pixel_perm.len() != pixels || m == 0 {
        return Vec::new();
    }
    let mut moved = Array2::<f32>::zeros((m, pixels));
    for p in 0..pixels {
        moved
            .column_mut(pixel_perm.image(p))
            .assign(&fields.column(p));
    }
    let norms: Vec<f64> = fields
        .axis_iter(Axis(0))
        .map(|r| r.iter().map(|&v| f64::from(v).powi(2)).sum::<f64>())
        .collect();
    let overlap = moved.dot(&fields.t());
    (0..m)
        .map(|i| {
            let best = (0..m)
                .map(|j| norms[i] + norms[j] - 2.0 * f64::from(overlap[[i, j]]))
                .fold(f64::INFINITY, f64::min)
                .max(0.0);
            if norms[i] > 0.0 {
                (best / norms[i]).sqrt()
            } else {
                0.0
            }
        })
        .collect()
}

/// Histogram of field centres over the pixels. On rings and squares the bins are
/// shifted by the centres' common sub-pixel phase (their circular mean modulo one pixel),
/// so a lattice of centres at half-integers — edge detectors sit between two pixels —
/// counts one per bin instead of flickering between neighbours by rounding. The polar
/// retina uses the labels' nearest pixel.
fn centre_histogram(space: Space, labels: &[NeuronLabel], pixels: usize) -> Vec<usize> {
    let mut counts = vec![0usize; pixels];
    if space.is_polar() {
        for l in labels {
            if let Some(c) = counts.get_mut(l.position) {
                *c += 1;
            }
        }
        return counts;
    }
    let side = space.side().max(1);
    let phase = |values: &mut dyn Iterator<Item = f32>| {
        let tau = std::f64::consts::TAU;
        let (s, c) = values.fold((0.0, 0.0), |(s, c), v| {
            let a = tau * f64::from(v);
            (s + a.sin(), c + a.cos())
        });
        (s.atan2(c) / tau).rem_euclid(1.0)
    };
    let px = phase(&mut labels.iter().map(|l| l.centre.0));
    let py = phase(&mut labels.iter().map(|l| l.centre.1));
    let bin = |v: f32, phase: f64| -> usize {
        let b = (f64::from(v) - phase + 0.5).floor();
        if space.is_periodic() {
            b.rem_euclid(side as f64) as usize
        } else {
            b.clamp(0.0, side as f64 - 1.0) as usize
        }
    };
    for l in labels {
        let x = bin(l.centre.0, px);
        let y = if space.is_2d() {
            bin(l.centre.1, py)
        } else {
            0
        };
        if let Some(c) = counts.get_mut(y * side + x) {
            *c += 1;
        }
    }
    counts
}

/// All measures of a bank: `fields` (`M × pixels`), `labels` (for the centres) and, if
/// given, the pixel permutation of the transformation whose closure defect is wanted.
pub fn measure(
    space: Space,
    fields: &Array2<f32>,
    labels: &[NeuronLabel],
    pixel_perm: Option<&Permutation>,
    window: usize,
) -> FieldMeasures {
    let m = fields.nrows();
    let locs: Vec<Localisation> = fields
        .axis_iter(Axis(0))
        .map(|f| localisation(space, f, window))
        .collect();
    let mean = |f: &dyn Fn(&Localisation) -> f64| {
        if locs.is_empty() {
            0.0
        } else {
            locs.iter().map(f).sum::<f64>() / locs.len() as f64
        }
    };
    let ipr_mean = mean(&|l| l.ipr);
    let counts = centre_histogram(space, labels, fields.ncols());
    let pixels = counts.len().max(1) as f64;
    let total: usize = counts.iter().sum();
    let (tiling_cv, tiling_entropy_ratio, tiling_occupied) = if total == 0 {
        (0.0, 0.0, 0.0)
    } else {
        let mu = total as f64 / pixels;
        let var = counts.iter().map(|&c| (c as f64 - mu).powi(2)).sum::<f64>() / pixels;
        let entropy: f64 = counts
            .iter()
            .filter(|&&c| c > 0)
            .map(|&c| {
                let p = c as f64 / total as f64;
                -p * p.ln()
            })
            .sum();
        let occupied = counts.iter().filter(|&&c| c > 0).count() as f64 / pixels;
        (
            var.sqrt() / mu,
            if pixels > 1.0 {
                entropy / pixels.ln()
            } else {
                1.0
            },
            occupied,
        )
    };
    let closure = pixel_perm.map(|p| closure_defects(fields, p));
    let closure = closure.filter(|c| !c.is_empty());
    FieldMeasures {
        fields: m,
        window: window.clamp(1, fields.ncols().max(1)),
        window_share_mean: mean(&|l| l.window_share),
        window_share_min: locs
            .iter()
            .map(|l| l.window_share)
            .fold(f64::INFINITY, f64::min)
            .min(if locs.is_empty() { 0.0 } else { f64::INFINITY }),
        ipr_mean,
        participation: if ipr_mean > 0.0 { 1.0 / ipr_mean } else { 0.0 },
        rms_width_mean: mean(&|l| l.rms_width),
        spread_mean: mean(&|l| l.rms_width * l.rms_width),
        tiling_cv,
        tiling_entropy_ratio,
        tiling_occupied,
        closure_mean: closure
            .as_ref()
            .map(|c| c.iter().sum::<f64>() / c.len() as f64),
        closure_max: closure
            .as_ref()
            .map(|c| c.iter().cloned().fold(0.0, f64::max)),
        closure_by: Vec::new(),
        orientation: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, array};

    #[test]
    fn localisation_of_known_fields() {
        let ring = Space::Ring { n: 8 };
        // A difference of two neighbours across the wrap-around: fully inside a 2-window,
        // IPR ½, width ½ pixel.
        let mut f = Array1::<f32>::zeros(8);
        f[7] = std::f32::consts::FRAC_1_SQRT_2;
        f[0] = -std::f32::consts::FRAC_1_SQRT_2;
        let l = localisation(ring, f.view(), 2);
        assert!((l.window_share - 1.0).abs() < 1e-6);
        assert!((l.ipr - 0.5).abs() < 1e-6);
        assert!((l.rms_width - 0.5).abs() < 1e-6);
        // A flat field: share w/n, IPR 1/n.
        let flat = Array1::<f32>::from_elem(8, (1.0f32 / 8.0).sqrt());
        let l = localisation(ring, flat.view(), 2);
        assert!((l.window_share - 0.25).abs() < 1e-6);
        assert!((l.ipr - 0.125).abs() < 1e-6);
    }

    #[test]
    fn closure_of_a_tiled_and_a_lopsided_bank() {
        let ring = Space::Ring { n: 4 };
        let shift = ring
            .pixel_permutation(crate::model::Transformation::Shift { k: 1 })
            .unwrap();
        let s = std::f32::consts::FRAC_1_SQRT_2;
        // All four shifts of (s, −s, 0, 0): closed (up to f32 rounding, which the square
        // root in the distance magnifies to ~1e-4).
        let tiled = array![
            [s, -s, 0.0, 0.0],
            [0.0, s, -s, 0.0],
            [0.0, 0.0, s, -s],
            [-s, 0.0, 0.0, s]
        ];
        assert!(closure_defects(&tiled, &shift).iter().all(|&d| d < 1e-3));
        // Only one copy: its shift (0, s, −s, 0) overlaps −½ with it, distance √3.
        let one = array![[s, -s, 0.0, 0.0]];
        let d = closure_defects(&one, &shift);
        assert!((d[0] - 3f64.sqrt()).abs() < 1e-4, "{d:?}");
        let labels: Vec<NeuronLabel> = (0..4)
            .map(|p| NeuronLabel {
                centre: (p as f32 + 0.5, 0.0),
                position: p,
                kernel: None,
                rotation: 0,
            })
            .collect();
        let m = measure(ring, &tiled, &labels, Some(&shift), 2);
        assert!(m.tiling_cv.abs() < 1e-12);
        // Two-pixel edges: half a pixel from their centre, spread ¼ pixel².
        assert!((m.spread_mean - 0.25).abs() < 1e-6, "{m:?}");
        assert!((m.tiling_entropy_ratio - 1.0).abs() < 1e-12);
        assert_eq!(m.closure_max.map(|c| c < 1e-3), Some(true));
    }
}
