//! A markdown link or image in `SKILL.md` or a reference document that points at a file
//! the skill does not have. The agent follows it and finds nothing.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::resolve::{self, Layout, Resolved};

pub const META: RuleMeta = RuleMeta {
    code: "R001",
    name: "link-broken",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "a markdown link points at a file the skill does not have",
    options: &[],
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let layout = Layout::new(ctx.skill);
    for source in resolve::sources(ctx.skill) {
        if !source.is_checked() {
            continue;
        }
        for link in source.links.iter().filter(|l| resolve::is_markdown_link(l)) {
            let Some(path) = link.local_path() else {
                continue;
            };
            // Links that leave the folder are R003's; variables and e-mail addresses
            // cannot be checked.
            let Resolved::Inside(rel) = resolve::resolve(source.rel, &path) else {
                continue;
            };
            if layout.exists(&rel) {
                continue;
            }
            let mut d = Diagnostic::new(
                &META,
                source.rel,
                link.range.clone(),
                format!("link to `{path}`, which is not in the skill"),
            );
            let from_dir = resolve::parent(source.rel);
            let from_root = match resolve::resolve("", &path) {
                Resolved::Inside(r) if !from_dir.is_empty() && layout.exists(&r) => Some(r),
                _ => None,
            };
            if let Some(root_rel) = from_root {
                d = d.help(format!(
                    "links resolve from the folder of the file that holds them (`{from_dir}/`); \
                     to reach `{root_rel}` write `{}`",
                    resolve::relative_to(from_dir, &root_rel)
                ));
            } else if let Some(near) = layout.closest(&rel) {
                d = d.help(format!(
                    "did you mean `{}`?",
                    resolve::relative_to(from_dir, near)
                ));
            } else {
                d = d.help("add the file to the skill, or fix or remove the link");
            }
            out.push(d);
        }
    }
}
