//! Finds skills: walks the given paths in parallel (hidden folders included, `.git`
//! excluded, `.gitignore` and `.skillpressignore` respected, symlinks followed with loop
//! detection) and maps explicit files to the skill that holds them, once each.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

/// The walker every part of skillpress uses, so discovery and a skill's file list agree.
pub fn walk_builder(root: &Path) -> WalkBuilder {
    let mut b = WalkBuilder::new(root);
    b.hidden(false)
        .follow_links(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .ignore(true)
        .parents(true)
        .add_custom_ignore_filename(".skillpressignore")
        .filter_entry(|e| e.file_name() != ".git");
    b
}

/// The files by which a folder above a walk's root changes what the walk sees (see
/// [`walk_builder`]: ignore files, and a repository's `.git/info/exclude`).
const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore", ".skillpressignore", ".git"];

/// Whether any folder strictly above `dir` (canonical) holds an ignore file, so a walk
/// from `dir` must read its parents. Each folder is looked in once per process.
pub fn ignores_above(dir: &Path) -> bool {
    static SEEN: std::sync::LazyLock<Mutex<std::collections::HashMap<PathBuf, bool>>> =
        std::sync::LazyLock::new(Default::default);
    let Some(parent) = dir.parent() else {
        return false;
    };
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let mut looked: Vec<&Path> = Vec::new();
    let mut found = false;
    for folder in parent.ancestors() {
        if let Some(&known) = seen.get(folder) {
            found = known;
            break;
        }
        looked.push(folder);
        if IGNORE_FILES
            .iter()
            .any(|name| std::fs::symlink_metadata(folder.join(name)).is_ok())
        {
            found = true;
            break;
        }
    }
    for folder in looked {
        seen.insert(folder.to_path_buf(), found);
    }
    found
}

/// Whether `dir` holds a skill manifest.
pub fn is_skill_dir(dir: &Path) -> bool {
    dir.join("SKILL.md").is_file() || dir.join("skill.md").is_file()
}

/// The path a walk error is about, when it names one.
pub fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

pub fn describe_walk_error(err: &ignore::Error) -> String {
    match err {
        ignore::Error::Loop { ancestor, .. } => format!(
            "is a symbolic link that loops back to {}; not followed",
            ancestor.display()
        ),
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            describe_walk_error(err)
        }
        other => other.to_string(),
    }
}

#[derive(Debug, Default)]
pub struct Discovery {
    /// Skill folders, sorted, each once.
    pub skills: Vec<PathBuf>,
    /// Paths the walk could not enter, with why (outside any skill's own file list), and
    /// each given path that holds no skill, with a reason starting with [`NO_SKILL`].
    pub problems: Vec<(PathBuf, String)>,
    /// The given paths that hold no skill, with why.
    pub empty: Vec<(PathBuf, String)>,
}

/// How the reason for a given path that holds no skill starts.
pub const NO_SKILL: &str = "no skill";

/// Whether a problem is a given path that holds no skill (a tool error for the caller).
pub fn is_no_skill(why: &str) -> bool {
    why.starts_with(NO_SKILL)
}

#[derive(Debug)]
pub enum DiscoverError {
    NotFound(PathBuf),
}

impl std::fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiscoverError::NotFound(p) => write!(f, "{}: no such file or directory", p.display()),
        }
    }
}

impl std::error::Error for DiscoverError {}

/// Finds the skills under or around each of `paths`. `exclude` is matched against paths
/// relative to the root they were found under.
pub fn discover(paths: &[PathBuf], exclude: &GlobSet) -> Result<Discovery, DiscoverError> {
    let mut found: BTreeMap<PathBuf, PathBuf> = BTreeMap::new(); // canonical -> as shown
    let mut problems = Vec::new();
    let mut empty = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|_| DiscoverError::NotFound(path.clone()))?;
        if meta.is_file() {
            match enclosing_skill(path.parent().unwrap_or(Path::new("."))) {
                Some(dir) => insert(&mut found, dir),
                None => empty.push((
                    path.clone(),
                    format!("{NO_SKILL}: the file is not inside a skill (no SKILL.md in its folder or above)"),
                )),
            }
            continue;
        }
        if !meta.is_dir() {
            empty.push((
                path.clone(),
                format!("{NO_SKILL}: not a folder, a SKILL.md or a file inside a skill"),
            ));
            continue;
        }
        let (skills, mut errs) = walk(path, exclude);
        let unreadable = errs.len();
        problems.append(&mut errs);
        if skills.is_empty() {
            match enclosing_skill(path) {
                Some(dir) => insert(&mut found, dir),
                None if std::fs::read_dir(path).is_err() => empty.push((
                    path.clone(),
                    format!("{NO_SKILL}: the folder cannot be read; check its permissions"),
                )),
                None if unreadable > 0 => empty.push((
                    path.clone(),
                    format!("{NO_SKILL} found: {unreadable} folder(s) under it could not be read (see above)"),
                )),
                None => empty.push((
                    path.clone(),
                    format!("{NO_SKILL} found: no folder at or under it holds a SKILL.md"),
                )),
            }
        }
        for dir in skills {
            insert(&mut found, dir);
        }
    }
    let mut skills: Vec<PathBuf> = found.into_values().collect();
    skills.sort();
    skills.dedup();
    problems.sort();
    // After the walk problems, so a reason that says "see above" follows what it means.
    problems.extend(empty.iter().cloned());
    Ok(Discovery {
        skills,
        problems,
        empty,
    })
}

fn insert(found: &mut BTreeMap<PathBuf, PathBuf>, dir: PathBuf) {
    let key = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
    found.entry(key).or_insert(dir);
}

/// The nearest folder at or above `start` that holds a manifest.
fn enclosing_skill(start: &Path) -> Option<PathBuf> {
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let abs = std::fs::canonicalize(start).ok()?;
    let mut shown = start.to_path_buf();
    for dir in abs.ancestors() {
        if is_skill_dir(dir) {
            return Some(clean(&shown));
        }
        shown = shown_parent(&shown);
    }
    None
}

/// The parent of a path as the user would write it: `a/b` → `a`, `a` → `.`, `.` → `..`.
/// A trailing symbolic link gets `/..` instead, which the system resolves through the link
/// as `canonicalize` did; dropping the name would lead somewhere else.
fn shown_parent(p: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    match (p.components().next_back(), p.parent()) {
        (Some(Component::Normal(_)), Some(parent)) if !is_link => {
            if parent.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                parent.to_path_buf()
            }
        }
        _ => p.join(".."),
    }
}

/// Drops a leading `./` so paths print the way people type them.
fn clean(p: &Path) -> PathBuf {
    let s = p.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    PathBuf::from(if s.is_empty() { "." } else { s })
}

fn walk(root: &Path, exclude: &GlobSet) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let skills = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    let mut builder = walk_builder(root);
    if !exclude.is_empty() {
        let exclude = exclude.clone();
        let root = root.to_path_buf();
        builder.filter_entry(move |e| {
            if e.file_name() == ".git" {
                return false;
            }
            let rel = e.path().strip_prefix(&root).unwrap_or(e.path());
            !exclude.is_match(rel)
        });
    }
    let visit = |entry: Result<ignore::DirEntry, ignore::Error>| match entry {
        Ok(e) => {
            let name = e.file_name();
            if (name == "SKILL.md" || name == "skill.md")
                && e.file_type().is_some_and(|t| t.is_file())
            {
                if let Some(parent) = e.path().parent() {
                    skills.lock().unwrap().push(clean(parent));
                }
            }
        }
        Err(err) => {
            // Cleaned like skill paths, so `lint_paths` can tell which skill holds it.
            let path = clean(&error_path(&err).unwrap_or_else(|| root.to_path_buf()));
            problems
                .lock()
                .unwrap()
                .push((path, describe_walk_error(&err)));
        }
    };
    // A skill folder is a handful of files: the parallel walker's idle workers sleep a
    // millisecond at a time waiting for work, most of a cold single-skill run. A tree of
    // skills is walked in parallel. Either way the skills are sorted by the caller.
    if root.join("SKILL.md").is_file() || root.join("skill.md").is_file() {
        builder.build().for_each(visit);
    } else {
        builder.threads(rayon::current_num_threads().min(8));
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                visit(entry);
                WalkState::Continue
            })
        });
    }
    (skills.into_inner().unwrap(), problems.into_inner().unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_deep_in_a_skill_maps_to_the_folder_without_dot_dots() {
        let tmp = tempfile::tempdir().unwrap();
        let deep = tmp.path().join("s/references/deep");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(tmp.path().join("s/SKILL.md"), "# s\n").unwrap();
        std::fs::write(deep.join("x.md"), "x\n").unwrap();
        assert_eq!(enclosing_skill(&deep), Some(tmp.path().join("s")));
        assert_eq!(shown_parent(Path::new("a/b")), Path::new("a"));
        assert_eq!(shown_parent(Path::new("a")), Path::new("."));
        assert_eq!(shown_parent(Path::new(".")), Path::new("./.."));
        assert_eq!(shown_parent(Path::new("..")), Path::new("../.."));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_folder_is_left_through_the_link() {
        let tmp = tempfile::tempdir().unwrap();
        let refs = tmp.path().join("s/references");
        std::fs::create_dir_all(&refs).unwrap();
        std::fs::write(tmp.path().join("s/SKILL.md"), "# s\n").unwrap();
        std::fs::create_dir(tmp.path().join("other")).unwrap();
        let link = tmp.path().join("other/refs");
        std::os::unix::fs::symlink(&refs, &link).unwrap();
        let found = enclosing_skill(&link).unwrap();
        assert_eq!(found, link.join(".."));
        assert!(is_skill_dir(&found));
    }
}
