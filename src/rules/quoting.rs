//! How the frontmatter rules quote values: shortened for messages, and as double-quoted
//! YAML for fixes, where a fix is only offered once a strict re-parse proves it reads back
//! as the intended string. Also where findings about the block as a whole point.

use std::ops::Range;

use serde_yaml_ng::Value;

use crate::skill::{Frontmatter, Skill};

/// Longest value quoted in a message, in characters.
const SHOWN_CHARS: usize = 60;

/// `value` in double quotes for a message, cut to about 60 characters and on one line.
pub fn shown(value: &str) -> String {
    let one_line: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= SHOWN_CHARS {
        format!("\"{one_line}\"")
    } else {
        let cut: String = one_line.chars().take(SHOWN_CHARS - 1).collect();
        format!("\"{}…\"", cut.trim_end())
    }
}

/// `value` as a YAML double-quoted scalar on one line.
pub fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What a strict parser makes of `yaml` (a snippet holding one top-level `key: value`),
/// as the value of `key`. `None` when it does not parse or has no such key.
pub fn strict_value(yaml: &str, key: &str) -> Option<Value> {
    match serde_yaml_ng::from_str::<Value>(yaml).ok()? {
        Value::Mapping(m) => m.get(key).cloned(),
        _ => None,
    }
}

/// Whether `key: replacement` reads back strictly as exactly `expected`.
pub fn reads_back_as(key: &str, replacement: &str, expected: &str) -> bool {
    let yaml = format!("{}: {replacement}\n", double_quoted(key));
    matches!(strict_value(&yaml, key), Some(Value::String(s)) if s == expected)
}

/// The opening `---` line of the frontmatter, where findings about the block as a whole
/// point.
pub fn opening_fence(skill: &Skill, fm: &Frontmatter) -> Range<usize> {
    let start = fm.span.start;
    let end = skill.text[start..]
        .find(['\r', '\n'])
        .map_or(skill.text.len(), |i| start + i);
    start..end
}

/// Where a finding about `key` points: its value, or the opening fence when the key is
/// absent from the lines a forgiving loader reads.
pub fn value_range(skill: &Skill, fm: &Frontmatter, key: &str) -> Range<usize> {
    fm.entry(key)
        .map_or_else(|| opening_fence(skill, fm), |e| e.value_span.clone())
}

/// Why `key` has no usable string value, and where to point, or `None` when it has one.
pub fn missing_string(
    skill: &Skill,
    fm: &Frontmatter,
    key: &str,
) -> Option<(Range<usize>, String)> {
    let entry = fm.entry(key);
    Some(match (fm.string(key), entry) {
        (Some(v), _) if !v.trim().is_empty() => return None,
        (Some(v), Some(e)) if !v.is_empty() => {
            (e.key_span.clone(), format!("`{key}` holds only whitespace"))
        }
        (Some(_), Some(e)) => (e.key_span.clone(), format!("`{key}` is empty")),
        (None, Some(e)) => {
            let kind = match fm.mapping().and_then(|m| m.get(key)) {
                Some(Value::Null) | None => "empty",
                Some(Value::Sequence(_)) => "a list, not a string",
                Some(Value::Mapping(_)) => "a mapping, not a string",
                Some(_) => "not a string",
            };
            (e.key_span.clone(), format!("`{key}` is {kind}"))
        }
        (_, None) => (
            opening_fence(skill, fm),
            format!("the frontmatter has no `{key}`"),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_quoted_reads_back() {
        for value in [
            "plain",
            "Use when: things",
            "a \"quoted\" \\ path C:\\x",
            "two\nlines",
            "tab\there",
            "# not a comment",
            "bell\u{7}",
        ] {
            assert!(
                reads_back_as("description", &double_quoted(value), value),
                "{value:?}"
            );
        }
    }

    #[test]
    fn shown_cuts_long_values() {
        assert_eq!(shown("short"), "\"short\"");
        let long = "x".repeat(100);
        let s = shown(&long);
        assert!(s.chars().count() < 70, "{s}");
        assert!(s.ends_with("…\""));
        assert_eq!(shown("a\nb"), "\"a b\"");
    }
}
