//! The non-linear inversion of a relu or binary code ([`super::Decoder::reconstruct`]):
//! an active-set Newton method. Each step fixes which rows are in the quadratic —
//! active detectors asking for their drive, silent detectors driven above threshold,
//! pixels outside the generator's range — and solves that least-squares problem by
//! conjugate gradients preconditioned with the decoder's factorisation; it stops when
//! the set no longer changes.

use ndarray::{Array2, ArrayView1};

use super::encode::code_misfit;
use super::{BOUNDED_RIDGE, BOUNDED_SMOOTHNESS, Decoder, PixelRange};
use crate::model::{Activation, SimConfig};
use crate::transform::TransformError;

/// Conjugate-gradient iterations per Newton step.
const CG_ITERATIONS: usize = 60;

/// Largest relative code misfit `‖φ(F ŝ − θ) − a‖ / ‖a‖` at which a reconstruction
/// kept in the generator's pixel range is accepted without trying an unbounded one.
pub(super) const MISFIT_TOLERANCE: f64 = 0.05;

/// Per row (detector or pixel): the value it is pulled to, if it is in the quadratic.
type Targets = Vec<Option<f32>>;

/// One code to invert through the non-linearity of a configuration.
pub(super) struct ActiveSet<'a> {
    /// The bank's factorised normal equations (preconditioner, priors, `Fᵀ`).
    decoder: &'a Decoder,
    /// The bank's fields, M × pixels.
    fields: &'a Array2<f32>,
    /// The code.
    activities: &'a [f32],
    /// The configuration (threshold, non-linearity, stimulus generator).
    config: &'a SimConfig,
}

impl<'a> ActiveSet<'a> {
    /// The problem of inverting `activities` of the bank `fields` under `config`; the
    /// sizes have been checked by the decoder.
    pub(super) fn new(
        decoder: &'a Decoder,
        config: &'a SimConfig,
        fields: &'a Array2<f32>,
        activities: &'a [f32],
    ) -> Self {
        Self {
            decoder,
            fields,
            activities,
            config,
        }
    }

    /// The reconstruction within the generator's pixel range, or — when no pattern in
    /// the range explains the code — whichever of it and the unbounded one explains the
    /// code better (see [`Decoder::reconstruct`]).
    pub(super) fn reconstruct(
        &self,
        iterations: usize,
        start: Option<&[f32]>,
    ) -> Result<Vec<f32>, TransformError> {
        let range = PixelRange::of(&self.config.stimulus.kind);
        let bounded = self.solve(iterations, start, range)?;
        if range == PixelRange::UNBOUNDED {
            return Ok(bounded);
        }
        // A code no pattern of the generator's range explains (a photo opened on a preset
        // trained on line segments, or a badly permuted code) is decoded without the range.
        let misfit = self.misfit(&bounded);
        if misfit <= MISFIT_TOLERANCE {
            return Ok(bounded);
        }
        let free = self.solve(iterations, start, PixelRange::UNBOUNDED)?;
        Ok(if self.misfit(&free) < misfit {
            free
        } else {
            bounded
        })
    }

    fn misfit(&self, s: &[f32]) -> f64 {
        code_misfit(self.config, self.fields, s, self.activities)
    }

    /// Which detector rows are in the quadratic, and what each asks for, given the drive `u`.
    fn targets(&self, u: &[f32]) -> Targets {
        let theta = self.config.threshold;
        let binary = self.config.activation == Activation::Binary;
        self.activities
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
    }

    /// The active-set Newton iteration, with pixels kept (by a penalty) in `range`.
    fn solve(
        &self,
        iterations: usize,
        start: Option<&[f32]>,
        range: PixelRange,
    ) -> Result<Vec<f32>, TransformError> {
        // Pixels outside the range, and the bound each is pulled back to.
        let outside =
            |s: &[f32]| -> Targets { s.iter().map(|&v| range.violated_bound(v)).collect() };
        let bounded = range != PixelRange::UNBOUNDED;
        let pixels = self.decoder.pixels;
        let mut s = start.map_or_else(|| vec![0.0f32; pixels], <[f32]>::to_vec);
        let mut previous: Option<(Targets, Targets)> = None;
        for step in 0..iterations.max(1) {
            let u = self.fields.dot(&ArrayView1::from(&s[..])).to_vec();
            let rows = (self.targets(&u), outside(&s));
            if previous.as_ref() == Some(&rows) {
                break;
            }
            s = self.solve_rows(&rows.0, &rows.1, bounded, &s)?;
            previous = Some(rows);
            // The bank does not see the mean level (zero-mean fields), and the first step
            // from zero leaves it at zero: move the median pixel to the lower bound, which
            // changes no detector's drive and saves most of the iterations. The problem
            // is convex, so this changes only the speed, not the answer.
            if step == 0
                && start.is_none()
                && self.decoder.blind_to_mean
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
        rows: &[Option<f32>],
        bounds: &[Option<f32>],
        bounded: bool,
        start: &[f32],
    ) -> Result<Vec<f32>, TransformError> {
        let d = self.decoder;
        let fields = self.fields;
        let n = d.pixels;
        let (epsilon, smooth_scale) = if bounded {
            (d.epsilon * BOUNDED_RIDGE, BOUNDED_SMOOTHNESS)
        } else {
            (d.epsilon, 1.0)
        };
        let bound_weight = d.bound_weight;
        let apply = |v: &[f64]| -> Vec<f64> {
            let v32: Vec<f32> = v.iter().map(|&x| x as f32).collect();
            let fv = fields.dot(&ArrayView1::from(&v32[..]));
            let masked: Vec<f32> = fv
                .iter()
                .zip(rows)
                .map(|(&x, r)| if r.is_some() { x } else { 0.0 })
                .collect();
            let back = d.fields_t.dot(&ArrayView1::from(&masked[..]));
            let mut out: Vec<f64> = back
                .iter()
                .zip(v)
                .map(|(&b, &x)| b as f64 + epsilon * x)
                .collect();
            if let Some(prior) = &d.smoothness {
                prior.apply_add(v, &mut out, smooth_scale);
            }
            for (o, (b, &x)) in out.iter_mut().zip(bounds.iter().zip(v)) {
                if b.is_some() {
                    *o += bound_weight * x;
                }
            }
            out
        };
        let t: Vec<f32> = rows.iter().map(|r| r.unwrap_or(0.0)).collect();
        let b: Vec<f64> = d
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
        let factor = d.preconditioner(bounded);
        let mut z = factor.solve(&r);
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
            z = factor.solve(&r);
            let rz_new: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
            let beta = rz_new / rz;
            rz = rz_new;
            for k in 0..n {
                p[k] = z[k] + beta * p[k];
            }
        }
        Ok(x.into_iter().map(|v| v as f32).collect())
    }
}
