//! Runs the rule book over skills: discovery, a parallel load-parse-check per skill, then
//! findings placed in their files and sorted, so output is the same at any parallelism.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, DiscoverError};
use crate::render::{Finding, LineIndex, Report};
use crate::rules::{self, Context, RULES};
use crate::skill::{Skill, Unreadable};

/// Runs every enabled rule on one parsed skill, with configured severities.
pub fn check_skill(skill: &Skill, settings: &Settings) -> Vec<Diagnostic> {
    let ctx = Context::new(skill, settings);
    let mut out = Vec::new();
    for (rule, setting) in RULES.iter().zip(&settings.rules) {
        let Some(severity) = setting else { continue };
        let first = out.len();
        (rule.check)(&ctx, &mut out);
        for d in &mut out[first..] {
            d.severity = *severity;
        }
    }
    out
}

/// The diagnostic for a manifest that cannot be read, if its rule is on.
pub fn unreadable_diagnostic(u: &Unreadable, settings: &Settings) -> Option<Diagnostic> {
    let meta = &rules::manifest_unreadable::META;
    let severity = settings.severity(meta)?;
    let mut d = Diagnostic::new(
        meta,
        u.manifest.clone(),
        0..0,
        format!("{} {}", u.manifest, u.problem.describe()),
    )
    .help("save the file as UTF-8 text (no NUL bytes) under the size limit; the skill was skipped");
    d.severity = severity;
    Some(d)
}

/// Places a skill's diagnostics in their files.
pub fn locate(
    dir: &Path,
    manifest_text: &str,
    manifest: &str,
    files: &[crate::skill::SkillFile],
    diags: Vec<Diagnostic>,
    snippets: bool,
) -> Vec<Finding> {
    let manifest_index = LineIndex::new(manifest_text);
    diags
        .into_iter()
        .map(|d| {
            if d.file == manifest {
                return Finding::locate(d, dir, &manifest_index, snippets);
            }
            let text = files
                .iter()
                .find(|f| f.rel == d.file)
                .and_then(|f| f.text.as_deref())
                .unwrap_or("");
            Finding::locate(d, dir, &LineIndex::new(text), snippets)
        })
        .collect()
}

/// Lints one skill folder from disk into placed findings.
pub fn lint_dir(dir: &Path, settings: &Settings, snippets: bool) -> Vec<Finding> {
    match Skill::load(dir) {
        Ok(skill) => {
            let diags = check_skill(&skill, settings);
            locate(
                dir,
                &skill.text,
                &skill.manifest,
                &skill.files,
                diags,
                snippets,
            )
        }
        Err(u) => unreadable_diagnostic(&u, settings)
            .map(|d| locate(dir, "", &u.manifest, &[], vec![d], false))
            .unwrap_or_default(),
    }
}

/// Lints everything under `paths`.
pub fn lint_paths(
    paths: &[PathBuf],
    settings: &Settings,
    snippets: bool,
) -> Result<(Report, Vec<(PathBuf, String)>), DiscoverError> {
    let found = discover::discover(paths, &settings.exclude)?;
    let mut findings: Vec<Finding> = found
        .skills
        .par_iter()
        .flat_map_iter(|dir| lint_dir(dir, settings, snippets))
        .collect();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // Walk problems inside a skill are reported by that skill's own file list.
    let problems = found
        .problems
        .into_iter()
        .filter(|(p, _)| !found.skills.iter().any(|s| p.starts_with(s)))
        .collect();
    Ok((
        Report {
            findings,
            skills: found.skills.len(),
            ..Report::default()
        },
        problems,
    ))
}
