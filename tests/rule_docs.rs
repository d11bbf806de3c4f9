//! The rule book's documents and the registry match one to one, and each document's
//! examples behave as it says: the "triggers" example produces the rule, the "does not"
//! example does not. An example is a fenced block with info `skill` (the SKILL.md) or
//! `skill path=REL` (another file of the same skill); `folder=NAME` sets the folder name.

mod common;

use std::path::Path;

use skillpress::rules::RULES;

#[test]
fn documents_and_registry_match() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut docs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| n.trim_end_matches(".md").to_string())
        .collect();
    docs.sort();
    let mut names: Vec<String> = RULES.iter().map(|r| r.meta.name.to_string()).collect();
    names.sort();
    assert_eq!(
        docs, names,
        "rules/*.md and the registry must list the same rules"
    );
    for r in RULES {
        let first = r.doc.lines().next().unwrap_or("");
        assert_eq!(
            first,
            format!("# {} {}", r.meta.code, r.meta.name),
            "rules/{}.md must start with its code and name",
            r.meta.name
        );
        for section in [
            "## What it flags",
            "## Why it matters",
            "## Example that triggers it",
            "## Example that does not",
        ] {
            assert!(
                r.doc.contains(section),
                "rules/{}.md lacks `{section}`",
                r.meta.name
            );
        }
    }
}

/// The `skill` fences of one section of a document: (path, folder, content).
fn examples(doc: &str, section: &str) -> Vec<(String, Option<String>, String)> {
    let Some(start) = doc.find(section) else {
        return Vec::new();
    };
    let rest = &doc[start + section.len()..];
    let rest = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let mut out = Vec::new();
    let mut lines = rest.lines();
    while let Some(line) = lines.next() {
        let fence_len = line.len() - line.trim_start_matches('`').len();
        if fence_len < 3 {
            continue;
        }
        let info = line[fence_len..].trim();
        let mut words = info.split_whitespace();
        if words.next() != Some("skill") {
            continue;
        }
        let mut path = "SKILL.md".to_string();
        let mut folder = None;
        for w in words {
            if let Some(p) = w.strip_prefix("path=") {
                path = p.to_string();
            } else if let Some(f) = w.strip_prefix("folder=") {
                folder = Some(f.to_string());
            }
        }
        let fence = "`".repeat(fence_len);
        let mut content = String::new();
        for l in lines.by_ref() {
            if l.trim_end() == fence {
                break;
            }
            content.push_str(l);
            content.push('\n');
        }
        out.push((path, folder, content));
    }
    out
}

fn run_example(code: &str, files: &[(String, Option<String>, String)]) -> usize {
    let tmp = tempfile::tempdir().unwrap();
    let folder = files
        .iter()
        .find_map(|(_, f, _)| f.clone())
        .unwrap_or_else(|| "demo-skill".to_string());
    let dir = tmp.path().join(folder);
    for (path, _, content) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    let settings = common::only(&[code]);
    // Discover from the folder so that an example with a second skill (`path=OTHER/SKILL.md`)
    // lints both, as cross-skill rules need.
    let (linted, _) = skillpress::lint::lint_paths(&[dir], &settings).unwrap();
    linted.diagnostics().filter(|d| d.code == code).count()
}

#[test]
fn document_examples_behave_as_documented() {
    for r in RULES {
        let bad = examples(r.doc, "## Example that triggers it");
        let good = examples(r.doc, "## Example that does not");
        assert!(
            !good.is_empty(),
            "rules/{}.md has no `skill` example that passes",
            r.meta.name
        );
        assert_eq!(
            run_example(r.meta.code, &good),
            0,
            "rules/{}.md: the passing example triggers the rule",
            r.meta.name
        );
        if r.meta.name == "manifest-unreadable" {
            continue;
        }
        assert!(
            !bad.is_empty(),
            "rules/{}.md has no `skill` example that triggers",
            r.meta.name
        );
        assert!(
            run_example(r.meta.code, &bad) > 0,
            "rules/{}.md: the triggering example does not trigger the rule",
            r.meta.name
        );
    }
}
