//! Repeats: blocks whose words were already said, earlier in the body or in the
//! description, and tables of contents that list the skill's own sections.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::features::MixHasher;
use super::section::each_word;

/// Maps keyed by shingle hashes (already uniform) or small integers.
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<MixHasher>>;
use crate::skill::{Block, BlockKind};

/// Shingles (word 3-grams) shorter blocks are not compared on: a short line repeating is
/// usually a convention ("Run the tests."), not padding.
const MIN_WORDS: usize = 10;
/// Share of a block's shingles already seen for it to count as a repeat.
const REPEAT_SHARE: f64 = 0.6;

/// The shingles seen so far, each with the first block that held it (`None` for the
/// description).
pub struct Repeats {
    seen: FastMap<u64, Option<usize>>,
    /// Exact texts of earlier code blocks, whitespace-normalised.
    code: HashMap<String, usize>,
}

impl Repeats {
    pub fn new(description: Option<&str>) -> Repeats {
        let mut r = Repeats {
            seen: FastMap::default(),
            code: HashMap::new(),
        };
        if let Some(d) = description {
            for s in shingles(&word_hashes(d)) {
                r.seen.entry(s).or_insert(None);
            }
        }
        r
    }

    /// Whether block `index` repeats what came before; records it either way. Returns
    /// the reason and the earlier block it repeats most (None: the description).
    pub fn check(
        &mut self,
        index: usize,
        block: &Block,
        body: &str,
    ) -> Option<(&'static str, Option<usize>)> {
        if let BlockKind::Code { .. } = block.kind {
            let norm: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
            if norm.len() < 40 {
                return None;
            }
            return match self.code.get(&norm) {
                Some(&earlier) => Some(("the same code block stands earlier", Some(earlier))),
                None => {
                    self.code.insert(norm, index);
                    None
                }
            };
        }
        let w = word_hashes(body);
        let sh = shingles(&w);
        let mut found = None;
        if w.len() >= MIN_WORDS && !sh.is_empty() {
            let mut by_source: FastMap<Option<usize>, usize> = FastMap::default();
            for s in &sh {
                if let Some(src) = self.seen.get(s) {
                    *by_source.entry(*src).or_default() += 1;
                }
            }
            let covered: usize = by_source.values().sum();
            if covered as f64 >= REPEAT_SHARE * sh.len() as f64 {
                let (&src, _) = by_source
                    .iter()
                    .max_by_key(|(src, n)| (**n, std::cmp::Reverse(src.map_or(0, |i| i + 1))))
                    .expect("covered > 0");
                found = Some(match src {
                    None => ("repeats the description", None),
                    Some(i) => ("repeats an earlier block", Some(i)),
                });
            }
        }
        for s in sh {
            self.seen.entry(s).or_insert(Some(index));
        }
        found
    }
}

/// A 64-bit hash of each word of `text` (as `section::words` splits and lowercases it).
fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    each_word(text, |w| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in w.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        out.push(h);
    });
    out
}

/// Hashes of every run of three words.
fn shingles(words: &[u64]) -> Vec<u64> {
    words
        .windows(3)
        .map(|w| {
            let mut h = w[0];
            for &x in &w[1..] {
                h = (h.rotate_left(23) ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            }
            h
        })
        .collect()
}

/// A list item of a table of contents: a link to an anchor of this file, or the bare
/// title of one of its own headings.
pub fn toc_entry(block: &Block, body: &str, headings: &[&str]) -> Option<&'static str> {
    if !matches!(block.kind, BlockKind::ListItem { .. }) {
        return None;
    }
    let first = body.lines().next().unwrap_or("");
    let t = first
        .trim_start_matches(|c: char| {
            c == '-' || c == '*' || c == '+' || c.is_ascii_digit() || c == '.' || c == ' '
        })
        .trim();
    if let Some(rest) = t.strip_prefix('[') {
        if let Some((title, after)) = rest.split_once("](") {
            if after.starts_with('#') && after.trim_end().ends_with(')') {
                return Some("table-of-contents entry linking to a section of this file");
            }
            let _ = title;
        }
    }
    let plain = t.replace(['*', '`'], "");
    let in_toc = block.heading_path.last().is_some_and(|h| {
        let h = h.to_lowercase();
        h.contains("contents") || h == "toc"
    });
    if in_toc
        && headings
            .iter()
            .any(|h| h.eq_ignore_ascii_case(plain.trim()))
    {
        return Some("table-of-contents entry naming a section of this file");
    }
    None
}
