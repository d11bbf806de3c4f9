//! A table of contents in a `SKILL.md` body. The agent receives the whole body at once;
//! a list of its own sections adds tokens and no instruction. (Long reference files, read
//! in parts, are where a table of contents helps.)

use crate::classify::Repeat;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "B004",
    name: "body-toc",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "the SKILL.md body has a table of contents listing its own sections",
    options: &[],
};

/// The fewest consecutive entries that make a table of contents.
const MIN_ENTRIES: usize = 2;

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // One finding per run of consecutive entries.
    let mut run: Option<(std::ops::Range<usize>, usize, usize)> = None; // range, last block, entries
    let flush = |run: &mut Option<(std::ops::Range<usize>, usize, usize)>,
                 out: &mut Vec<Diagnostic>| {
        if let Some((range, _, n)) = run.take() {
            // One or two links to sections are a pointer, not a table of contents.
            if n < MIN_ENTRIES {
                return;
            }
            out.push(
                Diagnostic::new(
                    &META,
                    ctx.skill.manifest.clone(),
                    range,
                    format!("table of contents of {n} entries listing the body's own sections"),
                )
                .help("delete it: the agent reads the whole body at once"),
            );
        }
    };
    let slugs: Vec<String> = ctx
        .skill
        .body
        .blocks
        .iter()
        .filter_map(|b| b.title.as_deref())
        .map(slug)
        .collect();
    // Entries are exact repeats of the headings; any other block between two of them
    // ends a run (their block indices are not consecutive).
    for c in ctx.exact_repeats() {
        // An entry must point at a section this body has: README extracts keep the
        // upstream document's contents links, whose sections were left behind.
        if c.repeat != Repeat::Contents
            || !points_at_own_section(&ctx.skill.text[c.range.clone()], &slugs)
        {
            flush(&mut run, out);
            continue;
        }
        match &mut run {
            Some((range, last, n)) if c.block == *last + 1 => {
                range.end = c.range.end;
                *last = c.block;
                *n += 1;
            }
            _ => {
                flush(&mut run, out);
                run = Some((c.range.clone(), c.block, 1));
            }
        }
    }
    flush(&mut run, out);
}

/// GitHub's anchor for a heading: lower case, spaces to hyphens, punctuation dropped.
fn slug(title: &str) -> String {
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Whether the entry's text links to `#anchor` of one of the body's headings (entries
/// without anchor links count, since the classifier matched them to headings by text).
fn points_at_own_section(entry: &str, slugs: &[String]) -> bool {
    let anchors: Vec<&str> = entry
        .match_indices("](#")
        .filter_map(|(i, _)| {
            let rest = &entry[i + 3..];
            rest.find(')').map(|end| &rest[..end])
        })
        .collect();
    anchors.is_empty() || anchors.iter().any(|a| slugs.iter().any(|s| s == a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_must_point_at_sections_of_the_body() {
        let slugs = vec![slug("Getting Started"), slug("2. Build & Test")];
        assert_eq!(slugs, ["getting-started", "2-build--test"]);
        assert!(points_at_own_section("- [Start](#getting-started)", &slugs));
        assert!(!points_at_own_section(
            "- [CLI](#option-2-from-the-cli)",
            &slugs
        ));
        assert!(points_at_own_section("- Getting Started", &slugs));
    }
}
