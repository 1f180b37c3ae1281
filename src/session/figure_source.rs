//! Everything an exported figure of the app is built from, and how each
//! [`FigureKind`] is built ([`crate::figure::views`]): owned data, so the figure is
//! built on a helper thread.

use std::sync::Arc;

use crate::figure::{Figure, FigureError, Palette, views};
use crate::model::Snapshot;
use crate::session::figure_kind::FigureKind;
use crate::session::worker::Published;

/// Everything a figure is built from, owned, so it can be built on a helper thread.
pub struct FigureSource {
    /// The shown snapshot (the simulation's, or an imported matrix's).
    pub snapshot: Arc<Snapshot>,
    /// The simulation's publication (None for an imported matrix).
    pub live: Option<Arc<Published>>,
    /// The heatmap's order: display position → stored index.
    pub order: Arc<Vec<usize>>,
    /// The order's name on the axes.
    pub order_name: &'static str,
    /// The neuron whose receptive field is drawn.
    pub neuron: Option<usize>,
    /// The heatmap's colours.
    pub palette: Palette,
    /// The heatmap's fixed colour range (None: from the data).
    pub range: Option<(f32, f32)>,
    /// The inspector's pinned cell.
    pub pin: Option<(usize, usize)>,
    /// The inspector's neuron (its row of `W`).
    pub row_neuron: Option<usize>,
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
pub fn build(kind: FigureKind, src: &FigureSource) -> Result<Figure, FigureError> {
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
