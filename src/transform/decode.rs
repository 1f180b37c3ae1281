//! The detector code of a pattern and its least-squares inverse.
//!
//! [`encode`] computes `a = φ(F s − θ)` (then k-winners-take-all), exactly as SPEC §4
//! defines a detector's response, from a config and a bank — so the GUI, which holds
//! only a snapshot of the bank, and the CLI give the same activities as the simulation.
//!
//! [`Decoder`] inverts the bank linearly: `ŝ = argmin ‖F s − a‖² + ε‖s‖²
//! = (FᵀF + εI)⁻¹ Fᵀ a`. The `pixels × pixels` matrix `FᵀF + εI` is factorised once
//! per bank by a Cholesky decomposition (in `f64`); each decode is then one product
//! `Fᵀa` and two triangular solves, `O(M·pixels + pixels²)`. The ridge `ε` is relative:
//! `ε = ridge · trace(FᵀF) / pixels`, so it does not depend on the fields' scale.
//! Because the fields are zero-mean, the decoded pattern has no reliable mean level;
//! compare patterns by correlation.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use super::{TransformError, check_len};
use crate::model::detectors::apply_activation;
use crate::model::{Activation, SimConfig, Space, StimulusKind};

/// Default relative ridge of the decoder. Chosen on `image-rotate` (unbounded pixels),
/// where [`Decoder::reconstruct`] of 32 held-out rotated stimuli correlates 0.90 on
/// average with them (0.86 with a ridge of 1e-3); bounded reconstructions use ten times
/// this ridge (see [`PixelRange`]).
pub const DEFAULT_RIDGE: f64 = 1e-4;

/// Default relative weight of the smoothness prior ([`Decoder::for_space`]); chosen on
/// `square-rotate`, where it raised the mean correlation of linear-ridge reconstructions
/// with the stimuli from 0.77 (ridge only) to 0.90. Bounded reconstructions (see
/// [`PixelRange`]) use a tenth of it: the range then fills in what the bank does not see.
pub const DEFAULT_SMOOTHNESS: f64 = 0.01;

/// Relative ridge and smoothness on a log-polar retina. Its banks overlap densely
/// (`polar-rotate`: 1,344 detectors on 768 samples, `polar-zoom`: 864 on 576), so the
/// code pins the pattern down and the priors chosen for sparser banks only blur it:
/// reconstructions of the astronaut photo from its relu code correlate 0.81 with it
/// under the defaults and 0.95 with these (six held-out rotated photo patches: 0.70–0.92
/// and 0.90–0.99 on `polar-rotate`; 0.62–0.94 and 0.85–0.98 on `polar-zoom`).
pub const POLAR_RIDGE: f64 = 1e-5;
/// See [`POLAR_RIDGE`].
pub const POLAR_SMOOTHNESS: f64 = 3e-4;

/// Activities of the bank for one pattern: `φ(F s − θ)`, then k-winners-take-all.
pub fn encode(
    config: &SimConfig,
    fields: &Array2<f32>,
    stimulus: &[f32],
) -> Result<Vec<f32>, TransformError> {
    check_len("stimulus", fields.ncols(), stimulus.len())?;
    let drive = fields.dot(&ArrayView1::from(stimulus));
    let mut activity: Vec<f32> = drive
        .iter()
        .map(|&u| apply_activation(config.activation, u - config.threshold))
        .collect();
    if let Some(k) = config.k_winners
        && k < activity.len()
    {
        let mut order: Vec<usize> = (0..activity.len()).collect();
        // Largest drive first, ties broken by index (as the simulation does).
        order.sort_by(|&a, &b| drive[b].total_cmp(&drive[a]).then(a.cmp(&b)));
        for &i in &order[k..] {
            activity[i] = 0.0;
        }
    }
    Ok(activity)
}

/// Activities of the bank for each row of `stimuli` (one pattern per row), as
/// [`encode`] computes them one by one but with one matrix product for the batch: the
/// CLI encodes 32 held-out stimuli, and their moved copies for each of up to 64 search
/// results, which row by row took a tenth of a large search's time. The sums run in a
/// different order than [`encode`]'s, so the two agree to rounding, not bit for bit.
pub fn encode_rows(
    config: &SimConfig,
    fields: &Array2<f32>,
    stimuli: ArrayView2<f32>,
) -> Result<Array2<f32>, TransformError> {
    check_len("stimulus", fields.ncols(), stimuli.ncols())?;
    let drive = stimuli.dot(&fields.t());
    let mut activity = drive.mapv(|u| apply_activation(config.activation, u - config.threshold));
    if let Some(k) = config.k_winners
        && k < activity.ncols()
    {
        let mut order: Vec<usize> = Vec::with_capacity(activity.ncols());
        for (d, mut a) in drive.rows().into_iter().zip(activity.rows_mut()) {
            order.clear();
            order.extend(0..a.len());
            // Largest drive first, ties broken by index (as the simulation does).
            order.sort_by(|&x, &y| d[y].total_cmp(&d[x]).then(x.cmp(&y)));
            for &i in &order[k..] {
                a[i] = 0.0;
            }
        }
    }
    Ok(activity)
}

/// The interval every pixel of every stimulus of a generator lies in (either end may be
/// open): a generic prior of [`Decoder::reconstruct`], true of every stimulus the
/// generator can draw, never derived from a particular pattern.
///
/// It matters where the bank is blind: the fields are zero-mean, so a code does not fix
/// the mean level, and silent detectors only bound their drive. Line segments on a
/// black background (`Edges`, values in `[0, 1]`) are then recovered much better: on
/// `square-rotate` the mean correlation of honest renderings with the turned stimuli
/// rose from 0.895 to 0.927 (8 test stimuli; 0.921 over 32).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PixelRange {
    /// Smallest possible pixel value, if bounded below.
    pub lower: Option<f32>,
    /// Largest possible pixel value, if bounded above.
    pub upper: Option<f32>,
}

impl PixelRange {
    /// No bound at all.
    pub const UNBOUNDED: PixelRange = PixelRange {
        lower: None,
        upper: None,
    };

    /// The range of the generator `kind` (SPEC §3).
    pub fn of(kind: &StimulusKind) -> PixelRange {
        match kind {
            StimulusKind::Edges { .. } | StimulusKind::Bars { .. } => PixelRange {
                lower: Some(0.0),
                upper: Some(1.0),
            },
            StimulusKind::Bumps { .. } | StimulusKind::Blobs { .. } => PixelRange {
                lower: Some(0.0),
                upper: None,
            },
            _ => PixelRange::UNBOUNDED,
        }
    }
}

/// Least-squares decoder of one bank, factorised once.
#[derive(Clone, Debug)]
pub struct Decoder {
    /// `Fᵀ` (pixels × M), contiguous, for the product `Fᵀa`.
    fields_t: Array2<f32>,
    /// Lower Cholesky factor `L` of `FᵀF + εI`, row-major `pixels × pixels`.
    cholesky: Vec<f64>,
    /// `FᵀF + εI` (row-major, without the smoothness prior).
    normal: Vec<f64>,
    /// Factor of the bounded reconstruction's preconditioner, see [`Decoder::bounded_factor`].
    bounded_cholesky: std::sync::OnceLock<Option<Vec<f64>>>,
    /// The absolute ridge `ε`.
    epsilon: f64,
    /// Grid edges and weight of the smoothness prior, if any.
    smoothness: Option<(Vec<(usize, usize)>, f64)>,
    /// True when every field sums to (nearly) zero, so a constant added to a pattern
    /// changes no drive.
    blind_to_mean: bool,
    /// Absolute weight of the penalty on pixels outside the stimuli's range.
    bound_weight: f64,
    pixels: usize,
}

impl Decoder {
    /// Factorises `FᵀF + εI` for `fields` (M × pixels) with relative ridge `ridge` (see module docs).
    pub fn new(fields: &Array2<f32>, ridge: f64) -> Result<Self, TransformError> {
        Self::build(fields, ridge, None)
    }

    /// Like [`Decoder::new`], with an additional smoothness prior `σ · ε_s ‖∇s‖²` on the
    /// grid of `space` (neighbouring pixels, periodic on a ring or torus), where `ε_s` is
    /// scaled like the ridge. It fills in what the bank does not see (between sparse
    /// detectors, below threshold) with the smoothest pattern rather than with zeros.
    pub fn with_smoothness(
        space: Space,
        fields: &Array2<f32>,
        ridge: f64,
        smoothness: f64,
    ) -> Result<Self, TransformError> {
        Self::build(fields, ridge, Some((space, smoothness)))
    }

    /// The decoder the app and the CLI use: [`DEFAULT_RIDGE`] and [`DEFAULT_SMOOTHNESS`],
    /// or on a log-polar retina [`POLAR_RIDGE`] and [`POLAR_SMOOTHNESS`].
    pub fn for_space(space: Space, fields: &Array2<f32>) -> Result<Self, TransformError> {
        let (ridge, smoothness) = match space {
            Space::Polar { .. } => (POLAR_RIDGE, POLAR_SMOOTHNESS),
            _ => (DEFAULT_RIDGE, DEFAULT_SMOOTHNESS),
        };
        Self::with_smoothness(space, fields, ridge, smoothness)
    }

    fn build(
        fields: &Array2<f32>,
        ridge: f64,
        smooth: Option<(Space, f64)>,
    ) -> Result<Self, TransformError> {
        let (neurons, pixels) = fields.dim();
        if neurons == 0 || pixels == 0 {
            return Err(TransformError::EmptyBank(format!(
                "{neurons} detectors over {pixels} pixels"
            )));
        }
        let fields_t = fields.t().as_standard_layout().to_owned();
        let gram = fields_t.dot(fields); // pixels × pixels, f32 product; accumulate below in f64
        let trace: f64 = (0..pixels).map(|p| gram[[p, p]] as f64).sum();
        let epsilon = ridge.max(1e-12) * (trace / pixels as f64).max(f64::MIN_POSITIVE);
        let mut a: Vec<f64> = gram.iter().map(|&x| x as f64).collect();
        for p in 0..pixels {
            a[p * pixels + p] += epsilon;
        }
        let mut prior = None;
        if let Some((space, smoothness)) = smooth {
            super::check_len(
                "receptive fields (pixels)",
                super::pixel_count(space),
                pixels,
            )?;
            let weight = smoothness.max(0.0) * (trace / pixels as f64);
            prior = Some((grid_edges(space), weight));
        }
        let cholesky = cholesky_in_place(
            with_laplacian(a.clone(), pixels, prior.as_ref(), 1.0),
            pixels,
        )?;
        Ok(Self {
            fields_t,
            cholesky,
            normal: a,
            bounded_cholesky: std::sync::OnceLock::new(),
            epsilon,
            smoothness: prior,
            blind_to_mean: fields.rows().into_iter().all(|f| {
                let sum: f32 = f.sum();
                let norm1: f32 = f.iter().map(|v| v.abs()).sum();
                sum.abs() <= 1e-4 * norm1.max(f32::MIN_POSITIVE)
            }),
            bound_weight: BOUND_WEIGHT * (trace / pixels as f64),
            pixels,
        })
    }

    /// The Cholesky factor of the system with the smoothness prior scaled by
    /// [`BOUNDED_SMOOTHNESS`] (the preconditioner of bounded reconstructions), built once.
    fn bounded_factor(&self) -> &[f64] {
        self.bounded_cholesky
            .get_or_init(|| {
                let mut a = with_laplacian(
                    self.normal.clone(),
                    self.pixels,
                    self.smoothness.as_ref(),
                    BOUNDED_SMOOTHNESS,
                );
                for p in 0..self.pixels {
                    a[p * self.pixels + p] += (BOUNDED_RIDGE - 1.0) * self.epsilon;
                }
                cholesky_in_place(a, self.pixels).ok()
            })
            .as_deref()
            .unwrap_or(&self.cholesky)
    }

    /// Number of pixels of the decoded pattern.
    pub fn pixels(&self) -> usize {
        self.pixels
    }

    /// Number of detectors expected in a code.
    pub fn neurons(&self) -> usize {
        self.fields_t.ncols()
    }

    /// `(FᵀF + εI)⁻¹ Fᵀ a`: the pattern whose code is closest to `activities`.
    pub fn decode(&self, activities: &[f32]) -> Result<Vec<f32>, TransformError> {
        check_len("activities", self.neurons(), activities.len())?;
        let rhs: Array1<f32> = self.fields_t.dot(&ArrayView1::from(activities));
        let rhs: Vec<f64> = rhs.iter().map(|&v| v as f64).collect();
        let x = self.precondition(&rhs);
        Ok(x.into_iter().map(|v| v as f32).collect())
    }

    /// Reconstructs a pattern from a (possibly permuted) code of a bank with the
    /// non-linearity of `config`, honestly: only the bank, `θ` and `φ` are used.
    ///
    /// A linear decode of rectified activities is poor (half of each detector's
    /// response is cut off), so the code is inverted through the non-linearity:
    /// - sigmoid: `u = logit(a) + θ` exactly, then the linear decode;
    /// - relu: the convex least-squares problem
    ///   `min Σ_{a_i>0} (f_i·s − a_i − θ)² + Σ_{a_i=0} max(0, f_i·s − θ)² + ε‖s‖²`
    ///   (active detectors reveal their drive, silent ones only that it was below
    ///   threshold), solved by an active-set Newton method whose linear systems are
    ///   solved by conjugate gradients preconditioned with the bank's factorisation;
    /// - binary: the same with the active detectors asking for a drive of at least
    ///   `θ + 1` (their size is not revealed by the code).
    ///
    /// When the stimulus generator of `config` keeps every pixel in a [`PixelRange`]
    /// (segments, bars, bumps, blobs), pixels outside it are penalised too (another
    /// set of rows of the same active-set scheme), with ten times the ridge and a tenth
    /// of the smoothness. If the result does not explain the code (relative misfit
    /// `‖φ(F ŝ − θ) − a‖ / ‖a‖` above 0.05: e.g. a photo opened on a preset trained on
    /// segments, or a code permuted by a poor automorphism), the code is decoded again
    /// without the range, and whichever explains it better is returned.
    ///
    /// `iterations` bounds the Newton steps. k-winners-take-all is not modelled (a
    /// loser above threshold counts as silent).
    pub fn reconstruct(
        &self,
        config: &SimConfig,
        fields: &Array2<f32>,
        activities: &[f32],
        iterations: usize,
    ) -> Result<Vec<f32>, TransformError> {
        self.reconstruct_from(config, fields, activities, iterations, None)
    }

    /// [`Decoder::reconstruct`] starting the iteration at `start` instead of zero. Each
    /// problem is strictly convex, so the start changes only how fast it converges, not
    /// the answer (up to the iteration limit); a good guess (the previous frame moved by
    /// the pixel map) saves most of the work along an orbit.
    pub fn reconstruct_from(
        &self,
        config: &SimConfig,
        fields: &Array2<f32>,
        activities: &[f32],
        iterations: usize,
        start: Option<&[f32]>,
    ) -> Result<Vec<f32>, TransformError> {
        check_len("activities", self.neurons(), activities.len())?;
        if let Some(start) = start {
            check_len("starting pattern", self.pixels, start.len())?;
        }
        check_len("receptive fields", self.neurons(), fields.nrows())?;
        check_len("receptive fields (pixels)", self.pixels, fields.ncols())?;
        let theta = config.threshold;
        if config.activation == Activation::Sigmoid {
            let drive: Vec<f32> = activities
                .iter()
                .map(|&a| {
                    let a = a.clamp(1e-6, 1.0 - 1e-6);
                    (a / (1.0 - a)).ln() + theta
                })
                .collect();
            return self.decode(&drive);
        }
        let range = PixelRange::of(&config.stimulus.kind);
        let bounded = self.active_set(config, fields, activities, iterations, start, range)?;
        if range == PixelRange::UNBOUNDED {
            return Ok(bounded);
        }
        // A code no pattern of the generator's range explains (a photo opened on a preset
        // trained on line segments, or a badly permuted code) is decoded without the range.
        let misfit = code_misfit(config, fields, &bounded, activities);
        if misfit <= MISFIT_TOLERANCE {
            return Ok(bounded);
        }
        let free = self.active_set(
            config,
            fields,
            activities,
            iterations,
            start,
            PixelRange::UNBOUNDED,
        )?;
        Ok(if code_misfit(config, fields, &free, activities) < misfit {
            free
        } else {
            bounded
        })
    }

    /// The active-set Newton iteration of [`Decoder::reconstruct`] for a relu or binary
    /// code, with pixels kept (by a penalty) in `range`.
    fn active_set(
        &self,
        config: &SimConfig,
        fields: &Array2<f32>,
        activities: &[f32],
        iterations: usize,
        start: Option<&[f32]>,
        range: PixelRange,
    ) -> Result<Vec<f32>, TransformError> {
        let theta = config.threshold;
        let binary = config.activation == Activation::Binary;
        // Which rows are in the quadratic, and what each asks for, given the drive `u`.
        let targets = |u: &[f32]| -> Vec<Option<f32>> {
            activities
                .iter()
                .zip(u)
                .map(|(&a, &ui)| {
                    if a > 0.0 {
                        if binary {
                            (ui < theta + 1.0).then_some(theta + 1.0)
                        } else {
                            Some(a + theta)
                        }
                    } else {
                        (ui > theta).then_some(theta)
                    }
                })
                .collect()
        };
        // Pixels outside the range, and the bound each is pulled back to.
        let outside = |s: &[f32]| -> Vec<Option<f32>> {
            s.iter()
                .map(|&v| match (range.lower, range.upper) {
                    (Some(lo), _) if v < lo => Some(lo),
                    (_, Some(hi)) if v > hi => Some(hi),
                    _ => None,
                })
                .collect()
        };
        let bounded = range != PixelRange::UNBOUNDED;
        let mut s = start.map_or_else(|| vec![0.0f32; self.pixels], <[f32]>::to_vec);
        let mut previous: Option<(Targets, Targets)> = None;
        for step in 0..iterations.max(1) {
            let u = fields.dot(&ArrayView1::from(&s[..])).to_vec();
            let rows = (targets(&u), outside(&s));
            if previous.as_ref() == Some(&rows) {
                break;
            }
            s = self.solve_rows(fields, &rows.0, &rows.1, bounded, &s)?;
            previous = Some(rows);
            // The bank does not see the mean level (zero-mean fields), and the first step
            // from zero leaves it at zero: move the median pixel to the lower bound, which
            // changes no detector's drive and saves most of the iterations. The problem
            // is convex, so this changes only the speed, not the answer.
            if step == 0
                && start.is_none()
                && self.blind_to_mean
                && let Some(lo) = range.lower
            {
                let mut sorted = s.clone();
                sorted.sort_by(f32::total_cmp);
                let shift = lo - sorted[sorted.len() / 2];
                s.iter_mut().for_each(|v| *v += shift);
            }
        }
        Ok(s)
    }

    /// Solves `(Fᵀ D F + εI + σL + w B) s = Fᵀ D t + w B b` (D: rows with a target, t:
    /// the targets; B: pixels outside the range, b: their bounds; `ε`, `σ` scaled for a
    /// bounded problem if `bounded`) by conjugate gradients preconditioned with the
    /// matching factorisation without `D` and `B`, starting from `start`.
    fn solve_rows(
        &self,
        fields: &Array2<f32>,
        rows: &[Option<f32>],
        bounds: &[Option<f32>],
        bounded: bool,
        start: &[f32],
    ) -> Result<Vec<f32>, TransformError> {
        let n = self.pixels;
        let (epsilon, smooth_scale) = if bounded {
            (self.epsilon * BOUNDED_RIDGE, BOUNDED_SMOOTHNESS)
        } else {
            (self.epsilon, 1.0)
        };
        let bound_weight = self.bound_weight;
        let apply = |v: &[f64]| -> Vec<f64> {
            let v32: Vec<f32> = v.iter().map(|&x| x as f32).collect();
            let fv = fields.dot(&ArrayView1::from(&v32[..]));
            let masked: Vec<f32> = fv
                .iter()
                .zip(rows)
                .map(|(&x, r)| if r.is_some() { x } else { 0.0 })
                .collect();
            let back = self.fields_t.dot(&ArrayView1::from(&masked[..]));
            let mut out: Vec<f64> = back
                .iter()
                .zip(v)
                .map(|(&b, &x)| b as f64 + epsilon * x)
                .collect();
            if let Some((edges, weight)) = &self.smoothness {
                for &(p, q) in edges {
                    let d = smooth_scale * weight * (v[p] - v[q]);
                    out[p] += d;
                    out[q] -= d;
                }
            }
            for (o, (b, &x)) in out.iter_mut().zip(bounds.iter().zip(v)) {
                if b.is_some() {
                    *o += bound_weight * x;
                }
            }
            out
        };
        let t: Vec<f32> = rows.iter().map(|r| r.unwrap_or(0.0)).collect();
        let b: Vec<f64> = self
            .fields_t
            .dot(&ArrayView1::from(&t[..]))
            .iter()
            .zip(bounds)
            .map(|(&x, b)| x as f64 + b.map_or(0.0, |t| bound_weight * t as f64))
            .collect();
        let mut x: Vec<f64> = start.iter().map(|&v| v as f64).collect();
        let ax = apply(&x);
        let mut r: Vec<f64> = b.iter().zip(&ax).map(|(b, a)| b - a).collect();
        let b_norm = b
            .iter()
            .map(|v| v * v)
            .sum::<f64>()
            .sqrt()
            .max(f64::MIN_POSITIVE);
        let factor = if bounded {
            self.bounded_factor()
        } else {
            &self.cholesky[..]
        };
        let mut z = self.solve_factor(factor, &r);
        let mut p = z.clone();
        let mut rz: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
        for _ in 0..CG_ITERATIONS {
            if r.iter().map(|v| v * v).sum::<f64>().sqrt() <= 1e-5 * b_norm {
                break;
            }
            let ap = apply(&p);
            let pap: f64 = p.iter().zip(&ap).map(|(a, b)| a * b).sum();
            if pap <= 0.0 || !pap.is_finite() {
                break;
            }
            let alpha = rz / pap;
            for k in 0..n {
                x[k] += alpha * p[k];
                r[k] -= alpha * ap[k];
            }
            z = self.solve_factor(factor, &r);
            let rz_new: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
            let beta = rz_new / rz;
            rz = rz_new;
            for k in 0..n {
                p[k] = z[k] + beta * p[k];
            }
        }
        Ok(x.into_iter().map(|v| v as f32).collect())
    }

    /// `(FᵀF + εI)⁻¹ r` by the stored Cholesky factor.
    fn precondition(&self, r: &[f64]) -> Vec<f64> {
        self.solve_factor(&self.cholesky, r)
    }

    /// `(L Lᵀ)⁻¹ r` for a lower Cholesky factor `l`.
    fn solve_factor(&self, l: &[f64], r: &[f64]) -> Vec<f64> {
        let n = self.pixels;
        let mut y = vec![0.0f64; n];
        for i in 0..n {
            let s: f64 = l[i * n..i * n + i]
                .iter()
                .zip(&y[..i])
                .map(|(a, b)| a * b)
                .sum();
            y[i] = (r[i] - s) / l[i * n + i];
        }
        let mut x = vec![0.0f64; n];
        for i in (0..n).rev() {
            let mut s = 0.0;
            for k in i + 1..n {
                s += l[k * n + i] * x[k];
            }
            x[i] = (y[i] - s) / l[i * n + i];
        }
        x
    }
}

/// Conjugate-gradient iterations per Newton step of [`Decoder::reconstruct`].
const CG_ITERATIONS: usize = 60;

/// Neighbouring pixel pairs of a space (right and down neighbours; periodic where the space is).
fn grid_edges(space: Space) -> Vec<(usize, usize)> {
    match space {
        Space::Ring { n } => (0..n)
            .map(|x| (x, (x + 1) % n))
            .filter(|(a, b)| a != b)
            .collect(),
        Space::Line { n } => (1..n).map(|x| (x - 1, x)).collect(),
        Space::Torus { side } | Space::Square { side } => {
            let periodic = matches!(space, Space::Torus { .. });
            let mut edges = Vec::new();
            for y in 0..side {
                for x in 0..side {
                    let p = y * side + x;
                    if x + 1 < side {
                        edges.push((p, p + 1));
                    } else if periodic && side > 2 {
                        edges.push((p, y * side));
                    }
                    if y + 1 < side {
                        edges.push((p, p + side));
                    } else if periodic && side > 2 {
                        edges.push((p, x));
                    }
                }
            }
            edges
        }
        // Neighbours along each ring (periodic) and across rings (open).
        Space::Polar { rings, sectors, .. } => {
            let mut edges = Vec::new();
            for k in 0..rings {
                for j in 0..sectors {
                    let p = k * sectors + j;
                    if sectors > 2 || j + 1 < sectors {
                        edges.push((p, k * sectors + (j + 1) % sectors));
                    }
                    if k + 1 < rings {
                        edges.push((p, p + sectors));
                    }
                }
            }
            edges
        }
    }
}

/// Adds `scale · weight ·` (graph Laplacian of `edges`) to the row-major `n × n` matrix `a`.
fn with_laplacian(
    mut a: Vec<f64>,
    n: usize,
    prior: Option<&(Vec<(usize, usize)>, f64)>,
    scale: f64,
) -> Vec<f64> {
    if let Some((edges, weight)) = prior {
        let w = weight * scale;
        // ‖∇s‖² = Σ_edges (s_p − s_q)²: the graph Laplacian.
        for &(p, q) in edges {
            a[p * n + p] += w;
            a[q * n + q] += w;
            a[p * n + q] -= w;
            a[q * n + p] -= w;
        }
    }
    a
}

/// Largest relative code misfit `‖φ(F ŝ − θ) − a‖ / ‖a‖` at which a reconstruction
/// kept in the generator's pixel range is accepted without trying an unbounded one.
const MISFIT_TOLERANCE: f64 = 0.05;

/// `‖φ(F s − θ) − a‖ / ‖a‖` (k-winners not modelled, as in [`Decoder::reconstruct`]).
fn code_misfit(config: &SimConfig, fields: &Array2<f32>, s: &[f32], activities: &[f32]) -> f64 {
    let drive = fields.dot(&ArrayView1::from(s));
    let (mut err, mut norm) = (0.0f64, 0.0f64);
    for (&u, &a) in drive.iter().zip(activities) {
        let y = apply_activation(config.activation, u - config.threshold);
        err += f64::from(y - a).powi(2);
        norm += f64::from(a).powi(2);
    }
    (err / norm.max(f64::MIN_POSITIVE)).sqrt()
}

/// Relative weight (like the ridge, in units of `trace(FᵀF) / pixels`) of the penalty
/// `Σ (s_p − bound)²` on pixels outside the generator's range.
const BOUND_WEIGHT: f64 = 1.0;

/// Per row (detector or pixel): the value it is pulled to, if it is in the quadratic.
type Targets = Vec<Option<f32>>;

/// Ridge of bounded reconstructions relative to unbounded ones.
const BOUNDED_RIDGE: f64 = 10.0;

/// Smoothness weight of bounded reconstructions relative to unbounded ones.
const BOUNDED_SMOOTHNESS: f64 = 0.1;

/// Cholesky factorisation `A = L Lᵀ` of a symmetric positive-definite row-major matrix.
fn cholesky_in_place(mut a: Vec<f64>, n: usize) -> Result<Vec<f64>, TransformError> {
    for j in 0..n {
        let (head, tail) = a.split_at_mut((j + 1) * n);
        let row_j = &mut head[j * n..];
        let d = row_j[j] - row_j[..j].iter().map(|v| v * v).sum::<f64>();
        if d.is_nan() || d <= 0.0 {
            return Err(TransformError::Singular(format!(
                "pivot {j} of FᵀF + εI is {d}; are the receptive fields finite?"
            )));
        }
        let ljj = d.sqrt();
        row_j[j] = ljj;
        // Only the lower triangle is kept.
        row_j[j + 1..].iter_mut().for_each(|v| *v = 0.0);
        let row_j: &[f64] = row_j;
        for row_i in tail.chunks_exact_mut(n) {
            let s: f64 = row_i[..j].iter().zip(&row_j[..j]).map(|(x, y)| x * y).sum();
            row_i[j] = (row_i[j] - s) / ljj;
        }
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn decoding_the_linear_code_recovers_the_pattern() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let fields = Array2::from_shape_fn((60, 20), |_| rng.random::<f32>() - 0.5);
        let decoder = Decoder::new(&fields, 1e-9).unwrap();
        let s: Vec<f32> = (0..20).map(|i| (i as f32 * 0.7).sin()).collect();
        let code = fields.dot(&ArrayView1::from(&s[..])).to_vec();
        let back = decoder.decode(&code).unwrap();
        for (a, b) in s.iter().zip(&back) {
            assert!((a - b).abs() < 1e-3, "{a} vs {b}");
        }
    }

    #[test]
    fn cholesky_matches_a_known_factor() {
        // A = L Lᵀ with L = [[2,0,0],[1,3,0],[-1,2,1]]
        let a = vec![4.0, 2.0, -2.0, 2.0, 10.0, 5.0, -2.0, 5.0, 6.0];
        let l = cholesky_in_place(a, 3).unwrap();
        let expected = [2.0, 0.0, 0.0, 1.0, 3.0, 0.0, -1.0, 2.0, 1.0];
        for (x, y) in l.iter().zip(expected) {
            assert!((x - y).abs() < 1e-12);
        }
        assert!(cholesky_in_place(vec![1.0, 2.0, 2.0, 1.0], 2).is_err());
    }

    /// A ring of `n` pixels with `per` random zero-mean fields of width 5 at every position.
    fn ring_setup(n: usize, per: usize, kind: StimulusKind) -> (SimConfig, Array2<f32>) {
        use crate::model::{
            BankConfig, KernelFamily, LearningRule, StimulusConfig, Transformation,
        };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut fields = Array2::<f32>::zeros((n * per, n));
        for pos in 0..n {
            for k in 0..per {
                let w: Vec<f32> = (0..5).map(|_| rng.random::<f32>() - 0.5).collect();
                let mean = w.iter().sum::<f32>() / 5.0;
                for (d, &v) in w.iter().enumerate() {
                    fields[[pos * per + k, (pos + d) % n]] = v - mean;
                }
            }
        }
        let config = SimConfig {
            space: Space::Ring { n },
            stimulus: StimulusConfig {
                kind,
                sequence: None,
                data_dir: None,
            },
            bank: BankConfig::Tiled {
                kernels: per,
                size: 5,
                stride: 1,
                family: KernelFamily::Random,
            },
            activation: Activation::Relu,
            threshold: 0.0,
            k_winners: None,
            rule: LearningRule::Hebb,
            learning_rate: 0.01,
            decay: 0.0,
            batch: 1,
            seed: 1,
            true_transformation: Transformation::Shift { k: 1 },
        };
        (config, fields)
    }

    #[test]
    fn batch_encoding_agrees_with_encoding_one_by_one() {
        let (mut config, fields) = ring_setup(
            24,
            2,
            StimulusKind::Bumps {
                max_bumps: 1,
                width: (1.0, 2.0),
                amplitude: (1.0, 1.0),
            },
        );
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let stimuli = Array2::from_shape_fn((7, 24), |_| rng.random::<f32>() - 0.5);
        for k_winners in [None, Some(5)] {
            config.k_winners = k_winners;
            let batch = encode_rows(&config, &fields, stimuli.view()).unwrap();
            let mut active = 0;
            for (s, row) in stimuli.rows().into_iter().zip(batch.rows()) {
                let one = encode(&config, &fields, s.as_slice().unwrap()).unwrap();
                for (a, b) in one.iter().zip(row) {
                    assert!((a - b).abs() < 1e-5, "{a} vs {b}");
                }
                active += row.iter().filter(|&&a| a > 0.0).count();
            }
            // Relu leaves some detectors on; k-winners leaves at most k per pattern.
            assert!(active > 0);
            if let Some(k) = k_winners {
                assert!(active <= k * stimuli.nrows());
            }
        }
        assert!(encode_rows(&config, &fields, Array2::zeros((2, 23)).view()).is_err());
    }

    fn corr(a: &[f32], b: &[f32]) -> f64 {
        crate::transform::correlation(a, b)
    }

    #[test]
    fn the_generators_range_sharpens_a_sparse_non_negative_pattern() {
        let n = 32;
        let bumps = StimulusKind::Bumps {
            max_bumps: 1,
            width: (1.0, 2.0),
            amplitude: (1.0, 1.0),
        };
        let (bounded_config, fields) = ring_setup(n, 2, bumps);
        let mut free_config = bounded_config.clone();
        free_config.stimulus.kind = StimulusKind::SmoothNoise { length: 3.0 };
        let decoder = Decoder::with_smoothness(bounded_config.space, &fields, 1e-4, 0.01).unwrap();
        let bump: Vec<f32> = (0..n)
            .map(|x| (-((x as f32 - 9.0).powi(2)) / 3.0).exp())
            .collect();
        let code = encode(&bounded_config, &fields, &bump).unwrap();
        let bounded = decoder
            .reconstruct(&bounded_config, &fields, &code, 20)
            .unwrap();
        let free = decoder
            .reconstruct(&free_config, &fields, &code, 20)
            .unwrap();
        let (cb, cf) = (corr(&bounded, &bump), corr(&free, &bump));
        assert!(
            cb > 0.95 && cb >= cf - 1e-3,
            "bounded {cb:.4}, unbounded {cf:.4}"
        );
        let min = bounded.iter().copied().fold(f32::INFINITY, f32::min);
        assert!(min > -0.05, "bounded reconstruction dips to {min}");
    }

    #[test]
    fn a_code_outside_the_generators_range_is_decoded_without_it() {
        let n = 32;
        let bars = StimulusKind::Bars {
            max_bars: 1,
            length: (2, 6),
        };
        let (config, fields) = ring_setup(n, 2, bars);
        let decoder = Decoder::with_smoothness(config.space, &fields, 1e-4, 0.01).unwrap();
        // Spans 6 units: no pattern of bars (all pixels in [0, 1]) has this code.
        let wave: Vec<f32> = (0..n)
            .map(|x| 3.0 * (x as f32 * std::f32::consts::TAU * 3.0 / n as f32).sin())
            .collect();
        let code = encode(&config, &fields, &wave).unwrap();
        let back = decoder.reconstruct(&config, &fields, &code, 20).unwrap();
        assert!(code_misfit(&config, &fields, &back, &code) < MISFIT_TOLERANCE);
        let c = corr(&back, &wave);
        assert!(c > 0.95, "correlation {c:.4}");
    }

    #[test]
    fn wrong_lengths_are_errors() {
        let fields = Array2::<f32>::eye(4);
        let decoder = Decoder::new(&fields, 1e-3).unwrap();
        assert!(decoder.decode(&[1.0; 3]).is_err());
        assert!(Decoder::new(&Array2::<f32>::zeros((0, 4)), 1e-3).is_err());
    }
}
