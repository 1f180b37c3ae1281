//! The search flow of the app: starting a search on the newest snapshot, collecting
//! its outcome, and selecting a permutation (which reorders the heatmap and feeds the
//! Transformation view). Kept apart from `app_state` so the search can grow without
//! growing the app's coordination code.

use super::actions::AppAction;
use super::app_state::InvarianceApp;
use super::heatmap::MatrixOrder;
use super::labels::describe_transformation;
use super::search_panel::SearchAction;
use super::search_task::{FoundPermutation, SearchInput, SearchTask};

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
        self.handle_search(SearchAction::Select(row));
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
            Ok(outcome) => {
                let n = outcome.results.len();
                let best = outcome.results.first().map(|r| r.error);
                self.search.outcome = Some(outcome);
                self.search.selected = (n > 0).then_some(0);
                self.search.serial += 1;
                match best {
                    Some(b) => self
                        .status
                        .info(format!("Search found {n} permutations; best error {b:.4}.")),
                    None => self.status.info("Search found no permutation."),
                }
                if n > 0 && self.startup.order == Some(MatrixOrder::Recovered) {
                    self.order_mode = MatrixOrder::Recovered;
                }
                if let Some(name) = self.startup.select_match.take() {
                    let space = self.latest.as_ref().map(|p| p.model.config.space);
                    let row = self.search.outcome.as_ref().and_then(|o| {
                        o.results.iter().position(|r| {
                            r.truth.as_ref().is_some_and(|t| {
                                t.consistency >= 0.95
                                    && describe_transformation(&t.transformation, space.as_ref())
                                        == name
                            })
                        })
                    });
                    match row {
                        Some(row) => self.select_result(row),
                        None => self
                            .status
                            .error(format!("No search result recovers \"{name}\".")),
                    }
                }
            }
            Err(e) => self.status.error(format!("Search failed: {e}")),
        }
    }

    pub(super) fn start_search(&mut self) {
        if self.search.is_running() {
            return;
        }
        let Some(p) = &self.latest else {
            self.status.error("Nothing to search yet.");
            return;
        };
        let input = SearchInput {
            weights: p.snapshot.weights.clone(),
            node_weights: p.snapshot.node_weights.clone(),
            ground_truth: p.model.ground_truth.clone(),
            step: p.snapshot.step,
        };
        self.search.outcome_step = p.snapshot.step;
        self.search.task = Some(SearchTask::start(
            input,
            self.search.settings.clone(),
            Some(self.ctx.clone()),
        ));
        self.status.info(format!(
            "Searching the weights of step {}…",
            p.snapshot.step
        ));
    }

    pub(super) fn handle_search(&mut self, action: SearchAction) {
        match action {
            SearchAction::Start => self.start_search(),
            SearchAction::Cancel => self.execute(AppAction::CancelSearch),
            SearchAction::Select(row) => {
                if row < self.search_results().len() {
                    self.search.selected = Some(row);
                    self.search.serial += 1;
                    self.order_mode = MatrixOrder::Recovered;
                }
            }
        }
    }

    pub(super) fn selected_permutation(&self) -> Option<&crate::perm::Permutation> {
        let row = self.search.selected?;
        self.search_results().get(row).map(|r| &r.permutation)
    }
}
