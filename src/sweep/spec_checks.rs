//! The checks of a sweep file that need no configuration: its counts (runs, rows,
//! seeds, checkpoints — before any value is validated, so a grid too large is refused at
//! once) and its key paths (each swept once, none inside another, none both swept and set).

use serde_json::Value;

use super::spec_error::{MAX_CHECKPOINTS, MAX_ROWS, MAX_RUNS, SpecError};
use crate::model::learning::training_record::MAX_STEPS;

/// The grid's size, the seeds and the checkpoints, from the counts alone (no value is
/// validated yet): at most [`MAX_RUNS`] runs and [`MAX_ROWS`] rows, seeds present and
/// distinct, checkpoints ≥ 1, strictly increasing, at most [`MAX_CHECKPOINTS`].
pub(super) fn check_counts(
    parameters: &[(String, Value)],
    seeds: &[u64],
    checkpoints: &[u64],
) -> Result<(), SpecError> {
    if seeds.is_empty() {
        return Err(SpecError::Seeds("give at least one seed".into()));
    }
    let mut combinations = Some(1usize);
    for (path, values) in parameters {
        let len = match values {
            Value::Array(items) => items.len(),
            _ => 1,
        };
        combinations = combinations.and_then(|c| c.checked_mul(len.max(1)));
        if path.is_empty() {
            return Err(SpecError::Parameter {
                key: path.clone(),
                message: "an empty key path".into(),
            });
        }
    }
    let runs = combinations.and_then(|c| c.checked_mul(seeds.len()));
    let Some(runs) = runs.filter(|&r| r <= MAX_RUNS) else {
        return Err(SpecError::TooLarge(format!(
            "{} runs, at most {MAX_RUNS}",
            runs.map_or("more than 2^64".to_string(), |r| r.to_string())
        )));
    };
    let mut seen = std::collections::HashSet::new();
    if let Some(s) = seeds.iter().find(|s| !seen.insert(**s)) {
        return Err(SpecError::Seeds(format!("seed {s} appears twice")));
    }
    let c = checkpoints;
    if c.is_empty() || c.len() > MAX_CHECKPOINTS {
        return Err(SpecError::Checkpoints(format!(
            "give 1 to {MAX_CHECKPOINTS} stimuli counts, got {}",
            c.len()
        )));
    }
    if c[0] == 0 || c.windows(2).any(|w| w[0] >= w[1]) {
        return Err(SpecError::Checkpoints(
            "stimuli counts must be ≥ 1 and strictly increasing".into(),
        ));
    }
    // Every checkpoint needs at least one step per batch of at most MAX_BATCH stimuli.
    let last = c[c.len() - 1];
    if last.div_ceil(crate::model::config::validate::MAX_BATCH as u64) > MAX_STEPS {
        return Err(SpecError::Checkpoints(format!(
            "{last} stimuli need more than the limit of {MAX_STEPS} steps at any batch"
        )));
    }
    let rows = runs.saturating_mul(c.len());
    if rows > MAX_ROWS {
        return Err(SpecError::TooLarge(format!(
            "{runs} runs × {} checkpoints = {rows} rows, at most {MAX_ROWS}",
            c.len()
        )));
    }
    Ok(())
}

/// Each key path once: a path swept twice (`bank.size` and `"bank.size"`) would give two
/// identical columns, a path inside another (`stimulus.kind.width` and
/// `stimulus.kind.width.0`) an ambiguous value, and a path both fixed in `[set]` and
/// swept a `[set]` entry without effect.
pub(super) fn check_paths(
    sets: &[(String, Value)],
    parameters: &[(String, Value)],
) -> Result<(), SpecError> {
    let inside = |a: &str, b: &str| a == b || b.starts_with(&format!("{a}."));
    for (i, (path, _)) in parameters.iter().enumerate() {
        let err = |message: String| SpecError::Parameter {
            key: path.clone(),
            message,
        };
        for (other, _) in &parameters[..i] {
            if other == path {
                return Err(err("is swept twice (once quoted, once as a table?)".into()));
            }
            if inside(other, path) || inside(path, other) {
                return Err(err(format!("overlaps the swept key `{other}`")));
            }
        }
        if let Some((set, _)) = sets
            .iter()
            .find(|(set, _)| inside(set, path) || inside(path, set))
        {
            return Err(err(format!(
                "is also fixed under [set] (`{set}`): keep one of the two"
            )));
        }
    }
    Ok(())
}
