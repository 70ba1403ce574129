//! hearth-referrals: a case sent to a partner organisation of the national referral mechanism,
//! and the partner's answer.
//!
//! - [`send`]: the referral packet. Only with the person's consent to a referral to that partner
//!   (or a supervisor's written override); only the sections chosen; one age-encrypted file, to
//!   the partner's key or to a one-time passphrase, holding a manifest, a PDF summary, the same
//!   content as HTCDS 2.0 JSON, and the sending laptop's signature over all of it
//!   ([`packet`] is the format; README says how to check it with stock tools).
//! - [`receive`]: a partner running Hearth opens a packet as a new case with an incoming
//!   referral, and writes its answer ([`answer`]): accepted, or declined with one of Primero's
//!   reasons, encrypted back to the sender and authenticated by a key only the packet carried.
//! - [`keys`]: partners' keys and their fingerprints; one-time passphrases.
//!
//! Like the other domain crates, every function takes the caller's transaction and the
//! [`Actor`](hearth_records::Actor), and never commits.
#![forbid(unsafe_code)]

pub mod answer;
pub mod htcds;
pub mod keys;
mod ledger;
pub mod packet;
pub mod receive;
pub mod send;

use hearth_documents::DocumentError;
use hearth_ids::{Denied, ErrorKind};
use hearth_records::RecordError;
use hearth_store::audit::AuditError;
use hearth_store::device::DeviceError;

/// Why a packet or an answer could not be made or taken in.
#[derive(Debug, thiserror::Error)]
pub enum ReferralError {
    /// A records rule refused (consent, the case team, a field).
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The summary could not be rendered.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// The file is encrypted to another key or passphrase.
    #[error("this file is not for this laptop: it was encrypted to another key, or the passphrase is not the one given with it")]
    NotAddressed,
    /// Not a packet or an answer, cut short, or altered.
    #[error("this file is not a referral packet or answer from Hearth, or it was altered ({0})")]
    Damaged(&'static str),
    /// An answer to a packet this laptop never sent.
    #[error("this answer is for a referral packet this laptop did not send")]
    UnknownPacket,
    /// The same packet or answer a second time.
    #[error("this {0} was imported here already")]
    AlreadyImported(&'static str),
    /// A second answer to a referral that came in as a packet (the sender takes one).
    #[error("this referral was answered already: the referring organisation takes one answer; tell them of a change in person or by phone")]
    AlreadyAnswered,
    /// An answer asked for a referral whose packet this laptop did not receive.
    #[error("this referral's packet was not received on this laptop: answer it on the laptop that received it, or tell the referring organisation in person or by phone")]
    NotReceived,
    /// The file could not be written where the person chose.
    #[error("the file could not be written: {0}")]
    Write(#[source] std::io::Error),
    /// Encryption, randomness or signing failed.
    #[error("the packet could not be encrypted: {0}")]
    Crypto(String),
    /// This laptop's keys could not be read.
    #[error(transparent)]
    Device(#[from] DeviceError),
    /// The audit log could not be written.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// The database failed.
    #[error("the vault database failed")]
    Database(#[from] rusqlite::Error),
}

impl From<Denied> for ReferralError {
    fn from(denied: Denied) -> Self {
        ReferralError::Record(RecordError::Denied(denied))
    }
}

impl ReferralError {
    /// What kind of failure this is, for the UI and the CLI.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ReferralError::Record(error) => error.kind(),
            ReferralError::Document(error) => error.kind(),
            ReferralError::NotAddressed => ErrorKind::PacketNotAddressed,
            ReferralError::Damaged(_) => ErrorKind::PacketDamaged,
            ReferralError::UnknownPacket => ErrorKind::UnknownPacket,
            ReferralError::AlreadyImported(_) => ErrorKind::AlreadyImported,
            ReferralError::NotReceived | ReferralError::AlreadyAnswered => ErrorKind::InvalidInput,
            ReferralError::Write(error) => match error.kind() {
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                    ErrorKind::DiskFull
                }
                std::io::ErrorKind::AlreadyExists => ErrorKind::FileExists,
                _ => ErrorKind::FileUnwritable,
            },
            ReferralError::Crypto(_) => ErrorKind::Crypto,
            ReferralError::Device(_) => ErrorKind::VaultDamaged,
            ReferralError::Audit(error) => error.kind(),
            ReferralError::Database(error) => hearth_store::vault::sqlite_kind(error),
        }
    }
}

/// `N` random bytes from the system.
pub(crate) fn random<const N: usize>() -> Result<[u8; N], ReferralError> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).map_err(|error| ReferralError::Crypto(error.to_string()))?;
    Ok(bytes)
}
