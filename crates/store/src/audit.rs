//! The audit log: an append-only record of who saw or changed what, when, and who tried what they
//! may not do, kept so that a supervisor can trust it was not rewritten.
//!
//! Each device keeps one chain: entry `n` stores the SHA-256 hash of entry `n - 1` and its own
//! hash over every one of its fields ([`entry_hash`]). Changing, removing or reordering an entry
//! breaks the chain there, and [`Session::verify_audit`] names the first entry that does not
//! match. A chain rewritten from some point on by someone holding the database key is internally
//! consistent again; signed checkpoints catch that: at every lock (and every export) the device
//! signs its chain's size and head hash with its Ed25519 key ([`Checkpoint`], a plain-text signed
//! note in the style of C2SP tlog-checkpoint). A checkpoint kept elsewhere (the office, a USB
//! stick) shows whether the log it was taken from was later cut or rewritten.
//!
//! Entries hold field names, never field values: the audit log says that someone changed a
//! person's address, not what the address is.

use std::fmt;

use ed25519_dalek::VerifyingKey;
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use hearth_ids::{now_unix_ms, Account, AccountId, DeviceId, ErrorKind, Operation, Role};

pub use hearth_format::checkpoint::{self, Checkpoint, GENESIS};

use crate::change_log;
use crate::device::{signing_key, this_device, verifying_key, DeviceError};

/// What an entry records. The stored names (`open_case`) are generated from the variants and
/// are the same in the database, in bundles, over IPC and on the command line.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "AuditAction.ts"))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // the names say it; `describe` words them
pub enum Action {
    Unlock,
    UnlockFailed,
    Lock,
    OpenCase,
    CreateCase,
    UpdateCase,
    CloseCase,
    ReopenCase,
    ReassignCase,
    ConsentChange,
    AddRecord,
    UpdateRecord,
    AddPartner,
    UpdatePartner,
    AddAccount,
    DisableAccount,
    EnableAccount,
    ResetPassphrase,
    ChangePassphrase,
    ChangeLanguage,
    ChangeSettings,
    ViewAudit,
    VerifyAudit,
    ExportAudit,
    Checkpoint,
    Print,
    Export,
    Import,
    ViewStatus,
    ListAccounts,
    ViewPartners,
    ResolveConflict,
    /// The page-by-page check of the database after an unlock, with its result.
    CheckIntegrity,
}

impl Action {
    /// Every action, for filters and tests.
    pub fn all() -> impl Iterator<Item = Action> {
        <Action as strum::IntoEnumIterator>::iter()
    }

    /// The stored name ("open_case").
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<Action> {
        name.parse().ok()
    }

    /// The action an attempt at `operation` is recorded as (when it is refused).
    pub fn attempting(operation: Operation) -> Action {
        match operation {
            Operation::ViewVaultStatus => Action::ViewStatus,
            Operation::CheckIntegrity => Action::CheckIntegrity,
            Operation::ListAccounts => Action::ListAccounts,
            Operation::AddAccount => Action::AddAccount,
            Operation::DisableAccount => Action::DisableAccount,
            Operation::EnableAccount => Action::EnableAccount,
            Operation::ResetPassphrase => Action::ResetPassphrase,
            Operation::ChangeOwnPassphrase => Action::ChangePassphrase,
            Operation::ChangeOwnPreferences => Action::ChangeLanguage,
            Operation::ChangeSettings => Action::ChangeSettings,
            Operation::ViewCase => Action::OpenCase,
            Operation::CreateCase => Action::CreateCase,
            Operation::EditCase => Action::UpdateCase,
            Operation::CloseCase => Action::CloseCase,
            Operation::ReopenCase => Action::ReopenCase,
            Operation::ReassignCase => Action::ReassignCase,
            Operation::OverrideReferralConsent => Action::AddRecord,
            Operation::ViewPartners => Action::ViewPartners,
            Operation::ManagePartners => Action::UpdatePartner,
            Operation::ViewAudit => Action::ViewAudit,
            Operation::ExportAudit => Action::ExportAudit,
            Operation::Sync => Action::Export,
            Operation::ManageDevices => Action::ChangeSettings,
            Operation::ResolveConflicts => Action::ResolveConflict,
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the attempt ended.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "AuditOutcome.ts"))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Done.
    Ok,
    /// Refused by the permission table (or consent).
    Denied,
    /// Tried and failed (a wrong passphrase).
    Failed,
}

impl Outcome {
    /// The stored name.
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    fn parse(name: &str) -> Option<Outcome> {
        name.parse().ok()
    }
}

/// What an entry is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// "case", "account" or "partner".
    pub kind: &'static str,
    /// Its id, in hex.
    pub id: String,
}

impl Target {
    /// A case (also for what is attached to it: the entry's field names say which record).
    pub fn case(id: impl fmt::Display) -> Target {
        Target {
            kind: "case",
            id: id.to_string(),
        }
    }

    /// A staff account.
    pub fn account(id: AccountId) -> Target {
        Target {
            kind: "account",
            id: id.to_hex(),
        }
    }

    /// A partner organisation.
    pub fn partner(id: impl fmt::Display) -> Target {
        Target {
            kind: "partner",
            id: id.to_string(),
        }
    }
}

/// An entry to append. The chain position, clocks and hashes are added by [`append`].
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// Who acted, if known (not for a failed unlock of an unknown name).
    pub account: Option<AccountId>,
    /// Their role then.
    pub role: Option<Role>,
    /// What they did.
    pub action: Action,
    /// What it concerned.
    pub target: Option<Target>,
    /// The fields involved (names only).
    pub fields: Vec<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Why it was refused or failed, in words that hold no record content.
    pub reason: Option<String>,
}

impl NewEntry {
    /// A successful action by `account`.
    pub fn ok(account: &Account, action: Action) -> NewEntry {
        NewEntry {
            account: Some(account.id),
            role: Some(account.role),
            action,
            target: None,
            fields: Vec::new(),
            outcome: Outcome::Ok,
            reason: None,
        }
    }

    /// The same entry about `target`.
    pub fn on(mut self, target: Target) -> NewEntry {
        self.target = Some(target);
        self
    }

    /// The same entry naming these fields.
    pub fn with_fields(mut self, fields: Vec<String>) -> NewEntry {
        self.fields = fields;
        self
    }

    /// The same entry, refused for `reason`.
    pub fn denied(mut self, reason: String) -> NewEntry {
        self.outcome = Outcome::Denied;
        self.reason = Some(reason);
        self
    }
}

/// An entry as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "AuditEntry.ts"))]
pub struct AuditEntry {
    /// The device whose chain holds it (hex).
    pub device: String,
    /// Its position in that chain, from 1.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: u64,
    /// Wall-clock time on the device (milliseconds since the epoch).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub wall_ms: u64,
    /// The device's hybrid logical clock: milliseconds ...
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub hlc_ms: u64,
    /// ... and counter.
    pub hlc_counter: u32,
    /// Who (account id), if known.
    pub account: Option<String>,
    /// Their name, if this vault knows the account.
    pub account_name: Option<String>,
    /// Their role then.
    pub role: Option<String>,
    /// What.
    pub action: Action,
    /// "case", "account" or "partner".
    pub target_kind: Option<String>,
    /// The target's id.
    pub target_id: Option<String>,
    /// The case's number, when the target is a case this vault holds.
    pub case_number: Option<String>,
    /// Field names involved.
    pub fields: Vec<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Why it was refused or failed.
    pub reason: Option<String>,
}

/// Which entries to list: every filter given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "AuditQuery.ts"))]
#[serde(default)]
pub struct AuditQuery {
    /// Account id (hex).
    pub account: Option<String>,
    /// Case id (hex): entries about the case and what is attached to it.
    pub case_id: Option<String>,
    /// Action name.
    pub action: Option<Action>,
    /// From this day on (`YYYY-MM-DD`, UTC).
    pub since: Option<String>,
    /// Up to and including this day.
    pub until: Option<String>,
    /// Outcome.
    pub outcome: Option<Outcome>,
    /// Page number, from 0.
    pub page: u32,
    /// Entries per page (1 to 500; 0 means 100).
    pub page_size: u32,
}

/// One page of the audit view, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "AuditPage.ts"))]
pub struct AuditPage {
    /// The entries on this page.
    pub entries: Vec<AuditEntry>,
    /// How many entries match, counted up to 10,000.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
    /// More entries match than `total` says.
    pub more_than_total: bool,
    /// This page's number, from 0.
    pub page: u32,
    /// Entries per page.
    pub page_size: u32,
}

/// What verifying found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "AuditVerification.ts")
)]
pub struct AuditVerification {
    /// Every chain (and the checkpoint, if one was given) checks out.
    pub intact: bool,
    /// Entries checked.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub entries: u64,
    /// Devices whose chains were checked.
    pub devices: u32,
    /// The first problem found, if any.
    pub problem: Option<AuditProblem>,
}

/// The first place where the log does not match itself or the checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "AuditProblem.ts"))]
pub struct AuditProblem {
    /// The device whose chain it is (hex).
    pub device: String,
    /// The first entry that does not match.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: u64,
    /// What is wrong: "changed" (the entry does not match its hash), "unlinked" (it does not
    /// follow the entry before it: removed or reordered), "missing" (numbers skipped), "cut"
    /// (shorter than the checkpoint), "rewritten" (differs from the checkpoint), "bad_checkpoint".
    pub kind: String,
    /// The same in words.
    pub message: String,
}

/// Why an audit operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// A checkpoint file that is not one, or not from this vault's device.
    #[error("this is not a Hearth audit checkpoint of this device: {0}")]
    BadCheckpoint(&'static str),
    /// The clock could not be read or advanced.
    #[error(transparent)]
    Clock(#[from] change_log::ChangeLogError),
    /// A cryptographic primitive (the random generator) failed.
    #[error(transparent)]
    Crypto(#[from] hearth_crypto::CryptoError),
    /// The database failed.
    #[error("the audit log could not be read or written: {0}")]
    Database(#[from] rusqlite::Error),
}

impl AuditError {
    /// A checkpoint that is not one, or a failure of the vault.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AuditError::BadCheckpoint(_) => ErrorKind::BadCheckpoint,
            AuditError::Clock(error) => error.kind(),
            AuditError::Crypto(_) => ErrorKind::Crypto,
            AuditError::Database(error) => crate::vault::sqlite_kind(error),
        }
    }
}

impl From<DeviceError> for AuditError {
    fn from(error: DeviceError) -> Self {
        match error {
            DeviceError::Crypto(error) => AuditError::Crypto(error),
            DeviceError::Database(error) => AuditError::Database(error),
        }
    }
}

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

/// Appends an entry to this device's chain. Runs in the caller's transaction, so the entry lands
/// with the action it records or not at all.
pub fn append(connection: &Connection, entry: &NewEntry) -> Result<u64, AuditError> {
    let device = this_device(connection)?;
    let now_ms = u64::try_from(now_unix_ms()).unwrap_or(0);
    let hlc = change_log::next_clock(connection, now_ms)?;
    let last: Option<(i64, Vec<u8>)> = connection
        .prepare_cached(
            "SELECT seq, hash FROM audit_log WHERE device = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([device.0.as_slice()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let (last_seq, prev_hash) = last.unwrap_or((0, GENESIS.to_vec()));
    let seq = last_seq + 1;
    let fields = serde_json::to_string(&entry.fields).unwrap_or_else(|_| "[]".to_owned());
    let account = entry.account.map(|a| *a.as_bytes());
    let target_id = entry.target.as_ref().map(|t| t.id.as_str());
    let hashed = Hashed {
        device: &device.0,
        seq,
        hlc_ms: i64::try_from(hlc.wall_ms).unwrap_or(i64::MAX),
        hlc_counter: i64::from(hlc.counter),
        wall_ms: i64::try_from(now_ms).unwrap_or(i64::MAX),
        account: account.as_ref().map(|a| a.as_slice()),
        role: entry.role.as_ref().map(Role::as_str),
        action: entry.action.as_str(),
        target_kind: entry.target.as_ref().map(|t| t.kind),
        target_id,
        fields: &fields,
        outcome: entry.outcome.as_str(),
        reason: entry.reason.as_deref(),
    };
    let hash = entry_hash(&prev_hash, &hashed);
    connection
        .prepare_cached(
            "INSERT INTO audit_log (device, seq, hlc_ms, hlc_counter, wall_ms, account, role,
                 action, target_kind, target_id, fields, outcome, reason, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?
        .execute(params![
            hashed.device,
            hashed.seq,
            hashed.hlc_ms,
            hashed.hlc_counter,
            hashed.wall_ms,
            hashed.account,
            hashed.role,
            hashed.action,
            hashed.target_kind,
            hashed.target_id,
            hashed.fields,
            hashed.outcome,
            hashed.reason,
            prev_hash,
            hash.as_slice(),
        ])?;
    Ok(u64::try_from(seq).unwrap_or(0))
}

/// Appends an entry in a transaction of its own (for refusals, whose action wrote nothing).
pub fn append_alone(connection: &Connection, entry: &NewEntry) -> Result<u64, AuditError> {
    let transaction = connection.unchecked_transaction()?;
    let seq = append(&transaction, entry)?;
    transaction.commit()?;
    Ok(seq)
}

/// Signs the current head of this device's chain and keeps the checkpoint.
pub fn make_checkpoint(connection: &Connection) -> Result<Checkpoint, AuditError> {
    let device = this_device(connection)?;
    let (size, head) = head_of(connection, device)?;
    let checkpoint = checkpoint::sign(device, size, head, &signing_key(connection)?);
    connection.execute(
        "INSERT OR IGNORE INTO audit_checkpoints (device, size, head, note, made_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            device.0.as_slice(),
            i64::try_from(size).unwrap_or(i64::MAX),
            head.as_slice(),
            checkpoint.text,
            now_unix_ms()
        ],
    )?;
    Ok(checkpoint)
}

fn head_of(connection: &Connection, device: DeviceId) -> Result<(u64, [u8; 32]), AuditError> {
    let last: Option<(i64, Vec<u8>)> = connection
        .prepare_cached(
            "SELECT seq, hash FROM audit_log WHERE device = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([device.0.as_slice()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(match last {
        Some((seq, hash)) => (
            u64::try_from(seq).unwrap_or(0),
            <[u8; 32]>::try_from(hash).unwrap_or(GENESIS),
        ),
        None => (0, GENESIS),
    })
}

/// The key that must have signed a checkpoint note: this laptop's own, or that of the member
/// device the note names (the office checks each shelter's chain against that shelter's notes).
pub fn checkpoint_key(connection: &Connection, note: &str) -> Result<VerifyingKey, AuditError> {
    let device = checkpoint::signer(note).map_err(AuditError::BadCheckpoint)?;
    if device == this_device(connection)? {
        return Ok(verifying_key(connection)?);
    }
    let key: Option<Vec<u8>> = connection
        .query_row(
            "SELECT signing_key FROM devices WHERE device_id = ?1",
            [device.0.as_slice()],
            |row| row.get(0),
        )
        .optional()?;
    key.and_then(|key| <[u8; 32]>::try_from(key).ok())
        .and_then(|key| VerifyingKey::from_bytes(&key).ok())
        .ok_or(AuditError::BadCheckpoint(
            "it names a device this laptop does not know",
        ))
}

/// Reads a checkpoint note and checks its signature with `key`.
pub fn parse_checkpoint(text: &str, key: &VerifyingKey) -> Result<Checkpoint, AuditError> {
    checkpoint::parse(text, key).map_err(AuditError::BadCheckpoint)
}

/// Recomputes every chain in the log and, if given, checks it against a checkpoint.
pub fn verify(
    connection: &Connection,
    checkpoint: Option<&Checkpoint>,
) -> Result<AuditVerification, AuditError> {
    let mut devices: Vec<Vec<u8>> = connection
        .prepare("SELECT DISTINCT device FROM audit_log")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    devices.sort();
    let mut entries = 0u64;
    let mut statement = connection.prepare(&format!(
        "SELECT {} FROM audit_log WHERE device = ?1 ORDER BY seq",
        StoredEntry::COLUMNS
    ))?;
    let device_count = u32::try_from(devices.len()).unwrap_or(u32::MAX);
    let found = |device: &[u8], seq: u64, kind: &str, message: String| AuditVerification {
        intact: false,
        entries: 0,
        devices: device_count,
        problem: Some(AuditProblem {
            device: hex::encode(device),
            seq,
            kind: kind.to_owned(),
            message,
        }),
    };
    let mut heads: Vec<(Vec<u8>, u64, [u8; 32])> = Vec::new();
    for device in &devices {
        let mut rows = statement.query([device.as_slice()])?;
        let mut expected_seq: u64 = 1;
        let mut prev_hash: [u8; 32] = GENESIS;
        let mut hashes: Vec<[u8; 32]> = Vec::new();
        while let Some(row) = rows.next()? {
            let stored = StoredEntry::from_row(row)?;
            let seq = u64::try_from(stored.seq).unwrap_or(0);
            if seq != expected_seq {
                return Ok(found(
                    device,
                    expected_seq,
                    "missing",
                    format!(
                        "entries {expected_seq} to {} are missing",
                        seq.saturating_sub(1)
                    ),
                ));
            }
            if stored.prev_hash != prev_hash {
                return Ok(found(
                    device,
                    seq,
                    "unlinked",
                    format!(
                        "entry {seq} does not follow entry {}: an entry was removed or moved",
                        seq - 1
                    ),
                ));
            }
            let hash = entry_hash(&prev_hash, &stored.hashed(device));
            if stored.hash != hash {
                return Ok(found(
                    device,
                    seq,
                    "changed",
                    format!("entry {seq} does not match its hash: it was changed"),
                ));
            }
            prev_hash = hash;
            hashes.push(hash);
            expected_seq += 1;
            entries += 1;
        }
        if checkpoint.is_some_and(|c| c.device.0.as_slice() == device.as_slice()) {
            heads.push((device.clone(), hashes.len() as u64, prev_hash));
            if let Some(checkpoint) = checkpoint {
                let size = checkpoint.size;
                if size > hashes.len() as u64 {
                    return Ok(found(
                        device,
                        hashes.len() as u64 + 1,
                        "cut",
                        format!(
                            "the log has {} entries but the checkpoint vouches for {size}: it was cut",
                            hashes.len()
                        ),
                    ));
                }
                let at = if size == 0 {
                    GENESIS
                } else {
                    hashes[usize::try_from(size - 1).unwrap_or(0)]
                };
                if at != checkpoint.head {
                    return Ok(found(
                        device,
                        size,
                        "rewritten",
                        format!("entry {size} differs from the checkpoint: the log was rewritten"),
                    ));
                }
            }
        }
    }
    if let Some(checkpoint) = checkpoint {
        let covered = heads
            .iter()
            .any(|(d, ..)| d.as_slice() == checkpoint.device.0.as_slice());
        if !covered && checkpoint.size > 0 {
            return Ok(found(
                &checkpoint.device.0,
                1,
                "cut",
                format!(
                    "the log holds no entries of this device but the checkpoint vouches for {}",
                    checkpoint.size
                ),
            ));
        }
    }
    Ok(AuditVerification {
        intact: true,
        entries,
        devices: device_count,
        problem: None,
    })
}

/// The most matches the audit view counts.
const AUDIT_COUNT_CAP: u64 = 10_000;

/// A page of entries, newest first.
pub fn list(connection: &Connection, query: &AuditQuery) -> Result<AuditPage, AuditError> {
    let mut conditions: Vec<&str> = Vec::new();
    let mut values: Vec<SqlValue> = Vec::new();
    if let Some(account) = query.account.as_deref().and_then(hearth_ids::parse_hex16) {
        conditions.push("l.account = ?");
        values.push(SqlValue::Blob(account.to_vec()));
    }
    if let Some(case) = query.case_id.as_deref().filter(|c| !c.is_empty()) {
        conditions.push("l.target_kind = 'case' AND l.target_id = ?");
        values.push(SqlValue::Text(case.trim().to_lowercase()));
    }
    if let Some(action) = query.action {
        conditions.push("l.action = ?");
        values.push(SqlValue::Text(action.as_str().to_owned()));
    }
    if let Some(outcome) = query.outcome {
        conditions.push("l.outcome = ?");
        values.push(SqlValue::Text(outcome.as_str().to_owned()));
    }
    let day_start = |day: &str| {
        let date: jiff::civil::Date = day.trim().parse().ok()?;
        let midnight = date.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
        Some(midnight.timestamp().as_millisecond())
    };
    if let Some(since) = query.since.as_deref().and_then(day_start) {
        conditions.push("l.wall_ms >= ?");
        values.push(SqlValue::Integer(since));
    }
    if let Some(until) = query.until.as_deref().and_then(day_start) {
        conditions.push("l.wall_ms < ?");
        values.push(SqlValue::Integer(until + 86_400_000));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let total: i64 = connection.query_row(
        &format!(
            "SELECT count(*) FROM (SELECT 1 FROM audit_log l {filter} LIMIT {})",
            AUDIT_COUNT_CAP + 1
        ),
        params_from_iter(values.iter()),
        |row| row.get(0),
    )?;
    let total = u64::try_from(total).unwrap_or(0);
    let page_size = match query.page_size {
        0 => 100,
        size => size.min(500),
    };
    values.push(SqlValue::Integer(i64::from(page_size)));
    values.push(SqlValue::Integer(
        i64::from(query.page) * i64::from(page_size),
    ));
    let sql = format!(
        "SELECT l.device, l.seq, l.wall_ms, l.hlc_ms, l.hlc_counter, l.account, a.name, l.role,
                l.action, l.target_kind, l.target_id, c.number, l.fields, l.outcome, l.reason
         FROM audit_log l
         LEFT JOIN accounts a ON a.id = l.account
         LEFT JOIN cases c ON l.target_kind = 'case' AND c.id = unhex(l.target_id)
         {filter} ORDER BY l.wall_ms DESC, l.hlc_ms DESC, l.hlc_counter DESC, l.seq DESC
         LIMIT ? OFFSET ?"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let entries = statement
        .query_map(params_from_iter(values.iter()), |row| {
            let number = |index: usize| -> rusqlite::Result<u64> {
                Ok(u64::try_from(row.get::<_, i64>(index)?).unwrap_or(0))
            };
            let action: String = row.get(8)?;
            let outcome: String = row.get(13)?;
            let fields: String = row.get(12)?;
            Ok(AuditEntry {
                device: hex::encode(&row.get::<_, Vec<u8>>(0)?),
                seq: number(1)?,
                wall_ms: number(2)?,
                hlc_ms: number(3)?,
                hlc_counter: u32::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
                account: row.get::<_, Option<Vec<u8>>>(5)?.map(|a| hex::encode(&a)),
                account_name: row.get(6)?,
                role: row.get(7)?,
                action: Action::parse(&action).unwrap_or(Action::Unlock),
                target_kind: row.get(9)?,
                target_id: row.get(10)?,
                case_number: row.get(11)?,
                fields: serde_json::from_str(&fields).unwrap_or_default(),
                outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Failed),
                reason: row.get(14)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(AuditPage {
        entries,
        total: total.min(AUDIT_COUNT_CAP),
        more_than_total: total > AUDIT_COUNT_CAP,
        page: query.page,
        page_size,
    })
}

/// The entries as CSV (RFC 4180, with a header row), oldest first.
pub fn to_csv(entries: &[AuditEntry]) -> String {
    fn cell(text: &str) -> String {
        // Quote every cell; double inner quotes. A leading =, +, - or @ would make a spreadsheet
        // run the cell as a formula: prefix it with an apostrophe.
        let safe = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{text}")
        } else {
            text.to_owned()
        };
        format!("\"{}\"", safe.replace('"', "\"\""))
    }
    let mut csv = String::from(
        "\"time_utc_ms\",\"device\",\"seq\",\"account\",\"account_name\",\"role\",\"action\",\"target_kind\",\"target_id\",\"case_number\",\"fields\",\"outcome\",\"reason\"\r\n",
    );
    for entry in entries.iter().rev() {
        let row = [
            entry.wall_ms.to_string(),
            entry.device.clone(),
            entry.seq.to_string(),
            entry.account.clone().unwrap_or_default(),
            entry.account_name.clone().unwrap_or_default(),
            entry.role.clone().unwrap_or_default(),
            entry.action.as_str().to_owned(),
            entry.target_kind.clone().unwrap_or_default(),
            entry.target_id.clone().unwrap_or_default(),
            entry.case_number.clone().unwrap_or_default(),
            entry.fields.join(" "),
            entry.outcome.as_str().to_owned(),
            entry.reason.clone().unwrap_or_default(),
        ];
        csv.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        csv.push_str("\r\n");
    }
    csv
}

/// The most entries one CSV export holds.
pub const EXPORT_MAX: u32 = 500;

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated names are the serde names, read back as written, one per action.
    #[test]
    fn action_and_outcome_names_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for action in Action::all() {
            let name = action.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert_eq!(Action::parse(name), Some(action));
            assert_eq!(serde_json::to_value(action).unwrap(), name);
        }
        assert_eq!(
            Action::parse("check_integrity"),
            Some(Action::CheckIntegrity)
        );
        for outcome in [Outcome::Ok, Outcome::Denied, Outcome::Failed] {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
            assert_eq!(serde_json::to_value(outcome).unwrap(), outcome.as_str());
        }
        assert_eq!(Action::parse("Open_Case"), None);
    }
    use hearth_crypto::SecretKey;

    const ENTRIES: u64 = 1_000;

    fn empty_vault() -> (tempfile::TempDir, Connection) {
        let folder = tempfile::tempdir().unwrap();
        let key = SecretKey::generate().unwrap();
        let mut connection =
            crate::vault::open_database(&folder.path().join("vault.db"), &key).unwrap();
        crate::vault::migrate(&mut connection).unwrap();
        connection
            .execute(
                "INSERT INTO this_device (id, device_id, created_ms) VALUES (1, ?1, 0)",
                [[7u8; 16].as_slice()],
            )
            .unwrap();
        (folder, connection)
    }

    fn account() -> Account {
        Account {
            id: AccountId::from_bytes([3; 16]),
            name: "Ana".into(),
            role: Role::Caseworker,
            active: true,
        }
    }

    /// A log of ENTRIES varied entries, with the append-only triggers dropped so that the tests
    /// can play someone who holds the database key.
    fn log_with_entries() -> (tempfile::TempDir, Connection) {
        let (folder, connection) = empty_vault();
        let transaction = connection.unchecked_transaction().unwrap();
        for i in 0..ENTRIES {
            let all: Vec<Action> = Action::all().collect();
            let action = all[usize::try_from(i).unwrap() % all.len()];
            let mut entry = NewEntry::ok(&account(), action)
                .on(Target::case(format!("{i:032x}")))
                .with_fields(vec![format!("field{}", i % 7)]);
            if i % 5 == 0 {
                entry = entry.denied(format!("reason {i}"));
            }
            append(&transaction, &entry).unwrap();
        }
        transaction.commit().unwrap();
        connection
            .execute_batch(
                "DROP TRIGGER audit_log_is_append_only_update;
                 DROP TRIGGER audit_log_is_append_only_delete;",
            )
            .unwrap();
        (folder, connection)
    }

    /// Runs `tamper`, verifies, and undoes the tampering; returns what verifying found.
    fn verify_after(
        connection: &Connection,
        checkpoint: Option<&Checkpoint>,
        tamper: &str,
        number: u64,
    ) -> AuditVerification {
        connection.execute_batch("SAVEPOINT tamper").unwrap();
        connection
            .execute(tamper, [i64::try_from(number).unwrap()])
            .unwrap();
        let result = verify(connection, checkpoint).unwrap();
        connection
            .execute_batch("ROLLBACK TO tamper; RELEASE tamper")
            .unwrap();
        result
    }

    fn problem(verification: &AuditVerification) -> (u64, &str) {
        let problem = verification
            .problem
            .as_ref()
            .expect("the tampering went unnoticed");
        (problem.seq, problem.kind.as_str())
    }

    #[test]
    fn an_untouched_log_verifies_clean() {
        let (_folder, connection) = log_with_entries();
        let verification = verify(&connection, None).unwrap();
        assert!(verification.intact, "{:?}", verification.problem);
        assert_eq!(verification.entries, ENTRIES);
        let checkpoint = make_checkpoint(&connection).unwrap();
        let parsed =
            parse_checkpoint(&checkpoint.text, &verifying_key(&connection).unwrap()).unwrap();
        assert_eq!(parsed, checkpoint);
        assert!(verify(&connection, Some(&parsed)).unwrap().intact);
    }

    /// Every entry, each with a different one of its columns changed, is caught at that entry.
    #[test]
    fn changing_any_field_of_any_entry_is_detected_there() {
        let (_folder, connection) = log_with_entries();
        let changes = [
            ("hlc_ms", "UPDATE audit_log SET hlc_ms = hlc_ms + 1 WHERE seq = ?1", "changed"),
            ("hlc_counter", "UPDATE audit_log SET hlc_counter = hlc_counter + 1 WHERE seq = ?1", "changed"),
            ("wall_ms", "UPDATE audit_log SET wall_ms = wall_ms - 1 WHERE seq = ?1", "changed"),
            ("account", "UPDATE audit_log SET account = zeroblob(16) WHERE seq = ?1", "changed"),
            ("role", "UPDATE audit_log SET role = 'supervisor' WHERE seq = ?1", "changed"),
            ("action", "UPDATE audit_log SET action = 'lock' || action WHERE seq = ?1", "changed"),
            ("target", "UPDATE audit_log SET target_id = 'ff' || target_id WHERE seq = ?1", "changed"),
            ("fields", "UPDATE audit_log SET fields = '[]' WHERE seq = ?1", "changed"),
            ("outcome", "UPDATE audit_log SET outcome = CASE outcome WHEN 'ok' THEN 'denied' ELSE 'ok' END WHERE seq = ?1", "changed"),
            ("reason", "UPDATE audit_log SET reason = coalesce(reason, '') || 'x' WHERE seq = ?1", "changed"),
            ("hash", "UPDATE audit_log SET hash = zeroblob(32) WHERE seq = ?1", "changed"),
            ("prev_hash", "UPDATE audit_log SET prev_hash = zeroblob(32) WHERE seq = ?1", "unlinked"),
        ];
        for seq in 1..=ENTRIES {
            let (column, sql, kind) = changes[usize::try_from(seq).unwrap() % changes.len()];
            let found = verify_after(&connection, None, sql, seq);
            // Zeroing the first entry's prev_hash changes nothing: it is zeros already.
            if seq == 1 && column == "prev_hash" {
                continue;
            }
            assert_eq!(problem(&found), (seq, kind), "{column} of entry {seq}");
        }
    }

    #[test]
    fn deleting_any_entry_is_detected_there() {
        let (_folder, connection) = log_with_entries();
        for seq in 1..ENTRIES {
            let found = verify_after(
                &connection,
                None,
                "DELETE FROM audit_log WHERE seq = ?1",
                seq,
            );
            assert_eq!(problem(&found), (seq, "missing"), "deleting entry {seq}");
        }
        // The last entry leaves no gap: only a checkpoint shows it went (see the cut test).
        let checkpoint = make_checkpoint(&connection).unwrap();
        let found = verify_after(
            &connection,
            Some(&checkpoint),
            "DELETE FROM audit_log WHERE seq = ?1",
            ENTRIES,
        );
        assert_eq!(problem(&found), (ENTRIES, "cut"));
    }

    #[test]
    fn swapping_any_two_neighbours_is_detected_at_the_first() {
        let (_folder, connection) = log_with_entries();
        // Swap the contents of entries seq and seq + 1, keeping their numbers.
        let swap = "UPDATE audit_log SET
                (hlc_ms, hlc_counter, wall_ms, account, role, action, target_kind, target_id,
                 fields, outcome, reason, prev_hash, hash) =
                (SELECT o.hlc_ms, o.hlc_counter, o.wall_ms, o.account, o.role, o.action,
                        o.target_kind, o.target_id, o.fields, o.outcome, o.reason, o.prev_hash,
                        o.hash
                 FROM audit_log o
                 WHERE o.device = audit_log.device
                   AND o.seq = CASE audit_log.seq WHEN ?1 THEN ?1 + 1 ELSE ?1 END)
             WHERE seq IN (?1, ?1 + 1)";
        for seq in 1..ENTRIES {
            let found = verify_after(&connection, None, swap, seq);
            let (at, _) = problem(&found);
            assert_eq!(at, seq, "swapping entries {seq} and {}", seq + 1);
        }
    }

    #[test]
    fn cutting_the_tail_is_detected_against_an_earlier_checkpoint() {
        let (_folder, connection) = log_with_entries();
        let checkpoint = make_checkpoint(&connection).unwrap();
        for keep in 0..ENTRIES {
            let found = verify_after(
                &connection,
                Some(&checkpoint),
                "DELETE FROM audit_log WHERE seq > ?1",
                keep,
            );
            assert_eq!(problem(&found), (keep + 1, "cut"), "keeping {keep} entries");
            // Without the checkpoint the shorter chain is consistent: that is what checkpoints
            // are for.
        }
        let shorter = verify_after(
            &connection,
            None,
            "DELETE FROM audit_log WHERE seq > ?1",
            500,
        );
        assert!(shorter.intact);
    }

    #[test]
    fn a_rewritten_log_is_detected_against_an_earlier_checkpoint() {
        let (_folder, connection) = log_with_entries();
        let checkpoint = make_checkpoint(&connection).unwrap();
        // Someone with the key rewrites entry 10 and recomputes every hash after it.
        connection
            .execute(
                "UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 10",
                [],
            )
            .unwrap();
        let rows: Vec<(i64, Vec<u8>)> = connection
            .prepare("SELECT seq, hash FROM audit_log ORDER BY seq")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut prev = rows[8].1.clone();
        for (seq, _) in rows.iter().skip(9) {
            let stored = connection
                .query_row(
                    &format!(
                        "SELECT {} FROM audit_log WHERE seq = ?1",
                        StoredEntry::COLUMNS
                    ),
                    [seq],
                    StoredEntry::from_row,
                )
                .unwrap();
            let hash = entry_hash(&prev, &stored.hashed(&[7u8; 16]));
            connection
                .execute(
                    "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
                    params![prev, hash.as_slice(), seq],
                )
                .unwrap();
            prev = hash.to_vec();
        }
        assert!(
            verify(&connection, None).unwrap().intact,
            "the rewrite is self-consistent"
        );
        let found = verify(&connection, Some(&checkpoint)).unwrap();
        assert_eq!(problem(&found), (ENTRIES, "rewritten"));
    }

    #[test]
    fn hearth_itself_cannot_change_or_remove_entries() {
        let (_folder, connection) = empty_vault();
        append(&connection, &NewEntry::ok(&account(), Action::Unlock)).unwrap();
        assert!(connection
            .execute("UPDATE audit_log SET action = 'lock'", [])
            .is_err());
        assert!(connection.execute("DELETE FROM audit_log", []).is_err());
        assert!(verify(&connection, None).unwrap().intact);
    }

    #[test]
    fn a_checkpoint_with_a_changed_number_or_signature_is_refused() {
        let (_folder, connection) = empty_vault();
        append(&connection, &NewEntry::ok(&account(), Action::Unlock)).unwrap();
        let checkpoint = make_checkpoint(&connection).unwrap();
        let key = verifying_key(&connection).unwrap();
        let bigger = checkpoint.text.replacen("\n1\n", "\n2\n", 1);
        assert!(matches!(
            parse_checkpoint(&bigger, &key),
            Err(AuditError::BadCheckpoint("the signature does not verify"))
        ));
        let other_key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
        assert!(parse_checkpoint(&checkpoint.text, &other_key).is_err());
        assert!(parse_checkpoint("hello", &key).is_err());
    }

    #[test]
    fn csv_quotes_every_cell_and_defuses_formulas() {
        let entry = AuditEntry {
            device: "d".into(),
            seq: 1,
            wall_ms: 5,
            hlc_ms: 5,
            hlc_counter: 0,
            account: None,
            account_name: Some("=HYPERLINK(\"x\")".into()),
            role: None,
            action: Action::Unlock,
            target_kind: None,
            target_id: None,
            case_number: None,
            fields: vec!["a".into(), "b".into()],
            outcome: Outcome::Ok,
            reason: None,
        };
        let csv = to_csv(&[entry]);
        let row = csv.lines().nth(1).unwrap();
        assert!(row.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{row}");
        assert!(row.contains("\"a b\""), "{row}");
    }
}
