//! A description written as a `|` or `>` block scalar. Some loaders read frontmatter line
//! by line and list the skill with a description of just `|` or `>`, or with its line
//! breaks; one double-quoted line reads the same everywhere.

use serde_yaml_ng::Value;

use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::quoting::{double_quoted, reads_back_as, strict_value};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::{Entry, Frontmatter, ValueStyle};

pub const META: RuleMeta = RuleMeta {
    code: "D003",
    name: "description-block-scalar",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    summary: "`description` is a `|` or `>` block scalar, which some loaders show literally",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    let Some(entry) = fm.entry("description") else {
        return;
    };
    let indicator = match entry.style {
        ValueStyle::Literal => '|',
        ValueStyle::Folded => '>',
        _ => return,
    };
    let text = &ctx.skill.text;
    let raw = &text[entry.value_span.clone()];
    let first_len = raw.find(['\r', '\n']).unwrap_or(raw.len());
    let range = entry.value_span.start..entry.value_span.start + first_len;
    let mut d = Diagnostic::new(
        &META,
        ctx.skill.manifest.clone(),
        range,
        format!("`description` is a `{indicator}` block scalar; some loaders show it as `{indicator}` or keep its line breaks"),
    )
    .help("write the description on one line, in double quotes");
    if let Some(fix) = one_line_fix(text, fm, entry) {
        d = d.fix(fix);
    }
    out.push(d);
}

/// Folds the block into one double-quoted line, when the block parses strictly (alone, and
/// as the whole frontmatter reads it unless that is rejected) and the quoted line reads
/// back as its text with whitespace collapsed.
fn one_line_fix(text: &str, fm: &Frontmatter, entry: &Entry) -> Option<Fix> {
    let Value::String(value) = strict_value(&text[entry.line_span.clone()], &entry.key)? else {
        return None;
    };
    let fold = |v: &str| v.split_whitespace().collect::<Vec<_>>().join(" ");
    let folded = fold(&value);
    // The entry read alone can differ from the whole frontmatter's reading (a quote opened
    // on the line above swallows this one): then there is no such block to fold.
    if let Ok(whole) = &fm.strict {
        if whole.get("description").and_then(Value::as_str).map(fold) != Some(folded.clone()) {
            return None;
        }
    }
    if folded.is_empty() {
        return None;
    }
    let replacement = double_quoted(&folded);
    if !reads_back_as(&entry.key, &replacement, &folded) {
        return None;
    }
    Some(Fix::safe(
        "write the description as one double-quoted line",
        vec![Edit {
            range: entry.value_span.clone(),
            replacement,
        }],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skill::{frontmatter, FrontmatterState};

    fn fix_of(text: &str) -> Option<String> {
        let FrontmatterState::Present(fm) = frontmatter::parse(text).0 else {
            panic!("no frontmatter");
        };
        let fix = one_line_fix(text, &fm, fm.entry("description")?)?;
        let mut out = text.to_string();
        out.replace_range(fix.edits[0].range.clone(), &fix.edits[0].replacement);
        Some(out)
    }

    #[test]
    fn folds_into_one_line_that_parses_strictly() {
        let text = "---\nname: demo\ndescription: |\n  Does \"things\".\n\n  Use when: asked \\o/\n---\nbody\n";
        let after = fix_of(text).unwrap();
        let FrontmatterState::Present(fm) = frontmatter::parse(&after).0 else {
            panic!()
        };
        assert!(fm.strict.is_ok(), "{after}");
        assert_eq!(
            fm.string("description").unwrap(),
            "Does \"things\". Use when: asked \\o/"
        );
        assert!(after.ends_with("---\nbody\n"));
    }

    #[test]
    fn no_fix_when_the_block_is_broken() {
        assert!(fix_of("---\ndescription: > text on the indicator line\n  more\n---\n").is_none());
    }

    #[test]
    fn no_fix_when_the_whole_frontmatter_reads_the_block_otherwise() {
        // Strict YAML reads `name: ' description: | '`: there is no description to fold.
        assert!(fix_of("---\nname: '\ndescription: |\n  '  #\n---\n").is_none());
        assert!(fix_of("---\nname: a\ndescription: |\n  Does a.\n---\n").is_some());
    }
}
