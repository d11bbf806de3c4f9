//! Command-line interface: arguments, and each command as a function from arguments to
//! an exit status. Output goes to the writer it is given so a closed pipe is not an error.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{ConfigError, Overrides, Settings, Target};
use crate::diagnostic::Severity;
use crate::lint::LintError;
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
    /// Show how each block of a skill's body and references is classified, and why.
    Classify(ClassifyArgs),
    /// Rewrite skills into a small core plus on-demand reference files, verified.
    Reduce(ReduceArgs),
    /// Count tokens per skill and loading tier, with what they cost per model.
    Tokens(TokensArgs),
    /// Report on a whole registry: description problems, token distributions, label
    /// shares, rule hits, heaviest skills, reduce savings and routing collisions.
    Audit(AuditArgs),
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
    /// Color the full format: auto (when stdout is a terminal and NO_COLOR is unset),
    /// always or never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to color output written to stdout.
    pub fn for_stdout(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// A skill folder, a SKILL.md, a file inside a skill, or a folder to search.
    pub path: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ClassifyFormat,
    /// Classify only the SKILL.md body, not the reference files.
    #[arg(long)]
    pub body_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClassifyFormat {
    /// The body at a glance, each block marked with its label.
    Text,
    /// Every block with file, lines, kind, label, reason and tokens.
    Json,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("mode").args(["out", "in_place", "diff", "check"]))]
pub struct ReduceArgs {
    /// Skill folders, SKILL.md files, files inside skills, or folders to search.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Write a full reduced copy of each skill under DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Rewrite the skills in place (atomically, only after every check passes).
    #[arg(long)]
    pub in_place: bool,
    /// Print a unified diff; write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Exit 1 when a skill could shed more than --threshold of its always-loaded tokens.
    #[arg(long)]
    pub check: bool,
    /// Share of always-loaded tokens (listing + body) that makes --check fail.
    #[arg(long, default_value_t = 0.2)]
    pub threshold: f64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
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

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Registry folders, skill folders or files inside skills.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Also write the report as JSON (schema: docs/audit-schema.md).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Also write a self-contained HTML page with charts.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// o200k (default), cl100k (the study's encoding), claude, claude-4.6, or hf:PATH.
    #[arg(long)]
    pub tokenizer: Option<String>,
    /// Length of the top lists (heaviest skills, savings, collision pairs).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
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
        Command::Classify(args) => classify(args, out, err),
        Command::Reduce(args) => reduce(args, out, err),
        Command::Tokens(args) => tokens(args, out, err),
        Command::Audit(args) => audit(args, out, err),
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

fn overrides(args: &ConfigArgs, fail_on: Option<Severity>) -> Overrides {
    Overrides {
        target: args.target,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        fail_on,
        tokenizer: None,
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
    let mut overrides = overrides(args, fail_on);
    overrides.tokenizer = tokenizer;
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
    let mut fixes = (0, 0);
    if args.fix || args.diff {
        match apply_fixes(&args, &settings, out, err)? {
            Some(counts) => fixes = counts,
            None => return Ok(TOOL_ERROR),
        }
    }
    let snippets = args.format == Format::Full;
    let result = if args.config.config.is_some() || args.config.no_config {
        crate::lint::lint_paths(&args.paths, &settings, snippets).map_err(LintError::Discover)
    } else {
        // Without a config named on the command line, each skill takes its nearest one.
        let overrides = overrides(&args.config, args.fail_on);
        crate::lint::lint_paths_nearest(&args.paths, &settings, &overrides, snippets)
    };
    let (mut report, problems) = match result {
        Ok(r) => r,
        Err(LintError::Discover(e)) => {
            writeln!(err, "error: {e}")?;
            return Ok(TOOL_ERROR);
        }
        Err(LintError::Config(e)) => {
            write_config_error(&e, err)?;
            return Ok(TOOL_ERROR);
        }
    };
    for (path, why) in &problems {
        writeln!(err, "warning: {}: {why}", path.display())?;
    }
    if args.fix {
        (report.fixed_files, report.fixes_applied) = fixes;
    }
    render::write(args.format, &report, args.color.for_stdout(), out)?;
    let failing = report
        .findings
        .iter()
        .any(|f| f.severity >= settings.fail_on);
    Ok(if failing { FINDINGS } else { CLEAN })
}

fn classify(args: ClassifyArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    use crate::render::classify::FileReport;
    use crate::skill::{markdown, FileKind, Skill};

    let found = match crate::discover::discover(
        std::slice::from_ref(&args.path),
        &globset::GlobSet::empty(),
    ) {
        Ok(f) => f,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(TOOL_ERROR);
        }
    };
    if found.skills.is_empty() {
        writeln!(
            err,
            "error: no skill (a folder with SKILL.md) at or under {}",
            args.path.display()
        )?;
        return Ok(TOOL_ERROR);
    }
    let mut files = Vec::new();
    for dir in &found.skills {
        let skill = match Skill::load(dir) {
            Ok(s) => s,
            Err(u) => {
                writeln!(
                    err,
                    "warning: {}: {} {}",
                    dir.display(),
                    u.manifest,
                    u.problem.describe()
                )?;
                continue;
            }
        };
        let body = crate::classify::classify(&skill);
        files.push(FileReport::new(
            dir,
            &skill.manifest,
            &skill.text,
            &skill.body,
            &body,
        ));
        if args.body_only {
            continue;
        }
        for f in &skill.files {
            let (FileKind::Reference, Some(text)) = (f.kind, f.text.as_deref()) else {
                continue;
            };
            if !f.is_markdown() {
                continue;
            }
            let md = markdown::scan(text, 0);
            let classified = crate::classify::classify_markdown(text, &md, None);
            files.push(FileReport::new(dir, &f.rel, text, &md, &classified));
        }
    }
    match args.format {
        ClassifyFormat::Text => crate::render::classify::write_text(&files, out)?,
        ClassifyFormat::Json => crate::render::classify::write_json(&files, out)?,
    }
    Ok(CLEAN)
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

fn audit(args: AuditArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
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
    let models = match crate::tokens::prices::select(&["all".to_string()]) {
        Ok(m) => m,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(TOOL_ERROR);
        }
    };
    let options = crate::audit::Options {
        top: args.top,
        ..Default::default()
    };
    // Without a config named on the command line, each skill takes its nearest one.
    let nearest = !(args.config.config.is_some() || args.config.no_config);
    let mut overrides = overrides(&args.config, None);
    overrides.tokenizer = Some(settings.tokenizer.clone());
    let bar = crate::audit::progress::Bar::for_stderr();
    let result = crate::audit::run(
        &args.paths,
        &settings,
        nearest.then_some(&overrides),
        &tok,
        &models,
        &options,
        &bar,
    );
    bar.finish();
    let (report, problems) = match result {
        Ok(r) => r,
        Err(crate::audit::AuditError::Discover(e)) => {
            writeln!(err, "error: {e}")?;
            return Ok(TOOL_ERROR);
        }
        Err(crate::audit::AuditError::Config(e)) => {
            write_config_error(&e, err)?;
            return Ok(TOOL_ERROR);
        }
    };
    for (path, why) in &problems {
        writeln!(err, "warning: {}: {why}", path.display())?;
    }
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report).map_err(std::io::Error::other)?;
        if let Err(e) = std::fs::write(path, text + "\n") {
            writeln!(
                err,
                "error: {}: cannot write the JSON report: {e}",
                path.display()
            )?;
            return Ok(TOOL_ERROR);
        }
    }
    if let Some(path) = &args.html {
        let shown: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        let title = format!("Skill audit: {}", shown.join(", "));
        let page = crate::audit::html::render(&report, &title);
        if let Err(e) = std::fs::write(path, page) {
            writeln!(
                err,
                "error: {}: cannot write the HTML report: {e}",
                path.display()
            )?;
            return Ok(TOOL_ERROR);
        }
    }
    crate::audit::text::write(&report, out)?;
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

/// Runs the fix engine over the skills under the lint paths: writes with `--fix`, prints
/// a diff with `--diff`. Returns (files changed, fixes applied), or `None` on a tool error.
fn apply_fixes(
    args: &LintArgs,
    settings: &Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<Option<(usize, usize)>> {
    let found = match crate::discover::discover(&args.paths, &settings.exclude) {
        Ok(f) => f,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(None);
        }
    };
    let mut files = 0;
    let mut applied = 0;
    for result in crate::fix::fix_dirs(&found.skills, settings, args.fix) {
        match result {
            Ok(f) => {
                if args.diff {
                    let path = f.path.to_string_lossy().replace('\\', "/");
                    out.write_all(
                        crate::fix::unified_diff(&path, &f.outcome.original, &f.outcome.fixed)
                            .as_bytes(),
                    )?;
                }
                if !f.outcome.converged {
                    writeln!(
                        err,
                        "warning: {}: fixes did not settle after repeated rounds; review the file",
                        f.path.display()
                    )?;
                }
                files += 1;
                applied += f.outcome.applied;
            }
            Err(e) => {
                writeln!(err, "error: could not write fix: {e}")?;
                return Ok(None);
            }
        }
    }
    Ok(Some((files, applied)))
}

/// Where `--out` puts a skill: its path below the search root it was found under, or
/// its folder name when it was named directly.
fn out_dir(base: &std::path::Path, skill_dir: &std::path::Path, roots: &[PathBuf]) -> PathBuf {
    for root in roots {
        if let Ok(rel) = skill_dir.strip_prefix(root) {
            if !rel.as_os_str().is_empty() {
                return base.join(rel);
            }
        }
    }
    let name = std::fs::canonicalize(skill_dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_os_string()))
        .unwrap_or_else(|| "skill".into());
    base.join(name)
}

fn reduce(args: ReduceArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    use rayon::prelude::*;
    let Some(settings) = settings(&args.paths, &args.config, None, err)? else {
        return Ok(TOOL_ERROR);
    };
    let found = match crate::discover::discover(&args.paths, &settings.exclude) {
        Ok(f) => f,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(TOOL_ERROR);
        }
    };
    let results: Vec<(crate::reduce::Report, Option<String>, Option<String>)> = found
        .skills
        .par_iter()
        .map(|dir| {
            let skill = match crate::skill::Skill::load(dir) {
                Ok(s) => s,
                Err(u) => {
                    let report = crate::reduce::Report::declined(
                        dir,
                        format!("{} {}", u.manifest, u.problem.describe()),
                    );
                    return (report, None, None);
                }
            };
            let (plan, report) = crate::reduce::reduce(&skill, &settings);
            if plan.is_empty() {
                return (report, None, None);
            }
            let shown = dir.to_string_lossy().into_owned();
            let diff = args
                .diff
                .then(|| crate::reduce::write::diff(&skill, &plan, &shown));
            let written = if let Some(base) = &args.out {
                crate::reduce::write::to_dir(&skill, &plan, &out_dir(base, dir, &args.paths)).err()
            } else if args.in_place {
                crate::reduce::write::in_place(&skill, &plan).err()
            } else {
                None
            };
            (
                report,
                diff,
                written.map(|e| format!("{}: {e}", dir.display())),
            )
        })
        .collect();
    // Skills left unchanged are still copied by --out, so the copy is complete.
    if let Some(base) = &args.out {
        for ((report, _, _), dir) in results.iter().zip(&found.skills) {
            if report.outcome != crate::reduce::Outcome::Reduced {
                if let Ok(skill) = crate::skill::Skill::load(dir) {
                    if let Err(e) = crate::reduce::write::to_dir(
                        &skill,
                        &Default::default(),
                        &out_dir(base, dir, &args.paths),
                    ) {
                        writeln!(err, "error: {}: {e}", dir.display())?;
                        return Ok(TOOL_ERROR);
                    }
                }
            }
        }
    }
    let mut failed_write = false;
    for (_, diff, write_err) in &results {
        if let Some(d) = diff {
            out.write_all(d.as_bytes())?;
        }
        if let Some(e) = write_err {
            writeln!(err, "error: could not write: {e}")?;
            failed_write = true;
        }
    }
    let reports: Vec<crate::reduce::Report> = results.into_iter().map(|(r, _, _)| r).collect();
    if !args.diff {
        match args.format {
            ReportFormat::Text => render::reduce::write_text(&reports, out)?,
            ReportFormat::Json => render::reduce::write_json(&reports, out)?,
        }
    }
    if failed_write {
        return Ok(TOOL_ERROR);
    }
    let unfaithful = reports
        .iter()
        .any(|r| matches!(r.outcome, crate::reduce::Outcome::Unfaithful { .. }));
    let should_reduce = args.check && reports.iter().any(|r| r.saving() > args.threshold);
    Ok(if unfaithful || should_reduce {
        FINDINGS
    } else {
        CLEAN
    })
}
