//! Reading an existing sweep output to resume it.
//!
//! The first line is read alone (at most [`MAX_HEADER_BYTES`]) and must be this sweep's
//! header before anything else is read, so a file that is not a sweep CSV — an
//! experiment file, a 3 GiB log — is refused after one line, never read whole or
//! overwritten. The rows are then read line by line: every row must belong to this
//! sweep's runs; a run is kept when a whole row is there for each of its checkpoints.
//! Rows written twice (two sweeps that once ran into one file) are identical by
//! construction: one is kept and the file is repaired by the canonical rewrite. A torn
//! or garbled line (a write cut short by a kill) only makes its run be computed again.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::ops::Range;

use super::spec::Sweep;
use super::table::{self, TableError};
use crate::io::csv_cells;

/// Longest first line read when checking a header.
pub const MAX_HEADER_BYTES: usize = 64 << 10;

/// Longest row read; a longer line is garbage (rows are a few hundred bytes).
const MAX_ROW_BYTES: usize = 1 << 20;

/// The rows of an existing output file, grouped by run.
#[derive(Debug, Default)]
pub struct Existing {
    /// Complete runs' rows (all checkpoints, well-formed), by run.
    pub complete: BTreeMap<usize, String>,
    /// Runs with only some rows (an interrupted append); they are computed again.
    pub incomplete: usize,
    /// Rows found more than once (kept once).
    pub duplicates: usize,
    /// Lines that were torn or garbled (their runs are computed again if incomplete).
    pub damaged: usize,
}

/// Reads one line of at most `max` bytes (with its newline); `Ok(None)` at the end of
/// the file. A longer line is returned cut at `max` bytes, without a newline, and the
/// rest of it is skipped.
pub fn read_line(reader: &mut impl BufRead, max: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let mut overflow = false;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok((!line.is_empty() || overflow).then_some(line));
        }
        let (chunk, found) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let used = chunk.len();
        if !overflow {
            let room = max.saturating_sub(line.len());
            if chunk.len() <= room {
                line.extend_from_slice(chunk);
            } else {
                line.extend_from_slice(&chunk[..room]);
                overflow = true;
            }
        }
        reader.consume(used);
        if found {
            if overflow && line.last() == Some(&b'\n') {
                line.pop();
            }
            return Ok(Some(line));
        }
    }
}

/// Whether `line` (without its newline) is the header of some sweep CSV.
pub fn is_sweep_header(line: &str) -> bool {
    line.starts_with("run,") && line.ends_with(",diverged_at_step")
}

/// Checks the file's first line against this sweep's header (both without the newline).
pub fn check_header(found: &str, expected: &str) -> Result<(), TableError> {
    if found == expected {
        return Ok(());
    }
    if !is_sweep_header(found) {
        return Err(TableError::NotSweep);
    }
    let (have, want) = (csv_cells::split(found), csv_cells::split(expected));
    let only = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter()
            .filter(|c| !b.contains(c))
            .take(4)
            .map(|c| format!("`{}`", c.chars().take(40).collect::<String>()))
            .collect()
    };
    let (extra, missing) = (only(&have, &want), only(&want, &have));
    let detail = match (extra.is_empty(), missing.is_empty()) {
        (true, true) => "its columns are in another order".to_string(),
        _ => format!(
            "the file has columns {} that this sweep lacks, this sweep {} that the file lacks",
            if extra.is_empty() {
                "none".into()
            } else {
                extra.join(", ")
            },
            if missing.is_empty() {
                "none".into()
            } else {
                missing.join(", ")
            },
        ),
    };
    Err(TableError::Header { detail })
}

/// Reads the rows after the header (see the module docs). `runs` are this shard's.
pub fn read_rows(
    reader: &mut impl BufRead,
    sweep: &Sweep,
    runs: Range<usize>,
) -> Result<Existing, TableError> {
    let header = table::header(sweep);
    let columns = table::cell_count(header.trim_end());
    let per_run = sweep.checkpoints.len();
    let index: HashMap<u64, usize> = sweep
        .checkpoints
        .iter()
        .enumerate()
        .map(|(k, &c)| (c, k))
        .collect();
    let mut rows: BTreeMap<usize, Vec<Option<String>>> = BTreeMap::new();
    let mut existing = Existing::default();
    let mut number = 1;
    while let Some(bytes) = read_line(reader, MAX_ROW_BYTES).map_err(|e| TableError::Io {
        message: e.to_string(),
    })? {
        number += 1;
        let foreign = |reason: String| TableError::Foreign {
            line: number,
            reason,
        };
        let Ok(line) = String::from_utf8(bytes) else {
            existing.damaged += 1;
            continue;
        };
        // A line without its newline is a torn write; a wrong cell count a garbled one.
        if !line.ends_with('\n') || table::cell_count(line.trim_end_matches('\n')) != columns {
            existing.damaged += 1;
            continue;
        }
        let Some(run) = line.split(',').next().and_then(|c| c.parse::<usize>().ok()) else {
            existing.damaged += 1;
            continue;
        };
        if !runs.contains(&run) {
            return Err(foreign(format!(
                "run {run} is not among this shard's runs {}..{}",
                runs.start, runs.end
            )));
        }
        let key = table::key_base(sweep, run);
        let Some(rest) = line.strip_prefix(&key) else {
            return Err(foreign(format!(
                "run {run}'s parameters or seed differ: expected `{}…`",
                key.chars().take(60).collect::<String>()
            )));
        };
        let checkpoint = rest.split(',').next().and_then(|c| c.parse::<u64>().ok());
        let Some(&k) = checkpoint.and_then(|c| index.get(&c)) else {
            return Err(foreign(format!(
                "run {run}'s checkpoint is not one of this sweep's"
            )));
        };
        let slots = rows.entry(run).or_insert_with(|| vec![None; per_run]);
        match &slots[k] {
            None => slots[k] = Some(line),
            Some(first) if *first == line => existing.duplicates += 1,
            Some(_) => {
                return Err(foreign(format!(
                    "run {run} has two different rows for checkpoint {}",
                    sweep.checkpoints[k]
                )));
            }
        }
    }
    for (run, slots) in rows {
        if slots.iter().all(Option::is_some) {
            existing
                .complete
                .insert(run, slots.into_iter().flatten().collect());
        } else {
            existing.incomplete += 1;
        }
    }
    Ok(existing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::table::tests::{record, sweep};

    fn read(body: &str, runs: Range<usize>) -> Result<Existing, TableError> {
        read_rows(&mut body.as_bytes(), &sweep(), runs)
    }

    #[test]
    fn whole_runs_are_kept_torn_ones_redone_foreign_rows_refused() {
        let s = sweep();
        let whole = table::run_rows(&s, 3, &[record(1), record(2)]);
        let half = table::run_rows(&s, 1, &[record(1), record(2)]);
        let torn = &half[..half.len() - 3];
        let e = read(&(whole.clone() + torn), 0..8).unwrap();
        assert_eq!(e.complete.keys().copied().collect::<Vec<_>>(), [3]);
        assert_eq!((e.incomplete, e.damaged), (1, 1));
        assert!(read(&whole, 4..8).is_err(), "run 3 is another shard's");
        let other = whole.replace("3,0,sigmoid,6", "3,0,relu,6");
        let e = read(&other, 0..8).unwrap_err().to_string();
        assert!(e.contains("line 2 does not belong"), "{e}");
    }

    #[test]
    fn duplicated_runs_are_kept_once_in_any_interleaving() {
        let s = sweep();
        let a = table::run_rows(&s, 0, &[record(1), record(2)]);
        let b = table::run_rows(&s, 5, &[record(1), record(2)]);
        let (a0, a1) = a.split_at(a.find('\n').unwrap() + 1);
        let body = format!("{a}{b}{a0}{b}{a1}");
        let e = read(&body, 0..8).unwrap();
        assert_eq!(e.complete.len(), 2);
        assert_eq!(e.complete[&0], a);
        assert_eq!(e.duplicates, 4);
        // Two different rows for one checkpoint are not duplicates.
        let changed = format!("{a}{}", a.replacen("NaN", "0.5", 1));
        assert!(read(&changed, 0..8).is_err());
    }

    #[test]
    fn headers_are_compared_without_quoting_the_file() {
        let s = sweep();
        let h = table::header(&s);
        let h = h.trim_end();
        assert!(check_header(h, h).is_ok());
        let e = check_header("{\"format_version\": 1, \"secret\": 42}", h).unwrap_err();
        assert!(matches!(e, TableError::NotSweep));
        assert!(!e.to_string().contains("secret"));
        let e = check_header(&h.replace("decay", "lambda"), h)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`lambda`") && e.contains("`decay`"), "{e}");
    }

    #[test]
    fn long_lines_are_cut_not_read_whole() {
        let text = format!("{}\nnext\n", "x".repeat(100));
        let mut r = text.as_bytes();
        let first = read_line(&mut r, 10).unwrap().unwrap();
        assert_eq!(first, b"xxxxxxxxxx");
        assert_eq!(read_line(&mut r, 10).unwrap().unwrap(), b"next\n");
        assert_eq!(read_line(&mut r, 10).unwrap(), None);
    }
}
