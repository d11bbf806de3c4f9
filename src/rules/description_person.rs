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
    "help me",
    "for me",
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
    // Quoted text is what a user might say ("What's affected by my changes?"), not the
    // skill speaking; words joined by `-`, `_`, `/` or `.` are names (`oh-my-zsh`).
    let unquoted = without_single_quotes(&crate::classify::without_quotes(
        &description.replace(['’', '‘'], "'"),
    ));
    let padded = format!(
        " {} ",
        unquoted
            .to_lowercase()
            .split(|c: char| !(c.is_alphanumeric() || "'-_/.".contains(c)))
            .map(|w| w.trim_matches(|c: char| "'-_/.".contains(c)))
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

/// `text` without its single-quoted phrases: a quote opens after a space or punctuation
/// and closes before one, so the apostrophes of "what's" and "users'" stay text.
fn without_single_quotes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let opens = chars[i] == '\''
            && (i == 0 || !chars[i - 1].is_alphanumeric())
            && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
        if opens {
            let close = (i + 1..chars.len()).find(|&j| {
                chars[j] == '\'' && chars.get(j + 1).is_none_or(|c| !c.is_alphanumeric())
            });
            if let Some(j) = close {
                out.push(' ');
                i = j + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::without_single_quotes;

    #[test]
    fn single_quoted_phrases_are_dropped_and_apostrophes_kept() {
        assert_eq!(
            without_single_quotes("EXAMPLES: 'What's affected by my changes?', or any"),
            "EXAMPLES:  , or any"
        );
        assert_eq!(
            without_single_quotes("the users' files"),
            "the users' files"
        );
    }
}
