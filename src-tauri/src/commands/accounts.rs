//! Accounts: the administrator's list, adding, disabling and resets; each person's own
//! passphrase and language.

use hearth_core::crypto::Passphrase;
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::views::{AccountView, RoleView};

/// All accounts (administrators and supervisors).
#[tauri::command(async)]
pub fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountView>, IpcError> {
    let accounts = state.with_session(|session| session.list_accounts())?;
    Ok(accounts.into_iter().map(Into::into).collect())
}

/// Adds an account with its first passphrase.
#[tauri::command(async)]
pub fn add_account(
    state: State<'_, AppState>,
    name: String,
    role: RoleView,
    passphrase: String,
) -> Result<AccountView, IpcError> {
    let passphrase = Passphrase::new(passphrase);
    let account = state.with_session(|s| s.add_account(&name, role.into(), &passphrase))?;
    Ok(account.into())
}

/// Disables an account.
#[tauri::command(async)]
pub fn disable_account(state: State<'_, AppState>, name: String) -> Result<AccountView, IpcError> {
    Ok(state
        .with_session(|session| session.disable_account(&name))?
        .into())
}

/// Enables a disabled account.
#[tauri::command(async)]
pub fn enable_account(state: State<'_, AppState>, name: String) -> Result<AccountView, IpcError> {
    Ok(state
        .with_session(|session| session.enable_account(&name))?
        .into())
}

/// Sets a new passphrase for someone else's account.
#[tauri::command(async)]
pub fn reset_passphrase(
    state: State<'_, AppState>,
    name: String,
    new_passphrase: String,
) -> Result<(), IpcError> {
    let new_passphrase = Passphrase::new(new_passphrase);
    state.with_session(|session| session.reset_passphrase(&name, &new_passphrase))
}

/// Changes the signed-in person's passphrase, given the current one.
#[tauri::command(async)]
pub fn change_own_passphrase(
    state: State<'_, AppState>,
    current_passphrase: String,
    new_passphrase: String,
) -> Result<(), IpcError> {
    let (current, new) = (
        Passphrase::new(current_passphrase),
        Passphrase::new(new_passphrase),
    );
    state.with_session(|session| session.change_own_passphrase(&current, &new))
}

/// Remembers the signed-in person's language.
#[tauri::command(async)]
pub fn set_language(state: State<'_, AppState>, language: String) -> Result<(), IpcError> {
    state.with_session(|session| session.set_own_language(&language))
}
