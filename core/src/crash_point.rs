//! Named points where a crash test stops the process, to kill it with `kill -9` exactly there.
//! With the `crash-points` feature (tests only) and `HEARTH_CRASH_AT=<name>`, reaching the point
//! prints `crash point <name>` on stderr and waits to be killed; otherwise it does nothing.

/// Stops here, forever, if this is the point the test named.
#[cfg(feature = "crash-points")]
pub(crate) fn crash_point(name: &str) {
    use std::io::Write;
    if std::env::var("HEARTH_CRASH_AT").as_deref() == Ok(name) {
        let _ = writeln!(std::io::stderr(), "crash point {name}");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }
}

/// Does nothing: this build has no crash points.
#[cfg(not(feature = "crash-points"))]
#[inline(always)]
pub(crate) fn crash_point(_name: &str) {}
