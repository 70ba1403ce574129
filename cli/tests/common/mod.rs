//! What the kill tests share.

use std::path::Path;

/// Copies a vault's folder (database and key slots) to a new folder `to`.
pub fn copy_vault(from: &Path, to: &Path) {
    std::fs::create_dir(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// Prints a figure of the test: where its kills landed (cargo shows it with --nocapture).
#[allow(clippy::print_stderr)]
pub fn report(line: &str) {
    eprintln!("{line}");
}

/// The moments, in microseconds after a crash point, at which a kill test sends SIGKILL.
///
/// They are spread evenly over how long the work took once, and a fifth more so that some land
/// after it. One timing on a shared machine can be twice the usual: whenever a kill lands after
/// the work (the run got there faster than the timing said), the later moments are drawn in well below
/// it, so that most kills still land inside the work on a fast day and a slow one alike.
pub struct KillMoments {
    upper: u64,
    kills: u32,
    given: u32,
}

impl KillMoments {
    pub fn over(span_micros: u64, kills: u32) -> Self {
        Self {
            upper: span_micros * 6 / 5,
            kills,
            given: 0,
        }
    }

    /// A kill at `micros` landed after the work: later kills come before four fifths of that.
    pub fn landed_late(&mut self, micros: u64) {
        self.upper = self.upper.min(micros * 4 / 5);
    }
}

impl Iterator for KillMoments {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.given >= self.kills {
            return None;
        }
        let micros = self.upper * u64::from(self.given) / u64::from(self.kills);
        self.given += 1;
        Some(micros)
    }
}
