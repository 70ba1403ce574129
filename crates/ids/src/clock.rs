//! Time: the wall clock as Hearth reads it, and the hybrid logical clock that orders changes.

/// Milliseconds since the Unix epoch by this machine's clock (which may be wrong: see [`Hlc`]).
pub fn now_unix_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

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
    fn the_wall_clock_reads_this_century() {
        // 2020-01-01 and 2100-01-01: a unit mix-up (seconds, microseconds) falls outside.
        let now = now_unix_ms();
        assert!(
            (1_577_836_800_000..4_102_444_800_000).contains(&now),
            "{now}"
        );
    }
}
