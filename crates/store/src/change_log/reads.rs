//! Reading the log: a record's state and changes, a device's changes after a number, and the
//! devices a table holds rows of.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

use hearth_ids::DeviceId;

use super::*;

/// A record's current fields, derived from its changes.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityState {
    /// Each field that has a value (cleared fields are absent).
    pub values: Map<String, Value>,
    /// Wall-clock time of the record's earliest change.
    pub created_ms: u64,
    /// Wall-clock time of its latest change.
    pub updated_ms: u64,
}

/// The current state of a record, or `None` if no change names it.
pub fn load_state(
    connection: &Connection,
    entity_kind: &str,
    entity_id: [u8; 16],
) -> Result<Option<EntityState>, ChangeLogError> {
    let row = connection
        .prepare_cached(
            "SELECT current, created_ms, updated_ms FROM entity_state
             WHERE entity_kind = ?1 AND entity_id = ?2",
        )?
        .query_row(params![entity_kind, entity_id.as_slice()], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })
        .optional()?;
    let Some((current, created_ms, updated_ms)) = row else {
        return Ok(None);
    };
    Ok(Some(EntityState {
        values: parse_object(&current)?,
        created_ms: from_sql_int(created_ms)?,
        updated_ms: from_sql_int(updated_ms)?,
    }))
}

/// Every change to a record, in merge order.
pub fn changes_of(
    connection: &Connection,
    entity_id: [u8; 16],
) -> Result<Vec<Change>, ChangeLogError> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {CHANGE_COLUMNS} FROM changes WHERE entity_id = ?1"
    ))?;
    let rows = statement.query_map([entity_id.as_slice()], StoredChange::from_row)?;
    let mut changes = rows
        .map(|row| {
            row.map_err(ChangeLogError::from)
                .and_then(StoredChange::parse)
        })
        .collect::<Result<Vec<_>, _>>()?;
    changes.sort_by_key(Change::precedence);
    Ok(changes)
}

/// A device's changes numbered above `after`, in order (what a bundle carries).
pub fn changes_after(
    connection: &Connection,
    device: DeviceId,
    after: u64,
) -> Result<Vec<Change>, ChangeLogError> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {CHANGE_COLUMNS} FROM changes WHERE device = ?1 AND seq > ?2 ORDER BY seq"
    ))?;
    let rows = statement.query_map(
        params![device.0.as_slice(), to_sql_int(after)?],
        StoredChange::from_row,
    )?;
    rows.map(|row| {
        row.map_err(ChangeLogError::from)
            .and_then(StoredChange::parse)
    })
    .collect()
}

/// Calls `each` with `device`'s changes numbered above `after` and up to `through`, in order, one
/// at a time: what a bundle carries, without holding them all.
pub fn for_each_change_between<E: From<ChangeLogError>>(
    connection: &Connection,
    device: DeviceId,
    after: u64,
    through: u64,
    mut each: impl FnMut(Change) -> Result<(), E>,
) -> Result<(), E> {
    let mut statement = connection
        .prepare_cached(&format!(
            "SELECT {CHANGE_COLUMNS} FROM changes WHERE device = ?1 AND seq > ?2 AND seq <= ?3
             ORDER BY seq"
        ))
        .map_err(ChangeLogError::from)?;
    let mut rows = statement
        .query(params![
            device.0.as_slice(),
            to_sql_int(after)?,
            to_sql_int(through)?
        ])
        .map_err(ChangeLogError::from)?;
    while let Some(row) = rows.next().map_err(ChangeLogError::from)? {
        let change = StoredChange::from_row(row)
            .map_err(ChangeLogError::from)
            .and_then(StoredChange::parse)?;
        each(change)?;
    }
    Ok(())
}

/// The first of `device`'s changes numbered above `after` that is chained (made by a Hearth that
/// chains its changes), if any.
pub fn first_chained_after(
    connection: &Connection,
    device: DeviceId,
    after: u64,
) -> Result<Option<u64>, ChangeLogError> {
    let first: Option<i64> = connection
        .prepare_cached(
            "SELECT min(seq) FROM changes WHERE device = ?1 AND seq > ?2 AND chain IS NOT NULL",
        )?
        .query_row(params![device.0.as_slice(), to_sql_int(after)?], |row| {
            row.get(0)
        })?;
    first.map(from_sql_int).transpose()
}

/// The highest change number this vault holds from `device` (0 for none): a device's changes here
/// are numbered 1 to it without gaps (those after a gap wait in sync's `held_changes`).
pub fn highest_seq(connection: &Connection, device: DeviceId) -> Result<u64, ChangeLogError> {
    let highest: i64 = connection
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM changes WHERE device = ?1")?
        .query_row([device.0.as_slice()], |row| row.get(0))?;
    from_sql_int(highest)
}

/// The highest change number this vault holds from each device.
pub fn highest_seqs(connection: &Connection) -> Result<Vec<(DeviceId, u64)>, ChangeLogError> {
    let mut highest = Vec::new();
    for device in devices_in(connection, DeviceTable::Changes)? {
        let seq: i64 = connection
            .prepare_cached("SELECT max(seq) FROM changes WHERE device = ?1")?
            .query_row([device.as_slice()], |row| row.get(0))?;
        let device = <[u8; 16]>::try_from(device).map_err(|_| ChangeLogError::OutOfRange)?;
        highest.push((DeviceId(device), from_sql_int(seq)?));
    }
    Ok(highest)
}

/// A table keyed by (device, seq).
#[derive(Debug, Clone, Copy)]
pub enum DeviceTable {
    /// The change log.
    Changes,
    /// The audit log.
    AuditLog,
}

/// The devices that have rows in `table`, one index step per device (SELECT DISTINCT or GROUP BY
/// would read every row of a log that grows without end).
pub fn devices_in(
    connection: &Connection,
    table: DeviceTable,
) -> Result<Vec<Vec<u8>>, rusqlite::Error> {
    let name = match table {
        DeviceTable::Changes => "changes",
        DeviceTable::AuditLog => "audit_log",
    };
    let mut statement = connection.prepare_cached(&format!(
        "WITH RECURSIVE next(device) AS (
             SELECT min(device) FROM {name}
             UNION ALL
             SELECT (SELECT min(device) FROM {name} WHERE device > next.device)
             FROM next WHERE next.device IS NOT NULL)
         SELECT device FROM next WHERE device IS NOT NULL"
    ))?;
    let devices = statement
        .query_map([], |row| row.get(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(devices)
}

/// One change, by its name.
pub fn load_change_by_ref(
    connection: &Connection,
    reference: ChangeRef,
) -> Result<Option<Change>, ChangeLogError> {
    load_change(connection, reference.device, reference.seq)
}
