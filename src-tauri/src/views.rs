//! The shapes that cross IPC, in the UI's naming (camelCase). Each is generated into TypeScript
//! (ui/src/lib/bindings/) and a test fails when a committed binding drifts from its Rust type.
//! They are built from the core's types and hold nothing the screen does not show.

use hearth_core::access::{Account, PassphraseAssessment, Role, SessionOverview, VaultStatus};
use serde::{Deserialize, Serialize};

#[cfg(test)]
use ts_rs::TS;

/// A role, as the UI names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(TS), ts(export_to = "Role.ts", rename = "Role"))]
pub enum RoleView {
    /// Administrator.
    Admin,
    /// Supervisor.
    Supervisor,
    /// Caseworker.
    Caseworker,
}

impl From<Role> for RoleView {
    fn from(role: Role) -> Self {
        match role {
            Role::Admin => RoleView::Admin,
            Role::Supervisor => RoleView::Supervisor,
            Role::Caseworker => RoleView::Caseworker,
        }
    }
}

impl From<RoleView> for Role {
    fn from(role: RoleView) -> Self {
        match role {
            RoleView::Admin => Role::Admin,
            RoleView::Supervisor => Role::Supervisor,
            RoleView::Caseworker => Role::Caseworker,
        }
    }
}

/// A staff account.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(TS), ts(export_to = "AccountView.ts"))]
pub struct AccountView {
    /// The account id (hex).
    pub id: String,
    /// The name the person unlocks with.
    pub name: String,
    /// The role.
    pub role: RoleView,
    /// False once disabled.
    pub active: bool,
}

impl From<Account> for AccountView {
    fn from(account: Account) -> Self {
        Self {
            id: account.id.to_hex(),
            name: account.name,
            role: account.role.into(),
            active: account.active,
        }
    }
}

/// Who is signed in, where, and their preferences.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(TS), ts(export_to = "SessionInfo.ts"))]
pub struct SessionInfo {
    /// The signed-in account.
    pub account: AccountView,
    /// The organisation's name.
    pub organisation: String,
    /// The site's name.
    pub site: String,
    /// The account's language ("en", "sq", "sr"), if chosen.
    pub language: Option<String>,
    /// Lock after this many seconds without activity.
    pub idle_timeout_seconds: u32,
}

impl From<SessionOverview> for SessionInfo {
    fn from(overview: SessionOverview) -> Self {
        Self {
            account: overview.account.into(),
            organisation: overview.organisation,
            site: overview.site,
            language: overview.language,
            idle_timeout_seconds: overview.idle_timeout_seconds,
        }
    }
}

/// The demo vault's credentials, printed on the unlock screen in demo mode only.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(TS), ts(export_to = "DemoCredentials.ts"))]
pub struct DemoCredentials {
    /// The demo administrator.
    pub account_name: String,
    /// The demo administrator's passphrase.
    pub passphrase: String,
}

/// What the app shows before anyone unlocks: whether to offer first-run or unlock.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(TS), ts(export_to = "VaultState.ts"))]
pub struct VaultState {
    /// Whether a vault exists in the app's folder.
    pub exists: bool,
    /// Set in demo mode.
    pub demo: Option<DemoCredentials>,
}

/// The estimator's view of a passphrase, for the strength meter.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    test,
    derive(TS),
    ts(export_to = "PassphraseAssessment.ts", rename = "PassphraseAssessment")
)]
pub struct PassphraseAssessmentView {
    /// zxcvbn's score, 0 to 4.
    pub score: u8,
    /// Whether Hearth would accept it.
    pub acceptable: bool,
    /// What is wrong with it, if anything.
    pub warning: Option<String>,
    /// How to do better.
    pub suggestions: Vec<String>,
}

impl From<PassphraseAssessment> for PassphraseAssessmentView {
    fn from(assessment: PassphraseAssessment) -> Self {
        Self {
            score: assessment.score,
            acceptable: assessment.acceptable,
            warning: assessment.warning,
            suggestions: assessment.suggestions,
        }
    }
}

/// A new vault: the first administrator's session and the recovery key to show once.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(TS), ts(export_to = "CreatedVault.ts"))]
pub struct CreatedVault {
    /// The administrator, now signed in.
    pub session: SessionInfo,
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

/// The About screen's figures.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    test,
    derive(TS),
    ts(export_to = "VaultStatus.ts", rename = "VaultStatus")
)]
pub struct VaultStatusView {
    /// The organisation's name.
    pub organisation: String,
    /// The site's name.
    pub site: String,
    /// This laptop's device id.
    pub device_id: String,
    /// Accounts, active or not.
    pub accounts: u32,
    /// Active accounts.
    pub active_accounts: u32,
    /// The database's schema version.
    pub schema_version: u32,
    /// SQLCipher's version.
    pub sqlcipher_version: String,
    /// The Argon2id parameters of new key slots.
    pub kdf: String,
}

impl From<VaultStatus> for VaultStatusView {
    fn from(status: VaultStatus) -> Self {
        Self {
            organisation: status.organisation,
            site: status.site,
            device_id: status.device_id,
            accounts: status.accounts,
            active_accounts: status.active_accounts,
            schema_version: status.schema_version,
            sqlcipher_version: status.sqlcipher_version,
            kdf: status.kdf,
        }
    }
}

/// A caseworker or supervisor who can own or be assigned a case.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(TS), ts(export_to = "StaffMember.ts"))]
pub struct StaffMember {
    /// The account's id.
    pub id: String,
    /// The account's name.
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::assert_binding_current;

    #[test]
    fn bindings_are_current() {
        assert_binding_current::<RoleView>();
        assert_binding_current::<AccountView>();
        assert_binding_current::<SessionInfo>();
        assert_binding_current::<DemoCredentials>();
        assert_binding_current::<VaultState>();
        assert_binding_current::<PassphraseAssessmentView>();
        assert_binding_current::<CreatedVault>();
        assert_binding_current::<VaultStatusView>();
        assert_binding_current::<StaffMember>();
        assert_binding_current::<hearth_core::access::IntegrityStatus>();
    }

    /// The record types are the core's own; their TypeScript comes from the core's `ts` feature.
    #[test]
    fn record_bindings_are_current() {
        use hearth_core::records::*;
        assert_binding_current::<CaseFields>();
        assert_binding_current::<ConsentFields>();
        assert_binding_current::<ServiceFields>();
        assert_binding_current::<ReferralFields>();
        assert_binding_current::<NoteFields>();
        assert_binding_current::<FollowUpFields>();
        assert_binding_current::<PartnerFields>();
        assert_binding_current::<IdentityDocument>();
        assert_binding_current::<TraffickingEvent>();
        assert_binding_current::<Record<CaseFields>>();
        assert_binding_current::<CaseActions>();
        assert_binding_current::<CaseFile>();
        assert_binding_current::<CaseSummary>();
        assert_binding_current::<CaseSort>();
        assert_binding_current::<CaseQuery>();
        assert_binding_current::<CasePage>();
        assert_binding_current::<FollowUpDue>();
        assert_binding_current::<HistoryEntry>();
        assert_binding_current::<CaseCreated>();
        assert_binding_current::<codes::Code>();
        assert_binding_current::<codes::CodeList>();
    }
}
