//! Changes and audit entries as they travel inside a bundle's body (JSON): one frame each in a
//! streaming bundle ([`BodyFrame`]), or together in the one body of a whole one ([`Body`]).
//! Everything read here comes from a file someone handed to Hearth: each conversion checks what
//! it reads and names what is wrong.

use std::collections::BTreeMap;

use hearth_format::bundle::BundleError;
use hearth_ids::{AccountId, DeviceId, Hlc};
use hearth_store::audit::StoredEntry;
use hearth_store::change_log::chain::ChainProof;
use hearth_store::change_log::{Change, ChangeRef};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::roster::RosterDevice;

/// A change as it travels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct WireChange {
    pub(crate) device: String,
    pub(crate) seq: u64,
    pub(crate) hlc_ms: u64,
    pub(crate) hlc_counter: u32,
    pub(crate) account: String,
    pub(crate) entity_kind: String,
    pub(crate) entity_id: String,
    pub(crate) fields: Map<String, Value>,
    /// Per field, `device-hex:seq` of the edits this one replaced knowingly.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) replaces: BTreeMap<String, Vec<String>>,
    /// Fields this copy leaves out (consent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) withheld: Vec<String>,
    /// What its chain hash is computed from (format 2; none for an edit made before chaining).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) proof: Option<ChainProof>,
}

impl WireChange {
    pub(crate) fn from_change(change: Change) -> WireChange {
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
            proof: change.proof,
        }
    }

    pub(crate) fn into_change(self) -> Result<Change, BundleError> {
        let hex = |text: &str| hearth_ids::parse_hex16(text).ok_or(BundleError::Malformed("an id"));
        if self.seq == 0 {
            return Err(BundleError::Malformed("a change is numbered 0"));
        }
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
            proof: self.proof,
            chain: None,
        })
    }
}

/// An audit entry as it travels: every stored column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct WireAudit {
    pub(crate) device: String,
    pub(crate) seq: u64,
    pub(crate) hlc_ms: i64,
    pub(crate) hlc_counter: i64,
    pub(crate) wall_ms: i64,
    pub(crate) account: Option<String>,
    pub(crate) role: Option<String>,
    pub(crate) action: String,
    pub(crate) target_kind: Option<String>,
    pub(crate) target_id: Option<String>,
    pub(crate) fields: String,
    pub(crate) outcome: String,
    pub(crate) reason: Option<String>,
    pub(crate) prev_hash: String,
    pub(crate) hash: String,
}

impl WireAudit {
    pub(crate) fn from_stored(device: &[u8], entry: &StoredEntry) -> WireAudit {
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

    pub(crate) fn to_stored(&self) -> Result<(Vec<u8>, StoredEntry), BundleError> {
        let bytes = |text: &str, length: usize| -> Result<Vec<u8>, BundleError> {
            hex::decode(text)
                .ok()
                .filter(|bytes| bytes.len() == length)
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
pub(crate) struct Body {
    pub(crate) organisation: String,
    pub(crate) office_recipient: Option<String>,
    pub(crate) roster: Vec<RosterDevice>,
    pub(crate) changes: Vec<WireChange>,
    pub(crate) audit: Vec<WireAudit>,
    /// Format 2: per device whose chained changes the body carries, the head of its chain at the
    /// last of them, signed by that device (a `hearth.changes/` note).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) heads: Vec<String>,
}

pub(crate) fn parse_body(bytes: &[u8]) -> Result<Body, BundleError> {
    serde_json::from_slice(bytes).map_err(|_| BundleError::Malformed("the body is not valid"))
}

impl Body {
    /// The body as the frames a streaming bundle carries, in the order an import takes them.
    pub(crate) fn into_frames(self) -> impl Iterator<Item = BodyFrame> {
        let head = [
            BodyFrame::Organisation(Organisation {
                name: self.organisation,
                office_recipient: self.office_recipient,
            }),
            BodyFrame::Roster(Roster {
                devices: self.roster,
            }),
        ];
        head.into_iter()
            .chain(
                self.heads
                    .into_iter()
                    .map(|note| BodyFrame::Head(Head { note })),
            )
            .chain(self.changes.into_iter().map(BodyFrame::Change))
            .chain(self.audit.into_iter().map(BodyFrame::Audit))
    }
}

/// The organisation a bundle comes from, and the office it is also encrypted to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Organisation {
    pub(crate) name: String,
    pub(crate) office_recipient: Option<String>,
}

/// The sender's roster: every device of the organisation, with its approval or revocation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Roster {
    pub(crate) devices: Vec<RosterDevice>,
}

/// The signed head of a device's change chain at the last of its changes the bundle carries
/// (a `hearth.changes/` note); it comes before them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Head {
    pub(crate) note: String,
}

/// One frame of a streaming bundle's body. In a bundle, in this order: the organisation, the
/// roster, each device's head and then its changes (in order, a device's together), the audit
/// entries.
#[derive(Debug, Clone)]
pub(crate) enum BodyFrame {
    Organisation(Organisation),
    Roster(Roster),
    Head(Head),
    Change(WireChange),
    Audit(WireAudit),
}

/// A frame as written: `{"frame":"<kind>", …its fields}`, the kind first so that a reader can
/// tell frames apart from their first bytes.
#[derive(Serialize)]
struct Tagged<'a, T> {
    frame: &'static str,
    #[serde(flatten)]
    record: &'a T,
}

impl BodyFrame {
    /// Writes the frame into `writer`.
    pub(crate) fn write<W: std::io::Write>(
        &self,
        writer: &mut hearth_format::bundle::BundleWriter<W>,
    ) -> Result<(), BundleError> {
        fn tagged<W: std::io::Write, T: Serialize>(
            writer: &mut hearth_format::bundle::BundleWriter<W>,
            frame: &'static str,
            record: &T,
        ) -> Result<(), BundleError> {
            writer.frame(&Tagged { frame, record })
        }
        match self {
            BodyFrame::Organisation(record) => tagged(writer, "organisation", record),
            BodyFrame::Roster(record) => tagged(writer, "roster", record),
            BodyFrame::Head(record) => tagged(writer, "head", record),
            BodyFrame::Change(record) => tagged(writer, "change", record),
            BodyFrame::Audit(record) => tagged(writer, "audit", record),
        }
    }

    /// Reads a frame as [`BodyFrame::write`] wrote it.
    pub(crate) fn parse(bytes: &[u8]) -> Result<BodyFrame, BundleError> {
        fn record<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, BundleError> {
            serde_json::from_slice(bytes)
                .map_err(|_| BundleError::Malformed("a frame is not valid"))
        }
        let kind = bytes
            .strip_prefix(b"{\"frame\":\"")
            .and_then(|rest| rest.split(|byte| *byte == b'"').next())
            .ok_or(BundleError::Malformed("a frame does not say what it is"))?;
        Ok(match kind {
            b"organisation" => BodyFrame::Organisation(record(bytes)?),
            b"roster" => BodyFrame::Roster(record(bytes)?),
            b"head" => BodyFrame::Head(record(bytes)?),
            b"change" => BodyFrame::Change(record(bytes)?),
            b"audit" => BodyFrame::Audit(record(bytes)?),
            _ => {
                return Err(BundleError::Malformed(
                    "a frame is of a kind this Hearth does not know",
                ))
            }
        })
    }
}
