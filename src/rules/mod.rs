//! The rule book: one registry, sorted by code, listing every rule's metadata, its check
//! and its document (embedded from `rules/`). Rules see a parsed skill and return plain
//! diagnostics; they never format output.

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::skill::Skill;

/// Whether a rule can offer a fix, and how safe it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    None,
    Safe,
    Unsafe,
}

/// A numeric setting of a rule, configurable under `[rules.NAME]`.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct RuleOption {
    pub name: &'static str,
    pub default: f64,
    pub help: &'static str,
}

#[derive(Debug, serde::Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixKind,
    /// One line: what the rule flags.
    pub summary: &'static str,
    pub options: &'static [RuleOption],
}

/// What a rule sees.
pub struct Context<'a> {
    pub skill: &'a Skill,
    pub settings: &'a Settings,
    /// Token counts, made on first use (see the token accessors below).
    tokens: crate::tokens::report::SkillCounts,
}

impl<'a> Context<'a> {
    pub fn new(skill: &'a Skill, settings: &'a Settings) -> Self {
        Context {
            skill,
            settings,
            tokens: Default::default(),
        }
    }

    /// The configured value of a rule's option, or its default.
    pub fn option(&self, rule: &RuleMeta, name: &str) -> f64 {
        self.settings.option(rule, name)
    }
}

// Token counts for the T rules: the settings' tokenizer is loaded on the first call in
// the process, and each count is made once per skill. `None` when the tokenizer cannot be
// loaded (the command line reports that before linting).
impl Context<'_> {
    pub fn tokenizer(&self) -> Option<&crate::tokens::Tokenizer> {
        self.tokens
            .tokenizer(&self.settings.tokenizer)
            .map(|t| t.as_ref())
    }

    pub fn description_tokens(&self) -> Option<crate::tokens::Count> {
        self.tokens
            .description(self.skill, &self.settings.tokenizer)
    }

    pub fn body_tokens(&self) -> Option<crate::tokens::Count> {
        self.tokens.body(self.skill, &self.settings.tokenizer)
    }

    /// The skill's reference files (those it mentions) with their counts.
    pub fn reference_tokens(&self) -> Option<&[crate::tokens::report::FileTokens]> {
        self.tokens.references(self.skill, &self.settings.tokenizer)
    }
}

pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Context, &mut Vec<Diagnostic>),
    /// The rule's document, from `rules/NAME.md`.
    pub doc: &'static str,
}

macro_rules! registry {
    ($($module:ident => $doc:literal),* $(,)?) => {
        $(pub mod $module;)*
        /// Every rule, sorted by code.
        pub static RULES: &[Rule] = &[
            $(Rule {
                meta: &$module::META,
                check: $module::check,
                doc: include_str!(concat!("../../rules/", $doc, ".md")),
            },)*
        ];
    };
}

registry! {
    frontmatter_missing => "frontmatter-missing",
    manifest_unreadable => "manifest-unreadable",
    description_few_tokens => "description-few-tokens",
    listing_truncated => "listing-truncated",
    body_too_long => "body-too-long",
    reference_too_large => "reference-too-large",
    references_too_large => "references-too-large",
}

/// Looks a rule up by code or name, case-insensitively for codes.
pub fn find(key: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(key) || r.meta.name == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_sorted_and_unique() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].meta.code < pair[1].meta.code,
                "{} must sort before {}",
                pair[0].meta.code,
                pair[1].meta.code
            );
        }
        let mut names: Vec<&str> = RULES.iter().map(|r| r.meta.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len(), "rule names must be unique");
    }
}
