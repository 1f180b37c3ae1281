//! A sweep CSV knows its spec: beside `F.csv` lies `F.csv.spec.json`, holding the
//! resolved spec — the base configuration after `[set]` (its whole content, not the
//! name of a preset or a file), the parameters and their values, the seeds, the
//! checkpoints and `search` — and its fingerprint, the SHA-256 of the spec's canonical
//! JSON text (keys sorted, shortest round-trip numbers). A resume whose spec has another
//! fingerprint is refused with one line saying what changed.
//!
//! SHA-256 rather than Rust's own hashers: its value is fixed by a standard, so it is the
//! same on every machine and in every version of the program, and no two different specs
//! meet by chance. The CSV itself stays plain (its first line is the header), so the
//! shard files still concatenate into the single-machine file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::spec::Sweep;
use crate::io::atomic;
use crate::io::read::{ReadError, read_limited};

/// The sidecar format version.
const FORMAT: u32 = 1;

/// Largest sidecar read (a spec file is at most 1 MiB; its resolved form a few times that).
const MAX_SIDECAR_BYTES: u64 = 16 << 20;

/// The sidecar's content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpecRecord {
    /// Format version (1).
    pub format: u32,
    /// The hash function (`sha256`).
    pub hash: String,
    /// Hex digest of the canonical text of `spec`.
    pub fingerprint: String,
    /// The resolved spec.
    pub spec: Value,
}

impl SpecRecord {
    /// The record of `sweep`.
    pub fn of(sweep: &Sweep) -> Self {
        let spec = canonical(sweep);
        Self {
            format: FORMAT,
            hash: "sha256".into(),
            fingerprint: fingerprint(&spec),
            spec,
        }
    }
}

/// The resolved spec as a JSON value (module docs).
pub fn canonical(sweep: &Sweep) -> Value {
    let base = serde_json::to_value(&sweep.base).unwrap_or(Value::Null);
    let parameters: Vec<Value> = sweep
        .parameters
        .iter()
        .map(|p| json!({"path": p.path, "values": p.values}))
        .collect();
    json!({
        "base": base,
        "parameters": parameters,
        "seeds": sweep.seeds,
        "checkpoints": sweep.checkpoints,
        "search": sweep.search,
    })
}

/// SHA-256 of the canonical text of `spec`, in hex.
pub fn fingerprint(spec: &Value) -> String {
    let text = serde_json::to_string(spec).unwrap_or_default();
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `F.csv.spec.json` beside the CSV `out`.
pub fn sidecar_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".spec.json");
    out.with_file_name(name)
}

/// Why a sidecar cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SidecarError {
    /// It cannot be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// It is not a sidecar this program wrote.
    #[error("`{0}` is not a sweep spec record")]
    Malformed(PathBuf),
}

/// The sidecar at `path`, or `None` if there is none.
pub fn read_sidecar(path: &Path) -> Result<Option<SpecRecord>, SidecarError> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(None);
    }
    let bytes = read_limited(path, MAX_SIDECAR_BYTES)?;
    let record: SpecRecord =
        serde_json::from_slice(&bytes).map_err(|_| SidecarError::Malformed(path.to_path_buf()))?;
    if record.format != FORMAT || record.fingerprint != fingerprint(&record.spec) {
        return Err(SidecarError::Malformed(path.to_path_buf()));
    }
    Ok(Some(record))
}

/// Writes the sidecar atomically.
pub fn write_sidecar(path: &Path, record: &SpecRecord) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(record).map_err(std::io::Error::other)?;
    atomic::write_atomically(path, |w| {
        std::io::Write::write_all(w, text.as_bytes())?;
        std::io::Write::write_all(w, b"\n")
    })
}

/// What differs between the recorded spec `old` and this run's `new`, in a few words:
/// `base config: batch 50 → 25; seeds [1, 2] → [1, 2, 3]` (at most three differences,
/// values shortened).
pub fn describe_change(old: &Value, new: &Value) -> String {
    let mut diffs = Vec::new();
    differences(old, new, "", &mut diffs);
    let total = diffs.len();
    let mut text = diffs
        .into_iter()
        .take(3)
        .map(|(path, a, b)| format!("{path} {a} → {b}"))
        .collect::<Vec<_>>()
        .join("; ");
    if total > 3 {
        text.push_str(&format!("; and {} more", total - 3));
    }
    if text.is_empty() {
        "the spec differs".into()
    } else {
        text
    }
}

/// Leaf differences as `(path, old, new)`; the base config's paths read `base config: …`.
fn differences(old: &Value, new: &Value, path: &str, out: &mut Vec<(String, String, String)>) {
    let child = |key: &str| {
        if path.is_empty() {
            if key == "base" {
                "base config:".to_string()
            } else {
                key.to_string()
            }
        } else if path.ends_with(':') {
            format!("{path} {key}")
        } else {
            format!("{path}.{key}")
        }
    };
    match (old, new) {
        (Value::Object(a), Value::Object(b)) if path.is_empty() || path.starts_with("base") => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let (x, y) = (
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                );
                if x != y {
                    differences(x, y, &child(k), out);
                }
            }
        }
        _ if old != new => out.push((
            if path.is_empty() {
                "spec".into()
            } else {
                path.into()
            },
            short(old),
            short(new),
        )),
        _ => {}
    }
}

/// A value's JSON text, cut to 40 characters.
fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= 40 {
        text
    } else {
        format!("{}…", text.chars().take(39).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::spec::Format;

    fn sweep(text: &str) -> Sweep {
        Sweep::parse(text, Format::Toml, Path::new(".")).unwrap()
    }

    const SPEC: &str = "base = \"ring-shift\"\nseeds = [1, 2]\ncheckpoints = [100]\n\
                        [set]\nbatch = 50\n[parameters]\ndecay = [0.0, 0.001]\n";

    #[test]
    fn the_fingerprint_is_stable_and_sees_the_base_config() {
        let a = SpecRecord::of(&sweep(SPEC));
        assert_eq!(a, SpecRecord::of(&sweep(SPEC)));
        assert_eq!(a.fingerprint.len(), 64);
        let b = SpecRecord::of(&sweep(&SPEC.replace("batch = 50", "batch = 25")));
        assert_ne!(a.fingerprint, b.fingerprint);
        let change = describe_change(&a.spec, &b.spec);
        assert_eq!(change, "base config: batch 50 → 25");
        let c = SpecRecord::of(&sweep(&SPEC.replace("[1, 2]", "[1, 3]")));
        assert_eq!(describe_change(&a.spec, &c.spec), "seeds [1,2] → [1,3]");
        // The same resolved spec written differently has the same fingerprint.
        let d = SpecRecord::of(&sweep(&SPEC.replace("batch = 50", "batch = 50 # same")));
        assert_eq!(a.fingerprint, d.fingerprint);
    }

    #[test]
    fn sidecars_round_trip_and_tampering_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let path = sidecar_path(&dir.path().join("s.csv"));
        assert!(path.ends_with("s.csv.spec.json"));
        assert!(read_sidecar(&path).unwrap().is_none());
        let record = SpecRecord::of(&sweep(SPEC));
        write_sidecar(&path, &record).unwrap();
        assert_eq!(read_sidecar(&path).unwrap(), Some(record));
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("\"batch\": 50", "\"batch\": 51");
        std::fs::write(&path, text).unwrap();
        assert!(matches!(
            read_sidecar(&path),
            Err(SidecarError::Malformed(_))
        ));
    }
}
