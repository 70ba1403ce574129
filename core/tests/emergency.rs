//! The emergency wipe and the duress passphrase, through hearth-core's public API on real vault
//! folders: afterwards nothing opens the old vault, and the duress passphrase leaves an empty
//! vault that looks new.
// Test helpers unwrap too: a panic is how a test reports the unexpected.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use hearth_core::access::{self, AccessError, KdfChoice, NewVault, OpenError, Role, Session};
use hearth_core::audit::AuditQuery;
use hearth_core::crypto::{KdfParams, Passphrase, RecoveryKey};
use hearth_core::keyslots::KeySlotFile;
use hearth_core::records::CaseQuery;
use hearth_core::vault::VaultPaths;
use serde_json::{json, Map, Value};

const ORGANISATION: &str = "Safe Harbour";
const SITE: &str = "North";
const ADMIN: &str = "Mirela";
const ADMIN_PASSPHRASE: &str = "violet kettle orbit pasture";
const SUPERVISOR: &str = "Sofija";
const SUPERVISOR_PASSPHRASE: &str = "lantern quietly harbour seventeen";
const DURESS: &str = "copper meadow whistle eleven";
/// A name that must not survive anywhere in the folder.
const CANARY: &str = "Zqxcanaryvesna";

fn passphrase(text: &str) -> Passphrase {
    Passphrase::new(text.to_owned())
}

fn unlock(folder: &Path, name: &str, secret: &str) -> Result<Session, OpenError> {
    access::unlock(folder, name, &passphrase(secret))
}

/// A vault at the KDF floor with an administrator, a supervisor and one case named after the
/// canary; its recovery key.
fn vault_with_a_case(folder: &Path) -> RecoveryKey {
    let (mut admin, recovery_key) = access::create_vault(
        folder,
        NewVault {
            organisation: ORGANISATION,
            site: SITE,
            admin_name: ADMIN,
            admin_passphrase: &passphrase(ADMIN_PASSPHRASE),
            kdf: KdfChoice::Fixed(KdfParams::FLOOR),
        },
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
    let mut supervisor = unlock(folder, SUPERVISOR, SUPERVISOR_PASSPHRASE).unwrap();
    let case: Map<String, Value> = match json!({
        "given_name": CANARY,
        "family_name": "Petrović",
        "gender": "Feminine",
        "birth_date": "2001-03-04",
        "trafficking_status": "PossibleVictimOfTrafficking",
        "date_identified": "2026-01-15",
    }) {
        Value::Object(map) => map,
        _ => unreachable!(),
    };
    supervisor.create_case(&case).unwrap();
    assert_eq!(cases_named(&supervisor, CANARY), 1);
    supervisor.lock();
    recovery_key
}

fn cases_named(session: &Session, name: &str) -> u64 {
    session
        .list_cases(&CaseQuery {
            text: Some(name.into()),
            ..CaseQuery::default()
        })
        .unwrap()
        .total
}

fn files_in(folder: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(folder) {
        Ok(entries) => entries.map(|entry| entry.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// The key-slot file's bytes under a second name outside the folder, as a drive that kept the
/// old blocks would: what the wipe wrote over them.
fn second_name_for_the_slots(folder: &Path, outside: &Path) -> PathBuf {
    let link = outside.join("keyslots-as-the-disk-kept-them");
    std::fs::hard_link(VaultPaths::new(folder).key_slots(), &link).unwrap();
    link
}

#[test]
fn after_a_wipe_no_passphrase_or_recovery_key_opens_the_vault() {
    let folder = tempfile::tempdir().unwrap();
    let vault = folder.path().join("vault");
    let recovery_key = vault_with_a_case(&vault);
    let outside = tempfile::tempdir().unwrap();
    let kept_slots = second_name_for_the_slots(&vault, outside.path());
    let kept_database = outside.path().join("vault.db-as-copied-before");
    std::fs::copy(VaultPaths::new(&vault).database(), &kept_database).unwrap();

    // Only an administrator may wipe; the refusal changes nothing.
    let supervisor = unlock(&vault, SUPERVISOR, SUPERVISOR_PASSPHRASE).unwrap();
    assert!(matches!(
        supervisor.wipe_vault(),
        Err(AccessError::Denied(_))
    ));
    let admin = unlock(&vault, ADMIN, ADMIN_PASSPHRASE).unwrap();
    // The session's WAL holds pages (its unlock entry at least); SQLite removes it when the session
    // closes, so a second name outside shows whether the wipe overwrote it first.
    let mut wal = VaultPaths::new(&vault).database().into_os_string();
    wal.push("-wal");
    let kept_wal = outside.path().join("wal-as-the-disk-kept-it");
    std::fs::hard_link(PathBuf::from(wal), &kept_wal).unwrap();
    let wiped = admin.wipe_vault().unwrap();
    let wal_bytes = std::fs::read(&kept_wal).unwrap();
    assert!(!wal_bytes.is_empty());
    assert!(
        wal_bytes.iter().all(|&b| b == 0),
        "the WAL was removed without being overwritten"
    );
    assert!(wiped.files >= 2, "{wiped:?}");
    assert!(wiped.unreadable_after <= wiped.finished_after);

    assert!(files_in(&vault).is_empty(), "{:?}", files_in(&vault));
    for (name, secret) in [
        (ADMIN, ADMIN_PASSPHRASE),
        (SUPERVISOR, SUPERVISOR_PASSPHRASE),
    ] {
        assert!(matches!(
            unlock(&vault, name, secret),
            Err(OpenError::NoVault)
        ));
    }
    assert!(matches!(
        access::recover_admin(&vault, &recovery_key, Some(ADMIN), &passphrase("a new one")),
        Err(OpenError::NoVault)
    ));
    // Even with the database copied before the wipe put back, and the slots' old bytes as the
    // disk may have kept them: those bytes are random now, so no slot is left to try a
    // passphrase or the recovery key against.
    let kept = std::fs::read(&kept_slots).unwrap();
    assert!(KeySlotFile::from_bytes(&kept).is_err());
    std::fs::create_dir_all(&vault).unwrap();
    std::fs::copy(&kept_database, VaultPaths::new(&vault).database()).unwrap();
    std::fs::write(VaultPaths::new(&vault).key_slots(), &kept).unwrap();
    for (name, secret) in [
        (ADMIN, ADMIN_PASSPHRASE),
        (SUPERVISOR, SUPERVISOR_PASSPHRASE),
    ] {
        assert!(unlock(&vault, name, secret).is_err());
    }
    assert!(
        access::recover_admin(&vault, &recovery_key, Some(ADMIN), &passphrase("a new one"))
            .is_err()
    );
}

#[test]
fn the_duress_passphrase_wipes_the_vault_and_leaves_an_empty_one_that_looks_new() {
    let folder = tempfile::tempdir().unwrap();
    let vault = folder.path().join("vault");
    let recovery_key = vault_with_a_case(&vault);
    let mut admin = unlock(&vault, ADMIN, ADMIN_PASSPHRASE).unwrap();
    assert!(!admin.has_duress_passphrase().unwrap());
    admin.set_duress_passphrase(&passphrase(DURESS)).unwrap();
    assert!(admin.has_duress_passphrase().unwrap());
    admin.lock();
    // Setting it changed nothing else: the accounts unlock as before, and a wrong passphrase is
    // still only wrong.
    unlock(&vault, SUPERVISOR, SUPERVISOR_PASSPHRASE)
        .unwrap()
        .lock();
    assert!(matches!(
        unlock(&vault, SUPERVISOR, "not the duress passphrase at all"),
        Err(OpenError::WrongPassphrase)
    ));
    let outside = tempfile::tempdir().unwrap();
    let kept_slots = second_name_for_the_slots(&vault, outside.path());

    // Typed with the supervisor's name: the old vault is gone, and its replacement is open.
    let session = unlock(&vault, SUPERVISOR, DURESS).unwrap();
    let actions = |session: &Session| -> Vec<String> {
        let mut entries = session
            .audit_entries(&AuditQuery::default())
            .unwrap()
            .entries;
        entries.sort_by_key(|entry| entry.seq);
        entries
            .into_iter()
            .map(|entry| format!("{:?}", entry.action))
            .collect()
    };
    // Read first, before this test's own reads add to the log.
    let after_duress = actions(&session);
    assert!(KeySlotFile::from_bytes(&std::fs::read(&kept_slots).unwrap()).is_err());
    assert_eq!(cases_named(&session, CANARY), 0);
    assert_eq!(session.list_cases(&CaseQuery::default()).unwrap().total, 0);
    let status = session.status().unwrap();
    assert_eq!(
        (status.organisation.as_str(), status.site.as_str()),
        (ORGANISATION, SITE)
    );
    assert_eq!(status.accounts, 1);
    assert_eq!(session.account().name, SUPERVISOR);
    let slots_after_duress = KeySlotFile::read(&VaultPaths::new(&vault).key_slots()).unwrap();
    drop(session);

    // It looks like a vault just made: the same log, the same kind of key-slot file, no duress
    // slot.
    let fresh_folder = tempfile::tempdir().unwrap();
    let (fresh, _) = access::create_vault(
        fresh_folder.path(),
        NewVault {
            organisation: ORGANISATION,
            site: SITE,
            admin_name: SUPERVISOR,
            admin_passphrase: &passphrase(DURESS),
            kdf: KdfChoice::Fixed(KdfParams::FLOOR),
        },
    )
    .unwrap();
    assert_eq!(after_duress, actions(&fresh));
    let fresh_slots = KeySlotFile::read(&VaultPaths::new(fresh_folder.path()).key_slots()).unwrap();
    assert_eq!(slots_after_duress.version(), fresh_slots.version());
    assert_eq!(slots_after_duress.slots().len(), fresh_slots.slots().len());
    assert!(slots_after_duress.duress_slot().is_none());
    let names = |folder: &Path| -> Vec<String> {
        let mut names: Vec<String> = files_in(folder)
            .iter()
            .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    drop(fresh);
    assert_eq!(names(&vault), names(fresh_folder.path()));
    for file in files_in(&vault) {
        let bytes = std::fs::read(&file).unwrap();
        let canary = CANARY.as_bytes();
        assert!(
            !bytes.windows(canary.len()).any(|w| w == canary),
            "{}",
            file.display()
        );
    }

    // Nothing of the old vault opens: not its passphrases, nor its recovery key. (Unknown
    // account, or a wrong passphrase when the new vault's tag of the name collides.)
    assert!(unlock(&vault, ADMIN, ADMIN_PASSPHRASE).is_err());
    assert!(unlock(&vault, SUPERVISOR, SUPERVISOR_PASSPHRASE).is_err());
    assert!(matches!(
        access::recover_admin(&vault, &recovery_key, None, &passphrase("a brand new one")),
        Err(OpenError::WrongRecoveryKey)
    ));
    // The new vault opens with the duress passphrase as an ordinary one, and wipes nothing.
    let again = unlock(&vault, SUPERVISOR, DURESS).unwrap();
    assert_eq!(again.status().unwrap().accounts, 1);
}

#[test]
fn a_duress_passphrase_is_refused_when_it_could_not_work_and_can_be_removed() {
    let folder = tempfile::tempdir().unwrap();
    let vault = folder.path().join("vault");
    vault_with_a_case(&vault);
    let mut supervisor = unlock(&vault, SUPERVISOR, SUPERVISOR_PASSPHRASE).unwrap();
    assert!(matches!(
        supervisor.set_duress_passphrase(&passphrase(DURESS)),
        Err(AccessError::Denied(_))
    ));
    supervisor.lock();
    let mut admin = unlock(&vault, ADMIN, ADMIN_PASSPHRASE).unwrap();
    // Their own passphrase would open their account first; a weak one would be guessed.
    assert!(matches!(
        admin.set_duress_passphrase(&passphrase(ADMIN_PASSPHRASE)),
        Err(AccessError::InvalidInput(_))
    ));
    assert!(matches!(
        admin.set_duress_passphrase(&passphrase("password1")),
        Err(AccessError::Passphrase(_))
    ));
    assert!(!admin.has_duress_passphrase().unwrap());
    admin.set_duress_passphrase(&passphrase(DURESS)).unwrap();
    // The data key can still change, and the duress slot stays.
    admin.rekey_vault().unwrap();
    assert!(admin.has_duress_passphrase().unwrap());
    assert!(admin.remove_duress_passphrase().unwrap());
    assert!(!admin.remove_duress_passphrase().unwrap());
    admin.lock();
    // Removed: typing it is a wrong passphrase, and the case is still there.
    assert!(matches!(
        unlock(&vault, SUPERVISOR, DURESS),
        Err(OpenError::WrongPassphrase)
    ));
    let supervisor = unlock(&vault, SUPERVISOR, SUPERVISOR_PASSPHRASE).unwrap();
    assert_eq!(cases_named(&supervisor, CANARY), 1);
}
