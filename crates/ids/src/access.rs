//! Roles, the operations a session can be asked for, and the permission table.
//!
//! Roles are enforced by Hearth's code, not by cryptography: every account's key slot unwraps the
//! same data key. [`reach`] is the one place that decides whether a role may perform an operation
//! and how far; the session facade asks it before every operation, and the records layer asks it
//! which cases a caseworker reaches.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::AccountId;

/// What an account may do. See [`is_allowed`]. The names (`caseworker`) are generated, the same
/// in the database, over IPC and on the command line.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "Role.ts"))]
pub enum Role {
    /// Sets up the laptop and manages accounts. Often the supervisor too.
    Admin,
    /// Reviews cases and the audit trail.
    Supervisor,
    /// Keeps the case records of the people they work with.
    Caseworker,
}

impl Role {
    /// Every role, for tables and tests.
    pub fn all() -> impl Iterator<Item = Role> {
        <Role as strum::IntoEnumIterator>::iter()
    }

    /// The stored and typed name of the role.
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    /// Reads a role's name, as stored or as typed (any case, spaces around it).
    pub fn parse(name: &str) -> Option<Role> {
        name.trim().parse().ok()
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a session can be asked to do. Later capabilities add their operations here and a
/// row to [`PERMISSIONS`].
/// Not `non_exhaustive`: a new operation must be given a row and an audit action everywhere it
/// is matched on, and the compiler says where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum Operation {
    /// See the organisation, site, device and schema of the vault.
    ViewVaultStatus,
    /// Run and see the database integrity check.
    CheckIntegrity,
    /// See the list of accounts.
    ListAccounts,
    /// Add an account.
    AddAccount,
    /// Disable an account.
    DisableAccount,
    /// Enable a disabled account.
    EnableAccount,
    /// Set a new passphrase for someone else's account.
    ResetPassphrase,
    /// Re-encrypt the vault under a new data key and give every live key slot the new key.
    RekeyVault,
    /// Make the vault unreadable at once (the emergency wipe), and set or remove the duress
    /// passphrase that does the same from the unlock screen.
    WipeVault,
    /// Change one's own passphrase.
    ChangeOwnPassphrase,
    /// Change one's own preferences (the app's language).
    ChangeOwnPreferences,
    /// Change vault-wide settings (the idle timeout).
    ChangeSettings,
    /// Open a case: the person, the case and everything attached to it, and its history.
    ViewCase,
    /// Open a new case.
    CreateCase,
    /// Change a case's fields and add or change what is attached to it (consent, services,
    /// referrals, notes, follow-ups).
    EditCase,
    /// Close a case (Closed or ClosedReferred) with a reason.
    CloseCase,
    /// Reopen a closed case.
    ReopenCase,
    /// Change a case's owner or its assigned caseworkers.
    ReassignCase,
    /// Decide that two cases are one person (merge them) or two people.
    MergeCases,
    /// Refer a person to a partner without their consent to that referral, giving a reason.
    OverrideReferralConsent,
    /// See the directory of partner organisations.
    ViewPartners,
    /// Add and change partner organisations.
    ManagePartners,
    /// See and set a partner's key for referral packets (and its fingerprint).
    ManagePartnerKeys,
    /// Send a case to a partner organisation as a referral packet.
    SendReferral,
    /// See the audit log, verify it and sign checkpoints of it.
    ViewAudit,
    /// Export audit entries to a file.
    ExportAudit,
    /// Export and import sync bundles, see the devices.
    Sync,
    /// Approve and revoke devices, join an organisation, set the office's recipient.
    ManageDevices,
    /// See the conflict queue (values that lost to a concurrent edit on another laptop) and
    /// resolve it.
    ResolveConflicts,
    /// See the statistics of every case (exact counts, on screen).
    ViewStatistics,
    /// Export anonymous statistics and CTDC-style records (consented cases, small counts hidden).
    ExportStatistics,
    /// Export the organisation's cases in HTCDS shape (identifying).
    ExportHtcds,
}

impl Operation {
    /// Every operation, for tables and tests.
    pub fn all() -> impl Iterator<Item = Operation> {
        <Operation as strum::IntoEnumIterator>::iter()
    }

    /// What the operation is, in words that fit "your role may not ...".
    pub fn describe(&self) -> &'static str {
        match self {
            Operation::ViewVaultStatus => "view the vault's status",
            Operation::CheckIntegrity => "check the database's integrity",
            Operation::ListAccounts => "list accounts",
            Operation::AddAccount => "add accounts",
            Operation::DisableAccount => "disable accounts",
            Operation::EnableAccount => "enable accounts",
            Operation::ResetPassphrase => "reset other people's passphrases",
            Operation::RekeyVault => "change the vault's data key",
            Operation::WipeVault => "wipe the vault or set its duress passphrase",
            Operation::ChangeOwnPassphrase => "change your passphrase",
            Operation::ChangeOwnPreferences => "change your preferences",
            Operation::ChangeSettings => "change the vault's settings",
            Operation::ViewCase => "open this case",
            Operation::CreateCase => "open new cases",
            Operation::EditCase => "change this case",
            Operation::CloseCase => "close cases",
            Operation::ReopenCase => "reopen cases",
            Operation::ReassignCase => "reassign cases",
            Operation::MergeCases => "merge cases or mark them as different people",
            Operation::OverrideReferralConsent => "refer someone without their consent",
            Operation::ViewPartners => "see the partner organisations",
            Operation::ManagePartners => "change the partner organisations",
            Operation::ManagePartnerKeys => "see or set partner organisations' keys",
            Operation::SendReferral => "send this case to a partner organisation",
            Operation::ViewAudit => "see the audit log",
            Operation::ExportAudit => "export the audit log",
            Operation::Sync => "export or import sync bundles",
            Operation::ManageDevices => "approve or revoke devices",
            Operation::ResolveConflicts => "resolve conflicting edits",
            Operation::ViewStatistics => "see the statistics",
            Operation::ExportStatistics => "export statistics",
            Operation::ExportHtcds => "export identifying case records",
        }
    }
}

/// How far a grant reaches. Case operations distinguish the cases a person works on from all
/// cases; every other operation is simply allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    /// Everything the operation can apply to (for case operations: every case).
    All,
    /// Only the cases the account owns or is assigned to.
    OwnOrAssignedCases,
}

/// The permission table: which roles may perform each operation, and how far. Nothing else grants
/// anything.
pub const PERMISSIONS: &[(Operation, &[(Role, Reach)])] = {
    use Reach::{All, OwnOrAssignedCases};
    use Role::{Admin, Caseworker, Supervisor};
    &[
        (
            Operation::ViewVaultStatus,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        // Everyone at the laptop should learn that the database is damaged.
        (
            Operation::CheckIntegrity,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        // Supervisors see the staff list: they assign cases to caseworkers.
        (Operation::ListAccounts, &[(Admin, All), (Supervisor, All)]),
        (Operation::AddAccount, &[(Admin, All)]),
        (Operation::DisableAccount, &[(Admin, All)]),
        (Operation::EnableAccount, &[(Admin, All)]),
        (Operation::ResetPassphrase, &[(Admin, All)]),
        (Operation::RekeyVault, &[(Admin, All)]),
        (Operation::WipeVault, &[(Admin, All)]),
        (
            Operation::ChangeOwnPassphrase,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        (
            Operation::ChangeOwnPreferences,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        (Operation::ChangeSettings, &[(Admin, All)]),
        // Caseworkers see only the people they work with. Administrators see every case (they answer
        // for the laptop) but do not change case records: that is casework.
        (
            Operation::ViewCase,
            &[
                (Admin, All),
                (Supervisor, All),
                (Caseworker, OwnOrAssignedCases),
            ],
        ),
        (
            Operation::CreateCase,
            &[(Supervisor, All), (Caseworker, All)],
        ),
        (
            Operation::EditCase,
            &[(Supervisor, All), (Caseworker, OwnOrAssignedCases)],
        ),
        (Operation::CloseCase, &[(Supervisor, All)]),
        (Operation::ReopenCase, &[(Supervisor, All)]),
        (Operation::ReassignCase, &[(Supervisor, All)]),
        // Two cases of one person are found across caseworkers' lists: supervisors see them all.
        (Operation::MergeCases, &[(Supervisor, All)]),
        (Operation::OverrideReferralConsent, &[(Supervisor, All)]),
        (
            Operation::ViewPartners,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        (
            Operation::ManagePartners,
            &[(Admin, All), (Supervisor, All)],
        ),
        // A wrong key sends a person's case to whoever holds it: supervisors check it with the
        // partner (its fingerprint read back) and set it.
        (Operation::ManagePartnerKeys, &[(Supervisor, All)]),
        (
            Operation::SendReferral,
            &[(Supervisor, All), (Caseworker, OwnOrAssignedCases)],
        ),
        // Supervisors audit; administrators answer for the laptop. Caseworkers do not see who
        // else opened what.
        (Operation::ViewAudit, &[(Admin, All), (Supervisor, All)]),
        (Operation::ExportAudit, &[(Admin, All), (Supervisor, All)]),
        // Whoever carries the USB stick syncs; bundles hold what every member may hold.
        (
            Operation::Sync,
            &[(Admin, All), (Supervisor, All), (Caseworker, All)],
        ),
        (Operation::ManageDevices, &[(Admin, All)]),
        // A conflict is two versions of a case's field: deciding between them is casework, and
        // supervisors see every case.
        (Operation::ResolveConflicts, &[(Supervisor, All)]),
        // Counts over every case: for the people who answer for the work, not for each caseworker
        // (a count of one, in a small shelter, is a person).
        (
            Operation::ViewStatistics,
            &[(Admin, All), (Supervisor, All)],
        ),
        (
            Operation::ExportStatistics,
            &[(Admin, All), (Supervisor, All)],
        ),
        // Identifying records of every consented case leave the vault: supervisors decide.
        (Operation::ExportHtcds, &[(Supervisor, All)]),
    ]
};

/// How far `role` may perform `operation`; `None` if not at all. An operation missing from the
/// table is refused.
pub fn reach(role: Role, operation: Operation) -> Option<Reach> {
    PERMISSIONS
        .iter()
        .find(|(listed, _)| *listed == operation)
        .and_then(|(_, grants)| grants.iter().find(|(granted, _)| *granted == role))
        .map(|(_, reach)| *reach)
}

/// Whether `role` may perform `operation` at all (on some case, for case operations).
pub fn is_allowed(role: Role, operation: Operation) -> bool {
    reach(role, operation).is_some()
}

/// A role asked for an operation the permission table does not grant it: the one refusal every
/// layer reports the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("your role ({role}) may not {}", operation.describe())]
pub struct Denied {
    /// The session's role.
    pub role: Role,
    /// What was attempted.
    pub operation: Operation,
}

impl Denied {
    /// `Ok` if `role` may perform `operation` at all, otherwise the refusal.
    pub fn unless_allowed(role: Role, operation: Operation) -> Result<(), Denied> {
        if is_allowed(role, operation) {
            Ok(())
        } else {
            Err(Denied { role, operation })
        }
    }
}

/// A staff account as the rest of the app sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "Account.ts"))]
pub struct Account {
    /// The account's id (hex).
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub id: AccountId,
    /// The name the person unlocks with, as they typed it when it was created.
    pub name: String,
    /// The account's role.
    pub role: Role,
    /// False once an admin has disabled the account.
    pub active: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole permission table, written out: a change to who may do what must change this test.
    #[test]
    fn permission_table_role_by_operation() {
        // (operation, admin, supervisor, caseworker)
        let expected = [
            (Operation::ViewVaultStatus, true, true, true),
            (Operation::CheckIntegrity, true, true, true),
            (Operation::ListAccounts, true, true, false),
            (Operation::AddAccount, true, false, false),
            (Operation::DisableAccount, true, false, false),
            (Operation::EnableAccount, true, false, false),
            (Operation::ResetPassphrase, true, false, false),
            (Operation::RekeyVault, true, false, false),
            (Operation::WipeVault, true, false, false),
            (Operation::ChangeOwnPassphrase, true, true, true),
            (Operation::ChangeOwnPreferences, true, true, true),
            (Operation::ChangeSettings, true, false, false),
            (Operation::ViewCase, true, true, true),
            (Operation::CreateCase, false, true, true),
            (Operation::EditCase, false, true, true),
            (Operation::CloseCase, false, true, false),
            (Operation::ReopenCase, false, true, false),
            (Operation::ReassignCase, false, true, false),
            (Operation::MergeCases, false, true, false),
            (Operation::OverrideReferralConsent, false, true, false),
            (Operation::ViewPartners, true, true, true),
            (Operation::ManagePartners, true, true, false),
            (Operation::ManagePartnerKeys, false, true, false),
            (Operation::SendReferral, false, true, true),
            (Operation::ViewAudit, true, true, false),
            (Operation::ExportAudit, true, true, false),
            (Operation::Sync, true, true, true),
            (Operation::ManageDevices, true, false, false),
            (Operation::ResolveConflicts, false, true, false),
            (Operation::ViewStatistics, true, true, false),
            (Operation::ExportStatistics, true, true, false),
            (Operation::ExportHtcds, false, true, false),
        ];
        assert_eq!(
            expected.len(),
            Operation::all().count(),
            "an operation has no row"
        );
        for (operation, admin, supervisor, caseworker) in expected {
            for (role, allowed) in [
                (Role::Admin, admin),
                (Role::Supervisor, supervisor),
                (Role::Caseworker, caseworker),
            ] {
                assert_eq!(
                    is_allowed(role, operation),
                    allowed,
                    "{role} × {operation:?}"
                );
            }
        }
    }

    /// Caseworkers reach only their own cases; nobody else is limited.
    #[test]
    fn only_caseworkers_are_limited_to_their_cases() {
        for (operation, grants) in PERMISSIONS {
            for (role, reach) in *grants {
                let limited = *reach == Reach::OwnOrAssignedCases;
                let expected = *role == Role::Caseworker
                    && matches!(
                        operation,
                        Operation::ViewCase | Operation::EditCase | Operation::SendReferral
                    );
                assert_eq!(limited, expected, "{role} × {operation:?}");
            }
        }
    }

    #[test]
    fn every_operation_has_exactly_one_row() {
        for operation in Operation::all() {
            let rows = PERMISSIONS
                .iter()
                .filter(|(op, _)| *op == operation)
                .count();
            assert_eq!(rows, 1, "{operation:?}");
        }
    }

    #[test]
    fn roles_parse_in_any_case() {
        assert_eq!(Role::parse("Caseworker"), Some(Role::Caseworker));
        assert_eq!(Role::parse(" SUPERVISOR "), Some(Role::Supervisor));
        assert_eq!(Role::parse("boss"), None);
        for role in Role::all() {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_value(role).unwrap(),
                serde_json::Value::from(role.as_str())
            );
        }
        assert_eq!(Role::all().count(), 3);
    }
}
