//! Money: the dated price table (`data/prices.toml`, embedded at build time) and the
//! arithmetic from token counts to dollars. Each model is counted with the tokenizer that
//! stands for its own, so Claude costs are estimates and say so.

use std::sync::LazyLock;

use serde::Deserialize;

use super::{estimate, Count};

const DATA: &str = include_str!("../../data/prices.toml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub id: String,
    pub provider: String,
    /// US dollars per million input tokens.
    pub input: f64,
    /// `o200k`, `cl100k`, or an estimate generation from `claude-tokenizer.toml`.
    pub tokenizer: String,
    /// The o200k count stands in for a tokenizer skillpress does not have.
    #[serde(default)]
    pub proxy: bool,
    #[serde(default)]
    pub default: bool,
    pub source: String,
    #[serde(default)]
    pub uncertain: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    pub date: String,
    pub model: Vec<Model>,
}

pub static TABLE: LazyLock<PriceTable> =
    LazyLock::new(|| toml::from_str(DATA).expect("data/prices.toml parses"));

pub fn date() -> &'static str {
    &TABLE.date
}

/// The models `--model` names (ids, comma lists already split, or `all`); the table's
/// default set when none is given.
pub fn select(names: &[String]) -> Result<Vec<&'static Model>, String> {
    if names.is_empty() {
        return Ok(TABLE.model.iter().filter(|m| m.default).collect());
    }
    let mut out: Vec<&'static Model> = Vec::new();
    for name in names {
        if name == "all" {
            out.extend(TABLE.model.iter());
            continue;
        }
        match TABLE.model.iter().find(|m| m.id == *name) {
            Some(m) => out.push(m),
            None => {
                let ids: Vec<&str> = TABLE.model.iter().map(|m| m.id.as_str()).collect();
                return Err(format!(
                    "unknown model `{name}`; known models: {}, or all",
                    ids.join(", ")
                ));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|m| seen.insert(m.id.as_str()));
    Ok(out)
}

impl Model {
    /// The model's token count for text that o200k counts as `o200k` tokens and cl100k
    /// as `cl100k`.
    pub fn count(&self, o200k: u64, cl100k: Option<u64>) -> Count {
        match self.tokenizer.as_str() {
            "o200k" => Count::exact(o200k),
            "cl100k" => Count::exact(cl100k.unwrap_or(o200k)),
            other => match estimate::find(other) {
                Some(e) => e.apply(o200k),
                None => Count::exact(o200k),
            },
        }
    }

    /// Whether the count for this model is an estimate.
    pub fn is_estimate(&self) -> bool {
        self.proxy || !matches!(self.tokenizer.as_str(), "o200k" | "cl100k")
    }
}

/// Dollars, with the range an estimated count allows.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Cost {
    pub usd: f64,
    pub low: f64,
    pub high: f64,
}

/// What `count` tokens cost, sent `times` times, at `per_million` dollars per million.
pub fn cost(count: Count, times: u64, per_million: f64) -> Cost {
    let usd = |t: u64| t as f64 * times as f64 * per_million / 1_000_000.0;
    Cost {
        usd: usd(count.tokens),
        low: usd(count.low),
        high: usd(count.high),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_dated_sourced_and_covers_the_families() {
        let t = &*TABLE;
        assert_eq!(t.date.len(), 10);
        for prefix in [
            "claude-opus-4",
            "claude-sonnet-4",
            "claude-haiku-4",
            "gpt-5",
            "gpt-4o",
            "gpt-4.1",
            "gemini-2.5-pro",
            "gemini-2.5-flash",
        ] {
            assert!(
                t.model.iter().any(|m| m.id.starts_with(prefix)),
                "no {prefix} model"
            );
        }
        for m in &t.model {
            assert!(m.input > 0.0 && !m.source.is_empty(), "{}", m.id);
            assert!(
                matches!(m.tokenizer.as_str(), "o200k" | "cl100k")
                    || estimate::find(&m.tokenizer).is_some(),
                "{} names unknown tokenizer {}",
                m.id,
                m.tokenizer
            );
        }
        assert!(!select(&[]).unwrap().is_empty());
    }

    #[test]
    fn cost_of_a_thousand_activations() {
        // 1,200 tokens, 1,000 times, at $3 per million: 1.2M tokens, $3.60.
        let c = cost(Count::exact(1200), 1000, 3.0);
        assert!((c.usd - 3.6).abs() < 1e-12);
        assert_eq!(c.low, c.usd);
        let c = cost(
            Count {
                tokens: 150,
                low: 120,
                high: 190,
            },
            1000,
            5.0,
        );
        assert!((c.usd - 0.75).abs() < 1e-12);
        assert!((c.low - 0.6).abs() < 1e-12 && (c.high - 0.95).abs() < 1e-12);
    }

    #[test]
    fn models_count_with_their_own_tokenizer() {
        let opus = select(&["claude-opus-4-7".into()]).unwrap()[0];
        assert!(opus.is_estimate());
        let c = opus.count(100, None);
        assert_eq!(c.tokens, 150);
        assert!(c.low < c.tokens && c.tokens < c.high);
        let gpt = select(&["gpt-5.5".into()]).unwrap()[0];
        assert!(!gpt.is_estimate());
        assert_eq!(gpt.count(100, None), Count::exact(100));
        let gemini = select(&["gemini-2.5-pro".into()]).unwrap()[0];
        assert!(gemini.is_estimate());
        assert!(select(&["nope".into()])
            .unwrap_err()
            .contains("unknown model"));
        assert_eq!(select(&["all".into()]).unwrap().len(), TABLE.model.len());
    }
}
