//! The conflict queue as a supervisor sees it, and its resolution.
//!
//! When two laptops change the same field before either has seen the other's edit, the merge
//! keeps one value (the higher clock wins) and the change log puts the other in the queue (see
//! [`crate::change_log`]). A supervisor then keeps the current value, takes the queued one, or
//! writes a third. Each resolution is an ordinary edit of the field that also names the queued
//! edit as replaced, so the conflict leaves the queue on every laptop the resolution reaches.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{RecordError, RecordId, RecordKind};
use crate::access::{Operation, Session};
use crate::audit::{Action, Target};
use crate::change_log::{self, ChangeRef, QueuedConflict};

/// One version of a field in conflict.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "ConflictVersion.ts")
)]
pub struct ConflictVersion {
    /// The value (`null`: the field was cleared).
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub value: Value,
    /// The laptop whose edit it is (device id, hex).
    pub device: String,
    /// That laptop's name in the roster, if this laptop knows it.
    pub device_name: Option<String>,
    /// When it was made (the edit's clock, milliseconds since the Unix epoch).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub at_ms: u64,
}

/// A field with two versions: the one in the record, and one that lost to it without its author
/// having seen the other.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "Conflict.ts"))]
pub struct Conflict {
    /// The queue's id on this laptop.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The record's kind (`case`, `service`, ...).
    pub record_kind: String,
    /// The record (hex).
    pub record_id: String,
    /// The case it belongs to (hex), unless it is a partner organisation.
    pub case_id: Option<String>,
    /// That case's number, if this laptop holds it.
    pub case_number: Option<String>,
    /// The field.
    pub field: String,
    /// The value the record has now.
    pub current: ConflictVersion,
    /// The value that lost.
    pub queued: ConflictVersion,
}

/// How a supervisor resolves a conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Keep the value the record has now.
    KeepCurrent,
    /// Take the queued value.
    TakeQueued,
    /// Write this value instead of either.
    Set(Value),
}

impl Session {
    /// The conflict queue, oldest first.
    pub fn conflicts(&self) -> Result<Vec<Conflict>, RecordError> {
        self.require(Operation::ResolveConflicts)?;
        let connection = self.database();
        change_log::queued_conflicts(connection, None)?
            .into_iter()
            .map(|queued| describe(connection, queued))
            .collect()
    }

    /// Resolves one conflict: validated and permitted like any edit of that field, in one
    /// transaction, and audited as a resolution.
    pub fn resolve_conflict(&mut self, id: i64, resolution: Resolution) -> Result<(), RecordError> {
        self.require(Operation::ResolveConflicts)?;
        let queued = change_log::queued_conflicts(self.database(), Some(id))?
            .pop()
            .ok_or(RecordError::NoSuchConflict)?;
        let kind = RecordKind::parse(&queued.entity_kind).ok_or(RecordError::NoSuchConflict)?;
        let record = RecordId::from_bytes(queued.entity_id);
        let value = match resolution {
            Resolution::KeepCurrent => current_value(self.database(), &queued)?,
            Resolution::TakeQueued => queued_value(self.database(), &queued)?,
            Resolution::Set(value) => value,
        };
        let input: Map<String, Value> = [(queued.field.clone(), value)].into_iter().collect();
        let target = Target {
            kind: kind.as_str(),
            id: record.to_string(),
        };
        let result = self.writer().and_then(|writer| {
            let writer = writer.resolving(&queued.field, queued.loser);
            match kind {
                RecordKind::Case => self.update_case_as(writer, record, &input),
                RecordKind::Partner => self.update_partner_as(writer, record, &input),
                // Decisions are never edited, so two laptops cannot edit one concurrently.
                RecordKind::Consent => Err(RecordError::ConsentIsHistory),
                child => self.update_record_as(writer, child, record, &input),
            }
        });
        self.audit_if_refused(result, Action::ResolveConflict, Some(target))
    }
}

fn current_value(
    connection: &rusqlite::Connection,
    queued: &QueuedConflict,
) -> Result<Value, RecordError> {
    Ok(
        change_log::load_state(connection, &queued.entity_kind, queued.entity_id)?
            .and_then(|state| state.values.get(&queued.field).cloned())
            .unwrap_or(Value::Null),
    )
}

fn queued_value(
    connection: &rusqlite::Connection,
    queued: &QueuedConflict,
) -> Result<Value, RecordError> {
    Ok(change_log::load_change_by_ref(connection, queued.loser)?
        .and_then(|change| change.fields.get(&queued.field).cloned())
        .unwrap_or(Value::Null))
}

fn version(
    connection: &rusqlite::Connection,
    source: Option<ChangeRef>,
    value: Value,
) -> Result<ConflictVersion, RecordError> {
    let change = match source {
        Some(source) => change_log::load_change_by_ref(connection, source)?,
        None => None,
    };
    let device = change
        .as_ref()
        .map(|c| hex::encode(c.device.0))
        .unwrap_or_default();
    let device_name = crate::sync::device_name(connection, &device);
    Ok(ConflictVersion {
        value,
        device,
        device_name,
        at_ms: change.map_or(0, |c| c.hlc.wall_ms),
    })
}

fn describe(
    connection: &rusqlite::Connection,
    queued: QueuedConflict,
) -> Result<Conflict, RecordError> {
    let record_id = RecordId::from_bytes(queued.entity_id);
    let state = change_log::load_state(connection, &queued.entity_kind, queued.entity_id)?;
    let case_id = match queued.entity_kind.as_str() {
        "case" => Some(record_id),
        "partner" => None,
        _ => state
            .as_ref()
            .and_then(|s| s.values.get("case_id"))
            .and_then(Value::as_str)
            .and_then(RecordId::parse),
    };
    let case_number = match case_id {
        Some(case) => change_log::load_state(connection, "case", case.0)?
            .and_then(|s| s.values.get("case_number").cloned())
            .and_then(|n| n.as_str().map(str::to_owned)),
        None => None,
    };
    let source = change_log::current_source(
        connection,
        &queued.entity_kind,
        queued.entity_id,
        &queued.field,
    )?;
    let current = version(connection, source, current_value(connection, &queued)?)?;
    let queued_version = version(
        connection,
        Some(queued.loser),
        queued_value(connection, &queued)?,
    )?;
    Ok(Conflict {
        id: queued.id,
        record_kind: queued.entity_kind,
        record_id: record_id.to_string(),
        case_id: case_id.map(|c| c.to_string()),
        case_number,
        field: queued.field,
        current,
        queued: queued_version,
    })
}
