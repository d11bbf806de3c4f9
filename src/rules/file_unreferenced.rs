//! A file in the skill that nothing mentions: not `SKILL.md`, nor any file it mentions.
//! An agent never learns it exists, yet it ships, and it is counted, with every install.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::resolve;

pub const META: RuleMeta = RuleMeta {
    code: "R006",
    name: "file-unreferenced",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "a file in the skill is not mentioned by SKILL.md or by any file it mentions",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let mentioned = resolve::mentioned(ctx.skill);
    for file in &ctx.skill.files {
        if file.rel.is_empty() || file.problem.is_some() || is_meta(&file.rel) {
            continue;
        }
        if mentioned.contains(&file.rel) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &META,
                file.rel.clone(),
                0..0,
                format!("`{}` is not mentioned by SKILL.md or any file it mentions", file.rel),
            )
            .help(format!(
                "mention `{}` in SKILL.md, saying when to use it, or remove it from the skill",
                file.rel
            )),
        );
    }
}

/// Files that serve the repository or the tooling, not the agent.
fn is_meta(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let dirs = &parts[..parts.len() - 1];
    if parts.iter().any(|p| p.starts_with('.'))
        || dirs
            .iter()
            .any(|d| matches!(*d, "__pycache__" | "node_modules" | "venv"))
    {
        return true;
    }
    let name = parts[parts.len() - 1];
    let upper = name.to_ascii_uppercase();
    let stem = upper.split('.').next().unwrap_or("");
    matches!(
        stem,
        "LICENSE" | "LICENCE" | "README" | "CHANGELOG" | "NOTICE" | "COPYING" | "CONTRIBUTING"
            | "AUTHORS" | "SECURITY" | "CODE_OF_CONDUCT"
    ) || upper.starts_with("LICENSE")
        || matches!(
            name,
            "package.json"
                | "package-lock.json"
                | "yarn.lock"
                | "pnpm-lock.yaml"
                | "bun.lockb"
                | "bun.lock"
                | "Cargo.toml"
                | "Cargo.lock"
                | "go.mod"
                | "go.sum"
                | "poetry.lock"
                | "uv.lock"
                | "Pipfile"
                | "Pipfile.lock"
                | "pyproject.toml"
                | "setup.py"
                | "setup.cfg"
                | "tsconfig.json"
                | "__init__.py"
                | "Makefile"
        )
        || (name.starts_with("requirements") && name.ends_with(".txt"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_files_are_not_content() {
        for m in ["LICENSE", "LICENSE.txt", "README.md", "scripts/__init__.py", ".github/x.yml",
            "scripts/__pycache__/a.pyc", "requirements-dev.txt", "package.json"] {
            assert!(is_meta(m), "{m}");
        }
        for c in ["references/api.md", "scripts/run.py", "assets/readme-template.md"] {
            assert!(!is_meta(c), "{c}");
        }
    }
}
