//! A `compatibility` field over the spec's 500 characters. It is meant to name the
//! environment a skill needs in a sentence, not to hold documentation.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta, RuleOption};

pub const META: RuleMeta = RuleMeta {
    code: "K003",
    name: "compatibility-too-long",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`compatibility` is longer than the spec's limit (500 characters)",
    options: &[MAX_CHARS],
};

/// The `max-chars` option.
pub const MAX_CHARS: RuleOption = RuleOption {
    name: "max-chars",
    default: 500.0,
    help: "longest compatibility text allowed, in characters",
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    crate::rules::string_too_long(ctx, &META, &MAX_CHARS,
        "compatibility",
        "name only what the skill needs to run (product, system packages, network access); move the rest into the body",
        out,
    );
}
