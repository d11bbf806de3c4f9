//! `skillpress tokens` output: a text table, JSON or CSV from a `TokensReport`. Estimates
//! are marked wherever they appear: `≈` before the number in the table with a footnote
//! giving the factor, its range and the data's date; `estimate` fields with low and high
//! in JSON; an `estimate` column in CSV.

use std::io::{self, Write};

use serde_json::json;

use crate::tokens::report::{ModelCost, SkillTokens, TokensReport};
use crate::tokens::{estimate, prices, thousands, Count};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TokensFormat {
    Table,
    Json,
    Csv,
}

pub fn write(format: TokensFormat, report: &TokensReport, out: &mut dyn Write) -> io::Result<()> {
    match format {
        TokensFormat::Table => table(report, out),
        TokensFormat::Json => {
            let streamed = Streamed {
                head: to_json(report),
                report,
            };
            serde_json::to_writer_pretty(&mut *out, &streamed)?;
            writeln!(out)
        }
        TokensFormat::Csv => csv(report, out),
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

/// Writes rows as aligned columns: the first left-aligned, the rest right-aligned.
fn columns(rows: &[Vec<String>], out: &mut dyn Write) -> io::Result<()> {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            if i == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn table(report: &TokensReport, out: &mut dyn Write) -> io::Result<()> {
    let mut header: Vec<String> = [
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
    .collect();
    header.extend(report.models.iter().map(|m| format!("{} $/1k act.", m.id)));
    let mut rows = vec![header];
    for s in &report.skills {
        rows.push(skill_row(s));
    }
    let t = &report.totals;
    let mut total_row = vec![
        format!("total ({})", skills(report.measured)),
        count(t.listing),
        count(t.body),
        count(t.references),
        count(t.other),
        count(t.scripts),
        count(t.total),
    ];
    total_row.extend(t.costs.iter().map(|c| cost(c, activation)));
    rows.push(total_row);
    columns(&rows, out)?;

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
        columns(&rows, out)?;
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
    let mut row = vec![
        s.path.clone(),
        count(s.listing),
        count(s.body),
        count(s.references),
        count(s.other),
        count(s.scripts),
        count(s.total()),
    ];
    row.extend(s.costs.iter().map(|c| cost(c, activation)));
    row
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

/// The report's JSON with each skill's object built only as it is written: a JSON tree of
/// 60,000 skills took 2 GB, the skills themselves a twentieth of that.
struct Streamed<'r> {
    /// Everything but the skills, whose key holds a placeholder.
    head: serde_json::Value,
    report: &'r TokensReport,
}

impl serde::Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let empty = serde_json::Map::new();
        let head = self.head.as_object().unwrap_or(&empty);
        let mut map = ser.serialize_map(Some(head.len()))?;
        for (key, value) in head {
            if key == "skills" {
                map.serialize_entry(key, &SkillsJson(self.report))?;
            } else {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

struct SkillsJson<'r>(&'r TokensReport);

impl serde::Serialize for SkillsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_seq(self.0.skills.iter().map(skill_json))
    }
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
