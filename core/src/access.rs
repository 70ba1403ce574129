//! Accounts, roles, the permission table, and the unlocked session.
//!
//! Roles are enforced here, in the core, not by cryptography: every account's key slot unwraps the
//! same data key. [`is_allowed`] is the one place that decides whether a role may perform an
//! operation; every operation on a [`Session`] asks it first.

mod passphrase_policy;
mod session;

pub use passphrase_policy::{assess_passphrase, PassphraseAssessment, PassphraseProblem};
pub use session::{
    create_vault, recover_admin, unlock, KdfChoice, NewVault, Session, SessionOverview, VaultStatus,
};

pub use hearth_ids::access::{
    is_allowed, reach, Account, Denied, Operation, Reach, Role, PERMISSIONS,
};
pub use hearth_ids::AccountId;

use crate::crypto::{CryptoError, RecoveryKeyFormatError};
use crate::vault::DatabaseOpenError;
use hearth_format::keyslots::KeySlotFileError;

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
    #[error(transparent)]
    Denied(#[from] Denied),
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
            AccessError::Denied(_) => "denied",
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
}
