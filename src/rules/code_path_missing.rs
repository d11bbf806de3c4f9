//! A path in inline code that points into the skill (`scripts/fill.py`,
//! `references/api.md`) but names nothing there. Other inline paths may name files the
//! agent is asked to create, so only paths into the skill's own folders count. Paths shown
//! as what not to do ("don't", "avoid", ✗/❌) or as illustrations ("✓ Good:") are not
//! promises that the file exists.

use std::ops::Range;

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
            if names_other_file(text, link.range.clone())
                || in_illustration(text, link.range.clone())
            {
                continue;
            }
            if resolve::existing_target(&layout, source.rel, link).is_some() {
                continue;
            }
            let rel = match resolve::resolve("", path) {
                Resolved::Inside(rel) => rel,
                Resolved::Outside | Resolved::Unknown => continue,
            };
            // Agents read a path in code from the skill's folder, wherever it is written.
            if layout.exists(&rel) {
                continue;
            }
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
    if path.contains("...") || path.contains("path/to/") || path.contains(['?', '%']) {
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

/// Whether the sentence around the code span at `span` names a file the agent is to
/// make (`save the report to `out/r.md``), gives it as a sample (`e.g. `scripts/x.py``),
/// or places it in another skill (`` the `pdf` skill's `scripts/x.py` ``).
fn names_other_file(text: &str, span: Range<usize>) -> bool {
    let (Some(before), Some(after)) = (text.get(..span.start), text.get(span.end..)) else {
        return false;
    };
    let before = prose(&before[before.rfind('\n').map_or(0, |i| i + 1)..]);
    let after = prose(&after[..after.find('\n').unwrap_or(after.len())]);
    if after.starts_with(" skill") || before.contains("` skill") {
        return true;
    }
    const SAMPLE: &[&str] = &[
        "e.g.",
        "for example",
        "example:",
        "examples:",
        "example**",
        "examples**",
        "such as",
    ];
    if SAMPLE.iter().any(|w| before.contains(w)) {
        return true;
    }
    // Only the clause that leads to the path: `to generate charts, run `x`` reads `x`.
    let clause_start = before
        .rfind([',', ';', ':', '!', '?'])
        .max(before.rfind(". "))
        .map_or(0, |i| i + 1);
    let clause = &before[clause_start..];
    const MAKE: &[&str] = &[
        "create", "write", "writing", "save", "generate", "output", "produce", "mkdir", "touch",
        "scaffold", "export", "emit", "store", "place", "put",
    ];
    let after_clause = &after[..after.find([',', ';', '.', '!', '?']).unwrap_or(after.len())];
    const MADE: &[&str] = &[
        "will be",
        "would be",
        "could be",
        "is created",
        "is generated",
        "is written",
        "gets created",
    ];
    MAKE.iter().any(|w| starts_word(clause, w)) || MADE.iter().any(|w| after_clause.contains(w))
}

/// Words that mark what follows as a thing not to do. Checked in the clause that leads to
/// the path, so "Do not use `fill`. Use `scripts/h.js`" still reads `scripts/h.js`.
const DONT: &[&str] = &[
    "don't",
    "don\u{2019}t",
    "dont ",
    "do not",
    "avoid",
    "never",
    "instead of",
    "rather than",
    "not like",
    "bad:",
    "bad example",
    "wrong:",
    "incorrect:",
];

/// Marks of an illustrated pair (`✓ Good: ...`, `✗ Bad: ...`): the paths there show a
/// form, they do not name the skill's files.
const MARKS: &[char] = &['✗', '✘', '❌', '✓', '✔', '✅', '🚫', '⛔', '👎', '👍'];

/// Labels that, at the head of a line or of a lead-in, introduce an illustration.
const LABELS: &[&str] = &[
    "good:",
    "bad:",
    "avoid:",
    "wrong:",
    "right:",
    "correct:",
    "incorrect:",
    "don't:",
    "do:",
];

/// Whether the code span at `span` is part of an example of what not to do, or of a
/// good/bad illustration: judged on its own clause, the head of its line, the lead-in line
/// just above (`**✗ Avoid:**`) and its section heading.
fn in_illustration(text: &str, span: Range<usize>) -> bool {
    let Some(before) = text.get(..span.start) else {
        return false;
    };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let head = prose(&before[line_start..]);
    let clause_start = head
        .rfind(['.', ',', ';', '!', '?', '\u{2014}'])
        .map_or(0, |i| i + 1);
    let clause = head.get(clause_start..).unwrap_or("");
    if DONT.iter().any(|w| clause.contains(w)) || is_label(&head) {
        return true;
    }
    // The lines above, nearest first: a lead-in ending in `:` that is a label, or the
    // section's heading.
    let mut lead_in_seen = false;
    for line in before[..line_start].lines().rev().take(12) {
        let l = prose(line.trim());
        if l.is_empty() {
            continue;
        }
        if l.starts_with('#') {
            return is_counter_heading(&l);
        }
        if !lead_in_seen {
            lead_in_seen = true;
            let bare = l.trim_end_matches('*').trim_end();
            if bare.ends_with(':') && is_label(&l) {
                return true;
            }
        }
    }
    false
}

/// A heading that opens a section of what not to do: `## ❌ Wrong`, `### Don't`,
/// `## Anti-patterns`. Words must lead the title, so `## Steps (do not reorder)` is not.
fn is_counter_heading(heading: &str) -> bool {
    const NEGATIVE: &[char] = &['✗', '✘', '❌', '🚫', '⛔', '👎'];
    let title = heading.trim_start_matches(|c: char| c == '#' || c.is_whitespace() || c == '*');
    title.contains(NEGATIVE)
        || [
            "don't",
            "do not",
            "avoid",
            "bad",
            "wrong",
            "anti-pattern",
            "antipattern",
        ]
        .iter()
        .any(|w| title.starts_with(w))
}

/// Whether `line` (lower case) starts, after list bullets and emphasis, with an
/// illustration mark or label.
fn is_label(line: &str) -> bool {
    let l =
        line.trim_start_matches(|c: char| c.is_whitespace() || "-*+>_#0123456789.)".contains(c));
    l.starts_with(MARKS) || LABELS.iter().any(|w| l.starts_with(w))
}

/// The line in lower case, with code spans dropped: words in `scripts/example.py` say
/// nothing about the sentence.
fn prose(line: &str) -> String {
    line.to_lowercase()
        .split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 0 { part } else { "`" })
        .collect()
}

/// Whether a word of `text` starts with `prefix`: `saves` and `output` count for `save`
/// and `output`, `input` does not count for `put`.
fn starts_word(text: &str, prefix: &str) -> bool {
    text.match_indices(prefix).any(|(i, _)| {
        !text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_paths() {
        for p in [
            "references/...",
            "scripts/NAME.py",
            "assets/your-logo.png",
            "references/foo.md",
            "scripts/path/to/x.py",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for p in [
            "scripts/fill_form.py",
            "references/API.md",
            "references/SKILL.md",
        ] {
            assert!(!is_placeholder(p), "{p}");
        }
    }

    fn other(line: &str, path: &str) -> bool {
        let start = line.find(&format!("`{path}`")).unwrap();
        names_other_file(line, start..start + path.len() + 2)
    }

    #[test]
    fn files_to_make_and_samples_are_not_the_skills() {
        assert!(other(
            "Save the result to `scripts/out.json`.",
            "scripts/out.json"
        ));
        assert!(other(
            "- **Example**: `scripts/rotate.py` for PDFs",
            "scripts/rotate.py"
        ));
        assert!(other(
            "See the `pdf` skill and its `scripts/x.py`.",
            "scripts/x.py"
        ));
        assert!(other("`assets/r.md` will be created", "assets/r.md"));
        assert!(other(
            "A `scripts/r.py` script would be helpful",
            "scripts/r.py"
        ));
        assert!(!other("Run `scripts/example.py`.", "scripts/example.py"));
        assert!(!other(
            "Run `scripts/x.py` on the input; restore it.",
            "scripts/x.py"
        ));
        assert!(!other(
            "See `references/x.md` for examples.",
            "references/x.md"
        ));
        assert!(!other(
            "To generate charts, run `scripts/c.py`.",
            "scripts/c.py"
        ));
        assert!(!other(
            "It puts text there. Use `f` from `scripts/h.js`",
            "scripts/h.js"
        ));
        assert!(!other(
            "- Build a new circuit → `references/c.md`",
            "references/c.md"
        ));
        assert!(!names_other_file("é`x`", 1..4));
    }

    fn shown(text: &str, path: &str) -> bool {
        let start = text.find(&format!("`{path}`")).unwrap();
        in_illustration(text, start..start + path.len() + 2)
    }

    #[test]
    fn counter_examples_and_illustrations_are_not_the_skills() {
        assert!(shown("✗ Avoid: `scripts\\helper.py`", "scripts\\helper.py"));
        assert!(shown("- ✓ Good: `scripts/helper.py`", "scripts/helper.py"));
        assert!(shown("**✗ Avoid:**\n\n- `scripts/x.py`", "scripts/x.py"));
        assert!(shown(
            "Don't write `scripts/old.py` by hand.",
            "scripts/old.py"
        ));
        assert!(shown("## ❌ Wrong\n\nRun `scripts/a.py`.", "scripts/a.py"));
        assert!(shown(
            "Use forward slashes, not like `references\\a.md`",
            "references\\a.md"
        ));
        assert!(!shown(
            "Do NOT use the `fill` tool. Use the function from `scripts/h.js`.",
            "scripts/h.js"
        ));
        assert!(!shown("Run `scripts/a.py` first.", "scripts/a.py"));
        assert!(!shown(
            "Pitfalls to avoid, see `references/b.md`.",
            "references/b.md"
        ));
        assert!(!shown(
            "## Order (Do Not Reorder)\n\n6. Run `scripts/v.sh`",
            "scripts/v.sh"
        ));
        assert!(shown(
            "### Anti-patterns\n\n- `scripts/all.py`",
            "scripts/all.py"
        ));
        assert!(!shown(
            "## Steps\n\nGood to know:\n\nRun `scripts/a.py`.",
            "scripts/a.py"
        ));
    }

    proptest::proptest! {
        #[test]
        fn any_span_of_any_text_is_judged_without_panic(
            text in "\\PC{0,40}", a in 0usize..60, b in 0usize..60,
        ) {
            let _ = names_other_file(&text, a.min(b)..a.max(b));
            let _ = is_placeholder(&text);
            let _ = in_illustration(&text, a.min(b)..a.max(b));
        }
    }
}
