//! The recovery key: 128 random bits, shown once when a vault is created, to be written on paper
//! and kept somewhere safe.
//!
//! It is written as eight groups of six digits. Each group carries 16 bits of the key multiplied by
//! 11, so a group that is not a multiple of 11 (or too large) was mistyped. Any single wrong digit
//! and any swap of two neighbouring digits changes the remainder mod 11, so the person is told
//! which group to look at again instead of waiting a second for a KDF to say "wrong key". Digits
//! type the same on every keyboard layout the shelters use.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use super::{random_bytes, CryptoError};

/// Number of groups in a written recovery key.
pub const GROUPS: usize = 8;
const DIGITS_PER_GROUP: usize = 6;
const CHECK_MULTIPLIER: u32 = 11;

/// Why a typed recovery key was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecoveryKeyFormatError {
    /// Not eight groups of six digits.
    #[error("a recovery key is {GROUPS} groups of {DIGITS_PER_GROUP} digits; this one has {found} groups")]
    WrongShape {
        /// How many groups were found.
        found: usize,
    },
    /// One group fails its check: a digit was mistyped.
    #[error(
        "group {group} of the recovery key is mistyped; please check it against the paper copy"
    )]
    MistypedGroup {
        /// The group's position, counting from 1 as a person would.
        group: usize,
    },
}

/// 128 random bits that open the vault's recovery slot.
pub struct RecoveryKey(Box<[u8; 16]>);

impl RecoveryKey {
    /// A new recovery key from the operating system's generator.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(Self(Box::new(random_bytes::<16>()?)))
    }

    /// The key's bytes, which are the secret given to Argon2 for the recovery slot.
    pub fn expose_secret(&self) -> &[u8; 16] {
        &self.0
    }

    /// The written form, `123456-234567-...`, in a buffer that is zeroed on drop.
    pub fn expose_secret_display(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(GROUPS * (DIGITS_PER_GROUP + 1)));
        for (index, pair) in self.0.chunks_exact(2).enumerate() {
            if index > 0 {
                out.push('-');
            }
            let value = u32::from(u16::from_be_bytes([pair[0], pair[1]])) * CHECK_MULTIPLIER;
            let mut group = Zeroizing::new(format!("{value:06}"));
            out.push_str(&group);
            group.zeroize();
        }
        out
    }

    /// Reads a recovery key as a person typed it: groups separated by dashes or spaces.
    pub fn parse(typed: &str) -> Result<Self, RecoveryKeyFormatError> {
        let groups: Vec<&str> = typed
            .split(|c: char| c == '-' || c.is_whitespace())
            .filter(|group| !group.is_empty())
            .collect();
        if groups.len() != GROUPS {
            return Err(RecoveryKeyFormatError::WrongShape {
                found: groups.len(),
            });
        }
        let mut key = Box::new([0u8; 16]);
        for (index, group) in groups.iter().enumerate() {
            let mistyped = RecoveryKeyFormatError::MistypedGroup { group: index + 1 };
            if group.len() != DIGITS_PER_GROUP || !group.bytes().all(|b| b.is_ascii_digit()) {
                return Err(mistyped);
            }
            let value: u32 = group.parse().map_err(|_| mistyped.clone())?;
            if !value.is_multiple_of(CHECK_MULTIPLIER) {
                return Err(mistyped);
            }
            let chunk = u16::try_from(value / CHECK_MULTIPLIER).map_err(|_| mistyped)?;
            key[index * 2..index * 2 + 2].copy_from_slice(&chunk.to_be_bytes());
        }
        Ok(Self(key))
    }
}

impl Drop for RecoveryKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_form_round_trips() {
        for _ in 0..100 {
            let key = RecoveryKey::generate().unwrap();
            let written = key.expose_secret_display();
            assert_eq!(written.len(), GROUPS * 7 - 1);
            let parsed = RecoveryKey::parse(&written).unwrap();
            assert_eq!(parsed.expose_secret(), key.expose_secret());
            let spaced = written.replace('-', " ");
            assert_eq!(
                RecoveryKey::parse(&spaced).unwrap().expose_secret(),
                key.expose_secret()
            );
        }
    }

    #[test]
    fn every_single_digit_mistake_names_its_group() {
        let key = RecoveryKey::generate().unwrap();
        let written = key.expose_secret_display().to_string();
        for (position, original) in written.char_indices().filter(|(_, c)| c.is_ascii_digit()) {
            let group = position / 7 + 1;
            for replacement in '0'..='9' {
                if replacement == original {
                    continue;
                }
                let mut typo = written.clone();
                typo.replace_range(position..=position, &replacement.to_string());
                assert_eq!(
                    RecoveryKey::parse(&typo).err(),
                    Some(RecoveryKeyFormatError::MistypedGroup { group }),
                    "digit {position} changed to {replacement} was not caught"
                );
            }
        }
    }

    #[test]
    fn swapped_neighbouring_digits_are_caught() {
        let key = RecoveryKey::generate().unwrap();
        let written = key.expose_secret_display().to_string();
        let bytes = written.as_bytes();
        for position in 0..bytes.len() - 1 {
            let (a, b) = (bytes[position], bytes[position + 1]);
            if a == b || !a.is_ascii_digit() || !b.is_ascii_digit() {
                continue;
            }
            let mut swapped = bytes.to_vec();
            swapped.swap(position, position + 1);
            let swapped = String::from_utf8(swapped).unwrap();
            assert!(
                matches!(
                    RecoveryKey::parse(&swapped),
                    Err(RecoveryKeyFormatError::MistypedGroup { .. })
                ),
                "swap at {position} was not caught"
            );
        }
    }

    #[test]
    fn wrong_number_of_groups_is_its_own_error() {
        assert_eq!(
            RecoveryKey::parse("000000-000011").err(),
            Some(RecoveryKeyFormatError::WrongShape { found: 2 })
        );
    }
}
