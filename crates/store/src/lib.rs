//! hearth-store: the encrypted store every domain layer writes through.
//!
//! - [`vault`]: the vault folder, its write lock, the SQLCipher connection, the numbered
//!   migrations and the page-by-page integrity check.
//! - [`throttle`]: failed-unlock counters, kept beside the vault (read before it is unlocked).
//! - [`device`]: this laptop's identity (device id, signing key, age identity) in one place.
//! - [`change_log`]: field-level changes stamped with a hybrid logical clock, the one merge rule
//!   that derives each field's current value, and the conflict queue.
//! - [`audit`]: the hash-chained audit log, its signed checkpoints and verification.
//! - [`wipe`]: the emergency wipe of a vault folder (key slots first, then every file).
//!
//! Tables are owned by the module that writes them (see ARCHITECTURE.md); the layers above
//! (records, sync) read and write records only through the change log.
#![forbid(unsafe_code)]

pub mod audit;
pub mod change_log;
pub mod device;
#[cfg(test)]
mod test_vault;
pub mod throttle;
pub mod vault;
pub mod wipe;
