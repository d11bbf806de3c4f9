//! Turns diagnostics into output. Line and column are computed here and nowhere else; each
//! format has its own module.

pub mod classify;
pub mod concise;
pub mod full;
pub mod github;
pub mod json;
pub mod reduce;
pub mod sarif;
pub mod tokens;

use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Fix, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphical report with the source line and a label under the span.
    Full,
    /// One line per finding: `path:line:col: severity code name: message`.
    Concise,
    /// The stable JSON schema (docs/json-schema.md).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

/// 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The lines around a finding, kept so the full renderer needs no file access.
#[derive(Debug, Clone, PartialEq)]
pub struct Snippet {
    pub text: String,
    /// Byte offset of `text` in the file.
    pub offset: usize,
}

/// A diagnostic placed in its file, ready for any format.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// The file's path as the user sees it (skill folder joined with the file).
    pub path: String,
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    pub snippet: Option<Snippet>,
}

/// Line starts of one text, for offset → position.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        Position {
            line: line + 1,
            column: self.text[start..offset].chars().count() + 1,
        }
    }

    /// The whole lines covering `range`, at most `max_lines` of them.
    pub fn lines_around(&self, range: &Range<usize>, max_lines: usize) -> Snippet {
        let first = self.position(range.start).line - 1;
        let last = (self.position(range.end).line - 1).min(first + max_lines.saturating_sub(1));
        let start = self.starts[first];
        let end = self
            .starts
            .get(last + 1)
            .copied()
            .unwrap_or(self.text.len());
        Snippet {
            text: self.text[start..end]
                .trim_end_matches(['\n', '\r'])
                .to_string(),
            offset: start,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `s` with line breaks, tabs and other control characters written as escapes (`\n`,
/// `\u{1b}`), so a file name holding them cannot break or forge a line of text output.
pub fn escape_control(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Joins a skill folder and a file in it the way paths are shown.
pub fn display_path(dir: &Path, file: &str) -> String {
    let d = dir.to_string_lossy();
    if d.is_empty() || d == "." {
        file.to_string()
    } else if file.is_empty() {
        d.trim_end_matches('/').to_string()
    } else {
        format!("{}/{}", d.trim_end_matches('/'), file)
    }
}

impl Finding {
    /// Places `diag` in `text`, the content of the file it is about.
    pub fn locate(diag: Diagnostic, dir: &Path, index: &LineIndex, snippet: bool) -> Finding {
        let range = diag.range.start.min(index.text.len())..diag.range.end.min(index.text.len());
        Finding {
            code: diag.code,
            name: diag.name,
            severity: diag.severity,
            path: display_path(dir, &diag.file),
            start: index.position(range.start),
            end: index.position(range.end),
            snippet: snippet.then(|| index.lines_around(&range, 8)),
            range,
            message: diag.message,
            help: diag.help,
            fix: diag.fix,
        }
    }

    /// Sort key: by path, then position, then code.
    pub fn sort_key(&self) -> (&str, Position, &str) {
        (&self.path, self.start, self.code)
    }
}

/// What one run found, in output order.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub skills: usize,
    /// Files `--fix` changed.
    pub fixed_files: usize,
    /// Fixes applied.
    pub fixes_applied: usize,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Writes `report` in `format`. `color` only affects the full format, the one meant for a
/// terminal; the caller decides it (a terminal, and `NO_COLOR` unset).
pub fn write(format: Format, report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Full => full::write(report, color, out),
        Format::Concise => concise::write(report, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "ab\né x\n\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(3), Position { line: 2, column: 1 });
        assert_eq!(idx.position(6), Position { line: 2, column: 3 });
        assert_eq!(idx.position(text.len()), Position { line: 4, column: 5 });
        assert_eq!(idx.lines_around(&(3..6), 8).text, "é x");
    }
}
