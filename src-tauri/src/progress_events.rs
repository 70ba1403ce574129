//! Long work reported to the window as it goes: each step, and counts within it, as `progress`
//! events (at most ten a second), for a progress bar saying what is being done. The window's
//! Cancel sets a flag here; the core stops at its next safe point (an import before it commits).

use std::cell::Cell;
use std::time::{Duration, Instant};

use hearth_core::sync::{Progress, ProgressStep};
use serde::Serialize;
use tauri::{AppHandle, Emitter};

use crate::state::AppState;

/// The event the window hears while long work runs.
pub const PROGRESS_EVENT: &str = "progress";

/// How often counts are sent at most.
const EVERY: Duration = Duration::from_millis(100);

/// Which long work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "LongWork.ts"))]
pub enum LongWork {
    /// Writing a bundle.
    Export,
    /// Checking a bundle and working out what importing it would change.
    Preview,
    /// Importing a bundle.
    Import,
}

/// One report, as the window receives it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ProgressReport.ts"))]
pub struct ProgressReport {
    /// The work.
    pub work: LongWork,
    /// Its step.
    pub step: ProgressStep,
    /// Units of the step done.
    #[cfg_attr(test, ts(type = "number"))]
    pub done: u64,
    /// Units the step has; 0 when it is not counted.
    #[cfg_attr(test, ts(type = "number"))]
    pub total: u64,
}

/// Reports one run of long work to the main window.
#[derive(Debug)]
pub struct ProgressEvents<'a> {
    app: &'a AppHandle,
    state: &'a AppState,
    work: LongWork,
    step: Cell<ProgressStep>,
    total: Cell<u64>,
    last_sent: Cell<Option<Instant>>,
}

impl<'a> ProgressEvents<'a> {
    /// Reports for `work`, starting with no cancellation asked for.
    pub fn new(app: &'a AppHandle, state: &'a AppState, work: LongWork) -> Self {
        state.clear_cancellation();
        Self {
            app,
            state,
            work,
            step: Cell::new(ProgressStep::Checking),
            total: Cell::new(0),
            last_sent: Cell::new(None),
        }
    }

    fn send(&self, done: u64) {
        let report = ProgressReport {
            work: self.work,
            step: self.step.get(),
            done,
            total: self.total.get(),
        };
        // A window that cannot hear it just shows no counts.
        let _ = self.app.emit_to(crate::MAIN_WINDOW, PROGRESS_EVENT, report);
        self.last_sent.set(Some(Instant::now()));
    }
}

impl Progress for ProgressEvents<'_> {
    fn step(&self, step: ProgressStep, total: u64) {
        self.step.set(step);
        self.total.set(total);
        self.send(0);
    }

    fn advance(&self, done: u64) -> bool {
        let due = self
            .last_sent
            .get()
            .is_none_or(|sent| sent.elapsed() >= EVERY);
        if due {
            self.send(done);
        }
        !self.state.cancellation_asked()
    }
}
