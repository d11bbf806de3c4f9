//! `skillpress audit` end to end on a small registry with one skill of each kind of
//! problem: the figures it reports, the JSON keys scripts rely on, and an HTML page that
//! needs nothing from outside. The big trees are checked by `.ci/run`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const TREE: &str = "testdata/audit/registry";

/// The fixture tree copied into a temporary folder, plus a skill whose manifest is not
/// UTF-8 (kept out of the repository, where editors would "fix" it).
fn registry() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy(Path::new(TREE), tmp.path());
    let latin1 = tmp.path().join("latin1");
    std::fs::create_dir(&latin1).unwrap();
    std::fs::write(
        latin1.join("SKILL.md"),
        b"---\nname: latin1\ndescription: caf\xe9\n---\n",
    )
    .unwrap();
    tmp
}

fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn audit(dir: &Path, extra: &[&str]) -> (Value, String, String) {
    let json: PathBuf = dir.join("audit.json");
    let html: PathBuf = dir.join("audit.html");
    let out = Command::cargo_bin("skillpress")
        .unwrap()
        .arg("audit")
        .arg(dir)
        .arg("--json")
        .arg(&json)
        .arg("--html")
        .arg(&html)
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let page = std::fs::read_to_string(&html).unwrap();
    (doc, page, String::from_utf8(out.stdout).unwrap())
}

#[test]
fn figures_of_a_small_registry() {
    let tmp = registry();
    let (doc, _, text) = audit(tmp.path(), &[]);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["skills"], 6);
    assert_eq!(doc["loaded"], 5);
    // no-description, no-frontmatter, and latin1 whose manifest cannot be read.
    assert_eq!(doc["description"]["missing"]["count"], 3);
    assert_eq!(doc["description"]["missing"]["share"], 0.5);
    // helper's "General helper".
    assert_eq!(doc["description"]["under_20_tokens"]["count"], 1);
    assert_eq!(doc["description"]["missing_or_under_20_tokens"]["count"], 4);
    let failures = &doc["failures"];
    assert_eq!(failures["not_utf8"]["count"], 1);
    assert_eq!(failures["no_frontmatter"]["count"], 1);
    assert_eq!(failures["strict_yaml_rejected"]["count"], 1);
    assert_eq!(failures["strict_rejected_lenient_reads"]["count"], 1);
    assert_eq!(doc["references"]["skills_with"]["count"], 1);
    assert_eq!(doc["tokens"]["tokenizer"], "o200k");
    for tier in ["listing", "body", "references"] {
        for key in ["total", "median", "p90", "p99", "max"] {
            assert!(doc["tokens"][tier][key].is_u64(), "tokens.{tier}.{key}");
        }
    }
    assert_eq!(doc["tokens"]["listing"]["skills"], 5);
    assert!(doc["tokens"]["body"]["median"].as_u64().unwrap() > 0);
    let body_hist: u64 = doc["tokens"]["body"]["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(body_hist, 5);
    let shares: f64 = [
        "core_rule",
        "background",
        "example",
        "template",
        "redundant",
    ]
    .iter()
    .map(|l| doc["labels"][l]["share"].as_f64().unwrap())
    .sum();
    assert!((shares - 1.0).abs() < 1e-9, "{shares}");
    assert_eq!(doc["labels"]["core_rule"]["study_share"], 0.385);
    // The same rules as lint: D001 for no-description, F001 for no-frontmatter, F006 for
    // the unreadable manifest, F003 for the strict YAML error.
    for code in ["D001", "F001", "F003", "F006"] {
        assert_eq!(doc["rules"][code]["skills"]["count"], 1, "{code}");
    }
    let heaviest = doc["heaviest"].as_array().unwrap();
    assert_eq!(heaviest.len(), 5);
    assert_eq!(heaviest[0]["name"], "pdf-forms");
    // A small tree: a reduce is simulated on every readable skill.
    assert_eq!(doc["reduce"]["sampled"], 5);
    assert_eq!(doc["reduce"]["every"], 1);
    let outcomes: u64 = doc["reduce"]["outcomes"]
        .as_object()
        .unwrap()
        .values()
        .map(|f| f["count"].as_u64().unwrap())
        .sum();
    assert_eq!(outcomes, 5);
    assert!(doc["reduce"]["before"].as_u64().unwrap() >= doc["reduce"]["after"].as_u64().unwrap());
    // helper's body asks for what pdf-forms's description offers.
    let pairs = doc["collisions"]["worst_pairs"].as_array().unwrap();
    assert!(
        pairs
            .iter()
            .any(|p| p["skill"] == "helper" && p["winner"] == "pdf-forms" && p["lost"] == 2),
        "{pairs:?}"
    );
    assert!(doc["collisions"]["skills_losing_most"].as_u64().unwrap() >= 1);
    assert!(text.contains("no description"), "{text}");
    assert!(
        text.contains("`helper` loses 2 of 2 of its queries to `pdf-forms`"),
        "{text}"
    );
}

#[test]
fn html_is_self_contained() {
    let tmp = registry();
    let (_, page, _) = audit(tmp.path(), &[]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<svg"), "charts are inline SVG");
    assert!(page.contains("Routing collisions"));
    assert!(
        page.contains("26.4%"),
        "the study's figures sit beside ours"
    );
    let lower = page.to_lowercase();
    for external in [
        "<script", "<link", "src=", "href=", "url(", "@import", "http:", "https:",
    ] {
        assert!(!lower.contains(external), "found `{external}` in the page");
    }
}

/// Audit's tier totals agree with `skillpress tokens` under each tokenizer.
#[test]
fn tier_totals_agree_with_the_tokens_command() {
    let tmp = registry();
    for tokenizer in ["o200k", "cl100k"] {
        let (doc, _, _) = audit(tmp.path(), &["--tokenizer", tokenizer]);
        assert_eq!(doc["tokens"]["tokenizer"], tokenizer);
        let out = Command::cargo_bin("skillpress")
            .unwrap()
            .arg("tokens")
            .arg(tmp.path())
            .args(["--tokenizer", tokenizer, "--format", "json"])
            .output()
            .unwrap();
        let tokens: Value = serde_json::from_slice(&out.stdout).unwrap();
        for tier in ["listing", "body", "references"] {
            assert_eq!(
                doc["tokens"][tier]["total"], tokens["totals"][tier]["tokens"],
                "{tokenizer} {tier}"
            );
        }
    }
}

#[test]
fn a_bad_tokenizer_is_a_tool_error() {
    Command::cargo_bin("skillpress")
        .unwrap()
        .args(["audit", TREE, "--tokenizer", "nope"])
        .assert()
        .code(2);
}

/// On trees larger than the sample size a reduce is simulated on every k-th skill only,
/// and the tree-wide saving is scaled from the sample.
#[test]
fn reduce_is_sampled_on_large_trees() {
    use skillpress::audit::{run, Options, Quiet};
    use skillpress::config::Settings;
    let settings = Settings::default();
    let tok = skillpress::tokens::Tokenizer::get("o200k").unwrap();
    let options = Options {
        reduce_sample: 2,
        ..Options::default()
    };
    let (report, _) = run(
        &[PathBuf::from(TREE)],
        &settings,
        None,
        &tok,
        &[],
        &options,
        &Quiet,
    )
    .unwrap();
    assert_eq!(report.skills, 5);
    // Five skills, about two sampled: every third, the first and the fourth.
    assert_eq!(report.reduce.every, 3);
    assert_eq!(report.reduce.sampled, 2);
    let saved = report.reduce.before - report.reduce.after;
    assert_eq!(
        report.reduce.registry_saving_estimate,
        (saved as f64 * 5.0 / 2.0).round() as u64
    );
}
