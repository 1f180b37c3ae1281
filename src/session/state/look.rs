//! How the app looks: the theme the user chose and presentation mode (large text, and
//! light instead of "follow the system"). Applied to egui by
//! `app/views/theme.rs`.

use serde::{Deserialize, Serialize};

/// The theme the user chose in View → Theme (remembered in the settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    /// Whatever the operating system says (dark when it says nothing).
    #[default]
    System,
    /// Dark text on a light background.
    Light,
    /// Light text on a dark background.
    Dark,
}

impl ThemeChoice {
    /// All choices, in menu order (the order of the variants).
    pub fn all() -> &'static [ThemeChoice] {
        <ThemeChoice as clap::ValueEnum>::value_variants()
    }

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "Follow the system",
            ThemeChoice::Light => "Light",
            ThemeChoice::Dark => "Dark",
        }
    }
}

/// The theme and presentation mode.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Look {
    /// The theme the user chose (presentation mode may show light instead).
    pub theme: ThemeChoice,
    /// Presentation mode: 40 % larger text, light theme, no parameter panel.
    pub presentation: bool,
}
