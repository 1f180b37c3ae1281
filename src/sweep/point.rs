//! One run of a sweep: train a config from its seed, record the metrics at every
//! checkpoint and, if asked, search the graph there. Deterministic: the simulation is
//! seeded from the config alone, and the search runs without a clock (see
//! [`search_options`]).

use crate::cancel::CancelToken;
use crate::graph::WeightedGraph;
use crate::model::{ConfigError, MetricsRecord, SimConfig, Simulation};
use crate::search::{self, SearchError, SearchOptions};

/// What the search found at a checkpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchMetrics {
    /// Relative error of the best non-identity permutation (NaN if none was found).
    pub best_error: f64,
    /// Order of the approximate group, exactly, in decimal (`1` when no generator was
    /// accepted).
    pub group_order: String,
    /// Fraction of the space's true transformations (that the bank is closed under)
    /// matched by a found permutation or group element; NaN without any.
    pub recovered_fraction: f64,
}

/// The record of one run at one checkpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckpointRecord {
    /// The requested stimuli count.
    pub checkpoint: u64,
    /// Steps trained: `⌈checkpoint / batch⌉`.
    pub step: u64,
    /// Stimuli actually seen, `step · batch` (≥ `checkpoint`).
    pub stimuli: u64,
    /// The metrics; `None` once training has diverged.
    pub metrics: Option<MetricsRecord>,
    /// The search's findings (sweeps with `search = true`, healthy runs).
    pub search: Option<SearchMetrics>,
    /// The step at which training diverged, if it did by this checkpoint.
    pub diverged_at_step: Option<u64>,
}

/// Why a run failed (other than being cancelled).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PointError {
    /// The simulation cannot be built from the config.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The grid point's overrides are refused (the sweep file was validated, so only
    /// if the base changed underneath).
    #[error(transparent)]
    Patch(#[from] crate::model::config::patch::PatchError),
    /// The learned graph cannot be searched.
    #[error("search: {0}")]
    Search(#[from] SearchError),
}

/// The search's wall-clock limit: far beyond any run (11.5 days), so it never ends a
/// search — what the search finds then depends on the graph and the seed only.
const SEARCH_TIME_LIMIT_SECS: f64 = 1e6;

/// The sweep's search settings: the default (`auto`) search, with the run's seed. Every
/// stage of it is bounded by counted work, never by the clock, so what it finds depends
/// on the graph and the seed only; the time limit is set far beyond any run so that it
/// never cancels one.
pub fn search_options(seed: u64) -> SearchOptions {
    SearchOptions {
        time_limit_secs: SEARCH_TIME_LIMIT_SECS,
        seed,
        ..SearchOptions::default()
    }
}

/// Trains `config` through every checkpoint (strictly increasing stimuli counts).
/// `Ok(None)` when `cancel` stopped it: a cancelled run records nothing.
pub fn run(
    config: SimConfig,
    checkpoints: &[u64],
    with_search: bool,
    cancel: &CancelToken,
) -> Result<Option<Vec<CheckpointRecord>>, PointError> {
    let batch = config.batch.max(1) as u64;
    let seed = config.seed;
    let mut sim = Simulation::new(config)?;
    // Cancelling also stops a step in progress, leaving the run as it was before it.
    sim.set_cancel(Some(cancel.clone()));
    let mut records = Vec::with_capacity(checkpoints.len());
    for &checkpoint in checkpoints {
        let step = checkpoint.div_ceil(batch);
        while sim.step_count() < step && sim.divergence().is_none() {
            if cancel.is_cancelled() {
                return Ok(None);
            }
            sim.step();
        }
        let diverged_at_step = sim.divergence().map(|d| d.step);
        let healthy = diverged_at_step.is_none() && sim.check_health().is_ok();
        let metrics = healthy.then(|| sim.metrics());
        let search = match (with_search && healthy, metrics) {
            (true, Some(_)) => match search_graph(&sim, seed, cancel)? {
                Some(found) => Some(found),
                None => return Ok(None),
            },
            _ => None,
        };
        records.push(CheckpointRecord {
            checkpoint,
            step,
            stimuli: step.saturating_mul(batch),
            metrics,
            search,
            diverged_at_step: diverged_at_step.or_else(|| (!healthy).then(|| sim.step_count())),
        });
    }
    Ok(Some(records))
}

/// Searches the learned graph; `None` when cancelled.
fn search_graph(
    sim: &Simulation,
    seed: u64,
    cancel: &CancelToken,
) -> Result<Option<SearchMetrics>, SearchError> {
    let graph = WeightedGraph::new(sim.weights(), Some(sim.node_weights()))?;
    let report = search::search(&graph, &search_options(seed), cancel, &mut |_| {})?;
    if report.cancelled || report.timed_out {
        return Ok(None);
    }
    let truths: Vec<(String, crate::perm::Permutation)> = sim
        .ground_truth_transformations()
        .into_iter()
        .map(|(t, p)| (t.to_string(), p))
        .collect();
    let (recovered, _) = crate::search::scoring::recovered_truths(&report, &truths);
    Ok(Some(SearchMetrics {
        best_error: report
            .results
            .first()
            .map_or(f64::NAN, |r| r.relative_error),
        group_order: report
            .group
            .order
            .as_ref()
            .map_or_else(|| "1".to_string(), |o| o.decimal()),
        recovered_fraction: if truths.is_empty() {
            f64::NAN
        } else {
            recovered as f64 / truths.len() as f64
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::presets;

    #[test]
    fn checkpoints_match_a_plain_training_run() {
        let mut config = presets::by_name("ring-shift").unwrap().config;
        config.batch = 10;
        let records = run(config.clone(), &[25, 100], false, &CancelToken::new())
            .unwrap()
            .unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!((records[0].step, records[0].stimuli), (3, 30));
        let mut sim = Simulation::new(config).unwrap();
        for _ in 0..10 {
            sim.step();
        }
        assert_eq!(records[1].metrics, Some(sim.metrics()));
        assert_eq!(records[1].diverged_at_step, None);
    }

    #[test]
    fn a_cancelled_run_records_nothing() {
        let cancel = CancelToken::new();
        cancel.cancel();
        let config = presets::by_name("ring-shift").unwrap().config;
        assert_eq!(run(config, &[100], true, &cancel), Ok(None));
    }

    #[test]
    fn search_recovers_the_shifts_of_a_trained_ring() {
        let config = presets::by_name("ring-shift").unwrap().config;
        let records = run(config, &[5000], true, &CancelToken::new())
            .unwrap()
            .unwrap();
        let found = records[0].search.as_ref().unwrap();
        // 64 shifts and 64 reflections on the ring; the bank of random (asymmetric)
        // kernels is closed under the shifts only: C_64, every shift recovered.
        assert_eq!(found.group_order, "64", "{found:?}");
        assert_eq!(found.recovered_fraction, 1.0, "{found:?}");
        assert!(found.best_error < 0.2, "{found:?}");
    }
}
