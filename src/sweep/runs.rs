//! Runs to compare in the learning-curve view: their `e_g` curves, the parameters that
//! tell them apart, and the slope of log `e_g` against log stimuli.
//!
//! A run comes from an experiment file (its configuration and metric history) or from
//! a sweep CSV (one row per run × checkpoint; rows are grouped into runs by every
//! column that is not a metric). Everything here is plain data, computed off the UI
//! thread by [`load_runs`] and tested without a window.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::io::csv_cells;
use crate::io::read::{ReadError, read_limited};
use crate::model::{MetricsRecord, SimConfig};

/// A sweep CSV longer than this is refused before it is read.
pub const MAX_SWEEP_CSV_BYTES: u64 = 256 << 20;

/// At most this many runs are taken from one file (more curves than anyone can read).
pub const MAX_RUNS_PER_FILE: usize = 256;

/// Columns of a sweep CSV that hold measurements, not parameters: rows are grouped
/// into runs by all other columns. `stimuli` and `e_g` must be present.
pub const METRIC_COLUMNS: &[&str] = &[
    "stimuli",
    "step",
    "steps",
    "e_g",
    "baseline",
    "e_random",
    "random_baseline",
    "weight_norm",
    "w_norm",
    "norm_w",
    "mean_activity",
    "sparsity",
    "max_weight",
    "best_error",
    "group_order",
    "recovered",
    "recovered_fraction",
    "fraction_recovered",
    "elapsed_secs",
    "search_secs",
];

/// Why a file could not be added to the comparison; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// The file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The experiment file could not be loaded (the loader's message).
    #[error("{0}")]
    Experiment(String),
    /// The CSV is not a sweep result.
    #[error("`{path}`: {problem}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        problem: String,
    },
}

/// One recorded point of a learning curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    /// Stimuli seen.
    pub stimuli: u64,
    /// Symmetry error of the true transformation.
    pub e_g: f64,
}

/// One run's learning curve and what identifies it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunCurve {
    /// The file it came from.
    pub path: PathBuf,
    /// Its name when nothing else tells it apart (file name, plus the row group for a
    /// sweep CSV).
    pub name: String,
    /// Parameters as `key path → value` (flattened configuration, or the CSV's
    /// non-metric columns).
    pub params: BTreeMap<String, String>,
    /// The curve, by increasing stimuli.
    pub points: Vec<CurvePoint>,
}

/// A least-squares line through `(log10 stimuli, log10 e_g)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlopeFit {
    /// The slope (−0.5 is the 1/√N law).
    pub slope: f64,
    /// The intercept (log10 e_g at one stimulus).
    pub intercept: f64,
    /// Points used.
    pub used: usize,
    /// Points left out at the start (the transient).
    pub skipped: usize,
    /// Stimuli of the first point used.
    pub first_stimuli: u64,
    /// Stimuli of the last point used.
    pub last_stimuli: u64,
}

impl SlopeFit {
    /// One sentence saying which points were used, for a tooltip.
    pub fn explanation(&self) -> String {
        let skipped = if self.skipped > 0 {
            format!(
                " The {} point(s) before {} stimuli (the first decade, a transient) are left out.",
                self.skipped, self.first_stimuli
            )
        } else {
            String::new()
        };
        format!(
            "Least-squares slope of log10 e_g against log10 stimuli over the {} recorded points from {} to {} stimuli.{skipped} −0.5 is the 1/√N law; a flatter slope means a plateau.",
            self.used, self.first_stimuli, self.last_stimuli
        )
    }
}

/// Fits log10 `e_g` against log10 stimuli over the points with both positive, leaving
/// out the first decade of stimuli (points below ten times the first one) when at
/// least three points remain after it; `None` with fewer than two points.
pub fn fit_slope(points: &[CurvePoint]) -> Option<SlopeFit> {
    let positive: Vec<&CurvePoint> = points
        .iter()
        .filter(|p| p.stimuli > 0 && p.e_g > 0.0 && p.e_g.is_finite())
        .collect();
    let first = positive.first()?.stimuli;
    let late: Vec<&CurvePoint> = positive
        .iter()
        .copied()
        .filter(|p| p.stimuli >= first.saturating_mul(10))
        .collect();
    let used = if late.len() >= 3 {
        late
    } else {
        positive.clone()
    };
    if used.len() < 2 {
        return None;
    }
    let xs: Vec<f64> = used.iter().map(|p| (p.stimuli as f64).log10()).collect();
    let ys: Vec<f64> = used.iter().map(|p| p.e_g.log10()).collect();
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let slope = sxy / sxx;
    Some(SlopeFit {
        slope,
        intercept: my - slope * mx,
        used: used.len(),
        skipped: positive.len() - used.len(),
        first_stimuli: used.first().map_or(0, |p| p.stimuli),
        last_stimuli: used.last().map_or(0, |p| p.stimuli),
    })
}

/// The curve of a metric history.
pub fn curve_of_history(history: &[MetricsRecord]) -> Vec<CurvePoint> {
    history
        .iter()
        .map(|r| CurvePoint {
            stimuli: r.stimuli,
            e_g: r.symmetry_error_true,
        })
        .collect()
}

/// A configuration as `key path → value` (`decay`, `bank.kernels`, …), the way the
/// experiment file spells it.
pub fn flatten_config(config: &SimConfig) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(value) = serde_json::to_value(config) {
        flatten_into(&mut out, String::new(), &value);
    }
    out
}

fn flatten_into(out: &mut BTreeMap<String, String>, prefix: String, value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten_into(out, key, v);
            }
        }
        Value::String(s) => {
            out.insert(prefix, s.clone());
        }
        // Most parameters are `f32`: print the shortest text that reads back as the
        // same `f32` (`0.001`, not the widened `0.0010000000474974513`).
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            let narrow = x as f32;
            let text = if f64::from(narrow) == x {
                narrow.to_string()
            } else {
                x.to_string()
            };
            out.insert(prefix, text);
        }
        other => {
            out.insert(prefix, other.to_string());
        }
    }
}

/// The keys whose values are not the same in every map (a key missing from a map
/// counts as a value of its own). `reference`, when given (the live run), also counts
/// for the keys it has.
pub fn differing_keys(
    runs: &[&BTreeMap<String, String>],
    reference: Option<&BTreeMap<String, String>>,
) -> Vec<String> {
    let mut keys: Vec<&String> = runs.iter().flat_map(|m| m.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| {
            let mut values = runs.iter().map(|m| m.get(*k));
            let first = values.next().flatten();
            let runs_differ = values.any(|v| v != first);
            let reference_differs = reference
                .and_then(|r| r.get(*k))
                .is_some_and(|v| first != Some(v));
            runs_differ || reference_differs
        })
        .cloned()
        .collect()
}

/// A legend name from the differing keys (`decay=0.001, seed=3`); the last component
/// of a key path is enough when it is unambiguous. Falls back to `fallback`.
pub fn legend_name(params: &BTreeMap<String, String>, keys: &[String], fallback: &str) -> String {
    let parts: Vec<String> = keys
        .iter()
        .filter_map(|k| params.get(k).map(|v| (k, v)))
        .map(|(k, v)| {
            let short = k.rsplit('.').next().unwrap_or(k);
            let unique = keys
                .iter()
                .filter(|o| o.rsplit('.').next() == Some(short))
                .count()
                == 1;
            format!("{}={v}", if unique { short } else { k.as_str() })
        })
        .collect();
    if parts.is_empty() {
        fallback.to_owned()
    } else {
        parts.join(", ")
    }
}

/// Reads the runs in a file: an experiment (`.json`) or a sweep CSV (`.csv`).
pub fn load_runs(path: &Path) -> Result<Vec<RunCurve>, CompareError> {
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        let bytes = read_limited(path, MAX_SWEEP_CSV_BYTES)?;
        let text = String::from_utf8(bytes).map_err(|e| CompareError::Csv {
            path: path.to_path_buf(),
            problem: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        })?;
        return parse_sweep_csv(path, &text).map_err(|problem| CompareError::Csv {
            path: path.to_path_buf(),
            problem,
        });
    }
    let sim = crate::io::experiment::load(path)
        .map_err(|e| CompareError::Experiment(format!("{e:#}")))?;
    let name = path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    Ok(vec![RunCurve {
        path: path.to_path_buf(),
        name,
        params: flatten_config(sim.config()),
        points: curve_of_history(sim.history()),
    }])
}

/// Parses a tidy sweep CSV: a header, then one row per run × checkpoint. Rows with the
/// same values in every non-metric column ([`METRIC_COLUMNS`]) form one run, in the
/// order the runs first appear; points are sorted by stimuli. A row whose `e_g` is
/// empty or not finite (a diverged run) adds no point.
pub fn parse_sweep_csv(path: &Path, text: &str) -> Result<Vec<RunCurve>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or("the file is empty")?;
    let columns: Vec<String> = csv_cells::split(header)
        .into_iter()
        .map(|c| c.trim().to_owned())
        .collect();
    let find = |name: &str| columns.iter().position(|c| c == name);
    let (Some(stimuli_col), Some(e_g_col)) = (find("stimuli"), find("e_g")) else {
        return Err(format!(
            "a sweep CSV needs the columns `stimuli` and `e_g`; the header has: {}",
            columns.join(", ")
        ));
    };
    let key_cols: Vec<usize> = (0..columns.len())
        .filter(|&c| !METRIC_COLUMNS.contains(&columns[c].as_str()))
        .collect();
    let stem = path.file_name().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let mut runs: Vec<RunCurve> = Vec::new();
    let mut index: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    for (line_no, line) in lines {
        let fields = csv_cells::split(line);
        if fields.len() != columns.len() {
            return Err(format!(
                "line {}: {} fields, the header has {}",
                line_no + 1,
                fields.len(),
                columns.len()
            ));
        }
        let stimuli_text = fields[stimuli_col].trim();
        let stimuli: u64 = stimuli_text.parse().map_err(|_| {
            format!(
                "line {}: stimuli `{}` is not a whole number",
                line_no + 1,
                truncate(stimuli_text)
            )
        })?;
        let e_g_text = fields[e_g_col].trim();
        let e_g: Option<f64> = if e_g_text.is_empty() {
            None
        } else {
            let v: f64 = e_g_text.parse().map_err(|_| {
                format!(
                    "line {}: e_g `{}` is not a number",
                    line_no + 1,
                    truncate(e_g_text)
                )
            })?;
            v.is_finite().then_some(v)
        };
        let key: Vec<String> = key_cols
            .iter()
            .map(|&c| fields[c].trim().to_owned())
            .collect();
        let run = match index.get(&key) {
            Some(&k) => k,
            None => {
                if runs.len() == MAX_RUNS_PER_FILE {
                    return Err(format!(
                        "more than {MAX_RUNS_PER_FILE} runs; filter the CSV to the runs to compare"
                    ));
                }
                let params = key_cols
                    .iter()
                    .zip(&key)
                    .map(|(&c, v)| (columns[c].clone(), v.clone()))
                    .collect();
                runs.push(RunCurve {
                    path: path.to_path_buf(),
                    name: format!("{stem} run {}", runs.len() + 1),
                    params,
                    points: Vec::new(),
                });
                index.insert(key, runs.len() - 1);
                runs.len() - 1
            }
        };
        if let Some(e_g) = e_g {
            runs[run].points.push(CurvePoint { stimuli, e_g });
        }
    }
    if runs.is_empty() {
        return Err("no data rows after the header".to_owned());
    }
    for r in &mut runs {
        r.points.sort_by_key(|p| p.stimuli);
    }
    Ok(runs)
}

fn truncate(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(points: &[(u64, f64)]) -> Vec<CurvePoint> {
        points
            .iter()
            .map(|&(stimuli, e_g)| CurvePoint { stimuli, e_g })
            .collect()
    }

    #[test]
    fn a_power_law_has_its_exponent_as_slope_and_the_transient_is_left_out() {
        // 1/√N from 100 stimuli on; a wild transient before (1..9) must not matter.
        let mut pts: Vec<(u64, f64)> = (1..10).map(|n| (n, 5.0 + n as f64)).collect();
        pts.extend([100u64, 300, 1000, 3000, 10_000].map(|n| (n, 2.0 / (n as f64).sqrt())));
        let fit = fit_slope(&curve(&pts)).expect("fit");
        assert!((fit.slope + 0.5).abs() < 1e-12, "{fit:?}");
        assert_eq!((fit.used, fit.skipped), (5, 9));
        assert_eq!((fit.first_stimuli, fit.last_stimuli), (100, 10_000));
        assert!(fit.explanation().contains("from 100 to 10000"));
    }

    #[test]
    fn short_curves_use_every_positive_point_and_degenerate_ones_have_no_slope() {
        let fit = fit_slope(&curve(&[(0, 1.0), (10, 1.0), (40, 0.5)])).expect("fit");
        assert_eq!(fit.used, 2);
        assert!((fit.slope - (-0.5)).abs() < 1e-12);
        assert!(fit_slope(&curve(&[(10, 1.0)])).is_none());
        assert!(fit_slope(&curve(&[(10, 1.0), (10, 0.5)])).is_none());
    }

    #[test]
    fn sweep_rows_group_by_their_parameter_columns() {
        let text = "decay,seed,stimuli,e_g,baseline\n\
                    0,1,100,0.1,1\n0,1,10000,0.01,1\n0.001,1,100,0.2,1\n\
                    0,2,100,0.12,1\n0.001,1,10000,,1\n0,2,10000,0.012,1\n";
        let runs = parse_sweep_csv(Path::new("s.csv"), text).expect("parses");
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[0].params["decay"], "0");
        assert_eq!(runs[0].params["seed"], "1");
        assert!(!runs[0].params.contains_key("baseline"));
        assert_eq!(runs[0].points.len(), 2);
        assert_eq!(runs[1].points.len(), 1, "the empty e_g adds no point");
        let maps: Vec<_> = runs.iter().map(|r| &r.params).collect();
        let keys = differing_keys(&maps, None);
        assert_eq!(keys, ["decay", "seed"]);
        assert_eq!(
            legend_name(&runs[1].params, &keys, "x"),
            "decay=0.001, seed=1"
        );
    }

    #[test]
    fn malformed_sweeps_name_the_problem() {
        let p = Path::new("s.csv");
        let missing = parse_sweep_csv(p, "a,b\n1,2\n").expect_err("no e_g");
        assert!(
            missing.contains("stimuli") && missing.contains("e_g"),
            "{missing}"
        );
        let ragged = parse_sweep_csv(p, "stimuli,e_g\n1,2,3\n").expect_err("ragged");
        assert!(ragged.contains("line 2"), "{ragged}");
        let bad = parse_sweep_csv(p, "stimuli,e_g\n1,x\n").expect_err("nan");
        assert!(bad.contains("`x`"), "{bad}");
    }

    #[test]
    fn flattened_configs_differ_exactly_where_the_parameters_do() {
        let base = crate::model::config::presets::by_name("ring-shift")
            .expect("preset")
            .config;
        let mut other = base.clone();
        other.decay = 0.001;
        other.seed = 3;
        let (a, b) = (flatten_config(&base), flatten_config(&other));
        let keys = differing_keys(&[&a, &b], None);
        assert_eq!(keys, ["decay", "seed"]);
        assert_eq!(legend_name(&b, &keys, "x"), "decay=0.001, seed=3");
        assert_eq!(legend_name(&a, &[], "fallback"), "fallback");
        // The live run counts: one overlay differing from it is named by the difference.
        assert_eq!(differing_keys(&[&b], Some(&a)), ["decay", "seed"]);
    }
}
