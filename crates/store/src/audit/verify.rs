//! Verifying the log: every chain recomputed from its first entry, and checked against a
//! checkpoint when one is given.

use rusqlite::Connection;
use serde::Serialize;

use super::chain::{entry_hash, StoredEntry};
use super::{AuditError, Checkpoint, GENESIS};

/// What verifying found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "AuditVerification.ts")
)]
pub struct AuditVerification {
    /// Every chain (and the checkpoint, if one was given) checks out.
    pub intact: bool,
    /// Entries checked.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub entries: u64,
    /// Devices whose chains were checked.
    pub devices: u32,
    /// The first problem found, if any.
    pub problem: Option<AuditProblem>,
}

/// The first place where the log does not match itself or the checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "AuditProblem.ts"))]
pub struct AuditProblem {
    /// The device whose chain it is (hex).
    pub device: String,
    /// The first entry that does not match.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: u64,
    /// What is wrong: "changed" (the entry does not match its hash), "unlinked" (it does not
    /// follow the entry before it: removed or reordered), "missing" (numbers skipped), "cut"
    /// (shorter than the checkpoint), "rewritten" (differs from the checkpoint), "bad_checkpoint".
    pub kind: String,
    /// The same in words.
    pub message: String,
}

/// Recomputes every chain in the log and, if given, checks it against a checkpoint.
pub fn verify(
    connection: &Connection,
    checkpoint: Option<&Checkpoint>,
) -> Result<AuditVerification, AuditError> {
    let mut devices: Vec<Vec<u8>> = connection
        .prepare("SELECT DISTINCT device FROM audit_log")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    devices.sort();
    let mut entries = 0u64;
    let mut statement = connection.prepare(&format!(
        "SELECT {} FROM audit_log WHERE device = ?1 ORDER BY seq",
        StoredEntry::COLUMNS
    ))?;
    let device_count = u32::try_from(devices.len()).unwrap_or(u32::MAX);
    let found = |device: &[u8], seq: u64, kind: &str, message: String| AuditVerification {
        intact: false,
        entries: 0,
        devices: device_count,
        problem: Some(AuditProblem {
            device: hex::encode(device),
            seq,
            kind: kind.to_owned(),
            message,
        }),
    };
    let mut heads: Vec<(Vec<u8>, u64, [u8; 32])> = Vec::new();
    for device in &devices {
        let mut rows = statement.query([device.as_slice()])?;
        let mut expected_seq: u64 = 1;
        let mut prev_hash: [u8; 32] = GENESIS;
        let mut hashes: Vec<[u8; 32]> = Vec::new();
        while let Some(row) = rows.next()? {
            let stored = StoredEntry::from_row(row)?;
            let seq = u64::try_from(stored.seq).unwrap_or(0);
            if seq != expected_seq {
                return Ok(found(
                    device,
                    expected_seq,
                    "missing",
                    format!(
                        "entries {expected_seq} to {} are missing",
                        seq.saturating_sub(1)
                    ),
                ));
            }
            if stored.prev_hash != prev_hash {
                return Ok(found(
                    device,
                    seq,
                    "unlinked",
                    format!(
                        "entry {seq} does not follow entry {}: an entry was removed or moved",
                        seq - 1
                    ),
                ));
            }
            let hash = entry_hash(&prev_hash, &stored.hashed(device));
            if stored.hash != hash {
                return Ok(found(
                    device,
                    seq,
                    "changed",
                    format!("entry {seq} does not match its hash: it was changed"),
                ));
            }
            prev_hash = hash;
            hashes.push(hash);
            expected_seq += 1;
            entries += 1;
        }
        if checkpoint.is_some_and(|c| c.device.0.as_slice() == device.as_slice()) {
            heads.push((device.clone(), hashes.len() as u64, prev_hash));
            if let Some(checkpoint) = checkpoint {
                let size = checkpoint.size;
                if size > hashes.len() as u64 {
                    return Ok(found(
                        device,
                        hashes.len() as u64 + 1,
                        "cut",
                        format!(
                            "the log has {} entries but the checkpoint vouches for {size}: it was cut",
                            hashes.len()
                        ),
                    ));
                }
                let at = if size == 0 {
                    GENESIS
                } else {
                    hashes[usize::try_from(size - 1).unwrap_or(0)]
                };
                if at != checkpoint.head {
                    return Ok(found(
                        device,
                        size,
                        "rewritten",
                        format!("entry {size} differs from the checkpoint: the log was rewritten"),
                    ));
                }
            }
        }
    }
    if let Some(checkpoint) = checkpoint {
        let covered = heads
            .iter()
            .any(|(d, ..)| d.as_slice() == checkpoint.device.0.as_slice());
        if !covered && checkpoint.size > 0 {
            return Ok(found(
                &checkpoint.device.0,
                1,
                "cut",
                format!(
                    "the log holds no entries of this device but the checkpoint vouches for {}",
                    checkpoint.size
                ),
            ));
        }
    }
    Ok(AuditVerification {
        intact: true,
        entries,
        devices: device_count,
        problem: None,
    })
}
