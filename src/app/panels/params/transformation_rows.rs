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
        Transformation::Translate { dx, dy } => {
            grid_row(
                ui,
                "    dx",
                "Translation along x in pixels.",
                dx,
                -64..=64,
                0.1,
            );
            grid_row(
                ui,
                "    dy",
                "Translation along y in pixels.",
                dy,
                -64..=64,
                0.1,
            );
        }
        Transformation::Rotate { quarter_turns } | Transformation::Reflect { quarter_turns } => {
            grid_row(
                ui,
                "    quarter turns",
                "Number of 90° counter-clockwise turns (0–3).",
                quarter_turns,
                0..=3,
                0.05,
            );
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
            grid_row(
                ui,
                "    quarter turns",
                "Number of 90° counter-clockwise turns (0–3).",
                quarter_turns,
                0..=3,
                0.05,
            );
            grid_row(
                ui,
                "    dx",
                "Translation along x in pixels, applied last.",
                dx,
                -64..=64,
                0.1,
            );
            grid_row(
                ui,
                "    dy",
                "Translation along y in pixels, applied last.",
                dy,
                -64..=64,
                0.1,
            );
        }
    }
}
