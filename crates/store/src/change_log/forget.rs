//! Forgetting a revoked device's changes after the point its revocation names, and deriving again
//! what they had changed: the records' state, the conflict queue and what was replaced knowingly.
//! The merge is a function of the set of changes held, so merging what remains from scratch gives
//! what a laptop that never received the forgotten changes holds.

use rusqlite::{params, Connection};

use super::merge::merge_into_state;
use super::*;

/// What [`forget_changes_after`] did: how many changes it forgot, and the records they touched
/// (kind and id), whose query tables the caller refreshes.
pub type Forgotten = (u64, Vec<(String, [u8; 16])>);

/// Deletes `device`'s changes numbered above `through` and rebuilds every record they touched.
pub fn forget_changes_after(
    connection: &Connection,
    device: DeviceId,
    through: u64,
) -> Result<Forgotten, ChangeLogError> {
    let key = params![device.0.as_slice(), to_sql_int(through)?];
    let touched: Vec<(String, Vec<u8>)> = connection
        .prepare(
            "SELECT DISTINCT entity_kind, entity_id FROM changes WHERE device = ?1 AND seq > ?2",
        )?
        .query_map(key, |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let forgotten =
        connection.execute("DELETE FROM changes WHERE device = ?1 AND seq > ?2", key)?;
    let mut records = Vec::with_capacity(touched.len());
    for (kind, id) in touched {
        let id: [u8; 16] = id.try_into().map_err(|_| ChangeLogError::OutOfRange)?;
        rebuild(connection, &kind, id)?;
        records.push((kind, id));
    }
    Ok((forgotten as u64, records))
}

/// Derives a record's state, its queued conflicts and its replaced values again from its changes.
fn rebuild(connection: &Connection, kind: &str, id: [u8; 16]) -> Result<(), ChangeLogError> {
    connection.execute(
        "DELETE FROM entity_state WHERE entity_kind = ?1 AND entity_id = ?2",
        params![kind, id.as_slice()],
    )?;
    for table in ["conflicts", "superseded"] {
        connection.execute(
            &format!("DELETE FROM {table} WHERE entity_id = ?1"),
            [id.as_slice()],
        )?;
    }
    for change in changes_of(connection, id)? {
        merge_into_state(connection, &change)?;
    }
    Ok(())
}
