//! The markdown body as blocks with byte ranges and heading paths, and the local links
//! and URLs it holds. Used for `SKILL.md` bodies and for reference files alike.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Heading {
        level: u8,
    },
    Paragraph,
    /// An item of a top-level list.
    ListItem {
        ordered: bool,
    },
    Code {
        info: String,
        fenced: bool,
    },
    Table,
    BlockQuote,
    Html,
    Rule,
}

impl BlockKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            BlockKind::Heading { .. } => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem { .. } => "list-item",
            BlockKind::Code { .. } => "code",
            BlockKind::Table => "table",
            BlockKind::BlockQuote => "blockquote",
            BlockKind::Html => "html",
            BlockKind::Rule => "rule",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// Byte range in the file (not in the body).
    pub range: Range<usize>,
    /// Texts of the enclosing headings, outermost first (for a heading: its parents).
    pub heading_path: Vec<String>,
    /// For headings, their text.
    pub title: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](target)`
    Inline,
    /// `[text][ref]` with a definition elsewhere.
    Reference,
    /// `<https://...>`
    Autolink,
    Image,
    /// A path written as inline code: `` `scripts/run.py` ``.
    CodeSpan,
}

#[derive(Debug, Clone)]
pub struct Link {
    pub kind: LinkKind,
    /// The target as written, with any `#fragment` or `?query` kept.
    pub target: String,
    /// Byte range of the whole link (or code span) in the file.
    pub range: Range<usize>,
}

impl Link {
    pub fn is_url(&self) -> bool {
        is_url(&self.target)
    }

    /// The local file part of the target: no fragment, no query, percent-decoded.
    pub fn local_path(&self) -> Option<String> {
        local_path(&self.target)
    }
}

pub fn is_url(target: &str) -> bool {
    let t = target.trim();
    let scheme_end = t.find(':');
    match scheme_end {
        Some(i) if i > 1 => t[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.'),
        _ => t.starts_with("//"),
    }
}

pub fn local_path(target: &str) -> Option<String> {
    let t = target.trim();
    if t.is_empty() || t.starts_with('#') || is_url(t) {
        return None;
    }
    let t = t.split(['#', '?']).next().unwrap_or("");
    if t.is_empty() {
        return None;
    }
    Some(super::resolve::percent_decode(t))
}

#[derive(Debug, Clone, Default)]
pub struct Markdown {
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
}

/// Parses `text[start..]` as markdown. Ranges in the result are offsets into `text`.
pub fn scan(text: &str, start: usize) -> Markdown {
    let body = &text[start..];
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    opts.insert(Options::ENABLE_FOOTNOTES);

    let mut out = Markdown::default();
    // Open tags, outermost first; `true` marks a top-level list being ordered.
    let mut stack: Vec<Tag> = Vec::new();
    let mut headings: Vec<(u8, String)> = Vec::new();
    let mut heading: Option<(u8, Range<usize>, String)> = None;
    let mut list_ordered = false;

    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        let range = range.start + start..range.end + start;
        match event {
            Event::Start(tag) => {
                if stack.is_empty() {
                    match &tag {
                        Tag::Heading { level, .. } => {
                            heading = Some((*level as u8, range.clone(), String::new()));
                        }
                        Tag::List(first) => list_ordered = first.is_some(),
                        Tag::HtmlBlock => out.push_html(text, range.clone(), &mut headings),
                        _ => {
                            if let Some(kind) = top_block_kind(&tag) {
                                out.push_block(text, kind, range.clone(), &headings);
                            }
                        }
                    }
                } else if stack.len() == 1
                    && matches!(stack[0], Tag::List(_))
                    && matches!(tag, Tag::Item)
                {
                    let kind = BlockKind::ListItem {
                        ordered: list_ordered,
                    };
                    out.push_block(text, kind, range.clone(), &headings);
                }
                match &tag {
                    Tag::Link {
                        link_type,
                        dest_url,
                        ..
                    } => out.links.push(Link {
                        kind: match link_type {
                            LinkType::Autolink | LinkType::Email => LinkKind::Autolink,
                            LinkType::Inline => LinkKind::Inline,
                            _ => LinkKind::Reference,
                        },
                        target: dest_url.to_string(),
                        range: range.clone(),
                    }),
                    Tag::Image { dest_url, .. } => out.links.push(Link {
                        kind: LinkKind::Image,
                        target: dest_url.to_string(),
                        range: range.clone(),
                    }),
                    _ => {}
                }
                stack.push(tag);
            }
            Event::End(end) => {
                stack.pop();
                if stack.is_empty() && matches!(end, TagEnd::Heading(_)) {
                    if let Some((level, hrange, title)) = heading.take() {
                        while headings.last().is_some_and(|(l, _)| *l >= level) {
                            headings.pop();
                        }
                        let title = title.trim().to_string();
                        out.push_block(text, BlockKind::Heading { level }, hrange, &headings);
                        if let Some(b) = out.blocks.last_mut() {
                            b.title = Some(title.clone());
                        }
                        headings.push((level, title));
                    }
                }
            }
            Event::Text(t) => {
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::Code(code) => {
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push_str(&code);
                }
                if looks_like_path(&code) {
                    out.links.push(Link {
                        kind: LinkKind::CodeSpan,
                        target: code.trim().to_string(),
                        range,
                    });
                }
            }
            Event::Rule if stack.is_empty() => {
                out.push_block(text, BlockKind::Rule, range, &headings);
            }
            Event::Html(_) if stack.is_empty() => {
                out.push_block(text, BlockKind::Html, range, &headings);
            }
            _ => {}
        }
    }
    out
}

impl Markdown {
    /// An HTML block, split at the ATX headings on its lines. CommonMark runs a block that
    /// opens with a custom tag (`<Advanced>`) on to the next blank line, so a heading
    /// right under the tag is raw HTML to a renderer; an agent reading the text sees a
    /// heading, and so do the rules and `reduce` (which must not leave it without its
    /// section). Comments, `<pre>`, `<script>`, `<style>` and `<textarea>` blocks, and
    /// fenced code inside the block, are left whole.
    fn push_html(&mut self, text: &str, range: Range<usize>, headings: &mut Vec<(u8, String)>) {
        let raw = &text[range.clone()];
        let first = raw.trim_start().to_ascii_lowercase();
        let verbatim = ["<!", "<?", "<pre", "<script", "<style", "<textarea"]
            .iter()
            .any(|p| first.starts_with(p));
        if verbatim || !raw.contains('#') {
            self.push_block(text, BlockKind::Html, range, headings);
            return;
        }
        let mut part_start = range.start;
        let mut at = range.start;
        let mut fence = false;
        for line in raw.split_inclusive('\n') {
            let t = line.trim();
            if t.starts_with("```") || t.starts_with("~~~") {
                fence = !fence;
            }
            let heading = (!fence && at > range.start)
                .then(|| atx_heading(line))
                .flatten();
            if let Some((level, title)) = heading {
                if part_start < at {
                    self.push_block(text, BlockKind::Html, part_start..at, headings);
                }
                while headings.last().is_some_and(|(l, _)| *l >= level) {
                    headings.pop();
                }
                self.push_block(
                    text,
                    BlockKind::Heading { level },
                    at..at + line.len(),
                    headings,
                );
                if let Some(b) = self.blocks.last_mut() {
                    b.title = Some(title.clone());
                }
                headings.push((level, title));
                part_start = at + line.len();
            }
            at += line.len();
        }
        if part_start < range.end && !text[part_start..range.end].trim().is_empty() {
            self.push_block(text, BlockKind::Html, part_start..range.end, headings);
        }
    }

    fn push_block(
        &mut self,
        text: &str,
        kind: BlockKind,
        range: Range<usize>,
        headings: &[(u8, String)],
    ) {
        self.blocks.push(Block {
            kind,
            range: trim_range(text, range),
            heading_path: headings.iter().map(|(_, t)| t.clone()).collect(),
            title: None,
        });
    }
}

/// An ATX heading line (`## Title`, up to three spaces of indent): its level and title.
fn atx_heading(line: &str) -> Option<(u8, String)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let t = line[indent..].trim_end();
    let level = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &t[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    // A closing sequence of #s is not part of the title.
    let rest = rest.trim();
    let closed = rest.trim_end_matches('#');
    let title = if closed.is_empty() || closed.ends_with([' ', '\t']) {
        closed.trim_end()
    } else {
        rest
    };
    Some((level as u8, title.to_string()))
}

fn top_block_kind(tag: &Tag) -> Option<BlockKind> {
    Some(match tag {
        Tag::Paragraph => BlockKind::Paragraph,
        Tag::CodeBlock(kind) => match kind {
            CodeBlockKind::Fenced(info) => BlockKind::Code {
                info: info.trim().to_string(),
                fenced: true,
            },
            CodeBlockKind::Indented => BlockKind::Code {
                info: String::new(),
                fenced: false,
            },
        },
        Tag::Table(_) => BlockKind::Table,
        Tag::BlockQuote(_) => BlockKind::BlockQuote,
        Tag::HtmlBlock => BlockKind::Html,
        Tag::FootnoteDefinition(_) => BlockKind::Paragraph,
        _ => return None,
    })
}

/// Drops trailing line breaks from a block's range so it ends on its last character, and
/// starts it at its line's start when only indentation precedes it (pulldown-cmark starts
/// an indented code block after its first line's indentation, which is part of it).
fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let end = range.start + text[range.clone()].trim_end().len();
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let start = if text[line_start..range.start]
        .chars()
        .all(|c| c == ' ' || c == '\t')
    {
        line_start
    } else {
        range.start
    };
    start..end.max(start)
}

/// Whether inline code names a file or folder (`scripts/run.py`, `./x`, `SKILL.md`) rather
/// than code (`foo()`, `--flag`, `a b`).
pub fn looks_like_path(code: &str) -> bool {
    let c = code.trim();
    if c.is_empty() || c.len() > 200 || c.contains(char::is_whitespace) || is_url(c) {
        return false;
    }
    if c.starts_with('-')
        || c.starts_with('$')
        || c.contains([
            '(', ')', '=', '<', '>', '{', '}', '|', '*', '"', '\'', '`', ',', ';', '@', '[', ']',
        ])
    {
        return false;
    }
    if c.starts_with("./") || c.starts_with("../") {
        return true;
    }
    let last = c.rsplit('/').next().unwrap_or(c);
    let has_ext = last.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=5).contains(&ext.len())
            && ext.chars().all(|ch| ch.is_ascii_alphanumeric())
            && ext.chars().any(|ch| ch.is_ascii_alphabetic())
    });
    c.contains('/') && !c.starts_with('/') && !c.starts_with('~') || has_ext
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_under_a_custom_tag_is_a_heading() {
        let text = "# Title\n\n<Advanced>\n## Relationship\n\nText under it.\n</Advanced>\n\n\
                    <details>\n```bash\n# a comment\n```\n</details>\n\n<!--\n## kept\n-->\n";
        let md = scan(text, 0);
        let kinds: Vec<&str> = md.blocks.iter().map(|b| b.kind.as_str()).collect();
        assert_eq!(
            kinds,
            ["heading", "html", "heading", "paragraph", "html", "html"],
            "{md:#?}"
        );
        assert_eq!(md.blocks[2].title.as_deref(), Some("Relationship"));
        assert_eq!(&text[md.blocks[1].range.clone()], "<Advanced>");
        assert_eq!(md.blocks[3].heading_path, ["Title", "Relationship"]);
        assert_eq!(atx_heading("### Done ###\n"), Some((3, "Done".to_string())));
        assert_eq!(atx_heading("#hashtag"), None);
    }

    #[test]
    fn blocks_and_heading_paths() {
        let text = "# Title\n\nIntro para.\n\n## Steps\n\n1. one\n2. two\n   - nested\n\n```bash\nrun\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote\n";
        let md = scan(text, 0);
        let kinds: Vec<&str> = md.blocks.iter().map(|b| b.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "heading",
                "paragraph",
                "heading",
                "list-item",
                "list-item",
                "code",
                "table",
                "blockquote"
            ]
        );
        assert_eq!(md.blocks[3].heading_path, ["Title", "Steps"]);
        assert_eq!(&text[md.blocks[4].range.clone()], "2. two\n   - nested");
        assert_eq!(md.blocks[2].title.as_deref(), Some("Steps"));
        assert_eq!(md.blocks[2].heading_path, ["Title"]);
        assert!(
            matches!(&md.blocks[5].kind, BlockKind::Code { info, fenced: true } if info == "bash")
        );
    }

    #[test]
    fn links_of_every_kind() {
        let text = "See [a](references/a.md#x) and [b][r], ![img](assets/i.png), <https://x.io>, `scripts/run.py`, `foo()`.\n\n[r]: ./b.md\n";
        let md = scan(text, 0);
        let targets: Vec<(&str, LinkKind)> = md
            .links
            .iter()
            .map(|l| (l.target.as_str(), l.kind))
            .collect();
        assert_eq!(
            targets,
            [
                ("references/a.md#x", LinkKind::Inline),
                ("./b.md", LinkKind::Reference),
                ("assets/i.png", LinkKind::Image),
                ("https://x.io", LinkKind::Autolink),
                ("scripts/run.py", LinkKind::CodeSpan),
            ]
        );
        assert_eq!(md.links[0].local_path().as_deref(), Some("references/a.md"));
        assert_eq!(md.links[3].local_path(), None);
    }

    #[test]
    fn indented_code_keeps_its_indentation() {
        let text = "Intro.\n\n    code line\n      more\n";
        let md = scan(text, 0);
        assert_eq!(
            &text[md.blocks[1].range.clone()],
            "    code line\n      more"
        );
    }

    #[test]
    fn path_heuristic() {
        for yes in ["scripts/run.py", "./x", "SKILL.md", "references/", "a/b"] {
            assert!(looks_like_path(yes), "{yes}");
        }
        for no in [
            "foo()",
            "--flag",
            "a b",
            "https://x",
            "x = 1",
            "1.5",
            "v2.0",
            "/usr/bin/env",
            "~/.claude",
        ] {
            assert!(!looks_like_path(no), "{no}");
        }
    }
}
