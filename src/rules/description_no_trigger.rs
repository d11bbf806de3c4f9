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
    // One automaton per list (reduce asks this of every candidate it weighs).
    static PADDED: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::new(TRIGGERS.iter().map(|t| format!(" {t} ")))
                .expect("the trigger phrases build an automaton")
        });
    static CJK: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(CJK_TRIGGERS)
            .expect("the CJK trigger phrases build an automaton")
    });
    let mut padded = String::with_capacity(description.len() + 2);
    padded.push(' ');
    let lower = description.to_lowercase();
    for w in lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
    {
        padded.push_str(w);
        padded.push(' ');
    }
    padded.trim().is_empty()
        || padded.trim_start().starts_with("use ")
        || PADDED.is_match(&padded)
        || CJK.is_match(description)
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
