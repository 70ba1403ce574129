//! Changes and audit entries as they travel inside a bundle's body (JSON), and the body itself.
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
