//! Turns diagnostics into output. Line and column are computed here and nowhere else; each
//! format has its own module.

pub mod classify;
pub mod concise;
pub mod full;
pub mod github;
pub mod json;
pub mod reduce;
pub mod sarif;
pub mod style;
pub mod tokens;

use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::lint::Checked;
pub use crate::position::{floor_char_boundary, LineIndex, Position};

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
        let len = index.text().len();
        let range = diag.range.start.min(len)..diag.range.end.min(len);
        Finding {
            code: diag.code,
            name: diag.name,
            severity: diag.severity,
            path: display_path(dir, &diag.file),
            start: index.position(range.start),
            end: index.position(range.end),
            snippet: snippet.then(|| {
                let (text, offset) = index.lines_around(&range, 8);
                Snippet {
                    text: text.to_string(),
                    offset,
                }
            }),
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

/// Places one skill's diagnostics in the sources they point into, in output order: by
/// path, then position, then code. Only the full format wants `snippets`.
pub fn place(checked: &Checked, snippets: bool) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::with_capacity(checked.diagnostics.len());
    // One line index per file, however many findings point into it.
    let mut indexes: Vec<(&str, LineIndex)> = Vec::new();
    for d in &checked.diagnostics {
        let i = match indexes.iter().position(|(f, _)| *f == d.file) {
            Some(i) => i,
            None => {
                indexes.push((&d.file, LineIndex::new(checked.sources.text(&d.file))));
                indexes.len() - 1
            }
        };
        findings.push(Finding::locate(
            d.clone(),
            &checked.dir,
            &indexes[i].1,
            snippets,
        ));
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
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
    /// Every skill's findings, placed, in the order given.
    pub fn of(checked: &[Checked], skills: usize, snippets: bool) -> Report {
        Report {
            findings: checked.iter().flat_map(|c| place(c, snippets)).collect(),
            skills,
            ..Report::default()
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn summary(&self) -> Summary {
        Summary {
            skills: self.skills,
            errors: self.count(Severity::Error),
            warnings: self.count(Severity::Warning),
            infos: self.count(Severity::Info),
            fixed_files: self.fixed_files,
            fixes_applied: self.fixes_applied,
        }
    }
}

/// The counts the summary line and the exit status need.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub skills: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixed_files: usize,
    pub fixes_applied: usize,
}

impl Summary {
    /// Whether a finding at or above `severity` was written.
    pub fn any_at_least(&self, severity: Severity) -> bool {
        match severity {
            Severity::Error => self.errors > 0,
            Severity::Warning => self.errors + self.warnings > 0,
            Severity::Info => self.errors + self.warnings + self.infos > 0,
        }
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

/// Writes findings as skills come in. The line formats (full, concise, github) and
/// JSON write each skill's findings at once and keep nothing; SARIF, a document written
/// whole, holds the placed findings (without snippets) until `finish`, as does `hold`
/// (`--diff` prints its diffs first).
pub struct Output<'w> {
    format: Format,
    color: bool,
    out: &'w mut dyn Write,
    held: Option<Vec<Finding>>,
    summary: Summary,
    full: Option<full::Renderer>,
    /// JSON written as it comes (when nothing is held).
    json: Option<json::Stream>,
}

impl<'w> Output<'w> {
    pub fn new(format: Format, color: bool, hold: bool, out: &'w mut dyn Write) -> Output<'w> {
        // SARIF is written whole; JSON streams unless the output is held anyway.
        let whole = format == Format::Sarif;
        Output {
            format,
            color,
            out,
            held: (whole || hold).then(Vec::new),
            summary: Summary::default(),
            full: (format == Format::Full).then(|| full::Renderer::new(color)),
            json: None,
        }
    }

    /// Writes (or holds) one skill's findings.
    pub fn skill(&mut self, checked: &Checked) -> io::Result<()> {
        for f in place(checked, self.format == Format::Full) {
            match f.severity {
                Severity::Error => self.summary.errors += 1,
                Severity::Warning => self.summary.warnings += 1,
                Severity::Info => self.summary.infos += 1,
            }
            match &mut self.held {
                Some(held) => held.push(f),
                None => self.write_one(&f)?,
            }
        }
        Ok(())
    }

    /// Writes text that is not a finding (a fix's diff) to the same output.
    pub fn raw(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())
    }

    fn write_one(&mut self, f: &Finding) -> io::Result<()> {
        if self.format == Format::Json {
            if self.json.is_none() {
                self.json = Some(json::Stream::start(self.out)?);
            }
            if let Some(stream) = &mut self.json {
                return stream.finding(f, self.out);
            }
        }
        match (&self.full, self.format) {
            (Some(full), _) => full.write_finding(f, self.out),
            (None, Format::Github) => github::write_finding(f, self.out),
            _ => concise::write_finding(f, self.out),
        }
    }

    /// Writes what is held and the summary; returns the counts.
    pub fn finish(
        mut self,
        skills: usize,
        fixed_files: usize,
        fixes_applied: usize,
    ) -> io::Result<Summary> {
        self.summary.skills = skills;
        self.summary.fixed_files = fixed_files;
        self.summary.fixes_applied = fixes_applied;
        if let Some(findings) = self.held.take() {
            let report = Report {
                findings,
                skills,
                fixed_files,
                fixes_applied,
            };
            write(self.format, &report, self.color, self.out)?;
        } else if self.format == Format::Json {
            let stream = match self.json.take() {
                Some(stream) => stream,
                None => json::Stream::start(self.out)?,
            };
            stream.finish(&self.summary, self.out)?;
        } else if matches!(self.format, Format::Full | Format::Concise) {
            writeln!(self.out, "{}", concise::summary_line(&self.summary))?;
        }
        Ok(self.summary)
    }
}
