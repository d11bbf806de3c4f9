//! Exact o200k and cl100k encoding over rank tables laid out at compile time (`build.rs`):
//! the same split pattern and byte-pair merge as tiktoken, with no vocabulary parse at
//! start-up. Special-token strings such as `<|endoftext|>` are ordinary text here, as in
//! tiktoken's `encode_ordinary`.
//!
//! The split uses the `regex` crate's engine, which has no look-ahead; tiktoken's `\s+(?!\S)`
//! alternative is applied by hand in `Bpe::pieces` (see there).

use std::cell::RefCell;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use regex_automata::meta::{Cache, Regex};
use regex_automata::{Anchored, Input};

use super::rank_hash;

pub type Rank = u32;

/// One byte-pair encoding: its rank table and split pattern.
pub struct Bpe {
    pub name: &'static str,
    /// Index of this encoding's split cache in `CACHES`.
    id: usize,
    bytes: &'static [u8],
    offsets: &'static [u8],
    slots: &'static [u8],
    mask: usize,
    regex: Regex,
    pattern: Pattern,
}

/// Which split pattern an encoding uses, for the hand-written ASCII splitter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pattern {
    O200k,
    Cl100k,
}

macro_rules! table {
    ($file:literal) => {
        (
            include_bytes!(concat!(env!("OUT_DIR"), "/", $file, ".bytes")).as_slice(),
            include_bytes!(concat!(env!("OUT_DIR"), "/", $file, ".offsets")).as_slice(),
            include_bytes!(concat!(env!("OUT_DIR"), "/", $file, ".slots")).as_slice(),
        )
    };
}

/// tiktoken's o200k pattern without the `\s+(?!\S)` alternative (applied in `pieces`).
const O200K_PATTERN: &str = concat!(
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"|\p{N}{1,3}",
    r"| ?[^\s\p{L}\p{N}]+[\r\n/]*",
    r"|\s*[\r\n]+",
    r"|\s+",
);

/// tiktoken's cl100k pattern with possessive quantifiers made greedy (equivalent here,
/// as nothing after them could match what they give back) and `\s+(?!\S)|\s` as `\s+`.
const CL100K_PATTERN: &str = concat!(
    r"'(?i:[sdmt]|ll|ve|re)",
    r"|[^\r\n\p{L}\p{N}]?\p{L}+",
    r"|\p{N}{1,3}",
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*",
    r"|\s+$",
    r"|\s*[\r\n]",
    r"|\s+",
);

pub static O200K: LazyLock<Bpe> = LazyLock::new(|| {
    Bpe::new(
        "o200k",
        0,
        table!("o200k_base"),
        O200K_PATTERN,
        Pattern::O200k,
    )
});
pub static CL100K: LazyLock<Bpe> = LazyLock::new(|| {
    Bpe::new(
        "cl100k",
        1,
        table!("cl100k_base"),
        CL100K_PATTERN,
        Pattern::Cl100k,
    )
});

thread_local! {
    // One lazy-DFA cache per thread and encoding: the regex's shared pool would hand
    // caches across threads on every piece.
    static CACHES: RefCell<[Option<Cache>; 2]> = const { RefCell::new([None, None]) };
    // Token counts of pieces that are not one token, per encoding.
    static PIECE_COUNTS: RefCell<[PieceCounts; 2]> = RefCell::new(Default::default());
}

/// Pieces longer than this are rare enough not to be worth keeping.
const CACHED_PIECE: usize = 32;
/// Entries per thread and encoding before the cache starts over (a few MB at most).
const CACHED_PIECES: usize = 1 << 16;

type PieceCounts = HashMap<Box<[u8]>, u32, BuildHasherDefault<PieceHasher>>;

/// `rank_hash::hash` over a whole piece: hashbrown feeds the key as one slice.
#[derive(Default)]
struct PieceHasher(u64);

impl Hasher for PieceHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = self.0.rotate_left(7) ^ rank_hash::hash(bytes);
    }
    fn write_usize(&mut self, n: usize) {
        // The slice's length prefix; `rank_hash::hash` mixes the length in already.
        self.0 ^= n as u64;
    }
}

#[inline]
fn read_u32(table: &[u8], i: usize) -> u32 {
    let b = &table[i * 4..i * 4 + 4];
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

impl Bpe {
    fn new(
        name: &'static str,
        id: usize,
        (bytes, offsets, slots): (&'static [u8], &'static [u8], &'static [u8]),
        pattern: &str,
        kind: Pattern,
    ) -> Bpe {
        Bpe {
            name,
            id,
            bytes,
            offsets,
            slots,
            mask: slots.len() / rank_hash::SLOT - 1,
            // The pattern is a constant; a failure here is a bug caught by every test.
            // The Unicode classes make many lazy-DFA states: a larger cache than the
            // default keeps it from being rebuilt over and over on long texts.
            regex: Regex::builder()
                .configure(Regex::config().hybrid_cache_capacity(16 << 20))
                .build(pattern)
                .expect("token split pattern compiles"),
            pattern: kind,
        }
    }

    /// Number of ordinary tokens in the vocabulary.
    pub fn vocab_size(&self) -> usize {
        self.offsets.len() / 4 - 1
    }

    /// The bytes of one token.
    pub fn token(&self, rank: Rank) -> &'static [u8] {
        let r = rank as usize;
        let start = read_u32(self.offsets, r) as usize;
        let end = read_u32(self.offsets, r + 1) as usize;
        &self.bytes[start..end]
    }

    /// The rank of a byte string that is one token.
    #[inline]
    pub fn rank(&self, piece: &[u8]) -> Option<Rank> {
        let n = piece.len();
        if n <= rank_hash::INLINE && n > 0 {
            // A short token's slot holds its length and bytes, zero-padded: the piece laid
            // out the same way compares as two words, with no call to memcmp. The words
            // are loaded once, for the hash and the comparison, not copied byte by byte.
            let lo = rank_hash::load(piece, n.min(8));
            let hi = if n > 8 {
                rank_hash::load(&piece[8..], n - 8)
            } else {
                0
            };
            let (k0, k1) = ((lo << 8) | n as u64, ((lo >> 56) | (hi << 8)) as u32);
            let mut i = rank_hash::hash_words(n, lo, hi) as usize & self.mask;
            loop {
                let s: &[u8; rank_hash::SLOT] = self.slots
                    [i * rank_hash::SLOT..(i + 1) * rank_hash::SLOT]
                    .try_into()
                    .unwrap_or(&[0; rank_hash::SLOT]);
                let rank = u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
                if rank == 0 {
                    return None;
                }
                let s0 = u64::from_le_bytes([s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11]]);
                let s1 = u32::from_le_bytes([s[12], s[13], s[14], s[15]]);
                if s0 == k0 && s1 == k1 {
                    return Some(rank - 1);
                }
                i = (i + 1) & self.mask;
            }
        }
        let h = rank_hash::hash(piece);
        let mut i = h as usize & self.mask;
        let tag = ((h >> 32) as u32).to_le_bytes();
        loop {
            let s = &self.slots[i * rank_hash::SLOT..(i + 1) * rank_hash::SLOT];
            let rank = u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
            if rank == 0 {
                return None;
            }
            if s[4] == rank_hash::LONG && s[5..9] == tag && self.token(rank - 1) == piece {
                return Some(rank - 1);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The pieces tiktoken's pattern splits `text` into.
    ///
    /// `\s+(?!\S)` matches a run of whitespace without its last character when a
    /// non-space follows (that character then starts the next piece, as in `" world"`).
    /// Without look-ahead, `\s+` takes the whole run; a piece that ends in whitespace
    /// other than a line break can only come from that alternative (the others end in a
    /// letter, digit, symbol or line break), so such a piece of two or more characters
    /// that does not reach the end of the text gives back its last character.
    pub fn pieces<'t>(&self, text: &'t str) -> Vec<&'t str> {
        let mut out = Vec::new();
        self.each_piece(text, |p| out.push(p));
        out
    }

    fn each_piece<'t>(&self, text: &'t str, mut f: impl FnMut(&'t str)) {
        let bytes = text.as_bytes();
        let mut cache: Option<Cache> = None;
        let mut pos = 0;
        while pos < text.len() {
            // Nearly all text is ASCII, where the pattern is simple enough to follow by
            // hand; the regex takes over wherever a character outside ASCII could change
            // the match.
            let end = match ascii_piece(bytes, pos, self.pattern) {
                Some(end) => end,
                None => {
                    let cache = cache.get_or_insert_with(|| {
                        CACHES
                            .with(|c| c.borrow_mut()[self.id].take())
                            .unwrap_or_else(|| self.regex.create_cache())
                    });
                    // Every character is matched by some alternative, so each match
                    // starts where the last ended: an anchored search needs no reverse
                    // scan for the start.
                    let input = Input::new(text).range(pos..).anchored(Anchored::Yes);
                    let Some(m) = self.regex.search_with(cache, &input) else {
                        break;
                    };
                    m.end()
                }
            };
            let start = pos;
            let mut end = end;
            if end < text.len() && bytes[end - 1] < 0x80 {
                let last = bytes[end - 1];
                if is_space(last) && last != b'\n' && last != b'\r' && end - start >= 2 {
                    end -= 1;
                }
            } else if end < text.len() {
                let mut chars = text[start..end].chars();
                if let Some(last) = chars.next_back() {
                    if last.is_whitespace()
                        && last != '\n'
                        && last != '\r'
                        && chars.next().is_some()
                    {
                        end -= last.len_utf8();
                    }
                }
            }
            pos = end;
            f(&text[start..end]);
        }
        if let Some(cache) = cache {
            CACHES.with(|c| c.borrow_mut()[self.id] = Some(cache));
        }
    }

    /// The token ranks of `text`, special-token strings included as text.
    pub fn encode(&self, text: &str) -> Vec<Rank> {
        let mut out = Vec::new();
        self.each_piece(text, |piece| {
            let piece = piece.as_bytes();
            match self.rank(piece) {
                Some(r) => out.push(r),
                None => self.merge_into(piece, &mut out),
            }
        });
        out
    }

    /// The number of tokens `encode` would return, without keeping them.
    pub fn count(&self, text: &str) -> usize {
        let mut n = 0;
        let mut scratch = Vec::new();
        PIECE_COUNTS.with(|counts| {
            let mut counts = counts.borrow_mut();
            let counts = &mut counts[self.id];
            self.each_piece(text, |piece| {
                let piece = piece.as_bytes();
                if self.rank(piece).is_some() {
                    n += 1;
                } else if piece.len() <= CACHED_PIECE {
                    // Words recur: a piece that needs merging is merged once per thread.
                    if let Some(&c) = counts.get(piece) {
                        n += c as usize;
                    } else {
                        let c = self.merge_small(piece, &mut scratch).len() - 1;
                        if counts.len() >= CACHED_PIECES {
                            counts.clear();
                        }
                        counts.insert(piece.into(), c as u32);
                        n += c;
                    }
                } else if piece.len() < 100 {
                    n += self.merge_small(piece, &mut scratch).len() - 1;
                } else {
                    n += self.merge_large(piece).len();
                }
            });
        });
        n
    }

    /// The bytes of a token sequence; `None` for a rank outside the vocabulary.
    pub fn decode(&self, ranks: &[Rank]) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for &r in ranks {
            if r as usize >= self.vocab_size() {
                return None;
            }
            out.extend_from_slice(self.token(r));
        }
        Some(out)
    }

    fn merge_into(&self, piece: &[u8], out: &mut Vec<Rank>) {
        if piece.len() < 100 {
            let mut parts = Vec::new();
            self.merge_small(piece, &mut parts);
            out.extend(
                parts
                    .windows(2)
                    .map(|w| self.rank_of(&piece[w[0].0..w[1].0])),
            );
        } else {
            out.extend(self.merge_large(piece));
        }
    }

    /// Every single byte is a token, and merges only ever produce tokens.
    fn rank_of(&self, bytes: &[u8]) -> Rank {
        self.rank(bytes).unwrap_or(Rank::MAX)
    }

    /// tiktoken's `_byte_pair_merge`: the boundaries `(start, rank of the pair starting
    /// there)` left after merging the lowest-ranked adjacent pair until none is a token.
    /// Quadratic, and fastest for the short pieces nearly all text splits into.
    fn merge_small<'p>(
        &self,
        piece: &[u8],
        parts: &'p mut Vec<(usize, Rank)>,
    ) -> &'p [(usize, Rank)] {
        parts.clear();
        let mut min_rank: (Rank, usize) = (Rank::MAX, usize::MAX);
        for i in 0..piece.len() - 1 {
            let rank = self.rank(&piece[i..i + 2]).unwrap_or(Rank::MAX);
            if rank < min_rank.0 {
                min_rank = (rank, i);
            }
            parts.push((i, rank));
        }
        parts.push((piece.len() - 1, Rank::MAX));
        parts.push((piece.len(), Rank::MAX));

        let get_rank = |parts: &Vec<(usize, Rank)>, i: usize| {
            if i + 3 < parts.len() {
                self.rank(&piece[parts[i].0..parts[i + 3].0])
                    .unwrap_or(Rank::MAX)
            } else {
                Rank::MAX
            }
        };
        while min_rank.0 != Rank::MAX {
            let i = min_rank.1;
            if i > 0 {
                parts[i - 1].1 = get_rank(parts, i - 1);
            }
            parts[i].1 = get_rank(parts, i);
            parts.remove(i + 1);
            min_rank = (Rank::MAX, usize::MAX);
            for (i, &(_, rank)) in parts[..parts.len() - 1].iter().enumerate() {
                if rank < min_rank.0 {
                    min_rank = (rank, i);
                }
            }
        }
        parts
    }

    /// tiktoken's `_byte_pair_merge_large`: the same merges with a heap and linked
    /// boundaries, O(n log n) for long pieces (a megabyte of one character is one piece).
    fn merge_large(&self, piece: &[u8]) -> Vec<Rank> {
        struct State {
            prev: usize,
            end: usize,
            next_end: usize,
            next_rank: Rank,
            cur_rank: Rank,
        }
        #[derive(PartialEq, Eq)]
        struct Merge {
            start: usize,
            rank: Rank,
        }
        impl Ord for Merge {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                other
                    .rank
                    .cmp(&self.rank)
                    .then_with(|| other.start.cmp(&self.start))
            }
        }
        impl PartialOrd for Merge {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        let mut state = Vec::with_capacity(piece.len());
        state.push(State {
            prev: usize::MAX,
            end: 1,
            next_end: 2,
            next_rank: Rank::MAX,
            cur_rank: Rank::MAX,
        });
        let mut heap = BinaryHeap::with_capacity(piece.len());
        for i in 0..piece.len() - 1 {
            if let Some(rank) = self.rank(&piece[i..i + 2]) {
                heap.push(Merge { start: i, rank });
                state[i].next_rank = rank;
            }
            state.push(State {
                prev: i,
                end: i + 2,
                next_end: i + 3,
                next_rank: Rank::MAX,
                cur_rank: Rank::MAX,
            });
        }

        let potential_merge = |state: &mut Vec<State>,
                               heap: &mut BinaryHeap<Merge>,
                               start: usize,
                               next_end: usize| {
            state[start].next_end = next_end;
            state[start].next_rank = Rank::MAX;
            if next_end <= piece.len() {
                if let Some(rank) = self.rank(&piece[start..next_end]) {
                    heap.push(Merge { start, rank });
                    state[start].next_rank = rank;
                }
            }
        };

        while let Some(left) = heap.pop() {
            if left.rank == Rank::MAX {
                break;
            }
            if left.rank != state[left.start].next_rank {
                continue;
            }
            let left_start = left.start;
            let right_start = state[left_start].end;
            let right_end = state[left_start].next_end;
            let right_next_end = state[right_start].next_end;

            state[left_start].cur_rank = state[left_start].next_rank;
            state[left_start].end = right_end;
            potential_merge(&mut state, &mut heap, left_start, right_next_end);
            if right_end < state.len() {
                state[right_end].prev = left_start;
            }
            if left_start > 0 {
                let prev_start = state[left_start].prev;
                potential_merge(&mut state, &mut heap, prev_start, right_end);
            }
            state[right_start].next_rank = Rank::MAX;
        }

        let mut result = Vec::new();
        let mut i = 0;
        while i < state.len() {
            if state[i].cur_rank != Rank::MAX {
                result.push(state[i].cur_rank);
            } else {
                result.push(self.rank_of(&piece[i..state[i].end]));
            }
            i = state[i].end;
        }
        result
    }
}

/// The end of the piece `pattern` matches at `pos` (before `each_piece` gives back a
/// trailing space), when the bytes that decide it are all ASCII; `None` otherwise, and the
/// regex decides. In ASCII, letters are `[A-Za-z]` (upper `Lu`, lower `Ll`, nothing else),
/// numbers `[0-9]`, whitespace `\t \n \x0b \x0c \r` and space; all else is a symbol.
/// Alternatives are tried in the pattern's order, as the regex's leftmost-first match does.
#[inline]
fn ascii_piece(b: &[u8], pos: usize, pattern: Pattern) -> Option<usize> {
    let at = |i: usize| -> Option<u8> {
        match b.get(i) {
            Some(&c) if c >= 0x80 => None,
            Some(&c) => Some(c),
            None => Some(0xff), // end of text: a value no class below contains
        }
    };
    let c0 = at(pos)?;
    if pattern == Pattern::Cl100k && c0 == b'\'' {
        // '(?i:[sdmt]|ll|ve|re)
        if let Some(end) = contraction(b, pos)? {
            return Some(end);
        }
    }
    // [^\r\n\p{L}\p{N}]? then letters.
    let letters_from = if c0.is_ascii_alphabetic() {
        Some(pos)
    } else if c0 != b'\r'
        && c0 != b'\n'
        && !c0.is_ascii_digit()
        && at(pos + 1)?.is_ascii_alphabetic()
    {
        Some(pos + 1)
    } else {
        None
    };
    if let Some(from) = letters_from {
        let mut i = from;
        match pattern {
            // The runs test bytes directly; a byte outside ASCII ends a run, and then the
            // regex decides (as `at` says).
            Pattern::Cl100k => {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                at(i)?;
                return Some(i);
            }
            Pattern::O200k => {
                // Upper* lower+, or upper+ lower*: an upper run then a lower run.
                while i < b.len() && b[i].is_ascii_uppercase() {
                    i += 1;
                }
                while i < b.len() && b[i].is_ascii_lowercase() {
                    i += 1;
                }
                return Some(if at(i)? == b'\'' {
                    contraction(b, i)?.unwrap_or(i)
                } else {
                    i
                });
            }
        }
    }
    if c0.is_ascii_digit() {
        // \p{N}{1,3}: a fourth character could only matter below three digits.
        let mut i = pos;
        while i < pos + 3 && at(i)?.is_ascii_digit() {
            i += 1;
        }
        if i < pos + 3 {
            at(i)?;
        }
        return Some(i);
    }
    // ` ?[^\s\p{L}\p{N}]+[\r\n/]*` (cl100k: `[\r\n]*`).
    let symbols_from = if is_symbol(c0) {
        Some(pos)
    } else if c0 == b' ' && is_symbol(at(pos + 1)?) {
        Some(pos + 1)
    } else {
        None
    };
    if let Some(from) = symbols_from {
        let mut i = from;
        while is_symbol(at(i)?) {
            i += 1;
        }
        loop {
            let c = at(i)?;
            if c == b'\r' || c == b'\n' || (pattern == Pattern::O200k && c == b'/') {
                i += 1;
            } else {
                break;
            }
        }
        return Some(i);
    }
    // Whitespace: the run, then (o200k) `\s*[\r\n]+` | `\s+`, or (cl100k) `\s+$` |
    // `\s*[\r\n]` | `\s+`. Both newline alternatives end after the run's last line break.
    let mut i = pos;
    let mut last_break = None;
    loop {
        let c = at(i)?;
        if !is_space(c) {
            break;
        }
        if c == b'\r' || c == b'\n' {
            last_break = Some(i);
        }
        i += 1;
    }
    if i == pos {
        return None; // not reached: every ASCII byte is in one class above
    }
    if pattern == Pattern::Cl100k && i == b.len() {
        return Some(i);
    }
    Some(last_break.map_or(i, |l| l + 1))
}

/// After an apostrophe at `pos`: the end of `'s`, `'t`, `'re`, `'ve`, `'m`, `'ll` or `'d`
/// (any case) if one follows, `Some(None)` if none does, `None` if a character outside
/// ASCII could fold to one of those letters (`ſ` is an `s` ignoring case).
fn contraction(b: &[u8], pos: usize) -> Option<Option<usize>> {
    let at = |i: usize| match b.get(i) {
        Some(&c) if c >= 0x80 => None,
        Some(&c) => Some(c.to_ascii_lowercase()),
        None => Some(0),
    };
    let c1 = at(pos + 1)?;
    if matches!(c1, b's' | b't' | b'm' | b'd') {
        return Some(Some(pos + 2));
    }
    if matches!(c1, b'r' | b'v' | b'l') {
        let c2 = at(pos + 2)?;
        if (c1, c2) == (b'r', b'e') || (c1, c2) == (b'v', b'e') || (c1, c2) == (b'l', b'l') {
            return Some(Some(pos + 3));
        }
    }
    Some(None)
}

#[inline]
fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// `[^\s\p{L}\p{N}]` within ASCII; 0xff (end of text) is none.
#[inline]
fn is_symbol(c: u8) -> bool {
    c < 0x80 && !is_space(c) && !c.is_ascii_alphanumeric()
}
