//! A manifest named `skill.md`: skillpress reads it, but loaders that look for the exact
//! name `SKILL.md` (on case-sensitive file systems) never see the skill.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "F005",
    name: "manifest-lowercase",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "the manifest is named `skill.md` instead of `SKILL.md`",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    if ctx.skill.manifest != "SKILL.md" {
        out.push(
            Diagnostic::new(
                &META,
                ctx.skill.manifest.clone(),
                0..0,
                format!(
                    "the manifest is named `{}`; loaders that look for `SKILL.md` will not find this skill",
                    ctx.skill.manifest
                ),
            )
            .help("rename the file to `SKILL.md` (with `git mv` on case-insensitive file systems, via a temporary name)"),
        );
    }
}
