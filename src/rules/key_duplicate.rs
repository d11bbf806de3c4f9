//! A top-level frontmatter key written more than once. Strict YAML rejects the block;
//! forgiving loaders keep one of the values, and they disagree on which (PyYAML keeps the
//! last, line-based loaders the first), so the skill means different things to each.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "K005",
    name: "key-duplicate",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "a frontmatter key is set more than once",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    let text = &ctx.skill.text;
    for (i, entry) in fm.entries.iter().enumerate() {
        // One finding per repeat, at the repeat, naming the first occurrence's line: the
        // diagnostic has one span, so the other line can only be told in words.
        let Some(first) = fm.entries[..i].iter().find(|e| e.key == entry.key) else {
            continue;
        };
        let first_line = line_number(text, first.key_span.start);
        let this_line = line_number(text, entry.key_span.start);
        out.push(
            Diagnostic::new(
                &META,
                ctx.skill.manifest.clone(),
                entry.key_span.clone(),
                format!(
                    "`{}` is set twice, on line {first_line} and on line {this_line}",
                    entry.key
                ),
            )
            .help(format!(
                "keep one `{}:` line, merging the two values; loaders disagree on which one wins",
                entry.key
            )),
        );
    }
}

/// 1-based line of byte `offset` in `text`.
fn line_number(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::line_number;

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_number("a\nb\nc", 0), 1);
        assert_eq!(line_number("a\nb\nc", 2), 2);
        assert_eq!(line_number("a\nb\nc", 4), 3);
    }
}
