//! A `metadata` field that is not a mapping of string keys to string values, as the
//! agentskills spec requires. Loaders that type-check it drop or reject the skill; a
//! `version: 1.0` there is a number, not the string `"1.0"`.

use std::ops::Range;

use serde_yaml_ng::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::Entry;

pub const META: RuleMeta = RuleMeta {
    code: "K004",
    name: "metadata-not-strings",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "`metadata` is not a mapping of string keys to string values",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    // Without a strict parse there is no typed value to check; F003 reports why.
    let Some(metadata) = fm.mapping().and_then(|m| m.get("metadata")) else {
        return;
    };
    let Some(entry) = fm.entry("metadata") else {
        return;
    };
    let text = &ctx.skill.text;
    let (range, message, help) = match metadata {
        Value::Mapping(m) => {
            let bad = m.iter().find_map(|(k, v)| match (k, v) {
                (Value::String(_), Value::String(_)) => None,
                (Value::String(k), v) => Some((k.clone(), Some(v))),
                (k, _) => Some((scalar_text(k), None)),
            });
            let Some((key, value)) = bad else {
                return;
            };
            let (message, help) = match value {
                Some(v @ (Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_))) => (
                    format!("`metadata.{key}` is {}, not a string", kind(v)),
                    "the spec allows only string values under `metadata`: flatten it into one string (e.g. comma-separated), or move it out of the frontmatter".to_string(),
                ),
                Some(Value::Null) => (
                    format!("`metadata.{key}` is empty, not a string"),
                    format!("give it a string value, e.g. `{key}: \"…\"`, or remove it"),
                ),
                Some(v) => (
                    format!("`metadata.{key}` is {}, not a string", kind(v)),
                    format!("quote the value, e.g. `{key}: \"{}\"`", scalar_text(v)),
                ),
                None => (
                    format!("the metadata key `{key}` is not a string"),
                    format!("quote the key, e.g. `\"{key}\": …`"),
                ),
            };
            (nested_key(text, entry, &key), message, help)
        }
        other => (
            entry.key_span.clone(),
            format!("`metadata` is {}, not a mapping", kind(other)),
            "write `metadata:` followed by indented `key: \"value\"` lines".to_string(),
        ),
    };
    out.push(Diagnostic::new(&META, ctx.skill.manifest.clone(), range, message).help(help));
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => kind(other).to_string(),
    }
}

/// The span of `key` on its indented line under `metadata:`, or the `metadata` key.
fn nested_key(text: &str, entry: &Entry, key: &str) -> Range<usize> {
    let mut offset = entry.line_span.start;
    for line in text[entry.line_span.clone()].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let bare = trimmed.trim_start_matches(['"', '\'']);
        if indent > 0 && bare.starts_with(key) {
            let start = offset + indent + (trimmed.len() - bare.len());
            return start..start + key.len();
        }
        offset += line.len();
    }
    entry.key_span.clone()
}
