//! Statistics and standard exports: the Statistics screen's exact counts, and the exports
//! (anonymous statistics, CTDC-style records, HTCDS) written where the person chose in a Save
//! dialog, each with its manifest beside it.

use std::path::PathBuf;

use tauri::State;

use hearth_core::reports::{
    stage_report_files, HtcdsProtection, ReportError, ReportFiles, Scope, Shape, StagedReport,
    Statistics,
};

use crate::error::IpcError;
use crate::state::AppState;
use crate::views::{HtcdsWritten, ReportWritten};

/// The exact counts of every case in `scope`, for the Statistics screen (supervisors and
/// administrators).
#[tauri::command(async, rename_all = "snake_case")]
pub fn statistics(state: State<'_, AppState>, scope: Scope) -> Result<Statistics, IpcError> {
    state.with_session(|session| session.statistics(&scope))
}

/// The k exports hide counts below.
#[tauri::command(async, rename_all = "snake_case")]
pub fn statistics_k(state: State<'_, AppState>) -> Result<u32, IpcError> {
    state.with_session(|session| session.statistics_k())
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Stages the export and its manifest for the chosen `path` (replacing only what the Save dialog
/// confirmed); the core names them once the export is recorded.
fn deliver(
    state: &AppState,
    path: &std::path::Path,
    files: &ReportFiles,
) -> std::io::Result<StagedReport> {
    let replace = state.take_confirmed_replacement(path);
    stage_report_files(path, files, replace)
}

fn written(path: &std::path::Path, files: &ReportFiles) -> ReportWritten {
    ReportWritten {
        cases_included: files.summary.cases_included.clone(),
        cases_left_out_for_consent: files.summary.cases_left_out_for_consent.clone(),
        manifest_path: hearth_core::reports::manifest_path(path)
            .display()
            .to_string(),
    }
}

/// An administrator raises k (never lowers it).
#[tauri::command(async, rename_all = "snake_case")]
pub fn set_statistics_k(state: State<'_, AppState>, k: u32) -> Result<(), IpcError> {
    state.with_session(|session| session.set_statistics_k(k))
}

/// The anonymous statistics of `scope` as CSV (consented cases, nothing below k) to `path`.
#[tauri::command(async, rename_all = "snake_case")]
pub fn export_statistics(
    state: State<'_, AppState>,
    scope: Scope,
    path: String,
) -> Result<ReportWritten, IpcError> {
    let path = PathBuf::from(path);
    state.refuse_unconfirmed_replacement(&path)?;
    let files = state.with_session(|session| {
        session.export_statistics(&scope, &file_name(&path), |files| {
            deliver(&state, &path, files)
        })
    })?;
    Ok(written(&path, &files))
}

/// CTDC-style anonymised records of `scope` as CSV to `path`.
#[tauri::command(async, rename_all = "snake_case")]
pub fn export_ctdc(
    state: State<'_, AppState>,
    scope: Scope,
    path: String,
) -> Result<ReportWritten, IpcError> {
    let path = PathBuf::from(path);
    state.refuse_unconfirmed_replacement(&path)?;
    let files = state.with_session(|session| {
        session.export_ctdc(&scope, &file_name(&path), |files| {
            deliver(&state, &path, files)
        })
    })?;
    Ok(written(&path, &files))
}

/// The organisation's cases in HTCDS shape to `path` (supervisors): encrypted to the office's
/// key or with a one-time passphrase, or in plain text when `plain`.
#[tauri::command(async, rename_all = "snake_case")]
pub fn export_htcds(
    state: State<'_, AppState>,
    shape: Shape,
    plain: bool,
    path: String,
) -> Result<HtcdsWritten, IpcError> {
    let path = PathBuf::from(path);
    state.refuse_unconfirmed_replacement(&path)?;
    let protection = if plain {
        HtcdsProtection::Plain
    } else {
        HtcdsProtection::Default
    };
    let written = state.with_session(|session| {
        session.export_htcds(shape, protection, &file_name(&path), |files| {
            deliver(&state, &path, files)
        })
    })?;
    Ok(HtcdsWritten {
        cases_included: written.manifest.cases_included,
        cases_left_out_for_consent: written.manifest.cases_left_out_for_consent,
        passphrase: written.passphrase,
        office_fingerprint: written.office_fingerprint,
    })
}

impl From<ReportError> for IpcError {
    fn from(error: ReportError) -> Self {
        match error {
            ReportError::Record(records) => records.into(),
            other => Self::described(other.kind(), &other),
        }
    }
}
