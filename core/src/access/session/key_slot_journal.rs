//! Changing the key-slot file and the database as one (see migration 009). The new file is
//! written whole beside the old one first; then the transaction that holds the change's audit
//! entry and account rows also records the new file, and commits; only then does the new file
//! replace the old. A crash before the commit changes nothing; after it, the next unlock finds the
//! recorded file and puts it in place. Either way the vault opens with the old passphrase or the
//! new one, and the audit log says which took effect.

use rusqlite::{Connection, OptionalExtension, Transaction};

use crate::crash_point::crash_point;
use crate::vault::VaultPaths;
use hearth_format::files::StagedFile;
use hearth_format::keyslots::{KeySlotFile, KeySlotFileError};

/// Runs `write` (the change's account rows and audit entry) in one transaction with `next` as the
/// key-slot file, then puts the file in place. The caller holds the write lock.
pub(super) fn commit_with_slots<E>(
    paths: &VaultPaths,
    database: &Connection,
    next: &KeySlotFile,
    write: impl FnOnce(&Transaction<'_>) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<KeySlotFileError> + From<rusqlite::Error>,
{
    let bytes = next.to_bytes();
    let staged = StagedFile::stage(&paths.key_slots(), &bytes).map_err(written)?;
    let transaction = database.unchecked_transaction()?;
    write(&transaction)?;
    transaction.execute(
        "INSERT OR REPLACE INTO pending_key_slots (id, file) VALUES (1, ?1)",
        [&bytes],
    )?;
    crash_point("key-slots-staged");
    transaction.commit()?;
    crash_point("key-slots-committed");
    // Committed: from here the change has happened. Should the rename fail, the pending row
    // stays, and the next holder of the write lock (the next change, or the next unlock) puts
    // the file in place; reporting a failure now would tell of a change undone that is not.
    if staged.put_in_place().is_ok() {
        crash_point("key-slots-in-place");
        // Best effort: a row left behind only makes the next lock holder write the same file.
        let _ = database.execute("DELETE FROM pending_key_slots", []);
    }
    Ok(())
}

fn written(source: std::io::Error) -> KeySlotFileError {
    KeySlotFileError::Io {
        action: "written",
        source,
    }
}

/// Puts in place a key-slot file whose change committed before a crash (or whose rename
/// failed). The caller holds the write lock: at unlock, and before every account change, so that
/// no change is built on a file older than the last one committed. Whether it put one in place.
pub(super) fn complete_pending<E>(paths: &VaultPaths, database: &Connection) -> Result<bool, E>
where
    E: From<KeySlotFileError> + From<rusqlite::Error>,
{
    let pending: Option<Vec<u8>> = database
        .query_row(
            "SELECT file FROM pending_key_slots WHERE id = 1",
            [],
            |row| row.get(0),
        )
        .optional()?;
    let Some(bytes) = pending else {
        return Ok(false);
    };
    KeySlotFile::from_bytes(&bytes)?.write_atomically(&paths.key_slots())?;
    database.execute("DELETE FROM pending_key_slots", [])?;
    Ok(true)
}
