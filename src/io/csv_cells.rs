//! CSV cells of one line, through the `csv` crate (RFC 4180: double quotes group,
//! `""` inside quotes is `"`): the sweep table, the sweep reader and the node-name files
//! split and quote with the same rules instead of each keeping its own small parser.

/// The cells of one CSV line (without its line break). A line that the parser cannot
/// read as one record (an unclosed quote running to the end) is read as it stands:
/// whatever the crate returns for it, never an error, so a caller counts or names cells.
pub fn split(line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(str::to_owned).collect(),
        _ => vec![String::new()],
    }
}

/// `cell` as a CSV field: quoted (inner quotes doubled) only when it holds a separator,
/// a quote or a line break.
pub fn quote(cell: &str) -> String {
    if cell.is_empty() {
        // A record of one empty field is written as `""` (so it is not an empty line);
        // as one cell among others it is written as nothing.
        return String::new();
    }
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    // The closing quote is written with the record's end, so the cell is written as a
    // whole record and its terminator taken off. Writing to a Vec cannot fail.
    if writer.write_record([cell]).is_err() {
        return cell.to_owned();
    }
    let mut text = writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_else(|| cell.to_owned());
    // The default terminator, CRLF, makes a cell holding either `\r` or `\n` quoted.
    text.truncate(text.trim_end_matches(['\r', '\n']).len());
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_cells_keep_their_commas_and_quotes() {
        assert_eq!(split(r#"a,"b,c",""""#), ["a", "b,c", "\""]);
        assert_eq!(split("1,\"[1,2]\",x").len(), 3);
        assert_eq!(split(""), [""]);
    }

    #[test]
    fn only_cells_that_need_it_are_quoted() {
        assert_eq!(quote("bank.size"), "bank.size");
        assert_eq!(quote("[1,2]"), "\"[1,2]\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(split(&quote("a,\"b\"")), ["a,\"b\""]);
        assert_eq!(quote(""), "");
        assert_eq!(quote("a\rb"), "\"a\rb\"");
    }
}
