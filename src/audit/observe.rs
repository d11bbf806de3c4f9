//! One skill's contribution to the audit: load it once, run the rules, count its tiers,
//! label its body, simulate a reduce, and keep only the few fields the cross-skill passes
//! (near-duplicates, routing) need.

use std::path::Path;

use crate::classify::Label;
use crate::config::Settings;
use crate::reduce::Outcome;
use crate::rules::description_duplicate::Listing;
use crate::skill::{FrontmatterState, LoadProblem, Skill};
use crate::tokens::prices::Model;
use crate::tokens::tiers::{self, Tier};
use crate::tokens::{bpe, Count, Tokenizer};

/// Description under this many tokens is too short for a router (the study's cut).
pub const FEW_TOKENS: u64 = 20;
/// The agentskills.io limit on a description.
pub const DESCRIPTION_CHARS: usize = 1024;
/// Claude Code truncates `name: description` in its skill listing past this.
pub const LISTING_CHARS: usize = 1536;

/// Why a skill's manifest does not load or parse cleanly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    NotUtf8,
    Binary,
    TooLarge,
    Io,
    /// `SKILL.md` is a symbolic link leaving the skill folder (not followed).
    LinkOutside,
    NoFrontmatter,
    Unclosed,
    /// Strict YAML rejects the frontmatter; `lenient_reads` when a forgiving loader still
    /// finds a non-empty description in it.
    StrictRejected {
        lenient_reads: bool,
    },
    /// Valid YAML, but not a mapping of keys.
    NotMapping,
}

/// What the cross-skill passes keep of a skill.
#[derive(Debug, Clone)]
pub struct Compact {
    pub path: String,
    pub name: String,
    /// The description, routed to by the collision pass (empty when there is none).
    pub description: String,
    /// For near-duplicate descriptions (only when the skill has one).
    pub listing: Option<Listing>,
    /// Requests the skill's body says it is for, at most the configured number.
    pub queries: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Tiers {
    pub listing: u64,
    pub body: u64,
    pub references: u64,
    pub reference_files: usize,
    /// Per model (in the order given): the listing on 1,000 requests, and 1,000
    /// activations (listing plus body), as (usd, low, high).
    pub costs: Vec<(Count, Count)>,
}

#[derive(Debug, Clone)]
pub struct Reduced {
    pub outcome: &'static str,
    pub before: u64,
    pub after: u64,
}

#[derive(Debug, Clone)]
pub struct Description {
    pub missing: bool,
    pub tokens: u64,
    pub chars: usize,
    pub listing_chars: usize,
}

/// Everything one skill adds to the aggregates.
#[derive(Debug, Clone)]
pub struct Observation {
    pub path: String,
    pub name: String,
    pub failure: Option<Failure>,
    pub description: Description,
    /// Rule codes of the skill's findings, one entry per finding.
    pub findings: Vec<&'static str>,
    /// `None` for a manifest that could not be read.
    pub tiers: Option<Tiers>,
    /// Body tokens per label, in `Label::ALL` order.
    pub labels: [u64; 5],
    pub reduce: Option<Reduced>,
    pub compact: Compact,
}

/// Observes the skill in `dir` with its own settings; `simulate_reduce` says whether this
/// skill is one of those a reduce is simulated on.
pub fn observe(
    dir: &Path,
    settings: &Settings,
    tok: &Tokenizer,
    models: &[&Model],
    queries: usize,
    simulate_reduce: bool,
) -> Observation {
    let path = dir.to_string_lossy().into_owned();
    let skill = match Skill::load(dir) {
        Ok(s) => s,
        Err(u) => {
            let failure = match u.problem {
                LoadProblem::NotUtf8 { .. } => Failure::NotUtf8,
                LoadProblem::Binary => Failure::Binary,
                LoadProblem::TooLarge { .. } => Failure::TooLarge,
                LoadProblem::Io(_) | LoadProblem::Walk(_) => Failure::Io,
                LoadProblem::Outside { .. } => Failure::LinkOutside,
            };
            let findings = crate::lint::unreadable_diagnostic(&u, settings)
                .map(|d| vec![d.code])
                .unwrap_or_default();
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            return Observation {
                compact: Compact {
                    path: path.clone(),
                    name: name.clone(),
                    description: String::new(),
                    listing: None,
                    queries: Vec::new(),
                },
                path,
                name,
                failure: Some(failure),
                description: Description {
                    missing: true,
                    tokens: 0,
                    chars: 0,
                    listing_chars: 0,
                },
                findings,
                tiers: None,
                labels: [0; 5],
                reduce: None,
            };
        }
    };
    // One context for the rules and the label shares: the classification B001 made is
    // the one counted below, not made again.
    let ctx = crate::rules::Context::new(&skill, settings);
    let diagnostics = crate::lint::check_context(&ctx, |_| true);
    let findings: Vec<&'static str> = diagnostics.iter().map(|d| d.code).collect();
    let (tiers, listing_chars) = count_tiers(&skill, tok, models);
    let description_text = skill.description().filter(|d| !d.trim().is_empty());
    let description = Description {
        missing: description_text.is_none(),
        tokens: description_text
            .as_deref()
            .map_or(0, |d| tok.count(d).tokens),
        chars: description_text.as_deref().map_or(0, |d| d.chars().count()),
        listing_chars,
    };
    let mut labels = [0u64; 5];
    for c in ctx.classified() {
        let i = Label::ALL.iter().position(|l| *l == c.label).unwrap_or(0);
        labels[i] += tok.count(&skill.text[c.range.clone()]).tokens;
    }
    let reduce = simulate_reduce.then(|| {
        let (_, report) = crate::reduce::reduce_linted(&skill, settings, Some(&diagnostics));
        let before = report.always_loaded_before() as u64;
        let outcome = match report.outcome {
            Outcome::Reduced => "reduced",
            Outcome::Unchanged => "unchanged",
            Outcome::Declined { .. } => "declined",
            Outcome::Unfaithful { .. } => "unfaithful",
        };
        let after = if outcome == "reduced" {
            report.always_loaded_after() as u64
        } else {
            before
        };
        Reduced {
            outcome,
            before,
            after,
        }
    });
    let failure = match &skill.frontmatter {
        FrontmatterState::Missing => Some(Failure::NoFrontmatter),
        FrontmatterState::Unclosed { .. } => Some(Failure::Unclosed),
        FrontmatterState::Present(f) => match &f.strict {
            Err(_) => Some(Failure::StrictRejected {
                lenient_reads: f
                    .entry("description")
                    .is_some_and(|e| !e.value.trim().is_empty()),
            }),
            Ok(v) if !v.is_mapping() && !v.is_null() => Some(Failure::NotMapping),
            Ok(_) => None,
        },
    };
    let name = skill.name().unwrap_or_else(|| skill.folder_name());
    let routed = crate::rules::description_of(&skill)
        .map(|(d, _)| d)
        .unwrap_or_default();
    let listing = Listing::of(&skill);
    let compact = Compact {
        path: path.clone(),
        name: name.clone(),
        description: routed,
        listing,
        queries: crate::routing::queries(&skill, true, queries),
    };
    Observation {
        path,
        name,
        failure,
        description,
        findings,
        tiers: Some(tiers),
        labels,
        reduce,
        compact,
    }
}

/// Listing, body and reference tokens with `tok`, and what listing and body cost per
/// model; plus the listing's length in characters. Scripts and unmentioned files are
/// not counted: the audit reports only the tiers an agent reads.
fn count_tiers(skill: &Skill, tok: &Tokenizer, models: &[&Model]) -> (Tiers, usize) {
    let listing_text = tiers::listing_text(skill);
    let body_text = skill.body_text();
    let listing = tok.count(&listing_text);
    let body = tok.count(body_text);
    let mentioned = tiers::mentioned_files(skill);
    let (mut references, mut reference_files) = (0, 0);
    for f in &skill.files {
        if tiers::file_tier(f, &mentioned) == Some(Tier::References) {
            reference_files += 1;
            references += f.text.as_deref().map_or(0, |t| tok.count(t).tokens);
        }
    }
    // Prices are per model tokenizer: o200k (exact or the base of an estimate), cl100k.
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
    // Tokens, not dollars: sums of integers come out the same in any order, so the
    // costs the report works out from them do not depend on which thread summed what.
    let costs = models
        .iter()
        .map(|m| {
            let l: Count = m.count(o200k_listing, cl_listing);
            let b: Count = m.count(o200k_body, cl_body);
            (l, l + b)
        })
        .collect();
    (
        Tiers {
            listing: listing.tokens,
            body: body.tokens,
            references,
            reference_files,
            costs,
        },
        listing_text.chars().count(),
    )
}
