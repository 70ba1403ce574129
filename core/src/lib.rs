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
pub mod audit;
pub mod change_log;
pub mod crypto;
pub mod files;
pub mod records;
pub mod sync;
pub mod vault;

/// Lowercase hex of some bytes: how ids (accounts, devices) are shown and stored in text.
pub(crate) fn lowercase_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    hex
}

/// Reads 32 hex digits (either case) as 16 bytes.
pub(crate) fn parse_hex16(text: &str) -> Option<[u8; 16]> {
    if text.len() != 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut bytes = [0u8; 16];
    for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(bytes)
}

/// The version of hearth-core, shown in `hearth --version` and the desktop app's About screen.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests {
    #[test]
    fn hex_goes_both_ways() {
        let bytes = [
            0x00, 0x0f, 0xa5, 0xff, 0x10, 0x01, 0x7e, 0x80, 0, 1, 2, 3, 4, 5, 6, 7,
        ];
        let hex = super::lowercase_hex(&bytes);
        assert_eq!(&hex[..8], "000fa5ff");
        assert_eq!(super::parse_hex16(&hex), Some(bytes));
        assert_eq!(super::parse_hex16(&hex.to_uppercase()), Some(bytes));
        assert_eq!(super::parse_hex16(&format!("+{}", &hex[1..])), None);
    }
}
