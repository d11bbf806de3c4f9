//! A long reference document without a table of contents near its top. Agents often
//! preview the first lines of a long file before deciding what to read; a contents list
//! tells them what the rest holds.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta, RuleOption};
use crate::skill::files::is_repository_file;
use crate::skill::markdown::{self, BlockKind, Markdown};
use crate::skill::FileKind;

pub const META: RuleMeta = RuleMeta {
    code: "R005",
    name: "reference-no-toc",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "a long reference document has no table of contents near its top",
    options: &[MIN_LINES],
};

/// The `min-lines` option.
pub const MIN_LINES: RuleOption = RuleOption {
    name: "min-lines",
    default: 100.0,
    help: "reference documents with more lines than this need a table of contents",
};

/// How far into the file (in non-blank lines) a table of contents may start.
const TOP_LINES: usize = 30;

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let min_lines = ctx.option(&META, &MIN_LINES);
    for file in &ctx.skill.files {
        let Some(text) = file.text.as_deref() else {
            continue;
        };
        if file.kind != FileKind::Reference || !file.is_markdown() || is_repository_file(&file.rel)
        {
            continue;
        }
        let lines = file.line_count();
        if (lines as f64) <= min_lines || has_toc(text) {
            continue;
        }
        let first = text.find('\n').unwrap_or(text.len());
        out.push(
            Diagnostic::new(
                &META,
                file.rel.clone(),
                0..first,
                format!("`{}` has {lines} lines and no table of contents near its top", file.rel),
            )
            .help("add a `## Contents` list linking its sections after the title, so an agent that previews the file knows what the rest holds"),
        );
    }
}

/// Whether a contents list starts within the first [`TOP_LINES`] non-blank lines.
fn has_toc(text: &str) -> bool {
    let md = markdown::scan(text, 0);
    let top_end = top_end(text);
    let headings: Vec<String> = md
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
        .filter_map(|b| b.title.as_deref().map(normalise))
        .collect();
    let mut in_top = md.blocks.iter().filter(|b| b.range.start < top_end);
    if in_top.any(|b| {
        matches!(b.kind, BlockKind::Heading { .. })
            && b.title.as_deref().is_some_and(is_contents_title)
    }) {
        return true;
    }
    anchor_links(&md, top_end) >= 3 || heading_list(text, &md, top_end, &headings) >= 3
}

/// Byte offset just past the first [`TOP_LINES`] non-blank lines.
fn top_end(text: &str) -> usize {
    let mut seen = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        pos += line.len();
        if !line.trim().is_empty() {
            seen += 1;
            if seen >= TOP_LINES {
                break;
            }
        }
    }
    pos
}

fn is_contents_title(title: &str) -> bool {
    let t = normalise(title);
    matches!(
        t.as_str(),
        "contents" | "table of contents" | "toc" | "index" | "sections" | "overview of sections"
    ) || t.ends_with(" contents")
}

/// Lower case, letters and digits only, so `## 2. Setup` and `- [Setup](#setup)` agree.
fn normalise(s: &str) -> String {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect();
    words.join(" ")
}

fn anchor_links(md: &Markdown, top_end: usize) -> usize {
    md.links
        .iter()
        .filter(|l| l.range.start < top_end && l.target.starts_with('#'))
        .count()
}

/// List items in the top whose text is one of the file's headings.
fn heading_list(text: &str, md: &Markdown, top_end: usize, headings: &[String]) -> usize {
    md.blocks
        .iter()
        .filter(|b| b.range.start < top_end && matches!(b.kind, BlockKind::ListItem { .. }))
        .flat_map(|b| text.get(b.range.clone()).unwrap_or("").lines())
        .filter(|line| {
            let item = normalise(line);
            !item.is_empty() && headings.contains(&item)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(top: &str) -> String {
        let mut s = format!("# Guide\n\n{top}\n");
        for i in 0..40 {
            s.push_str(&format!("## Part {i}\n\nText.\n\n"));
        }
        s
    }

    #[test]
    fn recognises_contents_lists() {
        assert!(has_toc(&long("## Contents\n\n- Part one")));
        assert!(has_toc(&long("- [A](#a)\n- [B](#b)\n- [C](#c)")));
        assert!(has_toc(&long("- Part 1\n- Part 2\n  - Part 3")));
        assert!(!has_toc(&long("Intro text.")));
        assert!(!has_toc(&long("- apples\n- pears\n- plums")));
    }
}
