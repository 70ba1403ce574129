//! The shell's managed state: which vault folder the app uses and the unlocked session, if any.
//! Locking drops the session, which closes the database and zeroes the data key in the core.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use hearth_core::access::{AccessError, Session};

use crate::demo::DemoVault;
use crate::error::IpcError;

/// Everything the commands share. There is one per app (Tauri's managed state), never a global.
#[derive(Debug)]
pub struct AppState {
    /// The vault folder: `HEARTH_VAULT`, the data folder's default, or the demo vault.
    pub vault_folder: PathBuf,
    /// The demo vault, when the app was started with `HEARTH_DEMO=1`.
    pub demo: Option<DemoVault>,
    session: Mutex<Option<Session>>,
}

impl AppState {
    /// State for the vault in `vault_folder`, locked.
    pub fn new(vault_folder: PathBuf, demo: Option<DemoVault>) -> Self {
        Self {
            vault_folder,
            demo,
            session: Mutex::new(None),
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        // A command that panicked mid-way leaves the lock poisoned; the session inside is still
        // whole (every core write is one transaction), so carry on with it.
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Replaces the session (after an unlock or a vault creation); the old one, if any, is locked.
    pub fn set_session(&self, session: Session) {
        *self.slot() = Some(session);
    }

    /// Locks: drops the session.
    pub fn lock(&self) {
        self.slot().take();
    }

    /// Runs `operation` on the unlocked session, or fails with the `locked` kind.
    pub fn with_session<T, E>(
        &self,
        operation: impl FnOnce(&mut Session) -> Result<T, E>,
    ) -> Result<T, IpcError>
    where
        IpcError: From<E>,
    {
        let mut slot = self.slot();
        let session = slot.as_mut().ok_or_else(IpcError::locked)?;
        Ok(operation(session)?)
    }

    /// Runs `operation` on the session if one is open; `None` when locked.
    pub fn with_session_if_unlocked<T>(
        &self,
        operation: impl FnOnce(&mut Session) -> Result<T, AccessError>,
    ) -> Result<Option<T>, IpcError> {
        let mut slot = self.slot();
        Ok(slot.as_mut().map(operation).transpose()?)
    }
}
