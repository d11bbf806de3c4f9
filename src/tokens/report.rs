//! Token accounting per skill and tier, as plain data for the renderers and the rules:
//! `SkillCounts` counts lazily for lint rules, `measure` counts a whole skill for
//! `skillpress tokens`, and `build` runs that over discovered skills in parallel.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::prices::{self, Cost, Model};
use super::tiers::{self, Tier};
use super::{bpe, Count, Estimate, Tokenizer};
use crate::discover::{self, DiscoverError};
use crate::skill::Skill;

/// One text file of a skill and its tier.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FileTokens {
    pub rel: String,
    pub tier: Tier,
    pub tokens: Count,
}

/// Counts a lint run needs for one skill, each made on first use and kept.
#[derive(Default)]
pub struct SkillCounts {
    tokenizer: OnceLock<Option<Arc<Tokenizer>>>,
    description: OnceLock<Option<Count>>,
    body: OnceLock<Option<Count>>,
    references: OnceLock<Option<Vec<FileTokens>>>,
}

impl SkillCounts {
    /// The tokenizer `spec` names; `None` when it cannot be loaded (the command line
    /// reports that before any rule runs).
    pub fn tokenizer(&self, spec: &str) -> Option<&Arc<Tokenizer>> {
        self.tokenizer
            .get_or_init(|| Tokenizer::get(spec).ok())
            .as_ref()
    }

    pub fn description(&self, skill: &Skill, spec: &str) -> Option<Count> {
        *self.description.get_or_init(|| {
            let d = skill.description()?;
            Some(self.tokenizer(spec)?.count(&d))
        })
    }

    pub fn body(&self, skill: &Skill, spec: &str) -> Option<Count> {
        *self
            .body
            .get_or_init(|| Some(self.tokenizer(spec)?.count(skill.body_text())))
    }

    /// The files in the references tier, with their counts (the other tiers' files are
    /// not counted: no lint rule needs them).
    /// `mentioned` is the skill's mentioned files, which the caller may already have.
    pub fn references(
        &self,
        skill: &Skill,
        spec: &str,
        mentioned: impl FnOnce() -> BTreeSet<String>,
    ) -> Option<&[FileTokens]> {
        self.references
            .get_or_init(|| {
                let tok = self.tokenizer(spec)?;
                Some(file_tokens(
                    skill,
                    tok,
                    Some(Tier::References),
                    &mentioned(),
                ))
            })
            .as_deref()
    }
}

/// The skill's text files with their tiers and counts, only those of tier `only` if given.
fn file_tokens(
    skill: &Skill,
    tok: &Tokenizer,
    only: Option<Tier>,
    mentioned: &BTreeSet<String>,
) -> Vec<FileTokens> {
    skill
        .files
        .iter()
        .filter_map(|f| {
            let tier = tiers::file_tier(f, mentioned)?;
            if only.is_some_and(|t| t != tier) {
                return None;
            }
            Some(FileTokens {
                rel: f.rel.clone(),
                tier,
                tokens: tok.count(f.text.as_deref()?),
            })
        })
        .collect()
}

/// What one model would pay for a skill.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ModelCost {
    /// The model's id (a name from the built-in price table, not a copy per skill).
    pub model: &'static str,
    pub estimate: bool,
    /// 1,000 activations: listing plus body, 1,000 times.
    pub per_1000_activations: Cost,
    /// The listing alone on 1,000 requests.
    pub listing_per_1000_requests: Cost,
}

/// A skill's tokens by tier.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SkillTokens {
    /// The skill folder as discovered.
    pub path: String,
    pub name: String,
    pub listing: Count,
    pub listing_chars: usize,
    pub body: Count,
    pub body_lines: usize,
    pub references: Count,
    pub other: Count,
    /// Shown, but not part of what the model reads.
    pub scripts: Count,
    pub files: Vec<FileTokens>,
    pub costs: Vec<ModelCost>,
}

impl SkillTokens {
    /// Listing plus body: what one activation puts in the context.
    pub fn activation(&self) -> Count {
        self.listing + self.body
    }

    /// Everything the model could read: all tiers but scripts.
    pub fn total(&self) -> Count {
        self.listing + self.body + self.references + self.other
    }

    pub fn tier(&self, tier: Tier) -> Count {
        match tier {
            Tier::Listing => self.listing,
            Tier::Body => self.body,
            Tier::References => self.references,
            Tier::Other => self.other,
            Tier::Scripts => self.scripts,
        }
    }
}

/// Counts every tier of `skill` with `tok`, and prices listing and body for `models`
/// with each model's own tokenizer.
pub fn measure(
    skill: &Skill,
    path: String,
    tok: &Tokenizer,
    models: &[&'static Model],
) -> SkillTokens {
    let listing_text = tiers::listing_text(skill);
    let body_text = skill.body_text();
    let listing = tok.count(&listing_text);
    let body = tok.count(body_text);
    let files = file_tokens(skill, tok, None, &tiers::mentioned_files(skill));
    let sum = |t: Tier| files.iter().filter(|f| f.tier == t).map(|f| f.tokens).sum();

    let (o200k_listing, o200k_body) = match tok {
        Tokenizer::Bpe(b) if b.name == "o200k" => (listing.tokens, body.tokens),
        _ => (
            bpe::O200K.count(&listing_text) as u64,
            bpe::O200K.count(body_text) as u64,
        ),
    };
    let needs_cl100k = models.iter().any(|m| m.tokenizer == "cl100k");
    let cl100k = |text: &str| needs_cl100k.then(|| bpe::CL100K.count(text) as u64);
    let (cl_listing, cl_body) = (cl100k(&listing_text), cl100k(body_text));
    let costs = models
        .iter()
        .map(|m| {
            let l = m.count(o200k_listing, cl_listing);
            let b = m.count(o200k_body, cl_body);
            ModelCost {
                model: m.id.as_str(),
                estimate: m.is_estimate(),
                per_1000_activations: prices::cost(l + b, 1000, m.input),
                listing_per_1000_requests: prices::cost(l, 1000, m.input),
            }
        })
        .collect();

    SkillTokens {
        path,
        name: skill.name().unwrap_or_else(|| skill.folder_name()),
        listing,
        listing_chars: listing_text.chars().count(),
        body,
        body_lines: body_text.lines().count(),
        references: sum(Tier::References),
        other: sum(Tier::Other),
        scripts: sum(Tier::Scripts),
        files,
        costs,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortKey {
    Listing,
    Body,
    References,
    Total,
    Name,
}

/// The whole `skillpress tokens` result.
#[derive(Debug, Clone)]
pub struct TokensReport {
    pub tokenizer: String,
    pub estimate: Option<&'static Estimate>,
    pub models: Vec<&'static Model>,
    /// Shown skills, after `--sort` and `--top`.
    pub skills: Vec<SkillTokens>,
    /// Skills measured, before `--top`.
    pub measured: usize,
    /// Sums over every measured skill.
    pub totals: Totals,
    /// What was not counted, with why: skills whose manifest could not be read, files
    /// too large or unreadable, links out of the skill, given paths holding no skill.
    pub skipped: Vec<(PathBuf, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Totals {
    pub listing: Count,
    pub body: Count,
    pub references: Count,
    pub other: Count,
    pub scripts: Count,
    pub total: Count,
    /// Per model: the listing of every skill on 1,000 requests (what installing them all
    /// costs before any triggers), and 1,000 activations of each skill.
    pub costs: Vec<ModelCost>,
}

impl TokensReport {
    pub fn sort(&mut self, key: SortKey) {
        let value = |s: &SkillTokens| match key {
            SortKey::Listing => s.listing.tokens,
            SortKey::Body => s.body.tokens,
            SortKey::References => s.references.tokens,
            SortKey::Total => s.total().tokens,
            SortKey::Name => 0,
        };
        if key == SortKey::Name {
            self.skills
                .sort_by(|a, b| a.name.cmp(&b.name).then(a.path.cmp(&b.path)));
        } else {
            self.skills
                .sort_by(|a, b| value(b).cmp(&value(a)).then(a.path.cmp(&b.path)));
        }
    }
}

fn totals(skills: &[SkillTokens], models: &[&'static Model]) -> Totals {
    let sum = |f: &dyn Fn(&SkillTokens) -> Count| skills.iter().map(f).sum::<Count>();
    let cost_sum = |i: usize, f: &dyn Fn(&ModelCost) -> Cost| {
        skills.iter().map(|s| f(&s.costs[i])).fold(
            Cost {
                usd: 0.0,
                low: 0.0,
                high: 0.0,
            },
            |a, c| Cost {
                usd: a.usd + c.usd,
                low: a.low + c.low,
                high: a.high + c.high,
            },
        )
    };
    Totals {
        listing: sum(&|s| s.listing),
        body: sum(&|s| s.body),
        references: sum(&|s| s.references),
        other: sum(&|s| s.other),
        scripts: sum(&|s| s.scripts),
        total: sum(&|s| s.total()),
        costs: models
            .iter()
            .enumerate()
            .map(|(i, m)| ModelCost {
                model: m.id.as_str(),
                estimate: m.is_estimate(),
                per_1000_activations: cost_sum(i, &|c| c.per_1000_activations),
                listing_per_1000_requests: cost_sum(i, &|c| c.listing_per_1000_requests),
            })
            .collect(),
    }
}

/// Measures every skill under `paths`, in parallel, sorted by path.
pub fn build(
    paths: &[PathBuf],
    exclude: &globset::GlobSet,
    tok: &Tokenizer,
    models: Vec<&'static Model>,
) -> Result<TokensReport, DiscoverError> {
    let hidden = crate::progress::Progress::hidden();
    build_with_progress(paths, exclude, tok, models, &hidden)
}

/// `build`, counting each skill measured on `progress`.
pub fn build_with_progress(
    paths: &[PathBuf],
    exclude: &globset::GlobSet,
    tok: &Tokenizer,
    models: Vec<&'static Model>,
    progress: &crate::progress::Progress,
) -> Result<TokensReport, DiscoverError> {
    let found = discover::discover(paths, exclude)?;
    progress.start(found.skills.len());
    type Measured = (Option<SkillTokens>, Vec<(PathBuf, String)>);
    let results: Vec<Measured> = found
        .skills
        .par_iter()
        .map(|dir| match Skill::load(dir) {
            Ok(skill) => {
                // Files left uncounted (too large, unreadable, links out of the skill).
                let uncounted = skill
                    .files
                    .iter()
                    .filter_map(|f| {
                        let p = f.problem.as_ref()?;
                        Some((dir.join(&f.rel), format!("not counted: {}", p.describe())))
                    })
                    .collect();
                let measured = measure(&skill, dir.to_string_lossy().into_owned(), tok, &models);
                (Some(measured), uncounted)
            }
            Err(u) => (
                None,
                vec![(
                    dir.join(&u.manifest),
                    format!("{} {}", u.manifest, u.problem.describe()),
                )],
            ),
        })
        .inspect(|_| progress.inc(1))
        .collect();
    let mut skills = Vec::new();
    let mut skipped: Vec<(PathBuf, String)> = found
        .problems
        .into_iter()
        .filter(|(p, why)| {
            discover::is_no_skill(why) || !found.skills.iter().any(|s| p.starts_with(s))
        })
        .collect();
    for (measured, mut uncounted) in results {
        skills.extend(measured);
        skipped.append(&mut uncounted);
    }
    let totals = totals(&skills, &models);
    Ok(TokensReport {
        tokenizer: tok.name(),
        estimate: tok.estimate(),
        measured: skills.len(),
        models,
        skills,
        totals,
        skipped,
    })
}
