//! The main views of the central area, as the tabs, the View menu and `--view` name them.

/// The main views of the central area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
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
    /// All views, in tab order.
    pub const ALL: [View; 5] = [
        View::Overview,
        View::Weights,
        View::Learning,
        View::Stimulus,
        View::Transformation,
    ];

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

    /// Parses the CLI spelling (`overview|weights|learning|stimulus|transformation`).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "overview" => Some(View::Overview),
            "weights" => Some(View::Weights),
            "learning" => Some(View::Learning),
            "stimulus" => Some(View::Stimulus),
            "transformation" => Some(View::Transformation),
            _ => None,
        }
    }
}
