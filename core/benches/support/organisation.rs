//! The organisation the sync benches measure: two laptops, the second joined to the first by
//! request, approval and enrollment, and demo cases on the first (nine in ten with consent to
//! share within the organisation, so that the consent filter runs on every change). Included with
//! `#[path]` by each bench that uses it.
#![allow(dead_code)]

use hearth_core::access::{self, KdfChoice, NewVault, Role, Session};
use hearth_core::crypto::{KdfParams, Passphrase};
use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::{CaseDraft, CaseQuery, RecordId, RecordKind};
use serde_json::{json, Map, Value};

const PASSPHRASE: &str = "violet kettle orbit pasture";
/// Cases created per transaction.
const BATCH: usize = 1_000;

pub fn passphrase() -> Passphrase {
    Passphrase::new(PASSPHRASE.into())
}

/// A new vault at `folder` (the KDF at its floor: the benches measure the work, not the unlock),
/// with a supervisor.
pub fn new_vault(folder: &std::path::Path, site: &str) -> Session {
    let (mut admin, _recovery) = access::create_vault(
        folder,
        NewVault {
            organisation: "Bench Org",
            site,
            admin_name: "Bench Admin",
            admin_passphrase: &passphrase(),
            kdf: KdfChoice::Fixed(KdfParams::FLOOR),
        },
    )
    .expect("vault");
    admin
        .add_account("Bench Supervisor", Role::Supervisor, &passphrase())
        .expect("supervisor");
    admin
}

/// The supervisor's session on the vault at `folder`.
pub fn supervisor(folder: &std::path::Path) -> Session {
    access::unlock(folder, "Bench Supervisor", &passphrase()).expect("unlock")
}

pub fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!("an object"),
    }
}

/// Two laptops at `first` and `second`, the second enrolled by the first.
pub fn joined_pair(first: &std::path::Path, second: &std::path::Path) {
    let first_admin = new_vault(first, "Tirana");
    let mut second_admin = new_vault(second, "Shkoder");
    let request = second_admin.join_request().expect("request");
    let enrollment = first_admin.approve_device(&request).expect("approve");
    let fingerprint = first_admin.device_identity().expect("identity").fingerprint;
    second_admin
        .enroll(&enrollment, &fingerprint)
        .expect("enroll");
}

/// Adds demo cases to `session` until it holds `until` (it holds `made`), each with its decision
/// on sharing within the organisation: Refused for every tenth case, Given for the rest.
pub fn add_cases(session: &mut Session, generator: &mut DemoGenerator, made: usize, until: usize) {
    let mut made = made;
    while made < until {
        let count = BATCH.min(until - made);
        let drafts: Vec<CaseDraft> = (0..count)
            .map(|i| with_sharing_decision(generator.case(&[], false), made + i))
            .collect();
        session.create_cases(&drafts).expect("create");
        made += count;
    }
}

/// The `index`th case's decision on sharing within the organisation, attached to its draft:
/// Refused for every tenth case, Given for the rest.
pub fn with_sharing_decision(mut draft: CaseDraft, index: usize) -> CaseDraft {
    let decision = if index % 10 == 9 { "Refused" } else { "Given" };
    draft.children.push((
        RecordKind::Consent,
        object(
            json!({"purpose": "SharingWithinOrganisation", "decision": decision,
                      "date": "2026-01-15", "method": "Signed"}),
        ),
    ));
    draft
}

/// The ids of the first `count` cases of `session`'s list (the cases an incremental bundle
/// changes).
pub fn first_case_ids(session: &Session, count: u32) -> Vec<RecordId> {
    session
        .list_cases(&CaseQuery {
            page_size: count,
            ..CaseQuery::default()
        })
        .expect("list")
        .cases
        .iter()
        .map(|c| RecordId::parse(&c.id).expect("id"))
        .collect()
}

/// Changes `count` of `ids` (another window of them on each `run`): a new risk level and a phone
/// number that `tag` and `run` make new, so that every update is a change.
pub fn change_cases(session: &mut Session, ids: &[RecordId], run: usize, count: usize, tag: &str) {
    for (i, id) in ids.iter().cycle().skip(run * 37).take(count).enumerate() {
        let level = ["Low", "Medium", "High"][(run + i) % 3];
        let phone = format!("+355 {tag}{run}{i}");
        session
            .update_case(*id, &object(json!({"risk_level": level, "phone": phone})))
            .expect("update");
    }
}

/// Copies the files of a vault folder (not its subfolders).
pub fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
}
