//! `skillpress audit`: one streaming pass over a registry with the lint engine (same
//! discovery, rules and nearest config), folding each skill into bounded aggregates, then
//! the cross-skill passes (near-duplicate descriptions, routing collisions) over the few
//! fields each skill left behind. The result is plain data for the text, JSON and HTML
//! renderers beside it.

pub mod collisions;
pub mod html;
pub mod observe;
pub mod progress;
pub mod report;
pub mod stats;
pub mod text;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::{ConfigError, ConfigFinder, Overrides, Settings};
use crate::discover::{self, DiscoverError};
use crate::rules::description_duplicate;
use crate::tokens::prices::Model;
use crate::tokens::Count;
use crate::tokens::Tokenizer;

use observe::{Compact, Failure, Observation};
pub use report::Report;
use stats::{Distribution, Top};

/// What the command line asks of a run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Length of every top list (heaviest skills, savings, pairs, affected skills).
    pub top: usize,
    /// Queries kept per skill for the routing pass.
    pub queries_per_skill: usize,
    /// Simulate reduce on every skill up to this many; on larger trees on an even
    /// sample of about this many (every k-th skill in path order), because a reduce
    /// plans and verifies a skill several times over and would dominate the run.
    pub reduce_sample: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            top: 10,
            queries_per_skill: 5,
            reduce_sample: 5000,
        }
    }
}

#[derive(Debug)]
pub enum AuditError {
    Discover(DiscoverError),
    Config(ConfigError),
}

/// Where the run is, for a progress bar.
pub trait Progress: Sync {
    /// The walk found `skills` skills.
    fn start(&self, skills: u64);
    /// One more skill folded in.
    fn skill_done(&self);
    /// The per-skill pass is over; the cross-skill passes run.
    fn cross_skill(&self);
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {
    fn start(&self, _: u64) {}
    fn skill_done(&self) {}
    fn cross_skill(&self) {}
}

/// Audits everything under `paths`. With `overrides`, each skill takes its nearest
/// config file resolved with them (as `lint` does); without, every skill uses `root`.
/// Returns the report and the paths the walk could not enter.
pub fn run(
    paths: &[PathBuf],
    root: &Settings,
    overrides: Option<&Overrides>,
    tok: &Tokenizer,
    models: &[&'static Model],
    options: &Options,
    progress: &dyn Progress,
) -> Result<(Report, Vec<(PathBuf, String)>), AuditError> {
    let found = discover::discover(paths, &root.exclude).map_err(AuditError::Discover)?;
    let (configs, which) = settings_per_skill(&found.skills, root, overrides)?;
    progress.start(found.skills.len() as u64);
    let every = found
        .skills
        .len()
        .div_ceil(options.reduce_sample.max(1))
        .max(1);
    let mut tally = found
        .skills
        .par_iter()
        .zip(which.par_iter().map(|&i| &configs[i]))
        .enumerate()
        .fold(
            || Tally::new(models.len(), options.top),
            |mut t, (i, (dir, settings))| {
                t.add(observe::observe(
                    dir,
                    settings,
                    tok,
                    models,
                    options.queries_per_skill,
                    i % every == 0,
                ));
                progress.skill_done();
                t
            },
        )
        .reduce(|| Tally::new(models.len(), options.top), Tally::merge);
    progress.cross_skill();
    // Cross-skill passes see the skills in discovery order, whatever the threads did.
    tally.compact.sort_by(|a, b| a.path.cmp(&b.path));
    let listings: Vec<description_duplicate::Listing> = tally
        .compact
        .iter()
        .filter_map(|c| c.listing.clone())
        .collect();
    let mut duplicate_skills = std::collections::BTreeSet::new();
    let duplicate_hits = description_duplicate::check_all(&listings, root);
    for (i, _) in &duplicate_hits {
        duplicate_skills.insert(*i);
    }
    if !duplicate_hits.is_empty() {
        let r = tally
            .rules
            .entry(description_duplicate::META.code)
            .or_default();
        r.0 += duplicate_hits.len() as u64;
        r.1 += duplicate_skills.len() as u64;
    }
    tally.near_duplicates = duplicate_skills.len() as u64;
    let collisions = collisions::find(&tally.compact, options.top);
    let report = report::build(tally, collisions, tok, models, root, every as u64);
    let problems = found
        .problems
        .into_iter()
        .filter(|(p, _)| !found.skills.iter().any(|s| p.starts_with(s)))
        .collect();
    Ok((report, problems))
}

/// Each skill's settings: its nearest config resolved with `overrides`, each file read
/// once; or `root` for all when there are no overrides to resolve with. Returns the
/// distinct settings and, per skill, the index of its own.
fn settings_per_skill(
    skills: &[PathBuf],
    root: &Settings,
    overrides: Option<&Overrides>,
) -> Result<(Vec<Settings>, Vec<usize>), AuditError> {
    let mut configs = vec![root.clone()];
    let Some(overrides) = overrides else {
        return Ok((configs, vec![0; skills.len()]));
    };
    let mut index: HashMap<Option<PathBuf>, usize> = HashMap::new();
    index.insert(root.file.clone(), 0);
    let mut which = Vec::with_capacity(skills.len());
    let mut finder = ConfigFinder::default();
    for dir in skills {
        let file = finder.find(dir);
        let i = match index.get(&file) {
            Some(&i) => i,
            None => {
                let settings = Settings::load(dir, file.as_deref(), file.is_none(), overrides)
                    .map_err(AuditError::Config)?;
                configs.push(settings);
                index.insert(file, configs.len() - 1);
                configs.len() - 1
            }
        };
        which.push(i);
    }
    Ok((configs, which))
}

/// A heavy skill: its always-loaded tokens and what they are made of.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Heavy {
    pub path: String,
    pub name: String,
    pub listing: u64,
    pub body: u64,
    pub references: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Saving {
    pub path: String,
    pub name: String,
    pub before: u64,
    pub after: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Affected {
    pub path: String,
    pub name: String,
    /// (code, findings) of each rule that fired, by code.
    pub codes: Vec<(&'static str, u64)>,
}

/// The aggregates, mergeable across threads. Nothing here grows with the number of
/// skills except `compact`, the cross-skill index.
pub struct Tally {
    pub skills: u64,
    pub failures: BTreeMap<&'static str, u64>,
    pub description_missing: u64,
    pub description_under_20: u64,
    pub description_over_1024: u64,
    pub listing_over_cap: u64,
    pub near_duplicates: u64,
    pub listing: Distribution,
    pub body: Distribution,
    pub references: Distribution,
    pub skills_with_references: u64,
    pub reference_files: u64,
    /// Per model: sums of (listing on 1,000 requests, 1,000 activations), usd/low/high.
    pub costs: Vec<(Count, Count)>,
    pub labels: [u64; 5],
    /// Per rule code: (findings, skills with one).
    pub rules: BTreeMap<&'static str, (u64, u64)>,
    pub affected: Top<Affected>,
    pub heaviest: Top<Heavy>,
    pub savings: Top<Saving>,
    pub reduce_outcomes: BTreeMap<&'static str, u64>,
    /// Skills a reduce was simulated on.
    pub reduce_sampled: u64,
    pub reduce_before: u64,
    pub reduce_after: u64,
    pub compact: Vec<Compact>,
}

impl Tally {
    pub fn new(models: usize, top: usize) -> Tally {
        Tally {
            skills: 0,
            failures: BTreeMap::new(),
            description_missing: 0,
            description_under_20: 0,
            description_over_1024: 0,
            listing_over_cap: 0,
            near_duplicates: 0,
            listing: Distribution::default(),
            body: Distribution::default(),
            references: Distribution::default(),
            skills_with_references: 0,
            reference_files: 0,
            costs: vec![(Count::default(), Count::default()); models],
            labels: [0; 5],
            rules: BTreeMap::new(),
            affected: Top::new(top),
            heaviest: Top::new(top),
            savings: Top::new(top),
            reduce_outcomes: BTreeMap::new(),
            reduce_sampled: 0,
            reduce_before: 0,
            reduce_after: 0,
            compact: Vec::new(),
        }
    }

    pub fn add(&mut self, o: Observation) {
        self.skills += 1;
        if let Some(f) = o.failure {
            *self.failures.entry(failure_key(f)).or_insert(0) += 1;
            if let Failure::StrictRejected {
                lenient_reads: true,
            } = f
            {
                *self
                    .failures
                    .entry("strict_rejected_lenient_reads")
                    .or_insert(0) += 1;
            }
        }
        let d = &o.description;
        self.description_missing += u64::from(d.missing);
        self.description_under_20 += u64::from(!d.missing && d.tokens < observe::FEW_TOKENS);
        self.description_over_1024 += u64::from(d.chars > observe::DESCRIPTION_CHARS);
        self.listing_over_cap += u64::from(d.listing_chars > observe::LISTING_CHARS);
        let mut codes: BTreeMap<&'static str, u64> = BTreeMap::new();
        for code in &o.findings {
            *codes.entry(code).or_insert(0) += 1;
        }
        for (code, n) in &codes {
            let r = self.rules.entry(code).or_default();
            r.0 += n;
            r.1 += 1;
        }
        if !o.findings.is_empty() {
            self.affected.push(
                o.findings.len() as u64,
                Affected {
                    path: o.path.clone(),
                    name: o.name.clone(),
                    codes: codes.into_iter().collect(),
                },
            );
        }
        if let Some(t) = &o.tiers {
            self.listing.add(t.listing);
            self.body.add(t.body);
            if t.reference_files > 0 {
                self.skills_with_references += 1;
                self.reference_files += t.reference_files as u64;
                self.references.add(t.references);
            }
            for (sum, (l, a)) in self.costs.iter_mut().zip(&t.costs) {
                sum.0 += *l;
                sum.1 += *a;
            }
            self.heaviest.push(
                t.listing + t.body,
                Heavy {
                    path: o.path.clone(),
                    name: o.name.clone(),
                    listing: t.listing,
                    body: t.body,
                    references: t.references,
                },
            );
        }
        for (sum, n) in self.labels.iter_mut().zip(o.labels) {
            *sum += n;
        }
        if let Some(r) = &o.reduce {
            *self.reduce_outcomes.entry(r.outcome).or_insert(0) += 1;
            self.reduce_sampled += 1;
            self.reduce_before += r.before;
            self.reduce_after += r.after;
            if r.after < r.before {
                self.savings.push(
                    r.before - r.after,
                    Saving {
                        path: o.path.clone(),
                        name: o.name.clone(),
                        before: r.before,
                        after: r.after,
                    },
                );
            }
        }
        self.compact.push(o.compact);
    }

    pub fn merge(mut self, o: Tally) -> Tally {
        self.skills += o.skills;
        for (k, v) in o.failures {
            *self.failures.entry(k).or_insert(0) += v;
        }
        self.description_missing += o.description_missing;
        self.description_under_20 += o.description_under_20;
        self.description_over_1024 += o.description_over_1024;
        self.listing_over_cap += o.listing_over_cap;
        self.near_duplicates += o.near_duplicates;
        self.listing.merge(o.listing);
        self.body.merge(o.body);
        self.references.merge(o.references);
        self.skills_with_references += o.skills_with_references;
        self.reference_files += o.reference_files;
        for (sum, (l, a)) in self.costs.iter_mut().zip(o.costs) {
            sum.0 += l;
            sum.1 += a;
        }
        for (sum, n) in self.labels.iter_mut().zip(o.labels) {
            *sum += n;
        }
        for (k, (a, b)) in o.rules {
            let r = self.rules.entry(k).or_default();
            r.0 += a;
            r.1 += b;
        }
        self.affected.merge(o.affected);
        self.heaviest.merge(o.heaviest);
        self.savings.merge(o.savings);
        for (k, v) in o.reduce_outcomes {
            *self.reduce_outcomes.entry(k).or_insert(0) += v;
        }
        self.reduce_sampled += o.reduce_sampled;
        self.reduce_before += o.reduce_before;
        self.reduce_after += o.reduce_after;
        self.compact.extend(o.compact);
        self
    }
}

fn failure_key(f: Failure) -> &'static str {
    match f {
        Failure::NotUtf8 => "not_utf8",
        Failure::Binary => "binary",
        Failure::TooLarge => "too_large",
        Failure::Io => "unreadable",
        Failure::LinkOutside => "link_outside",
        Failure::NoFrontmatter => "no_frontmatter",
        Failure::Unclosed => "unclosed",
        Failure::StrictRejected { .. } => "strict_yaml_rejected",
        Failure::NotMapping => "not_mapping",
    }
}
