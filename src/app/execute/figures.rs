//! Exporting the app's plots as figures for papers and slides: the figure of each kind
//! is built from the shown data ([`crate::session::figure_source`]) and written as SVG
//! or PNG (2×) on a helper thread, so the UI never waits for the encoding.

use std::path::PathBuf;

use super::Executor;
use crate::figure::colour_scale::fixed_range;
use crate::figure::order::MatrixOrder;
use crate::session::figure_kind::FigureKind;
use crate::session::figure_source::{FigureSource, build};
use crate::session::jobs::files;

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
            range: fixed_range(heatmap.range),
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
