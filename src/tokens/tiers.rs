//! Loading tiers: which part of a skill an agent pays for when. The listing (name and
//! description) on every request, the body each time the skill triggers, references when
//! read, other text files never unless something points there, scripts not at all (they
//! run; shown apart).

use std::collections::BTreeSet;

use crate::skill::{FileKind, Skill, SkillFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Listing,
    Body,
    References,
    Other,
    Scripts,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Listing => "listing",
            Tier::Body => "body",
            Tier::References => "references",
            Tier::Other => "other",
            Tier::Scripts => "scripts",
        }
    }
}

/// The text an agent's skill list shows for a skill: `name: description`, as Claude Code
/// lists it. A missing name falls back to the folder's.
pub fn listing_text(skill: &Skill) -> String {
    let name = skill.name().unwrap_or_else(|| skill.folder_name());
    match skill.description() {
        Some(d) => format!("{name}: {d}"),
        None => name,
    }
}

/// The tier of one of a skill's other files; `None` for files that are not read as text
/// (binary, unreadable).
pub fn file_tier(file: &SkillFile, mentioned: &BTreeSet<String>) -> Option<Tier> {
    if file.text.is_none() || file.kind == FileKind::Binary {
        return None;
    }
    Some(if file.kind == FileKind::Script {
        Tier::Scripts
    } else if mentioned.contains(&file.rel) {
        Tier::References
    } else {
        Tier::Other
    })
}

/// The files (paths relative to the skill folder) that `SKILL.md` mentions, directly or
/// through mentioned markdown files: markdown links and images, code spans that name a
/// path, and the path written out in plain text. A mentioned folder (`references/`)
/// covers every file under it. Paths resolve against the skill folder and against the
/// mentioning file's folder.
pub fn mentioned_files(skill: &Skill) -> BTreeSet<String> {
    mentioned_in(skill, &crate::skill::resolve::Mentions::new(skill))
}

/// `mentioned_files` from a mention graph the caller already built.
pub fn mentioned_in(skill: &Skill, mentions: &crate::skill::resolve::Mentions) -> BTreeSet<String> {
    // One mention graph for the whole tool: the one resource rules (R006) use.
    mentions
        .from_manifest()
        .into_iter()
        .filter(|rel| *rel != skill.manifest)
        .map(str::to_string)
        .collect()
}
