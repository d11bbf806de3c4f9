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
        let shown = if file.rel.is_empty() { "a file" } else { file.rel.as_str() };
        let help = match problem {
            LoadProblem::NotUtf8 { .. } => "save the file as UTF-8",
            LoadProblem::Binary => "give a binary file a binary extension, or remove the NUL bytes",
            LoadProblem::TooLarge { .. } => "split the file, or move it out of the skill",
            LoadProblem::Walk(_) => "remove or fix the symbolic link",
            LoadProblem::Io(_) => "check the file's permissions",
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
