//! The transformation view on the log-polar retina: the orbit drawn as round,
//! foveated pictures — crisp and honest — and, when the found map is identified as an
//! exact rotation of the retina, a third panel with the *full-resolution* photo turned
//! by the same angle per frame, so the lecture hall sees the photo turn smoothly under
//! a permutation the network found without labels.

use egui::{RichText, TextureHandle, TextureOptions, Vec2};
use image::GrayImage;

use crate::app::views::polar::{DISC_PX, grey_disc, levels_image};
use crate::model::Space;
use crate::model::world::polar::PolarGrid;
use crate::transform::animation::Animation;
use crate::transform::export;
use crate::transform::polar_render::{identified_rotation, render_turned_photo};

/// Textures of the polar view, re-rendered only when the frame or the orbit changes.
#[derive(Default)]
pub struct PolarTextures {
    crisp: Option<TextureHandle>,
    honest: Option<TextureHandle>,
    photo: Option<TextureHandle>,
    shown: Option<(u64, usize, bool)>,
}

/// Everything one frame of the polar view needs.
pub struct PolarFrame<'a> {
    /// The retina.
    pub grid: PolarGrid,
    /// The retina's space (for names in degrees).
    pub space: Space,
    /// The orbit and the induced map of the permutation.
    pub animation: &'a Animation,
    /// The frame shown.
    pub frame: usize,
    /// Identifies the orbit (textures are redrawn when it changes).
    pub key: u64,
    /// The full-resolution photo the orbit started from, if the pattern is a photo.
    pub photo: Option<&'a GrayImage>,
}

impl PolarTextures {
    /// Draws the two (or three) discs side by side.
    pub fn ui(&mut self, ui: &mut egui::Ui, f: &PolarFrame<'_>) {
        let orbit = &f.animation.orbit;
        let k = f.frame.min(orbit.len().saturating_sub(1));
        let rotation = identified_rotation(f.space, &f.animation.map);
        let turned = f.photo.and_then(|photo| f.animation.turned_photo(photo));
        let with_photo = turned.is_some();
        if self.shown != Some((f.key, k, with_photo)) {
            let ctx = ui.ctx();
            let crisp = grey_disc(
                &f.grid,
                &orbit.crisp[k],
                DISC_PX,
                export::value_range(&orbit.crisp),
            );
            let honest = grey_disc(
                &f.grid,
                &orbit.honest[k],
                DISC_PX,
                export::value_range(&orbit.honest),
            );
            set(ctx, &mut self.crisp, "polar-crisp", crisp);
            set(ctx, &mut self.honest, "polar-honest", honest);
            if let Some(t) = &turned {
                let levels = render_turned_photo(
                    &f.grid,
                    &t.photo,
                    &t.placement,
                    t.radians_per_frame * k as f64,
                    DISC_PX,
                );
                set(
                    ctx,
                    &mut self.photo,
                    "polar-photo",
                    levels_image(levels, DISC_PX),
                );
            }
            self.shown = Some((f.key, k, with_photo));
        }
        let panels = if with_photo { 3.0 } else { 2.0 };
        let side = ((ui.available_width() - 16.0 * panels) / panels)
            .min(ui.available_height() - 60.0)
            .max(120.0);
        let degrees = rotation.map(|(t, _)| f.space.describe(t));
        ui.horizontal(|ui| {
            disc_ui(
                ui,
                format!("Crisp: induced pixel map, frame {k}"),
                self.crisp.as_ref(),
                side,
            );
            disc_ui(
                ui,
                format!("Honest: decode(π^k · encode(s)), frame {k}"),
                self.honest.as_ref(),
                side,
            );
            if let (true, Some(name)) = (with_photo, &degrees) {
                disc_ui(
                    ui,
                    format!("The found map is {name}: applied to the whole photo"),
                    self.photo.as_ref(),
                    side,
                );
            }
        });
        if degrees.is_some() && !with_photo {
            ui.label(
                "The found map is an exact rotation: choose \"Photo\" to see it applied to a \
                 whole photo at full resolution.",
            );
        }
    }
}

fn disc_ui(ui: &mut egui::Ui, title: String, tex: Option<&TextureHandle>, side: f32) {
    ui.vertical(|ui| {
        ui.set_max_width(side);
        ui.label(RichText::new(title).strong());
        if let Some(tex) = tex {
            ui.add(egui::Image::new((tex.id(), Vec2::splat(side))));
        }
    });
}

fn set(ctx: &egui::Context, slot: &mut Option<TextureHandle>, name: &str, image: egui::ColorImage) {
    match slot {
        Some(tex) => tex.set(image, TextureOptions::LINEAR),
        None => *slot = Some(ctx.load_texture(name, image, TextureOptions::LINEAR)),
    }
}
