//! Where a path written in a skill file points: resolved against the file that holds it,
//! normalised, looked up among the skill's files, and the graph of which file mentions
//! which. The resource rules (R001-R006) all answer their questions through this module.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::ops::Range;
use std::path::Path;
use std::rc::Rc;

use super::files::is_repository_file;
use super::markdown::{Link, LinkKind};
use super::{FileKind, Skill};

/// Decodes `%XX` escapes; malformed escapes and bytes that do not form UTF-8 are kept
/// as written rather than rejected, since a link target is only a hint.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Where a written path lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Inside the skill folder: normalised, `/`-separated, relative to the folder, no
    /// trailing slash (`""` is the folder itself).
    Inside(String),
    /// Outside the folder: absolute, home-relative, or more `..` than there are folders.
    Outside,
    /// Depends on a variable other than the skill's folder (`$HOME/x`, `{out}/y`), or is
    /// not a path at all (an e-mail address written without `mailto:`).
    Unknown,
}

/// Resolves `path` as written in the file `from` (relative to the skill folder), purely
/// lexically. Backslashes count as separators: skills are written on Windows too.
pub fn resolve(from: &str, path: &str) -> Resolved {
    let path = path.trim().replace('\\', "/");
    if path.contains('@') && !path.contains('/') {
        return Resolved::Unknown;
    }
    let first = path.split('/').next().unwrap_or("");
    if first.starts_with(['$', '{', '%']) {
        let var = first
            .trim_matches(['$', '{', '}', '%'])
            .to_ascii_lowercase();
        // `${CLAUDE_SKILL_DIR}/x`, `{baseDir}/x`: the skill folder itself.
        if var.contains("skill") || var == "basedir" || var == "base_dir" {
            let rest = path.get(first.len()..).unwrap_or("");
            return resolve("", rest.trim_start_matches('/'));
        }
        return Resolved::Unknown;
    }
    if is_absolute(&path) {
        return Resolved::Outside;
    }
    let mut parts: Vec<&str> = Vec::new();
    // The folder of `from` (its last part is the file's own name).
    for part in from.rsplit_once('/').map_or("", |(dir, _)| dir).split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Resolved::Outside;
                }
            }
            p => parts.push(p),
        }
    }
    Resolved::Inside(parts.join("/"))
}

fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('~')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// The folder part of a file's relative path (`""` for files at the top).
pub fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// How to write `target` (relative to the skill) from a file in folder `from_dir`.
pub fn relative_to(from_dir: &str, target: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to[common..]);
    out.join("/")
}

/// The skill's files and folders as a set of relative paths.
pub struct Layout<'a> {
    dir: &'a Path,
    files: BTreeSet<&'a str>,
    dirs: BTreeSet<&'a str>,
    /// Symbolic links leaving the skill: listed, never followed.
    outside: Vec<&'a str>,
}

impl<'a> Layout<'a> {
    pub fn new(skill: &'a Skill) -> Layout<'a> {
        let mut files: BTreeSet<&str> = skill.files.iter().map(|f| f.rel.as_str()).collect();
        files.insert(skill.manifest.as_str());
        let mut dirs = BTreeSet::new();
        dirs.insert("");
        for f in &files {
            let mut d = parent(f);
            while !d.is_empty() && dirs.insert(d) {
                d = parent(d);
            }
        }
        let outside = skill
            .files
            .iter()
            .filter(|f| matches!(f.problem, Some(crate::skill::LoadProblem::Outside { .. })))
            .map(|f| f.rel.as_str())
            .collect();
        Layout {
            dir: &skill.dir,
            files,
            dirs,
            outside,
        }
    }

    pub fn is_file(&self, rel: &str) -> bool {
        self.files.contains(rel)
    }

    /// A folder counts when some file of the skill is under it.
    pub fn is_dir(&self, rel: &str) -> bool {
        self.dirs.contains(rel)
    }

    /// Whether `rel` names a file or folder of the skill. Paths missing from the file list
    /// are checked on disk: files of nested skills and ignored files are not listed but
    /// are there.
    pub fn exists(&self, rel: &str) -> bool {
        if self.is_file(rel) || self.is_dir(rel) {
            return true;
        }
        // Behind a symbolic link that leaves the skill: R003 reports the link, and what
        // lies past it is not looked at.
        if self
            .outside
            .iter()
            .any(|o| rel.strip_prefix(o).is_some_and(|r| r.starts_with('/')))
        {
            return true;
        }
        self.dir.join(rel).exists()
    }

    /// Files at or under `rel` (the file itself, or every file in the folder).
    pub fn files_under(&self, rel: &str) -> Vec<&'a str> {
        if self.is_file(rel) {
            return vec![self.files.get(rel).copied().unwrap_or_default()];
        }
        if rel.is_empty() {
            return self.files.iter().copied().collect();
        }
        let prefix = format!("{rel}/");
        self.files
            .iter()
            .filter(|f| f.starts_with(&prefix))
            .copied()
            .collect()
    }

    /// The existing file a mistyped `rel` most likely meant: the same path in another
    /// letter case, the same name in another folder, or a path a few edits away.
    pub fn closest(&self, rel: &str) -> Option<&'a str> {
        let lower = rel.to_lowercase();
        if let Some(f) = self.files.iter().find(|f| f.to_lowercase() == lower) {
            return Some(f);
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let same_name: Vec<&str> = self
            .files
            .iter()
            .copied()
            .filter(|f| f.rsplit('/').next() == Some(name))
            .collect();
        if same_name.len() == 1 {
            return Some(same_name[0]);
        }
        let limit = (rel.chars().count() / 4).clamp(1, 3);
        self.files
            .iter()
            .copied()
            .map(|f| (edit_distance(&f.to_lowercase(), &lower), f))
            .filter(|(d, _)| *d <= limit)
            .min()
            .map(|(_, f)| f)
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// neighbours (`descritpion`, `from.md`) each count as one edit. The one edit distance of
/// the crate (key typos, near-miss file names).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: the one before the previous is what a swap of neighbours reads.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// Whether [`edit_distance`] of `a` and `b` is at most one, in one pass and without
/// allocating: key typos ask this of every unknown key against every known one.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (mut x, mut y) = (a.chars(), b.chars());
    loop {
        let (p, q) = (x.clone(), y.clone());
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(c), Some(d)) if c == d => continue,
            (c, d) => {
                // First difference: a substitution, an insertion either side, or a swap
                // of this character and the next.
                let substituted = x.clone().eq(y.clone());
                let inserted_in_a = c.is_some() && x.clone().eq(q.clone());
                let inserted_in_b = d.is_some() && p.clone().eq(y.clone());
                let swapped = match (c, d, x.clone().next(), y.clone().next()) {
                    (Some(c), Some(d), Some(c2), Some(d2)) => {
                        c == d2 && c2 == d && x.clone().skip(1).eq(y.clone().skip(1))
                    }
                    _ => false,
                };
                return (c.is_some() && d.is_some() && substituted)
                    || inserted_in_a
                    || inserted_in_b
                    || swapped;
            }
        }
    }
}

/// A file whose markdown links are followed: the manifest, or a markdown file.
pub struct Source<'a> {
    pub rel: &'a str,
    pub kind: Option<FileKind>,
    pub links: &'a [Link],
}

/// The manifest first, then every markdown file of the skill that parsed.
pub fn sources(skill: &Skill) -> Vec<Source<'_>> {
    let mut out = vec![Source {
        rel: skill.manifest.as_str(),
        kind: None,
        links: &skill.body.links,
    }];
    out.extend(
        skill
            .files
            .iter()
            .filter(|f| f.is_markdown() && f.text.is_some())
            .map(|f| Source {
                rel: f.rel.as_str(),
                kind: Some(f.kind),
                links: &f.links,
            }),
    );
    out
}

impl Source<'_> {
    /// Whether its links are checked: the manifest and reference documents. Templates and
    /// other assets hold links meant for the files an agent writes; read-mes and notes
    /// for the repository's developers (`README.md`, `CLAUDE.md`) are not for the agent.
    pub fn is_checked(&self) -> bool {
        match self.kind {
            None => true,
            Some(kind) => kind == FileKind::Reference && !is_repository_file(self.rel),
        }
    }
}

/// Whether a link is a markdown link or image (not a code span, not an autolink).
pub fn is_markdown_link(link: &Link) -> bool {
    matches!(
        link.kind,
        LinkKind::Inline | LinkKind::Reference | LinkKind::Image
    )
}

/// A code span or link resolved to an existing file or folder of the skill. Authors write
/// paths in reference files both relative to the file and relative to the skill folder;
/// an agent finds either, so both count.
pub fn existing_target(layout: &Layout, from: &str, link: &Link) -> Option<String> {
    let path = link.local_path()?;
    let path = if link.kind == LinkKind::CodeSpan {
        strip_line_number(&path)
    } else {
        &path
    };
    let strict = resolve(from, path);
    if let Resolved::Inside(rel) = &strict {
        if layout.exists(rel) {
            return Some(rel.clone());
        }
    }
    if link.kind == LinkKind::CodeSpan || !parent(from).is_empty() {
        if let Resolved::Inside(rel) = resolve("", path) {
            if layout.exists(&rel) {
                return Some(rel);
            }
        }
    }
    None
}

/// `scripts/run.py:42` names `scripts/run.py`.
pub fn strip_line_number(path: &str) -> &str {
    let mut p = path;
    for _ in 0..2 {
        match p.rsplit_once(':') {
            Some((head, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => p = head,
            _ => break,
        }
    }
    p
}

/// How one file reaches another.
#[derive(Debug, Clone)]
pub struct Step {
    /// The file holding the mention.
    pub from: String,
    /// The mention's byte range in `from`.
    pub range: Range<usize>,
}

/// Minimum depth of every file reachable from the manifest over markdown links and
/// code-span paths (folders standing for the files in them), with the step that first
/// reached it. The manifest has depth 0 and no step.
pub fn link_depths(skill: &Skill) -> BTreeMap<String, (usize, Option<Step>)> {
    let layout = Layout::new(skill);
    let sources = sources(skill);
    let by_rel: BTreeMap<&str, &Source> = sources.iter().map(|s| (s.rel, s)).collect();
    let mut seen: BTreeMap<String, (usize, Option<Step>)> = BTreeMap::new();
    seen.insert(skill.manifest.clone(), (0, None));
    let mut queue = VecDeque::from([(skill.manifest.as_str(), 0usize)]);
    while let Some((rel, depth)) = queue.pop_front() {
        let Some(source) = by_rel.get(rel) else {
            continue;
        };
        for link in source.links {
            let Some(target) = existing_target(&layout, rel, link) else {
                continue;
            };
            for file in layout.files_under(&target) {
                if seen.contains_key(file) {
                    continue;
                }
                let step = Step {
                    from: rel.to_string(),
                    range: link.range.clone(),
                };
                seen.insert(file.to_string(), (depth + 1, Some(step)));
                queue.push_back((file, depth + 1));
            }
        }
    }
    seen
}

/// Which files each file of the skill mentions: by markdown link, by code span, or by
/// writing the path (or a distinctive file name) anywhere in its text, code blocks
/// included. A mentioned folder stands for the files under it.
pub struct Mentions<'a> {
    skill: &'a Skill,
    layout: Layout<'a>,
    links: BTreeMap<&'a str, &'a [Link]>,
    texts: BTreeMap<&'a str, (&'a str, FileKind)>,
    names: NameIndex,
    /// What each file mentions, worked out the first time it is asked for.
    edges: RefCell<HashMap<&'a str, Rc<[&'a str]>>>,
}

impl<'a> Mentions<'a> {
    pub fn new(skill: &'a Skill) -> Mentions<'a> {
        let mut texts: BTreeMap<&str, (&str, FileKind)> = skill
            .files
            .iter()
            .filter_map(|f| Some((f.rel.as_str(), (f.text.as_deref()?, f.kind))))
            .collect();
        texts.insert(
            skill.manifest.as_str(),
            (skill.text.as_str(), FileKind::Reference),
        );
        Mentions {
            skill,
            layout: Layout::new(skill),
            links: sources(skill)
                .into_iter()
                .map(|s| (s.rel, s.links))
                .collect(),
            texts,
            names: NameIndex::new(skill),
            edges: RefCell::new(HashMap::new()),
        }
    }

    /// The files `rel` mentions, other than itself.
    pub fn of(&self, rel: &str) -> Rc<[&'a str]> {
        if let Some(known) = self.edges.borrow().get(rel) {
            return known.clone();
        }
        let Some((&key, &(text, kind))) = self.texts.get_key_value(rel) else {
            return Rc::from([]);
        };
        let mut targets: Vec<String> = Vec::new();
        for link in self.links.get(rel).copied().unwrap_or_default() {
            targets.extend(existing_target(&self.layout, rel, link));
        }
        targets.extend(self.names.mentions_in(&self.layout, rel, text, kind));
        let files: BTreeSet<&'a str> = targets
            .iter()
            .flat_map(|t| self.layout.files_under(t))
            .filter(|f| *f != rel)
            .collect();
        let files: Rc<[&'a str]> = files.into_iter().collect();
        self.edges.borrow_mut().insert(key, files.clone());
        files
    }

    /// Every file reachable from `starts` (included) by following mentions.
    pub fn reach<'s>(&self, starts: impl IntoIterator<Item = &'s str>) -> HashSet<&'a str> {
        let mut seen: HashSet<&'a str> = HashSet::new();
        let mut queue: VecDeque<&'a str> = VecDeque::new();
        for s in starts {
            if let Some(f) = self.layout.files.get(s) {
                if seen.insert(f) {
                    queue.push_back(f);
                }
            }
        }
        while let Some(rel) = queue.pop_front() {
            for &f in self.of(rel).iter() {
                if seen.insert(f) {
                    queue.push_back(f);
                }
            }
        }
        seen
    }

    /// Files the manifest mentions, directly or through files it mentions.
    pub fn from_manifest(&self) -> HashSet<&'a str> {
        self.reach([self.skill.manifest.as_str()])
    }
}

/// Lookup from the ways a file can be named in plain text to the file or folder. Keys
/// are lower case: an agent told to read `FORMS.md` finds `forms.md`.
struct NameIndex {
    /// Relative paths of files and folders, and their trailing parts of two or more
    /// components (`api/auth.md` for `references/api/auth.md`).
    paths: BTreeMap<String, Vec<String>>,
    /// Distinctive file names (`fill_form.py`) and stems (`fill-form-fields`).
    names: BTreeMap<String, Vec<String>>,
    /// Script paths without extension, as module paths name them (`core/gif_builder`
    /// for `from core.gif_builder import x`), with their trailing parts.
    modules: BTreeMap<String, Vec<String>>,
    /// Script file stems (`helpers` for `scripts/helpers.py`), which scripts import.
    stems: BTreeMap<String, Vec<String>>,
}

fn add(map: &mut BTreeMap<String, Vec<String>>, key: &str, rel: &str) {
    let list = map.entry(key.to_lowercase()).or_default();
    if !list.iter().any(|r| r == rel) {
        list.push(rel.to_string());
    }
}

/// `a/b/c`, `b/c`: the path and its trailing parts of at least two components.
fn suffixes(rel: &str) -> impl Iterator<Item = &str> {
    std::iter::once(rel).chain(
        rel.match_indices('/')
            .map(move |(i, _)| &rel[i + 1..])
            .filter(|s| s.contains('/')),
    )
}

impl NameIndex {
    fn new(skill: &Skill) -> NameIndex {
        let mut ix = NameIndex {
            paths: BTreeMap::new(),
            names: BTreeMap::new(),
            modules: BTreeMap::new(),
            stems: BTreeMap::new(),
        };
        let layout = Layout::new(skill);
        for rel in layout.files.iter().chain(layout.dirs.iter()) {
            if rel.is_empty() {
                continue;
            }
            for suffix in suffixes(rel) {
                add(&mut ix.paths, suffix, rel);
            }
        }
        for f in &skill.files {
            let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            if is_distinctive(name) {
                add(&mut ix.names, name, &f.rel);
            }
            if stem != name && is_distinctive_stem(stem) {
                add(&mut ix.names, stem, &f.rel);
            }
            if f.kind == FileKind::Script && !stem.is_empty() && stem != name {
                add(&mut ix.stems, stem, &f.rel);
                let bare = &f.rel[..f.rel.len() - (name.len() - stem.len())];
                for suffix in suffixes(bare) {
                    add(&mut ix.modules, suffix, &f.rel);
                }
            }
        }
        ix
    }

    /// Files and folders named in `text`, the text of file `from`.
    fn mentions_in(&self, layout: &Layout, from: &str, text: &str, kind: FileKind) -> Vec<String> {
        let mut out = Vec::new();
        // Large data files repeat the same words thousands of times.
        // Plain words can only be script modules or folders, or multi-word stems: outside
        // scripts they are passed over before they are collected.
        let tokens: HashSet<&str> = path_tokens(text)
            .filter(|t| kind == FileKind::Script || t.contains(['/', '\\', '.', '-', '_']))
            .collect();
        for token in tokens {
            let written = token.replace('\\', "/");
            let token = written.to_lowercase();
            let bare = token.trim_end_matches('/');
            if bare.is_empty() {
                continue;
            }
            if bare.contains('/') {
                if let Resolved::Inside(rel) = resolve(from, written.trim_end_matches('/')) {
                    if !rel.is_empty() && (layout.is_file(&rel) || layout.is_dir(&rel)) {
                        out.push(rel);
                        continue;
                    }
                }
                // `$SCRIPT_DIR/lib/util.sh`, `../other/x.md`: the longest trailing part
                // that names something here.
                if let Some(files) = suffixes(bare).find_map(|s| self.paths.get(s)) {
                    out.extend(files.iter().cloned());
                    continue;
                }
            } else if token.ends_with('/') {
                // A folder counts when named as one (`scripts/`); the bare word
                // `scripts` is too common in prose.
                if let Some(files) = self.paths.get(bare) {
                    out.extend(files.iter().cloned());
                }
                continue;
            }
            let name = bare.rsplit('/').next().unwrap_or(bare);
            if let Some(files) = self.names.get(name) {
                out.extend(files.iter().cloned());
                continue;
            }
            // `from core.gif_builder import x`, in code or in a document about it.
            if bare.contains('.') && !bare.contains('/') {
                let module = bare.trim_start_matches('.').replace('.', "/");
                if let Some(files) = self.modules.get(&module) {
                    out.extend(files.iter().cloned());
                    continue;
                }
            }
            if kind == FileKind::Script {
                // Code names modules and folders without extensions or slashes:
                // `import helpers`, `source common`, `here / "schemas"`.
                let module = name.rsplit('.').next().unwrap_or(name);
                if let Some(files) = self.stems.get(module) {
                    out.extend(files.iter().cloned());
                }
                let name = written.rsplit('/').next().unwrap_or(&written);
                let mut dir = parent(from);
                loop {
                    let candidate = if dir.is_empty() {
                        name.to_string()
                    } else {
                        format!("{dir}/{name}")
                    };
                    if layout.is_dir(&candidate) {
                        out.push(candidate);
                        break;
                    }
                    if dir.is_empty() {
                        break;
                    }
                    dir = parent(dir);
                }
            }
        }
        out
    }
}

/// A file stem that names one file when written alone: several words joined by `-` or
/// `_` (`fill-form-fields`), not a common word (`helpers`, `index`).
fn is_distinctive_stem(stem: &str) -> bool {
    stem.chars().count() >= 6 && stem.contains(['-', '_']) && !stem.starts_with(['-', '_'])
}

/// A file name specific enough that writing it names this file: it has an extension and
/// is not a one- or two-letter stem.
fn is_distinctive(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(stem, ext)| stem.chars().count() >= 3 && !ext.is_empty())
}

/// Runs of characters that can form a path, with sentence punctuation trimmed.
fn path_tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| {
        !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '\\' | '@' | '+' | '~'))
    })
    .map(|t| t.trim_end_matches(['.', ':']))
    .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_against_the_holding_file() {
        let inside = |s: &str| Resolved::Inside(s.to_string());
        assert_eq!(
            resolve("SKILL.md", "references/a.md"),
            inside("references/a.md")
        );
        assert_eq!(
            resolve("references/a.md", "b.md"),
            inside("references/b.md")
        );
        assert_eq!(
            resolve("references/a.md", "../scripts/x.py"),
            inside("scripts/x.py")
        );
        assert_eq!(resolve("references/a.md", "./../x/./y/"), inside("x/y"));
        assert_eq!(
            resolve("SKILL.md", "references\\win.md"),
            inside("references/win.md")
        );
        assert_eq!(resolve("SKILL.md", "."), inside(""));
        assert_eq!(resolve("SKILL.md", "../other/x.md"), Resolved::Outside);
        assert_eq!(resolve("a/b.md", "../../x"), Resolved::Outside);
        assert_eq!(resolve("SKILL.md", "/etc/passwd"), Resolved::Outside);
        assert_eq!(resolve("SKILL.md", "C:\\x\\y.md"), Resolved::Outside);
        assert_eq!(resolve("SKILL.md", "~/notes.md"), Resolved::Outside);
        assert_eq!(
            resolve("x/SKILL.md", "${CLAUDE_SKILL_DIR}/r/a.md"),
            inside("r/a.md")
        );
        assert_eq!(resolve("SKILL.md", "{baseDir}/../x"), Resolved::Outside);
        assert_eq!(resolve("SKILL.md", "$HOME/x.md"), Resolved::Unknown);
        assert_eq!(
            resolve("SKILL.md", "someone@example.com"),
            Resolved::Unknown
        );
    }

    #[test]
    fn percent_decoding_never_fails() {
        assert_eq!(percent_decode("a%20b%2Fc"), "a b/c");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "%FF");
        assert_eq!(percent_decode("é%"), "é%");
    }

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(relative_to("references", "references/b.md"), "b.md");
        assert_eq!(relative_to("references", "scripts/x.py"), "../scripts/x.py");
        assert_eq!(relative_to("", "scripts/x.py"), "scripts/x.py");
    }

    #[test]
    fn one_edit_agrees_with_the_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "bac",
            "abd",
            "abcd",
            "abdc",
            "description",
            "descripton",
            "descritpion",
            "Description",
            "licence",
            "license",
            "é",
            "éa",
            "aé",
            "model",
            "modle",
            "models",
            "mode",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    within_one_edit(a, b),
                    edit_distance(a, b) <= 1,
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("form.md", "forms.md"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("ab", ""), 2);
        assert_eq!(edit_distance("from.md", "form.md"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn tokens_keep_paths_whole() {
        let t: Vec<&str> =
            path_tokens("Run `python scripts/run.py`, then see references/api.md.").collect();
        assert!(t.contains(&"scripts/run.py"));
        assert!(t.contains(&"references/api.md"));
    }

    #[test]
    fn line_numbers_are_stripped() {
        assert_eq!(strip_line_number("scripts/run.py:42"), "scripts/run.py");
        assert_eq!(strip_line_number("scripts/run.py:4:2"), "scripts/run.py");
        assert_eq!(strip_line_number("scripts/run.py"), "scripts/run.py");
    }

    fn skill_with(files: &[(&str, &str)], manifest: &str) -> Skill {
        let files = files
            .iter()
            .map(|(rel, text)| crate::skill::SkillFile {
                rel: rel.to_string(),
                kind: if rel.ends_with(".md") {
                    FileKind::Reference
                } else {
                    FileKind::Script
                },
                bytes: text.len() as u64,
                text: Some(text.to_string()),
                problem: None,
                links: crate::skill::markdown::scan(text, 0).links,
            })
            .collect();
        Skill::from_parts(
            std::path::PathBuf::from("/nonexistent-skill"),
            "SKILL.md".to_string(),
            manifest.to_string(),
            files,
        )
    }

    #[test]
    fn mentions_follow_paths_names_modules_and_folders() {
        let skill = skill_with(
            &[
                ("FORMS.md", "# Forms"),
                ("run.sh", "source \"$DIR/lib/util.sh\""),
                ("lib/util.sh", "ls \"$HERE/schemas\""),
                ("lib/schemas/a.xsd", ""),
                ("core/gif_builder.py", ""),
                ("scripts/main.py", "from helpers import x"),
                ("scripts/helpers.py", ""),
                ("rules/fill-in-order.md", ""),
                ("unused.py", ""),
            ],
            "Read forms.md, run `./run.sh` and `python scripts/main.py`.\n\
             ```python\nfrom core.gif_builder import G\n```\nRule `fill-in-order`.\n",
        );
        let mentions = Mentions::new(&skill);
        let mut reached: Vec<&str> = mentions.from_manifest().into_iter().collect();
        reached.sort_unstable();
        assert_eq!(
            reached,
            [
                "FORMS.md",
                "SKILL.md",
                "core/gif_builder.py",
                "lib/schemas/a.xsd",
                "lib/util.sh",
                "rules/fill-in-order.md",
                "run.sh",
                "scripts/helpers.py",
                "scripts/main.py",
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn odd_paths_never_panic(from in "[a-zé/._]{0,12}", path in "\\PC{0,24}") {
            let _ = percent_decode(&path);
            let _ = strip_line_number(&path);
            if let Resolved::Inside(rel) = resolve(&from, &path) {
                proptest::prop_assert!(!rel.split('/').any(|p| p == ".." || p == "."));
                let _ = relative_to(parent(&from), &rel);
            }
            let _ = path_tokens(&path).count();
        }
    }
}
