//! A `SKILL.md` with no frontmatter block has no name and no description: no agent can
//! list or select it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::FrontmatterState;

pub const META: RuleMeta = RuleMeta {
    code: "F001",
    name: "frontmatter-missing",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "SKILL.md does not start with a `---` frontmatter block",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    if let FrontmatterState::Missing = ctx.skill.frontmatter {
        out.push(
            Diagnostic::new(&META, ctx.skill.manifest.clone(), ctx.skill.body_first_line(), "SKILL.md has no frontmatter")
                .help("start the file with a `---` line, then `name:` and `description:`, then a closing `---`"),
        );
    }
}
