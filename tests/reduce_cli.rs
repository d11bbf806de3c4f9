//! `skillpress reduce` on fixture skills: each move, the reference index, link
//! rewriting, reference dedup, description generation and tightening, `--out`
//! containment, the atomic in-place write, idempotence and `--check`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_skillpress"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/reduce")
        .join(name)
}

/// A scratch copy of a fixture skill, under `tmp/skills/NAME`.
fn copy(tmp: &Path, name: &str) -> PathBuf {
    let dest = tmp.join("skills").join(name);
    copy_dir(&fixture(name), &dest);
    dest
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn in_place_moves_each_kind_and_indexes_the_references() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = copy(tmp.path(), "padded");
    let original = read(&skill.join("SKILL.md"));
    let (code, stdout, stderr) = run(&[
        "reduce",
        "--no-config",
        "--in-place",
        skill.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains(": reduced;"), "{stdout}");
    let body = read(&skill.join("SKILL.md"));

    // Core rules stay, verbatim and in order.
    let steps = "1. Run `python scripts/convert.py input.csv output.parquet` for each file.\n2. Always pass `--schema schema.json` when the CSV has no header row.\n3. Never overwrite the source CSV; write the Parquet file next to it.\n4. Check the row count with `python scripts/count.py output.parquet` and compare it to the CSV.";
    assert!(body.contains(steps), "{body}");
    // Background, examples and templates moved, with their headings.
    let background = read(&skill.join("references/background.md"));
    assert!(
        !body.contains("Columnar storage groups values")
            && background.contains("Columnar storage groups values")
    );
    assert!(
        background.contains("### Background") || background.contains("### Overview"),
        "{background}"
    );
    let examples = read(&skill.join("references/examples.md"));
    assert!(
        examples.contains("--compression zstd") && examples.contains("### Examples"),
        "{examples}"
    );
    assert!(!body.contains("--compression zstd"));
    let templates = read(&skill.join("references/templates.md"));
    assert!(templates.contains("{{file_name}}") && !body.contains("{{file_name}}"));
    // The lead-in went with its template; the section left its heading and a pointer.
    assert!(
        body.contains("## Output format\n\nSee `references/templates.md` for Output format."),
        "{body}"
    );
    assert!(templates.contains("Report each conversion with this template:"));
    // The index: each file, when to read it, the titles of the sections moved there.
    for (f, sections) in [
        ("references/background.md", Some("Background")),
        ("references/examples.md", Some("Examples")),
        ("references/templates.md", Some("Output format")),
    ] {
        let line = body
            .lines()
            .find(|l| l.starts_with(&format!("| `{f}` | ")))
            .unwrap_or_else(|| panic!("no index line for {f}:\n{body}"));
        if let Some(s) = sections {
            assert!(line.ends_with(&format!(": {s} |")), "{line}");
        }
    }
    // The paragraph linking a reference stays (a moved link would be two levels deep),
    // so that reference needs no index line.
    assert!(
        body.contains("[format notes](references/format.md)"),
        "{body}"
    );
    assert!(!body.contains("| `references/format.md` |"), "{body}");
    // Reference dedup: the rule the body states is gone from format.md, and dup.md, left
    // with nothing of its own, is removed.
    let format = read(&skill.join("references/format.md"));
    assert!(
        !format.contains("Always pass `--schema schema.json`"),
        "{format}"
    );
    assert!(format.contains("Dremel paper"));
    assert!(!skill.join("references/dup.md").exists());
    // The repeat under "Notes" is the whole of its section: it stays, so the heading is
    // not left empty.
    assert_eq!(body.matches("Never overwrite the source CSV").count(), 2);
    // Scripts untouched, no temporary files left.
    assert_eq!(
        read(&skill.join("scripts/convert.py")),
        read(&fixture("padded").join("scripts/convert.py"))
    );
    assert!(
        files_under(&skill).iter().all(|f| !f.contains(".tmp")),
        "{:?}",
        files_under(&skill)
    );
    assert_ne!(body, original);

    // Reducing again changes nothing.
    let (code, stdout, _) = run(&["reduce", "--no-config", "--diff", skill.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "", "a second reduce would change:\n{stdout}");
    let (_, stdout, _) = run(&["reduce", "--no-config", skill.to_str().unwrap()]);
    assert!(stdout.contains("unchanged"), "{stdout}");
}

#[test]
fn a_description_without_trigger_is_kept_when_the_body_states_none() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = copy(tmp.path(), "padded");
    run(&[
        "reduce",
        "--no-config",
        "--in-place",
        skill.to_str().unwrap(),
    ]);
    let body = read(&skill.join("SKILL.md"));
    let line = body
        .lines()
        .find(|l| l.starts_with("description: "))
        .unwrap();
    // Nothing in the body says when to use it: no invented "Use when the task involves
    // <title>" clause.
    assert_eq!(line, "description: Converts CSV files to Parquet.");
}

#[test]
fn out_writes_a_full_copy_and_nothing_outside() {
    let tmp = tempfile::tempdir().unwrap();
    copy(tmp.path(), "padded");
    copy(tmp.path(), "escape");
    std::fs::create_dir_all(tmp.path().join("outside")).unwrap();
    std::fs::write(tmp.path().join("outside/notes.md"), "keep me\n").unwrap();
    let out = tmp.path().join("out");
    let skills = tmp.path().join("skills");
    let before: Vec<String> = files_under(tmp.path());
    let (code, stdout, stderr) = run(&[
        "reduce",
        "--no-config",
        skills.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "{stdout}{stderr}");
    // Only files under out/ are new; the sources and the outside file are untouched.
    let after: Vec<String> = files_under(tmp.path());
    let new: Vec<&String> = after.iter().filter(|f| !before.contains(f)).collect();
    assert!(!new.is_empty());
    assert!(new.iter().all(|f| f.starts_with("out/")), "{new:?}");
    assert_eq!(read(&tmp.path().join("outside/notes.md")), "keep me\n");
    assert_eq!(
        read(&skills.join("padded/SKILL.md")),
        read(&fixture("padded").join("SKILL.md"))
    );
    // The copy is complete: scripts came along, and the escaping skill was copied too.
    assert!(out.join("padded/scripts/convert.py").exists());
    assert!(out.join("padded/references/examples.md").exists());
    assert!(out.join("escape/SKILL.md").exists());
}

#[test]
fn check_flags_padded_skills_only() {
    let (code, stdout, _) = run(&[
        "reduce",
        "--no-config",
        "--check",
        "--threshold",
        "0.1",
        fixture("padded").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}");
    let (code, stdout, _) = run(&[
        "reduce",
        "--no-config",
        "--check",
        fixture("lean").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn json_report_has_before_and_after() {
    let (code, stdout, _) = run(&[
        "reduce",
        "--no-config",
        "--format",
        "json",
        fixture("padded").to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let s = &doc["skills"][0];
    assert_eq!(s["outcome"]["status"], "reduced");
    assert!(s["body_after"].as_u64().unwrap() < s["body_before"].as_u64().unwrap());
    assert_eq!(doc["totals"]["reduced"], 1);
    let moved: Vec<&str> = s["moved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        moved,
        [
            "references/background.md",
            "references/examples.md",
            "references/templates.md"
        ]
    );
}

#[test]
fn a_long_description_is_tightened_keeping_every_distinctive_term() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = copy(tmp.path(), "wordy");
    let before = read(&skill.join("SKILL.md"));
    let (code, stdout, _) = run(&[
        "reduce",
        "--no-config",
        "--in-place",
        skill.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("description: Tightened"), "{stdout}");
    let description = |text: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("description: "))
            .unwrap()
            .trim_matches('"')
            .to_string()
    };
    let old = description(&before);
    let new = description(&read(&skill.join("SKILL.md")));
    assert!(new.len() < old.len() * 2 / 3, "{new}");
    for filler in [
        "comprehensive",
        "powerful",
        "seamlessly",
        "This skill provides",
    ] {
        assert!(!new.contains(filler), "{filler} survived: {new}");
    }
    for term in [
        "sqlfluff",
        "PostgreSQL",
        "BigQuery",
        "SQL",
        "format",
        "lint",
        "tidy",
        "Use when",
    ] {
        assert!(new.contains(term), "{term} was lost: {new}");
    }
    assert!(new.starts_with(char::is_uppercase), "{new}");
    let (_, diff, _) = run(&["reduce", "--no-config", "--diff", skill.to_str().unwrap()]);
    assert_eq!(
        diff, "",
        "tightening again changes the description:\n{diff}"
    );
}

#[test]
fn a_folded_description_kept_as_it_is_leaves_the_skill_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = tmp.path().join("folded");
    std::fs::create_dir_all(&skill).unwrap();
    let text = "---\nname: folded\ndescription: >\n  Converts CSV files to Parquet with a schema file.\n  Use when the user asks to convert CSV files.\n---\n# Folded\n\n1. Run `python scripts/convert.py input.csv output.parquet`.\n2. Never overwrite the source CSV.\n";
    std::fs::write(skill.join("SKILL.md"), text).unwrap();
    let (code, stdout, stderr) = run(&[
        "reduce",
        "--no-config",
        "--in-place",
        skill.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("unchanged"), "{stdout}");
    assert_eq!(read(&skill.join("SKILL.md")), text);
}
