//! Configuration: `skillpress.toml` or `.skillpress.toml` (the nearest ancestor of the
//! linted path wins), every field optional and unknown keys rejected at their position,
//! merged over defaults and overridden by flags into `Settings` with nothing left open.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::rules::{RuleMeta, RuleOption, RULES};

pub const FILE_NAMES: [&str; 2] = ["skillpress.toml", ".skillpress.toml"];

/// Which loader's rules for frontmatter keys apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// The agentskills.io standard: six keys.
    Agentskills,
    /// Claude Code: the standard plus its own documented fields.
    ClaudeCode,
    /// OpenAI Codex: the standard's keys.
    Codex,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Agentskills => "agentskills",
            Target::ClaudeCode => "claude-code",
            Target::Codex => "codex",
        }
    }

    pub fn allowed_keys(self) -> &'static [&'static str] {
        match self {
            Target::Agentskills | Target::Codex => STANDARD_KEYS,
            Target::ClaudeCode => CLAUDE_CODE_KEYS,
        }
    }
}

pub const STANDARD_KEYS: &[&str] = &[
    "name",
    "description",
    "license",
    "compatibility",
    "metadata",
    "allowed-tools",
];

pub const CLAUDE_CODE_KEYS: &[&str] = &[
    "name",
    "description",
    "license",
    "compatibility",
    "metadata",
    "allowed-tools",
    "when_to_use",
    "argument-hint",
    "arguments",
    "disable-model-invocation",
    "user-invocable",
    "disallowed-tools",
    "model",
    "effort",
    "context",
    "agent",
    "hooks",
    "paths",
    "shell",
    "version",
];

/// The file layer: what a config file may say.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    pub target: Option<Target>,
    pub select: Option<Vec<Spanned<String>>>,
    pub ignore: Option<Vec<Spanned<String>>>,
    pub exclude: Option<Vec<Spanned<String>>>,
    pub fail_on: Option<Spanned<String>>,
    pub tokenizer: Option<Spanned<String>>,
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
}

/// What the command line says; `None` leaves the file's or the default value.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub target: Option<Target>,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
    pub tokenizer: Option<String>,
}

#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
    /// Byte range of the offending key or value in the file.
    pub span: Option<Range<usize>>,
    /// The file's text, to point at the span.
    pub source: String,
}

/// Settings resolved once for a run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub target: Target,
    /// `Some(severity)` for each enabled rule, by registry index.
    pub rules: Vec<Option<Severity>>,
    pub options: HashMap<(&'static str, &'static str), f64>,
    pub exclude: GlobSet,
    pub fail_on: Severity,
    pub tokenizer: String,
    /// The config file in force, if any.
    pub file: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            target: Target::Agentskills,
            rules: RULES.iter().map(|r| Some(r.meta.severity)).collect(),
            options: HashMap::new(),
            exclude: GlobSet::empty(),
            fail_on: Severity::Warning,
            tokenizer: "o200k".to_string(),
            file: None,
        }
    }
}

impl Settings {
    /// The configured value of `option` (one of `rule`'s option constants), or its
    /// default.
    pub fn option(&self, rule: &RuleMeta, option: &RuleOption) -> f64 {
        debug_assert!(
            rule.options.iter().any(|o| o.name == option.name),
            "rule {} has no option {}",
            rule.code,
            option.name
        );
        self.options
            .get(&(rule.code, option.name))
            .copied()
            .unwrap_or(option.default)
    }

    /// The severity of an enabled rule, `None` when it is off.
    pub fn severity(&self, rule: &RuleMeta) -> Option<Severity> {
        let i = RULES.iter().position(|r| r.meta.code == rule.code)?;
        self.rules[i]
    }

    /// Loads the config that applies to `start` (unless `explicit` names one or `none`
    /// says to use none) and resolves it with `overrides`.
    pub fn load(
        start: &Path,
        explicit: Option<&Path>,
        none: bool,
        overrides: &Overrides,
    ) -> Result<Settings, ConfigError> {
        let file = if none {
            None
        } else if let Some(p) = explicit {
            Some(p.to_path_buf())
        } else {
            find_config(start)
        };
        let (config, source) = match &file {
            Some(path) => {
                let source = std::fs::read_to_string(path).map_err(|e| ConfigError {
                    path: path.clone(),
                    message: format!("cannot read config: {e}"),
                    span: None,
                    source: String::new(),
                })?;
                let config: FileConfig = toml::from_str(&source).map_err(|e| ConfigError {
                    path: path.clone(),
                    message: e.message().to_string(),
                    span: e.span(),
                    source: source.clone(),
                })?;
                (config, source)
            }
            None => (FileConfig::default(), String::new()),
        };
        resolve(config, overrides)
            .map_err(|(message, span)| ConfigError {
                path: file
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("<command line>")),
                message,
                span,
                source,
            })
            .map(|mut s| {
                s.file = file;
                s
            })
    }
}

/// The nearest `skillpress.toml` or `.skillpress.toml` at or above `start`.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    ConfigFinder::default().find(start)
}

/// [`find_config`] for many starting points: each folder above them is looked in once,
/// however many skills share it (a registry's 60,000 skills share one parent).
#[derive(Default)]
pub struct ConfigFinder {
    /// Canonical folder -> the nearest config file at or above it.
    seen: std::collections::HashMap<PathBuf, Option<PathBuf>>,
}

impl ConfigFinder {
    pub fn find(&mut self, start: &Path) -> Option<PathBuf> {
        let abs = std::fs::canonicalize(start).ok()?;
        let first = if abs.is_file() { abs.parent()? } else { &abs };
        let mut looked: Vec<&Path> = Vec::new();
        let mut found = None;
        for dir in first.ancestors() {
            if let Some(known) = self.seen.get(dir) {
                found = known.clone();
                break;
            }
            looked.push(dir);
            if let Some(p) = FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()) {
                found = Some(p);
                break;
            }
        }
        for dir in looked {
            self.seen.insert(dir.to_path_buf(), found.clone());
        }
        found
    }
}

type Problem = (String, Option<Range<usize>>);

/// Whether a selector (`ALL`, a code, a code prefix, or a name) picks `rule`.
fn selects(selector: &str, rule: &RuleMeta) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || rule.name == selector
        || rule
            .code
            .to_ascii_uppercase()
            .starts_with(&selector.to_ascii_uppercase())
}

fn check_selector(selector: &str, span: Option<Range<usize>>) -> Result<(), Problem> {
    if RULES.iter().any(|r| selects(selector, r.meta)) {
        Ok(())
    } else {
        Err((
            format!("`{selector}` matches no rule (see `skillpress rules`)"),
            span,
        ))
    }
}

fn resolve(config: FileConfig, o: &Overrides) -> Result<Settings, Problem> {
    let mut s = Settings {
        target: o.target.or(config.target).unwrap_or(Target::Agentskills),
        ..Settings::default()
    };

    let file_select: Option<Vec<(String, Option<Range<usize>>)>> = config.select.map(|v| {
        v.into_iter()
            .map(|x| (x.get_ref().clone(), Some(x.span())))
            .collect()
    });
    let select = match &o.select {
        Some(v) => Some(v.iter().map(|x| (x.clone(), None)).collect()),
        None => file_select,
    };
    let mut ignore: Vec<(String, Option<Range<usize>>)> = config
        .ignore
        .unwrap_or_default()
        .into_iter()
        .map(|x| (x.get_ref().clone(), Some(x.span())))
        .collect();
    ignore.extend(o.ignore.iter().map(|x| (x.clone(), None)));

    for (sel, span) in select.iter().flatten().chain(ignore.iter()) {
        check_selector(sel, span.clone())?;
    }
    for (i, rule) in RULES.iter().enumerate() {
        let selected = select
            .as_ref()
            .is_none_or(|v| v.iter().any(|(x, _)| selects(x, rule.meta)));
        let ignored = ignore.iter().any(|(x, _)| selects(x, rule.meta));
        s.rules[i] = (selected && !ignored).then_some(rule.meta.severity);
    }

    for (key, table) in &config.rules {
        let Some(i) = RULES.iter().position(|r| {
            r.meta.name == key.get_ref() || r.meta.code.eq_ignore_ascii_case(key.get_ref())
        }) else {
            return Err((
                format!("unknown rule `{}` (see `skillpress rules`)", key.get_ref()),
                Some(key.span()),
            ));
        };
        let meta = RULES[i].meta;
        for (opt, value) in table {
            if opt.get_ref() == "severity" {
                let text = value.get_ref().as_str().unwrap_or_default();
                if text == "off" {
                    s.rules[i] = None;
                } else if let Some(sev) = Severity::parse(text) {
                    if s.rules[i].is_some() {
                        s.rules[i] = Some(sev);
                    }
                } else {
                    return Err((
                        "severity must be one of \"error\", \"warning\", \"info\" or \"off\""
                            .into(),
                        Some(value.span()),
                    ));
                }
                continue;
            }
            let Some(spec) = meta.options.iter().find(|x| x.name == opt.get_ref()) else {
                let known: Vec<&str> = std::iter::once("severity")
                    .chain(meta.options.iter().map(|x| x.name))
                    .collect();
                return Err((
                    format!(
                        "rule {} ({}) has no setting `{}`; it has: {}",
                        meta.code,
                        meta.name,
                        opt.get_ref(),
                        known.join(", ")
                    ),
                    Some(opt.span()),
                ));
            };
            let number = match value.get_ref() {
                toml::Value::Integer(n) => *n as f64,
                toml::Value::Float(f) => *f,
                _ => {
                    return Err((
                        format!("`{}` must be a number", spec.name),
                        Some(value.span()),
                    ))
                }
            };
            if number < 0.0 {
                return Err((
                    format!("`{}` must not be negative", spec.name),
                    Some(value.span()),
                ));
            }
            s.options.insert((meta.code, spec.name), number);
        }
    }

    let mut globs = GlobSetBuilder::new();
    for g in config.exclude.unwrap_or_default() {
        let glob =
            Glob::new(g.get_ref()).map_err(|e| (format!("bad glob: {e}"), Some(g.span())))?;
        globs.add(glob);
    }
    s.exclude = globs.build().map_err(|e| (e.to_string(), None))?;

    s.fail_on = match (o.fail_on, &config.fail_on) {
        (Some(f), _) => f,
        (None, Some(text)) => Severity::parse(text.get_ref()).ok_or((
            "fail-on must be one of \"error\", \"warning\" or \"info\"".to_string(),
            Some(text.span()),
        ))?,
        (None, None) => Severity::Warning,
    };
    let (tokenizer, span) = match (&o.tokenizer, config.tokenizer) {
        (Some(t), _) => (t.clone(), None),
        (None, Some(t)) => (t.get_ref().clone(), Some(t.span())),
        (None, None) => ("o200k".to_string(), None),
    };
    crate::tokens::Spec::parse(&tokenizer).map_err(|e| (e.to_string(), span))?;
    s.tokenizer = tokenizer;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, (String, Option<Range<usize>>)> {
        let config: FileConfig =
            toml::from_str(text).map_err(|e| (e.message().to_string(), e.span()))?;
        resolve(config, &Overrides::default())
    }

    #[test]
    fn unknown_top_level_key_points_at_it() {
        let text = "target = \"codex\"\nbogus = 1\n";
        let (msg, span) = parse(text).unwrap_err();
        assert!(msg.contains("unknown field `bogus`"), "{msg}");
        assert_eq!(&text[span.unwrap()], "bogus");
    }

    #[test]
    fn unknown_rule_and_option_point_at_them() {
        let text = "[rules.no-such-rule]\nseverity = \"off\"\n";
        let (msg, span) = parse(text).unwrap_err();
        assert!(msg.contains("unknown rule"), "{msg}");
        assert_eq!(&text[span.unwrap()], "no-such-rule");

        let text = "[rules.frontmatter-missing]\nlimit = 3\n";
        let (msg, span) = parse(text).unwrap_err();
        assert!(msg.contains("has no setting `limit`"), "{msg}");
        assert_eq!(&text[span.unwrap()], "limit");
    }

    #[test]
    fn severity_and_selection() {
        let f001 = RULES.iter().position(|r| r.meta.code == "F001").unwrap();
        let s = parse("ignore = [\"F001\"]\n").unwrap();
        assert_eq!(s.rules[f001], None);
        let s = parse("[rules.F001]\nseverity = \"info\"\n").unwrap();
        assert_eq!(s.rules[f001], Some(Severity::Info));
        let (msg, _) = parse("select = [\"ZZ9\"]\n").unwrap_err();
        assert!(msg.contains("matches no rule"));
        let (msg, _) = parse("fail-on = \"sometimes\"\n").unwrap_err();
        assert!(msg.contains("fail-on"));
        let text = "tokenizer = \"p50k\"\n";
        let (msg, span) = parse(text).unwrap_err();
        assert!(msg.contains("unknown tokenizer"), "{msg}");
        assert_eq!(&text[span.unwrap()], "\"p50k\"");
        assert_eq!(
            parse("tokenizer = \"claude\"\n").unwrap().tokenizer,
            "claude"
        );
    }
}
