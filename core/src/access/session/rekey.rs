//! Changing the data key (`hearth vault rekey`): the database re-encrypted under a new key and
//! every live key slot given it, so that a passphrase that opened the vault before (a disabled
//! account's, read from an old copy of `keyslots`) opens nothing of it after.
//!
//! The key-slot file and the database cannot change in one atomic step, so the change goes in
//! this order, and each crash point leaves a vault that opens:
//!
//! 1. the new key slots are written whole to `keyslots.next`;
//! 2. a `pending_rekey` row is committed (under the old key);
//! 3. SQLCipher re-encrypts every page in one transaction (`vault::rekey_database`);
//! 4. the change is recorded (audit entry, recipients) and the row deleted, under the new key;
//! 5. `keyslots.next` is renamed over `keyslots`.
//!
//! An unlock tries `keyslots` first. If its key opens the database, any `keyslots.next` is left
//! from a change that never reached step 3, and is deleted (with the row). If it does not, and
//! `keyslots.next` opens it, the change got past step 3: the unlock finishes steps 4 and 5.
//!
//! A live slot is given the new key without its owner's passphrase: a version-2 slot holds its own
//! X25519 identity, and its recipient is kept in the database (`slot_recipients`), so the new data
//! key is encrypted to that recipient. Version-1 slots (made by an older Hearth) hold the data key
//! itself: an account's is upgraded at its next unlock, and until then the change is refused; an
//! old recovery slot is replaced by a new recovery key, which the administrator must write down.

use rusqlite::{params, Connection, OptionalExtension};

use super::accounts::slot_kdf_params;
use super::{Session, RECOVERY_SLOT_ACCOUNT};
use crate::access::{AccessError, AccountId, OpenError, Operation};
use crate::audit::{self, Action, NewEntry};
use crate::crash_point::crash_point;
use crate::crypto::{RecoveryKey, SecretKey};
use crate::vault::{self, DatabaseOpenError, VaultPaths};
use hearth_format::files::{ensure_free_space, write_file_atomically};
use hearth_format::keyslots::{KeySlot, KeySlotFile, KeySlotFileError, SlotKind};
use hearth_ids::now_unix_ms;

/// What changing the data key did.
#[derive(Debug)]
pub struct Rekeyed {
    /// The key slots given the new data key (live accounts, and the recovery slot).
    pub slots: u32,
    /// A new recovery key, when the old recovery slot (made by an older Hearth) could not be given
    /// the new data key: show it once, to be written down; the old paper key opens nothing now.
    pub new_recovery_key: Option<RecoveryKey>,
}

/// Keeps the recipient of the version-2 slot of `account` (the recovery slot's is all zero).
pub(super) fn record_recipient(
    database: &Connection,
    account: AccountId,
    recipient: &str,
) -> Result<(), rusqlite::Error> {
    database.execute(
        "INSERT OR REPLACE INTO slot_recipients (account, recipient) VALUES (?1, ?2)",
        params![account.as_bytes().as_slice(), recipient],
    )?;
    Ok(())
}

/// The recipient of the version-2 slot of `account`, if it has one.
pub(super) fn recipient_of(
    database: &Connection,
    account: AccountId,
) -> Result<Option<String>, rusqlite::Error> {
    database
        .query_row(
            "SELECT recipient FROM slot_recipients WHERE account = ?1",
            [account.as_bytes().as_slice()],
            |row| row.get(0),
        )
        .optional()
}

impl Session {
    /// Re-encrypts the vault under a new data key and gives every live key slot the new key
    /// (administrators). Refused, before anything changes, if a live account's slot is of the
    /// first version. Another connection to the database (a second Hearth window, the CLI) makes
    /// it fail with nothing changed.
    pub fn rekey_vault(&mut self) -> Result<Rekeyed, AccessError> {
        self.require(Operation::RekeyVault)?;
        let _write_lock = self.write_lock()?;
        // The integrity check reads on a connection of its own, keyed with the old key.
        self.finish_integrity_check()?;
        // The rollback journal holds every page's old content while the rekey runs: ask for the
        // database's size free at the start, rather than fail (and roll back) near the end.
        let size = std::fs::metadata(self.paths.database())
            .map(|metadata| metadata.len())
            .unwrap_or(0);
        ensure_free_space(self.paths.folder(), size)?;
        let current = KeySlotFile::read(&self.paths.key_slots())?;
        let new_key = SecretKey::generate()?;
        let (next, slots, new_recovery) = self.slots_for(&current, &new_key)?;

        write_file_atomically(&self.paths.next_key_slots(), &next.to_bytes()).map_err(
            |source| KeySlotFileError::Io {
                action: "written",
                source,
            },
        )?;
        crash_point("rekey-slots-written");
        let started = self.database.execute(
            "INSERT OR REPLACE INTO pending_rekey (id, account, new_recovery_recipient, started_ms)
             VALUES (1, ?1, ?2, ?3)",
            params![
                self.account.id.as_bytes().as_slice(),
                new_recovery
                    .as_ref()
                    .map(|(_, recipient)| recipient.as_str()),
                now_unix_ms()
            ],
        );
        if let Err(error) = started {
            let _ = std::fs::remove_file(self.paths.next_key_slots());
            return Err(error.into());
        }
        crash_point("rekey-pending");
        if let Err(error) = vault::rekey_database(&self.database, &self.paths.database(), &new_key)
        {
            match vault::open_database(&self.paths.database(), &self.data_key) {
                // Nothing was re-encrypted: the old key and `keyslots` stand.
                Ok(_) => {
                    let _ = self.database.execute("DELETE FROM pending_rekey", []);
                    let _ = std::fs::remove_file(self.paths.next_key_slots());
                    return Err(error.into());
                }
                // Re-encrypted after all (what failed came after SQLCipher's commit): go on.
                Err(DatabaseOpenError::KeyMismatch) => {}
                // Unknown: leave both files; the next unlock finds which key opens the database.
                Err(_) => return Err(error.into()),
            }
        }
        crash_point("rekey-reencrypted");
        self.data_key = new_key;
        finish_rekey(&self.paths, &self.database)?;
        Ok(Rekeyed {
            slots,
            new_recovery_key: new_recovery.map(|(key, _)| key),
        })
    }

    /// The key-slot file for `new_key`: every live slot given it, disabled ones as they are.
    /// Returns the file, how many slots it gave the key, and a new recovery key (with its slot's
    /// recipient) if the recovery slot had to be replaced.
    #[allow(clippy::type_complexity)]
    fn slots_for(
        &self,
        current: &KeySlotFile,
        new_key: &SecretKey,
    ) -> Result<(KeySlotFile, u32, Option<(RecoveryKey, String)>), AccessError> {
        let mut old_slots = Vec::new();
        let mut next = current.clone();
        let mut given = 0u32;
        let mut new_recovery = None;
        for slot in current.slots() {
            let recipient = recipient_of(&self.database, slot.header.account)?;
            match (slot.header.kind, recipient) {
                // A disabled account's marker and the duress slot hold no data key.
                (SlotKind::Disabled | SlotKind::Duress, _) => {}
                (SlotKind::Passphrase, Some(recipient)) if slot.version() >= 2 => {
                    next.put_account_slot(slot.with_data_key(&recipient, new_key).map_err(
                        |_| AccessError::OldKeySlots {
                            names: vec![self.account_name_of(slot.header.account)],
                        },
                    )?);
                    given += 1;
                }
                (SlotKind::Passphrase, _) => {
                    old_slots.push(self.account_name_of(slot.header.account));
                }
                (SlotKind::Recovery, Some(recipient)) if slot.version() >= 2 => {
                    next.put_recovery_slot(slot.with_data_key(&recipient, new_key).map_err(
                        |_| AccessError::OldKeySlots {
                            names: vec!["the recovery key".into()],
                        },
                    )?);
                    given += 1;
                }
                (SlotKind::Recovery, _) => {
                    let recovery_key = RecoveryKey::generate()?;
                    let sealed = KeySlot::seal(
                        SlotKind::Recovery,
                        RECOVERY_SLOT_ACCOUNT,
                        0,
                        slot_kdf_params(&self.database)?,
                        recovery_key.expose_secret(),
                        new_key,
                    )?;
                    next.put_recovery_slot(sealed.slot);
                    new_recovery = Some((recovery_key, sealed.recipient));
                    given += 1;
                }
            }
        }
        if !old_slots.is_empty() {
            old_slots.sort();
            return Err(AccessError::OldKeySlots { names: old_slots });
        }
        Ok((next, given, new_recovery))
    }

    fn account_name_of(&self, account: AccountId) -> String {
        super::load_account_by_id(&self.database, account)
            .ok()
            .flatten()
            .map(|account| account.name)
            .unwrap_or_else(|| "an account this vault does not list".into())
    }
}

/// Steps 4 and 5: records a re-encryption that has happened (the database is open under the new
/// key) and puts `keyslots.next` in place. Run by the rekey itself, or by the next unlock after a
/// crash. The caller holds the write lock.
fn finish_rekey(paths: &VaultPaths, database: &Connection) -> Result<(), AccessError> {
    let pending: Option<(Vec<u8>, Option<String>)> = database
        .query_row(
            "SELECT account, new_recovery_recipient FROM pending_rekey WHERE id = 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    if let Some((account, new_recovery_recipient)) = pending {
        let transaction = database.unchecked_transaction()?;
        let account = <[u8; 16]>::try_from(account.as_slice())
            .map(AccountId::from_bytes)
            .unwrap_or(RECOVERY_SLOT_ACCOUNT);
        if let Some(recipient) = new_recovery_recipient {
            record_recipient(&transaction, RECOVERY_SLOT_ACCOUNT, &recipient)?;
        }
        // A disabled account's kept slot of the first version holds the old data key itself: it
        // cannot follow. Version-2 kept slots are given the current key when enabled.
        let dropped = forget_old_disabled_slots(&transaction)?;
        let admin = super::load_account_by_id(&transaction, account)?;
        if let Some(admin) = admin {
            let mut entry = NewEntry::ok(&admin, Action::RekeyVault);
            if dropped > 0 {
                entry.reason = Some(format!(
                    "{dropped} account(s) disabled by an older Hearth can no longer be enabled"
                ));
            }
            audit::append(&transaction, &entry)?;
        }
        transaction.execute("DELETE FROM pending_rekey", [])?;
        transaction.commit()?;
    }
    crash_point("rekey-recorded");
    std::fs::rename(paths.next_key_slots(), paths.key_slots())
        .and_then(|()| sync_folder(paths))
        .map_err(|source| KeySlotFileError::Io {
            action: "written",
            source,
        })?;
    Ok(())
}

/// Puts in place the key slots of a change of data key whose last step (the rename) failed in
/// this session. Under the write lock with the database open, a `keyslots.next` can only be that:
/// an unlock settles any other, and a change of data key holds the lock throughout.
pub(super) fn complete_rename(
    paths: &VaultPaths,
    database: &Connection,
) -> Result<(), AccessError> {
    if paths.next_key_slots().exists() {
        finish_rekey(paths, database)?;
    }
    Ok(())
}

fn forget_old_disabled_slots(database: &Connection) -> Result<usize, rusqlite::Error> {
    let mut statement = database
        .prepare("SELECT id, disabled_slot FROM accounts WHERE disabled_slot IS NOT NULL")?;
    let stored: Vec<(Vec<u8>, Vec<u8>)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut dropped = 0;
    for (account, slot) in stored {
        let old = KeySlot::from_bytes(&slot).map_or(true, |slot| slot.version() < 2);
        if old {
            database.execute(
                "UPDATE accounts SET disabled_slot = NULL WHERE id = ?1",
                [account.as_slice()],
            )?;
            dropped += 1;
        }
    }
    Ok(dropped)
}

fn sync_folder(paths: &VaultPaths) -> std::io::Result<()> {
    std::fs::File::open(paths.folder())?.sync_all()
}

/// Opens the database with the key a slot of `keyslots` gave, and settles a change of data key a
/// crash interrupted: `open_next` opens the same person's slot in `keyslots.next` (a second
/// Argon2 run, only after such a crash). Returns the connection and the key that opened it. The
/// caller holds the write lock.
pub(super) fn open_after_any_rekey(
    paths: &VaultPaths,
    key: SecretKey,
    open_next: impl FnOnce(&KeySlotFile) -> Result<Option<SecretKey>, OpenError>,
) -> Result<(Connection, SecretKey), OpenError> {
    let next_path = paths.next_key_slots();
    match vault::open_database(&paths.database(), &key) {
        Ok(mut database) => {
            if next_path.exists() {
                // The re-encryption never happened (or SQLite rolled it back): what it left goes.
                vault::migrate(&mut database)?;
                database.execute("DELETE FROM pending_rekey", [])?;
                std::fs::remove_file(&next_path).map_err(OpenError::Folder)?;
            }
            Ok((database, key))
        }
        Err(DatabaseOpenError::KeyMismatch) if next_path.exists() => {
            let next = KeySlotFile::read(&next_path)?;
            let Some(next_key) = open_next(&next)? else {
                return Err(OpenError::WrongPassphrase);
            };
            let mut database = vault::open_database(&paths.database(), &next_key)?;
            vault::migrate(&mut database)?;
            finish_rekey(paths, &database).map_err(|error| match error {
                AccessError::KeySlots(error) => OpenError::KeySlots(error),
                AccessError::Database(error) => error.into(),
                other => OpenError::Database(DatabaseOpenError::Sqlite(
                    rusqlite::Error::ToSqlConversionFailure(Box::new(other)),
                )),
            })?;
            Ok((database, next_key))
        }
        Err(error) => Err(error.into()),
    }
}
