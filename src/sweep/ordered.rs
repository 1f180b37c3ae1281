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
                Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Node::Leaf)
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
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Leaf(Value::from(v)))
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
