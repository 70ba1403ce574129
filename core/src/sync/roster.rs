//! The organisation's roster: its devices, their public keys, and whether they are members.
//! Rosters travel in bundles and merge by one rule: devices are added, a revocation is final, and
//! a known device's keys never change (a roster that says otherwise is refused).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::VerifyingKey;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{BundleError, SyncError};
use crate::change_log::DeviceId;

/// Whether a device may still send bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "DeviceStatus.ts"))]
#[serde(rename_all = "snake_case")]
pub enum DeviceStatus {
    /// A member.
    Active,
    /// Lost or retired: its bundles are refused from now on.
    Revoked,
}

impl DeviceStatus {
    fn as_str(&self) -> &'static str {
        match self {
            DeviceStatus::Active => "active",
            DeviceStatus::Revoked => "revoked",
        }
    }
}

/// A device as the roster knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "RosterDevice.ts"))]
pub struct RosterDevice {
    /// Its id (hex).
    pub device: String,
    /// A name people recognise it by (the site it serves, unless its administrator says more).
    pub name: String,
    /// The site it serves.
    pub site: String,
    /// Its Ed25519 public key (base64).
    pub signing_key: String,
    /// Its age recipient.
    pub age_recipient: String,
    /// Member or revoked.
    pub status: DeviceStatus,
    /// The device that approved it (hex); none for the organisation's first.
    pub approved_by: Option<String>,
}

/// Adds this vault's own device to the roster if it is not there (a vault made before sync, or a
/// new one).
pub(crate) fn ensure_self(connection: &Connection) -> Result<RosterDevice, SyncError> {
    let identity = super::device_identity(connection)?;
    let site: String =
        connection.query_row("SELECT site FROM organisation WHERE id = 1", [], |row| {
            row.get(0)
        })?;
    let me = RosterDevice {
        device: identity.device,
        name: site.clone(),
        site,
        signing_key: identity.signing_key,
        age_recipient: identity.age_recipient,
        status: DeviceStatus::Active,
        approved_by: None,
    };
    match load(connection, &me.device)? {
        Some(known) => Ok(known),
        None => {
            insert(connection, &me)?;
            Ok(me)
        }
    }
}

pub(crate) fn insert(connection: &Connection, device: &RosterDevice) -> Result<(), SyncError> {
    let id = crate::parse_hex16(&device.device).ok_or(BundleError::Malformed("a device id"))?;
    let key = BASE64
        .decode(&device.signing_key)
        .ok()
        .filter(|key| key.len() == 32)
        .ok_or(BundleError::Malformed("a device's signing key"))?;
    if !device.age_recipient.starts_with("age1") {
        return Err(BundleError::Malformed("a device's age recipient").into());
    }
    let approved_by = device
        .approved_by
        .as_deref()
        .and_then(crate::parse_hex16)
        .map(|bytes| bytes.to_vec());
    connection.execute(
        "INSERT INTO devices (device_id, name, site, signing_key, age_recipient, status,
                              approved_by, changed_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id.as_slice(),
            device.name,
            device.site,
            key,
            device.age_recipient,
            device.status.as_str(),
            approved_by,
            crate::access::now_unix_ms(),
        ],
    )?;
    Ok(())
}

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RosterDevice> {
    let approved_by: Option<Vec<u8>> = row.get(6)?;
    let status: String = row.get(5)?;
    Ok(RosterDevice {
        device: crate::lowercase_hex(&row.get::<_, Vec<u8>>(0)?),
        name: row.get(1)?,
        site: row.get(2)?,
        signing_key: BASE64.encode(row.get::<_, Vec<u8>>(3)?),
        age_recipient: row.get(4)?,
        status: if status == "revoked" {
            DeviceStatus::Revoked
        } else {
            DeviceStatus::Active
        },
        approved_by: approved_by.map(|bytes| crate::lowercase_hex(&bytes)),
    })
}

const COLUMNS: &str = "device_id, name, site, signing_key, age_recipient, status, approved_by";

/// One device of the roster.
pub(crate) fn load(
    connection: &Connection,
    device: &str,
) -> Result<Option<RosterDevice>, SyncError> {
    let Some(id) = crate::parse_hex16(device) else {
        return Ok(None);
    };
    Ok(connection
        .query_row(
            &format!("SELECT {COLUMNS} FROM devices WHERE device_id = ?1"),
            [id.as_slice()],
            from_row,
        )
        .optional()?)
}

/// The whole roster, by name.
pub(crate) fn all(connection: &Connection) -> Result<Vec<RosterDevice>, SyncError> {
    let mut statement = connection.prepare(&format!(
        "SELECT {COLUMNS} FROM devices ORDER BY name, device_id"
    ))?;
    let devices = statement
        .query_map([], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(devices)
}

/// Merges a roster that arrived in a bundle: new devices are added, revocations applied; a
/// known device with other keys is refused (someone is impersonating it).
pub(crate) fn merge(connection: &Connection, incoming: &[RosterDevice]) -> Result<(), SyncError> {
    let me = crate::lowercase_hex(&crate::audit::this_device(connection)?.0);
    for device in incoming {
        if device.device == me && device.status == DeviceStatus::Revoked {
            // Only a person at this laptop's keyboard ends its membership.
            return Err(BundleError::Malformed("the roster revokes this laptop").into());
        }
        match load(connection, &device.device)? {
            None => insert(connection, device)?,
            Some(known) => {
                if known.signing_key != device.signing_key
                    || known.age_recipient != device.age_recipient
                {
                    return Err(BundleError::Malformed(
                        "the roster gives a known device other keys",
                    )
                    .into());
                }
                if device.status == DeviceStatus::Revoked && known.status == DeviceStatus::Active {
                    revoke(connection, &device.device)?;
                }
            }
        }
    }
    Ok(())
}

/// Marks a device revoked (final). Whether it was active.
pub(crate) fn revoke(connection: &Connection, device: &str) -> Result<bool, SyncError> {
    let Some(id) = crate::parse_hex16(device) else {
        return Ok(false);
    };
    let changed = connection.execute(
        "UPDATE devices SET status = 'revoked', changed_ms = ?2
         WHERE device_id = ?1 AND status = 'active'",
        params![id.as_slice(), crate::access::now_unix_ms()],
    )?;
    Ok(changed > 0)
}

/// The signing key of an active member.
pub(crate) fn trusted_key(
    connection: &Connection,
    device: &DeviceId,
) -> Result<Option<VerifyingKey>, SyncError> {
    let key: Option<Vec<u8>> = connection
        .query_row(
            "SELECT signing_key FROM devices WHERE device_id = ?1 AND status = 'active'",
            [device.0.as_slice()],
            |row| row.get(0),
        )
        .optional()?;
    Ok(key
        .and_then(|key| <[u8; 32]>::try_from(key).ok())
        .and_then(|key| VerifyingKey::from_bytes(&key).ok()))
}
