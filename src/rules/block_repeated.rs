//! A block that repeats an earlier block or the description. The body is injected whole;
//! saying a thing twice costs its tokens twice and tells the agent nothing new.

use crate::classify::Repeat;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "B003",
    name: "block-repeated",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "a body block repeats an earlier block or the description",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // Paraphrases the model judges redundant are for reduce to weigh; a warning needs the
    // certainty of a word-for-word repeat, which the exact checks alone decide.
    for r in ctx.exact_repeats() {
        let message = match r.repeat {
            Repeat::Block(earlier) => {
                let b = &ctx.skill.body.blocks[earlier];
                // The message names the line so a reader can compare the two copies.
                let line = ctx.skill.text[..b.range.start].matches('\n').count() + 1;
                match b.heading_path.last() {
                    Some(h) => format!("this block repeats line {line} (under `{h}`)"),
                    None => format!("this block repeats line {line}"),
                }
            }
            Repeat::Description => "this block repeats the description".to_string(),
            Repeat::Contents => continue,
        };
        out.push(
            Diagnostic::new(&META, ctx.skill.manifest.clone(), r.range.clone(), message)
                .help("keep one copy; if the repeat is for emphasis, a short reference to the first one is enough"),
        );
    }
}
