//! Byte offsets to 1-based lines and columns. Rules and lint deal only in byte ranges;
//! renderers, config errors and reports that show a line call this.

use std::ops::Range;

use serde::Serialize;

/// 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Line starts of one text, for offset → position.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        Position {
            line: line + 1,
            column: self.text[start..offset].chars().count() + 1,
        }
    }

    /// The whole lines covering `range`, at most `max_lines` of them, and the byte offset
    /// where they start.
    pub fn lines_around(&self, range: &Range<usize>, max_lines: usize) -> (&'t str, usize) {
        let first = self.position(range.start).line - 1;
        let last = (self.position(range.end).line - 1).min(first + max_lines.saturating_sub(1));
        let start = self.starts[first];
        let end = self
            .starts
            .get(last + 1)
            .copied()
            .unwrap_or(self.text.len());
        (self.text[start..end].trim_end_matches(['\n', '\r']), start)
    }
}

/// The largest char boundary at or before `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "ab\né x\n\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(3), Position { line: 2, column: 1 });
        assert_eq!(idx.position(6), Position { line: 2, column: 3 });
        assert_eq!(idx.position(text.len()), Position { line: 4, column: 5 });
        assert_eq!(idx.lines_around(&(3..6), 8), ("é x", 3));
    }
}
