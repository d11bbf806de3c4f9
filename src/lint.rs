//! Runs the rule book over skills: discovery, a parallel load-parse-check per skill, then
//! findings placed in their files and sorted, so output is the same at any parallelism.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{find_config, ConfigError, Overrides, Settings};
use crate::diagnostic::Diagnostic;
use crate::discover::{self, DiscoverError};
use crate::render::{Finding, LineIndex, Report};
use crate::rules::description_duplicate::{self, Listing};
use crate::rules::{self, Context, RULES};
use crate::skill::{LoadProblem, Skill, Unreadable};

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
    lint_dir_listed(dir, settings, snippets).0
}

/// Like `lint_dir`, also returning what the cross-skill pass keeps of the skill.
fn lint_dir_listed(
    dir: &Path,
    settings: &Settings,
    snippets: bool,
) -> (Vec<Finding>, Option<Listing>) {
    match Skill::load(dir) {
        Ok(skill) => {
            let diags = check_skill(&skill, settings);
            let findings = locate(
                dir,
                &skill.text,
                &skill.manifest,
                &skill.files,
                diags,
                snippets,
            );
            (findings, Listing::of(&skill))
        }
        Err(u) => {
            let Some(mut d) = unreadable_diagnostic(&u, settings) else {
                return (Vec::new(), None);
            };
            let text = match u.problem {
                LoadProblem::NotUtf8 { offset, .. } => {
                    // Point at the first bad byte. The text before it is valid, so its
                    // lines and columns are the file's; what follows is shown lossily.
                    d.range = offset..offset;
                    std::fs::read(dir.join(&u.manifest))
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                        .unwrap_or_default()
                }
                _ => String::new(),
            };
            (
                locate(dir, &text, &u.manifest, &[], vec![d], snippets),
                None,
            )
        }
    }
}

/// Lints everything under `paths` with one set of settings (`--config FILE`,
/// `--no-config`, or a caller that resolved them itself).
pub fn lint_paths(
    paths: &[PathBuf],
    settings: &Settings,
    snippets: bool,
) -> Result<(Report, Vec<(PathBuf, String)>), DiscoverError> {
    let found = discover::discover(paths, &settings.exclude)?;
    let per_skill = vec![settings; found.skills.len()];
    Ok(lint_found(found, &per_skill, settings, snippets))
}

#[derive(Debug)]
pub enum LintError {
    Discover(DiscoverError),
    Config(ConfigError),
}

/// Lints everything under `paths`, each skill with its nearest config file (the closest
/// one wins; files are not merged), resolved with the command line's `overrides`. `root`
/// holds the settings of the first path, whose `exclude` globs steer the search.
pub fn lint_paths_nearest(
    paths: &[PathBuf],
    root: &Settings,
    overrides: &Overrides,
    snippets: bool,
) -> Result<(Report, Vec<(PathBuf, String)>), LintError> {
    let found = discover::discover(paths, &root.exclude).map_err(LintError::Discover)?;
    let files: Vec<Option<PathBuf>> = found.skills.iter().map(|d| find_config(d)).collect();
    // Each config file is read once, however many skills it governs.
    let mut loaded: HashMap<&Option<PathBuf>, Settings> = HashMap::new();
    for (dir, file) in found.skills.iter().zip(&files) {
        if loaded.contains_key(file) {
            continue;
        }
        let settings = if *file == root.file {
            root.clone()
        } else {
            Settings::load(dir, file.as_deref(), file.is_none(), overrides)
                .map_err(LintError::Config)?
        };
        loaded.insert(file, settings);
    }
    let per_skill: Vec<&Settings> = files.iter().map(|f| &loaded[f]).collect();
    Ok(lint_found(found, &per_skill, root, snippets))
}

/// Lints the skills found, each with its own settings; `cross` governs the rules that
/// compare skills with each other.
fn lint_found(
    found: discover::Discovery,
    settings: &[&Settings],
    cross: &Settings,
    snippets: bool,
) -> (Report, Vec<(PathBuf, String)>) {
    let (per_skill, listings): (Vec<Vec<Finding>>, Vec<Option<Listing>>) = found
        .skills
        .par_iter()
        .zip(settings)
        .map(|(dir, settings)| lint_dir_listed(dir, settings, snippets))
        .unzip();
    let mut findings: Vec<Finding> = per_skill.into_iter().flatten().collect();
    // Rules across skills, over the few fields each skill left behind.
    let listings: Vec<Listing> = listings.into_iter().flatten().collect();
    for (i, d) in description_duplicate::check_all(&listings, cross) {
        let l = &listings[i];
        findings.push(Finding::locate(
            d,
            &l.dir,
            &LineIndex::new(&l.head),
            snippets,
        ));
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // Walk problems inside a skill are reported by that skill's own file list.
    let problems = found
        .problems
        .into_iter()
        .filter(|(p, _)| !found.skills.iter().any(|s| p.starts_with(s)))
        .collect();
    (
        Report {
            findings,
            skills: found.skills.len(),
            ..Report::default()
        },
        problems,
    )
}
