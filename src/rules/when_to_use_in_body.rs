//! A "When to use" section in the body. Agents read only the name and description before
//! a skill triggers; by the time the body is read the decision is made, so the section
//! costs tokens on every use and routes nothing.

use crate::classify::{heading_section, Section};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::BlockKind;

pub const META: RuleMeta = RuleMeta {
    code: "B002",
    name: "when-to-use-in-body",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "the body has a \"When to use\" section, which only the description can do the job of",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for b in &ctx.skill.body.blocks {
        let BlockKind::Heading { .. } = b.kind else {
            continue;
        };
        let Some(title) = b.title.as_deref() else {
            continue;
        };
        if heading_section(title) != Some(Section::WhenToUse)
            || names_other_triggers(title)
            || is_when_not_to_use(title)
        {
            continue;
        }
        out.push(
            Diagnostic::new(
                &META,
                ctx.skill.manifest.clone(),
                b.range.clone(),
                format!("section `{title}` in the body is read only after the skill has triggered"),
            )
            .help("move the trigger conditions into the description (\"Use when ...\") and delete the section"),
        );
    }
}

/// "Delegation Triggers", "Webhook triggers", "CI triggers": the triggers of something
/// else (when to hand off, what fires a pipeline), which the agent needs after the skill
/// has triggered. "Triggers", "Trigger conditions" and "Skill triggers" are the skill's.
fn names_other_triggers(title: &str) -> bool {
    let t = title.to_lowercase();
    let Some(at) = t.find("trigger") else {
        return false;
    };
    let before = t[..at].trim_matches(|c: char| !c.is_alphanumeric());
    !(before.is_empty()
        || t.contains("when")
        || before.ends_with("skill")
        || before.ends_with("activation"))
}

/// "Do not use this skill when", "When not to use": limits the agent applies after
/// triggering (the classifier keeps them as core rules), not trigger conditions.
fn is_when_not_to_use(title: &str) -> bool {
    let t = title.to_lowercase().replace('’', "'");
    ["do not use", "don't use", "when not to", "not for"]
        .iter()
        .any(|w| t.contains(w))
}

#[cfg(test)]
mod tests {
    use super::{is_when_not_to_use, names_other_triggers};

    #[test]
    fn limits_are_not_triggers() {
        assert!(is_when_not_to_use("Do not use this skill when"));
        assert!(is_when_not_to_use("When NOT to use"));
        assert!(!is_when_not_to_use("When to use"));
    }

    #[test]
    fn triggers_of_other_things_are_not_the_skills() {
        for t in ["Delegation Triggers", "Webhook triggers", "CI Triggers"] {
            assert!(names_other_triggers(t), "{t}");
        }
        for t in [
            "Triggers",
            "Trigger conditions",
            "Skill Triggers",
            "When to use",
            "## Triggers",
        ] {
            assert!(!names_other_triggers(t), "{t}");
        }
    }
}
