//! Other devices' audit entries as an import adds them: only where they extend that device's
//! chain here (links and hashes checked), held after a gap, refused as a second version of a
//! number already held.

use std::collections::HashMap;

use hearth_format::bundle::BundleError;
use hearth_store::audit::{self, StoredEntry};
use hearth_store::change_log::ChangeLogError;
use rusqlite::{params, Connection, OptionalExtension};

use crate::wire::WireAudit;
use crate::SyncError;

/// The hash of a device's audit entry this vault holds under `seq`, if any.
pub(super) fn stored_audit_hash(
    connection: &Connection,
    device: &[u8],
    seq: i64,
) -> Result<Option<Vec<u8>>, SyncError> {
    Ok(connection
        .prepare_cached("SELECT hash FROM audit_log WHERE device = ?1 AND seq = ?2")?
        .query_row(params![device, seq], |row| row.get(0))
        .optional()?)
}

/// The last entry (number and hash) of each device's audit chain here, read from the database
/// once per device and then kept up to date as an import adds entries.
#[derive(Default)]
pub(crate) struct AuditChains {
    heads: HashMap<Vec<u8>, (i64, Vec<u8>)>,
}

impl AuditChains {
    fn head(
        &mut self,
        connection: &Connection,
        device: &[u8],
    ) -> Result<(i64, Vec<u8>), SyncError> {
        if let Some(head) = self.heads.get(device) {
            return Ok(head.clone());
        }
        let head = audit::head(connection, device)?;
        self.heads.insert(device.to_vec(), head.clone());
        Ok(head)
    }

    /// Adds an audit entry from another device if it extends that device's chain here (its
    /// link and hash checked), then any held entries that now follow on; holds it after a gap;
    /// refuses a different entry under a known or held number. Whether it was added.
    pub(super) fn add(
        &mut self,
        connection: &Connection,
        device: &[u8],
        entry: &StoredEntry,
    ) -> Result<bool, SyncError> {
        let added = self.add_one(connection, device, entry)?;
        if added {
            // Entries held earlier may follow on now: a loop, as a long gap can hold many.
            let mut seq = entry.seq;
            loop {
                let next: Option<String> = connection
                    .prepare_cached("SELECT entry FROM held_audit WHERE device = ?1 AND seq = ?2")?
                    .query_row(params![device, seq + 1], |row| row.get(0))
                    .optional()?;
                let Some(next) = next else {
                    break;
                };
                connection
                    .prepare_cached("DELETE FROM held_audit WHERE device = ?1 AND seq = ?2")?
                    .execute(params![device, seq + 1])?;
                let (_, next_entry) = serde_json::from_str::<WireAudit>(&next)
                    .map_err(|_| BundleError::Malformed("a held audit entry"))?
                    .to_stored()?;
                self.add_one(connection, device, &next_entry)?;
                seq += 1;
            }
        }
        Ok(added)
    }

    fn add_one(
        &mut self,
        connection: &Connection,
        device: &[u8],
        entry: &StoredEntry,
    ) -> Result<bool, SyncError> {
        let equivocation = || {
            SyncError::ChangeLog(ChangeLogError::ConflictingDuplicate {
                device: hex::encode(device),
                seq: u64::try_from(entry.seq).unwrap_or(0),
            })
        };
        let (last_seq, last_hash) = self.head(connection, device)?;
        // A chain here holds every number up to its head: the entry is here already, or a
        // second version of one that is.
        if entry.seq <= last_seq {
            let stored = stored_audit_hash(connection, device, entry.seq)?;
            return if stored.as_deref() == Some(entry.hash.as_slice()) {
                Ok(false)
            } else {
                Err(equivocation())
            };
        }
        if entry.seq > last_seq + 1 {
            let text =
                serde_json::to_string(&WireAudit::from_stored(device, entry)).unwrap_or_default();
            let held: Option<String> = connection
                .prepare_cached("SELECT entry FROM held_audit WHERE device = ?1 AND seq = ?2")?
                .query_row(params![device, entry.seq], |row| row.get(0))
                .optional()?;
            match held {
                Some(held) if held != text => return Err(equivocation()),
                Some(_) => {}
                None => {
                    connection
                        .prepare_cached(
                            "INSERT INTO held_audit (device, seq, entry) VALUES (?1, ?2, ?3)",
                        )?
                        .execute(params![device, entry.seq, text])?;
                }
            }
            return Ok(false);
        }
        // An entry that does not extend the chain at its place is a second version of that
        // place: the device's log was forked or rewritten.
        if entry.prev_hash != last_hash
            || audit::entry_hash(&entry.prev_hash, &entry.hashed(device)).as_slice() != entry.hash
        {
            return Err(equivocation());
        }
        audit::insert(connection, device, entry)?;
        self.heads
            .insert(device.to_vec(), (entry.seq, entry.hash.clone()));
        Ok(true)
    }
}
