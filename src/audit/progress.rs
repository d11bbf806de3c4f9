//! The progress bar on stderr for long audits: shown only when stderr is a terminal and
//! the run is long enough to need one.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Below this many skills a run takes a moment; no bar.
const MIN_SKILLS: u64 = 500;

pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    /// A bar on stderr when stderr is a terminal; otherwise one that draws nothing.
    pub fn for_stderr() -> Bar {
        Bar {
            bar: std::io::stderr().is_terminal().then(|| {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                bar.set_style(
                    ProgressStyle::with_template(
                        "{spinner} {msg} [{bar:40}] {pos}/{len} skills ({per_sec}, {eta} left)",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                bar.set_message("auditing");
                bar
            }),
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl super::Progress for Bar {
    fn start(&self, skills: u64) {
        if let Some(b) = &self.bar {
            if skills < MIN_SKILLS {
                b.set_draw_target(ProgressDrawTarget::hidden());
            }
            b.set_length(skills);
        }
    }

    fn skill_done(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    fn cross_skill(&self) {
        if let Some(b) = &self.bar {
            b.set_message("routing");
            b.tick();
        }
    }
}
