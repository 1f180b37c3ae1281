//! What a search is asked to do: the solver ([`Method`]) and every parameter
//! ([`SearchOptions`]), checked before any work starts — the one type the command line,
//! the app's search panel and its remembered settings share.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::SearchError;

/// Most results a search may be asked for (each costs an `O(n²)` error measurement).
pub const MAX_RESULTS_LIMIT: usize = 100_000;

/// Which solver to run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Spectral + seeded, then annealing and FAQ if nothing good was found.
    #[default]
    Auto,
    /// Pivot pair, greedy growth, 2-opt; enumerates group elements.
    Seeded,
    /// Invariant kernels, masked diagonal, one linear assignment per candidate.
    Spectral,
    /// Frank–Wolfe on the doubly-stochastic relaxation (QSA).
    Faq,
    /// Simulated annealing over transpositions.
    Anneal,
    /// Branch and bound that proves the minimum of the penalised objective over
    /// non-identity permutations (small graphs, n ≲ 20).
    Exact,
}

impl Method {
    /// All methods, in CLI order.
    pub const ALL: [Method; 6] = [
        Method::Auto,
        Method::Seeded,
        Method::Spectral,
        Method::Faq,
        Method::Anneal,
        Method::Exact,
    ];

    /// Above this many nodes `exact` cannot finish: it runs to its node budget and
    /// reports the gap left.
    pub const EXACT_MAX_NEURONS: usize = 20;

    /// One sentence on what the method does (the app's tooltips).
    pub fn explanation(self) -> &'static str {
        match self {
            Method::Auto => {
                "Spectral and seeded search first; annealing and FAQ only if they find nothing good."
            }
            Method::Seeded => {
                "Fix π(i₀) = j₀ for every candidate j₀, grow π greedily, polish by pairwise swaps; finds whole groups."
            }
            Method::Faq => {
                "Frank–Wolfe on the relaxed (doubly-stochastic) problem, then projection to a permutation and 2-opt."
            }
            Method::Anneal => "Simulated annealing over transpositions with a fixed-point penalty.",
            Method::Spectral => {
                "Eigenvector-based similarity and one assignment; fast but blind to degenerate spectra."
            }
            Method::Exact => {
                "Branch and bound: proves the best permutation is optimal (or reports the gap left). For small graphs only, n ≲ 20."
            }
        }
    }

    /// The lowercase name used by the CLI and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Method::Auto => "auto",
            Method::Seeded => "seeded",
            Method::Spectral => "spectral",
            Method::Faq => "faq",
            Method::Anneal => "anneal",
            Method::Exact => "exact",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = SearchError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Method::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                SearchError::InvalidOption(format!(
                    "unknown method '{s}' (auto|seeded|spectral|faq|anneal|exact)"
                ))
            })
    }
}

/// Search parameters (validated by [`SearchOptions::check`]): one type for the CLI, the
/// app's search panel and the app's remembered settings (which store it as it is; a
/// missing field takes its default).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchOptions {
    /// Solver.
    pub method: Method,
    /// Most results returned (best first). Also a stopping rule: the
    /// enumeration ends once this many results below a tenth of the error
    /// of a random permutation exist.
    pub max_results: usize,
    /// Wall-clock limit in seconds. It only cancels: no stage reads the clock to
    /// decide how much to do, so a search that ends before it gives the same results
    /// whatever the limit, the machine or its load; one stopped by it says so
    /// (`timed_out`) and returns the best results so far.
    pub time_limit_secs: f64,
    /// Seed for every random choice (runs are reproducible).
    pub seed: u64,
    /// Fixed-point penalty `c` in `J = r² + c·fix/n`.
    #[serde(alias = "fixed_point_penalty")]
    pub penalty: f64,
    /// Upper bound on the error of (non-exact) results treated as group
    /// elements (which must also be within 1.5× the best error); when exact
    /// results exist, only they are used.
    pub group_tolerance: f64,
    /// The exact group's colour tolerance: weights within `exact_tolerance · max|w|`
    /// count as equal (0: exact equality).
    pub exact_tolerance: f64,
    /// Most branch-and-bound nodes of `--method exact` (a bound on the work; the
    /// certificate reports the gap left when it is reached).
    #[serde(default = "default_max_nodes")]
    pub max_nodes: u64,
}

fn default_max_nodes() -> u64 {
    SearchOptions::default().max_nodes
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            method: Method::Auto,
            max_results: 64,
            time_limit_secs: 60.0,
            seed: 0,
            penalty: 0.5,
            group_tolerance: 0.15,
            exact_tolerance: 0.0,
            max_nodes: 1_000_000,
        }
    }
}

impl SearchOptions {
    /// Checks the ranges: the error names the option at fault.
    pub fn check(&self) -> Result<(), SearchError> {
        match self.problem() {
            Some((_, message)) => Err(SearchError::InvalidOption(message)),
            None => Ok(()),
        }
    }

    /// The first option out of range, by name (`time limit`, `penalty`, …), with what is
    /// wrong with it; `None` when every option is usable.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if !(1..=MAX_RESULTS_LIMIT).contains(&self.max_results) {
            let message = format!(
                "max_results must be between 1 and {MAX_RESULTS_LIMIT}, got {}",
                self.max_results
            );
            return Some(("number of results", message));
        }
        if !(self.time_limit_secs.is_finite() && self.time_limit_secs > 0.0) {
            let message = format!(
                "time limit must be a positive number of seconds, got {}",
                self.time_limit_secs
            );
            return Some(("time limit", message));
        }
        if !(self.penalty.is_finite() && self.penalty >= 0.0) {
            let message = format!("penalty must be ≥ 0, got {}", self.penalty);
            return Some(("fixed-point penalty", message));
        }
        if !(self.group_tolerance.is_finite() && self.group_tolerance >= 0.0) {
            let message = format!("group tolerance must be ≥ 0, got {}", self.group_tolerance);
            return Some(("group tolerance", message));
        }
        if self.max_nodes == 0 {
            let message = "the node budget must be at least 1".to_owned();
            return Some(("node budget", message));
        }
        if !(self.exact_tolerance.is_finite() && (0.0..1.0).contains(&self.exact_tolerance)) {
            let message = format!(
                "exact-group tolerance must be in [0, 1), got {}",
                self.exact_tolerance
            );
            return Some(("exact-group tolerance", message));
        }
        None
    }
}
