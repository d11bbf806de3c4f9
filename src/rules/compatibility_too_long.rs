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
    options: &[RuleOption {
        name: "max-chars",
        default: 500.0,
        help: "longest compatibility text allowed, in characters",
    }],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    let Some(compatibility) = fm.string("compatibility") else {
        return;
    };
    let max = ctx.option(&META, "max-chars") as usize;
    let chars = compatibility.chars().count();
    if chars <= max {
        return;
    }
    let range = fm
        .entry("compatibility")
        .map_or(fm.span.start..fm.span.start + 3, |e| e.value_span.clone());
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            range,
            format!("`compatibility` is {chars} characters long; the limit is {max}"),
        )
        .help("name only what the skill needs to run (product, system packages, network access); move the rest into the body"),
    );
}
