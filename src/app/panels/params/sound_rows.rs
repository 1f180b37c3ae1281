//! The parameter rows of the sound world (the log-frequency line and its tones), kept
//! out of the parameter panel's own file.

use super::widgets::grid_row;
use crate::model::StimulusKind;

/// The stimulus chosen when the user switches to sound: the `audio-pitch` preset's.
pub fn default_kind() -> StimulusKind {
    crate::model::world::audio::preset::audio_pitch()
        .stimulus
        .kind
}

/// Axis and tone rows of a `sound` stimulus.
pub fn sound_rows(ui: &mut egui::Ui, kind: &mut StimulusKind) {
    let StimulusKind::Sound {
        bins_per_octave,
        f_min,
        max_harmonics,
        noise,
        vibrato_cents,
    } = kind
    else {
        return;
    };
    grid_row(
        ui,
        "    bins per octave",
        "Resolution of the log-frequency axis (12 = one bin per semitone).",
        bins_per_octave,
        4..=48,
        0.05,
    );
    grid_row(
        ui,
        "    lowest bin (Hz)",
        "Centre frequency of bin 0 (110 Hz = A2).",
        f_min,
        20.0..=2000.0,
        0.5,
    );
    grid_row(
        ui,
        "    max harmonics",
        "Each tone has 1 to this many harmonics, with amplitudes that fall with the harmonic number.",
        max_harmonics,
        1..=32,
        0.05,
    );
    grid_row(
        ui,
        "    noise",
        "Pink noise (equal power per octave) relative to the fundamental.",
        noise,
        0.0..=10.0,
        0.01,
    );
    grid_row(
        ui,
        "    vibrato (cents)",
        "Largest vibrato depth; each tone draws its own depth up to this.",
        vibrato_cents,
        0.0..=1200.0,
        0.5,
    );
}
