//! Accounts, roles, the permission table, and the unlocked session.
//!
//! Roles are enforced here, in the core, not by cryptography: every account's key slot unwraps the
//! same data key. [`is_allowed`] is the one place that decides whether a role may perform an
//! operation; every operation on a [`Session`] asks it first.

mod passphrase_policy;
mod session;

use std::fmt;

use serde::Serialize;

pub use passphrase_policy::{assess_passphrase, PassphraseAssessment, PassphraseProblem};
pub(crate) use session::now_unix_ms;
pub use session::{
    create_vault, recover_admin, unlock, KdfChoice, NewVault, Session, SessionOverview, VaultStatus,
};

use crate::crypto::{CryptoError, RecoveryKeyFormatError};
use crate::vault::keyslots::KeySlotFileError;
use crate::vault::DatabaseOpenError;

/// A random 128-bit account id. It, not the name, is what key slots and records refer to.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId([u8; 16]);

impl AccountId {
    /// The id with these bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The id's bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Lowercase hex, as shown to people and stored in the throttle file.
    pub fn to_hex(&self) -> String {
        crate::lowercase_hex(&self.0)
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId({})", self.to_hex())
    }
}

/// What an account may do. See [`is_allowed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sets up the laptop and manages accounts. Often the supervisor too.
    Admin,
    /// Reviews cases and the audit trail.
    Supervisor,
    /// Keeps the case records of the people they work with.
    Caseworker,
}

impl Role {
    /// Every role, for tables and tests.
    pub const ALL: [Role; 3] = [Role::Admin, Role::Supervisor, Role::Caseworker];

    /// The stored and typed name of the role.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Caseworker => "caseworker",
        }
    }

    /// Reads a role's name, as stored or as typed (any case).
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a session can be asked to do. Later capabilities add their operations here and a
/// row to [`PERMISSIONS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// See the organisation, site, device and schema of the vault.
    ViewVaultStatus,
    /// Run and see the database integrity check.
    CheckIntegrity,
    /// See the list of accounts.
    ListAccounts,
    /// Add an account.
    AddAccount,
    /// Disable an account.
    DisableAccount,
    /// Enable a disabled account.
    EnableAccount,
    /// Set a new passphrase for someone else's account.
    ResetPassphrase,
    /// Change one's own passphrase.
    ChangeOwnPassphrase,
    /// Change one's own preferences (the app's language).
    ChangeOwnPreferences,
    /// Change vault-wide settings (the idle timeout).
    ChangeSettings,
    /// Open a case: the person, the case and everything attached to it, and its history.
    ViewCase,
    /// Open a new case.
    CreateCase,
    /// Change a case's fields and add or change what is attached to it (consent, services,
    /// referrals, notes, follow-ups).
    EditCase,
    /// Close a case (Closed or ClosedReferred) with a reason.
    CloseCase,
    /// Reopen a closed case.
    ReopenCase,
    /// Change a case's owner or its assigned caseworkers.
    ReassignCase,
    /// Refer a person to a partner without their consent to that referral, giving a reason.
    OverrideReferralConsent,
    /// See the directory of partner organisations.
    ViewPartners,
    /// Add and change partner organisations.
    ManagePartners,
    /// See the audit log, verify it and sign checkpoints of it.
    ViewAudit,
    /// Export audit entries to a file.
    ExportAudit,
    /// Export and import sync bundles, see the devices.
    Sync,
    /// Approve and revoke devices, join an organisation, set the office's recipient.
    ManageDevices,
    /// See the conflict queue (values that lost to a concurrent edit on another laptop) and
    /// resolve it.
    ResolveConflicts,
}

impl Operation {
    /// Every operation, for tables and tests.
    pub const ALL: [Operation; 24] = [
        Operation::ViewVaultStatus,
        Operation::CheckIntegrity,
        Operation::ListAccounts,
        Operation::AddAccount,
        Operation::DisableAccount,
        Operation::EnableAccount,
        Operation::ResetPassphrase,
        Operation::ChangeOwnPassphrase,
        Operation::ChangeOwnPreferences,
        Operation::ChangeSettings,
        Operation::ViewCase,
        Operation::CreateCase,
        Operation::EditCase,
        Operation::CloseCase,
        Operation::ReopenCase,
        Operation::ReassignCase,
        Operation::OverrideReferralConsent,
        Operation::ViewPartners,
        Operation::ManagePartners,
        Operation::ViewAudit,
        Operation::ExportAudit,
        Operation::Sync,
        Operation::ManageDevices,
        Operation::ResolveConflicts,
    ];

    /// What the operation is, in words that fit "your role may not ...".
    pub fn describe(&self) -> &'static str {
        match self {
            Operation::ViewVaultStatus => "view the vault's status",
            Operation::CheckIntegrity => "check the database's integrity",
            Operation::ListAccounts => "list accounts",
            Operation::AddAccount => "add accounts",
            Operation::DisableAccount => "disable accounts",
            Operation::EnableAccount => "enable accounts",
            Operation::ResetPassphrase => "reset other people's passphrases",
            Operation::ChangeOwnPassphrase => "change your passphrase",
            Operation::ChangeOwnPreferences => "change your preferences",
            Operation::ChangeSettings => "change the vault's settings",
            Operation::ViewCase => "open this case",
            Operation::CreateCase => "open new cases",
            Operation::EditCase => "change this case",
            Operation::CloseCase => "close cases",
            Operation::ReopenCase => "reopen cases",
            Operation::ReassignCase => "reassign cases",
            Operation::OverrideReferralConsent => "refer someone without their consent",
            Operation::ViewPartners => "see the partner organisations",
            Operation::ManagePartners => "change the partner organisations",
            Operation::ViewAudit => "see the audit log",
            Operation::ExportAudit => "export the audit log",
            Operation::Sync => "export or import sync bundles",
            Operation::ManageDevices => "approve or revoke devices",
            Operation::ResolveConflicts => "resolve conflicting edits",
        }
    }
}

/// How far a grant reaches. Case operations distinguish the cases a person works on from all
/// cases; every other operation is simply allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    /// Everything the operation can apply to (for case operations: every case).
    All,
    /// Only the cases the account owns or is assigned to.
    OwnOrAssignedCases,
}

/// The permission table: which roles may perform each operation, and how far. Nothing else grants
/// anything.
pub const PERMISSIONS: &[(Operation, &[(Role, Reach)])] = {
    use Reach::{All, OwnOrAssignedCases};
    use Role::{Admin, Caseworker, Supervisor};
    &[
        (
            Operation::ViewVaultStatus,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        // Everyone at the laptop should learn that the database is damaged.
        (
            Operation::CheckIntegrity,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        // Supervisors see the staff list: they assign cases to caseworkers.
        (Operation::ListAccounts, &[(Admin, All), (Supervisor, All)]),
        (Operation::AddAccount, &[(Admin, All)]),
        (Operation::DisableAccount, &[(Admin, All)]),
        (Operation::EnableAccount, &[(Admin, All)]),
        (Operation::ResetPassphrase, &[(Admin, All)]),
        (
            Operation::ChangeOwnPassphrase,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        (
            Operation::ChangeOwnPreferences,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        (Operation::ChangeSettings, &[(Admin, All)]),
        // Caseworkers see only the people they work with. Administrators see every case (they answer
        // for the laptop) but do not change case records: that is casework.
        (
            Operation::ViewCase,
            &[
                (Admin, All),
                (Supervisor, All),
                (Caseworker, OwnOrAssignedCases),
            ],
        ),
        (
            Operation::CreateCase,
            &[(Supervisor, All), (Caseworker, All)],
        ),
        (
            Operation::EditCase,
            &[(Supervisor, All), (Caseworker, OwnOrAssignedCases)],
        ),
        (Operation::CloseCase, &[(Supervisor, All)]),
        (Operation::ReopenCase, &[(Supervisor, All)]),
        (Operation::ReassignCase, &[(Supervisor, All)]),
        (Operation::OverrideReferralConsent, &[(Supervisor, All)]),
        (
            Operation::ViewPartners,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        (
            Operation::ManagePartners,
            &[(Admin, All), (Supervisor, All)],
        ),
        // Supervisors audit; administrators answer for the laptop. Caseworkers do not see who
        // else opened what.
        (Operation::ViewAudit, &[(Admin, All), (Supervisor, All)]),
        (Operation::ExportAudit, &[(Admin, All), (Supervisor, All)]),
        // Whoever carries the USB stick syncs; bundles hold what every member may hold.
        (
            Operation::Sync,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        (Operation::ManageDevices, &[(Admin, All)]),
        // A conflict is two versions of a case's field: deciding between them is casework, and
        // supervisors see every case.
        (Operation::ResolveConflicts, &[(Supervisor, All)]),
    ]
};

/// How far `role` may perform `operation`; `None` if not at all. An operation missing from the
/// table is refused.
pub fn reach(role: Role, operation: Operation) -> Option<Reach> {
    PERMISSIONS
        .iter()
        .find(|(listed, _)| *listed == operation)
        .and_then(|(_, grants)| grants.iter().find(|(granted, _)| *granted == role))
        .map(|(_, reach)| *reach)
}

/// Whether `role` may perform `operation` at all (on some case, for case operations).
pub fn is_allowed(role: Role, operation: Operation) -> bool {
    reach(role, operation).is_some()
}

/// A staff account as the rest of the app sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// The account's id.
    #[serde(serialize_with = "serialize_account_id")]
    pub id: AccountId,
    /// The name the person unlocks with, as they typed it when it was created.
    pub name: String,
    /// The account's role.
    pub role: Role,
    /// False once an admin has disabled the account.
    pub active: bool,
}

fn serialize_account_id<S: serde::Serializer>(id: &AccountId, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&id.to_hex())
}

/// The languages the app speaks, by ISO 639-1 code: English, Albanian, Serbian (Latin script).
pub const LANGUAGES: [&str; 3] = ["en", "sq", "sr"];

/// The shortest and longest idle timeouts an administrator may set, in seconds.
pub const IDLE_TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 10..=4 * 60 * 60;

/// Longest name (account, organisation, site) in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// What is wrong with a name someone typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameProblem {
    /// Nothing but spaces.
    #[error("the {field} is empty")]
    Empty {
        /// Which name ("account name", "organisation name", "site name").
        field: &'static str,
    },
    /// Longer than [`MAX_NAME_CHARS`].
    #[error("the {field} is longer than {MAX_NAME_CHARS} characters")]
    TooLong {
        /// Which name.
        field: &'static str,
    },
    /// Holds control characters (tabs, line breaks, ...).
    #[error("the {field} contains a line break or another control character")]
    ControlCharacter {
        /// Which name.
        field: &'static str,
    },
}

/// Trims a name and checks it; returns the trimmed name.
pub fn validate_name(field: &'static str, name: &str) -> Result<String, NameProblem> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(NameProblem::Empty { field });
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(NameProblem::TooLong { field });
    }
    if trimmed.chars().any(char::is_control) {
        return Err(NameProblem::ControlCharacter { field });
    }
    Ok(trimmed.to_owned())
}

/// The form of an account name used to find and compare accounts: trimmed, runs of spaces
/// collapsed, lowercase. "Ana Petrović" and "  ana  petrović" are the same account.
pub fn normalise_account_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Why a vault could not be created, unlocked or recovered. Kept apart from [`AccessError`]
/// (operations in an unlocked session) because the unlock screen acts on each of these.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// There is no vault in the folder.
    #[error("there is no Hearth vault in this folder")]
    NoVault,
    /// A vault is already there; creating one would destroy it.
    #[error("a Hearth vault already exists in this folder")]
    VaultExists,
    /// No account has that name.
    #[error("there is no account with that name")]
    UnknownAccount,
    /// The passphrase is wrong.
    #[error("wrong passphrase for this account")]
    WrongPassphrase,
    /// An admin disabled the account.
    #[error("this account is disabled; ask an administrator to enable it")]
    AccountDisabled,
    /// Too many wrong passphrases in a row.
    #[error("too many wrong attempts; please wait {seconds} s before trying again")]
    MustWait {
        /// Seconds until the next attempt is allowed (rounded up).
        seconds: u64,
    },
    /// The recovery key is wrong.
    #[error("wrong recovery key for this vault")]
    WrongRecoveryKey,
    /// The recovery key was mistyped.
    #[error(transparent)]
    RecoveryKeyFormat(#[from] RecoveryKeyFormatError),
    /// The new passphrase was refused.
    #[error(transparent)]
    Passphrase(#[from] PassphraseProblem),
    /// A name was refused.
    #[error(transparent)]
    Name(#[from] NameProblem),
    /// The account named for recovery is not an administrator.
    #[error("the recovery key resets an administrator's passphrase; that account is not an administrator")]
    NotAnAdmin,
    /// The KDF parameters asked for are below Hearth's floor.
    #[error("key derivation settings below Hearth's minimum were asked for")]
    KdfBelowFloor,
    /// A key slot was altered (its KDF parameters are out of range).
    #[error("the key slot for this account was altered; restore the vault's keyslots file from a backup")]
    SlotAltered,
    /// The key-slot file is damaged.
    #[error(transparent)]
    KeySlots(#[from] KeySlotFileError),
    /// The database could not be opened.
    #[error(transparent)]
    Database(#[from] DatabaseOpenError),
    /// A cryptographic primitive failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The vault folder could not be created or read.
    #[error("the vault folder could not be used: {0}")]
    Folder(std::io::Error),
}

impl From<rusqlite::Error> for OpenError {
    fn from(error: rusqlite::Error) -> Self {
        OpenError::Database(DatabaseOpenError::Sqlite(error))
    }
}

impl OpenError {
    /// A stable name for the kind of error, for the UI to choose a message by (never the text).
    pub fn kind(&self) -> &'static str {
        match self {
            OpenError::NoVault => "no_vault",
            OpenError::VaultExists => "vault_exists",
            OpenError::UnknownAccount => "unknown_account",
            OpenError::WrongPassphrase => "wrong_passphrase",
            OpenError::AccountDisabled => "account_disabled",
            OpenError::MustWait { .. } => "must_wait",
            OpenError::WrongRecoveryKey => "wrong_recovery_key",
            OpenError::RecoveryKeyFormat(_) => "recovery_key_mistyped",
            OpenError::Passphrase(_) => "weak_passphrase",
            OpenError::Name(_) => "invalid_name",
            OpenError::NotAnAdmin => "not_an_admin",
            OpenError::KdfBelowFloor => "kdf_below_floor",
            OpenError::SlotAltered => "slot_altered",
            OpenError::KeySlots(_) => "key_slots_damaged",
            OpenError::Database(DatabaseOpenError::SchemaTooNew { .. }) => "schema_too_new",
            OpenError::Database(_) => "database",
            OpenError::Crypto(_) => "crypto",
            OpenError::Folder(_) => "folder",
        }
    }
}

/// Why an operation in an unlocked session was refused or failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccessError {
    /// The account's role may not do this.
    #[error("your role ({role}) may not {}", operation.describe())]
    Denied {
        /// The session's role.
        role: Role,
        /// What was attempted.
        operation: Operation,
    },
    /// No account has that name.
    #[error("there is no account with that name")]
    UnknownAccount,
    /// The name is taken.
    #[error("an account with that name already exists")]
    AccountExists,
    /// The account is already in the state asked for.
    #[error("the account is already {0}")]
    AlreadyInState(&'static str),
    /// Disabling or demoting would leave no active administrator.
    #[error("this is the last active administrator; add or enable another administrator first")]
    LastAdmin,
    /// People may not disable their own account (they would be locked out mid-session).
    #[error("you cannot disable your own account")]
    OwnAccount,
    /// An administrator used "reset" on their own account: changing one's own passphrase needs
    /// the current one, so that someone at an unlocked laptop cannot take the account over.
    #[error("to change your own passphrase, use \"change passphrase\" and give your current one")]
    OwnPassphrase,
    /// Too many wrong current passphrases in a row.
    #[error("too many wrong attempts; please wait {seconds} s before trying again")]
    MustWait {
        /// Seconds until the next attempt is allowed (rounded up).
        seconds: u64,
    },
    /// The vault folder's write lock could not be taken.
    #[error("the vault folder could not be locked for writing: {0}")]
    WriteLock(std::io::Error),
    /// A passphrase reset for a disabled account.
    #[error("the account is disabled; enable it before resetting its passphrase")]
    AccountDisabled,
    /// The new passphrase was refused.
    #[error(transparent)]
    Passphrase(#[from] PassphraseProblem),
    /// A name was refused.
    #[error(transparent)]
    Name(#[from] NameProblem),
    /// The current passphrase given to change it was wrong.
    #[error("the current passphrase is wrong")]
    WrongCurrentPassphrase,
    /// A value outside what Hearth accepts (an unknown language, an idle timeout out of range).
    #[error("{0}")]
    InvalidInput(String),
    /// The vault holds as many accounts as the key-slot file can.
    #[error("the vault already has the most accounts it can hold")]
    TooManyAccounts,
    /// The key-slot file could not be read or written.
    #[error(transparent)]
    KeySlots(#[from] KeySlotFileError),
    /// The database failed.
    #[error("the vault database failed: {0}")]
    Database(#[from] rusqlite::Error),
    /// Opening a second connection (for the integrity check) failed.
    #[error(transparent)]
    DatabaseOpen(#[from] DatabaseOpenError),
    /// A cryptographic primitive failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The audit log could not be written or read, or a checkpoint was refused.
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
}

impl AccessError {
    /// A stable name for the kind of error, for the UI to choose a message by (never the text).
    pub fn kind(&self) -> &'static str {
        match self {
            AccessError::Denied { .. } => "denied",
            AccessError::UnknownAccount => "unknown_account",
            AccessError::AccountExists => "account_exists",
            AccessError::AlreadyInState(_) => "already_in_state",
            AccessError::LastAdmin => "last_admin",
            AccessError::OwnAccount => "own_account",
            AccessError::AccountDisabled => "account_disabled",
            AccessError::OwnPassphrase => "own_passphrase",
            AccessError::MustWait { .. } => "must_wait",
            AccessError::WriteLock(_) => "folder",
            AccessError::Passphrase(_) => "weak_passphrase",
            AccessError::Name(_) => "invalid_name",
            AccessError::WrongCurrentPassphrase => "wrong_passphrase",
            AccessError::InvalidInput(_) => "invalid_input",
            AccessError::TooManyAccounts => "too_many_accounts",
            AccessError::KeySlots(_) => "key_slots_damaged",
            AccessError::Database(_) | AccessError::DatabaseOpen(_) => "database",
            AccessError::Crypto(_) => "crypto",
            AccessError::Audit(crate::audit::AuditError::BadCheckpoint(_)) => "bad_checkpoint",
            AccessError::Audit(_) => "database",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole permission table, written out: a change to who may do what must change this test.
    #[test]
    fn permission_table_role_by_operation() {
        // (operation, admin, supervisor, caseworker)
        let expected = [
            (Operation::ViewVaultStatus, true, true, true),
            (Operation::CheckIntegrity, true, true, true),
            (Operation::ListAccounts, true, true, false),
            (Operation::AddAccount, true, false, false),
            (Operation::DisableAccount, true, false, false),
            (Operation::EnableAccount, true, false, false),
            (Operation::ResetPassphrase, true, false, false),
            (Operation::ChangeOwnPassphrase, true, true, true),
            (Operation::ChangeOwnPreferences, true, true, true),
            (Operation::ChangeSettings, true, false, false),
            (Operation::ViewCase, true, true, true),
            (Operation::CreateCase, false, true, true),
            (Operation::EditCase, false, true, true),
            (Operation::CloseCase, false, true, false),
            (Operation::ReopenCase, false, true, false),
            (Operation::ReassignCase, false, true, false),
            (Operation::OverrideReferralConsent, false, true, false),
            (Operation::ViewPartners, true, true, true),
            (Operation::ManagePartners, true, true, false),
            (Operation::ViewAudit, true, true, false),
            (Operation::ExportAudit, true, true, false),
            (Operation::Sync, true, true, true),
            (Operation::ManageDevices, true, false, false),
            (Operation::ResolveConflicts, false, true, false),
        ];
        assert_eq!(
            expected.len(),
            Operation::ALL.len(),
            "an operation has no row"
        );
        for (operation, admin, supervisor, caseworker) in expected {
            for (role, allowed) in [
                (Role::Admin, admin),
                (Role::Supervisor, supervisor),
                (Role::Caseworker, caseworker),
            ] {
                assert_eq!(
                    is_allowed(role, operation),
                    allowed,
                    "{role} × {operation:?}"
                );
            }
        }
    }

    /// Caseworkers reach only their own cases; nobody else is limited.
    #[test]
    fn only_caseworkers_are_limited_to_their_cases() {
        for (operation, grants) in PERMISSIONS {
            for (role, reach) in *grants {
                let limited = *reach == Reach::OwnOrAssignedCases;
                let expected = *role == Role::Caseworker
                    && matches!(operation, Operation::ViewCase | Operation::EditCase);
                assert_eq!(limited, expected, "{role} × {operation:?}");
            }
        }
    }

    #[test]
    fn every_operation_has_exactly_one_row() {
        for operation in Operation::ALL {
            let rows = PERMISSIONS
                .iter()
                .filter(|(op, _)| *op == operation)
                .count();
            assert_eq!(rows, 1, "{operation:?}");
        }
    }

    #[test]
    fn names_are_trimmed_checked_and_normalised() {
        assert_eq!(validate_name("account name", "  Ana ").unwrap(), "Ana");
        assert_eq!(
            validate_name("account name", "   "),
            Err(NameProblem::Empty {
                field: "account name"
            })
        );
        assert!(validate_name("account name", "a\nb").is_err());
        assert!(validate_name("site name", &"x".repeat(MAX_NAME_CHARS + 1)).is_err());
        assert_eq!(
            normalise_account_name("  Ana   Petrović "),
            normalise_account_name("ana petrović")
        );
    }

    #[test]
    fn roles_parse_in_any_case() {
        assert_eq!(Role::parse("Caseworker"), Some(Role::Caseworker));
        assert_eq!(Role::parse("boss"), None);
    }
}
