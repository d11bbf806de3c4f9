//! One skill as the editor sees it: the files on disk with the open (unsaved) documents
//! laid over them, linted by the same engine and settings as `skillpress lint`, and the
//! results turned into LSP diagnostics, quick fixes, hovers and a token code lens.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use lsp_types::{
    CodeAction, CodeActionKind, CodeDescription, Command, DiagnosticRelatedInformation,
    DiagnosticSeverity, Location, NumberOrString, TextEdit, Uri, WorkspaceEdit,
};

use super::position::{path_to_uri, LineMap};
use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Safety, Severity};
use crate::rules::description_duplicate::{self, Listing};
use crate::skill::{files, markdown, Skill};
use crate::tokens::prices::Model;
use crate::tokens::{report, thousands, tiers, Tokenizer};

/// Skills beside this one that the duplicate-description rule compares it with; a folder
/// holding more is a registry, not a project, and is not scanned on every keystroke.
pub const MAX_SIBLINGS: usize = 1000;

/// One finding in one file, as the engine made it and as the editor is shown it.
#[derive(Debug, Clone)]
pub struct Found {
    pub diag: Diagnostic,
    pub lsp: lsp_types::Diagnostic,
}

/// The text a file was linted as, and what was found in it.
#[derive(Debug, Clone, Default)]
pub struct FileFindings {
    pub text: String,
    pub found: Vec<Found>,
}

/// What the server knows about one skill after its last lint.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub dir: PathBuf,
    pub manifest: PathBuf,
    /// Every file with findings, plus the manifest (absolute paths).
    pub files: BTreeMap<PathBuf, FileFindings>,
    /// The code lens title over the frontmatter: tokens per tier and cost.
    pub lens: Option<String>,
    /// The description entry's bytes in the manifest and its hover text.
    pub description: Option<(Range<usize>, String)>,
}

/// Another skill a finding points at: its manifest, the byte range there, and the text
/// of the manifest up to the end of that range (enough to place it).
/// Other skills' descriptions a finding points at: (manifest, span, manifest text).
pub type Related = Vec<(PathBuf, Range<usize>, String)>;

/// Where the rule documents can be linked to: `rules_base` + `NAME.md`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub rules_base: Option<String>,
    pub model: Option<&'static Model>,
}

/// The skill folder that holds `path`: the nearest ancestor holding a manifest.
pub fn skill_dir_of(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy();
    if name == "SKILL.md" || name == "skill.md" {
        return path.parent().map(Path::to_path_buf);
    }
    path.ancestors()
        .skip(1)
        .find(|d| crate::skill::manifest_name(d).is_some())
        .map(Path::to_path_buf)
}

/// The listings of the skills beside `dir` (the other subfolders of its parent holding a
/// manifest), read from disk.
pub fn sibling_listings(dir: &Path) -> Vec<Listing> {
    let Some(parent) = dir.parent() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p != dir && p.is_dir() && crate::skill::manifest_name(p).is_some())
        .take(MAX_SIBLINGS + 1)
        .collect();
    if dirs.len() > MAX_SIBLINGS {
        return Vec::new();
    }
    dirs.sort();
    dirs.iter()
        .filter_map(|d| Skill::load(d).ok())
        .filter_map(|s| Listing::of(&s))
        .collect()
}

/// Builds the skill in `dir` with the open documents in `open` over its files on disk.
/// `Err` carries the diagnostic of a manifest that cannot be read.
pub fn load_skill(dir: &Path, open: &HashMap<PathBuf, String>) -> Result<Skill, (String, String)> {
    let manifest = crate::skill::manifest_name(dir)
        .unwrap_or("SKILL.md")
        .to_string();
    let text = match open.get(&dir.join(&manifest)) {
        Some(t) => t.clone(),
        None => files::read_text(&dir.join(&manifest))
            .map_err(|p| (manifest.clone(), format!("{manifest} {}", p.describe())))?,
    };
    let mut list = files::list(dir, &manifest);
    for f in &mut list {
        if let Some(t) = open.get(&dir.join(&f.rel)) {
            f.links = if f.is_markdown() {
                markdown::scan(t, 0).links
            } else {
                Vec::new()
            };
            f.bytes = t.len() as u64;
            f.text = Some(t.clone());
            f.problem = None;
        }
    }
    Ok(Skill::from_parts(dir.to_path_buf(), manifest, text, list))
}

/// Lints the skill in `dir` as the editor holds it.
pub fn analyse(
    dir: &Path,
    open: &HashMap<PathBuf, String>,
    settings: &Settings,
    siblings: &[Listing],
    options: &Options,
) -> Analysis {
    let skill = match load_skill(dir, open) {
        Ok(s) => s,
        Err((manifest, problem)) => return unreadable(dir, &manifest, problem, settings),
    };
    let mut diags: Vec<(Diagnostic, Option<Related>)> = crate::lint::check_skill(&skill, settings)
        .into_iter()
        .map(|d| (d, None))
        .collect();
    diags.extend(duplicates(&skill, settings, siblings));

    let manifest_path = dir.join(&skill.manifest);
    let mut out = Analysis {
        dir: dir.to_path_buf(),
        manifest: manifest_path.clone(),
        ..Analysis::default()
    };
    out.files.insert(
        manifest_path.clone(),
        FileFindings {
            text: skill.text.clone(),
            found: Vec::new(),
        },
    );
    for (d, related) in diags {
        let path = dir.join(&d.file);
        let text = if d.file == skill.manifest {
            skill.text.clone()
        } else {
            skill
                .file(&d.file)
                .and_then(|f| f.text.clone())
                .unwrap_or_default()
        };
        let entry = out.files.entry(path).or_insert_with(|| FileFindings {
            text,
            found: Vec::new(),
        });
        let lsp = to_lsp(&d, &entry.text, related, options);
        entry.found.push(Found { diag: d, lsp });
    }
    if let Ok(tok) = Tokenizer::get(&settings.tokenizer) {
        out.lens = Some(lens(&skill, &tok, options.model));
        out.description = description_hover(&skill, &tok, options.model);
    }
    out
}

fn unreadable(dir: &Path, manifest: &str, problem: String, settings: &Settings) -> Analysis {
    let path = dir.join(manifest);
    let mut out = Analysis {
        dir: dir.to_path_buf(),
        manifest: path.clone(),
        ..Analysis::default()
    };
    let mut found = Vec::new();
    if let Some(severity) = settings.severity(&crate::rules::manifest_unreadable::META) {
        let mut d = Diagnostic::new(
            &crate::rules::manifest_unreadable::META,
            manifest,
            0..0,
            problem,
        )
        .help("save the file as UTF-8 text (no NUL bytes) under the size limit");
        d.severity = severity;
        let lsp = to_lsp(&d, "", None, &Options::default());
        found.push(Found { diag: d, lsp });
    }
    out.files.insert(
        path,
        FileFindings {
            text: String::new(),
            found,
        },
    );
    out
}

/// U005 for this skill against the skills beside it, each finding with the other skill's
/// description as its related location.
fn duplicates(
    skill: &Skill,
    settings: &Settings,
    siblings: &[Listing],
) -> Vec<(Diagnostic, Option<Related>)> {
    let Some(mine) = Listing::of(skill) else {
        return Vec::new();
    };
    let mut all: Vec<Listing> = siblings
        .iter()
        .filter(|l| l.dir != skill.dir)
        .cloned()
        .collect();
    let me = all.len();
    all.push(mine);
    let mut out = Vec::new();
    for (k, d, closest) in description_duplicate::check_all_closest(&all, settings) {
        if k != me {
            continue;
        }
        // The other skills' manifests are read only to place their descriptions.
        let related: Related = closest
            .iter()
            .filter_map(|&i| {
                let other = &all[i];
                let path = other.dir.join(&other.manifest);
                let text = std::fs::read_to_string(&path).ok()?;
                Some((path, other.span.clone(), text))
            })
            .collect();
        out.push((d, Some(related)));
    }
    out
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

fn to_lsp(
    d: &Diagnostic,
    text: &str,
    related: Option<Related>,
    options: &Options,
) -> lsp_types::Diagnostic {
    let map = LineMap::new(text);
    let href = options
        .rules_base
        .as_ref()
        .and_then(|base| format!("{base}{}.md", d.name).parse::<Uri>().ok());
    let related_information = related.map(|others| {
        others
            .iter()
            .filter_map(|(path, range, text)| {
                Some(DiagnosticRelatedInformation {
                    location: Location::new(path_to_uri(path)?, LineMap::new(text).range(range)),
                    message: "the other skill's description".to_string(),
                })
            })
            .collect()
    });
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    lsp_types::Diagnostic {
        range: map.range(&d.range),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some("skillpress".to_string()),
        message,
        related_information,
        tags: None,
        data: None,
    }
}

/// The quick fixes of the findings in `file` that touch `range`: safe ones preferred,
/// unsafe ones titled as such and never preferred.
pub fn code_actions(file: &FileFindings, uri: &Uri, range: &lsp_types::Range) -> Vec<CodeAction> {
    let map = LineMap::new(&file.text);
    file.found
        .iter()
        .filter(|f| super::position::touches(&f.lsp.range, range))
        .filter_map(|f| {
            let fix = f.diag.fix.as_ref()?;
            let edits: Vec<TextEdit> = fix
                .edits
                .iter()
                .map(|e| TextEdit::new(map.range(&e.range), e.replacement.clone()))
                .collect();
            let safe = fix.safety == Safety::Safe;
            let title = if safe {
                format!("{} ({})", fix.message, f.diag.code)
            } else {
                format!(
                    "Unsafe: {} ({}); review the result",
                    fix.message, f.diag.code
                )
            };
            Some(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![f.lsp.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(std::collections::HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                command: None,
                is_preferred: Some(safe),
                disabled: None,
                data: None,
            })
        })
        .collect()
}

/// Hover text at byte `offset` of `path`: the documents of the rules whose findings cover
/// it, or the description's costs.
pub fn hover(analysis: &Analysis, path: &Path, offset: usize) -> Option<String> {
    let file = analysis.files.get(path)?;
    let mut parts: Vec<String> = Vec::new();
    for f in &file.found {
        let r = &f.diag.range;
        if r.start <= offset && offset <= r.end {
            if let Some(rule) = crate::rules::find(f.diag.code) {
                if !parts.iter().any(|p| p.as_str() == rule.doc) {
                    parts.push(rule.doc.to_string());
                }
            }
        }
    }
    if path == analysis.manifest {
        if let Some((span, text)) = &analysis.description {
            if span.start <= offset && offset <= span.end {
                parts.insert(0, text.clone());
            }
        }
    }
    (!parts.is_empty()).then(|| parts.join("\n\n---\n\n"))
}

fn money(usd: f64, estimate: bool) -> String {
    let v = if usd >= 1.0 {
        format!("${usd:.2}")
    } else {
        format!("${usd:.4}")
    };
    if estimate {
        format!("≈{v}")
    } else {
        v
    }
}

fn lens(skill: &Skill, tok: &Tokenizer, model: Option<&'static Model>) -> String {
    let models: Vec<&Model> = model.into_iter().collect();
    let t = report::measure(skill, String::new(), tok, &models);
    let mut title = format!(
        "listing {} · body {} · references {} tokens ({})",
        count(t.listing),
        count(t.body),
        count(t.references),
        tok.name()
    );
    if let Some(c) = t.costs.first() {
        title.push_str(&format!(
            " · {} per 1,000 activations ({})",
            money(c.per_1000_activations.usd, c.estimate),
            c.model
        ));
    }
    title
}

fn count(c: crate::tokens::Count) -> String {
    if c.is_exact() {
        thousands(c.tokens)
    } else {
        format!("≈{}", thousands(c.tokens))
    }
}

fn description_hover(
    skill: &Skill,
    tok: &Tokenizer,
    model: Option<&'static Model>,
) -> Option<(Range<usize>, String)> {
    let fm = skill.frontmatter()?;
    let entry = fm.entry("description")?;
    let description = skill.description()?;
    let listing = tiers::listing_text(skill);
    let models: Vec<&Model> = model.into_iter().collect();
    let t = report::measure(skill, String::new(), tok, &models);
    let mut text = format!(
        "**description**: {}\n\n**listing** (`name: description`, on every request): {}, {} characters",
        tok.phrase(tok.count(&description)),
        tok.phrase(t.listing),
        thousands(listing.chars().count() as u64),
    );
    if let Some(c) = t.costs.first() {
        text.push_str(&format!(
            "\n\n**listing cost**: {} per 1,000 requests ({})",
            money(c.listing_per_1000_requests.usd, c.estimate),
            c.model
        ));
    }
    let trigger = crate::rules::description_no_trigger::has_trigger(&description);
    text.push_str(if trigger {
        "\n\n**trigger clause**: yes, it says when to use the skill"
    } else {
        "\n\n**trigger clause**: none; add one such as \"Use when the user asks to ...\""
    });
    Some((entry.line_span.clone(), text))
}

/// The code lens over the manifest's first line.
pub fn code_lens(analysis: &Analysis) -> Option<lsp_types::CodeLens> {
    let title = analysis.lens.clone()?;
    Some(lsp_types::CodeLens {
        range: lsp_types::Range::default(),
        command: Some(Command {
            title,
            command: "skillpress.tokens".to_string(),
            arguments: None,
        }),
        data: None,
    })
}
