//! An offline stand-in for the router a harness runs: BM25 over the descriptions of the
//! skills installed together, and the requests a skill's own body says it is for. Audit
//! uses it to find skills that lose their requests to others; reduce's routing check uses
//! it to show a rewritten description routes no worse than the original.

use std::collections::HashMap;

use crate::skill::{BlockKind, Skill};

/// BM25's usual constants.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Words that carry no routing signal in a description or a request.
const STOPWORDS: &[&str] = &[
    "a", "about", "an", "and", "any", "are", "as", "at", "be", "by", "can", "do", "for", "from",
    "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "need", "needs",
    "of", "on", "or", "our", "should", "so", "that", "the", "their", "them", "these", "this", "to",
    "use", "used", "user", "uses", "using", "wants", "want", "we", "what", "when", "which",
    "while", "who", "will", "with", "you", "your", "skill", "skills", "task", "tasks",
];

/// Lower-cased words of `text` without stopwords, with a plural `s` dropped, as the
/// router compares them.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .map(|w| {
            if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
                w[..w.len() - 1].to_string()
            } else {
                w
            }
        })
}

/// A BM25 index over documents (one per skill: its name and description), added in order.
#[derive(Debug, Default)]
pub struct Router {
    vocab: HashMap<String, u32>,
    /// For each term, the documents holding it with the term's count there.
    postings: Vec<Vec<(u32, u16)>>,
    /// Length in terms of each document.
    lengths: Vec<u32>,
    /// Sum of `lengths`, kept so a query does not walk every document for the average.
    total_length: u64,
}

/// Score buffers reused across `Router::route_with` calls (one per thread): a query over
/// a large index then costs neither a hash map nor an allocation.
#[derive(Debug, Default)]
pub struct Scratch {
    scores: Vec<f32>,
    touched: Vec<u32>,
}

impl Router {
    pub fn new() -> Router {
        Router::default()
    }

    /// Adds a document and returns its id (0, 1, ... in the order added).
    pub fn add(&mut self, text: &str) -> usize {
        let id = self.lengths.len() as u32;
        let mut counts: HashMap<u32, u16> = HashMap::new();
        let mut length = 0u32;
        for term in terms(text) {
            length += 1;
            let next = self.vocab.len() as u32;
            let t = *self.vocab.entry(term).or_insert(next);
            if t as usize == self.postings.len() {
                self.postings.push(Vec::new());
            }
            let c = counts.entry(t).or_insert(0);
            *c = c.saturating_add(1);
        }
        let mut counts: Vec<(u32, u16)> = counts.into_iter().collect();
        counts.sort_unstable();
        for (t, c) in counts {
            self.postings[t as usize].push((id, c));
        }
        self.lengths.push(length);
        self.total_length += length as u64;
        id as usize
    }

    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// The `k` best documents for `query`, best first, with their scores; ties go to the
    /// lower id so results are the same on every run. Documents scoring 0 are left out.
    pub fn route(&self, query: &str, k: usize) -> Vec<(usize, f32)> {
        let n = self.lengths.len() as f32;
        if n == 0.0 || k == 0 {
            return Vec::new();
        }
        let average = self.total_length as f32 / n;
        let mut query_terms: Vec<u32> = terms(query)
            .filter_map(|t| self.vocab.get(&t).copied())
            .collect();
        query_terms.sort_unstable();
        query_terms.dedup();
        let mut scores: HashMap<u32, f32> = HashMap::new();
        for t in query_terms {
            let posting = &self.postings[t as usize];
            let df = posting.len() as f32;
            let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
            for &(doc, tf) in posting {
                let tf = tf as f32;
                let norm = K1 * (1.0 - B + B * self.lengths[doc as usize] as f32 / average);
                *scores.entry(doc).or_insert(0.0) += idf * tf * (K1 + 1.0) / (tf + norm);
            }
        }
        let mut ranked: Vec<(usize, f32)> = scores
            .into_iter()
            .filter(|&(_, s)| s > 0.0)
            .map(|(d, s)| (d as usize, s))
            .collect();
        // Best first, ties to the earlier skill: a total order, so picking the first `k`
        // and sorting only those gives what sorting all of them would (a registry-wide
        // query touches tens of thousands of descriptions; the audit asks for one).
        let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if ranked.len() > k {
            ranked.select_nth_unstable_by(k - 1, order);
            ranked.truncate(k);
        }
        ranked.sort_by(order);
        ranked
    }
}

impl Router {
    /// `route`, with score buffers the caller keeps: the same results, for routing many
    /// queries over a large index (audit routes every skill's queries over a registry).
    pub fn route_with(&self, query: &str, k: usize, scratch: &mut Scratch) -> Vec<(usize, f32)> {
        let n = self.lengths.len() as f32;
        if n == 0.0 || k == 0 {
            return Vec::new();
        }
        if scratch.scores.len() < self.lengths.len() {
            scratch.scores.resize(self.lengths.len(), 0.0);
        }
        let average = self.total_length as f32 / n;
        let mut query_terms: Vec<u32> = terms(query)
            .filter_map(|t| self.vocab.get(&t).copied())
            .collect();
        query_terms.sort_unstable();
        query_terms.dedup();
        for t in query_terms {
            let posting = &self.postings[t as usize];
            let df = posting.len() as f32;
            let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
            for &(doc, tf) in posting {
                let tf = tf as f32;
                let norm = K1 * (1.0 - B + B * self.lengths[doc as usize] as f32 / average);
                let score = &mut scratch.scores[doc as usize];
                if *score == 0.0 {
                    scratch.touched.push(doc);
                }
                *score += idf * tf * (K1 + 1.0) / (tf + norm);
            }
        }
        let mut ranked: Vec<(usize, f32)> = Vec::new();
        for doc in scratch.touched.drain(..) {
            let s = std::mem::take(&mut scratch.scores[doc as usize]);
            if s > 0.0 {
                ranked.push((doc as usize, s));
            }
        }
        // Best first, ties to the earlier skill: a total order, so picking the first `k`
        // and sorting only those gives what sorting all of them would (a registry-wide
        // query touches tens of thousands of descriptions; the audit asks for one).
        let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if ranked.len() > k {
            ranked.select_nth_unstable_by(k - 1, order);
            ranked.truncate(k);
        }
        ranked.sort_by(order);
        ranked
    }
}

/// The text a router sees for a skill: its name and description.
pub fn document(skill: &Skill) -> String {
    let name = skill.name().unwrap_or_else(|| skill.folder_name());
    format!("{name} {}", skill.description().unwrap_or_default())
}

/// Requests the skill's own body says it is for: the items and sentences of a "When to
/// use" section, and the rest of every "Use this skill when ..." sentence. With
/// `headings`, the body's section titles count too. At most `max` queries, in body order.
pub fn queries(skill: &Skill, headings: bool, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |q: &str, out: &mut Vec<String>| {
        let q = q
            .trim()
            .trim_matches(|c: char| c == '-' || c == '*' || c == ':')
            .trim();
        if terms(q).count() >= 2 && !out.iter().any(|o| o == q) {
            out.push(q.to_string());
        }
    };
    for block in &skill.body.blocks {
        if out.len() >= max {
            break;
        }
        let text = &skill.text[block.range.clone()];
        if matches!(block.kind, BlockKind::Heading { .. }) {
            if headings {
                push(text.trim_start_matches('#'), &mut out);
            }
            continue;
        }
        if matches!(block.kind, BlockKind::Code { .. } | BlockKind::Table) {
            continue;
        }
        let in_when_section = block.heading_path.last().is_some_and(|h| is_when_to_use(h));
        if in_when_section {
            for line in text.lines() {
                push(line, &mut out);
            }
            continue;
        }
        for lead in ["use this skill when", "use this skill for", "use when"] {
            let mut from = 0;
            while let Some(at) = crate::text::find_ignore_ascii_case(text, lead, from) {
                let start = at + lead.len();
                let rest = &text[start..];
                let end = rest.find(['.', '\n', ';']).unwrap_or(rest.len());
                push(&rest[..end], &mut out);
                from = start;
            }
        }
    }
    out.truncate(max);
    out
}

/// Whether a section title is a "When to use" heading by its head words ("How to use" is
/// not one).
pub fn is_when_to_use(title: &str) -> bool {
    let t = title.to_lowercase();
    let t = t.trim_start_matches(|c: char| !c.is_alphabetic());
    // "When to use" says when to use the skill; "When to Use Async" says when to use
    // something the skill teaches, and is a working section.
    for verb in [
        "when to use",
        "when to activate",
        "when to invoke",
        "when to trigger",
    ] {
        if let Some(rest) = t.strip_prefix(verb) {
            let rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
            let first = rest
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            return rest.is_empty()
                || matches!(
                    first,
                    "this" | "it" | "me" | "the" | "skill" | "and" | "or" | "vs"
                )
                || rest.contains("skill");
        }
    }
    t.starts_with("use cases") || t.starts_with("use when") || t.starts_with("triggers")
}

/// Top-1 and top-3 hit counts for queries whose right answer is known: each item is (the
/// document that should win, the query).
pub fn hits(router: &Router, queries: &[(usize, String)]) -> (usize, usize) {
    let (mut top1, mut top3) = (0, 0);
    for (own, query) in queries {
        let ranked = router.route(query, 3);
        if ranked.first().is_some_and(|&(d, _)| d == *own) {
            top1 += 1;
        }
        if ranked.iter().any(|&(d, _)| d == *own) {
            top3 += 1;
        }
    }
    (top1, top3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_sharing_the_rare_words_wins() {
        let mut r = Router::new();
        r.add("pdf: extract text and tables from PDF files, fill PDF forms");
        r.add("xlsx: create spreadsheets with formulas and charts");
        r.add("docx: edit Word documents with tracked changes");
        let ranked = r.route("fill in a PDF form", 3);
        assert_eq!(ranked[0].0, 0);
        assert!(ranked.iter().all(|&(d, _)| d != 1), "{ranked:?}");
        assert_eq!(r.route("spreadsheet formulas", 1)[0].0, 1);
        assert!(r.route("the and of", 3).is_empty());
    }

    #[test]
    fn route_with_scratch_ranks_as_route_does() {
        let mut r = Router::new();
        r.add("pdf: extract text and tables from PDF files, fill PDF forms");
        r.add("xlsx: create spreadsheets with formulas and charts, tables");
        r.add("docx: edit Word documents with tracked changes");
        let mut scratch = Scratch::default();
        for q in [
            "fill in a PDF form",
            "tables and charts",
            "tracked word",
            "nothing",
        ] {
            assert_eq!(r.route_with(q, 3, &mut scratch), r.route(q, 3), "{q}");
        }
        assert_eq!(r.route_with("spreadsheet tables", 1, &mut scratch)[0].0, 1);
    }

    #[test]
    fn the_first_k_are_the_head_of_the_whole_ranking() {
        let words = [
            "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
        ];
        let mut r = Router::new();
        for i in 0..60 {
            // Overlapping word sets, several identical (tied) descriptions among them.
            let doc: Vec<&str> = (0..4)
                .map(|j| words[(i * 3 + j * (i % 5 + 1)) % 8])
                .collect();
            r.add(&doc.join(" "));
        }
        let mut scratch = Scratch::default();
        for q in [
            "alpha beta",
            "gamma delta eta",
            "theta",
            "zeta alpha epsilon beta",
        ] {
            let all = r.route_with(q, 1000, &mut scratch);
            assert!(all.len() > 10, "{q}: {}", all.len());
            for k in [1, 2, 5, 10, all.len()] {
                assert_eq!(
                    r.route_with(q, k, &mut scratch),
                    all[..k].to_vec(),
                    "{q} {k}"
                );
            }
        }
    }

    #[test]
    fn ties_go_to_the_first_document() {
        let mut r = Router::new();
        r.add("kubernetes deploy");
        r.add("kubernetes deploy");
        assert_eq!(r.route("kubernetes", 2)[0].0, 0);
    }

    #[test]
    fn queries_come_from_when_to_use_sections_and_use_when_sentences() {
        let text = "---\nname: pdf\ndescription: PDF work\n---\n# PDF\n\nUse this skill when the user uploads a scanned PDF. Then more.\n\n## When to use\n\n- merging several PDF files\n- rotating pages\n\n## How to use\n\n- run the script first\n\n## Rotating scanned pages\n\nText.\n";
        let skill = Skill::from_parts(
            "pdf".into(),
            "SKILL.md".into(),
            text.to_string(),
            Vec::new(),
        );
        let q = queries(&skill, false, 10);
        assert_eq!(
            q,
            vec![
                "the user uploads a scanned PDF",
                "merging several PDF files",
                "rotating pages"
            ]
        );
        assert!(queries(&skill, true, 10)
            .iter()
            .any(|q| q == "Rotating scanned pages"));
        assert_eq!(queries(&skill, false, 1).len(), 1);
        assert!(!is_when_to_use("How to use this skill"));
        assert!(is_when_to_use("When to Use This Skill"));
        assert!(is_when_to_use("When to use"));
        assert!(is_when_to_use("When to Use (and When Not To)"));
        assert!(is_when_to_use("When to use the pdf skill"));
        assert!(!is_when_to_use("When to Use Async"));
        assert!(!is_when_to_use("When to use Pydantic"));
    }

    #[test]
    fn hits_count_the_own_document_in_the_top_ranks() {
        let mut r = Router::new();
        r.add("pdf forms and tables");
        r.add("spreadsheet charts");
        let qs = vec![(0, "pdf tables".to_string()), (1, "pdf forms".to_string())];
        assert_eq!(hits(&r, &qs), (1, 1));
    }
}
