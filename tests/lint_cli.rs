//! Runs the real binary: output formats (snapshots), exit codes, configuration lookup and
//! discovery. Static trees live in `testdata/cli/`; trees that need symlinks, non-UTF-8
//! bytes, `.git` or `.gitignore` (which git itself would act on) are built in temp dirs.
//! Snapshot runs pass `--no-config --select F001` so rules added later do not change them.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn skillpress_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("run skillpress");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

/// Runs in the crate folder, so `testdata/...` paths print as they are given.
fn skillpress(args: &[&str]) -> Run {
    skillpress_in(manifest_dir(), args)
}

fn lint_f001(format: &str, paths: &[&str]) -> Run {
    let mut args = vec![
        "lint",
        "--no-config",
        "--select",
        "F001",
        "--format",
        format,
    ];
    args.extend_from_slice(paths);
    skillpress(&args)
}

/// The version changes with every release; snapshots should not.
fn stable(text: &str) -> String {
    text.replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"[VERSION]\"",
    )
}

fn write(path: &Path, content: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

const CLEAN_SKILL: &str = "---\nname: demo\ndescription: Extracts text from PDF files. Use when the user works with PDFs.\n---\n# Demo\n";
const NO_FRONTMATTER: &str = "# Demo\n\nNo frontmatter here.\n";

// ---------------------------------------------------------------------------------------
// Output formats

#[test]
fn format_full() {
    let run = lint_f001("full", &["testdata/cli/mixed"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stdout.contains('\u{1b}'), "no color into a pipe");
    insta::assert_snapshot!("format_full", run.stdout);
}

#[test]
fn format_full_colors_only_when_asked() {
    let run = skillpress(&[
        "lint",
        "--no-config",
        "--select",
        "F001",
        "--color",
        "always",
        "testdata/cli/mixed",
    ]);
    assert!(run.stdout.contains('\u{1b}'), "{}", run.stdout);
}

#[test]
fn format_concise() {
    let run = lint_f001("concise", &["testdata/cli/mixed"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("format_concise", run.stdout);
}

#[test]
fn format_json() {
    let run = lint_f001("json", &["testdata/cli/mixed"]);
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["skills"], 2);
    assert_eq!(doc["summary"]["errors"], 1);
    insta::assert_snapshot!("format_json", stable(&run.stdout));
}

#[test]
fn format_sarif() {
    let run = lint_f001("sarif", &["testdata/cli/mixed"]);
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    check_sarif(&doc);
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 1);
    // The rule list is the whole registry, which grows: snapshot the results only, without
    // the rule's index in that list (check_sarif has checked it points at the rule).
    let mut results = doc["runs"][0]["results"].clone();
    for r in results.as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("ruleIndex");
    }
    insta::assert_json_snapshot!("format_sarif_results", results);
}

#[test]
fn format_github() {
    let run = lint_f001("github", &["testdata/cli/mixed"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("format_github", run.stdout);
}

#[test]
fn clean_run_in_every_format() {
    for format in ["full", "concise", "json", "sarif", "github"] {
        let run = lint_f001(format, &["testdata/cli/mixed/clean"]);
        assert_eq!(run.code, 0, "{format}: {}", run.stdout);
        match format {
            "github" => assert_eq!(run.stdout, ""),
            "json" | "sarif" => {
                let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
                if format == "sarif" {
                    check_sarif(&doc);
                }
            }
            _ => assert_eq!(run.stdout, "0 errors, 0 warnings, 0 infos in 1 skill\n"),
        }
    }
}

/// The properties SARIF 2.1.0 requires, and the cross-references a viewer relies on. (The
/// output was also validated once against the OASIS JSON schema, sarif-2.1.0-rtm.5.)
fn check_sarif(doc: &serde_json::Value) {
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(
        doc["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = doc["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "skillpress");
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), skillpress::rules::RULES.len());
    for (rule, entry) in skillpress::rules::RULES.iter().zip(rules) {
        assert_eq!(entry["id"], rule.meta.code);
        assert_eq!(entry["name"], rule.meta.name);
        assert!(entry["shortDescription"]["text"].is_string());
        assert!(entry["fullDescription"]["text"].is_string());
        assert!(entry["help"]["text"].is_string());
        let level = entry["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
    }
    for result in runs[0]["results"].as_array().expect("results") {
        let id = result["ruleId"].as_str().expect("ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id);
        assert!(["error", "warning", "note", "none"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.contains(' ') && !uri.contains('\\'), "{uri}");
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{key}");
        }
    }
}

#[test]
fn sarif_uri_encodes_spaces() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("my skills/pdf tools/SKILL.md"),
        NO_FRONTMATTER,
    );
    let run = skillpress_in(
        tmp.path(),
        &[
            "lint",
            "--no-config",
            "--format",
            "sarif",
            "--select",
            "F001",
            ".",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    check_sarif(&doc);
    assert_eq!(
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20skills/pdf%20tools/SKILL.md"
    );
}

// ---------------------------------------------------------------------------------------
// Exit codes

#[test]
fn fail_on_decides_between_0_and_1() {
    // F001 is an error by default.
    assert_eq!(lint_f001("concise", &["testdata/cli/mixed"]).code, 1);
    let base = [
        "lint",
        "--no-config",
        "--select",
        "F001",
        "--format",
        "concise",
    ];
    let with = |extra: &[&str], path: &str| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        args.push(path);
        skillpress(&args)
    };
    assert_eq!(with(&["--fail-on", "error"], "testdata/cli/mixed").code, 1);
    assert_eq!(with(&["--fail-on", "info"], "testdata/cli/mixed").code, 1);
    // testdata/cli/config/skillpress.toml lowers F001 to info.
    let relaxed = skillpress(&["lint", "--format", "concise", "testdata/cli/config/relaxed"]);
    assert_eq!(relaxed.code, 0, "{}{}", relaxed.stdout, relaxed.stderr);
    assert!(relaxed.stdout.contains(": info F001"), "{}", relaxed.stdout);
    let strict = skillpress(&[
        "lint",
        "--format",
        "concise",
        "--fail-on",
        "info",
        "testdata/cli/config/relaxed",
    ]);
    assert_eq!(strict.code, 1);
}

#[test]
fn a_missing_path_is_a_tool_error() {
    let run = skillpress(&["lint", "--no-config", "testdata/cli/no-such-folder"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("testdata/cli/no-such-folder") && run.stderr.contains("no such"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn a_bad_config_is_a_tool_error_naming_file_line_column_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("skillpress.toml"),
        "# settings\ntarget = \"codex\"\nfail-onn = \"error\"\n",
    );
    write(&tmp.path().join("s/SKILL.md"), CLEAN_SKILL);
    let run = skillpress_in(tmp.path(), &["lint", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("skillpress.toml:3:1:"),
        "names file:line:col: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("fail-onn"),
        "names the key: {}",
        run.stderr
    );
    assert_eq!(run.stdout, "", "nothing linted with a bad config");

    // `--no-config` skips it; `--config` with a good file replaces it.
    let run = skillpress_in(
        tmp.path(),
        &["lint", "--no-config", "--select", "F001", "."],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    write(
        &tmp.path().join("good.toml"),
        "target = \"codex\"\nselect = [\"F001\"]\n",
    );
    let run = skillpress_in(tmp.path(), &["lint", "--config", "good.toml", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A named config that does not exist is an error too, not a silent default.
    let run = skillpress_in(tmp.path(), &["lint", "--config", "missing.toml", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.toml"), "{}", run.stderr);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    // Enough output to fill any pipe buffer, so writes go on after the reader is gone.
    for i in 0..1000 {
        write(
            &tmp.path().join(format!("skill-{i:04}/SKILL.md")),
            NO_FRONTMATTER,
        );
    }
    for format in ["full", "concise", "json", "sarif", "github"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_skillpress"))
            .args([
                "lint",
                "--no-config",
                "--select",
                "F001",
                "--format",
                format,
                ".",
            ])
            .current_dir(tmp.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut byte = [0u8; 1];
        stdout.read_exact(&mut byte).unwrap();
        drop(stdout);
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(
            !stderr.contains("panicked") && !stderr.contains("error"),
            "{format}: {stderr}"
        );
        assert_ne!(status.code(), Some(101), "{format}: panicked");
        assert!(
            matches!(status.code(), Some(0 | 1)),
            "{format}: {status:?} {stderr}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Configuration lookup

#[test]
fn the_nearest_config_wins() {
    // ../skillpress.toml lowers F001 to info; strict/skillpress.toml is nearer and does
    // not, so the error stands.
    let run = skillpress(&[
        "lint",
        "--format",
        "concise",
        "testdata/cli/config/strict/strict-skill",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains(": error F001"), "{}", run.stdout);

    let run = skillpress(&["lint", "--format", "concise", "testdata/cli/config/relaxed"]);
    assert!(run.stdout.contains(": info F001"), "{}", run.stdout);

    // Also when both are reached from one path: each skill takes its own nearest config.
    let run = skillpress(&["lint", "--format", "concise", "testdata/cli/config"]);
    insta::assert_snapshot!("nearest_config_per_skill", run.stdout);
    assert_eq!(run.code, 1);
}

#[test]
fn a_bad_config_below_the_linted_path_is_a_tool_error_too() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("a/SKILL.md"), CLEAN_SKILL);
    write(
        &tmp.path().join("team/skillpress.toml"),
        "selec = [\"F001\"]\n",
    );
    write(&tmp.path().join("team/b/SKILL.md"), CLEAN_SKILL);
    let run = skillpress_in(tmp.path(), &["lint", "."]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("team/skillpress.toml:1:1:") && run.stderr.contains("selec"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_config_and_explicit_config() {
    let run = skillpress(&[
        "lint",
        "--no-config",
        "--format",
        "concise",
        "testdata/cli/config/relaxed",
    ]);
    assert!(run.stdout.contains(": error F001"), "{}", run.stdout);
    let run = skillpress(&[
        "lint",
        "--config",
        "testdata/cli/config/skillpress.toml",
        "--format",
        "concise",
        "testdata/cli/config/strict/strict-skill",
    ]);
    assert!(run.stdout.contains(": info F001"), "{}", run.stdout);
    assert_eq!(run.code, 0);
}

// ---------------------------------------------------------------------------------------
// Discovery

fn finding_paths(run: &Run) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", run.stdout, run.stderr));
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

fn skills_linted(run: &Run) -> u64 {
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    doc["summary"]["skills"].as_u64().unwrap()
}

#[test]
fn hidden_folders_are_searched() {
    let run = lint_f001("json", &["testdata/cli/hidden"]);
    assert_eq!(skills_linted(&run), 2);
    assert_eq!(
        finding_paths(&run),
        ["testdata/cli/hidden/.claude/skills/hidden-skill/SKILL.md"]
    );
}

#[test]
fn git_folders_and_ignore_files_are_respected() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(&root.join(".git/skills/in-git/SKILL.md"), NO_FRONTMATTER);
    write(&root.join(".gitignore"), "generated/\n");
    write(&root.join("generated/gen/SKILL.md"), NO_FRONTMATTER);
    write(&root.join(".skillpressignore"), "vendor/\n");
    write(&root.join("vendor/v/SKILL.md"), NO_FRONTMATTER);
    write(&root.join("kept/SKILL.md"), NO_FRONTMATTER);
    let run = skillpress_in(
        root,
        &[
            "lint",
            "--no-config",
            "--select",
            "F001",
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(finding_paths(&run), ["kept/SKILL.md"]);
    assert_eq!(skills_linted(&run), 1);
}

#[test]
fn files_of_one_skill_map_to_it_once() {
    let run = lint_f001(
        "json",
        &[
            "testdata/cli/mixed/no-frontmatter/references/notes.md",
            "testdata/cli/mixed/no-frontmatter/scripts/extract.sh",
            "testdata/cli/mixed/no-frontmatter/SKILL.md",
        ],
    );
    assert_eq!(skills_linted(&run), 1);
    assert_eq!(
        finding_paths(&run),
        ["testdata/cli/mixed/no-frontmatter/SKILL.md"]
    );
    // The folder and a file in it, the folder named two ways: still one skill.
    let run = lint_f001(
        "json",
        &[
            "testdata/cli/mixed/no-frontmatter",
            "testdata/cli/mixed/no-frontmatter/references/notes.md",
            "testdata/cli/mixed/../mixed/no-frontmatter",
        ],
    );
    assert_eq!(skills_linted(&run), 1);
    assert_eq!(finding_paths(&run).len(), 1);
}

#[test]
fn a_folder_inside_a_skill_maps_to_the_skill() {
    let run = lint_f001("json", &["testdata/cli/mixed/no-frontmatter/references"]);
    assert_eq!(skills_linted(&run), 1);
    assert_eq!(
        finding_paths(&run),
        ["testdata/cli/mixed/no-frontmatter/SKILL.md"]
    );
}

#[test]
fn a_nested_skill_is_its_own_skill() {
    let run = lint_f001("json", &["testdata/cli/nested"]);
    assert_eq!(skills_linted(&run), 2);
    assert_eq!(
        finding_paths(&run),
        ["testdata/cli/nested/outer/inner/SKILL.md"]
    );
    // A file of the inner skill maps to the inner skill, not the outer one.
    let run = lint_f001(
        "json",
        &["testdata/cli/nested/outer/inner/references/notes.md"],
    );
    assert_eq!(skills_linted(&run), 1);
    assert_eq!(
        finding_paths(&run),
        ["testdata/cli/nested/outer/inner/SKILL.md"]
    );
    // And the outer skill's files stop at the inner skill's folder.
    let outer =
        skillpress::skill::Skill::load(&manifest_dir().join("testdata/cli/nested/outer")).unwrap();
    let files: Vec<&str> = outer.files.iter().map(|f| f.rel.as_str()).collect();
    assert_eq!(files, ["references/guide.md"]);
}

/// Runs skillpress and fails, instead of hanging the suite, if it takes too long.
fn run_with_deadline(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            let mut err = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.code().expect("not killed by a signal"), out, err);
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("skillpress {args:?} did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_neither_hang_nor_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // A loop inside a skill, and one in the tree around the skills.
    write(&root.join("looped/SKILL.md"), NO_FRONTMATTER);
    std::fs::create_dir_all(root.join("looped/references")).unwrap();
    std::os::unix::fs::symlink("..", root.join("looped/references/up")).unwrap();
    std::os::unix::fs::symlink(".", root.join("self")).unwrap();
    write(&root.join("other/SKILL.md"), CLEAN_SKILL);
    let (code, out, err) = run_with_deadline(
        root,
        &[
            "lint",
            "--no-config",
            "--select",
            "F001",
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["skills"], 2, "each skill once: {out}");
    assert_eq!(doc["findings"].as_array().unwrap().len(), 1, "{out}");
    assert_eq!(doc["findings"][0]["path"], "looped/SKILL.md");
    assert!(
        err.contains("self") && err.contains("loops back"),
        "the loop outside skills is reported: {err}"
    );
    assert!(
        !err.contains("looped/references/up"),
        "a loop inside a skill belongs to that skill's files, not to the run: {err}"
    );
}

#[test]
fn a_non_utf8_manifest_is_reported_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let mut latin1 = b"---\nname: cafe\ndescription: Menus for the caf".to_vec();
    latin1.push(0xE9);
    latin1.extend_from_slice(b". Use when editing menus.\n---\n# Menu\n");
    write(&tmp.path().join("a-latin1/SKILL.md"), latin1);
    write(&tmp.path().join("b-plain/SKILL.md"), NO_FRONTMATTER);
    let run = skillpress_in(
        tmp.path(),
        &[
            "lint",
            "--no-config",
            "--select",
            "F001,F006",
            "--format",
            "concise",
            ".",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("non_utf8_concise", run.stdout);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("a-latin1/SKILL.md:3:")
            && lines[0].contains("F006 manifest-unreadable")
            && lines[0].contains("line 3"),
        "{}",
        run.stdout
    );
    assert!(lines[1].starts_with("b-plain/SKILL.md:1:1: error F001"));

    let run = skillpress_in(
        tmp.path(),
        &[
            "lint",
            "--no-config",
            "--select",
            "F006",
            "--format",
            "full",
            ".",
        ],
    );
    insta::assert_snapshot!("non_utf8_full", run.stdout);
}

#[test]
fn paths_print_as_given() {
    // A trailing slash and a leading `./` do not leak into finding paths.
    let run = lint_f001("json", &["./testdata/cli/mixed/"]);
    let paths: Vec<PathBuf> = finding_paths(&run).iter().map(PathBuf::from).collect();
    assert_eq!(
        paths,
        [PathBuf::from("testdata/cli/mixed/no-frontmatter/SKILL.md")]
    );
}

// ---------------------------------------------------------------------------------------
// Fixes and output order

const BLOCK_SCALAR: &str = "---\nname: NAME\ndescription: |\n  Extracts text from PDF files.\n  Use when the user works with PDFs.\n---\n# Demo\n\nRead the file.\n";

fn block_scalar_skill(root: &Path, name: &str) -> PathBuf {
    let path = root.join(name).join("SKILL.md");
    write(&path, BLOCK_SCALAR.replace("NAME", name));
    path
}

#[test]
fn fix_honours_each_skills_nearest_config() {
    // The reproduction of issue 8: b's own config turns D003 off, so --fix must keep b's
    // block scalar while it folds a's.
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path().join("t");
    let a = block_scalar_skill(&t, "a");
    let b = block_scalar_skill(&t, "b");
    write(&t.join("b/skillpress.toml"), "ignore = [\"D003\"]\n");
    let run = skillpress_in(tmp.path(), &["lint", "--fix", "--format", "concise", "t"]);
    assert_ne!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let a_text = std::fs::read_to_string(&a).unwrap();
    let b_text = std::fs::read_to_string(&b).unwrap();
    assert!(
        !a_text.contains("description: |"),
        "a not folded:\n{a_text}"
    );
    assert!(
        a_text.contains(
            "description: \"Extracts text from PDF files. Use when the user works with PDFs.\"\n"
        ),
        "{a_text}"
    );
    assert_eq!(b_text, BLOCK_SCALAR.replace("NAME", "b"), "b was changed");
    // The findings printed are those left after fixing: none of D003 remains anywhere.
    assert!(!run.stdout.contains("D003"), "{}", run.stdout);
    assert!(
        run.stdout.contains("applied 1 fix in 1 file"),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_shows_the_fixes_writes_nothing_and_fix_converges() {
    let tmp = tempfile::tempdir().unwrap();
    let a = block_scalar_skill(tmp.path(), "a");
    let before = std::fs::read_to_string(&a).unwrap();
    let run = skillpress_in(
        tmp.path(),
        &["lint", "--no-config", "--diff", "--format", "concise", "a"],
    );
    assert_eq!(std::fs::read_to_string(&a).unwrap(), before, "--diff wrote");
    assert!(
        run.stdout
            .starts_with("--- a/a/SKILL.md\n+++ b/a/SKILL.md\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\n-description: |\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "\n+description: \"Extracts text from PDF files. Use when the user works with PDFs.\"\n"
        ),
        "{}",
        run.stdout
    );
    // The findings after the diff are those of the file as it is.
    let diff_end = run
        .stdout
        .find("a/SKILL.md:")
        .expect("findings follow the diff");
    assert!(run.stdout[diff_end..].contains("D003"), "{}", run.stdout);

    let fixed = skillpress_in(
        tmp.path(),
        &["lint", "--no-config", "--fix", "--format", "concise", "a"],
    );
    assert_ne!(fixed.code, 2, "{}", fixed.stderr);
    assert!(fixed.stderr.is_empty(), "{}", fixed.stderr);
    // Converged: a second run has nothing left to fix.
    let again = skillpress_in(
        tmp.path(),
        &["lint", "--no-config", "--diff", "--format", "concise", "a"],
    );
    assert!(!again.stdout.contains("--- a/"), "{}", again.stdout);
    assert!(!again.stdout.contains("D003"), "{}", again.stdout);
}

/// A tree of skills with findings of several rules, two of them near-duplicates (U005).
fn many_skills(root: &Path, n: usize) {
    for i in 0..n {
        let name = format!("skill-{i:02}");
        let text = match i % 4 {
            0 => format!("---\nname: {name}\ndescription: |\n  Converts spreadsheets {i}.\n---\n# T\n\nSee [x](missing-{i}.md).\n"),
            1 => "# No frontmatter\n".to_string(),
            2 => format!("---\nname: Wrong_{i}\ndescription: Short.\n---\n# T\n"),
            _ => format!("---\nname: {name}\ndescription: Renders invoices as PDF files from order records with totals and taxes. Use when billing customers.\n---\n# T\n"),
        };
        write(&root.join(&name).join("SKILL.md"), text);
    }
}

fn lint_with_threads(dir: &Path, threads: &str, format: &str) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(["lint", "--no-config", "--format", format, "."])
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("run skillpress");
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn output_order_is_the_same_with_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    many_skills(tmp.path(), 40);
    for format in ["concise", "json"] {
        let one = lint_with_threads(tmp.path(), "1", format);
        let two = lint_with_threads(tmp.path(), "2", format);
        assert_eq!(one.code, 1, "{}", one.stderr);
        assert_eq!(
            one.stdout, two.stdout,
            "{format} output differs by thread count"
        );
    }
    let run = lint_with_threads(tmp.path(), "2", "concise");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.len() > 40, "{}", run.stdout);
    // Skills come in path order, and the cross-skill findings after all of them.
    let first_u005 = lines
        .iter()
        .position(|l| l.contains(" U005 "))
        .expect("U005 found");
    assert!(
        lines[first_u005..lines.len() - 1]
            .iter()
            .all(|l| l.contains(" U005 ")),
        "{}",
        run.stdout
    );
    let skills: Vec<&str> = lines[..first_u005]
        .iter()
        .map(|l| l.split('/').next().unwrap())
        .collect();
    let mut sorted = skills.clone();
    sorted.sort();
    assert_eq!(skills, sorted);
    // Progress bars never reach a pipe.
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}
