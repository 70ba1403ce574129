//! Referral packets and printed documents: sending a case to a partner, receiving and answering
//! one, partners' keys, and the PDFs (a case summary, the recovery key sheet). Every file is one
//! the person chose in a Save or Open dialog; the PDFs and packets are made in Rust and written
//! there directly, never to a temporary folder.

use std::path::PathBuf;

use tauri::State;

use hearth_core::crypto::RecoveryKey;
use hearth_core::documents::{Language, PrintError};
use hearth_core::records::{CaseFile, RecordError, RecordId, RecordKind, Section};
use hearth_core::referrals::{
    AnswerOutcome, ImportedAnswer, ReceivedReferral, ReferralError, SendRequest,
    DEFAULT_EXPIRY_DAYS,
};

use crate::error::IpcError;
use crate::state::AppState;
use crate::views::{ReferralKey, SentPacket};

fn record_id(id: &str, kind: RecordKind) -> Result<RecordId, IpcError> {
    RecordId::parse(id).ok_or_else(|| RecordError::NotFound(kind).into())
}

fn read_file(path: &str) -> Result<Vec<u8>, IpcError> {
    std::fs::read(path).map_err(|error| {
        IpcError::new(
            hearth_core::access::ErrorKind::FileUnreadable,
            format!("{path}: {error}"),
        )
    })
}

/// A file the person chose could not be written: which kind of failure, and where.
fn write_error(path: &std::path::Path, error: &std::io::Error) -> IpcError {
    let kind = match error.kind() {
        std::io::ErrorKind::AlreadyExists => hearth_core::access::ErrorKind::FileExists,
        _ => hearth_core::files::io_kind(error),
    };
    IpcError::new(kind, format!("{}: {error}", path.display()))
}

/// Writes a case's printable summary (every section) as a PDF to `path`, chosen in a Save dialog.
#[tauri::command(async, rename_all = "snake_case")]
pub fn save_case_summary(
    state: State<'_, AppState>,
    case_id: String,
    language: Language,
    path: String,
) -> Result<(), IpcError> {
    let case = record_id(&case_id, RecordKind::Case)?;
    let path = PathBuf::from(path);
    state.refuse_unconfirmed_replacement(&path)?;
    let pdf = state.with_session(|session| session.case_summary_pdf(case, language))?;
    state
        .write_chosen_file(&path, &pdf)
        .map_err(|error| write_error(&path, &error))
}

/// Writes the recovery key sheet (first run) as a PDF to `path`, chosen in a Save dialog.
#[tauri::command(async, rename_all = "snake_case")]
pub fn save_recovery_sheet(
    state: State<'_, AppState>,
    recovery_key: String,
    language: Language,
    path: String,
) -> Result<(), IpcError> {
    let key = RecoveryKey::parse(&recovery_key).map_err(|error| {
        IpcError::new(
            hearth_core::access::ErrorKind::InvalidInput,
            error.to_string(),
        )
    })?;
    let path = PathBuf::from(path);
    state.refuse_unconfirmed_replacement(&path)?;
    let pdf = state.with_session(|session| session.recovery_sheet_pdf(&key, language))?;
    state
        .write_chosen_file(&path, &pdf)
        .map_err(|error| write_error(&path, &error))
}

/// Sets (or, with `null`, removes) a partner's key for referral packets; returns its fingerprint.
#[tauri::command(async, rename_all = "snake_case")]
pub fn set_partner_key(
    state: State<'_, AppState>,
    partner_id: String,
    key: Option<String>,
) -> Result<Option<String>, IpcError> {
    let partner = record_id(&partner_id, RecordKind::Partner)?;
    state.with_session(|session| session.set_partner_key(partner, key.as_deref()))
}

/// A key's fingerprint, as the partner reads it back.
#[tauri::command(async, rename_all = "snake_case")]
pub fn key_fingerprint(state: State<'_, AppState>, key: String) -> Result<String, IpcError> {
    state.with_session(|_| Ok::<_, RecordError>(hearth_core::referrals::fingerprint(&key)))
}

/// This laptop's key for referral packets, to give to organisations that refer people here.
#[tauri::command(async, rename_all = "snake_case")]
pub fn referral_key(state: State<'_, AppState>) -> Result<ReferralKey, IpcError> {
    let (recipient, fingerprint) = state.with_session(|session| session.referral_key())?;
    Ok(ReferralKey {
        recipient,
        fingerprint,
    })
}

/// Writes a referral packet for an outgoing referral to `path`, chosen in a Save dialog; returns
/// what was sent and the case page as it now is (its referral names the packet).
#[tauri::command(async, rename_all = "snake_case")]
pub fn send_referral(
    state: State<'_, AppState>,
    referral_id: String,
    language: Language,
    sections: Vec<Section>,
    path: String,
) -> Result<SentPacket, IpcError> {
    let request = SendRequest {
        referral: record_id(&referral_id, RecordKind::Referral)?,
        language,
        sections,
        expiry_days: DEFAULT_EXPIRY_DAYS,
    };
    let path = PathBuf::from(path);
    state.refuse_unconfirmed_replacement(&path)?;
    let (written, file) = state.with_session(|session| {
        let written =
            session.send_referral(&request, |bytes| state.write_chosen_file(&path, bytes))?;
        let file = session.case_file(written.case)?;
        Ok::<_, IpcError>((written, file))
    })?;
    Ok(SentPacket {
        file,
        packet_id: written.packet_id,
        partner: written.partner,
        passphrase: written.passphrase,
        recipient_fingerprint: written.recipient_fingerprint,
        fields: written.fields,
        left_out: written.left_out,
    })
}

/// Opens the packet at `path` (with this laptop's key, or the one-time passphrase) as a new case.
#[tauri::command(async, rename_all = "snake_case")]
pub fn receive_referral(
    state: State<'_, AppState>,
    path: String,
    passphrase: Option<String>,
) -> Result<ReceivedReferral, IpcError> {
    let sealed = read_file(&path)?;
    state.with_session(|session| session.receive_referral(&sealed, passphrase.as_deref()))
}

/// Answers a referral that came in as a packet; writes the answer to `path` (a Save dialog's).
/// Returns the case page as it now is.
#[tauri::command(async, rename_all = "snake_case")]
pub fn answer_referral(
    state: State<'_, AppState>,
    referral_id: String,
    outcome: AnswerOutcome,
    decline_reason: Option<String>,
    path: String,
) -> Result<CaseFile, IpcError> {
    let referral = record_id(&referral_id, RecordKind::Referral)?;
    let path = PathBuf::from(path);
    state.refuse_unconfirmed_replacement(&path)?;
    state.with_session(|session| {
        let case =
            session.answer_referral(referral, outcome, decline_reason.as_deref(), |bytes| {
                state.write_chosen_file(&path, bytes)
            })?;
        Ok::<_, IpcError>(session.case_file(case)?)
    })
}

/// Imports a partner's answer (the file at `path`) to a packet sent from this laptop.
#[tauri::command(async, rename_all = "snake_case")]
pub fn import_referral_answer(
    state: State<'_, AppState>,
    path: String,
) -> Result<ImportedAnswer, IpcError> {
    let sealed = read_file(&path)?;
    state.with_session(|session| session.import_referral_answer(&sealed))
}

impl From<ReferralError> for IpcError {
    fn from(error: ReferralError) -> Self {
        match error {
            ReferralError::Record(records) => records.into(),
            other => Self::described(other.kind(), &other),
        }
    }
}

impl From<PrintError> for IpcError {
    fn from(error: PrintError) -> Self {
        match error {
            PrintError::Record(records) => records.into(),
            other => Self::described(other.kind(), &other),
        }
    }
}
