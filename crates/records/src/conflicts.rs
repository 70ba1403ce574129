//! The conflict queue as a supervisor sees it, and its resolution.
//!
//! When two laptops change the same field before either has seen the other's edit, the merge
//! keeps one value (the higher clock wins) and the change log puts the other in the queue (see
//! `hearth_store::change_log`). A supervisor then keeps the current value, takes the queued one, or
//! writes a third. Each resolution is an ordinary edit of the field that also names the queued
//! edit as replaced, so the conflict leaves the queue on every laptop the resolution reaches.

use serde::Serialize;
use serde_json::{Map, Value};

use hearth_ids::{DeviceId, Operation};
use hearth_store::audit::Target;
use hearth_store::change_log::{self, ChangeRef, QueuedConflict};
use rusqlite::{Connection, Transaction};

use crate::actor::Actor;
use crate::{RecordError, RecordId, RecordKind};

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

/// The conflict queue, oldest first. `device_name` names a device for people (the roster's
/// name, which the sync layer knows).
pub fn list(
    connection: &Connection,
    device_name: &dyn Fn(DeviceId) -> Option<String>,
) -> Result<Vec<Conflict>, RecordError> {
    change_log::queued_conflicts(connection, None)?
        .into_iter()
        .map(|queued| describe(connection, queued, device_name))
        .collect()
}

/// What a resolution would edit: the record, for the audit entry of a refusal.
pub fn target_of(connection: &Connection, id: i64) -> Result<Target, RecordError> {
    let queued = change_log::queued_conflicts(connection, Some(id))?
        .pop()
        .ok_or(RecordError::NoSuchConflict)?;
    let kind = RecordKind::parse(&queued.entity_kind).ok_or(RecordError::NoSuchConflict)?;
    Ok(Target {
        kind: kind.as_str(),
        id: RecordId::from_bytes(queued.entity_id).to_string(),
    })
}

/// Resolves one conflict: validated and permitted like any edit of that field, in the caller's
/// transaction, and audited as a resolution.
pub fn resolve(
    transaction: &Transaction<'_>,
    actor: Actor,
    id: i64,
    resolution: Resolution,
) -> Result<(), RecordError> {
    actor.require(Operation::ResolveConflicts)?;
    let queued = change_log::queued_conflicts(transaction, Some(id))?
        .pop()
        .ok_or(RecordError::NoSuchConflict)?;
    let kind = RecordKind::parse(&queued.entity_kind).ok_or(RecordError::NoSuchConflict)?;
    let record = RecordId::from_bytes(queued.entity_id);
    let value = match resolution {
        Resolution::KeepCurrent => current_value(transaction, &queued)?,
        Resolution::TakeQueued => queued_value(transaction, &queued)?,
        Resolution::Set(value) => value,
    };
    let input: Map<String, Value> = [(queued.field.clone(), value)].into_iter().collect();
    let actor = actor.resolving(&queued.field, queued.loser);
    match kind {
        RecordKind::Case => crate::write::update_case(transaction, &actor, record, &input),
        RecordKind::Partner => crate::partners::update(transaction, &actor, record, &input),
        // Decisions are never edited, so two laptops cannot edit one concurrently.
        RecordKind::Consent => Err(RecordError::ConsentIsHistory),
        child => crate::write::update_record(transaction, &actor, child, record, &input),
    }
}

fn current_value(connection: &Connection, queued: &QueuedConflict) -> Result<Value, RecordError> {
    Ok(
        change_log::load_state(connection, &queued.entity_kind, queued.entity_id)?
            .and_then(|state| state.values.get(&queued.field).cloned())
            .unwrap_or(Value::Null),
    )
}

fn queued_value(connection: &Connection, queued: &QueuedConflict) -> Result<Value, RecordError> {
    Ok(change_log::load_change_by_ref(connection, queued.loser)?
        .and_then(|change| change.fields.get(&queued.field).cloned())
        .unwrap_or(Value::Null))
}

fn version(
    connection: &Connection,
    source: Option<ChangeRef>,
    value: Value,
    device_name: &dyn Fn(DeviceId) -> Option<String>,
) -> Result<ConflictVersion, RecordError> {
    let change = match source {
        Some(source) => change_log::load_change_by_ref(connection, source)?,
        None => None,
    };
    let device = change.as_ref().map(|c| c.device);
    Ok(ConflictVersion {
        value,
        device: device.map(|d| d.to_hex()).unwrap_or_default(),
        device_name: device.and_then(device_name),
        at_ms: change.map_or(0, |c| c.hlc.wall_ms),
    })
}

fn describe(
    connection: &Connection,
    queued: QueuedConflict,
    device_name: &dyn Fn(DeviceId) -> Option<String>,
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
    let current = version(
        connection,
        source,
        current_value(connection, &queued)?,
        device_name,
    )?;
    let queued_version = version(
        connection,
        Some(queued.loser),
        queued_value(connection, &queued)?,
        device_name,
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
