//! Making a vault: its folder, its database and first administrator, its key slots. Used by
//! `create_vault` and, past its checks, by the duress passphrase (`emergency`), which makes the
//! empty vault that replaces a wiped one.

use std::path::Path;

use rusqlite::params;

use super::accounts::insert_account;
use super::{rekey, Integrity, KdfChoice, NewVault, Session, RECOVERY_SLOT_ACCOUNT};
use crate::access::passphrase_policy::check_new_passphrase;
use crate::access::{normalise_account_name, validate_name, Account, AccountId, OpenError, Role};
use crate::crypto::{self, KdfParams, Passphrase, RecoveryKey, SecretKey};
use crate::vault::{self, VaultPaths, VaultWriteLock};
use hearth_format::files::private_file_options;
use hearth_format::keyslots::{KeySlot, KeySlotFile, SlotKind};
use hearth_ids::now_unix_ms;

/// Creates a vault in `folder` with its first administrator. Returns the session of that
/// administrator and the recovery key, which the caller must show once and then drop.
pub fn create_vault(folder: &Path, new: NewVault<'_>) -> Result<(Session, RecoveryKey), OpenError> {
    let organisation = validate_name("organisation name", new.organisation)?;
    let site = validate_name("site name", new.site)?;
    let admin_name = validate_name("account name", new.admin_name)?;
    check_new_passphrase(new.admin_passphrase, &admin_name, &organisation)?;
    let paths = VaultPaths::new(folder);
    if paths.any_vault_file_exists() {
        return Err(OpenError::VaultExists);
    }
    let kdf = match new.kdf {
        KdfChoice::Calibrate(target) => KdfParams::calibrate(target)?,
        KdfChoice::Fixed(params) => {
            params.check().map_err(|_| OpenError::KdfBelowFloor)?;
            params
        }
    };

    create_in(
        &paths,
        &organisation,
        &site,
        &admin_name,
        new.admin_passphrase,
        kdf,
    )
}

/// Makes the vault's files in `paths` (names and passphrase already checked): the folder, the
/// database, the key slots. Leaves nothing behind if it fails.
pub(super) fn create_in(
    paths: &VaultPaths,
    organisation: &str,
    site: &str,
    admin_name: &str,
    admin_passphrase: &Passphrase,
    kdf: KdfParams,
) -> Result<(Session, RecoveryKey), OpenError> {
    create_private_folder(paths.folder()).map_err(OpenError::Folder)?;
    let _write_lock = VaultWriteLock::acquire(paths).map_err(OpenError::Folder)?;
    // create_new: if another process made a vault here since the caller looked, stop rather than
    // truncate it.
    match private_file_options(false).open(paths.database()) {
        Ok(file) => drop(file),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(OpenError::VaultExists)
        }
        Err(error) => return Err(OpenError::Folder(error)),
    }

    let result = write_new_vault(paths, organisation, site, admin_name, admin_passphrase, kdf);
    if result.is_err() {
        // This call made the database file, so nothing else is there yet: leave nothing
        // half-made behind, so that trying again works.
        drop(_write_lock);
        paths.remove_new_vault();
    }
    result
}

fn write_new_vault(
    paths: &VaultPaths,
    organisation: &str,
    site: &str,
    admin_name: &str,
    admin_passphrase: &Passphrase,
    kdf: KdfParams,
) -> Result<(Session, RecoveryKey), OpenError> {
    // The caller made vault.db empty and private: SQLite would create it with the umask's
    // permissions, and its -wal and -shm files copy the database file's.
    let data_key = SecretKey::generate()?;
    let mut database = vault::open_database(&paths.database(), &data_key)?;
    vault::migrate(&mut database)?;

    let admin = Account {
        id: AccountId::from_bytes(crypto::random_bytes()?),
        name: admin_name.to_owned(),
        role: Role::Admin,
        active: true,
    };
    let recovery_key = RecoveryKey::generate()?;
    let mut slots = KeySlotFile::new()?;
    let tag = slots.name_tag(&normalise_account_name(admin_name));
    let admin_slot = KeySlot::seal(
        SlotKind::Passphrase,
        admin.id,
        tag,
        kdf,
        admin_passphrase.expose_secret().as_bytes(),
        &data_key,
    )?;
    let recovery_slot = KeySlot::seal(
        SlotKind::Recovery,
        RECOVERY_SLOT_ACCOUNT,
        0,
        kdf,
        recovery_key.expose_secret(),
        &data_key,
    )?;
    slots.put_account_slot(admin_slot.slot);
    slots.put_recovery_slot(recovery_slot.slot);

    let now = now_unix_ms();
    let transaction = database.transaction()?;
    transaction.execute(
        "INSERT INTO organisation (id, name, site, created_ms) VALUES (1, ?1, ?2, ?3)",
        params![organisation, site, now],
    )?;
    let device = hearth_store::device::create(&transaction, now).map_err(|error| match error {
        hearth_store::device::DeviceError::Crypto(error) => OpenError::Crypto(error),
        hearth_store::device::DeviceError::Database(error) => error.into(),
    })?;
    insert_account(&transaction, &admin, now)?;
    rekey::record_recipient(&transaction, admin.id, &admin_slot.recipient)?;
    rekey::record_recipient(
        &transaction,
        RECOVERY_SLOT_ACCOUNT,
        &recovery_slot.recipient,
    )?;
    for (key, value) in [
        ("kdf_memory_kib", kdf.memory_kib),
        ("kdf_iterations", kdf.iterations),
        ("kdf_parallelism", kdf.parallelism),
    ] {
        transaction.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)",
            params![key, value.to_string()],
        )?;
    }
    slots.write_atomically(&paths.key_slots())?;
    transaction.commit()?;

    Ok((
        Session {
            paths: paths.clone(),
            device,
            database,
            data_key,
            account: admin,
            audit_enabled: true,
            unlock_recorded: true,
            integrity: Integrity::NotStarted,
        },
        recovery_key,
    ))
}

#[cfg(unix)]
fn create_private_folder(folder: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(folder)
}

#[cfg(not(unix))]
fn create_private_folder(folder: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)
}
