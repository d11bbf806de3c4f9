//! The reduce report: per skill, tokens before and after, what moved where, what was
//! dropped, and the checks' result; then totals with mean and median savings.

use std::io::{self, Write};

use crate::reduce::{Outcome, Report};

fn pct(before: usize, after: usize) -> String {
    if before == 0 {
        return "n/a".into();
    }
    let change = (after as f64 - before as f64) / before as f64 * 100.0;
    format!("{change:+.0}%")
}

/// Mean and median of the per-skill relative reductions, in percent.
pub fn mean_median(values: &mut [f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let mid = values.len() / 2;
    let median = if values.len() % 2 == 0 {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    };
    (mean * 100.0, median * 100.0)
}

pub struct Totals {
    pub skills: usize,
    pub reduced: usize,
    pub unchanged: usize,
    pub declined: usize,
    pub unfaithful: usize,
    pub always_before: usize,
    pub always_after: usize,
    pub always_mean: f64,
    pub always_median: f64,
    pub description_mean: f64,
    pub description_median: f64,
    pub body_mean: f64,
    pub body_median: f64,
}

pub fn totals(reports: &[Report]) -> Totals {
    let reduced: Vec<&Report> = reports
        .iter()
        .filter(|r| r.outcome == Outcome::Reduced)
        .collect();
    let rel = |b: usize, a: usize| {
        if b == 0 {
            0.0
        } else {
            1.0 - a as f64 / b as f64
        }
    };
    let mut always: Vec<f64> = reduced
        .iter()
        .map(|r| rel(r.always_loaded_before(), r.always_loaded_after()))
        .collect();
    let mut desc: Vec<f64> = reduced
        .iter()
        .filter(|r| r.description_before > 0)
        .map(|r| rel(r.description_before, r.description_after))
        .collect();
    let mut body: Vec<f64> = reduced
        .iter()
        .map(|r| rel(r.body_before, r.body_after))
        .collect();
    let (always_mean, always_median) = mean_median(&mut always);
    let (description_mean, description_median) = mean_median(&mut desc);
    let (body_mean, body_median) = mean_median(&mut body);
    Totals {
        skills: reports.len(),
        reduced: reduced.len(),
        unchanged: reports
            .iter()
            .filter(|r| r.outcome == Outcome::Unchanged)
            .count(),
        declined: reports
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Declined { .. }))
            .count(),
        unfaithful: reports
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Unfaithful { .. }))
            .count(),
        always_before: reduced.iter().map(|r| r.always_loaded_before()).sum(),
        always_after: reduced.iter().map(|r| r.always_loaded_after()).sum(),
        always_mean,
        always_median,
        description_mean,
        description_median,
        body_mean,
        body_median,
    }
}

/// The report as text. `wrote` says whether the run wrote its plans: when it did not
/// (no mode, `--check`), a skill that passed is one that *would* be reduced.
pub fn write_text(reports: &[Report], wrote: bool, out: &mut dyn Write) -> io::Result<()> {
    let verb = if wrote { "reduced" } else { "would reduce" };
    for r in reports {
        match &r.outcome {
            Outcome::Reduced => {
                writeln!(
                    out,
                    "{}: {verb}; always loaded {} → {} tokens ({}): listing {} → {}, body {} → {}; references {} → {}",
                    r.skill,
                    r.always_loaded_before(),
                    r.always_loaded_after(),
                    pct(r.always_loaded_before(), r.always_loaded_after()),
                    r.listing_before,
                    r.listing_after,
                    r.body_before,
                    r.body_after,
                    r.references_before,
                    r.references_after
                )?;
                writeln!(
                    out,
                    "  description: {:?} ({} → {} tokens)",
                    r.description, r.description_before, r.description_after
                )?;
                for m in &r.moved {
                    writeln!(
                        out,
                        "  moved {} block(s), {} tokens → {}",
                        m.blocks, m.tokens, m.file
                    )?;
                }
                for d in &r.dropped {
                    writeln!(
                        out,
                        "  dropped lines {}-{}: an exact repeat of line {}",
                        d.lines.0, d.lines.1, d.repeats_line
                    )?;
                }
                for f in &r.removed_references {
                    writeln!(out, "  removed {f}: what was left of it repeats the body")?;
                }
            }
            Outcome::Unchanged => writeln!(out, "{}: unchanged, nothing to move", r.skill)?,
            Outcome::Declined { reason } => writeln!(out, "{}: declined: {reason}", r.skill)?,
            Outcome::Unfaithful { missing } => {
                writeln!(
                    out,
                    "{}: not written: the result would lose {} item(s):",
                    r.skill,
                    missing.len()
                )?;
                for f in missing.iter().take(10) {
                    let text: String = f.text.chars().take(80).collect();
                    writeln!(out, "    {:?}: {text}", f.kind)?;
                }
            }
        }
    }
    let t = totals(reports);
    writeln!(
        out,
        "\n{} skills: {} {}, {} unchanged, {} declined, {} not written (would lose content)",
        t.skills,
        t.reduced,
        if wrote { "reduced" } else { "would be reduced" },
        t.unchanged,
        t.declined,
        t.unfaithful
    )?;
    if t.reduced > 0 {
        writeln!(
            out,
            "always-loaded tokens of reduced skills: {} → {} ({}); per skill reduction mean {:.1}%, median {:.1}%; body mean {:.1}%, median {:.1}%; description mean {:.1}%, median {:.1}%",
            t.always_before,
            t.always_after,
            pct(t.always_before, t.always_after),
            t.always_mean,
            t.always_median,
            t.body_mean,
            t.body_median,
            t.description_mean,
            t.description_median
        )?;
    }
    Ok(())
}

/// The report as JSON; `written` says whether the plans were written.
pub fn write_json(reports: &[Report], wrote: bool, out: &mut dyn Write) -> io::Result<()> {
    let t = totals(reports);
    let doc = serde_json::json!({
        "version": 1,
        "written": wrote,
        "skills": reports,
        "totals": {
            "skills": t.skills,
            "reduced": t.reduced,
            "unchanged": t.unchanged,
            "declined": t.declined,
            "unfaithful": t.unfaithful,
            "always_loaded_before": t.always_before,
            "always_loaded_after": t.always_after,
            "always_loaded_reduction_mean_pct": t.always_mean,
            "always_loaded_reduction_median_pct": t.always_median,
            "body_reduction_mean_pct": t.body_mean,
            "body_reduction_median_pct": t.body_median,
            "description_reduction_mean_pct": t.description_mean,
            "description_reduction_median_pct": t.description_median,
        }
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_median() {
        let (mean, median) = mean_median(&mut [0.5, 0.1, 0.3]);
        assert!((mean - 30.0).abs() < 1e-9 && (median - 30.0).abs() < 1e-9);
        let (_, median) = mean_median(&mut [0.1, 0.2, 0.3, 0.4]);
        assert!((median - 25.0).abs() < 1e-9);
    }
}
