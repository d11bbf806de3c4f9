//! A `name` that differs from the skill's folder name. The agentskills.io spec requires
//! them to match, and loaders disagree on which one they list the skill under. Both are
//! compared after NFKC normalisation, as the reference validator does.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::name_invalid::{normalized, problems, slug};
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
    if name.trim().is_empty() || folder.is_empty() || normalized(unprefixed) == normalized(&folder)
    {
        return;
    }
    // A display title (`name: PDF Tools` in `pdf-tools/`) is N002's finding, whose help
    // proposes the folder's name: one finding for one edit.
    if !problems(&name).is_empty() && slug(&name).is_some_and(|s| s == normalized(&folder)) {
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
        .help(help(&name, &folder)),
    );
}

/// What to rename: only ever proposes a value N002 accepts.
pub fn help(name: &str, folder: &str) -> String {
    let name_ok = problems(name).is_empty();
    let folder_ok = problems(folder).is_empty();
    let name = normalized(name);
    match (name_ok, folder_ok) {
        (true, true) => format!(
            "rename one or the other: set `name: {folder}`, or rename the folder to `{name}`"
        ),
        (true, false) => format!("rename the folder to `{name}`"),
        (false, true) => format!("set `name: {folder}`"),
        (false, false) => match slug(folder).or_else(|| slug(&name)) {
            Some(s) => format!("set `name: {s}` and rename the folder to `{s}`"),
            None => "give the name and the folder the same value, in lowercase letters, digits and single hyphens".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value a help text proposes, whether as `name: X` or as a folder `X`.
    fn proposals(help: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, part) in help.split('`').enumerate() {
            if i % 2 == 1 {
                out.push(part.strip_prefix("name: ").unwrap_or(part).to_string());
            }
        }
        out
    }

    #[test]
    fn every_proposed_value_is_a_valid_name() {
        let names = [
            "pdf-tools",
            "Changelog-Helper",
            "my_skill",
            "技能",
            "НАВЫК",
            "!!!",
            "a--b",
        ];
        let folders = [
            "changelog-helper",
            "Changelog-Helper",
            "мой-навык",
            "my skill",
            "???",
        ];
        for name in names {
            for folder in folders {
                let help = help(name, folder);
                for value in proposals(&help) {
                    assert!(
                        problems(&value).is_empty(),
                        "N003 help for name {name:?} in folder {folder:?} proposes {value:?}: {help}"
                    );
                }
            }
        }
        assert_eq!(
            help("Changelog-Helper", "Changelog-Helper"),
            "set `name: changelog-helper` and rename the folder to `changelog-helper`"
        );
        assert_eq!(
            help("pdf", "Changelog-Helper"),
            "rename the folder to `pdf`"
        );
    }

    #[test]
    fn n002_and_n001_help_propose_valid_names() {
        for text in [
            "Changelog Helper",
            "НАВЫК",
            "café_tools",
            &"Long Word ".repeat(20),
        ] {
            let s = slug(text).expect("a slug");
            assert!(problems(&s).is_empty(), "{text:?} -> {s:?}");
        }
    }
}
