//! The key-slot file: the vault's data key, reachable once per account passphrase and once for the
//! recovery key. It is read before the database can be opened, so it must say nothing about the
//! organisation or its people.
//!
//! ```text
//! file     = "HEARTHKS" version:u8 lookup_key:[16] count:u16 slot*count    (big-endian integers)
//! slot v1  = header nonce:[24] wrapped_data_key:[48]
//! slot v2  = header nonce:[24] wrapped_identity:[48] sealed_len:u16 sealed_data_key:[sealed_len]
//! slot v3  = header sealed_len:u16 sealed_profile:[sealed_len]                (the duress slot)
//! header   = slot_version:u8 kind:u8 account:[16] name_tag:u8
//!            memory_kib:u32 iterations:u32 parallelism:u32 salt:[16]
//! ```
//!
//! File version 1 holds only version-1 slots; version 2 (written since the data key can be
//! changed) holds slots of either version, each telling its own length by its first byte; version
//! 3 is version 2 with a duress slot, and is written only while the vault has one.
//!
//! The duress slot (kind 4, slot version 3, at most one) holds no data key. Argon2id of the duress
//! passphrase gives the key that seals (XChaCha20-Poly1305, the header as associated data) the
//! little the empty vault that replaces this one must show: the organisation's and site's names.
//! That it opens is how unlock knows the duress passphrase was typed. Someone holding this file can
//! see that a duress passphrase is set, not what it is.
//!
//! A version-1 slot wraps the data key itself under the key Argon2id derives from the secret. A
//! version-2 slot wraps the slot's own X25519 identity instead, and carries the data key encrypted
//! to that identity's recipient in the age format. The recipients are kept inside the encrypted
//! database: so an administrator can give every slot a new data key (`hearth vault rekey`)
//! without knowing anyone's passphrase, while the file alone still opens only with one. An age
//! file, so that `age -d -i` with the identity opens it too.
//!
//! The header is the AEAD's associated data: changing the kind, the account, the KDF parameters or
//! the salt makes the slot fail to open. Account names are not stored. To find a person's slot
//! without trying every slot (a second of Argon2 each), each slot carries one byte of a keyed hash
//! of the account name (`name_tag`). One byte is deliberate: someone holding the file who guesses a
//! staff member's name gets a match for one name in 256 anyway, so the tag confirms little, while
//! unlock tries only the slot(s) that match. A disabled account keeps a header with no key material:
//! its passphrase no longer opens anything, even from an old copy of the database and a new copy
//! of this file.

use std::fs;
use std::path::Path;

mod slot;
#[cfg(test)]
use slot::{age_identity, SlotKey};
pub use slot::{KeySlot, SealedSlot, SlotOpenError, SlotRekeyError};

use crate::files::write_file_atomically;

use hearth_ids::{AccountId, ErrorKind};
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[cfg(test)]
use hearth_crypto::unwrap_key;
use hearth_crypto::{
    self, derive_key, CryptoError, KdfParams, SecretKey, NONCE_LEN, SALT_LEN, WRAPPED_KEY_LEN,
};

const MAGIC: &[u8; 8] = b"HEARTHKS";
/// Files of version 1 hold version-1 slots only.
const FILE_VERSION_1: u8 = 1;
/// The version written: slots of either version.
const FILE_VERSION: u8 = 2;
/// The version written while the file holds a duress slot.
const FILE_VERSION_3: u8 = 3;
const SLOT_VERSION_1: u8 = 1;
const SLOT_VERSION_2: u8 = 2;
const SLOT_VERSION_3: u8 = 3;
const LOOKUP_KEY_LEN: usize = 16;
const FILE_HEADER_LEN: usize = MAGIC.len() + 1 + LOOKUP_KEY_LEN + 2;
/// Length of a slot header in bytes.
pub const SLOT_HEADER_LEN: usize = 1 + 1 + 16 + 1 + 4 + 4 + 4 + SALT_LEN;
/// Length of a whole version-1 slot in bytes (and of a disabled account's slot).
pub const SLOT_LEN: usize = SLOT_HEADER_LEN + NONCE_LEN + WRAPPED_KEY_LEN;
/// The most bytes a version-2 slot's encrypted data key may take: an age file to one X25519
/// recipient is 232 bytes; anything far longer is not one Hearth wrote.
const MAX_SEALED_LEN: usize = 1024;
/// The longest profile the duress slot seals: its sealed form (a nonce and a tag more) must fit in
/// [`MAX_SEALED_LEN`], or the file could not be read back.
pub const MAX_DURESS_PROFILE_LEN: usize = MAX_SEALED_LEN - NONCE_LEN - 16;
/// The age identity's Bech32 prefix (age's own, so that `age -i` reads what Hearth derives).
const AGE_IDENTITY_PREFIX: &str = "age-secret-key-";

/// Why a key-slot file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeySlotFileError {
    /// The bytes are not a key-slot file this version understands.
    #[error("the key-slot file is damaged or not a Hearth key-slot file ({0})")]
    Malformed(&'static str),
    /// Reading or writing the file failed.
    #[error("the key-slot file could not be {action}")]
    Io {
        /// "read" or "written".
        action: &'static str,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl KeySlotFileError {
    /// Damage to the file, a full disk, or a folder that cannot be used.
    pub fn kind(&self) -> ErrorKind {
        match self {
            KeySlotFileError::Malformed(_) => ErrorKind::KeySlotsDamaged,
            KeySlotFileError::Io { source, .. } => crate::files::io_kind(source),
        }
    }
}

/// What a slot is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotKind {
    /// Opened with an account's passphrase.
    Passphrase,
    /// Opened with the vault's recovery key.
    Recovery,
    /// A disabled account: a header without key material, so the unlock screen can say so.
    Disabled,
    /// The duress passphrase's: no key, only the profile of the empty vault that replaces this one.
    Duress,
}

impl SlotKind {
    /// Whether the slot belongs to an account (its passphrase's, or a disabled account's marker).
    fn is_an_accounts(self) -> bool {
        matches!(self, SlotKind::Passphrase | SlotKind::Disabled)
    }

    fn to_byte(self) -> u8 {
        match self {
            SlotKind::Passphrase => 1,
            SlotKind::Recovery => 2,
            SlotKind::Disabled => 3,
            SlotKind::Duress => 4,
        }
    }

    fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            1 => Some(SlotKind::Passphrase),
            2 => Some(SlotKind::Recovery),
            3 => Some(SlotKind::Disabled),
            4 => Some(SlotKind::Duress),
            _ => None,
        }
    }
}

/// The authenticated, unencrypted part of a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotHeader {
    /// What the slot is for.
    pub kind: SlotKind,
    /// The account whose passphrase opens it (all zero for the recovery slot).
    pub account: AccountId,
    /// One byte of the keyed hash of the account's name.
    pub name_tag: u8,
    /// The Argon2id parameters for this slot's secret.
    pub kdf: KdfParams,
    /// The Argon2id salt.
    pub salt: [u8; SALT_LEN],
}

impl SlotHeader {
    /// A header with fresh salt, and the key Argon2id derives from `secret` under it.
    fn fresh(
        kind: SlotKind,
        account: AccountId,
        name_tag: u8,
        kdf: KdfParams,
        secret: &[u8],
    ) -> Result<(Self, SecretKey), CryptoError> {
        let header = SlotHeader {
            kind,
            account,
            name_tag,
            kdf,
            salt: hearth_crypto::random_bytes()?,
        };
        let wrapping_key = derive_key(secret, &header.salt, &header.kdf)?;
        Ok((header, wrapping_key))
    }

    fn to_bytes(&self, slot_version: u8) -> [u8; SLOT_HEADER_LEN] {
        let mut out = [0u8; SLOT_HEADER_LEN];
        let mut writer = ByteWriter::new(&mut out);
        writer.put(&[slot_version, self.kind.to_byte()]);
        writer.put(self.account.as_bytes());
        writer.put(&[self.name_tag]);
        writer.put(&self.kdf.memory_kib.to_be_bytes());
        writer.put(&self.kdf.iterations.to_be_bytes());
        writer.put(&self.kdf.parallelism.to_be_bytes());
        writer.put(&self.salt);
        out
    }

    /// Parses a header; the slot version is its first byte, which the caller has looked at.
    fn from_reader(reader: &mut ByteReader<'_>) -> Result<(u8, Self), KeySlotFileError> {
        let version = reader.array::<1>()?[0];
        let kind = SlotKind::from_byte(reader.array::<1>()?[0])
            .ok_or(KeySlotFileError::Malformed("unknown slot kind"))?;
        let account = AccountId::from_bytes(reader.array()?);
        let name_tag = reader.array::<1>()?[0];
        let kdf = KdfParams {
            memory_kib: u32::from_be_bytes(reader.array()?),
            iterations: u32::from_be_bytes(reader.array()?),
            parallelism: u32::from_be_bytes(reader.array()?),
        };
        let salt = reader.array()?;
        Ok((
            version,
            Self {
                kind,
                account,
                name_tag,
                kdf,
                salt,
            },
        ))
    }
}

/// The whole key-slot file.
#[derive(Debug, Clone)]
pub struct KeySlotFile {
    /// The version read (so that a file writes back as it was read), or the one written.
    version: u8,
    lookup_key: [u8; LOOKUP_KEY_LEN],
    slots: Vec<KeySlot>,
}

impl KeySlotFile {
    /// An empty file with a fresh lookup key.
    pub fn new() -> Result<Self, CryptoError> {
        Ok(Self {
            version: FILE_VERSION,
            lookup_key: hearth_crypto::random_bytes()?,
            slots: Vec::new(),
        })
    }

    /// The one-byte tag for an account name (already normalised by the caller).
    pub fn name_tag(&self, normalised_name: &str) -> u8 {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.lookup_key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(normalised_name.as_bytes());
        mac.finalize().into_bytes()[0]
    }

    /// All slots, in file order.
    pub fn slots(&self) -> &[KeySlot] {
        &self.slots
    }

    /// The slots an account with this (normalised) name might own: passphrase and disabled slots
    /// whose tag matches.
    pub fn candidates_for(&self, normalised_name: &str) -> Vec<&KeySlot> {
        let tag = self.name_tag(normalised_name);
        self.slots
            .iter()
            .filter(|slot| {
                slot.header.name_tag == tag
                    && matches!(slot.header.kind, SlotKind::Passphrase | SlotKind::Disabled)
            })
            .collect()
    }

    /// The recovery slot, if the vault has one.
    pub fn recovery_slot(&self) -> Option<&KeySlot> {
        self.slots
            .iter()
            .find(|slot| slot.header.kind == SlotKind::Recovery)
    }

    /// The slot of an account (passphrase or disabled).
    pub fn slot_of(&self, account: AccountId) -> Option<&KeySlot> {
        self.slots
            .iter()
            .find(|slot| slot.header.kind.is_an_accounts() && slot.header.account == account)
    }

    /// The duress slot, if an administrator set a duress passphrase.
    pub fn duress_slot(&self) -> Option<&KeySlot> {
        self.slots
            .iter()
            .find(|slot| slot.header.kind == SlotKind::Duress)
    }

    /// Adds or replaces the duress slot; the file becomes version 3.
    pub fn put_duress_slot(&mut self, slot: KeySlot) {
        self.slots.retain(|s| s.header.kind != SlotKind::Duress);
        self.slots.push(slot);
        self.version = FILE_VERSION_3;
    }

    /// Removes the duress slot; the file is version 2 again, which Hearth before version 3 reads.
    pub fn remove_duress_slot(&mut self) {
        self.slots.retain(|s| s.header.kind != SlotKind::Duress);
        if self.version == FILE_VERSION_3 {
            self.version = FILE_VERSION;
        }
    }

    /// Replaces the account's slot, or adds it if the account has none.
    pub fn put_account_slot(&mut self, slot: KeySlot) {
        self.note_slot_version(&slot);
        let account = slot.header.account;
        match self
            .slots
            .iter_mut()
            .find(|s| s.header.kind.is_an_accounts() && s.header.account == account)
        {
            Some(existing) => *existing = slot,
            None => self.slots.push(slot),
        }
    }

    /// Adds or replaces the recovery slot.
    pub fn put_recovery_slot(&mut self, slot: KeySlot) {
        self.note_slot_version(&slot);
        self.slots.retain(|s| s.header.kind != SlotKind::Recovery);
        self.slots.push(slot);
    }

    /// A version-1 file cannot hold a version-2 slot: the file becomes version 2.
    fn note_slot_version(&mut self, slot: &KeySlot) {
        if slot.version() != SLOT_VERSION_1 && self.version == FILE_VERSION_1 {
            self.version = FILE_VERSION;
        }
    }

    /// The file's version: 1 (every slot version 1), 2, or 3 (with a duress slot).
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(FILE_HEADER_LEN + self.slots.len() * (SLOT_LEN + 234));
        out.extend_from_slice(MAGIC);
        out.push(self.version);
        out.extend_from_slice(&self.lookup_key);
        let count = u16::try_from(self.slots.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&count.to_be_bytes());
        for slot in self.slots.iter().take(usize::from(count)) {
            out.extend_from_slice(&slot.to_bytes());
        }
        out
    }

    /// Parses a whole file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeySlotFileError> {
        let mut reader = ByteReader::new(bytes);
        if &reader.array::<8>()? != MAGIC {
            return Err(KeySlotFileError::Malformed("not a key-slot file"));
        }
        let version = reader.array::<1>()?[0];
        if ![FILE_VERSION_1, FILE_VERSION, FILE_VERSION_3].contains(&version) {
            return Err(KeySlotFileError::Malformed("unknown file version"));
        }
        let lookup_key = reader.array()?;
        let count = u16::from_be_bytes(reader.array()?);
        let mut slots = Vec::with_capacity(usize::from(count));
        for _ in 0..count {
            let slot = KeySlot::from_reader(&mut reader)?;
            if version == FILE_VERSION_1 && slot.version() != SLOT_VERSION_1 {
                return Err(KeySlotFileError::Malformed("unknown slot version"));
            }
            // A duress slot only in a version-3 file, and never two: an older Hearth, which
            // would not know to try it, refuses such a file rather than unlocking past it.
            if slot.header.kind == SlotKind::Duress
                && (version != FILE_VERSION_3
                    || slots
                        .iter()
                        .any(|s: &KeySlot| s.header.kind == SlotKind::Duress))
            {
                return Err(KeySlotFileError::Malformed("unexpected duress slot"));
            }
            slots.push(slot);
        }
        if !reader.is_empty() {
            return Err(KeySlotFileError::Malformed("trailing bytes"));
        }
        Ok(Self {
            version,
            lookup_key,
            slots,
        })
    }

    /// Reads and parses the file at `path`.
    pub fn read(path: &Path) -> Result<Self, KeySlotFileError> {
        let bytes = fs::read(path).map_err(|source| KeySlotFileError::Io {
            action: "read",
            source,
        })?;
        Self::from_bytes(&bytes)
    }

    /// Writes the file so that a crash leaves either the old or the new file, never half of one.
    pub fn write_atomically(&self, path: &Path) -> Result<(), KeySlotFileError> {
        write_file_atomically(path, &self.to_bytes()).map_err(|source| KeySlotFileError::Io {
            action: "written",
            source,
        })
    }
}

struct ByteReader<'a> {
    rest: &'a [u8],
}

impl<'a> ByteReader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], KeySlotFileError> {
        if self.rest.len() < len {
            return Err(KeySlotFileError::Malformed("file is truncated"));
        }
        let (head, tail) = self.rest.split_at(len);
        self.rest = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], KeySlotFileError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

struct ByteWriter<'a> {
    out: &'a mut [u8],
    at: usize,
}

impl<'a> ByteWriter<'a> {
    fn new(out: &'a mut [u8]) -> Self {
        Self { out, at: 0 }
    }

    fn put(&mut self, bytes: &[u8]) {
        self.out[self.at..self.at + bytes.len()].copy_from_slice(bytes);
        self.at += bytes.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed_slot(secret: &[u8], data_key: &SecretKey) -> KeySlot {
        KeySlot::seal(
            SlotKind::Passphrase,
            AccountId::from_bytes([7; 16]),
            42,
            KdfParams::FLOOR,
            secret,
            data_key,
        )
        .unwrap()
        .slot
    }

    #[test]
    fn slot_opens_with_its_secret_only() {
        let data_key = SecretKey::generate().unwrap();
        let slot = sealed_slot(b"right", &data_key);
        let opened = slot.open(b"right").unwrap();
        assert_eq!(opened.expose_secret(), data_key.expose_secret());
        assert!(matches!(
            slot.open(b"wrong"),
            Err(SlotOpenError::WrongSecretOrAltered)
        ));
        assert!(matches!(
            slot.disabled_marker().open(b"right"),
            Err(SlotOpenError::NoKey)
        ));
    }

    /// The duress slot opens its profile with the duress passphrase only, gives no data key, makes
    /// the file version 3 while it is there, and survives a round trip; every byte flipped or cut
    /// is refused.
    #[test]
    fn the_duress_slot_opens_its_profile_only_and_makes_the_file_version_3() {
        let data_key = SecretKey::generate().unwrap();
        let mut file = KeySlotFile::new().unwrap();
        file.put_account_slot(sealed_slot(b"a", &data_key));
        let duress = KeySlot::seal_duress(KdfParams::FLOOR, b"duress", b"profile").unwrap();
        file.put_duress_slot(duress.clone());
        let bytes = file.to_bytes();
        assert_eq!(bytes[MAGIC.len()], FILE_VERSION_3);
        let parsed = KeySlotFile::from_bytes(&bytes).unwrap();
        let slot = parsed.duress_slot().unwrap();
        assert_eq!(slot.open_duress(b"duress").unwrap().as_slice(), b"profile");
        assert!(matches!(
            slot.open_duress(b"a"),
            Err(SlotOpenError::WrongSecretOrAltered)
        ));
        assert!(matches!(slot.open(b"duress"), Err(SlotOpenError::NoKey)));
        assert!(parsed
            .candidates_for("anyone")
            .iter()
            .all(|s| s.header.kind != SlotKind::Duress));
        // An account's slot never opens as the duress slot.
        assert!(matches!(
            parsed.slots()[0].open_duress(b"a"),
            Err(SlotOpenError::NoKey)
        ));

        let key = duress.derive_wrapping_key(b"duress").unwrap();
        let duress_bytes = duress.to_bytes();
        for at in 0..duress_bytes.len() {
            let mut flipped = duress_bytes.clone();
            flipped[at] ^= 0x01;
            if let Ok(slot) = KeySlot::from_bytes(&flipped) {
                let sealed = match &slot.key {
                    SlotKey::Profile { sealed } => sealed,
                    _ => panic!("byte {at} turned the duress slot into another kind"),
                };
                let header = slot.header.to_bytes(SLOT_VERSION_3);
                assert!(
                    hearth_crypto::open(&key, sealed, &header).is_err(),
                    "byte {at}"
                );
            }
            assert!(
                KeySlot::from_bytes(&duress_bytes[..at]).is_err(),
                "cut at {at}"
            );
        }

        let mut removed = parsed.clone();
        removed.remove_duress_slot();
        assert_eq!(removed.to_bytes()[MAGIC.len()], FILE_VERSION);
        assert!(KeySlotFile::from_bytes(&removed.to_bytes())
            .unwrap()
            .duress_slot()
            .is_none());

        // In a version-2 file, or twice, a duress slot is refused.
        let mut as_version_2 = bytes.clone();
        as_version_2[MAGIC.len()] = FILE_VERSION;
        assert!(KeySlotFile::from_bytes(&as_version_2).is_err());
        let mut twice = parsed.clone();
        twice.slots.push(duress);
        assert!(KeySlotFile::from_bytes(&twice.to_bytes()).is_err());
    }

    #[test]
    fn file_round_trips_and_rejects_truncation_and_trailing_bytes() {
        let data_key = SecretKey::generate().unwrap();
        let mut file = KeySlotFile::new().unwrap();
        file.put_account_slot(sealed_slot(b"a", &data_key));
        let bytes = file.to_bytes();
        let parsed = KeySlotFile::from_bytes(&bytes).unwrap();
        assert_eq!(parsed.slots(), file.slots());
        assert_eq!(parsed.to_bytes(), bytes);
        for cut in 0..bytes.len() {
            assert!(
                KeySlotFile::from_bytes(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(KeySlotFile::from_bytes(&longer).is_err());
    }

    /// Every bit of a slot matters: flipping any one of them either makes the slot unreadable or
    /// makes it refuse to open.
    ///
    /// `open` is `derive_wrapping_key` (a function of the secret, the salt and the parameters)
    /// then `unwrap_with`, which authenticates the whole header as associated data. So every
    /// flipped bit is tried with the original derivation's key: a changed header must fail
    /// authentication even with the very key the original slot opens with, which is the stronger
    /// claim (a KDF input that changed would change the key as well). One Argon2 run instead of
    /// one per bit of the salt and parameters. A few KDF-input bits also run the whole `open`, so
    /// the path through a fresh derivation is covered end to end.
    #[test]
    fn flipping_any_bit_of_a_slot_makes_it_fail_to_open() {
        let data_key = SecretKey::generate().unwrap();
        let original = sealed_slot(b"secret", &data_key);
        let slot_bytes = original.to_bytes();
        let original_wrapping_key = original.derive_wrapping_key(b"secret").unwrap();
        let mutated = |bit: usize| {
            let mut bytes = slot_bytes.clone();
            bytes[bit / 8] ^= 1 << (bit % 8);
            KeySlot::from_bytes(&bytes)
        };
        let opened_anyway: Vec<usize> = (0..slot_bytes.len() * 8)
            .filter(|&bit| {
                mutated(bit)
                    .map(|slot| {
                        slot.header.kind != SlotKind::Disabled
                            && slot.unwrap_with(&original_wrapping_key).is_ok()
                    })
                    .unwrap_or(false)
            })
            .collect();
        assert_eq!(
            opened_anyway,
            Vec::<usize>::new(),
            "bits that did not matter"
        );
        // End to end, with a fresh derivation: a salt bit, and the lowest bit of each parameter
        // (memory_kib, iterations, parallelism start at bytes 19, 23 and 27 of the header).
        let salt_bit = (SLOT_HEADER_LEN - 1) * 8;
        for bit in [salt_bit, 22 * 8, 26 * 8, 30 * 8] {
            let slot = mutated(bit).unwrap();
            assert!(slot.open(b"secret").is_err(), "bit {bit} opened");
        }
        assert!(original.open(b"secret").is_ok());
    }

    #[test]
    fn lowered_kdf_parameters_are_refused_before_any_work() {
        let data_key = SecretKey::generate().unwrap();
        let mut slot = sealed_slot(b"secret", &data_key);
        slot.header.kdf.iterations = 1;
        assert!(matches!(
            slot.open(b"secret"),
            Err(SlotOpenError::ParamsOutOfRange)
        ));
    }

    #[test]
    fn raised_kdf_parameters_fail_authentication() {
        let data_key = SecretKey::generate().unwrap();
        let mut slot = sealed_slot(b"secret", &data_key);
        slot.header.kdf.iterations += 1;
        assert!(matches!(
            slot.open(b"secret"),
            Err(SlotOpenError::WrongSecretOrAltered)
        ));
    }

    #[test]
    fn a_new_data_key_opens_with_the_same_secret_and_the_old_key_is_gone() {
        let old_key = SecretKey::generate().unwrap();
        let new_key = SecretKey::generate().unwrap();
        let sealed = KeySlot::seal(
            SlotKind::Passphrase,
            AccountId::from_bytes([7; 16]),
            42,
            KdfParams::FLOOR,
            b"secret",
            &old_key,
        )
        .unwrap();
        let rekeyed = sealed
            .slot
            .with_data_key(&sealed.recipient, &new_key)
            .unwrap();
        assert_eq!(rekeyed.header, sealed.slot.header);
        let opened = rekeyed.open(b"secret").unwrap();
        assert_eq!(opened.expose_secret(), new_key.expose_secret());
        assert_ne!(opened.expose_secret(), old_key.expose_secret());
        // A recipient that is not the slot's own: the slot no longer opens.
        let stranger = age::x25519::Identity::generate().to_public().to_string();
        let misdirected = sealed.slot.with_data_key(&stranger, &new_key).unwrap();
        assert!(matches!(
            misdirected.open(b"secret"),
            Err(SlotOpenError::WrongSecretOrAltered)
        ));
        assert!(matches!(
            sealed.slot.with_data_key("age1nonsense", &new_key),
            Err(SlotRekeyError::BadRecipient)
        ));
    }

    #[test]
    fn a_version_1_slot_still_opens_but_cannot_take_a_new_data_key() {
        let data_key = SecretKey::generate().unwrap();
        let old = KeySlot::seal_version_1(
            SlotKind::Passphrase,
            AccountId::from_bytes([7; 16]),
            42,
            KdfParams::FLOOR,
            b"secret",
            &data_key,
        )
        .unwrap();
        assert_eq!(old.version(), 1);
        assert_eq!(old.to_bytes().len(), SLOT_LEN);
        assert_eq!(
            old.open(b"secret").unwrap().expose_secret(),
            data_key.expose_secret()
        );
        assert!(matches!(
            old.with_data_key("age1x", &data_key),
            Err(SlotRekeyError::VersionOne)
        ));
        // A version-1 file with a version-2 slot put in it is written as version 2, and reads
        // back; a version-1 file stays version 1 until then.
        let mut file = KeySlotFile::new().unwrap();
        file.version = FILE_VERSION_1;
        file.put_account_slot(old.clone());
        assert_eq!(file.to_bytes()[8], FILE_VERSION_1);
        assert_eq!(
            KeySlotFile::from_bytes(&file.to_bytes()).unwrap().version(),
            1
        );
        file.put_recovery_slot(sealed_slot(b"recovery", &data_key));
        let bytes = file.to_bytes();
        assert_eq!(bytes[8], FILE_VERSION);
        let parsed = KeySlotFile::from_bytes(&bytes).unwrap();
        assert_eq!(parsed.slots(), file.slots());
        // A version-1 file may not hold a version-2 slot.
        let mut claimed_old = bytes.clone();
        claimed_old[8] = FILE_VERSION_1;
        assert!(matches!(
            KeySlotFile::from_bytes(&claimed_old),
            Err(KeySlotFileError::Malformed("unknown slot version"))
        ));
    }

    /// The data key of a version-2 slot is an ordinary age file: Go `age` opens it with the
    /// slot's identity, and finds the data key.
    #[test]
    fn go_age_opens_a_slots_data_key_with_its_identity() {
        let data_key = SecretKey::generate().unwrap();
        let slot = sealed_slot(b"secret", &data_key);
        let SlotKey::Identity {
            identity,
            sealed_data_key,
        } = &slot.key
        else {
            panic!("a new slot is version 2");
        };
        let wrapping_key = slot.derive_wrapping_key(b"secret").unwrap();
        let identity_secret = unwrap_key(
            &wrapping_key,
            identity,
            &slot.header.to_bytes(SLOT_VERSION_2),
        )
        .unwrap();
        let folder = tempfile::tempdir().unwrap();
        let identity_file = folder.path().join("identity.txt");
        let sealed_file = folder.path().join("data-key.age");
        use age::secrecy::ExposeSecret;
        fs::write(
            &identity_file,
            age_identity(&identity_secret)
                .unwrap()
                .to_string()
                .expose_secret(),
        )
        .unwrap();
        fs::write(&sealed_file, sealed_data_key).unwrap();
        let output = std::process::Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&identity_file)
            .arg(&sealed_file)
            .output()
            .expect("Go age is installed (make deps)");
        assert!(output.status.success(), "{output:?}");
        assert_eq!(
            output.stdout.as_slice(),
            data_key.expose_secret().as_slice()
        );
    }
}
