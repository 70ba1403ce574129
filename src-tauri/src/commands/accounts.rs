//! Accounts: the administrator's list, adding, disabling and resets; each person's own
//! passphrase and language.

use hearth_core::access::{Account, Role};
use hearth_core::crypto::Passphrase;
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::views::RekeyOutcome;

/// All accounts (administrators and supervisors).
#[tauri::command(async, rename_all = "snake_case")]
pub fn list_accounts(state: State<'_, AppState>) -> Result<Vec<Account>, IpcError> {
    state.with_session(|session| session.list_accounts())
}

/// Adds an account with its first passphrase.
#[tauri::command(async, rename_all = "snake_case")]
pub fn add_account(
    state: State<'_, AppState>,
    name: String,
    role: Role,
    passphrase: String,
) -> Result<Account, IpcError> {
    let passphrase = Passphrase::new(passphrase);
    state.with_session(|session| session.add_account(&name, role, &passphrase))
}

/// Disables an account.
#[tauri::command(async, rename_all = "snake_case")]
pub fn disable_account(state: State<'_, AppState>, name: String) -> Result<Account, IpcError> {
    state.with_session(|session| session.disable_account(&name))
}

/// Enables a disabled account.
#[tauri::command(async, rename_all = "snake_case")]
pub fn enable_account(state: State<'_, AppState>, name: String) -> Result<Account, IpcError> {
    state.with_session(|session| session.enable_account(&name))
}

/// Re-encrypts the vault under a new data key and gives every live key slot the new key
/// (administrators): after it, a disabled account's passphrase opens nothing, even with an old
/// copy of the key-slot file.
#[tauri::command(async, rename_all = "snake_case")]
pub fn rekey_vault(state: State<'_, AppState>) -> Result<RekeyOutcome, IpcError> {
    state.with_session(|session| {
        session.rekey_vault().map(|rekeyed| RekeyOutcome {
            slots: rekeyed.slots,
            new_recovery_key: rekeyed
                .new_recovery_key
                .map(|key| key.expose_secret_display().to_string()),
        })
    })
}

/// Sets a new passphrase for someone else's account.
#[tauri::command(async, rename_all = "snake_case")]
pub fn reset_passphrase(
    state: State<'_, AppState>,
    name: String,
    new_passphrase: String,
) -> Result<(), IpcError> {
    let new_passphrase = Passphrase::new(new_passphrase);
    state.with_session(|session| session.reset_passphrase(&name, &new_passphrase))
}

/// Changes the signed-in person's passphrase, given the current one.
#[tauri::command(async, rename_all = "snake_case")]
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
#[tauri::command(async, rename_all = "snake_case")]
pub fn set_language(state: State<'_, AppState>, language: String) -> Result<(), IpcError> {
    state.with_session(|session| session.set_own_language(&language))
}
