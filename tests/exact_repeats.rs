//! B003 and B004 read a body's exact repeats from the exact checks alone when no rule
//! has classified it; these must be the very blocks the full classification calls exact
//! repeats, or lint output would depend on which rules ran.

mod common;

use std::path::{Path, PathBuf};

use skillpress::classify::{self, ExactRepeat};
use skillpress::skill::Skill;

fn from_classification(skill: &Skill) -> Vec<ExactRepeat> {
    classify::classify(skill)
        .into_iter()
        .filter(|c| c.exact_repeat)
        .filter_map(|c| {
            Some(ExactRepeat {
                block: c.block,
                range: c.range,
                repeat: c.repeats?,
            })
        })
        .collect()
}

/// Every folder under `root` holding a `SKILL.md`, sorted.
fn skill_dirs(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() && !p.is_symlink() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "SKILL.md") {
                out.push(dir.clone());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Compares both ways on every `step`-th skill under `root`; returns how many repeats
/// were seen.
fn agree_under(root: &Path, step: usize) -> usize {
    let mut seen = 0;
    for dir in skill_dirs(root).into_iter().step_by(step) {
        let Ok(skill) = Skill::load(&dir) else {
            continue;
        };
        let light = classify::exact_repeats(&skill);
        assert_eq!(light, from_classification(&skill), "{}", dir.display());
        seen += light.len();
    }
    seen
}

#[test]
fn the_exact_checks_alone_find_the_classifications_exact_repeats() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    agree_under(&here.join("testdata"), 1);
    let Some(shared) = common::shared("exact_repeats", "corpus") else {
        return;
    };
    let seen =
        agree_under(&shared.join("corpus"), 5) + agree_under(&shared.join("marketplace"), 25);
    // The corpus is full of repeats; none found would mean the comparison saw nothing.
    assert!(seen > 100, "only {seen} exact repeats compared");
}
