//! One key slot: what it holds behind its header (the data key itself, version 1; or its own
//! X25519 identity and the data key encrypted to it in the age format, version 2; or, for the
//! duress slot, a sealed profile and no key, version 3), sealing, opening, and giving a slot a new
//! data key. The file around the slots is `super`.

use std::io::{Read, Write};
use std::str::FromStr;

use hearth_crypto::{
    derive_key, unwrap_key, wrap_key, CryptoError, KdfParams, SecretKey, WrappedKey, KEY_LEN,
    NONCE_LEN, WRAPPED_KEY_LEN,
};
use hearth_ids::AccountId;

use super::{
    ByteReader, KeySlotFileError, SlotHeader, SlotKind, AGE_IDENTITY_PREFIX, MAX_SEALED_LEN,
    SLOT_LEN, SLOT_VERSION_1, SLOT_VERSION_2, SLOT_VERSION_3,
};

/// What a slot holds behind its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum SlotKey {
    /// Version 1: the data key, wrapped under the key derived from the secret. All zero in a
    /// disabled account's slot.
    DataKey(WrappedKey),
    /// Version 2: the slot's X25519 identity, wrapped under the key derived from the secret, and
    /// the data key encrypted (age) to that identity's recipient.
    Identity {
        identity: WrappedKey,
        sealed_data_key: Vec<u8>,
    },
    /// Version 3, the duress slot: a profile sealed under the key derived from the secret.
    Profile { sealed: Vec<u8> },
}

/// One key slot: a header and, except for disabled accounts, a way to the data key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySlot {
    /// The slot's header (the AEAD's associated data).
    pub header: SlotHeader,
    pub(super) key: SlotKey,
}

/// Why a slot did not give up its key.
#[derive(Debug, thiserror::Error)]
pub enum SlotOpenError {
    /// Wrong secret, or the slot was altered.
    #[error("wrong secret or altered slot")]
    WrongSecretOrAltered,
    /// The slot's KDF parameters are out of range (lowered below the floor, or absurdly high).
    #[error("the slot's key derivation parameters were altered")]
    ParamsOutOfRange,
    /// The slot belongs to a disabled account and holds no key.
    #[error("the slot holds no key")]
    NoKey,
    /// The KDF could not run (for example, out of memory).
    #[error(transparent)]
    Crypto(CryptoError),
}

/// A new slot and the recipient its data key is encrypted to, which the caller keeps (inside
/// the encrypted database) so that the slot can be given another data key later.
#[derive(Debug)]
pub struct SealedSlot {
    /// The slot to put in the file.
    pub slot: KeySlot,
    /// Its identity's age recipient (`age1…`).
    pub recipient: String,
}

/// Why a slot could not be given a new data key.
#[derive(Debug, thiserror::Error)]
pub enum SlotRekeyError {
    /// A version-1 slot holds the data key itself: only its secret can seal another.
    #[error("the slot was made by an older Hearth and holds the data key itself")]
    VersionOne,
    /// The recipient given is not an age X25519 recipient.
    #[error("the slot's recipient is not an age X25519 recipient")]
    BadRecipient,
    /// Encryption failed.
    #[error(transparent)]
    Crypto(CryptoError),
}

impl KeySlot {
    /// Makes a version-2 slot for `data_key`: a fresh identity, wrapped under a key derived from
    /// `secret` with fresh salt and nonce, and the data key encrypted to its recipient.
    pub fn seal(
        kind: SlotKind,
        account: AccountId,
        name_tag: u8,
        kdf: KdfParams,
        secret: &[u8],
        data_key: &SecretKey,
    ) -> Result<SealedSlot, CryptoError> {
        let (header, wrapping_key) = SlotHeader::fresh(kind, account, name_tag, kdf, secret)?;
        let identity_secret = SecretKey::generate()?;
        let identity = wrap_key(
            &wrapping_key,
            &identity_secret,
            &header.to_bytes(SLOT_VERSION_2),
        )?;
        let recipient = age_identity(&identity_secret)?.to_public();
        let sealed_data_key = encrypt_data_key(&recipient, data_key)?;
        Ok(SealedSlot {
            slot: Self {
                header,
                key: SlotKey::Identity {
                    identity,
                    sealed_data_key,
                },
            },
            recipient: recipient.to_string(),
        })
    }

    /// Makes a version-1 slot, as Hearth did before the data key could change: only to write the
    /// old format's test vectors and to test that such vaults still open and are upgraded.
    #[doc(hidden)]
    pub fn seal_version_1(
        kind: SlotKind,
        account: AccountId,
        name_tag: u8,
        kdf: KdfParams,
        secret: &[u8],
        data_key: &SecretKey,
    ) -> Result<Self, CryptoError> {
        let (header, wrapping_key) = SlotHeader::fresh(kind, account, name_tag, kdf, secret)?;
        let wrapped = wrap_key(&wrapping_key, data_key, &header.to_bytes(SLOT_VERSION_1))?;
        Ok(Self {
            header,
            key: SlotKey::DataKey(wrapped),
        })
    }

    /// Makes the duress slot: `profile` (at most [`super::MAX_DURESS_PROFILE_LEN`] bytes, which
    /// the caller checks) sealed under a key derived from the duress passphrase with fresh salt.
    pub fn seal_duress(kdf: KdfParams, secret: &[u8], profile: &[u8]) -> Result<Self, CryptoError> {
        let (header, wrapping_key) = SlotHeader::fresh(
            SlotKind::Duress,
            AccountId::from_bytes([0; 16]),
            0,
            kdf,
            secret,
        )?;
        let sealed = hearth_crypto::seal(&wrapping_key, profile, &header.to_bytes(SLOT_VERSION_3))?;
        Ok(Self {
            header,
            key: SlotKey::Profile { sealed },
        })
    }

    /// Opens the duress slot's profile with `secret`: it opening is what says the duress
    /// passphrase was typed. Any other slot holds no profile.
    pub fn open_duress(&self, secret: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>, SlotOpenError> {
        let SlotKey::Profile { sealed } = &self.key else {
            return Err(SlotOpenError::NoKey);
        };
        let wrapping_key = self.derive_wrapping_key(secret)?;
        hearth_crypto::open(&wrapping_key, sealed, &self.header.to_bytes(SLOT_VERSION_3))
            .map_err(|_| SlotOpenError::WrongSecretOrAltered)
    }

    /// The slot's format version: 1 holds the data key itself, 2 an identity, 3 a profile.
    pub fn version(&self) -> u8 {
        match self.key {
            SlotKey::DataKey(_) => SLOT_VERSION_1,
            SlotKey::Identity { .. } => SLOT_VERSION_2,
            SlotKey::Profile { .. } => SLOT_VERSION_3,
        }
    }

    /// This slot with `data_key` encrypted to `recipient` in place of the one it held: what
    /// changing the data key does to every live slot. The identity and its wrapping stay, so the
    /// same secret opens it.
    pub fn with_data_key(
        &self,
        recipient: &str,
        data_key: &SecretKey,
    ) -> Result<Self, SlotRekeyError> {
        let SlotKey::Identity { identity, .. } = &self.key else {
            // Version 1 holds the data key itself; the duress slot (3) holds none to change.
            return Err(SlotRekeyError::VersionOne);
        };
        let recipient = age::x25519::Recipient::from_str(recipient)
            .map_err(|_| SlotRekeyError::BadRecipient)?;
        Ok(Self {
            header: self.header.clone(),
            key: SlotKey::Identity {
                identity: identity.clone(),
                sealed_data_key: encrypt_data_key(&recipient, data_key)
                    .map_err(SlotRekeyError::Crypto)?,
            },
        })
    }

    /// This slot with its key material removed, marking a disabled account.
    pub fn disabled_marker(&self) -> Self {
        Self {
            header: SlotHeader {
                kind: SlotKind::Disabled,
                ..self.header.clone()
            },
            key: SlotKey::DataKey(WrappedKey {
                nonce: [0; NONCE_LEN],
                ciphertext: [0; WRAPPED_KEY_LEN],
            }),
        }
    }

    /// Derives the wrapping key from `secret` and opens the data key.
    pub fn open(&self, secret: &[u8]) -> Result<SecretKey, SlotOpenError> {
        if matches!(self.header.kind, SlotKind::Disabled | SlotKind::Duress) {
            return Err(SlotOpenError::NoKey);
        }
        let wrapping_key = self.derive_wrapping_key(secret)?;
        self.unwrap_with(&wrapping_key)
    }

    /// The Argon2id step of [`KeySlot::open`]: depends only on the secret, the salt and the
    /// KDF parameters.
    pub(super) fn derive_wrapping_key(&self, secret: &[u8]) -> Result<SecretKey, SlotOpenError> {
        derive_key(secret, &self.header.salt, &self.header.kdf).map_err(|e| match e {
            CryptoError::KdfParamsOutOfRange(_) => SlotOpenError::ParamsOutOfRange,
            other => SlotOpenError::Crypto(other),
        })
    }

    /// The AEAD step of [`KeySlot::open`]: authenticates the whole header and the wrapped key,
    /// then (version 2) decrypts the data key with the identity.
    pub(super) fn unwrap_with(&self, wrapping_key: &SecretKey) -> Result<SecretKey, SlotOpenError> {
        let header = self.header.to_bytes(self.version());
        match &self.key {
            SlotKey::DataKey(wrapped) => unwrap_key(wrapping_key, wrapped, &header)
                .map_err(|_| SlotOpenError::WrongSecretOrAltered),
            SlotKey::Identity {
                identity,
                sealed_data_key,
            } => {
                let identity_secret = unwrap_key(wrapping_key, identity, &header)
                    .map_err(|_| SlotOpenError::WrongSecretOrAltered)?;
                let identity = age_identity(&identity_secret).map_err(SlotOpenError::Crypto)?;
                decrypt_data_key(&identity, sealed_data_key)
                    .ok_or(SlotOpenError::WrongSecretOrAltered)
            }
            SlotKey::Profile { .. } => Err(SlotOpenError::NoKey),
        }
    }

    /// The slot's bytes (header, nonce, wrapped key; for version 2 also the encrypted data key).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SLOT_LEN + 2 + 232);
        out.extend_from_slice(&self.header.to_bytes(self.version()));
        match &self.key {
            SlotKey::DataKey(wrapped) => {
                out.extend_from_slice(&wrapped.nonce);
                out.extend_from_slice(&wrapped.ciphertext);
            }
            SlotKey::Identity {
                identity,
                sealed_data_key,
            } => {
                out.extend_from_slice(&identity.nonce);
                out.extend_from_slice(&identity.ciphertext);
                // Never longer than MAX_SEALED_LEN: from_bytes refuses more, seal makes 232.
                let len = u16::try_from(sealed_data_key.len()).unwrap_or(u16::MAX);
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(sealed_data_key);
            }
            SlotKey::Profile { sealed } => {
                // Never longer than MAX_SEALED_LEN: from_bytes refuses more, and the profile is
                // two names.
                let len = u16::try_from(sealed.len()).unwrap_or(u16::MAX);
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(sealed);
            }
        }
        out
    }

    /// Parses one slot's bytes (exactly one slot, nothing after it).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeySlotFileError> {
        let mut reader = ByteReader::new(bytes);
        let slot = Self::from_reader(&mut reader)?;
        if !reader.is_empty() {
            return Err(KeySlotFileError::Malformed("slot has the wrong length"));
        }
        Ok(slot)
    }

    pub(super) fn from_reader(reader: &mut ByteReader<'_>) -> Result<Self, KeySlotFileError> {
        let (version, header) = SlotHeader::from_reader(reader)?;
        // The duress slot is the only one of version 3, and of its kind.
        if (version == SLOT_VERSION_3) != (header.kind == SlotKind::Duress) {
            return Err(KeySlotFileError::Malformed(
                "slot kind and version disagree",
            ));
        }
        if version == SLOT_VERSION_3 {
            let len = usize::from(u16::from_be_bytes(reader.array()?));
            if len > MAX_SEALED_LEN {
                return Err(KeySlotFileError::Malformed("slot's profile is too long"));
            }
            let sealed = reader.take(len)?.to_vec();
            return Ok(Self {
                header,
                key: SlotKey::Profile { sealed },
            });
        }
        let wrapped = WrappedKey {
            nonce: reader.array()?,
            ciphertext: reader.array()?,
        };
        let key = match version {
            SLOT_VERSION_1 => SlotKey::DataKey(wrapped),
            SLOT_VERSION_2 => {
                let len = usize::from(u16::from_be_bytes(reader.array()?));
                if len > MAX_SEALED_LEN {
                    return Err(KeySlotFileError::Malformed("slot's data key is too long"));
                }
                SlotKey::Identity {
                    identity: wrapped,
                    sealed_data_key: reader.take(len)?.to_vec(),
                }
            }
            _ => return Err(KeySlotFileError::Malformed("unknown slot version")),
        };
        Ok(Self { header, key })
    }
}

/// The age identity whose scalar is `secret` (age clamps it, as X25519 does).
pub(super) fn age_identity(secret: &SecretKey) -> Result<age::x25519::Identity, CryptoError> {
    use bech32::ToBase32;
    let text = zeroize::Zeroizing::new(
        bech32::encode(
            AGE_IDENTITY_PREFIX,
            secret.expose_secret().to_base32(),
            bech32::Variant::Bech32,
        )
        .map_err(|_| CryptoError::Unwrap)?
        .to_uppercase(),
    );
    age::x25519::Identity::from_str(&text).map_err(|_| CryptoError::Unwrap)
}

fn encrypt_data_key(
    recipient: &age::x25519::Recipient,
    data_key: &SecretKey,
) -> Result<Vec<u8>, CryptoError> {
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(recipient as &dyn age::Recipient))
            .map_err(|_| CryptoError::Unwrap)?;
    let mut out = Vec::with_capacity(232);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|_| CryptoError::Unwrap)?;
    writer
        .write_all(data_key.expose_secret())
        .and_then(|()| writer.finish().map(|_| ()))
        .map_err(|_| CryptoError::Unwrap)?;
    Ok(out)
}

fn decrypt_data_key(identity: &age::x25519::Identity, sealed: &[u8]) -> Option<SecretKey> {
    let decryptor = age::Decryptor::new_buffered(sealed).ok()?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .ok()?;
    let mut key = zeroize::Zeroizing::new([0u8; KEY_LEN]);
    reader.read_exact(key.as_mut_slice()).ok()?;
    // Exactly one key: a longer plaintext is not a file Hearth wrote.
    let mut more = [0u8; 1];
    if !matches!(reader.read(&mut more), Ok(0)) {
        return None;
    }
    Some(SecretKey::from_bytes(&key))
}
