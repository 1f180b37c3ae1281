//! The log-frequency axis of the sound world: bin `k` is centred at
//! `f_min · 2^(k / bins_per_octave)` Hz, so multiplying every frequency by
//! `2^(1/bins_per_octave)` (a pitch change) moves a spectrum by one bin.

use crate::model::config::{ConfigError, StimulusKind};

/// Rate at which every sound is synthesised or resampled to, in Hz. 8 kHz puts the
/// Nyquist frequency (4 kHz) above five octaves from A2 (110 Hz).
pub const SAMPLE_RATE_HZ: f64 = 8000.0;

/// Samples per analysed excerpt (1.024 s at 8 kHz). Its frequency resolution, 0.98 Hz per
/// FFT bin, keeps a semitone (6.5 Hz at 110 Hz) several FFT bins wide at the bottom of
/// the axis, so the log-spaced filters stay close to shift-equivariant there.
pub const FRAME_LEN: usize = 8192;

/// Highest centre frequency allowed, as a fraction of the Nyquist frequency: the top
/// filter's upper edge and the vibrato must stay below it.
const MAX_CENTRE_OF_NYQUIST: f64 = 0.85;

/// Lowest `f_min` accepted, in Hz: below it a bin is narrower than the FFT resolution.
pub const MIN_F_MIN_HZ: f64 = 20.0;

/// A log-frequency axis (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogFreqAxis {
    /// Number of bins.
    pub bins: usize,
    /// Bins per octave.
    pub bins_per_octave: usize,
    /// Centre of bin 0, in Hz.
    pub f_min: f64,
}

impl LogFreqAxis {
    /// The axis of a `sound` stimulus on a line of `bins` samples; `None` for other kinds.
    pub fn of(kind: &StimulusKind, bins: usize) -> Option<Self> {
        match *kind {
            StimulusKind::Sound {
                bins_per_octave,
                f_min,
                ..
            } => Some(Self {
                bins,
                bins_per_octave,
                f_min: f64::from(f_min),
            }),
            _ => None,
        }
    }

    /// Centre frequency of (fractional) bin `k`, in Hz.
    pub fn centre_hz(&self, k: f64) -> f64 {
        self.f_min * (k / self.bins_per_octave as f64).exp2()
    }

    /// The (fractional) bin whose centre is `f_hz`.
    pub fn bin_of(&self, f_hz: f64) -> f64 {
        self.bins_per_octave as f64 * (f_hz / self.f_min).log2()
    }

    /// Number of octaves the axis spans.
    pub fn octaves(&self) -> f64 {
        self.bins as f64 / self.bins_per_octave as f64
    }

    /// Checks the axis: 4..=48 bins per octave, `f_min ≥ 20 Hz`, and the top bin's upper
    /// edge below 85 % of the Nyquist frequency.
    pub fn check(&self) -> Result<(), ConfigError> {
        if !(4..=48).contains(&self.bins_per_octave) {
            return Err(ConfigError::Invalid {
                field: "stimulus.bins_per_octave",
                reason: format!("must be in 4..=48, got {}", self.bins_per_octave),
            });
        }
        if !(self.f_min.is_finite() && self.f_min >= MIN_F_MIN_HZ) {
            return Err(ConfigError::Invalid {
                field: "stimulus.f_min",
                reason: format!("must be at least {MIN_F_MIN_HZ} Hz, got {}", self.f_min),
            });
        }
        let top = self.centre_hz(self.bins as f64);
        let limit = MAX_CENTRE_OF_NYQUIST * SAMPLE_RATE_HZ / 2.0;
        if top > limit {
            return Err(ConfigError::Inconsistent(format!(
                "the log-frequency axis reaches {top:.0} Hz ({} bins from {} Hz at {} per \
                 octave); sounds are analysed at {SAMPLE_RATE_HZ} Hz, so at most {limit:.0} Hz: \
                 lower space.n, stimulus.f_min or raise stimulus.bins_per_octave",
                self.bins, self.f_min, self.bins_per_octave
            )));
        }
        Ok(())
    }
}

/// Note names with sharps, from C.
const NOTE_NAMES: [&str; 12] = [
    "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B",
];

/// The nearest equal-tempered note to `f_hz` (A4 = 440 Hz), e.g. "A4", "C#5", with the
/// deviation in cents (−50..50). `None` for frequencies that are not positive.
pub fn nearest_note(f_hz: f64) -> Option<(String, f64)> {
    if !(f_hz.is_finite() && f_hz > 0.0) {
        return None;
    }
    // MIDI number: A4 = 69.
    let midi = 69.0 + 12.0 * (f_hz / 440.0).log2();
    let nearest = midi.round();
    let cents = 100.0 * (midi - nearest);
    let n = nearest as i64;
    let name = NOTE_NAMES[n.rem_euclid(12) as usize];
    let octave = n.div_euclid(12) - 1;
    Some((format!("{name}{octave}"), cents))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_named_from_a440() {
        assert_eq!(nearest_note(440.0).unwrap().0, "A4");
        assert_eq!(nearest_note(261.63).unwrap().0, "C4");
        assert_eq!(nearest_note(110.0).unwrap().0, "A2");
        assert_eq!(nearest_note(277.18).unwrap().0, "C#4");
        let (_, cents) = nearest_note(440.0 * (0.25f64 / 12.0).exp2()).unwrap();
        assert!((cents - 25.0).abs() < 1e-6);
        assert!(nearest_note(0.0).is_none());
    }

    #[test]
    fn a_bin_is_a_fixed_frequency_ratio() {
        let axis = LogFreqAxis {
            bins: 48,
            bins_per_octave: 12,
            f_min: 110.0,
        };
        assert!((axis.centre_hz(12.0) - 220.0).abs() < 1e-9);
        assert!((axis.bin_of(440.0) - 24.0).abs() < 1e-9);
        assert!(axis.check().is_ok());
        let too_high = LogFreqAxis { bins: 72, ..axis };
        assert!(too_high.check().is_err());
    }
}
