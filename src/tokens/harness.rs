//! What a harness's skill listing keeps: each skill's `name: description` line cut at the
//! harness's per-skill cap, lines taken in order until the listing budget is spent. The
//! rules are data (`data/harness.toml`, dated, with sources and estimates marked).

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

const DATA: &str = include_str!("../../data/harness.toml");

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Harness {
    pub id: String,
    pub name: String,
    pub per_skill_chars: usize,
    pub per_skill_estimate: bool,
    pub per_skill_source: String,
    pub budget_share: f64,
    pub budget_share_estimate: bool,
    pub budget_source: String,
    pub chars_per_token: f64,
    pub chars_per_token_estimate: bool,
    pub fallback_chars: usize,
    pub order_estimate: bool,
    pub order_note: String,
    pub folders: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarnessTable {
    pub date: String,
    pub harness: Vec<Harness>,
}

pub static TABLE: LazyLock<HarnessTable> =
    LazyLock::new(|| toml::from_str(DATA).expect("data/harness.toml parses"));

/// The harness called `id`, or an error naming the known ones.
pub fn find(id: &str) -> Result<&'static Harness, String> {
    TABLE.harness.iter().find(|h| h.id == id).ok_or_else(|| {
        let ids: Vec<&str> = TABLE.harness.iter().map(|h| h.id.as_str()).collect();
        format!("unknown harness `{id}`; known: {}", ids.join(", "))
    })
}

/// What happened to one skill's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fate {
    /// Shown whole.
    Listed,
    /// Shown up to the per-skill cap.
    Truncated,
    /// Not shown: the budget ran out before it.
    Dropped,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub path: String,
    pub name: String,
    /// Characters of the full `name: description` line.
    pub chars: usize,
    /// Characters the harness shows.
    pub shown: usize,
    pub fate: Fate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    pub harness: &'static Harness,
    pub date: &'static str,
    /// The context window the budget was computed from, if given.
    pub context: Option<u64>,
    pub budget_chars: usize,
    /// Whether the budget rests on an estimate (the characters-per-token rate).
    pub budget_estimate: bool,
    pub used_chars: usize,
    pub entries: Vec<Entry>,
}

impl Listing {
    pub fn count(&self, fate: Fate) -> usize {
        self.entries.iter().filter(|e| e.fate == fate).count()
    }
}

impl Harness {
    /// The listing budget in characters for a context window of `context` tokens, or the
    /// documented fallback; and whether it is an estimate.
    pub fn budget(&self, context: Option<u64>) -> (usize, bool) {
        match context {
            Some(tokens) => (
                (tokens as f64 * self.budget_share * self.chars_per_token).floor() as usize,
                self.budget_share_estimate || self.chars_per_token_estimate,
            ),
            None => (self.fallback_chars, false),
        }
    }
}

/// Lays out `skills` (path, name, characters of its `name: description` line, as
/// `tokens::tiers::listing_text` makes it) in order under `harness`'s rules.
pub fn simulate(
    harness: &'static Harness,
    context: Option<u64>,
    skills: &[(String, String, usize)],
) -> Listing {
    let (budget_chars, budget_estimate) = harness.budget(context);
    let mut used = 0;
    let mut full = false;
    let entries = skills
        .iter()
        .map(|(path, name, chars)| {
            let chars = *chars;
            let capped = chars.min(harness.per_skill_chars);
            let fate = if full || used + capped > budget_chars {
                full = true;
                Fate::Dropped
            } else if capped < chars {
                Fate::Truncated
            } else {
                Fate::Listed
            };
            let shown = if fate == Fate::Dropped { 0 } else { capped };
            used += shown;
            Entry {
                path: path.clone(),
                name: name.clone(),
                chars,
                shown,
                fate,
            }
        })
        .collect();
    Listing {
        harness,
        date: &TABLE.date,
        context,
        budget_chars,
        budget_estimate,
        used_chars: used,
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skill(name: &str, chars: usize) -> (String, String, usize) {
        (name.to_string(), name.to_string(), chars)
    }

    #[test]
    fn lines_are_capped_then_dropped_once_the_budget_is_spent() {
        let h = find("claude-code").unwrap();
        assert_eq!(h.per_skill_chars, 1536);
        // 200k tokens at 1% and 4 characters a token: the documented 8,000 fallback.
        assert_eq!(h.budget(Some(200_000)), (8000, true));
        assert_eq!(h.budget(None), (8000, false));
        let skills = vec![
            skill("a", 2000),
            skill("b", 1000),
            skill("c", 5000),
            skill("d", 100),
        ];
        let l = simulate(h, None, &skills);
        let fates: Vec<Fate> = l.entries.iter().map(|e| e.fate).collect();
        // a: 1,536 shown; b: 1,000 (2,536); c: capped 1,536 (4,072); d: 100 (4,172).
        assert_eq!(
            fates,
            [Fate::Truncated, Fate::Listed, Fate::Truncated, Fate::Listed]
        );
        assert_eq!(l.used_chars, 4172);
        // A 20k window gives 800 characters: `a` no longer fits, and nothing after it.
        let l = simulate(h, Some(20_000), &skills);
        assert_eq!(l.budget_chars, 800);
        assert_eq!(l.count(Fate::Dropped), 4);
        assert_eq!(l.used_chars, 0);
    }

    #[test]
    fn unknown_harness_names_the_known_ones() {
        let e = find("cursor").unwrap_err();
        assert!(e.contains("claude-code"), "{e}");
    }
}
