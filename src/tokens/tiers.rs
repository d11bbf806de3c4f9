//! Loading tiers: which part of a skill an agent pays for when. The listing (name and
//! description) on every request, the body each time the skill triggers, references when
//! read, other text files never unless something points there, scripts not at all (they
//! run; shown apart). Only text an agent reads as text counts as a reference: prose
//! (markdown, plain text) and code listings outside `scripts/`; licenses, HTML and data
//! files are "other" even when linked, and binary files are not counted.

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
    let top = file.rel.split('/').next().unwrap_or("");
    let runs = matches!(top, "scripts" | "bin");
    Some(
        if file.kind == FileKind::Script && (runs || !mentioned.contains(&file.rel)) {
            Tier::Scripts
        } else if mentioned.contains(&file.rel) && is_read_as_text(file) {
            Tier::References
        } else {
            Tier::Other
        },
    )
}

/// Prose or a code listing, which an agent reads when pointed at it; not a license, a web
/// page or data (HTML, JSON, CSV, YAML ...), which it does not read to follow the skill.
fn is_read_as_text(file: &SkillFile) -> bool {
    const PROSE: &[&str] = &["md", "markdown", "mdx", "txt", "rst", "adoc", "org"];
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    if is_license(name) {
        return false;
    }
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    file.kind == FileKind::Script || PROSE.iter().any(|p| p.eq_ignore_ascii_case(ext))
}

/// `LICENSE`, `LICENSE.txt`, `LICENCE-MIT.md`, `COPYING`, `NOTICE`: legal text.
pub fn is_license(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "LICENSE",
        "LICENCE",
        "COPYING",
        "NOTICE",
        "COPYRIGHT",
        "PATENTS",
    ]
    .iter()
    .any(|l| upper.starts_with(l))
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
    // A skill of SKILL.md alone mentions no other file; its graph need not be walked.
    if skill.files.is_empty() {
        return BTreeSet::new();
    }
    // One mention graph for the whole tool: the one resource rules (R006) use.
    mentions
        .from_manifest()
        .into_iter()
        .filter(|rel| *rel != skill.manifest)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str, kind: FileKind) -> SkillFile {
        SkillFile {
            rel: rel.to_string(),
            kind,
            bytes: 4,
            text: Some("text".to_string()),
            problem: None,
            links: Vec::new(),
        }
    }

    #[test]
    fn only_prose_and_code_listings_are_references() {
        let cases = [
            ("references/api.md", FileKind::Reference, Tier::References),
            ("assets/template.md", FileKind::Asset, Tier::References),
            ("examples/fill.py", FileKind::Script, Tier::References),
            ("scripts/run.py", FileKind::Script, Tier::Scripts),
            ("LICENSE.txt", FileKind::Reference, Tier::Other),
            ("LICENSE", FileKind::Asset, Tier::Other),
            ("eval-viewer/viewer.html", FileKind::Asset, Tier::Other),
            ("assets/report.html", FileKind::Asset, Tier::Other),
            ("templates/fields.json", FileKind::Asset, Tier::Other),
        ];
        for (rel, kind, want) in cases {
            let mentioned: BTreeSet<String> = [rel.to_string()].into();
            assert_eq!(file_tier(&file(rel, kind), &mentioned), Some(want), "{rel}");
        }
        let nothing = BTreeSet::new();
        assert_eq!(
            file_tier(&file("examples/fill.py", FileKind::Script), &nothing),
            Some(Tier::Scripts)
        );
        assert_eq!(
            file_tier(&file("references/x.md", FileKind::Reference), &nothing),
            Some(Tier::Other)
        );
        assert_eq!(
            file_tier(&file("logo.png", FileKind::Binary), &nothing),
            None
        );
    }
}
