//! Command-line interface: arguments, and each command as a function from arguments to
//! an exit status. Output goes to the writer it is given so a closed pipe is not an error.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{ConfigError, Overrides, Settings, Target};
use crate::diagnostic::Severity;
use crate::render::{self, Format, LineIndex};
use crate::rules::{self, RULES};

#[derive(Debug, Parser)]
#[command(
    name = "skillpress",
    version,
    about = "Lint agent skills, measure their token cost, and reduce them"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find skills under PATHs and check them against the rule book.
    Lint(LintArgs),
    /// Count tokens per skill and loading tier, with what they cost per model.
    Tokens(TokensArgs),
    /// List every rule: code, name, default severity, fix, summary.
    Rules,
    /// Print the document of one rule (by code or name).
    Explain {
        /// A rule code (F001) or name (frontmatter-missing).
        rule: String,
    },
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this config file instead of the nearest skillpress.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore config files.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Which loader's frontmatter rules apply.
    #[arg(long, value_enum)]
    pub target: Option<Target>,
    /// Run only these rules (codes, code prefixes or names, comma-separated; ALL for all).
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Skip these rules (codes, code prefixes or names, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Skill folders, SKILL.md files, files inside skills, or folders to search.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "full")]
    pub format: Format,
    /// Apply safe fixes to the files.
    #[arg(long)]
    pub fix: bool,
    /// Show the safe fixes as a unified diff; write nothing.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Exit 1 when a finding at or above this severity remains [default: warning].
    #[arg(long, value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct TokensArgs {
    /// Skill folders, SKILL.md files, files inside skills, or folders to search.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// o200k (default, exact), cl100k (exact), claude (estimate, Claude 4.7+),
    /// claude-4.6 (estimate, up to Claude 4.6), or hf:PATH to a tokenizer.json.
    #[arg(long)]
    pub tokenizer: Option<String>,
    /// Models to price (ids from data/prices.toml, comma-separated, or `all`).
    #[arg(long, value_delimiter = ',')]
    pub model: Vec<String>,
    #[arg(long, value_enum, default_value = "total")]
    pub sort: crate::tokens::report::SortKey,
    /// Show only the first N skills after sorting (totals still cover all).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: crate::render::tokens::TokensFormat,
    #[command(flatten)]
    pub config: ConfigArgs,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| "expected error, warning or info".to_string())
}

/// Exit statuses.
pub const CLEAN: u8 = 0;
pub const FINDINGS: u8 = 1;
pub const TOOL_ERROR: u8 = 2;

/// Runs a parsed command line, writing results to `out` and problems to `err`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    match cli.command {
        Command::Lint(args) => lint(args, out, err),
        Command::Tokens(args) => tokens(args, out, err),
        Command::Rules => {
            write_rule_table(out)?;
            Ok(CLEAN)
        }
        Command::Explain { rule } => match rules::find(&rule) {
            Some(r) => {
                out.write_all(r.doc.as_bytes())?;
                Ok(CLEAN)
            }
            None => {
                writeln!(
                    err,
                    "error: no rule is called `{rule}`; `skillpress rules` lists them"
                )?;
                Ok(TOOL_ERROR)
            }
        },
    }
}

/// Loads settings for `paths`, reporting a bad config on `err`.
pub fn settings(
    paths: &[PathBuf],
    args: &ConfigArgs,
    fail_on: Option<Severity>,
    err: &mut dyn Write,
) -> std::io::Result<Option<Settings>> {
    settings_with(paths, args, fail_on, None, err)
}

fn settings_with(
    paths: &[PathBuf],
    args: &ConfigArgs,
    fail_on: Option<Severity>,
    tokenizer: Option<String>,
    err: &mut dyn Write,
) -> std::io::Result<Option<Settings>> {
    let overrides = Overrides {
        target: args.target,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        fail_on,
        tokenizer,
    };
    let start = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    match Settings::load(&start, args.config.as_deref(), args.no_config, &overrides) {
        Ok(s) => Ok(Some(s)),
        Err(e) => {
            write_config_error(&e, err)?;
            Ok(None)
        }
    }
}

fn write_config_error(e: &ConfigError, err: &mut dyn Write) -> std::io::Result<()> {
    match &e.span {
        Some(span) => {
            let pos = LineIndex::new(&e.source).position(span.start);
            writeln!(
                err,
                "error: {}:{}:{}: {}",
                e.path.display(),
                pos.line,
                pos.column,
                e.message
            )
        }
        None => writeln!(err, "error: {}: {}", e.path.display(), e.message),
    }
}

fn lint(args: LintArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let Some(settings) = settings(&args.paths, &args.config, args.fail_on, err)? else {
        return Ok(TOOL_ERROR);
    };
    // Token rules count with the configured tokenizer: a bad one is a tool error, found
    // before any skill is read. Loading is lazy, so runs without token rules never pay.
    let token_rules_on = RULES
        .iter()
        .zip(&settings.rules)
        .any(|(r, on)| on.is_some() && r.meta.code.starts_with('T'));
    if token_rules_on {
        if let Err(e) = crate::tokens::Tokenizer::get(&settings.tokenizer) {
            writeln!(err, "error: tokenizer: {e}")?;
            return Ok(TOOL_ERROR);
        }
    }
    let snippets = args.format == Format::Full;
    let (report, problems) = match crate::lint::lint_paths(&args.paths, &settings, snippets) {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(TOOL_ERROR);
        }
    };
    for (path, why) in &problems {
        writeln!(err, "warning: {}: {why}", path.display())?;
    }
    render::write(args.format, &report, out)?;
    let failing = report
        .findings
        .iter()
        .any(|f| f.severity >= settings.fail_on);
    Ok(if failing { FINDINGS } else { CLEAN })
}

fn tokens(args: TokensArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let Some(settings) = settings_with(&args.paths, &args.config, None, args.tokenizer, err)?
    else {
        return Ok(TOOL_ERROR);
    };
    let tok = match crate::tokens::Tokenizer::get(&settings.tokenizer) {
        Ok(t) => t,
        Err(e) => {
            writeln!(err, "error: tokenizer: {e}")?;
            return Ok(TOOL_ERROR);
        }
    };
    let models = match crate::tokens::prices::select(&args.model) {
        Ok(m) => m,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(TOOL_ERROR);
        }
    };
    let mut report =
        match crate::tokens::report::build(&args.paths, &settings.exclude, &tok, models) {
            Ok(r) => r,
            Err(e) => {
                writeln!(err, "error: {e}")?;
                return Ok(TOOL_ERROR);
            }
        };
    for (path, why) in &report.skipped {
        writeln!(err, "warning: {}: {why}", path.display())?;
    }
    report.sort(args.sort);
    if let Some(n) = args.top {
        report.skills.truncate(n);
    }
    crate::render::tokens::write(args.format, &report, out)?;
    Ok(CLEAN)
}

/// The rule table, as `skillpress rules` prints it and the README embeds it.
pub fn write_rule_table(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "| code | name | severity | fix | what it flags |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for r in RULES {
        let fix = match r.meta.fix {
            rules::FixKind::None => "",
            rules::FixKind::Safe => "safe",
            rules::FixKind::Unsafe => "unsafe",
        };
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            r.meta.code, r.meta.name, r.meta.severity, fix, r.meta.summary
        )?;
    }
    Ok(())
}
