//! The pictures of the current frame, crisp beside honest: line plots on 1-D spaces,
//! grey images on square retinas, round pictures on the log-polar retina ([`super::polar`]).

use egui::{Color32, ColorImage, RichText, TextureHandle, TextureOptions, Vec2};
use egui_plot::{Line, Plot, PlotPoints};
use image::GrayImage;

use super::polar::{PolarFrame, PolarTextures};
use crate::model::Space;
use crate::model::world::polar::PolarGrid;
use crate::transform::animation::Animation;
use crate::transform::export;

/// Textures of the frame shown, re-uploaded only when the frame or the orbit changes.
#[derive(Default)]
pub struct FrameView {
    crisp_tex: Option<TextureHandle>,
    honest_tex: Option<TextureHandle>,
    /// (orbit key, frame) of the textures.
    shown: Option<(u64, usize)>,
    polar: PolarTextures,
}

impl FrameView {
    /// Forgets what the textures show (a new orbit arrived).
    pub fn invalidate(&mut self) {
        self.shown = None;
    }

    /// Draws `frame` of the orbit of `animation` (identified by `key`); `photo` is the
    /// full-resolution photo the pattern came from, if it did.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        space: Space,
        animation: &Animation,
        frame: usize,
        key: u64,
        photo: Option<&GrayImage>,
    ) {
        if let Some(grid) = PolarGrid::of(space) {
            let frame = PolarFrame {
                grid,
                space,
                animation,
                frame,
                key,
                photo,
            };
            self.polar.ui(ui, &frame);
            return;
        }
        let orbit = &animation.orbit;
        let k = frame.min(orbit.len().saturating_sub(1));
        let (crisp, honest) = (&orbit.crisp[k], &orbit.honest[k]);
        let width = ((ui.available_width() - 24.0) / 2.0).max(120.0);
        match space {
            // On the log-frequency line the spectrum slides by one bin per frame.
            Space::Ring { .. } | Space::Line { .. } => {
                let (crisp_range, honest_range) = (
                    export::value_range(&orbit.crisp),
                    export::value_range(&orbit.honest),
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
                    let c = grey(crisp, side, export::value_range(&orbit.crisp));
                    let h = grey(honest, side, export::value_range(&orbit.honest));
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
