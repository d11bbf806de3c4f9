//! A file of the skill that could not be read as text: not UTF-8, holding NUL bytes,
//! over the size limit, or a walk failure such as a symbolic link loop. Agents and the
//! other rules cannot see what it holds.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::LoadProblem;

pub const META: RuleMeta = RuleMeta {
    code: "R007",
    name: "file-unreadable",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "a file in the skill cannot be read as text",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for file in &ctx.skill.files {
        let Some(problem) = &file.problem else {
            continue;
        };
        if matches!(problem, LoadProblem::Outside { .. }) {
            continue; // R003 link-escapes-skill reports it
        }
        let shown = if file.rel.is_empty() {
            "a file"
        } else {
            file.rel.as_str()
        };
        let help = match problem {
            LoadProblem::NotUtf8 { .. } => "save the file as UTF-8",
            LoadProblem::Binary => "give a binary file a binary extension, or remove the NUL bytes",
            LoadProblem::TooLarge { .. } => "split the file, or move it out of the skill",
            LoadProblem::Walk(_) => "remove or fix the symbolic link",
            LoadProblem::Io(_) => "check the file's permissions",
            LoadProblem::Outside { .. } => "put the file itself in the skill",
        };
        out.push(
            Diagnostic::new(
                &META,
                file.rel.clone(),
                0..0,
                format!("`{shown}` {}", problem.describe()),
            )
            .help(help),
        );
    }
}

#[cfg(all(test, unix))]
mod tests {
    use crate::config::{Overrides, Settings};
    use crate::skill::Skill;

    #[test]
    fn a_symbolic_link_loop_is_reported_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let skill = tmp.path().join("demo");
        std::fs::create_dir_all(skill.join("references")).unwrap();
        std::fs::write(skill.join("SKILL.md"), "---\nname: demo\n---\n# Demo\n").unwrap();
        std::os::unix::fs::symlink(&skill, skill.join("references/loop")).unwrap();
        std::fs::write(skill.join("references/bad.md"), b"# Bad \xff\n").unwrap();

        let overrides = Overrides {
            select: Some(vec!["file-unreadable".to_string()]),
            ..Overrides::default()
        };
        let settings = Settings::load(&skill, None, true, &overrides).unwrap();
        let loaded = Skill::load(&skill).unwrap();
        let found: Vec<(String, String)> = crate::lint::check_skill(&loaded, &settings)
            .into_iter()
            .map(|d| (d.file, d.message))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "references/bad.md");
        assert!(found[0].1.contains("not valid UTF-8"), "{found:?}");
        assert_eq!(found[1].0, "references/loop");
        assert!(found[1].1.contains("loops back"), "{found:?}");
    }
}
