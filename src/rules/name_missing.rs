//! A frontmatter with no usable `name`: loaders key skills by name, and some refuse a
//! skill without one.

use serde_yaml_ng::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::quoting::opening_fence;
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
    let entry = fm.entry("name");
    let (range, message) = match (fm.string("name"), entry) {
        (Some(name), _) if !name.trim().is_empty() => return,
        (Some(_), Some(e)) => (e.key_span.clone(), "`name` is empty".to_string()),
        (None, Some(e)) => {
            let kind = match fm.mapping().and_then(|m| m.get("name")) {
                Some(Value::Null) | None => "empty",
                Some(Value::Sequence(_)) => "a list, not a string",
                Some(Value::Mapping(_)) => "a mapping, not a string",
                Some(_) => "not a string",
            };
            (e.key_span.clone(), format!("`name` is {kind}"))
        }
        (_, None) => (
            opening_fence(ctx.skill, fm),
            "the frontmatter has no `name`".to_string(),
        ),
    };
    out.push(
        Diagnostic::new(&META, ctx.skill.manifest.clone(), range, message).help(format!(
            "add `name: {}` (lowercase letters, digits and hyphens, matching the folder name)",
            crate::rules::name_invalid::slug(&ctx.skill.folder_name()).unwrap_or_else(|| "my-skill".into())
        )),
    );
}
