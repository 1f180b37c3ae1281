//! The `audio-pitch` preset (SPEC §8): pitch on a log-frequency axis.

use crate::model::config::{
    Activation, BankConfig, KernelFamily, LearningRule, SimConfig, Space, StimulusConfig,
    StimulusKind, Transformation,
};

/// Bins per octave of the preset's axis (semitones).
pub const BINS_PER_OCTAVE: usize = 12;

/// Bins of the preset's axis: four octaves from A2 (110 Hz) to G#6.
pub const BINS: usize = 48;

/// Default training of `audio-pitch` (steps of [`BATCH`] tones).
pub const STEPS: u64 = 400;

/// Tones per step.
pub const BATCH: usize = 50;

/// The `audio-pitch` configuration: a 48-bin semitone axis from 110 Hz, tones of up to 8
/// harmonics with a little vibrato and noise, 4 random kernels of 3 bins tiled along the
/// open axis (M = 184), Hebb, shift by one bin as the true transformation.
pub fn audio_pitch() -> SimConfig {
    SimConfig {
        space: Space::Line { n: BINS },
        stimulus: StimulusConfig {
            kind: StimulusKind::Sound {
                bins_per_octave: BINS_PER_OCTAVE,
                f_min: 110.0,
                max_harmonics: 8,
                noise: 0.05,
                vibrato_cents: 20.0,
            },
            sequence: None,
            data_dir: None,
        },
        bank: BankConfig::Tiled {
            kernels: 4,
            size: 3,
            stride: 1,
            family: KernelFamily::Random,
        },
        activation: Activation::Relu,
        threshold: 0.0,
        k_winners: None,
        rule: LearningRule::Hebb,
        learning_rate: 0.01,
        decay: 0.0,
        batch: BATCH,
        seed: 9,
        true_transformation: Transformation::Shift { k: 1 },
    }
}
