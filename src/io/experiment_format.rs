//! The on-disk shape of an experiment file (see [`super::experiment`] for the layout) and
//! its array encoding.
//!
//! Reading borrows: the large base64 fields are `Cow<str>` slices of the one buffer the
//! file was read into (copied only when the JSON escapes a character, which our writer
//! never does), and every list a file can make long is capped while it is parsed. So the
//! loader never builds a generic JSON tree and its peak memory stays within a small
//! constant factor of the file size.

use std::fmt;

use serde::de::{self, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::experiment_arrays::{EncodedArray, capped};
use crate::model::detectors::MAX_NEURONS;
use crate::model::{MetricsRecord, NeuronLabel, SimConfig};

/// Most metric records a file may hold (a record costs 64 bytes in memory and more than
/// 100 bytes of text, so the cap bounds memory, not the file).
pub const MAX_HISTORY: usize = 1_000_000;

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

fn label_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NeuronLabel>, D::Error> {
    capped(d, MAX_NEURONS, "`labels` (one per neuron)")
}

fn order_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<usize>, D::Error> {
    capped(d, MAX_NEURONS, "`hidden_order` entries (one per neuron)")
}

fn history_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<MetricsRecord>, D::Error> {
    capped(d, MAX_HISTORY, "`history` records")
}
