//! A skill with no description is never selected: the description is the only text a
//! router reads before deciding to load the skill, yet its listing is still paid for.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::{Frontmatter, ValueStyle};

pub const META: RuleMeta = RuleMeta {
    code: "D001",
    name: "description-missing",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "the frontmatter has no `description`, or it is empty",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    // Frontmatter that is not a mapping is F004's finding; it has no keys at all.
    if matches!(&fm.strict, Ok(v) if !v.is_mapping()) {
        return;
    }
    if text_on_indicator_line(ctx, fm) {
        return;
    }
    let Some((range, message)) =
        crate::rules::quoting::missing_string(ctx.skill, fm, "description")
    else {
        return;
    };
    out.push(
        Diagnostic::new(&META, ctx.skill.manifest.clone(), range, message).help(
            "add `description:` saying what the skill does and when to use it, e.g. \"Extracts tables from PDFs. Use when the user works with PDF files.\"",
        ),
    );
}

/// `description: >- Use when ...`: a strict parser rejects the text on the indicator's
/// line (F003 reports that, with what to do) and a forgiving loader reads it, so the
/// description is not missing; saying it is would be a finding no one can act on.
fn text_on_indicator_line(ctx: &Context, fm: &Frontmatter) -> bool {
    let Some(entry) = fm.entry("description") else {
        return false;
    };
    if fm.strict.is_ok() || !matches!(entry.style, ValueStyle::Literal | ValueStyle::Folded) {
        return false;
    }
    let raw = ctx.skill.text.get(entry.value_span.clone()).unwrap_or("");
    let first = raw.lines().next().unwrap_or("");
    let rest = first
        .trim_start_matches([
            '|', '>', '+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
        ])
        .trim();
    !rest.is_empty() && !rest.starts_with('#')
}
