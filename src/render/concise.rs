//! One line per finding, `path:line:col: severity code name: message`, then a summary.

use std::io::{self, Write};

use super::{Finding, Report, Summary};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        write_finding(f, out)?;
    }
    writeln!(out, "{}", summary_line(&report.summary()))
}

pub fn write_finding(f: &Finding, out: &mut dyn Write) -> io::Result<()> {
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
    )
}

/// "3 errors, 1 warning, 0 infos in 2 skills" — shared by the text formats.
pub fn summary_line(report: &Summary) -> String {
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
        plural(report.errors, "error"),
        plural(report.warnings, "warning"),
        plural(report.infos, "info"),
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
