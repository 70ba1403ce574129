//! `hearth vault rekey` killed with SIGKILL at each of its steps and at moments inside SQLCipher's
//! re-encryption: each time the vault must open with the passphrases it had, its pages must check
//! out, its audit log must verify, and the change must have happened wholly (the old data key opens
//! nothing, the log records it) or not at all (the old key still opens it, no record).
//!
//! `HEARTH_REKEY_KILLS` sets how many timed kills (12 by default; `make soak` runs 1,000).
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{copy_vault, report, KillMoments};
use hearth_core::access::{self, KdfChoice, NewVault, Role, Session};
use hearth_core::audit::{Action, AuditQuery};
use hearth_core::crypto::{KdfParams, Passphrase, SecretKey};
use hearth_core::keyslots::KeySlotFile;
use hearth_core::records::demo::DemoGenerator;
use hearth_core::vault::{self, DatabaseOpenError, VaultPaths};

const ADMIN: &str = "Mirela";
const ADMIN_PASSPHRASE: &str = "violet kettle orbit pasture";
const SUPERVISOR: &str = "Sofija";
const SUPERVISOR_PASSPHRASE: &str = "granite sparrow evening parcel";

fn passphrase(text: &str) -> Passphrase {
    Passphrase::new(text.to_owned())
}

/// A vault with an administrator, a supervisor and 250 cases (so that re-encrypting its pages
/// takes long enough to be killed in the middle of).
fn pristine(folder: &Path) {
    let (mut admin, _recovery) = access::create_vault(
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
            SUPERVISOR,
            Role::Supervisor,
            &passphrase(SUPERVISOR_PASSPHRASE),
        )
        .unwrap();
    admin.lock();
    let mut supervisor =
        access::unlock(folder, SUPERVISOR, &passphrase(SUPERVISOR_PASSPHRASE)).unwrap();
    let mut generator = DemoGenerator::new(7);
    let drafts: Vec<_> = (0..250).map(|_| generator.case(&[], false)).collect();
    supervisor.create_cases(&drafts).unwrap();
}

fn rekey_command(vault: &Path, passphrase_file: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hearth"));
    command
        .arg("--vault")
        .arg(vault)
        .args(["--user", ADMIN, "--passphrase-file"])
        .arg(passphrase_file)
        .args(["vault", "rekey"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn old_data_key(pristine: &Path) -> SecretKey {
    let slots = KeySlotFile::read(&VaultPaths::new(pristine).key_slots()).unwrap();
    slots
        .candidates_for(&access::normalise_account_name(ADMIN))
        .iter()
        .find_map(|slot| slot.open(ADMIN_PASSPHRASE.as_bytes()).ok())
        .unwrap()
}

/// Whether the vault is whole after a kill, and whether the change took effect. Panics, naming
/// `what`, if it is not whole or the change happened in part.
fn check_after_kill(vault: &Path, old_key: &SecretKey, what: &str) -> bool {
    let session: Session = access::unlock(vault, ADMIN, &passphrase(ADMIN_PASSPHRASE))
        .unwrap_or_else(|error| panic!("{what}: the vault does not open: {error}"));
    let report = session.start_integrity_check().unwrap().wait().unwrap();
    assert!(report.problems.is_empty(), "{what}: {:?}", report.problems);
    let verification = session.verify_audit(None).unwrap();
    assert!(verification.intact, "{what}: {verification:?}");
    let recorded = session
        .audit_entries(&AuditQuery {
            action: Some(Action::RekeyVault),
            ..Default::default()
        })
        .unwrap()
        .total
        > 0;
    drop(session);
    let old_key_opens = match vault::open_database(&VaultPaths::new(vault).database(), old_key) {
        Ok(_) => true,
        Err(DatabaseOpenError::KeyMismatch) => false,
        Err(other) => panic!("{what}: {other:?}"),
    };
    assert_ne!(
        recorded, old_key_opens,
        "{what}: recorded {recorded}, the old key opens {old_key_opens}"
    );
    assert!(
        !VaultPaths::new(vault).next_key_slots().exists(),
        "{what}: keyslots.next left behind after an unlock"
    );
    // Every other live account still gets in.
    access::unlock(vault, SUPERVISOR, &passphrase(SUPERVISOR_PASSPHRASE))
        .unwrap_or_else(|error| panic!("{what}: {SUPERVISOR} cannot unlock: {error}"));
    recorded
}

#[test]
fn a_rekey_killed_at_any_moment_happened_wholly_or_not_at_all() {
    let scratch = tempfile::tempdir().unwrap();
    let pristine_vault = scratch.path().join("pristine");
    pristine(&pristine_vault);
    let old_key = old_data_key(&pristine_vault);
    let passphrase_file = scratch.path().join("pass");
    std::fs::write(&passphrase_file, format!("{ADMIN_PASSPHRASE}\n")).unwrap();

    // At each step, stopped there and killed.
    for (point, takes_effect) in [
        ("rekey-slots-written", false),
        ("rekey-pending", false),
        ("rekey-reencrypted", true),
        ("rekey-recorded", true),
    ] {
        let vault = scratch.path().join(point);
        copy_vault(&pristine_vault, &vault);
        let mut child = rekey_command(&vault, &passphrase_file)
            .env("HEARTH_CRASH_AT", point)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line, format!("crash point {point}\n"));
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(
            check_after_kill(&vault, &old_key, point),
            takes_effect,
            "{point}"
        );
        std::fs::remove_dir_all(&vault).unwrap();
    }

    // At moments after the pending row is written: inside SQLCipher's re-encryption, or later.
    // Each run prints the steps it passed; the last one says where the kill landed.
    let kills: u32 = std::env::var("HEARTH_REKEY_KILLS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(12);
    // How long the rest of a rekey takes once its pending row is written, measured on a copy:
    // the kills are spread over that (see `KillMoments`).
    let timing = scratch.path().join("timing");
    copy_vault(&pristine_vault, &timing);
    let mut child = rekey_command(&timing, &passphrase_file)
        .env("HEARTH_KILL_AFTER", "no such point:0")
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 && line != "passed rekey-pending\n" {
        line.clear();
    }
    let started = std::time::Instant::now();
    assert!(child.wait().unwrap().success());
    let rest_micros = u64::try_from(started.elapsed().as_micros()).unwrap();
    let mut landed = std::collections::BTreeMap::<String, u32>::new();
    let mut moments = KillMoments::over(rest_micros, kills);
    for attempt in 0..kills {
        let vault = scratch.path().join(format!("attempt-{attempt}"));
        copy_vault(&pristine_vault, &vault);
        let micros = moments.next().unwrap();
        let output = rekey_command(&vault, &passphrase_file)
            .env("HEARTH_KILL_AFTER", format!("rekey-pending:{micros}"))
            .output()
            .unwrap();
        let killed = std::os::unix::process::ExitStatusExt::signal(&output.status) == Some(9);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let phase = if killed {
            let last = stderr
                .lines()
                .filter_map(|line| line.strip_prefix("passed "))
                .next_back()
                .unwrap_or("before any step");
            format!("killed after {last}")
        } else {
            assert!(output.status.success(), "attempt {attempt}: {stderr}");
            "finished".to_owned()
        };
        let what = format!("attempt {attempt} ({micros} µs, {phase})");
        check_after_kill(&vault, &old_key, &what);
        if phase != "killed after rekey-pending" {
            moments.landed_late(micros);
        }
        *landed.entry(phase).or_default() += 1;
        std::fs::remove_dir_all(&vault).unwrap();
    }
    // The figures `make soak` records (cargo shows them with --nocapture).
    report(&format!(
        "where the {kills} timed kills landed ({rest_micros} µs from the pending row to the end): \
         {landed:?}"
    ));
    // Whatever this machine's speed, some kills must land inside the re-encryption itself.
    let inside = landed
        .get("killed after rekey-pending")
        .copied()
        .unwrap_or(0);
    assert!(
        inside * 4 >= kills,
        "only {inside} of {kills} kills landed inside the re-encryption: {landed:?}"
    );
}
