//! Which pattern the animation starts from: a sample of the experiment's own stimulus
//! generator, the simulation's current stimulus (frozen when chosen), or a photo — a
//! bundled one, one picked in a dialog, or a typed path.

use std::path::PathBuf;

use image::GrayImage;

use crate::model::world::image_patches;
use crate::model::{SimConfig, StimulusKind};
use crate::transform::animation::sample_pattern;
use crate::transform::image_input;

/// Which pattern is animated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
enum Source {
    /// A stimulus drawn from the preset's generator (seeded; "New sample" draws another).
    #[default]
    Sample,
    /// The simulation's stimulus, frozen when it was chosen.
    Current,
    /// A photo: a bundled one or a file the user opened.
    Photo,
}

/// The chosen source and what it holds.
#[derive(Default)]
pub struct PatternSource {
    source: Source,
    /// Whether the source was set for this experiment's kind of stimulus yet.
    chosen: bool,
    /// Which sample of the generator ("New sample" counts up).
    sample: u64,
    /// The current stimulus as it was when chosen.
    frozen_current: Option<Vec<f32>>,
    /// The photo's name and pixels.
    photo: Option<(String, GrayImage)>,
    /// The typed path of a photo to open.
    path_text: String,
}

impl PatternSource {
    /// Image presets start on a whole photo, the others on a sample of their stimuli
    /// (once; the user's choice is kept afterwards).
    pub fn choose_default(&mut self, kind: &StimulusKind) {
        if !self.chosen {
            if matches!(
                kind,
                StimulusKind::ImagePatches | StimulusKind::RotatedPhotos { .. }
            ) {
                self.source = Source::Photo;
            }
            self.chosen = true;
        }
    }

    /// The photo the pattern comes from, when the source is a photo.
    pub fn photo(&self) -> Option<&GrayImage> {
        self.photo
            .as_ref()
            .filter(|_| self.source == Source::Photo)
            .map(|(_, img)| img)
    }

    /// The source selector and its buttons; `message` gets a photo's error, or is
    /// cleared when a photo opens.
    pub fn ui(&mut self, ui: &mut egui::Ui, current: Option<&[f32]>, message: &mut Option<String>) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Pattern:");
            ui.radio_value(&mut self.source, Source::Sample, "Sample from the preset")
                .on_hover_text("A stimulus drawn from the experiment's own stimulus generator.");
            if ui
                .radio_value(&mut self.source, Source::Current, "Current stimulus")
                .on_hover_text("The stimulus the simulation showed last, frozen when you click.")
                .clicked()
            {
                self.frozen_current = current.map(<[f32]>::to_vec);
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
                        self.sample += 1;
                    }
                }
                Source::Current => {
                    if ui
                        .button("Take current")
                        .on_hover_text("Freeze the latest stimulus again.")
                        .clicked()
                    {
                        self.frozen_current = current.map(<[f32]>::to_vec);
                    }
                }
                Source::Photo => self.photo_ui(ui, message),
            }
        });
    }

    fn photo_ui(&mut self, ui: &mut egui::Ui, message: &mut Option<String>) {
        for (name, _) in image_patches::PHOTOS {
            if ui
                .small_button(name)
                .on_hover_text("A bundled photo (see assets/README.md).")
                .clicked()
                && let Some(img) = image_patches::photo(name)
            {
                self.photo = Some((name.to_string(), img.clone()));
                *message = None;
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
                Some(path) => self.open_photo(path, message),
                None => {
                    *message = Some(
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
            self.open_photo(path, message);
        }
    }

    fn open_photo(&mut self, path: PathBuf, message: &mut Option<String>) {
        match image_input::open_grey(&path) {
            Ok(img) => {
                self.photo = Some((path.display().to_string(), img));
                *message = None;
            }
            Err(e) => *message = Some(e.to_string()),
        }
    }

    /// The pattern of the current source for a retina of `pixels` pixels (None when
    /// nothing fitting is chosen yet).
    pub fn pattern(
        &mut self,
        config: &SimConfig,
        pixels: usize,
        current: Option<&[f32]>,
    ) -> Option<Vec<f32>> {
        match self.source {
            Source::Sample => sample_pattern(config, self.sample),
            Source::Current => {
                if self.frozen_current.is_none() {
                    self.frozen_current = current.map(<[f32]>::to_vec);
                }
                self.frozen_current.clone().filter(|s| s.len() == pixels)
            }
            Source::Photo => {
                if self.photo.is_none()
                    && let Some(img) = image_patches::photo("astronaut")
                {
                    self.photo = Some(("astronaut".into(), img.clone()));
                }
                self.photo
                    .as_ref()
                    .map(|(_, img)| image_input::pattern_from_image(img, config.space))
            }
        }
    }
}
