//! Where sync stands on this laptop: each device of the roster and the bundles exchanged with it.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::import::ClockSkew;
use crate::roster::{self, RosterDevice};
use crate::settings::{setting, OFFICE_RECIPIENT};
use crate::SyncError;

/// Bundles exchanged with one device of the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "DeviceSync.ts"))]
pub struct DeviceSync {
    /// The device.
    pub device: RosterDevice,
    /// Whether it is this laptop.
    pub is_this_laptop: bool,
    /// Its signing key's fingerprint, as `hearth device show` prints it on that laptop: what the
    /// office compares the keys `scripts/verify-changes.py` checked a bundle with against.
    pub fingerprint: String,
    /// When the last bundle made by it was imported here (ms since the Unix epoch).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_in_ms: Option<i64>,
    /// How many of its bundles were imported here.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bundles_in: u64,
    /// When a bundle was last exported for it alone (`--to`), if ever.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_out_ms: Option<i64>,
    /// Its clock, if it read wrong when it wrote its last bundle that arrived here.
    pub clock: Option<ClockSkew>,
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
    /// The coordinating office's age recipient, when one is set (every bundle is then encrypted
    /// to it too).
    pub office: Option<OfficeRecipient>,
}

/// The coordinating office's age recipient and its fingerprint, which the office reads out to
/// whoever sets it (it computes it with standard tools: `printf %s age1... | sha256sum`, the
/// first 20 hex digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "OfficeRecipient.ts")
)]
pub struct OfficeRecipient {
    /// The recipient, `age1...`.
    pub recipient: String,
    /// The first 80 bits of the SHA-256 of the recipient's text, in five groups of four.
    pub fingerprint: String,
}

impl OfficeRecipient {
    /// The recipient and its fingerprint.
    pub fn new(recipient: &age::x25519::Recipient) -> Self {
        let recipient = recipient.to_string();
        Self {
            fingerprint: hearth_store::device::fingerprint_of(recipient.as_bytes()),
            recipient,
        }
    }
}

/// Where sync stands: each device and the bundles exchanged with it.
pub fn status(connection: &Connection) -> Result<SyncStatus, SyncError> {
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
        let offset: Option<i64> = connection.query_row(
            "SELECT clock_offset_ms FROM devices WHERE device_id = ?1",
            [id.as_slice()],
            |row| row.get(0),
        )?;
        let fingerprint = BASE64
            .decode(&device.signing_key)
            .map(|key| hearth_store::device::fingerprint_of(&key))
            .map_err(|_| SyncError::VaultDamaged("a device's signing key"))?;
        devices.push(DeviceSync {
            is_this_laptop: device.device == me.device,
            fingerprint,
            device,
            last_in_ms,
            bundles_in: u64::try_from(bundles_in).unwrap_or(0),
            last_out_ms,
            clock: offset.and_then(ClockSkew::of),
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
        office: setting(connection, OFFICE_RECIPIENT)?
            .and_then(|text| text.parse().ok())
            .map(|recipient| OfficeRecipient::new(&recipient)),
    })
}

/// How many changes are held from each device (hex) until the changes before them arrive.
pub fn held_by_device(connection: &Connection) -> Result<Vec<(String, u64)>, SyncError> {
    let mut statement =
        connection.prepare("SELECT device, count(*) FROM held_changes GROUP BY device")?;
    let rows = statement.query_map([], |row| {
        Ok((row.get::<_, Vec<u8>>(0)?, row.get::<_, i64>(1)?))
    })?;
    let mut held = Vec::new();
    for row in rows {
        let (device, count) = row?;
        held.push((hex::encode(device), u64::try_from(count).unwrap_or(0)));
    }
    Ok(held)
}
