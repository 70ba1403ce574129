//! Which cases an actor reaches: the permission table's reach, and for caseworkers the case team.

use hearth_ids::{reach, AccountId, Operation, Reach};
use rusqlite::{params, Connection, OptionalExtension};

use crate::actor::Actor;
use crate::projection::{self, Stored};
use crate::{RecordError, RecordId, RecordKind};

pub(crate) fn on_team(
    connection: &Connection,
    case: RecordId,
    account: AccountId,
) -> Result<bool, RecordError> {
    Ok(connection
        .prepare_cached("SELECT 1 FROM case_team WHERE case_id = ?1 AND account = ?2")?
        .query_row(
            params![case.0.as_slice(), account.as_bytes().as_slice()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Whether `actor` may do `operation` to this case.
pub(crate) fn may_on_case(
    connection: &Connection,
    actor: &Actor,
    operation: Operation,
    case: RecordId,
) -> Result<bool, RecordError> {
    Ok(match reach(actor.role, operation) {
        None => false,
        Some(Reach::All) => true,
        Some(Reach::OwnOrAssignedCases) => on_team(connection, case, actor.account)?,
    })
}

/// Which cases `actor` may do `operation` to, or the refusal when none.
pub(crate) fn granted_reach(actor: &Actor, operation: Operation) -> Result<Reach, RecordError> {
    reach(actor.role, operation).ok_or_else(|| {
        hearth_ids::Denied {
            role: actor.role,
            operation,
        }
        .into()
    })
}

/// Loads a case after checking that `actor` may do `operation` to it.
pub(crate) fn require_case(
    connection: &Connection,
    actor: &Actor,
    operation: Operation,
    case: RecordId,
) -> Result<Stored, RecordError> {
    let granted = granted_reach(actor, operation)?;
    // A case without its number is known here only from edits that arrived before its creation
    // (see projection::refresh_case): not yet a case anyone can open.
    let stored = projection::load(connection, RecordKind::Case, case)?
        .filter(|stored| stored.text("case_number").is_some())
        .ok_or(RecordError::NotFound(RecordKind::Case))?;
    if granted == Reach::OwnOrAssignedCases && !on_team(connection, case, actor.account)? {
        return Err(RecordError::NotOnTeam);
    }
    Ok(stored)
}
