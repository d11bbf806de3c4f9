//! The Claude estimate: Claude's tokenizer is not public, so a Claude count is the exact
//! o200k count times a per-generation factor, with a range. The factors live in the
//! dated data file `data/claude-tokenizer.toml`, embedded at build time.

use std::sync::LazyLock;

use serde::Deserialize;

use super::Count;

const DATA: &str = include_str!("../../data/claude-tokenizer.toml");

/// One tokenizer generation's factor over o200k.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub models: String,
    pub factor: f64,
    pub low: f64,
    pub high: f64,
    pub sources: Vec<String>,
    #[serde(default)]
    pub uncertain: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstimateTable {
    /// When the factors were last checked (YYYY-MM-DD).
    pub date: String,
    pub generation: Vec<Estimate>,
}

/// The embedded table. It is checked by tests, so a parse failure is a build defect.
pub static TABLE: LazyLock<EstimateTable> =
    LazyLock::new(|| toml::from_str(DATA).expect("data/claude-tokenizer.toml parses"));

pub fn date() -> &'static str {
    &TABLE.date
}

/// The generation called `name` or one of its aliases.
pub fn find(name: &str) -> Option<&'static Estimate> {
    TABLE
        .generation
        .iter()
        .find(|g| g.name == name || g.aliases.iter().any(|a| a == name))
}

/// Every name `--tokenizer` accepts for an estimate.
pub fn names() -> Vec<String> {
    TABLE
        .generation
        .iter()
        .flat_map(|g| std::iter::once(g.name.clone()).chain(g.aliases.iter().cloned()))
        .collect()
}

impl Estimate {
    /// The estimate for text that o200k counts as `o200k` tokens.
    pub fn apply(&self, o200k: u64) -> Count {
        let scale = |f: f64| (o200k as f64 * f).round() as u64;
        Count {
            tokens: scale(self.factor),
            low: scale(self.low),
            high: scale(self.high),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_dated_sourced_and_ordered() {
        let t = &*TABLE;
        let d = t.date.as_bytes();
        assert!(
            t.date.len() == 10 && d[4] == b'-' && d[7] == b'-',
            "{}",
            t.date
        );
        assert_eq!(t.generation.len(), 2);
        for g in &t.generation {
            assert!(g.low <= g.factor && g.factor <= g.high, "{}", g.name);
            assert!(!g.sources.is_empty(), "{} has no source", g.name);
        }
        assert!(find("claude").is_some() && find("claude-4.6").is_some());
        assert!(find("claude").unwrap().factor > find("claude-4.6").unwrap().factor);
    }

    #[test]
    fn estimate_scales_and_rounds() {
        let e = Estimate {
            name: "x".into(),
            aliases: vec![],
            models: String::new(),
            factor: 1.5,
            low: 1.2,
            high: 1.9,
            sources: vec![],
            uncertain: None,
        };
        assert_eq!(
            e.apply(10),
            Count {
                tokens: 15,
                low: 12,
                high: 19
            }
        );
        assert!(!e.apply(10).is_exact());
        assert_eq!(e.apply(0), Count::exact(0));
    }
}
