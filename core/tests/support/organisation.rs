//! The organisation the sync tests and `examples/fuzz_seeds.rs` build: vaults made with the
//! cheapest key derivation Hearth allows, consent decisions, bundles exported into memory, and a
//! bundle's body as the office reads it. Included with `#[path]` by both; a function one of them does not call is not dead.
#![allow(clippy::unwrap_used, dead_code)]

use hearth_core::access::{self, KdfChoice, NewVault, Role, Session};
use hearth_core::crypto::{KdfParams, Passphrase};
use serde_json::{json, Map, Value};

pub const PASSPHRASE: &str = "violet kettle orbit pasture";

/// A new vault of `organisation` at `site`: its administrator's session, with a supervisor,
/// Sofija, added.
pub fn new_vault(organisation: &str, site: &str) -> (tempfile::TempDir, Session) {
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

/// The supervisor's session on the vault in `folder`.
pub fn supervisor(folder: &tempfile::TempDir) -> Session {
    access::unlock(folder.path(), "Sofija", &Passphrase::new(PASSPHRASE.into())).unwrap()
}

/// A laptop: its vault's folder and its administrator's session.
pub struct Laptop {
    pub folder: tempfile::TempDir,
    pub admin: Session,
}

/// The organisation's first laptop and two that joined it.
pub fn organisation() -> Vec<Laptop> {
    let (first_folder, first) = new_vault("Harbour Network", "Tirana");
    let mut laptops = vec![Laptop {
        folder: first_folder,
        admin: first,
    }];
    for site in ["Shkoder", "Vlore"] {
        let (folder, mut joining) = new_vault("Hearth", site);
        let request = joining.join_request().unwrap();
        let enrollment = laptops[0].admin.approve_device(&request).unwrap();
        let fingerprint = laptops[0].admin.device_identity().unwrap().fingerprint;
        joining.enroll(&enrollment, &fingerprint).unwrap();
        laptops.push(Laptop {
            folder,
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

/// Exports a bundle into memory.
pub fn export(session: &Session, full: bool) -> (Vec<u8>, hearth_core::sync::ExportSummary) {
    let mut bytes = Vec::new();
    let summary = session
        .export_bundle(None, full, |sealed| {
            bytes = sealed.to_vec();
            Ok(())
        })
        .unwrap();
    (bytes, summary)
}

/// A bundle's frames as the office reads them, with its age identity and a zstd decoder
/// (docs/bundle-format.md): after the magic line, one zstd stream of JSON lines.
pub fn office_reads(office: &age::x25519::Identity, bundle: &[u8]) -> Vec<u8> {
    let container = age::decrypt(office, bundle).unwrap();
    let rest = container.strip_prefix(b"hearth-bundle/v2\n").unwrap();
    zstd::decode_all(rest).unwrap()
}

/// A JSON object's fields (panics on anything else).
pub fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// A decision on sharing within the organisation, made today.
pub fn sharing_consent(decision: &str) -> Map<String, Value> {
    object(json!({
        "purpose": "SharingWithinOrganisation",
        "decision": decision,
        "date": hearth_core::records::dates::Date::today().to_string(),
        "method": "Signed",
    }))
}
