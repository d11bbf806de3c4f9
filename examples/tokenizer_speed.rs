//! Exact tokenizer throughput on one core: `scripts/tokenizer-speed.sh [CORPUS]`.
//! Reads every text file of every skill under CORPUS into memory, then counts it with
//! skillpress's o200k and cl100k and with tiktoken-rs's `encode_ordinary`, on this thread
//! only, checking that the counts agree.
use std::path::PathBuf;
use std::time::Instant;

use skillpress::tokens::bpe;

fn main() {
    let corpus = PathBuf::from(std::env::args().nth(1).unwrap_or("../shared/corpus".into()));
    let found =
        skillpress::discover::discover(std::slice::from_ref(&corpus), &globset::GlobSet::empty())
            .expect("corpus");
    let mut texts = Vec::new();
    for dir in &found.skills {
        if let Ok(skill) = skillpress::skill::Skill::load(dir) {
            texts.push(skill.text.clone());
            texts.extend(skill.files.iter().filter_map(|f| f.text.clone()));
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "{}: {} skills, {} texts, {mb:.1} MB; one thread",
        corpus.display(),
        found.skills.len(),
        texts.len()
    );
    let time = |name: &str, f: &dyn Fn(&str) -> usize| {
        // Two passes: the first warms caches the way a long run would.
        let mut total = 0;
        let (mut secs, mut cpu) = (0.0, 0.0);
        for _ in 0..2 {
            let (t, c) = (Instant::now(), thread_cpu_seconds());
            total = texts.iter().map(|s| f(s)).sum::<usize>();
            secs = t.elapsed().as_secs_f64();
            cpu = thread_cpu_seconds() - c;
        }
        println!(
            "{name:>18}: {total} tokens; wall {secs:.2} s ({:.1} MB/s); this thread's CPU {cpu:.2} s ({:.1} MB/s per core)",
            mb / secs,
            mb / cpu.max(0.01)
        );
        total
    };
    let ours = time("skillpress o200k", &|s| bpe::O200K.count(s));
    time("skillpress cl100k", &|s| bpe::CL100K.count(s));
    let tk = tiktoken_rs::o200k_base().expect("o200k");
    let theirs = time("tiktoken-rs o200k", &|s| tk.encode_ordinary(s).len());
    assert_eq!(ours, theirs, "o200k counts differ from tiktoken-rs");
}

/// CPU time this thread has used (user + system), from /proc: on a loaded machine wall
/// time measures the other processes too. Clock ticks are 1/100 s on Linux.
fn thread_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (tick(11) + tick(12)) / 100.0
}
