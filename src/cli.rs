//! Command-line interface: arguments, and each command as a function from arguments to
//! an exit status. Output goes to the writer it is given so a closed pipe is not an error.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{ConfigError, Overrides, Settings, Target};
use crate::diagnostic::Severity;
use crate::lint::LintError;
use crate::position::LineIndex;
use crate::progress::Progress;
use crate::render::{self, Format};
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
        /// Color the document's headings: auto (when stdout is a terminal and NO_COLOR is
        /// unset), always or never.
        #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
        color: ColorChoice,
    },
    /// Run the language server on stdin/stdout (for editors; see editors/).
    Server,
    /// Print a shell completion script (e.g. `skillpress completions bash > ~/.local/share/bash-completion/completions/skillpress`).
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff) to stdout, e.g. `skillpress man | man -l -`.
    Man,
}

/// Shells `skillpress completions` writes scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    /// Bash (bash-completion).
    Bash,
    /// Zsh (a `_skillpress` function for fpath).
    Zsh,
    /// Fish (a file for ~/.config/fish/completions).
    Fish,
    /// PowerShell (a script to dot-source from $PROFILE).
    Powershell,
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
    /// Color when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always color, even into a pipe.
    Always,
    /// Never color.
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
    /// Color the text view: auto (when stdout is a terminal and NO_COLOR is unset),
    /// always or never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,
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
    /// Compare each skill with its version at this git revision (commit, branch or tag).
    #[arg(long, value_name = "REF", conflicts_with = "harness")]
    pub compare: Option<String>,
    /// With --compare: exit 1 when always-loaded (listing) tokens of all skills grow by
    /// more than N.
    #[arg(long, value_name = "N", requires = "compare")]
    pub max_increase: Option<u64>,
    /// Simulate a harness's skill listing (data/harness.toml): which descriptions it cuts
    /// and which it drops. Known: claude-code.
    #[arg(long, value_name = "HARNESS")]
    pub harness: Option<String>,
    /// With --harness: the context window in tokens the listing budget is a share of.
    #[arg(long, value_name = "TOKENS", requires = "harness")]
    pub context: Option<u64>,
    /// Color the table: auto (when stdout is a terminal and NO_COLOR is unset), always or
    /// never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,
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
    /// A summary for people.
    Text,
    /// Every skill's report as JSON.
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
        // main.rs starts the server before it takes the stdout lock; here for callers
        // that hold no lock on stdout.
        Command::Server => match crate::server::run() {
            Ok(()) => Ok(CLEAN),
            Err(e) => {
                writeln!(err, "error: language server: {e}")?;
                Ok(TOOL_ERROR)
            }
        },
        Command::Completions { shell } => {
            let shell = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
                Shell::Powershell => clap_complete::Shell::PowerShell,
            };
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "skillpress", out);
            Ok(CLEAN)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(out)?;
            Ok(CLEAN)
        }
        Command::Explain { rule, color } => match rules::find(&rule) {
            Some(r) => {
                let style = crate::render::style::Style::new(color.for_stdout());
                for line in r.doc.split_inclusive('\n') {
                    if line.starts_with('#') {
                        let text = line.trim_end_matches('\n');
                        write!(out, "{}{}", style.heading(text), &line[text.len()..])?;
                    } else {
                        out.write_all(line.as_bytes())?;
                    }
                }
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
    use crate::lint::{Event, Governed, Mode};
    let Some(settings) = settings(&args.paths, &args.config, args.fail_on, err)? else {
        return Ok(TOOL_ERROR);
    };
    // Token rules count with the configured tokenizer: a bad one is a tool error, found
    // before any skill is read. Loading is lazy, so runs without token rules never pay.
    let token_rules_on = RULES
        .iter()
        .zip(&settings.rules)
        .any(|(r, on)| on.is_some() && r.needs_tokenizer);
    if token_rules_on {
        if let Err(e) = crate::tokens::Tokenizer::get(&settings.tokenizer) {
            writeln!(err, "error: tokenizer: {e}")?;
            return Ok(TOOL_ERROR);
        }
    }
    let mode = match (args.fix, args.diff) {
        (true, _) => Mode::Fix,
        (false, true) => Mode::Diff,
        _ => Mode::Check,
    };
    let overrides = overrides(&args.config, args.fail_on);
    let governed = if args.config.config.is_some() || args.config.no_config {
        Governed::All(&settings)
    } else {
        // Without a config named on the command line, each skill takes its nearest one.
        Governed::Nearest(&settings, &overrides)
    };
    let machine = matches!(args.format, Format::Json | Format::Sarif);
    let progress = Progress::new("skills", !machine);
    // `--diff` prints every diff before the findings, so those wait until the end.
    let mut output = render::Output::new(
        args.format,
        args.color.for_stdout(),
        mode == Mode::Diff,
        out,
    );
    let (mut files, mut applied, mut write_failed) = (0, 0, false);
    let result = crate::lint::lint_paths_streaming(&args.paths, governed, mode, &mut |event| {
        match event {
            Event::Started { skills } => progress.start(skills),
            Event::Skill(r) => {
                progress.inc(1);
                if let (Some(fix), Some(path)) = (&r.fix, &r.manifest_path) {
                    if mode == Mode::Diff {
                        let shown = path.to_string_lossy().replace('\\', "/");
                        output.raw(&crate::fix::unified_diff(&shown, &fix.original, &fix.fixed))?;
                    }
                    if !fix.converged {
                        writeln!(
                            err,
                            "warning: {}: fixes did not settle after repeated rounds; review the file",
                            path.display()
                        )?;
                    }
                    if r.write_error.is_none() {
                        files += 1;
                        applied += fix.applied;
                    }
                }
                if let Some(e) = &r.write_error {
                    writeln!(err, "error: could not write fix: {e}")?;
                    write_failed = true;
                }
                output.skill(&r.checked)?;
            }
            Event::Across(checked) => output.skill(&checked)?,
        }
        Ok(())
    });
    drop(progress);
    let totals = match result {
        Ok(t) => t,
        Err(LintError::Discover(e)) => {
            writeln!(err, "error: {e}")?;
            return Ok(TOOL_ERROR);
        }
        Err(LintError::Config(e)) => {
            write_config_error(&e, err)?;
            return Ok(TOOL_ERROR);
        }
        Err(LintError::Io(e)) => return Err(e),
    };
    let no_skill = write_problems(&totals.problems, &[], err)?;
    if !args.fix {
        (files, applied) = (0, 0);
    }
    let summary = output.finish(totals.skills, files, applied)?;
    if write_failed || no_skill {
        return Ok(TOOL_ERROR);
    }
    Ok(if summary.any_at_least(settings.fail_on) {
        FINDINGS
    } else {
        CLEAN
    })
}

fn classify(args: ClassifyArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    use crate::render::classify::FileReport;

    let progress = Progress::new("skills", args.format == ClassifyFormat::Text);
    let run = crate::classify::run(&args.path, args.body_only, &progress);
    drop(progress);
    let run = match run {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(TOOL_ERROR);
        }
    };
    if run.files.is_empty() && run.skipped.is_empty() {
        writeln!(
            err,
            "error: no skill (a folder with SKILL.md) at or under {}",
            args.path.display()
        )?;
        return Ok(TOOL_ERROR);
    }
    for (dir, why) in &run.skipped {
        writeln!(err, "warning: {}: {why}", dir.display())?;
    }
    let files: Vec<FileReport> = run
        .files
        .iter()
        .map(|f| FileReport::new(&f.dir, &f.file, &f.text, &f.markdown, &f.classified))
        .collect();
    match args.format {
        ClassifyFormat::Text => crate::render::classify::write_text_styled(
            &files,
            crate::render::style::Style::new(args.color.for_stdout()),
            out,
        )?,
        ClassifyFormat::Json => crate::render::classify::write_json(&files, out)?,
    }
    Ok(CLEAN)
}

fn tokens(args: TokensArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    if let Some(reference) = args.compare.clone() {
        return tokens_compare(&args, &reference, out, err);
    }
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
    let progress = Progress::new(
        "skills",
        args.format != crate::render::tokens::TokensFormat::Json,
    );
    let report = crate::tokens::report::build_with_progress(
        &args.paths,
        &settings.exclude,
        &tok,
        models,
        &progress,
    );
    drop(progress);
    let mut report = match report {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(TOOL_ERROR);
        }
    };
    for (path, why) in &report.skipped {
        writeln!(err, "warning: {}: {why}", path.display())?;
    }
    let style = crate::render::style::Style::new(args.color.for_stdout());
    if let Some(id) = &args.harness {
        let harness = match crate::tokens::harness::find(id) {
            Ok(h) => h,
            Err(e) => {
                writeln!(err, "error: {e}")?;
                return Ok(TOOL_ERROR);
            }
        };
        // The harness lists skills in the order it finds them: keep discovery order.
        let lines: Vec<(String, String, usize)> = report
            .skills
            .iter()
            .map(|s| (s.path.clone(), s.name.clone(), s.listing_chars))
            .collect();
        let listing = crate::tokens::harness::simulate(harness, args.context, &lines);
        crate::render::tokens::write_harness(args.format, &listing, style, out)?;
        return Ok(CLEAN);
    }
    report.sort(args.sort);
    if let Some(n) = args.top {
        report.skills.truncate(n);
    }
    crate::render::tokens::write_styled(args.format, &report, style, out)?;
    Ok(CLEAN)
}

/// `tokens --compare REF [--max-increase N]`.
fn tokens_compare(
    args: &TokensArgs,
    reference: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let Some(settings) =
        settings_with(&args.paths, &args.config, None, args.tokenizer.clone(), err)?
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
    let cmp = match crate::tokens::compare::compare(&args.paths, &settings.exclude, &tok, reference)
    {
        Ok(c) => c,
        Err(e) => {
            writeln!(err, "error: --compare: {e}")?;
            return Ok(TOOL_ERROR);
        }
    };
    let style = crate::render::style::Style::new(args.color.for_stdout());
    crate::render::tokens::write_compare(args.format, &cmp, style, out)?;
    if let Some(max) = args.max_increase {
        let grew = cmp.always_loaded_increase();
        if grew > max as i64 {
            writeln!(
                err,
                "error: always-loaded tokens grew by {grew} since {reference}, more than --max-increase {max}"
            )?;
            return Ok(FINDINGS);
        }
    }
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

fn reduce(args: ReduceArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    use crate::reduce::run::{self, Mode};
    use crate::reduce::Outcome;
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
    if report_discovery(&found, err)? {
        return Ok(TOOL_ERROR);
    }
    let mode = match (&args.out, args.in_place, args.diff, args.check) {
        (Some(dir), ..) => Mode::Out(dir.clone()),
        (None, true, ..) => Mode::InPlace,
        (None, false, true, _) => Mode::Diff,
        (None, false, false, true) => Mode::Check,
        _ => Mode::Report,
    };
    let runs = match run::run(&found.skills, &args.paths, &settings, &mode) {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(TOOL_ERROR);
        }
    };
    let mut failed_write = false;
    for r in &runs {
        if let Some(d) = &r.diff {
            out.write_all(d.as_bytes())?;
        }
        if mode == Mode::Diff {
            // A diff shows only what would change: say why a skill shows none.
            match &r.report.outcome {
                Outcome::Declined { reason } => {
                    writeln!(err, "{}: declined, no diff: {reason}", r.report.skill)?
                }
                Outcome::Unfaithful { missing } => writeln!(
                    err,
                    "{}: not reduced, no diff: the result would lose {} item(s); `skillpress reduce` lists them",
                    r.report.skill,
                    missing.len()
                )?,
                _ => {}
            }
        }
        for (file, why) in &r.left_out {
            writeln!(
                err,
                "warning: {}: `{file}` {why}; left out of the copy",
                r.report.skill
            )?;
        }
        if let Some(e) = &r.write_error {
            writeln!(err, "error: could not write: {e}")?;
            failed_write = true;
        }
    }
    let reports: Vec<crate::reduce::Report> = runs.into_iter().map(|r| r.report).collect();
    if mode != Mode::Diff {
        match args.format {
            ReportFormat::Text => render::reduce::write_text(&reports, mode.writes(), out)?,
            ReportFormat::Json => render::reduce::write_json(&reports, mode.writes(), out)?,
        }
    }
    if failed_write {
        return Ok(TOOL_ERROR);
    }
    let unfaithful = reports
        .iter()
        .any(|r| matches!(r.outcome, Outcome::Unfaithful { .. }));
    let should_reduce = args.check && reports.iter().any(|r| r.saving() > args.threshold);
    Ok(if unfaithful || should_reduce {
        FINDINGS
    } else {
        CLEAN
    })
}

/// Prints what discovery could not enter and each given path that holds no skill.
/// Returns whether a path held none (a tool error).
fn report_discovery(
    found: &crate::discover::Discovery,
    err: &mut dyn Write,
) -> std::io::Result<bool> {
    write_problems(&found.problems, &found.skills, err)?;
    Ok(!found.empty.is_empty())
}

/// Walk problems outside every skill as warnings, given paths holding no skill as
/// errors. Returns whether there was such an error.
fn write_problems(
    problems: &[(PathBuf, String)],
    skills: &[PathBuf],
    err: &mut dyn Write,
) -> std::io::Result<bool> {
    let mut no_skill = false;
    for (path, why) in problems {
        if crate::discover::is_no_skill(why) {
            writeln!(err, "error: {}: {why}", path.display())?;
            no_skill = true;
        } else if !skills.iter().any(|s| path.starts_with(s)) {
            writeln!(err, "warning: {}: {why}", path.display())?;
        }
    }
    Ok(no_skill)
}
