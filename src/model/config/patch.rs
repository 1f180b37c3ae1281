//! Overriding single fields of a [`SimConfig`] by dotted key paths (`--set decay=0.001`,
//! sweep parameters), and reading config files that may not hold unknown keys.
//!
//! The paths are the JSON field names of the serialised config (`invariance-lab config
//! --preset NAME` prints them): `decay`, `bank.kernels`, `stimulus.kind.width.0`. Patching
//! works on the config's `serde_json::Value` rather than on the struct, so every field —
//! present and future — can be set without a hand-written table of names; what makes it
//! safe is that a key must already exist, a value must keep its JSON type, and the result
//! goes through serde and [`SimConfig::check`], the validation every front uses.

use serde_json::Value;

use crate::model::config::{ConfigError, SimConfig};

/// Why an override or a config file was refused; every message names the key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PatchError {
    /// A `--set` argument without `=` or with an empty key.
    #[error("`{arg}` is not KEY.PATH=VALUE (e.g. `decay=0.001`, `bank.kernels=8`)")]
    Malformed {
        /// The argument as given.
        arg: String,
    },
    /// A key that the config does not have.
    #[error("unknown key `{path}`: {detail}")]
    UnknownKey {
        /// The full dotted path.
        path: String,
        /// Which segment is unknown, the nearest valid keys and all keys at that level.
        detail: String,
    },
    /// A value of the wrong JSON type (a string for a number, a fraction for a count…).
    #[error("`{path}` must be {expected}, got {got}")]
    WrongType {
        /// The full dotted path.
        path: String,
        /// What the field holds.
        expected: &'static str,
        /// The value given.
        got: String,
    },
    /// The patched config does not deserialise (e.g. an unknown enum variant).
    #[error("`{path}`: {message}")]
    Deserialize {
        /// The key (or keys) whose value serde refused.
        path: String,
        /// serde's message (it lists the allowed variants).
        message: String,
    },
    /// A config file that is not a config (bad JSON, a missing field, a wrong type).
    #[error("not a valid config: {0}")]
    NotAConfig(String),
    /// The patched config deserialises but fails [`SimConfig::check`].
    #[error("{context}: {error}")]
    OutOfRange {
        /// The overrides applied (`decay=0.7`) or the file name.
        context: String,
        /// The validation error, naming the field and its allowed range.
        error: ConfigError,
    },
}

/// Splits `KEY.PATH=VALUE`; the value is read as JSON (`8`, `0.001`, `true`, `[1, 2]`,
/// `null`), falling back to a plain string (`activation=sigmoid`).
pub fn parse_assignment(arg: &str) -> Result<(String, Value), PatchError> {
    let malformed = || PatchError::Malformed { arg: arg.into() };
    let (key, text) = arg.split_once('=').ok_or_else(malformed)?;
    let key = key.trim();
    if key.is_empty() || key.split('.').any(str::is_empty) {
        return Err(malformed());
    }
    let text = text.trim();
    let value = serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.into()));
    Ok((key.to_string(), value))
}

/// The JSON type name of a value, for messages.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

/// Whether `new` may replace `old`: same JSON type; an integer field takes only
/// integers; a float field takes any number; `null` (an absent option) takes anything
/// and may replace anything (serde then decides whether the field is optional).
fn type_fits(old: &Value, new: &Value) -> bool {
    match (old, new) {
        (Value::Null, _) | (_, Value::Null) => true,
        (Value::Number(o), Value::Number(n)) => o.is_f64() || !n.is_f64(),
        (Value::Bool(_), Value::Bool(_))
        | (Value::String(_), Value::String(_))
        | (Value::Array(_), Value::Array(_))
        | (Value::Object(_), Value::Object(_)) => true,
        _ => false,
    }
}

/// "no `x` in `bank`; nearest: `kernels`; keys here: kind, kernels, size, …".
fn unknown_detail(segment: &str, parent: &str, keys: &[String]) -> String {
    let place = if parent.is_empty() {
        "at the top level".to_string()
    } else {
        format!("in `{parent}`")
    };
    let mut ranked: Vec<(usize, &String)> = keys
        .iter()
        .map(|k| {
            // A key containing the segment (or contained in it) is as good as one typo away.
            let d = if k.contains(segment) || segment.contains(k.as_str()) {
                1
            } else {
                strsim::levenshtein(segment, k)
            };
            (d, k)
        })
        .collect();
    ranked.sort();
    let best = ranked.first().map_or(usize::MAX, |r| r.0);
    let nearest: Vec<String> = ranked
        .iter()
        .filter(|(d, _)| *d == best && *d <= segment.chars().count().max(3) / 2 + 1)
        .map(|(_, k)| format!("`{k}`"))
        .collect();
    let all = keys.join(", ");
    if nearest.is_empty() {
        format!("no `{segment}` {place}; keys here: {all}")
    } else {
        format!(
            "no `{segment}` {place}; nearest: {}; keys here: {all}",
            nearest.join(", ")
        )
    }
}

/// Every dotted path in `root` whose last key is `leaf` (`kernels` → `bank.kernels`), so
/// a path written from memory (`detectors.kernels`) gets the right one suggested.
fn paths_ending_in(root: &Value, leaf: &str) -> Vec<String> {
    fn walk(v: &Value, prefix: &str, leaf: &str, out: &mut Vec<String>) {
        if let Value::Object(map) = v {
            for (k, inner) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                if k == leaf {
                    out.push(path.clone());
                }
                walk(inner, &path, leaf, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, "", leaf, &mut out);
    out
}

/// Replaces the value at dotted `path` in `root` (objects by key, lists by index).
/// The key must exist and the value keep its JSON type.
pub fn set_path(root: &mut Value, path: &str, value: Value) -> Result<(), PatchError> {
    set_path_inner(root, path, value).map_err(|e| match e {
        PatchError::UnknownKey { path, detail } => {
            let leaf = path.rsplit('.').next().unwrap_or_default();
            let elsewhere = paths_ending_in(root, leaf);
            let detail = if elsewhere.is_empty() {
                detail
            } else {
                let list: Vec<String> = elsewhere.iter().map(|p| format!("`{p}`")).collect();
                format!("did you mean {}? ({detail})", list.join(" or "))
            };
            PatchError::UnknownKey { path, detail }
        }
        other => other,
    })
}

fn set_path_inner(root: &mut Value, path: &str, value: Value) -> Result<(), PatchError> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(PatchError::Malformed { arg: path.into() });
    }
    let mut node = root;
    for (depth, segment) in segments.iter().enumerate() {
        let parent = segments[..depth].join(".");
        let unknown = |detail: String| PatchError::UnknownKey {
            path: path.into(),
            detail,
        };
        node = match node {
            Value::Object(map) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                map.get_mut(*segment)
                    .ok_or_else(|| unknown(unknown_detail(segment, &parent, &keys)))?
            }
            Value::Array(items) => {
                let len = items.len();
                segment
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get_mut(i))
                    .ok_or_else(|| {
                        unknown(format!(
                            "`{parent}` is a list of {len}; use an index 0..{len}"
                        ))
                    })?
            }
            other => {
                return Err(unknown(format!(
                    "`{parent}` is {}, it has no key `{segment}`",
                    type_name(other)
                )));
            }
        };
    }
    if !type_fits(node, &value) {
        return Err(PatchError::WrongType {
            path: path.into(),
            expected: type_name(node),
            got: value.to_string(),
        });
    }
    *node = value;
    Ok(())
}

/// Applies overrides to `config` in order, then deserialises and validates the result
/// through [`SimConfig::check`].
pub fn apply(config: &SimConfig, sets: &[(String, Value)]) -> Result<SimConfig, PatchError> {
    if sets.is_empty() {
        return Ok(config.clone());
    }
    let mut root = serde_json::to_value(config).map_err(|e| PatchError::Deserialize {
        path: String::new(),
        message: e.to_string(),
    })?;
    for (path, value) in sets {
        set_path(&mut root, path, value.clone())?;
    }
    let keys = || {
        sets.iter()
            .map(|(p, _)| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let patched: SimConfig = serde_json::from_value(root).map_err(|e| PatchError::Deserialize {
        path: keys(),
        message: e.to_string(),
    })?;
    patched.check().map_err(|error| PatchError::OutOfRange {
        context: sets
            .iter()
            .map(|(p, v)| format!("{p}={v}"))
            .collect::<Vec<_>>()
            .join(" "),
        error,
    })?;
    Ok(patched)
}

/// Every key of `given` must exist in `known` (the config serialised back), so a typo in
/// a config file is an error, not a silently ignored field.
fn check_known_keys(given: &Value, known: &Value, prefix: &str) -> Result<(), PatchError> {
    match (given, known) {
        (Value::Object(g), Value::Object(k)) => {
            for (key, value) in g {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                match k.get(key) {
                    Some(inner) => check_known_keys(value, inner, &path)?,
                    None => {
                        let keys: Vec<String> = k.keys().cloned().collect();
                        return Err(PatchError::UnknownKey {
                            detail: unknown_detail(key, prefix, &keys),
                            path,
                        });
                    }
                }
            }
            Ok(())
        }
        (Value::Array(g), Value::Array(k)) => g
            .iter()
            .zip(k)
            .enumerate()
            .try_for_each(|(i, (a, b))| check_known_keys(a, b, &format!("{prefix}.{i}"))),
        _ => Ok(()),
    }
}

/// Reads a config (the JSON `invariance-lab config` prints): unknown keys, wrong types and
/// out-of-range values are errors naming the key.
pub fn config_from_json(text: &str) -> Result<SimConfig, PatchError> {
    let given: Value =
        serde_json::from_str(text).map_err(|e| PatchError::NotAConfig(e.to_string()))?;
    config_from_value(given)
}

/// [`config_from_json`] on an already parsed value.
pub fn config_from_value(given: Value) -> Result<SimConfig, PatchError> {
    let config: SimConfig = match serde_json::from_value(given.clone()) {
        Ok(config) => config,
        Err(e) => {
            // A misspelt top-level key shows up as a missing field; name the typo instead.
            if let Some(preset) = crate::model::config::presets::all().into_iter().next()
                && let Ok(template) = serde_json::to_value(preset.config)
            {
                check_top_level_keys(&given, &template)?;
            }
            return Err(PatchError::NotAConfig(e.to_string()));
        }
    };
    let known = serde_json::to_value(&config).map_err(|e| PatchError::NotAConfig(e.to_string()))?;
    check_known_keys(&given, &known, "")?;
    config.check().map_err(|error| PatchError::OutOfRange {
        context: "config".into(),
        error,
    })?;
    Ok(config)
}

/// The top-level keys of a config are the same for every config (nested enums vary).
fn check_top_level_keys(given: &Value, template: &Value) -> Result<(), PatchError> {
    if let (Value::Object(g), Value::Object(t)) = (given, template) {
        let keys: Vec<String> = t.keys().cloned().collect();
        if let Some(key) = g.keys().find(|k| !t.contains_key(k.as_str())) {
            return Err(PatchError::UnknownKey {
                path: key.clone(),
                detail: unknown_detail(key, "", &keys),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::presets;

    fn ring() -> SimConfig {
        presets::by_name("ring-shift").unwrap().config
    }

    fn set(config: &SimConfig, arg: &str) -> Result<SimConfig, PatchError> {
        apply(config, &[parse_assignment(arg)?])
    }

    #[test]
    fn sets_numbers_nested_fields_and_enum_names() {
        let c = set(&ring(), "decay=0.001").unwrap();
        assert_eq!(c.decay, 0.001);
        let c = set(&ring(), "bank.kernels=8").unwrap();
        assert!(matches!(
            c.bank,
            crate::model::BankConfig::Tiled { kernels: 8, .. }
        ));
        let c = set(&ring(), "activation=sigmoid").unwrap();
        assert_eq!(c.activation, crate::model::Activation::Sigmoid);
        let c = set(&ring(), "stimulus.kind.width.1=3").unwrap();
        assert!(matches!(
            c.stimulus.kind,
            crate::model::StimulusKind::Bumps {
                width: (1.5, 3.0),
                ..
            }
        ));
        // An absent option takes a value and gives it back.
        let c = set(&ring(), "k_winners=10").unwrap();
        assert_eq!(c.k_winners, Some(10));
        assert_eq!(set(&c, "k_winners=null").unwrap().k_winners, None);
        // Everything else is untouched.
        let mut expected = ring();
        expected.decay = 0.001;
        assert_eq!(set(&ring(), "decay=1e-3").unwrap(), expected);
    }

    #[test]
    fn unknown_keys_name_the_nearest_valid_ones() {
        let e = set(&ring(), "decya=0.1").unwrap_err().to_string();
        assert!(
            e.contains("unknown key `decya`") && e.contains("nearest: `decay`"),
            "{e}"
        );
        let e = set(&ring(), "bank.kernel=8").unwrap_err().to_string();
        assert!(
            e.contains("in `bank`") && e.contains("nearest: `kernels`"),
            "{e}"
        );
        let e = set(&ring(), "detectors.kernels=8").unwrap_err().to_string();
        assert!(e.contains("did you mean `bank.kernels`?"), "{e}");
        let e = set(&ring(), "learning.decay=0").unwrap_err().to_string();
        assert!(e.contains("did you mean `decay`?"), "{e}");
        let e = set(&ring(), "decay.x=1").unwrap_err().to_string();
        assert!(e.contains("`decay` is a number"), "{e}");
        let e = set(&ring(), "stimulus.kind.width.2=1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("list of 2"), "{e}");
    }

    #[test]
    fn wrong_types_are_refused_before_serde() {
        let e = set(&ring(), "decay=fast").unwrap_err();
        assert!(matches!(e, PatchError::WrongType { .. }), "{e}");
        assert!(e.to_string().contains("`decay` must be a number"), "{e}");
        let e = set(&ring(), "batch=2.5").unwrap_err().to_string();
        assert!(e.contains("`batch` must be an integer"), "{e}");
        let e = set(&ring(), "activation=3").unwrap_err().to_string();
        assert!(e.contains("must be a string"), "{e}");
        let e = set(&ring(), "activation=tanh").unwrap_err().to_string();
        assert!(e.contains("`activation`") && e.contains("relu"), "{e}");
        let e = set(&ring(), "batch=-3").unwrap_err().to_string();
        assert!(e.contains("`batch`"), "{e}");
    }

    #[test]
    fn out_of_range_values_name_the_key_and_the_range() {
        let e = set(&ring(), "decay=0.7").unwrap_err().to_string();
        assert!(e.contains("`decay`") && e.contains("[0, 0.5]"), "{e}");
        let e = set(&ring(), "batch=0").unwrap_err().to_string();
        assert!(e.contains("`batch`") && e.contains("1..=65536"), "{e}");
    }

    #[test]
    fn malformed_assignments() {
        for arg in ["decay", "=1", "bank..kernels=3", ".decay=1"] {
            assert!(
                matches!(parse_assignment(arg), Err(PatchError::Malformed { .. })),
                "{arg}"
            );
        }
    }

    #[test]
    fn config_files_round_trip_and_refuse_unknown_keys() {
        let text = serde_json::to_string_pretty(&ring()).unwrap();
        assert_eq!(config_from_json(&text).unwrap(), ring());
        let typo = text.replace("\"decay\"", "\"decya\"");
        let e = config_from_json(&typo).unwrap_err().to_string();
        assert!(
            e.contains("`decya`") && e.contains("nearest: `decay`"),
            "{e}"
        );
        let e = config_from_json("{\"space\": 1}").unwrap_err().to_string();
        assert!(e.starts_with("not a valid config"), "{e}");
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["bank"]["colour"] = Value::from(1);
        let e = config_from_json(&v.to_string()).unwrap_err().to_string();
        assert!(e.contains("bank.colour"), "{e}");
        let e = config_from_json(&text.replace("\"decay\": 0.0", "\"decay\": 0.9"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("`decay`"), "{e}");
    }
}
