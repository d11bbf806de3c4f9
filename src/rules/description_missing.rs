//! A skill with no description is never selected: the description is the only text a
//! router reads before deciding to load the skill, yet its listing is still paid for.

use crate::diagnostic::{Diagnostic, Severity};
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
