//! hearth-records: the people a shelter assists, their cases, and everything attached to them
//! (consent decisions, services, referrals, notes, follow-ups), plus the partner directory. The
//! model follows HTCDS 2.0 (see [`fields`] for the field-by-field mapping).
//!
//! Every create and update is a set of field-level changes written with
//! `hearth_store::change_log::record_local_edit` in the caller's transaction ([`write`]); the
//! current record is derived from them, and the tables that lists, search and access checks read
//! are rewritten from that ([`projection`]). Sync applies other devices' changes through the same
//! projection.
//!
//! Every function takes a connection (a transaction, for writes) and the [`Actor`]: the session
//! facade in hearth-core checks the operation, makes the actor and commits. Which cases an actor
//! reaches is decided in [`case_access`], from `hearth_ids::PERMISSIONS`.
#![forbid(unsafe_code)]

mod actor;
pub mod case_access;
pub mod case_file;
mod children;
pub mod codes;
pub mod conflicts;
pub mod dates;
pub mod demo;
pub mod duplicates;
pub mod facts;
pub mod fields;
#[cfg(fuzzing)]
pub mod fuzzing;
pub mod merge;
pub mod model;
pub mod partners;
pub mod projection;
pub mod queries;
pub mod referral_packets;
pub mod search;
pub mod sections;
mod validate;
pub mod write;

pub use actor::Actor;
pub use children::consent_given;
pub use conflicts::{Conflict, ConflictVersion, Resolution};
pub use fields::{FieldError, FieldErrors, FieldProblem};
pub use model::*;
pub use queries::COUNT_CAP;
pub use sections::Section;
pub use write::CaseDraft;

use fields::FieldSpec;
use hearth_crypto::CryptoError;
pub use hearth_ids::RecordId;
use hearth_ids::{Denied, ErrorKind};
use hearth_store::audit::AuditError;
use hearth_store::change_log::ChangeLogError;

/// A new record's id (time-ordered, see [`RecordId::generate`]).
pub(crate) fn new_record_id() -> Result<RecordId, RecordError> {
    RecordId::generate().map_err(|_| RecordError::Crypto(CryptoError::Randomness))
}

/// Brings the query tables up to date with a record's state (after changes from elsewhere).
pub fn refresh_projection(
    connection: &rusqlite::Connection,
    kind: RecordKind,
    id: RecordId,
) -> Result<(), RecordError> {
    projection::refresh(connection, kind, id)
}

/// The kinds of record, as the change log names them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum RecordKind {
    /// The person and the case.
    Case,
    /// A consent decision.
    Consent,
    /// A service in the support plan.
    Service,
    /// A referral.
    Referral,
    /// A case note.
    Note,
    /// A follow-up.
    FollowUp,
    /// A partner organisation.
    Partner,
}

impl RecordKind {
    /// The kinds attached to a case.
    pub const CHILDREN: [RecordKind; 5] = [
        RecordKind::Consent,
        RecordKind::Service,
        RecordKind::Referral,
        RecordKind::Note,
        RecordKind::FollowUp,
    ];

    /// The change log's name for the kind (`follow_up`), generated from the variant.
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    /// Reads a kind's name.
    pub fn parse(name: &str) -> Option<RecordKind> {
        name.parse().ok()
    }

    /// The kind's field table.
    pub fn fields(&self) -> &'static [FieldSpec] {
        match self {
            RecordKind::Case => fields::CASE_FIELDS,
            RecordKind::Consent => fields::CONSENT_FIELDS,
            RecordKind::Service => fields::SERVICE_FIELDS,
            RecordKind::Referral => fields::REFERRAL_FIELDS,
            RecordKind::Note => fields::NOTE_FIELDS,
            RecordKind::FollowUp => fields::FOLLOW_UP_FIELDS,
            RecordKind::Partner => fields::PARTNER_FIELDS,
        }
    }

    /// "a case", "a consent decision", ... for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            RecordKind::Case => "case",
            RecordKind::Consent => "consent decision",
            RecordKind::Service => "service",
            RecordKind::Referral => "referral",
            RecordKind::Note => "note",
            RecordKind::FollowUp => "follow-up",
            RecordKind::Partner => "partner organisation",
        }
    }
}

/// Why a records operation was refused or failed. Nothing is written when one is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// Field values were refused: every one of them, named.
    #[error(transparent)]
    Invalid(#[from] FieldErrors),
    /// No record with that id (or it is of another kind).
    #[error("there is no such {}", .0.describe())]
    NotFound(RecordKind),
    /// The role may not do this at all.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// A caseworker asked for a case they neither own nor are assigned to.
    #[error("this case is not one of yours (you neither own it nor are assigned to it); a supervisor can assign you")]
    NotOnTeam,
    /// An outgoing referral without the person's consent to referral to that partner.
    #[error("the person has not consented to a referral to this partner organisation; record their consent first, or a supervisor can refer with a written reason")]
    ConsentRequired,
    /// Only a referral to a partner (outgoing) is sent as a packet.
    #[error("only an outgoing referral can be sent to a partner organisation")]
    NotOutgoing,
    /// Consent decisions are history: they are not edited.
    #[error("a consent decision is never changed; record a new decision instead")]
    ConsentIsHistory,
    /// The case was merged into another: changes belong on that one.
    #[error("this case was merged into another case; record changes on that one")]
    CaseMerged,
    /// Two cases cannot be merged, or marked as two people, as asked.
    #[error("{0}")]
    NotMergeable(&'static str),
    /// No conflict in the queue has that id (it may have been resolved, here or elsewhere).
    #[error("there is no such conflict in the queue; it may have been resolved already")]
    NoSuchConflict,
    /// A cryptographic primitive (the random generator) failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The audit log could not be written.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// The change log refused a change.
    #[error(transparent)]
    ChangeLog(#[from] ChangeLogError),
    /// The database failed.
    #[error("the vault database failed")]
    Database(#[from] rusqlite::Error),
    /// A stored value could not be read back (a damaged or newer vault).
    #[error("a stored record could not be read")]
    Stored(#[from] serde_json::Error),
}

impl From<FieldError> for RecordError {
    fn from(error: FieldError) -> Self {
        RecordError::Invalid(error.into())
    }
}

impl RecordError {
    /// A stable name for the kind of error, for the UI to choose a message by (never the text).
    pub fn kind(&self) -> ErrorKind {
        match self {
            RecordError::Invalid(_) => ErrorKind::InvalidField,
            RecordError::NotFound(_) => ErrorKind::NotFound,
            RecordError::Denied(_) => ErrorKind::Denied,
            RecordError::NotOnTeam => ErrorKind::NotOnTeam,
            RecordError::ConsentRequired => ErrorKind::ConsentRequired,
            RecordError::ConsentIsHistory => ErrorKind::ConsentIsHistory,
            RecordError::NotOutgoing => ErrorKind::InvalidInput,
            RecordError::NoSuchConflict => ErrorKind::NoSuchConflict,
            RecordError::NotMergeable(_) => ErrorKind::NotMergeable,
            RecordError::CaseMerged => ErrorKind::CaseMerged,
            RecordError::Crypto(_) => ErrorKind::Crypto,
            RecordError::Audit(error) => error.kind(),
            RecordError::ChangeLog(error) => error.kind(),
            RecordError::Database(error) => hearth_store::vault::sqlite_kind(error),
            // Hearth wrote every stored record: one it cannot read back is damage.
            RecordError::Stored(_) => ErrorKind::VaultDamaged,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The output structs and the field tables name the same fields.
    /// The stored names read back as written, and are the ones shipped vaults hold.
    #[test]
    fn kind_names_round_trip() {
        let names: Vec<&str> = <RecordKind as strum::IntoEnumIterator>::iter()
            .map(|kind| kind.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "case",
                "consent",
                "service",
                "referral",
                "note",
                "follow_up",
                "partner"
            ]
        );
        for name in names {
            assert_eq!(
                RecordKind::parse(name).map(|kind| kind.as_str()),
                Some(name)
            );
        }
        assert_eq!(RecordKind::parse("Case"), None);
    }

    #[test]
    fn every_struct_matches_its_field_table() {
        fn keys<T: serde::Serialize + Default>() -> Vec<String> {
            let value = serde_json::to_value(T::default()).unwrap();
            let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        }
        fn names(kind: RecordKind) -> Vec<String> {
            let mut names: Vec<String> = kind.fields().iter().map(|f| f.name.to_owned()).collect();
            names.sort();
            names
        }
        assert_eq!(keys::<CaseFields>(), names(RecordKind::Case));
        assert_eq!(keys::<ConsentFields>(), names(RecordKind::Consent));
        assert_eq!(keys::<ServiceFields>(), names(RecordKind::Service));
        assert_eq!(keys::<ReferralFields>(), names(RecordKind::Referral));
        assert_eq!(keys::<NoteFields>(), names(RecordKind::Note));
        assert_eq!(keys::<FollowUpFields>(), names(RecordKind::FollowUp));
        assert_eq!(keys::<PartnerFields>(), names(RecordKind::Partner));
    }
}
