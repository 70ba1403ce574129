//! The change log and its merge rule: the few functions that records, audit and sync all stand on.
//!
//! Every edit is stored as one [`Change`]: the field-level changes a person made to one record at
//! one moment, stamped with a hybrid logical clock (HLC), the device that made it and that device's
//! next change number. The current value of each field is derived from the log: a field keeps the
//! value from the change with the highest (HLC, device, number), so applying the same changes in
//! any order, any number of times, gives the same record. That is what lets bundles from other
//! laptops arrive late, twice, or out of order.
//!
//! The derived state of a record is one row of `entity_state`: its current values, and beside
//! them the stamp of the change each value came from (what the merge compares). One row per edit
//! and one per record, rather than one per field, keeps a new case to a handful of index inserts;
//! with a row per field, creating a case touched a hundred B-tree pages.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

use hearth_ids::{AccountId, ErrorKind};
pub use hearth_ids::{DeviceId, Hlc};

/// An edit's name everywhere: the device that made it and its number there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChangeRef {
    /// The device that made the edit.
    pub device: DeviceId,
    /// Its number in that device's log.
    pub seq: u64,
}

impl ChangeRef {
    /// `device-hex:seq`, as `changes.replaces` and bundles carry it.
    pub fn to_text(self) -> String {
        format!("{}:{}", hex::encode(self.device.0), self.seq)
    }

    /// Reads [`ChangeRef::to_text`]'s form.
    pub fn parse(text: &str) -> Option<ChangeRef> {
        let (device, seq) = text.split_once(':')?;
        Some(ChangeRef {
            device: DeviceId(hearth_ids::parse_hex16(device)?),
            seq: seq.parse().ok().filter(|seq| *seq >= 1)?,
        })
    }
}

/// Per field, the edits whose values an edit replaced knowingly.
pub type Replaces = BTreeMap<String, Vec<ChangeRef>>;

/// One edit: field-level changes to one record, made together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The device that made it.
    pub device: DeviceId,
    /// Its number in that device's log (1, 2, 3, ... without gaps).
    pub seq: u64,
    /// When, by the device's hybrid logical clock.
    pub hlc: Hlc,
    /// Who made it.
    pub account: AccountId,
    /// What kind of record ("case", "consent", ...).
    pub entity_kind: String,
    /// Which record.
    pub entity_id: [u8; 16],
    /// Each changed field and its new value; `null` clears the field (a tombstone).
    pub fields: Map<String, Value>,
    /// Per field, the edits whose values its author's laptop held when this edit replaced them.
    /// An edit that loses the merge and that no edit replaced knowingly was made concurrently
    /// with the winner: its value goes to the conflict queue rather than being lost.
    pub replaces: Replaces,
    /// Fields this copy of the edit leaves out because the case's consent keeps them on the
    /// laptops that hold them (see `sync`); empty for a whole edit.
    pub withheld: Vec<String>,
}

/// The merge order of a change: higher wins. Devices break ties between equal clocks, so that
/// every laptop picks the same winner.
pub type Precedence = (Hlc, DeviceId, u64);

impl Change {
    /// Where this change stands in the merge order.
    pub fn precedence(&self) -> Precedence {
        (self.hlc, self.device, self.seq)
    }

    /// This change's name.
    pub fn reference(&self) -> ChangeRef {
        ChangeRef {
            device: self.device,
            seq: self.seq,
        }
    }

    /// Whether `self` is `whole` with some fields withheld (or `whole` itself).
    pub fn is_part_of(&self, whole: &Change) -> bool {
        self.device == whole.device
            && self.seq == whole.seq
            && self.hlc == whole.hlc
            && self.account == whole.account
            && self.entity_kind == whole.entity_kind
            && self.entity_id == whole.entity_id
            && self.replaces == whole.replaces
            && whole.withheld.iter().all(|f| self.withheld.contains(f))
            && self
                .fields
                .iter()
                .all(|(field, value)| whole.fields.get(field) == Some(value))
            && whole
                .fields
                .keys()
                .all(|field| self.fields.contains_key(field) || self.withheld.contains(field))
    }
}

/// Why a change could not be applied.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChangeLogError {
    /// The log already holds a different change under the same device and number: the sender's
    /// log was rewritten, or the file was tampered with. Nothing is applied.
    #[error("device {device} has two different changes numbered {seq}")]
    ConflictingDuplicate {
        /// The device, in hex.
        device: String,
        /// The change number.
        seq: u64,
    },
    /// A number or clock outside SQLite's integer range, or a stored row that is not what this
    /// version wrote.
    #[error("a change number, clock or stored change is out of range")]
    OutOfRange,
    /// SQLite failed.
    #[error("the change log could not be written: {0}")]
    Database(#[from] rusqlite::Error),
}

impl ChangeLogError {
    /// Equivocation by a sender, damage here, or another database failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ChangeLogError::ConflictingDuplicate { .. } => ErrorKind::Equivocation,
            ChangeLogError::OutOfRange => ErrorKind::VaultDamaged,
            ChangeLogError::Database(error) => crate::vault::sqlite_kind(error),
        }
    }
}

fn to_sql_int(value: u64) -> Result<i64, ChangeLogError> {
    i64::try_from(value).map_err(|_| ChangeLogError::OutOfRange)
}

/// The JSON text of a change's fields or list of withheld fields, written without copying them
/// first. serde_json fails only on maps whose keys are not strings, which these never are.
fn json_text(value: &impl serde::Serialize) -> Result<String, ChangeLogError> {
    serde_json::to_string(value).map_err(|_| ChangeLogError::OutOfRange)
}

fn from_sql_int(value: i64) -> Result<u64, ChangeLogError> {
    u64::try_from(value).map_err(|_| ChangeLogError::OutOfRange)
}

/// Records an edit made on this device: the next change number, a new clock reading, merged into
/// the record's state. Runs inside the caller's transaction, so the edit and whatever else the
/// caller writes land together or not at all.
///
/// The edit replaces knowingly the current value of each field it sets, and also the edits in
/// `also_replaces` (a supervisor resolving a conflict replaces the queued value too).
#[allow(clippy::too_many_arguments)] // one edit's parts; a struct would only rename them
pub fn record_local_edit(
    connection: &Connection,
    device: DeviceId,
    account: AccountId,
    now_ms: u64,
    entity_kind: &str,
    entity_id: [u8; 16],
    fields: Map<String, Value>,
    also_replaces: &[(String, ChangeRef)],
) -> Result<Change, ChangeLogError> {
    let stamps: Option<String> = connection
        .prepare_cached(
            "SELECT stamps FROM entity_state WHERE entity_kind = ?1 AND entity_id = ?2",
        )?
        .query_row(params![entity_kind, entity_id.as_slice()], |row| row.get(0))
        .optional()?;
    let mut replaces = Replaces::new();
    if let Some(stamps) = stamps {
        for (field, stamp) in parse_object(&stamps)? {
            if fields.contains_key(&field) {
                let (_, device, seq) = parse_stamp(&stamp)?;
                replaces.insert(field, vec![ChangeRef { device, seq }]);
            }
        }
    }
    for (field, replaced) in also_replaces {
        if fields.contains_key(field) {
            let refs = replaces.entry(field.clone()).or_default();
            if !refs.contains(replaced) {
                refs.push(*replaced);
            }
        }
    }
    let hlc = next_clock(connection, now_ms)?;
    let last_seq: i64 = connection
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM changes WHERE device = ?1")?
        .query_row([device.0.as_slice()], |row| row.get(0))?;
    let change = Change {
        device,
        seq: from_sql_int(last_seq)? + 1,
        hlc,
        account,
        entity_kind: entity_kind.to_owned(),
        entity_id,
        fields,
        replaces,
        withheld: Vec::new(),
    };
    insert_change(connection, &change)?;
    merge_into_state(connection, &change)?;
    Ok(change)
}

/// The next reading of this vault's clock at wall-clock time `now_ms`, stored as the newest.
/// The audit log stamps its entries with it, so that audit and records share one clock.
pub fn next_clock(connection: &Connection, now_ms: u64) -> Result<Hlc, ChangeLogError> {
    let hlc = read_clock(connection)?.tick(now_ms);
    write_clock(connection, hlc)?;
    Ok(hlc)
}

/// What applying a change from elsewhere did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// New to this vault; stored, and merged into the record.
    Stored,
    /// Already here: nothing changed.
    AlreadyPresent,
}

/// Applies a change made on another device: idempotent, in any order. Advances this vault's
/// clock past the change's, so that later local edits order after everything seen. A whole copy
/// of an edit held with fields withheld fills those fields in.
pub fn apply_change(connection: &Connection, change: &Change) -> Result<Applied, ChangeLogError> {
    if let Some(existing) = load_change(connection, change.device, change.seq)? {
        return if change.is_part_of(&existing) {
            Ok(Applied::AlreadyPresent)
        } else if existing.is_part_of(change) {
            let revealed = Change {
                fields: change
                    .fields
                    .iter()
                    .filter(|(field, _)| !existing.fields.contains_key(*field))
                    .map(|(field, value)| (field.clone(), value.clone()))
                    .collect(),
                replaces: Replaces::new(),
                ..change.clone()
            };
            connection
                .prepare_cached(
                    "UPDATE changes SET fields = ?3, withheld = ?4 WHERE device = ?1 AND seq = ?2",
                )?
                .execute(params![
                    change.device.0.as_slice(),
                    to_sql_int(change.seq)?,
                    json_text(&change.fields)?,
                    json_text(&change.withheld)?,
                ])?;
            merge_into_state(connection, &revealed)?;
            Ok(Applied::Stored)
        } else {
            Err(ChangeLogError::ConflictingDuplicate {
                device: hex::encode(change.device.0),
                seq: change.seq,
            })
        };
    }
    observe_clock(connection, change.hlc)?;
    apply_new_change(connection, change)?;
    Ok(Applied::Stored)
}

/// Stores and merges a change that the caller knows this vault lacks (its sequence number is
/// above the highest held from its device), without [`apply_change`]'s lookup and without
/// advancing the clock: an import of many changes calls [`observe_clock`] once, with the latest.
/// Should the caller be wrong, the log's primary key refuses the change and nothing is merged.
pub fn apply_new_change(connection: &Connection, change: &Change) -> Result<(), ChangeLogError> {
    insert_change(connection, change)?;
    merge_into_state(connection, change)
}

/// Advances this vault's clock to `hlc` if that is later, so that local edits made afterwards
/// order after every change seen.
pub fn observe_clock(connection: &Connection, hlc: Hlc) -> Result<(), ChangeLogError> {
    if hlc > read_clock(connection)? {
        write_clock(connection, hlc)?;
    }
    Ok(())
}

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
    let mut statement = connection.prepare_cached(
        "SELECT device, seq, hlc_ms, hlc_counter, account, entity_kind, entity_id, fields,
                replaces, withheld
         FROM changes WHERE entity_id = ?1",
    )?;
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
    let mut statement = connection.prepare_cached(
        "SELECT device, seq, hlc_ms, hlc_counter, account, entity_kind, entity_id, fields,
                replaces, withheld
         FROM changes WHERE device = ?1 AND seq > ?2 ORDER BY seq",
    )?;
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

/// A change as a row holds it, before its JSON and numbers are checked.
struct StoredChange {
    device: Vec<u8>,
    seq: i64,
    hlc_ms: i64,
    hlc_counter: i64,
    account: Vec<u8>,
    entity_kind: String,
    entity_id: Vec<u8>,
    fields: String,
    replaces: String,
    withheld: String,
}

impl StoredChange {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredChange> {
        Ok(StoredChange {
            device: row.get(0)?,
            seq: row.get(1)?,
            hlc_ms: row.get(2)?,
            hlc_counter: row.get(3)?,
            account: row.get(4)?,
            entity_kind: row.get(5)?,
            entity_id: row.get(6)?,
            fields: row.get(7)?,
            replaces: row.get(8)?,
            withheld: row.get(9)?,
        })
    }

    fn parse(self) -> Result<Change, ChangeLogError> {
        let sixteen =
            |bytes: Vec<u8>| <[u8; 16]>::try_from(bytes).map_err(|_| ChangeLogError::OutOfRange);
        Ok(Change {
            device: DeviceId(sixteen(self.device)?),
            seq: from_sql_int(self.seq)?,
            hlc: Hlc {
                wall_ms: from_sql_int(self.hlc_ms)?,
                counter: u32::try_from(self.hlc_counter).map_err(|_| ChangeLogError::OutOfRange)?,
            },
            account: AccountId::from_bytes(sixteen(self.account)?),
            entity_kind: self.entity_kind,
            entity_id: sixteen(self.entity_id)?,
            fields: parse_object(&self.fields)?,
            replaces: parse_replaces(&self.replaces)?,
            withheld: serde_json::from_str(&self.withheld)
                .map_err(|_| ChangeLogError::OutOfRange)?,
        })
    }
}

fn replaces_json(replaces: &Replaces) -> String {
    let object: Map<String, Value> = replaces
        .iter()
        .map(|(field, refs)| {
            let refs = refs.iter().map(|r| Value::from(r.to_text())).collect();
            (field.clone(), Value::Array(refs))
        })
        .collect();
    Value::Object(object).to_string()
}

fn parse_replaces(text: &str) -> Result<Replaces, ChangeLogError> {
    parse_object(text)?
        .into_iter()
        .map(|(field, refs)| {
            let refs = refs
                .as_array()
                .ok_or(ChangeLogError::OutOfRange)?
                .iter()
                .map(|r| r.as_str().and_then(ChangeRef::parse))
                .collect::<Option<Vec<_>>>()
                .ok_or(ChangeLogError::OutOfRange)?;
            Ok((field, refs))
        })
        .collect()
}

fn parse_object(text: &str) -> Result<Map<String, Value>, ChangeLogError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ChangeLogError::OutOfRange),
    }
}

fn read_clock(connection: &Connection) -> Result<Hlc, ChangeLogError> {
    let (wall_ms, counter): (i64, i64) = connection
        .prepare_cached("SELECT hlc_ms, hlc_counter FROM clock WHERE id = 1")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(Hlc {
        wall_ms: from_sql_int(wall_ms)?,
        counter: u32::try_from(counter).map_err(|_| ChangeLogError::OutOfRange)?,
    })
}

fn write_clock(connection: &Connection, hlc: Hlc) -> Result<(), ChangeLogError> {
    connection
        .prepare_cached("UPDATE clock SET hlc_ms = ?1, hlc_counter = ?2 WHERE id = 1")?
        .execute(params![to_sql_int(hlc.wall_ms)?, hlc.counter])?;
    Ok(())
}

fn insert_change(connection: &Connection, change: &Change) -> Result<(), ChangeLogError> {
    connection
        .prepare_cached(
            "INSERT INTO changes (device, seq, hlc_ms, hlc_counter, account, entity_kind,
                 entity_id, fields, replaces, withheld)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            change.device.0.as_slice(),
            to_sql_int(change.seq)?,
            to_sql_int(change.hlc.wall_ms)?,
            change.hlc.counter,
            change.account.as_bytes().as_slice(),
            change.entity_kind,
            change.entity_id.as_slice(),
            json_text(&change.fields)?,
            replaces_json(&change.replaces),
            json_text(&change.withheld)?,
        ])?;
    Ok(())
}

fn load_change(
    connection: &Connection,
    device: DeviceId,
    seq: u64,
) -> Result<Option<Change>, ChangeLogError> {
    connection
        .prepare_cached(
            "SELECT device, seq, hlc_ms, hlc_counter, account, entity_kind, entity_id, fields,
                    replaces, withheld
             FROM changes WHERE device = ?1 AND seq = ?2",
        )?
        .query_row(
            params![device.0.as_slice(), to_sql_int(seq)?],
            StoredChange::from_row,
        )
        .optional()?
        .map(StoredChange::parse)
        .transpose()
}

/// A field's stamp as `entity_state.stamps` stores it: `[hlc_ms, hlc_counter, device hex, seq]`.
fn stamp_json(change: &Change) -> Value {
    Value::from(vec![
        Value::from(change.hlc.wall_ms),
        Value::from(change.hlc.counter),
        Value::from(hex::encode(change.device.0)),
        Value::from(change.seq),
    ])
}

fn parse_stamp(stamp: &Value) -> Result<Precedence, ChangeLogError> {
    let parts = stamp.as_array().ok_or(ChangeLogError::OutOfRange)?;
    let number = |index: usize| {
        parts
            .get(index)
            .and_then(Value::as_u64)
            .ok_or(ChangeLogError::OutOfRange)
    };
    let device = parts
        .get(2)
        .and_then(Value::as_str)
        .and_then(hearth_ids::parse_hex16)
        .ok_or(ChangeLogError::OutOfRange)?;
    Ok((
        Hlc {
            wall_ms: number(0)?,
            counter: u32::try_from(number(1)?).map_err(|_| ChangeLogError::OutOfRange)?,
        },
        DeviceId(device),
        number(3)?,
    ))
}

/// The merge rule, in one place: each field keeps the value of the change with the higher
/// precedence ([`Change::precedence`]). The value that loses goes to the conflict queue unless
/// some edit replaced it knowingly; and what this change replaced knowingly leaves the queue.
/// The queue is therefore the same function of the set of changes held on every laptop.
fn merge_into_state(connection: &Connection, change: &Change) -> Result<(), ChangeLogError> {
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
            parse_object(&stamps)?,
            from_sql_int(created)?.min(at),
            from_sql_int(updated)?.max(at),
        ),
        None => (Map::new(), Map::new(), at, at),
    };
    let precedence = change.precedence();
    for (field, value) in &change.fields {
        if let Some(stamp) = stamps.get(field) {
            let held = parse_stamp(stamp)?;
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
        stamps.insert(field.clone(), stamp_json(change));
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
            Value::Object(stamps).to_string(),
            to_sql_int(created_ms)?,
            to_sql_int(updated_ms)?,
        ])?;
    Ok(())
}

/// Puts `loser`'s value of `field` in the conflict queue, unless an edit replaced it knowingly.
fn queue_if_concurrent(
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

/// One change, by its name.
pub fn load_change_by_ref(
    connection: &Connection,
    reference: ChangeRef,
) -> Result<Option<Change>, ChangeLogError> {
    load_change(connection, reference.device, reference.seq)
}

/// The edit the current value of a record's field came from.
pub fn current_source(
    connection: &Connection,
    entity_kind: &str,
    entity_id: [u8; 16],
    field: &str,
) -> Result<Option<ChangeRef>, ChangeLogError> {
    let stamps: Option<String> = connection
        .prepare_cached(
            "SELECT stamps FROM entity_state WHERE entity_kind = ?1 AND entity_id = ?2",
        )?
        .query_row(params![entity_kind, entity_id.as_slice()], |row| row.get(0))
        .optional()?;
    let Some(stamps) = stamps else {
        return Ok(None);
    };
    match parse_object(&stamps)?.get(field) {
        Some(stamp) => {
            let (_, device, seq) = parse_stamp(stamp)?;
            Ok(Some(ChangeRef { device, seq }))
        }
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_crypto::SecretKey;
    use proptest::prelude::*;
    use serde_json::json;

    const ACCOUNT: AccountId = AccountId::from_bytes([9; 16]);

    fn empty_vault() -> (tempfile::TempDir, Connection) {
        let folder = tempfile::tempdir().unwrap();
        let key = SecretKey::generate().unwrap();
        let mut connection =
            crate::vault::open_database(&folder.path().join("vault.db"), &key).unwrap();
        crate::vault::migrate(&mut connection).unwrap();
        (folder, connection)
    }

    /// Every record's current values, in a fixed order.
    fn projection(connection: &Connection) -> Vec<(String, Vec<u8>, String)> {
        let mut statement = connection
            .prepare("SELECT entity_kind, entity_id, current FROM entity_state ORDER BY 1, 2")
            .unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn fields(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    #[test]
    fn the_clock_never_goes_backwards() {
        let start = Hlc {
            wall_ms: 1_000,
            counter: 3,
        };
        assert_eq!(
            start.tick(2_000),
            Hlc {
                wall_ms: 2_000,
                counter: 0
            }
        );
        assert_eq!(
            start.tick(1_000),
            Hlc {
                wall_ms: 1_000,
                counter: 4
            }
        );
        // A wall clock set back an hour still moves forward.
        assert_eq!(
            start.tick(0),
            Hlc {
                wall_ms: 1_000,
                counter: 4
            }
        );
    }

    #[test]
    fn local_edits_are_numbered_and_merged_into_the_record() {
        let (_folder, connection) = empty_vault();
        let device = DeviceId([1; 16]);
        let first = record_local_edit(
            &connection,
            device,
            ACCOUNT,
            5_000,
            "case",
            [7; 16],
            fields(json!({"status": "Active", "risk": "High"})),
            &[],
        )
        .unwrap();
        let second = record_local_edit(
            &connection,
            device,
            ACCOUNT,
            4_000, // the wall clock went back: the HLC does not
            "case",
            [7; 16],
            fields(json!({"risk": null})),
            &[],
        )
        .unwrap();
        assert_eq!((first.seq, second.seq), (1, 2));
        assert!(second.hlc > first.hlc);
        let state = load_state(&connection, "case", [7; 16]).unwrap().unwrap();
        assert_eq!(Value::Object(state.values), json!({"status": "Active"}));
        assert_eq!((state.created_ms, state.updated_ms), (5_000, 5_000));
        assert_eq!(changes_of(&connection, [7; 16]).unwrap(), [first, second]);
        assert_eq!(load_state(&connection, "case", [8; 16]).unwrap(), None);
    }

    #[test]
    fn a_different_change_under_a_known_number_is_refused() {
        let (_folder, connection) = empty_vault();
        let change = Change {
            device: DeviceId([2; 16]),
            seq: 1,
            hlc: Hlc {
                wall_ms: 10,
                counter: 0,
            },
            account: ACCOUNT,
            entity_kind: "case".into(),
            entity_id: [1; 16],
            fields: fields(json!({"status": "Active"})),
            replaces: Replaces::new(),
            withheld: Vec::new(),
        };
        assert_eq!(apply_change(&connection, &change).unwrap(), Applied::Stored);
        assert_eq!(
            apply_change(&connection, &change).unwrap(),
            Applied::AlreadyPresent
        );
        let forged = Change {
            fields: fields(json!({"status": "Closed"})),
            ..change.clone()
        };
        assert!(matches!(
            apply_change(&connection, &forged),
            Err(ChangeLogError::ConflictingDuplicate { seq: 1, .. })
        ));
        let state = load_state(&connection, "case", [1; 16]).unwrap().unwrap();
        assert_eq!(state.values["status"], "Active");
    }

    /// Changes from three devices to a few fields of two records, with clocks that often tie.
    fn changes_strategy() -> impl Strategy<Value = Vec<Change>> {
        prop::collection::vec(
            (
                0u8..3,
                0u64..20,
                0u32..3,
                0u8..2,
                prop::collection::btree_map(0u8..3, prop::option::of(0u8..5), 1..3),
                prop::option::of(any::<prop::sample::Index>()),
            ),
            1..40,
        )
        .prop_map(|raw| {
            let mut next_seq = [0u64; 3];
            let mut made: Vec<ChangeRef> = Vec::new();
            raw.into_iter()
                .map(|(device, wall_ms, counter, entity, edits, replaced)| {
                    next_seq[usize::from(device)] += 1;
                    // Sometimes the edit replaced an earlier one knowingly (whatever the clocks
                    // say: the queue must be a function of the set of changes regardless).
                    let replaced = replaced
                        .filter(|_| !made.is_empty())
                        .map(|i| made[i.index(made.len())]);
                    let change = Change {
                        device: DeviceId([device; 16]),
                        seq: next_seq[usize::from(device)],
                        hlc: Hlc { wall_ms, counter },
                        account: ACCOUNT,
                        entity_kind: "case".into(),
                        entity_id: [entity; 16],
                        fields: edits
                            .into_iter()
                            .map(|(field, value)| {
                                (
                                    format!("field{field}"),
                                    value.map_or(Value::Null, Value::from),
                                )
                            })
                            .collect(),
                        replaces: Replaces::new(),
                        withheld: Vec::new(),
                    };
                    let replaces = replaced
                        .map(|r| change.fields.keys().map(|f| (f.clone(), vec![r])).collect())
                        .unwrap_or_default();
                    made.push(change.reference());
                    Change { replaces, ..change }
                })
                .collect()
        })
    }

    type Queue = std::collections::BTreeSet<([u8; 16], String, ChangeRef)>;

    /// The records, and the conflict queue (without its local ids).
    fn apply_all(changes: &[Change]) -> (Vec<(String, Vec<u8>, String)>, Queue) {
        let (_folder, mut connection) = empty_vault();
        let transaction = connection.transaction().unwrap();
        for change in changes {
            apply_change(&transaction, change).unwrap();
        }
        transaction.commit().unwrap();
        let queue = queued_conflicts(&connection, None)
            .unwrap()
            .into_iter()
            .map(|q| (q.entity_id, q.field, q.loser))
            .collect();
        (projection(&connection), queue)
    }

    /// Some changes, and the same changes in an order proptest chooses (and shrinks) from all n!.
    fn changes_in_two_orders() -> impl Strategy<Value = (Vec<Change>, Vec<Change>)> {
        changes_strategy().prop_flat_map(|changes| {
            let shuffled = Just(changes.clone()).prop_shuffle();
            (Just(changes), shuffled)
        })
    }

    // 256 cases by default; `PROPTEST_CASES=100000 cargo test -p hearth-store change_log` for more.
    proptest! {
        /// Any order, with duplicates, gives the same records and the same conflict queue; each
        /// field holds the value of its highest (HLC, device, seq) change, and every other value
        /// was either replaced knowingly or waits in the queue: none is lost silently.
        #[test]
        fn any_order_and_duplicates_give_the_same_records(
            (changes, mut shuffled) in changes_in_two_orders(),
            duplicates in prop::collection::vec(any::<prop::sample::Index>(), 0..5),
        ) {
            let (in_order, queue) = apply_all(&changes);

            // Another order, plus repeats of some changes.
            for duplicate in &duplicates {
                shuffled.push(changes[duplicate.index(changes.len())].clone());
            }
            let (shuffled_records, shuffled_queue) = apply_all(&shuffled);
            prop_assert_eq!(&shuffled_records, &in_order);
            prop_assert_eq!(&shuffled_queue, &queue);

            let mut expected_queue = Queue::new();
            for change in &changes {
                for field in change.fields.keys() {
                    let winner = changes
                        .iter()
                        .filter(|c| c.entity_id == change.entity_id && c.fields.contains_key(field))
                        .max_by_key(|c| c.precedence())
                        .unwrap();
                    let replaced = changes.iter().any(|c| {
                        c.entity_id == change.entity_id
                            && c.replaces.get(field).is_some_and(|r| r.contains(&change.reference()))
                    });
                    if winner != change && !replaced {
                        expected_queue.insert((change.entity_id, field.clone(), change.reference()));
                    }
                }
            }
            prop_assert_eq!(&queue, &expected_queue);

            for (_kind, entity, current) in &in_order {
                let current = parse_object(current).unwrap();
                let touched: std::collections::BTreeSet<&String> = changes
                    .iter()
                    .filter(|c| c.entity_id.as_slice() == entity.as_slice())
                    .flat_map(|c| c.fields.keys())
                    .collect();
                for field in touched {
                    let winner = changes
                        .iter()
                        .filter(|c| c.entity_id.as_slice() == entity.as_slice() && c.fields.contains_key(field))
                        .max_by_key(|c| c.precedence())
                        .unwrap();
                    let expected = &winner.fields[field];
                    prop_assert_eq!(current.get(field).unwrap_or(&Value::Null), expected);
                }
            }
        }
    }
}
