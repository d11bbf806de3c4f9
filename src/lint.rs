//! Runs the rule book over skills and hands back plain data: each skill's diagnostics with
//! the text of the files they point into. Skills are checked in parallel and handed on in
//! discovery order as soon as the ones before them are done, so output streams, is the
//! same at any parallelism, and a skill's text is dropped once its findings are out.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

use crate::config::{ConfigError, ConfigFinder, Overrides, Settings};
use crate::diagnostic::Diagnostic;
use crate::discover::{self, DiscoverError};
use crate::fix;
use crate::rules::description_duplicate::{self, Listing};
use crate::rules::{self, Check, Context, RULES};
use crate::skill::{LoadProblem, Skill, Unreadable};

/// Runs every enabled per-skill rule on one parsed skill, with configured severities.
pub fn check_skill(skill: &Skill, settings: &Settings) -> Vec<Diagnostic> {
    check_skill_where(skill, settings, |_| true)
}

/// [`check_skill`] with only the enabled rules `wanted` picks.
pub fn check_skill_where(
    skill: &Skill,
    settings: &Settings,
    wanted: impl Fn(&rules::RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    check_context(&Context::new(skill, settings), wanted)
}

/// [`check_skill_where`] in a context the caller keeps, so that what the rules worked
/// out (the body's classification, token counts) serves it afterwards.
pub fn check_context(ctx: &Context, wanted: impl Fn(&rules::RuleMeta) -> bool) -> Vec<Diagnostic> {
    let settings = ctx.settings;
    let mut out = Vec::new();
    for (rule, setting) in RULES.iter().zip(&settings.rules) {
        let Some(severity) = setting else { continue };
        if !wanted(rule.meta) {
            continue;
        }
        let Check::PerSkill(check) = rule.check else {
            continue;
        };
        let first = out.len();
        check(ctx, &mut out);
        for d in &mut out[first..] {
            debug_assert!(
                rules::fix_matches(rule.meta.fix, d.fix.as_ref()),
                "{} emitted a fix its metadata does not declare",
                rule.meta.code
            );
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

/// The text of the files a skill's diagnostics point into, and nothing else.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<(String, String)>,
}

impl Sources {
    /// Keeps the text of every file of `skill` that one of `diags` is about.
    pub fn of(skill: &Skill, diags: &[Diagnostic]) -> Sources {
        let mut files: Vec<(String, String)> = Vec::new();
        for d in diags {
            if files.iter().any(|(f, _)| *f == d.file) {
                continue;
            }
            let text = if d.file == skill.manifest {
                Some(skill.text.as_str())
            } else {
                skill
                    .files
                    .iter()
                    .find(|f| f.rel == d.file)
                    .and_then(|f| f.text.as_deref())
            };
            if let Some(text) = text {
                files.push((d.file.clone(), text.to_string()));
            }
        }
        Sources { files }
    }

    pub fn with(file: impl Into<String>, text: impl Into<String>) -> Sources {
        Sources {
            files: vec![(file.into(), text.into())],
        }
    }

    /// The text of `file` (relative to the skill folder); empty when not kept.
    pub fn text(&self, file: &str) -> &str {
        self.files
            .iter()
            .find(|(f, _)| f == file)
            .map_or("", |(_, t)| t.as_str())
    }
}

/// One skill's findings: plain diagnostics with byte ranges, and the sources they point
/// into, from which renderers compute lines, columns and snippets.
#[derive(Debug, Clone)]
pub struct Checked {
    pub dir: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl Checked {
    /// Lints one in-memory skill with `settings` (the per-skill rules).
    pub fn of(skill: &Skill, settings: &Settings) -> Checked {
        let diagnostics = check_skill(skill, settings);
        Checked::from_diagnostics(skill, diagnostics)
    }

    pub fn from_diagnostics(skill: &Skill, diagnostics: Vec<Diagnostic>) -> Checked {
        Checked {
            dir: skill.dir.clone(),
            sources: Sources::of(skill, &diagnostics),
            diagnostics,
        }
    }
}

/// Lints one skill folder from disk (per-skill rules, or the load diagnostic).
pub fn lint_dir(dir: &Path, settings: &Settings) -> Checked {
    lint_one(dir, settings, Mode::Check).checked
}

/// What `lint` does besides checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Check,
    /// Apply safe fixes and write the files; report what is left.
    Fix,
    /// Work out the safe fixes without writing; report the files as they are.
    Diff,
}

/// One skill's result in a run.
#[derive(Debug)]
pub struct SkillResult {
    pub checked: Checked,
    /// What the fix engine did, under `Mode::Fix` and `Mode::Diff`, when it changed text.
    pub fix: Option<fix::Outcome>,
    /// The manifest's path as shown, when `fix` is set.
    pub manifest_path: Option<PathBuf>,
    /// Writing the fixed manifest failed (the file is unchanged).
    pub write_error: Option<String>,
}

/// Handed to the caller of `lint_paths_streaming`, in order: every skill as it is done,
/// then the findings of the rules across skills.
#[derive(Debug)]
pub enum Event {
    /// Discovery is done: this many skills will follow.
    Started {
        skills: usize,
    },
    Skill(SkillResult),
    /// Findings of a cross-skill rule about one skill, after every per-skill result.
    Across(Checked),
}

fn lint_one(dir: &Path, settings: &Settings, mode: Mode) -> SkillResult {
    lint_one_listed(dir, settings, mode).0
}

fn lint_one_listed(dir: &Path, settings: &Settings, mode: Mode) -> (SkillResult, Option<Listing>) {
    let skill = match Skill::load(dir) {
        Ok(skill) => skill,
        Err(u) => return (unreadable(dir, &u, settings), None),
    };
    let plain = |checked| SkillResult {
        checked,
        fix: None,
        manifest_path: None,
        write_error: None,
    };
    if mode == Mode::Check {
        let listing = Listing::of(&skill);
        return (plain(Checked::of(&skill, settings)), listing);
    }
    let fixed = fix::fix_rounds(&skill, settings);
    let path = dir.join(&skill.manifest);
    let (reported, diagnostics, mut write_error) = match (mode, fixed.skill) {
        (Mode::Fix, Some(after)) => match fix::write_atomic(&path, &after.text) {
            Ok(()) => (after, fixed.last, None),
            Err(e) => (skill, fixed.first, Some(format!("{}: {e}", path.display()))),
        },
        _ => (skill, fixed.first, None),
    };
    let changed = fixed.outcome.changed();
    if !changed {
        write_error = None;
    }
    let listing = Listing::of(&reported);
    let result = SkillResult {
        checked: Checked::from_diagnostics(&reported, diagnostics),
        fix: changed.then_some(fixed.outcome),
        manifest_path: changed.then_some(path),
        write_error,
    };
    (result, listing)
}

fn unreadable(dir: &Path, u: &Unreadable, settings: &Settings) -> SkillResult {
    let mut checked = Checked {
        dir: dir.to_path_buf(),
        diagnostics: Vec::new(),
        sources: Sources::default(),
    };
    if let Some(mut d) = unreadable_diagnostic(u, settings) {
        if let LoadProblem::NotUtf8 { offset, .. } = u.problem {
            // Point at the first bad byte. The text before it is valid, so its lines and
            // columns are the file's; what follows is shown lossily.
            d.range = offset..offset;
            let text = std::fs::read(dir.join(&u.manifest))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            checked.sources = Sources::with(u.manifest.clone(), text);
        }
        checked.diagnostics.push(d);
    }
    SkillResult {
        checked,
        fix: None,
        manifest_path: None,
        write_error: None,
    }
}

#[derive(Debug)]
pub enum LintError {
    Discover(DiscoverError),
    Config(ConfigError),
    /// The caller's sink failed (a closed pipe, say).
    Io(std::io::Error),
}

/// Which settings govern each skill of a run.
#[derive(Debug, Clone, Copy)]
pub enum Governed<'a> {
    /// One set of settings for every skill (`--config FILE`, `--no-config`).
    All(&'a Settings),
    /// Each skill its nearest config file (the closest one wins; files are not merged),
    /// resolved with the command line's overrides. The root settings (of the first
    /// path) steer the search with their `exclude` globs and govern cross-skill rules.
    Nearest(&'a Settings, &'a Overrides),
}

impl Governed<'_> {
    fn root(&self) -> &Settings {
        match self {
            Governed::All(s) | Governed::Nearest(s, _) => s,
        }
    }
}

/// What a streaming run came to, besides the events.
#[derive(Debug, Default)]
pub struct Totals {
    pub skills: usize,
    /// Walk problems outside any skill (inside one, its own file list reports them).
    pub problems: Vec<(PathBuf, String)>,
}

/// Skills handed out ahead of the oldest one not yet passed on; bounds what is held.
const WINDOW: usize = 256;

/// Lints everything under `paths`, passing each skill's result to `sink` in discovery
/// order as soon as it and every skill before it are done, then the cross-skill
/// findings.
pub fn lint_paths_streaming(
    paths: &[PathBuf],
    governed: Governed,
    mode: Mode,
    sink: &mut dyn FnMut(Event) -> std::io::Result<()>,
) -> Result<Totals, LintError> {
    let root = governed.root();
    let found = discover::discover(paths, &root.exclude).map_err(LintError::Discover)?;
    let settings = resolve_settings(&found.skills, governed)?;
    let per_skill: Vec<&Settings> = match &settings {
        Some((files, loaded)) => files.iter().map(|f| &loaded[f]).collect(),
        None => vec![root; found.skills.len()],
    };
    sink(Event::Started {
        skills: found.skills.len(),
    })
    .map_err(LintError::Io)?;
    let listings = in_order(&found.skills, &per_skill, mode, sink).map_err(LintError::Io)?;
    // Rules across skills, over the few fields each skill left behind.
    let listings: Vec<Listing> = listings.into_iter().flatten().collect();
    let mut by_listing: BTreeMap<usize, Vec<Diagnostic>> = BTreeMap::new();
    for (i, d) in description_duplicate::check_all(&listings, root) {
        by_listing.entry(i).or_default().push(d);
    }
    for (i, diagnostics) in by_listing {
        let l = &listings[i];
        // Re-read to place the findings; the skill's text was dropped long ago.
        let text = std::fs::read_to_string(l.dir.join(&l.manifest)).unwrap_or_default();
        let checked = Checked {
            dir: l.dir.clone(),
            sources: Sources::with(l.manifest.clone(), text),
            diagnostics,
        };
        sink(Event::Across(checked)).map_err(LintError::Io)?;
    }
    let problems = found
        .problems
        .into_iter()
        .filter(|(p, _)| !found.skills.iter().any(|s| p.starts_with(s)))
        .collect();
    Ok(Totals {
        skills: found.skills.len(),
        problems,
    })
}

type ConfigFiles = (Vec<Option<PathBuf>>, HashMap<Option<PathBuf>, Settings>);

/// Under `Governed::Nearest`, each skill's config file and each file's settings, read
/// once however many skills it governs.
fn resolve_settings(
    skills: &[PathBuf],
    governed: Governed,
) -> Result<Option<ConfigFiles>, LintError> {
    let Governed::Nearest(root, overrides) = governed else {
        return Ok(None);
    };
    let mut finder = ConfigFinder::default();
    let files: Vec<Option<PathBuf>> = skills.iter().map(|d| finder.find(d)).collect();
    let mut loaded: HashMap<Option<PathBuf>, Settings> = HashMap::new();
    for (dir, file) in skills.iter().zip(&files) {
        if loaded.contains_key(file) {
            continue;
        }
        let settings = if *file == root.file {
            root.clone()
        } else {
            Settings::load(dir, file.as_deref(), file.is_none(), overrides)
                .map_err(LintError::Config)?
        };
        loaded.insert(file.clone(), settings);
    }
    Ok(Some((files, loaded)))
}

/// Checks `skills` on worker threads (as many as rayon's pool, so `RAYON_NUM_THREADS`
/// applies) and passes results to `sink` in order. A worker takes the next skill only
/// while it is fewer than `WINDOW` ahead of the oldest one not yet passed on, so at most
/// that many results wait, however many skills there are. Returns each skill's listing.
fn in_order(
    skills: &[PathBuf],
    settings: &[&Settings],
    mode: Mode,
    sink: &mut dyn FnMut(Event) -> std::io::Result<()>,
) -> std::io::Result<Vec<Option<Listing>>> {
    let n = skills.len();
    let threads = rayon::current_num_threads().clamp(1, n.max(1));
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let passed = Mutex::new(0usize);
    let moved = Condvar::new();
    let mut listings: Vec<Option<Listing>> = Vec::with_capacity(n);
    let mut failed = None;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, (SkillResult, Option<Listing>))>();
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, passed, moved) = (&next, &stop, &passed, &moved);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let mut p = passed.lock().unwrap_or_else(|e| e.into_inner());
                while i >= *p + WINDOW && !stop.load(Ordering::Relaxed) {
                    p = moved.wait(p).unwrap_or_else(|e| e.into_inner());
                }
                drop(p);
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let result = lint_one_listed(&skills[i], settings[i], mode);
                if tx.send((i, result)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut waiting: BTreeMap<usize, (SkillResult, Option<Listing>)> = BTreeMap::new();
        'receive: for (i, result) in rx {
            waiting.insert(i, result);
            while let Some((result, listing)) = waiting.remove(&listings.len()) {
                listings.push(listing);
                if let Err(e) = sink(Event::Skill(result)) {
                    failed = Some(e);
                    break 'receive;
                }
                *passed.lock().unwrap_or_else(|e| e.into_inner()) = listings.len();
                moved.notify_all();
            }
        }
        // On a failed sink, workers waiting for room must not wait forever.
        stop.store(true, Ordering::Relaxed);
        let _guard = passed.lock().unwrap_or_else(|e| e.into_inner());
        moved.notify_all();
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(listings),
    }
}

/// Every skill's result of a whole run, for callers that want them all at once.
#[derive(Debug, Default)]
pub struct Linted {
    pub skills: usize,
    /// Per-skill results in discovery order, then the cross-skill findings.
    pub checked: Vec<Checked>,
}

impl Linted {
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.checked.iter().flat_map(|c| &c.diagnostics)
    }
}

/// Lints everything under `paths` with one set of settings and collects the results.
pub fn lint_paths(
    paths: &[PathBuf],
    settings: &Settings,
) -> Result<(Linted, Vec<(PathBuf, String)>), LintError> {
    collect(paths, Governed::All(settings))
}

/// Lints everything under `paths`, each skill with its nearest config, and collects.
pub fn lint_paths_nearest(
    paths: &[PathBuf],
    root: &Settings,
    overrides: &Overrides,
) -> Result<(Linted, Vec<(PathBuf, String)>), LintError> {
    collect(paths, Governed::Nearest(root, overrides))
}

fn collect(
    paths: &[PathBuf],
    governed: Governed,
) -> Result<(Linted, Vec<(PathBuf, String)>), LintError> {
    let mut checked = Vec::new();
    let totals = lint_paths_streaming(paths, governed, Mode::Check, &mut |e| {
        match e {
            Event::Started { .. } => {}
            Event::Skill(r) => checked.push(r.checked),
            Event::Across(c) => checked.push(c),
        }
        Ok(())
    })?;
    Ok((
        Linted {
            skills: totals.skills,
            checked,
        },
        totals.problems,
    ))
}
