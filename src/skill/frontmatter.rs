//! The YAML frontmatter of a `SKILL.md`: where it is, what a strict YAML parser makes of
//! it, and what a forgiving line-based loader makes of it. Keeping both lets rules say
//! "this loads in one agent and breaks in another".

use std::ops::Range;

use serde_yaml_ng::Value;

/// Where the frontmatter block stands in the file, if it does.
#[derive(Debug, Clone)]
pub enum FrontmatterState {
    /// The file does not start with a `---` line.
    Missing,
    /// An opening `---` with no closing line; `open` is the opening fence.
    Unclosed {
        open: Range<usize>,
    },
    Present(Frontmatter),
}

#[derive(Debug, Clone)]
pub struct Frontmatter {
    /// The whole block, both fences included.
    pub span: Range<usize>,
    /// The YAML text between the fences.
    pub content: Range<usize>,
    /// What a strict YAML 1.2 parser makes of `content`.
    pub strict: Result<Value, YamlError>,
    /// Top-level `key: value` entries as a forgiving loader reads them, in file order.
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    /// Byte offset in the file where the parser stopped, when it said.
    pub offset: Option<usize>,
}

/// How a top-level value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueStyle {
    /// Nothing after the colon and no indented lines.
    Empty,
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|` block scalar.
    Literal,
    /// `>` block scalar.
    Folded,
    /// `[...]` or `{...}`.
    Flow,
    /// Nothing after the colon, then indented lines (a nested mapping or list).
    Nested,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    /// The raw value text: from after `: ` to the end of its last continuation line
    /// (without the final newline). Empty range right after the colon when empty.
    pub value_span: Range<usize>,
    pub style: ValueStyle,
    /// The value as a forgiving loader reads it: quotes removed, block scalars joined.
    pub value: String,
    /// Byte range of the whole entry: from the key to the end of its last line.
    pub line_span: Range<usize>,
}

impl Frontmatter {
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The strictly parsed top-level mapping, when the YAML parsed to one.
    pub fn mapping(&self) -> Option<&serde_yaml_ng::Mapping> {
        match &self.strict {
            Ok(Value::Mapping(m)) => Some(m),
            _ => None,
        }
    }

    /// A top-level string value: strict when YAML parsed, lenient otherwise.
    pub fn string(&self, key: &str) -> Option<String> {
        match &self.strict {
            Ok(Value::Mapping(m)) => match m.get(key)? {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            },
            _ => self.entry(key).map(|e| e.value.clone()),
        }
    }
}

/// Finds and parses the frontmatter of `text` (a whole `SKILL.md`). Returns the state and
/// the byte offset where the markdown body starts.
pub fn parse(text: &str) -> (FrontmatterState, usize) {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = LineIter::new(text, start);
    let Some(first) = lines.next() else {
        return (FrontmatterState::Missing, start);
    };
    if first.content(text).trim_end() != "---" {
        return (FrontmatterState::Missing, start);
    }
    let content_start = first.end_with_newline;
    for line in lines {
        let l = line.content(text).trim_end();
        if l == "---" || l == "..." {
            let content = content_start..line.start;
            let span = start..line.end_with_newline;
            let yaml = &text[content.clone()];
            let strict = parse_strict(yaml, content.start);
            let entries = read_lenient(text, content.clone());
            return (
                FrontmatterState::Present(Frontmatter {
                    span,
                    content,
                    strict,
                    entries,
                }),
                line.end_with_newline,
            );
        }
    }
    (
        FrontmatterState::Unclosed {
            open: start..first.end,
        },
        start,
    )
}

fn parse_strict(yaml: &str, offset: usize) -> Result<Value, YamlError> {
    if yaml.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_yaml_ng::from_str::<Value>(yaml).map_err(|e| YamlError {
        message: clean_yaml_message(&e.to_string()),
        offset: e.location().map(|l| offset + l.index().min(yaml.len())),
    })
}

/// serde_yaml_ng appends " at line L column C" to its messages; the renderer shows the
/// position itself, so drop it.
fn clean_yaml_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// One line of the file: `start..end` excludes the line break, `end_with_newline` is where
/// the next line starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub end_with_newline: usize,
}

impl Line {
    pub fn content<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

pub(crate) struct LineIter<'t> {
    text: &'t str,
    pos: usize,
    end: usize,
}

impl<'t> LineIter<'t> {
    pub fn new(text: &'t str, start: usize) -> Self {
        LineIter {
            text,
            pos: start,
            end: text.len(),
        }
    }

    pub fn within(text: &'t str, range: Range<usize>) -> Self {
        LineIter {
            text,
            pos: range.start,
            end: range.end,
        }
    }
}

impl Iterator for LineIter<'_> {
    type Item = Line;
    fn next(&mut self) -> Option<Line> {
        if self.pos >= self.end {
            return None;
        }
        let rest = &self.text[self.pos..self.end];
        let (len, nl) = match rest.find('\n') {
            Some(i) => (i, 1),
            None => (rest.len(), 0),
        };
        let mut end = self.pos + len;
        if end > self.pos && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        let line = Line {
            start: self.pos,
            end,
            end_with_newline: self.pos + len + nl,
        };
        self.pos = line.end_with_newline;
        Some(line)
    }
}

/// Reads top-level `key: value` lines the way forgiving loaders do: a key starts at
/// column 0, everything up to the first `:` is the key, the rest of the line is the value,
/// and indented lines that follow continue it.
fn read_lenient(text: &str, content: Range<usize>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut continuation: Vec<Line> = Vec::new();
    let mut current: Option<(String, Range<usize>, Line)> = None;

    let finish = |current: &mut Option<(String, Range<usize>, Line)>,
                  continuation: &mut Vec<Line>,
                  entries: &mut Vec<Entry>| {
        if let Some((key, key_span, line)) = current.take() {
            entries.push(build_entry(text, key, key_span, line, continuation));
        }
        continuation.clear();
    };

    for line in LineIter::within(text, content) {
        let l = line.content(text);
        let starts_indented = l.starts_with(' ') || l.starts_with('\t');
        if l.trim().is_empty() || l.trim_start().starts_with('#') && !starts_indented {
            // Blank lines may sit inside block scalars; keep them as continuation.
            if current.is_some() && l.trim().is_empty() {
                continuation.push(line);
            }
            continue;
        }
        if starts_indented || l.starts_with("- ") || l == "-" {
            if current.is_some() {
                continuation.push(line);
            }
            continue;
        }
        match top_level_key(l) {
            Some(key_len) => {
                finish(&mut current, &mut continuation, &mut entries);
                let raw_key = &l[..key_len];
                let key = raw_key.trim().trim_matches(|c| c == '"' || c == '\'');
                current = Some((
                    key.to_string(),
                    line.start..line.start + raw_key.trim_end().len(),
                    line,
                ));
            }
            None => {
                if current.is_some() {
                    continuation.push(line);
                }
            }
        }
    }
    finish(&mut current, &mut continuation, &mut entries);
    entries
}

/// Length of the key part of a top-level line, if it has one (`key:` then space or end).
fn top_level_key(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\t') {
            return (i > 0).then_some(i);
        }
    }
    None
}

fn build_entry(
    text: &str,
    key: String,
    key_span: Range<usize>,
    line: Line,
    continuation: &mut Vec<Line>,
) -> Entry {
    // Trailing blank lines belong to nobody.
    while continuation
        .last()
        .is_some_and(|l| l.content(text).trim().is_empty())
    {
        continuation.pop();
    }
    let colon = key_span.end + text[key_span.end..line.end].find(':').unwrap_or(0);
    let after = colon + 1;
    let first_value_start =
        after + (text[after..line.end].len() - text[after..line.end].trim_start().len());
    let first = text[first_value_start..line.end].trim_end();
    let value_end = continuation
        .last()
        .map_or(first_value_start + first.len(), |l| l.end);
    let value_span = first_value_start..value_end.max(first_value_start);
    let line_span = line.start..continuation.last().map_or(line.end, |l| l.end);
    let first_no_comment = strip_comment(first);

    let (style, value) = if first_no_comment.starts_with('|') || first_no_comment.starts_with('>') {
        let style = if first_no_comment.starts_with('|') {
            ValueStyle::Literal
        } else {
            ValueStyle::Folded
        };
        let body: Vec<&str> = continuation
            .iter()
            .map(|l| l.content(text).trim())
            .collect();
        let value = if style == ValueStyle::Literal {
            body.join("\n").trim().to_string()
        } else {
            fold_lines(&body)
        };
        (style, value)
    } else if first.is_empty() {
        if continuation.is_empty() {
            (ValueStyle::Empty, String::new())
        } else {
            let nested = continuation
                .iter()
                .map(|l| l.content(text).trim())
                .collect::<Vec<_>>()
                .join("\n");
            (ValueStyle::Nested, nested)
        }
    } else {
        let mut parts = vec![first];
        parts.extend(continuation.iter().map(|l| l.content(text).trim()));
        let joined = fold_lines(&parts);
        let (style, value) = unquote(&joined);
        (style, value)
    };
    Entry {
        key,
        key_span,
        value_span,
        style,
        value,
        line_span,
    }
}

/// Joins lines as YAML folding does: single breaks become spaces, blank lines newlines.
fn fold_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut pending_break = false;
    for l in lines {
        if l.is_empty() {
            pending_break = true;
            continue;
        }
        if !out.is_empty() {
            out.push(if pending_break { '\n' } else { ' ' });
        }
        pending_break = false;
        out.push_str(l);
    }
    out
}

fn strip_comment(s: &str) -> &str {
    match s.find(" #") {
        Some(i) => s[..i].trim_end(),
        None => s,
    }
}

fn unquote(raw: &str) -> (ValueStyle, String) {
    let t = raw.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        let inner = &t[1..t.len() - 1];
        return (
            ValueStyle::DoubleQuoted,
            inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        );
    }
    if t.len() >= 2 && t.starts_with('\'') && t.ends_with('\'') {
        return (
            ValueStyle::SingleQuoted,
            t[1..t.len() - 1].replace("''", "'"),
        );
    }
    if t.starts_with('[') || t.starts_with('{') {
        return (ValueStyle::Flow, t.to_string());
    }
    (ValueStyle::Plain, strip_comment(t).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn present(text: &str) -> Frontmatter {
        match parse(text).0 {
            FrontmatterState::Present(f) => f,
            other => panic!("expected frontmatter, got {other:?}"),
        }
    }

    #[test]
    fn reads_keys_and_spans() {
        let text = "---\nname: my-skill\ndescription: Does things. Use when asked\n---\n# Body\n";
        let fm = present(text);
        assert_eq!(fm.entries.len(), 2);
        let d = fm.entry("description").unwrap();
        assert_eq!(&text[d.key_span.clone()], "description");
        assert_eq!(&text[d.value_span.clone()], "Does things. Use when asked");
        assert!(fm.strict.is_ok());
        assert_eq!(parse(text).1, text.find("# Body").unwrap());
    }

    #[test]
    fn lenient_survives_what_strict_rejects() {
        let text = "---\nname: x\ndescription: Use this: when things happen\n---\n";
        let fm = present(text);
        assert!(fm.strict.is_err());
        assert_eq!(
            fm.entry("description").unwrap().value,
            "Use this: when things happen"
        );
        assert_eq!(
            fm.string("description").unwrap(),
            "Use this: when things happen"
        );
    }

    #[test]
    fn block_scalars_and_crlf_and_bom() {
        let text = "\u{feff}---\r\nname: x\r\ndescription: >\r\n  one\r\n  two\r\n\r\nmetadata:\r\n  a: b\r\n---\r\nbody";
        let fm = present(text);
        let d = fm.entry("description").unwrap();
        assert_eq!(d.style, ValueStyle::Folded);
        assert_eq!(d.value, "one two");
        assert_eq!(fm.entry("metadata").unwrap().style, ValueStyle::Nested);
        assert_eq!(fm.string("description").unwrap(), "one two\n");
    }

    #[test]
    fn missing_and_unclosed() {
        assert!(matches!(parse("# hi\n").0, FrontmatterState::Missing));
        assert!(matches!(parse("").0, FrontmatterState::Missing));
        assert!(matches!(
            parse("---\nname: x\n").0,
            FrontmatterState::Unclosed { .. }
        ));
    }
}
