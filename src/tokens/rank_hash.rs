//! The hash that places token byte strings in the rank tables. `build.rs` uses it to lay
//! the tables out at compile time and the encoder uses it to look them up, so both must
//! compile this one file.

/// Slots are `u64`: 0 is empty, otherwise the rank plus one in the low 32 bits and the
/// hash's high 32 bits as a tag, so most misses are settled without reading the token.
pub const EMPTY: u64 = 0;

// Only `build.rs` writes slots; the library reads them.
#[allow(dead_code)]
pub fn slot(rank: u32, hash: u64) -> u64 {
    (hash & 0xffff_ffff_0000_0000) | (rank as u64 + 1)
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
