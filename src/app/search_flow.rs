//! The search flow of the app: starting a search on the newest snapshot, collecting
//! its outcome, and selecting a permutation (which reorders the heatmap and feeds the
//! Transformation view). Kept apart from `app_state` so the search can grow without
//! growing the app's coordination code.

use super::actions::AppAction;
use super::app_state::InvarianceApp;
use super::heatmap::MatrixOrder;
use super::search_outcome::SearchOutcome;
use super::search_panel::{Pick, SearchAction};
use super::search_task::{FoundPermutation, SearchInput, SearchSettings, SearchTask};
use super::worker::WorkerCommand;
use crate::perm::Permutation;

impl InvarianceApp {
    /// Rows of the results table.
    pub fn search_results(&self) -> &[FoundPermutation] {
        self.search
            .outcome
            .as_ref()
            .map_or(&[], |o| o.results.as_slice())
    }

    /// Whether a search is running.
    pub fn search_running(&self) -> bool {
        self.search.is_running()
    }

    /// Selects a result row (as clicking it does): the heatmap switches to the recovered order.
    pub fn select_result(&mut self, row: usize) {
        self.handle_search(SearchAction::Select(Pick::Result(row)));
    }

    /// Selects anything the panel offers (a generator link, an element, a row), as
    /// clicking it does.
    pub fn select(&mut self, pick: Pick) {
        self.handle_search(SearchAction::Select(pick));
    }

    /// The selected permutation: what the heatmap is ordered by and the Transformation
    /// view animates.
    pub fn selected_permutation(&self) -> Option<&Permutation> {
        self.search.permutation(self.search.selected?)
    }

    /// Shows a finished search as if it had just arrived from the search thread (for
    /// outcomes computed elsewhere, and for tests of the panel).
    pub fn show_search_outcome(&mut self, outcome: SearchOutcome, step: u64) {
        self.search.outcome_step = step;
        self.on_search_outcome(outcome);
    }

    pub(super) fn poll_search(&mut self) {
        let Some(task) = &mut self.search.task else {
            return;
        };
        let Some(result) = task.take_result() else {
            return;
        };
        self.search.task = None;
        match result {
            Ok(outcome) => self.on_search_outcome(outcome),
            Err(e) => self.status.error(format!("Search failed: {e}")),
        }
    }

    fn on_search_outcome(&mut self, outcome: SearchOutcome) {
        let n = outcome.results.len();
        let best = outcome.results.first().map(|r| r.error);
        let group = outcome
            .group
            .summary
            .name
            .clone()
            .filter(|_| !outcome.group.generators.is_empty());
        self.search.set_outcome(outcome);
        match (group, best) {
            (Some(name), _) => self.status.info(format!(
                "Search found the group {} ({n} candidate permutations).",
                super::group_text::screen_name(&name)
            )),
            (None, Some(b)) => self.status.info(format!(
                "Search found {n} permutations but no symmetry; best error {b:.4}."
            )),
            (None, None) => self.status.info("Search found no permutation."),
        }
        if self.search.selected.is_some() && self.startup.order == Some(MatrixOrder::Recovered) {
            self.order_mode = MatrixOrder::Recovered;
        }
        if let Some(name) = self.startup.select_match.take() {
            let space = self.shown().and_then(|s| s.space);
            match self.search.pick_recovering(&name, space.as_ref()) {
                Some(pick) => self.select(pick),
                None => self
                    .status
                    .error(format!("No search result recovers \"{name}\".")),
            }
        }
    }

    pub(super) fn start_search(&mut self) {
        self.start_search_with(self.search.settings.clone());
    }

    /// Starts a search with `settings` instead of the panel's (the lecture tour's fixed
    /// settings leave the user's untouched).
    pub(super) fn start_search_with(&mut self, settings: SearchSettings) {
        if self.search.is_running() {
            return;
        }
        let Some(p) = self.shown() else {
            self.status.error("Nothing to search yet.");
            return;
        };
        if p.snapshot.weights.summary().is_some() {
            // A matrix too large to copy while it trains: ask for one copy, and start
            // when it arrives (`poll`).
            self.worker.send(WorkerCommand::CopyWeights);
            self.pending_search = Some(settings);
            self.status.info(format!(
                "Copying the {0} × {0} weights for the search…",
                p.snapshot.weights.neurons()
            ));
            return;
        }
        let input = SearchInput {
            weights: p.snapshot.weights.clone(),
            node_weights: p.snapshot.node_weights.clone(),
            ground_truth: p.ground_truth.clone(),
            scored: p.scored.clone(),
            step: p.snapshot.step,
        };
        self.search.outcome_step = p.snapshot.step;
        self.search.outcome_subject = self
            .imported()
            .map(|i| format!("The matrix {}", i.graph.file_name()));
        self.search.task = Some(SearchTask::start(input, settings, Some(self.ctx.clone())));
        self.status.info(match self.imported() {
            Some(i) => format!("Searching the matrix {}…", i.graph.file_name()),
            None => format!("Searching the weights of step {}…", p.snapshot.step),
        });
    }

    pub(super) fn handle_search(&mut self, action: SearchAction) {
        match action {
            SearchAction::Start => self.start_search(),
            SearchAction::Cancel => self.execute(AppAction::CancelSearch),
            SearchAction::Select(pick) => {
                if self.search.permutation(pick).is_some() {
                    self.search.selected = Some(pick);
                    self.search.serial += 1;
                    self.order_mode = MatrixOrder::Recovered;
                }
            }
        }
    }
}
