//! The animation view (issue 5): the orbit `s, π·s, π²·s, …` of a pattern under the
//! selected permutation of neurons, *crisp* (the induced pixel map) beside *honest*
//! (encode, permute the activities, decode with the bank), with play / pause / step and
//! speed, the map's confidence and the equivariance error. The orbit is computed on a
//! background thread; the UI never waits for it.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use egui::{Color32, ColorImage, RichText, TextureHandle, TextureOptions, Vec2};
use egui_plot::{Line, Plot, PlotPoints};
use ndarray::Array2;
use rand::SeedableRng;

use crate::model::{NeuronLabel, SimConfig, Space, StimulusKind, image_patches, stimulus};
use crate::perm::Permutation;
use crate::transform::{self, Decoder, InducedMap, Orbit, export, image_input, orbit};

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

/// Which pattern is animated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// A stimulus drawn from the preset's generator (seeded; "New sample" draws another).
    Sample,
    /// The simulation's stimulus, frozen when it was chosen.
    Current,
    /// A photo: a bundled one or a file the user opened.
    Photo,
}

/// The computed orbit with the numbers shown beside it.
struct Computed {
    key: u64,
    space: Space,
    orbit: Orbit,
    map: InducedMap,
    equivariance: f64,
}

type Slot = Arc<Mutex<Option<Result<Computed, String>>>>;

/// State of the animation view (which pattern, which frame, playing or not).
pub struct AnimationPanel {
    source: Source,
    source_chosen: bool,
    sample_seed: u64,
    frozen_current: Option<Vec<f32>>,
    photo: Option<(String, image::GrayImage)>,
    path_text: String,
    message: Option<String>,
    frames: usize,
    frame: usize,
    playing: bool,
    frames_per_sec: f32,
    last_advance: f64,
    computed: Option<Computed>,
    pending: Option<(u64, Slot)>,
    failed: Option<(u64, String)>,
    crisp_tex: Option<TextureHandle>,
    honest_tex: Option<TextureHandle>,
    shown: Option<(u64, usize)>,
    polar: crate::app::panels::animation_polar::PolarTextures,
}

impl Default for AnimationPanel {
    fn default() -> Self {
        Self {
            source: Source::Sample,
            source_chosen: false,
            sample_seed: 0,
            frozen_current: None,
            photo: None,
            path_text: String::new(),
            message: None,
            frames: 9,
            frame: 0,
            playing: true,
            frames_per_sec: 2.0,
            last_advance: 0.0,
            computed: None,
            pending: None,
            failed: None,
            crisp_tex: None,
            honest_tex: None,
            shown: None,
            polar: Default::default(),
        }
    }
}

/// Test stimuli used for the equivariance error shown in the view.
const EQUIVARIANCE_STIMULI: usize = 16;

impl AnimationPanel {
    /// True while an orbit is being computed in the background (a screenshot should wait).
    pub fn is_computing(&self) -> bool {
        self.pending.is_some()
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
        if !self.source_chosen {
            // Image presets start on a whole photo, the others on a sample of their stimuli.
            if matches!(
                cx.config.stimulus.kind,
                StimulusKind::ImagePatches | StimulusKind::RotatedPhotos { .. }
            ) {
                self.source = Source::Photo;
            }
            self.source_chosen = true;
        }
        self.source_ui(ui, cx);
        let Some(pattern) = self.pattern(cx) else {
            ui.label("Choose a pattern to animate.");
            return;
        };
        let key = orbit_key(cx, pi, &pattern, self.frames);
        self.ensure_orbit(ui.ctx(), cx, pi, pattern, key);
        if let Some(message) = &self.message {
            ui.colored_label(Color32::from_rgb(200, 80, 40), message);
        }
        if let Some((k, err)) = &self.failed
            && *k == key
        {
            ui.colored_label(
                Color32::RED,
                format!("Cannot show this transformation: {err}"),
            );
            return;
        }
        let Some(computed) = self.computed.as_ref().filter(|c| c.key == key) else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Computing the orbit…");
            });
            return;
        };
        let frames = computed.orbit.len();
        self.controls_ui(ui, frames);
        let computed = self.computed.as_ref().filter(|c| c.key == key);
        if let Some(computed) = computed {
            numbers_ui(ui, cx.config.space, computed, self.frame);
        }
        self.frames_ui(ui, cx.config.space, key);
    }

    fn source_ui(&mut self, ui: &mut egui::Ui, cx: &AnimationContext<'_>) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Pattern:");
            ui.radio_value(&mut self.source, Source::Sample, "Sample from the preset")
                .on_hover_text("A stimulus drawn from the experiment's own stimulus generator.");
            if ui
                .radio_value(&mut self.source, Source::Current, "Current stimulus")
                .on_hover_text("The stimulus the simulation showed last, frozen when you click.")
                .clicked()
            {
                self.frozen_current = cx.current_stimulus.map(<[f32]>::to_vec);
            }
            ui.radio_value(&mut self.source, Source::Photo, "Photo")
                .on_hover_text("A whole photo, converted to grey and resized to the retina.");
            match self.source {
                Source::Sample => {
                    if ui
                        .button("New sample")
                        .on_hover_text("Draw another stimulus.")
                        .clicked()
                    {
                        self.sample_seed += 1;
                    }
                }
                Source::Current => {
                    if ui
                        .button("Take current")
                        .on_hover_text("Freeze the latest stimulus again.")
                        .clicked()
                    {
                        self.frozen_current = cx.current_stimulus.map(<[f32]>::to_vec);
                    }
                }
                Source::Photo => self.photo_ui(ui),
            }
        });
    }

    fn photo_ui(&mut self, ui: &mut egui::Ui) {
        for (name, _) in image_patches::PHOTOS {
            if ui
                .small_button(name)
                .on_hover_text("A bundled photo (see assets/README.md).")
                .clicked()
                && let Some(img) = image_patches::photo(name)
            {
                self.photo = Some((name.to_string(), img.clone()));
                self.message = None;
            }
        }
        if ui
            .button("Open…")
            .on_hover_text("Open a PNG or JPEG file.")
            .clicked()
        {
            match rfd::FileDialog::new()
                .add_filter("Images", &["png", "jpg", "jpeg"])
                .pick_file()
            {
                Some(path) => self.open_photo(path),
                None => {
                    self.message = Some(
                        "No file chosen (if no dialog appeared, type a path and press Load)."
                            .into(),
                    );
                }
            }
        }
        ui.add(
            egui::TextEdit::singleline(&mut self.path_text)
                .hint_text("path/to/photo.png")
                .desired_width(180.0),
        )
        .labelled_by(ui.label("Path").id);
        if ui
            .button("Load")
            .on_hover_text("Open the typed path.")
            .clicked()
        {
            let path = PathBuf::from(self.path_text.trim());
            self.open_photo(path);
        }
    }

    fn open_photo(&mut self, path: PathBuf) {
        match image_input::open_grey(&path) {
            Ok(img) => {
                self.photo = Some((path.display().to_string(), img));
                self.message = None;
            }
            Err(e) => self.message = Some(e.to_string()),
        }
    }

    /// The pattern of the current source (None when nothing is chosen yet).
    fn pattern(&mut self, cx: &AnimationContext<'_>) -> Option<Vec<f32>> {
        let space = cx.config.space;
        match self.source {
            Source::Sample => {
                let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(
                    cx.config.seed ^ 0x616e_696d ^ self.sample_seed,
                );
                stimulus::sample_config(&cx.config.stimulus, space, &mut rng).ok()
            }
            Source::Current => {
                if self.frozen_current.is_none() {
                    self.frozen_current = cx.current_stimulus.map(<[f32]>::to_vec);
                }
                self.frozen_current
                    .clone()
                    .filter(|s| s.len() == cx.fields.ncols())
            }
            Source::Photo => {
                if self.photo.is_none()
                    && let Some(img) = image_patches::photo("astronaut")
                {
                    self.photo = Some(("astronaut".into(), img.clone()));
                }
                self.photo
                    .as_ref()
                    .map(|(_, img)| image_input::pattern_from_image(img, space))
            }
        }
    }

    /// Starts the background computation for `key` unless it is done or under way.
    fn ensure_orbit(
        &mut self,
        ctx: &egui::Context,
        cx: &AnimationContext<'_>,
        pi: &Permutation,
        pattern: Vec<f32>,
        key: u64,
    ) {
        if let Some((pending_key, slot)) = &self.pending {
            let finished = slot.lock().ok().and_then(|mut s| s.take());
            if let Some(result) = finished {
                let k = *pending_key;
                self.pending = None;
                match result {
                    Ok(c) => {
                        self.frame = self.frame.min(c.orbit.len().saturating_sub(1));
                        self.computed = Some(c);
                        self.shown = None;
                    }
                    Err(e) => self.failed = Some((k, e)),
                }
            } else {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
        }
        let done = self.computed.as_ref().is_some_and(|c| c.key == key)
            || self.failed.as_ref().is_some_and(|(k, _)| *k == key);
        let running = self.pending.as_ref().is_some_and(|(k, _)| *k == key);
        if done || running || self.pending.is_some() {
            if !done && !running {
                // Another computation is still running; ask again once it is done.
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
            return;
        }
        let slot: Slot = Arc::default();
        let job = Job {
            key,
            config: cx.config.clone(),
            fields: cx.fields.clone(),
            labels: cx.labels.to_vec(),
            pi: pi.clone(),
            pattern,
            frames: self.frames,
        };
        let out = slot.clone();
        let repaint = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("animation-orbit".into())
            .spawn(move || {
                let result = job.run();
                if let Ok(mut s) = out.lock() {
                    *s = Some(result);
                }
                repaint.request_repaint();
            });
        match spawned {
            Ok(_) => self.pending = Some((key, slot)),
            Err(e) => self.failed = Some((key, format!("cannot start a thread: {e}"))),
        }
    }

    fn controls_ui(&mut self, ui: &mut egui::Ui, frames: usize) {
        let now = ui.input(|i| i.time);
        ui.horizontal(|ui| {
            let label = if self.playing { "Pause" } else { "Play" };
            if ui
                .button(label)
                .on_hover_text("Play or pause the animation.")
                .clicked()
            {
                self.playing = !self.playing;
                self.last_advance = now;
            }
            if ui
                .button("Step")
                .on_hover_text("Show the next frame (π applied once more).")
                .clicked()
            {
                self.playing = false;
                self.frame = (self.frame + 1) % frames.max(1);
            }
            if ui
                .button("Restart")
                .on_hover_text("Back to the starting pattern.")
                .clicked()
            {
                self.frame = 0;
                self.last_advance = now;
            }
            ui.add(
                egui::Slider::new(&mut self.frames_per_sec, 0.25..=10.0)
                    .logarithmic(true)
                    .text("frames/s"),
            )
            .on_hover_text("Animation speed.");
            ui.add(egui::Slider::new(&mut self.frames, 2..=65).text("frames"))
                .on_hover_text("Length of the orbit, the starting pattern included.");
            if ui
                .button("Export…")
                .on_hover_text("Write PNG frames, orbit.gif and orbit.npy (and orbit.mp4 when ffmpeg is on the PATH) into a folder.")
                .clicked()
            {
                self.export();
            }
        });
        if self.playing && frames > 1 {
            let period = 1.0 / f64::from(self.frames_per_sec.max(0.01));
            if now - self.last_advance >= period {
                self.frame = (self.frame + 1) % frames;
                self.last_advance = now;
            }
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(period / 2.0));
        }
    }

    fn export(&mut self) {
        let Some(computed) = &self.computed else {
            return;
        };
        let Some(dir) = rfd::FileDialog::new().pick_folder() else {
            self.message = Some(
                "No folder chosen; nothing exported (the CLI `animate` writes the same files)."
                    .into(),
            );
            return;
        };
        let space = computed.space;
        let turned = self.turned_photo(computed);
        let options = export::ExportOptions {
            frame_ms: (1000.0 / self.frames_per_sec.max(0.01))
                .round()
                .clamp(1.0, 60_000.0) as u32,
            ..export::ExportOptions::default()
        };
        self.message = Some(
            match export::write_orbit_with(&dir, space, &computed.orbit, &options, turned.as_ref())
            {
                Ok(s) => format!(
                    "Exported {} frames, orbit.gif and orbit.npy to {}{}",
                    s.frames.len(),
                    dir.display(),
                    video_note(&dir, space, computed, &options, turned.as_ref())
                ),
                Err(e) => format!("Export failed: {e}"),
            },
        );
    }

    /// The polar view's third panel for export: the photo, when the pattern is one and
    /// the found map is an exact rotation.
    fn turned_photo(&self, computed: &Computed) -> Option<export::TurnedPhoto> {
        use crate::transform::polar_render::{identified_rotation, turned_photo};
        let grid = crate::model::polar::PolarGrid::of(computed.space)?;
        let (_, steps) = identified_rotation(computed.space, &computed.map)?;
        let (_, photo) = self
            .photo
            .as_ref()
            .filter(|_| self.source == Source::Photo)?;
        Some(turned_photo(&grid, photo, steps))
    }

    fn frames_ui(&mut self, ui: &mut egui::Ui, space: Space, key: u64) {
        let Some(computed) = self.computed.as_ref().filter(|c| c.key == key) else {
            return;
        };
        if let Some(grid) = crate::model::polar::PolarGrid::of(space) {
            let photo = self
                .photo
                .as_ref()
                .filter(|_| self.source == Source::Photo)
                .map(|(_, img)| img);
            let frame = crate::app::panels::animation_polar::PolarFrame {
                grid,
                space,
                orbit: &computed.orbit,
                map: &computed.map,
                frame: self.frame,
                key,
                photo,
            };
            self.polar.ui(ui, &frame);
            return;
        }
        let k = self.frame.min(computed.orbit.len().saturating_sub(1));
        let (crisp, honest) = (&computed.orbit.crisp[k], &computed.orbit.honest[k]);
        let width = ((ui.available_width() - 24.0) / 2.0).max(120.0);
        match space {
            // On the log-frequency line the spectrum slides by one bin per frame.
            Space::Ring { .. } | Space::Line { .. } => {
                let (crisp_range, honest_range) = (
                    export::value_range(&computed.orbit.crisp),
                    export::value_range(&computed.orbit.honest),
                );
                ui.columns(2, |cols| {
                    cols[0].label(
                        RichText::new(format!("Crisp: induced pixel map, frame {k}")).strong(),
                    );
                    line_plot(
                        &mut cols[0],
                        space.position_unit(),
                        "crisp-orbit",
                        crisp,
                        crisp_range,
                        Color32::from_rgb(31, 78, 160),
                    );
                    cols[1].label(
                        RichText::new(format!("Honest: decode(π^k · encode(s)), frame {k}"))
                            .strong(),
                    );
                    line_plot(
                        &mut cols[1],
                        space.position_unit(),
                        "honest-orbit",
                        honest,
                        honest_range,
                        Color32::from_rgb(214, 110, 20),
                    );
                });
            }
            Space::Torus { side } | Space::Square { side } | Space::Polar { sectors: side, .. } => {
                if self.shown != Some((key, k)) {
                    let c = grey(crisp, side, export::value_range(&computed.orbit.crisp));
                    let h = grey(honest, side, export::value_range(&computed.orbit.honest));
                    set_texture(ui.ctx(), &mut self.crisp_tex, "animation-crisp", c);
                    set_texture(ui.ctx(), &mut self.honest_tex, "animation-honest", h);
                    self.shown = Some((key, k));
                }
                let size = Vec2::splat(width.min(ui.available_height() - 40.0).max(120.0));
                ui.horizontal(|ui| {
                    for (title, tex) in [
                        (
                            format!("Crisp: induced pixel map, frame {k}"),
                            &self.crisp_tex,
                        ),
                        (
                            format!("Honest: decode(π^k · encode(s)), frame {k}"),
                            &self.honest_tex,
                        ),
                    ] {
                        ui.vertical(|ui| {
                            ui.label(RichText::new(title).strong());
                            if let Some(tex) = tex {
                                ui.add(egui::Image::new((tex.id(), size)));
                            }
                        });
                    }
                });
            }
        }
    }
}

/// One background computation: induced map, decoder, orbit and equivariance error.
struct Job {
    key: u64,
    config: SimConfig,
    fields: Array2<f32>,
    labels: Vec<NeuronLabel>,
    pi: Permutation,
    pattern: Vec<f32>,
    frames: usize,
}

impl Job {
    fn run(self) -> Result<Computed, String> {
        let space = self.config.space;
        let map = InducedMap::new(space, &self.fields, &self.labels, &self.pi)
            .map_err(|e| e.to_string())?;
        let decoder = Decoder::for_space(space, &self.fields).map_err(|e| e.to_string())?;
        let orbit = orbit::orbit(
            &self.config,
            &self.fields,
            &self.pi,
            &map,
            &decoder,
            &self.pattern,
            self.frames,
        )
        .map_err(|e| e.to_string())?;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(self.config.seed ^ 0x6571_7569);
        let stimuli: Vec<Vec<f32>> = (0..EQUIVARIANCE_STIMULI)
            .filter_map(|_| stimulus::sample_config(&self.config.stimulus, space, &mut rng).ok())
            .collect();
        let equivariance = transform::equivariance::equivariance_error_with(
            &self.config,
            &self.fields,
            &self.pi,
            |s| map.apply(s),
            &stimuli,
        )
        .unwrap_or(f64::NAN);
        Ok(Computed {
            key: self.key,
            space,
            orbit,
            map,
            equivariance,
        })
    }
}

fn numbers_ui(ui: &mut egui::Ui, space: Space, c: &Computed, frame: usize) {
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
        ui.label(format!("equivariance error {:.3}", c.equivariance)).on_hover_text(
            "‖enc(g·s) − π·enc(s)‖ / ‖enc(s)‖ over 16 stimuli of the preset, g the induced pixel map (0 = exact).",
        );
        if let Some(a) = c.orbit.agreement.get(frame) {
            ui.label(format!("honest–crisp correlation {a:.2}"))
                .on_hover_text("Correlation of the two renderings in this frame.");
        }
    });
}

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

fn grey(values: &[f32], side: usize, (lo, hi): (f32, f32)) -> ColorImage {
    let pixels = (0..side * side)
        .map(|k| {
            let v = values.get(k).copied().unwrap_or(lo);
            Color32::from_gray((((v - lo) / (hi - lo)) * 255.0).clamp(0.0, 255.0) as u8)
        })
        .collect();
    ColorImage::new([side, side], pixels)
}

fn set_texture(
    ctx: &egui::Context,
    slot: &mut Option<TextureHandle>,
    name: &str,
    image: ColorImage,
) {
    match slot {
        Some(tex) => tex.set(image, TextureOptions::NEAREST),
        None => *slot = Some(ctx.load_texture(name, image, TextureOptions::NEAREST)),
    }
}

/// A 1-D frame of the orbit; `unit` names the positions on the x axis ("pixel", "bin").
fn line_plot(
    ui: &mut egui::Ui,
    unit: &str,
    id: &str,
    values: &[f32],
    (lo, hi): (f32, f32),
    colour: Color32,
) {
    let pts: Vec<[f64; 2]> = values
        .iter()
        .enumerate()
        .map(|(k, &v)| [k as f64, f64::from(v)])
        .collect();
    let height = (ui.available_height() - 30.0).clamp(200.0, 520.0);
    Plot::new(id)
        .height(height)
        .x_axis_label(unit)
        .include_y(f64::from(lo))
        .include_y(f64::from(hi))
        .include_x(0.0)
        .include_x(values.len().saturating_sub(1) as f64)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .show(ui, |p| {
            p.line(
                Line::new(id.to_string(), PlotPoints::new(pts))
                    .color(colour)
                    .width(2.0),
            )
        });
}

/// Also writes `orbit.mp4` when `ffmpeg` is on the PATH (issue 15); the note says what
/// happened, or that only the GIF and PNG frames are available.
fn video_note(
    dir: &std::path::Path,
    space: crate::model::Space,
    computed: &Computed,
    options: &export::ExportOptions,
    turned: Option<&export::TurnedPhoto>,
) -> String {
    use crate::transform::video;
    if video::find_ffmpeg().is_none() {
        return "; no MP4 (ffmpeg is not on the PATH: only GIF and PNG are available)".into();
    }
    let written = export::render_frames_with(space, &computed.orbit, options, turned)
        .map_err(|e| e.to_string())
        .and_then(|frames| {
            video::write_mp4(&dir.join("orbit.mp4"), &frames, options.frame_ms)
                .map_err(|e| e.to_string())
        });
    match written {
        Ok(()) => " and orbit.mp4".into(),
        Err(e) => format!("; the MP4 failed: {e}"),
    }
}
