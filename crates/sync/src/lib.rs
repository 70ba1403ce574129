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

mod consent_filter;
pub mod export;
pub mod import;
pub mod joining;
pub mod roster;
mod settings;
pub mod status;
#[cfg(test)]
mod test_vault;
mod wire;

pub use export::ExportSummary;
pub use hearth_format::bundle::{BundleContents, BundleError, Manifest, FORMAT, MAGIC};
pub use hearth_store::device::DeviceIdentity;
pub use import::ImportSummary;
pub use joining::JoinRequest;
pub use roster::{DeviceStatus, RosterDevice};
pub use status::{DeviceSync, SyncStatus};

use hearth_ids::DeviceId;
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
    /// A change in the bundle is dated more than a day ahead of this laptop's clock.
    #[error("a change is dated more than a day ahead of this laptop's clock; check the date and time on both laptops")]
    ClockAhead,
    /// This vault's own data is not what Hearth wrote.
    #[error("the vault is damaged: {0} could not be read")]
    VaultDamaged(&'static str),
    /// The audit log could not be written or read.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// A change was refused (the same device and number with other content: equivocation).
    #[error(transparent)]
    ChangeLog(#[from] ChangeLogError),
    /// Derived record tables could not be brought up to date.
    #[error(transparent)]
    Records(#[from] RecordError),
    /// The database failed.
    #[error("the vault database failed: {0}")]
    Database(#[from] rusqlite::Error),
}

impl From<DeviceError> for SyncError {
    fn from(error: DeviceError) -> Self {
        SyncError::Audit(error.into())
    }
}

impl SyncError {
    /// A stable name for the kind of error, for the UI to choose a message by.
    pub fn kind(&self) -> &'static str {
        match self {
            SyncError::Bundle(BundleError::NotAddressedToUs) => "bundle_not_addressed",
            SyncError::Bundle(BundleError::UnknownDevice(_)) => "unknown_device",
            SyncError::Bundle(BundleError::BadSignature) => "bundle_bad_signature",
            SyncError::Bundle(BundleError::NewerFormat(_)) => "bundle_newer_format",
            SyncError::Bundle(BundleError::Write(_)) => "bundle_write",
            SyncError::Bundle(BundleError::WrongApprover) => "wrong_approver",
            SyncError::Bundle(_) => "bundle_damaged",
            SyncError::ChangeLog(ChangeLogError::ConflictingDuplicate { .. }) => "equivocation",
            SyncError::Denied(_) => "denied",
            SyncError::RevokeSelf => "revoke_self",
            SyncError::NoSuchDevice(_) => "no_such_device",
            SyncError::BadRecipient => "bad_recipient",
            SyncError::AlreadyJoined => "already_joined",
            SyncError::ClockAhead => "clock_ahead",
            SyncError::VaultDamaged(_) => "vault_damaged",
            SyncError::Records(error) => error.kind(),
            SyncError::Audit(_) | SyncError::ChangeLog(_) | SyncError::Database(_) => "database",
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
