//! A top-level frontmatter key the chosen target does not define. Strict loaders reject
//! the skill; others drop the field, so whatever it was meant to do does not happen.

use clap::ValueEnum;

use crate::config::Target;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::key_typo::typo_of;
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "K001",
    name: "key-unknown",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "a frontmatter key is not one the chosen target defines",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    let target = ctx.settings.target;
    let allowed = target.allowed_keys();
    for (i, entry) in fm.entries.iter().enumerate() {
        let key = entry.key.as_str();
        // Repeats are F003's finding, misspellings K002's.
        if allowed.contains(&key)
            || fm.entries[..i].iter().any(|e| e.key == key)
            || typo_of(key).is_some()
        {
            continue;
        }
        let others: Vec<Target> = Target::value_variants()
            .iter()
            .copied()
            .filter(|t| t.allowed_keys().contains(&key))
            .collect();
        let (message, help) = match others.first() {
            Some(other) => (
                format!(
                    "`{key}` is a {} field, not part of {}",
                    product(*other),
                    standard(target)
                ),
                format!(
                    "if the skill is for {}, set target = \"{}\" in skillpress.toml; otherwise move it under `metadata:` as a string, or remove it",
                    product(*other),
                    other.as_str()
                ),
            ),
            None => (
                format!("`{key}` is not a frontmatter key of {}", standard(target)),
                format!(
                    "move custom fields under `metadata:` as string values; target \"{}\" allows: {}",
                    target.as_str(),
                    allowed.join(", ")
                ),
            ),
        };
        out.push(
            Diagnostic::new(
                &META,
                ctx.skill.manifest.clone(),
                entry.key_span.clone(),
                message,
            )
            .help(help),
        );
    }
}

fn product(target: Target) -> &'static str {
    match target {
        Target::Agentskills => "agentskills",
        Target::ClaudeCode => "Claude Code",
        Target::Codex => "Codex",
    }
}

fn standard(target: Target) -> &'static str {
    match target {
        Target::Agentskills => "the agentskills standard",
        Target::ClaudeCode => "Claude Code",
        Target::Codex => "Codex, which reads the agentskills standard's keys",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::skill::Skill;

    fn messages(text: &str, target: Target) -> Vec<String> {
        let skill = Skill::from_parts("demo".into(), "SKILL.md".into(), text.into(), vec![]);
        let settings = Settings {
            target,
            ..Settings::default()
        };
        let mut out = Vec::new();
        check(&Context::new(&skill, &settings), &mut out);
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn names_the_target_that_allows_the_key() {
        let text =
            "---\nname: demo\ndescription: d\nmodel: opus\nauthor: me\ndescripton: typo\n---\n";
        assert_eq!(
            messages(text, Target::Agentskills),
            [
                "`model` is a Claude Code field, not part of the agentskills standard",
                "`author` is not a frontmatter key of the agentskills standard",
            ]
        );
        assert_eq!(
            messages(text, Target::ClaudeCode),
            ["`author` is not a frontmatter key of Claude Code"]
        );
    }
}
