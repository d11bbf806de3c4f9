//! The report for people: miette's graphical form, one block per finding with the source
//! lines under it, then the summary. miette is used here and nowhere else; the source
//! lines come from the finding's snippet, so rendering reads no file.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{concise, Finding, Report};
use crate::diagnostic::Severity;
use crate::position::floor_char_boundary;

/// Wide enough for a message and its help on one line, narrow enough for a split pane.
const WIDTH: usize = 100;

pub fn write(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let renderer = Renderer::new(color);
    for finding in &report.findings {
        renderer.write_finding(finding, out)?;
    }
    writeln!(out, "{}", concise::summary_line(&report.summary()))
}

/// miette's handler, set up once per run.
pub struct Renderer {
    handler: GraphicalReportHandler,
}

impl Renderer {
    pub fn new(color: bool) -> Renderer {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Renderer {
            handler: GraphicalReportHandler::new_themed(theme)
                .with_width(WIDTH)
                .with_links(false),
        }
    }

    pub fn write_finding(&self, finding: &Finding, out: &mut dyn Write) -> io::Result<()> {
        let mut text = String::new();
        self.handler
            .render_report(&mut text, &Report1::new(finding))
            .map_err(|_| io::Error::other("cannot render a finding"))?;
        out.write_all(text.as_bytes())?;
        writeln!(out)
    }
}

/// One finding as a miette diagnostic.
struct Report1<'f> {
    finding: &'f Finding,
    code: String,
    source: Option<SnippetSource<'f>>,
}

impl<'f> Report1<'f> {
    fn new(finding: &'f Finding) -> Self {
        let source = finding
            .snippet
            .as_ref()
            .filter(|s| !s.text.is_empty())
            .map(|s| SnippetSource {
                name: super::escape_control(&finding.path),
                text: &s.text,
                first_line: finding.start.line - 1,
            });
        Report1 {
            finding,
            code: format!("{} {}", finding.code, finding.name),
            source,
        }
    }
}

impl fmt::Debug for Report1<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.finding, f)
    }
}

impl fmt::Display for Report1<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The severity in words as well as in the icon and color, for plain logs.
        write!(f, "{}: ", self.finding.severity)?;
        // Without source lines the block would not say which file it is about.
        if self.source.is_none() {
            write!(
                f,
                "{}:{}:{}: ",
                super::escape_control(&self.finding.path),
                self.finding.start.line,
                self.finding.start.column
            )?;
        }
        f.write_str(&super::escape_control(&self.finding.message))
    }
}

impl std::error::Error for Report1<'_> {}

impl miette::Diagnostic for Report1<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self.finding.help.as_ref()?;
        Some(Box::new(help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let source = self.source.as_ref()?;
        let offset = self.finding.snippet.as_ref()?.offset;
        // The snippet holds whole lines from the span's first line, at most a few of them,
        // without the final line break: clamp the span into it.
        let start = self.finding.range.start.saturating_sub(offset);
        let end = self.finding.range.end.saturating_sub(offset);
        let text = source.text;
        let mut start = floor_char_boundary(text, start.min(text.len()));
        let mut end = end.clamp(start, text.len());
        // miette draws nothing for an empty span: mark the character at the point instead
        // (or the last one, for a point at the end).
        if start == end {
            match text[start..].chars().next() {
                Some(c) => end = start + c.len_utf8(),
                None => start = text[..start].char_indices().last().map_or(0, |(i, _)| i),
            }
        }
        let label = LabeledSpan::new_primary_with_span(None, start..end);
        Some(Box::new(std::iter::once(label)))
    }
}

/// The lines of a finding's snippet, numbered as in the file they were cut from.
struct SnippetSource<'f> {
    name: std::borrow::Cow<'f, str>,
    text: &'f str,
    /// 0-based line of the file where `text` starts.
    first_line: usize,
}

impl SourceCode for SnippetSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::position::LineIndex;
    use crate::rules::frontmatter_missing::META;

    const TEXT: &str = "---\nname: demo\ndescription: |\n  Does things.\n  Many things.\n---\n# Demo\n\n\tTabbed line with é.\n";

    fn finding(severity: Severity, range: std::ops::Range<usize>, help: bool) -> Finding {
        let mut d = Diagnostic::new(&META, "SKILL.md", range, "a message about the span");
        d.severity = severity;
        if help {
            d = d.help("what to do about it");
        }
        Finding::locate(d, Path::new("skills/demo"), &LineIndex::new(TEXT), true)
    }

    fn render(findings: Vec<Finding>) -> String {
        let report = Report {
            findings,
            skills: 1,
            ..Report::default()
        };
        let mut out = Vec::new();
        write(&report, false, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn spans_are_drawn_at_their_place_in_the_file() {
        let block = TEXT.find("  Does").unwrap();
        let tab = TEXT.find("é").unwrap();
        let out = render(vec![
            // A span over two lines, starting below the first line of the file.
            finding(Severity::Warning, block..block + 27, true),
            // An empty span on a multi-byte character, after a tab.
            finding(Severity::Info, tab..tab, false),
            // A span at the very end of the file.
            finding(Severity::Error, TEXT.len()..TEXT.len(), true),
        ]);
        insta::assert_snapshot!(out);
        assert!(out.contains("[skills/demo/SKILL.md:4:1]"), "{out}");
        assert!(out.contains(" 5 │ ╰─▶   Many things."), "{out}");
        assert!(out.contains("[skills/demo/SKILL.md:9:19]"), "{out}");
        assert!(
            out.ends_with("1 error, 1 warning, 1 info in 1 skill\n"),
            "{out}"
        );
    }

    #[test]
    fn a_finding_without_source_names_its_place_in_the_message() {
        let mut f = finding(Severity::Error, 0..0, true);
        f.snippet = None;
        let out = render(vec![f]);
        assert!(
            out.contains("× error: skills/demo/SKILL.md:1:1: a message about the span"),
            "{out}"
        );
        assert!(!out.contains('╭'), "{out}");
    }

    #[test]
    fn color_only_when_asked() {
        let report = Report {
            findings: vec![finding(Severity::Error, 0..3, true)],
            skills: 1,
            ..Report::default()
        };
        let mut plain = Vec::new();
        write(&report, false, &mut plain).unwrap();
        let mut colored = Vec::new();
        write(&report, true, &mut colored).unwrap();
        assert!(!plain.contains(&0x1b));
        assert!(colored.contains(&0x1b));
    }
}
