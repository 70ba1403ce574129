//! The foundation's promises, tested through hearth-core's public API on real vault folders:
//! unlocking and its refusals, key slots, passphrase changes, the leak check, and account rules.
// Test helpers unwrap too: a panic is how a test reports the unexpected.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use hearth_core::access::{self, AccessError, KdfChoice, NewVault, OpenError, Role, Session};
use hearth_core::crypto::{KdfParams, Passphrase, RecoveryKey};
use hearth_core::keyslots::KeySlotFile;
use hearth_core::vault::VaultPaths;

const ADMIN: &str = "Mirela";
const ADMIN_PASSPHRASE: &str = "violet kettle orbit pasture";
const CASEWORKER: &str = "Dragan";
const CASEWORKER_PASSPHRASE: &str = "lantern quietly harbour seventeen";

fn passphrase(text: &str) -> Passphrase {
    Passphrase::new(text.to_owned())
}

/// A vault at the KDF floor (unlocks stay quick) with an admin and a caseworker.
///
/// Each slot carries a one-byte tag of its account's name; when the two names' tags collide (one
/// vault in 256), unlocking one name also tries the other's slot, and some refusals read
/// differently (see `unlock`). The tests pin each refusal exactly, so such a vault is made again.
fn vault_with_two_accounts(folder: &Path, organisation: &str, site: &str) -> String {
    loop {
        let (mut admin, recovery_key) = access::create_vault(
            folder,
            NewVault {
                organisation,
                site,
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
        admin.lock();
        let slots = KeySlotFile::read(&VaultPaths::new(folder).key_slots()).unwrap();
        let tag = |name: &str| slots.name_tag(&access::normalise_account_name(name));
        if tag(ADMIN) != tag(CASEWORKER) {
            return recovery_key.expose_secret_display().to_string();
        }
        std::fs::remove_dir_all(folder).unwrap();
    }
}

fn new_vault(folder: &Path) -> String {
    vault_with_two_accounts(folder, "Safe Harbour", "North")
}

fn unlock(folder: &Path, name: &str, secret: &str) -> Result<Session, OpenError> {
    access::unlock(folder, name, &passphrase(secret))
}

#[test]
fn unlocks_with_the_right_passphrase_as_the_right_account() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let session = unlock(folder.path(), "  mirela ", ADMIN_PASSPHRASE).unwrap();
    assert_eq!(session.account().name, ADMIN);
    assert_eq!(session.account().role, Role::Admin);
    let status = session.status().unwrap();
    assert_eq!(status.organisation, "Safe Harbour");
    assert_eq!(status.site, "North");
    assert_eq!(status.accounts, 2);
    assert_eq!(status.device_id.len(), 32);
    assert!(
        status.sqlcipher_version.starts_with('4'),
        "{}",
        status.sqlcipher_version
    );

    let caseworker = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap();
    assert_eq!(caseworker.account().role, Role::Caseworker);
}

#[test]
fn refusals_have_their_own_kinds() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());

    let wrong = unlock(folder.path(), ADMIN, "not the passphrase at all").unwrap_err();
    assert!(matches!(wrong, OpenError::WrongPassphrase), "{wrong:?}");
    assert_eq!(wrong.kind().as_str(), "wrong_passphrase");

    let unknown = unlock(folder.path(), "Nobody Here", ADMIN_PASSPHRASE).unwrap_err();
    // A one-byte name tag can collide with a real account; then the passphrase is tried and fails.
    assert!(
        matches!(
            unknown,
            OpenError::UnknownAccount | OpenError::WrongPassphrase
        ),
        "{unknown:?}"
    );
    let truly_unknown = (0..50)
        .map(|n| unlock(folder.path(), &format!("nobody {n}"), ADMIN_PASSPHRASE).unwrap_err())
        .filter(|e| e.kind().as_str() == "unknown_account")
        .count();
    assert!(
        truly_unknown > 40,
        "only {truly_unknown} of 50 unknown names said so"
    );

    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    admin.disable_account(CASEWORKER).unwrap();
    let disabled = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap_err();
    assert!(
        matches!(disabled, OpenError::AccountDisabled),
        "{disabled:?}"
    );
    assert_eq!(disabled.kind().as_str(), "account_disabled");

    let empty = tempfile::tempdir().unwrap();
    let none = unlock(empty.path(), ADMIN, ADMIN_PASSPHRASE).unwrap_err();
    assert!(matches!(none, OpenError::NoVault), "{none:?}");
}

#[test]
fn creating_over_an_existing_vault_is_refused_and_changes_nothing() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let paths = VaultPaths::new(folder.path());
    let before = std::fs::read(paths.key_slots()).unwrap();
    let error = access::create_vault(
        folder.path(),
        NewVault {
            organisation: "Other",
            site: "South",
            admin_name: "Someone",
            admin_passphrase: &passphrase(ADMIN_PASSPHRASE),
            kdf: KdfChoice::Fixed(KdfParams::FLOOR),
        },
    )
    .unwrap_err();
    assert!(matches!(error, OpenError::VaultExists), "{error:?}");
    assert_eq!(std::fs::read(paths.key_slots()).unwrap(), before);
}

#[test]
fn recovery_key_sets_a_new_admin_passphrase() {
    let folder = tempfile::tempdir().unwrap();
    let written = new_vault(folder.path());
    let recovery_key = RecoveryKey::parse(&written).unwrap();
    let new = "granite meadow whistle forty";
    let name = access::recover_admin(folder.path(), &recovery_key, None, &passphrase(new)).unwrap();
    assert_eq!(name, ADMIN);
    assert!(matches!(
        unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE),
        Err(OpenError::WrongPassphrase)
    ));
    assert_eq!(
        unlock(folder.path(), ADMIN, new).unwrap().account().name,
        ADMIN
    );

    // The recovery key resets administrators only.
    let refused = access::recover_admin(
        folder.path(),
        &recovery_key,
        Some(CASEWORKER),
        &passphrase("another strong passphrase here"),
    )
    .unwrap_err();
    assert!(matches!(refused, OpenError::NotAnAdmin), "{refused:?}");

    let wrong_key = RecoveryKey::generate().unwrap();
    let wrong =
        access::recover_admin(folder.path(), &wrong_key, None, &passphrase(new)).unwrap_err();
    assert!(matches!(wrong, OpenError::WrongRecoveryKey), "{wrong:?}");
}

/// Overwrites the admin slot's Argon2 iterations (bytes 27..31 of the first slot).
fn set_first_slot_iterations(folder: &Path, iterations: u32) {
    let path = VaultPaths::new(folder).key_slots();
    let mut bytes = std::fs::read(&path).unwrap();
    // File header: magic 8, version 1, lookup key 16, count 2. Slot header: version 1, kind 1,
    // account 16, name tag 1, memory 4, then iterations.
    let at = 8 + 1 + 16 + 2 + 1 + 1 + 16 + 1 + 4;
    bytes[at..at + 4].copy_from_slice(&iterations.to_be_bytes());
    std::fs::write(&path, bytes).unwrap();
}

#[test]
fn lowering_the_kdf_parameters_in_the_file_makes_unlock_fail() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    set_first_slot_iterations(folder.path(), 1);
    let error = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap_err();
    assert!(matches!(error, OpenError::SlotAltered), "{error:?}");

    // Changed but still within range: the header is the AEAD's associated data, so it fails too.
    set_first_slot_iterations(folder.path(), 4);
    let error = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap_err();
    assert!(matches!(error, OpenError::WrongPassphrase), "{error:?}");

    set_first_slot_iterations(folder.path(), KdfParams::FLOOR.iterations);
    assert!(unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).is_ok());
}

/// A passphrase change rewrites one key slot, never the database: the data key stays, so the
/// database's first page (SQLCipher's salt and the start of the schema) is the same bytes before
/// and after. Both the refused and the accepted change are in the audit log.
#[test]
fn passphrase_change_and_admin_reset_keep_the_data_key_and_are_audited() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let database = VaultPaths::new(folder.path()).database();
    let first_page = |path: &Path| std::fs::read(path).unwrap()[..16].to_vec();
    let salt_before = first_page(&database);

    let mut caseworker = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap();
    let changed = "copper willow midnight seventy";
    assert!(matches!(
        caseworker.change_own_passphrase(&passphrase("not my passphrase"), &passphrase(changed)),
        Err(AccessError::WrongCurrentPassphrase)
    ));
    caseworker
        .change_own_passphrase(&passphrase(CASEWORKER_PASSPHRASE), &passphrase(changed))
        .unwrap();
    caseworker.lock();
    assert!(matches!(
        unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE),
        Err(OpenError::WrongPassphrase)
    ));
    unlock(folder.path(), CASEWORKER, changed).unwrap().lock();

    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    let reset = "saffron tunnel bicycle ninety";
    admin
        .reset_passphrase(CASEWORKER, &passphrase(reset))
        .unwrap();
    let changes = admin
        .audit_entries(&hearth_core::audit::AuditQuery {
            action: Some(hearth_core::audit::Action::ChangePassphrase),
            ..Default::default()
        })
        .unwrap();
    let outcomes: Vec<_> = changes.entries.iter().map(|e| e.outcome).collect();
    assert_eq!(
        outcomes,
        [
            hearth_core::audit::Outcome::Ok,
            hearth_core::audit::Outcome::Failed
        ],
        "newest first: the accepted change, then the refused one"
    );
    admin.lock();
    assert_eq!(first_page(&database), salt_before);
    assert!(matches!(
        unlock(folder.path(), CASEWORKER, changed),
        Err(OpenError::WrongPassphrase)
    ));
    unlock(folder.path(), CASEWORKER, reset).unwrap();
}

fn assert_no_canary(path: &Path, canaries: &[&str]) {
    let Ok(bytes) = std::fs::read(path) else {
        return; // -wal and -shm exist only while a connection is open.
    };
    for canary in canaries {
        for form in [canary.to_string(), canary.to_lowercase()] {
            assert!(
                !bytes.windows(form.len()).any(|w| w == form.as_bytes()),
                "{form} found in {}",
                path.display()
            );
        }
    }
}

#[test]
fn no_name_reaches_any_file_in_clear() {
    let organisation = "CanaryOrg4e1f";
    let site = "CanarySite9b2c";
    let folder = tempfile::tempdir().unwrap();
    vault_with_two_accounts(folder.path(), organisation, site);
    // Some wrong attempts, so that the throttle file exists too.
    let _ = unlock(folder.path(), CASEWORKER, "wrong guess number one");

    let paths = VaultPaths::new(folder.path());
    let files = || {
        let mut wal = paths.database().into_os_string();
        wal.push("-wal");
        let mut shm = paths.database().into_os_string();
        shm.push("-shm");
        [
            paths.database(),
            wal.into(),
            shm.into(),
            paths.key_slots(),
            paths.throttle(),
        ]
    };
    // While a session is open and has just written (the WAL holds the new pages), and after it
    // is locked (the WAL has been checkpointed into vault.db).
    let mut session = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    let late_canary = "CanaryLateAccount";
    session
        .add_account(
            late_canary,
            Role::Supervisor,
            &passphrase("orange pelican gravel tuesday"),
        )
        .unwrap();
    let canaries = [organisation, site, ADMIN, CASEWORKER, late_canary];
    for path in files() {
        assert_no_canary(&path, &canaries);
    }
    session.lock();
    for path in files() {
        assert_no_canary(&path, &canaries);
    }
    let database = std::fs::read(paths.database()).unwrap();
    assert!(!database.starts_with(b"SQLite format 3"));
}

#[test]
fn five_wrong_passphrases_then_attempts_must_wait_even_after_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    for attempt in 1..=5 {
        let error = unlock(folder.path(), CASEWORKER, "wrong guess again").unwrap_err();
        assert!(
            matches!(error, OpenError::WrongPassphrase),
            "attempt {attempt}: {error:?}"
        );
    }
    // Each unlock call reads the counters from disk, as a restarted app would.
    let error = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap_err();
    match error {
        OpenError::MustWait { seconds } => assert!((1..=30).contains(&seconds), "{seconds}"),
        other => panic!("expected a wait, got {other:?}"),
    }
    // Other accounts are not held up.
    unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();

    // An admin reset clears the wait.
    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    admin
        .reset_passphrase(CASEWORKER, &passphrase(CASEWORKER_PASSPHRASE))
        .unwrap();
    unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap();
}

#[test]
fn concurrent_wrong_attempts_are_all_counted() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    // Five attempts at once, as from the app and the CLI together: each must see the failures
    // counted before it, or the wait could be dodged by guessing in parallel.
    std::thread::scope(|scope| {
        for _ in 0..5 {
            scope.spawn(|| {
                let error = unlock(folder.path(), CASEWORKER, "parallel wrong guess").unwrap_err();
                assert!(matches!(error, OpenError::WrongPassphrase), "{error:?}");
            });
        }
    });
    let error = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap_err();
    assert!(matches!(error, OpenError::MustWait { .. }), "{error:?}");
}

#[test]
fn changing_ones_own_passphrase_needs_the_current_one_and_meets_the_wait() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    // "Reset" is for other people's accounts; one's own needs the current passphrase.
    assert!(matches!(
        admin.reset_passphrase(ADMIN, &passphrase("granite meadow whistle forty")),
        Err(AccessError::OwnPassphrase)
    ));
    let new = passphrase("granite meadow whistle forty");
    for _ in 0..5 {
        assert!(matches!(
            admin.change_own_passphrase(&passphrase("a wrong guess here"), &new),
            Err(AccessError::WrongCurrentPassphrase)
        ));
    }
    assert!(matches!(
        admin.change_own_passphrase(&passphrase(ADMIN_PASSPHRASE), &new),
        Err(AccessError::MustWait { .. })
    ));
    admin.lock();
    // The same count holds back unlocking: guessing here is no way around the wait.
    assert!(matches!(
        unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE),
        Err(OpenError::MustWait { .. })
    ));
}

#[test]
fn roles_are_enforced_by_the_session() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let mut caseworker = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap();
    let denied = caseworker
        .add_account("Someone", Role::Admin, &passphrase(ADMIN_PASSPHRASE))
        .unwrap_err();
    assert!(matches!(denied, AccessError::Denied(_)), "{denied:?}");
    assert_eq!(
        denied.to_string(),
        "your role (caseworker) may not add accounts"
    );
    assert!(matches!(
        caseworker.list_accounts(),
        Err(AccessError::Denied(_))
    ));
    assert!(matches!(
        caseworker.disable_account(ADMIN),
        Err(AccessError::Denied(_))
    ));
    assert!(matches!(
        caseworker.reset_passphrase(ADMIN, &passphrase("whatever strong words here")),
        Err(AccessError::Denied(_))
    ));
}

#[test]
fn account_rules_protect_the_last_admin_and_names() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    assert!(matches!(
        admin.disable_account(ADMIN),
        Err(AccessError::OwnAccount)
    ));
    assert!(matches!(
        admin.add_account(
            " dragan ",
            Role::Supervisor,
            &passphrase("totally different words here")
        ),
        Err(AccessError::AccountExists)
    ));
    assert!(matches!(
        admin.add_account("Vesna", Role::Supervisor, &passphrase("password1")),
        Err(AccessError::Passphrase(_))
    ));
    assert!(matches!(
        admin.add_account(
            "Vesna",
            Role::Supervisor,
            &passphrase("vesna likes long walks")
        ),
        Err(AccessError::Passphrase(_))
    ));

    admin
        .add_account(
            "Second Admin",
            Role::Admin,
            &passphrase("orange pelican gravel tuesday"),
        )
        .unwrap();
    let mut second = unlock(
        folder.path(),
        "second admin",
        "orange pelican gravel tuesday",
    )
    .unwrap();
    second.disable_account(ADMIN).unwrap();
    assert!(matches!(
        second.disable_account(ADMIN),
        Err(AccessError::AlreadyInState(_))
    ));
    // The first admin is disabled, so the second is the last one; it cannot be disabled by anyone.
    assert!(matches!(
        admin.disable_account("Second Admin"),
        Err(AccessError::LastAdmin)
    ));
    second.enable_account(ADMIN).unwrap();
    // Enabling restores the same passphrase.
    unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();

    let names: Vec<String> = admin
        .list_accounts()
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["Dragan", "Mirela", "Second Admin"]);
}

#[test]
fn a_failed_account_write_changes_neither_file() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let paths = VaultPaths::new(folder.path());
    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    let slots_before = std::fs::read(paths.key_slots()).unwrap();
    let accounts_before = admin.list_accounts().unwrap();
    assert!(admin
        .add_account("", Role::Caseworker, &passphrase(CASEWORKER_PASSPHRASE))
        .is_err());
    assert!(admin
        .add_account("Weak", Role::Caseworker, &passphrase("abc"))
        .is_err());
    assert_eq!(std::fs::read(paths.key_slots()).unwrap(), slots_before);
    assert_eq!(admin.list_accounts().unwrap(), accounts_before);
}

#[test]
fn integrity_check_runs_in_the_background_and_passes() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    let check = admin.start_integrity_check().unwrap();
    let report = check.wait().unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
}

/// The session's own check: started after the unlock, asked about later, its result recorded
/// once; damage is reported as damage, and a check still running when the session locks is
/// finished and recorded before the lock completes.
#[test]
fn the_background_check_reports_damage_and_is_audited_once() {
    use hearth_core::access::IntegrityStatus;
    use hearth_core::audit::{Action, AuditQuery, Outcome};

    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    assert_eq!(admin.integrity_status().unwrap(), None, "not started yet");
    admin.check_integrity_in_background().unwrap();
    let status = loop {
        match admin.integrity_status().unwrap() {
            Some(IntegrityStatus::Running) => {
                std::thread::sleep(std::time::Duration::from_millis(5))
            }
            other => break other,
        }
    };
    assert_eq!(status, Some(IntegrityStatus::Intact));
    // Asked again, and started again, it is neither rerun nor recorded twice.
    admin.check_integrity_in_background().unwrap();
    assert_eq!(
        admin.integrity_status().unwrap(),
        Some(IntegrityStatus::Intact)
    );
    let checks = |session: &Session| {
        session
            .audit_entries(&AuditQuery {
                action: Some(Action::CheckIntegrity),
                ..AuditQuery::default()
            })
            .unwrap()
            .entries
    };
    let recorded = checks(&admin);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].outcome, Outcome::Ok);
    drop(admin);

    // Long notes fill pages that unlocking never reads; damage one of them.
    let mut dragan = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap();
    let fields = |value: serde_json::Value| value.as_object().unwrap().clone();
    let case = dragan
        .create_case(&fields(serde_json::json!({
            "given_name": "Filler",
            "trafficking_status": "PossibleVictimOfTrafficking",
            "date_identified": "2026-01-01",
        })))
        .unwrap();
    let case = hearth_core::records::RecordId::parse(&case.id).unwrap();
    for n in 0..5 {
        let text: String = (0..20_000u32)
            .map(|i| char::from(b'a' + u8::try_from((i * 7 + n * 3) % 26).unwrap()))
            .collect();
        dragan
            .add_record(
                hearth_core::records::RecordKind::Note,
                case,
                &fields(serde_json::json!({ "text": text })),
            )
            .unwrap();
    }
    drop(dragan);
    let database = VaultPaths::new(folder.path()).database();
    let mut bytes = std::fs::read(&database).unwrap();
    let pages = bytes.len() / 4096;
    let damaged_page = pages - 25;
    bytes[(damaged_page - 1) * 4096 + 100] ^= 0x01;
    std::fs::write(&database, bytes).unwrap();
    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    admin.check_integrity_in_background().unwrap();
    // Locked at once: the running check is finished and recorded as part of locking.
    drop(admin);
    let admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    let recorded = checks(&admin);
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    let failed: Vec<_> = recorded
        .iter()
        .filter(|entry| entry.outcome == Outcome::Failed)
        .collect();
    assert_eq!(failed.len(), 1, "{recorded:?}");
    let reason = failed[0].reason.clone().unwrap_or_default();
    assert!(reason.contains("damaged page"), "{reason}");
    assert!(reason.contains(&format!("page {damaged_page}")), "{reason}");
}

#[test]
fn preferences_and_settings() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let mut caseworker = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap();
    let overview = caseworker.overview().unwrap();
    assert_eq!(overview.language, None);
    assert_eq!(overview.idle_timeout_seconds, 300);
    assert_eq!(overview.organisation, "Safe Harbour");
    caseworker.set_own_language("sq").unwrap();
    assert!(matches!(
        caseworker.set_own_language("xx"),
        Err(AccessError::InvalidInput(_))
    ));
    assert!(matches!(
        caseworker.set_idle_timeout_seconds(60),
        Err(AccessError::Denied(_))
    ));
    caseworker.lock();

    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    assert!(matches!(
        admin.set_idle_timeout_seconds(5),
        Err(AccessError::InvalidInput(_))
    ));
    admin.set_idle_timeout_seconds(60).unwrap();
    admin.lock();

    let caseworker = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap();
    let overview = caseworker.overview().unwrap();
    assert_eq!(overview.language.as_deref(), Some("sq"));
    assert_eq!(overview.idle_timeout_seconds, 60);
}

#[test]
fn each_person_has_their_own_recent_folder_per_kind_of_file() {
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let stick = tempfile::tempdir().unwrap();
    let documents = tempfile::tempdir().unwrap();
    let mut caseworker = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap();
    assert_eq!(caseworker.recent_folder("bundle").unwrap(), None);
    caseworker.remember_folder("bundle", stick.path()).unwrap();
    caseworker
        .remember_folder("audit_csv", documents.path())
        .unwrap();
    caseworker.remember_folder("bundle", stick.path()).unwrap();
    caseworker.lock();

    let caseworker = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap();
    assert_eq!(
        caseworker.recent_folder("bundle").unwrap().as_deref(),
        Some(stick.path())
    );
    assert_eq!(
        caseworker.recent_folder("audit_csv").unwrap().as_deref(),
        Some(documents.path())
    );
    caseworker.lock();
    let admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    assert_eq!(
        admin.recent_folder("bundle").unwrap(),
        None,
        "not another person's"
    );
    admin.lock();

    // A stick that was taken out is not offered again.
    let stick_path = stick.path().to_path_buf();
    drop(stick);
    let caseworker = unlock(folder.path(), CASEWORKER, CASEWORKER_PASSPHRASE).unwrap();
    assert!(!stick_path.exists());
    assert_eq!(caseworker.recent_folder("bundle").unwrap(), None);
}

/// One passphrase, with letters of three scripts, typed composed (NFC) and decomposed (NFD).
const COMPOSED: &str =
    "Dragi\u{107}a \u{eb}lir\u{eb} \u{439}\u{43e}\u{433} \u{622}\u{645}\u{627}\u{644}";
const DECOMPOSED: &str =
    "Dragic\u{301}a e\u{308}lire\u{308} \u{438}\u{306}\u{43e}\u{433} \u{627}\u{653}\u{645}\u{627}\u{644}";

#[test]
fn a_passphrase_opens_the_vault_however_its_letters_are_typed() {
    for (made_with, typed) in [(COMPOSED, DECOMPOSED), (DECOMPOSED, COMPOSED)] {
        let folder = tempfile::tempdir().unwrap();
        new_vault(folder.path());
        let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
        admin
            .add_account("Besa", Role::Caseworker, &passphrase(made_with))
            .unwrap();
        drop(admin);
        let besa = unlock(folder.path(), "Besa", typed)
            .unwrap_or_else(|e| panic!("made as {made_with:?}, typed as {typed:?}: {e}"));
        assert_eq!(besa.account().name, "Besa");
        assert!(matches!(
            unlock(folder.path(), "Besa", "Dragica elire jog amal"),
            Err(OpenError::WrongPassphrase)
        ));
    }
}

/// A slot Hearth sealed before it normalised passphrases is under the bytes as they were typed.
#[test]
fn a_slot_sealed_before_normalising_opens_and_is_sealed_again_normalised() {
    use hearth_core::keyslots::{KeySlot, SlotKind};
    let folder = tempfile::tempdir().unwrap();
    new_vault(folder.path());
    let mut admin = unlock(folder.path(), ADMIN, ADMIN_PASSPHRASE).unwrap();
    admin
        .add_account("Besa", Role::Caseworker, &passphrase(COMPOSED))
        .unwrap();
    let besa_id = admin
        .list_accounts()
        .unwrap()
        .into_iter()
        .find(|account| account.name == "Besa")
        .unwrap()
        .id;
    drop(admin);
    // As an older Hearth would have sealed it, from a keyboard that sends decomposed letters.
    let path = VaultPaths::new(folder.path()).key_slots();
    let mut slots = KeySlotFile::read(&path).unwrap();
    let old = slots.slot_of(besa_id).unwrap();
    let data_key = old.open(COMPOSED.as_bytes()).unwrap();
    let (name_tag, kdf) = (old.header.name_tag, old.header.kdf);
    let legacy = KeySlot::seal_version_1(
        SlotKind::Passphrase,
        besa_id,
        name_tag,
        kdf,
        DECOMPOSED.as_bytes(),
        &data_key,
    )
    .unwrap();
    slots.put_account_slot(legacy);
    slots.write_atomically(&path).unwrap();
    let sealed_with = |text: &str| {
        KeySlotFile::read(&path)
            .unwrap()
            .slot_of(besa_id)
            .unwrap()
            .open(text.as_bytes())
            .is_ok()
    };
    assert!(sealed_with(DECOMPOSED) && !sealed_with(COMPOSED));

    // Typed composed, it still opens (the decomposed form is tried second) ...
    drop(unlock(folder.path(), "Besa", COMPOSED).unwrap());
    // ... and the slot is now under the normalised form.
    assert!(sealed_with(COMPOSED) && !sealed_with(DECOMPOSED));
    drop(unlock(folder.path(), "Besa", DECOMPOSED).unwrap());
}
