//! A file in the skill that nothing mentions: not `SKILL.md`, nor any file it mentions.
//! An agent never learns it exists, yet it ships, and it is counted, with every install.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::files::is_repository_file;

pub const META: RuleMeta = RuleMeta {
    code: "R006",
    name: "file-unreferenced",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "a file in the skill is not mentioned by SKILL.md or by any file it mentions",
    options: &[],
};

/// A file this rule reports when nothing mentions it.
fn may_go_unmentioned(f: &crate::skill::SkillFile) -> bool {
    !f.rel.is_empty()
        && f.problem.is_none()
        && !is_repository_file(&f.rel)
        // The skill's own config is read by skillpress, not by an agent.
        && !crate::config::FILE_NAMES.contains(&f.rel.as_str())
}

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // Most skills ship nothing but SKILL.md: with no file that could go unmentioned, the
    // mention graph (a scan of every file's text) need not be built.
    if !ctx.skill.files.iter().any(may_go_unmentioned) {
        return;
    }
    let mentions = ctx.mentions();
    // Package and marketplace manifests (`package.json`, `agents/openai.yaml`) name entry
    // points and icons that serve the tooling; what they name is accounted for.
    let starts = std::iter::once(ctx.skill.manifest.as_str()).chain(
        ctx.skill
            .files
            .iter()
            .map(|f| f.rel.as_str())
            .filter(|rel| is_repository_file(rel) && is_manifest_data(rel)),
    );
    let reached = mentions.reach(starts);
    let unreached: Vec<&str> = ctx
        .skill
        .files
        .iter()
        .filter(|f| may_go_unmentioned(f))
        .map(|f| f.rel.as_str())
        .filter(|rel| !reached.contains(rel))
        .collect();
    // Report the files nothing at all mentions; those only they mention are counted
    // with them, so one forgotten entry point is one finding, not one per file.
    let mentioned_by_unreached: HashSet<&str> = unreached
        .iter()
        .flat_map(|rel| mentions.of(rel).to_vec())
        .collect();
    let mut roots: Vec<&str> = unreached
        .iter()
        .copied()
        .filter(|rel| !mentioned_by_unreached.contains(rel))
        .collect();
    let mut covered = mentions.reach(roots.iter().copied());
    // Files that only mention each other in a cycle have no root: report them all.
    // The member of a cycle that leads to the most files stands for the others.
    let mut rest: Vec<(usize, &str)> = unreached
        .iter()
        .filter(|rel| !covered.contains(*rel))
        .map(|rel| (mentions.reach([*rel]).len(), *rel))
        .collect();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    for (_, rel) in rest {
        if !covered.contains(rel) {
            roots.push(rel);
            covered.extend(mentions.reach([rel]));
        }
    }
    roots.sort_unstable();
    for rel in roots {
        let behind = mentions
            .reach([rel])
            .into_iter()
            .filter(|f| *f != rel && unreached.contains(f))
            .count();
        let mut message = format!("`{rel}` is not mentioned by SKILL.md or any file it mentions");
        match behind {
            0 => {}
            1 => message.push_str(", nor is the one file only it mentions"),
            n => message.push_str(&format!(", nor are the {n} files only it mentions")),
        }
        out.push(Diagnostic::new(&META, rel, 0..0, message).help(format!(
            "mention `{rel}` in SKILL.md, saying when to use it, or remove it from the skill"
        )));
    }
}

fn is_manifest_data(rel: &str) -> bool {
    [".json", ".yaml", ".yml", ".toml"]
        .iter()
        .any(|ext| rel.ends_with(ext))
}
