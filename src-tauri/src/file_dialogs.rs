//! The system's Save and Open dialogs, shown by the Rust side. The webview asks for a dialog by
//! kind of file; it never names a path itself and never touches the disk: the dialog gives the
//! chosen path to the command that reads or writes it.
//!
//! Two implementations of [`FileDialogs`]: the system's (GTK, through tauri-plugin-dialog), and,
//! in debug builds only, a scripted one for the end-to-end tests (`HEARTH_TEST_FILE_DIALOG`),
//! because WebDriver cannot reach a native GTK window. Everything above this layer (the commands,
//! the UI, the remembered folders, the confirmed replacements) is the same in both.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};

/// The kinds of file Hearth reads and writes through a dialog. Each remembers its own last
/// folder (bundles on a USB stick, CSV files in Documents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "FileKind.ts"))]
pub enum FileKind {
    /// A sync bundle (`.age`).
    Bundle,
    /// A laptop's request to join the organisation (`.json`).
    JoinRequest,
    /// The enrollment file an administrator writes for a joining laptop (`.age`).
    Enrollment,
    /// The audit log's entries, as CSV.
    AuditCsv,
    /// A signed checkpoint of the audit log, to keep apart and verify against later.
    AuditCheckpoint,
    /// A printable case summary (`.pdf`).
    CaseSummary,
    /// The recovery key sheet (`.pdf`).
    RecoverySheet,
    /// A referral packet for a partner, or one received (`.age`).
    ReferralPacket,
    /// A partner's answer to a referral packet (`.age`).
    ReferralAnswer,
    /// Anonymous statistics (`.csv`, a manifest beside it).
    StatisticsCsv,
    /// CTDC-style anonymised records (`.csv`, a manifest beside it).
    CtdcCsv,
    /// The organisation's cases in HTCDS shape, encrypted (`.age`).
    HtcdsExport,
    /// The same in plain text, as JSON (`.json`): the name must not suggest it is encrypted.
    HtcdsJson,
    /// The same in plain text, as CSV (`.csv`).
    HtcdsCsv,
}

impl FileKind {
    /// The name the folder is remembered under (also the name the scripted dialog logs).
    pub fn key(self) -> &'static str {
        match self {
            Self::Bundle => "bundle",
            Self::JoinRequest => "join_request",
            Self::Enrollment => "enrollment",
            Self::AuditCsv => "audit_csv",
            Self::AuditCheckpoint => "audit_checkpoint",
            Self::CaseSummary => "case_summary",
            Self::RecoverySheet => "recovery_sheet",
            Self::ReferralPacket => "referral_packet",
            Self::ReferralAnswer => "referral_answer",
            Self::StatisticsCsv => "statistics_csv",
            Self::CtdcCsv => "ctdc_csv",
            Self::HtcdsExport => "htcds_export",
            Self::HtcdsJson => "htcds_json",
            Self::HtcdsCsv => "htcds_csv",
        }
    }

    /// The extensions the dialog's filter shows.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Bundle | Self::Enrollment | Self::ReferralPacket | Self::ReferralAnswer => {
                &["age"]
            }
            Self::CaseSummary | Self::RecoverySheet => &["pdf"],
            Self::JoinRequest => &["json"],
            Self::AuditCsv | Self::StatisticsCsv | Self::CtdcCsv | Self::HtcdsCsv => &["csv"],
            Self::HtcdsExport => &["age"],
            Self::HtcdsJson => &["json"],
            Self::AuditCheckpoint => &["txt"],
        }
    }

    /// The name a Save dialog suggests. A bundle's is random: it travels on USB sticks and by
    /// e-mail, and must say nothing about what it holds or where it comes from.
    pub fn suggested_name(self) -> Result<String, hearth_core::crypto::CryptoError> {
        Ok(match self {
            Self::Bundle => {
                let random: [u8; 4] = hearth_core::crypto::random_bytes()?;
                format!("sync-{}.age", hex_of(&random))
            }
            Self::JoinRequest => "join-request.json".to_owned(),
            Self::Enrollment => {
                let random: [u8; 4] = hearth_core::crypto::random_bytes()?;
                format!("enrollment-{}.age", hex_of(&random))
            }
            Self::AuditCsv => format!("hearth-audit-{}.csv", jiff::Zoned::now().date()),
            Self::AuditCheckpoint => {
                format!("hearth-checkpoint-{}.txt", jiff::Zoned::now().date())
            }
            // Never the person's name or number: the file may be seen in a folder or a mail.
            Self::CaseSummary => format!("case-summary-{}.pdf", jiff::Zoned::now().date()),
            Self::RecoverySheet => "hearth-recovery-key.pdf".to_owned(),
            Self::ReferralPacket => {
                let random: [u8; 4] = hearth_core::crypto::random_bytes()?;
                format!("referral-{}.age", hex_of(&random))
            }
            Self::ReferralAnswer => {
                let random: [u8; 4] = hearth_core::crypto::random_bytes()?;
                format!("referral-answer-{}.age", hex_of(&random))
            }
            Self::StatisticsCsv => format!("statistics-{}.csv", jiff::Zoned::now().date()),
            Self::CtdcCsv => format!("ctdc-{}.csv", jiff::Zoned::now().date()),
            Self::HtcdsExport => format!("htcds-{}.age", jiff::Zoned::now().date()),
            Self::HtcdsJson => format!("htcds-{}-plain.json", jiff::Zoned::now().date()),
            Self::HtcdsCsv => format!("htcds-{}-plain.csv", jiff::Zoned::now().date()),
        })
    }
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Save a new file, open an existing one, or choose a folder of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "DialogAction.ts"))]
pub enum DialogAction {
    /// Choose where to write a file (an existing one is confirmed by the dialog).
    Save,
    /// Choose a file to read.
    Open,
    /// Choose a folder to read the files of (the office's folder of every site's bundles).
    OpenFolder,
}

/// What a dialog is asked to show.
#[derive(Debug, Clone, Serialize)]
pub struct DialogRequest {
    /// Save or Open.
    pub action: DialogAction,
    /// Which kind of file.
    pub kind: FileKind,
    /// The dialog's title, in the UI's language.
    pub title: String,
    /// The folder it opens in: the last one chosen for this kind, if it still exists.
    pub folder: Option<PathBuf>,
    /// For Save: the suggested file name.
    pub file_name: Option<String>,
}

/// Shows a file dialog and returns the path chosen, or `None` when the person cancelled.
pub trait FileDialogs: Send + Sync + Debug {
    /// Blocks until the person has chosen or cancelled; call it off the main thread (an async
    /// command).
    fn show(&self, request: &DialogRequest) -> Option<PathBuf>;
}

/// The system's dialogs, attached to the main window so that they stay above it.
#[derive(Debug)]
pub struct SystemDialogs {
    app: AppHandle,
}

impl SystemDialogs {
    /// Dialogs for `app`'s main window.
    pub fn new(app: AppHandle) -> Self {
        Self { app }
    }
}

impl FileDialogs for SystemDialogs {
    fn show(&self, request: &DialogRequest) -> Option<PathBuf> {
        use tauri_plugin_dialog::DialogExt;
        let mut dialog = self
            .app
            .dialog()
            .file()
            .set_title(&request.title)
            .add_filter(request.kind.key(), request.kind.extensions());
        if let Some(window) = self.app.get_webview_window(crate::MAIN_WINDOW) {
            dialog = dialog.set_parent(&window);
        }
        if let Some(folder) = &request.folder {
            dialog = dialog.set_directory(folder);
        }
        let chosen = match request.action {
            DialogAction::Save => {
                if let Some(name) = &request.file_name {
                    dialog = dialog.set_file_name(name);
                }
                // GTK's Save dialog asks before it returns an existing file's name.
                dialog.blocking_save_file()
            }
            DialogAction::Open => dialog.blocking_pick_file(),
            DialogAction::OpenFolder => dialog.blocking_pick_folder(),
        };
        chosen.and_then(|path| path.into_path().ok())
    }
}

/// The end-to-end tests' dialog (debug builds only): it answers every dialog with the path
/// written in the file `HEARTH_TEST_FILE_DIALOG` names (an empty file: cancelled, as if the person
/// pressed Cancel), and appends what it was asked, one JSON line per dialog, to that file's name
/// plus `.asked`, for the test to check the title, kind, folder and suggested name. A Save answer
/// naming an existing file stands for a replacement the person confirmed.
#[derive(Debug)]
pub struct ScriptedDialogs {
    answer_file: PathBuf,
}

impl ScriptedDialogs {
    /// The scripted dialog when `HEARTH_TEST_FILE_DIALOG` is set in a debug build; never in a
    /// release build, whatever the environment says.
    pub fn from_environment() -> Option<Self> {
        if !cfg!(debug_assertions) {
            return None;
        }
        let answer_file = std::env::var_os("HEARTH_TEST_FILE_DIALOG").filter(|v| !v.is_empty())?;
        Some(Self {
            answer_file: PathBuf::from(answer_file),
        })
    }

    fn asked_log(&self) -> PathBuf {
        let mut name = self.answer_file.clone().into_os_string();
        name.push(".asked");
        PathBuf::from(name)
    }
}

impl FileDialogs for ScriptedDialogs {
    fn show(&self, request: &DialogRequest) -> Option<PathBuf> {
        use std::io::Write;
        // A test double: failing to log is the test's problem, and it will see the log missing.
        if let Ok(mut log) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.asked_log())
        {
            let _ = writeln!(
                log,
                "{}",
                serde_json::to_string(request).unwrap_or_default()
            );
        }
        let answer = std::fs::read_to_string(&self.answer_file).unwrap_or_default();
        let answer = answer.trim();
        (!answer.is_empty()).then(|| PathBuf::from(answer))
    }
}

/// The dialogs the app uses: the scripted ones when a debug build's tests ask, else the system's.
pub fn for_app(app: &AppHandle) -> Box<dyn FileDialogs> {
    match ScriptedDialogs::from_environment() {
        Some(scripted) => Box::new(scripted),
        None => Box::new(SystemDialogs::new(app.clone())),
    }
}

/// The folder a chosen file is in, to remember for the next dialog of its kind.
pub fn folder_of(path: &Path) -> Option<&Path> {
    path.parent()
        .filter(|folder| !folder.as_os_str().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_name_says_nothing_about_its_contents() {
        let first = FileKind::Bundle.suggested_name().unwrap();
        let second = FileKind::Bundle.suggested_name().unwrap();
        assert_ne!(first, second);
        assert!(
            first.starts_with("sync-") && first.ends_with(".age"),
            "{first}"
        );
        assert_eq!(first.len(), "sync-".len() + 8 + ".age".len());
    }

    #[test]
    fn the_scripted_dialog_answers_with_the_file_and_logs_what_it_was_asked() {
        let folder = tempfile::tempdir().unwrap();
        let answer_file = folder.path().join("answer");
        let dialogs = ScriptedDialogs {
            answer_file: answer_file.clone(),
        };
        let request = DialogRequest {
            action: DialogAction::Save,
            kind: FileKind::AuditCsv,
            title: "Save the audit entries".into(),
            folder: None,
            file_name: Some("a.csv".into()),
        };
        std::fs::write(&answer_file, "/media/stick/a.csv\n").unwrap();
        assert_eq!(
            dialogs.show(&request),
            Some(PathBuf::from("/media/stick/a.csv"))
        );
        std::fs::write(&answer_file, "").unwrap();
        assert_eq!(dialogs.show(&request), None, "an empty answer is Cancel");
        let asked = std::fs::read_to_string(dialogs.asked_log()).unwrap();
        let lines: Vec<serde_json::Value> = asked
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["kind"], "audit_csv");
        assert_eq!(lines[0]["action"], "save");
        assert_eq!(lines[0]["file_name"], "a.csv");
    }

    #[test]
    fn a_file_at_the_root_has_no_folder_to_remember_but_the_root() {
        assert_eq!(folder_of(Path::new("/a.age")), Some(Path::new("/")));
        assert_eq!(folder_of(Path::new("a.age")), None);
        assert_eq!(
            folder_of(Path::new("/media/stick/a.age")),
            Some(Path::new("/media/stick"))
        );
    }
}
