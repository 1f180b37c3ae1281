//! The plots of the app that export as figures (SVG, or PNG at 2×), with their names
//! in menus and the file names a save dialog suggests.

use crate::figure::Format;

/// A plot of the app that exports as a figure, in menu order (the order of the variants,
/// which is how [`FigureKind::all`] lists them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum FigureKind {
    /// `e_g` and the baseline against stimuli seen, log–log, with the 1/√N guide.
    LearningCurve,
    /// ‖W‖ against stimuli seen.
    WeightNorm,
    /// Mean activity against stimuli seen.
    MeanActivity,
    /// The weight matrix in the heatmap's order, colour map and range.
    Heatmap,
    /// The current stimulus.
    Stimulus,
    /// The detectors' activities in the heatmap's order.
    Activities,
    /// The receptive field of the hovered, selected or most active neuron.
    ReceptiveField,
    /// The history of the weight shown in the inspector (`app/panels/inspect.rs`).
    PinHistory,
    /// The row of `W` of the neuron shown in the inspector, in the heatmap's order.
    WeightRow,
}

impl FigureKind {
    /// Every kind, in menu order.
    pub fn all() -> &'static [FigureKind] {
        <FigureKind as clap::ValueEnum>::value_variants()
    }

    /// Name in menus.
    pub fn name(self) -> &'static str {
        match self {
            FigureKind::LearningCurve => "learning curve",
            FigureKind::WeightNorm => "weight norm",
            FigureKind::MeanActivity => "mean activity",
            FigureKind::Stimulus => "stimulus",
            FigureKind::Activities => "activities",
            FigureKind::ReceptiveField => "receptive field",
            FigureKind::Heatmap => "heatmap",
            FigureKind::PinHistory => "pinned weight",
            FigureKind::WeightRow => "row of W",
        }
    }

    /// The file name a save dialog suggests.
    pub fn file_name(self, format: Format) -> &'static str {
        use FigureKind as K;
        match (self, format) {
            (K::LearningCurve, Format::Svg) => "learning-curve.svg",
            (K::LearningCurve, Format::Png) => "learning-curve.png",
            (K::WeightNorm, Format::Svg) => "weight-norm.svg",
            (K::WeightNorm, Format::Png) => "weight-norm.png",
            (K::MeanActivity, Format::Svg) => "mean-activity.svg",
            (K::MeanActivity, Format::Png) => "mean-activity.png",
            (K::Stimulus, Format::Svg) => "stimulus.svg",
            (K::Stimulus, Format::Png) => "stimulus.png",
            (K::Activities, Format::Svg) => "activities.svg",
            (K::Activities, Format::Png) => "activities.png",
            (K::ReceptiveField, Format::Svg) => "receptive-field.svg",
            (K::ReceptiveField, Format::Png) => "receptive-field.png",
            (K::Heatmap, Format::Svg) => "heatmap.svg",
            (K::Heatmap, Format::Png) => "heatmap.png",
            (K::PinHistory, Format::Svg) => "pinned-weight.svg",
            (K::PinHistory, Format::Png) => "pinned-weight.png",
            (K::WeightRow, Format::Svg) => "weight-row.svg",
            (K::WeightRow, Format::Png) => "weight-row.png",
        }
    }

    /// Whether the plot exists for an imported matrix (only the heatmap does).
    pub fn needs_simulation(self) -> bool {
        self != FigureKind::Heatmap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_carry_the_format() {
        for &kind in FigureKind::all() {
            for format in [Format::Svg, Format::Png] {
                let name = kind.file_name(format);
                assert_eq!(
                    Format::from_path(std::path::Path::new(name)).unwrap(),
                    format,
                    "{name}"
                );
            }
        }
    }
}
