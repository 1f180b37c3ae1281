//! [`SimConfig::check`]: the one validation every front (GUI, CLI, file loading) goes through.
//!
//! Every number has a documented range that a real experiment could use (README, Model
//! section), not merely "finite": extreme but finite values (a threshold of −2⁶³, an
//! amplitude of 2⁶⁴) make training overflow, so they are refused here, with the range in
//! the message.

use crate::model::config::{ConfigError, LearningRule, SimConfig, StimulusKind, Transformation};
use crate::model::detectors;
use crate::model::detectors::MAX_NEURONS;
use crate::model::world::stimulus;

/// Largest batch size accepted.
pub const MAX_BATCH: usize = 65_536;

/// Range of the threshold `θ` (detector responses to unit-variance stimuli are O(1)).
pub const THRESHOLD_RANGE: (f32, f32) = (-100.0, 100.0);

/// Range of the learning rate `η`.
pub const LEARNING_RATE_RANGE: (f32, f32) = (1e-9, 100.0);

/// Largest weight decay `λ` per step (larger forgets almost everything every step).
pub const MAX_DECAY: f32 = 0.5;

/// Range of bump amplitudes.
pub const AMPLITUDE_RANGE: (f32, f32) = (1e-3, 100.0);

/// Smallest width, correlation length or thickness in pixels (a Gaussian narrower than
/// this is a delta on the pixel grid).
pub const MIN_LENGTH_PX: f32 = 0.05;

/// Range of the non-Gaussian gain.
pub const GAIN_RANGE: (f32, f32) = (1e-3, 100.0);

/// Smallest blob aspect ratio.
pub const MIN_ASPECT: f32 = 0.01;

/// `v` must lie in `[lo, hi]`.
fn check_in(field: &'static str, v: f32, (lo, hi): (f32, f32)) -> Result<(), ConfigError> {
    if (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(ConfigError::invalid(
            field,
            format!("must be in [{lo}, {hi}], got {v}"),
        ))
    }
}

/// Both ends of a `(low, high)` range must lie in `[lo, hi]` (their order is checked by
/// the generator's own validation).
fn check_pair_in(
    field: &'static str,
    (a, b): (f32, f32),
    bounds: (f32, f32),
) -> Result<(), ConfigError> {
    check_in(field, a, bounds)?;
    check_in(field, b, bounds)
}

/// The documented ranges of the stimulus numbers; lengths are bounded by the retina.
fn check_stimulus_ranges(kind: &StimulusKind, extent_px: f32) -> Result<(), ConfigError> {
    let length = (MIN_LENGTH_PX, extent_px);
    match *kind {
        StimulusKind::Bumps {
            width, amplitude, ..
        } => {
            check_pair_in("stimulus.width", width, length)?;
            check_pair_in("stimulus.amplitude", amplitude, AMPLITUDE_RANGE)
        }
        StimulusKind::SmoothNoise { length: l } => check_in("stimulus.length", l, length),
        StimulusKind::NonGaussian { length: l, gain } => {
            check_in("stimulus.length", l, length)?;
            check_in("stimulus.gain", gain, GAIN_RANGE)
        }
        StimulusKind::Blobs { width, aspect, .. } => {
            check_pair_in("stimulus.width", width, length)?;
            check_in("stimulus.aspect", aspect, (MIN_ASPECT, 1.0))
        }
        StimulusKind::Edges {
            length: l,
            thickness,
            ..
        } => {
            check_pair_in("stimulus.length", l, (MIN_LENGTH_PX, 2.0 * extent_px))?;
            check_in("stimulus.thickness", thickness, length)
        }
        StimulusKind::Bars { .. }
        | StimulusKind::ImagePatches
        | StimulusKind::RotatedPhotos { .. }
        // Checked against the axis by `crate::model::world::audio::parts`.
        | StimulusKind::Sound { .. } => Ok(()),
    }
}

impl SimConfig {
    /// Checks every field and their consistency; the error names the offending field.
    pub fn check(&self) -> Result<(), ConfigError> {
        self.space.validate()?;
        stimulus::validate_config(&self.stimulus, self.space)?;
        let extent_px = match self.space {
            crate::model::config::Space::Ring { n } | crate::model::config::Space::Line { n } => {
                n as f32
            }
            crate::model::config::Space::Torus { side }
            | crate::model::config::Space::Square { side } => side as f32,
            // Polar lengths are in retina units; the retina is `2 · r_max` across.
            crate::model::config::Space::Polar { r_max, .. } => 2.0 * r_max,
        };
        check_stimulus_ranges(&self.stimulus.kind, extent_px)?;
        detectors::validate(&self.bank, self.space)?;
        check_in("threshold", self.threshold, THRESHOLD_RANGE)?;
        if let Some(k) = self.k_winners
            && !(1..=MAX_NEURONS).contains(&k)
        {
            return Err(ConfigError::invalid(
                "k_winners",
                format!("must be in 1..={MAX_NEURONS} (or absent), got {k}"),
            ));
        }
        check_in("learning_rate", self.learning_rate, LEARNING_RATE_RANGE)?;
        check_in("decay", self.decay, (0.0, MAX_DECAY))?;
        if self.batch == 0 || self.batch > MAX_BATCH {
            return Err(ConfigError::invalid(
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
                return Err(ConfigError::invalid(
                    "true_transformation",
                    format!(
                        "{} is not an exact transformation of this space",
                        self.true_transformation
                    ),
                ));
            }
            Some(p) if p.is_identity() || self.true_transformation == Transformation::Identity => {
                return Err(ConfigError::invalid(
                    "true_transformation",
                    "must not be the identity (its symmetry error is always 0)".into(),
                ));
            }
            Some(_) => {}
        }
        // Last: the cost of one step is computed from the (now valid) sizes.
        crate::model::learning::step_cost::check(self)
    }
}
