//! The terminal summary of an audit: the headline figures beside the study's, then what
//! to fix first. Plain text, fixed-width columns, no colour.

use std::io::Write;

use super::report::{Figure, Report};
use crate::tokens::thousands;

fn pct(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

fn fig(f: &Figure) -> String {
    format!("{:>7} {:>7}", pct(f.share), thousands(f.count))
}

pub fn write(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "skillpress audit: {} skills ({} read), tokens in {}{}",
        thousands(r.skills),
        thousands(r.loaded),
        r.tokens.tokenizer,
        if r.tokens.estimate { " (estimate)" } else { "" }
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<44} {:>15}   study ({} skills)",
        "headline",
        "this registry",
        thousands(r.study.skills)
    )?;
    let d = &r.description;
    let rows: Vec<(&str, String, String)> = vec![
        (
            "no description",
            fig(&d.missing),
            pct(r.study.no_description),
        ),
        (
            "no description or under 20 tokens",
            fig(&d.missing_or_under_20_tokens),
            pct(r.study.none_or_under_20_tokens),
        ),
        (
            "ship reference files",
            fig(&r.references.skills_with),
            pct(r.study.with_references),
        ),
    ];
    for (label, ours, study) in rows {
        writeln!(out, "{label:<44} {ours:>15}   {study}")?;
    }
    for (label, share) in r.labels.iter() {
        writeln!(
            out,
            "{:<44} {:>7}           {}",
            format!("body tokens: {}", label.replace('_', " ")),
            pct(share.share),
            pct(share.study_share)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "descriptions")?;
    for (label, f) in [
        ("missing or empty", &d.missing),
        ("under 20 tokens", &d.under_20_tokens),
        ("no trigger clause (U002)", &d.no_trigger),
        ("placeholder text (U001)", &d.placeholder),
        ("over 1,024 characters", &d.over_1024_chars),
        ("over the 1,536-character listing cap", &d.over_listing_cap),
        ("near-duplicate of another (U005)", &d.near_duplicates),
    ] {
        writeln!(out, "  {label:<42} {}", fig(f))?;
    }
    if !r.failures.is_empty() {
        writeln!(out)?;
        writeln!(out, "load and parse failures")?;
        for (kind, f) in &r.failures {
            writeln!(out, "  {:<42} {}", kind.replace('_', " "), fig(f))?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "tokens per skill ({})   {:>10} {:>8} {:>8} {:>8} {:>9}",
        r.tokens.tokenizer, "total", "median", "p90", "p99", "max"
    )?;
    for (tier, s) in [
        ("listing", &r.tokens.listing),
        ("body", &r.tokens.body),
        ("references", &r.tokens.references),
    ] {
        writeln!(
            out,
            "  {:<22} {:>10} {:>8} {:>8} {:>8} {:>9}",
            format!("{tier} ({} skills)", thousands(s.skills)),
            thousands(s.total),
            thousands(s.median),
            thousands(s.p90),
            thousands(s.p99),
            thousands(s.max)
        )?;
    }
    if !r.tokens.costs.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "cost in USD (prices of {}){:>17} {:>22}",
            r.tokens.prices_date, "all listings", "each skill activated"
        )?;
        writeln!(out, "{:>46} {:>22}", "x 1,000 requests", "1,000 times")?;
        for c in &r.tokens.costs {
            writeln!(
                out,
                "  {:<30} {:>13.2} {:>22.2}{}",
                c.model,
                c.all_listings_per_1000_requests.usd,
                c.activations_per_1000_each.usd,
                if c.estimate { "  (estimate)" } else { "" }
            )?;
        }
    }
    writeln!(out)?;
    let sample = if r.reduce.every > 1 {
        format!(
            "on {} of {} skills (every {}th)",
            thousands(r.reduce.sampled),
            thousands(r.loaded),
            r.reduce.every
        )
    } else {
        format!("on all {} skills", thousands(r.reduce.sampled))
    };
    writeln!(
        out,
        "reduce (simulated {sample}, o200k): {} -> {} always-loaded tokens, {} saved; about {} tokens over the whole tree",
        thousands(r.reduce.before),
        thousands(r.reduce.after),
        pct(r.reduce.saving),
        thousands(r.reduce.registry_saving_estimate)
    )?;
    for s in &r.reduce.largest_savings {
        writeln!(
            out,
            "  {:<40} {:>8} -> {:>8}  ({} saved)",
            s.name,
            thousands(s.before),
            thousands(s.after),
            pct(s.saving)
        )?;
    }
    writeln!(out)?;
    let mut rules: Vec<_> = r.rules.iter().collect();
    rules.sort_by(|a, b| b.1.skills.count.cmp(&a.1.skills.count).then(a.0.cmp(b.0)));
    writeln!(out, "rules by skills affected")?;
    for (code, h) in rules.iter().take(10) {
        writeln!(
            out,
            "  {code} {:<32} {}  ({} findings)",
            h.name,
            fig(&h.skills),
            thousands(h.findings)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "heaviest skills (listing + body tokens)")?;
    for h in &r.heaviest {
        writeln!(
            out,
            "  {:<40} {:>9}  ({})",
            h.name,
            thousands(h.always_loaded),
            h.path
        )?;
    }
    let c = &r.collisions;
    writeln!(out)?;
    writeln!(
        out,
        "routing collisions: {} of {} skills with queries lose most of them to another skill ({}); {} lose at least one",
        thousands(c.skills_losing_most),
        thousands(c.skills_with_queries),
        pct(Figure::of(c.skills_losing_most, c.skills_with_queries).share),
        thousands(c.skills_losing_any)
    )?;
    for p in &c.worst_pairs {
        writeln!(
            out,
            "  `{}` loses {} of {} of its queries to `{}`",
            p.skill, p.lost, p.of, p.winner
        )?;
    }
    Ok(())
}
