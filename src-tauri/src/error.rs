//! The one error shape that crosses IPC: `{ kind, message, retryAfterSeconds }`. The UI chooses its
//! translated text by `kind` (stable names from the core) and never matches on `message`.

use hearth_core::access::{AccessError, OpenError};
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
}

impl IpcError {
    /// No session: the app is locked (by the person, the idle timer, or another window).
    pub fn locked() -> Self {
        Self {
            kind: "locked".to_owned(),
            message: "Hearth is locked; unlock it to continue".to_owned(),
            retry_after_seconds: None,
        }
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
}
