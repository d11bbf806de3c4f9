//! Laws checked on generated input: fixes converge on any frontmatter, keep the body and
//! never change what a strict loader read; reduce is idempotent and faithful on generated
//! skills (every fenced code block, inline code span and URL survives somewhere).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_yaml_ng::Value;
use skillpress::config::{Overrides, Settings};
use skillpress::reduce::{self, Outcome};
use skillpress::skill::{frontmatter, FrontmatterState, Skill};

fn settings() -> Settings {
    Settings::load(Path::new("."), None, true, &Overrides::default()).unwrap()
}

fn in_memory(text: String) -> Skill {
    Skill::from_parts(
        PathBuf::from("/nonexistent/skillpress-props/demo"),
        "SKILL.md".into(),
        text,
        Vec::new(),
    )
}

fn strict(text: &str) -> Option<Value> {
    match frontmatter::parse(text).0 {
        FrontmatterState::Present(f) => f.strict.ok(),
        _ => None,
    }
}

/// A scalar as authors write them, including the ways they break strict YAML.
fn scalar() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Use when".to_string()),
        Just("the user asks".to_string()),
        Just(": ".to_string()),
        Just(" #".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("[MIT]".to_string()),
        Just("{x}".to_string()),
        Just("*bold*".to_string()),
        Just("&".to_string()),
        Just("&a".to_string()),
        Just("*a".to_string()),
        Just("!tag".to_string()),
        Just("%".to_string()),
        Just("@".to_string()),
        Just("`code`".to_string()),
        Just("|".to_string()),
        Just(">".to_string()),
        Just("\\".to_string()),
        Just("\t".to_string()),
        Just("é ü".to_string()),
        Just("-".to_string()),
        "[a-z]{1,8}",
    ];
    prop::collection::vec(piece, 0..6).prop_map(|v| v.join(" "))
}

fn entry() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("name".to_string()),
        Just("description".to_string()),
        Just("license".to_string()),
        Just("allowed-tools".to_string()),
        Just("metadata".to_string()),
        "[a-z]{1,6}",
    ];
    let continuation = prop::option::of(scalar());
    (key, scalar(), continuation, 0..4usize).prop_map(|(k, v, more, style)| match style {
        0 => format!("{k}: {v}"),
        1 => format!("{k}: |\n  {v}"),
        2 => match more {
            Some(m) => format!("{k}: {v}\n  {m}"),
            None => format!("{k}: {v}"),
        },
        _ => format!("{k}:\n  - {v}"),
    })
}

fn manifest() -> impl Strategy<Value = String> {
    (prop::collection::vec(entry(), 0..6), any::<bool>()).prop_map(|(entries, crlf)| {
        let text = format!(
            "---\n{}\n---\n# Demo\n\nRun `demo --check` before each release.\n",
            entries.join("\n")
        );
        if crlf {
            text.replace('\n', "\r\n")
        } else {
            text
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn fixes_converge_and_keep_what_strict_loaders_read(text in manifest()) {
        let settings = settings();
        let skill = in_memory(text.clone());
        let body = skill.body_text().to_string();
        let outcome = skillpress::fix::fix_skill(skill, &settings);
        prop_assert!(outcome.converged, "did not converge:\n{text}");
        let after = in_memory(outcome.fixed.clone());
        prop_assert_eq!(after.body_text(), body.as_str());
        if let Some(before) = strict(&text) {
            let fixed = strict(&outcome.fixed);
            prop_assert!(fixed.is_some(), "parsed before, not after:\n{}", outcome.fixed);
            let (Value::Mapping(b), Some(Value::Mapping(a))) = (&before, &fixed) else {
                return Ok(());
            };
            for (k, v) in b {
                let w = a.get(k);
                let words = |v: Option<&Value>| {
                    v.and_then(|v| v.as_str()).map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                };
                prop_assert!(Some(v) == w || (words(Some(v)).is_some() && words(Some(v)) == words(w)),
                    "{k:?} changed: {v:?} -> {w:?}\n{text}");
            }
        }
        let again = skillpress::fix::fix_skill(after, &settings);
        prop_assert_eq!(again.fixed, outcome.fixed);
    }
}

/// A body section of a generated skill: rules, background, an example or a template.
fn section() -> impl Strategy<Value = String> {
    let word = "[a-z]{3,9}";
    let sentence = prop::collection::vec(word, 4..12).prop_map(|w| {
        let mut s = w.join(" ");
        s.push('.');
        s[..1].to_uppercase() + &s[1..]
    });
    let kind = 0..5usize;
    (kind, prop::collection::vec(sentence, 1..4), "[a-z]{3,8}", 1..999u32).prop_map(
        |(kind, sentences, name, n)| match kind {
            0 => format!(
                "## Steps\n\n1. Run `{name} --check` before each release.\n2. Never edit `{name}.lock` by hand.\n3. {}\n",
                sentences[0]
            ),
            1 => format!("## Background\n\n{}\n\nThe {name} format dates from {n} and is described at https://example.com/{name}.\n", sentences.join(" ")),
            2 => format!("## Example\n\nFor example:\n\n```sh\n{name} convert --size {n}MB input.csv\n```\n\n{}\n", sentences[0]),
            3 => format!("## Template\n\nCopy this template:\n\n```markdown\n# {{{{title}}}}\n\n- {name}: {{{{value}}}}\n```\n"),
            _ => format!("## Overview\n\n{}\n", sentences.join(" ")),
        },
    )
}

fn generated_skill() -> impl Strategy<Value = String> {
    prop::collection::vec(section(), 1..7).prop_map(|sections| {
        format!(
            "---\nname: demo\ndescription: Converts demo files and checks releases. Use when the user asks to convert, check or release demo files.\n---\n# Demo\n\n{}",
            sections.join("\n")
        )
    })
}

/// The code blocks, inline code spans and URLs of a markdown text.
fn facts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut fence = String::new();
    for line in text.lines() {
        if line.starts_with("```") {
            if in_fence {
                out.push(std::mem::take(&mut fence));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            fence.push_str(line);
            fence.push('\n');
            continue;
        }
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 1 && !part.is_empty() {
                out.push(part.to_string());
            }
        }
        out.extend(
            line.split_whitespace()
                .filter(|w| w.starts_with("https://"))
                .map(|w| w.trim_end_matches(['.', ',', ')']).to_string()),
        );
    }
    out
}

/// One generated skill: if reduce returns a plan, the plan is verified, reducing its
/// result changes nothing, and every fact of the body survives. Returns whether it reduced.
fn check_reduce(text: &str) -> Result<bool, TestCaseError> {
    let settings = settings();
    let skill = in_memory(text.to_string());
    let (plan, report) = reduce::reduce(&skill, &settings);
    if report.outcome != Outcome::Reduced {
        prop_assert!(plan.is_empty());
        return Ok(false);
    }
    let after = reduce::apply(&skill, &plan);
    // Held to the skill reduce worked on (the original, or its safely fixed YAML).
    let base = reduce::prepared(&skill, &settings);
    prop_assert_eq!(
        reduce::verify(base.as_ref().unwrap_or(&skill), &after, &settings),
        Outcome::Reduced
    );
    let (again, _) = reduce::reduce(&after, &settings);
    prop_assert!(
        again.is_empty(),
        "not idempotent: {:?}\n{text}",
        again.write.keys().collect::<Vec<_>>()
    );
    let mut all = after.text.clone();
    for f in &after.files {
        all.push_str(f.text.as_deref().unwrap_or(""));
    }
    for fact in facts(skill.body_text()) {
        prop_assert!(all.contains(fact.trim_end()), "lost {fact:?}\n{text}");
    }
    Ok(true)
}

#[test]
fn reduce_is_idempotent_and_faithful() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let reduced = AtomicUsize::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 48,
        ..ProptestConfig::default()
    });
    let result = runner.run(&generated_skill(), |text| {
        if check_reduce(&text)? {
            reduced.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The law is only tested if generated skills do get reduced.
    let n = reduced.load(Ordering::Relaxed);
    assert!(n >= 10, "only {n} of 48 generated skills were reduced");
}

/// Inputs the fuzz targets found failing (testdata/fuzz-regressions, named after the
/// target): each must now keep that target's law.
#[test]
fn fuzz_regressions_keep_their_laws() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz-regressions");
    let settings = settings();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        if name.starts_with("fix-") {
            let outcome = skillpress::fix::fix_skill(in_memory(text.clone()), &settings);
            assert!(outcome.converged, "{name}: fixes do not converge");
            let again = skillpress::fix::fix_skill(in_memory(outcome.fixed.clone()), &settings);
            assert_eq!(again.fixed, outcome.fixed, "{name}");
        } else if name.starts_with("reduce-") {
            check_reduce(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        checked += 1;
    }
    assert!(checked > 0);
}
