//! Text sizes: big and readable by default, bigger still in presentation mode.

use egui::{FontFamily, FontId, TextStyle};

/// Sets the text styles; `presentation` enlarges everything by 40 % for a lecture hall.
pub fn apply_text_sizes(ctx: &egui::Context, presentation: bool) {
    let scale = if presentation { 1.4 } else { 1.0 };
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(22.0 * scale, FontFamily::Proportional),
            ),
            (
                TextStyle::Body,
                FontId::new(16.0 * scale, FontFamily::Proportional),
            ),
            (
                TextStyle::Button,
                FontId::new(16.0 * scale, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(13.0 * scale, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(15.0 * scale, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.interact_size.y = 24.0 * scale;
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
    });
}
