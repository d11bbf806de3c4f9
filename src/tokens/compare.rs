//! `skillpress tokens --compare REF`: each skill against its version at a git revision.
//! The skills at REF are read with the `git` command (`ls-tree` for the files, one
//! `cat-file --batch` for their contents) into a temporary folder and measured as the
//! working tree is, so both sides count the same way.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;

use super::report::{self, SkillTokens};
use super::Tokenizer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
    Unchanged,
}

/// Tokens of one tier before and after.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Delta {
    pub before: u64,
    pub after: u64,
}

impl Delta {
    pub fn change(&self) -> i64 {
        self.after as i64 - self.before as i64
    }
}

impl std::ops::AddAssign for Delta {
    fn add_assign(&mut self, o: Delta) {
        self.before += o.before;
        self.after += o.after;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillDelta {
    /// The skill folder relative to the repository's top.
    pub path: String,
    pub name: String,
    pub change: Change,
    pub listing: Delta,
    pub body: Delta,
    pub references: Delta,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub reference: String,
    pub tokenizer: String,
    pub skills: Vec<SkillDelta>,
    pub listing: Delta,
    pub body: Delta,
    pub references: Delta,
}

impl Comparison {
    /// Growth of what every request pays: the listings of all skills.
    pub fn always_loaded_increase(&self) -> i64 {
        self.listing.change()
    }
}

fn git(top: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(args)
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

/// The repository holding `path`, as an absolute, canonical folder.
pub fn repository_top(path: &Path) -> Result<PathBuf, String> {
    let dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."))
    };
    let out = git(&dir, &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("{}: not in a git repository ({e})", path.display()))?;
    let top = PathBuf::from(String::from_utf8_lossy(&out).trim());
    std::fs::canonicalize(&top).map_err(|e| format!("{}: {e}", top.display()))
}

/// `path` relative to the repository's top (`.` for the top itself).
fn relative(top: &Path, path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    });
    match abs.strip_prefix(top) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().replace('\\', "/"),
        _ => ".".to_string(),
    }
}

/// Writes the regular files under `specs` at `reference` into `into`. Symbolic links and
/// submodules are left out: a link could point anywhere, and nothing is read through one.
fn checkout(top: &Path, reference: &str, specs: &[String], into: &Path) -> Result<(), String> {
    git(
        top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ],
    )
    .map_err(|_| format!("`{reference}` is not a commit in {}", top.display()))?;
    let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", reference, "--"];
    args.extend(
        specs
            .iter()
            .map(|s| if s == "." { ":/" } else { s.as_str() }),
    );
    let listing = git(top, &args)?;
    let mut blobs: Vec<(String, String)> = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split(' ');
        let (Some(mode), Some(kind), Some(oid)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if kind == "blob" && mode != "120000" {
            blobs.push((oid.to_string(), path.to_string()));
        }
    }
    if blobs.is_empty() {
        return Ok(());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
    let oids: Vec<String> = blobs.iter().map(|(o, _)| o.clone()).collect();
    // Feed from another thread so neither side waits on a full pipe.
    let feeder = std::thread::spawn(move || -> std::io::Result<()> {
        for oid in oids {
            writeln!(stdin, "{oid}")?;
        }
        Ok(())
    });
    let mut out = BufReader::new(child.stdout.take().ok_or("git cat-file: no stdout")?);
    for (_, path) in &blobs {
        let mut header = String::new();
        out.read_line(&mut header).map_err(|e| e.to_string())?;
        let size: usize = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git cat-file: unexpected answer `{}`", header.trim()))?;
        let mut content = vec![0; size + 1];
        out.read_exact(&mut content).map_err(|e| e.to_string())?;
        content.pop();
        // Paths come from git's own tree; still, never write outside `into`.
        if path.split('/').any(|p| p == ".." || p.is_empty()) {
            continue;
        }
        let dest = into.join(path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&dest, content).map_err(|e| format!("{}: {e}", dest.display()))?;
    }
    let _ = feeder.join();
    let _ = child.wait();
    Ok(())
}

/// Measures the skills under `paths` now and at `reference`, and pairs them by folder.
pub fn compare(
    paths: &[PathBuf],
    exclude: &globset::GlobSet,
    tok: &Tokenizer,
    reference: &str,
) -> Result<Comparison, String> {
    let first = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let top = repository_top(&first)?;
    let specs: Vec<String> = paths.iter().map(|p| relative(&top, p)).collect();

    let now = report::build(paths, exclude, tok, Vec::new()).map_err(|e| e.to_string())?;
    let tmp = tempfile::tempdir().map_err(|e| format!("temporary folder: {e}"))?;
    checkout(&top, reference, &specs, tmp.path())?;
    let old_roots: Vec<PathBuf> = specs
        .iter()
        .map(|s| tmp.path().join(s))
        .filter(|p| p.exists())
        .collect();
    let before = if old_roots.is_empty() {
        Vec::new()
    } else {
        report::build(&old_roots, exclude, tok, Vec::new())
            .map_err(|e| e.to_string())?
            .skills
    };

    let key_now = |s: &SkillTokens| relative(&top, Path::new(&s.path));
    let key_old = |s: &SkillTokens| {
        Path::new(&s.path)
            .strip_prefix(tmp.path())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| s.path.clone())
    };
    let mut pairs: BTreeMap<String, (Option<&SkillTokens>, Option<&SkillTokens>)> = BTreeMap::new();
    for s in &before {
        pairs.entry(key_old(s)).or_default().0 = Some(s);
    }
    for s in &now.skills {
        pairs.entry(key_now(s)).or_default().1 = Some(s);
    }
    let mut out = Comparison {
        reference: reference.to_string(),
        tokenizer: tok.name(),
        skills: Vec::new(),
        listing: Delta::default(),
        body: Delta::default(),
        references: Delta::default(),
    };
    for (path, (old, new)) in pairs {
        let tier = |s: Option<&SkillTokens>, f: fn(&SkillTokens) -> u64| s.map_or(0, f);
        let d = |f: fn(&SkillTokens) -> u64| Delta {
            before: tier(old, f),
            after: tier(new, f),
        };
        let (listing, body, references) = (
            d(|s| s.listing.tokens),
            d(|s| s.body.tokens),
            d(|s| s.references.tokens),
        );
        let change = match (old, new) {
            (None, _) => Change::Added,
            (_, None) => Change::Removed,
            _ if listing.change() == 0 && body.change() == 0 && references.change() == 0 => {
                Change::Unchanged
            }
            _ => Change::Changed,
        };
        let name = new.or(old).map(|s| s.name.clone()).unwrap_or_default();
        out.listing += listing;
        out.body += body;
        out.references += references;
        out.skills.push(SkillDelta {
            path,
            name,
            change,
            listing,
            body,
            references,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_sum_and_sign() {
        let mut total = Delta::default();
        total += Delta {
            before: 10,
            after: 4,
        };
        total += Delta {
            before: 0,
            after: 9,
        };
        assert_eq!(
            total,
            Delta {
                before: 10,
                after: 13
            }
        );
        assert_eq!(total.change(), 3);
        assert_eq!(
            Delta {
                before: 5,
                after: 2
            }
            .change(),
            -3
        );
    }
}
