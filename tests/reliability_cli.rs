//! Hostile input and the writes users trust us with (issue 9): each test reproduces one
//! defect found on `main` through the real binary. Writes are transactions, copies are
//! complete, nothing outside a skill is read through a link, and what is skipped or
//! refused is said.

#![cfg(unix)]

use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_skillpress"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
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

/// A scratch copy of the `padded` fixture (a skill reduce rewrites) at `dir`.
fn padded(dir: &Path) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/reduce/padded");
    copy_dir(&from, dir);
    dir.to_path_buf()
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() && !p.is_symlink() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// Whether permissions stop this process (they do not for root).
fn permissions_apply(tmp: &Path) -> bool {
    let probe = tmp.join("probe");
    std::fs::create_dir(&probe).unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let blocked = std::fs::read_dir(&probe).is_err();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::remove_dir(&probe).unwrap();
    if !blocked {
        eprintln!("note: running as a user permissions do not stop (root); unreadable-folder checks skipped");
    }
    blocked
}

// 1. A write refused midway left SKILL.md reduced and its references unwritten.
#[test]
fn a_refused_write_writes_nothing_of_the_skill() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = padded(&tmp.path().join("in/padded"));
    let out = tmp.path().join("out");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(out.join("padded")).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    symlink(&elsewhere, out.join("padded/references")).unwrap();
    let (code, stdout, stderr) = run(&["reduce", "--no-config", "--out", s(&out), s(&skill)]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("outside the output folder"), "{stderr}");
    assert!(
        !out.join("padded/SKILL.md").exists(),
        "SKILL.md was written"
    );
    assert!(files_under(&elsewhere).is_empty(), "wrote through the link");
    assert_eq!(
        files_under(&out),
        ["padded/references"],
        "staging left behind"
    );
    assert!(!stdout.contains(": reduced;"), "{stdout}");
    assert!(stdout.contains("0 reduced"), "{stdout}");
}

// 2. Two skills with the same folder name were merged into one output folder.
#[test]
fn two_skills_mapping_to_one_output_folder_are_refused_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let a = padded(&tmp.path().join("c1/pdf"));
    let b = padded(&tmp.path().join("c2/pdf"));
    let out = tmp.path().join("coll");
    let (code, stdout, stderr) = run(&["reduce", "--no-config", "--out", s(&out), s(&a), s(&b)]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("would both be written to"), "{stderr}");
    assert!(files_under(&out).is_empty(), "{:?}", files_under(&out));
}

// 3. `--out` dropped text files over 8 MiB and the exec bit of scripts.
#[test]
fn a_copy_keeps_every_file_and_its_permissions() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = padded(&tmp.path().join("padded"));
    let big = "a line of a large reference file\n".repeat(300_000); // ~9.9 MB
    std::fs::write(skill.join("references/big.md"), &big).unwrap();
    std::fs::create_dir_all(skill.join("assets")).unwrap();
    std::fs::write(skill.join("assets/big.txt"), &big).unwrap();
    let script = skill.join("scripts/convert.py");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = run(&["reduce", "--no-config", "--out", s(&out), s(&skill)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    for f in ["references/big.md", "assets/big.txt"] {
        let copied = std::fs::read_to_string(out.join("padded").join(f)).unwrap();
        assert!(copied == big, "{f} not copied whole");
    }
    let mode = std::fs::metadata(out.join("padded/scripts/convert.py"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
}

// 4. `--in-place` created references with mode 0600 whatever the umask.
#[test]
fn new_files_get_the_umask_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = padded(&tmp.path().join("padded"));
    let manifest = skill.join("SKILL.md");
    std::fs::set_permissions(&manifest, std::fs::Permissions::from_mode(0o664)).unwrap();
    let cmd = format!(
        "umask 022; exec '{}' reduce --no-config --in-place '{}'",
        env!("CARGO_BIN_EXE_skillpress"),
        s(&skill)
    );
    let out = Command::new("sh").arg("-c").arg(&cmd).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&skill.join("references/examples.md")), 0o644);
    // A replaced file keeps its own mode.
    assert_eq!(mode(&manifest), 0o664);
    // And no staging folder is left in the skill.
    assert!(
        !files_under(&skill)
            .iter()
            .any(|f| f.contains(".skillpress-")),
        "{:?}",
        files_under(&skill)
    );
}

// 5. CRLF input came out with mixed line endings.
#[test]
fn line_endings_follow_the_input() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = padded(&tmp.path().join("padded"));
    for f in files_under(&skill) {
        if f.ends_with(".md") {
            let p = skill.join(&f);
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, text.replace('\n', "\r\n")).unwrap();
        }
    }
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = run(&["reduce", "--no-config", "--out", s(&out), s(&skill)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains(": reduced;"), "{stdout}");
    let mut checked = 0;
    for f in files_under(&out.join("padded")) {
        if !f.ends_with(".md") {
            continue;
        }
        let text = std::fs::read_to_string(out.join("padded").join(&f)).unwrap();
        let bare = text.matches('\n').count() - text.matches("\r\n").count();
        assert_eq!(bare, 0, "{f} has {bare} LF-only line(s)");
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} markdown files");
}

// 6. A reference linked to a file outside the skill was printed, counted and copied.
#[test]
fn nothing_outside_the_skill_is_read_through_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = padded(&tmp.path().join("padded"));
    let references = |skill: &Path| {
        let (_, stdout, _) = run(&["tokens", "--no-config", "--format", "json", s(skill)]);
        let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        doc["skills"][0]["references"]["tokens"].as_u64().unwrap()
    };
    let before = references(&skill);
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "root:x:0:0:TOP-SECRET-LINE\n".repeat(50)).unwrap();
    symlink(&secret, skill.join("references/users.md")).unwrap();
    let outside_dir = tmp.path().join("private");
    std::fs::create_dir_all(&outside_dir).unwrap();
    std::fs::write(outside_dir.join("keys.md"), "TOP-SECRET-LINE\n").unwrap();
    symlink(&outside_dir, skill.join("shared")).unwrap();

    let (_, stdout, stderr) = run(&["lint", "--no-config", "--color", "never", s(&skill)]);
    assert!(!stdout.contains("TOP-SECRET"), "{stdout}");
    assert!(
        stdout.contains("R003") && stdout.contains("users.md"),
        "{stdout}{stderr}"
    );

    let (code, stdout, stderr) = run(&["tokens", "--no-config", s(&skill)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("TOP-SECRET"), "{stdout}");
    assert!(
        stderr.contains("users.md") && stderr.contains("not followed"),
        "{stderr}"
    );
    assert_eq!(references(&skill), before, "a linked file was counted");

    let out = tmp.path().join("out");
    let (code, stdout, stderr) = run(&["reduce", "--no-config", "--out", s(&out), s(&skill)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let copied = files_under(&out.join("padded"));
    assert!(
        !copied
            .iter()
            .any(|f| f.contains("users.md") || f.starts_with("shared")),
        "{copied:?}"
    );
    assert!(
        stderr.contains("users.md") && stderr.contains("left out"),
        "{stderr}"
    );
}

// 10. Paths that yield no skill, unreadable folders and oversized files are said.
#[test]
fn a_path_with_no_skill_is_a_tool_error() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(empty.join("docs")).unwrap();
    std::fs::write(empty.join("docs/notes.md"), "# Notes\n").unwrap();
    let (code, _, stderr) = run(&["lint", "--no-config", s(&empty)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("no skill") && stderr.contains("empty"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["lint", "--no-config", s(&empty.join("docs/notes.md"))]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not inside a skill"), "{stderr}");
    let (code, _, stderr) = run(&["reduce", "--no-config", s(&empty)]);
    assert_eq!(code, 2, "{stderr}");

    // A folder holding a skill and a non-skill: the skill is linted, the run is fine.
    let skill = padded(&tmp.path().join("both/padded"));
    let (code, _, stderr) = run(&["lint", "--no-config", s(&skill), s(&empty)]);
    assert_eq!(code, 2, "{stderr}");

    if permissions_apply(tmp.path()) {
        let locked = tmp.path().join("locked/padded");
        padded(&locked);
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let (code, _, stderr) = run(&["lint", "--no-config", s(&tmp.path().join("locked"))]);
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("padded"), "{stderr}");
    }
}

#[test]
fn an_oversized_reference_is_reported_by_tokens() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = padded(&tmp.path().join("padded"));
    let big = "word ".repeat(2_000_000); // 10 MB, over the 8 MiB text limit
    std::fs::write(skill.join("references/huge.md"), big).unwrap();
    let (code, _, stderr) = run(&["tokens", "--no-config", s(&skill)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("references/huge.md") && stderr.contains("limit"),
        "{stderr}"
    );
}

// 11. `--diff` on a declined skill printed nothing; no mode and `--check` said "reduced".
#[test]
fn reports_say_what_was_and_was_not_written() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = padded(&tmp.path().join("padded"));
    for args in [
        vec!["reduce", "--no-config"],
        vec!["reduce", "--no-config", "--check"],
    ] {
        let mut args = args.clone();
        args.push(s(&skill));
        let (_, stdout, _) = run(&args);
        assert!(
            stdout.contains(": would reduce;") && !stdout.contains(": reduced;"),
            "{args:?}: {stdout}"
        );
        assert!(stdout.contains("1 would be reduced"), "{stdout}");
    }
    let (_, stdout, _) = run(&["reduce", "--no-config", "--format", "json", s(&skill)]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["written"], false);

    // A skill reduce declines: no frontmatter closing line.
    let declined = tmp.path().join("broken");
    std::fs::create_dir_all(&declined).unwrap();
    std::fs::write(
        declined.join("SKILL.md"),
        "---\nname: broken\ndescription: never closed\n# Body\n\nText.\n",
    )
    .unwrap();
    let (_, stdout, stderr) = run(&["reduce", "--no-config", "--diff", s(&declined)]);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("broken") && stderr.contains("declined"),
        "{stderr}"
    );
}

// 12. A file name with a newline broke full and concise output lines.
#[test]
fn control_characters_in_file_names_are_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = padded(&tmp.path().join("padded"));
    std::fs::write(skill.join("references/evil\nerror: forged.md"), "# Evil\n").unwrap();
    for format in ["concise", "full"] {
        let (_, stdout, _) = run(&[
            "lint",
            "--no-config",
            "--select",
            "R006",
            "--color",
            "never",
            "--format",
            format,
            s(&skill),
        ]);
        assert!(
            stdout.contains("evil\\nerror: forged.md"),
            "{format}: {stdout}"
        );
        assert!(
            !stdout.lines().any(|l| l.starts_with("error: forged")),
            "{format}: {stdout}"
        );
    }
}

/// A frontmatter whose aliases double at each level (the start of an alias bomb).
fn bomb_frontmatter(levels: usize) -> String {
    let mut yaml = String::from(
        "---\nname: bomb\ndescription: Use when checking how YAML anchors and aliases in frontmatter are read by strict loaders.\n",
    );
    yaml.push_str(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    let names: Vec<char> = "bcdefghijk".chars().collect();
    let mut prev = 'a';
    for &n in names.iter().take(levels) {
        let items = vec![format!("*{prev}"); 9].join(", ");
        yaml.push_str(&format!("{n}: &{n} [{items}]\n"));
        prev = n;
    }
    yaml.push_str("---\n# Bomb\n\nKeep the YAML as it is.\n");
    yaml
}

// 7. Anchors and aliases got a false "starts with `&`" finding and a "safe" fix that
//    turned a list into a string; an alias bomb must be reported as such.
#[test]
fn anchors_are_yaml_and_an_alias_bomb_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let small = tmp.path().join("bomb");
    std::fs::create_dir_all(&small).unwrap();
    std::fs::write(small.join("SKILL.md"), bomb_frontmatter(1)).unwrap();
    let (_, stdout, _) = run(&[
        "lint",
        "--no-config",
        "--select",
        "F003",
        "--format",
        "concise",
        s(&small),
    ]);
    assert!(
        stdout.contains("0 errors"),
        "small anchors lint clean: {stdout}"
    );

    let big = tmp.path().join("big/bomb");
    std::fs::create_dir_all(&big).unwrap();
    let text = bomb_frontmatter(8);
    std::fs::write(big.join("SKILL.md"), &text).unwrap();
    let (code, stdout, _) = run(&[
        "lint",
        "--no-config",
        "--select",
        "F003",
        "--format",
        "concise",
        s(&big),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("alias bomb"), "{stdout}");
    assert!(!stdout.contains("reserves for an anchor"), "{stdout}");
    // No "safe" fix rewrites it, neither lint --fix nor reduce.
    let (_, _, _) = run(&["lint", "--no-config", "--fix", s(&big)]);
    assert_eq!(std::fs::read_to_string(big.join("SKILL.md")).unwrap(), text);
    let (_, stdout, _) = run(&["reduce", "--no-config", "--diff", s(&big)]);
    assert!(!stdout.contains("\"&b"), "{stdout}");
}
