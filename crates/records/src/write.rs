//! The write path: every create and update of a record is validated, written as one change in
//! the change log, projected into the query tables and audited, in the caller's transaction. A
//! refusal writes nothing.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::{Map, Value};

use hearth_ids::Operation;
use hearth_store::audit::{self, Action, NewEntry, Outcome, Target};
use hearth_store::change_log::record_local_edit;

use crate::actor::Actor;
use crate::case_access::require_case;
use crate::dates::Date;
use crate::fields::{FieldError, FieldProblem, Guard};
use crate::model::*;
use crate::projection;
use crate::validate::*;
use crate::{RecordError, RecordId, RecordKind};

/// A case to create together with records attached to it, in one transaction. Used by `hearth
/// case new`, the demo data generator and the benchmark.
#[derive(Debug, Clone, Default)]
pub struct CaseDraft {
    /// The case's fields, as in `hearth case new --json`.
    pub case: Map<String, Value>,
    /// Records to attach, in order (a consent decision before the referral that needs it).
    pub children: Vec<(RecordKind, Map<String, Value>)>,
}

/// Writes the changes of one record, brings its projections up to date, and appends the audit
/// entry (field names, never values): all in the caller's transaction.
pub(crate) fn write(
    connection: &Transaction<'_>,
    actor: &Actor,
    kind: RecordKind,
    id: RecordId,
    changes: &Changes,
    action: Action,
    target: Target,
) -> Result<(), RecordError> {
    // A resolution is recorded as what it is, whichever field it wrote.
    let action = if actor.resolves.is_empty() {
        action
    } else {
        Action::ResolveConflict
    };
    if actor.audit {
        let prefix = match kind {
            RecordKind::Case | RecordKind::Partner => String::new(),
            child => format!("{}.", child.as_str()),
        };
        let entry = NewEntry {
            account: Some(actor.account),
            role: Some(actor.role),
            action,
            target: Some(target),
            fields: changes
                .iter()
                .filter(|(name, _)| !matches!(*name, "case_id" | "created_by"))
                .map(|(name, _)| format!("{prefix}{name}"))
                .collect(),
            outcome: Outcome::Ok,
            reason: None,
        };
        audit::append(connection, &entry)?;
    }
    let fields: Map<String, Value> = changes
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone().unwrap_or(Value::Null)))
        .collect();
    record_local_edit(
        connection,
        actor.device,
        actor.account,
        actor.now_ms,
        kind.as_str(),
        id.0,
        fields,
        &actor.resolves,
    )?;
    projection::refresh(connection, kind, id)
}

/// The prefix of this vault's case numbers: the first three letters of the site's name.
pub(crate) fn site_code(site: &str) -> String {
    let letters: String = super::search::fold(site)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(3)
        .collect::<String>()
        .to_uppercase();
    if letters.len() < 2 {
        "CASE".to_owned()
    } else {
        letters
    }
}

pub(crate) fn next_case_number(
    connection: &Connection,
    site: &str,
    today: Date,
) -> Result<String, RecordError> {
    let prefix = format!("{}-{}", site_code(site), today.year());
    let mut last: i64 = connection
        .prepare_cached("SELECT last FROM case_number_counters WHERE prefix = ?1")?
        .query_row([&prefix], |row| row.get(0))
        .optional()?
        .unwrap_or(0);
    let mut taken = connection.prepare_cached("SELECT 1 FROM cases WHERE number = ?1")?;
    let number = loop {
        last += 1;
        let candidate = format!("{prefix}-{last:04}");
        // A number can already exist if a case came from elsewhere: skip it.
        if taken
            .query_row([&candidate], |_| Ok(()))
            .optional()?
            .is_none()
        {
            break candidate;
        }
    };
    connection
        .prepare_cached(
            "INSERT INTO case_number_counters (prefix, last) VALUES (?1, ?2)
             ON CONFLICT (prefix) DO UPDATE SET last = excluded.last",
        )?
        .execute(params![prefix, last])?;
    Ok(number)
}

/// Creates one case and what is attached to it.
pub(crate) fn create_case_in(
    transaction: &Transaction<'_>,
    actor: &Actor,
    site: &str,
    draft: &CaseDraft,
) -> Result<CaseCreated, RecordError> {
    let mut problems = Problems::default();
    let mut changes = validate_input(
        transaction,
        actor,
        RecordKind::Case,
        &draft.case,
        &mut problems,
    );
    let mut fields = Map::new();
    apply(&mut fields, &changes);
    let me = actor.me();
    if !fields.contains_key("status") {
        changes.push(("status", Some(Value::from("Active"))));
    }
    if !fields.contains_key("owner") {
        changes.push(("owner", Some(Value::from(me.as_str()))));
    }
    apply(&mut fields, &changes);
    if let Some(operation) = status_operation(None, text(&fields, "status")) {
        actor.require(operation)?;
    }
    if text(&fields, "owner") != Some(me.as_str()) || fields.contains_key("assigned") {
        actor.require(Operation::ReassignCase)?;
    }
    check_required(RecordKind::Case, &fields, &mut problems);
    check_case(&fields, &changes, actor.today, &mut problems);
    problems.finish()?;

    let number = next_case_number(transaction, site, actor.today)?;
    changes.push(("case_number", Some(Value::from(number.as_str()))));
    changes.push(("created_by", Some(Value::from(me))));
    let id = crate::new_record_id()?;
    write(
        transaction,
        actor,
        RecordKind::Case,
        id,
        &changes,
        Action::CreateCase,
        Target::case(id),
    )?;
    for (kind, input) in &draft.children {
        add_child_in(transaction, actor, *kind, id, input)?;
    }
    Ok(CaseCreated {
        id: id.to_string(),
        number,
    })
}

pub(crate) fn add_child_in(
    transaction: &Transaction<'_>,
    actor: &Actor,
    kind: RecordKind,
    case: RecordId,
    input: &Map<String, Value>,
) -> Result<RecordId, RecordError> {
    if !RecordKind::CHILDREN.contains(&kind) {
        return Err(RecordError::NotFound(kind));
    }
    refuse_merged(&require_case(
        transaction,
        actor,
        Operation::EditCase,
        case,
    )?)?;
    let mut problems = Problems::default();
    let mut changes = validate_input(transaction, actor, kind, input, &mut problems);
    let mut fields = Map::new();
    apply(&mut fields, &changes);
    if kind == RecordKind::FollowUp {
        if !fields.contains_key("assigned_to") {
            changes.push(("assigned_to", Some(Value::from(actor.me()))));
        }
        if !fields.contains_key("done") {
            changes.push(("done", Some(Value::from(false))));
        }
        apply(&mut fields, &changes);
    }
    check_required(kind, &fields, &mut problems);
    problems.finish()?;
    check_child(transaction, actor, kind, case, &fields, &changes)?;
    changes.push(("case_id", Some(Value::from(case.to_string()))));
    changes.push(("created_by", Some(Value::from(actor.me()))));
    let id = crate::new_record_id()?;
    let action = if kind == RecordKind::Consent {
        Action::ConsentChange
    } else {
        Action::AddRecord
    };
    write(
        transaction,
        actor,
        kind,
        id,
        &changes,
        action,
        Target::case(case),
    )?;
    Ok(id)
}

/// A case merged into another takes no more changes: they belong on the case it was merged into.
fn refuse_merged(case: &projection::Stored) -> Result<(), RecordError> {
    if case.fields.contains_key("merged_into") {
        return Err(RecordError::CaseMerged);
    }
    Ok(())
}

/// The fields that close a case with `status` (`Closed` or `ClosedReferred`) and `reason`.
pub fn closing(status: &str, reason: &str) -> Result<Map<String, Value>, RecordError> {
    if !is_closed(Some(status)) {
        return Err(FieldError::new(
            "status",
            FieldProblem::UnknownCode {
                list: "case_status (Closed, ClosedReferred)",
            },
        )
        .into());
    }
    let mut input = Map::new();
    input.insert("status".into(), Value::from(status));
    input.insert("closure_reason".into(), Value::from(reason));
    Ok(input)
}

/// Opens several cases, with records attached, in the caller's transaction: all or none.
pub fn create_cases(
    transaction: &Transaction<'_>,
    actor: &Actor,
    drafts: &[CaseDraft],
) -> Result<Vec<CaseCreated>, RecordError> {
    actor.require(Operation::CreateCase)?;
    let site: String =
        transaction.query_row("SELECT site FROM organisation WHERE id = 1", [], |row| {
            row.get(0)
        })?;
    drafts
        .iter()
        .map(|draft| create_case_in(transaction, actor, &site, draft))
        .collect()
}

/// Attaches a record (consent decision, service, referral, note, follow-up) to a case.
pub fn add_record(
    transaction: &Transaction<'_>,
    actor: &Actor,
    kind: RecordKind,
    case: RecordId,
    input: &Map<String, Value>,
) -> Result<RecordId, RecordError> {
    add_child_in(transaction, actor, kind, case, input)
}

/// Changes the fields given (`null` clears one); the others stay. Closing, reopening and
/// reassigning go through here too, and need a supervisor.
pub fn update_case(
    transaction: &Transaction<'_>,
    actor: &Actor,
    case: RecordId,
    input: &Map<String, Value>,
) -> Result<(), RecordError> {
    let current = require_case(transaction, actor, Operation::EditCase, case)?;
    refuse_merged(&current)?;
    let mut problems = Problems::default();
    let mut changes: Changes =
        validate_input(transaction, actor, RecordKind::Case, input, &mut problems)
            .into_iter()
            .filter(|(name, value)| {
                current.fields.get(*name) != value.as_ref() || actor.rewrites(name)
            })
            .collect();
    let mut fields = current.fields.clone();
    apply(&mut fields, &changes);
    let operation = status_operation(text(&current.fields, "status"), text(&fields, "status"));
    if operation == Some(Operation::ReopenCase) && fields.contains_key("closure_reason") {
        // The reason belonged to the closure; its history keeps it.
        changes.push(("closure_reason", None));
        apply(&mut fields, &changes);
    }
    if let Some(operation) = operation {
        actor.require(operation)?;
    } else if changes.iter().any(|(name, _)| *name == "closure_reason") {
        actor.require(Operation::CloseCase)?;
    }
    let reassigned = changes
        .iter()
        .any(|(name, _)| spec_of(RecordKind::Case, name).is_some_and(|s| s.guard == Guard::Team));
    if reassigned {
        actor.require(Operation::ReassignCase)?;
    }
    check_required(RecordKind::Case, &fields, &mut problems);
    check_case(&fields, &changes, actor.today, &mut problems);
    problems.finish()?;
    let action = match operation {
        Some(Operation::CloseCase) => Action::CloseCase,
        Some(Operation::ReopenCase) => Action::ReopenCase,
        _ if reassigned => Action::ReassignCase,
        _ => Action::UpdateCase,
    };
    if !changes.is_empty() {
        write(
            transaction,
            actor,
            RecordKind::Case,
            case,
            &changes,
            action,
            Target::case(case),
        )?;
    }
    Ok(())
}

/// Changes the fields given of a record attached to a case.
pub fn update_record(
    transaction: &Transaction<'_>,
    actor: &Actor,
    kind: RecordKind,
    id: RecordId,
    input: &Map<String, Value>,
) -> Result<(), RecordError> {
    let current = projection::load(transaction, kind, id)?.ok_or(RecordError::NotFound(kind))?;
    let case = current
        .text("case_id")
        .and_then(RecordId::parse)
        .ok_or(RecordError::NotFound(kind))?;
    require_case(transaction, actor, Operation::EditCase, case)?;
    let mut problems = Problems::default();
    let changes: Changes = validate_input(transaction, actor, kind, input, &mut problems)
        .into_iter()
        .filter(|(name, value)| current.fields.get(*name) != value.as_ref() || actor.rewrites(name))
        .collect();
    let mut fields = current.fields.clone();
    apply(&mut fields, &changes);
    check_required(kind, &fields, &mut problems);
    problems.finish()?;
    check_child(transaction, actor, kind, case, &fields, &changes)?;
    if !changes.is_empty() {
        write(
            transaction,
            actor,
            kind,
            id,
            &changes,
            Action::UpdateRecord,
            Target::case(case),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_codes_are_three_plain_letters() {
        assert_eq!(site_code("Tirana shelter"), "TIR");
        assert_eq!(site_code("Šabac"), "SAB");
        assert_eq!(site_code("7"), "CASE");
    }

    #[test]
    fn closing_and_reopening_need_their_own_operations() {
        assert_eq!(status_operation(Some("Active"), Some("FollowUp")), None);
        assert_eq!(
            status_operation(Some("Active"), Some("Closed")),
            Some(Operation::CloseCase)
        );
        assert_eq!(
            status_operation(Some("ClosedReferred"), Some("Active")),
            Some(Operation::ReopenCase)
        );
        assert_eq!(
            status_operation(Some("Closed"), Some("ClosedReferred")),
            Some(Operation::CloseCase)
        );
    }
}
