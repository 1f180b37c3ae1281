//! Live plots of the learning run: the symmetry error of the true transformation
//! against stimuli seen (log–log, with the random-permutation baseline and a 1/√N
//! guide), ‖W‖ and the mean activity.

use egui::Color32;
use egui_plot::{Legend, Line, LineStyle, Plot, PlotPoints};

use crate::app::views::theme::legible_line_color;
use crate::figure::axis::log_grid_marks;
use crate::figure::learning_curves::{log_log_points, sqrt_guide};
use crate::figure::views::{BASELINE_RGB, TRUE_RGB};
use crate::model::MetricsRecord;

/// Colour of the true-transformation error (viridis blue, distinguishable from orange;
/// the exported figures' [`TRUE_RGB`]).
pub const TRUE_COLOR: Color32 = Color32::from_rgb(TRUE_RGB[0], TRUE_RGB[1], TRUE_RGB[2]);
/// Colour of the random baseline (orange; a colour-blind-safe pair with blue; the
/// exported figures' [`BASELINE_RGB`]).
pub const BASELINE_COLOR: Color32 =
    Color32::from_rgb(BASELINE_RGB[0], BASELINE_RGB[1], BASELINE_RGB[2]);

/// At most `max` points, evenly thinned (long runs have millions of records); the
/// figures thin the same way.
pub use crate::figure::views::thin;

/// Tick label of a log10 axis value: the number itself (`300`, `0.020`), or `1e-5`
/// style outside a readable range (the same labels as the exported figures).
pub use crate::figure::axis::pow10_label;

/// Grid marks of a log10 axis: decades (labelled), and 2× / 5× in between
/// ([`crate::figure::axis::log_grid_marks`]).
pub fn decade_spacer(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let (lo, hi) = input.bounds;
    log_grid_marks(lo, hi)
        .into_iter()
        .map(|(value, step_size)| egui_plot::GridMark { value, step_size })
        .collect()
}

/// A log–log plot of an error against stimuli seen (axes in decades, the legend at the
/// bottom left, a hover label naming the curve and `value_name` at the point), not
/// scrolled by the mouse wheel: the learning-curve and comparison views share it.
pub fn log_log_plot<'a>(id: &str, height: f32, value_name: &'a str) -> Plot<'a> {
    Plot::new(id)
        .height(height)
        .legend(Legend::default().position(egui_plot::Corner::LeftBottom))
        .x_grid_spacer(decade_spacer)
        .y_grid_spacer(decade_spacer)
        .x_axis_label("stimuli seen")
        .y_axis_label(value_name)
        .x_axis_formatter(|m, _| pow10_label(m.value))
        .y_axis_formatter(|m, _| pow10_label(m.value))
        .label_formatter(move |hover| {
            let (name, p) = match hover {
                egui_plot::HoverPosition::NearDataPoint {
                    plot_name,
                    position,
                    ..
                } => (*plot_name, position),
                egui_plot::HoverPosition::Elsewhere { position } => ("", position),
            };
            Some(format!(
                "{name}\n{} stimuli\n{value_name} {:.4}",
                pow10_label(p.x),
                10f64.powf(p.y)
            ))
        })
        .allow_scroll(false)
}

/// The central plot: `e_g` and the baseline against stimuli seen, log–log.
pub fn symmetry_error_ui(ui: &mut egui::Ui, history: &[MetricsRecord], height: f32) {
    ui.label(egui::RichText::new("Symmetry error of the true transformation").strong())
        .on_hover_text("e_g = ||W − P_g W P_g^T|| / ||W||. Invariant stimuli make it fall like 1/√N (slope −½ here); the orange line is the same error for a random permutation.");
    let truth = thin(log_log_points(history, |r| r.symmetry_error_true), 2000);
    let baseline = thin(log_log_points(history, |r| r.symmetry_error_random), 2000);
    let guide = sqrt_guide(
        truth.first().copied(),
        truth.last().map_or(f64::NEG_INFINITY, |b| b[0]),
    );
    let baseline_color = legible_line_color(BASELINE_COLOR, ui.visuals().dark_mode);
    log_log_plot("symmetry-error", height, "error").show(ui, |plot| {
        plot.line(
            Line::new("true transformation e_g", PlotPoints::new(truth))
                .color(TRUE_COLOR)
                .width(2.5),
        );
        plot.line(
            Line::new("random permutation", PlotPoints::new(baseline))
                .color(baseline_color)
                .width(2.0),
        );
        if !guide.is_empty() {
            plot.line(
                Line::new("1/√N guide", PlotPoints::new(guide))
                    .color(Color32::GRAY)
                    .style(LineStyle::dashed_loose())
                    .width(1.5),
            );
        }
    });
}

/// A small linear plot of one metric against stimuli seen.
pub fn metric_ui(
    ui: &mut egui::Ui,
    id: &str,
    title: &str,
    tooltip: &str,
    history: &[MetricsRecord],
    y: impl Fn(&MetricsRecord) -> f64,
    height: f32,
) {
    ui.label(egui::RichText::new(title).strong())
        .on_hover_text(tooltip);
    let points: Vec<[f64; 2]> = history
        .iter()
        .map(|r| [r.stimuli as f64, y(r)])
        .filter(|p| p[1].is_finite())
        .collect();
    let points = thin(points, 2000);
    Plot::new(id)
        .height(height)
        .x_axis_label("stimuli seen")
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.line(
                Line::new(title, PlotPoints::new(points))
                    .color(TRUE_COLOR)
                    .width(2.0),
            );
        });
}

/// ‖W‖ and the mean activity side by side, `height` points tall.
pub fn metrics_row_ui(ui: &mut egui::Ui, history: &[MetricsRecord], height: f32) {
    ui.columns(2, |cols| {
        let small = height;
        metric_ui(
            &mut cols[0],
            "weight-norm",
            "||W|| (Frobenius norm)",
            "Total synaptic weight; with decay λ it saturates near (η/λ)·||E[a a^T]||.",
            history,
            |r| r.weight_norm,
            small,
        );
        metric_ui(
            &mut cols[1],
            "mean-activity",
            "Mean activity",
            "Average detector activity over the last batch of stimuli.",
            history,
            |r| r.mean_activity,
            small,
        );
    });
}
