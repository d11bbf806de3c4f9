//! Frontmatter that parses as YAML but not as a mapping of keys: a list, a lone string,
//! or nothing at all. No loader can find a `name` or `description` in it.

use serde_yaml_ng::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::quoting::opening_fence;
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "F004",
    name: "frontmatter-not-mapping",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "the frontmatter is valid YAML but not a mapping of keys to values",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    let what = match &fm.strict {
        Ok(Value::Mapping(_)) | Err(_) => return,
        Ok(Value::Null) => "empty".to_string(),
        Ok(Value::Sequence(_)) => "a list, not a mapping of keys".to_string(),
        Ok(Value::Tagged(_)) => "a tagged value, not a mapping of keys".to_string(),
        Ok(_) => "a single value, not a mapping of keys".to_string(),
    };
    let content = &ctx.skill.text[fm.content.clone()];
    let trimmed = content.trim();
    let range = if trimmed.is_empty() {
        opening_fence(ctx.skill, fm)
    } else {
        let start = fm.content.start + (content.len() - content.trim_start().len());
        start..start + trimmed.len()
    };
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            range,
            format!("the frontmatter is {what}"),
        )
        .help("write one `key: value` per line, starting with `name:` and `description:`"),
    );
}
