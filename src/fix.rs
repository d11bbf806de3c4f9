//! The one engine that applies fixes: safe edits of a skill's files, applied as
//! non-overlapping byte-range edits, re-linted and re-applied until nothing changes.
//! A round that would leave a frontmatter that no longer parses is thrown away, and files
//! are written atomically (temporary file in the same folder, then rename).

use std::io::Write;
use std::path::Path;

use crate::config::Settings;
use crate::diagnostic::{Edit, Safety};
use crate::lint::check_skill;
use crate::skill::{FrontmatterState, Skill};

/// Rounds before giving up; each round applies every non-overlapping fix it can.
const MAX_ROUNDS: usize = 16;

/// What fixing one skill's manifest came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub original: String,
    pub fixed: String,
    pub applied: usize,
    /// False when fixes were still on offer after the last round.
    pub converged: bool,
}

impl Outcome {
    pub fn changed(&self) -> bool {
        self.original != self.fixed
    }
}

/// Applies edits that do not overlap, in order of position; returns the new text and how
/// many edits went in. Overlapping edits are left for the next round.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits
        .iter()
        .copied()
        .filter(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        })
        .collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut applied = 0;
    for e in sorted {
        if e.range.start < pos {
            continue;
        }
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.replacement);
        pos = e.range.end;
        applied += 1;
    }
    out.push_str(&text[pos..]);
    (out, applied)
}

/// Whether the frontmatter of `text` is present and strictly parses.
fn frontmatter_parses(text: &str) -> bool {
    match crate::skill::frontmatter::parse(text).0 {
        FrontmatterState::Present(f) => f.strict.is_ok(),
        _ => false,
    }
}

/// Fixes the manifest of `skill` in memory, round after round, until no safe fix is left.
pub fn fix_skill(skill: Skill, settings: &Settings) -> Outcome {
    let original = skill.text.clone();
    let parsed_before = frontmatter_parses(&original);
    let mut skill = skill;
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let diags = check_skill(&skill, settings);
        // One fix is all-or-nothing: take a fix only when none of its edits overlap an
        // edit already taken this round.
        let mut taken: Vec<&Edit> = Vec::new();
        let mut fixes = 0;
        for d in &diags {
            let Some(fix) = &d.fix else { continue };
            if fix.safety != Safety::Safe || d.file != skill.manifest {
                continue;
            }
            let overlaps = fix.edits.iter().any(|e| {
                taken.iter().any(|t| {
                    e.range.start < t.range.end && t.range.start < e.range.end || e.range == t.range
                })
            });
            if !overlaps {
                taken.extend(fix.edits.iter());
                fixes += 1;
            }
        }
        if taken.is_empty() {
            return Outcome {
                fixed: skill.text.clone(),
                original,
                applied,
                converged: true,
            };
        }
        let (next, _) = apply_edits(&skill.text, &taken);
        if next == skill.text || (parsed_before && !frontmatter_parses(&next)) {
            // A fix that changes nothing or breaks the YAML is not progress; stop here.
            break;
        }
        applied += fixes;
        let Skill {
            dir,
            manifest,
            files,
            ..
        } = skill;
        skill = Skill::from_parts(dir, manifest, next, files);
    }
    Outcome {
        fixed: skill.text.clone(),
        original,
        applied,
        converged: false,
    }
}

/// Replaces `path`'s content atomically: a temporary file beside it, then a rename, so a
/// crash leaves either the old or the new file, never half of one.
pub fn write_atomic(path: &Path, content: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(content.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A unified diff of one file's fix, with `a/` and `b/` paths as git shows them.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: std::ops::Range<usize>, s: &str) -> Edit {
        Edit {
            range,
            replacement: s.to_string(),
        }
    }

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let a = edit(0..1, "A");
        let b = edit(4..5, "E");
        let c = edit(0..2, "XX");
        let (out, n) = apply_edits("abcde", &[&b, &a, &c]);
        assert_eq!(out, "AbcdE");
        assert_eq!(n, 2);
    }

    #[test]
    fn ignores_edits_off_the_text_or_inside_a_character() {
        let bad = edit(1..2, "x");
        let far = edit(10..12, "x");
        let (out, n) = apply_edits("é", &[&bad, &far]);
        assert_eq!((out.as_str(), n), ("é", 0));
    }

    #[test]
    fn atomic_write_replaces_content() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("SKILL.md");
        std::fs::write(&p, "old").unwrap();
        write_atomic(&p, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
    }

    #[test]
    fn diff_has_git_headers() {
        let d = unified_diff("x/SKILL.md", "a\nb\n", "a\nc\n");
        assert!(
            d.contains("--- a/x/SKILL.md") && d.contains("+c") && d.contains("-b"),
            "{d}"
        );
    }
}

/// One skill's fix, with where its manifest lives.
#[derive(Debug)]
pub struct FileFix {
    pub path: std::path::PathBuf,
    pub outcome: Outcome,
}

/// Fixes every skill in `dirs` in parallel; with `write`, changed manifests are written.
/// Skills whose manifest cannot be read are left alone (lint reports them).
pub fn fix_dirs(
    dirs: &[std::path::PathBuf],
    settings: &Settings,
    write: bool,
) -> Vec<std::io::Result<FileFix>> {
    use rayon::prelude::*;
    let mut out: Vec<std::io::Result<FileFix>> = dirs
        .par_iter()
        .filter_map(|dir| {
            let skill = Skill::load(dir).ok()?;
            let path = dir.join(&skill.manifest);
            let outcome = fix_skill(skill, settings);
            if !outcome.changed() {
                return None;
            }
            if write {
                if let Err(e) = write_atomic(&path, &outcome.fixed) {
                    return Some(Err(std::io::Error::new(
                        e.kind(),
                        format!("{}: {e}", path.display()),
                    )));
                }
            }
            Some(Ok(FileFix { path, outcome }))
        })
        .collect();
    out.sort_by(|a, b| match (a, b) {
        (Ok(a), Ok(b)) => a.path.cmp(&b.path),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        (Err(a), Err(b)) => a.to_string().cmp(&b.to_string()),
    });
    out
}
