//! A progress bar on stderr for long runs (skills done of total, rate, time left), shown
//! only when stderr is a terminal, `CI` is unset and the caller allows it, and only once a
//! run has taken over a second, so short runs and pipes see nothing.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs shorter than this never draw a bar.
const DELAY: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
}

impl Progress {
    /// A bar over `total` items, drawn only if `allowed` (e.g. not for `--format json`)
    /// and stderr is a terminal outside CI.
    pub fn new(total: usize, what: &'static str, allowed: bool) -> Progress {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        let on = allowed && !ci && std::io::stderr().is_terminal() && total > 0;
        Progress {
            bar: on.then(|| bar(total as u64, what)),
            started: Instant::now(),
            shown: false,
        }
    }

    /// A bar that never draws.
    pub fn hidden() -> Progress {
        Progress {
            bar: None,
            started: Instant::now(),
            shown: false,
        }
    }

    /// Counts `n` more items done.
    pub fn inc(&mut self, n: u64) {
        let Some(bar) = &self.bar else { return };
        bar.inc(n);
        if !self.shown && self.started.elapsed() >= DELAY {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    /// Clears the bar, leaving the terminal as it was.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

fn bar(total: u64, what: &'static str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    let template = format!("{{bar:40}} {{pos}}/{{len}} {what} · {{per_sec}} · {{eta}} left");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}
