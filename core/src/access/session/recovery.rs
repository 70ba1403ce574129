//! An administrator who forgot their passphrase sets a new one with the vault's recovery key
//! (written on paper when the vault was made). Throttled like unlocking; only the key-slot file
//! changes, through the same journal as every account change.

use std::path::Path;
use std::time::SystemTime;

use rusqlite::OptionalExtension;

use super::super::passphrase_policy::check_new_passphrase;
use super::super::{normalise_account_name, OpenError, Role};
use super::accounts::{account_from_row, load_account_by_name, organisation_name, slot_kdf_params};
use super::{key_slot_journal, read_slots, rekey, wait_error, RECOVERY_SLOT_ACCOUNT};
use crate::crypto::{Passphrase, RecoveryKey};
use crate::vault::{self, VaultPaths, VaultWriteLock};
use hearth_format::keyslots::{KeySlot, SlotKind, SlotOpenError};
use hearth_store::throttle::{ThrottleKey, UnlockThrottle};

/// Sets a new passphrase for an administrator with the vault's recovery key. The administrator is
/// `admin_name`, or the first administrator created when no name is given. Returns that
/// administrator's name. Only the key-slot file changes.
pub fn recover_admin(
    folder: &Path,
    recovery_key: &RecoveryKey,
    admin_name: Option<&str>,
    new_passphrase: &Passphrase,
) -> Result<String, OpenError> {
    let paths = VaultPaths::new(folder);
    if !paths.is_complete() {
        return Err(OpenError::NoVault);
    }
    let _write_lock = VaultWriteLock::acquire(&paths).map_err(OpenError::Folder)?;
    let slots = read_slots(&paths)?;
    let recovery_slot = slots.recovery_slot().ok_or(OpenError::WrongRecoveryKey)?;
    let now = SystemTime::now();
    let mut throttle = UnlockThrottle::load(&paths.throttle(), now);
    let wait = throttle.remaining_wait(ThrottleKey::RecoveryKey, now);
    if !wait.is_zero() {
        return Err(wait_error(wait));
    }
    let data_key = match recovery_slot.open(recovery_key.expose_secret()) {
        Ok(key) => key,
        Err(SlotOpenError::ParamsOutOfRange) => return Err(OpenError::SlotAltered),
        Err(SlotOpenError::Crypto(error)) => return Err(error.into()),
        Err(SlotOpenError::WrongSecretOrAltered | SlotOpenError::NoKey) => {
            throttle.record_failure(ThrottleKey::RecoveryKey, now);
            let _ = throttle.save(&paths.throttle());
            return Err(OpenError::WrongRecoveryKey);
        }
    };

    let (mut database, data_key) = rekey::open_after_any_rekey(&paths, data_key, |next| {
        Ok(next
            .recovery_slot()
            .and_then(|slot| slot.open(recovery_key.expose_secret()).ok()))
    })?;
    vault::migrate(&mut database)?;
    key_slot_journal::complete_pending::<OpenError>(&paths, &database)?;
    // What the pending change wrote is the file to change now.
    let mut slots = read_slots(&paths)?;
    let admin = match admin_name {
        Some(name) => load_account_by_name(&database, name)?.ok_or(OpenError::UnknownAccount)?,
        None => database
            .query_row(
                "SELECT id, name, role, active FROM accounts WHERE role = 'admin'
                 ORDER BY created_ms, rowid LIMIT 1",
                [],
                account_from_row,
            )
            .optional()?
            .ok_or(OpenError::UnknownAccount)?,
    };
    if admin.role != Role::Admin {
        return Err(OpenError::NotAnAdmin);
    }
    if !admin.active {
        return Err(OpenError::AccountDisabled);
    }
    check_new_passphrase(new_passphrase, &admin.name, &organisation_name(&database)?)?;
    let kdf = slot_kdf_params(&database)?;
    let sealed = KeySlot::seal(
        SlotKind::Passphrase,
        admin.id,
        slots.name_tag(&normalise_account_name(&admin.name)),
        kdf,
        new_passphrase.expose_secret().as_bytes(),
        &data_key,
    )?;
    slots.put_account_slot(sealed.slot);
    // A recovery slot an older Hearth made holds the data key itself: with the recovery key at
    // hand, make it one whose data key can change (`rekey`).
    let upgraded_recovery = match slots.recovery_slot() {
        Some(slot) if slot.version() < 2 => Some(KeySlot::seal(
            SlotKind::Recovery,
            RECOVERY_SLOT_ACCOUNT,
            0,
            kdf,
            recovery_key.expose_secret(),
            &data_key,
        )?),
        _ => None,
    };
    let recovery_recipient = upgraded_recovery.as_ref().map(|s| s.recipient.clone());
    if let Some(upgraded) = upgraded_recovery {
        slots.put_recovery_slot(upgraded.slot);
    }
    key_slot_journal::commit_with_slots::<OpenError>(&paths, &database, &slots, |transaction| {
        rekey::record_recipient(transaction, admin.id, &sealed.recipient)?;
        if let Some(recipient) = &recovery_recipient {
            rekey::record_recipient(transaction, RECOVERY_SLOT_ACCOUNT, recipient)?;
        }
        Ok(())
    })?;
    throttle.forget(ThrottleKey::RecoveryKey, &paths.throttle());
    throttle.forget(ThrottleKey::Account(admin.id), &paths.throttle());
    Ok(admin.name)
}
