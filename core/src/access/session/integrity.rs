//! The page-by-page integrity check of an unlocked vault, off the person's way: started after
//! the unlock, asked about later, its result recorded in the audit log once, and finished (its
//! connection closed) before the session locks.

use serde::Serialize;

use super::Session;
use crate::access::{AccessError, Operation};
use crate::audit::{self, Action, NewEntry, Outcome};
use crate::vault::{IntegrityCheck, IntegrityReport};

/// Where the check of this session's vault stands.
#[derive(Debug, Default)]
pub(super) enum Integrity {
    /// Not asked for (the CLI runs its own check, and waits for it).
    #[default]
    NotStarted,
    /// Reading every page on its own connection.
    Running(IntegrityCheck),
    /// Done and recorded in the audit log.
    Done(IntegrityStatus),
}

/// What the check found, as the About screen and the damage banner show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "IntegrityStatus.ts")
)]
pub enum IntegrityStatus {
    /// Still reading pages.
    Running,
    /// Every page verified.
    Intact,
    /// Pages failed their check: the vault on this laptop is damaged.
    Damaged {
        /// How many problems SQLCipher reported.
        problems: u32,
        /// The first, as SQLCipher words it (a page number, never content).
        first: String,
    },
    /// The check itself could not run.
    Failed {
        /// Why, in English.
        message: String,
    },
}

impl IntegrityStatus {
    fn from_result(result: Result<IntegrityReport, rusqlite::Error>) -> IntegrityStatus {
        match result {
            Ok(report) if report.is_intact() => IntegrityStatus::Intact,
            Ok(report) => IntegrityStatus::Damaged {
                problems: u32::try_from(report.problems.len()).unwrap_or(u32::MAX),
                first: report.problems.first().cloned().unwrap_or_default(),
            },
            Err(error) => IntegrityStatus::Failed {
                message: error.to_string(),
            },
        }
    }

    /// The audit entry for this result: ok, or failed with what was found (no content).
    fn audit_entry(&self, session: &Session) -> NewEntry {
        let mut entry = NewEntry::ok(session.account(), Action::CheckIntegrity);
        match self {
            IntegrityStatus::Running | IntegrityStatus::Intact => {}
            IntegrityStatus::Damaged { problems, first } => {
                entry.outcome = Outcome::Failed;
                entry.reason = Some(format!("{problems} damaged page(s); first: {first}"));
            }
            IntegrityStatus::Failed { message } => {
                entry.outcome = Outcome::Failed;
                entry.reason = Some(format!("the check could not run: {message}"));
            }
        }
        entry
    }
}

impl Session {
    /// Starts the page-by-page check on a second connection, unless it ran in this session
    /// already. The desktop app calls this right after every unlock. A check that cannot even
    /// start is its result (recorded and shown), not a reason to refuse the unlock.
    pub fn check_integrity_in_background(&mut self) -> Result<(), AccessError> {
        self.require(Operation::CheckIntegrity)?;
        if matches!(self.integrity, Integrity::NotStarted) {
            match IntegrityCheck::start(&self.paths.database(), &self.data_key) {
                Ok(check) => self.integrity = Integrity::Running(check),
                Err(error) => {
                    let status = IntegrityStatus::Failed {
                        message: error.to_string(),
                    };
                    let entry = status.audit_entry(self);
                    self.integrity = Integrity::Done(status);
                    self.audit_alone(&entry)?;
                }
            }
        }
        Ok(())
    }

    /// Where the background check stands (`None` if it was never started). The first time it
    /// is seen finished, its result is recorded in the audit log.
    pub fn integrity_status(&mut self) -> Result<Option<IntegrityStatus>, AccessError> {
        self.require(Operation::CheckIntegrity)?;
        if matches!(&self.integrity, Integrity::Running(check) if check.is_finished()) {
            self.finish_integrity_check()?;
        }
        Ok(match &self.integrity {
            Integrity::NotStarted => None,
            Integrity::Running(_) => Some(IntegrityStatus::Running),
            Integrity::Done(status) => Some(status.clone()),
        })
    }

    /// Waits for a running check (if any) and records its result. Locking calls it, so that the
    /// check's connection is closed and its result is in the log before the session ends.
    pub(super) fn finish_integrity_check(&mut self) -> Result<(), audit::AuditError> {
        let Integrity::Running(check) = std::mem::take(&mut self.integrity) else {
            return Ok(());
        };
        let status = IntegrityStatus::from_result(check.wait());
        let entry = status.audit_entry(self);
        self.integrity = Integrity::Done(status);
        self.audit_alone(&entry)
    }
}
