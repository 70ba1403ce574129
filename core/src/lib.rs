//! hearth-core: the whole of Hearth's domain, shared by the desktop app and the `hearth` CLI.
//!
//! - [`crypto`]: secret types, Argon2id key derivation, XChaCha20-Poly1305 key wrapping, the
//!   recovery key. No I/O.
//! - [`vault`]: the vault folder, its key-slot file, the SQLCipher database and its migrations.
//! - [`access`]: accounts, roles, the permission table, and the unlocked [`access::Session`].
//! - [`change_log`]: field-level changes stamped with a hybrid logical clock, and the merge rule
//!   that derives each field's current value from them.
//!
//! The core never prints and never exits the process: every failure is a typed error whose
//! `Display` a person can act on and whose `kind()` the UI can match on.
#![forbid(unsafe_code)]

pub mod access;
pub mod change_log;
pub mod crypto;
pub mod vault;

/// Lowercase hex of some bytes: how ids (accounts, devices) are shown and stored in text.
pub(crate) fn lowercase_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The version of hearth-core, shown in `hearth --version` and the desktop app's About screen.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
