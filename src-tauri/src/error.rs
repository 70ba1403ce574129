//! The one error shape that crosses IPC: `{ kind, message, retryAfterSeconds, field, problem }`. The UI chooses its
//! translated text by `kind` (stable names from the core) and never matches on `message`.

use hearth_core::access::{AccessError, OpenError};
use hearth_core::records::RecordError;
use serde::Serialize;

/// An error as the UI receives it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "IpcError.ts"))]
pub struct IpcError {
    /// A stable name for the kind of error ("wrong_passphrase", "denied", "locked", ...).
    pub kind: String,
    /// The core's message in English, for kinds the UI has no text of its own for.
    pub message: String,
    /// For "must_wait": seconds until the next attempt is allowed.
    pub retry_after_seconds: Option<u32>,
    /// For "invalid_field": the field's name (`trafficking_events.1.country` for a list entry).
    pub field: Option<String>,
    /// For "invalid_field": what is wrong ("required", "in_the_future", "unknown_code", ...).
    pub problem: Option<String>,
}

impl IpcError {
    /// An error of `kind` with a message and nothing else.
    pub fn new(kind: &str, message: String) -> Self {
        Self {
            kind: kind.to_owned(),
            message,
            retry_after_seconds: None,
            field: None,
            problem: None,
        }
    }

    /// No session: the app is locked (by the person, the idle timer, or another window).
    pub fn locked() -> Self {
        Self::new(
            "locked",
            "Hearth is locked; unlock it to continue".to_owned(),
        )
    }
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
            kind: error.kind().to_owned(),
            message: error.to_string(),
            retry_after_seconds,
            field: None,
            problem: None,
        }
    }
}

impl From<AccessError> for IpcError {
    fn from(error: AccessError) -> Self {
        let retry_after_seconds = match error {
            AccessError::MustWait { seconds } => Some(retry_after(seconds)),
            _ => None,
        };
        Self {
            kind: error.kind().to_owned(),
            message: error.to_string(),
            retry_after_seconds,
            field: None,
            problem: None,
        }
    }
}

impl From<RecordError> for IpcError {
    fn from(error: RecordError) -> Self {
        match error {
            RecordError::Invalid(invalid) => Self {
                kind: "invalid_field".to_owned(),
                message: invalid.to_string(),
                retry_after_seconds: None,
                field: Some(invalid.field.clone()),
                problem: Some(invalid.problem.kind().to_owned()),
            },
            other => Self::new(other.kind(), other.to_string()),
        }
    }
}

impl From<hearth_core::sync::SyncError> for IpcError {
    fn from(error: hearth_core::sync::SyncError) -> Self {
        use hearth_core::sync::SyncError;
        match error {
            SyncError::Records(records) => records.into(),
            other => Self::new(other.kind(), other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::assert_binding_current;

    #[test]
    fn binding_is_current() {
        assert_binding_current::<IpcError>();
    }

    #[test]
    fn must_wait_carries_its_seconds() {
        let error = IpcError::from(OpenError::MustWait { seconds: 42 });
        assert_eq!(error.kind, "must_wait");
        assert_eq!(error.retry_after_seconds, Some(42));
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["retryAfterSeconds"], 42);
    }

    #[test]
    fn a_refused_field_is_named_with_its_problem() {
        use hearth_core::records::{FieldError, FieldProblem};
        let error = IpcError::from(RecordError::Invalid(FieldError {
            field: "date_identified".into(),
            problem: FieldProblem::InTheFuture,
        }));
        assert_eq!(error.kind, "invalid_field");
        assert_eq!(error.field.as_deref(), Some("date_identified"));
        assert_eq!(error.problem.as_deref(), Some("in_the_future"));
    }
}
