//! Equivariance error in the sense of the Topographic VAE paper (SPEC §7):
//! `e = mean_s ‖enc(g·s) − π·enc(s)‖ / ‖enc(s)‖` over held-out test stimuli.
//!
//! Which `g`: for a found permutation `π` ([`equivariance_error`]) it is the pixel map
//! that `π` itself induces ([`InducedMap`], pixel vote) — so the number measures how well
//! `π` acts like a transformation of the input, with no ground truth used. For the true
//! transformation ([`equivariance_error_of_true_transformation`]) `g` is the exact
//! pixel permutation of the configured transformation and `π` its neuron permutation.
//! Stimuli whose code is all zero are skipped (the ratio is undefined for them).

use ndarray::{Array2, ArrayView1};

use super::TransformError;
use super::decode::encode_rows;
use super::induced_map::InducedMap;
use crate::model::{SimConfig, Simulation};
use crate::perm::Permutation;

/// `mean ‖enc(g·s) − π·enc(s)‖ / ‖enc(s)‖` where `move_pattern` computes `g·s`.
/// Returns NaN when every stimulus has a zero code.
pub fn equivariance_error_with<F>(
    config: &SimConfig,
    fields: &Array2<f32>,
    pi: &Permutation,
    move_pattern: F,
    stimuli: &[Vec<f32>],
) -> Result<f64, TransformError>
where
    F: Fn(&[f32]) -> Result<Vec<f32>, TransformError>,
{
    EquivarianceProbe::new(config, fields, stimuli.to_vec())?.error_with(pi, move_pattern)
}

/// Held-out stimuli with their codes, encoded once and shared by the equivariance
/// errors of many permutations (the CLI measures one per search result).
pub struct EquivarianceProbe<'a> {
    config: &'a SimConfig,
    fields: &'a Array2<f32>,
    /// Stimuli with a non-zero code, each with its code and the code's norm.
    coded: Vec<(Vec<f32>, Vec<f32>, f64)>,
}

impl<'a> EquivarianceProbe<'a> {
    /// Encodes `stimuli`; those whose code is all zero are dropped (the ratio is
    /// undefined for them).
    pub fn new(
        config: &'a SimConfig,
        fields: &'a Array2<f32>,
        stimuli: Vec<Vec<f32>>,
    ) -> Result<Self, TransformError> {
        let codes = encode_rows(config, fields, rows(fields.ncols(), &stimuli)?.view())?;
        let coded = stimuli
            .into_iter()
            .zip(codes.rows())
            .filter_map(|(s, code)| {
                let norm = code.iter().map(|&a| (a as f64).powi(2)).sum::<f64>().sqrt();
                (norm > 0.0).then(|| (s, code.to_vec(), norm))
            })
            .collect();
        Ok(Self {
            config,
            fields,
            coded,
        })
    }

    /// The probe of `sim` over `test` of its held-out stimuli.
    pub fn of_simulation(sim: &'a Simulation, test: usize) -> Result<Self, TransformError> {
        Self::new(sim.config(), sim.fields(), sim.test_stimuli(test))
    }

    /// The error of `pi` with `move_pattern` computing `g·s`; NaN without stimuli.
    pub fn error_with<F>(&self, pi: &Permutation, move_pattern: F) -> Result<f64, TransformError>
    where
        F: Fn(&[f32]) -> Result<Vec<f32>, TransformError>,
    {
        super::check_len("permutation", self.fields.nrows(), pi.len())?;
        let moved: Vec<Vec<f32>> = self
            .coded
            .iter()
            .map(|(s, _, _)| move_pattern(s))
            .collect::<Result<_, _>>()?;
        let moved_codes = encode_rows(
            self.config,
            self.fields,
            rows(self.fields.ncols(), &moved)?.view(),
        )?;
        let mut total = 0.0;
        for ((_, code, norm), moved_code) in self.coded.iter().zip(moved_codes.rows()) {
            let permuted_code = pi.apply_to_vector(code);
            let diff = distance(moved_code, &permuted_code);
            total += diff / norm;
        }
        Ok(if self.coded.is_empty() {
            f64::NAN
        } else {
            total / self.coded.len() as f64
        })
    }

    /// The error of a found permutation `pi` of `sim`'s neurons, with `g` the pixel map
    /// `pi` induces; NaN if `pi` has the wrong size or no stimulus has a non-zero code.
    pub fn error_of_found(&self, sim: &Simulation, pi: &Permutation) -> f64 {
        match InducedMap::new(self.config.space, self.fields, sim.labels(), pi) {
            Ok(map) => self.error_of_map(pi, &map),
            Err(_) => f64::NAN,
        }
    }

    /// [`Self::error_of_found`] with the induced map already computed (the CLI also
    /// reports the map, and computing it is most of the cost).
    pub fn error_of_map(&self, pi: &Permutation, map: &InducedMap) -> f64 {
        self.error_with(pi, |s| map.apply(s)).unwrap_or(f64::NAN)
    }
}

/// The patterns as the rows of one matrix (all of length `pixels`).
fn rows(pixels: usize, patterns: &[Vec<f32>]) -> Result<Array2<f32>, TransformError> {
    let mut m = Array2::zeros((patterns.len(), pixels));
    for (mut row, p) in m.rows_mut().into_iter().zip(patterns) {
        super::check_len("stimulus", pixels, p.len())?;
        row.assign(&ArrayView1::from(p.as_slice()));
    }
    Ok(m)
}

/// Euclidean distance between two codes, summed in `f64`.
fn distance(a: ArrayView1<f32>, b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| ((x - y) as f64).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// Equivariance error of a found permutation `pi` of `sim`'s neurons over `test` held-out
/// stimuli, with `g` the pixel map `pi` induces (module docs). NaN if `pi` has the wrong
/// size or every test stimulus has a zero code.
pub fn equivariance_error(sim: &Simulation, pi: &Permutation, test: usize) -> f64 {
    EquivarianceProbe::of_simulation(sim, test)
        .map_or(f64::NAN, |probe| probe.error_of_found(sim, pi))
}
/// Equivariance error of the configured true transformation over `test` held-out
/// stimuli; `None` if it is not an exact pixel permutation of the space.
pub fn equivariance_error_of_true_transformation(sim: &Simulation, test: usize) -> Option<f64> {
    let config = sim.config();
    let g = config.space.pixel_permutation(config.true_transformation)?;
    let stimuli = sim.test_stimuli(test);
    equivariance_error_with(
        config,
        sim.fields(),
        sim.true_permutation(),
        |s| {
            super::check_len("stimulus", g.len(), s.len())?;
            Ok(g.apply_to_vector(s))
        },
        &stimuli,
    )
    .ok()
}
