//! The directory of partner organisations that referrals and consent decisions name.

use rusqlite::{Connection, Transaction};
use serde_json::{Map, Value};

use hearth_ids::Operation;
use hearth_store::audit::{Action, Target};

use crate::actor::Actor;
use crate::model::*;
use crate::projection;
use crate::validate::*;
use crate::write::write;
use crate::{RecordError, RecordId, RecordKind};

/// The partner organisation directory, by name.
pub fn list(connection: &Connection) -> Result<Vec<Record<PartnerFields>>, RecordError> {
    let mut statement = connection.prepare_cached("SELECT id FROM partners ORDER BY sort_name")?;
    let ids = statement
        .query_map([], |row| row.get::<_, Vec<u8>>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut partners = Vec::with_capacity(ids.len());
    for bytes in ids {
        let Ok(bytes) = <[u8; 16]>::try_from(bytes) else {
            continue;
        };
        let id = RecordId(bytes);
        if let Some(stored) = projection::load(connection, RecordKind::Partner, id)? {
            partners.push(stored.into_record(id)?);
        }
    }
    Ok(partners)
}

/// Adds a partner organisation to the directory.
pub fn add(
    transaction: &Transaction<'_>,
    actor: &Actor,
    input: &Map<String, Value>,
) -> Result<RecordId, RecordError> {
    actor.require(Operation::ManagePartners)?;
    let mut problems = Problems::default();
    let mut changes = validate_input(
        transaction,
        actor,
        RecordKind::Partner,
        input,
        &mut problems,
    );
    let mut fields = Map::new();
    apply(&mut fields, &changes);
    check_required(RecordKind::Partner, &fields, &mut problems);
    problems.finish()?;
    changes.push(("created_by", Some(Value::from(actor.me()))));
    let id = crate::new_record_id()?;
    write(
        transaction,
        actor,
        RecordKind::Partner,
        id,
        &changes,
        Action::AddPartner,
        Target::partner(id),
    )?;
    Ok(id)
}

/// Changes the fields given of a partner organisation.
pub fn update(
    transaction: &Transaction<'_>,
    actor: &Actor,
    id: RecordId,
    input: &Map<String, Value>,
) -> Result<(), RecordError> {
    actor.require(Operation::ManagePartners)?;
    let current = projection::load(transaction, RecordKind::Partner, id)?
        .ok_or(RecordError::NotFound(RecordKind::Partner))?;
    let mut problems = Problems::default();
    let changes: Changes = validate_input(
        transaction,
        actor,
        RecordKind::Partner,
        input,
        &mut problems,
    )
    .into_iter()
    .filter(|(name, value)| current.fields.get(*name) != value.as_ref() || actor.rewrites(name))
    .collect();
    let mut fields = current.fields.clone();
    apply(&mut fields, &changes);
    check_required(RecordKind::Partner, &fields, &mut problems);
    problems.finish()?;
    if !changes.is_empty() {
        write(
            transaction,
            actor,
            RecordKind::Partner,
            id,
            &changes,
            Action::UpdatePartner,
            Target::partner(id),
        )?;
    }
    Ok(())
}
