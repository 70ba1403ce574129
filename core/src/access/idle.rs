//! The idle lock's deadline. The desktop shell holds the session behind one: the person's
//! activity (reported by the UI) moves it, and when it passes the shell locks (drops the session,
//! which closes the database and zeroes the key) whatever the webview does. The deadline lives
//! here, not in the UI's JavaScript, so that a stuck or hostile webview cannot keep a vault open.
//!
//! Time is read from the clock that keeps counting while the laptop sleeps (`CLOCK_BOOTTIME`): a
//! laptop whose lid was closed for an hour locks as soon as it wakes. The wall clock is not used:
//! setting it back would keep the vault open.

use std::time::Duration;

/// A reading of the clock that counts time the laptop spent asleep and never goes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct AwakeInstant(Duration);

impl AwakeInstant {
    /// Now.
    #[cfg(target_os = "linux")]
    pub fn now() -> Self {
        let now = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
        let seconds = u64::try_from(now.tv_sec).unwrap_or(0);
        let nanos = u32::try_from(now.tv_nsec).unwrap_or(0);
        Self(Duration::new(seconds, nanos))
    }

    /// Now. (Elsewhere than Linux, time since the process started; whether it counts sleep
    /// depends on the system.)
    #[cfg(not(target_os = "linux"))]
    pub fn now() -> Self {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        Self(START.get_or_init(std::time::Instant::now).elapsed())
    }

    /// A reading `elapsed` after this one (for tests of code that takes readings).
    pub fn later(self, elapsed: Duration) -> Self {
        Self(self.0.saturating_add(elapsed))
    }
}

/// When an unlocked session locks unless someone uses the app before then.
#[derive(Debug, Clone)]
pub struct IdleDeadline {
    timeout: Duration,
    last_activity: AwakeInstant,
}

impl IdleDeadline {
    /// A deadline `timeout_seconds` after `now` (the unlock).
    pub fn new(timeout_seconds: u32, now: AwakeInstant) -> Self {
        Self {
            timeout: Duration::from_secs(timeout_seconds.into()),
            last_activity: now,
        }
    }

    /// Someone used the app at `now`: the deadline moves to `timeout` after it. A reading older
    /// than the last one (reports can arrive out of order) changes nothing.
    pub fn activity(&mut self, now: AwakeInstant) {
        self.last_activity = self.last_activity.max(now);
    }

    /// An administrator changed the timeout: the time already idle counts towards the new one.
    pub fn set_timeout_seconds(&mut self, seconds: u32) {
        self.timeout = Duration::from_secs(seconds.into());
    }

    /// Whether the session should be locked at `now`.
    pub fn has_passed(&self, now: AwakeInstant) -> bool {
        self.remaining(now).is_zero()
    }

    /// How long until the deadline, from `now` (zero once it has passed).
    pub fn remaining(&self, now: AwakeInstant) -> Duration {
        let idle = now.0.saturating_sub(self.last_activity.0);
        self.timeout.saturating_sub(idle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn passes_after_the_timeout_without_activity() {
        let unlocked = AwakeInstant::now();
        let deadline = IdleDeadline::new(60, unlocked);
        assert!(!deadline.has_passed(unlocked.later(59 * SECOND)));
        assert_eq!(deadline.remaining(unlocked.later(59 * SECOND)), SECOND);
        assert!(deadline.has_passed(unlocked.later(60 * SECOND)));
        assert!(deadline.has_passed(unlocked.later(3600 * SECOND)));
    }

    #[test]
    fn activity_moves_it_and_old_readings_do_not_move_it_back() {
        let unlocked = AwakeInstant::now();
        let mut deadline = IdleDeadline::new(60, unlocked);
        deadline.activity(unlocked.later(50 * SECOND));
        assert!(!deadline.has_passed(unlocked.later(100 * SECOND)));
        deadline.activity(unlocked.later(10 * SECOND));
        assert!(!deadline.has_passed(unlocked.later(100 * SECOND)));
        assert!(deadline.has_passed(unlocked.later(110 * SECOND)));
    }

    #[test]
    fn a_shorter_timeout_counts_the_time_already_idle() {
        let unlocked = AwakeInstant::now();
        let mut deadline = IdleDeadline::new(300, unlocked);
        deadline.set_timeout_seconds(30);
        assert!(deadline.has_passed(unlocked.later(40 * SECOND)));
        deadline.set_timeout_seconds(300);
        assert!(!deadline.has_passed(unlocked.later(40 * SECOND)));
    }

    #[test]
    fn the_clock_never_goes_back() {
        let first = AwakeInstant::now();
        let second = AwakeInstant::now();
        assert!(second >= first);
    }
}
