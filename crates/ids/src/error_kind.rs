//! Every kind of failure a person can act on, once: the vocabulary the shells share with the UI.
//!
//! Each error type of every layer says which kind it is (`kind()`); across IPC an error is its
//! kind and an English message, and the UI chooses its text in the person's language by the kind
//! alone. The enum is generated into TypeScript (`ErrorKind.ts`, and the list of every kind in
//! `errorKinds.ts`), and a UI test fails when a kind has no text in some language.
//!
//! Kinds are grouped by what the person should understand: a file they handed Hearth is damaged
//! or not meant for this laptop ([`ErrorCategory::File`]), the vault on this laptop is damaged
//! ([`ErrorCategory::Vault`]), or Hearth's rules refuse what was asked
//! ([`ErrorCategory::Refused`]). Each category has its own headline in the UI.

use serde::Serialize;

/// What went wrong, as the UI tells it. The names are stable: the UI and scripts match on them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ErrorKind.ts"))]
#[non_exhaustive]
#[allow(missing_docs)] // each variant's text is the UI's, in three languages
pub enum ErrorKind {
    // Opening the vault.
    NoVault,
    VaultExists,
    UnknownAccount,
    WrongPassphrase,
    AccountDisabled,
    MustWait,
    WrongRecoveryKey,
    RecoveryKeyMistyped,
    WeakPassphrase,
    InvalidName,
    NotAnAdmin,
    KdfBelowFloor,
    SlotAltered,
    KeySlotsDamaged,
    SchemaTooNew,
    Locked,
    // Changing the data key.
    VaultInUse,
    OldKeySlots,
    // Accounts and settings.
    Denied,
    AccountExists,
    AlreadyInState,
    LastAdmin,
    OwnAccount,
    OwnPassphrase,
    TooManyAccounts,
    InvalidInput,
    // Records.
    InvalidField,
    NotFound,
    NotOnTeam,
    ConsentRequired,
    ConsentIsHistory,
    NoSuchConflict,
    NotMergeable,
    CaseMerged,
    // Audit.
    BadCheckpoint,
    // Sync: files handed to Hearth.
    BundleNotAddressed,
    UnknownDevice,
    BundleBadSignature,
    BundleNewerFormat,
    BundleDamaged,
    Equivocation,
    ChangesNotAsMade,
    WrongApprover,
    NotAJoinRequest,
    // Sync: Hearth's rules.
    RevokeSelf,
    NoSuchDevice,
    BadRecipient,
    AlreadyJoined,
    // Referral packets and their answers.
    PacketNotAddressed,
    PacketDamaged,
    UnknownPacket,
    AlreadyImported,
    // Printed documents.
    PrintFailed,
    // Statistics.
    ThresholdLowered,
    // Files and folders.
    BundleWrite,
    ExportFailed,
    FileExists,
    FileUnreadable,
    FileUnwritable,
    Folder,
    DiskFull,
    // Long work.
    Cancelled,
    // This laptop.
    VaultDamaged,
    Database,
    Crypto,
}

/// Which headline the UI puts above a kind's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ErrorCategory.ts"))]
pub enum ErrorCategory {
    /// A file the person handed Hearth is damaged, cut short, forged or meant for another laptop.
    File,
    /// The vault on this laptop (its database or key slots) is damaged or unreadable.
    Vault,
    /// Hearth's rules (roles, consent, the organisation's devices) refuse what was asked.
    Refused,
    /// Anything else: the person typed something wrong, or must wait, or the disk failed.
    Other,
}

impl ErrorKind {
    /// The stable name (`wrong_passphrase`), as it crosses IPC.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Every kind, for the generated list and the tests that check each has a text.
    pub fn all() -> impl Iterator<Item = ErrorKind> {
        <ErrorKind as strum::IntoEnumIterator>::iter()
    }

    /// Which headline the UI shows above this kind's text.
    pub fn category(self) -> ErrorCategory {
        use ErrorKind::*;
        match self {
            BundleNotAddressed | UnknownDevice | BundleBadSignature | BundleNewerFormat
            | BundleDamaged | Equivocation | ChangesNotAsMade | WrongApprover | NotAJoinRequest
            | BadCheckpoint | PacketNotAddressed | PacketDamaged | UnknownPacket => {
                ErrorCategory::File
            }
            VaultDamaged | KeySlotsDamaged | SlotAltered | SchemaTooNew | Database => {
                ErrorCategory::Vault
            }
            Denied | NotOnTeam | ConsentRequired | ConsentIsHistory | LastAdmin | OwnAccount
            | OwnPassphrase | RevokeSelf | AlreadyJoined | NotAnAdmin | KdfBelowFloor
            | NotMergeable | CaseMerged | AlreadyImported | ThresholdLowered => {
                ErrorCategory::Refused
            }
            _ => ErrorCategory::Other,
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in ErrorKind::all() {
            let name = kind.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert_eq!(name.parse::<ErrorKind>(), Ok(kind));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::from(name)
            );
            assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        }
        assert!(seen.len() > 40);
    }

    #[test]
    fn file_vault_and_policy_kinds_have_their_own_headlines() {
        assert_eq!(ErrorKind::BundleDamaged.category(), ErrorCategory::File);
        assert_eq!(ErrorKind::VaultDamaged.category(), ErrorCategory::Vault);
        assert_eq!(ErrorKind::RevokeSelf.category(), ErrorCategory::Refused);
        assert_eq!(ErrorKind::WrongPassphrase.category(), ErrorCategory::Other);
    }
}
