//! A value tree that keeps a file's key order (serde_json's map sorts keys), so a sweep's
//! parameters become CSV columns and grid axes in the order they were written — in
//! JSON and in TOML (through the `toml` crate's `preserve_order`).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_json::Value;

/// A table with its keys in file order, or any other value.
#[derive(Debug)]
pub enum Node {
    /// A table: keys in file order.
    Table(Vec<(String, Node)>),
    /// Anything else.
    Leaf(Value),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Node>()? {
                    entries.push((k, v));
                }
                Ok(Node::Table(entries))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Node, A::Error> {
                FiniteValue::deserialize(de::value::SeqAccessDeserializer::new(seq))
                    .map(|v| Node::Leaf(v.0))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Leaf(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Leaf(Value::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
                Ok(Node::Leaf(Value::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
                finite(v).map(Node::Leaf)
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Leaf(Value::String(v.into())))
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Leaf(Value::Null))
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Leaf(Value::Null))
            }
        }
        d.deserialize_any(NodeVisitor)
    }
}

/// A number that JSON can hold: TOML's `nan` and `inf` would silently become `null`
/// in a `serde_json::Value` (`k_winners = [inf]` would run without k-winners).
fn finite<E: de::Error>(v: f64) -> Result<Value, E> {
    if v.is_finite() {
        Ok(Value::from(v))
    } else {
        Err(E::custom(format!(
            "{v} is not a finite number (nan and inf are not parameter values)"
        )))
    }
}

/// A JSON value deserialized from any format, refusing non-finite numbers.
struct FiniteValue(Value);

impl<'de> Deserialize<'de> for FiniteValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FiniteValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<FiniteValue, E> {
                Ok(FiniteValue(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<FiniteValue, E> {
                Ok(FiniteValue(Value::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<FiniteValue, E> {
                Ok(FiniteValue(Value::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<FiniteValue, E> {
                finite(v).map(FiniteValue)
            }
            fn visit_str<E>(self, v: &str) -> Result<FiniteValue, E> {
                Ok(FiniteValue(Value::String(v.into())))
            }
            fn visit_unit<E>(self) -> Result<FiniteValue, E> {
                Ok(FiniteValue(Value::Null))
            }
            fn visit_none<E>(self) -> Result<FiniteValue, E> {
                Ok(FiniteValue(Value::Null))
            }
            fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<FiniteValue, D::Error> {
                FiniteValue::deserialize(d)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<FiniteValue, A::Error> {
                let mut items = Vec::new();
                while let Some(FiniteValue(v)) = seq.next_element()? {
                    items.push(v);
                }
                Ok(FiniteValue(Value::Array(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FiniteValue, A::Error> {
                let mut out = serde_json::Map::new();
                while let Some((k, FiniteValue(v))) = map.next_entry::<String, FiniteValue>()? {
                    out.insert(k, v);
                }
                Ok(FiniteValue(Value::Object(out)))
            }
        }
        d.deserialize_any(V)
    }
}

impl Node {
    /// Dotted paths to leaves, in file order (TOML's `bank.kernels = …` is a nested table).
    pub fn flatten(self, prefix: &str, out: &mut Vec<(String, Value)>) {
        match self {
            Node::Table(entries) => {
                for (k, v) in entries {
                    let path = if prefix.is_empty() {
                        k
                    } else {
                        format!("{prefix}.{k}")
                    };
                    v.flatten(&path, out);
                }
            }
            Node::Leaf(v) => out.push((prefix.to_string(), v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_and_inf_are_refused_not_turned_into_null() {
        for text in ["x = nan", "x = [inf]", "x = [[1.0, -inf]]", "[x]\ny = nan"] {
            let e = toml::from_str::<Node>(text).unwrap_err().to_string();
            assert!(e.contains("not a finite number"), "{text}: {e}");
        }
        let ok: Node = toml::from_str("x = [1.5, 2]").unwrap();
        let mut flat = Vec::new();
        ok.flatten("", &mut flat);
        assert_eq!(flat, [("x".to_string(), serde_json::json!([1.5, 2]))]);
    }
}
