//! `skillpress tokens`: tier assignment on a fixture tree (linked and unlinked files,
//! transitive and folder mentions, nested skills, binary files, scripts), the price
//! arithmetic and estimate labels end to end, and snapshots of the table, JSON and CSV.

use std::collections::BTreeMap;
use std::path::PathBuf;

use assert_cmd::Command;
use skillpress::render::tokens::{write, TokensFormat};
use skillpress::tokens::prices;
use skillpress::tokens::report::{build, SortKey, TokensReport};
use skillpress::tokens::tiers::{mentioned_files, Tier};
use skillpress::tokens::Tokenizer;

const TREE: &str = "testdata/tokens/tiers";

fn report(tokenizer: &str, models: &[&str]) -> TokensReport {
    let tok = Tokenizer::get(tokenizer).unwrap();
    let models = prices::select(&models.iter().map(|m| m.to_string()).collect::<Vec<_>>()).unwrap();
    let mut r = build(
        &[PathBuf::from(TREE)],
        &globset::GlobSet::empty(),
        &tok,
        models,
    )
    .unwrap();
    r.sort(SortKey::Name);
    r
}

fn render(r: &TokensReport, format: TokensFormat) -> String {
    let mut out = Vec::new();
    write(format, r, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn tiers_of_each_file() {
    let r = report("o200k", &[]);
    let names: Vec<&str> = r.skills.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["nested", "pdf-tools"],
        "nested skills are skills of their own"
    );
    let pdf = &r.skills[1];
    let tiers: BTreeMap<&str, Tier> = pdf.files.iter().map(|f| (f.rel.as_str(), f.tier)).collect();
    let want: BTreeMap<&str, Tier> = [
        // Linked from SKILL.md.
        ("references/linked.md", Tier::References),
        // Linked from linked.md, relative to its folder.
        ("references/deeper.md", Tier::References),
        // Written out in plain text.
        ("docs/guide.md", Tier::References),
        // Covered by the mention of `templates/`.
        ("templates/form.txt", Tier::References),
        // Data, not text an agent reads: mentioned, but not a reference.
        ("templates/fields.json", Tier::Other),
        // Nothing mentions them.
        ("references/unlinked.md", Tier::Other),
        ("notes.txt", Tier::Other),
        // Run, not read, mentioned or not.
        ("scripts/run.py", Tier::Scripts),
        ("scripts/helper.sh", Tier::Scripts),
    ]
    .into_iter()
    .collect();
    // Binary files (by name or by content) and the nested skill's files are absent.
    assert_eq!(tiers, want);

    let sum = |t: Tier| -> u64 {
        pdf.files
            .iter()
            .filter(|f| f.tier == t)
            .map(|f| f.tokens.tokens)
            .sum()
    };
    assert_eq!(pdf.references.tokens, sum(Tier::References));
    assert_eq!(pdf.other.tokens, sum(Tier::Other));
    assert_eq!(pdf.scripts.tokens, sum(Tier::Scripts));
    assert!(pdf.scripts.tokens > 0);
    // Scripts are shown but not part of what the model reads.
    assert_eq!(
        pdf.total().tokens,
        pdf.listing.tokens + pdf.body.tokens + pdf.references.tokens + pdf.other.tokens
    );
}

#[test]
fn mentions_resolve_from_the_nested_skill_too() {
    let skill =
        skillpress::skill::Skill::load(&PathBuf::from(TREE).join("pdf-tools/nested")).unwrap();
    let m: Vec<String> = mentioned_files(&skill).into_iter().collect();
    assert_eq!(m, ["references/own.md"]);
}

#[test]
fn activation_cost_is_listing_plus_body_times_price() {
    let r = report("o200k", &["gpt-5.5", "claude-opus-4-7"]);
    let s = &r.skills[1];
    let gpt = &s.costs[0];
    let tokens = (s.listing.tokens + s.body.tokens) as f64;
    assert!((gpt.per_1000_activations.usd - tokens * 1000.0 * 5.0 / 1e6).abs() < 1e-9);
    assert!(
        (gpt.listing_per_1000_requests.usd - s.listing.tokens as f64 * 1000.0 * 5.0 / 1e6).abs()
            < 1e-9
    );
    assert!(!gpt.estimate);
    // Opus 4.7 counts with its own (estimated) tokenizer, whatever --tokenizer says.
    let opus = &s.costs[1];
    assert!(opus.estimate);
    assert!(opus.per_1000_activations.low < opus.per_1000_activations.usd);
    assert!(opus.per_1000_activations.usd < opus.per_1000_activations.high);
    let totals: f64 = r
        .skills
        .iter()
        .map(|s| s.costs[0].per_1000_activations.usd)
        .sum();
    assert!((r.totals.costs[0].per_1000_activations.usd - totals).abs() < 1e-9);
}

#[test]
fn estimates_are_labelled_in_every_format() {
    let r = report("claude", &["gpt-5.5"]);
    assert!(!r.skills[1].body.is_exact());
    let table = render(&r, TokensFormat::Table);
    assert!(table.contains('≈'), "{table}");
    assert!(table.contains("claude-4.7 is an estimate"), "{table}");
    assert!(table.contains("range 1.2-1.9"), "{table}");
    let json: serde_json::Value = serde_json::from_str(&render(&r, TokensFormat::Json)).unwrap();
    assert_eq!(json["estimate"]["name"], "claude-4.7");
    assert!(json["estimate"]["date"].as_str().unwrap().starts_with("20"));
    let body = &json["skills"][1]["body"];
    assert!(body["low"].as_u64() < body["high"].as_u64(), "{body}");
    let csv = render(&r, TokensFormat::Csv);
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains("x1.5 (1.2-1.9)"), "{row}");

    let exact = render(&report("o200k", &["gpt-5.5"]), TokensFormat::Table);
    assert!(!exact.contains('≈'), "{exact}");
}

#[test]
fn snapshots_of_each_format() {
    let r = report("o200k", &[]);
    insta::assert_snapshot!("tokens_table", render(&r, TokensFormat::Table));
    insta::assert_snapshot!("tokens_json", render(&r, TokensFormat::Json));
    insta::assert_snapshot!("tokens_csv", render(&r, TokensFormat::Csv));
    let r = report("claude-4.6", &["claude-sonnet-4-6", "gpt-4o"]);
    insta::assert_snapshot!("tokens_table_claude", render(&r, TokensFormat::Table));
}

#[test]
fn command_line_sort_top_and_errors() {
    let out = Command::cargo_bin("skillpress")
        .unwrap()
        .args([
            "tokens", TREE, "--sort", "body", "--top", "1", "--format", "csv",
        ])
        .args(["--model", "gpt-5.5,gemini-2.5-flash"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.lines().nth(1).unwrap().contains(",pdf-tools,"),
        "{text}"
    );
    assert!(text.lines().next().unwrap().contains("gemini-2.5-flash"));

    let out = Command::cargo_bin("skillpress")
        .unwrap()
        .args(["tokens", TREE, "--tokenizer", "p50k"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown tokenizer"));

    let out = Command::cargo_bin("skillpress")
        .unwrap()
        .args(["tokens", TREE, "--model", "gpt-2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown model"));
}

#[test]
fn lint_reports_an_unloadable_tokenizer_as_a_tool_error() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = tmp.path().join("demo-skill");
    std::fs::create_dir_all(&skill).unwrap();
    std::fs::write(
        skill.join("SKILL.md"),
        "---\nname: demo-skill\ndescription: Short.\n---\n# Demo\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("skillpress.toml"),
        "tokenizer = \"hf:/no/such/tokenizer.json\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("skillpress")
        .unwrap()
        .arg("lint")
        .arg(&skill)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/no/such/tokenizer.json"), "{err}");
    // With the token rules off the tokenizer is never loaded.
    let out = Command::cargo_bin("skillpress")
        .unwrap()
        .args(["lint", "--select", "F"])
        .arg(&skill)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
