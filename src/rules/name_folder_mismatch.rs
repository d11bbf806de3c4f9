//! A `name` that differs from the skill's folder name. The agentskills.io spec requires
//! them to match, and loaders disagree on which one they list the skill under.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::quoting::shown;
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "N003",
    name: "name-folder-mismatch",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`name` differs from the name of the skill's folder",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    let Some(name) = fm.string("name") else {
        return;
    };
    let folder = ctx.skill.folder_name();
    // `plugin:skill` names are N002's finding; when the part after the colon matches
    // the folder, saying it again here is noise.
    let unprefixed = name.rsplit(':').next().unwrap_or(&name);
    if name.trim().is_empty() || folder.is_empty() || unprefixed == folder {
        return;
    }
    let range = crate::rules::quoting::value_range(ctx.skill, fm, "name");
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            range,
            format!(
                "`name` is {} but the folder is {}",
                shown(&name),
                shown(&folder)
            ),
        )
        .help(format!(
            "rename one or the other: set `name: {folder}`, or rename the folder to `{name}`"
        )),
    );
}
