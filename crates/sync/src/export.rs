//! Exporting a bundle: every change and audit entry the destination may lack (per device, those
//! numbered above what was last sent there; or all of them), filtered by consent, with the roster
//! and the office's recipient, written frame by frame into a streaming bundle encrypted to the
//! organisation.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use hearth_format::bundle::{self, BundleError, BundleWriter};
use hearth_ids::{Account, DeviceId, Progress, ProgressStep};
use hearth_store::audit::{self, Action, NewEntry, StoredEntry};
use hearth_store::change_log;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::change_chains;
use crate::consent_filter::ConsentFilter;
use crate::roster::{self, DeviceStatus};
use crate::settings::{setting, OFFICE_RECIPIENT};
use crate::wire::{BodyFrame, Head, Organisation, Roster, WireAudit, WireChange};
use crate::SyncError;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ExportSummary.ts"))]
pub struct ExportSummary {
    /// Cases with at least one change in the bundle.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cases: u64,
    /// Changes in the bundle.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub changes: u64,
    /// Audit entries in the bundle.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub audit_entries: u64,
    /// Cases that left without their identifying fields: their person has not given consent to
    /// share within the organisation.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub withheld_cases: u64,
    /// The file's size in bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

pub(crate) type Vector = BTreeMap<String, u64>;

fn sent_vectors(connection: &Connection, destination: &str) -> Result<(Vector, Vector), SyncError> {
    let row: Option<(String, String)> = connection
        .query_row(
            "SELECT changes, audit FROM sync_sent WHERE destination = ?1",
            [destination],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        Some((changes, audit)) => (
            serde_json::from_str(&changes).unwrap_or_default(),
            serde_json::from_str(&audit).unwrap_or_default(),
        ),
        None => (Vector::new(), Vector::new()),
    })
}

fn audit_devices(connection: &Connection) -> Result<Vec<Vec<u8>>, SyncError> {
    Ok(change_log::devices_in(
        connection,
        change_log::DeviceTable::AuditLog,
    )?)
}

/// One device's changes that leave in a bundle: those numbered above `after` up to `through`,
/// with the head that vouches for them.
struct Leaving {
    device: DeviceId,
    after: u64,
    through: u64,
    head: Option<String>,
}

/// How many changes are written between two reports to the progress bar.
const PROGRESS_EVERY: u64 = 500;

/// Writes a bundle of everything `destination` may lack (or everything) into `out`, in the
/// caller's transaction: the export's own audit entry and checkpoint are in it. Changes and audit
/// entries are read, filtered and written one at a time. `progress` may stop it
/// ([`SyncError::Cancelled`]): the caller then drops the transaction and what was written.
pub(crate) fn export_in<W: Write>(
    connection: &Connection,
    actor: &Account,
    destination: &str,
    full: bool,
    only_to: Option<&age::x25519::Recipient>,
    out: W,
    progress: &dyn Progress,
) -> Result<(W, ExportSummary), SyncError> {
    let me = roster::ensure_self(connection)?;
    audit::append(
        connection,
        &NewEntry::ok(actor, Action::Export).with_fields(vec![format!("to.{destination}")]),
    )?;
    let checkpoint = audit::make_checkpoint(connection)?;
    let (sent_changes, sent_audit) = if full {
        (Vector::new(), Vector::new())
    } else {
        sent_vectors(connection, destination)?
    };

    // What leaves of each device, decided before anything is written: the manifest names it.
    let this_device = hearth_store::device::this_device(connection)?;
    let mut ranges: BTreeMap<String, [u64; 2]> = BTreeMap::new();
    let mut new_changes = Vector::new();
    let mut leaving = Vec::new();
    for (device, highest) in change_log::highest_seqs(connection)? {
        let key = hex::encode(device.0);
        let after = sent_changes.get(&key).copied().unwrap_or(0);
        // Another device's changes leave only as far as a head it signed covers them.
        let (through, head) =
            change_chains::covered_for_export(connection, this_device, device, after, highest)?;
        if through > after {
            ranges.insert(key.clone(), [after + 1, through]);
            new_changes.insert(key, through);
            leaving.push(Leaving {
                device,
                after,
                through,
                head,
            });
        } else {
            new_changes.insert(key, after.min(highest));
        }
    }
    let total: u64 = leaving.iter().map(|l| l.through - l.after).sum();
    let consent = ConsentFilter::new(connection);

    let office = setting(connection, OFFICE_RECIPIENT)?;
    let mut recipients: Vec<age::x25519::Recipient> = Vec::new();
    match only_to {
        Some(recipient) => recipients.push(recipient.clone()),
        None => {
            for device in roster::all(connection)? {
                if device.status == DeviceStatus::Active {
                    if let Ok(recipient) = device.age_recipient.parse() {
                        recipients.push(recipient);
                    }
                }
            }
        }
    }
    if let Some(office) = office.as_deref().and_then(|o| o.parse().ok()) {
        recipients.push(office);
    }
    let device = hearth_ids::parse_hex16(&me.device)
        .map(DeviceId)
        .ok_or(SyncError::VaultDamaged("this laptop's device id"))?;
    let bundle_id: [u8; 16] =
        hearth_crypto::random_bytes().map_err(|e| BundleError::Write(e.to_string()))?;
    let now = u64::try_from(hearth_ids::now_unix_ms()).unwrap_or(0);
    let mut manifest = bundle::manifest_for(device, bundle_id, now);
    manifest.ranges = ranges;
    manifest.checkpoint = Some(checkpoint.text);

    let organisation: String =
        connection.query_row("SELECT name FROM organisation WHERE id = 1", [], |row| {
            row.get(0)
        })?;
    let mut writer = BundleWriter::new(out, &recipients, &manifest)?;
    BodyFrame::Organisation(Organisation {
        name: organisation,
        office_recipient: office,
    })
    .write(&mut writer)?;
    BodyFrame::Roster(Roster {
        devices: roster::all(connection)?,
    })
    .write(&mut writer)?;

    progress.step(ProgressStep::Writing, total);
    let mut cases: BTreeSet<[u8; 16]> = BTreeSet::new();
    let mut withheld_cases: BTreeSet<[u8; 16]> = BTreeSet::new();
    let mut written = 0u64;
    for device in leaving {
        if let Some(note) = device.head {
            BodyFrame::Head(Head { note }).write(&mut writer)?;
        }
        change_log::for_each_change_between(
            connection,
            device.device,
            device.after,
            device.through,
            |change| -> Result<(), SyncError> {
                if written.is_multiple_of(PROGRESS_EVERY) && !progress.advance(written) {
                    return Err(SyncError::Cancelled);
                }
                written += 1;
                if change.entity_kind == "case" {
                    cases.insert(change.entity_id);
                }
                let (change, withheld_case) = consent.filter(change)?;
                withheld_cases.extend(withheld_case);
                BodyFrame::Change(WireChange::from_change(change)).write(&mut writer)?;
                Ok(())
            },
        )?;
    }

    let mut audit_entries = 0u64;
    let mut new_audit = Vector::new();
    for device in audit_devices(connection)? {
        let key = hex::encode(&device);
        let after = i64::try_from(sent_audit.get(&key).copied().unwrap_or(0)).unwrap_or(i64::MAX);
        let mut statement = connection.prepare_cached(&format!(
            "SELECT {} FROM audit_log WHERE device = ?1 AND seq > ?2 ORDER BY seq",
            StoredEntry::COLUMNS
        ))?;
        let mut rows = statement.query(params![device.as_slice(), after])?;
        let mut highest = u64::try_from(after).unwrap_or(0);
        while let Some(row) = rows.next()? {
            let entry = StoredEntry::from_row(row)?;
            highest = highest.max(u64::try_from(entry.seq).unwrap_or(0));
            BodyFrame::Audit(WireAudit::from_stored(&device, &entry)).write(&mut writer)?;
            audit_entries += 1;
        }
        new_audit.insert(key, highest);
    }
    let (out, bytes) = writer.finish(&hearth_store::device::signing_key(connection)?)?;

    if only_to.is_none() {
        connection.execute(
            "INSERT INTO sync_sent (destination, changes, audit, sent_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (destination) DO UPDATE SET changes = excluded.changes,
                 audit = excluded.audit, sent_ms = excluded.sent_ms",
            params![
                destination,
                serde_json::to_string(&new_changes).unwrap_or_default(),
                serde_json::to_string(&new_audit).unwrap_or_default(),
                hearth_ids::now_unix_ms()
            ],
        )?;
    }
    let summary = ExportSummary {
        cases: cases.len() as u64,
        changes: written,
        audit_entries,
        withheld_cases: withheld_cases.len() as u64,
        bytes,
    };
    Ok((out, summary))
}

/// Writes a bundle for `to` (a device id; everyone when `None`) of what it may lack, or of
/// everything with `full`, into `out`, in the caller's transaction: the caller commits (and so
/// records the bundle as sent) only once the bundle has been delivered whole.
pub fn export<W: Write>(
    connection: &Connection,
    actor: &Account,
    to: Option<&str>,
    full: bool,
    out: W,
    progress: &dyn Progress,
) -> Result<(W, ExportSummary), SyncError> {
    let destination = match to {
        Some(device) => {
            roster::load(connection, device)?
                .ok_or_else(|| SyncError::NoSuchDevice(device.trim().to_owned()))?
                .device
        }
        None => "*".to_owned(),
    };
    export_in(connection, actor, &destination, full, None, out, progress)
}
