//! Staff accounts: the `accounts` table, and adding, disabling, enabling and re-keying them.
//! Every change that touches the key-slot file records the new file in the same database
//! transaction as its audit entry, and puts it in place after the commit (`key_slot_journal`).

use std::time::SystemTime;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::super::passphrase_policy::check_new_passphrase;
use super::super::{
    normalise_account_name, validate_name, AccessError, Account, AccountId, Operation, Role,
};
use super::key_slot_journal::commit_with_slots;
use super::rekey::{recipient_of, record_recipient};
use super::{Session, MAX_SLOTS};
use crate::audit::{self, Action, NewEntry, Outcome, Target};
use crate::crypto::{self, KdfParams, Passphrase};
use crate::vault::VaultWriteLock;
use hearth_format::keyslots::{KeySlot, KeySlotFile, SealedSlot, SlotKind};
use hearth_ids::now_unix_ms;
use hearth_store::throttle::{whole_seconds, ThrottleKey, UnlockThrottle};

pub(super) fn insert_account(
    transaction: &Transaction<'_>,
    account: &Account,
    now: i64,
) -> Result<(), rusqlite::Error> {
    transaction.execute(
        "INSERT INTO accounts (id, name, name_key, role, active, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            account.id.as_bytes().as_slice(),
            account.name,
            normalise_account_name(&account.name),
            account.role.as_str(),
            account.active,
            now
        ],
    )?;
    Ok(())
}

pub(super) fn account_from_row(row: &rusqlite::Row<'_>) -> Result<Account, rusqlite::Error> {
    let id: Vec<u8> = row.get("id")?;
    let id: [u8; 16] = id
        .try_into()
        .map_err(|_| rusqlite::Error::IntegralValueOutOfRange(0, 16))?;
    let role: String = row.get("role")?;
    Ok(Account {
        id: AccountId::from_bytes(id),
        name: row.get("name")?,
        // The schema's CHECK constraint admits only the three role names.
        role: Role::parse(&role).unwrap_or(Role::Caseworker),
        active: row.get("active")?,
    })
}

pub(super) fn load_account_by_id(
    database: &Connection,
    id: AccountId,
) -> Result<Option<Account>, rusqlite::Error> {
    database
        .query_row(
            "SELECT id, name, role, active FROM accounts WHERE id = ?1",
            [id.as_bytes().as_slice()],
            account_from_row,
        )
        .optional()
}

pub(super) fn load_account_by_name(
    database: &Connection,
    name: &str,
) -> Result<Option<Account>, rusqlite::Error> {
    database
        .query_row(
            "SELECT id, name, role, active FROM accounts WHERE name_key = ?1",
            [normalise_account_name(name)],
            account_from_row,
        )
        .optional()
}

pub(super) fn slot_kdf_params(database: &Connection) -> Result<KdfParams, rusqlite::Error> {
    let setting = |key: &str| -> Result<u32, rusqlite::Error> {
        let value: String =
            database.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })?;
        value.parse().map_err(|_| {
            rusqlite::Error::InvalidColumnType(0, key.to_owned(), rusqlite::types::Type::Text)
        })
    };
    Ok(KdfParams {
        memory_kib: setting("kdf_memory_kib")?,
        iterations: setting("kdf_iterations")?,
        parallelism: setting("kdf_parallelism")?,
    })
}

pub(crate) fn organisation_and_site(
    database: &Connection,
) -> Result<(String, String), rusqlite::Error> {
    database.query_row(
        "SELECT name, site FROM organisation WHERE id = 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
}

pub(super) fn organisation_name(database: &Connection) -> Result<String, rusqlite::Error> {
    organisation_and_site(database).map(|(organisation, _)| organisation)
}

impl Session {
    /// All accounts, by name.
    pub fn list_accounts(&self) -> Result<Vec<Account>, AccessError> {
        self.require(Operation::ListAccounts)?;
        let mut statement = self
            .database
            .prepare("SELECT id, name, role, active FROM accounts ORDER BY name_key")?;
        let accounts = statement
            .query_map([], account_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(accounts)
    }

    fn account_named(&self, name: &str) -> Result<Account, AccessError> {
        load_account_by_name(&self.database, name)?.ok_or(AccessError::UnknownAccount)
    }

    /// A new slot for `account`; its recipient must be recorded in the same transaction
    /// (`rekey::record_recipient`).
    fn seal_slot_for(
        &self,
        slots: &KeySlotFile,
        account: &Account,
        passphrase: &Passphrase,
    ) -> Result<SealedSlot, AccessError> {
        check_new_passphrase(
            passphrase,
            &account.name,
            &organisation_name(&self.database)?,
        )?;
        Ok(KeySlot::seal(
            SlotKind::Passphrase,
            account.id,
            slots.name_tag(&normalise_account_name(&account.name)),
            slot_kdf_params(&self.database)?,
            passphrase.expose_secret().as_bytes(),
            &self.data_key,
        )?)
    }

    /// Adds an account with its first passphrase (which the person should change).
    pub fn add_account(
        &mut self,
        name: &str,
        role: Role,
        passphrase: &Passphrase,
    ) -> Result<Account, AccessError> {
        self.require(Operation::AddAccount)?;
        let name = validate_name("account name", name)?;
        if load_account_by_name(&self.database, &name)?.is_some() {
            return Err(AccessError::AccountExists);
        }
        let _write_lock = self.write_lock()?;
        let mut slots = KeySlotFile::read(&self.paths.key_slots())?;
        if slots.slots().len() >= MAX_SLOTS {
            return Err(AccessError::TooManyAccounts);
        }
        let account = Account {
            id: AccountId::from_bytes(crypto::random_bytes()?),
            name,
            role,
            active: true,
        };
        let sealed = self.seal_slot_for(&slots, &account, passphrase)?;
        slots.put_account_slot(sealed.slot);
        commit_with_slots::<AccessError>(&self.paths, &self.database, &slots, |transaction| {
            insert_account(transaction, &account, now_unix_ms())?;
            record_recipient(transaction, account.id, &sealed.recipient)?;
            audit::append(
                transaction,
                &NewEntry::ok(&self.account, Action::AddAccount)
                    .on(Target::account(account.id))
                    .with_fields(vec!["name".into(), "role".into()]),
            )?;
            Ok(())
        })?;
        Ok(account)
    }

    /// Disables an account: its passphrase stops opening the vault. Its slot is kept inside the
    /// encrypted database, so enabling it again restores the same passphrase.
    pub fn disable_account(&mut self, name: &str) -> Result<Account, AccessError> {
        self.require(Operation::DisableAccount)?;
        let account = self.account_named(name)?;
        if account.id == self.account.id {
            return Err(AccessError::OwnAccount);
        }
        if !account.active {
            return Err(AccessError::AlreadyInState("disabled"));
        }
        if account.role == Role::Admin && self.active_admins()? <= 1 {
            return Err(AccessError::LastAdmin);
        }
        let _write_lock = self.write_lock()?;
        let mut slots = KeySlotFile::read(&self.paths.key_slots())?;
        let slot = slots
            .slot_of(account.id)
            .cloned()
            .ok_or(AccessError::UnknownAccount)?;
        slots.put_account_slot(slot.disabled_marker());
        commit_with_slots::<AccessError>(&self.paths, &self.database, &slots, |transaction| {
            transaction.execute(
                "UPDATE accounts SET active = 0, disabled_slot = ?1 WHERE id = ?2",
                params![slot.to_bytes().as_slice(), account.id.as_bytes().as_slice()],
            )?;
            audit::append(
                transaction,
                &NewEntry::ok(&self.account, Action::DisableAccount)
                    .on(Target::account(account.id)),
            )?;
            Ok(())
        })?;
        Ok(Account {
            active: false,
            ..account
        })
    }

    /// Enables a disabled account with the passphrase it had.
    pub fn enable_account(&mut self, name: &str) -> Result<Account, AccessError> {
        self.require(Operation::EnableAccount)?;
        let account = self.account_named(name)?;
        if account.active {
            return Err(AccessError::AlreadyInState("enabled"));
        }
        let stored: Option<Vec<u8>> = self.database.query_row(
            "SELECT disabled_slot FROM accounts WHERE id = ?1",
            [account.id.as_bytes().as_slice()],
            |row| row.get(0),
        )?;
        let _write_lock = self.write_lock()?;
        let slot = self.restorable_slot(account.id, stored)?;
        let mut slots = KeySlotFile::read(&self.paths.key_slots())?;
        slots.put_account_slot(slot);
        commit_with_slots::<AccessError>(&self.paths, &self.database, &slots, |transaction| {
            transaction.execute(
                "UPDATE accounts SET active = 1, disabled_slot = NULL WHERE id = ?1",
                [account.id.as_bytes().as_slice()],
            )?;
            audit::append(
                transaction,
                &NewEntry::ok(&self.account, Action::EnableAccount).on(Target::account(account.id)),
            )?;
            Ok(())
        })?;
        Ok(Account {
            active: true,
            ..account
        })
    }

    /// The slot a disabled account had, given the vault's current data key: the data key may
    /// have changed since the account was disabled. A first-version slot holds the data key
    /// itself and cannot be given another; a change of data key drops those (`rekey`).
    fn restorable_slot(
        &self,
        account: AccountId,
        stored: Option<Vec<u8>>,
    ) -> Result<KeySlot, AccessError> {
        let slot = KeySlot::from_bytes(&stored.ok_or(AccessError::NoSlotToRestore)?)?;
        if slot.version() < 2 {
            return Ok(slot);
        }
        let recipient =
            recipient_of(&self.database, account)?.ok_or(AccessError::NoSlotToRestore)?;
        slot.with_data_key(&recipient, &self.data_key)
            .map_err(|_| AccessError::NoSlotToRestore)
    }

    fn active_admins(&self) -> Result<u32, rusqlite::Error> {
        self.database.query_row(
            "SELECT count(*) FROM accounts WHERE role = 'admin' AND active = 1",
            [],
            |row| row.get(0),
        )
    }

    /// Changes the session's own passphrase, given the current one (so that someone who finds the
    /// laptop unlocked cannot lock its owner out). Only this account's slot is rewritten.
    pub fn change_own_passphrase(
        &mut self,
        current_passphrase: &Passphrase,
        new_passphrase: &Passphrase,
    ) -> Result<(), AccessError> {
        self.require(Operation::ChangeOwnPassphrase)?;
        let write_lock = self.write_lock()?;
        // Guessing the current passphrase at an unlocked laptop meets the same wait as unlocking.
        let throttle_key = ThrottleKey::Account(self.account.id);
        let now = SystemTime::now();
        let mut throttle = UnlockThrottle::load(&self.paths.throttle(), now);
        let wait = throttle.remaining_wait(throttle_key, now);
        if !wait.is_zero() {
            return Err(AccessError::MustWait {
                seconds: whole_seconds(wait),
            });
        }
        let slots = KeySlotFile::read(&self.paths.key_slots())?;
        let current_opens = slots
            .slot_of(self.account.id)
            .map(|slot| super::open_with_any_form(slot, current_passphrase).map(|(key, _)| key))
            .is_some_and(|opened| opened.is_ok());
        if !current_opens {
            throttle.record_failure(throttle_key, now);
            let _ = throttle.save(&self.paths.throttle());
            let mut failed = NewEntry::ok(&self.account, Action::ChangePassphrase);
            failed.outcome = Outcome::Failed;
            failed.reason = Some("the current passphrase given was wrong".into());
            let _ = audit::append_alone(&self.database, &failed);
            return Err(AccessError::WrongCurrentPassphrase);
        }
        throttle.forget(throttle_key, &self.paths.throttle());
        let account = self.account.clone();
        let entry =
            NewEntry::ok(&self.account, Action::ChangePassphrase).on(Target::account(account.id));
        self.replace_slot(&write_lock, &account, new_passphrase, Some(&entry))
    }

    /// An administrator sets a new passphrase for someone else's account (they forgot theirs).
    /// Clears that account's failed-unlock wait.
    pub fn reset_passphrase(
        &mut self,
        name: &str,
        new_passphrase: &Passphrase,
    ) -> Result<(), AccessError> {
        self.require(Operation::ResetPassphrase)?;
        let account = self.account_named(name)?;
        if account.id == self.account.id {
            return Err(AccessError::OwnPassphrase);
        }
        if !account.active {
            return Err(AccessError::AccountDisabled);
        }
        let write_lock = self.write_lock()?;
        let entry =
            NewEntry::ok(&self.account, Action::ResetPassphrase).on(Target::account(account.id));
        self.replace_slot(&write_lock, &account, new_passphrase, Some(&entry))?;
        let mut throttle = UnlockThrottle::load(&self.paths.throttle(), SystemTime::now());
        throttle.forget(ThrottleKey::Account(account.id), &self.paths.throttle());
        Ok(())
    }

    /// Seals a new slot for `account`, recording `entry` (if any) with it; the caller holds the
    /// write lock.
    pub(super) fn replace_slot(
        &self,
        _held: &VaultWriteLock,
        account: &Account,
        passphrase: &Passphrase,
        entry: Option<&NewEntry>,
    ) -> Result<(), AccessError> {
        let mut slots = KeySlotFile::read(&self.paths.key_slots())?;
        let sealed = self.seal_slot_for(&slots, account, passphrase)?;
        slots.put_account_slot(sealed.slot);
        commit_with_slots::<AccessError>(&self.paths, &self.database, &slots, |transaction| {
            record_recipient(transaction, account.id, &sealed.recipient)?;
            if let Some(entry) = entry {
                audit::append(transaction, entry)?;
            }
            Ok(())
        })
    }
}
