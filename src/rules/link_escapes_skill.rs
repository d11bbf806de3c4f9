//! A link that leaves the skill folder (`../other/x.md`, `/etc/x`), or a file that is a
//! symbolic link to something outside it. A skill is installed by copying its folder;
//! whatever lies outside stays behind.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::resolve::{self, Resolved};

pub const META: RuleMeta = RuleMeta {
    code: "R003",
    name: "link-escapes-skill",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "a link or symbolic link points outside the skill folder",
    options: &[],
};

const HELP: &str = "a skill is installed by copying its folder: copy the file into the skill \
                    (for example under `references/`) and link to the copy";

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for source in resolve::sources(ctx.skill) {
        if !source.is_checked() {
            continue;
        }
        for link in source.links.iter().filter(|l| resolve::is_markdown_link(l)) {
            let Some(path) = link.local_path() else {
                continue;
            };
            if resolve::resolve(source.rel, &path) != Resolved::Outside {
                continue;
            }
            let name = path
                .trim_end_matches('/')
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("");
            let help = if name.eq_ignore_ascii_case("SKILL.md") {
                // A sibling skill is installed on its own, wherever the installer puts it.
                "refer to the other skill by its name instead of by path: skills are installed one by one".to_string()
            } else {
                HELP.to_string()
            };
            out.push(
                Diagnostic::new(
                    &META,
                    source.rel,
                    link.range.clone(),
                    format!("link to `{path}` leads outside the skill folder"),
                )
                .help(help),
            );
        }
    }
    symlinks_out(ctx, out);
}

/// Files whose real location is outside the folder, reported once per symbolic link
/// (a linked folder is one finding, not one per file in it).
fn symlinks_out(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let root = ctx.skill.real_dir();
    let mut reported: Vec<String> = Vec::new();
    for file in &ctx.skill.files {
        if file.rel.is_empty() || reported.iter().any(|r| file.rel.starts_with(r.as_str())) {
            continue;
        }
        let Some((link, target)) = escaping_link(&ctx.skill.dir, root, &file.rel) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &META,
                file.rel.clone(),
                0..0,
                format!(
                    "`{link}` is a symbolic link to `{}`, outside the skill folder",
                    target.display()
                ),
            )
            .help("installers copy the folder and may not follow the link: put the file itself in the skill"),
        );
        reported.push(if link == file.rel {
            link
        } else {
            format!("{link}/")
        });
    }
}

/// The first component of `rel` that is a symbolic link resolving outside `root`.
fn escaping_link(dir: &Path, root: &Path, rel: &str) -> Option<(String, PathBuf)> {
    let mut path = dir.to_path_buf();
    let mut shown = Vec::new();
    for part in rel.split('/') {
        path.push(part);
        shown.push(part);
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            continue;
        }
        let target = std::fs::canonicalize(&path).ok()?;
        if !target.starts_with(root) {
            return Some((shown.join("/"), target));
        }
    }
    None
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::symlink;

    use crate::config::{Overrides, Settings};
    use crate::skill::Skill;

    #[test]
    fn symbolic_links_out_of_the_folder_are_reported_once() {
        let tmp = tempfile::tempdir().unwrap();
        let skill = tmp.path().join("demo");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(skill.join("references")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(skill.join("SKILL.md"), "---\nname: demo\n---\n# Demo\n").unwrap();
        std::fs::write(skill.join("references/own.md"), "# Own\n").unwrap();
        std::fs::write(outside.join("a.md"), "# A\n").unwrap();
        std::fs::write(outside.join("b.md"), "# B\n").unwrap();
        symlink(outside.join("a.md"), skill.join("references/a.md")).unwrap();
        symlink(&outside, skill.join("shared")).unwrap();
        // A link that stays inside is fine.
        symlink(skill.join("references/own.md"), skill.join("own.md")).unwrap();

        let overrides = Overrides {
            select: Some(vec!["R003".to_string()]),
            ..Overrides::default()
        };
        let settings = Settings::load(&skill, None, true, &overrides).unwrap();
        let loaded = Skill::load(&skill).unwrap();
        let found: Vec<String> = crate::lint::check_skill(&loaded, &settings)
            .into_iter()
            .map(|d| d.file)
            .collect();
        // The linked folder is one finding, and nothing in it is listed: it is never walked.
        assert_eq!(found, ["references/a.md", "shared"]);
    }
}
