//! Time: the wall clock as Hearth reads it, and the hybrid logical clock that orders changes.

/// Milliseconds since the Unix epoch by this machine's clock (which may be wrong: see [`Hlc`]).
pub fn now_unix_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// How far a laptop's hybrid logical clock may run ahead of its own wall clock: one day. A clock
/// further ahead was set wrong (a dead clock battery, a mistyped year) and has since been put
/// right; it restarts from the wall clock rather than carry the wrong date into every later edit.
/// Changes seen from other laptops move this laptop's clock only up to this bound.
pub const MAX_CLOCK_AHEAD_MS: u64 = 24 * 60 * 60 * 1000;

/// A hybrid logical clock reading: wall-clock milliseconds, then a counter for events within the
/// same millisecond (or while the wall clock lags a clock seen earlier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (or the highest seen, if the wall clock is behind).
    pub wall_ms: u64,
    /// Orders events that share `wall_ms`.
    pub counter: u32,
}

impl Hlc {
    /// The next reading after `self` at wall-clock time `now_ms`: never earlier than `self`.
    pub fn tick(self, now_ms: u64) -> Hlc {
        if now_ms > self.wall_ms {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
            }
        } else {
            Hlc {
                wall_ms: self.wall_ms,
                counter: self.counter.saturating_add(1),
            }
        }
    }
}

impl Hlc {
    /// [`Hlc::tick`], except that a clock more than [`MAX_CLOCK_AHEAD_MS`] ahead of `now_ms`
    /// restarts at `now_ms`.
    pub fn tick_bounded(self, now_ms: u64) -> Hlc {
        if self.wall_ms > now_ms.saturating_add(MAX_CLOCK_AHEAD_MS) {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
            }
        } else {
            self.tick(now_ms)
        }
    }

    /// This reading, or the one just after `replaced` if that is not earlier: an edit that
    /// replaces a value knowingly must order after it, even when the value came from a laptop
    /// whose clock was ahead.
    pub fn after(self, replaced: Hlc) -> Hlc {
        if replaced < self {
            self
        } else if replaced.counter == u32::MAX {
            Hlc {
                wall_ms: replaced.wall_ms.saturating_add(1),
                counter: 0,
            }
        } else {
            Hlc {
                wall_ms: replaced.wall_ms,
                counter: replaced.counter + 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_never_go_backwards() {
        let start = Hlc {
            wall_ms: 1_000,
            counter: 7,
        };
        assert_eq!(
            start.tick(2_000),
            Hlc {
                wall_ms: 2_000,
                counter: 0
            }
        );
        assert_eq!(
            start.tick(500),
            Hlc {
                wall_ms: 1_000,
                counter: 8
            }
        );
        assert!(start.tick(1_000) > start);
    }

    #[test]
    fn a_clock_put_right_restarts_and_an_edit_orders_after_what_it_replaces() {
        let year_ms = 365 * 24 * 60 * 60 * 1000;
        let now = 1_800_000_000_000;
        let ahead = Hlc {
            wall_ms: now + 3 * year_ms,
            counter: 4,
        };
        assert_eq!(
            ahead.tick_bounded(now),
            Hlc {
                wall_ms: now,
                counter: 0
            }
        );
        // Within a day ahead, the clock still never goes back.
        let hours_ahead = Hlc {
            wall_ms: now + 60 * 60 * 1000,
            counter: 0,
        };
        assert_eq!(hours_ahead.tick_bounded(now), hours_ahead.tick(now));
        let mine = Hlc {
            wall_ms: now,
            counter: 0,
        };
        assert_eq!(
            mine.after(ahead),
            Hlc {
                wall_ms: ahead.wall_ms,
                counter: 5
            }
        );
        assert_eq!(ahead.after(mine), ahead);
        let full = Hlc {
            wall_ms: now,
            counter: u32::MAX,
        };
        assert!(
            mine.after(full) > full,
            "a full counter moves to the next millisecond"
        );
    }

    #[test]
    fn the_wall_clock_reads_this_century() {
        // 2020-01-01 and 2100-01-01: a unit mix-up (seconds, microseconds) falls outside.
        let now = now_unix_ms();
        assert!(
            (1_577_836_800_000..4_102_444_800_000).contains(&now),
            "{now}"
        );
    }
}
