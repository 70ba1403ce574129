//! How changes and clocks are stored: rows, their JSON columns, and the numbers SQLite holds.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

use hearth_ids::{AccountId, DeviceId, Hlc};

use super::*;

/// A change as a row holds it, before its JSON and numbers are checked.
pub(super) struct StoredChange {
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
    proof: Option<String>,
    chain: Option<Vec<u8>>,
}

/// The columns [`StoredChange::from_row`] reads, in its order.
pub(super) const CHANGE_COLUMNS: &str = "device, seq, hlc_ms, hlc_counter, account, entity_kind, \
     entity_id, fields, replaces, withheld, proof, chain";

impl StoredChange {
    pub(super) fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredChange> {
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
            proof: row.get(10)?,
            chain: row.get(11)?,
        })
    }

    pub(super) fn parse(self) -> Result<Change, ChangeLogError> {
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
            proof: self
                .proof
                .map(|proof| serde_json::from_str(&proof))
                .transpose()
                .map_err(|_| ChangeLogError::OutOfRange)?,
            chain: self
                .chain
                .map(<[u8; 32]>::try_from)
                .transpose()
                .map_err(|_| ChangeLogError::OutOfRange)?,
        })
    }
}

pub(super) fn to_sql_int(value: u64) -> Result<i64, ChangeLogError> {
    i64::try_from(value).map_err(|_| ChangeLogError::OutOfRange)
}

/// The JSON text of a change's fields or list of withheld fields, written without copying them
/// first. serde_json fails only on maps whose keys are not strings, which these never are.
pub(super) fn json_text(value: &impl serde::Serialize) -> Result<String, ChangeLogError> {
    serde_json::to_string(value).map_err(|_| ChangeLogError::OutOfRange)
}

pub(super) fn from_sql_int(value: i64) -> Result<u64, ChangeLogError> {
    u64::try_from(value).map_err(|_| ChangeLogError::OutOfRange)
}

pub(super) fn replaces_json(replaces: &Replaces) -> String {
    let object: Map<String, Value> = replaces
        .iter()
        .map(|(field, refs)| {
            let refs = refs.iter().map(|r| Value::from(r.to_text())).collect();
            (field.clone(), Value::Array(refs))
        })
        .collect();
    Value::Object(object).to_string()
}

pub(super) fn parse_replaces(text: &str) -> Result<Replaces, ChangeLogError> {
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

pub(super) fn parse_object(text: &str) -> Result<Map<String, Value>, ChangeLogError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ChangeLogError::OutOfRange),
    }
}

pub(super) fn read_clock(connection: &Connection) -> Result<Hlc, ChangeLogError> {
    let (wall_ms, counter): (i64, i64) = connection
        .prepare_cached("SELECT hlc_ms, hlc_counter FROM clock WHERE id = 1")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(Hlc {
        wall_ms: from_sql_int(wall_ms)?,
        counter: u32::try_from(counter).map_err(|_| ChangeLogError::OutOfRange)?,
    })
}

pub(super) fn write_clock(connection: &Connection, hlc: Hlc) -> Result<(), ChangeLogError> {
    connection
        .prepare_cached("UPDATE clock SET hlc_ms = ?1, hlc_counter = ?2 WHERE id = 1")?
        .execute(params![to_sql_int(hlc.wall_ms)?, hlc.counter])?;
    Ok(())
}

pub(super) fn insert_change(
    connection: &Connection,
    change: &Change,
) -> Result<(), ChangeLogError> {
    connection
        .prepare_cached(
            "INSERT INTO changes (device, seq, hlc_ms, hlc_counter, account, entity_kind,
                 entity_id, fields, replaces, withheld, proof, chain)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
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
            change.proof.as_ref().map(json_text).transpose()?,
            change.chain.as_ref().map(|chain| chain.as_slice()),
        ])?;
    Ok(())
}

pub(super) fn load_change(
    connection: &Connection,
    device: DeviceId,
    seq: u64,
) -> Result<Option<Change>, ChangeLogError> {
    connection
        .prepare_cached(&format!(
            "SELECT {CHANGE_COLUMNS} FROM changes WHERE device = ?1 AND seq = ?2"
        ))?
        .query_row(
            params![device.0.as_slice(), to_sql_int(seq)?],
            StoredChange::from_row,
        )
        .optional()?
        .map(StoredChange::parse)
        .transpose()
}
