//! Vault-wide settings an administrator changes.

use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;

/// Sets the idle timeout, in seconds.
#[tauri::command(async, rename_all = "snake_case")]
pub fn set_idle_timeout(state: State<'_, AppState>, seconds: u32) -> Result<(), IpcError> {
    state.with_session(|session| session.set_idle_timeout_seconds(seconds))?;
    state.set_idle_timeout(seconds);
    Ok(())
}
