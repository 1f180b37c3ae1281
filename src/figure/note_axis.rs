//! The x axis of the sound world's spectrum: log-frequency bins marked at the notes of
//! the equal-tempered scale, the C notes named (C3, C4, …), and every bin's frequency
//! and nearest note for hover texts, so a tone's harmonics can be read off as notes.

use crate::model::world::audio::{LogFreqAxis, nearest_note};

/// A mark of the note axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NoteMark {
    /// Position in bins.
    pub bin: f64,
    /// Distance to the next mark of the same kind in bins: an octave at the C notes,
    /// a semitone elsewhere.
    pub step: f64,
}

/// The marks over `[lo, hi]` (in bins): every C as a major mark (step one octave), the
/// other notes of the equal-tempered scale as minor ones (step one semitone).
pub fn note_marks(axis: LogFreqAxis, lo: f64, hi: f64) -> Vec<NoteMark> {
    let per_semitone = axis.bins_per_octave as f64 / 12.0;
    // Bin of C0 (16.35 Hz); the C notes are an octave apart from there.
    let c0 = axis.bin_of(440.0 * (-57.0f64 / 12.0).exp2());
    let first = ((lo - c0) / per_semitone).ceil() as i64;
    let last = ((hi - c0) / per_semitone).floor() as i64;
    (first..=last)
        .map(|s| NoteMark {
            bin: c0 + s as f64 * per_semitone,
            step: if s.rem_euclid(12) == 0 {
                axis.bins_per_octave as f64
            } else {
                per_semitone
            },
        })
        .collect()
}

/// The label of a mark: the note name at the C marks, nothing elsewhere.
pub fn mark_label(axis: LogFreqAxis, mark: NoteMark) -> String {
    if mark.step < axis.bins_per_octave as f64 * 0.99 {
        return String::new();
    }
    nearest_note(axis.centre_hz(mark.bin))
        .map(|(name, _)| name)
        .unwrap_or_default()
}

/// Hover text for bin `x`: the frequency and the nearest note.
pub fn describe_bin(axis: LogFreqAxis, x: f64) -> String {
    let f = axis.centre_hz(x);
    match nearest_note(f) {
        Some((name, cents)) => format!("bin {x:.1}: {f:.1} Hz ≈ {name} {cents:+.0} ct"),
        None => format!("bin {x:.1}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_c_marks_are_named_and_fall_on_c() {
        let axis = LogFreqAxis {
            bins: 48,
            bins_per_octave: 12,
            f_min: 110.0,
        };
        let marks = note_marks(axis, 0.0, 47.0);
        let named: Vec<String> = marks
            .iter()
            .map(|m| mark_label(axis, *m))
            .filter(|s| !s.is_empty())
            .collect();
        // A2 is bin 0, so C3 is bin 3, C4 bin 15, C5 bin 27, C6 bin 39.
        assert_eq!(named, ["C3", "C4", "C5", "C6"]);
        assert!(describe_bin(axis, 24.0).contains("A4"));
    }
}
