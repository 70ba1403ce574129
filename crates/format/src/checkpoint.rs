//! Audit checkpoints: signed notes of an audit chain's size and head hash, in the style of a
//! C2SP signed note (tlog-checkpoint). A note kept apart from the laptop shows later whether the
//! chain it was taken from was cut short or rewritten.
//!
//! ```text
//! hearth.audit/<device id, hex>
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

fn body(device: DeviceId, size: u64, head: &[u8; 32]) -> String {
    format!(
        "hearth.audit/{}\n{size}\n{}\n",
        device.to_hex(),
        BASE64.encode(head)
    )
}

/// The note for `device`'s chain of `size` entries ending in `head`, signed with `key`.
pub fn sign(device: DeviceId, size: u64, head: [u8; 32], key: &SigningKey) -> Checkpoint {
    let body = body(device, size, &head);
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

/// The device a note says it is from (before anything is checked), so that the caller can find
/// that device's key. The error names what is wrong.
pub fn signer(text: &str) -> Result<DeviceId, &'static str> {
    text.lines()
        .next()
        .and_then(|origin| origin.strip_prefix("hearth.audit/"))
        .and_then(DeviceId::parse)
        .ok_or("the first line does not name a device")
}

/// Reads a note and checks its signature with `key`. The error names what is wrong.
pub fn parse(text: &str, key: &VerifyingKey) -> Result<Checkpoint, &'static str> {
    let (body, signature_block) = text
        .split_once("\n\n")
        .ok_or("no blank line after the body")?;
    let body = format!("{body}\n");
    let device = signer(&body)?;
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
}
