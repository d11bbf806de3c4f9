//! A progress bar on stderr for long runs (skills done of total, rate, time left), shown
//! only when stderr is a terminal, `CI` is unset and the caller allows it, and only once a
//! run has taken over a second, so short runs and pipes see nothing.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs shorter than this never draw a bar.
const DELAY: Duration = Duration::from_secs(1);

/// Shared by the threads doing the work: every method takes `&self`.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

impl Progress {
    /// A bar counting `what`, drawn only if `allowed` (not for `--format json`, say) and
    /// stderr is a terminal outside CI. `start` gives it its length.
    pub fn new(what: &'static str, allowed: bool) -> Progress {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        let on = allowed && !ci && std::io::stderr().is_terminal();
        Progress {
            bar: on.then(|| bar(what)),
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// A bar that never draws.
    pub fn hidden() -> Progress {
        Progress {
            bar: None,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// The work is known: `total` items.
    pub fn start(&self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
        }
    }

    /// Counts `n` more items done.
    pub fn inc(&self, n: u64) {
        let Some(bar) = &self.bar else { return };
        bar.inc(n);
        if self.started.elapsed() >= DELAY && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
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

fn bar(what: &'static str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
    let template = format!("{{bar:40}} {{pos}}/{{len}} {what} · {{per_sec}} · {{eta}} left");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}
