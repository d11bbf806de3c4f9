//! Angle-bracket tags such as `<example>` in a description. Descriptions are pasted into
//! the agent's system prompt, where tags are read as prompt structure, and Anthropic's
//! API rejects skills whose description holds them.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::quoting::shown;
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "D004",
    name: "description-xml-tags",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "`description` contains XML tags such as `<example>`",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    let Some(description) = fm.string("description") else {
        return;
    };
    let Some(tag) = find_tag(&description) else {
        return;
    };
    let tag_text = &description[tag];
    let range = fm
        .entry("description")
        .map_or(fm.span.start..fm.span.start + 3, |e| {
            // Point at the tag itself where the raw text holds it as written.
            match ctx.skill.text[e.value_span.clone()].find(tag_text) {
                Some(i) => e.value_span.start + i..e.value_span.start + i + tag_text.len(),
                None => e.value_span.clone(),
            }
        });
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            range,
            format!("`description` contains the XML tag {}", shown(tag_text)),
        )
        .help("describe in plain words; write placeholders without angle brackets (e.g. FILE instead of <file>)"),
    );
}

/// The first XML-like tag in `text`: `<name>`, `</name>`, `<name/>` or `<name attr="…">`.
/// A `<` right after a letter or digit (`Vec<String>`) is a generic, not a tag.
pub fn find_tag(text: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    for (start, _) in text.match_indices('<') {
        if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let mut i = start + 1;
        if bytes.get(i) == Some(&b'/') {
            i += 1;
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':' | b'.'))
        {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'>') => return Some(start..i + 1),
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') => return Some(start..i + 2),
            Some(b' ') => {
                // Attributes: up to the next `>` on the same stretch, holding an `=`.
                let rest = &text[i..];
                if let Some(end) = rest.find(['>', '<', '\n']) {
                    if rest.as_bytes()[end] == b'>' && rest[..end].contains('=') {
                        return Some(start..i + end + 1);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> Option<&str> {
        find_tag(s).map(|r| &s[r])
    }

    #[test]
    fn finds_tags() {
        assert_eq!(tag("Use <example>x</example>"), Some("<example>"));
        assert_eq!(tag("close </b> it"), Some("</b>"));
        assert_eq!(tag("self <br/> closing"), Some("<br/>"));
        assert_eq!(tag("with <a href=\"x\"> attrs"), Some("<a href=\"x\">"));
    }

    #[test]
    fn ignores_comparisons_and_generics() {
        assert_eq!(tag("if a < b and c > d"), None);
        assert_eq!(tag("returns Vec<String> values"), None);
        assert_eq!(tag("arrows -> and <= and <3"), None);
        assert_eq!(tag("x <y and z> w"), None);
    }
}
