//! Start-up cost of the tokenizers: `cargo run --release --example load_time`.
//! Compares tiktoken-rs's vocabulary parse with skillpress's compile-time tables.
use std::time::Instant;

fn main() {
    let t = Instant::now();
    let bpe = tiktoken_rs::o200k_base().expect("o200k");
    let parse = t.elapsed();
    let n = bpe.encode_ordinary("hello world").len();
    let t = Instant::now();
    let ours = skillpress::tokens::bpe::O200K.count("hello world");
    let tables = t.elapsed();
    println!("tiktoken-rs o200k_base(): {parse:?} ({n} tokens); skillpress o200k first count: {tables:?} ({ours} tokens)");
}
