//! The audit view: entries filtered and paged, a case's "who has seen or changed this", verifying
//! the chain, and exporting the filtered entries to a CSV file (itself audited).

use std::path::PathBuf;

use hearth_core::audit::{AuditEntry, AuditPage, AuditQuery, AuditVerification};
use hearth_core::records::{RecordError, RecordId, RecordKind};
use serde::Serialize;
use tauri::State;

use hearth_core::access::ErrorKind;

use crate::error::IpcError;
use crate::state::AppState;

/// A page of the audit log, newest first.
#[tauri::command(async, rename_all = "snake_case")]
pub fn audit_entries(state: State<'_, AppState>, query: AuditQuery) -> Result<AuditPage, IpcError> {
    state.with_session(|session| session.audit_entries(&query))
}

/// Who has seen or changed a case, newest first (the most recent 200 entries).
#[tauri::command(async, rename_all = "snake_case")]
pub fn case_audit(
    state: State<'_, AppState>,
    case_id: String,
) -> Result<Vec<AuditEntry>, IpcError> {
    let case = RecordId::parse(&case_id).ok_or(RecordError::NotFound(RecordKind::Case))?;
    let query = AuditQuery {
        case_id: Some(case.to_string()),
        page_size: 200,
        ..AuditQuery::default()
    };
    Ok(state
        .with_session(|session| session.audit_entries(&query))?
        .entries)
}

/// Recomputes every chain of the log; with `checkpoint_path` (a checkpoint chosen in an Open
/// dialog), also checks that nothing was cut off or rewritten since it was signed.
#[tauri::command(async, rename_all = "snake_case")]
pub fn verify_audit(
    state: State<'_, AppState>,
    checkpoint_path: Option<String>,
) -> Result<AuditVerification, IpcError> {
    let checkpoint = match checkpoint_path {
        Some(path) => {
            let path = PathBuf::from(path);
            Some(std::fs::read_to_string(&path).map_err(|error| {
                IpcError::new(
                    ErrorKind::FileUnreadable,
                    format!("{}: {error}", path.display()),
                )
            })?)
        }
        None => None,
    };
    state.with_session(|session| session.verify_audit(checkpoint.as_deref()))
}

/// What signing a checkpoint wrote.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "CheckpointWritten.ts"))]
pub struct CheckpointWritten {
    /// How many entries the checkpoint covers.
    #[cfg_attr(test, ts(type = "number"))]
    pub entries: u64,
}

/// Signs the log's head and writes the checkpoint to `path`, chosen in a Save dialog (the
/// signing is itself an entry).
#[tauri::command(async, rename_all = "snake_case")]
pub fn write_audit_checkpoint(
    state: State<'_, AppState>,
    path: String,
) -> Result<CheckpointWritten, IpcError> {
    let path = PathBuf::from(path);
    state.refuse_unconfirmed_replacement(&path)?;
    let checkpoint = state.with_session(|session| session.audit_checkpoint())?;
    state
        .write_chosen_file(&path, checkpoint.text.as_bytes())
        .map_err(|error| IpcError::unwritable(&path, &error))?;
    Ok(CheckpointWritten {
        entries: checkpoint.size,
    })
}

/// Where an export was written.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "AuditExport.ts"))]
pub struct AuditExport {
    /// The file's full path.
    pub path: String,
    /// How many entries it holds.
    pub entries: u32,
}

/// Writes the entries matching `query` to `path`, chosen in a Save dialog (readable by its owner
/// only), and records the export.
#[tauri::command(async, rename_all = "snake_case")]
pub fn export_audit_csv(
    state: State<'_, AppState>,
    query: AuditQuery,
    path: String,
) -> Result<AuditExport, IpcError> {
    let path = PathBuf::from(path);
    state.refuse_unconfirmed_replacement(&path)?;
    let entries = state.with_session(|session| {
        session.export_audit_csv(&query, |bytes| state.write_chosen_file(&path, bytes))
    })?;
    Ok(AuditExport {
        path: path.display().to_string(),
        entries: u32::try_from(entries).unwrap_or(u32::MAX),
    })
}
