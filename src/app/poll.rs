//! What arrives between frames: the worker's snapshots and events, finished file work,
//! files dropped on the window.

use std::path::PathBuf;

use super::actions::AppAction;
use super::app_state::InvarianceApp;
use super::heatmap::MatrixOrder;
use super::imported::{AppSource, is_matrix_path};
use super::view::View;
use super::worker::{Published, WorkerEvent};

impl InvarianceApp {
    /// Dropped files: in the learning-curve view experiments and sweep CSVs are added
    /// to the comparison; anywhere else the first file is opened (an experiment, or a
    /// matrix as an imported graph).
    pub(super) fn on_dropped(&mut self, dropped: Vec<PathBuf>) {
        if self.view == View::Learning {
            let (runs, others): (Vec<PathBuf>, Vec<PathBuf>) = dropped.into_iter().partition(|p| {
                !is_matrix_path(p) || p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            });
            for path in runs {
                self.add_runs(path);
            }
            if let Some(path) = others.into_iter().next() {
                self.queued.push(AppAction::OpenPath(path));
            }
        } else if let Some(path) = dropped.into_iter().next() {
            self.queued.push(AppAction::OpenPath(path));
        }
    }

    pub(super) fn poll(&mut self) {
        for event in self.worker.drain_events() {
            match event {
                WorkerEvent::ConfigRejected(msg) => {
                    self.status.error(format!("Settings rejected: {msg}"))
                }
                WorkerEvent::PinRejected(msg) => self.status.error(format!("Not pinned: {msg}")),
                WorkerEvent::Replaced { .. } => {}
            }
        }
        if let Some(p) = self.worker.latest() {
            let new_generation = p.model.generation != self.generation_seen;
            self.latest = Some(p.clone());
            if new_generation {
                self.pending_search = None;
                self.on_new_generation(&p);
            }
            // The copy a waiting search asked for has arrived.
            if self.pending_search.is_some() && p.snapshot.weights.summary().is_none() {
                if let Some(settings) = self.pending_search.take() {
                    self.start_search_with(settings);
                }
            }
        }
        for event in self.files.drain() {
            self.on_file_event(event);
        }
        self.poll_search();
        self.startup_progress();
    }

    fn on_new_generation(&mut self, p: &Published) {
        // A preset or an experiment replaced whatever was shown, an imported matrix too.
        self.source = AppSource::Simulation;
        self.generation_seen = p.model.generation;
        self.clean = Some((
            p.model.generation,
            p.snapshot.step,
            p.snapshot.pins.cell_list(),
        ));
        self.search.clear();
        self.order_cache = None;
        self.params.draft = None;
        self.heatmap.hovered = None;
        self.heatmap.selected = None;
        self.inspect.clear();
        if self.order_mode == MatrixOrder::Recovered {
            self.order_mode = MatrixOrder::Stored;
        }
        self.startup.note_generation(p.model.generation);
    }
}
