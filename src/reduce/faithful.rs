//! The faithfulness check: every fenced code block, inline code span, URL, local link
//! target, number with a unit and file path of the original must be present in the
//! reduced skill (its SKILL.md or its references), or sit in a block dropped as an exact
//! repeat of one that is kept. Anything else means no write.

use std::collections::BTreeSet;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::skill::markdown::{self, LinkKind};

/// The kind of a fact, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactKind {
    CodeBlock,
    InlineCode,
    Url,
    LinkTarget,
    NumberWithUnit,
}

/// One thing an agent may need, as found in one file of the original.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Fact {
    pub kind: FactKind,
    /// The text to look for; for link targets, the skill-relative path.
    pub text: String,
}

/// A markdown text and where it sits in the skill (`SKILL.md`, `references/x.md`).
pub struct Doc<'a> {
    pub rel: &'a str,
    pub text: &'a str,
}

/// Facts of `doc`. Link targets are resolved against the file's folder so a link
/// rewritten for a new location still counts as the same target.
pub fn facts(doc: &Doc) -> BTreeSet<Fact> {
    let mut out = BTreeSet::new();
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    let mut in_code: Option<String> = None;
    for event in Parser::new_ext(doc.text, opts) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = Some(String::new()),
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some(code) = in_code.take() {
                    if !code.trim().is_empty() {
                        out.insert(Fact {
                            kind: FactKind::CodeBlock,
                            text: code.trim_end().to_string(),
                        });
                    }
                }
            }
            Event::Text(t) => {
                if let Some(code) = in_code.as_mut() {
                    code.push_str(&t);
                } else {
                    numbers_with_units(&t, &mut out);
                    bare_urls(&t, &mut out);
                }
            }
            Event::Code(c) if !c.trim().is_empty() => {
                out.insert(Fact {
                    kind: FactKind::InlineCode,
                    text: c.to_string(),
                });
            }
            _ => {}
        }
    }
    for link in markdown::scan(doc.text, 0).links {
        if link.kind == LinkKind::CodeSpan {
            continue;
        }
        if link.is_url() {
            out.insert(Fact {
                kind: FactKind::Url,
                text: link.target.trim().to_string(),
            });
        } else if let Some(path) = link.local_path() {
            out.insert(Fact {
                kind: FactKind::LinkTarget,
                text: resolve(doc.rel, &path),
            });
        }
    }
    out
}

/// Whether a link target names the same file from any folder: an absolute path, a home
/// path, or one starting from a variable such as `${CLAUDE_SKILL_DIR}`.
pub fn location_independent(target: &str) -> bool {
    target.trim_start().starts_with(['/', '$', '{', '%', '~'])
}

/// `target` as written in the file `from`, as a path from the skill folder. Unlike
/// `skill::resolve`, a target above the folder keeps its leading `..` parts, so a link
/// that leaves the skill is still recognised after it moved one folder deeper.
pub fn resolve(from: &str, target: &str) -> String {
    if location_independent(target) {
        return target.to_string();
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    let mut above = 0;
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    above += 1;
                }
            }
            s => parts.push(s),
        }
    }
    let mut out = "../".repeat(above);
    out.push_str(&parts.join("/"));
    out
}

const UNITS: &[&str] = &[
    "%",
    "ms",
    "s",
    "sec",
    "secs",
    "seconds",
    "second",
    "min",
    "mins",
    "minutes",
    "minute",
    "h",
    "hr",
    "hrs",
    "hours",
    "hour",
    "days",
    "day",
    "weeks",
    "kb",
    "mb",
    "gb",
    "tb",
    "kib",
    "mib",
    "gib",
    "b",
    "bytes",
    "px",
    "pt",
    "em",
    "rem",
    "dpi",
    "tokens",
    "token",
    "chars",
    "characters",
    "lines",
    "words",
    "k",
    "m",
    "x",
    "fps",
    "hz",
    "khz",
    "mhz",
    "ghz",
    "kbps",
    "mbps",
    "rpm",
    "req",
    "requests",
    "items",
    "rows",
    "pages",
    "steps",
];

/// Numbers followed by a unit (`500 ms`, `1.5GB`, `20%`), as written.
fn numbers_with_units(text: &str, out: &mut BTreeSet<Fact>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit()
            || (i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.'))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit()
                || (matches!(bytes[i], b'.' | b',')
                    && i + 1 < bytes.len()
                    && bytes[i + 1].is_ascii_digit()))
        {
            i += 1;
        }
        let number_end = i;
        let mut j = i;
        if j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        let unit_start = j;
        while j < bytes.len() && (bytes[j].is_ascii_alphabetic() || bytes[j] == b'%') {
            j += 1;
            if bytes[j - 1] == b'%' {
                break;
            }
        }
        let unit = &text[unit_start..j];
        let boundary = j >= bytes.len() || !bytes[j].is_ascii_alphanumeric();
        if !unit.is_empty() && boundary && UNITS.contains(&unit.to_ascii_lowercase().as_str()) {
            out.insert(Fact {
                kind: FactKind::NumberWithUnit,
                text: text[start..j].to_string(),
            });
        }
        i = number_end.max(start + 1);
    }
}

fn bare_urls(text: &str, out: &mut BTreeSet<Fact>) {
    for scheme in ["https://", "http://"] {
        let mut from = 0;
        while let Some(pos) = text[from..].find(scheme) {
            let start = from + pos;
            let end = text[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | ']'))
                .map_or(text.len(), |e| start + e);
            let url = text[start..end].trim_end_matches(['.', ',', ';', ':']);
            if url.len() > scheme.len() {
                out.insert(Fact {
                    kind: FactKind::Url,
                    text: url.to_string(),
                });
            }
            from = end.max(start + scheme.len());
        }
    }
}

/// Facts of `before` not found in `after`. A fact counts as present when the same fact
/// is found in any output document, or, for text facts, when its text occurs in one.
pub fn missing(before: &[Doc], after: &[Doc], excused: &BTreeSet<Fact>) -> Vec<Fact> {
    let mut have: BTreeSet<Fact> = BTreeSet::new();
    for d in after {
        have.extend(facts(d));
    }
    let mut lost = Vec::new();
    let mut seen = BTreeSet::new();
    for d in before {
        for f in facts(d) {
            if have.contains(&f) || excused.contains(&f) || !seen.insert(f.clone()) {
                continue;
            }
            let found_as_text =
                f.kind != FactKind::LinkTarget && after.iter().any(|a| a.text.contains(&f.text));
            if !found_as_text {
                lost.push(f);
            }
        }
    }
    lost
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(FactKind, String)> {
        facts(&Doc {
            rel: "SKILL.md",
            text,
        })
        .into_iter()
        .map(|f| (f.kind, f.text))
        .collect()
    }

    #[test]
    fn finds_every_kind() {
        let text = "Run `make test` in under 500 ms.\n\nSee [guide](references/guide.md) and https://example.com/x.\n\n```sh\nmake\n```\n";
        let got = kinds(text);
        assert!(
            got.contains(&(FactKind::InlineCode, "make test".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(FactKind::NumberWithUnit, "500 ms".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(FactKind::LinkTarget, "references/guide.md".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(FactKind::Url, "https://example.com/x".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(FactKind::CodeBlock, "make".into())),
            "{got:?}"
        );
    }

    #[test]
    fn link_targets_survive_a_move_into_references() {
        let before = [Doc {
            rel: "SKILL.md",
            text: "See [a](references/a.md) and [s](scripts/x.py).",
        }];
        let after = [
            Doc {
                rel: "SKILL.md",
                text: "Core.",
            },
            Doc {
                rel: "references/background.md",
                text: "See [a](a.md) and [s](../scripts/x.py).",
            },
        ];
        assert!(missing(&before, &after, &BTreeSet::new()).is_empty());
        let lost_link = [Doc {
            rel: "references/background.md",
            text: "See [a](b.md) and [s](../scripts/x.py).",
        }];
        let lost = missing(&before, &lost_link, &BTreeSet::new());
        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].text, "references/a.md");
    }

    #[test]
    fn variable_and_absolute_links_are_the_same_from_any_folder() {
        for t in ["${CLAUDE_SKILL_DIR}/a.md", "/etc/hosts", "~/x.md"] {
            assert_eq!(resolve("references/b.md", t), resolve("SKILL.md", t));
        }
    }

    #[test]
    fn links_above_the_skill_keep_their_target_when_moved() {
        assert_eq!(resolve("SKILL.md", "../x/notes.md"), "../x/notes.md");
        assert_eq!(
            resolve("references/b.md", "../../x/notes.md"),
            "../x/notes.md"
        );
    }

    #[test]
    fn numbers_need_a_known_unit() {
        let got = kinds("Wait 30s, then 2 minutes; version 1.2.3 and 3 apples; 99.9% uptime.");
        let nums: Vec<&str> = got
            .iter()
            .filter(|(k, _)| *k == FactKind::NumberWithUnit)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(nums, ["2 minutes", "30s", "99.9%"]);
    }
}
