//! Shared by the integration tests: lint a folder with only some rules on.

#![allow(dead_code)]

use std::path::Path;

use skillpress::config::{Overrides, Settings};
use skillpress::render::Finding;

/// Settings with only `rules` (codes or names) enabled and no config file.
pub fn only(rules: &[&str]) -> Settings {
    let overrides = Overrides {
        select: Some(rules.iter().map(|s| s.to_string()).collect()),
        ..Overrides::default()
    };
    Settings::load(Path::new("."), None, true, &overrides).expect("settings")
}

/// Findings for the skill in `dir`, as plain JSON values for snapshots.
pub fn findings_json(findings: &[Finding]) -> serde_json::Value {
    serde_json::Value::Array(
        findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "code": f.code,
                    "name": f.name,
                    "severity": f.severity,
                    "file": f.path.rsplit_once("/testdata/").map_or(f.path.as_str(), |(_, p)| p),
                    "start": [f.start.line, f.start.column],
                    "end": [f.end.line, f.end.column],
                    "message": f.message,
                    "help": f.help,
                    "fix": f.fix,
                })
            })
            .collect(),
    )
}
