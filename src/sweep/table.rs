//! The sweep's tidy CSV: one row per run × checkpoint, in grid order.
//!
//! Columns: `run` (grid index), one column per swept key path (named by it), `seed`,
//! `checkpoint`, `step`, `stimuli`, `e_g`, `e_random`, `weight_norm`, `mean_activity`,
//! with search `best_error`, `group_order`, `recovered_fraction`, and last
//! `diverged_at_step` (empty for healthy runs; their metrics are then `NaN`).
//!
//! Floats are written with Rust's shortest round-trip format (`{:?}`: `0.1`, `1e-7`,
//! `NaN`), so a value read back is the value computed, and the same run always gives the
//! same bytes. Every row is one line: a cell that needs quoting is written as its JSON
//! text in CSV quotes, so no cell holds a line break.

use serde_json::Value;

use super::point::CheckpointRecord;
use super::spec::Sweep;
use crate::io::csv_cells::{self, quote};

/// A CSV cell for a parameter value: numbers and plain strings as they are, anything
/// else (lists, tables, strings with separators) as JSON text in CSV quotes.
fn value_cell(v: &Value) -> String {
    match v {
        Value::String(s) if !s.contains([',', '"', '\n', '\r']) && s.trim() == s => s.clone(),
        Value::Number(_) | Value::Bool(_) | Value::Null => v.to_string(),
        other => quote(&other.to_string()),
    }
}

/// Shortest round-trip text of a float.
fn float(x: f64) -> String {
    format!("{x:?}")
}

/// The header line (with its newline).
pub fn header(sweep: &Sweep) -> String {
    let mut cols = vec!["run".to_string()];
    cols.extend(sweep.parameters.iter().map(|p| quote(&p.path)));
    cols.extend(
        [
            "seed",
            "checkpoint",
            "step",
            "stimuli",
            "e_g",
            "e_random",
            "weight_norm",
            "mean_activity",
        ]
        .map(String::from),
    );
    if sweep.search {
        cols.extend(["best_error", "group_order", "recovered_fraction"].map(String::from));
    }
    cols.push("diverged_at_step".into());
    cols.join(",") + "\n"
}

/// The cells that identify row `k` of run `run` (through `checkpoint`), with the
/// trailing comma: what a resumed file's rows must start with.
pub fn key_prefix(sweep: &Sweep, run: usize, k: usize) -> String {
    let checkpoint = sweep.checkpoints.get(k).copied().unwrap_or(0);
    format!("{}{checkpoint},", key_base(sweep, run))
}

/// All rows of one run (one line per checkpoint, each with its newline).
pub fn run_rows(sweep: &Sweep, run: usize, records: &[CheckpointRecord]) -> String {
    let nan = f64::NAN;
    let mut out = String::new();
    for (k, r) in records.iter().enumerate() {
        let m = r.metrics.as_ref();
        let mut cells = vec![
            r.step.to_string(),
            r.stimuli.to_string(),
            float(m.map_or(nan, |m| m.symmetry_error_true)),
            float(m.map_or(nan, |m| m.symmetry_error_random)),
            float(m.map_or(nan, |m| m.weight_norm)),
            float(m.map_or(nan, |m| m.mean_activity)),
        ];
        if sweep.search {
            let s = r.search.as_ref();
            cells.push(float(s.map_or(nan, |s| s.best_error)));
            cells.push(s.map_or_else(|| "NaN".into(), |s| s.group_order.clone()));
            cells.push(float(s.map_or(nan, |s| s.recovered_fraction)));
        }
        cells.push(r.diverged_at_step.map_or(String::new(), |s| s.to_string()));
        out.push_str(&key_prefix(sweep, run, k));
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// Number of cells in a CSV line (quotes respected).
pub fn cell_count(line: &str) -> usize {
    csv_cells::split(line).len()
}

/// The cells that identify every row of run `run` — its index, parameter values and
/// seed — with the trailing comma; the checkpoint follows.
pub fn key_base(sweep: &Sweep, run: usize) -> String {
    let (values, seed) = sweep.point(run);
    let mut cells = vec![run.to_string()];
    cells.extend(values.into_iter().map(value_cell));
    cells.push(seed.to_string());
    cells.join(",") + ","
}

/// An existing output that does not belong to this sweep (or shard).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// The first line is not a sweep CSV's header at all.
    #[error(
        "it is not a sweep CSV (its first line is not a sweep's header); refusing to replace \
         it: choose another --out"
    )]
    NotSweep,
    /// The header is another sweep's: other parameters, or search on/off.
    #[error("its header is another sweep's ({detail}); use another --out, or --restart")]
    Header {
        /// Which columns differ.
        detail: String,
    },
    /// A row whose key cells differ from what this sweep would write.
    #[error(
        "line {line} does not belong to this sweep ({reason}); use another --out, or --restart"
    )]
    Foreign {
        /// 1-based line number.
        line: usize,
        /// What differs.
        reason: String,
    },
    /// Reading the file failed.
    #[error("cannot read it: {message}")]
    Io {
        /// The I/O error.
        message: String,
    },
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::sweep::spec::Format;

    /// A small sweep (2 × 2 values × 2 seeds, 2 checkpoints), shared with `resume`'s tests.
    pub(crate) fn sweep() -> Sweep {
        Sweep::parse(
            r#"{"base": "ring-shift", "seeds": [5, 6], "checkpoints": [10, 20],
                "parameters": {"decay": [0, 0.001], "activation": ["relu", "sigmoid"]}}"#,
            Format::Json,
            std::path::Path::new("."),
        )
        .unwrap()
    }

    /// A record of a diverged run at `step`.
    pub(crate) fn record(step: u64) -> CheckpointRecord {
        CheckpointRecord {
            checkpoint: step * 10,
            step,
            stimuli: step * 50,
            metrics: None,
            search: None,
            diverged_at_step: Some(1),
        }
    }

    #[test]
    fn header_and_rows_have_the_same_columns() {
        let s = sweep();
        assert_eq!(
            header(&s),
            "run,decay,activation,seed,checkpoint,step,stimuli,e_g,e_random,weight_norm,\
             mean_activity,diverged_at_step\n"
        );
        let rows = run_rows(&s, 7, &[record(1), record(2)]);
        assert_eq!(
            rows,
            "7,0.001,sigmoid,6,10,1,50,NaN,NaN,NaN,NaN,1\n7,0.001,sigmoid,6,20,2,100,NaN,NaN,NaN,NaN,1\n"
        );
    }

    #[test]
    fn awkward_values_stay_on_one_line() {
        assert_eq!(value_cell(&serde_json::json!([1.5, 4.0])), "\"[1.5,4.0]\"");
        assert_eq!(
            value_cell(&serde_json::json!("a,b\n")),
            "\"\"\"a,b\\n\"\"\""
        );
        assert_eq!(cell_count("1,\"[1,2]\",x"), 3);
    }
}
