//! A migrated, empty vault database for this crate's own tests (no key slots, no session).

use rusqlite::Connection;

/// A new vault database under a temporary folder (kept alive by the returned guard).
pub(crate) fn empty_vault() -> (tempfile::TempDir, Connection) {
    let folder = tempfile::tempdir().unwrap();
    let key = hearth_crypto::SecretKey::generate().unwrap();
    let mut connection =
        crate::vault::open_database(&folder.path().join("vault.db"), &key).unwrap();
    crate::vault::migrate(&mut connection).unwrap();
    (folder, connection)
}
