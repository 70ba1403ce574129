//! Case records: the case list and search, intake, the case page and what is attached to a case,
//! follow-ups due, and the partner directory. Record shapes are the core's own types (their
//! TypeScript is generated from them); record fields travel as JSON objects that the core's field
//! tables validate.

use std::collections::BTreeMap;

use hearth_core::records::duplicates::{DuplicateQuery, PossibleDuplicate};
use hearth_core::records::{
    codes::{self, CodeList},
    CaseCreated, CaseFile, CasePage, CaseQuery, FollowUpDue, HistoryEntry, PartnerFields, Record,
    RecordError, RecordId, RecordKind,
};
use serde_json::{Map, Value};
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::views::StaffMember;

fn record_id(id: &str) -> Result<RecordId, IpcError> {
    RecordId::parse(id).ok_or_else(|| RecordError::NotFound(RecordKind::Case).into())
}

fn child_kind(kind: &str) -> Result<RecordKind, IpcError> {
    RecordKind::parse(kind)
        .filter(|kind| RecordKind::CHILDREN.contains(kind))
        .ok_or_else(|| RecordError::NotFound(RecordKind::Case).into())
}

/// Every code list with its labels in each UI language.
#[tauri::command(async, rename_all = "snake_case")]
pub fn code_lists(state: State<'_, AppState>) -> Result<BTreeMap<String, CodeList>, IpcError> {
    // Only an unlocked app needs them; asking first keeps the rule "nothing without a session".
    state.with_session(|_| Ok::<_, RecordError>(codes::code_lists().clone()))
}

/// Caseworkers and supervisors who can own or be assigned a case.
#[tauri::command(async, rename_all = "snake_case")]
pub fn case_staff(state: State<'_, AppState>) -> Result<Vec<StaffMember>, IpcError> {
    let staff = state.with_session(|session| session.case_staff())?;
    Ok(staff
        .into_iter()
        .map(|(id, name)| StaffMember { id, name })
        .collect())
}

/// A page of the case list; with `query.text`, the search.
#[tauri::command(async, rename_all = "snake_case")]
pub fn list_cases(state: State<'_, AppState>, query: CaseQuery) -> Result<CasePage, IpcError> {
    state.with_session(|session| session.list_cases(&query))
}

/// The cases this person may see that may be the same person as the one being typed in at
/// intake.
#[tauri::command(async, rename_all = "snake_case")]
pub fn possible_duplicates(
    state: State<'_, AppState>,
    query: DuplicateQuery,
) -> Result<Vec<PossibleDuplicate>, IpcError> {
    state.with_session(|session| session.possible_duplicates(&query))
}

/// Opens a new case from the intake form.
#[tauri::command(async, rename_all = "snake_case")]
pub fn create_case(
    state: State<'_, AppState>,
    fields: Map<String, Value>,
) -> Result<CaseCreated, IpcError> {
    state.with_session(|session| session.create_case(&fields))
}

/// Everything on a case's page.
#[tauri::command(async, rename_all = "snake_case")]
pub fn open_case(state: State<'_, AppState>, id: String) -> Result<CaseFile, IpcError> {
    let id = record_id(&id)?;
    state.with_session(|session| session.open_case(id))
}

/// Changes the case fields given; returns the case page as it now is.
#[tauri::command(async, rename_all = "snake_case")]
pub fn update_case(
    state: State<'_, AppState>,
    id: String,
    fields: Map<String, Value>,
) -> Result<CaseFile, IpcError> {
    let id = record_id(&id)?;
    state.with_session(|session| {
        session.update_case(id, &fields)?;
        session.case_file(id)
    })
}

/// Closes a case (`Closed` or `ClosedReferred`) with the reason.
#[tauri::command(async, rename_all = "snake_case")]
pub fn close_case(
    state: State<'_, AppState>,
    id: String,
    status: String,
    reason: String,
) -> Result<CaseFile, IpcError> {
    let id = record_id(&id)?;
    state.with_session(|session| {
        session.close_case(id, &status, &reason)?;
        session.case_file(id)
    })
}

/// Reopens a closed case.
#[tauri::command(async, rename_all = "snake_case")]
pub fn reopen_case(state: State<'_, AppState>, id: String) -> Result<CaseFile, IpcError> {
    let id = record_id(&id)?;
    state.with_session(|session| {
        session.reopen_case(id)?;
        session.case_file(id)
    })
}

/// The cases that may be the same person as case `id`'s (supervisors).
#[tauri::command(async, rename_all = "snake_case")]
pub fn case_duplicates(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<PossibleDuplicate>, IpcError> {
    let id = record_id(&id)?;
    state.with_session(|session| session.case_duplicates(id))
}

/// Merges case `merged` into case `keep`, which the person is looking at; returns it.
#[tauri::command(async, rename_all = "snake_case")]
pub fn merge_cases(
    state: State<'_, AppState>,
    keep: String,
    merged: String,
) -> Result<CaseFile, IpcError> {
    let (keep, merged) = (record_id(&keep)?, record_id(&merged)?);
    state.with_session(|session| {
        session.merge_cases(keep, merged)?;
        session.case_file(keep)
    })
}

/// Records that cases `id` and `other` are two people; returns case `id`.
#[tauri::command(async, rename_all = "snake_case")]
pub fn mark_different(
    state: State<'_, AppState>,
    id: String,
    other: String,
) -> Result<CaseFile, IpcError> {
    let (id, other) = (record_id(&id)?, record_id(&other)?);
    state.with_session(|session| {
        session.mark_different(id, other)?;
        session.case_file(id)
    })
}

/// Every field-level change to the case and its attached records.
#[tauri::command(async, rename_all = "snake_case")]
pub fn case_history(state: State<'_, AppState>, id: String) -> Result<Vec<HistoryEntry>, IpcError> {
    let id = record_id(&id)?;
    state.with_session(|session| session.case_history(id))
}

/// Attaches a consent decision, service, referral, note or follow-up to a case.
#[tauri::command(async, rename_all = "snake_case")]
pub fn add_case_record(
    state: State<'_, AppState>,
    kind: String,
    case_id: String,
    fields: Map<String, Value>,
) -> Result<CaseFile, IpcError> {
    let (kind, case_id) = (child_kind(&kind)?, record_id(&case_id)?);
    state.with_session(|session| {
        session.add_record(kind, case_id, &fields)?;
        session.case_file(case_id)
    })
}

/// Changes the fields given of a record attached to a case.
#[tauri::command(async, rename_all = "snake_case")]
pub fn update_case_record(
    state: State<'_, AppState>,
    kind: String,
    case_id: String,
    id: String,
    fields: Map<String, Value>,
) -> Result<CaseFile, IpcError> {
    let (kind, case_id, id) = (child_kind(&kind)?, record_id(&case_id)?, record_id(&id)?);
    state.with_session(|session| {
        session.update_record(kind, id, &fields)?;
        session.case_file(case_id)
    })
}

/// The signed-in person's open follow-ups, soonest first.
#[tauri::command(async, rename_all = "snake_case")]
pub fn my_follow_ups(state: State<'_, AppState>) -> Result<Vec<FollowUpDue>, IpcError> {
    state.with_session(|session| session.my_follow_ups())
}

/// The partner organisation directory.
#[tauri::command(async, rename_all = "snake_case")]
pub fn list_partners(state: State<'_, AppState>) -> Result<Vec<Record<PartnerFields>>, IpcError> {
    state.with_session(|session| session.list_partners())
}

/// Adds a partner organisation; returns the directory.
#[tauri::command(async, rename_all = "snake_case")]
pub fn add_partner(
    state: State<'_, AppState>,
    fields: Map<String, Value>,
) -> Result<Vec<Record<PartnerFields>>, IpcError> {
    state.with_session(|session| {
        session.add_partner(&fields)?;
        session.list_partners()
    })
}

/// Changes a partner organisation; returns the directory.
#[tauri::command(async, rename_all = "snake_case")]
pub fn update_partner(
    state: State<'_, AppState>,
    id: String,
    fields: Map<String, Value>,
) -> Result<Vec<Record<PartnerFields>>, IpcError> {
    let id = record_id(&id)?;
    state.with_session(|session| {
        session.update_partner(id, &fields)?;
        session.list_partners()
    })
}
