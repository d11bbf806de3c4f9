//! Classification: every body block gets one label of the SkillReducer taxonomy (core
//! rule, background, example, template, redundant) and the reason that decided it.
//! Deterministic and offline; when the signals disagree or are absent the label is core
//! rule, because a rule wrongly deferred breaks the agent while background wrongly kept
//! only costs tokens.

pub mod features;
pub mod model;
mod reason;
mod redundancy;
mod section;
mod signals;

use std::borrow::Cow;
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
    /// The strongest evidence for the label ("heading 'Examples'", "paraphrases line 40").
    pub reason: Cow<'static, str>,
    /// For a redundant block: what it repeats.
    pub repeats: Option<Repeat>,
    /// The repeat is word for word (table of contents, 60% of word triples said before,
    /// an identical code block), not a paraphrase the model judged: what B003 reports.
    pub exact_repeat: bool,
}

/// What a redundant block repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    /// An entry of a table of contents listing the file's own sections.
    Contents,
    /// The description in the frontmatter.
    Description,
    /// An earlier block, by index into `Markdown::blocks`.
    Block(usize),
}

pub use section::Section;
pub use signals::{is_imperative, without_quotes};

/// What kind of section a heading's text names ("When to use", "Examples", ...).
pub fn heading_section(title: &str) -> Option<Section> {
    section::of_heading(title)
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
    classify_markdown_with(model::embedded(), text, md, description)
}

/// [`classify`] with another model than the embedded one (the per-fold models of the
/// cross-validation, say).
pub fn classify_with(model: &model::Model, skill: &Skill) -> Vec<Classified> {
    let description = skill.description();
    classify_markdown_with(model, &skill.text, &skill.body, description.as_deref())
}

/// [`classify_markdown`] with a given model.
pub fn classify_markdown_with(
    model: &model::Model,
    text: &str,
    md: &Markdown,
    description: Option<&str>,
) -> Vec<Classified> {
    let analysis = analyse(text, md, description);
    // Offsets of line ends, for reasons that name a line.
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    // Each block alone first, then each list item moves towards its list's mean.
    let scores: Vec<model::Scores> = (0..analysis.len())
        .map(|n| model.score(&mut |sink| analysis.features(n, sink)))
        .collect();
    let mut smoothed: Vec<[f32; 5]> = scores.iter().map(|s| s.probabilities).collect();
    model::smooth_lists(&mut smoothed, &analysis.lists);
    let mut out: Vec<Classified> = scores
        .into_iter()
        .zip(smoothed)
        .enumerate()
        .map(|(n, (scores, smoothed))| {
            let target = analysis.targets[n];
            let mut verdict = model.decide(scores, smoothed, target.is_some());
            // Exact repeats (a table of contents, words said before) stay redundant
            // whatever the model says: too few of them are labelled for it to learn
            // them, and on the folds this rule adds macro-F1 without costing core recall.
            if analysis.is_exact_repeat(n) {
                verdict.label = Label::Redundant;
            }
            let h = &analysis.heuristic[n];
            let repeats = target
                .filter(|_| verdict.label == Label::Redundant)
                .map(|t| t.repeat);
            Classified {
                block: h.block,
                range: h.range.clone(),
                label: verdict.label,
                reason: reason::explain(&analysis, n, &verdict, repeats, text, md, &newlines),
                repeats,
                exact_repeat: analysis.is_exact_repeat(n),
            }
        })
        .collect();
    out.shrink_to_fit();
    out
}

/// The hand-written signals and the similarities of a text's blocks: what the model's
/// features are computed from.
pub fn analyse<'t>(
    text: &'t str,
    md: &'t Markdown,
    description: Option<&str>,
) -> features::Analysis<'t> {
    let (heuristic, readings) = heuristic_with_readings(text, md, description);
    features::Analysis::new(text, md, description, heuristic, readings)
}

/// The hand-written signals' labels: each rule of `signals::decide`, the exact-repeat
/// checks and the lead-in passes. The model weighs them as features.
#[cfg(test)]
fn heuristic(text: &str, md: &Markdown, description: Option<&str>) -> Vec<Classified> {
    heuristic_with_readings(text, md, description).0
}

/// [`heuristic`], with what the signals read in each labelled block (for the features).
fn heuristic_with_readings(
    text: &str,
    md: &Markdown,
    description: Option<&str>,
) -> (Vec<Classified>, Vec<signals::Reading>) {
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
    let mut readings: Vec<signals::Reading> = Vec::with_capacity(labelled.len());
    // Neighbouring blocks share their headings: work out a path's section once.
    let mut last_section: Option<(&[String], Option<Section>)> = None;
    for (n, &i) in labelled.iter().enumerate() {
        let block = &md.blocks[i];
        let section = match last_section {
            Some((path, s)) if path == block.heading_path.as_slice() => s,
            _ => {
                let s = section::of_path(&block.heading_path);
                last_section = Some((&block.heading_path, s));
                s
            }
        };
        let body = &text[block.range.clone()];
        readings.push(signals::Reading::of(body));
        let reading = &readings[n];
        let (label, reason, repeats_block) =
            if let Some((r, repeat)) = repeat_of(&mut repeats, &headings, i, block, body) {
                (Label::Redundant, r, Some(repeat))
            } else {
                let prev = n
                    .checked_sub(1)
                    .map(|p| labelled[p])
                    .filter(|&p| p + 1 == i);
                let lead_in = prev.map(|p| &text[md.blocks[p].range.clone()]);
                let (l, r) = signals::decide(block, body, reading, lead_in, n == 0, section);
                (l, r, None)
            };
        out.push(Classified {
            block: i,
            range: block.range.clone(),
            label,
            reason: Cow::Borrowed(reason),
            repeats: repeats_block,
            exact_repeat: repeats_block.is_some(),
        });
    }
    signals::follow_descriptive_lists(text, md, &mut out);
    signals::follow_lead_ins(text, md, &mut out);
    (out, readings)
}

/// The exact checks' verdict on labelled block `i`: a table-of-contents entry, or words
/// (or code) said before. `repeats` remembers the blocks checked so far.
fn repeat_of(
    repeats: &mut redundancy::Repeats,
    headings: &[&str],
    i: usize,
    block: &Block,
    body: &str,
) -> Option<(&'static str, Repeat)> {
    if let Some(r) = redundancy::toc_entry(block, body, headings) {
        return Some((r, Repeat::Contents));
    }
    repeats
        .check(i, block, body)
        .map(|(r, earlier)| (r, earlier.map_or(Repeat::Description, Repeat::Block)))
}

/// A block the exact checks call a repeat: its index among the body's blocks, its range
/// and what it repeats.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactRepeat {
    pub block: usize,
    pub range: Range<usize>,
    pub repeat: Repeat,
}

/// The blocks of a skill's body that [`classify`] would call exact repeats (its
/// `exact_repeat` blocks, with what each repeats), without the signals, the similarities
/// or the model: what B003 needs, at a fraction of the cost.
pub fn exact_repeats(skill: &Skill) -> Vec<ExactRepeat> {
    let (text, md) = (skill.text.as_str(), &skill.body);
    let description = skill.description();
    let headings: Vec<&str> = md
        .blocks
        .iter()
        .filter_map(|b| b.title.as_deref())
        .collect();
    let mut repeats = redundancy::Repeats::new(description.as_deref());
    let mut out = Vec::new();
    for (i, block) in md.blocks.iter().enumerate() {
        if !is_labelled(block) {
            continue;
        }
        let body = &text[block.range.clone()];
        if let Some((_, repeat)) = repeat_of(&mut repeats, &headings, i, block, body) {
            if features::says_nothing_new(text, md, description.as_deref(), i, repeat) {
                out.push(ExactRepeat {
                    block: i,
                    range: block.range.clone(),
                    repeat,
                });
            }
        }
    }
    out
}

/// Headings and thematic breaks structure the body; they carry no label of their own.
pub fn is_labelled(block: &Block) -> bool {
    !matches!(block.kind, BlockKind::Heading { .. } | BlockKind::Rule)
}

/// Tokens of a block's text with the o200k encoding (exact, embedded, no start-up cost).
pub fn block_tokens(text: &str) -> usize {
    crate::tokens::o200k(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skill::markdown;

    fn labels(text: &str, description: Option<&str>) -> Vec<(String, Label)> {
        let md = markdown::scan(text, 0);
        heuristic(text, &md, description)
            .into_iter()
            .map(|c| (text[c.range].lines().next().unwrap().to_string(), c.label))
            .collect()
    }

    #[test]
    fn each_kind_from_its_own_signal() {
        let text = "# Tool\n\nTool is a library that provides fast parsing of logs.\n\n\
                    - [Usage](#usage)\n\n## Usage\n\n1. Run `tool parse FILE`.\n\n\
                    PyTool integrates with:\n\n- Pandas and NumPy arrays\n\n\
                    For example, a web log gives:\n\n```text\n200 OK\n```\n\n\
                    ```markdown\n# Report on {{file}}\n```\n\n\
                    The parser reads one record per line and keeps them.\n";
        let got = labels(text, None);
        let expected = [
            Label::Background, // the opening paragraph
            Label::Redundant,  // a table-of-contents entry
            Label::CoreRule,   // a step
            Label::Background, // a descriptive lead-in...
            Label::Background, // ...and its list
            Label::Example,
            Label::Example,
            Label::Template,
            Label::CoreRule, // no signal either way: unsure means core rule
        ];
        assert_eq!(
            got.iter().map(|g| g.1).collect::<Vec<_>>(),
            expected,
            "{got:#?}"
        );
    }

    #[test]
    fn repeats_of_blocks_and_of_the_description() {
        let text = "Summarizes CSV files into a short report for the user who asked.\n\n\
                    Never print more than twenty rows of the file in the report.\n\n\
                    Never print more than twenty rows of the file in the report.\n";
        let md = markdown::scan(text, 0);
        let description = "Summarizes CSV files into a short report for the user who asked.";
        let out = heuristic(text, &md, Some(description));
        assert_eq!(out[0].repeats, Some(Repeat::Description));
        assert_eq!(out[1].label, Label::CoreRule);
        assert_eq!(out[2].repeats, Some(Repeat::Block(1)));
    }

    #[test]
    fn two_different_urls_are_no_repeat() {
        let text = "Install the official Acme kit for Python from https://github.com/acme/py \
                    before calling the API in any script.\n\n\
                    Install the official Acme kit for Python from https://github.com/acme/ts \
                    before calling the API in any script.\n";
        let md = markdown::scan(text, 0);
        assert_eq!(heuristic(text, &md, None)[1].label, Label::Redundant);
        let out = classify_markdown(text, &md, None);
        assert_ne!(out[1].label, Label::Redundant, "{out:#?}");
        assert_eq!(out[1].repeats, None);
    }

    #[test]
    fn a_step_with_other_code_is_no_repeat() {
        let text = "1. **Create worktree**:\n   ```bash\n   \
                    worktree_path=\"$HOME/.psm/worktrees/$project_alias/pr-$pr_number\"\n   \
                    cd \"$local_path\"\n   \
                    git worktree add \"$worktree_path\" \"pr-$pr_number-review\"\n   ```\n\n\
                    Then start the session.\n\n\
                    1. **Create worktree**:\n   ```bash\n   \
                    worktree_path=\"$HOME/.psm/worktrees/$project_alias/feat-$feature_name\"\n   \
                    git worktree add \"$worktree_path\" \"$branch_name\"\n   ```\n";
        let md = markdown::scan(text, 0);
        let out = classify_markdown(text, &md, None);
        let last = out.last().unwrap();
        assert!(!last.exact_repeat, "{out:#?}");
        assert_eq!(last.repeats, None);
    }

    #[test]
    fn the_same_rule_for_another_phase_is_no_repeat() {
        let text =
            "**You MUST output this block before proceeding to Phase 2. NO EXCEPTIONS.**\n\n\
                    Then plan the commits.\n\n\
                    **You MUST output this block before proceeding to Phase 4. NO EXCEPTIONS.**\n";
        let md = markdown::scan(text, 0);
        let out = classify_markdown(text, &md, None);
        assert!(!out[2].exact_repeat, "{out:#?}");
        assert_eq!(out[2].repeats, None);
    }

    #[test]
    fn one_reference_in_two_citation_styles_is_no_repeat() {
        let text = "**Chicago**\n\n\
                    > Liu, Min. \"Neural Network Architectures.\" In *Advances in Artificial \
                    Intelligence*, edited by Rui Chen and Shuai Wang, 45-78. Berlin: Springer, 2024.\n\n\
                    **MLA**\n\n\
                    > Liu, Min. \"Neural Network Architectures.\" *Advances in Artificial \
                    Intelligence*, edited by Rui Chen and Shuai Wang, Springer, 2024, pp. 45-78.\n";
        let md = markdown::scan(text, 0);
        let out = classify_markdown(text, &md, None);
        let last = out.last().unwrap();
        assert!(!last.exact_repeat, "{out:#?}");
        assert_eq!(last.repeats, None);
    }

    #[test]
    fn two_different_names_in_code_are_no_repeat() {
        let text = "**Name:** `FolderAfterCreateEventHandler`\n\n\
                    **Name:** `FolderAfterUpdateEventHandler`\n";
        let md = markdown::scan(text, 0);
        let out = classify_markdown(text, &md, None);
        assert!(!out[1].exact_repeat, "{out:#?}");
        assert_eq!(out[1].repeats, None);
    }
}

/// One classified file of a `classify` run: the text, its blocks and their labels.
#[derive(Debug)]
pub struct ClassifiedFile {
    pub dir: std::path::PathBuf,
    /// The file's path relative to the skill folder.
    pub file: String,
    pub text: String,
    pub markdown: Markdown,
    pub classified: Vec<Classified>,
}

/// What a `classify` run found: the files in discovery order, and the skills that could
/// not be read (path and why).
#[derive(Debug, Default)]
pub struct Run {
    pub files: Vec<ClassifiedFile>,
    pub skipped: Vec<(std::path::PathBuf, String)>,
}

/// The `classify` pipeline: finds the skills under `path` and classifies each body (and,
/// unless `body_only`, each markdown reference file) in parallel, in discovery order.
pub fn run(
    path: &std::path::Path,
    body_only: bool,
    progress: &crate::progress::Progress,
) -> Result<Run, crate::discover::DiscoverError> {
    use rayon::prelude::*;

    use crate::skill::FileKind;

    let found = crate::discover::discover(
        std::slice::from_ref(&path.to_path_buf()),
        &globset::GlobSet::empty(),
    )?;
    progress.start(found.skills.len());
    let per_skill: Vec<Result<Vec<ClassifiedFile>, (std::path::PathBuf, String)>> = found
        .skills
        .par_iter()
        .map(|dir| {
            let result = Skill::load(dir)
                .map(|skill| classify_skill(skill, body_only))
                .map_err(|u| {
                    (
                        dir.clone(),
                        format!("{} {}", u.manifest, u.problem.describe()),
                    )
                });
            progress.inc(1);
            result
        })
        .collect();
    let mut out = Run::default();
    for r in per_skill {
        match r {
            Ok(files) => out.files.extend(files),
            Err(e) => out.skipped.push(e),
        }
    }
    return Ok(out);

    fn classify_skill(skill: Skill, body_only: bool) -> Vec<ClassifiedFile> {
        let classified = classify(&skill);
        let mut files = Vec::new();
        if !body_only {
            for f in &skill.files {
                let (FileKind::Reference, Some(text)) = (f.kind, f.text.as_deref()) else {
                    continue;
                };
                if !f.is_markdown() {
                    continue;
                }
                let md = crate::skill::markdown::scan(text, 0);
                let classified = classify_markdown(text, &md, None);
                files.push(ClassifiedFile {
                    dir: skill.dir.clone(),
                    file: f.rel.clone(),
                    text: text.to_string(),
                    markdown: md,
                    classified,
                });
            }
        }
        let Skill {
            dir,
            manifest,
            text,
            body,
            ..
        } = skill;
        files.insert(
            0,
            ClassifiedFile {
                dir,
                file: manifest,
                text,
                markdown: body,
                classified,
            },
        );
        files
    }
}
