//! Changing the data key (`Session::rekey_vault`): what it promises a disabled account's old
//! passphrase, every live one, the recovery key, and vaults whose slots an older Hearth made.
// Test helpers unwrap too: a panic is how a test reports the unexpected.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use hearth_core::access::{self, AccessError, KdfChoice, NewVault, OpenError, Role, Session};
use hearth_core::audit::{Action, AuditQuery, Outcome};
use hearth_core::crypto::{KdfParams, Passphrase, RecoveryKey, SecretKey};
use hearth_core::keyslots::{KeySlot, KeySlotFile, SlotKind};
use hearth_core::vault::{self, DatabaseOpenError, VaultPaths};

const ADMIN: &str = "Mirela";
const ADMIN_PASSPHRASE: &str = "violet kettle orbit pasture";
const CASEWORKER: &str = "Dragan";
const CASEWORKER_PASSPHRASE: &str = "lantern quietly harbour seventeen";
const SUPERVISOR: &str = "Teuta";
const SUPERVISOR_PASSPHRASE: &str = "granite sparrow evening parcel";

fn passphrase(text: &str) -> Passphrase {
    Passphrase::new(text.to_owned())
}

fn unlock(folder: &Path, name: &str, secret: &str) -> Result<Session, OpenError> {
    access::unlock(folder, name, &passphrase(secret))
}

/// A vault at the KDF floor with an administrator, a caseworker and a supervisor (made again if
/// two names' one-byte tags collide, so that each unlock tries one slot). Returns the recovery key.
fn new_vault(folder: &Path) -> RecoveryKey {
    loop {
        let (mut admin, recovery_key) = access::create_vault(
            folder,
            NewVault {
                organisation: "Safe Harbour",
                site: "North",
                admin_name: ADMIN,
                admin_passphrase: &passphrase(ADMIN_PASSPHRASE),
                kdf: KdfChoice::Fixed(KdfParams::FLOOR),
            },
        )
        .unwrap();
        admin
            .add_account(
                CASEWORKER,
                Role::Caseworker,
                &passphrase(CASEWORKER_PASSPHRASE),
            )
            .unwrap();
        admin
            .add_account(
                SUPERVISOR,
                Role::Supervisor,
                &passphrase(SUPERVISOR_PASSPHRASE),
            )
            .unwrap();
        admin.lock();
        let slots = KeySlotFile::read(&VaultPaths::new(folder).key_slots()).unwrap();
        let tag = |name: &str| slots.name_tag(&access::normalise_account_name(name));
        let tags = [tag(ADMIN), tag(CASEWORKER), tag(SUPERVISOR)];
        if tags[0] != tags[1] && tags[0] != tags[2] && tags[1] != tags[2] {
            return recovery_key;
        }
        std::fs::remove_dir_all(folder).unwrap();
    }
}

/// The data key `secret` opens in `slots` for the account named, as someone holding that copy of
/// the file and that passphrase would get it.
fn key_from(slots: &KeySlotFile, name: &str, secret: &str) -> SecretKey {
    let candidates = slots.candidates_for(&access::normalise_account_name(name));
    candidates
        .iter()
        .find_map(|slot| slot.open(secret.as_bytes()).ok())
        .unwrap_or_else(|| panic!("{name}'s slot did not open"))
}

fn opens_database(folder: &Path, key: &SecretKey) -> bool {
    match vault::open_database(&VaultPaths::new(folder).database(), key) {
        Ok(_) => true,
        Err(DatabaseOpenError::KeyMismatch) => false,
        Err(other) => panic!("{other:?}"),
    }
}

fn actions(session: &Session) -> Vec<Action> {
    session
        .audit_entries(&AuditQuery::default())
        .unwrap()
        .entries
        .into_iter()
        .map(|entry| entry.action)
        .collect()
}

#[test]
fn after_a_rekey_a_disabled_accounts_old_slot_copy_opens_nothing_and_everyone_else_still_gets_in() {
    let folder = tempfile::tempdir().unwrap();
    let recovery_key = new_vault(folder.path());
    let paths = VaultPaths::new(folder.path());
    // Dragan, about to leave, keeps a copy of the key-slot file.
    let kept_copy = KeySlotFile::read(&paths.key_slots()).unwrap();
    let old_key = key_from(&kept_copy, CASEWORKER, CASEWORKER_PASSPHRASE);
    assert!(opens_database(folder.path(), &old_key));

    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    admin.disable_account(CASEWORKER).unwrap();
    // Disabling alone does not help against the copy: the data key is the same.
    assert!(opens_database(folder.path(), &old_key));
    let rekeyed = admin.rekey_vault().unwrap();
    assert_eq!(rekeyed.slots, 3, "Mirela, Teuta and the recovery slot");
    assert!(rekeyed.new_recovery_key.is_none());
    // The session goes on under the new key.
    assert_eq!(admin.list_accounts().unwrap().len(), 3);
    assert!(actions(&admin).contains(&Action::RekeyVault));
    admin.lock();

    assert!(
        !opens_database(folder.path(), &old_key),
        "the copy's key is dead"
    );
    assert!(!paths.next_key_slots().exists());
    // Everyone live still unlocks, with the passphrase they had.
    unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE)
        .unwrap()
        .lock();
    unlock(folder.path(), SUPERVISOR, SUPERVISOR_PASSPHRASE)
        .unwrap()
        .lock();
    assert!(matches!(
        unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE),
        Err(OpenError::AccountDisabled)
    ));
    // The recovery key too.
    let new_admin_passphrase = "marble orchard whistle nine";
    access::recover_admin(
        folder.path(),
        &recovery_key,
        None,
        &passphrase(new_admin_passphrase),
    )
    .unwrap();
    let mut admin = unlock(folder.path(), ADMIN, new_admin_passphrase).unwrap();
    // Dragan enabled again: his slot follows the new key, and his passphrase opens the vault.
    admin.enable_account(CASEWORKER).unwrap();
    admin.lock();
    unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE)
        .unwrap()
        .lock();
    let new_key = key_from(
        &KeySlotFile::read(&paths.key_slots()).unwrap(),
        CASEWORKER,
        CASEWORKER_PASSPHRASE,
    );
    assert!(opens_database(folder.path(), &new_key));
}

#[test]
fn only_administrators_rekey_and_a_refusal_is_recorded() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let before = std::fs::read(VaultPaths::new(folder.path()).key_slots()).unwrap();
    let mut supervisor = unlock(folder.path(), SUPERVISOR, SUPERVISOR_PASSPHRASE).unwrap();
    assert!(matches!(
        supervisor.rekey_vault(),
        Err(AccessError::Denied(_))
    ));
    supervisor.lock();
    assert_eq!(
        std::fs::read(VaultPaths::new(folder.path()).key_slots()).unwrap(),
        before
    );
    let admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    let refused = admin
        .audit_entries(&AuditQuery::default())
        .unwrap()
        .entries
        .into_iter()
        .any(|entry| entry.action == Action::RekeyVault && entry.outcome == Outcome::Denied);
    assert!(refused);
}

/// Rewrites the vault's key slots as an older Hearth made them: each holds the data key itself.
fn make_slots_version_1(folder: &Path, recovery_key: &RecoveryKey) {
    let paths = VaultPaths::new(folder);
    let current = KeySlotFile::read(&paths.key_slots()).unwrap();
    let data_key = key_from(&current, ADMIN, ADMIN_PASSPHRASE);
    let mut old = current.clone();
    for (name, secret) in [
        (ADMIN, ADMIN_PASSPHRASE),
        (CASEWORKER, CASEWORKER_PASSPHRASE),
        (SUPERVISOR, SUPERVISOR_PASSPHRASE),
    ] {
        let tag = current.name_tag(&access::normalise_account_name(name));
        let slot = current
            .slots()
            .iter()
            .find(|slot| slot.header.name_tag == tag && slot.header.kind == SlotKind::Passphrase)
            .unwrap();
        old.put_account_slot(
            KeySlot::seal_version_1(
                SlotKind::Passphrase,
                slot.header.account,
                tag,
                KdfParams::FLOOR,
                secret.as_bytes(),
                &data_key,
            )
            .unwrap(),
        );
    }
    old.put_recovery_slot(
        KeySlot::seal_version_1(
            SlotKind::Recovery,
            current.recovery_slot().unwrap().header.account,
            0,
            KdfParams::FLOOR,
            recovery_key.expose_secret(),
            &data_key,
        )
        .unwrap(),
    );
    old.write_atomically(&paths.key_slots()).unwrap();
}

#[test]
fn slots_an_older_hearth_made_are_upgraded_at_unlock_and_until_then_refuse_the_rekey() {
    let folder = tempfile::tempdir().unwrap();
    let recovery_key = new_vault(folder.path());
    make_slots_version_1(folder.path(), &recovery_key);
    let paths = VaultPaths::new(folder.path());
    let versions = || {
        let slots = KeySlotFile::read(&paths.key_slots()).unwrap();
        let mut versions: Vec<u8> = slots.slots().iter().map(KeySlot::version).collect();
        versions.sort();
        versions
    };
    assert_eq!(versions(), vec![1, 1, 1, 1]);

    // Mirela's unlock upgrades her own slot, not the others'.
    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    assert_eq!(versions(), vec![1, 1, 1, 2]);
    let before = std::fs::read(paths.key_slots()).unwrap();
    match admin.rekey_vault() {
        Err(AccessError::OldKeySlots { names }) => assert_eq!(names, [CASEWORKER, SUPERVISOR]),
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read(paths.key_slots()).unwrap(), before);
    assert!(!paths.next_key_slots().exists());
    admin.lock();

    unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE)
        .unwrap()
        .lock();
    unlock(folder.path(), SUPERVISOR, SUPERVISOR_PASSPHRASE)
        .unwrap()
        .lock();
    assert_eq!(
        versions(),
        vec![1, 2, 2, 2],
        "only the recovery slot is old"
    );

    // The recovery slot cannot follow: a new recovery key is made, and the old one is dead.
    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    let rekeyed = admin.rekey_vault().unwrap();
    admin.lock();
    let new_recovery_key = rekeyed.new_recovery_key.expect("a new recovery key");
    assert_eq!(versions(), vec![2, 2, 2, 2]);
    assert!(matches!(
        access::recover_admin(
            folder.path(),
            &recovery_key,
            None,
            &passphrase("marble orchard whistle nine")
        ),
        Err(OpenError::WrongRecoveryKey)
    ));
    access::recover_admin(
        folder.path(),
        &new_recovery_key,
        None,
        &passphrase("marble orchard whistle nine"),
    )
    .unwrap();
    unlock(folder.path(), ADMIN, "marble orchard whistle nine")
        .unwrap()
        .lock();
    unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE)
        .unwrap()
        .lock();
}

#[test]
fn a_rekey_with_the_vault_open_elsewhere_changes_nothing() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let paths = VaultPaths::new(folder.path());
    let before = std::fs::read(paths.key_slots()).unwrap();
    let other = unlock(folder.path(), SUPERVISOR, SUPERVISOR_PASSPHRASE).unwrap();
    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    let error = admin.rekey_vault().unwrap_err();
    assert_eq!(error.kind().as_str(), "vault_in_use", "{error}");
    assert_eq!(std::fs::read(paths.key_slots()).unwrap(), before);
    assert!(!paths.next_key_slots().exists());
    // Both sessions go on, under the old key.
    assert_eq!(admin.list_accounts().unwrap().len(), 3);
    drop(other);
    admin.lock();
    unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE)
        .unwrap()
        .lock();
}
