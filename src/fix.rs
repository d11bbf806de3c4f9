//! The one engine that applies fixes: safe edits of a skill's files, applied as
//! whole fixes of non-overlapping byte-range edits, re-linted and re-applied until nothing
//! changes.
//! A round that would leave a frontmatter that no longer parses is thrown away, and files
//! are written atomically (temporary file in the same folder, then rename).

use std::io::Write;
use std::path::Path;

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Edit, Fix, Safety};
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

/// Applies whole fixes: a fix goes in with all its edits or not at all, and only when
/// none of its edits overlaps an edit already taken (two insertions at one point count as
/// overlapping, since their order would be a guess). This is the one place overlap is
/// checked. Returns the new text and how many fixes went in; the rest wait for the next
/// round.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let valid = |e: &Edit| {
        e.range.start <= e.range.end
            && e.range.end <= text.len()
            && text.is_char_boundary(e.range.start)
            && text.is_char_boundary(e.range.end)
    };
    let overlap = |a: &Edit, b: &Edit| {
        a.range.start < b.range.end && b.range.start < a.range.end || a.range == b.range
    };
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let edits = &fix.edits;
        let whole = !edits.is_empty()
            && edits.iter().all(valid)
            && edits.iter().enumerate().all(|(i, e)| {
                !taken.iter().any(|t| overlap(e, t)) && !edits[..i].iter().any(|o| overlap(e, o))
            });
        if whole {
            taken.extend(edits.iter());
            applied += 1;
        }
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in taken {
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.replacement);
        pos = e.range.end;
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

/// What the fix rounds over one skill came to.
#[derive(Debug)]
pub struct Fixed {
    pub outcome: Outcome,
    /// The skill as fixed, when a fix changed its manifest.
    pub skill: Option<Skill>,
    /// The diagnostics of the input, from the first round.
    pub first: Vec<Diagnostic>,
    /// The diagnostics of the last round: of the fixed skill, or of the input when
    /// nothing changed. A fresh lint of the fixed skill would find the same.
    pub last: Vec<Diagnostic>,
}

/// Fixes the manifest of `skill` in memory; only the outcome (kept for reduce).
pub fn fix_skill(skill: Skill, settings: &Settings) -> Outcome {
    fix_rounds(&skill, settings).outcome
}

/// Fixes the manifest of `skill` in memory, round after round, until no safe fix is left,
/// with `settings` (the skill's own, from its nearest config).
pub fn fix_rounds(skill: &Skill, settings: &Settings) -> Fixed {
    let parsed_before = frontmatter_parses(&skill.text);
    let mut current: Option<Skill> = None;
    let mut first: Option<Vec<Diagnostic>> = None;
    let mut applied = 0;
    let mut converged = false;
    let mut diags = Vec::new();
    for round in 0..=MAX_ROUNDS {
        let now = current.as_ref().unwrap_or(skill);
        diags = check_skill(now, settings);
        if first.is_none() {
            first = Some(diags.clone());
        }
        let fixes: Vec<&Fix> = diags
            .iter()
            .filter(|d| d.file == now.manifest)
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.safety == Safety::Safe)
            .collect();
        if fixes.is_empty() {
            converged = true;
            break;
        }
        if round == MAX_ROUNDS {
            break;
        }
        let (next, fixes) = apply_fixes(&now.text, &fixes);
        if next == now.text || (parsed_before && !frontmatter_parses(&next)) {
            // A fix that changes nothing or breaks the YAML is not progress; stop here.
            break;
        }
        applied += fixes;
        current = Some(Skill::from_parts(
            now.dir.clone(),
            now.manifest.clone(),
            next,
            now.files.clone(),
        ));
    }
    let fixed = current.as_ref().map_or(&skill.text, |s| &s.text).clone();
    Fixed {
        outcome: Outcome {
            original: skill.text.clone(),
            fixed,
            applied,
            converged,
        },
        skill: current,
        first: first.unwrap_or_default(),
        last: diags,
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

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix::safe("test", edits)
    }

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let b = fix(vec![edit(4..5, "E")]);
        let a = fix(vec![edit(0..1, "A")]);
        let c = fix(vec![edit(0..2, "XX")]);
        let (out, n) = apply_fixes("abcde", &[&b, &a, &c]);
        assert_eq!(out, "AbcdE");
        assert_eq!(n, 2);
    }

    #[test]
    fn a_fix_applies_whole_or_not_at_all() {
        let first = fix(vec![edit(2..3, "C")]);
        // Its second edit overlaps the first fix: none of its edits may go in.
        let partly = fix(vec![edit(0..1, "A"), edit(2..4, "ZZ")]);
        let (out, n) = apply_fixes("abcde", &[&first, &partly]);
        assert_eq!((out.as_str(), n), ("abCde", 1));
        // Nor one whose own edits overlap each other, nor one with an edit off the text.
        let selfish = fix(vec![edit(0..2, "A"), edit(1..3, "B")]);
        let off = fix(vec![edit(0..1, "A"), edit(9..12, "B")]);
        let (out, n) = apply_fixes("abcde", &[&selfish, &off]);
        assert_eq!((out.as_str(), n), ("abcde", 0));
    }

    #[test]
    fn ignores_edits_off_the_text_or_inside_a_character() {
        let bad = fix(vec![edit(1..2, "x")]);
        let far = fix(vec![edit(10..12, "x")]);
        let (out, n) = apply_fixes("é", &[&bad, &far]);
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
