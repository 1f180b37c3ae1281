//! Experiment files: a whole run (config, learned state, history) as versioned JSON.
//!
//! Layout (`format_version: 1`):
//!
//! ```text
//! { "format_version": 1, "config": {…SimConfig…}, "seed": u64, "step": u64,
//!   "neurons": M, "pixels": P, "labels": [NeuronLabel; M], "hidden_order": [usize; M],
//!   "weight_scale": f64, "weight_scale_bits": u64,
//!   "weights":      {"dtype": "f32le", "shape": [M, M], "data": base64},
//!   "node_weights": {"dtype": "f32le", "shape": [M],    "data": base64},
//!   "mean_sum":     {"dtype": "f64le", "shape": [M],    "data": base64},
//!   "mean_count": u64, "last_mean_activity": f64, "history": [MetricsRecord…] }
//! ```
//!
//! `weights` and `node_weights` are the *raw* buffers of the lazy decay: the learned
//! matrix is `W = weight_scale · weights` (and `d = weight_scale · node_weights`); with
//! decay 0 the scale is exactly 1. `weight_scale_bits` is the IEEE-754 bit pattern of the
//! scale (what loading uses, so continuation is bit-exact); `weight_scale` is there for
//! people reading the file. Arrays are row-major, little-endian, standard base64 with
//! padding. Loading validates everything and never panics.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::atomic::write_atomically;
use crate::model::detectors::MAX_NEURONS;
use crate::model::learning::HebbianState;
use crate::model::{ConfigError, MetricsRecord, NeuronLabel, SimConfig, Simulation};

/// The version this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// Files larger than this are refused before reading (a 4096-neuron run is ~90 MB).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Why an experiment file could not be written or read; every variant names the problem.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be opened, read or written.
    #[error("cannot access `{path}`: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error (part of the message, so not chained again).
        cause: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("the file is too large ({bytes} bytes; at most {max} are accepted)")]
    TooLarge {
        /// Size found.
        bytes: u64,
        /// The limit.
        max: u64,
    },
    /// The text is not valid JSON (or ends too early).
    #[error("{}not valid JSON: {message}", if *.truncated { "truncated file, " } else { "" })]
    Json {
        /// True when the JSON ends prematurely (a truncated file).
        truncated: bool,
        /// Parser message with line and column.
        message: String,
    },
    /// No `format_version` field.
    #[error("not an experiment file: no `format_version` field")]
    MissingVersion,
    /// A version this build does not read.
    #[error("unsupported format_version {found} (this build reads version {supported})")]
    UnsupportedVersion {
        /// Version in the file.
        found: String,
        /// Version supported.
        supported: u64,
    },
    /// Valid JSON but a field is missing or has the wrong type.
    #[error("malformed experiment file: {0}")]
    Schema(String),
    /// The stored configuration is out of range.
    #[error("invalid configuration in file: {0}")]
    Config(#[from] ConfigError),
    /// An array has the wrong shape or size.
    #[error("`{field}` has shape {found:?}, expected {expected:?}")]
    Shape {
        /// Field name.
        field: &'static str,
        /// Expected shape.
        expected: Vec<usize>,
        /// Shape found.
        found: Vec<usize>,
    },
    /// A declared size is beyond what this program supports.
    #[error("`{field}` = {value} is too large (at most {max})")]
    Absurd {
        /// Field name.
        field: &'static str,
        /// Value found.
        value: u64,
        /// The limit.
        max: u64,
    },
    /// An array's encoding is broken.
    #[error("`{field}`: {reason}")]
    Encoding {
        /// Field name.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// An array holds NaN or infinity.
    #[error("`{field}` holds a non-finite value at flat index {index}")]
    NonFinite {
        /// Field name.
        field: &'static str,
        /// Row-major index of the first bad value.
        index: usize,
    },
    /// Stored values disagree with what the configuration regenerates.
    #[error("`{field}` does not match the configuration: {reason}")]
    Mismatch {
        /// Field name.
        field: &'static str,
        /// What differs.
        reason: String,
    },
}

/// An array encoded as base64 of little-endian numbers.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct EncodedArray {
    dtype: String,
    shape: Vec<usize>,
    data: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct ExperimentFile {
    format_version: u64,
    config: SimConfig,
    seed: u64,
    step: u64,
    neurons: usize,
    pixels: usize,
    labels: Vec<NeuronLabel>,
    hidden_order: Vec<usize>,
    weight_scale: f64,
    weight_scale_bits: u64,
    weights: EncodedArray,
    node_weights: EncodedArray,
    mean_sum: EncodedArray,
    mean_count: u64,
    last_mean_activity: f64,
    history: Vec<MetricsRecord>,
}

fn encode_f32<'a>(shape: Vec<usize>, values: impl Iterator<Item = &'a f32>) -> EncodedArray {
    let mut bytes = Vec::new();
    for v in values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    EncodedArray {
        dtype: "f32le".into(),
        shape,
        data: BASE64.encode(bytes),
    }
}

fn encode_f64<'a>(shape: Vec<usize>, values: impl Iterator<Item = &'a f64>) -> EncodedArray {
    let mut bytes = Vec::new();
    for v in values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    EncodedArray {
        dtype: "f64le".into(),
        shape,
        data: BASE64.encode(bytes),
    }
}

/// Checks dtype and shape, then decodes (length-checked before decoding).
fn decode_bytes(
    field: &'static str,
    a: &EncodedArray,
    dtype: &str,
    width: usize,
    shape: &[usize],
) -> Result<Vec<u8>, FileError> {
    if a.dtype != dtype {
        return Err(FileError::Encoding {
            field,
            reason: format!("dtype `{}`, expected `{dtype}`", a.dtype),
        });
    }
    if a.shape != shape {
        return Err(FileError::Shape {
            field,
            expected: shape.to_vec(),
            found: a.shape.clone(),
        });
    }
    let bytes = shape.iter().product::<usize>() * width;
    let expected_chars = bytes.div_ceil(3) * 4;
    if a.data.len() != expected_chars {
        return Err(FileError::Encoding {
            field,
            reason: format!(
                "{} base64 characters, expected {expected_chars} for shape {shape:?}",
                a.data.len()
            ),
        });
    }
    let raw = BASE64
        .decode(a.data.as_bytes())
        .map_err(|e| FileError::Encoding {
            field,
            reason: format!("invalid base64: {e}"),
        })?;
    if raw.len() != bytes {
        return Err(FileError::Encoding {
            field,
            reason: format!("{} bytes, expected {bytes}", raw.len()),
        });
    }
    Ok(raw)
}

fn decode_f32(
    field: &'static str,
    a: &EncodedArray,
    shape: &[usize],
) -> Result<Vec<f32>, FileError> {
    let raw = decode_bytes(field, a, "f32le", 4, shape)?;
    let values: Vec<f32> = raw
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    if let Some(index) = values.iter().position(|v| !v.is_finite()) {
        return Err(FileError::NonFinite { field, index });
    }
    Ok(values)
}

fn decode_f64(
    field: &'static str,
    a: &EncodedArray,
    shape: &[usize],
) -> Result<Vec<f64>, FileError> {
    let raw = decode_bytes(field, a, "f64le", 8, shape)?;
    let values: Vec<f64> = raw
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect();
    if let Some(index) = values.iter().position(|v| !v.is_finite()) {
        return Err(FileError::NonFinite { field, index });
    }
    Ok(values)
}

/// The experiment as JSON text (what [`save`] writes).
pub fn to_json_string(sim: &Simulation) -> Result<String, FileError> {
    let state = sim.learning_state();
    let m = sim.neurons();
    let w = state.raw_weights();
    let file = ExperimentFile {
        format_version: FORMAT_VERSION,
        config: sim.config().clone(),
        seed: sim.config().seed,
        step: sim.step_count(),
        neurons: m,
        pixels: sim.config().space.pixels(),
        labels: sim.labels().to_vec(),
        hidden_order: sim.bank().canonical_index.clone(),
        weight_scale: state.scale(),
        weight_scale_bits: state.scale().to_bits(),
        weights: encode_f32(vec![m, m], w.iter()),
        node_weights: encode_f32(vec![m], state.raw_node_weights().iter()),
        mean_sum: encode_f64(vec![m], state.mean_sum().iter()),
        mean_count: state.mean_count(),
        last_mean_activity: sim.last_mean_activity(),
        history: sim.history().to_vec(),
    };
    serde_json::to_string(&file).map_err(|e| FileError::Schema(e.to_string()))
}

/// Parses and validates an experiment from JSON text.
pub fn from_json_str(text: &str) -> Result<Simulation, FileError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| FileError::Json {
        truncated: e.is_eof(),
        message: e.to_string(),
    })?;
    match value.get("format_version") {
        None => return Err(FileError::MissingVersion),
        Some(v) if v.as_u64() == Some(FORMAT_VERSION) => {}
        Some(v) => {
            return Err(FileError::UnsupportedVersion {
                found: v.to_string(),
                supported: FORMAT_VERSION,
            });
        }
    }
    let file: ExperimentFile =
        serde_json::from_value(value).map_err(|e| FileError::Schema(e.to_string()))?;
    // Refuse absurd sizes before building anything.
    if file.neurons > MAX_NEURONS {
        return Err(FileError::Absurd {
            field: "neurons",
            value: file.neurons as u64,
            max: MAX_NEURONS as u64,
        });
    }
    file.config.check()?;
    if file.seed != file.config.seed {
        return Err(FileError::Mismatch {
            field: "seed",
            reason: format!("{} here, {} in the config", file.seed, file.config.seed),
        });
    }
    let pixels = file.config.space.pixels();
    if file.pixels != pixels {
        return Err(FileError::Mismatch {
            field: "pixels",
            reason: format!("{} here, the space has {pixels}", file.pixels),
        });
    }
    let fresh = Simulation::new(file.config.clone())?;
    let m = fresh.neurons();
    if file.neurons != m {
        return Err(FileError::Mismatch {
            field: "neurons",
            reason: format!("{} here, the config builds {m}", file.neurons),
        });
    }
    let w = decode_f32("weights", &file.weights, &[m, m])?;
    let d = decode_f32("node_weights", &file.node_weights, &[m])?;
    let mean = decode_f64("mean_sum", &file.mean_sum, &[m])?;
    check_labels(&file, &fresh)?;
    let max_step = u64::MAX / file.config.batch.max(1) as u64;
    if file.step > max_step {
        return Err(FileError::Absurd {
            field: "step",
            value: file.step,
            max: max_step,
        });
    }
    if let Some(r) = file.history.iter().find(|r| r.step > file.step) {
        return Err(FileError::Mismatch {
            field: "history",
            reason: format!(
                "a record at step {} lies after the file's step {}",
                r.step, file.step
            ),
        });
    }
    let scale = f64::from_bits(file.weight_scale_bits);
    let w = Array2::from_shape_vec((m, m), w).map_err(|e| FileError::Encoding {
        field: "weights",
        reason: e.to_string(),
    })?;
    let state = HebbianState::from_parts(
        w,
        Array1::from(d),
        scale,
        Array1::from(mean),
        file.mean_count,
    )
    .map_err(|e| FileError::Mismatch {
        field: "weights",
        reason: e.to_string(),
    })?;
    if !file.last_mean_activity.is_finite() {
        return Err(FileError::NonFinite {
            field: "last_mean_activity",
            index: 0,
        });
    }
    Ok(Simulation::restore(
        file.config,
        state,
        file.step,
        file.history,
        file.last_mean_activity,
    )?)
}

/// Labels and hidden order must be exactly what the configuration regenerates.
fn check_labels(file: &ExperimentFile, fresh: &Simulation) -> Result<(), FileError> {
    if file.hidden_order != fresh.bank().canonical_index {
        return Err(FileError::Mismatch {
            field: "hidden_order",
            reason: "differs from the order the seed generates".into(),
        });
    }
    if file.labels.len() != fresh.labels().len() {
        return Err(FileError::Shape {
            field: "labels",
            expected: vec![fresh.labels().len()],
            found: vec![file.labels.len()],
        });
    }
    let close = |a: f32, b: f32| (a - b).abs() <= 1e-4 * (1.0 + a.abs().max(b.abs()));
    for (i, (a, b)) in file.labels.iter().zip(fresh.labels()).enumerate() {
        let same = a.position == b.position
            && a.kernel == b.kernel
            && a.rotation == b.rotation
            && close(a.centre.0, b.centre.0)
            && close(a.centre.1, b.centre.1);
        if !same {
            return Err(FileError::Mismatch {
                field: "labels",
                reason: format!("label of neuron {i} differs from the regenerated bank"),
            });
        }
    }
    Ok(())
}

/// Saves the experiment atomically (temporary file + rename).
pub fn save(path: impl AsRef<Path>, sim: &Simulation) -> Result<(), FileError> {
    let path = path.as_ref();
    let text = to_json_string(sim)?;
    write_atomically(path, |w| std::io::Write::write_all(w, text.as_bytes())).map_err(|cause| {
        FileError::Io {
            path: path.to_path_buf(),
            cause,
        }
    })
}

/// Loads and validates an experiment file.
pub fn load(path: impl AsRef<Path>) -> Result<Simulation, FileError> {
    let path = path.as_ref();
    let io_err = |cause| FileError::Io {
        path: path.to_path_buf(),
        cause,
    };
    let bytes = fs::metadata(path).map_err(io_err)?.len();
    if bytes > MAX_FILE_BYTES {
        return Err(FileError::TooLarge {
            bytes,
            max: MAX_FILE_BYTES,
        });
    }
    let raw = fs::read(path).map_err(io_err)?;
    let text = String::from_utf8(raw).map_err(|e| FileError::Json {
        truncated: false,
        message: format!("not UTF-8 text: {e}"),
    })?;
    from_json_str(&text)
}
