//! Reduce: rewrite a skill into a small always-loaded core plus on-demand reference
//! files, and a tighter description, deterministically. Every plan is verified before
//! anything is written: nothing the original says may be lost (faithfulness), reducing
//! the result again must change nothing (idempotence), and the result must lint no
//! worse than the original.

pub mod body;
pub mod description;
pub mod faithful;
pub mod guard;
pub mod run;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::skill::{markdown, FileKind, FrontmatterState, Skill, SkillFile, ValueStyle};

use body::{Fate, INDEX_TITLE};
use description::Change;
use faithful::{Doc, Fact};

/// A reference left with fewer tokens than this after removing repeats is dropped.
pub const MIN_REFERENCE_TOKENS: usize = 30;

/// Counts tokens the way the listing and body are measured.
pub fn tokens(text: &str) -> usize {
    // A reduction counts the same texts (the body, every reference file) for each draft
    // and again for its report: longer texts' counts are kept per thread, keyed by two
    // independent 64-bit hashes and the length.
    const MIN_CACHED: usize = 256;
    const MAX_KEPT: usize = 4096;
    type Key = (usize, u64, u64);
    thread_local! {
        static COUNTS: std::cell::RefCell<std::collections::HashMap<Key, usize>> =
            Default::default();
    }
    if text.len() < MIN_CACHED {
        return crate::classify::block_tokens(text);
    }
    let hash = |seed: u8| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        seed.hash(&mut h);
        text.hash(&mut h);
        h.finish()
    };
    let key = (text.len(), hash(1), hash(2));
    if let Some(n) = COUNTS.with(|c| c.borrow().get(&key).copied()) {
        return n;
    }
    let n = crate::classify::block_tokens(text);
    COUNTS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= MAX_KEPT {
            c.clear();
        }
        c.insert(key, n);
    });
    n
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
    /// A plan that passed every check.
    Reduced,
    /// Nothing to change.
    Unchanged,
    /// Declined for a reason other than lost content.
    Declined { reason: String },
    /// The faithfulness check failed: this is what would have been lost.
    Unfaithful { missing: Vec<Fact> },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    pub file: String,
    pub blocks: usize,
    pub tokens: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dropped {
    /// 1-based line range of the dropped block in SKILL.md.
    pub lines: (usize, usize),
    /// 1-based first line of the kept block it repeats.
    pub repeats_line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub skill: String,
    pub outcome: Outcome,
    pub listing_before: usize,
    pub listing_after: usize,
    pub body_before: usize,
    pub body_after: usize,
    pub references_before: usize,
    pub references_after: usize,
    pub description_before: usize,
    pub description_after: usize,
    pub description: Change,
    pub moved: Vec<Moved>,
    pub dropped: Vec<Dropped>,
    /// Existing reference files removed because what was left of them repeated the body.
    pub removed_references: Vec<String>,
}

impl Report {
    pub fn always_loaded_before(&self) -> usize {
        self.listing_before + self.body_before
    }

    pub fn always_loaded_after(&self) -> usize {
        self.listing_after + self.body_after
    }

    /// Share of always-loaded tokens the plan sheds (0 when declined).
    pub fn saving(&self) -> f64 {
        let before = self.always_loaded_before();
        if before == 0 || !matches!(self.outcome, Outcome::Reduced) {
            return 0.0;
        }
        1.0 - self.always_loaded_after() as f64 / before as f64
    }
}

/// The reduced skill: files to write (skill-relative path → text) and files to remove.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub write: BTreeMap<String, String>,
    pub remove: Vec<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.write.is_empty() && self.remove.is_empty()
    }
}

/// Plans and verifies the reduction of `skill`. The plan is empty unless the outcome is
/// `Reduced`.
pub fn reduce(original: &Skill, settings: &Settings) -> (Plan, Report) {
    reduce_linted(original, settings, None)
}

/// The skill reduce works on and verifies its result against: the original, or, when
/// strict YAML rejects its frontmatter, the original with lint's safe fixes (quoting
/// values) applied in memory. `None` when that is the original itself. Problems the fixes
/// uncover (a `metadata` of nested maps that a parse error hid) are the input's, so the
/// result is held to the fixed skill's findings.
pub fn prepared(original: &Skill, settings: &Settings) -> Option<Skill> {
    precondition(original)?;
    let outcome = crate::fix::fix_skill(
        Skill::from_parts(
            original.dir.clone(),
            original.manifest.clone(),
            original.text.clone(),
            original.files.clone(),
        ),
        settings,
    );
    Some(Skill::from_parts(
        original.dir.clone(),
        original.manifest.clone(),
        outcome.fixed,
        original.files.clone(),
    ))
}

/// [`reduce`], given the original's lint findings (`lint::check_skill` with the same
/// settings) when the caller has them already, as `audit` does: the check that the result
/// lints no worse then lints only the result.
pub fn reduce_linted(
    original: &Skill,
    settings: &Settings,
    linted: Option<&[Diagnostic]>,
) -> (Plan, Report) {
    let fixed = prepared(original, settings);
    let skill = fixed.as_ref().unwrap_or(original);
    if let Some(reason) = precondition(skill) {
        let (_, mut report) = draft(skill);
        report.outcome = Outcome::Declined { reason };
        return (Plan::default(), report);
    }
    // One pass. Reducing the result again is an identity by construction: a body that
    // carries reduce's index keeps every block, one without moves keeps its blocks too,
    // and the description rewrite is taken to its fixed point.
    let (first, mut report) = draft(skill);
    let after = apply(skill, &first);
    let plan = difference(original, &after);
    report.finish(skill, &after);
    if plan.is_empty() {
        report.outcome = Outcome::Unchanged;
        return (plan, report);
    }
    // The findings given are the original's; a fixed skill is linted afresh.
    let linted = linted.filter(|_| fixed.is_none());
    report.outcome = verify_linted(skill, &after, settings, linted);
    if report.outcome != Outcome::Reduced {
        return (Plan::default(), report);
    }
    (plan, report)
}

/// The checks every result must pass before anything is written: nothing lost, reducing
/// it again changes nothing, and it lints no worse than the original.
pub fn verify(original: &Skill, after: &Skill, settings: &Settings) -> Outcome {
    verify_linted(original, after, settings, None)
}

/// [`verify`], given the original's lint findings when they are known.
fn verify_linted(
    original: &Skill,
    after: &Skill,
    settings: &Settings,
    linted: Option<&[Diagnostic]>,
) -> Outcome {
    let lost = faithful::missing(&docs(original), &docs(after), &BTreeSet::new());
    if !lost.is_empty() {
        return Outcome::Unfaithful { missing: lost };
    }
    let (again, _) = draft(after);
    if !again.is_empty() {
        let files: Vec<&str> = again.write.keys().map(String::as_str).collect();
        return Outcome::Declined {
            reason: format!(
                "reducing the result again would change {}; this is a defect in reduce, please report it",
                files.join(", ")
            ),
        };
    }
    match lint_regression(original, after, settings, linted) {
        Some(reason) => Outcome::Declined { reason },
        None => Outcome::Reduced,
    }
}

/// Why a skill cannot be reduced at all, if it cannot. A file without frontmatter still
/// has a body to reduce (its description is left alone: there is nowhere to put one).
fn precondition(skill: &Skill) -> Option<String> {
    match &skill.frontmatter {
        FrontmatterState::Present(f) if f.strict.is_ok() && f.mapping().is_some() => None,
        FrontmatterState::Present(_) => Some(
            "its frontmatter is not valid YAML even after the safe quoting fix of `skillpress lint --fix`; fix it by hand first".into(),
        ),
        FrontmatterState::Unclosed { .. } => {
            Some("its frontmatter block is not closed (no second `---` line)".into())
        }
        _ => None,
    }
}

/// The plan without verification, and its report.
fn draft(skill: &Skill) -> (Plan, Report) {
    // The body is classified on its own: what repeats the description is judged like any
    // other block, so rewriting the description cannot change a later pass's labels.
    // A body that carries reduce's index keeps every block whatever its labels say (see
    // `body::fates`): it is not classified, which spares the check that reducing a result
    // again changes nothing most of its cost.
    let labels = if body::is_reduced(skill) {
        Vec::new()
    } else {
        crate::classify::classify_markdown(&skill.text, &skill.body, None)
    };
    let fates = body::fates(skill, &labels);
    if fates.iter().any(|f| matches!(f, Fate::Move(_))) {
        let (plan, report) = draft_with(skill, &fates);
        if worth_it(report.body_before, report.body_after) {
            return (plan, report);
        }
    }
    // Nothing moves, or so little that a new file and an index are not worth it: the
    // body stays as it is (repeats too, so that a later pass sees the same body and
    // decides the same).
    draft_with(skill, &vec![Fate::Keep; fates.len()])
}

/// Whether a body going from `before` to `after` tokens saves enough to pay for the
/// reference files and the index an author must review and an agent may have to open:
/// [`MIN_SAVING_SHARE`] of the body or [`ENOUGH_SAVING_TOKENS`], and never under
/// [`MIN_SAVING_TOKENS`]. (Read as an author would, 25 random marketplace reductions
/// included one saving 2 tokens of 500 with a new file and a table.)
pub fn worth_it(before: usize, after: usize) -> bool {
    let saved = before.saturating_sub(after);
    saved >= MIN_SAVING_TOKENS
        && (saved >= ENOUGH_SAVING_TOKENS || saved as f64 >= MIN_SAVING_SHARE * before as f64)
}

/// Smallest body saving, in tokens, that rewrites a body.
pub const MIN_SAVING_TOKENS: usize = 30;
/// A saving this large is worth it in a body of any length.
pub const ENOUGH_SAVING_TOKENS: usize = 100;
/// Otherwise the saving must be this share of the body.
pub const MIN_SAVING_SHARE: f64 = 0.05;

/// The plan for given fates of the body's blocks, and its report.
fn draft_with(skill: &Skill, fates: &[Fate]) -> (Plan, Report) {
    // A reduced body, or one where nothing moves or goes, is kept byte for byte.
    let reduced = body::is_reduced(skill);
    let identity = reduced || fates.iter().all(|f| *f == Fate::Keep);
    let split = body::split(skill, fates);
    let name = skill.name().unwrap_or_default();
    let old_description = skill.description().unwrap_or_default();
    let sections_move = !identity
        && body::when_to_use_blocks(skill)
            .iter()
            .all(|&i| matches!(split.fates[i], Fate::Move(_)));
    let (new_description, change) = description::rewrite(skill, sections_move);

    let mut plan = Plan::default();
    let mut out_files: BTreeMap<String, String> = BTreeMap::new();
    for f in &skill.files {
        if let (FileKind::Reference, Some(t)) = (f.kind, &f.text) {
            if f.is_markdown() {
                out_files.insert(f.rel.clone(), t.clone());
            }
        }
    }
    let mut moved = Vec::new();
    for (file, text) in &split.moved {
        let blocks = split
            .fates
            .iter()
            .filter(|f| **f == Fate::Move(file))
            .count();
        moved.push(Moved {
            file: file.to_string(),
            blocks,
            tokens: tokens(text),
        });
        let merged = match out_files.get(*file) {
            Some(existing) => format!("{}\n\n{}", existing.trim_end(), text),
            None => format!("# {}\n\n{}", file_title(file, &name), text),
        };
        out_files.insert(file.to_string(), merged);
    }

    // Existing references lose paragraphs the body already says.
    let kept_blocks: BTreeSet<String> = skill
        .body
        .blocks
        .iter()
        .zip(&split.fates)
        .filter(|(b, f)| {
            **f == Fate::Keep && !matches!(b.kind, crate::skill::BlockKind::Heading { .. })
        })
        .map(|(b, _)| body::fingerprint(&b.kind, &skill.text[b.range.clone()]))
        .filter(|s| s.len() >= 40)
        .collect();
    let mut removed = Vec::new();
    for f in skill.files.iter().filter(|_| !reduced) {
        let Some(text) = out_files.get(&f.rel).cloned() else {
            continue;
        };
        if split.moved.contains_key(f.rel.as_str()) {
            continue;
        }
        let deduped = remove_repeats(&text, &kept_blocks);
        if deduped != text {
            let left = deduped
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n");
            if tokens(&left) < MIN_REFERENCE_TOKENS {
                removed.push(f.rel.clone());
                out_files.remove(&f.rel);
            } else {
                out_files.insert(f.rel.clone(), deduped);
            }
        }
    }

    let mut new_body = split.body.clone();
    // The index lists reduce's own files, and existing references the original body
    // pointed to but the new one no longer does (the pointer moved out with a block).
    // Files the body still names need no entry.
    let indexed: BTreeMap<String, String> = out_files
        .iter()
        .filter(|(rel, _)| {
            body::target_file_names().contains(&rel.as_str())
                || (!crate::skill::files::is_repository_file(rel)
                    && mentions(skill.body_text(), rel)
                    && !mentions(&split.body, rel))
        })
        .map(|(r, t)| (r.clone(), t.clone()))
        .collect();
    let title = skill.body.blocks.iter().find_map(|b| b.title.as_deref());
    let index = index_section(&indexed, &split.topics, title);
    if identity {
        new_body = skill.body_text().to_string();
    } else if !index.is_empty() {
        new_body = format!("{}\n\n{}", new_body.trim_end(), index);
    }
    // A description kept as it is keeps its frontmatter byte for byte: a folded or
    // literal block scalar rewritten as one quoted line would change nothing an agent
    // reads, only the author's layout.
    let frontmatter = if change == description::Change::Kept {
        skill.text[..skill.body_start].to_string()
    } else {
        rewrite_frontmatter(skill, &new_description)
    };
    let new_manifest = format!("{frontmatter}{new_body}");
    if new_manifest != skill.text {
        plan.write
            .insert(skill.manifest.clone(), new_manifest.clone());
    }
    for (rel, text) in &out_files {
        let old = skill.file(rel).and_then(|f| f.text.as_deref());
        if old != Some(text.as_str()) {
            plan.write.insert(rel.clone(), text.clone());
        }
    }
    plan.remove = removed.clone();

    let refs_before: usize = skill
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Reference)
        .filter_map(|f| f.text.as_deref())
        .map(tokens)
        .sum();
    let refs_after: usize = skill
        .files
        .iter()
        .filter(|f| {
            f.kind == FileKind::Reference
                && !removed.contains(&f.rel)
                && !out_files.contains_key(&f.rel)
        })
        .filter_map(|f| f.text.as_deref())
        .map(tokens)
        .sum::<usize>()
        + out_files.values().map(|t| tokens(t)).sum::<usize>();
    let line_of = |offset: usize| skill.text[..offset].matches('\n').count() + 1;
    let dropped = skill
        .body
        .blocks
        .iter()
        .zip(&split.fates)
        .filter_map(|(b, f)| match f {
            Fate::Drop(twin) => Some(Dropped {
                lines: (line_of(b.range.start), line_of(b.range.end)),
                repeats_line: line_of(skill.body.blocks[*twin].range.start),
            }),
            _ => None,
        })
        .collect();
    let listing_name = skill.name().unwrap_or_else(|| skill.folder_name());
    let listing = |d: &str| tokens(&format!("{listing_name}: {d}"));
    let report = Report {
        skill: skill.dir.to_string_lossy().into_owned(),
        outcome: Outcome::Unchanged,
        listing_before: tokens(&crate::tokens::tiers::listing_text(skill)),
        listing_after: listing(&new_description),
        body_before: tokens(skill.body_text()),
        body_after: tokens(&new_body),
        references_before: refs_before,
        references_after: refs_after,
        description_before: tokens(&old_description),
        description_after: tokens(&new_description),
        description: change,
        moved,
        dropped,
        removed_references: removed,
    };
    (plan, report)
}

fn file_title(file: &str, name: &str) -> String {
    let kind = match file {
        "references/examples.md" => "Examples",
        "references/templates.md" => "Templates",
        _ => "Background",
    };
    if name.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} for {name}")
    }
}

/// `text` without the top-level blocks whose normalised text is in `kept`.
fn remove_repeats(text: &str, kept: &BTreeSet<String>) -> String {
    let md = markdown::scan(text, 0);
    let mut out = String::new();
    let mut pos = 0;
    for b in &md.blocks {
        if kept.contains(&body::fingerprint(&b.kind, &text[b.range.clone()])) {
            out.push_str(&text[pos..b.range.start]);
            pos = b.range.end;
            // Swallow the blank line after the removed block.
            while text[pos..].starts_with('\n') && out.ends_with("\n\n") {
                pos += 1;
            }
        }
    }
    out.push_str(&text[pos..]);
    out
}

/// The index section: per file, when to read it and the titles of the sections that
/// moved there (an existing reference shows its own first heading).
fn index_section(
    files: &BTreeMap<String, String>,
    topics: &BTreeMap<&'static str, Vec<String>>,
    title: Option<&str>,
) -> String {
    if files.is_empty() {
        return String::new();
    }
    // One table: its rows are one block, so no two of them read as repeats.
    let mut out = format!(
        "## {INDEX_TITLE}\n\n{}\n| --- | --- |\n",
        body::INDEX_HEADER
    );
    for (rel, text) in files {
        let when = match rel.as_str() {
            "references/examples.md" => "you need a worked example".to_string(),
            "references/templates.md" => {
                "you need a template or output format to fill in".to_string()
            }
            "references/background.md" => {
                "you need background, rationale or reference facts".to_string()
            }
            _ => match first_heading(text) {
                Some(h) => format!("you need {}", one_line(&h)),
                None => "the task needs its details".to_string(),
            },
        };
        let mut sections: Vec<String> = Vec::new();
        for t in topics.get(rel.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
            let t = one_line(t);
            if !t.is_empty() && Some(t.as_str()) != title && !sections.contains(&t) {
                sections.push(t);
            }
        }
        if sections.is_empty() {
            out.push_str(&format!("| `{rel}` | {} |\n", cell(&when)));
        } else {
            let more = sections.len().saturating_sub(MAX_INDEX_SECTIONS);
            sections.truncate(MAX_INDEX_SECTIONS);
            let mut list = sections.join("; ");
            if more > 0 {
                list.push_str(&format!("; and {more} more"));
            }
            out.push_str(&format!(
                "| `{rel}` | {} |\n",
                cell(&format!("{when}: {list}"))
            ));
        }
    }
    out
}

/// Text safe inside a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Section titles listed per file in the index; more are counted.
const MAX_INDEX_SECTIONS: usize = 8;

fn one_line(s: &str) -> String {
    description::one_line(s)
}

/// Whether `text` names the file `rel`, by its path or, when that is distinctive, its name.
fn mentions(text: &str, rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    text.contains(rel) || (name.len() > 8 && text.contains(name))
}

fn first_heading(text: &str) -> Option<String> {
    // A reference's own frontmatter is not its heading.
    let (_, body_start) = crate::skill::frontmatter::parse(text);
    markdown::scan(text, body_start)
        .blocks
        .into_iter()
        .find_map(|b| b.title)
        .filter(|t| !t.is_empty())
}

/// The frontmatter with `description` set to `new` as one double-quoted line; every
/// other byte as it was.
fn rewrite_frontmatter(skill: &Skill, new: &str) -> String {
    let Some(f) = skill.frontmatter() else {
        return skill.text[..skill.body_start].to_string();
    };
    let head = &skill.text[..skill.body_start];
    let quoted = crate::rules::quoting::double_quoted(new);
    match f.entry("description") {
        Some(e) => {
            let unchanged = e.value == new
                && matches!(
                    e.style,
                    ValueStyle::Plain | ValueStyle::DoubleQuoted | ValueStyle::SingleQuoted
                )
                && !skill.text[e.value_span.clone()].contains('\n');
            if unchanged {
                return head.to_string();
            }
            // A value that starts on the next line (`description:` then an indented
            // plain scalar) has its span start at the colon: the key needs its space.
            let before = &head[..e.value_span.start];
            let space = if before.ends_with([' ', '\t']) {
                ""
            } else {
                " "
            };
            format!("{before}{space}{quoted}{}", &head[e.value_span.end..])
        }
        None => {
            let at = f.entry("name").map_or(f.content.start, |n| {
                let end = n.line_span.end;
                end + head[end..].find('\n').map_or(0, |i| i + 1)
            });
            let nl = if head.contains("\r\n") { "\r\n" } else { "\n" };
            format!(
                "{}description: {}{}{}",
                &head[..at],
                quoted,
                nl,
                &head[at..]
            )
        }
    }
}

/// The plan that turns `original` into `after`: every file whose text differs, and every
/// file that is gone.
fn difference(original: &Skill, after: &Skill) -> Plan {
    let mut plan = Plan::default();
    if after.text != original.text {
        plan.write
            .insert(original.manifest.clone(), after.text.clone());
    }
    for f in &after.files {
        let old = original.file(&f.rel).and_then(|o| o.text.as_deref());
        if let Some(t) = &f.text {
            if old != Some(t.as_str()) {
                plan.write.insert(f.rel.clone(), t.clone());
            }
        }
    }
    plan.remove = original
        .files
        .iter()
        .filter(|f| after.file(&f.rel).is_none())
        .map(|f| f.rel.clone())
        .collect();
    plan
}

impl Report {
    /// Sets the "after" numbers from the final result.
    fn finish(&mut self, before: &Skill, after: &Skill) {
        let desc = after.description().unwrap_or_default();
        self.listing_after = tokens(&crate::tokens::tiers::listing_text(after));
        self.description_after = tokens(&desc);
        self.body_after = tokens(after.body_text());
        self.references_after = reference_tokens(after);
        self.references_before = reference_tokens(before);
    }
}

fn reference_tokens(skill: &Skill) -> usize {
    skill
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Reference)
        .filter_map(|f| f.text.as_deref())
        .map(tokens)
        .sum()
}

/// The skill as the plan would leave it, in memory.
pub fn apply(skill: &Skill, plan: &Plan) -> Skill {
    let text = plan
        .write
        .get(&skill.manifest)
        .cloned()
        .unwrap_or_else(|| skill.text.clone());
    let mut files: Vec<SkillFile> = skill
        .files
        .iter()
        .filter(|f| !plan.remove.contains(&f.rel))
        .map(|f| match plan.write.get(&f.rel) {
            Some(t) => text_file(&f.rel, t),
            None => f.clone(),
        })
        .collect();
    for (rel, t) in &plan.write {
        if rel != &skill.manifest && skill.file(rel).is_none() {
            files.push(text_file(rel, t));
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Skill::from_parts(skill.dir.clone(), skill.manifest.clone(), text, files)
}

fn text_file(rel: &str, text: &str) -> SkillFile {
    SkillFile {
        rel: rel.to_string(),
        kind: FileKind::Reference,
        bytes: text.len() as u64,
        text: Some(text.to_string()),
        problem: None,
        links: markdown::scan(text, 0).links,
    }
}

/// The markdown documents of a skill, for the faithfulness check.
fn docs(skill: &Skill) -> Vec<Doc<'_>> {
    let mut out = vec![Doc {
        rel: &skill.manifest,
        text: skill.body_text(),
    }];
    for f in &skill.files {
        if let (FileKind::Reference, Some(t)) = (f.kind, &f.text) {
            if f.is_markdown() {
                out.push(Doc {
                    rel: &f.rel,
                    text: t,
                });
            }
        }
    }
    out
}

/// Why the reduced skill lints worse than the original, if it does: any error, or more
/// warnings of a rule than the original had.
fn lint_regression(
    before: &Skill,
    after: &Skill,
    settings: &Settings,
    linted: Option<&[Diagnostic]>,
) -> Option<String> {
    let count = |findings: &[Diagnostic]| {
        let mut by_rule: BTreeMap<(&'static str, &'static str, Severity), usize> = BTreeMap::new();
        for d in findings {
            if d.severity >= Severity::Warning {
                *by_rule.entry((d.code, d.name, d.severity)).or_default() += 1;
            }
        }
        by_rule
    };
    let (old, new) = match linted {
        Some(findings) => {
            let old = count(findings);
            // B001 reports a body once: when the original has its finding, the result
            // cannot add one, and its classification (the costliest check) is spared.
            let padding = &crate::rules::body_mostly_padding::META;
            let has_padding = old.keys().any(|(code, _, _)| *code == padding.code);
            let new = count(&crate::lint::check_skill_where(after, settings, |r| {
                !(has_padding && r.code == padding.code)
            }));
            (old, new)
        }
        None => {
            // Only the rules the result trips need counting in the original: lint the
            // result first, then the original with those rules alone (most results trip
            // no B001, so the original's body is not classified for it).
            let new = count(&crate::lint::check_skill(after, settings));
            let tripped: BTreeSet<&str> = new.keys().map(|(code, _, _)| *code).collect();
            let old = count(&crate::lint::check_skill_where(before, settings, |r| {
                tripped.contains(r.code)
            }));
            (old, new)
        }
    };
    for ((code, name, severity), n) in &new {
        let had = old.get(&(*code, *name, *severity)).copied().unwrap_or(0);
        if *n > had {
            let kind = if *severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            return Some(format!(
                "the result would add a lint {kind} ({code} {name}) the original does not have"
            ));
        }
    }
    None
}

impl Report {
    /// The report of a skill that could not even be loaded.
    pub fn declined(dir: &std::path::Path, reason: String) -> Report {
        Report {
            skill: dir.to_string_lossy().into_owned(),
            outcome: Outcome::Declined { reason },
            listing_before: 0,
            listing_after: 0,
            body_before: 0,
            body_after: 0,
            references_before: 0,
            references_after: 0,
            description_before: 0,
            description_after: 0,
            description: Change::Kept,
            moved: Vec::new(),
            dropped: Vec::new(),
            removed_references: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_rewritten_only_for_a_saving_worth_a_new_file() {
        assert!(!worth_it(500, 498), "2 tokens of 500");
        assert!(!worth_it(400, 375), "25 tokens: under the floor");
        assert!(worth_it(500, 470), "30 tokens, 6%");
        assert!(!worth_it(5000, 4950), "50 tokens, 1%");
        assert!(worth_it(5000, 4900), "100 tokens");
        assert!(!worth_it(100, 120), "a longer body");
    }

    fn skill(text: &str) -> Skill {
        Skill::from_parts(
            "demo".into(),
            "SKILL.md".into(),
            text.to_string(),
            Vec::new(),
        )
    }

    #[test]
    fn a_result_that_loses_a_command_fails_verification() {
        let settings = Settings::default();
        let original = skill("---\nname: demo\ndescription: Demo. Use when testing.\n---\n# Demo\n\nRun `make check` before you commit.\n");
        let lossy = skill("---\nname: demo\ndescription: Demo. Use when testing.\n---\n# Demo\n\nRun the checks before you commit.\n");
        match verify(&original, &lossy, &settings) {
            Outcome::Unfaithful { missing } => {
                assert_eq!(missing.len(), 1);
                assert_eq!(missing[0].text, "make check");
            }
            other => panic!("expected unfaithful, got {other:?}"),
        }
    }

    #[test]
    fn a_description_on_the_line_after_its_key_is_rewritten_as_valid_yaml() {
        let s = skill("---\nname: demo\ndescription:\n  Search the docs of any library and use when\n  you need current docs.\n---\n# Demo\n\nRun `search.js`.\n");
        let head = rewrite_frontmatter(&s, "Search the docs. Use when you need docs.");
        assert!(
            head.contains("\ndescription: \"Search the docs. Use when you need docs.\"\n"),
            "{head}"
        );
        let again = skill(&format!("{head}# Demo\n"));
        assert_eq!(
            again.description().as_deref(),
            Some("Search the docs. Use when you need docs.")
        );
    }

    #[test]
    fn a_when_to_use_section_goes_into_the_description_and_out_of_the_body() {
        let settings = Settings::default();
        let background = "The format was never fully standardised, and files use semicolons, tabs or other delimiters, quote fields in different ways, or carry a byte-order mark. ".repeat(6);
        let s = skill(&format!(
            "---\nname: demo\ndescription: Summarizes CSV files into a short report.\n---\n# Demo\n\n\
             ## When to use\n\n- Use it when the user asks for a summary of a CSV file\n- Use it when the user shares a spreadsheet export\n\n\
             ## Background\n\n{background}\n\n## Steps\n\n1. Run `scripts/summarize.py FILE` and report its output.\n"
        ));
        let (plan, report) = reduce(&s, &settings);
        assert_eq!(report.outcome, Outcome::Reduced, "{report:#?}");
        let body = &plan.write["SKILL.md"];
        // The item that adds what the description lacks; the one repeating it is not copied.
        assert!(
            body.contains("Summarizes CSV files into a short report. Use when the user shares a spreadsheet export.\""),
            "{body}"
        );
        assert!(!body.contains("- Use it when the user shares"), "{body}");
        assert!(plan.write["references/background.md"].contains("- Use it when the user shares"));
    }

    #[test]
    fn a_kept_when_to_use_section_is_not_copied_into_the_description() {
        let settings = Settings::default();
        let s = skill("---\nname: demo\ndescription: Summarizes CSV files into a short report.\n---\n# Demo\n\n\
             ## When to use\n\n- The user asks for a summary of a CSV file\n\n\
             ## Steps\n\n1. Run `scripts/summarize.py FILE` and report its output.\n");
        let (_, report) = reduce(&s, &settings);
        assert!(
            matches!(report.outcome, Outcome::Reduced | Outcome::Unchanged),
            "{report:#?}"
        );
    }

    #[test]
    fn a_when_to_use_section_that_moved_gives_no_trigger() {
        let s = skill("---\nname: demo\ndescription: Demo tool.\n---\n# Demo\n\n## When to Use\n\nSee `references/background.md` for When to Use.\n");
        let (text, _) = description::rewrite(&s, true);
        assert!(!text.contains("references/"), "{text}");
    }
}
