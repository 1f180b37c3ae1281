//! The rows of the retina: ring, torus, square, log-polar retina or log-frequency line,
//! and its size.

use egui::Ui;

use super::widgets::{combo, grid_row};
use crate::model::Space;

#[derive(Clone, Copy, PartialEq)]
enum SpaceKind {
    Ring,
    Torus,
    Square,
    Polar,
    Line,
}

/// The retina's kind and size.
pub fn space_rows(ui: &mut Ui, space: &mut Space) {
    let mut kind = match space {
        Space::Ring { .. } => SpaceKind::Ring,
        Space::Torus { .. } => SpaceKind::Torus,
        Space::Square { .. } => SpaceKind::Square,
        Space::Polar { .. } => SpaceKind::Polar,
        Space::Line { .. } => SpaceKind::Line,
    };
    let before = kind;
    combo(
        ui,
        "Space",
        "The retina: pixels on a circle, a periodic square (torus) or an open square.",
        &mut kind,
        &[
            (SpaceKind::Ring, "ring (1-D)"),
            (SpaceKind::Torus, "torus (2-D, periodic)"),
            (SpaceKind::Square, "square (2-D)"),
            (SpaceKind::Polar, "log-polar retina (2-D, foveated)"),
            (SpaceKind::Line, "log-frequency line (1-D, open)"),
        ],
    );
    if kind != before {
        *space = match kind {
            SpaceKind::Ring => Space::Ring { n: 64 },
            SpaceKind::Torus => Space::Torus { side: 16 },
            SpaceKind::Square => Space::Square { side: 16 },
            SpaceKind::Polar => super::polar_rows::DEFAULT_SPACE,
            SpaceKind::Line => Space::Line { n: 48 },
        };
    }
    match space {
        Space::Ring { n } => grid_row(
            ui,
            "    pixels n",
            "Number of pixels on the ring.",
            n,
            4..=4096,
            1.0,
        ),
        Space::Torus { side } | Space::Square { side } => {
            grid_row(
                ui,
                "    side",
                "Pixels per side of the square image.",
                side,
                4..=128,
                0.2,
            );
        }
        Space::Polar {
            rings,
            sectors,
            r_min,
            r_max,
        } => super::polar_rows::space_rows(ui, rings, sectors, r_min, r_max),
        Space::Line { n } => grid_row(
            ui,
            "    bins n",
            "Number of bins on the open line (the log-frequency axis).",
            n,
            4..=4096,
            1.0,
        ),
    }
}
