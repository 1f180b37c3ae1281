//! The current stimulus, the detectors' activities, and the receptive field of the
//! hovered or selected neuron.

use egui::{Color32, ColorImage, TextureHandle, TextureOptions, Vec2};
use egui_plot::{GridInput, GridMark, Line, Plot, PlotPoints, Points};
use ndarray::Array2;

use crate::app::views::colormap::Colormap;
use crate::app::views::plots::TRUE_COLOR;
use crate::app::views::polar::{DISC_PX, grey_disc_auto, signed_disc};
use crate::figure::axis::index_marks;
use crate::model::world::polar::PolarGrid;
use crate::model::{NeuronLabel, Space};
use crate::report::labels::describe_neuron;

/// Radius of a detector's dot in the activity plot, in points.
const ACTIVITY_DOT_RADIUS: f32 = 2.5;

/// The activity plot's dots, `[display position, activity]`, and where the row of silent
/// detectors may be drawn as one band from 0 to the returned end instead. With many
/// detectors to a point of the plot's `width`, the silent detectors' dots make one band a
/// dot thick from end to end, broken only where a run of detectors that are not silent is
/// wider than a dot's radius; when none is, the band is one line and only the active
/// detectors are dots — at M = 16,384, a tenth of the circles every frame, the same picture.
fn activity_points(order: &[usize], activity: &[f32], width: f32) -> (Vec<[f64; 2]>, Option<f64>) {
    let n = order.len();
    let per_point = n as f32 / width.max(1.0);
    let (mut run, mut longest) = (0usize, 0usize);
    for &i in order {
        if activity.get(i).is_some_and(|&a| a == 0.0) {
            run = 0;
        } else {
            run += 1;
            longest = longest.max(run);
        }
    }
    let band = n > 1 && per_point >= 4.0 && (longest + 1) as f32 / per_point < ACTIVITY_DOT_RADIUS;
    let pts = order
        .iter()
        .enumerate()
        .filter_map(|(r, &i)| {
            let a = *activity.get(i)?;
            (!band || a != 0.0).then_some([r as f64, f64::from(a)])
        })
        .collect();
    (pts, band.then_some((n - 1) as f64))
}

/// Greyscale image of a 2-D pattern scaled to its own `[min, max]`.
pub fn grey_image(values: &[f32], side: usize) -> ColorImage {
    let (lo, hi) = values
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let span = if hi > lo { hi - lo } else { 1.0 };
    let pixels = (0..side * side)
        .map(|k| {
            let v = values.get(k).copied().unwrap_or(lo);
            Color32::from_gray((((v - lo) / span) * 255.0).clamp(0.0, 255.0) as u8)
        })
        .collect();
    ColorImage::new([side, side], pixels)
}

/// Diverging image of a signed 2-D pattern (receptive fields are zero-mean), 0 = white.
pub fn signed_image(values: &[f32], side: usize) -> ColorImage {
    let m = values
        .iter()
        .fold(0.0f32, |m, v| m.max(v.abs()))
        .max(f32::MIN_POSITIVE);
    let pixels = (0..side * side)
        .map(|k| Colormap::Diverging.color(0.5 + 0.5 * values.get(k).copied().unwrap_or(0.0) / m))
        .collect();
    ColorImage::new([side, side], pixels)
}

/// What the panel shows this frame.
pub struct StimulusContext<'a> {
    /// The space (1-D ring or 2-D square/torus).
    pub space: &'a Space,
    /// Identifies the snapshot (re-upload textures when it changes).
    pub snapshot_id: u64,
    /// The last stimulus.
    pub stimulus: &'a [f32],
    /// Activities, stored order.
    pub activity: &'a [f32],
    /// Display order of neurons (as in the heatmap).
    pub order: &'a [usize],
    /// Receptive fields, M × pixels.
    pub fields: &'a Array2<f32>,
    /// Labels, stored order.
    pub labels: &'a [NeuronLabel],
    /// Neuron whose receptive field to show.
    pub neuron: Option<usize>,
    /// The log-frequency axis, in the sound world (the stimulus is then a spectrum).
    pub axis: Option<crate::model::world::audio::LogFreqAxis>,
}

/// Textures of the 2-D views.
#[derive(Default)]
pub struct StimulusPanel {
    stimulus_tex: Option<(u64, TextureHandle)>,
    field_tex: Option<(usize, TextureHandle)>,
    /// All receptive fields at once (and, for learned banks, how they emerge).
    pub gallery: crate::app::views::field_gallery::FieldGallery,
}

/// The side of a square picture of the space; `None` for the ring (a plot) and the polar
/// retina (a disc, [`crate::app::views::polar`]).
fn side_of(space: &Space) -> Option<usize> {
    match space {
        Space::Ring { .. } | Space::Polar { .. } | Space::Line { .. } => None,
        Space::Torus { side } | Space::Square { side } => Some(*side),
    }
}

impl StimulusPanel {
    /// The current stimulus (line plot on a ring, image in 2-D).
    pub fn stimulus_ui(&mut self, ui: &mut egui::Ui, cx: &StimulusContext<'_>, height: f32) {
        ui.label(egui::RichText::new("Current stimulus").strong())
            .on_hover_text("The last pattern shown to the detectors.");
        if let Some(axis) = cx.axis {
            crate::app::views::spectrum::spectrum_ui(
                ui,
                "stimulus-spectrum",
                axis,
                cx.stimulus,
                height,
            );
            return;
        }
        let names = ("stimulus-plot", "stimulus", "stimulus");
        let slot = &mut self.stimulus_tex;
        pattern_ui(
            ui,
            slot,
            cx.snapshot_id,
            names,
            cx.space,
            cx.stimulus,
            height,
            Shading::Grey,
        );
    }

    /// Activities of all detectors in display order; returns the neuron (stored index)
    /// clicked, the one whose display position is nearest the click.
    pub fn activity_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &StimulusContext<'_>,
        height: f32,
    ) -> Option<usize> {
        ui.label(egui::RichText::new("Detector activities").strong())
            .on_hover_text(
                "Activity of every detector for the current stimulus, in the heatmap's order. \
                 Click a neuron to see its receptive field and its row of W.",
            );
        let (pts, silent_band) = activity_points(cx.order, cx.activity, ui.available_width());
        let shown = Plot::new("activity-plot")
            .height(height)
            .x_axis_label("neuron (heatmap order)")
            // Most detectors are silent: the row of zero dots gets room above the frame's
            // lower edge and the tick labels below it, and every label is drawn at full
            // strength instead of fading in between two decades.
            .set_margin_fraction(Vec2::new(0.02, 0.12))
            .grid_spacing(GRID_SPACING_MIN_PT..=300.0)
            .x_grid_spacer(readable_index_spacer)
            .allow_scroll(false)
            .show(ui, |p| {
                if let Some(end) = silent_band {
                    p.line(
                        Line::new("silent", PlotPoints::new(vec![[0.0, 0.0], [end, 0.0]]))
                            .color(TRUE_COLOR)
                            .width(2.0 * ACTIVITY_DOT_RADIUS),
                    );
                }
                p.points(
                    Points::new("activity", PlotPoints::new(pts))
                        .color(TRUE_COLOR)
                        .radius(ACTIVITY_DOT_RADIUS),
                )
            });
        let response = shown.response;
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Image, true, "Detector activities plot")
        });
        if !response.clicked() {
            return None;
        }
        let x = shown
            .transform
            .value_from_position(response.interact_pointer_pos()?)
            .x;
        let last = cx.order.len().checked_sub(1)?;
        let r = x.round().clamp(0.0, last as f64) as usize;
        cx.order.get(r).copied()
    }

    /// Receptive field of the hovered or selected neuron.
    pub fn field_ui(&mut self, ui: &mut egui::Ui, cx: &StimulusContext<'_>, height: f32) {
        let Some(i) = cx.neuron.filter(|&i| i < cx.fields.nrows()) else {
            ui.label("Hover over or click the heatmap to see a neuron's receptive field.");
            return;
        };
        let title = match cx.labels.get(i) {
            Some(l) => format!(
                "Receptive field of neuron {i}: {}",
                describe_neuron(l, cx.space)
            ),
            None => format!("Receptive field of neuron {i}"),
        };
        ui.label(egui::RichText::new(title).strong());
        let row: Vec<f32> = cx.fields.row(i).to_vec();
        field_picture_ui(
            ui,
            &mut self.field_tex,
            "field-plot",
            cx.space,
            &row,
            i,
            height,
        );
    }
}

/// One receptive field `row`, `height` points tall: a line plot (id `plot_id`) on 1-D
/// spaces, a signed picture on 2-D ones and a disc on the polar retina. `slot` caches the
/// texture of the field last drawn there, identified by `key` (e.g. the neuron), so a
/// caller drawing several fields keeps one slot per field.
pub fn field_picture_ui(
    ui: &mut egui::Ui,
    slot: &mut Option<(usize, TextureHandle)>,
    plot_id: &str,
    space: &Space,
    row: &[f32],
    key: usize,
    height: f32,
) {
    let names = (plot_id, "field", "receptive-field");
    pattern_ui(ui, slot, key, names, space, row, height, Shading::Signed);
}

/// How a pattern is coloured: a stimulus in grey scaled to its own range, a receptive
/// field signed (0 = white).
#[derive(Clone, Copy)]
enum Shading {
    Grey,
    Signed,
}

/// One pattern `values` on `space`, `height` points tall: a line plot on 1-D spaces, a
/// picture on 2-D ones and a disc on the polar retina. `slot` caches the texture last
/// drawn there, identified by `key`; `(plot_id, line, texture)` name the plot, its line
/// and the texture.
#[allow(clippy::too_many_arguments)]
fn pattern_ui<K: PartialEq + Copy>(
    ui: &mut egui::Ui,
    slot: &mut Option<(K, TextureHandle)>,
    key: K,
    (plot_id, line, texture_name): (&str, &str, &str),
    space: &Space,
    values: &[f32],
    height: f32,
    shading: Shading,
) {
    let disc = PolarGrid::of(*space);
    let square = side_of(space);
    if disc.is_none() && square.is_none() {
        let pts: Vec<[f64; 2]> = values
            .iter()
            .enumerate()
            .map(|(k, &v)| [k as f64, f64::from(v)])
            .collect();
        Plot::new(plot_id)
            .height(height)
            .x_axis_label(space.position_unit())
            .allow_scroll(false)
            .show(ui, |p| {
                p.line(
                    Line::new(line, PlotPoints::new(pts))
                        .color(TRUE_COLOR)
                        .width(2.0),
                )
            });
        return;
    }
    if slot.as_ref().is_none_or(|(k, _)| *k != key) {
        // Blocky pixel images with nearest filtering; the already smooth round retina
        // pictures with linear filtering, which keeps them smooth.
        let side = square.unwrap_or_default();
        let (image, options) = match (&disc, shading) {
            (Some(grid), Shading::Grey) => (
                grey_disc_auto(grid, values, DISC_PX),
                TextureOptions::LINEAR,
            ),
            (Some(grid), Shading::Signed) => {
                (signed_disc(grid, values, DISC_PX), TextureOptions::LINEAR)
            }
            (None, Shading::Grey) => (grey_image(values, side), TextureOptions::NEAREST),
            (None, Shading::Signed) => (signed_image(values, side), TextureOptions::NEAREST),
        };
        // The texture is reused when the size is unchanged.
        let tex = match slot.take() {
            Some((_, mut t)) if t.size() == image.size => {
                t.set(image, options);
                t
            }
            _ => ui.ctx().load_texture(texture_name, image, options),
        };
        *slot = Some((key, tex));
    }
    if let Some((_, tex)) = slot {
        ui.add(egui::Image::new((tex.id(), Vec2::splat(height))));
    }
}

/// The plots' smallest grid spacing in points (set explicitly, so the spacer below can
/// convert `GridInput::base_step_size` back to plot units per point).
const GRID_SPACING_MIN_PT: f32 = 8.0;

/// Labelled ticks at least this far apart: egui_plot paints x tick labels at full
/// strength only from 80 points apart and fades them below.
const LABEL_SPACING_PT: f64 = 80.0;

/// X grid of an index axis (neurons): labelled integer ticks a nice step apart that
/// keeps the labels at full strength, unlabelled lines a fifth of a step apart
/// ([`crate::figure::axis::index_marks`]).
fn readable_index_spacer(input: GridInput) -> Vec<GridMark> {
    let per_point = input.base_step_size / f64::from(GRID_SPACING_MIN_PT);
    let (lo, hi) = input.bounds;
    index_marks(lo, hi, LABEL_SPACING_PT * per_point)
        .into_iter()
        .map(|(value, step_size)| GridMark { value, step_size })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The silent detectors become one band only when their dots would make one: many
    /// detectors to a point, and no run of active ones wider than a dot's radius; the
    /// active detectors stay dots, in display order, and a detector without an activity
    /// is no dot at all.
    #[test]
    fn silent_detectors_are_one_band_only_when_their_dots_would_be() {
        let n = 16_384;
        let order: Vec<usize> = (0..n).rev().collect();
        let mut activity = vec![0.0f32; n];
        for i in (0..n).step_by(37) {
            activity[i] = 0.5;
        }
        let (pts, band) = activity_points(&order, &activity, 500.0);
        assert_eq!(band, Some((n - 1) as f64));
        assert_eq!(pts.len(), n.div_ceil(37));
        assert!(pts.iter().all(|p| p[1] == 0.5));
        assert_eq!(pts[0], [(n - 1 - (n - 1) / 37 * 37) as f64, 0.5]);
        // A run of 400 active detectors (12 points wide) would break the row of dots.
        let mut run = activity.clone();
        run[1000..1400].fill(0.25);
        let (pts, band) = activity_points(&order, &run, 500.0);
        assert_eq!((pts.len(), band), (n, None));
        // Few detectors to a point: every one a dot.
        let (pts, band) = activity_points(&order[..300], &activity, 500.0);
        assert_eq!((pts.len(), band), (300, None));
        // No activity for a detector: no dot, and not silent either.
        let (pts, _) = activity_points(&[0, 1, 99], &[0.0, 1.0], 500.0);
        assert_eq!(pts, vec![[0.0, 0.0], [1.0, 1.0]]);
    }

    #[test]
    fn index_ticks_are_labelled_far_enough_apart() {
        // 130 neurons over 700 points: 80 points are 14.9 neurons, so labels every 20.
        let per_point = 130.0 / 700.0;
        let marks = readable_index_spacer(GridInput {
            bounds: (-3.0, 133.0),
            base_step_size: per_point * f64::from(GRID_SPACING_MIN_PT),
        });
        let labelled: Vec<f64> = marks
            .iter()
            .filter(|m| m.step_size == 20.0)
            .map(|m| m.value)
            .collect();
        assert_eq!(labelled, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0]);
        assert!(marks.iter().all(|m| m.step_size * 1.0 / per_point >= 20.0));
        // Zero is labelled "0", not "-0".
        assert!(
            marks
                .iter()
                .all(|m| !m.value.is_sign_negative() || m.value < 0.0)
        );
    }

    #[test]
    fn grey_image_spans_black_to_white() {
        let img = grey_image(&[0.0, 1.0, 2.0, 4.0], 2);
        assert_eq!(img.pixels[0], Color32::from_gray(0));
        assert_eq!(img.pixels[3], Color32::from_gray(255));
    }

    #[test]
    fn signed_image_is_white_at_zero() {
        let img = signed_image(&[0.0, 1.0, -1.0, 0.5], 2);
        assert_eq!(img.pixels[0], Colormap::Diverging.color(0.5));
        assert_eq!(img.pixels[1], Colormap::Diverging.color(1.0));
        assert_eq!(img.pixels[2], Colormap::Diverging.color(0.0));
    }
}
