//! An opening `---` with no closing line: strict loaders reject the file, and forgiving
//! ones read the whole body as YAML or drop the frontmatter.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::FrontmatterState;

pub const META: RuleMeta = RuleMeta {
    code: "F002",
    name: "frontmatter-unclosed",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "the frontmatter's opening `---` has no closing `---` line",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    if let FrontmatterState::Unclosed { open } = &ctx.skill.frontmatter {
        out.push(
            Diagnostic::new(
                &META,
                ctx.skill.manifest.clone(),
                open.clone(),
                "the frontmatter opened here is never closed",
            )
            .help("add a line holding only `---` after the last frontmatter key, before the markdown body"),
        );
    }
}
