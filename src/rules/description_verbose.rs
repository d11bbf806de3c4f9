//! A description carrying content that does not help routing: examples, feature
//! catalogues, long lists of quoted trigger phrases. The description is paid for on every
//! request by every agent that has the skill installed; that content belongs in the body.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{description_of, Context, FixKind, RuleMeta, RuleOption};

pub const META: RuleMeta = RuleMeta {
    code: "U004",
    name: "description-verbose",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "description carries examples, feature catalogues or long trigger lists",
    options: &[MIN_TOKENS],
};

/// The `min-tokens` option.
pub const MIN_TOKENS: RuleOption = RuleOption {
    name: "min-tokens",
    default: 25.0,
    help: "smallest number of tokens of non-routing content reported",
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some((description, span)) = description_of(ctx.skill) else {
        return;
    };
    let min_tokens = ctx.option(&META, &MIN_TOKENS) as usize;
    let raw = &ctx.skill.text[span.clone()];
    let mut parts: Vec<(&str, &'static str, usize)> = Vec::new();
    for (i, sentence) in sentences(&description).into_iter().enumerate() {
        if let Some(kind) = non_routing(sentence, i == 0) {
            parts.push((sentence, kind, ctx.count_tokens(sentence)));
        }
    }
    let total: usize = parts.iter().map(|p| p.2).sum();
    if total < min_tokens {
        return;
    }
    let Some(&(largest, kind, tokens)) = parts.iter().max_by_key(|p| p.2) else {
        return;
    };
    // Point at the largest part when it stands verbatim in the file (a plain or quoted
    // scalar); a folded block scalar is pointed at whole.
    let range = raw.find(largest).map_or(span.clone(), |i| {
        span.start + i..span.start + i + largest.len()
    });
    let all = ctx.count_tokens(&description);
    out.push(
        Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            range,
            format!(
                "{total} of the description's {all} tokens are not routing content; the largest part is {kind} ({tokens} tokens)"
            ),
        )
        .help("keep what the skill does and when to use it; move examples, feature lists and trigger phrase lists into the body"),
    );
}

/// What kind of non-routing content a sentence is, if it is. The first sentence states
/// what the skill does, and a trigger clause ("Use when the user asks for a plan, an
/// ablation, a budget, ...") lists the requests it serves: long as they may be, their
/// lists are what a router matches, not a feature catalogue.
fn non_routing(sentence: &str, first: bool) -> Option<&'static str> {
    let lower = sentence.to_lowercase();
    let quoted = sentence.matches(['"', '“', '”']).count() / 2 + sentence.matches(" '").count();
    if quoted >= 4 {
        return Some("a list of quoted trigger phrases");
    }
    if [
        "e.g.",
        "for example",
        "example:",
        "examples:",
        "for instance",
        "such as",
    ]
    .iter()
    .any(|p| lower.contains(p))
        && sentence.matches(',').count() >= 2
        && !first
    {
        return Some("examples");
    }
    if sentence.matches(',').count() >= 6 && !first && !is_trigger_clause(&lower) {
        return Some("a feature catalogue");
    }
    None
}

fn is_trigger_clause(lower: &str) -> bool {
    [
        "use when",
        "use after",
        "use before",
        "use for",
        "use this when",
        "use this skill when",
        "when the user",
        "when asked",
        "when you need",
        "trigger",
        "invoke when",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Sentences: split after `.`, `!`, `?` or `;` followed by a space (so `e.g.` and `v1.2`
/// stay whole unless a space follows them).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?' | ';')
            && bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\n')
        {
            let s = text[start..=i].trim();
            let abbreviation = s.ends_with("e.g.")
                || s.ends_with("i.e.")
                || s.ends_with("etc.") && !s.ends_with(" etc.");
            if !abbreviation {
                if !s.is_empty() {
                    out.push(s);
                }
                start = i + 1;
            }
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::non_routing;

    #[test]
    fn capability_and_trigger_lists_are_routing_content() {
        let capability = "Turn long pages, PDFs, podcasts, videos, and local files into briefs before research, drafting, or execution steps.";
        assert_eq!(non_routing(capability, true), None);
        let triggers = "Use when the user asks for a plan, an ablation matrix, a protocol, a run order, a budget, a validation, or a review.";
        assert_eq!(non_routing(triggers, false), None);
        let catalogue =
            "It covers Auth, Databases, Storage, Functions, Messaging, Realtime, Sites, and Teams.";
        assert_eq!(non_routing(catalogue, false), Some("a feature catalogue"));
    }
}
