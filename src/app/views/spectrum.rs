//! The sound world's stimulus: a log-frequency spectrum drawn over its axis, with the
//! octave marks at the C notes named (C3, C4, …) and every bin's note and frequency on
//! hover, so a tone's harmonics can be read off as notes.

use egui_plot::{GridInput, GridMark, Line, Plot, PlotPoints};

use crate::model::audio::{LogFreqAxis, nearest_note};

/// Colour of the spectrum.
const SPECTRUM_COLOR: egui::Color32 = egui::Color32::from_rgb(40, 110, 200);

/// The marks of the x axis (in bins): every C as a major mark, the other notes of the
/// equal-tempered scale as minor ones when the axis has whole semitone bins.
fn note_marks(axis: LogFreqAxis, input: &GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let per_semitone = axis.bins_per_octave as f64 / 12.0;
    // Bin of C0 (16.35 Hz); the C notes are an octave apart from there.
    let c0 = axis.bin_of(440.0 * (-57.0f64 / 12.0).exp2());
    let first = ((lo - c0) / per_semitone).ceil() as i64;
    let last = ((hi - c0) / per_semitone).floor() as i64;
    (first..=last)
        .map(|s| GridMark {
            value: c0 + s as f64 * per_semitone,
            step_size: if s.rem_euclid(12) == 0 {
                axis.bins_per_octave as f64
            } else {
                per_semitone
            },
        })
        .collect()
}

/// The label of a mark: the note name at the C marks, nothing elsewhere.
fn mark_label(axis: LogFreqAxis, mark: GridMark) -> String {
    if mark.step_size < axis.bins_per_octave as f64 * 0.99 {
        return String::new();
    }
    nearest_note(axis.centre_hz(mark.value))
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

/// Draws `values` (one per bin) as a spectrum over the note-labelled axis.
pub fn spectrum_ui(ui: &mut egui::Ui, id: &str, axis: LogFreqAxis, values: &[f32], height: f32) {
    let pts: Vec<[f64; 2]> = values
        .iter()
        .enumerate()
        .map(|(k, &v)| [k as f64, f64::from(v)])
        .collect();
    Plot::new(id)
        .height(height)
        .x_axis_label(
            "log frequency (notes; one bin = 1/{} octave)"
                .replace("{}", &axis.bins_per_octave.to_string()),
        )
        .y_axis_label("ln(1 + energy / floor)")
        .allow_scroll(false)
        .x_grid_spacer(move |input| note_marks(axis, &input))
        .x_axis_formatter(move |mark, _| mark_label(axis, mark))
        .label_formatter(move |hover| {
            let p = match hover {
                egui_plot::HoverPosition::NearDataPoint { position, .. }
                | egui_plot::HoverPosition::Elsewhere { position } => position,
            };
            Some(format!("{}\nlevel {:.2}", describe_bin(axis, p.x), p.y))
        })
        .show(ui, |p| {
            p.line(
                Line::new("spectrum", PlotPoints::new(pts))
                    .color(SPECTRUM_COLOR)
                    .width(2.0),
            )
        });
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
        let marks = note_marks(
            axis,
            &GridInput {
                bounds: (0.0, 47.0),
                base_step_size: 1.0,
            },
        );
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
