//! The parameter rows of the log-polar retina and its photo stimuli, kept
//! out of the parameter panel's own file.

use egui::{DragValue, Ui};

use super::widgets::{grid_row, pair_row};
use crate::model::Space;

/// The retina chosen when the user switches the space to "log-polar": the `polar-rotate`
/// preset's geometry (48 sectors of 7.5°, ring ratio close to `e^{2π/48}`).
pub const DEFAULT_SPACE: Space = Space::Polar {
    rings: 16,
    sectors: 48,
    r_min: 5.0,
    r_max: 35.7,
};

/// A float row with a unit.
fn float_row(
    ui: &mut Ui,
    label: &str,
    tip: &str,
    value: &mut f32,
    range: std::ops::RangeInclusive<f32>,
) {
    let l = ui.label(label).on_hover_text(tip);
    ui.add(DragValue::new(value).range(range).speed(0.05))
        .labelled_by(l.id)
        .on_hover_text(tip);
    ui.end_row();
}

/// Rings, sectors and the two radii.
pub fn space_rows(
    ui: &mut Ui,
    rings: &mut usize,
    sectors: &mut usize,
    r_min: &mut f32,
    r_max: &mut f32,
) {
    grid_row(
        ui,
        "    rings",
        "Number of rings; ring k samples at radius r_min·q^k, q = (r_max/r_min)^(1/(rings−1)).",
        rings,
        2..=64,
        0.1,
    );
    grid_row(
        ui,
        "    sectors",
        "Number of sectors; one sector shift is a rotation by 360°/sectors.",
        sectors,
        3..=256,
        0.2,
    );
    float_row(
        ui,
        "    r_min",
        "Radius of the innermost ring, in photo pixels at scale 1 (the fovea).",
        r_min,
        0.1..=1000.0,
    );
    float_row(
        ui,
        "    r_max",
        "Radius of the outermost ring, in photo pixels at scale 1; larger than r_min.",
        r_max,
        0.2..=1000.0,
    );
}

/// Scale range and mirroring of the rotated-photo stimuli.
pub fn rotated_photos_rows(ui: &mut Ui, scale: &mut (f32, f32), mirror: &mut bool) {
    pair_row(
        ui,
        "    scale",
        "Range of the log-uniform zoom factor (photo pixels per retina unit); equal ends: no zoom.",
        scale,
        0.05..=100.0,
    );
    let tip = "Mirror each photo across the 0° axis (θ to −θ) with probability ½, so reflections are symmetries too.";
    let l = ui.label("    mirror").on_hover_text(tip);
    ui.checkbox(mirror, "").labelled_by(l.id).on_hover_text(tip);
    ui.end_row();
}
