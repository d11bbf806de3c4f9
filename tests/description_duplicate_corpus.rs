//! U005's candidate index against its brute-force oracle on the real corpus
//! (`../shared/corpus`, or `$SKILLPRESS_SHARED/corpus`): the same pairs, with the same
//! similarity, at the default threshold and around it. The oracle works on the word
//! strings, the index on their hashes, so the test covers both.

mod common;

use std::collections::HashSet;
use std::path::PathBuf;

use skillpress::rules::description_duplicate::{brute_force, similar_pairs, words, Listing};
use skillpress::skill::Skill;

/// The corpus, or `None` with a note when it is absent (a failure under `CI=true`).
fn corpus() -> Option<PathBuf> {
    common::shared("description_duplicate_corpus", "corpus").map(|d| d.join("corpus"))
}

#[test]
fn index_finds_the_brute_force_pairs_on_the_corpus() {
    let Some(corpus) = corpus() else { return };
    let found = skillpress::discover::discover(&[corpus], &globset::GlobSet::empty()).unwrap();
    let mut listings = Vec::new();
    let mut strings: Vec<HashSet<String>> = Vec::new();
    for dir in &found.skills {
        let Ok(skill) = Skill::load(dir) else {
            continue;
        };
        if let Some(l) = Listing::of(&skill) {
            strings.push(words(&skill.description().unwrap_or_default()));
            listings.push(l);
        }
    }
    assert!(listings.len() > 1000, "only {} listings", listings.len());
    let sets: Vec<&[u64]> = listings.iter().map(|l| l.words.as_slice()).collect();
    for t in [0.5, 0.7, 0.8, 0.9] {
        let oracle = brute_force(&strings, t);
        let index = similar_pairs(&sets, t);
        eprintln!("threshold {t}: {} pairs", oracle.len());
        assert_eq!(index, oracle, "threshold {t}");
    }
}
