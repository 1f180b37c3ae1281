//! The search as every view shares it: the settings of the next search, the last
//! outcome, and what is selected (which reorders the heatmap and is what the
//! Transformation view animates). The running search itself is a background job
//! ([`crate::session::jobs`]).

use crate::model::Space;
use crate::perm::Permutation;
use crate::report::labels::describe_transformation;
use crate::report::outcome::{RECOVERED, SearchOutcome};
use crate::report::rows::FoundPermutation;
use crate::search::SearchOptions;

/// Something the user can select in the search panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// A row of the search's results (index into `SearchOutcome::results`).
    Result(usize),
    /// A generator of the approximate group (index into its generators).
    Generator(usize),
    /// A listed element of the approximate group (index into the panel's element list).
    Element(usize),
    /// A generator of the proved exact group.
    ExactGenerator(usize),
}

/// The selected permutation and where it was picked.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Which row, link or element was clicked.
    pub pick: Pick,
    /// Its permutation (stored neuron order).
    pub permutation: Permutation,
}

/// The search's shared state.
#[derive(Default)]
pub struct SearchState {
    /// Options of the next search (the panel's settings, remembered between runs).
    pub settings: SearchOptions,
    /// The last finished search.
    pub outcome: Option<SearchOutcome>,
    /// Step of the snapshot the outcome was computed on.
    pub outcome_step: u64,
    /// What was searched, when it was not a simulation step (an imported matrix's name).
    pub outcome_subject: Option<String>,
    /// What is selected.
    pub selection: Option<Selection>,
    /// Changes whenever the outcome or the selection changes (views cache by it).
    pub serial: u64,
    /// Changes whenever the outcome changes (lists built from it cache by it).
    outcome_id: u64,
    /// A search waiting for the simulation thread's copy of a matrix too large to copy
    /// while it trains (see [`crate::session::worker::LARGE_NEURONS`]).
    pub pending: Option<SearchOptions>,
}

impl SearchState {
    /// Forgets the outcome and the selection (they belong to a graph that was replaced).
    pub fn clear(&mut self) {
        self.outcome = None;
        self.selection = None;
        self.serial += 1;
        self.outcome_id += 1;
    }

    /// Identifies the current outcome (changes when it is replaced or cleared).
    pub fn serial_of_outcome(&self) -> u64 {
        self.outcome_id
    }

    /// Shows a finished search, selecting the first generator of the group (the
    /// headline's first link), or the best result when no group was found.
    pub fn set_outcome(&mut self, outcome: SearchOutcome) {
        let first = if !outcome.group.generators.is_empty() {
            Some(Pick::Generator(0))
        } else if !outcome.results.is_empty() {
            Some(Pick::Result(0))
        } else {
            None
        };
        self.outcome = Some(outcome);
        self.selection = first.and_then(|pick| self.resolve(pick));
        self.serial += 1;
        self.outcome_id += 1;
    }

    /// Selects `pick` (its permutation given for element picks, which only the panel's
    /// element list knows); ignores picks that do not exist.
    pub fn select(&mut self, pick: Pick, permutation: Option<Permutation>) {
        if let Some(selection) = permutation
            .map(|permutation| Selection { pick, permutation })
            .or_else(|| self.resolve(pick))
        {
            self.selection = Some(selection);
            self.serial += 1;
        }
    }

    /// Clears the selection (the outcome stays).
    pub fn deselect(&mut self) {
        if self.selection.take().is_some() {
            self.serial += 1;
        }
    }

    /// What is selected.
    pub fn selected(&self) -> Option<Pick> {
        self.selection.as_ref().map(|s| s.pick)
    }

    /// The selected permutation.
    pub fn selected_permutation(&self) -> Option<&Permutation> {
        self.selection.as_ref().map(|s| &s.permutation)
    }

    /// The selection a result, generator or exact generator pick refers to (None for
    /// element picks and picks that do not exist).
    fn resolve(&self, pick: Pick) -> Option<Selection> {
        let o = self.outcome.as_ref()?;
        let permutation = match pick {
            Pick::Result(k) => o.results.get(k).map(|r| &r.permutation),
            Pick::Generator(k) => o.group.generators.get(k).map(|g| &g.found.permutation),
            Pick::ExactGenerator(k) => o.exact.generators.get(k).map(|g| &g.permutation),
            Pick::Element(_) => None,
        }?;
        Some(Selection {
            pick,
            permutation: permutation.clone(),
        })
    }

    /// The first pick that recovers the true transformation called `name` (as the
    /// panel spells it): a generator if one does, else a result.
    pub fn pick_recovering(&self, name: &str, space: Option<&Space>) -> Option<Pick> {
        let o = self.outcome.as_ref()?;
        let recovers = |r: &FoundPermutation| {
            r.truth.as_ref().is_some_and(|t| {
                t.consistency >= RECOVERED
                    && describe_transformation(&t.transformation, space) == name
            })
        };
        o.group
            .generators
            .iter()
            .position(|g| recovers(&g.found))
            .map(Pick::Generator)
            .or_else(|| o.results.iter().position(recovers).map(Pick::Result))
    }
}
