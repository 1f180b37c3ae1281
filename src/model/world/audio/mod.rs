//! The sound world (SPEC §3): harmonic tones synthesised in the crate, or excerpts of the
//! user's WAV files, turned into log-frequency spectra on a `Line` space, where a change
//! of pitch is a shift along the line.

pub mod axis;
pub mod harmonics;
pub mod preset;
pub mod resample;
pub mod spectrum;
pub mod synth;
pub mod wav;

use std::path::Path;

use rand::Rng;

use crate::model::config::{ConfigError, Space, StimulusKind};
pub use axis::{FRAME_LEN, LogFreqAxis, SAMPLE_RATE_HZ, nearest_note};
pub use spectrum::{FilterBank, filter_bank};
pub use synth::ToneParams;

/// The axis and tone parameters of a `sound` stimulus on `space`, checked: the space
/// must be a line.
pub fn parts(kind: &StimulusKind, space: Space) -> Result<(LogFreqAxis, ToneParams), ConfigError> {
    let StimulusKind::Sound {
        max_harmonics,
        noise,
        vibrato_cents,
        ..
    } = *kind
    else {
        return Err(ConfigError::Invalid {
            field: "stimulus.kind",
            reason: "not a sound stimulus".into(),
        });
    };
    let Space::Line { n } = space else {
        return Err(ConfigError::Invalid {
            field: "stimulus.kind",
            reason: "sound stimuli need a line space (the log-frequency axis)".into(),
        });
    };
    let axis = LogFreqAxis::of(kind, n).ok_or_else(|| ConfigError::Invalid {
        field: "stimulus.kind",
        reason: "not a sound stimulus".into(),
    })?;
    axis.check()?;
    let params = ToneParams {
        max_harmonics,
        noise,
        vibrato_cents,
    };
    params.check()?;
    Ok((axis, params))
}

/// One sound stimulus: a synthesised tone's spectrum, or (with `data_dir`) the spectrum
/// of an excerpt of the folder's WAV files.
pub fn sample(
    kind: &StimulusKind,
    space: Space,
    data_dir: Option<&Path>,
    rng: &mut impl Rng,
) -> Result<Vec<f32>, ConfigError> {
    let (axis, params) = parts(kind, space)?;
    let bank = filter_bank(axis)?;
    Ok(match data_dir {
        None => synth::tone_spectrum(&bank, &params, rng),
        Some(dir) => {
            let folder = wav::sound_folder(dir).map_err(ConfigError::from)?;
            wav::excerpt_spectrum(&bank, &folder, rng)
        }
    })
}
