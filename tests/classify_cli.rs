//! `skillpress classify` on a fixture skill: the text view and the JSON, snapshotted.

use assert_cmd::Command;

fn classify(format: &str) -> String {
    let out = Command::cargo_bin("skillpress")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["classify", "testdata/classify/mixed", "--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn text_view_marks_every_block() {
    let text = classify("text");
    // The rule repeated at line 44 is marked as a repeat, its first copy as core.
    assert!(text.contains("   44  REDU "), "{text}");
    assert!(text.contains("   21  CORE "), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn json_lists_blocks_with_labels_reasons_and_tokens() {
    let json: serde_json::Value = serde_json::from_str(&classify("json")).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "the body and the reference file");
    let shares: f64 = files[0]["summary"]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["share"].as_f64().unwrap())
        .sum();
    assert!(
        (shares - 1.0).abs() < 1e-9,
        "label shares sum to 1, got {shares}"
    );
    insta::assert_json_snapshot!(json);
}

#[test]
fn a_path_without_skills_is_a_tool_error() {
    let tmp = tempfile::tempdir().unwrap();
    Command::cargo_bin("skillpress")
        .unwrap()
        .args(["classify"])
        .arg(tmp.path())
        .assert()
        .code(2);
}
