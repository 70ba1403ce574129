//! Sync from the desktop: this laptop and the organisation's devices, bundle export and import
//! (with a preview), joining and approving laptops, revoking one, and the conflict queue. The
//! files are named by the person (a USB stick's folder, say); the core does the rest.

use std::path::{Path, PathBuf};

use hearth_core::records::{Conflict, Resolution};
use hearth_core::sync::{
    BundleOutcome, DeviceIdentity, ExportSummary, ImportSummary, JoinRequest, OfficeRecipient,
    SyncError, SyncStatus,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use hearth_core::access::ErrorKind;
use hearth_core::files::StagedFile;

use crate::error::IpcError;
use crate::progress_events::{LongWork, ProgressEvents};
use crate::state::AppState;

fn file_error(kind: ErrorKind, path: &Path, error: &dyn std::fmt::Display) -> IpcError {
    IpcError::new(kind, format!("{}: {error}", path.display()))
}

fn read_file(path: &str) -> Result<Vec<u8>, IpcError> {
    let path = PathBuf::from(path);
    std::fs::read(&path).map_err(|error| file_error(ErrorKind::FileUnreadable, &path, &error))
}

/// This laptop's public identity (its fingerprint is read aloud when approving a laptop).
#[tauri::command(async, rename_all = "snake_case")]
pub fn device_identity(state: State<'_, AppState>) -> Result<DeviceIdentity, IpcError> {
    state.with_session(|session| session.device_identity())
}

/// The organisation's devices and the bundles exchanged with each.
#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, IpcError> {
    state.with_session(|session| session.sync_status())
}

/// Writes a bundle of what the other laptops and the office may lack (everything with `full`) to
/// `path`, chosen in a Save dialog: a new file, or one the person confirmed replacing there.
#[tauri::command(async, rename_all = "snake_case")]
pub fn export_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    full: bool,
) -> Result<ExportSummary, IpcError> {
    let path = PathBuf::from(path);
    state.refuse_unconfirmed_replacement(&path)?;
    let progress = ProgressEvents::new(&app, state.inner(), LongWork::Export);
    // Written as the export runs, under a temporary name beside the chosen one; it takes that
    // name only when whole.
    let staged = StagedFile::create(&path).map_err(|error| IpcError::unwritable(&path, &error))?;
    state.with_session(|session| {
        session.export_bundle_watched(
            None,
            full,
            staged,
            |staged| state.put_chosen_file(staged),
            &progress,
        )
    })
}

/// What importing the bundle at `path` would change, without changing anything.
#[tauri::command(async, rename_all = "snake_case")]
pub fn preview_import(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> Result<ImportSummary, IpcError> {
    let progress = ProgressEvents::new(&app, state.inner(), LongWork::Preview);
    state.with_session(|session| session.preview_import_file(Path::new(&path), &progress))
}

/// Imports the bundle at `path`: all of it, or nothing.
#[tauri::command(async, rename_all = "snake_case")]
pub fn import_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> Result<ImportSummary, IpcError> {
    let progress = ProgressEvents::new(&app, state.inner(), LongWork::Import);
    state.with_session(|session| session.import_bundle_file(Path::new(&path), &progress))
}

/// One bundle of a folder import, as the Sync screen lists it.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "FolderBundle.ts"))]
pub struct FolderBundle {
    /// The file's name (the folder is the one chosen).
    pub name: String,
    /// The site of the laptop that made it, when it was imported.
    pub site: Option<String>,
    /// What it brought, when it was imported.
    pub imported: Option<ImportSummary>,
    /// Why it was refused (nothing of it was applied).
    pub refused: Option<IpcError>,
}

/// What importing a folder of bundles did: each bundle, and each site's share.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "FolderImport.ts"))]
pub struct FolderImport {
    /// Every file of the folder, in name order.
    pub bundles: Vec<FolderBundle>,
    /// Each site whose bundles were imported, by name.
    pub sites: Vec<SiteShare>,
    /// Whether it stopped early (cancelled, or the disk was full): the bundles after the one that
    /// stopped it were not tried, and say neither imported nor refused.
    pub stopped: bool,
}

/// A site's share of a folder import.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "SiteShare.ts"))]
pub struct SiteShare {
    /// The site.
    pub site: String,
    /// Its bundles imported.
    #[cfg_attr(test, ts(type = "number"))]
    pub bundles: u64,
    /// Changes new to this vault.
    #[cfg_attr(test, ts(type = "number"))]
    pub applied: u64,
    /// Changes already here.
    #[cfg_attr(test, ts(type = "number"))]
    pub already_present: u64,
    /// Cases that changed.
    #[cfg_attr(test, ts(type = "number"))]
    pub cases: u64,
    /// Changes of its laptops still waiting for a bundle not yet imported.
    #[cfg_attr(test, ts(type = "number"))]
    pub waiting: u64,
}

/// Imports every bundle in the folder at `folder` (the coordinating office's folder of every
/// site's bundles), in any order: each bundle all or nothing, one refused leaving the others
/// imported, those that cannot apply yet held until their earlier bundle comes.
#[tauri::command(async, rename_all = "snake_case")]
pub fn import_bundle_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    folder: String,
) -> Result<FolderImport, IpcError> {
    let progress = ProgressEvents::new(&app, state.inner(), LongWork::Import);
    let files = hearth_core::sync::bundle_files(&[PathBuf::from(folder)])?;
    let report = state.with_session(|session| {
        session.import_bundle_files(&files, &progress, &mut |_, _, _| {})
    })?;
    Ok(FolderImport {
        bundles: report
            .bundles
            .into_iter()
            .map(|bundle| {
                let name = bundle
                    .file
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let (imported, refused) = match bundle.outcome {
                    BundleOutcome::Imported(summary) => (Some(summary), None),
                    BundleOutcome::Refused(error) => (None, Some(IpcError::from(error))),
                    BundleOutcome::NotTried => (None, None),
                };
                FolderBundle {
                    name,
                    site: bundle.site,
                    imported,
                    refused,
                }
            })
            .collect(),
        sites: report
            .sites
            .into_iter()
            .map(|site| SiteShare {
                site: site.site,
                bundles: site.bundles,
                applied: site.applied,
                already_present: site.already_present,
                cases: site.cases,
                waiting: site.waiting,
            })
            .collect(),
        stopped: report.stopped,
    })
}

/// Stops the export, preview or import running at its next safe point: nothing is changed, and
/// an export's unfinished file is removed.
#[tauri::command(rename_all = "snake_case")]
pub fn cancel_long_work(state: State<'_, AppState>) {
    state.ask_cancellation();
}

/// Writes this laptop's request to join an organisation to a new file at `path`.
#[tauri::command(async, rename_all = "snake_case")]
pub fn write_join_request(state: State<'_, AppState>, path: String) -> Result<(), IpcError> {
    let request = state.with_session(|session| session.join_request())?;
    let text = serde_json::to_vec_pretty(&request).unwrap_or_default();
    let path = PathBuf::from(path);
    state.refuse_unconfirmed_replacement(&path)?;
    state
        .write_chosen_file(&path, &text)
        .map_err(|error| IpcError::unwritable(&path, &error))
}

/// What approving a laptop wrote.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "Approval.ts"))]
pub struct Approval {
    /// The approved laptop's device id.
    pub device: String,
    /// The site it serves.
    pub site: String,
    /// This laptop's fingerprint, to read to the new laptop's administrator.
    pub fingerprint: String,
}

/// Approves the join request at `request_path`; writes the enrollment file to `out_path`.
#[tauri::command(async, rename_all = "snake_case")]
pub fn approve_device(
    state: State<'_, AppState>,
    request_path: String,
    out_path: String,
) -> Result<Approval, IpcError> {
    let request = JoinRequest::from_json(&read_file(&request_path)?).map_err(|error| {
        file_error(
            ErrorKind::NotAJoinRequest,
            Path::new(&request_path),
            &format!("not a Hearth join request ({error})"),
        )
    })?;
    let out = PathBuf::from(out_path);
    state.refuse_unconfirmed_replacement(&out)?;
    let (enrollment, fingerprint) = state.with_session(|session| {
        let enrollment = session.approve_device(&request)?;
        Ok::<_, SyncError>((enrollment, session.device_identity()?.fingerprint))
    })?;
    state
        .write_chosen_file(&out, &enrollment)
        .map_err(|error| IpcError::unwritable(&out, &error))?;
    Ok(Approval {
        device: request.device,
        site: request.site,
        fingerprint,
    })
}

/// Joins the organisation with the enrollment file at `path`, made by the laptop whose
/// fingerprint the person was told.
#[tauri::command(async, rename_all = "snake_case")]
pub fn enroll(
    state: State<'_, AppState>,
    path: String,
    approver_fingerprint: String,
) -> Result<ImportSummary, IpcError> {
    let bytes = read_file(&path)?;
    state.with_session(|session| session.enroll(&bytes, &approver_fingerprint))
}

/// Sets the coordinating office's age recipient (administrators); returns it with its
/// fingerprint, to compare with the one the office reads out.
#[tauri::command(async, rename_all = "snake_case")]
pub fn set_office(
    state: State<'_, AppState>,
    recipient: String,
) -> Result<OfficeRecipient, IpcError> {
    state.with_session(|session| session.set_office(&recipient))
}

/// Revokes a device (a lost or stolen laptop): final.
#[tauri::command(async, rename_all = "snake_case")]
pub fn revoke_device(state: State<'_, AppState>, device: String) -> Result<(), IpcError> {
    state.with_session(|session| session.revoke_device(&device))
}

/// The conflict queue, oldest first (supervisors).
#[tauri::command(async, rename_all = "snake_case")]
pub fn conflicts(state: State<'_, AppState>) -> Result<Vec<Conflict>, IpcError> {
    state.with_session(|session| session.conflicts())
}

/// How the UI asks to resolve a conflict.
#[derive(Debug, Deserialize)]
#[serde(tag = "choice", rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ConflictChoice.ts"))]
pub enum ConflictChoice {
    /// Keep the value the record has now.
    KeepCurrent,
    /// Take the value that lost.
    TakeQueued,
    /// Write this value instead.
    Set {
        /// The value, as the field's editor gives it.
        #[cfg_attr(test, ts(type = "unknown"))]
        value: serde_json::Value,
    },
}

/// Resolves one conflict.
#[tauri::command(async, rename_all = "snake_case")]
pub fn resolve_conflict(
    state: State<'_, AppState>,
    id: i64,
    choice: ConflictChoice,
) -> Result<(), IpcError> {
    let resolution = match choice {
        ConflictChoice::KeepCurrent => Resolution::KeepCurrent,
        ConflictChoice::TakeQueued => Resolution::TakeQueued,
        ConflictChoice::Set { value } => Resolution::Set(value),
    };
    state.with_session(|session| session.resolve_conflict(id, resolution))
}
