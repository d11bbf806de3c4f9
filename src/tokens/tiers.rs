//! Loading tiers: which part of a skill an agent pays for when. The listing (name and
//! description) on every request, the body each time the skill triggers, references when
//! read, other text files never unless something points there, scripts not at all (they
//! run; shown apart).

use std::collections::{BTreeSet, VecDeque};

use crate::skill::{FileKind, Link, Skill, SkillFile};

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
    let rels: Vec<&str> = skill.files.iter().map(|f| f.rel.as_str()).collect();
    let dirs: BTreeSet<&str> = rels
        .iter()
        .flat_map(|r| r.match_indices('/').map(move |(i, _)| &r[..i]))
        .collect();
    let mut mentioned = BTreeSet::new();
    let mut queue: VecDeque<(&str, &str, &[Link])> = VecDeque::new();
    queue.push_back(("", &skill.text, &skill.body.links));

    while let Some((from, text, links)) = queue.pop_front() {
        let mut found: Vec<&str> = Vec::new();
        for link in links {
            let Some(target) = link.local_path() else {
                continue;
            };
            for base in bases(from) {
                let Some(path) = resolve(base, &target) else {
                    continue;
                };
                let dir = path.trim_end_matches('/');
                found.extend(rels.iter().filter(|r| {
                    **r == path
                        || (!dir.is_empty()
                            && r.len() > dir.len()
                            && r.starts_with(dir)
                            && r.as_bytes()[dir.len()] == b'/')
                }));
            }
        }
        for rel in &rels {
            if mentioned.contains(*rel) {
                continue;
            }
            if bases(from)
                .filter_map(|b| relative_to(rel, b))
                .any(|name| occurs(text, name))
            {
                found.push(rel);
            }
        }
        for dir in &dirs {
            let covered = bases(from)
                .filter_map(|b| relative_to(dir, b))
                .any(|name| !name.is_empty() && occurs(text, &format!("{name}/")));
            if covered {
                found.extend(rels.iter().filter(|r| {
                    r.len() > dir.len() && r.starts_with(dir) && r.as_bytes()[dir.len()] == b'/'
                }));
            }
        }
        for rel in found {
            if mentioned.insert(rel.to_string()) {
                if let Some(f) = skill.file(rel) {
                    if f.is_markdown() {
                        if let Some(t) = f.text.as_deref() {
                            queue.push_back((parent(&f.rel), t, &f.links));
                        }
                    }
                }
            }
        }
    }
    mentioned
}

/// The folders a path in a file under `from` may be relative to: the skill root, and the
/// file's own folder.
fn bases(from: &str) -> impl Iterator<Item = &str> {
    std::iter::once("").chain((!from.is_empty()).then_some(from))
}

fn parent(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// `rel` written relative to folder `base` (both skill-relative), if it lies under it.
fn relative_to<'r>(rel: &'r str, base: &str) -> Option<&'r str> {
    if base.is_empty() {
        return Some(rel);
    }
    rel.strip_prefix(base)?.strip_prefix('/')
}

/// A link target resolved against folder `base`, normalised to a skill-relative path
/// (a trailing `/` kept); `None` when it leaves the skill or is absolute.
fn resolve(base: &str, target: &str) -> Option<String> {
    if target.starts_with('/') || target.starts_with('~') {
        return None;
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for p in target.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if target.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')
}

/// Whether `needle` (a path) occurs in `text` as a whole path: not inside a longer name
/// (`api.md` in `old-api.md` or `api.md.bak`), though `./` before it and sentence
/// punctuation after it are fine.
fn occurs(text: &str, needle: &str) -> bool {
    for (i, _) in text.match_indices(needle) {
        let before = &text[..i];
        let ok_before = match before.chars().next_back() {
            None => true,
            Some('/') => before.ends_with("./") && !before[..before.len() - 2].ends_with('.'),
            Some(c) => !is_path_char(c),
        };
        let after = &text[i + needle.len()..];
        let mut rest = after.chars();
        let ok_after = match rest.next() {
            None => true,
            Some('.') => !rest.next().is_some_and(|c| c.is_alphanumeric()),
            Some(c) => !(c.is_alphanumeric() || matches!(c, '_' | '-' | '/')),
        };
        if ok_before && ok_after {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_path_occurrences() {
        assert!(occurs("see references/api.md.", "references/api.md"));
        assert!(occurs("run `./scripts/x.py`", "scripts/x.py"));
        assert!(occurs("(api.md)", "api.md"));
        assert!(!occurs("old-api.md", "api.md"));
        assert!(!occurs("api.md.bak", "api.md"));
        assert!(!occurs("x/api.md", "api.md"));
        assert!(!occurs("references/api.md", "references/"));
        assert!(occurs(
            "everything in references/ is optional",
            "references/"
        ));
    }

    #[test]
    fn link_resolution() {
        assert_eq!(resolve("", "./a/b.md").as_deref(), Some("a/b.md"));
        assert_eq!(resolve("docs", "../x.md").as_deref(), Some("x.md"));
        assert_eq!(resolve("", "../x.md"), None);
        assert_eq!(resolve("", "references/").as_deref(), Some("references/"));
        assert_eq!(resolve("", "/etc/passwd"), None);
    }
}
