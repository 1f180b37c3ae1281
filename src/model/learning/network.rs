//! The network a configuration builds, and what it has learned: the detector bank (with
//! the field learner of a learned bank), the recurrent weights, and the permutations the
//! weights are scored against. A [`super::Simulation`] drives it step by step and
//! reads through to it, so `sim.weights()` or `sim.labels()` are this type's.

use ndarray::{Array1, Array2};

use super::scoring_truth::{random_permutation, true_permutation_of};
use crate::cancel::CancelToken;
use crate::model::config::{ConfigError, NeuronLabel, SimConfig};
use crate::model::detectors::Bank;
use crate::model::detectors::field_phase::LearnedFields;
use crate::model::detectors::learned_bank::FieldLearnerParts;
use crate::model::learning::HebbianState;
use crate::perm::Permutation;

/// The configured network and its learned state.
#[derive(Clone, Debug)]
pub struct Network {
    config: SimConfig,
    bank: Bank,
    /// The field learning of a learned bank (`None` for fixed banks).
    learned: Option<LearnedFields>,
    true_permutation: Permutation,
    random_permutation: Permutation,
    /// The neurons the symmetry errors and consistency count (`None`: all); on an open
    /// line, the interior (`crate::model::detectors::line_space`).
    scored: Option<Vec<bool>>,
    state: HebbianState,
}

impl Network {
    /// Builds the bank, hidden order and zero weights from a checked config.
    pub(super) fn build(config: SimConfig) -> Result<Self, ConfigError> {
        let learned = LearnedFields::of(&config)?;
        let bank = match &learned {
            Some(l) => l.bank(&config),
            None => Bank::build(&config.bank, config.space, config.seed)?,
        };
        let true_permutation = true_permutation_of(&config, &bank)?;
        let line_shift =
            crate::model::detectors::line_space::shift_size(config.true_transformation);
        let scored = crate::model::detectors::line_space::interior(&bank, config.space, line_shift);
        let random_permutation = random_permutation(&config, bank.len())?;
        Ok(Self {
            state: HebbianState::new(bank.len()),
            config,
            bank,
            learned,
            true_permutation,
            random_permutation,
            scored,
        })
    }

    /// Puts back a learned bank's saved field learner (`fields`, required exactly for
    /// learned banks) as it was after `step` steps, then the saved weights `state`.
    pub(super) fn restore(
        &mut self,
        fields: Option<FieldLearnerParts>,
        state: HebbianState,
        step: u64,
    ) -> Result<(), ConfigError> {
        match (&mut self.learned, fields) {
            (Some(l), Some(parts)) => {
                let pixels = l.filter_pixels(&self.config);
                l.restore(parts, pixels, step)?;
                self.refresh_bank();
                self.true_permutation = true_permutation_of(&self.config, &self.bank)?;
            }
            (Some(_), None) => {
                return Err(ConfigError::Inconsistent(
                    "a learned bank needs its saved fields".into(),
                ));
            }
            (None, Some(_)) => {
                return Err(ConfigError::Inconsistent(
                    "saved learned fields, but the bank is not learned".into(),
                ));
            }
            (None, None) => {}
        }
        if state.neurons() != self.neurons() {
            return Err(ConfigError::Inconsistent(format!(
                "the saved state has {} neurons, the config builds {}",
                state.neurons(),
                self.neurons()
            )));
        }
        self.state = state;
        Ok(())
    }

    /// The configuration.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// The recurrent weights, for a step to update.
    pub(super) fn state_mut(&mut self) -> &mut HebbianState {
        &mut self.state
    }

    /// Activities of the detectors for stimuli `B × pixels`.
    pub(super) fn activities(&self, stimuli: &Array2<f32>) -> Array2<f32> {
        self.bank.activities(
            stimuli.view(),
            self.config.activation,
            self.config.threshold,
            self.config.k_winners,
        )
    }

    /// [`Network::activities`] in blocks of rows with a look at `cancel` between them
    /// ([`crate::model::learning::step_cancel`]); `None` if it was cancelled.
    pub(super) fn activities_unless(
        &self,
        stimuli: &Array2<f32>,
        cancel: Option<&CancelToken>,
    ) -> Option<Array2<f32>> {
        crate::model::learning::step_cancel::activities(
            &self.bank,
            stimuli.view(),
            (
                self.config.activation,
                self.config.threshold,
                self.config.k_winners,
            ),
            cancel,
        )
    }

    /// One step of the field phase: the learner sees `stimuli` at `step` and the bank
    /// is rebuilt from its filters.
    pub(super) fn learn_fields(&mut self, stimuli: &Array2<f32>, step: u64) {
        if let Some(l) = &mut self.learned {
            l.learn(&self.config, stimuli, step);
        }
        self.refresh_bank();
    }

    /// Matches the true transformation to the current fields again (the end of a field
    /// phase); an error leaves the last match.
    pub(super) fn rematch_true_permutation(&mut self) -> Result<(), ConfigError> {
        self.true_permutation = true_permutation_of(&self.config, &self.bank)?;
        Ok(())
    }

    /// Back to zero weights and, for a learned bank, to its initial fields (same bank
    /// and order otherwise).
    pub(super) fn reset(&mut self) {
        self.state.reset();
        if let Some(l) = &mut self.learned {
            l.reset();
        }
        if self.learned.is_some() {
            self.refresh_bank();
            // The initial fields matched at build time, so this cannot fail in practice;
            // if it did, the last match stays.
            let _ = self.rematch_true_permutation();
        }
    }

    /// Rebuilds the bank from the learner's current filters.
    fn refresh_bank(&mut self) {
        if let Some(l) = &mut self.learned {
            self.bank = l.bank(&self.config);
            l.bump_version();
        }
    }

    /// The receptive fields a snapshot carries: a learned bank's current ones.
    pub(super) fn changing_fields(&self) -> Option<Array2<f32>> {
        self.learned.as_ref().map(|_| self.bank.fields.clone())
    }

    /// Steps of the field phase (0 for banks that are not learned).
    pub fn field_steps(&self) -> u64 {
        self.learned.as_ref().map_or(0, |l| l.field_steps())
    }

    /// The saved form of the field learner (learned banks only).
    pub fn field_learner(&self) -> Option<FieldLearnerParts> {
        self.learned.as_ref().map(|l| l.parts())
    }

    /// Changes whenever the receptive fields change (0 for fixed banks).
    pub fn bank_version(&self) -> u64 {
        self.learned.as_ref().map_or(0, |l| l.version())
    }

    /// Number of detectors `M`.
    pub fn neurons(&self) -> usize {
        self.bank.len()
    }

    /// Materialised weights.
    pub fn weights(&self) -> Array2<f32> {
        self.state.weights()
    }

    /// Calls `f` with the rows of `W` (stored order, bit-identical to
    /// [`Network::weights`]) a block of whole rows at a time, without copying the
    /// matrix: what an export of a 1 GiB `W` streams.
    pub fn for_each_weight_row_block<E>(
        &self,
        mut f: impl FnMut(&[f32]) -> Result<(), E>,
    ) -> Result<(), E> {
        let scale = self.state.scale();
        let mut scaled = Vec::new();
        self.state.for_each_raw_row_block(|_, rows| {
            if scale == 1.0 {
                return f(rows);
            }
            scaled.clear();
            scaled.extend(rows.iter().map(|&w| (f64::from(w) * scale) as f32));
            f(&scaled)
        })
    }

    /// The learning state (raw buffers, decay scale, running means) — what experiment
    /// files persist for bit-exact continuation.
    pub fn learning_state(&self) -> &HebbianState {
        &self.state
    }

    /// The detector bank (fields, labels, hidden order).
    pub fn bank(&self) -> &Bank {
        &self.bank
    }

    /// Labels in stored order (scoring and display only).
    pub fn labels(&self) -> &[NeuronLabel] {
        &self.bank.labels
    }

    /// Receptive fields, M × pixels, stored order.
    pub fn fields(&self) -> &Array2<f32> {
        &self.bank.fields
    }

    /// The true transformation as a permutation of neurons in stored order (for a bank
    /// that is not closed under it, the best-overlap approximation).
    pub fn true_permutation(&self) -> &Permutation {
        &self.true_permutation
    }

    /// The neurons that symmetry errors and consistency count, `None` for all: on an open
    /// line, the interior for the true shift (`crate::model::detectors::line_space`).
    pub fn scored_neurons(&self) -> Option<&[bool]> {
        self.scored.as_deref()
    }

    /// The fixed, seeded random permutation used as the symmetry-error baseline.
    pub fn random_permutation(&self) -> &Permutation {
        &self.random_permutation
    }

    /// Node weights `d` (what the rule put on the diagonal; see the README's Model section).
    pub fn node_weights(&self) -> Array1<f32> {
        self.state.node_weights()
    }

    /// Activities of the detectors for one stimulus (stored order). A stimulus with the
    /// wrong number of pixels gives all-zero activities.
    pub fn encode(&self, stimulus: &[f32]) -> Vec<f32> {
        let m = self.neurons();
        let Ok(view) = ndarray::ArrayView2::from_shape((1, stimulus.len()), stimulus) else {
            return vec![0.0; m];
        };
        match self.bank.try_activities(
            view,
            self.config.activation,
            self.config.threshold,
            self.config.k_winners,
        ) {
            Ok(a) => a.row(0).to_vec(),
            Err(_) => vec![0.0; m],
        }
    }

    /// `count` seeded held-out stimuli (independent of the training stream).
    pub fn test_stimuli(&self, count: usize) -> Vec<Vec<f32>> {
        super::training_batch::test_stimuli(&self.config, count)
    }
}
