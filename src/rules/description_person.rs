//! A description in first or second person. The description is read by a router as a
//! statement about the skill, beside every other skill's; "I can help" and "you can use
//! this" describe a conversation, not a capability.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{description_of, Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "U003",
    name: "description-person",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "description is written in first or second person",
    options: &[],
};

/// Phrases of a speaker ("I can help") or an addressee ("you can use this").
const PERSONAL: &[&str] = &[
    "i can",
    "i will",
    "i'll",
    "i'm",
    "i am",
    "i help",
    "let me",
    "my",
    "we can",
    "we will",
    "we'll",
    "our",
    "you can",
    "you could",
    "you may",
    "you will",
    "you'll",
    "you should",
    "lets you",
    "helps you",
    "allows you",
    "enables you",
    "help you",
];

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some((description, span)) = description_of(ctx.skill) else {
        return;
    };
    let padded = format!(
        " {} ",
        crate::classify::without_quotes(&description)
            .to_lowercase()
            .replace('’', "'")
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let Some(phrase) = PERSONAL.iter().find(|p| padded.contains(&format!(" {p} "))) else {
        return;
    };
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            span,
            format!("description speaks in first or second person (`{phrase}`)"),
        )
        .help("describe the skill in the third person: \"Converts ... Use when ...\""),
    );
}
