//! The one error shape that crosses IPC: `{ kind, category, message, retry_after_seconds, fields,
//! needed_bytes, free_bytes }`. The UI chooses its translated text by `kind` (stable names from the
//! core) and never matches on `message`.

use hearth_core::access::{AccessError, ErrorCategory, ErrorKind, OpenError};
use hearth_core::files::DiskFull;
use hearth_core::records::RecordError;
use serde::Serialize;

/// An error as the UI receives it.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "IpcError.ts"))]
pub struct IpcError {
    /// What went wrong ("wrong_passphrase", "denied", "locked", ...): the UI's text is chosen
    /// by it alone.
    pub kind: ErrorKind,
    /// Which headline the UI shows above the text: a damaged file, a damaged vault, a refusal.
    pub category: ErrorCategory,
    /// The core's message in English, for kinds the UI has no text of its own for.
    pub message: String,
    /// For "must_wait": seconds until the next attempt is allowed.
    pub retry_after_seconds: Option<u32>,
    /// For "invalid_field": every field refused, each with what is wrong and what is allowed.
    pub fields: Vec<FieldIssue>,
    /// For "disk_full": the bytes the write or import needed.
    #[cfg_attr(test, ts(type = "number | null"))]
    pub needed_bytes: Option<u64>,
    /// For "disk_full": the bytes that were free, where known.
    #[cfg_attr(test, ts(type = "number | null"))]
    pub free_bytes: Option<u64>,
}

/// One refused field, as the UI names it in the person's language.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "FieldIssue.ts"))]
pub struct FieldIssue {
    /// The field's name (`trafficking_events.1.country` for a part of a list entry).
    pub field: String,
    /// What is wrong ("required", "in_the_future", "too_long", ...).
    pub problem: String,
    /// The smallest value accepted, where that is the rule (a number, or a `YYYY-MM-DD` day).
    pub min: Option<String>,
    /// The largest value accepted, where that is the rule.
    pub max: Option<String>,
}

impl IpcError {
    /// An error of `kind` with a message and nothing else.
    pub fn new(kind: ErrorKind, message: String) -> Self {
        Self {
            kind,
            category: kind.category(),
            message,
            retry_after_seconds: None,
            fields: Vec::new(),
            needed_bytes: None,
            free_bytes: None,
        }
    }

    /// An error of `kind` told by `error` and its causes; a full disk anywhere among them gives
    /// its sizes, for the UI to say in the person's language.
    pub fn described(kind: ErrorKind, error: &(dyn std::error::Error + 'static)) -> Self {
        Self::new(kind, message(error)).with_disk_sizes(error)
    }

    /// A file that could not be written: a full disk, or a place Hearth may not write.
    pub fn unwritable(path: &std::path::Path, error: &std::io::Error) -> Self {
        let kind = match hearth_core::files::io_kind(error) {
            ErrorKind::DiskFull => ErrorKind::DiskFull,
            _ => ErrorKind::FileUnwritable,
        };
        Self::new(kind, format!("{}: {error}", path.display())).with_disk_sizes(error)
    }

    fn with_disk_sizes(self, error: &(dyn std::error::Error + 'static)) -> Self {
        let full = hearth_core::files::disk_full_of(error).copied();
        self.with_sizes_of(full)
    }

    fn with_sizes_of(mut self, full: Option<DiskFull>) -> Self {
        if let Some(full) = full {
            self.needed_bytes = Some(full.needed);
            self.free_bytes = full.free;
        }
        self
    }

    /// No session: the app is locked (by the person, the idle timer, or another window).
    pub fn locked() -> Self {
        Self::new(
            ErrorKind::Locked,
            "Hearth is locked; unlock it to continue".to_owned(),
        )
    }
}

/// An error's words with those of its causes ("the vault database failed: database is locked"):
/// each layer says what it was doing once, and the cause says why.
fn message(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        cause = inner.source();
    }
    message
}

/// Seconds to wait as the UI's number (a wait is at most an hour, so it always fits).
fn retry_after(seconds: u64) -> u32 {
    u32::try_from(seconds).unwrap_or(u32::MAX)
}

impl From<OpenError> for IpcError {
    fn from(error: OpenError) -> Self {
        let retry_after_seconds = match error {
            OpenError::MustWait { seconds } => Some(retry_after(seconds)),
            _ => None,
        };
        Self {
            retry_after_seconds,
            ..Self::described(error.kind(), &error)
        }
    }
}

impl From<AccessError> for IpcError {
    fn from(error: AccessError) -> Self {
        let retry_after_seconds = match error {
            AccessError::MustWait { seconds } => Some(retry_after(seconds)),
            _ => None,
        };
        // A transparent variant's `source()` skips the DiskFull it holds: take its sizes here.
        let full = match &error {
            AccessError::DiskFull(full) => Some(*full),
            _ => None,
        };
        Self {
            retry_after_seconds,
            ..Self::described(error.kind(), &error).with_sizes_of(full)
        }
    }
}

impl From<RecordError> for IpcError {
    fn from(error: RecordError) -> Self {
        match error {
            RecordError::Invalid(invalid) => Self {
                fields: invalid
                    .0
                    .iter()
                    .map(|refused| {
                        let (min, max) = refused.problem.limits();
                        FieldIssue {
                            field: refused.field.clone(),
                            problem: refused.problem.kind().to_owned(),
                            min,
                            max,
                        }
                    })
                    .collect(),
                ..Self::new(ErrorKind::InvalidField, invalid.to_string())
            },
            other => Self::described(other.kind(), &other),
        }
    }
}

impl From<hearth_core::sync::SyncError> for IpcError {
    fn from(error: hearth_core::sync::SyncError) -> Self {
        use hearth_core::sync::SyncError;
        match error {
            SyncError::Records(records) => records.into(),
            // A transparent variant's `source()` skips the DiskFull it holds: take its sizes here.
            SyncError::DiskFull(full) => {
                Self::described(ErrorKind::DiskFull, &error).with_sizes_of(Some(full))
            }
            other => Self::described(other.kind(), &other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    /// Every kind, as a list the UI's tests walk to check that each has a text in every language.
    #[test]
    fn the_list_of_kinds_is_current() {
        let mut generated = String::from(
            "// Generated by src-tauri/src/error.rs (UPDATE_BINDINGS=1 cargo test -p hearth-desktop).\n\
             import type { ErrorKind } from './ErrorKind';\n\n\
             export const ERROR_KINDS: readonly ErrorKind[] = [\n",
        );
        for kind in ErrorKind::all() {
            generated.push_str(&format!("  '{kind}',\n"));
        }
        generated.push_str("];\n");
        crate::bindings::assert_generated_file_current(
            std::path::Path::new("errorKinds.ts"),
            &generated,
        );
    }

    /// Each layer's words appear once, followed by the cause's.
    #[test]
    fn a_message_names_each_cause_once() {
        use hearth_core::keyslots::KeySlotFileError;
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
        let error = IpcError::from(OpenError::KeySlots(KeySlotFileError::Io {
            action: "read",
            source: io,
        }));
        assert_eq!(
            error.message,
            "the key-slot file could not be read: permission denied"
        );
        assert_eq!(error.kind, ErrorKind::Folder);
    }

    /// The UI says a full disk's sizes in the person's language: they must reach it from every
    /// layer that refuses for want of room.
    #[test]
    fn a_full_disk_gives_its_sizes_from_sync_and_from_the_session() {
        let full = DiskFull {
            needed: 5_000_000,
            free: Some(1_000),
        };
        for error in [
            IpcError::from(hearth_core::sync::SyncError::DiskFull(full)),
            IpcError::from(AccessError::DiskFull(full)),
        ] {
            assert_eq!(error.kind, ErrorKind::DiskFull);
            assert_eq!(
                (error.needed_bytes, error.free_bytes),
                (Some(5_000_000), Some(1_000))
            );
        }
    }

    #[test]
    fn must_wait_carries_its_seconds() {
        let error = IpcError::from(OpenError::MustWait { seconds: 42 });
        assert_eq!(error.kind, ErrorKind::MustWait);
        assert_eq!(error.retry_after_seconds, Some(42));
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["retry_after_seconds"], 42);
    }

    #[test]
    fn every_refused_field_is_named_with_its_problem_and_limit() {
        use hearth_core::records::{FieldError, FieldErrors, FieldProblem};
        let error = IpcError::from(RecordError::Invalid(FieldErrors(vec![
            FieldError {
                field: "date_identified".into(),
                problem: FieldProblem::InTheFuture,
            },
            FieldError {
                field: "given_name".into(),
                problem: FieldProblem::TooLong(100),
            },
        ])));
        assert_eq!(error.kind, ErrorKind::InvalidField);
        let named: Vec<_> = error
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.problem.as_str(), f.max.as_deref()))
            .collect();
        assert_eq!(
            named,
            [
                ("date_identified", "in_the_future", None),
                ("given_name", "too_long", Some("100"))
            ]
        );
    }
}
