//! Near-duplicate descriptions among the skills linted together. A router choosing between
//! two skills sees only their descriptions; when those say the same thing it cannot tell
//! which one a request is for. Runs after the per-skill pass over each skill's listing.

use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{description_of, Context, FixKind, RuleMeta, RuleOption};
use crate::skill::Skill;

pub const META: RuleMeta = RuleMeta {
    code: "U005",
    name: "description-duplicate",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "description is nearly the same as another linted skill's",
    options: &[MIN_SIMILARITY],
};

/// The `min-similarity` option.
pub const MIN_SIMILARITY: RuleOption = RuleOption {
    name: "min-similarity",
    default: 0.8,
    help: "word-set similarity (Jaccard, 0 to 1) from which two descriptions count as duplicates",
};

/// Words too common to tell descriptions apart.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "the", "this", "that", "to", "use", "when", "with", "skill", "user",
];

/// What the cross-skill pass keeps of one skill: its name and description, not the skill.
#[derive(Debug, Clone)]
pub struct Listing {
    pub dir: PathBuf,
    pub manifest: String,
    pub name: String,
    pub description: String,
    /// The description's value in the manifest.
    pub span: Range<usize>,
    /// The manifest up to the end of the description, to place findings.
    pub head: String,
}

impl Listing {
    pub fn of(skill: &Skill) -> Option<Listing> {
        let (description, span) = description_of(skill)?;
        Some(Listing {
            dir: skill.dir.clone(),
            manifest: skill.manifest.clone(),
            name: skill.name().unwrap_or_else(|| skill.folder_name()),
            description,
            head: skill.text[..span.end].to_string(),
            span,
        })
    }
}

/// The per-skill pass has nothing to do: duplicates need the other skills.
pub fn check(_: &Context, _: &mut Vec<Diagnostic>) {}

/// Compares every pair of listings; returns (listing index, diagnostic) for both skills of
/// each near-duplicate pair. Pairs with the same name are one skill found twice (vendored
/// copies, perhaps edited), not two skills a router must choose between.
pub fn check_all(listings: &[Listing], settings: &Settings) -> Vec<(usize, Diagnostic)> {
    let Some(severity) = settings.severity(&META) else {
        return Vec::new();
    };
    let threshold = settings.option(&META, &MIN_SIMILARITY);
    let sets: Vec<HashSet<String>> = listings.iter().map(|l| word_set(&l.description)).collect();
    let mut out = Vec::new();
    for i in 0..listings.len() {
        for j in i + 1..listings.len() {
            let (a, b) = (&sets[i], &sets[j]);
            if a.len().min(b.len()) < 3 {
                continue;
            }
            // Jaccard is at most the ratio of the set sizes; skip pairs that cannot reach it.
            if (a.len().min(b.len()) as f64) < threshold * a.len().max(b.len()) as f64 {
                continue;
            }
            let (li, lj) = (&listings[i], &listings[j]);
            if li.name == lj.name {
                continue;
            }
            let inter = a.intersection(b).count();
            let similarity = inter as f64 / (a.len() + b.len() - inter) as f64;
            if similarity < threshold {
                continue;
            }
            for (k, me, other) in [(i, li, lj), (j, lj, li)] {
                let mut d = Diagnostic::new(
                    &META,
                    me.manifest.clone(),
                    me.span.clone(),
                    format!(
                        "description of `{}` is {:.0}% the same as that of `{}` (folder `{}`): a router cannot tell them apart",
                        me.name,
                        100.0 * similarity,
                        other.name,
                        other.dir.file_name().unwrap_or_default().to_string_lossy()
                    ),
                )
                .help("say what sets this skill apart: its inputs, tools or the requests it is for; or merge the two skills");
                d.severity = severity;
                out.push((k, d));
            }
        }
    }
    out
}

fn word_set(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(&w.as_str()))
        .collect()
}
