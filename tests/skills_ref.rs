//! The agentskills reference validator's own test cases (skills-ref/tests/test_validator.py,
//! and the cases of test_parser.py that bear on lint), ported as fixtures under
//! `testdata/skills-ref/<case>/<folder>/`. Each case's `verdict` file quotes the reference's
//! assertion and lists the error codes skillpress must report: a verdict agrees when the
//! errors are exactly those (K001, a warning by design, stands in for the reference's
//! "Unexpected fields" error). All rules run at their default severities.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use skillpress::config::{Overrides, Settings};
use skillpress::diagnostic::Severity;

fn cases() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/skills-ref");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// The codes the case's `verdict` file expects, and the reference assertion it quotes.
fn verdict(dir: &Path) -> (BTreeSet<String>, String) {
    let text = std::fs::read_to_string(dir.join("verdict")).unwrap();
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap_or_else(|| panic!("{}: no `{key}` line", dir.display()))
            .trim()
            .to_string()
    };
    let codes = field("errors:")
        .split_whitespace()
        .map(String::from)
        .collect();
    (codes, field("reference:"))
}

#[test]
fn every_reference_verdict_agrees() {
    let settings =
        Settings::load(Path::new("."), None, true, &Overrides::default()).expect("settings");
    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases found", cases.len());
    let mut disagreements = Vec::new();
    for (case, dir) in &cases {
        let (expected, reference) = verdict(dir);
        let (linted, _) =
            skillpress::lint::lint_paths(std::slice::from_ref(dir), &settings).unwrap();
        let findings =
            skillpress::render::Report::of(&linted.checked, linted.skills, false).findings;
        let reported: BTreeSet<String> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error || f.code == "K001")
            .map(|f| f.code.to_string())
            .collect();
        if reported != expected {
            disagreements.push(format!(
                "{case} ({reference}): expected {expected:?}, skillpress reports {reported:?}"
            ));
        }
        insta::assert_json_snapshot!(case.as_str(), common::findings_json(&findings));
    }
    assert!(
        disagreements.is_empty(),
        "verdicts that disagree with the reference:\n{}",
        disagreements.join("\n")
    );
}

fn lint(path: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(["lint", "--no-config"])
        .arg(path)
        .output()
        .expect("run skillpress");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().expect("exited"), text)
}

/// test_nonexistent_path: a path that does not exist is a tool error naming it.
#[test]
fn nonexistent_path_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nonexistent");
    let (code, text) = lint(&missing);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("nonexistent"), "{text}");
}

/// test_not_a_directory and test_missing_skill_md: an explicit path that is not a skill is
/// a tool error naming it.
#[test]
fn explicit_paths_that_are_not_skills_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file.txt");
    std::fs::write(&file, "test").unwrap();
    let (code, text) = lint(&file);
    assert_eq!(code, 2, "not a directory: {text}");
    assert!(text.contains("file.txt"), "{text}");

    let dir = tmp.path().join("my-skill");
    std::fs::create_dir(&dir).unwrap();
    let (code, text) = lint(&dir);
    assert_eq!(code, 2, "directory without SKILL.md: {text}");
    assert!(text.contains("my-skill"), "{text}");
}
