//! Joining the organisation (a request, an approval, an enrollment), revoking a laptop, and
//! setting the coordinating office's recipient.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::Signer;
use hearth_format::bundle::BundleError;
pub use hearth_format::join_request::JoinRequest;
use hearth_ids::{Account, DeviceId};
use hearth_store::audit::{self, Action, NewEntry};
use rusqlite::Connection;

use crate::export::export_in;
use crate::import::{ImportSummary, Trust};
use crate::roster::{self, DeviceStatus, RosterDevice};
use crate::settings::{set_setting, OFFICE_RECIPIENT};
use crate::status::OfficeRecipient;
use crate::SyncError;

pub(crate) fn normalise_fingerprint(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// This new laptop's request to join, for an administrator of a member laptop to approve.
pub fn join_request(connection: &Connection) -> Result<JoinRequest, SyncError> {
    let me = roster::ensure_self(connection)?;
    let mut request = JoinRequest {
        hearth_join_request: 1,
        device: me.device,
        site: me.site,
        signing_key: me.signing_key,
        age_recipient: me.age_recipient,
        signature: String::new(),
    };
    let signature =
        hearth_store::device::signing_key(connection)?.sign(request.signed_text().as_bytes());
    request.signature = BASE64.encode(signature.to_bytes());
    Ok(request)
}

/// Approves a join request: the device joins the roster, and the enrollment (everything this
/// laptop holds, encrypted to the new device and, when one is set, the office) is returned.
pub fn approve(
    connection: &Connection,
    actor: &Account,
    request: &JoinRequest,
) -> Result<Vec<u8>, SyncError> {
    request.verify()?;
    let recipient: age::x25519::Recipient = request
        .age_recipient
        .parse()
        .map_err(|_| BundleError::Malformed("the join request's age recipient"))?;
    let me = roster::ensure_self(connection)?;
    match roster::load(connection, &request.device)? {
        Some(known) if known.status == DeviceStatus::Revoked => {
            return Err(BundleError::UnknownDevice(format!("{} (revoked)", known.device)).into())
        }
        Some(known)
            if known.signing_key != request.signing_key
                || known.age_recipient != request.age_recipient =>
        {
            return Err(BundleError::Malformed("a device with this id has other keys").into())
        }
        Some(_) => {}
        None => roster::insert(
            connection,
            &roster::approved(
                connection,
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
                    revoked_through: None,
                },
            )?,
        )?,
    }
    let (sealed, _) = export_in(
        connection,
        actor,
        &request.device,
        true,
        Some(&recipient),
        Vec::new(),
        &hearth_ids::Unwatched,
    )?;
    Ok(sealed)
}

/// Imports the enrollment an administrator of a member laptop made for this new laptop:
/// the organisation, its roster and everything it held. Its signer is trusted because its
/// fingerprint was given in person and the roster inside names it (the file is encrypted to this
/// laptop and the office, no other laptop); only a laptop that has not joined yet accepts one.
pub fn enroll(
    connection: &Connection,
    actor: &Account,
    sealed: impl std::io::Read,
    approver_fingerprint: &str,
) -> Result<ImportSummary, SyncError> {
    roster::ensure_self(connection)?;
    let has_changes: bool =
        connection.query_row("SELECT EXISTS (SELECT 1 FROM changes)", [], |row| {
            row.get(0)
        })?;
    if roster::all(connection)?.len() > 1 || has_changes {
        return Err(SyncError::AlreadyJoined);
    }
    let expected = normalise_fingerprint(approver_fingerprint);
    crate::import::import_trusting(
        connection,
        actor,
        sealed,
        Trust::Approver(&expected),
        &hearth_ids::Unwatched,
    )
}

/// Revokes a device (a lost laptop): its bundles are refused from now on, here and, once
/// this laptop's next bundle arrives, everywhere.
pub fn revoke(connection: &Connection, actor: &Account, device: &str) -> Result<(), SyncError> {
    let me = roster::ensure_self(connection)?;
    if me.device == device.trim().to_lowercase() {
        return Err(SyncError::RevokeSelf);
    }
    let Some(through) = roster::revoke(connection, &device.trim().to_lowercase())? else {
        return Err(SyncError::NoSuchDevice(device.trim().to_owned()));
    };
    // Changes of it held here past the point are only those waiting for a gap to fill.
    if let Some(id) = hearth_ids::parse_hex16(&device.trim().to_lowercase()) {
        crate::import::forget_revoked(connection, DeviceId(id), through)?;
    }
    audit::append(
        connection,
        &NewEntry::ok(actor, Action::ChangeSettings).with_fields(vec![format!(
            "device.revoke.{}",
            device.trim().to_lowercase()
        )]),
    )?;
    Ok(())
}

/// Sets the coordinating office's age recipient: every bundle is encrypted to it too. Returns it
/// with its fingerprint, to compare with the one the office reads out.
pub fn set_office(
    connection: &Connection,
    actor: &Account,
    recipient: &str,
) -> Result<OfficeRecipient, SyncError> {
    let recipient = parse_office_recipient(recipient)?;
    set_setting(connection, OFFICE_RECIPIENT, &recipient.to_string())?;
    audit::append(
        connection,
        &NewEntry::ok(actor, Action::ChangeSettings).with_fields(vec![OFFICE_RECIPIENT.into()]),
    )?;
    Ok(OfficeRecipient::new(&recipient))
}

/// An office recipient as a person pasted it (surrounding spaces allowed).
pub fn parse_office_recipient(text: &str) -> Result<age::x25519::Recipient, SyncError> {
    text.trim().parse().map_err(|_| SyncError::BadRecipient)
}
