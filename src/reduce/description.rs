//! Descriptions for the listing an agent sees on every request. A missing or short one
//! is generated from the body (what the skill does, when to use it, its distinctive
//! identifiers); a long one is tightened by removing filler, examples and repeated
//! trigger lists, but only where every distinctive term still survives.

use std::collections::BTreeSet;

use crate::rules::description_no_trigger::has_trigger;
use crate::skill::{BlockKind, Skill};

/// At or under this many tokens a description is generated rather than tightened.
pub const SHORT_TOKENS: usize = 40;
/// Longest description written.
pub const MAX_CHARS: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Kept,
    Generated,
    Tightened,
}

/// The new description and how it came about.
pub fn rewrite(skill: &Skill, tokens: impl Fn(&str) -> usize) -> (String, Change) {
    let original = skill.description().unwrap_or_default();
    let original = one_line(&original);
    let short = tokens(&original) <= SHORT_TOKENS;
    // A short description that already says when to use the skill has what a router
    // needs; generating more would only lengthen the listing.
    if short && (original.is_empty() || !has_trigger(&original)) {
        let generated = generate(skill, &original);
        if generated != original && !generated.is_empty() {
            return (generated, Change::Generated);
        }
    }
    if short {
        return (original, Change::Kept);
    }
    let tight = tighten(&original);
    if tight.len() >= original.len() {
        return (clip(&original), Change::Kept);
    }
    if tokens(&tight) <= SHORT_TOKENS && !has_trigger(&tight) {
        // Short now and without a trigger: what a second run would generate, it
        // generates now.
        return (generate(skill, &tight), Change::Tightened);
    }
    (tight, Change::Tightened)
}

/// Collapses whitespace, including line breaks, to single spaces.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Builds a description from the body, starting from what the author wrote.
pub fn generate(skill: &Skill, original: &str) -> String {
    let text = &skill.text;
    let blocks = &skill.body.blocks;
    let mut parts: Vec<String> = Vec::new();
    if !original.is_empty() {
        parts.push(sentence(original));
    } else {
        let title = blocks
            .iter()
            .find(|b| matches!(b.kind, BlockKind::Heading { .. }))
            .and_then(|b| b.title.clone());
        let opening = blocks
            .iter()
            .find(|b| b.kind == BlockKind::Paragraph)
            .map(|b| first_sentence(&plain(&text[b.range.clone()])));
        match (title, opening) {
            (_, Some(open)) if open.split_whitespace().count() >= 4 => parts.push(sentence(&open)),
            (Some(title), _) => parts.push(sentence(&title)),
            (None, Some(open)) => parts.push(sentence(&open)),
            (None, None) => {}
        }
    }
    let lower = original.to_lowercase();
    if !lower.contains("use when")
        && !lower.contains("use this when")
        && !lower.contains("when the user")
    {
        match trigger(skill) {
            Some(when) => parts.push(sentence(&format!("Use when {when}"))),
            None => {
                // No trigger in the body: the title is the best statement of the task.
                let title = skill.body.blocks.iter().find_map(|b| b.title.clone());
                if let Some(t) = title.filter(|t| !t.is_empty()) {
                    parts.push(sentence(&format!(
                        "Use when the task involves {}",
                        lower_first(&t)
                    )));
                }
            }
        }
    }
    let have = parts.join(" ").to_lowercase();
    // A description that already lists identifiers (a generated one) gets no more, so
    // generating again changes nothing.
    let already_listed = have.contains("covers ");
    let ids: Vec<String> = identifiers(skill)
        .into_iter()
        .filter(|id| !already_listed && !have.contains(&id.to_lowercase()))
        .take(4)
        .collect();
    if !ids.is_empty() {
        parts.push(format!("Covers {}.", ids.join(", ")));
    }
    clip(&one_line(&parts.join(" ")))
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
                && b.heading_path.last().is_some_and(|h| {
                    let h = h.to_lowercase();
                    h.contains("when to use")
                        || h.contains("use when")
                        || h.contains("triggers")
                        || h.contains("use cases")
                })
        })
        .map(|b| plain(&text[b.range.clone()]))
        .filter(|s| !s.is_empty())
        .take(3)
        .collect();
    if !items.is_empty() {
        let items: Vec<String> = items
            .iter()
            .map(|s| lower_first(s.trim_end_matches(['.', ';', ':'])))
            .collect();
        return Some(items.join("; "));
    }
    for b in blocks.iter().filter(|b| b.kind == BlockKind::Paragraph) {
        let p = plain(&text[b.range.clone()]);
        let l = p.to_lowercase();
        for key in ["use this skill when ", "use when ", "use this when "] {
            if let Some(i) = l.find(key) {
                let rest = &p[i + key.len()..];
                return Some(first_sentence(rest).trim_end_matches('.').to_string());
            }
        }
    }
    None
}

/// Distinctive identifiers of the body: tool and file names in inline code, and
/// capitalised product names, most frequent first.
fn identifiers(skill: &Skill) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for event in pulldown_cmark::Parser::new(skill.body_text()) {
        let pulldown_cmark::Event::Code(code) = event else {
            continue;
        };
        let first = code.split_whitespace().next().unwrap_or("");
        let word = first.trim_end_matches(['(', ')', ':', ',']);
        if (3..=30).contains(&word.len())
            && word.starts_with(|c: char| c.is_ascii_alphabetic())
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && word.chars().any(|c| c.is_ascii_alphabetic())
            && !STOP.contains(&word.to_ascii_lowercase().as_str())
            && !GENERIC_CODE.contains(&word.to_ascii_lowercase().as_str())
        {
            *counts.entry(word.to_string()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.into_iter().map(|(s, _)| s).collect()
}

/// Inline code too common to tell a skill apart.
const GENERIC_CODE: &[&str] = &[
    "true",
    "false",
    "null",
    "none",
    "name",
    "description",
    "string",
    "number",
    "int",
    "bool",
    "id",
    "key",
    "value",
    "type",
    "data",
    "file",
    "path",
    "url",
    "src",
    "dir",
    "bash",
    "sh",
    "json",
    "yaml",
    "text",
    "error",
    "default",
    "cd",
    "ls",
    "cat",
    "echo",
    "npm",
    "pip",
    "git",
    "python",
    "python3",
    "node",
    "skill.md",
    "readme.md",
];

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

/// Removes filler phrases, then sentences and parentheticals whose distinctive terms
/// all appear elsewhere in what is kept. Never drops a distinctive term.
pub fn tighten(original: &str) -> String {
    // Each pass can uncover more to drop; repeat until nothing changes so tightening a
    // tightened description changes nothing.
    let must_keep = terms(original);
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

fn tighten_once(original: &str, must_keep: &BTreeSet<String>) -> String {
    let mut s = one_line(original);
    for f in FILLER {
        s = remove_phrase(&s, f);
    }
    s = tidy(&s);
    // Parentheticals first (examples, asides), then whole sentences, last first.
    let mut changed = true;
    while changed {
        changed = false;
        for (start, end) in parentheticals(&s).into_iter().rev() {
            let candidate = one_line(&format!("{}{}", &s[..start].trim_end(), &s[end..]));
            if terms(&candidate).is_superset(must_keep) {
                s = candidate;
                changed = true;
                break;
            }
        }
    }
    let sentences = split_sentences(&s);
    let mut keep: Vec<bool> = vec![true; sentences.len()];
    for i in (0..sentences.len()).rev() {
        if i == 0 {
            break;
        }
        keep[i] = false;
        let rest: String = sentences
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(x, _)| x.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if !terms(&rest).is_superset(must_keep)
            || has_trigger(&sentences[i])
                && !sentences
                    .iter()
                    .zip(&keep)
                    .any(|(x, k)| *k && has_trigger(x))
        {
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
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?') && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            // Not after a single capital or "e.g"/"i.e".
            let word = s[start..i].rsplit(' ').next().unwrap_or("");
            if word.len() <= 1
                || word.eq_ignore_ascii_case("e.g")
                || word.eq_ignore_ascii_case("i.e")
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

fn first_sentence(s: &str) -> String {
    split_sentences(&one_line(s))
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// Markdown to plain text: drops emphasis, link syntax and list markers.
fn plain(md: &str) -> String {
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

/// At most `MAX_CHARS`, cut at a word boundary.
fn clip(s: &str) -> String {
    if s.len() <= MAX_CHARS {
        return s.to_string();
    }
    let mut end = MAX_CHARS;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let cut = s[..end].rfind(' ').unwrap_or(end);
    s[..cut].trim_end_matches([',', ';', ' ']).to_string()
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
    fn clip_respects_limit() {
        let long = "word ".repeat(400);
        let c = clip(&long);
        assert!(c.len() <= MAX_CHARS);
        assert!(!c.ends_with(' '));
    }
}
