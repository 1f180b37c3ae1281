//! The search as every view shares it: the settings of the next search, the last
//! outcome, and what is selected (which reorders the heatmap and is what the
//! Transformation view animates). The running search itself is a background job
//! ([`crate::app::jobs`]).

use crate::model::Space;
use crate::perm::Permutation;
use crate::report::labels::describe_transformation;
use crate::report::outcome::{RECOVERED, SearchOutcome};
use crate::report::rows::FoundPermutation;

/// Which solver to run (SPEC §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum SearchMethod {
    /// Spectral + seeded first, then annealing and FAQ if nothing good was found.
    #[default]
    Auto,
    /// Seed pair + greedy growth + 2-opt, one run per candidate image of a pivot.
    Seeded,
    /// Frank–Wolfe on the doubly-stochastic relaxation (FAQ / QSA).
    Faq,
    /// Simulated annealing over transpositions with a fixed-point penalty.
    Anneal,
    /// One eigendecomposition and one linear assignment.
    Spectral,
    /// Branch and bound that proves the optimum; small graphs only (n ≲ 20).
    Exact,
}

impl SearchMethod {
    /// All methods, for the selector.
    pub const ALL: [SearchMethod; 6] = [
        SearchMethod::Auto,
        SearchMethod::Seeded,
        SearchMethod::Spectral,
        SearchMethod::Faq,
        SearchMethod::Anneal,
        SearchMethod::Exact,
    ];

    /// Above this many neurons `exact` cannot finish: it runs to the time limit and
    /// reports the gap left.
    pub const EXACT_MAX_NEURONS: usize = 20;

    /// Name as in the CLI and the README.
    pub fn name(self) -> &'static str {
        match self {
            SearchMethod::Auto => "auto",
            SearchMethod::Seeded => "seeded",
            SearchMethod::Faq => "faq",
            SearchMethod::Anneal => "anneal",
            SearchMethod::Spectral => "spectral",
            SearchMethod::Exact => "exact",
        }
    }

    /// One-sentence explanation for tooltips.
    pub fn explanation(self) -> &'static str {
        match self {
            SearchMethod::Auto => {
                "Spectral and seeded search first; annealing and FAQ only if they find nothing good."
            }
            SearchMethod::Seeded => {
                "Fix π(i₀) = j₀ for every candidate j₀, grow π greedily, polish by pairwise swaps; finds whole groups."
            }
            SearchMethod::Faq => {
                "Frank–Wolfe on the relaxed (doubly-stochastic) problem, then projection to a permutation and 2-opt."
            }
            SearchMethod::Anneal => {
                "Simulated annealing over transpositions with a fixed-point penalty."
            }
            SearchMethod::Spectral => {
                "Eigenvector-based similarity and one assignment; fast but blind to degenerate spectra."
            }
            SearchMethod::Exact => {
                "Branch and bound: proves the best permutation is optimal (or reports the gap left). For small graphs only, n ≲ 20."
            }
        }
    }
}

impl From<SearchMethod> for crate::search::Method {
    fn from(m: SearchMethod) -> Self {
        use crate::search::Method;
        match m {
            SearchMethod::Auto => Method::Auto,
            SearchMethod::Seeded => Method::Seeded,
            SearchMethod::Spectral => Method::Spectral,
            SearchMethod::Faq => Method::Faq,
            SearchMethod::Anneal => Method::Anneal,
            SearchMethod::Exact => Method::Exact,
        }
    }
}

/// Settings of one search.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchSettings {
    /// Solver.
    pub method: SearchMethod,
    /// Wall-clock limit in seconds.
    pub time_limit_secs: f64,
    /// Fixed-point penalty `c` in `J = r² + c·fix/n`.
    pub fixed_point_penalty: f64,
    /// Seed of the solver's randomness.
    pub seed: u64,
    /// How many distinct permutations to keep.
    pub max_results: usize,
}

impl Default for SearchSettings {
    fn default() -> Self {
        Self {
            method: SearchMethod::Auto,
            // The CLI's default: a search that stops at its limit reports results that
            // depend on the machine's speed, and on the small presets without a group
            // (`ring-random`) the whole search takes 17–19 s here, too close to 20.
            time_limit_secs: 60.0,
            fixed_point_penalty: 0.5,
            seed: 0,
            max_results: 64,
        }
    }
}

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
    pub settings: SearchSettings,
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
    /// while it trains (see [`crate::app::worker::LARGE_NEURONS`]).
    pub pending: Option<SearchSettings>,
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
