//! The rows of a transformation: its kind, then the parameters of that kind.

use egui::Ui;

use super::widgets::{combo, grid_row};
use crate::model::Transformation;

#[derive(Clone, Copy, PartialEq)]
enum TransformChoice {
    Identity,
    Rigid,
    Shift,
    Translate,
    Rotate,
    Reflect,
}

/// The kind of a transformation and its parameters (the true transformation, a
/// sequence's step). `polar`: on a log-polar retina a "shift" moves the angular sectors, i.e. turns the
/// image by `k·360°/sectors`, and is labelled so.
pub fn transformation_rows(
    ui: &mut Ui,
    label: &str,
    tip: &str,
    t: &mut Transformation,
    polar: bool,
) {
    let mut choice = match t {
        Transformation::Identity => TransformChoice::Identity,
        Transformation::Shift { .. } => TransformChoice::Shift,
        Transformation::Translate { .. } => TransformChoice::Translate,
        Transformation::Rotate { .. } => TransformChoice::Rotate,
        Transformation::Reflect { .. } => TransformChoice::Reflect,
        Transformation::Rigid { .. } => TransformChoice::Rigid,
    };
    let before = choice;
    combo(
        ui,
        label,
        tip,
        &mut choice,
        &[
            (TransformChoice::Identity, "identity"),
            (
                TransformChoice::Shift,
                if polar {
                    "rotate by sectors (polar)"
                } else {
                    "shift (ring)"
                },
            ),
            (TransformChoice::Translate, "translate (torus)"),
            (TransformChoice::Rotate, "rotate by 90°·k"),
            (TransformChoice::Reflect, "reflect"),
            (TransformChoice::Rigid, "general (mirror, turn, translate)"),
        ],
    );
    if choice != before {
        *t = match choice {
            TransformChoice::Identity => Transformation::Identity,
            TransformChoice::Shift => Transformation::Shift { k: 1 },
            TransformChoice::Translate => Transformation::Translate { dx: 1, dy: 0 },
            TransformChoice::Rotate => Transformation::Rotate { quarter_turns: 1 },
            TransformChoice::Reflect => Transformation::Reflect { quarter_turns: 0 },
            TransformChoice::Rigid => Transformation::Rigid {
                reflect: false,
                quarter_turns: 0,
                dx: 1,
                dy: 0,
            },
        };
    }
    match t {
        Transformation::Identity => {}
        Transformation::Shift { k } => grid_row(
            ui,
            if polar {
                "    sectors k"
            } else {
                "    shift k"
            },
            if polar {
                "Angular sectors to turn by: k·360°/sectors (negative = clockwise)."
            } else {
                "Pixels to shift by (negative = other way)."
            },
            k,
            -512..=512,
            0.1,
        ),
        Transformation::Translate { dx, dy } => translation_rows(ui, dx, dy, ""),
        Transformation::Rotate { quarter_turns } | Transformation::Reflect { quarter_turns } => {
            quarter_turns_row(ui, quarter_turns)
        }
        Transformation::Rigid {
            reflect,
            quarter_turns,
            dx,
            dy,
        } => {
            let l = ui
                .label("    mirror first")
                .on_hover_text("Mirror x -> side−1−x before turning.");
            ui.checkbox(reflect, "").labelled_by(l.id);
            ui.end_row();
            quarter_turns_row(ui, quarter_turns);
            translation_rows(ui, dx, dy, ", applied last");
        }
    }
}

/// The number of quarter turns (0–3).
fn quarter_turns_row(ui: &mut Ui, quarter_turns: &mut u8) {
    let tip = "Number of 90° counter-clockwise turns (0–3).";
    grid_row(ui, "    quarter turns", tip, quarter_turns, 0..=3, 0.05);
}

/// The translation's `dx` and `dy`; `when` ends their tips (e.g. ", applied last").
fn translation_rows(ui: &mut Ui, dx: &mut i64, dy: &mut i64, when: &str) {
    for (label, axis, value) in [("    dx", "x", dx), ("    dy", "y", dy)] {
        let tip = format!("Translation along {axis} in pixels{when}.");
        grid_row(ui, label, &tip, value, -64..=64, 0.1);
    }
}
