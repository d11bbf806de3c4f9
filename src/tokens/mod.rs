//! Token counting: the tokenizers skillpress offers (exact o200k and cl100k, an estimate
//! for Claude, any Hugging Face `tokenizer.json`), loaded once per process and only when
//! something asks for a count. Tiers, prices and the per-skill report sit beside it.

pub mod bpe;
pub mod compare;
pub mod estimate;
pub mod harness;
pub mod prices;
pub(crate) mod rank_hash;
pub mod report;
pub mod tiers;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

pub use estimate::Estimate;

/// A token count. Exact counts have `low == high == tokens`; estimates carry the range
/// their factor's uncertainty allows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Count {
    pub tokens: u64,
    pub low: u64,
    pub high: u64,
}

impl Count {
    pub fn exact(n: u64) -> Count {
        Count {
            tokens: n,
            low: n,
            high: n,
        }
    }

    pub fn is_exact(&self) -> bool {
        self.low == self.high
    }
}

impl std::ops::Add for Count {
    type Output = Count;
    fn add(self, o: Count) -> Count {
        Count {
            tokens: self.tokens + o.tokens,
            low: self.low + o.low,
            high: self.high + o.high,
        }
    }
}

impl std::ops::AddAssign for Count {
    fn add_assign(&mut self, o: Count) {
        *self = *self + o;
    }
}

impl std::iter::Sum for Count {
    fn sum<I: Iterator<Item = Count>>(iter: I) -> Count {
        iter.fold(Count::default(), |a, b| a + b)
    }
}

/// What `--tokenizer` (or `tokenizer = ...` in the config) names.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    O200k,
    Cl100k,
    /// An estimate from o200k; the name of a generation in `data/claude-tokenizer.toml`.
    Claude(&'static Estimate),
    /// A Hugging Face `tokenizer.json`.
    Hf(PathBuf),
}

impl Spec {
    pub fn parse(s: &str) -> Result<Spec, TokenizerError> {
        match s {
            "o200k" | "o200k_base" => Ok(Spec::O200k),
            "cl100k" | "cl100k_base" => Ok(Spec::Cl100k),
            _ => {
                if let Some(path) = s.strip_prefix("hf:") {
                    return if path.is_empty() {
                        Err(TokenizerError(
                            "`hf:` needs a path to a tokenizer.json, as in hf:./tokenizer.json"
                                .into(),
                        ))
                    } else {
                        Ok(Spec::Hf(PathBuf::from(path)))
                    };
                }
                if let Some(e) = estimate::find(s) {
                    return Ok(Spec::Claude(e));
                }
                Err(TokenizerError(format!(
                    "unknown tokenizer `{s}`; use o200k, cl100k, {}, or hf:PATH",
                    estimate::names().join(", ")
                )))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenizerError(pub String);

impl fmt::Display for TokenizerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TokenizerError {}

/// A loaded tokenizer.
pub enum Tokenizer {
    Bpe(&'static bpe::Bpe),
    Claude(&'static Estimate),
    Hf {
        path: PathBuf,
        inner: Box<tokenizers::Tokenizer>,
    },
}

impl fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl Tokenizer {
    /// The tokenizer `spec` names, loaded once per process and shared by every thread.
    pub fn get(spec: &str) -> Result<Arc<Tokenizer>, TokenizerError> {
        static LOADED: OnceLock<Mutex<HashMap<String, Arc<Tokenizer>>>> = OnceLock::new();
        let map = LOADED.get_or_init(Default::default);
        let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = map.get(spec) {
            return Ok(t.clone());
        }
        let t = Arc::new(Tokenizer::load(&Spec::parse(spec)?)?);
        map.insert(spec.to_string(), t.clone());
        Ok(t)
    }

    pub fn load(spec: &Spec) -> Result<Tokenizer, TokenizerError> {
        Ok(match spec {
            Spec::O200k => Tokenizer::Bpe(&bpe::O200K),
            Spec::Cl100k => Tokenizer::Bpe(&bpe::CL100K),
            Spec::Claude(e) => Tokenizer::Claude(e),
            Spec::Hf(path) => {
                let inner = tokenizers::Tokenizer::from_file(path).map_err(|e| {
                    TokenizerError(format!(
                        "{}: not a usable Hugging Face tokenizer.json: {e}",
                        path.display()
                    ))
                })?;
                Tokenizer::Hf {
                    path: path.clone(),
                    inner: Box::new(inner),
                }
            }
        })
    }

    /// The name as the user writes it.
    pub fn name(&self) -> String {
        match self {
            Tokenizer::Bpe(b) => b.name.to_string(),
            Tokenizer::Claude(e) => e.name.clone(),
            Tokenizer::Hf { path, .. } => format!("hf:{}", path.display()),
        }
    }

    /// The estimate behind the counts, when they are not exact.
    pub fn estimate(&self) -> Option<&'static Estimate> {
        match self {
            Tokenizer::Claude(e) => Some(e),
            _ => None,
        }
    }

    /// `count` in words for a message: "812 tokens (o200k)", or for an estimate
    /// "≈934 tokens (claude-4.7 estimate, 731-1,157)".
    pub fn phrase(&self, count: Count) -> String {
        if count.is_exact() {
            format!("{} tokens ({})", thousands(count.tokens), self.name())
        } else {
            format!(
                "≈{} tokens ({} estimate, {}-{})",
                thousands(count.tokens),
                self.name(),
                thousands(count.low),
                thousands(count.high)
            )
        }
    }

    /// The most tokens `bytes` bytes of text can count as, when that is known: a BPE
    /// token covers at least one byte, and an estimate scales that by its factor. Lets a
    /// rule skip counting text that cannot reach its limit.
    pub fn bound(&self, bytes: usize) -> Option<f64> {
        match self {
            Tokenizer::Bpe(_) => Some(bytes as f64),
            Tokenizer::Claude(e) => Some((bytes as f64 * e.factor).round()),
            Tokenizer::Hf { .. } => None,
        }
    }

    pub fn count(&self, text: &str) -> Count {
        match self {
            Tokenizer::Bpe(b) => Count::exact(b.count(text) as u64),
            Tokenizer::Claude(e) => e.apply(bpe::O200K.count(text) as u64),
            Tokenizer::Hf { inner, .. } => {
                // Encoding fails only on inputs the model cannot represent at all; count
                // nothing rather than guess.
                let n = inner.encode(text, false).map(|enc| enc.len()).unwrap_or(0);
                Count::exact(n as u64)
            }
        }
    }
}

/// Exact o200k tokens of `text`: the encoding shares and savings are reported in.
pub fn o200k(text: &str) -> usize {
    bpe::O200K.count(text)
}

/// 1234567 as "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_is_never_below_the_count() {
        let text = "Hello, world! Ünïcödé 😀 `code` <|endoftext|>\n\n    indented";
        for spec in ["o200k", "cl100k", "claude", "claude-4.6"] {
            let t = Tokenizer::get(spec).unwrap();
            assert!(
                t.bound(text.len()).unwrap() >= t.count(text).tokens as f64,
                "{spec}"
            );
        }
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn specs() {
        assert_eq!(Spec::parse("o200k"), Ok(Spec::O200k));
        assert_eq!(Spec::parse("cl100k"), Ok(Spec::Cl100k));
        assert!(matches!(Spec::parse("claude"), Ok(Spec::Claude(e)) if e.name == "claude-4.7"));
        assert_eq!(Spec::parse("hf:x.json"), Ok(Spec::Hf("x.json".into())));
        assert!(Spec::parse("hf:").is_err());
        assert!(Spec::parse("p50k").is_err());
    }
}
