//! Long exports and imports on a terminal: a bar on stderr (nothing when stderr is not a
//! terminal, so that scripts read only the summary), and Ctrl-C asks the work to stop at its
//! next safe point instead of killing the process halfway through a file.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use hearth_core::sync::{Progress, ProgressStep};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress of one long operation, shown on the terminal.
pub struct TerminalProgress {
    bar: ProgressBar,
    stop: Arc<AtomicBool>,
}

impl TerminalProgress {
    /// A bar on stderr if it is a terminal; Ctrl-C stops the work (once the handler is in place:
    /// a CLI run does one long operation).
    pub fn new() -> TerminalProgress {
        let bar = if std::io::stderr().is_terminal() {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        // A second handler cannot be set; the first one stays, and it stops only this work.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
        TerminalProgress { bar, stop }
    }

    /// Says which of several files the bar is about (`[3/50] tirana-12.hearth`).
    pub fn set_prefix(&self, prefix: &str) {
        self.bar.set_prefix(prefix.to_owned());
    }

    /// Whether the person pressed Ctrl-C.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

impl Progress for TerminalProgress {
    fn step(&self, step: ProgressStep, total: u64) {
        let message = match step {
            ProgressStep::Checking => "Checking the bundle",
            ProgressStep::Applying => "Applying changes",
            ProgressStep::Preparing => "Gathering what the bundle carries",
            ProgressStep::Writing => "Writing changes",
        };
        let style = if total > 0 {
            ProgressStyle::with_template("{prefix} {msg:34} [{bar:30}] {pos}/{len} ({eta} left)")
        } else {
            ProgressStyle::with_template("{prefix} {msg:34} {spinner}")
        };
        if let Ok(style) = style {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_message(message);
        self.bar.set_length(total);
        self.bar.set_position(0);
    }

    fn advance(&self, done: u64) -> bool {
        self.bar.set_position(done);
        !self.stopped()
    }
}

impl Drop for TerminalProgress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
