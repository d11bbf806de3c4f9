//! SARIF 2.1.0, for code-scanning dashboards. Every rule of the registry is listed in the
//! driver, so a result's `ruleIndex` is its registry index and a viewer can show the rule
//! book even for rules that found nothing.

use std::io::{self, Write};

use serde::Serialize;

use super::{Finding, Report};
use crate::diagnostic::{Fix, Safety, Severity};
use crate::rules::{FixKind, Rule, RULES};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/skillpress/skillpress";

// Typed rather than `json!` so the fields come out in the order the specification lists
// them (`$schema` and `version` first), which is what people reading the file expect.

#[derive(Serialize)]
struct Log<'r> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'r>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'r> {
    tool: Tool,
    /// Our columns count characters, which is what this kind says.
    column_kind: &'static str,
    results: Vec<SarifResult<'r>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text<'static>,
    full_description: Text<'static>,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text<'t> {
    text: &'t str,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    fix: FixKind,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'r> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: OwnedText,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'r>>,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'r> {
    description: Text<'r>,
    artifact_changes: [ArtifactChange<'r>; 1],
    properties: FixProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'r> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'r>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'r> {
    deleted_region: ByteRegion,
    inserted_content: Text<'r>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ByteRegion {
    byte_offset: usize,
    byte_length: usize,
}

#[derive(Serialize)]
struct FixProperties {
    safety: Safety,
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: RULES.iter().map(rule).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results: report.findings.iter().map(result).collect(),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    writeln!(out)
}

pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(r: &Rule) -> ReportingDescriptor {
    ReportingDescriptor {
        id: r.meta.code,
        name: r.meta.name,
        short_description: Text {
            text: r.meta.summary,
        },
        full_description: Text {
            text: section(r.doc, "## What it flags").unwrap_or(r.meta.summary),
        },
        help: Help {
            text: r.doc,
            markdown: r.doc,
        },
        default_configuration: Configuration {
            level: level(r.meta.severity),
        },
        properties: RuleProperties { fix: r.meta.fix },
    }
}

/// The text of one `## ` section of a rule document, trimmed.
fn section<'d>(doc: &'d str, heading: &str) -> Option<&'d str> {
    let start = doc.find(heading)? + heading.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim()).filter(|s| !s.is_empty())
}

fn result(f: &Finding) -> SarifResult<'_> {
    let text = match &f.help {
        Some(help) => format!("{}\nhelp: {help}", f.message),
        None => f.message.clone(),
    };
    let artifact = ArtifactLocation { uri: uri(&f.path) };
    SarifResult {
        rule_id: f.code,
        rule_index: RULES.iter().position(|r| r.meta.code == f.code),
        level: level(f.severity),
        message: OwnedText { text },
        fixes: f
            .fix
            .iter()
            .map(|fix| sarif_fix(fix, artifact.clone()))
            .collect(),
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact,
                region: Region {
                    start_line: f.start.line,
                    start_column: f.start.column,
                    end_line: f.end.line,
                    end_column: f.end.column,
                },
            },
        }],
    }
}

fn sarif_fix(fix: &Fix, artifact: ArtifactLocation) -> SarifFix<'_> {
    SarifFix {
        description: Text { text: &fix.message },
        artifact_changes: [ArtifactChange {
            artifact_location: artifact,
            replacements: fix
                .edits
                .iter()
                .map(|e| Replacement {
                    deleted_region: ByteRegion {
                        byte_offset: e.range.start,
                        byte_length: e.range.end - e.range.start,
                    },
                    inserted_content: Text {
                        text: &e.replacement,
                    },
                })
                .collect(),
        }],
        properties: FixProperties { safety: fix.safety },
    }
}

/// A path as a URI reference: relative paths stay relative (a viewer resolves them against
/// the checkout), absolute ones become `file://` URIs. Separators become `/`, and every
/// byte outside the unreserved set and `/` is percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    let is_drive = path.len() >= 3
        && path.as_bytes()[0].is_ascii_alphabetic()
        && path.as_bytes()[1..3] == *b":/";
    if path.starts_with('/') {
        out.push_str("file://");
    } else if is_drive {
        out.push_str("file:///");
    }
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (is_drive && i == 1);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded_references() {
        assert_eq!(uri("my skills/a b/SKILL.md"), "my%20skills/a%20b/SKILL.md");
        assert_eq!(
            uri(".claude/skills/x/SKILL.md"),
            ".claude/skills/x/SKILL.md"
        );
        assert_eq!(uri("a:b/50%/#1.md"), "a%3Ab/50%25/%231.md");
        assert_eq!(uri("/tmp/x y/SKILL.md"), "file:///tmp/x%20y/SKILL.md");
        assert_eq!(uri(r"C:\s\SKILL.md"), "file:///C:/s/SKILL.md");
        assert_eq!(uri("café/SKILL.md"), "caf%C3%A9/SKILL.md");
    }

    #[test]
    fn results_carry_level_help_and_byte_fixes() {
        use crate::diagnostic::{Diagnostic, Edit};
        use crate::render::LineIndex;
        use std::path::Path;

        let text = "---\nname: a b\n---\n";
        let mut d = Diagnostic::new(
            &crate::rules::frontmatter_missing::META,
            "SKILL.md",
            10..13,
            "bad name",
        )
        .help("quote it")
        .fix(Fix::safe(
            "quote the name",
            vec![Edit {
                range: 10..13,
                replacement: "\"a b\"".into(),
            }],
        ));
        d.severity = Severity::Info;
        let finding = Finding::locate(d, Path::new("my skill"), &LineIndex::new(text), false);
        let report = Report {
            findings: vec![finding],
            skills: 1,
            ..Report::default()
        };
        let mut out = Vec::new();
        write(&report, &mut out).unwrap();
        let log: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["level"], "note");
        assert_eq!(result["message"]["text"], "bad name\nhelp: quote it");
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            (
                &region["startLine"],
                &region["startColumn"],
                &region["endColumn"]
            ),
            (&2.into(), &7.into(), &10.into())
        );
        let change = &result["fixes"][0]["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "my%20skill/SKILL.md");
        let replacement = &change["replacements"][0];
        assert_eq!(replacement["deletedRegion"]["byteOffset"], 10);
        assert_eq!(replacement["deletedRegion"]["byteLength"], 3);
        assert_eq!(replacement["insertedContent"]["text"], "\"a b\"");
    }

    #[test]
    fn sections_are_cut_at_the_next_heading() {
        let doc = "# X\n\n## What it flags\n\nA thing.\n\n## Why it matters\n\nB.\n";
        assert_eq!(section(doc, "## What it flags"), Some("A thing."));
        assert_eq!(section(doc, "## Nope"), None);
    }
}
