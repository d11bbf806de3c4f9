//! The evidence the learned classifier weighs, one named feature at a time: the block's
//! words, kind and fence language, its headings, lead-in and neighbours, its place in its
//! section and list, mood and markers, what the hand-written signals say, and how close
//! it is (TF-IDF) to earlier blocks. Training (`scripts/train-classifier`, through the
//! `classify_features` example) and inference both read these, so they see the same.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use super::section::{self, Section};
use super::signals;
use super::{Classified, Repeat};
use crate::skill::markdown::is_url;
use crate::skill::{BlockKind, Markdown};

/// Spreads a hash (already uniform) or a small integer over the 64 bits a hash set
/// reads: for sets and maps keyed by feature, shingle or block numbers.
#[derive(Default)]
pub struct MixHasher(u64);

impl std::hash::Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Features are hashed into this many buckets (a power of two).
pub const DIM: usize = 1 << 14;

/// FNV-1a: stable across platforms and releases, unlike `DefaultHasher`.
pub fn hash(name: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Feature bucket of a name.
pub fn bucket(name: &str) -> u32 {
    bucket_of_hash(hash(name))
}

/// Feature bucket of a name's [`hash`].
pub fn bucket_of_hash(hash: u32) -> u32 {
    hash & (DIM as u32 - 1)
}

/// [`hash`] of the concatenation of `parts`, without building it (FNV-1a reads bytes in
/// order, so hashing the parts one after another is hashing the whole).
fn hash_parts(parts: &[&str]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for p in parts {
        for b in p.bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}

/// Inverse document frequencies of words over `../shared/corpus` skills, hashed into
/// 2^16 buckets, quantised as `idf * 16` (see `scripts/train-classifier`).
static IDF: &[u8] = include_bytes!("../../data/classify/idf.bin");

/// Inverse document frequency of a word, from its [`hash`].
fn idf_of(hash: u32) -> f32 {
    let q = IDF.get((hash & 0xffff) as usize).copied().unwrap_or(0);
    // A word the corpus never held (or a missing table) is as rare as the rarest.
    if q == 0 {
        9.0
    } else {
        f32::from(q) / 16.0
    }
}

/// Words so common their weight says nothing about meaning (idf under this).
const MIN_IDF: f32 = 1.6;
/// Earlier blocks a word may stand in and still count towards similarity.
const MAX_POSTINGS: usize = 32;
/// Similarity bins the model sees.
const SIM_BINS: [f32; 5] = [0.2, 0.35, 0.5, 0.65, 0.8];
/// Least similarity for an earlier block to count as what a block may repeat.
pub const MIN_REPEAT_SIM: f32 = 0.35;
/// Bins of the share of a block's words that earlier blocks already hold.
const COVER_BINS: [f32; 4] = [0.5, 0.7, 0.85, 0.95];
/// First words ending in "s" that are no verb in the third person ("This skill ...").
const NOT_VERBS: &[&str] = &[
    "this",
    "its",
    "is",
    "as",
    "us",
    "was",
    "has",
    "his",
    "yes",
    "thus",
    "plus",
    "always",
    "unless",
    "across",
    "towards",
    "sometimes",
    "perhaps",
    "less",
    "focus",
];

/// A document frequency table from word sets, for `scripts/train-classifier`: bucket
/// counts, then the quantised inverse frequency per bucket.
pub fn idf_table<'a>(docs: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let mut df = vec![0u32; 1 << 16];
    let mut n = 0u32;
    for d in docs {
        n += 1;
        let mut seen: Vec<u32> = section::words(d).iter().map(|w| hash(w) & 0xffff).collect();
        seen.sort_unstable();
        seen.dedup();
        for b in seen {
            df[b as usize] += 1;
        }
    }
    df.iter()
        .map(|&d| {
            let idf = ((f64::from(n) + 1.0) / (f64::from(d) + 1.0)).ln() + 1.0;
            (idf * 16.0).round().clamp(1.0, 255.0) as u8
        })
        .collect()
}

/// What one block may repeat, when the model calls it redundant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub repeat: Repeat,
    /// Similarity to it (1 for a table-of-contents entry or an exact repeat).
    pub similarity: f32,
}

/// Everything the features of a body's blocks are computed from.
pub struct Analysis<'t> {
    text: &'t str,
    md: &'t Markdown,
    /// The hand-written signals' verdict per labelled block, in block order.
    pub heuristic: Vec<Classified>,
    /// What the signals read in each labelled block, in block order.
    readings: Vec<signals::Reading>,
    /// Best similarity to an earlier block (block index) and to the description.
    similar: Vec<(Option<(usize, f32)>, f32)>,
    /// How much of each block earlier blocks already said.
    coverage: Vec<Coverage>,
    /// What each labelled block could be a repeat of; `None` when nothing, or when it
    /// holds a URL its candidate lacks (two SDK links are two facts, not a repeat).
    pub targets: Vec<Option<Target>>,
    /// For list items: index (into `heuristic`) of the list's first item, and its length.
    pub lists: Vec<Option<(usize, usize)>>,
    /// Feature names of each distinct heading path, and which one each block has.
    headings: Vec<Vec<String>>,
    heading_of: Vec<usize>,
}

/// How much of a block was said before it: a paraphrasing recap reuses the rare words of
/// several earlier blocks, which no single-block similarity sees.
#[derive(Debug, Clone, Copy)]
struct Coverage {
    /// IDF-weighted share of its words that earlier blocks hold (`None` for the first
    /// block, or one with no word rare enough to count).
    words: Option<f32>,
    /// Whether every inline code span of it stood in an earlier block (`None`: it has none).
    spans: Option<bool>,
}

impl Coverage {
    fn of(
        words: &[u32],
        own: &str,
        seen_words: &[u64],
        seen_spans: &HashSet<&str>,
        first: bool,
    ) -> Coverage {
        // Words (their hashes) are told apart by their IDF bucket: a bit set, not a hash
        // set, and collisions in 2^16 buckets are rare enough.
        let mut hashes: Vec<u32> = words.iter().map(|&h| h & 0xffff).collect();
        hashes.sort_unstable();
        hashes.dedup();
        let (mut total, mut said) = (0.0, 0.0);
        for h in hashes {
            let i = idf_of(h);
            if i < MIN_IDF {
                continue;
            }
            total += i;
            if seen_words[(h >> 6) as usize] & (1 << (h & 63)) != 0 {
                said += i;
            }
        }
        let mut spans = code_spans(own).peekable();
        let spans = spans
            .peek()
            .is_some()
            .then(|| spans.all(|s| seen_spans.contains(s)));
        Coverage {
            words: (!first && total > 0.0).then(|| said / total),
            spans,
        }
    }
}

/// Features of a heading path: the block's own heading (its words, first and head word),
/// the words of the outer ones, the depth and the section the path names.
fn heading_features(path: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    match path.split_last() {
        Some((own, outer)) => {
            let hw = section::words(own);
            for w in &hw {
                out.push(format!("h:{w}"));
            }
            if let Some(w) = hw.first() {
                out.push(format!("h1:{w}"));
            }
            if let Some(w) = hw.last() {
                out.push(format!("hl:{w}"));
            }
            for h in outer {
                for w in section::words(h) {
                    out.push(format!("hp:{w}"));
                }
            }
        }
        None => out.push("h:none".to_string()),
    }
    out.push(format!("depth:{}", bucket_of(path.len(), &[0, 1, 2, 3])));
    out.push(format!("sec:{}", section_name(section::of_path(path))));
    out
}

impl<'t> Analysis<'t> {
    pub fn new(
        text: &'t str,
        md: &'t Markdown,
        description: Option<&str>,
        heuristic: Vec<Classified>,
        readings: Vec<signals::Reading>,
    ) -> Analysis<'t> {
        let mut seen_words = vec![0u64; (1 << 16) / 64];
        let mut seen_spans: HashSet<&str> = HashSet::new();
        let mut coverage = Vec::with_capacity(heuristic.len());
        let vectors: Vec<Vec<(u32, f32)>> = heuristic
            .iter()
            .map(|c| {
                let own = &text[c.range.clone()];
                // Only the words' hashes are needed: no string per word.
                let mut words: Vec<u32> = Vec::new();
                section::each_word(own, |w| words.push(hash(w)));
                coverage.push(Coverage::of(
                    &words,
                    own,
                    &seen_words,
                    &seen_spans,
                    coverage.is_empty(),
                ));
                for &w in &words {
                    let h = w & 0xffff;
                    seen_words[(h >> 6) as usize] |= 1 << (h & 63);
                }
                seen_spans.extend(code_spans(own));
                tfidf_of(&words)
            })
            .collect();
        let desc = description.map(tfidf).unwrap_or_default();
        // Inverted index over earlier blocks: word bucket -> (labelled index, weight).
        let mut postings: HashMap<u32, Vec<(usize, f32)>, BuildHasherDefault<MixHasher>> =
            HashMap::default();
        let mut similar = Vec::with_capacity(vectors.len());
        // Dot products with earlier blocks, indexed by block, and which ones are set.
        let mut dots: Vec<f32> = vec![0.0; vectors.len()];
        let mut set = vec![false; vectors.len()];
        let mut touched: Vec<usize> = Vec::new();
        for (n, v) in vectors.iter().enumerate() {
            for &m in &touched {
                dots[m] = 0.0;
                set[m] = false;
            }
            touched.clear();
            for &(w, x) in v {
                // A word in many earlier blocks of this file says little about which one
                // a block repeats, and would make long files quadratic.
                if let Some(list) = postings.get(&w).filter(|l| l.len() <= MAX_POSTINGS) {
                    for &(m, y) in list {
                        if !set[m] {
                            set[m] = true;
                            touched.push(m);
                        }
                        dots[m] += x * y;
                    }
                }
            }
            let best = touched
                .iter()
                .map(|&m| (m, dots[m]))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            similar.push((best.map(|(m, s)| (heuristic[m].block, s)), dot(v, &desc)));
            for &(w, x) in v {
                postings.entry(w).or_default().push((n, x));
            }
        }
        let targets = heuristic
            .iter()
            .zip(&similar)
            .map(|(c, &(best, to_desc))| {
                let candidate = match c.repeats {
                    Some(r) => Some(Target {
                        repeat: r,
                        similarity: 1.0,
                    }),
                    None => match best {
                        Some((b, s)) if s >= MIN_REPEAT_SIM && s >= to_desc => Some(Target {
                            repeat: Repeat::Block(b),
                            similarity: s,
                        }),
                        _ if to_desc >= MIN_REPEAT_SIM => Some(Target {
                            repeat: Repeat::Description,
                            similarity: to_desc,
                        }),
                        _ => None,
                    },
                };
                candidate.filter(|t| says_nothing_new(text, md, description, c.block, t.repeat))
            })
            .collect();
        let mut lists = vec![None; heuristic.len()];
        let mut n = 0;
        while n < heuristic.len() {
            let kind = &md.blocks[heuristic[n].block].kind;
            if !matches!(kind, BlockKind::ListItem { .. }) {
                n += 1;
                continue;
            }
            let mut end = n + 1;
            while end < heuristic.len()
                && heuristic[end].block == heuristic[end - 1].block + 1
                && md.blocks[heuristic[end].block].kind == *kind
            {
                end += 1;
            }
            for l in &mut lists[n..end] {
                *l = Some((n, end - n));
            }
            n = end;
        }
        // Neighbouring blocks share their headings: their features are worked out once.
        let mut headings: Vec<Vec<String>> = Vec::new();
        let mut heading_of = Vec::with_capacity(heuristic.len());
        let mut last: Option<&[String]> = None;
        for c in &heuristic {
            let path = md.blocks[c.block].heading_path.as_slice();
            if last != Some(path) {
                headings.push(heading_features(path));
                last = Some(path);
            }
            heading_of.push(headings.len() - 1);
        }
        Analysis {
            text,
            md,
            headings,
            heading_of,
            heuristic,
            readings,
            similar,
            coverage,
            targets,
            lists,
        }
    }

    pub fn len(&self) -> usize {
        self.heuristic.len()
    }

    /// The hand-written checks found labelled block `n` an exact repeat (and no URL of
    /// it is new).
    pub fn is_exact_repeat(&self, n: usize) -> bool {
        self.heuristic[n].repeats.is_some() && self.targets[n].is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.heuristic.is_empty()
    }

    /// Calls `sink` with every feature of labelled block `n` (each once): its name, in
    /// parts to be joined (most are never joined: the model reads only the hash), and the
    /// name's [`hash`].
    pub fn features(&self, n: usize, sink: &mut dyn FnMut(&[&str], u32)) {
        // A set, not a list: a search of the names so far per feature was quadratic in
        // the block's words.
        let mut seen: std::collections::HashSet<u32, BuildHasherDefault<MixHasher>> =
            std::collections::HashSet::with_capacity_and_hasher(256, Default::default());
        let mut emit = |parts: &[&str]| {
            let h = hash_parts(parts);
            if seen.insert(h) {
                sink(parts, h);
            }
        };
        let c = &self.heuristic[n];
        let block = &self.md.blocks[c.block];
        let body = &self.text[c.range.clone()];
        let reading = &self.readings[n];
        let plain = &reading.plain;
        emit(&["bias"]);
        emit(&["k:", kind_name(&block.kind)]);
        emit(&["sig:", c.label.as_str()]);
        emit(&["sr:", &c.reason]);
        if n == 0 {
            emit(&["first"]);
        }
        if let BlockKind::Code { info, .. } = &block.kind {
            let lang = info.split_whitespace().next().unwrap_or("").to_lowercase();
            emit(&["lang:", if lang.is_empty() { "none" } else { &lang }]);
            let lines = body.lines().count();
            emit(&["cl:", bucket_of(lines, &[3, 6, 12, 30])]);
            if body.lines().any(|l| l.trim_start().starts_with("$ ")) {
                emit(&["code:prompt"]);
            }
            if body.lines().any(|l| {
                let t = l.trim_start();
                t.starts_with("# ") || t.starts_with("// ")
            }) {
                emit(&["code:comment"]);
            }
        }
        // Words of the block.
        let words = section::words_borrowed(plain);
        emit(&["len:", bucket_of(words.len(), &[3, 10, 25, 60, 150])]);
        if let Some(w) = words.first() {
            emit(&["fw:", w]);
            if let Some(w2) = words.get(1) {
                emit(&["f2:", w, " ", w2]);
            }
        }
        for w in words.iter().take(80) {
            emit(&["w:", w]);
        }
        // Mood, modals, placeholders and markers.
        let imperative = reading.imperative.is_some();
        if imperative {
            emit(&["imp"]);
        }
        if reading.modal {
            emit(&["modal"]);
        }
        if reading.condition.is_some() {
            emit(&["cond"]);
        }
        if reading.placeholders {
            emit(&["ph"]);
        }
        if plain.trim_end().ends_with(':') {
            emit(&["colon"]);
        }
        if plain.trim_end().ends_with('?') {
            emit(&["question"]);
        }
        // One automaton for the marker list; markers are emitted in list order.
        static MARKER_SEARCH: std::sync::LazyLock<aho_corasick::AhoCorasick> =
            std::sync::LazyLock::new(|| {
                aho_corasick::AhoCorasick::new(MARKERS.iter().map(|m| m.0))
                    .expect("the markers build an automaton")
            });
        let mut found = [false; MARKERS.len()];
        for m in MARKER_SEARCH.find_overlapping_iter(plain.as_str()) {
            found[m.pattern().as_usize()] = true;
        }
        for (i, (_, marker)) in MARKERS.iter().enumerate() {
            if found[i] {
                emit(&["mk:", marker]);
            }
        }
        // The shape of its opening: a term and what it is, a link, third-person verbs.
        if !matches!(block.kind, BlockKind::Code { .. }) {
            shape(body, plain, imperative, &mut emit);
        }
        // Headings: the block's own heading (its first and head words), the outer ones.
        for name in &self.headings[self.heading_of[n]] {
            emit(&[name]);
        }
        // Place in the section: blocks since the last heading, and whether it ends it.
        let since = (0..c.block)
            .rev()
            .take_while(|&i| !matches!(self.md.blocks[i].kind, BlockKind::Heading { .. }))
            .filter(|&i| super::is_labelled(&self.md.blocks[i]))
            // The buckets end at three: counting further would make long files quadratic.
            .take(3)
            .count();
        emit(&["pos:", bucket_of(since, &[0, 1, 2])]);
        let next_block = self.md.blocks.get(c.block + 1);
        if next_block.is_none_or(|b| matches!(b.kind, BlockKind::Heading { .. })) {
            emit(&["pos:last"]);
        }
        let quintile = (5 * n / self.len().max(1)).min(4);
        emit(&["dp:", ["0", "1", "2", "3", "4"][quintile]]);
        // List membership.
        if let Some((start, len)) = self.lists[n] {
            emit(&["ll:", bucket_of(len, &[1, 3, 7])]);
            let at = if n == start {
                "first"
            } else if n + 1 == start + len {
                "last"
            } else {
                "mid"
            };
            emit(&["lp:", at]);
        }
        // The lead-in and the neighbours.
        if c.block > 0 && matches!(self.md.blocks[c.block - 1].kind, BlockKind::Heading { .. }) {
            emit(&["after:heading"]);
        }
        if let Some(p) = n
            .checked_sub(1)
            .filter(|&p| self.heuristic[p].block + 1 == c.block)
        {
            let prev = &self.heuristic[p];
            emit(&["pk:", kind_name(&self.md.blocks[prev.block].kind)]);
            emit(&["psig:", prev.label.as_str()]);
            let lead = self.readings[p].plain.trim_end();
            if lead.ends_with(':') {
                emit(&["lead:colon"]);
                let last = lead
                    .rsplit(['.', '!', '?', '\n'])
                    .find(|s| !s.trim().is_empty())
                    .unwrap_or("");
                for w in section::words(last).iter().rev().take(12) {
                    emit(&["lw:", w]);
                }
            }
        }
        if let Some(next) = self.heuristic.get(n + 1).filter(|x| x.block == c.block + 1) {
            emit(&["nk:", kind_name(&self.md.blocks[next.block].kind)]);
            emit(&["nsig:", next.label.as_str()]);
        }
        // Repeats: how close to earlier text, and what the exact checks said.
        let (best, to_desc) = self.similar[n];
        let s = best.map_or(0.0, |b| b.1);
        for (bin, name) in SIM_BINS.iter().zip(["0.2", "0.35", "0.5", "0.65", "0.8"]) {
            if s >= *bin {
                emit(&["sim:", name]);
            }
            if to_desc >= *bin {
                emit(&["dsim:", name]);
            }
        }
        let cover = self.coverage[n];
        match cover.words {
            Some(share) => {
                for (bin, name) in COVER_BINS.iter().zip(["0.5", "0.7", "0.85", "0.95"]) {
                    if share >= *bin {
                        emit(&["cov:", name]);
                    }
                }
            }
            None => emit(&["cov:none"]),
        }
        if let Some(all) = cover.spans {
            emit(&["cs:", if all { "said" } else { "new" }]);
        }
        if self.targets[n].is_none() {
            emit(&["norepeat"]);
        }
        if let Some(r) = c.repeats {
            emit(&[
                "rep:",
                match r {
                    Repeat::Contents => "contents",
                    Repeat::Description => "description",
                    Repeat::Block(_) => "block",
                },
            ]);
        }
    }

    /// Feature buckets of every labelled block, for training.
    pub fn buckets(&self) -> Vec<Vec<u32>> {
        (0..self.len())
            .map(|n| {
                let mut ids = Vec::new();
                self.features(n, &mut |_, h| ids.push(bucket_of_hash(h)));
                ids
            })
            .collect()
    }

    /// Labelled block `n`'s best earlier match, if any: (block index, similarity).
    pub fn most_similar(&self, n: usize) -> Option<(usize, f32)> {
        self.similar[n].0
    }
}

/// Markers of illustrations, contrasts and pointers, searched in the lowercase text.
const MARKERS: &[(&str, &str)] = &[
    ("✅", "yes"),
    ("✓", "yes"),
    ("✔", "yes"),
    ("❌", "no"),
    ("✗", "no"),
    ("✘", "no"),
    ("⚠", "warn"),
    ("→", "arrow"),
    ("->", "arrow"),
    ("good:", "good"),
    ("bad:", "bad"),
    ("wrong", "wrong"),
    ("right:", "right"),
    ("correct:", "correct"),
    ("incorrect", "incorrect"),
    ("avoid", "avoid"),
    ("don't", "dont"),
    ("do not", "dont"),
    ("for example", "eg"),
    ("e.g.", "eg"),
    ("for instance", "eg"),
    ("such as", "suchas"),
    ("example", "example"),
    ("http://", "url"),
    ("https://", "url"),
    ("](", "link"),
    ("|", "pipe"),
    ("user:", "dialogue"),
    ("assistant:", "dialogue"),
    ("\"", "quote"),
    ("“", "quote"),
];

fn kind_name(kind: &BlockKind) -> &'static str {
    match kind {
        BlockKind::ListItem { ordered: true } => "ol",
        BlockKind::ListItem { ordered: false } => "ul",
        k => k.as_str(),
    }
}

fn section_name(s: Option<Section>) -> &'static str {
    match s {
        None => "none",
        Some(Section::Core) => "core",
        Some(Section::Background) => "background",
        Some(Section::Example) => "example",
        Some(Section::Template) => "template",
        Some(Section::WhenToUse) => "when",
    }
}

/// "0", "1", ... for the first bound `n` does not exceed, "more" past the last.
fn bucket_of(n: usize, bounds: &[usize]) -> &'static str {
    const NAMES: [&str; 6] = ["b0", "b1", "b2", "b3", "b4", "b5"];
    bounds
        .iter()
        .position(|&b| n <= b)
        .map_or("more", |i| NAMES[i])
}

/// Features of the shape of a block's opening (`body` as written, `plain` lowercase
/// without markup): a term and what it is ("**Rate limit:** 5 a minute", "`--deny-all`:
/// deny ..."), a leading link, inline code, a third-person verb ("Converts a file",
/// "NemoClaw provides"), the number of sentences.
fn shape(body: &str, plain: &str, imperative: bool, emit: &mut dyn FnMut(&[&str])) {
    let s = opening(body);
    const SEPARATORS: [char; 5] = [':', '：', '—', '–', '-'];
    if let Some(rest) = s.strip_prefix("**") {
        if let Some(e) = rest.find("**").filter(|&e| e > 0) {
            let term = &rest[..e];
            if term.ends_with([':', '：']) || rest[e + 2..].trim_start().starts_with(SEPARATORS) {
                emit(&["s:bold_term"]);
            }
        }
    } else if let Some(rest) = s.strip_prefix('`') {
        emit(&["s:code_first"]);
        if let Some(e) = rest.find('`').filter(|&e| e > 0) {
            if rest[e + 1..].trim_start().starts_with(SEPARATORS) {
                emit(&["s:code_term"]);
            }
        }
    } else if s.starts_with('[') {
        if let Some(e) = s.find(']') {
            if s[e + 1..].starts_with('(') {
                emit(&["s:link_first"]);
            }
        }
    }
    let spans = code_spans(body).take(2).count();
    emit(&["s:ncode:", ["0", "1", "2+"][spans]]);
    // The first two words are all that is read of it.
    let raw: String = s
        .chars()
        .take(200)
        .filter(|c| !matches!(c, '*' | '`' | '_'))
        .collect();
    let mut words = raw
        .split(|c: char| !(c.is_ascii_alphabetic() || c == '\'' || c == '-'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic()));
    let third_person = |w: &str| {
        let l = w.to_ascii_lowercase();
        l.len() > 2 && l.ends_with('s') && !l.ends_with("ss") && !NOT_VERBS.contains(&l.as_str())
    };
    if let Some(w0) = words
        .next()
        .filter(|w| w.starts_with(|c: char| c.is_uppercase()))
    {
        if !imperative && third_person(w0) {
            emit(&["s:verb3_first"]);
        }
        if words
            .next()
            .is_some_and(|w1| third_person(w1) || w1 == "is" || w1 == "has")
        {
            emit(&["s:subj_verb3"]);
        }
    }
    // Sentences end in '.', '!' or '?' before a space ("e.g." and "v1.2" end none).
    let mut sentences = 0;
    let mut words_since = false;
    let mut chars = plain.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()) {
            sentences += usize::from(words_since);
            words_since = false;
        } else if !c.is_whitespace() {
            words_since = true;
        }
    }
    sentences += usize::from(words_since);
    emit(&["s:nsent:", ["0", "1", "2", "3", "4"][sentences.min(4)]]);
}

/// A block's text without the marker of a list item or a task box.
fn opening(body: &str) -> &str {
    let t = body.trim_start();
    let t = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))
        .unwrap_or_else(|| {
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            match t[digits..].get(..2) {
                Some(". " | ") ") if digits > 0 => &t[digits + 2..],
                _ => t,
            }
        })
        .trim_start();
    t.strip_prefix("[ ] ")
        .or_else(|| t.strip_prefix("[x] "))
        .unwrap_or(t)
}

/// L2-normalised TF-IDF vector of a text's words, sorted by bucket.
fn tfidf(text: &str) -> Vec<(u32, f32)> {
    let mut words: Vec<u32> = Vec::new();
    section::each_word(text, |w| words.push(hash(w)));
    tfidf_of(&words)
}

/// [`tfidf`] of words already split and hashed ([`hash`]). A bucket two words share
/// takes the idf of the first of them.
fn tfidf_of(words: &[u32]) -> Vec<(u32, f32)> {
    // (bucket, idf) per word in text order; a stable sort keeps the first word of each
    // bucket first.
    let mut hits: Vec<(u32, f32)> = Vec::with_capacity(words.len());
    for &h in words {
        let i = idf_of(h);
        if i >= MIN_IDF {
            hits.push((h & 0xffff, i));
        }
    }
    hits.sort_by_key(|x| x.0);
    let mut v: Vec<(u32, f32)> = Vec::with_capacity(hits.len());
    let mut k = 0;
    while k < hits.len() {
        let (b, i) = hits[k];
        let mut tf = 0.0f32;
        while k < hits.len() && hits[k].0 == b {
            tf += 1.0;
            k += 1;
        }
        v.push((b, (1.0 + tf.ln()) * i));
    }
    let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in &mut v {
            x.1 /= norm;
        }
    }
    v
}

fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// The contents of a text's inline code spans (between single backticks on one line).
fn code_spans(text: &str) -> impl Iterator<Item = &str> {
    text.lines().flat_map(|line| {
        line.split('`')
            .enumerate()
            .filter(|&(i, part)| i % 2 == 1 && !part.trim().is_empty())
            .map(|(_, part)| part)
    })
}

/// Whether block `block` of `md` holds nothing its candidate `repeat` lacks. A block
/// naming a URL, a code span, a line of code or a number the earlier text lacks says
/// something new (another SDK's page, another handler's name, another command, another
/// phase). A quotation is verbatim material: it repeats only line for line (the same
/// reference in another citation style is no repeat).
pub fn says_nothing_new(
    text: &str,
    md: &Markdown,
    description: Option<&str>,
    block: usize,
    repeat: Repeat,
) -> bool {
    let earlier = match repeat {
        Repeat::Block(b) => &text[md.blocks[b].range.clone()],
        Repeat::Description => description.unwrap_or(""),
        Repeat::Contents => return true,
    };
    let own = &text[md.blocks[block].range.clone()];
    let quoted = matches!(md.blocks[block].kind, BlockKind::BlockQuote);
    urls(own)
        .chain(code_spans(own))
        .chain(fenced_lines(own))
        .chain(numbers(own))
        .chain(own.lines().filter(|_| quoted).filter_map(quoted_line))
        .all(|u| earlier.contains(u))
}

/// The non-blank lines inside the fenced code blocks of a text, trimmed.
fn fenced_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut fence: Option<(char, usize)> = None;
    text.lines().filter_map(move |line| {
        let t = line.trim();
        let marker = t.chars().next().filter(|c| matches!(c, '`' | '~'));
        let run = marker.map_or(0, |m| t.chars().take_while(|&c| c == m).count());
        match (fence, marker) {
            (None, Some(m)) if run >= 3 => {
                fence = Some((m, run));
                None
            }
            (Some((open, len)), Some(m)) if m == open && run >= len && t.len() == run => {
                fence = None;
                None
            }
            (Some(_), _) if !t.is_empty() => Some(t),
            _ => None,
        }
    })
}

/// The words of a text that hold a digit ("4", "v2", "3.11"), leaving out the
/// numbers of ordered-list markers.
fn numbers(text: &str) -> impl Iterator<Item = &str> {
    text.lines().flat_map(|line| {
        let t = line.trim_start();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let body = match t.as_bytes().get(digits) {
            Some(b'.' | b')') if digits > 0 => &t[digits + 1..],
            _ => t,
        };
        body.split(|c: char| !(c.is_alphanumeric() || c == '.'))
            .map(|w| w.trim_matches('.'))
            .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
    })
}

/// A line of a block quote without its markers, when anything is left.
fn quoted_line(line: &str) -> Option<&str> {
    let t = line
        .trim_start()
        .trim_start_matches(['>', ' ', '\t'])
        .trim();
    (!t.is_empty()).then_some(t)
}

/// The URLs a text holds, as written (up to a space, bracket or quote).
fn urls(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("http")
        .map(move |(i, _)| {
            let rest = &text[i..];
            let end = rest
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"' | '\'' | '`')
                })
                .unwrap_or(rest.len());
            rest[..end].trim_end_matches(['.', ',', ';', ':'])
        })
        .filter(|u| is_url(u))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_are_the_text_between_backticks() {
        let spans: Vec<&str> =
            code_spans("**Name:** `A`\n**Import:** `import { A }` and `").collect();
        assert_eq!(spans, ["A", "import { A }"]);
    }

    #[test]
    fn fenced_lines_are_the_code_inside_fences() {
        let text = "3. **Create worktree**:\n   ```bash\n   a=\"x\"\n\n   git worktree add\n   ```\n   after\n";
        let got: Vec<&str> = fenced_lines(text).collect();
        assert_eq!(got, ["a=\"x\"", "git worktree add"]);
    }

    #[test]
    fn numbers_leave_out_list_markers() {
        let got: Vec<&str> =
            numbers("4. Go to Phase 2 with Python 3.11.\n  12) e2e runs").collect();
        assert_eq!(got, ["2", "3.11", "e2e"]);
    }

    #[test]
    fn urls_are_found_whole() {
        let got: Vec<&str> =
            urls("See [docs](https://a.dev/py). Or https://b.dev/ts, then stop.").collect();
        assert_eq!(got, ["https://a.dev/py", "https://b.dev/ts"]);
    }

    #[test]
    fn similar_texts_score_high_and_different_ones_low() {
        let a = tfidf("Always validate the schema before deploying the migration to staging");
        let b = tfidf("Validate the schema before you deploy any migration to staging");
        let c = tfidf("The weather in Lisbon is mild through the winter months");
        assert!(dot(&a, &b) > 0.5, "{}", dot(&a, &b));
        assert!(dot(&a, &c) < 0.2, "{}", dot(&a, &c));
    }
}
