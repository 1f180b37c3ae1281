//! The receptive-field gallery: every detector's field at once, as a small
//! line plot on 1-D spaces or a small image on 2-D ones, in the heatmap's order or sorted
//! by the fields' own centres — and, for a learned bank, which phase is learning and the
//! measures of what was learned (localisation, tiling, closure under the true
//! transformation). Fields arrive with every snapshot, so the gallery shows them emerge.

use egui::{Color32, Pos2, Rect, Sense, Stroke, Vec2};
use ndarray::Array2;

use crate::model::detectors::field_measures::FieldMeasures;
use crate::model::detectors::field_shapes::{Shape, crop_to_support};
use crate::model::{Phase, Space, Transformation};

/// Most fields drawn (2-D fields cost one rectangle per pixel).
const MAX_SHOWN: usize = 512;

/// What the gallery shows this frame.
pub struct GalleryContext<'a> {
    /// The space.
    pub space: &'a Space,
    /// The tracked true transformation (for the closure defect).
    pub true_transformation: Transformation,
    /// Current receptive fields, M × pixels, stored order.
    pub fields: &'a Array2<f32>,
    /// The heatmap's display order (stored, ground truth or recovered).
    pub order: &'a [usize],
    /// What is learning.
    pub phase: Phase,
    /// Changes whenever the fields may have changed (generation, bank version).
    pub version: (u64, u64),
}

/// How the fields are ordered in the gallery.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GalleryOrder {
    /// Sorted by each field's energy centroid: the ground-truth order of a learned bank,
    /// computed from the fields as they are now.
    #[default]
    ByCentre,
    /// The heatmap's order.
    Heatmap,
}

/// State of the gallery: the order choice and the measures of the shown fields.
#[derive(Default)]
pub struct FieldGallery {
    /// Chosen order.
    pub order: GalleryOrder,
    measures: crate::session::jobs::field_measures::MeasuresJob,
}

impl FieldGallery {
    /// The gallery: phase line, measures, order choice and the grid of fields.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &GalleryContext<'_>) {
        let learned = matches!(cx.phase, Phase::Fields { .. }) || cx.version.1 > 0;
        egui::CollapsingHeader::new(format!("All receptive fields ({})", cx.fields.nrows()))
            .id_salt("field-gallery")
            .default_open(learned)
            .show(ui, |ui| self.contents_ui(ui, cx, learned));
    }

    /// True while the measures of the newest fields are being computed.
    pub fn is_computing(&self) -> bool {
        self.measures.is_computing()
    }

    fn contents_ui(&mut self, ui: &mut egui::Ui, cx: &GalleryContext<'_>, learned: bool) {
        if learned {
            let phase = match cx.phase {
                Phase::Fields { done, total } => format!(
                    "Phase 1 of 2: learning the receptive fields (step {done} of {total}); \
                     the recurrent graph waits"
                ),
                Phase::Graph => {
                    "Phase 2 of 2: the fields are fixed; the recurrent graph is learning".into()
                }
            };
            ui.label(egui::RichText::new(phase).strong())
                .on_hover_text("A learned bank first learns its fields, then its graph.");
        }
        self.measures.poll(
            &crate::app::waker(ui.ctx()),
            cx.version,
            *cx.space,
            cx.true_transformation,
            cx.fields,
        );
        let Some(measured) = self.measures.latest().cloned() else {
            ui.label("Measuring the fields…");
            return;
        };
        let stale = measured.key != cx.version;
        measures_ui(ui, &measured.measures, cx.space, stale);
        ui.horizontal(|ui| {
            ui.label("Order:");
            ui.radio_value(&mut self.order, GalleryOrder::ByCentre, "by field centre")
                .on_hover_text(
                    "Sorted by each field's energy centroid (row by row on 2-D retinas), as \
                     the fields were last measured.",
                );
            ui.radio_value(&mut self.order, GalleryOrder::Heatmap, "as the heatmap")
                .on_hover_text("The heatmap's order: stored, ground truth or recovered.");
        });
        if let Some(shapes) = &measured.shapes
            && !stale
        {
            shapes_ui(ui, cx, shapes, &measured.measures);
        }
        let order: &[usize] = match self.order {
            GalleryOrder::ByCentre => &measured.by_centre,
            GalleryOrder::Heatmap => cx.order,
        };
        grid_ui(ui, cx, order);
    }
}

/// The distinct shapes up to translation, large, each with its preferred orientation
/// and selectivity: for a shared-kernel bank, the learned kernels themselves.
fn shapes_ui(ui: &mut egui::Ui, cx: &GalleryContext<'_>, shapes: &[Shape], m: &FieldMeasures) {
    let copies: Vec<usize> = shapes.iter().map(|s| s.copies).collect();
    let each = if copies.windows(2).all(|w| w[0] == w[1]) {
        format!(
            ", each at {} positions",
            copies.first().copied().unwrap_or(0)
        )
    } else {
        String::new()
    };
    ui.label(format!(
        "Distinct shapes up to translation: {}{each}",
        shapes.len()
    ))
    .on_hover_text(
        "Fields that are exact translated copies of one another count once; shown centred \
             on their strongest pixel, with their preferred orientation (0° horizontal, 90° \
             vertical) and selectivity.",
    );
    // As large as a row of (up to 12) shapes allows, so a lecture screen shows them.
    let per_row = shapes.len().clamp(1, 12) as f32;
    let cell = (ui.available_width() / per_row - 12.0).clamp(64.0, 112.0);
    ui.horizontal_wrapped(|ui| {
        for shape in shapes {
            ui.vertical(|ui| {
                let (rect, _) = ui.allocate_exact_size(Vec2::splat(cell), Sense::hover());
                let (image, side) = crop_to_support(&shape.centred, cx.space.side());
                let max_abs = image.iter().fold(0.0f32, |a, &v| a.max(v.abs())).max(1e-6);
                let painter = ui.painter_at(rect);
                painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
                draw_image(&painter, rect, &image, side, max_abs);
                let caption = m
                    .orientation
                    .as_ref()
                    .and_then(|o| o.fields.get(shape.representative))
                    .map_or(String::new(), |o| {
                        format!("{:.0}° · {:.2}", o.orientation_deg, o.selectivity)
                    });
                ui.small(caption);
            });
        }
    });
}

/// The measures table; `stale` when the fields have changed since they were measured.
fn measures_ui(ui: &mut egui::Ui, m: &FieldMeasures, space: &Space, stale: bool) {
    let unit = space.position_unit();
    let window = if space.is_2d() {
        format!("{0} × {0}", m.window)
    } else {
        format!("{}-{unit}", m.window)
    };
    if stale {
        ui.weak("(measuring the newest fields…)");
    }
    egui::Grid::new("field-measures")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            // Two rows: on one, the five figures ran past the panel's right edge.
            ui.label("localisation").on_hover_text(
                "Energy in the best window; inverse participation ratio (≈ positions spanned).",
            );
            ui.label(format!(
                "{:.3} of the energy in the best {window} window (min {:.3}); IPR {:.3} \
                 (≈ {:.1} {unit}s)",
                m.window_share_mean, m.window_share_min, m.ipr_mean, m.participation,
            ));
            ui.end_row();
            ui.label("width").on_hover_text(
                "RMS width and spatial spread: the second moment of each field's energy about \
                 its centre, averaged over the fields.",
            );
            ui.label(format!(
                "RMS width {:.2} {unit}s; spread {:.2} {unit}s²",
                m.rms_width_mean, m.spread_mean
            ));
            ui.end_row();
            if let Some(o) = &m.orientation {
                ui.label("orientation").on_hover_text(
                    "Each field's response to gratings at every orientation (best frequency \
                     and phase): selectivity = 1 − circular variance of that tuning curve \
                     (0 untuned, 1 one orientation only; random fields ≈ 0.08), its \
                     half-width at half maximum, and how the preferred orientations fall \
                     into 45° bins.",
                );
                ui.label(format!(
                    "selectivity {:.2}; half-width {:.0}° (median); preferred 0°/45°/90°/135°: \
                     {}/{}/{}/{}",
                    o.selectivity_mean,
                    o.hwhm_median_deg,
                    o.histogram[0],
                    o.histogram[1],
                    o.histogram[2],
                    o.histogram[3],
                ));
                ui.end_row();
            }
            ui.label("tiling")
                .on_hover_text("How evenly the field centres cover the positions.");
            ui.label(format!(
                "CV of centres per {unit} {:.3}; entropy ratio {:.3}; {:.0}% of {unit}s hold a centre",
                m.tiling_cv,
                m.tiling_entropy_ratio,
                100.0 * m.tiling_occupied
            ));
            ui.end_row();
            ui.label("closure defect").on_hover_text(
                "Distance of each transformed field to its nearest field (0 = the bank holds \
                 every moved field; √2 = moved fields are orthogonal to all).",
            );
            if m.closure_by.is_empty() {
                ui.label("–");
            } else {
                let text: Vec<String> = m
                    .closure_by
                    .iter()
                    .map(|c| format!("{}: mean {:.3}, max {:.3}", c.transformation, c.mean, c.max))
                    .collect();
                ui.label(text.join("; "));
            }
            ui.end_row();
        });
}

/// The grid of small plots (1-D) or images (2-D).
fn grid_ui(ui: &mut egui::Ui, cx: &GalleryContext<'_>, order: &[usize]) {
    let shown: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| i < cx.fields.nrows())
        .take(MAX_SHOWN)
        .collect();
    if shown.len() < cx.fields.nrows() {
        ui.label(format!(
            "(the first {} of {})",
            shown.len(),
            cx.fields.nrows()
        ));
    }
    let cell = Vec2::new(if cx.space.is_2d() { 28.0 } else { 56.0 }, 28.0);
    let spacing = 3.0;
    let width = ui.available_width().max(cell.x);
    let columns = ((width + spacing) / (cell.x + spacing)).floor().max(1.0) as usize;
    let rows = shown.len().div_ceil(columns);
    let size = Vec2::new(width, rows as f32 * (cell.y + spacing));
    egui::ScrollArea::vertical()
        .id_salt("field-gallery-scroll")
        .max_height(ui.available_height().max(120.0))
        .show(ui, |ui| {
            let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
            let painter = ui.painter_at(rect);
            let max_abs = cx
                .fields
                .iter()
                .fold(0.0f32, |a, &v| a.max(v.abs()))
                .max(1e-6);
            for (k, &i) in shown.iter().enumerate() {
                let (r, c) = (k / columns, k % columns);
                let min = rect.min
                    + Vec2::new(c as f32 * (cell.x + spacing), r as f32 * (cell.y + spacing));
                let box_rect = Rect::from_min_size(min, cell);
                painter.rect_filled(box_rect, 2.0, ui.visuals().extreme_bg_color);
                let field = cx.fields.row(i);
                if cx.space.is_2d() {
                    draw_image(
                        &painter,
                        box_rect,
                        field.as_slice().unwrap_or(&[]),
                        cx.space.side(),
                        max_abs,
                    );
                } else {
                    draw_line(
                        &painter,
                        box_rect,
                        field.as_slice().unwrap_or(&[]),
                        max_abs,
                        ui,
                    );
                }
            }
        });
}

fn draw_line(painter: &egui::Painter, rect: Rect, field: &[f32], max_abs: f32, ui: &egui::Ui) {
    let n = field.len().max(2);
    let mid = rect.center().y;
    painter.line_segment(
        [Pos2::new(rect.left(), mid), Pos2::new(rect.right(), mid)],
        Stroke::new(0.5, ui.visuals().weak_text_color()),
    );
    let points: Vec<Pos2> = field
        .iter()
        .enumerate()
        .map(|(x, &v)| {
            Pos2::new(
                rect.left() + rect.width() * x as f32 / (n - 1) as f32,
                mid - 0.45 * rect.height() * v / max_abs,
            )
        })
        .collect();
    painter.add(egui::Shape::line(
        points,
        Stroke::new(1.0, Color32::from_rgb(40, 120, 220)),
    ));
}

fn draw_image(painter: &egui::Painter, rect: Rect, field: &[f32], side: usize, max_abs: f32) {
    if side == 0 || field.len() != side * side {
        return;
    }
    let px = rect.width() / side as f32;
    for (p, &v) in field.iter().enumerate() {
        let (x, y) = (p % side, p / side);
        let t = (v / max_abs).clamp(-1.0, 1.0);
        let shade = (255.0 * (1.0 - t.abs())) as u8;
        let colour = if t >= 0.0 {
            Color32::from_rgb(255, shade, shade)
        } else {
            Color32::from_rgb(shade, shade, 255)
        };
        let min = rect.min + Vec2::new(x as f32 * px, y as f32 * px);
        // A quarter pixel of overlap: anti-aliased edges at fractional positions would
        // otherwise leave a faint grid between the cells.
        painter.rect_filled(
            Rect::from_min_size(min, Vec2::splat(px)).expand(0.25),
            0.0,
            colour,
        );
    }
}
