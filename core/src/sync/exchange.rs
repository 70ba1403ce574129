//! Exporting and importing bundles, and joining the organisation.
//!
//! A bundle's body holds the roster, the office's recipient, and every change and audit entry
//! the destination may lack (per device, those numbered above what was last sent there; or all
//! of them). Import applies it in one transaction: changes in each device's order (a change after
//! a gap is held until the gap is filled), audit entries only where they extend that device's
//! chain (their links and hashes are checked), the same number with other content refused as
//! equivocation. Applying a change already held changes nothing, so bundles can arrive twice
//! and in any order.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::roster::{self, DeviceStatus, RosterDevice};
use super::{BundleError, SyncError};
use crate::access::{AccountId, Operation, Session};
use crate::audit::{self, Action, NewEntry, Outcome, StoredEntry};
use crate::change_log::{self, Applied, Change, ChangeLogError, ChangeRef, DeviceId, Hlc};
use crate::records::{RecordId, RecordKind};

/// A change as it travels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct WireChange {
    device: String,
    seq: u64,
    hlc_ms: u64,
    hlc_counter: u32,
    account: String,
    entity_kind: String,
    entity_id: String,
    fields: Map<String, Value>,
    /// Per field, `device-hex:seq` of the edits this one replaced knowingly.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    replaces: BTreeMap<String, Vec<String>>,
    /// Fields this copy leaves out (consent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    withheld: Vec<String>,
}

impl WireChange {
    fn from_change(change: Change) -> WireChange {
        WireChange {
            device: hex::encode(change.device.0),
            seq: change.seq,
            hlc_ms: change.hlc.wall_ms,
            hlc_counter: change.hlc.counter,
            account: change.account.to_hex(),
            entity_id: hex::encode(change.entity_id),
            entity_kind: change.entity_kind,
            fields: change.fields,
            replaces: change
                .replaces
                .into_iter()
                .map(|(field, refs)| (field, refs.iter().map(|r| r.to_text()).collect()))
                .collect(),
            withheld: change.withheld,
        }
    }

    fn into_change(self) -> Result<Change, BundleError> {
        let hex = |text: &str| hearth_ids::parse_hex16(text).ok_or(BundleError::Malformed("an id"));
        Ok(Change {
            device: DeviceId(hex(&self.device)?),
            seq: self.seq,
            hlc: Hlc {
                wall_ms: self.hlc_ms,
                counter: self.hlc_counter,
            },
            account: AccountId::from_bytes(hex(&self.account)?),
            entity_id: hex(&self.entity_id)?,
            entity_kind: self.entity_kind,
            fields: self.fields,
            replaces: self
                .replaces
                .into_iter()
                .map(|(field, refs)| {
                    let refs = refs
                        .iter()
                        .map(|r| ChangeRef::parse(r))
                        .collect::<Option<Vec<_>>>()
                        .ok_or(BundleError::Malformed("a change's replaced edits"))?;
                    Ok((field, refs))
                })
                .collect::<Result<_, BundleError>>()?,
            withheld: self.withheld,
        })
    }
}

/// An audit entry as it travels: every stored column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct WireAudit {
    device: String,
    seq: u64,
    hlc_ms: i64,
    hlc_counter: i64,
    wall_ms: i64,
    account: Option<String>,
    role: Option<String>,
    action: String,
    target_kind: Option<String>,
    target_id: Option<String>,
    fields: String,
    outcome: String,
    reason: Option<String>,
    prev_hash: String,
    hash: String,
}

impl WireAudit {
    fn from_stored(device: &[u8], entry: &StoredEntry) -> WireAudit {
        WireAudit {
            device: hex::encode(device),
            seq: u64::try_from(entry.seq).unwrap_or(0),
            hlc_ms: entry.hlc_ms,
            hlc_counter: entry.hlc_counter,
            wall_ms: entry.wall_ms,
            account: entry.account.as_deref().map(hex::encode),
            role: entry.role.clone(),
            action: entry.action.clone(),
            target_kind: entry.target_kind.clone(),
            target_id: entry.target_id.clone(),
            fields: entry.fields.clone(),
            outcome: entry.outcome.clone(),
            reason: entry.reason.clone(),
            prev_hash: hex::encode(&entry.prev_hash),
            hash: hex::encode(&entry.hash),
        }
    }

    fn to_stored(&self) -> Result<(Vec<u8>, StoredEntry), BundleError> {
        let bytes = |text: &str, length: usize| -> Result<Vec<u8>, BundleError> {
            let bytes: Option<Vec<u8>> = (0..text.len())
                .step_by(2)
                .map(|i| {
                    text.get(i..i + 2)
                        .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                })
                .collect();
            bytes
                .filter(|b| b.len() == length && text.bytes().all(|c| c.is_ascii_hexdigit()))
                .ok_or(BundleError::Malformed("an audit entry"))
        };
        let account = match &self.account {
            Some(account) => Some(bytes(account, 16)?),
            None => None,
        };
        Ok((
            bytes(&self.device, 16)?,
            StoredEntry {
                seq: i64::try_from(self.seq).map_err(|_| BundleError::Malformed("a number"))?,
                hlc_ms: self.hlc_ms,
                hlc_counter: self.hlc_counter,
                wall_ms: self.wall_ms,
                account,
                role: self.role.clone(),
                action: self.action.clone(),
                target_kind: self.target_kind.clone(),
                target_id: self.target_id.clone(),
                fields: self.fields.clone(),
                outcome: self.outcome.clone(),
                reason: self.reason.clone(),
                prev_hash: bytes(&self.prev_hash, 32)?,
                hash: bytes(&self.hash, 32)?,
            },
        ))
    }
}

/// A bundle's body.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Body {
    organisation: String,
    office_recipient: Option<String>,
    roster: Vec<RosterDevice>,
    changes: Vec<WireChange>,
    audit: Vec<WireAudit>,
}

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
}

/// Bundles exchanged with one device of the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "DeviceSync.ts"))]
pub struct DeviceSync {
    /// The device.
    pub device: RosterDevice,
    /// Whether it is this laptop.
    pub is_this_laptop: bool,
    /// When the last bundle made by it was imported here (ms since the Unix epoch).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_in_ms: Option<i64>,
    /// How many of its bundles were imported here.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bundles_in: u64,
    /// When a bundle was last exported for it alone (`--to`), if ever.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_out_ms: Option<i64>,
}

/// Where sync stands on this laptop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "SyncStatus.ts"))]
pub struct SyncStatus {
    /// Every device of the roster, this one first.
    pub devices: Vec<DeviceSync>,
    /// When a bundle for everyone was last exported.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_export_ms: Option<i64>,
    /// Changes held until the changes before them arrive.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub held_changes: u64,
    /// Whether the office's age recipient is set (every bundle is then encrypted to it too).
    pub office_set: bool,
}

/// A laptop's request to join the organisation: its public keys, signed with its own key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    /// Always 1.
    pub hearth_join_request: u32,
    /// The device id (hex).
    pub device: String,
    /// The site it will serve.
    pub site: String,
    /// Its Ed25519 public key (base64).
    pub signing_key: String,
    /// Its age recipient.
    pub age_recipient: String,
    /// Its signature (base64) over the lines of [`JoinRequest::signed_text`].
    pub signature: String,
}

impl JoinRequest {
    fn signed_text(&self) -> String {
        format!(
            "hearth-join-request/v1\n{}\n{}\n{}\n{}\n",
            self.device, self.site, self.signing_key, self.age_recipient
        )
    }

    /// Checks that the request was signed by the key it carries.
    fn verify(&self) -> Result<VerifyingKey, BundleError> {
        let bad = BundleError::Malformed;
        let key = BASE64
            .decode(&self.signing_key)
            .ok()
            .and_then(|key| <[u8; 32]>::try_from(key).ok())
            .and_then(|key| VerifyingKey::from_bytes(&key).ok())
            .ok_or(bad("the join request's key"))?;
        let signature = BASE64
            .decode(&self.signature)
            .ok()
            .and_then(|s| Signature::from_slice(&s).ok())
            .ok_or(bad("the join request's signature"))?;
        key.verify(self.signed_text().as_bytes(), &signature)
            .map_err(|_| BundleError::BadSignature)?;
        Ok(key)
    }
}

fn setting(connection: &Connection, key: &str) -> Result<Option<String>, SyncError> {
    Ok(connection
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?
        .filter(|value: &String| !value.is_empty()))
}

fn set_setting(connection: &Connection, key: &str, value: &str) -> Result<(), SyncError> {
    connection.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

type Vector = BTreeMap<String, u64>;

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

/// What consent lets leave this laptop. A case whose person has not given consent to share within
/// the organisation (the decision in force for `SharingWithinOrganisation` is not `Given`: refused,
/// withdrawn, or never asked) leaves with only the fields the field table marks as shared without
/// consent, on the case and on everything attached to it; the rest is listed as withheld. Changes
/// still leave whole in number, so that each device's sequence has no gaps.
///
/// An incremental bundle touches few cases: they are looked up as their changes come, and
/// remembered. A large one reads every decision and every record's case in one pass each instead.
struct ConsentFilter<'c> {
    connection: &'c Connection,
    /// Whether each case looked up shares within the organisation.
    sharing: RefCell<HashMap<[u8; 16], bool>>,
    /// After [`ConsentFilter::preload`]: every record's case; and `sharing` holds every case
    /// with a decision (a case missing from it has none).
    preloaded: Option<HashMap<[u8; 16], [u8; 16]>>,
}

/// Above this many changes, an export reads consent for all cases at once.
const PRELOAD_ABOVE: usize = 5_000;

impl<'c> ConsentFilter<'c> {
    fn new(connection: &'c Connection) -> ConsentFilter<'c> {
        ConsentFilter {
            connection,
            sharing: RefCell::new(HashMap::new()),
            preloaded: None,
        }
    }

    /// Reads every sharing decision and every attached record's case, one pass each.
    fn preload(&mut self) -> Result<(), SyncError> {
        let mut case_of = HashMap::new();
        let mut statement = self
            .connection
            .prepare("SELECT id, case_id FROM case_children")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, Vec<u8>>(0)?, row.get::<_, Vec<u8>>(1)?))
        })?;
        for row in rows {
            let (child, case) = row?;
            if let (Ok(child), Ok(case)) = (<[u8; 16]>::try_from(child), <[u8; 16]>::try_from(case))
            {
                case_of.insert(child, case);
            }
        }
        let mut newest: HashMap<[u8; 16], (String, i64, bool)> = HashMap::new();
        let mut statement = self.connection.prepare(
            "SELECT json_extract(current, '$.case_id'), json_extract(current, '$.date'),
                    created_ms, json_extract(current, '$.decision') = 'Given'
             FROM entity_state
             WHERE entity_kind = 'consent'
               AND json_extract(current, '$.purpose') = 'SharingWithinOrganisation'",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, Option<String>>(0)?.unwrap_or_default(),
                row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                row.get::<_, i64>(2)?,
                row.get::<_, Option<bool>>(3)?.unwrap_or(false),
            ))
        })?;
        for row in rows {
            let (case, date, made, given) = row?;
            let Some(case) = hearth_ids::parse_hex16(&case) else {
                continue;
            };
            if newest
                .get(&case)
                .is_none_or(|(d, m, _)| (&date, made) > (d, *m))
            {
                newest.insert(case, (date, made, given));
            }
        }
        *self.sharing.borrow_mut() = newest
            .into_iter()
            .map(|(case, (_, _, given))| (case, given))
            .collect();
        self.preloaded = Some(case_of);
        Ok(())
    }

    /// The case a record belongs to, from its current state.
    fn case_of(&self, kind: &str, id: [u8; 16]) -> Result<Option<[u8; 16]>, SyncError> {
        if let Some(case_of) = &self.preloaded {
            return Ok(case_of.get(&id).copied());
        }
        let case: Option<Option<String>> = self
            .connection
            .prepare_cached(
                "SELECT json_extract(current, '$.case_id') FROM entity_state
                 WHERE entity_kind = ?1 AND entity_id = ?2",
            )?
            .query_row(params![kind, id.as_slice()], |row| row.get(0))
            .optional()?;
        Ok(case.flatten().as_deref().and_then(hearth_ids::parse_hex16))
    }

    /// Whether the decision in force (the newest by date, then by when it was recorded, as the
    /// case page shows it) is consent to share within the organisation.
    fn shares(&self, case: [u8; 16]) -> Result<bool, SyncError> {
        if let Some(known) = self.sharing.borrow().get(&case) {
            return Ok(*known);
        }
        if self.preloaded.is_some() {
            return Ok(false);
        }
        let mut statement = self.connection.prepare_cached(
            "SELECT json_extract(state.current, '$.date'), state.created_ms,
                    json_extract(state.current, '$.decision') = 'Given'
             FROM case_children AS child
             JOIN entity_state AS state
               ON state.entity_kind = 'consent' AND state.entity_id = child.id
             WHERE child.case_id = ?1 AND child.kind = 'consent'
               AND json_extract(state.current, '$.purpose') = 'SharingWithinOrganisation'",
        )?;
        let decisions = statement.query_map([case.as_slice()], |row| {
            Ok((
                row.get::<_, Option<String>>(0)?.unwrap_or_default(),
                row.get::<_, i64>(1)?,
                row.get::<_, Option<bool>>(2)?.unwrap_or(false),
            ))
        })?;
        let mut newest: Option<(String, i64, bool)> = None;
        for decision in decisions {
            let decision = decision?;
            if newest
                .as_ref()
                .is_none_or(|(date, made, _)| (&decision.0, decision.1) > (date, *made))
            {
                newest = Some(decision);
            }
        }
        let shares = newest.is_some_and(|(_, _, given)| given);
        self.sharing.borrow_mut().insert(case, shares);
        Ok(shares)
    }

    /// The case a change belongs to and whether it leaves in part, or `None` for a record of no
    /// case (a partner organisation).
    fn case_withheld(&self, change: &Change) -> Result<Option<([u8; 16], bool)>, SyncError> {
        let case = match RecordKind::parse(&change.entity_kind) {
            None | Some(RecordKind::Partner) => return Ok(None),
            Some(RecordKind::Case) => change.entity_id,
            Some(_) => match self.case_of(&change.entity_kind, change.entity_id)? {
                Some(case) => case,
                // A record whose case is unknown here: treat it as the strictest case would be.
                None => return Ok(Some((change.entity_id, true))),
            },
        };
        Ok(Some((case, !self.shares(case)?)))
    }

    /// The change as it may leave: whole, or without the fields consent keeps here; and the case
    /// whose fields were withheld, if any.
    fn filter(&self, change: Change) -> Result<(Change, Option<[u8; 16]>), SyncError> {
        let kind = RecordKind::parse(&change.entity_kind);
        let (Some(kind), Some((case, true))) = (kind, self.case_withheld(&change)?) else {
            return Ok((change, None));
        };
        let shared = |name: &str| {
            kind.fields()
                .iter()
                .any(|spec| spec.name == name && spec.shared_without_consent)
        };
        let mut part = change.clone();
        part.fields.retain(|name, _| shared(name));
        let mut withheld: Vec<String> = change
            .fields
            .keys()
            .filter(|name| !shared(name))
            .cloned()
            .chain(change.withheld.iter().cloned())
            .collect();
        withheld.sort();
        withheld.dedup();
        part.withheld = withheld;
        let redacted = part.withheld.len() > change.withheld.len();
        Ok((part, redacted.then_some(case)))
    }
}

/// Writes a bundle of everything `destination` may lack (or everything) in the caller's
/// transaction: the export's own audit entry and checkpoint are in it.
fn export_in(
    connection: &Connection,
    actor: &crate::access::Account,
    destination: &str,
    full: bool,
    only_to: Option<&age::x25519::Recipient>,
) -> Result<(Vec<u8>, ExportSummary), SyncError> {
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

    let mut ranges: BTreeMap<String, [u64; 2]> = BTreeMap::new();
    let mut new_changes = Vector::new();
    let mut leaving = Vec::new();
    for (device, highest) in change_log::highest_seqs(connection)? {
        let key = hex::encode(device.0);
        let after = sent_changes.get(&key).copied().unwrap_or(0);
        let batch = change_log::changes_after(connection, device, after)?;
        if let (Some(first), Some(last)) = (batch.first(), batch.last()) {
            ranges.insert(key.clone(), [first.seq, last.seq]);
        }
        leaving.extend(batch);
        new_changes.insert(key, highest);
    }
    let mut consent = ConsentFilter::new(connection);
    if leaving.len() > PRELOAD_ABOVE {
        consent.preload()?;
    }
    let mut withheld_cases: BTreeSet<[u8; 16]> = BTreeSet::new();
    let mut changes = Vec::with_capacity(leaving.len());
    for change in leaving {
        let (change, withheld_case) = consent.filter(change)?;
        withheld_cases.extend(withheld_case);
        changes.push(WireChange::from_change(change));
    }
    let mut audit_entries = Vec::new();
    let mut new_audit = Vector::new();
    for device in audit_devices(connection)? {
        let key = hex::encode(&device);
        let after = i64::try_from(sent_audit.get(&key).copied().unwrap_or(0)).unwrap_or(i64::MAX);
        let mut statement = connection.prepare_cached(&format!(
            "SELECT {} FROM audit_log WHERE device = ?1 AND seq > ?2 ORDER BY seq",
            StoredEntry::COLUMNS
        ))?;
        let rows = statement.query_map(params![device.as_slice(), after], StoredEntry::from_row)?;
        let mut highest = u64::try_from(after).unwrap_or(0);
        for row in rows {
            let entry = row?;
            highest = highest.max(u64::try_from(entry.seq).unwrap_or(0));
            audit_entries.push(WireAudit::from_stored(&device, &entry));
        }
        new_audit.insert(key, highest);
    }

    let cases = changes
        .iter()
        .filter(|c| c.entity_kind == "case")
        .map(|c| c.entity_id.as_str())
        .collect::<BTreeSet<&str>>()
        .len() as u64;
    let organisation: String =
        connection.query_row("SELECT name FROM organisation WHERE id = 1", [], |row| {
            row.get(0)
        })?;
    let office = setting(connection, "office_recipient")?;
    let body = Body {
        organisation,
        office_recipient: office.clone(),
        roster: roster::all(connection)?,
        changes,
        audit: audit_entries,
    };
    let summary_counts = (cases, body.changes.len() as u64, body.audit.len() as u64);
    let body = serde_json::to_vec(&body).map_err(|e| BundleError::Write(e.to_string()))?;

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
        .ok_or(BundleError::Malformed("this device's id"))?;
    let bundle_id: [u8; 16] =
        crate::crypto::random_bytes().map_err(|e| BundleError::Write(e.to_string()))?;
    let now = u64::try_from(crate::access::now_unix_ms()).unwrap_or(0);
    let mut manifest = super::manifest_for(device, bundle_id, now);
    manifest.ranges = ranges;
    manifest.checkpoint = Some(checkpoint.text);
    let sealed = super::seal(
        manifest,
        &hearth_store::device::signing_key(connection)?,
        &recipients,
        &body,
    )?;

    if only_to.is_none() {
        connection.execute(
            "INSERT INTO sync_sent (destination, changes, audit, sent_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (destination) DO UPDATE SET changes = excluded.changes,
                 audit = excluded.audit, sent_ms = excluded.sent_ms",
            params![
                destination,
                serde_json::to_string(&new_changes).unwrap_or_default(),
                serde_json::to_string(&new_audit).unwrap_or_default(),
                crate::access::now_unix_ms()
            ],
        )?;
    }
    let (cases, changes, audit_entries) = summary_counts;
    let summary = ExportSummary {
        cases,
        changes,
        audit_entries,
        withheld_cases: withheld_cases.len() as u64,
        bytes: sealed.len() as u64,
    };
    Ok((sealed, summary))
}

/// Applies a bundle's body in the caller's transaction.
fn import_in(
    connection: &Connection,
    actor: &crate::access::Account,
    origin: &str,
    bundle_id: &str,
    body: Body,
    enrolling: bool,
) -> Result<ImportSummary, SyncError> {
    roster::merge(connection, &body.roster, enrolling)?;
    if setting(connection, "office_recipient")?.is_none() {
        if let Some(office) = &body.office_recipient {
            set_setting(connection, "office_recipient", office)?;
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
    };
    let conflicts_before = conflict_count(connection)?;
    let mut touched: BTreeSet<(String, [u8; 16])> = BTreeSet::new();
    let mut incoming: Vec<Change> = body
        .changes
        .into_iter()
        .map(WireChange::into_change)
        .collect::<Result<_, _>>()?;
    incoming.sort_by_key(|c| (c.device, c.seq));
    let me = hearth_store::device::this_device(connection)?;
    // A clock a day ahead of this laptop's would win every field it touches for as long as it
    // stays ahead: a laptop with a wrong date, or a forged change. Refused whole.
    let latest_acceptable_ms =
        u64::try_from(crate::access::now_unix_ms()).unwrap_or(0) + 24 * 60 * 60 * 1000;
    // Whether each device is an active member, and the highest number held from it: each asked
    // of the database once per device rather than once per change, and kept up to date here.
    let mut members: HashMap<DeviceId, bool> = HashMap::new();
    let mut highest: HashMap<DeviceId, u64> = HashMap::new();
    // The clock moves once, to the latest change stored, rather than once per change.
    let mut latest_stored: Option<Hlc> = None;
    for change in incoming {
        if change.hlc.wall_ms > latest_acceptable_ms {
            return Err(BundleError::Malformed(
                "a change is dated more than a day ahead of this laptop's clock",
            )
            .into());
        }
        let highest_here = match highest.get(&change.device) {
            Some(seq) => *seq,
            None => {
                let seq = highest_seq(connection, change.device)?;
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
        let trusted = match members.get(&change.device) {
            Some(trusted) => *trusted,
            None => {
                let trusted = roster::trusted_key(connection, &change.device)?.is_some();
                members.insert(change.device, trusted);
                trusted
            }
        };
        if change.device != me && !trusted {
            return Err(BundleError::UnknownDevice(hex::encode(change.device.0)).into());
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
            summary.applied += drained;
            highest.insert(change.device, change.seq + drained);
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
            crate::records::refresh_projection(connection, kind, RecordId::from_bytes(*id))?;
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
    entry.reason = Some(format!(
        "{} changes applied, {} already here, {} held, {} audit entries",
        summary.applied, summary.already_present, summary.held, summary.audit_entries
    ));
    audit::append(connection, &entry)?;
    connection.execute(
        "INSERT OR IGNORE INTO sync_received (bundle_id, origin, received_ms, changes)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            bundle_id,
            hearth_ids::parse_hex16(origin)
                .map(|b| b.to_vec())
                .unwrap_or_default(),
            crate::access::now_unix_ms(),
            i64::try_from(summary.applied).unwrap_or(i64::MAX)
        ],
    )?;
    Ok(summary)
}

/// The hash of a device's audit entry this vault holds under `seq`, if any.
fn stored_audit_hash(
    connection: &Connection,
    device: &[u8],
    seq: i64,
) -> Result<Option<Vec<u8>>, SyncError> {
    Ok(connection
        .prepare_cached("SELECT hash FROM audit_log WHERE device = ?1 AND seq = ?2")?
        .query_row(params![device, seq], |row| row.get(0))
        .optional()?)
}

fn conflict_count(connection: &Connection) -> Result<u64, SyncError> {
    let count: i64 = connection
        .prepare_cached("SELECT count(*) FROM conflicts")?
        .query_row([], |row| row.get(0))?;
    Ok(u64::try_from(count).unwrap_or(0))
}

fn highest_seq(connection: &Connection, device: DeviceId) -> Result<u64, SyncError> {
    let highest: i64 = connection
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM changes WHERE device = ?1")?
        .query_row([device.0.as_slice()], |row| row.get(0))?;
    Ok(u64::try_from(highest).unwrap_or(0))
}

fn hold_change(connection: &Connection, change: &Change) -> Result<(), SyncError> {
    let text = serde_json::to_string(&WireChange::from_change(change.clone())).unwrap_or_default();
    let seq = i64::try_from(change.seq).map_err(|_| BundleError::Malformed("a number"))?;
    let existing: Option<String> = connection
        .query_row(
            "SELECT change FROM held_changes WHERE device = ?1 AND seq = ?2",
            params![change.device.0.as_slice(), seq],
            |row| row.get(0),
        )
        .optional()?;
    match existing {
        Some(held) if held == text => Ok(()),
        Some(held) => {
            let held = serde_json::from_str::<WireChange>(&held)
                .map_err(|_| BundleError::Malformed("a held change"))?
                .into_change()?;
            if change.is_part_of(&held) {
                Ok(())
            } else if held.is_part_of(change) {
                // The whole change, where a copy without the fields consent kept back was held.
                connection.execute(
                    "UPDATE held_changes SET change = ?3 WHERE device = ?1 AND seq = ?2",
                    params![change.device.0.as_slice(), seq, text],
                )?;
                Ok(())
            } else {
                Err(SyncError::ChangeLog(ChangeLogError::ConflictingDuplicate {
                    device: hex::encode(change.device.0),
                    seq: change.seq,
                }))
            }
        }
        None => {
            connection.execute(
                "INSERT INTO held_changes (device, seq, change) VALUES (?1, ?2, ?3)",
                params![change.device.0.as_slice(), seq, text],
            )?;
            Ok(())
        }
    }
}

/// Applies the held changes that follow on from `device`'s change `after`, just applied; how
/// many (they are numbered `after + 1` onwards).
fn drain_held_changes(
    connection: &Connection,
    device: DeviceId,
    after: u64,
    touched: &mut BTreeSet<(String, [u8; 16])>,
) -> Result<u64, SyncError> {
    let mut applied = 0;
    loop {
        let next = i64::try_from(after + applied + 1).unwrap_or(i64::MAX);
        let held: Option<String> = connection
            .prepare_cached("SELECT change FROM held_changes WHERE device = ?1 AND seq = ?2")?
            .query_row(params![device.0.as_slice(), next], |row| row.get(0))
            .optional()?;
        let Some(held) = held else {
            return Ok(applied);
        };
        let change = serde_json::from_str::<WireChange>(&held)
            .map_err(|_| BundleError::Malformed("a held change"))?
            .into_change()?;
        change_log::apply_change(connection, &change)?;
        connection
            .prepare_cached("DELETE FROM held_changes WHERE device = ?1 AND seq = ?2")?
            .execute(params![device.0.as_slice(), next])?;
        touched.insert((change.entity_kind.clone(), change.entity_id));
        applied += 1;
    }
}

/// The last entry (number and hash) of each device's audit chain here, read from the database
/// once per device and then kept up to date as an import adds entries.
#[derive(Default)]
struct AuditChains {
    heads: HashMap<Vec<u8>, (i64, Vec<u8>)>,
}

impl AuditChains {
    fn head(
        &mut self,
        connection: &Connection,
        device: &[u8],
    ) -> Result<(i64, Vec<u8>), SyncError> {
        if let Some(head) = self.heads.get(device) {
            return Ok(head.clone());
        }
        let last: Option<(i64, Vec<u8>)> = connection
            .prepare_cached(
                "SELECT seq, hash FROM audit_log WHERE device = ?1 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([device], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let head = last.unwrap_or((0, audit::GENESIS.to_vec()));
        self.heads.insert(device.to_vec(), head.clone());
        Ok(head)
    }

    /// Adds an audit entry from another device if it extends that device's chain here (its
    /// link and hash checked), then any held entries that now follow on; holds it after a gap;
    /// refuses a different entry under a known or held number. Whether it was added.
    fn add(
        &mut self,
        connection: &Connection,
        device: &[u8],
        entry: &StoredEntry,
    ) -> Result<bool, SyncError> {
        let added = self.add_one(connection, device, entry)?;
        if added {
            // Entries held earlier may follow on now: a loop, as a long gap can hold many.
            let mut seq = entry.seq;
            loop {
                let next: Option<String> = connection
                    .prepare_cached("SELECT entry FROM held_audit WHERE device = ?1 AND seq = ?2")?
                    .query_row(params![device, seq + 1], |row| row.get(0))
                    .optional()?;
                let Some(next) = next else {
                    break;
                };
                connection
                    .prepare_cached("DELETE FROM held_audit WHERE device = ?1 AND seq = ?2")?
                    .execute(params![device, seq + 1])?;
                let (_, next_entry) = serde_json::from_str::<WireAudit>(&next)
                    .map_err(|_| BundleError::Malformed("a held audit entry"))?
                    .to_stored()?;
                self.add_one(connection, device, &next_entry)?;
                seq += 1;
            }
        }
        Ok(added)
    }

    fn add_one(
        &mut self,
        connection: &Connection,
        device: &[u8],
        entry: &StoredEntry,
    ) -> Result<bool, SyncError> {
        let equivocation = || {
            SyncError::ChangeLog(ChangeLogError::ConflictingDuplicate {
                device: hex::encode(device),
                seq: u64::try_from(entry.seq).unwrap_or(0),
            })
        };
        let (last_seq, last_hash) = self.head(connection, device)?;
        // A chain here holds every number up to its head: the entry is here already, or a
        // second version of one that is.
        if entry.seq <= last_seq {
            let stored = stored_audit_hash(connection, device, entry.seq)?;
            return if stored.as_deref() == Some(entry.hash.as_slice()) {
                Ok(false)
            } else {
                Err(equivocation())
            };
        }
        if entry.seq > last_seq + 1 {
            let text =
                serde_json::to_string(&WireAudit::from_stored(device, entry)).unwrap_or_default();
            let held: Option<String> = connection
                .prepare_cached("SELECT entry FROM held_audit WHERE device = ?1 AND seq = ?2")?
                .query_row(params![device, entry.seq], |row| row.get(0))
                .optional()?;
            match held {
                Some(held) if held != text => return Err(equivocation()),
                Some(_) => {}
                None => {
                    connection
                        .prepare_cached(
                            "INSERT INTO held_audit (device, seq, entry) VALUES (?1, ?2, ?3)",
                        )?
                        .execute(params![device, entry.seq, text])?;
                }
            }
            return Ok(false);
        }
        // An entry that does not extend the chain at its place is a second version of that
        // place: the device's log was forked or rewritten.
        if entry.prev_hash != last_hash
            || audit::entry_hash(&entry.prev_hash, &entry.hashed(device)).as_slice() != entry.hash
        {
            return Err(equivocation());
        }
        connection
            .prepare_cached(&format!(
                "INSERT INTO audit_log (device, {}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                StoredEntry::COLUMNS
            ))?
            .execute(params![
                device,
                entry.seq,
                entry.hlc_ms,
                entry.hlc_counter,
                entry.wall_ms,
                entry.account,
                entry.role,
                entry.action,
                entry.target_kind,
                entry.target_id,
                entry.fields,
                entry.outcome,
                entry.reason,
                entry.prev_hash,
                entry.hash,
            ])?;
        self.heads
            .insert(device.to_vec(), (entry.seq, entry.hash.clone()));
        Ok(true)
    }
}

fn normalise_fingerprint(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn parse_body(bytes: &[u8]) -> Result<Body, BundleError> {
    serde_json::from_slice(bytes).map_err(|_| BundleError::Malformed("the body is not valid"))
}

impl Session {
    fn sync_failure(&self, action: Action, error: &SyncError) {
        let mut entry = NewEntry::ok(self.account(), action);
        entry.outcome = Outcome::Failed;
        entry.reason = Some(error.to_string());
        let _ = audit::append_alone(self.database(), &entry);
    }

    /// Writes a bundle for `to` (a device id; everyone when `None`) of what it may lack, or of
    /// everything with `full`.
    /// `deliver` writes the bundle (to its file) before the export is recorded as sent: if it
    /// fails, the next export still holds everything this one held.
    pub fn export_bundle(
        &self,
        to: Option<&str>,
        full: bool,
        deliver: impl FnOnce(&[u8]) -> std::io::Result<()>,
    ) -> Result<ExportSummary, SyncError> {
        self.require(Operation::Sync)?;
        let destination = match to {
            Some(device) => {
                let known = roster::load(self.database(), device)?
                    .ok_or_else(|| BundleError::UnknownDevice(device.to_owned()))?;
                known.device
            }
            None => "*".to_owned(),
        };
        let transaction = self.database().unchecked_transaction()?;
        let (sealed, summary) = export_in(&transaction, self.account(), &destination, full, None)?;
        deliver(&sealed).map_err(|error| BundleError::Write(error.to_string()))?;
        transaction.commit()?;
        Ok(summary)
    }

    /// Opens and checks a bundle without applying it: its manifest.
    pub fn inspect_bundle(&self, sealed: &[u8]) -> Result<super::Manifest, SyncError> {
        self.require(Operation::Sync)?;
        roster::ensure_self(self.database())?;
        let identity = hearth_store::device::age_identity(self.database())?;
        let contents = super::open(sealed, &identity, |device| {
            roster::trusted_key(self.database(), device).ok().flatten()
        })?;
        Ok(contents.manifest)
    }

    /// Imports a bundle from a member device: all of it in one transaction, or nothing.
    pub fn import_bundle(&mut self, sealed: &[u8]) -> Result<ImportSummary, SyncError> {
        self.require(Operation::Sync)?;
        let result = self.import_unaudited_failure(sealed, true);
        // A refusal that names a sender (an unknown or revoked device, a forged signature, a
        // rewritten log) is recorded. A file that is damaged or not for this laptop says
        // nothing about anyone, and leaves the vault exactly as it was.
        if let Err(error) = &result {
            let attributable = matches!(
                error,
                SyncError::Bundle(BundleError::UnknownDevice(_) | BundleError::BadSignature)
                    | SyncError::ChangeLog(ChangeLogError::ConflictingDuplicate { .. })
            );
            if attributable {
                self.sync_failure(Action::Import, error);
            }
        }
        result
    }

    /// What importing a bundle would do, without doing it: the whole import runs and is rolled
    /// back. The file is checked as an import checks it.
    pub fn preview_import(&mut self, sealed: &[u8]) -> Result<ImportSummary, SyncError> {
        self.require(Operation::Sync)?;
        self.import_unaudited_failure(sealed, false)
    }

    /// Where sync stands: each device and the bundles exchanged with it.
    pub fn sync_status(&self) -> Result<SyncStatus, SyncError> {
        self.require(Operation::Sync)?;
        let connection = self.database();
        let me = roster::ensure_self(connection)?;
        let mut devices = Vec::new();
        for device in roster::all(connection)? {
            let id = hearth_ids::parse_hex16(&device.device).unwrap_or_default();
            let (last_in_ms, bundles_in): (Option<i64>, i64) = connection.query_row(
                "SELECT max(received_ms), count(*) FROM sync_received WHERE origin = ?1",
                [id.as_slice()],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            let last_out_ms: Option<i64> = connection
                .query_row(
                    "SELECT sent_ms FROM sync_sent WHERE destination = ?1",
                    [&device.device],
                    |row| row.get(0),
                )
                .optional()?;
            devices.push(DeviceSync {
                is_this_laptop: device.device == me.device,
                device,
                last_in_ms,
                bundles_in: u64::try_from(bundles_in).unwrap_or(0),
                last_out_ms,
            });
        }
        devices.sort_by_key(|d| !d.is_this_laptop);
        let last_export_ms: Option<i64> = connection
            .query_row(
                "SELECT sent_ms FROM sync_sent WHERE destination = '*'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        let held: i64 =
            connection.query_row("SELECT count(*) FROM held_changes", [], |row| row.get(0))?;
        Ok(SyncStatus {
            devices,
            last_export_ms,
            held_changes: u64::try_from(held).unwrap_or(0),
            office_set: setting(connection, "office_recipient")?.is_some(),
        })
    }

    fn import_unaudited_failure(
        &mut self,
        sealed: &[u8],
        commit: bool,
    ) -> Result<ImportSummary, SyncError> {
        roster::ensure_self(self.database())?;
        let identity = hearth_store::device::age_identity(self.database())?;
        let contents = super::open(sealed, &identity, |device| {
            roster::trusted_key(self.database(), device).ok().flatten()
        })?;
        let body = parse_body(&contents.body)?;
        let transaction = self.database().unchecked_transaction()?;
        let summary = import_in(
            &transaction,
            self.account(),
            &contents.manifest.origin_device,
            &contents.manifest.bundle_id,
            body,
            false,
        )?;
        // A preview drops the transaction: rolled back, as if never begun.
        if commit {
            transaction.commit()?;
        }
        Ok(summary)
    }

    /// The organisation's devices.
    pub fn devices(&self) -> Result<Vec<RosterDevice>, SyncError> {
        self.require(Operation::ViewVaultStatus)?;
        roster::ensure_self(self.database())?;
        roster::all(self.database())
    }

    /// This new laptop's request to join, for an administrator of a member laptop to approve.
    pub fn join_request(&self) -> Result<JoinRequest, SyncError> {
        self.require(Operation::ManageDevices)?;
        let me = roster::ensure_self(self.database())?;
        let mut request = JoinRequest {
            hearth_join_request: 1,
            device: me.device,
            site: me.site,
            signing_key: me.signing_key,
            age_recipient: me.age_recipient,
            signature: String::new(),
        };
        let signature = hearth_store::device::signing_key(self.database())?
            .sign(request.signed_text().as_bytes());
        request.signature = BASE64.encode(signature.to_bytes());
        Ok(request)
    }

    /// Approves a join request: the device joins the roster, and the enrollment (everything this
    /// laptop holds, encrypted to the new device only) is returned.
    pub fn approve_device(&self, request: &JoinRequest) -> Result<Vec<u8>, SyncError> {
        self.require(Operation::ManageDevices)?;
        request.verify()?;
        let recipient: age::x25519::Recipient = request
            .age_recipient
            .parse()
            .map_err(|_| BundleError::Malformed("the join request's age recipient"))?;
        let transaction = self.database().unchecked_transaction()?;
        let me = roster::ensure_self(&transaction)?;
        match roster::load(&transaction, &request.device)? {
            Some(known) if known.status == DeviceStatus::Revoked => {
                return Err(
                    BundleError::UnknownDevice(format!("{} (revoked)", known.device)).into(),
                )
            }
            Some(known)
                if known.signing_key != request.signing_key
                    || known.age_recipient != request.age_recipient =>
            {
                return Err(BundleError::Malformed("a device with this id has other keys").into())
            }
            Some(_) => {}
            None => roster::insert(
                &transaction,
                &roster::approved(
                    &transaction,
                    RosterDevice {
                        device: request.device.clone(),
                        name: request.site.clone(),
                        site: request.site.clone(),
                        signing_key: request.signing_key.clone(),
                        age_recipient: request.age_recipient.clone(),
                        status: DeviceStatus::Active,
                        approved_by: Some(me.device.clone()),
                        approval: None,
                        revoked_by: None,
                        revocation: None,
                    },
                )?,
            )?,
        }
        let (sealed, _) = export_in(
            &transaction,
            self.account(),
            &request.device,
            true,
            Some(&recipient),
        )?;
        transaction.commit()?;
        Ok(sealed)
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
        let me = roster::ensure_self(self.database())?;
        let has_changes: bool =
            self.database()
                .query_row("SELECT EXISTS (SELECT 1 FROM changes)", [], |row| {
                    row.get(0)
                })?;
        if roster::all(self.database())?.len() > 1 || has_changes {
            return Err(BundleError::Malformed(
                "this laptop already holds records or belongs to an organisation",
            )
            .into());
        }
        let expected = normalise_fingerprint(approver_fingerprint);
        let identity = hearth_store::device::age_identity(self.database())?;
        let contents = super::open_with(sealed, &identity, |origin, body| {
            let body = parse_body(body).ok()?;
            let origin_hex = hex::encode(origin.0);
            let signer = body
                .roster
                .iter()
                .find(|d| d.device == origin_hex && d.status == DeviceStatus::Active)?;
            let key = <[u8; 32]>::try_from(BASE64.decode(&signer.signing_key).ok()?).ok()?;
            let key = VerifyingKey::from_bytes(&key).ok()?;
            // Anyone can encrypt a file to this laptop (its recipient is public): the approver
            // is the one whose fingerprint the person was told, face to face or by phone.
            (normalise_fingerprint(&hearth_store::device::fingerprint(&key)) == expected)
                .then_some(key)
        })
        .map_err(|error| match error {
            BundleError::UnknownDevice(_) => BundleError::WrongApprover,
            other => other,
        })?;
        let body = parse_body(&contents.body)?;
        if !body.roster.iter().any(|d| d.device == me.device) {
            return Err(BundleError::Malformed("the enrollment does not list this laptop").into());
        }
        let transaction = self.database().unchecked_transaction()?;
        transaction.execute(
            "UPDATE organisation SET name = ?1 WHERE id = 1",
            [&body.organisation],
        )?;
        let summary = import_in(
            &transaction,
            self.account(),
            &contents.manifest.origin_device,
            &contents.manifest.bundle_id,
            body,
            true,
        )?;
        transaction.commit()?;
        Ok(summary)
    }

    /// Revokes a device (a lost laptop): its bundles are refused from now on, here and, once
    /// this laptop's next bundle arrives, everywhere.
    pub fn revoke_device(&self, device: &str) -> Result<(), SyncError> {
        self.require(Operation::ManageDevices)?;
        let transaction = self.database().unchecked_transaction()?;
        let me = roster::ensure_self(&transaction)?;
        if me.device == device.trim().to_lowercase() {
            return Err(BundleError::Malformed("a laptop cannot revoke itself").into());
        }
        if !roster::revoke(&transaction, &device.trim().to_lowercase())? {
            return Err(BundleError::UnknownDevice(device.to_owned()).into());
        }
        audit::append(
            &transaction,
            &NewEntry::ok(self.account(), Action::ChangeSettings).with_fields(vec![format!(
                "device.revoke.{}",
                device.trim().to_lowercase()
            )]),
        )?;
        transaction.commit()?;
        Ok(())
    }

    /// Sets the coordinating office's age recipient: every bundle is encrypted to it too.
    pub fn set_office(&self, recipient: &str) -> Result<(), SyncError> {
        self.require(Operation::ManageDevices)?;
        let recipient: age::x25519::Recipient = recipient
            .trim()
            .parse()
            .map_err(|_| BundleError::Malformed("an age recipient (age1...)"))?;
        let transaction = self.database().unchecked_transaction()?;
        set_setting(&transaction, "office_recipient", &recipient.to_string())?;
        audit::append(
            &transaction,
            &NewEntry::ok(self.account(), Action::ChangeSettings)
                .with_fields(vec!["office_recipient".into()]),
        )?;
        transaction.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{self, KdfChoice, NewVault, Role};
    use crate::crypto::{KdfParams, Passphrase};
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    /// The consent filter gives the same bundle whether it looks cases up one by one (small
    /// exports) or reads them all first (large ones).
    #[test]
    fn looking_cases_up_one_by_one_or_all_at_once_filters_alike() {
        let folder = tempfile::tempdir().unwrap();
        let passphrase = || Passphrase::new("violet kettle orbit pasture".into());
        let (mut admin, _) = access::create_vault(
            folder.path(),
            NewVault {
                organisation: "Harbour Network",
                site: "Tirana",
                admin_name: "Admin",
                admin_passphrase: &passphrase(),
                kdf: KdfChoice::Fixed(KdfParams::FLOOR),
            },
        )
        .unwrap();
        admin
            .add_account("Sofija", Role::Supervisor, &passphrase())
            .unwrap();
        let mut supervisor = access::unlock(folder.path(), "Sofija", &passphrase()).unwrap();
        let decisions: [&[(&str, &str)]; 5] = [
            &[("2026-01-01", "Given")],
            &[("2026-01-01", "Refused")],
            &[],
            &[("2026-01-01", "Refused"), ("2026-02-01", "Given")],
            &[("2026-01-01", "Given"), ("2026-02-01", "Withdrawn")],
        ];
        for (i, decided) in decisions.iter().enumerate() {
            let case = supervisor
                .create_case(&object(json!({
                    "given_name": format!("Person {i}"),
                    "trafficking_status": "PossibleVictimOfTrafficking",
                    "date_identified": "2026-01-01",
                })))
                .unwrap();
            let id = RecordId::parse(&case.id).unwrap();
            for (date, decision) in *decided {
                supervisor
                    .add_record(
                        RecordKind::Consent,
                        id,
                        &object(json!({"purpose": "SharingWithinOrganisation",
                            "decision": decision, "date": date, "method": "Signed"})),
                    )
                    .unwrap();
            }
            supervisor
                .add_record(RecordKind::Note, id, &object(json!({"text": "private"})))
                .unwrap();
        }
        let connection = supervisor.database();
        let device = hearth_store::device::this_device(connection).unwrap();
        let all = change_log::changes_after(connection, device, 0).unwrap();
        let filter_all = |filter: &ConsentFilter| -> Vec<(Change, Option<[u8; 16]>)> {
            all.iter()
                .map(|c| filter.filter(c.clone()).unwrap())
                .collect()
        };
        let lazily = filter_all(&ConsentFilter::new(connection));
        let mut preloaded = ConsentFilter::new(connection);
        preloaded.preload().unwrap();
        assert_eq!(lazily, filter_all(&preloaded));
        // Cases 1, 2 and 4 (refused, never asked, withdrawn) leave without names or notes.
        let withheld: BTreeSet<[u8; 16]> = lazily.iter().filter_map(|(_, case)| *case).collect();
        assert_eq!(withheld.len(), 3);
        // Only the two consenting cases' notes leave with their text.
        let notes_with_text = lazily
            .iter()
            .filter(|(c, _)| c.entity_kind == "note" && c.fields.contains_key("text"))
            .count();
        assert_eq!(notes_with_text, 2);
    }
}
