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

use std::path::Path;

use ndarray::{Array1, Array2};

use super::atomic::write_atomically;
use super::experiment_arrays::{EncodedArray, encode};
pub use super::experiment_error::FileError;
use super::experiment_error::{decode_f32, decode_f64};
use super::experiment_fields::{decode_fields, encode_fields};
use super::experiment_format::{ExperimentFile, MAX_HISTORY, Version, VersionProbe};
use super::experiment_pins::{decode_pins, encode_pins, pin_error};
use super::experiment_write::write_streamed;
use super::read::read_limited;
use crate::model::detectors::MAX_NEURONS;
use crate::model::detectors::learned_bank::LearnedParams;
use crate::model::learning::training_record::MAX_STEPS;
use crate::model::learning::{HebbianState, RENORMALISE_BELOW};
use crate::model::{MetricsRecord, Pins, Simulation};

/// The version this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// Files larger than this are refused before reading: room for the largest valid
/// experiment — the base64 of a [`MAX_NEURONS`]² `float32` weight matrix (1.43 GB at
/// 16,384 neurons) — plus 512 MiB for everything else a file may hold (labels, a
/// history of at most a million records, pins, learned fields). A 4096-neuron run is
/// ~90 MB.
pub const MAX_FILE_BYTES: u64 =
    ((MAX_NEURONS as u64 * MAX_NEURONS as u64 * 4).div_ceil(3) * 4) + (512 << 20);

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
        sim.record().last_mean_activity(),
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
        last_mean_activity: sim.record().last_mean_activity(),
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
