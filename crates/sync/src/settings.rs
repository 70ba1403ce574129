//! Sync's settings in the vault (the office's recipient), in the shared `settings` table.

use rusqlite::{params, Connection, OptionalExtension};

use crate::SyncError;

/// The setting that holds the coordinating office's age recipient.
pub(crate) const OFFICE_RECIPIENT: &str = "office_recipient";

pub(crate) fn setting(connection: &Connection, key: &str) -> Result<Option<String>, SyncError> {
    Ok(connection
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?
        .filter(|value: &String| !value.is_empty()))
}

pub(crate) fn set_setting(
    connection: &Connection,
    key: &str,
    value: &str,
) -> Result<(), SyncError> {
    connection.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The coordinating office's age recipient, if one is set (for other exports to the office).
pub fn office_recipient(
    connection: &Connection,
) -> Result<Option<age::x25519::Recipient>, SyncError> {
    Ok(setting(connection, OFFICE_RECIPIENT)?.and_then(|text| text.parse().ok()))
}
