//! The per-device hash chain: how an entry is hashed, appended at the head of this device's
//! chain, and stored (other devices' entries arrive through sync with the same columns).

use rusqlite::{params, Connection, OptionalExtension};

use sha2::{Digest, Sha256};

use hearth_ids::{now_unix_ms, Role};

use super::{AuditError, NewEntry, GENESIS};
use crate::change_log;
use crate::device::this_device;

/// An entry's stored fields, as hashed.
#[derive(Debug)]
pub struct Hashed<'a> {
    device: &'a [u8],
    seq: i64,
    hlc_ms: i64,
    hlc_counter: i64,
    wall_ms: i64,
    account: Option<&'a [u8]>,
    role: Option<&'a str>,
    action: &'a str,
    target_kind: Option<&'a str>,
    target_id: Option<&'a str>,
    fields: &'a str,
    outcome: &'a str,
    reason: Option<&'a str>,
}

/// An entry's row as stored (for verifying).
#[derive(Debug)]
pub struct StoredEntry {
    pub seq: i64,
    pub hlc_ms: i64,
    pub hlc_counter: i64,
    pub wall_ms: i64,
    pub account: Option<Vec<u8>>,
    pub role: Option<String>,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    pub fields: String,
    pub outcome: String,
    pub reason: Option<String>,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

impl StoredEntry {
    /// The columns `from_row` reads, in order.
    pub const COLUMNS: &'static str = "seq, hlc_ms, hlc_counter, wall_ms, account, role, action, \
        target_kind, target_id, fields, outcome, reason, prev_hash, hash";

    pub fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEntry> {
        Ok(StoredEntry {
            seq: row.get(0)?,
            hlc_ms: row.get(1)?,
            hlc_counter: row.get(2)?,
            wall_ms: row.get(3)?,
            account: row.get(4)?,
            role: row.get(5)?,
            action: row.get(6)?,
            target_kind: row.get(7)?,
            target_id: row.get(8)?,
            fields: row.get(9)?,
            outcome: row.get(10)?,
            reason: row.get(11)?,
            prev_hash: row.get(12)?,
            hash: row.get(13)?,
        })
    }

    pub fn hashed<'a>(&'a self, device: &'a [u8]) -> Hashed<'a> {
        Hashed {
            device,
            seq: self.seq,
            hlc_ms: self.hlc_ms,
            hlc_counter: self.hlc_counter,
            wall_ms: self.wall_ms,
            account: self.account.as_deref(),
            role: self.role.as_deref(),
            action: &self.action,
            target_kind: self.target_kind.as_deref(),
            target_id: self.target_id.as_deref(),
            fields: &self.fields,
            outcome: &self.outcome,
            reason: self.reason.as_deref(),
        }
    }
}

/// SHA-256 over the previous hash and every field of the entry, each length-prefixed (and
/// absent fields marked), so that no two different entries encode alike.
pub fn entry_hash(prev_hash: &[u8], entry: &Hashed<'_>) -> [u8; 32] {
    fn part(hasher: &mut Sha256, bytes: Option<&[u8]>) {
        match bytes {
            None => hasher.update([0u8]),
            Some(bytes) => {
                hasher.update([1u8]);
                hasher.update((bytes.len() as u64).to_be_bytes());
                hasher.update(bytes);
            }
        }
    }
    let mut hasher = Sha256::new();
    hasher.update(b"hearth audit entry v1\n");
    part(&mut hasher, Some(prev_hash));
    part(&mut hasher, Some(entry.device));
    for number in [entry.seq, entry.hlc_ms, entry.hlc_counter, entry.wall_ms] {
        part(&mut hasher, Some(&number.to_be_bytes()));
    }
    part(&mut hasher, entry.account);
    part(&mut hasher, entry.role.map(str::as_bytes));
    part(&mut hasher, Some(entry.action.as_bytes()));
    part(&mut hasher, entry.target_kind.map(str::as_bytes));
    part(&mut hasher, entry.target_id.map(str::as_bytes));
    part(&mut hasher, Some(entry.fields.as_bytes()));
    part(&mut hasher, Some(entry.outcome.as_bytes()));
    part(&mut hasher, entry.reason.map(str::as_bytes));
    hasher.finalize().into()
}

/// The last entry of `device`'s chain here, as (number, hash); `(0, GENESIS)` when this vault
/// holds none of it.
pub fn head(connection: &Connection, device: &[u8]) -> Result<(i64, Vec<u8>), AuditError> {
    let last: Option<(i64, Vec<u8>)> = connection
        .prepare_cached(
            "SELECT seq, hash FROM audit_log WHERE device = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([device], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(last.unwrap_or((0, GENESIS.to_vec())))
}

/// Stores an entry of `device`'s chain as it is: its link and hash were made by [`append`], or
/// checked by the import that brought it from another device.
pub fn insert(
    connection: &Connection,
    device: &[u8],
    entry: &StoredEntry,
) -> Result<(), AuditError> {
    connection
        .prepare_cached(&format!(
            "INSERT INTO audit_log (device, {})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            StoredEntry::COLUMNS
        ))?
        .execute(params![
            device,
            entry.seq,
            entry.hlc_ms,
            entry.hlc_counter,
            entry.wall_ms,
            entry.account,
            entry.role,
            entry.action,
            entry.target_kind,
            entry.target_id,
            entry.fields,
            entry.outcome,
            entry.reason,
            entry.prev_hash,
            entry.hash,
        ])?;
    Ok(())
}

/// Appends an entry to this device's chain. Runs in the caller's transaction, so the entry lands
/// with the action it records or not at all.
pub fn append(connection: &Connection, entry: &NewEntry) -> Result<u64, AuditError> {
    let device = this_device(connection)?;
    let now_ms = u64::try_from(now_unix_ms()).unwrap_or(0);
    let hlc = change_log::next_clock(connection, now_ms)?;
    let (last_seq, prev_hash) = head(connection, &device.0)?;
    let mut stored = StoredEntry {
        seq: last_seq + 1,
        hlc_ms: i64::try_from(hlc.wall_ms).unwrap_or(i64::MAX),
        hlc_counter: i64::from(hlc.counter),
        wall_ms: i64::try_from(now_ms).unwrap_or(i64::MAX),
        account: entry.account.map(|a| a.as_bytes().to_vec()),
        role: entry
            .role
            .as_ref()
            .map(|role| Role::as_str(role).to_owned()),
        action: entry.action.as_str().to_owned(),
        target_kind: entry.target.as_ref().map(|t| t.kind.to_owned()),
        target_id: entry.target.as_ref().map(|t| t.id.clone()),
        fields: serde_json::to_string(&entry.fields).unwrap_or_else(|_| "[]".to_owned()),
        outcome: entry.outcome.as_str().to_owned(),
        reason: entry.reason.clone(),
        prev_hash,
        hash: Vec::new(),
    };
    stored.hash = entry_hash(&stored.prev_hash, &stored.hashed(&device.0)).to_vec();
    insert(connection, &device.0, &stored)?;
    Ok(u64::try_from(stored.seq).unwrap_or(0))
}

/// Appends an entry in a transaction of its own (for refusals, whose action wrote nothing).
pub fn append_alone(connection: &Connection, entry: &NewEntry) -> Result<u64, AuditError> {
    let transaction = connection.unchecked_transaction()?;
    let seq = append(&transaction, entry)?;
    transaction.commit()?;
    Ok(seq)
}
