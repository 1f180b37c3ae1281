//! Feature-detector banks (SPEC §4): receptive fields, labels, the hidden order,
//! activities, and the neuron permutations induced by pixel permutations.
//!
//! A detector `i` has a receptive field `f_i` over the pixels (zero-mean, unit-norm)
//! and responds `a_i = φ(⟨f_i, s⟩ − θ)`, optionally followed by k-winners-take-all.
//! Neurons are stored in a hidden, seeded random order; `canonical_index` maps a
//! stored index to its place in the label-sorted order and is used only for scoring
//! and the "ground-truth order" view.
//!
//! This file holds the bank itself and its construction; the families' layouts are in
//! `tiling.rs`, `random_fields.rs`, [`super::polar_bank`] and [`super::learned_bank`],
//! the response in `response.rs`, and the matching of moved fields in `field_match.rs`
//! and `ground_truth.rs`.

use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::detector::{Detector, first_duplicate};
use super::field_match::{FieldIndex, best_overlap_permutation};
use super::kernels::base_kernels;
use super::random_fields::{random_fields, validate_random};
use super::tiling::{tiled, validate_tiled};
use crate::model::config::{
    Activation, BankConfig, ConfigError, NeuronLabel, Space, Transformation,
};
use crate::perm::Permutation;

/// Largest number of detectors a bank may have (the weight matrix is `M × M`).
pub const MAX_NEURONS: usize = 16_384;

/// RNG stream of the bank's kernels / random fields (derived from the bank seed).
const STREAM_FIELDS: u64 = 1;
/// RNG stream of the hidden order.
const STREAM_ORDER: u64 = 2;

/// A detector bank in stored (hidden) order.
#[derive(Clone, Debug, PartialEq)]
pub struct Bank {
    /// Receptive fields, `M × pixels`, stored order; each row zero-mean and unit-norm.
    pub fields: Array2<f32>,
    /// Ground-truth labels, stored order (scoring and display only).
    pub labels: Vec<NeuronLabel>,
    /// `canonical_index[stored] = canonical`: where a stored neuron sits in the
    /// label-sorted order. This is the hidden order.
    pub canonical_index: Vec<usize>,
}

fn rng_for(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Checks a bank configuration against a space without building it.
pub fn validate(config: &BankConfig, space: Space) -> Result<(), ConfigError> {
    space.validate()?;
    match *config {
        BankConfig::Tiled {
            kernels,
            size,
            stride,
            ..
        } if space.is_polar() => {
            super::polar_bank::validate_tiled(space, kernels, size, stride, MAX_NEURONS)?;
        }
        BankConfig::Random { .. } if space.is_polar() => {
            return Err(ConfigError::Invalid {
                field: "bank.kind",
                reason: "the polar retina supports tiled banks only (random fields are not \
                         yet placed on the (ring, sector) grid)"
                    .into(),
            });
        }
        BankConfig::Tiled {
            kernels,
            size,
            stride,
            ..
        } => validate_tiled(space, kernels, size, stride, MAX_NEURONS)?,
        BankConfig::Learned { .. } => {
            if let Some(params) = super::learned_bank::LearnedParams::of(config) {
                super::learned_bank::validate(&params, space, MAX_NEURONS)?;
                if let Some(p) = params.kernel_size {
                    super::learned_conv::validate(&params, space, p, MAX_NEURONS)?;
                }
            }
        }
        BankConfig::Random { count, size } => validate_random(space, count, size, MAX_NEURONS)?,
    }
    Ok(())
}

impl Bank {
    /// Builds the bank for `space` from `config`; `seed` fixes the kernels (or random
    /// fields) and the hidden order.
    ///
    /// A learned bank is built as it stands at step 0, before any learning: seeded random
    /// filters over the whole space, each read out by an ON and an OFF detector
    /// ([`super::learned_bank`]); the simulation then learns the fields.
    pub fn build(config: &BankConfig, space: Space, seed: u64) -> Result<Bank, ConfigError> {
        validate(config, space)?;
        if let Some(params) = super::learned_bank::LearnedParams::of(config) {
            let pixels = params.filter_pixels(space);
            let initial = super::learned_bank::initial_filters(pixels, params.filters, seed);
            return Ok(match params.kernel_size {
                Some(p) => {
                    let m = super::learned_conv::detector_count(space, &params, p);
                    let order = super::learned_bank::shuffled(m, seed);
                    super::learned_conv::assemble(space, p, &initial, &order)
                }
                None => {
                    let order = super::learned_bank::hidden_detector_order(
                        params.filters,
                        params.on_off,
                        seed,
                    );
                    super::learned_bank::assemble_bank(space, &initial, &order)
                }
            });
        }
        let detectors = match *config {
            BankConfig::Tiled {
                kernels,
                size,
                stride,
                family,
            } => {
                let mut rng = rng_for(seed, STREAM_FIELDS);
                let bases = base_kernels(family, kernels, size, space.is_2d(), &mut rng)?;
                match crate::model::world::polar::PolarGrid::of(space) {
                    Some(grid) => super::polar_bank::tiled(&grid, &bases, size, stride)
                        .into_iter()
                        .map(|(field, label)| Detector { field, label })
                        .collect(),
                    None => tiled(space, &bases, size, stride),
                }
            }
            BankConfig::Random { count, size } => {
                let mut rng = rng_for(seed, STREAM_FIELDS);
                random_fields(space, count, size, &mut rng)?
            }
            BankConfig::Learned { .. } => Vec::new(),
        };
        let m = detectors.len();
        if let Some((a, b)) = first_duplicate(&detectors) {
            return Err(ConfigError::Inconsistent(format!(
                "detectors {a} and {b} (label order) have the same receptive field; \
                 choose kernels without symmetry under a half turn"
            )));
        }
        let mut canonical_index: Vec<usize> = (0..m).collect();
        canonical_index.shuffle(&mut rng_for(seed, STREAM_ORDER));
        let pixels = space.pixels();
        let mut fields = Array2::<f32>::zeros((m, pixels));
        let mut labels = Vec::with_capacity(m);
        for (stored, &canonical) in canonical_index.iter().enumerate() {
            let d = &detectors[canonical];
            fields
                .row_mut(stored)
                .iter_mut()
                .zip(&d.field)
                .for_each(|(o, &v)| *o = v);
            labels.push(d.label);
        }
        Ok(Bank {
            fields,
            labels,
            canonical_index,
        })
    }

    /// Number of detectors `M`.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True for a bank without detectors.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Number of input pixels.
    pub fn pixels(&self) -> usize {
        self.fields.ncols()
    }

    /// The hidden order as a permutation from stored to canonical index.
    pub fn hidden_order(&self) -> Option<Permutation> {
        Permutation::from_images(self.canonical_index.clone()).ok()
    }

    /// Activities `B × M` for stimuli `B × pixels`: drive `⟨f_i, s⟩` by one matrix
    /// product, then `φ(drive − θ)`, then, if `k_winners = Some(k)`, k-winners-take-all per
    /// row: the `k` detectors with the largest drive keep their activity, the rest are
    /// zeroed (ties broken by lower stored index). Stimuli with the wrong number of
    /// pixels give all-zero activities; use [`Bank::try_activities`] for an error.
    pub fn activities(
        &self,
        stimuli: ArrayView2<f32>,
        activation: Activation,
        threshold: f32,
        k_winners: Option<usize>,
    ) -> Array2<f32> {
        self.try_activities(stimuli, activation, threshold, k_winners)
            .unwrap_or_else(|_| Array2::zeros((stimuli.nrows(), self.len())))
    }

    /// [`Bank::activities`], with an error if the stimuli have the wrong number of pixels.
    pub fn try_activities(
        &self,
        stimuli: ArrayView2<f32>,
        activation: Activation,
        threshold: f32,
        k_winners: Option<usize>,
    ) -> Result<Array2<f32>, ConfigError> {
        super::response::activities(
            self.fields.view(),
            stimuli,
            activation,
            threshold,
            k_winners,
        )
    }

    /// The neuron permutation induced by a pixel permutation `P`: neuron `j = π(i)` iff
    /// `f_j = P f_i` (entries agreeing on a 1e-5 grid). `None` if the bank is not
    /// closed under `P`. Fields are matched by hashing, in `O(M · support)`.
    pub fn neuron_permutation(&self, pixel_perm: &Permutation) -> Option<Permutation> {
        FieldIndex::new(self.fields.view()).match_permutation(pixel_perm)
    }

    /// Every exact transformation of `space` (identity excluded) that the bank is
    /// closed under, with the neuron permutation it induces (stored order).
    ///
    /// Uses the group structure `translations ⋊ point group`: the point-group elements
    /// and the unit translations are matched directly; the rest are composed.
    pub fn ground_truth(&self, space: Space) -> Vec<(Transformation, Permutation)> {
        super::ground_truth::ground_truth(self.fields.view(), space)
    }

    /// The best neuron permutation for a pixel permutation when no exact one exists
    /// (random banks): greedily pairs `i` with the neuron `j` whose field overlaps most
    /// with `P f_i` (largest `⟨f_j, P f_i⟩` first); leftovers are paired in index order.
    /// Equals [`Bank::neuron_permutation`] when the bank is closed under `P`.
    pub fn best_neuron_permutation(&self, pixel_perm: &Permutation) -> Option<Permutation> {
        if let Some(exact) = self.neuron_permutation(pixel_perm) {
            return Some(exact);
        }
        if pixel_perm.len() != self.pixels() {
            return None;
        }
        let map: Vec<Option<usize>> = (0..pixel_perm.len())
            .map(|p| Some(pixel_perm.image(p)))
            .collect();
        self.best_overlap_permutation(&map)
    }

    /// [`Bank::best_neuron_permutation`] for a *partial* pixel map (`map[p] = None`: pixel
    /// `p` leaves the retina), as for the polar retina's zoom: the moved fields lose what
    /// falls off, and each neuron is paired greedily by largest overlap as before.
    pub fn best_overlap_permutation(&self, map: &[Option<usize>]) -> Option<Permutation> {
        best_overlap_permutation(self.fields.view(), map)
    }
}
