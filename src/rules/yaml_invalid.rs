//! Frontmatter a strict YAML parser rejects. Forgiving loaders still read it, strict ones
//! (and most tooling) do not, so the skill works in one agent and vanishes in another.
//! Each top-level entry is tried alone, so every bad value gets its own finding, a reason
//! in plain words and, where quoting keeps the forgiving reading, a safe fix.

use std::ops::Range;

use serde_yaml_ng::Value;

use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::quoting::{double_quoted, reads_back_as, shown};
use crate::rules::{Context, FixKind, RuleMeta};
use crate::skill::{Entry, Frontmatter, ValueStyle, YamlError};

pub const META: RuleMeta = RuleMeta {
    code: "F003",
    name: "yaml-invalid",
    severity: Severity::Error,
    fix: FixKind::Safe,
    summary: "the frontmatter is not valid YAML for a strict parser",
    options: &[],
};

/// Frontmatter with more entries than this tries each alone (trying each after the
/// others would be quadratic in hostile input).
const MAX_CONTEXT_ENTRIES: usize = 200;

/// Characters YAML reserves at the start of a plain scalar.
const INDICATORS: &[char] = &['[', '{', '*', '&', '!', '%', '@', '`'];

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    let Err(error) = &fm.strict else {
        return;
    };
    let text = &ctx.skill.text;
    if is_expansion_limit(&error.message) {
        out.push(alias_bomb(text, fm, &ctx.skill.manifest));
        return;
    }
    let before = out.len();
    // Entries are tried after the ones before them that parse, so an alias finds the
    // anchor it refers to (YAML defines anchors before their aliases).
    let mut context = String::new();
    let in_context = fm.entries.len() <= MAX_CONTEXT_ENTRIES;
    for entry in &fm.entries {
        if in_context {
            let candidate = format!("{context}{}\n", &text[entry.line_span.clone()]);
            if serde_yaml_ng::from_str::<Value>(&candidate).is_ok() {
                context = candidate;
                continue;
            }
        }
        if let Some(d) = check_entry(text, fm, entry, &ctx.skill.manifest) {
            out.push(d);
        }
    }
    if out.len() == before {
        out.push(whole_block(text, fm, error, &ctx.skill.manifest));
    }
}

/// A finding for `entry` when `key: value` alone is already rejected.
fn check_entry(text: &str, fm: &Frontmatter, entry: &Entry, file: &str) -> Option<Diagnostic> {
    let alone = &text[entry.line_span.clone()];
    let error = match serde_yaml_ng::from_str::<Value>(alone) {
        Ok(_) => return None,
        Err(e) => e.to_string(),
    };
    // A key YAML rejects (a control character in it) is the key's fault, not the value's:
    // quoting the value would change it and fix nothing.
    let key_alone = format!("{}: x\n", &text[entry.key_span.clone()]);
    if let Err(e) = serde_yaml_ng::from_str::<Value>(&key_alone) {
        return Some(
            Diagnostic::new(
                &META,
                file,
                entry.key_span.clone(),
                format!(
                    "the key {} is not valid YAML: {}",
                    shown(&entry.key),
                    parser_words(&e.to_string())
                ),
            )
            .help("write the key with letters, digits, `-` and `_` only"),
        );
    }
    let raw = &text[entry.value_span.clone()];
    // Alone, an alias misses its anchor; in the block it is fine.
    if is_alias(&text[fm.content.clone()], raw) {
        return None;
    }
    let anchored = uses_anchors(&text[fm.content.clone()], raw);
    let key = &entry.key;
    let (message, own_help) = match reason(text, entry, raw) {
        Some(_) if anchored => (
            format!(
                "the value of `{key}` uses YAML anchors or aliases a strict parser rejects: {}",
                parser_words(&error)
            ),
            Some(
                "define each anchor (`&name`) before its aliases (`*name`), or write the value out",
            ),
        ),
        Some(why) => why,
        None => (
            format!(
                "the value of `{key}` is not valid YAML: {}",
                parser_words(&error)
            ),
            None,
        ),
    };
    let range = if entry.value_span.is_empty() {
        entry.key_span.clone()
    } else {
        entry.value_span.clone()
    };
    let mut help = "put the value in double quotes, escaping `\\` and `\"` inside it".to_string();
    if has_comment(raw) {
        help.push_str(
            "; note that ` #` starts a comment, so a strict parser drops the text after it",
        );
    }
    let mut d = Diagnostic::new(&META, file, range, message);
    // Anchors and aliases are YAML the author meant: quoting would turn structure into text.
    // Nor is there a fix when the line goes on past the value with anything but spaces
    // (a form feed, say): quoting the value would leave that text after the quotes.
    let line_rest = text[entry.value_span.end..]
        .split(['\n', '\r'])
        .next()
        .unwrap_or("");
    let fix = if anchored || !line_rest.chars().all(|c| c == ' ' || c == '\t') {
        None
    } else {
        quote_fix(entry, raw)
    };
    if let Some(fix) = fix {
        d = d.fix(fix);
    } else if let Some(own) = own_help {
        help = own.to_string();
    } else if !matches!(
        entry.style,
        ValueStyle::Plain | ValueStyle::SingleQuoted | ValueStyle::DoubleQuoted | ValueStyle::Flow
    ) {
        help = "fix the YAML of this value so a strict parser accepts it".to_string();
    }
    Some(d.help(help))
}

/// The classic ways a value breaks strict YAML, in plain words, with advice of their own
/// when quoting is not the cure.
fn reason(text: &str, entry: &Entry, raw: &str) -> Option<(String, Option<&'static str>)> {
    let key = &entry.key;
    let first = raw.lines().next().unwrap_or("").trim_end();
    if let ValueStyle::Literal | ValueStyle::Folded = entry.style {
        let indicator = &first[..1];
        let rest = first.trim_start_matches([
            '|', '>', '+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
        ]);
        let rest = rest.trim_start();
        if !rest.is_empty() && !rest.starts_with('#') {
            return Some((
                format!("text follows the `{indicator}` of `{key}` on the same line; a block scalar's text must start on the next line"),
                Some("move the text to the lines after the indicator, indented"),
            ));
        }
    }
    let tab_indent = text[entry.line_span.clone()]
        .lines()
        .skip(1)
        .any(|l| l[..l.len() - l.trim_start().len()].contains('\t'));
    if tab_indent {
        return Some((
            format!("the value of `{key}` is indented with tabs, which YAML does not allow"),
            Some("indent with spaces"),
        ));
    }
    match entry.style {
        ValueStyle::SingleQuoted | ValueStyle::DoubleQuoted => {
            let q = if entry.style == ValueStyle::SingleQuoted {
                "'"
            } else {
                "\""
            };
            return Some((
                format!(
                    "the {}-quoted value of `{key}` holds an unescaped `{q}`{}",
                    if q == "'" { "single" } else { "double" },
                    if q == "\"" {
                        " or an unknown `\\` escape"
                    } else {
                        " (write it `''`)"
                    }
                ),
                None,
            ));
        }
        ValueStyle::Plain if first.starts_with(['"', '\'']) => {
            return Some((
                format!(
                    "the value of `{key}` starts with a quote that closes before the value ends: {}",
                    shown(&entry.value)
                ),
                None,
            ));
        }
        _ => {}
    }
    if let Some(c) = first.chars().next().filter(|c| INDICATORS.contains(c)) {
        return Some((
            format!(
                "the value of `{key}` starts with `{c}`, which YAML reserves for {}: {}",
                indicator_meaning(c),
                shown(&entry.value)
            ),
            None,
        ));
    }
    let value = strip_comment(raw);
    if value.contains(": ") || value.contains(":\t") || value.trim_end().ends_with(':') {
        return Some((
            format!(
                "the value of `{key}` contains `: `, which YAML reads as a nested key: {}",
                shown(&entry.value)
            ),
            None,
        ));
    }
    None
}

fn indicator_meaning(c: char) -> &'static str {
    match c {
        '[' | '{' => "a list or mapping written inline",
        '*' => "an alias",
        '&' => "an anchor",
        '!' => "a tag",
        '%' => "a directive",
        _ => "future use",
    }
}

/// The part of a raw value before a ` #` comment, line by line.
fn strip_comment(raw: &str) -> String {
    raw.lines()
        .map(|l| match l.find(" #").or_else(|| l.find("\t#")) {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn has_comment(raw: &str) -> bool {
    raw.contains(" #")
        || raw.contains("\t#")
        || raw.lines().skip(1).any(|l| l.trim_start().starts_with('#'))
}

/// Whether the strict parser gave up because aliases expand past its limit.
fn is_expansion_limit(message: &str) -> bool {
    message.starts_with("repetition limit exceeded")
        || message.starts_with("recursion limit exceeded")
}

/// The finding for an alias bomb: aliases of anchors holding aliases, expanding past what
/// a strict parser will build. Points at the first entry that takes the block over the
/// limit; no fix, since quoting would change what the YAML says.
fn alias_bomb(text: &str, fm: &Frontmatter, file: &str) -> Diagnostic {
    let mut context = String::new();
    let mut at = fm.entries.first().map(|e| e.line_span.clone());
    for entry in fm.entries.iter().take(MAX_CONTEXT_ENTRIES) {
        context.push_str(&text[entry.line_span.clone()]);
        context.push('\n');
        if let Err(e) = serde_yaml_ng::from_str::<Value>(&context) {
            if is_expansion_limit(&e.to_string()) {
                at = Some(entry.value_span.clone());
                break;
            }
        }
    }
    let range = at.unwrap_or_else(|| line_at(text, fm.content.start));
    Diagnostic::new(
        &META,
        file,
        range,
        "the frontmatter's aliases expand past a strict parser's limit: an alias bomb (anchors whose aliases repeat other aliases), which loaders refuse or take exponential memory to read".to_string(),
    )
    .help("write the values out instead of repeating anchors; frontmatter needs no aliases")
}

/// Names YAML reads as anchors (`&name`) or aliases (`*name`) in `raw`, by sigil: only
/// at the start of a node (the value, a flow item, a list item), as YAML does.
fn sigil_names(raw: &str, sigil: u8) -> Vec<&str> {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if b != sigil {
            continue;
        }
        let before = raw[..i].trim_end_matches([' ', '\t']);
        let at_node = before.is_empty()
            || before.ends_with(['[', '{', ',', ':', '\n'])
            || before.ends_with("- ")
            || before == "-";
        if !at_node {
            continue;
        }
        let name_end = raw[i + 1..]
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
            .map_or(raw.len(), |j| i + 1 + j);
        if name_end > i + 1 {
            out.push(&raw[i + 1..name_end]);
        }
    }
    out
}

/// Whether `raw` holds YAML anchor or alias syntax the block means as such: an anchor at
/// a node's start, or an alias of an anchor the block defines.
fn uses_anchors(content: &str, raw: &str) -> bool {
    let defined = sigil_names(content, b'&');
    !sigil_names(raw, b'&').is_empty() || sigil_names(raw, b'*').iter().any(|n| defined.contains(n))
}

/// Whether `raw` is an alias (`*name`) of an anchor (`&name`) the block defines: the
/// author meant YAML there, and quoting it would turn a reference into text.
fn is_alias(content: &str, raw: &str) -> bool {
    let Some(name) = raw.strip_prefix('*') else {
        return false;
    };
    let name = name.split_whitespace().next().unwrap_or("");
    !name.is_empty() && content.contains(&format!("&{name}"))
}

/// Re-quotes a scalar value as one double-quoted line, when that reads back strictly as
/// exactly what a forgiving loader reads today (so no loader sees a different value).
fn quote_fix(entry: &Entry, raw: &str) -> Option<Fix> {
    let scalar = matches!(
        entry.style,
        ValueStyle::Plain | ValueStyle::SingleQuoted | ValueStyle::DoubleQuoted | ValueStyle::Flow
    );
    // Text after ` #` is a comment to YAML and part of the value to forgiving loaders:
    // which one the author meant is not ours to guess.
    if !scalar || has_comment(raw) || raw.contains('\t') {
        return None;
    }
    let replacement = double_quoted(&entry.value);
    if !reads_back_as(&entry.key, &replacement, &entry.value) {
        return None;
    }
    Some(Fix::safe(
        format!("quote the value of `{}`", entry.key),
        vec![Edit {
            range: entry.value_span.clone(),
            replacement,
        }],
    ))
}

/// The finding when no single entry is to blame (duplicate keys, stray lines).
fn whole_block(text: &str, fm: &Frontmatter, error: &YamlError, file: &str) -> Diagnostic {
    if let Some(dup) = duplicate(fm) {
        return Diagnostic::new(
            &META,
            file,
            dup.key_span.clone(),
            format!(
                "the key `{}` appears more than once in the frontmatter",
                dup.key
            ),
        )
        .help(format!(
            "keep one `{}:` line; strict YAML rejects repeated keys",
            dup.key
        ));
    }
    let offset = error.offset.unwrap_or(fm.content.start).min(text.len());
    let range = fm
        .entries
        .iter()
        .find(|e| e.line_span.contains(&offset))
        .map(|e| e.line_span.clone())
        .unwrap_or_else(|| line_at(text, offset));
    Diagnostic::new(
        &META,
        file,
        range,
        format!("the frontmatter is not valid YAML: {}", parser_words(&error.message)),
    )
    .help("fix the YAML so a strict parser accepts it; putting text values in double quotes usually does")
}

fn duplicate(fm: &Frontmatter) -> Option<&Entry> {
    fm.entries
        .iter()
        .enumerate()
        .find(|(i, e)| fm.entries[..*i].iter().any(|p| p.key == e.key))
        .map(|(_, e)| e)
}

fn line_at(text: &str, offset: usize) -> Range<usize> {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| offset + i);
    start..end
}

/// The parser's message without its position (the renderer shows that).
fn parser_words(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skill::{frontmatter, FrontmatterState};

    fn findings(text: &str) -> Vec<Diagnostic> {
        let FrontmatterState::Present(fm) = frontmatter::parse(text).0 else {
            panic!("no frontmatter");
        };
        let mut out = Vec::new();
        if let Err(e) = &fm.strict {
            for entry in &fm.entries {
                out.extend(check_entry(text, &fm, entry, "SKILL.md"));
            }
            if out.is_empty() {
                out.push(whole_block(text, &fm, e, "SKILL.md"));
            }
        }
        out
    }

    /// Applies every fix and returns the result.
    fn fixed(text: &str, diags: &[Diagnostic]) -> String {
        let mut edits: Vec<&Edit> = diags
            .iter()
            .flat_map(|d| &d.fix.as_ref().unwrap().edits)
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut out = text.to_string();
        for e in edits {
            out.replace_range(e.range.clone(), &e.replacement);
        }
        out
    }

    #[test]
    fn one_finding_per_bad_value_and_the_fix_keeps_the_lenient_reading() {
        let text = "---\nname: demo\ndescription: Use this: when things happen\nlicense: [MIT] or Apache\nhint: *important* stuff\n---\nbody\n";
        let diags = findings(text);
        assert_eq!(diags.len(), 3, "{diags:#?}");
        assert!(
            diags[0].message.contains("contains `: `"),
            "{}",
            diags[0].message
        );
        assert!(
            diags[1].message.contains("starts with `[`"),
            "{}",
            diags[1].message
        );
        assert!(
            diags[2].message.contains("an alias"),
            "{}",
            diags[2].message
        );
        let after = fixed(text, &diags);
        let FrontmatterState::Present(fm) = frontmatter::parse(&after).0 else {
            panic!()
        };
        assert!(fm.strict.is_ok(), "{after}");
        assert_eq!(
            fm.string("description").unwrap(),
            "Use this: when things happen"
        );
        assert_eq!(fm.string("license").unwrap(), "[MIT] or Apache");
        assert_eq!(fm.string("hint").unwrap(), "*important* stuff");
    }

    #[test]
    fn multi_line_plain_value_is_folded_into_one_quoted_line() {
        let text =
            "---\nname: demo\ndescription: Does things.\n  Use when: asked \"nicely\" \\o/\n---\n";
        let diags = findings(text);
        assert_eq!(diags.len(), 1);
        let after = fixed(text, &diags);
        let FrontmatterState::Present(fm) = frontmatter::parse(&after).0 else {
            panic!()
        };
        assert_eq!(
            fm.string("description").unwrap(),
            "Does things. Use when: asked \"nicely\" \\o/"
        );
    }

    #[test]
    fn text_after_block_indicator_has_no_fix() {
        let text = "---\nname: demo\ndescription: | Does things\n  more\n---\n";
        let diags = findings(text);
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].message.contains("text follows the `|`"),
            "{}",
            diags[0].message
        );
        assert!(diags[0].fix.is_none());
    }

    #[test]
    fn comments_block_the_fix_and_are_noted() {
        let text = "---\nname: demo\ndescription: Use when: asked #later\n---\n";
        let diags = findings(text);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].fix.is_none());
        assert!(diags[0].help.as_deref().unwrap().contains("comment"));
    }

    #[test]
    fn bad_quotes_are_fixed() {
        let text = "---\nname: 'It's here'\ndescription: \"C:\\path\"\n---\n";
        let diags = findings(text);
        assert_eq!(diags.len(), 2, "{diags:#?}");
        let after = fixed(text, &diags);
        let FrontmatterState::Present(fm) = frontmatter::parse(&after).0 else {
            panic!()
        };
        assert_eq!(fm.string("name").unwrap(), "It's here");
        assert_eq!(fm.string("description").unwrap(), "C:\\path");
    }

    #[test]
    fn duplicate_keys_point_at_the_second() {
        let text = "---\nname: a\nname: b\n---\n";
        let diags = findings(text);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("more than once"));
        assert_eq!(diags[0].range.start, text.rfind("name").unwrap());
    }

    #[test]
    fn aliases_of_defined_anchors_are_left_alone() {
        let text = "---\nname: &n demo\nalias: *n\nbad: a: b\n---\n";
        let diags = findings(text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert!(diags[0].message.contains("`bad`"));
        let stray = findings("---\nname: demo\nhint: *bold* text\nbad: a: b\n---\n");
        assert!(stray.iter().all(|d| d.fix.is_some()), "{stray:#?}");
    }

    #[test]
    fn tabs_are_named() {
        let text = "---\nname: a\nmetadata:\n\tauthor: me\n---\n";
        let diags = findings(text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert!(diags[0].message.contains("tabs"), "{}", diags[0].message);
    }

    proptest::proptest! {
        /// Whatever the value, a fix that is offered leaves frontmatter a strict parser
        /// accepts, reading the value exactly as the forgiving loader did before.
        #[test]
        fn offered_fixes_parse_and_keep_the_lenient_value(
            value in "[a-z:#\"'\\\\\\[\\]{}*&!%@`|> -]{1,24}",
            second in proptest::option::of("[a-z: ]{1,12}"),
        ) {
            let continuation = second.map(|s| format!("\n  {s}")).unwrap_or_default();
            let text = format!("---\nname: demo\ndescription: {value}{continuation}\n---\nbody\n");
            let FrontmatterState::Present(before) = frontmatter::parse(&text).0 else {
                panic!("no frontmatter");
            };
            let diags = findings(&text);
            let with_fix: Vec<Diagnostic> = diags.into_iter().filter(|d| d.fix.is_some()).collect();
            if !with_fix.is_empty() {
                let after = fixed(&text, &with_fix);
                let FrontmatterState::Present(fm) = frontmatter::parse(&after).0 else {
                    panic!("fix broke the fences: {after}");
                };
                proptest::prop_assert!(fm.strict.is_ok(), "{after}");
                proptest::prop_assert_eq!(
                    fm.string("description"),
                    Some(before.entry("description").unwrap().value.clone())
                );
            }
        }
    }

    #[test]
    fn anchor_syntax_gets_no_quoting_fix() {
        let text = "---\nname: demo\na: &a [1, 2]\nb: &b [*a, *zz]\n---\nbody\n";
        let diags = findings(text);
        let b: Vec<&Diagnostic> = diags.iter().filter(|d| d.message.contains("`b`")).collect();
        assert_eq!(b.len(), 1, "{diags:#?}");
        assert!(
            b[0].message.contains("anchors or aliases"),
            "{}",
            b[0].message
        );
        assert!(b[0].fix.is_none());
        // Prose with emphasis and `&` is not anchor syntax: the usual fix stays.
        let text = "---\nname: demo\ndescription: R&D notes: read *carefully*\n---\n";
        let diags = findings(text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert!(diags[0].fix.is_some());
        assert!(sigil_names("&a [*a, x]", b'*') == ["a"]);
        assert!(sigil_names("R&D", b'&').is_empty());
    }

    #[test]
    fn a_bad_key_is_blamed_not_its_value() {
        // Found by the `fix` fuzz target: the value was quoted, a list became a string,
        // and the fix engine never settled.
        let text = "---\nname: demo\ntags\u{5}: [pdf, cli]\n---\nbody\n";
        let diags = findings(text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert!(diags[0].message.contains("the key"), "{}", diags[0].message);
        assert!(diags[0].fix.is_none());
        assert_eq!(&text[diags[0].range.clone()], "tags\u{5}");
    }
}
