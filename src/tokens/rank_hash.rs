//! The hash that places token byte strings in the rank tables. `build.rs` uses it to lay
//! the tables out at compile time and the encoder uses it to look them up, so both must
//! compile this one file.

/// Slots are `u32`: 0 is empty, otherwise the rank plus one.
pub const EMPTY: u32 = 0;

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
    // Fold the high bits down: the table index takes the low bits.
    h ^ (h >> 29) ^ (h >> 47)
}
