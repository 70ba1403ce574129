//! Checkpoints of this device's chain: made at every lock and export, kept in the vault, and
//! the key a note from this or another member device must be signed with.

use ed25519_dalek::VerifyingKey;
use rusqlite::{params, Connection, OptionalExtension};

use hearth_format::checkpoint::{self, Checkpoint, GENESIS};
use hearth_ids::{now_unix_ms, DeviceId};

use super::AuditError;
use crate::device::{signing_key, this_device, verifying_key};

/// Signs the current head of this device's chain and keeps the checkpoint.
pub fn make_checkpoint(connection: &Connection) -> Result<Checkpoint, AuditError> {
    let device = this_device(connection)?;
    let (size, head) = head_of(connection, device)?;
    let checkpoint = checkpoint::sign(device, size, head, &signing_key(connection)?);
    connection.execute(
        "INSERT OR IGNORE INTO audit_checkpoints (device, size, head, note, made_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            device.0.as_slice(),
            i64::try_from(size).unwrap_or(i64::MAX),
            head.as_slice(),
            checkpoint.text,
            now_unix_ms()
        ],
    )?;
    Ok(checkpoint)
}

fn head_of(connection: &Connection, device: DeviceId) -> Result<(u64, [u8; 32]), AuditError> {
    let (seq, hash) = super::chain::head(connection, &device.0)?;
    Ok((
        u64::try_from(seq).unwrap_or(0),
        <[u8; 32]>::try_from(hash).unwrap_or(GENESIS),
    ))
}

/// The key that must have signed a checkpoint note: this laptop's own, or that of the member
/// device the note names (the office checks each shelter's chain against that shelter's notes).
pub fn checkpoint_key(connection: &Connection, note: &str) -> Result<VerifyingKey, AuditError> {
    let device = checkpoint::signer(note).map_err(AuditError::BadCheckpoint)?;
    if device == this_device(connection)? {
        return Ok(verifying_key(connection)?);
    }
    let key: Option<Vec<u8>> = connection
        .query_row(
            "SELECT signing_key FROM devices WHERE device_id = ?1",
            [device.0.as_slice()],
            |row| row.get(0),
        )
        .optional()?;
    key.and_then(|key| <[u8; 32]>::try_from(key).ok())
        .and_then(|key| VerifyingKey::from_bytes(&key).ok())
        .ok_or(AuditError::BadCheckpoint(
            "it names a device this laptop does not know",
        ))
}

/// Reads a checkpoint note and checks its signature with `key`.
pub fn parse_checkpoint(text: &str, key: &VerifyingKey) -> Result<Checkpoint, AuditError> {
    checkpoint::parse(text, key).map_err(AuditError::BadCheckpoint)
}
