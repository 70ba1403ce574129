//! The values statistics count, kept beside the other query tables (`case_facts`,
//! `service_facts`, `referral_facts`, migration 017): one narrow row per case, service and
//! referral, rewritten by [`projection::refresh`](crate::projection) whenever the record changes,
//! so that hearth-reports reads three small tables instead of every record's JSON.
//!
//! What a row holds is decided here once: a case's site is the site of the laptop that opened it;
//! its age is the age when identified; its country of exploitation is the first exploitation
//! event's; the time trafficked runs from the first dated event to the day identified; its
//! consent columns follow the decision in force ([`crate::consent_given`]'s rule).

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use crate::children::{children_of, consents_in_force, given_in};
use crate::dates::Date;
use crate::projection::{self, Stored};
use crate::{RecordError, RecordId, RecordKind};

/// The consent purpose that lets a case count in statistics that leave the vault.
pub const STATISTICS_PURPOSE: &str = "AnonymousStatistics";
/// The consent purpose that lets a case's identifying fields leave its laptop.
pub const SHARING_PURPOSE: &str = "SharingWithinOrganisation";

/// Writes (or rewrites) a case's facts from its current fields.
pub(crate) fn refresh_case(
    connection: &Connection,
    id: RecordId,
    stored: &Stored,
) -> Result<(), RecordError> {
    let key = id.0.as_slice();
    let site = site_of(connection, id)?;
    let opened = Date::of_epoch_ms(stored.created_ms).to_string();
    let identified = stored.text("date_identified").and_then(Date::parse);
    let status = stored.text("status").unwrap_or("Active");
    let closed = if status.starts_with("Closed") {
        hearth_store::change_log::field_written_at(connection, "case", id.0, "status")?
            .map(|hlc| Date::of_epoch_ms(hlc.wall_ms).to_string())
    } else {
        None
    };
    let events = stored
        .fields
        .get("trafficking_events")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let exploitation_country = events
        .iter()
        .filter(|event| event.get("type").and_then(Value::as_str) == Some("Exploitation"))
        .find_map(|event| event.get("country").and_then(Value::as_str));
    let first_event = events
        .iter()
        .filter_map(|event| {
            event
                .get("date")
                .and_then(Value::as_str)
                .and_then(Date::parse)
        })
        .min();
    let trafficked_months = first_event
        .zip(identified)
        .map(|(first, identified)| first.months_until(identified).max(0));
    let (statistics_consent, sharing_consent) = match existing_consents(connection, key)? {
        Some(known) => known,
        None => consents_of(connection, id)?,
    };
    connection
        .prepare_cached(
            "INSERT OR REPLACE INTO case_facts (case_id, site, opened, identified, closed, status,
                 trafficking_status, gender, age, citizenship, exploitation_country,
                 trafficked_months, exploitation_types, means_of_control, labour_industry,
                 sexual_exploitation_types, relation_to_recruiter, statistics_consent,
                 sharing_consent)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                     ?18, ?19)",
        )?
        .execute(params![
            key,
            site,
            opened,
            identified.map(|day| day.to_string()),
            closed,
            status,
            stored.text("trafficking_status"),
            stored.text("gender"),
            age_when_identified(stored, identified),
            first_code(stored, "citizenships"),
            exploitation_country,
            trafficked_months,
            codes(stored, "exploitation_types"),
            codes(stored, "means_of_control"),
            stored.text("labour_industry"),
            codes(stored, "sexual_exploitation_types"),
            stored.text("relation_to_recruiter"),
            statistics_consent,
            sharing_consent,
        ])?;
    Ok(())
}

/// Writes (or rewrites) the facts a child record gives: its own row for a service or a referral,
/// the case's consent columns for a consent decision.
pub(crate) fn refresh_child(
    connection: &Connection,
    kind: RecordKind,
    id: RecordId,
    case_id: &[u8],
    stored: &Stored,
) -> Result<(), RecordError> {
    match kind {
        RecordKind::Service => {
            connection
                .prepare_cached(
                    "INSERT OR REPLACE INTO service_facts (id, case_id, type, status)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    id.0.as_slice(),
                    case_id,
                    stored.text("type"),
                    stored.text("status"),
                ])?;
        }
        RecordKind::Referral => {
            connection
                .prepare_cached(
                    "INSERT OR REPLACE INTO referral_facts (id, case_id, direction, partner,
                         status, decline_reason)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    id.0.as_slice(),
                    case_id,
                    stored.text("direction"),
                    stored.text("partner"),
                    stored.text("status"),
                    stored.text("decline_reason"),
                ])?;
        }
        RecordKind::Consent => update_consents(connection, case_id)?,
        _ => {}
    }
    Ok(())
}

/// A consent decision of the case `case_id` is gone (its changes were forgotten): the case's
/// consent columns follow the decisions that remain.
pub(crate) fn consent_removed(connection: &Connection, case_id: &[u8]) -> Result<(), RecordError> {
    update_consents(connection, case_id)
}

/// Works out the case's consent columns again from its consent decisions. A case with no row yet
/// has none to update: its row, when written, works them out from every decision then held (an
/// import writes a new case's row after its decisions, and so reads them once).
fn update_consents(connection: &Connection, case_id: &[u8]) -> Result<(), RecordError> {
    let Ok(case) = <[u8; 16]>::try_from(case_id) else {
        return Ok(());
    };
    if existing_consents(connection, case_id)?.is_none() {
        return Ok(());
    }
    let (statistics, sharing) = consents_of(connection, RecordId(case))?;
    connection
        .prepare_cached(
            "UPDATE case_facts SET statistics_consent = ?2, sharing_consent = ?3
             WHERE case_id = ?1",
        )?
        .execute(params![case_id, statistics, sharing])?;
    Ok(())
}

/// The statements that remove a record's facts, for [`projection`]'s removal of a record.
pub(crate) const REMOVE_CASE: &[&str] = &[
    "DELETE FROM case_facts WHERE case_id = ?1",
    "DELETE FROM service_facts WHERE case_id = ?1",
    "DELETE FROM referral_facts WHERE case_id = ?1",
];
/// See [`REMOVE_CASE`].
pub(crate) const REMOVE_CHILD: &[&str] = &[
    "DELETE FROM service_facts WHERE id = ?1",
    "DELETE FROM referral_facts WHERE id = ?1",
];

/// Builds every record's facts if they have not been built since migration 017 (which adds the
/// tables empty). Returns whether it built them. Runs in the caller's transaction.
pub fn build_if_missing(connection: &Connection) -> Result<bool, RecordError> {
    let built: i64 = connection
        .prepare_cached("SELECT built FROM facts_built WHERE id = 1")?
        .query_row([], |row| row.get(0))
        .optional()?
        .unwrap_or(0);
    if built == 1 {
        return Ok(false);
    }
    for statement in [
        "DELETE FROM case_facts",
        "DELETE FROM service_facts",
        "DELETE FROM referral_facts",
    ] {
        connection.execute(statement, [])?;
    }
    // The numbered cases only, as the case list has them (a case whose creation has not arrived
    // waits out of every table, see projection::refresh_case).
    let cases: Vec<Vec<u8>> = connection
        .prepare("SELECT id FROM cases")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for bytes in cases {
        let Ok(id) = <[u8; 16]>::try_from(bytes.as_slice()) else {
            continue;
        };
        let id = RecordId(id);
        if let Some(stored) = projection::load(connection, RecordKind::Case, id)? {
            refresh_case(connection, id, &stored)?;
        }
        for kind in [RecordKind::Service, RecordKind::Referral] {
            for (child, stored) in children_of(connection, id, kind)? {
                refresh_child(connection, kind, child, &id.0, &stored)?;
            }
        }
    }
    connection.execute("UPDATE facts_built SET built = 1 WHERE id = 1", [])?;
    Ok(true)
}

/// The site of the laptop that made the case's first change (the one that numbered it); this
/// vault's own site when that laptop is not on the roster (a vault that never joined one).
fn site_of(connection: &Connection, id: RecordId) -> Result<String, RecordError> {
    let source = hearth_store::change_log::current_source(connection, "case", id.0, "case_number")?;
    if let Some(source) = source {
        let site: Option<String> = connection
            .prepare_cached("SELECT site FROM devices WHERE device_id = ?1")?
            .query_row([source.device.0.as_slice()], |row| row.get(0))
            .optional()?;
        if let Some(site) = site {
            return Ok(site);
        }
    }
    Ok(connection
        .prepare_cached("SELECT site FROM organisation WHERE id = 1")?
        .query_row([], |row| row.get(0))?)
}

/// Whether the decision in force on `case` is consent to share within the organisation
/// ([`crate::consent_given`]'s rule for [`SHARING_PURPOSE`]): read from the case's facts row,
/// which follows every decision of the case as it changes ([`update_consents`]), and worked out
/// from the decisions themselves for a case with no row (one whose creation has not arrived).
/// One narrow row instead of every decision's JSON: what a bundle's consent filter asks per case.
pub fn shares_within_organisation(
    connection: &Connection,
    case: RecordId,
) -> Result<bool, RecordError> {
    match existing_consents(connection, &case.0)? {
        Some((_, sharing)) => Ok(sharing),
        None => crate::consent_given(connection, case, SHARING_PURPOSE, None),
    }
}

/// The consent columns a case's row already has (so that an edit of the case does not read its
/// consent decisions again), or `None` for a case with no row yet.
fn existing_consents(
    connection: &Connection,
    key: &[u8],
) -> Result<Option<(bool, bool)>, RecordError> {
    Ok(connection
        .prepare_cached(
            "SELECT statistics_consent, sharing_consent FROM case_facts WHERE case_id = ?1",
        )?
        .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

fn consents_of(connection: &Connection, case: RecordId) -> Result<(bool, bool), RecordError> {
    let in_force = consents_in_force(connection, case)?;
    Ok((
        given_in(&in_force, STATISTICS_PURPOSE, None),
        given_in(&in_force, SHARING_PURPOSE, None),
    ))
}

/// The person's age on the day identified: from the birth date, or else the age estimated then.
fn age_when_identified(stored: &Stored, identified: Option<Date>) -> Option<i64> {
    if let Some(born) = stored.text("birth_date").and_then(Date::parse) {
        let on = identified.unwrap_or_else(|| Date::of_epoch_ms(stored.created_ms));
        return Some(i64::from(born.years_until(on).max(0)));
    }
    stored.fields.get("estimated_age").and_then(Value::as_i64)
}

fn first_code<'a>(stored: &'a Stored, field: &str) -> Option<&'a str> {
    stored
        .fields
        .get(field)
        .and_then(Value::as_array)
        .and_then(|codes| codes.iter().find_map(Value::as_str))
}

fn codes(stored: &Stored, field: &str) -> String {
    stored
        .fields
        .get(field)
        .and_then(Value::as_array)
        .map(|codes| {
            codes
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}
