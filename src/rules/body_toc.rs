//! A table of contents in a `SKILL.md` body. The agent receives the whole body at once;
//! a list of its own sections adds tokens and no instruction. (Long reference files, read
//! in parts, are where a table of contents helps.)

use crate::classify::Repeat;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "B004",
    name: "body-toc",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "the SKILL.md body has a table of contents listing its own sections",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // One finding per run of consecutive entries.
    let mut run: Option<(std::ops::Range<usize>, usize, usize)> = None; // range, last block, entries
    let flush = |run: &mut Option<(std::ops::Range<usize>, usize, usize)>,
                 out: &mut Vec<Diagnostic>| {
        if let Some((range, _, n)) = run.take() {
            out.push(
                Diagnostic::new(
                    &META,
                    ctx.skill.manifest.clone(),
                    range,
                    format!("table of contents of {n} entries listing the body's own sections"),
                )
                .help("delete it: the agent reads the whole body at once"),
            );
        }
    };
    for c in ctx.classified() {
        if c.repeats != Some(Repeat::Contents) {
            continue;
        }
        match &mut run {
            Some((range, last, n)) if c.block == *last + 1 => {
                range.end = c.range.end;
                *last = c.block;
                *n += 1;
            }
            _ => {
                flush(&mut run, out);
                run = Some((c.range.clone(), c.block, 1));
            }
        }
    }
    flush(&mut run, out);
}
