//! Ids: random 128-bit names for accounts, devices and records, and their hex text form.

use std::fmt;

/// Reads 32 hex digits (either case) as 16 bytes: how every id is typed and stored in text.
pub fn parse_hex16(text: &str) -> Option<[u8; 16]> {
    let mut bytes = [0u8; 16];
    hex::decode_to_slice(text, &mut bytes).ok()?;
    Some(bytes)
}

/// A random 128-bit account id. It, not the name, is what key slots and records refer to.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId([u8; 16]);

impl AccountId {
    /// The id with these bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The id's bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Lowercase hex, as shown to people and stored in the throttle file.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// Over IPC and in JSON output an account id is its hex, as people see it.
impl serde::Serialize for AccountId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId({})", self.to_hex())
    }
}

/// A device's random 128-bit id (from `this_device`): one per vault, so one per laptop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId(pub [u8; 16]);

impl DeviceId {
    /// Lowercase hex, as bundles, the roster and the audit log show it.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Reads [`DeviceId::to_hex`]'s form (either case).
    pub fn parse(text: &str) -> Option<DeviceId> {
        parse_hex16(text).map(DeviceId)
    }
}

/// A record's 128-bit id (a case, a consent decision, a partner, ...).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordId(pub [u8; 16]);

impl RecordId {
    /// A new id: the creation time in milliseconds (48 bits, big-endian), then 80 random bits,
    /// as in a version 7 UUID. Ids made one after another sort together, so new records land at
    /// the end of the database's indexes instead of on random pages: with random ids, every
    /// field of a new case touched a different cold page, and bulk creation was ten times slower.
    /// (The time is no secret inside the vault: every change carries its clock anyway.)
    pub fn generate() -> Result<RecordId, getrandom::Error> {
        let now_ms = u64::try_from(crate::now_unix_ms()).unwrap_or(0);
        let mut id = [0u8; 16];
        getrandom::getrandom(&mut id[6..])?;
        id[..6].copy_from_slice(&now_ms.to_be_bytes()[2..]);
        Ok(RecordId(id))
    }

    /// The id with these bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> RecordId {
        RecordId(bytes)
    }

    /// Reads the 32 hex digits of an id as shown (case does not matter).
    pub fn parse(text: &str) -> Option<RecordId> {
        parse_hex16(text.trim()).map(RecordId)
    }

    /// The id's bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_goes_both_ways() {
        let bytes = [
            0x00, 0x0f, 0xa5, 0xff, 0x10, 0x01, 0x7e, 0x80, 0, 1, 2, 3, 4, 5, 6, 7,
        ];
        let hex = AccountId::from_bytes(bytes).to_hex();
        assert_eq!(&hex[..8], "000fa5ff");
        assert_eq!(parse_hex16(&hex), Some(bytes));
        assert_eq!(parse_hex16(&hex.to_uppercase()), Some(bytes));
        assert_eq!(parse_hex16(&format!("+{}", &hex[1..])), None);
        assert_eq!(parse_hex16(&hex[2..]), None);
    }

    #[test]
    fn new_ids_sort_by_creation_time_and_differ() {
        let first = RecordId::generate().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = RecordId::generate().unwrap();
        assert!(first < second);
        assert_ne!(first.0[6..], RecordId::generate().unwrap().0[6..]);
    }

    #[test]
    fn ids_read_back_as_written() {
        let id = RecordId([0xab; 16]);
        assert_eq!(RecordId::parse(&id.to_string().to_uppercase()), Some(id));
        assert_eq!(RecordId::parse("abc"), None);
        assert_eq!(RecordId::parse(&"g".repeat(32)), None);
        let device = DeviceId([0x5c; 16]);
        assert_eq!(DeviceId::parse(&device.to_hex()), Some(device));
    }
}
