//! The animation view: the orbit `s, π·s, π²·s, …` of a pattern under the
//! selected permutation of neurons, *crisp* (the induced pixel map) beside *honest*
//! (encode, permute the activities, decode with the bank), with play / pause / step and
//! speed, the map's confidence and the equivariance error. The orbit is computed by
//! [`crate::transform::animation`] on a background thread; the UI never waits for it.
//!
//! The view is four parts with their own state: the pattern's source
//! ([`pattern_source`]), the background computation ([`orbit_task`]), the playback
//! controls ([`playback`]) and the pictures of the current frame ([`frames`], and
//! [`polar`] on the log-polar retina).

mod frames;
mod orbit_task;
mod pattern_source;
mod playback;
pub mod polar;

use std::hash::{Hash, Hasher};

use egui::Color32;
use ndarray::Array2;

use crate::model::{NeuronLabel, SimConfig, Space};
use crate::perm::Permutation;
use crate::transform::animation::{Animation, AnimationRequest, EQUIVARIANCE_STIMULI};
use crate::transform::export::ExportOptions;
use frames::FrameView;
use orbit_task::OrbitTask;
use pattern_source::PatternSource;
use playback::Playback;

/// Everything the animation view needs from the rest of the app, borrowed for one frame.
pub struct AnimationContext<'a> {
    /// The configuration of the open experiment (space, activation, threshold, k-WTA).
    pub config: &'a SimConfig,
    /// Receptive fields, M × pixels, stored order.
    pub fields: &'a Array2<f32>,
    /// Neuron labels in stored order (receptive-field centres for the induced map).
    pub labels: &'a [NeuronLabel],
    /// The selected permutation of neurons (a search result), if any.
    pub permutation: Option<&'a Permutation>,
    /// The stimulus currently shown by the simulation, if any.
    pub current_stimulus: Option<&'a [f32]>,
}

/// State of the animation view (which pattern, which frame, playing or not).
#[derive(Default)]
pub struct AnimationPanel {
    source: PatternSource,
    playback: Playback,
    task: OrbitTask,
    frames: FrameView,
    /// What the last photo choice or export said (an error, or where the files went).
    message: Option<String>,
}

impl AnimationPanel {
    /// True while an orbit is being computed in the background (a screenshot should wait).
    pub fn is_computing(&self) -> bool {
        self.task.is_computing()
    }

    /// Draws the view.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &AnimationContext<'_>) {
        ui.heading("Transformation on the input");
        let Some(pi) = cx.permutation else {
            ui.label(
                "Run a search and select a result in the search panel: its permutation of neurons \
                 is then shown acting on a pattern here.",
            );
            return;
        };
        if pi.len() != cx.fields.nrows() {
            ui.colored_label(
                Color32::RED,
                "The selected permutation does not fit this experiment's neurons.",
            );
            return;
        }
        self.source.choose_default(&cx.config.stimulus.kind);
        self.source.ui(ui, cx.current_stimulus, &mut self.message);
        let pattern = self
            .source
            .pattern(cx.config, cx.fields.ncols(), cx.current_stimulus);
        let Some(pattern) = pattern else {
            ui.label("Choose a pattern to animate.");
            return;
        };
        let frames = self.playback.frames;
        let key = orbit_key(cx, pi, &pattern, frames);
        let arrived = self.task.ensure(ui.ctx(), key, || AnimationRequest {
            config: cx.config.clone(),
            fields: cx.fields.clone(),
            labels: cx.labels.to_vec(),
            pi: pi.clone(),
            pattern,
            frames,
        });
        if let Some(len) = arrived {
            self.playback.clamp_to(len);
            self.frames.invalidate();
        }
        if let Some(message) = &self.message {
            ui.colored_label(Color32::from_rgb(200, 80, 40), message);
        }
        if let Some(err) = self.task.failed(key) {
            ui.colored_label(
                Color32::RED,
                format!("Cannot show this transformation: {err}"),
            );
            return;
        }
        let Some(animation) = self.task.computed(key) else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Computing the orbit…");
            });
            return;
        };
        let export = self.playback.ui(ui, animation.orbit.len());
        numbers_ui(ui, cx.config.space, animation, self.playback.frame);
        let photo = self.source.photo();
        self.frames.ui(
            ui,
            cx.config.space,
            animation,
            self.playback.frame,
            key,
            photo,
        );
        if export {
            self.export();
        }
    }

    /// Writes the orbit into a folder the user picks.
    fn export(&mut self) {
        let Some(animation) = self.task.latest() else {
            return;
        };
        let Some(dir) = rfd::FileDialog::new().pick_folder() else {
            self.message = Some(
                "No folder chosen; nothing exported (the CLI `animate` writes the same files)."
                    .into(),
            );
            return;
        };
        let turned = self.source.photo().and_then(|p| animation.turned_photo(p));
        let options = ExportOptions {
            frame_ms: self.playback.frame_ms(),
            ..ExportOptions::default()
        };
        self.message = Some(match animation.export(&dir, &options, turned.as_ref()) {
            Ok(written) => written.message(&dir),
            Err(e) => format!("Export failed: {e}"),
        });
    }
}

fn numbers_ui(ui: &mut egui::Ui, space: Space, c: &Animation, frame: usize) {
    let matched = match (c.map.description(space), c.map.matched) {
        (Some(name), Some((_, f))) => format!("{name} on {:.0}% of covered pixels", 100.0 * f),
        _ => "no exact symmetry of the retina".into(),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("Induced pixel map: {matched}."))
            .on_hover_text("The symmetry of the retina closest to the map this permutation induces on pixels.");
        ui.label(format!("Confidence {:.1}%", 100.0 * c.map.confidence)).on_hover_text(
            "Fraction of neurons whose receptive-field centre moves where the majority at that centre moves.",
        );
        if let Some(k) = c.map.kernel_confidence {
            ui.label(format!("kernels {:.1}%", 100.0 * k))
                .on_hover_text("Fraction of neurons whose kernel maps as the majority of its kernel does.");
        }
        ui.label(format!("pixel score {:.3}", c.map.mean_pixel_score()))
            .on_hover_text("How well the permuted receptive fields match moved pixels (1 = exactly).");
        ui.label(format!("equivariance error {:.3}", c.equivariance)).on_hover_text(format!(
            "‖enc(g·s) − π·enc(s)‖ / ‖enc(s)‖ over {EQUIVARIANCE_STIMULI} stimuli of the preset, g the induced pixel map (0 = exact).",
        ));
        if let Some(a) = c.orbit.agreement.get(frame) {
            ui.label(format!("honest–crisp correlation {a:.2}"))
                .on_hover_text("Correlation of the two renderings in this frame.");
        }
    });
}

/// Identifies the orbit of `pattern` under `pi` for this bank (a new key starts a new
/// computation; the fields are told apart by their address, which changes when the
/// experiment does).
fn orbit_key(cx: &AnimationContext<'_>, pi: &Permutation, pattern: &[f32], frames: usize) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    pi.images().hash(&mut h);
    pattern.iter().for_each(|v| v.to_bits().hash(&mut h));
    frames.hash(&mut h);
    cx.fields.dim().hash(&mut h);
    (cx.fields.as_ptr() as usize).hash(&mut h);
    cx.config.threshold.to_bits().hash(&mut h);
    format!("{:?}{:?}", cx.config.activation, cx.config.k_winners).hash(&mut h);
    h.finish()
}
