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
    /// The body's exact repeats (B003, B004), computed when a rule first asks for them.
    exact_repeats: OnceCell<Vec<classify::ExactRepeat>>,
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
            exact_repeats: OnceCell::new(),
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

    /// Whether a rule has already classified the body (so [`Context::classified`] is
    /// free).
    pub fn is_classified(&self) -> bool {
        self.classified.get().is_some()
    }

    /// The body blocks that are exact repeats, with what each repeats: the
    /// classification's own when a rule already made it, else the exact checks alone
    /// (the same blocks, without the cost of the model).
    pub fn exact_repeats(&self) -> &[classify::ExactRepeat] {
        self.exact_repeats
            .get_or_init(|| match self.classified.get() {
                Some(all) => all
                    .iter()
                    .filter(|c| c.exact_repeat)
                    .filter_map(|c| {
                        Some(classify::ExactRepeat {
                            block: c.block,
                            range: c.range.clone(),
                            repeat: c.repeats?,
                        })
                    })
                    .collect(),
                None => classify::exact_repeats(self.skill),
            })
    }

    /// The configured value of one of `rule`'s options (a constant beside the rule), or
    /// its default.
    pub fn option(&self, rule: &RuleMeta, option: &RuleOption) -> f64 {
        self.settings.option(rule, option)
    }

    /// Tokens of `text` with the configured tokenizer (its central figure for an
    /// estimate), the one path every rule that counts tokens goes through. Falls back to
    /// o200k when the tokenizer cannot be loaded, which the command line reports before
    /// linting.
    pub fn count_tokens(&self, text: &str) -> usize {
        match self.tokenizer() {
            Some(t) => t.count(text).tokens as usize,
            None => crate::tokens::o200k(text),
        }
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

/// When and over what a rule runs.
#[derive(Clone, Copy)]
pub enum Check {
    /// Over one parsed skill at a time.
    PerSkill(fn(&Context, &mut Vec<Diagnostic>)),
    /// Over what every skill of the run left behind, after the per-skill pass (U005).
    AcrossSkills,
    /// When a skill is loaded, for what stops the load (F006).
    AtLoad,
}

pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: Check,
    /// Whether the rule counts tokens with the configured tokenizer, so a run with it on
    /// must be able to load that tokenizer.
    pub needs_tokenizer: bool,
    /// The rule's document, from `rules/NAME.md`.
    pub doc: &'static str,
}

/// Whether a fix a rule emitted is one its metadata declares.
pub fn fix_matches(kind: FixKind, fix: Option<&crate::diagnostic::Fix>) -> bool {
    use crate::diagnostic::Safety;
    matches!(
        (kind, fix.map(|f| f.safety)),
        (_, None) | (FixKind::Safe, Some(Safety::Safe)) | (FixKind::Unsafe, Some(Safety::Unsafe))
    )
}

macro_rules! registry {
    (@check per_skill $module:ident) => { Check::PerSkill($module::check) };
    (@check across_skills $module:ident) => { Check::AcrossSkills };
    (@check at_load $module:ident) => { Check::AtLoad };
    (@tokenizer) => { false };
    (@tokenizer tokenizer) => { true };
    ($($module:ident => $doc:literal, $kind:ident $(+ $tok:ident)?;)*) => {
        /// Every rule, sorted by code: its metadata, when it runs, whether it counts
        /// tokens, and its document.
        pub static RULES: &[Rule] = &[
            $(Rule {
                meta: &$module::META,
                check: registry!(@check $kind $module),
                needs_tokenizer: registry!(@tokenizer $($tok)?),
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
/// `max_chars` option.
pub fn string_too_long(
    ctx: &Context,
    rule: &RuleMeta,
    max_chars: &RuleOption,
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
    let max = ctx.option(rule, max_chars) as usize;
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
    body_mostly_padding => "body-mostly-padding", per_skill + tokenizer;
    when_to_use_in_body => "when-to-use-in-body", per_skill;
    block_repeated => "block-repeated", per_skill;
    body_toc => "body-toc", per_skill;
    description_missing => "description-missing", per_skill;
    description_too_long => "description-too-long", per_skill;
    description_block_scalar => "description-block-scalar", per_skill;
    description_xml_tags => "description-xml-tags", per_skill;
    frontmatter_missing => "frontmatter-missing", per_skill;
    frontmatter_unclosed => "frontmatter-unclosed", per_skill;
    yaml_invalid => "yaml-invalid", per_skill;
    frontmatter_not_mapping => "frontmatter-not-mapping", per_skill;
    manifest_lowercase => "manifest-lowercase", per_skill;
    manifest_unreadable => "manifest-unreadable", at_load;
    key_unknown => "key-unknown", per_skill;
    key_typo => "key-typo", per_skill;
    compatibility_too_long => "compatibility-too-long", per_skill;
    metadata_not_strings => "metadata-not-strings", per_skill;
    key_duplicate => "key-duplicate", per_skill;
    allowed_tools_invalid => "allowed-tools-invalid", per_skill;
    name_missing => "name-missing", per_skill;
    name_invalid => "name-invalid", per_skill;
    name_folder_mismatch => "name-folder-mismatch", per_skill;
    name_reserved => "name-reserved", per_skill;
    link_broken => "link-broken", per_skill;
    code_path_missing => "code-path-missing", per_skill;
    link_escapes_skill => "link-escapes-skill", per_skill;
    reference_too_deep => "reference-too-deep", per_skill;
    reference_no_toc => "reference-no-toc", per_skill;
    file_unreferenced => "file-unreferenced", per_skill;
    file_unreadable => "file-unreadable", per_skill;
    description_few_tokens => "description-few-tokens", per_skill + tokenizer;
    listing_truncated => "listing-truncated", per_skill + tokenizer;
    body_too_long => "body-too-long", per_skill + tokenizer;
    reference_too_large => "reference-too-large", per_skill + tokenizer;
    references_too_large => "references-too-large", per_skill + tokenizer;
    description_generic => "description-generic", per_skill;
    description_no_trigger => "description-no-trigger", per_skill;
    description_person => "description-person", per_skill;
    description_verbose => "description-verbose", per_skill + tokenizer;
    description_duplicate => "description-duplicate", across_skills;
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

    #[test]
    fn registry_records_each_rules_kind_and_tokenizer_need() {
        let kind = |code: &str| find(code).map(|r| r.check);
        assert!(matches!(kind("U005"), Some(Check::AcrossSkills)));
        assert!(matches!(kind("F006"), Some(Check::AtLoad)));
        for r in RULES {
            if !matches!(r.meta.code, "U005" | "F006") {
                assert!(
                    matches!(r.check, Check::PerSkill(_)),
                    "{} should run per skill",
                    r.meta.code
                );
            }
            // Every rule of the token family counts tokens; so do B001 and U004.
            if r.meta.code.starts_with('T') || matches!(r.meta.code, "B001" | "U004") {
                assert!(r.needs_tokenizer, "{} counts tokens", r.meta.code);
            } else {
                assert!(!r.needs_tokenizer, "{} does not count tokens", r.meta.code);
            }
            let mut names: Vec<&str> = r.meta.options.iter().map(|o| o.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), r.meta.options.len(), "{}", r.meta.code);
        }
    }

    #[test]
    fn a_fix_must_be_of_the_declared_kind() {
        use crate::diagnostic::{Fix, Safety};
        let safe = Fix::safe("x", Vec::new());
        let unsafe_fix = Fix {
            safety: Safety::Unsafe,
            ..safe.clone()
        };
        assert!(fix_matches(FixKind::None, None));
        assert!(fix_matches(FixKind::Safe, Some(&safe)));
        assert!(fix_matches(FixKind::Unsafe, Some(&unsafe_fix)));
        assert!(!fix_matches(FixKind::None, Some(&safe)));
        assert!(!fix_matches(FixKind::Safe, Some(&unsafe_fix)));
        assert!(!fix_matches(FixKind::Unsafe, Some(&safe)));
    }
}
