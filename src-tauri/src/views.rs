//! The shapes only the desktop shell sends: what the app shows before unlock, a new vault's
//! recovery key, the staff picker. Everything else crosses IPC as the core's own types. All use
//! the core's casing (snake_case); each is generated into TypeScript (ui/src/lib/bindings/) and a
//! test fails when a committed binding drifts from its Rust type.

use hearth_core::access::SessionOverview;
use serde::Serialize;

/// The demo vault's credentials, printed on the unlock screen in demo mode only.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "DemoCredentials.ts"))]
pub struct DemoCredentials {
    /// The demo administrator.
    pub account_name: String,
    /// The demo administrator's passphrase.
    pub passphrase: String,
}

/// What the app shows before anyone unlocks: whether to offer first-run or unlock.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "VaultState.ts"))]
pub struct VaultState {
    /// Whether a vault exists in the app's folder.
    pub exists: bool,
    /// Set in demo mode.
    pub demo: Option<DemoCredentials>,
}

/// A new vault: the first administrator's session and the recovery key to show once.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "CreatedVault.ts"))]
pub struct CreatedVault {
    /// The administrator, now signed in.
    pub session: SessionOverview,
    /// The recovery key's written form, eight groups of six digits.
    pub recovery_key: String,
}

impl std::fmt::Debug for CreatedVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedVault")
            .field("session", &self.session)
            .field("recovery_key", &"[redacted]")
            .finish()
    }
}

/// What changing the data key did: how many key slots were given the new key, and a new recovery
/// key to show once when the old one (made by an older Hearth) could not follow.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "RekeyOutcome.ts"))]
pub struct RekeyOutcome {
    /// Key slots given the new data key.
    pub slots: u32,
    /// The new recovery key's written form, if one was made.
    pub new_recovery_key: Option<String>,
}

impl std::fmt::Debug for RekeyOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RekeyOutcome")
            .field("slots", &self.slots)
            .field(
                "new_recovery_key",
                &self.new_recovery_key.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

/// What the emergency wipe did, for the screen that follows it.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "WipeOutcome.ts"))]
pub struct WipeOutcome {
    /// Milliseconds until the key slots were destroyed: from then on nothing opens the vault.
    #[cfg_attr(test, ts(type = "number"))]
    pub unreadable_after_ms: u64,
    /// Milliseconds until every file was overwritten and removed.
    #[cfg_attr(test, ts(type = "number"))]
    pub finished_after_ms: u64,
    /// The files overwritten and removed.
    pub files: u32,
}

/// A caseworker or supervisor who can own or be assigned a case.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "StaffMember.ts"))]
pub struct StaffMember {
    /// The account's id.
    pub id: String,
    /// The account's name.
    pub name: String,
}

/// A referral packet written: what the sender is told (never the packet's bytes).
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "SentPacket.ts"))]
pub struct SentPacket {
    /// The case page as it now is.
    pub file: hearth_core::records::CaseFile,
    /// The packet's id.
    pub packet_id: String,
    /// The partner's name.
    pub partner: String,
    /// For a partner without a key: the one-time passphrase, shown once, to give by phone.
    pub passphrase: Option<String>,
    /// The fingerprint of the partner's key it was encrypted to.
    pub recipient_fingerprint: Option<String>,
    /// Every field it carries.
    pub fields: Vec<String>,
    /// The sections it does not carry.
    pub left_out: Vec<hearth_core::records::Section>,
}

impl std::fmt::Debug for SentPacket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentPacket")
            .field("packet_id", &self.packet_id)
            .field(
                "passphrase",
                &self.passphrase.as_ref().map(|_| "[redacted]"),
            )
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}

/// This laptop's key for referral packets and its fingerprint.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ReferralKey.ts"))]
pub struct ReferralKey {
    /// The age recipient (`age1...`).
    pub recipient: String,
    /// Its fingerprint, read aloud.
    pub fingerprint: String,
}

/// An export written, with its manifest beside it.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ReportWritten.ts"))]
pub struct ReportWritten {
    /// Cases in it ("<k" when few, for statistics).
    pub cases_included: String,
    /// Cases left out for lack of consent.
    pub cases_left_out_for_consent: String,
    /// Where the manifest was written.
    pub manifest_path: String,
}

/// An HTCDS export written.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "HtcdsWritten.ts"))]
pub struct HtcdsWritten {
    /// Cases in it.
    pub cases_included: String,
    /// Cases left out: no consent to sharing within the organisation.
    pub cases_left_out_for_consent: String,
    /// The one-time passphrase it is encrypted with, shown once.
    pub passphrase: Option<String>,
    /// The fingerprint of the office key it is encrypted to.
    pub office_fingerprint: Option<String>,
}

impl std::fmt::Debug for HtcdsWritten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HtcdsWritten")
            .field("cases_included", &self.cases_included)
            .field(
                "passphrase",
                &self.passphrase.as_ref().map(|_| "[redacted]"),
            )
            .field("office_fingerprint", &self.office_fingerprint)
            .finish()
    }
}
