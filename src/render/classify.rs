//! `skillpress classify` output: the body at a glance with each block marked (text), or
//! every block with its place, label, reason and tokens (JSON), and each label's share.

use std::io::{self, Write};

use serde::Serialize;

use super::{display_path, LineIndex};
use crate::classify::{self, Classified, Label};
use crate::skill::{Block, BlockKind, Markdown};

/// One classified markdown file, placed for output.
#[derive(Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    pub blocks: Vec<BlockReport>,
    /// Headings, for the text view: (line, level, title).
    #[serde(skip)]
    pub headings: Vec<(usize, u8, String)>,
    pub summary: Summary,
}

#[derive(Debug, Serialize)]
pub struct BlockReport {
    pub start_line: usize,
    pub end_line: usize,
    pub kind: &'static str,
    pub label: Label,
    pub reason: String,
    pub tokens: usize,
    /// Text of the headings above the block, outermost first.
    pub heading_path: Vec<String>,
    /// The block's first line, for the text view.
    #[serde(skip)]
    pub first_line: String,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub tokens: usize,
    pub labels: Vec<LabelShare>,
}

#[derive(Debug, Serialize)]
pub struct LabelShare {
    pub label: Label,
    pub blocks: usize,
    pub tokens: usize,
    /// Share of the classified tokens, 0 to 1.
    pub share: f64,
}

impl FileReport {
    /// Places the classification of `md` (scanned from `text`) for output.
    pub fn new(
        dir: &std::path::Path,
        file: &str,
        text: &str,
        md: &Markdown,
        classified: &[Classified],
    ) -> FileReport {
        let index = LineIndex::new(text);
        let line_of = |offset: usize| index.position(offset).line;
        let end_line = |b: &Block| line_of(b.range.end.saturating_sub(1).max(b.range.start));
        let blocks: Vec<BlockReport> = classified
            .iter()
            .map(|c| {
                let b = &md.blocks[c.block];
                let body = &text[c.range.clone()];
                BlockReport {
                    start_line: line_of(c.range.start),
                    end_line: end_line(b),
                    kind: b.kind.as_str(),
                    label: c.label,
                    reason: c.reason.to_string(),
                    tokens: classify::block_tokens(body),
                    heading_path: b.heading_path.clone(),
                    first_line: body.lines().next().unwrap_or("").trim().to_string(),
                }
            })
            .collect();
        let headings = md
            .blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::Heading { level } => Some((
                    line_of(b.range.start),
                    level,
                    b.title.clone().unwrap_or_default(),
                )),
                _ => None,
            })
            .collect();
        let summary = summarize(&blocks);
        FileReport {
            path: display_path(dir, file),
            blocks,
            headings,
            summary,
        }
    }
}

fn summarize<'b>(blocks: impl IntoIterator<Item = &'b BlockReport> + Clone) -> Summary {
    let tokens: usize = blocks.clone().into_iter().map(|b| b.tokens).sum();
    let labels = Label::ALL
        .iter()
        .map(|&label| {
            let of = blocks.clone().into_iter().filter(|b| b.label == label);
            let (count, t) = of.fold((0, 0), |(n, t), b| (n + 1, t + b.tokens));
            LabelShare {
                label,
                blocks: count,
                tokens: t,
                share: if tokens == 0 {
                    0.0
                } else {
                    t as f64 / tokens as f64
                },
            }
        })
        .collect();
    Summary { tokens, labels }
}

/// Short tag shown before each block in the text view.
fn tag(label: Label) -> &'static str {
    match label {
        Label::CoreRule => "CORE",
        Label::Background => "back",
        Label::Example => "exam",
        Label::Template => "tmpl",
        Label::Redundant => "REDU",
    }
}

/// The text view: headings as they stand, then under each one its blocks, one line each:
/// line range, label, tokens, the start of the block and the reason.
pub fn write_text(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    write_text_styled(files, super::style::Style::PLAIN, out)
}

/// `write_text` in colour: file names bold, core rules green, what would move dim.
pub fn write_text_styled(
    files: &[FileReport],
    style: super::style::Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let painted = |label: Label| match label {
        Label::CoreRule => style.good(tag(label)),
        Label::Redundant => style.warn(tag(label)),
        _ => style.note(tag(label)),
    };
    for (n, f) in files.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", style.heading(&f.path))?;
        let mut headings = f.headings.iter().peekable();
        for b in &f.blocks {
            while let Some(h) = headings.next_if(|h| h.0 < b.start_line) {
                write_heading(h, out)?;
            }
            let lines = if b.start_line == b.end_line {
                format!("{}", b.start_line)
            } else {
                format!("{}-{}", b.start_line, b.end_line)
            };
            writeln!(
                out,
                "{:>9}  {} {:>5}t  {}  ({})",
                lines,
                painted(b.label),
                b.tokens,
                excerpt(&b.first_line, 60),
                b.reason
            )?;
        }
        for h in headings {
            write_heading(h, out)?;
        }
        write_summary(&f.summary, out)?;
    }
    if files.len() > 1 {
        writeln!(out)?;
        writeln!(out, "all {} files:", files.len())?;
        write_summary(&summarize(files.iter().flat_map(|f| &f.blocks)), out)?;
    }
    Ok(())
}

/// A heading line of the text view: its line number and the heading as written.
fn write_heading(
    (line, level, title): &(usize, u8, String),
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "{:>5}  {} {}",
        line,
        "#".repeat(*level as usize),
        title
    )
}

fn write_summary(s: &Summary, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "  {} tokens in {} blocks:",
        s.tokens,
        s.labels.iter().map(|l| l.blocks).sum::<usize>()
    )?;
    for l in &s.labels {
        writeln!(
            out,
            "    {:<11} {:>5.1}%  {:>6} tokens  {:>4} blocks",
            l.label.as_str(),
            100.0 * l.share,
            l.tokens,
            l.blocks
        )?;
    }
    Ok(())
}

fn excerpt(line: &str, max: usize) -> String {
    let count = line.chars().count();
    if count <= max {
        format!("{line:<max$}")
    } else {
        let cut: String = line.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

pub fn write_json(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &serde_json::json!({ "files": files }))?;
    writeln!(out)
}
