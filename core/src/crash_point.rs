//! Named points where a crash test stops the process, to kill it with `kill -9` exactly there, or
//! from where it kills itself a moment later, inside the work that follows.
//!
//! With the `crash-points` feature (tests only):
//! - `HEARTH_CRASH_AT=<name>`: reaching the point prints `crash point <name>` on stderr and waits
//!   to be killed;
//! - `HEARTH_KILL_AFTER=<name>:<microseconds>`: every point passed prints `passed <name>` on
//!   stderr (so the test learns which phase the kill hit), and reaching `<name>` starts a timer
//!   that sends this process SIGKILL when it runs out.
//!
//! Without the feature it does nothing.

/// Stops here, forever, if this is the point the test named; or starts the kill timer.
#[cfg(feature = "crash-points")]
pub(crate) fn crash_point(name: &str) {
    use std::io::Write;
    if std::env::var("HEARTH_CRASH_AT").as_deref() == Ok(name) {
        let _ = writeln!(std::io::stderr(), "crash point {name}");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }
    let Ok(kill_after) = std::env::var("HEARTH_KILL_AFTER") else {
        return;
    };
    // One write, so that a kill never leaves half a line for the test to read.
    let _ = std::io::stderr().write_all(format!("passed {name}\n").as_bytes());
    let Some((point, micros)) = kill_after.split_once(':') else {
        return;
    };
    if point == name {
        let delay = std::time::Duration::from_micros(micros.parse().unwrap_or(0));
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            let _ = rustix::process::kill_process(
                rustix::process::getpid(),
                rustix::process::Signal::KILL,
            );
        });
    }
}

/// Does nothing: this build has no crash points.
#[cfg(not(feature = "crash-points"))]
#[inline(always)]
pub(crate) fn crash_point(_name: &str) {}
