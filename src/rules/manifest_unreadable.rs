//! A `SKILL.md` that is not UTF-8 text, holds NUL bytes or is over the size limit. The
//! loader reports it (there is no parsed skill to check); this entry gives it a code,
//! a severity and a document.

use crate::diagnostic::Severity;
use crate::rules::{FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "F006",
    name: "manifest-unreadable",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "SKILL.md is not UTF-8 text, is binary, or is too large to read",
    options: &[],
};
