//! The failed-unlock counter: after five wrong passphrases in a row for an account, each further
//! attempt waits, and the wait doubles with each failure.
//!
//! This is a speed bump for someone at the keyboard, nothing more: the file sits beside the vault
//! outside the encryption (it must be read before anything is unlocked) and anyone with the files
//! can delete it. The defence against copied files is the Argon2 cost of every guess. The file
//! holds random account ids and counts, never names.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use hearth_format::files::write_file_atomically;
use hearth_ids::AccountId;

/// Failures allowed in a row before attempts must wait.
pub const FREE_ATTEMPTS: u32 = 5;
const FIRST_WAIT: Duration = Duration::from_secs(30);
const LONGEST_WAIT: Duration = Duration::from_secs(60 * 60);

/// Which secret the failures were counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ThrottleKey {
    /// An account's passphrase.
    Account(AccountId),
    /// The vault's recovery key.
    RecoveryKey,
}

impl ThrottleKey {
    fn as_string(&self) -> String {
        match self {
            ThrottleKey::Account(id) => id.to_hex(),
            ThrottleKey::RecoveryKey => "recovery-key".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
struct FailureRecord {
    failures_in_a_row: u32,
    last_failure_unix_ms: u64,
}

/// The persisted counters.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct UnlockThrottle {
    accounts: BTreeMap<String, FailureRecord>,
}

/// How long the person must wait after this many failures in a row.
pub fn wait_after(failures_in_a_row: u32) -> Duration {
    if failures_in_a_row < FREE_ATTEMPTS {
        return Duration::ZERO;
    }
    let doublings = (failures_in_a_row - FREE_ATTEMPTS).min(16);
    (FIRST_WAIT * 2u32.pow(doublings)).min(LONGEST_WAIT)
}

/// A wait in whole seconds, rounded up, as the person is told it ("please wait 30 s").
pub fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

fn unix_ms(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

impl UnlockThrottle {
    /// Loads the counters as they stand at `now`. A missing or unreadable file counts as no
    /// failures: the throttle is a speed bump, and refusing every unlock because this file was
    /// damaged would lock staff out.
    ///
    /// A failure stamped after `now` was counted while the clock was ahead (and has since been put
    /// back): its wait would last until the clock caught up, years perhaps. Such a stamp is moved
    /// to `now` and saved at once, so the wait counts from now and is at most the usual one.
    pub fn load(path: &Path, now: SystemTime) -> Self {
        let mut throttle: Self = std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let now_ms = unix_ms(now);
        let mut moved = false;
        for record in throttle.accounts.values_mut() {
            if record.last_failure_unix_ms > now_ms {
                record.last_failure_unix_ms = now_ms;
                moved = true;
            }
        }
        if moved {
            let _ = throttle.save(path);
        }
        throttle
    }

    /// Saves the counters atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        write_file_atomically(path, &bytes)
    }

    /// How much longer an attempt against `key` must wait at `now` (zero if it may go ahead).
    pub fn remaining_wait(&self, key: ThrottleKey, now: SystemTime) -> Duration {
        let Some(record) = self.accounts.get(&key.as_string()) else {
            return Duration::ZERO;
        };
        let wait_ms =
            u64::try_from(wait_after(record.failures_in_a_row).as_millis()).unwrap_or(u64::MAX);
        let allowed_at = record.last_failure_unix_ms.saturating_add(wait_ms);
        // Never longer than the wait itself, whatever the stamp says.
        Duration::from_millis(allowed_at.saturating_sub(unix_ms(now)).min(wait_ms))
    }

    /// Counts one more failure against `key` at `now`.
    pub fn record_failure(&mut self, key: ThrottleKey, now: SystemTime) {
        let record = self.accounts.entry(key.as_string()).or_default();
        record.failures_in_a_row = record.failures_in_a_row.saturating_add(1);
        record.last_failure_unix_ms = unix_ms(now);
    }

    /// How many failures in a row were counted against `key`.
    pub fn failures(&self, key: ThrottleKey) -> u32 {
        self.accounts
            .get(&key.as_string())
            .map_or(0, |record| record.failures_in_a_row)
    }

    /// Forgets the failures against `key` (after a successful unlock). Returns whether there were any.
    pub fn clear(&mut self, key: ThrottleKey) -> bool {
        self.accounts.remove(&key.as_string()).is_some()
    }

    /// Forgets the failures against `key` and saves, if there were any. Best effort: failing to
    /// forget old failures must not stop someone who has just proved their passphrase.
    pub fn forget(&mut self, key: ThrottleKey, path: &Path) {
        if self.clear(key) {
            let _ = self.save(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: ThrottleKey = ThrottleKey::Account(AccountId::from_bytes([1; 16]));

    #[test]
    fn five_failures_are_free_then_waits_grow() {
        assert_eq!(wait_after(4), Duration::ZERO);
        assert_eq!(wait_after(5), Duration::from_secs(30));
        assert_eq!(wait_after(6), Duration::from_secs(60));
        assert_eq!(wait_after(7), Duration::from_secs(120));
        assert_eq!(wait_after(1000), LONGEST_WAIT);
    }

    #[test]
    fn waits_are_told_in_whole_seconds_rounded_up() {
        assert_eq!(whole_seconds(Duration::from_secs(30)), 30);
        assert_eq!(whole_seconds(Duration::from_millis(29_001)), 30);
        assert_eq!(whole_seconds(Duration::from_millis(1)), 1);
    }

    #[test]
    fn the_sixth_attempt_waits_and_the_wait_runs_down() {
        let start = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut throttle = UnlockThrottle::default();
        for _ in 0..4 {
            throttle.record_failure(ACCOUNT, start);
        }
        assert_eq!(throttle.remaining_wait(ACCOUNT, start), Duration::ZERO);
        throttle.record_failure(ACCOUNT, start);
        assert_eq!(
            throttle.remaining_wait(ACCOUNT, start),
            Duration::from_secs(30)
        );
        let later = start + Duration::from_secs(20);
        assert_eq!(
            throttle.remaining_wait(ACCOUNT, later),
            Duration::from_secs(10)
        );
        assert_eq!(
            throttle.remaining_wait(ThrottleKey::RecoveryKey, start),
            Duration::ZERO
        );
        assert!(throttle.clear(ACCOUNT));
        assert_eq!(throttle.remaining_wait(ACCOUNT, start), Duration::ZERO);
    }

    #[test]
    fn counters_survive_a_restart() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("throttle");
        let now = SystemTime::now();
        let mut throttle = UnlockThrottle::default();
        for _ in 0..6 {
            throttle.record_failure(ACCOUNT, now);
        }
        throttle.save(&path).unwrap();
        let reloaded = UnlockThrottle::load(&path, now);
        assert_eq!(
            reloaded.remaining_wait(ACCOUNT, now),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn a_failure_stamped_in_the_future_waits_no_longer_than_usual_and_then_ends() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("throttle");
        let now = SystemTime::now();
        // Six failures while the clock was a year ahead; then it was put right.
        let ahead = now + Duration::from_secs(365 * 24 * 60 * 60);
        let mut throttle = UnlockThrottle::default();
        for _ in 0..6 {
            throttle.record_failure(ACCOUNT, ahead);
        }
        throttle.save(&path).unwrap();
        assert_eq!(
            throttle.remaining_wait(ACCOUNT, now),
            Duration::from_secs(60),
            "capped at the wait for six failures"
        );
        let loaded = UnlockThrottle::load(&path, now);
        assert_eq!(loaded.remaining_wait(ACCOUNT, now), Duration::from_secs(60));
        // Saved as moved: a minute later, from a fresh load, the wait is over.
        let later = now + Duration::from_secs(61);
        let reloaded = UnlockThrottle::load(&path, later);
        assert_eq!(reloaded.remaining_wait(ACCOUNT, later), Duration::ZERO);
        assert_eq!(reloaded.failures(ACCOUNT), 6, "the count itself is kept");
    }
}
