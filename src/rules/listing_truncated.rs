//! A listing (name and description) longer than Claude Code shows: it cuts each skill's
//! listing at 1,536 characters, so whatever comes after never reaches the router.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta, RuleOption};
use crate::tokens::{thousands, tiers};

pub const META: RuleMeta = RuleMeta {
    code: "T002",
    name: "listing-truncated",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "name and description together are over 1,536 characters, where Claude Code truncates",
    options: &[MAX_CHARS],
};

/// The `max-chars` option.
pub const MAX_CHARS: RuleOption = RuleOption {
    name: "max-chars",
    default: 1536.0,
    help: "listings longer than this many characters are flagged",
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    if ctx.skill.description().is_none() {
        return;
    }
    let chars = tiers::listing_text(ctx.skill).chars().count();
    let max = ctx.option(&META, &MAX_CHARS);
    if (chars as f64) <= max {
        return;
    }
    let range = crate::rules::quoting::value_range(ctx.skill, fm, "description");
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            range,
            format!(
                "the listing (name and description) is {} characters; Claude Code cuts it at {}, so the rest never reaches the router",
                thousands(chars as u64),
                thousands(max as u64)
            ),
        )
        .help("keep the description to what the skill does and when to use it; move details into the body"),
    );
}
