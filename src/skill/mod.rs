//! The parsed skill: its `SKILL.md` (frontmatter and markdown body) and its other files,
//! loaded once and shared by every rule, the token counter and the classifier.

pub mod files;
pub mod frontmatter;
pub mod markdown;
pub mod resolve;

use std::path::{Path, PathBuf};

pub use files::{FileKind, LoadProblem, SkillFile};
pub use frontmatter::{Entry, Frontmatter, FrontmatterState, ValueStyle, YamlError};
pub use markdown::{Block, BlockKind, Link, LinkKind, Markdown};

/// Largest text file read whole; bigger ones become a diagnostic and are skipped.
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug)]
pub struct Skill {
    /// The skill folder, as discovered (relative to where the user pointed, or absolute).
    pub dir: PathBuf,
    /// File name of the manifest: `SKILL.md`, or `skill.md` when only that exists.
    pub manifest: String,
    /// The manifest's text, BOM and line endings as on disk.
    pub text: String,
    pub frontmatter: FrontmatterState,
    /// Byte offset where the markdown body starts.
    pub body_start: usize,
    pub body: Markdown,
    /// Every other file under the folder (nested skills excluded), sorted by path.
    pub files: Vec<SkillFile>,
    /// The folder's canonical path, resolved once (see [`Skill::real_dir`]).
    real: std::sync::OnceLock<PathBuf>,
}

/// A skill whose manifest could not be read as text.
#[derive(Debug)]
pub struct Unreadable {
    pub dir: PathBuf,
    pub manifest: String,
    pub problem: LoadProblem,
}

impl Skill {
    /// Loads and parses the skill in `dir`. Only a manifest that cannot be read as text
    /// stops the load; problems with other files are kept on those files.
    pub fn load(dir: &Path) -> Result<Skill, Unreadable> {
        let manifest = manifest_name(dir).unwrap_or("SKILL.md").to_string();
        let path = dir.join(&manifest);
        let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(target) = files::escapes(&path, &root) {
            return Err(Unreadable {
                dir: dir.to_path_buf(),
                manifest,
                problem: LoadProblem::Outside {
                    target: target.to_string_lossy().into_owned(),
                },
            });
        }
        let text = match files::read_text(&path) {
            Ok(t) => t,
            Err(problem) => {
                return Err(Unreadable {
                    dir: dir.to_path_buf(),
                    manifest,
                    problem,
                })
            }
        };
        let files = files::list_under(dir, &root, &manifest);
        let skill = Skill::from_parts(dir.to_path_buf(), manifest, text, files);
        let _ = skill.real.set(root);
        Ok(skill)
    }

    /// Builds a skill from a manifest text and files already in memory.
    pub fn from_parts(
        dir: PathBuf,
        manifest: String,
        text: String,
        files: Vec<SkillFile>,
    ) -> Skill {
        let (frontmatter, body_start) = frontmatter::parse(&text);
        let body = markdown::scan(&text, body_start);
        Skill {
            dir,
            manifest,
            text,
            frontmatter,
            body_start,
            body,
            files,
            real: std::sync::OnceLock::new(),
        }
    }

    /// The folder's canonical path (symbolic links resolved), or the folder as given
    /// when it cannot be resolved. Worked out once per skill.
    pub fn real_dir(&self) -> &Path {
        self.real.get_or_init(|| {
            let dir = if self.dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                self.dir.as_path()
            };
            std::fs::canonicalize(dir).unwrap_or_else(|_| self.dir.clone())
        })
    }

    pub fn frontmatter(&self) -> Option<&Frontmatter> {
        match &self.frontmatter {
            FrontmatterState::Present(f) => Some(f),
            _ => None,
        }
    }

    /// The folder's name, which the `name` field should match.
    pub fn folder_name(&self) -> String {
        let dir = if self.dir.as_os_str().is_empty() || self.dir == Path::new(".") {
            std::env::current_dir().unwrap_or_default()
        } else {
            self.real_dir().to_path_buf()
        };
        dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    pub fn name(&self) -> Option<String> {
        self.frontmatter()?.string("name")
    }

    pub fn description(&self) -> Option<String> {
        self.frontmatter()?.string("description")
    }

    pub fn body_text(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The first line of the body (without its line break): where a finding about the
    /// whole body points.
    pub fn body_first_line(&self) -> std::ops::Range<usize> {
        let body = self.body_text();
        self.body_start..self.body_start + body.find('\n').unwrap_or(body.len())
    }

    pub fn file(&self, rel: &str) -> Option<&SkillFile> {
        self.files.iter().find(|f| f.rel == rel)
    }
}

/// `SKILL.md`, else `skill.md`, when the folder holds one.
pub fn manifest_name(dir: &Path) -> Option<&'static str> {
    // Compare names exactly: on case-insensitive file systems `skill.md` would also
    // answer for `SKILL.md`.
    let names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.eq_ignore_ascii_case("skill.md"))
        .collect();
    if names.iter().any(|n| n == "SKILL.md") {
        Some("SKILL.md")
    } else if names.iter().any(|n| n == "skill.md") {
        Some("skill.md")
    } else {
        None
    }
}
