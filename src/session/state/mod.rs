//! The app's state, free of egui: what is shown (the simulation's newest snapshot or an
//! imported matrix), the document, the view and the heatmap's order, the search's
//! outcome and selection, the status line, the look, the training controls and the
//! tour. The app's panels read it through their `PanelContext` (`app/context.rs`); only
//! `app/execute.rs` changes it.

pub mod document;
pub mod look;
pub mod order;
pub mod search;
pub mod source;
pub mod status;
pub mod tour;
pub mod training;

use std::path::PathBuf;
use std::sync::Arc;

use self::document::Document;
use self::look::Look;
use self::order::OrderState;
use self::search::SearchState;
use self::source::{AppSource, ImportedSource, Shown};
use self::status::StatusLine;
use self::training::TrainingControls;
use crate::model::NeuronLabel;
use crate::perm::Permutation;
use crate::session::state::tour::Tour;
use crate::session::view::View;
use crate::session::worker::Published;

/// Notices under the toolbar, shown until the user acts on them.
#[derive(Default)]
pub struct Notices {
    /// Why remembered settings were ignored.
    pub settings_note: Option<String>,
    /// The last experiment, offered for reopening.
    pub reopen_offer: Option<PathBuf>,
}

/// The app's state.
#[derive(Default)]
pub struct AppState {
    /// What the views show: the simulation or an imported matrix.
    pub source: AppSource,
    /// The newest publication of the simulation thread.
    pub latest: Option<Arc<Published>>,
    /// The open experiment: generation, saved state, path, recent files.
    pub document: Document,
    /// The central view.
    pub view: View,
    /// The heatmap's order.
    pub order: OrderState,
    /// The search's settings, outcome and selection.
    pub search: SearchState,
    /// The status line.
    pub status: StatusLine,
    /// Theme and presentation mode.
    pub look: Look,
    /// Speed and the "Run to step" target.
    pub training: TrainingControls,
    /// The lecture tour, while it runs.
    pub tour: Option<Tour>,
    /// Notices under the toolbar.
    pub notices: Notices,
}

impl AppState {
    /// The imported matrix, when one is shown.
    pub fn imported(&self) -> Option<&ImportedSource> {
        match &self.source {
            AppSource::Imported(i) => Some(i),
            AppSource::Simulation => None,
        }
    }

    /// The graph every view reads: the imported matrix, or the newest snapshot.
    pub fn shown(&self) -> Option<Shown> {
        match &self.source {
            AppSource::Imported(i) => Some(Shown::imported(i)),
            AppSource::Simulation => self.latest.as_deref().map(Shown::simulated),
        }
    }

    /// Whether the simulation thread reported that it is stepping.
    pub fn is_running(&self) -> bool {
        self.latest.as_ref().is_some_and(|p| p.running)
    }

    /// Step counter as last published.
    pub fn step_count(&self) -> Option<u64> {
        self.latest.as_ref().map(|p| p.snapshot.step)
    }

    /// Whether the open experiment has changes that were not saved (an imported matrix
    /// never has: the app does not change it).
    pub fn is_dirty(&self) -> bool {
        if self.imported().is_some() {
            return false;
        }
        self.latest.as_ref().is_some_and(|p| {
            self.document.differs(
                p.model.generation,
                p.snapshot.step,
                &p.snapshot.pins.cell_list(),
            )
        })
    }

    /// The selected permutation: what the heatmap is ordered by and the Transformation
    /// view animates.
    pub fn selected_permutation(&self) -> Option<&Permutation> {
        self.search.selected_permutation()
    }

    /// The heatmap order of the graph `key` with `neurons` nodes, and an id that
    /// changes with it (see [`OrderState::current`]).
    pub fn current_order(
        &mut self,
        key: u64,
        neurons: usize,
        labels: &[NeuronLabel],
    ) -> (u64, Arc<Vec<usize>>) {
        let selected = self.search.selected_permutation();
        self.order
            .current(key, neurons, labels, selected, self.search.serial)
    }
}
