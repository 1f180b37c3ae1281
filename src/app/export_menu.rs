//! Exporting the app's plots as figures for papers and slides: the right-click menu of
//! each view and File → Export figure ask for a path (native dialog, or typed), then the
//! figure is built from the shown data by [`crate::figure`] and written as SVG or PNG
//! (2×) on a helper thread, so the UI never waits for the encoding.

use std::path::PathBuf;
use std::sync::Arc;

use super::actions::AppAction;
use super::app_state::InvarianceApp;
use super::colormap::Colormap;
use super::heatmap::{MatrixOrder, RangeMode};
use super::worker::Published;
use crate::figure::{Figure, FigureError, Format, Palette, views};
use crate::model::Snapshot;

/// A plot of the app that exports as a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FigureKind {
    /// `e_g` and the baseline against stimuli seen, log–log, with the 1/√N guide.
    LearningCurve,
    /// ‖W‖ against stimuli seen.
    WeightNorm,
    /// Mean activity against stimuli seen.
    MeanActivity,
    /// The current stimulus.
    Stimulus,
    /// The detectors' activities in the heatmap's order.
    Activities,
    /// The receptive field of the hovered, selected or most active neuron.
    ReceptiveField,
    /// The weight matrix in the heatmap's order, colour map and range.
    Heatmap,
    /// The history of the weight shown in the inspector ([`super::inspect_panel`]).
    PinHistory,
    /// The row of `W` of the neuron shown in the inspector, in the heatmap's order.
    WeightRow,
}

impl FigureKind {
    /// Every kind, in menu order.
    pub const ALL: [FigureKind; 9] = [
        FigureKind::LearningCurve,
        FigureKind::WeightNorm,
        FigureKind::MeanActivity,
        FigureKind::Heatmap,
        FigureKind::Stimulus,
        FigureKind::Activities,
        FigureKind::ReceptiveField,
        FigureKind::PinHistory,
        FigureKind::WeightRow,
    ];

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

/// The two entries "Export as SVG… / PNG…" of a view's right-click menu (naming the
/// plot when `named`, for views that hold several).
pub fn context_items_ui(
    ui: &mut egui::Ui,
    kind: FigureKind,
    named: bool,
    queued: &mut Vec<AppAction>,
) {
    for (format, what) in [(Format::Svg, "SVG"), (Format::Png, "PNG (2×)")] {
        let label = if named {
            format!("Export {} as {what}…", kind.name())
        } else {
            format!("Export as {what}…")
        };
        if ui
            .button(label)
            .on_hover_text(format!("Write the {} as a figure file.", kind.name()))
            .clicked()
        {
            queued.push(AppAction::ExportFigureAs(kind, format));
            ui.close();
        }
    }
}

/// File → Export figure: every plot, as SVG or PNG.
pub fn file_menu_ui(ui: &mut egui::Ui, queued: &mut Vec<AppAction>) {
    ui.menu_button("Export figure", |ui| {
        for kind in FigureKind::ALL {
            ui.menu_button(kind.name(), |ui| context_items_ui(ui, kind, false, queued));
        }
    });
}

/// Shows `add_contents` with the export menu of `kinds` (the plots it draws) on a
/// right-click anywhere inside it.
pub fn with_export_menu<R>(
    ui: &mut egui::Ui,
    kinds: &[FigureKind],
    queued: &mut Vec<AppAction>,
    add_contents: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let inner = ui.scope(add_contents);
    inner.response.container_context_menu(|ui| {
        for &kind in kinds {
            context_items_ui(ui, kind, kinds.len() > 1, queued);
        }
    });
    inner.inner
}

/// Everything a figure is built from, owned, so it can be built on a helper thread.
struct FigureSource {
    snapshot: Arc<Snapshot>,
    live: Option<Arc<Published>>,
    order: Arc<Vec<usize>>,
    order_name: &'static str,
    neuron: Option<usize>,
    palette: Palette,
    range: Option<(f32, f32)>,
    /// The inspector's pinned cell and neuron.
    pin: Option<(usize, usize)>,
    row_neuron: Option<usize>,
}

/// The palette of a heatmap colour map.
fn palette_of(colormap: Colormap) -> Palette {
    match colormap {
        Colormap::Viridis => Palette::Viridis,
        Colormap::Diverging => Palette::Diverging,
    }
}

/// Builds the figure of `kind` (on the helper thread).
/// A figure that needs the whole `W` of a matrix too large to copy while it trains.
fn too_large() -> FigureError {
    FigureError::NoData(
        "this figure needs the whole matrix, which at this size is copied only for a search; \
         run a search first, or use `invariance-lab figure` on the saved experiment"
            .into(),
    )
}

fn build(kind: FigureKind, src: &FigureSource) -> Result<Figure, FigureError> {
    let no_run = || FigureError::NoData("an imported matrix has no simulation to plot".into());
    let history = &src.snapshot.history;
    Ok(match kind {
        FigureKind::LearningCurve => views::learning_curve(history).into(),
        FigureKind::WeightNorm => views::metric_curve(history, views::Metric::WeightNorm).into(),
        FigureKind::MeanActivity => {
            views::metric_curve(history, views::Metric::MeanActivity).into()
        }
        FigureKind::Heatmap => views::heatmap(
            src.snapshot.weights.full().ok_or_else(too_large)?.view(),
            &src.order,
            src.order_name,
            src.palette,
            src.range,
        )
        .into(),
        FigureKind::Stimulus => {
            let live = src.live.as_ref().ok_or_else(no_run)?;
            views::pattern(
                live.model.config.space,
                &src.snapshot.stimulus,
                &views::PatternKind::Stimulus,
            )
        }
        FigureKind::Activities => {
            views::activities(&src.snapshot.activity, &src.order, src.order_name).into()
        }
        FigureKind::PinHistory => {
            let (i, j) = src
                .pin
                .ok_or_else(|| FigureError::NoData("no weight is pinned and shown".into()))?;
            let cell =
                src.snapshot.pins.get(i, j).ok_or_else(|| {
                    FigureError::NoData(format!("w_{i},{j} is not pinned any more"))
                })?;
            views::weight_history(i, j, cell.points()).into()
        }
        FigureKind::WeightRow => {
            let n = src
                .row_neuron
                .ok_or_else(|| FigureError::NoData("no neuron is inspected".into()))?;
            let w = src.snapshot.weights.full().ok_or_else(too_large)?;
            views::weight_row(w.view(), n, &src.order, src.order_name).into()
        }
        FigureKind::ReceptiveField => {
            let live = src.live.as_ref().ok_or_else(no_run)?;
            let fields = &live.model.fields;
            let i = src
                .neuron
                .filter(|&i| i < fields.nrows())
                .ok_or_else(|| FigureError::NoData("no neuron is selected".into()))?;
            let description = live
                .model
                .labels
                .get(i)
                .map(|l| super::labels::describe_neuron(l, &live.model.config.space))
                .unwrap_or_default();
            views::pattern(
                live.model.config.space,
                &fields.row(i).to_vec(),
                &views::PatternKind::Field {
                    neuron: i,
                    description,
                },
            )
        }
    })
}

impl InvarianceApp {
    /// Asks where to write the figure of `kind` (then [`Self::export_figure_to`]).
    pub(super) fn export_figure(&mut self, kind: FigureKind, format: Format) {
        if kind.needs_simulation() && self.imported().is_some() {
            self.status.error(format!(
                "An imported matrix has no {}: only its heatmap exports as a figure.",
                kind.name()
            ));
            return;
        }
        let purpose = super::files::FilePurpose::Figure(kind, format);
        if let Some(path) = self.files.ask_path(purpose) {
            self.export_figure_to(kind, path);
        }
    }

    /// Writes the figure of `kind` from the shown data to `path` on a helper thread.
    pub(super) fn export_figure_to(&mut self, kind: FigureKind, path: PathBuf) {
        let Some(shown) = self.shown() else {
            self.status.error("Nothing to export yet.");
            return;
        };
        let (_, order) = self.current_order(shown.key, shown.neurons(), &shown.labels);
        let order_name = match self.order_mode {
            MatrixOrder::Recovered if self.selected_permutation().is_some() => "recovered",
            MatrixOrder::Truth if shown.labels.len() == shown.neurons() => "ground-truth",
            _ => "stored",
        };
        let most_active = shown.snapshot.most_active();
        let source = FigureSource {
            snapshot: shown.snapshot.clone(),
            live: self
                .imported()
                .is_none()
                .then(|| self.latest.clone())
                .flatten(),
            order,
            order_name,
            neuron: self.heatmap.selected.or(most_active),
            palette: palette_of(self.heatmap.colormap),
            range: match self.heatmap.range {
                RangeMode::Fixed(lo, hi) if lo.is_finite() && hi.is_finite() && hi > lo => {
                    Some((lo, hi))
                }
                _ => None,
            },
            pin: self.inspect.pin,
            row_neuron: self.inspect.neuron,
        };
        self.files.start_figure_export(path, move |path| {
            let figure = build(kind, &source)?;
            crate::figure::write(path, &figure)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_carry_the_format() {
        for kind in FigureKind::ALL {
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
