//! Keeps the TypeScript types in ui/src/lib/bindings/ identical to the Rust types sent over IPC, so
//! the UI cannot silently drift from the shell. [`ipc_types`] is the one list of those types; a
//! test renders each with ts-rs and compares it with the committed file, and
//! `UPDATE_BINDINGS=1 cargo test -p hearth-desktop` rewrites the files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

/// One type that crosses IPC, as the generated command list needs to name and import it.
pub(crate) struct IpcType {
    /// The Rust type's name without its path or generic arguments (`Record`).
    pub rust_name: &'static str,
    /// Its TypeScript name (`HearthRecord`).
    pub ts_name: String,
    /// Its file under ui/src/lib/bindings/ (`HearthRecord.ts`).
    pub file: PathBuf,
    /// The file's generated text.
    pub rendered: String,
}

fn ipc_type<T: TS + 'static>() -> IpcType {
    let config = Config::new();
    let full_name = std::any::type_name::<T>();
    let without_generics = full_name.split('<').next().unwrap_or(full_name);
    IpcType {
        rust_name: without_generics.rsplit("::").next().unwrap_or(full_name),
        ts_name: T::ident(&config),
        file: T::output_path().expect("IPC types need #[ts(export_to = \"...\")]"),
        rendered: T::export_to_string(&config).expect("ts-rs could not render the type"),
    }
}

/// Every type a command takes or returns, and every type those contain.
pub(crate) fn ipc_types() -> Vec<IpcType> {
    use crate::commands::{
        app::AppInfo, audit::AuditExport, audit::CheckpointWritten, sync::Approval,
        sync::ConflictChoice, sync::FolderBundle, sync::FolderImport, sync::SiteShare,
    };
    use crate::error::IpcError;
    use crate::views::{
        CreatedVault, DemoCredentials, HtcdsWritten, ReferralKey, RekeyOutcome, ReportWritten,
        SentPacket, StaffMember, VaultState, WipeOutcome,
    };
    use hearth_core::access::*;
    use hearth_core::audit::*;
    use hearth_core::records::*;
    use hearth_core::sync::*;
    vec![
        // The shell's own shapes.
        ipc_type::<IpcError>(),
        ipc_type::<crate::error::FieldIssue>(),
        ipc_type::<AppInfo>(),
        ipc_type::<DemoCredentials>(),
        ipc_type::<VaultState>(),
        ipc_type::<CreatedVault>(),
        ipc_type::<RekeyOutcome>(),
        ipc_type::<WipeOutcome>(),
        ipc_type::<StaffMember>(),
        ipc_type::<AuditExport>(),
        ipc_type::<CheckpointWritten>(),
        ipc_type::<Approval>(),
        ipc_type::<ConflictChoice>(),
        ipc_type::<FolderImport>(),
        ipc_type::<FolderBundle>(),
        ipc_type::<SiteShare>(),
        ipc_type::<crate::file_dialogs::FileKind>(),
        ipc_type::<crate::file_dialogs::DialogAction>(),
        ipc_type::<crate::commands::files::ChosenFile>(),
        ipc_type::<SentPacket>(),
        ipc_type::<ReferralKey>(),
        ipc_type::<ReportWritten>(),
        ipc_type::<HtcdsWritten>(),
        // Accounts, sessions and the vault.
        ipc_type::<ErrorKind>(),
        ipc_type::<ErrorCategory>(),
        ipc_type::<Role>(),
        ipc_type::<Account>(),
        ipc_type::<SessionOverview>(),
        ipc_type::<PassphraseAssessment>(),
        ipc_type::<VaultStatus>(),
        ipc_type::<IntegrityStatus>(),
        // Case records.
        ipc_type::<CaseFields>(),
        ipc_type::<ConsentFields>(),
        ipc_type::<ServiceFields>(),
        ipc_type::<ReferralFields>(),
        ipc_type::<NoteFields>(),
        ipc_type::<FollowUpFields>(),
        ipc_type::<PartnerFields>(),
        ipc_type::<IdentityDocument>(),
        ipc_type::<TraffickingEvent>(),
        ipc_type::<Record<CaseFields>>(),
        ipc_type::<CaseActions>(),
        ipc_type::<CaseFile>(),
        ipc_type::<CaseSummary>(),
        ipc_type::<CaseSort>(),
        ipc_type::<CaseQuery>(),
        ipc_type::<duplicates::DuplicateQuery>(),
        ipc_type::<duplicates::PossibleDuplicate>(),
        ipc_type::<CasePage>(),
        ipc_type::<FollowUpDue>(),
        ipc_type::<HistoryEntry>(),
        ipc_type::<CaseCreated>(),
        ipc_type::<codes::Code>(),
        ipc_type::<codes::CodeList>(),
        ipc_type::<Conflict>(),
        ipc_type::<Section>(),
        // Referral packets and printed documents.
        ipc_type::<hearth_core::documents::Language>(),
        ipc_type::<hearth_core::referrals::AnswerOutcome>(),
        ipc_type::<hearth_core::referrals::ReceivedReferral>(),
        ipc_type::<hearth_core::referrals::ImportedAnswer>(),
        ipc_type::<ConflictVersion>(),
        // Statistics and exports.
        ipc_type::<hearth_core::reports::Scope>(),
        ipc_type::<hearth_core::reports::Statistics>(),
        ipc_type::<hearth_core::reports::Panel>(),
        ipc_type::<hearth_core::reports::PanelRow>(),
        ipc_type::<hearth_core::reports::PanelId>(),
        ipc_type::<hearth_core::reports::Unit>(),
        ipc_type::<hearth_core::reports::Count>(),
        ipc_type::<hearth_core::reports::Shape>(),
        // The audit log.
        ipc_type::<AuditEntry>(),
        ipc_type::<AuditPage>(),
        ipc_type::<AuditQuery>(),
        ipc_type::<AuditVerification>(),
        ipc_type::<AuditProblem>(),
        ipc_type::<Action>(),
        ipc_type::<Outcome>(),
        // Sync.
        ipc_type::<DeviceIdentity>(),
        ipc_type::<ExportSummary>(),
        ipc_type::<ImportSummary>(),
        ipc_type::<SyncStatus>(),
        ipc_type::<DeviceSync>(),
        ipc_type::<RosterDevice>(),
        ipc_type::<DeviceStatus>(),
        ipc_type::<ClockSkew>(),
        ipc_type::<OfficeRecipient>(),
        // Long work.
        ipc_type::<ProgressStep>(),
        ipc_type::<crate::progress_events::LongWork>(),
        ipc_type::<crate::progress_events::ProgressReport>(),
    ]
}

fn bindings_folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings")
}

/// Checks (or with `UPDATE_BINDINGS`, writes) a generated file under ui/src/lib/bindings/.
pub(crate) fn assert_generated_file_current(file: &Path, generated: &str) {
    let path = bindings_folder().join(file);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, generated).expect("could not write the binding");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} does not match the Rust type; run `UPDATE_BINDINGS=1 cargo test -p hearth-desktop` \
         and commit the result.\n--- generated ---\n{generated}",
        path.display()
    );
}

/// The files under ui/src/lib/bindings/ that are not types: the command list and the error kinds.
pub(crate) const OTHER_GENERATED_FILES: [&str; 2] = ["commands.ts", "errorKinds.ts"];

#[test]
fn every_binding_is_current() {
    for ipc_type in ipc_types() {
        assert_generated_file_current(&ipc_type.file, &ipc_type.rendered);
    }
}

/// A binding left behind by a type that no longer crosses IPC would still compile in the UI.
#[test]
fn the_bindings_folder_holds_only_generated_files() {
    let expected: BTreeSet<String> = ipc_types()
        .iter()
        .map(|ipc_type| ipc_type.file.display().to_string())
        .chain(OTHER_GENERATED_FILES.map(str::to_owned))
        .collect();
    let found: BTreeSet<String> = std::fs::read_dir(bindings_folder())
        .expect("no bindings folder")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        found, expected,
        "ui/src/lib/bindings/ holds files no IPC type generates (delete them) or lacks some"
    );
}

/// Two Rust types of one name would make the command list's names ambiguous.
#[test]
fn ipc_types_have_distinct_names() {
    let types = ipc_types();
    let names: BTreeSet<&str> = types.iter().map(|ipc_type| ipc_type.rust_name).collect();
    assert_eq!(names.len(), types.len(), "two IPC types share a Rust name");
}
