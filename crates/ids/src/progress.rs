//! How a long operation (an import, an export) reports what it is doing, for a progress bar, and
//! learns that the person asked to stop. The operation decides where stopping is safe: an import
//! stops before it commits, so a cancelled import has changed nothing.

use serde::Serialize;

/// The steps a long operation goes through, in the order they come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ProgressStep.ts"))]
#[serde(rename_all = "snake_case")]
pub enum ProgressStep {
    /// Decrypting a bundle and checking its signature.
    Checking,
    /// Applying a bundle's changes (counted).
    Applying,
    /// Gathering what a bundle will carry, and compressing, signing and encrypting it.
    Preparing,
    /// Writing the file.
    Writing,
}

/// Where a long operation stands; passed down to the code that does the work.
pub trait Progress {
    /// A new step begins, with `total` units of work (0 when it is not counted).
    fn step(&self, step: ProgressStep, total: u64);

    /// `done` units of the step are done. Returns false when the person asked to stop: the
    /// operation then stops at its next safe point.
    fn advance(&self, done: u64) -> bool;
}

/// No one is watching: nothing is reported and nothing is cancelled.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unwatched;

impl Progress for Unwatched {
    fn step(&self, _step: ProgressStep, _total: u64) {}

    fn advance(&self, _done: u64) -> bool {
        true
    }
}
