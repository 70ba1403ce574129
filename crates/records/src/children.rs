//! The records attached to a case (consent decisions, services, referrals, notes, follow-ups),
//! and the consent decision in force for each purpose: the one rule the referral check and the
//! sync consent filter both follow.

use std::collections::BTreeMap;

use rusqlite::{params, Connection};

use crate::model::*;
use crate::projection::{self, Stored};
use crate::{RecordError, RecordId, RecordKind};

/// The decision in force for each purpose (and partner): the newest by date, then by entry.
pub(crate) fn current_consents(consents: &[Record<ConsentFields>]) -> Vec<Record<ConsentFields>> {
    let mut newest: BTreeMap<(Option<String>, Option<String>), &Record<ConsentFields>> =
        BTreeMap::new();
    for consent in consents {
        let key = (
            consent.fields.purpose.clone(),
            consent.fields.partner.clone(),
        );
        let order = |c: &Record<ConsentFields>| (c.fields.date.clone(), c.created_ms);
        match newest.get(&key) {
            Some(current) if order(current) >= order(consent) => {}
            _ => {
                newest.insert(key, consent);
            }
        }
    }
    newest.into_values().cloned().collect()
}

pub(crate) fn children_of(
    connection: &Connection,
    case: RecordId,
    kind: RecordKind,
) -> Result<Vec<(RecordId, Stored)>, RecordError> {
    let mut statement = connection
        .prepare_cached("SELECT id FROM case_children WHERE case_id = ?1 AND kind = ?2")?;
    let ids = statement
        .query_map(params![case.0.as_slice(), kind.as_str()], |row| {
            row.get::<_, Vec<u8>>(0)
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut children = Vec::with_capacity(ids.len());
    for bytes in ids {
        let id = RecordId(<[u8; 16]>::try_from(bytes).map_err(|_| RecordError::NotFound(kind))?);
        if let Some(stored) = projection::load(connection, kind, id)? {
            children.push((id, stored));
        }
    }
    Ok(children)
}

pub(crate) fn typed_children<F: serde::de::DeserializeOwned>(
    connection: &Connection,
    case: RecordId,
    kind: RecordKind,
) -> Result<Vec<Record<F>>, RecordError> {
    children_of(connection, case, kind)?
        .into_iter()
        .map(|(id, stored)| stored.into_record(id))
        .collect()
}

pub(crate) fn consent_in_force(
    connection: &Connection,
    case: RecordId,
    partner: Option<&str>,
) -> Result<bool, RecordError> {
    let consents: Vec<Record<ConsentFields>> =
        typed_children(connection, case, RecordKind::Consent)?;
    Ok(current_consents(&consents).iter().any(|consent| {
        consent.fields.purpose.as_deref() == Some("ReferralToPartner")
            && consent.fields.partner.as_deref() == partner
            && consent.fields.decision.as_deref() == Some("Given")
    }))
}
