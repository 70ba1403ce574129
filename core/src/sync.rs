//! Sync as a session uses it. The roster, bundles, export, import and joining are `hearth_sync`;
//! each method here checks the permission, runs the domain function in one transaction and
//! commits it, and records a refused import that names a sender.

pub use hearth_ids::{Progress, ProgressStep, Unwatched};
pub use hearth_sync::*;

use hearth_format::files::{disk_full_of, ensure_free_space};

use crate::access::{Operation, Session};
use crate::crash_point::crash_point;

use crate::audit::{self, Action, NewEntry, Outcome};

mod batch;
pub use batch::{bundle_files, BatchReport, BundleInBatch, BundleOutcome, SiteInBatch};

/// Free bytes an import asks for on this laptop, per byte of the bundle. A bundle is compressed
/// about fourfold, and its changes are written twice (the change log and the query tables) before
/// the write-ahead log is folded back.
const IMPORT_ROOM_PER_BUNDLE_BYTE: u64 = 8;

impl Session {
    /// This laptop's device id and public keys (for the office and other members).
    pub fn device_identity(&self) -> Result<DeviceIdentity, SyncError> {
        self.require(Operation::ViewVaultStatus)?;
        Ok(hearth_store::device::identity(self.database())?)
    }

    fn sync_failure(&self, action: Action, error: &SyncError) {
        let mut entry = NewEntry::ok(self.account(), action);
        entry.outcome = Outcome::Failed;
        entry.reason = Some(error.to_string());
        let _ = audit::append_alone(self.database(), &entry);
    }

    /// Writes a bundle for `to` (a device id; everyone when `None`) of what it may lack, or of
    /// everything with `full`, in memory, and hands it to `deliver` before the export is recorded
    /// as sent: if `deliver` fails, the next export still holds everything this one held. For
    /// tests and small bundles; the shells write to a file ([`Session::export_bundle_watched`]).
    pub fn export_bundle(
        &self,
        to: Option<&str>,
        full: bool,
        deliver: impl FnOnce(&[u8]) -> std::io::Result<()>,
    ) -> Result<ExportSummary, SyncError> {
        self.export_bundle_watched(to, full, Vec::new(), |bytes| deliver(&bytes), &Unwatched)
    }

    /// Writes a bundle (as [`Session::export_bundle`]) into `out` as it is made, one record at a
    /// time, reporting to `progress`, which may stop it ([`SyncError::Cancelled`]). `deliver` then
    /// puts the written file in place (for a [`crate::files::StagedFile`]: synced and renamed)
    /// before the export is recorded as sent; if anything fails before, nothing counts as sent and
    /// the caller's `out` is dropped unfinished.
    pub fn export_bundle_watched<W: std::io::Write>(
        &self,
        to: Option<&str>,
        full: bool,
        out: W,
        deliver: impl FnOnce(W) -> std::io::Result<()>,
        progress: &dyn Progress,
    ) -> Result<ExportSummary, SyncError> {
        self.require(Operation::Sync)?;
        let transaction = self.database().unchecked_transaction()?;
        progress.step(ProgressStep::Preparing, 0);
        let (out, summary) = export::export(&transaction, self.account(), to, full, out, progress)
            .map_err(|error| match error {
                SyncError::Bundle(BundleError::Output(error)) => match disk_full_of(&error) {
                    Some(full) => SyncError::DiskFull(*full),
                    None => BundleError::Output(error).into(),
                },
                other => other,
            })?;
        crash_point("export-sealed");
        deliver(out).map_err(|error| match disk_full_of(&error) {
            Some(full) => SyncError::DiskFull(*full),
            None => BundleError::Write(error.to_string()).into(),
        })?;
        crash_point("export-delivered");
        transaction.commit()?;
        crash_point("export-committed");
        Ok(summary)
    }

    /// Opens and checks a bundle without applying it: its manifest, once its signature is
    /// checked (a streaming bundle is read to its end for that).
    pub fn inspect_bundle(&self, sealed: &[u8]) -> Result<Manifest, SyncError> {
        self.require(Operation::Sync)?;
        import::inspect(self.database(), sealed)
    }

    /// Imports a bundle from a member device: all of it in one transaction, or nothing.
    pub fn import_bundle(&mut self, sealed: &[u8]) -> Result<ImportSummary, SyncError> {
        self.import_bundle_watched(sealed, &Unwatched)
    }

    /// [`Session::import_bundle`], reporting to `progress`, which may stop it: a cancelled
    /// import ([`SyncError::Cancelled`]) changed nothing.
    pub fn import_bundle_watched(
        &mut self,
        sealed: &[u8],
        progress: &dyn Progress,
    ) -> Result<ImportSummary, SyncError> {
        self.import_bundle_from(sealed, sealed.len() as u64, progress)
    }

    /// Imports the bundle in the file at `path`, read as it is applied: the file is never held
    /// in memory whole.
    pub fn import_bundle_file(
        &mut self,
        path: &std::path::Path,
        progress: &dyn Progress,
    ) -> Result<ImportSummary, SyncError> {
        self.require(Operation::Sync)?;
        let (file, length) = open_bundle_file(path)?;
        self.import_bundle_from(file, length, progress)
    }

    /// [`Session::import_bundle`] from any reader of `length` bytes.
    pub fn import_bundle_from(
        &mut self,
        sealed: impl std::io::Read,
        length: u64,
        progress: &dyn Progress,
    ) -> Result<ImportSummary, SyncError> {
        self.require(Operation::Sync)?;
        let result = self.import_unaudited_failure(sealed, length, true, progress);
        if let Err(error) = &result {
            if import::is_attributable(error) {
                self.sync_failure(Action::Import, error);
            }
        }
        result
    }

    /// What importing a bundle would do, without doing it: the whole import runs and is rolled
    /// back. The file is checked as an import checks it.
    pub fn preview_import(&mut self, sealed: &[u8]) -> Result<ImportSummary, SyncError> {
        self.require(Operation::Sync)?;
        self.import_unaudited_failure(sealed, sealed.len() as u64, false, &Unwatched)
    }

    /// [`Session::preview_import`] of the bundle in the file at `path`, reporting to `progress`,
    /// which may stop it.
    pub fn preview_import_file(
        &mut self,
        path: &std::path::Path,
        progress: &dyn Progress,
    ) -> Result<ImportSummary, SyncError> {
        self.require(Operation::Sync)?;
        let (file, length) = open_bundle_file(path)?;
        self.import_unaudited_failure(file, length, false, progress)
    }

    fn import_unaudited_failure(
        &mut self,
        sealed: impl std::io::Read,
        length: u64,
        commit: bool,
        progress: &dyn Progress,
    ) -> Result<ImportSummary, SyncError> {
        // Importing grows the database and its write-ahead log by some multiple of the bundle
        // (it is compressed, and each change also updates the query tables): refuse at the start
        // rather than fail at the end of a long import.
        let needed = length.saturating_mul(IMPORT_ROOM_PER_BUNDLE_BYTE);
        ensure_free_space(self.paths().folder(), needed)?;
        let transaction = self.database().unchecked_transaction()?;
        crash_point("import-opened");
        let summary = import::import(&transaction, self.account(), sealed, progress)?;
        // A preview drops the transaction: rolled back, as if never begun.
        if commit {
            crash_point("import-applied");
            transaction.commit()?;
            crash_point("import-committed");
        }
        Ok(summary)
    }

    /// Where sync stands: each device and the bundles exchanged with it.
    pub fn sync_status(&self) -> Result<SyncStatus, SyncError> {
        self.require(Operation::Sync)?;
        status::status(self.database())
    }

    /// The organisation's devices.
    pub fn devices(&self) -> Result<Vec<RosterDevice>, SyncError> {
        self.require(Operation::ViewVaultStatus)?;
        roster::devices(self.database())
    }

    /// This new laptop's request to join, for an administrator of a member laptop to approve.
    pub fn join_request(&self) -> Result<JoinRequest, SyncError> {
        self.require(Operation::ManageDevices)?;
        joining::join_request(self.database())
    }

    /// Approves a join request: the device joins the roster, and the enrollment (everything this
    /// laptop holds, encrypted to the new device only) is returned.
    pub fn approve_device(&self, request: &JoinRequest) -> Result<Vec<u8>, SyncError> {
        self.require(Operation::ManageDevices)?;
        let transaction = self.database().unchecked_transaction()?;
        let enrollment = joining::approve(&transaction, self.account(), request)?;
        transaction.commit()?;
        Ok(enrollment)
    }

    /// Imports the enrollment an administrator of a member laptop made for this new laptop:
    /// the organisation, its roster and everything it held. Its signer is trusted because the
    /// roster inside names it and the file could only be read here (it is encrypted to this
    /// laptop alone); only a laptop that has not joined yet accepts one.
    pub fn enroll(
        &mut self,
        sealed: &[u8],
        approver_fingerprint: &str,
    ) -> Result<ImportSummary, SyncError> {
        self.require(Operation::ManageDevices)?;
        let transaction = self.database().unchecked_transaction()?;
        let summary = joining::enroll(&transaction, self.account(), sealed, approver_fingerprint)?;
        transaction.commit()?;
        Ok(summary)
    }

    /// Revokes a device (a lost laptop): its bundles are refused from now on, here and, once
    /// this laptop's next bundle arrives, everywhere.
    pub fn revoke_device(&self, device: &str) -> Result<(), SyncError> {
        self.require(Operation::ManageDevices)?;
        let transaction = self.database().unchecked_transaction()?;
        joining::revoke(&transaction, self.account(), device)?;
        transaction.commit()?;
        Ok(())
    }

    /// Sets the coordinating office's age recipient: every bundle is encrypted to it too.
    /// Returns it with its fingerprint, to compare with the one the office reads out.
    pub fn set_office(&self, recipient: &str) -> Result<OfficeRecipient, SyncError> {
        self.require(Operation::ManageDevices)?;
        let transaction = self.database().unchecked_transaction()?;
        let office = joining::set_office(&transaction, self.account(), recipient)?;
        transaction.commit()?;
        Ok(office)
    }
}

/// The bundle file at `path`, buffered, and its length.
fn open_bundle_file(
    path: &std::path::Path,
) -> Result<(std::io::BufReader<std::fs::File>, u64), SyncError> {
    let file = std::fs::File::open(path).map_err(BundleError::Read)?;
    let length = file.metadata().map_err(BundleError::Read)?.len();
    Ok((std::io::BufReader::with_capacity(256 << 10, file), length))
}
