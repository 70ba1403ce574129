//! The organisation's roster: its devices, their public keys, and whether they are members.
//!
//! Each entry is a signed record. An approval is signed by the approving device (the
//! organisation's first device signs its own); a revocation by the revoking device. Rosters
//! travel in bundles and merge by these rules:
//! - a new device is accepted when its approval verifies under the key of a device that is an
//!   active member here (its approver may arrive in the same roster); a first device (no approver)
//!   only when this laptop enrolls, from the roster of the approver it was told the fingerprint of;
//! - a revocation is accepted when a member active here signed it, and it is final;
//! - a known device's keys never change;
//! - a record whose signature does not verify refuses the whole bundle (someone forged it);
//!   one whose signer is unknown here, or revoked, is left out until a member vouches for it.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, VerifyingKey};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use hearth_format::bundle::BundleError;

use crate::SyncError;
use hearth_ids::DeviceId;

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
    /// The approver's Ed25519 signature (base64) over [`RosterDevice::approval_text`].
    #[serde(default)]
    pub approval: Option<String>,
    /// The device that revoked it (hex), if revoked.
    #[serde(default)]
    pub revoked_by: Option<String>,
    /// The revoker's signature (base64) over [`revocation_text`].
    #[serde(default)]
    pub revocation: Option<String>,
    /// The highest change number of this device that its revoker held when revoking it: its
    /// changes up to it are kept, later ones dropped. None for a v1 revocation (no point named).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub revoked_through: Option<u64>,
}

impl RosterDevice {
    /// Its signing key, if what the record carries is one.
    pub(crate) fn verifying_key(&self) -> Option<VerifyingKey> {
        BASE64
            .decode(&self.signing_key)
            .ok()
            .and_then(|key| <[u8; 32]>::try_from(key).ok())
            .and_then(|key| VerifyingKey::from_bytes(&key).ok())
    }

    /// What an approval signs: who the device is, its keys, and who approved it.
    pub fn approval_text(&self) -> String {
        format!(
            "hearth-approval/v1\n{}\n{}\n{}\n{}\n{}\n{}\n",
            self.device,
            self.name,
            self.site,
            self.signing_key,
            self.age_recipient,
            self.approved_by.as_deref().unwrap_or("first device")
        )
    }
}

/// What a revocation signs: the device, and (from v2) the point after which its changes are
/// dropped. v1 revocations, which name no point, are still read.
pub fn revocation_text(device: &str, through: Option<u64>) -> String {
    match through {
        None => format!("hearth-revocation/v1\n{device}\n"),
        Some(through) => format!("hearth-revocation/v2\n{device}\n{through}\n"),
    }
}

fn sign(connection: &Connection, text: &str) -> Result<String, SyncError> {
    let key = hearth_store::device::signing_key(connection)?;
    Ok(BASE64.encode(key.sign(text.as_bytes()).to_bytes()))
}

/// Whether `signature` (base64) is `signer`'s over `text`: `None` if it is not even a signature.
pub(crate) fn verifies(signer: &RosterDevice, text: &str, signature: Option<&str>) -> Option<bool> {
    let key = signer.verifying_key()?;
    let signature = BASE64
        .decode(signature?)
        .ok()
        .and_then(|s| Signature::from_slice(&s).ok())?;
    Some(key.verify_strict(text.as_bytes(), &signature).is_ok())
}

/// Signs `device`'s approval by this laptop (which must be `device.approved_by`, or `device`
/// itself for the organisation's first device).
pub(crate) fn approved(
    connection: &Connection,
    device: RosterDevice,
) -> Result<RosterDevice, SyncError> {
    let approval = sign(connection, &device.approval_text())?;
    Ok(RosterDevice {
        approval: Some(approval),
        ..device
    })
}

/// Adds this vault's own device to the roster if it is not there (a vault made before sync, or a
/// new one).
pub(crate) fn ensure_self(connection: &Connection) -> Result<RosterDevice, SyncError> {
    let identity = hearth_store::device::identity(connection)?;
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
        approval: None,
        revoked_by: None,
        revocation: None,
        revoked_through: None,
    };
    match load(connection, &me.device)? {
        Some(known) => Ok(known),
        None => {
            // Until an enrollment brings an approval by a member, a laptop vouches for itself.
            let me = approved(connection, me)?;
            insert(connection, &me)?;
            Ok(me)
        }
    }
}

pub(crate) fn insert(connection: &Connection, device: &RosterDevice) -> Result<(), SyncError> {
    let id =
        hearth_ids::parse_hex16(&device.device).ok_or(BundleError::Malformed("a device id"))?;
    let key = BASE64
        .decode(&device.signing_key)
        .ok()
        .filter(|key| key.len() == 32)
        .ok_or(BundleError::Malformed("a device's signing key"))?;
    if !device.age_recipient.starts_with("age1") {
        return Err(BundleError::Malformed("a device's age recipient").into());
    }
    let hex = |text: &Option<String>| {
        text.as_deref()
            .and_then(hearth_ids::parse_hex16)
            .map(|bytes| bytes.to_vec())
    };
    let signature = |text: &Option<String>| text.as_deref().and_then(|s| BASE64.decode(s).ok());
    connection.execute(
        "INSERT INTO devices (device_id, name, site, signing_key, age_recipient, status,
                              approved_by, changed_ms, approval, revoked_by, revocation,
                              revoked_through)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id.as_slice(),
            device.name,
            device.site,
            key,
            device.age_recipient,
            device.status.as_str(),
            hex(&device.approved_by),
            hearth_ids::now_unix_ms(),
            signature(&device.approval),
            hex(&device.revoked_by),
            signature(&device.revocation),
            device.revoked_through.map(to_sql),
        ],
    )?;
    Ok(())
}

fn to_sql(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RosterDevice> {
    let approved_by: Option<Vec<u8>> = row.get(6)?;
    let status: String = row.get(5)?;
    let approval: Option<Vec<u8>> = row.get(7)?;
    let revoked_by: Option<Vec<u8>> = row.get(8)?;
    let revocation: Option<Vec<u8>> = row.get(9)?;
    let revoked_through: Option<i64> = row.get(10)?;
    Ok(RosterDevice {
        device: hex::encode(&row.get::<_, Vec<u8>>(0)?),
        name: row.get(1)?,
        site: row.get(2)?,
        signing_key: BASE64.encode(row.get::<_, Vec<u8>>(3)?),
        age_recipient: row.get(4)?,
        status: if status == "revoked" {
            DeviceStatus::Revoked
        } else {
            DeviceStatus::Active
        },
        approved_by: approved_by.map(|bytes| hex::encode(&bytes)),
        approval: approval.map(|bytes| BASE64.encode(bytes)),
        revoked_by: revoked_by.map(|bytes| hex::encode(&bytes)),
        revocation: revocation.map(|bytes| BASE64.encode(bytes)),
        revoked_through: revoked_through.and_then(|seq| u64::try_from(seq).ok()),
    })
}

const COLUMNS: &str = "device_id, name, site, signing_key, age_recipient, status, approved_by, \
                       approval, revoked_by, revocation, revoked_through";

/// One device of the roster.
pub(crate) fn load(
    connection: &Connection,
    device: &str,
) -> Result<Option<RosterDevice>, SyncError> {
    let Some(id) = hearth_ids::parse_hex16(device) else {
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

/// Whether an incoming approval can be accepted here.
enum Vouched {
    /// Its approver is an active member here and signed it.
    Yes,
    /// Its approver is unknown here, revoked, or it is a first device outside enrollment.
    NotHere,
}

fn check_approval(
    connection: &Connection,
    device: &RosterDevice,
    enrolling: bool,
) -> Result<Vouched, SyncError> {
    let forged = || BundleError::Malformed("a roster record's signature does not verify");
    let approver = match &device.approved_by {
        None if enrolling => device.clone(),
        None => return Ok(Vouched::NotHere),
        Some(approver) => match load(connection, approver)? {
            Some(known) if known.status == DeviceStatus::Active => known,
            _ => return Ok(Vouched::NotHere),
        },
    };
    match verifies(
        &approver,
        &device.approval_text(),
        device.approval.as_deref(),
    ) {
        Some(true) => Ok(Vouched::Yes),
        _ => Err(forged().into()),
    }
}

/// Merges a roster that arrived in a bundle, by the rules in this module's documentation.
/// `enrolling`: the roster comes from the approver this laptop was told the fingerprint of, so
/// the organisation's first device in it is accepted.
///
/// Returns the revocations that took effect here and name a point: the caller drops the revoked
/// device's changes after it.
pub(crate) fn merge(
    connection: &Connection,
    incoming: &[RosterDevice],
    enrolling: bool,
) -> Result<Vec<(DeviceId, u64)>, SyncError> {
    let mut revoked_through = Vec::new();
    let me = hex::encode(hearth_store::device::this_device(connection)?.0);
    // Approvals, until no more can be verified: an approver may come later in the same roster.
    let mut pending: Vec<&RosterDevice> = Vec::new();
    for device in incoming {
        match load(connection, &device.device)? {
            Some(known) => {
                if known.signing_key != device.signing_key
                    || known.age_recipient != device.age_recipient
                {
                    return Err(BundleError::Malformed(
                        "the roster gives a known device other keys",
                    )
                    .into());
                }
            }
            None => pending.push(device),
        }
    }
    loop {
        let mut waiting = Vec::new();
        for device in &pending {
            match check_approval(connection, device, enrolling)? {
                Vouched::Yes => insert(
                    connection,
                    &RosterDevice {
                        status: DeviceStatus::Active,
                        revoked_by: None,
                        revocation: None,
                        revoked_through: None,
                        ..(*device).clone()
                    },
                )?,
                Vouched::NotHere => waiting.push(*device),
            }
        }
        if waiting.len() == pending.len() {
            break;
        }
        pending = waiting;
    }
    // A laptop that vouched for itself until it joined takes its approver's word.
    for device in incoming {
        let known = load(connection, &device.device)?;
        if known.is_some_and(|k| k.approved_by.is_none()) && device.approved_by.is_some() {
            if let Vouched::Yes = check_approval(connection, device, enrolling)? {
                set_approval(connection, device)?;
            }
        }
    }
    // A revoker must be a member here; judged as things stood before this roster's revocations,
    // so that their order in the roster (one revoking another's revoker) changes nothing.
    let members_before: std::collections::HashSet<String> = all(connection)?
        .into_iter()
        .filter(|d| d.status == DeviceStatus::Active)
        .map(|d| d.device)
        .collect();
    for device in incoming {
        if device.status != DeviceStatus::Revoked {
            continue;
        }
        let Some(known) = load(connection, &device.device)? else {
            continue;
        };
        let revoker = match device.revoked_by.as_deref() {
            Some(revoker) => load(connection, revoker)?,
            None => None,
        };
        let Some(revoker) = revoker.filter(|r| members_before.contains(&r.device)) else {
            continue;
        };
        let through = device.revoked_through;
        match verifies(
            &revoker,
            &revocation_text(&device.device, through),
            device.revocation.as_deref(),
        ) {
            Some(true) => {}
            _ => {
                return Err(
                    BundleError::Malformed("a roster record's signature does not verify").into(),
                )
            }
        }
        if device.device == me {
            // Only a person at this laptop's keyboard ends its membership.
            return Err(BundleError::Malformed("the roster revokes this laptop").into());
        }
        // Two members may revoke one device, each naming the point it had reached. Every laptop
        // keeps the highest point it hears of (a point beats none), so all end with the same one:
        // every change up to it was taken by a member while the device was one, and a revoker
        // that had seen little of the device does not erase what others had.
        let takes_effect = match (known.status, known.revoked_through, through) {
            (DeviceStatus::Active, _, _) => true,
            (DeviceStatus::Revoked, None, Some(_)) => true,
            (DeviceStatus::Revoked, Some(held), Some(new)) => new > held,
            (DeviceStatus::Revoked, _, None) => false,
        };
        if takes_effect {
            mark_revoked(
                connection,
                &device.device,
                &revoker.device,
                device.revocation.as_deref(),
                through,
            )?;
            if let (Some(through), Some(id)) = (through, hearth_ids::parse_hex16(&device.device)) {
                revoked_through.push((DeviceId(id), through));
            }
        }
    }
    Ok(revoked_through)
}

fn set_approval(connection: &Connection, device: &RosterDevice) -> Result<(), SyncError> {
    let id =
        hearth_ids::parse_hex16(&device.device).ok_or(BundleError::Malformed("a device id"))?;
    connection.execute(
        "UPDATE devices SET approved_by = ?2, approval = ?3 WHERE device_id = ?1",
        params![
            id.as_slice(),
            device
                .approved_by
                .as_deref()
                .and_then(hearth_ids::parse_hex16)
                .map(|b| b.to_vec()),
            device
                .approval
                .as_deref()
                .and_then(|s| BASE64.decode(s).ok()),
        ],
    )?;
    Ok(())
}

fn mark_revoked(
    connection: &Connection,
    device: &str,
    revoker: &str,
    revocation: Option<&str>,
    through: Option<u64>,
) -> Result<bool, SyncError> {
    let (Some(id), Some(revoker)) = (
        hearth_ids::parse_hex16(device),
        hearth_ids::parse_hex16(revoker),
    ) else {
        return Ok(false);
    };
    let changed = connection.execute(
        "UPDATE devices SET status = 'revoked', changed_ms = ?2, revoked_by = ?3, revocation = ?4,
                            revoked_through = ?5
         WHERE device_id = ?1",
        params![
            id.as_slice(),
            hearth_ids::now_unix_ms(),
            revoker.as_slice(),
            revocation.and_then(|s| BASE64.decode(s).ok()),
            through.map(to_sql),
        ],
    )?;
    Ok(changed > 0)
}

/// Revokes an active member from this laptop, signed by it (final), naming the highest of its
/// changes held here as the point after which its changes are dropped. The point, if it was an
/// active member.
pub(crate) fn revoke(connection: &Connection, device: &str) -> Result<Option<u64>, SyncError> {
    let Some(known) = load(connection, device)?.filter(|d| d.status == DeviceStatus::Active) else {
        return Ok(None);
    };
    let id = hearth_ids::parse_hex16(&known.device).ok_or(BundleError::Malformed("a device id"))?;
    let through: i64 = connection.query_row(
        "SELECT coalesce(max(seq), 0) FROM changes WHERE device = ?1",
        [id.as_slice()],
        |row| row.get(0),
    )?;
    let through = u64::try_from(through).unwrap_or(0);
    let me = hex::encode(hearth_store::device::this_device(connection)?.0);
    let revocation = sign(connection, &revocation_text(&known.device, Some(through)))?;
    mark_revoked(
        connection,
        &known.device,
        &me,
        Some(&revocation),
        Some(through),
    )?;
    Ok(Some(through))
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

/// The signing key of a device in the roster, member or revoked: what its signed heads are
/// checked with (a revoked laptop's changes up to its revocation's point are still its own).
pub(crate) fn signing_key_of(
    connection: &Connection,
    device: &DeviceId,
) -> Result<Option<VerifyingKey>, SyncError> {
    let key: Option<Vec<u8>> = connection
        .prepare_cached("SELECT signing_key FROM devices WHERE device_id = ?1")?
        .query_row([device.0.as_slice()], |row| row.get(0))
        .optional()?;
    Ok(key
        .and_then(|key| <[u8; 32]>::try_from(key).ok())
        .and_then(|key| VerifyingKey::from_bytes(&key).ok()))
}

/// How far a device's changes are taken here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// An active member: all of them.
    Member,
    /// Revoked: those up to the number its revocation names (`None`: a v1 revocation, which
    /// names none; only what is held already).
    Revoked(Option<u64>),
    /// Not in the roster: none.
    Unknown,
}

/// Where `device` stands in this laptop's roster.
pub(crate) fn standing(connection: &Connection, device: &DeviceId) -> Result<Standing, SyncError> {
    let row: Option<(String, Option<i64>)> = connection
        .query_row(
            "SELECT status, revoked_through FROM devices WHERE device_id = ?1",
            [device.0.as_slice()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        None => Standing::Unknown,
        Some((status, _)) if status == "active" => Standing::Member,
        Some((_, through)) => Standing::Revoked(through.and_then(|t| u64::try_from(t).ok())),
    })
}

/// Every device of the roster, this laptop included (it is added on first use).
pub fn devices(connection: &Connection) -> Result<Vec<RosterDevice>, SyncError> {
    ensure_self(connection)?;
    all(connection)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    /// A device that signs with `key`, approved by `approver` (hex), signed by `signer`.
    fn record(
        key: &SigningKey,
        id: u8,
        approver: Option<&str>,
        signer: &SigningKey,
    ) -> RosterDevice {
        let mut device = RosterDevice {
            device: hex::encode([id; 16]),
            name: format!("Laptop {id}"),
            site: format!("Site {id}"),
            signing_key: BASE64.encode(key.verifying_key().as_bytes()),
            age_recipient: age::x25519::Identity::generate().to_public().to_string(),
            status: DeviceStatus::Active,
            approved_by: approver.map(str::to_owned),
            approval: None,
            revoked_by: None,
            revocation: None,
            revoked_through: None,
        };
        device.approval =
            Some(BASE64.encode(signer.sign(device.approval_text().as_bytes()).to_bytes()));
        device
    }

    fn revoked(mut device: RosterDevice, by: &str, signer: &SigningKey) -> RosterDevice {
        device.status = DeviceStatus::Revoked;
        device.revoked_by = Some(by.to_owned());
        device.revocation = Some(
            BASE64.encode(
                signer
                    .sign(revocation_text(&device.device, device.revoked_through).as_bytes())
                    .to_bytes(),
            ),
        );
        device
    }

    #[test]
    fn only_records_signed_by_a_member_here_are_taken() {
        let (_folder, connection, _) = crate::test_vault::vault("Tirana");
        let connection = &connection;
        let tirana = ensure_self(connection).unwrap();
        let tirana_key = hearth_store::device::signing_key(connection).unwrap();
        let stranger = SigningKey::from_bytes(&[7; 32]);
        let new_key = SigningKey::from_bytes(&[8; 32]);
        let count = || all(connection).unwrap().len();

        // Approved by Tirana, signed by Tirana: taken.
        let shkoder = record(&new_key, 1, Some(&tirana.device), &tirana_key);
        merge(connection, std::slice::from_ref(&shkoder), false).unwrap();
        assert_eq!(count(), 2);

        // Said to be approved by Tirana but signed by someone else: the bundle is refused.
        let forged = record(&new_key, 2, Some(&tirana.device), &stranger);
        assert!(merge(connection, &[forged], false).is_err());
        assert_eq!(count(), 2);

        // Approved by a device nobody here knows, or a second "first device": left out.
        let unknown_approver = hex::encode([9; 16]);
        let vouched_by_stranger = record(&new_key, 3, Some(&unknown_approver), &stranger);
        let another_root = record(&stranger, 4, None, &stranger);
        merge(connection, &[vouched_by_stranger, another_root], false).unwrap();
        assert_eq!(count(), 2);

        // A revocation signed by a stranger is left out; one forged in Tirana's name refuses
        // the bundle; Tirana's own is taken, and final.
        let by_stranger = revoked(shkoder.clone(), &unknown_approver, &stranger);
        merge(connection, &[by_stranger], false).unwrap();
        assert_eq!(
            load(connection, &shkoder.device).unwrap().unwrap().status,
            DeviceStatus::Active
        );
        let forged_revocation = revoked(shkoder.clone(), &tirana.device, &stranger);
        assert!(merge(connection, &[forged_revocation], false).is_err());
        let genuine = revoked(shkoder.clone(), &tirana.device, &tirana_key);
        merge(connection, &[genuine], false).unwrap();
        assert_eq!(
            load(connection, &shkoder.device).unwrap().unwrap().status,
            DeviceStatus::Revoked
        );
        merge(connection, std::slice::from_ref(&shkoder), false).unwrap();
        assert_eq!(
            load(connection, &shkoder.device).unwrap().unwrap().status,
            DeviceStatus::Revoked
        );

        // A device approved by the revoked laptop is no longer taken.
        let late = record(
            &SigningKey::from_bytes(&[10; 32]),
            5,
            Some(&shkoder.device),
            &new_key,
        );
        merge(connection, &[late], false).unwrap();
        assert_eq!(count(), 2);
    }

    /// Revocations naming a point (v2): the highest point heard of wins, in whichever order
    /// they come; a point beats a v1 revocation's none; a point altered after signing refuses.
    #[test]
    fn the_highest_revocation_point_is_kept_whatever_the_order() {
        let (_folder, connection, _) = crate::test_vault::vault("Tirana");
        let connection = &connection;
        let tirana = ensure_self(connection).unwrap();
        let tirana_key = hearth_store::device::signing_key(connection).unwrap();
        let shkoder = record(
            &SigningKey::from_bytes(&[8; 32]),
            1,
            Some(&tirana.device),
            &tirana_key,
        );
        merge(connection, std::slice::from_ref(&shkoder), false).unwrap();
        let at = |through: Option<u64>| {
            revoked(
                RosterDevice {
                    revoked_through: through,
                    ..shkoder.clone()
                },
                &tirana.device,
                &tirana_key,
            )
        };
        let point = || {
            load(connection, &shkoder.device)
                .unwrap()
                .unwrap()
                .revoked_through
        };
        let id = DeviceId(hearth_ids::parse_hex16(&shkoder.device).unwrap());
        assert_eq!(merge(connection, &[at(None)], false).unwrap(), []);
        assert_eq!(point(), None);
        assert_eq!(merge(connection, &[at(Some(4))], false).unwrap(), [(id, 4)]);
        assert_eq!(merge(connection, &[at(Some(9))], false).unwrap(), [(id, 9)]);
        assert_eq!(
            merge(connection, &[at(Some(6)), at(None)], false).unwrap(),
            []
        );
        assert_eq!(point(), Some(9));
        let mut altered = at(Some(12));
        altered.revoked_through = Some(13);
        assert!(merge(connection, &[altered], false).is_err());
        assert_eq!(point(), Some(9));
    }
}
