//! Accounts, roles, the permission table, and the unlocked session.
//!
//! Roles are enforced here, in the core, not by cryptography: every account's key slot unwraps the
//! same data key. [`is_allowed`] is the one place that decides whether a role may perform an
//! operation; every operation on a [`Session`] asks it first.

mod idle;
mod passphrase_policy;
mod session;

pub use idle::{AwakeInstant, IdleDeadline};
pub use passphrase_policy::{assess_passphrase, PassphraseAssessment, PassphraseProblem};
pub use session::{
    create_vault, recover_admin, unlock, IntegrityStatus, KdfChoice, NewVault, Rekeyed, Session,
    SessionOverview, VaultStatus,
};

pub use hearth_ids::access::{
    is_allowed, reach, Account, Denied, Operation, Reach, Role, PERMISSIONS,
};
pub use hearth_ids::{AccountId, ErrorCategory, ErrorKind};

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
    pub fn kind(&self) -> ErrorKind {
        match self {
            OpenError::NoVault => ErrorKind::NoVault,
            OpenError::VaultExists => ErrorKind::VaultExists,
            OpenError::UnknownAccount => ErrorKind::UnknownAccount,
            OpenError::WrongPassphrase => ErrorKind::WrongPassphrase,
            OpenError::AccountDisabled => ErrorKind::AccountDisabled,
            OpenError::MustWait { .. } => ErrorKind::MustWait,
            OpenError::WrongRecoveryKey => ErrorKind::WrongRecoveryKey,
            OpenError::RecoveryKeyFormat(_) => ErrorKind::RecoveryKeyMistyped,
            OpenError::Passphrase(_) => ErrorKind::WeakPassphrase,
            OpenError::Name(_) => ErrorKind::InvalidName,
            OpenError::NotAnAdmin => ErrorKind::NotAnAdmin,
            OpenError::KdfBelowFloor => ErrorKind::KdfBelowFloor,
            OpenError::SlotAltered => ErrorKind::SlotAltered,
            OpenError::KeySlots(error) => error.kind(),
            OpenError::Database(error) => error.kind(),
            OpenError::Crypto(_) => ErrorKind::Crypto,
            OpenError::Folder(error) => hearth_format::files::io_kind(error),
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
    /// An export file could not be written (the export is then not recorded).
    #[error("the export could not be written")]
    ExportWrite(#[source] std::io::Error),
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
    #[error("the vault database failed")]
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
    /// Key slots an older Hearth made hold the data key itself: the data key cannot change until
    /// their owners have unlocked once (which upgrades the slot) or been given a new passphrase.
    #[error("the data key cannot change yet: the key slots of {} were made by an older Hearth; each must unlock once, or be given a new passphrase, first", names.join(", "))]
    OldKeySlots {
        /// The accounts whose slots are of the first version.
        names: Vec<String>,
    },
    /// An account disabled by an older Hearth, whose kept slot the change of data key had to drop.
    #[error("this account was disabled by an older Hearth and its key slot could not follow the vault's new data key; add the person again as a new account")]
    NoSlotToRestore,
    /// The database could not be re-encrypted under the new data key (nothing changed).
    #[error(transparent)]
    Rekey(#[from] crate::vault::RekeyError),
    /// Too little room in the vault's folder for the work (a change of data key).
    #[error(transparent)]
    DiskFull(#[from] hearth_format::files::DiskFull),
    /// A file of the vault could not be overwritten or removed by the emergency wipe (the key
    /// slots are destroyed first; see `hearth_store::wipe`).
    #[error("the wipe could not overwrite or remove every file of the vault: {0}")]
    Wipe(std::io::Error),
}

impl AccessError {
    /// A stable name for the kind of error, for the UI to choose a message by (never the text).
    pub fn kind(&self) -> ErrorKind {
        match self {
            AccessError::Denied(_) => ErrorKind::Denied,
            AccessError::UnknownAccount => ErrorKind::UnknownAccount,
            AccessError::AccountExists => ErrorKind::AccountExists,
            AccessError::AlreadyInState(_) => ErrorKind::AlreadyInState,
            AccessError::LastAdmin => ErrorKind::LastAdmin,
            AccessError::OwnAccount => ErrorKind::OwnAccount,
            AccessError::AccountDisabled => ErrorKind::AccountDisabled,
            AccessError::OwnPassphrase => ErrorKind::OwnPassphrase,
            AccessError::MustWait { .. } => ErrorKind::MustWait,
            AccessError::WriteLock(error) => hearth_format::files::io_kind(error),
            AccessError::ExportWrite(error) => match hearth_format::files::io_kind(error) {
                ErrorKind::DiskFull => ErrorKind::DiskFull,
                _ => ErrorKind::ExportFailed,
            },
            AccessError::Passphrase(_) => ErrorKind::WeakPassphrase,
            AccessError::Name(_) => ErrorKind::InvalidName,
            AccessError::WrongCurrentPassphrase => ErrorKind::WrongPassphrase,
            AccessError::InvalidInput(_) => ErrorKind::InvalidInput,
            AccessError::TooManyAccounts => ErrorKind::TooManyAccounts,
            AccessError::KeySlots(error) => error.kind(),
            AccessError::Database(error) => hearth_store::vault::sqlite_kind(error),
            AccessError::DatabaseOpen(error) => error.kind(),
            AccessError::Crypto(_) => ErrorKind::Crypto,
            AccessError::Audit(error) => error.kind(),
            AccessError::OldKeySlots { .. } | AccessError::NoSlotToRestore => {
                ErrorKind::OldKeySlots
            }
            AccessError::Rekey(error) => error.kind(),
            AccessError::DiskFull(_) => ErrorKind::DiskFull,
            AccessError::Wipe(error) => hearth_format::files::io_kind(error),
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
