//! Shared by the fuzz targets: one in-memory skill from the fuzzer's bytes, and settings
//! with every rule on and no config file.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use skillpress::config::{Overrides, Settings};
use skillpress::skill::{markdown, FileKind, Skill, SkillFile};

/// Inputs above this many bytes are skipped: big inputs slow the search, not deepen it.
pub const MAX_INPUT: usize = 64 * 1024;

pub fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        Settings::load(Path::new("."), None, true, &Overrides::default()).expect("settings")
    })
}

/// The manifest text, and the text of one reference file when the input holds a NUL
/// byte (what follows it becomes `references/notes.md`).
pub fn split(data: &[u8]) -> Option<(String, Option<String>)> {
    if data.len() > MAX_INPUT {
        return None;
    }
    let (manifest, reference) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let manifest = String::from_utf8_lossy(manifest).into_owned();
    let reference = reference.map(|r| String::from_utf8_lossy(r).replace('\0', " "));
    Some((manifest, reference))
}

pub fn reference(rel: &str, text: &str) -> SkillFile {
    SkillFile {
        rel: rel.to_string(),
        kind: FileKind::Reference,
        bytes: text.len() as u64,
        text: Some(text.to_string()),
        problem: None,
        links: markdown::scan(text, 0).links,
    }
}

/// A skill held in memory, in a folder that does not exist (nothing is read from disk).
pub fn skill(manifest: String, reference_text: Option<String>) -> Skill {
    let files = reference_text
        .map(|t| vec![reference("references/notes.md", &t)])
        .unwrap_or_default();
    Skill::from_parts(
        PathBuf::from("/nonexistent/skillpress-fuzz/fuzz-skill"),
        "SKILL.md".to_string(),
        manifest,
        files,
    )
}
