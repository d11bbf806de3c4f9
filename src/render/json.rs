//! The stable JSON output, schema version 1, documented in `docs/json-schema.md`. Fields
//! are only ever added within a version; renaming or removing one bumps `version`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Finding, Position, Report};
use crate::diagnostic::{Fix, Severity};

/// Bumped when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'r> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'r>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'r> {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    path: &'r str,
    start: Position,
    end: Position,
    range: ByteRange,
    message: &'r str,
    help: Option<&'r str>,
    fix: Option<JsonFix<'r>>,
}

#[derive(Serialize)]
struct ByteRange {
    start: usize,
    end: usize,
}

impl From<&std::ops::Range<usize>> for ByteRange {
    fn from(r: &std::ops::Range<usize>) -> Self {
        ByteRange {
            start: r.start,
            end: r.end,
        }
    }
}

#[derive(Serialize)]
struct JsonFix<'r> {
    message: &'r str,
    safety: crate::diagnostic::Safety,
    edits: Vec<JsonEdit<'r>>,
}

#[derive(Serialize)]
struct JsonEdit<'r> {
    range: ByteRange,
    replacement: &'r str,
}

#[derive(Serialize)]
struct Summary {
    skills: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    fixes_applied: usize,
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        code: f.code,
        name: f.name,
        severity: f.severity,
        path: &f.path,
        start: f.start,
        end: f.end,
        range: (&f.range).into(),
        message: &f.message,
        help: f.help.as_deref(),
        fix: f.fix.as_ref().map(fix),
    }
}

fn fix(f: &Fix) -> JsonFix<'_> {
    JsonFix {
        message: &f.message,
        safety: f.safety,
        edits: f
            .edits
            .iter()
            .map(|e| JsonEdit {
                range: (&e.range).into(),
                replacement: &e.replacement,
            })
            .collect(),
    }
}

/// Writes the same document as [`write`] one finding at a time, so a registry's
/// findings are never all held in memory: the header before the first finding, each
/// finding as its skill is done, the summary at the end.
pub struct Stream {
    findings: usize,
}

impl Stream {
    pub fn start(out: &mut dyn Write) -> io::Result<Stream> {
        let tool = serde_json::to_string_pretty(&Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        })
        .map_err(io::Error::from)?;
        write!(
            out,
            "{{\n  \"version\": {SCHEMA_VERSION},\n  \"tool\": {},\n  \"findings\": [",
            indent(&tool, "  ")
        )?;
        Ok(Stream { findings: 0 })
    }

    pub fn finding(&mut self, f: &Finding, out: &mut dyn Write) -> io::Result<()> {
        let text = serde_json::to_vec_pretty(&finding(f)).map_err(io::Error::from)?;
        // One buffer and one write per finding, each line one level in.
        let mut buf = Vec::with_capacity(text.len() + text.len() / 4 + 8);
        if self.findings > 0 {
            buf.push(b',');
        }
        for line in text.split(|&b| b == b'\n') {
            buf.extend_from_slice(b"\n    ");
            buf.extend_from_slice(line);
        }
        out.write_all(&buf)?;
        self.findings += 1;
        Ok(())
    }

    pub fn finish(self, summary: &super::Summary, out: &mut dyn Write) -> io::Result<()> {
        let summary = serde_json::to_string_pretty(&Summary {
            skills: summary.skills,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
            fixes_applied: summary.fixes_applied,
        })
        .map_err(io::Error::from)?;
        if self.findings > 0 {
            write!(out, "\n  ")?;
        }
        writeln!(out, "],\n  \"summary\": {}\n}}", indent(&summary, "  "))
    }
}

/// A pretty-printed value's lines after the first, indented by `by` (JSON strings hold
/// no raw line breaks, so every line break is the printer's).
fn indent(text: &str, by: &str) -> String {
    text.replace('\n', &format!("\n{by}"))
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let output = Output {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: report.findings.iter().map(finding).collect(),
        summary: Summary {
            skills: report.skills,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            fixes_applied: report.fixes_applied,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &output).map_err(io::Error::from)?;
    writeln!(out)
}
