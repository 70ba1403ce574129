//! The emergency wipe and the duress passphrase (administrators): see hearth_core's
//! `access::session::emergency` and `hearth_store::wipe`.

use hearth_core::crypto::Passphrase;
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::views::WipeOutcome;

/// Whether a duress passphrase is set.
#[tauri::command(async, rename_all = "snake_case")]
pub fn duress_passphrase_set(state: State<'_, AppState>) -> Result<bool, IpcError> {
    state.with_session(|session| session.has_duress_passphrase())
}

/// Sets the duress passphrase, replacing any before it.
#[tauri::command(async, rename_all = "snake_case")]
pub fn set_duress_passphrase(
    state: State<'_, AppState>,
    passphrase: String,
) -> Result<(), IpcError> {
    let passphrase = Passphrase::new(passphrase);
    state.with_session(|session| session.set_duress_passphrase(&passphrase))
}

/// Removes the duress passphrase; whether there was one.
#[tauri::command(async, rename_all = "snake_case")]
pub fn remove_duress_passphrase(state: State<'_, AppState>) -> Result<bool, IpcError> {
    state.with_session(|session| session.remove_duress_passphrase())
}

/// Wipes the vault. The session goes whatever happens: after a wipe there is nothing to be signed
/// in to, and someone refused one is signed out (the refusal is in the audit log).
#[tauri::command(async, rename_all = "snake_case")]
pub fn wipe_vault(state: State<'_, AppState>) -> Result<WipeOutcome, IpcError> {
    let session = state.take_session().ok_or_else(IpcError::locked)?;
    let wiped = session.wipe_vault()?;
    Ok(WipeOutcome {
        unreadable_after_ms: u64::try_from(wiped.unreadable_after.as_millis()).unwrap_or(u64::MAX),
        finished_after_ms: u64::try_from(wiped.finished_after.as_millis()).unwrap_or(u64::MAX),
        files: wiped.files,
    })
}
