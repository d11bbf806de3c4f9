//! The signals in one block's own text, its kind and the sentence that introduces it, and
//! the decision they add up to. Each rule of `decide` returns the reason it fired, so a
//! label can always be explained.

use super::section::{self, Section};
use super::{Classified, Label};
use crate::skill::{Block, BlockKind, Markdown};

/// Verbs that open an instruction when they start a sentence ("Run", "Never", "Check").
const IMPERATIVES: &[&str] = &[
    "account",
    "add",
    "adjust",
    "answer",
    "calculate",
    "design",
    "distinguish",
    "draw",
    "establish",
    "interpret",
    "spawn",
    "target",
    "pay",
    "aim",
    "favor",
    "favour",
    "reserve",
    "align",
    "always",
    "analyze",
    "analyse",
    "annotate",
    "append",
    "apply",
    "ask",
    "assert",
    "assess",
    "assign",
    "attach",
    "avoid",
    "be",
    "begin",
    "break",
    "build",
    "bump",
    "call",
    "capture",
    "change",
    "check",
    "choose",
    "cite",
    "clarify",
    "classify",
    "clean",
    "clear",
    "clone",
    "close",
    "collect",
    "combine",
    "commit",
    "compare",
    "compile",
    "complete",
    "compute",
    "configure",
    "confirm",
    "consider",
    "consult",
    "continue",
    "convert",
    "copy",
    "correct",
    "create",
    "cross-check",
    "declare",
    "decide",
    "default",
    "define",
    "delete",
    "delegate",
    "deploy",
    "describe",
    "detect",
    "determine",
    "disable",
    "discard",
    "display",
    "do",
    "document",
    "don't",
    "double-check",
    "download",
    "draft",
    "drop",
    "edit",
    "emit",
    "enable",
    "enforce",
    "ensure",
    "enter",
    "escalate",
    "escape",
    "estimate",
    "evaluate",
    "examine",
    "exclude",
    "execute",
    "exit",
    "expand",
    "explain",
    "export",
    "extract",
    "fail",
    "fetch",
    "fill",
    "filter",
    "finalize",
    "find",
    "fix",
    "flag",
    "focus",
    "follow",
    "force",
    "format",
    "gather",
    "generate",
    "get",
    "give",
    "go",
    "group",
    "handle",
    "highlight",
    "identify",
    "ignore",
    "implement",
    "import",
    "include",
    "increase",
    "infer",
    "inform",
    "initialize",
    "insert",
    "inspect",
    "install",
    "instead",
    "invoke",
    "keep",
    "label",
    "launch",
    "lead",
    "leave",
    "let",
    "limit",
    "link",
    "list",
    "load",
    "locate",
    "lock",
    "log",
    "look",
    "make",
    "map",
    "mark",
    "match",
    "measure",
    "mention",
    "merge",
    "minimize",
    "mirror",
    "modify",
    "monitor",
    "move",
    "name",
    "navigate",
    "never",
    "normalize",
    "note",
    "notify",
    "omit",
    "only",
    "open",
    "order",
    "organize",
    "output",
    "parse",
    "pass",
    "paste",
    "pause",
    "perform",
    "pick",
    "pin",
    "place",
    "plan",
    "point",
    "populate",
    "post",
    "prefer",
    "prefix",
    "prepare",
    "present",
    "preserve",
    "prevent",
    "print",
    "prioritize",
    "proceed",
    "produce",
    "prompt",
    "propose",
    "protect",
    "provide",
    "pull",
    "push",
    "put",
    "query",
    "quote",
    "raise",
    "re-run",
    "read",
    "rebuild",
    "record",
    "reduce",
    "refactor",
    "reference",
    "refresh",
    "register",
    "reject",
    "reload",
    "remember",
    "remove",
    "rename",
    "render",
    "reorder",
    "repeat",
    "rephrase",
    "replace",
    "reply",
    "report",
    "request",
    "require",
    "rerun",
    "reset",
    "resolve",
    "respect",
    "respond",
    "restart",
    "restore",
    "restrict",
    "resume",
    "retry",
    "return",
    "reuse",
    "review",
    "revert",
    "rewrite",
    "route",
    "run",
    "save",
    "scan",
    "score",
    "search",
    "select",
    "send",
    "separate",
    "set",
    "share",
    "show",
    "simplify",
    "skip",
    "sort",
    "specify",
    "split",
    "start",
    "state",
    "stay",
    "stop",
    "store",
    "structure",
    "submit",
    "suggest",
    "summarize",
    "summarise",
    "supply",
    "switch",
    "synthesize",
    "tag",
    "take",
    "tell",
    "test",
    "think",
    "track",
    "transform",
    "translate",
    "treat",
    "trigger",
    "trim",
    "try",
    "turn",
    "type",
    "uncomment",
    "update",
    "upgrade",
    "upload",
    "use",
    "validate",
    "verify",
    "view",
    "visit",
    "wait",
    "warn",
    "watch",
    "wrap",
    "write",
];

/// Phrases that make a sentence binding wherever they stand.
const MODALS: &[&str] = &[
    "must",
    "mustn't",
    "never",
    "always",
    "do not",
    "don't",
    "does not need",
    "should",
    "shouldn't",
    "shall",
    "required",
    "requires",
    "need to",
    "needs to",
    "have to",
    "has to",
    "make sure",
    "ensure",
    "only if",
    "only when",
    "avoid",
    "instead of",
    "forbidden",
    "not allowed",
    "mandatory",
    "important",
    "critical",
    "warning",
    "you'll need",
    "you will need",
    "is required",
    "are required",
    "prefer",
    "unless",
    "otherwise",
    "at least",
    "at most",
    "no more than",
    "stop and",
    "cannot",
    "can't",
];

/// Phrases that open an illustration.
const EXAMPLE_OPENERS: &[&str] = &[
    "for example",
    "e.g.",
    "eg.",
    "example:",
    "examples:",
    "example ",
    "for instance",
    "sample:",
    "sample output",
    "input:",
    "output:",
    "user:",
    "assistant:",
    "q:",
    "such as:",
    "like this:",
    "here's an example",
    "here is an example",
    "here's how",
    "demo:",
    "result:",
    "bad:",
    "good:",
    "before:",
    "after:",
    "wrong:",
    "right:",
    "incorrect:",
    "correct:",
];

/// Words in an introducing sentence that announce what the next code block is.
const TEMPLATE_WORDS: &[&str] = &[
    "template",
    "templates",
    "skeleton",
    "boilerplate",
    "structure",
    "format",
    "scaffold",
];
/// Words that announce an illustration whatever else the sentence says.
const EXAMPLE_WORDS: &[&str] = &[
    "example",
    "examples",
    "e.g",
    "sample",
    "samples",
    "demo",
    "illustrat",
    "instance",
];
/// Words that suggest one, unless the sentence says to run or write the code.
const EXAMPLE_HINTS: &[&str] = &[
    "output",
    "pattern",
    "patterns",
    "usage",
    "snippet",
    "such as",
    "like this",
    "looks like",
];
const RUN_WORDS: &[&str] = &[
    "run", "execute", "install", "invoke", "call", "command", "type", "enter", "paste",
];

const SHELLS: &[&str] = &[
    "bash",
    "sh",
    "shell",
    "zsh",
    "console",
    "terminal",
    "powershell",
    "ps1",
    "cmd",
    "fish",
    "shell-session",
    "shellsession",
];

/// Openings of sentences that describe rather than instruct.
const DESCRIPTIVE: &[&str] = &[
    " is a ",
    " is an ",
    " are a ",
    " provides ",
    " provide ",
    " allows ",
    " allow ",
    " enables ",
    " enable ",
    " supports ",
    " offers ",
    " contains ",
    " includes ",
    " is designed ",
    " designed to ",
    " is built ",
    " lets you ",
    " helps ",
    " is used ",
    " are used ",
    " was ",
    " were ",
    " works by ",
    " is based ",
    " consists of ",
    " represents ",
    " refers to ",
    " means ",
    " is useful ",
    " is ideal ",
];

/// What the signals read in one block's text, worked out once and shared by the
/// hand-written decision and the model's features (both asked the same questions of
/// the same text, which was a fifth of a registry lint).
pub struct Reading {
    /// `lower_plain` of the block.
    pub plain: String,
    /// `plain` with quoted passages blanked (`without_quotes`).
    pub unquoted: String,
    /// `instruction` of `unquoted`.
    pub imperative: Option<&'static str>,
    /// `has_modal` of `unquoted`.
    pub modal: bool,
    /// `condition` of `unquoted`, trimmed.
    pub condition: Option<&'static str>,
    /// `has_placeholders` of the block as written.
    pub placeholders: bool,
}

impl Reading {
    pub fn of(body: &str) -> Reading {
        let plain = lower_plain(body);
        let unquoted = without_quotes(&plain);
        Reading {
            imperative: instruction(&unquoted),
            modal: has_modal(&unquoted),
            condition: condition(unquoted.trim()),
            placeholders: has_placeholders(body),
            plain,
            unquoted,
        }
    }
}

/// Labels a block by its own signals. `lead_in` is the text of the block right before it,
/// when that is a labelled block (a sentence introducing a code block, say).
/// `section` is what the block's headings name (`section::of_path`).
pub fn decide(
    block: &Block,
    body: &str,
    reading: &Reading,
    lead_in: Option<&str>,
    first: bool,
    section: Option<Section>,
) -> (Label, &'static str) {
    match &block.kind {
        BlockKind::Code { info, .. } => code(info, body, lead_in, section),
        BlockKind::Table => table(body, section),
        BlockKind::Html if body.trim_start().starts_with("<!--") => {
            (Label::Background, "an HTML comment: notes for maintainers")
        }
        BlockKind::Paragraph
            if first
                && block.heading_path.len() <= 1
                && instruction(&lower_plain(body)).is_none() =>
        {
            (Label::Background, "the opening paragraph: an introduction")
        }
        BlockKind::ListItem { ordered } => prose(reading, section, *ordered),
        BlockKind::BlockQuote if reading.plain.trim_start().starts_with(['"', '“']) => {
            (Label::Example, "a quoted sample")
        }
        _ => prose(reading, section, false),
    }
}

fn code(
    info: &str,
    body: &str,
    lead_in: Option<&str>,
    section: Option<Section>,
) -> (Label, &'static str) {
    let lang = info.split_whitespace().next().unwrap_or("").to_lowercase();
    let content = fence_content(body);
    let lead = lead_in.map(lower_plain).unwrap_or_default();
    let leads = lead.trim_end().ends_with(':') || lead.split_whitespace().count() <= 12;
    if has_placeholders(content) {
        return (Label::Template, "code with placeholders to fill in");
    }
    if leads && contains_word_any(&lead, TEMPLATE_WORDS) {
        return (Label::Template, "code introduced as a template or format");
    }
    if leads && (starts_with_any(&lead, EXAMPLE_OPENERS) || contains_word_any(&lead, EXAMPLE_WORDS))
    {
        return (Label::Example, "code introduced as an example");
    }
    let run = leads && (contains_word_any(&lead, RUN_WORDS) || instruction(&lead).is_some());
    if leads && !run && contains_word_any(&lead, EXAMPLE_HINTS) {
        return (Label::Example, "code introduced as an example");
    }
    match section {
        Some(Section::Template) => {
            return (
                Label::Template,
                "code under a template or output-format heading",
            )
        }
        Some(Section::Example) => return (Label::Example, "code under an examples heading"),
        _ => {}
    }
    if run {
        return (
            Label::CoreRule,
            "code introduced by an instruction to run or write it",
        );
    }
    let lines = content.lines().filter(|l| !l.trim().is_empty()).count();
    if SHELLS.contains(&lang.as_str()) {
        return (Label::CoreRule, "shell commands the procedure runs");
    }
    if matches!(section, Some(Section::Core)) {
        return (Label::CoreRule, "code under a procedure heading");
    }
    if matches!(section, Some(Section::Background)) && lines > 0 {
        return (Label::Example, "code in an overview section illustrates");
    }
    if lines >= 6
        && !matches!(
            lang.as_str(),
            "" | "text" | "txt" | "plain" | "markdown" | "md"
        )
    {
        return (
            Label::Example,
            "several lines of sample code, not introduced as a step",
        );
    }
    (
        Label::CoreRule,
        "code with no sign of being an illustration",
    )
}

fn table(body: &str, section: Option<Section>) -> (Label, &'static str) {
    let header = lower_plain(body.lines().next().unwrap_or(""));
    let cells: Vec<String> = header
        .split('|')
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    const RULE_HEADERS: &[&str] = &[
        "rule",
        "rules",
        "do",
        "don't",
        "dont",
        "avoid",
        "instead",
        "must",
        "when",
        "if",
        "condition",
        "situation",
        "scenario",
        "action",
        "then",
        "check",
        "step",
        "fix",
        "correct",
        "wrong",
        "bad",
        "good",
        "trigger",
        "response",
        "mistake",
    ];
    const OPTION_HEADERS: &[&str] = &[
        "option",
        "options",
        "parameter",
        "parameters",
        "param",
        "flag",
        "flags",
        "argument",
        "arguments",
        "field",
        "fields",
        "type",
        "default",
        "description",
        "file",
        "files",
        "purpose",
        "source",
        "feature",
        "features",
        "method",
        "function",
        "api",
        "endpoint",
        "property",
        "value",
        "values",
        "name",
        "format",
        "tool",
        "tools",
        "model",
        "version",
        "platform",
        "component",
        "module",
        "class",
        "variable",
        "key",
        "meaning",
        "summary",
        "skill",
        "skills",
        "consumer",
        "syntax",
        "example",
        "examples",
        "details",
    ];
    let is_rule = cells.iter().any(|c| {
        section::words(c)
            .iter()
            .any(|w| RULE_HEADERS.contains(&w.as_str()))
    });
    if is_rule {
        return (Label::CoreRule, "table of rules or decisions");
    }
    match section {
        Some(Section::Template) => return (Label::Template, "table under a template heading"),
        Some(Section::Example) => return (Label::Example, "table under an examples heading"),
        Some(Section::Background | Section::WhenToUse) => {
            return (
                Label::Background,
                "table in an overview or reference section",
            )
        }
        _ => {}
    }
    let is_options = cells.iter().any(|c| {
        section::words(c)
            .iter()
            .any(|w| OPTION_HEADERS.contains(&w.as_str()))
    });
    if is_options {
        return (Label::Background, "table of options or reference facts");
    }
    (
        Label::CoreRule,
        "table with no sign of being reference material",
    )
}

fn prose(reading: &Reading, section: Option<Section>, step: bool) -> (Label, &'static str) {
    let text = reading.unquoted.trim();
    let body_lines = || reading.plain.lines().count();
    if starts_with_any(text, EXAMPLE_OPENERS) {
        return (Label::Example, "opens as an example");
    }
    if reading.placeholders && body_lines() >= 3 {
        return (Label::Template, "text with placeholders to fill in");
    }
    if text.starts_with("when to use") || text.starts_with("use this skill when") {
        return (
            Label::Background,
            "\"when to use\" prose: only the description routes",
        );
    }
    if ["→", "->", "=>"].iter().any(|a| text.contains(a)) && !reading.placeholders {
        return (
            Label::CoreRule,
            "maps a case to what to do: a decision rule",
        );
    }
    if matches!(section, Some(Section::WhenToUse)) {
        return (
            Label::Background,
            "\"when to use\" prose: only the description routes",
        );
    }
    if is_pointer(text) {
        return (Label::Background, "points to further reading");
    }
    let modal = reading.modal;
    let imperative = reading.imperative;
    if let Some(reason) = reading.condition {
        return (Label::CoreRule, reason);
    }
    if section == Some(Section::Background) {
        return if modal {
            (
                Label::CoreRule,
                "a binding word (must, never, always...) in an overview",
            )
        } else if let Some(reason) = imperative {
            (Label::CoreRule, reason)
        } else {
            (
                Label::Background,
                "prose under an overview or reference heading",
            )
        };
    }
    if modal {
        return (
            Label::CoreRule,
            "a binding word: must, never, always, do not, should...",
        );
    }
    if let Some(reason) = imperative {
        return (Label::CoreRule, reason);
    }
    if matches!(section, Some(Section::Template)) {
        return (Label::Template, "under a template or output-format heading");
    }
    if step {
        return (Label::CoreRule, "an item of a numbered list: a step");
    }
    if is_catalogue_entry(text) {
        return (
            Label::Background,
            "a catalogue entry: a term and what it is",
        );
    }
    if is_descriptive(text) {
        return (Label::Background, "describes rather than instructs");
    }
    (Label::CoreRule, NO_SIGN)
}

/// Whether `text` (lowercase, plain) instructs: an imperative verb opening it or one of
/// its sentences, or a condition followed by one.
pub fn instruction(text: &str) -> Option<&'static str> {
    // Soft line breaks wrap one sentence; they do not start a new one.
    let joined = text.trim().replace('\n', " ");
    let (label, rest) = split_label(&joined);
    for part in [label, rest].into_iter().flatten() {
        for sentence in sentences(part) {
            let first = first_word(sentence);
            if is_imperative(&first) {
                return Some("an imperative: an instruction to the agent");
            }
            if matches!(
                first.as_str(),
                "if" | "when" | "before" | "after" | "once" | "unless" | "whenever" | "for"
            ) && sentence
                .split_once(',')
                .is_some_and(|(_, then)| is_imperative(&first_word(then)))
            {
                return Some("a condition and what to do: a decision rule");
            }
        }
    }
    None
}

/// Whether `word` is one of the imperative verbs: a set, since a linear search of the
/// list per sentence showed up in profiles of a registry lint.
pub fn is_imperative(word: &str) -> bool {
    static SET: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| IMPERATIVES.iter().copied().collect());
    SET.contains(word)
}

pub fn has_modal(text: &str) -> bool {
    // " text ", each of the punctuation marks a space: one string, built once, a byte at
    // a time (the marks are ASCII, so the result is as valid UTF-8 as the text).
    let mut bytes = Vec::with_capacity(text.len() + 2);
    bytes.push(b' ');
    bytes.extend(text.bytes().map(|b| match b {
        b'.' | b',' | b';' | b':' | b'!' | b'(' | b')' | b'"' | b'\n' => b' ',
        b => b,
    }));
    bytes.push(b' ');
    let padded = String::from_utf8(bytes).unwrap_or_default();
    // One automaton for the whole list: a substring search per phrase showed up in
    // profiles of a registry lint.
    static PADDED: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::new(MODALS.iter().map(|m| format!(" {m} ")))
                .expect("the modal phrases build an automaton")
        });
    PADDED.find_overlapping_iter(&padded).any(|found| {
        let m = MODALS[found.pattern().as_usize()];
        let i = found.start();
        // "was never standardised", "is always on": a description, not a rule.
        let before = padded[..i].rsplit(' ').next().unwrap_or("");
        !(matches!(m, "never" | "always")
            && matches!(
                before,
                "was" | "were" | "is" | "are" | "has" | "have" | "had" | "been" | "be"
            ))
    })
}

/// "If X, ...", "When X → Y", checklist questions: decisions the agent has to make.
pub fn condition(text: &str) -> Option<&'static str> {
    let first = first_word(text);
    if text.starts_with("when to use") || text.starts_with("use when") {
        return None;
    }
    if matches!(first.as_str(), "if" | "when" | "whenever" | "unless")
        && (text.contains('→') || text.contains("->") || text.contains(',') || text.contains(':'))
    {
        return Some("a condition and what follows from it: a decision rule");
    }
    if text.trim_end().ends_with('?') && text.lines().count() <= 2 {
        return Some("a question to ask: a checklist item");
    }
    None
}

/// Text with quoted passages blanked: a quotation's "never" binds nobody, and a quoted
/// request ("optimize my prompt") is the user speaking, not the author.
pub fn without_quotes(text: &str) -> String {
    // Most blocks hold no quotation mark at all ('“' and '”' start with byte 0xE2).
    if !text.bytes().any(|b| b == b'"' || b == 0xE2) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    for c in text.chars() {
        if matches!(c, '"' | '“' | '”') {
            quoted = !quoted;
            out.push(' ');
        } else if !quoted {
            out.push(c);
        }
    }
    if quoted {
        // An unbalanced quote: keep the text as it was.
        return text.to_string();
    }
    out
}

/// "**Term**: what it is" or "`term` - what it is", with no instruction in it.
fn is_catalogue_entry(text: &str) -> bool {
    let (label, rest) = split_label(text);
    label.is_some() && rest.is_some_and(|r| instruction(r).is_none())
}

fn is_descriptive(text: &str) -> bool {
    let padded = format!(" {} ", text);
    let first = first_word(text);
    matches!(
        first.as_str(),
        "this" | "the" | "these" | "it" | "a" | "an" | "our" | "we" | "i"
    ) && {
        static SEARCH: std::sync::LazyLock<aho_corasick::AhoCorasick> =
            std::sync::LazyLock::new(|| {
                aho_corasick::AhoCorasick::new(DESCRIPTIVE)
                    .expect("the descriptive openings build an automaton")
            });
        SEARCH.is_match(&padded)
    }
}

/// "See X for...", "More: URL", a bare link: pointers to further reading.
fn is_pointer(text: &str) -> bool {
    let t = text.trim_start_matches(['-', '*', ' ']);
    (t.starts_with("see ")
        || t.starts_with("refer to ")
        || t.starts_with("for more")
        || t.starts_with("for details")
        || t.starts_with("for detailed")
        || t.starts_with("learn more")
        || t.starts_with("more info")
        || t.starts_with("documentation:")
        || t.starts_with("docs:")
        || t.starts_with("full documentation")
        || t.starts_with("reference:"))
        && t.split_whitespace().count() <= 40
        && !has_modal(t)
}

/// `{{name}}`, `<your-key>`, `[TODO]`, `YOUR_API_KEY`, `[Insert ...]`.
pub fn has_placeholders(text: &str) -> bool {
    if text.contains("{{") && text.contains("}}") {
        return true;
    }
    // One automaton per list (a substring search per phrase showed in registry profiles).
    // ASCII text (nearly all) is matched case-insensitively in place; other text is
    // lowercased through the Unicode tables first, as before.
    static SLOTS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(SLOT_OPENINGS)
            .expect("the placeholder openings build an automaton")
    });
    let slot = if text.is_ascii() {
        SLOTS.is_match(text)
    } else {
        SLOTS.is_match(&text.to_lowercase())
    };
    slot || text.contains("YOUR_") || bracket_placeholders(text) >= 2 || elided(text)
}

/// Openings of a slot to fill in, in lower case.
const SLOT_OPENINGS: &[&str] = &[
    "[todo",
    "<todo",
    "todo:",
    "[insert",
    "<insert",
    "[your",
    "<your",
    "your_",
    "your-",
    "[placeholder",
    "<placeholder",
];

/// Quoted or commented ellipses standing for content to fill in: `'...'`, `/* ... */`.
fn elided(text: &str) -> bool {
    static ELLIPSES: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build([
                    "'...'",
                    "\"...\"",
                    "/* ... */",
                    "<...>",
                    "[...]",
                    "# ...",
                    "// ...",
                ])
                .expect("the ellipses build an automaton")
        });
    // Every pattern holds "...": most blocks have none.
    text.contains("...") && ELLIPSES.is_match(text)
}

/// Counts `[Like This]` / `<like-this>` / `{like_this}` spans that read as slots.
fn bracket_placeholders(text: &str) -> usize {
    let mut n = 0;
    // Single braces are left out: f-strings, format strings and object literals use them.
    for (open, close) in [('[', ']'), ('<', '>')] {
        let mut rest = text;
        while let Some(s) = rest.find(open) {
            let after = &rest[s + 1..];
            let Some(e) = after.find(close) else { break };
            let inner = &after[..e];
            let followed_by_link = after[e + 1..].starts_with('(');
            let slot = !inner.is_empty()
                && inner.trim() == inner
                && inner.len() <= 40
                && !followed_by_link
                && inner
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '/' | '.'))
                && inner.chars().any(|c| c.is_alphabetic())
                && match open {
                    '[' => {
                        inner.chars().next().is_some_and(|c| c.is_uppercase())
                            && inner.contains(' ')
                            || inner
                                .chars()
                                .all(|c| c.is_uppercase() || c == '_' || c == ' ')
                    }
                    '<' => {
                        inner.contains(['-', '_', ' '])
                            && !inner.contains('/')
                            && inner
                                .chars()
                                .next()
                                .is_some_and(|c| c.is_lowercase() || c.is_uppercase())
                    }
                    _ => {
                        inner.chars().all(|c| c.is_alphanumeric() || c == '_')
                            && !inner.chars().all(|c| c.is_ascii_digit())
                    }
                };
            if slot {
                n += 1;
            }
            rest = &after[e + 1..];
        }
    }
    n
}

/// The reason for prose that shows no signal at all: core rule, as when unsure.
pub const NO_SIGN: &str = "no sign of being background, example or template";

/// Items of a list that a descriptive sentence introduces ("The script will
/// automatically:", "X integrates with:") describe too, when they show no signal of
/// their own.
pub fn follow_descriptive_lists(text: &str, md: &Markdown, out: &mut [Classified]) {
    let mut lead_is_descriptive = false;
    for c in out.iter_mut() {
        let block = &md.blocks[c.block];
        match block.kind {
            BlockKind::ListItem { .. } => {
                if lead_is_descriptive && c.reason == NO_SIGN {
                    c.label = Label::Background;
                    c.reason = "an item of a list a description introduces".into();
                }
            }
            BlockKind::Paragraph => {
                let t = without_quotes(&lower_plain(&text[c.range.clone()]));
                let t = t.trim();
                lead_is_descriptive = t.ends_with(':') && c.label != Label::CoreRule
                    || t.ends_with(':')
                        && instruction(t).is_none()
                        && !has_modal(t)
                        && condition(t).is_none()
                        && !matches!(
                            first_word(t).as_str(),
                            "for" | "if" | "when" | "your" | "you" | "before" | "after"
                        );
            }
            _ => lead_is_descriptive = false,
        }
    }
}

/// After each block is labelled alone: a short sentence ending in ':' that introduces the
/// next block shares its label unless it instructs on its own.
pub fn follow_lead_ins(text: &str, md: &Markdown, out: &mut [Classified]) {
    for n in (0..out.len().saturating_sub(1)).rev() {
        let (this, next) = (&out[n], &out[n + 1]);
        if next.block != this.block + 1 || this.label == Label::Redundant {
            continue;
        }
        let block = &md.blocks[this.block];
        if !matches!(block.kind, BlockKind::Paragraph) {
            continue;
        }
        let t = lower_plain(&text[this.range.clone()]);
        let t = t.trim();
        if !t.ends_with(':') || t.split_whitespace().count() > 30 {
            continue;
        }
        // A sentence introducing a template usually says to use it: it stays as it is.
        if next.label == this.label || matches!(next.label, Label::Redundant | Label::Template) {
            continue;
        }
        let case = matches!(
            first_word(t).as_str(),
            "for" | "if" | "when" | "after" | "before"
        );
        if this.label == Label::CoreRule && (case || instruction(t).is_some()) {
            continue;
        }
        let label = next.label;
        out[n].label = label;
        out[n].reason = "introduces the block that follows".into();
    }
}

/// The text between a fence's opening and closing lines.
fn fence_content(body: &str) -> &str {
    let t = body.trim_start();
    if t.starts_with("```") || t.starts_with("~~~") {
        let start = t.find('\n').map_or(t.len(), |i| i + 1);
        let inner = &t[start..];
        let end = inner.trim_end().rfind('\n').unwrap_or(0);
        let last = inner.trim_end()[end..].trim();
        if last.starts_with("```") || last.starts_with("~~~") {
            return &inner[..end];
        }
        return inner;
    }
    body
}

/// Lowercase text without list markers, emphasis, code ticks or quote markers.
pub fn lower_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut l = line.trim_start();
        l = l.trim_start_matches('>').trim_start();
        if let Some(rest) = l
            .strip_prefix("- [ ] ")
            .or_else(|| l.strip_prefix("- [x] "))
        {
            l = rest;
        } else if let Some(rest) = l
            .strip_prefix("- ")
            .or_else(|| l.strip_prefix("* "))
            .or_else(|| l.strip_prefix("+ "))
        {
            l = rest;
        } else {
            let digits = l.chars().take_while(|c| c.is_ascii_digit()).count();
            if digits > 0 && (l[digits..].starts_with(". ") || l[digits..].starts_with(") ")) {
                l = &l[digits + 2..];
            }
        }
        // Emphasis and code ticks go as the line is copied: one string, not three.
        for piece in l.split(['*', '`']) {
            out.push_str(piece);
        }
        out.push('\n');
    }
    let mut out = if out.contains("__") {
        out.replace("__", "")
    } else {
        out
    };
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
}

/// Splits "term: rest" / "term — rest" / "term - rest" when the term is short.
fn split_label(text: &str) -> (Option<&str>, Option<&str>) {
    // A label is at most six words, so a separator that counts must start before the
    // seventh word: only that much of the text (and the longest separator) is searched.
    let mut words = 0;
    let mut in_word = false;
    let mut limit = text.len();
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words == 7 {
                limit = i;
                break;
            }
        }
    }
    let mut end = (limit + " — ".len()).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    // A few dozen bytes: one scan for where each separator first starts costs less than
    // setting up a substring searcher per separator.
    const SEPS: [&str; 5] = [": ", " — ", " – ", " - ", " → "];
    let head = &text.as_bytes()[..end];
    let mut first = [usize::MAX; SEPS.len()];
    for (i, &b) in head.iter().enumerate() {
        if b != b':' && b != b' ' {
            continue;
        }
        for (k, sep) in SEPS.iter().enumerate() {
            if first[k] == usize::MAX && head[i..].starts_with(sep.as_bytes()) {
                first[k] = i;
            }
        }
    }
    for (sep, at) in SEPS.iter().zip(first) {
        if at != usize::MAX {
            let (l, r) = (&text[..at], &text[at + sep.len()..]);
            if l.split_whitespace().count() <= 6 && !l.is_empty() {
                return (Some(l), Some(r));
            }
        }
    }
    (None, Some(text))
}

fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['.', '!', '?', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn first_word(text: &str) -> String {
    text.trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-' || c == '’'))
        .next()
        .unwrap_or("")
        .replace('’', "'")
}

fn starts_with_any(text: &str, prefixes: &[&str]) -> bool {
    let t = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    prefixes.iter().any(|p| t.starts_with(p))
}

/// Whether any of `words` stands in `text` as a whole word (or, for a stem ending in no
/// letter like "illustrat", as a word start).
fn contains_word_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        text.match_indices(w).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + w.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric)
                && (STEMS.contains(w) || !after.is_some_and(char::is_alphanumeric))
        })
    })
}

/// Entries of the word lists that match any word they start.
const STEMS: &[&str] = &["illustrat", "e.g"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_and_descriptions() {
        assert!(instruction("run the tests before committing").is_some());
        assert!(instruction("if the build fails, check the logs").is_some());
        assert!(instruction("**step 1**: create the file").is_some());
        assert!(instruction("the library provides fast parsing").is_none());
        assert!(has_modal("you must quote the value"));
        assert!(!has_modal("mustard is yellow"));
        assert!(is_descriptive("this skill provides tools for pdfs"));
    }

    #[test]
    fn placeholders() {
        assert!(has_placeholders("Hello {{name}}"));
        assert!(has_placeholders("api_key = <your-api-key>"));
        assert!(has_placeholders("## [Project Name]\n\n[Short Summary]"));
        assert!(!has_placeholders(
            "let v = vec![1, 2];\nif a < b && c > d {}"
        ));
    }
}
