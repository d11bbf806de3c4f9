//! A skill's other files: found with the `ignore` walker (hidden folders in, `.git` out,
//! ignore files respected, symlinks followed with loop detection), tagged by kind, and
//! read as text when they are text. A symbolic link whose target lies outside the skill
//! folder is listed (R003 reports it) but never followed: nothing outside is opened.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::markdown::{self, Link};
use super::MAX_TEXT_BYTES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Documentation an agent reads: markdown, plain text.
    Reference,
    /// Code an agent runs rather than reads.
    Script,
    /// Other text: data, configuration, templates.
    Asset,
    /// Not text (images, archives, fonts) or not readable as text.
    Binary,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Reference => "reference",
            FileKind::Script => "script",
            FileKind::Asset => "asset",
            FileKind::Binary => "binary",
        }
    }
}

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadProblem {
    Io(String),
    TooLarge {
        bytes: u64,
    },
    /// Holds a NUL byte: a binary file with a text name.
    Binary,
    /// Not valid UTF-8; `offset` is the first bad byte, `line` its 1-based line.
    NotUtf8 {
        offset: usize,
        line: usize,
    },
    /// A symlink that leads back into a folder being walked, or another walk failure.
    Walk(String),
    /// A symbolic link to `target`, outside the skill folder: not followed.
    Outside {
        target: String,
    },
}

impl LoadProblem {
    pub fn describe(&self) -> String {
        match self {
            LoadProblem::Io(e) => format!("cannot be read: {e}"),
            LoadProblem::TooLarge { bytes } => format!(
                "is {} MiB, over the {} MiB limit for text files, and was skipped",
                bytes / (1024 * 1024),
                MAX_TEXT_BYTES / (1024 * 1024)
            ),
            LoadProblem::Binary => "holds NUL bytes: it is binary, not text".to_string(),
            LoadProblem::NotUtf8 { offset, line } => {
                format!("is not valid UTF-8 (first bad byte at offset {offset}, line {line})")
            }
            LoadProblem::Walk(e) => e.clone(),
            LoadProblem::Outside { target } => format!(
                "is a symbolic link to `{target}`, outside the skill folder, and was not followed"
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SkillFile {
    /// Path relative to the skill folder, `/`-separated.
    pub rel: String,
    pub kind: FileKind,
    pub bytes: u64,
    /// The text, for text files that could be read.
    pub text: Option<String>,
    /// Why a file that should be text could not be read.
    pub problem: Option<LoadProblem>,
    /// Links and code-span paths, for markdown files.
    pub links: Vec<Link>,
}

impl SkillFile {
    pub fn is_markdown(&self) -> bool {
        has_ext(&self.rel, &["md", "markdown", "mdx"])
    }

    pub fn line_count(&self) -> usize {
        self.text.as_deref().map_or(0, |t| t.lines().count())
    }
}

const REFERENCE_EXT: &[&str] = &["md", "markdown", "mdx", "txt", "rst", "adoc", "org"];
const SCRIPT_EXT: &[&str] = &[
    "py",
    "sh",
    "bash",
    "zsh",
    "fish",
    "js",
    "mjs",
    "cjs",
    "ts",
    "mts",
    "rb",
    "pl",
    "ps1",
    "psm1",
    "go",
    "rs",
    "php",
    "lua",
    "r",
    "swift",
    "kt",
    "java",
    "c",
    "cc",
    "cpp",
    "h",
    "cs",
    "bat",
    "cmd",
    "applescript",
    "scpt",
    "ipynb",
];
const BINARY_EXT: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "ico", "bmp", "tiff", "pdf", "zip", "gz", "tgz", "bz2",
    "xz", "7z", "tar", "jar", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "wav", "ogg",
    "mov", "avi", "webm", "so", "dylib", "dll", "exe", "bin", "wasm", "pyc", "class", "docx",
    "xlsx", "pptx", "doc", "xls", "ppt", "sqlite", "db", "pkl", "npy", "onnx", "pt",
];

fn has_ext(rel: &str, exts: &[&str]) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.')
        .is_some_and(|(_, e)| exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Kind from the name alone; content may still demote a text kind to binary.
fn kind_by_name(rel: &str) -> FileKind {
    let top = rel.split('/').next().unwrap_or("");
    if has_ext(rel, BINARY_EXT) {
        FileKind::Binary
    } else if has_ext(rel, SCRIPT_EXT) || top == "scripts" || top == "bin" {
        FileKind::Script
    } else if has_ext(rel, REFERENCE_EXT) && top != "assets" && top != "templates" {
        FileKind::Reference
    } else {
        FileKind::Asset
    }
}

/// Reads a file that should be UTF-8 text, within the size cap.
pub fn read_text(path: &Path) -> Result<String, LoadProblem> {
    let file = std::fs::File::open(path).map_err(|e| LoadProblem::Io(e.to_string()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_TEXT_BYTES {
        return Err(LoadProblem::TooLarge { bytes: len });
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LoadProblem::Io(e.to_string()))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(LoadProblem::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    decode(bytes)
}

pub fn decode(bytes: Vec<u8>) -> Result<String, LoadProblem> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(LoadProblem::Binary);
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        LoadProblem::NotUtf8 { offset, line }
    })
}

/// Every file under `dir` except the manifest and files of nested skills, sorted. A
/// symbolic link leaving the folder is listed with [`LoadProblem::Outside`] and neither
/// read nor walked into.
pub fn list(dir: &Path, manifest: &str) -> Vec<SkillFile> {
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    walk_files(dir, &root, manifest, true)
}

/// [`list`] for a folder whose canonical path `root` is known, in a run over many
/// skills: the walker would look for ignore files in every folder above each skill;
/// which of those folders hold one is looked up once per run (see
/// [`crate::discover::ignores_above`]), and where none does the look is skipped.
pub fn list_under(dir: &Path, root: &Path, manifest: &str) -> Vec<SkillFile> {
    walk_files(dir, root, manifest, crate::discover::ignores_above(root))
}

fn walk_files(dir: &Path, root: &Path, manifest: &str, read_parents: bool) -> Vec<SkillFile> {
    let mut out = Vec::new();
    let outside: Arc<Mutex<Vec<(PathBuf, PathBuf)>>> = Arc::default();
    let mut builder = crate::discover::walk_builder(dir);
    builder.parents(read_parents);
    let root = root.to_path_buf();
    let walker = builder
        .filter_entry({
            let top = dir.to_path_buf();
            let outside = Arc::clone(&outside);
            move |e| {
                if e.file_name() == ".git" {
                    return false;
                }
                if e.depth() > 0 && e.path_is_symlink() {
                    if let Some(target) = escapes(e.path(), &root) {
                        if let Ok(mut v) = outside.lock() {
                            v.push((e.path().to_path_buf(), target));
                        }
                        return false;
                    }
                }
                // A nested skill owns its folder.
                !(e.depth() > 0
                    && e.file_type().is_some_and(|t| t.is_dir())
                    && e.path() != top
                    && crate::discover::is_skill_dir(e.path()))
            }
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let rel = crate::discover::error_path(&err)
                    .and_then(|p| p.strip_prefix(dir).ok().map(rel_string))
                    .unwrap_or_default();
                out.push(SkillFile {
                    rel,
                    kind: FileKind::Binary,
                    bytes: 0,
                    text: None,
                    problem: Some(LoadProblem::Walk(crate::discover::describe_walk_error(
                        &err,
                    ))),
                    links: Vec::new(),
                });
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel_string(rel);
        if rel == manifest {
            continue;
        }
        out.push(load_file(entry.path(), rel));
    }
    let outside = std::mem::take(&mut *outside.lock().unwrap_or_else(|e| e.into_inner()));
    for (path, target) in outside {
        let Ok(rel) = path.strip_prefix(dir) else {
            continue;
        };
        out.push(SkillFile {
            rel: rel_string(rel),
            kind: FileKind::Binary,
            bytes: 0,
            text: None,
            problem: Some(LoadProblem::Outside {
                target: target.to_string_lossy().into_owned(),
            }),
            links: Vec::new(),
        });
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

/// Where a symbolic link at `path` really leads, when that is outside `root` (the skill
/// folder, canonical). A dangling link leads nowhere and is left to the walker.
pub fn escapes(path: &Path, root: &Path) -> Option<PathBuf> {
    // Only a link can lead away: callers pass paths whose folders are inside `root`.
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return None;
    }
    let target = std::fs::canonicalize(path).ok()?;
    (!target.starts_with(root)).then_some(target)
}

fn rel_string(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn load_file(path: &Path, rel: String) -> SkillFile {
    let kind = kind_by_name(&rel);
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut file = SkillFile {
        rel,
        kind,
        bytes,
        text: None,
        problem: None,
        links: Vec::new(),
    };
    if kind == FileKind::Binary {
        return file;
    }
    match read_text(path) {
        Ok(text) => {
            if file.is_markdown() {
                file.links = markdown::scan(&text, 0).links;
            }
            file.text = Some(text);
        }
        Err(LoadProblem::Binary) if kind != FileKind::Reference => file.kind = FileKind::Binary,
        Err(LoadProblem::NotUtf8 { .. }) if kind == FileKind::Asset => file.kind = FileKind::Binary,
        Err(problem) => file.problem = Some(problem),
    }
    file
}

/// Files that serve the repository, its tooling or the agents developing it, not the
/// agent using the skill: licences, read-mes, package manifests, caches, hidden folders.
pub fn is_repository_file(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let dirs = &parts[..parts.len() - 1];
    if parts.iter().any(|p| p.starts_with('.'))
        || dirs
            .iter()
            .any(|d| matches!(*d, "__pycache__" | "node_modules" | "venv" | "evals"))
    {
        return true;
    }
    let name = parts[parts.len() - 1];
    let upper = name.to_ascii_uppercase();
    let stem = upper.split('.').next().unwrap_or("");
    matches!(
        stem,
        "LICENSE"
            | "LICENCE"
            | "README"
            | "CHANGELOG"
            | "NOTICE"
            | "COPYING"
            | "CONTRIBUTING"
            | "AUTHORS"
            | "SECURITY"
            | "CODE_OF_CONDUCT"
            | "CLAUDE"
            | "AGENTS"
            | "GEMINI"
    ) || upper.starts_with("LICENSE")
        || stem.ends_with("MANIFEST")
        || matches!(
            name,
            "package.json"
                | "package-lock.json"
                | "yarn.lock"
                | "pnpm-lock.yaml"
                | "bun.lockb"
                | "bun.lock"
                | "Cargo.toml"
                | "Cargo.lock"
                | "go.mod"
                | "go.sum"
                | "poetry.lock"
                | "uv.lock"
                | "Pipfile"
                | "Pipfile.lock"
                | "pyproject.toml"
                | "setup.py"
                | "setup.cfg"
                | "tsconfig.json"
                | "__init__.py"
                | "Makefile"
                | "_meta.json"
                | "metadata.json"
                | "plugin.json"
                | "marketplace.json"
        )
        || matches!(rel, "agents/openai.yaml" | "agents/openai.yml")
        || (name.starts_with("requirements") && name.ends_with(".txt"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name() {
        assert_eq!(kind_by_name("references/api.md"), FileKind::Reference);
        assert_eq!(kind_by_name("scripts/run.py"), FileKind::Script);
        assert_eq!(kind_by_name("scripts/README"), FileKind::Script);
        assert_eq!(kind_by_name("assets/logo.png"), FileKind::Binary);
        assert_eq!(kind_by_name("assets/template.md"), FileKind::Asset);
        assert_eq!(kind_by_name("data.json"), FileKind::Asset);
    }

    #[test]
    fn decoding_problems_name_the_place() {
        assert_eq!(decode(b"a\0b".to_vec()), Err(LoadProblem::Binary));
        assert_eq!(
            decode(b"ok\nbad \xff here".to_vec()),
            Err(LoadProblem::NotUtf8 { offset: 7, line: 2 })
        );
        assert_eq!(decode("fine é".as_bytes().to_vec()).unwrap(), "fine é");
    }

    #[test]
    fn meta_files_are_not_content() {
        for m in [
            "LICENSE",
            "LICENSE.txt",
            "README.md",
            "scripts/__init__.py",
            ".github/x.yml",
            "scripts/__pycache__/a.pyc",
            "requirements-dev.txt",
            "package.json",
        ] {
            assert!(is_repository_file(m), "{m}");
        }
        for c in [
            "references/api.md",
            "scripts/run.py",
            "assets/readme-template.md",
        ] {
            assert!(!is_repository_file(c), "{c}");
        }
    }
}
