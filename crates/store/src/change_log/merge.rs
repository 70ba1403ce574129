//! The merge rule, in one place, and the conflict queue it fills: a value that loses to a
//! concurrent edit nobody replaced knowingly waits there for a supervisor.

use std::cmp::Ordering;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

use hearth_ids::DeviceId;

use super::stamps::Stamps;
use super::*;

/// The merge rule, in one place: each field keeps the value of the change with the higher
/// precedence ([`Change::precedence`]). The value that loses goes to the conflict queue unless
/// some edit replaced it knowingly; and what this change replaced knowingly leaves the queue.
/// The queue is therefore the same function of the set of changes held on every laptop.
pub(super) fn merge_into_state(
    connection: &Connection,
    change: &Change,
) -> Result<(), ChangeLogError> {
    for (field, refs) in &change.replaces {
        for replaced in refs {
            let key = params![
                change.entity_id.as_slice(),
                field,
                replaced.device.0.as_slice(),
                to_sql_int(replaced.seq)?
            ];
            connection
                .prepare_cached(
                    "INSERT OR IGNORE INTO superseded (entity_id, field, device, seq)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(key)?;
            connection
                .prepare_cached(
                    "DELETE FROM conflicts
                     WHERE entity_id = ?1 AND field = ?2 AND device = ?3 AND seq = ?4",
                )?
                .execute(key)?;
        }
    }
    let row = connection
        .prepare_cached(
            "SELECT current, stamps, created_ms, updated_ms FROM entity_state
             WHERE entity_kind = ?1 AND entity_id = ?2",
        )?
        .query_row(
            params![change.entity_kind, change.entity_id.as_slice()],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                ))
            },
        )
        .optional()?;
    let at = change.hlc.wall_ms;
    let (mut current, mut stamps, created_ms, updated_ms) = match row {
        Some((current, stamps, created, updated)) => (
            parse_object(&current)?,
            Stamps::parse(&stamps)?,
            from_sql_int(created)?.min(at),
            from_sql_int(updated)?.max(at),
        ),
        None => (Map::new(), Stamps::default(), at, at),
    };
    let precedence = change.precedence();
    for (field, value) in &change.fields {
        if let Some(held) = stamps.get(field) {
            match precedence.cmp(&held) {
                Ordering::Equal => continue,
                Ordering::Less => {
                    queue_if_concurrent(connection, change, field, change.reference())?;
                    continue;
                }
                Ordering::Greater => {
                    let (_, device, seq) = held;
                    queue_if_concurrent(connection, change, field, ChangeRef { device, seq })?;
                }
            }
        }
        stamps.set(field, precedence);
        if value.is_null() {
            current.remove(field);
        } else {
            current.insert(field.clone(), value.clone());
        }
    }
    connection
        .prepare_cached(
            "INSERT INTO entity_state
                 (entity_kind, entity_id, current, stamps, created_ms, updated_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (entity_kind, entity_id) DO UPDATE SET current = excluded.current,
                 stamps = excluded.stamps, created_ms = excluded.created_ms,
                 updated_ms = excluded.updated_ms",
        )?
        .execute(params![
            change.entity_kind,
            change.entity_id.as_slice(),
            Value::Object(current).to_string(),
            stamps.to_json(),
            to_sql_int(created_ms)?,
            to_sql_int(updated_ms)?,
        ])?;
    Ok(())
}

/// Puts `loser`'s value of `field` in the conflict queue, unless an edit replaced it knowingly.
pub(super) fn queue_if_concurrent(
    connection: &Connection,
    change: &Change,
    field: &str,
    loser: ChangeRef,
) -> Result<(), ChangeLogError> {
    connection
        .prepare_cached(
            "INSERT OR IGNORE INTO conflicts (entity_kind, entity_id, field, device, seq)
             SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM superseded
                 WHERE entity_id = ?2 AND field = ?3 AND device = ?4 AND seq = ?5)",
        )?
        .execute(params![
            change.entity_kind,
            change.entity_id.as_slice(),
            field,
            loser.device.0.as_slice(),
            to_sql_int(loser.seq)?
        ])?;
    Ok(())
}

/// A value in the conflict queue: which record and field, and the edit whose value lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedConflict {
    /// The queue's local id.
    pub id: i64,
    /// The record's kind.
    pub entity_kind: String,
    /// The record.
    pub entity_id: [u8; 16],
    /// The field.
    pub field: String,
    /// The edit whose value lost.
    pub loser: ChangeRef,
}

/// The conflict queue, oldest first; or one entry of it.
pub fn queued_conflicts(
    connection: &Connection,
    only: Option<i64>,
) -> Result<Vec<QueuedConflict>, ChangeLogError> {
    let mut statement = connection.prepare_cached(
        "SELECT id, entity_kind, entity_id, field, device, seq FROM conflicts
         WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([only], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Vec<u8>>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, Vec<u8>>(4)?,
            row.get::<_, i64>(5)?,
        ))
    })?;
    let sixteen =
        |bytes: Vec<u8>| <[u8; 16]>::try_from(bytes).map_err(|_| ChangeLogError::OutOfRange);
    let mut queue = Vec::new();
    for row in rows {
        let (id, entity_kind, entity_id, field, device, seq) = row?;
        queue.push(QueuedConflict {
            id,
            entity_kind,
            entity_id: sixteen(entity_id)?,
            field,
            loser: ChangeRef {
                device: DeviceId(sixteen(device)?),
                seq: from_sql_int(seq)?,
            },
        });
    }
    Ok(queue)
}

/// The stamp of the current value of a record's field (`None`: no such record, or no value).
fn field_stamp(
    connection: &Connection,
    entity_kind: &str,
    entity_id: [u8; 16],
    field: &str,
) -> Result<Option<Precedence>, ChangeLogError> {
    let stamps: Option<String> = connection
        .prepare_cached(
            "SELECT stamps FROM entity_state WHERE entity_kind = ?1 AND entity_id = ?2",
        )?
        .query_row(params![entity_kind, entity_id.as_slice()], |row| row.get(0))
        .optional()?;
    let Some(stamps) = stamps else {
        return Ok(None);
    };
    Ok(Stamps::parse(&stamps)?.get(field))
}

/// The edit the current value of a record's field came from.
pub fn current_source(
    connection: &Connection,
    entity_kind: &str,
    entity_id: [u8; 16],
    field: &str,
) -> Result<Option<ChangeRef>, ChangeLogError> {
    Ok(field_stamp(connection, entity_kind, entity_id, field)?
        .map(|(_, device, seq)| ChangeRef { device, seq }))
}

/// When the current value of a record's field was written (its hybrid logical clock), or `None`
/// if the field has no value.
pub fn field_written_at(
    connection: &Connection,
    entity_kind: &str,
    entity_id: [u8; 16],
    field: &str,
) -> Result<Option<Hlc>, ChangeLogError> {
    Ok(field_stamp(connection, entity_kind, entity_id, field)?.map(|(hlc, _, _)| hlc))
}
