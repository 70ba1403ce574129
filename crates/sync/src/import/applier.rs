//! Applying a bundle's frames as they come, in the caller's transaction: the organisation and the
//! roster first, then each device's head and changes (checked against the head as they pass, and
//! merged), then the audit entries. What it holds in memory is bounded by the number of devices,
//! not of changes: the records the changes touch, whose list, search and team rows are rewritten
//! once at the end of the changes, are noted in the vault's `import_touched` table (migration 018),
//! emptied again before the transaction ends.

use std::collections::{BTreeSet, HashMap, HashSet};

use hearth_format::bundle::{BundleError, Manifest};
use hearth_ids::{Account, DeviceId, Hlc, Progress, ProgressStep, RecordId};
use hearth_records::RecordKind;
use hearth_store::audit::{self, Action, NewEntry};
use hearth_store::change_log::chain::SignedHead;
use hearth_store::change_log::{self, Applied};
use rusqlite::{params, Connection};

use super::audit_chains::{stored_audit_hash, AuditChains};
use super::held_changes::{drain_held_changes, hold_change};
use super::{conflict_count, forget_revoked, note_clock, ClockSkew, ImportSummary};
use crate::change_chains::{self, RunCheck};
use crate::roster::{self, Standing};
use crate::settings::{set_setting, setting, OFFICE_RECIPIENT};
use crate::wire::{BodyFrame, Organisation, Roster, WireAudit, WireChange};
use crate::SyncError;

/// How many changes are applied between two reports to the progress bar.
const PROGRESS_EVERY: u64 = 500;

/// Where in the bundle the applier is: frames come in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Organisation,
    Roster,
    Changes,
    Audit,
}

/// A bundle being applied. [`Applier::frame`] for each frame, then [`Applier::finish`].
pub(super) struct Applier<'c> {
    connection: &'c Connection,
    progress: &'c dyn Progress,
    origin: String,
    bundle_id: String,
    enrolling: bool,
    me: DeviceId,
    stage: Stage,
    summary: ImportSummary,
    conflicts_before: u64,
    clock_offset_ms: i64,
    /// Where each device stands, and the highest number held from it: each asked of the
    /// database once per device rather than once per change, and kept up to date here.
    standings: HashMap<DeviceId, Standing>,
    highest: HashMap<DeviceId, u64>,
    /// The clock moves once, to the latest change stored, rather than once per change.
    latest_stored: Option<Hlc>,
    /// The heads the bundle carried, checked, by device.
    heads: HashMap<DeviceId, Vec<SignedHead>>,
    /// The device whose changes are coming, checked as they pass.
    run: Option<RunCheck>,
    /// Devices whose changes came: a device's changes come together.
    devices_seen: HashSet<DeviceId>,
    changes_read: u64,
    audit_chains: AuditChains,
}

impl<'c> Applier<'c> {
    /// Starts applying the bundle `manifest` describes; `total` changes are expected (for the
    /// progress bar). `enrolling`: the bundle is this new laptop's enrollment.
    pub(super) fn new(
        connection: &'c Connection,
        manifest: &Manifest,
        enrolling: bool,
        total: u64,
        progress: &'c dyn Progress,
    ) -> Result<Applier<'c>, SyncError> {
        progress.step(ProgressStep::Applying, total);
        // Empty outside an import; emptied here too, so that nothing of another can be counted.
        connection.execute("DELETE FROM import_touched", [])?;
        let origin = manifest.origin_device.clone();
        // A change dated ahead is taken like any other (a wrong clock is shown, not refused): an
        // edit replacing it knowingly orders after it whatever its date, and this laptop's own
        // clock moves at most a day ahead for it (see hearth_store::change_log).
        let clock_offset_ms = note_clock(connection, &origin, manifest.created_ms)?;
        Ok(Applier {
            connection,
            progress,
            summary: ImportSummary {
                origin: origin.clone(),
                applied: 0,
                already_present: 0,
                held: 0,
                audit_entries: 0,
                cases: 0,
                new_conflicts: 0,
                dropped_from_revoked: 0,
                held_not_as_made: 0,
                sender_clock: ClockSkew::of(clock_offset_ms),
            },
            origin,
            bundle_id: manifest.bundle_id.clone(),
            enrolling,
            me: hearth_store::device::this_device(connection)?,
            stage: Stage::Organisation,
            conflicts_before: conflict_count(connection)?,
            clock_offset_ms,
            standings: HashMap::new(),
            highest: HashMap::new(),
            latest_stored: None,
            heads: HashMap::new(),
            run: None,
            devices_seen: HashSet::new(),
            changes_read: 0,
            audit_chains: AuditChains::default(),
        })
    }

    /// Takes the next frame; refuses one out of order.
    pub(super) fn frame(&mut self, frame: BodyFrame) -> Result<(), SyncError> {
        let out_of_order = || BundleError::Malformed("the bundle's frames are out of order");
        match frame {
            BodyFrame::Organisation(organisation) if self.stage == Stage::Organisation => {
                self.organisation(organisation)?;
                self.stage = Stage::Roster;
            }
            BodyFrame::Roster(roster) if self.stage == Stage::Roster => {
                self.roster(roster)?;
                self.stage = Stage::Changes;
            }
            BodyFrame::Head(head) if self.stage == Stage::Changes => {
                let head = change_chains::checked_head(self.connection, &head.note)?;
                self.heads.entry(head.device).or_default().push(head);
            }
            BodyFrame::Change(change) if self.stage == Stage::Changes => self.change(change)?,
            BodyFrame::Audit(entry) if self.stage >= Stage::Changes => {
                if self.stage == Stage::Changes {
                    self.end_changes()?;
                    self.stage = Stage::Audit;
                }
                self.audit(&entry)?;
            }
            _ => return Err(out_of_order().into()),
        }
        Ok(())
    }

    fn organisation(&mut self, organisation: Organisation) -> Result<(), SyncError> {
        if setting(self.connection, OFFICE_RECIPIENT)?.is_none() {
            if let Some(office) = &organisation.office_recipient {
                set_setting(self.connection, OFFICE_RECIPIENT, office)?;
            }
        }
        if self.enrolling {
            self.connection.execute(
                "UPDATE organisation SET name = ?1 WHERE id = 1",
                [&organisation.name],
            )?;
        }
        Ok(())
    }

    fn roster(&mut self, roster: Roster) -> Result<(), SyncError> {
        if self.enrolling && !roster.devices.iter().any(|d| d.device == self.me.to_hex()) {
            return Err(BundleError::Malformed("the enrollment does not list this laptop").into());
        }
        let revocations = roster::merge(self.connection, &roster.devices, self.enrolling)?;
        // A revocation heard of now: what this laptop already held of the device past its point
        // goes, as if it had never arrived.
        for (device, through) in revocations {
            let (forgotten, records) = forget_revoked(self.connection, device, through)?;
            self.summary.dropped_from_revoked += forgotten;
            for (kind, id) in &records {
                self.touch(kind, *id)?;
            }
        }
        Ok(())
    }

    /// Notes a record whose query tables are rewritten at the end of the changes.
    fn touch(&self, kind: &str, id: [u8; 16]) -> Result<(), SyncError> {
        self.connection
            .prepare_cached(
                "INSERT OR IGNORE INTO import_touched (entity_kind, entity_id) VALUES (?1, ?2)",
            )?
            .execute(params![kind, id.as_slice()])?;
        Ok(())
    }

    fn change(&mut self, wire: WireChange) -> Result<(), SyncError> {
        let connection = self.connection;
        let mut change = wire.into_change()?;
        if self.run.as_ref().map(RunCheck::device) != Some(change.device) {
            self.end_run()?;
            if !self.devices_seen.insert(change.device) {
                return Err(BundleError::Malformed("a device's changes are not together").into());
            }
            let heads = self.heads.get(&change.device).map(Vec::as_slice);
            self.run = Some(RunCheck::start(
                connection,
                change.device,
                heads.unwrap_or_default(),
            )?);
        }
        // Every device's changes must be what it made, whoever passed them on.
        if let Some(run) = self.run.as_mut() {
            run.check(connection, &mut change)?;
        }
        // Often enough for a bar that moves, rarely enough to cost nothing. Stopping here is
        // safe: the caller's transaction is dropped, and nothing was changed.
        if self.changes_read.is_multiple_of(PROGRESS_EVERY)
            && !self.progress.advance(self.changes_read)
        {
            return Err(SyncError::Cancelled);
        }
        self.changes_read += 1;

        let highest_here = match self.highest.get(&change.device) {
            Some(seq) => *seq,
            None => {
                let seq = change_log::highest_seq(connection, change.device)?;
                self.highest.insert(change.device, seq);
                seq
            }
        };
        if change.device == self.me && change.seq > highest_here {
            return Err(BundleError::Malformed(
                "the bundle holds changes in this laptop's name that it never made",
            )
            .into());
        }
        let standing = match self.standings.get(&change.device) {
            Some(standing) => *standing,
            None => {
                let standing = roster::standing(connection, &change.device)?;
                self.standings.insert(change.device, standing);
                standing
            }
        };
        if change.device != self.me {
            match standing {
                Standing::Member => {}
                // Decided per change, not per bundle: the rest of the bundle still applies.
                Standing::Revoked(through) => {
                    if change.seq > through.unwrap_or(highest_here) {
                        self.summary.dropped_from_revoked += 1;
                        return Ok(());
                    }
                }
                Standing::Unknown => {
                    return Err(BundleError::UnknownDevice(hex::encode(change.device.0)).into())
                }
            }
        }
        if change.seq <= highest_here {
            match change_log::apply_change(connection, &change)? {
                Applied::AlreadyPresent => self.summary.already_present += 1,
                // A whole copy of a change held without the fields consent kept back.
                Applied::Stored => {
                    self.summary.applied += 1;
                    self.touch(&change.entity_kind, change.entity_id)?;
                }
            }
        } else if change.seq == highest_here + 1 {
            change_log::apply_new_change(connection, &change)?;
            self.latest_stored = self.latest_stored.max(Some(change.hlc));
            self.summary.applied += 1;
            self.touch(&change.entity_kind, change.entity_id)?;
            let mut from_held = BTreeSet::new();
            let drained =
                drain_held_changes(connection, change.device, change.seq, &mut from_held)?;
            for (kind, id) in &from_held {
                self.touch(kind, *id)?;
            }
            self.summary.applied += drained.applied;
            self.summary.held_not_as_made += drained.not_as_made;
            self.highest
                .insert(change.device, change.seq + drained.applied);
        } else {
            hold_change(connection, &change)?;
            self.summary.held += 1;
        }
        Ok(())
    }

    /// Ends the run of the device whose changes were coming: checked against its head.
    fn end_run(&mut self) -> Result<(), SyncError> {
        if let Some(run) = self.run.take() {
            run.finish(self.connection)?;
        }
        Ok(())
    }

    /// After the last change: the clock, the query tables of every record touched, the count of
    /// new conflicts.
    fn end_changes(&mut self) -> Result<(), SyncError> {
        self.end_run()?;
        if let Some(latest) = self.latest_stored.take() {
            change_log::observe_clock(self.connection, latest)?;
        }
        // The records attached to cases first, then the cases: a case new here then works out its
        // consent columns once, from every decision (see hearth_records::facts), instead of once
        // per decision that arrived with it.
        for touched in [
            "SELECT entity_kind, entity_id FROM import_touched WHERE entity_kind != 'case'",
            "SELECT entity_kind, entity_id FROM import_touched WHERE entity_kind = 'case'",
        ] {
            let mut touched = self.connection.prepare(touched)?;
            let mut rows = touched.query([])?;
            while let Some(row) = rows.next()? {
                let (kind, id): (String, Vec<u8>) = (row.get(0)?, row.get(1)?);
                let id =
                    <[u8; 16]>::try_from(id).map_err(|_| SyncError::VaultDamaged("a record id"))?;
                if let Some(kind) = RecordKind::parse(&kind) {
                    hearth_records::refresh_projection(
                        self.connection,
                        kind,
                        RecordId::from_bytes(id),
                    )?;
                    if kind == RecordKind::Case {
                        self.summary.cases += 1;
                    }
                }
            }
        }
        self.connection.execute("DELETE FROM import_touched", [])?;
        self.summary.new_conflicts =
            conflict_count(self.connection)?.saturating_sub(self.conflicts_before);
        Ok(())
    }

    fn audit(&mut self, wire: &WireAudit) -> Result<(), SyncError> {
        let (device, entry) = wire.to_stored()?;
        if device.as_slice() == self.me.0.as_slice() {
            // This laptop's own chain grows only here; a copy that came back must match.
            let stored = stored_audit_hash(self.connection, &device, entry.seq)?;
            if stored.as_deref() != Some(entry.hash.as_slice()) {
                return Err(BundleError::Malformed(
                    "the bundle holds audit entries in this laptop's name that it never made",
                )
                .into());
            }
            return Ok(());
        }
        self.summary.audit_entries +=
            u64::from(self.audit_chains.add(self.connection, &device, &entry)?);
        Ok(())
    }

    /// After the last frame: records the import in the audit log and among the bundles received.
    pub(super) fn finish(mut self, actor: &Account) -> Result<ImportSummary, SyncError> {
        match self.stage {
            Stage::Organisation | Stage::Roster => {
                return Err(BundleError::Malformed("the bundle has no roster").into())
            }
            Stage::Changes => self.end_changes()?,
            Stage::Audit => {}
        }
        let summary = self.summary;
        let mut entry =
            NewEntry::ok(actor, Action::Import).with_fields(vec![format!("from.{}", self.origin)]);
        let mut reason = format!(
            "{} changes applied, {} already here, {} held, {} audit entries, {} changes of \
             revoked laptops left out",
            summary.applied,
            summary.already_present,
            summary.held,
            summary.audit_entries,
            summary.dropped_from_revoked
        );
        if summary.held_not_as_made > 0 {
            reason.push_str(&format!(
                "; {} held changes discarded: not what their device made",
                summary.held_not_as_made
            ));
        }
        if let Some(skew) = ClockSkew::of(self.clock_offset_ms) {
            reason.push_str(&format!("; the sender's clock {skew}"));
        }
        entry.reason = Some(reason);
        audit::append(self.connection, &entry)?;
        self.connection.execute(
            "INSERT OR IGNORE INTO sync_received (bundle_id, origin, received_ms, changes)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                self.bundle_id,
                hearth_ids::parse_hex16(&self.origin)
                    .map(|b| b.to_vec())
                    .unwrap_or_default(),
                hearth_ids::now_unix_ms(),
                i64::try_from(summary.applied).unwrap_or(i64::MAX)
            ],
        )?;
        Ok(summary)
    }
}
