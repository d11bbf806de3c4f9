//! Reduce of one skill: a plan is only ever returned verified (faithful and no worse by
//! lint), reducing the result again changes nothing, and every path written stays inside
//! the skill; writing the copy creates nothing outside the output folder.
#![no_main]

#[path = "common.rs"]
mod common;

use std::path::{Component, Path};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use skillpress::reduce::{self, Outcome};

fn contained(rel: &str) -> bool {
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn scratch() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("scratch folder"))
}

fuzz_target!(|data: &[u8]| {
    let Some((manifest, reference)) = common::split(data) else {
        return;
    };
    if manifest.len() > 16 * 1024 {
        return;
    }
    let skill = common::skill(manifest, reference);
    let settings = common::settings();
    let (plan, report) = reduce::reduce(&skill, settings);
    if report.outcome != Outcome::Reduced {
        assert!(plan.is_empty(), "a plan without a passing check");
        return;
    }
    for rel in plan.write.keys().chain(&plan.remove) {
        assert!(contained(rel), "plan writes {rel:?}");
    }
    let after = reduce::apply(&skill, &plan);
    // Held to the skill reduce worked on (the original, or its safely fixed YAML).
    let base = reduce::prepared(&skill, settings);
    assert_eq!(
        reduce::verify(base.as_ref().unwrap_or(&skill), &after, settings),
        Outcome::Reduced
    );
    let (again, _) = reduce::reduce(&after, settings);
    assert!(
        again.is_empty(),
        "reducing the result changed it again: {:?}",
        again.write.keys().collect::<Vec<_>>()
    );
    // The copy: files written only under the output folder. The in-memory skill has no
    // files on disk to copy, so write the plan's texts alone.
    let root = scratch().path();
    let out = root.join("out");
    let texts_only = reduce::Plan {
        write: plan.write.clone(),
        remove: Vec::new(),
    };
    let memory = skillpress::skill::Skill::from_parts(
        root.join("in"),
        "SKILL.md".into(),
        skill.text.clone(),
        Vec::new(),
    );
    std::fs::create_dir_all(root.join("in")).expect("in");
    std::fs::write(root.join("in/SKILL.md"), &skill.text).expect("write in");
    reduce::write::to_dir(&memory, &texts_only, &out, "fuzz-skill").expect("write the copy");
    let names: Vec<_> = std::fs::read_dir(root)
        .expect("list")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        names.iter().all(|n| n == "out" || n == "in"),
        "wrote outside: {names:?}"
    );
    let _ = std::fs::remove_dir_all(&out);
});
