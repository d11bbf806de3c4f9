//! Reduce keeps rules in SKILL.md even where a label is wrong, moves whole units, and
//! reduces what it safely can (issue 11, items 8-9 of issue 9).

use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_skillpress"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn skill(root: &Path, name: &str, text: &str) -> String {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("SKILL.md"), text).unwrap();
    dir.to_string_lossy().into_owned()
}

const GUIDE: &str = "---\nname: branch\ndescription: Splits a long-lived branch into reviewable pull requests. Use when a branch has grown too big to review.\n---\n# Branch splitting\n\n## Overview\n\nLong branches are hard to review. Reviewers lose track of the intent after a few hundred lines, and the history of why each change was made gets lost in one large diff that nobody reads closely. Splitting restores that, at the cost of some rebasing work that this guide keeps small by planning the order of the pieces first.\n\nThe approach comes from stacked diffs as practised in large monorepos, where every change is small and builds on the one before it. Tools such as Graphite and ghstack automate it; here it is done by hand with plain git, which works in any repository without installing anything.\n\n## Step 3: Determine Base Branch Template\n\nAsk: 'This branch split from <your best guess>. Is that right?'\n\n```bash\ngit merge-base HEAD <base-branch>\n```\n\n## Colour coding\n\n- Red: a file that must not change\n- Yellow marks a file to review\n- Green marks a file that is done\n\n## Examples\n\nFor example, a branch of 40 commits became four pull requests of ten commits each, reviewed in a day instead of a week, with the same final tree as the original branch.\n";

#[test]
fn steps_with_placeholders_and_lists_with_a_rule_stay_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = skill(tmp.path(), "branch", GUIDE);
    let (code, out) = run(&["reduce", "--no-config", "--in-place", &dir]);
    assert!(code == 0 || code == 1, "{out}");
    let body = std::fs::read_to_string(Path::new(&dir).join("SKILL.md")).unwrap();
    // The step with a placeholder is an instruction, not a template.
    assert!(
        body.contains("Ask: 'This branch split from <your best guess>."),
        "{body}"
    );
    assert!(body.contains("git merge-base HEAD <base-branch>"), "{body}");
    // One item is a rule, so the whole list stays.
    for item in ["- Red:", "- Yellow", "- Green"] {
        assert!(body.contains(item), "{item} left SKILL.md:\n{body}");
    }
    if out.contains(": reduced;") {
        // A moved section leaves its heading and a pointer; the index names it.
        assert!(
            body.contains("## Overview\n\nSee `references/background.md`"),
            "{body}"
        );
        assert!(body.contains("| `references/background.md` |"), "{body}");
        assert!(
            !body.contains("Long branches are hard to review."),
            "{body}"
        );
    }
    // Reducing again changes nothing.
    let (_, again) = run(&["reduce", "--no-config", "--diff", &dir]);
    assert_eq!(again, "", "second pass would change:\n{again}");
}

#[test]
fn frontmatter_only_and_blank_bodies_are_unchanged_not_declined() {
    let tmp = tempfile::tempdir().unwrap();
    let a = skill(
        tmp.path(),
        "a",
        "---\nname: a\ndescription: Does a. Use when a.\n---\n",
    );
    let b = skill(
        tmp.path(),
        "b",
        "---\nname: b\ndescription: Does b. Use when b.\n---\n   \n  \n",
    );
    let (_, out) = run(&["reduce", "--no-config", &a, &b]);
    assert_eq!(out.matches(": unchanged").count(), 2, "{out}");
    assert!(!out.contains("declined:"), "{out}");
}

#[test]
fn a_skill_with_pre_existing_lint_errors_is_still_reduced() {
    let tmp = tempfile::tempdir().unwrap();
    // N003: the name does not match the folder; reduce does not make it worse.
    let text = GUIDE.replace("name: branch", "name: other-name");
    let dir = skill(tmp.path(), "branch", &text);
    let (_, out) = run(&["reduce", "--no-config", &dir]);
    // No write mode: the report says what it would do.
    assert!(out.contains(": would reduce;"), "{out}");
}

#[test]
fn a_long_description_is_never_cut_mid_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let long = format!(
        "Builds apps with the Claude API. TRIGGER when code imports `anthropic`. {} DO NOT TRIGGER when code imports `openai` (run this check first).",
        "It covers streaming, tool use, batches and files in detail. ".repeat(20)
    );
    let text = format!("---\nname: api\ndescription: \"{long}\"\n---\n# API\n\nCall the API.\n");
    let dir = skill(tmp.path(), "api", &text);
    run(&["reduce", "--no-config", "--in-place", &dir]);
    let after = std::fs::read_to_string(Path::new(&dir).join("SKILL.md")).unwrap();
    let line = after
        .lines()
        .find(|l| l.starts_with("description:"))
        .unwrap();
    assert!(!line.ends_with("(run this\""), "{line}");
    assert!(
        line.ends_with(".\"") || line.ends_with(".)\"") || line.ends_with(')'),
        "{line}"
    );
    assert!(
        line.contains("`openai`") && line.contains("`anthropic`"),
        "{line}"
    );
}
