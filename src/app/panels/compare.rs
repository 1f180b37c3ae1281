//! The learning-curve view with other runs overlaid: each added run in its own
//! colour-blind-safe colour, named by the parameters that differ, with its fitted
//! slope; the live run on top; the figure exported as PNG.
//!
//! Loading the runs happens off the UI thread ([`crate::app::files::Files::start_runs_load`]);
//! this module holds the overlays and draws them. The PNG is a screenshot of the window
//! cropped to the plot (the only way to get exactly what is on screen), taken a few
//! frames after the path was chosen so the dialog is gone from the picture.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use egui::{Color32, ColorImage, Rect, RichText};
use egui_plot::{Line, LineStyle, PlotPoints};

use crate::app::views::plots::{BASELINE_COLOR, TRUE_COLOR, log_log_plot, thin};
use crate::app::views::theme::legible_line_color;
use crate::figure::learning_curves::{
    legend_names, log_curve_points, log_log_points, slope_text, sqrt_guide,
};
use crate::model::MetricsRecord;
use crate::sweep::runs::{RunCurve, SlopeFit, curve_of_history, fit_slope};

/// The Okabe–Ito palette without black (invisible on the dark theme) and without its
/// blue (too close to the live run's): distinguishable under the common colour-vision
/// deficiencies. Vermillion and orange come last, so the first overlays are not taken
/// for the live run's orange random baseline.
pub const OKABE_ITO: [Color32; 6] = [
    Color32::from_rgb(0x00, 0x9E, 0x73), // bluish green
    Color32::from_rgb(0xCC, 0x79, 0xA7), // reddish purple
    Color32::from_rgb(0x56, 0xB4, 0xE9), // sky blue
    Color32::from_rgb(0xF0, 0xE4, 0x42), // yellow
    Color32::from_rgb(0xD5, 0x5E, 0x00), // vermillion
    Color32::from_rgb(0xE6, 0x9F, 0x00), // orange
];

/// Frames to wait after the export path was chosen: the dialog must be gone from the
/// frame that is captured.
const EXPORT_DELAY_FRAMES: u32 = 3;

/// One overlaid run.
#[derive(Clone, Debug)]
pub struct Overlay {
    /// The run.
    pub run: RunCurve,
    /// Its slope (None: fewer than two usable points).
    pub fit: Option<SlopeFit>,
    /// Its colour.
    pub color: Color32,
    /// Solid for the first round of colours, then dashed, then dotted, so runs stay
    /// distinct beyond six.
    pub style: LineStyle,
}

/// The live run as the comparison sees it.
pub struct LiveRun<'a> {
    /// Its metric history.
    pub history: &'a [MetricsRecord],
    /// Its configuration, flattened.
    pub params: BTreeMap<String, String>,
}

/// What the user asked for in the view this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareAction {
    /// Choose experiment files or a sweep CSV to overlay.
    AddRuns,
    /// Choose where to save the figure.
    ExportFigure,
}

struct PendingExport {
    path: PathBuf,
    frames: u32,
}

/// A figure export whose screenshot is due.
pub struct FigureShot {
    /// Where the PNG goes.
    pub path: PathBuf,
    /// The figure on screen in the last frame (None: the view was not shown).
    pub rect: Option<Rect>,
}

impl FigureShot {
    /// Requests the screenshot and hands the cropped figure to `save`, which runs on
    /// whatever thread eframe delivers the screenshot on, so it must not block (it
    /// should spawn the write).
    pub fn capture(
        self,
        ctx: &egui::Context,
        save: impl FnOnce(PathBuf, Result<ColorImage, String>) + Send + 'static,
    ) {
        let Some(rect) = self.rect else {
            save(
                self.path,
                Err("the learning-curve view is not on screen".to_owned()),
            );
            return;
        };
        let ppp = ctx.pixels_per_point();
        let path = self.path;
        ctx.request_screenshot(move |image: Arc<ColorImage>| {
            let cropped = crop(&image, rect, ppp)
                .ok_or_else(|| "the figure is outside the window".to_owned());
            save(path, cropped);
        });
    }
}

/// The overlays and the figure export in progress.
#[derive(Default)]
pub struct ComparePanel {
    /// Overlays in the order they were added.
    pub overlays: Vec<Overlay>,
    added: usize,
    figure_rect: Option<Rect>,
    export: Option<PendingExport>,
}

/// A line name for every overlay and one for the live run
/// ([`crate::figure::learning_curves::legend_names`]).
pub fn overlay_names(
    overlays: &[Overlay],
    live: Option<&BTreeMap<String, String>>,
) -> (Vec<String>, String) {
    let runs: Vec<&RunCurve> = overlays.iter().map(|o| &o.run).collect();
    legend_names(&runs, live)
}

/// `rect` (in points) of a screenshot taken at `pixels_per_point`, clipped to the image.
pub fn crop(image: &ColorImage, rect: Rect, pixels_per_point: f32) -> Option<ColorImage> {
    let [w, h] = image.size;
    let x0 = ((rect.min.x * pixels_per_point).floor().max(0.0) as usize).min(w);
    let y0 = ((rect.min.y * pixels_per_point).floor().max(0.0) as usize).min(h);
    let x1 = ((rect.max.x * pixels_per_point).ceil().max(0.0) as usize).min(w);
    let y1 = ((rect.max.y * pixels_per_point).ceil().max(0.0) as usize).min(h);
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let mut pixels = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for y in y0..y1 {
        pixels.extend_from_slice(&image.pixels[y * w + x0..y * w + x1]);
    }
    Some(ColorImage::new([x1 - x0, y1 - y0], pixels))
}

impl ComparePanel {
    /// Adds runs as overlays, each with the next colour.
    pub fn add(&mut self, runs: Vec<RunCurve>) {
        for run in runs {
            let k = self.added;
            self.added += 1;
            let style = match (k / OKABE_ITO.len()) % 3 {
                0 => LineStyle::Solid,
                1 => LineStyle::dashed_dense(),
                _ => LineStyle::dotted_dense(),
            };
            self.overlays.push(Overlay {
                fit: fit_slope(&run.points),
                run,
                color: OKABE_ITO[k % OKABE_ITO.len()],
                style,
            });
        }
    }

    /// Removes overlay `k` (no-op when out of range).
    pub fn remove(&mut self, k: usize) {
        if k < self.overlays.len() {
            self.overlays.remove(k);
        }
    }

    /// Screen rectangle of the figure in the last frame (what the PNG shows).
    pub fn figure_rect(&self) -> Option<Rect> {
        self.figure_rect
    }

    /// Whether a figure export waits for its screenshot.
    pub fn export_pending(&self) -> bool {
        self.export.is_some()
    }

    /// Starts exporting the figure to `path`: a screenshot is requested a few frames
    /// later and cropped to the figure by [`ComparePanel::poll_export`].
    pub fn request_export(&mut self, path: PathBuf) {
        self.export = Some(PendingExport { path, frames: 0 });
    }

    /// Call every frame: once the dialog is gone from the screen, returns the capture to
    /// take (the caller provides where the image goes: [`FigureShot::capture`]).
    pub fn poll_export(&mut self, ctx: &egui::Context) -> Option<FigureShot> {
        let export = self.export.as_mut()?;
        export.frames += 1;
        if export.frames < EXPORT_DELAY_FRAMES {
            ctx.request_repaint();
            return None;
        }
        let export = self.export.take()?;
        Some(FigureShot {
            path: export.path,
            rect: self.figure_rect,
        })
    }

    /// Draws the view: buttons, the comparison plot, the overlay list with slopes and
    /// × buttons. `live` is `None` for an imported matrix (no learning history).
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        live: Option<&LiveRun<'_>>,
        height: f32,
    ) -> Vec<CompareAction> {
        let mut actions = Vec::new();
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Add runs…")
                .on_hover_text("Overlay experiment files (.json) or a sweep CSV (one row per run × checkpoint).")
                .clicked()
            {
                actions.push(CompareAction::AddRuns);
            }
            if ui
                .button("Export figure (.png)…")
                .on_hover_text("Save the plot below, legend included, as a PNG.")
                .clicked()
            {
                actions.push(CompareAction::ExportFigure);
            }
            if !self.overlays.is_empty()
                && ui
                    .button("Remove all overlays")
                    .on_hover_text("Keep only the live run.")
                    .clicked()
            {
                self.overlays.clear();
            }
        });
        let (names, live_name) = overlay_names(&self.overlays, live.map(|l| &l.params));
        let live_curve = live.map(|l| curve_of_history(l.history));
        let live_fit = live_curve.as_deref().and_then(fit_slope);
        let figure = ui.vertical(|ui| {
            ui.label(RichText::new("Symmetry error of the true transformation").strong())
                .on_hover_text("e_g = ||W − P_g W P_g^T|| / ||W|| against stimuli seen, log–log. Invariant stimuli make it fall like 1/√N (slope −½); decay makes it level off.");
            self.plot_ui(ui, live, (&names, &live_name), live_fit.as_ref(), height);
        });
        self.figure_rect = Some(figure.response.rect);
        self.list_ui(
            ui,
            &names,
            live.map(|_| (live_name.as_str(), live_fit.as_ref())),
        );
        actions
    }

    fn plot_ui(
        &self,
        ui: &mut egui::Ui,
        live: Option<&LiveRun<'_>>,
        (names, live_name): (&[String], &str),
        live_fit: Option<&SlopeFit>,
        height: f32,
    ) {
        let overlay_points: Vec<Vec<[f64; 2]>> = self
            .overlays
            .iter()
            .map(|o| thin(log_curve_points(&o.run.points), 2000))
            .collect();
        let truth = live.map(|l| thin(log_log_points(l.history, |r| r.symmetry_error_true), 2000));
        let baseline =
            live.map(|l| thin(log_log_points(l.history, |r| r.symmetry_error_random), 2000));
        // The 1/√N guide starts where the first curve starts.
        let start = truth
            .as_ref()
            .and_then(|t| t.first().copied())
            .or_else(|| overlay_points.iter().find_map(|p| p.first().copied()));
        let end_x = overlay_points
            .iter()
            .chain(truth.as_ref())
            .filter_map(|p| p.last().map(|q| q[0]))
            .fold(f64::NEG_INFINITY, f64::max);
        let guide = sqrt_guide(start, end_x);
        let dark = ui.visuals().dark_mode;
        log_log_plot("comparison-plot", height, "e_g").show(ui, |plot| {
            for ((o, points), name) in self.overlays.iter().zip(overlay_points).zip(names) {
                plot.line(
                    Line::new(
                        format!("{name} · {}", slope_text(o.fit.as_ref())),
                        PlotPoints::new(points),
                    )
                    .color(legible_line_color(o.color, dark))
                    .style(o.style)
                    .width(2.0),
                );
            }
            if let Some(baseline) = baseline {
                plot.line(
                    Line::new("live run: random permutation", PlotPoints::new(baseline))
                        .color(legible_line_color(BASELINE_COLOR, dark))
                        .style(LineStyle::dashed_loose())
                        .width(1.5),
                );
            }
            if !guide.is_empty() {
                plot.line(
                    Line::new("1/√N guide (slope −0.5)", PlotPoints::new(guide))
                        .color(Color32::GRAY)
                        .style(LineStyle::dashed_loose())
                        .width(1.5),
                );
            }
            // Last, so the live run is drawn on top of every overlay.
            if let Some(truth) = truth {
                plot.line(
                    Line::new(
                        format!("{live_name} · {}", slope_text(live_fit)),
                        PlotPoints::new(truth),
                    )
                    .color(TRUE_COLOR)
                    .width(3.0),
                );
            }
        });
    }

    fn list_ui(
        &mut self,
        ui: &mut egui::Ui,
        names: &[String],
        live: Option<(&str, Option<&SlopeFit>)>,
    ) {
        let mut remove = None;
        egui::ScrollArea::vertical()
            .id_salt("overlay-list")
            .max_height(160.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                egui::Grid::new("overlay-grid").num_columns(4).striped(true).show(ui, |ui| {
                    if let Some((name, fit)) = live {
                        swatch_ui(ui, TRUE_COLOR);
                        ui.label(RichText::new(name).strong());
                        slope_label_ui(ui, fit);
                        ui.label("");
                        ui.end_row();
                    }
                    for (k, (o, name)) in self.overlays.iter().zip(names).enumerate() {
                        swatch_ui(ui, legible_line_color(o.color, ui.visuals().dark_mode));
                        ui.label(name).on_hover_text(o.run.path.display().to_string());
                        slope_label_ui(ui, o.fit.as_ref());
                        if ui
                            .small_button("×")
                            .on_hover_text(format!("Remove overlay {name}"))
                            .clicked()
                        {
                            remove = Some(k);
                        }
                        ui.end_row();
                    }
                });
                if self.overlays.is_empty() {
                    ui.label(
                        RichText::new("Add experiment files or a sweep CSV to compare their learning curves with this run.")
                            .small(),
                    );
                }
            });
        if let Some(k) = remove {
            self.remove(k);
        }
    }
}

fn swatch_ui(ui: &mut egui::Ui, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 10.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, color);
}

fn slope_label_ui(ui: &mut egui::Ui, fit: Option<&SlopeFit>) {
    let text = ui.label(RichText::new(slope_text(fit)).monospace());
    if let Some(f) = fit {
        text.on_hover_text(f.explanation());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cropping_takes_the_rect_in_pixels() {
        let size = [8, 6];
        let pixels = (0..48).map(|k| Color32::from_gray(k as u8)).collect();
        let image = ColorImage::new(size, pixels);
        let rect = Rect::from_min_max(egui::pos2(1.0, 1.0), egui::pos2(3.0, 2.0));
        let out = crop(&image, rect, 2.0).expect("inside");
        assert_eq!(out.size, [4, 2]);
        assert_eq!(out.pixels[0], Color32::from_gray(2 * 8 + 2));
        assert_eq!(out.pixels[7], Color32::from_gray(3 * 8 + 5));
        let outside = Rect::from_min_max(egui::pos2(10.0, 10.0), egui::pos2(12.0, 12.0));
        assert!(crop(&image, outside, 1.0).is_none());
    }

    #[test]
    fn colours_cycle_through_the_palette_then_change_style() {
        let mut panel = ComparePanel::default();
        let run = RunCurve {
            path: PathBuf::from("a.json"),
            name: "a".into(),
            params: BTreeMap::new(),
            points: Vec::new(),
        };
        panel.add(vec![run; OKABE_ITO.len() + 1]);
        assert_eq!(panel.overlays[0].color, OKABE_ITO[0]);
        assert_eq!(panel.overlays[OKABE_ITO.len()].color, OKABE_ITO[0]);
        assert_ne!(panel.overlays[OKABE_ITO.len()].style, LineStyle::Solid);
        let (names, live) = overlay_names(&panel.overlays, None);
        assert_eq!(names[0], "a");
        assert_eq!(names[1], "a (2)");
        assert_eq!(live, "live run");
    }
}
