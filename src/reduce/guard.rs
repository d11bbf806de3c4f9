//! Guards that keep rules in `SKILL.md` whatever the classifier says. A label can be
//! wrong; moving a rule out of the always-loaded core costs correctness, keeping
//! background only costs tokens. So a block the labels would move stays when it reads as
//! a rule (a binding word, a step, a ✅/❌ or Good/Bad pair under a rule heading), and
//! blocks move only as whole units: a list, a lead-in with what it introduces, a bold
//! label with its content.

use crate::classify::Label;
use crate::skill::{Block, BlockKind, Skill};

use super::body::Fate;

/// What a heading names, decided by its head noun ("Output Format" is a format, "Preserve
/// Existing Templates" is an instruction, "Step 3: Determine Base Branch" is a step).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Head {
    Step,
    Rule,
    Template,
    Example,
    Background,
    Other,
}

const STEP_NOUNS: &[&str] = &[
    "step",
    "steps",
    "workflow",
    "workflows",
    "procedure",
    "procedures",
    "process",
    "instructions",
    "instruction",
    "usage",
    "phase",
    "phases",
    "stage",
    "stages",
    "quickstart",
    "start",
    "commands",
    "checklist",
    "installation",
    "install",
    "setup",
    "prerequisites",
    "etapa",
    "etapas",
    "passo",
    "passos",
    "pasos",
    "fases",
    "schritte",
    "étapes",
    // Getting access is something the agent does before anything else.
    "authentication",
    "auth",
    "login",
    "credentials",
    "configuration",
];

const RULE_NOUNS: &[&str] = &[
    "rule",
    "rules",
    "guideline",
    "guidelines",
    "constraint",
    "constraints",
    "requirement",
    "requirements",
    "convention",
    "conventions",
    "principle",
    "principles",
    "practices",
    "pitfalls",
    "mistakes",
    "gotchas",
    "limitations",
    "warnings",
    "warning",
    "don'ts",
    "donts",
    "dos",
    "antipatterns",
    "anti-patterns",
    "restrictions",
    "policy",
    "policies",
    "standards",
    "safety",
    "security",
    "errors",
    "troubleshooting",
    "checks",
    "criteria",
];

const TEMPLATE_NOUNS: &[&str] = &[
    "template",
    "templates",
    "format",
    "formats",
    "boilerplate",
    "skeleton",
    "scaffold",
];

const EXAMPLE_NOUNS: &[&str] = &[
    "example",
    "examples",
    "sample",
    "samples",
    "demo",
    "demos",
    "walkthrough",
    "showcase",
    "illustration",
];

const BACKGROUND_NOUNS: &[&str] = &[
    "reference",
    "references",
    "resources",
    "reading",
    "links",
    "faq",
    "faqs",
    "glossary",
    "appendix",
    "credits",
    "acknowledgements",
    "acknowledgments",
    "changelog",
    "overview",
    "introduction",
    "intro",
    "background",
    "context",
    "motivation",
    "history",
    "about",
    "concepts",
    "rationale",
    "philosophy",
    "theory",
];

/// Verbs a heading opens with when it is an instruction ("Preserve Existing Templates").
const HEADING_VERBS: &[&str] = &[
    "add",
    "analyse",
    "analyze",
    "apply",
    "ask",
    "authenticate",
    "avoid",
    "build",
    "call",
    "check",
    "choose",
    "clean",
    "clone",
    "commit",
    "compile",
    "configure",
    "confirm",
    "connect",
    "create",
    "debug",
    "define",
    "delete",
    "deploy",
    "determine",
    "disable",
    "do",
    "document",
    "download",
    "enable",
    "ensure",
    "establish",
    "execute",
    "extract",
    "fetch",
    "fix",
    "follow",
    "format",
    "gather",
    "generate",
    "handle",
    "identify",
    "implement",
    "include",
    "inspect",
    "install",
    "keep",
    "list",
    "load",
    "log",
    "login",
    "make",
    "map",
    "merge",
    "monitor",
    "move",
    "never",
    "open",
    "plan",
    "post",
    "prefer",
    "prepare",
    "preserve",
    "publish",
    "push",
    "query",
    "read",
    "register",
    "remove",
    "rename",
    "replace",
    "report",
    "respect",
    "review",
    "run",
    "save",
    "scan",
    "select",
    "send",
    "set",
    "start",
    "stop",
    "submit",
    "test",
    "update",
    "upload",
    "use",
    "validate",
    "verify",
    "wait",
    "write",
];

/// Words that cut a heading to its head phrase ("Template for PR descriptions").
const PREPOSITIONS: &[&str] = &[
    "for", "of", "to", "in", "with", "on", "when", "by", "from", "and", "or", "vs", "versus",
];

fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The kind of section a heading title names, by its head noun.
pub fn head(title: &str) -> Head {
    let lower = title.to_lowercase();
    let lower = lower.trim_start_matches(|c: char| !c.is_alphabetic());
    // "Step 3", and the same in the languages skills are written in ("Etapa 8", "Passo
    // 2", "Fase 1", "Schritt 4", "Étape 5", "步骤").
    const STEP_OPENINGS: &[&str] = &[
        "how to", "step ", "phase ", "etapa ", "passo ", "paso ", "fase ", "schritt ", "étape ",
        "步骤",
    ];
    if STEP_OPENINGS.iter().any(|o| lower.starts_with(o)) {
        return Head::Step;
    }
    // A quick reference, or a reference of the commands, is the cheat sheet an agent
    // works from, not background.
    if [
        "quick ",
        "command reference",
        "commands reference",
        "cli reference",
        "cli commands",
    ]
    .iter()
    .any(|o| lower.starts_with(o))
    {
        return Head::Step;
    }
    if lower.starts_with("when to use")
        || lower.starts_with("when not to use")
        || lower.starts_with("do not use")
    {
        return if lower.contains("not") {
            Head::Rule
        } else {
            Head::Other
        };
    }
    // The qualifier after a colon or dash says what the section is about, not what it is.
    let phrase = lower
        .split([':', '(', '—', '–'])
        .next()
        .unwrap_or("")
        .split(" - ")
        .next()
        .unwrap_or("");
    let ws = words(phrase);
    let Some(first) = ws.first() else {
        return Head::Other;
    };
    // "Preserve Existing Templates"; "Fix: Stale Cache" (a verb alone before a colon).
    let verb_then_colon = lower.trim_start().starts_with(&format!("{first}:"));
    if HEADING_VERBS.contains(&first.as_str()) && (ws.len() > 1 || verb_then_colon) {
        return Head::Rule;
    }
    let cut = ws
        .iter()
        .position(|w| PREPOSITIONS.contains(&w.as_str()))
        .unwrap_or(ws.len());
    let Some(noun) = ws[..cut].last().or(ws.first()) else {
        return Head::Other;
    };
    let noun = noun.as_str();
    let phrase_has = |list: &[&str]| ws[..cut.max(1)].iter().any(|w| list.contains(&w.as_str()));
    if STEP_NOUNS.contains(&noun) {
        Head::Step
    } else if RULE_NOUNS.contains(&noun) || phrase_has(&["do's", "dos", "don'ts", "best"]) {
        Head::Rule
    } else if TEMPLATE_NOUNS.contains(&noun) {
        Head::Template
    } else if EXAMPLE_NOUNS.contains(&noun) {
        Head::Example
    } else if BACKGROUND_NOUNS.contains(&noun) {
        Head::Background
    } else {
        Head::Other
    }
}

/// The innermost heading of `path` that names its section by a noun, else the innermost
/// instruction heading, else `Other`.
pub fn section_head(path: &[String]) -> Head {
    let heads: Vec<Head> = path.iter().map(|t| head(t)).collect();
    heads
        .iter()
        .rev()
        .find(|h| !matches!(h, Head::Other | Head::Rule))
        .or_else(|| heads.iter().rev().find(|h| **h == Head::Rule))
        .copied()
        .unwrap_or(Head::Other)
}

/// Whether any heading of `path` is a rule or step heading.
pub fn under_rule_heading(path: &[String]) -> bool {
    path.iter()
        .any(|t| matches!(head(t), Head::Rule | Head::Step))
}

/// Words that bind the agent.
const BINDING: &[&str] = &[
    "must",
    "mustn't",
    "never",
    "always",
    "do not",
    "don't",
    "required",
    "requires",
    "mandatory",
    "shall",
    "should",
    "shouldn't",
    "ensure",
    "make sure",
    "avoid",
    "important",
    "critical",
    "forbidden",
    "only",
];

/// Whether prose holds a binding word ("is always on" describes, it does not bind).
pub fn has_binding_word(text: &str) -> bool {
    let lower = text.to_lowercase();
    let padded = format!(
        " {} ",
        lower.replace(
            ['.', ',', ';', ':', '!', '?', '(', ')', '"', '\n', '*', '_', '`'],
            " "
        )
    );
    BINDING.iter().any(|w| {
        let pattern = format!(" {w} ");
        padded.match_indices(&pattern).any(|(i, _)| {
            let before = padded[..i].rsplit(' ').next().unwrap_or("");
            !(matches!(*w, "never" | "always" | "only")
                && matches!(
                    before,
                    "was" | "were" | "is" | "are" | "has" | "have" | "had" | "been" | "be" | "not"
                ))
        })
    })
}

/// ✅/❌ marks and Good/Bad, WRONG/RIGHT, DO/DON'T pairs: examples that specify.
pub fn has_verdict(text: &str) -> bool {
    if text.contains(['✅', '❌', '✓', '✗', '✔', '✘', '⛔', '🚫']) {
        return true;
    }
    let t = text.trim_start_matches(['-', '*', ' ', '#']);
    [
        "WRONG",
        "RIGHT",
        "CORRECT",
        "INCORRECT",
        "DO:",
        "DON'T",
        "DO NOT",
        "BAD",
        "GOOD",
    ]
    .iter()
    .any(|w| text.contains(w))
        || [
            "good:",
            "bad:",
            "correct:",
            "incorrect:",
            "wrong:",
            "right:",
            "do:",
            "don't:",
        ]
        .iter()
        .any(|w| t.to_lowercase().starts_with(w))
}

/// Why a block the labels would move must stay in `SKILL.md`, if it must.
pub fn must_stay(
    block: &Block,
    text: &str,
    label: Label,
    lead_in: Option<&str>,
) -> Option<&'static str> {
    let head = section_head(&block.heading_path);
    // Code does not bind the agent ("# only needed once" is a comment); a lead-in that
    // binds keeps its code through the lead-in rule.
    let code = matches!(block.kind, BlockKind::Code { .. });
    if !code && has_binding_word(text) {
        return Some("a binding word");
    }
    if matches!(head, Head::Step | Head::Rule) {
        return Some("under a step or rule heading");
    }
    if has_verdict(text) && (head != Head::Example || under_rule_heading(&block.heading_path)) {
        return Some("a ✅/❌ or good/bad verdict");
    }
    if matches!(block.kind, BlockKind::ListItem { ordered: true })
        && !matches!(head, Head::Example | Head::Template | Head::Background)
    {
        return Some("a numbered step");
    }
    if links_a_skill_file(text) {
        return Some("a link to one of the skill's files (one level deep from SKILL.md)");
    }
    if label == Label::Template && head != Head::Template && !offers_template(lead_in) {
        return Some("a template is only what is offered to copy");
    }
    None
}

/// Whether a block links to a file of the skill: moved into `references/`, that file
/// would be two levels from `SKILL.md`.
fn links_a_skill_file(text: &str) -> bool {
    crate::skill::markdown::scan(text, 0)
        .links
        .iter()
        .filter_map(|l| l.local_path())
        .any(|p| !p.starts_with('#') && !super::faithful::location_independent(&p))
}

/// Whether a lead-in offers what follows as an example, a sample or a template.
fn offers_material(lead_in: &str) -> bool {
    let l = lead_in.to_lowercase();
    !has_binding_word(lead_in)
        && [
            "example",
            "sample",
            "template",
            "format",
            "boilerplate",
            "skeleton",
            "such as",
            "like this",
            "e.g",
            "for instance",
            "output",
            "illustrat",
        ]
        .iter()
        .any(|w| l.contains(w))
}

/// Whether a lead-in offers what follows as something to copy.
fn offers_template(lead_in: Option<&str>) -> bool {
    lead_in.is_some_and(|l| {
        let l = l.to_lowercase();
        l.trim_end().ends_with(':')
            && [
                "template",
                "format",
                "boilerplate",
                "skeleton",
                "copy",
                "structure",
            ]
            .iter()
            .any(|w| l.contains(w))
    })
}

/// A lead-in ("Use this template:") or a bold label ("**Step 1: Setup**") that only
/// makes sense with the block after it.
pub fn leads_in(block: &Block, text: &str) -> bool {
    if block.kind != BlockKind::Paragraph {
        return false;
    }
    let t = text.trim();
    t.ends_with(':')
        || (t.starts_with("**") && t.ends_with("**") && !t[2..t.len() - 2].contains("**"))
        || (t.starts_with("**") && t.ends_with(":**"))
}

/// Applies the guards and the whole-unit rules to per-block fates: blocks that must stay
/// stay, a list moves whole or not at all (to one file), and a lead-in or label shares
/// the fate of what it introduces.
pub fn guard(skill: &Skill, labels: &[(usize, Label)], fates: &mut [Fate]) {
    let blocks = &skill.body.blocks;
    let text = &skill.text;
    let src = |i: usize| &text[blocks[i].range.clone()];
    for &(i, label) in labels {
        if !matches!(fates[i], Fate::Move(_)) {
            continue;
        }
        let lead_in = i
            .checked_sub(1)
            .filter(|&p| blocks[p].kind == BlockKind::Paragraph)
            .map(src);
        if must_stay(&blocks[i], src(i), label, lead_in).is_some() {
            fates[i] = Fate::Keep;
        }
    }
    // Keeping spreads: a kept item keeps its list, a kept lead-in keeps what it
    // introduces when it binds. Bounded by the number of blocks (each round keeps more).
    for _ in 0..blocks.len().max(1) {
        let mut changed = false;
        for list in lists(blocks, text) {
            let any_kept = list.iter().any(|&i| fates[i] == Fate::Keep);
            let first_move = list.iter().find_map(|&i| match fates[i] {
                Fate::Move(f) => Some(f),
                _ => None,
            });
            for &i in &list {
                // An item dropped as a repeat would leave a gap in its list (a numbered
                // step missing): it goes where the rest of the list goes.
                let want = match (&fates[i], any_kept, first_move) {
                    (Fate::Move(_) | Fate::Drop(_), true, _) => Fate::Keep,
                    (Fate::Drop(_), false, Some(first)) => Fate::Move(first),
                    (Fate::Move(f), false, Some(first)) if *f != first => Fate::Move(first),
                    (other, _, _) => other.clone(),
                };
                if want != fates[i] {
                    fates[i] = want;
                    changed = true;
                }
            }
        }
        for i in 0..blocks.len().saturating_sub(1) {
            if !leads_in(&blocks[i], src(i))
                || matches!(blocks[i + 1].kind, BlockKind::Heading { .. })
            {
                continue;
            }
            let next = fates[i + 1].clone();
            let want = match (&fates[i], &next) {
                // A lead-in that is not offering an example or a template is part of an
                // instruction: it keeps its content. One that offers them goes with them.
                (Fate::Keep, Fate::Move(_)) if !offers_material(src(i)) => {
                    fates[i + 1] = Fate::Keep;
                    changed = true;
                    continue;
                }
                (Fate::Keep, Fate::Move(f)) => Fate::Move(f),
                // Content that stays keeps its lead-in.
                (Fate::Move(_), Fate::Keep | Fate::Drop(_)) => Fate::Keep,
                (Fate::Move(a), Fate::Move(b)) if a != b => Fate::Move(b),
                (f, _) => f.clone(),
            };
            if want != fates[i] {
                fates[i] = want;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Whether a block ends with a colon, outside any closing emphasis ("**Verify it:**"):
/// it introduces what follows.
pub fn ends_with_colon(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['*', '_'])
        .trim_end()
        .ends_with(':')
}

/// Runs of consecutive items of one top-level list (same kind, nothing between them),
/// with the code blocks that sit between two of its items or follow an item that leads
/// into them ("4. Reference it in document.xml:"): a list moves or stays with its code.
pub fn lists(blocks: &[Block], text: &str) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut kind: Option<bool> = None;
    for (i, b) in blocks.iter().enumerate() {
        match b.kind {
            BlockKind::ListItem { ordered } if kind == Some(ordered) || kind.is_none() => {
                current.push(i);
                kind = Some(ordered);
            }
            BlockKind::ListItem { ordered } => {
                out.push(std::mem::take(&mut current));
                current.push(i);
                kind = Some(ordered);
            }
            BlockKind::Code { .. } if kind.is_some() => {
                let prev = &blocks[i - 1];
                let item_before = matches!(prev.kind, BlockKind::ListItem { .. });
                let leads = item_before && ends_with_colon(&text[prev.range.clone()]);
                let item_after = blocks.get(i + 1).is_some_and(|n| {
                    n.kind
                        == BlockKind::ListItem {
                            ordered: kind == Some(true),
                        }
                });
                if item_before && (leads || item_after) {
                    current.push(i);
                    if !item_after {
                        out.push(std::mem::take(&mut current));
                        kind = None;
                    }
                } else {
                    out.push(std::mem::take(&mut current));
                    kind = None;
                }
            }
            _ => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                kind = None;
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_matched_by_their_head_noun() {
        assert_eq!(head("Output Format"), Head::Template);
        assert_eq!(head("Template for PR descriptions"), Head::Template);
        assert_eq!(head("Preserve Existing Templates"), Head::Rule);
        assert_eq!(head("Step 3: Determine Base Branch"), Head::Step);
        assert_eq!(head("How to use this skill"), Head::Step);
        assert_eq!(head("When to use"), Head::Other);
        assert_eq!(head("Examples of usage"), Head::Example);
        assert_eq!(head("Best Practices"), Head::Rule);
        assert_eq!(head("Overview"), Head::Background);
        assert_eq!(head("Tab Stops"), Head::Other);
        assert_eq!(head("Etapa 8 — Analise de Provas"), Head::Step);
        assert_eq!(head("Passo 2: Revisar"), Head::Step);
        assert_eq!(head("CLI reference"), Head::Step);
        assert_eq!(head("API reference"), Head::Background);
        assert_eq!(head("Enable Debug Mode"), Head::Rule);
        assert_eq!(head("Fix: Stale Cache"), Head::Rule);
        assert_eq!(head("Authentication"), Head::Step);
    }

    #[test]
    fn binding_words_bind_but_descriptions_do_not() {
        assert!(has_binding_word("You must run `make check` first."));
        assert!(has_binding_word("Do not edit generated files."));
        assert!(!has_binding_word("The cache is always warm after a build."));
        assert!(!has_binding_word("The server answers in JSON."));
    }

    fn skill(body: &str) -> Skill {
        Skill::from_parts(
            "demo".into(),
            "SKILL.md".into(),
            format!("---\nname: demo\ndescription: Demo. Use when testing.\n---\n{body}"),
            Vec::new(),
        )
    }

    fn index_of(skill: &Skill, starts: &str) -> usize {
        skill
            .body
            .blocks
            .iter()
            .position(|b| skill.text[b.range.clone()].starts_with(starts))
            .unwrap()
    }

    #[test]
    fn a_list_holds_the_code_between_its_items_and_after_an_item_that_leads_into_it() {
        let s = skill("# T\n\n1. Add the file\n2. Register it:\n```xml\n<a/>\n```\n3. Reference it:\n\n```xml\n<b/>\n```\n\nAfter.\n\n- a\n- **Verify it:**\n\n```py\nx\n```\n\n- c\n- d\n\n```sh\nls\n```\n");
        let units = lists(&s.body.blocks, &s.text);
        let code_b = index_of(&s, "```xml\n<b/>");
        let first = units.iter().find(|u| u.contains(&code_b)).unwrap();
        assert_eq!(first.len(), 5, "{first:?}");
        let code_py = index_of(&s, "```py");
        let item_c = index_of(&s, "- c");
        assert!(units
            .iter()
            .any(|u| u.contains(&code_py) && u.contains(&item_c)));
        // Code after an item that does not lead into it is no part of the list.
        let code_sh = index_of(&s, "```sh");
        assert!(units.iter().all(|u| !u.contains(&code_sh)), "{units:?}");
    }

    #[test]
    fn an_item_dropped_as_a_repeat_goes_where_its_list_goes() {
        let s = skill("# T\n\n- alpha one\n- beta two\n\n## More\n\n- gamma\n- alpha one\n- delta\n\n## Last\n\n- epsilon\n- alpha one\n");
        let n = s.body.blocks.len();
        let repeat = |at: usize| {
            (0..n)
                .filter(|&i| s.text[s.body.blocks[i].range.clone()].starts_with("- alpha one"))
                .nth(at)
                .unwrap()
        };
        let mut fates = vec![Fate::Keep; n];
        fates[repeat(1)] = Fate::Drop(repeat(0));
        let epsilon = index_of(&s, "- epsilon");
        fates[epsilon] = Fate::Move("references/background.md");
        fates[repeat(2)] = Fate::Drop(repeat(0));
        guard(&s, &[], &mut fates);
        // Its list stays: the item stays with it.
        assert_eq!(fates[repeat(1)], Fate::Keep);
        // Its list moves: the item moves with it.
        assert_eq!(fates[repeat(2)], Fate::Move("references/background.md"));
    }

    #[test]
    fn verdicts_are_found() {
        assert!(has_verdict("- ✅ `git commit -m \"fix: x\"`"));
        assert!(has_verdict("WRONG: `rm -rf /`"));
        assert!(has_verdict("Bad: calling the API twice"));
        assert!(!has_verdict("A badge shows the build state."));
    }
}
