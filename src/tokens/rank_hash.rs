//! The hash that places token byte strings in the rank tables. `build.rs` uses it to lay
//! the tables out at compile time and the encoder uses it to look them up, so both must
//! compile this one file.

/// A slot is 16 bytes: the rank plus one (little-endian u32; 0 marks an empty slot), the
/// token's length, then the token itself when it fits in 11 bytes, so a lookup of a short
/// piece, hit or miss, reads nothing but the slot. Longer tokens have length `LONG` and
/// the hash's high 32 bits as a tag, and are compared with the token table on a tag match.
pub const SLOT: usize = 16;
pub const INLINE: usize = 11;
pub const LONG: u8 = 0xff;

/// The slot for token `rank` with bytes `token` and hash `hash`.
// Only `build.rs` writes slots; the library reads them.
#[allow(dead_code)]
pub fn slot(rank: u32, token: &[u8], hash: u64) -> [u8; SLOT] {
    let mut s = [0u8; SLOT];
    s[..4].copy_from_slice(&(rank + 1).to_le_bytes());
    if token.len() <= INLINE {
        s[4] = token.len() as u8;
        s[5..5 + token.len()].copy_from_slice(token);
    } else {
        s[4] = LONG;
        s[5..9].copy_from_slice(&((hash >> 32) as u32).to_le_bytes());
    }
    s
}

/// The first `n` bytes of `b` (`n <= 8`, `n <= b.len()`) as a little-endian word, zero
/// above: two overlapping loads for four bytes or more, so no variable-length copy (a call
/// to `memcpy` per lookup was a tenth of counting time).
#[inline(always)]
pub fn load(b: &[u8], n: usize) -> u64 {
    let u32_at = |i: usize| u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]));
    match n {
        0 => 0,
        // The first, middle and last byte: each of the three when there are three, the
        // second twice when there are two, the one thrice when there is one.
        1..=3 => {
            u64::from(b[0])
                | u64::from(b[n / 2]) << (8 * (n / 2))
                | u64::from(b[n - 1]) << (8 * (n - 1))
        }
        4..=7 => u32_at(0) | ((u32_at(n - 4) >> (8 * (8 - n))) << 32),
        _ => u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
    }
}

/// `hash` of a piece of at most 16 bytes from its length and its words: `lo`, the first
/// eight bytes (zero-padded), and `hi`, the rest. The lookup of a short piece loads them
/// once for both the hash and the comparison.
// The build script hashes whole tokens only.
#[allow(dead_code)]
#[inline(always)]
pub fn hash_words(n: usize, lo: u64, hi: u64) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = ((n as u64).rotate_left(5) ^ lo).wrapping_mul(K);
    if n > 8 {
        h = (h.rotate_left(5) ^ hi).wrapping_mul(K);
    }
    finish(h)
}

/// MurmurHash3's finaliser: every input bit reaches the low bits the index takes.
#[inline(always)]
fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A multiply-rotate hash over 8-byte words (the FxHash recipe), mixed with the length.
#[inline(always)]
pub fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = (h.rotate_left(5) ^ load(rest, rest.len())).wrapping_mul(K);
    }
    finish(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_bytes_zero_padded() {
        let text = b"abcdefghijklmnop";
        for n in 0..=8 {
            let mut padded = [0u8; 8];
            padded[..n].copy_from_slice(&text[..n]);
            assert_eq!(load(text, n), u64::from_le_bytes(padded), "{n} bytes");
        }
    }

    #[test]
    fn the_hash_of_a_short_piece_is_the_hash_of_its_words() {
        let text = b"0123456789abcdef";
        for n in 1..=16 {
            let lo = load(text, n.min(8));
            let hi = if n > 8 { load(&text[8..], n - 8) } else { 0 };
            assert_eq!(hash_words(n, lo, hi), hash(&text[..n]), "{n} bytes");
        }
    }
}
