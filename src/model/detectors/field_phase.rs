//! The field phase of a learned bank (SPEC §4, `Learned`): the receptive fields learn
//! for the first `field_steps` steps of a run, then freeze while the recurrent graph
//! learns. [`super::Simulation`] owns one [`LearnedFields`] per learned bank and asks
//! it for the current bank; the learning rule itself is in [`crate::model::learned_bank`].

use ndarray::Array2;

use crate::model::config::{ConfigError, SimConfig};
use crate::model::detectors::Bank;
use crate::model::learned_bank::{self, FieldLearner, FieldLearnerParts, LearnedParams};

/// A learned bank's learning state, its parameters and its state at step 0 (for reset).
#[derive(Clone, Debug)]
pub(crate) struct LearnedFields {
    params: LearnedParams,
    learner: FieldLearner,
    initial: FieldLearner,
    /// Stored neuron → detector (`2 · filter + polarity`).
    order: Vec<usize>,
    /// Increments whenever the fields change.
    version: u64,
}

impl LearnedFields {
    /// The field learning of `config`'s bank, `None` when the bank is not learned.
    pub(crate) fn of(config: &SimConfig) -> Result<Option<Self>, ConfigError> {
        let Some(params) = LearnedParams::of(&config.bank) else {
            return Ok(None);
        };
        let learner = FieldLearner::new(&params, config.space, &config.stimulus.kind, config.seed)?;
        Ok(Some(Self {
            params,
            initial: learner.clone(),
            learner,
            order: learned_bank::hidden_detector_order(params.filters, params.on_off, config.seed),
            version: 0,
        }))
    }

    /// The bank of the current fields, in the hidden stored order.
    pub(crate) fn bank(&self, config: &SimConfig) -> Bank {
        learned_bank::assemble_bank(config.space, &self.learner.pixel_filters(), &self.order)
    }

    /// Steps of the field phase.
    pub(crate) fn field_steps(&self) -> u64 {
        self.params.field_steps
    }

    /// Replaces the learner by its saved form, checking that it took as many updates
    /// as a run stopped at `step` has taken.
    pub(crate) fn restore(
        &mut self,
        parts: FieldLearnerParts,
        pixels: usize,
        step: u64,
    ) -> Result<(), ConfigError> {
        let learner = FieldLearner::from_parts(parts, pixels, self.params.filters)?;
        let expected = step.min(self.params.field_steps);
        if learner.updates() != expected {
            return Err(ConfigError::Inconsistent(format!(
                "the saved fields had {} updates; step {step} implies {expected}",
                learner.updates()
            )));
        }
        self.learner = learner;
        Ok(())
    }

    /// One update of the fields from the batch of step `step`.
    pub(crate) fn learn(&mut self, stimuli: &Array2<f32>, step: u64) {
        self.learner
            .learn(stimuli.view(), self.params.rate_at(step));
    }

    /// Marks the fields as changed (the bank was rebuilt from them).
    pub(crate) fn bump_version(&mut self) {
        self.version += 1;
    }

    /// Changes whenever the fields change.
    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    /// The saved form of the learner.
    pub(crate) fn parts(&self) -> FieldLearnerParts {
        self.learner.parts()
    }

    /// Back to the fields of step 0.
    pub(crate) fn reset(&mut self) {
        self.learner = self.initial.clone();
    }
}
