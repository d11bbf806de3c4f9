//! One reference file over 10,000 tokens: an agent that reads it pays for all of it, and
//! a file that long is rarely needed whole.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta, RuleOption};
use crate::tokens::thousands;
use crate::tokens::tiers::Tier;

pub const META: RuleMeta = RuleMeta {
    code: "T004",
    name: "reference-too-large",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "a reference file is over 10,000 tokens",
    options: &[MAX_TOKENS],
};

/// The `max-tokens` option.
pub const MAX_TOKENS: RuleOption = RuleOption {
    name: "max-tokens",
    default: 10000.0,
    help: "reference files with more tokens than this are flagged",
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // Reference files are a subset of the text files: none that small can reach the limit.
    let largest = ctx
        .skill
        .files
        .iter()
        .filter_map(|f| f.text.as_ref().map(String::len))
        .max();
    if !ctx.may_exceed(largest.unwrap_or(0), ctx.option(&META, &MAX_TOKENS)) {
        return;
    }
    let (Some(files), Some(tok)) = (ctx.reference_tokens(), ctx.tokenizer()) else {
        return;
    };
    let max = ctx.option(&META, &MAX_TOKENS);
    for f in files
        .iter()
        .filter(|f| f.tier == Tier::References && f.tokens.tokens as f64 > max)
    {
        out.push(
            Diagnostic::new(
                &META,
                f.rel.clone(),
                0..0,
                format!(
                    "{} is {}, over {}; reading it puts all of that in the context",
                    f.rel,
                    tok.phrase(f.tokens),
                    thousands(max as u64)
                ),
            )
            .help("split it by topic into smaller files, and say in SKILL.md when to read each"),
        );
    }
}
