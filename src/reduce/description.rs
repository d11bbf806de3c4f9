//! Descriptions for the listing an agent sees on every request. A missing or short one
//! is generated from the body (what the skill does, when to use it, its distinctive
//! identifiers); a long one is tightened by removing filler, examples and repeated
//! trigger lists, but only where every distinctive term still survives.

use std::collections::BTreeSet;

use crate::rules::description_no_trigger::has_trigger;
use crate::skill::{BlockKind, Skill};
use crate::text::find_ignore_ascii_case;

/// Longest description written (the agentskills.io limit).
pub const MAX_CHARS: usize = 1024;
/// A tightened description stays at or above this many tokens when the original was
/// (the default threshold of lint's T001).
pub const ROUTER_FLOOR_TOKENS: usize = 20;
/// A generated description is the opening statement and a trigger clause of at most
/// this many items from the body, and at most `MAX_GENERATED_CHARS` long.
pub const MAX_TRIGGER_ITEMS: usize = 2;
pub const MAX_GENERATED_CHARS: usize = 300;
/// Items of a "When to use" section weighed for the trigger clause.
const MAX_TRIGGER_CANDIDATES: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Kept,
    Generated,
    Tightened,
}

/// The new description and how it came about. The rewrite is taken to its fixed point,
/// so rewriting a rewritten description changes nothing.
///
/// `from_body` says whether the body's "When to use" sections move out, so that the
/// trigger clause may be taken from them. Text copied from a block that stays (such a
/// section, or a paragraph that is one "Use when" sentence) would leave the body
/// repeating the description.
pub fn rewrite(skill: &Skill, from_body: bool) -> (String, Change) {
    let original = one_line(&skill.description().unwrap_or_default());
    // The body's words, when the description is long enough to lose detail it gives.
    let body = (super::tokens(&original) > LONG_TOKENS).then(|| BodyWords::new(skill.body_text()));
    let mut current = original.clone();
    let mut change = Change::Kept;
    for _ in 0..8 {
        let (next, how) = rewrite_once(skill, &current, from_body, body.as_ref());
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

/// One step of `rewrite`. `body` holds the body's words when the description it started
/// from was long.
fn rewrite_once(
    skill: &Skill,
    original: &str,
    from_body: bool,
    body: Option<&BodyWords>,
) -> (String, Change) {
    if original.is_empty() {
        let generated = generate(skill, "", from_body);
        return if generated.is_empty() {
            (String::new(), Change::Kept)
        } else {
            (generated, Change::Generated)
        };
    }
    let mut tight = tighten(original);
    if let Some(body) = body {
        tight = drop_details(&tight, body);
    }
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
    match trigger(skill, from_body, &tight) {
        Some(when) => {
            let with = format!("{} {}", full_stop(&tight), sentence(&when));
            // A trigger makes a description long only in the room tightening made (the
            // test depends on the text alone, so a second rewrite decides the same).
            let room = super::tokens(original).max(LONG_TOKENS);
            if with.len() <= MAX_CHARS && super::tokens(&with) <= room {
                (with, Change::Generated)
            } else {
                (tight, Change::Tightened)
            }
        }
        None if tight.len() < original.len() => (tight, Change::Tightened),
        None => (original.to_string(), Change::Kept),
    }
}

/// A long description without the sentences that only add detail the body gives: any
/// sentence but the opening statement and the trigger sentences goes when each of its
/// distinctive terms is in the rest of the description or in the body, where the agent
/// reads it once the skill is chosen ("Uses regex-based pattern matching against OWASP
/// attack signatures ..." when the body names OWASP). Trigger sentences stay whole: they
/// are what a router matches requests against.
fn drop_details(s: &str, body: &BodyWords) -> String {
    let mut sentences = split_sentences(s);
    body.look_up(sentences.iter().flat_map(|x| detail_terms(x)));
    let had_trigger = has_trigger(s);
    for i in (1..sentences.len()).rev() {
        let x = &sentences[i];
        if has_trigger(x) || is_trigger_list(x) || !quoted_spans(x).is_empty() || says_coverage(x) {
            continue;
        }
        let rest: Vec<&str> = sentences
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, y)| y.as_str())
            .collect();
        let rest = rest.join(" ");
        let known = words_of(&rest);
        let terms = detail_terms(x);
        let covered =
            !terms.is_empty() && terms.iter().all(|w| known.contains(w) || body.contains(w));
        if covered
            && (!had_trigger || has_trigger(&rest))
            && super::tokens(&rest) >= ROUTER_FLOOR_TOKENS
        {
            sentences.remove(i);
        }
    }
    one_line(&sentences.join(" "))
}

/// A sentence's distinctive terms and its rare words: a sentence of capabilities with no
/// name in it ("Supports search, category browsing and one-click install") is not
/// covered by a body that names nothing of it.
fn detail_terms(sentence: &str) -> BTreeSet<String> {
    let mut terms = distinctive(sentence);
    terms.extend(
        words_of(sentence)
            .into_iter()
            .filter(|w| rarity(w) >= RARE_IDF),
    );
    terms
}

/// Whether a sentence names what the skill covers, works with or replaces ("Covers the
/// full API including JobPipeline ...", "It supports OpenAI, Anthropic and Ollama ...",
/// "an alternative to Datadog and Splunk"): the
/// names in it are what a request may name, so it stays in the description even when
/// the body has them too.
fn says_coverage(sentence: &str) -> bool {
    says_any(
        sentence,
        &[
            " covers ",
            " supports ",
            " support for ",
            " works with ",
            " integrates with ",
            " integration with ",
            " compatible with ",
            " alternative to ",
            " replacement for ",
        ],
    )
}

/// Whether `sentence`, lower-cased and padded with a space at each end, holds one of
/// `markers`.
fn says_any(sentence: &str, markers: &[&str]) -> bool {
    let l = format!(" {} ", sentence.to_lowercase());
    markers.iter().any(|m| l.contains(m))
}

/// Which words (as [`words_of`] gives them) a body has, worked out for the words asked
/// about only: lower-casing every word of a long body into a set cost more than the
/// rest of a description's rewrite.
struct BodyWords<'a> {
    text: &'a str,
    known: std::cell::RefCell<std::collections::HashMap<String, bool>>,
}

impl<'a> BodyWords<'a> {
    fn new(text: &'a str) -> BodyWords<'a> {
        BodyWords {
            text,
            known: Default::default(),
        }
    }

    /// Settles whether the body has each of `words` (lower case) with one pass over it
    /// for those not settled yet.
    fn look_up(&self, words: impl IntoIterator<Item = String>) {
        let mut known = self.known.borrow_mut();
        let mut open: std::collections::HashSet<String> = words
            .into_iter()
            .filter(|w| !known.contains_key(w))
            .collect();
        for w in &open {
            known.insert(w.clone(), false);
        }
        let mut lower = String::new();
        for raw in self.text.split_whitespace() {
            if open.is_empty() {
                break;
            }
            word_key(raw, &mut lower);
            if open.remove(lower.as_str()) {
                known.insert(lower.clone(), true);
            }
        }
    }

    /// Whether the body has `word`; `false` for a word not looked up.
    fn contains(&self, word: &str) -> bool {
        self.known.borrow().get(word).copied().unwrap_or(false)
    }
}

/// Collapses whitespace, including line breaks, to single spaces.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A description for a skill that has none, from the body's own words: its opening
/// statement and when it says to use it. Empty when the body says neither.
pub fn generate(skill: &Skill, original: &str, from_body: bool) -> String {
    let text = &skill.text;
    let blocks = &skill.body.blocks;
    let mut parts: Vec<String> = Vec::new();
    if !original.is_empty() {
        parts.push(full_stop(original));
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
    let said = parts.join(" ");
    if let Some(when) = trigger(skill, from_body, &said) {
        parts.push(sentence(&when));
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

/// The items of a "When to use" section usable in a trigger clause.
fn section_items(skill: &Skill) -> Vec<String> {
    let text = &skill.text;
    skill
        .body
        .blocks
        .iter()
        .filter(|b| {
            matches!(b.kind, BlockKind::ListItem { .. } | BlockKind::Paragraph)
                && b.heading_path
                    .last()
                    .is_some_and(|h| crate::routing::is_when_to_use(h))
        })
        // A pointer left by an earlier reduce says where the items went, not when to use.
        .filter(|b| {
            let t = &text[b.range.clone()];
            !super::body::is_pointer(t) && !super::body::is_section_pointer(t)
        })
        .map(|b| trigger_item(&text[b.range.clone()]))
        .filter(|s| {
            !s.is_empty() && !s.ends_with(':') && s.split_whitespace().count() <= MAX_ITEM_WORDS
        })
        .take(MAX_TRIGGER_CANDIDATES)
        .collect()
}

/// The sentence saying when to use the skill ("Use when ...", "Use to ...", without its
/// full stop): the "When to use" section's items that add most to `description` (rare
/// words it does not have), or a sentence of the body that says "use when" / "use this
/// when".
fn trigger(skill: &Skill, from_body: bool, description: &str) -> Option<String> {
    let text = &skill.text;
    let blocks = &skill.body.blocks;
    let items = if from_body {
        section_items(skill)
    } else {
        Vec::new()
    };
    if let Some(clause) = trigger_from_items(&items, description) {
        return Some(clause);
    }
    for b in blocks.iter().filter(|b| b.kind == BlockKind::Paragraph) {
        let p = plain(&text[b.range.clone()]);
        // A sentence that is the whole paragraph would leave the body repeating the
        // description, unless it is in a "When to use" section that moves out.
        let in_section = b
            .heading_path
            .iter()
            .any(|h| crate::routing::is_when_to_use(h));
        let whole = first_sentence(&p).trim_end_matches(['.', '!', ':'])
            == p.trim().trim_end_matches(['.', '!', ':']);
        if (in_section && !from_body) || (!in_section && whole) {
            continue;
        }
        for key in ["use this skill when ", "use when ", "use this when "] {
            if let Some(i) = find_ignore_ascii_case(&p, key, 0) {
                let rest = first_sentence(&p[i + key.len()..]);
                let rest = rest.trim_end_matches(['.', ':', ';']);
                let n = rest.split_whitespace().count();
                if (2..=30).contains(&n) && !says_nothing(rest) {
                    return Some(format!("Use when {rest}"));
                }
            }
        }
    }
    None
}

/// How a trigger item reads after "Use": "when" before a clause or a gerund ("when the
/// user asks ...", "when reconstructing ..."), "to" before an imperative ("to save facts
/// as flashcards"), nothing before a preposition ("during investigations ..."), and
/// "for" before a noun phrase ("for antibody engineering").
fn item_joint(item: &str) -> &'static str {
    let mut words = item.split_whitespace().map(|w| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    });
    let first = words.next().unwrap_or_default();
    let second = words.next().unwrap_or_default();
    if matches!(
        first.as_str(),
        "for"
            | "during"
            | "in"
            | "on"
            | "with"
            | "after"
            | "before"
            | "while"
            | "if"
            | "whenever"
            | "once"
            | "as"
            | "at"
            | "from"
            | "by"
            | "to"
    ) {
        ""
    } else if crate::classify::is_imperative(&first) || TASK_VERBS.contains(&first.as_str()) {
        "to "
    } else if first.ends_with("ing")
        || matches!(
            first.as_str(),
            "the"
                | "a"
                | "an"
                | "you"
                | "your"
                | "user"
                | "users"
                | "they"
                | "there"
                | "someone"
                | "it"
                | "we"
                | "i"
                | "claude"
                | "agent"
        )
        || (second.len() > 3 && (second.ends_with('s') || second.ends_with("ed")))
    {
        "when "
    } else {
        "for "
    }
}

/// Verbs that open "When to use" items ("debug a crashing container", "work with Docker
/// Compose") besides the classifier's imperatives.
const TASK_VERBS: &[&str] = &[
    "debug",
    "migrate",
    "optimize",
    "optimise",
    "scrape",
    "automate",
    "integrate",
    "visualize",
    "visualise",
    "plot",
    "train",
    "fine-tune",
    "benchmark",
    "audit",
    "manage",
    "publish",
    "schedule",
    "simulate",
    "predict",
    "explore",
    "investigate",
    "improve",
    "connect",
    "authenticate",
    "sync",
    "research",
    "learn",
    "understand",
    "teach",
    "work",
    "sign",
    "program",
    "troubleshoot",
    "process",
    "orchestrate",
    "coordinate",
];

/// Whether a trigger item only points back at the skill ("the workflow described in the
/// overview", "procedures for this domain"): it tells a router nothing.
fn says_nothing(item: &str) -> bool {
    let l = item.to_lowercase();
    [
        "the overview",
        "described above",
        "described below",
        "this domain",
        "this analysis type",
        "this skill is applicable",
        "this capability",
        "this skill applies",
    ]
    .iter()
    .any(|k| l.contains(k))
}

/// Longest trigger clause made from a section's items, in words.
const MAX_TRIGGER_WORDS: usize = 22;

/// A trigger sentence from the items of a "When to use" section: the item with the most
/// rare words `description` lacks, then others read the same way ("when ..." with
/// "when ...") while the clause stays short, in the section's order.
fn trigger_from_items(items: &[String], description: &str) -> Option<String> {
    // A lead every item shares ("User mentions or implies: ...") is said once.
    let shared = items.first().and_then(|first| {
        first
            .split_once(": ")
            .map(|(lead, _)| format!("{lead}: "))
            .filter(|lead| items.len() > 1 && items.iter().all(|i| i.starts_with(lead.as_str())))
    });
    let cleaned: Vec<String> = items
        .iter()
        .map(|s| {
            let s = shared.as_ref().map_or(s.as_str(), |lead| &s[lead.len()..]);
            let s = s.trim_end_matches(['.', ';', ':', ',']);
            let l = s.to_lowercase();
            let s = [
                "use this skill when ",
                "use this when ",
                "use it when ",
                "use when ",
                "when ",
            ]
            .iter()
            .find(|k| l.starts_with(*k))
            .map_or(s, |k| &s[k.len()..]);
            lower_first(s)
        })
        .filter(|s| !s.is_empty() && !says_nothing(s))
        .collect();
    let known = terms(description);
    let gain = |s: &str| -> f32 {
        terms(s)
            .iter()
            .filter(|w| !known.contains(*w))
            .map(|w| rarity(w))
            .filter(|r| *r >= RARE_IDF - 1.0)
            .sum()
    };
    let mut ranked: Vec<(usize, f32)> = cleaned
        .iter()
        .enumerate()
        .map(|(i, s)| (i, gain(s)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let (best, _) = *ranked.first()?;
    let lead = shared.map(|l| lower_first(&l)).unwrap_or_default();
    let reads = |item: &str| item_joint(&format!("{lead}{item}"));
    let joint = reads(&cleaned[best]);
    let mut chosen = vec![best];
    let mut words = cleaned[best].split_whitespace().count();
    for &(i, g) in &ranked[1..] {
        let n = cleaned[i].split_whitespace().count();
        if chosen.len() >= MAX_TRIGGER_ITEMS || g <= 0.0 {
            break;
        }
        if reads(&cleaned[i]) == joint && words + n <= MAX_TRIGGER_WORDS {
            chosen.push(i);
            words += n;
        }
    }
    chosen.sort_unstable();
    let clause: Vec<&str> = chosen.iter().map(|&i| cleaned[i].as_str()).collect();
    Some(format!("Use {joint}{lead}{}", clause.join("; ")))
}

/// Longest item of a "When to use" section taken into a trigger clause, in words.
const MAX_ITEM_WORDS: usize = 14;

/// One "When to use" item as a trigger: its bold label when it opens with one
/// ("**Antibody engineering**: optimise Fc ..." gives "Antibody engineering"), else its
/// first sentence.
fn trigger_item(block: &str) -> String {
    let t = block.trim_start();
    let t = t
        .strip_prefix(['-', '*', '+'])
        .or_else(|| {
            let digits = t.chars().take_while(char::is_ascii_digit).count();
            (digits > 0)
                .then(|| t[digits..].strip_prefix(['.', ')']))
                .flatten()
        })
        .map_or(t, str::trim_start);
    if let Some(rest) = t.strip_prefix("**") {
        if let Some(close) = rest.find("**") {
            let label = rest[..close].trim();
            let after = rest[close + 2..].trim_start();
            if !label.is_empty() && (label.ends_with(':') || after.starts_with(':')) {
                return plain(label.trim_end_matches(':'));
            }
        }
    }
    first_sentence(&plain(block))
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
    "beautiful ",
    "stunning ",
    "elegant ",
    "world-class ",
    "best-in-class ",
    "sophisticated ",
    "high-quality ",
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

/// Removes filler, placeholder sentences, examples, the common items of feature
/// catalogues and repeated trigger lists, while every distinctive term (identifiers,
/// rare names, quoted trigger phrases), a trigger clause and the router's floor of
/// tokens survive. Only whole sentences, parentheticals, clauses and list items go, so
/// nothing is cut mid-sentence.
pub fn tighten(original: &str) -> String {
    // `rewrite` tightens until nothing changes, and a reduction drafts its result again
    // to check that: the same description is tightened several times per skill, so the
    // last few results are kept per thread (tightening is a function of the text alone).
    thread_local! {
        static TIGHTENED: std::cell::RefCell<std::collections::HashMap<String, String>> =
            Default::default();
    }
    if let Some(hit) = TIGHTENED.with(|m| m.borrow().get(original).cloned()) {
        return hit;
    }
    let tight = tighten_uncached(original);
    TIGHTENED.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 64 {
            m.clear();
        }
        m.insert(original.to_string(), tight.clone());
    });
    tight
}

fn tighten_uncached(original: &str) -> String {
    let must_keep = distinctive(original);
    let floor = if super::tokens(original) >= ROUTER_FLOOR_TOKENS {
        ROUTER_FLOOR_TOKENS
    } else {
        0
    };
    // Catalogues and whole sentences go only from a long description; a short one
    // loses only filler, examples and repeats.
    let long = super::tokens(original) > LONG_TOKENS;
    let mut current = one_line(original);
    for _ in 0..8 {
        let next = tighten_once(&current, &must_keep, floor, long);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// Lower-cased words of `s`, punctuation trimmed.
fn words_of(s: &str) -> BTreeSet<String> {
    let mut key = String::new();
    s.split_whitespace()
        .filter_map(|w| {
            word_key(w, &mut key);
            (!key.is_empty()).then(|| key.clone())
        })
        .collect()
}

/// The form [`words_of`] gives a whitespace-separated word: punctuation trimmed, lower
/// case; written into `out` (ASCII without a new string).
fn word_key(raw: &str, out: &mut String) {
    let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
    out.clear();
    if w.is_ascii() {
        out.extend(w.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.push_str(&w.to_lowercase());
    }
}

/// Inverse document frequencies of words over the corpus's blocks: the classifier's
/// table, read here only (`idf * 16` per FNV-1a bucket; see `scripts/train-classifier`).
static IDF: &[u8] = include_bytes!("../../data/classify/idf.bin");

/// From this inverse document frequency on, a word is rare enough to route on (`pdf`
/// and `linux` are under it, `perioperative` and `auditd` over it).
pub const RARE_IDF: f32 = 8.0;

/// How rare a lower-cased word is across skills' text; a word the table never saw is as
/// rare as the rarest.
pub fn rarity(word: &str) -> f32 {
    let bucket = (crate::classify::features::hash(word) & 0xffff) as usize;
    match IDF.get(bucket).copied() {
        Some(q) if q > 0 => f32::from(q) / 16.0,
        _ => 12.0,
    }
}

/// The terms that set a description apart: identifiers (with digits, dots, slashes,
/// underscores, inner capitals), words outside ASCII, quoted phrases, and names
/// capitalised mid-sentence that are rare across skills ("Tailwind", not "Linux").
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
                || w.contains(['.', '_', '/', '+', '#', '@'])
                || inner.chars().any(char::is_uppercase)
                || !w.is_ascii()
                || (i > 0
                    && w.starts_with(char::is_uppercase)
                    && rarity(&w.to_lowercase()) >= RARE_IDF);
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

/// Openings that say "use when" at length.
const OPENERS: &[(&str, &str)] = &[
    ("this skill should be used when ", "Use when "),
    ("this skill should be used for ", "Use for "),
    ("you should use this skill when ", "Use when "),
    ("use this skill when ", "Use when "),
    ("use this skill whenever ", "Use whenever "),
    ("this skill is used when ", "Use when "),
];

/// Whether a part of a sentence between commas reads as one item of a catalogue.
fn is_catalogue_item(item: &str) -> bool {
    let n = item.split_whitespace().count();
    (1..=6).contains(&n) && !item.contains(':')
}

/// From this many tokens on a description is long: its catalogues are pruned and its
/// sentences that only add detail may go.
pub const LONG_TOKENS: usize = 60;

fn tighten_once(original: &str, must_keep: &BTreeSet<String>, floor: usize, long: bool) -> String {
    let mut s = one_line(original);
    let had_trigger = has_trigger(&s);
    let fine = |c: &str| {
        keeps(c, must_keep)
            && (!had_trigger || has_trigger(c))
            && (floor == 0 || super::tokens(c) >= floor)
    };
    for (from, to) in OPENERS {
        let candidate = replace_at_sentence_start(&s, from, to);
        if candidate != s && fine(&candidate) {
            s = candidate;
        }
    }
    // A candidate equal to the text changes nothing: only changed ones are weighed (the
    // token count of each was most of an audit's time).
    let candidate = s.replace(" in order to ", " to ");
    if candidate != s && fine(&candidate) {
        s = candidate;
    }
    // Without the phrase, removing it only tidies the text, and tidying is weighed once
    // per text, not once per phrase.
    let mut tidied = false;
    for f in FILLER {
        let present = find_ignore_ascii_case(&s, f, 0).is_some();
        if !present && tidied {
            continue;
        }
        let candidate = if present {
            tidy(&remove_phrase(&s, f))
        } else {
            tidy(&s)
        };
        if candidate != s && fine(&candidate) {
            s = candidate;
            tidied = false;
        } else if !present {
            tidied = true;
        }
    }
    // Parentheticals first (examples, asides), then example clauses, catalogue items and
    // repeated trigger items, then whole sentences, last first.
    let mut changed = true;
    while changed {
        changed = false;
        for (start, end) in parentheticals(&s).into_iter().rev() {
            // "(1)", "(b)": enumerators hold a sentence together.
            if s[start + 1..end - 1].trim().chars().count() <= 2 {
                continue;
            }
            let candidate = one_line(&format!("{}{}", &s[..start].trim_end(), &s[end..]));
            // Examples and repeats go; a parenthetical naming what the skill covers
            // ("three lenses (correctness, security, test coverage)") is what a request
            // names, and stays.
            let inner = &s[start + 1..end - 1];
            if !gives_examples(inner) && !terms(inner).is_subset(&terms(&candidate)) {
                continue;
            }
            if fine(&candidate) {
                s = candidate;
                changed = true;
                break;
            }
        }
    }
    let mut sentences = split_sentences(&s);
    for i in 0..sentences.len() {
        for m in EXAMPLE_MARKERS {
            let Some(at) = find_ignore_ascii_case(&sentences[i], m, 0) else {
                continue;
            };
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
    for i in 0..sentences.len() {
        let others: String = sentences
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, x)| x.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        for candidate in [
            prune_trigger_list(&sentences[i], &others),
            prune_catalogue(&sentences[i], &others, must_keep).filter(|_| long),
        ]
        .into_iter()
        .flatten()
        {
            if candidate == sentences[i] {
                continue;
            }
            let mut trial = sentences.clone();
            trial[i] = candidate.clone();
            if fine(&trial.join(" ")) {
                sentences[i] = candidate;
            }
        }
    }
    sentences.retain(|x| !x.trim().is_empty());
    // The opening statement and the first trigger sentence stay (their repeated items
    // went above); any other sentence goes while the distinctive terms (quoted trigger
    // phrases among them) survive, and so do example sentences and placeholders.
    let first_trigger = sentences.iter().position(|x| has_trigger(x));
    let mut keep: Vec<bool> = vec![true; sentences.len()];
    for i in (1..sentences.len()).rev() {
        let example = is_example_sentence(&sentences[i]);
        if Some(i) == first_trigger && !example {
            continue;
        }
        keep[i] = false;
        let rest: String = sentences
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(x, _)| x.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let placeholder = PLACEHOLDERS.contains(&sentences[i].to_lowercase().as_str());
        // A later trigger sentence ("Also trigger for meeting notes ...") goes only when
        // it repeats: none of its rare words is lost.
        // Any sentence goes only when it repeats: none of its rare words is lost. (A
        // sentence of what the skill does that is not a trigger, "Vaex excels at
        // out-of-core DataFrame operations ...", "For interactive plots use plotly",
        // is still what a router matches.)
        let droppable = !is_trigger_list(&sentences[i])
            && rare_terms(&sentences[i]).is_subset(&rare_terms(&rest));
        let examples_only =
            example && keeps(&rest, &distinctive_outside_quotes(&sentences[i], must_keep));
        // Marketing ("With 15,000+ GitHub stars and millions of downloads, it is the
        // most popular ...") goes with its numbers and platform names: they set nothing
        // apart for a router.
        let marketing = !has_trigger(&sentences[i]) && is_marketing(&sentences[i]);
        if !(fine(&rest) && droppable
            || (placeholder || examples_only)
                && keeps(&rest, must_keep)
                && (!had_trigger || has_trigger(&rest))
            || marketing
                && (!had_trigger || has_trigger(&rest))
                && (floor == 0 || super::tokens(&rest) >= floor))
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
    // A description that opens with a name written in lower case ("gptme is ...") keeps
    // it: only an opening that tightening changed is capitalised.
    clip(&recapitalise(original, &one_line(&out.join(" "))))
}

/// Words of `s` rare enough to route on.
fn rare_terms(s: &str) -> BTreeSet<String> {
    terms(s)
        .into_iter()
        .filter(|w| rarity(w) >= RARE_IDF)
        .collect()
}

/// Whether a parenthetical opens as a list of examples ("e.g. SQL, JSON", "such as
/// Redis").
fn gives_examples(inner: &str) -> bool {
    let l = inner.trim_start().to_lowercase();
    [
        "e.g",
        "eg ",
        "eg,",
        "for example",
        "for instance",
        "such as",
        "like ",
        "including ",
        "i.e",
        "ex:",
        "ex.",
    ]
    .iter()
    .any(|m| l.starts_with(m))
}

/// Whether a sentence is a popularity or superlative claim.
fn is_marketing(sentence: &str) -> bool {
    says_any(
        sentence,
        &[
            " stars",
            " downloads",
            " trusted by ",
            " loved by ",
            " battle-tested",
            " industry-leading",
            " world-class",
            " best-in-class",
            " blazing",
            " lightning-fast",
            " most popular",
            " go-to ",
        ],
    )
}

/// Whether a sentence only gives examples ("Examples: 'What projects are in this
/// workspace?', ...").
fn is_example_sentence(sentence: &str) -> bool {
    let l = sentence.to_lowercase();
    [
        "examples:",
        "example:",
        "e.g.",
        "for example",
        "for instance",
        "example requests",
        "example prompts",
        "example queries",
    ]
    .iter()
    .any(|k| l.starts_with(k))
}

/// The distinctive terms `must_keep` minus those only quoted in `sentence` (the quoted
/// requests of an example sentence are examples, not identifiers).
fn distinctive_outside_quotes(sentence: &str, must_keep: &BTreeSet<String>) -> BTreeSet<String> {
    let mut quoted = BTreeSet::new();
    for q in quoted_spans(sentence) {
        quoted.extend(words_of(q));
    }
    let unquoted = distinctive(
        &quoted_spans(sentence)
            .iter()
            .fold(sentence.to_string(), |acc, q| acc.replace(q, " ")),
    );
    must_keep
        .iter()
        .filter(|w| !quoted.contains(*w) || unquoted.contains(*w))
        .cloned()
        .collect()
}

/// `s` with `from` (lower case) replaced by `to` where it opens a sentence.
fn replace_at_sentence_start(s: &str, from: &str, to: &str) -> String {
    let out: Vec<String> = split_sentences(s)
        .into_iter()
        .map(|x| {
            if x.to_lowercase().starts_with(from) && x.is_char_boundary(from.len()) {
                format!("{to}{}", &x[from.len()..])
            } else {
                x
            }
        })
        .collect();
    one_line(&out.join(" "))
}

/// `s` split at `sep` outside parentheses, brackets and quotes.
fn split_top<'a>(s: &'a str, sep: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            '"' | '`' => quoted = !quoted,
            _ => {}
        }
        if depth == 0 && !quoted && s[i..].starts_with(sep) {
            out.push(&s[start..i]);
            i += sep.len();
            start = i;
            continue;
        }
        i += c.len_utf8();
    }
    out.push(&s[start..]);
    out
}

/// A sentence's text and its closing punctuation.
fn sentence_end(sentence: &str) -> (&str, &str) {
    let t = sentence.trim_end();
    match t.char_indices().last() {
        Some((j, '.' | '!' | '?')) => (&t[..j], &t[j..]),
        _ => (t, ""),
    }
}

/// Whether a sentence is a list of trigger words ("Triggers: publish, share link.").
fn is_trigger_list(sentence: &str) -> bool {
    trigger_list_items(sentence).is_some()
}

/// The label ("Trigger words: ") and items of a trigger-word list.
fn trigger_list_items(sentence: &str) -> Option<(&str, Vec<&str>)> {
    let lower = sentence.to_lowercase();
    if !["trigger", "keywords", "key words"]
        .iter()
        .any(|k| lower.starts_with(k))
    {
        return None;
    }
    let (text, _) = sentence_end(sentence);
    let at = [": ", " - ", " — ", " – "]
        .iter()
        .filter_map(|sep| text.find(sep).map(|i| i + sep.len()))
        .min()?;
    if text[..at].split_whitespace().count() > 4 {
        return None;
    }
    Some((&text[..at], split_top(&text[at..], ", ")))
}

/// A trigger-word list without the items whose words the rest of the description, or an
/// earlier item, already has; `None` when nothing goes, an empty string when all do.
fn prune_trigger_list(sentence: &str, others: &str) -> Option<String> {
    let (label, items) = trigger_list_items(sentence)?;
    let (_, end) = sentence_end(sentence);
    let mut seen = terms(others);
    let mut kept: Vec<&str> = Vec::new();
    for item in &items {
        let t = terms(item);
        if !t.is_empty() && !t.is_subset(&seen) {
            kept.push(item.trim());
            seen.extend(t);
        }
    }
    if kept.len() == items.len() {
        return None;
    }
    if kept.is_empty() {
        return Some(String::new());
    }
    let end = if end.is_empty() { "." } else { end };
    Some(format!("{label}{}{end}", kept.join(", ")))
}

/// A sentence listing five or more features ("Supports A, B, C, D, and E.") without the
/// items that only repeat what the rest of the description says. Every other item is a
/// capability or a request a router may match ("knowledge bases", "Codex"), so it
/// stays. `None` when it is no catalogue or nothing goes.
fn prune_catalogue(sentence: &str, others: &str, must_keep: &BTreeSet<String>) -> Option<String> {
    // A list of trigger words is no catalogue: each of its words is a request.
    if is_trigger_list(sentence) {
        return None;
    }
    let (text, end) = sentence_end(sentence);
    let parts = split_top(text, ", ");
    if parts.len() < MIN_CATALOGUE_ITEMS {
        return None;
    }
    let conj = |p: &str| {
        let l = p.trim_start().to_lowercase();
        l.starts_with("and ") || l.starts_with("or ")
    };
    // The list runs from the first part to the one opening with "and"/"or"; without an
    // Oxford comma, to the last part.
    let last = parts
        .iter()
        .skip(3)
        .position(|p| conj(p))
        .map_or(parts.len() - 1, |p| p + 3);
    let middle = 1..last;
    if middle.len() < MIN_CATALOGUE_ITEMS - 2
        || !parts[middle.clone()].iter().all(|p| is_catalogue_item(p))
    {
        return None;
    }
    let elsewhere = terms(others);
    let mut keep: BTreeSet<usize> = BTreeSet::new();
    for i in middle.clone() {
        let item = parts[i];
        // An identifier the item alone names keeps it.
        let mut around = words_of(others);
        for (j, p) in parts.iter().enumerate() {
            if j != i {
                around.extend(words_of(p));
            }
        }
        if words_of(item)
            .iter()
            .any(|w| must_keep.contains(w) && !around.contains(w))
        {
            keep.insert(i);
            continue;
        }
        // An item with a word the rest of the description lacks is something the skill
        // covers that a request may name: it stays. Only repeats go.
        if !terms(item).is_subset(&elsewhere) {
            keep.insert(i);
        }
    }
    if keep.len() == middle.len() {
        return None;
    }
    let kept: Vec<&str> = middle
        .filter(|i| keep.contains(i))
        .map(|i| parts[i].trim())
        .collect();
    let mut out = parts[0].to_string();
    for k in &kept {
        out.push_str(", ");
        out.push_str(k);
    }
    let tail = parts[last].trim();
    out.push_str(if kept.is_empty() && conj(tail) {
        " "
    } else {
        ", "
    });
    out.push_str(tail);
    for p in &parts[last + 1..] {
        out.push_str(", ");
        out.push_str(p.trim());
    }
    out.push_str(end);
    Some(out)
}

/// Items a list needs to count as a catalogue of features (first and last included).
const MIN_CATALOGUE_ITEMS: usize = 5;

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
    let mut out = String::new();
    let mut pos = 0;
    while let Some(start) = find_ignore_ascii_case(s, phrase, pos) {
        // Whole words only.
        if start > 0 && s.as_bytes()[start - 1].is_ascii_alphanumeric() {
            out.push_str(&s[pos..start + 1]);
            pos = start + 1;
            continue;
        }
        out.push_str(&s[pos..start]);
        pos = start + phrase.len();
        // A phrase that opened a sentence ("... voice applications. This skill helps
        // agents install ...") leaves the next word to open it.
        if out.trim_end().is_empty() || out.trim_end().ends_with(['.', '!', '?']) {
            let (head, rest) = s[pos..].split_at(s[pos..].len() - s[pos..].trim_start().len());
            out.push_str(head);
            let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push_str(&capitalise(&rest[..word_end]));
            pos += head.len() + word_end;
        }
    }
    out.push_str(&s[pos..]);
    out
}

/// `after` (a cut of `before`) capitalised only when its opening word changed: an
/// author's lower-case name ("gptme is ...") keeps its case.
fn recapitalise(before: &str, after: &str) -> String {
    if after.split_whitespace().next() == before.split_whitespace().next() {
        after.to_string()
    } else {
        capitalise(after)
    }
}

/// What removing filler can leave behind: a sentence opening with "and" or "or" (from
/// "a comprehensive and powerful toolkit"), or a stray comma.
fn tidy(s: &str) -> String {
    let sentences: Vec<String> = split_sentences(s)
        .into_iter()
        .map(|sentence| {
            let mut t = sentence.as_str();
            let whole = t;
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
            recapitalise(whole, t)
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

/// `s` ending with a full stop, its case as written (the author's own text).
fn full_stop(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

fn sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '!', '?']) {
        capitalise(s)
    } else {
        format!("{}.", capitalise(s))
    }
}

/// `s` with a capital first letter, unless its first word is a name with capitals inside
/// it, written in its own case ("tRPC", "iOS", "eBPF").
fn capitalise(s: &str) -> String {
    let s = s.trim_start();
    let first = s.split_whitespace().next().unwrap_or_default();
    if first.chars().skip(1).any(char::is_uppercase) {
        return s.to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    let first = s.split_whitespace().next().unwrap_or_default();
    let name = first.chars().skip(1).any(char::is_uppercase);
    match (c.next(), c.clone().next()) {
        // Keep acronyms and names ("API", "GitHub") as written.
        (Some(f), Some(n)) if f.is_uppercase() && n.is_lowercase() && !name => {
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
    fn filler_goes_whole_after_letters_that_lower_case_longer() {
        // "İ" is two bytes and its lower case three: offsets into a lower-cased copy
        // once cut "comprehensive support" into "compret".
        let original = "İİİİ İstanbul için comprehensive support for Turkish addresses and İl names. Use when the user asks about Turkish addresses or postal codes.";
        let t = tighten(original);
        assert!(
            t.contains("İstanbul için support for Turkish addresses"),
            "{t}"
        );
        let t = tighten("İİ, for example İzmir, comprehensive Turkish address tool. Use when the user asks about Turkish addresses or postal codes in Turkey.");
        assert!(t.contains("Turkish address tool"), "{t}");
    }

    #[test]
    fn parentheticals_go_only_when_their_terms_are_elsewhere() {
        let t = tighten("Formats SQL and JSON files (e.g. SQL, JSON). Use when formatting.");
        assert_eq!(t, "Formats SQL and JSON files. Use when formatting.");
        let t = tighten("Formats files (SQL, JSON). Use when formatting.");
        assert!(t.contains("SQL"), "{t}");
    }

    #[test]
    fn a_catalogue_loses_only_the_items_the_rest_already_says() {
        let d = "Plans medical treatment for patients from `intake.json` into `plan.pdf` and `plan.tex` for the clinic's records system. Supports general medical treatment, rehabilitation therapy, treatment plans, mental health care, chronic disease management, HIPAA audits, perioperative care, and pain management. Use when writing a treatment plan.";
        let t = tighten(d);
        assert!(!t.contains("treatment plans,"), "{t}");
        for item in [
            "Supports general medical treatment, ",
            "rehabilitation therapy",
            "mental health care",
            "chronic disease management",
            "HIPAA audits",
            ", and pain management.",
        ] {
            assert!(t.contains(item), "{item}: {t}");
        }
        assert_eq!(tighten(&t), t);
        // Four items are no catalogue: a core capability list stays whole.
        let d = "Generates speech, music, video, and images with the MiniMax API for any creative project you have. Use when the user wants media generated.";
        assert!(
            tighten(d).contains("speech, music, video, and images"),
            "{}",
            tighten(d)
        );
    }

    #[test]
    fn a_trigger_clause_keeps_every_item_that_names_something_new() {
        // The items of a trigger clause are requests: "working with tags" and "content
        // audits" are what a user asks for, however common their words.
        let d = "Reads DICOM files with pydicom for medical imaging work in hospitals and labs, from `study.dcm` into `pixels.npy` and `tags.json` for later steps. Use when anonymizing DICOM files, working with tags, medical imaging work, converting images to other formats, reading pixel data, or processing medical imaging datasets.";
        let t = tighten(d);
        for item in [
            "anonymizing DICOM files",
            "working with tags",
            "converting images to other formats",
            "reading pixel data",
            "or processing medical imaging datasets.",
        ] {
            assert!(t.contains(item), "{item}: {t}");
        }
        assert!(!t.contains(", medical imaging work,"), "{t}");
    }

    #[test]
    fn a_name_in_lower_case_and_a_parenthetical_of_what_is_covered_stay() {
        let t = tighten("gptme is a powerful terminal agent with shell, file and browser tools. Use when running agents in a terminal.");
        assert!(t.starts_with("gptme is a terminal agent"), "{t}");
        let t = tighten("Review a diff through three lenses (correctness, security, test coverage), then merge the findings. Use when reviewing a pull request.");
        assert!(t.contains("(correctness, security, test coverage)"), "{t}");
        let t = tighten(
            "Formats data files (for example CSV and TSV). Use when formatting CSV and TSV files.",
        );
        assert!(!t.contains("for example"), "{t}");
    }

    #[test]
    fn a_sentence_naming_what_the_skill_covers_stays_though_the_body_names_it_too() {
        let body =
            "Configure JobPipeline, OpenAI, Anthropic and Ollama. With 15,000+ GitHub stars.";
        let d = "Builds multi-tenant Laravel apps with stancl/tenancy. Use when building tenant-aware SaaS applications with Laravel. It supports OpenAI, Anthropic and Ollama. With 15,000+ GitHub stars.";
        let t = drop_details(d, &BodyWords::new(body));
        assert!(
            t.contains("It supports OpenAI, Anthropic and Ollama."),
            "{t}"
        );
        assert!(!t.contains("15,000+"), "{t}");
    }

    #[test]
    fn a_phrase_removed_from_a_sentence_start_leaves_it_capitalised() {
        let t = remove_phrase(
            "Moonshine is a speech library. This skill helps agents install it.",
            "this skill helps ",
        );
        assert_eq!(t, "Moonshine is a speech library. Agents install it.");
        assert_eq!(
            remove_phrase("gptme is a powerful agent.", "powerful "),
            "gptme is a agent."
        );
    }

    #[test]
    fn marketing_goes_and_a_sentence_of_capabilities_stays() {
        let d = "PM2 is a process manager for Node.js and Bun applications with a built-in load balancer. With over 42,000 GitHub stars and millions of weekly npm downloads, it is the most popular choice. It keeps applications alive, enables zero-downtime reloads and clusters processes across CPU cores. Use when deploying Node.js services.";
        let t = tighten(d);
        assert!(!t.contains("42,000"), "{t}");
        assert!(t.contains("zero-downtime reloads"), "{t}");
        assert!(t.contains("Use when deploying Node.js services."), "{t}");
    }

    #[test]
    fn a_repeated_trigger_list_keeps_only_its_new_words() {
        let d = "Publish content to brewpage.app as text, markdown, JSON or a whole site, and get back a public URL. Triggers: publish, share link, upload to brewpage, brewpage, publish site, опубликуй.";
        let t = tighten(d);
        assert!(
            t.contains("Triggers: share link, upload to brewpage, опубликуй."),
            "{t}"
        );
        let d = "Reference for using the OpenCode CLI to delegate complex coding tasks across several files. Use when a project needs a coding agent. Trigger words: opencode, coding CLI, multi-provider agent.";
        let t = tighten(d);
        assert!(t.ends_with("Trigger words: multi-provider agent."), "{t}");
    }

    #[test]
    fn a_long_opening_becomes_use_when_and_enumerators_stay() {
        let d = "This skill should be used when the user asks to \"fine-tune a DSPy model\", \"distill a program into weights\" or mentions teacher-student training for production.";
        let t = tighten(d);
        assert!(
            t.starts_with("Use when the user asks to \"fine-tune a DSPy model\""),
            "{t}"
        );
        let d = "Guides a risk assessment in CISO Assistant from assets to scenarios. Use when: (1) the user starts a risk assessment (2) the user mentions a risk register and wants help.";
        let t = tighten(d);
        assert!(
            t.contains("(1) the user starts") && t.contains("(2) the user"),
            "{t}"
        );
    }

    #[test]
    fn a_short_description_keeps_its_catalogues_and_detail_sentences() {
        let d = "Generates Semgrep SAST rules from vulnerability descriptions. Supports metavariable patterns, taint tracking, join rules, autofix, and cross-file analysis.";
        assert_eq!(tighten(d), d);
    }

    fn skill(text: &str) -> Skill {
        Skill::from_parts(
            "demo".into(),
            "SKILL.md".into(),
            text.to_string(),
            Vec::new(),
        )
    }

    #[test]
    fn a_trigger_clause_reads_as_a_sentence() {
        assert_eq!(item_joint("save facts as flashcards"), "to ");
        assert_eq!(item_joint("debug a crashing container"), "to ");
        assert_eq!(item_joint("reconstructing file history"), "when ");
        assert_eq!(item_joint("the user mentions OMERO"), "when ");
        assert_eq!(item_joint("user mentions OMERO"), "when ");
        assert_eq!(item_joint("during incident response"), "");
        assert_eq!(item_joint("antibody engineering"), "for ");
        let items = [
            "Save facts as flashcards.".to_string(),
            "Review due cards".to_string(),
        ];
        assert_eq!(
            trigger_from_items(&items, "Spaced repetition.").as_deref(),
            Some("Use to save facts as flashcards; review due cards")
        );
    }

    #[test]
    fn a_trigger_clause_takes_the_items_that_add_most_and_stays_short() {
        let items: Vec<String> = [
            "When the user asks for a summary of a CSV file",
            "The workflow described in the overview applies",
            "When the user shares a spreadsheet export from Airtable or Smartsheet",
            "When the user wants the delimiters of a semicolon-separated file detected and the byte-order mark stripped",
        ]
        .map(String::from)
        .to_vec();
        let t = trigger_from_items(&items, "Summarizes CSV files into a short report.").unwrap();
        assert!(
            t.starts_with("Use when the user wants the delimiters"),
            "{t}"
        );
        assert!(
            !t.contains("Airtable"),
            "a second item fits only under the word cap: {t}"
        );
        assert!(
            !t.contains("overview"),
            "an item pointing back at the skill says nothing: {t}"
        );
        assert!(
            !t.contains("summary of a CSV"),
            "an item repeating the description adds nothing: {t}"
        );
        assert!(t.split_whitespace().count() <= MAX_TRIGGER_WORDS + 3, "{t}");
    }

    #[test]
    fn a_long_description_loses_the_details_its_body_gives() {
        let d = "Parse Apache and Nginx access logs to detect SQL injection attempts, directory traversal, web scanner fingerprints and brute-force patterns. Use when investigating web intrusions. Uses regex-based pattern matching against OWASP attack signatures and GeoIP enrichment for source attribution, with statistical anomaly detection for request frequency and response size outliers.";
        assert!(crate::reduce::tokens(d) > LONG_TOKENS);
        let with_body = skill(&format!(
            "---\nname: demo\ndescription: {d}\n---\n# Demo\n\nMatch requests against OWASP signatures with regex-based pattern matching; enrich addresses with GeoIP for source attribution; flag request frequency and response size outliers with statistical anomaly detection.\n"
        ));
        let (t, how) = rewrite(&with_body, true);
        assert_eq!(how, Change::Tightened);
        assert!(!t.contains("OWASP"), "{t}");
        assert!(t.contains("Use when investigating web intrusions."), "{t}");
        // A body that does not name them keeps them in the description.
        let without = skill(&format!(
            "---\nname: demo\ndescription: {d}\n---\n# Demo\n\nMatch requests.\n"
        ));
        assert!(rewrite(&without, true).0.contains("OWASP"));
        // Nor does a body that names OWASP and GeoIP but not the rest of what the
        // sentence says the skill does.
        let partly = skill(&format!(
            "---\nname: demo\ndescription: {d}\n---\n# Demo\n\nMatch requests against OWASP signatures; enrich addresses with GeoIP.\n"
        ));
        assert!(rewrite(&partly, true).0.contains("anomaly detection"));
    }

    #[test]
    fn a_long_description_gains_a_trigger_only_in_the_room_it_has() {
        let d = "Parse Apache and Nginx access logs to detect SQL injection attempts, directory traversal, web scanner fingerprints and brute-force patterns with regex-based matching against OWASP attack signatures, GeoIP enrichment for source attribution, and anomaly detection on request frequency.";
        let s = skill(&format!(
            "---\nname: demo\ndescription: {d}\n---\n# Demo\n\n## When to use\n\n- Investigating security incidents that involve web server access logs from Apache or Nginx fleets\n\n## Steps\n\n1. Run `scan.py`.\n"
        ));
        let (t, _) = rewrite(&s, true);
        assert!(
            crate::reduce::tokens(&t) <= crate::reduce::tokens(d).max(LONG_TOKENS),
            "{t}"
        );
        // Rewriting the result decides the same.
        let again = skill(&format!("---\nname: demo\ndescription: {t}\n---\n# Demo\n\n## When to use\n\n- Investigating security incidents that involve web server access logs from Apache or Nginx fleets\n\n## Steps\n\n1. Run `scan.py`.\n"));
        assert_eq!(rewrite(&again, true).0, t);
    }

    #[test]
    fn trigger_items_are_bold_labels_said_once() {
        assert_eq!(
            trigger_item("- **Antibody engineering**: Optimize Fc glycosylation for enhanced ADCC"),
            "Antibody engineering"
        );
        assert_eq!(
            trigger_item("1. **Vaccine design:** engineer shields"),
            "Vaccine design"
        );
        assert_eq!(trigger_item("- Merging PDFs. Then more."), "Merging PDFs.");
    }

    #[test]
    fn a_name_in_its_own_case_keeps_it() {
        assert_eq!(
            capitalise("tRPC enables typesafe APIs."),
            "tRPC enables typesafe APIs."
        );
        assert_eq!(capitalise("parse logs."), "Parse logs.");
        assert_eq!(lower_first("GitHub issues"), "GitHub issues");
        assert_eq!(lower_first("API keys"), "API keys");
        assert_eq!(lower_first("Merging PDFs"), "merging PDFs");
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
