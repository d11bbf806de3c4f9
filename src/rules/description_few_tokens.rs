//! A description too short to route on: under 20 tokens a router has little to match a
//! request against, yet the listing is paid for on every request.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta, RuleOption};
use crate::tokens::thousands;

pub const META: RuleMeta = RuleMeta {
    code: "T001",
    name: "description-few-tokens",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "description is under 20 tokens: too little for a router to match",
    options: &[MIN_TOKENS],
};

/// The `min-tokens` option.
pub const MIN_TOKENS: RuleOption = RuleOption {
    name: "min-tokens",
    default: 20.0,
    help: "descriptions with fewer tokens than this are flagged",
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    // Missing or empty descriptions are the description rules' findings.
    if ctx.skill.description().is_none_or(|d| d.trim().is_empty()) {
        return;
    }
    let (Some(count), Some(tok)) = (ctx.description_tokens(), ctx.tokenizer()) else {
        return;
    };
    let min = ctx.option(&META, &MIN_TOKENS);
    if (count.tokens as f64) >= min {
        return;
    }
    let range = crate::rules::quoting::value_range(ctx.skill, fm, "description");
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            range,
            format!(
                "description is {}, under {}: too little for a router to match a request against",
                tok.phrase(count),
                thousands(min as u64)
            ),
        )
        .help("say what the skill does and when to use it, with the words a user would write"),
    );
}
