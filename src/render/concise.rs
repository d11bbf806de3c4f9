//! One line per finding, `path:line:col: severity code name: message`, then a summary.

use std::io::{self, Write};

use super::Report;
use crate::diagnostic::Severity;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        writeln!(
            out,
            "{}:{}:{}: {} {} {}: {}",
            super::escape_control(&f.path),
            f.start.line,
            f.start.column,
            f.severity,
            f.code,
            f.name,
            super::escape_control(&f.message)
        )?;
    }
    writeln!(out, "{}", summary_line(report))
}

/// "3 errors, 1 warning, 0 infos in 2 skills" — shared by the text formats.
pub fn summary_line(report: &Report) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            let suffix = if word.ends_with('x') { "es" } else { "s" };
            format!("{n} {word}{suffix}")
        }
    };
    let mut line = format!(
        "{}, {}, {} in {}",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        plural(report.count(Severity::Info), "info"),
        plural(report.skills, "skill"),
    );
    if report.fixes_applied > 0 {
        line.push_str(&format!(
            "; applied {} in {}",
            plural(report.fixes_applied, "fix"),
            plural(report.fixed_files, "file")
        ));
    }
    line
}
