//! Builds the o200k and cl100k rank tables at compile time from the vocabularies shipped
//! inside the tiktoken-rs crate, so the binary starts counting without parsing 5 MB of
//! base64 (the parse took most of a cold run). Nothing is downloaded: the files come from
//! the tiktoken-rs source cargo already unpacked, or from `SKILLPRESS_TIKTOKEN_ASSETS`.
//!
//! Each table is three files in OUT_DIR: `NAME.bytes` (every token's bytes, by rank),
//! `NAME.offsets` (n + 1 little-endian u32 offsets into the bytes) and `NAME.slots`
//! (an open-addressing hash table of 16-byte slots, linear probing, see
//! `rank_hash.rs`).

#[path = "src/tokens/rank_hash.rs"]
mod rank_hash;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/tokens/rank_hash.rs");
    println!("cargo:rerun-if-env-changed=SKILLPRESS_TIKTOKEN_ASSETS");
    let assets = find_assets();
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    for name in ["o200k_base", "cl100k_base"] {
        let path = assets.join(format!("{name}.tiktoken"));
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        write_table(&text, &out, name);
    }
}

/// The `assets/` folder of the tiktoken-rs version in Cargo.lock.
fn find_assets() -> PathBuf {
    if let Ok(dir) = std::env::var("SKILLPRESS_TIKTOKEN_ASSETS") {
        return PathBuf::from(dir);
    }
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let version = locked_version(&manifest.join("Cargo.lock"), "tiktoken-rs");
    let crate_dir = format!("tiktoken-rs-{}", version.as_deref().unwrap_or("0.12.1"));
    // `cargo vendor` layout first, then the registry cache.
    let mut candidates = vec![manifest.join("vendor/tiktoken-rs/assets")];
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        if let Ok(entries) = std::fs::read_dir(home.join("registry/src")) {
            for e in entries.flatten() {
                candidates.push(e.path().join(&crate_dir).join("assets"));
                // Without a lock file (a packaged build), any 0.12 release: they ship
                // the same vocabularies.
                if let Ok(crates) = std::fs::read_dir(e.path()) {
                    candidates.extend(
                        crates
                            .flatten()
                            .filter(|c| {
                                c.file_name()
                                    .to_string_lossy()
                                    .starts_with("tiktoken-rs-0.12.")
                            })
                            .map(|c| c.path().join("assets")),
                    );
                }
            }
        }
    }
    candidates
        .into_iter()
        .find(|p| p.join("o200k_base.tiktoken").is_file())
        .unwrap_or_else(|| {
            panic!(
                "cannot find {crate_dir}/assets/o200k_base.tiktoken in the cargo registry; \
                 run `cargo fetch` or set SKILLPRESS_TIKTOKEN_ASSETS to its assets folder"
            )
        })
}

fn locked_version(lock: &Path, package: &str) -> Option<String> {
    let text = std::fs::read_to_string(lock).ok()?;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{package}\"") {
            let v = lines.next()?.trim().strip_prefix("version = \"")?;
            return Some(v.trim_end_matches('"').to_string());
        }
    }
    None
}

fn write_table(text: &str, out: &Path, name: &str) {
    let mut tokens: Vec<Vec<u8>> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let (b64, rank) = line.split_once(' ').expect("`base64 rank` lines");
        let rank: usize = rank.trim().parse().expect("numeric rank");
        assert_eq!(rank, i, "{name}: ranks must run 0, 1, 2, ... without gaps");
        tokens.push(base64_decode(b64));
    }
    let mut bytes = Vec::new();
    let mut offsets = Vec::with_capacity((tokens.len() + 1) * 4);
    for t in &tokens {
        offsets.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        bytes.extend_from_slice(t);
    }
    offsets.extend_from_slice(&(bytes.len() as u32).to_le_bytes());

    // Under 40% full keeps probe runs short.
    let size = (tokens.len() * 5 / 2).next_power_of_two();
    let mask = size - 1;
    let mut slots = vec![[0u8; rank_hash::SLOT]; size];
    for (rank, t) in tokens.iter().enumerate() {
        let h = rank_hash::hash(t);
        let mut i = h as usize & mask;
        while slots[i][..4] != [0; 4] {
            i = (i + 1) & mask;
        }
        slots[i] = rank_hash::slot(rank as u32, t, h);
    }
    let slot_bytes: Vec<u8> = slots.concat();

    std::fs::write(out.join(format!("{name}.bytes")), &bytes).expect("write table");
    std::fs::write(out.join(format!("{name}.offsets")), &offsets).expect("write table");
    std::fs::write(out.join(format!("{name}.slots")), &slot_bytes).expect("write table");
}

fn base64_decode(s: &str) -> Vec<u8> {
    fn value(c: u8) -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("bad base64 byte {c}"),
        }
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in s.as_bytes() {
        if c == b'=' {
            break;
        }
        acc = (acc << 6) | value(c);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
