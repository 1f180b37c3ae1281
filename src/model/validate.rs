//! [`SimConfig::check`]: the one validation every front (GUI, CLI, file loading) goes through.

use super::config::{ConfigError, LearningRule, SimConfig, Transformation};
use super::{detectors, stimulus};

/// Largest batch size accepted.
pub const MAX_BATCH: usize = 65_536;

fn invalid(field: &'static str, reason: String) -> ConfigError {
    ConfigError::Invalid { field, reason }
}

impl SimConfig {
    /// Checks every field and their consistency; the error names the offending field.
    pub fn check(&self) -> Result<(), ConfigError> {
        self.space.validate()?;
        stimulus::validate_config(&self.stimulus, self.space)?;
        detectors::validate(&self.bank, self.space)?;
        if !self.threshold.is_finite() {
            return Err(invalid(
                "threshold",
                format!("must be finite, got {}", self.threshold),
            ));
        }
        if self.k_winners == Some(0) {
            return Err(invalid(
                "k_winners",
                "must be at least 1 (or absent)".into(),
            ));
        }
        if !(self.learning_rate.is_finite()
            && self.learning_rate > 0.0
            && self.learning_rate <= 1e6)
        {
            return Err(invalid(
                "learning_rate",
                format!("must be in (0, 1e6], got {}", self.learning_rate),
            ));
        }
        if !(self.decay.is_finite() && (0.0..1.0).contains(&self.decay)) {
            return Err(invalid(
                "decay",
                format!("must be in [0, 1), got {}", self.decay),
            ));
        }
        if self.batch == 0 || self.batch > MAX_BATCH {
            return Err(invalid(
                "batch",
                format!("must be in 1..={MAX_BATCH}, got {}", self.batch),
            ));
        }
        if self.rule == LearningRule::Temporal && self.stimulus.sequence.is_none() {
            return Err(ConfigError::Inconsistent(
                "the temporal rule needs sequences: set `stimulus.sequence`".into(),
            ));
        }
        match self.space.pixel_permutation(self.true_transformation) {
            None => {
                return Err(invalid(
                    "true_transformation",
                    format!(
                        "{} is not an exact transformation of this space",
                        self.true_transformation
                    ),
                ));
            }
            Some(p) if p.is_identity() || self.true_transformation == Transformation::Identity => {
                return Err(invalid(
                    "true_transformation",
                    "must not be the identity (its symmetry error is always 0)".into(),
                ));
            }
            Some(_) => {}
        }
        Ok(())
    }
}
