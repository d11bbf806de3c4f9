//! Splits a body by label: core rules stay in `SKILL.md` under their original headings,
//! in their original order and wording; examples, templates and background move to
//! `references/<label>.md` with the headings that gave them context; exact repeats are
//! dropped. Links in moved blocks are rewritten so they resolve from their new file.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::classify::{Classified, Label};
use crate::skill::markdown::{self, LinkKind};
use crate::skill::resolve;
use crate::skill::{BlockKind, Skill};

/// Heading of the index section reduce writes. A section by that title counts as reduce's
/// own only when every block in it has the form reduce writes (see `is_index_entry`).
pub const INDEX_TITLE: &str = "On-demand references";

/// The header row of the index table reduce writes.
pub const INDEX_HEADER: &str = "| File | Read it when |";

/// Whether `block` is the index table reduce writes.
pub fn is_index_entry(block: &str) -> bool {
    block.trim_start().starts_with(INDEX_HEADER)
}

/// Indexes of the blocks of reduce's own index section (its heading included), if the
/// body has one.
pub fn index_blocks(skill: &Skill) -> Vec<usize> {
    let blocks = &skill.body.blocks;
    let Some(h) = blocks
        .iter()
        .position(|b| b.title.as_deref() == Some(INDEX_TITLE))
    else {
        return Vec::new();
    };
    let BlockKind::Heading { level } = blocks[h].kind else {
        return Vec::new();
    };
    let section: Vec<usize> = (h + 1..blocks.len())
        .take_while(|&i| !matches!(blocks[i].kind, BlockKind::Heading { level: l } if l <= level))
        .collect();
    if section
        .iter()
        .all(|&i| is_index_entry(&skill.text[blocks[i].range.clone()]))
    {
        std::iter::once(h).chain(section).collect()
    } else {
        Vec::new()
    }
}

/// Where one body block went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    Keep,
    Move(&'static str),
    /// An exact repeat of the block with this index, which is kept.
    Drop(usize),
}

/// The file a label's blocks move to.
pub fn target_file(label: Label) -> Option<&'static str> {
    match label {
        Label::CoreRule => None,
        Label::Example => Some("references/examples.md"),
        Label::Template => Some("references/templates.md"),
        Label::Background | Label::Redundant => Some("references/background.md"),
    }
}

/// What two blocks must share to be exact repeats: the bytes for code (where whitespace
/// is content), the words for prose.
pub fn fingerprint(kind: &BlockKind, text: &str) -> String {
    if matches!(kind, BlockKind::Code { .. }) {
        format!("code\u{0}{text}")
    } else {
        normalise(strip_list_marker(text.trim_start()))
    }
}

fn same_content(skill: &Skill, a: usize, b: usize) -> bool {
    let (x, y) = (&skill.body.blocks[a], &skill.body.blocks[b]);
    fingerprint(&x.kind, &skill.text[x.range.clone()])
        == fingerprint(&y.kind, &skill.text[y.range.clone()])
}

/// A list item's text without its `-`, `*`, `+`, `1.` or `1)` marker.
fn strip_list_marker(text: &str) -> &str {
    let digits = text.chars().take_while(|c| c.is_ascii_digit()).count();
    let rest = if digits > 0 {
        text[digits..].strip_prefix(['.', ')'])
    } else {
        text.strip_prefix(['-', '*', '+'])
    };
    match rest {
        Some(r) if r.starts_with([' ', '\t']) => r.trim_start(),
        _ => text,
    }
}

/// The files reduce writes moved blocks to.
pub fn target_file_names() -> [&'static str; 3] {
    [
        "references/examples.md",
        "references/templates.md",
        "references/background.md",
    ]
}

/// Whitespace-normalised text, for exact-repeat comparison.
pub fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub struct Split {
    /// The new body (without frontmatter), index not yet added.
    pub body: String,
    /// New text per moved-to file, in file order.
    pub moved: BTreeMap<&'static str, String>,
    pub fates: Vec<Fate>,
    /// Heading titles of moved blocks per file, for topic words.
    pub topics: BTreeMap<&'static str, Vec<String>>,
}

/// Decides each block's fate from its label, then lets the guards keep what reads as a
/// rule and keep units whole. A body that already carries reduce's index was reduced:
/// every block keeps its place, so reducing a reduced skill changes nothing.
pub fn fates(skill: &Skill, labels: &[Classified]) -> Vec<Fate> {
    let blocks = &skill.body.blocks;
    let mut fates = vec![Fate::Keep; blocks.len()];
    if is_reduced(skill) {
        return fates;
    }
    for c in labels {
        if c.block >= blocks.len() || is_pointer(&skill.text[blocks[c.block].range.clone()]) {
            continue;
        }
        let exact_repeat = match c.repeats {
            Some(crate::classify::Repeat::Block(i)) => {
                Some(i).filter(|&i| i < blocks.len() && same_content(skill, i, c.block))
            }
            _ => None,
        };
        fates[c.block] = match (c.label, exact_repeat) {
            (Label::Redundant, Some(i)) => Fate::Drop(i),
            (label, _) => target_file(label).map_or(Fate::Keep, Fate::Move),
        };
    }
    // A section that names itself background, reference or examples ("Overview",
    // "Resources", "Examples") moves whole: what the labels call a rule there moves too,
    // unless a guard keeps it (a binding word, a verdict, a link to the skill's files)
    // or a step or rule heading sits above it.
    for c in labels {
        if c.block >= blocks.len() || fates[c.block] != Fate::Keep || c.label != Label::CoreRule {
            continue;
        }
        let b = &blocks[c.block];
        if matches!(b.kind, BlockKind::Heading { .. })
            || super::guard::under_rule_heading(&b.heading_path)
            || is_pointer(&skill.text[b.range.clone()])
        {
            continue;
        }
        let file = match super::guard::section_head(&b.heading_path) {
            super::guard::Head::Example => "references/examples.md",
            super::guard::Head::Background => "references/background.md",
            _ => continue,
        };
        let lead_in = c
            .block
            .checked_sub(1)
            .filter(|&p| blocks[p].kind == BlockKind::Paragraph)
            .map(|p| &skill.text[blocks[p].range.clone()]);
        if super::guard::must_stay(b, &skill.text[b.range.clone()], Label::Background, lead_in)
            .is_none()
        {
            fates[c.block] = Fate::Move(file);
        }
    }
    let labelled: Vec<(usize, Label)> = labels
        .iter()
        .filter(|c| c.block < blocks.len())
        .map(|c| (c.block, c.label))
        .collect();
    super::guard::guard(skill, &labelled, &mut fates);
    // A "When to use" section only helps before the skill is chosen, and only the
    // description is read then (its conditions go into the description's trigger
    // clause): it moves whole, whatever its blocks' labels. Left in the body it would
    // also repeat the rewritten description word for word.
    // What binds the agent stays even there ("**Do not use** on a known ransomware
    // sample; verify network isolation first"), with its whole list and its lead-in.
    let when = when_to_use_blocks(skill);
    let stay = binding_in(skill, &when);
    for i in when {
        fates[i] = if stay.contains(&i) {
            Fate::Keep
        } else {
            Fate::Move("references/background.md")
        };
    }
    // A repeat of a dropped block points at what that one repeats, so the kept twin is
    // always found.
    for i in 0..fates.len() {
        if let Fate::Drop(mut j) = fates[i] {
            let mut hops = 0;
            while let Fate::Drop(k) = fates[j] {
                if k == j || hops > fates.len() {
                    break;
                }
                j = k;
                hops += 1;
            }
            fates[i] = Fate::Drop(j);
        }
    }
    // A section of nothing but repeats keeps them: dropping them all would leave its
    // heading empty.
    for (i, b) in blocks.iter().enumerate() {
        if let BlockKind::Heading { level } = b.kind {
            let section = section_of(blocks, i, level);
            // A thematic break (`---`) is no content of its own.
            let content: Vec<usize> = section
                .clone()
                .filter(|&j| !matches!(blocks[j].kind, BlockKind::Heading { .. } | BlockKind::Rule))
                .collect();
            if !content.is_empty() && content.iter().all(|&j| matches!(fates[j], Fate::Drop(_))) {
                for j in content {
                    fates[j] = Fate::Keep;
                }
            }
        }
    }
    paragraphs_move_with_sections(skill, &mut fates);
    breaks_follow_sections(skill, &mut fates);
    keep_short_sections(skill, &mut fates);
    fates
}

/// The blocks of `when` (a "When to use" section's) that bind the agent (a binding word
/// outside code), with the rest of their lists and the lead-ins before them and the
/// content after a lead-in that stays: what must not leave the body with the section.
fn binding_in(skill: &Skill, when: &[usize]) -> std::collections::BTreeSet<usize> {
    let blocks = &skill.body.blocks;
    let src = |i: usize| &skill.text[blocks[i].range.clone()];
    let in_when: std::collections::BTreeSet<usize> = when.iter().copied().collect();
    let mut stay: std::collections::BTreeSet<usize> = when
        .iter()
        .copied()
        .filter(|&i| {
            !matches!(blocks[i].kind, BlockKind::Code { .. })
                && super::guard::has_binding_word(src(i))
        })
        .collect();
    if stay.is_empty() {
        return stay;
    }
    let lists = super::guard::lists(blocks, &skill.text);
    // Each round keeps more, within `when`: bounded by its size.
    for _ in 0..=when.len() {
        let before = stay.len();
        for list in &lists {
            if list.iter().any(|i| stay.contains(i)) {
                stay.extend(list.iter().copied().filter(|i| in_when.contains(i)));
            }
        }
        for &i in when {
            let next = i + 1;
            if !in_when.contains(&next) || !super::guard::leads_in(&blocks[i], src(i)) {
                continue;
            }
            if stay.contains(&i) || stay.contains(&next) {
                stay.insert(i);
                stay.insert(next);
            }
        }
        if stay.len() == before {
            break;
        }
    }
    stay
}

/// The first heading when it is the body's level-1 title: its section is the whole
/// body, which never moves as one.
fn title_heading(blocks: &[crate::skill::Block]) -> Option<usize> {
    blocks
        .iter()
        .position(|b| matches!(b.kind, BlockKind::Heading { .. }))
        .filter(|&t| blocks[t].kind == BlockKind::Heading { level: 1 })
}

/// Whether every content block of the section under heading `h` leaves the body (moves
/// or is dropped as a repeat) and at least one moves.
fn moves_whole(blocks: &[crate::skill::Block], fates: &[Fate], h: usize) -> bool {
    let BlockKind::Heading { level } = blocks[h].kind else {
        return false;
    };
    let content: Vec<usize> = section_of(blocks, h, level)
        .filter(|&j| !matches!(blocks[j].kind, BlockKind::Heading { .. }))
        .collect();
    !content.is_empty()
        && content.iter().all(|&j| fates[j] != Fate::Keep)
        && content.iter().any(|&j| matches!(fates[j], Fate::Move(_)))
}

/// A thematic break (`---`) ends a section, it is not content of its own: when all the
/// rest of its section moves, it moves too, so that the section leaves its heading and a
/// pointer instead of a heading over a bare `---`.
fn breaks_follow_sections(skill: &Skill, fates: &mut [Fate]) {
    let blocks = &skill.body.blocks;
    let title = title_heading(blocks);
    for h in 0..blocks.len() {
        let BlockKind::Heading { level } = blocks[h].kind else {
            continue;
        };
        if Some(h) == title {
            continue;
        }
        let section = section_of(blocks, h, level);
        let content = || {
            section
                .clone()
                .filter(|&j| !matches!(blocks[j].kind, BlockKind::Heading { .. }))
        };
        let breaks: Vec<usize> = content()
            .filter(|&j| blocks[j].kind == BlockKind::Rule && fates[j] == Fate::Keep)
            .collect();
        if breaks.is_empty() {
            continue;
        }
        let rest_leaves = content()
            .filter(|&j| blocks[j].kind != BlockKind::Rule)
            .all(|j| fates[j] != Fate::Keep);
        let file = content().find_map(|j| match fates[j] {
            Fate::Move(f) => Some(f),
            _ => None,
        });
        if let (true, Some(file)) = (rest_leaves, file) {
            for j in breaks {
                fates[j] = Fate::Move(file);
            }
        }
    }
}

/// Units of movement are sections, whole lists and tables, and code blocks with their
/// lead-ins: a paragraph moves only with its whole section or with what it introduces
/// (one the classifier calls a paraphrase of an earlier block stays too: that label is
/// the least sure of all; exact repeats are dropped, not moved).
/// A paragraph taken alone from a section that stays ("**No evidence, no finding.** ..."
/// from a "Finding schema" section, an opening paragraph under the title) leaves no
/// pointer where it stood, and the agent reading the section never learns it existed.
/// A section that moves whole goes to one file: the one most of its text was headed
/// for, so its pointer names one place.
fn paragraphs_move_with_sections(skill: &Skill, fates: &mut [Fate]) {
    let blocks = &skill.body.blocks;
    let title = title_heading(blocks);
    // Keeping a paragraph can stop its enclosing sections moving whole, which keeps
    // their paragraphs in turn: repeat until nothing changes (each round keeps more).
    for _ in 0..blocks.len().max(1) {
        let mut changed = false;
        let mut heading: Option<usize> = None;
        for i in 0..blocks.len() {
            if matches!(blocks[i].kind, BlockKind::Heading { .. }) {
                heading = Some(i);
                continue;
            }
            if !matches!(blocks[i].kind, BlockKind::Paragraph | BlockKind::BlockQuote) {
                continue;
            }
            let Fate::Move(file) = fates[i] else { continue };
            let introduces =
                super::guard::leads_in(&blocks[i], &skill.text[blocks[i].range.clone()])
                    && blocks
                        .get(i + 1)
                        .is_some_and(|n| !matches!(n.kind, BlockKind::Heading { .. }))
                    && fates[i + 1] == Fate::Move(file);
            if introduces {
                continue;
            }
            let whole = heading.is_some_and(|h| Some(h) != title && moves_whole(blocks, fates, h));
            if !whole {
                fates[i] = Fate::Keep;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut i = 0;
    while i < blocks.len() {
        let BlockKind::Heading { level } = blocks[i].kind else {
            i += 1;
            continue;
        };
        if Some(i) == title || !moves_whole(blocks, fates, i) {
            i += 1;
            continue;
        }
        let section = section_of(blocks, i, level);
        let mut bytes: Vec<(&'static str, usize)> = Vec::new();
        for j in section.clone() {
            if let Fate::Move(f) = fates[j] {
                match bytes.iter_mut().find(|(g, _)| *g == f) {
                    Some((_, n)) => *n += blocks[j].range.len(),
                    None => bytes.push((f, blocks[j].range.len())),
                }
            }
        }
        // The first file listed wins a tie, so the choice does not depend on sorting.
        let mut best = bytes[0];
        for &(f, n) in &bytes[1..] {
            if n > best.1 {
                best = (f, n);
            }
        }
        for j in section.clone() {
            if matches!(fates[j], Fate::Move(_)) {
                fates[j] = Fate::Move(best.0);
            }
        }
        i = section.end;
    }
}

/// A section that would move whole but holds no more than twice the line it would
/// leave behind ("## Source" and one link) stays: the move would save less than the
/// pointer costs, and the agent would need another read for it. Outer sections are weighed first; one kept
/// keeps what it holds. "When to use" sections still move: their conditions go into the
/// description.
fn keep_short_sections(skill: &Skill, fates: &mut [Fate]) {
    let blocks = &skill.body.blocks;
    let when = when_to_use_blocks(skill);
    let title = title_heading(blocks);
    // The end of a section that moves whole: the sections inside it leave no pointer
    // of their own, so they are not weighed apart from it.
    let mut inside_moved = 0;
    for (i, b) in blocks.iter().enumerate() {
        let BlockKind::Heading { level } = b.kind else {
            continue;
        };
        if Some(i) == title || i < inside_moved {
            continue;
        }
        let section = section_of(blocks, i, level);
        if !moves_whole(blocks, fates, i) || section.clone().any(|j| when.contains(&j)) {
            continue;
        }
        let held: usize = section
            .clone()
            .filter(|&j| !matches!(fates[j], Fate::Drop(_)))
            .map(|j| super::tokens(&skill.text[blocks[j].range.clone()]))
            .sum();
        let left = super::tokens(&section_pointer(skill, i, section.clone(), fates));
        // Moving saves `held - left`: less than the line left behind is not worth an
        // agent's extra read.
        if held <= 2 * left {
            for j in section {
                if matches!(fates[j], Fate::Move(_)) {
                    fates[j] = Fate::Keep;
                }
            }
        } else {
            inside_moved = section.end;
        }
    }
}

/// The content blocks of the body's "When to use" sections (and their subsections; not
/// the title's), other than pointers reduce left.
pub fn when_to_use_blocks(skill: &Skill) -> Vec<usize> {
    let blocks = &skill.body.blocks;
    let title = blocks.iter().find_map(|b| b.title.as_deref());
    (0..blocks.len())
        .filter(|&i| {
            let b = &blocks[i];
            b.heading_path
                .iter()
                .any(|h| Some(h.as_str()) != title && crate::routing::is_when_to_use(h))
                && !matches!(b.kind, BlockKind::Heading { .. })
                && !is_pointer(&skill.text[b.range.clone()])
        })
        .collect()
}

/// Whether the body carries the index reduce writes: it was reduced already.
pub fn is_reduced(skill: &Skill) -> bool {
    !index_blocks(skill).is_empty()
}

/// Indexes of the blocks under heading `h` (of `level`), up to the next heading of the
/// same or a higher level.
fn section_of(blocks: &[crate::skill::Block], h: usize, level: u8) -> std::ops::Range<usize> {
    let end = blocks[h + 1..]
        .iter()
        .position(|x| matches!(x.kind, BlockKind::Heading { level: l } if l <= level))
        .map_or(blocks.len(), |p| h + 1 + p);
    h + 1..end
}

pub fn split(skill: &Skill, fates: &[Fate]) -> Split {
    let text = &skill.text;
    let blocks = &skill.body.blocks;
    let end_of_body = text.len();

    let index = index_blocks(skill);
    // A section whose every block moved leaves its heading and a pointer; the headings
    // inside it go with their content. Every other heading stays.
    let mut moved_section = vec![false; blocks.len()];
    // The title heading (the first heading, of level 1) never moves as one section: its
    // subsections leave their own headings and pointers, so the body keeps its outline.
    // Any other heading whose content all moved leaves a pointer, or it would be empty.
    let title = title_heading(blocks);
    for (i, moved) in moved_section.iter_mut().enumerate() {
        *moved = Some(i) != title && moves_whole(blocks, fates, i);
    }
    let mut inside = vec![false; blocks.len()];
    let mut pointers: BTreeMap<usize, String> = BTreeMap::new();
    let mut i = 0;
    while i < blocks.len() {
        if let (true, BlockKind::Heading { level }) = (moved_section[i], &blocks[i].kind) {
            let section = section_of(blocks, i, *level);
            pointers.insert(i, section_pointer(skill, i, section.clone(), fates));
            for j in section.clone() {
                inside[j] = true;
            }
            i = section.end;
            continue;
        }
        i += 1;
    }
    let mut heading_kept = vec![false; blocks.len()];
    for (i, b) in blocks.iter().enumerate() {
        if matches!(b.kind, BlockKind::Heading { .. }) {
            heading_kept[i] = !inside[i] && !index.contains(&i);
        }
    }
    let is_index_block = |i: usize| index.contains(&i);

    let mut body = String::new();
    let first = blocks.first().map_or(end_of_body, |b| b.range.start);
    body.push_str(&text[skill.body_start..first]);
    let mut last_kept: Option<usize> = None;
    // Whether the body already ends with a pointer (so the next kept block gets a blank line).
    let mut pointed = false;
    let mut orphans: Vec<&str> = Vec::new();
    let mut moved: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut last_moved: BTreeMap<&'static str, (usize, Vec<usize>)> = BTreeMap::new();
    // Indexes of the headings enclosing the current block, outermost first.
    let mut stack: Vec<usize> = Vec::new();
    let mut topics: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();

    for (i, b) in blocks.iter().enumerate() {
        let gap_before = if i == 0 {
            ""
        } else {
            &text[blocks[i - 1].range.end..b.range.start]
        };
        let keep = match b.kind {
            BlockKind::Heading { .. } => heading_kept[i],
            _ => fates[i] == Fate::Keep && !is_index_block(i),
        };
        let gap_copied = keep && i > 0 && last_kept == Some(i - 1);
        if keep {
            match last_kept {
                Some(_) if gap_copied => body.push_str(gap_before),
                Some(_) => body.push_str(separator(gap_before, &b.kind)),
                None if pointed => body.push_str("\n\n"),
                None => {}
            }
            pointed = false;
            body.push_str(&text[b.range.clone()]);
            last_kept = Some(i);
            if let Some(p) = pointers.get(&i) {
                body.push_str("\n\n");
                body.push_str(p);
                last_kept = None;
                pointed = true;
            }
        }
        // Text between blocks that pulldown-cmark makes no block of (link definitions,
        // comments) must not vanish with the blocks around it.
        if i > 0 && !gap_copied && !gap_before.trim().is_empty() {
            orphans.push(gap_before.trim());
        }
        if let BlockKind::Heading { level } = b.kind {
            while stack.last().is_some_and(
                |&h| matches!(blocks[h].kind, BlockKind::Heading { level: l } if l >= level),
            ) {
                stack.pop();
            }
            stack.push(i);
            continue;
        }
        if let Fate::Move(file) = fates[i] {
            if is_index_block(i) {
                continue;
            }
            // A unit that leaves a section that stays leaves a line where it stood, so an
            // agent reading the section knows something was there and where it went (a
            // kept lead-in, "Use this template:", must lead somewhere too).
            if !inside[i] && last_kept.is_some_and(|k| k + 1 == i) {
                body.push_str(&format!("\n\n{}", pointer(file)));
                last_kept = None;
                pointed = true;
            }
            let out = moved.entry(file).or_default();
            let (prev, prev_path) = last_moved
                .get(file)
                .cloned()
                .unwrap_or((usize::MAX, Vec::new()));
            if prev_path != stack || out.is_empty() {
                // Headings that differ from the last ones written to this file, copied
                // from the source (links and all), one level below the file's title.
                let common = if out.is_empty() {
                    0
                } else {
                    prev_path
                        .iter()
                        .zip(&stack)
                        .take_while(|(a, c)| a == c)
                        .count()
                };
                for (depth, &h) in stack.iter().enumerate().skip(common) {
                    if !out.is_empty() {
                        out.push_str("\n\n");
                    }
                    let source =
                        rewrite_links(text, blocks[h].range.clone(), &skill.body.links, file);
                    out.push_str(&"#".repeat((depth + 2).min(6)));
                    out.push(' ');
                    out.push_str(heading_text(&source));
                    topics
                        .entry(file)
                        .or_default()
                        .push(blocks[h].title.clone().unwrap_or_default());
                }
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
            } else if prev.wrapping_add(1) == i {
                out.push_str(gap_before);
            } else {
                out.push_str(separator(gap_before, &b.kind));
            }
            out.push_str(&rewrite_links(
                text,
                b.range.clone(),
                &skill.body.links,
                file,
            ));
            last_moved.insert(file, (i, stack.clone()));
        }
    }
    let tail = blocks.last().map_or("", |b| &text[b.range.end..]);
    if !orphans.is_empty() {
        body.push_str("\n\n");
        body.push_str(&orphans.join("\n"));
    }
    if tail.trim().is_empty() {
        body.push('\n');
    } else {
        body.push_str(tail);
    }
    // Moved blocks that use reference-style links need their definitions.
    let definitions: Vec<String> = blocks
        .windows(2)
        .map(|w| &text[w[0].range.end..w[1].range.start])
        .chain(std::iter::once(tail))
        .flat_map(|g| g.lines())
        .filter(|l| l.trim_start().starts_with('[') && l.contains("]:"))
        .map(|l| l.trim().to_string())
        .collect();
    for (file, out) in moved.iter_mut() {
        let uses_refs = blocks.iter().zip(fates).any(|(b, f)| {
            *f == Fate::Move(file)
                && skill
                    .body
                    .links
                    .iter()
                    .any(|l| l.kind == LinkKind::Reference && b.range.contains(&l.range.start))
        });
        if uses_refs && !definitions.is_empty() {
            out.push_str("\n\n");
            for d in &definitions {
                out.push_str(&rewrite_definition(d, file));
                out.push('\n');
            }
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    Split {
        body,
        moved,
        fates: fates.to_vec(),
        topics,
    }
}

/// The line a moved section leaves under its heading: where it went, and the section's
/// first sentence (the author's words) or else its title.
fn section_pointer(
    skill: &Skill,
    heading: usize,
    section: std::ops::Range<usize>,
    fates: &[Fate],
) -> String {
    let blocks = &skill.body.blocks;
    let mut files: Vec<&str> = Vec::new();
    for j in section.clone() {
        if let Fate::Move(f) = fates[j] {
            if !files.contains(&f) {
                files.push(f);
            }
        }
    }
    let files = files
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    // The author's first sentence when it is short; else the section's title. Longer
    // quotes would read as repeats of the moved text (B003 compares 10-word spans).
    let first = section
        .clone()
        .find(|&j| blocks[j].kind == BlockKind::Paragraph)
        .filter(|&j| j == section.start)
        .map(|j| {
            super::description::first_sentence(&super::description::plain(
                &skill.text[blocks[j].range.clone()],
            ))
        })
        // A lead-in ("... combine it with the templates skill:", "...：") introduces what
        // moved; it says nothing on its own.
        .filter(|s| {
            (3..=5).contains(&s.split_whitespace().count()) && !s.trim_end().ends_with([':', '：'])
        });
    match first {
        Some(s) => format!("See {files}: {s}"),
        None => {
            let title = blocks[heading].title.clone().unwrap_or_default();
            format!("See {files} for {}.", title.trim_end_matches(['.', ':']))
        }
    }
}

/// The line left where a lead-in's content moved out.
pub fn pointer(file: &str) -> String {
    format!("(Moved to `{file}`.)")
}

/// Whether a block is a pointer reduce left (it stays where it is).
pub fn is_pointer(block: &str) -> bool {
    let b = block.trim();
    b.starts_with("(Moved to `references/") && b.ends_with("`.)") && !b.contains('\n')
}

/// Whether a block reads as the line a moved section leaves ("See `references/x.md` for
/// Title."), whoever wrote it: where content is, not what the skill is for.
pub fn is_section_pointer(block: &str) -> bool {
    let b = block.trim();
    b.starts_with("See `references/") && !b.contains('\n')
}

/// The text of a heading's source without its markers: `## Title ##` or a setext
/// heading's first line.
fn heading_text(source: &str) -> &str {
    let first = source.lines().next().unwrap_or("").trim();
    first
        .trim_start_matches('#')
        .trim()
        .trim_end_matches('#')
        .trim_end()
}

/// The separator to use before a block whose neighbour was taken out: a list item keeps
/// its single line break, anything else gets a blank line.
fn separator(gap: &str, kind: &BlockKind) -> &'static str {
    // Only items of a tight list may follow with a single line break; anything else
    // would run into the block before it.
    if matches!(kind, BlockKind::ListItem { .. }) && gap.matches('\n').count() == 1 {
        "\n"
    } else {
        "\n\n"
    }
}

/// The path to use in `to_file` for a skill-relative `target`.
pub fn relative_from(to_file: &str, target: &str) -> String {
    resolve::relative_to(resolve::parent(to_file), target)
}

/// `target`, which leaves the skill, as written from `to_file`: one `../` per folder.
fn above_from(to_file: &str, target: &str) -> String {
    format!(
        "{}{}",
        "../".repeat(to_file.matches('/').count()),
        target.trim()
    )
}

/// A block's text with its relative link targets rewritten for `to_file`.
fn rewrite_links(
    text: &str,
    range: Range<usize>,
    links: &[markdown::Link],
    to_file: &str,
) -> String {
    let mut out = String::new();
    let mut pos = range.start;
    for link in links.iter().filter(|l| {
        matches!(l.kind, LinkKind::Inline | LinkKind::Image)
            && l.range.start >= range.start
            && l.range.end <= range.end
    }) {
        let Some(local) = link.local_path() else {
            continue;
        };
        if super::faithful::location_independent(&local) {
            continue;
        }
        let raw = &text[link.range.clone()];
        let Some(open) = raw.rfind("](") else {
            continue;
        };
        let dest_start = link.range.start + open + 2;
        let dest_text = &text[dest_start..link.range.end];
        let Some(at) = dest_text.find(link.target.trim()) else {
            continue;
        };
        let abs = dest_start + at;
        let new_target = match resolve::resolve("SKILL.md", &local) {
            resolve::Resolved::Inside(resolved) => relative_from(to_file, &resolved),
            // A link that already leaves the skill keeps pointing at the same place.
            _ => above_from(to_file, &link.target),
        };
        if abs < pos {
            continue;
        }
        out.push_str(&text[pos..abs]);
        out.push_str(&new_target);
        pos = abs + link.target.trim().len();
    }
    out.push_str(&text[pos..range.end]);
    out
}

/// A `[label]: target` definition rewritten for `to_file`.
fn rewrite_definition(def: &str, to_file: &str) -> String {
    let Some((label, rest)) = def.split_once("]:") else {
        return def.to_string();
    };
    let rest = rest.trim();
    let (target, title) = rest.split_once(' ').unwrap_or((rest, ""));
    match markdown::local_path(target) {
        Some(local) if !super::faithful::location_independent(&local) => {
            let new = match resolve::resolve("SKILL.md", &local) {
                resolve::Resolved::Inside(resolved) => relative_from(to_file, &resolved),
                _ => above_from(to_file, target),
            };
            format!("{label}]: {new} {title}").trim_end().to_string()
        }
        _ => def.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_core(skill: &Skill) -> Vec<Classified> {
        skill
            .body
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| !matches!(b.kind, BlockKind::Heading { .. }))
            .map(|(i, b)| Classified {
                block: i,
                range: b.range.clone(),
                label: Label::CoreRule,
                reason: "test".into(),
                repeats: None,
                exact_repeat: false,
            })
            .collect()
    }

    #[test]
    fn background_reference_and_example_sections_move_whole_unless_a_guard_keeps_a_block() {
        let text = "---\nname: demo\ndescription: Demo. Use when testing.\n---\n# Title\n\nRun `make`.\n\n## Overview\n\nThe tool grew out of a build system used at a large company.\n\nYou must set `TOKEN` first.\n\n## Resources\n\n- [Docs](https://example.com/docs)\n- [Repo](https://example.com/repo)\n\n## Examples\n\n```sh\nmake all # only needed once\nmake install PREFIX=/usr/local/share/tools\nmake check TESTS=\"unit integration\" VERBOSE=1\n```\n\n## Quick Reference\n\n| Flag | Does |\n| --- | --- |\n| -v | verbose |\n\n## Setup\n\nThe installer is in the repo.\n";
        let skill = Skill::from_parts("demo".into(), "SKILL.md".into(), text.into(), Vec::new());
        let labels = all_core(&skill);
        let f = fates(&skill, &labels);
        let fate_of = |starts: &str| {
            let i = skill
                .body
                .blocks
                .iter()
                .position(|b| text[b.range.clone()].starts_with(starts))
                .unwrap();
            f[i].clone()
        };
        assert_eq!(
            fate_of("You must set"),
            Fate::Keep,
            "a binding word keeps it"
        );
        // Its section stays, so the paragraph beside it stays too: a paragraph moves
        // only with its whole section.
        assert_eq!(fate_of("The tool grew"), Fate::Keep);
        assert_eq!(fate_of("- [Docs]"), Fate::Move("references/background.md"));
        assert_eq!(fate_of("- [Repo]"), Fate::Move("references/background.md"));
        // Code binds nobody: "only" in a comment does not keep an example.
        assert_eq!(fate_of("```sh"), Fate::Move("references/examples.md"));
        // A quick reference and a setup section are what the agent works from.
        assert_eq!(fate_of("| Flag"), Fate::Keep);
        assert_eq!(fate_of("The installer"), Fate::Keep);
        assert_eq!(fate_of("Run `make`."), Fate::Keep);
    }

    #[test]
    fn a_paragraph_moves_only_with_its_whole_section_and_a_section_goes_to_one_file() {
        let text = "---\nname: demo\ndescription: Demo. Use when testing.\n---\n# Title\n\nThe tool grew out of a build system used at a large company, where it replaced three older scripts.\n\n## Finding schema\n\nEach finding names a file and a line.\n\nA finding without a file and a line is an opinion, not a finding, and reviewers have long said so.\n\n## Showcase\n\nThe project was first shown at a conference in 2019, where its benchmarks drew a crowd of engineers from many companies.\n\n```sh\nmake demo TARGET=showcase VERBOSE=1 PREFIX=/usr/local/share/tools\nmake bench TARGET=showcase RUNS=10\nmake report TARGET=showcase FORMAT=html OUT=/tmp/showcase-report\n```\n";
        let skill = Skill::from_parts("demo".into(), "SKILL.md".into(), text.into(), Vec::new());
        let labels: Vec<Classified> = all_core(&skill)
            .into_iter()
            .map(|mut c| {
                let t = &text[c.range.clone()];
                if t.starts_with("The ") || t.starts_with("A finding") {
                    c.label = Label::Background;
                } else if t.starts_with("```") {
                    c.label = Label::Example;
                }
                c
            })
            .collect();
        let f = fates(&skill, &labels);
        let fate_of = |starts: &str| {
            let i = skill
                .body
                .blocks
                .iter()
                .position(|b| text[b.range.clone()].starts_with(starts))
                .unwrap();
            f[i].clone()
        };
        // The opening paragraph under the title and a paragraph of a section that stays
        // would leave no pointer where they stood.
        assert_eq!(fate_of("The tool grew"), Fate::Keep);
        assert_eq!(fate_of("A finding without"), Fate::Keep);
        assert_eq!(fate_of("Each finding"), Fate::Keep);
        // A section moving whole goes to the one file most of its text was headed for.
        assert_eq!(
            fate_of("The project was"),
            Fate::Move("references/examples.md")
        );
        assert_eq!(fate_of("```sh"), Fate::Move("references/examples.md"));
    }

    #[test]
    fn a_section_ending_in_a_thematic_break_moves_whole_and_leaves_a_pointer() {
        let text = "---\nname: demo\ndescription: Demo. Use when testing.\n---\n# Title\n\nRun `make`.\n\n## Background\n\nThe tool grew out of a build system used at a large company, where it replaced three older scripts that nobody maintained any more, and it has kept their flags ever since.\n\n---\n\n## Next\n\nRun `make check`.\n";
        let skill = Skill::from_parts("demo".into(), "SKILL.md".into(), text.into(), Vec::new());
        let labels: Vec<Classified> = all_core(&skill)
            .into_iter()
            .map(|mut c| {
                if text[c.range.clone()].starts_with("The tool") {
                    c.label = Label::Background;
                }
                c
            })
            .collect();
        let f = fates(&skill, &labels);
        let out = split(&skill, &f);
        assert!(
            out.body
                .contains("## Background\n\nSee `references/background.md` for Background."),
            "{}",
            out.body
        );
        assert!(!out.body.contains("The tool grew"), "{}", out.body);
    }

    #[test]
    fn a_unit_leaving_a_section_that_stays_leaves_a_line_where_it_stood() {
        let text = "---\nname: demo\ndescription: Demo. Use when testing.\n---\n# Title\n\n## Setup\n\nCall the helper below for every request.\n\n```python\ndef get(f, **p):\n    return requests.get(URL, params={\"function\": f, **p}).json()\n```\n\nNever send the key in a URL.\n";
        let skill = Skill::from_parts("demo".into(), "SKILL.md".into(), text.into(), Vec::new());
        let mut fates = vec![Fate::Keep; skill.body.blocks.len()];
        let code = skill
            .body
            .blocks
            .iter()
            .position(|b| text[b.range.clone()].starts_with("```python"))
            .unwrap();
        fates[code] = Fate::Move("references/examples.md");
        let out = split(&skill, &fates);
        assert!(
            out.body.contains(
                "for every request.\n\n(Moved to `references/examples.md`.)\n\nNever send"
            ),
            "{}",
            out.body
        );
    }

    #[test]
    fn what_binds_in_a_when_to_use_section_stays_with_its_list() {
        let text = "---\nname: demo\ndescription: Demo. Use when testing.\n---\n# Title\n\nRun `make`.\n\n## When to Use\n\nUse when triaging suspicious samples from the analysis queue on a weekday.\n\n- Sandbox detonation of unknown executables\n- **Do not use** on a known ransomware variant; verify network isolation first.\n\n## Steps\n\n1. Run `make check`.\n";
        let skill = Skill::from_parts("demo".into(), "SKILL.md".into(), text.into(), Vec::new());
        let f = fates(&skill, &all_core(&skill));
        let fate_of = |starts: &str| {
            let i = skill
                .body
                .blocks
                .iter()
                .position(|b| text[b.range.clone()].starts_with(starts))
                .unwrap();
            f[i].clone()
        };
        assert_eq!(fate_of("- **Do not use**"), Fate::Keep);
        assert_eq!(
            fate_of("- Sandbox detonation"),
            Fate::Keep,
            "its list stays whole"
        );
        // The section no longer moves whole, so its paragraph stays with it (a paragraph
        // moves only with its whole section).
        assert_eq!(fate_of("Use when triaging"), Fate::Keep);
    }

    #[test]
    fn a_section_not_much_longer_than_its_pointer_stays_and_a_longer_one_moves() {
        let text = "---\nname: demo\ndescription: Demo. Use when testing.\n---\n# Title\n\nRun `make`.\n\n## Documentation\n\nhttps://example.com/docs\n\n## Background\n\nThe tool grew out of a build system used at a large company, where it replaced three older scripts that nobody maintained any more.\n";
        let skill = Skill::from_parts("demo".into(), "SKILL.md".into(), text.into(), Vec::new());
        let labels: Vec<Classified> = all_core(&skill)
            .into_iter()
            .map(|mut c| {
                if !text[c.range.clone()].starts_with("Run") {
                    c.label = Label::Background;
                }
                c
            })
            .collect();
        let f = fates(&skill, &labels);
        let fate_of = |starts: &str| {
            let i = skill
                .body
                .blocks
                .iter()
                .position(|b| text[b.range.clone()].starts_with(starts))
                .unwrap();
            f[i].clone()
        };
        assert_eq!(fate_of("https://example.com/docs"), Fate::Keep);
        assert_eq!(
            fate_of("The tool grew"),
            Fate::Move("references/background.md")
        );
    }

    #[test]
    fn a_level_one_heading_that_is_not_the_title_leaves_a_pointer_when_its_content_moves() {
        let text = "---\nname: demo\ndescription: Demo. Use when testing.\n---\n# Title\n\nRun `make`.\n\n# Upsert with metadata\n\nindex.upsert(vectors)\n\n# Next\n\nKeep this.\n";
        let skill = Skill::from_parts("demo".into(), "SKILL.md".into(), text.into(), Vec::new());
        let mut fates = vec![Fate::Keep; skill.body.blocks.len()];
        let moved = skill
            .body
            .blocks
            .iter()
            .position(|b| text[b.range.clone()].starts_with("index.upsert"))
            .unwrap();
        fates[moved] = Fate::Move("references/examples.md");
        let out = split(&skill, &fates);
        assert!(
            out.body.contains(
                "# Upsert with metadata\n\nSee `references/examples.md` for Upsert with metadata."
            ),
            "{}",
            out.body
        );
        assert!(!out.body.contains("index.upsert"), "{}", out.body);
        // The title heading keeps its place and content.
        assert!(
            out.body.starts_with("# Title\n\nRun `make`."),
            "{}",
            out.body
        );
    }

    #[test]
    fn a_heading_under_a_custom_tag_leaves_a_pointer_when_its_content_moves() {
        let text = "---\nname: demo\ndescription: Demo. Use when testing.\n---\n# Title\n\nRun `make`.\n\n<Advanced>\n## Relationship to other modes\n\n```\nralph\n \\-- ultrawork\n```\n";
        let skill = Skill::from_parts("demo".into(), "SKILL.md".into(), text.into(), Vec::new());
        let mut fates = vec![Fate::Keep; skill.body.blocks.len()];
        let moved = skill
            .body
            .blocks
            .iter()
            .position(|b| text[b.range.clone()].starts_with("```"))
            .unwrap();
        fates[moved] = Fate::Move("references/examples.md");
        let out = split(&skill, &fates);
        assert!(
            out.body.contains(
                "<Advanced>\n## Relationship to other modes\n\nSee `references/examples.md` for Relationship to other modes."
            ),
            "{}",
            out.body
        );
    }

    #[test]
    fn relative_paths_from_references() {
        assert_eq!(
            relative_from("references/examples.md", "references/api.md"),
            "api.md"
        );
        assert_eq!(
            relative_from("references/examples.md", "scripts/run.py"),
            "../scripts/run.py"
        );
        assert_eq!(relative_from("references/examples.md", "x.md"), "../x.md");
        assert_eq!(
            relative_from("SKILL.md", "references/a.md"),
            "references/a.md"
        );
    }
}
