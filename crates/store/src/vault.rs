//! The vault folder: where its files are, opening the SQLCipher database with the data key,
//! schema migrations, and the integrity check.
//!
//! A vault is a folder holding `vault.db` (SQLCipher 4, keyed with a random 256-bit data key given
//! as a raw key, so SQLCipher runs no KDF of its own), `keyslots` (the data key wrapped per
//! passphrase, see `hearth_format::keyslots`) and `unlock-throttle` (failed-unlock counters, see
//! [`crate::throttle`]). Who may open it and how is decided by the session facade (hearth-core).

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};

use hearth_crypto::SecretKey;
use hearth_ids::ErrorKind;

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Numbered migrations, by file name; entry `i` brings the schema from version `i` to `i + 1`.
/// A migration that has shipped is never edited: add a new one (a test pins each one's hash).
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "001_initial.sql",
        include_str!("../migrations/001_initial.sql"),
    ),
    (
        "002_preferences.sql",
        include_str!("../migrations/002_preferences.sql"),
    ),
    (
        "003_change_log.sql",
        include_str!("../migrations/003_change_log.sql"),
    ),
    (
        "004_records.sql",
        include_str!("../migrations/004_records.sql"),
    ),
    ("005_audit.sql", include_str!("../migrations/005_audit.sql")),
    (
        "006_device_keys.sql",
        include_str!("../migrations/006_device_keys.sql"),
    ),
    ("007_sync.sql", include_str!("../migrations/007_sync.sql")),
    (
        "008_conflicts.sql",
        include_str!("../migrations/008_conflicts.sql"),
    ),
    (
        "009_pending_key_slots.sql",
        include_str!("../migrations/009_pending_key_slots.sql"),
    ),
    (
        "010_revocation_point.sql",
        include_str!("../migrations/010_revocation_point.sql"),
    ),
    (
        "011_device_clocks.sql",
        include_str!("../migrations/011_device_clocks.sql"),
    ),
    (
        "012_recent_folders.sql",
        include_str!("../migrations/012_recent_folders.sql"),
    ),
    (
        "013_case_birth_year.sql",
        include_str!("../migrations/013_case_birth_year.sql"),
    ),
    (
        "014_slot_recipients.sql",
        include_str!("../migrations/014_slot_recipients.sql"),
    ),
    (
        "015_change_chains.sql",
        include_str!("../migrations/015_change_chains.sql"),
    ),
    (
        "016_referral_packets.sql",
        include_str!("../migrations/016_referral_packets.sql"),
    ),
    (
        "017_case_facts.sql",
        include_str!("../migrations/017_case_facts.sql"),
    ),
    (
        "018_streaming_import.sql",
        include_str!("../migrations/018_streaming_import.sql"),
    ),
    (
        "019_grouped_stamps.sql",
        include_str!("../migrations/019_grouped_stamps.sql"),
    ),
    (
        "020_search_sort_key.sql",
        include_str!("../migrations/020_search_sort_key.sql"),
    ),
    (
        "021_search_terms_by_name.sql",
        include_str!("../migrations/021_search_terms_by_name.sql"),
    ),
];

/// The files of a vault folder.
#[derive(Debug, Clone)]
pub struct VaultPaths {
    folder: PathBuf,
}

impl VaultPaths {
    /// The vault in `folder` (which may not exist yet).
    pub fn new(folder: impl Into<PathBuf>) -> Self {
        Self {
            folder: folder.into(),
        }
    }

    /// Where a vault lives when no folder is named: `HEARTH_VAULT` if set, otherwise `hearth/vault`
    /// in the operating system's data folder (`~/.local/share` on Linux). `None` if neither exists.
    pub fn default_folder() -> Option<PathBuf> {
        match std::env::var_os("HEARTH_VAULT") {
            Some(folder) if !folder.is_empty() => Some(PathBuf::from(folder)),
            _ => dirs::data_dir().map(|data| data.join("hearth").join("vault")),
        }
    }

    /// The vault folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The SQLCipher database.
    pub fn database(&self) -> PathBuf {
        self.folder.join("vault.db")
    }

    /// The key-slot file.
    pub fn key_slots(&self) -> PathBuf {
        self.folder.join("keyslots")
    }

    /// The key-slot file for a new data key, written whole before the database is re-encrypted
    /// under it and renamed over `keyslots` after (see `hearth_core`'s rekey). Its name does not
    /// end in `.tmp`: a crash between the two must not make it look like a stale copy.
    pub fn next_key_slots(&self) -> PathBuf {
        self.folder.join("keyslots.next")
    }

    /// The failed-unlock counters.
    pub fn throttle(&self) -> PathBuf {
        self.folder.join("unlock-throttle")
    }

    /// The lock file that serialises changes to `keyslots` and `unlock-throttle` between processes.
    pub fn write_lock(&self) -> PathBuf {
        self.folder.join("vault.lock")
    }

    /// Whether a vault (either of its two essential files) is present.
    pub fn any_vault_file_exists(&self) -> bool {
        self.database().exists() || self.key_slots().exists()
    }

    /// Whether both essential files are present.
    pub fn is_complete(&self) -> bool {
        self.database().exists() && self.key_slots().exists()
    }

    /// Deletes every file of a vault that was just made and must not stay (its creation failed,
    /// or its recovery key could not be shown), then the folder if nothing else is in it. Only
    /// for a vault no one has used: its records go with it.
    pub fn remove_new_vault(&self) {
        let mut files = vec![
            self.database(),
            self.key_slots(),
            self.next_key_slots(),
            self.throttle(),
            self.write_lock(),
        ];
        for suffix in ["-wal", "-shm"] {
            let mut name = self.database().into_os_string();
            name.push(suffix);
            files.push(name.into());
        }
        for file in files {
            let _ = std::fs::remove_file(file);
        }
        // Fails, as it should, if the folder holds anything else.
        let _ = std::fs::remove_dir(&self.folder);
    }
}

/// Held while `keyslots` or `unlock-throttle` is read, changed and written back, so that the app
/// and the CLI (or two unlock attempts) never write over each other's changes: a disabled account's
/// slot must not come back because another process wrote an older copy of the file.
#[derive(Debug)]
pub struct VaultWriteLock {
    // The OS releases the lock when the file is closed, on drop or if the process dies.
    _file: std::fs::File,
}

impl VaultWriteLock {
    /// Waits for and takes the vault's write lock.
    pub fn acquire(paths: &VaultPaths) -> std::io::Result<Self> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(paths.write_lock())?;
        file.lock()?;
        // Only the lock's holder writes `keyslots` and `unlock-throttle`, so a temporary copy of
        // either now is one a killed process left behind. A stale key-slot copy may still hold a
        // slot since disabled or changed: it must not outlive the next unlock. Best effort: a
        // file that cannot be removed must not lock people out of their vault.
        for name in ["keyslots", "unlock-throttle"] {
            let _ = hearth_format::files::remove_stale_temporary_files(&paths.folder, name);
        }
        Ok(Self { _file: file })
    }
}

/// Why the database could not be opened or brought to this build's schema.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatabaseOpenError {
    /// The key did not open the database: it belongs to another vault, or the file is damaged.
    #[error("the vault database does not match its key slots, or it is damaged")]
    KeyMismatch,
    /// The vault was written by a newer Hearth.
    #[error("this vault was written by a newer version of Hearth (schema {found}; this version knows up to {supported}); please update Hearth")]
    SchemaTooNew {
        /// The vault's schema version.
        found: u32,
        /// The newest this build knows.
        supported: u32,
    },
    /// SQLite reported an error.
    #[error("the vault database could not be opened")]
    Sqlite(#[from] rusqlite::Error),
}

impl DatabaseOpenError {
    /// What the person should understand: a newer vault, damage, or another database failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            DatabaseOpenError::KeyMismatch => ErrorKind::VaultDamaged,
            DatabaseOpenError::SchemaTooNew { .. } => ErrorKind::SchemaTooNew,
            DatabaseOpenError::Sqlite(error) => sqlite_kind(error),
        }
    }
}

/// The kind of a failure SQLite reported: the vault's pages are damaged, the disk is full, or
/// something else went wrong with the database (busy, read-only, out of memory).
pub fn sqlite_kind(error: &rusqlite::Error) -> ErrorKind {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
            ErrorKind::VaultDamaged
        }
        Some(rusqlite::ErrorCode::DiskFull) => ErrorKind::DiskFull,
        _ => ErrorKind::Database,
    }
}

/// Opens (or creates) the SQLCipher database with `data_key`, in WAL mode with temporary files in
/// memory, and checks that the key is right.
pub fn open_database(path: &Path, data_key: &SecretKey) -> Result<Connection, DatabaseOpenError> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // SQLCipher logs decryption failures to stderr by default; the CLI's stderr is for people.
    connection.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    // The key must be the first statement on the connection. A raw key (x'..') skips SQLCipher's
    // own PBKDF2: the data key is already random and full-strength.
    let key_pragma = zeroize::Zeroizing::new(format!(
        "PRAGMA key = \"x'{}'\";",
        data_key.expose_secret_hex().as_str()
    ));
    connection.execute_batch(&key_pragma)?;
    // Reading the schema is the first access that decrypts a page: with the wrong key it fails.
    let probe: Result<i64, _> =
        connection.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0));
    match probe {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(error, _))
            if error.code == rusqlite::ErrorCode::NotADatabase =>
        {
            return Err(DatabaseOpenError::KeyMismatch)
        }
        Err(other) => return Err(other.into()),
    }
    // temp_store = MEMORY keeps sorts and temporary tables out of unencrypted temp files;
    // secure_delete overwrites deleted content inside the (encrypted) pages as well. A 32 MiB page
    // cache (SQLite's default is 2 MiB) keeps the indexes of a 100,000-case vault in memory
    // instead of decrypting the same pages again on every search and every new case. The app and
    // the CLI may write at once: a writer waits up to 5 s for the other instead of failing.
    connection.execute_batch(
        "PRAGMA temp_store = MEMORY;
         PRAGMA journal_mode = WAL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA cache_size = -32768;
         PRAGMA busy_timeout = 5000;",
    )?;
    // rusqlite keeps 16 prepared statements by default; writing a case uses more than that, and
    // a cache that thrashes re-parses SQL on every row (a quarter of bulk creation's time).
    connection.set_prepared_statement_cache_capacity(128);
    Ok(connection)
}

/// Why the database could not be re-encrypted under a new key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RekeyError {
    /// Another connection has the database open (another Hearth window, the CLI, a running
    /// integrity check): the journal mode cannot change under it.
    #[error("the vault is open elsewhere (another Hearth window or the hearth command); close it and try again")]
    InUse,
    /// SQLCipher did not re-encrypt the database: the new key does not open it.
    #[error("the vault database was not re-encrypted")]
    NotReencrypted,
    /// SQLite reported an error.
    #[error("the vault database could not be re-encrypted")]
    Sqlite(#[from] rusqlite::Error),
}

impl RekeyError {
    /// Busy elsewhere, a full disk, or another database failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            RekeyError::InUse => ErrorKind::VaultInUse,
            RekeyError::NotReencrypted => ErrorKind::VaultDamaged,
            RekeyError::Sqlite(error) => sqlite_kind(error),
        }
    }
}

/// Re-encrypts every page of the database under `new_key`, in one transaction: a crash leaves it
/// wholly under the old key or wholly under the new one. The connection is keyed with the new
/// key afterwards. The caller has written the key slots for `new_key` where the next unlock finds
/// them (`VaultPaths::next_key_slots`) and holds the write lock.
///
/// SQLCipher 4 cannot rekey a database in WAL mode (the WAL's frames would stay under the old key),
/// so the database goes to a rollback journal for the rekey: SQLite writes each page's old content
/// to `vault.db-journal` (encrypted, under the old key) before rewriting it under the new one, and
/// a crash is rolled back from there by the next open with the old key. Then back to WAL. No other
/// connection may be open.
pub fn rekey_database(
    connection: &Connection,
    path: &Path,
    new_key: &SecretKey,
) -> Result<(), RekeyError> {
    // Another connection makes this wait (busy_timeout) and then fail as busy, or leaves WAL on.
    let mode: String = connection
        .query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))
        .map_err(|error| match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                RekeyError::InUse
            }
            _ => RekeyError::Sqlite(error),
        })?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(RekeyError::InUse);
    }
    let rekey_pragma = zeroize::Zeroizing::new(format!(
        "PRAGMA rekey = \"x'{}'\";",
        new_key.expose_secret_hex().as_str()
    ));
    let rekeyed = connection.execute_batch(&rekey_pragma);
    // Best effort: a database left in rollback-journal mode works, and every open sets WAL again.
    let _ = connection.query_row("PRAGMA journal_mode = WAL", [], |row| {
        row.get::<_, String>(0)
    });
    rekeyed?;
    // SQLCipher 4 reports some rekey failures only by leaving the old key in place: check that
    // the new key opens the file, from a connection of its own.
    match open_database(path, new_key) {
        Ok(_) => Ok(()),
        Err(DatabaseOpenError::KeyMismatch) => Err(RekeyError::NotReencrypted),
        Err(DatabaseOpenError::Sqlite(error)) => Err(RekeyError::Sqlite(error)),
        Err(DatabaseOpenError::SchemaTooNew { .. }) => Err(RekeyError::NotReencrypted),
    }
}

/// The schema version the database is stamped with.
pub fn schema_version(connection: &Connection) -> Result<u32, rusqlite::Error> {
    connection.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Brings the database to [`SCHEMA_VERSION`], each migration in its own transaction together with
/// its version bump, so that a crash leaves the schema at a version it really has.
pub fn migrate(connection: &mut Connection) -> Result<u32, DatabaseOpenError> {
    let found = schema_version(connection)?;
    if found > SCHEMA_VERSION {
        return Err(DatabaseOpenError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, (_, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let transaction = connection.transaction()?;
        transaction.execute_batch(sql)?;
        transaction.pragma_update(None, "user_version", version)?;
        transaction.commit()?;
    }
    Ok(SCHEMA_VERSION)
}

/// The outcome of SQLCipher's page-by-page integrity check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrityReport {
    /// One line per damaged page, as SQLCipher reports it (page numbers, never content).
    pub problems: Vec<String>,
}

impl IntegrityReport {
    /// Whether every page checked out.
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A running integrity check. It reads every page of the database, so it runs on its own thread
/// and connection while the person gets on with their work.
///
/// SQLCipher's check does not stop when interrupted, so dropping a running check waits for it
/// to finish (about 0.7 s per 180 MB measured here): that is how its keyed connection is closed
/// by the time the session that started it has locked, instead of outliving it.
#[derive(Debug)]
pub struct IntegrityCheck {
    worker: Option<JoinHandle<Result<IntegrityReport, rusqlite::Error>>>,
}

impl IntegrityCheck {
    /// Starts the check on a second connection to the database at `path`.
    pub fn start(path: &Path, data_key: &SecretKey) -> Result<Self, DatabaseOpenError> {
        let connection = open_database(path, data_key)?;
        let worker = std::thread::spawn(move || {
            let mut statement = connection.prepare("PRAGMA cipher_integrity_check")?;
            let problems = statement
                .query_map([], |row| row.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(IntegrityReport { problems })
            // The connection closes here, as the thread ends.
        });
        Ok(Self {
            worker: Some(worker),
        })
    }

    /// Whether the check has finished (so that [`IntegrityCheck::wait`] will not block).
    pub fn is_finished(&self) -> bool {
        self.worker.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Waits for the check's result.
    pub fn wait(mut self) -> Result<IntegrityReport, rusqlite::Error> {
        match self.worker.take() {
            Some(worker) => worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => Ok(IntegrityReport {
                problems: Vec::new(),
            }),
        }
    }
}

impl Drop for IntegrityCheck {
    fn drop(&mut self) {
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// The SHA-256 of every migration that has shipped. A vault in the field has run these
    /// exact statements: editing one would leave its schema different from a new vault's.
    /// A new migration gets a new line here; an existing line never changes.
    const SHIPPED: &[(&str, &str)] = &[
        (
            "001_initial.sql",
            "239092a2823620d4c4cb44ffe96857eb21b848acafd6a780d096cbc037c3a8ac",
        ),
        (
            "002_preferences.sql",
            "98c607f3c6cee0594b1a4759197494b79315e3967a604ca0c5f74379425132eb",
        ),
        (
            "003_change_log.sql",
            "64203ddc549f69a04299a8bd97d4aa264078580acfca33e0ed1f1c3fddef0bf9",
        ),
        (
            "004_records.sql",
            "c83d89b9db4aa81334fc21ff328c90e33a6a0787ca4cd9cc69517ff818a864db",
        ),
        (
            "005_audit.sql",
            "076b59796a9bd725f292e8564d0d3fc7212f0b207dc38090a265b1fa708b54d2",
        ),
        (
            "006_device_keys.sql",
            "b347d91b0801ea03bc8c2b52f401fee18c48026fe6053d27cf8f4543347be42c",
        ),
        (
            "007_sync.sql",
            "77fb1b4ef7128f3e3c2c674178f6a1466c19d6579e1608d8f43edc9eada7f1f7",
        ),
        (
            "008_conflicts.sql",
            "0a87b65b8053c7c76efb2d94552059d9b040819d1c3060dcc8f409503c9d5d3e",
        ),
        (
            "009_pending_key_slots.sql",
            "62a954a8aee7fd4405f967230659b0a33d1dcafe090b9c4a6ff6420b68f346d0",
        ),
        (
            "010_revocation_point.sql",
            "f51c22678a8a216ecf08bca4722280dc086d43c6567d06a14196533dd6cf73dc",
        ),
        (
            "011_device_clocks.sql",
            "689c49949048ed6c649738c62190ca91787de442bf6ec7b50d3c48539d80a338",
        ),
        (
            "012_recent_folders.sql",
            "1301dd8e03c01bfe293cde2f561073c587c80ce93f47c9a5f6e602cb452da9dd",
        ),
        (
            "013_case_birth_year.sql",
            "acaba834572630408468a75855cd125b89b237b4f006a9bb48083f8d97d5ad94",
        ),
        (
            "014_slot_recipients.sql",
            "b7ae5ac4dae3009024b6aeb9687d320a02dbc32ae2d4efd3bd8a207f57c15629",
        ),
        (
            "015_change_chains.sql",
            "4418e818ff5607defb91159a673c2f1ec459e69ecbeee6d8da00aba7eb1a3495",
        ),
        (
            "016_referral_packets.sql",
            "7a82dd4d62bf2870134a91af28f43207f24eacbce2efb6f2a8adc1585fcd199b",
        ),
        (
            "017_case_facts.sql",
            "03508292ad7f986988ea61d8fd6076d2598bf4fbf27cc95d8b0dfb1be2e88271",
        ),
        (
            "018_streaming_import.sql",
            "8737effe3633ce4d03530c60d132102c4feb72d847e5c08bfe417f5e67fc05fa",
        ),
        (
            "019_grouped_stamps.sql",
            "de6e29c8ded53f0cd1009863000d575583e60093ccb25f461ce162607e29c91d",
        ),
        (
            "020_search_sort_key.sql",
            "2664e5d158eb88f15f08076506de1974143077cf2880d67fa1e33ea518e67fb7",
        ),
        (
            "021_search_terms_by_name.sql",
            "1a1bca1cff19381f5967e39fd19ff7d94c9d56173d5bc8212c14ba48867bace8",
        ),
    ];

    /// Migration 013 works out the birth year of the cases already stored, as the projection does
    /// for new ones (records::projection::birth_year is tested against the same figures).
    #[test]
    fn migration_013_gives_stored_cases_their_birth_year() {
        let (_folder, connection) = crate::test_vault::empty_vault();
        let cases = [
            (
                1u8,
                r#"{"birth_date": "2001-04-02", "estimated_age": 40}"#,
                Some(2001),
            ),
            (
                2,
                r#"{"estimated_age": 25, "date_identified": "2026-01-15"}"#,
                Some(2001),
            ),
            // No day identified: the age was estimated the year the case was made (2024 here).
            (3, r#"{"estimated_age": 30}"#, Some(1994)),
            (4, r#"{"given_name": "Drita"}"#, None),
        ];
        for (id, current, _) in &cases {
            let id = [*id; 16];
            connection
                .execute(
                    "INSERT INTO entity_state (entity_kind, entity_id, current, stamps, created_ms,
                                               updated_ms)
                     VALUES ('case', ?1, ?2, '{}', 1717200000000, 1717200000000)",
                    rusqlite::params![id.as_slice(), current],
                )
                .unwrap();
            connection
                .execute(
                    "INSERT INTO cases (id, number, status, sort_name, updated_ms, terms)
                     VALUES (?1, 'N', 'Active', '', 0, '')",
                    [id.as_slice()],
                )
                .unwrap();
        }
        let (_, sql) = MIGRATIONS[12];
        let update = &sql[sql.find("UPDATE cases").unwrap()..];
        connection.execute_batch(update).unwrap();
        for (id, _, expected) in cases {
            let year: Option<i64> = connection
                .query_row(
                    "SELECT birth_year FROM cases WHERE id = ?1",
                    [[id; 16].as_slice()],
                    |row| row.get(0),
                )
                .unwrap();
            assert_eq!(year, expected, "case {id}");
        }
    }

    /// Migration 019 groups the stamps of the rows stored before it by change: each field still
    /// reads the change and clock it had (through the merge's own reader), and none is lost.
    #[test]
    fn migration_019_groups_stamps_and_every_field_keeps_its_own() {
        use crate::change_log::{current_source, field_written_at, ChangeRef, DeviceId, Hlc};
        let (_folder, connection) = crate::test_vault::empty_vault();
        let (one, two) = ("01".repeat(16), "02".repeat(16));
        // Stored as migration 004 stored them: one stamp per field.
        let old = format!(
            r#"{{"given_name": [1700000000000, 0, "{one}", 1],
                "family_name": [1700000000000, 0, "{one}", 1],
                "status": [1700000005000, 3, "{two}", 9]}}"#
        );
        for (id, stamps) in [(1u8, old.as_str()), (2, "{}")] {
            connection
                .execute(
                    "INSERT INTO entity_state (entity_kind, entity_id, current, stamps, created_ms,
                                               updated_ms)
                     VALUES ('case', ?1, '{}', ?2, 1700000000000, 1700000005000)",
                    rusqlite::params![[id; 16].as_slice(), stamps],
                )
                .unwrap();
        }
        let (name, sql) = MIGRATIONS[18];
        assert_eq!(name, "019_grouped_stamps.sql");
        connection.execute_batch(sql).unwrap();

        let groups: i64 = connection
            .query_row(
                "SELECT json_array_length(stamps) FROM entity_state WHERE entity_id = ?1",
                [[1u8; 16].as_slice()],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(groups, 2, "two changes, two groups");
        let source = |field: &str| current_source(&connection, "case", [1; 16], field).unwrap();
        let first = ChangeRef {
            device: DeviceId([1; 16]),
            seq: 1,
        };
        assert_eq!(source("given_name"), Some(first));
        assert_eq!(source("family_name"), Some(first));
        assert_eq!(
            source("status"),
            Some(ChangeRef {
                device: DeviceId([2; 16]),
                seq: 9
            })
        );
        assert_eq!(source("aliases"), None);
        assert_eq!(
            field_written_at(&connection, "case", [1; 16], "status").unwrap(),
            Some(Hlc {
                wall_ms: 1_700_000_005_000,
                counter: 3
            })
        );
        let empty: String = connection
            .query_row(
                "SELECT stamps FROM entity_state WHERE entity_id = ?1",
                [[2u8; 16].as_slice()],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(empty, "[]");
    }

    /// The list row of case 1…1 (TIR-7, Drita Hoxha), which the search-term migrations key by.
    fn insert_listed_case(connection: &Connection) {
        connection
            .execute(
                "INSERT INTO cases (id, number, status, sort_name, updated_ms, terms)
                 VALUES (?1, 'TIR-7', 'Active', 'hoxha drita', 0, 'drita hoxha tir 7')",
                [[1u8; 16].as_slice()],
            )
            .unwrap();
    }

    /// Migration 020 gives the term rows stored before it their case's sort key; a term whose
    /// case has no list row (it never should) gets an empty one rather than failing the upgrade.
    #[test]
    fn migration_020_gives_each_term_its_cases_sort_key() {
        let (_folder, connection) = crate::test_vault::empty_vault();
        insert_listed_case(&connection);
        for (term, case) in [("drita", 1u8), ("hoxha", 1), ("orphan", 2)] {
            connection
                .execute(
                    "INSERT INTO search_terms (term, case_id, sort_name, number)
                     VALUES (?1, ?2, '', '')",
                    rusqlite::params![term, [case; 16].as_slice()],
                )
                .unwrap();
        }
        let (name, sql) = MIGRATIONS[19];
        assert_eq!(name, "020_search_sort_key.sql");
        connection
            .execute_batch(&sql[sql.find("UPDATE search_terms").unwrap()..])
            .unwrap();
        let keys: Vec<(String, String, String)> = connection
            .prepare("SELECT term, sort_name, number FROM search_terms ORDER BY term")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let key = |term: &str, sort: &str, number: &str| {
            (term.to_owned(), sort.to_owned(), number.to_owned())
        };
        assert_eq!(
            keys,
            vec![
                key("drita", "hoxha drita", "TIR-7"),
                key("hoxha", "hoxha drita", "TIR-7"),
                key("orphan", "", ""),
            ]
        );
    }

    /// Migration 021 keys the term rows by their case's sort key, taking the key from the case's
    /// list row (a stale one on a term row is corrected) and leaving behind a row whose case has
    /// no list row.
    #[test]
    fn migration_021_keys_each_term_by_its_cases_list_row() {
        let (_folder, connection) = crate::test_vault::empty_vault();
        connection
            .execute_batch(
                "DROP TABLE search_terms;
                 CREATE TABLE search_terms (
                     term TEXT NOT NULL, case_id BLOB NOT NULL,
                     sort_name TEXT NOT NULL DEFAULT '', number TEXT NOT NULL DEFAULT '',
                     PRIMARY KEY (term, case_id)
                 ) STRICT, WITHOUT ROWID;",
            )
            .unwrap();
        insert_listed_case(&connection);
        for (term, case, sort_name) in [
            ("drita", 1u8, "hoxha drita"),
            ("hoxha", 1, "an old name"),
            ("orphan", 2, ""),
        ] {
            connection
                .execute(
                    "INSERT INTO search_terms (term, case_id, sort_name, number)
                     VALUES (?1, ?2, ?3, 'TIR-7')",
                    rusqlite::params![term, [case; 16].as_slice(), sort_name],
                )
                .unwrap();
        }
        let (name, sql) = MIGRATIONS[20];
        assert_eq!(name, "021_search_terms_by_name.sql");
        connection.execute_batch(sql).unwrap();
        let rows: Vec<(String, String, String, Vec<u8>)> = connection
            .prepare("SELECT term, sort_name, number, case_id FROM search_terms")
            .unwrap()
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let row = |term: &str| {
            (
                term.to_owned(),
                "hoxha drita".to_owned(),
                "TIR-7".to_owned(),
                vec![1u8; 16],
            )
        };
        assert_eq!(rows, vec![row("drita"), row("hoxha")]);
        let key: String = connection
            .query_row(
                // A WITHOUT ROWID table's own name gives its primary key's columns.
                "SELECT group_concat(name, ',') FROM
                     (SELECT name FROM pragma_index_info('search_terms') ORDER BY seqno)",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(key, "term,sort_name,number,case_id");
    }

    #[test]
    fn shipped_migrations_are_never_edited() {
        assert!(
            MIGRATIONS.len() >= SHIPPED.len(),
            "a shipped migration was removed"
        );
        for ((name, sql), (shipped_name, hash)) in MIGRATIONS.iter().zip(SHIPPED) {
            assert_eq!(name, shipped_name, "migrations were renumbered");
            assert_eq!(
                hex::encode(Sha256::digest(sql.as_bytes())),
                *hash,
                "{name} was edited after it shipped: put the change in a new migration"
            );
        }
    }

    /// Every file in migrations/ is run, in the order of its number, each number once.
    #[test]
    fn every_migration_file_is_listed_in_order() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|(name, _)| *name).collect();
        assert_eq!(files, listed);
        for (index, name) in listed.iter().enumerate() {
            assert_eq!(name[..3].parse::<usize>().unwrap(), index + 1, "{name}");
        }
    }

    #[test]
    fn rekeying_re_encrypts_every_page_under_the_new_key_only() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("vault.db");
        let old_key = SecretKey::generate().unwrap();
        let new_key = SecretKey::generate().unwrap();
        let mut connection = open_database(&path, &old_key).unwrap();
        migrate(&mut connection).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE notes (body TEXT);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                 INSERT INTO notes SELECT 'note ' || i || ' ' || hex(randomblob(200)) FROM n;",
            )
            .unwrap();
        // Another connection open: refused, and the old key still opens the file.
        let other = open_database(&path, &old_key).unwrap();
        assert!(matches!(
            rekey_database(&connection, &path, &new_key),
            Err(RekeyError::InUse)
        ));
        drop(other);
        assert!(open_database(&path, &old_key).is_ok());

        rekey_database(&connection, &path, &new_key).unwrap();
        // The same connection goes on, in WAL mode again.
        let mode: String = connection
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        connection
            .execute("INSERT INTO notes VALUES ('after')", [])
            .unwrap();
        drop(connection);
        assert!(matches!(
            open_database(&path, &old_key),
            Err(DatabaseOpenError::KeyMismatch)
        ));
        let reopened = open_database(&path, &new_key).unwrap();
        let count: i64 = reopened
            .query_row("SELECT count(*) FROM notes", [], |row| row.get(0))
            .unwrap();
        assert_eq!(count, 2001);
        // SQLCipher's check names each page whose HMAC fails, and returns no rows when none does.
        let mut check = reopened.prepare("PRAGMA cipher_integrity_check").unwrap();
        let problems: Vec<String> = check
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(problems, Vec::<String>::new());
    }

    #[test]
    fn all_migrations_apply_to_an_empty_vault() {
        let folder = tempfile::tempdir().unwrap();
        let key = SecretKey::generate().unwrap();
        let mut connection = open_database(&folder.path().join("vault.db"), &key).unwrap();
        assert_eq!(schema_version(&connection).unwrap(), 0);
        assert_eq!(migrate(&mut connection).unwrap(), SCHEMA_VERSION);
        assert_eq!(schema_version(&connection).unwrap(), SCHEMA_VERSION);
        for table in ["organisation", "this_device", "accounts", "settings"] {
            let present: i64 = connection
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                    [table],
                    |row| row.get(0),
                )
                .unwrap();
            assert_eq!(present, 1, "table {table} missing");
        }
        let language_column: i64 = connection
            .query_row(
                "SELECT count(*) FROM pragma_table_info('accounts') WHERE name = 'language'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(language_column, 1, "002 adds accounts.language");
        // Running again is a no-op.
        assert_eq!(migrate(&mut connection).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn a_vault_from_a_newer_hearth_is_refused() {
        let folder = tempfile::tempdir().unwrap();
        let key = SecretKey::generate().unwrap();
        let path = folder.path().join("vault.db");
        let mut connection = open_database(&path, &key).unwrap();
        migrate(&mut connection).unwrap();
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(connection);
        let mut reopened = open_database(&path, &key).unwrap();
        assert!(matches!(
            migrate(&mut reopened),
            Err(DatabaseOpenError::SchemaTooNew { found, supported })
                if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION
        ));
    }

    #[test]
    fn another_key_does_not_open_the_database() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("vault.db");
        let mut connection = open_database(&path, &SecretKey::generate().unwrap()).unwrap();
        migrate(&mut connection).unwrap();
        drop(connection);
        assert!(matches!(
            open_database(&path, &SecretKey::generate().unwrap()),
            Err(DatabaseOpenError::KeyMismatch)
        ));
    }

    #[test]
    fn integrity_check_passes_on_a_fresh_vault_and_flags_a_damaged_page() {
        let folder = tempfile::tempdir().unwrap();
        let key = SecretKey::generate().unwrap();
        let path = folder.path().join("vault.db");
        let mut connection = open_database(&path, &key).unwrap();
        migrate(&mut connection).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE filler (x BLOB);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
                 INSERT INTO filler SELECT randomblob(1000) FROM n;
                 PRAGMA wal_checkpoint(TRUNCATE);",
            )
            .unwrap();
        let report = IntegrityCheck::start(&path, &key).unwrap().wait().unwrap();
        assert!(report.is_intact(), "{:?}", report.problems);
        drop(connection);

        // Flip one byte in the middle of page 10: its HMAC no longer matches.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[9 * 4096 + 2000] ^= 0x01;
        std::fs::write(&path, bytes).unwrap();
        let report = IntegrityCheck::start(&path, &key).unwrap().wait().unwrap();
        assert!(!report.is_intact());
    }
}
