//! The audit as one self-contained HTML page: inline CSS and SVG charts drawn here, no
//! script, font or image from anywhere else, so it opens offline from `file://` and
//! prints. Reads only the report.

use std::fmt::Write as _;
use std::io::Write;

use super::report::{Figure, Report};
use super::stats::Bucket;
use crate::tokens::thousands;

const CSS: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2430;max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:2px solid #e3e7ee;padding-bottom:4px}
p.sub{color:#586174;margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px}
.card{border:1px solid #d9dee7;border-radius:8px;padding:12px 14px;background:#f8fafc}
.card .v{font-size:28px;font-weight:700}.card .k{color:#586174;font-size:13px}
.card .s{font-size:13px;color:#7a4b00}
table{border-collapse:collapse;width:100%;font-size:14px;margin:6px 0}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e3e7ee;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:13px;background:#eef1f6;padding:0 3px;border-radius:3px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
figure{margin:0}figcaption{font-size:13px;color:#586174}
svg text{font:11px system-ui,sans-serif;fill:#1d2430}
.path{color:#586174;font-size:12px;word-break:break-all}
@media print{body{padding:0;font-size:12px}h2{break-after:avoid}table,figure,.card{break-inside:avoid}}
";

/// Label colours, in `Label::ALL` order.
const COLOURS: [&str; 5] = ["#2f6fdb", "#e3a008", "#2e9e5b", "#9b59b6", "#c0392b"];

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn pct(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

fn bucket_label(b: &Bucket) -> String {
    let short = |v: u64| {
        if v >= 1_000_000 {
            format!("{}M", v / 1_000_000)
        } else if v >= 1000 {
            format!("{}k", v / 1000)
        } else {
            v.to_string()
        }
    };
    if b.hi - b.lo <= 1 {
        short(b.lo)
    } else {
        format!("{}-{}", short(b.lo), short(b.hi - 1))
    }
}

/// A bar chart of a log-bucket histogram.
fn histogram_svg(buckets: &[Bucket], title: &str) -> String {
    let (w, h, left, bottom, top) = (480.0, 200.0, 40.0, 46.0, 10.0);
    let max = buckets.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let n = buckets.len().max(1) as f64;
    let slot = (w - left - 6.0) / n;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"{}\">",
        esc(title)
    );
    let base = h - bottom;
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#8892a6\"/>",
        w - 6.0
    );
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><text x=\"{}\" y=\"{base}\" text-anchor=\"end\">0</text>",
        left - 4.0,
        top + 8.0,
        thousands(max as u64),
        left - 4.0
    );
    for (i, b) in buckets.iter().enumerate() {
        let bh = (base - top) * b.count as f64 / max;
        let x = left + i as f64 * slot;
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#2f6fdb\"><title>{} tokens: {} skills</title></rect>",
            x + 1.0,
            base - bh,
            (slot - 2.0).max(1.0),
            bh,
            bucket_label(b),
            thousands(b.count)
        );
        // Label every other bucket when they are many, so labels do not overlap.
        if buckets.len() <= 12 || i % 2 == 0 {
            let (lx, ly) = (x + slot / 2.0, base + 10.0);
            let _ = write!(
                s,
                "<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"end\" transform=\"rotate(-45 {lx:.1} {ly:.1})\">{}</text>",
                bucket_label(b)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Two stacked bars: this registry's label shares over the study's.
fn labels_svg(r: &Report) -> String {
    let (w, left) = (760.0, 120.0);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg viewBox=\"0 0 {w} 120\" width=\"100%\" role=\"img\" aria-label=\"body tokens by label\">"
    );
    let rows: [(&str, Vec<f64>); 2] = [
        (
            "this registry",
            r.labels.iter().iter().map(|(_, l)| l.share).collect(),
        ),
        (
            "study",
            r.labels.iter().iter().map(|(_, l)| l.study_share).collect(),
        ),
    ];
    let order: Vec<&str> = r.labels.iter().iter().map(|(n, _)| *n).collect();
    for (row, (name, shares)) in rows.iter().enumerate() {
        let y = 8.0 + row as f64 * 40.0;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{name}</text>",
            left - 6.0,
            y + 19.0
        );
        let mut x = left;
        for (k, label) in order.iter().enumerate() {
            let ci = k;
            let bw = (w - left - 10.0) * shares[k];
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{bw:.1}\" height=\"28\" fill=\"{}\"><title>{}: {}</title></rect>",
                COLOURS[ci],
                label.replace('_', " "),
                pct(shares[k])
            );
            if bw > 34.0 {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" style=\"fill:#fff;font-weight:600\">{}</text>",
                    x + bw / 2.0,
                    y + 18.0,
                    pct(shares[k])
                );
            }
            x += bw;
        }
    }
    let mut x = left;
    for (ci, label) in order.iter().enumerate() {
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"96\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"106\">{}</text>",
            COLOURS[ci],
            x + 16.0,
            label.replace('_', " ")
        );
        x += 120.0;
    }
    s.push_str("</svg>");
    s
}

fn card(s: &mut String, value: &str, key: &str, study: Option<&str>) {
    let _ = write!(
        s,
        "<div class=\"card\"><div class=\"v\">{}</div><div class=\"k\">{}</div>",
        esc(value),
        esc(key)
    );
    if let Some(st) = study {
        let _ = write!(s, "<div class=\"s\">study: {}</div>", esc(st));
    }
    s.push_str("</div>");
}

fn figure_row(s: &mut String, label: &str, f: &Figure) {
    let _ = write!(
        s,
        "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
        esc(label),
        thousands(f.count),
        pct(f.share)
    );
}

/// Renders the page.
pub fn render(r: &Report, title: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body>",
        esc(title)
    );
    let _ = write!(
        s,
        "<h1>{}</h1><p class=\"sub\">{} skills ({} read) &middot; tokens counted with <code>{}</code>{} &middot; {} &middot; compared with {} ({} skills, cl100k)</p>",
        esc(title),
        thousands(r.skills),
        thousands(r.loaded),
        esc(&r.tokens.tokenizer),
        if r.tokens.estimate { " (estimate)" } else { "" },
        esc(&r.tool),
        esc(&r.study.source),
        thousands(r.study.skills)
    );
    let d = &r.description;
    let core = Some(&r.labels.core_rule);
    s.push_str("<h2>Headline</h2><div class=\"cards\">");
    card(
        &mut s,
        &pct(d.missing.share),
        "skills with no description",
        Some(&pct(r.study.no_description)),
    );
    card(
        &mut s,
        &pct(d.missing_or_under_20_tokens.share),
        "no description or one under 20 tokens",
        Some(&pct(r.study.none_or_under_20_tokens)),
    );
    card(
        &mut s,
        &core.map_or("-".to_string(), |c| pct(c.share)),
        "of body tokens are core rules",
        core.map(|c| pct(c.study_share)).as_deref(),
    );
    card(
        &mut s,
        &pct(r.references.skills_with.share),
        "ship reference files",
        Some(&pct(r.study.with_references)),
    );
    card(
        &mut s,
        &pct(r.reduce.saving),
        &format!(
            "always-loaded tokens reduce would save ({} of {})",
            thousands(r.reduce.before - r.reduce.after.min(r.reduce.before)),
            thousands(r.reduce.before)
        ),
        None,
    );
    let c = &r.collisions;
    card(
        &mut s,
        &pct(Figure::of(c.skills_losing_most, c.skills_with_queries).share),
        &format!(
            "of {} skills with queries lose most of them to another skill",
            thousands(c.skills_with_queries)
        ),
        None,
    );
    s.push_str("</div>");

    s.push_str("<h2>Body tokens by label</h2><figure>");
    s.push_str(&labels_svg(r));
    s.push_str("<figcaption>Share of body tokens per SkillReducer label: this registry (top) and the study (bottom). Only core rules must be in the body; the rest can load on demand.</figcaption></figure>");

    s.push_str("<h2>Tokens per skill, per tier</h2><div class=\"grid\">");
    for (tier, sum, note) in [
        ("listing", &r.tokens.listing, "paid on every request"),
        ("body", &r.tokens.body, "paid each time the skill triggers"),
        (
            "references",
            &r.tokens.references,
            "skills with reference files; paid when read",
        ),
    ] {
        let _ = write!(
            s,
            "<figure>{}<figcaption><b>{tier}</b> ({note}): {} skills, median {}, p90 {}, p99 {}, max {}, total {}</figcaption></figure>",
            histogram_svg(&sum.histogram, tier),
            thousands(sum.skills),
            thousands(sum.median),
            thousands(sum.p90),
            thousands(sum.p99),
            thousands(sum.max),
            thousands(sum.total)
        );
    }
    s.push_str("</div>");

    s.push_str("<h2>Description problems</h2><table><tr><th>problem</th><th class=\"n\">skills</th><th class=\"n\">share</th></tr>");
    for (label, f) in [
        ("missing or empty", &d.missing),
        ("under 20 tokens", &d.under_20_tokens),
        ("no trigger clause (U002)", &d.no_trigger),
        ("placeholder text (U001)", &d.placeholder),
        ("over 1,024 characters", &d.over_1024_chars),
        ("over the 1,536-character listing cap", &d.over_listing_cap),
        (
            "near-duplicate of another skill's (U005)",
            &d.near_duplicates,
        ),
    ] {
        figure_row(&mut s, label, f);
    }
    for (kind, f) in &r.failures {
        figure_row(&mut s, &format!("manifest: {}", kind.replace('_', " ")), f);
    }
    s.push_str("</table>");

    if !r.tokens.costs.is_empty() {
        let _ = write!(
            s,
            "<h2>What it costs</h2><table><tr><th>model (prices of {})</th><th class=\"n\">all listings &times; 1,000 requests</th><th class=\"n\">each skill activated 1,000 times</th></tr>",
            esc(&r.tokens.prices_date)
        );
        for m in &r.tokens.costs {
            let _ = write!(
                s,
                "<tr><td>{}{}</td><td class=\"n\">${:.2}</td><td class=\"n\">${:.2}</td></tr>",
                esc(&m.model),
                if m.estimate { " (estimate)" } else { "" },
                m.all_listings_per_1000_requests.usd,
                m.activations_per_1000_each.usd
            );
        }
        s.push_str("</table>");
    }

    s.push_str("<h2>Top rules</h2><table><tr><th>rule</th><th>severity</th><th class=\"n\">skills</th><th class=\"n\">share</th><th class=\"n\">findings</th></tr>");
    let mut rules: Vec<_> = r.rules.iter().collect();
    rules.sort_by(|a, b| b.1.skills.count.cmp(&a.1.skills.count).then(a.0.cmp(b.0)));
    for (code, h) in rules.iter().take(15) {
        let _ = write!(
            s,
            "<tr><td><code>{}</code> {}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(code),
            esc(&h.name),
            esc(&h.severity),
            thousands(h.skills.count),
            pct(h.skills.share),
            thousands(h.findings)
        );
    }
    s.push_str("</table>");

    s.push_str("<h2>Heaviest skills</h2><table><tr><th>skill</th><th class=\"n\">listing + body</th><th class=\"n\">body</th><th class=\"n\">references</th></tr>");
    for h in &r.heaviest {
        let _ = write!(
            s,
            "<tr><td>{}<div class=\"path\">{}</div></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&h.name),
            esc(&h.path),
            thousands(h.always_loaded),
            thousands(h.body),
            thousands(h.references)
        );
    }
    s.push_str("</table>");

    let _ = write!(
        s,
        "<h2>Largest savings from reduce</h2><p>Simulated on {} of {} skills{}, nothing written; o200k tokens of listing plus body: {} &rarr; {} ({} saved), about {} tokens over the whole tree.</p><table><tr><th>skill</th><th class=\"n\">before</th><th class=\"n\">after</th><th class=\"n\">saved</th></tr>",
        thousands(r.reduce.sampled),
        thousands(r.loaded),
        if r.reduce.every > 1 {
            format!(" (every {}th)", r.reduce.every)
        } else {
            String::new()
        },
        thousands(r.reduce.before),
        thousands(r.reduce.after),
        pct(r.reduce.saving),
        thousands(r.reduce.registry_saving_estimate)
    );
    for v in &r.reduce.largest_savings {
        let _ = write!(
            s,
            "<tr><td>{}<div class=\"path\">{}</div></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&v.name),
            esc(&v.path),
            thousands(v.before),
            thousands(v.after),
            pct(v.saving)
        );
    }
    s.push_str("</table>");

    let _ = write!(
        s,
        "<h2>Routing collisions</h2><p>Queries from each skill's own body (its &ldquo;When to use&rdquo; section, &ldquo;Use this skill when&hellip;&rdquo; sentences, headings), routed by BM25 over every description. {} of {} queries go first to another skill; {} skills lose at least one, {} lose most of theirs.</p><table><tr><th>skill</th><th>loses</th><th>to</th></tr>",
        thousands(c.queries_lost),
        thousands(c.queries),
        thousands(c.skills_losing_any),
        thousands(c.skills_losing_most)
    );
    for p in &c.worst_pairs {
        let _ = write!(
            s,
            "<tr><td><code>{}</code><div class=\"path\">{}</div></td><td>{} of {} queries</td><td><code>{}</code><div class=\"path\">{}</div></td></tr>",
            esc(&p.skill),
            esc(&p.skill_path),
            p.lost,
            p.of,
            esc(&p.winner),
            esc(&p.winner_path)
        );
    }
    s.push_str("</table></body></html>\n");
    s
}

pub fn write(r: &Report, title: &str, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(render(r, title).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_skills_is_escaped() {
        assert_eq!(
            esc("<script>a & 'b'</script>"),
            "&lt;script&gt;a &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn histogram_has_a_bar_per_bucket() {
        let b = vec![
            Bucket {
                lo: 0,
                hi: 1,
                count: 2,
            },
            Bucket {
                lo: 1,
                hi: 2,
                count: 0,
            },
            Bucket {
                lo: 2,
                hi: 4,
                count: 5,
            },
        ];
        let svg = histogram_svg(&b, "body");
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("2-3 tokens: 5 skills"), "{svg}");
    }
}
