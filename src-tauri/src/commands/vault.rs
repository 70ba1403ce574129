//! Creating, unlocking and locking the vault, and what can be asked before unlocking.

use std::time::Duration;

use hearth_core::access::{
    self, IntegrityStatus, KdfChoice, NewVault, OpenError, PassphraseAssessment, Session,
    SessionOverview, VaultStatus,
};
use hearth_core::crypto::{Passphrase, RecoveryKey};
use hearth_core::vault::VaultPaths;
use tauri::State;

use crate::demo;
use crate::error::IpcError;
use crate::state::AppState;
use crate::views::{CreatedVault, DemoCredentials, VaultState};

/// Whether there is a vault to unlock (else the first-run screen), and demo credentials.
#[tauri::command(rename_all = "snake_case")]
pub fn vault_state(state: State<'_, AppState>) -> VaultState {
    VaultState {
        exists: VaultPaths::new(&state.vault_folder).is_complete(),
        demo: state.demo.as_ref().map(|_| DemoCredentials {
            account_name: demo::ADMIN_NAME.to_owned(),
            passphrase: demo::ADMIN_PASSPHRASE.to_owned(),
        }),
    }
}

/// Rates a passphrase as it is typed (the same estimator the core enforces).
#[tauri::command(rename_all = "snake_case")]
pub fn assess_passphrase(
    passphrase: String,
    account_name: String,
    organisation_name: String,
) -> PassphraseAssessment {
    let passphrase = Passphrase::new(passphrase);
    access::assess_passphrase(
        passphrase.expose_secret(),
        &account_name,
        &organisation_name,
    )
}

/// Creates the vault and signs its first administrator in. Calibrates the KDF (a second or two).
#[tauri::command(async, rename_all = "snake_case")]
pub fn create_vault(
    state: State<'_, AppState>,
    organisation: String,
    site: String,
    admin_name: String,
    passphrase: String,
) -> Result<CreatedVault, IpcError> {
    let passphrase = Passphrase::new(passphrase);
    let (mut session, recovery_key) = access::create_vault(
        &state.vault_folder,
        NewVault {
            organisation: &organisation,
            site: &site,
            admin_name: &admin_name,
            admin_passphrase: &passphrase,
            kdf: KdfChoice::Calibrate(Duration::from_secs(1)),
        },
    )?;
    let info = session.overview()?;
    start_integrity_check(&mut session)?;
    state.set_session(session);
    Ok(CreatedVault {
        session: info,
        recovery_key: recovery_key.expose_secret_display().to_string(),
    })
}

/// Sets a new passphrase for an administrator who forgot theirs, with the recovery key written
/// down when the vault was made: the administrator named, or the first one when `account_name`
/// is empty. Returns the administrator's name; they then unlock with the new passphrase.
#[tauri::command(async, rename_all = "snake_case")]
pub fn recover_admin(
    state: State<'_, AppState>,
    account_name: String,
    recovery_key: String,
    new_passphrase: String,
) -> Result<String, IpcError> {
    let recovery_key = RecoveryKey::parse(&recovery_key).map_err(OpenError::from)?;
    let name = account_name.trim();
    Ok(access::recover_admin(
        &state.vault_folder,
        &recovery_key,
        (!name.is_empty()).then_some(name),
        &Passphrase::new(new_passphrase),
    )?)
}

/// Unlocks as the named account.
#[tauri::command(async, rename_all = "snake_case")]
pub fn unlock(
    state: State<'_, AppState>,
    account_name: String,
    passphrase: String,
) -> Result<SessionOverview, IpcError> {
    let passphrase = Passphrase::new(passphrase);
    let mut session = access::unlock(&state.vault_folder, &account_name, &passphrase)?;
    let info = session.overview()?;
    start_integrity_check(&mut session)?;
    state.set_session(session);
    Ok(info)
}

/// Every page of the vault is checked after each unlock, on its own connection, while the
/// person works; the UI asks for the result (`integrity_status`).
fn start_integrity_check(session: &mut Session) -> Result<(), IpcError> {
    Ok(session.check_integrity_in_background()?)
}

/// Where the check of every page stands (`null` when it was not started), recorded in the
/// audit log once it has finished.
#[tauri::command(async, rename_all = "snake_case")]
pub fn integrity_status(state: State<'_, AppState>) -> Result<Option<IntegrityStatus>, IpcError> {
    state.with_session(|session| session.integrity_status())
}

/// Locks: the core closes the database and zeroes the key.
#[tauri::command(rename_all = "snake_case")]
pub fn lock(state: State<'_, AppState>) {
    state.lock();
}

/// Someone is using the app (the UI reports keys, clicks and pointer moves, at most once a
/// second): the idle deadline moves. Nothing else does, so that a page left polling cannot keep
/// the vault open.
#[tauri::command(rename_all = "snake_case")]
pub fn record_activity(state: State<'_, AppState>) {
    state.record_activity();
}

/// The signed-in session, if any (the UI asks after a reload).
#[tauri::command(async, rename_all = "snake_case")]
pub fn current_session(state: State<'_, AppState>) -> Result<Option<SessionOverview>, IpcError> {
    state.with_session_if_unlocked(|session| session.overview())
}

/// The About screen's figures.
#[tauri::command(async, rename_all = "snake_case")]
pub fn vault_status(state: State<'_, AppState>) -> Result<VaultStatus, IpcError> {
    state.with_session(|session| session.status())
}
