//! A body that is mostly not core rules. The whole body is injected each time the skill
//! triggers; background, examples and templates can live in reference files the agent
//! reads when it needs them.

use std::collections::HashMap;

use crate::classify::{self, Label};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta, RuleOption};

pub const META: RuleMeta = RuleMeta {
    code: "B001",
    name: "body-mostly-padding",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "most of the body's tokens are background, examples, templates or repeats",
    options: &[MAX_SHARE, MIN_TOKENS],
};

/// The `max-share` option.
pub const MAX_SHARE: RuleOption = RuleOption {
    name: "max-share",
    default: 0.6,
    help: "largest share (0 to 1) of body tokens that may be something other than core rules",
};

/// The `min-tokens` option.
pub const MIN_TOKENS: RuleOption = RuleOption {
    name: "min-tokens",
    default: 400.0,
    help: "bodies with fewer tokens are not checked",
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let max_share = ctx.option(&META, &MAX_SHARE);
    let min_tokens = ctx.option(&META, &MIN_TOKENS) as usize;
    let text = &ctx.skill.text;
    // Classifying is the costliest part of a lint run, and most skills of a registry have
    // short bodies: when no rule has classified this one yet, a body under `min-tokens`
    // (by a byte bound, else by counting its blocks until they reach it) is left alone
    // unclassified. The blocks counted are not counted again.
    let mut counts: Vec<usize> = Vec::new();
    if !ctx.is_classified() {
        let blocks = || {
            ctx.skill
                .body
                .blocks
                .iter()
                .filter(|b| classify::is_labelled(b))
        };
        let bytes: usize = blocks().map(|b| b.range.len()).sum();
        if !ctx.may_exceed(bytes, min_tokens as f64 - 0.5) {
            return;
        }
        let mut sum = 0;
        for b in blocks() {
            let n = ctx.count_tokens(&text[b.range.clone()]);
            counts.push(n);
            sum += n;
            if sum >= min_tokens {
                break;
            }
        }
        if sum < min_tokens {
            return;
        }
    }
    // Bytes first: counting every block's tokens is the costliest part of a lint run, and
    // a body whose non-core share by bytes is under half the limit cannot reach it by
    // tokens (that would take non-core text 3.5 times as token-dense as the rest).
    let (mut all_bytes, mut other_bytes) = (0usize, 0usize);
    for c in ctx.classified() {
        let n = c.range.len();
        all_bytes += n;
        if c.label != Label::CoreRule {
            other_bytes += n;
        }
    }
    if (other_bytes as f64) < 0.5 * max_share * all_bytes as f64 {
        return;
    }
    let mut total = 0;
    let mut deferrable = 0;
    // Deferrable tokens per section (the block's own heading), in first-seen order.
    let mut sections: Vec<(String, usize)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (n, c) in ctx.classified().iter().enumerate() {
        let tokens = match counts.get(n) {
            Some(&counted) => counted,
            None => ctx.count_tokens(&text[c.range.clone()]),
        };
        total += tokens;
        if c.label == Label::CoreRule {
            continue;
        }
        deferrable += tokens;
        let block = &ctx.skill.body.blocks[c.block];
        let name = block
            .heading_path
            .last()
            .cloned()
            .unwrap_or_else(|| "(before the first heading)".to_string());
        let i = *index.entry(name.clone()).or_insert_with(|| {
            sections.push((name, 0));
            sections.len() - 1
        });
        sections[i].1 += tokens;
    }
    if total < min_tokens || (deferrable as f64) <= max_share * total as f64 {
        return;
    }
    sections.sort_by_key(|s| std::cmp::Reverse(s.1));
    let largest: Vec<String> = sections
        .iter()
        .take(3)
        .map(|(name, tokens)| format!("`{name}` ({tokens} tokens)"))
        .collect();
    let start = ctx
        .skill
        .body
        .blocks
        .first()
        .map_or(ctx.skill.body_start, |b| b.range.start);
    let end = start + text[start..].find('\n').unwrap_or(text.len() - start);
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            start..end,
            format!(
                "{:.0}% of the body's {total} tokens are not core rules (over {:.0}%); largest deferrable sections: {}",
                100.0 * deferrable as f64 / total as f64,
                100.0 * max_share,
                largest.join(", ")
            ),
        )
        .help("move background, examples and templates into files under references/ and link them from the body; `skillpress classify` shows each block's label"),
    );
}
