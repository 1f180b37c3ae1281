//! Writing an experiment file as a stream: everything but the weights is serialised as
//! usual (a few MB at most), and the weights — 1 GiB of `float32` at M = 16,384, 1.4 GB
//! of base64 — are encoded into the output a block of rows at a time, straight from the
//! learning state. The bytes are exactly those of serialising the whole file at once,
//! and the memory needed beyond the simulation is a few MB, not three copies of `W`.

use std::io::{self, Write};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::write::EncoderWriter;

use super::experiment_arrays::EncodedArray;
use super::experiment_format::ExperimentFile;

/// Writes `file`, whose `weights.data` is empty, with the weights' base64 streamed in
/// by `stream_weights` (which writes the little-endian bytes of the `M × M` weights into
/// the writer it is given). The empty `data` string is found in the serialised text by
/// the structure around it, which no string value can imitate: a quote inside a JSON
/// string is always escaped.
pub(super) fn write_streamed<W: Write>(
    out: &mut W,
    file: &ExperimentFile<'_>,
    stream_weights: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let text = serde_json::to_string(file).map_err(io::Error::other)?;
    let slot = weights_slot(&file.weights);
    let at = match text
        .match_indices(&slot)
        .map(|(i, _)| i)
        .collect::<Vec<_>>()[..]
    {
        [at] => at + slot.len() - 1,
        _ => {
            return Err(io::Error::other(
                "the experiment's weights could not be placed in the file",
            ));
        }
    };
    // `text[..at]` ends with the opening quote of `data`; the closing one starts the rest.
    out.write_all(&text.as_bytes()[..at])?;
    {
        let mut encoder = EncoderWriter::new(&mut *out, &BASE64);
        stream_weights(&mut encoder)?;
        encoder.finish()?;
    }
    out.write_all(&text.as_bytes()[at..])
}

/// The serialised `"weights"` entry with empty data, up to and including the opening
/// quote of the data string's closing quote pair (`…"data":""`).
fn weights_slot(weights: &EncodedArray<'_>) -> String {
    let shape = weights
        .shape
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(",");
    format!(
        "\"weights\":{{\"dtype\":\"{}\",\"shape\":[{shape}],\"data\":\"\"",
        weights.dtype
    )
}
