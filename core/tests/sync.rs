//! Sync through hearth-core's public API: three laptops of one organisation (the second and third
//! joined by request, approval and enrollment) edit cases and exchange bundles in random orders,
//! with duplicates, gaps and full re-sends, and end identical. Damaged bundles, strangers, revoked
//! laptops and replays are refused or change nothing.
#![allow(clippy::unwrap_used)]

use hearth_core::access::{self, Role, Session};
use hearth_core::audit::{Action, AuditQuery, Outcome};
use hearth_core::crypto::Passphrase;
use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::{CaseQuery, Conflict, RecordId, RecordKind, Resolution};
use hearth_core::sync::SyncError;
use serde_json::{json, Value};

#[path = "support/organisation.rs"]
mod organisation;
use organisation::{
    export, new_vault, object, office_reads, organisation, sharing_consent, supervisor, PASSPHRASE,
};

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
    let mut supervisors: Vec<Session> = laptops.iter().map(|l| supervisor(&l.folder)).collect();
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
    // Every family name written (each one unique), and those that their editor's laptop held
    // when it wrote over them: those are replaced knowingly; every other must survive.
    let mut names_written: Vec<(String, String)> = Vec::new();
    let mut names_replaced: std::collections::BTreeSet<(String, String)> = Default::default();
    while cases_made < minimum_cases {
        // Someone edits: new cases, and changes to cases this laptop holds.
        let editor = next(3);
        // With consent to share: a case without it does not leave whole (tested below).
        let drafts: Vec<_> = (0..1 + next(30))
            .map(|_| {
                let mut draft = generator.case(&[], false);
                draft
                    .children
                    .push((RecordKind::Consent, sharing_consent("Given")));
                draft
            })
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
            let id = RecordId::parse(&case.id).unwrap();
            let level = ["Low", "Medium", "High"][next(3)];
            let name = format!("Edited{}", names_written.len());
            if let Some(old) = supervisors[editor]
                .case_file(id)
                .unwrap()
                .case
                .fields
                .family_name
            {
                names_replaced.insert((case.id.clone(), old));
            }
            supervisors[editor]
                .update_case(
                    id,
                    &object(json!({"risk_level": level, "family_name": name})),
                )
                .unwrap();
            names_written.push((case.id.clone(), name));
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
    let queue = conflict_queue(&supervisors[0]);
    for other in &supervisors[1..] {
        assert_eq!(state(other), reference);
        assert_eq!(conflict_queue(other), queue);
    }
    // No edit lost silently: each family name written is current, queued, or was replaced by
    // someone who had it in front of them.
    let queued: std::collections::BTreeSet<(String, String)> = queue
        .iter()
        .filter(|(_, field, _)| field == "family_name")
        .map(|(case, _, value)| (case.clone(), value.as_str().unwrap_or_default().to_owned()))
        .collect();
    assert!(!queued.is_empty(), "the exchange made no concurrent edits");
    for (case, name) in &names_written {
        let current = supervisors[0]
            .case_file(RecordId::parse(case).unwrap())
            .unwrap()
            .case
            .fields
            .family_name;
        let key = (case.clone(), name.clone());
        assert!(
            current.as_deref() == Some(name.as_str())
                || queued.contains(&key)
                || names_replaced.contains(&key),
            "the edit {name} of case {case} was lost"
        );
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
fn an_edit_that_arrives_before_its_cases_creation_waits_out_of_sight_until_it_does() {
    let laptops = organisation();
    let mut sessions: Vec<Session> = laptops.iter().map(|l| supervisor(&l.folder)).collect();
    let mut draft = DemoGenerator::new(7).case(&[], false);
    draft
        .children
        .push((RecordKind::Consent, sharing_consent("Given")));
    let created = sessions[0].create_cases(&[draft]).unwrap();
    let id = RecordId::parse(&created[0].id).unwrap();
    // The creation goes to the second laptop only; there someone edits the case, and that
    // laptop's next bundle (new since its last, which went back to the first) reaches the third.
    let (creation, _) = export(&sessions[0], false);
    sessions[1].import_bundle(&creation).unwrap();
    let (to_first, _) = export(&sessions[1], false);
    sessions[0].import_bundle(&to_first).unwrap();
    sessions[1]
        .update_case(
            id,
            &object(json!({"risk_level": "High", "family_name": "Zephyrine"})),
        )
        .unwrap();
    let (edit_only, _) = export(&sessions[1], false);
    let summary = sessions[2].import_bundle(&edit_only).unwrap();
    assert!(summary.applied > 0, "the edit did not arrive: {summary:?}");
    assert!(
        state(&sessions[2]).is_empty(),
        "a case known only from a later edit is listed"
    );
    let by_name = CaseQuery {
        text: Some("Zephyrine".into()),
        ..CaseQuery::default()
    };
    assert!(sessions[2].list_cases(&by_name).unwrap().cases.is_empty());
    assert!(
        sessions[2].case_file(id).is_err(),
        "a case without its creation opens"
    );
    // Its creation arrives: the case is whole, with the edit.
    sessions[2].import_bundle(&creation).unwrap();
    assert_eq!(state(&sessions[2]), state(&sessions[1]));
    let file = sessions[2].case_file(id).unwrap();
    assert_eq!(file.case.fields.risk_level.as_deref(), Some("High"));
    assert_eq!(sessions[2].list_cases(&by_name).unwrap().cases.len(), 1);
}

#[test]
fn the_office_recipient_is_shown_with_the_fingerprint_standard_tools_compute() {
    let laptops = organisation();
    assert_eq!(laptops[0].admin.sync_status().unwrap().office, None);
    let office = age::x25519::Identity::generate().to_public().to_string();
    assert!(matches!(
        laptops[0].admin.set_office("age1notarecipient"),
        Err(SyncError::BadRecipient)
    ));
    let set = laptops[0]
        .admin
        .set_office(&format!("  {office}\n"))
        .unwrap();
    assert_eq!(set.recipient, office);
    // What the office computes from its own key: `printf %s age1... | sha256sum`.
    let mut sha256sum = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut sha256sum.stdin.take().unwrap(), office.as_bytes()).unwrap();
    let digest = String::from_utf8(sha256sum.wait_with_output().unwrap().stdout).unwrap();
    let groups: Vec<&str> = set.fingerprint.split('-').collect();
    assert_eq!(groups.len(), 5, "{}", set.fingerprint);
    assert_eq!(groups.concat(), digest[..20]);
    assert_eq!(laptops[0].admin.sync_status().unwrap().office, Some(set));
}

#[test]
fn without_consent_to_share_a_case_leaves_without_what_identifies_the_person() {
    let laptops = organisation();
    let office = age::x25519::Identity::generate();
    laptops[0]
        .admin
        .set_office(&office.to_public().to_string())
        .unwrap();
    let mut tirana = supervisor(&laptops[0].folder);
    let mut shkoder = supervisor(&laptops[1].folder);
    let case = tirana
        .create_case(&object(json!({
            "given_name": "Drita",
            "family_name": "Canarykova",
            "phone": "+355 69 000 0000",
            "birth_date": "2001-04-02",
            "gender": "Feminine",
            "trafficking_status": "PossibleVictimOfTrafficking",
            "date_identified": "2026-01-15",
        })))
        .unwrap();
    let id = RecordId::parse(&case.id).unwrap();
    tirana
        .add_record(RecordKind::Consent, id, &sharing_consent("Refused"))
        .unwrap();
    tirana
        .add_record(
            RecordKind::Note,
            id,
            &object(json!({"text": "Canarykova fears her cousin in Durres"})),
        )
        .unwrap();
    let (bundle, summary) = export(&tirana, false);
    assert_eq!(summary.withheld_cases, 1);
    shkoder.import_bundle(&bundle).unwrap();
    let there = shkoder.case_file(id).unwrap();
    assert_eq!(there.case.fields.given_name, None);
    assert_eq!(there.case.fields.family_name, None);
    assert_eq!(there.case.fields.phone, None);
    assert_eq!(there.case.fields.birth_date, None);
    assert_eq!(there.case.fields.gender.as_deref(), Some("Feminine"));
    assert_eq!(
        there.case.fields.case_number.as_deref(),
        Some(case.number.as_str())
    );
    assert_eq!(there.notes.len(), 1);
    assert_eq!(there.notes[0].fields.text, None);
    assert_eq!(
        there.current_consents.len(),
        1,
        "the refusal itself travels"
    );
    // The office, too, receives only what consent allows: no identifying value is in the file.
    let inside = office_reads(&office, &bundle);
    assert!(
        inside.windows(8).any(|w| w == b"Feminine"),
        "the body was read"
    );
    for secret in ["Drita", "Canarykova", "+355 69", "2001-04-02"] {
        assert!(
            !inside.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} left the laptop"
        );
    }

    // The person consents later: the next full bundle fills in what was withheld.
    tirana
        .add_record(RecordKind::Consent, id, &sharing_consent("Given"))
        .unwrap();
    let (bundle, summary) = export(&tirana, true);
    assert_eq!(summary.withheld_cases, 0);
    shkoder.import_bundle(&bundle).unwrap();
    let there = shkoder.case_file(id).unwrap();
    assert_eq!(there.case.fields.given_name.as_deref(), Some("Drita"));
    // The list and search know the name too (the case's tables were brought up to date).
    let found = shkoder
        .list_cases(&CaseQuery {
            text: Some("drita".into()),
            ..CaseQuery::default()
        })
        .unwrap();
    assert_eq!(found.cases.len(), 1);
    assert_eq!(
        there.notes[0].fields.text.as_deref(),
        Some("Canarykova fears her cousin in Durres")
    );
    assert_eq!(state(&shkoder), state(&tirana));
}

/// The queue as comparable rows: record, field and the queued value (ids are local).
fn conflict_queue(session: &Session) -> Vec<(String, String, Value)> {
    let mut queue: Vec<_> = session
        .conflicts()
        .unwrap()
        .into_iter()
        .map(|c: Conflict| (c.record_id, c.field, c.queued.value))
        .collect();
    queue.sort_by_key(|row| format!("{row:?}"));
    queue
}

/// Sends everything `from` holds to `to`.
fn send(from: &Session, to: &mut Session) {
    let (bundle, _) = export(from, true);
    to.import_bundle(&bundle).unwrap();
}

#[test]
fn concurrent_edits_queue_the_loser_until_a_supervisor_resolves_it_everywhere() {
    let mut laptops = organisation();
    let mut tirana = supervisor(&laptops[0].folder);
    let mut shkoder = supervisor(&laptops[1].folder);
    let case = tirana
        .create_case(&object(json!({
            "given_name": "Arta",
            "trafficking_status": "PossibleVictimOfTrafficking",
            "date_identified": "2026-01-15",
            "risk_level": "Low",
        })))
        .unwrap();
    let id = RecordId::parse(&case.id).unwrap();
    tirana
        .add_record(RecordKind::Consent, id, &sharing_consent("Given"))
        .unwrap();
    send(&tirana, &mut shkoder);

    // Edits in sequence are not conflicts: Shkoder saw Tirana's value and replaced it.
    shkoder
        .update_case(id, &object(json!({"risk_level": "Medium"})))
        .unwrap();
    send(&shkoder, &mut tirana);
    assert!(tirana.conflicts().unwrap().is_empty());

    // Both change the risk level and the phone before either sees the other's edit.
    tirana
        .update_case(
            id,
            &object(json!({"risk_level": "High", "phone": "+355 1"})),
        )
        .unwrap();
    shkoder
        .update_case(id, &object(json!({"risk_level": "Low", "phone": "+355 2"})))
        .unwrap();
    send(&tirana, &mut shkoder);
    send(&shkoder, &mut tirana);
    let queue = conflict_queue(&tirana);
    assert_eq!(queue, conflict_queue(&shkoder));
    assert_eq!(queue.len(), 2, "{queue:?}");
    let at_tirana = tirana.conflicts().unwrap();
    let risk = at_tirana.iter().find(|c| c.field == "risk_level").unwrap();
    let current = risk.current.value.clone();
    let queued = risk.queued.value.clone();
    assert_ne!(current, queued);
    assert_eq!(risk.case_number.as_deref(), Some(case.number.as_str()));
    assert!(risk.queued.device_name.is_some());

    // A caseworker does not see the queue; the refusal is audited.
    laptops[0]
        .admin
        .add_account(
            "Besa",
            Role::Caseworker,
            &Passphrase::new(PASSPHRASE.into()),
        )
        .unwrap();
    let besa = access::unlock(
        laptops[0].folder.path(),
        "Besa",
        &Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    assert!(besa.conflicts().is_err());
    drop(besa);

    // Tirana takes the queued risk level and keeps its phone; an unknown id changes nothing.
    let phone = at_tirana.iter().find(|c| c.field == "phone").unwrap();
    assert!(matches!(
        tirana.resolve_conflict(9_999, Resolution::KeepCurrent),
        Err(hearth_core::records::RecordError::NoSuchConflict)
    ));
    tirana
        .resolve_conflict(risk.id, Resolution::TakeQueued)
        .unwrap();
    tirana
        .resolve_conflict(phone.id, Resolution::KeepCurrent)
        .unwrap();
    assert!(tirana.conflicts().unwrap().is_empty());
    let fields = tirana.case_file(id).unwrap().case.fields;
    assert_eq!(Some(json!(fields.risk_level)), Some(queued.clone()));

    // The resolution travels: Shkoder's queue empties and the case agrees.
    send(&tirana, &mut shkoder);
    assert!(shkoder.conflicts().unwrap().is_empty());
    assert_eq!(state(&shkoder), state(&tirana));
    let resolved = tirana
        .audit_entries(&AuditQuery {
            action: Some(Action::ResolveConflict),
            ..AuditQuery::default()
        })
        .unwrap();
    let outcomes: Vec<Outcome> = resolved.entries.iter().map(|e| e.outcome).collect();
    // Two resolutions, and Besa's refused look at the queue.
    assert_eq!(resolved.total, 3, "{outcomes:?}");
    assert_eq!(
        outcomes.iter().filter(|o| **o == Outcome::Denied).count(),
        1
    );

    // A resolution with an invalid value is refused and the conflict stays.
    shkoder
        .update_case(id, &object(json!({"risk_level": "Medium"})))
        .unwrap();
    assert_eq!(json!(fields.risk_level), json!("High"), "taken above");
    tirana
        .update_case(id, &object(json!({"risk_level": "Low"})))
        .unwrap();
    send(&tirana, &mut shkoder);
    let conflict = shkoder.conflicts().unwrap().pop().unwrap();
    assert!(shkoder
        .resolve_conflict(conflict.id, Resolution::Set(json!("Extreme")))
        .is_err());
    assert_eq!(shkoder.conflicts().unwrap().len(), 1);
    shkoder
        .resolve_conflict(conflict.id, Resolution::Set(json!("Medium")))
        .unwrap();
    assert!(shkoder.conflicts().unwrap().is_empty());
}

#[test]
fn a_merge_reaches_the_other_laptops_and_refuses_their_later_edits_of_the_merged_case() {
    let laptops = organisation();
    let mut tirana = supervisor(&laptops[0].folder);
    let mut shkoder = supervisor(&laptops[1].folder);
    let intake = json!({
        "given_name": "Arta",
        "family_name": "Krasniqi",
        "trafficking_status": "PossibleVictimOfTrafficking",
        "date_identified": "2026-01-15",
    });
    let mut ids = Vec::new();
    for _ in 0..2 {
        let case = tirana.create_case(&object(intake.clone())).unwrap();
        let id = RecordId::parse(&case.id).unwrap();
        tirana
            .add_record(RecordKind::Consent, id, &sharing_consent("Given"))
            .unwrap();
        ids.push(id);
    }
    send(&tirana, &mut shkoder);
    tirana.merge_cases(ids[0], ids[1]).unwrap();
    send(&tirana, &mut shkoder);
    let merged = shkoder.open_case(ids[1]).unwrap();
    assert_eq!(merged.case.fields.status.as_deref(), Some("Merged"));
    assert_eq!(merged.case.fields.merged_into, Some(ids[0].to_string()));
    assert!(!merged.allowed.edit);
    assert_eq!(
        shkoder.open_case(ids[0]).unwrap().case.fields.merged_from,
        Some(vec![ids[1].to_string()])
    );
    assert!(matches!(
        shkoder.update_case(ids[1], &object(json!({"risk_level": "High"}))),
        Err(hearth_core::records::RecordError::CaseMerged)
    ));
    assert!(shkoder.case_duplicates(ids[0]).unwrap().is_empty());
}

/// Records what an import reported, and stops it at the first report when asked to.
#[derive(Default)]
struct Watcher {
    stop: bool,
    steps: std::cell::RefCell<Vec<(hearth_core::sync::ProgressStep, u64)>>,
    reports: std::cell::Cell<u32>,
}

impl hearth_core::sync::Progress for Watcher {
    fn step(&self, step: hearth_core::sync::ProgressStep, total: u64) {
        self.steps.borrow_mut().push((step, total));
    }

    fn advance(&self, _done: u64) -> bool {
        self.reports.set(self.reports.get() + 1);
        !self.stop
    }
}

#[test]
fn an_import_reports_its_steps_and_a_cancelled_one_changes_nothing() {
    use hearth_core::sync::ProgressStep;
    let laptops = organisation();
    let mut tirana = supervisor(&laptops[0].folder);
    let mut shkoder = supervisor(&laptops[1].folder);
    let mut generator = DemoGenerator::new(7);
    let drafts: Vec<_> = (0..30).map(|_| generator.case(&[], false)).collect();
    tirana.create_cases(&drafts).unwrap();
    let (bundle, summary) = export(&tirana, true);
    let before = state(&shkoder);

    let stopping = Watcher {
        stop: true,
        ..Watcher::default()
    };
    assert!(matches!(
        shkoder.import_bundle_watched(&bundle, &stopping),
        Err(SyncError::Cancelled)
    ));
    assert_eq!(
        state(&shkoder),
        before,
        "a cancelled import changed something"
    );
    assert_eq!(stopping.reports.get(), 1, "it stopped at the first report");

    let watching = Watcher::default();
    let imported = shkoder.import_bundle_watched(&bundle, &watching).unwrap();
    assert_eq!(imported.applied, summary.changes);
    let steps = watching.steps.borrow();
    assert_eq!(steps[0], (ProgressStep::Checking, 0));
    assert_eq!(steps[1], (ProgressStep::Applying, summary.changes));
    assert!(watching.reports.get() >= 1);
    assert_ne!(state(&shkoder), before);
}

/// An export written to a file as it is made: cancelled, it leaves no file (not even its
/// temporary one) and counts nothing as sent; finished, the file is whole under its name.
#[test]
fn a_cancelled_export_leaves_no_file_and_sends_nothing() {
    use hearth_core::files::StagedFile;
    use hearth_core::sync::ProgressStep;
    let laptops = organisation();
    let mut tirana = supervisor(&laptops[0].folder);
    let mut shkoder = supervisor(&laptops[1].folder);
    let mut generator = DemoGenerator::new(7);
    let drafts: Vec<_> = (0..30).map(|_| generator.case(&[], false)).collect();
    tirana.create_cases(&drafts).unwrap();
    let stick = tempfile::tempdir().unwrap();
    let out = stick.path().join("sync-1.age");

    let stopping = Watcher {
        stop: true,
        ..Watcher::default()
    };
    let cancelled = tirana.export_bundle_watched(
        None,
        false,
        StagedFile::create(&out).unwrap(),
        StagedFile::put_in_place_new,
        &stopping,
    );
    assert!(
        matches!(cancelled, Err(SyncError::Cancelled)),
        "{cancelled:?}"
    );
    assert_eq!(
        std::fs::read_dir(stick.path()).unwrap().count(),
        0,
        "a cancelled export left a file"
    );

    let watching = Watcher::default();
    let summary = tirana
        .export_bundle_watched(
            None,
            false,
            StagedFile::create(&out).unwrap(),
            StagedFile::put_in_place_new,
            &watching,
        )
        .unwrap();
    assert!(
        summary.cases >= 30,
        "the cancelled export counted nothing as sent: {summary:?}"
    );
    assert_eq!(summary.bytes, std::fs::metadata(&out).unwrap().len());
    assert!(watching
        .steps
        .borrow()
        .contains(&(ProgressStep::Writing, summary.changes)));
    let imported = shkoder.import_bundle_file(&out, &watching).unwrap();
    assert_eq!(imported.applied, summary.changes);
}

#[test]
fn damaged_or_foreign_bundles_are_refused_and_change_nothing() {
    let laptops = organisation();
    let mut tirana = supervisor(&laptops[0].folder);
    let mut shkoder = supervisor(&laptops[1].folder);
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

    // A preview tells what the import will do, and does none of it.
    let preview = shkoder.preview_import(&bundle).unwrap();
    assert_eq!(counts(&shkoder), before, "a preview changed the vault");
    // The real bundle applies as previewed; again, nothing new.
    let first = shkoder.import_bundle(&bundle).unwrap();
    assert_eq!(first, preview);
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
    let vlore = supervisor(&laptops[2].folder);
    let checkpoint = vlore.audit_checkpoint().unwrap();
    let (bundle, _) = export(&vlore, false);
    let mut tirana = supervisor(&laptops[0].folder);
    tirana.import_bundle(&bundle).unwrap();
    let verification = tirana.verify_audit(Some(&checkpoint.text)).unwrap();
    assert!(verification.intact, "{:?}", verification.problem);
    // A checkpoint from later than what Tirana holds: Tirana's copy is shorter than it vouches.
    drop(vlore);
    let later = supervisor(&laptops[2].folder).audit_checkpoint().unwrap();
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
    let mut tirana = supervisor(&laptops[0].folder);
    let vlore = supervisor(&laptops[2].folder);
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
    let mut shkoder = supervisor(&laptops[1].folder);
    let (news, _) = export(&tirana, false);
    shkoder.import_bundle(&news).unwrap();
    assert!(shkoder.import_bundle(&bundle).is_err());
}

/// The three laptops: Shkodër takes Vlorë's changes before it hears that Tirana revoked
/// Vlorë. Tirana still takes Shkodër's own edits and audit entries, leaves Vlorë's out, and once
/// Shkodër hears of the revocation both hold the same records.
#[test]
fn a_revocation_drops_the_revoked_laptops_later_changes_and_nothing_else() {
    let laptops = organisation();
    let mut tirana = supervisor(&laptops[0].folder);
    let mut shkoder = supervisor(&laptops[1].folder);
    let mut vlore = supervisor(&laptops[2].folder);
    let case = |session: &mut Session, name: &str| {
        let created = session
            .create_case(&object(json!({
                "given_name": name,
                "trafficking_status": "PossibleVictimOfTrafficking",
                "date_identified": "2026-03-02",
            })))
            .unwrap();
        let id = RecordId::parse(&created.id).unwrap();
        session
            .add_record(RecordKind::Consent, id, &sharing_consent("Given"))
            .unwrap();
    };
    case(&mut vlore, "Written on the lost laptop");
    send(&vlore, &mut shkoder);
    let vlore_device = vlore.device_identity().unwrap().device;
    let shkoder_device = shkoder.device_identity().unwrap().device;
    laptops[0].admin.revoke_device(&vlore_device).unwrap();

    case(&mut shkoder, "Written in Shkoder");
    let (bundle, _) = export(&shkoder, true);
    let summary = tirana.import_bundle(&bundle).unwrap();
    assert!(summary.dropped_from_revoked >= 2, "{summary:?}");
    assert!(
        summary.applied >= 2,
        "Shkodër's own changes apply: {summary:?}"
    );
    let names = |session: &Session| -> Vec<String> {
        let mut names: Vec<String> = session
            .list_cases(&CaseQuery::default())
            .unwrap()
            .cases
            .into_iter()
            .filter_map(|c| c.given_name)
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&tirana), ["Written in Shkoder"]);
    let from_shkoder = tirana
        .audit_entries(&AuditQuery {
            page_size: 500,
            ..AuditQuery::default()
        })
        .unwrap()
        .entries
        .into_iter()
        .filter(|entry| entry.device == shkoder_device)
        .count();
    assert!(from_shkoder > 0, "Tirana holds Shkodër's audit entries");
    let import = tirana
        .audit_entries(&AuditQuery {
            action: Some(Action::Import),
            ..AuditQuery::default()
        })
        .unwrap();
    let reason = import.entries[0].reason.clone().unwrap_or_default();
    assert!(
        reason.contains(" changes of revoked laptops left out"),
        "{reason}"
    );

    // Shkodër hears of the revocation: what it held of Vlorë past the point goes too.
    assert_eq!(names(&shkoder).len(), 2);
    let (news, _) = export(&tirana, false);
    let heard = shkoder.import_bundle(&news).unwrap();
    assert!(heard.dropped_from_revoked >= 2, "{heard:?}");
    assert_eq!(names(&shkoder), ["Written in Shkoder"]);
    assert_eq!(state(&shkoder), state(&tirana));
    // And a later bundle from Shkodër is not refused, nor does it bring Vlorë's changes back.
    let (again, _) = export(&shkoder, true);
    assert_eq!(
        tirana.import_bundle(&again).unwrap().dropped_from_revoked,
        0
    );
    assert_eq!(state(&shkoder), state(&tirana));
}
