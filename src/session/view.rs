//! The main views of the central area, as the tabs, the View menu and `--view` name them.

/// The main views of the central area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum View {
    /// Heatmap, error plot, stimulus and activities at once.
    #[default]
    Overview,
    /// The heatmap alone, as large as possible.
    Weights,
    /// The learning curves.
    Learning,
    /// Stimulus, activities and receptive field.
    Stimulus,
    /// The selected transformation acting on the input.
    Transformation,
}

impl View {
    /// All views, in tab order (the order of the variants).
    pub fn all() -> &'static [View] {
        <View as clap::ValueEnum>::value_variants()
    }

    /// Tab title.
    pub fn name(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Weights => "Weights",
            View::Learning => "Learning curves",
            View::Stimulus => "Stimulus & detectors",
            View::Transformation => "Transformation",
        }
    }

    /// The CLI spelling, also how the settings store the view.
    pub fn key(self) -> String {
        clap::ValueEnum::to_possible_value(&self)
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }

    /// Parses the CLI spelling (`overview|weights|learning|stimulus|transformation`).
    pub fn parse(text: &str) -> Option<Self> {
        clap::ValueEnum::from_str(text, false).ok()
    }
}
