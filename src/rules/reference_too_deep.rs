//! A reference document reachable from `SKILL.md` only through another reference. Agents
//! read references on demand and often preview nested ones only partly, so a file two
//! hops away may never be read whole.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::resolve;
use crate::skill::FileKind;

pub const META: RuleMeta = RuleMeta {
    code: "R004",
    name: "reference-too-deep",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "a reference is reachable from SKILL.md only through another reference",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let depths = resolve::link_depths(ctx.skill);
    for file in &ctx.skill.files {
        if file.kind != FileKind::Reference || !file.is_markdown() {
            continue;
        }
        let Some((depth, Some(step))) = depths.get(&file.rel) else {
            continue;
        };
        if *depth < 2 {
            continue;
        }
        let mut chain = vec![file.rel.as_str()];
        let mut at = step.from.as_str();
        loop {
            chain.push(at);
            match depths.get(at) {
                Some((_, Some(prev))) => at = prev.from.as_str(),
                _ => break,
            }
        }
        chain.reverse();
        out.push(
            Diagnostic::new(
                &META,
                step.from.clone(),
                step.range.clone(),
                format!(
                    "`{}` is {depth} links deep: {}",
                    file.rel,
                    chain.join(" → ")
                ),
            )
            .help(format!(
                "link `{}` from SKILL.md directly, saying when to read it, so an agent finds it in one step",
                file.rel
            )),
        );
    }
}
