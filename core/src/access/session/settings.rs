//! What a session shows about its vault (status, overview) and the preferences and settings it
//! changes (the account's language, the idle timeout, the folders its file dialogs open in).

use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::super::{AccessError, Operation};
use super::accounts::{organisation_and_site, slot_kdf_params};
use super::{Session, SessionOverview};
use crate::audit::{self, Action, NewEntry, Target};
use crate::vault::{self, IntegrityCheck};

/// What `hearth status` and the About screen show about an unlocked vault.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "VaultStatus.ts"))]
pub struct VaultStatus {
    /// The organisation's name.
    pub organisation: String,
    /// The site's name.
    pub site: String,
    /// This laptop's device id (hex).
    pub device_id: String,
    /// Accounts in the vault, active or not.
    pub accounts: u32,
    /// Active accounts.
    pub active_accounts: u32,
    /// The schema version of the database.
    pub schema_version: u32,
    /// SQLCipher's version.
    pub sqlcipher_version: String,
    /// The Argon2id parameters new slots are made with.
    pub kdf: String,
}

impl Session {
    /// The organisation, site, device and schema of the vault.
    pub fn status(&self) -> Result<VaultStatus, AccessError> {
        self.require(Operation::ViewVaultStatus)?;
        let (organisation, site) = organisation_and_site(&self.database)?;
        let device_id = self.device;
        let (accounts, active_accounts): (u32, u32) = self.database.query_row(
            "SELECT count(*), coalesce(sum(active), 0) FROM accounts",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let sqlcipher_version: String =
            self.database
                .query_row("PRAGMA cipher_version", [], |row| row.get(0))?;
        Ok(VaultStatus {
            organisation,
            site,
            device_id: device_id.to_hex(),
            accounts,
            active_accounts,
            schema_version: vault::schema_version(&self.database)?,
            sqlcipher_version,
            kdf: slot_kdf_params(&self.database)?.to_string(),
        })
    }

    /// Starts SQLCipher's integrity check of every page on a second connection, in the background.
    pub fn start_integrity_check(&self) -> Result<IntegrityCheck, AccessError> {
        self.require(Operation::CheckIntegrity)?;
        Ok(IntegrityCheck::start(
            &self.paths.database(),
            &self.data_key,
        )?)
    }

    /// Who is signed in, the organisation and site, and the preferences the app applies.
    pub fn overview(&self) -> Result<SessionOverview, AccessError> {
        self.require(Operation::ViewVaultStatus)?;
        let (organisation, site) = organisation_and_site(&self.database)?;
        let language: Option<String> = self.database.query_row(
            "SELECT language FROM accounts WHERE id = ?1",
            [self.account.id.as_bytes().as_slice()],
            |row| row.get(0),
        )?;
        Ok(SessionOverview {
            account: self.account.clone(),
            organisation,
            site,
            language,
            idle_timeout_seconds: self.idle_timeout_seconds()?,
        })
    }

    /// Remembers the language the signed-in person uses the app in.
    pub fn set_own_language(&mut self, language: &str) -> Result<(), AccessError> {
        self.require(Operation::ChangeOwnPreferences)?;
        if !super::super::LANGUAGES.contains(&language) {
            return Err(AccessError::InvalidInput(format!(
                "Hearth does not speak the language {language:?}; choose one of {}",
                super::super::LANGUAGES.join(", ")
            )));
        }
        let transaction = self.database.transaction()?;
        transaction.execute(
            "UPDATE accounts SET language = ?1 WHERE id = ?2",
            params![language, self.account.id.as_bytes().as_slice()],
        )?;
        audit::append(
            &transaction,
            &NewEntry::ok(&self.account, Action::ChangeLanguage)
                .on(Target::account(self.account.id))
                .with_fields(vec!["language".into()]),
        )?;
        transaction.commit()?;
        Ok(())
    }

    /// Lock after this many seconds without activity.
    pub fn idle_timeout_seconds(&self) -> Result<u32, AccessError> {
        self.require(Operation::ViewVaultStatus)?;
        let value: String = self.database.query_row(
            "SELECT value FROM settings WHERE key = 'idle_timeout_seconds'",
            [],
            |row| row.get(0),
        )?;
        // Written only by set_idle_timeout_seconds and the migration; five minutes if unreadable.
        Ok(value.parse().unwrap_or(300))
    }

    /// An administrator sets how long the app waits without activity before it locks itself.
    pub fn set_idle_timeout_seconds(&mut self, seconds: u32) -> Result<(), AccessError> {
        self.require(Operation::ChangeSettings)?;
        if !super::super::IDLE_TIMEOUT_RANGE.contains(&seconds) {
            return Err(AccessError::InvalidInput(format!(
                "the idle timeout must be between {} seconds and {} hours",
                super::super::IDLE_TIMEOUT_RANGE.start(),
                super::super::IDLE_TIMEOUT_RANGE.end() / 3600
            )));
        }
        let transaction = self.database.transaction()?;
        transaction.execute(
            "UPDATE settings SET value = ?1 WHERE key = 'idle_timeout_seconds'",
            [seconds.to_string()],
        )?;
        audit::append(
            &transaction,
            &NewEntry::ok(&self.account, Action::ChangeSettings)
                .with_fields(vec!["idle_timeout_seconds".into()]),
        )?;
        transaction.commit()?;
        Ok(())
    }

    /// The folder this person last chose in a file dialog for `kind` of file, if it still exists
    /// (a USB stick that was taken out is not offered again).
    pub fn recent_folder(&self, kind: &str) -> Result<Option<PathBuf>, AccessError> {
        self.require(Operation::ChangeOwnPreferences)?;
        let folder: Option<String> = self
            .database
            .query_row(
                "SELECT folder FROM recent_folders WHERE account = ?1 AND kind = ?2",
                params![self.account.id.as_bytes().as_slice(), kind],
                |row| row.get(0),
            )
            .optional()?;
        Ok(folder.map(PathBuf::from).filter(|folder| folder.is_dir()))
    }

    /// Remembers `folder` as where this person's next dialog for `kind` of file opens. Folders
    /// whose names are not UTF-8 are not remembered (the column is text).
    pub fn remember_folder(&mut self, kind: &str, folder: &Path) -> Result<(), AccessError> {
        self.require(Operation::ChangeOwnPreferences)?;
        let Some(folder) = folder.to_str() else {
            return Ok(());
        };
        self.database.execute(
            "INSERT INTO recent_folders (account, kind, folder) VALUES (?1, ?2, ?3)
             ON CONFLICT (account, kind) DO UPDATE SET folder = excluded.folder",
            params![self.account.id.as_bytes().as_slice(), kind, folder],
        )?;
        Ok(())
    }
}
