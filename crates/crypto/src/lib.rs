//! hearth-crypto: secret types, key derivation (Argon2id) and key wrapping (XChaCha20-Poly1305).
//! No I/O, and nothing of Hearth's beneath it.
//!
//! Everything here that holds key material is a newtype with no `Clone`, no `Serialize`, a `Debug`
//! that prints a placeholder, and memory that is zeroed when it is dropped. Reading the secret out
//! takes a call to `expose_secret`, so that every place that does so is easy to find.
#![forbid(unsafe_code)]

use std::fmt;
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, Zeroizing};

mod recovery_key;
pub use recovery_key::{RecoveryKey, RecoveryKeyFormatError};

/// Length in bytes of every symmetric key in Hearth (the vault's data key, wrapping keys).
pub const KEY_LEN: usize = 32;
/// Length in bytes of an Argon2 salt.
pub const SALT_LEN: usize = 16;
/// Length in bytes of an XChaCha20-Poly1305 nonce.
pub const NONCE_LEN: usize = 24;
/// Length in bytes of a wrapped key: the key plus the Poly1305 tag.
pub const WRAPPED_KEY_LEN: usize = KEY_LEN + 16;

/// Errors from the cryptographic primitives.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The operating system's random number generator failed; nothing can be created safely.
    #[error("the system's random number generator is unavailable")]
    Randomness,
    /// The key derivation parameters are outside what Hearth accepts.
    #[error("key derivation parameters {0} are outside the accepted range")]
    KdfParamsOutOfRange(KdfParams),
    /// Argon2 itself refused to run (for example, it could not allocate its memory).
    #[error("key derivation failed: {0}")]
    Kdf(String),
    /// Unwrapping failed: wrong key, or the wrapped key or its header were altered.
    #[error("the key could not be unwrapped")]
    Unwrap,
}

/// Fills a fresh array with bytes from the operating system's generator.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).map_err(|_| CryptoError::Randomness)?;
    Ok(bytes)
}

/// A 256-bit symmetric key: the vault's data key, or a key derived to wrap it.
pub struct SecretKey(Box<[u8; KEY_LEN]>);

impl SecretKey {
    /// A new key from the operating system's generator.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut key = Box::new([0u8; KEY_LEN]);
        getrandom::getrandom(key.as_mut_slice()).map_err(|_| CryptoError::Randomness)?;
        Ok(Self(key))
    }

    /// A key with these bytes (the caller zeroes its copy).
    pub fn from_bytes(bytes: &[u8; KEY_LEN]) -> Self {
        Self(Box::new(*bytes))
    }

    /// The key's bytes. Every caller is a place where key material leaves this type.
    pub fn expose_secret(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// Lowercase hex of the key, in a buffer that is zeroed on drop (SQLCipher takes raw keys as hex).
    pub fn expose_secret_hex(&self) -> Zeroizing<String> {
        let mut digits = Zeroizing::new([0u8; KEY_LEN * 2]);
        // Cannot fail: the buffer is exactly twice the key's length.
        let _ = hex::encode_to_slice(self.0.as_slice(), digits.as_mut_slice());
        let mut text = Zeroizing::new(String::with_capacity(KEY_LEN * 2));
        text.extend(digits.iter().map(|&digit| char::from(digit)));
        text
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

/// A passphrase typed by a person. Held only as long as it takes to derive a key from it.
///
/// Its text is Unicode-normalised (NFC): "ë" typed as one character or as "e" and a combining
/// diaeresis, as another keyboard or input method may send it, is the same passphrase.
pub struct Passphrase {
    normalised: Zeroizing<String>,
    /// The other forms a slot sealed before passphrases were normalised may be under: as typed,
    /// and decomposed (NFD). Empty for the plain-ASCII passphrases most people type.
    earlier_forms: Vec<Zeroizing<String>>,
}

impl Passphrase {
    /// Wraps a passphrase; the `String` is taken over so that no other copy is left behind.
    pub fn new(passphrase: String) -> Self {
        use unicode_normalization::UnicodeNormalization;
        let typed = Zeroizing::new(passphrase);
        let normalised = Zeroizing::new(typed.nfc().collect::<String>());
        let decomposed = Zeroizing::new(typed.nfd().collect::<String>());
        let mut earlier_forms = Vec::new();
        for form in [typed, decomposed] {
            if *form != *normalised && !earlier_forms.contains(&form) {
                earlier_forms.push(form);
            }
        }
        Self {
            normalised,
            earlier_forms,
        }
    }

    /// The passphrase's text, normalised (NFC): what every new key slot is sealed with.
    pub fn expose_secret(&self) -> &str {
        &self.normalised
    }

    /// The forms a slot sealed by Hearth before it normalised passphrases may be under, to try
    /// only after the normalised one failed.
    pub fn earlier_forms(&self) -> impl Iterator<Item = &str> {
        self.earlier_forms.iter().map(|form| form.as_str())
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase([redacted])")
    }
}

/// Argon2id cost parameters, as stored in a key slot's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Number of passes over the memory.
    pub iterations: u32,
    /// Degree of parallelism (lanes).
    pub parallelism: u32,
}

impl fmt::Display for KdfParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "m={} MiB, t={}, p={}",
            self.memory_kib / 1024,
            self.iterations,
            self.parallelism
        )
    }
}

impl KdfParams {
    /// The least Hearth ever uses: Argon2id m = 64 MiB, t = 3, p = 4.
    pub const FLOOR: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 4,
    };

    /// The most Hearth accepts from a slot file. A tampered slot could otherwise ask for terabytes
    /// of memory or hours of work before the AEAD gets the chance to reject it.
    pub const CEILING: KdfParams = KdfParams {
        memory_kib: 1024 * 1024,
        iterations: 32,
        parallelism: 16,
    };

    /// Calibration grows memory first (the cost that hurts GPU attackers most) up to this much,
    /// then iterations: shelter laptops are often old, and an unlock must not push them into swap.
    const CALIBRATION_MEMORY_CAP_KIB: u32 = 256 * 1024;

    /// Whether these parameters lie between the floor and the ceiling.
    pub fn check(&self) -> Result<(), CryptoError> {
        let within = |value: u32, floor: u32, ceiling: u32| (floor..=ceiling).contains(&value);
        if within(
            self.memory_kib,
            Self::FLOOR.memory_kib,
            Self::CEILING.memory_kib,
        ) && within(
            self.iterations,
            Self::FLOOR.iterations,
            Self::CEILING.iterations,
        ) && within(
            self.parallelism,
            Self::FLOOR.parallelism,
            Self::CEILING.parallelism,
        ) {
            Ok(())
        } else {
            Err(CryptoError::KdfParamsOutOfRange(*self))
        }
    }

    /// Parameters for which one derivation takes about `target` on this machine, never below the
    /// floor. Measures the floor once, scales, then measures the result to correct the estimate.
    pub fn calibrate(target: Duration) -> Result<KdfParams, CryptoError> {
        let floor_cost = time_derivation(&Self::FLOOR)?;
        if floor_cost >= target {
            return Ok(Self::FLOOR);
        }
        let scale = target.as_secs_f64() / floor_cost.as_secs_f64();
        let memory_kib = (f64::from(Self::FLOOR.memory_kib) * scale)
            .min(f64::from(Self::CALIBRATION_MEMORY_CAP_KIB)) as u32;
        let memory_scale = f64::from(memory_kib) / f64::from(Self::FLOOR.memory_kib);
        let mut candidate = KdfParams {
            memory_kib,
            iterations: Self::scaled_iterations(
                f64::from(Self::FLOOR.iterations) * scale / memory_scale,
            ),
            parallelism: Self::FLOOR.parallelism,
        };
        // Memory bandwidth does not scale linearly, so correct the iterations once by measurement.
        let candidate_cost = time_derivation(&candidate)?;
        let correction = target.as_secs_f64() / candidate_cost.as_secs_f64();
        candidate.iterations =
            Self::scaled_iterations(f64::from(candidate.iterations) * correction);
        Ok(candidate)
    }

    fn scaled_iterations(estimate: f64) -> u32 {
        (estimate.round() as u32).clamp(Self::FLOOR.iterations, Self::CEILING.iterations)
    }
}

fn time_derivation(params: &KdfParams) -> Result<Duration, CryptoError> {
    let salt = random_bytes::<SALT_LEN>()?;
    let started = Instant::now();
    derive_key(b"calibration", &salt, params)?;
    Ok(started.elapsed())
}

/// Derives a wrapping key from a secret (a passphrase or a recovery key) with Argon2id.
/// Refuses parameters outside [`KdfParams::FLOOR`]..=[`KdfParams::CEILING`].
pub fn derive_key(
    secret: &[u8],
    salt: &[u8; SALT_LEN],
    params: &KdfParams,
) -> Result<SecretKey, CryptoError> {
    params.check()?;
    let argon_params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(KEY_LEN),
    )
    .map_err(|e| CryptoError::Kdf(e.to_string()))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
    let mut key = Box::new([0u8; KEY_LEN]);
    argon
        .hash_password_into(secret, salt, key.as_mut_slice())
        .map_err(|e| CryptoError::Kdf(e.to_string()))?;
    Ok(SecretKey(key))
}

/// A key wrapped (encrypted and authenticated) under another key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKey {
    /// The random XChaCha20 nonce it was sealed with.
    pub nonce: [u8; NONCE_LEN],
    /// The key's ciphertext followed by the Poly1305 tag.
    pub ciphertext: [u8; WRAPPED_KEY_LEN],
}

/// Seals `key` under `wrapping_key`, binding `associated_data` (a slot's header) to it.
pub fn wrap_key(
    wrapping_key: &SecretKey,
    key: &SecretKey,
    associated_data: &[u8],
) -> Result<WrappedKey, CryptoError> {
    let nonce = random_bytes::<NONCE_LEN>()?;
    let cipher = XChaCha20Poly1305::new(wrapping_key.expose_secret().into());
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key.expose_secret(),
                aad: associated_data,
            },
        )
        .map_err(|_| CryptoError::Unwrap)?;
    let ciphertext = sealed.try_into().map_err(|_| CryptoError::Unwrap)?;
    Ok(WrappedKey { nonce, ciphertext })
}

/// Opens a [`WrappedKey`]; fails if the key, the ciphertext or the associated data differ in any bit.
pub fn unwrap_key(
    wrapping_key: &SecretKey,
    wrapped: &WrappedKey,
    associated_data: &[u8],
) -> Result<SecretKey, CryptoError> {
    let cipher = XChaCha20Poly1305::new(wrapping_key.expose_secret().into());
    let opened = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&wrapped.nonce),
                Payload {
                    msg: &wrapped.ciphertext,
                    aad: associated_data,
                },
            )
            .map_err(|_| CryptoError::Unwrap)?,
    );
    let mut key = Box::new([0u8; KEY_LEN]);
    if opened.len() != KEY_LEN {
        return Err(CryptoError::Unwrap);
    }
    key.copy_from_slice(&opened);
    Ok(SecretKey(key))
}

/// Seals a short message (a few hundred bytes at most: it is held whole) under `key`, binding
/// `associated_data` to it: a random nonce followed by the ciphertext and its tag.
pub fn seal(
    key: &SecretKey,
    message: &[u8],
    associated_data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let nonce = random_bytes::<NONCE_LEN>()?;
    let cipher = XChaCha20Poly1305::new(key.expose_secret().into());
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: message,
                aad: associated_data,
            },
        )
        .map_err(|_| CryptoError::Unwrap)?;
    let mut sealed = Vec::with_capacity(NONCE_LEN + ciphertext.len());
    sealed.extend_from_slice(&nonce);
    sealed.extend_from_slice(&ciphertext);
    Ok(sealed)
}

/// Opens what [`seal`] made; fails if the key, any byte or the associated data differ.
pub fn open(
    key: &SecretKey,
    sealed: &[u8],
    associated_data: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if sealed.len() < NONCE_LEN {
        return Err(CryptoError::Unwrap);
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.expose_secret().into());
    cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: associated_data,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Unwrap)
}

#[cfg(test)]
mod tests {
    /// A sealed message opens only with its key and associated data, and any byte changed or
    /// cut refuses it.
    #[test]
    fn a_sealed_message_opens_only_whole_and_with_its_key() {
        let key = SecretKey::generate().unwrap();
        let sealed = seal(&key, b"Organisation", b"header").unwrap();
        assert_eq!(
            open(&key, &sealed, b"header").unwrap().as_slice(),
            b"Organisation"
        );
        let other = SecretKey::generate().unwrap();
        assert!(open(&other, &sealed, b"header").is_err());
        assert!(open(&key, &sealed, b"headers").is_err());
        for at in 0..sealed.len() {
            let mut flipped = sealed.clone();
            flipped[at] ^= 0x01;
            assert!(open(&key, &flipped, b"header").is_err(), "byte {at}");
            assert!(open(&key, &sealed[..at], b"header").is_err(), "cut at {at}");
        }
    }
    #[test]
    fn a_passphrase_is_the_same_however_its_letters_were_typed() {
        // "Dragića ëlirë" with precomposed letters (NFC) and with combining marks (NFD).
        let composed = "Dragi\u{107}a \u{eb}lir\u{eb}";
        let decomposed = "Dragic\u{301}a e\u{308}lire\u{308}";
        let from_composed = Passphrase::new(composed.to_owned());
        let from_decomposed = Passphrase::new(decomposed.to_owned());
        assert_eq!(from_composed.expose_secret(), composed);
        assert_eq!(from_decomposed.expose_secret(), composed);
        // A slot sealed before normalisation was under the text as typed.
        assert_eq!(
            from_composed.earlier_forms().collect::<Vec<_>>(),
            [decomposed]
        );
        assert_eq!(
            from_decomposed.earlier_forms().collect::<Vec<_>>(),
            [decomposed]
        );
        // Serbian Cyrillic and Arabic: one form each way.
        for text in ["\u{438}\u{306}", "\u{627}\u{653}"] {
            let passphrase = Passphrase::new(text.to_owned());
            assert_ne!(passphrase.expose_secret(), text, "{text:?} composes");
        }
        assert_eq!(
            Passphrase::new("plain words".into())
                .earlier_forms()
                .count(),
            0
        );
    }

    use super::*;

    #[test]
    fn floor_is_accepted_and_anything_below_refused() {
        assert!(KdfParams::FLOOR.check().is_ok());
        for weaker in [
            KdfParams {
                memory_kib: KdfParams::FLOOR.memory_kib - 1,
                ..KdfParams::FLOOR
            },
            KdfParams {
                iterations: 2,
                ..KdfParams::FLOOR
            },
            KdfParams {
                parallelism: 1,
                ..KdfParams::FLOOR
            },
        ] {
            assert!(matches!(
                derive_key(b"x", &[0; SALT_LEN], &weaker),
                Err(CryptoError::KdfParamsOutOfRange(_))
            ));
        }
    }

    #[test]
    fn wrap_then_unwrap_round_trips_and_binds_associated_data() {
        let wrapping = SecretKey::generate().unwrap();
        let data = SecretKey::generate().unwrap();
        let wrapped = wrap_key(&wrapping, &data, b"header").unwrap();
        let opened = unwrap_key(&wrapping, &wrapped, b"header").unwrap();
        assert_eq!(opened.expose_secret(), data.expose_secret());
        assert!(unwrap_key(&wrapping, &wrapped, b"headeR").is_err());
        let other = SecretKey::generate().unwrap();
        assert!(unwrap_key(&other, &wrapped, b"header").is_err());
    }

    #[test]
    fn derivation_depends_on_secret_and_salt() {
        let params = KdfParams::FLOOR;
        let a = derive_key(b"one", &[1; SALT_LEN], &params).unwrap();
        let b = derive_key(b"one", &[1; SALT_LEN], &params).unwrap();
        let c = derive_key(b"two", &[1; SALT_LEN], &params).unwrap();
        let d = derive_key(b"one", &[2; SALT_LEN], &params).unwrap();
        assert_eq!(a.expose_secret(), b.expose_secret());
        assert_ne!(a.expose_secret(), c.expose_secret());
        assert_ne!(a.expose_secret(), d.expose_secret());
    }

    #[test]
    fn secrets_do_not_print() {
        let key = SecretKey::generate().unwrap();
        let hex = key.expose_secret_hex();
        assert_eq!(hex.len(), 64);
        assert!(!format!("{key:?}").contains(&hex[..8]));
        let passphrase = Passphrase::new("correct horse battery staple".into());
        assert!(!format!("{passphrase:?}").contains("horse"));
    }

    #[test]
    fn calibration_never_goes_below_the_floor() {
        let tiny = KdfParams::calibrate(Duration::from_millis(1)).unwrap();
        assert_eq!(tiny, KdfParams::FLOOR);
    }
}
