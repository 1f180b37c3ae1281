//! What a search is asked to do: the solver ([`Method`]) and every parameter
//! ([`SearchOptions`]), checked before any work starts — the one type the command line,
//! the app's search panel and its remembered settings share.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::SearchError;

/// Most results a search may be asked for (each costs an `O(n²)` error measurement).
pub const MAX_RESULTS_LIMIT: usize = 100_000;

/// Which solver to run. Its names (`auto`, `seeded`, …) are the CLI's `--method`
/// values, the JSON's `method` and the saved settings' spelling alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Spectral + seeded, then annealing and FAQ if nothing good was found.
    // (`help = None`: the CLI's help lists the names only; the app shows
    // `explanation()` as tooltips.)
    #[default]
    #[value(help = None::<&str>)]
    Auto,
    /// Pivot pair, greedy growth, 2-opt; enumerates group elements.
    #[value(help = None::<&str>)]
    Seeded,
    /// Invariant kernels, masked diagonal, one linear assignment per candidate.
    #[value(help = None::<&str>)]
    Spectral,
    /// Frank–Wolfe on the doubly-stochastic relaxation (QSA).
    #[value(help = None::<&str>)]
    Faq,
    /// Simulated annealing over transpositions.
    #[value(help = None::<&str>)]
    Anneal,
    /// Branch and bound that proves the minimum of the penalised objective over
    /// non-identity permutations (small graphs, n ≲ 20).
    #[value(help = None::<&str>)]
    Exact,
}

impl Method {
    /// Above this many nodes `exact` cannot finish: it runs to its node budget and
    /// reports the gap left.
    pub const EXACT_MAX_NEURONS: usize = 20;

    /// All methods, in CLI order.
    pub fn all() -> &'static [Method] {
        <Method as clap::ValueEnum>::value_variants()
    }

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
}

impl fmt::Display for Method {
    /// The lowercase name used by the CLI and JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match clap::ValueEnum::to_possible_value(self) {
            Some(value) => f.write_str(value.get_name()),
            None => Ok(()),
        }
    }
}

impl FromStr for Method {
    type Err = SearchError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        <Method as clap::ValueEnum>::from_str(s, false).map_err(|_| {
            let names: Vec<String> = Method::all().iter().map(Method::to_string).collect();
            SearchError::InvalidOption(format!("unknown method '{s}' ({})", names.join("|")))
        })
    }
}

/// Search parameters (validated by [`SearchOptions::check`]): one type for the CLI (its
/// flags, flattened into `search`), the app's search panel and the app's remembered
/// settings (which store it as it is; a missing field takes its default). The doc line
/// of each flag is the CLI's help text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(default)]
pub struct SearchOptions {
    /// Solver: auto (default), seeded, spectral, faq, anneal or exact (small graphs, proves the optimum).
    #[arg(long, value_enum, default_value_t = Method::Auto)]
    pub method: Method,
    /// Most results to return (also stops the enumeration once that many good ones exist).
    // Results come best first; the enumeration stops once this many results below a
    // tenth of the error of a random permutation exist.
    #[arg(long, value_name = "K", default_value_t = SearchOptions::default().max_results)]
    pub max_results: usize,
    /// Wall-clock limit in seconds. It only cancels (every stage's budget is counted in
    /// work, so a search that finishes within it gives the same results on any
    /// machine); a search it stops reports `timed_out` and its best results so far.
    #[arg(
        long = "time-limit",
        value_name = "SECONDS",
        default_value_t = SearchOptions::default().time_limit_secs
    )]
    pub time_limit_secs: f64,
    /// Most branch-and-bound nodes of `--method exact` (a work bound: the certificate
    /// reports the gap left when it is reached).
    #[serde(default = "default_max_nodes")]
    #[arg(long, value_name = "N", default_value_t = SearchOptions::default().max_nodes)]
    pub max_nodes: u64,
    /// Seed for every random choice.
    #[arg(long, value_name = "S", default_value_t = SearchOptions::default().seed)]
    pub seed: u64,
    /// Fixed-point penalty c in J = r² + c·fix/n.
    #[serde(alias = "fixed_point_penalty")]
    #[arg(long, value_name = "C", default_value_t = SearchOptions::default().penalty)]
    pub penalty: f64,
    /// Exact group: weights within T·max|w| count as equal (0 = exact equality).
    #[arg(
        long = "tolerance",
        value_name = "T",
        default_value_t = SearchOptions::default().exact_tolerance
    )]
    pub exact_tolerance: f64,
    /// Upper bound on the error of (non-exact) results treated as group
    /// elements (which must also be within 1.5× the best error); when exact
    /// results exist, only they are used.
    // Not a flag of the CLI: the app's search panel sets it.
    #[arg(skip = SearchOptions::default().group_tolerance)]
    pub group_tolerance: f64,
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
