//! The emergency wipe and the duress passphrase: an administrator makes the vault unreadable at
//! once, from the app or the CLI, or sets a second passphrase that does the same when it is typed
//! at unlock and then shows an empty new vault in its place (for someone made to unlock Hearth in
//! front of a person who must not see its records). The files are destroyed by
//! `hearth_store::wipe`, which says what a wipe can and cannot reach.

use serde::{Deserialize, Serialize};

use super::create::create_in;
use super::Session;
use crate::access::passphrase_policy::check_new_passphrase;
use crate::access::{validate_name, AccessError, OpenError, Operation};
use crate::audit::{self, Action, NewEntry};
use crate::crypto::Passphrase;
use crate::vault::{VaultPaths, VaultWriteLock};
use hearth_format::keyslots::{
    KeySlot, KeySlotFile, KeySlotFileError, SlotOpenError, MAX_DURESS_PROFILE_LEN,
};
use hearth_store::wipe::{self, Wiped};

/// What the duress slot keeps for the empty vault that replaces this one: the names it shows, so
/// that it looks like this organisation's own new vault.
#[derive(Debug, Serialize, Deserialize)]
struct DuressProfile {
    organisation: String,
    site: String,
}

/// The field a duress passphrase's audit entry names.
const DURESS_FIELD: &str = "duress_passphrase";

impl Session {
    /// Makes the vault unreadable (administrators): every key slot is destroyed, then the session
    /// is closed without recording its end (there will be no log to record it in), then every
    /// file of the vault is overwritten and removed. Nothing can be undone: no passphrase or
    /// recovery key opens this vault again. A refusal is recorded, and the session closes all the
    /// same: whoever tried is signed out.
    pub fn wipe_vault(mut self) -> Result<Wiped, AccessError> {
        self.require(Operation::WipeVault)?;
        let paths = self.paths.clone();
        self.unlock_recorded = false;
        // The key slots go first, whatever the session is doing (a page-by-page check may still
        // be running); then the session closes, zeroing the data key and writing its last pages
        // before the database is overwritten.
        wipe::wipe_then(&paths, move || drop(self)).map_err(AccessError::Wipe)
    }

    /// Sets the duress passphrase (administrators), replacing any before it. It must pass the
    /// same rules as an account's passphrase and differ from the administrator's own; typed at
    /// unlock with any account's name, it wipes the vault silently and opens an empty new one.
    pub fn set_duress_passphrase(&mut self, passphrase: &Passphrase) -> Result<(), AccessError> {
        self.require(Operation::WipeVault)?;
        let (organisation, site) = self.organisation_and_site()?;
        check_new_passphrase(passphrase, &self.account.name, &organisation)?;
        let held = self.write_lock()?;
        let mut slots = KeySlotFile::read(&self.paths.key_slots())?;
        // The administrator's own passphrase would open their account first and never wipe.
        if let Some(own) = slots.slot_of(self.account.id) {
            if own.open(passphrase.expose_secret().as_bytes()).is_ok() {
                return Err(AccessError::InvalidInput(
                    "the duress passphrase must not be your own passphrase".into(),
                ));
            }
        }
        let profile = serde_json::to_vec(&DuressProfile { organisation, site })
            .map_err(|_| AccessError::InvalidInput("the names could not be kept".into()))?;
        // Names checked at creation fit; an organisation's name from an enrollment is not.
        if profile.len() > MAX_DURESS_PROFILE_LEN {
            return Err(AccessError::InvalidInput(
                "the organisation's and site's names are too long to keep for a duress passphrase"
                    .into(),
            ));
        }
        let kdf = super::accounts::slot_kdf_params(&self.database)?;
        let slot = KeySlot::seal_duress(kdf, passphrase.expose_secret().as_bytes(), &profile)?;
        slots.put_duress_slot(slot);
        self.write_slots_audited(&held, &slots)
    }

    /// Removes the duress passphrase (administrators). Whether there was one.
    pub fn remove_duress_passphrase(&mut self) -> Result<bool, AccessError> {
        self.require(Operation::WipeVault)?;
        let held = self.write_lock()?;
        let mut slots = KeySlotFile::read(&self.paths.key_slots())?;
        if slots.duress_slot().is_none() {
            return Ok(false);
        }
        slots.remove_duress_slot();
        self.write_slots_audited(&held, &slots)?;
        Ok(true)
    }

    /// Whether a duress passphrase is set (administrators).
    pub fn has_duress_passphrase(&self) -> Result<bool, AccessError> {
        self.require(Operation::WipeVault)?;
        Ok(KeySlotFile::read(&self.paths.key_slots())?
            .duress_slot()
            .is_some())
    }

    /// Writes the key slots with the audit entry of the change. The caller holds the write lock.
    fn write_slots_audited(
        &self,
        _held: &VaultWriteLock,
        slots: &KeySlotFile,
    ) -> Result<(), AccessError> {
        let entry =
            NewEntry::ok(&self.account, Action::WipeVault).with_fields(vec![DURESS_FIELD.into()]);
        super::key_slot_journal::commit_with_slots::<AccessError>(
            &self.paths,
            &self.database,
            slots,
            |transaction| Ok(audit::append(transaction, &entry).map(|_| ())?),
        )
    }
}

/// At unlock, once no slot of the account named opened with the passphrase: if it is the duress
/// passphrase, wipes the vault and makes an empty new one in its place, with the organisation's
/// and site's names and the account name as typed, as its administrator with that passphrase;
/// its session. `None` when there is no duress passphrase or this is not it. Its recovery key is
/// made and dropped: nobody is shown it.
pub(super) fn unlock_under_duress(
    paths: &VaultPaths,
    slots: &KeySlotFile,
    account_name: &str,
    passphrase: &Passphrase,
) -> Result<Option<Session>, OpenError> {
    let Some(slot) = slots.duress_slot() else {
        return Ok(None);
    };
    let profile = match slot.open_duress(passphrase.expose_secret().as_bytes()) {
        Ok(profile) => profile,
        Err(SlotOpenError::Crypto(error)) => return Err(error.into()),
        Err(_) => return Ok(None),
    };
    // The slot opened, so this is the profile Hearth sealed in it.
    let profile: DuressProfile = serde_json::from_slice(&profile).map_err(|_| {
        OpenError::KeySlots(KeySlotFileError::Malformed("the duress slot's profile"))
    })?;
    let admin_name = validate_name("account name", account_name)?;
    let kdf = slot.header.kdf;
    wipe::wipe(paths).map_err(OpenError::Folder)?;
    let (session, _recovery_key) = create_in(
        paths,
        &profile.organisation,
        &profile.site,
        &admin_name,
        passphrase,
        kdf,
    )?;
    Ok(Some(session))
}
