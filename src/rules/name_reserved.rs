//! A `name` holding a reserved word (`anthropic`, `claude`) or an XML tag. Anthropic's
//! API rejects such skills on upload, and tags in a name can inject markup into prompts.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::description_xml_tags::find_tag;
use crate::rules::quoting::shown;
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "N004",
    name: "name-reserved",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "`name` contains a reserved word (`anthropic`, `claude`) or an XML tag",
    options: &[],
};

const RESERVED: &[&str] = &["anthropic", "claude"];

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    let Some(name) = fm.string("name") else {
        return;
    };
    let lower = name.to_ascii_lowercase();
    let Some(entry) = fm.entry("name") else {
        return;
    };
    let raw = &ctx.skill.text[entry.value_span.clone()];
    let (found, message, help) = if let Some(word) = RESERVED.iter().find(|w| lower.contains(*w)) {
        (
            raw.to_ascii_lowercase().find(word).map(|i| i..i + word.len()),
            format!("`name` {} contains the reserved word `{word}`", shown(&name)),
            "drop the reserved word from the name (and the folder); say which product the skill is for in the description",
        )
    } else if let Some(tag) = find_tag(&name) {
        (
            raw.find(&name[tag.clone()]).map(|i| i..i + tag.len()),
            format!(
                "`name` {} contains the XML tag `{}`",
                shown(&name),
                &name[tag]
            ),
            "use only lowercase letters, digits and hyphens in the name",
        )
    } else {
        return;
    };
    // Point at the word itself when the raw text holds it as written (it may be escaped).
    let range = match found {
        Some(r) if raw.is_char_boundary(r.start) && raw.is_char_boundary(r.end) => {
            entry.value_span.start + r.start..entry.value_span.start + r.end
        }
        _ => entry.value_span.clone(),
    };
    out.push(Diagnostic::new(&META, ctx.skill.manifest.clone(), range, message).help(help));
}
