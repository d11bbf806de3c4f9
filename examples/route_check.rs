//! The routing check of reduce, offline: queries taken from the ORIGINAL bodies of the
//! skills under ORIG_ROOT (their "When to use" sections and "Use this skill when ..."
//! sentences), routed by BM25 over every skill's name and description, first as they
//! were, then as reduced under REDUCED_ROOT (same relative paths; a skill missing there
//! was not rewritten and keeps its original description). Prints top-1 and top-3 hit
//! rates before and after; exits 1 when reduce lowers either.
//!
//! Usage: cargo run --release --example route_check -- ORIG_ROOT REDUCED_ROOT

use std::path::PathBuf;
use std::process::ExitCode;

use skillpress::routing::{document, hits, queries, Router};
use skillpress::skill::Skill;

/// Queries taken per skill, at most.
const QUERIES_PER_SKILL: usize = 5;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [orig_root, reduced_root] = args.as_slice() else {
        eprintln!("usage: route_check ORIG_ROOT REDUCED_ROOT");
        return ExitCode::from(2);
    };
    let found = match skillpress::discover::discover(
        std::slice::from_ref(orig_root),
        &globset::GlobSet::empty(),
    ) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut before = Router::new();
    let mut after = Router::new();
    let mut asked: Vec<(usize, String)> = Vec::new();
    let mut rewritten = 0;
    for dir in &found.skills {
        let Ok(original) = Skill::load(dir) else {
            eprintln!("{}: not readable, left out", dir.display());
            continue;
        };
        let id = before.add(&document(&original));
        let reduced = dir
            .strip_prefix(orig_root)
            .ok()
            .map(|rel| reduced_root.join(rel))
            .filter(|d| d.is_dir())
            .and_then(|d| Skill::load(&d).ok());
        if reduced.is_some() {
            rewritten += 1;
        }
        after.add(&document(reduced.as_ref().unwrap_or(&original)));
        for q in queries(&original, false, QUERIES_PER_SKILL) {
            asked.push((id, q));
        }
    }
    let (b1, b3) = hits(&before, &asked);
    let (a1, a3) = hits(&after, &asked);
    let pct = |n: usize| 100.0 * n as f64 / asked.len().max(1) as f64;
    println!(
        "routing: {} skills ({} rewritten), {} queries from their bodies; top-1 {:.1}% -> {:.1}%, top-3 {:.1}% -> {:.1}%",
        found.skills.len(),
        rewritten,
        asked.len(),
        pct(b1),
        pct(a1),
        pct(b3),
        pct(a3)
    );
    if a1 < b1 || a3 < b3 {
        println!("FAIL: reduce lowers the routing hit rates");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
