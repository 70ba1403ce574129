//! This laptop's identity, in one place: its device id, its Ed25519 signing key (audit
//! checkpoints, bundles, roster records) and its age X25519 identity (bundles addressed to it).
//!
//! All three live in the `this_device` row of the encrypted database. The id is made with the
//! vault; the keys are made on first use, inside whatever transaction first needs them, so that
//! a vault from before they existed gains them without a migration of its own.

use std::str::FromStr;

use age::secrecy::ExposeSecret;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{SigningKey, VerifyingKey};
use hearth_crypto::CryptoError;
use hearth_ids::DeviceId;
use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Why this device's identity could not be read or made.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// The random generator failed while making a key.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The database failed, or holds no device row.
    #[error("this laptop's identity could not be read from the vault")]
    Database(#[from] rusqlite::Error),
}

/// Gives a new vault its random device id.
pub fn create(connection: &Connection, now_ms: i64) -> Result<DeviceId, DeviceError> {
    let device = DeviceId(hearth_crypto::random_bytes()?);
    connection.execute(
        "INSERT INTO this_device (id, device_id, created_ms) VALUES (1, ?1, ?2)",
        rusqlite::params![device.0.as_slice(), now_ms],
    )?;
    Ok(device)
}

/// This vault's device id.
pub fn this_device(connection: &Connection) -> Result<DeviceId, rusqlite::Error> {
    let bytes: Vec<u8> = connection
        .prepare_cached("SELECT device_id FROM this_device WHERE id = 1")?
        .query_row([], |row| row.get(0))?;
    <[u8; 16]>::try_from(bytes)
        .map(DeviceId)
        .map_err(|_| rusqlite::Error::IntegralValueOutOfRange(0, 16))
}

/// This device's signing key, made and stored on first use.
pub fn signing_key(connection: &Connection) -> Result<SigningKey, DeviceError> {
    let stored: Option<Vec<u8>> = connection.query_row(
        "SELECT signing_key FROM this_device WHERE id = 1",
        [],
        |row| row.get(0),
    )?;
    if let Some(seed) = stored.and_then(|bytes| <[u8; 32]>::try_from(bytes).ok()) {
        return Ok(SigningKey::from_bytes(&seed));
    }
    let seed: zeroize::Zeroizing<[u8; 32]> =
        zeroize::Zeroizing::new(hearth_crypto::random_bytes()?);
    connection.execute(
        "UPDATE this_device SET signing_key = ?1 WHERE id = 1",
        [seed.as_slice()],
    )?;
    Ok(SigningKey::from_bytes(&seed))
}

/// This device's public key, for checking its checkpoints, bundles and roster records.
pub fn verifying_key(connection: &Connection) -> Result<VerifyingKey, DeviceError> {
    Ok(signing_key(connection)?.verifying_key())
}

/// This device's age identity, made and stored on first use.
pub fn age_identity(connection: &Connection) -> Result<age::x25519::Identity, DeviceError> {
    let stored: Option<String> = connection.query_row(
        "SELECT age_identity FROM this_device WHERE id = 1",
        [],
        |row| row.get(0),
    )?;
    if let Some(identity) = stored.and_then(|text| age::x25519::Identity::from_str(&text).ok()) {
        return Ok(identity);
    }
    let identity = age::x25519::Identity::generate();
    connection.execute(
        "UPDATE this_device SET age_identity = ?1 WHERE id = 1",
        [identity.to_string().expose_secret()],
    )?;
    Ok(identity)
}

/// This device's public identity, as other members and the office know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "DeviceIdentity.ts"))]
pub struct DeviceIdentity {
    /// The device id (hex).
    pub device: String,
    /// Its Ed25519 public key (base64), which signs its bundles and audit checkpoints.
    pub signing_key: String,
    /// Its age X25519 recipient (`age1...`), to which bundles for it are encrypted.
    pub age_recipient: String,
    /// The signing key's fingerprint, read aloud to a joining laptop's administrator.
    pub fingerprint: String,
}

/// This device's public identity (its keys are made on first use).
pub fn identity(connection: &Connection) -> Result<DeviceIdentity, DeviceError> {
    let device = this_device(connection)?;
    let signing = verifying_key(connection)?;
    Ok(DeviceIdentity {
        device: device.to_hex(),
        signing_key: BASE64.encode(signing.as_bytes()),
        age_recipient: age_identity(connection)?.to_public().to_string(),
        fingerprint: fingerprint(&signing),
    })
}

/// A signing key's fingerprint as people read it aloud: the first 80 bits of its SHA-256, in
/// five groups of four hex digits.
pub fn fingerprint(key: &VerifyingKey) -> String {
    fingerprint_of(key.as_bytes())
}

/// The fingerprint of any public key, in the same form: the first 80 bits of the SHA-256 of
/// `public` (for an age recipient, of its `age1...` text).
pub fn fingerprint_of(public: &[u8]) -> String {
    let digest = Sha256::digest(public);
    let hex = hex::encode(&digest[..10]);
    hex.as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_keeps_its_keys() {
        let (_folder, connection) = crate::test_vault::empty_vault();
        let device = create(&connection, 0).unwrap();
        assert_eq!(this_device(&connection).unwrap(), device);
        let first = identity(&connection).unwrap();
        assert_eq!(identity(&connection).unwrap(), first);
        assert!(first.age_recipient.starts_with("age1"));
        assert_eq!(first.fingerprint.len(), 24);
    }
}
