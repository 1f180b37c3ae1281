//! The learned receptive fields in an experiment file: the optional
//! `learned_fields` object, written only for learned banks.
//!
//! ```text
//! "learned_fields": { "updates": u64,
//!   "whitening": {"dtype": "f64le", "shape": [k, P], "data": base64},
//!   "unmixing":  {"dtype": "f64le", "shape": [K, k], "data": base64} }
//! ```
//!
//! The learner's whole state in full precision — not the fields it produces — so that a
//! run loaded in the field phase continues bit for bit, and the fields, labels and hidden
//! order are rebuilt from it exactly. Files of fixed banks are unchanged.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::experiment_arrays::{EncodedArray, encode};
use super::experiment_error::{FileError, decode_f64};
use crate::model::detectors::learned_bank::FieldLearnerParts;

/// The `learned_fields` object.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct LearnedFieldsFile<'a> {
    pub updates: u64,
    #[serde(borrow)]
    pub whitening: EncodedArray<'a>,
    #[serde(borrow)]
    pub unmixing: EncodedArray<'a>,
}

/// The object for a learner's state.
pub(super) fn encode_fields(parts: &FieldLearnerParts) -> LearnedFieldsFile<'static> {
    let f64le = |a: &Array2<f64>| {
        encode(
            "f64le",
            vec![a.nrows(), a.ncols()],
            a.iter().copied(),
            f64::to_le_bytes,
        )
    };
    LearnedFieldsFile {
        updates: parts.updates,
        whitening: f64le(&parts.whitening),
        unmixing: f64le(&parts.unmixing),
    }
}

/// The learner's state from the object, for a bank of `filters` filters over `pixels`
/// pixels. The whitened dimension `k` is read from the whitening's shape (1..=pixels).
pub(super) fn decode_fields(
    file: &LearnedFieldsFile<'_>,
    pixels: usize,
    filters: usize,
) -> Result<FieldLearnerParts, FileError> {
    let k = match file.whitening.shape.as_slice() {
        [k, p] if (1..=pixels).contains(k) && *p == pixels => *k,
        found => {
            return Err(FileError::Shape {
                field: "learned_fields.whitening",
                expected: vec![pixels, pixels],
                found: found.to_vec(),
            });
        }
    };
    let whitening = decode_f64("learned_fields.whitening", &file.whitening, &[k, pixels])?;
    let unmixing = decode_f64("learned_fields.unmixing", &file.unmixing, &[filters, k])?;
    let shape_error = |field: &'static str, e: ndarray::ShapeError| FileError::Encoding {
        field,
        reason: e.to_string(),
    };
    Ok(FieldLearnerParts {
        whitening: Array2::from_shape_vec((k, pixels), whitening)
            .map_err(|e| shape_error("learned_fields.whitening", e))?,
        unmixing: Array2::from_shape_vec((filters, k), unmixing)
            .map_err(|e| shape_error("learned_fields.unmixing", e))?,
        updates: file.updates,
    })
}
