//! Importing a bundle, in one transaction: changes in each device's order (a change after a gap
//! is held until the gap is filled), audit entries only where they extend that device's chain
//! (their links and hashes are checked), the same number with other content refused as
//! equivocation. Applying a change already held changes nothing, so bundles can arrive twice
//! and in any order. A streaming bundle is applied frame by frame as it is decrypted
//! (`applier`); a whole one (format 1 and 2) is read into memory and handed to the same applier
//! in the same order.

use std::io::Read;

use ed25519_dalek::VerifyingKey;
use hearth_format::bundle::{self, BundleError, Manifest, Opened};
use hearth_ids::{Account, DeviceId, Progress, ProgressStep};
use hearth_store::change_log::{self, ChangeLogError};
use rusqlite::{params, Connection};
use serde::Serialize;

mod applier;
mod audit_chains;
mod held_changes;

use applier::Applier;

use crate::roster::{self, DeviceStatus, RosterDevice};
use crate::wire::{parse_body, BodyFrame};
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

/// Who vouches for a bundle's origin.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Trust<'a> {
    /// The roster here: the origin is an active member.
    Roster,
    /// An enrollment: the origin is the active device of the roster it carries whose key has this
    /// fingerprint (normalised), which the person was told face to face or by phone.
    Approver(&'a str),
}

/// Imports a bundle read from `sealed` in the caller's transaction, reporting to `progress`,
/// which may stop it ([`SyncError::Cancelled`]). A streaming bundle is applied frame by frame as
/// it is decrypted, and its signature checked at its end: the caller commits only if this
/// returns `Ok`, so a bad signature, a cut or a cancel leaves the vault as it was. (A preview
/// drops the transaction: rolled back.)
pub fn import<R: Read>(
    connection: &Connection,
    actor: &Account,
    sealed: R,
    progress: &dyn Progress,
) -> Result<ImportSummary, SyncError> {
    import_trusting(connection, actor, sealed, Trust::Roster, progress)
}

pub(crate) fn import_trusting<R: Read>(
    connection: &Connection,
    actor: &Account,
    sealed: R,
    trust: Trust<'_>,
    progress: &dyn Progress,
) -> Result<ImportSummary, SyncError> {
    roster::ensure_self(connection)?;
    let identity = hearth_store::device::age_identity(connection)?;
    progress.step(ProgressStep::Checking, 0);
    match bundle::open_sealed(sealed, &identity)? {
        Opened::Whole(container) => {
            let contents = bundle::open_container(&container, |origin, body| match trust {
                Trust::Roster => roster::trusted_key(connection, origin).ok().flatten(),
                Trust::Approver(fingerprint) => {
                    let body = parse_body(body).ok()?;
                    approver_key(&body.roster, origin, fingerprint)
                }
            })
            .map_err(|error| match (error, trust) {
                (BundleError::UnknownDevice(_), Trust::Approver(_)) => BundleError::WrongApprover,
                (other, _) => other,
            })?;
            drop(container);
            let mut body = parse_body(&contents.body)?;
            drop(contents.body);
            // Taken as a streaming bundle carries them: each device's records together, in order.
            body.changes
                .sort_by(|a, b| (&a.device, a.seq).cmp(&(&b.device, b.seq)));
            body.audit
                .sort_by(|a, b| (&a.device, a.seq).cmp(&(&b.device, b.seq)));
            let enrolling = matches!(trust, Trust::Approver(_));
            let total = body.changes.len() as u64;
            let mut applier =
                Applier::new(connection, &contents.manifest, enrolling, total, progress)?;
            for frame in body.into_frames() {
                applier.frame(frame)?;
            }
            applier.finish(actor)
        }
        Opened::Stream(mut reader) => {
            let manifest = reader.manifest().clone();
            let origin = manifest
                .origin()
                .ok_or(BundleError::Malformed("the manifest names no device"))?;
            let mut key = match trust {
                Trust::Roster => Some(
                    roster::trusted_key(connection, &origin)?
                        .ok_or_else(|| BundleError::UnknownDevice(origin.to_hex()))?,
                ),
                Trust::Approver(_) => None,
            };
            // For the progress bar only: what the (not yet proven) manifest says.
            let total = manifest
                .ranges
                .values()
                .map(|[first, last]| last.saturating_sub(*first).saturating_add(1))
                .fold(0u64, u64::saturating_add);
            let enrolling = matches!(trust, Trust::Approver(_));
            let mut applier = Applier::new(connection, &manifest, enrolling, total, progress)?;
            let mut applied = || -> Result<(), SyncError> {
                while let Some(bytes) = reader.next_frame()? {
                    let frame = BodyFrame::parse(bytes)?;
                    if let (BodyFrame::Roster(roster), Trust::Approver(fingerprint)) =
                        (&frame, trust)
                    {
                        // Before the roster is taken: an enrollment is only from the approver.
                        key = Some(
                            approver_key(&roster.devices, &origin, fingerprint)
                                .ok_or(BundleError::WrongApprover)?,
                        );
                    }
                    applier.frame(frame)?;
                }
                Ok(())
            };
            if let Err(error) = applied() {
                // A refusal that names a device is recorded in the audit log: only if the bundle
                // is what its origin signed. Anyone can encrypt a file to this laptop, and must
                // not be able to have it accuse a member of what the origin never sent.
                if is_attributable(&error) {
                    let key = key.ok_or(BundleError::Malformed("the bundle has no roster"))?;
                    while reader.next_frame()?.is_some() {}
                    reader.verify(&key)?;
                }
                return Err(error);
            }
            // Everything applied so far is proven only now, before the caller commits.
            let key = key.ok_or(BundleError::Malformed("the bundle has no roster"))?;
            reader.verify(&key)?;
            applier.finish(actor)
        }
    }
}

/// The signing key of `origin` in the roster an enrollment carries, if it is an active device
/// whose key has the fingerprint the person was given.
fn approver_key(
    roster: &[RosterDevice],
    origin: &DeviceId,
    fingerprint: &str,
) -> Option<VerifyingKey> {
    let origin_hex = origin.to_hex();
    let signer = roster
        .iter()
        .find(|d| d.device == origin_hex && d.status == DeviceStatus::Active)?;
    let key = signer.verifying_key()?;
    // Anyone can encrypt a file to this laptop (its recipient is public): the approver is the one
    // whose fingerprint the person was told, face to face or by phone.
    (crate::joining::normalise_fingerprint(&hearth_store::device::fingerprint(&key)) == fingerprint)
        .then_some(key)
}

/// Reads a whole bundle from a member device and checks it, applying nothing: its manifest once
/// its signature is checked.
pub fn inspect<R: Read>(connection: &Connection, sealed: R) -> Result<Manifest, SyncError> {
    roster::ensure_self(connection)?;
    let identity = hearth_store::device::age_identity(connection)?;
    let trusted = |device: &DeviceId| roster::trusted_key(connection, device).ok().flatten();
    match bundle::open_sealed(sealed, &identity)? {
        Opened::Whole(container) => {
            Ok(bundle::open_container(&container, |origin, _| trusted(origin))?.manifest)
        }
        Opened::Stream(mut reader) => {
            let origin = reader.manifest().origin();
            let key = origin.and_then(|origin| trusted(&origin)).ok_or_else(|| {
                BundleError::UnknownDevice(reader.manifest().origin_device.clone())
            })?;
            while reader.next_frame()?.is_some() {}
            reader.verify(&key)?;
            Ok(reader.manifest().clone())
        }
    }
}

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
