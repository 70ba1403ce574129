//! Everything about one case, as its page shows it: the case, what is attached to it, the names
//! of the staff and partners it mentions, and what the actor may do to it.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};

use hearth_ids::{is_allowed, Operation};

use crate::actor::Actor;
use crate::case_access::{may_on_case, require_case};
use crate::children::{current_consents, typed_children};
use crate::dates::Date;
use crate::model::*;
use crate::projection;
use crate::validate::{age_of, is_closed};
use crate::{RecordError, RecordId, RecordKind};

/// Everything about one case, for its page, if the actor may see it.
pub fn load(
    connection: &Connection,
    actor: &Actor,
    case: RecordId,
) -> Result<CaseFile, RecordError> {
    let role = actor.role;
    let stored = require_case(connection, actor, Operation::ViewCase, case)?;
    let today = Date::today();
    let age = age_of(&stored.fields, today);
    let closed = is_closed(stored.text("status"));

    let consents_newest_first = {
        let mut consents: Vec<Record<ConsentFields>> =
            typed_children(connection, case, RecordKind::Consent)?;
        consents
            .sort_by(|a, b| (&b.fields.date, b.created_ms).cmp(&(&a.fields.date, a.created_ms)));
        consents
    };
    let mut services: Vec<Record<ServiceFields>> =
        typed_children(connection, case, RecordKind::Service)?;
    services.sort_by(|a, b| {
        (&a.fields.start_date, a.created_ms).cmp(&(&b.fields.start_date, b.created_ms))
    });
    let mut referrals: Vec<Record<ReferralFields>> =
        typed_children(connection, case, RecordKind::Referral)?;
    referrals.sort_by(|a, b| (&b.fields.date, b.created_ms).cmp(&(&a.fields.date, a.created_ms)));
    let mut notes: Vec<Record<NoteFields>> = typed_children(connection, case, RecordKind::Note)?;
    notes.sort_by_key(|note| std::cmp::Reverse(note.created_ms));
    let mut follow_ups: Vec<Record<FollowUpFields>> =
        typed_children(connection, case, RecordKind::FollowUp)?;
    follow_ups.sort_by(|a, b| {
        (&a.fields.due_date, a.created_ms).cmp(&(&b.fields.due_date, b.created_ms))
    });

    let case_record: Record<CaseFields> = stored.into_record(case)?;
    let mut people_ids: Vec<&String> = Vec::new();
    let f = &case_record.fields;
    people_ids.extend(f.owner.iter().chain(f.created_by.iter()));
    people_ids.extend(f.assigned.iter().flatten());
    people_ids.extend(
        consents_newest_first
            .iter()
            .filter_map(|r| r.fields.created_by.as_ref()),
    );
    people_ids.extend(services.iter().filter_map(|r| r.fields.created_by.as_ref()));
    people_ids.extend(
        referrals
            .iter()
            .filter_map(|r| r.fields.created_by.as_ref()),
    );
    people_ids.extend(notes.iter().filter_map(|r| r.fields.created_by.as_ref()));
    for follow_up in &follow_ups {
        people_ids.extend(
            follow_up
                .fields
                .created_by
                .iter()
                .chain(follow_up.fields.assigned_to.iter()),
        );
    }
    let people = account_names(connection, people_ids.into_iter())?;
    let partner_ids = consents_newest_first
        .iter()
        .filter_map(|r| r.fields.partner.as_ref())
        .chain(referrals.iter().filter_map(|r| r.fields.partner.as_ref()));
    let partners = partner_names(connection, partner_ids)?;

    let merged = case_record.fields.merged_into.is_some();
    let linked = case_record
        .fields
        .merged_into
        .iter()
        .chain(case_record.fields.merged_from.iter().flatten());
    let case_numbers = case_numbers(connection, linked)?;

    let may = |operation| may_on_case(connection, actor, operation, case);
    // A case merged into another takes no more changes (write::update_case refuses them).
    let allowed = CaseActions {
        edit: !merged && may(Operation::EditCase)?,
        close: !merged && !closed && is_allowed(role, Operation::CloseCase),
        reopen: !merged && closed && is_allowed(role, Operation::ReopenCase),
        reassign: !merged && is_allowed(role, Operation::ReassignCase),
        override_consent: is_allowed(role, Operation::OverrideReferralConsent),
        merge: !merged && is_allowed(role, Operation::MergeCases),
    };
    Ok(CaseFile {
        case: case_record,
        age,
        is_minor: age.is_some_and(|age| i64::from(age) < crate::fields::ADULT_AGE),
        current_consents: current_consents(&consents_newest_first),
        consents: consents_newest_first,
        services,
        referrals,
        notes,
        follow_ups,
        people,
        partners,
        case_numbers,
        allowed,
    })
}

/// The numbers of the cases `ids` name (numbers only: nothing about their people).
fn case_numbers<'a>(
    connection: &Connection,
    ids: impl Iterator<Item = &'a String>,
) -> Result<BTreeMap<String, String>, RecordError> {
    let mut numbers = BTreeMap::new();
    let mut statement = connection.prepare_cached("SELECT number FROM cases WHERE id = ?1")?;
    for id in ids {
        let Some(key) = RecordId::parse(id) else {
            continue;
        };
        if let Some(number) = statement
            .query_row([key.0.as_slice()], |row| row.get::<_, String>(0))
            .optional()?
        {
            numbers.insert(id.clone(), number);
        }
    }
    Ok(numbers)
}

pub(crate) fn account_names<'a>(
    connection: &Connection,
    ids: impl Iterator<Item = &'a String>,
) -> Result<BTreeMap<String, String>, RecordError> {
    let mut names = BTreeMap::new();
    let mut statement = connection.prepare_cached("SELECT name FROM accounts WHERE id = ?1")?;
    for id in ids {
        if names.contains_key(id) {
            continue;
        }
        let Some(bytes) = hearth_ids::parse_hex16(id) else {
            continue;
        };
        if let Some(name) = statement
            .query_row([bytes.as_slice()], |row| row.get::<_, String>(0))
            .optional()?
        {
            names.insert(id.clone(), name);
        }
    }
    Ok(names)
}

pub(crate) fn partner_names<'a>(
    connection: &Connection,
    ids: impl Iterator<Item = &'a String>,
) -> Result<BTreeMap<String, String>, RecordError> {
    let mut names = BTreeMap::new();
    for id in ids {
        if names.contains_key(id) {
            continue;
        }
        let Some(partner) = RecordId::parse(id) else {
            continue;
        };
        if let Some(name) = projection::load(connection, RecordKind::Partner, partner)?
            .and_then(|stored| stored.text("name").map(str::to_owned))
        {
            names.insert(id.clone(), name);
        }
    }
    Ok(names)
}
