//! `skillpress tokens` output: a text table, JSON or CSV from a `TokensReport`. Estimates
//! are marked wherever they appear: `≈` before the number in the table with a footnote
//! giving the factor, its range and the data's date; `estimate` fields with low and high
//! in JSON; an `estimate` column in CSV.

use std::io::{self, Write};

use serde_json::json;

use super::style::{visible_width, Style};
use crate::tokens::compare::{Change, Comparison, Delta};
use crate::tokens::harness::{Fate, Listing};
use crate::tokens::report::{ModelCost, SkillTokens, TokensReport};
use crate::tokens::{estimate, prices, thousands, Count};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TokensFormat {
    /// Aligned columns for people, within 100 columns; per-model costs in their own table.
    Table,
    /// Every count, file and cost, with estimates' ranges and sources.
    Json,
    /// One row per skill, for spreadsheets.
    Csv,
    /// A markdown table, e.g. for a pull-request comment.
    Markdown,
}

/// Widest line a table is laid out for; the skill column gives way first.
pub const WIDTH: usize = 100;

pub fn write(format: TokensFormat, report: &TokensReport, out: &mut dyn Write) -> io::Result<()> {
    write_styled(format, report, Style::PLAIN, out)
}

pub fn write_styled(
    format: TokensFormat,
    report: &TokensReport,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        TokensFormat::Table => table(report, style, out),
        TokensFormat::Json => json_out(report, out),
        TokensFormat::Csv => csv(report, out),
        TokensFormat::Markdown => {
            let mut rows = vec![tier_header()];
            rows.extend(report.skills.iter().map(skill_row));
            rows.push(total_row(report));
            markdown(&rows, out)
        }
    }
}

fn count(c: Count) -> String {
    if c.is_exact() {
        thousands(c.tokens)
    } else {
        format!("≈{}", thousands(c.tokens))
    }
}

fn count_with_range(c: Count) -> String {
    if c.is_exact() {
        thousands(c.tokens)
    } else {
        format!(
            "≈{} ({}-{})",
            thousands(c.tokens),
            thousands(c.low),
            thousands(c.high)
        )
    }
}

fn money(usd: f64) -> String {
    if usd >= 1.0 {
        format!("${usd:.2}")
    } else {
        format!("${usd:.4}")
    }
}

fn cost(c: &ModelCost, pick: fn(&ModelCost) -> prices::Cost) -> String {
    let v = pick(c);
    if c.estimate {
        format!("≈{}", money(v.usd))
    } else {
        money(v.usd)
    }
}

fn cost_with_range(c: &ModelCost, pick: fn(&ModelCost) -> prices::Cost) -> String {
    let v = pick(c);
    if c.estimate && v.low != v.high {
        format!("≈{} ({}-{})", money(v.usd), money(v.low), money(v.high))
    } else {
        cost(c, pick)
    }
}

fn activation(c: &ModelCost) -> prices::Cost {
    c.per_1000_activations
}

fn listing(c: &ModelCost) -> prices::Cost {
    c.listing_per_1000_requests
}

/// Shortens `text` to `width` characters by cutting its start ("…/skills/pdf"): the end
/// of a path says most about which skill it is.
fn cut_start(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let keep: String = text.chars().skip(n - (width - 1)).collect();
    format!("…{keep}")
}

/// Writes rows as aligned columns: the first left-aligned, the rest right-aligned; the
/// first row is the heading. The first column is cut so no line is wider than `WIDTH`.
fn columns(rows: &[Vec<String>], style: Style, out: &mut dyn Write) -> io::Result<()> {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| visible_width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    if let Some(first) = widths.first().copied() {
        let rest: usize = widths.iter().skip(1).map(|w| w + 2).sum();
        widths[0] = first.min(WIDTH.saturating_sub(rest).max(8));
    }
    for (r, row) in rows.iter().enumerate() {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let cell = if i == 0 {
                cut_start(cell, widths[0])
            } else {
                cell.clone()
            };
            let pad = widths[i].saturating_sub(visible_width(&cell));
            let cell = if r == 0 { style.heading(&cell) } else { cell };
            if i == 0 {
                line.push_str(&cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(&cell);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Writes rows as a markdown table; the first row is the heading.
fn markdown(rows: &[Vec<String>], out: &mut dyn Write) -> io::Result<()> {
    let cell = |c: &String| c.replace('|', "\\|");
    for (r, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(cell).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
        if r == 0 {
            let rule: Vec<&str> = (0..row.len())
                .map(|i| if i == 0 { "---" } else { "---:" })
                .collect();
            writeln!(out, "|{}|", rule.join("|"))?;
        }
    }
    Ok(())
}

fn tier_header() -> Vec<String> {
    [
        "skill",
        "listing",
        "body",
        "references",
        "other",
        "scripts*",
        "total",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn total_row(report: &TokensReport) -> Vec<String> {
    let t = &report.totals;
    vec![
        format!("total ({})", skills(report.measured)),
        count(t.listing),
        count(t.body),
        count(t.references),
        count(t.other),
        count(t.scripts),
        count(t.total),
    ]
}

fn table(report: &TokensReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let mut rows = vec![tier_header()];
    for s in &report.skills {
        rows.push(skill_row(s));
    }
    rows.push(total_row(report));
    columns(&rows, style, out)?;
    let t = &report.totals;
    // Per-skill costs, a table of their own, as many models to a table as fit.
    if !report.skills.is_empty() && !report.models.is_empty() {
        let per_table = ((WIDTH - 30) / 16).max(1);
        for (k, models) in report.models.chunks(per_table).enumerate() {
            let first = k * per_table;
            let mut header = vec!["$ per 1,000 activations".to_string()];
            header.extend(models.iter().map(|m| m.id.clone()));
            let mut rows = vec![header];
            for s in &report.skills {
                let mut row = vec![s.path.clone()];
                row.extend(
                    s.costs[first..first + models.len()]
                        .iter()
                        .map(|c| cost(c, activation)),
                );
                rows.push(row);
            }
            writeln!(out)?;
            columns(&rows, style, out)?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "tokenizer: {}; listing of all {}: {} tokens on every request",
        report.tokenizer,
        skills(report.measured),
        count_with_range(t.listing)
    )?;
    if !report.models.is_empty() {
        let mut rows = vec![vec![
            "model".to_string(),
            "$/M input".to_string(),
            "1,000 activations of every skill".to_string(),
            "listing, 1,000 requests".to_string(),
        ]];
        for (m, c) in report.models.iter().zip(&t.costs) {
            rows.push(vec![
                format!("{}{}", m.id, if m.is_estimate() { " ≈" } else { "" }),
                format!("{:.2}", m.input),
                cost_with_range(c, activation),
                cost_with_range(c, listing),
            ]);
        }
        columns(&rows, style, out)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "* scripts are run, not read: shown, not counted in total. An activation is listing + body."
    )?;
    if let Some(e) = report.estimate {
        writeln!(
            out,
            "≈ {} is an estimate: o200k count x {} (range {}-{}), Claude's tokenizer is not public; factors of {}.",
            e.name,
            e.factor,
            e.low,
            e.high,
            estimate::date()
        )?;
    }
    if report.models.iter().any(|m| m.is_estimate()) {
        let claude: Vec<String> = report
            .models
            .iter()
            .filter(|m| m.is_estimate() && !m.proxy)
            .filter_map(|m| estimate::find(&m.tokenizer).map(|e| (m, e)))
            .map(|(m, e)| format!("{} x{} ({}-{})", m.id, e.factor, e.low, e.high))
            .collect();
        let mut note = String::from("≈ model costs are estimates:");
        if !claude.is_empty() {
            note.push_str(&format!(
                " Claude counts are o200k times a factor ({}; factors of {})",
                claude.join(", "),
                estimate::date()
            ));
        }
        if report.models.iter().any(|m| m.proxy) {
            if !claude.is_empty() {
                note.push(';');
            }
            note.push_str(" Gemini counts use o200k as a stand-in");
        }
        writeln!(out, "{note}.")?;
    }
    writeln!(out, "Prices of {} (data/prices.toml).", prices::date())?;
    if report.skills.len() < report.measured {
        writeln!(
            out,
            "Showing {} of {} skills.",
            report.skills.len(),
            report.measured
        )?;
    }
    Ok(())
}

fn skills(n: usize) -> String {
    match n {
        1 => "1 skill".to_string(),
        n => format!("{} skills", thousands(n as u64)),
    }
}

fn skill_row(s: &SkillTokens) -> Vec<String> {
    vec![
        s.path.clone(),
        count(s.listing),
        count(s.body),
        count(s.references),
        count(s.other),
        count(s.scripts),
        count(s.total()),
    ]
}

fn to_json(report: &TokensReport) -> serde_json::Value {
    let estimate = report.estimate.map(|e| {
        json!({
            "name": e.name,
            "factor": e.factor,
            "low": e.low,
            "high": e.high,
            "date": estimate::date(),
            "sources": e.sources,
        })
    });
    let models: Vec<serde_json::Value> = report
        .models
        .iter()
        .map(|m| {
            let factor = estimate::find(&m.tokenizer).map(|e| json!([e.factor, e.low, e.high]));
            json!({
                "id": m.id,
                "provider": m.provider,
                "input_usd_per_million": m.input,
                "tokenizer": m.tokenizer,
                "estimate": m.is_estimate(),
                "factor_and_range": factor,
                "source": m.source,
            })
        })
        .collect();
    json!({
        "tokenizer": report.tokenizer,
        "estimate": estimate,
        "prices_date": prices::date(),
        "models": models,
        "measured": report.measured,
        // Written by `Streamed`, one skill at a time.
        "skills": null,
        "totals": report.totals,
        "skipped": report
            .skipped
            .iter()
            .map(|(p, why)| json!({"path": p.to_string_lossy(), "problem": why}))
            .collect::<Vec<_>>(),
    })
}

fn skill_json(s: &SkillTokens) -> serde_json::Value {
    json!({
        "path": s.path,
        "name": s.name,
        "listing": s.listing,
        "listing_chars": s.listing_chars,
        "body": s.body,
        "body_lines": s.body_lines,
        "references": s.references,
        "other": s.other,
        "scripts": s.scripts,
        "total": s.total(),
        "activation": s.activation(),
        "files": s.files,
        "costs": s.costs,
    })
}

/// The report as pretty JSON. Everything but the skills is one small tree; the skills'
/// objects are rendered in parallel, a batch at a time, and written in order: a JSON tree
/// of 60,000 skills took 2 GB, and rendering them one by one on the main thread was a
/// third of `tokens` on a registry. The bytes are what `serde_json::to_writer_pretty`
/// writes for the whole tree.
fn json_out(report: &TokensReport, out: &mut dyn Write) -> io::Result<()> {
    use rayon::prelude::*;
    // A string no report holds marks where the skills go.
    const SLOT: &str = "\u{0}skills\u{0}";
    let mut head = to_json(report);
    head["skills"] = json!(SLOT);
    let head = serde_json::to_string_pretty(&head)?;
    let slot = serde_json::to_string(SLOT)?;
    let (before, after) = head.split_once(&slot).unwrap_or((&head, ""));
    out.write_all(before.as_bytes())?;
    if report.skills.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[")?;
        // Skills per task, and tasks per batch: a batch is all that is held rendered.
        const CHUNK: usize = 16;
        let batch = CHUNK * 4 * rayon::current_num_threads().max(1);
        for (b, skills) in report.skills.chunks(batch).enumerate() {
            let rendered: Vec<io::Result<Vec<u8>>> = skills
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(c, chunk)| {
                    let mut buf = Vec::new();
                    for (i, s) in chunk.iter().enumerate() {
                        if b + c + i > 0 {
                            buf.push(b',');
                        }
                        // One level in: the array sits in the top-level object.
                        let one = serde_json::to_string_pretty(&skill_json(s))?;
                        for line in one.split('\n') {
                            buf.extend_from_slice(b"\n    ");
                            buf.extend_from_slice(line.as_bytes());
                        }
                    }
                    Ok(buf)
                })
                .collect();
            for r in rendered {
                out.write_all(&r?)?;
            }
        }
        out.write_all(b"\n  ]")?;
    }
    out.write_all(after.as_bytes())?;
    writeln!(out)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv(report: &TokensReport, out: &mut dyn Write) -> io::Result<()> {
    let mut header: Vec<String> = [
        "path",
        "name",
        "tokenizer",
        "estimate",
        "listing",
        "body",
        "references",
        "other",
        "scripts",
        "total",
        "body_lines",
        "listing_chars",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for m in &report.models {
        header.push(format!("usd_1000_activations:{}", m.id));
        header.push(format!("usd_listing_1000_requests:{}", m.id));
    }
    writeln!(out, "{}", header.join(","))?;
    let estimate = report
        .estimate
        .map(|e| format!("x{} ({}-{}) {}", e.factor, e.low, e.high, estimate::date()))
        .unwrap_or_default();
    for s in &report.skills {
        let mut row = vec![
            csv_field(&s.path),
            csv_field(&s.name),
            csv_field(&report.tokenizer),
            csv_field(&estimate),
            s.listing.tokens.to_string(),
            s.body.tokens.to_string(),
            s.references.tokens.to_string(),
            s.other.tokens.to_string(),
            s.scripts.tokens.to_string(),
            s.total().tokens.to_string(),
            s.body_lines.to_string(),
            s.listing_chars.to_string(),
        ];
        for c in &s.costs {
            row.push(format!("{:.6}", c.per_1000_activations.usd));
            row.push(format!("{:.6}", c.listing_per_1000_requests.usd));
        }
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}

fn signed(n: i64) -> String {
    match n {
        0 => "0".to_string(),
        n if n > 0 => format!("+{}", thousands(n as u64)),
        n => format!("-{}", thousands(n.unsigned_abs())),
    }
}

/// "812 → 640 (-172)", or "640" when nothing changed.
fn delta(d: Delta) -> String {
    if d.before == d.after {
        thousands(d.after)
    } else {
        format!(
            "{} → {} ({})",
            thousands(d.before),
            thousands(d.after),
            signed(d.change())
        )
    }
}

fn change_word(c: Change) -> &'static str {
    match c {
        Change::Added => "added",
        Change::Removed => "removed",
        Change::Changed => "changed",
        Change::Unchanged => "unchanged",
    }
}

/// `tokens --compare REF`: the skills that changed, then totals.
pub fn write_compare(
    format: TokensFormat,
    cmp: &Comparison,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let changed: Vec<_> = cmp
        .skills
        .iter()
        .filter(|s| s.change != Change::Unchanged)
        .collect();
    let header = || -> Vec<String> {
        ["skill", "change", "listing", "body", "references"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let total = vec![
        format!("total ({})", skills(cmp.skills.len())),
        String::new(),
        delta(cmp.listing),
        delta(cmp.body),
        delta(cmp.references),
    ];
    let row = |s: &crate::tokens::compare::SkillDelta| {
        vec![
            s.path.clone(),
            change_word(s.change).to_string(),
            delta(s.listing),
            delta(s.body),
            delta(s.references),
        ]
    };
    let summary = format!(
        "always-loaded (listing) tokens: {} since {} ({}); {} of {} changed",
        signed(cmp.always_loaded_increase()),
        cmp.reference,
        cmp.tokenizer,
        changed.len(),
        skills(cmp.skills.len()),
    );
    match format {
        TokensFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, cmp)?;
            writeln!(out)
        }
        TokensFormat::Markdown => {
            writeln!(out, "**skillpress tokens** against `{}`\n", cmp.reference)?;
            let mut rows = vec![header()];
            rows.extend(changed.iter().map(|s| row(s)));
            rows.push(total);
            markdown(&rows, out)?;
            writeln!(out, "\n{summary}.")
        }
        TokensFormat::Table | TokensFormat::Csv => {
            let mut rows = vec![header()];
            rows.extend(changed.iter().map(|s| row(s)));
            rows.push(total);
            columns(&rows, style, out)?;
            writeln!(out)?;
            let line = if cmp.always_loaded_increase() > 0 {
                style.warn(&summary)
            } else {
                style.good(&summary)
            };
            writeln!(out, "{line}")
        }
    }
}

/// `tokens --harness ID`: what the harness's listing shows of each skill.
pub fn write_harness(
    format: TokensFormat,
    listing: &Listing,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let h = listing.harness;
    if format == TokensFormat::Json {
        serde_json::to_writer_pretty(&mut *out, listing)?;
        return writeln!(out);
    }
    let fate = |f: Fate| match f {
        Fate::Listed => "listed",
        Fate::Truncated => "truncated",
        Fate::Dropped => "dropped",
    };
    let mut rows = vec![["skill", "chars", "shown", "fate"]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
    for e in &listing.entries {
        rows.push(vec![
            e.path.clone(),
            thousands(e.chars as u64),
            thousands(e.shown as u64),
            fate(e.fate).to_string(),
        ]);
    }
    if format == TokensFormat::Markdown {
        markdown(&rows, out)?;
    } else {
        // Colour the fate after layout, so escapes do not count as width.
        let mut text = Vec::new();
        columns(&rows, style, &mut text)?;
        let text = String::from_utf8_lossy(&text);
        for (i, line) in text.lines().enumerate() {
            let coloured = match listing.entries.get(i.wrapping_sub(1)).map(|e| e.fate) {
                Some(Fate::Dropped) if i > 0 => style.bad(line),
                Some(Fate::Truncated) if i > 0 => style.warn(line),
                _ => line.to_string(),
            };
            writeln!(out, "{coloured}")?;
        }
    }
    let budget = match listing.context {
        Some(ctx) => format!(
            "{}{} characters ({}% of a {}-token context at {} characters a token{})",
            if listing.budget_estimate { "≈" } else { "" },
            thousands(listing.budget_chars as u64),
            h.budget_share * 100.0,
            thousands(ctx),
            h.chars_per_token,
            if h.chars_per_token_estimate {
                ", an estimate"
            } else {
                ""
            }
        ),
        None => format!(
            "{} characters (the documented fallback; pass --context TOKENS for your window)",
            thousands(listing.budget_chars as u64)
        ),
    };
    writeln!(out)?;
    writeln!(
        out,
        "{}: {} listed, {} truncated at {} characters, {} dropped; {} of {budget} used",
        h.name,
        listing.count(Fate::Listed),
        listing.count(Fate::Truncated),
        thousands(h.per_skill_chars as u64),
        listing.count(Fate::Dropped),
        thousands(listing.used_chars as u64),
    )?;
    let mut notes = Vec::new();
    if h.order_estimate {
        notes.push(format!("estimate: {}", h.order_note));
    }
    notes.push(format!(
        "harness rules of {} (data/harness.toml); it reads {}",
        listing.date,
        h.folders.join(", ")
    ));
    for n in notes {
        writeln!(out, "{}", style.note(&n))?;
    }
    Ok(())
}
