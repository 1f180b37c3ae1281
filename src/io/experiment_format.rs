//! The on-disk shape of an experiment file (see [`super::experiment`] for the layout) and
//! its array encoding.
//!
//! Reading borrows: the large base64 fields are `Cow<str>` slices of the one buffer the
//! file was read into (copied only when the JSON escapes a character, which our writer
//! never does), and every list a file can make long is capped while it is parsed. So the
//! loader never builds a generic JSON tree and its peak memory stays within a small
//! constant factor of the file size.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::de::{self, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::model::detectors::MAX_NEURONS;
use crate::model::{MetricsRecord, NeuronLabel, SimConfig};

/// Most metric records a file may hold (a record costs 64 bytes in memory and more than
/// 100 bytes of text, so the cap bounds memory, not the file).
pub const MAX_HISTORY: usize = 1_000_000;

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

/// Every field of a version-1 file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct ExperimentFile<'a> {
    pub format_version: u64,
    pub config: SimConfig,
    pub seed: u64,
    pub step: u64,
    pub neurons: usize,
    pub pixels: usize,
    #[serde(deserialize_with = "label_list")]
    pub labels: Vec<NeuronLabel>,
    #[serde(deserialize_with = "order_list")]
    pub hidden_order: Vec<usize>,
    pub weight_scale: f64,
    pub weight_scale_bits: u64,
    #[serde(borrow)]
    pub weights: EncodedArray<'a>,
    #[serde(borrow)]
    pub node_weights: EncodedArray<'a>,
    #[serde(borrow)]
    pub mean_sum: EncodedArray<'a>,
    pub mean_count: u64,
    pub last_mean_activity: f64,
    #[serde(deserialize_with = "history_list")]
    pub history: Vec<MetricsRecord>,
    /// Pinned weights ([`super::experiment_pins`]); absent in files written before pins
    /// existed, which then load with the start pins.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::experiment_pins::pin_list"
    )]
    pub pins: Option<Vec<super::experiment_pins::PinFile>>,
    /// The learner of a learned bank ([`super::experiment_fields`]); absent otherwise.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub learned_fields: Option<super::experiment_fields::LearnedFieldsFile<'a>>,
}

/// Only the version, read first so that a file of another version is named as such
/// rather than reported as malformed. Anything but an object has no version.
pub(super) struct VersionProbe {
    pub format_version: Option<Version>,
}

impl<'de> Deserialize<'de> for VersionProbe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// A map key, compared without allocating.
        struct IsVersionKey(bool);
        impl<'de> Deserialize<'de> for IsVersionKey {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct K;
                impl Visitor<'_> for K {
                    type Value = IsVersionKey;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("a field name")
                    }
                    fn visit_str<E>(self, key: &str) -> Result<IsVersionKey, E> {
                        Ok(IsVersionKey(key == "format_version"))
                    }
                }
                d.deserialize_str(K)
            }
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = VersionProbe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an experiment object")
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<VersionProbe, A::Error> {
                let mut format_version = None;
                while let Some(IsVersionKey(is_version)) = map.next_key()? {
                    if is_version && format_version.is_none() {
                        format_version = Some(map.next_value::<Version>()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(VersionProbe { format_version })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<VersionProbe, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(VersionProbe {
                    format_version: None,
                })
            }
            fn visit_u64<E>(self, _: u64) -> Result<VersionProbe, E> {
                Ok(VersionProbe {
                    format_version: None,
                })
            }
            fn visit_i64<E>(self, _: i64) -> Result<VersionProbe, E> {
                Ok(VersionProbe {
                    format_version: None,
                })
            }
            fn visit_f64<E>(self, _: f64) -> Result<VersionProbe, E> {
                Ok(VersionProbe {
                    format_version: None,
                })
            }
            fn visit_str<E>(self, _: &str) -> Result<VersionProbe, E> {
                Ok(VersionProbe {
                    format_version: None,
                })
            }
            fn visit_bool<E>(self, _: bool) -> Result<VersionProbe, E> {
                Ok(VersionProbe {
                    format_version: None,
                })
            }
            fn visit_unit<E>(self) -> Result<VersionProbe, E> {
                Ok(VersionProbe {
                    format_version: None,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// The `format_version` value: a number, or a short description of what stands there.
pub(super) enum Version {
    /// A non-negative integer.
    Number(u64),
    /// Anything else, described ("a string", "-1", …).
    Other(String),
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Version;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a version number")
            }
            fn visit_u64<E>(self, v: u64) -> Result<Version, E> {
                Ok(Version::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Version, E> {
                Ok(Version::Other(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Version, E> {
                Ok(Version::Other(v.to_string()))
            }
            fn visit_str<E>(self, _: &str) -> Result<Version, E> {
                Ok(Version::Other("a string".into()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Version, E> {
                Ok(Version::Other(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Version, E> {
                Ok(Version::Other("null".into()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Version, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Version::Other("an array".into()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Version, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Version::Other("an object".into()))
            }
        }
        d.deserialize_any(V)
    }
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

fn label_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NeuronLabel>, D::Error> {
    capped(d, MAX_NEURONS, "`labels` (one per neuron)")
}

fn order_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<usize>, D::Error> {
    capped(d, MAX_NEURONS, "`hidden_order` entries (one per neuron)")
}

fn shape_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<usize>, D::Error> {
    capped(d, MAX_DIMENSIONS, "dimensions in a `shape`")
}

fn history_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<MetricsRecord>, D::Error> {
    capped(d, MAX_HISTORY, "`history` records")
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
