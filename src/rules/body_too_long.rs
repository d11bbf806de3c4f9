//! A `SKILL.md` body over 500 lines or 5,000 tokens: all of it is injected each time the
//! skill triggers, whether the task needs it or not.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta, RuleOption};
use crate::tokens::thousands;

pub const META: RuleMeta = RuleMeta {
    code: "T003",
    name: "body-too-long",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "SKILL.md body is over 500 lines or 5,000 tokens",
    options: &[MAX_LINES, MAX_TOKENS],
};

/// The `max-lines` option.
pub const MAX_LINES: RuleOption = RuleOption {
    name: "max-lines",
    default: 500.0,
    help: "bodies with more lines than this are flagged",
};

/// The `max-tokens` option.
pub const MAX_TOKENS: RuleOption = RuleOption {
    name: "max-tokens",
    default: 5000.0,
    help: "bodies with more tokens than this are flagged",
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let body = ctx.skill.body_text();
    let lines = body.lines().count();
    let max_lines = ctx.option(&META, &MAX_LINES);
    let max_tokens = ctx.option(&META, &MAX_TOKENS);
    let tokens = if ctx.may_exceed(body.len(), max_tokens) {
        ctx.body_tokens()
    } else {
        None
    };
    let mut over = Vec::new();
    if lines as f64 > max_lines {
        over.push(format!(
            "{lines} lines (limit {})",
            thousands(max_lines as u64)
        ));
    }
    if let (Some(count), Some(tok)) = (tokens, ctx.tokenizer()) {
        if count.tokens as f64 > max_tokens {
            over.push(format!(
                "{} (limit {})",
                tok.phrase(count),
                thousands(max_tokens as u64)
            ));
        }
    }
    if over.is_empty() {
        return;
    }
    // Point at the body's first line rather than the whole body.

    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            ctx.skill.body_first_line(),
            format!(
                "the body is {}; all of it is injected every time the skill triggers",
                over.join(" and ")
            ),
        )
        .help("keep the core rules in SKILL.md and move examples, templates and background into reference files it links to"),
    );
}
