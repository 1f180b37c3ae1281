//! The sound world's stimulus: a log-frequency spectrum drawn over its axis, with the
//! octave marks at the C notes named (C3, C4, …) and every bin's note and frequency on
//! hover, so a tone's harmonics can be read off as notes ([`crate::figure::note_axis`]).

use egui_plot::{GridMark, Line, Plot, PlotPoints};

use crate::figure::note_axis::{NoteMark, describe_bin, mark_label, note_marks};
use crate::model::world::audio::LogFreqAxis;

/// Colour of the spectrum.
const SPECTRUM_COLOR: egui::Color32 = egui::Color32::from_rgb(40, 110, 200);

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
        .x_grid_spacer(move |input| {
            let (lo, hi) = input.bounds;
            note_marks(axis, lo, hi)
                .into_iter()
                .map(|m| GridMark {
                    value: m.bin,
                    step_size: m.step,
                })
                .collect()
        })
        .x_axis_formatter(move |mark, _| {
            let mark = NoteMark {
                bin: mark.value,
                step: mark.step_size,
            };
            mark_label(axis, mark)
        })
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
