//! Sync through hearth-core's public API: three laptops of one organisation (the second and third
//! joined by request, approval and enrollment) edit cases and exchange bundles in random orders,
//! with duplicates, gaps and full re-sends, and end identical. Damaged bundles, strangers, revoked
//! laptops and replays are refused or change nothing.
#![allow(clippy::unwrap_used)]

use hearth_core::access::{self, KdfChoice, NewVault, Role, Session};
use hearth_core::audit::{Action, AuditQuery, Outcome};
use hearth_core::crypto::{KdfParams, Passphrase};
use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::{CaseQuery, RecordId};
use hearth_core::sync::SyncError;
use serde_json::{json, Map, Value};

const PASSPHRASE: &str = "violet kettle orbit pasture";

struct Laptop {
    _folder: tempfile::TempDir,
    admin: Session,
}

fn new_vault(organisation: &str, site: &str) -> (tempfile::TempDir, Session) {
    let folder = tempfile::tempdir().unwrap();
    let (mut admin, _recovery) = access::create_vault(
        folder.path(),
        NewVault {
            organisation,
            site,
            admin_name: "Admin",
            admin_passphrase: &Passphrase::new(PASSPHRASE.into()),
            kdf: KdfChoice::Fixed(KdfParams::FLOOR),
        },
    )
    .unwrap();
    admin
        .add_account(
            "Sofija",
            Role::Supervisor,
            &Passphrase::new(PASSPHRASE.into()),
        )
        .unwrap();
    (folder, admin)
}

/// Exports a bundle into memory.
fn export(session: &Session, full: bool) -> (Vec<u8>, hearth_core::sync::ExportSummary) {
    let mut bytes = Vec::new();
    let summary = session
        .export_bundle(None, full, |sealed| {
            bytes = sealed.to_vec();
            Ok(())
        })
        .unwrap();
    (bytes, summary)
}

fn supervisor(folder: &tempfile::TempDir) -> Session {
    access::unlock(folder.path(), "Sofija", &Passphrase::new(PASSPHRASE.into())).unwrap()
}

/// The organisation's first laptop and two that joined it.
fn organisation() -> Vec<Laptop> {
    let (first_folder, first) = new_vault("Harbour Network", "Tirana");
    let mut laptops = vec![Laptop {
        _folder: first_folder,
        admin: first,
    }];
    for site in ["Shkoder", "Vlore"] {
        let (folder, mut joining) = new_vault("Hearth", site);
        let request = joining.join_request().unwrap();
        let enrollment = laptops[0].admin.approve_device(&request).unwrap();
        let fingerprint = laptops[0].admin.device_identity().unwrap().fingerprint;
        joining.enroll(&enrollment, &fingerprint).unwrap();
        laptops.push(Laptop {
            _folder: folder,
            admin: joining,
        });
    }
    // The first laptop's roster now has all three; the others learn of each other through it.
    for index in 1..laptops.len() {
        let (bundle, _) = export(&laptops[0].admin, true);
        laptops[index].admin.import_bundle(&bundle).unwrap();
    }
    laptops
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// Every case as the supervisor sees it: its number and every field, sorted by number.
fn state(session: &Session) -> Vec<(String, String)> {
    let mut all = Vec::new();
    let mut page = 0;
    loop {
        let found = session
            .list_cases(&CaseQuery {
                page,
                page_size: 200,
                sort: hearth_core::records::CaseSort::Number,
                ..CaseQuery::default()
            })
            .unwrap();
        let last = found.cases.len() < 200;
        for case in found.cases {
            let file = session
                .case_file(RecordId::parse(&case.id).unwrap())
                .unwrap();
            all.push((
                case.number,
                serde_json::to_string(&file.case.fields).unwrap(),
            ));
        }
        if last {
            break;
        }
        page += 1;
    }
    all
}

#[test]
fn three_laptops_exchanging_in_any_order_end_identical() {
    // HEARTH_SYNC_CASES=20000 cargo test -p hearth-core --test sync runs a longer exchange.
    let minimum_cases: usize = std::env::var("HEARTH_SYNC_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000);
    let laptops = organisation();
    let mut supervisors: Vec<Session> = laptops.iter().map(|l| supervisor(&l._folder)).collect();
    let mut generator = DemoGenerator::new(99);
    let mut random = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: usize| {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        usize::try_from(random % n as u64).unwrap()
    };
    let mut in_flight: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut cases_made = 0;
    while cases_made < minimum_cases {
        // Someone edits: new cases, and changes to cases this laptop holds.
        let editor = next(3);
        let drafts: Vec<_> = (0..1 + next(30))
            .map(|_| generator.case(&[], false))
            .collect();
        cases_made += supervisors[editor].create_cases(&drafts).unwrap().len();
        let known = supervisors[editor]
            .list_cases(&CaseQuery {
                page_size: 200,
                ..CaseQuery::default()
            })
            .unwrap()
            .cases;
        for _ in 0..next(5) {
            let case = &known[next(known.len())];
            let level = ["Low", "Medium", "High"][next(3)];
            supervisors[editor]
                .update_case(
                    RecordId::parse(&case.id).unwrap(),
                    &object(json!({"risk_level": level, "family_name": format!("Edited{}", next(1000))})),
                )
                .unwrap();
        }
        // Someone exports (new since last time, or everything) for a random laptop; bundles
        // arrive later, in any order, some twice.
        let from = next(3);
        let full = next(4) == 0;
        let (bundle, _) = export(&supervisors[from], full);
        let to = (from + 1 + next(2)) % 3;
        in_flight.push((to, bundle));
        while !in_flight.is_empty() && next(3) > 0 {
            let (to, bundle) = in_flight.swap_remove(next(in_flight.len()));
            supervisors[to].import_bundle(&bundle).unwrap();
            if next(5) == 0 {
                let replay = supervisors[to].import_bundle(&bundle).unwrap();
                assert_eq!(replay.applied, 0, "a replayed bundle changed something");
            }
        }
    }
    for (to, bundle) in in_flight.drain(..) {
        supervisors[to].import_bundle(&bundle).unwrap();
    }
    // Everyone sends everything to everyone: all must agree.
    for from in 0..3 {
        let (bundle, _) = export(&supervisors[from], true);
        for (to, session) in supervisors.iter_mut().enumerate() {
            if to != from {
                session.import_bundle(&bundle).unwrap();
            }
        }
    }
    let reference = state(&supervisors[0]);
    assert_eq!(reference.len(), cases_made, "a case went missing");
    for other in &supervisors[1..] {
        assert_eq!(state(other), reference);
    }
    for session in &supervisors {
        let verification = session.verify_audit(None).unwrap();
        assert!(verification.intact, "{:?}", verification.problem);
        assert!(verification.devices >= 3, "audit entries travel too");
    }
    drop(supervisors);
    drop(laptops);
}

#[test]
fn damaged_or_foreign_bundles_are_refused_and_change_nothing() {
    let laptops = organisation();
    let mut tirana = supervisor(&laptops[0]._folder);
    let mut shkoder = supervisor(&laptops[1]._folder);
    let case = tirana
        .create_case(&object(json!({
            "given_name": "Arbër",
            "trafficking_status": "PossibleVictimOfTrafficking",
            "date_identified": "2026-01-15",
        })))
        .unwrap();
    let (bundle, summary) = export(&tirana, false);
    assert!(summary.changes >= 1 && summary.cases == 1);

    let counts = |session: &Session| {
        (
            state(session),
            session.audit_entries(&AuditQuery::default()).unwrap().total,
        )
    };
    let before = counts(&shkoder);
    // A sample of single-byte changes across the file (every byte is tried in the bundle
    // format's own unit test), and truncations.
    for index in (0..bundle.len()).step_by(bundle.len() / 40 + 1) {
        let mut altered = bundle.clone();
        altered[index] ^= 0x20;
        assert!(shkoder.import_bundle(&altered).is_err(), "byte {index}");
    }
    for length in [0, 10, bundle.len() / 2, bundle.len() - 1] {
        assert!(shkoder.import_bundle(&bundle[..length]).is_err());
    }
    assert_eq!(
        counts(&shkoder),
        before,
        "a refused bundle changed the vault"
    );

    // A laptop of another organisation cannot be read nor read ours.
    let (stranger_folder, mut stranger) = new_vault("Elsewhere", "Durres");
    assert!(matches!(
        stranger.import_bundle(&bundle),
        Err(SyncError::Bundle(
            hearth_core::sync::BundleError::NotAddressedToUs
        ))
    ));
    drop(stranger_folder);

    // The real bundle applies; again, nothing new.
    let first = shkoder.import_bundle(&bundle).unwrap();
    assert_eq!(first.cases, 1);
    let again = shkoder.import_bundle(&bundle).unwrap();
    assert_eq!((again.applied, again.already_present > 0), (0, true));
    assert!(shkoder
        .open_case(RecordId::parse(&case.id).unwrap())
        .is_ok());
}

/// A checkpoint made on one laptop verifies another laptop's copy of its chain, and catches that
/// copy being cut short.
#[test]
fn another_laptops_checkpoint_verifies_its_chain_here() {
    let laptops = organisation();
    let vlore = supervisor(&laptops[2]._folder);
    let checkpoint = vlore.audit_checkpoint().unwrap();
    let (bundle, _) = export(&vlore, false);
    let mut tirana = supervisor(&laptops[0]._folder);
    tirana.import_bundle(&bundle).unwrap();
    let verification = tirana.verify_audit(Some(&checkpoint.text)).unwrap();
    assert!(verification.intact, "{:?}", verification.problem);
    // A checkpoint from later than what Tirana holds: Tirana's copy is shorter than it vouches.
    drop(vlore);
    let later = supervisor(&laptops[2]._folder).audit_checkpoint().unwrap();
    let verification = tirana.verify_audit(Some(&later.text)).unwrap();
    assert_eq!(verification.problem.map(|p| p.kind), Some("cut".to_owned()));
}

#[test]
fn an_enrollment_needs_the_approvers_fingerprint() {
    let (_first_folder, first) = new_vault("Harbour Network", "Tirana");
    let (_other_folder, other) = new_vault("Someone Else", "Durres");
    let (_joining_folder, mut joining) = new_vault("Hearth", "Shkoder");
    let request = joining.join_request().unwrap();
    // A stranger who saw the request approves it with their own laptop.
    let forged = other.approve_device(&request).unwrap();
    let expected = first.device_identity().unwrap().fingerprint;
    assert!(joining.enroll(&forged, &expected).is_err());
    let genuine = first.approve_device(&request).unwrap();
    assert!(joining
        .enroll(&genuine, "0000-0000-0000-0000-0000")
        .is_err());
    joining.enroll(&genuine, &expected.to_uppercase()).unwrap();
    assert_eq!(joining.devices().unwrap().len(), 2);
}

#[test]
fn a_revoked_laptop_is_refused_and_the_refusal_audited() {
    let laptops = organisation();
    let mut tirana = supervisor(&laptops[0]._folder);
    let vlore = supervisor(&laptops[2]._folder);
    let (bundle, _) = export(&vlore, false);
    let vlore_device = vlore.device_identity().unwrap().device;
    laptops[0].admin.revoke_device(&vlore_device).unwrap();
    assert!(matches!(
        tirana.import_bundle(&bundle),
        Err(SyncError::Bundle(
            hearth_core::sync::BundleError::UnknownDevice(_)
        ))
    ));
    let failed = tirana
        .audit_entries(&AuditQuery {
            action: Some(Action::Import),
            outcome: Some(Outcome::Failed),
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(failed.entries.len(), 1);
    // The revocation travels: Shkodër learns it from Tirana's next bundle.
    let mut shkoder = supervisor(&laptops[1]._folder);
    let (news, _) = export(&tirana, false);
    shkoder.import_bundle(&news).unwrap();
    assert!(shkoder.import_bundle(&bundle).is_err());
}
