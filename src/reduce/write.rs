//! Writing a verified plan: a full copy under `--out DIR` that never leaves DIR, an
//! `--in-place` rewrite, or a unified diff that writes nothing. Writes are transactions:
//! a skill's files are staged completely beside their destination and moved into place
//! only once every one of them was written.

use std::io;
use std::path::{Component, Path, PathBuf};

use super::Plan;
use crate::skill::{LoadProblem, Skill};

/// Whether `rel` is a plain relative path that stays below its base.
fn contained(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// `base/rel`, refusing paths that would leave `base` lexically or through a symlink
/// already present under it.
fn target(base: &Path, rel: &str) -> io::Result<PathBuf> {
    if !contained(rel) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write `{rel}`: it is not a path inside the output folder"),
        ));
    }
    let path = base.join(rel);
    let base_real = std::fs::canonicalize(base)?;
    // Every existing ancestor must resolve inside the base.
    let mut probe = path.parent();
    while let Some(dir) = probe {
        if dir.exists() {
            let real = std::fs::canonicalize(dir)?;
            if !real.starts_with(&base_real) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "refusing to write `{rel}`: {} leads outside the output folder",
                        dir.display()
                    ),
                ));
            }
            break;
        }
        probe = dir.parent();
    }
    if path.is_symlink() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write `{rel}`: it is a symbolic link"),
        ));
    }
    Ok(path)
}

/// Line breaks of a text: CRLF when most of its line breaks are.
pub fn is_crlf(text: &str) -> bool {
    let breaks = text.matches('\n').count();
    breaks > 0 && text.matches("\r\n").count() * 2 > breaks
}

/// `text` with every bare `\n` turned into `\r\n`.
fn to_crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev = '\0';
    for c in text.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// The plan with each file's line breaks following the input's: a rewritten file keeps
/// its own, a new file takes the manifest's. Reduce builds its text with `\n`; a CRLF
/// skill must not come out with mixed line breaks.
pub fn with_line_endings(skill: &Skill, mut plan: Plan) -> Plan {
    let manifest_crlf = is_crlf(&skill.text);
    for (rel, text) in plan.write.iter_mut() {
        let crlf = if *rel == skill.manifest {
            manifest_crlf
        } else {
            match skill.file(rel).and_then(|f| f.text.as_deref()) {
                Some(old) => is_crlf(old),
                None => manifest_crlf,
            }
        };
        if crlf {
            *text = to_crlf(text);
        }
    }
    plan
}

/// A file of the staged output: what goes at `rel`.
enum Source<'a> {
    Text(&'a str),
    /// An unchanged file of the skill, copied with its permissions.
    Copy(PathBuf),
}

/// Files a copy leaves out, with why: symbolic links out of the skill are never followed.
pub fn left_out(skill: &Skill) -> Vec<(String, String)> {
    skill
        .files
        .iter()
        .filter_map(|f| match &f.problem {
            Some(p @ LoadProblem::Outside { .. }) => Some((f.rel.clone(), p.describe())),
            Some(p @ LoadProblem::Walk(_)) => Some((
                if f.rel.is_empty() {
                    "a file".to_string()
                } else {
                    f.rel.clone()
                },
                p.describe(),
            )),
            _ => None,
        })
        .collect()
}

/// Everything `skill` with `plan` applied consists of: the plan's texts, and every
/// other file copied whatever its size or kind, except links leaving the skill.
fn contents<'a>(skill: &'a Skill, plan: &'a Plan) -> Vec<(String, Source<'a>)> {
    let mut out = Vec::new();
    match plan.write.get(&skill.manifest) {
        Some(t) => out.push((skill.manifest.clone(), Source::Text(t))),
        None => out.push((
            skill.manifest.clone(),
            Source::Copy(skill.dir.join(&skill.manifest)),
        )),
    }
    for f in &skill.files {
        let skipped = matches!(
            f.problem,
            Some(LoadProblem::Outside { .. } | LoadProblem::Walk(_))
        );
        if skipped
            || f.rel.is_empty()
            || plan.remove.contains(&f.rel)
            || plan.write.contains_key(&f.rel)
        {
            continue;
        }
        out.push((f.rel.clone(), Source::Copy(skill.dir.join(&f.rel))));
    }
    for (rel, text) in &plan.write {
        if rel != &skill.manifest {
            out.push((rel.clone(), Source::Text(text)));
        }
    }
    out
}

/// A set of files written completely into a temporary folder beside their destination,
/// then moved into place only when every one was written. Dropped uncommitted, it
/// leaves nothing behind.
struct Stage {
    dir: tempfile::TempDir,
    files: Vec<String>,
}

impl Stage {
    /// A stage inside `near` (an existing folder on the destination's file system).
    fn new(near: &Path) -> io::Result<Stage> {
        let dir = tempfile::Builder::new()
            .prefix(".skillpress-stage-")
            .tempdir_in(near)?;
        Ok(Stage {
            dir,
            files: Vec::new(),
        })
    }

    /// Writes one file. A new text file is created the ordinary way, so it gets the
    /// umask's mode; `mode_of` names an existing file whose permissions it takes over.
    fn put(&mut self, rel: &str, source: &Source, mode_of: Option<&Path>) -> io::Result<()> {
        if !contained(rel) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write `{rel}`: it is not a path inside the skill"),
            ));
        }
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        match source {
            Source::Text(t) => {
                std::fs::write(&path, t.as_bytes())?;
                if let Some(meta) = mode_of.and_then(|p| std::fs::metadata(p).ok()) {
                    std::fs::set_permissions(&path, meta.permissions())?;
                }
            }
            Source::Copy(from) => {
                std::fs::copy(from, &path)
                    .map_err(|e| io::Error::new(e.kind(), format!("cannot copy `{rel}`: {e}")))?;
            }
        }
        self.files.push(rel.to_string());
        Ok(())
    }

    /// Moves every staged file to `base/sub/rel`, after checking that no target leaves
    /// `base` or is a link or a folder.
    fn commit(self, base: &Path, sub: &str) -> io::Result<usize> {
        let join = |rel: &str| {
            if sub.is_empty() {
                rel.to_string()
            } else {
                format!("{sub}/{rel}")
            }
        };
        let mut targets = Vec::with_capacity(self.files.len());
        for rel in &self.files {
            let path = target(base, &join(rel))?;
            if path.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("refusing to write `{}`: it is a folder", path.display()),
                ));
            }
            targets.push(path);
        }
        for (rel, path) in self.files.iter().zip(&targets) {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            // Folders just created cannot be links, but check again all the same.
            target(base, &join(rel))?;
            std::fs::rename(self.dir.path().join(rel), path)?;
        }
        Ok(targets.len())
    }
}

/// Writes a full copy of `skill` with `plan` applied to `out/sub` (a `/`-separated path
/// inside `out`). Every file is staged first; nothing lands unless all of them could be
/// written, and nothing is written outside `out`. Returns the number of files written.
pub fn to_dir(skill: &Skill, plan: &Plan, out: &Path, sub: &str) -> io::Result<usize> {
    if !sub.is_empty() && !contained(sub) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write to `{sub}`: it is not a path inside the output folder"),
        ));
    }
    std::fs::create_dir_all(out)?;
    let mut stage = Stage::new(out)?;
    for (rel, source) in contents(skill, plan) {
        stage.put(&rel, &source, None)?;
    }
    stage.commit(out, sub)
}

/// Applies `plan` to the skill's own folder: every new text staged in the folder, then
/// each moved into place (a rename, atomic per file) once all were written, keeping the
/// permissions of the file it replaces; removed references are deleted last.
pub fn in_place(skill: &Skill, plan: &Plan) -> io::Result<()> {
    for rel in &plan.remove {
        target(&skill.dir, rel)?;
    }
    let mut stage = Stage::new(&skill.dir)?;
    for (rel, text) in &plan.write {
        let existing = skill.dir.join(rel);
        stage.put(rel, &Source::Text(text), Some(&existing))?;
    }
    stage.commit(&skill.dir, "")?;
    for rel in &plan.remove {
        std::fs::remove_file(target(&skill.dir, rel)?)?;
    }
    Ok(())
}

/// A unified diff of every file the plan touches, paths shown under `shown`.
pub fn diff(skill: &Skill, plan: &Plan, shown: &str) -> String {
    let mut out = String::new();
    let old_text = |rel: &str| -> String {
        if rel == skill.manifest {
            skill.text.clone()
        } else {
            skill
                .file(rel)
                .and_then(|f| f.text.clone())
                .unwrap_or_default()
        }
    };
    let join = |rel: &str| crate::render::display_path(Path::new(shown), rel);
    for (rel, text) in &plan.write {
        let exists = rel == &skill.manifest || skill.file(rel).is_some();
        let before = old_text(rel);
        let d = similar::TextDiff::from_lines(before.as_str(), text.as_str());
        let old_name = if exists {
            format!("a/{}", join(rel))
        } else {
            "/dev/null".to_string()
        };
        out.push_str(
            &d.unified_diff()
                .context_radius(3)
                .header(&old_name, &format!("b/{}", join(rel)))
                .to_string(),
        );
    }
    for rel in &plan.remove {
        let before = old_text(rel);
        let d = similar::TextDiff::from_lines(before.as_str(), "");
        out.push_str(
            &d.unified_diff()
                .context_radius(3)
                .header(&format!("a/{}", join(rel)), "/dev/null")
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_are_refused() {
        for bad in ["../x.md", "/etc/passwd", "a/../../x", "", "./"] {
            assert!(!contained(bad), "{bad}");
        }
        for good in ["SKILL.md", "references/a.md", "a/b/c.txt"] {
            assert!(contained(good), "{good}");
        }
    }

    #[test]
    fn symlinked_folder_out_of_dest_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("out");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&dest).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, dest.join("references")).unwrap();
        let err = target(&dest, "references/x.md").unwrap_err();
        assert!(
            err.to_string().contains("outside the output folder"),
            "{err}"
        );
        assert!(target(&dest, "SKILL.md").is_ok());
    }
}
