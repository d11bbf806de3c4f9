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

/// A multiply-rotate hash over 8-byte words (the FxHash recipe), mixed with the length.
#[inline]
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
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    // MurmurHash3's finaliser: every input bit reaches the low bits the index takes.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}
