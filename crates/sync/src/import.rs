//! Importing a bundle, in one transaction: changes in each device's order (a change after a gap
//! is held until the gap is filled), audit entries only where they extend that device's chain
//! (their links and hashes are checked), the same number with other content refused as
//! equivocation. Applying a change already held changes nothing, so bundles can arrive twice
//! and in any order.

use std::collections::{BTreeSet, HashMap};

use hearth_format::bundle::{self, BundleContents, BundleError, Manifest};
use hearth_ids::{Account, DeviceId, Hlc, Progress, ProgressStep, RecordId};
use hearth_records::RecordKind;
use hearth_store::audit::{self, Action, NewEntry, StoredEntry};
use hearth_store::change_log::{self, Applied, Change, ChangeLogError};
use rusqlite::{params, Connection};
use serde::Serialize;

mod audit_chains;
mod held_changes;

use audit_chains::{stored_audit_hash, AuditChains};
use held_changes::{drain_held_changes, hold_change};

use crate::change_chains;
use crate::roster::{self, Standing};
use crate::settings::{set_setting, setting, OFFICE_RECIPIENT};
use crate::wire::{parse_body, Body, WireAudit, WireChange};
use crate::SyncError;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ImportSummary.ts"))]
pub struct ImportSummary {
    /// The device that made the bundle (hex).
    pub origin: String,
    /// Changes new to this vault, applied.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub applied: u64,
    /// Changes already here.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub already_present: u64,
    /// Changes held until the changes before them arrive.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub held: u64,
    /// Audit entries added.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub audit_entries: u64,
    /// Cases that changed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cases: u64,
    /// Values that lost to a concurrent edit and wait in the conflict queue (new by this import).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub new_conflicts: u64,
    /// Changes of a revoked laptop made after the point its revocation names: left out (those
    /// in the bundle, and those this laptop held before it heard of the revocation).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub dropped_from_revoked: u64,
    /// Changes held from an earlier bundle until the changes before them came, which then did not
    /// hash to the head their device signed: not what that device made, and discarded.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub held_not_as_made: u64,
    /// How wrong the sender's clock was when it wrote the bundle, if wrong enough to say.
    pub sender_clock: Option<ClockSkew>,
}

/// A laptop's clock found wrong: ahead of this one's by more than a day, or behind by more than
/// a bundle plausibly spends in transit (30 days). Its changes are taken all the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "direction", content = "days", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ClockSkew.ts"))]
pub enum ClockSkew {
    /// Its clock read this many days ahead (to the nearest day).
    Ahead(u32),
    /// Its clock read this many days behind (to the nearest day).
    Behind(u32),
}

/// Behind by less than this is a bundle that was carried a while, not a wrong clock.
const LONGEST_TRANSIT_MS: i64 = 30 * 24 * 60 * 60 * 1000;

impl ClockSkew {
    /// The skew worth telling, from a clock's offset against this laptop's (milliseconds).
    pub fn of(offset_ms: i64) -> Option<ClockSkew> {
        const DAY_MS: i64 = 24 * 60 * 60 * 1000;
        // To the nearest day: a bundle made three years ahead is read a little later.
        let days =
            |ms: i64| u32::try_from(ms.saturating_add(DAY_MS / 2) / DAY_MS).unwrap_or(u32::MAX);
        let ahead_bound = i64::try_from(hearth_ids::MAX_CLOCK_AHEAD_MS).unwrap_or(DAY_MS);
        if offset_ms > ahead_bound {
            Some(ClockSkew::Ahead(days(offset_ms)))
        } else if offset_ms < -LONGEST_TRANSIT_MS {
            Some(ClockSkew::Behind(days(-offset_ms)))
        } else {
            None
        }
    }
}

impl std::fmt::Display for ClockSkew {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClockSkew::Ahead(days) => write!(f, "read {days} days ahead of this laptop's"),
            ClockSkew::Behind(days) => write!(f, "read {days} days behind this laptop's"),
        }
    }
}

/// Records what `origin`'s clock read when it wrote the bundle against this laptop's now; the
/// offset (its clock minus ours, in milliseconds).
fn note_clock(connection: &Connection, origin: &str, created_ms: u64) -> Result<i64, SyncError> {
    let now = hearth_ids::now_unix_ms();
    let offset = i64::try_from(created_ms)
        .unwrap_or(i64::MAX)
        .saturating_sub(now);
    if let Some(id) = hearth_ids::parse_hex16(origin) {
        connection.execute(
            "UPDATE devices SET clock_offset_ms = ?2, clock_seen_ms = ?3 WHERE device_id = ?1",
            params![id.as_slice(), offset, now],
        )?;
    }
    Ok(offset)
}

/// Applies a bundle's body in the caller's transaction.
pub(crate) fn import_in(
    connection: &Connection,
    actor: &Account,
    manifest: &Manifest,
    body: Body,
    enrolling: bool,
    progress: &dyn Progress,
) -> Result<ImportSummary, SyncError> {
    let (origin, bundle_id, created_ms) = (
        manifest.origin_device.as_str(),
        manifest.bundle_id.as_str(),
        manifest.created_ms,
    );
    let revocations = roster::merge(connection, &body.roster, enrolling)?;
    if setting(connection, OFFICE_RECIPIENT)?.is_none() {
        if let Some(office) = &body.office_recipient {
            set_setting(connection, OFFICE_RECIPIENT, office)?;
        }
    }
    let mut summary = ImportSummary {
        origin: origin.to_owned(),
        applied: 0,
        already_present: 0,
        held: 0,
        audit_entries: 0,
        cases: 0,
        new_conflicts: 0,
        dropped_from_revoked: 0,
        held_not_as_made: 0,
        sender_clock: None,
    };
    let conflicts_before = conflict_count(connection)?;
    let mut touched: BTreeSet<(String, [u8; 16])> = BTreeSet::new();
    // A revocation heard of now: what this laptop already held of the device past its point goes,
    // as if it had never arrived.
    for (device, through) in revocations {
        let (forgotten, records) = forget_revoked(connection, device, through)?;
        summary.dropped_from_revoked += forgotten;
        touched.extend(records);
    }
    let mut incoming: Vec<Change> = body
        .changes
        .into_iter()
        .map(WireChange::into_change)
        .collect::<Result<_, _>>()?;
    incoming.sort_by_key(|c| (c.device, c.seq));
    // Every device's changes must be what it made, whoever passed them on.
    change_chains::check_incoming(connection, &mut incoming, &body.heads)?;
    let me = hearth_store::device::this_device(connection)?;
    // A change dated ahead is taken like any other (a wrong clock is shown, not refused): an edit
    // replacing it knowingly orders after it whatever its date, and this laptop's own clock moves
    // at most a day ahead for it (see hearth_store::change_log).
    let clock_offset_ms = note_clock(connection, origin, created_ms)?;
    // Where each device stands, and the highest number held from it: each asked of the database
    // once per device rather than once per change, and kept up to date here.
    let mut standings: HashMap<DeviceId, Standing> = HashMap::new();
    let mut highest: HashMap<DeviceId, u64> = HashMap::new();
    // The clock moves once, to the latest change stored, rather than once per change.
    let mut latest_stored: Option<Hlc> = None;
    progress.step(ProgressStep::Applying, incoming.len() as u64);
    for (index, change) in incoming.into_iter().enumerate() {
        // Often enough for a bar that moves, rarely enough to cost nothing. Stopping here is
        // safe: the caller's transaction is dropped, and nothing was changed.
        if index % PROGRESS_EVERY == 0 && !progress.advance(index as u64) {
            return Err(SyncError::Cancelled);
        }
        let highest_here = match highest.get(&change.device) {
            Some(seq) => *seq,
            None => {
                let seq = change_log::highest_seq(connection, change.device)?;
                highest.insert(change.device, seq);
                seq
            }
        };
        if change.device == me && change.seq > highest_here {
            return Err(BundleError::Malformed(
                "the bundle holds changes in this laptop's name that it never made",
            )
            .into());
        }
        let standing = match standings.get(&change.device) {
            Some(standing) => *standing,
            None => {
                let standing = roster::standing(connection, &change.device)?;
                standings.insert(change.device, standing);
                standing
            }
        };
        if change.device != me {
            match standing {
                Standing::Member => {}
                // Decided per change, not per bundle: the rest of the bundle still applies.
                Standing::Revoked(through) => {
                    if change.seq > through.unwrap_or(highest_here) {
                        summary.dropped_from_revoked += 1;
                        continue;
                    }
                }
                Standing::Unknown => {
                    return Err(BundleError::UnknownDevice(hex::encode(change.device.0)).into())
                }
            }
        }
        if change.seq <= highest_here {
            match change_log::apply_change(connection, &change)? {
                Applied::AlreadyPresent => summary.already_present += 1,
                // A whole copy of a change held without the fields consent kept back.
                Applied::Stored => {
                    summary.applied += 1;
                    touched.insert((change.entity_kind.clone(), change.entity_id));
                }
            }
        } else if change.seq == highest_here + 1 {
            change_log::apply_new_change(connection, &change)?;
            latest_stored = latest_stored.max(Some(change.hlc));
            summary.applied += 1;
            touched.insert((change.entity_kind.clone(), change.entity_id));
            let drained = drain_held_changes(connection, change.device, change.seq, &mut touched)?;
            summary.applied += drained.applied;
            summary.held_not_as_made += drained.not_as_made;
            highest.insert(change.device, change.seq + drained.applied);
        } else {
            hold_change(connection, &change)?;
            summary.held += 1;
        }
    }
    if let Some(latest) = latest_stored {
        change_log::observe_clock(connection, latest)?;
    }
    for (kind, id) in &touched {
        if let Some(kind) = RecordKind::parse(kind) {
            hearth_records::refresh_projection(connection, kind, RecordId::from_bytes(*id))?;
        }
    }
    summary.cases = touched.iter().filter(|(kind, _)| kind == "case").count() as u64;
    summary.new_conflicts = conflict_count(connection)?.saturating_sub(conflicts_before);

    let mut entries: Vec<(Vec<u8>, StoredEntry)> = body
        .audit
        .iter()
        .map(WireAudit::to_stored)
        .collect::<Result<_, _>>()?;
    entries.sort_by(|a, b| (&a.0, a.1.seq).cmp(&(&b.0, b.1.seq)));
    let mut chains = AuditChains::default();
    for (device, entry) in entries {
        if device.as_slice() == me.0.as_slice() {
            // This laptop's own chain grows only here; a copy that came back must match.
            let stored = stored_audit_hash(connection, &device, entry.seq)?;
            if stored.as_deref() != Some(entry.hash.as_slice()) {
                return Err(BundleError::Malformed(
                    "the bundle holds audit entries in this laptop's name that it never made",
                )
                .into());
            }
            continue;
        }
        summary.audit_entries += u64::from(chains.add(connection, &device, &entry)?);
    }

    let mut entry = NewEntry::ok(actor, Action::Import).with_fields(vec![format!("from.{origin}")]);
    let mut reason = format!(
        "{} changes applied, {} already here, {} held, {} audit entries, {} changes of revoked \
         laptops left out",
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
    if let Some(skew) = ClockSkew::of(clock_offset_ms) {
        reason.push_str(&format!("; the sender's clock {skew}"));
    }
    summary.sender_clock = ClockSkew::of(clock_offset_ms);
    entry.reason = Some(reason);
    audit::append(connection, &entry)?;
    connection.execute(
        "INSERT OR IGNORE INTO sync_received (bundle_id, origin, received_ms, changes)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            bundle_id,
            hearth_ids::parse_hex16(origin)
                .map(|b| b.to_vec())
                .unwrap_or_default(),
            hearth_ids::now_unix_ms(),
            i64::try_from(summary.applied).unwrap_or(i64::MAX)
        ],
    )?;
    Ok(summary)
}

/// Forgets a revoked device's changes after `through`: those in the log (and what they changed)
/// and those held for a gap.
pub(crate) fn forget_revoked(
    connection: &Connection,
    device: DeviceId,
    through: u64,
) -> Result<change_log::Forgotten, SyncError> {
    let (forgotten, records) = change_log::forget_changes_after(connection, device, through)?;
    let held = connection.execute(
        "DELETE FROM held_changes WHERE device = ?1 AND seq > ?2",
        params![
            device.0.as_slice(),
            i64::try_from(through).unwrap_or(i64::MAX)
        ],
    )?;
    Ok((forgotten + held as u64, records))
}

fn conflict_count(connection: &Connection) -> Result<u64, SyncError> {
    let count: i64 = connection
        .prepare_cached("SELECT count(*) FROM conflicts")?
        .query_row([], |row| row.get(0))?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Opens and checks a bundle from a member device: decrypted, its signature checked against the
/// roster. Nothing is applied.
pub fn open(connection: &Connection, sealed: &[u8]) -> Result<BundleContents, SyncError> {
    roster::ensure_self(connection)?;
    let identity = hearth_store::device::age_identity(connection)?;
    Ok(bundle::open(sealed, &identity, |device| {
        roster::trusted_key(connection, device).ok().flatten()
    })?)
}

/// Applies an opened bundle in the caller's transaction (a preview drops it: rolled back),
/// reporting to `progress`; stops with [`SyncError::Cancelled`] when the person asks.
pub fn import(
    connection: &Connection,
    actor: &Account,
    contents: &BundleContents,
    progress: &dyn Progress,
) -> Result<ImportSummary, SyncError> {
    let body = parse_body(&contents.body)?;
    import_in(connection, actor, &contents.manifest, body, false, progress)
}

/// How many changes are applied between two reports to the progress bar.
const PROGRESS_EVERY: usize = 500;

/// Whether a refused import names a sender (an unknown or revoked device, a forged signature, a
/// rewritten log), and so is recorded in the audit log. A file that is damaged or not for this
/// laptop says nothing about anyone, and leaves the vault exactly as it was.
pub fn is_attributable(error: &SyncError) -> bool {
    matches!(
        error,
        SyncError::Bundle(BundleError::UnknownDevice(_) | BundleError::BadSignature)
            | SyncError::ChangeLog(ChangeLogError::ConflictingDuplicate { .. })
            | SyncError::ChangesNotAsMade { .. }
    )
}
