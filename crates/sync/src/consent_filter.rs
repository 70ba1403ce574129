//! What consent lets leave this laptop in a bundle.

use std::cell::RefCell;
use std::collections::HashMap;

use hearth_ids::RecordId;
use hearth_records::RecordKind;
use hearth_store::change_log::Change;
use rusqlite::{Connection, OptionalExtension};

use crate::SyncError;

/// What consent lets leave this laptop. A case whose person has not given consent to share within
/// the organisation (the decision in force for `SharingWithinOrganisation` is not `Given`: refused,
/// withdrawn, or never asked) leaves with only the fields the field table marks as shared without
/// consent, on the case and on everything attached to it; the rest is listed as withheld. Changes
/// still leave whole in number, so that each device's sequence has no gaps.
///
/// Each case's decision is looked up as its changes come (the records layer keeps it in the case's
/// facts row, by its one rule) and remembered for the next [`CACHED_CASES`] cases: a case's changes mostly leave together
/// (made in one transaction), and a bundle of any size then takes the same memory. A record's case
/// is looked up by the record (`case_children_by_id`, migration 018).
pub(crate) struct ConsentFilter<'c> {
    connection: &'c Connection,
    /// Whether each case looked up lately shares within the organisation.
    sharing: RefCell<HashMap<[u8; 16], bool>>,
    /// How many cases `sharing` holds before it starts again.
    capacity: usize,
}

/// How many cases' decisions an export remembers (a few megabytes).
const CACHED_CASES: usize = 65_536;

impl<'c> ConsentFilter<'c> {
    pub(crate) fn new(connection: &'c Connection) -> ConsentFilter<'c> {
        ConsentFilter {
            connection,
            sharing: RefCell::new(HashMap::new()),
            capacity: CACHED_CASES,
        }
    }

    /// A filter that remembers only `capacity` cases (tests: forgetting changes no answer).
    #[cfg(test)]
    fn remembering(connection: &'c Connection, capacity: usize) -> ConsentFilter<'c> {
        ConsentFilter {
            capacity,
            ..ConsentFilter::new(connection)
        }
    }

    /// The case a record belongs to.
    fn case_of(&self, id: [u8; 16]) -> Result<Option<[u8; 16]>, SyncError> {
        let case: Option<Vec<u8>> = self
            .connection
            .prepare_cached("SELECT case_id FROM case_children WHERE id = ?1")?
            .query_row([id.as_slice()], |row| row.get(0))
            .optional()?;
        Ok(case.and_then(|case| <[u8; 16]>::try_from(case).ok()))
    }

    /// Whether the decision in force (the newest by date, then by when it was recorded, as the
    /// case page shows it) is consent to share within the organisation.
    fn shares(&self, case: [u8; 16]) -> Result<bool, SyncError> {
        if let Some(known) = self.sharing.borrow().get(&case) {
            return Ok(*known);
        }
        let shares = hearth_records::facts::shares_within_organisation(
            self.connection,
            RecordId::from_bytes(case),
        )?;
        let mut sharing = self.sharing.borrow_mut();
        if sharing.len() >= self.capacity {
            sharing.clear();
        }
        sharing.insert(case, shares);
        Ok(shares)
    }

    /// The case a change belongs to and whether it leaves in part, or `None` for a record of no
    /// case (a partner organisation).
    fn case_withheld(&self, change: &Change) -> Result<Option<([u8; 16], bool)>, SyncError> {
        let case = match RecordKind::parse(&change.entity_kind) {
            None | Some(RecordKind::Partner) => return Ok(None),
            Some(RecordKind::Case) => change.entity_id,
            Some(_) => match self.case_of(change.entity_id)? {
                Some(case) => case,
                // A record whose case is unknown here: treat it as the strictest case would be.
                None => return Ok(Some((change.entity_id, true))),
            },
        };
        Ok(Some((case, !self.shares(case)?)))
    }

    /// The change as it may leave: whole, or without the fields consent keeps here; and the case
    /// whose fields were withheld, if any.
    pub(crate) fn filter(&self, change: Change) -> Result<(Change, Option<[u8; 16]>), SyncError> {
        let kind = RecordKind::parse(&change.entity_kind);
        let (Some(kind), Some((case, true))) = (kind, self.case_withheld(&change)?) else {
            return Ok((change, None));
        };
        let shared = |name: &str| {
            kind.fields()
                .iter()
                .any(|spec| spec.name == name && spec.shared_without_consent)
        };
        let part = part_copy(&change, shared).ok_or(SyncError::VaultDamaged("a change's proof"))?;
        let redacted = part.withheld.len() > change.withheld.len();
        Ok((part, redacted.then_some(case)))
    }
}

/// A copy of `change` with only the fields `keep` names: the others join the fields it withholds
/// already, and its proof carries their leaves instead of their salts, so that the copy hashes as
/// the whole change (see hearth_store::change_log::chain). `None` if the proof lacks a salt it needs.
pub(crate) fn part_copy(change: &Change, keep: impl Fn(&str) -> bool) -> Option<Change> {
    let mut part = change.clone();
    part.fields.retain(|name, _| keep(name));
    let mut withheld: Vec<String> = change
        .fields
        .keys()
        .filter(|name| !keep(name))
        .cloned()
        .chain(change.withheld.iter().cloned())
        .collect();
    withheld.sort();
    withheld.dedup();
    part.proof = match &change.proof {
        Some(proof) => Some(proof.without(change, &withheld)?),
        None => None,
    };
    part.withheld = withheld;
    Some(part)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use hearth_ids::RecordId;
    use hearth_records::{write, Actor, CaseDraft};
    use hearth_store::change_log;
    use serde_json::{json, Map, Value};

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    /// The consent filter gives the same bundle however few cases it remembers.
    #[test]
    fn remembering_few_cases_or_many_filters_alike() {
        let (_folder, mut connection, supervisor) = crate::test_vault::vault("Tirana");
        let device = hearth_store::device::this_device(&connection).unwrap();
        let decisions: [&[(&str, &str)]; 5] = [
            &[("2026-01-01", "Given")],
            &[("2026-01-01", "Refused")],
            &[],
            &[("2026-01-01", "Refused"), ("2026-02-01", "Given")],
            &[("2026-01-01", "Given"), ("2026-02-01", "Withdrawn")],
        ];
        let transaction = connection.transaction().unwrap();
        let actor = Actor::new(device, &supervisor, true);
        for (i, decided) in decisions.iter().enumerate() {
            let draft = CaseDraft {
                case: object(json!({
                    "given_name": format!("Person {i}"),
                    "trafficking_status": "PossibleVictimOfTrafficking",
                    "date_identified": "2026-01-01",
                })),
                children: Vec::new(),
            };
            let case = write::create_cases(&transaction, &actor, &[draft]).unwrap();
            let id = RecordId::parse(&case[0].id).unwrap();
            for (date, decision) in *decided {
                write::add_record(
                    &transaction,
                    &actor,
                    RecordKind::Consent,
                    id,
                    &object(json!({"purpose": "SharingWithinOrganisation",
                        "decision": decision, "date": date, "method": "Signed"})),
                )
                .unwrap();
            }
            write::add_record(
                &transaction,
                &actor,
                RecordKind::Note,
                id,
                &object(json!({"text": "private"})),
            )
            .unwrap();
        }
        transaction.commit().unwrap();
        let connection = &connection;
        let all = change_log::changes_after(connection, device, 0).unwrap();
        let filter_all = |filter: &ConsentFilter| -> Vec<(Change, Option<[u8; 16]>)> {
            all.iter()
                .map(|c| filter.filter(c.clone()).unwrap())
                .collect()
        };
        let lazily = filter_all(&ConsentFilter::new(connection));
        assert_eq!(
            lazily,
            filter_all(&ConsentFilter::remembering(connection, 1))
        );
        assert_eq!(
            lazily,
            filter_all(&ConsentFilter::remembering(connection, 2))
        );
        // Cases 1, 2 and 4 (refused, never asked, withdrawn) leave without names or notes.
        let withheld: BTreeSet<[u8; 16]> = lazily.iter().filter_map(|(_, case)| *case).collect();
        assert_eq!(withheld.len(), 3);
        // Only the two consenting cases' notes leave with their text.
        let notes_with_text = lazily
            .iter()
            .filter(|(c, _)| c.entity_kind == "note" && c.fields.contains_key("text"))
            .count();
        assert_eq!(notes_with_text, 2);
    }

    /// The filter reads a case's decision from its facts row: that row must say what the rule
    /// says of the decisions, after each decision is added, edited and cleared.
    #[test]
    fn the_facts_row_says_what_the_rule_says_through_every_edit() {
        let (_folder, mut connection, supervisor) = crate::test_vault::vault("Tirana");
        let device = hearth_store::device::this_device(&connection).unwrap();
        let actor = Actor::new(device, &supervisor, true);
        let transaction = connection.transaction().unwrap();
        let draft = CaseDraft {
            case: object(json!({
                "given_name": "Drita",
                "trafficking_status": "PossibleVictimOfTrafficking",
                "date_identified": "2026-01-01",
            })),
            children: Vec::new(),
        };
        let case = write::create_cases(&transaction, &actor, &[draft]).unwrap();
        let case = RecordId::parse(&case[0].id).unwrap();
        let agree = |connection: &Connection, expected: bool| {
            let rule =
                hearth_records::consent_given(connection, case, "SharingWithinOrganisation", None)
                    .unwrap();
            let facts =
                hearth_records::facts::shares_within_organisation(connection, case).unwrap();
            assert_eq!((rule, facts), (expected, expected));
        };
        agree(&transaction, false);
        let decision = |decision: &str, date: &str| {
            object(
                json!({"purpose": "SharingWithinOrganisation", "decision": decision,
                "date": date, "method": "Signed"}),
            )
        };
        let given = write::add_record(
            &transaction,
            &actor,
            RecordKind::Consent,
            case,
            &decision("Given", "2026-01-02"),
        )
        .unwrap();
        agree(&transaction, true);
        // A later refusal is in force; an earlier one is not.
        let later = write::add_record(
            &transaction,
            &actor,
            RecordKind::Consent,
            case,
            &decision("Refused", "2026-01-03"),
        )
        .unwrap();
        agree(&transaction, false);
        write::update_record(
            &transaction,
            &actor,
            RecordKind::Consent,
            later,
            &object(json!({"date": "2026-01-01"})),
        )
        .unwrap();
        agree(&transaction, true);
        // The decision given is withdrawn by editing it.
        write::update_record(
            &transaction,
            &actor,
            RecordKind::Consent,
            given,
            &object(json!({"decision": "Withdrawn"})),
        )
        .unwrap();
        agree(&transaction, false);
        transaction.commit().unwrap();
    }
}
