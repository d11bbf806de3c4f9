//! Reasons a user can check: the model's strongest feature for a label, put in words
//! ("heading 'Examples'", "the word 'must'", "paraphrases line 40").

use std::borrow::Cow;

use super::features::Analysis;
use super::model::Verdict;
use super::{section, Label, Repeat};
use crate::skill::Markdown;

pub fn explain(
    analysis: &Analysis,
    n: usize,
    verdict: &Verdict,
    repeats: Option<Repeat>,
    text: &str,
    md: &Markdown,
    newlines: &[usize],
) -> Cow<'static, str> {
    let line_of = |offset: usize| newlines.partition_point(|&n| n < offset) + 1;
    if verdict.label == Label::Redundant {
        return match repeats {
            Some(Repeat::Contents) => "a table-of-contents entry for a section of this file".into(),
            Some(Repeat::Description) => "repeats the description".into(),
            Some(Repeat::Block(b)) => {
                let line = line_of(md.blocks[b].range.start);
                let exact = analysis.heuristic[n].repeats.is_some();
                if exact {
                    format!("repeats line {line}").into()
                } else {
                    format!("paraphrases line {line}").into()
                }
            }
            None => "repeats earlier content".into(),
        };
    }
    let evidence = describe(analysis, n, &verdict.evidence, text, md, &line_of);
    if verdict.unsure {
        let rival = (1..5)
            .max_by(|&a, &b| {
                verdict.probabilities[a]
                    .total_cmp(&verdict.probabilities[b])
                    .then(b.cmp(&a))
            })
            .unwrap_or(1);
        return format!(
            "unsure ({} {:.0}% vs core rule {:.0}%): core rule by default",
            Label::ALL[rival].as_str().replace('_', " "),
            100.0 * verdict.probabilities[rival],
            100.0 * verdict.probabilities[0]
        )
        .into();
    }
    evidence
}

/// A feature name (see `features.rs`) in words, with the block's own text where it helps.
fn describe(
    analysis: &Analysis,
    n: usize,
    name: &str,
    text: &str,
    md: &Markdown,
    line_of: &dyn Fn(usize) -> usize,
) -> Cow<'static, str> {
    let c = &analysis.heuristic[n];
    let block = &md.blocks[c.block];
    let (kind, arg) = name.split_once(':').unwrap_or((name, ""));
    let own = block.heading_path.last().map(String::as_str).unwrap_or("");
    match kind {
        "sr" | "sig" => c.reason.clone(),
        "h" | "h1" | "hl" | "depth" => format!("heading '{own}'").into(),
        "sec" => {
            let h = block
                .heading_path
                .iter()
                .rev()
                .find(|h| section::of_heading(h).is_some())
                .map_or(own, String::as_str);
            format!("under heading '{h}'").into()
        }
        "hp" => {
            let h = block
                .heading_path
                .iter()
                .rev()
                .find(|h| section::words(h).iter().any(|w| w == arg))
                .map_or(own, String::as_str);
            format!("under heading '{h}'").into()
        }
        "w" => format!("the word '{arg}'").into(),
        "fw" | "f2" => format!("opens with '{arg}'").into(),
        "imp" => "an imperative: an instruction to the agent".into(),
        "modal" => "a binding word (must, never, always, ...)".into(),
        "cond" => "a condition and what follows from it".into(),
        "ph" => "placeholders to fill in".into(),
        "colon" => "ends with ':' introducing what follows".into(),
        "question" => "a question to ask".into(),
        "mk" => format!("marker '{arg}'").into(),
        "k" => format!("a {arg} block").into(),
        "lang" => format!("a '{arg}' code block").into(),
        "cl" | "code" => "the shape of the code block".into(),
        "len" => "its length".into(),
        "lead" | "lw" | "pk" | "psig" => {
            let lead = n
                .checked_sub(1)
                .map(|p| &text[analysis.heuristic[p].range.clone()])
                .unwrap_or("");
            let first: String = lead
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .chars()
                .take(40)
                .collect();
            format!("lead-in '{first}'").into()
        }
        "nk" | "nsig" => "the block that follows".into(),
        "ll" | "lp" => "its place in a list".into(),
        "pos" | "dp" | "first" | "after" => "its place in the section".into(),
        "sim" | "dsim" => match analysis.most_similar(n) {
            Some((b, _)) => format!("close to line {}", line_of(md.blocks[b].range.start)).into(),
            None => "close to the description".into(),
        },
        "list" => format!(
            "like the other items of its list (alone: {})",
            arg.replace('_', " ")
        )
        .into(),
        "norepeat" => "says nothing said before".into(),
        "cov" | "cs" => "its words were said earlier in the file".into(),
        "s" => match arg {
            "bold_term" | "code_term" => "opens with a term and what it is".into(),
            "verb3_first" | "subj_verb3" => "describes, in the third person".into(),
            "link_first" => "opens with a link".into(),
            _ => "the shape of its text".into(),
        },
        "rep" => "repeats earlier content".into(),
        _ => "no strong sign either way".into(),
    }
}
