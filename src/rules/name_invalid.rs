//! A `name` that is not a valid skill slug: 1-64 characters of lowercase ASCII letters,
//! digits and single hyphens, not starting or ending with a hyphen (agentskills.io spec).

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::quoting::shown;
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "N002",
    name: "name-invalid",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`name` is not 1-64 lowercase letters, digits and single hyphens",
    options: &[],
};

pub const MAX_CHARS: usize = 64;

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    let Some(name) = fm.string("name") else {
        return;
    };
    // An empty name is N001's finding.
    if name.trim().is_empty() {
        return;
    }
    let problems = problems(&name);
    if problems.is_empty() {
        return;
    }
    let range = fm
        .entry("name")
        .map_or(fm.span.start..fm.span.start + 3, |e| {
            if e.value_span.is_empty() {
                e.key_span.clone()
            } else {
                e.value_span.clone()
            }
        });
    let suggestion = slug(&name).or_else(|| slug(&ctx.skill.folder_name()));
    let help = match suggestion {
        Some(s) => format!("use a slug such as `name: {s}`, and name the folder the same"),
        None => "use lowercase letters, digits and single hyphens, like `pdf-tools`".to_string(),
    };
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            range,
            format!("`name` {} {}", shown(&name), problems.join("; ")),
        )
        .help(help),
    );
}

/// Every constraint `name` breaks, in words.
pub fn problems(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars = name.chars().count();
    if chars > MAX_CHARS {
        out.push(format!(
            "is {chars} characters long (the limit is {MAX_CHARS})"
        ));
    }
    if name.chars().any(|c| c.is_uppercase()) {
        out.push("has uppercase letters".to_string());
    }
    let mut other: Vec<String> = Vec::new();
    for c in name.chars() {
        if !(c.is_ascii_alphanumeric() || c == '-' || c.is_uppercase()) {
            let shown = match c {
                ' ' => "spaces".to_string(),
                c => format!("`{c}`"),
            };
            if !other.contains(&shown) {
                other.push(shown);
            }
        }
    }
    if !other.is_empty() {
        out.push(format!("contains {}", other.join(", ")));
    }
    if name.starts_with('-') || name.ends_with('-') {
        out.push("starts or ends with a hyphen".to_string());
    }
    if name.contains("--") {
        out.push("has consecutive hyphens".to_string());
    }
    out
}

/// A valid slug made from `text`, if it has any letters or digits.
pub fn slug(text: &str) -> Option<String> {
    let mut s = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    // Cut at a hyphen so the slug stays readable, then trim trailing hyphens.
    if s.len() > MAX_CHARS {
        let cut = s[..=MAX_CHARS].rfind('-').unwrap_or(MAX_CHARS);
        s.truncate(cut);
    }
    let s = s.trim_end_matches('-').to_string();
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names_pass() {
        for n in ["pdf", "pdf-tools", "a1-b2", &"x".repeat(64)] {
            assert!(problems(n).is_empty(), "{n}");
        }
    }

    #[test]
    fn each_constraint_is_named() {
        assert_eq!(
            problems("PDF Tools"),
            ["has uppercase letters", "contains spaces"]
        );
        assert_eq!(problems("pdf_tools"), ["contains `_`"]);
        assert_eq!(problems("-pdf"), ["starts or ends with a hyphen"]);
        assert_eq!(problems("pdf--tools"), ["has consecutive hyphens"]);
        assert_eq!(
            problems(&"x".repeat(65)),
            ["is 65 characters long (the limit is 64)"]
        );
        assert_eq!(problems("café"), ["contains `é`"]);
    }

    #[test]
    fn slugs_are_valid() {
        assert_eq!(slug("PDF Tools!").as_deref(), Some("pdf-tools"));
        assert_eq!(slug("--a__b--").as_deref(), Some("a-b"));
        assert_eq!(slug("日本"), None);
        let long = slug(&"word ".repeat(30)).unwrap();
        assert!(long.len() <= 64 && problems(&long).is_empty(), "{long}");
    }
}
