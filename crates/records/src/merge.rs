//! One person, one case: what a supervisor decides about two cases the duplicate check found.
//!
//! - **The same person**: the case to merge takes the status `Merged` and names the case it was
//!   merged into (`merged_into`); that case lists it in `merged_from`. Nothing is deleted or
//!   moved: each case keeps its own history and attached records, and the kept case's page links
//!   to the merged one. Both writes are ordinary field changes, so they sync like any edit, and
//!   each case's audit log records the merge.
//! - **Two people**: each case lists the other in `different_from`, and neither is offered as
//!   the other's possible duplicate again.
//!
//! The fields are set only here (`Guard::Fixed`): no edit can write them.

use rusqlite::{Connection, Transaction};
use serde_json::Value;

use hearth_ids::Operation;
use hearth_store::audit::{Action, Target};

use crate::actor::Actor;
use crate::case_access::require_case;
use crate::duplicates::{self, DuplicateQuery, PossibleDuplicate};
use crate::projection::Stored;
use crate::write::write;
use crate::{RecordError, RecordId, RecordKind};

/// The status of a case merged into another.
pub const MERGED: &str = "Merged";

/// Merges the case `merged` into `keep` (supervisors).
pub fn merge_cases(
    transaction: &Transaction<'_>,
    actor: &Actor,
    keep: RecordId,
    merged: RecordId,
) -> Result<(), RecordError> {
    actor.require(Operation::MergeCases)?;
    if keep == merged {
        return Err(RecordError::NotMergeable(
            "a case cannot be merged into itself",
        ));
    }
    let kept = require_case(transaction, actor, Operation::MergeCases, keep)?;
    let going = require_case(transaction, actor, Operation::MergeCases, merged)?;
    if kept.fields.contains_key("merged_into") {
        return Err(RecordError::NotMergeable(
            "the case to keep was itself merged into another; merge into that one",
        ));
    }
    if going.fields.contains_key("merged_into") {
        return Err(RecordError::NotMergeable(
            "that case was merged into another already",
        ));
    }
    write(
        transaction,
        actor,
        RecordKind::Case,
        merged,
        &vec![
            ("status", Some(Value::from(MERGED))),
            ("merged_into", Some(Value::from(keep.to_string()))),
        ],
        Action::MergeCases,
        Target::case(merged),
    )?;
    write(
        transaction,
        actor,
        RecordKind::Case,
        keep,
        &vec![("merged_from", Some(with_id(&kept, "merged_from", merged)))],
        Action::MergeCases,
        Target::case(keep),
    )
}

/// Records that the cases `a` and `b` are two people (supervisors).
pub fn mark_different(
    transaction: &Transaction<'_>,
    actor: &Actor,
    a: RecordId,
    b: RecordId,
) -> Result<(), RecordError> {
    actor.require(Operation::MergeCases)?;
    if a == b {
        return Err(RecordError::NotMergeable(
            "a case cannot be marked as a different person from itself",
        ));
    }
    let first = require_case(transaction, actor, Operation::MergeCases, a)?;
    let second = require_case(transaction, actor, Operation::MergeCases, b)?;
    for (case, stored, other) in [(a, &first, b), (b, &second, a)] {
        write(
            transaction,
            actor,
            RecordKind::Case,
            case,
            &vec![(
                "different_from",
                Some(with_id(stored, "different_from", other)),
            )],
            Action::MarkDifferent,
            Target::case(case),
        )?;
    }
    Ok(())
}

/// The cases that may be the same person as `case`'s, for a supervisor to decide: as at intake,
/// without the case itself, those merged into it and those marked as other people.
pub fn case_duplicates(
    connection: &Connection,
    actor: &Actor,
    case: RecordId,
) -> Result<Vec<PossibleDuplicate>, RecordError> {
    actor.require(Operation::MergeCases)?;
    let stored = require_case(connection, actor, Operation::MergeCases, case)?;
    let text = |field: &str| {
        stored
            .fields
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let query = DuplicateQuery {
        given_name: text("given_name"),
        family_name: text("family_name"),
        aliases: ids_or_texts(&stored, "aliases"),
        birth_date: text("birth_date"),
        estimated_age: None,
    };
    let mut known: Vec<String> = ids_or_texts(&stored, "merged_from");
    known.extend(ids_or_texts(&stored, "different_from"));
    known.push(case.to_string());
    let birth_year: Option<i64> = connection
        .prepare_cached("SELECT birth_year FROM cases WHERE id = ?1")?
        .query_row([case.0.as_slice()], |row| row.get(0))?;
    duplicates::matching(connection, actor, &query, birth_year, &known)
}

/// The list field's values (ids or texts).
fn ids_or_texts(stored: &Stored, field: &str) -> Vec<String> {
    stored
        .fields
        .get(field)
        .and_then(Value::as_array)
        .map(|values| {
            values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The list field with `id` added (once).
fn with_id(stored: &Stored, field: &str, id: RecordId) -> Value {
    let mut ids = ids_or_texts(stored, field);
    let id = id.to_string();
    if !ids.contains(&id) {
        ids.push(id);
    }
    Value::from(ids)
}
