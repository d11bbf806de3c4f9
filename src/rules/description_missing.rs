//! A skill with no description is never selected: the description is the only text a
//! router reads before deciding to load the skill, yet its listing is still paid for.

use serde_yaml_ng::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::quoting::opening_fence;
use crate::rules::{Context, FixKind, RuleMeta};

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
    let entry = fm.entry("description");
    let (range, message) = match (fm.string("description"), entry) {
        (Some(d), _) if !d.trim().is_empty() => return,
        (Some(d), Some(e)) if !d.is_empty() => (
            e.key_span.clone(),
            "`description` holds only whitespace".to_string(),
        ),
        (Some(_), Some(e)) => (e.key_span.clone(), "`description` is empty".to_string()),
        (None, Some(e)) => {
            let kind = match fm.mapping().and_then(|m| m.get("description")) {
                Some(Value::Null) | None => "empty",
                Some(Value::Sequence(_)) => "a list, not a string",
                Some(Value::Mapping(_)) => "a mapping, not a string",
                Some(_) => "not a string",
            };
            (e.key_span.clone(), format!("`description` is {kind}"))
        }
        (_, None) => (
            opening_fence(ctx.skill, fm),
            "the frontmatter has no `description`".to_string(),
        ),
    };
    out.push(
        Diagnostic::new(&META, ctx.skill.manifest.clone(), range, message).help(
            "add `description:` saying what the skill does and when to use it, e.g. \"Extracts tables from PDFs. Use when the user works with PDF files.\"",
        ),
    );
}
