//! Terminal colour for the text renderers: one switch decided once per run (`--color`,
//! `NO_COLOR`, whether stdout is a terminal) and a few named styles, so renderers say
//! what a piece of text is (a heading, a gain, a loss) rather than which escape it gets.

/// Whether to colour, and the styles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub enabled: bool,
}

impl Style {
    pub const PLAIN: Style = Style { enabled: false };

    pub fn new(enabled: bool) -> Style {
        Style { enabled }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.enabled && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Column headings and section titles.
    pub fn heading(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Notes and footnotes.
    pub fn note(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// Something that got better or is fine.
    pub fn good(&self, text: &str) -> String {
        self.paint("32", text)
    }

    /// Something to look at.
    pub fn warn(&self, text: &str) -> String {
        self.paint("33", text)
    }

    /// Something lost or over a limit.
    pub fn bad(&self, text: &str) -> String {
        self.paint("31", text)
    }
}

/// Characters of `text` as a terminal shows them: escape sequences take no room.
pub fn visible_width(text: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for c in text.chars() {
        if in_escape {
            in_escape = c != 'm';
        } else if c == '\x1b' {
            in_escape = true;
        } else {
            width += 1;
        }
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_style_adds_nothing_and_escapes_take_no_width() {
        assert_eq!(Style::PLAIN.bad("lost"), "lost");
        let red = Style::new(true).bad("lost");
        assert_eq!(red, "\x1b[31mlost\x1b[0m");
        assert_eq!(visible_width(&red), 4);
    }
}
