//! Changes that arrive after a gap in their device's numbers: held until the changes before them
//! come, then hashed into their device's chain and applied as far as a signed head vouches for
//! them (`change_chains::check_held_run`).

use std::collections::BTreeSet;

use hearth_format::bundle::BundleError;
use hearth_ids::DeviceId;
use hearth_store::change_log::{self, Change, ChangeLogError};
use rusqlite::{params, Connection, OptionalExtension};

use crate::change_chains::{self, HeldRun};
use crate::wire::WireChange;
use crate::SyncError;

/// Holds a change until the changes before it arrive.
pub(super) fn hold_change(connection: &Connection, change: &Change) -> Result<(), SyncError> {
    let text = serde_json::to_string(&WireChange::from_change(change.clone())).unwrap_or_default();
    let seq = i64::try_from(change.seq).map_err(|_| BundleError::Malformed("a number"))?;
    let existing: Option<String> = connection
        .query_row(
            "SELECT change FROM held_changes WHERE device = ?1 AND seq = ?2",
            params![change.device.0.as_slice(), seq],
            |row| row.get(0),
        )
        .optional()?;
    match existing {
        Some(held) if held == text => Ok(()),
        Some(held) => {
            let held = serde_json::from_str::<WireChange>(&held)
                .map_err(|_| BundleError::Malformed("a held change"))?
                .into_change()?;
            if change.is_part_of(&held) {
                Ok(())
            } else if held.is_part_of(change) {
                // The whole change, where a copy without the fields consent kept back was held.
                connection.execute(
                    "UPDATE held_changes SET change = ?3 WHERE device = ?1 AND seq = ?2",
                    params![change.device.0.as_slice(), seq, text],
                )?;
                Ok(())
            } else if held.proof.is_some() || change.proof.is_some() {
                // Two versions, neither yet hashable (the gap before them is not filled): at most
                // one is what the device made, and its signed head says which once the gap fills.
                // Keep the first; refusing here could refuse the honest bundle for a relay's fake.
                Ok(())
            } else {
                Err(SyncError::ChangeLog(ChangeLogError::ConflictingDuplicate {
                    device: hex::encode(change.device.0),
                    seq: change.seq,
                }))
            }
        }
        None => {
            connection.execute(
                "INSERT INTO held_changes (device, seq, change) VALUES (?1, ?2, ?3)",
                params![change.device.0.as_slice(), seq, text],
            )?;
            Ok(())
        }
    }
}

/// What [`drain_held_changes`] did.
pub(super) struct Drained {
    /// Held changes applied (numbered on from the change just applied).
    pub(super) applied: u64,
    /// Held changes that did not hash to their device's signed head: discarded.
    pub(super) not_as_made: u64,
}

/// Applies the held changes that follow on from `device`'s change `after`, just applied, as far
/// as a head their device signed vouches for them (`change_chains::check_held_run`). Held changes
/// past a head they do not hash to are not what the device made: they are discarded (a full bundle
/// from a laptop that holds the real ones brings those).
pub(super) fn drain_held_changes(
    connection: &Connection,
    device: DeviceId,
    after: u64,
    touched: &mut BTreeSet<(String, [u8; 16])>,
) -> Result<Drained, SyncError> {
    let mut run = Vec::new();
    loop {
        let next = i64::try_from(after + run.len() as u64 + 1).unwrap_or(i64::MAX);
        let held: Option<String> = connection
            .prepare_cached("SELECT change FROM held_changes WHERE device = ?1 AND seq = ?2")?
            .query_row(params![device.0.as_slice(), next], |row| row.get(0))
            .optional()?;
        let Some(held) = held else {
            break;
        };
        run.push(
            serde_json::from_str::<WireChange>(&held)
                .map_err(|_| BundleError::Malformed("a held change"))?
                .into_change()?,
        );
    }
    if run.is_empty() {
        return Ok(Drained {
            applied: 0,
            not_as_made: 0,
        });
    }
    let (vouched, not_as_made) =
        match change_chains::check_held_run(connection, device, after, &mut run)? {
            HeldRun::Vouched(vouched) => (vouched, 0),
            HeldRun::NotAsMade { vouched } => {
                // This run from the change that does not hash on; held runs further up, after
                // another gap, are checked when theirs fills.
                let discarded = connection.execute(
                    "DELETE FROM held_changes WHERE device = ?1 AND seq > ?2 AND seq <= ?3",
                    params![
                        device.0.as_slice(),
                        i64::try_from(after + vouched as u64).unwrap_or(i64::MAX),
                        i64::try_from(after + run.len() as u64).unwrap_or(i64::MAX)
                    ],
                )?;
                (vouched, discarded as u64)
            }
        };
    for change in &run[..vouched] {
        change_log::apply_change(connection, change)?;
        connection
            .prepare_cached("DELETE FROM held_changes WHERE device = ?1 AND seq = ?2")?
            .execute(params![
                device.0.as_slice(),
                i64::try_from(change.seq).unwrap_or(i64::MAX)
            ])?;
        touched.insert((change.entity_kind.clone(), change.entity_id));
    }
    Ok(Drained {
        applied: vouched as u64,
        not_as_made,
    })
}
