//! The parameter panel: every setting of SPEC §2–5 with a one-sentence tooltip.
//!
//! Edits go into a draft; every setting changes the bank, the stimulus stream or the
//! learning rule, so applying it restarts the run at step 0 — the panel says so and
//! offers "Apply & reset". Validation is `SimConfig::check` via `Simulation::new` on
//! the worker; a rejected draft shows its error in the status bar.

mod polar_rows;
mod sound_rows;

use egui::{DragValue, Ui};

use crate::model::{
    Activation, BankConfig, KernelFamily, LearningRule, SimConfig, Space, StimulusKind,
    Transformation,
};

/// What the user asked for in the panel this frame.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamsAction {
    /// Build a new simulation from this configuration (restarts at step 0).
    Apply(Box<SimConfig>),
}

/// The parameter panel's state: a draft of the configuration.
#[derive(Default)]
pub struct ParamsPanel {
    /// The configuration being edited (None until a simulation exists).
    pub draft: Option<SimConfig>,
}

fn grid_row<T: egui::emath::Numeric>(
    ui: &mut Ui,
    label: &str,
    tip: &str,
    value: &mut T,
    range: std::ops::RangeInclusive<T>,
    speed: f64,
) {
    let l = ui.label(label).on_hover_text(tip);
    ui.add(DragValue::new(value).range(range).speed(speed))
        .labelled_by(l.id)
        .on_hover_text(tip);
    ui.end_row();
}

fn pair_row(
    ui: &mut Ui,
    label: &str,
    tip: &str,
    value: &mut (f32, f32),
    range: std::ops::RangeInclusive<f32>,
) {
    let l = ui.label(label).on_hover_text(tip);
    ui.horizontal(|ui| {
        ui.add(
            DragValue::new(&mut value.0)
                .range(range.clone())
                .speed(0.05)
                .prefix("from "),
        )
        .labelled_by(l.id)
        .on_hover_text(tip);
        ui.add(
            DragValue::new(&mut value.1)
                .range(range)
                .speed(0.05)
                .prefix("to "),
        )
        .labelled_by(l.id)
        .on_hover_text(tip);
    });
    ui.end_row();
}

fn combo<T: PartialEq + Copy>(
    ui: &mut Ui,
    label: &str,
    tip: &str,
    value: &mut T,
    options: &[(T, &str)],
) {
    let l = ui.label(label).on_hover_text(tip);
    let current = options
        .iter()
        .find(|(v, _)| v == value)
        .map_or("?", |(_, n)| n);
    egui::ComboBox::from_id_salt(label)
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (v, name) in options {
                ui.selectable_value(value, *v, *name);
            }
        })
        .response
        .labelled_by(l.id)
        .on_hover_text(tip);
    ui.end_row();
}

#[derive(Clone, Copy, PartialEq)]
enum SpaceKind {
    Ring,
    Torus,
    Square,
    Polar,
    Line,
}

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

#[derive(Clone, Copy, PartialEq)]
enum TransformChoice {
    Identity,
    Rigid,
    Shift,
    Translate,
    Rotate,
    Reflect,
}

/// `polar`: on a log-polar retina a "shift" moves the angular sectors, i.e. turns the
/// image by `k·360°/sectors`, and is labelled so.
fn transformation_rows(ui: &mut Ui, label: &str, tip: &str, t: &mut Transformation, polar: bool) {
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

fn space_rows(ui: &mut Ui, space: &mut Space) {
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
            SpaceKind::Polar => polar_rows::DEFAULT_SPACE,
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
        } => polar_rows::space_rows(ui, rings, sectors, r_min, r_max),
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

fn stimulus_rows(ui: &mut Ui, kind: &mut StimulusKind) {
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
            StimulusChoice::Sound => sound_rows::default_kind(),
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
            polar_rows::rotated_photos_rows(ui, scale, mirror);
        }
        StimulusKind::Sound { .. } => sound_rows::sound_rows(ui, kind),
    }
}

fn bank_rows(ui: &mut Ui, bank: &mut BankConfig) {
    // 0 tiled, 1 random, 2 learned.
    let mut kind: u8 = match bank {
        BankConfig::Tiled { .. } => 0,
        BankConfig::Random { .. } => 1,
        BankConfig::Learned { .. } => 2,
    };
    let before = kind;
    combo(
        ui,
        "Detector bank",
        "Tiled: every kernel at every position (closed under the symmetries); random: random \
         local fields; learned: fields learned from the stimuli (1-D), then the graph.",
        &mut kind,
        &[
            (0, "tiled kernels"),
            (1, "random fields"),
            (2, "learned fields"),
        ],
    );
    if kind != before {
        *bank = match kind {
            0 => BankConfig::Tiled {
                kernels: 4,
                size: 7,
                stride: 1,
                family: KernelFamily::Random,
            },
            1 => BankConfig::Random {
                count: 256,
                size: 7,
            },
            _ => BankConfig::Learned {
                filters: 64,
                on_off: true,
                field_steps: 600,
                rate: 0.2,
            },
        };
    }
    match bank {
        BankConfig::Tiled {
            kernels,
            size,
            stride,
            family,
        } => {
            grid_row(
                ui,
                "    kernels",
                "Number of distinct base kernels copied to every position.",
                kernels,
                1..=64,
                0.1,
            );
            grid_row(
                ui,
                "    kernel size",
                "Kernel length (1-D) or side (2-D) in pixels.",
                size,
                1..=64,
                0.1,
            );
            grid_row(
                ui,
                "    stride",
                "Distance between neighbouring kernel positions in pixels.",
                stride,
                1..=64,
                0.1,
            );
            combo(
                ui,
                "    kernel family",
                "How the base kernels are made.",
                family,
                &[
                    (KernelFamily::Random, "seeded random"),
                    (KernelFamily::Gabor, "Gabor-like"),
                    (KernelFamily::DerivativeOfGaussian, "derivative of Gaussian"),
                ],
            );
        }
        BankConfig::Learned {
            filters,
            field_steps,
            ..
        } => {
            grid_row(
                ui,
                "    learned filters",
                "Filters learned by the Hebbian ICA rule (each read out by ON and OFF detectors).",
                filters,
                1..=4096,
                1.0,
            );
            grid_row(
                ui,
                "    field steps",
                "Steps of the field phase, before the recurrent graph learns.",
                field_steps,
                1..=1_000_000,
                1.0,
            );
        }
        BankConfig::Random { count, size } => {
            grid_row(
                ui,
                "    detectors",
                "Number of random local detectors.",
                count,
                1..=8192,
                1.0,
            );
            grid_row(
                ui,
                "    field size",
                "Field length (1-D) or side (2-D) in pixels.",
                size,
                1..=64,
                0.1,
            );
        }
    }
}

impl ParamsPanel {
    /// Shows the panel for the current configuration; returns an action if Apply was pressed.
    pub fn ui(&mut self, ui: &mut Ui, current: Option<&SimConfig>) -> Option<ParamsAction> {
        let Some(current) = current else {
            ui.label("No simulation yet.");
            return None;
        };
        let draft = self.draft.get_or_insert_with(|| current.clone());
        let mut action = None;
        ui.heading("Parameters");
        egui::ScrollArea::vertical().auto_shrink([false, true]).show(ui, |ui| {
            egui::CollapsingHeader::new("World").default_open(true).show(ui, |ui| {
                egui::Grid::new("world-grid").num_columns(2).striped(true).show(ui, |ui| {
                    space_rows(ui, &mut draft.space);
                    stimulus_rows(ui, &mut draft.stimulus.kind);
                    let mut sequence = draft.stimulus.sequence.is_some();
                    let l = ui.label("Sequences").on_hover_text(
                        "Show each base stimulus transformed step by step (needed by the temporal rule).",
                    );
                    ui.checkbox(&mut sequence, "").labelled_by(l.id);
                    ui.end_row();
                    match (&mut draft.stimulus.sequence, sequence) {
                        (s @ None, true) => *s = Some(Transformation::Shift { k: 1 }),
                        (s @ Some(_), false) => *s = None,
                        _ => {}
                    }
                    let polar = draft.space.is_polar();
                    if let Some(t) = &mut draft.stimulus.sequence {
                        transformation_rows(ui, "    sequence step", "The transformation applied between consecutive stimuli.", t, polar);
                    }
                });
            });
            egui::CollapsingHeader::new("Detectors").default_open(true).show(ui, |ui| {
                egui::Grid::new("detector-grid").num_columns(2).striped(true).show(ui, |ui| {
                    bank_rows(ui, &mut draft.bank);
                    combo(
                        ui,
                        "Non-linearity",
                        "φ in a = φ(<f, s> − θ).",
                        &mut draft.activation,
                        &[(Activation::Relu, "relu"), (Activation::Binary, "binary"), (Activation::Sigmoid, "sigmoid")],
                    );
                    grid_row(ui, "Threshold θ", "Subtracted from the filter response before the non-linearity.", &mut draft.threshold, -100.0..=100.0, 0.01);
                    let mut kwta = draft.k_winners.is_some();
                    let l = ui.label("k-winners-take-all").on_hover_text("Lateral inhibition: keep only the k largest activities per stimulus.");
                    ui.checkbox(&mut kwta, "").labelled_by(l.id);
                    ui.end_row();
                    match (&mut draft.k_winners, kwta) {
                        (k @ None, true) => *k = Some(16),
                        (k @ Some(_), false) => *k = None,
                        _ => {}
                    }
                    if let Some(k) = &mut draft.k_winners {
                        grid_row(ui, "    k", "How many detectors stay active per stimulus.", k, 1..=8192, 0.2);
                    }
                });
            });
            egui::CollapsingHeader::new("Learning").default_open(true).show(ui, |ui| {
                egui::Grid::new("learning-grid").num_columns(2).striped(true).show(ui, |ui| {
                    combo(
                        ui,
                        "Rule",
                        "How co-activity changes the recurrent weights (SPEC §5).",
                        &mut draft.rule,
                        &[
                            (LearningRule::Hebb, "Hebb (concurrence)"),
                            (LearningRule::Covariance, "covariance"),
                            (LearningRule::Oja, "Oja (normalised)"),
                            (LearningRule::Temporal, "temporal (sequences)"),
                        ],
                    );
                    grid_row(ui, "Learning rate η", "Size of each weight update.", &mut draft.learning_rate, 1e-9..=100.0, 0.001);
                    grid_row(ui, "Decay λ", "Fraction of every weight forgotten per step; W averages over ~1/λ recent steps.", &mut draft.decay, 0.0..=0.5, 0.0001);
                    grid_row(ui, "Batch B", "Stimuli presented per step.", &mut draft.batch, 1..=4096, 0.2);
                    let polar = draft.space.is_polar();
                    transformation_rows(ui, "True transformation", "The known symmetry g whose error e_g is plotted (display and scoring only).", &mut draft.true_transformation, polar);
                    let l = ui.label("Seed").on_hover_text("Master seed: bank, hidden neuron order and every stimulus; same seed, same run.");
                    ui.horizontal(|ui| {
                        ui.add(DragValue::new(&mut draft.seed).speed(1.0)).labelled_by(l.id);
                        if ui.button("New seed").on_hover_text("Pick a fresh random seed (takes effect on Apply).").clicked() {
                            draft.seed = fresh_seed();
                        }
                    });
                    ui.end_row();
                });
            });
        });
        ui.separator();
        let changed = draft != current;
        if changed {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Changed settings take effect after a reset to step 0.",
            );
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(changed, egui::Button::new("Apply & reset"))
                .on_hover_text("Build a new simulation from these settings, starting at step 0.")
                .clicked()
            {
                action = Some(ParamsAction::Apply(Box::new(draft.clone())));
            }
            if ui
                .add_enabled(changed, egui::Button::new("Revert"))
                .on_hover_text("Discard the edits.")
                .clicked()
            {
                *draft = current.clone();
            }
        });
        action
    }
}

/// A seed from the clock and the process id (not reproducible by design: the user asked for a new one).
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut x = nanos ^ (u64::from(std::process::id()) << 32);
    // splitmix64 finaliser
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (x ^ (x >> 31)) % 1_000_000_000
}
