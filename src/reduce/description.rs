//! Descriptions for the listing an agent sees on every request. A missing or short one
//! is generated from the body (what the skill does, when to use it, its distinctive
//! identifiers); a long one is tightened by removing filler, examples and repeated
//! trigger lists, but only where every distinctive term still survives.

use std::collections::BTreeSet;

use crate::rules::description_no_trigger::has_trigger;
use crate::skill::{BlockKind, Skill};

/// Longest description written (the agentskills.io limit).
pub const MAX_CHARS: usize = 1024;
/// A tightened description stays at or above this many tokens when the original was
/// (the default threshold of lint's T001).
pub const ROUTER_FLOOR_TOKENS: usize = 20;
/// A generated description is the opening statement and a trigger clause of at most
/// this many items from the body, and at most `MAX_GENERATED_CHARS` long.
pub const MAX_TRIGGER_ITEMS: usize = 3;
pub const MAX_GENERATED_CHARS: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Kept,
    Generated,
    Tightened,
}

/// The new description and how it came about. The rewrite is taken to its fixed point,
/// so rewriting a rewritten description changes nothing.
pub fn rewrite(skill: &Skill) -> (String, Change) {
    let original = one_line(&skill.description().unwrap_or_default());
    let mut current = original.clone();
    let mut change = Change::Kept;
    for _ in 0..8 {
        let (next, how) = rewrite_once(skill, &current);
        if next == current {
            break;
        }
        if change == Change::Kept || how == Change::Generated {
            change = how;
        }
        current = next;
    }
    if current == original {
        return (original, Change::Kept);
    }
    (current, change)
}

fn rewrite_once(skill: &Skill, original: &str) -> (String, Change) {
    if original.is_empty() {
        let generated = generate(skill, "");
        return if generated.is_empty() {
            (String::new(), Change::Kept)
        } else {
            (generated, Change::Generated)
        };
    }
    let mut tight = tighten(original);
    // Never below the length a router needs (lint's T001) when the original had it.
    let floor = ROUTER_FLOOR_TOKENS;
    if super::tokens(&tight) < floor && super::tokens(original) >= floor {
        tight = original.to_string();
    }
    if has_trigger(&tight) {
        return if tight.len() < original.len() {
            (tight, Change::Tightened)
        } else {
            (original.to_string(), Change::Kept)
        };
    }
    // No trigger: add the one the body states, if it states one.
    match trigger(skill) {
        Some(when) => {
            let with = format!(
                "{} {}",
                sentence(&tight),
                sentence(&format!("Use when {when}"))
            );
            if with.len() <= MAX_CHARS {
                (with, Change::Generated)
            } else {
                (tight, Change::Tightened)
            }
        }
        None if tight.len() < original.len() => (tight, Change::Tightened),
        None => (original.to_string(), Change::Kept),
    }
}

/// Collapses whitespace, including line breaks, to single spaces.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A description for a skill that has none, from the body's own words: its opening
/// statement and when it says to use it. Empty when the body says neither.
pub fn generate(skill: &Skill, original: &str) -> String {
    let text = &skill.text;
    let blocks = &skill.body.blocks;
    let mut parts: Vec<String> = Vec::new();
    if !original.is_empty() {
        parts.push(sentence(original));
    } else {
        let opening = blocks
            .iter()
            .filter(|b| {
                !b.heading_path
                    .iter()
                    .any(|h| crate::routing::is_when_to_use(h))
            })
            .find(|b| b.kind == BlockKind::Paragraph)
            .map(|b| first_sentence(&plain(&text[b.range.clone()])))
            .filter(|o| o.split_whitespace().count() >= 4 && !o.ends_with(':'));
        if let Some(open) = opening {
            parts.push(sentence(&open));
        }
    }
    if let Some(when) = trigger(skill) {
        parts.push(sentence(&format!("Use when {when}")));
    }
    let out = one_line(&parts.join(" "));
    if out.len() > MAX_GENERATED_CHARS {
        // Whole sentences only: the opening statement alone, or nothing.
        return parts
            .first()
            .filter(|p| p.len() <= MAX_GENERATED_CHARS)
            .cloned()
            .unwrap_or_default();
    }
    out
}

/// The clause saying when to use the skill: a "when to use" section's first items, or a
/// sentence of the body that says "use when" / "use this when".
fn trigger(skill: &Skill) -> Option<String> {
    let text = &skill.text;
    let blocks = &skill.body.blocks;
    let items: Vec<String> = blocks
        .iter()
        .filter(|b| {
            matches!(b.kind, BlockKind::ListItem { .. } | BlockKind::Paragraph)
                && b.heading_path
                    .last()
                    .is_some_and(|h| crate::routing::is_when_to_use(h))
        })
        .map(|b| first_sentence(&plain(&text[b.range.clone()])))
        .filter(|s| !s.is_empty() && !s.ends_with(':') && s.split_whitespace().count() <= 20)
        .take(MAX_TRIGGER_ITEMS)
        .collect();
    if !items.is_empty() {
        let items: Vec<String> = items
            .iter()
            .map(|s| {
                let s = s.trim_end_matches(['.', ';', ':', ',']);
                let l = s.to_lowercase();
                let s = ["use this skill when ", "use when ", "when "]
                    .iter()
                    .find(|k| l.starts_with(*k))
                    .map_or(s, |k| &s[k.len()..]);
                lower_first(s)
            })
            .collect();
        return Some(items.join("; "));
    }
    for b in blocks.iter().filter(|b| b.kind == BlockKind::Paragraph) {
        let p = plain(&text[b.range.clone()]);
        let l = p.to_lowercase();
        for key in ["use this skill when ", "use when ", "use this when "] {
            if let Some(i) = l.find(key) {
                let rest = first_sentence(&p[i + key.len()..]);
                let rest = rest.trim_end_matches(['.', ':', ';']);
                let n = rest.split_whitespace().count();
                if (2..=30).contains(&n) {
                    return Some(rest.to_string());
                }
            }
        }
    }
    None
}

/// Filler that says nothing a router can use.
const FILLER: &[&str] = &[
    "this skill provides a comprehensive ",
    "this skill provides ",
    "this skill offers ",
    "this skill helps you ",
    "this skill helps ",
    "this skill enables you to ",
    "this skill allows you to ",
    "this skill is designed to ",
    "a comprehensive ",
    "comprehensive ",
    "powerful ",
    "seamlessly ",
    "seamless ",
    "robust ",
    "cutting-edge ",
    "state-of-the-art ",
    "a wide range of ",
    "a variety of ",
    "various ",
    "easily ",
    "effortlessly ",
    "in order to ",
];

/// Sentences that say nothing about when to use a skill.
const PLACEHOLDERS: &[&str] = &[
    "use when this capability is needed.",
    "use this skill when needed.",
    "use when needed.",
    "use when appropriate.",
    "use this skill when appropriate.",
    "use when relevant.",
];

/// Words a clause of examples opens with.
const EXAMPLE_MARKERS: &[&str] = &[
    ", e.g.",
    ", e.g",
    " e.g.",
    ", for example",
    ", for instance",
    ", such as",
    ", like",
    ", including",
];

/// Removes filler, placeholder sentences, examples and sentences that only repeat, while
/// every distinctive term (identifiers, names, quoted trigger phrases) and a trigger
/// clause survive. Only whole sentences, parentheticals and trailing example clauses go,
/// so nothing is cut mid-sentence.
pub fn tighten(original: &str) -> String {
    let must_keep = distinctive(original);
    let mut current = one_line(original);
    for _ in 0..8 {
        let next = tighten_once(&current, &must_keep);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// Lower-cased words of `s`, punctuation trimmed.
fn words_of(s: &str) -> BTreeSet<String> {
    s.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The terms that set a description apart: identifiers (with digits, dots, slashes,
/// underscores, inner capitals), names capitalised mid-sentence, and quoted phrases.
pub fn distinctive(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for quoted in quoted_spans(s) {
        out.extend(words_of(quoted));
    }
    for sentence in split_sentences(s) {
        for (i, raw) in sentence.split_whitespace().enumerate() {
            let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
            if w.chars().count() < 2 || matches!(w.to_lowercase().as_str(), "e.g" | "i.e" | "etc") {
                continue;
            }
            let inner = &w[w.chars().next().map_or(0, char::len_utf8)..];
            let identifier = w.chars().any(|c| c.is_ascii_digit())
                || w.contains(['.', '_', '/', '+', '#'])
                || inner.chars().any(char::is_uppercase)
                || (i > 0 && w.starts_with(char::is_uppercase));
            if identifier {
                out.insert(w.to_lowercase());
            }
        }
    }
    out
}

fn quoted_spans(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for q in ['"', '`', '“'] {
        let close = if q == '“' { '”' } else { q };
        let mut rest = s;
        while let Some(i) = rest.find(q) {
            let after = &rest[i + q.len_utf8()..];
            match after.find(close) {
                Some(j) => {
                    out.push(&after[..j]);
                    rest = &after[j + close.len_utf8()..];
                }
                None => break,
            }
        }
    }
    out
}

fn keeps(candidate: &str, must_keep: &BTreeSet<String>) -> bool {
    words_of(candidate).is_superset(must_keep)
}

fn tighten_once(original: &str, must_keep: &BTreeSet<String>) -> String {
    let mut s = one_line(original);
    for f in FILLER {
        let candidate = remove_phrase(&s, f);
        if keeps(&candidate, must_keep) {
            s = candidate;
        }
    }
    s = tidy(&s);
    let had_trigger = has_trigger(&s);
    let fine = |c: &str| keeps(c, must_keep) && (!had_trigger || has_trigger(c));
    // Parentheticals first (examples, asides), then example clauses, then whole
    // sentences, last first.
    let mut changed = true;
    while changed {
        changed = false;
        for (start, end) in parentheticals(&s).into_iter().rev() {
            let candidate = one_line(&format!("{}{}", &s[..start].trim_end(), &s[end..]));
            if fine(&candidate) {
                s = candidate;
                changed = true;
                break;
            }
        }
    }
    let mut sentences = split_sentences(&s);
    for i in 0..sentences.len() {
        let lower = sentences[i].to_lowercase();
        for m in EXAMPLE_MARKERS {
            let Some(at) = lower.find(m) else { continue };
            let end = sentences[i].trim_end();
            let stop = end
                .char_indices()
                .last()
                .filter(|(_, c)| matches!(c, '.' | '!' | '?'))
                .map_or(end.len(), |(j, _)| j);
            let balanced = |t: &str| t.matches('(').count() == t.matches(')').count();
            if at >= stop || !balanced(&sentences[i][..at]) || !balanced(&end[at..stop]) {
                continue;
            }
            let cut = format!("{}{}", &sentences[i][..at], &end[stop..]);
            let mut trial = sentences.clone();
            trial[i] = cut.clone();
            if fine(&trial.join(" ")) {
                sentences[i] = cut;
                break;
            }
        }
    }
    let mut keep: Vec<bool> = vec![true; sentences.len()];
    for i in (1..sentences.len()).rev() {
        keep[i] = false;
        let rest: String = sentences
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(x, _)| x.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let placeholder = PLACEHOLDERS.contains(&sentences[i].to_lowercase().as_str());
        if !(fine(&rest) || placeholder && keeps(&rest, must_keep)) {
            keep[i] = true;
        }
    }
    let out: Vec<&str> = sentences
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(x, _)| x.as_str())
        .collect();
    clip(&capitalise(&one_line(&out.join(" "))))
}

/// Words a router could match on: not stop words, at least three letters, crudely
/// singularised and lowercased.
pub fn terms(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '#')))
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | '-' | '_')))
        .filter(|w| w.chars().count() >= 3)
        .map(|w| {
            let l = w.to_lowercase();
            match l.strip_suffix('s') {
                Some(stem) if stem.len() >= 3 && !l.ends_with("ss") => stem.to_string(),
                _ => l,
            }
        })
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

const STOP: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "that",
    "this",
    "thi",
    "from",
    "into",
    "your",
    "you",
    "are",
    "use",
    "when",
    "user",
    "skill",
    "can",
    "will",
    "also",
    "any",
    "all",
    "not",
    "but",
    "its",
    "it'",
    "their",
    "them",
    "such",
    "other",
    "more",
    "most",
    "via",
    "using",
    "used",
    "uses",
    "provide",
    "provides",
    "help",
    "helps",
    "including",
    "include",
    "includes",
    "like",
    "e.g",
    "i.e",
    "etc",
    "about",
    "which",
    "what",
    "how",
    "who",
    "has",
    "have",
    "had",
    "was",
    "were",
    "been",
    "being",
    "should",
    "would",
    "could",
    "may",
    "might",
    "must",
    "need",
    "needs",
    "want",
    "wants",
    "ask",
    "asks",
    "asked",
    "comprehensive",
    "powerful",
    "various",
    "variety",
    "wide",
    "range",
    "easily",
    "seamlessly",
    "robust",
    "example",
    "examples",
    "such",
    "well",
    "one",
    "two",
    "each",
    "every",
    "some",
    "than",
    "then",
    "there",
    "these",
    "those",
    "way",
    "ways",
    "work",
    "works",
    "working",
    "task",
    "tasks",
    "support",
    "supports",
    "allow",
    "allows",
    "enable",
    "enables",
    "designed",
    "offer",
    "offers",
    "order",
];

fn remove_phrase(s: &str, phrase: &str) -> String {
    let lower = s.to_lowercase();
    let mut out = String::new();
    let mut pos = 0;
    while let Some(i) = lower[pos..].find(phrase) {
        let start = pos + i;
        // Whole words only.
        if start > 0 && lower.as_bytes()[start - 1].is_ascii_alphanumeric() {
            out.push_str(&s[pos..start + 1]);
            pos = start + 1;
            continue;
        }
        out.push_str(&s[pos..start]);
        pos = start + phrase.len();
    }
    out.push_str(&s[pos..]);
    capitalise(&out)
}

/// What removing filler can leave behind: a sentence opening with "and" or "or" (from
/// "a comprehensive and powerful toolkit"), or a stray comma.
fn tidy(s: &str) -> String {
    let sentences: Vec<String> = split_sentences(s)
        .into_iter()
        .map(|sentence| {
            let mut t = sentence.as_str();
            loop {
                let lower = t.to_lowercase();
                let next = ["and ", "or ", ", ", ","]
                    .iter()
                    .find(|p| lower.starts_with(*p))
                    .map(|p| t[p.len()..].trim_start());
                match next {
                    Some(rest) => t = rest,
                    None => break,
                }
            }
            capitalise(t)
        })
        .collect();
    one_line(&sentences.join(" "))
}

fn parentheticals(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open = None;
    for (i, c) in s.char_indices() {
        match c {
            '(' if open.is_none() => open = Some(i),
            ')' => {
                if let Some(o) = open.take() {
                    out.push((o, i + 1));
                }
            }
            _ => {}
        }
    }
    out
}

fn split_sentences(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth: i32 = 0;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth == 0
            && matches!(b, b'.' | b'!' | b'?')
            && (i + 1 == bytes.len() || bytes[i + 1] == b' ')
        {
            // Not after a single capital or "e.g"/"i.e".
            let word = s[start..i]
                .rsplit(' ')
                .next()
                .unwrap_or("")
                .trim_start_matches(|c: char| !c.is_alphanumeric());
            if word.len() <= 1
                || word.eq_ignore_ascii_case("e.g")
                || word.eq_ignore_ascii_case("i.e")
                || word.eq_ignore_ascii_case("vs")
                || word.eq_ignore_ascii_case("etc") && i + 1 < bytes.len()
            {
                continue;
            }
            out.push(s[start..=i].trim().to_string());
            start = i + 1;
        }
    }
    if start < s.len() && !s[start..].trim().is_empty() {
        out.push(s[start..].trim().to_string());
    }
    out
}

pub fn first_sentence(s: &str) -> String {
    split_sentences(&one_line(s))
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// Markdown to plain text: drops emphasis, link syntax and list markers.
pub fn plain(md: &str) -> String {
    let mut out = String::new();
    for event in pulldown_cmark::Parser::new(md) {
        match event {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => out.push_str(&t),
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    one_line(&out)
}

fn sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '!', '?']) {
        capitalise(s)
    } else {
        format!("{}.", capitalise(s))
    }
}

fn capitalise(s: &str) -> String {
    let s = s.trim_start();
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.clone().next()) {
        // Keep acronyms and names ("API", "GitHub") as written.
        (Some(f), Some(n)) if f.is_uppercase() && n.is_lowercase() => {
            f.to_lowercase().collect::<String>() + c.as_str()
        }
        _ => s.to_string(),
    }
}

/// At most `MAX_CHARS`: whole sentences up to the limit. A first sentence longer than
/// the limit is left whole (lint reports it; cutting it would change what it says).
fn clip(s: &str) -> String {
    if s.len() <= MAX_CHARS {
        return s.to_string();
    }
    let mut out = String::new();
    for sentence in split_sentences(s) {
        let next = if out.is_empty() {
            sentence.clone()
        } else {
            format!("{out} {sentence}")
        };
        if next.len() > MAX_CHARS {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        s.to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tightening_drops_filler_and_repeats_but_keeps_terms() {
        let d = "This skill provides a comprehensive toolkit for PDF processing with pypdf. Use when the user works with PDF files or pypdf. It offers powerful PDF processing.";
        let t = tighten(d);
        assert!(t.len() < d.len(), "{t}");
        assert!(terms(&t).is_superset(&terms(d)), "{t}");
        assert!(!t.to_lowercase().contains("comprehensive"), "{t}");
        assert!(t.contains("Use when"), "{t}");
        assert_eq!(tighten(&t), t, "tightening is idempotent");
    }

    #[test]
    fn parentheticals_go_only_when_their_terms_are_elsewhere() {
        let t = tighten("Formats SQL and JSON files (e.g. SQL, JSON). Use when formatting.");
        assert_eq!(t, "Formats SQL and JSON files. Use when formatting.");
        let t = tighten("Formats files (SQL, JSON). Use when formatting.");
        assert!(t.contains("SQL"), "{t}");
    }

    #[test]
    fn clip_keeps_whole_sentences() {
        let long = "Handles PDF files with care. ".repeat(60);
        let c = clip(long.trim());
        assert!(c.len() <= MAX_CHARS);
        assert!(c.ends_with("care."), "{c}");
        // One sentence over the limit is not cut mid-sentence.
        let one = format!("Runs {} (run this", "word ".repeat(300));
        assert_eq!(clip(&one), one);
    }

    #[test]
    fn tightening_never_cuts_inside_a_sentence() {
        let d = "Build apps with the Claude API or Anthropic SDK. TRIGGER when: code imports `anthropic`/`@anthropic-ai/sdk`; user asks to use the Claude API, Anthropic SDKs, or Managed Agents (`/v1/agents`, `/v1/sessions`, `/v1/environments`). DO NOT TRIGGER when: code imports `openai`/other AI SDK (run this check first).";
        let t = tighten(d);
        assert_eq!(t.matches('(').count(), t.matches(')').count(), "{t}");
        assert!(t.ends_with(['.', ')']), "{t}");
        assert!(distinctive(&t).is_superset(&distinctive(d)), "{t}");
    }
}
