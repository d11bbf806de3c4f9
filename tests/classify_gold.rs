//! Measures the classifier on labelled blocks it was not trained on (`shared/gold`), with
//! the Rust inference the binary uses:
//!
//! - grouped 5-fold cross-validation: each skill is classified by the fold model
//!   (`data/classify/cv/fold-K.bin`) that `scripts/train-classifier` trained without that
//!   skill's fold (the fold of each skill is in `data/classify/cv/report.json`);
//! - trained on `labels.jsonl`, tested on `labels-more.jsonl` (`cv/train-labels.bin`).
//!
//! Prints per-label precision and recall and the confusion matrix (`--nocapture`), fails
//! below the floors, and checks the Rust scores agree with what the script reported. The
//! embedded model (`data/classify/model.bin`) is trained on all labelled blocks; the
//! script's `--check` (run by `.ci/run`) proves it is what the script trains.
//!
//! The data lives beside the repository (`../shared`, or `SKILLPRESS_SHARED`). Without it
//! the test prints a note and passes, except under `CI=true`, where it fails.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use skillpress::classify::{self, model::Model, Label};
use skillpress::position::LineIndex;
use skillpress::skill::Skill;

/// Floors: the level reached when they were set, minus a small margin.
const MIN_CV_MACRO_F1: f64 = 0.50;
const MIN_CV_CORE_RECALL: f64 = 0.93;
const MIN_HELD_OUT_MACRO_F1: f64 = 0.39;
const MIN_HELD_OUT_CORE_RECALL: f64 = 0.92;
/// Share of gold blocks whose line range matches one of our blocks exactly.
const MIN_BLOCK_MATCH: f64 = 0.95;

/// The shared data when it holds the gold labels (`tests/common::shared`: a note and a
/// skip without it, a failure under `CI=true`).
fn shared_dir() -> Option<PathBuf> {
    common::shared("classify_gold", "gold/labels.jsonl")
}

#[derive(serde::Deserialize)]
struct Gold {
    path: String,
    start: usize,
    end: usize,
    label: String,
}

fn gold(shared: &Path, file: &str) -> BTreeMap<String, Vec<Gold>> {
    let text = std::fs::read_to_string(shared.join("gold").join(file)).unwrap();
    let mut by_path: BTreeMap<String, Vec<Gold>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let g: Gold = serde_json::from_str(line).expect("a gold line");
        by_path.entry(g.path.clone()).or_default().push(g);
    }
    by_path
}

fn model(file: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/classify")
        .join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Model::from_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// confusion[gold][predicted], blocks matched by line range, and the misses.
struct Score {
    confusion: [[usize; 5]; 5],
    blocks: usize,
    matched: usize,
    misses: Vec<String>,
}

impl Score {
    fn new() -> Score {
        Score {
            confusion: [[0; 5]; 5],
            blocks: 0,
            matched: 0,
            misses: Vec::new(),
        }
    }

    fn add(&mut self, shared: &Path, path: &str, golds: &[Gold], model: &Model) {
        let dir = shared.join(path);
        let dir = dir.parent().unwrap();
        let skill = Skill::load(dir).unwrap_or_else(|_| panic!("cannot load {}", dir.display()));
        let index = LineIndex::new(&skill.text);
        let classified = classify::classify_with(model, &skill);
        let mut lines = HashMap::new();
        let mut by_start = HashMap::new();
        for c in &classified {
            let start = index.position(c.range.start).line;
            let end = index
                .position(c.range.end.saturating_sub(1).max(c.range.start))
                .line;
            lines.insert((start, end), c);
            by_start.entry(start).or_insert(c);
        }
        for g in golds {
            self.blocks += 1;
            let gold = Label::parse(&g.label).expect("a known label");
            let found = match lines.get(&(g.start, g.end)) {
                Some(c) => {
                    self.matched += 1;
                    Some(*c)
                }
                None => by_start.get(&g.start).copied(),
            };
            // An unmatched gold block counts as core rule, what a consumer would assume.
            let predicted = found.map_or(Label::CoreRule, |c| c.label);
            self.confusion[gold as usize][predicted as usize] += 1;
            if gold != predicted {
                let first = skill.text.lines().nth(g.start - 1).unwrap_or("");
                self.misses.push(format!(
                    "{}:{} gold={} got={} ({}) | {}",
                    path.rsplit('/').nth(1).unwrap_or(path),
                    g.start,
                    gold.as_str(),
                    predicted.as_str(),
                    found.map_or("no block", |c| &c.reason),
                    first.chars().take(100).collect::<String>()
                ));
            }
        }
    }

    /// Prints the table and returns (macro-F1, core-rule recall).
    fn report(&self, title: &str) -> (f64, f64) {
        println!(
            "{title}: {} blocks, {} matched by line range",
            self.blocks, self.matched
        );
        println!(
            "{:<12} {:>9} {:>9} {:>9} {:>7}",
            "label", "precision", "recall", "f1", "gold"
        );
        let m = &self.confusion;
        let mut f1_sum = 0.0;
        for l in Label::ALL {
            let i = l as usize;
            let tp = m[i][i] as f64;
            let predicted: usize = (0..5).map(|g| m[g][i]).sum();
            let actual: usize = m[i].iter().sum();
            let p = if predicted == 0 {
                0.0
            } else {
                tp / predicted as f64
            };
            let r = if actual == 0 { 0.0 } else { tp / actual as f64 };
            let f1 = if p + r == 0.0 {
                0.0
            } else {
                2.0 * p * r / (p + r)
            };
            f1_sum += f1;
            println!("{:<12} {p:>9.3} {r:>9.3} {f1:>9.3} {actual:>7}", l.as_str());
        }
        let macro_f1 = f1_sum / 5.0;
        let core_recall = m[0][0] as f64 / m[0].iter().sum::<usize>() as f64;
        println!("macro-F1 {macro_f1:.3}, core-rule recall {core_recall:.3}");
        println!("confusion (rows gold, columns predicted):");
        println!(
            "{:<12} {}",
            "",
            Label::ALL.map(|l| format!("{:>11}", l.as_str())).join("")
        );
        for l in Label::ALL {
            println!(
                "{:<12} {}",
                l.as_str(),
                m[l as usize].map(|n| format!("{n:>11}")).join("")
            );
        }
        if std::env::var_os("SKILLPRESS_GOLD_MISSES").is_some() {
            for miss in &self.misses {
                println!("miss {miss}");
            }
        }
        (macro_f1, core_recall)
    }
}

fn script_report() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/classify/cv/report.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The Rust inference computes in f32 what the script computes in numpy's f32; a block on
/// the threshold may tip either way, no more.
fn agrees(rust: f64, script: &serde_json::Value) -> bool {
    (rust - script.as_f64().unwrap()).abs() <= 0.01
}

#[test]
fn grouped_cross_validation_on_unseen_skills() {
    let Some(shared) = shared_dir() else { return };
    let report = script_report();
    let folds = &report["folds"];
    let models: Vec<Model> = (0..5).map(|k| model(&format!("cv/fold-{k}.bin"))).collect();
    let mut score = Score::new();
    for file in ["labels.jsonl", "labels-more.jsonl"] {
        for (path, golds) in &gold(&shared, file) {
            let fold = folds[path]
                .as_u64()
                .unwrap_or_else(|| panic!("{path} has no fold in cv/report.json"));
            score.add(&shared, path, golds, &models[fold as usize]);
        }
    }
    let (macro_f1, core_recall) =
        score.report("grouped 5-fold cross-validation (folds by skill, Rust inference)");
    let match_rate = score.matched as f64 / score.blocks as f64;
    assert!(
        match_rate >= MIN_BLOCK_MATCH,
        "only {match_rate:.3} of gold blocks line up"
    );
    let script = &report["cross_validation"];
    assert!(
        agrees(macro_f1, &script["macro_f1"]) && agrees(core_recall, &script["core_recall"]),
        "Rust scores {macro_f1:.3}/{core_recall:.3}, the script reported {}/{}",
        script["macro_f1"],
        script["core_recall"]
    );
    assert!(
        macro_f1 >= MIN_CV_MACRO_F1,
        "macro-F1 {macro_f1:.3} < {MIN_CV_MACRO_F1}"
    );
    assert!(
        core_recall >= MIN_CV_CORE_RECALL,
        "core-rule recall {core_recall:.3} < {MIN_CV_CORE_RECALL}"
    );
}

#[test]
fn trained_on_labels_tested_on_labels_more() {
    let Some(shared) = shared_dir() else { return };
    let model = model("cv/train-labels.bin");
    let mut score = Score::new();
    for (path, golds) in &gold(&shared, "labels-more.jsonl") {
        score.add(&shared, path, golds, &model);
    }
    let (macro_f1, core_recall) =
        score.report("trained on labels.jsonl, tested on labels-more.jsonl");
    let script = &script_report()["train_labels_test_more"];
    assert!(
        agrees(macro_f1, &script["macro_f1"]) && agrees(core_recall, &script["core_recall"]),
        "Rust scores {macro_f1:.3}/{core_recall:.3}, the script reported {}/{}",
        script["macro_f1"],
        script["core_recall"]
    );
    assert!(
        macro_f1 >= MIN_HELD_OUT_MACRO_F1,
        "macro-F1 {macro_f1:.3} < {MIN_HELD_OUT_MACRO_F1}"
    );
    assert!(
        core_recall >= MIN_HELD_OUT_CORE_RECALL,
        "core-rule recall {core_recall:.3} < {MIN_HELD_OUT_CORE_RECALL}"
    );
}

#[test]
fn the_embedded_model_is_the_one_the_script_reported() {
    let bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/classify/model.bin"))
            .unwrap();
    let report = script_report();
    let hash = fnv64_hex(&bytes);
    assert_eq!(
        report["weights_fnv64"].as_str(),
        Some(hash.as_str()),
        "data/classify/model.bin is not the model cv/report.json describes: rerun scripts/train-classifier"
    );
}

/// FNV-1a (64 bits): the report names the weights by it, the script computes the same.
fn fnv64_hex(data: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}
