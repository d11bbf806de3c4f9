//! The reduce pipeline over many skills: where each one's output goes, the parallel
//! load-reduce-write, and what each skill's run came to. The command line only parses
//! arguments and renders what this returns.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{write, Outcome, Report};
use crate::config::Settings;
use crate::skill::Skill;

/// What a run does with each verified plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Report only; write nothing.
    Report,
    /// Report, to fail on skills that could shed tokens; write nothing.
    Check,
    /// A unified diff of each plan; write nothing.
    Diff,
    /// A full copy of every skill under this folder, reduced where a plan passed.
    Out(PathBuf),
    /// Rewrite each skill's own folder.
    InPlace,
}

impl Mode {
    /// Whether this mode writes files.
    pub fn writes(&self) -> bool {
        matches!(self, Mode::Out(_) | Mode::InPlace)
    }
}

/// One skill's run.
#[derive(Debug)]
pub struct SkillRun {
    pub report: Report,
    /// The plan as a unified diff (`Mode::Diff`, reduced skills only).
    pub diff: Option<String>,
    /// Why this skill's output could not be written; nothing of it was.
    pub write_error: Option<String>,
    /// Files the output leaves out, with why (links out of the skill, walk failures).
    pub left_out: Vec<(String, String)>,
}

/// A run refused before anything was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// Two skills would be written to the same folder under `--out`.
    SameOutput {
        first: PathBuf,
        second: PathBuf,
        dest: PathBuf,
    },
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::SameOutput {
                first,
                second,
                dest,
            } => write!(
                f,
                "{} and {} would both be written to {}; nothing was written (reduce them into separate --out folders, or name their parent folder so their paths below it differ)",
                first.display(),
                second.display(),
                dest.display()
            ),
        }
    }
}

/// Where `--out` puts a skill, relative to the output folder (`/`-separated): its path
/// below the search root it was found under, or its folder name when named directly.
pub fn out_path(skill_dir: &Path, roots: &[PathBuf]) -> String {
    for root in roots {
        let rel = if root == Path::new(".") && skill_dir.is_relative() {
            Some(skill_dir)
        } else {
            skill_dir.strip_prefix(root).ok()
        };
        if let Some(rel) = rel {
            let plain = rel
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            if plain && !rel.as_os_str().is_empty() {
                return rel.to_string_lossy().replace('\\', "/");
            }
        }
    }
    std::fs::canonicalize(skill_dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "skill".into())
}

/// Reduces every skill in `dirs` (found under `roots`) and, when `mode` writes, writes
/// each skill's output as one transaction. Outputs that would collide are refused
/// before anything is written.
pub fn run(
    dirs: &[PathBuf],
    roots: &[PathBuf],
    settings: &Settings,
    mode: &Mode,
) -> Result<Vec<SkillRun>, RunError> {
    let subs: Vec<String> = dirs.iter().map(|d| out_path(d, roots)).collect();
    if let Mode::Out(base) = mode {
        let mut seen: BTreeMap<&str, &PathBuf> = BTreeMap::new();
        for (dir, sub) in dirs.iter().zip(&subs) {
            if let Some(first) = seen.insert(sub, dir) {
                return Err(RunError::SameOutput {
                    first: first.clone(),
                    second: dir.clone(),
                    dest: base.join(sub),
                });
            }
        }
    }
    Ok(dirs
        .par_iter()
        .zip(&subs)
        .map(|(dir, sub)| run_one(dir, sub, settings, mode))
        .collect())
}

fn run_one(dir: &Path, sub: &str, settings: &Settings, mode: &Mode) -> SkillRun {
    let skill = match Skill::load(dir) {
        Ok(s) => s,
        Err(u) => {
            let reason = format!("{} {}", u.manifest, u.problem.describe());
            let write_error = matches!(mode, Mode::Out(_))
                .then(|| format!("{}: not copied: {reason}", dir.display()));
            return SkillRun {
                report: Report::declined(dir, reason),
                diff: None,
                write_error,
                left_out: Vec::new(),
            };
        }
    };
    let (plan, mut report) = super::reduce(&skill, settings);
    let plan = write::with_line_endings(&skill, plan);
    let diff = (*mode == Mode::Diff && !plan.is_empty())
        .then(|| write::diff(&skill, &plan, &dir.to_string_lossy()));
    // Skills without a plan are copied unchanged, so the copy is complete.
    let written = match mode {
        Mode::Out(base) => write::to_dir(&skill, &plan, base, sub).map(|_| ()),
        Mode::InPlace if !plan.is_empty() => write::in_place(&skill, &plan),
        _ => Ok(()),
    };
    let write_error = written.err().map(|e| {
        if report.outcome == Outcome::Reduced {
            report.outcome = Outcome::Declined {
                reason: format!("could not be written, so nothing of it was: {e}"),
            };
        }
        format!("{}: {e}", dir.display())
    });
    let left_out = if matches!(mode, Mode::Out(_)) {
        write::left_out(&skill)
    } else {
        Vec::new()
    };
    SkillRun {
        report,
        diff,
        write_error,
        left_out,
    }
}
