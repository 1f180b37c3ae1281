//! The pieces of an experiment file below its layout: arrays as base64 of little-endian
//! numbers ([`EncodedArray`], [`encode`], [`decode`]) and JSON lists refused while they
//! are parsed once they pass a cap ([`capped`]). The layout ([`super::experiment_format`])
//! and its optional parts (fields, pins) are built from them.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// Most dimensions an array's `shape` may list.
const MAX_DIMENSIONS: usize = 8;

/// Base64 characters decoded per chunk (a multiple of 4), so decoding needs no buffer as
/// large as the array.
const CHUNK_CHARS: usize = 4 * 4096;

/// An array encoded as base64 of little-endian numbers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct EncodedArray<'a> {
    #[serde(borrow)]
    pub dtype: Cow<'a, str>,
    #[serde(deserialize_with = "shape_list")]
    pub shape: Vec<usize>,
    #[serde(borrow)]
    pub data: Cow<'a, str>,
}

/// A JSON list read into a `Vec`, refused as soon as it passes `max` entries.
struct Capped<T> {
    max: usize,
    what: &'static str,
    item: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Capped<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of at most {} {}", self.max, self.what)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.max));
        while let Some(item) = seq.next_element()? {
            if out.len() == self.max {
                return Err(de::Error::custom(format!(
                    "more than {} {}",
                    self.max, self.what
                )));
            }
            out.push(item);
        }
        Ok(out)
    }
}

/// A list refused while it is parsed as soon as it passes `max` entries (`what` names
/// them in the message).
pub(super) fn capped<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
    max: usize,
    what: &'static str,
) -> Result<Vec<T>, D::Error> {
    d.deserialize_seq(Capped {
        max,
        what,
        item: PhantomData,
    })
}

fn shape_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<usize>, D::Error> {
    capped(d, MAX_DIMENSIONS, "dimensions in a `shape`")
}

/// Encodes values as base64 of their little-endian bytes.
pub(super) fn encode<const W: usize, T: Copy>(
    dtype: &'static str,
    shape: Vec<usize>,
    values: impl Iterator<Item = T>,
    to_le: impl Fn(T) -> [u8; W],
) -> EncodedArray<'static> {
    let mut bytes = Vec::new();
    for v in values {
        bytes.extend_from_slice(&to_le(v));
    }
    EncodedArray {
        dtype: Cow::Borrowed(dtype),
        shape,
        data: Cow::Owned(BASE64.encode(bytes)),
    }
}

/// What is wrong with an encoded array (the caller adds the field name).
#[derive(Debug)]
pub(super) enum DecodeError {
    /// Another element type.
    Dtype(String),
    /// Another shape.
    Shape(Vec<usize>),
    /// Wrong length or invalid base64.
    Encoding(String),
    /// A NaN or infinity at this flat index.
    NonFinite(usize),
}

/// Checks dtype, shape and length, then decodes chunk by chunk into `W`-byte values,
/// refusing non-finite ones.
pub(super) fn decode<const W: usize, T: Copy>(
    a: &EncodedArray<'_>,
    dtype: &str,
    shape: &[usize],
    from_le: impl Fn([u8; W]) -> T,
    is_finite: impl Fn(T) -> bool,
) -> Result<Vec<T>, DecodeError> {
    if a.dtype != dtype {
        return Err(DecodeError::Dtype(a.dtype.chars().take(32).collect()));
    }
    if a.shape != shape {
        return Err(DecodeError::Shape(a.shape.clone()));
    }
    let count: usize = shape.iter().product();
    let bytes = count * W;
    let expected_chars = bytes.div_ceil(3) * 4;
    let data = a.data.as_bytes();
    if data.len() != expected_chars {
        return Err(DecodeError::Encoding(format!(
            "{} base64 characters, expected {expected_chars} for shape {shape:?}",
            data.len()
        )));
    }
    let mut values = Vec::with_capacity(count);
    // Every full chunk decodes to 12 KiB, a whole number of values of 4 or 8 bytes.
    let mut buffer = vec![0u8; CHUNK_CHARS / 4 * 3];
    for (c, chunk) in data.chunks(CHUNK_CHARS).enumerate() {
        let n = BASE64.decode_slice(chunk, &mut buffer).map_err(|e| {
            DecodeError::Encoding(format!(
                "invalid base64 near character {}: {e}",
                c * CHUNK_CHARS
            ))
        })?;
        let words = buffer[..n].chunks_exact(W);
        if !words.remainder().is_empty() {
            return Err(DecodeError::Encoding(format!(
                "{} bytes, expected {bytes}",
                values.len() * W + n
            )));
        }
        for word in words {
            let mut le = [0u8; W];
            le.copy_from_slice(word);
            let v = from_le(le);
            if !is_finite(v) {
                return Err(DecodeError::NonFinite(values.len()));
            }
            values.push(v);
        }
    }
    if values.len() != count {
        return Err(DecodeError::Encoding(format!(
            "{} bytes, expected {bytes}",
            values.len() * W
        )));
    }
    Ok(values)
}
