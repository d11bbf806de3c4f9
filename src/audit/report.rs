//! The audit's result as plain, serialisable data: the JSON output as it is written
//! (schema in docs/audit-schema.md, version `VERSION`), and what the text and HTML
//! renderers read.

use std::collections::BTreeMap;

use serde::Serialize;

use super::collisions::Collisions;
use super::stats::Summary;
use super::Tally;
use crate::classify::Label;
use crate::config::Settings;
use crate::rules::RULES;
use crate::tokens::prices::{self, Cost, Model};
use crate::tokens::Tokenizer;

/// Bumped whenever a key changes meaning or disappears (adding keys does not bump it).
pub const VERSION: u32 = 1;

/// The SkillReducer study's figures (Gao et al., arXiv 2603.29919, 55,315 skills), as
/// shares from 0 to 1.
pub const STUDY_SKILLS: u64 = 55_315;
pub const STUDY_NO_DESCRIPTION: f64 = 0.264;
pub const STUDY_NONE_OR_UNDER_20: f64 = 0.441;
pub const STUDY_WITH_REFERENCES: f64 = 0.148;
/// Label shares in `Label::ALL` order.
pub const STUDY_LABELS: [f64; 5] = [0.385, 0.407, 0.129, 0.076, 0.003];

/// A count and its share of the skills it is counted over.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    pub count: u64,
    pub share: f64,
}

impl Figure {
    pub fn of(count: u64, total: u64) -> Figure {
        Figure {
            count,
            share: if total == 0 {
                0.0
            } else {
                count as f64 / total as f64
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub version: u32,
    pub tool: String,
    /// Skills found (readable or not).
    pub skills: u64,
    /// Skills whose manifest was read as text.
    pub loaded: u64,
    pub failures: BTreeMap<String, Figure>,
    pub description: Descriptions,
    pub tokens: Tokens,
    pub labels: Labels,
    pub references: References,
    pub rules: BTreeMap<String, RuleHits>,
    pub most_affected: Vec<AffectedSkill>,
    pub heaviest: Vec<HeavySkill>,
    pub reduce: ReduceSummary,
    pub collisions: Collisions,
    pub study: Study,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Descriptions {
    pub missing: Figure,
    /// Present but under 20 tokens.
    pub under_20_tokens: Figure,
    /// Missing, or under 20 tokens: the study's "none or under 20".
    pub missing_or_under_20_tokens: Figure,
    /// Skills with a U002 (description-no-trigger) finding.
    pub no_trigger: Figure,
    /// Skills with a U001 (description-generic) finding.
    pub placeholder: Figure,
    pub over_1024_chars: Figure,
    /// `name: description` over Claude Code's 1,536-character listing cap.
    pub over_listing_cap: Figure,
    /// Skills with a U005 (description-duplicate) finding.
    pub near_duplicates: Figure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tokens {
    pub tokenizer: String,
    /// Whether counts are estimates (the `claude` tokenizers).
    pub estimate: bool,
    pub listing: Summary,
    pub body: Summary,
    /// Over the skills that have reference files.
    pub references: Summary,
    pub prices_date: String,
    pub costs: Vec<ModelCost>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCost {
    pub model: String,
    pub estimate: bool,
    /// Every skill's listing in the context on each of 1,000 requests: what installing
    /// the whole registry costs before anything triggers.
    pub all_listings_per_1000_requests: Cost,
    /// Each skill activated 1,000 times (its listing plus body), summed over skills.
    pub activations_per_1000_each: Cost,
}

/// Body tokens per label of the SkillReducer taxonomy, in its order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Labels {
    pub core_rule: LabelShare,
    pub background: LabelShare,
    pub example: LabelShare,
    pub template: LabelShare,
    pub redundant: LabelShare,
}

impl Labels {
    /// (label name, share) in taxonomy order.
    pub fn iter(&self) -> [(&'static str, &LabelShare); 5] {
        [
            ("core_rule", &self.core_rule),
            ("background", &self.background),
            ("example", &self.example),
            ("template", &self.template),
            ("redundant", &self.redundant),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelShare {
    pub tokens: u64,
    pub share: f64,
    pub study_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct References {
    pub skills_with: Figure,
    pub files: u64,
    pub tokens: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleHits {
    pub name: String,
    pub severity: String,
    pub findings: u64,
    pub skills: Figure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AffectedSkill {
    pub name: String,
    pub path: String,
    pub findings: u64,
    pub codes: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeavySkill {
    pub name: String,
    pub path: String,
    /// Listing plus body: what one activation puts in the context.
    pub always_loaded: u64,
    pub listing: u64,
    pub body: u64,
    pub references: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReduceSummary {
    /// Reduce measures in o200k whatever `--tokenizer` says.
    pub tokenizer: String,
    /// Loaded skills a reduce was simulated on: all of them, or on large trees every
    /// `every`-th in path order.
    pub sampled: u64,
    pub every: u64,
    /// Listing plus body of the sampled skills, before and after a simulated reduce
    /// (skills it would not change count the same on both sides).
    pub before: u64,
    pub after: u64,
    pub saving: f64,
    /// `before - after` scaled to the whole tree (exact when `every` is 1).
    pub registry_saving_estimate: u64,
    /// Figures over `sampled`.
    pub outcomes: BTreeMap<String, Figure>,
    pub largest_savings: Vec<SkillSaving>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillSaving {
    pub name: String,
    pub path: String,
    pub before: u64,
    pub after: u64,
    pub saving: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Study {
    pub source: String,
    pub skills: u64,
    pub no_description: f64,
    pub none_or_under_20_tokens: f64,
    pub with_references: f64,
    pub tokenizer: String,
}

/// Share of `before` that `after` sheds.
fn saving(before: u64, after: u64) -> f64 {
    if before == 0 {
        0.0
    } else {
        1.0 - after as f64 / before as f64
    }
}

pub fn build(
    t: Tally,
    collisions: Collisions,
    tok: &Tokenizer,
    models: &[&Model],
    settings: &Settings,
    every: u64,
) -> Report {
    let n = t.skills;
    let rule_skills = |code: &str| t.rules.get(code).map_or(0, |r| r.1);
    let description = Descriptions {
        missing: Figure::of(t.description_missing, n),
        under_20_tokens: Figure::of(t.description_under_20, n),
        missing_or_under_20_tokens: Figure::of(t.description_missing + t.description_under_20, n),
        no_trigger: Figure::of(rule_skills("U002"), n),
        placeholder: Figure::of(rule_skills("U001"), n),
        over_1024_chars: Figure::of(t.description_over_1024, n),
        over_listing_cap: Figure::of(t.listing_over_cap, n),
        near_duplicates: Figure::of(t.near_duplicates, n),
    };
    let label_total: u64 = t.labels.iter().sum();
    let share = |l: Label| {
        let i = Label::ALL.iter().position(|x| *x == l).unwrap_or(0);
        LabelShare {
            tokens: t.labels[i],
            share: Figure::of(t.labels[i], label_total).share,
            study_share: STUDY_LABELS[i],
        }
    };
    let labels = Labels {
        core_rule: share(Label::CoreRule),
        background: share(Label::Background),
        example: share(Label::Example),
        template: share(Label::Template),
        redundant: share(Label::Redundant),
    };
    let costs = models
        .iter()
        .zip(&t.costs)
        .map(|(m, (l, a))| ModelCost {
            model: m.id.clone(),
            estimate: m.is_estimate(),
            all_listings_per_1000_requests: prices::cost(*l, 1000, m.input),
            activations_per_1000_each: prices::cost(*a, 1000, m.input),
        })
        .collect();
    let rules = t
        .rules
        .iter()
        .map(|(code, (findings, skills))| {
            let meta = RULES.iter().find(|r| r.meta.code == *code).map(|r| r.meta);
            let severity = meta
                .and_then(|m| settings.severity(m))
                .or(meta.map(|m| m.severity))
                .map_or("", |s| s.as_str());
            (
                code.to_string(),
                RuleHits {
                    name: meta.map_or("", |m| m.name).to_string(),
                    severity: severity.to_string(),
                    findings: *findings,
                    skills: Figure::of(*skills, n),
                },
            )
        })
        .collect();
    let loaded = t.listing.len();
    Report {
        version: VERSION,
        tool: format!("skillpress {}", env!("CARGO_PKG_VERSION")),
        skills: n,
        loaded,
        failures: t
            .failures
            .iter()
            .map(|(k, v)| (k.to_string(), Figure::of(*v, n)))
            .collect(),
        description,
        tokens: Tokens {
            tokenizer: tok.name(),
            estimate: tok.estimate().is_some(),
            listing: t.listing.summary(),
            body: t.body.summary(),
            references: t.references.summary(),
            prices_date: prices::date().to_string(),
            costs,
        },
        labels,
        references: References {
            skills_with: Figure::of(t.skills_with_references, n),
            files: t.reference_files,
            tokens: t.references.summary().total,
        },
        rules,
        most_affected: t
            .affected
            .into_sorted()
            .into_iter()
            .map(|(findings, a)| AffectedSkill {
                name: a.name,
                path: a.path,
                findings,
                codes: a.codes.into_iter().map(|(c, k)| (c.to_string(), k)).collect(),
            })
            .collect(),
        heaviest: t
            .heaviest
            .into_sorted()
            .into_iter()
            .map(|(always_loaded, h)| HeavySkill {
                name: h.name,
                path: h.path,
                always_loaded,
                listing: h.listing,
                body: h.body,
                references: h.references,
            })
            .collect(),
        reduce: ReduceSummary {
            tokenizer: "o200k".to_string(),
            sampled: t.reduce_sampled,
            every,
            registry_saving_estimate: if t.reduce_sampled == 0 {
                0
            } else {
                ((t.reduce_before - t.reduce_after) as f64 * loaded as f64
                    / t.reduce_sampled as f64)
                    .round() as u64
            },
            before: t.reduce_before,
            after: t.reduce_after,
            saving: saving(t.reduce_before, t.reduce_after),
            outcomes: t
                .reduce_outcomes
                .iter()
                .map(|(k, v)| (k.to_string(), Figure::of(*v, t.reduce_sampled)))
                .collect(),
            largest_savings: t
                .savings
                .into_sorted()
                .into_iter()
                .map(|(_, s)| SkillSaving {
                    saving: saving(s.before, s.after),
                    name: s.name,
                    path: s.path,
                    before: s.before,
                    after: s.after,
                })
                .collect(),
        },
        collisions,
        study: Study {
            source: "Gao et al., SkillReducer: Optimizing LLM Agent Skills for Token Efficiency, arXiv 2603.29919 (2026)".to_string(),
            skills: STUDY_SKILLS,
            no_description: STUDY_NO_DESCRIPTION,
            none_or_under_20_tokens: STUDY_NONE_OR_UNDER_20,
            with_references: STUDY_WITH_REFERENCES,
            tokenizer: "cl100k".to_string(),
        },
    }
}
