//! Sweep files: a base configuration, parameters with lists of values, seeds and
//! checkpoints, in JSON or TOML (by extension), validated completely — every grid point
//! through [`SimConfig::check`] — before any work starts.
//!
//! ```toml
//! base = "ring-shift"                 # a preset, or a config file relative to this file
//! seeds = [1, 2, 3, 4]
//! checkpoints = [500, 1000, 2000]     # stimuli seen when metrics are recorded
//! search = false                      # true: search every checkpoint's graph
//! [set]                               # optional fixed overrides (no CSV column)
//! batch = 25
//! [parameters]                        # key path → values; first key varies slowest
//! decay = [0.0, 1e-4, 1e-3]
//! "bank.kernels" = [4, 8]             # or bank.kernels = [4, 8] (a nested table)
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::ordered::Node;
use super::spec_checks::{check_counts, check_paths};
use super::spec_error::SpecError;

use crate::io::config_file;
use crate::io::read::read_limited;
use crate::model::config::patch::{self as config_patch, PatchError};
use crate::model::learning::training_record::MAX_STEPS;
use crate::model::{SimConfig, presets};

/// Largest sweep file read.
pub const MAX_SPEC_BYTES: u64 = 1 << 20;

/// One swept key path and its values, in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Dotted key path into the config (the CSV column name).
    pub path: String,
    /// The values, in file order.
    pub values: Vec<Value>,
}

/// A validated sweep: the grid is every combination of parameter values (the first
/// parameter varying slowest) × every seed (fastest).
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// The base config after `set`.
    pub base: SimConfig,
    /// The swept parameters.
    pub parameters: Vec<Parameter>,
    /// Master seeds; each run's config gets one.
    pub seeds: Vec<u64>,
    /// Stimuli counts at which metrics are recorded, strictly increasing.
    pub checkpoints: Vec<u64>,
    /// Whether every checkpoint's graph is searched.
    pub search: bool,
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    base: String,
    #[serde(default)]
    set: Option<Node>,
    #[serde(default)]
    parameters: Option<Node>,
    seeds: Vec<u64>,
    checkpoints: Vec<u64>,
    #[serde(default)]
    search: bool,
}

/// The file format, from the extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `.json`
    Json,
    /// `.toml`
    Toml,
}

impl Sweep {
    /// Reads and validates a sweep file; `base` paths are relative to its folder.
    pub fn from_file(path: &Path) -> Result<Self, SpecError> {
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            Some(e) if e.eq_ignore_ascii_case("toml") => Format::Toml,
            _ => return Err(SpecError::Extension(path.to_path_buf())),
        };
        let bytes = read_limited(path, MAX_SPEC_BYTES)?;
        let syntax = |message: String| SpecError::Syntax {
            path: path.to_path_buf(),
            message,
        };
        let text = String::from_utf8(bytes).map_err(|_| syntax("not UTF-8 text".into()))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        Self::parse(&text, format, dir).map_err(|e| match e {
            SpecError::Syntax { message, .. } => syntax(message),
            other => other,
        })
    }

    /// Parses and validates sweep text; `dir` resolves a relative `base` file.
    pub fn parse(text: &str, format: Format, dir: &Path) -> Result<Self, SpecError> {
        let syntax = |message: String| SpecError::Syntax {
            path: PathBuf::from("(sweep)"),
            message: message.trim().replace('\n', " "),
        };
        let raw: RawSpec = match format {
            Format::Json => serde_json::from_str(text).map_err(|e| syntax(e.to_string()))?,
            Format::Toml => toml::from_str(text).map_err(|e| {
                let line = e
                    .span()
                    .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
                syntax(match line {
                    Some(line) => format!("line {line}: {}", e.message()),
                    None => e.message().to_string(),
                })
            })?,
        };
        let mut sets = Vec::new();
        if let Some(node) = raw.set {
            node.flatten("", &mut sets);
        }
        let mut flat = Vec::new();
        if let Some(node) = raw.parameters {
            node.flatten("", &mut flat);
        }
        // Counts first, before any value is validated: a grid too large is refused at
        // once, however many values it lists.
        check_counts(&flat, &raw.seeds, &raw.checkpoints)?;
        check_paths(&sets, &flat)?;
        let base = resolve_base(&raw.base, dir)?;
        let base = config_patch::apply(&base, &sets).map_err(SpecError::Set)?;
        let parameters = flat
            .into_iter()
            .map(|(path, v)| check_parameter(&base, path, v))
            .collect::<Result<Vec<_>, _>>()?;
        let sweep = Sweep {
            base,
            parameters,
            seeds: raw.seeds,
            checkpoints: raw.checkpoints,
            search: raw.search,
        };
        sweep.check_grid()?;
        Ok(sweep)
    }

    /// Number of runs: parameter combinations × seeds.
    pub fn runs(&self) -> usize {
        self.combinations().saturating_mul(self.seeds.len())
    }

    /// Number of parameter combinations (1 without parameters).
    pub fn combinations(&self) -> usize {
        self.parameters
            .iter()
            .fold(1usize, |n, p| n.saturating_mul(p.values.len()))
    }

    /// The value index of every parameter in combination `combination` (the last
    /// parameter varies fastest).
    pub fn value_indices(&self, combination: usize) -> Vec<usize> {
        let mut rest = combination;
        let mut indices = vec![0; self.parameters.len()];
        for (slot, p) in indices.iter_mut().zip(&self.parameters).rev() {
            let len = p.values.len().max(1);
            *slot = rest % len;
            rest /= len;
        }
        indices
    }

    /// Run `run`'s parameter values (in parameter order) and seed.
    pub fn point(&self, run: usize) -> (Vec<&Value>, u64) {
        let seeds = self.seeds.len().max(1);
        let values = self
            .value_indices(run / seeds)
            .into_iter()
            .zip(&self.parameters)
            .map(|(i, p)| &p.values[i])
            .collect();
        (values, self.seeds.get(run % seeds).copied().unwrap_or(0))
    }

    /// The config of run `run` (validated when the sweep was).
    pub fn config(&self, run: usize) -> Result<SimConfig, PatchError> {
        let seeds = self.seeds.len().max(1);
        let mut config = self.combination_config(run / seeds)?;
        config.seed = self.seeds.get(run % seeds).copied().unwrap_or(config.seed);
        Ok(config)
    }

    /// The base with combination `combination`'s values set (seed untouched).
    fn combination_config(&self, combination: usize) -> Result<SimConfig, PatchError> {
        let sets: Vec<(String, Value)> = self
            .value_indices(combination)
            .into_iter()
            .zip(&self.parameters)
            .map(|(i, p)| (p.path.clone(), p.values[i].clone()))
            .collect();
        config_patch::apply(&self.base, &sets)
    }

    /// Every combination's validity, and the steps its last checkpoint needs (the
    /// counts were checked by [`check_counts`] before).
    fn check_grid(&self) -> Result<(), SpecError> {
        let c = &self.checkpoints;
        let last = c[c.len() - 1];
        for combination in 0..self.combinations() {
            let config = self.combination_config(combination).map_err(|e| {
                let (values, _) = self.point(combination * self.seeds.len());
                SpecError::Parameter {
                    key: self.describe(&values),
                    message: e.to_string(),
                }
            })?;
            let steps = last.div_ceil(config.batch as u64);
            if steps > MAX_STEPS {
                return Err(SpecError::Checkpoints(format!(
                    "{last} stimuli at batch {} need {steps} steps, more than the limit \
                     {MAX_STEPS} (as `train --steps`)",
                    config.batch
                )));
            }
        }
        Ok(())
    }

    /// `decay=0.001, bank.kernels=8` for messages.
    pub fn describe(&self, values: &[&Value]) -> String {
        self.parameters
            .iter()
            .zip(values)
            .map(|(p, v)| format!("{}={v}", p.path))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A preset name, or a config / experiment file relative to the sweep file.
fn resolve_base(base: &str, dir: &Path) -> Result<SimConfig, SpecError> {
    if let Some(preset) = presets::by_name(base) {
        return Ok(preset.config);
    }
    let path = dir.join(base);
    if !base.ends_with(".json") && !path.exists() {
        return Err(SpecError::Base(format!(
            "`{base}` is neither a preset ({}) nor a config file",
            presets::names().join(", ")
        )));
    }
    Ok(config_file::load_config(&path)?)
}

/// A swept key: a non-empty list of distinct values, each accepted by the base config.
fn check_parameter(base: &SimConfig, path: String, values: Value) -> Result<Parameter, SpecError> {
    let err = |message: String| SpecError::Parameter {
        key: path.clone(),
        message,
    };
    if path == "seed" {
        return Err(err(
            "list the seeds under `seeds`, not as a parameter".into()
        ));
    }
    let Value::Array(values) = values else {
        return Err(err(format!("must be a list of values, got {values}")));
    };
    if values.is_empty() {
        return Err(err("the list of values is empty".into()));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(v) = values.iter().find(|v| !seen.insert(v.to_string())) {
        return Err(err(format!("{v} appears twice")));
    }
    // Each value alone on the base: unknown keys and wrong types are named here, with
    // the key; combinations are checked together afterwards.
    for v in &values {
        config_patch::apply(base, &[(path.clone(), v.clone())]).map_err(|e| {
            err(match e {
                PatchError::UnknownKey { detail, .. } => format!("unknown key: {detail}"),
                other => other.to_string(),
            })
        })?;
    }
    Ok(Parameter { path, values })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, format: Format) -> Result<Sweep, SpecError> {
        Sweep::parse(text, format, Path::new("."))
    }

    const TOML: &str = r#"
        base = "ring-shift"
        seeds = [1, 2]
        checkpoints = [100, 200]
        [set]
        batch = 25
        [parameters]
        decay = [0.0, 1e-3]
        bank.kernels = [2, 4, 8]
    "#;

    #[test]
    fn toml_and_json_give_the_same_grid_in_file_order() {
        let t = parse(TOML, Format::Toml).unwrap();
        let j = parse(
            r#"{"base": "ring-shift", "seeds": [1, 2], "checkpoints": [100, 200],
                "set": {"batch": 25},
                "parameters": {"decay": [0.0, 0.001], "bank.kernels": [2, 4, 8]}}"#,
            Format::Json,
        )
        .unwrap();
        assert_eq!(t, j);
        assert_eq!(t.runs(), 12);
        let paths: Vec<&str> = t.parameters.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["decay", "bank.kernels"]);
        // First parameter slowest, seeds fastest.
        let c = t.config(7).unwrap();
        assert_eq!((c.decay, c.seed, c.batch), (0.001, 2, 25));
        assert!(matches!(
            c.bank,
            crate::model::BankConfig::Tiled { kernels: 2, .. }
        ));
        let (values, seed) = t.point(11);
        assert_eq!(
            (values[0].as_f64(), values[1].as_u64(), seed),
            (Some(0.001), Some(8), 2)
        );
    }

    #[test]
    fn bad_files_get_named_errors() {
        let cases = [
            (
                TOML.replace("decay =", "decya ="),
                "parameters.decya: unknown key",
            ),
            (
                TOML.replace("[2, 4, 8]", "[]"),
                "parameters.bank.kernels: the list of values is empty",
            ),
            (TOML.replace("[2, 4, 8]", "[2, 2]"), "appears twice"),
            (
                TOML.replace("[2, 4, 8]", "[2, \"x\"]"),
                "must be an integer",
            ),
            (TOML.replace("[0.0, 1e-3]", "[0.0, 0.9]"), "[0, 0.5]"),
            (TOML.replace("[0.0, 1e-3]", "0.1"), "must be a list"),
            (
                TOML.replace("seeds = [1, 2]", "seeds = []"),
                "seeds: give at least one",
            ),
            (
                TOML.replace("seeds = [1, 2]", "seeds = [3, 3]"),
                "seed 3 appears twice",
            ),
            (
                TOML.replace("[100, 200]", "[200, 100]"),
                "strictly increasing",
            ),
            (TOML.replace("[100, 200]", "[0]"), "strictly increasing"),
            (
                TOML.replace("[100, 200]", "[18446744073709551615]"),
                "more than the limit",
            ),
            (TOML.replace("ring-shift", "ring-shfit"), "neither a preset"),
            (TOML.replace("batch = 25", "batch = 0"), "set: "),
            (
                TOML.replace("search", "serach")
                    .replace("seeds", "serach = true\nseeds"),
                "serach",
            ),
            (
                TOML.replace("decay = [0.0, 1e-3]", "seed = [1, 2]"),
                "under `seeds`",
            ),
            (
                TOML.replace(
                    "[0.0, 1e-3]",
                    &format!(
                        "{:?}",
                        (0..2000).map(|i| i as f64 * 1e-4).collect::<Vec<_>>()
                    ),
                )
                .replace(
                    "seeds = [1, 2]",
                    &format!("seeds = {:?}", (0..20).collect::<Vec<u64>>()),
                ),
                "too large: 120000 runs",
            ),
            ("base = 3".to_string(), "(sweep)"),
        ];
        for (text, expected) in cases {
            let e = parse(&text, Format::Toml).unwrap_err().to_string();
            assert!(
                e.contains(expected),
                "expected `{expected}` in: {e}\n{text}"
            );
        }
    }

    #[test]
    fn combinations_are_checked_together() {
        // Each value is fine alone; together the kernel size exceeds the ring.
        let text = r#"{"base": "ring-shift", "seeds": [1], "checkpoints": [10],
            "parameters": {"space.n": [64, 16], "bank.size": [9, 17]}}"#;
        let e = parse(text, Format::Json).unwrap_err().to_string();
        assert!(
            e.contains("space.n=16, bank.size=17") && e.contains("2..=16"),
            "{e}"
        );
    }

    #[test]
    fn hostile_specs_are_refused_by_their_counts_and_keys_at_once() {
        let values: Vec<String> = (0..130_000)
            .map(|i| format!("{}", i as f64 * 1e-9))
            .collect();
        let huge = format!(
            "base = \"ring-shift\"\nseeds = [1]\ncheckpoints = [10]\n[parameters]\ndecay = [{}]\n",
            values.join(", ")
        );
        let start = std::time::Instant::now();
        let e = parse(&huge, Format::Toml).unwrap_err().to_string();
        assert!(e.contains("130000 runs"), "{e}");
        // Refused by counting, not by validating 130,000 configurations (seconds).
        assert!(start.elapsed().as_secs_f64() < 2.0, "{:?}", start.elapsed());
        let cases = [
            (
                TOML.replace(
                    "bank.kernels = [2, 4, 8]",
                    "bank.kernels = [2]\n\"bank.kernels\" = [4]",
                ),
                "swept twice",
            ),
            (
                TOML.replace(
                    "bank.kernels = [2, 4, 8]",
                    "\"stimulus.kind.width\" = [[1, 2]]\n\"stimulus.kind.width.0\" = [1]",
                ),
                "overlaps",
            ),
            (
                TOML.replace("decay =", "batch = [10, 20]\ndecay ="),
                "also fixed under [set]",
            ),
            (
                TOML.replace("[0.0, 1e-3]", "[0.0, nan]"),
                "not a finite number",
            ),
            (
                TOML.replace("decay = [0.0, 1e-3]", "k_winners = [inf]"),
                "not a finite number",
            ),
            (
                TOML.replace("[100, 200]", "[72057594037927936]"),
                "more than the limit",
            ),
        ];
        for (text, expected) in cases {
            let e = parse(&text, Format::Toml).unwrap_err().to_string();
            assert!(
                e.contains(expected) && !e.contains('\n'),
                "expected `{expected}` in: {e}\n{text}"
            );
        }
    }
}
