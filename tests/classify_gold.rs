//! Measures the classifier against the labelled blocks in `shared/gold/labels.jsonl`:
//! per-label precision and recall, macro-F1, the confusion matrix and how often a core
//! rule gets another label. Fails when the numbers fall below the floors below, so the
//! classifier cannot silently regress. Run with `--nocapture` to see the numbers.
//!
//! The data lives beside the repository (`../shared`); set `SKILLPRESS_SHARED` to point
//! elsewhere.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use skillpress::classify::{self, Label};
use skillpress::position::LineIndex;
use skillpress::skill::Skill;

/// Floors: the level reached when they were set, minus a small margin.
const MIN_MACRO_F1: f64 = 0.56;
const MIN_CORE_RECALL: f64 = 0.87;
/// Share of gold blocks whose line range matches one of our blocks exactly.
const MIN_BLOCK_MATCH: f64 = 0.95;

fn shared_dir() -> PathBuf {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if beside.join("gold/labels.jsonl").is_file() {
        return beside;
    }
    if let Some(dir) = std::env::var_os("SKILLPRESS_SHARED") {
        let dir = PathBuf::from(dir);
        if dir.join("gold/labels.jsonl").is_file() {
            return dir;
        }
        panic!(
            "SKILLPRESS_SHARED={} holds no gold/labels.jsonl",
            dir.display()
        );
    }
    panic!(
        "no labelled data: neither {} nor $SKILLPRESS_SHARED holds gold/labels.jsonl; \
         check out `shared/` beside the repository or set SKILLPRESS_SHARED",
        beside.display()
    );
}

#[derive(serde::Deserialize)]
struct Gold {
    path: String,
    start: usize,
    end: usize,
    label: String,
}

#[test]
fn classifier_matches_gold_labels() {
    let shared = shared_dir();
    let text = std::fs::read_to_string(shared.join("gold/labels.jsonl")).unwrap();
    let mut by_path: BTreeMap<String, Vec<Gold>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let g: Gold = serde_json::from_str(line).expect("a gold line");
        by_path.entry(g.path.clone()).or_default().push(g);
    }

    // confusion[gold][predicted]
    let mut confusion = [[0usize; 5]; 5];
    let (mut gold_blocks, mut matched) = (0usize, 0usize);
    let mut misses: Vec<String> = Vec::new();
    // Per reason that decided a label: (blocks, of which right).
    let mut by_reason: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    for (path, golds) in &by_path {
        let file = shared.join(path);
        let dir = file.parent().unwrap();
        let skill = Skill::load(dir).unwrap_or_else(|_| panic!("cannot load {}", dir.display()));
        let index = LineIndex::new(&skill.text);
        let classified = classify::classify(&skill);
        let lines: HashMap<(usize, usize), &classify::Classified> = classified
            .iter()
            .map(|c| {
                let start = index.position(c.range.start).line;
                let end = index
                    .position(c.range.end.saturating_sub(1).max(c.range.start))
                    .line;
                ((start, end), c)
            })
            .collect();
        let by_start: HashMap<usize, &classify::Classified> =
            lines.iter().map(|(&(s, _), c)| (s, *c)).collect();
        for g in golds {
            gold_blocks += 1;
            let gold = Label::parse(&g.label).expect("a known label");
            let found = match lines.get(&(g.start, g.end)) {
                Some(c) => {
                    matched += 1;
                    Some(*c)
                }
                None => by_start.get(&g.start).copied(),
            };
            // An unmatched gold block counts as labelled core rule, which is what a
            // consumer would assume for text it was not told about.
            let predicted = found.map_or(Label::CoreRule, |c| c.label);
            confusion[gold as usize][predicted as usize] += 1;
            let tally = by_reason
                .entry(found.map_or("no block", |c| c.reason))
                .or_default();
            tally.0 += 1;
            tally.1 += usize::from(gold == predicted);
            if gold != predicted {
                let first = skill.text.lines().nth(g.start - 1).unwrap_or("");
                misses.push(format!(
                    "{}:{} gold={} got={} ({}) | {}",
                    path.rsplit('/').nth(1).unwrap_or(path),
                    g.start,
                    gold.as_str(),
                    predicted.as_str(),
                    found.map_or("no block", |c| c.reason),
                    first.chars().take(100).collect::<String>()
                ));
            }
        }
    }

    let match_rate = matched as f64 / gold_blocks as f64;
    println!(
        "gold: {} skills, {gold_blocks} blocks, {matched} matched by line range ({:.1}%)",
        by_path.len(),
        100.0 * match_rate
    );
    println!(
        "{:<12} {:>9} {:>9} {:>9} {:>7}",
        "label", "precision", "recall", "f1", "gold"
    );
    let mut f1_sum = 0.0;
    for l in Label::ALL {
        let i = l as usize;
        let tp = confusion[i][i] as f64;
        let predicted: usize = (0..5).map(|g| confusion[g][i]).sum();
        let actual: usize = confusion[i].iter().sum();
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
        println!(
            "{:<12} {:>9.3} {:>9.3} {:>9.3} {:>7}",
            l.as_str(),
            p,
            r,
            f1,
            actual
        );
    }
    let macro_f1 = f1_sum / 5.0;
    println!("macro-F1: {macro_f1:.3}");
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
            confusion[l as usize].map(|n| format!("{n:>11}")).join("")
        );
    }
    let core = confusion[Label::CoreRule as usize];
    let core_total: usize = core.iter().sum();
    let core_recall = core[0] as f64 / core_total as f64;
    println!(
        "core rules labelled otherwise: {} of {core_total} ({:.1}%)",
        core_total - core[0],
        100.0 * (1.0 - core_recall)
    );
    if std::env::var_os("SKILLPRESS_GOLD_MISSES").is_some() {
        for m in &misses {
            println!("miss {m}");
        }
        for (reason, (n, right)) in &by_reason {
            println!("reason {n:>4} {right:>4} right  {reason}");
        }
    }

    assert!(
        match_rate >= MIN_BLOCK_MATCH,
        "only {:.1}% of gold blocks line up with parsed blocks",
        100.0 * match_rate
    );
    assert!(
        macro_f1 >= MIN_MACRO_F1,
        "macro-F1 {macro_f1:.3} fell below {MIN_MACRO_F1}"
    );
    assert!(
        core_recall >= MIN_CORE_RECALL,
        "core-rule recall {core_recall:.3} fell below {MIN_CORE_RECALL}"
    );
}
