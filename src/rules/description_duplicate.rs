//! Near-duplicate descriptions among the skills linted together. A router choosing between
//! two skills sees only their descriptions; when those say the same thing it cannot tell
//! which one a request is for. Runs after the per-skill pass over each skill's listing.
//!
//! Pairs are found with an inverted index and prefix filtering (Bayardo et al., "Scaling up
//! all pairs similarity search", 2007), then scored with exact Jaccard: near-linear on a
//! registry, and the same pairs as comparing every pair (`brute_force`, the test oracle).

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::PathBuf;

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{description_of, Context, FixKind, RuleMeta, RuleOption};
use crate::skill::Skill;

pub const META: RuleMeta = RuleMeta {
    code: "U005",
    name: "description-duplicate",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "description is nearly the same as another linted skill's",
    options: &[MIN_SIMILARITY],
};

/// The `min-similarity` option.
pub const MIN_SIMILARITY: RuleOption = RuleOption {
    name: "min-similarity",
    default: 0.8,
    help: "word-set similarity (Jaccard, 0 to 1) from which two descriptions count as duplicates",
};

/// Words too common to tell descriptions apart.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "the", "this", "that", "to", "use", "when", "with", "skill", "user",
];

/// Sets smaller than this are too short to call duplicates.
const MIN_WORDS: usize = 3;

/// How many of the closest other skills a finding names.
const CLOSEST: usize = 3;

/// What the cross-skill pass keeps of one skill: its name and its description's word set
/// as sorted 64-bit hashes, not the text. (Two different words sharing a hash, which would
/// make two sets look closer than they are, is a 1-in-10^9 event on a million-word corpus.)
#[derive(Debug, Clone)]
pub struct Listing {
    pub dir: PathBuf,
    pub manifest: String,
    pub name: String,
    /// Hashes of the description's distinct words, sorted.
    pub words: Vec<u64>,
    /// The description's value in the manifest.
    pub span: Range<usize>,
}

impl Listing {
    pub fn of(skill: &Skill) -> Option<Listing> {
        let (description, span) = description_of(skill)?;
        let mut words: Vec<u64> = words(&description).iter().map(|w| word_hash(w)).collect();
        words.sort_unstable();
        words.dedup();
        Some(Listing {
            dir: skill.dir.clone(),
            manifest: skill.manifest.clone(),
            name: skill.name().unwrap_or_else(|| skill.folder_name()),
            words,
            span,
        })
    }
}

/// The distinct words of a description that count for similarity: lowercased runs of
/// letters and digits, stopwords left out.
pub fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(&w.as_str()))
        .collect()
}

fn word_hash(word: &str) -> u64 {
    // `DefaultHasher::new()` has fixed keys: the same word hashes the same on every thread.
    let mut h = DefaultHasher::new();
    word.hash(&mut h);
    h.finish()
}

/// The per-skill pass has nothing to do: duplicates need the other skills.
pub fn check(_: &Context, _: &mut Vec<Diagnostic>) {}

/// Jaccard similarity of two sizes and their overlap, and whether it reaches `threshold`,
/// computed the same way by the index and the oracle so both decide alike at the boundary.
fn similarity(a: usize, b: usize, threshold: f64, inter: impl FnOnce() -> usize) -> Option<f64> {
    if a.min(b) < MIN_WORDS {
        return None;
    }
    // Jaccard is at most the ratio of the set sizes; skip pairs that cannot reach it.
    if (a.min(b) as f64) < threshold * a.max(b) as f64 {
        return None;
    }
    let inter = inter();
    let s = inter as f64 / (a + b - inter) as f64;
    (s >= threshold).then_some(s)
}

/// Every pair `(i, j, similarity)` with `i < j` of sets of at least three words whose
/// Jaccard similarity reaches `threshold`, by comparing every pair: quadratic, kept as the
/// oracle the index is tested against.
pub fn brute_force(sets: &[HashSet<String>], threshold: f64) -> Vec<(usize, usize, f64)> {
    let mut out = Vec::new();
    for i in 0..sets.len() {
        for j in i + 1..sets.len() {
            let (a, b) = (&sets[i], &sets[j]);
            let found = similarity(a.len(), b.len(), threshold, || {
                a.iter().filter(|w| b.contains(*w)).count()
            });
            if let Some(s) = found {
                out.push((i, j, s));
            }
        }
    }
    out
}

/// The pairs `brute_force` finds, for sorted, deduplicated word-hash sets, through an
/// inverted index over each set's prefix: with words ordered rarest first, two sets whose
/// Jaccard similarity is at least t share a word among the first |x| - ceil(t|x|) + 1
/// words of each (their overlap is at least t|x|). Pairs sorted by (i, j).
pub fn similar_pairs(sets: &[&[u64]], threshold: f64) -> Vec<(usize, usize, f64)> {
    if threshold <= 0.0 {
        // Every pair qualifies, sharing words or not: nothing to index.
        let mut out = Vec::new();
        for i in 0..sets.len() {
            for j in i + 1..sets.len() {
                let (a, b) = (sets[i], sets[j]);
                if let Some(s) = similarity(a.len(), b.len(), threshold, || overlap(a, b)) {
                    out.push((i, j, s));
                }
            }
        }
        return out;
    }
    // Word ids by document frequency, rarest first, so that prefixes hold rare words and
    // the posting lists probed are short.
    let mut freq: HashMap<u64, u32> = HashMap::new();
    for s in sets.iter().filter(|s| s.len() >= MIN_WORDS) {
        for &w in s.iter() {
            *freq.entry(w).or_default() += 1;
        }
    }
    let mut order: Vec<(u32, u64)> = freq.iter().map(|(&w, &n)| (n, w)).collect();
    order.sort_unstable();
    let id: HashMap<u64, u32> = order
        .iter()
        .enumerate()
        .map(|(i, &(_, w))| (w, i as u32))
        .collect();
    drop(freq);
    let ranked: Vec<Vec<u32>> = sets
        .iter()
        .map(|s| {
            if s.len() < MIN_WORDS {
                return Vec::new();
            }
            let mut r: Vec<u32> = s.iter().map(|w| id[w]).collect();
            r.sort_unstable();
            r
        })
        .collect();

    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); order.len()];
    let mut seen: Vec<u32> = vec![u32::MAX; sets.len()];
    let mut out = Vec::new();
    for (j, x) in ranked.iter().enumerate() {
        if x.is_empty() {
            continue;
        }
        let mut candidates = Vec::new();
        for &w in &x[..prefix_len(x.len(), threshold)] {
            for &i in &postings[w as usize] {
                if seen[i as usize] != j as u32 {
                    seen[i as usize] = j as u32;
                    candidates.push(i as usize);
                }
            }
            postings[w as usize].push(j as u32);
        }
        for i in candidates {
            let y = &ranked[i];
            if let Some(s) = similarity(y.len(), x.len(), threshold, || overlap(y, x)) {
                out.push((i, j, s));
            }
        }
    }
    out.sort_unstable_by_key(|&(i, j, _)| (i, j));
    out
}

/// Words of a set of `n` that must hold one of any qualifying partner's: n - ceil(t n) + 1,
/// with the overlap bound rounded down a hair so float error never drops a pair.
fn prefix_len(n: usize, threshold: f64) -> usize {
    let min_overlap = ((threshold * n as f64) - 1e-9).ceil().max(1.0) as usize;
    (n + 1).saturating_sub(min_overlap).clamp(1, n)
}

/// The size of the intersection of two sorted slices.
fn overlap<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The skills one listing collides with: how many, and the closest few.
#[derive(Default)]
struct Group {
    size: usize,
    /// (similarity, listing index), closest first, at most `CLOSEST`.
    closest: Vec<(f64, usize)>,
}

impl Group {
    fn add(&mut self, similarity: f64, other: usize) {
        self.size += 1;
        self.closest.push((similarity, other));
        self.closest
            .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        self.closest.truncate(CLOSEST);
    }
}

/// One finding per listing whose description is nearly the same as others': how many it
/// collides with and the closest three. Pairs with the same name are one skill found twice
/// (vendored copies, perhaps edited), not two skills a router must choose between.
pub fn check_all(listings: &[Listing], settings: &Settings) -> Vec<(usize, Diagnostic)> {
    check_all_closest(listings, settings)
        .into_iter()
        .map(|(k, d, _)| (k, d))
        .collect()
}

/// `check_all`, each finding with the indices of the closest other listings (closest
/// first, at most three), for callers that point at them (the language server).
pub fn check_all_closest(
    listings: &[Listing],
    settings: &Settings,
) -> Vec<(usize, Diagnostic, Vec<usize>)> {
    let Some(severity) = settings.severity(&META) else {
        return Vec::new();
    };
    let threshold = settings.option(&META, &MIN_SIMILARITY);
    let sets: Vec<&[u64]> = listings.iter().map(|l| l.words.as_slice()).collect();
    let mut groups: HashMap<usize, Group> = HashMap::new();
    for (i, j, s) in similar_pairs(&sets, threshold) {
        if listings[i].name == listings[j].name {
            continue;
        }
        groups.entry(i).or_default().add(s, j);
        groups.entry(j).or_default().add(s, i);
    }
    let mut out: Vec<(usize, Diagnostic, Vec<usize>)> = groups
        .into_iter()
        .map(|(k, g)| {
            let me = &listings[k];
            let mut d = Diagnostic::new(&META, me.manifest.clone(), me.span.clone(), message(me, &g, listings))
                .help("say what sets this skill apart: its inputs, tools or the requests it is for; or merge the skills");
            d.severity = severity;
            (k, d, g.closest.iter().map(|&(_, i)| i).collect())
        })
        .collect();
    out.sort_by_key(|(k, _, _)| *k);
    out
}

fn message(me: &Listing, group: &Group, listings: &[Listing]) -> String {
    let named = |i: usize| {
        let l = &listings[i];
        let folder = l.dir.file_name().unwrap_or_default().to_string_lossy();
        (format!("`{}`", l.name), folder.into_owned())
    };
    if group.size == 1 {
        let (s, other) = group.closest[0];
        let (name, folder) = named(other);
        return format!(
            "description of `{}` is {:.0}% the same as that of {name} (folder `{folder}`): a router cannot tell them apart",
            me.name,
            100.0 * s,
        );
    }
    let closest: Vec<String> = group
        .closest
        .iter()
        .map(|&(s, i)| {
            let (name, folder) = named(i);
            format!("{name} (folder `{folder}`, {:.0}%)", 100.0 * s)
        })
        .collect();
    let lead = if group.size > CLOSEST { "closest " } else { "" };
    format!(
        "description of `{}` is nearly the same as those of {} other skills ({lead}{}): a router cannot tell them apart",
        me.name,
        group.size,
        closest.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hashed(sets: &[HashSet<String>]) -> Vec<Vec<u64>> {
        sets.iter()
            .map(|s| {
                let mut v: Vec<u64> = s.iter().map(|w| word_hash(w)).collect();
                v.sort_unstable();
                v
            })
            .collect()
    }

    fn index_pairs(sets: &[HashSet<String>], t: f64) -> Vec<(usize, usize, f64)> {
        let h = hashed(sets);
        let refs: Vec<&[u64]> = h.iter().map(Vec::as_slice).collect();
        similar_pairs(&refs, t)
    }

    #[test]
    fn prefix_is_never_empty_nor_longer_than_the_set() {
        for n in 1..60 {
            for t in [0.01, 0.5, 0.8, 0.99, 1.0] {
                let p = prefix_len(n, t);
                assert!((1..=n).contains(&p), "n {n} t {t} p {p}");
            }
        }
        assert_eq!(prefix_len(10, 0.8), 3);
    }

    #[test]
    fn finds_a_pair_of_near_duplicates_and_not_a_stranger() {
        let sets: Vec<HashSet<String>> = [
            "Extracts text and tables from PDF files. Use when the user asks to read a PDF.",
            "Fills in PDF forms from JSON data. Use when the user asks to complete a form.",
            "Extracts the text and tables from PDF files. Use when the user asks to read PDF.",
        ]
        .iter()
        .map(|d| words(d))
        .collect();
        let pairs = index_pairs(&sets, 0.8);
        assert_eq!(pairs.len(), 1);
        assert_eq!((pairs[0].0, pairs[0].1), (0, 2));
        assert_eq!(pairs, brute_force(&sets, 0.8));
    }

    /// Descriptions drawn from a small vocabulary, so that many pairs overlap heavily.
    fn descriptions() -> impl Strategy<Value = Vec<String>> {
        let word = prop::sample::select(vec![
            "pdf", "text", "tables", "extract", "read", "forms", "json", "fill", "git", "commit",
            "review", "code", "the", "and", "rust", "tests",
        ]);
        prop::collection::vec(
            prop::collection::vec(word, 0..12).prop_map(|ws| ws.join(" ")),
            0..40,
        )
    }

    proptest! {
        #[test]
        fn index_finds_exactly_the_brute_force_pairs(
            ds in descriptions(),
            t in prop::sample::select(vec![0.0, 0.3, 0.5, 0.6, 2.0 / 3.0, 0.75, 0.8, 0.9, 1.0]),
        ) {
            let sets: Vec<HashSet<String>> = ds.iter().map(|d| words(d)).collect();
            prop_assert_eq!(index_pairs(&sets, t), brute_force(&sets, t));
        }
    }
}
