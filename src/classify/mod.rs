//! Classification: every body block gets one label of the SkillReducer taxonomy (core
//! rule, background, example, template, redundant) and the reason that decided it.
//! Deterministic and offline; when the signals disagree or are absent the label is core
//! rule, because a rule wrongly deferred breaks the agent while background wrongly kept
//! only costs tokens.

mod redundancy;
mod section;
mod signals;

use std::ops::Range;

use serde::Serialize;

use crate::skill::{Block, BlockKind, Markdown, Skill};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    CoreRule,
    Background,
    Example,
    Template,
    Redundant,
}

impl Label {
    pub const ALL: [Label; 5] = [
        Label::CoreRule,
        Label::Background,
        Label::Example,
        Label::Template,
        Label::Redundant,
    ];

    /// The name used in output and in the labelled data (`core_rule`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Label::CoreRule => "core_rule",
            Label::Background => "background",
            Label::Example => "example",
            Label::Template => "template",
            Label::Redundant => "redundant",
        }
    }

    pub fn parse(s: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// Content that `reduce` may move out of the body into an on-demand file.
    pub fn is_deferrable(self) -> bool {
        self != Label::CoreRule
    }
}

/// The label of one body block and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classified {
    /// Index into `Markdown::blocks`.
    pub block: usize,
    /// Byte range in the file.
    pub range: Range<usize>,
    pub label: Label,
    pub reason: &'static str,
    /// For a repeat: the index of the earlier block it repeats, if it repeats a block
    /// (and not the description).
    pub repeats: Option<usize>,
}

/// Classifies the body of a `SKILL.md`; repeats of the description count as redundant.
pub fn classify(skill: &Skill) -> Vec<Classified> {
    let description = skill.description();
    classify_markdown(&skill.text, &skill.body, description.as_deref())
}

/// Classifies the blocks of any markdown text (a body or a reference file). `md` must have
/// been scanned from `text`; `description`, when given, is the text repeats are checked
/// against besides earlier blocks.
pub fn classify_markdown(text: &str, md: &Markdown, description: Option<&str>) -> Vec<Classified> {
    let headings: Vec<&str> = md
        .blocks
        .iter()
        .filter_map(|b| b.title.as_deref())
        .collect();
    let labelled: Vec<usize> = (0..md.blocks.len())
        .filter(|&i| is_labelled(&md.blocks[i]))
        .collect();
    let mut repeats = redundancy::Repeats::new(description);
    let mut out: Vec<Classified> = Vec::with_capacity(labelled.len());
    for (n, &i) in labelled.iter().enumerate() {
        let block = &md.blocks[i];
        let body = &text[block.range.clone()];
        let (label, reason, repeats_block) = if let Some(r) = redundancy::toc_entry(block, body, &headings) {
            (Label::Redundant, r, None)
        } else if let Some((r, earlier)) = repeats.check(i, block, body) {
            (Label::Redundant, r, earlier)
        } else {
            let prev = n.checked_sub(1).map(|p| labelled[p]).filter(|&p| p + 1 == i);
            let lead_in = prev.map(|p| &text[md.blocks[p].range.clone()]);
            let (l, r) = signals::decide(block, body, lead_in);
            (l, r, None)
        };
        out.push(Classified {
            block: i,
            range: block.range.clone(),
            label,
            reason,
            repeats: repeats_block,
        });
    }
    signals::follow_lead_ins(text, md, &mut out);
    out
}

/// Headings and thematic breaks structure the body; they carry no label of their own.
pub fn is_labelled(block: &Block) -> bool {
    !matches!(block.kind, BlockKind::Heading { .. } | BlockKind::Rule)
}

/// Tokens of a block's text with the o200k encoding.
pub fn block_tokens(text: &str) -> usize {
    tiktoken_rs::o200k_base_singleton()
        .encode_ordinary(text)
        .len()
}

/// Token count per label over `classified` blocks of `text`, in `Label::ALL` order.
pub fn label_tokens(text: &str, classified: &[Classified]) -> [usize; 5] {
    let mut out = [0; 5];
    for c in classified {
        out[c.label as usize] += block_tokens(&text[c.range.clone()]);
    }
    out
}
