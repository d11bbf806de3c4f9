//! All of a skill's references together over 25,000 tokens: an agent that follows the
//! links can fill a large part of its context with one skill.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta, RuleOption};
use crate::tokens::tiers::Tier;
use crate::tokens::{thousands, Count};

pub const META: RuleMeta = RuleMeta {
    code: "T005",
    name: "references-too-large",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "the skill's reference files together are over 25,000 tokens",
    options: &[MAX_TOKENS],
};

/// The `max-tokens` option.
pub const MAX_TOKENS: RuleOption = RuleOption {
    name: "max-tokens",
    default: 25000.0,
    help: "skills whose references together have more tokens than this are flagged",
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // Reference files are a subset of the text files: if all of them together are too
    // small to reach the limit, there is nothing to count.
    let all: usize = ctx
        .skill
        .files
        .iter()
        .filter_map(|f| f.text.as_ref().map(String::len))
        .sum();
    if !ctx.may_exceed(all, ctx.option(&META, &MAX_TOKENS)) {
        return;
    }
    let (Some(files), Some(tok)) = (ctx.reference_tokens(), ctx.tokenizer()) else {
        return;
    };
    let refs: Vec<_> = files
        .iter()
        .filter(|f| f.tier == Tier::References)
        .collect();
    let total: Count = refs.iter().map(|f| f.tokens).sum();
    let max = ctx.option(&META, &MAX_TOKENS);
    if total.tokens as f64 <= max {
        return;
    }
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            ctx.skill.body_first_line(),
            format!(
                "the {} reference files this skill mentions are {} together, over {}",
                refs.len(),
                tok.phrase(total),
                thousands(max as u64)
            ),
        )
        .help("drop what the body already says, and split the rest so an agent reads only what a task needs"),
    );
}
