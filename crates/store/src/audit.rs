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

use serde::{Deserialize, Serialize};

use hearth_ids::{Account, AccountId, ErrorKind, Operation, Role};

pub use hearth_format::checkpoint::{self, Checkpoint, GENESIS};

use crate::change_log;
use crate::device::DeviceError;

mod chain;
mod checkpoints;
mod query;
mod verify;

pub use chain::{append, append_alone, entry_hash, head, insert, Hashed, StoredEntry};
pub use checkpoints::{checkpoint_key, make_checkpoint, parse_checkpoint};
pub use query::{list, to_csv, AuditPage, AuditQuery, EXPORT_MAX};
pub use verify::{verify, AuditProblem, AuditVerification};

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
    /// Two cases found to be one person: the one merged into the other (on both).
    MergeCases,
    /// Two cases found to be two people, so that neither is offered as the other's duplicate.
    MarkDifferent,
    /// The page-by-page check of the database after an unlock, with its result.
    CheckIntegrity,
    /// The vault re-encrypted under a new data key, every live key slot given it.
    RekeyVault,
    /// The duress passphrase set or removed (the fields: `duress_passphrase`), or an attempt to
    /// wipe the vault refused. A wipe that happens leaves no log to record it in.
    WipeVault,
    /// A partner's key for referral packets set or changed.
    SetPartnerKey,
    /// A referral packet written for a partner (the target is the packet; the fields, what it
    /// carries).
    SendReferral,
    /// A partner's referral packet received as a new case.
    ReceiveReferral,
    /// An answer to a received referral written for its sender.
    AnswerReferral,
    /// A partner's answer to a referral packet imported.
    ImportAnswer,
    /// The statistics seen on screen (the fields: the period and site).
    ViewStatistics,
    /// Statistics or CTDC records exported (the fields: what, the period, k, the rows).
    ExportStatistics,
    /// The organisation's cases exported in HTCDS shape (the fields: what, the rows, the case
    /// fields it carries).
    ExportHtcds,
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
            Operation::RekeyVault => Action::RekeyVault,
            Operation::WipeVault => Action::WipeVault,
            Operation::ChangeOwnPassphrase => Action::ChangePassphrase,
            Operation::ChangeOwnPreferences => Action::ChangeLanguage,
            Operation::ChangeSettings => Action::ChangeSettings,
            Operation::ViewCase => Action::OpenCase,
            Operation::CreateCase => Action::CreateCase,
            Operation::EditCase => Action::UpdateCase,
            Operation::CloseCase => Action::CloseCase,
            Operation::ReopenCase => Action::ReopenCase,
            Operation::ReassignCase => Action::ReassignCase,
            Operation::MergeCases => Action::MergeCases,
            Operation::OverrideReferralConsent => Action::AddRecord,
            Operation::ViewPartners => Action::ViewPartners,
            Operation::ManagePartners => Action::UpdatePartner,
            Operation::ManagePartnerKeys => Action::SetPartnerKey,
            Operation::SendReferral => Action::SendReferral,
            Operation::ViewAudit => Action::ViewAudit,
            Operation::ExportAudit => Action::ExportAudit,
            Operation::Sync => Action::Export,
            Operation::ManageDevices => Action::ChangeSettings,
            Operation::ResolveConflicts => Action::ResolveConflict,
            Operation::ViewStatistics => Action::ViewStatistics,
            Operation::ExportStatistics => Action::ExportStatistics,
            Operation::ExportHtcds => Action::ExportHtcds,
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

    /// A referral packet (sent or received), by its id.
    pub fn packet(id: impl fmt::Display) -> Target {
        Target {
            kind: "packet",
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
    #[error("the audit log could not be read or written")]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::verifying_key;
    use rusqlite::{params, Connection};

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

    const ENTRIES: u64 = 1_000;

    fn empty_vault() -> (tempfile::TempDir, Connection) {
        let (folder, connection) = crate::test_vault::empty_vault();
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
