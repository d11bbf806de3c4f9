//! A `name` that is not a valid skill name: after NFKC normalisation, 1-64 characters of
//! lowercase letters (any script), digits and single hyphens, not starting or ending with a
//! hyphen. This is what the agentskills reference validator (skills-ref) accepts.

use unicode_normalization::UnicodeNormalization;

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

/// `name` as the reference compares it: trimmed and NFKC-normalised, so `café` typed with
/// a combining accent is the same name as `café` typed precomposed.
pub fn normalized(name: &str) -> String {
    nfkc(name.trim())
}

/// NFKC form of `text`; ASCII text is its own (the common case, and the normaliser is
/// costly).
fn nfkc(text: &str) -> String {
    if text.is_ascii() {
        text.to_string()
    } else {
        text.nfkc().collect()
    }
}

/// A letter that lowercasing changes: uppercase or titlecase, in any script.
fn is_cased_upper(c: char) -> bool {
    c.is_uppercase() || c.to_lowercase().ne(std::iter::once(c))
}

/// Every constraint `name` breaks, in words, checked on its normalised form.
pub fn problems(name: &str) -> Vec<String> {
    let name = normalized(name);
    let mut out = Vec::new();
    let chars = name.chars().count();
    if chars > MAX_CHARS {
        out.push(format!(
            "is {chars} characters long (the limit is {MAX_CHARS})"
        ));
    }
    if name.chars().any(is_cased_upper) {
        out.push("has uppercase letters".to_string());
    }
    let mut other: Vec<String> = Vec::new();
    for c in name.chars() {
        if !(c.is_alphanumeric() || c == '-') {
            let shown = match c {
                ' ' => "spaces".to_string(),
                c if c.is_whitespace() || c.is_control() => format!("`{}`", c.escape_unicode()),
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

/// A valid name made from `text`, if it has any letters or digits: lowercased, with every
/// run of other characters turned into one hyphen, cut to 64 characters at a hyphen.
pub fn slug(text: &str) -> Option<String> {
    let mut s: Vec<char> = Vec::new();
    let lowered: String = nfkc(text).chars().flat_map(char::to_lowercase).collect();
    for c in nfkc(&lowered).chars() {
        if c.is_alphanumeric() && !is_cased_upper(c) {
            s.push(c);
        } else if !s.is_empty() && s.last() != Some(&'-') {
            s.push('-');
        }
    }
    // Cut at a hyphen so the slug stays readable, then trim trailing hyphens.
    if s.len() > MAX_CHARS {
        let cut = s[..=MAX_CHARS]
            .iter()
            .rposition(|&c| c == '-')
            .unwrap_or(MAX_CHARS);
        s.truncate(cut);
    }
    while s.last() == Some(&'-') {
        s.pop();
    }
    let s: String = s.into_iter().collect();
    (!s.is_empty() && problems(&s).is_empty()).then_some(s)
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
        assert_eq!(problems("my name\t"), ["contains spaces"]);
    }

    #[test]
    fn names_in_other_scripts_follow_the_reference() {
        for n in [
            "技能",
            "мой-навык",
            "навык",
            "café",
            "cafe\u{301}",
            "ölçer-2",
        ] {
            assert!(problems(n).is_empty(), "{n}: {:?}", problems(n));
        }
        assert_eq!(problems("НАВЫК"), ["has uppercase letters"]);
        assert_eq!(problems("Ǆemal"), ["has uppercase letters"]);
        // NFKC folds the full-width letters into ASCII before the check.
        assert!(problems("ｐｄｆ").is_empty());
        // The limit counts characters after normalisation: 64 decomposed `é`s are 128
        // code points but 64 characters.
        assert!(problems(&"e\u{301}".repeat(64)).is_empty());
        assert_eq!(
            problems(&"e\u{301}".repeat(65)),
            ["is 65 characters long (the limit is 64)"]
        );
    }

    #[test]
    fn slugs_are_valid() {
        assert_eq!(slug("PDF Tools!").as_deref(), Some("pdf-tools"));
        assert_eq!(slug("--a__b--").as_deref(), Some("a-b"));
        assert_eq!(slug("日本").as_deref(), Some("日本"));
        assert_eq!(slug("НАВЫК").as_deref(), Some("навык"));
        assert_eq!(slug("!!!"), None);
        let long = slug(&"word ".repeat(30)).unwrap();
        assert!(long.len() <= 64 && problems(&long).is_empty(), "{long}");
        let wide = slug(&"слово ".repeat(30)).unwrap();
        assert!(problems(&wide).is_empty(), "{wide}");
    }
}
