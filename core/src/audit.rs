//! The audit log as a session uses it: the log itself (chains, checkpoints, verification, CSV)
//! is `hearth_store::audit`; this adds the permission check and the entry that records each use.

pub use hearth_store::audit::*;

use crate::access::{AccessError, Operation, Session};

impl Session {
    /// A page of the audit log (supervisors and administrators).
    pub fn audit_entries(&self, query: &AuditQuery) -> Result<AuditPage, AccessError> {
        self.require(Operation::ViewAudit)?;
        Ok(list(self.database(), query)?)
    }

    /// Recomputes every chain and, given a checkpoint note, checks the log against it. The
    /// verification itself is recorded.
    pub fn verify_audit(&self, checkpoint: Option<&str>) -> Result<AuditVerification, AccessError> {
        self.require(Operation::ViewAudit)?;
        let checkpoint = match checkpoint {
            Some(text) => Some(parse_checkpoint(
                text,
                &checkpoint_key(self.database(), text)?,
            )?),
            None => None,
        };
        let verification = verify(self.database(), checkpoint.as_ref())?;
        let mut entry = NewEntry::ok(self.account(), Action::VerifyAudit);
        if let Some(problem) = &verification.problem {
            entry.outcome = Outcome::Failed;
            entry.reason = Some(problem.message.clone());
        }
        // Appended after verifying, so that the result describes the log as it was asked about.
        self.audit_alone(&entry)?;
        Ok(verification)
    }

    /// The entries that match `query` (all pages, oldest first, at most [`EXPORT_MAX`] pages of
    /// 500) as CSV, handed to `deliver`, which writes the file. The export is recorded and a
    /// checkpoint made in one transaction that commits only once `deliver` has succeeded: a file
    /// that could not be written never reads as exported in the log. Returns how many entries
    /// the file holds.
    pub fn export_audit_csv(
        &self,
        query: &AuditQuery,
        deliver: impl FnOnce(&[u8]) -> std::io::Result<()>,
    ) -> Result<usize, AccessError> {
        self.require(Operation::ExportAudit)?;
        let mut entries = Vec::new();
        for page in 0..EXPORT_MAX {
            let batch = list(
                self.database(),
                &AuditQuery {
                    page,
                    page_size: 500,
                    ..query.clone()
                },
            )?;
            let last = batch.entries.len() < 500;
            entries.extend(batch.entries);
            if last {
                break;
            }
        }
        let mut filters = Vec::new();
        for (name, given) in [
            ("account", query.account.is_some()),
            ("case_id", query.case_id.is_some()),
            ("action", query.action.is_some()),
            ("since", query.since_ms.is_some()),
            ("until", query.before_ms.is_some()),
            ("outcome", query.outcome.is_some()),
        ] {
            if given {
                filters.push(format!("filter.{name}"));
            }
        }
        let transaction = self.database().unchecked_transaction()?;
        append(
            &transaction,
            &NewEntry::ok(self.account(), Action::ExportAudit).with_fields(filters),
        )?;
        make_checkpoint(&transaction)?;
        deliver(to_csv(&entries).as_bytes()).map_err(AccessError::ExportWrite)?;
        transaction.commit()?;
        Ok(entries.len())
    }

    /// Signs the chain's current head; the note can be kept apart (at the office, on paper) and
    /// given to [`Session::verify_audit`] later.
    pub fn audit_checkpoint(&self) -> Result<Checkpoint, AccessError> {
        self.require(Operation::ViewAudit)?;
        let transaction = self.database().unchecked_transaction()?;
        append(
            &transaction,
            &NewEntry::ok(self.account(), Action::Checkpoint),
        )?;
        let checkpoint = make_checkpoint(&transaction)?;
        transaction.commit()?;
        Ok(checkpoint)
    }
}
