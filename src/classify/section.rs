//! What the headings above a block say about it: a block under "Examples" illustrates,
//! under "Overview" explains, under "Steps" instructs. The innermost heading that says
//! anything wins.

/// The kind of section a heading names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Core,
    Background,
    Example,
    Template,
    /// "When to use" prose, which only the description can do the job of.
    WhenToUse,
}

/// Words in a heading, matched as whole words (lowercase), and the section they name.
/// Order matters: the first match in a heading decides it.
const HEADING_WORDS: &[(&str, Section)] = &[
    ("when to use", Section::WhenToUse),
    ("when to invoke", Section::WhenToUse),
    ("when to activate", Section::WhenToUse),
    ("when to apply", Section::WhenToUse),
    ("use when", Section::WhenToUse),
    ("use cases", Section::Background),
    ("use this skill", Section::WhenToUse),
    ("triggers", Section::WhenToUse),
    ("do not use", Section::Core),
    ("when not to use", Section::Core),
    ("anti-patterns", Section::Core),
    ("antipatterns", Section::Core),
    ("pitfalls", Section::Core),
    ("mistakes", Section::Core),
    ("template", Section::Template),
    ("templates", Section::Template),
    ("boilerplate", Section::Template),
    ("skeleton", Section::Template),
    ("output format", Section::Template),
    ("response format", Section::Template),
    ("report format", Section::Template),
    ("output structure", Section::Template),
    ("report structure", Section::Template),
    ("example", Section::Example),
    ("examples", Section::Example),
    ("sample", Section::Example),
    ("samples", Section::Example),
    ("demo", Section::Example),
    ("walkthrough", Section::Example),
    ("sample output", Section::Example),
    ("overview", Section::Background),
    ("introduction", Section::Background),
    ("intro", Section::Background),
    ("about", Section::Background),
    ("background", Section::Background),
    ("why", Section::Background),
    ("what is", Section::Background),
    ("what it does", Section::Background),
    ("what you can", Section::Background),
    ("what this skill does", Section::Background),
    ("context", Section::Background),
    ("motivation", Section::Background),
    ("philosophy", Section::Background),
    ("concepts", Section::Background),
    ("architecture", Section::Background),
    ("how it works", Section::Background),
    ("capabilities", Section::Background),
    ("features", Section::Background),
    ("purpose", Section::Background),
    ("summary", Section::Background),
    ("resources", Section::Background),
    ("references", Section::Background),
    ("reference", Section::Background),
    ("further reading", Section::Background),
    ("learn more", Section::Background),
    ("see also", Section::Background),
    ("related", Section::Background),
    ("links", Section::Background),
    ("documentation", Section::Background),
    ("key files", Section::Background),
    ("glossary", Section::Background),
    ("terminology", Section::Background),
    ("faq", Section::Background),
    ("credits", Section::Background),
    ("acknowledgments", Section::Background),
    ("acknowledgements", Section::Background),
    ("license", Section::Background),
    ("changelog", Section::Background),
    ("history", Section::Background),
    ("version", Section::Background),
    ("citation", Section::Background),
    ("supported", Section::Background),
    ("prerequisites", Section::Background),
    ("available", Section::Background),
    ("steps", Section::Core),
    ("step", Section::Core),
    ("workflow", Section::Core),
    ("procedure", Section::Core),
    ("instructions", Section::Core),
    ("rules", Section::Core),
    ("guidelines", Section::Core),
    ("requirements", Section::Core),
    ("constraints", Section::Core),
    ("checklist", Section::Core),
    ("process", Section::Core),
    ("how to", Section::Core),
    ("setup", Section::Core),
    ("install", Section::Core),
    ("installation", Section::Core),
    ("quick start", Section::Core),
    ("configuration", Section::Core),
    ("troubleshooting", Section::Core),
    ("error handling", Section::Core),
    ("best practices", Section::Core),
    ("important", Section::Core),
    ("critical", Section::Core),
    ("usage", Section::Core),
];

/// What one heading's text names, if anything.
pub fn of_heading(title: &str) -> Option<Section> {
    // One automaton over the padded words, built once: this runs for every heading above
    // every block. The list's order decides between matches, as a search in turn would.
    static PADDED: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::new(HEADING_WORDS.iter().map(|(w, _)| format!(" {w} ")))
                .expect("the heading words build an automaton")
        });
    let mut joined = String::with_capacity(title.len() + 2);
    joined.push(' ');
    for (i, w) in words(title).iter().enumerate() {
        if i > 0 {
            joined.push(' ');
        }
        joined.push_str(w);
    }
    joined.push(' ');
    PADDED
        .find_overlapping_iter(&joined)
        .map(|m| m.pattern().as_usize())
        .min()
        .map(|i| HEADING_WORDS[i].1)
}

/// The section of a block: the innermost heading above it that names one. An overview
/// heading counts only when it is the block's own heading: "Core capabilities" above
/// "Training agents" says little about the steps inside.
pub fn of_path(path: &[String]) -> Option<Section> {
    path.iter()
        .rev()
        .enumerate()
        .find_map(|(depth, h)| match of_heading(h) {
            Some(Section::Background) if depth > 0 => None,
            s => s,
        })
}

/// Lowercase words of `text`: letters, digits, apostrophes and inner hyphens.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_word(text, |w| out.push(w.to_string()));
    out
}

/// [`words`], borrowing each word that is already lowercase ASCII (nearly all of them in
/// lowercased text) instead of copying it.
pub fn words_borrowed(text: &str) -> Vec<std::borrow::Cow<'_, str>> {
    let mut out = Vec::new();
    for w in runs(text) {
        let w = w.trim_matches(['-', '\'', '’']);
        if w.is_empty() {
        } else if w.is_ascii() && !w.bytes().any(|b| b.is_ascii_uppercase()) {
            out.push(std::borrow::Cow::Borrowed(w));
        } else {
            out.push(std::borrow::Cow::Owned(w.to_lowercase()));
        }
    }
    out
}

/// Calls `f` with each word [`words`] returns, in order, reusing one buffer for ASCII
/// words (nearly all of them) instead of allocating each.
pub fn each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    for w in runs(text) {
        let w = w.trim_matches(['-', '\'', '’']);
        if w.is_empty() {
        } else if w.is_ascii() {
            buf.clear();
            buf.push_str(w);
            buf.make_ascii_lowercase();
            f(&buf);
        } else {
            f(&w.to_lowercase());
        }
    }
}

/// What [`words`] splits on: every character but alphanumerics, `'`, `-` and `’`.
fn is_separator(c: char) -> bool {
    !(c.is_alphanumeric() || c == '\'' || c == '-' || c == '’')
}

/// Whether an ASCII byte is part of a word (not an [`is_separator`]).
const WORD_BYTE: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'\'' || c == b'-';
        b += 1;
    }
    t
};

/// The maximal runs of `text` without an [`is_separator`] character: what
/// `text.split(is_separator)` yields, less the empty pieces. ASCII bytes (nearly all
/// text) are tested through a table, without decoding characters; words are split for
/// every block classified, so this is a tenth of a registry lint.
fn runs(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    // Whether the character at byte `at` belongs to a word, and its length in bytes.
    let word_at = move |at: usize| -> (bool, usize) {
        match bytes[at] {
            b if b < 128 => (WORD_BYTE[b as usize], 1),
            _ => text[at..]
                .chars()
                .next()
                .map_or((false, 1), |c| (!is_separator(c), c.len_utf8())),
        }
    };
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (word, len) = word_at(i);
            if word {
                break;
            }
            i += len;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() {
            let (word, len) = word_at(i);
            if !word {
                break;
            }
            i += len;
        }
        Some(&text[start..i])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_the_pieces_split_gives() {
        for text in [
            "",
            "  ",
            "run `cargo test` -- Don't STOP: ÉCOLE naïve ’quoted’ x-y 'single' ΣΑΣ",
            "a\u{00a0}b\u{2014}c—d 中文 mixed٣٤ ok.",
            "trailing-",
            "ß",
        ] {
            let split: Vec<&str> = text.split(is_separator).filter(|w| !w.is_empty()).collect();
            assert_eq!(runs(text).collect::<Vec<_>>(), split, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn runs_match_split_on_any_text(text in "\\PC{0,40}") {
            let split: Vec<&str> = text.split(is_separator).filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(runs(&text).collect::<Vec<_>>(), split);
        }
    }

    #[test]
    fn borrowed_words_are_the_words() {
        let text = "run `cargo test` -- Don't STOP: ÉCOLE naïve ’quoted’ x-y 'single' ΣΑΣ";
        let borrowed: Vec<String> = words_borrowed(text)
            .into_iter()
            .map(|w| w.into_owned())
            .collect();
        assert_eq!(borrowed, words(text));
        assert!(matches!(
            words_borrowed("plain words")[0],
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn headings_name_sections() {
        assert_eq!(of_heading("## Overview"), Some(Section::Background));
        assert_eq!(of_heading("Usage Examples"), Some(Section::Example));
        assert_eq!(of_heading("Step 2 — Build"), Some(Section::Core));
        assert_eq!(
            of_heading("When to Use This Skill"),
            Some(Section::WhenToUse)
        );
        assert_eq!(of_heading("Output Format"), Some(Section::Template));
        assert_eq!(of_heading("Whyte's notes"), None);
        let path = vec!["Overview".to_string(), "Steps".to_string()];
        assert_eq!(of_path(&path), Some(Section::Core));
        let path = vec!["Core capabilities".to_string(), "Training".to_string()];
        assert_eq!(of_path(&path), None);
    }
}
