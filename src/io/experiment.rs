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
//!   "mean_count": u64, "last_mean_activity": f64, "history": [MetricsRecord…],
//!   "pins": [{"i": usize, "j": usize, "history": [[step, stimuli, w_ij]…]}…],
//!   "learned_fields": {…} }
//! ```
//!
//! `pins` are the pinned weights and their histories ([`super::experiment_pins`]);
//! always written, optional when read: a file without them (written before pins
//! existed) loads with the start pins of [`crate::model::learning::pins::start_cells`], recorded
//! from the file's step on. An empty list means nothing is pinned.
//!
//! `learned_fields` is present only for learned banks ([`super::experiment_fields`]);
//! their labels and hidden order are then those of the saved fields.
//!
//! `weights` and `node_weights` are the *raw* buffers of the lazy decay: the learned
//! matrix is `W = weight_scale · weights` (and `d = weight_scale · node_weights`); with
//! decay 0 the scale is exactly 1. `weight_scale_bits` is the IEEE-754 bit pattern of the
//! scale (what loading uses, so continuation is bit-exact); `weight_scale` is there for
//! people reading the file. Arrays are row-major, little-endian, standard base64 with
//! padding. Loading validates everything and never panics; saving checks the same
//! things first, so a file that `save` writes is always one that `load` reads back.
//!
//! Loading reads the file once into memory (through [`read_limited`]: regular files of
//! at most [`MAX_FILE_BYTES`]) and parses it without a generic JSON tree, borrowing the
//! base64 fields from that buffer ([`super::experiment_format`]): the peak memory is the
//! file plus the decoded arrays, under twice the file size.

use std::path::{Path, PathBuf};

use ndarray::{Array1, Array2};

use super::atomic::write_atomically;
use super::experiment_fields::{decode_fields, encode_fields};
use super::experiment_format::{
    DecodeError, EncodedArray, ExperimentFile, MAX_HISTORY, Version, VersionProbe, decode, encode,
};
use super::experiment_pins::{decode_pins, encode_pins, pin_error};
use super::experiment_write::write_streamed;
use super::read::{ReadError, read_limited};
use crate::model::detectors::MAX_NEURONS;
use crate::model::detectors::learned_bank::LearnedParams;
use crate::model::learning::simulation::{Diverged, MAX_STEPS};
use crate::model::learning::{HebbianState, RENORMALISE_BELOW};
use crate::model::{ConfigError, MetricsRecord, Pins, Simulation};

/// The version this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// Files larger than this are refused before reading: room for the largest valid
/// experiment — the base64 of a [`MAX_NEURONS`]² `float32` weight matrix (1.43 GB at
/// 16,384 neurons) — plus 512 MiB for everything else a file may hold (labels, a
/// history of at most a million records, pins, learned fields). A 4096-neuron run is
/// ~90 MB.
pub const MAX_FILE_BYTES: u64 =
    ((MAX_NEURONS as u64 * MAX_NEURONS as u64 * 4).div_ceil(3) * 4) + (512 << 20);

/// Why an experiment file could not be written or read; every variant names the problem.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be opened, read or written.
    #[error("{}", super::atomic::write_failure("access", path, cause))]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error (part of the message, so not chained again).
        cause: std::io::Error,
    },
    /// The path is a device, FIFO, socket or directory.
    #[error("cannot read `{path}`: it is {kind}, not a regular file")]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("cannot read `{path}`: it has {bytes} bytes, more than the limit of {max}")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Size found.
        bytes: u64,
        /// The limit.
        max: u64,
    },
    /// The simulation's state is unusable (training diverged); nothing is written.
    #[error("not saved: {0}")]
    Diverged(Diverged),
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
    Config(ConfigError),
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
    /// An array or number holds NaN or infinity.
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

impl FileError {
    /// Whether the message already names the file (so a front need not add it again).
    pub fn names_file(&self) -> bool {
        matches!(
            self,
            FileError::Io { .. } | FileError::NotRegular { .. } | FileError::TooLarge { .. }
        )
    }
}

// Not `#[from]`: that would also make the inner error the `source`, and fronts that print
// the chain would repeat its message.
impl From<ConfigError> for FileError {
    fn from(e: ConfigError) -> Self {
        FileError::Config(e)
    }
}

impl From<Diverged> for FileError {
    fn from(e: Diverged) -> Self {
        FileError::Diverged(e)
    }
}

impl From<ReadError> for FileError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io { path, cause } => FileError::Io { path, cause },
            ReadError::NotRegular { path, kind } => FileError::NotRegular { path, kind },
            ReadError::TooLarge { path, bytes, max } => FileError::TooLarge { path, bytes, max },
        }
    }
}

/// Puts the field name on a decoding problem.
fn decode_error(field: &'static str, expected: &[usize], e: DecodeError) -> FileError {
    match e {
        DecodeError::Dtype(found) => FileError::Encoding {
            field,
            reason: format!("unsupported dtype `{found}`"),
        },
        DecodeError::Shape(found) => FileError::Shape {
            field,
            expected: expected.to_vec(),
            found,
        },
        DecodeError::Encoding(reason) => FileError::Encoding { field, reason },
        DecodeError::NonFinite(index) => FileError::NonFinite { field, index },
    }
}

fn decode_f32(
    field: &'static str,
    a: &EncodedArray,
    shape: &[usize],
) -> Result<Vec<f32>, FileError> {
    decode(a, "f32le", shape, f32::from_le_bytes, f32::is_finite)
        .map_err(|e| decode_error(field, shape, e))
}

pub(super) fn decode_f64(
    field: &'static str,
    a: &EncodedArray,
    shape: &[usize],
) -> Result<Vec<f64>, FileError> {
    decode(a, "f64le", shape, f64::from_le_bytes, f64::is_finite)
        .map_err(|e| decode_error(field, shape, e))
}

/// Everything `load` checks about the parts that are not arrays or the config, shared
/// with `save` so the writer never writes what the reader refuses.
fn check_counts(
    step: u64,
    batch: usize,
    mean_count: u64,
    last_mean_activity: f64,
    history: &[MetricsRecord],
) -> Result<(), FileError> {
    if step > MAX_STEPS {
        return Err(FileError::Absurd {
            field: "step",
            value: step,
            max: MAX_STEPS,
        });
    }
    // `mean_count` counts the stimuli summed so far: at most `step · batch`.
    let stimuli = step.saturating_mul(batch as u64);
    if mean_count > stimuli {
        return Err(FileError::Mismatch {
            field: "mean_count",
            reason: format!(
                "{mean_count} stimuli, but {step} steps of {batch} show only {stimuli}"
            ),
        });
    }
    if !last_mean_activity.is_finite() {
        return Err(FileError::NonFinite {
            field: "last_mean_activity",
            index: 0,
        });
    }
    if history.len() > MAX_HISTORY {
        return Err(FileError::Absurd {
            field: "history",
            value: history.len() as u64,
            max: MAX_HISTORY as u64,
        });
    }
    for (index, r) in history.iter().enumerate() {
        if r.step > step {
            return Err(FileError::Mismatch {
                field: "history",
                reason: format!(
                    "record {index} is at step {}, after the file's step {step}",
                    r.step
                ),
            });
        }
        let values = [
            r.weight_norm,
            r.sparsity,
            r.max_weight,
            r.mean_activity,
            r.symmetry_error_true,
            r.symmetry_error_random,
        ];
        if values.iter().any(|v| !v.is_finite()) {
            return Err(FileError::NonFinite {
                field: "history",
                index,
            });
        }
    }
    Ok(())
}

/// The experiment as JSON text (what [`save`] writes); refuses a simulation whose state
/// or history the loader would refuse (e.g. after training diverged).
pub fn to_json_string(sim: &Simulation) -> Result<String, FileError> {
    let file = file_of(sim)?;
    let mut bytes = Vec::new();
    write_streamed(&mut bytes, &file, |w| stream_weights(sim, w))
        .map_err(|e| FileError::Schema(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| FileError::Schema(e.to_string()))
}

/// Everything [`save`] checks, and the file to write with its weights left out (they
/// are streamed in by [`stream_weights`]).
fn file_of(sim: &Simulation) -> Result<ExperimentFile<'static>, FileError> {
    sim.check_health()?;
    let state = sim.learning_state();
    check_counts(
        sim.step_count(),
        sim.config().batch,
        state.mean_count(),
        sim.last_mean_activity(),
        sim.history(),
    )?;
    let m = sim.neurons();
    Pins::from_cells(sim.pins().cells().to_vec(), m, sim.step_count()).map_err(pin_error)?;
    Ok(ExperimentFile {
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
        weights: EncodedArray {
            dtype: "f32le".into(),
            shape: vec![m, m],
            data: "".into(),
        },
        node_weights: encode(
            "f32le",
            vec![m],
            state.raw_node_weights().iter().copied(),
            f32::to_le_bytes,
        ),
        mean_sum: encode(
            "f64le",
            vec![m],
            state.mean_sum().iter().copied(),
            f64::to_le_bytes,
        ),
        mean_count: state.mean_count(),
        last_mean_activity: sim.last_mean_activity(),
        history: sim.history().to_vec(),
        pins: Some(encode_pins(sim.pins())),
        learned_fields: sim.field_learner().as_ref().map(encode_fields),
    })
}

/// Writes the little-endian bytes of the raw weights, row-major, a block of rows at a
/// time (a symmetric rule's stale lower triangle mirrored on the way).
fn stream_weights(sim: &Simulation, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    sim.learning_state()
        .for_each_raw_row_block(|_, rows: &[f32]| {
            bytes.clear();
            bytes.extend(rows.iter().flat_map(|v| v.to_le_bytes()));
            out.write_all(&bytes)
        })
}

fn json_error(e: serde_json::Error) -> FileError {
    FileError::Json {
        truncated: e.is_eof(),
        message: e.to_string(),
    }
}

/// Parses and validates an experiment from JSON text.
pub fn from_json_str(text: &str) -> Result<Simulation, FileError> {
    from_json_slice(text.as_bytes())
}

/// Parses and validates an experiment from the bytes of a file (UTF-8 JSON).
pub fn from_json_slice(bytes: &[u8]) -> Result<Simulation, FileError> {
    // serde_json does not check the text of fields it skips; the whole file must be text.
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(FileError::Json {
            truncated: false,
            message: format!("not UTF-8 text at byte {}", e.valid_up_to()),
        });
    }
    // First only the version (other fields skipped without allocating), so a file of
    // another version is named as such rather than reported as malformed.
    let probe: VersionProbe = serde_json::from_slice(bytes).map_err(json_error)?;
    match probe.format_version {
        None => return Err(FileError::MissingVersion),
        Some(Version::Number(FORMAT_VERSION)) => {}
        Some(Version::Number(v)) => {
            return Err(FileError::UnsupportedVersion {
                found: v.to_string(),
                supported: FORMAT_VERSION,
            });
        }
        Some(Version::Other(found)) => {
            return Err(FileError::UnsupportedVersion {
                found,
                supported: FORMAT_VERSION,
            });
        }
    }
    let file: ExperimentFile =
        serde_json::from_slice(bytes).map_err(|e| FileError::Schema(e.to_string()))?;
    validate(file)
}

fn validate(file: ExperimentFile<'_>) -> Result<Simulation, FileError> {
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
    check_counts(
        file.step,
        file.config.batch,
        file.mean_count,
        file.last_mean_activity,
        &file.history,
    )?;
    let scale = f64::from_bits(file.weight_scale_bits);
    if !(RENORMALISE_BELOW..=1.0).contains(&scale) {
        return Err(FileError::Mismatch {
            field: "weight_scale_bits",
            reason: format!(
                "decay scale {scale:e} is outside [{RENORMALISE_BELOW:e}, 1], the only values \
                 training produces"
            ),
        });
    }
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
        reason: e.0,
    })?;
    let fields = match (&file.learned_fields, LearnedParams::of(&file.config.bank)) {
        (Some(f), Some(params)) => Some(decode_fields(
            f,
            params.filter_pixels(file.config.space),
            params.filters,
        )?),
        (None, None) => None,
        (Some(_), None) => {
            return Err(FileError::Mismatch {
                field: "learned_fields",
                reason: "present, but the bank is not learned".into(),
            });
        }
        (None, Some(_)) => {
            return Err(FileError::Schema(
                "missing field `learned_fields` (the bank is learned)".into(),
            ));
        }
    };
    let mut sim = Simulation::restore_with_fields(
        file.config.clone(),
        fields,
        state,
        file.step,
        file.history.clone(),
        file.last_mean_activity,
    )?;
    check_labels(&file, &sim)?;
    if let Some(pins) = &file.pins {
        sim.set_pins(decode_pins(pins)).map_err(pin_error)?;
    }
    Ok(sim)
}

/// Labels and hidden order must be exactly what the configuration (and, for a learned
/// bank, the saved fields) regenerate.
fn check_labels(file: &ExperimentFile<'_>, fresh: &Simulation) -> Result<(), FileError> {
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
    // Tolerance relative to the regenerated value only: a stored ±1e308 (infinite as an
    // f32) must not make itself "close".
    let close = |stored: f32, regenerated: f32| {
        stored.is_finite() && (stored - regenerated).abs() <= 1e-4 * (1.0 + regenerated.abs())
    };
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

/// Saves the experiment atomically (temporary file + rename; see [`write_atomically`]
/// for symbolic links and what is never replaced). A simulation that the loader would
/// refuse is not written.
pub fn save(path: impl AsRef<Path>, sim: &Simulation) -> Result<(), FileError> {
    let path = path.as_ref();
    let file = file_of(sim)?;
    write_atomically(path, |w| {
        write_streamed(w, &file, |out| stream_weights(sim, out))
    })
    .map_err(|cause| FileError::Io {
        path: path.to_path_buf(),
        cause,
    })
}

/// Loads and validates an experiment file.
pub fn load(path: impl AsRef<Path>) -> Result<Simulation, FileError> {
    let bytes = read_limited(path, MAX_FILE_BYTES)?;
    from_json_slice(&bytes)
}
