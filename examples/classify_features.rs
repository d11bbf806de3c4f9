//! Feature data for `scripts/train-classifier`; the script runs this, not people.
//!
//! - `classify_features idf CORPUS OUT`: document frequencies of words over the skills
//!   under CORPUS (one document per body block), written as the table the similarity
//!   features read (`data/classify/idf.bin`).
//! - `classify_features dump SHARED`: for every labelled block of `SHARED/gold/*.jsonl`,
//!   one JSON line with the skill, the gold label and the block's feature buckets, so the
//!   model is trained on exactly the features the binary computes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use skillpress::classify::{self, features};
use skillpress::render::LineIndex;
use skillpress::skill::Skill;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["idf", corpus, out] => idf(Path::new(corpus), Path::new(out)),
        ["dump", shared] => dump(Path::new(shared)),
        _ => {
            eprintln!("usage: classify_features idf CORPUS OUT | dump SHARED");
            std::process::exit(2);
        }
    }
}

fn skill_dirs(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        // No links followed: the corpus is plain folders.
        let Ok(t) = e.file_type() else { continue };
        if t.is_dir() {
            if p.join("SKILL.md").is_file() {
                out.push(p.clone());
            }
            skill_dirs(&p, out);
        }
    }
}

fn idf(corpus: &Path, out: &Path) {
    let mut dirs = Vec::new();
    skill_dirs(corpus, &mut dirs);
    let skills: Vec<Skill> = dirs.iter().filter_map(|d| Skill::load(d).ok()).collect();
    let blocks = skills.iter().flat_map(|s| {
        s.body
            .blocks
            .iter()
            .filter(|b| classify::is_labelled(b))
            .map(|b| &s.text[b.range.clone()])
    });
    let table = features::idf_table(blocks);
    std::fs::write(out, table).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
    eprintln!("idf: {} skills", skills.len());
}

#[derive(serde::Deserialize)]
struct Gold {
    path: String,
    start: usize,
    end: usize,
    label: String,
}

fn dump(shared: &Path) {
    let mut by_path: BTreeMap<String, Vec<(Gold, &str)>> = BTreeMap::new();
    for (file, set) in [("labels.jsonl", "labels"), ("labels-more.jsonl", "more")] {
        let path = shared.join("gold").join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let g: Gold = serde_json::from_str(line).expect("a gold line");
            by_path.entry(g.path.clone()).or_default().push((g, set));
        }
    }
    for (path, golds) in &by_path {
        let dir = shared.join(path);
        let dir = dir.parent().expect("a SKILL.md path");
        let skill = Skill::load(dir).unwrap_or_else(|_| panic!("cannot load {}", dir.display()));
        let description = skill.description();
        let analysis = classify::analyse(&skill.text, &skill.body, description.as_deref());
        let buckets = analysis.buckets();
        let names: Vec<Vec<String>> = (0..analysis.len())
            .map(|n| {
                let mut v = Vec::new();
                analysis.features(n, &mut |name, _| v.push(name.concat()));
                v
            })
            .collect();
        let index = LineIndex::new(&skill.text);
        let mut by_lines: HashMap<(usize, usize), usize> = HashMap::new();
        let mut by_start: HashMap<usize, usize> = HashMap::new();
        for (n, c) in analysis.heuristic.iter().enumerate() {
            let start = index.position(c.range.start).line;
            let end = index
                .position(c.range.end.saturating_sub(1).max(c.range.start))
                .line;
            by_lines.insert((start, end), n);
            by_start.entry(start).or_insert(n);
        }
        for (g, set) in golds {
            let found = by_lines
                .get(&(g.start, g.end))
                .or_else(|| by_start.get(&g.start))
                .copied();
            let line = serde_json::json!({
                "skill": path,
                "set": set,
                "start": g.start,
                "label": g.label,
                "n": found,
                "ids": found.map(|n| buckets[n].clone()),
                "names": found.map(|n| names[n].clone()),
                "may_repeat": found.map(|n| analysis.targets[n].is_some()),
                "exact_repeat": found.map(|n| analysis.is_exact_repeat(n)),
                "list": found.and_then(|n| analysis.lists[n].map(|l| l.0)),
                "list_len": found.and_then(|n| analysis.lists[n].map(|l| l.1)),
            });
            println!("{line}");
        }
    }
}
