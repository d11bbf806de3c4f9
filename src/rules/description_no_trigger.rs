//! A description that says what a skill does but not when to use it. Routers match the
//! user's request against the description; a trigger clause ("Use when ...") is what
//! makes the match.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{description_of, Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "U002",
    name: "description-no-trigger",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "description has no trigger clause saying when to use the skill",
    options: &[],
};

/// Words and phrases that state when a skill applies.
const TRIGGERS: &[&str] = &[
    "when",
    "whenever",
    "use for",
    "use it for",
    "use this for",
    "used for",
    "use to",
    "use on",
    "use with",
    "trigger",
    "triggers",
    "triggered",
    "invoke",
    "invoked",
    "activate",
    "activates",
    "if the user",
    "if you",
    "if a user",
    "asked to",
    "asks",
    "applies to",
    "apply to",
    "for tasks",
    "for requests",
    "should be used",
    "use if",
    "use before",
    "use after",
    "use during",
    "use while",
    "helpful for",
    "useful for",
    "ideal for",
    "best for",
    "designed for",
    "use this skill",
    "use this",
    "use it",
];

/// Trigger words of Chinese and Japanese descriptions ("当...时", "触发", "用于"), which
/// have no spaces to split words on.
const CJK_TRIGGERS: &[&str] = &["当", "时使用", "触发", "用于", "适用", "場合", "とき"];

/// Whether a description says when to use the skill. Shared with `reduce`, which writes
/// descriptions that must pass this rule.
pub fn has_trigger(description: &str) -> bool {
    let padded = format!(
        " {} ",
        description
            .to_lowercase()
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    );
    padded.trim().is_empty()
        || padded.trim_start().starts_with("use ")
        || TRIGGERS.iter().any(|t| padded.contains(&format!(" {t} ")))
        || CJK_TRIGGERS.iter().any(|t| description.contains(t))
}

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some((description, span)) = description_of(ctx.skill) else {
        return;
    };
    if has_trigger(&description) {
        return;
    }
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            span,
            "description does not say when to use the skill",
        )
        .help("add a trigger clause with the words a request would contain, e.g. \"Use when the user asks to ...\""),
    );
}
