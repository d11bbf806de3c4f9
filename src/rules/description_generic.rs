//! A description that says nothing a router can match: placeholder text, a generic
//! phrase, or the skill's name again. Such a skill is listed (and paid for) on every
//! request but never selected.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{description_of, Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "U001",
    name: "description-generic",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "description is placeholder or generic text, or only repeats the name",
    options: &[],
};

/// Phrases that fill a description without saying what the skill does.
const PLACEHOLDERS: &[&str] = &[
    "use when this capability is needed",
    "use this skill when needed",
    "use when needed",
    "description here",
    "your description",
    "add a description",
    "todo",
    "tbd",
    "lorem ipsum",
    "placeholder",
    "replace with",
    "a brief description",
    "short description",
    "describe what this skill does",
];

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some((description, span)) = description_of(ctx.skill) else {
        return;
    };
    let words = normalized(&description);
    if words.is_empty() {
        return;
    }
    let padded = format!(" {} ", words.join(" "));
    // A one-word placeholder ("TODO") in a real sentence is a topic (a to-do skill), not
    // a placeholder: it counts only when the description is little more than it.
    let why = if let Some(p) = PLACEHOLDERS.iter().find(|p| {
        (p.contains(' ') || words.len() <= 4)
            && padded
                .match_indices(**p)
                .any(|(i, _)| padded[..i].ends_with(' ') && padded[i + p.len()..].starts_with(' '))
    }) {
        format!("holds placeholder text (`{p}`)")
    } else if ctx.skill.name().is_some_and(|n| normalized(&n) == words)
        || normalized(&ctx.skill.folder_name()) == words
    {
        "only repeats the skill's name".to_string()
    } else if is_bare_skill_for(&words) {
        format!(
            "is only `{}`: it names a topic, not what the skill does or when",
            description.trim()
        )
    } else {
        return;
    };
    out.push(
        Diagnostic::new(&META, ctx.skill.manifest.clone(), span, format!("description {why}"))
            .help("say what the skill does and when to use it, with the words a user's request would contain: \"Extracts tables from PDF files. Use when the user asks to read or convert a PDF.\""),
    );
}

/// "A skill for X" / "Skill for X" / "Helper for X" with at most three words of topic.
fn is_bare_skill_for(words: &[String]) -> bool {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let rest = match w.as_slice() {
        ["a" | "an" | "the", "skill" | "helper" | "tool", "for" | "to" | "about", rest @ ..] => {
            rest
        }
        ["skill" | "helper" | "tool", "for" | "to" | "about", rest @ ..] => rest,
        ["this" | "a", "skill", rest @ ..] => rest,
        _ => return false,
    };
    rest.len() <= 3
}

/// Lowercase words, `-` and `_` read as spaces.
fn normalized(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}
