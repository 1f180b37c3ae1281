//! Light and dark themes. The app follows the operating system unless the user picks
//! one; presentation mode switches to light (projectors in lit rooms wash dark UIs out)
//! unless the user picked a theme explicitly.

use egui::{Color32, Rgba, ThemePreference};

use crate::session::state::look::ThemeChoice;

/// What egui should use: the choice itself, except that presentation mode turns
/// "follow the system" into light.
pub fn preference(choice: ThemeChoice, presentation: bool) -> ThemePreference {
    match (choice, presentation) {
        (ThemeChoice::Light, _) | (ThemeChoice::System, true) => ThemePreference::Light,
        (ThemeChoice::Dark, _) => ThemePreference::Dark,
        (ThemeChoice::System, false) => ThemePreference::System,
    }
}

/// Applies the theme for `choice` in (or out of) presentation mode. Called every frame,
/// so the app's choice holds even if something else (a test harness, egui's own widgets)
/// set another preference; a no-op when it already holds.
pub fn apply_theme(ctx: &egui::Context, choice: ThemeChoice, presentation: bool) {
    let wanted = preference(choice, presentation);
    if ctx.options(|o| o.theme_preference) != wanted {
        ctx.set_theme(wanted);
    }
}

/// WCAG's minimum contrast for graphics (lines, swatches) against their background.
const MIN_LINE_CONTRAST: f32 = 3.0;

/// A line colour readable on the theme's background: on the light theme, colours too
/// pale to stand out against white (Okabe–Ito's yellow) are darkened, keeping their hue,
/// until their contrast with white reaches 3:1. The dark theme keeps them as they are.
pub fn legible_line_color(color: Color32, dark_mode: bool) -> Color32 {
    if dark_mode {
        return color;
    }
    // Contrast with white is 1.05 / (L + 0.05); luminance is linear in linear RGB.
    let max_luminance = 1.05 / MIN_LINE_CONTRAST - 0.05;
    let rgba = Rgba::from(color);
    let luminance = relative_luminance(rgba);
    if luminance <= max_luminance {
        return color;
    }
    let f = max_luminance / luminance;
    Color32::from(Rgba::from_rgba_premultiplied(
        rgba.r() * f,
        rgba.g() * f,
        rgba.b() * f,
        rgba.a(),
    ))
}

/// Relative luminance of a linear colour (ITU-R BT.709 weights, as WCAG uses).
fn relative_luminance(c: Rgba) -> f32 {
    0.2126 * c.r() + 0.7152 * c.g() + 0.0722 * c.b()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contrast_with_white(c: Color32) -> f32 {
        1.05 / (relative_luminance(Rgba::from(c)) + 0.05)
    }

    #[test]
    fn pale_lines_are_darkened_on_the_light_theme_only() {
        let yellow = Color32::from_rgb(0xF0, 0xE4, 0x42);
        assert!(contrast_with_white(yellow) < 1.5);
        let dark = legible_line_color(yellow, false);
        // Rounding to 8 bits may land a hair under 3:1.
        assert!(contrast_with_white(dark) >= 2.9, "{dark:?}");
        // Still a yellow: red and green dominate blue.
        assert!(dark.r() > dark.b() && dark.g() > dark.b(), "{dark:?}");
        assert_eq!(legible_line_color(yellow, true), yellow);
        // Colours already dark enough stay as they are.
        let blue = Color32::from_rgb(0x31, 0x68, 0x8e);
        assert_eq!(legible_line_color(blue, false), blue);
    }

    #[test]
    fn presentation_turns_only_the_system_choice_light() {
        assert_eq!(
            preference(ThemeChoice::System, true),
            ThemePreference::Light
        );
        assert_eq!(
            preference(ThemeChoice::System, false),
            ThemePreference::System
        );
        assert_eq!(preference(ThemeChoice::Dark, true), ThemePreference::Dark);
        assert_eq!(
            preference(ThemeChoice::Light, false),
            ThemePreference::Light
        );
    }

    #[test]
    fn cli_spellings_parse() {
        for &c in ThemeChoice::all() {
            let spelled = format!("{c:?}").to_lowercase();
            assert_eq!(clap::ValueEnum::from_str(&spelled, false), Ok(c));
        }
        assert!(<ThemeChoice as clap::ValueEnum>::from_str("sepia", false).is_err());
    }
}
