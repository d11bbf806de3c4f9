//! Budget gates and the friendlier terminal, through the real binary: `tokens --compare`
//! on a scratch git repository with two commits, `tokens --harness claude-code`, the
//! 100-column table, shell completions and the man page.

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;

fn git(dir: &Path, args: &[&str]) {
    let ok = Std::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .expect("git runs")
        .success();
    assert!(ok, "git {args:?}");
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn skill(name: &str, description: &str, body: &str) -> String {
    format!("---\nname: {name}\ndescription: {description}\n---\n\n{body}\n")
}

/// A repository whose first commit has skills `a` and `b`, and whose working tree grows
/// `a`'s description, removes `b` and adds `c`.
fn scratch() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    git(root, &["init", "-q"]);
    let skills = root.join("skills");
    write(
        &skills.join("a/SKILL.md"),
        &skill(
            "a",
            "Formats dates. Use when asked to format a date.",
            "Use ISO 8601.",
        ),
    );
    write(
        &skills.join("b/SKILL.md"),
        &skill("b", "Sorts lists. Use when asked to sort.", "Sort stably."),
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "one"]);
    git(root, &["tag", "base"]);
    let long = "Formats dates and times in every calendar, time zone and locale the user names, with week numbers, ordinal days and relative phrases. Use when asked to format a date.";
    write(
        &skills.join("a/SKILL.md"),
        &skill("a", long, "Use ISO 8601."),
    );
    std::fs::remove_dir_all(skills.join("b")).unwrap();
    write(
        &skills.join("c/SKILL.md"),
        &skill(
            "c",
            "Counts words. Use when asked to count words.",
            "Count with wc -w.",
        ),
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "two"]);
    tmp
}

fn tokens(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("skillpress")
        .unwrap()
        .current_dir(dir)
        .arg("tokens")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn compare_reports_added_removed_and_changed_skills_as_json() {
    let repo = scratch();
    let out = tokens(
        repo.path(),
        &["skills", "--compare", "base", "--format", "json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let change = |path: &str| {
        doc["skills"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {doc}"))
            .clone()
    };
    assert_eq!(change("skills/a")["change"], "changed");
    assert_eq!(change("skills/b")["change"], "removed");
    assert_eq!(change("skills/c")["change"], "added");
    let a = change("skills/a");
    assert!(
        a["listing"]["after"].as_u64() > a["listing"]["before"].as_u64(),
        "{a}"
    );
    assert_eq!(a["body"]["after"], a["body"]["before"]);
    assert_eq!(change("skills/b")["listing"]["after"], 0);
    let sum: i64 = doc["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["listing"]["after"].as_i64().unwrap() - s["listing"]["before"].as_i64().unwrap())
        .sum();
    assert_eq!(
        doc["listing"]["after"].as_i64().unwrap() - doc["listing"]["before"].as_i64().unwrap(),
        sum
    );
    assert!(sum > 0);
}

#[test]
fn max_increase_gates_on_always_loaded_tokens() {
    let repo = scratch();
    let json = tokens(
        repo.path(),
        &["skills", "--compare", "base", "--format", "json"],
    );
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let grew =
        doc["listing"]["after"].as_u64().unwrap() - doc["listing"]["before"].as_u64().unwrap();

    let at = tokens(
        repo.path(),
        &[
            "skills",
            "--compare",
            "base",
            "--max-increase",
            &grew.to_string(),
        ],
    );
    assert_eq!(
        at.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&at.stderr)
    );
    let below = (grew - 1).to_string();
    let over = tokens(
        repo.path(),
        &["skills", "--compare", "base", "--max-increase", &below],
    );
    assert_eq!(over.status.code(), Some(1));
    let err = String::from_utf8_lossy(&over.stderr);
    assert!(err.contains(&format!("grew by {grew}")), "{err}");
    // Against HEAD nothing changed: the gate passes at 0.
    let same = tokens(
        repo.path(),
        &["skills", "--compare", "HEAD", "--max-increase", "0"],
    );
    assert_eq!(same.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&same.stdout).contains("0 of 2 skills changed"));
}

#[test]
fn compare_as_markdown_is_a_table_of_the_changes() {
    let repo = scratch();
    let out = tokens(
        repo.path(),
        &["skills", "--compare", "base", "--format", "markdown"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("| skill | change | listing | body | references |"),
        "{text}"
    );
    assert!(text.contains("| skills/b | removed |"), "{text}");
    assert!(text.contains("| skills/c | added |"), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("| total (3 skills) |")),
        "{text}"
    );
}

#[test]
fn compare_outside_git_or_with_a_bad_ref_is_a_tool_error() {
    let repo = scratch();
    let out = tokens(repo.path(), &["skills", "--compare", "no-such-ref"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`no-such-ref` is not a commit"));
    let plain = tempfile::tempdir().unwrap();
    write(&plain.path().join("s/SKILL.md"), &skill("s", "x", "y"));
    let out = tokens(plain.path(), &["s", "--compare", "HEAD"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in a git repository"));
}

#[test]
fn harness_truncates_long_listings_and_drops_what_the_budget_cannot_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let long = format!("{} Use when asked.", "Does many things. ".repeat(100));
    write(
        &tmp.path().join("skills/a-long/SKILL.md"),
        &skill("a-long", &long, "x"),
    );
    for i in 0..3 {
        let d = format!("Handles case {i} of the thing. Use when asked about case {i}.");
        write(
            &tmp.path().join(format!("skills/b{i}/SKILL.md")),
            &skill(&format!("b{i}"), &d, "x"),
        );
    }
    let out = tokens(
        tmp.path(),
        &["skills", "--harness", "claude-code", "--format", "json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fates: Vec<&str> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fate"].as_str().unwrap())
        .collect();
    assert_eq!(fates, ["truncated", "listed", "listed", "listed"]);
    assert_eq!(doc["entries"][0]["shown"], 1536);
    assert_eq!(doc["budget_chars"], 8000);

    // A 39k-token window leaves 1,560 characters: the capped line fits, the next 61 do not.
    let out = tokens(
        tmp.path(),
        &["skills", "--harness", "claude-code", "--context", "39000"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("1 truncated at 1,536 characters, 3 dropped"),
        "{text}"
    );
    assert!(text.contains("estimate"), "{text}");

    let out = tokens(tmp.path(), &["skills", "--harness", "cursor"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_table_fits_100_columns_with_long_paths_and_many_models() {
    let tmp = tempfile::tempdir().unwrap();
    let deep = "skills/a/very/long/path/that/keeps/going/and/going/until/it/cannot/fit/in/a/table/my-skill";
    write(
        &tmp.path().join(deep).join("SKILL.md"),
        &skill("my-skill", "Does x. Use when asked to do x.", "Body."),
    );
    let out = tokens(
        tmp.path(),
        &["skills", "--model", "all", "--color", "never"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let table_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with('…') || l.starts_with("skill ") || l.starts_with("total "))
        .collect();
    assert!(table_lines.len() >= 3, "{text}");
    for line in &table_lines {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    assert!(text.contains("…"), "the long path is cut: {text}");
    assert!(
        text.contains("/my-skill"),
        "the end of the path stays: {text}"
    );
    assert!(!text.contains('\x1b'));
    let coloured = tokens(tmp.path(), &["skills", "--color", "always"]);
    assert!(String::from_utf8_lossy(&coloured.stdout).contains("\x1b[1m"));
}

#[test]
fn completions_and_man_page() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef skillpress"),
        ("fish", "complete -c skillpress"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = Command::cargo_bin("skillpress")
            .unwrap()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(text.contains("tokens"), "{shell} completes subcommands");
    }
    let out = Command::cargo_bin("skillpress")
        .unwrap()
        .arg("man")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(".ie") || text.contains(".TH skillpress"),
        "{text}"
    );
}

#[test]
fn every_format_value_has_a_description_in_help() {
    let out = Command::cargo_bin("skillpress")
        .unwrap()
        .args(["tokens", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for value in ["table:", "json:", "csv:", "markdown:"] {
        assert!(text.contains(value), "{value} in {text}");
    }
    let out = Command::cargo_bin("skillpress")
        .unwrap()
        .args(["lint", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for value in ["full:", "concise:", "sarif:", "github:", "always:"] {
        assert!(text.contains(value), "{value} in {text}");
    }
}

#[test]
fn explain_colours_headings_only_when_asked() {
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("skillpress")
            .unwrap()
            .args(args)
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run(&["explain", "K002"]);
    let doc = skillpress::rules::find("K002").unwrap().doc;
    assert_eq!(plain, doc, "into a pipe, auto means plain");
    let coloured = run(&["explain", "K002", "--color", "always"]);
    assert!(coloured.starts_with("\x1b[1m# K002"), "{coloured}");
    let stripped = coloured.replace("\x1b[1m", "").replace("\x1b[0m", "");
    assert_eq!(stripped, doc, "colour adds escapes and nothing else");
}

#[test]
fn classify_colours_labels_only_when_asked() {
    let run = |color: &str| {
        let out = Command::cargo_bin("skillpress")
            .unwrap()
            .args([
                "classify",
                "testdata/tokens/tiers/pdf-tools",
                "--color",
                color,
            ])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run("never");
    let coloured = run("always");
    assert!(!plain.contains('\x1b'));
    assert!(coloured.contains("\x1b[32mCORE\x1b[0m"), "{coloured}");
    let stripped = ["\x1b[1m", "\x1b[2m", "\x1b[32m", "\x1b[33m", "\x1b[0m"]
        .iter()
        .fold(coloured.clone(), |t, e| t.replace(e, ""));
    assert_eq!(stripped, plain);
}
