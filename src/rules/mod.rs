//! The rule book: one registry, sorted by code, listing every rule's metadata, its check
//! and its document (embedded from `rules/`). Rules see a parsed skill and return plain
//! diagnostics; they never format output.

use std::cell::OnceCell;
use std::ops::Range;

use crate::classify::{self, Classified};
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
    /// The body's classification, computed when a rule first asks for it.
    classified: OnceCell<Vec<Classified>>,
    /// Token counts, made on first use (see the token accessors below).
    tokens: crate::tokens::report::SkillCounts,
    /// Which files mention which, built on first use.
    mentions: OnceCell<crate::skill::resolve::Mentions<'a>>,
}

impl<'a> Context<'a> {
    pub fn new(skill: &'a Skill, settings: &'a Settings) -> Context<'a> {
        Context {
            skill,
            settings,
            classified: OnceCell::new(),
            tokens: Default::default(),
            mentions: OnceCell::new(),
        }
    }

    /// The skill's mention graph, shared by the resource rules and the token tiers.
    pub fn mentions(&self) -> &crate::skill::resolve::Mentions<'a> {
        self.mentions
            .get_or_init(|| crate::skill::resolve::Mentions::new(self.skill))
    }

    /// The label of every body block, shared by the rules that need it.
    pub fn classified(&self) -> &[Classified] {
        self.classified
            .get_or_init(|| classify::classify(self.skill))
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

    /// Whether `bytes` bytes of text could count as more than `limit` tokens; `true` when
    /// the tokenizer gives no bound (so the caller counts).
    pub fn may_exceed(&self, bytes: usize, limit: f64) -> bool {
        self.tokenizer()
            .and_then(|t| t.bound(bytes))
            .is_none_or(|most| most > limit)
    }

    /// The skill's reference files (those it mentions) with their counts.
    pub fn reference_tokens(&self) -> Option<&[crate::tokens::report::FileTokens]> {
        self.tokens
            .references(self.skill, &self.settings.tokenizer, || {
                crate::tokens::tiers::mentioned_in(self.skill, self.mentions())
            })
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

pub mod quoting;
// Declared here, not inside the macro, so that rustfmt visits every rule file.
pub mod allowed_tools_invalid;
pub mod block_repeated;
pub mod body_mostly_padding;
pub mod body_toc;
pub mod body_too_long;
pub mod code_path_missing;
pub mod compatibility_too_long;
pub mod description_block_scalar;
pub mod description_duplicate;
pub mod description_few_tokens;
pub mod description_generic;
pub mod description_missing;
pub mod description_no_trigger;
pub mod description_person;
pub mod description_too_long;
pub mod description_verbose;
pub mod description_xml_tags;
pub mod file_unreadable;
pub mod file_unreferenced;
pub mod frontmatter_missing;
pub mod frontmatter_not_mapping;
pub mod frontmatter_unclosed;
pub mod key_duplicate;
pub mod key_typo;
pub mod key_unknown;
pub mod link_broken;
pub mod link_escapes_skill;
pub mod listing_truncated;
pub mod manifest_lowercase;
pub mod manifest_unreadable;
pub mod metadata_not_strings;
pub mod name_folder_mismatch;
pub mod name_invalid;
pub mod name_missing;
pub mod name_reserved;
pub mod reference_no_toc;
pub mod reference_too_deep;
pub mod reference_too_large;
pub mod references_too_large;
pub mod when_to_use_in_body;
pub mod yaml_invalid;

/// The finding of a `*-too-long` rule: the string value of `key` is longer than the rule's
/// `max-chars` option.
pub fn string_too_long(
    ctx: &Context,
    rule: &RuleMeta,
    key: &str,
    help: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    let Some(value) = fm.string(key) else {
        return;
    };
    let max = ctx.option(rule, "max-chars") as usize;
    let chars = value.chars().count();
    if chars <= max {
        return;
    }
    out.push(
        Diagnostic::new(
            rule,
            ctx.skill.manifest.clone(),
            quoting::value_range(ctx.skill, fm, key),
            format!("`{key}` is {chars} characters long; the limit is {max}"),
        )
        .help(help),
    );
}

registry! {
    body_mostly_padding => "body-mostly-padding",
    when_to_use_in_body => "when-to-use-in-body",
    block_repeated => "block-repeated",
    body_toc => "body-toc",
    description_missing => "description-missing",
    description_too_long => "description-too-long",
    description_block_scalar => "description-block-scalar",
    description_xml_tags => "description-xml-tags",
    frontmatter_missing => "frontmatter-missing",
    frontmatter_unclosed => "frontmatter-unclosed",
    yaml_invalid => "yaml-invalid",
    frontmatter_not_mapping => "frontmatter-not-mapping",
    manifest_lowercase => "manifest-lowercase",
    manifest_unreadable => "manifest-unreadable",
    key_unknown => "key-unknown",
    key_typo => "key-typo",
    compatibility_too_long => "compatibility-too-long",
    metadata_not_strings => "metadata-not-strings",
    key_duplicate => "key-duplicate",
    allowed_tools_invalid => "allowed-tools-invalid",
    name_missing => "name-missing",
    name_invalid => "name-invalid",
    name_folder_mismatch => "name-folder-mismatch",
    name_reserved => "name-reserved",
    link_broken => "link-broken",
    code_path_missing => "code-path-missing",
    link_escapes_skill => "link-escapes-skill",
    reference_too_deep => "reference-too-deep",
    reference_no_toc => "reference-no-toc",
    file_unreferenced => "file-unreferenced",
    file_unreadable => "file-unreadable",
    description_few_tokens => "description-few-tokens",
    listing_truncated => "listing-truncated",
    body_too_long => "body-too-long",
    reference_too_large => "reference-too-large",
    references_too_large => "references-too-large",
    description_generic => "description-generic",
    description_no_trigger => "description-no-trigger",
    description_person => "description-person",
    description_verbose => "description-verbose",
    description_duplicate => "description-duplicate",
}

/// The description and the byte range of its value, when the frontmatter has a
/// non-empty one.
pub fn description_of(skill: &Skill) -> Option<(String, Range<usize>)> {
    let description = skill.description()?;
    if description.trim().is_empty() {
        return None;
    }
    let span = skill
        .frontmatter()?
        .entry("description")?
        .value_span
        .clone();
    Some((description, span))
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
