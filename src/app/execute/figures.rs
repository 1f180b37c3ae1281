//! Exporting the app's plots as figures for papers and slides: the figure of each kind
//! is built from the shown data by [`crate::figure`] and written as SVG or PNG (2×) on a
//! helper thread, so the UI never waits for the encoding.

use std::path::PathBuf;
use std::sync::Arc;

use super::Executor;
use crate::app::figure_kind::FigureKind;
use crate::app::jobs::files;
use crate::app::views::heatmap::RangeMode;
use crate::app::worker::Published;
use crate::figure::order::MatrixOrder;
use crate::figure::{Figure, FigureError, Palette, views};
use crate::model::Snapshot;

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

/// A figure that needs the whole `W` of a matrix too large to copy while it trains.
fn too_large() -> FigureError {
    FigureError::NoData(
        "this figure needs the whole matrix, which at this size is copied only for a search; \
         run a search first, or use `invariance-lab figure` on the saved experiment"
            .into(),
    )
}

/// Builds the figure of `kind` (on the helper thread).
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
                .map(|l| crate::report::labels::describe_neuron(l, &live.model.config.space))
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

impl Executor<'_> {
    /// Writes the figure of `kind` from the shown data to `path` on a helper thread.
    pub(super) fn export_figure_to(&mut self, kind: FigureKind, path: PathBuf) {
        let Some(shown) = self.state.shown() else {
            self.state.status.error("Nothing to export yet.");
            return;
        };
        let (_, order) = self
            .state
            .current_order(shown.key, shown.neurons(), &shown.labels);
        let selected = self.state.selected_permutation().is_some();
        let order_name = match self.state.order.effective(selected) {
            // Without labels there is no ground-truth order to show.
            MatrixOrder::Truth if shown.labels.len() != shown.neurons() => MatrixOrder::Stored,
            order => order,
        }
        .axis_name();
        let heatmap = &self.panels.central.heatmap;
        let inspect = &self.panels.inspect;
        let most_active = shown.snapshot.most_active();
        let source = FigureSource {
            snapshot: shown.snapshot.clone(),
            live: self
                .state
                .imported()
                .is_none()
                .then(|| self.state.latest.clone())
                .flatten(),
            order,
            order_name,
            neuron: heatmap.selected.or(most_active),
            palette: heatmap.colormap.palette(),
            range: match heatmap.range {
                RangeMode::Fixed(lo, hi) if lo.is_finite() && hi.is_finite() && hi > lo => {
                    Some((lo, hi))
                }
                _ => None,
            },
            pin: inspect.pin,
            row_neuron: inspect.neuron,
        };
        self.jobs.run("export-figure", move || {
            files::export_figure(path, |path| {
                let figure = build(kind, &source)?;
                crate::figure::write(path, &figure)
            })
        });
    }
}
