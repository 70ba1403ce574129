//! The records attached to a case (consent decisions, services, referrals, notes, follow-ups),
//! and the consent decision in force for each purpose: the one rule the referral check and the
//! sync consent filter both follow.

use std::collections::BTreeMap;

use rusqlite::{params, Connection};

use crate::model::*;
use crate::projection::{self, Stored};
use crate::{RecordError, RecordId, RecordKind};

/// THE rule of which decision is in force: of the decisions for one purpose (and partner), the
/// one with the latest date, and of those the one recorded last. Both the case page and every
/// check (referrals, what leaves in a bundle) go through it.
fn replaces(newer: (&ConsentFields, u64), older: (&ConsentFields, u64)) -> bool {
    (newer.0.date.as_deref(), newer.1) > (older.0.date.as_deref(), older.1)
}

/// The decision in force for each purpose (and partner).
pub(crate) fn current_consents(consents: &[Record<ConsentFields>]) -> Vec<Record<ConsentFields>> {
    let mut newest: BTreeMap<(Option<String>, Option<String>), &Record<ConsentFields>> =
        BTreeMap::new();
    for consent in consents {
        let key = (
            consent.fields.purpose.clone(),
            consent.fields.partner.clone(),
        );
        let is_newer = newest.get(&key).is_none_or(|current| {
            replaces(
                (&consent.fields, consent.created_ms),
                (&current.fields, current.created_ms),
            )
        });
        if is_newer {
            newest.insert(key, consent);
        }
    }
    newest.into_values().cloned().collect()
}

/// Whether the decision in force on `case` for `purpose` (and `partner`) is Given.
pub fn consent_given(
    connection: &Connection,
    case: RecordId,
    purpose: &str,
    partner: Option<&str>,
) -> Result<bool, RecordError> {
    Ok(given_in(
        &consents_in_force(connection, case)?,
        purpose,
        partner,
    ))
}

/// The decisions in force on `case`, one per purpose (and partner): read once, for a caller that
/// asks of several purposes ([`given_in`]).
pub(crate) fn consents_in_force(
    connection: &Connection,
    case: RecordId,
) -> Result<Vec<Record<ConsentFields>>, RecordError> {
    let consents: Vec<Record<ConsentFields>> =
        typed_children(connection, case, RecordKind::Consent)?;
    Ok(current_consents(&consents))
}

/// Whether, of the decisions in force, the one for `purpose` (and `partner`) is Given.
pub(crate) fn given_in(
    in_force: &[Record<ConsentFields>],
    purpose: &str,
    partner: Option<&str>,
) -> bool {
    in_force.iter().any(|consent| {
        consent.fields.purpose.as_deref() == Some(purpose)
            && consent.fields.partner.as_deref() == partner
            && consent.fields.decision.as_deref() == Some("Given")
    })
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

/// Whether the person consented to a referral to `partner` (the decision in force).
pub(crate) fn consent_in_force(
    connection: &Connection,
    case: RecordId,
    partner: Option<&str>,
) -> Result<bool, RecordError> {
    consent_given(connection, case, "ReferralToPartner", partner)
}
