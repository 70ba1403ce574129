//! hearth-core: the whole of Hearth's domain, shared by the desktop app and the `hearth` CLI.
//!
//! - [`crypto`]: secret types, Argon2id key derivation, XChaCha20-Poly1305 key wrapping, the
//!   recovery key. No I/O.
//! - [`vault`]: the vault folder, its key-slot file, the SQLCipher database and its migrations.
//! - [`access`]: accounts, roles, the permission table, and the unlocked [`access::Session`].
//! - [`change_log`]: field-level changes stamped with a hybrid logical clock, and the merge rule
//!   that derives each field's current value from them.
//! - [`audit`]: the hash-chained audit log, its signed checkpoints and verification.
//! - [`sync`]: device keys, the roster, the sealed bundle format (age, Ed25519, zstd), export,
//!   import and joining.
//! - [`files`]: creating the files a person asks for (bundles, exports) new and private.
//! - [`records`]: people, cases and everything attached to them; validation; search.
//!
//! The core never prints and never exits the process: every failure is a typed error whose
//! `Display` a person can act on and whose `kind()` the UI can match on.
#![forbid(unsafe_code)]

pub mod access;
mod crash_point;
pub use hearth_crypto as crypto;
pub mod audit;
pub mod documents;
pub use hearth_format::{files, keyslots};
pub use hearth_store::{change_log, vault, wipe};
pub mod records;
pub mod referrals;
pub mod reports;
pub mod sync;

/// The version of hearth-core, shown in `hearth --version` and the desktop app's About screen.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
