//! The shell's managed state: which vault folder the app uses, the unlocked session if any, the
//! idle deadline it is held behind, and the files the person confirmed replacing. Locking drops
//! the session, which closes the database and zeroes the data key in the core.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use hearth_core::access::{AccessError, AwakeInstant, IdleDeadline, Session};

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
    /// When the session locks without activity; `None` while locked. Its own mutex, not the
    /// session's: activity is recorded, and the deadline checked, while a long command (an
    /// import) holds the session.
    idle: Mutex<Option<IdleDeadline>>,
    /// Existing files the person chose in a Save dialog, which asked them to confirm replacing
    /// it: only these may be written over, once each.
    confirmed_replacements: Mutex<HashSet<PathBuf>>,
    /// The person pressed Cancel on the long work running (an import): outside the session's
    /// mutex, which that work holds.
    cancel_asked: AtomicBool,
}

impl AppState {
    /// State for the vault in `vault_folder`, locked.
    pub fn new(vault_folder: PathBuf, demo: Option<DemoVault>) -> Self {
        Self {
            vault_folder,
            demo,
            session: Mutex::new(None),
            idle: Mutex::new(None),
            confirmed_replacements: Mutex::new(HashSet::new()),
            cancel_asked: AtomicBool::new(false),
        }
    }

    /// The person asked to stop the long work running.
    pub fn ask_cancellation(&self) {
        self.cancel_asked.store(true, Ordering::SeqCst);
    }

    /// Whether the person asked to stop it.
    pub fn cancellation_asked(&self) -> bool {
        self.cancel_asked.load(Ordering::SeqCst)
    }

    /// New long work starts with no cancellation asked for.
    pub fn clear_cancellation(&self) {
        self.cancel_asked.store(false, Ordering::SeqCst);
    }

    fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        // A command that panicked mid-way leaves the lock poisoned; the session inside is still
        // whole (every core write is one transaction), so carry on with it.
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn idle(&self) -> MutexGuard<'_, Option<IdleDeadline>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the session (after an unlock or a vault creation); the old one, if any, is locked.
    /// The idle deadline starts from now.
    pub fn set_session(&self, session: Session) {
        // Five minutes, the vault's default, if the setting cannot be read.
        let timeout = session.idle_timeout_seconds().unwrap_or(300);
        let mut slot = self.slot();
        *self.idle() = Some(IdleDeadline::new(timeout, AwakeInstant::now()));
        *slot = Some(session);
    }

    /// Locks: drops the session.
    pub fn lock(&self) {
        self.lock_holding(self.slot());
    }

    fn lock_holding(&self, mut slot: MutexGuard<'_, Option<Session>>) {
        self.idle().take();
        slot.take();
        self.confirmed_replacements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Takes the session out, leaving the app locked: for the emergency wipe, which consumes it.
    /// `None` when locked (or the idle deadline has passed).
    pub fn take_session(&self) -> Option<Session> {
        if self.lock_if_idle() {
            return None;
        }
        let mut slot = self.slot();
        let session = slot.take();
        self.lock_holding(slot);
        session
    }

    /// Someone used the app: the idle deadline moves. Nothing when locked.
    pub fn record_activity(&self) {
        if let Some(deadline) = self.idle().as_mut() {
            deadline.activity(AwakeInstant::now());
        }
    }

    /// An administrator changed the idle timeout: the deadline follows at once.
    pub fn set_idle_timeout(&self, seconds: u32) {
        if let Some(deadline) = self.idle().as_mut() {
            deadline.set_timeout_seconds(seconds);
        }
    }

    fn idle_deadline_passed(&self) -> bool {
        self.idle()
            .as_ref()
            .is_some_and(|deadline| deadline.has_passed(AwakeInstant::now()))
    }

    /// Locks if the idle deadline has passed; true when it locked. The idle watch calls it every
    /// second, whatever the webview does. (It waits for a command that holds the session, such as
    /// a long import, to finish, and then looks again.)
    pub fn lock_if_idle(&self) -> bool {
        if !self.idle_deadline_passed() {
            return false;
        }
        let slot = self.slot();
        // Activity while a command held the session counts.
        if !self.idle_deadline_passed() {
            return false;
        }
        self.lock_holding(slot);
        true
    }

    /// Runs `operation` on the unlocked session, or fails with the `locked` kind (also when the
    /// idle deadline has passed and the idle watch has not yet locked).
    pub fn with_session<T, E>(
        &self,
        operation: impl FnOnce(&mut Session) -> Result<T, E>,
    ) -> Result<T, IpcError>
    where
        IpcError: From<E>,
    {
        if self.lock_if_idle() {
            return Err(IpcError::locked());
        }
        let mut slot = self.slot();
        let session = slot.as_mut().ok_or_else(IpcError::locked)?;
        Ok(operation(session)?)
    }

    /// Runs `operation` on the session if one is open; `None` when locked.
    pub fn with_session_if_unlocked<T>(
        &self,
        operation: impl FnOnce(&mut Session) -> Result<T, AccessError>,
    ) -> Result<Option<T>, IpcError> {
        self.lock_if_idle();
        let mut slot = self.slot();
        Ok(slot.as_mut().map(operation).transpose()?)
    }

    /// The person confirmed, in a Save dialog, that `path` (which exists) may be replaced.
    pub fn confirm_replacement(&self, path: PathBuf) {
        self.confirmed_replacements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path);
    }

    /// Refuses `path` if a file of that name exists and the person did not confirm replacing it
    /// (so that nothing is written, or counted as sent, for a write that would be refused).
    pub fn refuse_unconfirmed_replacement(&self, path: &Path) -> Result<(), IpcError> {
        let confirmed = self
            .confirmed_replacements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(path);
        if path.exists() && !confirmed {
            return Err(IpcError::new(
                hearth_core::access::ErrorKind::FileExists,
                format!("{}: a file of that name exists already", path.display()),
            ));
        }
        Ok(())
    }

    /// Whether the person confirmed replacing `path` (the confirmation is used up).
    pub fn take_confirmed_replacement(&self, path: &Path) -> bool {
        self.confirmed_replacements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(path)
    }

    /// Puts a file written under a temporary name in place: as a new file, or over an existing
    /// one only if the person confirmed replacing it (each confirmation is used once).
    pub fn put_chosen_file(&self, staged: hearth_core::files::StagedFile) -> std::io::Result<()> {
        let confirmed = self.take_confirmed_replacement(staged.path());
        if confirmed && staged.path().exists() {
            staged.put_in_place()
        } else {
            staged.put_in_place_new()
        }
    }

    /// Writes `bytes` to `path` whole: a new file, or over an existing one only if the person
    /// confirmed replacing it (each confirmation is used once). Readable by its owner only.
    pub fn write_chosen_file(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let confirmed = self
            .confirmed_replacements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(path);
        if confirmed && path.exists() {
            hearth_core::files::write_file_atomically(path, bytes)
        } else {
            hearth_core::files::write_new_private_file(path, bytes)
        }
    }
}
