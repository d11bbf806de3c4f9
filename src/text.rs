//! Small text helpers shared across stages.

/// The byte offset in `hay`, at or after `from`, of the first match of `needle` (ASCII,
/// lower case) ignoring ASCII case. Searching `hay.to_lowercase()` instead gives offsets
/// into another string: lower-casing changes the length of some characters ("İ" is two
/// bytes, "i̇" three), so those offsets cut the original in the wrong place. A match
/// starts and ends at ASCII bytes, so both ends are character boundaries of `hay`.
pub fn find_ignore_ascii_case(hay: &str, needle: &str, from: usize) -> Option<usize> {
    debug_assert!(needle.is_ascii() && !needle.bytes().any(|b| b.is_ascii_uppercase()));
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return (from <= h.len()).then_some(from);
    }
    let first = n[0];
    (from..(h.len() + 1).saturating_sub(n.len()))
        .find(|&i| h[i].to_ascii_lowercase() == first && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_into_the_original_text() {
        let s = "İİİİ İstanbul, comprehensive support";
        let at = find_ignore_ascii_case(s, "comprehensive ", 0).unwrap();
        assert_eq!(&s[at..at + "comprehensive ".len()], "comprehensive ");
        // The lower-cased copy is longer, so its offset would cut the original elsewhere.
        assert_ne!(s.to_lowercase().find("comprehensive "), Some(at));
    }

    #[test]
    fn case_is_ignored_and_the_search_starts_where_asked() {
        let s = "Use When a, use when b";
        assert_eq!(find_ignore_ascii_case(s, "use when", 0), Some(0));
        assert_eq!(find_ignore_ascii_case(s, "use when", 1), Some(12));
        assert_eq!(find_ignore_ascii_case(s, "use when", 13), None);
        assert_eq!(find_ignore_ascii_case("ab", "abc", 0), None);
        assert_eq!(find_ignore_ascii_case("éa", "a", 0), Some(2));
    }
}
