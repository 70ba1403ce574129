//! Crash safety by the kill: `hearth` is killed with SIGKILL at moments spread over each piece of
//! work (a bundle import, a bundle export, a case save, an account change), counted from the
//! moment its unlock committed, so that the kills land inside the work and not in Argon2. Every
//! crash point a run passes is printed (`HEARTH_KILL_AFTER`, see `core/src/crash_point.rs`): the
//! last one says which phase the kill hit. After each kill the vault must open, its pages must
//! check out, its audit log must verify, and the work must have happened wholly or not at all;
//! killed after its commit it must have happened, killed before its transaction it must not.
//!
//! `HEARTH_SOAK_KILLS` sets the kills per piece of work: 10 by default, 1,000 in `make soak`.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{copy_vault, report, KillMoments};
use hearth_core::access::{self, KdfChoice, NewVault, Role, Session};
use hearth_core::audit::{Action, AuditQuery, Outcome};
use hearth_core::crypto::{KdfParams, Passphrase};
use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::{CaseQuery, RecordId};

const PASSPHRASE: &str = "violet kettle orbit pasture";
const NEW_PASSPHRASE: &str = "copper meadow lantern drifting";
const CASES: u64 = 250;

fn passphrase(text: &str) -> Passphrase {
    Passphrase::new(text.to_owned())
}

fn create(folder: &Path, organisation: &str, site: &str, admin: &str) -> Session {
    access::create_vault(
        folder,
        NewVault {
            organisation,
            site,
            admin_name: admin,
            admin_passphrase: &passphrase(PASSPHRASE),
            kdf: KdfChoice::Fixed(KdfParams::FLOOR),
        },
    )
    .unwrap()
    .0
}

fn unlock(vault: &Path, name: &str, secret: &str) -> Session {
    access::unlock(vault, name, &passphrase(secret))
        .unwrap_or_else(|error| panic!("{name} cannot unlock: {error}"))
}

fn count(session: &Session, action: Action) -> u64 {
    session
        .audit_entries(&AuditQuery {
            action: Some(action),
            ..Default::default()
        })
        .unwrap()
        .entries
        .iter()
        .filter(|entry| entry.outcome == Outcome::Ok)
        .count() as u64
}

/// The two laptops every piece of work starts from: "first" (Mirela, administrator; Sofija,
/// supervisor; 250 cases) and "joined" (Arta, administrator of a laptop that joined first's
/// organisation and has imported nothing), with a full bundle of first's cases for joined.
struct Laptops {
    scratch: tempfile::TempDir,
    case: String,
    /// Imports and exports the untouched laptops' logs already record (the enrollment, the
    /// bundle above).
    imports_before: u64,
    exports_before: u64,
}

impl Laptops {
    fn new() -> Laptops {
        let scratch = tempfile::tempdir().unwrap();
        let first = create(
            &scratch.path().join("first"),
            "Safe Harbour",
            "North",
            "Mirela",
        );
        let mut joined = create(&scratch.path().join("joined"), "Hearth", "South", "Arta");
        let enrollment = first
            .approve_device(&joined.join_request().unwrap())
            .unwrap();
        let fingerprint = first.device_identity().unwrap().fingerprint;
        joined.enroll(&enrollment, &fingerprint).unwrap();
        drop(joined);
        let mut first = first;
        first
            .add_account("Sofija", Role::Supervisor, &passphrase(PASSPHRASE))
            .unwrap();
        drop(first);
        let mut supervisor = unlock(&scratch.path().join("first"), "Sofija", PASSPHRASE);
        let mut generator = DemoGenerator::new(5);
        let drafts: Vec<_> = (0..CASES).map(|_| generator.case(&[], false)).collect();
        let created = supervisor.create_cases(&drafts).unwrap();
        let mut bundle = Vec::new();
        supervisor
            .export_bundle(None, true, |sealed| {
                bundle = sealed.to_vec();
                Ok(())
            })
            .unwrap();
        drop(supervisor);
        std::fs::write(scratch.path().join("bundle.age"), &bundle).unwrap();
        std::fs::write(scratch.path().join("pass"), format!("{PASSPHRASE}\n")).unwrap();
        std::fs::write(
            scratch.path().join("new.pass"),
            format!("{NEW_PASSPHRASE}\n"),
        )
        .unwrap();
        std::fs::write(
            scratch.path().join("edit.json"),
            r#"{"given_name": "Lirijeqq", "family_name": "Berishaqq", "address": "Rruga e Portit 7, Durrës"}"#,
        )
        .unwrap();
        // Counted on copies: unlocking records an unlock, and the laptops must stay untouched.
        let counted = |laptop: &str, admin: &str, action: Action| {
            let copy = tempfile::tempdir().unwrap();
            let vault = copy.path().join("vault");
            copy_vault(&scratch.path().join(laptop), &vault);
            count(&unlock(&vault, admin, PASSPHRASE), action)
        };
        let imports_before = counted("joined", "Arta", Action::Import);
        let exports_before = counted("first", "Mirela", Action::Export);
        Laptops {
            scratch,
            case: created[0].id.clone(),
            imports_before,
            exports_before,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.scratch.path().join(name)
    }
}

/// A piece of work to kill: which laptop it runs on, as whom, the command, the crash point just
/// before its transaction commits (killed before it, the work must not have happened) and the one
/// just after (killed after it, it must have), and how to tell from the vault whether it happened.
struct Work {
    name: &'static str,
    laptop: &'static str,
    user: &'static str,
    args: Vec<String>,
    before_commit: &'static str,
    after_commit: &'static str,
    /// Whether the work took effect; panics if it did in part.
    happened: fn(&Laptops, &Path, &Path) -> bool,
}

fn works(laptops: &Laptops) -> Vec<Work> {
    let path = |name: &str| laptops.path(name).display().to_string();
    vec![
        Work {
            name: "bundle import",
            laptop: "joined",
            user: "Arta",
            args: vec!["bundle".into(), "import".into(), path("bundle.age")],
            before_commit: "import-applied",
            after_commit: "import-committed",
            happened: |laptops, vault, _| {
                let session = unlock(vault, "Arta", PASSPHRASE);
                let cases = session.list_cases(&CaseQuery::default()).unwrap();
                let imports = count(&session, Action::Import) - laptops.imports_before;
                match (cases.total, cases.more_than_total, imports) {
                    (0, false, 0) => false,
                    (CASES, false, 1) => true,
                    other => panic!("a partial import: {other:?}"),
                }
            },
        },
        Work {
            name: "bundle export",
            laptop: "first",
            user: "Sofija",
            // The file's name is given per run (the last argument), inside the run's folder.
            args: vec![
                "bundle".into(),
                "export".into(),
                "--full".into(),
                "--out".into(),
            ],
            before_commit: "export-delivered",
            after_commit: "export-committed",
            happened: |laptops, vault, out| {
                let session = unlock(vault, "Mirela", PASSPHRASE);
                let recorded = match count(&session, Action::Export) - laptops.exports_before {
                    0 => false,
                    1 => true,
                    more => panic!("{more} exports recorded for one"),
                };
                drop(session);
                // A file under the bundle's name is whole: the other laptop opens it.
                if out.exists() {
                    let scratch = tempfile::tempdir().unwrap();
                    let joined = scratch.path().join("joined");
                    copy_vault(&laptops.path("joined"), &joined);
                    let reader = unlock(&joined, "Arta", PASSPHRASE);
                    let manifest = reader
                        .inspect_bundle(&std::fs::read(out).unwrap())
                        .unwrap_or_else(|error| panic!("a cut-short bundle was left: {error}"));
                    assert!(!manifest.ranges.is_empty(), "a full bundle carries changes");
                } else {
                    assert!(!recorded, "an export recorded as sent, with no file");
                }
                recorded
            },
        },
        Work {
            name: "case save",
            laptop: "first",
            user: "Sofija",
            args: vec![
                "case".into(),
                "update".into(),
                laptops.case.clone(),
                "--json".into(),
                path("edit.json"),
            ],
            before_commit: "records-written",
            after_commit: "records-committed",
            happened: |laptops, vault, _| {
                let session = unlock(vault, "Sofija", PASSPHRASE);
                let case = session
                    .open_case(RecordId::parse(&laptops.case).unwrap())
                    .unwrap();
                let fields = &case.case.fields;
                let changed = [
                    // Names and an address no generated case has.
                    fields.given_name.as_deref() == Some("Lirijeqq"),
                    fields.family_name.as_deref() == Some("Berishaqq"),
                    fields.address.as_deref() == Some("Rruga e Portit 7, Durrës"),
                ];
                let updates = count(&session, Action::UpdateCase);
                match (changed, updates) {
                    ([false, false, false], 0) => false,
                    ([true, true, true], 1) => true,
                    other => panic!("a partial case save: {other:?}"),
                }
            },
        },
        Work {
            name: "account change",
            laptop: "first",
            user: "Mirela",
            args: vec![
                "user".into(),
                "passwd".into(),
                "Sofija".into(),
                "--new-passphrase-file".into(),
                path("new.pass"),
            ],
            before_commit: "key-slots-staged",
            after_commit: "key-slots-committed",
            happened: |_, vault, _| {
                // The administrator's unlock first: it finishes a change that committed.
                let session = unlock(vault, "Mirela", PASSPHRASE);
                let resets = count(&session, Action::ResetPassphrase);
                drop(session);
                let opens =
                    |secret: &str| access::unlock(vault, "Sofija", &passphrase(secret)).is_ok();
                match (opens(PASSPHRASE), opens(NEW_PASSPHRASE), resets) {
                    (true, false, 0) => false,
                    (false, true, 1) => true,
                    other => panic!("a partial passphrase reset: {other:?}"),
                }
            },
        },
    ]
}

fn command(laptops: &Laptops, work: &Work, vault: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hearth"));
    command
        .arg("--vault")
        .arg(vault)
        .args(["--user", work.user, "--passphrase-file"])
        .arg(laptops.path("pass"))
        .args(&work.args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if work.name == "bundle export" {
        command.arg(out);
    }
    command
}

#[test]
fn work_killed_at_any_moment_happened_wholly_or_not_at_all() {
    let laptops = Laptops::new();
    let kills: u32 = std::env::var("HEARTH_SOAK_KILLS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(10);
    for work in works(&laptops) {
        let pristine = laptops.path(work.laptop);
        // How long the work takes from the unlock's commit to its own, on a copy: the kills are
        // spread over that (see `KillMoments`).
        let timing = laptops.path("timing");
        copy_vault(&pristine, &timing);
        let mut child = command(&laptops, &work, &timing, &laptops.path("timing.age"))
            .env("HEARTH_KILL_AFTER", "no such point:0")
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let (mut started, mut committed) = (None, None);
        let committed_line = format!("passed {}\n", work.after_commit);
        while stderr.read_line(&mut line).unwrap() > 0 {
            if line == "passed unlocked\n" {
                started = Some(Instant::now());
            } else if line == committed_line {
                committed = Some(Instant::now());
            }
            line.clear();
        }
        assert!(
            child.wait().unwrap().success(),
            "{}: the work failed",
            work.name
        );
        let (Some(started), Some(committed)) = (started, committed) else {
            panic!("{}: the unlock or the commit was not reached", work.name);
        };
        let span = u64::try_from((committed - started).as_micros()).unwrap();
        std::fs::remove_dir_all(&timing).unwrap();
        let _ = std::fs::remove_file(laptops.path("timing.age"));

        let mut landed = BTreeMap::<String, u32>::new();
        let mut moments = KillMoments::over(span, kills);
        for attempt in 0..kills {
            let run = laptops.path(&format!("attempt-{attempt}"));
            std::fs::create_dir(&run).unwrap();
            let vault = run.join("vault");
            let out = run.join("bundle.age");
            copy_vault(&pristine, &vault);
            let micros = moments.next().unwrap();
            let output = command(&laptops, &work, &vault, &out)
                .env("HEARTH_KILL_AFTER", format!("unlocked:{micros}"))
                .output()
                .unwrap();
            let killed = std::os::unix::process::ExitStatusExt::signal(&output.status) == Some(9);
            let stderr = String::from_utf8_lossy(&output.stderr);
            let passed: Vec<&str> = stderr
                .lines()
                .filter_map(|line| line.strip_prefix("passed "))
                .collect();
            let phase = match (killed, passed.last()) {
                (false, _) => {
                    assert!(output.status.success(), "{}: {stderr}", work.name);
                    "finished".to_owned()
                }
                (true, Some(last)) => format!("after {last}"),
                (true, None) => "before the unlock committed".to_owned(),
            };
            let what = format!("{} attempt {attempt} ({micros} µs, {phase})", work.name);

            // Whole, whatever happened.
            let admin = if work.laptop == "joined" {
                "Arta"
            } else {
                "Mirela"
            };
            let session = unlock(&vault, admin, PASSPHRASE);
            let report_ = session.start_integrity_check().unwrap().wait().unwrap();
            assert!(
                report_.problems.is_empty(),
                "{what}: {:?}",
                report_.problems
            );
            let verification = session.verify_audit(None).unwrap();
            assert!(verification.intact, "{what}: {verification:?}");
            drop(session);
            let happened = (work.happened)(&laptops, &vault, &out);
            if passed.contains(&work.after_commit) || !killed {
                assert!(happened, "{what}: committed, yet it did not happen");
            }
            if !passed.contains(&work.before_commit) {
                assert!(
                    !happened,
                    "{what}: killed before its commit, yet it happened"
                );
            }
            if !killed || passed.contains(&work.after_commit) {
                moments.landed_late(micros);
            }
            *landed.entry(phase).or_default() += 1;
            std::fs::remove_dir_all(&run).unwrap();
        }
        let inside: u32 = landed
            .iter()
            .filter(|(phase, _)| {
                phase.starts_with("after ")
                    && !phase.ends_with(work.after_commit)
                    && !phase.ends_with("-in-place")
            })
            .map(|(_, n)| n)
            .sum();
        report(&format!(
            "{}: {kills} kills over 1.2 x {span} µs from the unlock to the commit: {landed:?}",
            work.name
        ));
        // Whatever this machine's speed, most kills must land inside the work.
        assert!(
            inside * 2 >= kills,
            "{}: only {inside} of {kills} kills landed inside the work: {landed:?}",
            work.name
        );
    }
}
