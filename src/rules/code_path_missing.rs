//! A path in inline code that points into the skill (`scripts/fill.py`,
//! `references/api.md`) but names nothing there. Other inline paths may name files the
//! agent is asked to create, so only paths into the skill's own folders count.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::resolve::{self, Layout, Resolved};
use crate::skill::LinkKind;

pub const META: RuleMeta = RuleMeta {
    code: "R002",
    name: "code-path-missing",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "a path in inline code points into the skill but names nothing there",
    options: &[],
};

/// Folders skills conventionally bundle, even when this one has none of them yet.
const SKILL_FOLDERS: &[&str] = &["scripts", "references", "assets"];

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let layout = Layout::new(ctx.skill);
    for source in resolve::sources(ctx.skill) {
        if !source.is_checked() {
            continue;
        }
        let text = source_text(ctx, source.rel);
        for link in source.links.iter().filter(|l| l.kind == LinkKind::CodeSpan) {
            let Some(path) = link.local_path() else {
                continue;
            };
            let path = resolve::strip_line_number(&path);
            if !points_into_skill(&layout, path) || is_placeholder(path) {
                continue;
            }
            if creates_file(text, link.range.start) {
                continue;
            }
            if resolve::existing_target(&layout, source.rel, link).is_some() {
                continue;
            }
            let rel = match resolve::resolve("", path) {
                Resolved::Inside(rel) => rel,
                Resolved::Outside | Resolved::Unknown => continue,
            };
            let mut d = Diagnostic::new(
                &META,
                source.rel,
                link.range.clone(),
                format!("`{path}` is not in the skill"),
            );
            d = match layout.closest(&rel) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None => d.help("add the file to the skill, or fix the path"),
            };
            out.push(d);
        }
    }
}

fn source_text<'a>(ctx: &'a Context, rel: &str) -> &'a str {
    if rel == ctx.skill.manifest {
        return &ctx.skill.text;
    }
    ctx.skill
        .file(rel)
        .and_then(|f| f.text.as_deref())
        .unwrap_or("")
}

/// `scripts/x.py`, `./references/y.md` or `data/z.csv` when the skill has `data/`.
fn points_into_skill(layout: &Layout, path: &str) -> bool {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    let Some((top, rest)) = path.split_once('/') else {
        return false;
    };
    if rest.is_empty() {
        // A folder mention (`references/`): nothing specific is promised.
        return false;
    }
    SKILL_FOLDERS.contains(&top) || layout.is_dir(top)
}

/// Paths that stand for a family of files rather than one: `references/...`,
/// `scripts/NAME.py`, `assets/your-logo.png`, `references/?.md`.
fn is_placeholder(path: &str) -> bool {
    if path.contains("...") || path.contains('?') || path.contains('%') {
        return true;
    }
    path.split('/').any(|part| {
        let stem = part.split('.').next().unwrap_or(part);
        let letters: Vec<char> = stem.chars().filter(|c| c.is_alphabetic()).collect();
        let shouting = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
        let lower = stem.to_lowercase();
        (shouting && !matches!(stem, "SKILL" | "README" | "LICENSE" | "CHANGELOG" | "API"))
            || lower.starts_with("your")
            || lower.starts_with("my-")
            || lower.starts_with("my_")
            || matches!(
                lower.as_str(),
                "foo" | "bar" | "baz" | "xxx" | "example" | "name" | "file" | "filename"
            )
    })
}

/// Whether the line around `at` asks for the file to be made rather than read, gives it
/// as an example, or places it in another skill (`` the `pdf` skill's `scripts/x.py` ``).
fn creates_file(text: &str, at: usize) -> bool {
    let at = at.min(text.len());
    let mut start = at;
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[line_start..line_end].to_lowercase();
    if line.contains("` skill") {
        return true;
    }
    // Words inside code spans (`scripts/example.py`) say nothing about the sentence.
    let prose: String = line
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join(" ");
    const VERBS: &[&str] = &[
        "create", "write", "save", "generate", "output", "produce", "mkdir", "touch", "add ",
        "new file", "will be", "e.g.", "for example", "such as", "scaffold", "place ", "put ",
        "copy", "export", "emit", "store", "example",
    ];
    // A word starting with the verb: `saves` and `output` count, `input` and `restore` not.
    VERBS.iter().any(|v| {
        prose.match_indices(v).any(|(i, _)| {
            !prose[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_paths() {
        for p in ["references/...", "scripts/NAME.py", "assets/your-logo.png", "references/foo.md"] {
            assert!(is_placeholder(p), "{p}");
        }
        for p in ["scripts/fill_form.py", "references/API.md", "references/SKILL.md"] {
            assert!(!is_placeholder(p), "{p}");
        }
    }

    #[test]
    fn creation_context_is_read_from_the_line() {
        let t = "Run `scripts/a.py`.\nSave the result to `scripts/out.json`.\n";
        assert!(!creates_file(t, 5));
        assert!(creates_file(t, t.find("`scripts/out").unwrap()));
        assert!(!creates_file("é`x`", 1));
        assert!(!creates_file("Run `scripts/example.py`.", 4));
        assert!(!creates_file("Run `scripts/x.py` on the input; restore it.", 4));
        assert!(creates_file("- **Example**: `scripts/rotate.py` for PDFs", 16));
        assert!(creates_file("See the `pdf` skill and its `scripts/x.py`.", 30));
    }
}
