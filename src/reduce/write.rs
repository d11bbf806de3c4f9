//! Writing a verified plan: a full copy under `--out DIR` that never leaves DIR, an
//! atomic `--in-place` rewrite, or a unified diff that writes nothing.

use std::io;
use std::path::{Component, Path, PathBuf};

use super::Plan;
use crate::skill::Skill;

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

/// Writes a full copy of `skill` with `plan` applied into `dest` (created). Scripts,
/// assets and every other file are copied unchanged; nothing is written outside `dest`.
pub fn to_dir(skill: &Skill, plan: &Plan, dest: &Path) -> io::Result<usize> {
    std::fs::create_dir_all(dest)?;
    let mut written = 0;
    let mut put = |rel: &str, bytes: &[u8]| -> io::Result<()> {
        let path = target(dest, rel)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
            target(dest, rel)?; // re-check now the folders exist
        }
        std::fs::write(&path, bytes)?;
        written += 1;
        Ok(())
    };
    let manifest = plan
        .write
        .get(&skill.manifest)
        .map_or(skill.text.as_bytes(), |t| t.as_bytes());
    put(&skill.manifest, manifest)?;
    for f in &skill.files {
        if plan.remove.contains(&f.rel) || plan.write.contains_key(&f.rel) || f.problem.is_some() {
            continue;
        }
        let bytes = std::fs::read(skill.dir.join(&f.rel))?;
        put(&f.rel, &bytes)?;
    }
    for (rel, text) in &plan.write {
        if rel != &skill.manifest {
            put(rel, text.as_bytes())?;
        }
    }
    Ok(written)
}

/// Applies `plan` to the skill's own folder: each file replaced atomically, new files
/// created the same way, removed references deleted last.
pub fn in_place(skill: &Skill, plan: &Plan) -> io::Result<()> {
    for (rel, text) in &plan.write {
        let path = target(&skill.dir, rel)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        crate::fix::write_atomic(&path, text)?;
    }
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
