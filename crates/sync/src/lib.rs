//! hearth-sync: the organisation's laptops and the bundles that carry changes between them.
//!
//! - [`roster`]: the organisation's devices as signed records (approvals, revocations) and the
//!   rules that merge them.
//! - [`export`]: a bundle of what a destination may lack, filtered by consent
//!   (`consent_filter`), sealed in the `hearth_format::bundle` container.
//! - [`import`]: opening and applying a bundle in one transaction (held changes, audit chains).
//! - [`joining`]: join requests, approvals, enrollment, revocation, the office's recipient.
//! - [`status`]: where sync stands with each device.
//!
//! Every function takes a connection (the caller's transaction, for writes) and the acting
//! account; the session facade in hearth-core checks the permission first and commits.
#![forbid(unsafe_code)]

mod change_chains;
mod consent_filter;
pub mod export;
#[cfg(fuzzing)]
pub mod fuzzing;
pub mod import;
pub mod joining;
pub mod roster;
pub mod settings;
pub mod status;
#[cfg(test)]
mod test_bundles;
#[cfg(test)]
mod test_vault;
mod wire;

pub use change_chains::ChainProblem;
pub use export::ExportSummary;
pub use hearth_format::bundle::{BundleError, Manifest, FORMAT};
pub use hearth_store::device::DeviceIdentity;
pub use import::{ClockSkew, ImportSummary};
pub use joining::JoinRequest;
pub use roster::{DeviceStatus, RosterDevice};
pub use status::{DeviceSync, OfficeRecipient, SyncStatus};

use hearth_ids::{DeviceId, ErrorKind};
use hearth_records::RecordError;
use hearth_store::audit::AuditError;
use hearth_store::change_log::ChangeLogError;
use hearth_store::device::DeviceError;
use rusqlite::Connection;

/// Why sync could not proceed. A bundle that was refused ([`SyncError::Bundle`]), a refusal by
/// Hearth's rules, and damage in this vault are different variants, with different headlines.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The bundle or enrollment file was refused.
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// The role may not do this.
    #[error(transparent)]
    Denied(#[from] hearth_ids::Denied),
    /// A laptop asked to revoke itself.
    #[error("a laptop cannot revoke itself; revoke it from another member laptop")]
    RevokeSelf,
    /// The roster has no such device.
    #[error("this laptop's list of devices has no device {0}")]
    NoSuchDevice(String),
    /// What was given as the office's key is not an age recipient.
    #[error("that is not an age recipient: the office's public key starts with age1")]
    BadRecipient,
    /// An enrollment for a laptop that already holds records or belongs to an organisation.
    #[error("this laptop already holds records or belongs to an organisation; an enrollment is only for a new laptop")]
    AlreadyJoined,
    /// This vault's own data is not what Hearth wrote.
    #[error("the vault is damaged: {0} could not be read")]
    VaultDamaged(&'static str),
    /// The person stopped the import or export before it finished: nothing was changed, and an
    /// export's unfinished file was removed.
    #[error("cancelled before it finished: nothing was changed, and no bundle was written")]
    Cancelled,
    /// The disk (the stick for an export, this laptop's for an import) has too little room.
    #[error(transparent)]
    DiskFull(#[from] hearth_format::files::DiskFull),
    /// The audit log could not be written or read.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// A device's changes in the bundle are not what that device made: the laptop that passed
    /// them on altered, left out, reordered or invented some. Nothing was imported.
    #[error(
        "the changes of laptop {device} in this bundle are not what that laptop made: {problem}. \
         The laptop that passed them on altered, left out, reordered or invented some; nothing \
         was imported"
    )]
    ChangesNotAsMade {
        /// The device whose changes they claim to be: its name here and id.
        device: String,
        /// What is wrong.
        problem: ChainProblem,
    },
    /// A change was refused (the same device and number with other content: equivocation).
    #[error(transparent)]
    ChangeLog(#[from] ChangeLogError),
    /// Derived record tables could not be brought up to date.
    #[error(transparent)]
    Records(#[from] RecordError),
    /// The database failed.
    #[error("the vault database failed")]
    Database(#[from] rusqlite::Error),
}

impl From<DeviceError> for SyncError {
    fn from(error: DeviceError) -> Self {
        SyncError::Audit(error.into())
    }
}

impl SyncError {
    /// A stable name for the kind of error, for the UI to choose a message by.
    pub fn kind(&self) -> ErrorKind {
        match self {
            SyncError::Bundle(BundleError::NotAddressedToUs) => ErrorKind::BundleNotAddressed,
            SyncError::Bundle(BundleError::UnknownDevice(_)) => ErrorKind::UnknownDevice,
            SyncError::Bundle(BundleError::BadSignature) => ErrorKind::BundleBadSignature,
            SyncError::Bundle(BundleError::NewerFormat(_)) => ErrorKind::BundleNewerFormat,
            SyncError::Bundle(BundleError::Write(_) | BundleError::Output(_)) => {
                ErrorKind::BundleWrite
            }
            SyncError::Bundle(BundleError::Read(_)) => ErrorKind::FileUnreadable,
            SyncError::Bundle(BundleError::WrongApprover) => ErrorKind::WrongApprover,
            SyncError::Bundle(_) => ErrorKind::BundleDamaged,
            SyncError::Denied(_) => ErrorKind::Denied,
            SyncError::RevokeSelf => ErrorKind::RevokeSelf,
            SyncError::NoSuchDevice(_) => ErrorKind::NoSuchDevice,
            SyncError::BadRecipient => ErrorKind::BadRecipient,
            SyncError::AlreadyJoined => ErrorKind::AlreadyJoined,
            SyncError::VaultDamaged(_) => ErrorKind::VaultDamaged,
            SyncError::DiskFull(_) => ErrorKind::DiskFull,
            SyncError::Cancelled => ErrorKind::Cancelled,
            SyncError::ChangesNotAsMade { .. } => ErrorKind::ChangesNotAsMade,
            SyncError::Records(error) => error.kind(),
            SyncError::Audit(error) => error.kind(),
            SyncError::ChangeLog(error) => error.kind(),
            SyncError::Database(error) => hearth_store::vault::sqlite_kind(error),
        }
    }
}

/// The roster's name for a device, if the roster knows it: for showing who made an edit.
pub fn device_name(connection: &Connection, device: DeviceId) -> Option<String> {
    roster::load(connection, &device.to_hex())
        .ok()
        .flatten()
        .map(|known| known.name)
}
