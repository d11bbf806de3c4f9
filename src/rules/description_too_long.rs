//! A description over the spec's 1,024 characters: loaders truncate or reject it, and
//! every character is paid on every request, whether the skill is used or not.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta, RuleOption};

pub const META: RuleMeta = RuleMeta {
    code: "D002",
    name: "description-too-long",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`description` is longer than the spec's limit (1,024 characters)",
    options: &[MAX_CHARS],
};

/// The `max-chars` option.
pub const MAX_CHARS: RuleOption = RuleOption {
    name: "max-chars",
    default: 1024.0,
    help: "longest description allowed, in characters",
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    crate::rules::string_too_long(ctx, &META, &MAX_CHARS,
        "description",
        "keep what the skill does and when to use it; move feature lists, examples and details into the body",
        out,
    );
}
