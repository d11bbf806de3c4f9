//! A frontmatter with no usable `name`: loaders key skills by name, and some refuse a
//! skill without one.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "N001",
    name: "name-missing",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "the frontmatter has no `name`, or it is empty",
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
    let Some((range, message)) = crate::rules::quoting::missing_string(ctx.skill, fm, "name")
    else {
        return;
    };
    out.push(
        Diagnostic::new(&META, ctx.skill.manifest.clone(), range, message).help(format!(
            "add `name: {}` (lowercase letters, digits and hyphens, matching the folder name)",
            crate::rules::name_invalid::slug(&ctx.skill.folder_name())
                .unwrap_or_else(|| "my-skill".into())
        )),
    );
}
