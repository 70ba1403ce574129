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
    let changes = validate_input(
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
    require_key_permission(actor, &changes)?;
    write_new(transaction, actor, changes)
}

/// Writes a new partner from validated changes (audited as an addition).
fn write_new(
    transaction: &Transaction<'_>,
    actor: &Actor,
    mut changes: Changes,
) -> Result<RecordId, RecordError> {
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
    // Asked for, even if the key stays as it is: the answer must not depend on the key.
    if input.contains_key("age_recipient") {
        actor.require(Operation::ManagePartnerKeys)?;
    }
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
        let action = if changes.iter().any(|(name, _)| *name == "age_recipient") {
            Action::SetPartnerKey
        } else {
            Action::UpdatePartner
        };
        write(
            transaction,
            actor,
            RecordKind::Partner,
            id,
            &changes,
            action,
            Target::partner(id),
        )?;
    }
    Ok(())
}

/// A partner's key (`Guard::PartnerKey`) is set only by those who may manage keys.
fn require_key_permission(actor: &Actor, changes: &Changes) -> Result<(), RecordError> {
    if changes.iter().any(|(name, _)| *name == "age_recipient") {
        actor.require(Operation::ManagePartnerKeys)?;
    }
    Ok(())
}

/// The directory's partner called `name` (case aside), added if it is missing: the organisation
/// a received referral packet came from. Receiving a packet needs only the right to open cases,
/// so this adds the sender without the right to manage the directory (audited as an addition).
pub fn sender_partner(
    transaction: &Transaction<'_>,
    actor: &Actor,
    name: &str,
    organisation_type: &str,
) -> Result<RecordId, RecordError> {
    actor.require(Operation::CreateCase)?;
    let wanted = name.trim().to_lowercase();
    for partner in list(transaction)? {
        if partner
            .fields
            .name
            .as_deref()
            .map(|n| n.trim().to_lowercase())
            == Some(wanted.clone())
        {
            return RecordId::parse(&partner.id).ok_or(RecordError::NotFound(RecordKind::Partner));
        }
    }
    let mut input = Map::new();
    input.insert("name".to_owned(), Value::from(name.trim()));
    let known_type = crate::codes::is_code_in("organisation_type", organisation_type);
    input.insert(
        "type".to_owned(),
        Value::from(if known_type { organisation_type } else { "NGO" }),
    );
    let mut problems = Problems::default();
    let changes = validate_input(
        transaction,
        actor,
        RecordKind::Partner,
        &input,
        &mut problems,
    );
    problems.finish()?;
    write_new(transaction, actor, changes)
}

/// One partner organisation of the directory.
pub fn get(connection: &Connection, id: RecordId) -> Result<Record<PartnerFields>, RecordError> {
    projection::load(connection, RecordKind::Partner, id)?
        .ok_or(RecordError::NotFound(RecordKind::Partner))?
        .into_record(id)
}
