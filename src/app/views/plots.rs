//! Live plots of the learning run: the symmetry error of the true transformation
//! against stimuli seen (log–log, with the random-permutation baseline and a 1/√N
//! guide), ‖W‖ and the mean activity.

use egui::Color32;
use egui_plot::{Legend, Line, LineStyle, Plot, PlotPoints};

use crate::app::views::theme::legible_line_color;
use crate::model::MetricsRecord;

/// Colour of the true-transformation error (viridis blue, distinguishable from orange).
pub const TRUE_COLOR: Color32 = Color32::from_rgb(0x31, 0x68, 0x8e);
/// Colour of the random baseline (orange; a colour-blind-safe pair with blue).
pub const BASELINE_COLOR: Color32 = Color32::from_rgb(0xe6, 0x7e, 0x22);

/// Points `(log10 x, log10 y)` of the records with positive `x` and `y`.
pub fn log_log_points(
    history: &[MetricsRecord],
    y: impl Fn(&MetricsRecord) -> f64,
) -> Vec<[f64; 2]> {
    history
        .iter()
        .filter_map(|r| {
            let x = r.stimuli as f64;
            let v = y(r);
            (x > 0.0 && v > 0.0 && v.is_finite()).then(|| [x.log10(), v.log10()])
        })
        .collect()
}

/// At most `max` points, evenly thinned (long runs have millions of records); the
/// figures thin the same way.
pub use crate::figure::views::thin;

/// Tick label of a log10 axis value: the number itself (`300`, `0.020`), or `1e-5`
/// style outside a readable range (the same labels as the exported figures).
pub use crate::figure::axis::pow10_label;

/// Grid marks of a log10 axis: decades (labelled), and 2× / 5× in between.
pub fn decade_spacer(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let (lo, hi) = input.bounds;
    let mut marks = Vec::new();
    if !(lo.is_finite() && hi.is_finite()) || hi - lo > 60.0 {
        return marks;
    }
    let mut k = lo.floor() - 1.0;
    while k <= hi + 1.0 {
        marks.push(egui_plot::GridMark {
            value: k,
            step_size: 1.0,
        });
        for f in [2.0f64, 5.0] {
            marks.push(egui_plot::GridMark {
                value: k + f.log10(),
                step_size: 0.1,
            });
        }
        k += 1.0;
    }
    marks.retain(|m| m.value >= lo && m.value <= hi);
    marks
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
    let guide: Vec<[f64; 2]> = match (truth.first(), truth.last()) {
        (Some(a), Some(b)) if b[0] > a[0] => vec![*a, [b[0], a[1] - 0.5 * (b[0] - a[0])]],
        _ => Vec::new(),
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn record(stimuli: u64, e: f64) -> MetricsRecord {
        MetricsRecord {
            step: stimuli,
            stimuli,
            weight_norm: 1.0,
            sparsity: 0.0,
            max_weight: 1.0,
            mean_activity: 0.1,
            symmetry_error_true: e,
            symmetry_error_random: 1.0,
        }
    }

    #[test]
    fn log_log_points_turn_a_power_law_into_a_line_of_that_slope() {
        let history: Vec<MetricsRecord> = [0u64, 100, 400, 1600]
            .iter()
            .map(|&n| record(n, if n == 0 { 1.0 } else { 1.0 / (n as f64).sqrt() }))
            .collect();
        let pts = log_log_points(&history, |r| r.symmetry_error_true);
        assert_eq!(pts.len(), 3, "step 0 has no logarithm and is skipped");
        let slope = (pts[2][1] - pts[0][1]) / (pts[2][0] - pts[0][0]);
        assert!((slope + 0.5).abs() < 1e-9, "slope {slope}");
    }

    #[test]
    fn thinning_keeps_the_ends_and_the_bound() {
        let pts: Vec<[f64; 2]> = (0..10_001).map(|k| [k as f64, 0.0]).collect();
        let out = thin(pts, 1000);
        assert!(out.len() <= 1001);
        assert_eq!(out.first().map(|p| p[0]), Some(0.0));
        assert_eq!(out.last().map(|p| p[0]), Some(10_000.0));
    }
}
