//! Where things are, in the editor's terms: byte offsets of the engine turned into LSP
//! positions (line and UTF-16 column, the protocol's default encoding) and back, and
//! `file:` URIs turned into paths and back.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

/// Line starts of one text, for byte offset ↔ LSP position.
pub struct LineMap<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineMap<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineMap { text, starts }
    }

    /// The position of byte `offset`; an offset inside a character or past the end is
    /// moved back to the nearest character boundary.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, column as u32)
    }

    pub fn range(&self, range: &std::ops::Range<usize>) -> Range {
        Range::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of `pos`; a column past the end of its line means the line's end
    /// (before its line break), a line past the end means the end of the text.
    pub fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let mut units = 0usize;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }
}

/// Whether two LSP ranges share a position (touching counts: a cursor at a finding's end
/// still asks about it).
pub fn touches(a: &Range, b: &Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The local path a `file:` URI names; `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///path` or `file://localhost/path`; other hosts are not local.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    let mut path = String::from_utf8(out).ok()?;
    // `file:///C:/x` on Windows.
    if path.len() > 2 && path.as_bytes()[2] == b':' {
        path.remove(0);
    }
    Some(PathBuf::from(path))
}

/// The `file:` URI of an absolute path, percent-encoding what a URI cannot hold.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_round_trip() {
        let text = "ab\néé😀x\n";
        let map = LineMap::new(text);
        let x = text.find('x').unwrap();
        // é is one UTF-16 unit each, 😀 two.
        assert_eq!(map.position(x), Position::new(1, 4));
        assert_eq!(map.offset(Position::new(1, 4)), x);
        assert_eq!(map.offset(Position::new(0, 99)), 2);
        assert_eq!(map.offset(Position::new(9, 0)), text.len());
        // Inside 😀: moved back to its start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(map.position(emoji + 1), Position::new(1, 2));
    }

    #[test]
    fn uris_and_paths_round_trip() {
        let path = Path::new("/tmp/my skills/ünï/SKILL.md");
        let uri = path_to_uri(path).unwrap();
        assert_eq!(
            uri.as_str(),
            "file:///tmp/my%20skills/%C3%BCn%C3%AF/SKILL.md"
        );
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        let other = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&other), None);
    }
}
