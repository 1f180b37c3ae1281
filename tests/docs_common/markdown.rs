//! Reading the guide's Markdown: fenced blocks, prose, headings and their anchors, inline
//! code, links, shell lines, and expected output with `…`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// One Markdown file of the guide.
pub struct Page {
    /// Path relative to the repository root, e.g. `docs/search.md`.
    pub rel: PathBuf,
    /// What the page holds, in order.
    pub items: Vec<Item>,
}

/// A part of a page.
pub enum Item {
    /// A fenced code block.
    Block(Block),
    /// Consecutive prose lines outside code (a heading is one of its own), joined by
    /// spaces, with the first line's number.
    Prose { line: usize, text: String },
    /// A heading's text.
    Heading(String),
}

/// A fenced code block.
pub struct Block {
    /// Line number of the opening fence (1-based).
    pub line: usize,
    /// The first word of the info string (`sh`, `console`, …).
    pub lang: String,
    /// `key=value` words after it (`file=NAME`, `exit=N`).
    pub attrs: BTreeMap<String, String>,
    /// The lines between the fences, with their line numbers.
    pub lines: Vec<(usize, String)>,
}

/// `README.md` and every `docs/**/*.md` under `root`, in that order (the docs sorted).
pub fn pages(root: &Path) -> Vec<Page> {
    let mut found = Vec::new();
    let mut stack = vec![root.join("docs")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("docs/ exists") {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                found.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    std::iter::once(PathBuf::from("README.md"))
        .chain(found)
        .map(|rel| Page {
            items: parse(&std::fs::read_to_string(root.join(&rel)).unwrap()),
            rel,
        })
        .collect()
}

/// A fence line: the fence character, how many, and the info string.
pub fn fence(line: &str) -> Option<(char, usize, &str)> {
    let rest = line.trim_start_matches(' ');
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = rest.chars().take_while(|&x| x == c).count();
    let info = rest[n..].trim();
    // CommonMark: at most 3 spaces of indent, 3+ characters, and a backtick fence's info
    // string holds no backtick (```` ```sh ```` in prose is inline code).
    (line.len() - rest.len() <= 3 && n >= 3 && (c == '~' || !info.contains('`')))
        .then_some((c, n, info))
}

/// Splits Markdown into blocks, prose and headings.
pub fn parse(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let mut prose: Option<(usize, String)> = None;
    let flush = |prose: &mut Option<(usize, String)>, items: &mut Vec<Item>| {
        if let Some((line, text)) = prose.take() {
            items.push(Item::Prose { line, text });
        }
    };
    while let Some((no, line)) = lines.next() {
        if let Some((c, n, info)) = fence(line) {
            flush(&mut prose, &mut items);
            let mut words = info.split_whitespace();
            let lang = words.next().unwrap_or("").to_string();
            let attrs = words
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let closes =
                |l: &str| fence(l).is_some_and(|(c2, n2, i2)| c2 == c && n2 >= n && i2.is_empty());
            let lines = lines.by_ref().take_while(|(_, l)| !closes(l));
            let lines = lines.map(|(no, l)| (no, l.to_string())).collect();
            items.push(Item::Block(Block {
                line: no,
                lang,
                attrs,
                lines,
            }));
        } else if line.trim().is_empty() {
            flush(&mut prose, &mut items);
        } else if line.starts_with('#') {
            flush(&mut prose, &mut items);
            let h = line.trim_start_matches('#');
            if h.starts_with(' ') {
                items.push(Item::Heading(h.trim().to_string()));
            }
            items.push(Item::Prose {
                line: no,
                text: line.to_string(),
            });
        } else if let Some((_, text)) = &mut prose {
            text.push(' ');
            text.push_str(line.trim());
        } else {
            prose = Some((no, line.trim().to_string()));
        }
    }
    flush(&mut prose, &mut items);
    items
}

/// GitHub's anchor for a heading: lower case; letters, digits, `-` and `_` kept; spaces
/// to `-`; everything else dropped.
pub fn slug(heading: &str) -> String {
    let lower = heading.trim().to_lowercase();
    lower
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Every heading's anchor on a page, with GitHub's `-1`, `-2` suffixes for repeats.
pub fn anchors(page: &Page) -> BTreeSet<String> {
    let mut seen = BTreeMap::<String, usize>::new();
    let mut out = BTreeSet::new();
    for item in &page.items {
        if let Item::Heading(h) = item {
            let s = slug(h);
            let n = seen.entry(s.clone()).or_insert(0);
            out.insert(if *n == 0 {
                s.clone()
            } else {
                format!("{s}-{n}")
            });
            *n += 1;
        }
    }
    out
}

/// The inline code spans of some prose, and the prose with them replaced by `code`.
pub fn code_spans(text: &str) -> (Vec<String>, String) {
    let mut spans = Vec::new();
    let mut rest = String::new();
    let mut i = 0;
    while i < text.len() {
        let tail = &text[i..];
        let n = tail.bytes().take_while(|&c| c == b'`').count();
        if n == 0 {
            let c = tail.chars().next().unwrap();
            rest.push(c);
            i += c.len_utf8();
            continue;
        }
        // The span closes at the next run of exactly n backticks.
        let mut j = i + n;
        let close = loop {
            let Some(k) = text[j..].find('`') else {
                break None;
            };
            let m = text[j + k..].bytes().take_while(|&c| c == b'`').count();
            if m == n {
                break Some(j + k);
            }
            j += k + m;
        };
        match close {
            Some(j) => {
                spans.push(text[i + n..j].trim().to_string());
                rest.push_str(" code ");
                i = j + n;
            }
            None => {
                rest.push_str(&tail[..n]);
                i += n;
            }
        }
    }
    (spans, rest)
}

/// Link targets `](target)` in prose whose inline code is already removed.
pub fn link_targets(prose: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = prose;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let Some(j) = after.find(')') else { break };
        out.push(after[..j].trim().to_string());
        rest = &after[j..];
    }
    out
}

/// `docs/../screenshots/a.png` → `screenshots/a.png`.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Logical lines of a shell block: `\` continuations joined (runs of spaces outside quotes
/// collapsed), blank lines and whole-line comments dropped; each with its first line number.
pub fn logical_lines(lines: &[(usize, String)]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (no, line) in lines {
        let (start, mut text) = open.take().unwrap_or((*no, String::new()));
        match line.trim_end().strip_suffix('\\') {
            Some(head) => {
                text.push_str(head);
                text.push(' ');
                open = Some((start, text));
            }
            None => {
                text.push_str(line.trim_end());
                out.push((start, text));
            }
        }
    }
    out.extend(open);
    out.into_iter()
        .map(|(no, text)| (no, collapse_spaces(text.trim())))
        .filter(|(_, t)| !t.is_empty() && !t.starts_with('#'))
        .collect()
}

/// Calls `f(index, char, outside_quotes)` for each character of a shell line.
fn scan_quotes(line: &str, mut f: impl FnMut(usize, char, bool) -> bool) {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        let outside = quote.is_none();
        match quote {
            Some(q) if c == q => quote = None,
            None if c == '\'' || c == '"' => quote = Some(c),
            _ => {}
        }
        if !f(i, c, outside) {
            return;
        }
    }
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::new();
    scan_quotes(s, |_, c, outside| {
        if !(c == ' ' && outside && out.ends_with(' ')) {
            out.push(c);
        }
        true
    });
    out
}

/// The line without a trailing shell comment (`#` starting a word, outside quotes).
pub fn strip_comment(line: &str) -> &str {
    let mut end = line.len();
    let mut prev = ' ';
    scan_quotes(line, |i, c, outside| {
        if c == '#' && outside && prev.is_whitespace() {
            end = i;
            return false;
        }
        prev = c;
        true
    });
    line[..end].trim_end()
}

/// True when a command holds a placeholder (`FILE.json`, `N`, `K=V`) or synopsis
/// notation (`[--json]`, `…`, `a|b`): a pattern, not a command to type.
pub fn has_placeholder(cmd: &str) -> bool {
    let placeholder = |token: &str| {
        let token = token.trim_matches(['"', '\'']);
        let letters: Vec<char> = token
            .split('.')
            .next()
            .unwrap_or("")
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect();
        !token.starts_with('-')
            && !letters.is_empty()
            && letters.iter().all(char::is_ascii_uppercase)
    };
    cmd.contains(['[', ']', '…', '|', '(', ')', '<', '>'])
        || cmd.split_whitespace().any(placeholder)
}

/// Does an expected output line match an actual one? `…` stands for any text.
pub fn line_matches(expected: &str, actual: &str) -> bool {
    let (expected, actual) = (expected.trim_end(), actual.trim_end());
    let parts: Vec<&str> = expected.split('…').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return expected == actual; // No `…`: the whole line.
    };
    if !actual.starts_with(first) || actual.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &actual[first.len()..];
    for part in middle {
        match rest.find(part) {
            Some(k) => rest = &rest[k + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Do the expected lines appear in `actual`, in order? A line of `…` alone skips any
/// number of lines; other lines must follow each other. The first group may start
/// anywhere (progress lines and the other stream may come first).
pub fn output_matches(expected: &[String], actual: &[&str]) -> bool {
    let mut from = 0;
    for chunk in expected
        .split(|l| l.trim() == "…")
        .filter(|c| !c.is_empty())
    {
        let fits = |s: &usize| {
            actual.len() >= s + chunk.len()
                && chunk
                    .iter()
                    .zip(&actual[*s..])
                    .all(|(e, a)| line_matches(e, a))
        };
        match (from..=actual.len()).find(fits) {
            Some(s) => from = s + chunk.len(),
            None => return false,
        }
    }
    true
}
