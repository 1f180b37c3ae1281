//! The learned detector bank (SPEC §4, `Learned`): receptive fields learned from the
//! stimuli by a Hebbian ICA rule, then read out by ON and OFF detectors.
//!
//! **Rule.** Stimuli `x` are centred (their spatial mean removed, so every field is
//! zero-mean) and whitened, `z = V x`, with `V = Λ^{-1/2} Uᵀ` from the PCA of
//! [`WHITENING_SAMPLES`] seeded stimuli (directions with variance below
//! [`RANK_TOLERANCE`] of the largest are dropped). Each filter `w_i` (a row of the
//! unmixing matrix `W`, `K × k`) then follows the nonlinear Hebbian rule of Hyvärinen &
//! Oja (1998), the online form of FastICA with the contrast `G = log cosh`:
//!
//! ```text
//! y = W z,   w_i ← w_i − η_t · ⟨z · tanh(y_i)⟩_batch,   W ← polar(W)
//! ```
//!
//! a Hebbian term (input `z` times a saturating function of the output) with the sign
//! that *lowers* `E[log cosh y_i]` at fixed variance, i.e. makes each output sparse
//! (super-Gaussian), as sparse coding and infomax do for natural signals. The sign is
//! fixed on purpose: the adaptive variant, which follows whichever way a projection
//! deviates from a Gaussian, sent some filters of the non-Gaussian ring world to its
//! sub-Gaussian optima — smooth, bimodal, unlocalised — since every pixel of
//! `erf(gain · g)` is itself sub-Gaussian; `polar(W)` is the
//! symmetric orthogonalisation `(WWᵀ)^{-1/2} W` that keeps the filters from collapsing
//! onto one component (for `K > k`, the scaled tight frame `√(K/k) · W (WᵀW)^{-1/2}`).
//! The rate decays as `η_t = η₀ / (1 + t/τ)`, `τ = field_steps / 4`. The pixel-space
//! field of filter `i` is `Vᵀ w_i`, normalised to unit norm.
//!
//! **Detectors.** A filter `f` and its negative respond to opposite contrasts and the
//! world is symmetric under `s ↦ −s`, so each filter is read out by two rectifying
//! detectors, `φ(⟨f, s⟩ − θ)` (ON) and `φ(⟨−f, s⟩ − θ)` (OFF): `M = 2K`. Without this the
//! arbitrary sign ICA gives each filter would break the bank's closure under shifts.
//!
//! **Phases.** The first `field_steps` steps of a run learn the fields (the recurrent
//! graph stays zero); from then on the fields are frozen and the graph learns. Step `t`
//! uses the batch of step `t` in either phase, so a run stopped, saved and resumed in
//! either phase continues bit for bit (the learner's state is part of the experiment
//! file).
//!
//! **Hidden order.** Stored neuron `s` is detector `order[s]` (filter `order[s] / 2`,
//! polarity `order[s] % 2`, 0 = ON), `order` a seeded shuffle. Labels (energy centroid,
//! nearest pixel, polarity as the kernel) and the label-sorted `canonical_index` are
//! recomputed from the fields whenever they change.
//!
//! **Where.** Fields over the whole retina on the ring, the torus and the square; with
//! `kernel_size`, small kernels learned from windows and shared by every position
//! (`super::learned_conv`, which uses this learner unchanged).

use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use super::kernels::normalise;
use super::sym_eigen::symmetric_eigen;
use super::tight_frame;
use crate::model::config::{BankConfig, ConfigError, NeuronLabel, SimConfig, Space};
use crate::model::detectors::Bank;
use crate::model::rng::{Purpose, derived_rng};

use super::learned_labels::label_of;
pub use super::learned_labels::{field_label, orientation};

/// Stimuli whose covariance defines the whitening (drawn once, seeded).
/// 32,768 rather than 4,096: the whitening's sampling error in the weak, high-frequency
/// directions shows in every field as a noise floor spread over the whole ring (about
/// 0.4 % of a field's energy at 4,096 samples, a third of it at 32,768), and that
/// floor, far from the centre, dominated the fields' spatial spread (2.1 px² against
/// 1.1 px²) and doubled the bank's closure defect.
pub const WHITENING_SAMPLES: usize = 32_768;

/// Whitening keeps the principal directions with variance above this fraction of the
/// largest; the rest (the spatial mean, numerically zero directions) are dropped.
pub const RANK_TOLERANCE: f64 = 1e-6;

/// RNG stream of the initial random filters (distinct from the tiled / random banks').
const STREAM_INITIAL: u64 = 11;
/// RNG stream of the hidden order.
const STREAM_ORDER: u64 = 12;

/// The parameters of a [`BankConfig::Learned`] bank.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LearnedParams {
    /// Number of filters `K`.
    pub filters: usize,
    /// ON and OFF detector per filter (`M = 2K`), or one sign-oriented detector (`M = K`).
    pub on_off: bool,
    /// Steps of the field phase.
    pub field_steps: u64,
    /// Initial learning rate `η₀`.
    pub rate: f32,
    /// Kernel size of a bank with shared kernels (`super::learned_conv`); `None` for
    /// fields over the whole retina.
    pub kernel_size: Option<usize>,
}

impl LearnedParams {
    /// The parameters of `config`, if it is a learned bank.
    pub fn of(config: &BankConfig) -> Option<Self> {
        match *config {
            BankConfig::Learned {
                filters,
                on_off,
                field_steps,
                rate,
                kernel_size,
            } => Some(Self {
                filters,
                on_off,
                field_steps,
                rate,
                kernel_size,
            }),
            _ => None,
        }
    }

    /// Pixels of one filter: the kernel's taps for a shared bank, the retina's pixels
    /// otherwise.
    pub fn filter_pixels(&self, space: Space) -> usize {
        match self.kernel_size {
            Some(p) if space.is_2d() => p * p,
            Some(p) => p,
            None => space.pixels(),
        }
    }

    /// The rate of update `t` (0-based): `η₀ / (1 + t/τ)`, `τ = max(field_steps / 4, 1)`.
    pub fn rate_at(&self, t: u64) -> f64 {
        let tau = (self.field_steps as f64 / 4.0).max(1.0);
        f64::from(self.rate) / (1.0 + t as f64 / tau)
    }
}

/// The state of the field learning: whitening and unmixing matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldLearner {
    /// `V` (`k × pixels`): whitened input `z = V (x − mean(x))`.
    whitening: Array2<f64>,
    /// `W` (`K × k`): one filter per row, in whitened coordinates.
    unmixing: Array2<f64>,
    /// Updates applied so far.
    updates: u64,
}

/// The saved form of a [`FieldLearner`] (what experiment files hold).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldLearnerParts {
    /// `V`, `k × pixels`.
    pub whitening: Array2<f64>,
    /// `W`, `K × k`.
    pub unmixing: Array2<f64>,
    /// Updates applied.
    pub updates: u64,
}

fn rng_for(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// `K` seeded random filters over all pixels, zero-mean and unit-norm: the fields at
/// step 0, before any learning.
pub fn initial_filters(pixels: usize, filters: usize, seed: u64) -> Array2<f32> {
    let mut rng = rng_for(seed, STREAM_INITIAL);
    let mut out = Array2::<f32>::zeros((filters, pixels));
    for mut row in out.axis_iter_mut(Axis(0)) {
        loop {
            let mut v: Vec<f32> = (0..pixels)
                .map(|_| StandardNormal.sample(&mut rng))
                .collect();
            if normalise(&mut v).is_some() {
                row.assign(&Array1::from(v));
                break;
            }
        }
    }
    out
}

/// The seeded hidden order: stored neuron `s` is detector `order[s]` — `2·filter +
/// polarity` with ON and OFF detectors, the filter itself without.
pub fn hidden_detector_order(filters: usize, on_off: bool, seed: u64) -> Vec<usize> {
    let per_filter = if on_off { 2 } else { 1 };
    shuffled(per_filter * filters, seed)
}

/// `0..m` in the seeded hidden order of a learned bank (stream 12 of the seed).
pub fn shuffled(m: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..m).collect();
    order.shuffle(&mut rng_for(seed, STREAM_ORDER));
    order
}

/// The bank of `filters` (`K × pixels`): ON and OFF detector of each, in the hidden
/// order, with labels and the label-sorted canonical order.
///
/// `order` has `2K` entries for ON and OFF detectors, `K` for one detector per filter,
/// whose sign is then [`orientation`]: ICA leaves the sign of each filter arbitrary, and
/// a bank closed under shifts needs the same sign at every position.
pub fn assemble_bank(space: Space, filters: &Array2<f32>, order: &[usize]) -> Bank {
    let pixels = filters.ncols();
    let m = order.len();
    let on_off = m == 2 * filters.nrows();
    let mut fields = Array2::<f32>::zeros((m, pixels));
    let mut labels = Vec::with_capacity(m);
    for (s, &d) in order.iter().enumerate() {
        let (filter, polarity) = if on_off { (d / 2, d % 2) } else { (d, 0) };
        let f = filters.row(filter);
        let values = f.as_slice().unwrap_or(&[]);
        let sign = match (on_off, polarity) {
            (true, 0) => 1.0,
            (true, _) => -1.0,
            (false, _) => orientation(space, values),
        };
        fields.row_mut(s).assign(&f.mapv(|v| sign * v));
        let label = label_of(space, values, polarity);
        labels.push(if on_off {
            label
        } else {
            NeuronLabel {
                kernel: None,
                ..label
            }
        });
    }
    let canonical_index = canonical_order(&labels);
    Bank {
        fields,
        labels,
        canonical_index,
    }
}

/// `canonical_index[stored]`: the rank of each neuron when sorted by its label
/// (position, then kernel, then centre, then stored index).
pub fn canonical_order(labels: &[NeuronLabel]) -> Vec<usize> {
    let m = labels.len();
    let mut ranked: Vec<usize> = (0..m).collect();
    ranked.sort_by(|&a, &b| {
        let (la, lb) = (&labels[a], &labels[b]);
        la.position
            .cmp(&lb.position)
            .then(la.kernel.cmp(&lb.kernel))
            .then(la.centre.0.total_cmp(&lb.centre.0))
            .then(la.centre.1.total_cmp(&lb.centre.1))
            .then(a.cmp(&b))
    });
    let mut canonical_index = vec![0; m];
    for (rank, &s) in ranked.iter().enumerate() {
        canonical_index[s] = rank;
    }
    canonical_index
}

/// Checks a learned bank's parameters against a space.
pub fn validate(
    params: &LearnedParams,
    space: Space,
    max_neurons: usize,
) -> Result<(), ConfigError> {
    if space.is_polar() || space.is_line() {
        return Err(ConfigError::invalid(
            "bank.kind",
            "learned banks need a ring, torus or square space".into(),
        ));
    }
    // Shared kernels are checked by `super::learned_conv::validate`.
    if params.kernel_size.is_none() {
        // More filters than pixels make an overcomplete tight frame (`super::tight_frame`);
        // the neuron limit bounds them.
        let per = if params.on_off { 2 } else { 1 };
        let max_filters = max_neurons / per;
        if params.filters == 0 || params.filters > max_filters {
            return Err(ConfigError::invalid(
                "bank.filters",
                format!(
                    "must be in 1..={max_filters} ({per} detector(s) per filter, at most \
                     {max_neurons} detectors), got {}",
                    params.filters
                ),
            ));
        }
    }
    if params.field_steps == 0 || params.field_steps > MAX_FIELD_STEPS {
        return Err(ConfigError::invalid(
            "bank.field_steps",
            format!(
                "must be in 1..={MAX_FIELD_STEPS}, got {}",
                params.field_steps
            ),
        ));
    }
    if !(params.rate.is_finite() && params.rate > 0.0 && params.rate <= 10.0) {
        return Err(ConfigError::invalid(
            "bank.rate",
            format!("must be in (0, 10], got {}", params.rate),
        ));
    }
    Ok(())
}

/// Most steps a field phase may take.
pub const MAX_FIELD_STEPS: u64 = 1_000_000;

/// Centres each row (removes its spatial mean), in f64.
fn centred(x: ArrayView2<f32>) -> Array2<f64> {
    let mut out = x.mapv(f64::from);
    for mut row in out.axis_iter_mut(Axis(0)) {
        let mean = row.mean().unwrap_or(0.0);
        row.mapv_inplace(|v| v - mean);
    }
    out
}

impl FieldLearner {
    /// The learner of a whole-retina bank: whitening from [`WHITENING_SAMPLES`] seeded
    /// stimuli of the world (from the user's folder when one is set), initial filters
    /// [`initial_filters`]. (Shared kernels whiten windows instead,
    /// `super::learned_conv::whitening_windows`.)
    pub fn new(params: &LearnedParams, config: &SimConfig) -> Result<Self, ConfigError> {
        let (space, seed) = (config.space, config.seed);
        let pixels = space.pixels();
        // Each sample has its own seeded stream, so drawing them in parallel gives the
        // same matrix as drawing them in order.
        let rows: Vec<Vec<f32>> = (0..WHITENING_SAMPLES)
            .into_par_iter()
            .map(|i| {
                let mut rng = derived_rng(seed, Purpose::Whitening, i as u64, 0);
                crate::model::world::stimulus::sample_config(&config.stimulus, space, &mut rng)
            })
            .collect::<Result<_, _>>()?;
        let mut samples = Array2::<f32>::zeros((WHITENING_SAMPLES, pixels));
        for (mut row, s) in samples.axis_iter_mut(Axis(0)).zip(rows) {
            if s.len() == pixels {
                row.assign(&Array1::from(s));
            }
        }
        let initial = initial_filters(pixels, params.filters, seed);
        Self::from_samples(samples.view(), &initial)
    }

    /// A learner whose whitening comes from `samples` (`N × pixels`) and whose filters
    /// start as `initial` (`K × pixels`, zero-mean). Used by [`FieldLearner::new`] and by
    /// tests on data with a known answer.
    pub fn from_samples(
        samples: ArrayView2<f32>,
        initial: &Array2<f32>,
    ) -> Result<Self, ConfigError> {
        let pixels = samples.ncols();
        if samples.nrows() < 2 || initial.ncols() != pixels || initial.nrows() == 0 {
            return Err(ConfigError::Inconsistent(format!(
                "field learning needs ≥ 2 samples and filters over the same {pixels} pixels"
            )));
        }
        let x = centred(samples);
        let cov = x.t().dot(&x) / samples.nrows() as f64;
        let (values, vectors) = symmetric_eigen(&cov)
            .ok_or_else(|| ConfigError::Inconsistent("the stimuli are not finite".into()))?;
        let largest = values.first().copied().unwrap_or(0.0);
        let k = values
            .iter()
            .take_while(|&&v| v > RANK_TOLERANCE * largest && v > 0.0)
            .count();
        if k == 0 {
            return Err(ConfigError::Inconsistent(
                "the stimuli do not vary; no field can be learned".into(),
            ));
        }
        let mut whitening = Array2::<f64>::zeros((k, pixels));
        // W0 = F0 U Λ^{1/2}, so that the pixel fields Vᵀ w start as the initial filters.
        let mut dewhiten = Array2::<f64>::zeros((pixels, k));
        for c in 0..k {
            let s = values[c].sqrt();
            for p in 0..pixels {
                whitening[[c, p]] = vectors[[p, c]] / s;
                dewhiten[[p, c]] = vectors[[p, c]] * s;
            }
        }
        let unmixing = initial.mapv(f64::from).dot(&dewhiten);
        Ok(Self {
            whitening,
            unmixing,
            updates: 0,
        })
    }

    /// Number of filters `K`.
    pub fn filters(&self) -> usize {
        self.unmixing.nrows()
    }

    /// Dimension `k` of the whitened input.
    pub fn whitened_dimension(&self) -> usize {
        self.whitening.nrows()
    }

    /// Updates applied so far.
    pub fn updates(&self) -> u64 {
        self.updates
    }

    /// One update on a batch of stimuli (`B × pixels`) with rate `rate`. A batch with the
    /// wrong number of pixels, or one that would make the filters non-finite, is ignored
    /// (the update count still advances, so the run stays aligned with its step count).
    pub fn learn(&mut self, stimuli: ArrayView2<f32>, rate: f64) {
        self.updates += 1;
        if stimuli.ncols() != self.whitening.ncols() || stimuli.nrows() == 0 {
            return;
        }
        let b = stimuli.nrows() as f64;
        let z = centred(stimuli).dot(&self.whitening.t()); // B × k
        let y = z.dot(&self.unmixing.t()); // B × K
        let post = y.mapv(|v| -v.tanh() * rate / b); // B × K
        let mut next = &self.unmixing + &post.t().dot(&z);
        if !tight_frame::polar(&mut next) {
            return;
        }
        tight_frame::equalise_rows(&mut next);
        self.unmixing = next;
    }

    /// The pixel-space filters (`K × pixels`): `Vᵀ w_i`, zero-mean and unit-norm.
    pub fn pixel_filters(&self) -> Array2<f32> {
        let raw = self.unmixing.dot(&self.whitening);
        let mut out = Array2::<f32>::zeros(raw.dim());
        for (mut o, r) in out.axis_iter_mut(Axis(0)).zip(raw.axis_iter(Axis(0))) {
            let mut v: Vec<f32> = r.iter().map(|&x| x as f32).collect();
            if normalise(&mut v).is_some() {
                o.assign(&Array1::from(v));
            }
        }
        out
    }

    /// The state to save.
    pub fn parts(&self) -> FieldLearnerParts {
        FieldLearnerParts {
            whitening: self.whitening.clone(),
            unmixing: self.unmixing.clone(),
            updates: self.updates,
        }
    }

    /// Rebuilds a learner from saved parts; shapes must fit `pixels` and `filters`.
    pub fn from_parts(
        parts: FieldLearnerParts,
        pixels: usize,
        filters: usize,
    ) -> Result<Self, ConfigError> {
        let k = parts.whitening.nrows();
        let ok = k >= 1
            && k <= pixels
            && parts.whitening.ncols() == pixels
            && parts.unmixing.dim() == (filters, k);
        if !ok {
            return Err(ConfigError::Inconsistent(format!(
                "saved field learner has shapes V {:?}, W {:?}; expected V k × {pixels}, \
                 W {filters} × k",
                parts.whitening.dim(),
                parts.unmixing.dim(),
            )));
        }
        let finite = parts
            .whitening
            .iter()
            .chain(parts.unmixing.iter())
            .all(|v| v.is_finite());
        if !finite {
            return Err(ConfigError::Inconsistent(
                "saved field learner holds a non-finite value".into(),
            ));
        }
        Ok(Self {
            whitening: parts.whitening,
            unmixing: parts.unmixing,
            updates: parts.updates,
        })
    }
}
