//! The `config` of a (possibly large) experiment file, read by streaming: every other
//! field — the weights, the history — is skipped as it passes and never kept, and the
//! config itself may not take more than a stated number of bytes of text, so memory is
//! bounded by the config however large or hostile the file is.

use std::cell::Cell;
use std::fmt;
use std::io::{self, Read};
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// A reader that fails once more than `budget` bytes were read since the budget was
/// armed (`mark` set to [`ARM`]; it then holds the count at arming; `None`: no budget).
struct Budgeted<R> {
    inner: R,
    read: u64,
    mark: Rc<Cell<Option<u64>>>,
    budget: u64,
}

/// The value that arms the budget at the reader's next read.
const ARM: u64 = u64::MAX;

impl<R: Read> Read for Budgeted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.mark.get() == Some(ARM) {
            self.mark.set(Some(self.read));
        }
        if let Some(start) = self.mark.get()
            && self.read - start > self.budget
        {
            return Err(io::Error::other(format!(
                "its `config` is longer than {} bytes",
                self.budget
            )));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// The `config` of the experiment file `reader` holds (its text at most `max_config`
/// bytes); the error says what is wrong in a few words.
pub fn stream_config(reader: impl Read, max_config: u64) -> Result<Value, String> {
    let mark = Rc::new(Cell::new(None));
    let budgeted = Budgeted {
        inner: reader,
        read: 0,
        mark: mark.clone(),
        budget: max_config,
    };
    let mut de = serde_json::Deserializer::from_reader(budgeted);
    let found = de::Deserializer::deserialize_map(&mut de, ExperimentVisitor { mark })
        .map_err(|e| short(&e))?;
    de.end().map_err(|e| short(&e))?;
    match found {
        (true, Some(config)) => Ok(config),
        (false, _) => Err("it is not an experiment file (no `format_version`)".into()),
        (true, None) => Err("the experiment file has no `config`".into()),
    }
}

/// serde_json's message, which never quotes the file.
fn short(e: &serde_json::Error) -> String {
    e.to_string()
}

/// Visits the top-level object: `(has format_version, config)`.
struct ExperimentVisitor {
    mark: Rc<Cell<Option<u64>>>,
}

impl<'de> Visitor<'de> for ExperimentVisitor {
    type Value = (bool, Option<Value>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an experiment file (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut version = false;
        let mut config = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format_version" => {
                    version = true;
                    map.next_value::<IgnoredAny>()?;
                }
                "config" if config.is_none() => {
                    config = Some(map.next_value_seed(Marked(&self.mark))?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((version, config))
    }
}

/// Deserializes one value with the byte budget armed.
struct Marked<'a>(&'a Rc<Cell<Option<u64>>>);

impl<'de> DeserializeSeed<'de> for Marked<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        // The budget counts from here; the reader is at most one byte ahead.
        self.0.set(Some(ARM));
        let value = serde::Deserialize::deserialize(d);
        self.0.set(None);
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_is_found_and_everything_else_skipped() {
        let text = r#"{"weights": {"data": "AAAA"}, "format_version": 1, "config": {"a": [1, 2]}}"#;
        assert_eq!(
            stream_config(text.as_bytes(), 100).unwrap(),
            serde_json::json!({"a": [1, 2]})
        );
        assert!(stream_config(&b"[1, 2, 3]"[..], 100).is_err());
        assert!(stream_config(&br#"{"config": {}}"#[..], 100).is_err());
        assert!(stream_config(&br#"{"format_version": 1}"#[..], 100).is_err());
        let long = format!(
            r#"{{"format_version": 1, "config": [{}0]}}"#,
            "0,".repeat(100)
        );
        let e = stream_config(long.as_bytes(), 100).unwrap_err();
        assert!(e.contains("longer than 100 bytes"), "{e}");
        let fits = format!(
            r#"{{"config": [{}0], "format_version": 1}}"#,
            "0,".repeat(40)
        );
        assert!(stream_config(fits.as_bytes(), 100).is_ok());
    }
}
