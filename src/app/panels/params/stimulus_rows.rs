//! The rows of the world's stimulus generator: its kind, then that kind's parameters.

use egui::Ui;

use super::widgets::{combo, grid_row, pair_row};
use crate::model::StimulusKind;

#[derive(Clone, Copy, PartialEq)]
enum StimulusChoice {
    Bumps,
    Bars,
    SmoothNoise,
    NonGaussian,
    Blobs,
    Edges,
    ImagePatches,
    RotatedPhotos,
    Sound,
}

/// The stimulus generator's kind and its parameters.
pub fn stimulus_rows(ui: &mut Ui, kind: &mut StimulusKind) {
    let mut choice = match kind {
        StimulusKind::Bumps { .. } => StimulusChoice::Bumps,
        StimulusKind::Bars { .. } => StimulusChoice::Bars,
        StimulusKind::SmoothNoise { .. } => StimulusChoice::SmoothNoise,
        StimulusKind::NonGaussian { .. } => StimulusChoice::NonGaussian,
        StimulusKind::Blobs { .. } => StimulusChoice::Blobs,
        StimulusKind::Edges { .. } => StimulusChoice::Edges,
        StimulusKind::ImagePatches => StimulusChoice::ImagePatches,
        StimulusKind::RotatedPhotos { .. } => StimulusChoice::RotatedPhotos,
        StimulusKind::Sound { .. } => StimulusChoice::Sound,
    };
    let before = choice;
    combo(
        ui,
        "Stimuli",
        "The world: a seeded random process whose statistics are invariant under the space's symmetries.",
        &mut choice,
        &[
            (StimulusChoice::Bumps, "Gaussian bumps (ring)"),
            (StimulusChoice::Bars, "bars (ring)"),
            (StimulusChoice::SmoothNoise, "smooth noise (ring)"),
            (StimulusChoice::NonGaussian, "non-Gaussian field (ring)"),
            (StimulusChoice::Blobs, "blobs (2-D)"),
            (StimulusChoice::Edges, "edges (2-D)"),
            (StimulusChoice::ImagePatches, "natural image patches (2-D)"),
            (
                StimulusChoice::RotatedPhotos,
                "photos at random angles (polar)",
            ),
            (StimulusChoice::Sound, "harmonic tones (log-frequency line)"),
        ],
    );
    if choice != before {
        *kind = match choice {
            StimulusChoice::Bumps => StimulusKind::Bumps {
                max_bumps: 2,
                width: (1.5, 4.0),
                amplitude: (0.5, 1.5),
            },
            StimulusChoice::Bars => StimulusKind::Bars {
                max_bars: 2,
                length: (2, 10),
            },
            StimulusChoice::SmoothNoise => StimulusKind::SmoothNoise { length: 3.0 },
            StimulusChoice::NonGaussian => StimulusKind::NonGaussian {
                length: 3.0,
                gain: 3.0,
            },
            StimulusChoice::Blobs => StimulusKind::Blobs {
                max_blobs: 2,
                width: (1.0, 3.0),
                aspect: 0.5,
            },
            StimulusChoice::Edges => StimulusKind::Edges {
                max_edges: 2,
                length: (3.0, 10.0),
                thickness: 0.7,
            },
            StimulusChoice::ImagePatches => StimulusKind::ImagePatches,
            StimulusChoice::RotatedPhotos => StimulusKind::RotatedPhotos {
                scale: (1.0, 1.0),
                mirror: true,
            },
            StimulusChoice::Sound => super::sound_rows::default_kind(),
        };
    }
    match kind {
        StimulusKind::Bumps {
            max_bumps,
            width,
            amplitude,
        } => {
            grid_row(
                ui,
                "    max bumps",
                "Each stimulus has 1 to this many Gaussian bumps.",
                max_bumps,
                1..=32,
                0.1,
            );
            pair_row(
                ui,
                "    width (px)",
                "Range of the bumps' standard deviation in pixels.",
                width,
                0.1..=100.0,
            );
            pair_row(
                ui,
                "    amplitude",
                "Range of the bumps' heights.",
                amplitude,
                0.0..=100.0,
            );
        }
        StimulusKind::Bars { max_bars, length } => {
            grid_row(
                ui,
                "    max bars",
                "Each stimulus has 1 to this many binary runs.",
                max_bars,
                1..=32,
                0.1,
            );
            grid_row(
                ui,
                "    min length",
                "Shortest run in pixels.",
                &mut length.0,
                1..=4096,
                0.2,
            );
            grid_row(
                ui,
                "    max length",
                "Longest run in pixels.",
                &mut length.1,
                1..=4096,
                0.2,
            );
        }
        StimulusKind::SmoothNoise { length } => {
            grid_row(
                ui,
                "    correlation ℓ",
                "Length of the Gaussian filter smoothing white noise, in pixels.",
                length,
                0.1..=100.0,
                0.05,
            );
        }
        StimulusKind::NonGaussian { length, gain } => {
            grid_row(
                ui,
                "    correlation ℓ",
                "Correlation length of the underlying Gaussian field, in pixels.",
                length,
                0.1..=100.0,
                0.05,
            );
            grid_row(
                ui,
                "    gain",
                "Large gain makes the pattern nearly binary with sharp edges.",
                gain,
                0.01..=100.0,
                0.05,
            );
        }
        StimulusKind::Blobs {
            max_blobs,
            width,
            aspect,
        } => {
            grid_row(
                ui,
                "    max blobs",
                "Each image has 1 to this many anisotropic Gaussian blobs.",
                max_blobs,
                1..=32,
                0.1,
            );
            pair_row(
                ui,
                "    width (px)",
                "Range of the long-axis standard deviation in pixels.",
                width,
                0.1..=100.0,
            );
            grid_row(
                ui,
                "    aspect",
                "Short axis / long axis of each blob (1 = round).",
                aspect,
                0.05..=1.0,
                0.01,
            );
        }
        StimulusKind::Edges {
            max_edges,
            length,
            thickness,
        } => {
            grid_row(
                ui,
                "    max edges",
                "Each image has 1 to this many line segments.",
                max_edges,
                1..=32,
                0.1,
            );
            pair_row(
                ui,
                "    length (px)",
                "Range of segment lengths in pixels.",
                length,
                0.5..=200.0,
            );
            grid_row(
                ui,
                "    half-width",
                "Half the line thickness in pixels.",
                thickness,
                0.1..=20.0,
                0.02,
            );
        }
        StimulusKind::ImagePatches => {}
        StimulusKind::RotatedPhotos { scale, mirror } => {
            super::polar_rows::rotated_photos_rows(ui, scale, mirror);
        }
        StimulusKind::Sound { .. } => super::sound_rows::sound_rows(ui, kind),
    }
}
