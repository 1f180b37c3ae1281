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

use std::collections::BTreeMap;

use serde_json::Value;

use super::point::CheckpointRecord;
use super::spec::Sweep;

/// A CSV cell for a parameter value: numbers and plain strings as they are, anything
/// else (lists, tables, strings with separators) as JSON text in CSV quotes.
fn value_cell(v: &Value) -> String {
    match v {
        Value::String(s) if !s.contains([',', '"', '\n', '\r']) && s.trim() == s => s.clone(),
        Value::Number(_) | Value::Bool(_) | Value::Null => v.to_string(),
        other => quote(&other.to_string()),
    }
}

/// CSV quoting (RFC 4180): in double quotes, inner quotes doubled.
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
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
    let (values, seed) = sweep.point(run);
    let mut cells = vec![run.to_string()];
    cells.extend(values.into_iter().map(value_cell));
    cells.push(seed.to_string());
    cells.push(sweep.checkpoints.get(k).copied().unwrap_or(0).to_string());
    cells.join(",") + ","
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
fn cell_count(line: &str) -> usize {
    let mut quoted = false;
    let mut count = 1;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => count += 1,
            _ => {}
        }
    }
    count
}

/// An existing output that does not belong to this sweep (or shard).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// The header differs: other parameters, or search on/off.
    #[error(
        "its header differs from this sweep's (other parameters, or search on/off); \
         use another --out\n  file:  {found}  sweep: {expected}"
    )]
    Header {
        /// The file's first line.
        found: String,
        /// This sweep's header.
        expected: String,
    },
    /// A row whose key cells differ from what this sweep would write.
    #[error("line {line} does not belong to this sweep ({reason}); use another --out")]
    Foreign {
        /// 1-based line number.
        line: usize,
        /// What differs.
        reason: String,
    },
}

/// The rows of an existing output file, grouped by run.
#[derive(Debug, Default)]
pub struct Existing {
    /// Complete runs' rows (all checkpoints, well-formed), by run.
    pub complete: BTreeMap<usize, String>,
    /// Runs with only some rows (an interrupted append); they are computed again.
    pub incomplete: usize,
}

/// Reads an existing output for resuming: the header must be this sweep's, every row
/// must belong to a run of `runs` with this sweep's key cells; a run is kept only if all
/// its rows are there and whole (a line without its newline is a torn write).
pub fn read_existing(
    text: &str,
    sweep: &Sweep,
    runs: std::ops::Range<usize>,
) -> Result<Existing, TableError> {
    let expected_header = header(sweep);
    if text.is_empty() {
        return Ok(Existing::default());
    }
    let Some(first_end) = text.find('\n') else {
        // A torn header: nothing was recorded yet.
        return Ok(Existing::default());
    };
    if text[..=first_end] != expected_header {
        return Err(TableError::Header {
            found: text[..first_end].to_string(),
            expected: expected_header.trim_end().to_string(),
        });
    }
    let columns = cell_count(expected_header.trim_end());
    let per_run = sweep.checkpoints.len();
    let mut rows: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    let body = &text[first_end + 1..];
    // `split_inclusive` keeps each line's newline; the last piece lacks it if torn.
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let number = i + 2;
        let foreign = |reason: String| TableError::Foreign {
            line: number,
            reason,
        };
        if !line.ends_with('\n') {
            continue;
        }
        let run: usize = line
            .split(',')
            .next()
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| foreign("no run index".into()))?;
        if !runs.contains(&run) {
            return Err(foreign(format!(
                "run {run} is not among this shard's runs {}..{}",
                runs.start, runs.end
            )));
        }
        let have = rows.entry(run).or_default();
        let k = have.len();
        if k >= per_run {
            return Err(foreign(format!("run {run} has more than {per_run} rows")));
        }
        if !line.starts_with(&key_prefix(sweep, run, k)) {
            return Err(foreign(format!(
                "run {run}'s parameters, seed or checkpoint differ: expected `{}…`",
                key_prefix(sweep, run, k)
            )));
        }
        if cell_count(line.trim_end_matches('\n')) != columns {
            // A row cut short inside a run's block: the run is redone.
            have.push("");
            continue;
        }
        have.push(line);
    }
    let mut existing = Existing::default();
    for (run, lines) in rows {
        if lines.len() == per_run && lines.iter().all(|l| !l.is_empty()) {
            existing.complete.insert(run, lines.concat());
        } else {
            existing.incomplete += 1;
        }
    }
    Ok(existing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::spec::Format;

    fn sweep() -> Sweep {
        Sweep::parse(
            r#"{"base": "ring-shift", "seeds": [5, 6], "checkpoints": [10, 20],
                "parameters": {"decay": [0, 0.001], "activation": ["relu", "sigmoid"]}}"#,
            Format::Json,
            std::path::Path::new("."),
        )
        .unwrap()
    }

    fn record(step: u64) -> CheckpointRecord {
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
    fn resume_keeps_whole_runs_and_refuses_foreign_rows() {
        let s = sweep();
        let whole = header(&s) + &run_rows(&s, 3, &[record(1), record(2)]);
        let half = run_rows(&s, 1, &[record(1), record(2)]);
        let torn = &half[..half.len() - 3];
        let e = read_existing(&(whole.clone() + torn), &s, 0..8).unwrap();
        assert_eq!(e.complete.keys().copied().collect::<Vec<_>>(), [3]);
        assert_eq!(e.incomplete, 1);
        assert!(
            read_existing(&whole, &s, 4..8).is_err(),
            "run 3 is another shard's"
        );
        let other = whole.replace("3,0,sigmoid,6", "3,0,relu,6");
        let e = read_existing(&other, &s, 0..8).unwrap_err().to_string();
        assert!(e.contains("line 2 does not belong"), "{e}");
        let e = read_existing(&whole.replace("decay", "lambda"), &s, 0..8).unwrap_err();
        assert!(matches!(e, TableError::Header { .. }));
        assert!(read_existing("", &s, 0..8).unwrap().complete.is_empty());
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
