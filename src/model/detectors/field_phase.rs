//! The field phase of a learned bank (SPEC §4, `Learned`): the receptive fields learn
//! for the first `field_steps` steps of a run, then freeze while the recurrent graph
//! learns. [`super::Simulation`] owns one [`LearnedFields`] per learned bank and asks
//! it for the current bank; the learning rule itself is in [`super::learned_bank`].

use ndarray::Array2;

use super::learned_bank::{self, FieldLearner, FieldLearnerParts, LearnedParams};
use super::learned_conv;
use crate::model::config::{ConfigError, SimConfig};
use crate::model::detectors::Bank;

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
        let (learner, order) = match params.kernel_size {
            Some(p) => {
                let windows = learned_conv::whitening_windows(config, p)?;
                let taps = learned_conv::taps(config.space, p);
                let initial = learned_bank::initial_filters(taps, params.filters, config.seed);
                let m = learned_conv::detector_count(config.space, &params, p);
                (
                    FieldLearner::from_samples(windows.view(), &initial)?,
                    learned_bank::shuffled(m, config.seed),
                )
            }
            None => (
                FieldLearner::new(&params, config)?,
                learned_bank::hidden_detector_order(params.filters, params.on_off, config.seed),
            ),
        };
        Ok(Some(Self {
            params,
            initial: learner.clone(),
            learner,
            order,
            version: 0,
        }))
    }

    /// The bank of the current fields, in the hidden stored order.
    pub(crate) fn bank(&self, config: &SimConfig) -> Bank {
        let filters = self.learner.pixel_filters();
        match self.params.kernel_size {
            Some(p) => learned_conv::assemble(config.space, p, &filters, &self.order),
            None => learned_bank::assemble_bank(config.space, &filters, &self.order),
        }
    }

    /// Pixels of one filter (the kernel's taps for shared kernels).
    pub(crate) fn filter_pixels(&self, config: &SimConfig) -> usize {
        self.params.filter_pixels(config.space)
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

    /// One update of the fields from the batch of step `step` (whole-retina fields), or
    /// from the step's windows (shared kernels, drawn here from the step's own seeds).
    pub(crate) fn learn(&mut self, config: &SimConfig, stimuli: &Array2<f32>, step: u64) {
        let rate = self.params.rate_at(step);
        match self.params.kernel_size {
            Some(p) => match learned_conv::step_windows(config, p, step) {
                Ok(windows) => self.learner.learn(windows.view(), rate),
                // `Simulation::new` drew from the same generator; an empty batch keeps the
                // update count aligned with the step count.
                Err(_) => self
                    .learner
                    .learn(Array2::<f32>::zeros((0, 0)).view(), rate),
            },
            None => self.learner.learn(stimuli.view(), rate),
        }
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
