//! A vault for the sync crate's own tests, made at the store layer: a migrated database with an
//! organisation, a device and one supervisor, without key slots or a session.

use hearth_ids::{Account, AccountId, Role};
use rusqlite::{params, Connection};

/// An empty vault at `site`, and the supervisor who may act in it.
pub(crate) fn vault(site: &str) -> (tempfile::TempDir, Connection, Account) {
    let folder = tempfile::tempdir().unwrap();
    let key = hearth_crypto::SecretKey::generate().unwrap();
    let mut connection =
        hearth_store::vault::open_database(&folder.path().join("vault.db"), &key).unwrap();
    hearth_store::vault::migrate(&mut connection).unwrap();
    connection
        .execute(
            "INSERT INTO organisation (id, name, site, created_ms) VALUES (1, 'Harbour Network', ?1, 0)",
            [site],
        )
        .unwrap();
    hearth_store::device::create(&connection, 0).unwrap();
    let supervisor = Account {
        id: AccountId::from_bytes([0x51; 16]),
        name: "Sofija".into(),
        role: Role::Supervisor,
        active: true,
    };
    connection
        .execute(
            "INSERT INTO accounts (id, name, name_key, role, active, created_ms)
             VALUES (?1, ?2, ?3, 'supervisor', 1, 0)",
            params![
                supervisor.id.as_bytes().as_slice(),
                supervisor.name,
                "sofija"
            ],
        )
        .unwrap();
    (folder, connection, supervisor)
}
