//! An `allowed-tools` value that is neither a string nor a list of strings, the two forms
//! the agentskills reference validator accepts (`Bash(git:*) Read` or `[Read, Bash]`).
//! A number or a nested mapping there is rejected by the reference and read as nothing by
//! agents that split the string.

use serde_yaml_ng::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "K006",
    name: "allowed-tools-invalid",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`allowed-tools` is not a string or a list of strings",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    // Without a strict parse there is no typed value to check; F003 reports why.
    let Some(value) = fm.mapping().and_then(|m| m.get("allowed-tools")) else {
        return;
    };
    let (message, help) = match value {
        Value::String(_) => return,
        Value::Sequence(items) => {
            let Some((i, item)) = items
                .iter()
                .enumerate()
                .find(|(_, v)| !matches!(v, Value::String(_)))
            else {
                return;
            };
            (
                format!(
                    "item {} of `allowed-tools` is {}, not a string",
                    i + 1,
                    kind(item)
                ),
                "write every tool as a string, quoting it if YAML would read it as something else (`- \"123\"`)",
            )
        }
        other => (
            format!(
                "`allowed-tools` is {}, not a string or a list of strings",
                kind(other)
            ),
            "list the tools as a string (`allowed-tools: Read Bash(git:*)`) or a list of strings",
        ),
    };
    let range = crate::rules::quoting::value_range(ctx.skill, fm, "allowed-tools");
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
