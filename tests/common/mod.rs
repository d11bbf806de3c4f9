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

/// The shared data beside the repository (`../shared`, or `$SKILLPRESS_SHARED`) when it
/// holds `needed` (a path inside it). When it does not, a test that needs it skips with
/// a printed note, and fails under `CI=true`, where skipping would hide a broken checkout.
pub fn shared(test: &str, needed: &str) -> Option<std::path::PathBuf> {
    let candidates: Vec<std::path::PathBuf> = std::env::var_os("SKILLPRESS_SHARED")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain([Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")])
        .collect();
    if let Some(dir) = candidates.iter().find(|d| d.join(needed).exists()) {
        return Some(dir.clone());
    }
    let looked: Vec<String> = candidates.iter().map(|d| d.display().to_string()).collect();
    let why = format!(
        "{test}: needs {needed} from the shared data, not found in {}",
        looked.join(" or ")
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{why} (CI=true: shared data must be present)");
    }
    eprintln!(
        "note: skipped {why}; check out `shared/` beside the repository or set SKILLPRESS_SHARED"
    );
    None
}
