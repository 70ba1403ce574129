//! Signed notes of a log's size and head hash, in the style of a C2SP signed note
//! (tlog-checkpoint), for the two logs a device keeps as hash chains:
//!
//! - its **audit chain** (`hearth.audit/…`): a checkpoint kept apart from the laptop shows later
//!   whether the chain it was taken from was cut short or rewritten;
//! - its **change chain** (`hearth.changes/…`): the head a device signs over its own edits at every
//!   export, which travels with them, so that a laptop that passes them on cannot alter, drop,
//!   reorder or invent one (see `hearth_store::change_log::chain`).
//!
//! ```text
//! hearth.audit/<device id, hex>            (or hearth.changes/<device id, hex>)
//! <size>
//! <head hash, base64>
//!
//! — hearth-device-<first 8 hex digits of the device id> <base64(key id || Ed25519 signature)>
//! ```
//!
//! The signature covers the first three lines (with their line ends); the key id is the first
//! four bytes of SHA-256(key name || "\n" || 0x01 || public key), as in a C2SP signed note.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hearth_ids::DeviceId;
use sha2::{Digest, Sha256};

/// The hash every chain starts from (the head of an empty chain).
pub const GENESIS: [u8; 32] = [0; 32];

/// A signed statement of a chain's size and head hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The device whose chain it is.
    pub device: DeviceId,
    /// How many entries the chain had.
    pub size: u64,
    /// The hash of its last entry ([`GENESIS`] for an empty chain).
    pub head: [u8; 32],
    /// The note, as written to a file.
    pub text: String,
}

/// Which of a device's logs a note speaks for: its first line's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Log {
    /// The audit chain (`hearth.audit/`).
    Audit,
    /// The change chain (`hearth.changes/`).
    Changes,
}

impl Log {
    fn origin_prefix(self) -> &'static str {
        match self {
            Log::Audit => "hearth.audit/",
            Log::Changes => "hearth.changes/",
        }
    }
}

fn key_name(device: DeviceId) -> String {
    format!("hearth-device-{}", &device.to_hex()[..8])
}

fn key_id(name: &str, key: &VerifyingKey) -> [u8; 4] {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update(b"\n\x01");
    hasher.update(key.as_bytes());
    let digest: [u8; 32] = hasher.finalize().into();
    [digest[0], digest[1], digest[2], digest[3]]
}

fn body(log: Log, device: DeviceId, size: u64, head: &[u8; 32]) -> String {
    format!(
        "{}{}\n{size}\n{}\n",
        log.origin_prefix(),
        device.to_hex(),
        BASE64.encode(head)
    )
}

/// The audit checkpoint for `device`'s chain of `size` entries ending in `head`, signed with `key`.
pub fn sign(device: DeviceId, size: u64, head: [u8; 32], key: &SigningKey) -> Checkpoint {
    sign_note(Log::Audit, device, size, head, key)
}

/// The note for `device`'s `log` of `size` entries ending in `head`, signed with `key`.
pub fn sign_note(
    log: Log,
    device: DeviceId,
    size: u64,
    head: [u8; 32],
    key: &SigningKey,
) -> Checkpoint {
    let body = body(log, device, size, &head);
    let signature = key.sign(body.as_bytes());
    let name = key_name(device);
    let mut signed = key_id(&name, &key.verifying_key()).to_vec();
    signed.extend_from_slice(&signature.to_bytes());
    let text = format!("{body}\n\u{2014} {name} {}\n", BASE64.encode(signed));
    Checkpoint {
        device,
        size,
        head,
        text,
    }
}

/// The device an audit checkpoint says it is from (before anything is checked), so that the
/// caller can find that device's key. The error names what is wrong.
pub fn signer(text: &str) -> Result<DeviceId, &'static str> {
    note_signer(Log::Audit, text)
}

/// The device a note of `log` says it is from, before anything is checked.
pub fn note_signer(log: Log, text: &str) -> Result<DeviceId, &'static str> {
    text.lines()
        .next()
        .and_then(|origin| origin.strip_prefix(log.origin_prefix()))
        .and_then(DeviceId::parse)
        .ok_or("the first line does not name a device")
}

/// Reads an audit checkpoint and checks its signature with `key`. The error names what is wrong.
pub fn parse(text: &str, key: &VerifyingKey) -> Result<Checkpoint, &'static str> {
    parse_note(Log::Audit, text, key)
}

/// Reads a note of `log` and checks its signature with `key`. The error names what is wrong.
pub fn parse_note(log: Log, text: &str, key: &VerifyingKey) -> Result<Checkpoint, &'static str> {
    let (body, signature_block) = text
        .split_once("\n\n")
        .ok_or("no blank line after the body")?;
    let body = format!("{body}\n");
    let device = note_signer(log, &body)?;
    let mut lines = body.lines().skip(1);
    let size = lines
        .next()
        .and_then(|size| size.parse::<u64>().ok())
        .ok_or("the second line is not a size")?;
    let head = lines
        .next()
        .and_then(|head| BASE64.decode(head).ok())
        .and_then(|head| <[u8; 32]>::try_from(head).ok())
        .ok_or("the third line is not a hash")?;
    if lines.next().is_some() {
        return Err("the body has more than three lines");
    }
    let name = key_name(device);
    let signature_line = signature_block
        .lines()
        .find_map(|line| line.strip_prefix(&format!("\u{2014} {name} ")))
        .ok_or("no signature by the device")?;
    let signed = BASE64
        .decode(signature_line.trim())
        .map_err(|_| "the signature is not base64")?;
    if signed.len() != 68 || signed[..4] != key_id(&name, key) {
        return Err("the signature is not by this device's key");
    }
    let signature = Signature::from_slice(&signed[4..]).map_err(|_| "malformed signature")?;
    key.verify(body.as_bytes(), &signature)
        .map_err(|_| "the signature does not verify")?;
    Ok(Checkpoint {
        device,
        size,
        head,
        text: text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_reads_back_with_its_key_only() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let note = sign(DeviceId([5; 16]), 42, [7; 32], &key);
        assert_eq!(parse(&note.text, &key.verifying_key()), Ok(note.clone()));
        assert_eq!(signer(&note.text), Ok(DeviceId([5; 16])));
        let other = SigningKey::from_bytes(&[4; 32]).verifying_key();
        assert!(parse(&note.text, &other).is_err());
        let changed = note.text.replace("\n42\n", "\n43\n");
        assert_eq!(
            parse(&changed, &key.verifying_key()),
            Err("the signature does not verify")
        );
    }

    #[test]
    fn a_change_head_is_not_an_audit_checkpoint() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let head = sign_note(Log::Changes, DeviceId([5; 16]), 42, [7; 32], &key);
        assert!(head.text.starts_with("hearth.changes/0505"));
        let read = parse_note(Log::Changes, &head.text, &key.verifying_key()).unwrap();
        assert_eq!((read.size, read.head), (42, [7; 32]));
        assert_eq!(
            parse(&head.text, &key.verifying_key()),
            Err("the first line does not name a device")
        );
        let audit = sign(DeviceId([5; 16]), 42, [7; 32], &key);
        assert!(parse_note(Log::Changes, &audit.text, &key.verifying_key()).is_err());
    }
}
