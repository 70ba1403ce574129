//! The audit log through hearth-core's public API: what gets recorded (and in the same
//! transaction as the action), refusals recorded as denied, no record values in entries or in the
//! CSV export, checkpoints, and who may read the log.
#![allow(clippy::unwrap_used)]

use hearth_core::access::{self, AccessError, KdfChoice, NewVault, Role, Session};
use hearth_core::audit::{Action, AuditEntry, AuditQuery, Outcome};
use hearth_core::crypto::{KdfParams, Passphrase};
use hearth_core::records::{RecordError, RecordId, RecordKind};
use serde_json::{json, Map, Value};

const PASSPHRASE: &str = "violet kettle orbit pasture";

fn shelter() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let (mut admin, _recovery_key) = access::create_vault(
        folder.path(),
        NewVault {
            organisation: "Safe Harbour",
            site: "Tirana",
            admin_name: "Mirela",
            admin_passphrase: &Passphrase::new(PASSPHRASE.into()),
            kdf: KdfChoice::Fixed(KdfParams::FLOOR),
        },
    )
    .unwrap();
    for (name, role) in [
        ("Sofija", Role::Supervisor),
        ("Ana", Role::Caseworker),
        ("Besa", Role::Caseworker),
    ] {
        admin
            .add_account(name, role, &Passphrase::new(PASSPHRASE.into()))
            .unwrap();
    }
    folder
}

fn session(folder: &tempfile::TempDir, name: &str) -> Session {
    access::unlock(folder.path(), name, &Passphrase::new(PASSPHRASE.into())).unwrap()
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn entries(supervisor: &Session, query: AuditQuery) -> Vec<AuditEntry> {
    supervisor
        .audit_entries(&AuditQuery {
            page_size: 500,
            ..query
        })
        .unwrap()
        .entries
}

fn new_case(caseworker: &mut Session, given_name: &str) -> RecordId {
    let created = caseworker
        .create_case(&object(json!({
            "given_name": given_name,
            "trafficking_status": "PossibleVictimOfTrafficking",
            "date_identified": "2026-01-15",
        })))
        .unwrap();
    RecordId::parse(&created.id).unwrap()
}

#[test]
fn actions_are_recorded_with_who_what_and_field_names() {
    let folder = shelter();
    let mut ana = session(&folder, "Ana");
    let case = new_case(&mut ana, "Arbër");
    ana.update_case(case, &object(json!({"risk_level": "High"})))
        .unwrap();
    ana.open_case(case).unwrap();
    ana.add_record(
        RecordKind::Note,
        case,
        &object(json!({"text": "Met today."})),
    )
    .unwrap();
    drop(ana);

    let sofija = session(&folder, "Sofija");
    let about_case = entries(
        &sofija,
        AuditQuery {
            case_id: Some(case.to_string()),
            ..AuditQuery::default()
        },
    );
    let actions: Vec<(Action, Vec<String>)> = about_case
        .iter()
        .rev()
        .map(|e| (e.action, e.fields.clone()))
        .collect();
    assert_eq!(actions[0].0, Action::CreateCase);
    assert!(actions[0].1.contains(&"given_name".to_owned()));
    assert_eq!(
        actions[1],
        (Action::UpdateCase, vec!["risk_level".to_owned()])
    );
    assert_eq!(actions[2], (Action::OpenCase, vec![]));
    assert_eq!(
        actions[3],
        (Action::AddRecord, vec!["note.text".to_owned()])
    );
    let opening = &about_case[1];
    assert_eq!(opening.account_name.as_deref(), Some("Ana"));
    assert_eq!(opening.role.as_deref(), Some("caseworker"));
    assert!(opening.case_number.as_deref().unwrap().starts_with("TIR-"));

    // Unlocks and locks are there too, and the log verifies.
    let everything = entries(&sofija, AuditQuery::default());
    let ana_sessions: Vec<Action> = everything
        .iter()
        .filter(|e| e.account_name.as_deref() == Some("Ana"))
        .map(|e| e.action)
        .filter(|a| matches!(a, Action::Unlock | Action::Lock))
        .collect();
    assert_eq!(ana_sessions, [Action::Lock, Action::Unlock]);
    let verification = sofija.verify_audit(None).unwrap();
    assert!(verification.intact, "{:?}", verification.problem);
}

#[test]
fn refusals_are_recorded_as_denied() {
    let folder = shelter();
    let mut ana = session(&folder, "Ana");
    let case = new_case(&mut ana, "Dragića");
    drop(ana);
    let mut besa = session(&folder, "Besa");
    assert!(matches!(besa.open_case(case), Err(RecordError::NotOnTeam)));
    assert!(matches!(
        besa.update_case(case, &object(json!({"risk_level": "Low"}))),
        Err(RecordError::NotOnTeam)
    ));
    assert!(matches!(besa.list_accounts(), Err(AccessError::Denied(_))));
    assert!(matches!(
        besa.audit_entries(&AuditQuery::default()),
        Err(AccessError::Denied(_))
    ));
    drop(besa);
    let mut ana = session(&folder, "Ana");
    let partner = session(&folder, "Sofija")
        .add_partner(&object(
            json!({"name": "Legal Aid", "type": "LegalService"}),
        ))
        .unwrap();
    assert!(matches!(
        ana.add_record(
            RecordKind::Referral,
            case,
            &object(
                json!({"direction": "Outgoing", "partner": partner.to_string(),
                           "date": "2026-02-01", "status": "InProgress"})
            )
        ),
        Err(RecordError::ConsentRequired)
    ));
    assert!(matches!(
        ana.close_case(case, "Closed", "Returned home"),
        Err(RecordError::Denied(_))
    ));
    drop(ana);

    let sofija = session(&folder, "Sofija");
    let denied = entries(
        &sofija,
        AuditQuery {
            outcome: Some(Outcome::Denied),
            ..AuditQuery::default()
        },
    );
    let seen: Vec<(&str, Action)> = denied
        .iter()
        .rev()
        .map(|e| (e.account_name.as_deref().unwrap_or("?"), e.action))
        .collect();
    assert_eq!(
        seen,
        [
            ("Besa", Action::OpenCase),
            ("Besa", Action::UpdateCase),
            ("Besa", Action::ListAccounts),
            ("Besa", Action::ViewAudit),
            ("Ana", Action::AddRecord),
            ("Ana", Action::CloseCase),
        ]
    );
    assert!(denied.iter().all(|e| e.reason.is_some()));
    assert_eq!(
        denied[5].target_id.as_deref(),
        Some(case.to_string().as_str()),
        "the refused opening names the case"
    );
}

#[test]
fn a_refused_write_leaves_no_ok_entry_behind() {
    let folder = shelter();
    let mut ana = session(&folder, "Ana");
    let case = new_case(&mut ana, "Vesna");
    let refused = ana.update_case(
        case,
        &object(json!({"risk_level": "High", "date_identified": "2999-01-01"})),
    );
    assert!(matches!(refused, Err(RecordError::Invalid(_))));
    drop(ana);
    let sofija = session(&folder, "Sofija");
    let updates = entries(
        &sofija,
        AuditQuery {
            action: Some(Action::UpdateCase),
            ..AuditQuery::default()
        },
    );
    assert!(updates.is_empty(), "{updates:?}");
}

#[test]
fn canary_values_never_reach_entries_or_the_csv() {
    let folder = shelter();
    let canary = format!("Kanarinë{:08x}", std::process::id());
    let mut ana = session(&folder, "Ana");
    let case = new_case(&mut ana, &canary);
    ana.update_case(
        case,
        &object(json!({"family_name": canary, "best_interests_notes": format!("{canary} notes")})),
    )
    .unwrap();
    ana.add_record(
        RecordKind::Note,
        case,
        &object(json!({"text": format!("{canary} said")})),
    )
    .unwrap();
    // A refused value is not echoed either.
    let _ = ana.update_case(case, &object(json!({"gender": canary})));
    drop(ana);
    let sofija = session(&folder, "Sofija");
    let all = entries(&sofija, AuditQuery::default());
    let json = serde_json::to_string(&all).unwrap();
    assert!(
        !json.contains(&canary),
        "an audit entry holds a field value"
    );
    let mut csv = Vec::new();
    let written = sofija
        .export_audit_csv(&AuditQuery::default(), |bytes| {
            csv.extend_from_slice(bytes);
            Ok(())
        })
        .unwrap();
    assert_eq!(
        written,
        all.len(),
        "the CSV holds every entry, counted by its writer"
    );
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.lines().count() > all.len(),
        "a header and a line per entry"
    );
    assert!(!csv.contains(&canary), "the audit CSV holds a field value");
}

#[test]
fn exports_and_checkpoints_are_recorded_and_checkpoints_verify() {
    let folder = shelter();
    let sofija = session(&folder, "Sofija");
    let checkpoint = sofija.audit_checkpoint().unwrap();
    assert!(checkpoint.text.starts_with("hearth.audit/"));
    let unlocks = AuditQuery {
        action: Some(Action::Unlock),
        ..AuditQuery::default()
    };
    // A file that cannot be written is not recorded as exported, and says why.
    let failed = sofija.export_audit_csv(&unlocks, |_| {
        Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "no space left",
        ))
    });
    match failed {
        Err(error @ AccessError::ExportWrite(_)) => {
            assert_eq!(error.kind().as_str(), "disk_full");
        }
        other => panic!("{other:?}"),
    }
    let refused_export = sofija.export_audit_csv(&unlocks, |_| {
        Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "read-only stick",
        ))
    });
    assert_eq!(refused_export.unwrap_err().kind().as_str(), "export_failed");
    assert_eq!(
        sofija.export_audit_csv(&unlocks, |_| Ok(())).unwrap(),
        entries(&sofija, unlocks.clone()).len()
    );
    let verification = sofija.verify_audit(Some(&checkpoint.text)).unwrap();
    assert!(verification.intact, "{:?}", verification.problem);
    let exports = entries(
        &sofija,
        AuditQuery {
            action: Some(Action::ExportAudit),
            ..AuditQuery::default()
        },
    );
    assert_eq!(exports.len(), 1);
    assert_eq!(exports[0].fields, ["filter.action"]);
    let forged = checkpoint.text.replace(
        &format!("\n{}\n", checkpoint.size),
        &format!("\n{}\n", checkpoint.size + 5),
    );
    assert!(matches!(
        sofija.verify_audit(Some(&forged)),
        Err(AccessError::Audit(_))
    ));
    // A checkpoint is made at every lock: the log's head is always signed.
    drop(sofija);
    let admin = session(&folder, "Mirela");
    assert!(admin.verify_audit(None).unwrap().intact);
}
