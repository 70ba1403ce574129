//! Laptops of one organisation for the relay tests, made at the sync layer: enrolled, with cases
//! and edits written through the records layer, bundles exported and imported as the session does.

use hearth_ids::{Account, DeviceId, RecordId, Unwatched};
use hearth_records::{write, Actor, CaseDraft, RecordKind};
use rusqlite::Connection;
use serde_json::{json, Map, Value};

use crate::{export, import, joining, SyncError};

pub(super) struct Laptop {
    _folder: tempfile::TempDir,
    pub(super) connection: Connection,
    pub(super) account: Account,
}

impl Laptop {
    pub(super) fn device(&self) -> DeviceId {
        hearth_store::device::this_device(&self.connection).unwrap()
    }

    pub(super) fn export(&self) -> Vec<u8> {
        export::export(
            &self.connection,
            &self.account,
            None,
            false,
            Vec::new(),
            &Unwatched,
        )
        .unwrap()
        .0
    }

    /// Everything, as `--full` writes it (forging starts from this: an incremental export would
    /// hold nothing the second time).
    pub(super) fn export_full(&self) -> Vec<u8> {
        export::export(
            &self.connection,
            &self.account,
            None,
            true,
            Vec::new(),
            &Unwatched,
        )
        .unwrap()
        .0
    }

    /// An import in one transaction, as the session runs it: committed only if it succeeds.
    pub(super) fn import(&self, sealed: &[u8]) -> Result<import::ImportSummary, SyncError> {
        let transaction = self.connection.unchecked_transaction().unwrap();
        let summary = import::import(&transaction, &self.account, sealed, &Unwatched)?;
        transaction.commit().unwrap();
        Ok(summary)
    }

    /// Every record's current values.
    pub(super) fn records(&self) -> Vec<(String, String, String)> {
        let mut statement = self
            .connection
            .prepare("SELECT entity_kind, hex(entity_id), current FROM entity_state ORDER BY 1, 2")
            .unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    pub(super) fn changes_of(&self, device: DeviceId) -> u64 {
        hearth_store::change_log::highest_seq(&self.connection, device).unwrap()
    }

    /// A new case whose person has not (yet) agreed to sharing: it leaves without their name.
    pub(super) fn new_case(&mut self, name: &str) -> RecordId {
        let device = self.device();
        let transaction = self.connection.transaction().unwrap();
        let actor = Actor::new(device, &self.account, true);
        let draft = CaseDraft {
            case: object(json!({
                "given_name": name,
                "gender": "Feminine",
                "trafficking_status": "PossibleVictimOfTrafficking",
                "date_identified": "2026-01-01",
            })),
            children: Vec::new(),
        };
        let created = write::create_cases(&transaction, &actor, &[draft]).unwrap();
        transaction.commit().unwrap();
        RecordId::parse(&created[0].id).unwrap()
    }

    pub(super) fn edit(&mut self, case: RecordId, fields: Value) {
        let device = self.device();
        let transaction = self.connection.transaction().unwrap();
        let actor = Actor::new(device, &self.account, true);
        write::update_case(&transaction, &actor, case, &object(fields)).unwrap();
        transaction.commit().unwrap();
    }

    pub(super) fn consent_to_sharing(&mut self, case: RecordId) {
        let device = self.device();
        let transaction = self.connection.transaction().unwrap();
        let actor = Actor::new(device, &self.account, true);
        write::add_record(
            &transaction,
            &actor,
            RecordKind::Consent,
            case,
            &object(
                json!({"purpose": "SharingWithinOrganisation", "decision": "Given",
                "date": "2026-01-02", "method": "Signed"}),
            ),
        )
        .unwrap();
        transaction.commit().unwrap();
    }
}

pub(super) fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!(),
    }
}

/// An organisation of laptops, each enrolled by the first; every one knows every other.
pub(super) fn organisation(sites: &[&str]) -> Vec<Laptop> {
    let laptops: Vec<Laptop> = sites
        .iter()
        .map(|site| {
            let (folder, connection, account) = crate::test_vault::vault(site);
            Laptop {
                _folder: folder,
                connection,
                account,
            }
        })
        .collect();
    let first = &laptops[0];
    let fingerprint = hearth_store::device::fingerprint(
        &hearth_store::device::signing_key(&first.connection)
            .unwrap()
            .verifying_key(),
    );
    for laptop in &laptops[1..] {
        let request = joining::join_request(&laptop.connection).unwrap();
        let enrollment = joining::approve(&first.connection, &first.account, &request).unwrap();
        joining::enroll(
            &laptop.connection,
            &laptop.account,
            enrollment.as_slice(),
            &fingerprint,
        )
        .unwrap();
    }
    // One more bundle from the first, so that the early ones hear of the later ones.
    let roster = first.export();
    for laptop in &laptops[1..] {
        laptop.import(&roster).unwrap();
    }
    laptops
}
